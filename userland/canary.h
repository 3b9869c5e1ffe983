/*
 * canary.h - an environment that does nothing but check that nobody
 * touches what is its own, while the fuzz child (fuzzgen.h) attacks the
 * kernel beside it.
 *
 * What it watches:
 *  - its registers: the callee-saved ones (s0-s7, gp, fp), sp and ra hold
 *    known values across every system call, every switch to another
 *    environment and every timer interrupt, and so do the FPU's 32
 *    registers and FCSR across other environments taking the FPU
 *    (SYS_FPU: its next FPU instruction traps, its handler takes the FPU
 *    back and runs the instruction again);
 *  - its memory: CANARY_NPAT whole pages, most of its frame page and the
 *    unused half of its stack page hold a pattern that depends on the
 *    address.  Now and then it swaps a pattern page for a page the fuzz
 *    child just had (its stack, its frame, a page it allocated), read from
 *    struct fuzz_state: if the kernel left any way for the fuzz child to
 *    reach a page it no longer owns - a stale binding, capability or
 *    exception frame - the pattern shows it.
 * It refuses PCT (pct_entry 0), so nobody may legitimately run its code,
 * and has no upcall entry: it is simply preempted.  It reports through
 * struct canary_state (fuzz.h): a heartbeat per pass, and the first damage
 * of each kind with the fuzz call count when it saw it.
 */
#ifndef USERLAND_CANARY_H
#define USERLAND_CANARY_H

#include <stdint.h>

#include "fuzz.h"

#define CS          ((struct canary_state *)CANARY_VA)
#define CANARY_XF_SKIP    0x400     /* the frame page's first bytes are the kernel's and its handler's */
#define CANARY_STACK_PAT  0x800     /* the stack's lower half: never used */
#define CANARY_EXIT_EXC   0xdead1   /* exit status after an exception it did not expect */

/* The pattern word at va. */
static FUZZ_CHILD uint32_t canary_word(uint32_t va)
{
    return va * 0x9e3779b1u ^ 0xc3a5c3a5u;
}

static FUZZ_CHILD void canary_fill(uint32_t va, uint32_t end)
{
    for (; va < end; va += 4)
        *(volatile uint32_t *)va = canary_word(va);
}

/* The first damage of any kind: when (in fuzz calls) it was seen. */
static FUZZ_CHILD void canary_seen(struct canary_state *cs)
{
    if (cs->at_call == 0)
        cs->at_call = 1 + ((volatile struct fuzz_state *)FUZZ_VA)->calls;
}

/* Checks [va, end); a changed word is reported and put right, so that it
 * is counted once. */
static FUZZ_CHILD void canary_check(struct canary_state *cs, uint32_t va, uint32_t end)
{
    for (; va < end; va += 4) {
        volatile uint32_t *w = (volatile uint32_t *)va;
        if (*w == canary_word(va))
            continue;
        if (cs->mem_bad++ == 0)
            cs->mem_va = va, cs->mem_value = *w;
        canary_seen(cs);
        *w = canary_word(va);
    }
}

/* The assembly found register `which` holding `value` (canary_loop). */
FUZZ_CHILD void canary_bad_reg(uint32_t which, uint32_t value)
{
    struct canary_state *cs = CS;

    if (cs->reg_bad++ == 0)
        cs->reg_which = which, cs->reg_value = value;
    canary_seen(cs);
    cs->damaged = 1;                /* the loop loads its registers again */
}

/*
 * Replaces pattern page j by a new one: a page the fuzz child had, if one
 * is free now (its stack, its frame, a page of its pool, in turn), else
 * any.  The new page is bound in the same guaranteed slot, filled, and
 * only then the old one given back.
 */
static FUZZ_CHILD void canary_rotate(struct canary_state *cs, uint32_t j)
{
    const volatile struct fuzz_state *fs = (const volatile struct fuzz_state *)FUZZ_VA;
    uint32_t va = CANARY_PAT_VA + j * PAGE_SIZE;
    uint32_t want = fs->pages[cs->rotations % FUZZ_NOPICK].ppn, wcap = 0;
    int32_t ppn = -1;

    if (want < fs->npages && AEGIS_EXPOSED->pages[want].owner == OWNER_FREE)
        ppn = sys_page_alloc((int32_t)want, &wcap);
    if (ppn >= 0)
        cs->reused++;
    else
        ppn = sys_page_alloc(-1, &wcap);
    cs->rotations++;
    if (ppn < 0)
        return;
    if (sys_guarantee(0, cs->slot0 + j, va, (uint32_t)ppn, wcap, TLBF_WRITE) != 0) {
        sys_page_free((uint32_t)ppn);
        return;
    }
    canary_fill(va, va + PAGE_SIZE);
    sys_page_free(cs->pat_ppn[j]);
    cs->pat_ppn[j] = (uint32_t)ppn;
}

