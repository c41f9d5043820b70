/* test-detect-bruteforce.c
 * Many connections from one source to one login service (the service
 * table's: ssh, rdp ..., not smtp or http), in an exact sliding window;
 * the rest of each counted connection belongs to the episode. Every
 * threshold is set here (not the defaults), and the expected counts
 * follow from it.
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

#define ATTACKER "198.51.100.66"
#define SERVER   "203.0.113.20"

/* The rules under test. */
#define ATTEMPTS  8         /* bruteforce_attempts */
#define WINDOW_MS 28000     /* bruteforce_window */
#define TRACKERS  1000      /* max_trackers: room for every pair here */
/* Attempts this far apart: ATTEMPTS of them span the window exactly. */
#define EDGE_GAP_MS (WINDOW_MS / (ATTEMPTS - 1))

static detect_harness_t *harness(void)
{
    ntt_detect_config_t c;

    ntt_detect_config_init(&c);
    c.bruteforce_attempts = ATTEMPTS;
    c.bruteforce_window_ns = MS(WINDOW_MS);
    c.max_trackers = TRACKERS;
    return harness_new(&ntt_detect_bruteforce_ops, &c);
}

/* n connections to port, one every gap_ms (from 0), each SYN then
 * SYN-ACK: the k-th SYN (from 1) is frame 2k - 1. */
static detect_harness_t *connect_n(int n, uint16_t port, int64_t gap_ms)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    for (int i = 0; i < n; i++) {
        ntt_packet_t syn = tcp4(frame++, MS(i * gap_ms), ATTACKER, (uint16_t)(40000 + i),
                                SERVER, port, NTT_TCP_SYN, 1, 0);
        ntt_packet_t synack = tcp4(frame++, MS(i * gap_ms + 1), SERVER, port,
                                   ATTACKER, (uint16_t)(40000 + i),
                                   NTT_TCP_SYN | NTT_TCP_ACK, 5, 0);

        harness_feed(h, &syn);
        harness_feed(h, &synack);
    }
    return h;
}

static void ssh_connections_raise_at_the_bruteforce_attempts_th(void **state)
{
    detect_harness_t *h = connect_n(ATTEMPTS + 5, 22, 1200);
    const recorded_mark_t *r;

    (void)state;
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_BRUTEFORCE), 1);
    r = harness_raise(h, NTT_EPISODE_BRUTEFORCE, 0);
    assert_int_equal(r->frame, 2 * ATTEMPTS - 1);     /* the ATTEMPTS-th SYN */
    assert_int_equal(r->mark.info.detail.bruteforce.attempts, ATTEMPTS);
    assert_int_equal(r->mark.info.port, 22);
    assert_int_equal(r->mark.info.first_frame, 1);
    harness_free(h);
}

static void one_attempt_fewer_does_not(void **state)
{
    detect_harness_t *h = connect_n(ATTEMPTS - 1, 22, 1000);

    (void)state;
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void another_login_service_of_the_table_counts(void **state)
{
    /* rdp 3389, as docs/detectors.md lists the login services. */
    detect_harness_t *h = connect_n(ATTEMPTS, 3389, 1000);

    (void)state;
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_BRUTEFORCE), 1);
    assert_int_equal(harness_raise(h, NTT_EPISODE_BRUTEFORCE, 0)->mark.info.port, 3389);
    harness_free(h);
}

static void the_same_burst_to_smtp_or_http_is_nothing(void **state)
{
    static const uint16_t not_logins[] = { 25, 80 };

    (void)state;
    /* Five times the attempts, fast: a mail relay, a browser. */
    for (size_t i = 0; i < sizeof not_logins / sizeof not_logins[0]; i++) {
        detect_harness_t *h = connect_n(5 * ATTEMPTS, not_logins[i], 100);

        assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
        assert_int_equal(harness_marks(h)->len, 0);
        harness_free(h);
    }
}

