/*
 * spawn.c - starting a program from the kernel's image area, in the library.
 *
 * The kernel publishes every built-in program's ELF file in read-only pages
 * (AEGIS_EXPOSED->images, image_rcap).  We map the file here, read its
 * program headers, copy each loadable page into a fresh page for the child,
 * give the child a stack and a start record, and start it at the ELF entry.
 * The kernel checks capabilities; it never parses the file.
 */
#include <string.h>

#include "elf.h"
#include "exos.h"
#include "fd.h"
#include "handoff.h"
#include "proc.h"
#include "sys.h"
#include "vm.h"


const volatile struct image_info *exos_image(const char *name)
{
    for (uint32_t i = 0; i < AEGIS_EXPOSED->nimages; i++)
        if (strcmp((const char *)AEGIS_EXPOSED->images[i].name, name) == 0)
            return &AEGIS_EXPOSED->images[i];
    return NULL;
}

/* Maps (or, with map 0, unmaps) the image's pages at EXOS_IMAGE_VA. */
static int map_image(const volatile struct image_info *im, int map)
{
    uint32_t n = (im->size + PAGE_SIZE - 1) / PAGE_SIZE;

    for (uint32_t i = 0; i < n; i++) {
        uint32_t va = EXOS_IMAGE_VA + i * PAGE_SIZE;
        if (!map)
            vm_unmap(va);
        else if (vm_map(va, im->ppn + i, AEGIS_EXPOSED->image_rcap, 0) < 0)
            return -E_NOMEM;
    }
    return 0;
}

/* Copies one loadable segment into new pages of the child. */
static int load_segment(struct handoff *h, const uint8_t *file, uint32_t fsize,
                        const struct elf_phdr *ph)
{
    uint32_t flags = (ph->flags & PF_W) ? PTE_W | PTE_DIRTY : 0;

    if (ph->vaddr >= EXOS_IMAGE_VA || ph->memsz > EXOS_IMAGE_VA - ph->vaddr ||
        ph->filesz > ph->memsz || ph->offset > fsize || ph->filesz > fsize - ph->offset ||
        (ph->vaddr & (PAGE_SIZE - 1)) != (ph->offset & (PAGE_SIZE - 1)))
        return -E_INVAL;
    for (uint32_t va = ph->vaddr & ~(PAGE_SIZE - 1); va < ph->vaddr + ph->memsz; va += PAGE_SIZE) {
        uint8_t *k = handoff_new_page(h, va, flags, (ph->flags & PF_PIN) ? PIN_LOW : PIN_NONE);
        if (k == NULL)
            return -E_NOMEM;
        uint32_t lo = va < ph->vaddr ? ph->vaddr : va;      /* the file's bytes */
        uint32_t hi = va + PAGE_SIZE;                       /* in this page */
        if (hi > ph->vaddr + ph->filesz)
            hi = ph->vaddr + ph->filesz;
        if (lo < hi)
            memcpy(k + (lo - va), file + ph->offset + (lo - ph->vaddr), hi - lo);
        int r = handoff_page_done(h);
        if (r < 0)
            return r;
    }
    return 0;
}

/* Appends s to buf (n bytes used), within the record's limit. */
static size_t append(char *buf, size_t n, const char *s)
{
    while (*s && n < BOOTREC_CMDLINE - 1)
        buf[n++] = *s++;
    buf[n] = '\0';
    return n;
}

/* "name arg1 arg2 ..." (start.c splits it at spaces again). */
static void command_line(char *buf, const char *name, char *const argv[])
{
    size_t n = append(buf, 0, name);

    for (int i = 1; argv != NULL && argv[0] != NULL && argv[i] != NULL; i++)
        n = append(buf, append(buf, n, " "), argv[i]);
}

static int load(struct handoff *h, const uint8_t *file, uint32_t fsize, uint32_t *entry)
{
    const struct elf_header *eh = (const struct elf_header *)file;

    if (fsize < sizeof *eh || *(const uint32_t *)eh->ident != ELF_MAGIC || eh->machine != EM_MIPS ||
        eh->phentsize != sizeof(struct elf_phdr) || eh->phoff > fsize ||
        eh->phnum * sizeof(struct elf_phdr) > fsize - eh->phoff)
        return -E_INVAL;
    const struct elf_phdr *ph = (const struct elf_phdr *)(file + eh->phoff);
    for (int i = 0; i < eh->phnum; i++)
        if (ph[i].type == PT_LOAD) {
            int r = load_segment(h, file, fsize, &ph[i]);
            if (r < 0)
                return r;
        }
    /* The stack; its top page is where ExOS starts, so it is pinned. */
    for (uint32_t va = USTACK_TOP - PAGE_SIZE; va >= USTACK_TOP - USTACK_PAGES * PAGE_SIZE;
         va -= PAGE_SIZE) {
        int pin = va == USTACK_TOP - PAGE_SIZE ? PIN_HIGH : PIN_NONE;
        if (handoff_new_page(h, va, PTE_W | PTE_DIRTY, pin) == NULL)
            return -E_NOMEM;
        int r = handoff_page_done(h);
        if (r < 0)
            return r;
    }
    *entry = eh->entry;
    return 0;
}

int exos_spawn(const char *name, char *const argv[])
{
    static char cmdline[BOOTREC_CMDLINE];
    const volatile struct image_info *im = exos_image(name);
    struct handoff h;
    uint32_t entry = 0;

    if (im == NULL)
        return -E_INVAL;
    command_line(cmdline, name, argv);
    int r = map_image(im, 1);
    if (r == 0)
        r = handoff_begin(&h, cmdline);
    if (r >= 0) {
        r = load(&h, (const uint8_t *)EXOS_IMAGE_VA, im->size, &entry);
        if (r == 0)
            r = fd_handoff(&h);         /* our descriptors, for it to inherit */
        if (r < 0)
            handoff_abort(&h);
    }
    map_image(im, 0);
    if (r < 0)
        return r;
    return handoff_start(&h, entry, USTACK_TOP - 16, 0, 0);
}
