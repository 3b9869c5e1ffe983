/*
 * pmap.h - ExOS's page table: which physical page (and capability) backs
 * each virtual page of this environment.
 *
 * The kernel only caches bindings (the STLB, the hardware TLB); the truth
 * is here, in the library.  When the kernel reports a TLB miss it could not
 * serve, ExOS looks the page up and installs the binding with
 * SYS_TLB_WRITE.  This first format is a small open-addressing hash table
 * in ExOS's guaranteed data, so the lookup itself never misses.
 */
#ifndef EXOS_PMAP_H
#define EXOS_PMAP_H

#include <stdint.h>

struct pmap_entry {
    uint32_t va;            /* page-aligned; 0 = empty (page 0 is never mapped) */
    uint32_t ppn;
    uint32_t cap;
    uint32_t flags;         /* TLBF_xxx */
};

/* Records va -> (ppn, cap, flags), replacing an older record of va.
 * Returns 0, or -1 when the table is full. */
int pmap_enter(uint32_t va, uint32_t ppn, uint32_t cap, uint32_t flags);

/* Maps va -> ppn: records it here and binds it now.  0 or an error. */
int pmap_map(uint32_t va, uint32_t ppn, uint32_t cap, uint32_t flags);

/* The record of va's page, or NULL. */
struct pmap_entry *pmap_lookup(uint32_t va);

/* Serves a TLB miss on va: installs the binding if va is mapped.
 * Returns 0, or -1 when va has no mapping. */
int pmap_fault(uint32_t va);

#endif /* EXOS_PMAP_H */
