/*
 * fork.c - fork with copy-on-write, in the library.
 *
 * The parent builds the child's start record from its own page table and
 * the capabilities it holds:
 *  - ExOS's own data (exception stack, page-table bookkeeping) is copied at
 *    once: the exception path must never take a copy-on-write fault;
 *  - every other writable page is shared copy-on-write: both sides map it
 *    read-only with PTE_COW, and the first write on either side copies it
 *    (vm.c, cow_copy);
 *  - read-only pages are shared as they are, with the read capability;
 *  - clean demand-zero pages are left out: the child makes its own.
 * The child's ExOS builds its page table from the record (start.c) and then
 * jumps back into exos_fork(), on the parent's stack as it was, returning 0.
 * The kernel sees only capability-checked bindings: it knows nothing of
 * fork.
 */
#include <string.h>

#include "exos.h"
#include "fd.h"
#include "handoff.h"
#include "proc.h"
#include "sys.h"
#include "vm.h"

extern char __exos_text_start[], __exos_text_end[];
extern char __exos_data_start[], __exos_data_end[];
void _start(void);

volatile struct proc_stats proc_stats EXOS_XDATA;

/* Pages we copied away from but a descendant may share (exos_fork_retire). */
#define NRETIRED 1024
static uint32_t retired[NRETIRED] EXOS_XDATA;
static uint32_t nretired EXOS_XDATA;

EXOS_XTEXT void exos_fork_retire(uint32_t ppn)
{
    if (nretired < NRETIRED)
        retired[nretired++] = ppn;      /* (past that, kept until we exit) */
}

/* Is any environment alive below us in the family tree? */
static int has_descendants(void)
{
    uint32_t me = exos_envid();

    for (uint32_t id = 1; id <= NENV; id++) {
        const volatile struct env_info *c = &AEGIS_EXPOSED->envs[id];
        for (int hops = 0; hops < NENV && (c->state == ENV_RUNNABLE || c->state == ENV_STOPPED);
             hops++) {
            if (c->parent == me)
                return 1;
            if (c->parent == 0)
                break;
            c = &AEGIS_EXPOSED->envs[c->parent];
        }
    }
    return 0;
}

void exos_fork_release(void)
{
    if (nretired == 0 || has_descendants())
        return;
    for (uint32_t i = 0; i < nretired; i++)
        sys_page_free(retired[i]);
    nretired = 0;
}

struct fork_walk {
    struct handoff *h;
    int err;
};

/* A capability that only reads e's page: ours to ask for if we own it; an
 * inherited one already is one. */
static uint32_t read_cap(const struct pte *e)
{
    uint32_t rcap;

    return sys_page_rcap(e->ppn, e->cap, &rcap) == 0 ? rcap : e->cap;
}

static int in(uint32_t va, const char *start, const char *end)
{
    return va >= (uint32_t)start && va < (uint32_t)end;
}

/* Copies page va into a new page of the child, pinned (ExOS's own). */
static int copy_page(struct handoff *h, uint32_t va, const struct pte *e)
{
    void *k = handoff_new_page(h, va, e->flags & ~PTE_COW, PIN_LOW);

    if (k == NULL)
        return -E_NOMEM;
    memcpy(k, (const void *)va, PAGE_SIZE);
    proc_stats.fork_copied++;
    return handoff_page_done(h);
}

/* pt_foreach: one page of ours for the child. */
static void share(uint32_t va, struct pte *e, void *arg)
{
    struct fork_walk *w = arg;

    if (w->err < 0 || exos_private_va(va) || in(va, __exos_text_start, __exos_text_end) ||
        in(va, __exos_data_start, __exos_data_end))
        return;
    if (((e->flags & PTE_ZERO) && !(e->flags & PTE_DIRTY)) || (e->flags & PTE_LOST))
        return;                             /* zeros: the child makes its own */
    if (e->flags & PTE_SHARED) {            /* shared memory (shm.h): the same */
        proc_stats.fork_shared++;           /* page, as it is, for both */
        w->err = handoff_page(w->h, va, e->ppn, e->cap, e->flags, PIN_NONE);
        return;
    }
    uint32_t flags = e->flags;
    if (flags & PTE_W) {                    /* both sides copy on write */
        flags |= PTE_COW;
        if (!(e->flags & PTE_COW)) {
            e->flags |= PTE_COW;
            sys_tlb_write(0, va, e->ppn, e->cap, 0);    /* ours: read-only now */
        }
    }
    proc_stats.fork_shared++;
    w->err = handoff_page(w->h, va, e->ppn, read_cap(e), flags, PIN_NONE);
}

/* ExOS's pinned segments first, in order (start.c pins them again so). */
static int own_segments(struct handoff *h)
{
    for (uint32_t va = (uint32_t)__exos_text_start; va < (uint32_t)__exos_text_end; va += PAGE_SIZE) {
        struct pte *e = vm_lookup(va);
        if (e == NULL || handoff_page(h, va, e->ppn, read_cap(e), e->flags, PIN_LOW) < 0)
            return -E_NOMEM;
    }
    for (uint32_t va = (uint32_t)__exos_data_start; va < (uint32_t)__exos_data_end; va += PAGE_SIZE) {
        struct pte *e = vm_lookup(va);
        if (e == NULL || copy_page(h, va, e) < 0)
            return -E_NOMEM;
    }
    return 0;
}

int exos_fork(void)
{
    static void *ctx[5];
    struct handoff h;

    /* The child comes back here (exos_fork_resume), returning 0. */
    if (__builtin_setjmp(ctx))
        return 0;
    int r = handoff_begin(&h, "");
    if (r < 0)
        return r;
    /* The context goes in the record's command-line field: a forked child
     * has no command line of its own to parse. */
    memcpy(h.rec->cmdline, ctx, sizeof ctx);
    vm_busy++;                          /* (the walk changes our entries) */
    struct fork_walk w = { &h, own_segments(&h) };
    if (w.err == 0)
        pt_foreach(share, &w);
    vm_busy--;
    if (w.err < 0) {
        handoff_abort(&h);
        return w.err;
    }
    int child = handoff_start(&h, (uint32_t)_start, 0, 1,
                              EXOS_REC_VA + offsetof(struct bootrec, cmdline));
    if (child > 0)
        fd_fork(child);                     /* it holds our pipe ends too */
    return child;
}

EXOS_XTEXT void exos_fork_resume(void **ctx)
{
    static void *saved[5] EXOS_XDATA;

    /* Off the record page, which is ours to reuse from now on. */
    for (int i = 0; i < 5; i++)
        saved[i] = ctx[i];
    __builtin_longjmp(saved, 1);
}
