/*
 * sched.c - the time-slice vector, upcalls, and the abort protocol (see
 * sched.h).  Everything here runs in C, on the timer interrupt or a system
 * call, with the interrupted environment's registers already saved.
 */
#include "sched.h"

#include <stddef.h>

#include "bind.h"
#include "exposed.h"
#include "kernel.h"
#include "mips.h"
#include "stlb.h"
#include "timer.h"

static uint32_t slice_count;        /* Count ticks in a slice */
static uint32_t grace_count;        /* Count ticks of grace after an upcall */
static struct env *grace_env;       /* who owes us an answer, or NULL */

void sched_init(uint32_t nslices, uint32_t slice_ticks, uint32_t bound_insns)
{
    if (nslices == 0 || nslices > MAX_SLICES)
        nslices = 8;
    kexposed.nslices = nslices;
    kexposed.slice_pos = nslices - 1;       /* the first slice is slot 0 */
    slice_count = slice_ticks;
    /* Instructions to Count ticks at -icount shift=0 (COUNT_NS per tick). */
    grace_count = bound_insns / COUNT_NS + 1;
}

int sched_slice_alloc(struct env *e, uint32_t pos)
{
    uint32_t n = kexposed.nslices;

    if (pos == 0xffffffffu) {
        for (pos = 0; pos < n && kexposed.slices[pos] != 0; pos++)
            ;
        if (pos == n)
            return -E_NOMEM;
    }
    if (pos >= n)
        return -E_INVAL;
    if (kexposed.slices[pos] != 0)
        return -E_BUSY;
    kexposed.slices[pos] = e->info->id;
    return (int)pos;
}

int sched_slice_free(struct env *e, uint32_t pos)
{
    if (pos >= kexposed.nslices)
        return -E_INVAL;
    if (kexposed.slices[pos] != e->info->id)
        return -E_PERM;
    kexposed.slices[pos] = 0;
    return 0;
}

void sched_forget(struct env *e)
{
    for (uint32_t i = 0; i < kexposed.nslices; i++)
        if (kexposed.slices[i] == e->info->id)
            kexposed.slices[i] = 0;
    if (grace_env == e)
        grace_env = NULL;
}

static int runnable(uint32_t id)
{
    return id >= 1 && id <= NENV && envs[id].info->state == ENV_RUNNABLE;
}

/* Who runs in a slice of e's: e, or the environment e gave its slices to
 * with a synchronous PCT (following the chain, which may not loop). */
static struct env *donee(struct env *e)
{
    for (int hops = 0; hops < NENV && env_has_frame(e); hops++) {
        uint32_t d = e->xf->donate;
        if (d == 0 || d == 0xffffffffu || !runnable(d) || d == e->info->id)
            break;
        e = &envs[d];
    }
    return e;
}

/* Asks e, through its upcall entry, for something back (UPCALL_xxx), and
 * starts the grace window.  Returns 0 if e has no upcall entry. */
static int upcall(struct env *e, uint32_t why)
{
    struct xframe *xf = e->xf;

    if (xf->upcall == 0 || e->in_upcall)
        return 0;
    e->resume_tf = e->tf;           /* where it resumes once it answers */
    xf->upcall_epc = e->tf.epc;
    xf->upcall_why = why;
    e->tf.epc = xf->upcall;
    e->in_upcall = why;
    grace_env = e;
    /* Giving pages back costs the kernel time the environment must not be
     * charged for: the window grows with the pages asked. */
    uint32_t extra = why == UPCALL_REVOKE ? xf->revoke * (UPCALL_REVOKE_PER_PAGE / COUNT_NS) : 0;
    timer_arm(grace_count + extra);
    return 1;
}

/*
 * Takes the pages e still owes (down to e->revoke_to) by force: the highest
 * numbered first, never one of its guaranteed mappings or its frame (a
 * library OS always keeps those).  Each goes into e's repossession record.
 */
static void repossess(struct env *e)
{
    struct env_info *info = e->info;

    for (uint32_t ppn = phys.npages; ppn-- > 0 && info->pages > e->revoke_to;) {
        if (phys.pages[ppn].owner != info->id || ppn == e->xf_ppn)
            continue;
        int pinned = 0;
        for (int g = 0; g < NGUARANTEED; g++)
            if ((e->gm[g].lo & ENTRYLO_V) && entrylo_ppn(e->gm[g].lo) == ppn)
                pinned = 1;
        if (pinned)
            continue;
        if (bind_free_page(ppn, info->id) == 0)
            info->repossessed[info->nrepossessed++ % NREPO] = ppn;
    }
    e->revoke_to = 0;
    e->xf->revoke = 0;
}

/*
 * Whether e can be resumed at all.  An environment that left by PCT (a
 * non-zero xframe.donate: docs/cpu.md) was not saved, so its registers in
 * struct env are stale; it can only be entered at its upcall entry.  With
 * none (a raw server that lives only to be called), it has nothing to run
 * in a slice of its own: only a PCT enters it.
 */
static int resumable(struct env *e)
{
    return !env_has_frame(e) || e->xf->donate == 0 || e->in_upcall || e->xf->upcall != 0;
}

/*
 * Resumes e (resumable) in the slice that starts now: at its upcall entry
 * if it left by PCT, else where the kernel saved it.  A pending revocation
 * is asked for first.
 */
static void enter(struct env *e)
{
    env_switch(e);
    if (env_has_frame(e) && e->xf->donate != 0 && !e->in_upcall) {
        e->xf->donate = 0;
        e->xf->upcall_why = UPCALL_SLICE_START;
        e->tf.epc = e->xf->upcall;
    }
    if (e->revoke_to != 0 && !upcall(e, UPCALL_REVOKE))
        repossess(e);               /* nobody to ask: take them now */
}

/* Starts slice pos for e, less what e owes.  0 if its debt ate it all. */
static int start_slice(uint32_t pos, struct env *e)
{
    uint32_t len = slice_count;

    kexposed.slice_pos = pos;
    if (e->info->debt >= len) {
        e->info->debt -= len;
        return 0;
    }
    len -= e->info->debt;
    e->info->debt = 0;
    e->info->slices_run++;
    enter(e);
    if (grace_env == NULL)
        timer_arm(len);
    return 1;
}

void sched_run(void)
{
    for (;;) {
        uint32_t n = kexposed.nslices;
        /* The next slice someone can run; debts may skip a few rounds. */
        for (uint32_t k = 1; k <= n * (MAX_OVERRUNS + 2); k++) {
            uint32_t pos = (kexposed.slice_pos + 1) % n;
            uint32_t owner = kexposed.slices[pos];
            if (runnable(owner) && resumable(donee(&envs[owner])) &&
                start_slice(pos, donee(&envs[owner])))
                return;
            kexposed.slice_pos = pos;
        }
        /* No slice owner can run: any runnable environment, in turn. */
        struct env *cur = env_current();
        uint32_t start = cur != NULL ? cur->info->id : 0;
        for (uint32_t k = 1; k <= NENV; k++) {
            uint32_t id = (start + k - 1) % NENV + 1;
            if (runnable(id) && resumable(donee(&envs[id]))) {
                enter(donee(&envs[id]));
                if (grace_env == NULL)
                    timer_arm(slice_count);
                return;
            }
        }
        env_switch(NULL);
        kernel_idle();              /* starts a program, or shuts down */
    }
}

/* The grace window ran out: the abort protocol. */
static void abort_protocol(struct env *e)
{
    grace_env = NULL;
    e->info->overruns++;
    e->overruns_in_row++;
    e->info->debt += grace_count;   /* the window it used, off its next slices */
    if (e->in_upcall == UPCALL_REVOKE)
        repossess(e);
    e->in_upcall = 0;
    if (e->overruns_in_row >= MAX_OVERRUNS)
        env_destroy(e, DEATH_OVERRUN, 0);
}

void sched_tick(void)
{
    struct env *cur = env_current();

    if (grace_env != NULL) {
        abort_protocol(grace_env);
    } else if (cur != NULL && upcall(cur, UPCALL_SLICE_END)) {
        return;                     /* it has grace_count ticks to yield */
    }
    sched_run();
}

void sched_yield(struct env *e, struct env *target)
{
    if (e == grace_env) {           /* it answered in time */
        grace_env = NULL;
        e->overruns_in_row = 0;
        e->tf = e->resume_tf;       /* it goes on where the upcall found it */
        if (e->tf.epc == e->xf->upcall)     /* (a REVOKE came first) */
            e->xf->upcall_why = UPCALL_SLICE_START;
        if (e->in_upcall == UPCALL_REVOKE && e->info->pages > e->revoke_to)
            repossess(e);           /* it gave back too few */
        e->revoke_to = 0;
        e->in_upcall = 0;
        sched_run();
        return;
    }
    e->in_upcall = 0;
    if (target != NULL && resumable(target)) {  /* the rest of the slice */
        enter(target);
        return;
    }
    sched_run();
}

void sched_revoke(struct env *e, uint32_t n)
{
    uint32_t owned = e->info->pages;

    e->revoke_to = owned > n ? owned - n : 0;
    e->xf->revoke = n;
    if (e->xf->upcall == 0)
        repossess(e);               /* nobody to ask: take them now */
    else if (e == env_current())
        upcall(e, UPCALL_REVOKE);
    /* Otherwise it is asked when it next runs (enter). */
}
