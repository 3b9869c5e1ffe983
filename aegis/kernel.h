/*
 * kernel.h - the kernel's global state and its life cycle.
 */
#ifndef AEGIS_KERNEL_H
#define AEGIS_KERNEL_H

#include "bootargs.h"
#include "physmem.h"

/* Symbols defined by mips.ld. */
extern char __kernel_start[], __kernel_end[], __bss_start[], __bss_end[];
extern char __images_start[], __images_end[];   /* the programs (mips.ld) */
extern char __vectors[];

extern struct bootinfo boot;    /* what the boot loader said */
extern struct physmem phys;     /* who owns each physical page */

/* Entered from entry.S with the boot loader's a0..a3. */
void kmain(int argc, char **argv, char **envp, uint32_t memsize)
    __attribute__((noreturn));

/* No environment can run: start the next program of the run= list, or
 * shut down when there is none. */
void kernel_idle(void);

/* Prints why and stops the machine cleanly (not a panic). */
void kernel_shutdown(const char *why) __attribute__((noreturn));

#ifdef KTEST
/* The in-guest kernel self-tests (test/kernel/), run instead of the
 * normal boot's last step in the test kernel. */
void ktest_main(void) __attribute__((noreturn));
#endif

#endif /* AEGIS_KERNEL_H */
