/*
 * physmem.c - ownership of physical pages and their capabilities
 * (see physmem.h).
 */
#include "physmem.h"

void physmem_init(struct physmem *pm, struct phys_page *table,
                  struct page_guard *guards, uint32_t npages,
                  const struct siphash_key *key)
{
    pm->pages = table;
    pm->guards = guards;
    pm->npages = npages;
    pm->nfree = npages;
    pm->next = 0;
    pm->key = *key;
    for (uint32_t i = 0; i < npages; i++) {
        table[i].owner = OWNER_FREE;
        table[i].flags = 0;
        guards[i] = (struct page_guard){ 0 };
    }
}

/*
 * The PRF of (page, generation, domain): 64 bits, one SipHash-2-4.  A page's
 * two capabilities are its two halves (read: low word, write: high word):
 * the halves of a PRF's output are as independent as two outputs, so
 * knowing one says nothing of the other, and one call per allocation gives
 * both (an allocation pays about 430 instructions for them, not 860).
 */
static uint64_t prf(const struct physmem *pm, uint32_t ppn, uint32_t gen, uint32_t domain)
{
    return siphash24_words(&pm->key, ppn | domain << 24, gen);
}

#define DOMAIN_PAGE     1u          /* a page's own two capabilities */
#define DOMAIN_PUBLIC   2u          /* the published images' read capability */

uint32_t physmem_cap(const struct physmem *pm, uint32_t ppn, uint32_t gen, uint32_t rights)
{
    uint64_t h = prf(pm, ppn, gen, rights == CAP_PUBLIC ? DOMAIN_PUBLIC : DOMAIN_PAGE);

    return rights == CAP_WRITE ? (uint32_t)(h >> 32) : (uint32_t)h;
}

/* An owner a page can be given to: an environment, the kernel, or the
 * published images. */
static int valid_owner(uint16_t owner)
{
    return owner == OWNER_KERNEL || owner == OWNER_IMAGES || (owner >= 1 && owner <= NENV);
}

/* Takes free page ppn for owner: a new generation, new capabilities. */
static void take(struct physmem *pm, uint32_t ppn, uint16_t owner)
{
    struct page_guard *g = &pm->guards[ppn];

    pm->pages[ppn].owner = owner;
    g->gen++;
    uint64_t h = prf(pm, ppn, g->gen, DOMAIN_PAGE);
    g->rcap = (uint32_t)h;
    g->wcap = (uint32_t)(h >> 32);
    pm->nfree--;
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
        take(pm, i, owner);
    return 0;
}

int physmem_publish(struct physmem *pm, uint32_t first, uint32_t count, uint32_t *rcap)
{
    int r = physmem_reserve(pm, first, count, OWNER_IMAGES);
    if (r != 0)
        return r;
    /* Each page keeps its own secret write capability from take(); the
     * read capability is one public number. */
    *rcap = count > 0 ? physmem_cap(pm, first, pm->guards[first].gen, CAP_PUBLIC) : 0;
    for (uint32_t i = first; i < first + count; i++)
        pm->guards[i].rcap = *rcap;
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
    for (uint32_t n = 0; pm->nfree > 0 && n < pm->npages; n++) {
        uint32_t ppn = (pm->next + n) % pm->npages;
        if (pm->pages[ppn].owner == OWNER_FREE) {
            take(pm, ppn, owner);
            pm->next = (ppn + 1) % pm->npages;
            return (int32_t)ppn;
        }
    }
    return -E_NOMEM;
}

int physmem_free(struct physmem *pm, uint32_t ppn, uint16_t owner)
{
    if (ppn >= pm->npages)
        return -E_INVAL;
    if (pm->pages[ppn].owner != owner || owner == OWNER_FREE)
        return -E_PERM;
    pm->pages[ppn].owner = OWNER_FREE;
    pm->guards[ppn].rcap = pm->guards[ppn].wcap = 0;   /* void old capabilities */
    pm->nfree++;
    return 0;
}

int physmem_give(struct physmem *pm, uint32_t ppn, uint16_t from, uint16_t to)
{
    if (ppn >= pm->npages || !valid_owner(to))
        return -E_INVAL;
    if (pm->pages[ppn].owner != from || from == OWNER_FREE)
        return -E_PERM;
    pm->pages[ppn].owner = to;
    return 0;
}

uint16_t physmem_owner(const struct physmem *pm, uint32_t ppn)
{
    return ppn < pm->npages ? pm->pages[ppn].owner : OWNER_FREE;
}

int physmem_check(const struct physmem *pm, uint32_t ppn, uint32_t cap, int write)
{
    if (ppn >= pm->npages)
        return -E_INVAL;
    uint16_t owner = pm->pages[ppn].owner;
    if (owner == OWNER_FREE || owner == OWNER_KERNEL)
        return -E_PERM;
    const struct page_guard *g = &pm->guards[ppn];
    if ((cap == g->wcap && owner != OWNER_IMAGES) || (!write && cap == g->rcap))
        return 0;
    return -E_BADCAP;
}
