/*
 * main.c - the kernel's boot sequence, from C's point of view.
 *
 * entry.S has already moved the exception vectors to the kernel (EBase),
 * turned on caching for KSEG0, cleared BSS and set up a stack.  What is
 * left is to find out what machine we are on, say so, take stock of
 * physical memory and start the clock.
 */
#include "kernel.h"

#include "board.h"
#include "mips.h"
#include "malta.h"
#include "panic.h"
#include "printf.h"
#include "timer.h"
#include "uart.h"

struct bootinfo boot;
struct physmem phys;

/* One entry per page of the largest RAM the Malta has at physical 0. */
static struct phys_page page_table[MALTA_LOW_RAM_MAX / PAGE_SIZE];

/* Prints the banner: what CPU and TLB this is, read from the CPU itself. */
static void banner(void)
{
    uint32_t prid = mfc0(C0_PRID, 0);
    uint32_t config1 = mfc0(C0_CONFIG, 1);
    unsigned tlb_entries = ((config1 >> CFG1_MMU_SHIFT) & CFG1_MMU_MASK) + 1;

    kprintf("\nAegis exokernel for MIPS (Aegis/ExOS)\n");
    kprintf("cpu: PRId %08x (company %u, processor %02x, revision %u), "
            "TLB %u entries from Config1, FPU %s\n",
            prid, (prid >> 16) & 0xff, (prid >> 8) & 0xff, prid & 0xff,
            tlb_entries, (config1 & 1) ? "yes" : "no");
}

/*
 * Everything from physical 0 to the end of the kernel image belongs to the
 * kernel: the firmware's argument area sits in the first pages and the image
 * itself is linked at 1 MiB.  The rest is free for environments.
 */
static void physmem_setup(void)
{
    uint32_t npages = boot.mem_bytes / PAGE_SIZE;
    uint32_t kpages = (KSEG0_TO_PHYS(__kernel_end) + PAGE_SIZE - 1) / PAGE_SIZE;

    physmem_init(&phys, page_table, npages);
    if (physmem_reserve(&phys, 0, kpages, OWNER_KERNEL) != 0)
        panic("kernel image (%u pages) larger than RAM (%u pages)", kpages, npages);
    kprintf("ram: %u KiB (%s from the boot loader): %u pages of %u bytes, "
            "kernel %p-%p holds %u, %u free\n",
            boot.mem_bytes / 1024, boot.mem_source, npages, PAGE_SIZE, __kernel_start,
            __kernel_end, kpages, phys.nfree);
}

void kernel_shutdown(const char *why)
{
    kprintf("aegis: shutting down: %s\n", why);
    board_halt();
}

void kmain(int argc, char **argv, char **envp, uint32_t memsize)
{
    uart_init();
    bootargs_parse(argc, argv, envp, memsize, &boot);
    banner();
    kprintf("cmdline: \"%s\"\n", boot.cmdline);
    physmem_setup();

    uint32_t tick_us = bootarg_uint(boot.cmdline, "tick_us", TIMER_DEFAULT_US);
    timer_init(tick_us);
    kprintf("timer: tick every %u us (%u Count ticks)\n", tick_us, timer_interval());
    mtc0(C0_STATUS, 0, mfc0(C0_STATUS, 0) | ST_IE);

#ifdef KTEST
    ktest_main();
#else
    /* Nothing to run yet: show the clock works, then stop cleanly. */
    while (timer_ticks < 3)
        __asm__ volatile("wait");
    kprintf("timer: %u ticks seen\n", timer_ticks);
    kernel_shutdown("no environment to run yet");
#endif
}
