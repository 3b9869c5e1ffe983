/*
 * lbench - the Linux peer of the Aegis/ExOS benchmark suite.
 *
 * Runs as /init of an initramfs on Debian's Linux 6.1 for the Malta board,
 * under qemu-system-mipsel -M malta -icount shift=0,sleep=off (see
 * scripts/linux-peer.sh and docs/benchmarks.md).  It prints one line
 *
 *     BENCH <key> <instructions per operation> <iterations>
 *
 * per operation, then reboots (with QEMU's -no-reboot that ends the run).
 *
 * Time: `rdhwr $2` reads the CP0 Count register from user mode (Linux sets
 * HWREna.CC on MIPS32r2).  Count advances once every 6 ns of virtual time,
 * and under -icount shift=0 virtual time advances 1 ns per instruction, so
 * one Count tick is 6 guest instructions: instructions = ticks x 6.  The
 * calibration loop below, of a known instruction count, checks that factor
 * on every boot and prints what it saw (a little under 6 because the timer
 * interrupts of Linux run during it).
 *
 * Every figure is a whole-machine figure: everything the CPU executed
 * between the two reads of Count (kernel, other processes, timer
 * interrupts), divided by the number of operations.  Each benchmark is
 * warmed up, then repeated LBENCH_REPS times (default 15) and the median is
 * printed; the individual repetitions follow on a "#" line.
 *
 * A repetition is short: about a million instructions, a quarter of the
 * 4 ms between two ticks of Linux's 250 Hz timer.  Most repetitions then
 * see nothing but the operation, and the median leaves out the few that a
 * tick fell into.  That matters: a tick here costs from 10,000 to 300,000
 * instructions (timers, RCU, the scheduler, the kernel threads it wakes),
 * and repetitions of 10 million instructions made vm_trap 12 % dearer.  The
 * Aegis/ExOS program does the same (the least of several short chunks), so
 * both sides report the operation without the periodic work of the system.
 *
 * Knobs (the kernel hands unknown name=value boot arguments to /init as
 * environment variables):
 *     LBENCH_SCALE=0.1   multiply every iteration count (quick runs)
 *     LBENCH_REPS=9      repetitions per benchmark (at most 31)
 *     LBENCH_ONLY=vm     run only the groups whose names contain this
 *
 * The benchmarks run in children of /init (the kernel logs the faults of
 * pid 1), one child per group, so that a group starts from a small process
 * and a crash in one group does not stop the others.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmips.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#define INSNS_PER_TICK  6       /* Count period 6 ns, 1 ns per insn at shift=0 */
#define PAGE            4096u
#define MAX_REPS        31

extern char **environ;

static double scale = 1.0;
static int reps = 15;
static const char *only = "";

/* ------------------------------------------------------------------ time */

static inline uint32_t count(void)
{
    uint32_t v;
    __asm__ volatile(".set push\n\t.set mips32r2\n\trdhwr %0, $2\n\t.set pop"
                     : "=r"(v) : : "memory");
    return v;
}

static unsigned iters(unsigned n)
{
    double v = n * scale;
    return v < 1 ? 1 : (unsigned)v;
}

/* The warm-up of a benchmark of n iterations; the operations run in all. */
static unsigned warm(unsigned n)
{
    return n / 10 ? n / 10 : 1;
}

static unsigned total_ops(unsigned n)
{
    return iters(n) * reps + warm(iters(n));
}

static double per_op(uint32_t ticks, unsigned n)
{
    return (double)ticks * INSNS_PER_TICK / n;
}

/*
 * A few instructions that shift where the next timed region starts relative
 * to the 6-instruction Count tick, so that a region timed on its own (an
 * mprotect call between two reads of Count) does not always start at the
 * same phase of the tick: the rounding of each reading then averages out
 * instead of biasing the sum by up to one tick.
 */
