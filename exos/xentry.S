/*
 * xentry.S - where the kernel delivers this environment's exceptions.
 *
 * The kernel arrives here in user mode with every register of the program
 * intact except k0 and k1, and with EPC, Cause and BadVAddr in the exception
 * frame at EXOS_XF_VA (page 1).  It has disarmed the frame (handler = 0), so
 * an exception before we re-arm would be fatal: everything this code and
 * the C it calls touches is in guaranteed mappings (.exos_text/.exos_data).
 *
 * We cannot use k0/k1: an interrupt may strike at any instruction and the
 * kernel's interrupt entry clobbers them.  So the first stores go to page 1
 * with $zero as the base, which needs no register at all.  An exception of
 * the fast class (exos_skip_fast) is then handled right here, with $at
 * alone.  Any other takes the exception stack (unless a handler is already
 * running on it: nesting), saves everything, and calls exos_exception().
 *
 * Returning: the program's registers are reloaded from the frame (the C
 * code may have changed any, epc included).  The last jump needs one
 * register, $at, and $at must come back too: the jump's delay slot reloads
 * it after the `jr` has read its target.  An interrupt between the two
 * re-executes the pair from the jr (EPC points at a branch when Cause.BD is
 * set), which still holds the target.
 */
#include "abi.h"
#include "exos.h"

#define XV(off)     (EXOS_XF_VA + (off))($0)
#define FRAME       (EF_SIZE + 16)          /* + o32 argument area */

    .set noreorder
    .set noat
    .section .exos_text, "ax"
    .globl exos_xentry
    .ent exos_xentry
exos_xentry:
    sw      $at, XV(XS_AT)          # [1] (the kernel's 18 come before)
    lw      $at, XV(XF_CAUSE)       # [2]
    andi    $at, $at, 0x7c          # [3] ExcCode << 2: a word index
    lw      $at, (EXOS_XF_VA + XS_FAST)($at) # [4] its fast handler, or 0
    beqz    $at, full               # [5]
    sw      $sp, XV(XS_SP)          # [6] (delay slot) the full path's first store
    jr      $at                     # [7] the fast class
    lw      $at, XV(XF_CAUSE)       # [8] (delay slot) the handler wants Cause
full:
    lw      $at, XV(XS_DEPTH)
    bnez    $at, 1f                 # nested: stay on the exception stack
    nop
    la      $sp, exos_xstack_top
1:  addiu   $sp, $sp, -FRAME
    sw      $0, 16 + EF_REG(0)($sp)
    lw      $at, XV(XS_AT)
    sw      $at, 16 + EF_REG(1)($sp)
    sw      $2, 16 + EF_REG(2)($sp)
    sw      $3, 16 + EF_REG(3)($sp)
    sw      $4, 16 + EF_REG(4)($sp)
    sw      $5, 16 + EF_REG(5)($sp)
    sw      $6, 16 + EF_REG(6)($sp)
    sw      $7, 16 + EF_REG(7)($sp)
    sw      $8, 16 + EF_REG(8)($sp)
    sw      $9, 16 + EF_REG(9)($sp)
    sw      $10, 16 + EF_REG(10)($sp)
    sw      $11, 16 + EF_REG(11)($sp)
    sw      $12, 16 + EF_REG(12)($sp)
    sw      $13, 16 + EF_REG(13)($sp)
    sw      $14, 16 + EF_REG(14)($sp)
    sw      $15, 16 + EF_REG(15)($sp)
    sw      $16, 16 + EF_REG(16)($sp)
    sw      $17, 16 + EF_REG(17)($sp)
    sw      $18, 16 + EF_REG(18)($sp)
    sw      $19, 16 + EF_REG(19)($sp)
    sw      $20, 16 + EF_REG(20)($sp)
    sw      $21, 16 + EF_REG(21)($sp)
    sw      $22, 16 + EF_REG(22)($sp)
    sw      $23, 16 + EF_REG(23)($sp)
    sw      $24, 16 + EF_REG(24)($sp)
    sw      $25, 16 + EF_REG(25)($sp)
    sw      $0, 16 + EF_REG(26)($sp)    # k0/k1: the kernel's, meaningless
    sw      $0, 16 + EF_REG(27)($sp)
    sw      $28, 16 + EF_REG(28)($sp)
    lw      $at, XV(XS_SP)
    sw      $at, 16 + EF_REG(29)($sp)
    sw      $30, 16 + EF_REG(30)($sp)
    sw      $31, 16 + EF_REG(31)($sp)
    mfhi    $at
    sw      $at, 16 + EF_HI($sp)
    mflo    $at
    sw      $at, 16 + EF_LO($sp)
    lw      $at, XV(XF_EPC)             # what the kernel told us
    sw      $at, 16 + EF_EPC($sp)
    lw      $at, XV(XF_CAUSE)
    sw      $at, 16 + EF_CAUSE($sp)
    lw      $at, XV(XF_BADVADDR)
    sw      $at, 16 + EF_BADVADDR($sp)
    lw      $at, XV(XS_DEPTH)
    addiu   $at, $at, 1
    sw      $at, XV(XS_DEPTH)

    la      $gp, _gp                    # C may reach newlib's data through gp
    jal     exos_exception              # exos_exception(frame)
    addiu   $4, $sp, 16                 # (delay slot)

    lw      $at, XV(XS_DEPTH)
    addiu   $at, $at, -1
    sw      $at, XV(XS_DEPTH)
    lw      $at, 16 + EF_HI($sp)
    mthi    $at
    lw      $at, 16 + EF_LO($sp)
    mtlo    $at
    lw      $2, 16 + EF_REG(2)($sp)
    lw      $3, 16 + EF_REG(3)($sp)
    lw      $4, 16 + EF_REG(4)($sp)
    lw      $5, 16 + EF_REG(5)($sp)
    lw      $6, 16 + EF_REG(6)($sp)
    lw      $7, 16 + EF_REG(7)($sp)
    lw      $8, 16 + EF_REG(8)($sp)
    lw      $9, 16 + EF_REG(9)($sp)
    lw      $10, 16 + EF_REG(10)($sp)
    lw      $11, 16 + EF_REG(11)($sp)
    lw      $12, 16 + EF_REG(12)($sp)
    lw      $13, 16 + EF_REG(13)($sp)
    lw      $14, 16 + EF_REG(14)($sp)
    lw      $15, 16 + EF_REG(15)($sp)
    lw      $16, 16 + EF_REG(16)($sp)
    lw      $17, 16 + EF_REG(17)($sp)
    lw      $18, 16 + EF_REG(18)($sp)
    lw      $19, 16 + EF_REG(19)($sp)
    lw      $20, 16 + EF_REG(20)($sp)
    lw      $21, 16 + EF_REG(21)($sp)
    lw      $22, 16 + EF_REG(22)($sp)
    lw      $23, 16 + EF_REG(23)($sp)
    lw      $24, 16 + EF_REG(24)($sp)
    lw      $25, 16 + EF_REG(25)($sp)
    lw      $28, 16 + EF_REG(28)($sp)
    lw      $30, 16 + EF_REG(30)($sp)
    lw      $31, 16 + EF_REG(31)($sp)
    lw      $at, 16 + EF_EPC($sp)       # stash the resume address and $at
    sw      $at, XV(XS_RESUME)          # in page 1: sp is about to go
    lw      $at, 16 + EF_REG(1)($sp)
    sw      $at, XV(XS_AT)
    lw      $sp, 16 + EF_REG(29)($sp)   # the program's sp
    la      $at, exos_xentry            # re-arm: ready for the next one
    sw      $at, XV(XF_HANDLER)
    lw      $at, XV(XS_RESUME)
    jr      $at                         # back to the program...
    lw      $at, XV(XS_AT)              # (delay slot) ...with its own $at
    .end exos_xentry

/*
 * The fast class's one handler: skip the faulting instruction.  $at =
 * Cause; every other register is the program's.  The instruction after
 * the fault is EPC + 4 - unless the fault sat in a delay slot (Cause.BD),
 * where the branch must be emulated: that goes to the full path (the
 * registered C handler, exos_skip).  Re-arms, then returns with the
 * program's own $at, as the full path does.  From the vector: the kernel's
 * 18, [1]-[8] above, [9]-[18] here.
 */
    .globl exos_fast_skip
    .ent exos_fast_skip
exos_fast_skip:
    bltz    $at, full               # [9]  Cause.BD: the full path
    lw      $at, XV(XF_EPC)         # [10] (delay slot)
    addiu   $at, $at, 4             # [11] the next instruction
    sw      $at, XV(XS_RESUME)      # [12]
    la      $at, exos_xentry        # [13-14] re-arm
    sw      $at, XV(XF_HANDLER)     # [15]
    lw      $at, XV(XS_RESUME)      # [16]
    jr      $at                     # [17] back to the program...
    lw      $at, XV(XS_AT)          # [18] (delay slot) ...with its own $at
    .end exos_fast_skip

    .section .exos_data, "aw"
    .balign 4096
    .space  8192
    .globl exos_xstack_top
exos_xstack_top:
