/*
 * t_isolation - two environments, distinct ASIDs, and nothing either can
 * reach without a capability.
 *
 * The parent (this program) creates a raw child environment by system
 * calls alone: it binds the child's code (the child_text section and ExOS's
 * system-call entry (exos_syscall), read-only through their read capabilities), gives it a
 * stack and an exception-frame page, and pins all of them with guaranteed
 * mappings.  The child then tries to reach what is not its own; each
 * attempt must come back to the child's own handler as an exception, or
 * as an error code from the kernel.  The parent checks what the child saw,
 * and makes its own attempts.
 */
#include <stdint.h>
#include <string.h>

#include "child.h"
#include "mips.h"
#include "tap.h"

#define VA_PRIV     0x10000000u     /* the parent's private page */
#define VA_RES      0x10002000u     /* results, shared read-write */
#define VA_RO       0x10004000u     /* shared read-only with the child */
#define VA_PROBE    0x20000000u     /* where bindings are attempted */

/* What the child reports, in the shared page. */
struct results {
    uint32_t asid;                  /* the child's ASID, from the exposed table */
    uint32_t xframe_rc;
    uint32_t priv_cause, priv_bad;  /* reading the parent's private page */
    uint32_t ro_cause, ro_bad;      /* writing the read-only page */
    uint32_t k_cause, k_bad;        /* reading kernel memory */
    uint32_t x_cause;               /* writing the exposed tables */
    uint32_t x_read;                /* reading them: npages */
    int32_t rc_badcap, rc_kpage, rc_kaddr;
    int32_t child_ppn;              /* a page the child allocated itself */
    uint32_t faults;
    uint32_t done;
};

/* The child's handler keeps its records in its frame page (page 1),
 * after the kernel's words: 0x1028 $at, 0x102c resume address, 0x1030
 * count, 0x1034 Cause, 0x1038 BadVAddr (the asm below spells them out). */
_Static_assert(XF_USER == 40, "the child handler's offsets assume XF_USER == 40");
#define REC_COUNT   ((XF_USER + 8) / 4)
#define REC_CAUSE   ((XF_USER + 12) / 4)
#define REC_BAD     ((XF_USER + 16) / 4)

/*
 * The child's exception handler, in assembly: no stack, only $at, saved in
 * page 1.  It records Cause and BadVAddr, counts, skips the faulting
 * instruction (the child never faults in a delay slot), re-arms and resumes.
 */
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n   .set noat\n"
    "child_handler:\n"
    "   sw    $at, 0x1028($0)\n"        /* save $at */
    "   lw    $at, 0x1004($0)\n"        /* XF_CAUSE */
    "   sw    $at, 0x1034($0)\n"        /* record it */
    "   lw    $at, 0x1008($0)\n"        /* XF_BADVADDR */
    "   sw    $at, 0x1038($0)\n"
    "   lw    $at, 0x1030($0)\n"        /* count++ */
    "   addiu $at, $at, 1\n"
    "   sw    $at, 0x1030($0)\n"
    "   lw    $at, 0x1000($0)\n"        /* XF_EPC + 4 */
    "   addiu $at, $at, 4\n"
    "   sw    $at, 0x102c($0)\n"        /* resume there */
    "   la    $at, child_handler\n"     /* re-arm */
    "   sw    $at, 0x100c($0)\n"
    "   lw    $at, 0x102c($0)\n"
    "   jr    $at\n"
    "   lw    $at, 0x1028($0)\n"
    "   .set pop\n"
    "   .text\n");
void child_handler(void);


/* One load or store that may fault.  The nop makes the asm two
 * instructions long, so the compiler cannot put it in a branch delay slot:
 * the child's handler only knows how to skip a plain instruction. */
static CHILD uint32_t peek(uint32_t va)
{
    uint32_t v;
    __asm__ volatile("lw %0, 0(%1)\n\tnop" : "=r"(v) : "r"(va) : "memory");
    return v;
}

static CHILD void poke(uint32_t va, uint32_t v)
{
    __asm__ volatile("sw %0, 0(%1)\n\tnop" :: "r"(v), "r"(va) : "memory");
}