static void dither(unsigned i)
{
    for (unsigned k = i % 5; k; k--)
        __asm__ volatile("" ::: "memory");
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    double s[MAX_REPS];
    memcpy(s, v, n * sizeof *s);
    qsort(s, n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void print_result(const char *key, double *v, int n, unsigned iterations)
{
    printf("BENCH %s %.2f %u\n", key, median(v, n), iterations);
    printf("# %s reps:", key);
    for (int i = 0; i < n; i++)
        printf(" %.2f", v[i]);
    printf("\n");
    fflush(stdout);
}

/* One untimed warm-up of a tenth of the iterations (first-touch page
 * faults, copy-on-write after the fork of the group, caches of the kernel's
 * allocators), then fn(n) `reps` times; prints the median.  (Nothing here
 * lets the guest idle: under -icount sleep=off an idle guest has been seen
 * to hang QEMU 7.2 when the host is busy.) */
static void run(const char *key, double (*fn)(unsigned), unsigned n)
{
    double v[MAX_REPS];
    n = iters(n);
    fn(warm(n));
    for (int r = 0; r < reps; r++)
        v[r] = fn(n);
    print_result(key, v, reps, n);
}

static void die(const char *what)
{
    printf("lbench: %s: %s\n", what, strerror(errno));
    fflush(stdout);
    _exit(1);
}

/* --------------------------------------------------------- calibration */

/* 100 instructions per iteration: the decrement, 97 nops, the branch and
 * its delay slot. */
#define CALIB_INSNS_PER_ITER 100
static void calib_loop(unsigned n)
{
    __asm__ volatile(".set push\n\t.set noreorder\n"
                     "1:\taddiu %0, %0, -1\n"
                     "\t.rept 97\n\tnop\n\t.endr\n"
                     "\tbnez %0, 1b\n"
                     "\tnop\n"
                     "\t.set pop"
                     : "+r"(n) : : "memory");
}

static void group_calibrate(void)
{
    unsigned n = 100000;
    uint32_t t0 = count();
    calib_loop(n);
    uint32_t t = count() - t0;
    double insns = (double)n * CALIB_INSNS_PER_ITER;
    printf("CALIB loop of %.0f instructions: %u Count ticks, %.4f instructions per tick "
           "(the figures use %d)\n", insns, t, insns / t, INSNS_PER_TICK);
    fflush(stdout);
}

/* ------------------------------------------------------------ syscalls */

static double b_null_syscall(unsigned n)
{
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++)
        syscall(SYS_getpid);
    return per_op(count() - t0, n);
}

static void group_syscall(void)
{
    run("null_syscall", b_null_syscall, 4000);
}

/* ---------------------------------------------------------- exceptions */

/*
 * Every exception benchmark takes the exception in a loop; the signal
 * handler resumes the program after the faulting instruction by advancing
 * the PC saved in the ucontext by 4 (none of the faulting instructions is
 * in a branch delay slot: each sits in an asm block of two or more
 * instructions, which GCC never puts in a delay slot), so no siglongjmp and
 * no extra system call is involved: the cost is the kernel's exception
 * path, the signal delivery, the handler and sigreturn.
 */
static volatile unsigned handled;

static void skip_handler(int sig, siginfo_t *si, void *ctx)
{
    (void)sig; (void)si;
    ucontext_t *uc = ctx;
    uc->uc_mcontext.pc += 4;
    handled++;
}

static void on_signal(int sig, void (*h)(int, siginfo_t *, void *))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = h;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) < 0)
        die("sigaction");
}

static char ubuf[16] __attribute__((aligned(8)));

/* An unaligned lw: address error exception. */
static double b_unaligned(unsigned n)
{
    volatile char *p = ubuf + 1;
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++) {
        unsigned v;
        __asm__ volatile("nop\n\tlw %0, 0(%1)" : "=r"(v) : "r"(p) : "memory");
    }
    return per_op(count() - t0, n);
}

/* add of 0x7fffffff + 1: integer overflow exception, SIGFPE. */
static double b_overflow(unsigned n)
{
    int a = 0x7fffffff, b = 1;
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++) {
        int r;
        __asm__ volatile("nop\n\tadd %0, %1, %2" : "=r"(r) : "r"(a), "r"(b) : "memory");
    }
    return per_op(count() - t0, n);
}

/* mfc0 in user mode: coprocessor unusable (CP0), SIGILL. */
static double b_cpu(unsigned n)
{
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++) {
        unsigned v;
        __asm__ volatile("nop\n\tmfc0 %0, $12" : "=r"(v) : : "memory");
    }
    return per_op(count() - t0, n);
}

