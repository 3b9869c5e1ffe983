/*
 * pager.c - ExOS's answer when the kernel wants pages back (UPCALL_REVOKE),
 * and its repair when pages were taken by force.
 *
 * The kernel asks for n pages and lets us choose (docs/cpu.md).  We give,
 * in this order:
 *  1. clean demand-zero pages (never written: nothing is lost; the next
 *     touch makes a fresh zero page);
 *  2. dirty pages in the range the program said it can lose
 *     (vm_discardable: a cache, a buffer it can rebuild), the highest
 *     addresses first (with the two-level table; in table order with the
 *     hashed one); their contents are lost, and the entry stays as
 *     PTE_LOST, so that a later access is reported (SIGBUS), not silently
 *     refilled with zeros.
 * That is all we give: for anything else (there is no disk to page out
 * to) the kernel takes what it still wants by force, and we repair.
 * Never code, loaded data, the stack, ExOS's own pinned pages, the
 * page-table store, or pages we do not own (shared ones).  This runs on the upcall, in the middle of whatever
 * the program was doing: if the program was itself inside ExOS's VM code
 * (a page-table update, or the exception path), we must not touch the
 * table, so we give nothing and let the kernel take pages by force.
 *
 * Pages taken by force are listed in our exposed env_info (repossessed[]).
 * exos_repair(), called at the top of every VM fault, marks the entries
 * that named them PTE_LOST.
 */
#include "exos.h"
#include "proc.h"
#include "sys.h"
#include "vm.h"

extern char __exos_text_start[], __exos_text_end[];
extern char __exos_data_start[], __exos_data_end[];

volatile uint32_t vm_busy EXOS_XDATA;
volatile struct pager_stats pager_stats EXOS_XDATA;
static uint32_t repaired EXOS_XDATA;      /* repossessions already seen */
static uint32_t discard_lo EXOS_XDATA, discard_hi EXOS_XDATA;

void vm_discardable(uint32_t va, uint32_t len)
{
    discard_lo = va;
    discard_hi = va + len;
}

struct pick {
    uint32_t want, given;
    int dirty_ok;                   /* second pass: heap data pages too */
    uint32_t skip;                  /* candidates to pass over first */
    uint32_t seen;                  /* candidates met so far */
    int count_only;
};

static EXOS_XTEXT int ours_to_give(uint32_t va, const struct pte *e)
{
    return !(e->flags & PTE_LOST) && !exos_private_va(va) &&
           !(va >= (uint32_t)__exos_text_start && va < (uint32_t)__exos_text_end) &&
           !(va >= (uint32_t)__exos_data_start && va < (uint32_t)__exos_data_end) &&
           AEGIS_EXPOSED->pages[e->ppn].owner == exos_envid();
}

/* pt_foreach: give this page back if it fits the pass. */
static EXOS_XTEXT void pick(uint32_t va, struct pte *e, void *arg)
{
    struct pick *p = arg;
    int clean_zero = (e->flags & PTE_ZERO) && !(e->flags & PTE_DIRTY);

    int discardable = va >= discard_lo && va + PAGE_SIZE <= discard_hi;

    if (p->given >= p->want || !ours_to_give(va, e) ||
        !(p->dirty_ok ? discardable && !clean_zero : clean_zero) ||
        p->seen++ < p->skip || p->count_only)
        return;
    if (sys_page_free(e->ppn) < 0)
        return;
    if (clean_zero) {
        e->flags = 0;               /* zeros again on the next touch */
        pager_stats.gave_clean++;
    } else {
        e->flags = PTE_LOST;        /* its data is gone: say so if touched */
        pager_stats.gave_dirty++;
    }
    p->given++;
}

EXOS_XTEXT void exos_revoke(uint32_t n)
{
    struct pick p = { n, 0, 0, 0, 0, 0 };

    pager_stats.requests++;
    /* Not in the middle of the VM code, or of the exception path: from its
     * entry until it re-arms (handler 0) a fault would be fatal, and the
     * page-table walk below may fault. */
    if (vm_busy || *(volatile uint32_t *)(EXOS_XF_VA + XS_DEPTH) != 0 ||
        *(volatile uint32_t *)(EXOS_XF_VA + XF_HANDLER) == 0) {
        pager_stats.refused_busy++;     /* the kernel will take them */
        return;
    }
    pt_foreach(pick, &p);               /* clean pages first... */
    if (p.given == p.want)
        return;
    p.dirty_ok = p.count_only = 1;      /* ...then discardable data, */
    p.seen = 0;                         /* count the candidates, */
    pt_foreach(pick, &p);
    p.skip = p.seen > p.want - p.given ? p.seen - (p.want - p.given) : 0;
    p.seen = p.count_only = 0;          /* giving the highest ones */
    pt_foreach(pick, &p);
}

/* pt_foreach: an entry naming a repossessed page loses it. */
static EXOS_XTEXT void forget(uint32_t va, struct pte *e, void *arg)
{
    (void)va;
    if (e->ppn == *(uint32_t *)arg && !(e->flags & PTE_LOST) &&
        AEGIS_EXPOSED->pages[e->ppn].owner != exos_envid()) {
        e->flags = PTE_LOST;
        pager_stats.lost_by_force++;
    }
}

EXOS_XTEXT void exos_repair(void)
{
    static uint32_t repairing EXOS_XDATA;
    const volatile struct env_info *me = &AEGIS_EXPOSED->envs[exos_envid()];

    if (repairing)                  /* a miss while repairing: just serve it */
        return;
    repairing = 1;
    while (repaired < me->nrepossessed) {
        uint32_t ppn = me->repossessed[repaired % NREPO];
        pt_foreach(forget, &ppn);
        repaired++;
    }
    repairing = 0;
}
