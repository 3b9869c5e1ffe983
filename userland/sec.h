/*
 * sec.h - pieces the hostile tests (t_sec_*.c) share: a way for an ExOS
 * program to make a protected control transfer and be transferred back to,
 * an exception handler for raw children that records and skips, and the
 * clock read as raw children can use it.
 *
 * Each t_sec_* program checks one promise of the kernel (docs/security.md,
 * issue 12) by attacking it as a hostile environment would, and says "not
 * ok" when the attack works.  Where the broken kernel would let the attack
 * run on for ever, the test bounds its own wait and reports the failure
 * instead of hanging.
 *
 * It defines (not only declares) pct_call and sec_handler: include it from
 * one file per program, as every t_*.c is.
 */
#ifndef USERLAND_SEC_H
#define USERLAND_SEC_H

#include <stdint.h>

#include "child.h"

/* The clock (Count: 1 tick = 6 instructions under -icount).  Inlined, so
 * that raw children may use it: they have no copy of the program's .text. */
static inline __attribute__((always_inline)) uint32_t sec_count(void)
{
    uint32_t c;
    __asm__ volatile(".set push\n\t.set mips32r2\n\trdhwr %0, $2\n\t.set pop" : "=r"(c));
    return c;
}

/*
 * int32_t pct_call(uint32_t target, uint32_t sync)
 *
 * A protected control transfer to target (SYS_PCT_SYNC if sync, else
 * SYS_PCT_ASYNC) from C.  The kernel saves nothing and does not come back:
 * we come back when some environment transfers to our own PCT entry (label
 * 1 below; ExOS's frame is at 0x1000, so xframe.pct_entry is 0x1010 and
 * donate 0x1014).  Whoever enters us there left sp, gp and the callee-saved
 * registers as it liked, so ours wait on our stack and sp in pct_call_sp.
 * Returns the envid that transferred back (> 0), or the kernel's error if
 * the transfer was refused.  Between the two, our own slices find us at
 * ExOS's upcall entry, which gives them back until we are called.
 */
int32_t pct_call(uint32_t target, uint32_t sync);
uint32_t pct_call_sp;
__asm__(
    "   .text\n   .set push\n   .set noreorder\n   .set noat\n"
    "pct_call:\n"
    "   addiu $sp, $sp, -48\n"
    "   sw $s0, 0($sp)\n   sw $s1, 4($sp)\n   sw $s2, 8($sp)\n   sw $s3, 12($sp)\n"
    "   sw $s4, 16($sp)\n  sw $s5, 20($sp)\n  sw $s6, 24($sp)\n  sw $s7, 28($sp)\n"
    "   sw $ra, 32($sp)\n  sw $fp, 36($sp)\n  sw $gp, 40($sp)\n"
    "   la $at, pct_call_sp\n   sw $sp, 0($at)\n"
    "   la $at, 1f\n   sw $at, 0x1010($0)\n"    /* open our entry */
    "   move $v1, $a0\n"
    "   sltu $v0, $0, $a1\n"                    /* 1: SYS_PCT_SYNC, 0: ASYNC */
    "   syscall\n"
    "   b 2f\n   nop\n"                         /* refused: v0 = -E_xxx */
    "1: sw $0, 0x1014($0)\n"                    /* entered again: donate no more */
    "   la $at, pct_call_sp\n   lw $sp, 0($at)\n"
    "   move $v0, $v1\n"                        /* who transferred to us */
    "2: sw $0, 0x1010($0)\n"                    /* refuse transfers again */
    "   lw $s0, 0($sp)\n   lw $s1, 4($sp)\n   lw $s2, 8($sp)\n   lw $s3, 12($sp)\n"
    "   lw $s4, 16($sp)\n  lw $s5, 20($sp)\n  lw $s6, 24($sp)\n  lw $s7, 28($sp)\n"
    "   lw $ra, 32($sp)\n  lw $fp, 36($sp)\n  lw $gp, 40($sp)\n"
    "   jr $ra\n   addiu $sp, $sp, 48\n"
    "   .set pop\n");
_Static_assert(SYS_PCT_SYNC == 1 && SYS_PCT_ASYNC == 0 && XF_PCT == 16 && XF_DONATE == 20,
               "pct_call's constants");

/*
 * A raw child's exception handler: no stack, only $at, saved in its frame
 * page (page 1).  It records Cause (0x1034) and BadVAddr (0x1038), counts
 * (0x1030), skips the faulting instruction (callers never fault in a delay
 * slot: every probe is followed by a nop), re-arms and resumes.  A child
 * arms it with sec_arm().
 */
#define SEC_REC_COUNT   ((XF_USER + 8) / 4)
#define SEC_REC_CAUSE   ((XF_USER + 12) / 4)
#define SEC_REC_BAD     ((XF_USER + 16) / 4)
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n   .set noat\n"
    "sec_handler:\n"
    "   sw    $at, 0x1028($0)\n"
    "   lw    $at, 0x1004($0)\n"        /* XF_CAUSE */
    "   sw    $at, 0x1034($0)\n"
    "   lw    $at, 0x1008($0)\n"        /* XF_BADVADDR */
    "   sw    $at, 0x1038($0)\n"
    "   lw    $at, 0x1030($0)\n"
    "   addiu $at, $at, 1\n"
    "   sw    $at, 0x1030($0)\n"
    "   lw    $at, 0x1000($0)\n"        /* XF_EPC + 4 */
    "   addiu $at, $at, 4\n"
    "   sw    $at, 0x102c($0)\n"
    "   la    $at, sec_handler\n"       /* re-arm */
    "   sw    $at, 0x100c($0)\n"
    "   lw    $at, 0x102c($0)\n"
    "   jr    $at\n"
    "   lw    $at, 0x1028($0)\n"
    "   .set pop\n   .text\n");
void sec_handler(void);
_Static_assert(XF_USER == 40 && XF_EPC == 0 && XF_CAUSE == 4 && XF_BADVADDR == 8 &&
               XF_HANDLER == 12, "sec_handler's offsets");

/* The child's frame page, as words. */
#define SEC_XF ((volatile uint32_t *)EXOS_XF_VA)

/* Registers the child's frame and arms sec_handler: 0 or the error. */
static inline __attribute__((always_inline)) int32_t sec_arm(void)
{
    int32_t r = sys_xframe(EXOS_XF_VA);
    if (r == 0)
        SEC_XF[XF_HANDLER / 4] = (uint32_t)sec_handler;
    return r;
}

/*
 * A server's body: registers the child's frame, declares entry (an
 * assembly stub) its PCT entry, says so through *ready, and then only ever
 * gives the CPU away: it runs when transferred to.
 */
static inline __attribute__((always_inline, noreturn)) void sec_serve(void (*entry)(void),
                                                                     volatile uint32_t *ready)
{
    if (sys_xframe(EXOS_XF_VA) == 0) {
        SEC_XF[XF_PCT / 4] = (uint32_t)entry;
        *ready = 1;
    }
    for (;;)
        sys_yield(-1);
}

/* ExcCode of a Cause value. */
#define SEC_EXC(cause)  (((cause) >> 2) & 31)

#endif /* USERLAND_SEC_H */
