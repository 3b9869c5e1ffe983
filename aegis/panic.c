/*
 * panic.c - the kernel's last words (see panic.h).
 */
#include "panic.h"

#include "board.h"
#include "mips.h"
#include "printf.h"

static const char *const regnames[32] = {
    "zero", "at", "v0", "v1", "a0", "a1", "a2", "a3",
    "t0",   "t1", "t2", "t3", "t4", "t5", "t6", "t7",
    "s0",   "s1", "s2", "s3", "s4", "s5", "s6", "s7",
    "t8",   "t9", "k0", "k1", "gp", "sp", "s8", "ra",
};

void panic(const char *fmt, ...)
{
    va_list ap;

    /* Interrupts off: nothing may run after the kernel has given up. */
    mtc0(C0_STATUS, 0, mfc0(C0_STATUS, 0) & ~ST_IE);
    kprintf("\nPANIC: ");
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    kprintf("\n");
    board_halt();
}

void panic_trap(const struct trapframe *tf, int vector, const char *why)
{
    unsigned code = (tf->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;

    kprintf("\nPANIC: %s\n", why);
    kprintf("  exception %s (code %u) via the %s vector%s\n", exc_name(code),
            code, vector == VEC_REFILL ? "TLB refill" : "general",
            (tf->cause & CAUSE_BD) ? ", in a branch delay slot" : "");
    kprintf("  epc %08x  badvaddr %08x  cause %08x  status %08x\n",
            tf->epc, tf->badvaddr, tf->cause, tf->status);
    kprintf("  hi  %08x  lo       %08x\n", tf->hi, tf->lo);
    for (int i = 0; i < 32; i += 4)
        kprintf("  %-4s %08x  %-4s %08x  %-4s %08x  %-4s %08x\n",
                regnames[i], tf->regs[i], regnames[i + 1], tf->regs[i + 1],
                regnames[i + 2], tf->regs[i + 2], regnames[i + 3], tf->regs[i + 3]);
    kprintf("  (k0 and k1 hold the exception entry's scratch values)\n");
    board_halt();
}
