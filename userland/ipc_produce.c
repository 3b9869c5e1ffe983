/*
 * ipc_produce - the left end of `ipc_produce | ipc_consume`: writes n bytes
 * (argv[1], default 1 MiB) of the test stream (ipcdata.h) to its standard
 * output, whatever its parent made that.  Exit status 0 if every byte was
 * written.  Prints nothing else (it runs under tests).
 */
#include <stdlib.h>

#include "ipcdata.h"

int main(int argc, char **argv)
{
    uint32_t n = argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1u << 20;

    return ipc_produce(n);
}
