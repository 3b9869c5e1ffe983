/*
 * handoff.h - how a parent's ExOS sets up a new environment for a process
 * (spawn.c, fork.c): its start record, its pinned pages, and its start.
 *
 * The record (struct bootrec, abi.h) lists every page the child starts
 * with; start.c in the child builds its page table from it.  The parent
 * writes it in its own window (EXOS_BUILD_VA) and hands the pages over at
 * EXOS_REC_VA.  Until the child's page table exists, the pages its ExOS
 * touches must be pinned: its PF_PIN segments, the record and the stack it
 * starts on.  The parent pins them with SYS_GUARANTEE on the child, ExOS's
 * segments from slot 0 up (the order the child's start.c uses again), the
 * record and stack from the last slot down.
 */
#ifndef EXOS_HANDOFF_H
#define EXOS_HANDOFF_H

#include <stdint.h>

#include "exos.h"

struct handoff {
    int32_t child;                  /* its envid */
    struct bootrec *rec;            /* the record, at EXOS_BUILD_VA here */
    uint32_t nrec;                  /* record pages so far */
    uint32_t rec_ppn[EXOS_REC_PAGES_MAX];
    uint32_t rec_cap[EXOS_REC_PAGES_MAX];
    int low_slot, high_slot;        /* next pin slots, from each end */
};

/* A new stopped child and an empty record with this command line. */
int handoff_begin(struct handoff *h, const char *cmdline);

/* pin arguments: not pinned; pinned in the next low slot (ExOS's own
 * segments, in the order start.c pins them again); in the next high slot. */
#define PIN_NONE    0
#define PIN_LOW     1
#define PIN_HIGH    2

/* Lists page ppn (capability cap, ExOS page-table flags) at va in the
 * child's record, and pins it there now as pin says. */
int handoff_page(struct handoff *h, uint32_t va, uint32_t ppn, uint32_t cap, uint32_t flags,
                 int pin);

/* Allocates a (zeroed) page for the child's va (flags, pin as above) and
 * maps it here at EXOS_COPY_VA, writable, for the caller to fill; NULL if
 * out of memory.  handoff_page_done() unmaps it, gives it to the child and
 * lists it. */
void *handoff_new_page(struct handoff *h, uint32_t va, uint32_t flags, int pin);
int handoff_page_done(struct handoff *h);

/* Hands the record over (plus a startup stack page when stack_page) and
 * starts the child at pc with sp; libos goes into the record's libos word.
 * Returns the child's envid.  On error the child is destroyed. */
int handoff_start(struct handoff *h, uint32_t pc, uint32_t sp, int stack_page, uint32_t libos);

/* Gives up: destroys the child and unmaps the record here. */
void handoff_abort(struct handoff *h);

#endif /* EXOS_HANDOFF_H */
