/*
 * vmwork - a process with its own virtual-memory policy: it writes a
 * pattern over `pages` heap pages (argument 1, default 6000: more than the
 * STLB's 4096 pairs' worth of misses), yields the CPU every few hundred,
 * reads everything back, and exits 0 if every word was right.  It prints
 * one line naming its page-table format.  t_twolibos runs two of these,
 * linked with different page tables, side by side.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "exos.h"
#include "pt.h"
#include "sys.h"

int main(int argc, char **argv)
{
    uint32_t pages = argc > 1 ? strtoul(argv[1], NULL, 0) : 6000;
    volatile uint32_t *mem = malloc(pages * PAGE_SIZE);
    uint32_t seed = exos_envid() * 0x9e3779b9u, bad = 0;

    if (mem == NULL)
        return 2;
    for (int pass = 0; pass < 2; pass++)
        for (uint32_t p = 0; p < pages; p++) {
            volatile uint32_t *w = mem + p * (PAGE_SIZE / 4) + (p % 1024);
            if (pass == 0)
                *w = seed ^ p;
            else
                bad += *w != (seed ^ p);
            if (p % 256 == 0)
                sys_yield(-1);      /* let the other one run in between */
        }
    printf("vmwork (%s page table, pid %lu): %lu pages, %lu wrong\n", pt_name,
           (unsigned long)exos_envid(), (unsigned long)pages, (unsigned long)bad);
    return bad != 0;
}
