/*
 * exposed.c - the exposed kernel tables (see exposed.h).
 */
#include "exposed.h"

#include <stddef.h>

#include "stlb.h"

struct aegis_exposed kexposed __attribute__((section(".exposed"), aligned(4096)));

/* vectors.S finds the STLB with a single lui (symbol __stlb, mips.ld): it
 * must start on a 64 KiB boundary, which this offset guarantees given
 * mips.ld's 512 KiB one. */
_Static_assert(offsetof(struct aegis_exposed, stlb) == 0x40000, "STLB offset");
_Static_assert(offsetof(struct aegis_exposed, current) == 0x50000, "__cur_id offset");
_Static_assert(offsetof(struct aegis_exposed, current_xframe) == 0x50004, "__cur_xframe offset");
_Static_assert(offsetof(struct aegis_exposed, trace) == EXPOSED_TRACE, "trace ring offset");
_Static_assert(offsetof(struct trace_ring, counts) == 8 && sizeof(struct trace_event) == 16 &&
               offsetof(struct trace_ring, ev) == 8 + (NENV + 1) * 64, "vectors_traced.S offsets");
_Static_assert(sizeof(struct aegis_exposed) <= EXPOSED_SIZE, "exposed tables too big");

void exposed_init(uint32_t npages)
{
    char *p = (char *)&kexposed;

    for (size_t i = 0; i < sizeof kexposed; i++)
        p[i] = 0;
    stlb_init(kexposed.stlb);
    kexposed.npages = npages;
}
