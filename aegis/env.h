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

#include <stdint.h>

#include "abi.h"
#include "trap.h"

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
};

extern struct env envs[NENV + 1];   /* index = envid; 0 unused */
extern struct env *curenv;          /* running now, or NULL */

/* Used by vectors.S: the running environment's frame and registers. */
extern struct xframe *cur_xframe;
extern struct trapframe *cur_tf;

void env_init(void);

/* A new, stopped environment with the given parent (0: the kernel), or NULL. */
struct env *env_alloc(uint16_t parent);

/* The environment envid names for caller: itself (envid 0 or its own), or a
 * child of caller.  NULL if neither. */
struct env *env_lookup(struct env *caller, uint32_t envid);

/* Makes e runnable, starting at pc with sp and a0 = arg, in user mode. */
void env_start(struct env *e, uint32_t pc, uint32_t sp, uint32_t arg);

/* Destroys e: frees its pages, flushes its bindings; says why on the
 * console when it is a fault. */
void env_destroy(struct env *e, int death);

/* The ASID of e, allocating one (perhaps starting a new generation, which
 * flushes every TLB and STLB entry) if its own is stale. */
uint32_t env_asid(struct env *e);

/* Switches the CPU to e: ASID, current frame pointers.  The switch happens
 * when the kernel next returns to user mode. */
void env_switch(struct env *e);

/* Picks the next runnable environment after curenv (round robin) and
 * switches to it; shuts the machine down when none is left. */
void env_schedule(void);

/* The guaranteed mapping of e covering va, or NULL. */
struct guaranteed *env_guaranteed(struct env *e, uint32_t va);

/* Forgets e's exception frame if it lives in page ppn (the page is leaving e). */
void env_drop_xframe(uint32_t ppn);

/* Returns to user mode in curenv (vectors.S). */
void env_return(void) __attribute__((noreturn));

#endif /* AEGIS_ENV_H */
