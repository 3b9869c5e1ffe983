/*
 * wait.c - exit and wait: how a process ends and how its parent learns it.
 *
 * A process ends by destroying its own environment with a Unix status word
 * (SYS_ENV_DESTROY).  The kernel keeps the dead child's record - why it
 * died, its status - readable in the exposed tables (ENV_ZOMBIE) until the
 * parent reaps it.  Waiting is reading those tables, giving the CPU to the
 * child while it still runs.  Deaths the kernel itself decided (an
 * exception with no handler, ignored upcalls) become the signal a Unix
 * program would expect.
 */
#include <errno.h>
#include <signal.h>

#include "exos.h"
#include "mips.h"
#include "proc.h"
#include "sys.h"

EXOS_XTEXT int exos_signal_of(uint32_t cause)
{
    switch ((cause & CAUSE_EXC_MASK) >> CAUSE_EXC_SHIFT) {
    case EXC_MOD: case EXC_TLBL: case EXC_TLBS: case EXC_ADEL: case EXC_ADES:
        return SIGSEGV;
    case EXC_IBE: case EXC_DBE:
        return SIGBUS;
    case EXC_RI: case EXC_CPU:
        return SIGILL;
    case EXC_OV: case EXC_FPE:
        return SIGFPE;
    case EXC_BP: case EXC_TR:
        return SIGTRAP;
    default:
        return SIGSYS;
    }
}

/* The status word of a dead child, from the kernel's record of it. */
static int status_of(const volatile struct env_info *c)
{
    switch (c->death) {
    case DEATH_EXIT:            /* its own word (exit, or ExOS's report) */
        return (int)c->exit_status;
    case DEATH_KILLED:          /* the signal its parent named */
        return EXOS_STATUS_SIGNAL(c->exit_status);
    case DEATH_FAULT:
        return EXOS_STATUS_SIGNAL(exos_signal_of(c->death_cause));
    case DEATH_OVERRUN:
        return EXOS_STATUS_SIGNAL(SIGXCPU);
    default:
        return EXOS_STATUS_SIGNAL(SIGSYS);
    }
}

int exos_wait(int pid, int *status, int nohang)
{
    uint32_t me = exos_envid();

    for (;;) {
        int children = 0, running = -1;
        for (uint32_t id = 1; id <= NENV; id++) {
            const volatile struct env_info *c = &AEGIS_EXPOSED->envs[id];
            if ((pid != -1 && (uint32_t)pid != id) || c->state == ENV_FREE || c->parent != me)
                continue;
            children++;
            if (c->state != ENV_ZOMBIE) {
                running = id;
                continue;
            }
            int st = status_of(c);
            if (sys_env_reap(id) == 0) {
                if (status != NULL)
                    *status = st;
                exos_fork_release();
                return id;
            }
        }
        if (children == 0) {
            errno = ECHILD;
            return -1;
        }
        if (nohang)
            return 0;
        /* Let it run: the rest of our slice to it, if it can take it. */
        if (running < 0 || sys_yield(running) < 0)
            sys_yield(-1);
    }
}

void exos_exit_status(uint32_t status)
{
    for (;;)
        sys_env_destroy(0, status);
}