/* A store to a read-only page: TLB modified exception, SIGSEGV. */
static volatile uint32_t *ro_page;
static double b_prot(unsigned n)
{
    volatile uint32_t *p = ro_page;
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++)
        __asm__ volatile("nop\n\tsw $0, 0(%0)" : : "r"(p) : "memory");
    return per_op(count() - t0, n);
}

/* break: breakpoint exception, SIGTRAP. */
static double b_bp(unsigned n)
{
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++)
        __asm__ volatile("nop\n\tbreak" : : : "memory");
    return per_op(count() - t0, n);
}

static void check_handled(const char *key, unsigned expect)
{
    if (handled != expect)
        printf("# WARNING %s: %u signals handled, expected %u\n", key, handled, expect);
}

static void run_exc(const char *key, double (*fn)(unsigned), unsigned n)
{
    handled = 0;
    run(key, fn, n);
    check_handled(key, total_ops(n));
}

static void group_exceptions(void)
{
    const unsigned n = 200;

    on_signal(SIGBUS, skip_handler);
    on_signal(SIGFPE, skip_handler);
    on_signal(SIGILL, skip_handler);
    on_signal(SIGSEGV, skip_handler);
    on_signal(SIGTRAP, skip_handler);

    /* By default Linux/MIPS emulates an unaligned access in the kernel and
     * the program never sees it.  sysmips(MIPS_FIXADE, 0) turns that off for
     * this thread: the address error then arrives as SIGBUS. */
    handled = 0;
    run("exc_unaligned_fixup", b_unaligned, 20 * n);
    if (handled)
        printf("# WARNING: the kernel's unaligned fixup sent %u signals\n", handled);
    if (syscall(SYS_sysmips, MIPS_FIXADE, 0, 0) < 0)
        die("sysmips(MIPS_FIXADE, 0)");
    run_exc("exc_unaligned", b_unaligned, n);

    run_exc("exc_overflow", b_overflow, n);
    run_exc("exc_cpu", b_cpu, n);

    ro_page = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (ro_page == MAP_FAILED)
        die("mmap");
    ro_page[0] = 1;                     /* resident and dirty */
    if (mprotect((void *)ro_page, PAGE, PROT_READ) < 0)
        die("mprotect");
    run_exc("exc_prot", b_prot, n);

    run_exc("exc_bp", b_bp, n);
}

/* ----------------------------------------------------------------- TLB */

/*
 * Page touches with a working set of P pages (stride one page, P a power of
 * two so that the loop is the same instructions whatever P is), after one
 * untimed pass that brings the set into whatever the TLB holds.
 *
 * The 24Kf's TLB has 16 entries, each mapping an even/odd pair of pages,
 * and Linux's refill handler loads both halves of a pair.  QEMU also keeps
 * up to 128 entries that tlbwr evicted as hidden extra entries which go on
 * hitting until an ASID change or a tlbwi.  So with P pages and no flush,
 * a pass misses about P/2 - E times, E being the pairs QEMU still holds
 * (about 128).  Touches per pass: P.  So for P well past the TLB
 *
 *     insns/touch(P) = loop + (c/2) - c E / P
 *
 * where c is the cost of one refill (exception vector to eret, with QEMU's
 * retry of the load counted in the loop).  A least-squares line through the
 * points P >= 1024 against 1/P gives c/2 + loop (intercept) and c E (slope);
 * `loop` is insns/touch at P = 16, where the set fits the TLB.
 */
#define TLB_MAX_PAGES 32768u            /* 128 MiB of the 256 */
static volatile uint32_t *tlb_area;

static uint32_t touch(unsigned pages, unsigned n)
{
    volatile uint32_t *a = tlb_area;
    unsigned mask = pages - 1;
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++)
        (void)a[(i & mask) * (PAGE / 4)];
    return count() - t0;
}

