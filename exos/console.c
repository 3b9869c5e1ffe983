/*
 * console.c - the console device (see console.h).
 */
#include "console.h"

#include <stdint.h>

#include "exos.h"
#include "sys.h"

/* Reads a byte of every page of [p, p+n): each is bound again if the
 * kernel had let its binding go (the STLB and the TLB are caches). */
static void touch(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i += PAGE_SIZE - ((uint32_t)(p + i) & (PAGE_SIZE - 1)))
        (void)*(volatile const char *)(p + i);
    if (n > 0)
        (void)*(volatile const char *)(p + n - 1);
}

int console_write(const void *buf, size_t n)
{
    const char *p = buf;
    size_t done = 0;

    /* The kernel prints at most CPUTS_MAX bytes a call, and reads the
     * buffer only through bindings it holds now; if they were evicted
     * (E_FAULT), touch the pages and try again. */
    while (done < n) {
        size_t chunk = n - done < CPUTS_MAX ? n - done : CPUTS_MAX;
        int32_t r = sys_cputs(p + done, chunk);
        for (int tries = 0; r == -E_FAULT && tries < 4; tries++) {
            touch(p + done, chunk);
            r = sys_cputs(p + done, chunk);
        }
        if (r <= 0)
            return done > 0 ? (int)done : -1;
        done += (size_t)r;
    }
    return (int)done;
}

/* Poll, giving the CPU away while nothing has arrived. */
int console_read(void *buf, size_t n)
{
    int32_t c;

    if (n == 0)
        return 0;
    while ((c = sys_cgetc()) == -E_AGAIN)
        sys_yield(-1);
    *(char *)buf = (char)c;
    return 1;
}
