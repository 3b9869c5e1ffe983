/*
 * siphash.c - SipHash-2-4 (see siphash.h), written from the description in
 * Aumasson and Bernstein's paper, section 2: four 64-bit state words
 * v0..v3, initialised from the key and four constants; each 8-byte message
 * word is mixed in by c = 2 "SipRounds"; then d = 4 more rounds, and the
 * four words are folded into one.
 *
 * Everything is plain 64-bit arithmetic.  On the 32-bit MIPS the compiler
 * turns it into pairs of 32-bit operations, and a rotation by 32 costs
 * nothing (it only swaps the halves), so the code is left in the paper's
 * form rather than split by hand into halves.
 */
#include "siphash.h"

/* The state of one computation: the paper's v0, v1, v2, v3. */
struct sipstate {
    uint64_t v0, v1, v2, v3;
};

static inline uint64_t rotl(uint64_t x, unsigned n)
{
    return (x << n) | (x >> (64 - n));      /* n is never 0 here */
}

/* Bytes p[0..7] as a little-endian word, whatever the host's byte order
 * and however p is aligned (MIPS traps on unaligned word loads). */
static inline uint64_t load_le64(const uint8_t *p)
{
    uint64_t w = 0;

    for (int i = 7; i >= 0; i--)
        w = (w << 8) | p[i];
    return w;
}

/*
 * One SipRound: two add-rotate-xor halves, each of which mixes the
 * pairs (v0,v1) and (v2,v3) side by side, then swaps the partners.
 * The rotation amounts are the paper's: 13, 16, 32; 17, 21, 32.
 */
static inline void sipround(struct sipstate *s)
{
    s->v0 += s->v1;
    s->v2 += s->v3;
    s->v1 = rotl(s->v1, 13);
    s->v3 = rotl(s->v3, 16);
    s->v1 ^= s->v0;
    s->v3 ^= s->v2;
    s->v0 = rotl(s->v0, 32);

    s->v2 += s->v1;
    s->v0 += s->v3;
    s->v1 = rotl(s->v1, 17);
    s->v3 = rotl(s->v3, 21);
    s->v1 ^= s->v2;
    s->v3 ^= s->v0;
    s->v2 = rotl(s->v2, 32);
}

/* The key xored into four constants (the ASCII of
 * "somepseudorandomlygeneratedbytes"), there only so that even an all-zero
 * key starts the four words off different and without symmetry. */
static inline void sip_init(struct sipstate *s, const struct siphash_key *key)
{
    s->v0 = key->k0 ^ 0x736f6d6570736575ull;
    s->v1 = key->k1 ^ 0x646f72616e646f6dull;
    s->v2 = key->k0 ^ 0x6c7967656e657261ull;
    s->v3 = key->k1 ^ 0x7465646279746573ull;
}

/* Mixes in one message word m with c = 2 rounds.  m enters through v3
 * before the rounds and leaves through v0 after them. */
static inline void sip_compress(struct sipstate *s, uint64_t m)
{
    s->v3 ^= m;
    sipround(s);
    sipround(s);
    s->v0 ^= m;
}

/* Finishes with d = 4 rounds.  The 0xff marks the switch from
 * compression to finalisation, so the two cannot be confused. */
static inline uint64_t sip_finish(struct sipstate *s)
{
    s->v2 ^= 0xff;
    sipround(s);
    sipround(s);
    sipround(s);
    sipround(s);
    return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

void siphash_key_from_bytes(struct siphash_key *key, const uint8_t bytes[16])
{
    key->k0 = load_le64(bytes);
    key->k1 = load_le64(bytes + 8);
}

uint64_t siphash24(const struct siphash_key *key, const void *msg, size_t len)
{
    const uint8_t *p = msg;
    size_t nfull = len / 8;
    struct sipstate s;
    uint64_t last;

    sip_init(&s, key);
    for (size_t i = 0; i < nfull; i++, p += 8)
        sip_compress(&s, load_le64(p));

    /*
     * The last word holds the 0..7 bytes left over, zero-padded, and the
     * length mod 256 in its top byte -- so messages that differ only in
     * trailing zero bytes still hash differently.  It is always there,
     * even when no bytes are left over.
     */
    last = (uint64_t)(len & 0xff) << 56;
    for (size_t i = 0; i < len % 8; i++)
        last |= (uint64_t)p[i] << (8 * i);
    sip_compress(&s, last);

    return sip_finish(&s);
}

uint64_t siphash24_words(const struct siphash_key *key, uint32_t w0, uint32_t w1)
{
    struct sipstate s;

    /* What siphash24() does for len == 8: one full word, then a last
     * word with no bytes left over, only the length 8. */
    sip_init(&s, key);
    sip_compress(&s, (uint64_t)w1 << 32 | w0);
    sip_compress(&s, (uint64_t)8 << 56);
    return sip_finish(&s);
}