static void group_tlb(void)
{
    static const unsigned sizes[] = { 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192,
                                      16384, 32768 };
    const int nsizes = sizeof sizes / sizeof sizes[0];
    double fig[sizeof sizes / sizeof sizes[0]];
    unsigned n = iters(65536);

    unsigned most = TLB_MAX_PAGES;
    while ((tlb_area = mmap(NULL, most * PAGE, PROT_READ | PROT_WRITE,
                            MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0)) == MAP_FAILED) {
        if (most <= 2048)
            die("mmap");
        most /= 2;
    }
    if (most < TLB_MAX_PAGES)
        printf("# tlb: only %u pages could be mapped\n", most);
    for (unsigned p = 0; p < most; p++)
        tlb_area[p * (PAGE / 4)] = p;   /* resident, dirty, PTE valid */

    for (int s = 0; s < nsizes && sizes[s] <= most; s++) {
        double v[MAX_REPS];
        unsigned m = n < sizes[s] ? sizes[s] : n;
        for (int r = 0; r < reps; r++) {
            touch(sizes[s], sizes[s]);  /* warm: one pass */
            v[r] = per_op(touch(sizes[s], m), m);
        }
        char key[32];
        snprintf(key, sizeof key, "scale_refill_%u", sizes[s]);
        print_result(key, v, reps, m);
        fig[s] = median(v, reps);
    }

    /* The fit: x = 1/P, y = insns/touch - loop, for P >= 1024. */
    double loop = fig[0], sx = 0, sy = 0, sxx = 0, sxy = 0;
    int k = 0;
    for (int s = 0; s < nsizes && sizes[s] <= most; s++) {
        if (sizes[s] < 1024)
            continue;
        double x = 1.0 / sizes[s], y = fig[s] - loop;
        sx += x; sy += y; sxx += x * x; sxy += x * y; k++;
    }
    double slope = (k * sxy - sx * sy) / (k * sxx - sx * sx);
    double icpt = (sy - slope * sx) / k;
    double c = 2 * icpt, e = -slope / c;
    printf("# tlb fit: loop %.2f insns/touch, refill %.2f insns, pairs still mapped "
           "(TLB + QEMU's extra entries) %.1f\n", loop, c, e);
    for (int s = 0; s < nsizes && sizes[s] <= most; s++) {
        if (sizes[s] < 1024)
            continue;
        double model = loop + icpt + slope / sizes[s];
        printf("# tlb fit at %u pages: measured %.2f, model %.2f\n", sizes[s], fig[s], model);
    }
    printf("BENCH tlb_refill_hit %.2f %u\n", c, n);
    fflush(stdout);
}

/* ---------------------------------------------------------- scheduling */

/*
 * Each of these benchmarks talks to one partner process, forked once, and
 * first runs a long untimed warm-up.  Measured here: a pair of processes
 * just forked is not in Linux's steady state for a while.  CFS places a new
 * process behind the current one, so at first sched_yield often returns
 * without switching (about 1,100 instructions instead of 2,700), and a pipe
 * round trip costs 13,500 instructions for its first ~750 round trips and
 * then 16,700 for good.  The figures are those of the steady state.
 */
struct shared {
    volatile unsigned stop, req, resp, yields;
};

static struct shared *sh;

static struct shared *new_shared(void)
{
    struct shared *s = mmap(NULL, PAGE, PROT_READ | PROT_WRITE,
                            MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (s == MAP_FAILED)
        die("mmap shared");
    memset((void *)s, 0, sizeof *s);
    return s;
}

static pid_t fork_or_die(void)
{
    fflush(NULL);
    pid_t p = fork();
    if (p < 0)
        die("fork");
    return p;
}

static void reap(pid_t p)
{
    int st;
    if (waitpid(p, &st, 0) < 0)
        die("waitpid");
    if (!WIFEXITED(st) || WEXITSTATUS(st))
        printf("# WARNING: partner %d ended with status 0x%x\n", p, st);
}

/* yield: both processes call sched_yield in a loop; the partner counts its
 * calls in the shared page.  Per yield = time / (our calls + the partner's
 * calls in the same time): each call that switches hands the CPU over. */
static double b_yield(unsigned n)
{
    unsigned y0 = sh->yields;
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++)
        sched_yield();
    uint32_t t = count() - t0;
    return per_op(t, n + (sh->yields - y0));
}

static void yield_partner(void)
{
    while (!sh->stop) {
        sched_yield();
        sh->yields++;
    }
    _exit(0);
}

/* One word there and back over two pipes; per round trip. */
static int there[2], back[2];

