/*
 * pt_2level.c - the two-level page table (see pt.h).
 *
 * A directory of 1024 pointers, one per 4 MiB of address space, each to a
 * leaf of 1024 entries, one per page.  Leaves are made when their 4 MiB is
 * first mapped, so a small program has a small table.  The walk is two
 * loads; either may miss in the TLB, and is refilled from the store.
 */
#include <stddef.h>

#include "exos.h"
#include "pt.h"

const char pt_name[] = "two-level";

#define DIR_SHIFT   22
#define LEAF_PAGES  ((1024 * sizeof(struct pte) + PAGE_SIZE - 1) / PAGE_SIZE)

static struct pte **dir EXOS_XDATA;     /* 1024 leaf pointers, in the store */

EXOS_XTEXT int pt_init(void)
{
    dir = (struct pte **)ptstore_alloc(1);
    return dir != NULL ? 0 : -1;
}

EXOS_XTEXT struct pte *pt_lookup(uint32_t va)
{
    struct pte *leaf = dir[va >> DIR_SHIFT];

    if (leaf == NULL)
        return NULL;
    struct pte *e = &leaf[(va >> PAGE_SHIFT) & 1023];
    return e->flags != 0 ? e : NULL;
}

EXOS_XTEXT struct pte *pt_insert(uint32_t va)
{
    struct pte **slot = &dir[va >> DIR_SHIFT];

    if (*slot == NULL && (*slot = (struct pte *)ptstore_alloc(LEAF_PAGES)) == NULL)
        return NULL;
    return &(*slot)[(va >> PAGE_SHIFT) & 1023];
}

EXOS_XTEXT void pt_foreach(void (*fn)(uint32_t va, struct pte *e, void *arg), void *arg)
{
    for (uint32_t d = 0; d < 1024; d++) {
        if (dir[d] == NULL)
            continue;
        for (uint32_t i = 0; i < 1024; i++)
            if (dir[d][i].flags != 0)
                fn((d << DIR_SHIFT) | (i << PAGE_SHIFT), &dir[d][i], arg);
    }
}
