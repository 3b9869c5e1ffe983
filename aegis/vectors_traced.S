/*
 * vectors_traced.S - the traced exception vectors: a second EBase, installed only
 * while the TLB tracer is on (trace.c), so that the plain vectors in
 * vectors.S pay nothing for it.  Each records what happened in the exposed
 * trace ring (abi.h, "The TLB tracer") and then does exactly what the plain
 * path does, or jumps to it.
 *
 * These paths are slower than the plain ones and make no budget claim: they
 * save ten registers of the interrupted program in trace_save (the kernel
 * never nests, so one save area is enough) to have room to work.
 */
#include "abi.h"
#include "mips.h"

#define EV_OFF      (8 + (NENV + 1) * 64)   /* offsetof(struct trace_ring, ev) */

/* One event: kind (constant), then registers for slot, va, a, b.  Uses
 * t8, t9, k0, k1; needs nothing else. */
    .macro  TLOG kind, slot, va, a, b
    lui     $t8, %hi(kexposed + EXPOSED_TRACE)
    addiu   $t8, $t8, %lo(kexposed + EXPOSED_TRACE)   # t8 = the ring
    lw      $t9, 4($t8)             # head: events written so far
    addiu   $k0, $t9, 1
    sw      $k0, 4($t8)
    andi    $t9, $t9, TRACE_NEVENTS - 1
    sll     $t9, $t9, 4             # 16-byte events
    addu    $t9, $t9, $t8           # t9 + EV_OFF = this event
    sw      \va, EV_OFF + 4($t9)
    sw      \a, EV_OFF + 8($t9)
    sw      \b, EV_OFF + 12($t9)
    lui     $k0, %hi(__cur_id)
    lw      $k0, %lo(__cur_id)($k0) # the environment it happens to
    sll     $k1, \slot, 16
    sll     $k0, $k0, 8
    or      $k1, $k1, $k0
    ori     $k1, $k1, \kind
    sw      $k1, EV_OFF($t9)        # kind | env << 8 | slot << 16
    srl     $k0, $k0, 8 - 6         # env * 64: its row of counts
    addu    $k0, $k0, $t8
    lw      $k1, (8 + \kind * 4)($k0)
    addiu   $k1, $k1, 1
    sw      $k1, (8 + \kind * 4)($k0) # counts[env][kind]++
    .endm

    .macro  SAVE
    lui     $k1, %hi(trace_save)
    addiu   $k1, $k1, %lo(trace_save)
    sw      $t0, 0($k1)
    sw      $t1, 4($k1)
    sw      $t2, 8($k1)
    sw      $t3, 12($k1)
    sw      $t4, 16($k1)
    sw      $t5, 20($k1)
    sw      $t6, 24($k1)
    sw      $t7, 28($k1)
    sw      $t8, 32($k1)
    sw      $t9, 36($k1)
    .endm

    .macro  RESTORE
    lui     $k1, %hi(trace_save)
    addiu   $k1, $k1, %lo(trace_save)
    lw      $t0, 0($k1)
    lw      $t1, 4($k1)
    lw      $t2, 8($k1)
    lw      $t3, 12($k1)
    lw      $t4, 16($k1)
    lw      $t5, 20($k1)
    lw      $t6, 24($k1)
    lw      $t7, 28($k1)
    lw      $t8, 32($k1)
    lw      $t9, 36($k1)
    .endm

    .bss
    .align  2
trace_save:
    .space  40

    .set noreorder
    .set noat

    .section .vectors_traced, "ax"
    .globl __vectors_traced
__vectors_traced:
    .org    0x000
    j       refill_traced
    nop
    .org    0x180
    j       general_traced
    nop
    .org    0x200
    j       __vectors + 0x200       # interrupts: nothing to record
    nop

    .text

/*
 * A refill, recorded.  The lookup is the plain one (vectors.S), but the slot
 * is chosen here (Random) and written with tlbwi, so that the entry it
 * replaces can be read first and recorded as an eviction.
 */
refill_traced:
    SAVE
    mfc0    $t0, CP0_ENTRYHI        # the tag we want
    srl     $t1, $t0, 13
    xor     $t1, $t1, $t0
    lui     $t2, %hi(__stlb)
    ins     $t2, $t1, 4, 12         # t2 = &stlb[(VPN2 ^ ASID) & 4095]
    lw      $t3, 12($t2)            # count the hit first, as the plain path
    addiu   $t3, $t3, 1             # does (the C miss path takes it back)
    sw      $t3, 12($t2)
    lw      $t3, 0($t2)
    bne     $t3, $t0, 1f            # not there: the plain miss path
    lw      $t3, 4($t2)             # (delay slot) even EntryLo
    lw      $t4, 8($t2)             # odd EntryLo
    mfc0    $t5, CP0_RANDOM         # the slot the hardware would pick
    mtc0    $t5, CP0_INDEX
    ehb
    tlbr                            # what it holds now
    ehb
    mfc0    $t6, CP0_ENTRYLO0
    mfc0    $t7, CP0_ENTRYLO1
    or      $t1, $t6, $t7
    andi    $t1, $t1, ENTRYLO_V
    beqz    $t1, 2f                 # an empty slot: no eviction
    mfc0    $t1, CP0_ENTRYHI        # (delay slot) its tag
    TLOG    TEV_TLB_EVICT, $t5, $t1, $t6, $t7
2:  mtc0    $zero, CP0_PAGEMASK     # (tlbr loaded the old entry's)
    mtc0    $t0, CP0_ENTRYHI        # the new entry, and our ASID back
    mtc0    $t3, CP0_ENTRYLO0
    mtc0    $t4, CP0_ENTRYLO1
    ehb
    tlbwi
    TLOG    TEV_REFILL, $t5, $t0, $t3, $t4
    RESTORE
    eret
1:  RESTORE                         # the C code records the miss
    j       refill_miss
    nop
    /* Never executed: a %lo for the %hi(__stlb) above (o32's REL
     * relocations pair them; the ins leaves the low half alone). */
    addiu   $0, $0, %lo(__stlb)

/* Every other exception, recorded, then the plain path. */
general_traced:
    SAVE
    mfc0    $t0, CP0_CAUSE
    andi    $t0, $t0, CAUSE_EXC_MASK
    srl     $t0, $t0, CAUSE_EXC_SHIFT
    mfc0    $t2, CP0_EPC
    li      $t1, EXC_SYS
    bne     $t0, $t1, 1f
    sltiu   $t1, $v0, 2             # (delay slot) a PCT: v0 = 0 or 1
    beqz    $t1, 9f                 # another system call: nothing to record
    nop
    TLOG    TEV_PCT, $zero, $t2, $v1, $v0
    b       9f
    nop
1:  mfc0    $t3, CP0_BADVADDR
    li      $t1, EXC_MOD
    bne     $t0, $t1, 2f
    nop
    TLOG    TEV_MOD, $zero, $t3, $t2, $zero
    b       9f
    nop
2:  addiu   $t1, $t0, -EXC_TLBL     # TLBL (2) or TLBS (3): a V=0 half
    sltiu   $t1, $t1, 2
    beqz    $t1, 3f
    nop
    TLOG    TEV_INVALID, $zero, $t3, $t2, $zero
    b       9f
    nop
3:  beqz    $t0, 9f                 # (interrupts come through 0x200)
    nop
    TLOG    TEV_EXC, $zero, $t2, $t0, $t3
9:  RESTORE
    j       __vectors + 0x180
    nop
