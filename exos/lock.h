/*
 * lock.h - a mutual-exclusion lock for processes that share memory.
 *
 * The lock is one word in shared memory: 0 when free, else the envid of
 * the process holding it.  Taking it is one compare-and-swap (ll/sc: an
 * exception or a switch between the two breaks the link, so it is atomic
 * on this uniprocessor without the kernel).  A process that finds it taken
 * does not spin: it yields to the holder, which is the one process that
 * can release it.  A holder that died (ENV_ZOMBIE or ENV_FREE) can never
 * release it, so the lock is taken over from it: whatever it protected
 * may be half-updated, as with a robust mutex whose owner died.
 */
#ifndef EXOS_LOCK_H
#define EXOS_LOCK_H

#include <stdint.h>

/* Takes the lock, waiting (yielding to its holder) while another has it.
 * The caller must not hold it already. */
void lock_acquire(volatile uint32_t *lock);

/* Takes the lock if it is free (or its holder is dead): 1, else 0. */
int lock_try(volatile uint32_t *lock);

/* Releases a lock the caller holds. */
void lock_release(volatile uint32_t *lock);

struct lock_stats {
    uint32_t waits;         /* times lock_acquire found the lock held and yielded */
};
extern struct lock_stats lock_stats;

#endif /* EXOS_LOCK_H */
