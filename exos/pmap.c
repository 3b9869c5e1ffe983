/*
 * pmap.c - the page table (see pmap.h).  Everything here runs on the
 * exception path, so it lives in .exos_text/.exos_data.
 */
#include "pmap.h"

#include <stddef.h>

#include "exos.h"
#include "sys.h"

#define PMAP_SLOTS  1024            /* a power of two; 16 KiB */

static struct pmap_entry table[PMAP_SLOTS] EXOS_XDATA;

/* Fibonacci hashing of the virtual page number. */
static inline uint32_t slot_of(uint32_t va)
{
    return ((va >> PAGE_SHIFT) * 2654435761u) >> 22;   /* top 10 bits */
}

EXOS_XTEXT int pmap_enter(uint32_t va, uint32_t ppn, uint32_t cap, uint32_t flags)
{
    va &= ~(PAGE_SIZE - 1);
    for (uint32_t i = 0, s = slot_of(va); i < PMAP_SLOTS; i++, s = (s + 1) & (PMAP_SLOTS - 1)) {
        struct pmap_entry *e = &table[s];
        if (e->va == 0 || e->va == va) {
            e->va = va;
            e->ppn = ppn;
            e->cap = cap;
            e->flags = flags;
            return 0;
        }
    }
    return -1;
}

EXOS_XTEXT struct pmap_entry *pmap_lookup(uint32_t va)
{
    va &= ~(PAGE_SIZE - 1);
    for (uint32_t i = 0, s = slot_of(va); i < PMAP_SLOTS; i++, s = (s + 1) & (PMAP_SLOTS - 1)) {
        struct pmap_entry *e = &table[s];
        if (e->va == va)
            return e;
        if (e->va == 0)
            return NULL;
    }
    return NULL;
}

int pmap_map(uint32_t va, uint32_t ppn, uint32_t cap, uint32_t flags)
{
    if (pmap_enter(va, ppn, cap, flags) < 0)
        return -E_NOMEM;
    return sys_tlb_write(0, va, ppn, cap, flags);
}

EXOS_XTEXT int pmap_fault(uint32_t va)
{
    struct pmap_entry *e = pmap_lookup(va);

    if (e == NULL)
        return -1;
    return sys_tlb_write(0, e->va, e->ppn, e->cap, e->flags) < 0 ? -1 : 0;
}
