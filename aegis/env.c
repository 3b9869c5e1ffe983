/*
 * env.c - creating, running and destroying environments (see env.h).
 */
#include <stddef.h>

#include "env.h"

#include "bind.h"
#include "exposed.h"
#include "kernel.h"
#include "mips.h"
#include "printf.h"
#include "sched.h"
#include "stlb.h"
#include "tlb.h"

struct env envs[NENV + 1];
struct pct_slot pct_table[PT_SLOTS] __attribute__((aligned(4096)));

/* What an entry point reads as when an environment cannot be entered. */
static const uint32_t cannot_enter;

/*
 * Where the exception fast path writes for an environment that has no
 * exception frame: its handler word is always 0, so the fast path always
 * turns to the slow path, which destroys the environment.
 */
static struct xframe no_xframe;

/* ASIDs: handed out in order within a generation, never reused in it. */
static uint32_t asid_gen = 1;
static uint32_t asid_next = 1;      /* ASID 0 is never an environment's */

int env_has_frame(const struct env *e)
{
    return e->xf != &no_xframe;
}

struct env *env_current(void)
{
    uint32_t id = kexposed.current;

    return id != 0 ? &envs[id] : NULL;
}

/* Sets what the fast paths believe is running. */
static void set_current(struct env *e)
{
    kexposed.current = e != NULL ? e->info->id : 0;
    kexposed.current_xframe = (uint32_t)(e != NULL ? e->xf : &no_xframe);
}

void env_pct_update(struct env *e)
{
    /* The slot of e's index, not of info->id: a freed slot's id is 0. */
    struct pct_slot *p = &pct_table[e - envs];
    int enterable = e->info->state == ENV_RUNNABLE && e->xf != &no_xframe &&
                    e->asid_gen == asid_gen;

    p->entryp = enterable ? &e->xf->pct_entry : &cannot_enter;
    p->entryhi = e->info->asid;
    p->xf = e->xf;
    p->tf = &e->tf;
    p->env = e;
    p->info = e->info;
    if (e == env_current())
        kexposed.current_xframe = (uint32_t)e->xf;
}

/* Who holds each ASID of the current generation (NULL: nobody yet).  An
 * ASID is never reused within a generation, so a dead environment's entry
 * may stay: its bindings were flushed when it died. */
static struct env *asid_env[NASID];

struct env *env_by_asid(uint32_t asid)
{
    struct env *e = asid_env[asid & ENTRYHI_ASID_MASK];

    return e != NULL && env_alive(e) ? e : NULL;
}

/* Hits of STLB entries that leave the table go to their owner's count. */
static void stlb_retired(uint32_t tag, uint32_t hits)
{
    struct env *e = asid_env[tag & ENTRYHI_ASID_MASK];

    if (e != NULL && e->info->state != ENV_FREE)
        e->info->stlb_hits += hits;
}

void env_init(void)
{
    for (int i = 0; i <= NENV; i++) {
        envs[i].info = &kexposed.envs[i];
        envs[i].info->state = ENV_FREE;
        envs[i].info->id = 0;
        envs[i].xf = &no_xframe;
        pct_table[i] = (struct pct_slot){ .entryp = &cannot_enter, .xf = &no_xframe,
                                          .id = i, .tf = &envs[i].tf, .env = &envs[i],
                                          .info = envs[i].info };
    }
    /* Slots no envid names: an id no envid equals, so the fast path's
     * check sends a PCT to them to the slow path, which refuses it. */
    for (int i = NENV + 1; i < PT_SLOTS; i++)
        pct_table[i] = (struct pct_slot){ .entryp = &cannot_enter, .xf = &no_xframe,
                                          .id = 0xffffffffu, .tf = &envs[0].tf,
                                          .env = &envs[0], .info = envs[0].info };
    stlb_retire_hook = stlb_retired;
    set_current(NULL);
}

