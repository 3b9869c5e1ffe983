/*
 * t_sec_orphans - nothing outlives the environment that made it.
 *
 * kernel-args: slices=4 tick_us=500
 *
 * Only a parent may kill its children.  If the children of a dead
 * environment live on as orphans, nobody can ever reclaim them: a program
 * that exits leaving stopped children leaks their slots and pages, one
 * leaving a spinning child leaves a CPU hog nobody may kill, one that gave
 * its memory to a child leaves the next program none.  The kernel must
 * destroy every descendant of an environment when it dies (however it
 * dies), with death DEATH_ANCESTOR, and free their slots and pages.
 *
 * The attack: a raw child M builds, by system calls alone, three stopped
 * children with a page each, a fourth (stopped) given nearly all the free
 * memory, and a fifth that spins for ever in a slot M moved to it from
 * its own (M has slots 1-3 of 4; we have slot 0).  Then M exits.  Within a bounded number of our slices every
 * grandchild must be gone, with its pages and its slice, and we must
 * still be running.  (The spinner also stops when we set `stop`, at the
 * end, so that an old kernel's run ends instead of spinning for ever.)
 */
#include <stdint.h>

#include "sec.h"
#include "freepages.h"
#include "tap.h"

#ifndef DEATH_ANCESTOR
#define DEATH_ANCESTOR 6
#endif

#define VA_SHARED   0x10000000u
#define NSTOPPED    3
#define NGRAND      (NSTOPPED + 2)      /* + the rich one + the spinner */
#define RICH        NSTOPPED
#define SPINNER     (NSTOPPED + 1)
#define RESERVE     512                 /* free pages M leaves to everyone else */
#define WAIT        20                  /* our slices, at most, for the kernel */
#define SETUP       400                 /* and for the middle child's work */
#define NCODE       8

struct shared {
    volatile uint32_t sh_ppn, sh_wcap;          /* this page, for the spinner */
    volatile uint32_t ncode;                    /* code the spinner needs */
    volatile uint32_t code_va[NCODE], code_ppn[NCODE], code_rcap[NCODE];
    volatile uint32_t grand[NGRAND];
    volatile uint32_t rich_pages;               /* given to the rich one */
    volatile int32_t slice_rc;
    volatile uint32_t spins, stop, ready;
};
#define SHP ((struct shared *)VA_SHARED)

/* The grandchild that never stops (unless told to, see above). */
static CHILD void spinner(uint32_t arg)
{
    (void)arg;
    for (;;) {
        SHP->spins++;
        if (SHP->stop)
            sys_env_destroy(0, 0);
    }
}

/* A page of M's, given to child g. */
static CHILD int32_t give_one(uint32_t g, uint32_t *wcap)
{
    int32_t p = sys_page_alloc(-1, wcap);
    return p >= 0 && sys_page_give(p, g) == 0 ? p : -1;
}

/* Builds and starts the spinner: code and this page pinned, a stack. */
static CHILD int32_t make_spinner(struct shared *sh)
{
    int32_t g = sys_env_create();
    uint32_t w = 0, slot = 0;

    if (g <= 0)
        return g;
    for (uint32_t i = 0; i < sh->ncode; i++)
        if (sys_guarantee(g, slot++, sh->code_va[i], sh->code_ppn[i], sh->code_rcap[i], 0) < 0)
            return -1;
    int32_t stack = give_one(g, &w);
    if (stack < 0 || sys_guarantee(g, slot++, CHILD_STACK, stack, w, TLBF_WRITE) < 0 ||
        sys_guarantee(g, slot++, VA_SHARED, sh->sh_ppn, sh->sh_wcap, TLBF_WRITE) < 0 ||
        sys_env_start(g, (uint32_t)spinner, CHILD_STACK + PAGE_SIZE - 16, 0) < 0)
        return -1;
    return g;
}

static CHILD void m_main(uint32_t my_slot)
{
    struct shared *sh = SHP;
    uint32_t w;

    for (int i = 0; i < NSTOPPED; i++) {
        int32_t g = sys_env_create();
        sh->grand[i] = g;
        if (g > 0)
            give_one(g, &w);
    }
    int32_t rich = sys_env_create();
    sh->grand[RICH] = rich;
    uint32_t nfree = free_pages();
    for (uint32_t i = 0; rich > 0 && i + RESERVE < nfree; i++)
        if (give_one(rich, &w) >= 0)
            sh->rich_pages++;
    int32_t s = make_spinner(sh);
    sh->grand[SPINNER] = s;
    /* Our slot to the spinner: moved (a kernel that lets a child give its
     * own slot), or freed and taken (one that lets anyone take a free one). */
    int32_t r = sys_slice_alloc(s, my_slot);
    if (r != (int32_t)my_slot && sys_slice_free(0, my_slot) == 0)
        r = sys_slice_alloc(s, my_slot);
    sh->slice_rc = r;
    while (sh->spins == 0)
        sys_yield(s);
    sh->ready = 1;
    sys_env_destroy(0, 0);          /* and leave them all behind */
}

/* Is grandchild g gone: a free slot, or a zombie nobody will reap? */
static int gone(uint32_t g)
{
    const volatile struct env_info *e = &AEGIS_EXPOSED->envs[g];
    uint32_t p = e->parent;

    if (e->state == ENV_FREE)
        return 1;
    return e->state == ENV_ZOMBIE &&
           (p == 0 || (AEGIS_EXPOSED->envs[p].state != ENV_STOPPED &&
                       AEGIS_EXPOSED->envs[p].state != ENV_RUNNABLE));
}

