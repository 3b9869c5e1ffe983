/*
 * shm.c - shared memory (see shm.h): granted pages mapped shared, the IPC
 * window's virtual space, and named segments.
 */
#include "shm.h"

#include <stddef.h>
#include <string.h>

#include "mips.h"
#include "names.h"
#include "sys.h"
#include "vm.h"

volatile struct shm_stats shm_stats;

/* --- Pages ------------------------------------------------------------- */

/* What is mapped shared here, for the write-fault handler.  A forked child
 * gets a copy of this table with its copy of our data, and the same
 * mappings (read-only, from fork), so it can make them writable too. */
#define NRANGES 64
static struct range {
    uint32_t va, n;
    const struct shm_grant *g;
} ranges[NRANGES];

static const struct range *range_of(uint32_t va)
{
    for (int i = 0; i < NRANGES; i++)
        if (ranges[i].n != 0 && va >= ranges[i].va && va - ranges[i].va < ranges[i].n * PAGE_SIZE)
            return &ranges[i];
    return NULL;
}

/*
 * A write to a page bound read-only (EXC_MOD) or not bound (EXC_TLBS) that
 * vm.c left to us.  A shared page is mapped without PTE_W (see PTE_SHARED),
 * so vm.c refills it read-only and refuses writes: bind it writable with
 * its grant, and the store is retried.  Anything else is not ours: we step
 * aside, the store faults again and ExOS reports it as it always does.
 */
static void shm_fault(struct exos_frame *f)
{
    uint32_t va = f->badvaddr & ~(PAGE_SIZE - 1);
    const struct range *r = range_of(va);

    if (r != NULL) {
        const struct shm_grant *g = &r->g[(va - r->va) >> PAGE_SHIFT];
        if (sys_tlb_write(0, va, g->ppn, g->cap, TLBF_WRITE) == 0) {
            shm_stats.write_faults++;
            return;
        }
    }
    exos_on_exception((f->cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT, NULL);
}

int shm_grant_alloc(struct shm_grant *g, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        int32_t ppn = sys_page_alloc(-1, &g[i].cap);
        if (ppn < 0) {
            shm_grant_free(g, i);
            return -E_NOMEM;
        }
        g[i].ppn = ppn;
    }
    return 0;
}

void shm_grant_free(const struct shm_grant *g, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++)
        sys_page_free(g[i].ppn);
}

int shm_map(uint32_t va, const struct shm_grant *g, uint32_t n)
{
    static int armed;
    struct range *r = NULL;

    for (int i = 0; i < NRANGES && r == NULL; i++)
        if (ranges[i].n == 0)
            r = &ranges[i];
    if (r == NULL)
        return -E_NOMEM;
    if (!armed) {
        exos_on_exception(EXC_MOD, shm_fault);
        exos_on_exception(EXC_TLBS, shm_fault);
        armed = 1;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t p = va + i * PAGE_SIZE;
        int e = vm_map(p, g[i].ppn, g[i].cap, PTE_SHARED);
        if (e < 0) {
            while (i-- > 0)
                vm_unmap(va + i * PAGE_SIZE);
            return e;
        }
        /* Writable now if the grant allows it, saving the first fault. */
        sys_tlb_write(0, p, g[i].ppn, g[i].cap, TLBF_WRITE);
    }
    *r = (struct range){ va, n, g };
    return 0;
}

void shm_unmap(uint32_t va)
{
    for (int i = 0; i < NRANGES; i++)
        if (ranges[i].n != 0 && ranges[i].va == va) {
            for (uint32_t p = 0; p < ranges[i].n; p++)
                vm_unmap(va + p * PAGE_SIZE);
            ranges[i].n = 0;
        }
}

/* The window in chunks of 16 pages, one bit each. */
#define CHUNK           (16 * PAGE_SIZE)
#define NCHUNKS         ((SHM_VA_END - SHM_VA) / CHUNK)
static uint32_t chunk_used[NCHUNKS / 32];

static int chunk_busy(uint32_t c)
{
    return chunk_used[c / 32] & (1u << (c % 32));
}

static void chunks_mark(uint32_t first, uint32_t n, int used)
{
    for (uint32_t c = first; c < first + n; c++) {
        if (used)
            chunk_used[c / 32] |= 1u << (c % 32);
        else
            chunk_used[c / 32] &= ~(1u << (c % 32));
    }
}

uint32_t shm_va_alloc(uint32_t n)
{
    uint32_t want = (n * PAGE_SIZE + CHUNK - 1) / CHUNK;

    for (uint32_t first = 0, run = 0, c = 0; c < NCHUNKS && want > 0; c++) {
        if (chunk_busy(c)) {
            run = 0;
            continue;
        }
        if (run++ == 0)
            first = c;
        if (run == want) {
            chunks_mark(first, want, 1);
            return SHM_VA + first * CHUNK;
        }
    }
    return 0;
}

void shm_va_free(uint32_t va, uint32_t n)
{
    if (va >= SHM_VA && va < SHM_VA_END)
        chunks_mark((va - SHM_VA) / CHUNK, (n * PAGE_SIZE + CHUNK - 1) / CHUNK, 0);
}

/* --- Named segments ---------------------------------------------------- */

/* A segment's directory page: the grants of its pages.  Its own grant is
 * what the name table holds. */
