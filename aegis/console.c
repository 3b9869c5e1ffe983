/*
 * console.c - kernel console output: kprintf on the UART.
 * A terminal wants "\r\n"; the kernel writes "\n" and this file adds the "\r".
 */
#include "printf.h"
#include "uart.h"

static void console_put(char c, void *arg)
{
    (void)arg;
    if (c == '\n')
        uart_putc('\r');
    uart_putc(c);
}

int kvprintf(const char *fmt, va_list ap)
{
    return kvformat(console_put, NULL, fmt, ap);
}

int kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    int n = kvprintf(fmt, ap);
    va_end(ap);
    return n;
}
