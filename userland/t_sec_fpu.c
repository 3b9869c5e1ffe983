/*
 * t_sec_fpu - the FPU is usable only by its owner, on every way in.
 *
 * The promise (docs/cpu.md): no environment runs with the FPU enabled
 * (Status.CU1) unless it owns it.  A protected control transfer is a way
 * in that the kernel makes in 30 instructions without C: if it keeps the
 * caller's Status, the callee of an FPU owner runs with CU1 set and reads
 * and writes the caller's floating-point registers as its own.
 *
 * The attack: this program takes the FPU (its first FP instruction raises
 * coprocessor-unusable; ExOS answers with SYS_FPU), puts a magic number in
 * $f0 and makes a synchronous PCT to a raw child.  The child's PCT entry
 * (assembly, no stack) tries mfc1 and mtc1 on $f0, makes a system call
 * and tries again, then asks for the FPU (SYS_FPU) and reads $f0 once
 * more, and transfers back.  Its exception handler records each fault.
 * Every attempt before SYS_FPU must fault with CpU; after it, the child
 * must see its own registers (zero), and our $f0 must still be ours.
 */
#include <stdint.h>

#include "mips.h"
#include "sec.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define MAGIC       0x7e57f00du     /* ours */
#define MAGIC_CHILD 0xc41d0badu     /* what the child writes */
#define SENTINEL    0x5e5e5e5eu     /* a read that faulted leaves this */

/* Words of the shared page, by index (numbers: the child's entry is
 * assembly, and uses them too). */
#define W_READY    0
#define W_ENTERED  1
#define W_F0       2
#define W_READ1    3
#define W_F1       4
#define W_CAUSE1   5
#define W_F2       6
#define W_CAUSE2   7
#define W_READ2    8
#define W_F3       9
#define W_CAUSE3   10
#define W_FPU_RC   11
#define W_READ3    12
#define W_F4       13
#define W_BACK_RC  14
#define SH ((volatile uint32_t *)VA_SHARED)

#define S_(x)   #x
#define S(x)    S_(x)
#define OFF(i)  S(i) "*4"
/* Stores reg into shared word i (s1 = the shared page). */
#define PUT(reg, i) "   sw " reg ", (" OFF(i) ")($s1)\n"
/* Records the fault count and the last Cause into words fi and ci. */
#define FAULTS(fi, ci) "   lw $t1, 0x1030($0)\n" PUT("$t1", fi) \
                       "   lw $t1, 0x1034($0)\n" PUT("$t1", ci)

/*
 * The child's PCT entry.  v1 = the caller (kept in s0: the caller saved
 * its own); sp is the caller's, so no stack: only registers and the
 * shared page.  Each FP probe is followed by a nop, so a fault is never
 * in a delay slot and sec_handler can skip it.
 */
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n   .set noat\n   .set hardfloat\n"
    "fpu_entry:\n"
    "   move  $s0, $v1\n"
    "   lui   $s1, 0x1000\n"                    /* VA_SHARED */
    "   li    $t0, 1\n"
    PUT("$t0", W_ENTERED)
    "   lw    $t1, 0x1030($0)\n"
    PUT("$t1", W_F0)
    "   li    $t0, 0x5e5e5e5e\n"
    "   mfc1  $t0, $f0\n"                       /* read the caller's $f0 */
    "   nop\n"
    PUT("$t0", W_READ1)
    FAULTS(W_F1, W_CAUSE1)
    "   li    $t0, 0xc41d0bad\n"
    "   mtc1  $t0, $f0\n"                       /* overwrite it */
    "   nop\n"
    FAULTS(W_F2, W_CAUSE2)
    "   li    $v0, 99\n"                        /* any kernel entry: E_NOSYS */
    "   syscall\n"
    "   li    $t0, 0x5e5e5e5e\n"
    "   mfc1  $t0, $f0\n"                       /* and again, after it */
    "   nop\n"
    PUT("$t0", W_READ2)
    FAULTS(W_F3, W_CAUSE3)
    "   li    $v0, 19\n"                        /* SYS_FPU: now it is ours */
    "   syscall\n"
    PUT("$v0", W_FPU_RC)
    "   li    $t0, 0x5e5e5e5e\n"
    "   mfc1  $t0, $f0\n"                       /* our own $f0 */
    "   nop\n"
    PUT("$t0", W_READ3)
    "   lw    $t1, 0x1030($0)\n"
    PUT("$t1", W_F4)
    "   move  $v1, $s0\n"
    "   li    $v0, 0\n"                         /* SYS_PCT_ASYNC, back */
    "   syscall\n"
    PUT("$v0", W_BACK_RC)                       /* (only if refused) */
    "1: li    $v0, 15\n"                        /* SYS_YIELD(-1), for ever */
    "   li    $a0, -1\n"
    "   syscall\n"
    "   b     1b\n"
    "   nop\n"
    "   .set pop\n   .text\n");
