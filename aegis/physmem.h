/*
 * physmem.h - the table of physical pages and who owns each.
 *
 * Physical memory is a resource the exokernel protects but does not manage:
 * it records, per 4 KiB physical page, which principal owns it, and lets a
 * principal ask for a *specific* page by its number (its physical page
 * number, PPN = physical address >> 12) or for any free one and be told its
 * number.  The kernel exposes names; it does not hide them behind virtual
 * ones.  Later issues add the capabilities that guard bindings to a page and
 * map this table read-only into every environment.
 *
 * The table is pure data and the functions are pure logic (no hardware), so
 * they are unit tested on the host (test/host/test_physmem.c).
 */
#ifndef AEGIS_PHYSMEM_H
#define AEGIS_PHYSMEM_H

#include <stdint.h>

#define PAGE_SHIFT      12
#define PAGE_SIZE       (1u << PAGE_SHIFT)

/* Owners.  Environment ids are below OWNER_KERNEL. */
#define OWNER_FREE      0xffffu     /* nobody: can be allocated */
#define OWNER_KERNEL    0xfffeu     /* kernel image, its tables, firmware */

struct phys_page {
    uint16_t owner;
    uint16_t unused;                /* keeps entries 4-byte aligned */
};

struct physmem {
    struct phys_page *pages;        /* one entry per physical page */
    uint32_t npages;
    uint32_t nfree;
    uint32_t next;                  /* where alloc_any resumes its search */
};

/* Makes every one of the npages pages free. */
void physmem_init(struct physmem *pm, struct phys_page *table, uint32_t npages);

/* Gives pages [first, first+count) to owner; they must all be free.
 * Returns 0 or a negative error (see aegis/abi.h); changes nothing on error. */
int physmem_reserve(struct physmem *pm, uint32_t first, uint32_t count,
                    uint16_t owner);

/* Gives the specific page ppn to owner.  0, -E_INVAL (no such page or bad
 * owner) or -E_BUSY (owned already). */
int physmem_alloc(struct physmem *pm, uint32_t ppn, uint16_t owner);

/* Gives any free page to owner and returns its PPN (>= 0) or -E_NOMEM. */
int32_t physmem_alloc_any(struct physmem *pm, uint16_t owner);

/* Returns page ppn to the free pool.  0, -E_INVAL (no such page) or
 * -E_PERM (owner does not own it, including a page that is already free). */
int physmem_free(struct physmem *pm, uint32_t ppn, uint16_t owner);

/* The owner of ppn, or OWNER_FREE for a page that does not exist. */
uint16_t physmem_owner(const struct physmem *pm, uint32_t ppn);

#endif /* AEGIS_PHYSMEM_H */
