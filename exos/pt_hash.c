/*
 * pt_hash.c - the hashed page table (see pt.h).
 *
 * One table of 16384 slots, each a virtual page and its entry, found by
 * hashing the virtual page number and probing linearly.  Its size is fixed
 * (256 KiB, allocated at start), whatever the address space looks like:
 * the inverted-table idea, indexed by virtual page.  A lookup is usually
 * one probe.
 */
#include <stddef.h>

#include "exos.h"
#include "pt.h"

const char pt_name[] = "hashed";

#define SLOTS   16384u               /* a power of two */

struct slot {
    uint32_t va;                    /* page-aligned; 0 = empty (page 0 is never mapped) */
    struct pte pte;
};

static struct slot *table EXOS_XDATA;

EXOS_XTEXT int pt_init(void)
{
    table = (struct slot *)ptstore_alloc(SLOTS * sizeof(struct slot) / PAGE_SIZE);
    return table != NULL ? 0 : -1;
}

/* Fibonacci hashing of the virtual page number: the top 14 bits. */
static EXOS_XTEXT uint32_t hash(uint32_t va)
{
    return ((va >> PAGE_SHIFT) * 2654435761u) >> 18;
}

/* The slot of va, or the empty one where it would go; NULL if full. */
static EXOS_XTEXT struct slot *probe(uint32_t va)
{
    va &= ~(PAGE_SIZE - 1);
    for (uint32_t i = 0, s = hash(va); i < SLOTS; i++, s = (s + 1) & (SLOTS - 1))
        if (table[s].va == va || table[s].va == 0)
            return &table[s];
    return NULL;
}

EXOS_XTEXT struct pte *pt_lookup(uint32_t va)
{
    struct slot *s = probe(va);

    return s != NULL && s->va != 0 && s->pte.flags != 0 ? &s->pte : NULL;
}

EXOS_XTEXT struct pte *pt_insert(uint32_t va)
{
    struct slot *s = probe(va);

    if (s == NULL)
        return NULL;
    s->va = va & ~(PAGE_SIZE - 1);
    return &s->pte;
}

EXOS_XTEXT void pt_foreach(void (*fn)(uint32_t va, struct pte *e, void *arg), void *arg)
{
    for (uint32_t s = 0; s < SLOTS; s++)
        if (table[s].va != 0 && table[s].pte.flags != 0)
            fn(table[s].va, &table[s].pte, arg);
}
