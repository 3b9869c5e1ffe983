/*
 * debugvec.h - getting back from EJTAG debug mode after a user `sdbbp`.
 *
 * On the 24K, `sdbbp` is legal in user mode and enters debug mode through
 * the boot ROM's debug vector, which the kernel cannot change.  Under
 * QEMU's -kernel boot loader that vector runs into a reserved instruction,
 * which arrives at the kernel's general vector as an ordinary exception of
 * the environment, but with the CPU still in debug mode.  debugvec.c
 * notices, leaves debug mode, and rewrites the exception so that it
 * reads like a Reserved Instruction at the `sdbbp`.  docs/sdbbp.md tells the
 * whole story, with what QEMU does and what cannot be done.
 */
#ifndef AEGIS_DEBUGVEC_H
#define AEGIS_DEBUGVEC_H

#include <stdint.h>

#include "env.h"

/* Checks, once at boot, that the boot ROM's debug vector leads back to the
 * kernel (see debugvec.c); warns on the console when it does not. */
void debugvec_init(void);

/* Called for an exception an environment raised that the fast path did
 * not deliver.  If the CPU is in debug mode, leaves it and makes tf
 * describe the `sdbbp` that got it there. */
void debugvec_leave(struct env *e, struct trapframe *tf);

/*
 * The only way debug mode reaches the kernel is an exception at an address
 * in the boot ROM, and no other exception of an environment has its EPC in
 * kernel space unless the program jumped there.  So this one test keeps
 * the cost away from every other exception.
 */
static inline void debugvec_check(struct env *e, struct trapframe *tf)
{
    if (__builtin_expect((int32_t)tf->epc < 0, 0))
        debugvec_leave(e, tf);
}

#endif /* AEGIS_DEBUGVEC_H */
