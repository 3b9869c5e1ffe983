/*
 * bind.c - making, finding and breaking secure bindings (see bind.h).
 */
#include <stddef.h>

#include "bind.h"
#include "trace.h"

#include "exposed.h"
#include "kernel.h"
#include "mips.h"
#include "stlb.h"
#include "tlb.h"

int bind_check_va(uint32_t va)
{
    if (va >= USER_TOP)
        return -E_KADDR;
    if (va - EXPOSED_VA < EXPOSED_SIZE)
        return -E_INVAL;
    if (va & (PAGE_SIZE - 1))
        return -E_ALIGN;
    return 0;
}

uint32_t bind_entrylo(uint32_t ppn, uint32_t flags)
{
    uint32_t lo = (ppn << ENTRYLO_PFN_SHIFT) | ENTRYLO_V;

    lo |= (flags & TLBF_UNCACHED) ? ENTRYLO_UNCACHED : ENTRYLO_CACHED;
    if (flags & TLBF_WRITE)
        lo |= ENTRYLO_D;
    return lo;
}

/* Charges an STLB eviction to the environment whose entry was displaced. */
static void count_eviction(uint32_t tag)
{
    struct env *e = env_by_asid(tag & ENTRYHI_ASID_MASK);

    if (e != NULL)
        e->info->stlb_evictions++;
}

void bind_install(struct env *e, uint32_t va, uint32_t lo)
{
    uint32_t tag = stlb_tag(va, env_asid(e));
    int half = stlb_half(va);
    uint32_t displaced = stlb_bind(kexposed.stlb, tag, half, lo);

    if (displaced != STLB_EMPTY) {
        count_eviction(displaced);
        trace_event(TEV_STLB_EVICT, e->info->id, 0, displaced, tag, 0);
    }
    trace_event(TEV_BIND, e->info->id, 0, va, lo, 0);
    struct stlb_entry *s = stlb_lookup(kexposed.stlb, tag);
    /* A new entry knows only this half.  If the other page of the pair is a
     * guaranteed mapping, fill it in too: writing the pair into the TLB
     * with that half invalid would make a guaranteed page fault. */
    uint32_t *other = half ? &s->lo0 : &s->lo1;
    if (!(*other & ENTRYLO_V)) {
        struct guaranteed *g = env_guaranteed(e, va ^ PAGE_SIZE);
        if (g != NULL)
            *other = g->lo;
    }
    /* Keep the hardware TLB in step: update the pair if it is cached, and
     * load it now if e is running (its next access would only refill it). */
    tlb_update(tag, s->lo0, s->lo1, e == env_current());
}

int bind_page(struct env *e, uint32_t va, uint32_t ppn, uint32_t cap,
              uint32_t flags, uint32_t *lo)
{
    int r = bind_check_va(va);

    if (r == 0)
        r = physmem_check(&phys, ppn, cap, flags & TLBF_WRITE);
    if (r < 0)
        return r;
    uint32_t l = bind_entrylo(ppn, flags);
    bind_install(e, va, l);
    if (lo != NULL)
        *lo = l;
    return 0;
}

int bind_remove(struct env *e, uint32_t va)
{
    uint32_t tag = stlb_tag(va, env_asid(e));
    int n = stlb_unbind(kexposed.stlb, tag, stlb_half(va));
    struct stlb_entry *s = stlb_lookup(kexposed.stlb, tag);

    /* The hardware TLB may hold the pair even if the STLB no longer does. */
    if (s != NULL)
        tlb_update(tag, s->lo0, s->lo1, 0);
    else
        tlb_invalidate(tag);
    return n;
}

static void tlb_gone(uint32_t tag, void *arg)
{
    (void)arg;
    tlb_invalidate(tag);
}

void bind_break_if(int (*doomed)(uint32_t ppn, void *arg), void *arg)
{
    stlb_unbind_if(kexposed.stlb, doomed, arg, tlb_gone, NULL);
    tlb_invalidate_if(doomed, arg); /* bindings the STLB had already evicted */
    for (int i = 1; i <= NENV; i++) {
        for (int g = 0; g < NGUARANTEED; g++)
            if ((envs[i].gm[g].lo & ENTRYLO_V) && doomed(entrylo_ppn(envs[i].gm[g].lo), arg))
                envs[i].gm[g].va = envs[i].gm[g].lo = 0;
        if (envs[i].info->state != ENV_FREE && env_has_frame(&envs[i]) &&
            doomed(envs[i].xf_ppn, arg))
            env_drop_xframe(envs[i].xf_ppn);
    }
}

static int is_ppn(uint32_t ppn, void *arg)
{
    return ppn == *(uint32_t *)arg;
}

void bind_break_all(uint32_t ppn)
{
    bind_break_if(is_ppn, &ppn);
}

static int is_marked(uint32_t ppn, void *arg)
{
    const uint32_t *marks = arg;

    return ppn < phys.npages && (marks[ppn / 32] >> (ppn % 32)) & 1;
}

int bind_free_marked(uint32_t *marks)
{
    int n = 0;

    bind_break_if(is_marked, marks);
    for (uint32_t ppn = 0; ppn < phys.npages; ppn++) {
        if (!is_marked(ppn, marks))
            continue;
        marks[ppn / 32] &= ~(1u << (ppn % 32));
        uint16_t owner = physmem_owner(&phys, ppn);
        if (owner >= 1 && owner <= NENV && physmem_free(&phys, ppn, owner) == 0) {
            envs[owner].info->pages--;
            n++;
        }
    }
    return n;
}

int bind_free_page(uint32_t ppn, uint16_t owner)
{
    if (ppn >= phys.npages)
        return -E_INVAL;
    if (physmem_owner(&phys, ppn) != owner)
        return -E_PERM;
    bind_break_all(ppn);
    if (owner <= NENV)
        envs[owner].info->pages--;
    return physmem_free(&phys, ppn, owner);
}

/* The EntryLo e has bound for va, from the STLB, the TLB or a guaranteed
 * mapping; 0 if none. */
static uint32_t find_lo(struct env *e, uint32_t va)
{
    uint32_t tag = stlb_tag(va, env_asid(e));
    int half = stlb_half(va);
    struct stlb_entry *s = stlb_lookup(kexposed.stlb, tag);

    if (s != NULL && ((half ? s->lo1 : s->lo0) & ENTRYLO_V))
        return half ? s->lo1 : s->lo0;
    struct guaranteed *g = env_guaranteed(e, va);
    if (g != NULL)
        return g->lo;
    for (unsigned i = TLB_WIRED; i < tlb_size(); i++) {
        uint32_t hi, lo0, lo1;
        tlb_read(i, &hi, &lo0, &lo1);
        if (hi == tag) {
            uint32_t lo = half ? lo1 : lo0;
            return (lo & ENTRYLO_V) ? lo : 0;
        }
    }
    return 0;
}

int bind_translate(struct env *e, uint32_t va, int write, void **kva)
{
    if (va >= USER_TOP)
        return -E_KADDR;
    uint32_t lo = find_lo(e, va);
    if (lo == 0 || (write && !(lo & ENTRYLO_D)))
        return -E_FAULT;
    *kva = (void *)PHYS_TO_KSEG0((entrylo_ppn(lo) << PAGE_SHIFT) | (va & (PAGE_SIZE - 1)));
    return 0;
}
