/*
 * t_lrpc - lightweight RPC on protected control transfer, in the library:
 * a server process (forked) keeps a counter and a key-value table between
 * calls; clients find it by name; 100,000 calls come back right; larger
 * arguments travel in a shared buffer; two clients call it at once (one
 * finds it busy and retries); a server that faults in the middle of a
 * call, and one that has exited, give the client an error, not a hang or
 * a crash.
 *
 * A short tick makes the kernel interrupt calls in the middle, often.
 * kernel-args: tick_us=700
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exos.h"
#include "lrpc.h"
#include "names.h"
#include "peer.h"
#include "tap.h"

#define CALLS       100000
#define PER_CLIENT  20000

#define OP_ADD      1       /* counter += arg0: the new count */
#define OP_GET      2
#define OP_WHO      3       /* the caller's envid, as the server was told */
#define OP_PUT      4       /* buf = "key\0value\0": 0, or -1 if full */
#define OP_LOOKUP   5       /* buf = "key\0": the value into buf, its length, or -1 */
#define OP_CRASH    6       /* the server dereferences NULL */
#define OP_QUIT     7       /* the server stops serving and exits */

/* --- The server ------------------------------------------------------- */

static int32_t counter;
static struct {
    char key[32], val[64];
} table[16];
static int nkeys;

static int32_t put(const char *buf)
{
    const char *val = buf + strlen(buf) + 1;

    if (nkeys == 16 || strlen(buf) >= 32 || strlen(val) >= 64)
        return -1;
    strcpy(table[nkeys].key, buf);
    strcpy(table[nkeys].val, val);
    nkeys++;
    return 0;
}

static int32_t lookup(char *buf)
{
    for (int i = nkeys - 1; i >= 0; i--)
        if (strcmp(table[i].key, buf) == 0) {
            strcpy(buf, table[i].val);
            return strlen(buf);
        }
    return -1;
}

static int32_t serve(struct lrpc_call *c)
{
    switch (c->op) {
    case OP_ADD:
        return counter += c->arg[0];
    case OP_GET:
        return counter;
    case OP_WHO:
        return c->client;
    case OP_PUT:
        return c->buf != NULL ? put(c->buf) : -1;
    case OP_LOOKUP:
        return c->buf != NULL ? lookup(c->buf) : -1;
    case OP_CRASH:
        *(volatile int *)0 = 1;
        return 0;
    case OP_QUIT:
        lrpc_stop();
        return 0;
    }
    return -1;
}

static int start_server(const char *name)
{
    fflush(stdout);
    int pid = fork();
    if (pid == 0) {
        if (lrpc_export(name, serve) < 0)
            _exit(1);
        lrpc_serve();
        _exit(0);
    }
    return pid;
}

/* --- Clients ---------------------------------------------------------- */

/* Binds to name, giving the new server time to publish it. */
static int bind_to(struct lrpc_conn *c, const char *name, int pid)
{
    for (int i = 0; i < 1000; i++) {
        if (lrpc_bind(c, name) == 0)
            return 0;
        peer_yield(pid);
    }
    return -1;
}

static int32_t call(struct lrpc_conn *c, uint32_t op, uint32_t a0)
{
    int32_t r = 0;
    int s = lrpc_call(c, op, a0, 0, &r);
    return s < 0 ? s : r;
}

/* Strings in the shared buffer: "key\0value\0". */
static int32_t kv_put(struct lrpc_conn *c, const char *k, const char *v)
{
    strcpy(c->buf, k);
    strcpy((char *)c->buf + strlen(k) + 1, v);
    return call(c, OP_PUT, 0);
}

static const char *kv_get(struct lrpc_conn *c, const char *k)
{
    strcpy(c->buf, k);
    return call(c, OP_LOOKUP, 0) >= 0 ? c->buf : "(none)";
}

/* A second client process: PER_CLIENT additions.  Its exit status is
 * 255 if one failed, else how many of its calls found the server busy. */
