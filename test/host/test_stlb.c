/*
 * test_stlb.c - host unit tests of the software TLB's table operations
 * (aegis/stlb.c) and the EntryHi/EntryLo helpers in aegis/stlb.h.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "abi.h"
#include "stlb.h"

#define MAXLOG 16

static struct stlb_entry table[STLB_ENTRIES];

/* What stlb_retire_hook was told, in order. */
static struct {
    int n;
    uint32_t tag[MAXLOG];
    uint32_t hits[MAXLOG];
} retired;

/* What an stlb_unbind_ppn `gone` callback was told, in order. */
struct gone_log {
    int n;
    uint32_t tag[MAXLOG];
};

static void record_retire(uint32_t tag, uint32_t hits)
{
    assert_true(retired.n < MAXLOG);
    retired.tag[retired.n] = tag;
    retired.hits[retired.n] = hits;
    retired.n++;
}

static void record_gone(uint32_t tag, void *arg)
{
    struct gone_log *log = arg;

    assert_true(log->n < MAXLOG);
    log->tag[log->n++] = tag;
}

/* The EntryLo the kernel writes for a page: valid, cached, maybe writable. */
static uint32_t lo_of(uint32_t ppn, int writable)
{
    return (ppn << ENTRYLO_PFN_SHIFT) | ENTRYLO_V | ENTRYLO_CACHED |
           (writable ? ENTRYLO_D : 0);
}

/* How many entries hold a binding. */
static int resident(void)
{
    int n = 0;

    for (uint32_t i = 0; i < STLB_ENTRIES; i++)
        if (table[i].tag != STLB_EMPTY)
            n++;
    return n;
}

/* Whether tag is among the first n of tags. */
static int contains(const uint32_t *tags, int n, uint32_t tag)
{
    for (int i = 0; i < n; i++)
        if (tags[i] == tag)
            return 1;
    return 0;
}

static int setup(void **state)
{
    (void)state;
    stlb_init(table);
    retired.n = 0;
    stlb_retire_hook = record_retire;
    return 0;
}

static void test_init_empties_every_entry(void **state)
{
    (void)state;
    /* Garbage first, so a pass proves init wrote every slot. */
    for (uint32_t i = 0; i < STLB_ENTRIES; i++) {
        table[i].tag = 0xdeadb000u | (i & 0xff);
        table[i].lo0 = table[i].lo1 = 0xffffffffu;
        table[i].hits = i;
    }
    stlb_init(table);
    for (uint32_t i = 0; i < STLB_ENTRIES; i++) {
        assert_int_equal(table[i].tag, STLB_EMPTY);
        assert_int_equal(table[i].lo0, 0);
        assert_int_equal(table[i].lo1, 0);
        assert_int_equal(table[i].hits, 0);
    }
    /* Init wipes the table wholesale; it is not a retirement of anything. */
    assert_int_equal(retired.n, 0);
}

static void test_tag_half_ppn(void **state)
{
    (void)state;
    /* The tag keeps VPN2 (VA bits 31..13) and the ASID (bits 7..0); the
     * page-within-pair bit 12 and the offset are dropped, and an ASID wider
     * than the hardware's 8 bits is cut to them. */
    assert_int_equal(stlb_tag(0x12345fffu, 0x1ab), 0x12344000u | 0xab);
    assert_int_equal(stlb_tag(0x00400000u, 7), stlb_tag(0x00401234u, 7));
    assert_int_equal(stlb_tag(0xffffffffu, 0xff), 0xffffe0ffu);
    /* A real tag can never be mistaken for an empty slot. */
    assert_int_equal(stlb_tag(0xffffffffu, 0xff) & STLB_EMPTY, 0);

    /* Bit 12 picks the half: the even page goes in EntryLo0, the odd in 1. */
    assert_int_equal(stlb_half(0x00400000u), 0);
    assert_int_equal(stlb_half(0x00400fffu), 0);
    assert_int_equal(stlb_half(0x00401000u), 1);
    assert_int_equal(stlb_half(0x00401fffu), 1);
    assert_int_equal(stlb_half(0x00402000u), 0);

    /* The PFN comes back out of an EntryLo whatever the flag bits say. */
    assert_int_equal(entrylo_ppn(lo_of(0x1234, 0)), 0x1234);
    assert_int_equal(entrylo_ppn(lo_of(0x1234, 1)), 0x1234);
    assert_int_equal(entrylo_ppn(lo_of(0, 1) | ENTRYLO_G), 0);
}

