/*
 * trap.c - what the kernel does with its own exceptions: interrupts are
 * dispatched, everything else is a kernel bug and panics with the registers.
 */
#include <stddef.h>

#include "trap.h"

#include "debugvec.h"
#include "env.h"
#include "exception.h"
#include "exposed.h"
#include "mips.h"
#include "panic.h"
#include "sched.h"
#include "syscall.h"
#include "timer.h"

static const char *const names[EXC_NCODES] = {
    [EXC_INT] = "Int",   [EXC_MOD] = "Mod",   [EXC_TLBL] = "TLBL",
    [EXC_TLBS] = "TLBS", [EXC_ADEL] = "AdEL", [EXC_ADES] = "AdES",
    [EXC_IBE] = "IBE",   [EXC_DBE] = "DBE",   [EXC_SYS] = "Sys",
    [EXC_BP] = "Bp",     [EXC_RI] = "RI",     [EXC_CPU] = "CpU",
    [EXC_OV] = "Ov",     [EXC_TR] = "Tr",     [EXC_FPE] = "FPE",
    [EXC_WATCH] = "WATCH", [EXC_MCHECK] = "MCheck",
};

const char *exc_name(unsigned code)
{
    if (code < EXC_NCODES && names[code] != 0)
        return names[code];
    return "reserved";
}

/* Services every pending, enabled interrupt.  Only the timer is enabled. */
static void interrupt(struct trapframe *tf, int vector)
{
    uint32_t pending = tf->cause & tf->status & (0xffu << CAUSE_IP_SHIFT);

    if (pending & CAUSE_IP(TIMER_IRQ)) {
        timer_interrupt();
        kexposed.stats.ticks++;
    } else {
        panic_trap(tf, vector, "interrupt with no handler");
    }
}

void trap(struct trapframe *tf, int vector)
{
    unsigned code = (tf->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;

    if (code == EXC_INT)
        interrupt(tf, vector);
    else
        panic_trap(tf, vector, "unexpected exception in the kernel");
}

void user_trap(int entry)
{
    struct env *e = env_current();
    struct trapframe *tf = &e->tf;

    /* It is running, so it is not waiting on a PCT it made, and its saved
     * registers are now current (sched.c relies on both).  (A PCT may have
     * brought it here without the C code knowing; EntryHi holds its ASID
     * all the same, which is all the TLB module needs: tlb.c.) */
    e->xf->donate = 0;
    switch (entry) {
    case ENTRY_SYSCALL:
        syscall(e, tf);
        break;
    case ENTRY_INTERRUPT:
        interrupt(tf, VEC_INTERRUPT);
        sched_tick();               /* the slice, or the grace, is over */
        break;
    case ENTRY_TLBMISS:
        exception_tlb_miss(e, tf);
        break;
    default:
        debugvec_check(e, tf);      /* a sdbbp left the CPU in debug mode */
        exception_deliver(e, tf);
        break;
    }
    if (env_current() == NULL || env_current()->info->state != ENV_RUNNABLE)
        sched_run();
    env_return();
}
