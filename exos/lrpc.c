/*
 * lrpc.c - LRPC's C half (see lrpc.h; the transfers are in lrpc_entry.S).
 */
#include "lrpc.h"

#include <stddef.h>

#include "names.h"
#include "peer.h"
#include "sys.h"

/* In lrpc_entry.S. */
extern volatile uint32_t lrpc_pending, lrpc_parked, lrpc_serving;
void lrpc_entry(void);
void lrpc_upcall(void);
int lrpc_park_save(void) __attribute__((returns_twice));

struct lrpc_stats lrpc_stats;

#define XFRAME ((volatile struct xframe *)EXOS_XF_VA)

/* --- Server ------------------------------------------------------------ */

static lrpc_fn server_fn;

/* Each client's buffer page, mapped at LRPC_BUF_VA + its envid pages. */
static struct shm_grant bufs[NENV + 1];
static uint8_t buf_mapped[NENV + 1];

/* What lrpc_entry.S saw in the registers. */
struct lrpc_req {
    uint32_t client, op, arg[2];
};

static uint32_t buf_va(uint32_t client)
{
    return LRPC_BUF_VA + client * PAGE_SIZE;
}

/* LRPC_CONNECT: the client's buffer replaces whatever its envid had. */
static int32_t connect(uint32_t client, uint32_t ppn, uint32_t cap)
{
    if (buf_mapped[client])
        shm_unmap(buf_va(client));
    buf_mapped[client] = 0;
    bufs[client] = (struct shm_grant){ ppn, cap };
    if (shm_map(buf_va(client), &bufs[client], 1) < 0)
        return -E_BADCAP;
    buf_mapped[client] = 1;
    return 0;
}

/* Runs one call (from lrpc_entry): the result in the low word, the
 * status in the high one, as lrpc_trap returns them to the client. */
uint64_t lrpc_dispatch(struct lrpc_req *r)
{
    int32_t result, status = 0;

    lrpc_stats.served++;
    if (r->client == 0 || r->client > NENV) {
        result = 0, status = -E_INVAL;
    } else if (r->op == LRPC_CONNECT) {
        result = connect(r->client, r->arg[0], r->arg[1]);
    } else if (server_fn == NULL) {
        result = 0, status = -E_NOSYS;
    } else {
        struct lrpc_call c = { r->client, r->op, { r->arg[0], r->arg[1] },
                               buf_mapped[r->client] ? (void *)buf_va(r->client) : NULL };
        result = server_fn(&c);
    }
    return (uint64_t)(uint32_t)status << 32 | (uint32_t)result;
}

int lrpc_export(const char *name, lrpc_fn fn)
{
    server_fn = fn;
    return names_publish(name, NAME_LRPC, NULL);
}

void lrpc_serve(void)
{
    lrpc_serving = 1;
    XFRAME->upcall = (uint32_t)lrpc_upcall;
    /* A slice of our own after answering a call brings us back here. */
    lrpc_park_save();
    lrpc_parked = 1;
    while (lrpc_serving) {
        XFRAME->pct_entry = (uint32_t)lrpc_entry;
        sys_yield(-1);
    }
    XFRAME->pct_entry = 0;
    lrpc_parked = 0;
}

void lrpc_stop(void)
{
    lrpc_serving = 0;
}

/* --- Client ------------------------------------------------------------ */

/* lrpc_entry.S's lrpc_wait: our call is out and we have the CPU.  Give it
 * to the server until it answers (the answer drops this thread) or dies. */
int32_t lrpc_client_wait(void)
{
    for (;;) {
        uint32_t server = lrpc_pending;
        if (!peer_alive(server))
            return -E_NOENV;
        lrpc_stats.waits++;
        peer_yield(server);
    }
}

int lrpc_call(struct lrpc_conn *c, uint32_t op, uint32_t a0, uint32_t a1, int32_t *result)
{
    for (;;) {
        lrpc_stats.calls++;
        uint64_t r = lrpc_trap(c->server, op, a0, a1);
        int32_t status = (int32_t)(r >> 32);
        if (status == -E_BUSY) {        /* it runs another call: let it finish */
            lrpc_stats.busy++;
            peer_yield(c->server);
            continue;
        }
        if (status == 0 && result != NULL)
            *result = (int32_t)r;
        return status;
    }
}

int lrpc_bind(struct lrpc_conn *c, const char *name)
{
    struct name_entry e;
    int32_t res = 0;

    c->buf = NULL;
    if (names_lookup(name, NAME_LRPC, &e) < 0)
        return -E_NOENV;
    c->server = e.owner;
    uint32_t va = shm_va_alloc(1);
    if (va == 0 || shm_grant_alloc(&c->grant, 1) < 0) {
        shm_va_free(va, 1);
        return -E_NOMEM;
    }
    int r = shm_map(va, &c->grant, 1);
    if (r == 0)
        r = lrpc_call(c, LRPC_CONNECT, c->grant.ppn, c->grant.cap, &res);
    if (r == 0 && res < 0)
        r = res;
    if (r < 0) {
        shm_unmap(va);
        shm_va_free(va, 1);
        shm_grant_free(&c->grant, 1);
        return r;
    }
    c->buf = (void *)va;
    return 0;
}

void lrpc_unbind(struct lrpc_conn *c)
{
    if (c->buf == NULL)
        return;
    shm_unmap((uint32_t)c->buf);
    shm_va_free((uint32_t)c->buf, 1);
    shm_grant_free(&c->grant, 1);
    c->buf = NULL;
}
