/*
 * syscall.h - the system-call dispatcher.
 */
#ifndef AEGIS_SYSCALL_H
#define AEGIS_SYSCALL_H

#include "env.h"

/* Runs the call e made: number in v0, arguments in a0-a3, t0, t1 of
 * tf; leaves the result in v0 (and v1).  May switch to another environment
 * or destroy e. */
void syscall(struct env *e, struct trapframe *tf);

#endif /* AEGIS_SYSCALL_H */
