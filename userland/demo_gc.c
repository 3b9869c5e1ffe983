/*
 * demo_gc - the write barrier of a generational garbage collector, made of
 * protection traps (Appel and Li's "trap, protect, unprotect").
 *
 * After a collection the old generation is write-protected.  A store into
 * it traps to the collector's handler, which records the page in the
 * remembered set (the pages the next minor collection must scan for
 * pointers into the young generation), unprotects it and lets the store
 * go on.  Later stores to that page cost nothing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "exos.h"
#include "vm.h"

#define OLD_PAGES 32
static uint32_t *old;
static uint32_t remembered[OLD_PAGES];
static int nremembered, traps;

static void barrier(struct exos_frame *f)
{
    uint32_t page = f->badvaddr & ~(PAGE_SIZE - 1);

    traps++;
    remembered[nremembered++] = (page - (uint32_t)old) / PAGE_SIZE;
    vm_protect(page, PAGE_SIZE, VM_RW);
}

int main(void)
{
    old = malloc((OLD_PAGES + 1) * PAGE_SIZE);
    old = (uint32_t *)(((uint32_t)old + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
    for (int p = 0; p < OLD_PAGES; p++)
        old[p * 1024] = p;
    printf("demo_gc: a %d-page old generation, write-protected after a collection\n", OLD_PAGES);
    vm_on_protfault(barrier);
    vm_protect((uint32_t)old, OLD_PAGES * PAGE_SIZE, VM_READ);

    /* The mutator: 1000 stores, into 4 pages of the old generation. */
    static const int hot[] = { 3, 17, 17, 30, 3, 9 };
    for (int i = 0; i < 1000; i++)
        old[hot[i % 6] * 1024 + (i % 1000)] = i;
    printf("  1000 stores, %d traps; remembered set:", traps);
    for (int i = 0; i < nremembered; i++)
        printf(" %lu", (unsigned long)remembered[i]);
    printf("\ndemo_gc: only the first store to each page trapped; the minor collection\n"
           "  scans %d pages instead of %d\n", nremembered, OLD_PAGES);
    return 0;
}
