/*
 * tlbtrace - runs a program and shows the TLB at work for it: every refill
 * served from the STLB, every STLB miss forwarded to its ExOS and the
 * binding its page-table walk installed, TLB-modified and invalid faults,
 * hardware TLB evictions (which slot) and STLB evictions.
 *
 *   tlbtrace [-v] program [args...]
 *
 * The kernel records the events in a ring exposed read-only (abi.h, "The
 * TLB tracer"), using traced copies of its vectors while tracing is on.  We
 * read the ring whenever we get the CPU back; with -v each event of the
 * program is printed as we find it (events the ring overwrote in between
 * are counted, not shown).  The summary at the end is exact: the kernel
 * counts every event.  docs/tlbtrace.md explains how to read it.
 */
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "exos.h"
#include "proc.h"
#include "sys.h"

static const char *const names[TEV_NKINDS] = {
    [TEV_REFILL] = "refill", [TEV_STLB_MISS] = "stlb-miss", [TEV_GUARANTEED] = "guaranteed",
    [TEV_BIND] = "bind", [TEV_MOD] = "modified", [TEV_INVALID] = "invalid",
    [TEV_TLB_EVICT] = "tlb-evict", [TEV_STLB_EVICT] = "stlb-evict", [TEV_PCT] = "pct",
    [TEV_EXC] = "exception",
};

static const char *const meaning[TEV_NKINDS] = {
    [TEV_REFILL] = "TLB refills served from the STLB (kernel, no ExOS)",
    [TEV_STLB_MISS] = "STLB misses forwarded to ExOS's page table",
    [TEV_GUARANTEED] = "misses served from guaranteed mappings",
    [TEV_BIND] = "bindings installed (ExOS's walks, loader)",
    [TEV_MOD] = "TLB-modified faults (first writes: dirty bits)",
    [TEV_INVALID] = "TLB-invalid faults (other half of a pair)",
    [TEV_TLB_EVICT] = "hardware TLB entries evicted by refills",
    [TEV_STLB_EVICT] = "STLB entries displaced",
    [TEV_PCT] = "protected control transfers",
    [TEV_EXC] = "other exceptions",
};

/* "pfn 1a2 DV" for one EntryLo. */
static void lo(char *buf, size_t n, uint32_t l)
{
    if (!(l & ENTRYLO_V)) {
        snprintf(buf, n, "-");
        return;
    }
    snprintf(buf, n, "pfn %05lx %s%s", (unsigned long)(l >> ENTRYLO_PFN_SHIFT),
             l & ENTRYLO_D ? "D" : "-", l & ENTRYLO_G ? "G" : "");
}

static void show(const volatile struct trace_event *e)
{
    char a[32], b[32];

    switch (e->kind) {
    case TEV_REFILL:
        lo(a, sizeof a, e->a), lo(b, sizeof b, e->b);
        printf("  refill      slot %2u  va %08lx asid %3lu  even %s  odd %s\n", e->slot,
               (unsigned long)(e->va & ~0x1fffu), (unsigned long)(e->va & 0xff), a, b);
        break;
    case TEV_TLB_EVICT:
        printf("  tlb-evict   slot %2u  va %08lx asid %3lu  (its pair leaves the TLB)\n", e->slot,
               (unsigned long)(e->va & ~0x1fffu), (unsigned long)(e->va & 0xff));
        break;
    case TEV_STLB_MISS:
        printf("  stlb-miss   va %08lx at pc %08lx: to ExOS's page table\n", (unsigned long)e->va,
               (unsigned long)e->a);
        break;
    case TEV_BIND:
        lo(a, sizeof a, e->a);
        printf("  bind        va %08lx -> %s\n", (unsigned long)e->va, a);
        break;
    case TEV_STLB_EVICT:
        printf("  stlb-evict  tag %08lx displaced by %08lx\n", (unsigned long)e->va,
               (unsigned long)e->a);
        break;
    case TEV_PCT:
        printf("  pct         to env %lu at pc %08lx\n", (unsigned long)e->a, (unsigned long)e->va);
        break;
    case TEV_EXC:
        printf("  exception   code %lu at pc %08lx\n", (unsigned long)e->a, (unsigned long)e->va);
        break;
    default:
        printf("  %-11s va %08lx at pc %08lx\n", e->kind < TEV_NKINDS ? names[e->kind] : "?",
               (unsigned long)e->va, (unsigned long)e->a);
        break;
    }
}

int main(int argc, char **argv)
{
    const volatile struct trace_ring *t = &AEGIS_EXPOSED->trace;
    int verbose = argc > 1 && strcmp(argv[1], "-v") == 0;
    int first = verbose ? 2 : 1;

    if (argc <= first) {
        printf("usage: tlbtrace [-v] program [args...]\n");
        return 2;
    }
    if (sys_trace(1) != 0) {
        printf("tlbtrace: the tracer is already in use\n");
        return 1;
    }
    uint32_t next = t->head, lost = 0;
    int pid = exos_spawn(argv[first], &argv[first]);
    if (pid < 0) {
        sys_trace(0);
        printf("tlbtrace: cannot run %s (error %d)\n", argv[first], pid);
        return 1;
    }
    printf("tlbtrace: %s is pid %d; tracing its TLB events\n", argv[first], pid);
    int status = 0, done = 0;
    while (!done) {
        done = exos_wait(pid, &status, 1) == pid;
        uint32_t head = t->head;
        if (head - next > TRACE_NEVENTS) {     /* overwritten before we looked */
            lost += head - next - TRACE_NEVENTS;
            next = head - TRACE_NEVENTS;
        }
        for (; next != head; next++) {
            const volatile struct trace_event *e = &t->ev[next % TRACE_NEVENTS];
            if (verbose && e->env == (uint32_t)pid)
                show(e);
        }
        if (!done)
            sys_yield(pid);
    }
    sys_trace(0);

    printf("tlbtrace: %s ended (%s %d); its TLB events:\n", argv[first],
           WIFEXITED(status) ? "exit" : "signal",
           WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
    for (int k = 1; k < TEV_NKINDS; k++)
        printf("  %10lu  %-10s  %s\n", (unsigned long)t->counts[pid][k], names[k], meaning[k]);
    uint32_t hits = t->counts[pid][TEV_REFILL];
    uint32_t misses = t->counts[pid][TEV_STLB_MISS] + t->counts[pid][TEV_GUARANTEED];
    if (hits + misses != 0)
        printf("  STLB hit rate %lu.%lu %% of %lu TLB refills\n",
               (unsigned long)(hits * 1000ull / (hits + misses) / 10),
               (unsigned long)(hits * 1000ull / (hits + misses) % 10),
               (unsigned long)(hits + misses));
    if (verbose && lost)
        printf("  (%lu events were overwritten in the ring before they could be shown)\n",
               (unsigned long)lost);
    return 0;
}
