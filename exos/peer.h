/*
 * peer.h - the other processes an IPC object is shared with, as the
 * exposed tables show them.
 *
 * Every IPC mechanism of ExOS (pipes, locks, LRPC) needs two facts about a
 * peer and nothing more from the kernel: is it still alive (its state in
 * AEGIS_EXPOSED->envs, readable without a system call), and how to hand it
 * the CPU when we cannot go on until it does something (SYS_YIELD to it).
 * A peer that died is ENV_ZOMBIE (until its parent reaps it) or ENV_FREE;
 * either way it will never write, read, unlock or reply again.
 */
#ifndef EXOS_PEER_H
#define EXOS_PEER_H

#include <stdint.h>

#include "exos.h"
#include "sys.h"

/* Whether environment pid exists and has not died. */
static inline int peer_alive(uint32_t pid)
{
    if (pid == 0 || pid > NENV)
        return 0;
    uint32_t s = AEGIS_EXPOSED->envs[pid].state;
    return s == ENV_RUNNABLE || s == ENV_STOPPED;
}

/* We wait for pid: the rest of our slice goes to it, or, if it cannot run
 * (dead, or it is us), to whoever the scheduler picks. */
static inline void peer_yield(uint32_t pid)
{
    if (pid == 0 || pid == exos_envid() || sys_yield(pid) < 0)
        sys_yield(-1);
}

#endif /* EXOS_PEER_H */
