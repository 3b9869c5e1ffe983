/*
 * panic.h - stopping the kernel when it cannot go on.
 *
 * Both functions print a report on the console, then stop the machine
 * (board_halt), so that QEMU exits and a test harness sees the report
 * instead of hanging until its time-out.  Every report starts with
 * "PANIC:" on a line of its own, which is what test runners look for.
 */
#ifndef AEGIS_PANIC_H
#define AEGIS_PANIC_H

#include "trap.h"

void panic(const char *fmt, ...)
    __attribute__((noreturn, format(printf, 1, 2)));

/* Reports an exception: its name and vector, EPC, BadVAddr, Cause, Status,
 * HI/LO and all 32 general registers. */
void panic_trap(const struct trapframe *tf, int vector, const char *why)
    __attribute__((noreturn));

#endif /* AEGIS_PANIC_H */
