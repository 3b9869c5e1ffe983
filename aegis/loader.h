/*
 * loader.h - starting the first environments from the programs built into
 * the kernel image.
 *
 * The kernel loads programs itself only to start the system (the `run=`
 * list on the command line); every later environment is created by a
 * library OS through system calls.  So the ELF parser here is the minimum:
 * static, little-endian MIPS32 executables, PT_LOAD segments only.
 */
#ifndef AEGIS_LOADER_H
#define AEGIS_LOADER_H

#include <stdint.h>

/* One program built into the kernel (build/images.S, made by the Makefile). */
struct image {
    const char *name;
    const uint8_t *start;
    uint32_t size;
    const char *desc;       /* one line, from its source's header comment */
};

/* Terminated by an entry whose name is NULL. */
extern const struct image images[];

/*
 * Creates an environment for program `name` (args: the rest of its command
 * line, may be ""), loads it, binds its pages, writes its boot record and
 * makes it runnable.  Returns its envid, or a negative error: -E_INVAL (no
 * such program, or not an ELF file we can load), -E_NOMEM.
 */
int loader_start(const char *name, const char *args);

#endif /* AEGIS_LOADER_H */
