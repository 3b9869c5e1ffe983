/*
 * test_physmem.c - host unit tests of physical-page ownership (aegis/physmem.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "abi.h"
#include "physmem.h"

#define NPAGES 64

static struct phys_page table[NPAGES];
static struct page_guard guards[NPAGES];
static struct physmem pm;
static const struct siphash_key key = { 0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull };

static int setup(void **state)
{
    (void)state;
    physmem_init(&pm, table, guards, NPAGES, &key);
    return 0;
}

static void test_init_all_free(void **state)
{
    (void)state;
    assert_int_equal(pm.nfree, NPAGES);
    for (uint32_t i = 0; i < NPAGES; i++)
        assert_int_equal(physmem_owner(&pm, i), OWNER_FREE);
}

static void test_reserve(void **state)
{
    (void)state;
    assert_int_equal(physmem_reserve(&pm, 0, 10, OWNER_KERNEL), 0);
    assert_int_equal(pm.nfree, NPAGES - 10);
    assert_int_equal(physmem_owner(&pm, 9), OWNER_KERNEL);
    assert_int_equal(physmem_owner(&pm, 10), OWNER_FREE);
    /* Overlapping a reserved range changes nothing. */
    assert_int_equal(physmem_reserve(&pm, 5, 10, 3), -E_BUSY);
    assert_int_equal(physmem_owner(&pm, 12), OWNER_FREE);
    assert_int_equal(pm.nfree, NPAGES - 10);
    /* Ranges past the end, including ones that wrap around, are refused. */
    assert_int_equal(physmem_reserve(&pm, NPAGES - 1, 2, 3), -E_INVAL);
    assert_int_equal(physmem_reserve(&pm, 10, 0xffffffffu, 3), -E_INVAL);
    assert_int_equal(physmem_reserve(&pm, 10, 1, OWNER_FREE), -E_INVAL);
}

static void test_alloc_specific(void **state)
{
    (void)state;
    assert_int_equal(physmem_alloc(&pm, 20, 1), 0);
    assert_int_equal(physmem_owner(&pm, 20), 1);
    assert_int_equal(physmem_alloc(&pm, 20, 2), -E_BUSY);
    assert_int_equal(physmem_alloc(&pm, 20, 1), -E_BUSY);
    assert_int_equal(physmem_alloc(&pm, NPAGES, 1), -E_INVAL);
    assert_int_equal(pm.nfree, NPAGES - 1);
}

static void test_free_only_by_owner(void **state)
{
    (void)state;
    assert_int_equal(physmem_alloc(&pm, 30, 4), 0);
    assert_int_equal(physmem_free(&pm, 30, 5), -E_PERM);
    assert_int_equal(physmem_owner(&pm, 30), 4);
    assert_int_equal(physmem_free(&pm, 30, 4), 0);
    assert_int_equal(physmem_owner(&pm, 30), OWNER_FREE);
    assert_int_equal(physmem_free(&pm, 30, 4), -E_PERM);        /* twice */
    assert_int_equal(physmem_free(&pm, 31, OWNER_FREE), -E_PERM); /* a free page */
    assert_int_equal(physmem_free(&pm, NPAGES + 3, 4), -E_INVAL);
    assert_int_equal(pm.nfree, NPAGES);
}

static void test_alloc_any_until_full(void **state)
{
    (void)state;
    uint8_t seen[NPAGES] = { 0 };

    assert_int_equal(physmem_reserve(&pm, 0, 4, OWNER_KERNEL), 0);
    for (int i = 0; i < NPAGES - 4; i++) {
        int32_t ppn = physmem_alloc_any(&pm, 9);
        assert_true(ppn >= 4 && ppn < NPAGES);
        assert_int_equal(seen[ppn], 0);       /* never handed out twice */
        seen[ppn] = 1;
    }
    assert_int_equal(pm.nfree, 0);
    assert_int_equal(physmem_alloc_any(&pm, 9), -E_NOMEM);
    /* A freed page is found again, even behind the search hint. */
    assert_int_equal(physmem_free(&pm, 5, 9), 0);
    assert_int_equal(physmem_alloc_any(&pm, 9), 5);
}

static void test_capabilities_guard_bindings(void **state)
{
    (void)state;
    assert_int_equal(physmem_alloc(&pm, 12, 3), 0);
    uint32_t r = guards[12].rcap, w = guards[12].wcap;
    assert_true(r != 0 && w != 0 && r != w);
    assert_int_equal(physmem_check(&pm, 12, w, 1), 0);     /* write cap: rw */
    assert_int_equal(physmem_check(&pm, 12, w, 0), 0);     /* ... and ro */
    assert_int_equal(physmem_check(&pm, 12, r, 0), 0);     /* read cap: ro */
    assert_int_equal(physmem_check(&pm, 12, r, 1), -E_BADCAP);
    assert_int_equal(physmem_check(&pm, 12, w ^ 1, 0), -E_BADCAP);
    assert_int_equal(physmem_check(&pm, 13, 0, 0), -E_PERM);  /* a free page */
    assert_int_equal(physmem_check(&pm, NPAGES, w, 0), -E_INVAL);
}

