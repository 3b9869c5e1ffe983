/*
 * physmem.h - the table of physical pages: who owns each, and the secret
 * capabilities that guard bindings to it.
 *
 * Physical memory is a resource the exokernel protects but does not manage:
 * it records, per 4 KiB physical page, which environment owns it, and lets
 * an environment ask for a *specific* page by its number (its physical page
 * number, PPN = physical address >> 12) or for any free one and be told its
 * number.  The kernel exposes names; it does not hide them behind virtual
 * ones.  The ownership table itself is exposed read-only to every
 * environment (struct aegis_exposed in abi.h).
 *
 * Each allocation gives the page two fresh capabilities (guards): a read
 * capability and a write capability, 32-bit numbers known to the owner and
 * to whoever it tells.  Presenting one is what authorises a binding
 * (SYS_TLB_WRITE): the check happens once, at bind time.  A capability is
 * a keyed pseudo-random function of what it names,
 *
 *     h = SipHash-2-4(key, page | 1 << 24, generation)
 *     read capability = h mod 2^32, write capability = h >> 32
 *
 * (the rights choose the half), where generation counts the page's
 * allocations and key is the boot-time
 * secret (capkey.c).  So capabilities can be neither guessed from each
 * other (any number of them tell nothing of the rest without the key) nor
 * reused: a page allocated again is a new generation with new ones.  Both
 * are kept apart from the exposed table, in kernel memory no environment
 * can read.
 *
 * Pure logic (no hardware): unit tested on the host (test/host/test_physmem.c).
 */
#ifndef AEGIS_PHYSMEM_H
#define AEGIS_PHYSMEM_H

#include <stdint.h>

#include "abi.h"
#include "siphash.h"

/* The secret half of a page's record. */
struct page_guard {
    uint32_t rcap;                  /* grants read-only bindings */
    uint32_t wcap;                  /* grants read-write bindings */
    uint32_t gen;                   /* allocations of this page so far */
};

/* The rights a capability names (which part of the PRF's output). */
#define CAP_READ        1u
#define CAP_WRITE       2u
#define CAP_PUBLIC      3u          /* the published images' one read capability */

struct physmem {
    struct phys_page *pages;        /* one entry per physical page (exposed) */
    struct page_guard *guards;      /* one entry per physical page (secret) */
    uint32_t npages;
    uint32_t nfree;
    uint32_t next;                  /* where alloc_any resumes its search */
    struct siphash_key key;         /* the secret capabilities derive from */
};

/* Makes every one of the npages pages free; capabilities will derive from
 * *key (copied). */
void physmem_init(struct physmem *pm, struct phys_page *table,
                  struct page_guard *guards, uint32_t npages,
                  const struct siphash_key *key);

/* The capability for rights (CAP_xxx) on page ppn in its allocation gen. */
uint32_t physmem_cap(const struct physmem *pm, uint32_t ppn, uint32_t gen, uint32_t rights);

/* Gives pages [first, first+count) to owner; they must all be free.
 * Returns 0 or -E_INVAL / -E_BUSY; changes nothing on error. */
int physmem_reserve(struct physmem *pm, uint32_t first, uint32_t count,
                    uint16_t owner);

/*
 * Publishes pages [first, first+count) (free ones) as OWNER_IMAGES: anyone
 * who knows *rcap (chosen here, the same for all of them, and which the
 * kernel makes public) may bind them read-only; nobody may write, free or
 * give them.  0, -E_INVAL or -E_BUSY; changes nothing on error.
 */
int physmem_publish(struct physmem *pm, uint32_t first, uint32_t count, uint32_t *rcap);

/* Gives the specific page ppn to owner with fresh capabilities.
 * 0, -E_INVAL (no such page, or bad owner) or -E_BUSY (owned already). */
int physmem_alloc(struct physmem *pm, uint32_t ppn, uint16_t owner);

/* Gives any free page to owner and returns its PPN (>= 0) or -E_NOMEM. */
int32_t physmem_alloc_any(struct physmem *pm, uint16_t owner);

/* Returns page ppn to the free pool and voids its capabilities.
 * 0, -E_INVAL (no such page) or -E_PERM (owner does not own it).  The
 * caller must first have removed every binding to the page. */
int physmem_free(struct physmem *pm, uint32_t ppn, uint16_t owner);

/* Moves page ppn from owner `from` to owner `to`; capabilities stay.
 * 0, -E_INVAL or -E_PERM. */
int physmem_give(struct physmem *pm, uint32_t ppn, uint16_t from, uint16_t to);

/* The owner of ppn, or OWNER_FREE for a page that does not exist. */
uint16_t physmem_owner(const struct physmem *pm, uint32_t ppn);

/*
 * Does cap grant access to ppn?  write != 0 asks for read-write, which only
 * the write capability grants; read-only is granted by either.  Returns 0,
 * -E_INVAL (no such page), -E_PERM (page free or the kernel's) or -E_BADCAP.
 */
int physmem_check(const struct physmem *pm, uint32_t ppn, uint32_t cap, int write);

#endif /* AEGIS_PHYSMEM_H */
