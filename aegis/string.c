/*
 * string.c - memset and memcpy, which the C compiler may call on its own
 * (to clear or copy a structure) even in a freestanding kernel.
 */
#include <stddef.h>
#include <stdint.h>

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    uint32_t w = (unsigned char)c * 0x01010101u;

    /* A word at a time where it can: the kernel clears whole structures
     * (a new environment's registers and FPU state) on paths that count. */
    while (n > 0 && ((uintptr_t)d & 3)) {
        *d++ = (unsigned char)c;
        n--;
    }
    for (; n >= 4; n -= 4, d += 4)
        *(uint32_t *)d = w;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    while (n--)
        *d++ = *s++;
    return dst;
}
