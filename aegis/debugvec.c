/*
 * debugvec.c - a user `sdbbp` comes back as a Reserved Instruction.
 *
 * `sdbbp` (software debug breakpoint) is not privileged on the 24K: in any
 * mode it raises a debug exception, which puts the CPU in EJTAG debug mode
 * (Debug.DM = 1: kernel privileges, interrupts off) and jumps to the debug
 * vector.  With no EJTAG probe that vector is 0xbfc00480, in the boot ROM:
 * no CP0 register moves it, and QEMU's Malta maps the ROM read-only, so
 * the kernel can neither disable `sdbbp` nor put its own handler there
 * (docs/sdbbp.md has what was tried).
 *
 * What saves us is what QEMU's -kernel boot loader happens to leave there:
 * 32 zero words (nops) from 0xbfc00480, then at 0xbfc00500 the first word
 * of a YAMON call table, 0x9fc00580, which decodes as `lwu`: a 64-bit
 * instruction, reserved on a MIPS32 CPU.  So the "debug handler" is a run
 * of nops and a Reserved Instruction exception.  QEMU sends exceptions in
 * debug mode to the ordinary vectors (mips_cpu_do_interrupt never checks
 * DM for them), and the kernel has cleared Status.BEV, so the exception
 * reaches our general vector with EPC = 0xbfc00500, Status.UM still 1
 * (the debug exception does not touch Status), and every general register
 * as the program left it (nops change nothing).  vectors.S takes its slow
 * path (EPC is in kernel space), saves the program's registers and calls
 * user_trap(), which calls debugvec_check() before delivering.
 *
 * Left alone, the CPU would stay in debug mode after the eret: the
 * program's handler, and every program after it, would run with kernel
 * privileges and no interrupts (QEMU's compute_hflags keeps kernel mode
 * while DM is set, and cpu_mips_hw_interrupts_enabled refuses interrupts),
 * so one spinning program stops the machine.  Here the kernel leaves debug mode with
 * `deret`, and rewrites the exception as a Reserved Instruction at the
 * `sdbbp`: what MIPS Release 6 makes of a user-mode `sdbbp` when
 * Config5.SBRI is set (the 24K, Release 2, has no Config5).  From there it
 * is an ordinary exception: delivered to the environment's handler, or
 * the environment dies.
 */
#include "debugvec.h"

#include "bind.h"
#include "mips.h"
#include "printf.h"

/* The EJTAG registers of coprocessor 0, and the Debug bits used here. */
#define C0_DEBUG    23
#define C0_DEPC     24
#define DEBUG_DBD   0x80000000u /* the debug exception was in a delay slot */
#define DEBUG_DM    0x40000000u /* the CPU is in debug mode */

/* SDBBP in the MIPS32 (pre-Release 6) encoding: SPECIAL2, function 0x3f,
 * a 20-bit code in between. */
#define IS_SDBBP(w)     (((w) & 0xfc00003fu) == 0x7000003fu)

/* Where the CPU goes on a debug exception when no probe is attached
 * (EJTAG ECR.ProbTrap = 0), and where QEMU's boot loader code begins. */
#define DEBUG_VECTOR    0xbfc00480u
#define BOOTLOADER_CODE 0xbfc00580u

/*
 * Major opcodes that exist only in 64-bit MIPS (daddi, daddiu, ldl, ldr,
 * lwu, sdl, sdr, lld, ld, scd, sd): on a MIPS32 CPU each one raises a
 * Reserved Instruction exception, which is what brings the CPU back to us.
 */
static const uint64_t mips64_only =
    1ull << 0x18 | 1ull << 0x19 | 1ull << 0x1a | 1ull << 0x1b | 1ull << 0x27 |
    1ull << 0x2c | 1ull << 0x2d | 1ull << 0x34 | 1ull << 0x37 | 1ull << 0x3c |
    1ull << 0x3f;

/*
 * Reads the boot ROM at the debug vector: a run of nops ending in an
 * instruction MIPS32 reserves means a debug exception comes back to the
 * general vector.  Anything else (another QEMU, a real YAMON, -bios) runs
 * code the kernel does not know in debug mode, and nothing here can help.
 */
void debugvec_init(void)
{
    uint32_t va = DEBUG_VECTOR;

    while (va < BOOTLOADER_CODE && *(volatile uint32_t *)va == 0)
        va += 4;
    uint32_t w = va < BOOTLOADER_CODE ? *(volatile uint32_t *)va : 0;
    if (va < BOOTLOADER_CODE && (mips64_only >> (w >> 26) & 1))
        return;
    kprintf("aegis: warning: the boot ROM's debug vector (%08x) does not come back "
            "to the kernel: a program's sdbbp will stop the machine (docs/sdbbp.md)\n",
            DEBUG_VECTOR);
}

/*
 * Leaves debug mode and carries on just below, in kernel mode with
 * Status.EXL still set (deret does not touch Status).  `deret` jumps to
 * DEPC, so DEPC is pointed at the next instruction first.
 */
static void leave_debug_mode(void)
{
    uint32_t resume;

    __asm__ volatile(
        "   .set    push\n"
        "   .set    noreorder\n"
        "   la      %0, 1f\n"       /* where deret goes: the label below */
        "   mtc0    %0, $24\n"      /* DEPC */
        "   ehb\n"                  /* the write lands before deret reads it */
        "   deret\n"                /* Debug.DM = 0, PC = DEPC; no delay slot */
        "1: .set    pop\n"
        : "=&r"(resume) : : "memory");
}

void debugvec_leave(struct env *e, struct trapframe *tf)
{
    uint32_t debug = mfc0(C0_DEBUG, 0);

    if (!(debug & DEBUG_DM))
        return;         /* a program that jumped into kernel space: its own AdEL */
    /* DEPC is the sdbbp, or the branch before it when it sat in a delay
     * slot.  Real hardware says which in Debug.DBD; QEMU never sets DBD, so
     * also look: a word at DEPC that is not an sdbbp must be that branch.
     * (The CPU fetched it a moment ago, so its binding is there to find.
     * Bit 0 set would mean MIPS16 code, whose encodings differ: trust DBD.) */
    uint32_t depc = mfc0(C0_DEPC, 0);
    int bd = (debug & DEBUG_DBD) != 0;
    void *insn;
    if (!bd && !(depc & 1) && bind_translate(e, depc, 0, &insn) == 0 &&
        !IS_SDBBP(*(uint32_t *)insn))
        bd = 1;

    leave_debug_mode();

    /* The exception as the environment will see it: a Reserved Instruction
     * at the sdbbp.  BadVAddr means nothing for RI; it is left alone. */
    tf->epc = depc;
    tf->cause = (tf->cause & ~(CAUSE_EXC_MASK | CAUSE_BD)) |
                (EXC_RI << CAUSE_EXC_SHIFT) | (bd ? CAUSE_BD : 0);
}
