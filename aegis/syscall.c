/*
 * syscall.c - the system calls (numbers and contracts in abi.h).
 *
 * Table-driven: v0 indexes syscalls[], each entry a short function taking
 * the caller and its six argument registers.  Every argument is checked,
 * and every failure returns its own error code; nothing an environment
 * passes can make the kernel fault, because the kernel never dereferences a
 * user pointer: it translates it through the caller's own bindings
 * (bind_translate) and reads the physical page through KSEG0.
 */
#include <stddef.h>

#include "syscall.h"
#include "trace.h"

#include "bind.h"
#include "exposed.h"
#include "fpu.h"
#include "kernel.h"
#include "mips.h"
#include "sched.h"
#include "stlb.h"
#include "uart.h"


/* What a call returns when it has already set the caller's registers
 * itself (a yield that answers an upcall puts back the registers the
 * upcall interrupted: v0 and v1 must not be overwritten). */
#define RESULT_SET  ((int32_t)0x80000000)

/*
 * Prints at most CPUTS_MAX bytes, so that no call holds the CPU (with
 * interrupts off) for longer than that takes; the library loops.  The whole
 * range must still be user space, and every page of what is printed must
 * be bound: nothing is printed unless all of it can be.
 */
static int32_t sys_cputs(struct env *e, const struct args *a, uint32_t *v1)
{
    uint32_t va = a->a[0], len = a->a[1];
    (void)v1;

    if (len > USER_TOP || va >= USER_TOP || len > USER_TOP - va)
        return -E_KADDR;
    if (len > CPUTS_MAX)
        len = CPUTS_MAX;
    char *k[CPUTS_MAX / PAGE_SIZE + 2];     /* each page's KSEG0 address */
    uint32_t first = va & ~(PAGE_SIZE - 1);
    for (uint32_t p = first, i = 0; p < va + len; p += PAGE_SIZE, i++) {
        int r = bind_translate(e, p < va ? va : p, 0, (void **)&k[i]);
        if (r < 0)
            return r;
        if (p < va)
            k[i] -= va - p;             /* as if from the page's start */
    }
    for (uint32_t i = 0; i < len; i++) {
        uint32_t off = va - first + i;
        uart_putc(k[off / PAGE_SIZE][off % PAGE_SIZE]);
    }
    return (int32_t)len;
}

static int32_t sys_cgetc(struct env *e, const struct args *a, uint32_t *v1)
{
    (void)e, (void)a, (void)v1;
    int c = uart_getc();
    return c < 0 ? -E_AGAIN : c;
}

static int32_t sys_page_alloc(struct env *e, const struct args *a, uint32_t *v1)
{
    int32_t ppn;
    uint16_t id = e->info->id;

    if (a->a[0] == 0xffffffffu)
        ppn = physmem_alloc_any(&phys, id);
    else if ((ppn = physmem_alloc(&phys, a->a[0], id)) == 0)
        ppn = (int32_t)a->a[0];
    if (ppn < 0)
        return ppn;
    /* Whatever the page held belonged to its last owner: clear it. */
    uint32_t *k = (uint32_t *)PHYS_TO_KSEG0((uint32_t)ppn << PAGE_SHIFT);
    for (uint32_t i = 0; i < PAGE_SIZE / 4; i++)
        k[i] = 0;
    e->info->pages++;
    *v1 = phys.guards[ppn].wcap;
    return ppn;
}

static int32_t sys_page_free(struct env *e, const struct args *a, uint32_t *v1)
{
    (void)v1;
    return bind_free_page(a->a[0], e->info->id);
}

static int32_t sys_page_rcap(struct env *e, const struct args *a, uint32_t *v1)
{
    uint32_t ppn = a->a[0];
    (void)e, (void)v1;

    if (ppn >= phys.npages)
        return -E_INVAL;
    if (physmem_owner(&phys, ppn) >= OWNER_KERNEL)
        return -E_PERM;
    if (a->a[1] != phys.guards[ppn].wcap)
        return -E_BADCAP;
    /* Capabilities are 32-bit numbers; report them through v1 so that the
     * high bit does not look like an error in v0. */
    *v1 = phys.guards[ppn].rcap;
    return 0;
}

static int32_t sys_page_give(struct env *e, const struct args *a, uint32_t *v1)
{
    struct env *to = env_lookup(e, a->a[1]);
    uint32_t ppn = a->a[0];
    (void)v1;

    if (to == NULL || to == e)
        return -E_NOENV;
    int r = physmem_give(&phys, ppn, e->info->id, to->info->id);
    if (r == 0) {
        env_drop_xframe(ppn);       /* a frame must be in a page one owns */
        e->info->pages--;
        to->info->pages++;
    }
    return r;
}

static int32_t sys_tlb_write(struct env *e, const struct args *a, uint32_t *v1)
{
    struct env *t = env_lookup(e, a->a[0]);
    (void)v1;

    if (t == NULL)
        return -E_NOENV;
    return bind_page(t, a->a[1], a->a[2], a->a[3], a->a[4], NULL);
}

