/*
 * pipe.c - pipes: a ring buffer in shared pages (see pipe.h).
 */
#include "pipe.h"

#include <string.h>

#include "lock.h"
#include "peer.h"
#include "sys.h"

#define PIPE_MAGIC      0x50495045u     /* "PIPE" */
#define PIPE_NPAGES     (1 + PIPE_PAGES)

_Static_assert(sizeof(struct pipe) <= PAGE_SIZE, "the header fits its page");

struct pipe_stats pipe_stats;

/* The pipes mapped here.  The header's range reads its own grant from
 * here (hdr), the ring's from the header. */
#define NPIPES 32
static struct mapped {
    struct pipe *p;             /* NULL: free slot */
    struct shm_grant hdr;
    int dropped;                /* we hold no end; kept until it can be freed */
} mapped[NPIPES];

static struct mapped *slot_of(const struct pipe *p)
{
    for (int i = 0; i < NPIPES; i++)
        if (mapped[i].p == p)
            return &mapped[i];
    return NULL;
}

static struct mapped *free_slot(void)
{
    struct mapped *m = slot_of(NULL);

    if (m == NULL) {
        pipe_collect();
        m = slot_of(NULL);
    }
    return m;
}

/* Maps a pipe's header (granted by m->hdr), then its ring, whose grants
 * the header holds, at a new address. */
static struct pipe *map(struct mapped *m)
{
    uint32_t va = shm_va_alloc(PIPE_NPAGES);
    struct pipe *p = (struct pipe *)va;

    if (va == 0)
        return NULL;
    if (shm_map(va, &m->hdr, 1) == 0) {
        if (p->magic == PIPE_MAGIC && shm_map(va + PAGE_SIZE, &p->page[1], PIPE_PAGES) == 0) {
            m->p = p;
            m->dropped = 0;
            return p;
        }
        shm_unmap(va);
    }
    shm_va_free(va, PIPE_NPAGES);
    return NULL;
}

static void unmap(struct mapped *m)
{
    uint32_t va = (uint32_t)m->p;

    shm_unmap(va + PAGE_SIZE);
    shm_unmap(va);
    shm_va_free(va, PIPE_NPAGES);
    m->p = NULL;
}

struct pipe *pipe_new(void)
{
    struct shm_grant g[PIPE_NPAGES];
    struct mapped *m = free_slot();

    if (m == NULL || shm_grant_alloc(g, PIPE_NPAGES) < 0)
        return NULL;
    m->hdr = g[0];
    /* Write the header (the ring's grants first) through a moment's
     * mapping; then map it as any holder does. */
    uint32_t va = shm_va_alloc(1);
    struct pipe *p = (struct pipe *)va;
    if (va != 0 && shm_map(va, &m->hdr, 1) == 0) {
        memcpy(p->page, g, sizeof g);
        p->creator = exos_envid();
        p->magic = PIPE_MAGIC;
        shm_unmap(va);
    }
    shm_va_free(va, 1);
    if (va == 0 || (p = map(m)) == NULL) {
        shm_grant_free(g, PIPE_NPAGES);
        return NULL;
    }
    return p;
}

struct pipe *pipe_attach(const struct shm_grant *header)
{
    for (int i = 0; i < NPIPES; i++)
        if (mapped[i].p != NULL && mapped[i].hdr.ppn == header->ppn) {
            mapped[i].dropped = 0;
            return mapped[i].p;
        }
    struct mapped *m = free_slot();
    if (m == NULL)
        return NULL;
    m->hdr = *header;
    return map(m);
}

struct shm_grant pipe_grant(const struct pipe *p)
{
    return p->page[0];
}

void pipe_hold(struct pipe *p, uint32_t pid, uint32_t readers, uint32_t writers,
               int only_if_unknown)
{
    struct pipe_holder *h = &p->holder[pid];

    if (pid == 0 || pid > NENV)
        return;
    lock_acquire(&p->hlock);
    if (!only_if_unknown || !h->known)
        *h = (struct pipe_holder){ readers, writers, 1, 0 };
    lock_release(&p->hlock);
}

/* How many ends (readers or writers) pid holds. */
static uint32_t ends(const struct pipe *p, uint32_t pid, int writers)
{
    return writers ? p->holder[pid].writers : p->holder[pid].readers;
}

