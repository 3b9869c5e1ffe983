/*
 * exception.h - the slow paths of exceptions raised by environments.
 *
 * The fast paths are in vectors.S: an STLB hit on refill, and delivery of
 * an exception to an armed handler.  What they cannot finish comes here,
 * after vectors.S has saved the environment's registers.
 */
#ifndef AEGIS_EXCEPTION_H
#define AEGIS_EXCEPTION_H

#include "env.h"

/* A TLB refill the STLB could not serve: fill it from a guaranteed mapping,
 * or deliver it to the environment as TLBL/TLBS. */
void exception_tlb_miss(struct env *e, struct trapframe *tf);

/* Delivers the exception in tf to e's handler, or destroys e when it has
 * none armed (no handler set, or it faulted inside its handler). */
void exception_deliver(struct env *e, struct trapframe *tf);

#endif /* AEGIS_EXCEPTION_H */