static double b_pipe(unsigned n)
{
    uint32_t w, r;
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++) {
        w = i;
        if (write(there[1], &w, 4) != 4 || read(back[0], &r, 4) != 4 || r != i)
            die("pipe round trip");
    }
    return per_op(count() - t0, n);
}

static void pipe_partner(void)
{
    uint32_t w;
    close(there[1]);
    close(back[0]);
    while (read(there[0], &w, 4) == 4)
        if (write(back[1], &w, 4) != 4)
            _exit(1);
    _exit(0);
}

/* One word there and back through a shared page, each side calling
 * sched_yield while it waits; per round trip. */
static double b_shm_yield(unsigned n)
{
    unsigned v = sh->req;
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++) {
        sh->req = ++v;
        while (sh->resp != v)
            sched_yield();
    }
    return per_op(count() - t0, n);
}

static void shm_partner(void)
{
    unsigned seen = 0;
    for (;;) {
        while (sh->req == seen) {
            if (sh->stop)
                _exit(0);
            sched_yield();
        }
        seen = sh->req;
        sh->resp = seen;
    }
}

static pid_t start_partner(void (*partner)(void), double (*fn)(unsigned), unsigned warm_ops)
{
    sh = new_shared();
    pid_t p = fork_or_die();
    if (p == 0)
        partner();
    fn(warm_ops);
    return p;
}

static void group_sched(void)
{
    pid_t p = start_partner(yield_partner, b_yield, 10000);
    run("yield", b_yield, 200);
    sh->stop = 1;
    reap(p);

    if (pipe(there) < 0 || pipe(back) < 0)
        die("pipe");
    p = start_partner(pipe_partner, b_pipe, 3000);
    run("ipc_pipe", b_pipe, 50);
    close(there[1]);
    reap(p);

    p = start_partner(shm_partner, b_shm_yield, 2000);
    run("ipc_shm_yield", b_shm_yield, 150);
    sh->stop = 1;
    reap(p);
}

/* ------------------------------------------------------ virtual memory */

/*
 * The Appel-Li primitives, defined as userland/bench.c defines them for
 * ExOS.  One region of 100 data pages with an inaccessible guard page on
 * each side, so that the region is a VMA of its own (as a garbage-collected
 * heap or a DSM segment would be).  Every page is written first: resident
 * and dirty.  Protecting one page in the middle splits the VMA and
 * unprotecting it merges it back, as in any program that protects pages of
 * a larger heap.
 */
#define VM_PAGES 100
static char *vm;                        /* the first of the 100 pages */

enum { VM_SKIP, VM_UNPROTECT };
static volatile int vm_mode;
static volatile unsigned vm_faults;

/* The SIGSEGV handler: either resumes after the faulting store (the page
 * stays protected), or unprotects the page so that the store is retried
 * and completes. */
static void vm_handler(int sig, siginfo_t *si, void *ctx)
{
    (void)sig;
    vm_faults++;
    if (vm_mode == VM_SKIP) {
        ((ucontext_t *)ctx)->uc_mcontext.pc += 4;
        return;
    }
    char *page = (char *)((uintptr_t)si->si_addr & ~(uintptr_t)(PAGE - 1));
    if (mprotect(page, PAGE, PROT_READ | PROT_WRITE) < 0)
        _exit(3);
}

