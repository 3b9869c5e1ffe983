/*
 * t_fuzz - random system calls against the kernel, from a child that is
 * made again whenever it dies, beside a canary that must notice nothing;
 * afterwards the kernel's books must balance.
 *
 *   t_fuzz [SEED [CALLS [TRACE]]]     (run=t_fuzz+SEED+CALLS+TRACE; make fuzz)
 *
 * SEED (default 1) fixes the stream of calls, CALLS (default 100000) is
 * how many are made in all, and from call number TRACE on each call is
 * printed with its result ("fz IIIIIIII v0 v1 a0 a1 a2 a3 t0 t1", then "fz=
 * IIIIIIII v0 v1", all in hex), to find the one that brought the kernel
 * down.  Under -icount a run is deterministic: the same seed makes the
 * same calls.  (Tracing prints, which moves the timer's interrupts; the
 * calls stay the same unless they depended on the schedule.)
 *
 * The fuzz child (fuzzgen.h) makes the calls: every number from 0 to
 * NSYSCALLS + 2 and some wild ones, PCT included, with arguments biased to
 * the values where mistakes hide.  It dies often - it destroys itself,
 * frees its stack, unbinds its code - and this program makes a new one
 * each time, which goes on with the same stream.  The canary (canary.h)
 * checks its registers and pages meanwhile.  Then, each a TAP check: every
 * call was made and returned only documented errors; the canary saw
 * nothing and kept going; with both children gone, every page is
 * accounted for and every environment slot is free again; and a normal
 * program still runs.
 *
 * kernel-args: tick_us=100
 * (a short tick: the timer then also lands in the middle of the canary's
 * passes, and of the fuzz child's loop.)  The default run takes about 5 s
 * of host time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "child.h"
#include "exos.h"
#include "freepages.h"
#include "proc.h"
#include "sys.h"
#include "tap.h"

#include "fuzz.h"
#include "fuzzgen.h"
#include "canary.h"

#define DEFAULT_SEED    1
#define DEFAULT_CALLS   100000
/* A child that makes no call for this long (100 M instructions under
 * -icount) is stuck: it is killed, reported, and made again. */
#define STUCK_TICKS     (100000000u / COUNT_NS)

static const char *const call_names[FUZZ_NNUMS + 1] = {
    "pct_async", "pct_sync", "cputs", "cgetc", "page_alloc", "page_free", "page_rcap",
    "page_give", "tlb_write", "tlb_delete", "guarantee", "xframe", "env_create",
    "env_start", "env_destroy", "yield", "slice_alloc", "slice_free", "page_revoke",
    "fpu", "env_reap", "trace", "tlb_snapshot", "(23)", "(24)", "(25)", "(wild)",
};
_Static_assert(NSYSCALLS == 23, "call_names and shapes list every call");

static const char *const err_names[FUZZ_NERR] = {
    "?", "INVAL", "PERM", "BUSY", "NOMEM", "NOSYS", "BADCAP", "KADDR", "FAULT",
    "NOENV", "ALIGN", "AGAIN", "COLOR",
};

/*
 * The arguments of each call (abi.h): v1, then a0 a1 a2 a3 t0 t1.
 * e envid, v address, p page, c a capability (of the page before it),
 * f flags, g guaranteed slot, l slice, a page or -1, s small number,
 * k envid to destroy, . anything.
 */
static const char *const shapes[NSYSCALLS] = {
    [SYS_PCT_ASYNC] = "e......",    [SYS_PCT_SYNC] = "e......",
    [SYS_CPUTS] = ".vs....",        [SYS_CGETC] = ".......",
    [SYS_PAGE_ALLOC] = ".a.....",   [SYS_PAGE_FREE] = ".p.....",
    [SYS_PAGE_RCAP] = ".pc....",    [SYS_PAGE_GIVE] = ".pe....",
    [SYS_TLB_WRITE] = ".evpcf.",    [SYS_TLB_DELETE] = ".ev....",
    [SYS_GUARANTEE] = ".egvpcf",    [SYS_XFRAME] = ".v.....",
    [SYS_ENV_CREATE] = ".......",   [SYS_ENV_START] = ".evvs..",
    [SYS_ENV_DESTROY] = ".ks....",  [SYS_YIELD] = ".e.....",
    [SYS_SLICE_ALLOC] = ".el....",  [SYS_SLICE_FREE] = ".el....",
    [SYS_PAGE_REVOKE] = ".es....",  [SYS_FPU] = ".......",
    [SYS_ENV_REAP] = ".e.....",     [SYS_TRACE] = ".s.....",
    [SYS_TLB_SNAPSHOT] = ".......",
};

