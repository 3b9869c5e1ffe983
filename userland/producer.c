/*
 * producer - writes N numbered lines to its standard output (N = argv[1],
 * default 100): the left end of `producer N | consumer`, a pipeline to try
 * ExOS's pipes from the shell.  Exit status 0, or 1 if a write failed (a
 * reader that went away: EPIPE).
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    int n = argc > 1 ? atoi(argv[1]) : 100;

    for (int i = 1; i <= n; i++)
        if (printf("line %d of %d\n", i, n) < 0)
            return 1;
    return fflush(stdout) != 0;
}
