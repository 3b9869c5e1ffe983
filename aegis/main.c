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
#include "capkey.h"
#include "debugvec.h"
#include "env.h"
#include "exposed.h"
#include "loader.h"
#include "mips.h"
#include "malta.h"
#include "panic.h"
#include "printf.h"
#include "sched.h"
#include "timer.h"
#include "tlb.h"
#include "uart.h"

struct bootinfo boot;
struct physmem phys;

/* The secret half of the page table (capabilities), one entry per page of
 * the largest RAM the Malta has at physical 0.  The public half is in the
 * exposed tables. */
static struct page_guard page_guards[MAX_PAGES];

_Static_assert(MALTA_LOW_RAM_MAX / PAGE_SIZE <= MAX_PAGES, "MAX_PAGES too small");

/* What is left of the run= list: the programs to start when none runs. */
static char run_list[128];
static unsigned run_pos;

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

/* Lists the program images (build/images.S) in the exposed tables. */
static void publish_images(void)
{
    uint32_t n = 0;

    for (const struct image *im = images; im->name != NULL; im++, n++) {
        if (n == NIMAGES)           /* a build with more programs than that */
            panic("more than NIMAGES (%u) program images", NIMAGES);
        struct image_info *ii = &kexposed.images[n];
        ksnprintf(ii->name, IMAGE_NAME, "%s", im->name);
        ksnprintf(ii->desc, IMAGE_DESC, "%s", im->desc);
        ii->ppn = KSEG0_TO_PHYS((uint32_t)im->start) / PAGE_SIZE;
        ii->size = im->size;
    }
    kexposed.nimages = n;
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

    struct siphash_key key;
    /* (The command line is the boot loader's copy, in RAM the kernel owns:
     * capkey_init wipes the key's digits from it.) */
    const char *source = capkey_init(&key, (char *)boot.cmdline);

    exposed_init(npages);
    physmem_init(&phys, kexposed.pages, page_guards, npages, &key);
    key = (struct siphash_key){ 0 };        /* the one copy is phys.key */
    kprintf("capabilities: SipHash-2-4 under a key from %s\n", source);
    uint32_t ifirst = KSEG0_TO_PHYS(__images_start) / PAGE_SIZE;
    uint32_t iend = KSEG0_TO_PHYS(__images_end) / PAGE_SIZE;

    /* The kernel's pages, except the program images, which are published:
     * a library OS reads them to load programs itself. */
    if (physmem_reserve(&phys, 0, ifirst, OWNER_KERNEL) != 0 ||
        physmem_publish(&phys, ifirst, iend - ifirst, &kexposed.image_rcap) != 0 ||
        physmem_reserve(&phys, iend, kpages - iend, OWNER_KERNEL) != 0)
        panic("kernel image (%u pages) larger than RAM (%u pages)", kpages, npages);
    publish_images();
    kprintf("ram: %u KiB (%s from the boot loader): %u pages of %u bytes, "
            "kernel %p-%p holds %u, %u free\n",
            boot.mem_bytes / 1024, boot.mem_source, npages, PAGE_SIZE, __kernel_start,
            __kernel_end, kpages, phys.nfree);
}

/*
 * No environment is runnable: start the next program of the run= list
 * (comma-separated; '+' stands for a space between a program's arguments),
 * or stop the machine when the list is done.
 */
void kernel_idle(void)
{
    while (run_list[run_pos] != '\0') {
        char name[32], args[96];
        unsigned n = 0, a = 0;
        while (run_list[run_pos] && run_list[run_pos] != ',' && run_list[run_pos] != '+')
            if (n + 1 < sizeof name)
                name[n++] = run_list[run_pos++];
            else
                run_pos++;
        name[n] = '\0';
        if (run_list[run_pos] == '+')
            run_pos++;
        while (run_list[run_pos] && run_list[run_pos] != ',') {
            char c = run_list[run_pos++];
            if (a + 1 < sizeof args)
                args[a++] = c == '+' ? ' ' : c;
        }
        args[a] = '\0';
        if (run_list[run_pos] == ',')
            run_pos++;
        int r = loader_start(name, args);
        if (r > 0)
            return;
        kprintf("aegis: cannot start \"%s\": error %d\n", name, r);
    }
    kernel_shutdown("no environment left to run");
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
    physmem_setup();                /* (wipes capkey= from the command line) */
    kprintf("cmdline: \"%s\"\n", boot.cmdline);

    tlb_init(KSEG0_TO_PHYS(&kexposed));
    env_init();
    debugvec_init();                /* does a user sdbbp come back to us? */
    mtc0(C0_HWRENA, 0, HWRENA_CC | HWRENA_CCRES);  /* rdhwr of Count in user mode */

    uint32_t tick_us = bootarg_uint(boot.cmdline, "tick_us", TIMER_DEFAULT_US);
    timer_init(tick_us);
    kprintf("timer: tick every %u us (%u Count ticks)\n", tick_us, timer_interval());

#ifdef KTEST
    mtc0(C0_STATUS, 0, mfc0(C0_STATUS, 0) | ST_IE);
    ktest_main();
#else
    sched_init(bootarg_uint(boot.cmdline, "slices", 8), timer_interval(),
               bootarg_uint(boot.cmdline, "upcall_bound", UPCALL_BOUND_DEFAULT));
    kprintf("cpu: %u slices of %u us; upcalls answered within %u instructions\n",
            kexposed.nslices, tick_us,
            bootarg_uint(boot.cmdline, "upcall_bound", UPCALL_BOUND_DEFAULT));
    if (!bootarg_get(boot.cmdline, "run", run_list, sizeof run_list))
        ksnprintf(run_list, sizeof run_list, "sh");     /* for a person: the shell */
    sched_run();                    /* starts the first program */
    env_return();
#endif
}
