/*
 * t_hostile - bad arguments get error codes, never a kernel crash.
 *
 * Every system call is tried with arguments it must refuse (kernel
 * pointers, unmapped pointers, lengths that wrap, pages and environments
 * that do not exist or are not ours), each expecting its own error code;
 * then every call number, and some that do not exist, with random
 * arguments.  Afterwards the kernel must still serve us correctly.
 * (userland/hostile.c goes further: it breaks its own environment.)
 */
#include <stdint.h>

#include "exos.h"
#include "vm.h"
#include "sys.h"
#include "tap.h"

static uint32_t rng = 0x2545f491;

static uint32_t rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 17;
    rng ^= rng << 5;
    return rng;
}

#define EXPECT(call, err, name) do {                                    \
        int32_t r_ = (call);                                            \
        check(r_ == (err), name, "returned %ld, want %ld", (long)r_, (long)(err)); \
    } while (0)

int main(void)
{
    uint32_t wcap;
    int32_t mine = sys_page_alloc(-1, &wcap);
    static const char msg[] = "x";

    EXPECT(sys_cputs((const char *)0x80100000u, 4), -E_KADDR, "cputs of kernel memory: E_KADDR");
    EXPECT(sys_cputs((const char *)0x30000000u, 4), -E_FAULT, "cputs of an unmapped buffer: E_FAULT");
    EXPECT(sys_cputs(NULL, 1), -E_FAULT, "cputs of NULL: E_FAULT");
    EXPECT(sys_cputs(msg, 0xfffffff0u), -E_KADDR, "cputs with a length that wraps: E_KADDR");
    EXPECT(SYSCALL(NSYSCALLS, 0, 0, 0, 0, 0, 0), -E_NOSYS, "the first unknown call number: E_NOSYS");
    EXPECT(SYSCALL(0xffffffffu, 0, 0, 0, 0, 0, 0), -E_NOSYS, "call number -1: E_NOSYS");
    EXPECT(sys_page_alloc(5, NULL), -E_BUSY, "allocating a kernel page: E_BUSY");
    EXPECT(sys_page_alloc(0x7ffffff0, NULL), -E_INVAL, "allocating a page beyond RAM: E_INVAL");
    EXPECT(sys_page_rcap(mine, wcap + 1, NULL), -E_BADCAP, "read cap with a wrong write cap: E_BADCAP");
    EXPECT(sys_page_give(mine, 40), -E_NOENV, "giving a page to a stranger: E_NOENV");
    EXPECT(sys_tlb_delete(0, 0x80000000u), -E_KADDR, "unbinding a kernel address: E_KADDR");
    EXPECT(sys_guarantee(0, 99, 0x30000000u, mine, wcap, 0), -E_INVAL, "guaranteed slot 99: E_INVAL");
    EXPECT(sys_guarantee(0, 15, 0x80000000u, mine, wcap, 0), -E_KADDR, "guaranteeing a kernel address: E_KADDR");
    EXPECT(sys_xframe(0x80001000u), -E_KADDR, "exception frame in the kernel: E_KADDR");
    EXPECT(sys_xframe(0x1002u), -E_ALIGN, "unaligned exception frame: E_ALIGN");
    EXPECT(sys_xframe(0x30000000u), -E_FAULT, "exception frame in no guaranteed mapping: E_FAULT");
    EXPECT(sys_env_start(63, 0x400000, 0, 0), -E_NOENV, "starting an environment that is not ours: E_NOENV");
    int32_t kid = sys_env_create();
    EXPECT(sys_env_start(kid, 0x00400001, 0, 0), -E_ALIGN,
           "starting a child at an odd pc (MIPS16e): E_ALIGN");
    EXPECT(sys_env_start(kid, 0x00400002, 0, 0), -E_ALIGN,
           "starting a child at a pc not word-aligned: E_ALIGN");
    EXPECT(sys_env_destroy(kid, 0) | sys_env_reap(kid), 0, "the stopped child goes away");
    EXPECT(sys_env_destroy(63, 0), -E_NOENV, "destroying an environment that is not ours: E_NOENV");
    EXPECT(sys_yield(4000), -E_NOENV, "yielding to nobody: E_NOENV");

    /* Random arguments to every call (but the ones that would end us by
     * design: destroying ourselves, freeing pages at random). */
    int calls = 0;
    for (uint32_t num = 0; num < NSYSCALLS + 4; num++) {
        for (int i = 0; i < 300; i++) {
            uint32_t a[6] = { rnd(), rnd(), rnd(), rnd(), rnd(), rnd() };
            if (num == SYS_ENV_DESTROY && (a[0] == 0 || a[0] == exos_envid()))
                continue;
            if (num == SYS_CGETC)
                continue;           /* would eat the console's input */
            (void)SYSCALL(num, a[0], a[1], a[2], a[3], a[4], a[5]);
            calls++;
        }
    }
    check(calls > 4000, "thousands of random calls returned", "%d calls", calls);

    /* The kernel still works for us. */
    uint32_t c2;
    int32_t p2 = sys_page_alloc(-1, &c2);
    check(p2 > 0 && vm_map(0x30000000u, p2, c2, PTE_W | PTE_DIRTY) == 0, "allocation and binding still work", "-");
    *(volatile uint32_t *)0x30000000u = 77;
    check(*(volatile uint32_t *)0x30000000u == 77, "and the page is usable", "-");
    EXPECT(sys_cputs("still here\n", 11), 11, "the console still works");
    return tap_done();
}
