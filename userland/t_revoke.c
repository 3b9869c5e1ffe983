/*
 * t_revoke - the kernel asks for pages back; it gets them either way.
 *
 * kernel-args: slices=8 tick_us=500
 *
 * Two children each allocate and bind six pages.  The parent asks each for
 * two back (SYS_PAGE_REVOKE, the test hook for memory pressure).  The
 * cooperating child's upcall handler chooses two of its pages, frees them
 * and yields.  The other spins in its handler: when the grace window runs
 * out the kernel takes two pages by force and records them in the
 * child's exposed repossession list.  Either way the pages end up free, no
 * binding to them survives, and the environment knows which pages it lost.
 */
#include <stdint.h>

#include "child.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define VA_PAGES    0x20000000u
#define NPAGES      6

struct shared {
    volatile uint32_t ready[2];
    volatile uint32_t asked[2];         /* xframe.revoke, as each child saw it */
    volatile uint32_t ppn[2][NPAGES];
    volatile uint32_t freed[2][NPAGES];
    volatile uint32_t spins[2];
};

/* The upcall entry: a stack of its own (the bottom of the stack page), then C. */
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "upcall_stub:\n"
    "   li    $sp, 0x10010400\n"        /* CHILD_STACK + 1 KiB */
    "   j     child_upcall\n"
    "   nop\n"
    "   .set pop\n   .text\n");
void upcall_stub(void);

/* Which child this is: kept in the first word of its stack page. */
#define WHICH (*(volatile uint32_t *)CHILD_STACK)

CHILD void child_upcall(void)
{
    struct shared *sh = (struct shared *)VA_SHARED;
    volatile struct xframe *xf = (struct xframe *)EXOS_XF_VA;
    uint32_t w = WHICH;

    if (xf->upcall_why == UPCALL_REVOKE) {
        uint32_t n = xf->revoke;
        sh->asked[w] = n;
        if (w == 1) {                   /* ignore the request */
            sh->spins[1] = 1;
            spin_forever();             /* (asm: nothing on this stack, which */
        }                               /* the next upcall reuses) */
        for (int i = NPAGES - 1; i >= 0 && n > 0; i--, n--)
            if (sys_page_free(sh->ppn[w][i]) == 0)
                sh->freed[w][i] = 1;
    }
    sys_yield(-1);
    for (;;)
        ;
}

static CHILD void child_main(uint32_t w)
{
    struct shared *sh = (struct shared *)VA_SHARED;

    WHICH = w;
    if (sys_xframe(EXOS_XF_VA) != 0)
        sys_env_destroy(0, 0);
    *(volatile uint32_t *)(EXOS_XF_VA + XF_UPCALL) = (uint32_t)upcall_stub;
    for (int i = 0; i < NPAGES; i++) {
        uint32_t cap;
        int32_t ppn = sys_page_alloc(-1, &cap);
        uint32_t va = VA_PAGES + i * 2 * PAGE_SIZE;
        sys_tlb_write(0, va, ppn, cap, TLBF_WRITE);
        *(volatile uint32_t *)va = w;           /* bound and used */
        sh->ppn[w][i] = ppn;
    }
    sh->ready[w] = 1;
    for (;;)
        ;
}

static int page_free(uint32_t ppn)
{
    return AEGIS_EXPOSED->pages[ppn].owner == OWNER_FREE;
}

static int stlb_names(uint32_t ppn)
{
    for (int i = 0; i < STLB_ENTRIES; i++) {
        const volatile struct stlb_entry *e = &AEGIS_EXPOSED->stlb[i];
        if (e->tag != STLB_EMPTY &&
            (((e->lo0 & 2) && e->lo0 >> 6 == ppn) || ((e->lo1 & 2) && e->lo1 >> 6 == ppn)))
            return 1;
    }
    return 0;
}

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct shared *sh = (struct shared *)VA_SHARED;
    int32_t kid[2];
    int slot, ok = 1;

    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    ok &= sys_slice_alloc(0, 0) == 0;
    for (int w = 0; w < 2; w++) {
        kid[w] = child_create(VA_SHARED, ppn, wcap, &slot);
        ok &= kid[w] > 0;
        for (int pos = 1 + 4 * w - w; pos < 4 + 4 * w && pos < 8; pos++)
            ok &= sys_slice_alloc(kid[w], pos) == pos;
    }
    check(ok, "two children, and slices for them and for us", "-");
    for (int w = 0; w < 2; w++)
        child_start(kid[w], child_main, w);
    while (!sh->ready[0] || !sh->ready[1])
        sys_yield(-1);

    uint32_t before[2];
    for (int w = 0; w < 2; w++) {
        before[w] = AEGIS_EXPOSED->envs[kid[w]].pages;
        check(sys_page_revoke(kid[w], 2) == 0, "revocation of 2 pages asked", "-");
    }
    for (int round = 0; round < 4; round++)     /* let them answer, or not */
        sys_yield(-1);

    const volatile struct env_info *a = &AEGIS_EXPOSED->envs[kid[0]];
    const volatile struct env_info *b = &AEGIS_EXPOSED->envs[kid[1]];
    check(sh->asked[0] == 2 && sh->asked[1] == 2, "both were told how many pages", "%lu %lu",
          (unsigned long)sh->asked[0], (unsigned long)sh->asked[1]);

    int a_ok = 1, a_n = 0;
    for (int i = 0; i < NPAGES; i++)
        if (sh->freed[0][i]) {
            a_n++;
            a_ok &= page_free(sh->ppn[0][i]) && !stlb_names(sh->ppn[0][i]);
        }
    check(a_n == 2 && a_ok && a->pages == before[0] - 2,
          "the cooperating child chose and freed 2 pages: free, unbound", "freed %d, pages %lu",
          a_n, (unsigned long)a->pages);
    check(a->nrepossessed == 0 && a->overruns == 0, "nothing was taken from it by force",
          "%lu repossessed", (unsigned long)a->nrepossessed);

    int b_ok = b->nrepossessed == 2;
    for (uint32_t i = 0; b_ok && i < 2; i++) {
        uint32_t p = b->repossessed[i];
        int its = 0;
        for (int j = 0; j < NPAGES; j++)
            its |= sh->ppn[1][j] == p;
        b_ok = its && page_free(p) && !stlb_names(p);
    }
    check(b_ok && b->pages == before[1] - 2,
          "the ignoring child lost 2 of its pages by force: free, unbound, listed",
          "%lu repossessed, pages %lu", (unsigned long)b->nrepossessed, (unsigned long)b->pages);
    check(b->overruns >= 1 && sh->spins[1] > 0, "ignoring the request was an overrun",
          "%lu overruns", (unsigned long)b->overruns);
    printf("# repossessed from the ignoring child: pages %lu and %lu\n",
           (unsigned long)b->repossessed[0], (unsigned long)b->repossessed[1]);
    child_end(kid[0]);
    child_end(kid[1]);
    return tap_done();
}