struct env *env_alloc(uint16_t parent)
{
    for (int i = 1; i <= NENV; i++) {
        struct env *e = &envs[i];
        if (e->info->state != ENV_FREE)
            continue;
        struct env_info *info = e->info;
        *info = (struct env_info){ .id = i, .state = ENV_STOPPED, .parent = parent };
        /* Nothing of the slot's last occupant may show: every register it
         * could read at start (general, HI/LO, Status, EPC...), the state
         * an upcall would restore, and the FPU registers SYS_FPU loads. */
        e->tf = (struct trapframe){ 0 };
        e->resume_tf = (struct trapframe){ 0 };
        e->fpu = (struct fpu_state){ 0 };
        e->xf = &no_xframe;
        e->xf_ppn = 0;
        e->asid_gen = 0;            /* no ASID until it first needs one */
        e->in_upcall = e->overruns_in_row = e->revoke_to = 0;
        e->revoke_asked = e->grace_start = 0;
        for (int g = 0; g < NGUARANTEED; g++)
            e->gm[g].va = e->gm[g].lo = 0;
        kexposed.stats.envs_created++;
        env_pct_update(e);
        return e;
    }
    return NULL;
}

struct env *env_lookup(struct env *caller, uint32_t envid)
{
    if (envid == 0 || envid == caller->info->id)
        return caller;
    if (envid > NENV)
        return NULL;
    struct env *e = &envs[envid];
    if (!env_alive(e) || e->info->parent != caller->info->id)
        return NULL;
    return e;
}

void env_start(struct env *e, uint32_t pc, uint32_t sp, uint32_t arg)
{
    e->tf.epc = pc;
    e->tf.regs[29] = sp;
    e->tf.regs[4] = arg;
    e->tf.status = ENV_USER_STATUS;
    e->info->state = ENV_RUNNABLE;
    env_pct_update(e);
}

/*
 * A new generation: every ASID of the old one is void, so every binding
 * cached under one (hardware TLB and STLB) must go before any is reused.
 */
static void new_asid_generation(void)
{
    asid_gen++;
    asid_next = 1;
    for (int a = 0; a < NASID; a++)
        asid_env[a] = NULL;
    tlb_flush();
    stlb_init(kexposed.stlb);
    kexposed.stats.asid_flushes++;
    for (int i = 1; i <= NENV; i++)     /* nobody can be entered by PCT */
        if (envs[i].info->state != ENV_FREE)   /* until it has a new ASID */
            env_pct_update(&envs[i]);
}

/* Gives e the next ASID of the current generation. */
static void assign_asid(struct env *e)
{
    asid_env[asid_next] = e;
    e->info->asid = asid_next++;
    e->asid_gen = asid_gen;
    if (e == env_current())         /* the CPU must translate with it now */
        tlb_set_asid(e->info->asid);
    env_pct_update(e);
}

uint32_t env_asid(struct env *e)
{
    if (e->asid_gen == asid_gen)
        return e->info->asid;
    if (asid_next >= NASID) {
        new_asid_generation();
        /* The running environment's ASID is in EntryHi, and the old number
         * may be handed to someone else in the new generation: renumber it
         * first, before anyone else gets one. */
        struct env *cur = env_current();
        if (cur != NULL && cur != e)
            assign_asid(cur);
    }
    assign_asid(e);
    return e->info->asid;
}

void env_switch(struct env *e)
{
    set_current(e);
    if (e != NULL)
        tlb_set_asid(env_asid(e));
}

static const char *const deaths[] = {
    [DEATH_NONE] = "none", [DEATH_EXIT] = "exit",
    [DEATH_FAULT] = "exception it could not take",
    [DEATH_SYSCALL] = "syscall in a branch delay slot",
    [DEATH_OVERRUN] = "kept the CPU past its upcalls' deadlines",
    [DEATH_KILLED] = "killed by its parent",
    [DEATH_ANCESTOR] = "its ancestor died",
};

