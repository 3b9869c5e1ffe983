/*
 * t_twolibos - two library OSes side by side: vmwork (two-level page table)
 * and vmwork_hash (hashed page table) run at the same time on one kernel,
 * each with its own ExOS and policy, taking turns on the CPU while both
 * work sets outgrow the STLB; each reads back every value it wrote.
 */
#include <sys/wait.h>

#include "exos.h"
#include "proc.h"
#include "tap.h"

int main(void)
{
    int a = exos_spawn("vmwork", (char *[]){ "vmwork", "6000", NULL });
    int b = exos_spawn("vmwork_hash", (char *[]){ "vmwork_hash", "6000", NULL });
    int sa = -1, sb = -1;

    check(a > 0 && b > 0, "two programs with different page tables started", "%d %d", a, b);
    /* Both are alive at once before either is waited for. */
    int both = AEGIS_EXPOSED->envs[a].state == ENV_RUNNABLE &&
               AEGIS_EXPOSED->envs[b].state == ENV_RUNNABLE;
    check(both, "both alive at the same time", "-");
    check(waitpid(a, &sa, 0) == a && WIFEXITED(sa) && WEXITSTATUS(sa) == 0,
          "two-level ExOS: 6000 pages written and read back", "status %#x", sa);
    check(waitpid(b, &sb, 0) == b && WIFEXITED(sb) && WEXITSTATUS(sb) == 0,
          "hashed ExOS: 6000 pages written and read back", "status %#x", sb);
    return tap_done();
}
