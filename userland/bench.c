/*
 * bench - the operations of the 1995 exokernel paper, on Aegis/ExOS, in
 * instructions per operation (docs/benchmarks.md defines each).
 *
 *   bench          the full suite (make bench; boot with -m 256 for the
 *                  largest working sets)
 *   bench quick    few iterations and small working sets (make test runs
 *                  it, so that this code cannot rot)
 *
 * Under -icount shift=0 one instruction takes 1 ns of virtual time and the
 * Count register ticks every COUNT_NS = 6 ns: instructions = ticks x 6,
 * identical on every run.  Each figure is the *least* time of several
 * equal chunks of operations, divided by the chunk's operations: a chunk
 * that a timer tick falls into (when other environments run) is slower,
 * never faster, so the least is the operation alone, loop included.
 * The kernel-only figures (refill 18, dispatch 18, PCT 30, against their
 * budgets) come from bench_core.  Output: "BENCH key value operations".
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "exos.h"
#include "mips.h"
#include "proc.h"
#include "stlbhits.h"
#include "sys.h"
#include "vm.h"

static int quick;
#define ITER(n)     (quick ? ((n) / 20 > 0 ? (n) / 20 : 1) : (n))
#define CHUNKS      5

/* Prints one figure: ticks for n operations, as instructions per op. */
static void report(const char *key, uint64_t ticks, uint32_t n)
{
    uint64_t h = (ticks * COUNT_NS * 100 + n / 2) / n;
    printf("BENCH %s %lu.%02lu %lu\n", key, (unsigned long)(h / 100), (unsigned long)(h % 100),
           (unsigned long)n);
    fflush(stdout);
}

/* The least Count ticks fn(n) took over CHUNKS runs (after one warm-up). */
static uint32_t best(void (*fn)(uint32_t), uint32_t n)
{
    uint32_t least = 0xffffffffu;

    fn(n > 10 ? n / 10 : 1);
    for (int c = 0; c < CHUNKS; c++) {
        uint32_t t0 = exos_count();
        fn(n);
        uint32_t t = exos_count() - t0;
        least = t < least ? t : least;
    }
    return least;
}

static void measure(const char *key, void (*fn)(uint32_t), uint32_t n)
{
    report(key, best(fn, n), n);
}

/* --- system call and exceptions ----------------------------------------- */

static void null_syscalls(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        register int32_t v0 __asm__("v0") = 99;         /* no such call: E_NOSYS */
        /* A call may change at, v0, v1, a0-a3, t0-t9, hi and lo (abi.h),
         * and the kernel's lean path clears them: say so. */
        __asm__ volatile("syscall" : "+r"(v0) :: "$1", "v1", "a0", "a1", "a2", "a3", "t0", "t1",
                         "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "hi", "lo", "memory");
    }
}

/* A call the kernel runs on its lean path, doing as little as a call can:
 * SYS_PAGE_RCAP of a page that does not exist (E_INVAL at its first check).
 * What it costs is the lean path's own entry and exit. */
static void lean_syscalls(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        register int32_t v0 __asm__("v0") = SYS_PAGE_RCAP;
        register uint32_t a0 __asm__("a0") = 0xffffffffu;
        __asm__ volatile("syscall" : "+r"(v0), "+r"(a0) :: "$1", "v1", "a1", "a2", "a3", "t0",
                         "t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8", "t9", "hi", "lo",
                         "memory");
    }
}

static void skip(struct exos_frame *f)
{
    exos_skip(f);
}

static void unaligned(uint32_t n)
{
    static uint32_t words[2];
    for (uint32_t i = 0; i < n; i++)
        __asm__ volatile("lw $t0, 1(%0)" :: "r"(words) : "t0", "memory");
}

static void overflow(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        __asm__ volatile("li $t0, 0x7fffffff\n\tadd $t1, $t0, $t0" ::: "t0", "t1");
}

static void breakpoint(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        __asm__ volatile("break 7" ::: "memory");
}

static void cop_unusable(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        __asm__ volatile(".set push\n\t.set hardfloat\n\tmfc1 $t0, $f0\n\t.set pop" ::: "t0");
}

static volatile uint32_t *prot_page;

static void prot_writes(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        prot_page[i & 7] = i;
}

