/*
 * abi.h - the kernel's contract with library operating systems.
 *
 * This is the one header that both aegis/ (the kernel) and exos/ (the
 * library OS) include: everything an environment may rely on is defined
 * here and nowhere else.  docs/kernel-interface.md explains it.
 *
 * Contents: error codes, system call numbers and their arguments, the
 * exception frame the kernel writes for an environment's handler, and the
 * kernel tables mapped read-only into every environment.
 *
 * Safe to include from assembly (.S) files: the C parts are guarded.
 */
#ifndef AEGIS_ABI_H
#define AEGIS_ABI_H

/* --- Error codes ---------------------------------------------------------
 * System calls return a value >= 0 on success, or one of these negated.
 * Each names one reason, so a test (or a person) can tell why a call failed.
 */
#define E_INVAL     1   /* an argument is out of range or malformed */
#define E_PERM      2   /* the caller does not own what it names */
#define E_BUSY      3   /* the resource is owned by someone else */
#define E_NOMEM     4   /* no free resource of that kind */
#define E_NOSYS     5   /* no system call has that number */
#define E_BADCAP    6   /* the capability does not grant that access */
#define E_KADDR     7   /* the address is in kernel space */
#define E_FAULT     8   /* the address has no binding the kernel can see */
#define E_NOENV     9   /* no such environment, or not one the caller controls */
#define E_ALIGN     10  /* the address is not aligned as required */
#define E_AGAIN     11  /* nothing available now; try again */
#define E_COLOR     12  /* virtual and physical page differ in cache colour */

/* --- Reading the clock ---------------------------------------------------
 * User mode may read the CP0 Count register with `rdhwr $2` (hardware
 * register 2, enabled by the kernel in HWREna): one tick every 6 ns of
 * virtual time on QEMU's Malta, i.e. one per 6 instructions under
 * `-icount shift=0`.  Measurements need no system call.
 */
#define COUNT_NS        6

/* --- Memory layout the kernel imposes -----------------------------------
 * Everything below USER_TOP is the environment's to lay out, except the
 * window where the kernel's tables are mapped read-only.
 */
#define PAGE_SHIFT      12
#define PAGE_SIZE       (1u << PAGE_SHIFT)
#define USER_TOP        0x80000000u     /* kuseg ends; kernel space begins */

/*
 * The exposed kernel tables (struct aegis_exposed) are mapped read-only,
 * at this address, into every environment by one wired TLB entry (a pair of
 * 256 KiB pages, global, never evicted).  Reading them never traps.
 */
#define EXPOSED_VA      0x7ff80000u
#define EXPOSED_SIZE    0x00080000u     /* 512 KiB */

/*
 * The first environment.  The kernel itself loads one program (by name, from
 * the images built into the kernel) and starts it with this layout; every
 * later environment is laid out by a library OS.  The boot record tells the
 * program which physical page backs each of its virtual pages, with the
 * write capability, so its library OS can build its own page table.
 */
#define BOOTREC_VA      0x7ff7e000u     /* one page, read-write; a0 at entry */
#define USTACK_TOP      0x7ff7c000u     /* initial sp (a guard page above) */
#define USTACK_PAGES    16
#define BOOTREC_MAGIC   0xae615b00u
#define BOOTREC_CMDLINE 256

/* --- Limits -------------------------------------------------------------- */
#define NENV            64      /* environments alive at once */
#define NGUARANTEED     16      /* guaranteed mappings per environment */
#define STLB_ENTRIES    4096    /* software TLB size (power of two) */
#define MAX_PAGES       65536   /* physical pages the kernel can track (256 MiB) */
#define NASID           256     /* hardware address-space identifiers */

/* --- System calls ---------------------------------------------------------
 * `syscall` with the call number in v0 and arguments in a0, a1, a2, a3, t0,
 * t1 (in that order; never on the stack, so the kernel never reads user
 * memory to find them).  The result comes back in v0 (>= 0, or -E_xxx) and,
 * for calls that return two values, v1.  Like an o32 function call, a
 * system call may change at, v0, v1, a0-a3, t0-t9, hi and lo; it preserves
 * s0-s7, gp, sp, fp and ra.  `syscall` must not sit in a branch delay slot.
 *
 * "envid 0" always means the caller itself.  An environment may act on
 * itself and on the environments it created (its children).
 */
#define SYS_CPUTS       0   /* (const char *buf, len): print on the console -> len */
#define SYS_CGETC       1   /* (): a byte from the console, or -E_AGAIN */
#define SYS_PAGE_ALLOC  2   /* (ppn or -1): allocate page ppn, or any -> v0 ppn, v1 write cap */
#define SYS_PAGE_FREE   3   /* (ppn): give back a page the caller owns; all bindings die */
#define SYS_PAGE_RCAP   4   /* (ppn, wcap): the read capability of a page -> rcap */
#define SYS_PAGE_GIVE   5   /* (ppn, envid): give a page to a child (ownership moves) */
#define SYS_TLB_WRITE   6   /* (envid, va, ppn, cap, flags): bind va -> ppn in envid's space */
#define SYS_TLB_DELETE  7   /* (envid, va): remove the binding of va */
#define SYS_GUARANTEE   8   /* (envid, slot, va, ppn, cap, flags): a mapping that never
                               misses; ppn = -1 clears the slot */
#define SYS_XFRAME      9   /* (va): the caller's exception frame is at va (word-aligned,
                               in a writable guaranteed mapping, same cache colour) */
#define SYS_ENV_CREATE  10  /* (): a new, stopped child environment -> envid */
#define SYS_ENV_START   11  /* (envid, pc, sp, arg): run a child from pc, a0 = arg */
#define SYS_ENV_DESTROY 12  /* (envid): destroy self or a child, reclaim its pages */
#define SYS_YIELD       13  /* (envid or -1): give the CPU to envid, or to the next */
#define NSYSCALLS       14

/* Flags of SYS_TLB_WRITE and SYS_GUARANTEE. */
#define TLBF_WRITE      0x1     /* writable (EntryLo.D); needs the write capability */
#define TLBF_UNCACHED   0x2     /* uncached (for device-like sharing tests) */

/* --- The exception frame ----------------------------------------------------
 * Every exception an environment causes (except syscall and interrupts) is
 * delivered straight to its handler in user mode.  The kernel writes the
 * facts into the environment's exception frame - a page of its own, named
 * with SYS_XFRAME - and saves nothing else: every general register except
 * k0 and k1 still holds the program's value when the handler starts.
 *
 * Protocol:
 *  - handler != 0 means the environment is ready for an exception.  On
 *    delivery the kernel stores epc, cause and badvaddr, sets handler to 0
 *    ("busy"), and jumps to the old handler value in user mode.
 *  - The handler re-arms by writing its address back into handler, usually
 *    just before it resumes the program (or earlier, to allow nesting).
 *  - An exception while handler == 0 (none set, or the handler itself
 *    faulted) cannot be delivered: the kernel destroys the environment.
 *  - The handler resumes the program by itself: it reloads what it saved
 *    and jumps to epc (or past the faulting instruction: see Cause.BD).
 */
#define XF_EPC          0
#define XF_CAUSE        4
#define XF_BADVADDR     8
#define XF_HANDLER      12
#define XF_USER         16      /* the rest of the page is the handler's */

/* --- The exposed kernel tables -------------------------------------------- */

/* Owners of a physical page (struct phys_page.owner). Envids are 1..NENV. */
#define OWNER_FREE      0xffffu
#define OWNER_KERNEL    0xfffeu

/* Environment states (struct env_info.state). */
#define ENV_FREE        0
#define ENV_STOPPED     1       /* created, not yet started */
#define ENV_RUNNABLE    2
#define ENV_DYING       3

/* Why an environment was destroyed (struct env_info.death). */
#define DEATH_NONE      0
#define DEATH_EXIT      1       /* it or its parent asked */
#define DEATH_FAULT     2       /* an exception it could not take */
#define DEATH_SYSCALL   3       /* syscall in a delay slot */

#ifndef __ASSEMBLER__
#include <stdint.h>

struct xframe {
    uint32_t epc;
    uint32_t cause;
    uint32_t badvaddr;
    uint32_t handler;
};

/* One physical page: who owns it.  (Its capabilities are secret: kept by
 * the kernel, never exposed.) */
struct phys_page {
    uint16_t owner;
    uint16_t flags;
};

/*
 * One software-TLB entry: the secure binding of a virtual page pair to its
 * two physical pages, as the hardware TLB wants them.  tag is EntryHi
 * (VPN2 << 13 | ASID); lo0/lo1 are EntryLo0/EntryLo1 (V clear for a half
 * that is not bound).  hits counts refills served from this entry.
 */
struct stlb_entry {
    uint32_t tag;
    uint32_t lo0;
    uint32_t lo1;
    uint32_t hits;
};

/* Never a tag: EntryHi bits 8..12 always read as zero. */
#define STLB_EMPTY      0x00001f00u

/* One page the kernel loaded for the first environment. */
struct bootrec_page {
    uint32_t va;
    uint32_t ppn;
    uint32_t wcap;
    uint32_t flags;         /* TLBF_WRITE if bound writable */
};

struct bootrec {
    uint32_t magic;         /* BOOTREC_MAGIC */
    uint32_t envid;
    uint32_t npages;        /* entries in page[] */
    uint32_t pad;
    char cmdline[BOOTREC_CMDLINE];  /* "name arg1 arg2 ..." */
    struct bootrec_page page[];
};

#define BOOTREC_MAXPAGES ((PAGE_SIZE - 16 - BOOTREC_CMDLINE) / sizeof(struct bootrec_page))

/* The public face of an environment. */
struct env_info {
    uint16_t id;            /* envid, 1..NENV; 0 for a free slot */
    uint8_t state;          /* ENV_xxx */
    uint8_t asid;
    uint16_t parent;
    uint8_t death;          /* DEATH_xxx, once dying or freed */
    uint8_t pad;
    uint32_t pages;         /* physical pages owned */
    uint32_t stlb_hits;     /* refills served by the STLB (folded in when entries leave) */
    uint32_t stlb_misses;   /* refills the STLB could not serve */
    uint32_t stlb_evictions;/* its STLB entries displaced by others' bindings */
    uint32_t guaranteed_fills; /* misses served from guaranteed mappings */
    uint32_t syscalls;
    uint32_t death_cause;   /* Cause of the fatal exception, for DEATH_FAULT */
    uint32_t death_epc;
};

/* Kernel-wide counters. */
struct kstats {
    uint32_t ticks;
    uint32_t asid_flushes;  /* ASID generations: TLB and STLB flushed */
    uint32_t envs_created;
    uint32_t envs_destroyed;
};

/* The tables, as they appear at EXPOSED_VA. */
struct aegis_exposed {
    struct phys_page pages[MAX_PAGES];          /* 256 KiB: the first page */
    struct stlb_entry stlb[STLB_ENTRIES];       /* 64 KiB */
    struct env_info envs[NENV + 1];             /* index = envid */
    struct kstats stats;
    uint32_t npages;                            /* pages of RAM */
    uint32_t current;                           /* envid running now */
};

/* How an environment reaches them. */
#define AEGIS_EXPOSED ((const volatile struct aegis_exposed *)EXPOSED_VA)
#endif /* __ASSEMBLER__ */
#endif /* AEGIS_ABI_H */
