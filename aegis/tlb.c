/*
 * tlb.c - managing the hardware TLB from C (see tlb.h).  The refill fast
 * path, which fills it, is in vectors.S.
 *
 * Every sequence below follows the MIPS32r2 hazard rules: an `ehb` after
 * the mtc0s that feed a TLB instruction, and after tlbp/tlbr before their
 * results are read.
 */
#include "tlb.h"

#include "abi.h"
#include "mips.h"
#include "stlb.h"

#define C0_PAGEMASK_256K    0x0007e000u     /* PageMask for 256 KiB pages */
#define INDEX_P             0x80000000u     /* tlbp found nothing */

static unsigned ntlb;

/*
 * The ASID the CPU translates with now: EntryHi's, which every TLB
 * operation here puts back when it is done (tlbp and tlbr overwrite it).
 * Reading it, instead of remembering what was last set, keeps it right
 * when a protected control transfer changed it without the C code knowing.
 */
static uint32_t asid_now(void)
{
    return mfc0(C0_ENTRYHI, 0) & ENTRYHI_ASID_MASK;
}

static inline void tlbp(void)  { __asm__ volatile("tlbp\n\tehb" ::: "memory"); }
static inline void tlbr(void)  { __asm__ volatile("tlbr\n\tehb" ::: "memory"); }
static inline void tlbwi(void) { __asm__ volatile("tlbwi\n\tehb" ::: "memory"); }
static inline void tlbwr(void) { __asm__ volatile("tlbwr\n\tehb" ::: "memory"); }

/* A tag no user access can match: slot i's own page pair in kseg0. */
static uint32_t unique_tag(unsigned i)
{
    return KSEG0_BASE + (i << (PAGE_SHIFT + 1));
}

static void write_index(unsigned i, uint32_t hi, uint32_t lo0, uint32_t lo1)
{
    mtc0(C0_INDEX, 0, i);
    mtc0(C0_ENTRYHI, 0, hi);
    mtc0(C0_ENTRYLO0, 0, lo0);
    mtc0(C0_ENTRYLO1, 0, lo1);
    tlbwi();
}

unsigned tlb_size(void)
{
    return ntlb;
}

void tlb_init(uint32_t exposed_pa)
{
    uint32_t pfn0 = exposed_pa >> PAGE_SHIFT, pfn1 = (exposed_pa + 0x40000) >> PAGE_SHIFT;
    uint32_t ro = ENTRYLO_CACHED | ENTRYLO_V | ENTRYLO_G;   /* no D: read-only */

    ntlb = ((mfc0(C0_CONFIG, 1) >> CFG1_MMU_SHIFT) & CFG1_MMU_MASK) + 1;
    mtc0(C0_PAGEMASK, 0, 0);
    for (unsigned i = 0; i < ntlb; i++)
        write_index(i, unique_tag(i), 0, 0);

    /* Entry 0: the exposed tables, global and read-only, for every ASID. */
    mtc0(C0_PAGEMASK, 0, C0_PAGEMASK_256K);
    write_index(0, EXPOSED_VA, (pfn0 << ENTRYLO_PFN_SHIFT) | ro,
                (pfn1 << ENTRYLO_PFN_SHIFT) | ro);
    mtc0(C0_PAGEMASK, 0, 0);
    mtc0(C0_WIRED, 0, TLB_WIRED);
    tlb_set_asid(0);
}

void tlb_set_asid(uint32_t asid)
{
    mtc0(C0_ENTRYHI, 0, asid);
}

/* Index of the entry holding tag, or -1.  Leaves EntryHi = tag. */
static int probe(uint32_t tag)
{
    mtc0(C0_ENTRYHI, 0, tag);
    tlbp();
    uint32_t idx = mfc0(C0_INDEX, 0);
    return (idx & INDEX_P) ? -1 : (int)idx;
}

void tlb_update(uint32_t tag, uint32_t lo0, uint32_t lo1, int insert)
{
    uint32_t asid = asid_now();
    int i = probe(tag);

    mtc0(C0_ENTRYLO0, 0, lo0);
    mtc0(C0_ENTRYLO1, 0, lo1);
    if (i >= TLB_WIRED)
        tlbwi();
    else if (i < 0 && insert)
        tlbwr();
    mtc0(C0_ENTRYHI, 0, asid);
}

void tlb_invalidate(uint32_t tag)
{
    uint32_t asid = asid_now();
    int i = probe(tag);

    if (i >= TLB_WIRED)
        write_index(i, unique_tag(i), 0, 0);
    mtc0(C0_ENTRYHI, 0, asid);
}

void tlb_read(unsigned i, uint32_t *hi, uint32_t *lo0, uint32_t *lo1)
{
    uint32_t asid = asid_now();

    mtc0(C0_INDEX, 0, i);
    tlbr();
    *hi = mfc0(C0_ENTRYHI, 0);
    *lo0 = mfc0(C0_ENTRYLO0, 0);
    *lo1 = mfc0(C0_ENTRYLO1, 0);
    mtc0(C0_PAGEMASK, 0, 0);        /* tlbr loaded entry i's PageMask */
    mtc0(C0_ENTRYHI, 0, asid);
}

void tlb_invalidate_if(int (*doomed)(uint32_t ppn, void *arg), void *arg)
{
    uint32_t asid = asid_now();

    for (unsigned i = TLB_WIRED; i < ntlb; i++) {
        uint32_t hi, lo0, lo1;
        tlb_read(i, &hi, &lo0, &lo1);
        if (((lo0 & ENTRYLO_V) && doomed(entrylo_ppn(lo0), arg)) ||
            ((lo1 & ENTRYLO_V) && doomed(entrylo_ppn(lo1), arg)))
            write_index(i, unique_tag(i), 0, 0);
    }
    mtc0(C0_ENTRYHI, 0, asid);
}

static int is_ppn(uint32_t ppn, void *arg)
{
    return ppn == *(uint32_t *)arg;
}

void tlb_invalidate_ppn(uint32_t ppn)
{
    tlb_invalidate_if(is_ppn, &ppn);
}

void tlb_flush(void)
{
    uint32_t asid = asid_now();

    for (unsigned i = TLB_WIRED; i < ntlb; i++)
        write_index(i, unique_tag(i), 0, 0);
    mtc0(C0_ENTRYHI, 0, asid);
}

void tlb_flush_asid(uint32_t doomed)
{
    uint32_t asid = asid_now();

    for (unsigned i = TLB_WIRED; i < ntlb; i++) {
        uint32_t hi, lo0, lo1;
        tlb_read(i, &hi, &lo0, &lo1);
        if ((hi & ENTRYHI_ASID_MASK) == doomed && !(lo0 & lo1 & ENTRYLO_G))
            write_index(i, unique_tag(i), 0, 0);
    }
    mtc0(C0_ENTRYHI, 0, asid);
}
