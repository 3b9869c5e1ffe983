/*
 * start.c - bringing up ExOS in a new environment, before main().
 *
 * The start record (struct bootrec, abi.h) lists every page the environment
 * starts with: written by the kernel for the first environment, by the
 * parent's ExOS for every other (handoff.c).  From it we build the page
 * table, pin ExOS's exception path with guaranteed mappings, set up the
 * exception frame, and only then call main(): from that moment any TLB miss
 * or exception has somewhere to go.  A forked child does the same and then
 * resumes inside its parent's fork() instead of calling main().
 *
 * All of this is in .exos_text and .exos_data, which whoever loaded us has
 * pinned (PF_PIN): before the page table exists a miss anywhere else would
 * have nowhere to go.
 */
#include <signal.h>
#include <stdlib.h>

#include "exos.h"
#include "fd.h"
#include "proc.h"
#include "vm.h"
#include "sys.h"

extern char __exos_text_start[], __exos_text_end[];
extern char __exos_data_start[], __exos_data_end[];
extern char end[];
void exos_xentry(void);
void exos_upcall(void);
void exos_heap_init(uint32_t brk);
int main(int argc, char **argv);

static uint32_t my_envid EXOS_XDATA;
static int next_slot EXOS_XDATA;        /* next free guaranteed-mapping slot */

EXOS_XTEXT uint32_t exos_envid(void)
{
    return my_envid;
}

static EXOS_XTEXT void die(void)
{
    /* (No message: its text would be in .rodata, which is not pinned.) */
    sys_env_destroy(0, EXOS_STATUS_SIGNAL(SIGABRT));     /* as abort() would */
}

/* Pins [start, stop) with guaranteed mappings taken from the page table. */
static EXOS_XTEXT void guarantee_range(uint32_t start, uint32_t stop)
{
    for (uint32_t va = start; va < stop; va += PAGE_SIZE) {
        struct pte *e = vm_lookup(va);
        if (e == NULL || next_slot >= NGUARANTEED ||
            sys_guarantee(0, next_slot++, va, e->ppn, e->cap, e->flags & PTE_W ? TLBF_WRITE : 0) < 0)
            die();
    }
}

/* The exception frame's page, until the page table can take it. */
static int32_t xf_ppn EXOS_XDATA;
static uint32_t xf_wcap EXOS_XDATA;

/*
 * The exception frame: page 1, backed by an odd physical page (see exos.h),
 * pinned by a guaranteed mapping, with the handler and upcall entries
 * armed.  Uses no page table (it does not exist yet): whatever misses from
 * here on has a handler to go to.
 */
static EXOS_XTEXT void setup_xframe(void)
{
    uint32_t wcap, cap2;
    int32_t ppn = sys_page_alloc(-1, &wcap);

    if (ppn >= 0 && (ppn & 1) == 0) {       /* even: take its odd neighbour */
        int32_t odd = sys_page_alloc(ppn + 1, &cap2);
        sys_page_free(ppn);
        ppn = odd, wcap = cap2;
    }
    if (ppn < 0 || next_slot >= NGUARANTEED ||
        sys_guarantee(0, next_slot++, EXOS_XF_VA, ppn, wcap, TLBF_WRITE) < 0 ||
        sys_xframe(EXOS_XF_VA) < 0)
        die();
    xf_ppn = ppn;
    xf_wcap = wcap;
    *(volatile uint32_t *)(EXOS_XF_VA + XF_HANDLER) = (uint32_t)exos_xentry;
    *(volatile uint32_t *)(EXOS_XF_VA + XF_UPCALL) = (uint32_t)exos_upcall;
}

/* Splits the command line into argv, in place. */
static EXOS_XTEXT int split_args(char *s, char **argv, int max)
{
    int argc = 0;

    while (*s && argc < max - 1) {
        while (*s == ' ')
            *s++ = '\0';
        if (*s == '\0')
            break;
        argv[argc++] = s;
        while (*s && *s != ' ')
            s++;
    }
    argv[argc] = NULL;
    return argc;
}

/* A record entry's page-table flags: the kernel's records say only
 * TLBF_WRITE (and writable pages it loaded hold data: dirty); ExOS's
 * records carry the parent's own flags. */
static EXOS_XTEXT uint32_t entry_flags(uint32_t f)
{
    if (f & REC_PTE)
        return f & ~REC_PTE;
    return (f & TLBF_WRITE) ? PTE_W | PTE_DIRTY : 0;
}

EXOS_XTEXT void exos_start(struct bootrec *br)
{
    static char *argv[16] EXOS_XDATA;

    if (br->magic != BOOTREC_MAGIC)
        die();
    my_envid = br->envid;
    /* The exception path first, before anything touches the page-table
     * store: its pages may miss (a sibling's bindings can evict them from
     * the STLB at any time), and ptstore.c serves those misses only once
     * the handler is armed.  The loader pinned ExOS's segments in the
     * first slots; the frame goes after them. */
    int own = (__exos_text_end - __exos_text_start + __exos_data_end - __exos_data_start) /
              PAGE_SIZE;
    next_slot = own;
    setup_xframe();
    ptstore_reset();                /* a forked child has its parent's */
    if (pt_init() < 0 || vm_map(EXOS_XF_VA, xf_ppn, xf_wcap, PTE_W | PTE_DIRTY) < 0)
        die();
    for (uint32_t i = 0; i < br->npages; i++)
        if (vm_map(br->page[i].va, br->page[i].ppn, br->page[i].wcap,
                   entry_flags(br->page[i].flags)) < 0)
            die();
    /* Pin ExOS's segments again, now from our page table (the same slots
     * and pages), and give back the loader's other pins (record, startup
     * stack): they are in the page table now. */
    next_slot = 0;
    guarantee_range((uint32_t)__exos_text_start, (uint32_t)__exos_text_end);
    guarantee_range((uint32_t)__exos_data_start, (uint32_t)__exos_data_end);
    for (int s = own + 1; s < NGUARANTEED; s++)
        sys_guarantee(0, s, 0, 0xffffffffu, 0, 0);

    if (br->libos != 0)             /* a forked child: back into fork() */
        exos_fork_resume((void **)br->libos);
    exos_heap_init((uint32_t)end);
    fd_inherit();                   /* descriptors our parent handed us */
    int argc = split_args(br->cmdline, argv, 16);
    exit(main(argc, argv));
}
