/*
 * shm.h - shared memory between processes, in the library.
 *
 * The kernel knows pages and capabilities, not sharing: a page's write
 * capability lets whoever presents it bind the page writable, in any
 * environment (SYS_TLB_WRITE checks the capability, not who asks).  So a
 * process shares pages by handing their (ppn, capability) pairs - grants -
 * to another, in a register, a shared page or a start record, and both map
 * them.  This module:
 *  - maps granted pages "shared" (PTE_SHARED) in ExOS's IPC window, so that
 *    fork hands the child the same pages, not copy-on-write copies;
 *  - allocates virtual space in that window;
 *  - names segments: a creator publishes a segment's page list under a
 *    name (names.h) and others attach it by that name.
 * Pages belong to the process that allocated them: when it exits, the
 * kernel reclaims them and every other mapping of them dies.
 */
#ifndef EXOS_SHM_H
#define EXOS_SHM_H

#include <stdint.h>

#include "exos.h"

/* PTE_SHARED (vm.h) marks the pages a segment maps. */

/* The IPC window: ExOS policy, like the windows of exos.h. */
#define SHM_VA          0x60000000u     /* segments and pipes (shm_va_alloc) */
#define SHM_VA_END      0x6f000000u
#define LRPC_BUF_VA     0x6f000000u     /* an LRPC server: client c's buffer at + c pages */
#define NAMES_VA        0x6f100000u     /* the name table (names.h) */
#define INHERIT_VA      0x6f101000u     /* what a parent hands a spawned child (fd.c) */

/* One page, as another process can map it. */
struct shm_grant {
    uint32_t ppn;
    uint32_t cap;           /* the write capability (or a read one: read-only) */
};

/* --- Pages ------------------------------------------------------------- */

/* n fresh (zeroed) pages of ours: their grants in g.  0 or -E_NOMEM. */
int shm_grant_alloc(struct shm_grant *g, uint32_t n);

/* Gives the pages back: every mapping of them, anywhere, dies. */
void shm_grant_free(const struct shm_grant *g, uint32_t n);

/* Maps the n granted pages at va (page-aligned), shared.  g is kept, not
 * copied: it must stay readable as long as the pages are mapped.  0, or
 * -E_NOMEM (too many ranges), -E_BADCAP and the like from the kernel. */
int shm_map(uint32_t va, const struct shm_grant *g, uint32_t n);

/* Unmaps the range shm_map mapped at va (the pages themselves stay). */
void shm_unmap(uint32_t va);

/* n pages of free virtual space in the IPC window: its address, or 0. */
uint32_t shm_va_alloc(uint32_t n);
void shm_va_free(uint32_t va, uint32_t n);

/* --- Named segments ---------------------------------------------------- */

#define SHM_MAX_SIZE    (510 * PAGE_SIZE)   /* what one directory page lists */

/* A new segment of size bytes (zeroed), published under name.  0, or
 * -E_BUSY (a live process has that name), -E_NOMEM, -E_INVAL (size 0 or
 * too large, name too long). */
int shm_create(const char *name, uint32_t size);

/* Maps segment name here: its address (and its size in *size if not
 * NULL), or NULL if there is no such segment or no room. */
void *shm_attach(const char *name, uint32_t *size);

/* Unmaps a segment shm_attach mapped at addr.  0 or -E_INVAL. */
int shm_detach(void *addr);

/* The creator ends a segment: its name goes, its pages are freed (others
 * still attached lose them).  0, -E_NOENV (no such name), -E_PERM. */
int shm_destroy(const char *name);

/* What shared memory cost this process. */
struct shm_stats {
    uint32_t write_faults;      /* writes that found a shared page bound read-only */
};
extern volatile struct shm_stats shm_stats;   /* (the exception path updates it) */

#endif /* EXOS_SHM_H */
