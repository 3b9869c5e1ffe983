/*
 * fuzzgen.h - the fuzz child: a seeded generator of random system calls,
 * and the loop that makes them until the child has made them all or dies.
 *
 * It runs as a raw child (child.h) with only its code, ExOS's system-call
 * entry, a stack page, a frame page and the parent's struct fuzz_state
 * (fuzz.h) bound.  Everything it must not lose is in that last page: the
 * generator's state, the call count and the pools of pages, capabilities
 * and envids it obtained.  So when it dies - it destroys itself, frees
 * its own stack, unbinds its own code, ... - the parent makes another one,
 * which goes on with the same stream of calls.
 *
 * It copes with what it does to itself as well as it cheaply can: an
 * exception goes to fuzz_fault, and a PCT that succeeds (only its own entry
 * accepts one: the parent and the canary refuse) to fuzz_pct; both start
 * the loop again on a fresh stack.  If restarting keeps failing (its stack
 * or frame is gone) it exits, and the parent makes a new one.  It has an
 * upcall entry too, fuzz_upcall, so that the end of its slices and its own
 * SYS_PAGE_REVOKE calls go through the kernel's upcall and abort protocol.
 *
 * These functions run in the child: no .rodata, no writable globals, no
 * calls outside child_text and exos_text (FUZZ_CHILD, fuzz.h).
 */
#ifndef USERLAND_FUZZGEN_H
#define USERLAND_FUZZGEN_H

#include <stdint.h>

#include "child.h"
#include "fuzz.h"

#define FS          ((struct fuzz_state *)FUZZ_VA)
#define FUZZ_EXIT_DONE   0          /* exit status: every call made */
#define FUZZ_EXIT_STREAK 0xdead     /* exit status: restarting kept failing */

/*
 * xorshift64* (S. Vigna, "An experimental exploration of Marsaglia's
 * xorshift generators, scrambled", ACM TOMS 42(2), 2016; the xorshift
 * step is G. Marsaglia's, "Xorshift RNGs", J. Stat. Softw. 8(14), 2003):
 * the shift triple (12, 25, 27) on 64 bits of state; the output is the
 * high half of the state times 2685821657736338717 (modulo 2^64).  Small, fast, and good
 * enough that no pattern of the generator hides a pattern of the kernel.
 */
static FUZZ_CHILD uint32_t fz_rand(struct fuzz_state *fs)
{
    uint64_t x = fs->rng;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    fs->rng = x;
    return (uint32_t)((x * 0x2545f4914f6cdd1dull) >> 32);
}

/* A number below n: the high half of a 32 x 32-bit product (no division,
 * which would call libgcc). */
static FUZZ_CHILD uint32_t fz_below(struct fuzz_state *fs, uint32_t n)
{
    return (uint32_t)(((uint64_t)fz_rand(fs) * n) >> 32);
}

/* One of the parent's interesting values of this kind. */
static FUZZ_CHILD uint32_t fz_table(struct fuzz_state *fs, uint32_t kind)
{
    uint32_t n = fs->nvalues[kind];

    return n ? fs->values[kind][fz_below(fs, n)] : fz_rand(fs);
}

/* A page someone else holds now (the kernel, the images, the parent, the
 * canary, ...), found in the exposed table from a random place. */
static FUZZ_CHILD uint32_t fz_foreign(struct fuzz_state *fs)
{
    uint32_t top = fs->used_top, p = fz_below(fs, top);

    for (int i = 0; i < 256; i++, p = p + 1 < top ? p + 1 : 0) {
        uint32_t o = AEGIS_EXPOSED->pages[p].owner;
        if (o != OWNER_FREE && o != fs->self)
            return p;
    }
    return p;
}

/* A page number.  Remembers in fs->pick which entry of fs->pages it took,
 * so that a capability drawn next can be that page's. */
