/*
 * t_slices - CPU shares follow the slice vector.
 *
 * kernel-args: slices=8 tick_us=500
 *
 * Three children own 1, 2 and 5 slices of an 8-slice vector (spread, as an
 * environment would ask for them) and count as fast as they can in a shared
 * page.  The one with 5 slices stops everyone after 400 of its slices (80
 * rounds).  Under -icount every slice is the same number of instructions,
 * so the counts must stand in the ratio 1:2:5, within 2 percentage points.
 */
#include <stdint.h>

#include "child.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define STOP_AFTER  400         /* slices of the 5-slice child */

struct shared {
    volatile uint32_t count[3];
    volatile uint32_t stop;
};

/* Every child runs the same loop, so a count is a measure of CPU time;
 * only the last one's limit is reachable. */
static CHILD void counter_main(uint32_t which)
{
    struct shared *sh = (struct shared *)VA_SHARED;
    uint32_t me = AEGIS_EXPOSED->current;
    uint32_t limit = which == 2 ? STOP_AFTER : 0xffffffffu;

    while (!sh->stop) {
        sh->count[which]++;
        if (AEGIS_EXPOSED->envs[me].slices_run >= limit)
            sh->stop = 1;
    }
    for (uint32_t pos = 0; pos < MAX_SLICES; pos++)     /* ours back */
        sys_slice_free(0, pos);
    sys_env_destroy(0, 0);
}

int main(void)
{
    /* Who gets which slot: 1, 2 and 5 slots, spread over the round. */
    static const int owner[8] = { 2, 0, 2, 1, 2, 2, 1, 2 };
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct shared *sh = (struct shared *)VA_SHARED;
    int32_t kid[3];
    int slot, ok = 1;

    check(AEGIS_EXPOSED->nslices == 8, "the slice vector has 8 slices", "%lu",
          (unsigned long)AEGIS_EXPOSED->nslices);
    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    for (int i = 0; i < 3; i++)
        ok &= (kid[i] = child_create(VA_SHARED, ppn, wcap, &slot)) > 0;
    for (int pos = 0; pos < 8; pos++)
        ok &= sys_slice_alloc(kid[owner[pos]], pos) == pos;
    check(ok, "three children own 1, 2 and 5 slices", "-");
    check(sys_slice_alloc(0, 3) == -E_BUSY, "a slice already owned cannot be taken: E_BUSY", "-");
    check(sys_slice_alloc(0, -1) == -E_NOMEM, "no free slice left: E_NOMEM", "-");
    check(sys_slice_alloc(0, 8) == -E_INVAL, "a slice beyond the vector: E_INVAL", "-");
    check(sys_slice_free(0, 3) == -E_PERM, "freeing someone else's slice: E_PERM", "-");

    for (int i = 0; i < 3; i++)
        child_start(kid[i], counter_main, i);
    /* We own no slice: we run again once no slice owner can. */
    while (AEGIS_EXPOSED->envs[kid[0]].state != ENV_ZOMBIE ||
           AEGIS_EXPOSED->envs[kid[1]].state != ENV_ZOMBIE ||
           AEGIS_EXPOSED->envs[kid[2]].state != ENV_ZOMBIE)
        sys_yield(-1);

    uint64_t total = (uint64_t)sh->count[0] + sh->count[1] + sh->count[2];
    static const int want[3] = { 1, 2, 5 };
    for (int i = 0; i < 3; i++) {
        /* share in hundredths of a percentage point, and its target */
        int64_t share = (int64_t)(sh->count[i] * 1000000ull / total);
        int64_t target = want[i] * 1000000ll / 8;
        int64_t diff = share > target ? share - target : target - share;
        char name[80];
        snprintf(name, sizeof name, "the %d-slice child got %d/8 of the CPU, within 2 points",
                 want[i], want[i]);
        check(diff <= 20000, name, "%lld.%04lld%% for %d/8 (count %lu)",
              (long long)(share / 10000), (long long)(share % 10000), want[i],
              (unsigned long)sh->count[i]);
        printf("# child with %d slices: %lu counts, %lld.%02lld%% of the CPU (target %d.%d%%)\n",
               want[i], (unsigned long)sh->count[i], (long long)(share / 10000),
               (long long)(share % 10000 / 100), want[i] * 100 / 8, want[i] * 1000 / 8 % 10);
    }
    return tap_done();
}
