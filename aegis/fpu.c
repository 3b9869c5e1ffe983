/*
 * fpu.c - lazy FPU switching (see fpu.h).  The kernel is compiled with
 * -msoft-float and never uses the FPU itself; these two routines are the
 * only kernel code that touches its registers, with CU1 enabled just for
 * the copy.
 */
#include "fpu.h"

#include <stddef.h>

#include "env.h"
#include "exposed.h"
#include "mips.h"

static struct env *owner;           /* whose registers are in the FPU */

/* Runs the copy with the FPU usable in kernel mode, then disables it. */
#define WITH_CU1(body) do {                                     \
        uint32_t st_ = mfc0(C0_STATUS, 0);                      \
        mtc0(C0_STATUS, 0, st_ | ST_CU1);                       \
        body;                                                   \
        mtc0(C0_STATUS, 0, st_);                                \
    } while (0)

#define FPR(op, n) #op " $f" #n ", " #n "*4(%0)\n\t"
#define ALL(op) FPR(op, 0) FPR(op, 1) FPR(op, 2) FPR(op, 3) FPR(op, 4) FPR(op, 5) \
    FPR(op, 6) FPR(op, 7) FPR(op, 8) FPR(op, 9) FPR(op, 10) FPR(op, 11) FPR(op, 12) \
    FPR(op, 13) FPR(op, 14) FPR(op, 15) FPR(op, 16) FPR(op, 17) FPR(op, 18) FPR(op, 19) \
    FPR(op, 20) FPR(op, 21) FPR(op, 22) FPR(op, 23) FPR(op, 24) FPR(op, 25) FPR(op, 26) \
    FPR(op, 27) FPR(op, 28) FPR(op, 29) FPR(op, 30) FPR(op, 31)

static void save(struct fpu_state *s)
{
    WITH_CU1(__asm__ volatile(".set push\n\t.set hardfloat\n\t" ALL(swc1)
                              "cfc1 $8, $31\n\tsw $8, 128(%0)\n\t.set pop"
                              :: "r"(s->fpr) : "$8", "memory"));
}

static void load(const struct fpu_state *s)
{
    WITH_CU1(__asm__ volatile(".set push\n\t.set hardfloat\n\t" ALL(lwc1)
                              "lw $8, 128(%0)\n\tctc1 $8, $31\n\t.set pop"
                              :: "r"(s->fpr) : "$8", "memory"));
}

void fpu_acquire(struct env *e)
{
    if (owner != e) {
        if (owner != NULL) {
            save(&owner->fpu);
            owner->tf.status &= ~ST_CU1;    /* its next FP use will ask again */
        }
        load(&e->fpu);
        owner = e;
        e->info->fpu_loads++;
        kexposed.stats.fpu_switches++;
    }
    e->tf.status |= ST_CU1;
}

void fpu_forget(struct env *e)
{
    if (owner == e)
        owner = NULL;
}
