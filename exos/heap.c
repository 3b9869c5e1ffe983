/*
 * heap.c - the program break (newlib's _sbrk).
 *
 * The heap starts after the program's BSS and is a demand-zero region: the
 * break only moves a number, and each page arrives, zeroed, the first time
 * it is touched (vm.c).  So malloc(1 << 20) costs nothing until used.
 */
#include <errno.h>

#include "exos.h"
#include "vm.h"

#define HEAP_LIMIT  0x40000000u     /* far below the stack and ExOS's windows */

static uint32_t brk;        /* the break: first byte not in the heap */

void exos_heap_init(uint32_t start)
{
    brk = start;
    /* The page holding `end` is BSS's last page, already mapped; pages
     * after it come on demand. */
    vm_zero_region((start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1), HEAP_LIMIT);
}

void *_sbrk(ptrdiff_t incr)
{
    uint32_t old = brk, want = brk + (uint32_t)incr;

    if (incr < 0 || want > HEAP_LIMIT || want < old) {
        errno = ENOMEM;
        return (void *)-1;
    }
    brk = want;
    return (void *)old;
}
