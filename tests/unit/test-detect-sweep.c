/* test-detect-sweep.c
 * Host sweeps: the Threshold Random Walk on first-contact outcomes, its
 * backstop, and the burst rule for sweeps faster than any timeout. Every
 * threshold is set here (not the defaults), and the expected counts
 * follow from it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "detect-harness.h"
#include "ntt/dns-answer.h"
#include "packet-builder.h"

#define SCANNER "198.51.100.66"

/* The rules under test. The walk: a failure multiplies the likelihood
 * ratio by (1 - THETA1) / (1 - THETA0) = 4, the source is a scanner at
 * BETA / ALPHA = 48, and 4^2 < 48 <= 4^3: the WALK_FAILURES-th failure
 * in a row decides (walk_failures_follow_from_the_settings checks it). */
#define THETA0           0.8      /* sweep_theta0 */
#define THETA1           0.2      /* sweep_theta1 */
#define ALPHA            0.02     /* sweep_alpha */
#define BETA             0.96     /* sweep_beta */
#define WALK_FAILURES    3
#define SWEEP_HOSTS      12       /* sweep_hosts: the backstop */
#define SWEEP_BURST      6        /* sweep_burst */
#define WINDOW_MS        40000    /* sweep_window */
#define REPLY_TIMEOUT_MS 500      /* reply_timeout */
#define TRACKERS         1000     /* max_trackers: room for every source here */
/* Probes of a fast sweep (nmap -sn): 5 ms apart, a /26 of them within
 * the reply timeout. */
#define FAST_GAP_MS      5
#define FAST_HOSTS       64

static void config(ntt_detect_config_t *c)
{
    ntt_detect_config_init(c);
    c->sweep_theta0 = THETA0;
    c->sweep_theta1 = THETA1;
    c->sweep_alpha = ALPHA;
    c->sweep_beta = BETA;
    c->sweep_hosts = SWEEP_HOSTS;
    c->sweep_burst = SWEEP_BURST;
    c->sweep_window_ns = MS(WINDOW_MS);
    c->reply_timeout_ns = MS(REPLY_TIMEOUT_MS);
    c->max_trackers = TRACKERS;
}

static detect_harness_t *harness(void)
{
    ntt_detect_config_t c;

    config(&c);
    return harness_new(&ntt_detect_sweep_ops, &c);
}

static void walk_failures_follow_from_the_settings(void **state)
{
    double step = (1 - THETA1) / (1 - THETA0);

    (void)state;
    assert_true(pow(step, WALK_FAILURES - 1) < BETA / ALPHA);
    assert_true(BETA / ALPHA <= pow(step, WALK_FAILURES));
    /* The scenarios below rely on these orders. */
    assert_true(WALK_FAILURES < SWEEP_BURST && SWEEP_BURST < SWEEP_HOSTS);
    assert_true((FAST_HOSTS - 1) * FAST_GAP_MS < REPLY_TIMEOUT_MS);
}

static const char *host(int i)
{
    static char buf[32];

    snprintf(buf, sizeof buf, "203.0.113.%d", i);
    return buf;
}

