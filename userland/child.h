/*
 * child.h - raw child environments for in-guest tests.
 *
 * A test often needs a second environment that runs a function of its own,
 * with nothing ExOS would set up: a "raw" child.  The parent builds it by
 * system calls alone: it pins the child's code (the child_text section and
 * ExOS's system-call entry (exos_syscall), read-only through their read capabilities), a
 * stack page and an exception-frame page of the child's own, and a page
 * shared with the parent, all as guaranteed mappings; then it starts it.
 * Functions the child runs are marked CHILD and may use no writable global
 * (the child does not have the parent's data pages).
 */
#ifndef USERLAND_CHILD_H
#define USERLAND_CHILD_H

#include <stddef.h>
#include <stdint.h>

#include "exos.h"
#include "vm.h"
#include "sys.h"

#define CHILD __attribute__((section("child_text"), noinline))

#define CHILD_STACK 0x10010000u     /* the child's stack page */

extern char __start_child_text[], __stop_child_text[];
extern char __exos_text_start[], __exos_text_end[];

/* A page for the child: allocated here, handed over, pinned there. */
static int __attribute__((unused))
child_give_page(uint32_t cid, int slot, uint32_t va, int odd)
{
    uint32_t wcap = 0, c2 = 0;
    int32_t ppn = sys_page_alloc(-1, &wcap);

    if (odd && ppn >= 0 && (ppn & 1) == 0) {
        int32_t o = sys_page_alloc(ppn + 1, &c2);
        sys_page_free(ppn);
        ppn = o, wcap = c2;
    }
    if (ppn < 0 || sys_page_give(ppn, cid) < 0)
        return -1;
    return sys_guarantee(cid, slot, va, ppn, wcap, TLBF_WRITE);
}

/* Pins [start, stop) of the parent's own pages in the child, read-only. */
static int __attribute__((unused))
child_share_ro(uint32_t cid, int *slot, uint32_t start, uint32_t stop)
{
    for (uint32_t va = start & ~(PAGE_SIZE - 1); va < stop; va += PAGE_SIZE) {
        struct pte *e = vm_lookup(va);
        uint32_t rcap = 0;
        if (e == NULL || sys_page_rcap(e->ppn, e->cap, &rcap) < 0 ||
            sys_guarantee(cid, (*slot)++, va, e->ppn, rcap, 0) < 0)
            return -1;
    }
    return 0;
}

/*
 * Creates a stopped raw child: code, stack, frame page (at EXOS_XF_VA, odd,
 * as SYS_XFRAME wants) and the parent's page `shared_va` (ppn, wcap),
 * read-write.  Returns its envid, or a negative error.  *slot gets the next
 * free guaranteed-mapping slot of the child.
 */
static int32_t __attribute__((unused))
child_create(uint32_t shared_va, uint32_t ppn, uint32_t wcap, int *slot)
{
    int32_t cid = sys_env_create();

    *slot = 0;
    if (cid <= 0)
        return cid;
    if (child_share_ro(cid, slot, (uint32_t)__start_child_text, (uint32_t)__stop_child_text) < 0 ||
        child_share_ro(cid, slot, (uint32_t)__exos_text_start, (uint32_t)__exos_text_end) < 0 ||
        child_give_page(cid, (*slot)++, CHILD_STACK, 0) < 0 ||
        child_give_page(cid, (*slot)++, EXOS_XF_VA, 1) < 0 ||
        sys_guarantee(cid, (*slot)++, shared_va, ppn, wcap, TLBF_WRITE) < 0)
        return -1;
    return cid;
}

/* Allocates a page and maps it at va here, to share with children. */
static int __attribute__((unused))
child_shared_page(uint32_t va, int32_t *ppn, uint32_t *wcap)
{
    *ppn = sys_page_alloc(-1, wcap);
    return *ppn > 0 && vm_map(va, *ppn, *wcap, PTE_W | PTE_DIRTY) == 0;
}

/* A loop a child can spin in without touching memory. */
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "spin_forever:\n"
    "   b     spin_forever\n"
    "   nop\n"
    "   .set pop\n   .text\n");
void spin_forever(void) __attribute__((noreturn));

/* Starts it at fn(arg) on its stack. */
static int32_t __attribute__((unused))
child_start(uint32_t cid, void (*fn)(uint32_t), uint32_t arg)
{
    return sys_env_start(cid, (uint32_t)fn, CHILD_STACK + PAGE_SIZE - 16, arg);
}

/* Kills a child and frees its slot (it would wait as ENV_ZOMBIE for us). */
static int32_t __attribute__((unused)) child_end(uint32_t cid)
{
    int32_t r = sys_env_destroy(cid, 0);
    return r < 0 ? r : sys_env_reap(cid);
}

#endif /* USERLAND_CHILD_H */