static FUZZ_CHILD uint32_t fz_ppn(struct fuzz_state *fs)
{
    uint32_t k = fz_below(fs, 16);
    uint32_t n = fs->npool < FUZZ_POOL ? fs->npool : FUZZ_POOL;

    if (k < 8 && n > 0) {
        uint32_t i = fz_below(fs, n);
        /* Most pool pages are stale (their child died, or was made to give
         * them back): mostly look for one that is still ours, so that
         * bindings succeed too. */
        for (uint32_t j = 0; k < 6 && j < n; j++, i = i + 1 < n ? i + 1 : 0)
            if (fs->pages[i].ppn < fs->npages &&
                AEGIS_EXPOSED->pages[fs->pages[i].ppn].owner == fs->self)
                break;
        fs->pick = i;
        return fs->pages[i].ppn;
    }
    if (k < 10)
        return fs->pages[fs->pick = FUZZ_STACK_PAGE + (k & 1)].ppn;   /* its stack or frame */
    if (k < 11)
        return fz_table(fs, K_PPN);
    if (k < 14)
        return fz_foreign(fs);
    return fz_below(fs, fs->npages + 16);
}

/* A capability: mostly the one of the page just chosen, live or stale. */
static FUZZ_CHILD uint32_t fz_cap(struct fuzz_state *fs)
{
    uint32_t k = fz_below(fs, 8);
    uint32_t n = fs->npool < FUZZ_POOL ? fs->npool : FUZZ_POOL;

    if (fs->pick < FUZZ_NOPICK && k < 6)
        return k < 4 ? fs->pages[fs->pick].wcap : fs->pages[fs->pick].rcap;
    if (k < 3 && n > 0) {
        struct fuzz_page *p = &fs->pages[fz_below(fs, n)];
        return k & 1 ? p->wcap : p->rcap;
    }
    if (k < 6)
        return fz_table(fs, K_CAP);
    return fz_rand(fs);
}

/*
 * An envid: itself (0 or its own), its parent, the canary, its own
 * children (live or long dead), the edges of the table.  Mostly itself,
 * so that calls on an environment succeed too - except as the victim of
 * SYS_ENV_DESTROY (K_KILL), or the child would not live long enough to
 * build up pages and children.
 */
static FUZZ_CHILD uint32_t fz_env(struct fuzz_state *fs, int victim)
{
    uint32_t k = fz_below(fs, 20);
    uint32_t n = fs->nenv < FUZZ_POOL ? fs->nenv : FUZZ_POOL;

    if (victim)
        k = k < 2 ? k * 7 : k + 10;     /* 0 and itself 1 in 10, not 12 in 20 */
    if (k < 7)
        return 0;
    if (k < 12)
        return fs->self;
    if (k < 14)
        return fz_table(fs, K_ENV);
    if (k < 18 && n > 0)
        return fs->envs[fz_below(fs, n)];
    return 1 + fz_below(fs, NENV + 2);
}

/* An address: the edges of the layout, a little off them, anywhere. */
static FUZZ_CHILD uint32_t fz_va(struct fuzz_state *fs)
{
    uint32_t k = fz_below(fs, 8);

    if (k < 4)
        return fz_table(fs, K_VA);
    if (k < 5)
        return fz_table(fs, K_VA) + fz_below(fs, 9) * 2 - 8;   /* unaligned too */
    if (k < 7)
        return fz_rand(fs) & (USER_TOP - PAGE_SIZE);
    return fz_rand(fs);
}

static FUZZ_CHILD uint32_t fz_value(struct fuzz_state *fs, uint32_t kind)
{
    if (kind == K_ANY) {
        if (fz_below(fs, 8) == 0)
            return fz_rand(fs);
        kind = 1 + fz_below(fs, K_NKINDS - 1);
    }
    if (kind == K_ALLOC) {
        if (fz_below(fs, 8) < 5)
            return 0xffffffffu;
        kind = K_PPN;
    }
    if (kind == K_PPN)
        return fz_ppn(fs);
    if (kind == K_CAP)
        return fz_cap(fs);
    if (kind == K_ENV || kind == K_KILL)
        return fz_env(fs, kind == K_KILL);
    if (kind == K_VA)
        return fz_va(fs);
    return fz_table(fs, kind);
}

