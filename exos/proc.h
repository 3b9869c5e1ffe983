/*
 * proc.h - processes, entirely in the library: spawn, fork, exit, wait.
 *
 * A process is an environment plus the ExOS linked into it.  Its pid is its
 * envid.  The kernel's part is small: it creates and destroys environments,
 * and keeps a dead child's record (ENV_ZOMBIE: why it died, its status)
 * until the parent reaps it.  Everything else - reading a program image,
 * laying out the address space, sharing pages copy-on-write, the Unix
 * status encoding - is here, in user mode.
 */
#ifndef EXOS_PROC_H
#define EXOS_PROC_H

#include <stdint.h>

#include "abi.h"

/* Status words, as Unix's wait() reports them (WIFEXITED, WTERMSIG...). */
#define EXOS_STATUS_EXIT(n)     (((n) & 0xff) << 8)
#define EXOS_STATUS_SIGNAL(s)   ((s) & 0x7f)

/* Start-record entries written by ExOS carry its own page-table flags. */
#define REC_PTE         0x80000000u

/*
 * Starts program `name` (a built-in image, AEGIS_EXPOSED->images) in a new
 * child environment, with argv[0..] as its command line (argv may be NULL).
 * Returns the child's pid, or -E_INVAL (no such program, or a bad image),
 * -E_NOMEM.  The child runs with its own ExOS, page table and policy: the
 * one it was linked with.
 */
int exos_spawn(const char *name, char *const argv[]);

/* The built-in program called name, or NULL. */
const volatile struct image_info *exos_image(const char *name);

/*
 * Copies this process: the child gets every page, shared copy-on-write
 * (read-only pages simply shared), and resumes here with 0; the parent
 * gets the child's pid, or a negative error.
 */
int exos_fork(void);

/*
 * A page this process owns and no longer maps (it copied it on a write)
 * but which a forked descendant may still share: freed once no
 * descendant is alive (exos_wait checks).  Called from the fault path.
 */
void exos_fork_retire(uint32_t ppn);

/* Frees the retired pages if no descendant is alive (exos_wait calls it). */
void exos_fork_release(void);

/* Where a forked child goes on once its ExOS is up (start.c). */
void exos_fork_resume(void **ctx) __attribute__((noreturn));

/*
 * Waits for child pid (or any child, pid -1) to die, reaps it, and stores
 * its Unix status word: exit(n) gives EXOS_STATUS_EXIT(n); death by an
 * exception ExOS or the kernel could not handle gives the matching signal
 * (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP; SIGXCPU for ignoring upcalls).
 * Gives its CPU to the child while it waits.  Returns the pid, or -1 with
 * no such child (ECHILD), or 0 with nohang and nobody dead yet.
 */
int exos_wait(int pid, int *status, int nohang);

/* The signal a Unix program would get for an exception (Cause). */
int exos_signal_of(uint32_t cause);

/* Ends this process with a Unix status word. */
void exos_exit_status(uint32_t status) __attribute__((noreturn));

/* What processes cost: counted by this process's ExOS. */
struct proc_stats {
    uint32_t cow_copies;        /* pages copied on a write after fork */
    uint32_t fork_shared;       /* pages a fork shared (copy-on-write or read-only) */
    uint32_t fork_copied;       /* pages a fork copied at once (ExOS's own data) */
};
/* (volatile: the exception path updates them behind the program's back) */
extern volatile struct proc_stats proc_stats;

#endif /* EXOS_PROC_H */