/* One pass over its memory (called by canary_loop between register
 * checks), then the heartbeat; every eighth pass swaps a page. */
FUZZ_CHILD void canary_pages(void)
{
    struct canary_state *cs = CS;
    uint32_t ticks = AEGIS_EXPOSED->stats.ticks;

    canary_check(cs, CANARY_PAT_VA, CANARY_PAT_VA + CANARY_NPAT * PAGE_SIZE);
    canary_check(cs, EXOS_XF_VA + CANARY_XF_SKIP, EXOS_XF_VA + PAGE_SIZE);
    canary_check(cs, CHILD_STACK, CHILD_STACK + CANARY_STACK_PAT);
    if (AEGIS_EXPOSED->stats.ticks != ticks)
        cs->preempted++;            /* we were interrupted, and resumed */
    if ((cs->heartbeat & 7) == 7)
        canary_rotate(cs, (cs->heartbeat >> 3) % CANARY_NPAT);
    cs->heartbeat++;
}

#define CN_STR_(x) #x
#define CN_STR(x) CN_STR_(x)

/* Register n's value (its number in the second byte), and one check of
 * it: on a mismatch, canary_bad_reg(which, value). */
#define CN_VAL(n)   "0xca" #n "0a5a"
#define CN_CHK(reg, n)                                                  \
    "   li    $at, " CN_VAL(n) "\n"                                     \
    "   beq   " reg ", $at, 1f\n"                                       \
    "   li    $a0, 0x" #n "\n"                                          \
    "   jal   canary_bad_reg\n"                                         \
    "   move  $a1, " reg "\n"                                           \
    "1:\n"
/* FPU register n (two hex digits) holds 0xf0NN0f0f; its number is 32 + n. */
#define CN_FSET(n)  "   li    $t1, 0xf0" #n "0f0f\n   mtc1  $t1, $f" CN_DEC_##n "\n"
#define CN_FCHK(n)                                                      \
    "   mfc1  $t0, $f" CN_DEC_##n "\n"                                  \
    "   li    $at, 0xf0" #n "0f0f\n"                                    \
    "   beq   $t0, $at, 1f\n"                                           \
    "   li    $a0, 0x" #n " + 32\n"                                     \
    "   jal   canary_bad_reg\n"                                         \
    "   move  $a1, $t0\n"                                               \
    "1:\n"
#define CN_DEC_00 "0"
#define CN_DEC_01 "1"
#define CN_DEC_02 "2"
#define CN_DEC_03 "3"
#define CN_DEC_04 "4"
#define CN_DEC_05 "5"
#define CN_DEC_06 "6"
#define CN_DEC_07 "7"
#define CN_DEC_08 "8"
#define CN_DEC_09 "9"
#define CN_DEC_0a "10"
#define CN_DEC_0b "11"
#define CN_DEC_0c "12"
#define CN_DEC_0d "13"
#define CN_DEC_0e "14"
#define CN_DEC_0f "15"
#define CN_DEC_10 "16"
#define CN_DEC_11 "17"
#define CN_DEC_12 "18"
#define CN_DEC_13 "19"
#define CN_DEC_14 "20"
#define CN_DEC_15 "21"
#define CN_DEC_16 "22"
#define CN_DEC_17 "23"
#define CN_DEC_18 "24"
#define CN_DEC_19 "25"
#define CN_DEC_1a "26"
#define CN_DEC_1b "27"
#define CN_DEC_1c "28"
#define CN_DEC_1d "29"
#define CN_DEC_1e "30"
#define CN_DEC_1f "31"
#define CN_ALL_FPR(m) m(00) m(01) m(02) m(03) m(04) m(05) m(06) m(07) m(08) m(09) \
    m(0a) m(0b) m(0c) m(0d) m(0e) m(0f) m(10) m(11) m(12) m(13) m(14) m(15) m(16) \
    m(17) m(18) m(19) m(1a) m(1b) m(1c) m(1d) m(1e) m(1f)
