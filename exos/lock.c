/*
 * lock.c - a lock in shared memory that yields to its holder (see lock.h).
 */
#include "lock.h"

#include "exos.h"
#include "peer.h"

struct lock_stats lock_stats;

/* Replaces *lock's value `from` by `to` if it is still `from`. */
static int swap(volatile uint32_t *lock, uint32_t from, uint32_t to)
{
    return __atomic_compare_exchange_n(lock, &from, to, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

int lock_try(volatile uint32_t *lock)
{
    uint32_t holder = *lock;

    if (holder == 0)
        return swap(lock, 0, exos_envid());
    if (!peer_alive(holder))        /* it died holding it: take it over */
        return swap(lock, holder, exos_envid());
    return 0;
}

void lock_acquire(volatile uint32_t *lock)
{
    while (!lock_try(lock)) {
        uint32_t holder = *lock;
        if (holder != 0) {
            lock_stats.waits++;
            peer_yield(holder);     /* only the holder can let us in */
        }
    }
}

void lock_release(volatile uint32_t *lock)
{
    __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}
