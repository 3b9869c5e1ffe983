/*
 * test_printf.c - host unit tests of the kernel's printf core (aegis/printf.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "printf.h"

/* These tests feed the formatter odd formats on purpose (unknown and
 * truncated conversions, an empty format, NULL for %s). */
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-overflow"

/* Formats into a fresh buffer and compares with want. */
#define EXPECT(want, ...) do {                              \
        char buf_[128];                                     \
        int n_ = ksnprintf(buf_, sizeof buf_, __VA_ARGS__); \
        assert_string_equal(buf_, want);                    \
        assert_int_equal(n_, (int)sizeof(want) - 1);        \
    } while (0)

static void test_plain_text(void **state)
{
    (void)state;
    EXPECT("hello, kernel", "hello, kernel");
    EXPECT("", "");
    EXPECT("100%", "100%%");
}

static void test_signed(void **state)
{
    (void)state;
    EXPECT("0", "%d", 0);
    EXPECT("-1", "%d", -1);
    EXPECT("2147483647", "%d", 2147483647);
    EXPECT("-2147483648", "%d", (int32_t)INT32_MIN);
    EXPECT("42", "%i", 42);
}

static void test_unsigned_and_hex(void **state)
{
    (void)state;
    EXPECT("4294967295", "%u", 0xffffffffu);
    EXPECT("deadbeef", "%x", 0xdeadbeefu);
    EXPECT("DEADBEEF", "%X", 0xdeadbeefu);
    EXPECT("0", "%x", 0u);
    EXPECT("7", "%lu", 7ul);
}

static void test_widths(void **state)
{
    (void)state;
    EXPECT("   42", "%5d", 42);
    EXPECT("42   |", "%-5d|", 42);
    EXPECT("00042", "%05d", 42);
    EXPECT("-0042", "%05d", -42);
    EXPECT("0000beef", "%08x", 0xbeefu);
    EXPECT("  ab", "%4s", "ab");
    EXPECT("ab  |", "%-4s|", "ab");
    EXPECT("toolong", "%3s", "toolong");  /* width is a minimum */
    EXPECT("  x", "%3c", 'x');
    EXPECT("12 |", "%-03d|", 12);         /* '-' overrides '0' */
}

static void test_pointer_string_char(void **state)
{
    (void)state;
    EXPECT("0x80100000", "%p", (void *)(uintptr_t)0x80100000u);
    EXPECT("0x00000010", "%p", (void *)(uintptr_t)0x10);
    EXPECT("(null)", "%s", (char *)NULL);
    EXPECT("k", "%c", 'k');
}

static void test_unknown_conversion_is_echoed(void **state)
{
    (void)state;
    EXPECT("%q 5", "%q %d", 5);           /* consumes no argument */
    EXPECT("tail %", "tail %");
}

static void test_truncation(void **state)
{
    char buf[6];
    (void)state;

    int n = ksnprintf(buf, sizeof buf, "%s", "abcdefgh");
    assert_string_equal(buf, "abcde");    /* always NUL-terminated */
    assert_int_equal(n, 8);               /* full length, like snprintf */
    n = ksnprintf(buf, 0, "%d", 12345);   /* n == 0: writes nothing */
    assert_int_equal(n, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_text),
        cmocka_unit_test(test_signed),
        cmocka_unit_test(test_unsigned_and_hex),
        cmocka_unit_test(test_widths),
        cmocka_unit_test(test_pointer_string_char),
        cmocka_unit_test(test_unknown_conversion_is_echoed),
        cmocka_unit_test(test_truncation),
    };
    return cmocka_run_group_tests_name("printf", tests, NULL, NULL);
}