static int all_gone(void)
{
    for (int i = 0; i < NGRAND; i++)
        if (!gone(SHP->grand[i]))
            return 0;
    return 1;
}

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct shared *sh = SHP;
    int slot, ok = 1;
    uint32_t me = exos_envid();

    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    sh->sh_ppn = ppn, sh->sh_wcap = wcap;
    /* The code a grandchild needs, as read capabilities M can pin for it. */
    uint32_t starts[2] = { (uint32_t)__start_child_text, (uint32_t)__exos_text_start };
    uint32_t stops[2] = { (uint32_t)__stop_child_text, (uint32_t)__exos_text_end };
    for (int k = 0; k < 2; k++)
        for (uint32_t va = starts[k] & ~(PAGE_SIZE - 1); va < stops[k] && sh->ncode < NCODE;
             va += PAGE_SIZE) {
            struct pte *e = vm_lookup(va);
            uint32_t rcap = 0;
            ok &= e != NULL && sys_page_rcap(e->ppn, e->cap, &rcap) == 0;
            if (e != NULL) {
                sh->code_va[sh->ncode] = va, sh->code_ppn[sh->ncode] = e->ppn;
                sh->code_rcap[sh->ncode++] = rcap;
            }
        }
    ok &= sh->ncode < NCODE;        /* (room left: nothing was cut off) */
    int32_t m = child_create(VA_SHARED, ppn, wcap, &slot);
    ok &= m > 0 && sys_slice_alloc(0, 0) == 0;
    for (int pos = 1; pos < 4; pos++)
        ok &= sys_slice_alloc(m, pos) == pos;
    uint32_t free0 = free_pages();
    ok &= child_start(m, m_main, 1) == 0;
    check(ok, "a middle child, with slots 1-3 of 4 (we have slot 0)", "-");

    const volatile struct env_info *mi = &AEGIS_EXPOSED->envs[m];
    uint32_t s0 = AEGIS_EXPOSED->envs[me].slices_run;
    while (mi->state != ENV_ZOMBIE && AEGIS_EXPOSED->envs[me].slices_run - s0 < SETUP)
        sys_yield(m);               /* (our time too: it has much to allocate) */
    int built = sh->ready && sh->rich_pages + RESERVE + 64 >= free0 && sh->slice_rc == 1;
    for (int i = 0; i < NGRAND; i++)
        built &= sh->grand[i] > 0 && sh->grand[i] <= NENV;
    check(built && mi->state == ENV_ZOMBIE && mi->death == DEATH_EXIT,
          "it made 5 children (3 stopped, 1 holding nearly all free memory, 1 spinning "
          "in its slot) and exited",
          "ready %lu, rich one %lu pages of %lu free, slot %ld, state %u",
          (unsigned long)sh->ready, (unsigned long)sh->rich_pages, (unsigned long)free0,
          (long)sh->slice_rc, mi->state);
    printf("# the rich grandchild was given %lu pages\n", (unsigned long)sh->rich_pages);

    s0 = AEGIS_EXPOSED->envs[me].slices_run;
    while (!all_gone() && AEGIS_EXPOSED->envs[me].slices_run - s0 < WAIT)
        sys_yield(-1);
    int ngone = 0, nancestor = 0;
    for (int i = 0; i < NGRAND; i++) {
        ngone += gone(sh->grand[i]);
        nancestor += AEGIS_EXPOSED->envs[sh->grand[i]].death == DEATH_ANCESTOR;
    }
    check(ngone == NGRAND, "every grandchild is destroyed with it", "%d of %d gone, spinner state %u",
          ngone, NGRAND, AEGIS_EXPOSED->envs[sh->grand[SPINNER]].state);
    check(nancestor == NGRAND, "each died of DEATH_ANCESTOR", "%d of %d", nancestor, NGRAND);

    uint32_t held = 0;
    for (uint32_t p = 0; p < AEGIS_EXPOSED->npages; p++)
        for (int i = 0; i < NGRAND; i++)
            held += AEGIS_EXPOSED->pages[p].owner == sh->grand[i];
    uint32_t free1 = free_pages();
    check(held == 0 && free1 >= free0, "their pages are free again",
          "%lu pages still theirs; %lu free, %lu before the middle child began",
          (unsigned long)held, (unsigned long)free1, (unsigned long)free0);

    int slices = 0;
    for (uint32_t pos = 0; pos < AEGIS_EXPOSED->nslices; pos++)
        slices += AEGIS_EXPOSED->slices[pos] == sh->grand[SPINNER];
    uint32_t spins = sh->spins;
    for (int i = 0; i < 3; i++)
        sys_yield(-1);
    check(slices == 0 && sh->spins == spins, "the spinner holds no slice and no longer runs",
          "%d slices, spun %lu more", slices, (unsigned long)(sh->spins - spins));
    check(AEGIS_EXPOSED->envs[me].slices_run > s0, "we keep running", "-");

    sh->stop = 1;                   /* (an orphan that survived: stop it) */
    for (int i = 0; i < 4 && AEGIS_EXPOSED->envs[sh->grand[SPINNER]].state == ENV_RUNNABLE; i++)
        sys_yield(-1);
    sys_env_reap(m);
    return tap_done();
}
