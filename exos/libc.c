/*
 * libc.c - newlib's system-call layer, on Aegis.
 *
 * newlib implements stdio, malloc, strings... and calls these functions
 * when it needs the operating system.  ExOS is that operating system, in
 * the same address space: most of these are a system call or less.  (The
 * program break, _sbrk, is in heap.c; the descriptors - _read, _write,
 * _close, _fstat, _isatty - are in fd.c.)
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/wait.h>

#include "exos.h"
#include "proc.h"
#include "sys.h"

void _exit(int status)
{
    exos_exit_status(EXOS_STATUS_EXIT(status));
}

int _lseek(int fd, int off, int whence)
{
    (void)fd, (void)off, (void)whence;
    errno = ESPIPE;
    return -1;
}

int _getpid(void)
{
    return (int)exos_envid();
}

/* Signals are not delivered: a signal ends the process it names (which
 * must be this one or a child), as its default action would. */
int _kill(int pid, int sig)
{
    if ((uint32_t)pid == exos_envid())
        exos_exit_status(EXOS_STATUS_SIGNAL(sig));
    if (sys_env_destroy(pid, sig) < 0) {
        errno = ESRCH;
        return -1;
    }
    return 0;
}

pid_t fork(void)
{
    int r = exos_fork();
    if (r < 0) {
        errno = ENOMEM;
        return -1;
    }
    return r;
}

pid_t wait(int *status)
{
    return exos_wait(-1, status, 0);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    return exos_wait(pid, status, options & WNOHANG);
}

clock_t _times(struct tms *t)
{
    clock_t c = (clock_t)exos_count();
    t->tms_utime = c;
    t->tms_stime = t->tms_cutime = t->tms_cstime = 0;
    return c;
}
