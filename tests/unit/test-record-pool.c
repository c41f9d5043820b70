/* test-record-pool.c
 * The record pool: records are zeroed, aligned and distinct; a freed one
 * is the next handed out; slabs are made as records run out (204 records
 * of 80 bytes each) and are all handed back by clear; a record of a
 * cache line's size or a divisor of it never spans two lines.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "util/record-pool.h"

enum { N = 5000, SIZE = 72 };

static void test_records_are_zeroed_aligned_and_distinct(void **state)
{
    ntt_record_pool_t pool;
    unsigned char *r[N];
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);

    (void)state;
    ntt_record_pool_init(&pool, SIZE);
    assert_int_equal(pool.size, 80);            /* rounded up to 16 */
    for (int i = 0; i < N; i++) {
        r[i] = ntt_record_pool_alloc0(&pool);
        assert_int_equal((uintptr_t)r[i] % 16, 0);
        for (int b = 0; b < SIZE; b++)
            assert_int_equal(r[i][b], 0);
        assert_false(g_hash_table_contains(seen, r[i]));
        g_hash_table_add(seen, r[i]);
        memset(r[i], 0xa5, SIZE);               /* overlaps would show */
    }
    for (int i = 0; i < N; i++)
        for (int b = 0; b < SIZE; b++)
            assert_int_equal(r[i][b], 0xa5);
#ifndef NTT_RECORD_POOL_PLAIN
    /* Carved in order from slabs of 16 KiB: a slab holds (16384 - 64) /
     * 80 = 204 records, so every 204th record starts a new slab and the
     * others follow their predecessor directly. */
    for (int i = 1; i < N; i++) {
        if (i % 204 != 0)
            assert_ptr_equal(r[i], r[i - 1] + 80);
        else
            assert_ptr_not_equal(r[i], r[i - 1] + 80);
    }
#endif
    for (int i = 0; i < N; i++)
        ntt_record_pool_free(&pool, r[i]);
    ntt_record_pool_clear(&pool);
    assert_null(pool.slabs);
    g_hash_table_destroy(seen);
}

static void test_freed_records_are_reused_zeroed(void **state)
{
    ntt_record_pool_t pool;
    unsigned char *a, *b, *c;

    (void)state;
    ntt_record_pool_init(&pool, 3);             /* at least a pointer */
    assert_int_equal(pool.size, 16);
    a = ntt_record_pool_alloc0(&pool);
    b = ntt_record_pool_alloc0(&pool);
    memset(a, 0xff, 16);
    memset(b, 0xff, 16);
    ntt_record_pool_free(&pool, a);
    ntt_record_pool_free(&pool, b);
    c = ntt_record_pool_alloc0(&pool);
#ifndef NTT_RECORD_POOL_PLAIN
    assert_ptr_equal(c, b);                     /* the last freed first */
    assert_ptr_equal(ntt_record_pool_alloc0(&pool), a);
    ntt_record_pool_free(&pool, a);
#endif
    for (int i = 0; i < 16; i++)
        assert_int_equal(c[i], 0);              /* the link word too */
    ntt_record_pool_free(&pool, c);
    ntt_record_pool_clear(&pool);
    /* A cleared pool starts over. */
    a = ntt_record_pool_alloc0(&pool);
    assert_non_null(a);
    ntt_record_pool_free(&pool, a);
    ntt_record_pool_clear(&pool);
}

/* Looked up at random, each line a record spans is a likely cache miss:
 * records of 64, 32 and 16 bytes must each sit within one 64-byte line
 * (with the slab's header rounded to 16 bytes, every 64-byte one spanned
 * two). Across several slabs, so that each slab's start is checked. */
static void test_records_stay_within_a_cache_line(void **state)
{
    static const size_t sizes[] = { 64, 56, 32, 24, 16 };

    (void)state;
    for (size_t s = 0; s < G_N_ELEMENTS(sizes); s++) {
        ntt_record_pool_t pool;
        void *r[1000];

        ntt_record_pool_init(&pool, sizes[s]);
        for (int i = 0; i < 1000; i++) {
            uintptr_t first, last;

            r[i] = ntt_record_pool_alloc0(&pool);
            first = (uintptr_t)r[i];
            last = first + pool.size - 1;
#ifndef NTT_RECORD_POOL_PLAIN
            assert_int_equal(first / 64, last / 64);
#else
            (void)last;
#endif
        }
        for (int i = 0; i < 1000; i++)
            ntt_record_pool_free(&pool, r[i]);
        ntt_record_pool_clear(&pool);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_records_are_zeroed_aligned_and_distinct),
        cmocka_unit_test(test_freed_records_are_reused_zeroed),
        cmocka_unit_test(test_records_stay_within_a_cache_line),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
