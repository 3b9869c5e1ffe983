/*
 * upcall.S - ExOS's interrupt context: where the kernel says it is taking
 * something back (abi.h, "Upcalls").
 *
 * The kernel keeps the registers it found and gives them back when we
 * yield, so this code may use any register:
 *  - UPCALL_SLICE_END: the slice is over.  ExOS has nothing of its own to
 *    save, so it gives the CPU back at once; the program goes on exactly
 *    where it was at its next slice.
 *  - UPCALL_REVOKE: the kernel wants xframe.revoke pages back.  ExOS's pager
 *    (pager.c) chooses them, on a stack of its own (the program's sp may be
 *    anything, and the exception stack belongs to the exception path, which
 *    may take a TLB miss while the pager walks the page table), then yields.
 *  - UPCALL_SLICE_START: this environment left by a protected control
 *    transfer and gets a slice of its own.  With no thread of its own to
 *    resume, it gives each such slice back, until an environment transfers
 *    to it.
 * In .exos_text: guaranteed to be mapped.
 */
#include "abi.h"
#include "exos.h"

    .set noreorder
    .section .exos_text, "ax"
    .globl exos_upcall
    .ent exos_upcall
exos_upcall:
    lw      $t0, (EXOS_XF_VA + XF_UPCALL_WHY)($0)
    li      $t1, UPCALL_REVOKE
    bne     $t0, $t1, 1f
    nop
    la      $sp, exos_upcall_stack_top
    la      $gp, _gp
    jal     exos_revoke             # exos_revoke(xframe.revoke)
    lw      $a0, (EXOS_XF_VA + XF_REVOKE)($0)   # (delay slot)
1:  li      $v0, SYS_YIELD
    li      $a0, -1
    syscall
    b       1b                      # (only after SLICE_START: idle again)
    nop
    .end exos_upcall

/* The pager's stack (1 KiB is plenty: it walks the page table in a loop). */
    .section .exos_data, "aw"
    .balign 8
    .space  1024
exos_upcall_stack_top:
