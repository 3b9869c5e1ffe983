/*
 * t_sec_grace - a revocation's grace window is bounded by what is owned,
 * and it is not free.
 *
 * kernel-args: slices=2 tick_us=500
 *
 * When the kernel asks for pages (UPCALL_REVOKE) it gives the environment
 * time to choose and free them: upcall_bound plus UPCALL_REVOKE_PER_PAGE
 * instructions a page.  If "a page" means the count in the request, an
 * environment that asks itself for 100,000 pages while owning 2 buys
 * itself an hour-long window; if it means xframe.revoke, a word the
 * environment may overwrite before its upcall comes, any revocation does.
 * The window must be at most upcall_bound + min(n, pages its subtree owns,
 * UPCALL_REVOKE_MAX_PAGES) x UPCALL_REVOKE_PER_PAGE instructions, computed
 * from the kernel's own record, and the time used in it is charged (debt).
 *
 * A raw child R owning 2 pages (its stack and its frame) shares the slice
 * vector with us (slot 1; ours is slot 0, which we spend spinning, so that
 * every interruption of R is long).  R's upcall handler spins without
 * yielding and measures with the clock the longest stretch in which it
 * ran uninterrupted (consecutive reads less than GAP ticks apart), up to
 * CAP ticks, when it gives up and yields.
 *  A: R asks itself for 100,000 pages.
 *  B: we ask R for 1 page; before R next runs we transfer to its PCT entry,
 *     which writes 100,000 into its xframe.revoke and transfers back.
 */
#include <stdint.h>

#include "sec.h"
#include "tap.h"

#ifndef UPCALL_REVOKE_MAX_PAGES
#define UPCALL_REVOKE_MAX_PAGES 16
#endif

#define VA_SHARED   0x10000000u
#define ASK         100000u         /* pages asked for, or claimed */
#define GAP         1000u           /* ticks: more between two reads = interrupted */
#define SLACK       2000u           /* ticks of kernel work around the window */
#define WAIT        20              /* our slices, at most, per phase */
/* The longest window the kernel may give, in Count ticks, for n pages
 * asked of a subtree that owns `owned`: only pages that can be given back
 * count, and no more than UPCALL_REVOKE_MAX_PAGES of them. */
#define MIN(a, b)   ((a) < (b) ? (a) : (b))
#define WINDOW(n, owned) ((UPCALL_BOUND_DEFAULT + \
                          MIN(MIN(n, owned), UPCALL_REVOKE_MAX_PAGES) * UPCALL_REVOKE_PER_PAGE) / \
                          COUNT_NS)
#define CAP         (3 * WINDOW(2, 2))

struct shared {
    volatile uint32_t ready, go;
    volatile uint32_t phase;            /* revocation upcalls measured */
    volatile uint32_t asked[2];         /* xframe.revoke, as R saw it */
    volatile uint32_t stretch[2];       /* longest uninterrupted run, ticks */
    volatile uint32_t cut[2];           /* 1: interrupted; 0: R gave up (CAP) */
};
#define SHP ((struct shared *)VA_SHARED)

__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "r_upcall_stub:\n"
    "   li    $sp, 0x10010400\n"        /* CHILD_STACK + 1 KiB */
    "   j     r_upcall\n"
    "   nop\n"
    /* R's PCT entry: claim ASK pages in its frame, and go back (v1). */
    "r_pct_entry:\n"
    "   li    $t0, 100000\n"
    "   sw    $t0, 0x1024($0)\n"        /* xframe.revoke */
    "   li    $v0, 0\n"                 /* SYS_PCT_ASYNC */
    "   syscall\n"
    "1: li    $v0, 15\n"                /* (refused) SYS_YIELD(-1) for ever */
    "   li    $a0, -1\n"
    "   syscall\n"
    "   b     1b\n"
    "   nop\n"
    "   .set pop\n   .text\n");
void r_upcall_stub(void);
void r_pct_entry(void);
_Static_assert(ASK == 100000 && XF_REVOKE == 36 && SYS_YIELD == 15, "r_pct_entry's constants");

/* R's interrupt context: a revocation is measured, anything else answered. */
CHILD void r_upcall(void)
{
    struct shared *sh = SHP;

    if (SEC_XF[XF_UPCALL_WHY / 4] == UPCALL_REVOKE && sh->phase < 2) {
        uint32_t k = sh->phase;
        sh->asked[k] = SEC_XF[XF_REVOKE / 4];
        uint32_t first = sec_count(), last = first, now = first, longest = 0;
        for (;;) {
            now = sec_count();
            if (now - last > GAP || now - first > CAP)
                break;
            last = now;
        }
        longest = last - first;
        sh->stretch[k] = longest;
        sh->cut[k] = now - last > GAP;
        sh->phase = k + 1;
    }
    for (;;)
        sys_yield(-1);
}