/*
 * SYS_CPUTS would print whatever the child has bound - its code, the
 * generator's state - as garbage on the console that the test runner
 * reads (a stray "ok 1" or "PANIC:" at the start of a line would be
 * believed, and a NUL makes grep call the log binary).  So it prints at
 * most the last few bytes of fs->text, which is printable and ends in a
 * newline (no output is glued to the start of the kernel's next line);
 * everywhere else it is given a length the kernel must refuse, or 0, or a
 * few bytes at FUZZ_NOWHERE, which is in no table of addresses (only a
 * random binding could land there, once in half a million).
 */
#define FUZZ_NOWHERE    0x3f000000u
static FUZZ_CHILD void fz_cputs(struct fuzz_state *fs, uint32_t *r)
{
    uint32_t k = fz_below(fs, 16), va = r[2];
    uint32_t text = (uint32_t)fs->text, room = sizeof fs->text;

    if (k < 2) {
        uint32_t len = 1 + fz_below(fs, 8);
        r[2] = text + room - len;
        r[3] = len;
    } else if (k < 4) {
        r[2] = FUZZ_NOWHERE + fz_below(fs, 16);
        r[3] = fz_below(fs, 9);
    } else if (k < 6) {
        r[3] = 0;
    } else if (va >= USER_TOP) {
        r[3] = fz_rand(fs);             /* refused however long */
    } else {
        r[3] = USER_TOP - va + 1 + fz_below(fs, 2 * PAGE_SIZE);  /* runs past USER_TOP */
        if (fz_below(fs, 4) == 0)
            r[3] = 0xffffffffu - fz_below(fs, 4);
    }
}

/*
 * One call: r[0] the number (v0), r[1] v1, r[2..7] a0-a3, t0, t1.  One
 * call in eight ignores its shape and takes anything anywhere; one in 64
 * has a wild number.
 */
static FUZZ_CHILD void fz_generate(struct fuzz_state *fs, uint32_t *r)
{
    uint32_t num = fz_below(fs, 64) == 0 ? fz_rand(fs) : fz_below(fs, FUZZ_NNUMS);
    int shaped = num < FUZZ_NNUMS && fz_below(fs, 8) != 0;

    fs->pick = FUZZ_NOPICK;
    r[0] = num;
    for (int i = 1; i < 8; i++)
        r[i] = fz_value(fs, shaped ? fs->kinds[num][i - 1] : K_ANY);
    if (num == SYS_CPUTS)
        fz_cputs(fs, r);
}

/* Remembers what a call gave: pages, capabilities and envids to use (and
 * misuse) later, and which results each call number has returned. */
static FUZZ_CHILD void fz_record(struct fuzz_state *fs, uint32_t idx, const uint32_t *r,
                                 int32_t v0, uint32_t v1)
{
    uint32_t num = r[0], slot = num < FUZZ_NNUMS ? num : FUZZ_OTHER;

    if (v0 < 0) {
        uint32_t e = (uint32_t)-v0 < FUZZ_NERR ? (uint32_t)-v0 : 0;
        fs->err[slot]++;
        fs->errmask[slot] |= 1u << e;
        if (fs->first[slot][e] == 0)
            fs->first[slot][e] = idx + 1;
        return;
    }
    if (fs->ok[slot]++ == 0)
        fs->okfirst[slot] = idx + 1;
    if (num == SYS_PAGE_ALLOC) {
        struct fuzz_page *p = &fs->pages[fs->npool++ % FUZZ_POOL];
        p->ppn = (uint32_t)v0, p->wcap = v1, p->rcap = 0;
    } else if (num == SYS_PAGE_RCAP) {
        for (int i = 0; i < FUZZ_NOPICK; i++)
            if (fs->pages[i].ppn == r[2] && fs->pages[i].wcap == r[3])
                fs->pages[i].rcap = v1;
    } else if (num == SYS_ENV_CREATE) {
        fs->envs[fs->nenv++ % FUZZ_POOL] = (uint32_t)v0;
    }
}

/* Eight hex digits at p. */
static FUZZ_CHILD void fz_hex(char *p, uint32_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 4)
        p[i] = (char)((v & 15) < 10 ? '0' + (v & 15) : 'a' + (v & 15) - 10);
}