#define CN_FCSR     "0x00000003"    /* rounding toward minus infinity: not the default */
#define CN_SP       "0x10010fc0"    /* CHILD_STACK + 4096 - 64 */
_Static_assert(CHILD_STACK + PAGE_SIZE - 64 == 0x10010fc0, "canary_loop's stack");

/*
 * The loop, which never returns: load the registers (again after any
 * damage), then forever: a system call that lets everyone else run
 * (SYS_YIELD -1), check every register, check the memory (canary_pages, C:
 * it preserves the callee-saved registers like any function), and go on.
 * The register numbers in the values (0xcaNN0a5a) are hexadecimal.
 */
void canary_loop(void) __attribute__((noreturn));
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n   .set noat\n"
    "   .set oddspreg\n"               /* $f1, $f3...: the kernel runs us with FR = 0 */
    "canary_loop:\n"
    "   li    $sp, " CN_SP "\n"
    "   li    $t0, " CN_STR(CANARY_VA) "\n"
    "   sw    $0, " CN_STR(CS_DAMAGED) "($t0)\n"
    "   li    $s0, " CN_VAL(10) "\n   li    $s1, " CN_VAL(11) "\n"
    "   li    $s2, " CN_VAL(12) "\n   li    $s3, " CN_VAL(13) "\n"
    "   li    $s4, " CN_VAL(14) "\n   li    $s5, " CN_VAL(15) "\n"
    "   li    $s6, " CN_VAL(16) "\n   li    $s7, " CN_VAL(17) "\n"
    "   li    $gp, " CN_VAL(1c) "\n   li    $fp, " CN_VAL(1e) "\n"
    CN_ALL_FPR(CN_FSET)
    "   li    $t1, " CN_FCSR "\n"
    "   ctc1  $t1, $31\n"
    "2: li    $ra, " CN_VAL(1f) "\n"
    "   li    $a0, -1\n"
    "   li    $v0, " CN_STR(SYS_YIELD) "\n"
    "   syscall\n"
    CN_CHK("$ra", 1f)
    CN_CHK("$s0", 10) CN_CHK("$s1", 11) CN_CHK("$s2", 12) CN_CHK("$s3", 13)
    CN_CHK("$s4", 14) CN_CHK("$s5", 15) CN_CHK("$s6", 16) CN_CHK("$s7", 17)
    CN_CHK("$gp", 1c) CN_CHK("$fp", 1e)
    "   li    $at, " CN_SP "\n"
    "   beq   $sp, $at, 1f\n"
    "   li    $a0, 0x1d\n"
    "   jal   canary_bad_reg\n"
    "   move  $a1, $sp\n"
    "1:\n"
    CN_ALL_FPR(CN_FCHK)
    "   cfc1  $t0, $31\n"
    "   li    $at, " CN_FCSR "\n"
    "   beq   $t0, $at, 1f\n"
    "   li    $a0, 64\n"
    "   jal   canary_bad_reg\n"
    "   move  $a1, $t0\n"
    "1: jal   canary_pages\n"
    "   nop\n"
    "   li    $t0, " CN_STR(CANARY_VA) "\n"
    "   lw    $t1, " CN_STR(CS_DAMAGED) "($t0)\n"
    "   bnez  $t1, canary_loop\n"
    "   nop\n"
    "   b     2b\n"
    "   nop\n"
    "   .set pop\n   .text\n");

/*
 * The canary's exception handler, in the style of ExOS's entry: no stack,
 * the frame page (0x1000, $zero-relative) as the save area.  A
 * coprocessor-unusable exception means another environment took the FPU:
 * take it back (SYS_FPU), re-arm, and run the instruction again (EPC; a
 * fault in a delay slot reruns the branch too, which is right).  Anything
 * else must not happen: it is recorded as damage and the canary exits.
 * Save area: 0x1028 at, 0x102c v0, 0x1030 v1, 0x1034.. a0-a3, 0x1044.. t0-t9,
 * 0x106c the resume address (all below CANARY_XF_SKIP).
 */
