/*
 * exos.h - what ExOS, the library operating system, offers the programs
 * linked with it (beyond the C library, which it also implements).
 */
#ifndef EXOS_H
#define EXOS_H

#include "abi.h"

/* Puts a function in ExOS's exception path (see user.ld). */
#define EXOS_XTEXT __attribute__((section(".exos_text"), noinline))
#define EXOS_XDATA __attribute__((section(".exos_data")))

/*
 * Where ExOS keeps its exception frame: page 1, so the entry code can reach
 * it with $zero-relative loads and stores (offsets below 32 KiB), needing no
 * register.  Page 0 stays unmapped so that NULL pointers fault.  The page
 * behind it is chosen odd, to share VA bit 12 (its cache colour).
 */
#define EXOS_XF_VA      0x1000u
/*
 * ExOS's windows in the address space (library policy, not the kernel's).
 * A new environment's start record (struct bootrec, abi.h: every page it
 * starts with) is written by its parent at EXOS_REC_VA; the parent builds
 * it in its own EXOS_BUILD_VA window and maps program images read-only at
 * EXOS_IMAGE_VA while it loads them.  EXOS_COPY_VA is where a page being
 * copied (fork, copy-on-write) is mapped for a moment.
 */
#define EXOS_IMAGE_VA   0x70000000u     /* up to 224 MiB of images */
#define EXOS_REC_VA     0x7f000000u
#define EXOS_REC_PAGES_MAX 4          /* record pages (then 1 of startup stack) */
#define EXOS_BUILD_VA   0x7f400000u
#define EXOS_COPY_VA    0x7f7f0000u
#define EXOS_COW_VA     0x7f7f1000u     /* the same, for copy-on-write faults */
#define EXOS_WINDOWS_END 0x7f800000u    /* (the page-table store is among them) */

#ifndef __ASSEMBLER__
/* Whether va is ExOS's own (the NULL page, the frame page, the kernel's
 * boot record, the windows above): never inherited, lent or given back. */
static inline int exos_private_va(unsigned va)
{
    return va < 2 * PAGE_SIZE || (va >= EXOS_IMAGE_VA && va < EXOS_WINDOWS_END) ||
           (va & ~(PAGE_SIZE - 1)) == BOOTREC_VA;
}
#endif

/* ExOS's words in the frame page, after the kernel's struct xframe. */
#define XS_AT           (XF_USER + 0)   /* the program's $at, while entering */
#define XS_SP           (XF_USER + 4)   /* the program's $sp, while entering */
#define XS_RESUME       (XF_USER + 8)   /* where the handler returns to */
#define XS_DEPTH        (XF_USER + 12)  /* handlers running (nesting depth) */
#define XS_FAST         (XF_USER + 16)  /* 32 words: a fast handler per ExcCode, or 0 */

/* Offsets in struct exos_frame, for xentry.S. */
#define EF_REG(n)       ((n) * 4)
#define EF_HI           128
#define EF_LO           132
#define EF_EPC          136
#define EF_CAUSE        140
#define EF_BADVADDR     144
#define EF_SIZE         152

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The registers of the interrupted program, as ExOS's entry code saved
 * them on the exception stack.  A handler may change any of them, epc
 * included; the program resumes with the result. */
struct exos_frame {
    uint32_t regs[32];
    uint32_t hi, lo;
    uint32_t epc, cause, badvaddr;
    uint32_t pad;               /* keeps the stack 8-byte aligned */
};
_Static_assert(sizeof(struct exos_frame) == EF_SIZE, "EF_SIZE");

/*
 * A program's handler for one exception code (EXC_xxx in Cause).  It runs on
 * ExOS's exception stack with further exceptions allowed (nested), and
 * resumes the program when it returns.  To skip the faulting instruction
 * use exos_skip(f), which also handles a fault in a branch delay slot.
 */
typedef void (*exos_handler_t)(struct exos_frame *f);

void exos_on_exception(unsigned code, exos_handler_t h);

/* Advances f->epc past the faulting instruction; when it sat in a branch
 * delay slot (Cause.BD), computes where the branch would have gone. */
void exos_skip(struct exos_frame *f);

/*
 * The fast class: exceptions with this code are skipped - the program goes
 * on at the next instruction - by a few instructions of assembly at the
 * very entry of ExOS's exception path (xentry.S), which save nothing and
 * call no C: the program's registers are never touched but $at, which
 * comes back too.  One in a branch delay slot takes the full path to
 * exos_skip (the branch must be emulated).  For programs that ignore an
 * exception (a breakpoint, an overflow they do not care about) and for
 * measuring the kernel's dispatch.  exos_on_exception() for the same code
 * leaves the fast class.
 */
void exos_skip_fast(unsigned code);

/* This environment's id. */
uint32_t exos_envid(void);

/* The CP0 Count register (rdhwr): 1 tick = COUNT_NS ns of virtual time. */
static inline uint32_t exos_count(void)
{
    uint32_t c;
    __asm__ volatile(".set push\n\t.set mips32r2\n\trdhwr %0, $2\n\t.set pop" : "=r"(c));
    return c;
}

#endif /* __ASSEMBLER__ */
#endif /* EXOS_H */
