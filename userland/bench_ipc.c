/*
 * bench_ipc - IPC round trips of one word, in instructions: pipe, shared memory, LRPC.
 *
 * Each round trip is between this process and a forked one:
 *   ipc_pipe       write 4 bytes to a pipe, read 4 bytes back from another
 *                  (each read finds its pipe empty and yields to the writer);
 *   ipc_shm_yield  a word stored in shared memory, the CPU handed over with
 *                  SYS_YIELD, the answer stored back the same way;
 *   ipc_lrpc       lrpc_call: a synchronous PCT to the server, which runs a
 *                  C function on its own stack and transfers back.
 * Each line is `BENCH <name> <instructions per round trip> <round trips>`.
 * Measured with exos_count() (CP0 Count: one tick per COUNT_NS = 6 ns, one
 * instruction per ns under -icount shift=0), as bench.c does: the least of
 * CHUNKS equal chunks after a warm-up, so that the timer's interrupts and
 * upcalls (a chunk they fall into is slower, never faster) are left out.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exos.h"
#include "lrpc.h"
#include "names.h"
#include "shm.h"
#include "sys.h"

#define INSNS_PER_TICK  COUNT_NS
#define WARMUP          100
#define CHUNKS          5

/* The least chunk: ticks[1..CHUNKS] for chunks of n / CHUNKS round trips
 * (ticks[0] is the warm-up's). */
static void report(const char *name, const uint32_t *ticks, uint32_t n)
{
    uint32_t least = ticks[1];

    for (int i = 2; i <= CHUNKS; i++)
        if (ticks[i] < least)
            least = ticks[i];
    uint64_t x100 = (uint64_t)least * INSNS_PER_TICK * 100 * CHUNKS / n;
    printf("BENCH %s %lu.%02lu %lu\n", name, (unsigned long)(x100 / 100),
           (unsigned long)(x100 % 100), (unsigned long)n);
}

static void bench_pipe(uint32_t n)
{
    int there[2], back[2], st;
    uint32_t w = 0, bad = 0;

    pipe(there);
    pipe(back);
    fflush(stdout);
    int pid = fork();
    if (pid == 0) {                     /* echo until end of file */
        close(there[1]);
        close(back[0]);
        while (read(there[0], &w, 4) == 4)
            write(back[1], &w, 4);
        _exit(0);
    }
    close(there[0]);
    close(back[1]);
    uint32_t ticks[CHUNKS + 1], i = 0;
    for (int c = 0; c <= CHUNKS; c++) {         /* chunk 0: the warm-up */
        uint32_t t0 = exos_count(), end = i + (c == 0 ? WARMUP : n / CHUNKS);
        for (; i < end; i++) {
            write(there[1], &i, 4);
            bad += read(back[0], &w, 4) != 4 || w != i;
        }
        ticks[c] = exos_count() - t0;
    }
    close(there[1]);
    close(back[0]);
    waitpid(pid, &st, 0);
    if (bad == 0)
        report("ipc_pipe", ticks, n);
}

struct pingpong {
    volatile uint32_t req, resp;
};

static void bench_shm_yield(uint32_t n)
{
    int st;

    shm_create("bench", PAGE_SIZE);
    struct pingpong *s = shm_attach("bench", NULL);
    uint32_t me = exos_envid();
    fflush(stdout);
    int pid = fork();
    if (pid == 0) {                     /* answer each request, until 0 */
        for (uint32_t last = 0;;) {
            while (s->req == last)
                sys_yield(me);
            if ((last = s->req) == 0)
                _exit(0);
            s->resp = last;
        }
    }
    uint32_t ticks[CHUNKS + 1], i = 1;
    for (int c = 0; c <= CHUNKS; c++) {
        uint32_t t0 = exos_count(), end = i + (c == 0 ? WARMUP : n / CHUNKS);
        for (; i < end; i++) {
            s->req = i;
            while (s->resp != i)
                sys_yield(pid);
        }
        ticks[c] = exos_count() - t0;
    }
    s->req = 0;
    waitpid(pid, &st, 0);
    shm_detach(s);
    shm_destroy("bench");
    report("ipc_shm_yield", ticks, n);
}

static int32_t echo(struct lrpc_call *c)
{
    return c->arg[0];
}

static void bench_lrpc(uint32_t n)
{
    struct lrpc_conn c;
    int st, bad = 0;

    fflush(stdout);
    int pid = fork();
    if (pid == 0) {
        lrpc_export("echo", echo);
        lrpc_serve();
        _exit(0);
    }
    while (lrpc_bind(&c, "echo") < 0)
        sys_yield(pid);
    uint32_t ticks[CHUNKS + 1], i = 0;
    for (int k = 0; k <= CHUNKS; k++) {
        uint32_t t0 = exos_count(), end = i + (k == 0 ? WARMUP : n / CHUNKS);
        for (; i < end; i++) {
            int32_t r = -1;
            bad += lrpc_call(&c, 1, i, 0, &r) != 0 || r != (int32_t)i;
        }
        ticks[k] = exos_count() - t0;
    }
    sys_env_destroy(pid, 9);            /* (a server serves until told) */
    waitpid(pid, &st, 0);
    lrpc_unbind(&c);
    if (bad == 0)
        report("ipc_lrpc", ticks, n);
}

int main(void)
{
    names_init();
    bench_pipe(20000);
    bench_shm_yield(50000);
    bench_lrpc(100000);
    return 0;
}