static void test_index_formula(void **state)
{
    (void)state;
    /* vectors.S computes this hash in assembly; the two must agree. */
    static const uint32_t tags[] = {
        0x00000000u, 0x00400001u, 0x00402005u, 0x7fffe0ffu,
        0x10000002u, 0xffffe0ffu, 0x2aaaa055u, 0x00002080u,
    };
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        uint32_t t = tags[i];
        assert_int_equal(stlb_index(t), ((t >> 13) ^ t) & (STLB_ENTRIES - 1));
        assert_true(stlb_index(t) < STLB_ENTRIES);
    }
}

static void test_index_separates_asids(void **state)
{
    (void)state;
    /* Every ExOS program starts at 0x00400000: two of them must not evict
     * each other just for using the same addresses. */
    uint32_t va = 0x00400000u;
    assert_int_not_equal(stlb_index(stlb_tag(va, 1)), stlb_index(stlb_tag(va, 2)));
    for (uint32_t a = 1; a < NASID; a++)
        assert_int_not_equal(stlb_index(stlb_tag(va, 0)),
                             stlb_index(stlb_tag(va, a)));
}

static void test_index_consecutive_pairs_never_collide(void **state)
{
    (void)state;
    /* A program's contiguous text, data and stack should fit without
     * evicting itself: STLB_ENTRIES consecutive pairs fill every slot once. */
    static uint8_t seen[STLB_ENTRIES];
    uint32_t base = 0x00400000u;

    for (uint32_t i = 0; i < STLB_ENTRIES; i++)
        seen[i] = 0;
    for (uint32_t i = 0; i < STLB_ENTRIES; i++) {
        uint32_t idx = stlb_index(stlb_tag(base + (i << ENTRYHI_VPN2_SHIFT), 9));
        assert_int_equal(seen[idx], 0);
        seen[idx] = 1;
    }
}

static void test_bind_even_leaves_odd_invalid(void **state)
{
    (void)state;
    uint32_t tag = stlb_tag(0x00400000u, 3);
    struct stlb_entry *e;

    assert_int_equal(stlb_bind(table, tag, 0, lo_of(100, 1)), STLB_EMPTY);
    e = stlb_lookup(table, tag);
    assert_non_null(e);
    assert_ptr_equal(e, &table[stlb_index(tag)]);
    assert_int_equal(e->lo0, lo_of(100, 1));
    assert_int_equal(e->lo1, 0);          /* odd page not bound: refill faults */
    assert_int_equal(e->hits, 0);
    /* Filling an empty slot displaces nobody, so nobody is retired. */
    assert_int_equal(retired.n, 0);
}

static void test_bind_odd_leaves_even_invalid(void **state)
{
    (void)state;
    uint32_t tag = stlb_tag(0x00401000u, 3);
    struct stlb_entry *e;

    assert_int_equal(stlb_bind(table, tag, 1, lo_of(101, 0)), STLB_EMPTY);
    e = stlb_lookup(table, tag);
    assert_non_null(e);
    assert_int_equal(e->lo0, 0);
    assert_int_equal(e->lo1, lo_of(101, 0));
}

static void test_bind_other_half_keeps_first(void **state)
{
    (void)state;
    uint32_t tag = stlb_tag(0x00400000u, 3);
    struct stlb_entry *e;

    assert_int_equal(stlb_bind(table, tag, 0, lo_of(100, 1)), STLB_EMPTY);
    stlb_lookup(table, tag)->hits = 4;
    /* Same pair: the entry is filled in, not replaced, and keeps its hits. */
    assert_int_equal(stlb_bind(table, tag, 1, lo_of(200, 0)), STLB_EMPTY);
    e = stlb_lookup(table, tag);
    assert_non_null(e);
    assert_int_equal(e->lo0, lo_of(100, 1));
    assert_int_equal(e->lo1, lo_of(200, 0));
    assert_int_equal(e->hits, 4);
    /* Rebinding a half (say, read-only now) replaces just that half. */
    assert_int_equal(stlb_bind(table, tag, 0, lo_of(100, 0)), STLB_EMPTY);
    assert_int_equal(e->lo0, lo_of(100, 0));
    assert_int_equal(e->lo1, lo_of(200, 0));
    assert_int_equal(retired.n, 0);
    assert_int_equal(resident(), 1);
}

