/*
 * trap.h - the kernel's own exception frame.
 *
 * When the kernel itself takes an exception (a timer interrupt while it
 * waits, or a bug), vectors.S saves every register into a trapframe on the
 * kernel stack and calls trap().  When an environment enters the kernel's
 * C code (a system call, an interrupt, an exception the fast paths cannot
 * finish), its registers are saved in the same layout in its struct env
 * (env.h) and user_trap() runs.  The fast paths never build one.
 */
#ifndef AEGIS_TRAP_H
#define AEGIS_TRAP_H

/* Byte offsets, for vectors.S. */
#define TF_REG(n)       ((n) * 4)   /* general registers $0..$31 */
#define TF_HI           128
#define TF_LO           132
#define TF_STATUS       136
#define TF_CAUSE        140
#define TF_EPC          144
#define TF_BADVADDR     148
#define TF_SIZE         152

/* Which vector the exception came through. */
#define VEC_REFILL      0           /* EBase + 0x000: TLB refill */
#define VEC_GENERAL     1           /* EBase + 0x180: everything else */
#define VEC_INTERRUPT   2           /* EBase + 0x200: interrupts (Cause.IV) */

/* Why an environment entered the kernel's C code (user_trap's argument). */
#define ENTRY_SYSCALL   0
#define ENTRY_INTERRUPT 1
#define ENTRY_TLBMISS   2           /* refill the STLB could not serve */
#define ENTRY_EXCEPTION 3           /* an exception the fast path could not deliver */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trapframe {
    uint32_t regs[32];
    uint32_t hi, lo;
    uint32_t status, cause, epc, badvaddr;
};

_Static_assert(sizeof(struct trapframe) == TF_SIZE, "TF_SIZE is wrong");

/* Called by vectors.S for the kernel's own exceptions, with the saved
 * registers; may change tf->epc. */
void trap(struct trapframe *tf, int vector);

/* Called by vectors.S when an environment enters the kernel's C code; its
 * registers are in its struct env.  Ends by returning to user mode
 * (env_return). */
void user_trap(int entry) __attribute__((noreturn));

/* A short name for an exception code, e.g. "AdEL" (never NULL). */
const char *exc_name(unsigned code);

#endif /* __ASSEMBLER__ */
#endif /* AEGIS_TRAP_H */
