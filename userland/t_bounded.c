/*
 * t_bounded - no system call holds the CPU for long.
 *
 * The kernel runs with interrupts off, so the longest call is the longest
 * time the machine cannot be preempted.  This test sets up the worst case
 * of each call that does bulk work and measures it from user mode with the
 * Count register (6 instructions a tick under -icount: the figures are
 * instructions, and deterministic): it must stay within KERNEL_MAX_INSNS,
 * the bound docs/kernel-interface.md promises.
 *
 *  - SYS_CPUTS of a 1 MiB buffer: prints CPUTS_MAX bytes and says so;
 *  - SYS_PAGE_FREE of a bound page: one sweep of the STLB;
 *  - SYS_PAGE_REVOKE of a subtree with no upcall entry: everything taken
 *    at once, one sweep;
 *  - SYS_ENV_DESTROY of a tree of NENV - 2 environments owning thousands
 *    of pages, bound all over the STLB, one of them the last page of RAM
 *    (so the pass over physical memory cannot stop early).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "child.h"
#include "freepages.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define VA_PAGES    0x20000000u     /* where the tree's pages are bound */
#define KIDS        (NENV - 2)      /* the test, the middle child, its kids */

struct shared {
    volatile uint32_t done;         /* the middle child built its tree */
    volatile uint32_t kids;
    volatile uint32_t pages;
    volatile int32_t error;
};

/* Instructions of one call, from the Count ticks around it. */
#define MEASURE(call) ({                        \
        uint32_t t0_ = exos_count();            \
        (void)(call);                           \
        (exos_count() - t0_) * (COUNT_NS);      \
    })

/*
 * The middle child: creates as many children as it can, and shares among
 * them nearly all free memory (arg pages each), bound in the child's address
 * space (so the STLB fills with the tree's bindings), the first of them the
 * last page of RAM.  Then waits.
 */
static CHILD void builder(uint32_t per_kid)
{
    struct shared *sh = (struct shared *)VA_SHARED;
    uint32_t last = AEGIS_EXPOSED->npages - 1;

    for (uint32_t k = 0; k < KIDS - 1; k++) {
        int32_t kid = sys_env_create();
        if (kid <= 0)
            break;
        sh->kids++;
        for (uint32_t p = 0; p < per_kid; p++) {
            uint32_t wcap;
            int32_t ppn = sys_page_alloc(k == 0 && p == 0 ? (int32_t)last : -1, &wcap);
            if (ppn < 0) {
                sh->error = ppn;
                continue;
            }
            if (sys_page_give(ppn, kid) < 0 ||
                sys_tlb_write(kid, VA_PAGES + p * PAGE_SIZE, ppn, wcap,
                              TLBF_WRITE) < 0)
                sh->error = -100;
            sh->pages++;
        }
    }
    sh->done = 1;
    spin_forever();
}

static uint32_t tree_pages(int32_t root)
{
    uint32_t n = 0;

    for (uint32_t i = 1; i <= NENV; i++)
        if (AEGIS_EXPOSED->envs[i].state != ENV_FREE &&
            (i == (uint32_t)root || AEGIS_EXPOSED->envs[i].parent == (uint32_t)root))
            n += AEGIS_EXPOSED->envs[i].pages;
    return n;
}

int main(void)
{
    uint32_t worst = 0;
    struct shared *sh = (struct shared *)VA_SHARED;
    uint32_t wcap = 0;
    int32_t ppn = 0;
    int slot;

    /* SYS_CPUTS: a 1 MiB request prints CPUTS_MAX bytes (spaces). */
    char *buf = malloc(1u << 20);
    memset(buf, ' ', 1u << 20);
    int32_t printed = 0;
    uint32_t cputs = MEASURE(printed = sys_cputs(buf, 1u << 20));
    printf("\n");
    check(printed == CPUTS_MAX, "a 1 MiB SYS_CPUTS prints CPUTS_MAX bytes and says so", "%ld",
          (long)printed);
    printf("# SYS_CPUTS of 1 MiB: %lu instructions\n", (unsigned long)cputs);
    worst = cputs > worst ? cputs : worst;

    /* SYS_PAGE_FREE of a page bound here. */
    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    uint32_t fwcap;
    int32_t fppn = sys_page_alloc(-1, &fwcap);
    sys_tlb_write(0, VA_PAGES, fppn, fwcap, TLBF_WRITE);
    uint32_t pfree = MEASURE(sys_page_free(fppn));
    printf("# SYS_PAGE_FREE of a bound page: %lu instructions\n", (unsigned long)pfree);
    worst = pfree > worst ? pfree : worst;

    /* A tree of environments owning nearly all free memory. */
    uint32_t nfree = free_pages();
    int32_t mid = child_create(VA_SHARED, ppn, wcap, &slot);
    check(mid > 0 && child_start(mid, builder, (nfree - 256) / (KIDS - 1)) == 0,
          "a middle child starts", "%ld", (long)mid);
    for (int i = 0; i < 100000 && !sh->done; i++)
        sys_yield(-1);
    check(sh->done && sh->error == 0 && sh->kids == KIDS - 1,
          "it built a tree of NENV - 2 environments with pages bound", "done %lu kids %lu error %ld",
          (unsigned long)sh->done, (unsigned long)sh->kids, (long)sh->error);
    printf("# tree: %lu environments, %lu pages\n", (unsigned long)sh->kids + 1,
           (unsigned long)tree_pages(mid));

    /* Revocation with nobody to ask: the kernel takes them at once. */
    uint32_t before = tree_pages(mid);
    uint32_t revoke = MEASURE(sys_page_revoke(mid, before / 2));
    printf("# SYS_PAGE_REVOKE of %lu pages, taken at once: %lu instructions\n",
           (unsigned long)(before / 2), (unsigned long)revoke);
    check(tree_pages(mid) <= before - before / 2, "revocation took them from the whole subtree",
          "%lu left of %lu", (unsigned long)tree_pages(mid), (unsigned long)before);
    worst = revoke > worst ? revoke : worst;

    uint32_t destroy = MEASURE(sys_env_destroy(mid, 0));
    printf("# SYS_ENV_DESTROY of the tree: %lu instructions\n", (unsigned long)destroy);
    worst = destroy > worst ? destroy : worst;
    sys_env_reap(mid);
    uint32_t alive = 0;
    for (uint32_t i = 1; i <= NENV; i++)
        alive += AEGIS_EXPOSED->envs[i].state != ENV_FREE;
    check(alive == 1, "the whole tree is gone: only this test is left", "%lu slots in use",
          (unsigned long)alive);
    check(AEGIS_EXPOSED->pages[AEGIS_EXPOSED->npages - 1].owner == OWNER_FREE,
          "its pages are free again (the last page of RAM too)", "-");

    check(worst <= KERNEL_MAX_INSNS, "no call ran longer than KERNEL_MAX_INSNS with interrupts off",
          "worst %lu, bound %lu", (unsigned long)worst, (unsigned long)KERNEL_MAX_INSNS);
    printf("# worst: %lu instructions (KERNEL_MAX_INSNS %lu)\n", (unsigned long)worst,
           (unsigned long)KERNEL_MAX_INSNS);
    return tap_done();
}