/* A dead environment's slot is free again. */
static void release(struct env *e)
{
    e->info->state = ENV_FREE;
    e->info->id = 0;
    env_pct_update(e);
}

/*
 * Every xframe.donate that names envid (a dead environment's) becomes -1:
 * its donors left by PCT and stay "not saved", but their slices are theirs
 * again, and the next occupant of the slot gets none of them.
 */
static void undonate(uint16_t envid)
{
    for (int i = 1; i <= NENV; i++) {
        struct env *d = &envs[i];
        if (env_alive(d) && env_has_frame(d) && d->xf->donate == envid)
            d->xf->donate = 0xffffffffu;
    }
}

/* The first half of a death: e stops being alive and says why. */
static void begin_death(struct env *e, int death, uint32_t status)
{
    struct env_info *info = e->info;

    if (death != DEATH_EXIT && death != DEATH_KILLED && death != DEATH_ANCESTOR)
        kprintf("aegis: env %u destroyed: %s (cause %08x epc %08x badvaddr %08x)\n",
                info->id, deaths[death], e->tf.cause, e->tf.epc, e->tf.badvaddr);
    info->state = ENV_DYING;
    info->death = death;
    info->exit_status = status;
    info->death_cause = e->tf.cause;
    info->death_epc = e->tf.epc;
    if (e->asid_gen == asid_gen)
        tlb_flush_asid(info->asid);
}

/* The second half, once its bindings and pages are gone: nothing of it is
 * left but the record its parent may read. */
static void end_death(struct env *e)
{
    struct env_info *info = e->info;

    sched_forget(e);
    fpu_forget(e);
    e->fpu = (struct fpu_state){ 0 };   /* no FPU state survives it */
    e->xf = &no_xframe;
    info->pages = 0;
    undonate(info->id);
    kexposed.stats.envs_destroyed++;
    if (e == env_current())
        set_current(NULL);
    /* A parent may want to know how it ended: keep the record until it
     * reaps it (SYS_ENV_REAP).  Nobody else can: the slot is free now. */
    struct env *p = info->parent != 0 ? &envs[info->parent] : NULL;
    if (p != NULL && env_alive(p)) {
        info->state = ENV_ZOMBIE;
        env_pct_update(e);
    } else {
        release(e);
    }
}

/* Predicates for bind_break_if, called for every valid half in the STLB:
 * kept to a few instructions. */
static int owned_by_dying(uint32_t ppn, void *arg)
{
    const uint8_t *dying = arg;
    uint16_t o = ppn < phys.npages ? phys.pages[ppn].owner : OWNER_FREE;

    return o <= NENV && dying[o];           /* (dying[0] is 0) */
}

static int owned_by(uint32_t ppn, void *arg)
{
    return ppn < phys.npages && phys.pages[ppn].owner == *(const uint16_t *)arg;
}

/*
 * Breaks every binding of, and to, the dying environments' pages, and frees
 * the pages (left of them in all).  One environment alone - the common
 * case, an exit - has loops of its own, a few instructions a page cheaper
 * than the general ones.
 */
static void free_dying(struct env *e, const uint8_t *dying, int members, uint32_t left)
{
    uint16_t id = e->info->id;

    if (members == 1) {
        if (e->asid_gen == asid_gen)
            stlb_flush_asid(kexposed.stlb, e->info->asid);
        bind_break_if(owned_by, &id);
        for (uint32_t ppn = 0; ppn < phys.npages && left > 0; ppn++)
            if (phys.pages[ppn].owner == id) {
                physmem_free(&phys, ppn, id);
                left--;
            }
        return;
    }
    uint8_t asids[NASID] = { 0 };
    for (int i = 1; i <= NENV; i++)
        if (dying[i] && envs[i].asid_gen == asid_gen)
            asids[envs[i].info->asid] = 1;
    stlb_flush_asids(kexposed.stlb, asids);
    bind_break_if(owned_by_dying, (void *)dying);
    for (uint32_t ppn = 0; ppn < phys.npages && left > 0; ppn++) {
        uint16_t o = phys.pages[ppn].owner;
        if (o <= NENV && dying[o]) {        /* (free: 0xffff; dying[0] is 0) */
            physmem_free(&phys, ppn, o);
            left--;
        }
    }
}

