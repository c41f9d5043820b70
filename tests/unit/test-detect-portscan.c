/* test-detect-portscan.c
 * Vertical port scans: counted by failed or unanswered distinct ports of
 * one host, never by successful connections.
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

#define SCANNER "198.51.100.66"
#define VICTIM  "203.0.113.20"

static detect_harness_t *harness(void)
{
    ntt_detect_config_t c;

    ntt_detect_config_init(&c);
    return harness_new(&ntt_detect_portscan_ops, &c);
}

/* A SYN to each port, answered by RST (closed) or SYN-ACK (open). */
static uint32_t syn_probe(detect_harness_t *h, uint32_t frame, int64_t ms,
                          uint16_t port, bool open)
{
    ntt_packet_t syn = tcp4(frame, MS(ms), SCANNER, 40000, VICTIM, port, NTT_TCP_SYN, 1, 0);
    ntt_packet_t answer = tcp4(frame + 1, MS(ms) + 100000, VICTIM, port, SCANNER, 40000,
                               open ? NTT_TCP_SYN | NTT_TCP_ACK : NTT_TCP_RST | NTT_TCP_ACK,
                               9, 0);

    harness_feed(h, &syn);
    harness_feed(h, &answer);
    return frame + 2;
}

static void syn_scan_raises_at_the_seventh_failed_port(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    const recorded_mark_t *r;
    uint32_t token;

    (void)state;
    for (uint16_t port = 1; port <= 6; port++)
        frame = syn_probe(h, frame, port, port, false);
    assert_int_equal(harness_raise_count(h, NTT_ALERT_PORTSCAN), 0);
    frame = syn_probe(h, frame, 7, 7, false);
    assert_int_equal(harness_raise_count(h, NTT_ALERT_PORTSCAN), 1);
    r = harness_raise(h, NTT_ALERT_PORTSCAN, 0);
    /* Decided at the 7th SYN: still unanswered, it already counts. */
    assert_int_equal(r->frame, 13);
    assert_memory_equal(r->mark.info.src.bytes, addr4(SCANNER).bytes, 16);
    assert_memory_equal(r->mark.info.dst.bytes, addr4(VICTIM).bytes, 16);
    assert_int_equal(r->mark.info.first_frame, 1);
    token = r->mark.token;     /* r moves as more marks are recorded */
    for (uint16_t port = 8; port <= 30; port++)
        frame = syn_probe(h, frame, port, port, false);
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 1);
    /* Every probe and every RST belongs to the tracker. */
    assert_int_equal(harness_frames_of_token(h, token), frame - 1);
    harness_free(h);
}

static void open_ports_do_not_count(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* A busy client: 50 successful connections to 20 ports. */
    for (int i = 0; i < 50; i++)
        frame = syn_probe(h, frame, i * 10, (uint16_t)(8000 + i % 20), true);
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 0);
    harness_free(h);
}

static void udp_scan_via_icmp_unreachable(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    for (uint16_t port = 1; port <= 7; port++) {
        ntt_packet_t probe = udp4(frame++, MS(port * 10), SCANNER, 50000, VICTIM, port, 0);
        ntt_packet_t unreachable = icmp4_error(frame++, MS(port * 10 + 1), VICTIM, SCANNER,
                                               3, 3, NTT_IPPROTO_UDP, SCANNER, 50000,
                                               VICTIM, port);

        harness_feed(h, &probe);
        harness_feed(h, &unreachable);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_PORTSCAN), 1);
    harness_free(h);
}

static void ports_beyond_the_window_do_not_add_up(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* One refused port every 11 s: never more than 6 in 60 s. */
    for (uint16_t port = 1; port <= 30; port++)
        frame = syn_probe(h, frame, (int64_t)port * 11000, port, false);
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 0);

    /* Within the window, spread out, they do. */
    for (uint16_t port = 100; port < 107; port++)
        frame = syn_probe(h, frame, 400000 + (int64_t)(port - 100) * 8000, port, false);
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 1);
    harness_free(h);
}

static void ipv6_scan(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    for (uint16_t port = 1; port <= 7; port++) {
        ntt_packet_t syn = tcp6(frame++, MS(port), "2001:db8:66::66", 40000,
                                "2001:db8:20::20", port, NTT_TCP_SYN, 1, 0);
        ntt_packet_t rst = tcp6(frame++, MS(port) + 1000, "2001:db8:20::20", port,
                                "2001:db8:66::66", 40000, NTT_TCP_RST | NTT_TCP_ACK, 0, 0);

        harness_feed(h, &syn);
        harness_feed(h, &rst);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_PORTSCAN), 1);
    assert_int_equal(harness_raise(h, NTT_ALERT_PORTSCAN, 0)->mark.info.ip_version, 6);
    harness_free(h);
}

static void full_table_evicts_and_says_so(void **state)
{
    ntt_detect_config_t c;
    detect_harness_t *h;
    uint32_t frame = 1;
    char src[32];

    (void)state;
    ntt_detect_config_init(&c);
    c.max_trackers = 4;
    h = harness_new(&ntt_detect_portscan_ops, &c);
    for (int i = 0; i < 100; i++) {
        ntt_packet_t syn;

        snprintf(src, sizeof src, "10.0.%d.%d", i / 250, i % 250 + 1);
        syn = tcp4(frame++, MS(i), src, 40000, VICTIM, 80, NTT_TCP_SYN, 1, 0);
        harness_feed(h, &syn);
    }
    assert_true(harness_evictions(h, NTT_ALERT_PORTSCAN) > 0);
    /* A real scan is still found. */
    for (uint16_t port = 1; port <= 7; port++)
        frame = syn_probe(h, frame, 1000 + port, port, false);
    assert_int_equal(harness_raise_count(h, NTT_ALERT_PORTSCAN), 1);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(syn_scan_raises_at_the_seventh_failed_port),
        cmocka_unit_test(open_ports_do_not_count),
        cmocka_unit_test(udp_scan_via_icmp_unreachable),
        cmocka_unit_test(ports_beyond_the_window_do_not_add_up),
        cmocka_unit_test(ipv6_scan),
        cmocka_unit_test(full_table_evicts_and_says_so),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
