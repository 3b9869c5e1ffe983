/*
 * env.h - environments: Aegis's unit of protection and accounting.
 *
 * An environment is what a process is to Unix, without the policy: an
 * address space (an ASID and the secure bindings made in it), the physical
 * pages it owns, and its contexts:
 *  - the exception context: an exception frame (a page of its own, see
 *    struct xframe in abi.h) and the handler address the frame holds;
 *  - the addressing context: its ASID and up to NGUARANTEED guaranteed
 *    mappings, which the kernel installs itself when they miss, so that the
 *    code and data handling a TLB miss can never miss;
 *  - its saved registers, while another environment runs.
 * The public part of each (struct env_info) is in the exposed tables.
 */
#ifndef AEGIS_ENV_H
#define AEGIS_ENV_H

#include "abi.h"
#include "mips.h"
#include "trap.h"

/*
 * pct_table: per envid, what vectors.S needs to switch to an environment
 * without calling C (a protected control transfer) and to find its saved
 * registers.  32-byte entries, so an envid becomes an offset with one shift.
 */
#define PT_SHIFT    5
#define PT_ENTRYP   0       /* &xframe.pct_entry, or &a zero word: cannot enter */
#define PT_ENTRYHI  4       /* its EntryHi: its ASID */
#define PT_XF       8       /* its exception frame, KSEG0 */
#define PT_ID       12      /* its envid */
#define PT_TF       16      /* its struct trapframe */
#define PT_ENV      20      /* its struct env (the lean system-call path) */
#define PT_INFO     24      /* its struct env_info */

/* Offsets in struct env_info (abi.h) the lean system-call path uses. */
#define EI_SYSCALLS 28

/*
 * The table has 1 << PT_BITS slots, more than NENV + 1, so that the PCT fast
 * path can index it with the target's envid masked to PT_BITS bits (one
 * `ins`) and then check the slot's PT_ID against the unmasked envid instead
 * of range-checking first.  Slots past NENV are never enterable.
 */
#define PT_BITS     7
#define PT_SLOTS    (1 << PT_BITS)

/*
 * Status for running in user mode: interrupts on (the timer), EXL set until
 * the eret that enters the environment.  No CU1: the FPU is lent on demand
 * (fpu.c), and only its owner's saved Status has CU1.  The PCT fast path
 * writes this very value (it fits an `ori`), so a callee never inherits its
 * caller's CU1.
 */
#define ENV_USER_STATUS (ST_UM | ST_EXL | ST_IE | ST_IM(7))

#ifndef __ASSEMBLER__
#include <stdint.h>

#include "fpu.h"

struct pct_slot {
    const uint32_t *entryp;
    uint32_t entryhi;
    struct xframe *xf;
    uint32_t id;
    struct trapframe *tf;
    struct env *env;
    struct env_info *info;
    uint32_t pad;
};
_Static_assert(sizeof(struct pct_slot) == 1u << PT_SHIFT, "pct_slot size");
_Static_assert(__builtin_offsetof(struct pct_slot, env) == PT_ENV, "PT_ENV");
_Static_assert(__builtin_offsetof(struct pct_slot, info) == PT_INFO, "PT_INFO");
_Static_assert(__builtin_offsetof(struct env_info, syscalls) == EI_SYSCALLS, "EI_SYSCALLS");
_Static_assert(PT_SLOTS > NENV, "pct_table must cover every envid");
_Static_assert(ENV_USER_STATUS <= 0xffff, "vectors.S loads ENV_USER_STATUS with ori");

extern struct pct_slot pct_table[PT_SLOTS];

/* A guaranteed mapping: one page, tag = its VA's EntryHi bits without ASID. */
struct guaranteed {
    uint32_t va;            /* page-aligned; 0 = slot unused */
    uint32_t lo;            /* its EntryLo */
};