static void exceptions(void)
{
    /* ExOS's fast class (exos_skip_fast): the handler skips the faulting
     * instruction in assembly at the entry of ExOS's exception path.
     * Coprocessor unusable first: nothing here has used the FPU yet. */
    exos_skip_fast(EXC_CPU);
    measure("exc_cpu", cop_unusable, ITER(20000));
    exos_on_exception(EXC_CPU, NULL);
    exos_skip_fast(EXC_ADEL);
    measure("exc_unaligned", unaligned, ITER(20000));
    exos_skip_fast(EXC_OV);
    measure("exc_overflow", overflow, ITER(20000));
    exos_skip_fast(EXC_BP);
    measure("exc_bp", breakpoint, ITER(20000));
    /* The same breakpoint to a C handler on the full path, which saves and
     * restores every register. */
    exos_on_exception(EXC_BP, skip);
    measure("exc_bp_full", breakpoint, ITER(20000));

    prot_page = malloc(2 * PAGE_SIZE);
    prot_page = (uint32_t *)(((uint32_t)prot_page + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
    prot_page[0] = 1;
    vm_on_protfault(skip);
    vm_protect((uint32_t)prot_page, PAGE_SIZE, VM_READ);
    measure("exc_prot", prot_writes, ITER(20000));
    vm_protect((uint32_t)prot_page, PAGE_SIZE, VM_RW);
}

/* --- TLB refill served by ExOS's page table ------------------------------ */

#define WSET_MAX    32768               /* pages: 4 x the STLB's 8192 */
static volatile uint32_t *wset;

static void touch_pages(uint32_t pages)
{
    for (uint32_t p = 0; p < pages; p++)
        (void)wset[p * 1024];
}

static void working_sets(void)
{
    static const uint32_t sizes[] = { 16, 64, 512, 2048, 8192, 16384, 32768 };
    uint32_t most = quick ? 2048 : WSET_MAX;
    const volatile struct env_info *me = &AEGIS_EXPOSED->envs[exos_envid()];

    wset = malloc((most + 1) * PAGE_SIZE);
    if (wset == NULL) {
        printf("bench: no memory for %lu pages\n", (unsigned long)most);
        return;
    }
    for (uint32_t p = 0; p < most; p++)
        wset[p * 1024] = p;
    for (unsigned s = 0; s < sizeof sizes / sizeof sizes[0] && sizes[s] <= most; s++) {
        uint32_t n = sizes[s];
        touch_pages(n);                         /* warm: the steady state */
        uint32_t h0 = stlb_hits(), m0 = me->stlb_misses, pt0 = vm_stats.refills;
        uint32_t t0 = exos_count();
        touch_pages(n);
        uint32_t t = exos_count() - t0;
        uint32_t hits = stlb_hits() - h0, misses = me->stlb_misses - m0;
        uint32_t walks = vm_stats.refills - pt0;
        char key[40];
        snprintf(key, sizeof key, "scale_refill_%lu", (unsigned long)n);
        report(key, t, n);
        printf("BENCH scale_stlbhit_%lu %lu.%02lu %lu\n", (unsigned long)n,
               (unsigned long)(hits + misses ? hits * 100ull / (hits + misses) : 100),
               (unsigned long)(hits + misses ? hits * 10000ull / (hits + misses) % 100 : 0),
               (unsigned long)(hits + misses));
        (void)walks;
    }
}

/*
 * A TLB refill the STLB cannot serve, served by ExOS's page table: pairs of
 * page pairs 32 MiB apart share an STLB entry ((VPN2 ^ ASID) & 4095), so
 * touching A0 B0 A1 B1 ... evicts each from the STLB just before it is
 * needed again; 2 x 200 pairs are more than QEMU's TLB keeps (shadows
 * included).  Every access is then a refill miss, an exception to ExOS, a
 * walk of its table, a binding, and the retry: the cost per walk.
 */
#define CLASH_PAIRS 200
#define CLASH_A     0x20000000u
#define CLASH_B     (CLASH_A + 0x02000000u)

static void clash_touch(uint32_t rounds)
{
    for (uint32_t r = 0; r < rounds; r++)
        for (uint32_t i = 0; i < CLASH_PAIRS; i++) {
            (void)*(volatile uint32_t *)(CLASH_A + i * 2 * PAGE_SIZE);
            (void)*(volatile uint32_t *)(CLASH_B + i * 2 * PAGE_SIZE);
        }
}

static void stlb_miss_refills(void)
{
    for (uint32_t i = 0; i < 2 * CLASH_PAIRS; i++) {
        uint32_t cap, va = (i & 1 ? CLASH_B : CLASH_A) + (i / 2) * 2 * PAGE_SIZE;
        int32_t ppn = sys_page_alloc(-1, &cap);
        if (ppn < 0 || vm_map(va, ppn, cap, PTE_W | PTE_DIRTY) < 0) {
            printf("bench: cannot map its pages\n");
            return;
        }
    }
    uint32_t rounds = quick ? 2 : 20, least = 0xffffffffu, walks = 0;
    clash_touch(1);
    for (int c = 0; c < CHUNKS; c++) {
        uint32_t w0 = vm_stats.refills, t0 = exos_count();
        clash_touch(rounds);
        uint32_t t = exos_count() - t0;
        if (t < least)
            least = t, walks = vm_stats.refills - w0;
    }
    if (walks > 0)
        report("tlb_refill_miss_pt", least, walks);
    printf("bench: (%lu of %lu accesses went to ExOS's page table)\n", (unsigned long)walks,
           (unsigned long)(rounds * 2 * CLASH_PAIRS));
}

/* --- protected control transfer and yield -------------------------------- */

#define VA_SHARED   0x30000000u

/* Server entry: straight back to the caller (v1), asynchronously. */
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "bench_echo:\n"
    "   li    $v0, 0\n"
    "   syscall\n"
    "   .set pop\n   .text\n");
void bench_echo(void);

static CHILD void server_main(uint32_t arg)
{
    (void)arg;
    if (sys_xframe(EXOS_XF_VA) == 0) {
        *(volatile uint32_t *)(EXOS_XF_VA + XF_PCT) = (uint32_t)bench_echo;
        *(volatile uint32_t *)VA_SHARED = 1;
    }
    for (;;)
        sys_yield(-1);
}

/* A child that only gives its CPU back: to arg, or to anyone with -1. */
static CHILD void yielder_main(uint32_t arg)
{
    for (;;)
        sys_yield(arg);
}

/* n round trips to target, each a PCT of kind v0 (1 sync, 0 async) out
 * and an asynchronous one back (our entry: label 1). */
void pct_rounds(uint32_t target, uint32_t n, uint32_t kind);
__asm__(
    "   .text\n   .set push\n   .set noreorder\n   .set noat\n"
    "pct_rounds:\n"
    "   addiu $sp, $sp, -16\n   sw $s0, 0($sp)\n   sw $s1, 4($sp)\n   sw $s2, 8($sp)\n"
    "   la    $at, 1f\n   sw $at, 0x1010($0)\n"
    "   move  $s0, $a0\n   move $s1, $a1\n   move $s2, $a2\n"
    "0: beqz  $s1, 9f\n"
    "   addiu $s1, $s1, -1\n"
    "   move  $v1, $s0\n"
    "   move  $v0, $s2\n"
    "   syscall\n"
    "1: b     0b\n"
    "   nop\n"
    "9: sw    $0, 0x1010($0)\n   sw $0, 0x1014($0)\n"
    "   lw    $s0, 0($sp)\n   lw $s1, 4($sp)\n   lw $s2, 8($sp)\n"
    "   jr    $ra\n   addiu $sp, $sp, 16\n"
    "   .set pop\n");

static int32_t server, peer;
static uint32_t pct_kind;

static void pct_run(uint32_t n)
{
    pct_rounds(server, n, pct_kind);
}

static void yields(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        sys_yield(peer);
}

static int32_t start_child(void (*fn)(uint32_t), uint32_t arg, int32_t ppn, uint32_t cap)
{
    int slot;
    int32_t c = child_create(VA_SHARED, ppn, cap, &slot);

    if (c > 0 && child_start(c, fn, arg) < 0)
        return -1;
    return c;
}

static void transfers(void)
{
    uint32_t cap;
    int32_t ppn = sys_page_alloc(-1, &cap);

    if (ppn < 0 || vm_map(VA_SHARED, ppn, cap, PTE_W | PTE_DIRTY) < 0 ||
        (server = start_child(server_main, 0, ppn, cap)) <= 0) {
        printf("bench: no server environment\n");
        return;
    }
    while (*(volatile uint32_t *)VA_SHARED == 0)
        sys_yield(server);

    uint32_t n = ITER(20000);
    pct_kind = 1;
    uint32_t t = best(pct_run, n);
    report("pct_rt_sync", t, n);
    report("pct_oneway_sync", t, 2 * n);
    pct_kind = 0;
    t = best(pct_run, n);
    report("pct_rt_async", t, n);
    report("pct_oneway_async", t, 2 * n);

    /* yield: to a peer that yields straight back; two yields a round. */
    peer = start_child(yielder_main, exos_envid(), ppn, cap);
    if (peer > 0) {
        report("yield", best(yields, ITER(5000)), 2 * ITER(5000));
        child_end(peer);
    }

    /* The round trip again with more environments alive (each only gives
     * its CPU back when it gets it). */
    static const int alive[] = { 2, 8, 32, 64 };
    int32_t extra[NENV];
    int nextra = 0;
    pct_kind = 1;
    for (unsigned a = 0; a < sizeof alive / sizeof alive[0]; a++) {
        int want = alive[a] - 2;                /* us and the server */
        while (nextra < want) {
            int32_t c = start_child(yielder_main, (uint32_t)-1, ppn, cap);
            if (c <= 0)
                break;
            extra[nextra++] = c;
        }
        if (nextra < want)
            break;
        char key[32];
        snprintf(key, sizeof key, "scale_pct_rt_%d", alive[a]);
        report(key, best(pct_run, ITER(5000)), ITER(5000));
    }
    while (nextra > 0)
        child_end(extra[--nextra]);
    child_end(server);
}

/* --- virtual memory: the Appel-Li primitives ----------------------------- */

static volatile uint32_t *vmr;          /* 100 pages */

static void dirty_queries(uint32_t n)
{
    int d = 0;
    for (uint32_t i = 0; i < n; i++)
        d += vm_dirty((uint32_t)vmr + (i & 63) * PAGE_SIZE);
    (void)d;
}

static void prot1(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        vm_protect((uint32_t)vmr + (i & 63) * PAGE_SIZE, PAGE_SIZE, VM_READ);
}

static uint32_t t_prot100, t_unprot100;

static void prot100_pairs(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        uint32_t t0 = exos_count();
        vm_protect((uint32_t)vmr, 100 * PAGE_SIZE, VM_READ);
        uint32_t t1 = exos_count();
        vm_protect((uint32_t)vmr, 100 * PAGE_SIZE, VM_RW);
        t_prot100 += t1 - t0;
        t_unprot100 += exos_count() - t1;
    }
}

