/*
 * t_sec_cputs - no system call holds the CPU for long.
 *
 * The kernel runs with interrupts off, so every system call's work must be
 * bounded: otherwise one call keeps the timer, and everyone else's slices,
 * waiting for as long as its arguments say.  SYS_CPUTS printed all of a
 * buffer of any length, about 100 instructions a byte (256 KiB: 26 million
 * instructions, 2.6 slices of 10 ms).  It must write at most CPUTS_MAX
 * bytes a call and return how many it wrote (the library loops).
 *
 * The attack: calls of 256 KiB (every page bound) and of 32 MiB (the first
 * 256 KiB bound: a kernel that clamps the length first writes CPUTS_MAX of
 * them), timed with the clock.  Each must return between 1 and CPUTS_MAX
 * and take less than CPUTS_MAX x 400 instructions.  The buffer is one page
 * of carriage returns bound 64 times: the console shows nothing, and the
 * test logs drop them (test/run.sh deletes every \r), so the log stays
 * small even when the kernel prints 256 KiB.
 */
#include <stdint.h>

#include "sec.h"
#include "tap.h"

#ifndef CPUTS_MAX
#define CPUTS_MAX   1024
#endif

#define VA_FILL     0x2ff00000u     /* the page, writable, to fill it */
#define VA_BUF      0x30000000u     /* it again, 64 times: 256 KiB */
#define NBUF        64
/* The longest a call may take, in Count ticks: 400 instructions a byte
 * (the old kernel spends about 100 a byte; the difference is headroom). */
#define BOUND       (CPUTS_MAX * 400 / COUNT_NS)

/* Reads a byte of every page of the buffer, so that all are bound now
 * (ExOS binds them again if the kernel's caches let them go). */
static void touch(void)
{
    for (uint32_t i = 0; i < NBUF; i++)
        (void)*(volatile const char *)(VA_BUF + i * PAGE_SIZE);
}

static int32_t timed(uint32_t len, uint32_t *ticks)
{
    touch();
    uint32_t t0 = sec_count();
    int32_t r = sys_cputs((const char *)VA_BUF, len);
    *ticks = sec_count() - t0;
    return r;
}

static void call(uint32_t len, const char *what)
{
    uint32_t t;
    int32_t r = timed(len, &t);
    char name[120];

    snprintf(name, sizeof name, "%s: returns how many it wrote, at most CPUTS_MAX (%d)", what,
             CPUTS_MAX);
    check(r > 0 && r <= CPUTS_MAX, name, "returned %ld", (long)r);
    snprintf(name, sizeof name, "%s: takes less than %d ticks", what, BOUND);
    check(t < BOUND, name, "%lu ticks, %lu instructions", (unsigned long)t,
          (unsigned long)t * COUNT_NS);
    printf("# %s: returned %ld after %lu ticks\n", what, (long)r, (unsigned long)t);
}

int main(void)
{
    uint32_t wcap = 0, t = 0;
    int32_t p = sys_page_alloc(-1, &wcap);
    int ok = p > 0 && vm_map(VA_FILL, p, wcap, PTE_W | PTE_DIRTY) == 0;

    for (uint32_t i = 0; ok && i < PAGE_SIZE; i++)
        ((volatile char *)VA_FILL)[i] = '\r';
    for (uint32_t i = 0; ok && i < NBUF; i++)
        ok &= vm_map(VA_BUF + i * PAGE_SIZE, p, wcap, 0) == 0;
    check(ok, "a page of carriage returns, bound 64 times in a row", "-");

    int32_t r = timed(16, &t);
    check(r == 16 && t < BOUND, "a 16-byte call writes 16 bytes, quickly", "returned %ld, %lu ticks",
          (long)r, (unsigned long)t);
    call(NBUF * PAGE_SIZE, "a 256 KiB call");
    call(32u << 20, "a 32 MiB call");
    return tap_done();
}
