/*
 * hostile - an environment that breaks itself in the ways the kernel must
 * survive.  Run with one mode as its argument; each ends with the
 * environment destroyed, and the kernel and every other environment
 * running on.  test/run.sh runs every mode, then a normal program.
 *
 *   nohandler    clears its exception handler, then faults
 *   wildhandler  points its handler at an unmapped address, then faults
 *   khandler     points its handler into kernel space, then faults
 *   garbage      fills every register (sp too) with garbage, makes a system
 *                call with garbage, clears its handler, then faults
 *   freexframe   frees the page holding its exception frame, then faults
 *   freecode     frees the pages of its own code
 *   sdbbp        clears its exception handler, then executes sdbbp, which
 *                enters EJTAG debug mode through the boot ROM (docs/sdbbp.md)
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "exos.h"
#include "vm.h"
#include "sys.h"

#define HANDLER (*(volatile uint32_t *)(EXOS_XF_VA + XF_HANDLER))

extern char __exos_text_start[];

static void fault(void)
{
    __asm__ volatile("break 3");
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "";

    printf("hostile: %s\n", mode);
    fflush(stdout);
    if (strcmp(mode, "nohandler") == 0) {
        HANDLER = 0;
        fault();
    } else if (strcmp(mode, "wildhandler") == 0) {
        HANDLER = 0x00ff0000u;
        fault();
    } else if (strcmp(mode, "khandler") == 0) {
        HANDLER = 0x80000000u;
        fault();
    } else if (strcmp(mode, "garbage") == 0) {
        __asm__ volatile(
            ".set push\n .set noat\n"
            "li $1, 0xdeadbeef\n li $3, 0x80000000\n li $4, 0x80000004\n"
            "li $5, 0xffffffff\n li $6, 0x12345678\n li $7, 0xfffff000\n"
            "li $8, 0x7fffffff\n li $9, 0x80001000\n li $16, 0xbad\n"
            "li $28, 0x80000000\n li $29, 0x80000000\n li $30, 0xdead\n li $31, 0x80000010\n"
            "li $2, 0x7fff\n"           /* a call number that does not exist */
            "syscall\n"
            "sw $0, 0x100c($0)\n"       /* disarm: XF_HANDLER in page 1 */
            "li $2, 0x6\n li $4, 0\n li $5, 0x80000000\n"
            "syscall\n"                 /* tlb_write of a kernel address */
            "break 4\n"
            ".set pop\n" ::: "memory");
    } else if (strcmp(mode, "freexframe") == 0) {
        struct pte *e = vm_lookup(EXOS_XF_VA);
        printf("hostile: free of its frame page: %ld\n", (long)sys_page_free(e->ppn));
        fflush(stdout);
        fault();
    } else if (strcmp(mode, "freecode") == 0) {
        for (uint32_t va = (uint32_t)__exos_text_start; va < 0x00410000u; va += PAGE_SIZE) {
            struct pte *e = vm_lookup(va);
            if (e != NULL)
                sys_page_free(e->ppn);
        }
    } else if (strcmp(mode, "sdbbp") == 0) {
        HANDLER = 0;
        __asm__ volatile("sdbbp 1");
    }
    printf("hostile: still alive after \"%s\": the kernel did not stop it\n", mode);
    return 1;
}