static void vm_setup(void)
{
    char *a = mmap(NULL, (VM_PAGES + 2) * PAGE, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (a == MAP_FAILED)
        die("mmap");
    vm = a + PAGE;
    if (mprotect(vm, VM_PAGES * PAGE, PROT_READ | PROT_WRITE) < 0)
        die("mprotect");
    for (unsigned i = 0; i < VM_PAGES; i++)
        vm[i * PAGE] = 1;
    on_signal(SIGSEGV, vm_handler);
}

/* prot1: read-protect one read-write page.  Each call is timed on its own
 * and the page is made writable again outside the timed region, so that
 * every call really changes a protection (protecting a page that is
 * already read-only returns early in Linux). */
static double b_prot1(unsigned n)
{
    uint64_t sum = 0;
    for (unsigned i = 0; i < n; i++) {
        char *p = vm + (i % VM_PAGES) * PAGE;
        dither(i);
        uint32_t t0 = count();
        mprotect(p, PAGE, PROT_READ);
        sum += count() - t0;
        mprotect(p, PAGE, PROT_READ | PROT_WRITE);
    }
    return (double)sum * INSNS_PER_TICK / n;
}

/* prot100 and unprot100 come from the same loop: each call is timed. */
static double unprot100_result;
static double b_prot100(unsigned n)
{
    uint64_t sp = 0, su = 0;
    for (unsigned i = 0; i < n; i++) {
        dither(i);
        uint32_t t0 = count();
        mprotect(vm, VM_PAGES * PAGE, PROT_READ);
        uint32_t t1 = count();
        mprotect(vm, VM_PAGES * PAGE, PROT_READ | PROT_WRITE);
        uint32_t t2 = count();
        sp += t1 - t0;
        su += t2 - t1;
    }
    unprot100_result = (double)su * INSNS_PER_TICK / n;
    return (double)sp * INSNS_PER_TICK / n;
}

/* trap: a store to a read-only page, to the handler and back; the handler
 * skips the store, so the page stays protected (as in the Aegis program;
 * on Linux this is the path of exc_prot, on a page of the region). */
static double b_trap(unsigned n)
{
    volatile char *p = vm + 50 * PAGE;
    vm_mode = VM_SKIP;
    mprotect((void *)p, PAGE, PROT_READ);
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++)
        __asm__ volatile("nop\n\tsb %0, 0(%1)" : : "r"(i), "r"(p) : "memory");
    uint32_t t = count() - t0;
    mprotect((void *)p, PAGE, PROT_READ | PROT_WRITE);
    return per_op(t, n);
}

/* trap_unprot (Linux only, for reading the others): the handler unprotects
 * the page and the store is retried; re-protecting it for the next round
 * is outside the timed region. */
static double b_trap_unprot(unsigned n)
{
    volatile char *p = vm + 50 * PAGE;
    uint64_t sum = 0;
    vm_mode = VM_UNPROTECT;
    for (unsigned i = 0; i < n; i++) {
        mprotect((void *)p, PAGE, PROT_READ);
        dither(i);
        uint32_t t0 = count();
        *p = (char)i;
        sum += count() - t0;
    }
    return (double)sum * INSNS_PER_TICK / n;
}

/* appel1 (Appel and Li's PROT1+TRAP+UNPROT): protect a page, write to it;
 * the write traps and the handler unprotects the page.  Per page. */
static double b_appel1(unsigned n)
{
    vm_mode = VM_UNPROTECT;
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++) {
        char *p = vm + (i % VM_PAGES) * PAGE;
        mprotect(p, PAGE, PROT_READ);
        *(volatile char *)p = (char)i;
    }
    return per_op(count() - t0, n);
}

/* appel2 (PROT100+TRAP+UNPROT): protect the 100 pages with one call, then
 * write each of them once; each write traps and the handler unprotects
 * the page.  Per page. */
static double b_appel2(unsigned n)
{
    unsigned rounds = n / VM_PAGES ? n / VM_PAGES : 1;
    vm_mode = VM_UNPROTECT;
    uint32_t t0 = count();
    for (unsigned r = 0; r < rounds; r++) {
        mprotect(vm, VM_PAGES * PAGE, PROT_READ);
        for (unsigned i = 0; i < VM_PAGES; i++)
            *(volatile char *)(vm + i * PAGE) = (char)r;
    }
    return per_op(count() - t0, rounds * VM_PAGES);
}

static void run_vm(const char *key, double (*fn)(unsigned), unsigned n, unsigned faults_per_op)
{
    vm_faults = 0;
    run(key, fn, n);
    unsigned want = faults_per_op * total_ops(n);
    if (fn == b_appel2) {               /* whole rounds of 100 pages, at least one */
        unsigned k = iters(n), w = warm(k);
        want = reps * (k / VM_PAGES ? k / VM_PAGES : 1) * VM_PAGES +
               (w / VM_PAGES ? w / VM_PAGES : 1) * VM_PAGES;
    }
    if (faults_per_op && vm_faults != want)
        printf("# WARNING %s: %u faults, expected %u\n", key, vm_faults, want);
}