/* pid died: its entry says nothing any more (its envid may be reused). */
static void forget(struct pipe *p, uint32_t pid)
{
    lock_acquire(&p->hlock);
    if (!peer_alive(pid))
        p->holder[pid] = (struct pipe_holder){ 0, 0, 0, 0 };
    lock_release(&p->hlock);
}

/* A live process holding a read (writers 0) or write end, hint first;
 * 0 if there is none. */
static uint32_t live_holder(struct pipe *p, int writers, uint32_t hint)
{
    if (hint != 0 && hint <= NENV && ends(p, hint, writers) && peer_alive(hint))
        return hint;
    for (uint32_t pid = 1; pid <= NENV; pid++) {
        if (!ends(p, pid, writers))
            continue;
        if (peer_alive(pid))
            return pid;
        forget(p, pid);
    }
    return 0;
}

/* Is anybody (but the dead) holding any end of p? */
static int held(struct pipe *p)
{
    return live_holder(p, 0, 0) != 0 || live_holder(p, 1, 0) != 0;
}

void pipe_collect(void)
{
    uint32_t me = exos_envid();

    for (int i = 0; i < NPIPES; i++) {
        struct mapped *m = &mapped[i];
        if (m->p == NULL || !m->dropped)
            continue;
        if (m->p->creator != me) {      /* (a forked child's copy of our list) */
            unmap(m);
        } else if (!held(m->p)) {
            struct shm_grant g[PIPE_NPAGES];
            memcpy(g, m->p->page, sizeof g);
            unmap(m);
            shm_grant_free(g, PIPE_NPAGES);
        }
    }
}

void pipe_drop(struct pipe *p)
{
    struct mapped *m = slot_of(p);

    if (m == NULL)
        return;
    m->dropped = 1;
    pipe_collect();
}

/* Copies between the ring (at byte count pos) and a buffer. */
static void ring_copy(struct pipe *p, uint32_t pos, void *buf, uint32_t n, int into_ring)
{
    uint8_t *ring = (uint8_t *)p + PAGE_SIZE;
    uint32_t off = pos % PIPE_SIZE, first = n < PIPE_SIZE - off ? n : PIPE_SIZE - off;

    if (into_ring) {
        memcpy(ring + off, buf, first);
        memcpy(ring, (uint8_t *)buf + first, n - first);
    } else {
        memcpy(buf, ring + off, first);
        memcpy((uint8_t *)buf + first, ring, n - first);
    }
    __asm__ volatile("" ::: "memory");  /* the bytes, then the counter */
}

int pipe_read(struct pipe *p, void *buf, uint32_t n)
{
    uint32_t got = 0;

    lock_acquire(&p->rlock);
    p->reader = exos_envid();
    for (;;) {
        uint32_t avail = p->head - p->tail;
        if (avail > 0) {
            got = avail < n ? avail : n;
            ring_copy(p, p->tail, buf, got, 0);
            p->tail += got;
            break;
        }
        uint32_t w = live_holder(p, 1, p->writer);
        if (w == 0) {
            if (p->head != p->tail)     /* written just before the last close */
                continue;
            break;                      /* end of file */
        }
        pipe_stats.read_waits++;
        peer_yield(w);
    }
    lock_release(&p->rlock);
    return (int)got;
}

int pipe_write(struct pipe *p, const void *buf, uint32_t n)
{
    uint32_t done = 0;

    lock_acquire(&p->wlock);
    p->writer = exos_envid();
    while (done < n) {
        uint32_t r = live_holder(p, 0, p->reader);
        if (r == 0)
            break;                      /* nobody will ever read it */
        uint32_t space = PIPE_SIZE - (p->head - p->tail), left = n - done;
        if (space == 0 || (n <= PIPE_ATOMIC && space < left)) {
            pipe_stats.write_waits++;
            peer_yield(r);
            continue;
        }
        uint32_t k = left < space ? left : space;
        ring_copy(p, p->head, (uint8_t *)buf + done, k, 1);
        p->head += k;
        done += k;
    }
    lock_release(&p->wlock);
    return done > 0 ? (int)done : -1;
}
