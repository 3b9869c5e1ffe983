/*
 * demo_pager - a pager in user mode: a region whose pages are made on
 * first touch by the program's own code.
 *
 * The region starts protected (no access).  The first access to a page
 * traps to the program's protection-fault handler, which computes the page
 * (here: a table of squares, as a pager would read it from a file), opens
 * it and lets the access retry.  No kernel change, no ExOS change: just
 * vm_protect and vm_on_protfault (docs/exos-vm.md).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "exos.h"
#include "vm.h"

#define PAGES   16
static uint32_t *region;
static int paged_in;

static void pager(struct exos_frame *f)
{
    uint32_t page = f->badvaddr & ~(PAGE_SIZE - 1);
    uint32_t first = (page - (uint32_t)region) / 4;

    if (page < (uint32_t)region || page >= (uint32_t)region + PAGES * PAGE_SIZE) {
        printf("demo_pager: a fault outside the region at %08lx\n", (unsigned long)f->badvaddr);
        exit(1);
    }
    vm_protect(page, PAGE_SIZE, VM_RW);         /* open it, then fill it */
    for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
        ((uint32_t *)page)[i] = (first + i) * (first + i);
    paged_in++;
    printf("  fault at %08lx: paged in the squares of %lu..%lu\n", (unsigned long)f->badvaddr,
           (unsigned long)first, (unsigned long)(first + PAGE_SIZE / 4 - 1));
}

int main(void)
{
    region = malloc((PAGES + 1) * PAGE_SIZE);
    region = (uint32_t *)(((uint32_t)region + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
    for (int p = 0; p < PAGES; p++)
        region[p * 1024] = 0;                   /* make the pages exist */
    printf("demo_pager: %d pages that no one has filled; the program's own handler\n"
           "  fills each on its first touch (a user-level pager)\n", PAGES);
    vm_on_protfault(pager);
    vm_protect((uint32_t)region, PAGES * PAGE_SIZE, VM_NONE);
    uint32_t idx[] = { 5, 9000, 5000, 6, 16383 };
    for (unsigned i = 0; i < sizeof idx / sizeof idx[0]; i++)
        printf("  squares[%lu] = %lu\n", (unsigned long)idx[i], (unsigned long)region[idx[i]]);
    printf("demo_pager: %d of %d pages paged in: only the pages touched\n", paged_in, PAGES);
    return 0;
}
