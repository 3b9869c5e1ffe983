/*
 * hello - the first ExOS program: prints from user mode, then takes three
 * exceptions on purpose - an unaligned load, an arithmetic overflow and a
 * breakpoint - handles each in its own handler, and carries on.
 */
#include <stdint.h>
#include <stdio.h>

#include "exos.h"
#include "mips.h"

/* Fixes the unaligned load: do it bytewise, put the result in rt, skip. */
static void on_unaligned(struct exos_frame *f)
{
    uint32_t insn = *(const uint32_t *)f->epc;
    const uint8_t *p = (const uint8_t *)f->badvaddr;
    unsigned rt = (insn >> 16) & 31;

    f->regs[rt] = p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
    printf("  handler: unaligned load from %p emulated\n", (void *)f->badvaddr);
    exos_skip(f);
}

static void on_overflow(struct exos_frame *f)
{
    printf("  handler: overflow at %08lx, skipped\n", (unsigned long)f->epc);
    exos_skip(f);
}

static void on_break(struct exos_frame *f)
{
    printf("  handler: breakpoint at %08lx, continuing\n", (unsigned long)f->epc);
    exos_skip(f);
}

int main(void)
{
    static uint8_t bytes[8] = { 0, 0x11, 0x22, 0x33, 0x44, 0, 0, 0 };
    uint32_t v;
    int32_t big = 0x7fffffff, one = 1, sum;

    printf("hello from user mode, environment %lu\n", (unsigned long)exos_envid());
    exos_on_exception(EXC_ADEL, on_unaligned);
    exos_on_exception(EXC_OV, on_overflow);
    exos_on_exception(EXC_BP, on_break);

    __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(bytes + 1));
    printf("unaligned load read %08lx\n", (unsigned long)v);
    __asm__ volatile("add %0, %1, %2" : "=r"(sum) : "r"(big), "r"(one));
    printf("overflowing add skipped: no result written\n");
    __asm__ volatile("break 7");
    printf("after the breakpoint: all three handled in user mode\n");
    return 0;
}
