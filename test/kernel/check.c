/*
 * check.c - TAP output for the kernel self-tests (see check.h).
 */
#include "check.h"

#include "printf.h"

static int nchecks, nfailed;

void check(int ok, const char *name, const char *why, ...)
{
    va_list ap;

    nchecks++;
    if (ok) {
        kprintf("ok %d - %s\n", nchecks, name);
        return;
    }
    nfailed++;
    kprintf("not ok %d - %s (", nchecks, name);
    va_start(ap, why);
    kvprintf(why, ap);
    va_end(ap);
    kprintf(")\n");
}

int check_done(void)
{
    kprintf("1..%d\n", nchecks);
    return nfailed;
}
