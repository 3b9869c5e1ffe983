/*
 * bench_core - the two fastest paths of the kernel, measured against their
 * instruction budgets:
 *   - TLB refill served from the STLB (budget 18, vector to eret);
 *   - exception dispatch to a user handler (budget 18, vector to eret);
 *   - the null system call, a number no call has (budget 19, vector to eret).
 *
 * Run under QEMU with -icount shift=0: one guest instruction per ns of
 * virtual time, and the Count register (read with rdhwr) advances once per
 * COUNT_NS = 6 ns, so instructions = Count ticks x 6, the same on every run.
 *
 * Each figure is a difference of two loops that differ only in the event
 * measured, divided by the number of events:
 *   refill:    touching 512 page pairs in turn (the TLB misses often, the
 *              STLB always hits) minus touching 4 pairs (the TLB always
 *              hits) with the same loop, the same number of times, divided
 *              by the refills the kernel counted (the hit counters in the
 *              exposed STLB).  What is left is the refill handler alone:
 *              QEMU does not count the faulting attempt of a load, and
 *              counts its retry in both loops.  Why 512 and not 17: QEMU
 *              keeps up to 128 entries that tlbwr replaced as hidden
 *              "shadow" entries, which go on hitting until a tlbwi or an
 *              ASID change; a real 24Kf would miss far more often.
 *   dispatch:  a loop with `break` minus the same loop with `nop`, minus
 *              the minimal handler below (its instructions counted from the
 *              listing); `break` and `nop` cancel.
 *   PCT:       round trips to a server environment, minus the client's and
 *              the server's instructions (from the listings), halved.
 */
#include <stdint.h>
#include <stdio.h>

#include "child.h"
#include "exos.h"
#include "stlbhits.h"
#include "sys.h"
#include "vm.h"

#define INSNS_PER_TICK  6       /* COUNT_NS at -icount shift=0 */
#define PAIRS_MANY      512
#define PAIRS_FEW       4
#define ACCESSES        (PAIRS_MANY * 40)
#define BREAKS          20000
#define AREA            0x20000000u

/* Makes n accesses, cycling over the first `pairs` page pairs (a power of
 * two: the loop is the same instructions whatever it is); returns the
 * Count ticks taken. */
static uint32_t touch(uint32_t pairs, int n)
{
    uint32_t t0 = exos_count();
    for (int i = 0; i < n; i++)
        (void)*(volatile uint32_t *)(AREA + ((i & (pairs - 1)) << (PAGE_SHIFT + 1)));
    return exos_count() - t0;
}

/*
 * The minimal handler: 10 instructions, no branches but the return.  It
 * uses ExOS's scratch words in page 1 and skips the `break`.
 */
#define HANDLER_INSNS 10
_Static_assert(EXOS_XF_VA + XS_AT == 0x1028 && EXOS_XF_VA + XS_RESUME == 0x1030,
               "bench_handler's offsets");
__asm__(
    "   .text\n   .set push\n   .set noreorder\n   .set noat\n"
    "bench_handler:\n"
    "   sw    $at, 0x1028($0)\n"        /* XS_AT */
    "   lw    $at, 0x1000($0)\n"        /* XF_EPC */
    "   addiu $at, $at, 4\n"
    "   sw    $at, 0x1030($0)\n"        /* XS_RESUME */
    "   lui   $at, %hi(bench_handler)\n"
    "   addiu $at, $at, %lo(bench_handler)\n"
    "   sw    $at, 0x100c($0)\n"        /* re-arm XF_HANDLER */
    "   lw    $at, 0x1030($0)\n"
    "   jr    $at\n"
    "   lw    $at, 0x1028($0)\n"
    "   .set pop\n");
void bench_handler(void);

static uint32_t loop_break(int n)
{
    uint32_t t0 = exos_count();
    for (int i = 0; i < n; i++)
        __asm__ volatile("break 5\n\tnop" ::: "memory");
    return exos_count() - t0;
}

