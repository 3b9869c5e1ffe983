/*
 * exitcode - exits with the status its first argument names (default 0);
 * with a second argument "ok" it says hello first.  A child for t_spawn.
 */
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
    if (argc > 2)
        printf("exitcode: %s %s\n", argv[1], argv[2]);
    return argc > 1 ? atoi(argv[1]) : 0;
}
