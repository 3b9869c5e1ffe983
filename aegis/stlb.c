/*
 * stlb.c - the software TLB's table operations (see stlb.h).  The hot path,
 * the lookup on a refill, is not here but in vectors.S.
 */
#include "stlb.h"

#include <stddef.h>

void (*stlb_retire_hook)(uint32_t tag, uint32_t hits);

/* Empties e, reporting its hits to the kernel first. */
static void retire(struct stlb_entry *e)
{
    if (stlb_retire_hook != NULL && e->tag != STLB_EMPTY)
        stlb_retire_hook(e->tag, e->hits);
    e->tag = STLB_EMPTY;
    e->lo0 = e->lo1 = 0;
    e->hits = 0;
}

void stlb_init(struct stlb_entry *stlb)
{
    for (uint32_t i = 0; i < STLB_ENTRIES; i++) {
        stlb[i].tag = STLB_EMPTY;
        stlb[i].lo0 = stlb[i].lo1 = 0;
        stlb[i].hits = 0;
    }
}

uint32_t stlb_bind(struct stlb_entry *stlb, uint32_t tag, int half, uint32_t lo)
{
    struct stlb_entry *e = &stlb[stlb_index(tag)];
    uint32_t displaced = STLB_EMPTY;

    if (e->tag != tag) {
        displaced = e->tag;
        retire(e);
        e->tag = tag;
    }
    if (half)
        e->lo1 = lo;
    else
        e->lo0 = lo;
    return displaced;
}

struct stlb_entry *stlb_lookup(struct stlb_entry *stlb, uint32_t tag)
{
    struct stlb_entry *e = &stlb[stlb_index(tag)];

    return e->tag == tag ? e : NULL;
}

/* Frees e if neither half is bound any more. */
static void drop_if_empty(struct stlb_entry *e)
{
    if (!(e->lo0 & ENTRYLO_V) && !(e->lo1 & ENTRYLO_V))
        retire(e);
}

int stlb_unbind(struct stlb_entry *stlb, uint32_t tag, int half)
{
    struct stlb_entry *e = stlb_lookup(stlb, tag);
    uint32_t *lo;

    if (e == NULL)
        return 0;
    lo = half ? &e->lo1 : &e->lo0;
    if (!(*lo & ENTRYLO_V))
        return 0;
    *lo = 0;
    drop_if_empty(e);
    return 1;
}

int stlb_unbind_if(struct stlb_entry *stlb, int (*doomed)(uint32_t ppn, void *arg), void *arg,
                   void (*gone)(uint32_t tag, void *arg), void *garg)
{
    int n = 0;

    for (uint32_t i = 0; i < STLB_ENTRIES; i++) {
        struct stlb_entry *e = &stlb[i];
        int hit = 0;

        if (e->tag == STLB_EMPTY)
            continue;
        if ((e->lo0 & ENTRYLO_V) && doomed(entrylo_ppn(e->lo0), arg))
            e->lo0 = 0, hit++;
        if ((e->lo1 & ENTRYLO_V) && doomed(entrylo_ppn(e->lo1), arg))
            e->lo1 = 0, hit++;
        if (hit) {
            uint32_t tag = e->tag;
            drop_if_empty(e);
            if (gone != NULL)
                gone(tag, garg);
            n += hit;
        }
    }
    return n;
}

static int is_ppn(uint32_t ppn, void *arg)
{
    return ppn == *(uint32_t *)arg;
}

int stlb_unbind_ppn(struct stlb_entry *stlb, uint32_t ppn,
                    void (*gone)(uint32_t tag, void *arg), void *arg)
{
    return stlb_unbind_if(stlb, is_ppn, &ppn, gone, arg);
}

int stlb_flush_asids(struct stlb_entry *stlb, const uint8_t doomed[NASID])
{
    int n = 0;

    for (uint32_t i = 0; i < STLB_ENTRIES; i++) {
        struct stlb_entry *e = &stlb[i];
        if (e->tag != STLB_EMPTY && doomed[e->tag & ENTRYHI_ASID_MASK]) {
            retire(e);
            n++;
        }
    }
    return n;
}

int stlb_flush_asid(struct stlb_entry *stlb, uint32_t asid)
{
    int n = 0;

    for (uint32_t i = 0; i < STLB_ENTRIES; i++) {
        struct stlb_entry *e = &stlb[i];
        if (e->tag != STLB_EMPTY && (e->tag & ENTRYHI_ASID_MASK) == asid) {
            retire(e);
            n++;
        }
    }
    return n;
}
