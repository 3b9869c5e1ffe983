/*
 * t_exceptions - exceptions delivered to the program's own handlers, and
 * resumed by them, including the branch-delay-slot case.
 */
#include <stdint.h>

#include "exos.h"
#include "mips.h"
#include "tap.h"

static volatile uint32_t seen[32], last_bd;

/* Records the exception and skips the faulting instruction. */
static void skip(struct exos_frame *f)
{
    seen[(f->cause >> 2) & 31]++;
    last_bd = f->cause & CAUSE_BD;
    exos_skip(f);
}

/* A handler that itself takes an exception (a breakpoint): nesting. */
static volatile int nested_depth;
static void nesting(struct exos_frame *f)
{
    nested_depth++;
    if (nested_depth == 1)
        __asm__ volatile("break 9");
    seen[EXC_TR]++;
    exos_skip(f);
}

int main(void)
{
    static uint32_t words[2] = { 0x11223344, 0x55667788 };
    uint32_t v = 0, taken = 0, link = 0;

    for (unsigned c = EXC_ADEL; c <= EXC_TR; c++)
        if (c != EXC_SYS)
            exos_on_exception(c, skip);

    __asm__ volatile("break 1\n\tnop");
    check(seen[EXC_BP] == 1 && !last_bd, "break: delivered, skipped", "%lu", (unsigned long)seen[EXC_BP]);
    __asm__ volatile("lw %0, 1(%1)\n\tnop" : "=r"(v) : "r"(words));
    check(seen[EXC_ADEL] == 1, "unaligned load: AdEL delivered", "-");
    __asm__ volatile("sw %0, 2(%1)\n\tnop" :: "r"(v), "r"(words) : "memory");
    check(seen[EXC_ADES] == 1 && words[0] == 0x11223344, "unaligned store: AdES, memory untouched", "-");
    __asm__ volatile("add %0, %1, %1\n\tnop" : "=r"(v) : "r"(0x40000000));
    check(seen[EXC_OV] == 1, "signed overflow: Ov delivered", "-");
    __asm__ volatile("teq $0, $0\n\tnop");
    check(seen[EXC_TR] == 1, "trap instruction: Tr delivered", "-");
    __asm__ volatile(".word 0x7c00003b\n\tnop");    /* rdhwr $0, $0: not enabled */
    check(seen[EXC_RI] == 1, "reserved instruction: RI delivered", "-");

    /* Delay slots: a taken branch, an untaken one, and a jal. */
    __asm__ volatile(".set push\n .set noreorder\n"
                     "   li    %0, 0\n"
                     "   beq   $0, $0, 1f\n"
                     "   break 2\n"             /* faults in the delay slot */
                     "   li    %0, 1\n"         /* skipped: the branch is taken */
                     "1: nop\n .set pop" : "=r"(taken));
    check(last_bd && taken == 0, "fault in a taken branch's delay slot: resumes at the target",
          "bd %lu taken %lu", (unsigned long)last_bd, (unsigned long)taken);
    /* (Not "bne $0, $0": QEMU translates a branch that compares a register
     * with itself as a plain nop, without a delay slot.) */
    __asm__ volatile(".set push\n .set noreorder\n"
                     "   li    %0, 0\n"
                     "   bne   %1, $0, 1f\n"
                     "   break 2\n"
                     "   li    %0, 1\n"         /* falls through to here */
                     "1: nop\n .set pop" : "=&r"(taken) : "r"(0));
    check(last_bd && taken == 1, "fault in an untaken branch's delay slot: falls through",
          "bd %lu taken %lu", (unsigned long)last_bd, (unsigned long)taken);
    __asm__ volatile(".set push\n .set noreorder\n"
                     "   move  $t0, $ra\n"
                     "   jal   1f\n"
                     "   break 2\n"
                     "1: move  %0, $ra\n"
                     "   move  $ra, $t0\n"
                     " .set pop" : "=r"(link) :: "t0");
    check(last_bd && link != 0, "fault in a jal's delay slot: target reached, link written",
          "bd %lu link %08lx", (unsigned long)last_bd, (unsigned long)link);

    /* Registers survive a round trip through the handler. */
    uint32_t a = 0x1234, b = 0x5678, c = 0x9abc, d = 0xdef0;
    __asm__ volatile("break 3\n\tnop" : "+r"(a), "+r"(b), "+r"(c), "+r"(d));
    check(a == 0x1234 && b == 0x5678 && c == 0x9abc && d == 0xdef0,
          "registers survive an exception", "-");

    /* The fast class: a break skipped in assembly, every register as it was
     * ($at included); one in a delay slot goes to the full path, which
     * emulates the branch. */
    exos_skip_fast(EXC_BP);
    uint32_t r_at = 0, r_t9 = 0, r_hi = 0;
    __asm__ volatile(".set push\n .set noat\n .set noreorder\n"
                     "   li    $1, 0x5a5a1234\n"
                     "   li    $25, 0x0badf00d\n"
                     "   mthi  $25\n"
                     "   break 4\n"
                     "   move  %0, $1\n"
                     "   move  %1, $25\n"
                     "   mfhi  %2\n"
                     " .set pop" : "=r"(r_at), "=r"(r_t9), "=r"(r_hi) :: "$1", "t9", "hi");
    check(r_at == 0x5a5a1234 && r_t9 == 0x0badf00d && r_hi == 0x0badf00d,
          "fast class: break skipped, $at, t9 and hi intact", "at %08lx t9 %08lx hi %08lx",
          (unsigned long)r_at, (unsigned long)r_t9, (unsigned long)r_hi);
    __asm__ volatile(".set push\n .set noreorder\n"
                     "   li    %0, 0\n"
                     "   beq   $0, $0, 1f\n"
                     "   break 5\n"            /* in the delay slot: the full path */
                     "   li    %0, 1\n"         /* skipped: the branch is taken */
                     "1: nop\n .set pop" : "=r"(taken));
    check(taken == 0, "fast class, fault in a taken branch's delay slot: resumes at the target",
          "taken %lu", (unsigned long)taken);
    exos_on_exception(EXC_BP, skip);

    /* A handler that faults: the exception nests and both complete. */
    exos_on_exception(EXC_TR, nesting);
    seen[EXC_TR] = 0;
    __asm__ volatile("teq $0, $0\n\tnop");
    check(nested_depth == 1 && seen[EXC_TR] == 1 && seen[EXC_BP] >= 6,
          "an exception inside a handler nests and both resume", "depth %d", nested_depth);
    return tap_done();
}
