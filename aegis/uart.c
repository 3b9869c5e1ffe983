/*
 * uart.c - polled 16550 driver (register layout from the 16550 data sheet;
 * the Malta wires it with a register stride of one byte).
 */
#include "uart.h"

#include <stdint.h>

#include "malta.h"

/* Register offsets.  With LCR.DLAB set, offsets 0 and 1 are the divisor. */
#define RBR     0   /* receive buffer (read) */
#define THR     0   /* transmit holding (write) */
#define DLL     0   /* divisor latch, low byte (DLAB=1) */
#define IER     1   /* interrupt enable */
#define DLM     1   /* divisor latch, high byte (DLAB=1) */
#define FCR     2   /* FIFO control (write) */
#define LCR     3   /* line control */
#define MCR     4   /* modem control */
#define LSR     5   /* line status */

#define LCR_8N1     0x03
#define LCR_DLAB    0x80
#define FCR_ENABLE  0x07    /* enable and clear both FIFOs */
#define MCR_DTR_RTS 0x03
#define LSR_DR      0x01    /* data ready */
#define LSR_THRE    0x20    /* transmit holding register empty */

#define BAUD        115200

static volatile uint8_t *const uart = (volatile uint8_t *)MALTA_UART_BASE;

/*
 * QEMU's 16550 works without any of this, but real hardware (and an honest
 * driver) sets the line format: 115200 baud, 8 data bits, no parity, 1 stop
 * bit, FIFOs on, no interrupts (we poll).
 */
void uart_init(void)
{
    unsigned div = MALTA_UART_CLOCK / (16 * BAUD);

    uart[IER] = 0;
    uart[LCR] = LCR_DLAB;
    uart[DLL] = div & 0xff;
    uart[DLM] = div >> 8;
    uart[LCR] = LCR_8N1;
    uart[FCR] = FCR_ENABLE;
    uart[MCR] = MCR_DTR_RTS;
}

void uart_putc(char c)
{
    while ((uart[LSR] & LSR_THRE) == 0)
        ;
    uart[THR] = (uint8_t)c;
}

int uart_getc(void)
{
    if ((uart[LSR] & LSR_DR) == 0)
        return -1;
    return uart[RBR];
}
