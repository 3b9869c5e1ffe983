/*
 * exposed.h - the kernel tables every environment can read.
 *
 * "Expose, don't hide": page ownership, the software TLB, the environment
 * table and the statistics live in one structure (struct aegis_exposed,
 * abi.h), placed by mips.ld on a 512 KiB boundary and mapped read-only at
 * EXPOSED_VA into every address space by wired TLB entry 0 (tlb.c).
 * Environments read them with ordinary loads, no system call.
 * Capabilities and saved registers are kept elsewhere: they are secrets.
 */
#ifndef AEGIS_EXPOSED_H
#define AEGIS_EXPOSED_H

#include "abi.h"

extern struct aegis_exposed kexposed;

/* Empties the tables (the section is not part of BSS). */
void exposed_init(uint32_t npages);

#endif /* AEGIS_EXPOSED_H */
