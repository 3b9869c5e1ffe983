/*
 * fpu.h - the floating-point unit, switched lazily.
 *
 * The FPU's 32 registers are state the kernel would have to save at every
 * switch; most environments never touch them.  So no environment runs with
 * the FPU enabled (Status.CU1) unless it owns it.  Its first floating-point
 * instruction raises a coprocessor-unusable exception, which is delivered
 * to the environment like any other: ExOS answers it with SYS_FPU, and only
 * then does the kernel save the previous owner's registers and load the
 * caller's.  An environment that never uses the FPU pays nothing; one that
 * wants to emulate or count floating point handles the exception itself.
 */
#ifndef AEGIS_FPU_H
#define AEGIS_FPU_H

#include <stdint.h>

struct env;

/* An environment's FPU registers, while it does not own the FPU. */
struct fpu_state {
    uint32_t fpr[32];       /* $f0..$f31 (Status.FR = 0: 32 32-bit registers) */
    uint32_t fcsr;
};

/* Gives the FPU to e (SYS_FPU). */
void fpu_acquire(struct env *e);

/* e is going away: its registers need no saving. */
void fpu_forget(struct env *e);

#endif /* AEGIS_FPU_H */
