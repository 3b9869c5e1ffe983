/*
 * fuzz.h - what t_fuzz shares with the two raw children it runs: the fuzz
 * child (fuzzgen.h), which makes random system calls until it dies and is
 * made again, and the canary (canary.h), which only watches its own pages
 * and registers.  Each talks to the parent through one page of the
 * parent's, bound into it read-write:
 *
 *   FUZZ_VA    struct fuzz_state: the generator's state and its records.
 *              It lives in the parent's page, not the child's, so that
 *              neither the child's death nor anything it does to itself
 *              loses it: the next child goes on where the last one stopped.
 *              The canary binds it read-only, to say at which call it saw
 *              damage and to take over pages the fuzz child let go.
 *   CANARY_VA  struct canary_state: the canary's heartbeat and reports.
 *
 * The children may use no .rodata (it is not bound in them): every table
 * they need - the interesting values, the argument kinds of each call -
 * is written into struct fuzz_state by the parent.
 */
#ifndef USERLAND_FUZZ_H
#define USERLAND_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "abi.h"
#include "child.h"

/*
 * The children's code: in child_text (child.h), and kept from reaching
 * anything else - no jump tables (they would be in .rodata), no loops
 * turned into calls of memcpy or memset (in the parent's .text).
 */
#define FUZZ_CHILD  CHILD __attribute__((optimize("no-jump-tables", \
                                                     "no-tree-loop-distribute-patterns")))

/* (No u suffix: the children's assembly uses these too.) */
#define FUZZ_VA         0x10000000
#define CANARY_VA       0x10002000
#define CANARY_PAT_VA   0x20000000      /* the canary's pattern pages */
#define CANARY_NPAT     3

/* Call numbers the generator draws from: every call and three beyond. */
#define FUZZ_NNUMS      (NSYSCALLS + 3)
#define FUZZ_OTHER      FUZZ_NNUMS      /* record slot for wilder numbers */

/* A fault or PCT entry that finds the child restarting this many times
 * without a call completing ends it: it has lost something it needs. */
#define FUZZ_MAX_STREAK 4

/*
 * Kinds of argument, each drawn from its own interesting values (struct
 * fuzz_state.values) and from what the child learnt at run time.
 */
#define K_ANY       0   /* any of the kinds below, or 32 random bits */
#define K_SMALL     1   /* 0, 1, -1, small counts */
#define K_ENV       2   /* envids: 0, self, parent, canary, children, 64, 65 */
#define K_VA        3   /* addresses: page, USER_TOP, exposed and KSEG0 edges */
#define K_PPN       4   /* pages: its own, others', stale, npages - 1, npages */
#define K_CAP       5   /* capabilities: of the page chosen just before, stale */
#define K_FLAGS     6   /* TLBF_xxx */
#define K_SLOT      7   /* guaranteed-mapping slot */
#define K_SLICE     8   /* slice position */
#define K_ALLOC     9   /* -1 (any page) mostly, else K_PPN */
#define K_KILL      10  /* K_ENV, but itself less often: SYS_ENV_DESTROY's victim */
#define K_NKINDS    11
#define FUZZ_NVALUES 28
#define FUZZ_NERR   13      /* error codes E_xxx are 1..12; 0 stands for any other */

/* Pools of what the child obtained: kept across its deaths, so later
 * children present stale pages, capabilities and envids.  After the ring
 * of pages it allocated, fuzz_state.pages holds the two its parent gave
 * it (written by the parent), whose capabilities it may use as well. */
#define FUZZ_POOL   8
#define FUZZ_STACK_PAGE (FUZZ_POOL)     /* the current child's stack page */
#define FUZZ_FRAME_PAGE (FUZZ_POOL + 1) /* and its frame page */
#define FUZZ_NOPICK (FUZZ_POOL + 2)

struct fuzz_page {
    uint32_t ppn, wcap, rcap;
};

/*
 * The first words are reached from assembly (the restart stubs in
 * fuzzgen.h, the canary in canary.h): FS_xxx are their offsets.
 */
#define FS_STREAK   0
#define FS_FAULTS   4
#define FS_PCTS     8
#define FS_CAUSE    12
#define FS_EPC      16
#define FS_CALLS    20
#define FS_UPCALLS  24

struct fuzz_state {
    uint32_t streak;            /* restarts since a call last returned */
    uint32_t faults;            /* exceptions taken (then restarted) */
    uint32_t pcts;              /* PCTs that entered the child */
    uint32_t last_cause, last_epc;  /* of the last exception */
    uint32_t calls;             /* calls issued, all children together */
    uint32_t upcalls;           /* upcalls taken (fuzz_upcall) */
    uint32_t unrecorded;        /* results not recorded: the child's own stack
                                   changed under the call (fuzz_main) */
    uint64_t rng;               /* xorshift64* state */