struct env {
    struct env_info *info;          /* the exposed part */
    struct trapframe tf;            /* its registers while it does not run */
    struct xframe *xf;              /* KSEG0 address of its exception frame */
    uint32_t xf_ppn;                /* the page that holds it (or 0) */
    uint32_t asid_gen;              /* ASID generation its ASID belongs to */
    struct guaranteed gm[NGUARANTEED];
    uint32_t in_upcall;             /* UPCALL_xxx it has not yet answered */
    struct trapframe resume_tf;     /* where the upcall found it */
    struct fpu_state fpu;           /* its FPU registers, when not loaded */
    uint32_t overruns_in_row;       /* aborts since it last yielded in time */
    uint32_t revoke_to;             /* pages its subtree must be down to (revocation) */
    uint32_t revoke_asked;          /* pages asked, bounded by what its subtree owned */
    uint32_t grace_start;           /* Count when its pending upcall began */
};

extern struct env envs[NENV + 1];   /* index = envid; 0 unused */

/* The running environment (kexposed.current, which PCTs change without
 * the C code knowing): NULL when none runs. */
struct env *env_current(void);

void env_init(void);

/* A new, stopped environment with the given parent (0: the kernel), or NULL. */
struct env *env_alloc(uint16_t parent);

/* Stopped or runnable: not being destroyed, not a zombie, not free.
 * (Inline: every system call asks it.) */
static inline int env_alive(const struct env *e)
{
    return e->info->state == ENV_STOPPED || e->info->state == ENV_RUNNABLE;
}

/* The environment envid names for caller: itself (envid 0 or its own), or a
 * live (stopped or runnable) child of caller.  NULL if neither. */
struct env *env_lookup(struct env *caller, uint32_t envid);

/* Makes e runnable, starting at pc with sp and a0 = arg, in user mode. */
void env_start(struct env *e, uint32_t pc, uint32_t sp, uint32_t arg);

/* Destroys e and, first, every descendant of e (DEATH_ANCESTOR): frees
 * their pages, flushes their bindings; says why on the console unless it
 * exited or was killed.  death (DEATH_xxx) and status
 * stay readable in its env_info: while its parent lives the slot is kept
 * (ENV_ZOMBIE) until the parent reaps it, else it is freed at once. */
void env_destroy(struct env *e, int death, uint32_t status);

/* Frees the slot of parent's dead child envid: 0, -E_NOENV (not a child),
 * -E_BUSY (still alive). */
int env_reap(struct env *parent, uint32_t envid);

/* The ASID of e, allocating one (perhaps starting a new generation, which
 * flushes every TLB and STLB entry) if its own is stale. */
uint32_t env_asid(struct env *e);

/* The live environment holding asid in the current generation, or NULL. */
struct env *env_by_asid(uint32_t asid);

/* Switches the CPU to e (NULL: nobody): ASID, current frame pointers.  The
 * switch happens when the kernel next returns to user mode. */
void env_switch(struct env *e);

/* Brings e's pct_table entry up to date (after any change to its state,
 * ASID or frame). */
void env_pct_update(struct env *e);

/* Has e registered an exception frame?  (Without one, the words a frame
 * holds - donate, upcall, pct_entry - are the kernel's shared dummy's.) */
int env_has_frame(const struct env *e);

/* Is c root itself or one of root's descendants?  (The subtree that dies
 * with root, and that revocation counts.) */
int env_in_tree(const struct env *c, const struct env *root);

/* Pages owned by root and all its live descendants. */
uint32_t env_tree_pages(const struct env *root);

/* The guaranteed mapping of e covering va, or NULL. */
struct guaranteed *env_guaranteed(struct env *e, uint32_t va);

/* Forgets e's exception frame if it lives in page ppn (the page is leaving e). */
void env_drop_xframe(uint32_t ppn);

/* Returns to user mode in the current environment (vectors.S). */
void env_return(void) __attribute__((noreturn));

#endif /* __ASSEMBLER__ */
#endif /* AEGIS_ENV_H */
