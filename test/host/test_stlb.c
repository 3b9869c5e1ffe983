/*
 * test_stlb.c - host unit tests of the software TLB's table operations
 * (aegis/stlb.c).  The refill handler's lookup is in assembly; stlb_index()
 * is its C twin and is tested here against the same formula.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "stlb.h"

static struct stlb_entry table[STLB_ENTRIES];

/* What the retire hook saw. */
static int nretired;
static uint32_t retired_tag, retired_hits;

static void hook(uint32_t tag, uint32_t hits)
{
    nretired++;
    retired_tag = tag;
    retired_hits = hits;
}

static int setup(void **state)
{
    (void)state;
    stlb_init(table);
    stlb_retire_hook = hook;
    nretired = 0;
    return 0;
}

/* An EntryLo for page ppn, valid, cached, writable if w. */
static uint32_t lo(uint32_t ppn, int w)
{
    return (ppn << ENTRYLO_PFN_SHIFT) | ENTRYLO_V | ENTRYLO_CACHED | (w ? ENTRYLO_D : 0);
}

static void test_init_empties(void **state)
{
    (void)state;
    for (int i = 0; i < STLB_ENTRIES; i++)
        assert_int_equal(table[i].tag, STLB_EMPTY);
}

static void test_tag_half_index(void **state)
{
    (void)state;
    assert_int_equal(stlb_tag(0x00401234, 7), 0x00400007);
    assert_int_equal(stlb_half(0x00400000), 0);
    assert_int_equal(stlb_half(0x00401000), 1);
    assert_int_equal(entrylo_ppn(lo(1234, 1)), 1234);
    uint32_t t = stlb_tag(0x7ff6e000, 42);
    assert_int_equal(stlb_index(t), ((t >> 13) ^ t) & (STLB_ENTRIES - 1));
    /* The same address in two address spaces: two different slots. */
    assert_int_not_equal(stlb_index(stlb_tag(0x00400000, 1)), stlb_index(stlb_tag(0x00400000, 2)));
}

static void test_consecutive_pairs_never_collide(void **state)
{
    static uint8_t used[STLB_ENTRIES];
    (void)state;

    for (uint32_t i = 0; i < STLB_ENTRIES; i++) {
        uint32_t idx = stlb_index(stlb_tag(0x00400000 + i * 2 * PAGE_SIZE, 9));
        assert_int_equal(used[idx], 0);
        used[idx] = 1;
    }
}

static void test_halves_of_a_pair(void **state)
{
    (void)state;
    uint32_t tag = stlb_tag(0x10000000, 3);

    assert_int_equal(stlb_bind(table, tag, 0, lo(100, 1)), STLB_EMPTY);
    struct stlb_entry *e = stlb_lookup(table, tag);
    assert_non_null(e);
    assert_int_equal(e->lo0, lo(100, 1));
    assert_int_equal(e->lo1, 0);                    /* the odd half: invalid */
    assert_int_equal(stlb_bind(table, tag, 1, lo(101, 0)), STLB_EMPTY);
    assert_int_equal(e->lo0, lo(100, 1));           /* kept */
    assert_int_equal(e->lo1, lo(101, 0));
    assert_null(stlb_lookup(table, stlb_tag(0x10000000, 4)));   /* other ASID */
}

static void test_collision_displaces_and_retires(void **state)
{
    (void)state;
    uint32_t a = stlb_tag(0x10000000, 3);
    /* Same index: VPN2 differs by STLB_ENTRIES. */
    uint32_t b = stlb_tag(0x10000000 + STLB_ENTRIES * 2 * PAGE_SIZE, 3);
    assert_int_equal(stlb_index(a), stlb_index(b));

    stlb_bind(table, a, 0, lo(100, 0));
    stlb_lookup(table, a)->hits = 17;               /* refills it served */
    assert_int_equal(stlb_bind(table, b, 1, lo(200, 0)), a);
    assert_int_equal(nretired, 1);
    assert_int_equal(retired_tag, a);
    assert_int_equal(retired_hits, 17);
    assert_null(stlb_lookup(table, a));
    struct stlb_entry *e = stlb_lookup(table, b);
    assert_int_equal(e->lo0, 0);                    /* nothing of a's left */
    assert_int_equal(e->hits, 0);
}