/* The null system call: a number no call has, which the kernel refuses at
 * the vector.  The loop is loop_nop's with `syscall` for the first nop, so
 * the difference is what the kernel ran (QEMU counts the `syscall` itself
 * as executed, like the nop it replaces). */
static uint32_t loop_nosys(int n)
{
    uint32_t t0 = exos_count();
    for (int i = 0; i < n; i++) {
        register uint32_t v0 __asm__("v0") = 99;
        __asm__ volatile("syscall\n\tnop" : "+r"(v0) :: "$1", "v1", "a0", "a1", "a2", "a3", "t0",
                         "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "hi", "lo",
                         "memory");
    }
    return exos_count() - t0;
}

static uint32_t loop_nop(int n)
{
    uint32_t t0 = exos_count();
    for (int i = 0; i < n; i++)
        __asm__ volatile("nop\n\tnop" ::: "memory");
    return exos_count() - t0;
}

/*
 * Protected control transfer: a server whose PCT entry transfers straight
 * back (1 instruction and the syscall), and a client loop of 7 instructions
 * and the syscall.  Each round trip is two one-way transfers.  QEMU counts
 * a `syscall` (or `break`) as executed - it raises its exception by design -
 * but not a load or store that faults in the TLB; so the user instructions
 * of a round trip are 7 + 1 + the two syscalls.
 */
#define PCT_ROUNDS      20000
#define PCT_USER_INSNS  10
#define VA_SHARED       0x30000000u

__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "bench_server:\n"
    "   li    $v0, 0\n"                 /* SYS_PCT_ASYNC back to v1, the caller */
    "   syscall\n"
    "   .set pop\n   .text\n");
void bench_server(void);

static CHILD void server_main(uint32_t arg)
{
    (void)arg;
    if (sys_xframe(EXOS_XF_VA) == 0) {
        *(volatile uint32_t *)(EXOS_XF_VA + XF_PCT) = (uint32_t)bench_server;
        *(volatile uint32_t *)VA_SHARED = 1;
    }
    for (;;)
        sys_yield(-1);
}

/* n synchronous round trips to target (our entry: label 1; XF_PCT at 0x1010). */
void pct_loop(uint32_t target, uint32_t n);
__asm__(
    "   .text\n   .set push\n   .set noreorder\n   .set noat\n"
    "pct_loop:\n"
    "   addiu $sp, $sp, -16\n   sw $s0, 0($sp)\n   sw $s1, 4($sp)\n"
    "   la    $at, 1f\n   sw $at, 0x1010($0)\n"
    "   move  $s0, $a0\n   move $s1, $a1\n"
    "0: beqz  $s1, 9f\n"                /* 1 */
    "   nop\n"                          /* 2 */
    "   addiu $s1, $s1, -1\n"           /* 3 */
    "   move  $v1, $s0\n"               /* 4 */
    "   li    $v0, 1\n"                 /* 5: SYS_PCT_SYNC */
    "   syscall\n"
    "1: b     0b\n"                     /* 6 */
    "   nop\n"                          /* 7 */
    "9: sw    $0, 0x1010($0)\n   sw $0, 0x1014($0)\n"
    "   lw    $s0, 0($sp)\n   lw $s1, 4($sp)\n"
    "   jr    $ra\n   addiu $sp, $sp, 16\n"
    "   .set pop\n");

/* Prints hundredths of an instruction (rounded to the nearest) as x.yy,
 * and the same as a BENCH line for make bench (scripts/bench-report.py). */
static void row(const char *what, const char *key, uint64_t hundredths, int budget, uint32_t events)
{
    printf("%-44s %4lu.%02lu instructions  (budget %d; %lu events)\n", what,
           (unsigned long)(hundredths / 100), (unsigned long)(hundredths % 100), budget,
           (unsigned long)events);
    printf("BENCH %s %lu.%02lu %lu\n", key, (unsigned long)(hundredths / 100),
           (unsigned long)(hundredths % 100), (unsigned long)events);
}

