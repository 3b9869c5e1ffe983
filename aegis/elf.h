/*
 * elf.h - the parts of the ELF32 format that program loaders read: the
 * kernel's (aegis/loader.c, for the first environments) and ExOS's
 * (exos/spawn.c, for every other).  Programs carry one flag of ours in
 * their program headers, PF_PIN (abi.h).
 */
#ifndef AEGIS_ELF_H
#define AEGIS_ELF_H

#include <stdint.h>

struct elf_header {
    uint8_t ident[16];
    uint16_t type, machine;
    uint32_t version, entry, phoff, shoff, flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
    uint32_t type, offset, vaddr, paddr, filesz, memsz, flags, align;
};

#define ELF_MAGIC   0x464c457fu     /* "\177ELF" read as a little-endian word */
#define ET_EXEC     2
#define EM_MIPS     8
#define PT_LOAD     1               /* a segment to load */
#define PF_W        2               /* ... writable */

#endif /* AEGIS_ELF_H */