static void test_unbind(void **state)
{
    (void)state;
    uint32_t tag = stlb_tag(0x20000000, 5);

    stlb_bind(table, tag, 0, lo(10, 1));
    stlb_bind(table, tag, 1, lo(11, 1));
    assert_int_equal(stlb_unbind(table, tag, 0), 1);
    assert_non_null(stlb_lookup(table, tag));       /* one half left */
    assert_int_equal(nretired, 0);
    assert_int_equal(stlb_unbind(table, tag, 0), 0);    /* already gone */
    assert_int_equal(stlb_unbind(table, tag, 1), 1);
    assert_null(stlb_lookup(table, tag));           /* both gone: freed */
    assert_int_equal(nretired, 1);
    assert_int_equal(stlb_unbind(table, stlb_tag(0x30000000, 5), 0), 0);
}

static int ngone;
static uint32_t gone_tags[8];

static void gone(uint32_t tag, void *arg)
{
    (void)arg;
    gone_tags[ngone++] = tag;
}

static void test_unbind_ppn_everywhere(void **state)
{
    (void)state;
    uint32_t t1 = stlb_tag(0x10000000, 1), t2 = stlb_tag(0x50000000, 2), t3 = stlb_tag(0x60000000, 3);

    stlb_bind(table, t1, 0, lo(77, 1));
    stlb_bind(table, t1, 1, lo(78, 1));             /* another page: stays */
    stlb_bind(table, t2, 1, lo(77, 0));             /* shared read-only */
    stlb_bind(table, t3, 0, lo(79, 0));             /* unrelated */
    ngone = 0;
    assert_int_equal(stlb_unbind_ppn(table, 77, gone, NULL), 2);
    assert_int_equal(ngone, 2);
    assert_true((gone_tags[0] == t1 && gone_tags[1] == t2) ||
                (gone_tags[0] == t2 && gone_tags[1] == t1));
    assert_int_equal(stlb_lookup(table, t1)->lo0, 0);
    assert_int_equal(stlb_lookup(table, t1)->lo1, lo(78, 1));
    assert_null(stlb_lookup(table, t2));
    assert_int_equal(stlb_lookup(table, t3)->lo0, lo(79, 0));
}

static void test_flush_asid(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < 10; i++)
        stlb_bind(table, stlb_tag(0x10000000 + i * 2 * PAGE_SIZE, 6), 0, lo(300 + i, 0));
    /* Another address space, in a slot none of those ten uses. */
    uint32_t other = stlb_tag(0x10000000 + 100 * 2 * PAGE_SIZE, 7);
    stlb_bind(table, other, 0, lo(400, 0));
    assert_int_equal(nretired, 0);
    stlb_lookup(table, stlb_tag(0x10000000, 6))->hits = 5;
    assert_int_equal(stlb_flush_asid(table, 6), 10);
    assert_int_equal(nretired, 10);
    assert_null(stlb_lookup(table, stlb_tag(0x10000000, 6)));
    assert_non_null(stlb_lookup(table, other));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_empties, setup),
        cmocka_unit_test_setup(test_tag_half_index, setup),
        cmocka_unit_test_setup(test_consecutive_pairs_never_collide, setup),
        cmocka_unit_test_setup(test_halves_of_a_pair, setup),
        cmocka_unit_test_setup(test_collision_displaces_and_retires, setup),
        cmocka_unit_test_setup(test_unbind, setup),
        cmocka_unit_test_setup(test_unbind_ppn_everywhere, setup),
        cmocka_unit_test_setup(test_flush_asid, setup),
    };
    return cmocka_run_group_tests_name("stlb", tests, NULL, NULL);
}
