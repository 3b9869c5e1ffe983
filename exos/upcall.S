/*
 * upcall.S - ExOS's interrupt context: where the kernel says it is taking
 * something back (abi.h, "Upcalls").
 *
 * The kernel keeps the registers it found, so this answer is short:
 *  - UPCALL_SLICE_END: the slice is over.  ExOS has nothing of its own to
 *    save yet, so it gives the CPU back at once; the program goes on
 *    exactly where it was at its next slice.
 *  - UPCALL_REVOKE: the kernel wants xframe.revoke pages back.  ExOS does
 *    not choose pages yet (its pager will: clean pages first), so it answers
 *    at once and the kernel takes the pages it chooses, recording them in
 *    the exposed repossession list.
 *  - UPCALL_SLICE_START: this environment left by a protected control
 *    transfer and gets a slice of its own.  With no thread of its own to
 *    resume, it gives each such slice back, until an environment transfers
 *    to it.
 * In .exos_text: guaranteed to be mapped.
 */
#include "abi.h"

    .set noreorder
    .section .exos_text, "ax"
    .globl exos_upcall
    .ent exos_upcall
exos_upcall:
1:  li      $v0, SYS_YIELD
    li      $a0, -1
    syscall
    b       1b                      # (only after SLICE_START: idle again)
    nop
    .end exos_upcall
