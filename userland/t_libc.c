/*
 * t_libc - an ordinary C program: newlib's stdio, malloc, string functions,
 * qsort, snprintf, strtol and libm, unmodified, on ExOS.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

static int cmp(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(void)
{
    char buf[128];

    snprintf(buf, sizeof buf, "%d %5.2f %s %x %c %lld", -42, 3.14159, "exo", 255u, 'k',
             1234567890123ll);
    check(strcmp(buf, "-42  3.14 exo ff k 1234567890123") == 0, "snprintf, floats and long long",
          "got \"%s\"", buf);

    int *v = malloc(1000 * sizeof *v);
    for (int i = 0; i < 1000; i++)
        v[i] = (i * 7919) % 1000;
    qsort(v, 1000, sizeof *v, cmp);
    int sorted = 1;
    for (int i = 0; i < 1000; i++)
        sorted &= v[i] == i;
    check(sorted, "qsort of 1000 integers", "-");
    v = realloc(v, 100000 * sizeof *v);
    v[99999] = 5;
    check(v != NULL && v[0] == 0 && v[999] == 999 && v[99999] == 5, "realloc to 400 KB keeps the data", "-");
    free(v);

    char *s = strdup("exokernel");
    check(strlen(s) == 9 && strstr(s, "kern") == s + 3 && memcmp(s, "exo", 3) == 0,
          "strdup, strlen, strstr, memcmp", "-");
    free(s);
    check(strtol("-0x1f", NULL, 16) == -31 && strtoul("777", NULL, 8) == 511, "strtol, strtoul", "-");
    check(fabs(sqrt(2.0) * sqrt(2.0) - 2.0) < 1e-12 && fabs(sin(M_PI / 6) - 0.5) < 1e-12,
          "libm: sqrt, sin", "-");
    int n = printf("printf returns its length\n");
    check(n == 26, "printf returns what it wrote", "%d", n);
    return tap_done();
}
