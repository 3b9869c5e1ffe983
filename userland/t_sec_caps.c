/*
 * t_sec_caps - capabilities cannot be predicted from other capabilities.
 *
 * A capability is the only thing between a page and whoever wants to write
 * it, so knowing any number of capabilities must tell nothing about the
 * others.  A kernel that draws them from one invertible stream (xorshift32,
 * two consecutive outputs per allocation: read cap, then write cap) gives
 * every allocator a window on the whole stream.
 *
 * The attack: a raw child allocates two pages and learns their four
 * capabilities.  It checks whether one follows from another, then walks
 * the stream back from its first cap and forward from its last, and tries
 * every candidate as a write capability (SYS_TLB_WRITE with TLBF_WRITE) on
 * every page the exposed tables say its parent owns.  The parent allocated
 * a secret page just before the child was made and another just after it
 * ran; where the child gets a writable binding to one of those it
 * overwrites the secret (the others it only counts).  Nothing may bind.
 *
 * Also: a page freed and allocated again gets new capabilities and the old
 * ones no longer bind.  (That holds on the old kernel too; it guards the
 * per-page allocation generation of a derived capability.)
 */
#include <stdint.h>

#include "sec.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define VA_SECRET_B 0x10004000u     /* allocated before the child */
#define VA_SECRET_A 0x10006000u     /* allocated after it ran */
#define VA_PROBE    0x20000000u     /* where the child binds its guesses */
#define VA_REUSE    0x10008000u
#define STEPS       64              /* stream outputs tried each way */
#define SECRET_B    0x5ec7e7b0u
#define SECRET_A    0x5ec7e7a0u
#define SMASHED     0xbadbadu

struct shared {
    volatile uint32_t parent;
    volatile uint32_t secret_ppn[2];
    volatile uint32_t r1, w1, r2, w2;       /* the child's own caps */
    volatile int32_t own_probe;             /* its own page, its own cap */
    volatile uint32_t pages_seen;           /* the parent's pages it tried */
    volatile uint32_t tries;
    volatile uint32_t hits[2];              /* writable bindings won: back, forward */
    volatile uint32_t secret_hit[2];        /* of which the secret pages */
    volatile uint32_t phase;                /* 1: first sweep done; 2: go on; 3: done */
};

/* xorshift32 (13, 17, 5) and its inverse: each step x ^= x << s (or >> s)
 * is undone by xoring in the shifts s, 2s, 3s... of the result. */
