/*
 * t_sec_delay - a PCT `syscall` in a branch delay slot: the same answer on
 * the fast path and the slow path.
 *
 * kernel-args: slices=4 tick_us=500
 *
 * A `syscall` in a delay slot cannot be returned from (EPC points at the
 * branch, and re-executing the branch would do the syscall again).  A
 * protected control transfer never returns to the caller when it succeeds,
 * so there is nothing to get wrong: the transfer happens.  When it fails
 * there is no right place to return to, so the caller is destroyed
 * (DEATH_SYSCALL).  The kernel has two paths for a PCT: 30 instructions of
 * assembly for the common case, and C for the rest (a target that refuses,
 * does not exist, or must first get an ASID of the current generation).
 * Both must give the same answer.
 *
 * Raw children do `beq $0, $0, 1f` with `syscall` in its delay slot,
 * v0 = SYS_PCT_ASYNC and v1 = the target:
 *  A1: to a server T that accepts (the fast path): T runs.
 *  A2: to envid 99, which cannot exist: A2 is destroyed, DEATH_SYSCALL.
 *  A3: to T after an ASID generation has passed while T was not running
 *      (so the fast path cannot enter it, and the C path must): T runs.
 *  A4: to a child that refuses (no PCT entry): destroyed, DEATH_SYSCALL.
 * The old kernel already does A1, A2 and A4 as the rule says; A3 it
 * destroys.
 */
#include <stdint.h>

#include "sec.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define BAD_TARGET  99
#define BURN_MAX    600         /* environments run, at most, to end an ASID generation */

struct shared {
    volatile uint32_t parent;
    volatile uint32_t t_ready, t_calls, t_caller;
    volatile uint32_t returned;         /* a caller the kernel returned to */
    volatile uint32_t mute_ready;
};
#define SHP ((struct shared *)VA_SHARED)

/*
 * The delay-slot caller (a0 = the target), with a frame of its own so
 * that, once it has left by PCT, the scheduler leaves it alone.  Neither
 * outcome returns to it; if the kernel does return, it says so and idles.  T's entry: a stack
 * of its own, then C.  The burner: exits at once (it only has to run).
 */
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "a_entry:\n"
    "   move  $s0, $a0\n"
    "   li    $v0, 11\n"                /* SYS_XFRAME(0x1000): without a frame, */
    "   li    $a0, 0x1000\n"            /* an environment that left by PCT */
    "   syscall\n"                      /* would be resumed at its start */
    "   move  $v1, $s0\n"
    "   li    $v0, 0\n"                 /* SYS_PCT_ASYNC */
    "   beq   $0, $0, 1f\n"
    "   syscall\n"                      /* (delay slot) */
    "1: lui   $t0, 0x1000\n"            /* VA_SHARED */
    "   li    $t1, 1\n"
    "   sw    $t1, 16($t0)\n"           /* returned */
    "2: li    $v0, 15\n"                /* SYS_YIELD(-1) */
    "   li    $a0, -1\n"
    "   syscall\n"
    "   b     2b\n"
    "   nop\n"
    "t_entry_stub:\n"
    "   li    $sp, 0x10010800\n"        /* CHILD_STACK + 2 KiB */
    "   j     t_entry\n"
    "   move  $a0, $v1\n"               /* (delay slot) the caller */
    "burner:\n"
    "   li    $v0, 14\n"                /* SYS_ENV_DESTROY(0, 0) */
    "   li    $a0, 0\n"
    "   li    $a1, 0\n"
    "   syscall\n"
    "   .set pop\n   .text\n");
void a_entry(void);
void t_entry_stub(void);
void burner(void);
_Static_assert(__builtin_offsetof(struct shared, returned) == 16 && SYS_YIELD == 15 &&
               SYS_ENV_DESTROY == 14 && SYS_XFRAME == 11 && EXOS_XF_VA == 0x1000,
               "a_entry's constants");

/* T, entered by PCT: a call from our parent parks T (it transfers back,
 * leaving donate set and no upcall entry: the scheduler will not run it);
 * any other caller is counted, and T idles. */
CHILD void t_entry(uint32_t caller)
{
    struct shared *sh = SHP;

    if (caller == sh->parent) {
        register uint32_t v0 __asm__("v0") = SYS_PCT_ASYNC;
        register uint32_t v1 __asm__("v1") = caller;
        __asm__ volatile("syscall" : "+r"(v0), "+r"(v1) :: "memory", "a0", "a1", "a2", "a3");
    } else {
        sh->t_caller = caller;
        sh->t_calls++;
    }
    for (;;)
        sys_yield(-1);
}

static CHILD void t_main(uint32_t arg)
{
    (void)arg;
    sec_serve(t_entry_stub, &SHP->t_ready);
}

/* Has a frame, refuses transfers. */
static CHILD void mute_main(uint32_t arg)
{
    (void)arg;
    if (sys_xframe(EXOS_XF_VA) == 0)
        SHP->mute_ready = 1;
    for (;;)
        sys_yield(-1);
}

static uint32_t shared_ppn, shared_wcap;

