/*
 * sys.h - the system calls, as C functions (numbers and contracts in
 * aegis/abi.h).  Each returns what the kernel put in v0 (>= 0, or -E_xxx);
 * the few with a second result take a pointer for it.  Always inlined: the
 * exception path and raw child environments call them, and may only reach
 * code that is in their guaranteed mappings (exos_syscall is).
 */
#ifndef EXOS_SYS_H
#define EXOS_SYS_H

#include <stdint.h>

#include "abi.h"

/* The trap itself (syscall.S): v0 in the low half, v1 in the high half. */
int64_t exos_syscall(uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3,
                     uint32_t t0, uint32_t t1, uint32_t num);

#define SYSCALL(num, a0, a1, a2, a3, t0, t1) \
    ((int32_t)exos_syscall((uint32_t)(a0), (uint32_t)(a1), (uint32_t)(a2), \
                           (uint32_t)(a3), (uint32_t)(t0), (uint32_t)(t1), (num)))

static inline __attribute__((always_inline)) int32_t sys_cputs(const char *s, uint32_t len)
{
    return SYSCALL(SYS_CPUTS, s, len, 0, 0, 0, 0);
}

static inline __attribute__((always_inline)) int32_t sys_cgetc(void)
{
    return SYSCALL(SYS_CGETC, 0, 0, 0, 0, 0, 0);
}

/* Allocates page ppn (or any, with ppn = -1); *wcap gets its write cap
 * (0 on failure). */
static inline __attribute__((always_inline)) int32_t sys_page_alloc(int32_t ppn, uint32_t *wcap)
{
    int64_t r = exos_syscall((uint32_t)ppn, 0, 0, 0, 0, 0, SYS_PAGE_ALLOC);
    if (wcap)
        *wcap = (int32_t)r >= 0 ? (uint32_t)((uint64_t)r >> 32) : 0;
    return (int32_t)r;
}

static inline __attribute__((always_inline)) int32_t sys_page_free(uint32_t ppn)
{
    return SYSCALL(SYS_PAGE_FREE, ppn, 0, 0, 0, 0, 0);
}

static inline __attribute__((always_inline)) int32_t sys_page_rcap(uint32_t ppn, uint32_t wcap, uint32_t *rcap)
{
    int64_t r = exos_syscall(ppn, wcap, 0, 0, 0, 0, SYS_PAGE_RCAP);
    if (rcap)
        *rcap = (int32_t)r >= 0 ? (uint32_t)((uint64_t)r >> 32) : 0;
    return (int32_t)r;
}

static inline __attribute__((always_inline)) int32_t sys_page_give(uint32_t ppn, uint32_t envid)
{
    return SYSCALL(SYS_PAGE_GIVE, ppn, envid, 0, 0, 0, 0);
}

static inline __attribute__((always_inline)) int32_t sys_tlb_write(uint32_t envid, uint32_t va, uint32_t ppn,
                                    uint32_t cap, uint32_t flags)
{
    return SYSCALL(SYS_TLB_WRITE, envid, va, ppn, cap, flags, 0);
}

static inline __attribute__((always_inline)) int32_t sys_tlb_delete(uint32_t envid, uint32_t va)
{
    return SYSCALL(SYS_TLB_DELETE, envid, va, 0, 0, 0, 0);
}

static inline __attribute__((always_inline)) int32_t sys_guarantee(uint32_t envid, uint32_t slot, uint32_t va,
                                    uint32_t ppn, uint32_t cap, uint32_t flags)
{
    return SYSCALL(SYS_GUARANTEE, envid, slot, va, ppn, cap, flags);
}

static inline __attribute__((always_inline)) int32_t sys_xframe(uint32_t va)
{
    return SYSCALL(SYS_XFRAME, va, 0, 0, 0, 0, 0);
}

static inline __attribute__((always_inline)) int32_t sys_env_create(void)
{
    return SYSCALL(SYS_ENV_CREATE, 0, 0, 0, 0, 0, 0);
}

static inline __attribute__((always_inline)) int32_t sys_env_start(uint32_t envid, uint32_t pc, uint32_t sp, uint32_t arg)
{
    return SYSCALL(SYS_ENV_START, envid, pc, sp, arg, 0, 0);
}

/* Exit (envid 0) or kill a child; status is kept for the parent. */
static inline __attribute__((always_inline)) int32_t sys_env_destroy(uint32_t envid, uint32_t status)
{
    return SYSCALL(SYS_ENV_DESTROY, envid, status, 0, 0, 0, 0);
}

static inline __attribute__((always_inline)) int32_t sys_env_reap(uint32_t envid)
{
    return SYSCALL(SYS_ENV_REAP, envid, 0, 0, 0, 0, 0);
}

static inline __attribute__((always_inline)) int32_t sys_yield(int32_t envid)
{
    return SYSCALL(SYS_YIELD, envid, 0, 0, 0, 0, 0);
}

/* A slot of the slice vector for envid (0: the caller); pos -1: any. */
static inline __attribute__((always_inline)) int32_t sys_slice_alloc(uint32_t envid, int32_t pos)
{
    return SYSCALL(SYS_SLICE_ALLOC, envid, pos, 0, 0, 0, 0);
}

static inline __attribute__((always_inline)) int32_t sys_slice_free(uint32_t envid, uint32_t pos)
{
    return SYSCALL(SYS_SLICE_FREE, envid, pos, 0, 0, 0, 0);
}

/* Asks envid (0: the caller, or a child) to give n pages back. */
static inline __attribute__((always_inline)) int32_t sys_page_revoke(uint32_t envid, uint32_t n)
{
    return SYSCALL(SYS_PAGE_REVOKE, envid, n, 0, 0, 0, 0);
}

/* The FPU becomes ours (after a coprocessor-unusable exception). */
static inline __attribute__((always_inline)) int32_t sys_fpu(void)
{
    return SYSCALL(SYS_FPU, 0, 0, 0, 0, 0, 0);
}

/* TLB tracing on (1) or off (0); returns whether it was on. */
static inline __attribute__((always_inline)) int32_t sys_trace(uint32_t on)
{
    return SYSCALL(SYS_TRACE, on, 0, 0, 0, 0, 0);
}

/* Copies the hardware TLB into AEGIS_EXPOSED->tlb[]; returns its size. */
static inline __attribute__((always_inline)) int32_t sys_tlb_snapshot(void)
{
    return SYSCALL(SYS_TLB_SNAPSHOT, 0, 0, 0, 0, 0, 0);
}

#endif /* EXOS_SYS_H */
