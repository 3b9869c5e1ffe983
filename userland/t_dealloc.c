/*
 * t_dealloc - a freed page leaves no translation behind.
 *
 * A binding can be cached in two places: the hardware TLB and the STLB.
 * For each way a binding can be cached when its page is freed - in both,
 * in the hardware TLB only (its STLB entry displaced by a colliding
 * binding), in the STLB only (the hardware TLB refilled with other pages)
 * - the next access must fault, and the exposed STLB must hold no entry
 * naming the page.  The page's old capability must not bind it again.
 */
#include <stdint.h>

#include "exos.h"
#include "mips.h"
#include "vm.h"
#include "sys.h"
#include "tap.h"

#define VA_BOTH     0x10000000u
#define VA_TLB      0x10100000u
#define VA_STLB     0x10200000u
#define VA_OTHERS   0x11000000u
/* Same STLB slot as VA_TLB: VPN2 differs by exactly STLB_ENTRIES. */
#define VA_COLLIDE  (VA_TLB + STLB_ENTRIES * 2 * PAGE_SIZE)

static volatile uint32_t faults, last_bad;

/* ExOS could not refill the page (the kernel refused): record, skip. */
static void on_fault(struct exos_frame *f)
{
    faults++;
    last_bad = f->badvaddr;
    /* What the skipped load "read": a mark in its target register. */
    uint32_t insn = *(const uint32_t *)(f->epc + ((f->cause & CAUSE_BD) ? 4 : 0));
    f->regs[(insn >> 16) & 31] = 0xdead;
    exos_skip(f);
}

static uint32_t load(uint32_t va)
{
    uint32_t v;
    __asm__ volatile("lw %0, 0(%1)\n\tnop" : "=r"(v) : "r"(va) : "memory");
    return v;
}

/* Does the exposed STLB hold any valid binding to ppn? */
static int stlb_names(uint32_t ppn)
{
    for (int i = 0; i < STLB_ENTRIES; i++) {
        const volatile struct stlb_entry *e = &AEGIS_EXPOSED->stlb[i];
        if (e->tag == STLB_EMPTY)
            continue;
        if (((e->lo0 & 2) && e->lo0 >> 6 == ppn) || ((e->lo1 & 2) && e->lo1 >> 6 == ppn))
            return 1;
    }
    return 0;
}

/* Maps a fresh page at va and writes a mark in it. */
static int32_t fresh(uint32_t va, uint32_t *wcap)
{
    int32_t ppn = sys_page_alloc(-1, wcap);
    if (ppn >= 0 && vm_map(va, ppn, *wcap, PTE_W | PTE_DIRTY) == 0)
        *(volatile uint32_t *)va = 0xfeed0000 | (va >> 20);
    return ppn;
}

/* Frees the page at va (keeping ExOS's stale record, so ExOS tries to
 * refill it and the kernel must refuse) and checks nothing reaches it. */
static void free_and_probe(const char *how, uint32_t va, int32_t ppn)
{
    char name[96];

    check(sys_page_free(ppn) == 0, "page freed", "ppn %ld", (long)ppn);
    faults = 0;
    uint32_t v = load(va);
    snprintf(name, sizeof name, "%s: the old translation faults", how);
    check(faults == 1 && last_bad == va && v == 0xdead, name,
          "faults %lu, read %08lx", (unsigned long)faults, (unsigned long)v);
    snprintf(name, sizeof name, "%s: no STLB entry names the page", how);
    check(!stlb_names(ppn), name, "ppn %ld still bound", (long)ppn);
}

int main(void)
{
    uint32_t c1, c2, c3, c4, cx;

    exos_on_exception(EXC_TLBL, on_fault);
    exos_on_exception(EXC_TLBS, on_fault);

    /* 1. Cached in both. */
    int32_t p1 = fresh(VA_BOTH, &c1);
    check(load(VA_BOTH) == (0xfeed0000 | (VA_BOTH >> 20)) && stlb_names(p1),
          "a bound page is readable and in the STLB", "-");
    free_and_probe("in TLB and STLB", VA_BOTH, p1);

    /* 2. In the hardware TLB only. */
    int32_t p2 = fresh(VA_TLB, &c2);
    load(VA_TLB);
    uint32_t pc = fresh(VA_COLLIDE, &c3);   /* displaces VA_TLB's STLB entry */
    check(!stlb_names(p2) && pc > 0, "a colliding binding displaced it from the STLB", "-");
    free_and_probe("in the TLB only", VA_TLB, p2);

    /* 3. In the STLB only: refill the TLB with 48 other pages first. */
    int32_t p3 = fresh(VA_STLB, &c4);
    for (int i = 0; i < 48; i++)
        fresh(VA_OTHERS + i * 2 * PAGE_SIZE, &cx);
    for (int i = 0; i < 48; i++)
        load(VA_OTHERS + i * 2 * PAGE_SIZE);
    check(stlb_names(p3), "the page is still in the STLB after the TLB refilled", "-");
    free_and_probe("in the STLB (TLB refilled)", VA_STLB, p3);

    /* The old capability is worthless, even once the page is ours again. */
    check(sys_tlb_write(0, VA_BOTH, p1, c1, 0) == -E_PERM,
          "binding a free page with its old cap: E_PERM", "-");
    uint32_t cnew = c1;
    check(sys_page_alloc(p1, &cnew) == p1 && cnew != c1, "the page reallocated by number has a new cap", "-");
    check(sys_tlb_write(0, VA_BOTH, p1, c1, 0) == -E_BADCAP, "binding it with the old cap: E_BADCAP", "-");

    /* Freeing what is not ours. */
    check(sys_page_free(p2) == -E_PERM, "freeing a page twice: E_PERM", "-");
    check(sys_page_free(2) == -E_PERM, "freeing a kernel page: E_PERM", "-");
    check(sys_page_free(0x7fffffff) == -E_INVAL, "freeing a page that does not exist: E_INVAL", "-");
    return tap_done();
}
