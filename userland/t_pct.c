/*
 * t_pct - protected control transfer: 100,000 synchronous round trips to
 * a server environment, with the message in registers, and the errors.
 *
 * The server is a raw child whose PCT entry is two instructions: it adds
 * one to a0 and transfers back to whoever called (v1, set by the kernel).
 * The client (this program) sends a0 = i and a pattern in a1-a3, t0-t9 and
 * s4-s7, and checks on every return that a0 = i + 1 and that every other
 * register of the message came back as sent: through the kernel twice and
 * the server once, nothing was saved and nothing was touched.
 */
#include <stdint.h>

#include "child.h"
#include "tap.h"

#define VA_SHARED   0x10000000u
#define ROUNDS      100000

struct shared {
    volatile uint32_t ready;
    volatile uint32_t first_caller;
};

/* The server's PCT entry: reply a0 + 1, record the first caller. */
__asm__(
    "   .section child_text, \"ax\"\n"
    "   .set push\n   .set noreorder\n"
    "server_entry:\n"
    "   addiu $a0, $a0, 1\n"
    "   li    $v0, 0\n"                 /* SYS_PCT_ASYNC, back to v1 */
    "   syscall\n"
    "   .set pop\n   .text\n");
void server_entry(void);

/* A child that registers its frame but no PCT entry: it refuses. */
static CHILD void mute_main(uint32_t arg)
{
    struct shared *sh = (struct shared *)VA_SHARED;
    (void)arg;

    sh->ready = sys_xframe(EXOS_XF_VA) == 0 ? 2 : 3;
    for (;;)
        sys_yield(-1);
}

static CHILD void server_main(uint32_t arg)
{
    struct shared *sh = (struct shared *)VA_SHARED;
    (void)arg;

    if (sys_xframe(EXOS_XF_VA) == 0) {
        *(volatile uint32_t *)(EXOS_XF_VA + XF_PCT) = (uint32_t)server_entry;
        sh->ready = 1;
    }
    for (;;)
        sys_yield(-1);      /* nothing to do but wait to be called */
}

/*
 * n synchronous round trips to target; returns how many came back wrong.
 * Our own PCT entry is label 1 below; ExOS's frame is at 0x1000, so
 * xframe.pct_entry is 0x1010 and xframe.donate 0x1014.
 */
