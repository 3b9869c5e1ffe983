/*
 * t_pipe - Unix pipes built by ExOS from shared pages: 10 MiB streamed
 * between two processes, each way round in speed; `producer | consumer`
 * set up by a parent with dup2 (through fork, and through spawn once
 * exos_spawn hands descriptors over); end of file and broken pipes as on
 * Unix, including peers that crash; dup, dup2 and their errors; stdio over
 * a pipe; no page leaks.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exos.h"
#include "fd.h"
#include "ipcdata.h"
#include "pipe.h"
#include "proc.h"
#include "sys.h"
#include "tap.h"

#define MIB     (1024 * 1024)
#define STREAM  (10 * MIB)

/* What a receiving child reports back on a second pipe. */
struct report {
    uint32_t bytes, bad;
    struct ipc_sum sum;
};

static uint8_t buf[8192];

/* Sends n bytes of the stream in chunks, burning `work` per chunk. */
static int send_stream(int fd, uint32_t n, uint32_t chunk, uint32_t work, struct ipc_sum *sum)
{
    for (uint32_t pos = 0; pos < n; pos += chunk) {
        uint32_t k = n - pos < chunk ? n - pos : chunk;
        ipc_fill(buf, pos, k);
        ipc_sum_add(sum, buf, k);
        ipc_work(work);
        if (ipc_write_all(fd, buf, k) < 0)
            return -1;
    }
    return 0;
}

/* Receives to end of file in reads of up to `chunk`, burning `work` per read. */
static struct report recv_stream(int fd, uint32_t chunk, uint32_t work)
{
    struct report r = { 0, 0, { 0, 0 } };
    int k;

    while ((k = read(fd, buf, chunk)) > 0) {
        r.bad += ipc_check(buf, r.bytes, k);
        ipc_sum_add(&r.sum, buf, k);
        r.bytes += k;
        ipc_work(work);
    }
    if (k < 0)
        r.bad++;
    return r;
}

/*
 * STREAM bytes from one process to the other.  parent_sends: the parent
 * writes and a child reads (and reports on a second pipe), or the reverse.
 * The slow side burns `work` per 1 KiB.  Returns 1 if everything arrived,
 * in order, with the same checksum; *waits gets the parent's waits.
 */
