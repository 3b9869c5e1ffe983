/*
 * t_sec_lean - a system call leaves no kernel value in a register.
 *
 * The lean system-call path (aegis/vectors.S) runs a call's C handler
 * without saving the caller's scratch registers, and the handler may leave
 * anything in them: pointers into the kernel, another environment's
 * capabilities it compared against.  So the path clears every register the
 * o32 contract lets a call change (at, a0-a3, t0-t9, hi, lo, k0, k1) before
 * it returns, and the callee-saved ones (s0-s7, gp, sp, fp, ra) come back
 * as they were.  This test fills every register with a marker, makes lean
 * calls that succeed and fail (a capability check that fails compares
 * against the page's real capability), and checks each register after.
 */
#include <stdint.h>

#include "exos.h"
#include "sys.h"
#include "tap.h"

/* Registers after a call, as the assembly below stores them. */
struct after {
    uint32_t r[32];
    uint32_t hi, lo;
};

/* The call to make (lean_probe's input) and the registers after it. */
struct probe_in {
    uint32_t num, a0, a1;
};
struct probe_in lean_in;
struct after lean_out;

/*
 * lean_probe(): sets every general register but zero, k0, k1, gp and sp to
 * 0x5eed0000 + n (hi and lo too), makes system call lean_in.num with a0,
 * a1 from lean_in, and stores every register into lean_out.  A function of
 * its own, in assembly, because it uses every register (C could not give
 * an asm statement any).  It saves what o32 makes it keep.  A timer tick
 * between the call and the stores goes through the kernel's full path,
 * which restores the program's own values: markers may survive there only
 * in registers the call must preserve anyway.
 */
void lean_probe(void);
__asm__(
    "   .text\n   .globl lean_probe\n   .ent lean_probe\n"
    "   .set push\n   .set noreorder\n   .set noat\n"
    "lean_probe:\n"
    "   addiu $sp, $sp, -48\n"
    "   sw    $16, 0($sp)\n  sw    $17, 4($sp)\n  sw    $18, 8($sp)\n"
    "   sw    $19, 12($sp)\n sw    $20, 16($sp)\n sw    $21, 20($sp)\n"
    "   sw    $22, 24($sp)\n sw    $23, 28($sp)\n sw    $30, 32($sp)\n"
    "   sw    $31, 36($sp)\n sw    $28, 40($sp)\n"
    "   la    $8, lean_in\n"
    "   lw    $2, 0($8)\n   lw    $4, 4($8)\n   lw    $5, 8($8)\n"
    "   li    $1, 0x5eed0001\n"
    "   li    $6, 0x5eed0006\n   li    $7, 0x5eed0007\n"
    "   li    $8, 0x5eed0008\n   li    $9, 0x5eed0009\n   li    $10, 0x5eed000a\n"
    "   li    $11, 0x5eed000b\n  li    $12, 0x5eed000c\n  li    $13, 0x5eed000d\n"
    "   li    $14, 0x5eed000e\n  li    $15, 0x5eed000f\n  li    $16, 0x5eed0010\n"
    "   li    $17, 0x5eed0011\n  li    $18, 0x5eed0012\n  li    $19, 0x5eed0013\n"
    "   li    $20, 0x5eed0014\n  li    $21, 0x5eed0015\n  li    $22, 0x5eed0016\n"
    "   li    $23, 0x5eed0017\n  li    $24, 0x5eed0018\n  li    $25, 0x5eed0019\n"
    "   li    $30, 0x5eed001e\n  li    $31, 0x5eed001f\n"
    "   mthi  $24\n   mtlo  $25\n"
    "   syscall\n"
    "   la    $28, lean_out\n"       /* gp as the base: it is restored below */
    "   sw    $1, 4($28)\n   sw    $2, 8($28)\n   sw    $3, 12($28)\n"
    "   sw    $4, 16($28)\n  sw    $5, 20($28)\n  sw    $6, 24($28)\n"
    "   sw    $7, 28($28)\n  sw    $8, 32($28)\n  sw    $9, 36($28)\n"
    "   sw    $10, 40($28)\n sw    $11, 44($28)\n sw    $12, 48($28)\n"
    "   sw    $13, 52($28)\n sw    $14, 56($28)\n sw    $15, 60($28)\n"
    "   sw    $16, 64($28)\n sw    $17, 68($28)\n sw    $18, 72($28)\n"
    "   sw    $19, 76($28)\n sw    $20, 80($28)\n sw    $21, 84($28)\n"
    "   sw    $22, 88($28)\n sw    $23, 92($28)\n sw    $24, 96($28)\n"
    "   sw    $25, 100($28)\n sw   $26, 104($28)\n sw   $27, 108($28)\n"
    "   sw    $30, 120($28)\n sw   $31, 124($28)\n"
    "   mfhi  $8\n   sw    $8, 128($28)\n"
    "   mflo  $8\n   sw    $8, 132($28)\n"
    "   lw    $16, 0($sp)\n  lw    $17, 4($sp)\n  lw    $18, 8($sp)\n"
    "   lw    $19, 12($sp)\n lw    $20, 16($sp)\n lw    $21, 20($sp)\n"
    "   lw    $22, 24($sp)\n lw    $23, 28($sp)\n lw    $30, 32($sp)\n"
    "   lw    $31, 36($sp)\n lw    $28, 40($sp)\n"
    "   jr    $31\n"
    "   addiu $sp, $sp, 48\n"
    "   .set pop\n   .end lean_probe\n");

