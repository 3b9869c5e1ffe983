/*
 * syscall.S - the one instruction that enters the kernel on purpose.
 *
 * int64_t exos_syscall(a0, a1, a2, a3, t0, t1, num)
 * o32 passes the first four arguments in a0-a3 already, and the rest on the
 * stack at 16, 20 and 24(sp): move them to t0, t1 and v0, where the kernel
 * reads them (abi.h).  The kernel's v0/v1 come back as a 64-bit result
 * (v0 low, v1 high on little-endian o32).  In .exos_text: the exception
 * path makes system calls, and must never miss in the TLB.
 */
    .set noreorder
    .section .exos_text, "ax"
    .globl exos_syscall
    .ent exos_syscall
exos_syscall:
    lw      $t0, 16($sp)
    lw      $t1, 20($sp)
    lw      $v0, 24($sp)
    syscall
    jr      $ra
    nop
    .end exos_syscall
