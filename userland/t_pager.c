/*
 * t_pager - when the kernel asks for pages back, ExOS chooses them: clean
 * demand-zero pages first (nothing lost), then data pages (marked lost);
 * and when the kernel takes pages by force, ExOS repairs its page table.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "exos.h"
#include "proc.h"
#include "sys.h"
#include "tap.h"
#include "vm.h"

#define DIRTY   60
#define CLEAN   50

static uint32_t owned(void)
{
    return AEGIS_EXPOSED->envs[exos_envid()].pages;
}

static int lost_pages(volatile uint32_t *mem, int n)
{
    int lost = 0;
    for (int p = 0; p < n; p++) {
        struct pte *e = vm_lookup((uint32_t)&mem[p * 1024]);
        lost += e != NULL && (e->flags & PTE_LOST);
    }
    return lost;
}

int main(void)
{
    volatile uint32_t *mem = malloc((DIRTY + CLEAN + 1) * PAGE_SIZE);
    mem = (volatile uint32_t *)(((uint32_t)mem + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
    volatile uint32_t *clean = mem + DIRTY * 1024;
    uint32_t sum = 0;

    for (int p = 0; p < DIRTY; p++)
        mem[p * 1024] = 0xda7a0000 + p;
    vm_discardable((uint32_t)mem, DIRTY * PAGE_SIZE);   /* our "cache" */
    for (int p = 0; p < CLEAN; p++)
        sum += clean[p * 1024];         /* read only: clean zero pages */
    const volatile struct env_info *me = &AEGIS_EXPOSED->envs[exos_envid()];
    uint32_t forced0 = me->nrepossessed, pages0 = owned();

    check(sys_page_revoke(0, 40) == 0, "the kernel asks us for 40 pages", "-");
    check(pages0 - owned() == 40, "ExOS gave back exactly 40", "%lu", (unsigned long)(pages0 - owned()));
    check(pager_stats.gave_clean == 40 && pager_stats.gave_dirty == 0,
          "all 40 were clean zero pages: nothing lost", "clean %lu dirty %lu",
          (unsigned long)pager_stats.gave_clean, (unsigned long)pager_stats.gave_dirty);
    int intact = 1;
    for (int p = 0; p < DIRTY; p++)
        intact &= mem[p * 1024] == 0xda7a0000u + p;
    check(intact && lost_pages(mem, DIRTY) == 0, "every data page intact", "-");
    check(me->nrepossessed == forced0, "nothing taken by force", "-");
    check(clean[0] == 0 && clean[(CLEAN - 1) * 1024] == 0, "a given-back clean page reads as zeros again",
          "-");

    /* More than the clean pages left: data pages go too, and say so. */
    uint32_t clean_left = 0;
    for (int p = 0; p < CLEAN; p++) {
        struct pte *e = vm_lookup((uint32_t)&clean[p * 1024]);
        clean_left += e != NULL && !(e->flags & PTE_LOST) && !(e->flags & PTE_DIRTY);
    }
    pages0 = owned();
    sys_page_revoke(0, 20);
    check(pages0 - owned() == 20 && pager_stats.gave_clean == 40 + clean_left &&
          pager_stats.gave_dirty == 20 - clean_left,
          "asked for 20 more: the clean ones first, then discardable data",
          "gave %lu: clean %lu (left %lu) dirty %lu", (unsigned long)(pages0 - owned()),
          (unsigned long)pager_stats.gave_clean, (unsigned long)clean_left,
          (unsigned long)pager_stats.gave_dirty);
    check(lost_pages(mem, DIRTY) == (int)(20 - clean_left), "the data pages given are marked lost",
          "%d", lost_pages(mem, DIRTY));
    int top_lost = 1;
    for (int p = 0; p < DIRTY; p++) {
        struct pte *e = vm_lookup((uint32_t)&mem[p * 1024]);
        if (p >= DIRTY - (int)(20 - clean_left))
            top_lost &= e != NULL && (e->flags & PTE_LOST);
        else
            top_lost &= mem[p * 1024] == 0xda7a0000u + p;
    }
    check(top_lost, "...the highest ones, the others intact", "-");

    /* A process busy in its VM code cannot answer: the kernel takes pages
     * by force, and its ExOS repairs its page table afterwards. */
    for (int touch = 0; touch < 2; touch++) {
        char *argv[] = { "revokee", touch ? "touch" : "count", NULL };
        int pid = exos_spawn("revokee", argv), st = -1;
        while (AEGIS_EXPOSED->envs[pid].pages < 60 && AEGIS_EXPOSED->envs[pid].state == ENV_RUNNABLE)
            sys_yield(pid);             /* let it write its pages */
        check(sys_page_revoke(pid, 5) == 0, touch ? "revoke 5 from a busy child, again"
                                                  : "revoke 5 pages from a child busy in its VM code", "-");
        waitpid(pid, &st, 0);
        if (!touch)
            check(WIFEXITED(st) && WEXITSTATUS(st) >= 1 && WEXITSTATUS(st) <= 5,
                  "taken by force; after repair its page table names them lost, the rest intact",
                  "status %#x", st);
        else
            check(WIFSIGNALED(st) && WTERMSIG(st) == SIGBUS,
                  "touching a page taken by force: SIGBUS, reported", "status %#x", st);
    }
    /* What giving one page back costs the kernel (the STLB sweep), which
     * UPCALL_REVOKE_PER_PAGE must cover. */
    uint32_t cap, worst = 0;
    for (int i = 0; i < 5; i++) {
        int32_t ppn = sys_page_alloc(-1, &cap);
        uint32_t t0 = exos_count();
        sys_page_free(ppn);
        uint32_t t = (exos_count() - t0) * COUNT_NS;
        worst = t > worst ? t : worst;
    }
    printf("# SYS_PAGE_FREE: %lu instructions (UPCALL_REVOKE_PER_PAGE %u)\n",
           (unsigned long)worst, UPCALL_REVOKE_PER_PAGE);
    check(worst < UPCALL_REVOKE_PER_PAGE, "giving a page back fits the per-page revocation allowance",
          "%lu", (unsigned long)worst);
    (void)sum;
    return tap_done();
}
