/* test-detect-sweep.c
 * Host sweeps: the Threshold Random Walk on first-contact outcomes, and
 * its backstop.
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

static detect_harness_t *harness(void)
{
    ntt_detect_config_t c;

    ntt_detect_config_init(&c);
    return harness_new(&ntt_detect_sweep_ops, &c);
}

static const char *host(int i)
{
    static char buf[32];

    snprintf(buf, sizeof buf, "203.0.113.%d", i);
    return buf;
}

static void ping_sweep_of_absent_hosts_raises_after_four_failures(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Echo requests 1 s apart; nothing answers, so each fails once the
     * 1 s reply timeout has passed (judged at the next packet). */
    for (int i = 1; i <= 20 && !harness_raise_count(h, NTT_ALERT_SWEEP); i++) {
        ntt_packet_t echo = icmp4(frame++, MS(i * 1000), SCANNER, host(i), 8, 0, 7);

        harness_feed(h, &echo);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_SWEEP), 1);
    /* Probes 1..4 failed by the time probe 6 went out (1 s timeout). */
    assert_int_equal(harness_raise(h, NTT_ALERT_SWEEP, 0)->frame, 6);
    assert_false(harness_raise(h, NTT_ALERT_SWEEP, 0)->mark.info.has_dst);
    harness_free(h);
}

static void syn_sweep_with_refusals_and_port(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    const recorded_mark_t *r;

    (void)state;
    for (int i = 1; i <= 5; i++) {
        ntt_packet_t syn = tcp4(frame++, MS(i), SCANNER, 40000, host(i), 80, NTT_TCP_SYN, 1, 0);
        ntt_packet_t rst = tcp4(frame++, MS(i) + 1000, host(i), 80, SCANNER, 40000,
                                NTT_TCP_RST | NTT_TCP_ACK, 0, 0);

        harness_feed(h, &syn);
        harness_feed(h, &rst);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_SWEEP), 1);
    r = harness_raise(h, NTT_ALERT_SWEEP, 0);
    assert_int_equal(r->frame, 8);           /* the 4th refusal */
    assert_true(r->mark.info.has_port);
    assert_int_equal(r->mark.info.port, 80);
    harness_free(h);
}

static void answering_hosts_are_not_a_sweep(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* A client contacting 30 hosts that all answer. */
    for (int i = 1; i <= 30; i++) {
        ntt_packet_t syn = tcp4(frame++, MS(i * 50), "192.0.2.10", 40000 + i, host(i), 443,
                                NTT_TCP_SYN, 1, 0);
        ntt_packet_t synack = tcp4(frame++, MS(i * 50 + 20), host(i), 443, "192.0.2.10",
                                   40000 + i, NTT_TCP_SYN | NTT_TCP_ACK, 9, 0);

        harness_feed(h, &syn);
        harness_feed(h, &synack);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 0);
    harness_free(h);
}

static void port_scan_of_one_host_is_not_a_sweep(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    for (uint16_t port = 1; port <= 100; port++) {
        ntt_packet_t syn = tcp4(frame++, MS(port), SCANNER, 40000, host(20), port,
                                NTT_TCP_SYN, 1, 0);
        ntt_packet_t rst = tcp4(frame++, MS(port) + 1000, host(20), port, SCANNER, 40000,
                                NTT_TCP_RST | NTT_TCP_ACK, 0, 0);

        harness_feed(h, &syn);
        harness_feed(h, &rst);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 0);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ping_sweep_of_absent_hosts_raises_after_four_failures),
        cmocka_unit_test(syn_sweep_with_refusals_and_port),
        cmocka_unit_test(answering_hosts_are_not_a_sweep),
        cmocka_unit_test(port_scan_of_one_host_is_not_a_sweep),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