/* The errors docs/kernel-interface.md gives each call. */
#define B(e) (1u << (e))
#define BIND_ERRS (B(E_NOENV) | B(E_KADDR) | B(E_INVAL) | B(E_ALIGN) | B(E_PERM) | B(E_BADCAP))
static const uint32_t documented[NSYSCALLS] = {
    [SYS_PCT_ASYNC] = B(E_NOENV) | B(E_BUSY),
    [SYS_PCT_SYNC] = B(E_NOENV) | B(E_BUSY),
    [SYS_CPUTS] = B(E_KADDR) | B(E_FAULT),
    [SYS_CGETC] = B(E_AGAIN),
    [SYS_PAGE_ALLOC] = B(E_INVAL) | B(E_BUSY) | B(E_NOMEM),
    [SYS_PAGE_FREE] = B(E_INVAL) | B(E_PERM),
    [SYS_PAGE_RCAP] = B(E_INVAL) | B(E_PERM) | B(E_BADCAP),
    [SYS_PAGE_GIVE] = B(E_NOENV) | B(E_PERM) | B(E_INVAL),
    [SYS_TLB_WRITE] = BIND_ERRS,
    [SYS_TLB_DELETE] = B(E_NOENV) | B(E_KADDR) | B(E_INVAL) | B(E_ALIGN),
    [SYS_GUARANTEE] = BIND_ERRS,
    [SYS_XFRAME] = B(E_KADDR) | B(E_ALIGN) | B(E_FAULT) | B(E_PERM) | B(E_COLOR),
    [SYS_ENV_CREATE] = B(E_NOMEM),
    [SYS_ENV_START] = B(E_NOENV) | B(E_BUSY) | B(E_KADDR) | B(E_ALIGN),
    [SYS_ENV_DESTROY] = B(E_NOENV),
    [SYS_YIELD] = B(E_NOENV),
    [SYS_SLICE_ALLOC] = B(E_NOENV) | B(E_INVAL) | B(E_BUSY) | B(E_PERM) | B(E_NOMEM),
    [SYS_SLICE_FREE] = B(E_NOENV) | B(E_INVAL) | B(E_PERM),
    [SYS_PAGE_REVOKE] = B(E_NOENV),
    [SYS_FPU] = 0,
    [SYS_ENV_REAP] = B(E_NOENV) | B(E_BUSY),
    [SYS_TRACE] = 0,
    [SYS_TLB_SNAPSHOT] = 0,
};

/* What the run saw, beyond struct fuzz_state. */
struct run {
    uint32_t children;          /* fuzz children made */
    uint32_t done, suicides, gave_up, faulted, overran, other, stuck;  /* how they ended */
    int32_t make_error;         /* making a child failed: why */
    uint32_t make_error_at;     /* at which call */
    uint32_t audits;            /* audit() runs: after each death, and at the end */
    uint32_t leaked;            /* pages a dead child still owned */
    uint32_t bad;               /* forbidden bindings seen (forbidden()) */
    uint32_t bad_at, bad_hi, bad_lo;    /* the first: call count, EntryHi, EntryLo */
};

static struct fuzz_state *const fs = (struct fuzz_state *)FUZZ_VA;
static struct canary_state *const cs = (struct canary_state *)CANARY_VA;

static const volatile struct env_info *info(uint32_t id)
{
    return &AEGIS_EXPOSED->envs[id];
}

static int live(uint32_t id)
{
    return info(id)->state == ENV_STOPPED || info(id)->state == ENV_RUNNABLE;
}

/* Kills (if alive) and reaps a child of ours. */
static void end_child(uint32_t id)
{
    sys_env_destroy(id, 0);
    sys_env_reap(id);
}

/*
 * splitmix64 (G. Steele, D. Lea and C. Flood, "Fast splittable
 * pseudorandom number generators", OOPSLA 2014): one step, to spread a
 * small seed over the generator's 64 bits of state (xorshift64* must not
 * start at 0).
 */
static uint64_t splitmix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

static void add_value(int kind, uint32_t v)
{
    if (fs->nvalues[kind] < FUZZ_NVALUES)
        fs->values[kind][fs->nvalues[kind]++] = v;
}