#define DIR_MAGIC       0x5e9d1400u
#define DIR_MAX         ((PAGE_SIZE - 16) / sizeof(struct shm_grant))
struct shm_dir {
    uint32_t magic;
    uint32_t npages;
    uint32_t size;
    uint32_t creator;
    struct shm_grant page[DIR_MAX];
};
_Static_assert(sizeof(struct shm_dir) <= PAGE_SIZE, "one directory page");
_Static_assert(DIR_MAX * PAGE_SIZE >= SHM_MAX_SIZE, "SHM_MAX_SIZE");

/* Segments attached here. */
#define NATTACH 16
static struct attachment {
    uint32_t va;                /* the data; 0 = free slot */
    uint32_t dva;               /* the directory, mapped to read the grants */
    uint32_t npages;
    struct shm_grant dir;       /* the directory page's grant (its range's) */
} attached[NATTACH];

int shm_create(const char *name, uint32_t size)
{
    struct shm_grant dirg;
    struct name_entry old;
    uint32_t n = (size + PAGE_SIZE - 1) / PAGE_SIZE;

    if (size == 0 || size > SHM_MAX_SIZE || strlen(name) >= NAME_LEN)
        return -E_INVAL;
    if (names_init() < 0)
        return -E_NOMEM;
    if (names_lookup(name, NAME_SHM, &old) == 0)
        return -E_BUSY;
    uint32_t va = shm_va_alloc(1);
    if (va == 0 || shm_grant_alloc(&dirg, 1) < 0) {
        shm_va_free(va, 1);
        return -E_NOMEM;
    }
    /* Fill the directory through a temporary mapping. */
    struct shm_dir *d = (struct shm_dir *)va;
    int r = shm_map(va, &dirg, 1);
    if (r == 0) {
        d->magic = DIR_MAGIC;
        d->npages = n;
        d->size = size;
        d->creator = exos_envid();
        r = shm_grant_alloc(d->page, n);
        if (r == 0 && (r = names_publish(name, NAME_SHM, &dirg)) < 0)
            shm_grant_free(d->page, n);
        shm_unmap(va);
    }
    shm_va_free(va, 1);
    if (r < 0)
        shm_grant_free(&dirg, 1);
    return r;
}

/* Undoes what attach() did so far. */
static void unattach(struct attachment *a)
{
    if (a->va != 0) {
        shm_unmap(a->va);
        shm_va_free(a->va, a->npages);
    }
    if (a->dva != 0) {
        shm_unmap(a->dva);
        shm_va_free(a->dva, 1);
    }
    a->va = a->dva = 0;
}

/* Maps the directory, then the pages it lists (the data's range reads its
 * grants from the directory, so the directory stays mapped). */
static int attach(struct attachment *a, uint32_t *size)
{
    const struct shm_dir *d;

    if ((a->dva = shm_va_alloc(1)) == 0 || shm_map(a->dva, &a->dir, 1) < 0) {
        shm_va_free(a->dva, 1);
        a->dva = 0;
        return -E_NOMEM;
    }
    d = (const struct shm_dir *)a->dva;
    if (d->magic != DIR_MAGIC || d->npages > DIR_MAX)
        return -E_INVAL;
    a->npages = d->npages;
    if ((a->va = shm_va_alloc(a->npages)) == 0)
        return -E_NOMEM;
    if (shm_map(a->va, d->page, a->npages) < 0) {
        shm_va_free(a->va, a->npages);
        a->va = 0;
        return -E_NOMEM;
    }
    if (size != NULL)
        *size = d->size;
    return 0;
}

void *shm_attach(const char *name, uint32_t *size)
{
    struct name_entry e;
    struct attachment *a = NULL;

    if (names_init() < 0 || names_lookup(name, NAME_SHM, &e) < 0)
        return NULL;
    for (int i = 0; i < NATTACH && a == NULL; i++)
        if (attached[i].va == 0 && attached[i].dva == 0)
            a = &attached[i];
    if (a == NULL)
        return NULL;
    a->dir = e.grant;
    if (attach(a, size) < 0) {
        unattach(a);
        return NULL;
    }
    return (void *)a->va;
}

int shm_detach(void *addr)
{
    for (int i = 0; i < NATTACH; i++)
        if (attached[i].va != 0 && attached[i].va == (uint32_t)addr) {
            unattach(&attached[i]);
            return 0;
        }
    return -E_INVAL;
}

int shm_destroy(const char *name)
{
    struct name_entry e;

    if (names_lookup(name, NAME_SHM, &e) < 0)
        return -E_NOENV;
    if (e.owner != exos_envid())
        return -E_PERM;
    names_withdraw(name);
    /* Read the directory once more (mapped for a moment) to free its pages. */
    uint32_t va = shm_va_alloc(1);
    const struct shm_dir *d = (const struct shm_dir *)va;
    if (va != 0 && shm_map(va, &e.grant, 1) == 0) {
        for (int i = 0; i < NATTACH; i++)       /* our own attachment goes too */
            if (attached[i].va != 0 && attached[i].dir.ppn == e.grant.ppn)
                shm_detach((void *)attached[i].va);
        if (d->magic == DIR_MAGIC && d->npages <= DIR_MAX)
            shm_grant_free(d->page, d->npages);
        shm_unmap(va);
    }
    shm_va_free(va, 1);
    shm_grant_free(&e.grant, 1);
    return 0;
}