static int start_client(int server)
{
    fflush(stdout);
    int pid = fork();
    if (pid == 0) {
        struct lrpc_conn c;
        int bad = bind_to(&c, "counter", server) != 0;
        for (int i = 0; i < PER_CLIENT && !bad; i++)
            bad = call(&c, OP_ADD, 1) <= 0;
        _exit(bad ? 255 : lrpc_stats.busy < 254 ? lrpc_stats.busy : 254);
    }
    return pid;
}

int main(void)
{
    struct lrpc_conn c, c2;
    int st = -1;

    names_init();                       /* one table for the whole family */
    int srv = start_server("counter");
    check(srv > 0 && bind_to(&c, "counter", srv) == 0,
          "a client finds the server by name and gives it its buffer", "pid %d", srv);

    int bad = 0;
    for (int i = 0; i < CALLS; i++)
        bad += call(&c, OP_ADD, 1) != i + 1;
    check(bad == 0, "100000 calls return correct results (a counter the server keeps)",
          "%d wrong", bad);
    check(call(&c, OP_WHO, 0) == (int32_t)exos_envid(),
          "the server knows its caller by the kernel's word", "-");
    check(kv_put(&c, "alpha", "one") == 0 && kv_put(&c, "beta", "two") == 0 &&
          kv_put(&c, "alpha", "uno") == 0 && strcmp(kv_get(&c, "alpha"), "uno") == 0 &&
          strcmp(kv_get(&c, "beta"), "two") == 0 && strcmp(kv_get(&c, "gamma"), "(none)") == 0,
          "a key-value table in the server, strings through the shared buffer", "-");

    /* Two more clients at once, each in its own process. */
    uint32_t busy0 = lrpc_stats.busy;
    int k1 = start_client(srv), k2 = start_client(srv);
    for (int i = 0; i < PER_CLIENT; i++)
        call(&c, OP_ADD, 1);
    int s1 = -1, s2 = -1;
    waitpid(k1, &s1, 0);
    waitpid(k2, &s2, 0);
    check(WIFEXITED(s1) && WEXITSTATUS(s1) != 255 && WIFEXITED(s2) && WEXITSTATUS(s2) != 255 &&
          call(&c, OP_GET, 0) == CALLS + 3 * PER_CLIENT,
          "three clients at once: every addition counted once", "%ld, expected %d (%#x %#x)",
          (long)call(&c, OP_GET, 0), CALLS + 3 * PER_CLIENT, s1, s2);
    printf("# %lu calls found the server busy with another client's and were retried\n",
           (unsigned long)(lrpc_stats.busy - busy0 + WEXITSTATUS(s1) + WEXITSTATUS(s2)));

    check(lrpc_bind(&c2, "nobody") == -E_NOENV, "binding to a name nobody serves: E_NOENV", "-");

    /* A server that faults in the middle of our call. */
    int32_t r = call(&c, OP_CRASH, 0);
    check(r == -E_NOENV, "a server that faults during the call: the call returns E_NOENV",
          "%ld", (long)r);
    check(waitpid(srv, &st, 0) == srv && WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV,
          "  (the server died of SIGSEGV; the client goes on)", "status %#x", st);
    check(call(&c, OP_GET, 0) == -E_NOENV, "a call to a server that died: E_NOENV at once", "-");
    lrpc_unbind(&c);

    /* A server that stops serving when asked, and exits. */
    srv = start_server("quitter");
    r = bind_to(&c, "quitter", srv);
    check(r == 0 && call(&c, OP_ADD, 5) == 5 && call(&c, OP_QUIT, 0) == 0,
          "a second server answers, then is asked to stop", "-");
    check(waitpid(srv, &st, 0) == srv && WIFEXITED(st) && WEXITSTATUS(st) == 0,
          "  (its main thread came back from lrpc_serve and exited)", "status %#x", st);
    check(call(&c, OP_GET, 0) == -E_NOENV && lrpc_bind(&c2, "quitter") == -E_NOENV,
          "a call to a server that has exited: E_NOENV; its name is gone", "-");
    lrpc_unbind(&c);
    return tap_done();
}
