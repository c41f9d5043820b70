/* test-detect-sweep.c
 * Host sweeps: the Threshold Random Walk on first-contact outcomes, its
 * backstop, and the burst rule for sweeps faster than any timeout.
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
    /* 1.5 s apart: never a burst, the walk decides on the refusals. */
    for (int i = 1; i <= 5; i++) {
        ntt_packet_t syn = tcp4(frame++, MS(i * 1500), SCANNER, 40000, host(i), 80,
                                NTT_TCP_SYN, 1, 0);
        ntt_packet_t rst = tcp4(frame++, MS(i * 1500) + 1000, host(i), 80, SCANNER, 40000,
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

/* n echo requests 5 ms apart to hosts first..first+n-1 of base; the hosts
 * in `live` answer 1 ms later. */
static void fast_sweep(detect_harness_t *h, uint32_t *frame, const char *base, int first,
                       int n, const int *live, int nlive)
{
    for (int i = first; i < first + n; i++) {
        char dst[48];
        ntt_packet_t echo;

        snprintf(dst, sizeof dst, "%s%d", base, i);
        echo = icmp4((*frame)++, MS(i * 5), SCANNER, dst, 8, 0, 7);
        harness_feed(h, &echo);
        for (int j = 0; j < nlive; j++) {
            if (live[j] == i) {
                ntt_packet_t reply = icmp4((*frame)++, MS(i * 5 + 1), dst, SCANNER, 0, 0, 7);

                harness_feed(h, &reply);
            }
        }
    }
}

static void a_fast_sweep_is_raised_by_its_fifth_host(void **state)
{
    detect_harness_t *h = harness();
    static const int live[] = { 1 };
    uint32_t frame = 1;
    const recorded_mark_t *r;

    (void)state;
    /* nmap -sn of a /26: .0 silent, .1 up, then silent hosts; no timeout
     * has passed when the 4th silent one is probed (the 5th host). */
    fast_sweep(h, &frame, "203.0.113.", 0, 64, live, 1);
    assert_int_equal(harness_raise_count(h, NTT_ALERT_SWEEP), 1);
    r = harness_raise(h, NTT_ALERT_SWEEP, 0);
    assert_int_equal(r->mark.info.detail.sweep.hosts, 5);
    assert_int_equal(r->frame, 6);          /* .0, .1, reply, .2, .3, .4 */
    harness_free(h);
}

static void a_subnet_that_answers_is_not_a_burst(void **state)
{
    detect_harness_t *h = harness();
    static const int live[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
    uint32_t frame = 1;

    (void)state;
    fast_sweep(h, &frame, "203.0.113.", 1, 10, live, 10);
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 0);
    harness_free(h);
}

static void first_contacts_in_different_networks_are_not_a_burst(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Ten silent hosts, each in its own /24, within 50 ms: no burst; the
     * walk waits for the timeouts. */
    for (int i = 1; i <= 10; i++) {
        char dst[32];
        ntt_packet_t syn;

        snprintf(dst, sizeof dst, "203.0.%d.10", i);
        syn = tcp4(frame++, MS(i * 5), "192.0.2.10", 40000 + i, dst, 443, NTT_TCP_SYN, 1, 0);
        harness_feed(h, &syn);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 0);
    harness_free(h);
}

static void the_burst_rule_can_be_switched_off(void **state)
{
    ntt_detect_config_t c;
    detect_harness_t *h;
    uint32_t frame = 1;

    (void)state;
    ntt_detect_config_init(&c);
    c.sweep_burst = 0;
    h = harness_new(&ntt_detect_sweep_ops, &c);
    fast_sweep(h, &frame, "203.0.113.", 0, 64, NULL, 0);
    assert_int_equal(harness_raise_count(h, NTT_ALERT_TYPE_COUNT), 0);
    harness_free(h);
}

static void ipv6_bursts_are_per_64(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    for (int i = 1; i <= 5; i++) {
        char dst[48];
        ntt_packet_t syn;

        snprintf(dst, sizeof dst, "2001:db8:20::%x", i);
        syn = tcp6(frame++, MS(i), "2001:db8:66::66", 40000, dst, 22, NTT_TCP_SYN, 1, 0);
        harness_feed(h, &syn);
    }
    assert_int_equal(harness_raise_count(h, NTT_ALERT_SWEEP), 1);
    assert_int_equal(harness_raise(h, NTT_ALERT_SWEEP, 0)->frame, 4);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ping_sweep_of_absent_hosts_raises_after_four_failures),
        cmocka_unit_test(syn_sweep_with_refusals_and_port),
        cmocka_unit_test(answering_hosts_are_not_a_sweep),
        cmocka_unit_test(port_scan_of_one_host_is_not_a_sweep),
        cmocka_unit_test(a_fast_sweep_is_raised_by_its_fifth_host),
        cmocka_unit_test(a_subnet_that_answers_is_not_a_burst),
        cmocka_unit_test(first_contacts_in_different_networks_are_not_a_burst),
        cmocka_unit_test(the_burst_rule_can_be_switched_off),
        cmocka_unit_test(ipv6_bursts_are_per_64),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
