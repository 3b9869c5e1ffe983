/*
 * t_sec_regs - a new environment starts with nothing of its slot's last
 * occupant.
 *
 * kernel-args: slices=4 tick_us=500
 *
 * Environment slots are reused (env_alloc takes the lowest free one), and
 * with them the kernel's record of the registers.  Whatever the last
 * occupant left there and the newcomer can read at its first instruction
 * is a channel between two environments that never shared anything: the
 * general registers, HI and LO, and the FPU (its registers and FCSR, and
 * whether it is enabled at all: Status.CU1).
 *
 * The attack: a raw child takes the FPU (SYS_FPU), fills its 32 registers
 * and FCSR with magic numbers, then HI, LO and every general register it
 * can, and spins.  We let it be preempted by a timer tick (so the kernel
 * saved all of it), kill it and reap it, and create a second child, which
 * gets the same envid.  Its first instructions (assembly, stack-less)
 * store every register, HI and LO in its frame page; then it checks that
 * an FP instruction traps (CpU), takes the FPU and reads its registers and
 * FCSR.  All must be zero (a0 and sp are what we started it with).
 */
#include <stdint.h>

#include "mips.h"
#include "sec.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define GPR_MAGIC   0xa5a50000       /* | register number */
#define FPR_MAGIC   0xf0f00000       /* | register number */
#define HI_MAGIC    0x48494849
#define LO_MAGIC    0x4c4f4c4f
#define FCSR_MAGIC  0x0080007e      /* FCC0, flags, rounding toward +inf */
#define SENTINEL    0x5e5e5e5e
#define REC         0x1100          /* the second child's first stores, in page 1 */

struct shared {
    volatile uint32_t c1_fpu_rc, c1_f31, c1_fcsr, c1_ready;
    volatile uint32_t regs[32], hi, lo;     /* the second child at its entry */
    volatile uint32_t faults, cause, probe_fcsr;
    volatile int32_t fpu_rc;
    volatile uint32_t fpr[32], fcsr;
    volatile uint32_t done;
};
#define SHP ((struct shared *)VA_SHARED)

#define S_(x)   #x
#define S(x)    S_(x)

/* The first child's last act: HI, LO and every register it may set,
 * magic, then spin (the ready word first: s0 is not magic until after).
 * k0/k1 are the kernel's; sp too is set: nothing here needs a stack. */
#define SET(r)  "   li    $" #r ", " S(GPR_MAGIC) " | " #r "\n"
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n   .set noat\n"
    "c1_final:\n"
    "   lui   $t0, 0x1000\n"            /* VA_SHARED */
    "   li    $t1, 1\n"
    "   sw    $t1, 12($t0)\n"           /* c1_ready */
    "   li    $t0, " S(HI_MAGIC) "\n"
    "   mthi  $t0\n"
    "   li    $t0, " S(LO_MAGIC) "\n"
    "   mtlo  $t0\n"
    SET(1) SET(2) SET(3) SET(4) SET(5) SET(6) SET(7) SET(8) SET(9) SET(10) SET(11)
    SET(12) SET(13) SET(14) SET(15) SET(16) SET(17) SET(18) SET(19) SET(20) SET(21)
    SET(22) SET(23) SET(24) SET(25) SET(28) SET(29) SET(30) SET(31)
    "1: b     1b\n"
    "   nop\n"
    "   .set pop\n   .text\n");
void c1_final(void) __attribute__((noreturn));
_Static_assert(__builtin_offsetof(struct shared, c1_ready) == 12, "c1_final's offset");

/* The second child's entry: every register into page 1, before anything. */
#define REC_R(r) "   sw    $" #r ", " S(REC) " + 4 * " #r "($0)\n"
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n   .set noat\n"
    "c2_entry:\n"
    REC_R(1) REC_R(2) REC_R(3) REC_R(4) REC_R(5) REC_R(6) REC_R(7) REC_R(8) REC_R(9)
    REC_R(10) REC_R(11) REC_R(12) REC_R(13) REC_R(14) REC_R(15) REC_R(16) REC_R(17)
    REC_R(18) REC_R(19) REC_R(20) REC_R(21) REC_R(22) REC_R(23) REC_R(24) REC_R(25)
    REC_R(26) REC_R(27) REC_R(28) REC_R(29) REC_R(30) REC_R(31)
    "   mfhi  $t0\n"
    "   sw    $t0, " S(REC) " + 128($0)\n"
    "   mflo  $t0\n"
    "   sw    $t0, " S(REC) " + 132($0)\n"
    "   j     c2_main\n"
    "   nop\n"
    "   .set pop\n   .text\n");
void c2_entry(void);

#define FSET(n) "   ori   $t0, $t1, " #n "\n   mtc1  $t0, $f" #n "\n"
static CHILD void c1_main(uint32_t arg)
{
    struct shared *sh = SHP;
    uint32_t f31, fcsr;
    (void)arg;

    sh->c1_fpu_rc = sys_fpu();
    __asm__ volatile(
        ".set push\n.set hardfloat\n.set oddspreg\n"
        "   li    $t1, " S(FPR_MAGIC) "\n"
        FSET(0) FSET(1) FSET(2) FSET(3) FSET(4) FSET(5) FSET(6) FSET(7) FSET(8) FSET(9)
        FSET(10) FSET(11) FSET(12) FSET(13) FSET(14) FSET(15) FSET(16) FSET(17) FSET(18)
        FSET(19) FSET(20) FSET(21) FSET(22) FSET(23) FSET(24) FSET(25) FSET(26) FSET(27)
        FSET(28) FSET(29) FSET(30) FSET(31)
        "   li    $t0, " S(FCSR_MAGIC) "\n"
        "   ctc1  $t0, $31\n"
        "   mfc1  %0, $f31\n"
        "   cfc1  %1, $31\n"
        ".set pop\n" : "=r"(f31), "=r"(fcsr) :: "t0", "t1");
    sh->c1_f31 = f31, sh->c1_fcsr = fcsr;
    c1_final();
}