static int shape_kind(char c)
{
    switch (c) {
    case 'e': return K_ENV;
    case 'v': return K_VA;
    case 'p': return K_PPN;
    case 'c': return K_CAP;
    case 'f': return K_FLAGS;
    case 'g': return K_SLOT;
    case 'l': return K_SLICE;
    case 'a': return K_ALLOC;
    case 's': return K_SMALL;
    case 'k': return K_KILL;
    default: return K_ANY;
    }
}

/* The first n pages the exposed table gives owner: interesting targets. */
static void add_pages_of(uint32_t owner, int n)
{
    for (uint32_t p = 0; p < AEGIS_EXPOSED->npages && n > 0; p++)
        if (AEGIS_EXPOSED->pages[p].owner == owner)
            add_value(K_PPN, p), n--;
}

/* Everything the generator draws from that only the parent knows. */
static void fuzz_setup(uint32_t seed, uint32_t calls, uint32_t trace, uint32_t canary,
                       uint32_t fuzz_ppn)
{
    const volatile struct aegis_exposed *x = AEGIS_EXPOSED;
    uint32_t npages = x->npages, top = 0;

    fs->rng = splitmix64(seed) ? splitmix64(seed) : 1;
    fs->limit = calls, fs->trace_from = trace;
    fs->parent = exos_envid(), fs->canary = canary, fs->npages = npages;
    for (uint32_t p = 0; p < npages; p++)
        if (x->pages[p].owner != OWNER_FREE)
            top = p + 1;
    fs->used_top = top + 512 < npages ? top + 512 : npages;
    for (int n = 0; n < NSYSCALLS; n++)
        for (int i = 0; i < 7; i++)
            fs->kinds[n][i] = shape_kind(shapes[n][i]);
    for (uint32_t i = 0; i < sizeof fs->text; i++)
        fs->text[i] = i + 1 < sizeof fs->text ? "fuzz"[i % 4] : '\n';

    static const uint32_t smalls[] = { 0, 1, 2, 3, 4, 7, 8, 15, 16, 17, 31, 32, 63, 64, 65,
        255, 256, 4095, 4096, 0xffff, 0x10000, 0x7fffffff, 0x80000000u, 0xfffffffeu, 0xffffffffu };
    for (unsigned i = 0; i < sizeof smalls / sizeof smalls[0]; i++)
        add_value(K_SMALL, smalls[i]);
    static const uint32_t vas[] = { 0, 0x1000, 0x1002, 0x1ffc, 0x2000, CHILD_STACK,
        CHILD_STACK + 0xff0, FUZZ_VA, FUZZ_VA + 0x1000, CANARY_VA, CANARY_PAT_VA,
        0x00400000, BOOTREC_VA, USTACK_TOP, EXPOSED_VA - PAGE_SIZE, EXPOSED_VA,
        EXPOSED_VA + PAGE_SIZE, EXPOSED_VA + EXPOSED_SIZE - PAGE_SIZE, 0x7ffff000,
        0x7ffffffc, 0x7fffffff, USER_TOP, USER_TOP + PAGE_SIZE, 0xa0000000u,
        0xfffff000u, 0xffffffffu };
    for (unsigned i = 0; i < sizeof vas / sizeof vas[0]; i++)
        add_value(K_VA, vas[i]);
    add_value(K_VA, (uint32_t)__start_child_text);
    add_value(K_VA, (uint32_t)__exos_text_start);
    uint32_t me = exos_envid();
    uint32_t envs[] = { 0, me, canary, NENV, NENV + 1, NENV + 2, 0xffffffffu,
                        0x10000 | me, 0x80000000u | canary, 255, 256 };
    for (unsigned i = 0; i < sizeof envs / sizeof envs[0]; i++)
        add_value(K_ENV, envs[i]);
    uint32_t ppns[] = { 0, 1, npages - 1, npages, npages + 1, x->images[0].ppn, fuzz_ppn,
                        0xffff, 0x10000, 0x7fffffff, 0xffffffffu };
    for (unsigned i = 0; i < sizeof ppns / sizeof ppns[0]; i++)
        add_value(K_PPN, ppns[i]);
    add_pages_of(me, 3);
    add_pages_of(canary, 6);        /* its stack, frame, pattern pages */
    uint32_t caps[] = { 0, 1, 0xffffffffu, x->image_rcap, x->image_rcap ^ 1 };
    for (unsigned i = 0; i < sizeof caps / sizeof caps[0]; i++)
        add_value(K_CAP, caps[i]);
    for (uint32_t f = 0; f < 6; f++)
        add_value(K_FLAGS, f);
    add_value(K_FLAGS, 0xffffffffu);
    for (uint32_t g = 0; g < NGUARANTEED + 2; g++)
        add_value(K_SLOT, g);
    add_value(K_SLOT, 0xffffffffu);
    for (uint32_t s = 0; s < x->nslices + 2; s++)
        add_value(K_SLICE, s);
    add_value(K_SLICE, MAX_SLICES);
    add_value(K_SLICE, 0xffffffffu);
}