/* A trace line: "fz" tag, then n words in hex.  Printed before a call (so
 * the one that kills the kernel is on the console) and after it. */
static FUZZ_CHILD void fz_trace(char tag, const uint32_t *w, int n)
{
    char line[3 + 9 * 9 + 1];
    int len = 3;

    line[0] = 'f', line[1] = 'z', line[2] = tag;
    for (int i = 0; i < n && i < 9; i++, len += 9) {
        line[len] = ' ';
        fz_hex(&line[len + 1], w[i]);
    }
    line[len++] = '\n';
    sys_cputs(line, len);
}

/*
 * The trap: v0 = r[0], v1 = r[1], a0-a3, t0, t1 = r[2..7] (ExOS's
 * exos_syscall cannot set v1, which PCT needs).  Returns v0, and v1 in
 * r[1].  s0 keeps r across the call: the kernel preserves it.
 */
int32_t fuzz_trap(uint32_t *r);
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "fuzz_trap:\n"
    "   addiu $sp, $sp, -8\n"
    "   sw    $s0, 0($sp)\n"
    "   move  $s0, $a0\n"
    "   lw    $v0, 0($s0)\n"
    "   lw    $v1, 4($s0)\n"
    "   lw    $a0, 8($s0)\n"
    "   lw    $a1, 12($s0)\n"
    "   lw    $a2, 16($s0)\n"
    "   lw    $a3, 20($s0)\n"
    "   lw    $t0, 24($s0)\n"
    "   lw    $t1, 28($s0)\n"
    "   syscall\n"
    "   sw    $v1, 4($s0)\n"
    "   lw    $s0, 0($sp)\n"
    "   jr    $ra\n"
    "   addiu $sp, $sp, 8\n"
    "   .set pop\n   .text\n");

/* The loop: until every call is made, one call, then its record. */
FUZZ_CHILD void fuzz_main(void)
{
    struct fuzz_state *fs = FS;

    fs->self = AEGIS_EXPOSED->current;
    while (fs->calls < fs->limit) {
        uint32_t r[8], w[9];
        fz_generate(fs, r);
        uint32_t idx = fs->calls++;
        for (int i = 0; i < 8; i++)
            fs->last[i] = r[i];
        if (idx >= fs->trace_from) {
            w[0] = idx;
            for (int i = 0; i < 8; i++)
                w[i + 1] = r[i];
            fz_trace(' ', w, 9);
        }
        uint32_t num = r[0];
        int32_t v0 = fuzz_trap(r);
        fs->streak = 0;
        if (idx >= fs->trace_from) {
            w[0] = idx, w[1] = (uint32_t)v0, w[2] = r[1];
            fz_trace('=', w, 3);
        }
        /* The child's calls can rebind or free its own stack page (it is
         * in the pool on purpose), and then the locals of this frame are
         * another page's bytes.  Record a result only if the call number
         * this frame kept still agrees with the copy in the shared page;
         * else count it, so the run says how often. */
        if (num != fs->last[0]) {
            fs->unrecorded++;
            continue;
        }
        r[0] = num;
        fz_record(fs, idx, r, v0, r[1]);
    }
    sys_env_destroy(0, FUZZ_EXIT_DONE);
}

#define FZ_STR_(x) #x
#define FZ_STR(x) FZ_STR_(x)

/*
 * The upcall entry.  Mostly it answers at once (SYS_YIELD -1): the kernel
 * then resumes the loop where the upcall found it, registers and all (and
 * takes by force the pages a revocation asked for).  One upcall in eight
 * it ignores and starts the loop again, which leaves the kernel to abort
 * it when the grace window ends (and, four times in a row, to destroy it).
 * After a PCT the kernel enters here to start a slice, with no registers
 * to resume: the yield then comes back, and the loop starts again.
 */
