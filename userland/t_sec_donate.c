/*
 * t_sec_donate - a donation dies with the environment it was made to.
 *
 * kernel-args: slices=8 tick_us=500
 *
 * A synchronous PCT donates the caller's slices to the callee: the
 * caller's xframe.donate names it.  If the callee dies and a new
 * environment is given the same envid (env_alloc takes the lowest free
 * slot), a donation that only names a number goes to a stranger: the
 * stranger runs in the caller's slices, and the caller never runs again.
 * A death must end every donation made to the dead environment, so that
 * the caller gets its slices back and is entered at its upcall entry with
 * UPCALL_SLICE_START, as after an asynchronous transfer.
 *
 * The attack: a client C (slots 1-4 of 8) makes a synchronous PCT to a
 * server S, whose entry spins (it works in C's slices).  S dies: this
 * program (slot 0) kills it, or, in a second round, S exits by itself at
 * the end of C's last slot, so that the next slice is ours.  In that
 * slice we reap S and create and start N, which gets S's envid and spins,
 * counting.  C must run again within a bounded number of our rounds, and
 * N, which owns no slice, must not have run in C's.
 */
#include <stdint.h>

#include "sec.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define ROUNDS      40          /* of ours, at most, for C to run again */

struct shared {
    volatile uint32_t s_ready, c_ready;
    volatile int32_t c_pct_rc;          /* only if C's PCT was refused */
    volatile uint32_t s_caller, s_spins;
    volatile uint32_t c_starts, c_why;  /* C's upcalls after its PCT */
    volatile uint32_t n_count;
    volatile uint32_t s_exit;           /* round 2: S exits by itself */
};

#define SHP ((struct shared *)VA_SHARED)

/* S's PCT entry: a stack of its own (the caller's sp is not ours), then C. */
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "s_entry_stub:\n"
    "   li    $sp, 0x10010800\n"        /* CHILD_STACK + 2 KiB */
    "   j     s_entry\n"
    "   move  $a0, $v1\n"               /* (delay slot) who called */
    "c_upcall_stub:\n"
    "   li    $sp, 0x10010400\n"        /* CHILD_STACK + 1 KiB */
    "   j     c_upcall\n"
    "   nop\n"
    "   .set pop\n   .text\n");
void s_entry_stub(void);
void c_upcall_stub(void);

/* The server at work, in its client's slices: for ever, or (s_exit)
 * until the client's last slot, where it exits. */
CHILD void s_entry(uint32_t caller)
{
    SHP->s_caller = caller;
    for (;;) {
        SHP->s_spins++;
        if (SHP->s_exit && AEGIS_EXPOSED->slice_pos == 4)
            sys_env_destroy(0, 0);
    }
}

static CHILD void s_main(uint32_t arg)
{
    (void)arg;
    sec_serve(s_entry_stub, &SHP->s_ready);
}

/* C's interrupt context: it counts the slices it is given after its PCT. */
CHILD void c_upcall(void)
{
    for (;;) {
        uint32_t why = SEC_XF[XF_UPCALL_WHY / 4];
        if (why == UPCALL_SLICE_START) {
            SHP->c_why = why;
            SHP->c_starts++;
        }
        sys_yield(-1);
    }
}

static CHILD void c_main(uint32_t server)
{
    if (sys_xframe(EXOS_XF_VA) != 0)
        sys_env_destroy(0, 0);
    SEC_XF[XF_UPCALL / 4] = (uint32_t)c_upcall_stub;
    SHP->c_ready = 1;
    register uint32_t v0 __asm__("v0") = SYS_PCT_SYNC;
    register uint32_t v1 __asm__("v1") = server;
    __asm__ volatile("syscall" : "+r"(v0), "+r"(v1) :: "memory", "a0", "a1", "a2", "a3");
    SHP->c_pct_rc = (int32_t)v0;    /* refused: we are still here */
    for (;;)
        sys_yield(-1);
}

static CHILD void n_main(uint32_t arg)
{
    (void)arg;
    for (;;)
        SHP->n_count++;
}