/* The child: runs with nothing but what the parent bound for it. */
static CHILD void child_main(uint32_t priv_ppn)
{
    volatile struct results *r = (struct results *)VA_RES;
    volatile uint32_t *rec = (uint32_t *)EXOS_XF_VA;
    uint32_t cap;

    r->asid = AEGIS_EXPOSED->envs[AEGIS_EXPOSED->current].asid;
    r->xframe_rc = sys_xframe(EXOS_XF_VA);
    rec[XF_HANDLER / 4] = (uint32_t)child_handler;

    peek(VA_PRIV);
    r->priv_cause = rec[REC_CAUSE], r->priv_bad = rec[REC_BAD];
    poke(VA_RO, 1);
    r->ro_cause = rec[REC_CAUSE], r->ro_bad = rec[REC_BAD];
    peek(0x80100000u);
    r->k_cause = rec[REC_CAUSE], r->k_bad = rec[REC_BAD];
    poke(EXPOSED_VA, 1);
    r->x_cause = rec[REC_CAUSE];
    r->x_read = AEGIS_EXPOSED->npages;

    r->rc_badcap = sys_tlb_write(0, VA_PROBE, priv_ppn, 0x12345678u, 0);
    r->rc_kpage = sys_tlb_write(0, VA_PROBE, 1, 0, 0);
    r->rc_kaddr = sys_tlb_write(0, 0x80001000u, priv_ppn, 0, 0);
    r->child_ppn = sys_page_alloc(-1, &cap);
    r->faults = rec[REC_COUNT];
    r->done = 1;
    sys_env_destroy(0, 0);
}

/* The parent's own faults: record and skip. */
static volatile uint32_t last_cause, last_bad, nfaults;

static void record(struct exos_frame *f)
{
    last_cause = f->cause, last_bad = f->badvaddr;
    nfaults++;
    exos_skip(f);
}

