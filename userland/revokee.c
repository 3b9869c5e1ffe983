/*
 * revokee - a process that is busy in ExOS's VM code when the kernel asks
 * it for pages, so its pager cannot answer and the kernel takes them by
 * force.  For t_pager.  It writes 30 pages, holds vm_busy until the kernel
 * has repossessed some, then lets ExOS repair its page table and counts the
 * entries it lost: its exit status.  With argument "touch" it then reads a
 * lost page, and dies of it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exos.h"
#include "sys.h"
#include "vm.h"

#define PAGES 30

int main(int argc, char **argv)
{
    const volatile struct env_info *me = &AEGIS_EXPOSED->envs[exos_envid()];
    volatile uint32_t *mem = malloc(PAGES * PAGE_SIZE + PAGE_SIZE);

    mem = (volatile uint32_t *)(((uint32_t)mem + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
    vm_busy++;                          /* "in the middle of a page-table update" */
    for (int p = 0; p < PAGES; p++)
        mem[p * 1024] = 0x5eed0000 + p;
    while (me->nrepossessed == 0)       /* the parent asks now; we cannot answer */
        sys_yield(-1);
    vm_busy--;

    exos_repair();
    int lost = 0, wrong = 0, first_lost = -1;
    for (int p = 0; p < PAGES; p++) {
        struct pte *e = vm_lookup((uint32_t)&mem[p * 1024]);
        if (e != NULL && (e->flags & PTE_LOST)) {
            lost++;
            if (first_lost < 0)
                first_lost = p;
        } else if (mem[p * 1024] != 0x5eed0000u + p) {
            wrong++;
        }
    }
    if (argc > 1 && strcmp(argv[1], "touch") == 0 && first_lost >= 0)
        return mem[first_lost * 1024];  /* dies: SIGBUS */
    return wrong ? 100 : lost;
}
