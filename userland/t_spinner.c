/*
 * t_spinner - an environment that never gives the CPU back cannot keep it.
 *
 * kernel-args: slices=8 tick_us=500
 *
 * A worker and a spinner own four slices each.  The spinner has an upcall
 * entry, but it only spins there: every end of slice it is asked for the
 * CPU and does not answer, so the abort protocol takes the CPU by force,
 * charges it, and after MAX_OVERRUNS aborts in a row destroys it.  The
 * worker counts to its goal all the same.
 */
#include <stdint.h>

#include "child.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define GOAL        3000000

struct shared {
    volatile uint32_t count;
    volatile uint32_t done;
};


static CHILD void spinner_main(uint32_t arg)
{
    (void)arg;
    if (sys_xframe(EXOS_XF_VA) == 0)
        *(volatile uint32_t *)(EXOS_XF_VA + XF_UPCALL) = (uint32_t)spin_forever;
    spin_forever();
}

static CHILD void worker_main(uint32_t arg)
{
    struct shared *sh = (struct shared *)VA_SHARED;
    (void)arg;

    while (sh->count < GOAL)
        sh->count++;
    sh->done = 1;
    for (uint32_t pos = 0; pos < MAX_SLICES; pos++)
        sys_slice_free(0, pos);
    sys_env_destroy(0, 0);
}

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct shared *sh = (struct shared *)VA_SHARED;
    int slot, ok;

    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    int32_t worker = child_create(VA_SHARED, ppn, wcap, &slot);
    int32_t spinner = child_create(VA_SHARED, ppn, wcap, &slot);
    ok = worker > 0 && spinner > 0;
    for (int pos = 0; pos < 8 && ok; pos++)
        ok = sys_slice_alloc(pos & 1 ? spinner : worker, pos) == pos;
    check(ok, "a worker and a spinner own four slices each", "-");
    child_start(spinner, spinner_main, 0);
    child_start(worker, worker_main, 0);
    while (AEGIS_EXPOSED->envs[worker].state != ENV_ZOMBIE ||
           AEGIS_EXPOSED->envs[spinner].state != ENV_ZOMBIE)
        sys_yield(-1);

    const volatile struct env_info *s = &AEGIS_EXPOSED->envs[spinner];
    check(sh->done && sh->count == GOAL, "the worker reached its goal", "count %lu",
          (unsigned long)sh->count);
    check(s->death == DEATH_OVERRUN, "the spinner was destroyed for overrunning", "death %u",
          s->death);
    check(s->overruns == MAX_OVERRUNS, "after MAX_OVERRUNS aborts", "%lu overruns",
          (unsigned long)s->overruns);
    check(s->debt > 0, "its overruns were charged against its next slices", "debt %lu",
          (unsigned long)s->debt);
    check(s->slices_run <= MAX_OVERRUNS + 1, "it ran no more slices than that", "%lu slices",
          (unsigned long)s->slices_run);
    printf("# spinner: %lu slices, %lu overruns, %lu Count ticks of debt left\n",
           (unsigned long)s->slices_run, (unsigned long)s->overruns, (unsigned long)s->debt);
    return tap_done();
}