static unsigned code(uint32_t cause)
{
    return (cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT;
}

int main(void)
{
    uint32_t wpriv, wres, wro, rro = 0;
    int32_t ppriv = sys_page_alloc(-1, &wpriv);
    int32_t pres = sys_page_alloc(-1, &wres);
    int32_t pro = sys_page_alloc(-1, &wro);
    int slot = 0;

    exos_on_exception(EXC_TLBL, record);
    exos_on_exception(EXC_TLBS, record);
    exos_on_exception(EXC_ADEL, record);
    exos_on_exception(EXC_ADES, record);
    exos_on_exception(EXC_MOD, record);

    vm_map(VA_PRIV, ppriv, wpriv, PTE_W | PTE_DIRTY);
    vm_map(VA_RES, pres, wres, PTE_W | PTE_DIRTY);
    vm_map(VA_RO, pro, wro, PTE_W | PTE_DIRTY);
    *(volatile uint32_t *)VA_PRIV = 0x5ec2e7;
    *(volatile uint32_t *)VA_RO = 42;
    memset((void *)VA_RES, 0, PAGE_SIZE);
    sys_page_rcap(pro, wro, &rro);

    int32_t cid = child_create(VA_RES, pres, wres, &slot);
    check(cid > 0, "env_create makes a child; its code, stack, frame and results page are bound",
          "got %ld", (long)cid);
    check(sys_guarantee(cid, slot, VA_RO, pro, rro, 0) == 0,
          "and a page it may only read", "slot %d", slot);
    check(child_start(cid, child_main, ppriv) == 0, "env_start runs it", "-");
    while (AEGIS_EXPOSED->envs[cid].state != ENV_ZOMBIE)
        sys_yield(cid);

    volatile struct results *r = (struct results *)VA_RES;
    uint32_t my_asid = AEGIS_EXPOSED->envs[exos_envid()].asid;
    check(r->done == 1, "the child ran to its end", "done %lu", (unsigned long)r->done);
    check(r->asid != 0 && r->asid != my_asid, "parent and child have distinct ASIDs",
          "child %lu, parent %lu", (unsigned long)r->asid, (unsigned long)my_asid);
    check(r->xframe_rc == 0, "the child registers its own exception frame", "rc %ld",
          (long)r->xframe_rc);
    check(code(r->priv_cause) == EXC_TLBL && r->priv_bad == VA_PRIV,
          "child reading the parent's page: TLB miss delivered to the child",
          "cause %08lx badvaddr %08lx", (unsigned long)r->priv_cause, (unsigned long)r->priv_bad);
    check(code(r->ro_cause) == EXC_MOD && r->ro_bad == VA_RO,
          "child writing a page it may only read: TLB modified, to the child",
          "cause %08lx badvaddr %08lx", (unsigned long)r->ro_cause, (unsigned long)r->ro_bad);
    check(code(r->k_cause) == EXC_ADEL && r->k_bad == 0x80100000u,
          "child reading kernel memory: address error, to the child",
          "cause %08lx badvaddr %08lx", (unsigned long)r->k_cause, (unsigned long)r->k_bad);
    check(code(r->x_cause) == EXC_MOD, "child writing the exposed tables: TLB modified",
          "cause %08lx", (unsigned long)r->x_cause);
    check(r->x_read == AEGIS_EXPOSED->npages && r->x_read > 0,
          "child reads the exposed tables without a system call", "read %lu",
          (unsigned long)r->x_read);
    check(r->faults == 4, "the child's handler saw exactly its four faults", "saw %lu",
          (unsigned long)r->faults);
    check(r->rc_badcap == -E_BADCAP, "child binding the parent's page with a wrong cap: E_BADCAP",
          "rc %ld", (long)r->rc_badcap);
    check(r->rc_kpage == -E_PERM, "child binding a kernel-owned page: E_PERM", "rc %ld",
          (long)r->rc_kpage);
    check(r->rc_kaddr == -E_KADDR, "child binding a kernel address: E_KADDR", "rc %ld",
          (long)r->rc_kaddr);
    check(*(volatile uint32_t *)VA_PRIV == 0x5ec2e7 && *(volatile uint32_t *)VA_RO == 42,
          "the parent's pages are untouched", "-");

    /* The parent's own attempts. */
    check(r->child_ppn > 0, "the child allocated a page of its own", "rc %ld", (long)r->child_ppn);
    int32_t rc = sys_tlb_write(0, VA_PROBE, r->child_ppn, wpriv, 0);
    check(rc == -E_BADCAP || rc == -E_PERM, "parent binding the child's page: refused",
          "rc %ld", (long)rc);
    nfaults = 0;
    (void)*(volatile uint32_t *)0x80100000u;
    check(nfaults == 1 && code(last_cause) == EXC_ADEL, "parent reading kernel memory: AdEL to its handler",
          "faults %lu cause %08lx", (unsigned long)nfaults, (unsigned long)last_cause);
    *(volatile uint32_t *)(EXPOSED_VA + 64) = 1;
    check(nfaults == 2 && code(last_cause) == EXC_MOD, "parent writing the exposed tables: Mod to its handler",
          "faults %lu cause %08lx", (unsigned long)nfaults, (unsigned long)last_cause);
    check(sys_tlb_write(0, VA_PROBE, ppriv, wpriv ^ 0x55, 0) == -E_BADCAP,
          "tlb_write with a wrong capability: E_BADCAP", "-");
    check(sys_tlb_write(0, VA_PROBE, 3, 0, 0) == -E_PERM, "tlb_write of a kernel page: E_PERM", "-");
    check(sys_tlb_write(0, 0x80000000u, ppriv, wpriv, 0) == -E_KADDR,
          "tlb_write of a kernel address: E_KADDR", "-");
    check(sys_tlb_write(0, EXPOSED_VA, ppriv, wpriv, 0) == -E_INVAL,
          "tlb_write over the exposed window: E_INVAL", "-");
    check(sys_tlb_write(0, VA_PROBE + 4, ppriv, wpriv, 0) == -E_ALIGN,
          "tlb_write of an unaligned address: E_ALIGN", "-");
    check(sys_tlb_write(0, VA_PROBE, 0x7fffffff, wpriv, 0) == -E_INVAL,
          "tlb_write of a page that does not exist: E_INVAL", "-");
    check(sys_tlb_write(cid, VA_PROBE, ppriv, wpriv, 0) == -E_NOENV,
          "tlb_write into a dead environment: E_NOENV", "-");
    check(sys_tlb_write(0, VA_PROBE, ppriv, rro, TLBF_WRITE) == -E_BADCAP,
          "another page's read cap does not grant writing: E_BADCAP", "-");
    return tap_done();
}
