/*
 * libc.c - newlib's system-call layer, on Aegis.
 *
 * newlib implements stdio, malloc, strings... and calls these functions
 * when it needs the operating system.  ExOS is that operating system, in
 * the same address space: most of these are a system call or less.  (The
 * program break, _sbrk, is in heap.c.)
 */
#include <errno.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <sys/wait.h>

#include "exos.h"
#include "proc.h"
#include "sys.h"

/* Reads a byte of every page of [p, p+n): each is bound again if the
 * kernel had let its binding go (the STLB and the TLB are caches). */
static void touch(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i += PAGE_SIZE - ((uint32_t)(p + i) & (PAGE_SIZE - 1)))
        (void)*(volatile const char *)(p + i);
    if (n > 0)
        (void)*(volatile const char *)(p + n - 1);
}

int _write(int fd, const void *buf, size_t n)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    /* The kernel reads the buffer only through bindings it holds now; if
     * they were evicted (E_FAULT), touch the pages and try again. */
    int32_t r = sys_cputs(buf, n);
    for (int tries = 0; r == -E_FAULT && tries < 4; tries++) {
        touch(buf, n);
        r = sys_cputs(buf, n);
    }
    if (r < 0) {
        errno = EFAULT;
        return -1;
    }
    return r;
}

/* Console input: poll, giving the CPU away while nothing has arrived. */
int _read(int fd, void *buf, size_t n)
{
    if (fd != 0) {
        errno = EBADF;
        return -1;
    }
    if (n == 0)
        return 0;
    int32_t c;
    while ((c = sys_cgetc()) == -E_AGAIN)
        sys_yield(-1);
    *(char *)buf = (char)c;
    return 1;
}

void _exit(int status)
{
    exos_exit_status(EXOS_STATUS_EXIT(status));
}

int _close(int fd)
{
    (void)fd;
    return 0;
}

int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;      /* the console: line-buffered stdio */
    return 0;
}

int _isatty(int fd)
{
    return fd >= 0 && fd <= 2;
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