static void test_lookup_is_per_asid(void **state)
{
    (void)state;
    uint32_t va = 0x00400000u;

    stlb_bind(table, stlb_tag(va, 3), 0, lo_of(100, 1));
    assert_non_null(stlb_lookup(table, stlb_tag(va, 3)));
    assert_non_null(stlb_lookup(table, stlb_tag(va + 0x1000, 3))); /* odd page */
    /* Another address space's binding of the same VA is none of ours. */
    assert_null(stlb_lookup(table, stlb_tag(va, 4)));
    assert_null(stlb_lookup(table, stlb_tag(va + 0x2000, 3)));     /* next pair */
}

static void test_bind_displaces_collision(void **state)
{
    (void)state;
    /* Flip the same low bits in VPN2 and the ASID: the xor hash is unchanged,
     * so the two tags fight over one slot. */
    uint32_t old = stlb_tag(0x00400000u, 1);
    uint32_t new = stlb_tag(0x00400000u ^ (3u << ENTRYHI_VPN2_SHIFT), 1 ^ 3);
    struct stlb_entry *e;

    assert_int_not_equal(old, new);
    assert_int_equal(stlb_index(old), stlb_index(new));

    stlb_bind(table, old, 0, lo_of(10, 1));
    stlb_bind(table, old, 1, lo_of(11, 1));
    stlb_lookup(table, old)->hits = 7;        /* as if refills had hit it */

    assert_int_equal(stlb_bind(table, new, 1, lo_of(20, 0)), old);
    /* The old owner's hits are reported before they are lost. */
    assert_int_equal(retired.n, 1);
    assert_int_equal(retired.tag[0], old);
    assert_int_equal(retired.hits[0], 7);
    assert_null(stlb_lookup(table, old));
    e = stlb_lookup(table, new);
    assert_non_null(e);
    /* Nothing of the old pair survives in the new one. */
    assert_int_equal(e->lo0, 0);
    assert_int_equal(e->lo1, lo_of(20, 0));
    assert_int_equal(e->hits, 0);
    assert_int_equal(resident(), 1);
}

static void test_unbind_frees_only_when_both_halves_gone(void **state)
{
    (void)state;
    uint32_t tag = stlb_tag(0x00400000u, 5);
    uint32_t idx = stlb_index(tag);

    stlb_bind(table, tag, 0, lo_of(30, 1));
    stlb_bind(table, tag, 1, lo_of(31, 1));
    table[idx].hits = 3;

    /* One half gone: the other is still mapped, so the entry stays. */
    assert_int_equal(stlb_unbind(table, tag, 0), 1);
    assert_non_null(stlb_lookup(table, tag));
    assert_int_equal(table[idx].lo0, 0);
    assert_int_equal(table[idx].lo1, lo_of(31, 1));
    assert_int_equal(retired.n, 0);
    /* The same half again: nothing left to remove. */
    assert_int_equal(stlb_unbind(table, tag, 0), 0);

    /* Both gone: the slot is free again and its hits are accounted. */
    assert_int_equal(stlb_unbind(table, tag, 1), 1);
    assert_null(stlb_lookup(table, tag));
    assert_int_equal(table[idx].tag, STLB_EMPTY);
    assert_int_equal(table[idx].hits, 0);
    assert_int_equal(retired.n, 1);
    assert_int_equal(retired.tag[0], tag);
    assert_int_equal(retired.hits[0], 3);
}

