/*
 * bootargs.c - reading the boot loader's argc/argv/envp (see bootargs.h).
 */
#include "bootargs.h"

#include <stddef.h>

#include "malta.h"

static int streq(const char *a, const char *b)
{
    while (*a && *a == *b)
        a++, b++;
    return *a == *b;
}

/* Parses a decimal or 0x-prefixed hex number filling all of s; 0 if bad. */
static int parse_uint(const char *s, uint32_t *out)
{
    unsigned base = 10;
    uint32_t v = 0;

    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, s += 2;
    if (*s == '\0')
        return 0;
    for (; *s; s++) {
        unsigned d;
        if (*s >= '0' && *s <= '9')
            d = *s - '0';
        else if (base == 16 && *s >= 'a' && *s <= 'f')
            d = *s - 'a' + 10;
        else if (base == 16 && *s >= 'A' && *s <= 'F')
            d = *s - 'A' + 10;
        else
            return 0;
        v = v * base + d;
    }
    *out = v;
    return 1;
}

void bootargs_parse(int argc, char **argv, char **envp, uint32_t a3,
                    struct bootinfo *bi)
{
    bi->mem_bytes = a3;
    bi->mem_source = "a3";
    bi->cmdline = (argc >= 2 && argv != NULL && argv[1] != NULL) ? argv[1] : "";

    for (int i = 0; envp != NULL && envp[i] != NULL && envp[i + 1] != NULL; i += 2) {
        uint32_t v;
        if (streq(envp[i], "memsize") && parse_uint(envp[i + 1], &v) && v != 0) {
            bi->mem_bytes = v;
            bi->mem_source = "memsize";
        }
    }
    /* Only the low RAM is reachable through KSEG0 at physical 0. */
    if (bi->mem_bytes > MALTA_LOW_RAM_MAX)
        bi->mem_bytes = MALTA_LOW_RAM_MAX;
}

int bootarg_get(const char *cmdline, const char *key, char *buf, unsigned n)
{
    const char *p = cmdline;

    while (*p) {
        while (*p == ' ')
            p++;
        const char *k = key;
        while (*k && *p == *k)
            p++, k++;
        if (*k == '\0' && (*p == '=' || *p == ' ' || *p == '\0')) {
            unsigned i = 0;
            if (*p == '=')
                p++;
            while (*p && *p != ' ') {
                if (i + 1 < n)
                    buf[i++] = *p;
                p++;
            }
            if (n > 0)
                buf[i] = '\0';
            return 1;
        }
        while (*p && *p != ' ')     /* not this word: skip the rest of it */
            p++;
    }
    return 0;
}

uint32_t bootarg_uint(const char *cmdline, const char *key, uint32_t def)
{
    char buf[16];
    uint32_t v;

    if (!bootarg_get(cmdline, key, buf, sizeof buf) || !parse_uint(buf, &v))
        return def;
    return v;
}