static void ping_sweep_raises_at_the_walks_deciding_failure(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Echo requests reply_timeout apart, nothing answers: a probe fails
     * once it has been unanswered longer than the timeout, judged at the
     * next packet -- probe i at probe i+2. Bursts never fill: a burst
     * holds the contacts within the timeout of its first (two here). */
    for (int i = 1; i <= 2 * SWEEP_HOSTS && !harness_raise_count(h, NTT_EPISODE_SWEEP); i++) {
        ntt_packet_t echo = icmp4(frame++, MS(i * REPLY_TIMEOUT_MS), SCANNER, host(i),
                                  8, 0, 7);

        harness_feed(h, &echo);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    /* Probes 1..WALK_FAILURES failed by the time probe WALK_FAILURES+2
     * went out. */
    assert_int_equal(harness_raise(h, NTT_EPISODE_SWEEP, 0)->frame, WALK_FAILURES + 2);
    assert_false(harness_raise(h, NTT_EPISODE_SWEEP, 0)->mark.info.has_dst);
    harness_free(h);
}

static void syn_sweep_raises_at_the_walks_deciding_refusal_with_its_port(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    const recorded_mark_t *r;

    (void)state;
    /* Farther apart than the reply timeout: never a burst, the walk
     * decides on the refusals. */
    for (int i = 1; i <= WALK_FAILURES + 1; i++) {
        int64_t t = MS(i * (REPLY_TIMEOUT_MS + 1000));
        ntt_packet_t syn = tcp4(frame++, t, SCANNER, 40000, host(i), 80, NTT_TCP_SYN, 1, 0);
        ntt_packet_t rst = tcp4(frame++, t + 1000, host(i), 80, SCANNER, 40000,
                                NTT_TCP_RST | NTT_TCP_ACK, 0, 0);

        harness_feed(h, &syn);
        harness_feed(h, &rst);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    r = harness_raise(h, NTT_EPISODE_SWEEP, 0);
    assert_int_equal(r->frame, 2 * WALK_FAILURES);   /* the deciding refusal */
    assert_int_equal(r->mark.info.detail.sweep.hosts, WALK_FAILURES);
    assert_true(r->mark.info.has_port);
    assert_int_equal(r->mark.info.port, 80);
    harness_free(h);
}

static void the_backstop_raises_at_sweep_hosts_failures_the_walk_never_reaches(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    const recorded_mark_t *r;

    (void)state;
    /* First contacts farther apart than the reply timeout (no burst),
     * refused and answered in turn: the walk goes up one failure and
     * back down one success, never to its threshold, while the refused
     * hosts add up to sweep_hosts. */
    for (int i = 0; i < 4 * SWEEP_HOSTS && !harness_raise_count(h, NTT_EPISODE_SWEEP); i++) {
        int64_t t = MS(i * (REPLY_TIMEOUT_MS + 100));
        bool refused = i % 2 == 0;
        ntt_packet_t syn = tcp4(frame++, t, SCANNER, (uint16_t)(40000 + i), host(i + 1), 80,
                                NTT_TCP_SYN, 1, 0);
        ntt_packet_t answer = tcp4(frame++, t + 1000000, host(i + 1), 80, SCANNER,
                                   (uint16_t)(40000 + i),
                                   refused ? NTT_TCP_RST | NTT_TCP_ACK : NTT_TCP_SYN | NTT_TCP_ACK,
                                   9, 0);

        harness_feed(h, &syn);
        harness_feed(h, &answer);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    r = harness_raise(h, NTT_EPISODE_SWEEP, 0);
    /* The SWEEP_HOSTS-th refusal: contact c = 2 (SWEEP_HOSTS - 1),
     * counting from 0, whose RST is frame 2c + 2. */
    assert_int_equal(r->frame, 4 * (SWEEP_HOSTS - 1) + 2);
    assert_int_equal(r->mark.info.detail.sweep.hosts, 2 * SWEEP_HOSTS - 1);
    harness_free(h);
}

static void answering_hosts_are_not_a_sweep(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* A client contacting more hosts than the backstop, 50 ms apart (a
     * burst's worth within the timeout), all of which answer. */
    for (int i = 1; i <= 2 * SWEEP_HOSTS; i++) {
        ntt_packet_t syn = tcp4(frame++, MS(i * 50), "192.0.2.10", 40000 + i, host(i), 443,
                                NTT_TCP_SYN, 1, 0);
        ntt_packet_t synack = tcp4(frame++, MS(i * 50 + 20), host(i), 443, "192.0.2.10",
                                   40000 + i, NTT_TCP_SYN | NTT_TCP_ACK, 9, 0);

        harness_feed(h, &syn);
        harness_feed(h, &synack);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void port_scan_of_one_host_is_not_a_sweep(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Refused, fast, many: but one host, one first contact. */
    for (uint16_t port = 1; port <= 10 * SWEEP_HOSTS; port++) {
        ntt_packet_t syn = tcp4(frame++, MS(port), SCANNER, 40000, host(20), port,
                                NTT_TCP_SYN, 1, 0);
        ntt_packet_t rst = tcp4(frame++, MS(port) + 1000, host(20), port, SCANNER, 40000,
                                NTT_TCP_RST | NTT_TCP_ACK, 0, 0);

        harness_feed(h, &syn);
        harness_feed(h, &rst);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

/* n echo requests FAST_GAP_MS apart to hosts first..first+n-1 of base;
 * the hosts in `live` answer 1 ms later. */
static void fast_sweep(detect_harness_t *h, uint32_t *frame, const char *base, int first,
                       int n, const int *live, int nlive)
{
    for (int i = first; i < first + n; i++) {
        char dst[48];
        ntt_packet_t echo;

        snprintf(dst, sizeof dst, "%s%d", base, i);
        echo = icmp4((*frame)++, MS(i * FAST_GAP_MS), SCANNER, dst, 8, 0, 7);
        harness_feed(h, &echo);
        for (int j = 0; j < nlive; j++) {
            if (live[j] == i) {
                ntt_packet_t reply = icmp4((*frame)++, MS(i * FAST_GAP_MS + 1), dst,
                                           SCANNER, 0, 0, 7);

                harness_feed(h, &reply);
            }
        }
    }
}

static void a_fast_sweep_is_raised_at_its_sweep_burst_th_silent_host(void **state)
{
    detect_harness_t *h = harness();
    static const int live[] = { 1 };
    uint32_t frame = 1;
    const recorded_mark_t *r;

    (void)state;
    /* nmap -sn of a /26: .0 silent, .1 up, then silent hosts; no timeout
     * has passed when the SWEEP_BURST-th silent one is probed, host
     * number SWEEP_BURST + 1. */
    fast_sweep(h, &frame, "203.0.113.", 0, FAST_HOSTS, live, 1);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    r = harness_raise(h, NTT_EPISODE_SWEEP, 0);
    assert_int_equal(r->mark.info.detail.sweep.hosts, SWEEP_BURST + 1);
    /* Frames .0, .1, reply, .2, ...: host .k is frame k + 2. */
    assert_int_equal(r->frame, SWEEP_BURST + 2);
    /* Raised after hosts .0-.6 (SWEEP_BURST + 1 = 7): a /29; when the
     * /26 is done, the whole /26. */
    assert_string_equal(r->mark.info.detail.sweep.dst_net, "203.0.113.0/29");
    {
        const GArray *marks = harness_marks(h);

        assert_string_equal(g_array_index(marks, recorded_mark_t, marks->len - 1)
                                .mark.info.detail.sweep.dst_net, "203.0.113.0/26");
    }
    harness_free(h);
}

static void a_subnet_that_answers_is_not_a_burst(void **state)
{
    detect_harness_t *h = harness();
    int live[2 * SWEEP_BURST];
    uint32_t frame = 1;

    (void)state;
    for (int i = 0; i < 2 * SWEEP_BURST; i++)
        live[i] = i + 1;
    fast_sweep(h, &frame, "203.0.113.", 1, 2 * SWEEP_BURST, live, 2 * SWEEP_BURST);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void first_contacts_in_different_networks_are_not_a_burst(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Twice sweep_burst silent hosts, each in its own /24, all within
     * the reply timeout: no burst; the walk waits for the timeouts. */
    for (int i = 1; i <= 2 * SWEEP_BURST; i++) {
        char dst[32];
        ntt_packet_t syn;

        snprintf(dst, sizeof dst, "203.0.%d.10", i);
        syn = tcp4(frame++, MS(i * FAST_GAP_MS), "192.0.2.10", 40000 + i, dst, 443,
                   NTT_TCP_SYN, 1, 0);
        harness_feed(h, &syn);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void the_burst_rule_can_be_switched_off(void **state)
{
    ntt_detect_config_t c;
    detect_harness_t *h;
    uint32_t frame = 1;

    (void)state;
    config(&c);
    c.sweep_burst = 0;
    h = harness_new(&ntt_detect_sweep_ops, &c);
    /* The whole /26 probed before the first timeout: no outcome yet. */
    fast_sweep(h, &frame, "203.0.113.", 0, FAST_HOSTS, NULL, 0);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void ipv6_bursts_are_per_64(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    for (int i = 1; i <= SWEEP_BURST + 1; i++) {
        char dst[48];
        ntt_packet_t syn;

        snprintf(dst, sizeof dst, "2001:db8:20::%x", i);
        syn = tcp6(frame++, MS(i), "2001:db8:66::66", 40000, dst, 22, NTT_TCP_SYN, 1, 0);
        harness_feed(h, &syn);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    assert_int_equal(harness_raise(h, NTT_EPISODE_SWEEP, 0)->frame, SWEEP_BURST);
    harness_free(h);
}

/* n probes of one kind, each to its own silent host, fast enough for a
 * burst: make(i) builds probe i. */
static void silent_probes(detect_harness_t *h, uint32_t *frame, int n,
                          ntt_packet_t (*make)(uint32_t frame, int i))
{
    for (int i = 1; i <= n; i++) {
        ntt_packet_t probe = make((*frame)++, i);

        harness_feed(h, &probe);
    }
}

static ntt_packet_t ack_probe(uint32_t frame, int i)
{
    return tcp4(frame, MS(i * FAST_GAP_MS), SCANNER, 40000, host(i), 80, NTT_TCP_ACK, 1, 0);
}

static ntt_packet_t timestamp_probe(uint32_t frame, int i)
{
    return icmp4(frame, MS(i * FAST_GAP_MS), SCANNER, host(i), 13, 0, 0);
}

static ntt_packet_t mask_probe(uint32_t frame, int i)
{
    return icmp4(frame, MS(i * FAST_GAP_MS), SCANNER, host(i), 17, 0, 0);
}

/* nmap -PY: an SCTP INIT (the flow layer sees SCTP, ports and all). */
static ntt_packet_t sctp_probe(uint32_t frame, int i)
{
    ntt_packet_t p = udp4(frame, MS(i * FAST_GAP_MS), SCANNER, 40000, host(i), 80, 20);

    p.ip_proto = NTT_IPPROTO_SCTP;
    return p;
}

static void every_host_discovery_probe_is_a_first_contact(void **state)
{
    ntt_packet_t (*const kinds[])(uint32_t, int) = { ack_probe, timestamp_probe, mask_probe,
                                                    sctp_probe };

    (void)state;
    /* nmap -PA, -PP, -PM, -PY: each kind alone, to SWEEP_BURST silent hosts
     * of one /24 within the reply timeout, is a burst. */
    for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
        detect_harness_t *h = harness();
        uint32_t frame = 1;

        silent_probes(h, &frame, SWEEP_BURST, kinds[k]);
        assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
        assert_int_equal(harness_raise(h, NTT_EPISODE_SWEEP, 0)->frame, SWEEP_BURST);
        harness_free(h);
    }
}

static void a_reset_answers_an_ack_ping_and_a_query_reply_a_query(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* ACK pings and timestamp requests to more hosts than the backstop,
     * slower than the timeout, each answered as a live host answers: RST
     * to the ACK, a timestamp reply to the request. No failure, no
     * sweep. */
    for (int i = 1; i <= 2 * SWEEP_HOSTS; i++) {
        int64_t t = MS(i * (REPLY_TIMEOUT_MS + 100));
        ntt_packet_t ack = tcp4(frame++, t, SCANNER, 40000, host(i), 80, NTT_TCP_ACK, 1, 0);
        ntt_packet_t rst = tcp4(frame++, t + MS(1), host(i), 80, SCANNER, 40000,
                                NTT_TCP_RST, 0, 0);
        ntt_packet_t query = icmp4(frame++, t + MS(2), SCANNER, host(100 + i), 13, 0, 0);
        ntt_packet_t reply = icmp4(frame++, t + MS(3), host(100 + i), SCANNER, 14, 0, 0);

        harness_feed(h, &ack);
        harness_feed(h, &rst);
        harness_feed(h, &query);
        harness_feed(h, &reply);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 0);
    harness_free(h);
}

static void a_connection_caught_midway_is_answered_by_its_peer(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* A capture that starts while a client holds connections to many
     * servers: its first packet of each is a bare ACK, and the server
     * goes on sending. Not silence: nothing fails. */
    for (int i = 1; i <= 2 * SWEEP_HOSTS; i++) {
        int64_t t = MS(i * 10);
        ntt_packet_t ack = tcp4(frame++, t, SCANNER, 40000 + i, host(i), 443,
                                NTT_TCP_ACK, 1, 0);
        ntt_packet_t data = tcp4(frame++, t + MS(2), host(i), 443, SCANNER, 40000 + i,
                                 NTT_TCP_ACK | NTT_TCP_PSH, 9, 1200);

        harness_feed(h, &ack);
        harness_feed(h, &data);
    }
    for (int i = 1; i <= 2 * SWEEP_HOSTS; i++) {
        ntt_packet_t more = tcp4(frame++, MS(5000 + i), SCANNER, 40000 + i, host(i), 443,
                                 NTT_TCP_ACK, 2, 0);

        harness_feed(h, &more);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 0);
    harness_free(h);
}

static void probes_a_router_cannot_route_are_not_failures(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* A client whose first-hop router has no route to where it connects
     * (a dozen addresses of one name, tried in turn): each SYN draws a
     * "no route" from the router. The hosts were never reached: neither
     * failed nor answered, whatever the timeouts. */
    for (int i = 1; i <= 2 * SWEEP_HOSTS; i++) {
        int64_t t = MS(i * (REPLY_TIMEOUT_MS + 100));
        ntt_packet_t syn = tcp4(frame++, t, SCANNER, 40000 + i, host(i), 80, NTT_TCP_SYN, 1, 0);
        ntt_packet_t no_route = icmp4_error(frame++, t + MS(2), "198.51.100.1", SCANNER, 3, 0,
                                            NTT_IPPROTO_TCP, SCANNER, 40000 + i, host(i), 80);

        harness_feed(h, &syn);
        harness_feed(h, &no_route);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 0);
    /* The same with "host unreachable" is a sweep of absent hosts. */
    for (int i = 1; i <= 2 * SWEEP_HOSTS; i++) {
        int64_t t = MS(60000 + i * (REPLY_TIMEOUT_MS + 100));
        ntt_packet_t syn = tcp4(frame++, t, SCANNER, 40000 + i, host(100 + i), 80,
                                NTT_TCP_SYN, 1, 0);
        ntt_packet_t absent = icmp4_error(frame++, t + MS(2), "198.51.100.1", SCANNER, 3, 1,
                                          NTT_IPPROTO_TCP, SCANNER, 40000 + i, host(100 + i), 80);

        harness_feed(h, &syn);
        harness_feed(h, &absent);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    harness_free(h);
}

static void a_one_way_capture_of_completed_connections_is_not_a_sweep(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Only the client's direction is captured: each SYN is followed by
     * the client's handshake ACK and its request, so the SYN-ACK came by
     * a path the capture lacks. Fast and slow alike: no failure. */
    for (int i = 1; i <= 2 * SWEEP_HOSTS; i++) {
        int64_t t = MS(i * (i % 2 ? FAST_GAP_MS : REPLY_TIMEOUT_MS + 100));
        ntt_packet_t syn = tcp4(frame++, t, SCANNER, 40000 + i, host(i), 80, NTT_TCP_SYN, 1, 0);
        ntt_packet_t ack = tcp4(frame++, t + MS(3), SCANNER, 40000 + i, host(i), 80,
                                NTT_TCP_ACK, 2, 0);
        ntt_packet_t get = tcp4(frame++, t + MS(3), SCANNER, 40000 + i, host(i), 80,
                                NTT_TCP_ACK | NTT_TCP_PSH, 2, 300);

        harness_feed(h, &syn);
        harness_feed(h, &ack);
        harness_feed(h, &get);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 0);
    harness_free(h);
}

/* A DNS response from RESOLVER to client naming hosts first..last. */
static ntt_packet_t dns_answer(uint32_t frame, int64_t t, const char *client,
                               ntt_resolved_t *resolved, int first, int last)
{
    ntt_packet_t answer = udp4(frame, t, "192.0.2.53", 53, client, 33000, 120);

    for (int i = first; i <= last; i++) {
        memset(&resolved[i - first], 0, sizeof resolved[0]);
        resolved[i - first].addr = addr4(host(i));
        resolved[i - first].ip_version = 4;
    }
    answer.resolved = resolved;
    answer.resolved_count = (uint8_t)(last - first + 1);
    return answer;
}

/* Tries hosts first..last in turn, each refused at once by a router's
 * "host unreachable", from time t on, from ports sport + i (so that a
 * later try is a new connection, not a retransmission); returns the next
 * frame. */
static uint32_t try_in_turn_from(detect_harness_t *h, uint32_t frame, int64_t t,
                                 const char *client, uint16_t sport, int first, int last)
{
    for (int i = first; i <= last; i++) {
        int64_t at = t + MS((i - first) * (REPLY_TIMEOUT_MS + 100));
        uint16_t port = (uint16_t)(sport + i);
        ntt_packet_t syn = tcp4(frame++, at, client, port, host(i), 443, NTT_TCP_SYN, 1, 0);
        ntt_packet_t absent = icmp4_error(frame++, at + MS(2), "198.51.100.1", client, 3, 1,
                                          NTT_IPPROTO_TCP, client, port, host(i), 443);

        harness_feed(h, &syn);
        harness_feed(h, &absent);
    }
    return frame;
}

static uint32_t try_in_turn(detect_harness_t *h, uint32_t frame, int64_t t,
                            const char *client, int first, int last)
{
    return try_in_turn_from(h, frame, t, client, 40000, first, last);
}

static void a_client_trying_the_addresses_dns_named_is_not_a_sweep(void **state)
{
    ntt_resolved_t resolved[NTT_DNS_MAX_RESOLVED];
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    int hosts = NTT_DNS_MAX_RESOLVED;
    ntt_packet_t answer;

    (void)state;
    /* More failed hosts than the backstop needs, and a walk that would
     * decide after WALK_FAILURES of them. */
    assert_true(hosts >= SWEEP_HOSTS);
    answer = dns_answer(frame++, MS(1000), "192.0.2.10", resolved, 1, hosts);
    harness_feed(h, &answer);
    frame = try_in_turn(h, frame, MS(1100), "192.0.2.10", 1, hosts);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 0);
    /* Another host, told nothing, trying the same addresses: a sweep. */
    frame = try_in_turn(h, frame, MS(1100), "192.0.2.11", 1, hosts);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    assert_memory_equal(harness_raise(h, NTT_EPISODE_SWEEP, 0)->mark.info.src.bytes,
                        addr4("192.0.2.11").bytes, 16);
    /* The first client's expectation lasts the sweep window from the
     * answer: past it, the same hosts tried again (first contacts anew,
     * as the window forgot them too) are probes. */
    try_in_turn_from(h, frame, MS(1000 + WINDOW_MS + 10000), "192.0.2.10", 50000, 1, hosts);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 2);
    harness_free(h);
}

static void only_the_named_addresses_are_expected(void **state)
{
    ntt_resolved_t resolved[NTT_DNS_MAX_RESOLVED];
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    ntt_packet_t answer;

    (void)state;
    /* Told of hosts 1-2, the client tries 1-2 and then hosts 3.. nobody
     * named: those count, and the walk decides at the usual failure. */
    answer = dns_answer(frame++, MS(1000), "192.0.2.10", resolved, 1, 2);
    harness_feed(h, &answer);
    try_in_turn(h, frame, MS(1100), "192.0.2.10", 1, 2 + SWEEP_HOSTS);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    assert_int_equal(harness_raise(h, NTT_EPISODE_SWEEP, 0)->mark.info.detail.sweep.hosts,
                     WALK_FAILURES);
    harness_free(h);
}

static void other_tcp_is_not_a_first_contact(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* FIN, Xmas and data segments to silent hosts: no host discovery
     * tool pings with them (they are port-scan and flag probes). */
    for (int i = 1; i <= 2 * SWEEP_HOSTS; i++) {
        ntt_packet_t fin = tcp4(frame++, MS(i * FAST_GAP_MS), SCANNER, 40000, host(i), 80,
                                NTT_TCP_FIN, 1, 0);
        ntt_packet_t data = tcp4(frame++, MS(i * FAST_GAP_MS + 1), SCANNER, 40001,
                                 host(100 + i), 80, NTT_TCP_ACK | NTT_TCP_PSH, 1, 100);

        harness_feed(h, &fin);
        harness_feed(h, &data);
    }
    assert_int_equal(harness_marks(h)->len, 0);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(walk_failures_follow_from_the_settings),
        cmocka_unit_test(ping_sweep_raises_at_the_walks_deciding_failure),
        cmocka_unit_test(syn_sweep_raises_at_the_walks_deciding_refusal_with_its_port),
        cmocka_unit_test(the_backstop_raises_at_sweep_hosts_failures_the_walk_never_reaches),
        cmocka_unit_test(answering_hosts_are_not_a_sweep),
        cmocka_unit_test(port_scan_of_one_host_is_not_a_sweep),
        cmocka_unit_test(a_fast_sweep_is_raised_at_its_sweep_burst_th_silent_host),
        cmocka_unit_test(a_subnet_that_answers_is_not_a_burst),
        cmocka_unit_test(first_contacts_in_different_networks_are_not_a_burst),
        cmocka_unit_test(the_burst_rule_can_be_switched_off),
        cmocka_unit_test(ipv6_bursts_are_per_64),
        cmocka_unit_test(every_host_discovery_probe_is_a_first_contact),
        cmocka_unit_test(a_reset_answers_an_ack_ping_and_a_query_reply_a_query),
        cmocka_unit_test(a_connection_caught_midway_is_answered_by_its_peer),
        cmocka_unit_test(probes_a_router_cannot_route_are_not_failures),
        cmocka_unit_test(a_one_way_capture_of_completed_connections_is_not_a_sweep),
        cmocka_unit_test(a_client_trying_the_addresses_dns_named_is_not_a_sweep),
        cmocka_unit_test(only_the_named_addresses_are_expected),
        cmocka_unit_test(other_tcp_is_not_a_first_contact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
