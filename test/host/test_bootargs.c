/*
 * test_bootargs.c - host unit tests of boot-loader argument parsing
 * (aegis/bootargs.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "bootargs.h"

static void test_memsize_from_environment(void **state)
{
    (void)state;
    char *argv[] = { "kernel", "a b=1", NULL };
    char *envp[] = { "cpuclock", "200000000", "memsize", "67108864", NULL, NULL };
    struct bootinfo bi;

    bootargs_parse(2, argv, envp, 0x1000, &bi);
    assert_int_equal(bi.mem_bytes, 64u << 20);
    assert_string_equal(bi.mem_source, "memsize");
    assert_string_equal(bi.cmdline, "a b=1");
}

static void test_fallbacks(void **state)
{
    (void)state;
    char *argv[] = { "kernel", NULL };
    char *bad[] = { "memsize", "12abc", NULL, NULL };
    struct bootinfo bi;

    bootargs_parse(1, argv, bad, 32u << 20, &bi);     /* malformed memsize */
    assert_int_equal(bi.mem_bytes, 32u << 20);
    assert_string_equal(bi.mem_source, "a3");
    assert_string_equal(bi.cmdline, "");
    bootargs_parse(0, NULL, NULL, 16u << 20, &bi);    /* nothing at all */
    assert_int_equal(bi.mem_bytes, 16u << 20);
}

static void test_memsize_capped_to_low_ram(void **state)
{
    (void)state;
    char *envp[] = { "memsize", "0x40000000", NULL, NULL };
    struct bootinfo bi;

    bootargs_parse(0, NULL, envp, 0, &bi);
    assert_int_equal(bi.mem_bytes, 256u << 20);
}

static void test_bootarg_get(void **state)
{
    (void)state;
    char buf[8];
    const char *cl = "ktest  tick_us=500 name=abcdefghijk ktesting=no";

    assert_true(bootarg_get(cl, "tick_us", buf, sizeof buf));
    assert_string_equal(buf, "500");
    assert_true(bootarg_get(cl, "ktest", buf, sizeof buf));  /* bare word */
    assert_string_equal(buf, "");
    assert_true(bootarg_get(cl, "name", buf, sizeof buf));
    assert_string_equal(buf, "abcdefg");                     /* truncated */
    assert_false(bootarg_get(cl, "tick", buf, sizeof buf));  /* no prefixes */
    assert_false(bootarg_get("", "x", buf, sizeof buf));
}

static void test_bootarg_uint(void **state)
{
    (void)state;
    assert_int_equal(bootarg_uint("a=17 b=0x1F", "a", 9), 17);
    assert_int_equal(bootarg_uint("a=17 b=0x1F", "b", 9), 31);
    assert_int_equal(bootarg_uint("a=17 b=0x1F", "c", 9), 9);
    assert_int_equal(bootarg_uint("a=z1", "a", 9), 9);
    assert_int_equal(bootarg_uint("a=", "a", 9), 9);
    assert_int_equal(bootarg_uint("a=0x", "a", 9), 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_memsize_from_environment),
        cmocka_unit_test(test_fallbacks),
        cmocka_unit_test(test_memsize_capped_to_low_ram),
        cmocka_unit_test(test_bootarg_get),
        cmocka_unit_test(test_bootarg_uint),
    };
    return cmocka_run_group_tests_name("bootargs", tests, NULL, NULL);
}