static int32_t sys_tlb_delete(struct env *e, const struct args *a, uint32_t *v1)
{
    struct env *t = env_lookup(e, a->a[0]);
    uint32_t va = a->a[1];
    (void)v1;

    if (t == NULL)
        return -E_NOENV;
    int r = bind_check_va(va);
    return r < 0 ? r : bind_remove(t, va);
}

static int32_t sys_guarantee(struct env *e, const struct args *a, uint32_t *v1)
{
    struct env *t = env_lookup(e, a->a[0]);
    uint32_t slot = a->a[1], va = a->a[2], ppn = a->a[3];
    (void)v1;

    if (t == NULL)
        return -E_NOENV;
    if (slot >= NGUARANTEED)
        return -E_INVAL;
    struct guaranteed *g = &t->gm[slot];
    if (ppn == 0xffffffffu) {
        if (g->va != 0)
            bind_remove(t, g->va);
        g->va = g->lo = 0;
        return 0;
    }
    uint32_t lo;
    int r = bind_page(t, va, ppn, a->a[4], a->a[5], &lo);
    if (r == 0) {
        g->va = va;
        g->lo = lo;
    }
    return r;
}

static int32_t sys_xframe(struct env *e, const struct args *a, uint32_t *v1)
{
    uint32_t va = a->a[0];
    (void)v1;

    if (va >= USER_TOP)
        return -E_KADDR;
    if ((va & 3) || (va & (PAGE_SIZE - 1)) > PAGE_SIZE - sizeof(struct xframe))
        return -E_ALIGN;
    struct guaranteed *g = env_guaranteed(e, va);
    if (g == NULL || !(g->lo & ENTRYLO_D))
        return -E_FAULT;
    uint32_t ppn = entrylo_ppn(g->lo);
    if (physmem_owner(&phys, ppn) != e->info->id)
        return -E_PERM;
    /* The kernel writes the frame through KSEG0 and the handler reads it at
     * va: on a CPU whose data cache is indexed with address bit 12 (the
     * 24K's 8 KiB ways) both must agree on that bit, or they could see two
     * different cache lines. */
    if (((va >> PAGE_SHIFT) ^ ppn) & 1)
        return -E_COLOR;
    e->xf = (struct xframe *)PHYS_TO_KSEG0((ppn << PAGE_SHIFT) | (va & (PAGE_SIZE - 1)));
    e->xf_ppn = ppn;
    env_pct_update(e);
    return 0;
}

static int32_t sys_env_create(struct env *e, const struct args *a, uint32_t *v1)
{
    (void)a, (void)v1;
    struct env *c = env_alloc(e->info->id);
    return c == NULL ? -E_NOMEM : c->info->id;
}

static int32_t sys_env_start(struct env *e, const struct args *a, uint32_t *v1)
{
    struct env *c = env_lookup(e, a->a[0]);
    (void)v1;

    if (c == NULL || c == e)
        return -E_NOENV;
    if (c->info->state != ENV_STOPPED)
        return -E_BUSY;
    if (a->a[1] >= USER_TOP)
        return -E_KADDR;
    if (a->a[1] & 3)                /* an odd pc would start it in MIPS16e mode, */
        return -E_ALIGN;            /* and the kernel assumes 4-byte instructions */
    env_start(c, a->a[1], a->a[2], a->a[3]);
    return 0;
}

static int32_t sys_env_destroy(struct env *e, const struct args *a, uint32_t *v1)
{
    struct env *t = env_lookup(e, a->a[0]);
    (void)v1;

    if (t == NULL)
        return -E_NOENV;
    env_destroy(t, t == e ? DEATH_EXIT : DEATH_KILLED, a->a[1]);
    return 0;
}

static int32_t sys_env_reap(struct env *e, const struct args *a, uint32_t *v1)
{
    (void)v1;
    return env_reap(e, a->a[0]);
}

static int32_t sys_yield(struct env *e, const struct args *a, uint32_t *v1)
{
    uint32_t id = a->a[0];
    (void)v1;

    if (id != 0xffffffffu && (id == 0 || id > NENV || envs[id].info->state != ENV_RUNNABLE))
        return -E_NOENV;
    e->tf.regs[2] = 0;              /* its result, for when it runs again */
    sched_yield(e, id == 0xffffffffu ? NULL : &envs[id]);
    return RESULT_SET;
}

static int32_t sys_slice_alloc(struct env *e, const struct args *a, uint32_t *v1)
{
    struct env *t = env_lookup(e, a->a[0]);
    (void)v1;

    return t == NULL ? -E_NOENV : sched_slice_alloc(e, t, a->a[1]);
}

static int32_t sys_slice_free(struct env *e, const struct args *a, uint32_t *v1)
{
    struct env *t = env_lookup(e, a->a[0]);
    (void)v1;

    return t == NULL ? -E_NOENV : sched_slice_free(t, a->a[1]);
}

