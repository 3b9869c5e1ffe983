/*
 * branch.c - skipping a faulting instruction, even in a branch delay slot.
 *
 * When the instruction that faulted sits in the delay slot of a branch, the
 * CPU sets Cause.BD and reports the *branch's* address in EPC, because
 * resuming must re-execute the branch to land in the right place.  To skip
 * the faulting instruction instead, we must do what the branch would have
 * done: evaluate its condition with the program's registers and go to its
 * target (or fall through past the delay slot).  Branch-likely instructions
 * only execute their delay slot when taken, so a fault there means taken.
 */
#include "exos.h"
#include "mips.h"

/* Fields of a MIPS32 instruction. */
#define OP(i)       ((i) >> 26)
#define RS(i)       (((i) >> 21) & 31)
#define RT(i)       (((i) >> 16) & 31)
#define FUNCT(i)    ((i) & 63)
#define OFFSET(i)   ((int32_t)(int16_t)((i) & 0xffff) << 2)

/* Where the branch at pc (instruction insn) goes, given registers r. */
static uint32_t branch_target(uint32_t pc, uint32_t insn, const uint32_t *r, uint32_t *link)
{
    int32_t rs = (int32_t)r[RS(insn)], rt = (int32_t)r[RT(insn)];
    uint32_t taken = pc + 4 + OFFSET(insn), fall = pc + 8;
    int cond = 0;

    *link = 0;
    switch (OP(insn)) {
    case 0:                                         /* SPECIAL: jr, jalr */
        if (FUNCT(insn) == 9)
            *link = (insn >> 11) & 31;
        return (uint32_t)rs;
    case 1:                                         /* REGIMM */
        switch (RT(insn)) {
        case 0: case 2: cond = rs < 0; break;       /* bltz, bltzl */
        case 1: case 3: cond = rs >= 0; break;      /* bgez, bgezl */
        case 16: case 18: cond = rs < 0; *link = 31; break;   /* bltzal(l) */
        case 17: case 19: cond = rs >= 0; *link = 31; break;  /* bgezal(l) */
        }
        return cond ? taken : fall;
    case 2: case 3:                                 /* j, jal */
        if (OP(insn) == 3)
            *link = 31;
        return ((pc + 4) & 0xf0000000u) | ((insn & 0x03ffffffu) << 2);
    case 4: case 20: cond = rs == rt; break;        /* beq, beql */
    case 5: case 21: cond = rs != rt; break;        /* bne, bnel */
    case 6: case 22: cond = rs <= 0; break;         /* blez, blezl */
    case 7: case 23: cond = rs > 0; break;          /* bgtz, bgtzl */
    case 17: {                                      /* COP1: bc1f, bc1t */
        uint32_t fcsr, cc = (insn >> 18) & 7;
        __asm__ volatile("cfc1 %0, $31" : "=r"(fcsr));
        int bit = cc == 0 ? (fcsr >> 23) & 1 : (fcsr >> (24 + cc)) & 1;
        cond = ((insn >> 16) & 1) ? bit : !bit;
        break;
    }
    }
    return cond ? taken : fall;
}

void exos_skip(struct exos_frame *f)
{
    if (!(f->cause & CAUSE_BD)) {
        f->epc += 4;
        return;
    }
    uint32_t link, insn = *(const uint32_t *)f->epc;
    uint32_t target = branch_target(f->epc, insn, f->regs, &link);
    if (link != 0)
        f->regs[link] = f->epc + 8;
    f->epc = target;
}
