/*
 * timer.c - tick counting on Count/Compare (see timer.h).
 */
#include "timer.h"

#include "mips.h"

volatile uint32_t timer_ticks;
static uint32_t interval;      /* Count ticks per timer tick */

void timer_init(uint32_t tick_us)
{
    if (tick_us == 0)
        tick_us = 1;
    interval = tick_us * 1000u / COUNT_NS;
    timer_ticks = 0;
    mtc0(C0_COMPARE, 0, mfc0(C0_COUNT, 0) + interval);
    mtc0(C0_STATUS, 0, mfc0(C0_STATUS, 0) | ST_IM(TIMER_IRQ));
}

uint32_t timer_interval(void)
{
    return interval;
}

/*
 * Writing Compare acknowledges the interrupt.  The next deadline is counted
 * from the previous one, not from now, so the handler's own latency does not
 * make the clock drift.  If we have fallen more than a whole interval behind
 * (a debugger stopped the CPU, say) we skip ahead rather than take a burst
 * of back-to-back interrupts.
 */
void timer_interrupt(void)
{
    uint32_t next = mfc0(C0_COMPARE, 0) + interval;
    uint32_t now = mfc0(C0_COUNT, 0);

    if ((int32_t)(next - now) <= 0)
        next = now + interval;
    mtc0(C0_COMPARE, 0, next);
    timer_ticks++;
}

void timer_arm(uint32_t count)
{
    mtc0(C0_COMPARE, 0, mfc0(C0_COUNT, 0) + (count ? count : 1));
}
