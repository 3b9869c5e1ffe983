/*
 * sched.h - the processor as a resource: the time-slice vector, the
 * visible revocation of the CPU at the end of a slice, and the abort
 * protocol for environments that do not give it back.
 *
 * CPU time is a vector of kexposed.nslices slices (the kernel command
 * line's slices=, default 8), stepped round robin, one slice per timer
 * tick.  Environments allocate positions in it as they allocate physical
 * pages (SYS_SLICE_ALLOC): many slices for long bursts, spread slices for
 * responsiveness.  The owner of a slice runs in it, or the environment it
 * has donated its slices to (a synchronous PCT writes xframe.donate).
 *
 * At the end of a slice the kernel does not take the CPU silently: it
 * upcalls the running environment (UPCALL_SLICE_END), which does what it
 * needs (a library OS may save state the kernel does not know of, switch
 * its own threads, ...) and yields within the grace window (upcall_bound=
 * instructions).  The registers the timer interrupt saved are kept aside,
 * so a prompt answer resumes the environment exactly where the upcall
 * found it.  If it does not answer, the timer fires again and the kernel
 * takes the CPU by force, keeping the registers as they are then, and
 * charges the window against the environment's next slices (env_info.debt);
 * MAX_OVERRUNS such aborts in a row destroy it.  Page revocation uses the
 * same upcall and window.
 */
#ifndef AEGIS_SCHED_H
#define AEGIS_SCHED_H

#include <stdint.h>

#include "env.h"

/* nslices slices of slice_count Count ticks; grace of bound instructions. */
void sched_init(uint32_t nslices, uint32_t slice_count, uint32_t bound_insns);

/* SYS_SLICE_ALLOC: caller gives slot pos (-1: any) to e (itself or its
 * child).  A top-level caller (parent 0) takes free slots; any caller may
 * pass a slot it holds to its child.  pos, or -E_INVAL, -E_BUSY (held by
 * someone else), -E_PERM (free, and the caller may not take free slots),
 * -E_NOMEM (none to give). */
int sched_slice_alloc(struct env *caller, struct env *e, uint32_t pos);
/* SYS_SLICE_FREE. */
int sched_slice_free(struct env *e, uint32_t pos);

/* The timer fired while an environment ran (its registers are saved). */
void sched_tick(void);

/* SYS_YIELD: e gives the rest of its slice to target (NULL: ends it). */
void sched_yield(struct env *e, struct env *target);

/* SYS_PAGE_REVOKE: asks e to give back n pages, counted over e and its
 * descendants (at most what they own). */
void sched_revoke(struct env *e, uint32_t n);

/* Picks who runs now (the current slice's owner or its donee, else any
 * runnable environment) and switches to it; starts the next program or
 * shuts down when nobody can run. */
void sched_run(void);

/* e is being destroyed: drop its slices and any pending upcall. */
void sched_forget(struct env *e);

#endif /* AEGIS_SCHED_H */
