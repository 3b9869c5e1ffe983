/*
 * ipc_consume - the right end of `ipc_produce | ipc_consume`: reads its
 * standard input to end of file and exits with status 0 if it carried
 * exactly n bytes (argv[1], default 1 MiB) of the test stream (ipcdata.h),
 * in order; 1 if not.  With argument "probe" it only says whether its
 * parent handed it descriptors at spawn (status 0) or not (3): t_pipe asks
 * before it relies on it.  Prints nothing (it runs under tests).
 */
#include <stdlib.h>
#include <string.h>

#include "fd.h"
#include "ipcdata.h"

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "probe") == 0)
        return fd_stats.inherited ? 0 : 3;
    return ipc_consume(argc > 1 ? (uint32_t)strtoul(argv[1], NULL, 0) : 1u << 20);
}
