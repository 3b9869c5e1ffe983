/*
 * handoff.c - setting up a new environment for a process (see handoff.h).
 */
#include "handoff.h"

#include <stddef.h>
#include <string.h>

#include "exos.h"
#include "proc.h"
#include "sys.h"
#include "vm.h"

/* Entries the record's pages can hold now. */
static uint32_t capacity(const struct handoff *h)
{
    return (h->nrec * PAGE_SIZE - offsetof(struct bootrec, page)) / sizeof(struct bootrec_page);
}

/* One more record page, mapped here after the others. */
static int grow(struct handoff *h)
{
    uint32_t cap;

    if (h->nrec >= EXOS_REC_PAGES_MAX)
        return -E_NOMEM;
    int32_t ppn = sys_page_alloc(-1, &cap);
    if (ppn < 0)
        return ppn;
    if (vm_map(EXOS_BUILD_VA + h->nrec * PAGE_SIZE, ppn, cap, PTE_W | PTE_DIRTY) < 0) {
        sys_page_free(ppn);
        return -E_NOMEM;
    }
    h->rec_ppn[h->nrec] = ppn;
    h->rec_cap[h->nrec] = cap;
    h->nrec++;
    return 0;
}

int handoff_begin(struct handoff *h, const char *cmdline)
{
    h->nrec = 0;
    h->low_slot = 0;
    h->high_slot = NGUARANTEED - 1;
    h->rec = (struct bootrec *)EXOS_BUILD_VA;
    h->child = sys_env_create();
    if (h->child < 0)
        return h->child;
    int r = grow(h);
    if (r < 0) {
        handoff_abort(h);
        return r;
    }
    h->rec->magic = BOOTREC_MAGIC;
    h->rec->envid = h->child;
    h->rec->npages = 0;
    h->rec->libos = 0;
    strncpy(h->rec->cmdline, cmdline, BOOTREC_CMDLINE - 1);
    return h->child;
}

/* Rights for binding a page with these ExOS flags (see vm.c's bind_flags). */
static uint32_t tlb_flags(uint32_t flags)
{
    return (flags & PTE_W) && (flags & PTE_DIRTY) && !(flags & PTE_COW) ? TLBF_WRITE : 0;
}

int handoff_page(struct handoff *h, uint32_t va, uint32_t ppn, uint32_t cap, uint32_t flags,
                 int pin)
{
    /* Room for this entry and, at the end, one per record page and the
     * startup stack. */
    if (h->rec->npages + EXOS_REC_PAGES_MAX + 2 > capacity(h) && grow(h) < 0)
        return -E_NOMEM;
    h->rec->page[h->rec->npages++] = (struct bootrec_page){ va, ppn, cap, flags | REC_PTE };
    if (pin == PIN_NONE)
        return 0;
    if (h->low_slot > h->high_slot)
        return -E_NOMEM;
    int slot = pin == PIN_LOW ? h->low_slot++ : h->high_slot--;
    return sys_guarantee(h->child, slot, va, ppn, cap, tlb_flags(flags));
}

/* The page being filled at EXOS_COPY_VA. */
static struct {
    uint32_t va, ppn, cap, flags;
    int pin;
} pending;

void *handoff_new_page(struct handoff *h, uint32_t va, uint32_t flags, int pin)
{
    uint32_t cap;
    int32_t ppn = sys_page_alloc(-1, &cap);

    (void)h;
    if (ppn < 0)
        return NULL;
    if (vm_map(EXOS_COPY_VA, ppn, cap, PTE_W | PTE_DIRTY) < 0) {
        sys_page_free(ppn);
        return NULL;
    }
    pending.va = va, pending.ppn = ppn, pending.cap = cap;
    pending.flags = flags, pending.pin = pin;
    return (void *)EXOS_COPY_VA;
}

int handoff_page_done(struct handoff *h)
{
    vm_unmap(EXOS_COPY_VA);
    int r = sys_page_give(pending.ppn, h->child);
    if (r < 0) {
        sys_page_free(pending.ppn);
        return r;
    }
    return handoff_page(h, pending.va, pending.ppn, pending.cap, pending.flags, pending.pin);
}

/* Pins a record page in the child from the top slots down. */
static int pin_high(struct handoff *h, uint32_t va, uint32_t ppn, uint32_t cap)
{
    if (h->high_slot < h->low_slot)
        return -E_NOMEM;
    return sys_guarantee(h->child, h->high_slot--, va, ppn, cap, TLBF_WRITE);
}

int handoff_start(struct handoff *h, uint32_t pc, uint32_t sp, int stack_page, uint32_t libos)
{
    int r = 0;

    if (stack_page) {       /* the startup stack: just above the record */
        uint32_t va = EXOS_REC_VA + EXOS_REC_PAGES_MAX * PAGE_SIZE;
        if (handoff_new_page(h, va, PTE_W | PTE_DIRTY, PIN_HIGH) == NULL ||
            handoff_page_done(h) < 0)
            r = -E_NOMEM;
        sp = va + PAGE_SIZE - 16;
    }
    for (uint32_t i = 0; r == 0 && i < h->nrec; i++)
        r = handoff_page(h, EXOS_REC_VA + i * PAGE_SIZE, h->rec_ppn[i], h->rec_cap[i],
                         PTE_W | PTE_DIRTY, 0);
    h->rec->libos = libos;
    /* Hand the record over: no longer ours to map. */
    for (uint32_t i = 0; i < h->nrec; i++) {
        vm_unmap(EXOS_BUILD_VA + i * PAGE_SIZE);
        if (r == 0)
            r = sys_page_give(h->rec_ppn[i], h->child);
        if (r == 0)
            r = pin_high(h, EXOS_REC_VA + i * PAGE_SIZE, h->rec_ppn[i], h->rec_cap[i]);
        else
            sys_page_free(h->rec_ppn[i]);
    }
    h->nrec = 0;
    if (r == 0)
        r = sys_env_start(h->child, pc, sp, EXOS_REC_VA);
    if (r < 0) {
        handoff_abort(h);
        return r;
    }
    return h->child;
}

void handoff_abort(struct handoff *h)
{
    for (uint32_t i = 0; i < h->nrec; i++) {
        vm_unmap(EXOS_BUILD_VA + i * PAGE_SIZE);
        sys_page_free(h->rec_ppn[i]);
    }
    h->nrec = 0;
    if (h->child > 0) {
        sys_env_destroy(h->child, 0);
        sys_env_reap(h->child);
    }
}