static void call_and_dump(uint32_t num, uint32_t a0, uint32_t a1, struct after *out)
{
    lean_in = (struct probe_in){ num, a0, a1 };
    lean_probe();
    *out = lean_out;
}

/* Registers the call may change (but v0, v1: its results). */
static const int scratch[] = { 1, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27 };
/* Registers the call must preserve (gp and sp are the test's own). */
static const int kept[] = { 16, 17, 18, 19, 20, 21, 22, 23, 30, 31 };

/* What the program itself put in register n before the call. */
static uint32_t put(int n, uint32_t a0, uint32_t a1)
{
    return n == 4 ? a0 : n == 5 ? a1 : n == 26 || n == 27 ? 0 : 0x5eed0000u + n;
}

/*
 * One call.  lean: every scratch register must come back zero (the kernel
 * ran C code).  Otherwise (a number no call has, refused at the vector:
 * no C runs) each may also still hold what the program put there, and k0
 * and k1 no kernel address.  Either way the callee-saved registers are as
 * set, hi and lo hold nothing of the kernel's, and v0 is want.
 */
static void one(const char *name, int lean, uint32_t num, uint32_t a0, uint32_t a1, int32_t want)
{
    static struct after out;
    int bad_scratch = -1, bad_kept = -1;

    call_and_dump(num, a0, a1, &out);
    for (unsigned i = 0; i < sizeof scratch / sizeof scratch[0]; i++) {
        int n = scratch[i];
        uint32_t v = out.r[n];
        int ok = v == 0 || (!lean && (n >= 26 ? v < 0x80000000u || v >= 0xc0000000u
                                               : v == put(n, a0, a1)));
        if (!ok && bad_scratch < 0)
            bad_scratch = n;
    }
    for (unsigned i = 0; i < sizeof kept / sizeof kept[0]; i++)
        if (out.r[kept[i]] != 0x5eed0000u + kept[i] && bad_kept < 0)
            bad_kept = kept[i];
    int hilo = lean ? out.hi == 0 && out.lo == 0
                    : (out.hi == 0 || out.hi == 0x5eed0018u) && (out.lo == 0 || out.lo == 0x5eed0019u);
    check((int32_t)out.r[2] == want && bad_scratch < 0 && hilo && bad_kept < 0,
          name, "v0 %ld (want %ld), first scratch register wrong: $%d = %08lx, hi %08lx lo %08lx, "
          "first callee-saved changed: $%d", (long)(int32_t)out.r[2], (long)want, bad_scratch,
          bad_scratch < 0 ? 0ul : (unsigned long)out.r[bad_scratch], (unsigned long)out.hi,
          (unsigned long)out.lo, bad_kept);
}

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = sys_page_alloc(-1, &wcap);

    check(ppn > 0, "a page of ours", "%ld", (long)ppn);
    one("a lean call that fails a capability check clears every scratch register", 1,
        SYS_PAGE_RCAP, (uint32_t)ppn, wcap ^ 1, -E_BADCAP);
    one("a lean call that succeeds clears them too (v1 holds its result)", 1, SYS_PAGE_RCAP,
        (uint32_t)ppn, wcap, 0);
    one("a lean call refused at its first check clears them", 1, SYS_PAGE_RCAP, 0xffffffffu, 0,
        -E_INVAL);
    one("a number no call has (E_NOSYS at the vector) leaves only the program's own values", 0,
        99, 0, 0, -E_NOSYS);
    return tap_done();
}
