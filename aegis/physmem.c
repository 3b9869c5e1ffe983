/*
 * physmem.c - ownership of physical pages (see physmem.h).
 */
#include "physmem.h"

#include "abi.h"

void physmem_init(struct physmem *pm, struct phys_page *table, uint32_t npages)
{
    pm->pages = table;
    pm->npages = npages;
    pm->nfree = npages;
    pm->next = 0;
    for (uint32_t i = 0; i < npages; i++) {
        table[i].owner = OWNER_FREE;
        table[i].unused = 0;
    }
}

/* An owner a page can be given to: an environment or the kernel. */
static int valid_owner(uint16_t owner)
{
    return owner != OWNER_FREE;
}

int physmem_reserve(struct physmem *pm, uint32_t first, uint32_t count,
                    uint16_t owner)
{
    if (!valid_owner(owner) || first > pm->npages || count > pm->npages - first)
        return -E_INVAL;
    for (uint32_t i = first; i < first + count; i++)
        if (pm->pages[i].owner != OWNER_FREE)
            return -E_BUSY;
    for (uint32_t i = first; i < first + count; i++)
        pm->pages[i].owner = owner;
    pm->nfree -= count;
    return 0;
}

int physmem_alloc(struct physmem *pm, uint32_t ppn, uint16_t owner)
{
    return physmem_reserve(pm, ppn, 1, owner);
}

/*
 * Next-fit: resume where the last search stopped, so repeated allocations do
 * not rescan the (usually full) low end of memory every time.
 */
int32_t physmem_alloc_any(struct physmem *pm, uint16_t owner)
{
    if (!valid_owner(owner))
        return -E_INVAL;
    if (pm->nfree == 0)
        return -E_NOMEM;
    for (uint32_t n = 0; n < pm->npages; n++) {
        uint32_t ppn = (pm->next + n) % pm->npages;
        if (pm->pages[ppn].owner == OWNER_FREE) {
            pm->pages[ppn].owner = owner;
            pm->nfree--;
            pm->next = (ppn + 1) % pm->npages;
            return (int32_t)ppn;
        }
    }
    return -E_NOMEM;    /* unreachable while nfree is right */
}

int physmem_free(struct physmem *pm, uint32_t ppn, uint16_t owner)
{
    if (ppn >= pm->npages)
        return -E_INVAL;
    if (pm->pages[ppn].owner != owner || owner == OWNER_FREE)
        return -E_PERM;
    pm->pages[ppn].owner = OWNER_FREE;
    pm->nfree++;
    return 0;
}

uint16_t physmem_owner(const struct physmem *pm, uint32_t ppn)
{
    return ppn < pm->npages ? pm->pages[ppn].owner : OWNER_FREE;
}
