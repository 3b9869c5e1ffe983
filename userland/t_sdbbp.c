/*
 * t_sdbbp - a program's `sdbbp` comes back to it as a Reserved Instruction
 * exception at the sdbbp, in user mode, and the machine runs on.
 *
 * `sdbbp` is the EJTAG debug breakpoint, and it is not privileged: on this
 * CPU it puts the whole machine in debug mode (kernel privileges, no
 * interrupts) at a vector in the boot ROM.  aegis/debugvec.c brings it back
 * (docs/sdbbp.md).  Without it this test sees an EPC in the boot ROM, says
 * so and stops: the CPU would still be in debug mode.  The last check
 * needs hostile.c's "sdbbp" mode.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "exos.h"
#include "mips.h"
#include "proc.h"
#include "tap.h"

static volatile uint32_t ri_count, ri_epc, ri_cause, ri_word, adel_count;

/* Records the Reserved Instruction and skips it, unless it did not come
 * from this program: then the CPU is still in debug mode, in the boot
 * ROM, and nothing after this point would mean anything. */
static void on_ri(struct exos_frame *f)
{
    ri_count++;
    ri_epc = f->epc;
    ri_cause = f->cause;
    if (f->epc >= USER_TOP) {
        check(0, "sdbbp comes back to the program", "RI with epc %08lx, in the boot ROM: "
              "the CPU is still in debug mode", (unsigned long)f->epc);
        exit(tap_done());
    }
    ri_word = *(uint32_t *)(f->cause & CAUSE_BD ? f->epc + 4 : f->epc);
    exos_skip(f);
}

static void on_adel(struct exos_frame *f)
{
    adel_count++;
    exos_skip(f);
}

int main(void)
{
    uint32_t at, taken, t0, v = 0;

    exos_on_exception(EXC_RI, on_ri);
    exos_on_exception(EXC_ADEL, on_adel);

    __asm__ volatile(".set push\n .set noreorder\n"
                     "   la    %0, 1f\n"
                     "1: sdbbp 5\n"
                     "   nop\n .set pop" : "=&r"(at));
    check(ri_count == 1, "sdbbp comes back to the program", "%lu exceptions", (unsigned long)ri_count);
    check(((ri_cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT) == EXC_RI && !(ri_cause & CAUSE_BD),
          "as a Reserved Instruction, not in a delay slot", "cause %08lx", (unsigned long)ri_cause);
    check(ri_epc == at && ri_word == 0x7000017f, "EPC is the sdbbp itself",
          "epc %08lx (want %08lx), word %08lx", (unsigned long)ri_epc, (unsigned long)at,
          (unsigned long)ri_word);

    /* Debug mode would have left us with kernel privileges: a load from
     * kernel space must still be refused. */
    __asm__ volatile("lw %0, 0(%1)\n\tnop" : "=r"(v) : "r"(0x80000000u));
    check(adel_count == 1, "user mode again: a load from kernel space is an AdEL",
          "%lu AdEL", (unsigned long)adel_count);

    /* ...and with no timer interrupts: the clock must still tick while we
     * spin (two 10 ms ticks take 20 million instructions; allow 80). */
    t0 = AEGIS_EXPOSED->stats.ticks;
    for (volatile uint32_t i = 0; i < 20000000 && AEGIS_EXPOSED->stats.ticks - t0 < 2; i++)
        ;
    check(AEGIS_EXPOSED->stats.ticks - t0 >= 2, "interrupts again: the timer ticks while we spin",
          "%lu ticks", (unsigned long)(AEGIS_EXPOSED->stats.ticks - t0));

    /* In a taken branch's delay slot: EPC is the branch, Cause.BD is set,
     * and skipping resumes at the branch target. */
    ri_count = 0;
    __asm__ volatile(".set push\n .set noreorder\n"
                     "   li    %0, 0\n"
                     "   la    %1, 2f\n"
                     "2: beq   $0, $0, 3f\n"
                     "   sdbbp 6\n"
                     "   li    %0, 1\n"         /* skipped: the branch is taken */
                     "3: nop\n .set pop" : "=&r"(taken), "=&r"(at));
    check(ri_count == 1 && (ri_cause & CAUSE_BD) && ri_epc == at && ri_word == 0x700001bf &&
          taken == 0, "sdbbp in a taken branch's delay slot: BD, resumes at the target",
          "count %lu cause %08lx epc %08lx word %08lx taken %lu", (unsigned long)ri_count,
          (unsigned long)ri_cause, (unsigned long)ri_epc, (unsigned long)ri_word,
          (unsigned long)taken);
    /* An untaken one (not "bne $0, $0": QEMU drops the delay slot of a
     * branch that can never be taken). */
    __asm__ volatile(".set push\n .set noreorder\n"
                     "   li    %0, 0\n"
                     "   bne   %1, $0, 4f\n"
                     "   sdbbp 6\n"
                     "   li    %0, 1\n"         /* falls through to here */
                     "4: nop\n .set pop" : "=&r"(taken) : "r"(0));
    check(ri_count == 2 && (ri_cause & CAUSE_BD) && taken == 1,
          "sdbbp in an untaken branch's delay slot: falls through", "count %lu taken %lu",
          (unsigned long)ri_count, (unsigned long)taken);

    /* Registers survive the trip through the boot ROM and back. */
    uint32_t a = 0x1234, b = 0x5678, c = 0x9abc, d = 0xdef0;
    __asm__ volatile("sdbbp 7\n\tnop" : "+r"(a), "+r"(b), "+r"(c), "+r"(d));
    check(a == 0x1234 && b == 0x5678 && c == 0x9abc && d == 0xdef0,
          "registers survive a sdbbp", "-");

    /* Many in a row: each one leaves debug mode again. */
    ri_count = 0;
    for (int i = 0; i < 1000; i++)
        __asm__ volatile("sdbbp 8\n\tnop");
    check(ri_count == 1000, "1000 sdbbps, 1000 Reserved Instructions", "%lu",
          (unsigned long)ri_count);

    /* A program whose handler is disarmed cannot take it: the kernel
     * destroys it (hostile.c), and everybody else runs on, in user mode. */
    int st = -1, pid = exos_spawn("hostile", (char *[]){ "hostile", "sdbbp", NULL });
    check(pid > 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGILL,
          "a program that cannot take it is destroyed (SIGILL)", "pid %d status %#x", pid, st);
    __asm__ volatile("lw %0, 0(%1)\n\tnop" : "=r"(v) : "r"(0x80000000u));
    check(adel_count == 2, "and we are still in user mode", "%lu AdEL", (unsigned long)adel_count);
    return tap_done();
}