/* A page for child cid, pinned at va; odd: of odd number (an exception
 * frame's page must share its VA's cache colour).  *pg gets it and its
 * capabilities. */
static int give_pinned(uint32_t cid, int slot, uint32_t va, int odd, struct fuzz_page *pg)
{
    uint32_t wcap = 0, spare[4];
    int32_t p = sys_page_alloc(-1, &wcap);
    int n = 0;

    while (odd && p >= 0 && (p & 1) == 0 && n < 4) {
        spare[n++] = (uint32_t)p;   /* next-fit: the next one is odd */
        p = sys_page_alloc(-1, &wcap);
    }
    while (n > 0)
        sys_page_free(spare[--n]);
    if (p < 0 || (odd && (p & 1) == 0) || sys_page_rcap((uint32_t)p, wcap, &pg->rcap) < 0 ||
        sys_page_give((uint32_t)p, cid) < 0)
        return p < 0 ? p : -E_NOMEM;
    pg->ppn = (uint32_t)p, pg->wcap = wcap;
    return sys_guarantee(cid, (uint32_t)slot, va, (uint32_t)p, wcap, TLBF_WRITE);
}

/* A new fuzz child, running: its code, its stack and frame pages (noted in
 * fs->pages, for the generator and the canary), and fs. */
static int32_t make_fuzz_child(uint32_t fuzz_ppn, uint32_t fuzz_wcap)
{
    int32_t cid = sys_env_create(), r;
    int slot = 0;

    if (cid <= 0)
        return cid < 0 ? cid : -E_NOENV;
    if (child_share_ro(cid, &slot, (uint32_t)__start_child_text, (uint32_t)__stop_child_text) < 0 ||
        child_share_ro(cid, &slot, (uint32_t)__exos_text_start, (uint32_t)__exos_text_end) < 0)
        r = -E_NOMEM;
    else if ((r = give_pinned(cid, slot++, CHILD_STACK, 0, &fs->pages[FUZZ_STACK_PAGE])) == 0 &&
             (r = give_pinned(cid, slot++, EXOS_XF_VA, 1, &fs->pages[FUZZ_FRAME_PAGE])) == 0 &&
             (r = sys_guarantee(cid, slot++, FUZZ_VA, fuzz_ppn, fuzz_wcap, TLBF_WRITE)) == 0)
        r = child_start(cid, fuzz_boot, 0);
    if (r < 0) {
        end_child(cid);
        return r;
    }
    return cid;
}

/*
 * Whether a binding (an EntryLo half) reaches what no environment may: a
 * free page, a kernel page, a page beyond RAM, or a program image
 * writably.  The kernel breaks every binding to a page when it frees it,
 * and checks every capability when it makes one, so none may exist.
 */
static int forbidden(uint32_t lo)
{
    uint32_t ppn = lo >> ENTRYLO_PFN_SHIFT;

    if (!(lo & ENTRYLO_V))
        return 0;
    if (ppn >= AEGIS_EXPOSED->npages)
        return 1;
    uint32_t o = AEGIS_EXPOSED->pages[ppn].owner;
    return o == OWNER_FREE || o == OWNER_KERNEL || (o == OWNER_IMAGES && (lo & ENTRYLO_D));
}

static void note_bad(struct run *run, uint32_t n, uint32_t hi, uint32_t lo)
{
    if (run->bad == 0)
        run->bad_at = fs->calls, run->bad_hi = hi, run->bad_lo = lo;
    run->bad += n;
}

/* Timer interrupts so far.  While the count stands still, no other
 * environment can have run: we make no system call that yields. */
static uint32_t ticks(void)
{
    return AEGIS_EXPOSED->stats.ticks;
}

