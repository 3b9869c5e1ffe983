/*
 * vectors.S - the kernel's exception vectors, its fast paths, and the way
 * into (and back out of) its C code.
 *
 * The CPU jumps to
 *   EBase + 0x000  on a TLB refill (a miss while EXL is clear),
 *   EBase + 0x180  on every other exception,
 *   EBase + 0x200  on an interrupt (entry.S sets Cause.IV),
 * with EXL set, so interrupts are off and k0/k1 are the only registers the
 * kernel may use without saving: the MIPS ABI reserves them for it.
 *
 * Two paths finish without saving anything and without leaving this file:
 *  - refill: an STLB hit goes into the hardware TLB (18 instructions);
 *  - general: an exception goes straight to the environment's handler in
 *    user mode (18 instructions).
 * Everything else saves the environment's registers in its struct env
 * and calls user_trap() in C on the kernel stack; env_return puts
 * them back.  The kernel's own exceptions save a trapframe on the kernel
 * stack and call trap() (the panic path, and the timer while it waits).
 *
 * Instruction counts: "[n]" in a comment is the instruction's position on
 * the measured fast path, delay slots included.  test/ and userland/bench
 * measure both paths under -icount.
 */
#include "abi.h"
#include "env.h"
#include "mips.h"
#include "syscall.h"
#include "trap.h"

/* k0 = &pct_table[__cur_id].tf: where the running environment's registers
 * are kept (a PCT may have changed who that is).  Uses k1. */
    .macro  CURRENT_TF
    lui     $k0, %hi(__cur_id)
    lw      $k0, %lo(__cur_id)($k0)
    sll     $k0, $k0, PT_SHIFT
    lui     $k1, %hi(pct_table)
    addu    $k1, $k1, $k0
    lw      $k0, %lo(pct_table)+PT_TF($k1)
    .endm

    .bss
    .align  2
entry_kind:                         # user_entry's k1, while it needs k1
    .space  4


    .set noreorder
    .set noat

    .section .vectors, "ax"
    .globl __vectors
__vectors:

/*
 * TLB refill: look the missing pair up in the STLB, and on a hit write it
 * into a random TLB slot and return.  Budget 18 instructions, vector to
 * eret, hazard barrier included; this path takes 18, 3 of which count the
 * hit in the entry (struct stlb_entry.hits).
 *
 * EntryHi already holds what we look for: the hardware has put the missing
 * VPN2 and the current ASID there, which is exactly an STLB tag.
 */
    .org    0x000
refill:
    mfc0    $k1, CP0_ENTRYHI         # [1]  tag = VPN2 << 13 | ASID
    srl     $k0, $k1, 13              # [2]  VPN2
    xor     $k0, $k0, $k1              # [3]  low 12 bits: VPN2 ^ ASID, the index
    lui     $k1, %hi(__stlb)      # [4]  STLB base (its low 16 bits are 0)
    ins     $k1, $k0, 4, 12           # [5]  k1 = &stlb[index] (16-byte entries)
    lw      $k0, 12($k1)              # [6]  count a hit now, before we know:
    addiu   $k0, $k0, 1               # [7]  the miss path takes it back, and
    sw      $k0, 12($k1)              # [8]  we save a branch on the hit path
    lw      $k0, 4($k1)               # [9]  even page's EntryLo
    mtc0    $k0, CP0_ENTRYLO0        # [10]
    lw      $k0, 8($k1)               # [11] odd page's EntryLo
    mtc0    $k0, CP0_ENTRYLO1        # [12]
    lw      $k1, 0($k1)               # [13] the entry's tag
    mfc0    $k0, CP0_ENTRYHI         # [14] the tag we want (k1 was reused)
    bne     $k0, $k1, refill_miss     # [15] not this pair: the slow path
    ehb                             # [16] (delay slot) EntryLo writes land
                                    #      before tlbwr reads them
    tlbwr                           # [17] a random slot above the wired one
    eret                            # [18] retry the access; clears EXL
    /* Never executed: o32's REL relocations need a %lo after each %hi of
     * the same symbol, and [4] has none ([5] uses ins). */
    addiu   $0, $0, %lo(__stlb)

/*
 * Every other exception.  Budget 18 instructions from here to the eret into
 * the handler; this path takes 18.
 *
 * System calls leave at [4] (the kernel never executes `syscall` itself, so
 * this test needs no mode check).  An exception in kernel space (the
 * kernel's own, or a program that jumped there) leaves at [6].  For the
 * rest, the environment's exception frame (a page of its own, reached
 * through KSEG0 so no TLB miss can happen here) receives EPC, Cause and
 * BadVAddr; the handler word it holds is where we go, and is zeroed so that
 * a fault in the handler is caught (abi.h, "The exception frame").  No
 * general register but k0/k1 is touched: the handler finds the program's.
 */
    .org    0x180
general:
    mfc0    $k1, CP0_CAUSE           # [1]
    andi    $k1, $k1, CAUSE_EXC_MASK  # [2]  ExcCode << 2
    xori    $k1, $k1, EXC_SYS << 2    # [3]  zero for a system call
    beqz    $k1, syscall_entry       # [4]
    mfc0    $k0, CP0_EPC             # [5]  (delay slot)
    bltz    $k0, general_slow        # [6]  EPC in kernel space
    lui     $k1, %hi(__cur_xframe)   # [7]  (delay slot)
    lw      $k1, %lo(__cur_xframe)($k1) # [8]  k1 = the frame, in KSEG0
    sw      $k0, XF_EPC($k1)          # [9]
    lw      $k0, XF_HANDLER($k1)      # [10]
    beqz    $k0, general_slow        # [11] not armed: cannot deliver
    sw      $0, XF_HANDLER($k1)      # [12] (delay slot) disarm
    mtc0    $k0, CP0_EPC             # [13] eret will go to the handler...
    mfc0    $k0, CP0_CAUSE           # [14]
    sw      $k0, XF_CAUSE($k1)        # [15]
    mfc0    $k0, CP0_BADVADDR        # [16]
    sw      $k0, XF_BADVADDR($k1)     # [17] (4 instructions separate the EPC
    eret                            # [18]  write from eret, in place of an
                                    #       ehb: see docs/exceptions.md)

/* Interrupts (Cause.IV = 1). */
    .org    0x200
interrupt:
    mfc0    $k0, CP0_STATUS
    andi    $k0, $k0, ST_UM
    beqz    $k0, kernel_trap         # the kernel was waiting
    li      $k1, VEC_INTERRUPT       # (delay slot)
    j       user_entry
    li      $k1, ENTRY_INTERRUPT     # (delay slot)

    .text

/* A refill the STLB could not serve. */
    .globl refill_miss
refill_miss:
    mfc0    $k0, CP0_STATUS
    andi    $k0, $k0, ST_UM
    beqz    $k0, kernel_trap         # the kernel touched a mapped address: a bug
    li      $k1, VEC_REFILL          # (delay slot)
    j       user_entry
    li      $k1, ENTRY_TLBMISS       # (delay slot)

/* An exception the fast path could not deliver. */
general_slow:
    mfc0    $k0, CP0_STATUS
    andi    $k0, $k0, ST_UM
    beqz    $k0, kernel_trap         # the kernel's own exception
    li      $k1, VEC_GENERAL         # (delay slot)
    j       user_entry
    li      $k1, ENTRY_EXCEPTION     # (delay slot)

/*
 * A system call.  k0 = EPC.  Protected control transfers (v0 = 0 or 1) are
 * finished here; every other call goes to C.  Budget for a one-way PCT: 30
 * instructions from the vector to the eret into the callee, [1]-[5] above
 * included; this path takes 30.
 *
 * pct_table[target] (env.c) holds what the switch needs, kept up to date by
 * the kernel: a pointer to the target's PCT entry word (pointing at a zero
 * word when the target cannot be entered now: not runnable, no exception
 * frame, or no ASID of the current generation), its EntryHi (ASID), its
 * frame and its envid.  The table has PT_SLOTS (128) slots: the target's
 * envid, masked to 7 bits, indexes it, and the slot's own envid must equal
 * the unmasked one, which rejects every envid out of range in the same
 * compare.  Until [19] nothing is changed but v0, which pct_refused puts
 * back, so every refusal can go to the C path, which finds out why and
 * returns an error.
 *
 * The kernel saves none of the caller's registers.  It records one word in
 * the caller's frame, xframe.donate: the target's envid for a synchronous
 * transfer (the caller's slices now go to it), -1 for an asynchronous one.
 * Either way a non-zero donate tells the kernel that the caller left by PCT
 * and its saved registers are stale (sched.c).  Status is set to the plain
 * user value: the FPU (CU1) is its owner's alone, and the callee is not
 * the owner just because its caller was.
 *
 * A `syscall` in a branch delay slot is not checked here: a transfer never
 * returns to the caller, so the branch it sat under does not matter.  One
 * that fails goes to C, which destroys the caller as for any system call
 * in a delay slot (there is no right place to return the error to).
 */
syscall_entry:
    sltiu   $k1, $v0, 2              # [6]  SYS_PCT_ASYNC (0) or SYS_PCT_SYNC (1)?
    beqz    $k1, syscall_slow        # [7]
    lui     $k1, %hi(pct_table)      # [8]  (delay slot)
    ins     $k1, $v1, PT_SHIFT, PT_BITS # [9] + %lo: &pct_table[v1 mod 128]
    lw      $k0, %lo(pct_table)+PT_ID($k1)  # [10] the slot's envid
    bne     $k0, $v1, syscall_slow   # [11] not v1: v1 is no envid
    lw      $k0, %lo(pct_table)+PT_ENTRYP($k1)  # [12] (delay slot) &its pct_entry (or &0)
    lw      $k0, 0($k0)              # [13] its PCT entry; 0: cannot enter
    beqz    $k0, pct_refused         # [14]
    addiu   $v0, $v0, -1             # [15] (delay slot) 0: synchronous, -1: asynchronous
    mtc0    $k0, CP0_EPC             # [16] eret goes to the callee's entry
    lw      $k0, %lo(pct_table)+PT_ENTRYHI($k1) # [17] its ASID
    mtc0    $k0, CP0_ENTRYHI         # [18] its address space: no TLB flush
    movn    $v1, $v0, $v0            # [19] donate: the callee's envid, or -1
    lui     $v0, %hi(__cur_xframe)   # [20] (v0/v1 are ours now: the caller
    lw      $k0, %lo(__cur_xframe)($v0) # [21] gave them up for the call)
    sw      $v1, XF_DONATE($k0)      # [22] in the caller's frame
    lw      $k0, %lo(pct_table)+PT_XF($k1) # [23]
    sw      $k0, %lo(__cur_xframe)($v0) # [24] exceptions now go to the callee
    lw      $v1, %lo(__cur_id)($v0)  # [25] the callee learns who called
    lw      $k0, %lo(pct_table)+PT_ID($k1) # [26]
    sw      $k0, %lo(__cur_id)($v0)  # [27] the callee is current
    ori     $k0, $0, ENV_USER_STATUS # [28] user mode, EXL until the eret,
    mtc0    $k0, CP0_STATUS          # [29] and no CU1 (env.h)
    eret                            # [30] (a hazard barrier: EntryHi, Status)

/* The target cannot be entered now: v0 was decremented, restore it. */
pct_refused:
    addiu   $v0, $v0, 1
    j       user_entry
    li      $k1, ENTRY_SYSCALL       # (delay slot)

/*
 * Every other system call.  A number no call has is refused right here
 * (the null system call: -E_NOSYS, 19 instructions from the vector to the
 * eret, [8] being the delay slot above).  One of SYSCALL_LEAN_MASK (syscall.h), not in a delay slot, takes
 * the lean path: the kernel saves only the caller's sp and ra, copies the
 * six arguments into a struct args on the kernel stack, counts the call,
 * runs its handler (syscall_table[num], syscall.c) for the caller, and
 * returns with v0 and v1 set and every other
 * register the call may change (at, a0-a3, t0-t9, hi, lo, and k0, k1)
 * cleared: the C code may have left kernel values in them.  The
 * callee-saved registers (s0-s7, fp) come back as they were because C
 * preserves them; gp the kernel never uses (-G0, no abicalls).  Everything
 * else (PCT refusals, yield, destroy, revoke, FPU, any call from a delay
 * slot) goes to the full path, which saves every register.
 *
 * Instruction counts: [n] continues from [7] above.
 */
syscall_slow:
    sltiu   $k1, $v0, NSYSCALLS      # [9]  a number no call has?
    beqz    $k1, syscall_nosys       # [10]
    mfc0    $k1, CP0_CAUSE           # [11] (delay slot)
    bltz    $k1, syscall_full        # [12] Cause.BD: the C path destroys it
    lui     $k1, %hi(SYSCALL_LEAN_MASK) # [13] (delay slot)
    ori     $k1, $k1, %lo(SYSCALL_LEAN_MASK) # [14]
    srlv    $k1, $k1, $v0            # [15] this call's bit
    andi    $k1, $k1, 1              # [16]
    beqz    $k1, syscall_full        # [17] not a lean call
    move    $k1, $sp                 # [18] (delay slot)
    lui     $sp, %hi(kstack_top - 56) # [19] the kernel stack: o32's 16 bytes
    addiu   $sp, $sp, %lo(kstack_top - 56) # [20] of argument space, then:
    sw      $k1, 44($sp)             # [21] the caller's sp
    sw      $ra, 40($sp)             # [22] and ra
    sw      $a0, 16($sp)             # [23] struct args at 16(sp)
    sw      $a1, 20($sp)             # [24]
    sw      $a2, 24($sp)             # [25]
    sw      $a3, 28($sp)             # [26]
    sw      $t0, 32($sp)             # [27]
    sw      $t1, 36($sp)             # [28]
    lui     $k0, %hi(__cur_id)       # [29] the caller: its pct_table slot
    lw      $k0, %lo(__cur_id)($k0)  # [30]  (a PCT may have made it current)
    lui     $k1, %hi(pct_table)      # [31]
    ins     $k1, $k0, PT_SHIFT, PT_BITS # [32]
    lw      $a0, %lo(pct_table)+PT_ENV($k1) # [33] handler(e,
    lw      $k1, %lo(pct_table)+PT_INFO($k1) # [34]
    lw      $k0, EI_SYSCALLS($k1)    # [35] env_info.syscalls++
    addiu   $k0, $k0, 1              # [36]
    sw      $k0, EI_SYSCALLS($k1)    # [37]
    sll     $k0, $v0, 2              # [38] syscall_table[v0]
    lui     $k1, %hi(syscall_table)  # [39]
    addu    $k1, $k1, $k0            # [40]
    lw      $k1, %lo(syscall_table)($k1) # [41]
    addiu   $a1, $sp, 16             # [42] &args,
    addiu   $a2, $sp, 48             # [43] &v1)
    jalr    $k1                      # [44] -> v0 (k0/k1: C never uses them)
    sw      $0, 48($sp)              # [45] (delay slot) v1 = 0 unless set
    lw      $v1, 48($sp)             # [+0]
    lw      $ra, 40($sp)             # [+1] (after the C code)
    lw      $sp, 44($sp)             # [+2]
    mfc0    $k0, CP0_EPC             # [+3]
    addiu   $k0, $k0, 4              # [+4] past the syscall
    mtc0    $k0, CP0_EPC             # [+5]
    move    $1, $0                   # [+6]  at, and all that follows:
    move    $4, $0                   # [+7]  nothing the C code left in a
    move    $5, $0                   # [+8]  scratch register goes back
    move    $6, $0                   # [+9]  to the environment
    move    $7, $0                   # [+10]
    move    $8, $0                   # [+11]
    move    $9, $0                   # [+12]
    move    $10, $0                  # [+13]
    move    $11, $0                  # [+14]
    move    $12, $0                  # [+15]
    move    $13, $0                  # [+16]
    move    $14, $0                  # [+17]
    move    $15, $0                  # [+18]
    move    $24, $0                  # [+19]
    move    $25, $0                  # [+20]
    mthi    $0                       # [+21]
    mtlo    $0                       # [+22]
    move    $k0, $0                  # [+23]
    move    $k1, $0                  # [+24]
    eret                             # [+25]

/* A number no call has: -E_NOSYS, v1 = 0, past the syscall - unless it
 * sits in a delay slot, which the C path answers by destroying the caller.
 * (Not counted in env_info.syscalls: that counts calls the kernel runs.)
 * Three instructions separate the EPC write from the eret, in place of an
 * ehb: the same judgement as the exception path's (docs/exceptions.md). */
syscall_nosys:
    bltz    $k1, syscall_full        # [12] Cause.BD (k1 = Cause, from [11])
    mfc0    $k0, CP0_EPC             # [13] (delay slot)
    addiu   $k0, $k0, 4              # [14]
    mtc0    $k0, CP0_EPC             # [15]
    li      $v0, -E_NOSYS            # [16]
    move    $v1, $0                  # [17]
    move    $k0, $0                  # [18] (k1 holds Cause: the caller's own)
    eret                             # [19]

syscall_full:
    j       user_entry
    li      $k1, ENTRY_SYSCALL       # (delay slot)

/*
 * user_entry: an environment enters the kernel's C code.  k1 = ENTRY_xxx.
 * Saves every register in the running environment's struct env (found
 * through __cur_id and pct_table: a PCT may have changed it), moves to
 * the kernel stack and calls user_trap(k1), which never returns here: it
 * ends in env_return.  There is one kernel stack: the kernel never blocks,
 * and runs with interrupts off (EXL stays set), so nothing can be in the
 * middle of kernel code when an environment enters.
 */
    .globl user_entry
user_entry:
    lui     $k0, %hi(entry_kind)     # free k1: remember why we came
    sw      $k1, %lo(entry_kind)($k0)
    CURRENT_TF                      # k0 = the running env's registers
    sw      $1, TF_REG(1)($k0)
    sw      $2, TF_REG(2)($k0)
    sw      $3, TF_REG(3)($k0)
    sw      $4, TF_REG(4)($k0)
    sw      $5, TF_REG(5)($k0)
    sw      $6, TF_REG(6)($k0)
    sw      $7, TF_REG(7)($k0)
    sw      $8, TF_REG(8)($k0)
    sw      $9, TF_REG(9)($k0)
    sw      $10, TF_REG(10)($k0)
    sw      $11, TF_REG(11)($k0)
    sw      $12, TF_REG(12)($k0)
    sw      $13, TF_REG(13)($k0)
    sw      $14, TF_REG(14)($k0)
    sw      $15, TF_REG(15)($k0)
    sw      $16, TF_REG(16)($k0)
    sw      $17, TF_REG(17)($k0)
    sw      $18, TF_REG(18)($k0)
    sw      $19, TF_REG(19)($k0)
    sw      $20, TF_REG(20)($k0)
    sw      $21, TF_REG(21)($k0)
    sw      $22, TF_REG(22)($k0)
    sw      $23, TF_REG(23)($k0)
    sw      $24, TF_REG(24)($k0)
    sw      $25, TF_REG(25)($k0)
    sw      $28, TF_REG(28)($k0)
    sw      $29, TF_REG(29)($k0)
    sw      $30, TF_REG(30)($k0)
    sw      $31, TF_REG(31)($k0)
    mfhi    $8
    sw      $8, TF_HI($k0)
    mflo    $8
    sw      $8, TF_LO($k0)
    mfc0    $8, CP0_STATUS
    sw      $8, TF_STATUS($k0)
    mfc0    $8, CP0_CAUSE
    sw      $8, TF_CAUSE($k0)
    mfc0    $8, CP0_EPC
    sw      $8, TF_EPC($k0)
    mfc0    $8, CP0_BADVADDR
    sw      $8, TF_BADVADDR($k0)
    la      $sp, kstack_top - 16    # o32: 16 bytes of argument space
    move    $fp, $0
    lui     $4, %hi(entry_kind)
    jal     user_trap               # user_trap(entry); does not return
    lw      $4, %lo(entry_kind)($4) # (delay slot)

