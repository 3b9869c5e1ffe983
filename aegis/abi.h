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

/*
 * PF_PIN, in an ELF program header's p_flags (one of the bits ELF leaves to
 * the operating system): whoever loads the program must pin this segment
 * with guaranteed mappings before it runs.  A library OS marks with it the
 * code and data its exception path needs before it has a page table.
 */
#define PF_PIN          0x00100000u

/*
 * EntryHi / EntryLo fields (MIPS32 PRA), as the exposed STLB, trace ring
 * and TLB snapshot hold them.
 */
#define ENTRYHI_VPN2_SHIFT  13
#define ENTRYHI_ASID_MASK   0xffu
#define ENTRYLO_PFN_SHIFT   6
#define ENTRYLO_G       0x01u   /* global: ignore the ASID */
#define ENTRYLO_V       0x02u   /* valid */
#define ENTRYLO_D       0x04u   /* "dirty": writes allowed */
#define ENTRYLO_C_SHIFT 3
#define ENTRYLO_CACHED  (3u << ENTRYLO_C_SHIFT)
#define ENTRYLO_UNCACHED (2u << ENTRYLO_C_SHIFT)

/* --- Limits -------------------------------------------------------------- */
#define NENV            64      /* environments alive at once */
#define NGUARANTEED     16      /* guaranteed mappings per environment */
#define STLB_ENTRIES    4096    /* software TLB size (power of two) */
#define MAX_PAGES       65536   /* physical pages the kernel can track (256 MiB) */
#define NASID           256     /* hardware address-space identifiers */
#define MAX_SLICES      64      /* the slice vector's largest length */
#define CPUTS_MAX       1024    /* bytes SYS_CPUTS prints at most per call */
/* The most instructions the kernel runs with interrupts off for any one
 * system call, exception or interrupt, on RAM up to MAX_PAGES pages
 * (docs/kernel-interface.md lists the worst cases; userland/t_bounded.c
 * measures them). */
#define KERNEL_MAX_INSNS 5000000
#define NREPO           8       /* repossessed pages remembered per environment */

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
#define SYS_PCT_ASYNC   0   /* v1 = target: protected control transfer, see below */
#define SYS_PCT_SYNC    1   /* v1 = target: the same, donating later slices too */
#define SYS_CPUTS       2   /* (const char *buf, len): print at most CPUTS_MAX bytes on
                               the console -> how many it printed */
#define SYS_CGETC       3   /* (): a byte from the console, or -E_AGAIN */
#define SYS_PAGE_ALLOC  4   /* (ppn or -1): allocate page ppn, or any -> v0 ppn, v1 write cap */
#define SYS_PAGE_FREE   5   /* (ppn): give back a page the caller owns; all bindings die */
#define SYS_PAGE_RCAP   6   /* (ppn, wcap): the read capability of a page -> v1 rcap */
#define SYS_PAGE_GIVE   7   /* (ppn, envid): give a page to a child (ownership moves) */
#define SYS_TLB_WRITE   8   /* (envid, va, ppn, cap, flags): bind va -> ppn in envid's space */
#define SYS_TLB_DELETE  9   /* (envid, va): remove the binding of va */
#define SYS_GUARANTEE   10  /* (envid, slot, va, ppn, cap, flags): a mapping that never
                               misses; ppn = -1 clears the slot */
#define SYS_XFRAME      11  /* (va): the caller's exception frame is at va (word-aligned,
                               in a writable guaranteed mapping, same cache colour) */
#define SYS_ENV_CREATE  12  /* (): a new, stopped child environment -> envid */
#define SYS_ENV_START   13  /* (envid, pc, sp, arg): run a child from pc, a0 = arg */
#define SYS_ENV_DESTROY 14  /* (envid, status): destroy self (exit) or a child (kill),
                               reclaim its pages; status is kept for the parent */
#define SYS_YIELD       15  /* (envid or -1): the rest of this slice to envid, or end it */
#define SYS_SLICE_ALLOC 16  /* (envid, position or -1): a slot of the slice vector -> position */
#define SYS_SLICE_FREE  17  /* (envid, position): give a slot back */
#define SYS_PAGE_REVOKE 18  /* (envid, n): ask self or a child for n pages back (test hook) */
#define SYS_FPU         19  /* (): the FPU becomes the caller's (Status.CU1), its registers
                               restored; the previous owner's are saved */
#define SYS_ENV_REAP    20  /* (envid): free the slot of a child that died (ENV_ZOMBIE) */
#define SYS_TRACE       21  /* (on): TLB tracing on (1) or off (0) -> it was on before */
#define SYS_TLB_SNAPSHOT 22 /* (): copy the hardware TLB into the exposed tlb[] -> entries */
#define NSYSCALLS       23