/* A delay-slot caller to target, run at once.  Returns its envid. */
static int32_t call_from_delay_slot(uint32_t target)
{
    int slot;
    int32_t a = child_create(VA_SHARED, shared_ppn, shared_wcap, &slot);

    if (a <= 0 || sys_env_start(a, (uint32_t)a_entry, CHILD_STACK + PAGE_SIZE - 16, target) < 0)
        return -1;
    sys_yield(a);                   /* it runs, then whoever it went to */
    return a;
}

static int destroyed_for_it(int32_t a)
{
    const volatile struct env_info *e = &AEGIS_EXPOSED->envs[a];
    return a > 0 && e->state == ENV_ZOMBIE && e->death == DEATH_SYSCALL;
}

static int still_alive(int32_t a)
{
    return a > 0 && AEGIS_EXPOSED->envs[a].state == ENV_RUNNABLE;
}

int main(void)
{
    struct shared *sh = SHP;
    int slot;
    int32_t ppn;

    check(child_shared_page(VA_SHARED, &ppn, &shared_wcap) && sys_slice_alloc(0, 0) == 0,
          "a shared page; we hold slot 0", "-");
    shared_ppn = ppn;
    sh->parent = exos_envid();
    int32_t t = child_create(VA_SHARED, ppn, shared_wcap, &slot);
    int ok = t > 0 && child_start(t, t_main, 0) == 0;
    for (int i = 0; ok && i < 100 && !sh->t_ready; i++)
        sys_yield(t);
    check(ok && sh->t_ready, "a server that accepts transfers", "-");

    /* A1: the fast path. */
    uint32_t calls = sh->t_calls;
    int32_t a1 = call_from_delay_slot(t);
    check(sh->t_calls == calls + 1 && sh->t_caller == (uint32_t)a1 && still_alive(a1) &&
          !sh->returned,
          "A1: a transfer from a delay slot to a server that accepts happens (fast path)",
          "server entered %lu times, by %lu; caller state %u, death %u",
          (unsigned long)(sh->t_calls - calls), (unsigned long)sh->t_caller,
          AEGIS_EXPOSED->envs[a1].state, AEGIS_EXPOSED->envs[a1].death);

    /* A2: a target that cannot exist. */
    int32_t a2 = call_from_delay_slot(BAD_TARGET);
    check(destroyed_for_it(a2) && !sh->returned,
          "A2: one to an envid that cannot exist destroys the caller: DEATH_SYSCALL",
          "state %u, death %u, returned %lu", AEGIS_EXPOSED->envs[a2].state,
          AEGIS_EXPOSED->envs[a2].death, (unsigned long)sh->returned);

    /* A3: park T, then run environments until the ASID generation ends:
     * T's ASID is then stale, and only the C path can enter it. */
    int32_t back = pct_call(t, 0);
    uint32_t gen = AEGIS_EXPOSED->stats.asid_flushes, burnt = 0;
    while (AEGIS_EXPOSED->stats.asid_flushes == gen && burnt < BURN_MAX) {
        int32_t b = sys_env_create();
        int s = 0;
        if (b <= 0 || child_share_ro(b, &s, (uint32_t)__start_child_text,
                                     (uint32_t)__stop_child_text) < 0 ||
            sys_env_start(b, (uint32_t)burner, 0, 0) < 0)
            break;
        sys_yield(b);
        sys_env_reap(b);
        burnt++;
    }
    calls = sh->t_calls;
    check(back == t && AEGIS_EXPOSED->stats.asid_flushes != gen,
          "the server is parked (not scheduled) while an ASID generation passes",
          "parked by %ld; %lu environments run, generations %lu -> %lu", (long)back,
          (unsigned long)burnt, (unsigned long)gen,
          (unsigned long)AEGIS_EXPOSED->stats.asid_flushes);
    printf("# %lu environments run to end the ASID generation\n", (unsigned long)burnt);
    int32_t a3 = call_from_delay_slot(t);
    check(sh->t_calls == calls + 1 && sh->t_caller == (uint32_t)a3 && still_alive(a3) &&
          !sh->returned,
          "A3: the same transfer where the C path must do it happens too",
          "server entered %lu times; caller state %u, death %u",
          (unsigned long)(sh->t_calls - calls), AEGIS_EXPOSED->envs[a3].state,
          AEGIS_EXPOSED->envs[a3].death);

    /* A4: a target that refuses. */
    int32_t mute = child_create(VA_SHARED, ppn, shared_wcap, &slot);
    ok = mute > 0 && child_start(mute, mute_main, 0) == 0;
    for (int i = 0; ok && i < 100 && !sh->mute_ready; i++)
        sys_yield(mute);
    int32_t a4 = call_from_delay_slot(mute);
    check(sh->mute_ready && destroyed_for_it(a4) && !sh->returned,
          "A4: one to a target that refuses destroys the caller: DEATH_SYSCALL",
          "state %u, death %u", AEGIS_EXPOSED->envs[a4].state, AEGIS_EXPOSED->envs[a4].death);

    int32_t kids[] = { a1, a2, a3, a4, mute, t };
    for (unsigned i = 0; i < sizeof kids / sizeof kids[0]; i++)
        if (kids[i] > 0) {
            sys_env_destroy(kids[i], 0);    /* (E_NOENV for the dead ones) */
            sys_env_reap(kids[i]);
        }
    return tap_done();
}
