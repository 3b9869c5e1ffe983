/*
 * freepages.h - how many physical pages are free, from the exposed table
 * (tests compare it before and after, to show nothing leaked).  Always
 * inlined: raw children (child.h) may call it from their pinned code.
 */
#ifndef USERLAND_FREEPAGES_H
#define USERLAND_FREEPAGES_H

#include <stdint.h>

#include "abi.h"

static inline __attribute__((always_inline, unused)) uint32_t free_pages(void)
{
    uint32_t n = 0;

    for (uint32_t p = 0; p < AEGIS_EXPOSED->npages; p++)
        n += AEGIS_EXPOSED->pages[p].owner == OWNER_FREE;
    return n;
}

#endif /* USERLAND_FREEPAGES_H */
