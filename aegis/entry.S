/*
 * entry.S - the first instructions the kernel runs.
 *
 * QEMU's Malta firmware jumps here in kernel mode with Status.BEV set (so
 * exceptions would still go to the boot ROM), KSEG0 uncached, no stack,
 * and the boot loader's arguments in a0..a3 (see bootargs.h).  We fix each
 * of those, without touching a0..a3, and call kmain().
 */
#include "mips.h"

    .set noreorder
    .section .text.entry, "ax"
    .globl _start
    .ent _start
_start:
    /* Interrupts off, kernel mode; BEV stays set until EBase is ours. */
    li      $t0, ST_BEV
    mtc0    $t0, CP0_STATUS
    ehb

    /* Exception vectors: EBase = the 4 KiB-aligned .vectors section. */
    la      $t0, __vectors
    mtc0    $t0, CP0_EBASE, 1
    ehb

    /* Now leave the boot vectors: BEV, ERL, EXL, IE all clear. */
    mtc0    $zero, CP0_STATUS
    li      $t0, CAUSE_IV            /* interrupts get their own vector, EBase+0x200 */
    mtc0    $t0, CP0_CAUSE
    ehb

    /*
     * Make KSEG0 cacheable (Config.K0 = 3).  QEMU does not model caches, so
     * this only matters on hardware, where the firmware has initialised the
     * caches before jumping here.  jr.hb makes the change visible to the
     * instruction fetch before we go on.
     */
    mfc0    $t0, CP0_CONFIG
    li      $t1, CFG_K0_CACHED
    ins     $t0, $t1, 0, 3
    mtc0    $t0, CP0_CONFIG
    la      $t1, 1f
    jr.hb   $t1
    nop
1:
    /* Clear BSS (4-byte aligned by mips.ld). */
    la      $t0, __bss_start
    la      $t1, __bss_end
2:  beq     $t0, $t1, 3f
    nop
    sw      $zero, 0($t0)
    b       2b
    addiu   $t0, $t0, 4               /* (delay slot) */
3:
    /* The boot stack; o32 wants 16 bytes of argument space for the callee. */
    la      $sp, kstack_top - 16
    move    $fp, $zero
    jal     kmain                   /* a0..a3 are still the boot loader's */
    nop
    /* kmain does not return; should it ever, stop rather than run on. */
    jal     board_halt
    nop
    .end _start

    .bss
    .align  12
    .globl kstack, kstack_top
kstack:
    .space  16384
kstack_top:
