/*
 * t_protect - the Appel-Li primitives, in the library: protect, trap,
 * unprotect, and dirty bits from the MIPS D bit.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tap.h"
#include "vm.h"

#define NPAGES  32

static uint8_t *area;
static volatile uint32_t traps, last_bad;

/* A write barrier: note the page, let it be written from now on. */
static void on_protfault(struct exos_frame *f)
{
    traps++;
    last_bad = f->badvaddr;
    vm_protect(f->badvaddr & ~(PAGE_SIZE - 1), PAGE_SIZE, VM_RW);
}

int main(void)
{
    area = malloc((NPAGES + 1) * PAGE_SIZE);
    area = (uint8_t *)(((uintptr_t)area + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
    for (int i = 0; i < NPAGES; i++)
        area[i * PAGE_SIZE] = i;                        /* all mapped, all dirty */
    vm_on_protfault(on_protfault);

    /* prot1 + trap + unprot: a write to a read-only page. */
    check(vm_protect((uint32_t)area, PAGE_SIZE, VM_READ) == 0, "protect one page read-only", "-");
    check(area[0] == 0, "it can still be read without a trap", "%lu traps", (unsigned long)traps);
    ((volatile uint8_t *)area)[10] = 7;
    uint8_t got = ((volatile uint8_t *)area)[10];
    check(traps == 1 && last_bad == (uint32_t)area + 10 && got == 7,
          "a write traps to the handler, which unprotects, and the write completes",
          "%lu traps at %08lx (area %p), read %u", (unsigned long)traps,
          (unsigned long)last_bad, (void *)area, got);

    /* protN: no access at all, then one trap per page touched. */
    traps = 0;
    check(vm_protect((uint32_t)area, NPAGES * PAGE_SIZE, VM_NONE) == 0, "protect 32 pages: no access", "-");
    uint32_t sum = 0;
    for (int i = 0; i < NPAGES; i += 4)
        sum += area[i * PAGE_SIZE];
    check(traps == NPAGES / 4 && sum == 0 + 4 + 8 + 12 + 16 + 20 + 24 + 28,
          "reads of 8 protected pages trap 8 times and read the right values",
          "%lu traps, sum %lu", (unsigned long)traps, (unsigned long)sum);
    check(vm_protect((uint32_t)area, NPAGES * PAGE_SIZE, VM_RW) == 0, "unprotect them all", "-");

    /* Dirty bits: clean everything, write some pages, ask. */
    uint32_t dirty0 = vm_stats.dirty_faults;
    check(vm_clean((uint32_t)area, NPAGES * PAGE_SIZE) == 0, "mark 32 pages clean", "-");
    int written[NPAGES] = { 0 };
    for (int i = 0; i < NPAGES; i += 3) {
        area[i * PAGE_SIZE + 100] = 1;
        area[i * PAGE_SIZE + 200] = 2;                  /* a second write: no fault */
        written[i] = 1;
    }
    int ok = 1, reads = 0;
    for (int i = 0; i < NPAGES; i++) {
        reads += area[i * PAGE_SIZE + 300];             /* reads do not dirty */
        ok &= vm_dirty((uint32_t)area + i * PAGE_SIZE) == written[i];
    }
    check(ok && reads == 0, "vm_dirty reports exactly the 11 pages written", "-");
    check(vm_stats.dirty_faults - dirty0 == 11, "one TLB-modified fault per page written, not per write",
          "%lu", (unsigned long)(vm_stats.dirty_faults - dirty0));
    check(vm_dirty(0x3f000000) == -1, "an unmapped page has no dirty bit", "-");
    return tap_done();
}
