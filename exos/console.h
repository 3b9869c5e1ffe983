/*
 * console.h - the console as a device of ExOS's descriptor layer (fd.c):
 * the kernel's SYS_CPUTS and SYS_CGETC, with what a program expects of a
 * terminal around them.
 */
#ifndef EXOS_CONSOLE_H
#define EXOS_CONSOLE_H

#include <stddef.h>

/* Writes n bytes: n, or -1 if the buffer could not be read (EFAULT). */
int console_write(const void *buf, size_t n);

/* Reads one byte (n > 0), waiting until one is typed: 1. */
int console_read(void *buf, size_t n);

#endif /* EXOS_CONSOLE_H */
