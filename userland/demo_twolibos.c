/*
 * demo_twolibos - two library operating systems side by side on one kernel.
 *
 * vmwork is linked with ExOS's two-level page table, vmwork_hash with its
 * hashed page table: different code, different data structures, different
 * policy, in the same machine at the same time.  The kernel does not know
 * or care: it checks each binding against the capabilities presented.
 */
#include <stdio.h>
#include <sys/wait.h>

#include "exos.h"
#include "proc.h"

int main(void)
{
    printf("demo_twolibos: starting a two-level-page-table program and a hashed-page-table\n"
           "  program; each writes and reads back 6000 pages, taking turns on the CPU\n");
    int a = exos_spawn("vmwork", (char *[]){ "vmwork", "6000", NULL });
    int b = exos_spawn("vmwork_hash", (char *[]){ "vmwork_hash", "6000", NULL });
    int sa = -1, sb = -1;
    if (a < 0 || b < 0) {
        printf("demo_twolibos: cannot start them\n");
        return 1;
    }
    waitpid(a, &sa, 0);
    waitpid(b, &sb, 0);
    printf("demo_twolibos: both done (%s, %s): two libOSes, one exokernel\n",
           WIFEXITED(sa) && WEXITSTATUS(sa) == 0 ? "ok" : "failed",
           WIFEXITED(sb) && WEXITSTATUS(sb) == 0 ? "ok" : "failed");
    return !(WIFEXITED(sa) && WEXITSTATUS(sa) == 0 && WIFEXITED(sb) && WEXITSTATUS(sb) == 0);
}
