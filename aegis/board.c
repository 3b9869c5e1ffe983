/*
 * board.c - machine-level stop for the Malta.
 */
#include "board.h"

#include <stdint.h>

#include "malta.h"

void board_halt(void)
{
    *(volatile uint32_t *)MALTA_GORESET = MALTA_GORESET_VALUE;
    /* The reset is not instantaneous in every emulator: wait for it. */
    for (;;)
        __asm__ volatile("wait");
}
