/*
 * ptstore.c - where page tables keep their storage (see pt.h).
 *
 * The page table may be larger than the guaranteed mappings can cover, so
 * its pages are ordinary bindings that the STLB may evict.  What makes them
 * safe to touch while serving a TLB miss is this: the physical page and
 * capability of every page of the store are recorded here, in a small array
 * in ExOS's guaranteed data.  A miss on the store is served from that array
 * alone, without walking any table, so a walk that misses nests exactly one
 * level deep.
 */
#include "exos.h"
#include "pt.h"
#include "sys.h"

static struct {
    uint32_t ppn, cap;
} meta[PTSTORE_PAGES] EXOS_XDATA;
static uint32_t used EXOS_XDATA;

EXOS_XTEXT void ptstore_reset(void)
{
    for (uint32_t i = 0; i < used; i++)
        meta[i].ppn = meta[i].cap = 0;
    used = 0;
}

EXOS_XTEXT uint32_t ptstore_alloc(uint32_t n)
{
    uint32_t first = used;

    if (n > PTSTORE_PAGES - used)
        return 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t cap;
        int32_t ppn = sys_page_alloc(-1, &cap);
        uint32_t va = PTSTORE_BASE + (first + i) * PAGE_SIZE;
        if (ppn < 0 || sys_tlb_write(0, va, ppn, cap, TLBF_WRITE) < 0)
            return 0;
        meta[first + i].ppn = ppn;
        meta[first + i].cap = cap;
        used++;
    }
    return PTSTORE_BASE + first * PAGE_SIZE;    /* the kernel zeroes new pages */
}

EXOS_XTEXT int ptstore_fault(uint32_t va)
{
    uint32_t i = (va - PTSTORE_BASE) >> PAGE_SHIFT;

    if (va < PTSTORE_BASE || i >= used)
        return -1;
    return sys_tlb_write(0, va & ~(PAGE_SIZE - 1), meta[i].ppn, meta[i].cap, TLBF_WRITE) < 0 ? -1 : 0;
}
