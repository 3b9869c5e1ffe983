/*
 * t_fork - fork with copy-on-write, done by ExOS in user mode.
 *
 * The parent fills 1 MiB, forks, and both sides write the same variables:
 * each must see only its own writes.  The child writes 10 pages of the
 * 1 MiB and counts (ExOS's proc_stats) how many pages that copied: exactly
 * 10, out of the 256 the fork shared.  Then fork + exit + wait in a loop,
 * which must not leak pages, and a child that crashes after fork.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exos.h"
#include "proc.h"
#include "tap.h"

#define MIB     (1024 * 1024)
#define WORDS   (MIB / 4)

static volatile int shared_var = 7;

static uint32_t sum(const volatile uint32_t *p)
{
    uint32_t s = 0;
    for (int i = 0; i < WORDS; i++)
        s = s * 31 + p[i];
    return s;
}

static uint32_t free_pages(void)
{
    uint32_t n = 0;
    for (uint32_t p = 0; p < AEGIS_EXPOSED->npages; p++)
        n += AEGIS_EXPOSED->pages[p].owner == OWNER_FREE;
    return n;
}

int main(void)
{
    volatile uint32_t *big = malloc(MIB);
    for (int i = 0; i < WORDS; i++)
        big[i] = i * 2654435761u;
    uint32_t before = sum(big);
    uint32_t shared0 = proc_stats.fork_shared;

    fflush(stdout);
    int pid = fork();
    if (pid == 0) {
        /* The child: it sees the parent's data as it was at fork... */
        int bad = sum(big) != before || shared_var != 7;
        shared_var = 2;
        /* ...and each page it writes is copied once, and only those. */
        uint32_t c0 = proc_stats.cow_copies;
        for (int p = 0; p < 10; p++)
            big[(p + 1) * 1024 * 5] = 0xdead0000 + p;   /* 10 pages, 20 KiB apart */
        uint32_t copies = proc_stats.cow_copies - c0;
        if (bad || shared_var != 2 || big[5 * 1024] != 0xdead0000)
            _exit(100);
        _exit(copies);
    }
    check(pid > 0, "fork returns the child's pid to the parent", "%d", pid);
    check(proc_stats.fork_shared - shared0 >= 256, "the fork shared the 1 MiB instead of copying it",
          "%lu pages shared", (unsigned long)(proc_stats.fork_shared - shared0));
    shared_var = 1;
    big[1] = 12345;                                     /* the parent writes too */
    int st = -1;
    check(waitpid(pid, &st, 0) == pid && WIFEXITED(st), "the child ran and exited", "status %#x", st);
    check(WEXITSTATUS(st) != 100, "the child saw the data as it was at fork, then its own writes",
          "status %#x", st);
    check(WEXITSTATUS(st) == 10, "writing 10 pages of 1 MiB copied exactly 10 pages in the child",
          "%d copies", WEXITSTATUS(st));
    big[1] = 2654435761u;                               /* back to the original value */
    check(shared_var == 1 && sum(big) == before,
          "the parent sees only its own writes, none of the child's", "shared_var %d", shared_var);

    /* fork + exit + wait, twenty times: nothing leaks once each is reaped
     * (pages the parent copied since are its own and stay; count after
     * a first round has copied them). */
    for (int round = 0; round < 2; round++) {
        uint32_t f0 = free_pages();
        for (int i = 0; i < 20; i++) {
            int p = fork();
            if (p == 0)
                _exit(i);
            waitpid(p, &st, 0);
        }
        if (round == 1)
            check(free_pages() == f0, "20 fork/exit/wait rounds leak no page", "%lu before, %lu after",
                  (unsigned long)f0, (unsigned long)free_pages());
    }

    pid = fork();
    if (pid == 0)
        *(volatile int *)0 = 1;                         /* dies */
    check(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
          "a forked child that dereferences NULL: the parent's wait sees SIGSEGV", "status %#x", st);
    return tap_done();
}
