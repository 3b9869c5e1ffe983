/*
 * loader.c - the kernel's ELF loader for the first environments (see
 * loader.h).  It writes the program's pages through KSEG0 before the
 * environment ever runs.
 */
#include <stddef.h>

#include "loader.h"

#include "bind.h"
#include "elf.h"
#include "env.h"
#include "kernel.h"
#include "mips.h"
#include "printf.h"


static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

static void copy(void *dst, const void *src, uint32_t n)
{
    uint8_t *d = dst;
    const uint8_t *s = src;

    while (n--)
        *d++ = *s++;
}

/* Allocates and binds one page of e at va; records it in the boot record. */
static int add_page(struct env *e, struct bootrec *br, uint32_t va, uint32_t flags,
                    uint8_t **kva)
{
    for (uint32_t i = 0; i < br->npages; i++)   /* shared by two segments */
        if (br->page[i].va == va) {
            br->page[i].flags |= flags;
            bind_install(e, va, bind_entrylo(br->page[i].ppn, br->page[i].flags));
            *kva = (uint8_t *)PHYS_TO_KSEG0(br->page[i].ppn << PAGE_SHIFT);
            return 0;
        }
    if (br->npages >= BOOTREC_MAXPAGES)
        return -E_NOMEM;
    int32_t ppn = physmem_alloc_any(&phys, e->info->id);
    if (ppn < 0)
        return ppn;
    e->info->pages++;
    *kva = (uint8_t *)PHYS_TO_KSEG0((uint32_t)ppn << PAGE_SHIFT);
    for (uint32_t i = 0; i < PAGE_SIZE; i++)
        (*kva)[i] = 0;
    br->page[br->npages++] = (struct bootrec_page){ va, ppn, phys.guards[ppn].wcap, flags };
    bind_install(e, va, bind_entrylo(ppn, flags));
    return 0;
}

/* Loads one PT_LOAD segment, page by page.  A PF_PIN segment's pages get
 * guaranteed mappings, in the next slots (*pins): the library OS's
 * exception path lives there, and must not miss before it can. */
static int load_segment(struct env *e, struct bootrec *br, const uint8_t *file,
                        const struct elf_phdr *ph, int *pins)
{
    uint32_t flags = (ph->flags & PF_W) ? TLBF_WRITE : 0;

    if (ph->vaddr >= USER_TOP || ph->memsz > USER_TOP - ph->vaddr || ph->filesz > ph->memsz)
        return -E_INVAL;
    for (uint32_t va = ph->vaddr & ~(PAGE_SIZE - 1); va < ph->vaddr + ph->memsz; va += PAGE_SIZE) {
        uint8_t *k;
        int r = add_page(e, br, va, flags, &k);
        if (r < 0)
            return r;
        for (uint32_t i = 0; (ph->flags & PF_PIN) && *pins < NGUARANTEED && i < br->npages; i++)
            if (br->page[i].va == va) {
                e->gm[(*pins)++] = (struct guaranteed){ va, bind_entrylo(br->page[i].ppn, flags) };
                break;
            }
        /* The part of the file that falls in this page. */
        uint32_t lo = va < ph->vaddr ? ph->vaddr : va;
        uint32_t hi = va + PAGE_SIZE;
        if (hi > ph->vaddr + ph->filesz)
            hi = ph->vaddr + ph->filesz;
        if (lo < hi)
            copy(k + (lo - va), file + ph->offset + (lo - ph->vaddr), hi - lo);
    }
    return 0;
}

static const struct image *find_image(const char *name)
{
    for (const struct image *im = images; im->name != NULL; im++)
        if (streq(im->name, name))
            return im;
    return NULL;
}

int loader_start(const char *name, const char *args)
{
    const struct image *im = find_image(name);
    if (im == NULL)
        return -E_INVAL;
    const struct elf_header *eh = (const struct elf_header *)im->start;
    if (*(const uint32_t *)eh->ident != ELF_MAGIC || eh->type != ET_EXEC ||
        eh->machine != EM_MIPS || eh->phentsize != sizeof(struct elf_phdr))
        return -E_INVAL;

    struct env *e = env_alloc(0);
    if (e == NULL)
        return -E_NOMEM;

    /* The boot record first: every other page is listed in it. */
    int32_t brppn = physmem_alloc_any(&phys, e->info->id);
    if (brppn < 0) {
        env_destroy(e, DEATH_EXIT, 0);
        return brppn;
    }
    e->info->pages++;
    struct bootrec *br = (struct bootrec *)PHYS_TO_KSEG0((uint32_t)brppn << PAGE_SHIFT);
    for (uint32_t i = 0; i < PAGE_SIZE; i++)
        ((char *)br)[i] = 0;
    br->magic = BOOTREC_MAGIC;
    br->envid = e->info->id;
    br->page[br->npages++] = (struct bootrec_page){ BOOTREC_VA, brppn,
                                                    phys.guards[brppn].wcap, TLBF_WRITE };
    bind_install(e, BOOTREC_VA, bind_entrylo(brppn, TLBF_WRITE));
    ksnprintf(br->cmdline, BOOTREC_CMDLINE, "%s%s%s", name, *args ? " " : "", args);

    int r = 0, pins = 0;
    const struct elf_phdr *ph = (const struct elf_phdr *)(im->start + eh->phoff);
    for (int i = 0; r == 0 && i < eh->phnum; i++)
        if (ph[i].type == PT_LOAD)
            r = load_segment(e, br, im->start, &ph[i], &pins);
    for (uint32_t va = USTACK_TOP - USTACK_PAGES * PAGE_SIZE; r == 0 && va < USTACK_TOP;
         va += PAGE_SIZE) {
        uint8_t *k;
        r = add_page(e, br, va, TLBF_WRITE, &k);
    }
    if (r < 0) {
        env_destroy(e, DEATH_EXIT, 0);
        return r;
    }
    env_start(e, eh->entry, USTACK_TOP - 16, BOOTREC_VA);
    kprintf("aegis: env %u runs %s (%u pages, entry %08x)\n", e->info->id, name,
            e->info->pages, eh->entry);
    return e->info->id;
}
