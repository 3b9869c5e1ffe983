/*
 * ipc_shmpeer - a spawned worker for t_shm: attaches the shared segment
 * named argv[1] (found through the name table its parent handed it) and
 * adds argv[2] to the counter at its start under the library's lock.  Exit
 * status 0, or 1 if there is no such segment.  Prints nothing.
 */
#include <stdlib.h>

#include "ipcdata.h"
#include "shm.h"

int main(int argc, char **argv)
{
    struct ipc_counter *c = argc > 2 ? shm_attach(argv[1], NULL) : NULL;

    if (c == NULL)
        return 1;
    ipc_count(c, (uint32_t)strtoul(argv[2], NULL, 0), 1);
    return 0;
}
