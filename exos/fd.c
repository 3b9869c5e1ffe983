/*
 * fd.c - the descriptor table, newlib's I/O calls, and what children
 * inherit (see fd.h).
 */
#include "fd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "console.h"
#include "handoff.h"
#include "names.h"
#include "peer.h"
#include "pipe.h"
#include "proc.h"
#include "sys.h"
#include "vm.h"

#define FD_FREE     0
#define FD_CONSOLE  1
#define FD_READ     2   /* the read end of a pipe */
#define FD_WRITE    3   /* the write end */

static struct fd {
    uint8_t kind;
    uint8_t cloexec;        /* FD_CLOEXEC: not handed to spawned children */
    struct pipe *pipe;
} fdt[NFD] = { { FD_CONSOLE, 0, NULL }, { FD_CONSOLE, 0, NULL }, { FD_CONSOLE, 0, NULL } };

struct fd_stats fd_stats;

/* --- Who holds our pipes' ends --------------------------------------------
 * A pipe counts, per process, the ends it holds (pipe_hold).  Our own
 * entries follow every change to the table (publish).  Forks copy the
 * table without telling us, so each operation first checks (catch_up)
 * whether we are a new process (a forked child: we hold what the copy
 * says), or whether children were born since last time while our fork
 * counter moved (they hold what we hold now: nothing changed the table
 * since).  A child is known by its envid and its ASID: a child that died
 * and was reaped may leave its envid to a new one, which the kernel gives
 * a new ASID.
 */
static uint32_t owner;          /* the envid this table was last synced for */
static uint32_t seen_created;   /* the kernel's envs_created then */
static uint32_t seen_forks;     /* proc_stats.fork_shared then */
static uint64_t kids;           /* our children alive then, by envid bit */
static uint8_t kid_asid[NENV + 1];  /* and their ASIDs (0: none yet) */

static uint64_t bit(uint32_t pid)
{
    return (uint64_t)1 << (pid - 1);
}

static int our_child(uint32_t me, uint32_t pid)
{
    return AEGIS_EXPOSED->envs[pid].parent == me && peer_alive(pid);
}

/* A child we have not seen before (or whose envid was reused since). */
static int newborn(uint32_t me, uint32_t pid)
{
    uint32_t asid = AEGIS_EXPOSED->envs[pid].asid;

    return our_child(me, pid) &&
           (!(kids & bit(pid)) || (kid_asid[pid] != 0 && kid_asid[pid] != asid));
}

static void remember_kids(uint32_t me)
{
    kids = 0;
    for (uint32_t pid = 1; pid <= NENV; pid++) {
        kid_asid[pid] = AEGIS_EXPOSED->envs[pid].asid;
        if (our_child(me, pid))
            kids |= bit(pid);
    }
}

/* Whether descriptor fd is the first naming its pipe (each pipe once). */
static int first_of(int fd)
{
    if (fdt[fd].pipe == NULL)
        return 0;
    for (int i = 0; i < fd; i++)
        if (fdt[i].pipe == fdt[fd].pipe)
            return 0;
    return 1;
}

/* Tells p that pid holds the ends of it our table holds. */
static void hold_as_we_do(struct pipe *p, uint32_t pid, int only_if_unknown)
{
    uint32_t r = 0, w = 0;

    for (int i = 0; i < NFD; i++)
        if (fdt[i].pipe == p) {
            r += fdt[i].kind == FD_READ;
            w += fdt[i].kind == FD_WRITE;
        }
    pipe_hold(p, pid, r, w, only_if_unknown);
}

static void hold_all(uint32_t pid, int only_if_unknown)
{
    for (int fd = 0; fd < NFD; fd++)
        if (first_of(fd))
            hold_as_we_do(fdt[fd].pipe, pid, only_if_unknown);
}

/* Tells p that a spawned child holds the ends we pass it (not those
 * closed on exec). */
static void hold_passed(struct pipe *p, uint32_t child)
{
    uint32_t r = 0, w = 0;

    for (int i = 0; i < NFD; i++)
        if (fdt[i].pipe == p && !fdt[i].cloexec) {
            r += fdt[i].kind == FD_READ;
            w += fdt[i].kind == FD_WRITE;
        }
    pipe_hold(p, child, r, w, 0);
}

static void resync(uint32_t me, uint32_t created)
{
    if (owner != me) {                  /* a forked child (or our first time) */
        hold_all(me, 0);
        owner = me;
        kids = 0;
    } else if (proc_stats.fork_shared != seen_forks) {
        for (uint32_t pid = 1; pid <= NENV; pid++)
            if (newborn(me, pid))
                hold_all(pid, 1);
    }
    seen_forks = proc_stats.fork_shared;
    seen_created = created;
    remember_kids(me);
}

/* Before any operation: cheap unless an environment was created since. */
static void catch_up(void)
{
    uint32_t me = exos_envid(), created = AEGIS_EXPOSED->stats.envs_created;

    if (owner != me || created != seen_created)
        resync(me, created);
}