void fuzz_upcall(void);
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "fuzz_upcall:\n"
    "   lui   $t0, %hi(" FZ_STR(FUZZ_VA) ")\n"
    "   lw    $t1, " FZ_STR(FS_UPCALLS) "($t0)\n"
    "   addiu $t1, $t1, 1\n"
    "   sw    $t1, " FZ_STR(FS_UPCALLS) "($t0)\n"
    "   andi  $t1, $t1, 7\n"
    "   beqz  $t1, fuzz_again\n"                   /* ignored */
    "   li    $a0, -1\n"
    "   li    $v0, " FZ_STR(SYS_YIELD) "\n"
    "   syscall\n"
    "   b     fuzz_again\n"
    "   nop\n"
    "   .set pop\n   .text\n");

/*
 * Restarting.  fuzz_fault is the exception handler (the kernel has just
 * disarmed it), fuzz_pct the PCT entry; both count, re-arm the handler,
 * clear xframe.donate (a PCT to itself set it; while it is set the kernel
 * would not resume us) and run fuzz_main on a fresh stack.  Only $t0 and
 * $t1 are used: nothing of the interrupted loop is kept.  The frame is at
 * EXOS_XF_VA (0x1000), reached $zero-relative as in ExOS.
 */
void fuzz_fault(void), fuzz_pct(void);
_Static_assert(CHILD_STACK + PAGE_SIZE - 16 == 0x10010ff0, "fuzz_again's stack");
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "fuzz_fault:\n"
    "   lui   $t0, %hi(" FZ_STR(FUZZ_VA) ")\n"
    "   lw    $t1, 0x1004($0)\n"                    /* XF_CAUSE */
    "   sw    $t1, " FZ_STR(FS_CAUSE) "($t0)\n"
    "   lw    $t1, 0x1000($0)\n"                    /* XF_EPC */
    "   sw    $t1, " FZ_STR(FS_EPC) "($t0)\n"
    "   lw    $t1, " FZ_STR(FS_FAULTS) "($t0)\n"
    "   addiu $t1, $t1, 1\n"
    "   b     fuzz_again\n"
    "   sw    $t1, " FZ_STR(FS_FAULTS) "($t0)\n"
    "fuzz_pct:\n"
    "   sw    $0, 0x1014($0)\n"                     /* XF_DONATE */
    "   lui   $t0, %hi(" FZ_STR(FUZZ_VA) ")\n"
    "   lw    $t1, " FZ_STR(FS_PCTS) "($t0)\n"
    "   addiu $t1, $t1, 1\n"
    "   sw    $t1, " FZ_STR(FS_PCTS) "($t0)\n"
    "fuzz_again:\n"
    "   lw    $t1, " FZ_STR(FS_STREAK) "($t0)\n"
    "   addiu $t1, $t1, 1\n"
    "   sw    $t1, " FZ_STR(FS_STREAK) "($t0)\n"
    "   sltiu $t1, $t1, " FZ_STR(FUZZ_MAX_STREAK) "\n"
    "   beqz  $t1, 1f\n"
    "   nop\n"
    "   la    $t1, fuzz_fault\n"
    "   sw    $t1, 0x100c($0)\n"                    /* XF_HANDLER: re-armed */
    "   sw    $0, 0x1014($0)\n"
    "   li    $sp, 0x10010ff0\n"                   /* CHILD_STACK + 4096 - 16 */
    "   j     fuzz_main\n"
    "   nop\n"
    "1: li    $a0, 0\n"                             /* give up: exit */
    "   li    $a1, " FZ_STR(FUZZ_EXIT_STREAK) "\n"
    "   li    $v0, " FZ_STR(SYS_ENV_DESTROY) "\n"
    "   syscall\n"
    "   break 7\n"
    "   .set pop\n   .text\n");

/* Where the parent starts a fuzz child: its frame, its entries, the loop. */
FUZZ_CHILD void fuzz_boot(uint32_t arg)
{
    volatile struct xframe *xf = (struct xframe *)EXOS_XF_VA;
    (void)arg;

    if (sys_xframe(EXOS_XF_VA) == 0) {
        xf->pct_entry = (uint32_t)fuzz_pct;
        xf->upcall = (uint32_t)fuzz_upcall;
        xf->handler = (uint32_t)fuzz_fault;
    }
    fuzz_main();
}

#endif /* USERLAND_FUZZGEN_H */
