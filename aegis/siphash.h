/*
 * siphash.h - SipHash-2-4, a keyed pseudorandom function (PRF) on short
 * messages: J.-P. Aumasson and D. J. Bernstein, "SipHash: a fast
 * short-input PRF", INDOCRYPT 2012.
 *
 * Why the kernel has it: a capability must be a number its holder can
 * present but nobody else can guess.  The kernel derives each one as
 * SipHash-2-4, under a secret key drawn at boot, of what the capability
 * names (physical page, allocation generation, rights).  Because SipHash is
 * a PRF, its outputs on distinct messages look like independent random
 * numbers to anyone without the key: an environment that holds any number
 * of capabilities -- its own, and old ones for pages since freed and
 * reallocated -- learns nothing from them about any other capability,
 * short of breaking SipHash.  Nothing has to be stored to check one
 * either: recompute and compare.  This holds only while the key stays
 * secret, in kernel memory no environment can read.  Keeping only some of
 * the 64 output bits (a 32-bit capability) keeps the property: those bits
 * are as unpredictable as that many random bits.
 *
 * The contract, exactly as the paper defines the function:
 *   - the key is 16 bytes, read as two 64-bit little-endian words k0, k1;
 *   - the message is any number of bytes, read little-endian 8 at a time,
 *     the last word padded with zeros and carrying len mod 256 in its top
 *     byte;
 *   - the result is the 64-bit number the paper calls the output (its
 *     little-endian bytes are the "tag" in the published test vectors).
 * Results are the same on every host, whatever its byte order and
 * alignment rules: messages are read a byte at a time.
 *
 * Pure logic (no hardware): tested on the host against the published
 * vectors (test/host/test_siphash.c).
 */
#ifndef AEGIS_SIPHASH_H
#define AEGIS_SIPHASH_H

#include <stddef.h>
#include <stdint.h>

struct siphash_key {
    uint64_t k0;                    /* key bytes 0..7, little-endian */
    uint64_t k1;                    /* key bytes 8..15, little-endian */
};

/* Sets *key from 16 key bytes, the way the paper reads them. */
void siphash_key_from_bytes(struct siphash_key *key, const uint8_t bytes[16]);

/* SipHash-2-4 of the len bytes at msg (which may be NULL when len is 0). */
uint64_t siphash24(const struct siphash_key *key, const void *msg, size_t len);

/*
 * SipHash-2-4 of the 8-byte message made of w0 then w1, each in
 * little-endian byte order.  Equal to siphash24() over those 8 bytes; a
 * shortcut for the kernel, which hashes two words at every page
 * allocation and need not lay them out in memory to do it.
 */
uint64_t siphash24_words(const struct siphash_key *key, uint32_t w0, uint32_t w1);

#endif /* AEGIS_SIPHASH_H */