void canary_handler(void);
#define CN_SAVE(op) \
    "   " op " $v0, 0x102c($0)\n   " op " $v1, 0x1030($0)\n"                   \
    "   " op " $a0, 0x1034($0)\n   " op " $a1, 0x1038($0)\n"                   \
    "   " op " $a2, 0x103c($0)\n   " op " $a3, 0x1040($0)\n"                   \
    "   " op " $t0, 0x1044($0)\n   " op " $t1, 0x1048($0)\n"                   \
    "   " op " $t2, 0x104c($0)\n   " op " $t3, 0x1050($0)\n"                   \
    "   " op " $t4, 0x1054($0)\n   " op " $t5, 0x1058($0)\n"                   \
    "   " op " $t6, 0x105c($0)\n   " op " $t7, 0x1060($0)\n"                   \
    "   " op " $t8, 0x1064($0)\n   " op " $t9, 0x1068($0)\n"
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n   .set noat\n"
    "canary_handler:\n"
    "   sw    $at, 0x1028($0)\n"
    CN_SAVE("sw")
    "   li    $t0, " CN_STR(CANARY_VA) "\n"
    "   lw    $t1, 0x1004($0)\n"                    /* XF_CAUSE */
    "   srl   $t1, $t1, 2\n"
    "   andi  $t1, $t1, 0x1f\n"
    "   li    $t2, 11\n"                            /* EXC_CPU */
    "   bne   $t1, $t2, 3f\n"
    "   nop\n"
    "   lw    $t1, " CN_STR(CS_FPU_FAULTS) "($t0)\n"
    "   addiu $t1, $t1, 1\n"
    "   sw    $t1, " CN_STR(CS_FPU_FAULTS) "($t0)\n"
    "   li    $v0, " CN_STR(SYS_FPU) "\n"
    "   syscall\n"
    "   la    $at, canary_handler\n"
    "   sw    $at, 0x100c($0)\n"                    /* XF_HANDLER: re-armed */
    "   lw    $at, 0x1000($0)\n"                    /* XF_EPC: run it again */
    "   sw    $at, 0x106c($0)\n"
    CN_SAVE("lw")
    "   lw    $at, 0x106c($0)\n"
    "   jr    $at\n"
    "   lw    $at, 0x1028($0)\n"
    "3: lw    $t1, 0x1004($0)\n"
    "   sw    $t1, " CN_STR(CS_EXC_CAUSE) "($t0)\n"
    "   lw    $t1, 0x1000($0)\n"
    "   sw    $t1, " CN_STR(CS_EXC_EPC) "($t0)\n"
    "   lw    $t1, 0x1008($0)\n"
    "   sw    $t1, " CN_STR(CS_EXC_BADVA) "($t0)\n"
    "   li    $a0, 0\n"
    "   li    $a1, " CN_STR(CANARY_EXIT_EXC) "\n"
    "   li    $v0, " CN_STR(SYS_ENV_DESTROY) "\n"
    "   syscall\n"
    "   break 7\n"
    "   .set pop\n   .text\n");

/* Where the parent starts it: frame, refusals, pattern pages, the loop. */
FUZZ_CHILD void canary_boot(uint32_t arg)
{
    struct canary_state *cs = CS;
    volatile struct xframe *xf = (struct xframe *)EXOS_XF_VA;
    (void)arg;

    if (sys_xframe(EXOS_XF_VA) != 0) {
        cs->ready = 2;
        sys_env_destroy(0, 2);
    }
    xf->pct_entry = 0;              /* refuse every PCT: nobody runs our code */
    xf->upcall = 0;
    xf->handler = (uint32_t)canary_handler;
    for (uint32_t j = 0; j < CANARY_NPAT; j++) {
        uint32_t wcap = 0, va = CANARY_PAT_VA + j * PAGE_SIZE;
        int32_t ppn = sys_page_alloc(-1, &wcap);
        if (ppn < 0 || sys_guarantee(0, cs->slot0 + j, va, (uint32_t)ppn, wcap, TLBF_WRITE) != 0) {
            cs->ready = 3;
            sys_env_destroy(0, 3);
        }
        cs->pat_ppn[j] = (uint32_t)ppn;
        canary_fill(va, va + PAGE_SIZE);
    }
    canary_fill(EXOS_XF_VA + CANARY_XF_SKIP, EXOS_XF_VA + PAGE_SIZE);
    canary_fill(CHILD_STACK, CHILD_STACK + CANARY_STACK_PAT);
    cs->ready = 1;
    canary_loop();
}

#endif /* USERLAND_CANARY_H */
