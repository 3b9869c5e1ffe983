/*
 * consumer - counts the lines on its standard input: the right end of
 * `producer N | consumer`.  Reads to end of file, checks that the lines are
 * producer's, numbered in order, and prints "consumer: N lines" (or where
 * the order broke).  Exit status 0 if they were all in order.
 */
#include <stdio.h>
#include <string.h>

int main(void)
{
    char line[64], want[64];
    int n = 0, total = 0, bad = 0;

    while (fgets(line, sizeof line, stdin) != NULL) {
        n++;
        if (sscanf(line, "line %*d of %d", &total) != 1)
            total = 0;
        snprintf(want, sizeof want, "line %d of %d\n", n, total);
        if (!bad && (total == 0 || strcmp(line, want) != 0)) {
            printf("consumer: line %d out of order: %s", n, line);
            bad = 1;
        }
    }
    printf("consumer: %d lines\n", n);
    return bad;
}
