/*
 * capkey.h - the boot-time secret that every capability derives from.
 *
 * Capabilities (physmem.h) are SipHash-2-4 of what they name under this
 * key, so the key is the one secret the protection of physical memory
 * rests on: whoever knows it can compute the capability of any page in any
 * generation and bind it, read-write.  It lives in kernel memory only.
 *
 * Where it comes from, in order:
 *  1. `capkey=<32 hex digits>` on the kernel command line: a fixed key, for
 *     runs that must be reproducible bit for bit (and for the host to pass
 *     a key drawn from its own /dev/urandom, as `make run` does).  The
 *     digits are wiped from the command line once read, so the console's
 *     echo of it shows `capkey=` followed by x's.
 *  2. Otherwise the machine's entropy, such as it is: the Malta has no
 *     random-number device, so the key mixes the PIIX4's real-time clock
 *     (the host's wall clock, to the second) with the Count and Random
 *     registers.  Under `-icount` the latter two are the same on every
 *     boot, so such a key is only as unguessable as the boot's time of
 *     day: docs/security.md says what that means.
 */
#ifndef AEGIS_CAPKEY_H
#define AEGIS_CAPKEY_H

#include "siphash.h"

/* Fills *key as above from cmdline (whose capkey= digits it wipes);
 * returns a word saying where the key came from, for the console. */
const char *capkey_init(struct siphash_key *key, char *cmdline);

#endif /* AEGIS_CAPKEY_H */
