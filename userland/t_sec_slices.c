/*
 * t_sec_slices - no descendant can starve its ancestors of the CPU.
 *
 * kernel-args: slices=8 tick_us=500
 *
 * Slices are a resource like pages: an environment should get them from
 * its parent, not from the pool.  If any environment may take any free
 * slot of the slice vector, a child takes them all and spins, and its
 * parent, which holds none (it runs when no slot owner can), waits for as
 * long as the child likes.  The rule: only a top-level environment (one
 * the kernel started) allocates free slots, for itself or for a child; any
 * other may only move a slot it holds to a child of its own (pos = that
 * slot, or -1 for any of its own), and SYS_SLICE_ALLOC for itself fails
 * with E_PERM.
 *
 * The attack: this program (top level) holds no slice; its child takes
 * every free slot it can and spins for HOG ticks, then gives them back and
 * exits (so that the old kernel's run ends).  We count the ticks between
 * our consecutive runs: we must not miss more than a few.  Then a second
 * child, given two slots by us, tries what the rule allows and forbids
 * with a child of its own.
 */
#include <stdint.h>

#include "sec.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define HOG         40          /* ticks the hog spins */
#define MAX_GAP     3           /* ticks we may wait between two runs */

struct shared {
    volatile int32_t taken, err;
    volatile uint32_t spins;
    volatile int32_t r_free, r_own, r_any, r_self;
    volatile uint32_t g, slot1, slot2, done;
};
#define SHP ((struct shared *)VA_SHARED)

static CHILD void hog_main(uint32_t arg)
{
    struct shared *sh = SHP;
    int32_t r, n = 0;
    (void)arg;

    while ((r = sys_slice_alloc(0, -1)) >= 0)
        n++;
    sh->taken = n, sh->err = r;
    uint32_t t0 = AEGIS_EXPOSED->stats.ticks;
    while (AEGIS_EXPOSED->stats.ticks - t0 < HOG)
        sh->spins++;
    for (uint32_t pos = 0; pos < AEGIS_EXPOSED->nslices; pos++)
        sys_slice_free(0, pos);
    sys_env_destroy(0, 0);
}

/* A child holding slots 1 and 2, and a child of its own. */
static CHILD void giver_main(uint32_t arg)
{
    struct shared *sh = SHP;
    int32_t g = sys_env_create();
    (void)arg;

    sh->g = g;
    sh->r_free = sys_slice_alloc(g, 3);     /* a free slot: not ours to give */
    sh->r_own = sys_slice_alloc(g, 1);      /* one of ours: ours to give */
    sh->slot1 = AEGIS_EXPOSED->slices[1];
    sh->r_any = sys_slice_alloc(g, -1);     /* any of ours: slot 2 */
    sh->slot2 = AEGIS_EXPOSED->slices[2];
    sh->r_self = sys_slice_alloc(0, -1);    /* a free slot for ourselves */
    sh->done = 1;
    sys_env_destroy(0, 0);
}

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct shared *sh = SHP;
    int slot;
    int holds = 0;

    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    for (uint32_t pos = 0; pos < AEGIS_EXPOSED->nslices; pos++)
        holds += AEGIS_EXPOSED->slices[pos] != 0;
    int32_t hog = child_create(VA_SHARED, ppn, wcap, &slot);
    check(holds == 0 && hog > 0 && child_start(hog, hog_main, 0) == 0,
          "nobody holds a slice; a child starts", "%d held", holds);

    uint32_t t0 = AEGIS_EXPOSED->stats.ticks, last = t0, gap = 0, runs = 0;
    while (AEGIS_EXPOSED->envs[hog].state != ENV_ZOMBIE &&
           AEGIS_EXPOSED->stats.ticks - t0 < 4 * HOG) {
        sys_yield(-1);
        uint32_t now = AEGIS_EXPOSED->stats.ticks;
        if (now - last > gap)
            gap = now - last;
        last = now;
        runs++;
    }
    check(sh->spins > 0, "the child ran, trying to take every free slot", "-");
    check(sh->taken == 0 && sh->err == -E_PERM, "it could take none for itself: E_PERM",
          "it took %ld, then %ld", (long)sh->taken, (long)sh->err);
    check(gap <= MAX_GAP, "we kept running: never more than 3 ticks between two of our runs",
          "%lu ticks without running", (unsigned long)gap);
    printf("# longest wait %lu ticks; we ran %lu times in %lu ticks\n", (unsigned long)gap,
           (unsigned long)runs, (unsigned long)(AEGIS_EXPOSED->stats.ticks - t0));
    sys_env_reap(hog);

    /* What a parent may give, and what its child may pass on. */
    int32_t giver = child_create(VA_SHARED, ppn, wcap, &slot);
    check(sys_slice_alloc(0, 0) == 0, "a top-level environment takes a free slot for itself", "-");
    check(giver > 0 && sys_slice_alloc(giver, 1) == 1 && sys_slice_alloc(giver, 2) == 2,
          "and free slots for its child", "-");
    child_start(giver, giver_main, 0);
    for (int i = 0; i < 100 && !sh->done; i++)
        sys_yield(-1);
    check(sh->done, "the child ran", "-");
    check(sh->r_free < 0, "a child cannot give a free slot to its own child", "got slot %ld",
          (long)sh->r_free);
    check(sh->r_own == 1 && sh->slot1 == sh->g, "it can move a slot it holds to its child",
          "returned %ld, slot 1 held by %lu (its child is %lu)", (long)sh->r_own,
          (unsigned long)sh->slot1, (unsigned long)sh->g);
    check(sh->r_any == 2 && sh->slot2 == sh->g, "position -1 moves any slot it holds",
          "returned %ld, slot 2 held by %lu", (long)sh->r_any, (unsigned long)sh->slot2);
    check(sh->r_self == -E_PERM, "it cannot take a free slot for itself: E_PERM",
          "returned %ld", (long)sh->r_self);
    sys_env_reap(giver);
    return tap_done();
}