static void test_free_voids_capabilities(void **state)
{
    (void)state;
    assert_int_equal(physmem_alloc(&pm, 20, 3), 0);
    uint32_t w = guards[20].wcap;
    assert_int_equal(physmem_free(&pm, 20, 3), 0);
    assert_int_equal(physmem_check(&pm, 20, w, 0), -E_PERM);
    /* Reallocated, the page has new capabilities: the old one is useless. */
    assert_int_equal(physmem_alloc(&pm, 20, 4), 0);
    assert_int_equal(physmem_check(&pm, 20, w, 0), -E_BADCAP);
}

static void test_kernel_pages_cannot_be_bound(void **state)
{
    (void)state;
    assert_int_equal(physmem_reserve(&pm, 0, 2, OWNER_KERNEL), 0);
    assert_int_equal(physmem_check(&pm, 1, guards[1].wcap, 0), -E_PERM);
}

static void test_give(void **state)
{
    (void)state;
    assert_int_equal(physmem_alloc(&pm, 7, 1), 0);
    assert_int_equal(physmem_give(&pm, 7, 2, 3), -E_PERM);   /* not 2's */
    assert_int_equal(physmem_give(&pm, 7, 1, OWNER_FREE), -E_INVAL);
    assert_int_equal(physmem_give(&pm, 7, 1, 2), 0);
    assert_int_equal(physmem_owner(&pm, 7), 2);
    assert_int_equal(physmem_free(&pm, 7, 1), -E_PERM);     /* no longer 1's */
}

/* Published pages: everyone reads them with the one public capability;
 * nobody writes, frees or gives them. */
static void test_publish(void **state)
{
    uint32_t rcap = 0;
    (void)state;
    assert_int_equal(physmem_publish(&pm, 10, 3, &rcap), 0);
    assert_int_equal(physmem_owner(&pm, 11), OWNER_IMAGES);
    for (uint32_t p = 10; p < 13; p++) {
        assert_int_equal(physmem_check(&pm, p, rcap, 0), 0);
        assert_int_equal(physmem_check(&pm, p, rcap, 1), -E_BADCAP);
        assert_int_equal(physmem_check(&pm, p, guards[p].wcap, 1), -E_BADCAP);
        assert_int_equal(physmem_free(&pm, p, 1), -E_PERM);
        assert_int_equal(physmem_give(&pm, p, 1, 2), -E_PERM);
    }
    assert_int_equal(physmem_publish(&pm, 12, 2, &rcap), -E_BUSY);  /* 12 is taken */
}

/* Capabilities are the PRF of (page, generation, rights) under the key:
 * what physmem_cap computes, nothing else. */
static void test_capabilities_are_the_prf(void **state)
{
    (void)state;
    assert_int_equal(physmem_alloc(&pm, 7, 3), 0);
    uint64_t h = siphash24_words(&key, 7 | 1u << 24, 1);
    assert_int_equal(guards[7].rcap, (uint32_t)h);
    assert_int_equal(guards[7].wcap, (uint32_t)(h >> 32));
    assert_int_equal(physmem_cap(&pm, 7, 1, CAP_READ), guards[7].rcap);
    assert_int_equal(physmem_cap(&pm, 7, 1, CAP_WRITE), guards[7].wcap);
    assert_int_not_equal(guards[7].rcap, guards[7].wcap);
}

/* A page allocated again is a new generation: the old capabilities do not
 * come back, and another key gives other capabilities. */
static void test_new_generation_new_capabilities(void **state)
{
    (void)state;
    assert_int_equal(physmem_alloc(&pm, 9, 3), 0);
    uint32_t w1 = guards[9].wcap, r1 = guards[9].rcap;
    assert_int_equal(physmem_free(&pm, 9, 3), 0);
    assert_int_equal(physmem_alloc(&pm, 9, 4), 0);
    assert_int_equal(guards[9].gen, 2);
    assert_int_not_equal(guards[9].wcap, w1);
    assert_int_not_equal(guards[9].rcap, r1);
    assert_int_equal(physmem_check(&pm, 9, w1, 1), -E_BADCAP);
    assert_int_equal(physmem_check(&pm, 9, r1, 0), -E_BADCAP);

    struct siphash_key other = key;
    other.k1 ^= 1;
    physmem_init(&pm, table, guards, NPAGES, &other);
    assert_int_equal(physmem_alloc(&pm, 9, 4), 0);
    assert_int_not_equal(guards[9].wcap, w1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_all_free, setup),
        cmocka_unit_test_setup(test_reserve, setup),
        cmocka_unit_test_setup(test_alloc_specific, setup),
        cmocka_unit_test_setup(test_free_only_by_owner, setup),
        cmocka_unit_test_setup(test_alloc_any_until_full, setup),
        cmocka_unit_test_setup(test_capabilities_guard_bindings, setup),
        cmocka_unit_test_setup(test_free_voids_capabilities, setup),
        cmocka_unit_test_setup(test_kernel_pages_cannot_be_bound, setup),
        cmocka_unit_test_setup(test_give, setup),
        cmocka_unit_test_setup(test_publish, setup),
        cmocka_unit_test_setup(test_capabilities_are_the_prf, setup),
        cmocka_unit_test_setup(test_new_generation_new_capabilities, setup),
    };
    return cmocka_run_group_tests_name("physmem", tests, NULL, NULL);
}
