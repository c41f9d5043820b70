/* test-flow-table.c
 * Keys are the same in both directions; the table keeps recency order;
 * clearing it hands every flow to on_drop once, oldest first, and gives
 * every byte back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "flow/flow-table.h"
#include "packet-builder.h"

static void test_key_is_direction_free(void **state)
{
    ntt_packet_t there = tcp4(1, 0, "192.0.2.1", 1234, "192.0.2.2", 80, NTT_TCP_SYN, 0, 0);
    ntt_packet_t back = tcp4(2, 0, "192.0.2.2", 80, "192.0.2.1", 1234, NTT_TCP_ACK, 0, 0);
    ntt_flow_key_t k1, k2;
    bool a1, a2;

    (void)state;
    ntt_flow_key_from_packet(&there, &k1, &a1);
    ntt_flow_key_from_packet(&back, &k2, &a2);
    assert_memory_equal(&k1, &k2, sizeof k1);
    assert_true(a1 != a2);
}

static void test_key_separates_kinds_and_families(void **state)
{
    ntt_packet_t echo = icmp4(1, 0, "192.0.2.1", "192.0.2.2", 8, 0, 0);
    ntt_packet_t unreach = icmp4(2, 0, "192.0.2.1", "192.0.2.2", 3, 1, 0);
    ntt_packet_t udp = udp4(3, 0, "192.0.2.1", 0, "192.0.2.2", 0, 0);
    ntt_flow_key_t k1, k2, k3;
    bool a;

    (void)state;
    ntt_flow_key_from_packet(&echo, &k1, &a);
    ntt_flow_key_from_packet(&unreach, &k2, &a);
    ntt_flow_key_from_packet(&udp, &k3, &a);
    assert_int_equal(k1.kind, NTT_FLOW_ECHO);
    assert_int_equal(k2.kind, NTT_FLOW_ADDRS);
    assert_memory_not_equal(&k1, &k2, sizeof k1);
    assert_memory_not_equal(&k2, &k3, sizeof k1);
}

static void test_recency_order(void **state)
{
    ntt_flow_table_t t;
    ntt_flow_key_t keys[3];
    ntt_live_flow_t *flows[3];

    (void)state;
    ntt_flow_table_init(&t, NULL, INT64_C(300000000000));
    memset(keys, 0, sizeof keys);
    for (int i = 0; i < 3; i++) {
        keys[i].port_a = (uint16_t)(i + 1);
        flows[i] = ntt_flow_table_add(&t, &keys[i], (uint32_t)i);
        ntt_flow_table_touch(&t, flows[i], i);
    }
    assert_ptr_equal(ntt_flow_table_oldest(&t), flows[0]);
    ntt_flow_table_touch(&t, flows[0], 10);
    assert_ptr_equal(ntt_flow_table_oldest(&t), flows[1]);
    assert_ptr_equal(ntt_flow_table_lookup(&t, &keys[2]), flows[2]);
    ntt_flow_table_remove(&t, flows[1]);
    assert_null(ntt_flow_table_lookup(&t, &keys[1]));
    assert_ptr_equal(ntt_flow_table_oldest(&t), flows[2]);
    assert_int_equal(t.count, 2);
    ntt_flow_table_remove(&t, flows[2]);
    ntt_flow_table_remove(&t, flows[0]);
    assert_null(ntt_flow_table_oldest(&t));
    assert_int_equal(t.count, 0);
    ntt_flow_table_clear(&t);
}

/* The flows on_drop was handed, in order. */
typedef struct dropped {
    uint32_t ids[16];
    unsigned n;
} dropped_t;

static void note_drop(void *ctx, ntt_live_flow_t *flow)
{
    dropped_t *d = ctx;

    assert_true(d->n < 16);
    d->ids[d->n++] = flow->id;
}

static void test_clear_drops_every_flow_and_gives_its_bytes_back(void **state)
{
    ntt_memcap_t *m = ntt_memcap_new(0, 0);
    ntt_flow_table_t t;
    ntt_flow_key_t key;
    ntt_live_flow_t *flows[6];
    dropped_t d;
    ntt_memcap_stats_t s;
    /* Oldest first: flow 4 was touched last, flow 2 removed before. */
    static const uint32_t order[] = { 0, 1, 3, 5, 4 };

    (void)state;
    memset(&d, 0, sizeof d);
    ntt_flow_table_init(&t, m, INT64_C(300000000000));
    t.on_drop = note_drop;
    t.on_drop_ctx = &d;
    for (uint32_t i = 0; i < 6; i++) {
        memset(&key, 0, sizeof key);
        key.port_a = (uint16_t)(i + 1);
        flows[i] = ntt_flow_table_add(&t, &key, i);
        ntt_flow_table_touch(&t, flows[i], i);
    }
    ntt_flow_table_touch(&t, flows[4], 10);
    ntt_flow_table_remove(&t, flows[2]);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.ids[0], 2);
    ntt_memcap_stats(m, &s);
    assert_true(s.used_bytes > 0);
    d.n = 0;
    ntt_flow_table_clear(&t);
    assert_int_equal(d.n, 5);
    for (unsigned i = 0; i < 5; i++)
        assert_int_equal(d.ids[i], order[i]);
    assert_int_equal(t.count, 0);
    assert_null(ntt_flow_table_oldest(&t));
    ntt_memcap_stats(m, &s);
    assert_int_equal(s.used_bytes, 0);
    assert_int_equal(ntt_memcap_account_at(m, 0)->bytes, 0);
    ntt_memcap_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_is_direction_free),
        cmocka_unit_test(test_key_separates_kinds_and_families),
        cmocka_unit_test(test_recency_order),
        cmocka_unit_test(test_clear_drops_every_flow_and_gives_its_bytes_back),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
