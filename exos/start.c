/*
 * start.c - bringing up ExOS in a new environment, before main().
 *
 * The boot record lists every page the environment starts with.  From it we
 * build the page table, pin ExOS's exception path with guaranteed mappings,
 * set up the exception frame, and only then call main(): from that moment
 * any TLB miss or exception has somewhere to go.
 */
#include <stdlib.h>

#include "exos.h"
#include "vm.h"
#include "sys.h"

extern char __exos_text_start[], __exos_text_end[];
extern char __exos_data_start[], __exos_data_end[];
extern char end[];
void exos_xentry(void);
void exos_upcall(void);
void exos_heap_init(uint32_t brk);
int main(int argc, char **argv);

static uint32_t my_envid;
static int next_slot;           /* next free guaranteed-mapping slot */

uint32_t exos_envid(void)
{
    return my_envid;
}

static void die(const char *why)
{
    const char *p = why;
    while (*p)
        p++;
    sys_cputs("exos: cannot start: ", 20);
    sys_cputs(why, p - why);
    sys_cputs("\n", 1);
    sys_env_destroy(0, 0);
}

/* Pins [start, stop) with guaranteed mappings taken from the page table. */
static void guarantee_range(uint32_t start, uint32_t stop)
{
    for (uint32_t va = start; va < stop; va += PAGE_SIZE) {
        struct pte *e = vm_lookup(va);
        if (e == NULL || next_slot >= NGUARANTEED ||
            sys_guarantee(0, next_slot++, va, e->ppn, e->cap, e->flags) < 0)
            die("guaranteed mappings");
    }
}

/* The exception frame: page 1, backed by an odd physical page (see exos.h). */
static void setup_xframe(void)
{
    uint32_t wcap, cap2;
    int32_t ppn = sys_page_alloc(-1, &wcap);

    if (ppn >= 0 && (ppn & 1) == 0) {       /* even: take its odd neighbour */
        int32_t odd = sys_page_alloc(ppn + 1, &cap2);
        sys_page_free(ppn);
        ppn = odd, wcap = cap2;
    }
    if (ppn < 0 || vm_map(EXOS_XF_VA, ppn, wcap, PTE_W | PTE_DIRTY) < 0 ||
        next_slot >= NGUARANTEED ||
        sys_guarantee(0, next_slot++, EXOS_XF_VA, ppn, wcap, TLBF_WRITE) < 0 ||
        sys_xframe(EXOS_XF_VA) < 0)
        die("exception frame");
    *(volatile uint32_t *)(EXOS_XF_VA + XF_HANDLER) = (uint32_t)exos_xentry;
    *(volatile uint32_t *)(EXOS_XF_VA + XF_UPCALL) = (uint32_t)exos_upcall;
}

/* Splits the command line into argv, in place. */
static int split_args(char *s, char **argv, int max)
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

void exos_start(struct bootrec *br)
{
    static char *argv[16];

    if (br->magic != BOOTREC_MAGIC)
        die("no boot record");
    my_envid = br->envid;
    if (pt_init() < 0)
        die("no page table");
    /* What the kernel loaded: writable pages are dirty (they hold data). */
    for (uint32_t i = 0; i < br->npages; i++) {
        uint32_t w = (br->page[i].flags & TLBF_WRITE) ? PTE_W | PTE_DIRTY : 0;
        if (vm_map(br->page[i].va, br->page[i].ppn, br->page[i].wcap, w) < 0)
            die("page table full");
    }
    guarantee_range((uint32_t)__exos_text_start, (uint32_t)__exos_text_end);
    guarantee_range((uint32_t)__exos_data_start, (uint32_t)__exos_data_end);
    setup_xframe();
    exos_heap_init((uint32_t)end);

    int argc = split_args(br->cmdline, argv, 16);
    exit(main(argc, argv));
}
