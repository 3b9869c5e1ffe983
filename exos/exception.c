/*
 * exception.c - ExOS's exception dispatcher, called by xentry.S with the
 * program's registers (struct exos_frame).
 *
 * TLB misses and invalid-page faults are ExOS's own business (the page
 * table), and so is the first use of the FPU (SYS_FPU); the rest go to the
 * handler the program registered for that exception code, or end the
 * program with a report.
 */
#include <signal.h>
#include <stddef.h>

#include "exos.h"
#include "proc.h"
#include "mips.h"
#include "sys.h"
#include "vm.h"

void exos_xentry(void);

static exos_handler_t handlers[32] EXOS_XDATA;

void exos_fast_skip(void);                 /* xentry.S */

/* The fast class's table, in the frame page where xentry.S reaches it with
 * $zero as the base: a handler per ExcCode, 0 for the full path. */
#define FAST ((volatile uint32_t *)(EXOS_XF_VA + XS_FAST))

void exos_on_exception(unsigned code, exos_handler_t h)
{
    if (code < 32) {
        handlers[code] = h;
        FAST[code] = 0;
    }
}

/* The full path's half of the fast class: a fault in a delay slot. */
static void skip(struct exos_frame *f)
{
    exos_skip(f);
}

void exos_skip_fast(unsigned code)
{
    if (code < 32) {
        handlers[code] = skip;
        FAST[code] = (uint32_t)exos_fast_skip;
    }
}

/* Writes s (NUL-terminated) on the console; usable on the exception path. */
static EXOS_XTEXT void xputs(const char *s)
{
    uint32_t n = 0;

    while (s[n])
        n++;
    sys_cputs(s, n);
}

/* (No table of digits: a constant string would live in .rodata, which is
 * not among the guaranteed mappings.) */
static EXOS_XTEXT void xputhex(uint32_t v)
{
    char buf[9];

    for (int i = 7; i >= 0; i--, v >>= 4)
        buf[i] = (v & 15) < 10 ? '0' + (v & 15) : 'a' + (v & 15) - 10;
    buf[8] = 0;
    xputs(buf);
}

/* An exception nobody handles: say so and end the environment. */
static EXOS_XTEXT void fatal(struct exos_frame *f)
{
    xputs("exos: pid ");
    xputhex(exos_envid());
    xputs(" killed: unhandled exception, cause ");
    xputhex(f->cause);
    xputs(" epc ");
    xputhex(f->epc);
    xputs(" badvaddr ");
    xputhex(f->badvaddr);
    xputs("\n");
    /* A page the kernel took back (or that we gave) is gone, as a
     * truncated file's page is: SIGBUS, as Unix says for that. */
    struct pte *e = vm_lookup(f->badvaddr);
    int lost = e != NULL && (e->flags & PTE_LOST);
    if (lost)
        xputs("exos: (that page was revoked: its contents are gone)\n");
    sys_env_destroy(0, EXOS_STATUS_SIGNAL(lost ? SIGBUS : exos_signal_of(f->cause)));
}

/* Nested exceptions deeper than this are a loop, not a page-table walk. */
#define MAX_DEPTH 4

EXOS_XTEXT void exos_exception(struct exos_frame *f)
{
    unsigned code = (f->cause >> 2) & 31;

    /* Re-arm at once: walking the page table may itself miss in the TLB
     * (its pages are ordinary bindings), and that miss must nest here. */
    if (*(volatile uint32_t *)(EXOS_XF_VA + XS_DEPTH) > MAX_DEPTH) {
        /* (No message text: a string would be in .rodata, which is not
         * guaranteed to be mapped, and this is no time to fault.) */
        xputhex(f->badvaddr);
        xputhex(f->epc);
        sys_env_destroy(0, EXOS_STATUS_SIGNAL(SIGSEGV));
    }
    *(volatile uint32_t *)(EXOS_XF_VA + XF_HANDLER) = (uint32_t)exos_xentry;
    if ((code == EXC_TLBL || code == EXC_TLBS || code == EXC_MOD) && vm_fault(f) == 0)
        return;
    exos_handler_t h = handlers[code];
    /* The first floating-point instruction since another environment had
     * the FPU: ask for it, and retry (unless the program handles CpU). */
    if (code == EXC_CPU && ((f->cause >> CAUSE_CE_SHIFT) & 3) == 1 && h == NULL &&
        sys_fpu() == 0)
        return;
    if (h == NULL) {
        fatal(f);
        return;
    }
    h(f);
}
