/* test-hash-table.c
 * The intrusive table: finds what was put in and nothing else, grows and
 * shrinks its buckets, and its account holds exactly its bucket array.
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

#include "util/hash-table.h"

typedef struct item {
    ntt_hash_link_t link;
    uint32_t        key[3];
} item_t;

static void init(ntt_hash_table_t *t, ntt_memcap_account_t *account)
{
    ntt_hash_table_init(t, offsetof(item_t, key) - offsetof(item_t, link),
                        sizeof(((item_t *)0)->key), ntt_memcap_account_seed(account), account);
}

static item_t *find(const ntt_hash_table_t *t, uint32_t a, uint32_t b, uint32_t c)
{
    uint32_t key[3] = { a, b, c };
    ntt_hash_link_t *link = ntt_hash_table_find(t, key, ntt_hash_table_hash(t, key));

    return link ? NTT_HASH_ENTRY(link, item_t, link) : NULL;
}

static void test_insert_find_remove(void **state)
{
    enum { N = 5000 };
    ntt_memcap_t *m = ntt_memcap_new(0, 0);
    ntt_memcap_account_t *a = ntt_memcap_open(m, "test");
    ntt_hash_table_t t;
    item_t *items = g_new0(item_t, N);

    (void)state;
    init(&t, a);
    assert_null(find(&t, 1, 2, 3));
    for (uint32_t i = 0; i < N; i++) {
        items[i].key[0] = i;
        items[i].key[2] = 7;
        ntt_hash_table_insert(&t, &items[i].link, ntt_hash_table_hash(&t, items[i].key));
    }
    assert_int_equal(t.count, N);
    /* At most one entry a bucket on average: the array doubled to 8192. */
    assert_int_equal(t.mask + 1, 8192);
    assert_int_equal(a->bytes, ntt_memcap_malloc_size(8192 * sizeof(void *)));
    for (uint32_t i = 0; i < N; i++)
        assert_ptr_equal(find(&t, i, 0, 7), &items[i]);
    assert_null(find(&t, N, 0, 7));
    assert_null(find(&t, 0, 0, 8));
    /* Every entry is visited once by a walk. */
    {
        ntt_hash_link_t *cursor = NULL, *link;
        unsigned seen = 0;

        while ((link = ntt_hash_table_next(&t, &cursor)) != NULL) {
            item_t *it = NTT_HASH_ENTRY(link, item_t, link);

            assert_int_equal(it->key[1]++, 0);
            seen++;
        }
        assert_int_equal(seen, N);
        for (uint32_t i = 0; i < N; i++)
            items[i].key[1] = 0;
    }
    for (uint32_t i = 0; i < N; i += 2)
        ntt_hash_table_remove(&t, &items[i].link);
    for (uint32_t i = 0; i < N; i++)
        assert_ptr_equal(find(&t, i, 0, 7), i % 2 ? &items[i] : NULL);
    for (uint32_t i = 1; i < N; i += 2)
        ntt_hash_table_remove(&t, &items[i].link);
    /* A flood's buckets go with it. */
    assert_int_equal(t.count, 0);
    assert_true(t.mask + 1 <= 4);
    ntt_hash_table_clear(&t);
    assert_int_equal(a->bytes, 0);
    assert_int_equal(a->peak_bytes, ntt_memcap_malloc_size(8192 * sizeof(void *)));
    g_free(items);
    ntt_memcap_free(m);
}

static void test_growth_that_does_not_fit_is_skipped(void **state)
{
    enum { N = 100 };
    /* Room for the first bucket arrays only. */
    ntt_memcap_t *m = ntt_memcap_new(200, 0);
    ntt_memcap_account_t *a = ntt_memcap_open(m, "test");
    ntt_hash_table_t t;
    item_t items[N];

    (void)state;
    memset(items, 0, sizeof items);
    init(&t, a);
    for (uint32_t i = 0; i < N; i++) {
        items[i].key[0] = i;
        ntt_hash_table_insert(&t, &items[i].link, ntt_hash_table_hash(&t, items[i].key));
    }
    assert_true(a->bytes <= 200);
    assert_true(t.mask + 1 < N);
    for (uint32_t i = 0; i < N; i++)
        assert_ptr_equal(find(&t, i, 0, 0), &items[i]);
    ntt_hash_table_clear(&t);
    assert_int_equal(a->bytes, 0);
    ntt_memcap_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_insert_find_remove),
        cmocka_unit_test(test_growth_that_does_not_fit_is_skipped),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
