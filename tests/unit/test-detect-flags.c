/* test-detect-flags.c
 * Protocol misuse: each impossible packet raises once per source, until
 * the source stays clean for misuse_window. Every threshold is set here
 * (not the defaults), and the expected counts follow from it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "detect-harness.h"
#include "packet-builder.h"

/* The rules under test. */
#define BIG_ECHO_BYTES  1000    /* big_echo_bytes: echo payload above it */
#define MISUSE_WINDOW_MS 20000  /* misuse_window */
#define TRACKERS        1000    /* max_trackers: room for every source here */
/* An ICMP echo header before its payload. */
#define ECHO_HEADER     8

static detect_harness_t *harness(void)
{
    ntt_detect_config_t c;

    ntt_detect_config_init(&c);
    c.big_echo_bytes = BIG_ECHO_BYTES;
    c.misuse_window_ns = MS(MISUSE_WINDOW_MS);
    c.max_trackers = TRACKERS;
    return harness_new(&ntt_detect_flags_ops, &c);
}

static uint8_t misuse_of_tcp(uint16_t flags)
{
    detect_harness_t *h = harness();
    ntt_packet_t p = tcp4(1, MS(1), "198.51.100.66", 1234, "203.0.113.20", 80, flags, 1, 0);
    uint8_t misuse;

    harness_feed(h, &p);
    misuse = harness_raise_count(h, NTT_EPISODE_FLAGS)
        ? harness_raise(h, NTT_EPISODE_FLAGS, 0)->mark.info.detail.flags.misuse : NTT_MISUSE_NONE;
    harness_free(h);
    return misuse;
}

static void impossible_flag_combinations(void **state)
{
    (void)state;
    assert_int_equal(misuse_of_tcp(NTT_TCP_SYN | NTT_TCP_FIN), NTT_MISUSE_SYN_FIN);
    assert_int_equal(misuse_of_tcp(NTT_TCP_SYN | NTT_TCP_RST), NTT_MISUSE_SYN_RST);
    assert_int_equal(misuse_of_tcp(0), NTT_MISUSE_NO_FLAGS);
    assert_int_equal(misuse_of_tcp(0x3f), NTT_MISUSE_ALL_FLAGS);
    assert_int_equal(misuse_of_tcp(NTT_TCP_FIN | NTT_TCP_PSH | NTT_TCP_URG),
                     NTT_MISUSE_FIN_NO_ACK);
    /* Ordinary segments. */
    assert_int_equal(misuse_of_tcp(NTT_TCP_SYN), NTT_MISUSE_NONE);
    assert_int_equal(misuse_of_tcp(NTT_TCP_SYN | NTT_TCP_ACK), NTT_MISUSE_NONE);
    assert_int_equal(misuse_of_tcp(NTT_TCP_FIN | NTT_TCP_ACK), NTT_MISUSE_NONE);
    assert_int_equal(misuse_of_tcp(NTT_TCP_RST), NTT_MISUSE_NONE);
    assert_int_equal(misuse_of_tcp(NTT_TCP_PSH | NTT_TCP_ACK), NTT_MISUSE_NONE);
}

static void land_and_echo_payloads_over_big_echo_bytes(void **state)
{
    detect_harness_t *h = harness();
    ntt_packet_t land = tcp4(1, MS(1), "203.0.113.20", 80, "203.0.113.20", 80,
                             NTT_TCP_SYN, 1, 0);
    ntt_packet_t self_ping = icmp4(2, MS(2), "10.0.0.1", "10.0.0.1", 8, 0, 1);
    ntt_packet_t big = icmp4(3, MS(3), "192.0.2.10", "203.0.113.20", 8, 0, 1);

    (void)state;
    big.ip_payload_len = ECHO_HEADER + BIG_ECHO_BYTES + 1;
    harness_feed(h, &land);
    harness_feed(h, &self_ping);      /* equal addresses alone are fine */
    harness_feed(h, &big);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_FLAGS), 2);
    assert_int_equal(harness_raise(h, NTT_EPISODE_FLAGS, 0)->mark.info.detail.flags.misuse, NTT_MISUSE_LAND);
    assert_int_equal(harness_raise(h, NTT_EPISODE_FLAGS, 1)->mark.info.detail.flags.misuse, NTT_MISUSE_BIG_ECHO);
    big.frame = 4;
    big.ip_payload_len = ECHO_HEADER + BIG_ECHO_BYTES;    /* at the limit: fine */
    big.src = addr4("192.0.2.11");
    harness_feed(h, &big);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_FLAGS), 2);
    harness_free(h);
}

static void only_echo_requests_are_weighed(void **state)
{
    detect_harness_t *h = harness();
    ntt_packet_t request = icmp4(1, MS(1), "192.0.2.10", "203.0.113.20", 8, 0, 1);
    ntt_packet_t reply = icmp4(2, MS(2), "203.0.113.20", "192.0.2.10", 0, 0, 1);
    ntt_packet_t timestamp = icmp4(3, MS(3), "192.0.2.12", "203.0.113.20", 13, 0, 2);

    (void)state;
    /* A ping at the limit, then an echo reply and a timestamp request
     * twice over it: only echo requests are misuse by size. */
    request.ip_payload_len = ECHO_HEADER + BIG_ECHO_BYTES;
    reply.ip_payload_len = ECHO_HEADER + 2 * BIG_ECHO_BYTES;
    timestamp.ip_payload_len = ECHO_HEADER + 2 * BIG_ECHO_BYTES;
    harness_feed(h, &request);
    harness_feed(h, &reply);
    harness_feed(h, &timestamp);
    assert_int_equal(harness_marks(h)->len, 0);
    harness_free(h);
}

static void one_episode_per_source_until_quiet_for_misuse_window(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    int64_t last;

    (void)state;
    for (int i = 0; i < 50; i++) {
        ntt_packet_t null_probe = tcp4(frame++, MS(i * 10), "198.51.100.66", 999,
                                       "203.0.113.20", (uint16_t)(i + 1), 0, 1, 0);

        harness_feed(h, &null_probe);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_FLAGS), 1);
    assert_int_equal(harness_marks(h)->len, 50);
    last = MS(49 * 10);
    {
        /* Quiet for a little less than the window: the same episode. */
        ntt_packet_t again = tcp4(frame++, last + MS(MISUSE_WINDOW_MS - 1000),
                                  "198.51.100.66", 999, "203.0.113.20", 1, 0, 1, 0);

        harness_feed(h, &again);
        last = again.ts_ns;
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_FLAGS), 1);
    assert_int_equal(harness_marks(h)->len, 51);
    {
        /* Quiet for a little more than the window: a new episode. */
        ntt_packet_t again = tcp4(frame++, last + MS(MISUSE_WINDOW_MS + 1000),
                                  "198.51.100.66", 999, "203.0.113.20", 1, 0, 1, 0);

        harness_feed(h, &again);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_FLAGS), 2);
    assert_int_not_equal(harness_raise(h, NTT_EPISODE_FLAGS, 0)->mark.token,
                         harness_raise(h, NTT_EPISODE_FLAGS, 1)->mark.token);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(impossible_flag_combinations),
        cmocka_unit_test(land_and_echo_payloads_over_big_echo_bytes),
        cmocka_unit_test(only_echo_requests_are_weighed),
        cmocka_unit_test(one_episode_per_source_until_quiet_for_misuse_window),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
