/*
 * malta.h - addresses of the Malta board devices Aegis touches.
 * Facts checked on QEMU 7.2 (../shared/PLATFORM.md); all are reached
 * through KSEG1 so that device registers are never cached.
 */
#ifndef AEGIS_MALTA_H
#define AEGIS_MALTA_H

/* The PIIX4's 16550 UART (COM1), the one QEMU connects to -serial. */
#define MALTA_UART_BASE     0xb80003f8
#define MALTA_UART_CLOCK    1843200     /* 16550 input clock, Hz */

/* Writing GORESET_VALUE here resets the board; QEMU exits under -no-reboot. */
#define MALTA_GORESET       0xbf000500
#define MALTA_GORESET_VALUE 0x42

/* The largest RAM reachable at physical 0 (the rest sits above the I/O hole). */
#define MALTA_LOW_RAM_MAX   (256u << 20)

#endif /* AEGIS_MALTA_H */
