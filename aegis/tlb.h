/*
 * tlb.h - the hardware TLB: the 24Kf's 16 entries, each mapping an
 * even/odd pair of pages for one ASID (or for all, if global).
 *
 * Entry 0 is wired: it maps the exposed kernel tables read-only at
 * EXPOSED_VA for every environment (global, two 256 KiB pages).  The others
 * are filled by the refill handler with `tlbwr` (a random slot) and emptied
 * here when bindings die.  An empty slot holds a unique VPN2 in kseg0, which
 * user addresses can never match, so it is never hit.
 */
#ifndef AEGIS_TLB_H
#define AEGIS_TLB_H

#include <stdint.h>

#define TLB_WIRED       1       /* entries the random replacement never touches */

/* Reads the TLB size from Config1, wires the exposed window and empties the
 * rest.  exposed_pa is the physical address of the exposed tables. */
void tlb_init(uint32_t exposed_pa);

/* Entries in the TLB (from Config1). */
unsigned tlb_size(void);

/* Sets the ASID the CPU translates with (EntryHi.ASID). */
void tlb_set_asid(uint32_t asid);

/* Writes (tag, lo0, lo1) over the entry holding tag, if any; else, when
 * insert is set, into a random slot.  Leaves EntryHi's ASID as it found it. */
void tlb_update(uint32_t tag, uint32_t lo0, uint32_t lo1, int insert);

/* Empties the entry holding tag, if any. */
void tlb_invalidate(uint32_t tag);

/* Empties every entry mapping physical page ppn (either half). */
void tlb_invalidate_ppn(uint32_t ppn);

/* Empties every entry mapping a page for which doomed(ppn, arg) says yes. */
void tlb_invalidate_if(int (*doomed)(uint32_t ppn, void *arg), void *arg);

/* Empties every non-global entry of address space asid. */
void tlb_flush_asid(uint32_t asid);

/* Empties every non-wired entry (a new ASID generation). */
void tlb_flush(void);

/* Reads entry i into *hi, *lo0, *lo1 (for tests and tlbdump). */
void tlb_read(unsigned i, uint32_t *hi, uint32_t *lo0, uint32_t *lo1);

#endif /* AEGIS_TLB_H */
