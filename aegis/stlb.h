/*
 * stlb.h - the software TLB: a large cache of secure bindings.
 *
 * The 24Kf's hardware TLB holds 16 entries.  Behind it the kernel keeps
 * STLB_ENTRIES (4096) more, in an array in KSEG0 (unmapped, so the kernel
 * never misses on it), direct-mapped and indexed by a hash of the virtual
 * page pair and the ASID.  The TLB-refill vector (vectors.S) looks there
 * first and, on a hit, copies the entry into the hardware TLB in 18
 * instructions; only a miss reaches the environment.
 *
 * Every entry was checked when it was made (SYS_TLB_WRITE checks ownership
 * and capability), so a hit needs no check at all: that is what makes a
 * binding "secure" and the refill fast.
 *
 * Index: (VPN2 ^ ASID) mod STLB_ENTRIES, where VPN2 = VA >> 13 names a pair
 * of 4 KiB pages (one hardware TLB entry maps an even/odd pair).  The ASID is
 * folded in so that two environments using the same addresses (every ExOS
 * program starts at 0x00400000) do not evict each other.  vectors.S
 * computes the same hash in assembly; stlb_index() is its C twin.
 *
 * All functions here are pure logic over a table, unit tested on the host.
 */
#ifndef AEGIS_STLB_H
#define AEGIS_STLB_H

#include <stdint.h>

#include "abi.h"

#define STLB_MASK       (STLB_ENTRIES - 1)


/* The EntryHi value (tag) of virtual address va in address space asid. */
static inline uint32_t stlb_tag(uint32_t va, uint32_t asid)
{
    return (va & ~0x1fffu) | (asid & ENTRYHI_ASID_MASK);
}

/* Which half of a pair va is in: 0 (even page, EntryLo0) or 1 (odd). */
static inline int stlb_half(uint32_t va)
{
    return (va >> PAGE_SHIFT) & 1;
}

/* The physical page an EntryLo names. */
static inline uint32_t entrylo_ppn(uint32_t lo)
{
    return lo >> ENTRYLO_PFN_SHIFT;
}

static inline uint32_t stlb_index(uint32_t tag)
{
    return ((tag >> ENTRYHI_VPN2_SHIFT) ^ tag) & STLB_MASK;
}

/*
 * Called whenever an entry leaves the table (displaced, unbound, flushed)
 * with the hits it collected, so the kernel can add them to its owner's
 * statistics.  May be NULL.
 */
extern void (*stlb_retire_hook)(uint32_t tag, uint32_t hits);

/* Empties every entry. */
void stlb_init(struct stlb_entry *stlb);

/*
 * Binds one page: the half of the pair for va becomes lo, the other half is
 * kept if the entry already holds this pair, or left invalid if not.  An
 * entry holding another pair is displaced (and retired).  Returns the
 * displaced entry's tag, or STLB_EMPTY if nothing was displaced.
 */
uint32_t stlb_bind(struct stlb_entry *stlb, uint32_t tag, int half, uint32_t lo);

/* The entry holding tag, or NULL. */
struct stlb_entry *stlb_lookup(struct stlb_entry *stlb, uint32_t tag);

/* Unbinds one page (one half); frees the entry when both halves are
 * invalid.  Returns 1 if a binding was removed. */
int stlb_unbind(struct stlb_entry *stlb, uint32_t tag, int half);

/*
 * Removes every binding to physical page ppn, in any address space.
 * Calls gone(tag, arg) for each pair that lost a half, so the caller can
 * purge the hardware TLB too.  Returns the number of halves removed.
 */
int stlb_unbind_ppn(struct stlb_entry *stlb, uint32_t ppn,
                    void (*gone)(uint32_t tag, void *arg), void *arg);

/* The same for every page for which doomed(ppn, arg) says yes, in one pass
 * over the table (freeing many pages at once costs one sweep, not many). */
int stlb_unbind_if(struct stlb_entry *stlb, int (*doomed)(uint32_t ppn, void *arg), void *arg,
                   void (*gone)(uint32_t tag, void *arg), void *garg);

/* Empties (retires) every entry of address space asid; returns how many. */
int stlb_flush_asid(struct stlb_entry *stlb, uint32_t asid);

/* The same for every ASID a with doomed[a] != 0, in one pass (a dying tree
 * of environments costs one sweep, not one per environment). */
int stlb_flush_asids(struct stlb_entry *stlb, const uint8_t doomed[NASID]);

#endif /* AEGIS_STLB_H */