/*
 * Protected control transfer (PCT).  `syscall` with v0 = SYS_PCT_SYNC or
 * SYS_PCT_ASYNC and v1 = the target's envid moves the CPU to the target's
 * PCT entry (struct xframe.pct_entry; 0 means it refuses) in its address
 * space.  Every other register travels untouched: the message is in the
 * registers.  The target starts with v1 = the caller's envid (v0 is
 * undefined; it must not trust sp either).  The caller does not come back
 * from the syscall: it resumes when some environment transfers to *its*
 * entry, or at its upcall entry (UPCALL_SLICE_START) when its slice comes.
 * The transfer writes the caller's xframe.donate: the target's envid for a
 * synchronous one (while it stays set, the caller's slices go to the
 * target), -1 for an asynchronous one.  The environment clears it when it
 * is entered again.
 * Errors (target out of range, not runnable, refusing) return to the
 * caller like any call: v0 = -E_NOENV or -E_BUSY.
 */

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
#define XF_PCT          16      /* PCT entry point; 0 = refuses transfers */
#define XF_DONATE       20      /* set by PCT: envid its slices go to (sync), -1 */
#define XF_UPCALL       24      /* interrupt-context entry; 0 = none */
#define XF_UPCALL_EPC   28      /* where the environment was when an upcall came */
#define XF_UPCALL_WHY   32      /* UPCALL_xxx */
#define XF_REVOKE       36      /* pages the kernel asks back (UPCALL_REVOKE) */
#define XF_USER         40      /* the rest of the page is the environment's */

/*
 * Upcalls to the interrupt context.  When the kernel takes something back,
 * it says so first: it puts the environment's EPC in upcall_epc, sets
 * upcall_why, and resumes the environment at its upcall entry, with every
 * other register intact.  The environment does what it must and calls
 * SYS_YIELD(-1) within UPCALL_BOUND_DEFAULT instructions (the kernel command
 * line's upcall_bound= changes it): it will go on exactly where the upcall
 * found it, registers and all.  Past the bound the kernel takes the CPU by
 * force (the abort protocol): it keeps the registers as they are and charges
 * the window against the environment's next slices.  An environment with
 * no upcall entry is simply preempted, as on Unix, and not charged.
 *
 * UPCALL_SLICE_START: the environment left by PCT (its registers were not
 * saved) and now gets a slice of its own: it decides where to go on.
 */
#define UPCALL_SLICE_END    1   /* the slice is over: save state and yield */
#define UPCALL_REVOKE       2   /* free xframe.revoke pages, then yield */
#define UPCALL_SLICE_START  3   /* a slice begins; registers are not restored */
#define UPCALL_BOUND_DEFAULT 200000 /* instructions of grace (2% of a 10 ms slice) */
/* An UPCALL_REVOKE for n pages gets min(n, UPCALL_REVOKE_MAX_PAGES) times
 * this much more: giving a page back (SYS_PAGE_FREE) sweeps the STLB for
 * bindings to it, which costs the kernel about 35,000 instructions
 * (t_pager measures it).  n is what the kernel asked, bounded by what the
 * environment and its descendants own; xframe.revoke is only a copy.
 * Whatever the environment uses of the window is charged to it
 * (env_info.debt): a revocation lends time, it never gives any. */
#define UPCALL_REVOKE_PER_PAGE 60000
#define UPCALL_REVOKE_MAX_PAGES 64
#define MAX_OVERRUNS        4   /* aborts in a row before the environment dies */

/* --- The exposed kernel tables -------------------------------------------- */

/* Owners of a physical page (struct phys_page.owner). Envids are 1..NENV. */
#define OWNER_FREE      0xffffu
#define OWNER_KERNEL    0xfffeu
#define OWNER_IMAGES    0xfffdu /* a program image: readable by all (image_rcap) */

/* Environment states (struct env_info.state). */
#define ENV_FREE        0
#define ENV_STOPPED     1       /* created, not yet started */
#define ENV_RUNNABLE    2
#define ENV_DYING       3       /* being destroyed (inside the kernel only) */
#define ENV_ZOMBIE      4       /* dead, pages gone; kept for its parent to read
                                   (death, exit_status) until SYS_ENV_REAP */

/* Why an environment was destroyed (struct env_info.death). */
#define DEATH_NONE      0
#define DEATH_EXIT      1       /* it asked (SYS_ENV_DESTROY on itself) */
#define DEATH_FAULT     2       /* an exception it could not take */
#define DEATH_SYSCALL   3       /* syscall in a delay slot */
#define DEATH_OVERRUN   4       /* ignored MAX_OVERRUNS upcalls in a row */
#define DEATH_KILLED    5       /* its parent destroyed it */
#define DEATH_ANCESTOR  6       /* an ancestor died: descendants die with it */

/* The TLB tracer's event kinds and ring (struct trace_ring, below). */
#define TRACE_NEVENTS   1024
#define EXPOSED_TRACE   0x58000     /* offset of the ring in the exposed tables */
#define TEV_REFILL      1   /* refill served from the STLB: va = EntryHi, a/b = EntryLo0/1, slot */
#define TEV_STLB_MISS   2   /* refill the STLB could not serve: goes to the environment */
#define TEV_GUARANTEED  3   /* such a miss served from a guaranteed mapping */
#define TEV_BIND        4   /* a binding installed (SYS_TLB_WRITE, ...): va, a = EntryLo */
#define TEV_MOD         5   /* TLB modified (a write to a page bound read-only): va */
#define TEV_INVALID     6   /* TLB invalid (a half bound V=0): va */
#define TEV_TLB_EVICT   7   /* a refill replaced a valid hardware TLB entry: slot, va = its EntryHi */
#define TEV_STLB_EVICT  8   /* a binding displaced another's STLB entry: va = its tag */
#define TEV_PCT         9   /* a protected control transfer asked: a = target */
#define TEV_EXC         10  /* another exception: a = ExcCode, va = EPC */
#define TEV_NKINDS      11
#ifndef __ASSEMBLER__
#include <stdint.h>