static CHILD void r_main(uint32_t arg)
{
    struct shared *sh = SHP;
    (void)arg;

    if (sys_xframe(EXOS_XF_VA) != 0)
        sys_env_destroy(0, 0);
    SEC_XF[XF_UPCALL / 4] = (uint32_t)r_upcall_stub;
    SEC_XF[XF_PCT / 4] = (uint32_t)r_pct_entry;
    sh->ready = 1;
    while (!sh->go)
        sys_yield(-1);
    sys_page_revoke(0, ASK);        /* A */
    for (;;)
        sys_yield(-1);
}

/* Spins in our own slices (so that R's interruptions are long) until R has
 * measured `phase` upcalls or WAIT of our slices passed; returns the
 * largest debt R was seen to carry. */
static uint32_t wait_phase(uint32_t me, uint32_t r, uint32_t phase)
{
    uint32_t s0 = AEGIS_EXPOSED->envs[me].slices_run, debt = 0;

    while (SHP->phase < phase && AEGIS_EXPOSED->envs[me].slices_run - s0 < WAIT) {
        uint32_t d = AEGIS_EXPOSED->envs[r].debt;
        if (d > debt)
            debt = d;
    }
    /* One more of our slices: the debt of a window that just ended. */
    for (uint32_t s1 = AEGIS_EXPOSED->envs[me].slices_run;
         AEGIS_EXPOSED->envs[me].slices_run - s1 < 2;) {
        uint32_t d = AEGIS_EXPOSED->envs[r].debt;
        if (d > debt)
            debt = d;
    }
    return debt;
}

static void report(int k, uint32_t asked, const char *name)
{
    uint32_t limit = WINDOW(asked, 2) + SLACK;      /* it owns 2 pages */

    check(SHP->stretch[k] <= limit, name, "%s%lu ticks uninterrupted (%lu instructions), limit %lu",
          SHP->cut[k] ? "" : "at least ", (unsigned long)SHP->stretch[k],
          (unsigned long)SHP->stretch[k] * COUNT_NS, (unsigned long)limit);
    printf("# %c: longest uninterrupted stretch %lu ticks%s; the fixed limit is %lu\n", 'A' + k,
           (unsigned long)SHP->stretch[k], SHP->cut[k] ? "" : " (R gave up waiting)",
           (unsigned long)limit);
}

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct shared *sh = SHP;
    int slot;
    uint32_t me = exos_envid();

    check(AEGIS_EXPOSED->nslices == 2, "the slice vector has 2 slices", "%lu",
          (unsigned long)AEGIS_EXPOSED->nslices);
    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    int32_t r = child_create(VA_SHARED, ppn, wcap, &slot);
    int ok = r > 0 && sys_slice_alloc(0, 0) == 0 && sys_slice_alloc(r, 1) == 1 &&
             child_start(r, r_main, 0) == 0;
    for (int i = 0; ok && i < WAIT && !sh->ready; i++)
        sys_yield(-1);
    check(ok && sh->ready && AEGIS_EXPOSED->envs[r].pages == 2,
          "a child owning 2 pages, with an upcall entry, in slot 1 (we have slot 0)",
          "pages %lu", r > 0 ? (unsigned long)AEGIS_EXPOSED->envs[r].pages : 0ul);

    /* A: it asks itself for 100,000 pages. */
    sh->go = 1;
    uint32_t debt = wait_phase(me, r, 1);
    check(sh->phase >= 1 && sh->asked[0] == ASK,
          "A: the child asked itself for 100000 pages and got its revocation upcall",
          "phase %lu, asked %lu", (unsigned long)sh->phase, (unsigned long)sh->asked[0]);
    report(0, ASK, "A: its grace window is bounded by the 2 pages it owns");
    check(debt > 0, "A: the time it used in the window is charged (debt)", "no debt seen");

    /* B: we ask for 1 page; it claims 100,000 in its frame first. */
    int32_t rc = sys_page_revoke(r, 1);
    int32_t back = pct_call(r, 0);
    check(rc == 0 && back == r, "B: we ask it for 1 page; its PCT entry rewrites xframe.revoke",
          "revoke %ld, pct %ld", (long)rc, (long)back);
    debt = wait_phase(me, r, 2);
    check(sh->phase >= 2, "B: it got its revocation upcall", "phase %lu",
          (unsigned long)sh->phase);
    printf("# B: xframe.revoke read %lu in the upcall\n", (unsigned long)sh->asked[1]);
    report(1, 1, "B: overwriting xframe.revoke buys nothing: the window is for 1 page");
    check(debt > 0, "B: the time it used in the window is charged (debt)", "no debt seen");
    child_end(r);
    return tap_done();
}
