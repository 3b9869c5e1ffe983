/*
 * syscall.h - the system-call dispatcher.
 *
 * Two ways in (aegis/vectors.S):
 *  - a number no call has is refused at the vector (-E_NOSYS);
 *  - the lean path, for the calls in SYSCALL_LEAN_MASK: nothing of the
 *    caller is saved but sp and ra, the call's handler (syscall_table)
 *    runs on the kernel stack, and the return clears every register the
 *    o32 contract lets a call change (so no kernel value is left in one);
 *  - the full path, for every other call (PCT, yield, destroy, revoke,
 *    FPU) and for any call from a delay slot: every register is saved in
 *    the caller's struct env, then syscall().
 * Safe to include from assembly: only the mask is visible there.
 */
#ifndef AEGIS_SYSCALL_H
#define AEGIS_SYSCALL_H

#include "abi.h"

/*
 * The lean calls: those that never switch environments and never read or
 * write the caller's saved registers (struct env.tf), so the caller need
 * not be saved at all.  (Destroying or revoking a child, or taking the
 * FPU, could be lean too; they take the full path because they may act on
 * the caller itself.)
 */
#define SYSCALL_LEAN_MASK ( \
    (1 << SYS_CPUTS) | (1 << SYS_CGETC) | (1 << SYS_PAGE_ALLOC) | (1 << SYS_PAGE_FREE) | \
    (1 << SYS_PAGE_RCAP) | (1 << SYS_PAGE_GIVE) | (1 << SYS_TLB_WRITE) | \
    (1 << SYS_TLB_DELETE) | (1 << SYS_GUARANTEE) | (1 << SYS_XFRAME) | \
    (1 << SYS_ENV_CREATE) | (1 << SYS_ENV_START) | (1 << SYS_SLICE_ALLOC) | \
    (1 << SYS_SLICE_FREE) | (1 << SYS_ENV_REAP) | (1 << SYS_TRACE) | (1 << SYS_TLB_SNAPSHOT))

#ifndef __ASSEMBLER__
#include "env.h"

_Static_assert(NSYSCALLS <= 32, "SYSCALL_LEAN_MASK is one word");

/* Runs the call e made: number in v0, arguments in a0-a3, t0, t1 of
 * tf; leaves the result in v0 (and v1).  May switch to another environment
 * or destroy e. */
void syscall(struct env *e, struct trapframe *tf);

/* A call's arguments, in the order the ABI passes them: a0 a1 a2 a3 t0 t1
 * (vectors.S lays them out so on the lean path). */
struct args {
    uint32_t a[6];
};

/*
 * A call's handler: runs it for e, returns v0 (>= 0 or -E_xxx) and puts v1
 * in *v1.  The lean path (vectors.S) calls syscall_table[num] directly, e
 * the running environment; syscall() calls it for the others.
 */
typedef int32_t (*sysfn)(struct env *e, const struct args *a, uint32_t *v1);
extern const sysfn syscall_table[NSYSCALLS];
#endif

#endif /* AEGIS_SYSCALL_H */
