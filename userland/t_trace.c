/*
 * t_trace - the TLB tracer: with tracing on, every refill, STLB miss,
 * binding, TLB-modified fault and hardware-TLB eviction of ours is in the
 * exposed ring and its counts; with tracing off, nothing is recorded.
 */
#include <stdint.h>
#include <stdlib.h>

#include "exos.h"
#include "sys.h"
#include "tap.h"
#include "vm.h"

#define PAGES 600           /* 300 pairs: more than QEMU's TLB keeps, shadows included */

static uint32_t count(unsigned kind)
{
    return AEGIS_EXPOSED->trace.counts[exos_envid()][kind];
}

int main(void)
{
    /* Whole pages of their own, not yet touched. */
    volatile uint32_t *mem = malloc((PAGES + 1) * PAGE_SIZE);
    mem = (volatile uint32_t *)(((uint32_t)mem + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
    const volatile struct trace_ring *t = &AEGIS_EXPOSED->trace;

    check(sys_trace(1) == 0 && t->on, "tracing turned on", "-");
    uint32_t head0 = t->head;
    for (int p = 0; p < PAGES; p++)      /* demand-zero: miss, bind, write */
        mem[p * 1024] = p;
    uint32_t sum = 0;
    for (int round = 0; round < 2; round++)
        for (int p = 0; p < PAGES; p++)  /* 600 pages > 16 TLB entries: refills */
            sum += mem[p * 1024];
    vm_clean((uint32_t)mem, PAGE_SIZE);
    mem[0] = 1;                          /* a TLB-modified fault */
    check(sys_trace(0) == 1 && !t->on, "tracing turned off", "-");
    uint32_t head1 = t->head;

    /* (A pair's second page finds its STLB entry with that half invalid:
     * a TLB-invalid exception, forwarded to ExOS just the same.) */
    check(count(TEV_STLB_MISS) + count(TEV_INVALID) >= PAGES,
          "each new page: an STLB miss or invalid half, forwarded to ExOS", "%lu + %lu",
          (unsigned long)count(TEV_STLB_MISS), (unsigned long)count(TEV_INVALID));
    check(count(TEV_BIND) >= PAGES, "each new page: ExOS installed a binding", "%lu",
          (unsigned long)count(TEV_BIND));
    check(count(TEV_REFILL) >= PAGES, "re-reading 600 pages: refills served from the STLB", "%lu",
          (unsigned long)count(TEV_REFILL));
    check(count(TEV_TLB_EVICT) > 0, "refills evicted hardware TLB entries", "%lu",
          (unsigned long)count(TEV_TLB_EVICT));
    check(count(TEV_MOD) >= 1, "a write to a clean page: a TLB-modified event", "%lu",
          (unsigned long)count(TEV_MOD));

    /* The last event of ours in the ring is the TLB-modified one at mem. */
    int found = 0;
    for (uint32_t n = head1; n-- > head0 && n + TRACE_NEVENTS > head1;) {
        const volatile struct trace_event *e = &t->ev[n % TRACE_NEVENTS];
        if (e->env == exos_envid() && e->kind == TEV_MOD) {
            found = (e->va & ~(PAGE_SIZE - 1)) == ((uint32_t)mem & ~(PAGE_SIZE - 1));
            break;
        }
    }
    check(found, "the ring names the page of the TLB-modified fault", "-");

    /* Off: the plain vectors run, and nothing is recorded. */
    uint32_t refills = count(TEV_REFILL), head = t->head;
    for (int p = 0; p < PAGES; p++)
        sum += mem[p * 1024];
    check(t->head == head && count(TEV_REFILL) == refills, "with tracing off nothing is recorded",
          "%lu events", (unsigned long)(t->head - head));

    check(sys_tlb_snapshot() == 16, "a snapshot of the 16 hardware TLB entries", "-");
    check(AEGIS_EXPOSED->tlb_wired == 1 && (AEGIS_EXPOSED->tlb[0].hi & ~0x1fffu) == EXPOSED_VA,
          "entry 0 is the wired mapping of the exposed tables", "hi %08lx",
          (unsigned long)AEGIS_EXPOSED->tlb[0].hi);
    (void)sum;
    return tap_done();
}
