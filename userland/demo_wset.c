/*
 * demo_wset - a working set that outgrows the hardware TLB, then the STLB.
 *
 * It reads a growing set of pages, three times each, and reports where the
 * refills were served: the 16-entry hardware TLB alone (no refill at all),
 * the kernel's STLB (a refill of 18 instructions, no ExOS), or ExOS's page
 * table (an STLB miss forwarded to user mode).  Run it under `tlbtrace` to
 * see the individual events.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "exos.h"
#include "stlbhits.h"
#include "vm.h"

static const uint32_t sets[] = { 8, 32, 1024, 4096, 12288 };

int main(void)
{
    const volatile struct env_info *me = &AEGIS_EXPOSED->envs[exos_envid()];
    uint32_t most = sets[sizeof sets / sizeof sets[0] - 1];
    volatile uint32_t *mem = malloc(most * PAGE_SIZE);

    printf("demo_wset: reading N pages three times over; where did the TLB refills come from?\n");
    printf("  (hardware TLB: 16 pairs, one wired by the kernel: 30 pages of ours, less the\n   code and stack; STLB: 4096 pairs, direct-mapped)\n");
    for (uint32_t p = 0; p < most; p++)
        mem[p * 1024] = p;                     /* make them all exist first */
    printf("  %6s %12s %12s %12s  %s\n", "pages", "accesses", "STLB hits", "to ExOS", "served by");
    for (unsigned s = 0; s < sizeof sets / sizeof sets[0]; s++) {
        uint32_t n = sets[s], sum = 0;
        for (uint32_t p = 0; p < n; p++)        /* warm up */
            sum += mem[p * 1024];
        uint32_t h0 = stlb_hits(), m0 = me->stlb_misses;
        for (int r = 0; r < 3; r++)
            for (uint32_t p = 0; p < n; p++)
                sum += mem[p * 1024];
        uint32_t hits = stlb_hits() - h0, misses = me->stlb_misses - m0;
        printf("  %6lu %12lu %12lu %12lu  %s\n", (unsigned long)n, (unsigned long)(3 * n),
               (unsigned long)hits, (unsigned long)misses,
               hits + misses == 0 ? "the hardware TLB alone" :
               misses * 10 < hits ? "mostly the STLB, in the kernel" : "ExOS's page table, often");
        (void)sum;
    }
    printf("demo_wset: a few pages fit in the TLB; past it the STLB serves refills\n"
           "  in the kernel; past the STLB's reach, misses go to ExOS's own page table.\n");
    return 0;
}
