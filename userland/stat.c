/*
 * stat - what the kernel's exposed tables say: the STLB's occupancy and hit
 * rate, and per environment its pages, refills, STLB misses, evictions,
 * system calls and slices.  Everything is read straight from the tables
 * every environment can see; nothing here needs a system call.
 *
 *   stat                 the system as it is
 *   stat program [args]  also runs program with the TLB tracer on and shows
 *                        its exceptions by kind and its PCTs (the fast paths
 *                        count nothing themselves: counting is the tracer's)
 */
#include <stdio.h>
#include <sys/wait.h>

#include "exos.h"
#include "proc.h"
#include "sys.h"

static const char *const states[] = { "free", "stopped", "runnable", "dying", "zombie" };

static void pct(uint32_t part, uint32_t whole)
{
    if (whole == 0)
        printf("     -");
    else
        printf(" %3lu.%lu", (unsigned long)(part * 1000ull / whole / 10),
               (unsigned long)(part * 1000ull / whole % 10));
}

static void system_table(void)
{
    const volatile struct aegis_exposed *x = AEGIS_EXPOSED;
    uint32_t used = 0, free_pages = 0;

    for (int i = 0; i < STLB_ENTRIES; i++)
        used += x->stlb[i].tag != STLB_EMPTY;
    for (uint32_t p = 0; p < x->npages; p++)
        free_pages += x->pages[p].owner == OWNER_FREE;
    printf("STLB: %lu of %d entries in use (%lu %%)\n", (unsigned long)used, STLB_ENTRIES,
           (unsigned long)(used * 100 / STLB_ENTRIES));
    printf("memory: %lu of %lu pages free; ticks %lu; ASID generations %lu; "
           "environments created %lu, destroyed %lu\n",
           (unsigned long)free_pages, (unsigned long)x->npages, (unsigned long)x->stats.ticks,
           (unsigned long)x->stats.asid_flushes, (unsigned long)x->stats.envs_created,
           (unsigned long)x->stats.envs_destroyed);
    printf("env state    asid pages  stlb-hits stlb-miss  hit%%  evicted guarfill  syscalls slices overruns\n");
    for (int id = 1; id <= NENV; id++) {
        const volatile struct env_info *e = &x->envs[id];
        if (e->state == ENV_FREE)
            continue;
        printf("%3d %-8s %4u %5lu %10lu %9lu", id, e->state <= ENV_ZOMBIE ? states[e->state] : "?",
               e->asid, (unsigned long)e->pages, (unsigned long)e->stlb_hits,
               (unsigned long)e->stlb_misses);
        pct(e->stlb_hits, e->stlb_hits + e->stlb_misses);
        printf(" %8lu %8lu %9lu %6lu %8lu\n", (unsigned long)e->stlb_evictions,
               (unsigned long)e->guaranteed_fills, (unsigned long)e->syscalls,
               (unsigned long)e->slices_run, (unsigned long)e->overruns);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        system_table();
        return 0;
    }
    if (sys_trace(1) != 0) {
        printf("stat: the tracer is already in use\n");
        return 1;
    }
    int pid = exos_spawn(argv[1], &argv[1]), status = 0;
    if (pid > 0)
        exos_wait(pid, &status, 0);
    sys_trace(0);
    if (pid <= 0) {
        printf("stat: cannot run %s\n", argv[1]);
        return 1;
    }
    const volatile uint32_t *c = AEGIS_EXPOSED->trace.counts[pid];
    printf("stat: %s (pid %d): TLB refills %lu from the STLB, %lu forwarded to ExOS;\n"
           "  exceptions: TLB-modified %lu, TLB-invalid %lu, others %lu; PCTs %lu\n",
           argv[1], pid, (unsigned long)c[TEV_REFILL],
           (unsigned long)(c[TEV_STLB_MISS] + c[TEV_GUARANTEED]), (unsigned long)c[TEV_MOD],
           (unsigned long)c[TEV_INVALID], (unsigned long)c[TEV_EXC], (unsigned long)c[TEV_PCT]);
    system_table();
    return 0;
}
