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
static struct physmem pm;

static int setup(void **state)
{
    (void)state;
    physmem_init(&pm, table, NPAGES);
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

    physmem_reserve(&pm, 0, 4, OWNER_KERNEL);
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_init_all_free, setup),
        cmocka_unit_test_setup(test_reserve, setup),
        cmocka_unit_test_setup(test_alloc_specific, setup),
        cmocka_unit_test_setup(test_free_only_by_owner, setup),
        cmocka_unit_test_setup(test_alloc_any_until_full, setup),
    };
    return cmocka_run_group_tests_name("physmem", tests, NULL, NULL);
}