void fpu_entry(void);
_Static_assert(SYS_FPU == 19 && SYS_YIELD == 15 && NSYSCALLS < 99 && VA_SHARED == 0x10000000u &&
               SENTINEL == 0x5e5e5e5eu && MAGIC_CHILD == 0xc41d0badu, "fpu_entry's constants");

static CHILD void child_main(uint32_t arg)
{
    (void)arg;
    if (sec_arm() == 0) {
        SEC_XF[XF_PCT / 4] = (uint32_t)fpu_entry;
        SH[W_READY] = 1;
    }
    for (;;)
        sys_yield(-1);      /* nothing to do but wait to be called */
}

/* Our $f0: the first FP instruction since someone else had the FPU traps,
 * and ExOS takes the FPU back for us (SYS_FPU) before it is retried. */
static void set_f0(uint32_t v)
{
    __asm__ volatile(".set push\n\t.set hardfloat\n\tmtc1 %0, $f0\n\t.set pop" :: "r"(v));
}

static uint32_t get_f0(void)
{
    uint32_t v;
    __asm__ volatile(".set push\n\t.set hardfloat\n\tmfc1 %0, $f0\n\t.set pop" : "=r"(v));
    return v;
}

static int cpu_fault(uint32_t before, uint32_t after, uint32_t cause)
{
    return after == before + 1 && SEC_EXC(cause) == EXC_CPU;
}

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    int slot;

    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    int32_t cid = child_create(VA_SHARED, ppn, wcap, &slot);
    check(cid > 0 && child_start(cid, child_main, 0) == 0, "a raw child starts", "%ld",
          (long)cid);
    for (int i = 0; i < 1000 && !SH[W_READY]; i++)
        sys_yield(cid);

    uint32_t me = exos_envid();
    set_f0(MAGIC);
    check(get_f0() == MAGIC && AEGIS_EXPOSED->envs[me].fpu_loads >= 1,
          "we own the FPU, with our magic in $f0", "fpu_loads %lu",
          (unsigned long)AEGIS_EXPOSED->envs[me].fpu_loads);

    int32_t back = pct_call(cid, 1);
    check(back == cid && SH[W_ENTERED] == 1,
          "a synchronous PCT to the child: its entry ran and transferred back",
          "pct_call %ld, entered %lu", (long)back, (unsigned long)SH[W_ENTERED]);
    check(cpu_fault(SH[W_F0], SH[W_F1], SH[W_CAUSE1]) && SH[W_READ1] != MAGIC,
          "the callee cannot read the caller's $f0: coprocessor unusable",
          "read %08lx, %lu faults, cause %08lx", (unsigned long)SH[W_READ1],
          (unsigned long)(SH[W_F1] - SH[W_F0]), (unsigned long)SH[W_CAUSE1]);
    check(cpu_fault(SH[W_F1], SH[W_F2], SH[W_CAUSE2]),
          "the callee cannot write the caller's $f0: coprocessor unusable", "%lu faults",
          (unsigned long)(SH[W_F2] - SH[W_F1]));
    check(cpu_fault(SH[W_F2], SH[W_F3], SH[W_CAUSE3]) && SH[W_READ2] != MAGIC,
          "after a system call the callee still cannot use the FPU without SYS_FPU",
          "read %08lx, %lu faults", (unsigned long)SH[W_READ2],
          (unsigned long)(SH[W_F3] - SH[W_F2]));
    check(SH[W_FPU_RC] == 0 && SH[W_F4] == SH[W_F3] && SH[W_READ3] == 0,
          "after SYS_FPU the callee sees its own $f0 (zero), not ours",
          "SYS_FPU %ld, read %08lx, %lu faults", (long)SH[W_FPU_RC],
          (unsigned long)SH[W_READ3], (unsigned long)(SH[W_F4] - SH[W_F3]));
    uint32_t f0 = get_f0();
    check(f0 == MAGIC, "our $f0 still holds our magic afterwards", "$f0 = %08lx",
          (unsigned long)f0);
    child_end(cid);
    return tap_done();
}
