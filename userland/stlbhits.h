/*
 * stlbhits.h - how many TLB refills the kernel's STLB has served for this
 * environment, read from the exposed tables.  The kernel counts a hit in
 * the STLB entry itself (the refill path has no time for more) and folds an
 * entry's count into env_info.stlb_hits when the entry leaves the STLB; the
 * total is the folded count plus the counts of our entries still there.
 */
#ifndef USERLAND_STLBHITS_H
#define USERLAND_STLBHITS_H

#include <stdint.h>

#include "exos.h"

static inline uint32_t stlb_hits(void)
{
    const volatile struct aegis_exposed *x = AEGIS_EXPOSED;
    uint32_t asid = x->envs[exos_envid()].asid, n = x->envs[exos_envid()].stlb_hits;

    for (int i = 0; i < STLB_ENTRIES; i++)
        if (x->stlb[i].tag != STLB_EMPTY && (x->stlb[i].tag & ENTRYHI_ASID_MASK) == asid)
            n += x->stlb[i].hits;
    return n;
}

#endif /* USERLAND_STLBHITS_H */
