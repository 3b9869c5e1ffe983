/*
 * vectors.S - the kernel's exception vectors and its own trap path.
 *
 * The CPU jumps to EBase + 0x000 for a TLB refill (a miss with EXL clear)
 * and to EBase + 0x180 for every other exception and for interrupts (we
 * leave Cause.IV clear).  entry.S points EBase at this section.
 *
 * So far only the kernel runs, so every exception here is the kernel's
 * own: a timer interrupt while it waits, or a bug.  Both vectors save all
 * registers into a trapframe (trap.h) on the current kernel stack and call
 * trap(tf, vector) in C.  Completeness matters more than speed on this path;
 * the fast paths for environments' exceptions come with environments.
 */
#include "mips.h"
#include "trap.h"

    .set noreorder
    .set noat

    .section .vectors, "ax"
    .globl __vectors
__vectors:

/* EBase + 0x000: TLB refill.  The kernel maps nothing yet, so it is a bug. */
    .org    0x000
    j       kernel_trap
    li      $k1, VEC_REFILL          /* (delay slot) tell trap() which vector */

/* EBase + 0x180: general exception vector. */
    .org    0x180
    j       kernel_trap
    li      $k1, VEC_GENERAL         /* (delay slot) */

    .text
/*
 * kernel_trap: save everything, call trap(tf, k1), restore, return.
 * On entry k1 holds the vector number and sp is a kernel stack.
 */
    .ent kernel_trap
kernel_trap:
    move    $k0, $sp
    addiu   $sp, $sp, -(TF_SIZE + 16) /* frame + o32 argument area for trap() */
    sw      $k0, 16 + TF_REG(29)($sp) /* the interrupted sp */
    sw      $1, 16 + TF_REG(1)($sp)
    sw      $2, 16 + TF_REG(2)($sp)
    sw      $3, 16 + TF_REG(3)($sp)
    sw      $4, 16 + TF_REG(4)($sp)
    sw      $5, 16 + TF_REG(5)($sp)
    sw      $6, 16 + TF_REG(6)($sp)
    sw      $7, 16 + TF_REG(7)($sp)
    sw      $8, 16 + TF_REG(8)($sp)
    sw      $9, 16 + TF_REG(9)($sp)
    sw      $10, 16 + TF_REG(10)($sp)
    sw      $11, 16 + TF_REG(11)($sp)
    sw      $12, 16 + TF_REG(12)($sp)
    sw      $13, 16 + TF_REG(13)($sp)
    sw      $14, 16 + TF_REG(14)($sp)
    sw      $15, 16 + TF_REG(15)($sp)
    sw      $16, 16 + TF_REG(16)($sp)
    sw      $17, 16 + TF_REG(17)($sp)
    sw      $18, 16 + TF_REG(18)($sp)
    sw      $19, 16 + TF_REG(19)($sp)
    sw      $20, 16 + TF_REG(20)($sp)
    sw      $21, 16 + TF_REG(21)($sp)
    sw      $22, 16 + TF_REG(22)($sp)
    sw      $23, 16 + TF_REG(23)($sp)
    sw      $24, 16 + TF_REG(24)($sp)
    sw      $25, 16 + TF_REG(25)($sp)
    sw      $26, 16 + TF_REG(26)($sp) /* k0/k1: already scratch, saved so */
    sw      $27, 16 + TF_REG(27)($sp) /* a panic shows what the entry did */
    sw      $28, 16 + TF_REG(28)($sp)
    sw      $30, 16 + TF_REG(30)($sp)
    sw      $31, 16 + TF_REG(31)($sp)
    sw      $zero, 16 + TF_REG(0)($sp)
    mfhi    $t0
    sw      $t0, 16 + TF_HI($sp)
    mflo    $t0
    sw      $t0, 16 + TF_LO($sp)
    mfc0    $t0, CP0_STATUS
    sw      $t0, 16 + TF_STATUS($sp)
    mfc0    $t0, CP0_CAUSE
    sw      $t0, 16 + TF_CAUSE($sp)
    mfc0    $t0, CP0_EPC
    sw      $t0, 16 + TF_EPC($sp)
    mfc0    $t0, CP0_BADVADDR
    sw      $t0, 16 + TF_BADVADDR($sp)

    addiu   $a0, $sp, 16              /* trap(tf, vector) */
    jal     trap
    move    $a1, $k1                  /* (delay slot) */

    /* Restore.  trap() may have changed EPC (never Status: EXL must stay). */
    lw      $t0, 16 + TF_EPC($sp)
    mtc0    $t0, CP0_EPC
    lw      $t0, 16 + TF_HI($sp)
    mthi    $t0
    lw      $t0, 16 + TF_LO($sp)
    mtlo    $t0
    lw      $1, 16 + TF_REG(1)($sp)
    lw      $2, 16 + TF_REG(2)($sp)
    lw      $3, 16 + TF_REG(3)($sp)
    lw      $4, 16 + TF_REG(4)($sp)
    lw      $5, 16 + TF_REG(5)($sp)
    lw      $6, 16 + TF_REG(6)($sp)
    lw      $7, 16 + TF_REG(7)($sp)
    lw      $8, 16 + TF_REG(8)($sp)
    lw      $9, 16 + TF_REG(9)($sp)
    lw      $10, 16 + TF_REG(10)($sp)
    lw      $11, 16 + TF_REG(11)($sp)
    lw      $12, 16 + TF_REG(12)($sp)
    lw      $13, 16 + TF_REG(13)($sp)
    lw      $14, 16 + TF_REG(14)($sp)
    lw      $15, 16 + TF_REG(15)($sp)
    lw      $16, 16 + TF_REG(16)($sp)
    lw      $17, 16 + TF_REG(17)($sp)
    lw      $18, 16 + TF_REG(18)($sp)
    lw      $19, 16 + TF_REG(19)($sp)
    lw      $20, 16 + TF_REG(20)($sp)
    lw      $21, 16 + TF_REG(21)($sp)
    lw      $22, 16 + TF_REG(22)($sp)
    lw      $23, 16 + TF_REG(23)($sp)
    lw      $24, 16 + TF_REG(24)($sp)
    lw      $25, 16 + TF_REG(25)($sp)
    lw      $28, 16 + TF_REG(28)($sp)
    lw      $30, 16 + TF_REG(30)($sp)
    lw      $31, 16 + TF_REG(31)($sp)
    lw      $sp, 16 + TF_REG(29)($sp) /* last: it is the base of every load */
    eret                            /* to EPC; clears EXL; no delay slot */
    .end kernel_trap