struct xframe {
    uint32_t epc;
    uint32_t cause;
    uint32_t badvaddr;
    uint32_t handler;
    uint32_t pct_entry;
    uint32_t donate;
    uint32_t upcall;
    uint32_t upcall_epc;
    uint32_t upcall_why;
    uint32_t revoke;
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
    uint32_t libos;         /* 0 from the kernel; a library OS's own word
                               when it starts a program itself */
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
    uint32_t slices_run;    /* slices it ran in (as owner or donee) */
    uint32_t overruns;      /* upcalls it ignored (abort protocol), total */
    uint32_t debt;          /* Count ticks to be taken off its next slices */
    uint32_t fpu_loads;     /* times the FPU was switched to it (SYS_FPU) */
    uint32_t nrepossessed;  /* pages taken by force, total */
    uint32_t repossessed[NREPO];    /* the last NREPO of them (ring, by PPN) */
    uint32_t exit_status;   /* SYS_ENV_DESTROY's status, once dead */
};

/*
 * One program built into the kernel image (every userland/ program), in
 * published pages: the ELF file starts at physical page ppn and fills
 * (size + 4095) / 4096 consecutive pages, which anyone may bind read-only
 * with the capability image_rcap.  A library OS loads programs from here.
 */
#define NIMAGES         128
#define IMAGE_NAME      24
#define IMAGE_DESC      72
struct image_info {
    char name[IMAGE_NAME];  /* NUL-terminated */
    uint32_t ppn;
    uint32_t size;          /* bytes */
    char desc[IMAGE_DESC];  /* what it is, one line */
};

/*
 * The TLB tracer.  While tracing is on (SYS_TRACE), the kernel runs traced
 * copies of its exception vectors (a second EBase), which record every TLB
 * event in this ring, exposed read-only; while it is off, the plain vectors
 * run and tracing costs them nothing.  head counts events ever written: the
 * event n is at ev[n % TRACE_NEVENTS] until overwritten.  counts[env][kind]
 * counts every event, so a summary is exact even when the ring wraps.
 */
struct trace_event {
    uint8_t kind;           /* TEV_xxx */
    uint8_t env;            /* the environment it happened to */
    uint16_t slot;          /* hardware TLB slot (TEV_REFILL, TEV_TLB_EVICT) */
    uint32_t va;
    uint32_t a, b;
};
struct trace_ring {
    uint32_t on;
    uint32_t head;
    uint32_t counts[NENV + 1][16];
    struct trace_event ev[TRACE_NEVENTS];
};

/* One hardware TLB entry, as SYS_TLB_SNAPSHOT copies it. */
struct tlb_snapshot {
    uint32_t hi, lo0, lo1, mask;
};

/* Kernel-wide counters. */
struct kstats {
    uint32_t ticks;
    uint32_t asid_flushes;  /* ASID generations: TLB and STLB flushed */
    uint32_t envs_created;
    uint32_t envs_destroyed;
    uint32_t fpu_switches;  /* FPU register sets saved and restored */
};

/* The tables, as they appear at EXPOSED_VA. */
struct aegis_exposed {
    struct phys_page pages[MAX_PAGES];          /* 256 KiB: the first page */
    struct stlb_entry stlb[STLB_ENTRIES];       /* 64 KiB, at offset 0x40000 */
    uint32_t current;                           /* envid running now (offset 0x50000) */
    uint32_t current_xframe;                    /* its frame, in KSEG0 (kernel's use) */
    uint32_t nslices;                           /* length of the slice vector */
    uint32_t slice_pos;                         /* the slice now running */
    uint16_t slices[MAX_SLICES];                /* owner of each slice; 0 = free */
    struct env_info envs[NENV + 1];             /* index = envid */
    struct kstats stats;
    uint32_t npages;                            /* pages of RAM */
    uint32_t image_rcap;                        /* binds any image page read-only */
    uint32_t nimages;
    struct image_info images[NIMAGES];
    uint32_t tlb_wired;                         /* wired entries (SYS_TLB_SNAPSHOT) */
    struct tlb_snapshot tlb[16];                /* the hardware TLB, at the last snapshot */
    struct trace_ring trace                     /* at EXPOSED_TRACE (vectors_traced.S) */
        __attribute__((aligned(0x8000)));
};

/* How an environment reaches them. */
#define AEGIS_EXPOSED ((const volatile struct aegis_exposed *)EXPOSED_VA)
#endif /* __ASSEMBLER__ */
#endif /* AEGIS_ABI_H */
