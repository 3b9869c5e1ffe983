/*
 * uart.h - polled driver for the Malta's 16550 UART.
 *
 * Polled, not interrupt-driven: the kernel prints only banners, reports and
 * panics, and a panic must be able to print with interrupts off.  Input is
 * handed to environments by a system call (a later issue) that polls too.
 */
#ifndef AEGIS_UART_H
#define AEGIS_UART_H

void uart_init(void);

/* Waits until the transmitter has room, then sends c. */
void uart_putc(char c);

/* Returns the next received byte, or -1 at once if none is waiting. */
int uart_getc(void);

#endif /* AEGIS_UART_H */
