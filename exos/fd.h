/*
 * fd.h - file descriptors, in the library.
 *
 * A process's descriptors are a table in its own memory: each names the
 * console or one end of a pipe (pipe.h).  Descriptors 0, 1 and 2 start as
 * the console.  newlib's read, write, close, fstat, isatty and fcntl land
 * here (_read, _write...), and so do pipe, pipe2, dup and dup2 (unistd.h).  Errors are
 * Unix's: EBADF, EMFILE, EPIPE (no signal: a write to a pipe nobody reads
 * returns -1 with EPIPE).
 *
 * Children inherit descriptors, as on Unix:
 *  - fork: the child's copy of our memory holds a copy of the table, and it
 *    maps the same pipes (their pages are PTE_SHARED).  What changes is who
 *    holds the ends: the child says so itself at its first descriptor
 *    operation, and the parent says so for it at its own next one (the
 *    exposed tables show it a new child, and its fork counter moved), so
 *    that neither end looks closed in between.  fd_fork() says it at once.
 *  - spawn: the parent hands the child one page at INHERIT_VA listing its
 *    open descriptors (but those marked close-on-exec: FD_CLOEXEC, set by
 *    fcntl, pipe2 or F_DUPFD_CLOEXEC) by the grants of their pipes, and the
 *    name table's grant (fd_handoff); the child's ExOS maps them before
 *    main (fd_inherit).  So a parent runs `producer | consumer` as a shell
 *    does: pipe2(p, O_CLOEXEC), then around each spawn dup2 an end onto 1
 *    (or 0), and close its own copies after.
 */
#ifndef EXOS_FD_H
#define EXOS_FD_H

#include <stdint.h>

#define NFD     32      /* descriptors per process */

struct handoff;

/* pipe() with flags: O_CLOEXEC marks both ends close-on-exec.  (newlib
 * declares it only for _GNU_SOURCE.) */
int pipe2(int fds[2], int flags);

/* Spawns program name (exos_spawn) with descriptor `in` as its standard
 * input and `out` as its standard output (-1: ours), as a shell's
 * redirections do; our own 0 and 1 are as they were after.  The child
 * inherits our other descriptors but those close-on-exec: a shell makes
 * its pipes with pipe2(p, O_CLOEXEC).  The child's pid, or an error. */
int fd_spawn(const char *name, char *const argv[], int in, int out);

/* Spawn: lists our open descriptors (and the name table) on a page the
 * child gets at INHERIT_VA, and counts it as holding our pipe ends.  Call
 * after the child's image is loaded, before handoff_start.  0 or -E_NOMEM. */
int fd_handoff(struct handoff *h);

/* In a spawned child, before main: takes the descriptors and the name
 * table its parent handed it, if it did (otherwise the console, as the
 * kernel's first programs have), and frees the page. */
void fd_inherit(void);

/* Fork, in the parent once the child exists: the child holds what we
 * hold.  (Without it, the parent's next descriptor operation notices.) */
void fd_fork(int child);

struct fd_stats {
    uint32_t handoffs;      /* spawned children we handed descriptors to */
    uint32_t inherited;     /* 1 if our parent handed us descriptors */
};
extern struct fd_stats fd_stats;

#endif /* EXOS_FD_H */