static int32_t sys_page_revoke(struct env *e, const struct args *a, uint32_t *v1)
{
    struct env *t = env_lookup(e, a->a[0]);
    (void)v1;

    if (t == NULL)
        return -E_NOENV;
    /* Its result first: asking itself, it is upcalled at once, and the
     * registers it resumes with afterwards are the ones saved now. */
    e->tf.regs[2] = e->tf.regs[3] = 0;
    sched_revoke(t, a->a[1]);
    return RESULT_SET;
}

static int32_t sys_fpu(struct env *e, const struct args *a, uint32_t *v1)
{
    (void)a, (void)v1;
    fpu_acquire(e);
    return 0;
}

/*
 * A protected control transfer the fast path in vectors.S did not finish:
 * a bad target, one that refuses, or one that must first get an ASID of
 * the current generation.  Does what the fast path does and returns 0, or
 * returns why not (-E_NOENV, -E_BUSY) having changed nothing.  The callee
 * gets the caller's registers: the message.
 */
static int32_t pct_slow(struct env *e, struct trapframe *tf, uint32_t sync)
{
    uint32_t id = tf->regs[3];

    if (id == 0 || id > NENV || envs[id].info->state != ENV_RUNNABLE)
        return -E_NOENV;
    struct env *t = &envs[id];
    env_asid(t);
    if (t->xf->pct_entry == 0)
        return -E_BUSY;
    e->xf->donate = sync ? id : 0xffffffffu;
    if (t != e) {
        for (int r = 1; r < 32; r++)
            t->tf.regs[r] = tf->regs[r];
        t->tf.hi = tf->hi;
        t->tf.lo = tf->lo;
    }
    t->tf.epc = t->xf->pct_entry;
    t->tf.regs[3] = e->info->id;
    t->xf->donate = 0;
    t->in_upcall = 0;
    env_switch(t);
    return 0;
}

static int32_t sys_trace(struct env *e, const struct args *a, uint32_t *v1)
{
    (void)e, (void)v1;
    return trace_set(a->a[0] != 0);
}

static int32_t sys_tlb_snapshot(struct env *e, const struct args *a, uint32_t *v1)
{
    (void)e, (void)a, (void)v1;
    return trace_tlb_snapshot();
}

const sysfn syscall_table[NSYSCALLS] = {
    [SYS_CPUTS] = sys_cputs,           [SYS_CGETC] = sys_cgetc,
    [SYS_PAGE_ALLOC] = sys_page_alloc, [SYS_PAGE_FREE] = sys_page_free,
    [SYS_PAGE_RCAP] = sys_page_rcap,   [SYS_PAGE_GIVE] = sys_page_give,
    [SYS_TLB_WRITE] = sys_tlb_write,   [SYS_TLB_DELETE] = sys_tlb_delete,
    [SYS_GUARANTEE] = sys_guarantee,   [SYS_XFRAME] = sys_xframe,
    [SYS_ENV_CREATE] = sys_env_create, [SYS_ENV_START] = sys_env_start,
    [SYS_ENV_DESTROY] = sys_env_destroy, [SYS_YIELD] = sys_yield,
    [SYS_SLICE_ALLOC] = sys_slice_alloc, [SYS_SLICE_FREE] = sys_slice_free,
    [SYS_PAGE_REVOKE] = sys_page_revoke, [SYS_FPU] = sys_fpu,
    [SYS_ENV_REAP] = sys_env_reap,     [SYS_TRACE] = sys_trace,
    [SYS_TLB_SNAPSHOT] = sys_tlb_snapshot,
};

void syscall(struct env *e, struct trapframe *tf)
{
    uint32_t num = tf->regs[2];
    struct args a = { { tf->regs[4], tf->regs[5], tf->regs[6], tf->regs[7],
                        tf->regs[8], tf->regs[9] } };
    uint32_t v1 = 0;
    int32_t r;

    e->info->syscalls++;
    /* A transfer that succeeds never returns to the caller, so it may come
     * from a delay slot (as on the fast path); every other outcome does. */
    int pct = num == SYS_PCT_ASYNC || num == SYS_PCT_SYNC;
    if (pct && (r = pct_slow(e, tf, num == SYS_PCT_SYNC)) == 0)
        return;
    if (tf->cause & CAUSE_BD) {
        /* It would return into the middle of a branch: refuse to guess. */
        env_destroy(e, DEATH_SYSCALL, 0);
        return;
    }
    tf->epc += 4;                   /* return past the syscall instruction */
    if (!pct)
        r = num < NSYSCALLS && syscall_table[num] ? syscall_table[num](e, &a, &v1) : -E_NOSYS;
    /* The call may have switched away from e (yield) or destroyed it; its
     * result goes into e's own saved registers either way. */
    if (env_alive(e) && r != RESULT_SET) {
        e->tf.regs[2] = (uint32_t)r;
        e->tf.regs[3] = pct ? tf->regs[3] : v1;     /* a refused PCT keeps v1 */
    }
}
