/* test-detect-flood.c
 * SYN, UDP and ICMP floods and many-to-one DDoS: raised within a second
 * of onset at 1000 packets/s, not raised by busy but answered traffic,
 * one tracker per victim under spoofed sources.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "detect-harness.h"
#include "packet-builder.h"

#define VICTIM "203.0.113.20"

static detect_harness_t *harness_with(uint32_t max_trackers)
{
    ntt_detect_config_t c;

    ntt_detect_config_init(&c);
    if (max_trackers)
        c.max_trackers = max_trackers;
    return harness_new(&ntt_detect_flood_ops, &c);
}

static const char *spoofed(int i)
{
    static char buf[32];

    snprintf(buf, sizeof buf, "11.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
    return buf;
}

/* A packet every millisecond from t0. */
#define AT(i) (MS(5000) + (int64_t)(i) * 1000000)

static void single_source_syn_flood_within_a_second(void **state)
{
    detect_harness_t *h = harness_with(0);
    const recorded_mark_t *r;

    (void)state;
    for (int i = 0; i < 2000; i++) {
        ntt_packet_t syn = tcp4((uint32_t)i + 1, AT(i), "198.51.100.66", (uint16_t)(1024 + i),
                                VICTIM, 80, NTT_TCP_SYN, (uint32_t)i, 0);

        harness_feed(h, &syn);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_SYNFLOOD), 1);
    r = harness_raise(h, NTT_ALERT_SYNFLOOD, 0);
    assert_true(r->frame <= 1000);                 /* within 1 s at 1000/s */
    assert_true(r->mark.info.has_src);
    assert_int_equal(r->mark.info.port, 80);
    assert_true(r->mark.info.half_open >= 100);
    assert_int_equal(harness_raise_count(h, NTT_ALERT_DDOS), 0);
    harness_free(h);
}

static void spoofed_syn_flood_is_one_episode_and_bounded(void **state)
{
    detect_harness_t *h = harness_with(100);
    const recorded_mark_t *r;

    (void)state;
    for (int i = 0; i < 5000; i++) {
        ntt_packet_t syn = tcp4((uint32_t)i + 1, AT(i), spoofed(i), 4000, VICTIM, 80,
                                NTT_TCP_SYN, 1, 0);

        harness_feed(h, &syn);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 1);
    r = harness_raise(h, NTT_ALERT_SYNFLOOD, 0);
    assert_non_null(r);
    assert_false(r->mark.info.has_src);
    assert_true(r->mark.info.distinct_sources > 100);
    /* State is per victim: 5000 sources fill no table. */
    assert_int_equal(harness_evictions(h, NTT_ALERT_SYNFLOOD), 0);
    harness_free(h);
}

static void answered_connections_are_not_a_syn_flood(void **state)
{
    detect_harness_t *h = harness_with(0);
    uint32_t frame = 1;

    (void)state;
    /* 300 complete handshakes a second from many clients. */
    for (int i = 0; i < 900; i++) {
        int64_t t = MS(5000) + (int64_t)i * 3333333;
        ntt_packet_t syn = tcp4(frame++, t, spoofed(i), 5000, VICTIM, 443, NTT_TCP_SYN, 1, 0);
        ntt_packet_t synack = tcp4(frame++, t + 100000, VICTIM, 443, spoofed(i), 5000,
                                   NTT_TCP_SYN | NTT_TCP_ACK, 7, 0);
        ntt_packet_t ack = tcp4(frame++, t + 200000, spoofed(i), 5000, VICTIM, 443,
                                NTT_TCP_ACK, 2, 0);

        harness_feed(h, &syn);
        harness_feed(h, &synack);
        harness_feed(h, &ack);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_SYNFLOOD), 0);
    harness_free(h);
}

static void udp_flood_versus_answered_dns(void **state)
{
    detect_harness_t *flood = harness_with(0), *dns = harness_with(0);
    uint32_t frame = 1;

    (void)state;
    for (int i = 0; i < 1500; i++) {
        ntt_packet_t p = udp4((uint32_t)i + 1, AT(i), "198.51.100.66", (uint16_t)(2000 + i),
                              VICTIM, 9, 100);

        harness_feed(flood, &p);
    }
    assert_int_equal(harness_raise_count(flood, NTT_ALERT_UDPFLOOD), 1);
    assert_true(harness_raise(flood, NTT_ALERT_UDPFLOOD, 0)->frame <= 1000);

    for (int i = 0; i < 900; i++) {
        int64_t t = MS(5000) + (int64_t)i * 3333333;
        ntt_packet_t q = udp4(frame++, t, spoofed(i % 40), (uint16_t)(3000 + i), VICTIM, 53, 30);
        ntt_packet_t a = udp4(frame++, t + 200000, VICTIM, 53, spoofed(i % 40),
                              (uint16_t)(3000 + i), 60);

        harness_feed(dns, &q);
        harness_feed(dns, &a);
    }
    assert_int_equal(harness_raise_count(dns, NTT_ALERT_TYPE_COUNT), 0);
    harness_free(flood);
    harness_free(dns);
}

static void icmp_flood_versus_ping(void **state)
{
    detect_harness_t *flood = harness_with(0), *ping = harness_with(0);

    (void)state;
    for (int i = 0; i < 1500; i++) {
        ntt_packet_t p = icmp4((uint32_t)i + 1, AT(i), "198.51.100.66", VICTIM, 8, 0,
                               (uint16_t)i);
        ntt_packet_t once = icmp4((uint32_t)i + 1, MS(5000) + (int64_t)i * 1000000000,
                                  "192.0.2.10", VICTIM, 8, 0, 1);

        harness_feed(flood, &p);
        harness_feed(ping, &once);
    }
    assert_int_equal(harness_raise_count(flood, NTT_ALERT_ICMPFLOOD), 1);
    assert_true(harness_raise(flood, NTT_ALERT_ICMPFLOOD, 0)->frame <= 1000);
    assert_int_equal(harness_raise_count(ping, NTT_ALERT_TYPE_COUNT), 0);
    harness_free(flood);
    harness_free(ping);
}

static void many_sources_are_a_ddos(void **state)
{
    detect_harness_t *h = harness_with(0);

    (void)state;
    /* 500 sources, each sending data over an established-looking flow. */
    for (int i = 0; i < 3000; i++) {
        ntt_packet_t p = tcp4((uint32_t)i + 1, AT(i), spoofed(i % 500), 6000, VICTIM, 80,
                              NTT_TCP_ACK | NTT_TCP_PSH, (uint32_t)i, 100);

        harness_feed(h, &p);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_DDOS), 1);
    assert_false(harness_raise(h, NTT_ALERT_DDOS, 0)->mark.info.has_src);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(single_source_syn_flood_within_a_second),
        cmocka_unit_test(spoofed_syn_flood_is_one_episode_and_bounded),
        cmocka_unit_test(answered_connections_are_not_a_syn_flood),
        cmocka_unit_test(udp_flood_versus_answered_dns),
        cmocka_unit_test(icmp_flood_versus_ping),
        cmocka_unit_test(many_sources_are_a_ddos),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
