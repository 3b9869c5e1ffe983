/*
 * tap.h - test output for in-guest test programs (t_*.c), in TAP, the
 * format test/run.sh reads: "ok N - name", "not ok N - name", and the plan
 * line "1..N" at the end, which is the verdict (a program that dies early
 * never prints it).
 */
#ifndef USERLAND_TAP_H
#define USERLAND_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int tap_count, tap_failed;

/* Reports one check; the printf-style details are shown on failure only. */
static void __attribute__((format(printf, 3, 4), unused))
check(int ok, const char *name, const char *why, ...)
{
    va_list ap;

    tap_count++;
    if (ok) {
        printf("ok %d - %s\n", tap_count, name);
        return;
    }
    tap_failed++;
    printf("not ok %d - %s (", tap_count, name);
    va_start(ap, why);
    vprintf(why, ap);
    va_end(ap);
    printf(")\n");
}

/* Prints the plan line; returns the exit status for main. */
static int __attribute__((unused)) tap_done(void)
{
    printf("1..%d\n", tap_count);
    fflush(stdout);
    return tap_failed != 0;
}

#endif /* USERLAND_TAP_H */