/*
 * The kernel's books on the bindings - every STLB entry, and the hardware
 * TLB as SYS_TLB_SNAPSHOT sees it - and on dead child `dead` (0: none):
 * it owns no page any more.  Each binding and the owner of its page are
 * read with nobody else running in between (else read again): the canary
 * swaps pages all the time, and an entry read just before it freed the
 * page, checked just after, would look stale.
 */
static void audit(uint32_t dead, struct run *run)
{
    const volatile struct aegis_exposed *x = AEGIS_EXPOSED;
    uint32_t t, hi, lo[2], nbad, bad_hi = 0, bad_lo = 0;

    run->audits++;
    for (uint32_t p = 0; dead != 0 && p < x->npages; p++)
        run->leaked += x->pages[p].owner == dead;
    for (int i = 0; i < STLB_ENTRIES; i++) {
        do {
            t = ticks();
            hi = x->stlb[i].tag, lo[0] = x->stlb[i].lo0, lo[1] = x->stlb[i].lo1;
            nbad = 0;
            for (int h = 0; h < 2; h++)
                if (hi != STLB_EMPTY && forbidden(lo[h]))
                    nbad++, bad_hi = hi, bad_lo = lo[h];
        } while (ticks() != t);
        if (nbad > 0)
            note_bad(run, nbad, bad_hi, bad_lo);
    }
    do {
        t = ticks();
        int n = sys_tlb_snapshot();
        nbad = 0;
        for (int i = (int)x->tlb_wired; i < n && i < 16; i++) {
            hi = x->tlb[i].hi, lo[0] = x->tlb[i].lo0, lo[1] = x->tlb[i].lo1;
            for (int h = 0; h < 2; h++)
                if (forbidden(lo[h]))
                    nbad++, bad_hi = hi, bad_lo = lo[h];
        }
    } while (ticks() != t);
    if (nbad > 0)
        note_bad(run, nbad, bad_hi, bad_lo);
}

/* How a fuzz child ended, counted, audited; its slot freed. */
static void bury(uint32_t cid, struct run *run)
{
    const volatile struct env_info *c = info(cid);

    if (c->death == DEATH_EXIT && c->exit_status == FUZZ_EXIT_DONE && fs->calls >= fs->limit)
        run->done++;
    else if (c->death == DEATH_EXIT && c->exit_status == FUZZ_EXIT_STREAK)
        run->gave_up++;
    else if (c->death == DEATH_EXIT)
        run->suicides++;
    else if (c->death == DEATH_FAULT)
        run->faulted++;
    else if (c->death == DEATH_OVERRUN)
        run->overran++;
    else if (c->death != DEATH_KILLED)
        run->other++;
    audit(cid, run);
    sys_env_reap(cid);
}

/*
 * The run: make a fuzz child, give it the CPU until it dies, make another,
 * until fs->calls reaches the limit.  Each time we run, the canary gets a
 * turn too (nobody owns slices, so the kernel's round robin alone might
 * never reach it).  A child that stops making calls is killed after
 * STUCK_TICKS.  Progress every tenth of the run.
 */
static void fuzz_run(uint32_t fuzz_ppn, uint32_t fuzz_wcap, uint32_t canary, struct run *run)
{
    int32_t cid = 0;
    uint32_t seen = 0, since = exos_count(), step = fs->limit / 10 ? fs->limit / 10 : 1;
    uint32_t next = step;

    while (fs->calls < fs->limit) {
        if (cid == 0 || !live((uint32_t)cid)) {
            if (cid > 0)
                bury((uint32_t)cid, run);
            cid = make_fuzz_child(fuzz_ppn, fuzz_wcap);
            if (cid <= 0) {
                run->make_error = cid, run->make_error_at = fs->calls;
                return;
            }
            run->children++;
        }
        sys_yield((uint32_t)cid);
        sys_yield(canary);          /* one pass of the canary's (it yields) */
        if (fs->calls != seen) {
            seen = fs->calls, since = exos_count();
        } else if (exos_count() - since > STUCK_TICKS) {
            printf("# fuzz: child %ld made no call for 100M instructions after call %lu "
                   "(number %lu); killed\n", (long)cid, (unsigned long)seen,
                   (unsigned long)fs->last[0]);
            end_child((uint32_t)cid);
            run->stuck++;
            cid = 0, since = exos_count();
        }
        if (fs->calls >= next) {
            printf("# fuzz: %lu calls, %lu children, canary heartbeat %lu\n",
                   (unsigned long)fs->calls, (unsigned long)run->children,
                   (unsigned long)cs->heartbeat);
            while (next <= fs->calls)
                next += step;
        }
    }
    if (cid > 0 && live((uint32_t)cid)) {   /* made its last call, not yet gone */
        sys_env_destroy((uint32_t)cid, 0);
        run->done++;
    }
    if (cid > 0)
        bury((uint32_t)cid, run);
}