static void unprotect_handler(struct exos_frame *f)
{
    vm_protect(f->badvaddr & ~(PAGE_SIZE - 1), PAGE_SIZE, VM_RW);
}

static void appel1(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        volatile uint32_t *p = vmr + (i % 100) * 1024;
        vm_protect((uint32_t)p, PAGE_SIZE, VM_READ);
        *p = i;                         /* traps; the handler unprotects */
    }
}

static void appel2(uint32_t n)
{
    for (uint32_t r = 0; r < n / 100; r++) {
        vm_protect((uint32_t)vmr, 100 * PAGE_SIZE, VM_READ);
        for (uint32_t i = 0; i < 100; i++)
            vmr[i * 1024] = i;          /* each traps once */
    }
}

static void vm_suite(void)
{
    vmr = malloc(101 * PAGE_SIZE);
    vmr = (uint32_t *)(((uint32_t)vmr + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1));
    for (int p = 0; p < 100; p++)
        vmr[p * 1024] = p;

    measure("vm_dirty", dirty_queries, ITER(20000));
    measure("vm_prot1", prot1, ITER(5000));
    vm_protect((uint32_t)vmr, 100 * PAGE_SIZE, VM_RW);

    uint32_t n = ITER(200);
    prot100_pairs(n / 10);              /* warm up */
    uint32_t best_p = 0xffffffffu, best_u = 0xffffffffu;
    for (int c = 0; c < CHUNKS; c++) {
        t_prot100 = t_unprot100 = 0;
        prot100_pairs(n);
        best_p = t_prot100 < best_p ? t_prot100 : best_p;
        best_u = t_unprot100 < best_u ? t_unprot100 : best_u;
    }
    report("vm_prot100", best_p, n);
    report("vm_unprot100", best_u, n);

    /* trap: a write to a protected page, to the handler and back (the
     * handler skips the store, so the page stays protected). */
    vm_on_protfault(skip);
    prot_page[0] = 1;
    vm_protect((uint32_t)prot_page, PAGE_SIZE, VM_READ);
    measure("vm_trap", prot_writes, ITER(20000));
    vm_protect((uint32_t)prot_page, PAGE_SIZE, VM_RW);

    vm_on_protfault(unprotect_handler);
    measure("vm_appel1", appel1, ITER(5000));
    report("vm_appel2", best(appel2, quick ? 100 : 5000), quick ? 100 : 5000);
    vm_on_protfault(NULL);
}

/* --- processes ------------------------------------------------------------ */

static void fork_wait(uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        int pid = fork();
        if (pid == 0)
            _exit(0);
        waitpid(pid, NULL, 0);
    }
}

static void spawn_wait(uint32_t n)
{
    char *argv[] = { "exitcode", NULL };
    for (uint32_t i = 0; i < n; i++) {
        int pid = exos_spawn("exitcode", argv);
        if (pid > 0)
            waitpid(pid, NULL, 0);
    }
}

int main(int argc, char **argv)
{
    quick = argc > 1 && strcmp(argv[1], "quick") == 0;
    printf("bench: instructions per operation%s (docs/benchmarks.md)\n",
           quick ? ", quick run" : "");
    measure("null_syscall", null_syscalls, ITER(20000));
    measure("syscall_lean", lean_syscalls, ITER(20000));
    exceptions();
    stlb_miss_refills();
    transfers();
    vm_suite();
    measure("proc_forkwait", fork_wait, ITER(200));
    measure("proc_spawn", spawn_wait, ITER(100));
    working_sets();
    printf("bench: done\n");
    return 0;
}