/* One round: S dies (killed by us, or by its own exit), N takes its id. */
static void round_of(int by_exit)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct shared *sh = SHP;
    const char *how = by_exit ? "exits" : "is killed";
    char name[120];
    int slot, ok = 1;

    ok &= child_shared_page(VA_SHARED, &ppn, &wcap);
    sh->s_ready = sh->c_ready = sh->s_caller = sh->s_spins = 0;
    sh->c_starts = sh->c_why = sh->n_count = 0;
    sh->c_pct_rc = 0;
    sh->s_exit = by_exit;
    int32_t s = child_create(VA_SHARED, ppn, wcap, &slot);
    int32_t c = child_create(VA_SHARED, ppn, wcap, &slot);
    ok &= s > 0 && c > 0 && child_start(s, s_main, 0) == 0;
    for (int i = 0; i < 1000 && !sh->s_ready; i++)
        sys_yield(s);
    ok &= sh->s_ready;
    for (int pos = 1; pos <= 4; pos++)
        ok &= sys_slice_alloc(c, pos) == pos;
    ok &= child_start(c, c_main, s) == 0;
    snprintf(name, sizeof name, "round %d: a server, and a client with 4 slices of 8 (we have 1)",
             1 + by_exit);
    check(ok, name, "-");

    /* The client calls; the server then spins in the client's slices. */
    const volatile struct env_info *se = &AEGIS_EXPOSED->envs[s];
    for (int i = 0; i < ROUNDS && (sh->s_caller == 0 || se->slices_run == 0); i++)
        sys_yield(-1);
    check(sh->s_caller == (uint32_t)c && se->slices_run > 0 && sh->c_pct_rc == 0,
          "the client made a synchronous PCT: the server runs in its slices",
          "caller %lu, server slices %lu, client's PCT %ld", (unsigned long)sh->s_caller,
          (unsigned long)se->slices_run, (long)sh->c_pct_rc);

    /* In one slice of ours: the server dies, a newcomer takes its envid. */
    int32_t killed = 0;
    if (by_exit) {
        for (int i = 0; i < ROUNDS && se->state != ENV_ZOMBIE; i++)
            sys_yield(-1);
    } else {
        killed = sys_env_destroy(s, 0);
    }
    int32_t reaped = sys_env_reap(s);
    int32_t n = child_create(VA_SHARED, ppn, wcap, &slot);
    int32_t started = n > 0 ? child_start(n, n_main, 0) : -1;
    snprintf(name, sizeof name, "the server %s; a new environment gets its envid", how);
    check(killed == 0 && reaped == 0 && n == s && started == 0, name,
          "new %ld, server %ld, reap %ld", (long)n, (long)s, (long)reaped);

    uint32_t starts0 = sh->c_starts;
    int rounds = 0;
    while (rounds < ROUNDS && sh->c_starts == starts0) {
        sys_yield(-1);
        rounds++;
    }
    const volatile struct env_info *ne = &AEGIS_EXPOSED->envs[n];
    check(sh->c_starts > starts0 && sh->c_why == UPCALL_SLICE_START,
          "the client gets its slices back: entered with UPCALL_SLICE_START",
          "not run in %d rounds of ours", rounds);
    printf("# the client ran again after %d of our rounds\n", rounds);
    check(ne->slices_run == 0 && sh->n_count == 0,
          "the newcomer did not run in the client's slices",
          "it ran %lu slices, counted to %lu", (unsigned long)ne->slices_run,
          (unsigned long)sh->n_count);

    /* The newcomer was alive all along: given the CPU, it counts. */
    uint32_t count0 = sh->n_count;
    for (int i = 0; i < 4 && sh->n_count == count0; i++)
        sys_yield(n);
    check(sh->n_count > count0, "the newcomer runs when it is given the CPU", "-");
    child_end(n);
    child_end(c);
    vm_unmap(VA_SHARED);
    sys_page_free(ppn);
}

int main(void)
{
    check(sys_slice_alloc(0, 0) == 0, "we own slot 0", "-");
    round_of(0);
    round_of(1);
    return tap_done();
}
