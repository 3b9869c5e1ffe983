/*
 * capkey.c - the boot-time secret capabilities derive from (see capkey.h).
 */
#include "capkey.h"

#include "bootargs.h"
#include "kernel.h"
#include "mips.h"

/* The PIIX4's MC146818 real-time clock: index port, data port (ISA I/O
 * through KSEG1), and the registers read here. */
#define RTC_INDEX       ((volatile uint8_t *)0xb8000070)
#define RTC_DATA        ((volatile uint8_t *)0xb8000071)
#define RTC_STATUS_A    0x0a
#define RTC_UIP         0x80        /* update in progress: fields may tear */

static uint8_t rtc_read(uint8_t reg)
{
    *RTC_INDEX = reg;
    return *RTC_DATA;
}

/*
 * The value of hex digit c, or -1 - in the same instructions whatever c is.
 * Not for secrecy: for measurement.  Every figure after boot is an
 * instruction count, and a parse whose length depended on the key's digits
 * would shift every timer tick of the run by a few instructions, and with
 * them the figures that average over ticks.
 */
static int hexval(char c)
{
    uint32_t u = (uint8_t)c;
    uint32_t digit = (u - '0' <= 9);
    uint32_t letter = ((u | 0x20) - 'a' <= 5);      /* a-f or A-F */
    int v = (int)((u & 0xf) + 9 * (u >> 6));         /* right for both */

    return (int)((digit | letter) * (uint32_t)(v + 1)) - 1;
}

/* Parses capkey=<32 hex digits> into bytes and wipes the digits: 1 if it
 * was there and well formed, -1 if malformed, 0 if absent.  A well-formed
 * key always takes the same instructions (see hexval). */
static int from_cmdline(char *cmdline, uint8_t bytes[16])
{
    char *p = cmdline;

    for (; *p; p++) {
        if ((p == cmdline || p[-1] == ' ') && p[0] == 'c' && p[1] == 'a' && p[2] == 'p' &&
            p[3] == 'k' && p[4] == 'e' && p[5] == 'y' && p[6] == '=')
            break;
    }
    if (*p == '\0')
        return 0;
    char *digits = p + 7;
    uint32_t bad = 0, n = 0;
    while (n < 32 && digits[n] != '\0')
        n++;
    for (uint32_t i = 0; i < n; i++) {
        int v = hexval(digits[i]);
        bad |= (uint32_t)v >> 31;                   /* -1: not a digit */
        bytes[i / 2] = (uint8_t)(i % 2 ? bytes[i / 2] | (v & 0xf) : (v & 0xf) << 4);
    }
    if (n < 32 || (digits[32] != '\0' && digits[32] != ' '))
        bad = 1;
    for (char *d = digits; *d && *d != ' '; d++)
        *d = 'x';                   /* the console echoes the command line */
    return bad ? -1 : 1;
}

/* What little the machine offers: the clock's time of day and two CPU
 * registers, hashed (under a fixed key: SipHash as a mixer) into the key. */
static void from_machine(struct siphash_key *key)
{
    static const struct siphash_key mix0 = { 0x6165676973000000ull, 1 };
    static const struct siphash_key mix1 = { 0x6165676973000000ull, 2 };
    uint8_t sample[16];

    for (int tries = 0; tries < 1000000 && (rtc_read(RTC_STATUS_A) & RTC_UIP); tries++)
        ;
    for (int r = 0; r < 10; r++)    /* seconds, minutes, hours, day... year */
        sample[r] = rtc_read((uint8_t)r);
    uint32_t count = mfc0(C0_COUNT, 0), random = mfc0(C0_RANDOM, 0);
    sample[10] = (uint8_t)count;
    sample[11] = (uint8_t)(count >> 8);
    sample[12] = (uint8_t)(count >> 16);
    sample[13] = (uint8_t)(count >> 24);
    sample[14] = (uint8_t)random;
    sample[15] = rtc_read(0x32);    /* the century, where the clock keeps it */
    key->k0 = siphash24(&mix0, sample, sizeof sample);
    key->k1 = siphash24(&mix1, sample, sizeof sample);
}

const char *capkey_init(struct siphash_key *key, char *cmdline)
{
    uint8_t bytes[16];
    int given = from_cmdline(cmdline, bytes);

    if (given > 0) {
        siphash_key_from_bytes(key, bytes);
        for (int i = 0; i < 16; i++)
            bytes[i] = 0;           /* leave no copy on the stack */
        return "capkey= on the command line";
    }
    from_machine(key);
    return given < 0 ? "the real-time clock (capkey= ignored: not 32 hex digits)"
                     : "the real-time clock (no random-number device on this board)";
}
