/*
 * tlbdump - the hardware TLB, all 16 entries, decoded: each is a pair of
 * pages (VPN2 names both), tagged with an ASID unless global, and each half
 * has its own physical frame and D (writable) / V (valid) bits.  Entry 0 is
 * the kernel's wired mapping of its exposed tables.  The kernel copies the
 * TLB into the exposed tables (SYS_TLB_SNAPSHOT); we only decode.
 */
#include <stdio.h>

#include "exos.h"
#include "sys.h"

static void half(uint32_t lo)
{
    printf("  %05lx %c%c%c", (unsigned long)(lo >> ENTRYLO_PFN_SHIFT), lo & ENTRYLO_D ? 'D' : '-',
           lo & ENTRYLO_V ? 'V' : '-', lo & ENTRYLO_G ? 'G' : '-');
}

/* Who has this ASID now (0 if nobody: a leftover of a dead environment). */
static unsigned owner(uint32_t asid)
{
    for (unsigned id = 1; id <= NENV; id++)
        if (AEGIS_EXPOSED->envs[id].asid == asid &&
            (AEGIS_EXPOSED->envs[id].state == ENV_RUNNABLE || AEGIS_EXPOSED->envs[id].state == ENV_STOPPED))
            return id;
    return 0;
}

int main(void)
{
    int n = sys_tlb_snapshot();

    printf("hardware TLB: %d entries, %lu wired; we are env %lu (ASID %u)\n", n,
           (unsigned long)AEGIS_EXPOSED->tlb_wired, (unsigned long)exos_envid(),
           AEGIS_EXPOSED->envs[exos_envid()].asid);
    printf("slot  VPN2 (va)  ASID env   even: PFN  DVG    odd: PFN  DVG\n");
    for (int i = 0; i < n && i < 16; i++) {
        const volatile struct tlb_snapshot *s = &AEGIS_EXPOSED->tlb[i];
        uint32_t asid = s->hi & ENTRYHI_ASID_MASK;
        int global = (s->lo0 & s->lo1 & ENTRYLO_G) != 0;
        int valid = ((s->lo0 | s->lo1) & ENTRYLO_V) != 0;
        printf("%3d%s  %08lx   ", i, (uint32_t)i < AEGIS_EXPOSED->tlb_wired ? "w" : " ",
               (unsigned long)(s->hi & ~0x1fffu));
        if (global)
            printf("   -   -  ");
        else
            printf("%4lu %4u  ", (unsigned long)asid, owner(asid));
        if (!valid) {
            printf("  (empty)\n");
            continue;
        }
        half(s->lo0);
        printf("      ");
        half(s->lo1);
        printf("\n");
    }
    printf("(w: wired, never replaced; D: writable; V: valid; G: global, any ASID)\n");
    return 0;
}
