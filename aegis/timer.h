/*
 * timer.h - the CP0 Count/Compare timer.
 *
 * Count advances at a fixed rate; when it equals Compare the CPU raises
 * interrupt 7 (IntCtl.IPTI on the 24Kf).  Each interrupt is one tick: the
 * handler counts it and sets Compare one interval ahead.  Later issues step
 * the time-slice vector on each tick.
 *
 * Rate: QEMU's Malta advances Count once per 6 ns of virtual time
 * (../shared/PLATFORM.md); under -icount shift=0 that is one Count tick per
 * 6 guest instructions, so a tick is a fixed number of instructions and
 * everything the timer drives is deterministic.
 */
#ifndef AEGIS_TIMER_H
#define AEGIS_TIMER_H

#include <stdint.h>

#define TIMER_IRQ           7           /* Cause.IP7 / Status.IM7 */
#define COUNT_NS            6           /* ns of virtual time per Count tick */
#define TIMER_DEFAULT_US    10000       /* default tick: 10 ms */

/* Ticks since timer_init. */
extern volatile uint32_t timer_ticks;

/* Starts ticking every tick_us microseconds (at least 1) and unmasks IM7.
 * Interrupts themselves are enabled by the caller (Status.IE). */
void timer_init(uint32_t tick_us);

/* The interval between ticks, in Count ticks. */
uint32_t timer_interval(void);

/* Called by trap() on interrupt 7: counts the tick and arms the next one
 * an interval later (the scheduler may re-arm it with timer_arm). */
void timer_interrupt(void);

/* The next interrupt comes `count` Count ticks from now instead. */
void timer_arm(uint32_t count);

#endif /* AEGIS_TIMER_H */