static void group_vm(void)
{
    double pv[MAX_REPS], uv[MAX_REPS];
    vm_setup();

    run_vm("vm_prot1", b_prot1, 40, 0);

    unsigned n = iters(30);
    b_prot100(warm(n));
    for (int r = 0; r < reps; r++) {
        pv[r] = b_prot100(n);
        uv[r] = unprot100_result;
    }
    print_result("vm_prot100", pv, reps, n);
    print_result("vm_unprot100", uv, reps, n);

    run_vm("vm_trap", b_trap, 200, 1);
    run_vm("vm_trap_unprot", b_trap_unprot, 40, 1);
    run_vm("vm_appel1", b_appel1, 40, 1);
    run_vm("vm_appel2", b_appel2, 100, 1);
}

/* ----------------------------------------------------------- processes */

static double b_forkwait(unsigned n)
{
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++) {
        pid_t p = fork();
        if (p == 0)
            _exit(0);
        if (p < 0)
            die("fork");
        int st;
        if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
            die("waitpid");
    }
    return per_op(count() - t0, n);
}

static char *spawn_path;
static char **spawn_argv;

static double b_spawn(unsigned n)
{
    uint32_t t0 = count();
    for (unsigned i = 0; i < n; i++) {
        pid_t p;
        int err = posix_spawn(&p, spawn_path, NULL, NULL, spawn_argv, environ);
        if (err) {
            errno = err;
            die("posix_spawn");
        }
        int st;
        if (waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st))
            die("waitpid (spawn)");
    }
    return per_op(count() - t0, n);
}

static void group_proc(void)
{
    static char *tiny_argv[] = { "/tiny", NULL };
    static char *libc_argv[] = { "/init", "exit0", NULL };

    run("proc_forkwait", b_forkwait, 5);

    /* /tiny: a static program with no C library that only calls exit. */
    spawn_path = "/tiny";
    spawn_argv = tiny_argv;
    run("proc_spawn", b_spawn, 3);

    /* This program itself, which returns at once: static glibc's start-up
     * (TLS, IRELATIVE relocations, stdio) on top of exec and exit. */
    spawn_path = "/init";
    spawn_argv = libc_argv;
    run("proc_spawn_libc", b_spawn, 2);
}

/* ---------------------------------------------------------------- main */

struct group {
    const char *name;
    void (*fn)(void);
};

static const struct group groups[] = {
    { "calibrate", group_calibrate },
    { "syscall", group_syscall },
    { "exceptions", group_exceptions },
    { "tlb", group_tlb },
    { "sched", group_sched },
    { "vm", group_vm },
    { "proc", group_proc },
};

/* If the kernel could not give /init a console, make one. */
static void console(void)
{
    if (fcntl(1, F_GETFD) >= 0)
        return;
    mkdir("/dev", 0755);
    mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
    int fd = open("/dev/console", O_RDWR);
    if (fd < 0)
        return;
    dup2(fd, 0); dup2(fd, 1); dup2(fd, 2);
    if (fd > 2)
        close(fd);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exit0") == 0)
        return 0;                       /* the proc_spawn_libc target */

    console();
    const char *e;
    if ((e = getenv("LBENCH_SCALE")) && atof(e) > 0)
        scale = atof(e);
    if ((e = getenv("LBENCH_REPS")) && atoi(e) > 0)
        reps = atoi(e) > MAX_REPS ? MAX_REPS : atoi(e);
    if ((e = getenv("LBENCH_ONLY")))
        only = e;

    printf("lbench: Linux peer of the Aegis/ExOS benchmarks; scale %.3g, %d repetitions, "
           "instructions = Count ticks x %d\n", scale, reps, INSNS_PER_TICK);
    fflush(stdout);

    for (unsigned g = 0; g < sizeof groups / sizeof groups[0]; g++) {
        if (*only && !strstr(groups[g].name, only) && strcmp(groups[g].name, "calibrate"))
            continue;
        pid_t p = fork_or_die();
        if (p == 0) {
            groups[g].fn();
            fflush(NULL);
            _exit(0);
        }
        int st;
        while (waitpid(p, &st, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(st) || WEXITSTATUS(st))
            printf("lbench: group %s ended with status 0x%x\n", groups[g].name, st);
    }
    printf("lbench: done\n");
    fflush(NULL);
    if (getpid() == 1) {
        sync();
        reboot(RB_AUTOBOOT);
    }
    return 0;
}