/*
 * env_return: back to user mode in whichever environment is now current
 * (__cur_id), with all its registers.  Status is restored too: it has UM and
 * EXL set, so the CPU stays in kernel mode until the eret.
 */
    .globl env_return
env_return:
    CURRENT_TF                      # k0 = the current env's registers
    lw      $8, TF_STATUS($k0)
    mtc0    $8, CP0_STATUS
    lw      $8, TF_EPC($k0)
    mtc0    $8, CP0_EPC
    lw      $8, TF_HI($k0)
    mthi    $8
    lw      $8, TF_LO($k0)
    mtlo    $8
    lw      $1, TF_REG(1)($k0)
    lw      $2, TF_REG(2)($k0)
    lw      $3, TF_REG(3)($k0)
    lw      $4, TF_REG(4)($k0)
    lw      $5, TF_REG(5)($k0)
    lw      $6, TF_REG(6)($k0)
    lw      $7, TF_REG(7)($k0)
    lw      $8, TF_REG(8)($k0)
    lw      $9, TF_REG(9)($k0)
    lw      $10, TF_REG(10)($k0)
    lw      $11, TF_REG(11)($k0)
    lw      $12, TF_REG(12)($k0)
    lw      $13, TF_REG(13)($k0)
    lw      $14, TF_REG(14)($k0)
    lw      $15, TF_REG(15)($k0)
    lw      $16, TF_REG(16)($k0)
    lw      $17, TF_REG(17)($k0)
    lw      $18, TF_REG(18)($k0)
    lw      $19, TF_REG(19)($k0)
    lw      $20, TF_REG(20)($k0)
    lw      $21, TF_REG(21)($k0)
    lw      $22, TF_REG(22)($k0)
    lw      $23, TF_REG(23)($k0)
    lw      $24, TF_REG(24)($k0)
    lw      $25, TF_REG(25)($k0)
    lw      $28, TF_REG(28)($k0)
    lw      $29, TF_REG(29)($k0)
    lw      $30, TF_REG(30)($k0)
    lw      $31, TF_REG(31)($k0)
    eret

/*
 * kernel_trap: the kernel's own exception.  k1 = VEC_xxx.  Saves
 * everything on the current (kernel) stack, calls trap(tf, k1), restores,
 * returns.  Completeness matters more than speed here.
 */
    .globl kernel_trap
kernel_trap:
    move    $k0, $sp
    addiu   $sp, $sp, -(TF_SIZE + 16)   # frame + o32 argument area for trap()
    sw      $k0, 16 + TF_REG(29)($sp)    # the interrupted sp
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
    sw      $26, 16 + TF_REG(26)($sp)   # k0/k1: already scratch, saved so
    sw      $27, 16 + TF_REG(27)($sp)   # a panic shows what the entry did
    sw      $28, 16 + TF_REG(28)($sp)
    sw      $30, 16 + TF_REG(30)($sp)
    sw      $31, 16 + TF_REG(31)($sp)
    sw      $0, 16 + TF_REG(0)($sp)
    mfhi    $8
    sw      $8, 16 + TF_HI($sp)
    mflo    $8
    sw      $8, 16 + TF_LO($sp)
    mfc0    $8, CP0_STATUS
    sw      $8, 16 + TF_STATUS($sp)
    mfc0    $8, CP0_CAUSE
    sw      $8, 16 + TF_CAUSE($sp)
    mfc0    $8, CP0_EPC
    sw      $8, 16 + TF_EPC($sp)
    mfc0    $8, CP0_BADVADDR
    sw      $8, 16 + TF_BADVADDR($sp)

    addiu   $4, $sp, 16                 # trap(tf, vector)
    jal     trap
    move    $5, $k1                      # (delay slot)

    /* Restore.  trap() may have changed EPC (never Status: EXL must stay). */
    lw      $8, 16 + TF_EPC($sp)
    mtc0    $8, CP0_EPC
    lw      $8, 16 + TF_HI($sp)
    mthi    $8
    lw      $8, 16 + TF_LO($sp)
    mtlo    $8
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
    lw      $sp, 16 + TF_REG(29)($sp)   # last: it is the base of every load
    eret                                # to EPC; clears EXL; no delay slot
