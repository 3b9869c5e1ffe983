/*
 * t_spawn - processes made by ExOS alone: spawn a built-in program by name,
 * wait for it, read its status; a child that crashes is reported, and its
 * parent's wait sees why; spawning many does not leak pages.
 */
#include <signal.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exos.h"
#include "proc.h"
#include "sys.h"
#include "tap.h"

static int run(const char *name, char *const argv[])
{
    int status = -1;
    int pid = exos_spawn(name, argv);

    if (pid <= 0)
        return -1000 + pid;
    if (waitpid(pid, &status, 0) != pid)
        return -2000;
    return status;
}

int main(void)
{
    char *exit0[] = { "exitcode", "0", NULL };
    char *exit42[] = { "exitcode", "42", "ok", NULL };
    int st;

    st = run("exitcode", exit0);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "spawn + wait: exit status 0", "status %#x", st);
    st = run("exitcode", exit42);
    check(WIFEXITED(st) && WEXITSTATUS(st) == 42, "arguments reach the child; exit status 42",
          "status %#x", st);

    static const struct { const char *how; int sig; } crashes[] = {
        { "null", SIGSEGV }, { "wild", SIGSEGV }, { "kernel", SIGSEGV },
        { "ill", SIGILL }, { "abort", SIGABRT },
    };
    for (unsigned i = 0; i < sizeof crashes / sizeof crashes[0]; i++) {
        char *argv[] = { "crash", (char *)crashes[i].how, NULL };
        st = run("crash", argv);
        char name[80];
        snprintf(name, sizeof name, "a child that crashes (%s) is killed; wait sees signal %d",
                 crashes[i].how, crashes[i].sig);
        check(WIFSIGNALED(st) && WTERMSIG(st) == crashes[i].sig, name, "status %#x", st);
    }

    check(exos_spawn("no-such-program", NULL) == -E_INVAL, "spawning an unknown program: E_INVAL",
          "-");
    check(waitpid(-1, &st, 0) == -1, "wait with no child: -1 (ECHILD)", "-");

    /* Twenty spawns: every page they had comes back. */
    uint32_t free0 = 0, free1 = 0;
    for (uint32_t p = 0; p < AEGIS_EXPOSED->npages; p++)
        free0 += AEGIS_EXPOSED->pages[p].owner == OWNER_FREE;
    for (int i = 0; i < 20; i++)
        run("exitcode", exit0);
    for (uint32_t p = 0; p < AEGIS_EXPOSED->npages; p++)
        free1 += AEGIS_EXPOSED->pages[p].owner == OWNER_FREE;
    check(free1 == free0, "20 spawns and waits leak no page", "%lu free before, %lu after",
          (unsigned long)free0, (unsigned long)free1);

    /* Two at once, each waited for by pid. */
    int a = exos_spawn("exitcode", (char *[]){ "exitcode", "3", NULL });
    int b = exos_spawn("exitcode", (char *[]){ "exitcode", "4", NULL });
    int sa = -1, sb = -1;
    check(a > 0 && b > 0 && waitpid(b, &sb, 0) == b && waitpid(a, &sa, 0) == a &&
          WEXITSTATUS(sa) == 3 && WEXITSTATUS(sb) == 4, "two children at once, waited by pid",
          "a %d b %d sa %#x sb %#x", a, b, sa, sb);
    return tap_done();
}
