/*
 * lrpc.h - lightweight remote procedure call, on protected control
 * transfer (docs/cpu.md) and nothing else from the kernel.
 *
 * A call is two transfers.  The client puts the message in registers (an
 * operation and two words; a page shared with the server for anything
 * larger) and makes a synchronous PCT to the server's entry: the CPU is
 * in the server at once, in the server's address space, running on the
 * client's time slice (the client donates its slices until it is
 * answered).  The server runs the call on a stack of its own and transfers
 * back to the client's entry with the result in registers.  Nothing is
 * copied, queued or scheduled; the kernel says who called (v1), which a
 * client cannot forge.
 *
 * What the library adds around the two transfers (lrpc_entry.S):
 *  - the client's registers are saved in its memory, since a PCT saves
 *    nothing, and restored when the answer comes in;
 *  - a server takes one call at a time: its entry is closed (0 in
 *    xframe.pct_entry) while it runs one, so another client's transfer is
 *    refused by the kernel (E_BUSY) and lrpc_call retries after yielding to
 *    the server;
 *  - a server that dies (exits, faults) while it has our call: the kernel
 *    stops running it on our slices and gives us a slice of our own
 *    (UPCALL_SLICE_START); our interrupt context finds the call still out
 *    and its server dead, and the call returns -E_NOENV.  A call to a
 *    server that is already gone fails at once, -E_NOENV from the kernel.
 *  - a server's main thread waits in lrpc_serve, its registers saved, so
 *    that it can be resumed there when the server gets a slice of its own
 *    after answering (it left by PCT: the kernel kept nothing of it).
 * A service is found by name (names.h).
 */
#ifndef EXOS_LRPC_H
#define EXOS_LRPC_H

#include <stdint.h>

#include "shm.h"

/* The operation a client's first call makes (lrpc_bind): arg[0], arg[1]
 * are the grant of its buffer page, which the server maps. */
#define LRPC_CONNECT    0xffffffffu
#define LRPC_BUFSIZE    PAGE_SIZE

/* A call, as a server's function sees it. */
struct lrpc_call {
    uint32_t client;        /* the caller's envid, as the kernel told us */
    uint32_t op;
    uint32_t arg[2];
    void *buf;              /* the caller's buffer page here, or NULL */
};

/* A server's function: the result goes back to the caller. */
typedef int32_t (*lrpc_fn)(struct lrpc_call *c);

/* --- Server ------------------------------------------------------------ */

/* Calls to this process will run fn; publishes it as name.  0, or an
 * error of names_publish (-E_BUSY: the name is taken). */
int lrpc_export(const char *name, lrpc_fn fn);

/* Takes calls until a call runs lrpc_stop(): the main thread waits here
 * (yielding its own slices; calls run on their clients' slices). */
void lrpc_serve(void);

/* From inside a call: lrpc_serve returns once this call is answered; the
 * calls that come meanwhile are refused (and retried by their clients). */
void lrpc_stop(void);

/* --- Client ------------------------------------------------------------ */

struct lrpc_conn {
    uint32_t server;        /* its envid */
    void *buf;              /* our buffer page, which it maps too */
    struct shm_grant grant; /* (read by shm.c while mapped: keep the struct) */
};

/* Finds server name and gives it our buffer page.  0, -E_NOENV (no such
 * server alive), -E_NOMEM. */
int lrpc_bind(struct lrpc_conn *c, const char *name);

/* Calls op(a0, a1) in the server: 0 and the result in *result, or
 * -E_NOENV if the server is gone (before or during the call). */
int lrpc_call(struct lrpc_conn *c, uint32_t op, uint32_t a0, uint32_t a1, int32_t *result);

/* Frees our buffer page (the server's mapping of it dies with it). */
void lrpc_unbind(struct lrpc_conn *c);

/* One round trip, raw: the status in the high word (0 or -E_xxx), the
 * result in the low one.  E_BUSY (server busy) is not retried. */
uint64_t lrpc_trap(uint32_t server, uint32_t op, uint32_t a0, uint32_t a1);

struct lrpc_stats {
    uint32_t calls;         /* made by this process */
    uint32_t busy;          /* refused because the server was busy, retried */
    uint32_t waits;         /* slices of our own while a call was out */
    uint32_t served;        /* calls this process ran as a server */
};
extern struct lrpc_stats lrpc_stats;

#endif /* EXOS_LRPC_H */
