/*
 * trace.h - the TLB tracer (abi.h, "The TLB tracer"; docs/tlbtrace.md).
 *
 * Tracing is a second set of exception vectors (vectors_traced.S), installed by
 * pointing EBase at them while tracing is on.  The plain vectors never test
 * whether tracing is on: off, it costs their fast paths nothing.  The C
 * slow paths record their own events through trace_event(), which tests one
 * flag.
 */
#ifndef AEGIS_TRACE_H
#define AEGIS_TRACE_H

#include <stdint.h>

/* Records an event for environment env, if tracing is on. */
void trace_event(unsigned kind, unsigned env, unsigned slot, uint32_t va, uint32_t a, uint32_t b);

/* Turns tracing on or off (switching EBase); returns whether it was on. */
int trace_set(int on);

/* Copies the hardware TLB into the exposed tlb[]; returns its size. */
int trace_tlb_snapshot(void);

#endif /* AEGIS_TRACE_H */