/* The canary, running and set up; 0 if it could not be. */
static int32_t start_canary(uint32_t fuzz_ppn, uint32_t fuzz_wcap, uint32_t ppn, uint32_t wcap)
{
    uint32_t rcap = 0;
    int slot = 0;
    int32_t id = child_create(CANARY_VA, ppn, wcap, &slot);

    if (id <= 0 || sys_page_rcap(fuzz_ppn, fuzz_wcap, &rcap) < 0 ||
        sys_guarantee((uint32_t)id, (uint32_t)slot++, FUZZ_VA, fuzz_ppn, rcap, 0) < 0)
        return 0;
    cs->slot0 = (uint32_t)slot;
    if (slot + CANARY_NPAT > NGUARANTEED || child_start((uint32_t)id, canary_boot, 0) < 0)
        return 0;
    while (cs->ready == 0 && live((uint32_t)id))
        sys_yield((uint32_t)id);
    return cs->ready == 1 ? id : 0;
}

/* Every call returned only the errors it is documented to return, and
 * PCTs and unknown numbers never "succeeded".  Reports each exception. */
static int results_documented(void)
{
    int bad = 0;

    for (uint32_t n = 0; n <= FUZZ_OTHER; n++) {
        uint32_t allowed = n < NSYSCALLS ? documented[n] : B(E_NOSYS);
        uint32_t extra = fs->errmask[n] & ~allowed;
        for (uint32_t e = 0; e < FUZZ_NERR; e++)
            if (extra & B(e)) {
                printf("# %s returned -E_%s, not documented (first at call %lu)\n",
                       call_names[n], err_names[e], (unsigned long)fs->first[n][e] - 1);
                bad++;
            }
        if (fs->ok[n] > 0 && (n <= SYS_PCT_SYNC || n >= NSYSCALLS)) {
            printf("# %s returned >= 0 to its caller (first at call %lu)\n", call_names[n],
                   (unsigned long)fs->okfirst[n] - 1);
            bad++;
        }
    }
    return bad == 0;
}

static void report(const struct run *run)
{
    printf("\n# fuzz: %lu calls by %lu children: %lu finished, %lu destroyed themselves, "
           "%lu gave up restarting, %lu died of an exception, %lu of ignored upcalls, "
           "%lu stuck, %lu otherwise\n", (unsigned long)fs->calls,
           (unsigned long)run->children, (unsigned long)run->done, (unsigned long)run->suicides,
           (unsigned long)run->gave_up, (unsigned long)run->faulted, (unsigned long)run->overran,
           (unsigned long)run->stuck, (unsigned long)run->other);
    printf("# fuzz: %lu exceptions and %lu PCTs restarted the loop (last exception cause %08lx "
           "at %08lx); %lu upcalls; %lu results not recorded (the child's stack changed "
           "under the call)\n", (unsigned long)fs->faults, (unsigned long)fs->pcts,
           (unsigned long)fs->last_cause, (unsigned long)fs->last_epc,
           (unsigned long)fs->upcalls, (unsigned long)fs->unrecorded);
    for (uint32_t n = 0; n <= FUZZ_OTHER; n++) {
        printf("#   %2lu %-13s %6lu ok %6lu errors:", (unsigned long)n, call_names[n],
               (unsigned long)fs->ok[n], (unsigned long)fs->err[n]);
        for (uint32_t e = 0; e < FUZZ_NERR; e++)
            if (fs->errmask[n] & B(e))
                printf(" %s", err_names[e]);
        printf("\n");
    }
    printf("# canary: %lu passes (%lu interrupted by the timer), %lu FPU faults, "
           "%lu pages swapped (%lu the fuzz child had)\n", (unsigned long)cs->heartbeat,
           (unsigned long)cs->preempted, (unsigned long)cs->fpu_faults,
           (unsigned long)cs->rotations, (unsigned long)cs->reused);
}

/* The books: every page counted once, owned by someone alive. */
struct books {
    uint32_t free, kernel, images, live_sum;
    uint32_t dead_owner, bad_owner, miscount;
    uint32_t first_bad;             /* a page at fault, for the report */
};

