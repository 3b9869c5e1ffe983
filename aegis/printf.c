/*
 * printf.c - a small printf core for the kernel (see printf.h for what it
 * supports).  No floating point, no heap, no state: safe to call from a
 * panic in any context.
 */
#include "printf.h"

#include <stdint.h>

/* One conversion's field: width and padding. */
struct field {
    int width;
    int left;       /* '-' flag: pad on the right */
    char pad;       /* ' ' or '0' */
};

/* Emits s (len characters) padded to the field's width; returns the count. */
static int emit_padded(putc_fn put, void *arg, const struct field *f,
                       const char *s, int len)
{
    int n = 0;
    int fill = f->width > len ? f->width - len : 0;

    /* A zero-padded negative number keeps its sign in front: "-0042". */
    if (!f->left && f->pad == '0' && len > 0 && s[0] == '-') {
        put('-', arg), n++;
        s++, len--;
    }
    if (!f->left)
        for (; fill > 0; fill--)
            put(f->pad, arg), n++;
    for (int i = 0; i < len; i++)
        put(s[i], arg), n++;
    for (; fill > 0; fill--)        /* left-justified: spaces after */
        put(' ', arg), n++;
    return n;
}

/*
 * Writes v in the given base into the end of buf (at least 12 bytes) and
 * returns a pointer to the first digit.  Digits are produced least
 * significant first, so filling the buffer backwards avoids a reversal.
 */
static char *utoa(uint32_t v, unsigned base, int upper, char *end)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char *p = end;

    do {
        *--p = digits[v % base];
        v /= base;
    } while (v != 0);
    return p;
}

int kvformat(putc_fn put, void *arg, const char *fmt, va_list ap)
{
    char buf[16];
    char *end = buf + sizeof buf;
    int n = 0;

    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(*fmt, arg), n++;
            continue;
        }
        const char *start = fmt++;  /* to echo an unknown conversion */
        struct field f = { 0, 0, ' ' };

        for (;; fmt++) {
            if (*fmt == '-')
                f.left = 1;
            else if (*fmt == '0')
                f.pad = '0';
            else
                break;
        }
        if (f.left)
            f.pad = ' ';            /* C ignores '0' when '-' is given */
        while (*fmt >= '0' && *fmt <= '9')
            f.width = f.width * 10 + (*fmt++ - '0');
        while (*fmt == 'l')
            fmt++;

        char *s;
        switch (*fmt) {
        case 'd':
        case 'i': {
            int32_t v = va_arg(ap, int32_t);
            /* Negate as unsigned so INT32_MIN does not overflow. */
            uint32_t mag = v < 0 ? 0u - (uint32_t)v : (uint32_t)v;
            s = utoa(mag, 10, 0, end);
            if (v < 0)
                *--s = '-';
            n += emit_padded(put, arg, &f, s, end - s);
            break;
        }
        case 'u':
            s = utoa(va_arg(ap, uint32_t), 10, 0, end);
            n += emit_padded(put, arg, &f, s, end - s);
            break;
        case 'x':
        case 'X':
            s = utoa(va_arg(ap, uint32_t), 16, *fmt == 'X', end);
            n += emit_padded(put, arg, &f, s, end - s);
            break;
        case 'p': {
            /* Always the full width of an address: easy to read in dumps. */
            struct field pf = { 8, 0, '0' };
            s = utoa((uint32_t)(uintptr_t)va_arg(ap, void *), 16, 0, end);
            put('0', arg), put('x', arg), n += 2;
            n += emit_padded(put, arg, &pf, s, end - s);
            break;
        }
        case 's': {
            const char *str = va_arg(ap, const char *);
            int len = 0;
            if (str == NULL)
                str = "(null)";
            while (str[len])
                len++;
            n += emit_padded(put, arg, &f, str, len);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            n += emit_padded(put, arg, &f, &c, 1);
            break;
        }
        case '%':
            put('%', arg), n++;
            break;
        default:
            /* Unknown or truncated: print what we saw, consume nothing. */
            for (const char *p = start; p <= fmt && *p; p++)
                put(*p, arg), n++;
            if (*fmt == '\0')
                return n;
            break;
        }
    }
    return n;
}

/* ksnprintf's sink: a buffer, its capacity, and how much was produced. */
struct strbuf {
    char *buf;
    size_t cap;
    size_t len;
};

static void strbuf_put(char c, void *arg)
{
    struct strbuf *sb = arg;

    if (sb->len + 1 < sb->cap)      /* keep one byte for the NUL */
        sb->buf[sb->len] = c;
    sb->len++;
}

int ksnprintf(char *buf, size_t n, const char *fmt, ...)
{
    struct strbuf sb = { buf, n, 0 };
    va_list ap;

    va_start(ap, fmt);
    int len = kvformat(strbuf_put, &sb, fmt, ap);
    va_end(ap);
    if (n > 0)
        buf[sb.len < n ? sb.len : n - 1] = '\0';
    return len;
}
