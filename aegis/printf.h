/*
 * printf.h - the kernel's formatted output.
 *
 * kvformat() is the whole formatter; it knows nothing about devices and
 * hands each character to a callback, so the same code prints on the
 * console (kprintf, console.c) and into memory (ksnprintf), and is unit
 * tested on the host (test/host/test_printf.c).
 *
 * Conversions: %d %i %u %x %X %p %s %c %%, with the flag '-' (left-justify)
 * or '0' (pad with zeros) and a decimal field width, e.g. "%08x" or "%-12s".
 * An 'l' length modifier is accepted and ignored (int and long are both
 * 32 bits on o32).  %p prints "0x" and eight hex digits.  An unknown
 * conversion is printed as-is, so a typo shows up on the console instead of
 * consuming an argument.
 */
#ifndef AEGIS_PRINTF_H
#define AEGIS_PRINTF_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*putc_fn)(char c, void *arg);

/* Formats fmt with ap, calling put(c, arg) per character; returns the count. */
int kvformat(putc_fn put, void *arg, const char *fmt, va_list ap);

/* Like snprintf: always NUL-terminates when n > 0; returns the full length. */
int ksnprintf(char *buf, size_t n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Prints on the console (console.c). */
int kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int kvprintf(const char *fmt, va_list ap);

#endif /* AEGIS_PRINTF_H */
