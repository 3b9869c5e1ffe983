/*
 * trace.c - the TLB tracer's C half (see trace.h).
 */
#include "trace.h"

#include "exposed.h"
#include "mips.h"
#include "tlb.h"

extern char __vectors[], __vectors_traced[];

void trace_event(unsigned kind, unsigned env, unsigned slot, uint32_t va, uint32_t a, uint32_t b)
{
    struct trace_ring *t = &kexposed.trace;

    if (!t->on)
        return;
    t->ev[t->head % TRACE_NEVENTS] = (struct trace_event){ kind, env, slot, va, a, b };
    t->head++;
    t->counts[env][kind]++;
}

int trace_set(int on)
{
    int was = kexposed.trace.on;
    uint32_t status = mfc0(C0_STATUS, 0);

    on = on != 0;
    if (on && !was) {               /* a fresh count for each session */
        for (unsigned e = 0; e <= NENV; e++)
            for (unsigned k = 0; k < 16; k++)
                kexposed.trace.counts[e][k] = 0;
    }
    /* EBase may only change while exceptions use the boot vectors (BEV);
     * we run with EXL set, so nothing can be taken in between. */
    mtc0(C0_STATUS, 0, status | ST_BEV);
    __asm__ volatile("ehb");
    mtc0(C0_EBASE, 1, (uint32_t)(on ? __vectors_traced : __vectors));
    __asm__ volatile("ehb");
    mtc0(C0_STATUS, 0, status);
    __asm__ volatile("ehb");
    kexposed.trace.on = on;
    return was;
}

int trace_tlb_snapshot(void)
{
    unsigned n = tlb_size();

    for (unsigned i = 0; i < n && i < 16; i++) {
        struct tlb_snapshot *s = &kexposed.tlb[i];
        tlb_read(i, &s->hi, &s->lo0, &s->lo1);
        s->mask = 0;
    }
    kexposed.tlb_wired = mfc0(C0_WIRED, 0);
    return n;
}