uint32_t pingpong(uint32_t target, uint32_t n);
__asm__(
    "   .text\n   .set push\n   .set noreorder\n   .set noat\n"
    "pingpong:\n"
    "   addiu $sp, $sp, -48\n"
    "   sw $s0, 0($sp)\n   sw $s1, 4($sp)\n   sw $s2, 8($sp)\n   sw $s3, 12($sp)\n"
    "   sw $s4, 16($sp)\n  sw $s5, 20($sp)\n  sw $s6, 24($sp)\n  sw $s7, 28($sp)\n"
    "   sw $ra, 32($sp)\n  sw $fp, 36($sp)\n  sw $gp, 40($sp)\n"
    "   la $at, 1f\n   sw $at, 0x1010($0)\n"     /* our PCT entry */
    "   move $s0, $a0\n   move $s1, $a1\n   move $s2, $0\n   move $s3, $0\n"
    "0: beqz $s1, 9f\n   nop\n"
    "   move $a0, $s3\n"
    "   li $a1, 0x11111111\n li $a2, 0x22222222\n li $a3, 0x33333333\n"
    "   li $t0, 0x40404040\n li $t1, 0x41414141\n li $t2, 0x42424242\n li $t3, 0x43434343\n"
    "   li $t4, 0x44444444\n li $t5, 0x45454545\n li $t6, 0x46464646\n li $t7, 0x47474747\n"
    "   li $t8, 0x48484848\n li $t9, 0x49494949\n"
    "   li $s4, 0x54545454\n li $s5, 0x55555555\n li $s6, 0x56565656\n li $s7, 0x57575757\n"
    "   move $v1, $s0\n"
    "   li $v0, 1\n"                     /* SYS_PCT_SYNC */
    "   syscall\n"
    "   b 8f\n   addiu $s2, $s2, 1\n"    /* came back from syscall: an error */
    "1: sw $0, 0x1014($0)\n"             /* entered again: donate no more */
    "   addiu $at, $s3, 1\n   bne $a0, $at, 7f\n   nop\n"
#define CHK(r, v) "   li $at, " #v "\n   bne " #r ", $at, 7f\n   nop\n"
    CHK($a1, 0x11111111) CHK($a2, 0x22222222) CHK($a3, 0x33333333)
    CHK($t0, 0x40404040) CHK($t1, 0x41414141) CHK($t2, 0x42424242) CHK($t3, 0x43434343)
    CHK($t4, 0x44444444) CHK($t5, 0x45454545) CHK($t6, 0x46464646) CHK($t7, 0x47474747)
    CHK($t8, 0x48484848) CHK($t9, 0x49494949)
    CHK($s4, 0x54545454) CHK($s5, 0x55555555) CHK($s6, 0x56565656) CHK($s7, 0x57575757)
    "   b 8f\n   nop\n"
    "7: addiu $s2, $s2, 1\n"
    "8: addiu $s3, $s3, 1\n   addiu $s1, $s1, -1\n   b 0b\n   nop\n"
    "9: sw $0, 0x1010($0)\n"             /* refuse transfers again */
    "   move $v0, $s2\n"
    "   lw $s0, 0($sp)\n   lw $s1, 4($sp)\n   lw $s2, 8($sp)\n   lw $s3, 12($sp)\n"
    "   lw $s4, 16($sp)\n  lw $s5, 20($sp)\n  lw $s6, 24($sp)\n  lw $s7, 28($sp)\n"
    "   lw $ra, 32($sp)\n  lw $fp, 36($sp)\n  lw $gp, 40($sp)\n"
    "   jr $ra\n   addiu $sp, $sp, 48\n"
    "   .set pop\n");

/* One PCT attempt that must fail: returns the error the kernel gave. */
static int32_t pct_once(uint32_t target)
{
    register uint32_t v0 __asm__("v0") = SYS_PCT_SYNC;
    register uint32_t v1 __asm__("v1") = target;
    __asm__ volatile("syscall" : "+r"(v0), "+r"(v1) :: "memory", "a0", "a1", "a2", "a3");
    return (int32_t)v0;
}

int main(void)
{
    uint32_t wcap = 0;
    int32_t ppn = 0;
    struct shared *sh = (struct shared *)VA_SHARED;
    int slot;

    check(child_shared_page(VA_SHARED, &ppn, &wcap), "a shared page", "-");
    int32_t server = child_create(VA_SHARED, ppn, wcap, &slot);
    check(server > 0 && child_start(server, server_main, 0) == 0, "a server environment starts",
          "%ld", (long)server);
    while (!sh->ready)
        sys_yield(server);

    uint32_t bad = pingpong(server, ROUNDS);
    check(bad == 0, "100000 synchronous round trips, message intact in 21 registers",
          "%lu came back wrong", (unsigned long)bad);

    check(pct_once(60) == -E_NOENV, "PCT to an environment that does not exist: E_NOENV", "-");
    check(pct_once(1000) == -E_NOENV, "PCT to an envid out of range: E_NOENV", "-");
    check(pct_once(0) == -E_NOENV, "PCT to envid 0: E_NOENV", "-");
    int32_t mute = child_create(VA_SHARED, ppn, wcap, &slot);
    check(pct_once(mute) == -E_NOENV, "PCT to an environment not started yet: E_NOENV", "-");
    sh->ready = 0;
    child_start(mute, mute_main, 0);
    while (sh->ready == 0)
        sys_yield(mute);
    check(sh->ready == 2 && pct_once(mute) == -E_BUSY,
          "PCT to an environment that refuses (no entry): E_BUSY", "ready %lu",
          (unsigned long)sh->ready);
    child_end(mute);
    check(pct_once(mute) == -E_NOENV, "PCT to a destroyed environment: E_NOENV", "-");
    child_end(server);
    return tap_done();
}