int main(void)
{
    /* Map the pages the refill loops touch: the even page of each pair. */
    for (int p = 0; p < PAIRS_MANY; p++) {
        uint32_t cap;
        int32_t ppn = sys_page_alloc(-1, &cap);
        if (ppn < 0 || vm_map(AREA + p * 2 * PAGE_SIZE, ppn, cap, PTE_W | PTE_DIRTY) < 0) {
            printf("bench_core: cannot map its pages\n");
            return 1;
        }
    }
    touch(PAIRS_MANY, 2 * PAIRS_MANY);          /* warm up: all in the STLB */
    touch(PAIRS_FEW, PAIRS_FEW);

    uint32_t r0 = stlb_hits();
    uint32_t many = touch(PAIRS_MANY, ACCESSES);
    uint32_t nref = stlb_hits() - r0;
    uint32_t few = touch(PAIRS_FEW, ACCESSES);
    uint32_t r1 = stlb_hits() - r0 - nref;        /* should stay 0 */
    int64_t refill_ticks = (int64_t)many - few;
    row("TLB refill, STLB hit (vector to eret)", "tlb_refill_hit",
        nref ? (uint64_t)((refill_ticks * INSNS_PER_TICK * 100 + nref / 2) / nref) : 0, 18, nref);
    if (r1 != 0)
        printf("  (note: %lu refills in the small loop)\n", (unsigned long)r1);

    /* Dispatch: swap in the minimal handler, measure, put ExOS's back. */
    volatile uint32_t *handler = (uint32_t *)(EXOS_XF_VA + XF_HANDLER);
    uint32_t saved = *handler;
    *handler = (uint32_t)bench_handler;
    uint32_t with = loop_break(BREAKS);
    *handler = saved;
    uint32_t without = loop_nop(BREAKS);
    int64_t per = (((int64_t)with - without) * INSNS_PER_TICK * 100 + BREAKS / 2) / BREAKS
                  - HANDLER_INSNS * 100;
    row("exception dispatch to user (vector to eret)", "exc_dispatch_kernel", (uint64_t)per, 18,
        BREAKS);
    printf("  (round trip with the %d-instruction handler: %lu.%02lu)\n", HANDLER_INSNS,
           (unsigned long)((per + HANDLER_INSNS * 100) / 100),
           (unsigned long)((per + HANDLER_INSNS * 100) % 100));

    /* The null system call, vector to eret. */
    uint32_t nosys = loop_nosys(BREAKS);
    uint32_t plain = loop_nop(BREAKS);
    int64_t nper = (((int64_t)nosys - plain) * INSNS_PER_TICK * 100 + BREAKS / 2) / BREAKS;
    row("null system call (vector to eret)", "null_syscall_kernel", (uint64_t)nper, 19, BREAKS);

    /* PCT: a server environment, then round trips. */
    uint32_t scap = 0;
    int32_t sppn = sys_page_alloc(-1, &scap);
    int slot;
    if (sppn < 0 || vm_map(VA_SHARED, sppn, scap, PTE_W | PTE_DIRTY) < 0) {
        printf("bench_core: no shared page\n");
        return 1;
    }
    int32_t server = child_create(VA_SHARED, sppn, scap, &slot);
    if (server <= 0 || child_start(server, server_main, 0) < 0) {
        printf("bench_core: no server environment\n");
        return 1;
    }
    while (*(volatile uint32_t *)VA_SHARED == 0)
        sys_yield(server);
    pct_loop(server, 100);                      /* warm up the TLB */
    uint32_t t0 = exos_count();
    pct_loop(server, PCT_ROUNDS);
    uint32_t rt = exos_count() - t0;
    int64_t rt100 = ((int64_t)rt * INSNS_PER_TICK * 100 + PCT_ROUNDS / 2) / PCT_ROUNDS;
    row("protected control transfer, one way (kernel)", "pct_oneway_kernel",
        (uint64_t)(rt100 - PCT_USER_INSNS * 100) / 2, 30, PCT_ROUNDS * 2);
    printf("  (synchronous round trip with a 1-instruction server: %lu.%02lu)\n",
           (unsigned long)(rt100 / 100), (unsigned long)(rt100 % 100));
    child_end(server);
    return 0;
}
