/*
 * ktest.c - the kernel's in-guest self-tests.
 *
 * Built into build/aegis-test.elf (the kernel with main.c compiled with
 * KTEST), booted by test/run.sh under QEMU with -icount, and run after the
 * normal boot steps: everything checked here is the real state the boot
 * left behind.  The command line selects what to run:
 *
 *   ktest expect_mem_kb=N   all checks; N is the RAM size QEMU was given
 *   ktest=panic             take an unaligned load in the kernel: the panic
 *                           report and a clean exit are what is tested
 *   ktest=fail              one deliberately failing check, so the runner
 *                           proves it notices failures
 */
#include "check.h"
#include "exposed.h"
#include "kernel.h"
#include "tlb.h"
#include "mips.h"
#include "printf.h"
#include "timer.h"

#include "board.h"

int regs_survive(volatile uint32_t *ticks, uint32_t until);

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void check_cpu_state(void)
{
    uint32_t status = mfc0(C0_STATUS, 0);
    uint32_t ebase = mfc0(C0_EBASE, 1) & 0x3ffff000;
    uint32_t config1 = mfc0(C0_CONFIG, 1);
    unsigned tlb = ((config1 >> CFG1_MMU_SHIFT) & CFG1_MMU_MASK) + 1;

    check(ebase == KSEG0_TO_PHYS(__vectors), "vectors: EBase points at the kernel's .vectors",
          "EBase base %08x, .vectors at %p", ebase, __vectors);
    check((status & (ST_BEV | ST_ERL | ST_UM)) == 0, "status: BEV, ERL and UM clear after boot",
          "Status %08x", status);
    check((mfc0(C0_CONFIG, 0) & CFG_K0_MASK) == CFG_K0_CACHED, "config: KSEG0 is cacheable (K0=3)",
          "Config %08x", mfc0(C0_CONFIG, 0));
    check(tlb == 16, "cpu: Config1 reports the 24Kf's 16 TLB entries", "got %u", tlb);
}

static void check_memory(void)
{
    uint32_t want_kb = bootarg_uint(boot.cmdline, "expect_mem_kb", 0);
    uint32_t kend = (KSEG0_TO_PHYS(__kernel_end) + PAGE_SIZE - 1) / PAGE_SIZE;

    check(boot.mem_bytes / 1024 == want_kb, "ram: size matches QEMU's -m",
          "got %u KiB, want %u", boot.mem_bytes / 1024, want_kb);
    check(streq(boot.mem_source, "memsize"), "ram: size read from the firmware's memsize variable",
          "came from %s", boot.mem_source);
    check(phys.npages == boot.mem_bytes / PAGE_SIZE, "physmem: one entry per page of RAM",
          "%u entries", phys.npages);
    check(physmem_owner(&phys, 0) == OWNER_KERNEL &&
              physmem_owner(&phys, kend - 1) == OWNER_KERNEL &&
              physmem_owner(&phys, kend) == OWNER_FREE,
          "physmem: pages up to the kernel's end are the kernel's, the next is free",
          "owners %x %x %x", physmem_owner(&phys, 0), physmem_owner(&phys, kend - 1),
          physmem_owner(&phys, kend));

    /* Allocate a real page by name, write it through KSEG0, give it back. */
    uint32_t ppn = phys.npages - 1, nfree = phys.nfree;
    int r1 = physmem_alloc(&phys, ppn, 7);
    int r2 = physmem_alloc(&phys, ppn, 8);
    volatile uint32_t *p = (uint32_t *)PHYS_TO_KSEG0(ppn << PAGE_SHIFT);
    p[0] = 0xfeedf00d;
    p[1023] = ppn;
    int seen = p[0] == 0xfeedf00d && p[1023] == ppn;
    int r3 = physmem_free(&phys, ppn, 8);
    int r4 = physmem_free(&phys, ppn, 7);
    check(r1 == 0 && r2 < 0 && seen && r3 < 0 && r4 == 0 && phys.nfree == nfree,
          "physmem: the last page of RAM is allocated by number, used, freed by its owner only",
          "alloc %d, second alloc %d, readback %d, wrong-owner free %d, free %d",
          r1, r2, seen, r3, r4);
}

extern char __stlb[];

static void check_exposed(void)
{
    check((uint32_t)__stlb == (uint32_t)kexposed.stlb && ((uint32_t)__stlb & 0xffff) == 0,
          "exposed: the STLB is where the refill handler's lui finds it",
          "__stlb %p, stlb %p", __stlb, kexposed.stlb);
    check(((uint32_t)&kexposed & 0x7ffff) == 0, "exposed: the tables start on a 512 KiB boundary",
          "at %p", &kexposed);
    uint32_t hi, lo0, lo1;
    tlb_read(0, &hi, &lo0, &lo1);
    check((hi & ~0x1fffu) == EXPOSED_VA && (lo0 >> 6) == (KSEG0_TO_PHYS(&kexposed) >> 12) &&
              (lo0 & 7) == 3 && mfc0(C0_WIRED, 0) == 1,
          "exposed: wired TLB entry 0 maps them read-only, global, at EXPOSED_VA",
          "hi %08x lo0 %08x", hi, lo0);
}

static void check_printf(void)
{
    char buf[96];

    ksnprintf(buf, sizeof buf, "%d|%u|%x|%X|%s|%c|%p|%5d|%-4s|%08x|%%",
              -42, 3000000000u, 0xbeef, 0xbeef, "mips", 'k',
              (void *)0x80100000, 17, "ab", 0x1234);
    check(streq(buf, "-42|3000000000|beef|BEEF|mips|k|0x80100000|   17|ab  |00001234|%"),
          "printf: every conversion formats correctly on the target", "got \"%s\"", buf);
}

static void check_timer(void)
{
    uint32_t start_ticks = timer_ticks;
    uint32_t t0 = mfc0(C0_COUNT, 0);

    while (timer_ticks < start_ticks + 10)
        __asm__ volatile("wait");
    uint32_t elapsed = mfc0(C0_COUNT, 0) - t0;
    uint32_t iv = timer_interval();

    /* Ten ticks take between nine and eleven intervals of Count. */
    check(elapsed >= 9 * iv && elapsed <= 11 * iv, "timer: ten ticks take ten intervals of Count",
          "%u Count ticks for 10 ticks of %u", elapsed, iv);

    int bad = regs_survive(&timer_ticks, timer_ticks + 20);
    check(bad == 0, "trap: every register survives twenty timer interrupts",
          "register %d changed", bad);
}

void ktest_main(void)
{
    char mode[16];

    bootarg_get(boot.cmdline, "ktest", mode, sizeof mode);
    if (streq(mode, "panic")) {
        kprintf("ktest: an unaligned load in the kernel must panic\n");
        uint32_t v, odd = KSEG0_BASE + 0x100002;
        /* In assembly: C would split a known-unaligned load into lwl/lwr. */
        __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(odd));
        (void)v;
        kprintf("ktest: still running after the fault\n");
        board_halt();
    }
    if (streq(mode, "fail")) {
        check(1 == 2, "runner self-test: this check fails on purpose", "1 != 2");
        check_done();
        kernel_shutdown("ktest done");
    }

    check_cpu_state();
    check_memory();
    check_exposed();
    check_printf();
    check_timer();
    int failed = check_done();
    kprintf("ktest: %s\n", failed ? "FAIL" : "PASS");
    kernel_shutdown("ktest done");
}
