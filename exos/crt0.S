/*
 * crt0.S - where an ExOS program starts.
 *
 * The kernel (for the first environment) or a parent's ExOS starts us in
 * user mode with sp set and a0 = the boot record (abi.h).  We set $gp, which
 * newlib needs (see user.ld), and hand over to exos_start() in C.
 */
    .set noreorder
    .section .exos_text, "ax"      # pinned: see user.ld
    .globl _start
    .ent _start
_start:
    la      $gp, _gp
    move    $fp, $0
    addiu   $sp, $sp, -16           # o32 argument area
    jal     exos_start              # exos_start(bootrec); does not return
    nop
    .end _start
