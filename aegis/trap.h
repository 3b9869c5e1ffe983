/*
 * trap.h - the kernel's own exception frame.
 *
 * When the kernel itself takes an exception (a timer interrupt while idle,
 * or a bug), vectors.S saves every register into a trapframe on the kernel
 * stack and calls trap().  This is the slow, complete path, meant for the
 * kernel only: exceptions raised by environments take the fast paths of
 * later issues and never build one of these.
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

#ifndef __ASSEMBLER__
#include <stdint.h>

struct trapframe {
    uint32_t regs[32];
    uint32_t hi, lo;
    uint32_t status, cause, epc, badvaddr;
};

_Static_assert(sizeof(struct trapframe) == TF_SIZE, "TF_SIZE is wrong");

/* Called by vectors.S with the saved registers; may change tf->epc. */
void trap(struct trapframe *tf, int vector);

/* A short name for an exception code, e.g. "AdEL" (never NULL). */
const char *exc_name(unsigned code);

#endif /* __ASSEMBLER__ */
#endif /* AEGIS_TRAP_H */