static int stream(int parent_sends, uint32_t send_work, uint32_t recv_work, uint32_t *waits)
{
    int data[2], back[2], st = -1;
    struct ipc_sum sent = { 0, 0 };
    struct report got;

    if (pipe(data) < 0 || pipe(back) < 0)
        return 0;
    fflush(stdout);
    int pid = fork();
    if (pid == 0) {
        close(back[0]);
        if (parent_sends) {
            close(data[1]);
            got = recv_stream(data[0], 1024, recv_work);
            ipc_write_all(back[1], (uint8_t *)&got, sizeof got);
        } else {
            close(data[0]);
            int r = send_stream(data[1], STREAM, 1024, send_work, &sent);
            got = (struct report){ r < 0, 0, sent };
            ipc_write_all(back[1], (uint8_t *)&got, sizeof got);
        }
        _exit(0);
    }
    close(back[1]);
    uint32_t r0 = pipe_stats.read_waits, w0 = pipe_stats.write_waits;
    int ok = 1;
    if (parent_sends) {
        close(data[0]);
        ok = send_stream(data[1], STREAM, 8192, send_work, &sent) == 0;
        close(data[1]);
        ok &= read(back[0], &got, sizeof got) == sizeof got;
        ok &= got.bytes == STREAM && got.bad == 0 && got.sum.a == sent.a && got.sum.b == sent.b;
        *waits = pipe_stats.write_waits - w0;
    } else {
        close(data[1]);
        struct report mine = recv_stream(data[0], 8192, recv_work);
        close(data[0]);
        ok &= read(back[0], &got, sizeof got) == sizeof got;
        ok &= got.bytes == 0 && mine.bytes == STREAM && mine.bad == 0 &&
              mine.sum.a == got.sum.a && mine.sum.b == got.sum.b;
        *waits = pipe_stats.read_waits - r0;
    }
    close(back[0]);
    return ok && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* `ipc_produce | ipc_consume` with forked children: 0 if both ended well. */
static int pipeline_fork(uint32_t n)
{
    int p[2], sp = -1, sc = -1;

    if (pipe(p) < 0)
        return -1;
    fflush(stdout);
    int prod = fork();
    if (prod == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        exit(ipc_produce(n));           /* exit: stdio's buffer is flushed */
    }
    int cons = fork();
    if (cons == 0) {
        dup2(p[0], 0);
        close(p[0]);
        close(p[1]);
        exit(ipc_consume(n));
    }
    close(p[0]);
    close(p[1]);
    waitpid(prod, &sp, 0);
    waitpid(cons, &sc, 0);
    return WIFEXITED(sp) && WEXITSTATUS(sp) == 0 && WIFEXITED(sc) && WEXITSTATUS(sc) == 0 ? 0 : 1;
}

/* Does exos_spawn hand descriptors to the child yet (fd_handoff and
 * fd_inherit wired)?  A child that reports whether it got them says. */
static int spawn_passes_fds(void)
{
    int st = -1;
    int pid = exos_spawn("ipc_consume", (char *[]){ "ipc_consume", "probe", NULL });

    return pid > 0 && waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

/* `ipc_produce | ipc_consume`, spawned as a shell would: the pipe's ends
 * are close-on-exec, so each child gets only the one fd_spawn gives it (a
 * child holding both ends of its own input would never see its end). */
static int pipeline_spawn(uint32_t n)
{
    char num[16];
    int p[2], sp = -1, sc = -1;

    snprintf(num, sizeof num, "%lu", (unsigned long)n);
    if (pipe2(p, O_CLOEXEC) < 0)
        return -1;
    int prod = fd_spawn("ipc_produce", (char *[]){ "ipc_produce", num, NULL }, -1, p[1]);
    int cons = fd_spawn("ipc_consume", (char *[]){ "ipc_consume", num, NULL }, p[0], -1);
    close(p[0]);
    close(p[1]);
    if (prod <= 0 || cons <= 0)
        return -1;
    waitpid(prod, &sp, 0);
    waitpid(cons, &sc, 0);
    return WIFEXITED(sp) && WEXITSTATUS(sp) == 0 && WIFEXITED(sc) && WEXITSTATUS(sc) == 0 ? 0 : 1;
}

/* The shell's `producer 300 | consumer`, the consumer's stdout a third
 * descriptor we read: what it says. */
static int shell_pipeline(char *said, int len)
{
    int p[2], out[2], st = -1, n = 0, k;

    if (pipe2(p, O_CLOEXEC) < 0 || pipe2(out, O_CLOEXEC) < 0)
        return -1;
    int prod = fd_spawn("producer", (char *[]){ "producer", "300", NULL }, -1, p[1]);
    int cons = fd_spawn("consumer", (char *[]){ "consumer", NULL }, p[0], out[1]);
    close(p[0]);
    close(p[1]);
    close(out[1]);
    while (n < len - 1 && (k = read(out[0], said + n, len - 1 - n)) > 0)
        n += k;
    said[n] = '\0';
    close(out[0]);
    waitpid(prod, &st, 0);
    waitpid(cons, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void end_of_file(void)
{
    int p[2], st = -1;
    char c[16];

    pipe(p);
    int n1 = write(p[1], "hello", 5);
    close(p[1]);
    int n2 = read(p[0], c, sizeof c), n3 = read(p[0], c, sizeof c);
    close(p[0]);
    check(n1 == 5 && n2 == 5 && memcmp(c, "hello", 5) == 0 && n3 == 0,
          "what was written before the last close is read, then end of file", "%d %d %d", n1, n2, n3);

    /* A child still holds the write end: no end of file until it lets go. */
    pipe(p);
    fflush(stdout);
    int pid = fork();
    if (pid == 0) {
        close(p[0]);
        for (int i = 0; i < 50; i++)
            sys_yield(-1);
        write(p[1], "late", 4);
        _exit(0);                       /* (its end closes as it dies) */
    }
    close(p[1]);
    uint32_t w0 = pipe_stats.read_waits;
    n1 = read(p[0], c, sizeof c);
    n2 = read(p[0], c + 4, sizeof c - 4);
    close(p[0]);
    waitpid(pid, &st, 0);
    check(n1 == 4 && memcmp(c, "late", 4) == 0 && n2 == 0 && pipe_stats.read_waits > w0,
          "a reader waits while a child holds the write end, reads its data, then end of file",
          "%d %d waits %lu", n1, n2, (unsigned long)(pipe_stats.read_waits - w0));

    /* A writer that crashes lets go of its end as it dies. */
    pipe(p);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        close(p[0]);
        write(p[1], "crash", 5);
        *(volatile int *)0 = 1;
        _exit(0);
    }
    close(p[1]);
    n1 = read(p[0], c, sizeof c);
    n2 = read(p[0], c, sizeof c);
    close(p[0]);
    check(n1 == 5 && n2 == 0 && waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
          WTERMSIG(st) == SIGSEGV, "a writer that crashes: its data, then end of file",
          "%d %d status %#x", n1, n2, st);

    /* A duplicated write end keeps the pipe open until it closes too. */
    pipe(p);
    int w2 = dup(p[1]);
    close(p[1]);
    n1 = write(w2, "x", 1);
    close(w2);
    n2 = read(p[0], c, sizeof c);
    n3 = read(p[0], c, sizeof c);
    close(p[0]);
    check(n1 == 1 && n2 == 1 && c[0] == 'x' && n3 == 0,
          "a dup'ed write end still writes after the original closes; end of file after both", "-");
}

static void broken_pipe(void)
{
    int p[2], st = -1;
    uint8_t *big = malloc(MIB);         /* (zeros: the heap is demand-zero) */

    pipe(p);
    close(p[0]);
    errno = 0;
    int r = write(p[1], "x", 1);
    check(r == -1 && errno == EPIPE, "write with no reader: -1, EPIPE", "%d errno %d", r, errno);
    close(p[1]);

    /* A reader that exits without reading: the writer, blocked on a full
     * ring, comes back with what fitted, then EPIPE - no hang. */
    pipe(p);
    fflush(stdout);
    int pid = fork();
    if (pid == 0) {
        close(p[1]);
        for (int i = 0; i < 20; i++)
            sys_yield(-1);
        _exit(0);
    }
    close(p[0]);
    int r1 = write(p[1], big, MIB);
    errno = 0;
    int r2 = write(p[1], big, 10);
    close(p[1]);
    check(r1 == PIPE_SIZE && r2 == -1 && errno == EPIPE && waitpid(pid, &st, 0) == pid,
          "a reader exits without reading: the blocked writer returns what fitted, then EPIPE",
          "%d %d errno %d", r1, r2, errno);

    /* A reader that crashes in the middle. */
    pipe(p);
    fflush(stdout);
    pid = fork();
    if (pid == 0) {
        char c[100];
        close(p[1]);
        read(p[0], c, sizeof c);
        *(volatile int *)0 = 1;
    }
    close(p[0]);
    r1 = write(p[1], big, MIB);
    errno = 0;
    r2 = write(p[1], big, 10);
    close(p[1]);
    check(r1 > 0 && r1 < MIB && r2 == -1 && errno == EPIPE &&
          waitpid(pid, &st, 0) == pid && WIFSIGNALED(st),
          "a reader that crashes mid-stream: a short write, then EPIPE", "%d %d errno %d", r1, r2,
          errno);
    free(big);
}

static void descriptors(void)
{
    int p[2];
    char c[8];
    struct stat s;

    pipe(p);
    int lowest = -1;
    for (int fd = 0; fd < NFD && lowest < 0; fd++)
        if (fstat(fd, &s) < 0)
            lowest = fd;
    int d = dup(p[1]);
    check(d == lowest, "dup returns the lowest free descriptor", "%d, expected %d", d, lowest);
    check(dup2(p[1], 20) == 20 && write(20, "ab", 2) == 2 && read(p[0], c, 2) == 2 &&
          memcmp(c, "ab", 2) == 0, "dup2 to descriptor 20: writes through it reach the pipe", "-");
    check(dup2(20, 20) == 20, "dup2(fd, fd) returns fd", "-");
    check(dup2(p[1], p[0]) == p[0] && read(p[0], c, 1) == -1 && errno == EBADF,
          "dup2 onto an open descriptor closes it first (it is a write end now)", "errno %d", errno);
    close(p[0]);
    close(p[1]);
    close(d);
    close(20);
    errno = 0;
    check(close(p[0]) == -1 && errno == EBADF, "closing a closed descriptor: EBADF", "-");
    errno = 0;
    check(close(1000) == -1 && errno == EBADF && dup(99) == -1, "bad descriptor numbers: EBADF", "-");
    pipe(p);
    errno = 0;
    int r1 = read(p[1], c, 1), e1 = errno;
    errno = 0;
    int r2 = write(p[0], "x", 1), e2 = errno;
    check(r1 == -1 && e1 == EBADF && r2 == -1 && e2 == EBADF,
          "reading a write end, writing a read end: EBADF", "%d %d %d %d", r1, e1, r2, e2);
    check(fstat(p[0], &s) == 0 && S_ISFIFO(s.st_mode) && !isatty(p[0]) && isatty(1),
          "a pipe is a FIFO, not a terminal; the console is one", "-");
    close(p[0]);
    close(p[1]);
}

/* A child's printf, its stdout a pipe: stdio over a pipe. */
static void stdio_over_pipe(void)
{
    int p[2], st = -1;
    char line[64] = "";

    pipe(p);
    fflush(stdout);
    int pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        printf("child %lu says hello\n", (unsigned long)exos_envid());
        exit(0);
    }
    close(p[1]);
    int n = 0, k;
    while ((k = read(p[0], line + n, sizeof line - 1 - n)) > 0)
        n += k;
    close(p[0]);
    char want[64];
    snprintf(want, sizeof want, "child %lu says hello\n", (unsigned long)pid);
    check(waitpid(pid, &st, 0) == pid && strcmp(line, want) == 0,
          "a child's printf to a stdout redirected with dup2 arrives through the pipe", "got '%s'",
          line);
}

static uint32_t free_pages(void)
{
    uint32_t n = 0;
    for (uint32_t p = 0; p < AEGIS_EXPOSED->npages; p++)
        n += AEGIS_EXPOSED->pages[p].owner == OWNER_FREE;
    return n;
}

/* pipe + fork + exit + read to EOF + wait, twenty times. */
static void no_leak(void)
{
    uint32_t f0 = 0;

    for (int i = 0; i < 21; i++) {
        int p[2], st;
        char c[8];
        if (i == 1)
            f0 = free_pages();
        pipe(p);
        fflush(stdout);
        int pid = fork();
        if (pid == 0) {
            close(p[0]);
            write(p[1], "z", 1);
            _exit(0);
        }
        close(p[1]);
        while (read(p[0], c, sizeof c) > 0)
            ;
        close(p[0]);
        waitpid(pid, &st, 0);
    }
    check(free_pages() == f0, "20 rounds of pipe, fork, read to end of file, wait leak no page",
          "%lu free before, %lu after", (unsigned long)f0, (unsigned long)free_pages());
}

int main(void)
{
    uint32_t waits = 0;

    check(stream(1, 0, 1000, &waits), "10 MiB, writer faster than reader: complete, in order, same checksum",
          "-");
    check(waits > 100, "  (the writer found the ring full and gave the reader the CPU)",
          "%lu waits", (unsigned long)waits);
    printf("# the writer waited %lu times\n", (unsigned long)waits);
    check(stream(0, 1000, 0, &waits), "10 MiB, reader faster than writer: complete, in order, same checksum",
          "-");
    check(waits > 100, "  (the reader found the pipe empty and gave the writer the CPU)",
          "%lu waits", (unsigned long)waits);
    printf("# the reader waited %lu times\n", (unsigned long)waits);
    check(pipeline_fork(2 * MIB) == 0,
          "producer | consumer: a parent forks both, dup2 onto stdout and stdin, stdio on each side",
          "-");
    if (spawn_passes_fds()) {
        char said[128];
        check(pipeline_spawn(2 * MIB) == 0, "producer | consumer by spawn: descriptors handed to the children",
              "-");
        check(shell_pipeline(said, sizeof said) == 0 && strcmp(said, "consumer: 300 lines\n") == 0,
              "the shell's `producer 300 | consumer`, spawned: \"consumer: 300 lines\"", "said '%s'",
              said);
    } else {
        check(1, "producer | consumer by spawn # SKIP exos_spawn does not hand descriptors over yet",
              "-");
        check(1, "the shell's `producer 300 | consumer` # SKIP exos_spawn does not hand descriptors over yet",
              "-");
    }
    end_of_file();
    broken_pipe();
    descriptors();
    stdio_over_pipe();
    no_leak();
    return tap_done();
}
