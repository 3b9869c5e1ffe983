/*
 * crash - dies the way its argument says, for t_spawn to watch:
 *   null   stores through a NULL pointer      (SIGSEGV)
 *   wild   loads from a wild address          (SIGSEGV)
 *   kernel stores into kernel space           (SIGSEGV, address error)
 *   ill    executes a reserved instruction    (SIGILL)
 *   abort  calls abort()                      (SIGABRT)
 */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    const char *how = argc > 1 ? argv[1] : "null";

    if (strcmp(how, "null") == 0)
        *(volatile int *)0 = 1;
    else if (strcmp(how, "wild") == 0)
        return *(volatile int *)0x5a5a5a58;
    else if (strcmp(how, "kernel") == 0)
        *(volatile int *)0x80001000 = 1;
    else if (strcmp(how, "ill") == 0)
        __asm__ volatile(".word 0x7c00003b");   /* rdhwr $0, $0: reserved */
    else if (strcmp(how, "abort") == 0)
        abort();
    return 0;
}
