/*
 * ipcdata.h - a byte stream whose every byte depends on its position, for
 * the IPC tests: a receiver that regenerates it finds any byte lost,
 * duplicated or out of order, not just a wrong sum.
 */
#ifndef USERLAND_IPCDATA_H
#define USERLAND_IPCDATA_H

#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "lock.h"
#include "sys.h"

/* Byte number i of the stream. */
static inline uint8_t ipc_byte(uint32_t i)
{
    return (uint8_t)(i + (i >> 8) * 7 + (i >> 16) * 13 + (i >> 24) * 17);
}

/* Fills buf with bytes [pos, pos + n) of the stream. */
static inline void ipc_fill(uint8_t *buf, uint32_t pos, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++)
        buf[k] = ipc_byte(pos + k);
}

/* How many of buf's n bytes differ from bytes [pos, pos + n). */
static inline uint32_t ipc_check(const uint8_t *buf, uint32_t pos, uint32_t n)
{
    uint32_t bad = 0;

    for (uint32_t k = 0; k < n; k++)
        bad += buf[k] != ipc_byte(pos + k);
    return bad;
}

/* A checksum of a whole transfer, order-sensitive (Fletcher's, without
 * the modulus: b weighs each byte by its distance from the end). */
struct ipc_sum {
    uint32_t a, b;
};

static inline void ipc_sum_add(struct ipc_sum *s, const uint8_t *buf, uint32_t n)
{
    for (uint32_t k = 0; k < n; k++) {
        s->a += buf[k];
        s->b += s->a;
    }
}

/* Burns about n * 4 instructions: makes one side of a transfer slower. */
static inline void ipc_work(uint32_t n)
{
    for (volatile uint32_t i = 0; i < n; i++)
        ;
}

/* Writes all of buf to fd (write may take it in pieces): 0, or -1. */
static inline int ipc_write_all(int fd, const uint8_t *buf, uint32_t n)
{
    while (n > 0) {
        int r = write(fd, buf, n);
        if (r <= 0)
            return -1;
        buf += r;
        n -= r;
    }
    return 0;
}

/* The two ends of `ipc_produce | ipc_consume` (programs of their own, and
 * forked children of t_pipe): n bytes of the stream through stdio. */
static inline int ipc_produce(uint32_t n)
{
    static uint8_t buf[3000];           /* (not a divisor of the ring) */

    for (uint32_t pos = 0; pos < n;) {
        uint32_t k = n - pos < sizeof buf ? n - pos : sizeof buf;
        ipc_fill(buf, pos, k);
        if (fwrite(buf, 1, k, stdout) != k)
            return 1;
        pos += k;
    }
    return fflush(stdout) != 0;
}

/* 0 if stdin carried exactly the n bytes of the stream, then EOF. */
static inline int ipc_consume(uint32_t n)
{
    static uint8_t buf[1000];
    uint32_t pos = 0, bad = 0;
    size_t k;

    while ((k = fread(buf, 1, sizeof buf, stdin)) > 0) {
        bad += ipc_check(buf, pos, k);
        pos += k;
    }
    return pos == n && bad == 0 ? 0 : 1;
}

/* A counter in shared memory, and what each of its workers reports. */
struct ipc_counter {
    volatile uint32_t lock;             /* lock.h */
    volatile uint32_t count;
    volatile uint32_t waits[4];         /* lock_stats.waits of worker i */
};

/* n increments of c->count, under its lock or not.  Every 64th gives the
 * CPU away between the read and the write, as a preemption would: without
 * the lock, the other workers' increments meanwhile are lost. */
static inline void ipc_count(struct ipc_counter *c, uint32_t n, int locked)
{
    for (uint32_t i = 0; i < n; i++) {
        if (locked)
            lock_acquire(&c->lock);
        uint32_t v = c->count;
        if (i % 64 == 0)
            sys_yield(-1);
        c->count = v + 1;
        if (locked)
            lock_release(&c->lock);
    }
}

#endif /* USERLAND_IPCDATA_H */
