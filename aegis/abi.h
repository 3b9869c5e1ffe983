/*
 * abi.h - the kernel's contract with library operating systems.
 *
 * This is the one header that both aegis/ (the kernel) and exos/ (the
 * library OS) include: everything an environment may rely on is defined
 * here and nowhere else.  docs/kernel-interface.md explains it.
 *
 * So far it holds the error codes; system calls, exposed tables and the
 * exception frame join it as the kernel grows.
 */
#ifndef AEGIS_ABI_H
#define AEGIS_ABI_H

/* Error codes.  Kernel functions and system calls return them negated. */
#define E_INVAL     1   /* an argument is out of range or malformed */
#define E_PERM      2   /* the caller does not own what it names */
#define E_BUSY      3   /* the resource is owned by someone else */
#define E_NOMEM     4   /* no free resource of that kind */

#endif /* AEGIS_ABI_H */