static void count_books(struct books *b)
{
    const volatile struct aegis_exposed *x = AEGIS_EXPOSED;
    static uint32_t owned[NENV + 1];

    *b = (struct books){ .first_bad = 0xffffffffu };
    for (int i = 0; i <= NENV; i++)
        owned[i] = 0;
    for (uint32_t p = 0; p < x->npages; p++) {
        uint32_t o = x->pages[p].owner;
        if (o == OWNER_FREE)
            b->free++;
        else if (o == OWNER_KERNEL)
            b->kernel++;
        else if (o == OWNER_IMAGES)
            b->images++;
        else if (o >= 1 && o <= NENV && live(o))
            owned[o]++;
        else {
            if (o >= 1 && o <= NENV)
                b->dead_owner++;
            else
                b->bad_owner++;
            if (b->first_bad == 0xffffffffu)
                b->first_bad = p;
        }
    }
    for (uint32_t i = 1; i <= NENV; i++)
        if (live(i)) {
            b->live_sum += x->envs[i].pages;
            b->miscount += x->envs[i].pages != owned[i];
        }
}

/* The slots other than ours that are not free (the first few listed);
 * *orphans gets how many of them have no parent, *pages their pages. */
static uint32_t busy_slots(uint32_t *orphans, uint32_t *pages)
{
    uint32_t n = 0;

    *orphans = *pages = 0;
    for (uint32_t i = 1; i <= NENV; i++) {
        if (i == exos_envid() || info(i)->state == ENV_FREE)
            continue;
        *orphans += info(i)->parent == 0;
        *pages += info(i)->pages;
        if (n++ < 4)
            printf("# env %lu: state %u, parent %u, %lu pages\n", (unsigned long)i,
                   info(i)->state, info(i)->parent, (unsigned long)info(i)->pages);
    }
    return n;
}

/* A raw child that adds 1..n and exits with the sum. */
static CHILD void sum_main(uint32_t n)
{
    uint32_t s = 0;

    for (uint32_t i = 1; i <= n; i++)
        s += i;
    sys_env_destroy(0, s);
}

static void normal_programs(uint32_t ppn, uint32_t wcap)
{
    int slot, st = -1;
    int32_t id = child_create(CANARY_VA, ppn, wcap, &slot);
    uint32_t status = 0, death = 0;

    if (id > 0 && child_start((uint32_t)id, sum_main, 1000) == 0) {
        while (live((uint32_t)id))
            sys_yield((uint32_t)id);
        status = info((uint32_t)id)->exit_status, death = info((uint32_t)id)->death;
        sys_env_reap((uint32_t)id);
    }
    check(id > 0 && death == DEATH_EXIT && status == 500500,
          "a new raw child runs: adds 1..1000, exits with 500500",
          "env %ld, death %lu, status %lu", (long)id, (unsigned long)death,
          (unsigned long)status);
    int pid = exos_spawn("exitcode", (char *[]){ "exitcode", "42", NULL });
    check(pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 42,
          "a program spawned by ExOS runs: exitcode 42", "pid %d status %#x", pid, st);
}

