/*
 * vm.h - virtual memory, in the library.
 *
 * The kernel caches bindings; the truth about this environment's address
 * space is here.  When the kernel reports a TLB miss, an invalid page or a
 * write to a clean page, vm_fault() decides what it means:
 *  - a page in the table: bind it (SYS_TLB_WRITE) and retry;
 *  - the first write to a page bound clean: mark it dirty, rebind it
 *    writable, retry (dirty tracking through the MIPS D bit);
 *  - a page the program protected: call the program's protection handler;
 *  - no page, in a demand-zero region (the heap): take a fresh page;
 *  - anything else: a bad address, the program's problem.
 */
#ifndef EXOS_VM_H
#define EXOS_VM_H

#include <stdint.h>

#include "exos.h"
#include "pt.h"

/* struct pte.flags */
#define PTE_VALID   0x01    /* the entry maps a page */
#define PTE_W       0x02    /* the page may be made writable (write capability) */
#define PTE_DIRTY   0x04    /* written since it was last cleaned */
#define PTE_NOACC   0x08    /* protected: no access */
#define PTE_RDONLY  0x10    /* protected: read only */
#define PTE_ZERO    0x20    /* filled with zeros on demand, never written out */
#define PTE_COW     0x40    /* shared after fork: the first write copies it */
#define PTE_LOST    0x80    /* given back or taken by the kernel: data gone */
/* Shared with other processes (shm.c): a fork passes the same page, with
 * the same capability, to the child - never copy-on-write.  shm.c maps
 * these without PTE_W and binds them writable itself on the first write
 * that faults (shm_fault). */
#define PTE_SHARED  0x100

/* Maps va -> ppn (cap grants flags' rights) and binds it now: 0 or error.
 * A page mapped PTE_W but not PTE_DIRTY is bound read-only until written. */
int vm_map(uint32_t va, uint32_t ppn, uint32_t cap, uint32_t flags);

/* Removes va's mapping (page table and TLB); the page itself stays. */
void vm_unmap(uint32_t va);

/* The entry of va's page, or NULL. */
struct pte *vm_lookup(uint32_t va);

/* Serves a TLB miss, invalid or modified exception at f->badvaddr.  0 when
 * handled (the program retries), -1 when it is the program's to handle. */
int vm_fault(struct exos_frame *f);

/* [start, end) is filled with zero pages on first touch (the heap). */
void vm_zero_region(uint32_t start, uint32_t end);

/* --- The Appel-Li primitives -------------------------------------------- */

#define VM_NONE     0
#define VM_READ     1
#define VM_RW       2

/* Protects [va, va+len): no access, read only, or read-write again.
 * 0, or -1 if a page in the range is not mapped. */
int vm_protect(uint32_t va, uint32_t len, int prot);

/* The handler for accesses that break a protection: it receives the frame
 * (badvaddr says where) and should vm_protect() the page back, or the
 * access faults again.  Without one, such an access ends the program. */
void vm_on_protfault(exos_handler_t h);

/* Was va's page written since it was mapped or last cleaned?  -1 if unmapped. */
int vm_dirty(uint32_t va);

/* Marks [va, va+len) clean: the next write to each page is noticed. */
int vm_clean(uint32_t va, uint32_t len);

/* Statistics, for tests and benchmarks. */
struct vm_stats {
    uint32_t faults;        /* vm_fault calls */
    uint32_t refills;       /* mapped pages bound again after a miss */
    uint32_t zero_fills;    /* demand-zero pages created */
    uint32_t dirty_faults;  /* first writes to clean pages */
    uint32_t prot_faults;   /* accesses that broke a protection */
};
/* (volatile: the exception path updates them behind the program's back) */
extern volatile struct vm_stats vm_stats;

/*
 * Revocation (pager.c).  exos_revoke(n) is ExOS's answer to UPCALL_REVOKE:
 * it gives back up to n pages, clean demand-zero ones first, then pages of
 * the vm_discardable range (whose entries become PTE_LOST).  It gives nothing while vm_busy is set
 * (the program is inside a page-table update), and the kernel then takes
 * pages by force; exos_repair() marks the entries of pages taken by force
 * PTE_LOST.  An access to a PTE_LOST page is a fault the program did not
 * expect: it dies with SIGBUS.
 */
extern volatile uint32_t vm_busy;
/* [va, va+len) holds data the program can afford to lose (a cache): the
 * pager may give those pages back, after clean ones.  One range. */
void vm_discardable(uint32_t va, uint32_t len);
void exos_revoke(uint32_t n);
void exos_repair(void);

struct pager_stats {
    uint32_t requests;      /* UPCALL_REVOKEs received */
    uint32_t gave_clean;    /* clean zero pages given back */
    uint32_t gave_dirty;    /* data pages given back (lost) */
    uint32_t refused_busy;  /* requests met while busy: the kernel took them */
    uint32_t lost_by_force; /* page-table entries of pages taken by force */
};
extern volatile struct pager_stats pager_stats;   /* (volatile: upcalls update it) */

#endif /* EXOS_VM_H */
