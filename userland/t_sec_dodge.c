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
 */
#include <stdint.h>

#include "sec.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define NPAGES      10
#define WAIT        20          /* our slices, at most */

struct shared {
    volatile uint32_t ready, g;
    volatile uint32_t ppn[NPAGES];
    volatile uint32_t asked, gave, answered;
};
#define SHP ((struct shared *)VA_SHARED)

__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "m_upcall_stub:\n"
    "   li    $sp, 0x10010400\n"        /* CHILD_STACK + 1 KiB */
    "   j     m_upcall\n"
    "   nop\n"
    "   .set pop\n   .text\n");
void m_upcall_stub(void);

/* M's answer to a revocation: everything to its own child, then yield. */
CHILD void m_upcall(void)
{
    struct shared *sh = SHP;

    if (SEC_XF[XF_UPCALL_WHY / 4] == UPCALL_REVOKE && !sh->answered) {
        sh->asked = SEC_XF[XF_REVOKE / 4];
        for (int i = 0; i < NPAGES; i++)
            if (sys_page_give(sh->ppn[i], sh->g) == 0)
                sh->gave++;
        sh->answered = 1;
    }
    for (;;)
        sys_yield(-1);
}

static CHILD void m_main(uint32_t arg)
{
    struct shared *sh = SHP;
    uint32_t cap;
    (void)arg;

    if (sys_xframe(EXOS_XF_VA) != 0)
        sys_env_destroy(0, 0);
    SEC_XF[XF_UPCALL / 4] = (uint32_t)m_upcall_stub;
    for (int i = 0; i < NPAGES; i++)
        sh->ppn[i] = sys_page_alloc(-1, &cap);
    sh->g = sys_env_create();
    sh->ready = 1;
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

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct shared *sh = SHP;
    int slot;
    uint32_t me = exos_envid();

    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    int32_t m = child_create(VA_SHARED, ppn, wcap, &slot);
    int ok = m > 0 && sys_slice_alloc(0, 0) == 0 && sys_slice_alloc(m, 1) == 1 &&
             child_start(m, m_main, 0) == 0;
    for (int i = 0; ok && i < WAIT && !sh->ready; i++)
        sys_yield(-1);
    uint32_t g = sh->g;
    const volatile struct env_info *me_i = &AEGIS_EXPOSED->envs[m], *ge = &AEGIS_EXPOSED->envs[g];
    uint32_t before = ok ? subtree_pages(m) : 0;
    check(ok && sh->ready && g > 0 && g <= NENV && ge->parent == (uint32_t)m &&
          me_i->pages == NPAGES + 2 && before == NPAGES + 2,
          "a child with 12 pages and a child of its own", "child %ld: %lu pages, grandchild %lu",
          (long)m, m > 0 ? (unsigned long)me_i->pages : 0ul, (unsigned long)g);

    check(sys_page_revoke(m, NPAGES) == 0, "we ask it for 10 pages", "-");
    uint32_t s0 = AEGIS_EXPOSED->envs[me].slices_run;
    while (!sh->answered && AEGIS_EXPOSED->envs[me].slices_run - s0 < WAIT)
        sys_yield(-1);
    for (int i = 0; i < 2; i++)     /* and let the kernel finish with it */
        sys_yield(-1);
    check(sh->answered && sh->asked == NPAGES && sh->gave == NPAGES,
          "it answered by giving all 10 to its own child", "asked %lu, gave %lu",
          (unsigned long)sh->asked, (unsigned long)sh->gave);
    uint32_t after = subtree_pages(m);
    check(after <= before - NPAGES,
          "its subtree holds no more than before, less the 10 pages asked",
          "held %lu, now %lu (child %lu, grandchild %lu), target %lu", (unsigned long)before,
          (unsigned long)after, (unsigned long)me_i->pages, (unsigned long)ge->pages,
          (unsigned long)(before - NPAGES));
    int freed = 0;
    for (int i = 0; i < NPAGES; i++)
        freed += AEGIS_EXPOSED->pages[sh->ppn[i]].owner == OWNER_FREE;
    check(freed == NPAGES, "the 10 pages are free again", "%d of 10 free", freed);
    child_end(m);
    return tap_done();
}