static void test_unbind_absent(void **state)
{
    (void)state;
    uint32_t tag = stlb_tag(0x00400000u, 5);
    uint32_t rival = stlb_tag(0x00400000u ^ (6u << ENTRYHI_VPN2_SHIFT), 5 ^ 6);

    assert_int_equal(stlb_unbind(table, tag, 0), 0);     /* empty table */
    assert_int_equal(stlb_unbind(table, tag, 1), 0);

    stlb_bind(table, tag, 0, lo_of(30, 1));
    /* The odd half was never bound. */
    assert_int_equal(stlb_unbind(table, tag, 1), 0);
    /* Another ASID's tag, or a colliding one, must not touch our entry. */
    assert_int_equal(stlb_index(rival), stlb_index(tag));
    assert_int_equal(stlb_unbind(table, rival, 0), 0);
    assert_int_equal(stlb_unbind(table, stlb_tag(0x00400000u, 6), 0), 0);
    assert_non_null(stlb_lookup(table, tag));
    assert_int_equal(stlb_lookup(table, tag)->lo0, lo_of(30, 1));
    assert_int_equal(retired.n, 0);
}

static void test_unbind_ppn(void **state)
{
    (void)state;
    const uint32_t victim = 50;
    uint32_t a1 = stlb_tag(0x00400000u, 1);   /* both halves alias the victim */
    uint32_t a2 = stlb_tag(0x10000000u, 2);   /* odd half the victim, even not */
    uint32_t a3 = stlb_tag(0x00400000u, 3);   /* another page entirely */
    uint32_t a3b = stlb_tag(0x7f000000u, 3);  /* even half the victim, read-only */
    struct gone_log gone = { 0 };
    struct stlb_entry *e;

    stlb_bind(table, a1, 0, lo_of(victim, 1));
    stlb_bind(table, a1, 1, lo_of(victim, 0));
    stlb_bind(table, a2, 0, lo_of(51, 1));
    stlb_bind(table, a2, 1, lo_of(victim, 1));
    stlb_bind(table, a3, 0, lo_of(52, 1));
    stlb_bind(table, a3b, 0, lo_of(victim, 0));
    assert_int_equal(resident(), 4);          /* no collisions among them */

    /* A page changing hands must vanish from every address space at once. */
    assert_int_equal(stlb_unbind_ppn(table, victim, record_gone, &gone), 4);
    /* One call per pair, so the caller purges each hardware TLB entry once. */
    assert_int_equal(gone.n, 3);
    assert_true(contains(gone.tag, gone.n, a1));
    assert_true(contains(gone.tag, gone.n, a2));
    assert_true(contains(gone.tag, gone.n, a3b));
    assert_false(contains(gone.tag, gone.n, a3));

    /* Pairs left with nothing are freed (and retired) ... */
    assert_null(stlb_lookup(table, a1));
    assert_null(stlb_lookup(table, a3b));
    assert_int_equal(retired.n, 2);
    assert_true(contains(retired.tag, retired.n, a1));
    assert_true(contains(retired.tag, retired.n, a3b));
    /* ... a pair with another page keeps it ... */
    e = stlb_lookup(table, a2);
    assert_non_null(e);
    assert_int_equal(e->lo0, lo_of(51, 1));
    assert_int_equal(e->lo1, 0);
    /* ... and bindings to other pages are untouched. */
    e = stlb_lookup(table, a3);
    assert_non_null(e);
    assert_int_equal(e->lo0, lo_of(52, 1));
    assert_int_equal(resident(), 2);

    /* Nothing names the page any more: a second pass finds nothing. */
    gone.n = 0;
    assert_int_equal(stlb_unbind_ppn(table, victim, record_gone, &gone), 0);
    assert_int_equal(gone.n, 0);
    /* The callback is optional. */
    assert_int_equal(stlb_unbind_ppn(table, 51, NULL, NULL), 1);
    assert_null(stlb_lookup(table, a2));
}

static void test_flush_asid(void **state)
{
    (void)state;
    uint32_t mine[3] = {
        stlb_tag(0x00400000u, 5), stlb_tag(0x00402000u, 5), stlb_tag(0x7fffe000u, 5),
    };
    uint32_t theirs[2] = { stlb_tag(0x00400000u, 6), stlb_tag(0x00402000u, 6) };

    for (int i = 0; i < 3; i++) {
        stlb_bind(table, mine[i], i & 1, lo_of(60 + i, 1));
        stlb_lookup(table, mine[i])->hits = 10 + i;
    }
    for (int i = 0; i < 2; i++)
        stlb_bind(table, theirs[i], 0, lo_of(70 + i, 1));
    assert_int_equal(resident(), 5);

    /* A recycled ASID must not inherit its previous user's bindings. */
    assert_int_equal(stlb_flush_asid(table, 5), 3);
    for (int i = 0; i < 3; i++)
        assert_null(stlb_lookup(table, mine[i]));
    for (int i = 0; i < 2; i++)
        assert_non_null(stlb_lookup(table, theirs[i]));
    assert_int_equal(resident(), 2);

    /* Each entry's hits reach its owner's statistics. */
    assert_int_equal(retired.n, 3);
    for (int i = 0; i < 3; i++) {
        int found = 0;
        for (int j = 0; j < retired.n; j++)
            if (retired.tag[j] == mine[i]) {
                assert_int_equal(retired.hits[j], 10 + i);
                found = 1;
            }
        assert_true(found);
    }

    assert_int_equal(stlb_flush_asid(table, 5), 0);
    assert_int_equal(retired.n, 3);
}

/* A dying tree of environments flushes all its ASIDs in one pass; the
 * others' entries stay. */
static void test_flush_asids(void **state)
{
    (void)state;
    uint8_t doomed[NASID] = { 0 };

    for (uint32_t asid = 1; asid <= 4; asid++)
        stlb_bind(table, stlb_tag(0x00400000u, asid), 0, lo_of(90 + asid, 1));
    doomed[2] = doomed[4] = 1;
    assert_int_equal(stlb_flush_asids(table, doomed), 2);
    assert_non_null(stlb_lookup(table, stlb_tag(0x00400000u, 1)));
    assert_null(stlb_lookup(table, stlb_tag(0x00400000u, 2)));
    assert_non_null(stlb_lookup(table, stlb_tag(0x00400000u, 3)));
    assert_null(stlb_lookup(table, stlb_tag(0x00400000u, 4)));
    assert_int_equal(retired.n, 2);
}

static void test_flush_asid_zero_skips_empty(void **state)
{
    (void)state;
    /* STLB_EMPTY's ASID field reads 0: empty slots must not count as ASID
     * 0's entries, nor be reported to the hook. */
    assert_int_equal(STLB_EMPTY & ENTRYHI_ASID_MASK, 0);
    assert_int_equal(stlb_flush_asid(table, 0), 0);
    assert_int_equal(retired.n, 0);

    stlb_bind(table, stlb_tag(0x00400000u, 0), 0, lo_of(80, 1));
    stlb_bind(table, stlb_tag(0x00400000u, 1), 0, lo_of(81, 1));
    assert_int_equal(stlb_flush_asid(table, 0), 1);
    assert_int_equal(retired.n, 1);
    assert_non_null(stlb_lookup(table, stlb_tag(0x00400000u, 1)));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_empties_every_entry, setup),
        cmocka_unit_test_setup(test_tag_half_ppn, setup),
        cmocka_unit_test_setup(test_index_formula, setup),
        cmocka_unit_test_setup(test_index_separates_asids, setup),
        cmocka_unit_test_setup(test_index_consecutive_pairs_never_collide, setup),
        cmocka_unit_test_setup(test_bind_even_leaves_odd_invalid, setup),
        cmocka_unit_test_setup(test_bind_odd_leaves_even_invalid, setup),
        cmocka_unit_test_setup(test_bind_other_half_keeps_first, setup),
        cmocka_unit_test_setup(test_lookup_is_per_asid, setup),
        cmocka_unit_test_setup(test_bind_displaces_collision, setup),
        cmocka_unit_test_setup(test_unbind_frees_only_when_both_halves_gone, setup),
        cmocka_unit_test_setup(test_unbind_absent, setup),
        cmocka_unit_test_setup(test_unbind_ppn, setup),
        cmocka_unit_test_setup(test_flush_asid, setup),
        cmocka_unit_test_setup(test_flush_asid_zero_skips_empty, setup),
        cmocka_unit_test_setup(test_flush_asids, setup),
    };
    return cmocka_run_group_tests_name("stlb", tests, NULL, NULL);
}