    /* Set by the parent. */
    uint32_t limit;             /* calls to issue in all */
    uint32_t trace_from;        /* print every call from this index on */
    uint32_t parent, canary;    /* envids */
    uint32_t npages;
    uint32_t used_top;          /* pages above this were free at the start */
    uint8_t kinds[FUZZ_NNUMS][8];   /* v1, a0-a3, t0, t1 kinds of each call */
    uint32_t nvalues[K_NKINDS];
    uint32_t values[K_NKINDS][FUZZ_NVALUES];
    char text[64];              /* printable, no newline: what SYS_CPUTS prints */

    /* Written by the child. */
    uint32_t self;
    uint32_t last[8];           /* the call in progress: v0 (number), v1, a0-a3, t0, t1 */
    uint32_t pick;              /* pages[] entry the last K_PPN took, or FUZZ_NOPICK */
    struct fuzz_page pages[FUZZ_NOPICK];    /* (the last two written by the parent) */
    uint32_t envs[FUZZ_POOL];
    uint32_t npool, nenv;       /* entries ever added (rings) */
    uint32_t ok[FUZZ_NNUMS + 1];    /* results >= 0, per call number */
    uint32_t okfirst[FUZZ_NNUMS + 1];   /* 1 + call index of the first one */
    uint32_t err[FUZZ_NNUMS + 1];   /* errors */
    uint32_t errmask[FUZZ_NNUMS + 1];   /* bit n: -n was returned (bit 0: not an E_xxx) */
    uint32_t first[FUZZ_NNUMS + 1][FUZZ_NERR];  /* 1 + call index of that error's first time */
};

_Static_assert(offsetof(struct fuzz_state, streak) == FS_STREAK, "FS_STREAK");
_Static_assert(offsetof(struct fuzz_state, faults) == FS_FAULTS, "FS_FAULTS");
_Static_assert(offsetof(struct fuzz_state, pcts) == FS_PCTS, "FS_PCTS");
_Static_assert(offsetof(struct fuzz_state, last_cause) == FS_CAUSE, "FS_CAUSE");
_Static_assert(offsetof(struct fuzz_state, last_epc) == FS_EPC, "FS_EPC");
_Static_assert(offsetof(struct fuzz_state, calls) == FS_CALLS, "FS_CALLS");
_Static_assert(offsetof(struct fuzz_state, upcalls) == FS_UPCALLS, "FS_UPCALLS");
_Static_assert(sizeof(struct fuzz_state) <= PAGE_SIZE, "fuzz_state fits its page");

/* The canary's page.  CS_xxx: offsets its assembly uses. */
#define CS_HEARTBEAT    0
#define CS_DAMAGED      4
#define CS_FPU_FAULTS   8
#define CS_EXC_CAUSE    12
#define CS_EXC_EPC      16
#define CS_EXC_BADVA    20

struct canary_state {
    uint32_t heartbeat;         /* passes completed */
    uint32_t damaged;           /* set on damage: the loop reloads its registers */
    uint32_t fpu_faults;        /* coprocessor-unusable exceptions (another took the FPU) */
    uint32_t exc_cause, exc_epc, exc_badva; /* an exception it did not expect */
    uint32_t reg_bad;           /* registers found changed, in all */
    uint32_t reg_which, reg_value;  /* the first one: its number (32 + n: $fn, 64: FCSR) */
    uint32_t mem_bad;           /* pattern words found changed */
    uint32_t mem_va, mem_value; /* the first one */
    uint32_t at_call;           /* the fuzz call count when damage was first seen */
    uint32_t ready;             /* 1 once set up; 2 and up: a setup step failed */
    uint32_t slot0;             /* its first free guaranteed slot (from the parent) */
    uint32_t pat_ppn[CANARY_NPAT];
    uint32_t rotations, reused; /* pattern pages replaced; of them, pages the fuzz child had */
    uint32_t preempted;         /* passes the timer interrupted */
};

_Static_assert(offsetof(struct canary_state, heartbeat) == CS_HEARTBEAT, "CS_HEARTBEAT");
_Static_assert(offsetof(struct canary_state, damaged) == CS_DAMAGED, "CS_DAMAGED");
_Static_assert(offsetof(struct canary_state, fpu_faults) == CS_FPU_FAULTS, "CS_FPU_FAULTS");
_Static_assert(offsetof(struct canary_state, exc_cause) == CS_EXC_CAUSE, "CS_EXC_CAUSE");
_Static_assert(offsetof(struct canary_state, exc_epc) == CS_EXC_EPC, "CS_EXC_EPC");
_Static_assert(offsetof(struct canary_state, exc_badva) == CS_EXC_BADVA, "CS_EXC_BADVA");

#endif /* USERLAND_FUZZ_H */
