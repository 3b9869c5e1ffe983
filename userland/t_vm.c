/*
 * t_vm - virtual memory in the library, past every cache of bindings.
 *
 * The program touches 10,000 heap pages: 600 times what the 16-entry
 * hardware TLB maps and more than the 4096-pair STLB holds.  Each page
 * arrives as a demand-zero page on first touch; each gets its own value;
 * every value is read back twice.  t_vm_hash runs the same with the hashed
 * page table instead of the two-level one.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tap.h"
#include "vm.h"

#define NPAGES  10000

int main(void)
{
    const volatile struct env_info *me = &AEGIS_EXPOSED->envs[exos_envid()];
    uint32_t zero0 = vm_stats.zero_fills, miss0 = me->stlb_misses;

    printf("# page table: %s\n", pt_name);
    uint8_t *area = malloc(NPAGES * PAGE_SIZE);
    check(area != NULL, "malloc of 40 MB (only address space so far)", "-");
    check(vm_stats.zero_fills - zero0 < 4, "malloc touched almost none of it", "%lu pages",
          (unsigned long)(vm_stats.zero_fills - zero0));

    for (uint32_t i = 0; i < NPAGES; i++)
        *(volatile uint32_t *)(area + i * PAGE_SIZE + (i % 1000) * 4) = i * 2654435761u;
    /* (A few pages at the start of the area were in use by malloc already.) */
    check(vm_stats.zero_fills - zero0 >= NPAGES - 16, "every page came as a demand-zero page",
          "%lu zero fills", (unsigned long)(vm_stats.zero_fills - zero0));

    uint32_t miss1 = me->stlb_misses, refill1 = vm_stats.refills;
    for (int pass = 0; pass < 2; pass++) {
        uint32_t bad = 0;
        for (uint32_t i = 0; i < NPAGES; i++) {
            volatile uint32_t *p = (uint32_t *)(area + i * PAGE_SIZE);
            if (p[i % 1000] != i * 2654435761u || p[(i + 1) % 1000] != 0)
                bad++;
        }
        check(bad == 0, pass ? "read back again: all there" : "every page reads back its value",
              "%lu wrong", (unsigned long)bad);
    }
    /* 5000 page pairs do not fit in 4096 STLB entries: reading them back,
     * the kernel missed, and ExOS refilled from its own table. */
    uint32_t misses = me->stlb_misses - miss1, refills = vm_stats.refills - refill1;
    check(NPAGES / 2 > STLB_ENTRIES && misses > 1000 && refills >= misses,
          "reading back, the STLB missed and ExOS refilled from its page table",
          "%lu STLB misses, %lu refills", (unsigned long)misses, (unsigned long)refills);
    (void)miss0;
    printf("# read-back: %lu STLB misses, %lu refills from the %s table; %lu dirty faults in all\n",
           (unsigned long)misses, (unsigned long)refills, pt_name,
           (unsigned long)vm_stats.dirty_faults);
    free(area);
    return tap_done();
}
