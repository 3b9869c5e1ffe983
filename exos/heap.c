/*
 * heap.c - the program break (newlib's _sbrk), over pages ExOS allocates.
 *
 * The heap starts after the program's BSS.  Growing it allocates whole
 * pages from the kernel, records them in the page table and binds them.
 */
#include <errno.h>

#include "exos.h"
#include "pmap.h"
#include "sys.h"

#define HEAP_LIMIT  0x40000000u     /* far below the stack */

static uint32_t brk;        /* the break: first byte not in the heap */
static uint32_t mapped;     /* first page boundary not yet backed */

void exos_heap_init(uint32_t start)
{
    brk = start;
    /* The page holding `end` is already backed (it is BSS's last page). */
    mapped = (start + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
}

void *_sbrk(ptrdiff_t incr)
{
    uint32_t old = brk, want = brk + (uint32_t)incr;

    if (incr < 0 || want > HEAP_LIMIT || want < old) {
        errno = ENOMEM;
        return (void *)-1;
    }
    while (mapped < want) {
        uint32_t wcap;
        int32_t ppn = sys_page_alloc(-1, &wcap);
        if (ppn < 0 || pmap_map(mapped, ppn, wcap, TLBF_WRITE) < 0) {
            errno = ENOMEM;
            return (void *)-1;
        }
        mapped += PAGE_SIZE;
    }
    brk = want;
    return (void *)old;
}