/* Our entry in p after the table changed; p goes when we hold none of it. */
static void publish(struct pipe *p)
{
    uint32_t me = exos_envid();

    hold_as_we_do(p, me, 0);
    if (p->holder[me].readers == 0 && p->holder[me].writers == 0)
        pipe_drop(p);
}

/* --- The table ------------------------------------------------------------ */

static int bad(int fd)
{
    return fd < 0 || fd >= NFD || fdt[fd].kind == FD_FREE;
}

static int lowest_free(int from)
{
    for (int fd = from; fd < NFD; fd++)
        if (fdt[fd].kind == FD_FREE)
            return fd;
    return -1;
}

/* Empties slot fd (valid); its pipe learns of it. */
static void release(int fd)
{
    struct pipe *p = fdt[fd].pipe;

    fdt[fd] = (struct fd){ FD_FREE, 0, NULL };
    if (p != NULL)
        publish(p);
}

int pipe(int fds[2])
{
    return pipe2(fds, 0);
}

/* flags: O_CLOEXEC, or 0. */
int pipe2(int fds[2], int flags)
{
    catch_up();
    int r = lowest_free(0), w = r < 0 ? -1 : lowest_free(r + 1);
    if (w < 0) {
        errno = EMFILE;
        return -1;
    }
    struct pipe *p = pipe_new();
    if (p == NULL) {
        errno = ENOMEM;
        return -1;
    }
    uint8_t cloexec = (flags & O_CLOEXEC) != 0;
    fdt[r] = (struct fd){ FD_READ, cloexec, p };
    fdt[w] = (struct fd){ FD_WRITE, cloexec, p };
    publish(p);
    fds[0] = r;
    fds[1] = w;
    return 0;
}

int _close(int fd)
{
    catch_up();
    if (bad(fd)) {
        errno = EBADF;
        return -1;
    }
    release(fd);
    return 0;
}

int close(int fd)
{
    return _close(fd);
}

int dup2(int old, int new)
{
    catch_up();
    if (bad(old) || new < 0 || new >= NFD) {
        errno = EBADF;
        return -1;
    }
    if (new == old)
        return new;
    if (fdt[new].kind != FD_FREE)
        release(new);
    fdt[new] = fdt[old];
    fdt[new].cloexec = 0;           /* (a copy does not inherit the flag) */
    if (fdt[new].pipe != NULL)
        publish(fdt[new].pipe);
    return new;
}

/* The lowest free descriptor from `from` up made a copy of old. */
static int dup_from(int old, int from, int cloexec)
{
    catch_up();
    if (bad(old) || from < 0) {
        errno = bad(old) ? EBADF : EINVAL;
        return -1;
    }
    int new = lowest_free(from);
    if (new < 0) {
        errno = EMFILE;
        return -1;
    }
    dup2(old, new);
    fdt[new].cloexec = cloexec;
    return new;
}

int dup(int old)
{
    return dup_from(old, 0, 0);
}

/* F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD (FD_CLOEXEC), F_GETFL. */
int _fcntl(int fd, int cmd, ...)
{
    va_list ap;

    va_start(ap, cmd);
    int arg = va_arg(ap, int);
    va_end(ap);
    if (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)
        return dup_from(fd, arg, cmd == F_DUPFD_CLOEXEC);
    if (bad(fd)) {
        errno = EBADF;
        return -1;
    }
    switch (cmd) {
    case F_GETFD:
        return fdt[fd].cloexec ? FD_CLOEXEC : 0;
    case F_SETFD:
        fdt[fd].cloexec = (arg & FD_CLOEXEC) != 0;
        return 0;
    case F_GETFL:
        return fdt[fd].kind == FD_READ ? O_RDONLY : fdt[fd].kind == FD_WRITE ? O_WRONLY : O_RDWR;
    }
    errno = EINVAL;
    return -1;
}

int fcntl(int fd, int cmd, ...)
{
    va_list ap;

    va_start(ap, cmd);
    int arg = va_arg(ap, int);
    va_end(ap);
    return _fcntl(fd, cmd, arg);
}

_READ_WRITE_RETURN_TYPE _read(int fd, void *buf, size_t n)
{
    catch_up();
    if (bad(fd) || fdt[fd].kind == FD_WRITE) {
        errno = EBADF;
        return -1;
    }
    if (n == 0)
        return 0;
    if (fdt[fd].kind == FD_CONSOLE)
        return console_read(buf, n);
    return pipe_read(fdt[fd].pipe, buf, n);
}

_READ_WRITE_RETURN_TYPE read(int fd, void *buf, size_t n)
{
    return _read(fd, buf, n);
}

_READ_WRITE_RETURN_TYPE _write(int fd, const void *buf, size_t n)
{
    catch_up();
    if (bad(fd) || fdt[fd].kind == FD_READ) {
        errno = EBADF;
        return -1;
    }
    if (fdt[fd].kind == FD_CONSOLE) {
        int r = console_write(buf, n);
        if (r < 0)
            errno = EFAULT;
        return r;
    }
    if (n == 0)
        return 0;
    int r = pipe_write(fdt[fd].pipe, buf, n);
    if (r < 0)
        errno = EPIPE;
    return r;
}

_READ_WRITE_RETURN_TYPE write(int fd, const void *buf, size_t n)
{
    return _write(fd, buf, n);
}

int _fstat(int fd, struct stat *st)
{
    if (bad(fd)) {
        errno = EBADF;
        return -1;
    }
    /* The console is a terminal (stdio buffers it by lines), a pipe a FIFO
     * (stdio fills whole buffers). */
    st->st_mode = fdt[fd].kind == FD_CONSOLE ? S_IFCHR : S_IFIFO;
    return 0;
}

int fstat(int fd, struct stat *st)
{
    return _fstat(fd, st);
}

int _isatty(int fd)
{
    if (bad(fd) || fdt[fd].kind != FD_CONSOLE) {
        errno = bad(fd) ? EBADF : ENOTTY;
        return 0;
    }
    return 1;
}

int isatty(int fd)
{
    return _isatty(fd);
}

/* --- Inheritance -----------------------------------------------------------
 * The page a spawned child finds at INHERIT_VA. */
#define INHERIT_MAGIC   0x1d4e7e00u

struct inherit_page {
    uint32_t magic;
    uint32_t parent;
    uint32_t has_names;
    struct shm_grant names;         /* the family's name table */
    struct {
        uint32_t kind;
        struct shm_grant pipe;      /* its header, for pipe ends */
    } fd[NFD];
};
_Static_assert(sizeof(struct inherit_page) <= PAGE_SIZE, "one page");

int fd_handoff(struct handoff *h)
{
    catch_up();
    names_init();                   /* (so that the family shares one) */
    struct inherit_page *pg = handoff_new_page(h, INHERIT_VA, PTE_W | PTE_DIRTY, PIN_NONE);
    if (pg == NULL)
        return -E_NOMEM;
    pg->magic = INHERIT_MAGIC;
    pg->parent = exos_envid();
    pg->has_names = names_grant(&pg->names) == 0;
    for (int fd = 0; fd < NFD; fd++) {
        if (fdt[fd].cloexec)
            continue;               /* (the page is zeroed: FD_FREE) */
        pg->fd[fd].kind = fdt[fd].kind;
        if (fdt[fd].pipe != NULL)
            pg->fd[fd].pipe = pipe_grant(fdt[fd].pipe);
    }
    int r = handoff_page_done(h);
    if (r < 0)
        return r;
    for (int fd = 0; fd < NFD; fd++)    /* it holds exactly what we pass */
        if (first_of(fd))
            hold_passed(fdt[fd].pipe, h->child);
    remember_kids(exos_envid());    /* (a spawned child, not a forked one) */
    fd_stats.handoffs++;
    return 0;
}

/* Makes `from` our descriptor `to` for a moment (saving the old one in
 * *saved, close-on-exec so no child gets it). */
static void redirect(int from, int to, int *saved)
{
    *saved = -1;
    if (from < 0 || from == to)
        return;
    *saved = _fcntl(to, F_DUPFD_CLOEXEC, 0);
    dup2(from, to);
}

static void restore(int to, int saved)
{
    if (saved < 0)
        return;
    dup2(saved, to);
    _close(saved);
}

int fd_spawn(const char *name, char *const argv[], int in, int out)
{
    int saved_in, saved_out;

    if ((in >= 0 && bad(in)) || (out >= 0 && bad(out)))
        return -E_INVAL;
    fflush(stdout);                 /* (our buffered output is ours) */
    redirect(in, 0, &saved_in);
    redirect(out, 1, &saved_out);
    int pid = exos_spawn(name, argv);
    restore(1, saved_out);
    restore(0, saved_in);
    return pid;
}

void fd_inherit(void)
{
    struct pte *e = vm_lookup(INHERIT_VA);
    const struct inherit_page *pg = (const struct inherit_page *)INHERIT_VA;

    if (e == NULL)
        return;                     /* started by the kernel: the console */
    if (pg->magic == INHERIT_MAGIC) {
        if (pg->has_names)
            names_adopt(&pg->names);
        for (int fd = 0; fd < NFD; fd++) {
            struct pipe *p = NULL;
            uint32_t kind = pg->fd[fd].kind;
            if ((kind == FD_READ || kind == FD_WRITE) && (p = pipe_attach(&pg->fd[fd].pipe)) == NULL)
                kind = FD_FREE;     /* (its creator is gone) */
            fdt[fd] = (struct fd){ kind, 0, p };
        }
        fd_stats.inherited = 1;
    }
    uint32_t ppn = e->ppn;
    vm_unmap(INHERIT_VA);
    sys_page_free(ppn);
    owner = 0;                      /* the next operation registers us */
    catch_up();
}

void fd_fork(int child)
{
    catch_up();
    if (child <= 0 || child > NENV)
        return;
    hold_all(child, 1);
    remember_kids(exos_envid());
}
