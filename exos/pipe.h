/*
 * pipe.h - Unix pipes, built by the library from shared pages.
 *
 * A pipe is 1 + PIPE_PAGES shared pages (shm.h): a header - the ring's
 * counters, the locks, the table of who holds which end - and a ring
 * buffer.  Every process holding an end maps them all; nothing goes
 * through the kernel but the waiting:
 *  - a read of an empty pipe, or a write to a full one, gives the CPU to a
 *    process that can change that (SYS_YIELD to the last writer or reader)
 *    instead of spinning, and looks again when it runs;
 *  - end of file: the pipe is empty and no live process holds a write end;
 *  - broken pipe (EPIPE): no live process holds a read end.
 * "Holds" is counted per process (how many of its descriptors name each
 * end, fd.c keeps it current) and "live" is read in the exposed tables, so
 * a process that dies, however it dies, stops counting at once.
 * Writes of up to PIPE_ATOMIC bytes are never interleaved with others.
 *
 * The pages belong to the process that created the pipe: it keeps them
 * until no live process holds an end (or until it exits: then the kernel
 * reclaims them, and the others' ends are gone).
 */
#ifndef EXOS_PIPE_H
#define EXOS_PIPE_H

#include <stdint.h>

#include "exos.h"
#include "shm.h"

#define PIPE_PAGES      4
#define PIPE_SIZE       (PIPE_PAGES * PAGE_SIZE)    /* bytes the ring holds */
#define PIPE_ATOMIC     PAGE_SIZE                   /* POSIX's PIPE_BUF */

/* How many descriptors of one process name each end. */
struct pipe_holder {
    uint8_t readers;
    uint8_t writers;
    uint8_t known;          /* the entry was set (by the process or its parent) */
    uint8_t pad;
};

/* The header page, shared by every holder. */
struct pipe {
    uint32_t magic;
    uint32_t creator;               /* envid that owns the pages */
    volatile uint32_t head;         /* bytes ever written */
    volatile uint32_t tail;         /* bytes ever read */
    volatile uint32_t wlock;        /* writers take turns (lock.h) */
    volatile uint32_t rlock;        /* readers take turns */
    volatile uint32_t hlock;        /* changes to holder[] of another process */
    volatile uint32_t reader;       /* the last to read: whom a blocked writer waits for */
    volatile uint32_t writer;       /* the last to write: whom a blocked reader waits for */
    struct shm_grant page[1 + PIPE_PAGES];  /* the header, then the ring */
    struct pipe_holder holder[NENV + 1];    /* by envid */
};

/* A new pipe, mapped here, held by nobody yet: NULL if out of memory. */
struct pipe *pipe_new(void);

/* Maps a pipe another process handed us by its header's grant (the same
 * pointer again if it is mapped here already); NULL on error. */
struct pipe *pipe_attach(const struct shm_grant *header);

/* Sets how many ends of p process pid holds.  only_if_unknown: unless the
 * process (or someone for it) has already said (a parent registering a
 * forked child must not override what the child itself said). */
void pipe_hold(struct pipe *p, uint32_t pid, uint32_t readers, uint32_t writers,
               int only_if_unknown);

/* This process holds no end of p any more: unmaps it, and frees its pages
 * if we created it and nobody else holds it (else later, pipe_collect). */
void pipe_drop(struct pipe *p);

/* Frees the pages of pipes we created and dropped once nobody holds them. */
void pipe_collect(void);

/* Reads up to n bytes (n > 0), waiting while the pipe is empty and a live
 * process holds a write end: the count, or 0 at end of file. */
int pipe_read(struct pipe *p, void *buf, uint32_t n);

/* Writes n bytes, waiting while the ring is full: n, or fewer if every
 * reader went away in the middle, or -1 if there was no reader (EPIPE). */
int pipe_write(struct pipe *p, const void *buf, uint32_t n);

/* The header's grant (to hand the pipe to a child). */
struct shm_grant pipe_grant(const struct pipe *p);

struct pipe_stats {
    uint32_t read_waits;        /* times a read found the pipe empty and waited */
    uint32_t write_waits;       /* times a write found the ring full and waited */
};
extern struct pipe_stats pipe_stats;

#endif /* EXOS_PIPE_H */