static void attempts_spanning_just_over_the_window_do_not(void **state)
{
    detect_harness_t *edge = connect_n(ATTEMPTS, 22, EDGE_GAP_MS);
    detect_harness_t *over = connect_n(5 * ATTEMPTS, 22, EDGE_GAP_MS + 1);

    (void)state;
    assert_int_equal((ATTEMPTS - 1) * EDGE_GAP_MS, WINDOW_MS);
    /* The window is exact: ATTEMPTS attempts spanning it, to the
     * millisecond, raise; one millisecond more apart, never. */
    assert_int_equal(harness_raise_count(edge, NTT_EPISODE_BRUTEFORCE), 1);
    assert_int_equal(harness_raise_count(over, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(edge);
    harness_free(over);
}

static bool frame_is_marked(const detect_harness_t *h, uint32_t frame)
{
    const GArray *marks = harness_marks(h);

    for (guint i = 0; i < marks->len; i++) {
        if (g_array_index(marks, recorded_mark_t, i).frame == frame)
            return true;
    }
    return false;
}

static void an_attempts_connection_is_marked_a_midstream_one_is_not(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    uint32_t midstream[2 * ATTEMPTS];
    unsigned n_midstream = 0;
    const recorded_mark_t *r;

    (void)state;
    /* ATTEMPTS ssh logins, each a handshake, a password and its answer;
     * between them, the same pair's connection that was already open
     * when the capture began (it has no SYN here): its packets are not
     * an attempt's and never the episode's. */
    for (int i = 0; i < ATTEMPTS; i++) {
        uint16_t sport = (uint16_t)(40000 + i);
        int64_t t = MS(i * 1000);
        ntt_packet_t login[5] = {
            tcp4(0, t, ATTACKER, sport, SERVER, 22, NTT_TCP_SYN, 1, 0),
            tcp4(0, t + 100000, SERVER, 22, ATTACKER, sport, NTT_TCP_SYN | NTT_TCP_ACK, 5, 0),
            tcp4(0, t + 200000, ATTACKER, sport, SERVER, 22, NTT_TCP_ACK, 2, 0),
            tcp4(0, t + 300000, ATTACKER, sport, SERVER, 22, NTT_TCP_ACK | NTT_TCP_PSH, 2, 64),
            tcp4(0, t + 400000, SERVER, 22, ATTACKER, sport, NTT_TCP_ACK | NTT_TCP_PSH, 6, 48),
        };
        ntt_packet_t old[2] = {
            tcp4(0, t + 500000, ATTACKER, 39999, SERVER, 22, NTT_TCP_ACK | NTT_TCP_PSH,
                 1000 + (uint32_t)i, 64),
            tcp4(0, t + 600000, SERVER, 22, ATTACKER, 39999, NTT_TCP_ACK | NTT_TCP_PSH,
                 2000 + (uint32_t)i, 48),
        };

        for (int k = 0; k < 5; k++) {
            login[k].frame = frame++;
            harness_feed(h, &login[k]);
        }
        for (int k = 0; k < 2; k++) {
            old[k].frame = frame++;
            midstream[n_midstream++] = old[k].frame;
            harness_feed(h, &old[k]);
        }
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_BRUTEFORCE), 1);
    r = harness_raise(h, NTT_EPISODE_BRUTEFORCE, 0);
    assert_int_equal(r->frame, 7 * (ATTEMPTS - 1) + 1);   /* the last SYN */
    /* Every packet of the logins, answers included, before the raise
     * and after it. */
    assert_int_equal(harness_frames_of_token(h, r->mark.token), 5 * ATTEMPTS);
    for (unsigned i = 0; i < n_midstream; i++)
        assert_false(frame_is_marked(h, midstream[i]));
    harness_free(h);
}

static void udp_and_pings_to_the_login_host_are_not_attempts(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Five times the attempts as UDP to port 22 and pings, in a second. */
    for (int i = 0; i < 5 * ATTEMPTS; i++) {
        ntt_packet_t udp = udp4(frame++, MS(i * 10), ATTACKER, (uint16_t)(40000 + i),
                                SERVER, 22, 40);
        ntt_packet_t echo = icmp4(frame++, MS(i * 10 + 1), ATTACKER, SERVER, 8, 0,
                                  (uint16_t)i);

        harness_feed(h, &udp);
        harness_feed(h, &echo);
    }
    assert_int_equal(harness_marks(h)->len, 0);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ssh_connections_raise_at_the_bruteforce_attempts_th),
        cmocka_unit_test(one_attempt_fewer_does_not),
        cmocka_unit_test(another_login_service_of_the_table_counts),
        cmocka_unit_test(the_same_burst_to_smtp_or_http_is_nothing),
        cmocka_unit_test(attempts_spanning_just_over_the_window_do_not),
        cmocka_unit_test(an_attempts_connection_is_marked_a_midstream_one_is_not),
        cmocka_unit_test(udp_and_pings_to_the_login_host_are_not_attempts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
