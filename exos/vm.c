/*
 * vm.c - ExOS's virtual memory (see vm.h).  vm_fault and what it calls run
 * on the exception path, in .exos_text, with their data in .exos_data.
 */
#include "vm.h"

#include <stddef.h>

#include "mips.h"
#include "proc.h"
#include "sys.h"

volatile struct vm_stats vm_stats EXOS_XDATA;
static exos_handler_t protfault EXOS_XDATA;
static uint32_t zero_start EXOS_XDATA, zero_end EXOS_XDATA;

/* The rights to bind e with: writable only if allowed, not protected, and
 * already dirty (a clean page is bound read-only to catch its first write). */
static EXOS_XTEXT uint32_t bind_flags(const struct pte *e)
{
    int w = (e->flags & PTE_W) && (e->flags & PTE_DIRTY) &&
            !(e->flags & (PTE_RDONLY | PTE_NOACC | PTE_COW));
    return w ? TLBF_WRITE : 0;
}

static EXOS_XTEXT int bind(uint32_t va, const struct pte *e)
{
    return sys_tlb_write(0, va & ~(PAGE_SIZE - 1), e->ppn, e->cap, bind_flags(e)) < 0 ? -1 : 0;
}

EXOS_XTEXT int vm_map(uint32_t va, uint32_t ppn, uint32_t cap, uint32_t flags)
{
    vm_busy++;
    struct pte *e = pt_insert(va);
    int r = -E_NOMEM;

    if (e != NULL) {
        e->ppn = ppn;
        e->cap = cap;
        e->flags = flags | PTE_VALID;
        r = bind(va, e);
    }
    vm_busy--;
    return r;
}

void vm_unmap(uint32_t va)
{
    vm_busy++;
    struct pte *e = pt_lookup(va);

    if (e != NULL)
        e->flags = 0;
    sys_tlb_delete(0, va & ~(PAGE_SIZE - 1));
    vm_busy--;
}

EXOS_XTEXT struct pte *vm_lookup(uint32_t va)
{
    return pt_lookup(va);
}

void vm_zero_region(uint32_t start, uint32_t end)
{
    zero_start = start;
    zero_end = end;
}

/* A fresh zero page for va (the kernel zeroes pages it hands out). */
static EXOS_XTEXT int zero_fill(uint32_t va)
{
    uint32_t cap;
    int32_t ppn = sys_page_alloc(-1, &cap);
    struct pte *e;

    if (ppn < 0 || (e = pt_insert(va)) == NULL)
        return -1;
    e->ppn = ppn;
    e->cap = cap;
    e->flags = PTE_VALID | PTE_W | PTE_ZERO;    /* clean until written */
    vm_stats.zero_fills++;
    return bind(va, e);
}

/*
 * The first write to a page shared copy-on-write since a fork: copy it into
 * a page of our own (mapped for a moment at EXOS_COW_VA) and map that
 * writable.  The old page stays with its owner; the other side still uses
 * it (or has copied it too: neither knows, so both copy - a page written on
 * both sides is copied twice, and a page written on one side once).
 */
static EXOS_XTEXT int cow_copy(uint32_t va, struct pte *e)
{
    uint32_t cap;
    int32_t ppn = sys_page_alloc(-1, &cap);
    struct pte *w = pt_insert(EXOS_COW_VA);

    if (ppn < 0 || w == NULL)
        return -1;
    w->ppn = ppn;
    w->cap = cap;
    w->flags = PTE_VALID | PTE_W | PTE_DIRTY;
    if (bind(EXOS_COW_VA, w) < 0)
        return -1;
    const uint32_t *from = (const uint32_t *)(va & ~(PAGE_SIZE - 1));
    uint32_t *to = (uint32_t *)EXOS_COW_VA;
    for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
        to[i] = from[i];
    w->flags = 0;
    sys_tlb_delete(0, EXOS_COW_VA);
    if (AEGIS_EXPOSED->pages[e->ppn].owner == exos_envid())
        exos_fork_retire(e->ppn);       /* ours, but a child may still use it */
    e->ppn = ppn;
    e->cap = cap;
    e->flags = (e->flags & ~PTE_COW) | PTE_DIRTY;
    proc_stats.cow_copies++;
    return bind(va, e);
}

/* An access broke a protection: the program's handler decides. */
static EXOS_XTEXT int prot_fault(struct exos_frame *f)
{
    vm_stats.prot_faults++;
    if (protfault == NULL)
        return -1;
    protfault(f);
    return 0;
}

EXOS_XTEXT int vm_fault(struct exos_frame *f)
{
    uint32_t va = f->badvaddr;
    unsigned code = (f->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;

    vm_stats.faults++;
    if (ptstore_fault(va) == 0)
        return 0;
    exos_repair();                      /* pages the kernel took by force */
    struct pte *e = pt_lookup(va);
    if (e == NULL) {
        if (va >= zero_start && va < zero_end && code != EXC_MOD)
            return zero_fill(va);
        return -1;
    }
    if (e->flags & PTE_LOST)
        return -1;                      /* revoked: the data is gone */
    if (e->flags & PTE_NOACC)
        return prot_fault(f);
    if (code == EXC_MOD || code == EXC_TLBS) {      /* a write */
        if (e->flags & PTE_RDONLY)
            return prot_fault(f);
        if (!(e->flags & PTE_W))
            return -1;                  /* never writable: a bad access */
        if (e->flags & PTE_COW)
            return cow_copy(va, e);
        if (!(e->flags & PTE_DIRTY)) {
            e->flags |= PTE_DIRTY;      /* the first write: now it is dirty */
            vm_stats.dirty_faults++;
            return bind(va, e);
        }
    }
    vm_stats.refills++;
    return bind(va, e);
}

void vm_on_protfault(exos_handler_t h)
{
    protfault = h;
}

/* Applies new flags to [va, va+len) and rebinds (or unbinds) each page. */
static int update(uint32_t va, uint32_t len, uint32_t set, uint32_t clear)
{
    int r = 0;

    vm_busy++;
    for (uint32_t p = va & ~(PAGE_SIZE - 1); r == 0 && p < va + len; p += PAGE_SIZE) {
        struct pte *e = pt_lookup(p);
        if (e == NULL || (e->flags & PTE_LOST)) {
            r = -1;
            break;
        }
        e->flags = (e->flags | set) & ~clear;
        if (e->flags & PTE_NOACC)
            sys_tlb_delete(0, p);
        else
            bind(p, e);
    }
    vm_busy--;
    return r;
}

int vm_protect(uint32_t va, uint32_t len, int prot)
{
    switch (prot) {
    case VM_NONE:
        return update(va, len, PTE_NOACC, PTE_RDONLY);
    case VM_READ:
        return update(va, len, PTE_RDONLY, PTE_NOACC);
    default:
        return update(va, len, 0, PTE_NOACC | PTE_RDONLY);
    }
}

int vm_dirty(uint32_t va)
{
    struct pte *e = pt_lookup(va);

    return e == NULL ? -1 : (e->flags & PTE_DIRTY) != 0;
}

int vm_clean(uint32_t va, uint32_t len)
{
    return update(va, len, 0, PTE_DIRTY);
}