int main(int argc, char **argv)
{
    uint32_t seed = argc > 1 ? strtoul(argv[1], NULL, 0) : DEFAULT_SEED;
    uint32_t calls = argc > 2 ? strtoul(argv[2], NULL, 0) : DEFAULT_CALLS;
    uint32_t trace = argc > 3 ? strtoul(argv[3], NULL, 0) : 0xffffffffu;
    uint32_t me = exos_envid(), fuzz_wcap, canary_wcap;
    int32_t fuzz_ppn, canary_ppn;
    struct run run = { 0 };
    struct books b;

    printf("fuzz: seed %lu, %lu calls\n", (unsigned long)seed, (unsigned long)calls);
    fflush(stdout);
    uint32_t free0 = free_pages(), mine0 = info(me)->pages;

    if (!child_shared_page(FUZZ_VA, &fuzz_ppn, &fuzz_wcap) ||
        !child_shared_page(CANARY_VA, &canary_ppn, &canary_wcap)) {
        check(0, "pages to share with the children", "-");
        return tap_done();
    }
    int32_t canary = start_canary((uint32_t)fuzz_ppn, fuzz_wcap, (uint32_t)canary_ppn, canary_wcap);
    fuzz_setup(seed, calls, trace, (uint32_t)canary, (uint32_t)fuzz_ppn);
    uint32_t beat0 = cs->heartbeat;
    fuzz_run((uint32_t)fuzz_ppn, fuzz_wcap, (uint32_t)canary, &run);
    uint32_t beat1 = cs->heartbeat;
    int canary_alive = canary > 0 && info((uint32_t)canary)->state == ENV_RUNNABLE;
    if (canary > 0)
        end_child((uint32_t)canary);
    audit(0, &run);
    report(&run);

    check(canary > 0, "the canary starts: its pattern and registers set", "ready %lu",
          (unsigned long)cs->ready);
    check(fs->calls >= calls, "every call was made (the fuzz child made again after each death)",
          "%lu of %lu; making a child failed at call %lu: %ld", (unsigned long)fs->calls,
          (unsigned long)calls, (unsigned long)run.make_error_at, (long)run.make_error);
    check(results_documented(), "every call returned a documented result", "see above");
    check(cs->reg_bad == 0, "the canary's registers kept their values (s0-s7 gp sp fp ra, FPU)",
          "%lu changed; first: register %lu held %08lx, at call %lu", (unsigned long)cs->reg_bad,
          (unsigned long)cs->reg_which, (unsigned long)cs->reg_value,
          (unsigned long)cs->at_call - 1);
    check(cs->mem_bad == 0 && cs->exc_cause == 0, "the canary's pages kept their pattern",
          "%lu words changed, first at %08lx (%08lx); exception cause %08lx at %08lx "
          "badvaddr %08lx; at call %lu", (unsigned long)cs->mem_bad, (unsigned long)cs->mem_va,
          (unsigned long)cs->mem_value, (unsigned long)cs->exc_cause,
          (unsigned long)cs->exc_epc, (unsigned long)cs->exc_badva,
          (unsigned long)cs->at_call - 1);
    check(canary_alive && beat1 > beat0, "the canary is alive, its heartbeat went on during the run",
          "alive %d, heartbeat %lu -> %lu", canary_alive, (unsigned long)beat0,
          (unsigned long)beat1);

    check(run.leaked == 0 && run.bad == 0,
          "no binding reaches a free or kernel page or writes an image, no dead child owns a page",
          "%lu audits: %lu pages owned by dead children; %lu bindings, the first at call %lu: "
          "EntryHi %08lx EntryLo %08lx", (unsigned long)run.audits, (unsigned long)run.leaked,
          (unsigned long)run.bad, (unsigned long)run.bad_at, (unsigned long)run.bad_hi,
          (unsigned long)run.bad_lo);
    count_books(&b);
    uint32_t npages = AEGIS_EXPOSED->npages;
    check(b.live_sum + b.kernel + b.images + b.free == npages && b.miscount == 0,
          "page accounting is exact: live environments' + kernel + images + free = npages",
          "%lu + %lu + %lu + %lu != %lu, or %lu environments' counts differ from the table",
          (unsigned long)b.live_sum, (unsigned long)b.kernel, (unsigned long)b.images,
          (unsigned long)b.free, (unsigned long)npages, (unsigned long)b.miscount);
    check(b.dead_owner == 0 && b.bad_owner == 0, "every page an environment owns is a live one's",
          "%lu pages of dead environments, %lu of no owner, first ppn %lu (owner %u)",
          (unsigned long)b.dead_owner, (unsigned long)b.bad_owner, (unsigned long)b.first_bad,
          b.first_bad < npages ? AEGIS_EXPOSED->pages[b.first_bad].owner : 0);
    uint32_t mine = info(me)->pages, orphans, held;
    uint32_t busy = busy_slots(&orphans, &held);
    check(b.free + (mine - mine0) == free0, "free pages are back to before the run (ours aside)",
          "%lu free before, %lu now; we hold %ld more, other environments %lu",
          (unsigned long)free0, (unsigned long)b.free, (long)(mine - mine0), (unsigned long)held);
    check(busy == 0, "every environment slot but ours is free again",
          "%lu busy, %lu of them orphans: children of dead fuzz children, left alive; "
          "env_create first failed for want of a slot at call %ld", (unsigned long)busy,
          (unsigned long)orphans, (long)fs->first[SYS_ENV_CREATE][E_NOMEM] - 1);
    normal_programs((uint32_t)canary_ppn, canary_wcap);
    return tap_done();
}
