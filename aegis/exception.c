/*
 * exception.c - exceptions of environments that the fast paths hand over
 * (see exception.h).
 */
#include <stddef.h>

#include "exception.h"

#include "bind.h"
#include "exposed.h"
#include "trace.h"
#include "mips.h"
#include "stlb.h"

/*
 * A guaranteed mapping never faults: if va has one, (re)install it and
 * return 1.  This catches both a refill the STLB missed and a TLB-invalid
 * exception on the other half of a pair whose first half was filled alone.
 */
static int fill_guaranteed(struct env *e, uint32_t va)
{
    struct guaranteed *g = env_guaranteed(e, va);

    if (g == NULL)
        return 0;
    bind_install(e, g->va, g->lo);
    e->info->guaranteed_fills++;
    return 1;
}

void exception_tlb_miss(struct env *e, struct trapframe *tf)
{
    uint32_t tag = stlb_tag(tf->badvaddr, env_asid(e));

    /* The refill path counts a hit before it compares tags; take it back. */
    kexposed.stlb[stlb_index(tag)].hits--;
    e->info->stlb_misses++;
    if (fill_guaranteed(e, tf->badvaddr)) {
        trace_event(TEV_GUARANTEED, e->info->id, 0, tf->badvaddr, tf->epc, 0);
        return;
    }
    trace_event(TEV_STLB_MISS, e->info->id, 0, tf->badvaddr, tf->epc, 0);
    exception_deliver(e, tf);
}

void exception_deliver(struct env *e, struct trapframe *tf)
{
    struct xframe *xf = e->xf;
    uint32_t handler = xf->handler;
    unsigned code = (tf->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;

    /* A handler that is running (disarmed) may still touch the other half
     * of a guaranteed pair; the fast path sends that here. */
    if ((code == EXC_TLBL || code == EXC_TLBS) && fill_guaranteed(e, tf->badvaddr))
        return;
    if (handler == 0) {
        env_destroy(e, DEATH_FAULT, 0);
        return;
    }
    /* Exactly what the fast path in vectors.S does. */
    xf->epc = tf->epc;
    xf->cause = tf->cause;
    xf->badvaddr = tf->badvaddr;
    xf->handler = 0;
    tf->epc = handler;
}
