/*
 * names.h - finding a service or a segment by name: a table in one shared
 * page.
 *
 * The kernel has no global namespace (it knows environments by number and
 * pages by capability), so ExOS keeps one: a page of (name -> kind, owner,
 * grant) entries at NAMES_VA.  The first process of a family that needs it
 * creates it (names_init); its children get the same page - a forked child
 * through its inherited mappings (the page is PTE_SHARED), a spawned child
 * through the start page its parent hands it (fd.c) - so a family shares
 * one table.  Entries are changed under the table's lock (lock.h).  An
 * entry whose owner has died is free: a dead server's name disappears with
 * it.  The page belongs to the process that created the table.
 */
#ifndef EXOS_NAMES_H
#define EXOS_NAMES_H

#include <stdint.h>

#include "shm.h"

#define NAME_LEN        24      /* with its NUL */

/* What a name stands for. */
#define NAME_SHM        1       /* a segment: grant = its directory page (shm.c) */
#define NAME_LRPC       2       /* an LRPC server: owner = its envid (lrpc.h) */

struct name_entry {
    char name[NAME_LEN];
    uint32_t kind;              /* NAME_xxx; 0 = free */
    uint32_t owner;             /* envid of the publisher */
    struct shm_grant grant;     /* what the kind says */
};

/* Maps the family's table here, creating it if this process has none.
 * 0 or -E_NOMEM. */
int names_init(void);

/* Publishes name (owned by the caller).  0, or -E_BUSY (a live process
 * has it), -E_NOMEM (table full), -E_INVAL (name too long or empty). */
int names_publish(const char *name, uint32_t kind, const struct shm_grant *grant);

/* Finds name of this kind, published by a process still alive: 0 and
 * *out, or -E_NOENV. */
int names_lookup(const char *name, uint32_t kind, struct name_entry *out);

/* Withdraws a name the caller published: 0 or -E_NOENV. */
int names_withdraw(const char *name);

/* The table's page, for a child (0), or -E_NOENV if there is none here. */
int names_grant(struct shm_grant *g);

/* Maps the table a parent handed us (fd.c).  0 or an error. */
int names_adopt(const struct shm_grant *g);

#endif /* EXOS_NAMES_H */