/*
 * e dies, and every descendant with it (DEATH_ANCESTOR): nothing it started
 * may outlive it holding pages, slices or slots that nobody could take
 * back.  The whole tree goes at once - one sweep of the STLB for its
 * ASIDs, one for bindings to its pages, one pass over physical memory - so
 * the cost does not grow with the number of environments in it.
 */
void env_destroy(struct env *e, int death, uint32_t status)
{
    uint8_t dying[NENV + 1] = { 0 };
    uint32_t left = 0;                  /* pages to free: stop when found */
    int members = 0;

    if (!env_alive(e))              /* already on its way out */
        return;
    for (int i = 1; i <= NENV; i++)     /* (before any state changes) */
        dying[i] = env_alive(&envs[i]) && env_in_tree(&envs[i], e);
    for (int i = 1; i <= NENV; i++) {
        if (!dying[i])
            continue;
        members++;
        left += envs[i].info->pages;
        begin_death(&envs[i], &envs[i] == e ? death : DEATH_ANCESTOR,
                    &envs[i] == e ? status : 0);
    }
    /* Their bindings go first, then their pages (which purges bindings
     * others made to them), so nothing they owned stays reachable. */
    free_dying(e, dying, members, left);
    /* Children first, so that a child whose parent dies too is freed, not
     * kept as a zombie; zombies of the dead have nobody to reap them. */
    for (int i = 1; i <= NENV; i++)
        if (dying[i] && &envs[i] != e)
            end_death(&envs[i]);
    end_death(e);
    for (int i = 1; i <= NENV; i++) {
        struct env *c = &envs[i];
        if (c->info->state == ENV_ZOMBIE && c->info->parent >= 1 && c->info->parent <= NENV &&
            dying[c->info->parent])
            release(c);
    }
}

int env_reap(struct env *parent, uint32_t envid)
{
    if (envid == 0 || envid > NENV)
        return -E_NOENV;
    struct env *c = &envs[envid];
    if (c->info->state == ENV_FREE || c->info->parent != parent->info->id)
        return -E_NOENV;
    if (c->info->state != ENV_ZOMBIE)
        return -E_BUSY;
    release(c);
    return 0;
}

int env_in_tree(const struct env *c, const struct env *root)
{
    /* Up the parent chain: at most NENV hops (ids are slots, and a parent
     * always outlives its children, so the chain cannot loop). */
    for (int hops = 0; hops <= NENV && c != NULL; hops++) {
        if (c == root)
            return 1;
        uint16_t p = c->info->parent;
        c = p >= 1 && p <= NENV && envs[p].info->state != ENV_FREE ? &envs[p] : NULL;
    }
    return 0;
}

uint32_t env_tree_pages(const struct env *root)
{
    uint32_t n = 0;

    for (int i = 1; i <= NENV; i++)
        if (env_alive(&envs[i]) && env_in_tree(&envs[i], root))
            n += envs[i].info->pages;
    return n;
}

struct guaranteed *env_guaranteed(struct env *e, uint32_t va)
{
    uint32_t page = va & ~(PAGE_SIZE - 1);

    for (int g = 0; g < NGUARANTEED; g++)
        if (e->gm[g].va == page && (e->gm[g].lo & ENTRYLO_V))
            return &e->gm[g];
    return NULL;
}

void env_drop_xframe(uint32_t ppn)
{
    for (int i = 1; i <= NENV; i++) {
        struct env *e = &envs[i];
        if (e->info->state != ENV_FREE && e->xf != &no_xframe && e->xf_ppn == ppn) {
            e->xf = &no_xframe;
            env_pct_update(e);
        }
    }
}
