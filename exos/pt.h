/*
 * pt.h - the page table's format, behind one small interface.
 *
 * ExOS keeps, for each virtual page of the environment, a page-table entry
 * (struct pte): the physical page, the capability that lets ExOS bind it,
 * and ExOS's own flags.  How entries are found is the format's business:
 * two formats are shipped, and a program picks one when it is linked
 * (userland programs say `exos-pagetable: hash` in their header to get the
 * hashed one; the two-level one is the default):
 *   pt_2level.c  a directory of 1024 leaves of 1024 entries (4 MiB each),
 *                like the MIPS/x86 classic, allocated as the space grows;
 *   pt_hash.c    one open-addressing hash table of 16384 entries, like an
 *                inverted page table: constant size, no tree to walk.
 * Both keep their storage in the page-table store (ptstore.c), whose pages
 * ExOS can always refill without a page-table lookup, so that walking the
 * table may itself miss in the TLB.
 */
#ifndef EXOS_PT_H
#define EXOS_PT_H

#include <stdint.h>

struct pte {
    uint32_t ppn;
    uint32_t cap;           /* a capability that binds ppn (write cap if PTE_W) */
    uint32_t flags;         /* PTE_xxx (vm.h); 0 = empty */
};

/* The format's name, for reports. */
extern const char pt_name[];

/* Prepares an empty table (allocating its first storage). */
int pt_init(void);

/* The entry of va's page, or NULL if it has none. */
struct pte *pt_lookup(uint32_t va);

/* The entry of va's page, created empty (flags 0) if absent; NULL if the
 * table is full. */
struct pte *pt_insert(uint32_t va);

/* Calls fn for every non-empty entry (va is page-aligned). */
void pt_foreach(void (*fn)(uint32_t va, struct pte *e, void *arg), void *arg);

/* --- The page-table store (ptstore.c) ------------------------------------ */

/* A 4 MiB window of ExOS's own.  Placed so that its STLB indices
 * ((VPN2 ^ ASID) & 4095: 0x400-0x5ff before the ASID) miss those of the
 * frame page's pair (0) and of ExOS's code and data (0x200-0x20f): a table
 * walk then never evicts the exception path's own bindings. */
#define PTSTORE_BASE    0x7e800000u
#define PTSTORE_PAGES   1024

/* n fresh zeroed pages in the store, bound now; their address, or 0. */
uint32_t ptstore_alloc(uint32_t n);

/* Forgets every page of the store (a forked child starts with a copy of its
 * parent's ExOS data, which names the parent's store). */
void ptstore_reset(void);

/* A TLB miss in the store: rebinds the page.  0, or -1 if va is not in it. */
int ptstore_fault(uint32_t va);

#endif /* EXOS_PT_H */