#define FGET(n) "   mfc1  $t0, $f" #n "\n   sw    $t0, " #n "*4(%0)\n"
CHILD void c2_main(void)
{
    struct shared *sh = SHP;
    volatile uint32_t *rec = (uint32_t *)(EXOS_XF_VA + (REC - 0x1000));
    uint32_t v;

    for (int r = 0; r < 32; r++)
        sh->regs[r] = r == 0 ? 0 : rec[r];
    sh->hi = rec[32], sh->lo = rec[33];
    if (sec_arm() != 0)
        sys_env_destroy(0, 0);
    /* Without SYS_FPU, the FPU must not be ours: both probes trap. */
    __asm__ volatile(".set push\n.set noreorder\n.set hardfloat\n.set oddspreg\n"
                     "   li    %0, " S(SENTINEL) "\n"
                     "   cfc1  %0, $31\n"
                     "   nop\n"
                     "   mfc1  %0, $f0\n"
                     "   nop\n"
                     ".set pop\n" : "=&r"(v));
    sh->probe_fcsr = v;
    sh->faults = SEC_XF[SEC_REC_COUNT];
    sh->cause = SEC_XF[SEC_REC_CAUSE];
    sh->fpu_rc = sys_fpu();
    __asm__ volatile(".set push\n.set hardfloat\n.set oddspreg\n"
                     FGET(0) FGET(1) FGET(2) FGET(3) FGET(4) FGET(5) FGET(6) FGET(7) FGET(8)
                     FGET(9) FGET(10) FGET(11) FGET(12) FGET(13) FGET(14) FGET(15) FGET(16)
                     FGET(17) FGET(18) FGET(19) FGET(20) FGET(21) FGET(22) FGET(23) FGET(24)
                     FGET(25) FGET(26) FGET(27) FGET(28) FGET(29) FGET(30) FGET(31)
                     "   cfc1  $t0, $31\n"
                     "   sw    $t0, 128(%0)\n"
                     ".set pop\n" :: "r"(sh->fpr) : "t0", "memory");
    sh->done = 1;
    sys_env_destroy(0, 0);
}
_Static_assert(__builtin_offsetof(struct shared, fcsr) ==
               __builtin_offsetof(struct shared, fpr) + 128, "c2_main's FCSR store");

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct shared *sh = SHP;
    int slot;

    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    int32_t c1 = child_create(VA_SHARED, ppn, wcap, &slot);
    int ok = c1 > 0 && sys_slice_alloc(0, 0) == 0 && child_start(c1, c1_main, 0) == 0;
    for (int i = 0; ok && i < 100 && !sh->c1_ready; i++)
        sys_yield(c1);
    check(ok && sh->c1_ready && sh->c1_fpu_rc == 0 && sh->c1_f31 == (FPR_MAGIC | 31) &&
          sh->c1_fcsr == FCSR_MAGIC && AEGIS_EXPOSED->envs[c1].fpu_loads >= 1,
          "the first child took the FPU and filled its registers and FCSR",
          "ready %lu, SYS_FPU %ld, $f31 %08lx, FCSR %08lx", (unsigned long)sh->c1_ready,
          (long)sh->c1_fpu_rc, (unsigned long)sh->c1_f31, (unsigned long)sh->c1_fcsr);

    /* Once more to the spinner, until a tick preempts it: the kernel then
     * holds every register it set. */
    uint32_t ticks = AEGIS_EXPOSED->stats.ticks;
    for (int i = 0; i < 4 && AEGIS_EXPOSED->stats.ticks == ticks; i++)
        sys_yield(c1);
    int32_t killed = sys_env_destroy(c1, 0), reaped = sys_env_reap(c1);
    int32_t c2 = child_create(VA_SHARED, ppn, wcap, &slot);
    uint32_t sp = CHILD_STACK + PAGE_SIZE - 16;
    check(AEGIS_EXPOSED->stats.ticks != ticks && killed == 0 && reaped == 0 && c2 == c1 &&
          sys_env_start(c2, (uint32_t)c2_entry, sp, 0) == 0,
          "it is killed after a tick; a second child gets its envid",
          "kill %ld, reap %ld, second %ld", (long)killed, (long)reaped, (long)c2);
    for (int i = 0; i < 100 && !sh->done; i++)
        sys_yield(c2);
    check(sh->done, "the second child ran", "-");

    int bad = -1;
    for (int r = 1; r < 32 && bad < 0; r++) {
        uint32_t want = r == 29 ? sp : 0;   /* sp as given; a0 = our 0 */
        if (r != 26 && r != 27 && sh->regs[r] != want)
            bad = r;
    }
    check(bad < 0, "its general registers start at zero (sp as given)", "$%d = %08lx", bad,
          bad < 0 ? 0ul : (unsigned long)sh->regs[bad]);
    check(sh->hi == 0 && sh->lo == 0, "HI and LO start at zero", "HI %08lx, LO %08lx",
          (unsigned long)sh->hi, (unsigned long)sh->lo);
    check(sh->faults == 2 && SEC_EXC(sh->cause) == EXC_CPU && sh->probe_fcsr == SENTINEL,
          "the FPU is not enabled at start (Status.CU1 clear): CpU",
          "%lu faults, cause %08lx, FCSR read %08lx", (unsigned long)sh->faults,
          (unsigned long)sh->cause, (unsigned long)sh->probe_fcsr);
    int nz = -1;
    for (int r = 0; r < 32 && nz < 0; r++)
        if (sh->fpr[r] != 0)
            nz = r;
    check(sh->fpu_rc == 0 && nz < 0 && sh->fcsr == 0,
          "after SYS_FPU its FPU registers and FCSR are zero",
          "SYS_FPU %ld, $f%d = %08lx, FCSR %08lx", (long)sh->fpu_rc, nz,
          nz < 0 ? 0ul : (unsigned long)sh->fpr[nz], (unsigned long)sh->fcsr);
    sys_env_reap(c2);
    return tap_done();
}
