/*
 * regs.S - does an interrupt preserve every register?
 *
 * int regs_survive(volatile uint32_t *ticks, uint32_t until)
 *   Fills every general register the interrupt path must preserve with a
 *   distinct pattern, spins until *ticks >= until (so timer interrupts
 *   strike at arbitrary points of the loop), then checks each register.
 *   Returns 0 if all survived, else the number of the first one that did
 *   not.  HI and LO are checked as "registers" 32 and 33.
 */
#include "mips.h"

    .set noreorder
    .set noat
    .text
    .globl regs_survive
    .ent regs_survive
regs_survive:
    /* Save what the o32 ABI says a callee must preserve, on the stack. */
    addiu   $sp, $sp, -48
    sw      $16, 0($sp)
    sw      $17, 4($sp)
    sw      $18, 8($sp)
    sw      $19, 12($sp)
    sw      $20, 16($sp)
    sw      $21, 20($sp)
    sw      $22, 24($sp)
    sw      $23, 28($sp)
    sw      $28, 32($sp)
    sw      $30, 36($sp)
    sw      $31, 40($sp)

    /*
     * Pattern: register n holds 0x5a5a0000 + n.  a0/a1 keep the arguments;
     * a2/a3 are the loop's and the checks' temporaries.  k0/k1 are left
     * out: the exception entry may clobber them, as the ABI allows.
     */
#define SET(n)  lui $n, 0x5a5a; ori $n, $n, n
    SET(1); SET(2); SET(3); SET(8); SET(9); SET(10); SET(11); SET(12)
    SET(13); SET(14); SET(15); SET(16); SET(17); SET(18); SET(19); SET(20)
    SET(21); SET(22); SET(23); SET(24); SET(25); SET(28); SET(30); SET(31)
    mthi    $1
    mtlo    $2

1:  lw      $6, 0($4)
    sltu    $6, $6, $5
    bnez    $6, 1b
    nop

    /* Check each; a3 names the register being checked when we branch. */
#define CHK(n)  lui $6, 0x5a5a; ori $6, $6, n; bne $n, $6, fail; li $7, n
    CHK(1); CHK(2); CHK(3); CHK(8); CHK(9); CHK(10); CHK(11); CHK(12)
    CHK(13); CHK(14); CHK(15); CHK(16); CHK(17); CHK(18); CHK(19); CHK(20)
    CHK(21); CHK(22); CHK(23); CHK(24); CHK(25); CHK(28); CHK(30); CHK(31)
    mfhi    $6
    bne     $6, $1, fail
    li      $7, 32                  /* (delay slot) */
    mflo    $6
    bne     $6, $2, fail
    li      $7, 33                  /* (delay slot) */
    move    $7, $0                  /* all survived */
fail:
    move    $2, $7
    lw      $16, 0($sp)
    lw      $17, 4($sp)
    lw      $18, 8($sp)
    lw      $19, 12($sp)
    lw      $20, 16($sp)
    lw      $21, 20($sp)
    lw      $22, 24($sp)
    lw      $23, 28($sp)
    lw      $28, 32($sp)
    lw      $30, 36($sp)
    lw      $31, 40($sp)
    jr      $31
    addiu   $sp, $sp, 48            /* (delay slot) */
    .end regs_survive
