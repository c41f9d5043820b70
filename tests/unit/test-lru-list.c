/* test-lru-list.c
 * The recency list: pushes, touches and unlinks keep the order from
 * least to most recently seen, at either end and in the middle.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "util/lru-list.h"

typedef struct item {
    int            id;
    ntt_lru_node_t node;
} item_t;

/* The ids from oldest to newest, checked against the links both ways. */
static void assert_order(const ntt_lru_list_t *list, const int *ids, int n)
{
    const ntt_lru_node_t *node = ntt_lru_oldest(list);
    int i = 0;

    for (; node; node = node->newer, i++) {
        assert_true(i < n);
        assert_int_equal(NTT_LRU_ENTRY(node, item_t, node)->id, ids[i]);
    }
    assert_int_equal(i, n);
    node = ntt_lru_newest(list);
    for (i = n - 1; node; node = node->older, i--)
        assert_int_equal(NTT_LRU_ENTRY(node, item_t, node)->id, ids[i]);
    assert_int_equal(i, -1);
}

static void test_order_of_pushes_and_touches(void **state)
{
    item_t items[4];
    ntt_lru_list_t list;

    (void)state;
    ntt_lru_init(&list);
    assert_null(ntt_lru_oldest(&list));
    assert_null(ntt_lru_newest(&list));
    for (int i = 0; i < 4; i++) {
        items[i].id = i;
        ntt_lru_push_newest(&list, &items[i].node);
    }
    assert_order(&list, (const int[]){ 0, 1, 2, 3 }, 4);
    ntt_lru_touch(&list, &items[0].node);           /* oldest -> newest */
    assert_order(&list, (const int[]){ 1, 2, 3, 0 }, 4);
    ntt_lru_touch(&list, &items[2].node);           /* middle -> newest */
    assert_order(&list, (const int[]){ 1, 3, 0, 2 }, 4);
    ntt_lru_touch(&list, &items[2].node);           /* newest stays */
    assert_order(&list, (const int[]){ 1, 3, 0, 2 }, 4);
}

static void test_unlink_anywhere(void **state)
{
    item_t items[4];
    ntt_lru_list_t list;

    (void)state;
    ntt_lru_init(&list);
    for (int i = 0; i < 4; i++) {
        items[i].id = i;
        ntt_lru_push_newest(&list, &items[i].node);
    }
    ntt_lru_unlink(&list, &items[1].node);          /* middle */
    assert_order(&list, (const int[]){ 0, 2, 3 }, 3);
    assert_null(items[1].node.older);
    assert_null(items[1].node.newer);
    ntt_lru_unlink(&list, &items[0].node);          /* oldest */
    assert_order(&list, (const int[]){ 2, 3 }, 2);
    ntt_lru_unlink(&list, &items[3].node);          /* newest */
    assert_order(&list, (const int[]){ 2 }, 1);
    ntt_lru_unlink(&list, &items[2].node);          /* the last */
    assert_order(&list, NULL, 0);
    assert_null(ntt_lru_oldest(&list));
    /* An unlinked node goes back in as the newest. */
    ntt_lru_push_newest(&list, &items[1].node);
    ntt_lru_push_newest(&list, &items[0].node);
    assert_order(&list, (const int[]){ 1, 0 }, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_of_pushes_and_touches),
        cmocka_unit_test(test_unlink_anywhere),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
