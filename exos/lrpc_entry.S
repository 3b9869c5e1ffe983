/*
 * lrpc_entry.S - the transfers of LRPC (see lrpc.h), and the interrupt
 * context that makes them safe to interrupt.
 *
 * A protected control transfer saves nothing and does not come back: the
 * code on each side of it must find its own state again from memory.
 * Three threads of control meet here:
 *  - a client in lrpc_trap, whose registers wait in lrpc_client_regs
 *    while its call is out (lrpc_pending = the server);
 *  - a call running in a server, entered at lrpc_entry, on lrpc_stack;
 *  - a server's main thread parked in lrpc_serve, its registers in
 *    lrpc_park_regs (lrpc_parked = 1).
 * A PCT entry is open (xframe.pct_entry != 0) only while nothing of ours
 * would be lost if a transfer came in: a client's while its call is out,
 * a server's while no call runs.  Each entry closes itself on its first
 * instruction and reopens just before the instruction that leaves; for an
 * interrupt that falls exactly between the two, the interrupt context
 * (lrpc_upcall) closes the entry itself.
 *
 * The code is in .exos_text and the state in .exos_data (guaranteed
 * mappings): the interrupt context runs with no valid sp and must not
 * miss in the TLB before it has one.
 */
#include "abi.h"
#include "exos.h"

#define XF(off)     (EXOS_XF_VA + (off))($0)

/* A suspended thread: callee-saved registers and ExOS's handler depth. */
#define R_DEPTH     48
#define R_SIZE      52
#define STACK_SIZE  16384

    .set noreorder

    .macro save_regs base
    sw      $s0, 0(\base)
    sw      $s1, 4(\base)
    sw      $s2, 8(\base)
    sw      $s3, 12(\base)
    sw      $s4, 16(\base)
    sw      $s5, 20(\base)
    sw      $s6, 24(\base)
    sw      $s7, 28(\base)
    sw      $gp, 32(\base)
    sw      $sp, 36(\base)
    sw      $fp, 40(\base)
    sw      $ra, 44(\base)
    lw      $t9, XF(XS_DEPTH)
    sw      $t9, R_DEPTH(\base)
    .endm

    .macro restore_regs base
    lw      $s0, 0(\base)
    lw      $s1, 4(\base)
    lw      $s2, 8(\base)
    lw      $s3, 12(\base)
    lw      $s4, 16(\base)
    lw      $s5, 20(\base)
    lw      $s6, 24(\base)
    lw      $s7, 28(\base)
    lw      $gp, 32(\base)
    lw      $sp, 36(\base)
    lw      $fp, 40(\base)
    lw      $ra, 44(\base)
    lw      $t9, R_DEPTH(\base)
    sw      $t9, XF(XS_DEPTH)
    .endm

    .section .exos_data, "aw"
    .balign 4
    .globl lrpc_pending, lrpc_parked, lrpc_serving
lrpc_client_regs:
    .space  R_SIZE
lrpc_pending:                       /* the server our call is out to; 0: none */
    .word   0
lrpc_park_regs:
    .space  R_SIZE
lrpc_parked:                        /* 1 while lrpc_park_regs can be resumed */
    .word   0
lrpc_serving:                       /* 0: a call asked lrpc_serve to return */
    .word   0

    .bss
    .balign 8
    .space  STACK_SIZE
lrpc_stack_top:

    .section .exos_text, "ax"

/*
 * uint64_t lrpc_trap(server a0, op a1, arg a2, arg a3): v0 = result,
 * v1 = status.  The message leaves in a0-a2 (op, arg, arg).
 */
    .globl lrpc_trap
    .ent lrpc_trap
lrpc_trap:
    la      $t0, lrpc_client_regs
    save_regs $t0
    la      $t1, lrpc_upcall
    sw      $t1, XF(XF_UPCALL)      # our interrupt context, while calls are out
    la      $t1, lrpc_pending
    sw      $a0, 0($t1)
    move    $v1, $a0                # the target
    move    $a0, $a1                # the message
    move    $a1, $a2
    move    $a2, $a3
    li      $v0, SYS_PCT_SYNC
    la      $t1, lrpc_reply
    sw      $t1, XF(XF_PCT)         # open: the answer comes in there
    syscall
    /* Still here: the kernel refused (v0 = -E_xxx); nobody will answer. */
    sw      $zero, XF(XF_PCT)
    la      $t1, lrpc_pending
    sw      $zero, 0($t1)
    move    $v1, $v0
    jr      $ra
    move    $v0, $zero
    .end lrpc_trap

/*
 * The client's entry: v1 = who transferred (the kernel's word), a0 = the
 * result, a1 = the status.
 */
    .globl lrpc_reply
    .ent lrpc_reply
lrpc_reply:
    sw      $zero, XF(XF_PCT)       # closed
    sw      $zero, XF(XF_DONATE)    # our slices are ours again
    la      $t0, lrpc_pending
    lw      $t1, 0($t0)
    bne     $v1, $t1, 1f            # not our server: not our answer
    nop
    sw      $zero, 0($t0)
    la      $t0, lrpc_client_regs
    restore_regs $t0
    move    $v0, $a0
    jr      $ra
    move    $v1, $a1
1:  /* A stranger: tell it we are busy, and go on waiting for ours. */
    la      $t1, lrpc_reply
    sw      $t1, XF(XF_PCT)
    move    $a0, $zero
    li      $a1, -E_BUSY
    li      $v0, SYS_PCT_ASYNC      # (v1 is the stranger)
    syscall
    b       lrpc_wait               # it would not take it: we have the CPU
    nop
    .end lrpc_reply

/*
 * The client has the CPU while its call is out: a slice of its own came
 * (the server stopped running on ours: it died, or it is waiting), or a
 * stranger transferred in.  Wait, in C, on the caller's stack below its
 * frame; the answer, if it comes, enters at lrpc_reply and this thread is
 * simply dropped.  lrpc_client_wait returns only when the server is dead.
 */
    .ent lrpc_wait
lrpc_wait:
    la      $t0, lrpc_pending
    lw      $t1, 0($t0)
    beqz    $t1, lrpc_idle          # (no call out: nothing to go back to)
    nop
    la      $t1, lrpc_reply
    sw      $t1, XF(XF_PCT)         # the answer may still come
    la      $t0, lrpc_client_regs
    lw      $sp, 36($t0)
    lw      $t9, R_DEPTH($t0)
    sw      $t9, XF(XS_DEPTH)
    addiu   $sp, $sp, -32
    la      $gp, _gp
    jal     lrpc_client_wait
    nop
    sw      $zero, XF(XF_PCT)
    la      $t0, lrpc_pending
    sw      $zero, 0($t0)
    la      $t0, lrpc_client_regs
    restore_regs $t0
    move    $v1, $v0                # the status
    jr      $ra
    move    $v0, $zero
    .end lrpc_wait

/*
 * The server's entry: v1 = the client (the kernel's word), a0 = op,
 * a1 and a2 = the arguments.  lrpc_dispatch(struct lrpc_req *) runs the
 * call and returns the result in v0, the status in v1.
 */
    .globl lrpc_entry
    .ent lrpc_entry
lrpc_entry:
    sw      $zero, XF(XF_PCT)       # one call at a time
    sw      $zero, XF(XF_DONATE)
    sw      $zero, XF(XS_DEPTH)     # nothing else of ours runs: the
    la      $t0, exos_xentry        # exception stack is free, and the
    sw      $t0, XF(XF_HANDLER)     # handler armed
    la      $sp, lrpc_stack_top - 40
    la      $gp, _gp
    sw      $v1, 16($sp)            # struct lrpc_req
    sw      $a0, 20($sp)
    sw      $a1, 24($sp)
    sw      $a2, 28($sp)
    jal     lrpc_dispatch
    addiu   $a0, $sp, 16
    move    $a0, $v0                # the answer
    move    $a1, $v1
    lw      $v1, 16($sp)            # back to the client
    la      $t1, lrpc_entry         # open again as we leave, unless a
    la      $t0, lrpc_serving       # call asked us to stop
    lw      $t0, 0($t0)
    movz    $t1, $zero, $t0
    li      $v0, SYS_PCT_ASYNC
    sw      $t1, XF(XF_PCT)
    .globl lrpc_reply_syscall
lrpc_reply_syscall:
    syscall
    /* The client is gone: nobody to answer.  Back to the main thread. */
    b       lrpc_idle
    nop
    .end lrpc_entry

/* Nothing to go back to but the parked main thread, if there is one. */
    .ent lrpc_idle
lrpc_idle:
    la      $t0, lrpc_parked
    lw      $t0, 0($t0)
    bnez    $t0, lrpc_resume_parked
    nop
1:  li      $v0, SYS_YIELD
    li      $a0, -1
    syscall
    b       1b
    nop
    .end lrpc_idle

/* int lrpc_park_save(void): 0 now; 1 when lrpc_resume_parked comes back. */
    .globl lrpc_park_save
    .ent lrpc_park_save
lrpc_park_save:
    la      $t0, lrpc_park_regs
    save_regs $t0
    jr      $ra
    move    $v0, $zero
    .end lrpc_park_save

    .ent lrpc_resume_parked
lrpc_resume_parked:
    la      $t0, lrpc_park_regs
    restore_regs $t0
    jr      $ra
    li      $v0, 1
    .end lrpc_resume_parked

/*
 * The interrupt context of a process that uses LRPC (xframe.upcall).
 *  - UPCALL_SLICE_END, UPCALL_REVOKE: if the interrupt fell between an
 *    entry's opening and the instruction that leaves (or before a new
 *    entry's first instruction closed it), close it now; then ExOS's own
 *    answer, which yields.
 *  - UPCALL_SLICE_START: we left by PCT and the kernel kept none of our
 *    registers.  A call of ours still out: wait for it.  A parked server:
 *    back to its main thread.  Else ExOS's answer: idle.
 */
    .globl lrpc_upcall
    .ent lrpc_upcall
lrpc_upcall:
    lw      $t0, XF(XF_UPCALL_WHY)
    li      $t1, UPCALL_SLICE_START
    beq     $t0, $t1, 2f
    nop
    lw      $t0, XF(XF_UPCALL_EPC)
    la      $t1, lrpc_reply
    beq     $t0, $t1, 1f
    nop
    la      $t1, lrpc_entry
    beq     $t0, $t1, 1f
    nop
    la      $t1, lrpc_reply_syscall
    bne     $t0, $t1, 9f
    nop
1:  sw      $zero, XF(XF_PCT)
9:  j       exos_upcall
    nop
2:  la      $t0, exos_xentry
    sw      $t0, XF(XF_HANDLER)     # (a lost thread may have been in it)
    la      $t0, lrpc_pending
    lw      $t0, 0($t0)
    bnez    $t0, lrpc_wait
    nop
    la      $t0, lrpc_parked
    lw      $t0, 0($t0)
    bnez    $t0, lrpc_resume_parked
    nop
    j       exos_upcall
    nop
    .end lrpc_upcall
