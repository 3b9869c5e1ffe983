/*
 * mips.h - the parts of the MIPS32r2 privileged architecture Aegis uses:
 * coprocessor 0 register numbers, their bit fields, exception codes, and
 * C accessors for mfc0/mtc0.
 *
 * Names follow the MIPS32 Architecture for Programmers, Volume III (the
 * privileged resource architecture), so a student can look each one up.
 * This header is safe to include from assembly (.S) files.
 */
#ifndef AEGIS_MIPS_H
#define AEGIS_MIPS_H

/* Coprocessor 0 registers, as "register, select" pairs. */
#define CP0_INDEX       $0
#define CP0_RANDOM      $1
#define CP0_ENTRYLO0    $2
#define CP0_ENTRYLO1    $3
#define CP0_CONTEXT     $4
#define CP0_PAGEMASK    $5
#define CP0_WIRED       $6
#define CP0_HWRENA      $7
#define CP0_BADVADDR    $8
#define CP0_COUNT       $9
#define CP0_ENTRYHI     $10
#define CP0_COMPARE     $11
#define CP0_STATUS      $12
#define CP0_CAUSE       $13
#define CP0_EPC         $14
#define CP0_PRID        $15     /* select 0 */
#define CP0_EBASE       $15     /* select 1 */
#define CP0_CONFIG      $16     /* select 0; Config1 is select 1 */
#define CP0_ERROREPC    $30

/* Status register fields. */
#define ST_IE           0x00000001  /* interrupts enabled */
#define ST_EXL          0x00000002  /* exception level: set by hardware on entry */
#define ST_ERL          0x00000004  /* error level: set at reset */
#define ST_UM           0x00000010  /* user mode (when EXL and ERL are clear) */
#define ST_IM_SHIFT     8           /* interrupt mask IM0..IM7 in bits 8..15 */
#define ST_IM(n)        (1u << (ST_IM_SHIFT + (n)))
#define ST_BEV          0x00400000  /* exceptions use the boot ROM vectors */
#define ST_CU0          0x10000000  /* coprocessor 0 usable in user mode */
#define ST_CU1          0x20000000  /* floating-point unit usable */

/* Cause register fields. */
#define CAUSE_EXC_SHIFT 2
#define CAUSE_EXC_MASK  0x0000007c  /* ExcCode, bits 6..2 */
#define CAUSE_IP_SHIFT  8           /* pending interrupts IP0..IP7 */
#define CAUSE_IP(n)     (1u << (CAUSE_IP_SHIFT + (n)))
#define CAUSE_IV        0x00800000  /* use the special interrupt vector */
#define CAUSE_CE_SHIFT  28          /* coprocessor number of a CpU exception */
#define CAUSE_BD        0x80000000  /* the faulting instruction is in a delay slot */

/* Exception codes (Cause.ExcCode). */
#define EXC_INT         0   /* interrupt */
#define EXC_MOD         1   /* TLB modified: store to a clean (D=0) page */
#define EXC_TLBL        2   /* TLB miss or invalid, on load or fetch */
#define EXC_TLBS        3   /* TLB miss or invalid, on store */
#define EXC_ADEL        4   /* address error on load or fetch */
#define EXC_ADES        5   /* address error on store */
#define EXC_IBE         6   /* bus error on fetch */
#define EXC_DBE         7   /* bus error on data */
#define EXC_SYS         8   /* syscall instruction */
#define EXC_BP          9   /* break instruction */
#define EXC_RI          10  /* reserved instruction */
#define EXC_CPU         11  /* coprocessor unusable */
#define EXC_OV          12  /* arithmetic overflow */
#define EXC_TR          13  /* trap instruction */
#define EXC_FPE         15  /* floating-point exception */
#define EXC_WATCH       23
#define EXC_MCHECK      24
#define EXC_NCODES      32

/* HWREna: which hardware registers user mode may read with rdhwr. */
#define HWRENA_CC       0x4         /* register 2: Count */
#define HWRENA_CCRES    0x8         /* register 3: Count's resolution */

/* Config register fields. */
#define CFG_K0_MASK     0x00000007  /* cacheability of KSEG0 */
#define CFG_K0_CACHED   3           /* cacheable, noncoherent, write-back */
#define CFG1_MMU_SHIFT  25          /* Config1: TLB entries minus one */
#define CFG1_MMU_MASK   0x3f

/* Address space segments. */
#define KSEG0_BASE      0x80000000  /* unmapped, cached */
#define KSEG1_BASE      0xa0000000  /* unmapped, uncached */
#define KSEG2_BASE      0xc0000000  /* mapped, kernel only */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* Physical address of a KSEG0/KSEG1 address, and back. */
#define KSEG0_TO_PHYS(va)   ((uint32_t)(va) & 0x1fffffff)
#define PHYS_TO_KSEG0(pa)   ((uint32_t)(pa) | KSEG0_BASE)
#define PHYS_TO_KSEG1(pa)   ((uint32_t)(pa) | KSEG1_BASE)

/*
 * mfc0/mtc0 need the register number as an immediate, so they are macros
 * (two levels, so that C0_STATUS is expanded to 12 before it is pasted).
 * The "memory" clobber keeps the compiler from moving memory accesses
 * across a write that changes how memory is reached (EntryHi, Status...),
 * and the ehb after mtc0 clears the hazard before the next instruction.
 */
#define mfc0(reg, sel)      mfc0_(reg, sel)
#define mtc0(reg, sel, val) mtc0_(reg, sel, val)
#define mfc0_(reg, sel) ({ uint32_t v_; \
    __asm__ volatile("mfc0 %0, $" #reg ", " #sel : "=r"(v_)); v_; })
#define mtc0_(reg, sel, val) \
    __asm__ volatile("mtc0 %0, $" #reg ", " #sel "\n\tehb" :: "r"((uint32_t)(val)) : "memory")

/* Register numbers for mfc0()/mtc0() from C (no '$'). */
#define C0_INDEX    0
#define C0_RANDOM   1
#define C0_ENTRYLO0 2
#define C0_ENTRYLO1 3
#define C0_PAGEMASK 5
#define C0_WIRED    6
#define C0_HWRENA   7
#define C0_BADVADDR 8
#define C0_COUNT    9
#define C0_ENTRYHI  10
#define C0_COMPARE  11
#define C0_STATUS   12
#define C0_CAUSE    13
#define C0_EPC      14
#define C0_PRID     15
#define C0_EBASE    15  /* select 1 */
#define C0_CONFIG   16

#endif /* __ASSEMBLER__ */
#endif /* AEGIS_MIPS_H */
