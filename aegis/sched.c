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

/* The first slot owned by id (0: the first free one), or n if none. */
static uint32_t first_slot(uint16_t id)
{
    uint32_t pos;

    for (pos = 0; pos < kexposed.nslices && kexposed.slices[pos] != id; pos++)
        ;
    return pos;
}

/*
 * Slices come down the tree of environments the way the kernel started
 * them: only an environment the kernel itself started (parent 0) takes free
 * slots, for itself or for a child; below it, an environment can only pass
 * one of its own slots to a child.  So nothing a descendant does can take
 * from its ancestors a slice they did not give it.
 */
int sched_slice_alloc(struct env *caller, struct env *e, uint32_t pos)
{
    uint32_t n = kexposed.nslices;
    uint16_t me = caller->info->id;
    int top = caller->info->parent == 0;

    if (!top && e == caller)
        return -E_PERM;             /* a slice can only come from above */
    if (pos == 0xffffffffu) {
        /* Any: a free one if the caller may take free ones, else (for a
         * child) one of the caller's own. */
        pos = first_slot(top ? 0 : me);
        if (pos == n && e != caller)
            pos = first_slot(me);
        if (pos == n)
            return -E_NOMEM;
    }
    if (pos >= n)
        return -E_INVAL;
    uint16_t holder = kexposed.slices[pos];
    if (holder == 0 && !top)
        return -E_PERM;             /* free, but not the caller's to take */
    if (holder != 0 && (holder != me || e == caller))
        return -E_BUSY;             /* someone's (or already the caller's) */
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
    /* Giving pages back costs kernel time (SYS_PAGE_FREE sweeps the STLB),
     * so the window grows with the pages asked - as the kernel counted
     * them (never xframe.revoke, which the environment can rewrite), and
     * at most UPCALL_REVOKE_MAX_PAGES of them.  The window is not free:
     * what the environment uses of it is charged (charge_grace). */
    uint32_t extra = 0;
    if (why == UPCALL_REVOKE) {
        uint32_t pages = e->revoke_asked < UPCALL_REVOKE_MAX_PAGES ? e->revoke_asked
                                                                   : UPCALL_REVOKE_MAX_PAGES;
        extra = pages * (UPCALL_REVOKE_PER_PAGE / COUNT_NS);
    }
    e->grace_start = mfc0(C0_COUNT, 0);
    timer_arm(grace_count + extra);
    return 1;
}

/* The Count ticks e used of its grace window go on its debt: an upcall
 * lends time against e's next slices, it never gives any. */
static void charge_grace(struct env *e)
{
    e->info->debt += mfc0(C0_COUNT, 0) - e->grace_start;
}

/* Pages repossess() takes, and pages it must leave, one bit each. */
static uint32_t doomed[MAX_PAGES / 32], keep[MAX_PAGES / 32];

#define BIT_SET(map, n)     ((map)[(n) / 32] |= 1u << ((n) % 32))
#define BIT_CLEAR(map, n)   ((map)[(n) / 32] &= ~(1u << ((n) % 32)))
#define BIT_TEST(map, n)    (((map)[(n) / 32] >> ((n) % 32)) & 1)

/* Marks (set != 0) or unmarks in keep[] the pages o keeps whatever
 * happens: its exception frame and its guaranteed mappings. */
static void mark_pinned(const struct env *o, int set)
{
    uint32_t ppn[NGUARANTEED + 1];
    int n = 0;

    if (env_has_frame(o))
        ppn[n++] = o->xf_ppn;
    for (int g = 0; g < NGUARANTEED; g++)
        if (o->gm[g].lo & ENTRYLO_V)
            ppn[n++] = entrylo_ppn(o->gm[g].lo);
    for (int i = 0; i < n; i++)
        if (ppn[i] < phys.npages) {
            if (set)
                BIT_SET(keep, ppn[i]);
            else
                BIT_CLEAR(keep, ppn[i]);
        }
}

/*
 * Takes the pages e's subtree still owes (down to e->revoke_to, counted
 * over e and its descendants, so giving pages to a child dodges nothing)
 * by force: the highest numbered first, never a frame or a guaranteed
 * mapping.  Each goes into its owner's repossession record.  All of them
 * are freed with one sweep of the STLB, so the cost is one pass over the
 * STLB and two over physical memory, however many pages go.
 */
static void repossess(struct env *e)
{
    uint8_t tree[NENV + 1];
    uint32_t have = 0, take = 0;

    for (int i = 1; i <= NENV; i++) {
        tree[i] = env_alive(&envs[i]) && env_in_tree(&envs[i], e);
        if (tree[i]) {
            have += envs[i].info->pages;
            mark_pinned(&envs[i], 1);
        }
    }
    for (uint32_t ppn = phys.npages; ppn-- > 0 && have - take > e->revoke_to;) {
        uint16_t o = phys.pages[ppn].owner;
        if (o < 1 || o > NENV || !tree[o] || BIT_TEST(keep, ppn))
            continue;
        struct env_info *oi = envs[o].info;
        oi->repossessed[oi->nrepossessed++ % NREPO] = ppn;
        BIT_SET(doomed, ppn);
        take++;
    }
    for (int i = 1; i <= NENV; i++)
        if (tree[i])
            mark_pinned(&envs[i], 0);
    if (take > 0)
        bind_free_marked(doomed);
    e->revoke_to = e->revoke_asked = 0;
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
    if (e->revoke_asked != 0 && !upcall(e, UPCALL_REVOKE))
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
    charge_grace(e);                /* the window it used, off its next slices */
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
        if (e->in_upcall == UPCALL_REVOKE) {
            charge_grace(e);
            if (env_tree_pages(e) > e->revoke_to)
                repossess(e);       /* it (and its subtree) gave back too few */
        }
        e->revoke_to = e->revoke_asked = 0;
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
    uint32_t owned = env_tree_pages(e);

    if (n == 0)
        return;
    e->revoke_asked = n < owned ? n : owned;
    e->revoke_to = owned - e->revoke_asked;
    e->xf->revoke = n;              /* (what it was asked; the kernel keeps its own count) */
    if (e->revoke_asked == 0)
        return;                     /* it owns nothing: nothing to ask */
    if (e->xf->upcall == 0)
        repossess(e);               /* nobody to ask: take them now */
    else if (e == env_current())
        upcall(e, UPCALL_REVOKE);
    /* Otherwise it is asked when it next runs (enter). */
}
