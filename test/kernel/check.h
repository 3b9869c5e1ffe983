/*
 * check.h - reporting in-guest test results on the console.
 *
 * The output is TAP (the Test Anything Protocol), the same format the host
 * tests print, so one runner (test/run.sh) reads both:
 *
 *     ok 1 - timer: ten ticks arrive
 *     not ok 2 - ram: size matches -m (got 64 MiB, want 128)
 *     1..2
 *
 * The closing plan line "1..N" is the verdict: a run that stops early
 * (panic, hang) never prints it, and the runner counts that as a failure.
 */
#ifndef TEST_CHECK_H
#define TEST_CHECK_H

/* Reports one check; why is printed only on failure (printf-style). */
void check(int ok, const char *name, const char *why, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints the plan line; returns the number of failed checks. */
int check_done(void);

#endif /* TEST_CHECK_H */
