/*
 * exception.c - exceptions of environments that the fast paths hand over
 * (see exception.h).
 */
#include <stddef.h>

#include "exception.h"

#include "bind.h"
#include "exposed.h"
#include "stlb.h"

void exception_tlb_miss(struct env *e, struct trapframe *tf)
{
    uint32_t tag = stlb_tag(tf->badvaddr, env_asid(e));

    /* The refill path counts a hit before it compares tags; take it back. */
    kexposed.stlb[stlb_index(tag)].hits--;
    e->info->stlb_misses++;

    struct guaranteed *g = env_guaranteed(e, tf->badvaddr);
    if (g != NULL) {
        bind_install(e, g->va, g->lo);
        e->info->guaranteed_fills++;
        return;
    }
    exception_deliver(e, tf);
}

void exception_deliver(struct env *e, struct trapframe *tf)
{
    struct xframe *xf = e->xf;
    uint32_t handler = xf->handler;

    if (handler == 0) {
        env_destroy(e, DEATH_FAULT);
        return;
    }
    /* Exactly what the fast path in vectors.S does. */
    xf->epc = tf->epc;
    xf->cause = tf->cause;
    xf->badvaddr = tf->badvaddr;
    xf->handler = 0;
    tf->epc = handler;
}
