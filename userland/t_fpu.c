/*
 * t_fpu - the FPU, lent lazily, keeps every environment's registers apart.
 *
 * This program and a raw child take turns (yield to each other, 50 times)
 * in the middle of floating-point sums kept in FPU registers.  Each turn,
 * the first floating-point instruction raises coprocessor-unusable: ExOS
 * (here) and the child's own handler answer with SYS_FPU, and the kernel
 * swaps the register sets.  Both sums must come out exactly as when
 * computed alone; a third environment that never touches the FPU must
 * never have had it loaded: it pays nothing.
 */
#include <stdint.h>

#include "child.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define TURNS       50
#define N           64

struct shared {
    double in[N];
    double result;
    volatile uint32_t parent, turn, done, fpu_faults;
};

/* The child's CpU handler: ask for the FPU and retry the instruction. */
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n   .set noat\n"
    "fpu_handler:\n"
    "   sw    $at, 0x1028($0)\n"
    "   sw    $v0, 0x102c($0)\n"
    "   sw    $v1, 0x1030($0)\n"
    "   li    $v0, 19\n"                /* SYS_FPU */
    "   syscall\n"
    "   lw    $v1, 0x1030($0)\n"
    "   lw    $v0, 0x102c($0)\n"
    "   lw    $at, 0x1034($0)\n"        /* count the faults */
    "   addiu $at, $at, 1\n"
    "   sw    $at, 0x1034($0)\n"
    "   la    $at, fpu_handler\n"
    "   sw    $at, 0x100c($0)\n"        /* re-arm */
    "   lw    $at, 0x1000($0)\n"        /* retry at EPC */
    "   jr    $at\n"
    "   lw    $at, 0x1028($0)\n"
    "   .set pop\n   .text\n");
void fpu_handler(void);
_Static_assert(SYS_FPU == 19 && XF_USER == 40, "fpu_handler's constants");

/* A sum that keeps its accumulator in an FPU register across yields. */
static CHILD double fp_sum(struct shared *sh, int turns, uint32_t other)
{
    double acc = 0;

    for (int t = 0; t < turns; t++) {
        for (int k = 0; k < N; k++)
            acc = acc * sh->in[(k + t) % N] + sh->in[k];
        if (other != 0)
            sys_yield(other);
    }
    return acc;
}

static CHILD void fp_child(uint32_t parent)
{
    struct shared *sh = (struct shared *)VA_SHARED;

    if (sys_xframe(EXOS_XF_VA) != 0)
        sys_env_destroy(0, 0);
    *(volatile uint32_t *)(EXOS_XF_VA + XF_HANDLER) = (uint32_t)fpu_handler;
    while (sh->turn == 0)
        sys_yield(parent);
    sh->result = fp_sum(sh, TURNS, parent);
    sh->fpu_faults = *(volatile uint32_t *)(EXOS_XF_VA + XF_USER + 12);
    sh->done = 1;
    sys_env_destroy(0, 0);
}

static CHILD void idle_child(uint32_t arg)
{
    (void)arg;
    for (;;)
        sys_yield(-1);
}

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct shared *sh = (struct shared *)VA_SHARED;
    int slot;

    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    for (int k = 0; k < N; k++)
        sh->in[k] = 0.5 + k / 64.0;
    /* The references, each computed alone. */
    double alone_parent = fp_sum(sh, TURNS, 0);
    for (int k = 0; k < N; k++)     /* the child works on other numbers */
        sh->in[k] = 0.25 - k / 128.0;
    double alone_child = fp_sum(sh, TURNS, 0);
    for (int k = 0; k < N; k++)
        sh->in[k] = 0.5 + k / 64.0;

    int32_t bystander = child_create(VA_SHARED, ppn, wcap, &slot);
    int32_t kid = child_create(VA_SHARED, ppn, wcap, &slot);
    check(kid > 0 && bystander > 0, "an FP child and a bystander", "-");
    child_start(bystander, idle_child, 0);
    child_start(kid, fp_child, exos_envid());
    uint32_t switches0 = AEGIS_EXPOSED->stats.fpu_switches;

    /* Take turns: the child's numbers live in a copy it makes first. */
    static double mine[N];
    for (int k = 0; k < N; k++)
        mine[k] = 0.5 + k / 64.0;
    for (int k = 0; k < N; k++)
        sh->in[k] = 0.25 - k / 128.0;
    sh->turn = 1;
    double acc = 0;
    for (int t = 0; t < TURNS; t++) {
        for (int k = 0; k < N; k++)
            acc = acc * mine[(k + t) % N] + mine[k];
        sys_yield(kid);
    }
    while (!sh->done)
        sys_yield(kid);

    check(acc == alone_parent, "our sum is exact after 50 swaps of the FPU", "-");
    check(sh->result == alone_child, "the child's sum is exact too", "-");
    uint32_t switches = AEGIS_EXPOSED->stats.fpu_switches - switches0;
    check(switches >= 2 * TURNS, "the FPU was switched at every turn", "%lu switches",
          (unsigned long)switches);
    check(sh->fpu_faults >= TURNS, "the child asked for it through its own CpU handler",
          "%lu faults", (unsigned long)sh->fpu_faults);
    check(AEGIS_EXPOSED->envs[bystander].fpu_loads == 0,
          "the environment that never used the FPU never had it loaded", "%lu",
          (unsigned long)AEGIS_EXPOSED->envs[bystander].fpu_loads);
    child_end(bystander);
    return tap_done();
}
