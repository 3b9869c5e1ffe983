/*
 * bootargs.h - what the boot loader tells the kernel.
 *
 * QEMU's Malta firmware (like YAMON on the real board) starts the kernel
 * with a0 = argc, a1 = argv, a2 = envp and a3 = the size of the RAM at
 * physical 0.  argv[1] is the -append command line.  envp is a
 * NULL-terminated list of alternating names and values; "memsize" is the
 * RAM size in bytes, in decimal.  Aegis takes the RAM size from "memsize"
 * (falling back to a3), so `qemu -m` is all it takes to change it.
 *
 * Parsing is pure C on plain arrays: it is unit tested on the host.
 */
#ifndef AEGIS_BOOTARGS_H
#define AEGIS_BOOTARGS_H

#include <stdint.h>

struct bootinfo {
    uint32_t mem_bytes;     /* RAM at physical 0, bytes */
    const char *mem_source; /* "memsize" (environment) or "a3" */
    const char *cmdline;    /* "" when there is none */
};

/* Fills bi from the boot loader's registers.  Never fails: a missing or
 * malformed memsize falls back to a3, and an absent command line to "". */
void bootargs_parse(int argc, char **argv, char **envp, uint32_t a3,
                    struct bootinfo *bi);

/*
 * Finds "key=value" among the space-separated words of cmdline and copies
 * value into buf (NUL-terminated, truncated to n-1 characters).  A bare
 * word "key" yields "".  Returns 1 if found, 0 if not.
 */
int bootarg_get(const char *cmdline, const char *key, char *buf, unsigned n);

/* Like bootarg_get, for a decimal or 0x-hex number; returns def if absent
 * or not a number. */
uint32_t bootarg_uint(const char *cmdline, const char *key, uint32_t def);

#endif /* AEGIS_BOOTARGS_H */