static CHILD uint32_t xs_next(uint32_t x)
{
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

static CHILD uint32_t undo_left(uint32_t y, int s)
{
    uint32_t x = y;
    for (int k = s; k < 32; k += s)
        x ^= y << k;
    return x;
}

static CHILD uint32_t xs_prev(uint32_t y)
{
    y = undo_left(y, 5);
    y ^= y >> 17;               /* 2 x 17 > 32: one term */
    return undo_left(y, 13);
}

/* Tries cap as a write capability on every page the parent owns. */
static CHILD void try_cap(struct shared *sh, uint32_t cap, int dir)
{
    uint32_t parent = sh->parent, seen = 0;

    for (uint32_t ppn = 0; ppn < AEGIS_EXPOSED->npages; ppn++) {
        if (AEGIS_EXPOSED->pages[ppn].owner != parent)
            continue;
        seen++;
        sh->tries++;
        if (sys_tlb_write(0, VA_PROBE, ppn, cap, TLBF_WRITE) != 0)
            continue;
        sh->hits[dir]++;
        if (ppn == sh->secret_ppn[0] || ppn == sh->secret_ppn[1]) {
            *(volatile uint32_t *)VA_PROBE = SMASHED;
            sh->secret_hit[dir]++;
        }
        sys_tlb_delete(0, VA_PROBE);
    }
    sh->pages_seen = seen;
}

static CHILD void attacker(uint32_t arg)
{
    struct shared *sh = (struct shared *)VA_SHARED;
    uint32_t w1, w2, r1 = 0, r2 = 0;
    (void)arg;

    int32_t p1 = sys_page_alloc(-1, &w1);
    int32_t p2 = sys_page_alloc(-1, &w2);
    sys_page_rcap(p1, w1, &r1);
    sys_page_rcap(p2, w2, &r2);
    sh->r1 = r1, sh->w1 = w1, sh->r2 = r2, sh->w2 = w2;
    /* The probe itself must work: our own page, our own write cap. */
    sh->own_probe = sys_tlb_write(0, VA_PROBE, p1, w1, TLBF_WRITE);
    sys_tlb_delete(0, VA_PROBE);

    uint32_t x = r1;            /* backwards: what was drawn before us */
    for (int k = 0; k < STEPS; k++) {
        x = xs_prev(x);
        try_cap(sh, x, 0);
    }
    sh->phase = 1;
    while (sh->phase != 2)      /* the parent allocates again */
        sys_yield(sh->parent);
    x = w2;                     /* forwards: what was drawn after us */
    for (int k = 0; k < STEPS; k++) {
        x = xs_next(x);
        try_cap(sh, x, 1);
    }
    sh->phase = 3;
    sys_env_destroy(0, 0);
}

/* The host's copy of the stream step, for the parent's own checks. */
static uint32_t next(uint32_t x)
{
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return x;
}

int main(void)
{
    uint32_t wcap = 0, wb = 0, wa = 0;
    int32_t ppn = 0;
    struct shared *sh = (struct shared *)VA_SHARED;
    volatile uint32_t *sec_b = (uint32_t *)VA_SECRET_B, *sec_a = (uint32_t *)VA_SECRET_A;
    int slot;

    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    sh->parent = exos_envid();

    /* Our first secret, then the child (its pages are allocations too). */
    int32_t pb = sys_page_alloc(-1, &wb);
    check(pb > 0 && vm_map(VA_SECRET_B, pb, wb, PTE_W | PTE_DIRTY) == 0, "a secret page", "-");
    *sec_b = SECRET_B;
    sh->secret_ppn[0] = pb;
    sh->secret_ppn[1] = 0xffffffffu;
    int32_t cid = child_create(VA_SHARED, ppn, wcap, &slot);
    check(cid > 0 && child_start(cid, attacker, 0) == 0, "an attacking child starts", "%ld",
          (long)cid);
    for (int i = 0; i < 100000 && sh->phase != 1; i++)
        sys_yield(cid);

    /* Our second secret, drawn after everything the child has seen. */
    int32_t pa = sys_page_alloc(-1, &wa);
    check(pa > 0 && vm_map(VA_SECRET_A, pa, wa, PTE_W | PTE_DIRTY) == 0,
          "a second secret page, allocated after the child's", "-");
    *sec_a = SECRET_A;
    sh->secret_ppn[1] = pa;
    sh->phase = 2;
    for (int i = 0; i < 100000 && sh->phase != 3; i++)
        sys_yield(cid);

    check(sh->phase == 3 && sh->own_probe == 0 && sh->pages_seen >= 10,
          "the child ran its sweeps (its own cap binds its own page; it saw our pages)",
          "phase %lu, own probe %ld, %lu of our pages", (unsigned long)sh->phase,
          (long)sh->own_probe, (unsigned long)sh->pages_seen);
    printf("# the child tried %lu (cap, page) pairs on %lu of our pages\n",
           (unsigned long)sh->tries, (unsigned long)sh->pages_seen);
    check(sh->w1 != next(sh->r1) && sh->w2 != next(sh->r2),
          "a page's write cap does not follow from its read cap",
          "w1 %08lx = xorshift32(r1 %08lx)", (unsigned long)sh->w1, (unsigned long)sh->r1);
    check(sh->r2 != next(sh->w1), "an allocation's caps do not follow from the last one's",
          "r2 %08lx = xorshift32(w1 %08lx)", (unsigned long)sh->r2, (unsigned long)sh->w1);
    check(sh->hits[0] == 0,
          "caps predicted backwards from the child's bind none of our pages writable",
          "%lu of our pages bound writable, secret %s", (unsigned long)sh->hits[0],
          sh->secret_hit[0] ? "among them" : "not among them");
    check(sh->hits[1] == 0,
          "caps predicted forwards from the child's bind none of our pages writable",
          "%lu of our pages bound writable, secret %s", (unsigned long)sh->hits[1],
          sh->secret_hit[1] ? "among them" : "not among them");
    check(*sec_b == SECRET_B && *sec_a == SECRET_A, "our secrets are intact",
          "before: %08lx, after: %08lx", (unsigned long)*sec_b, (unsigned long)*sec_a);

    /* The same page again: new caps, and the old ones are void. */
    uint32_t c1 = 0, r1 = 0, c2 = 0, r2 = 0;
    int32_t p = sys_page_alloc(-1, &c1);
    sys_page_rcap(p, c1, &r1);
    int ok = p > 0 && sys_page_free(p) == 0 && sys_page_alloc(p, &c2) == p &&
             sys_page_rcap(p, c2, &r2) == 0;
    check(ok && c1 != c2 && r1 != r2 && c2 != 0 && r2 != 0,
          "a page freed and allocated again gets new capabilities",
          "write %08lx -> %08lx, read %08lx -> %08lx", (unsigned long)c1, (unsigned long)c2,
          (unsigned long)r1, (unsigned long)r2);
    check(sys_tlb_write(0, VA_REUSE, p, c1, TLBF_WRITE) == -E_BADCAP &&
          sys_tlb_write(0, VA_REUSE, p, r1, 0) == -E_BADCAP &&
          sys_tlb_write(0, VA_REUSE, p, c2, TLBF_WRITE) == 0,
          "its old capabilities bind nothing; the new one does", "-");
    sys_tlb_delete(0, VA_REUSE);
    sys_page_free(p);
    if (cid > 0)
        sys_env_reap(cid);
    return tap_done();
}
