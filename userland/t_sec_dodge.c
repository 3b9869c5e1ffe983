/*
 * t_sec_dodge - a revocation counts what the environment's subtree holds.
 *
 * kernel-args: slices=2 tick_us=500
 *
 * SYS_PAGE_REVOKE asks an environment for n pages.  If the kernel counts
 * only the pages the environment itself owns, it can answer by giving the
 * pages to a child of its own (SYS_PAGE_GIVE): it owns few enough, and its
 * family keeps everything.  Asking e for n pages must mean that e and all
 * its descendants together get down to what they held less n; whatever
 * is still over when the window ends the kernel takes back from the
 * subtree.
 *
 * The attack: a raw child M (slot 1 of 2; ours is slot 0) allocates 10
 * pages and creates a child G of its own (stopped: it needs to do nothing
 * to hold pages).  We ask M for those 10 pages.  M's upcall handler gives
 * all 10 to G and yields, in time.  Afterwards M and G together must hold
 * at most what they held less 10.
 *
 * And the other way round: a second child, with 10 pages besides the 2 it
 * is pinned to, is asked for 1000.  Asking for more than a subtree holds
 * must take all it can (everything but pinned pages), not nothing: the old
 * kernel, finding nothing left to keep, never asked at all.
 */
#include <stdint.h>

#include "sec.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define NPAGES      10
#define WAIT        20          /* our slices, at most */
#define TOO_MANY    1000

/* One record per child: 0 gives its pages to its own child, 1 ignores. */
struct rec {
    volatile uint32_t ready, g;
    volatile uint32_t ppn[NPAGES];
    volatile uint32_t asked, gave, answered;
};
struct shared {
    struct rec r[2];
};
#define SHP ((struct shared *)VA_SHARED)

/* Which child this is: the first word of its stack page. */
#define WHICH (*(volatile uint32_t *)CHILD_STACK)

__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "m_upcall_stub:\n"
    "   li    $sp, 0x10010400\n"        /* CHILD_STACK + 1 KiB */
    "   j     m_upcall\n"
    "   nop\n"
    "   .set pop\n   .text\n");
void m_upcall_stub(void);

/* The answer to a revocation: child 0 gives everything to its own child,
 * child 1 nothing; both yield in time. */
CHILD void m_upcall(void)
{
    struct rec *r = &SHP->r[WHICH];

    if (SEC_XF[XF_UPCALL_WHY / 4] == UPCALL_REVOKE && !r->answered) {
        r->asked = SEC_XF[XF_REVOKE / 4];
        for (int i = 0; i < NPAGES && WHICH == 0; i++)
            if (sys_page_give(r->ppn[i], r->g) == 0)
                r->gave++;
        r->answered = 1;
    }
    for (;;)
        sys_yield(-1);
}

static CHILD void m_main(uint32_t which)
{
    struct rec *r = &SHP->r[which];
    uint32_t cap;

    WHICH = which;
    if (sys_xframe(EXOS_XF_VA) != 0)
        sys_env_destroy(0, 0);
    SEC_XF[XF_UPCALL / 4] = (uint32_t)m_upcall_stub;
    for (int i = 0; i < NPAGES; i++)
        r->ppn[i] = sys_page_alloc(-1, &cap);
    r->g = sys_env_create();
    r->ready = 1;
    for (;;)
        sys_yield(-1);
}

/* Pages held by e and its descendants, from the exposed tables. */
static uint32_t subtree_pages(uint32_t e)
{
    uint32_t n = AEGIS_EXPOSED->envs[e].pages;

    for (uint32_t c = 1; c <= NENV; c++)
        if (c != e && AEGIS_EXPOSED->envs[c].state != ENV_FREE &&
            AEGIS_EXPOSED->envs[c].parent == e)
            n += subtree_pages(c);
    return n;
}

/* Child `which`, in slot 1, set up; returns its envid or -1. */
static int32_t start_child(uint32_t which, uint32_t ppn, uint32_t wcap)
{
    struct rec *r = &SHP->r[which];
    int slot;
    int32_t m = child_create(VA_SHARED, ppn, wcap, &slot);
    int ok = m > 0 && sys_slice_alloc(m, 1) == 1 && child_start(m, m_main, which) == 0;

    for (int i = 0; ok && i < WAIT && !r->ready; i++)
        sys_yield(-1);
    return ok && r->ready ? m : -1;
}

/* Lets child m answer (or not) and the kernel finish with it. */
static void settle(uint32_t which)
{
    uint32_t me = exos_envid(), s0 = AEGIS_EXPOSED->envs[me].slices_run;

    while (!SHP->r[which].answered && AEGIS_EXPOSED->envs[me].slices_run - s0 < WAIT)
        sys_yield(-1);
    for (int i = 0; i < 2; i++)
        sys_yield(-1);
}

static int nfree(struct rec *r)
{
    int n = 0;
    for (int i = 0; i < NPAGES; i++)
        n += AEGIS_EXPOSED->pages[r->ppn[i]].owner == OWNER_FREE;
    return n;
}

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct rec *r = &SHP->r[0];

    check(child_shared_page(VA_SHARED, &ppn, &wcap) && sys_slice_alloc(0, 0) == 0,
          "a shared page; we hold slot 0 of 2", "-");
    int32_t m = start_child(0, ppn, wcap);
    uint32_t g = r->g;
    uint32_t before = m > 0 ? subtree_pages(m) : 0;
    check(m > 0 && g > 0 && g <= NENV && AEGIS_EXPOSED->envs[g].parent == (uint32_t)m &&
          AEGIS_EXPOSED->envs[m].pages == NPAGES + 2 && before == NPAGES + 2,
          "a child with 12 pages and a child of its own", "child %ld: %lu pages, grandchild %lu",
          (long)m, m > 0 ? (unsigned long)AEGIS_EXPOSED->envs[m].pages : 0ul, (unsigned long)g);

    check(sys_page_revoke(m, NPAGES) == 0, "we ask it for 10 pages", "-");
    settle(0);
    check(r->answered && r->asked == NPAGES && r->gave == NPAGES,
          "it answered by giving all 10 to its own child", "asked %lu, gave %lu",
          (unsigned long)r->asked, (unsigned long)r->gave);
    uint32_t after = subtree_pages(m);
    check(after <= before - NPAGES,
          "its subtree holds no more than before, less the 10 pages asked",
          "held %lu, now %lu (child %lu, grandchild %lu), target %lu", (unsigned long)before,
          (unsigned long)after, (unsigned long)AEGIS_EXPOSED->envs[m].pages,
          (unsigned long)AEGIS_EXPOSED->envs[g].pages, (unsigned long)(before - NPAGES));
    check(nfree(r) == NPAGES, "the 10 pages are free again", "%d of 10 free", nfree(r));
    child_end(m);

    /* More than it holds: everything but its 2 pinned pages. */
    r = &SHP->r[1];
    int32_t m2 = start_child(1, ppn, wcap);
    check(m2 > 0 && subtree_pages(m2) == NPAGES + 2, "a second child with 12 pages, 2 pinned",
          "-");
    check(sys_page_revoke(m2, TOO_MANY) == 0, "we ask it for 1000 pages", "-");
    settle(1);
    check(subtree_pages(m2) == 2 && nfree(r) == NPAGES,
          "asked for more than it holds, it keeps only its pinned pages",
          "it holds %lu, %d of its 10 free; it %s asked", (unsigned long)subtree_pages(m2),
          nfree(r), r->answered ? "was" : "was never");
    child_end(m2);
    return tap_done();
}
