/*
 * t_asid - ASIDs are recycled safely.
 *
 * The TLB tells address spaces apart by an 8-bit ASID, so at most 255
 * environments can have one at a time without reuse.  Aegis hands ASIDs out
 * in order and, when they run out, starts a new generation: it flushes the
 * hardware TLB and the STLB, and every environment gets a fresh ASID when
 * it next needs one.  Here 300 children are created, given a binding (which
 * gives them an ASID) and destroyed; the parent must live through the
 * flush, its memory intact, refilled by ExOS from its own page table.
 */
#include <stdint.h>
#include <string.h>

#include "exos.h"
#include "vm.h"
#include "sys.h"
#include "tap.h"

#define VA_DATA 0x10000000u

int main(void)
{
    uint32_t cap = 0;
    int32_t ppn = sys_page_alloc(-1, &cap);
    uint32_t flushes0 = AEGIS_EXPOSED->stats.asid_flushes;

    check(ppn > 0 && vm_map(VA_DATA, ppn, cap, PTE_W | PTE_DIRTY) == 0, "a data page is mapped", "-");
    memset((void *)VA_DATA, 0xa5, PAGE_SIZE);

    int created = 0, clash = 0;
    for (int i = 0; i < 300; i++) {
        int32_t cid = sys_env_create();
        if (cid <= 0)
            break;
        /* Binding a page in the child gives it an ASID. */
        if (sys_tlb_write(cid, VA_DATA, ppn, cap, 0) == 0)
            created++;
        uint32_t mine = AEGIS_EXPOSED->envs[exos_envid()].asid;
        if (AEGIS_EXPOSED->envs[cid].asid == mine &&
            AEGIS_EXPOSED->envs[cid].asid != 0)
            clash++;
        sys_env_destroy(cid, 0);   /* and free its slot: */
        sys_env_reap(cid);         /* we do not need its status */
    }
    check(created == 300, "300 children were given an ASID", "%d", created);
    check(AEGIS_EXPOSED->stats.asid_flushes > flushes0, "the ASIDs ran out and a generation was flushed",
          "flushes %lu", (unsigned long)AEGIS_EXPOSED->stats.asid_flushes);
    check(clash == 0, "no child ever shared the parent's live ASID", "%d clashes", clash);

    int intact = 1;
    for (uint32_t i = 0; i < PAGE_SIZE; i++)
        intact &= ((volatile uint8_t *)VA_DATA)[i] == 0xa5;
    check(intact, "the parent's memory reads back intact after the flush", "-");
    printf("(printf after the flush: the parent's code and data are refilled)\n");
    return tap_done();
}
