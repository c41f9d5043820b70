/* test-detect-arp-sweep.c
 * ARP sweeps: a host asking its link for many addresses (nmap -sn of the
 * local subnet), judged by the IP sweep's burst and backstop settings;
 * ordinary resolution, gratuitous ARP and ARP probes are not sweeps.
 * Every threshold is set here (not the defaults), and the expected
 * counts follow from it.
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

/* The rules under test. */
#define SWEEP_BURST      6        /* sweep_burst */
#define SWEEP_HOSTS      12       /* sweep_hosts: the backstop */
#define WINDOW_MS        40000    /* sweep_window */
#define REPLY_TIMEOUT_MS 500      /* reply_timeout */
#define TRACKERS         1000     /* max_trackers: requesters, and targets each */
/* Requests of a fast sweep: 5 ms apart, a /26 of them within the reply
 * timeout; of a slow one: each past the timeout of the one before. */
#define FAST_GAP_MS      5
#define FAST_TARGETS     64
#define SLOW_GAP_MS      (3 * REPLY_TIMEOUT_MS)

static void config(ntt_detect_config_t *c, uint32_t max_trackers)
{
    ntt_detect_config_init(c);
    c->sweep_burst = SWEEP_BURST;
    c->sweep_hosts = SWEEP_HOSTS;
    c->sweep_window_ns = MS(WINDOW_MS);
    c->reply_timeout_ns = MS(REPLY_TIMEOUT_MS);
    c->max_trackers = max_trackers;
}

static detect_harness_t *harness_with(uint32_t max_trackers)
{
    ntt_detect_config_t c;

    config(&c, max_trackers);
    return harness_new(&ntt_detect_arp_sweep_ops, &c);
}

static detect_harness_t *harness(void)
{
    return harness_with(TRACKERS);
}

/* An ARP record as the glue fills it: not IP, no flow. */
static ntt_packet_t arp(uint32_t frame, int64_t ts_ns, uint8_t op,
                        const char *sender, const char *target)
{
    ntt_packet_t p = non_ip(frame, ts_ns, 42);

    p.is_arp = true;
    p.arp_op = op;
    p.arp_sender_ip = addr4(sender);
    p.arp_target_ip = addr4(target);
    return p;
}

static const char *host(const char *base, int i)
{
    static char buf[32];

    snprintf(buf, sizeof buf, "%s%d", base, i);
    return buf;
}

/* n requests from SCANNER FAST_GAP_MS apart to base+first..; the hosts
 * in live answer 1 ms later. */
static void arp_sweep(detect_harness_t *h, uint32_t *frame, const char *base, int first,
                      int n, const int *live, int nlive)
{
    for (int i = first; i < first + n; i++) {
        char target[32];
        ntt_packet_t request;

        snprintf(target, sizeof target, "%s", host(base, i));
        request = arp((*frame)++, MS(i * FAST_GAP_MS), NTT_ARP_REQUEST, SCANNER, target);
        harness_feed(h, &request);
        for (int j = 0; j < nlive; j++) {
            if (live[j] == i) {
                ntt_packet_t reply = arp((*frame)++, MS(i * FAST_GAP_MS + 1), NTT_ARP_REPLY,
                                         target, SCANNER);

                harness_feed(h, &reply);
            }
        }
    }
}

/* SCANNER resolves its gateway, in another /24, which answers: the
 * capture shows the replies to SCANNER (two frames, one more target). */
static void gateway_answers(detect_harness_t *h, uint32_t *frame, int64_t ts_ns)
{
    ntt_packet_t request = arp((*frame)++, ts_ns, NTT_ARP_REQUEST, SCANNER, "198.51.99.1");
    ntt_packet_t reply = arp((*frame)++, ts_ns + MS(1), NTT_ARP_REPLY, "198.51.99.1", SCANNER);

    harness_feed(h, &request);
    harness_feed(h, &reply);
}

static void the_scenarios_fit_the_settings(void **state)
{
    (void)state;
    assert_true((FAST_TARGETS - 1) * FAST_GAP_MS < REPLY_TIMEOUT_MS);
    assert_true(SLOW_GAP_MS > REPLY_TIMEOUT_MS);
    assert_true((SWEEP_HOSTS + 1) * SLOW_GAP_MS < WINDOW_MS);
    assert_true(SWEEP_BURST < SWEEP_HOSTS);
}

static void a_fast_arp_sweep_is_raised_at_its_sweep_burst_th_silent_target(void **state)
{
    detect_harness_t *h = harness();
    static const int live[] = { 1 };
    uint32_t frame = 1;
    const recorded_mark_t *r;

    (void)state;
    /* nmap -sn -PR of a /26: .0 silent, .1 (the router) answers, then
     * silent addresses; the SWEEP_BURST-th silent one is target number
     * SWEEP_BURST + 1. */
    arp_sweep(h, &frame, "198.51.100.", 0, FAST_TARGETS, live, 1);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    r = harness_raise(h, NTT_EPISODE_SWEEP, 0);
    /* Frames .0, .1, reply, .2, ...: target .k is frame k + 2. */
    assert_int_equal(r->frame, SWEEP_BURST + 2);
    assert_int_equal(r->mark.info.detail.sweep.hosts, SWEEP_BURST + 1);
    /* the targets asked for so far, .0 to .SWEEP_BURST: a /29 */
    assert_string_equal(r->mark.info.detail.sweep.dst_net, "198.51.100.0/29");
    assert_int_equal(r->mark.info.detail.sweep.probes, SWEEP_BURST + 1);
    assert_int_equal(r->mark.info.ip_version, 4);
    assert_true(r->mark.info.has_src);
    {
        ntt_addr_t scanner = addr4(SCANNER);

        assert_memory_equal(&r->mark.info.src, &scanner, sizeof scanner);
    }
    assert_false(r->mark.info.has_dst);
    assert_int_equal(r->mark.info.first_frame, 1);
    /* Every request and the reply it drew belong to the episode. */
    assert_int_equal(harness_frames_of_token(h, r->mark.token), FAST_TARGETS + 1);
    harness_free(h);
}

static void retries_count_as_attempts_not_hosts(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    const recorded_mark_t *r;

    (void)state;
    /* SWEEP_BURST - 1 addresses, each asked twice, as nmap retries
     * silent ones: not yet a burst. */
    gateway_answers(h, &frame, 0);
    for (int i = 1; i < SWEEP_BURST; i++) {
        ntt_packet_t a = arp(frame++, MS(i * 10), NTT_ARP_REQUEST, SCANNER,
                             host("198.51.100.", i));
        ntt_packet_t b = arp(frame++, MS(i * 10 + 2), NTT_ARP_REQUEST, SCANNER,
                             host("198.51.100.", i));

        harness_feed(h, &a);
        harness_feed(h, &b);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 0);
    {
        ntt_packet_t last = arp(frame++, MS(SWEEP_BURST * 10), NTT_ARP_REQUEST, SCANNER,
                                host("198.51.100.", SWEEP_BURST));

        harness_feed(h, &last);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    r = harness_raise(h, NTT_EPISODE_SWEEP, 0);
    assert_int_equal(r->mark.info.detail.sweep.hosts, SWEEP_BURST + 1);
    assert_int_equal(r->mark.info.detail.sweep.probes, 1 + 2 * (SWEEP_BURST - 1) + 1);
    harness_free(h);
}

static void a_lan_where_every_target_answers_is_not_a_sweep(void **state)
{
    detect_harness_t *h = harness();
    int live[FAST_TARGETS];
    uint32_t frame = 1;

    (void)state;
    for (int i = 0; i < FAST_TARGETS; i++)
        live[i] = i + 1;
    arp_sweep(h, &frame, "198.51.100.", 1, FAST_TARGETS, live, FAST_TARGETS);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void gratuitous_arp_and_arp_probes_are_ignored(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Thirty hosts coming up: each probes its address three times
     * (sender 0.0.0.0, RFC 5227), then announces it twice (sender ==
     * target), requests and replies alike. */
    for (int i = 1; i <= 30; i++) {
        const char *me = host("198.51.100.", i);
        char mine[32];

        snprintf(mine, sizeof mine, "%s", me);
        for (int k = 0; k < 3; k++) {
            ntt_packet_t probe = arp(frame++, MS(i * 10 + k), NTT_ARP_REQUEST, "0.0.0.0", mine);

            harness_feed(h, &probe);
        }
        for (int k = 0; k < 2; k++) {
            ntt_packet_t announce = arp(frame++, MS(i * 10 + 5 + k),
                                        k ? NTT_ARP_REPLY : NTT_ARP_REQUEST, mine, mine);

            harness_feed(h, &announce);
        }
    }
    /* And one probing host whose probes would look like a sweep if the
     * sender 0.0.0.0 were a requester. */
    for (int i = 1; i <= 30; i++) {
        ntt_packet_t probe = arp(frame++, MS(1000 + i), NTT_ARP_REQUEST, "0.0.0.0",
                                 host("198.51.100.", 100 + i));

        harness_feed(h, &probe);
    }
    assert_int_equal(harness_marks(h)->len, 0);
    harness_free(h);
}

static void replies_without_a_request_are_ignored(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Unsolicited replies (ARP spoofing looks like this; not a sweep). */
    for (int i = 1; i <= 30; i++) {
        ntt_packet_t reply = arp(frame++, MS(i), NTT_ARP_REPLY, host("198.51.100.", i),
                                 SCANNER);

        harness_feed(h, &reply);
    }
    assert_int_equal(harness_marks(h)->len, 0);
    harness_free(h);
}

static void a_host_resolving_a_few_silent_neighbours_is_not_a_sweep(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* SWEEP_BURST - 1 neighbours asked at once, none answers; the kernel
     * asks each again once a second, three times (retries are not first
     * contacts). Repeated a window later, when the first round is
     * forgotten. */
    for (int round = 0; round < 2; round++) {
        for (int k = 0; k < 3; k++) {
            for (int n = 1; n < SWEEP_BURST; n++) {
                ntt_packet_t request = arp(frame++,
                                           MS(round * (WINDOW_MS + 1000) + k * 1000 + n),
                                           NTT_ARP_REQUEST, "198.51.100.200",
                                           host("198.51.100.", n * 7));

                harness_feed(h, &request);
            }
        }
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void a_slow_arp_sweep_is_raised_at_the_sweep_hosts_th_failure(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    const recorded_mark_t *r;

    (void)state;
    /* One request every SLOW_GAP_MS: never a burst; each has failed (past
     * the reply timeout) by the next, and SWEEP_HOSTS failures raise, at
     * request SWEEP_HOSTS + 1 (after the gateway's two frames). */
    gateway_answers(h, &frame, 0);
    for (int i = 1; i <= 2 * SWEEP_HOSTS && !harness_raise_count(h, NTT_EPISODE_SWEEP); i++) {
        ntt_packet_t request = arp(frame++, MS(i * SLOW_GAP_MS), NTT_ARP_REQUEST, SCANNER,
                                   host("198.51.100.", i));

        harness_feed(h, &request);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    r = harness_raise(h, NTT_EPISODE_SWEEP, 0);
    assert_int_equal(r->frame, 2 + SWEEP_HOSTS + 1);
    assert_int_equal(r->mark.info.detail.sweep.hosts, 1 + SWEEP_HOSTS + 1);
    harness_free(h);
}

static void ip_packets_are_not_this_detectors(void **state)
{
    detect_harness_t *h = harness();

    (void)state;
    /* A fast ping sweep of the link, and UDP probes: the IP sweep's. */
    for (int i = 1; i <= 2 * SWEEP_HOSTS; i++) {
        ntt_packet_t echo = icmp4((uint32_t)i, MS(i), SCANNER, host("198.51.100.", i), 8, 0, 7);
        ntt_packet_t probe = udp4((uint32_t)(100 + i), MS(100 + i), SCANNER, 40000,
                                  host("198.51.100.", i), 161, 0);

        harness_feed(h, &echo);
        harness_feed(h, &probe);
    }
    assert_int_equal(harness_marks(h)->len, 0);
    harness_free(h);
}

static void the_requester_table_is_capped(void **state)
{
    detect_harness_t *h = harness_with(8);
    uint32_t frame = 1;

    (void)state;
    /* 100 hosts each asking for the router: the table holds 8. */
    for (int i = 2; i < 102; i++) {
        ntt_packet_t request = arp(frame++, MS(i), NTT_ARP_REQUEST,
                                   host("198.51.100.", i), "198.51.100.1");

        harness_feed(h, &request);
    }
    assert_true(harness_evictions(h, NTT_EPISODE_SWEEP) > 0);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void the_target_book_is_capped(void **state)
{
    const uint32_t room = SWEEP_BURST + 2;
    detect_harness_t *h = harness_with(room);
    uint32_t frame = 1;
    const GArray *marks;
    const recorded_mark_t *last;

    (void)state;
    /* A sweep of a /24 with room for a few more targets than a burst:
     * raised, then the book is full and the rest of the sweep is not
     * tracked. */
    gateway_answers(h, &frame, 0);
    arp_sweep(h, &frame, "198.51.100.", 0, 255, NULL, 0);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    marks = harness_marks(h);
    last = &g_array_index(marks, recorded_mark_t, marks->len - 1);
    assert_true(last->mark.info.detail.sweep.hosts <= room);
    harness_free(h);
}

static void silence_counts_only_where_answers_are_visible(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* Captured at another host's port: a router's broadcast requests for
     * 4 x SWEEP_BURST neighbours reach the capture, their unicast
     * replies do not. Nothing raises, burst or backstop. */
    for (int i = 1; i <= 4 * SWEEP_BURST; i++) {
        ntt_packet_t request = arp(frame++, MS(i * SLOW_GAP_MS / 4), NTT_ARP_REQUEST,
                                   SCANNER, host("198.51.100.", i));

        harness_feed(h, &request);
    }
    assert_true(4 * SWEEP_BURST > SWEEP_HOSTS);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 0);
    /* Once one answer to it shows, its silence counts: the next request
     * decides on what is already failed. */
    {
        ntt_packet_t request = arp(frame++, MS(WINDOW_MS / 2), NTT_ARP_REQUEST, SCANNER,
                                   "198.51.100.200");
        ntt_packet_t reply = arp(frame++, MS(WINDOW_MS / 2) + MS(1), NTT_ARP_REPLY,
                                 "198.51.100.200", SCANNER);

        harness_feed(h, &request);
        harness_feed(h, &reply);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    harness_free(h);
}

static void a_dense_sweep_is_raised_where_no_answer_shows(void **state)
{
    detect_harness_t *h = harness();
    detect_harness_t *few = harness();
    uint32_t frame = 1;
    const recorded_mark_t *r;

    (void)state;
    /* Captured where no reply shows (hs-arpScan's kind): a fast sweep
     * of a /26 still raises, at its SWEEP_HOSTS-th target, not its
     * SWEEP_BURST-th. */
    assert_true(SWEEP_BURST < SWEEP_HOSTS && SWEEP_HOSTS < FAST_TARGETS);
    arp_sweep(h, &frame, "198.51.100.", 1, FAST_TARGETS, NULL, 0);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SWEEP), 1);
    r = harness_raise(h, NTT_EPISODE_SWEEP, 0);
    assert_int_equal(r->frame, SWEEP_HOSTS);
    /* As dense but fewer than SWEEP_HOSTS targets: a host resolving
     * the neighbours its traffic needs. */
    frame = 1;
    arp_sweep(few, &frame, "198.51.100.", 1, SWEEP_HOSTS - 1, NULL, 0);
    assert_int_equal(harness_raise_count(few, NTT_EPISODE_SWEEP), 0);
    harness_free(h);
    harness_free(few);
}

static void the_burst_rule_can_be_switched_off(void **state)
{
    ntt_detect_config_t c;
    detect_harness_t *h;
    uint32_t frame = 1;

    (void)state;
    config(&c, TRACKERS);
    c.sweep_burst = 0;
    h = harness_new(&ntt_detect_arp_sweep_ops, &c);
    /* The whole /26 asked before the first timeout. */
    arp_sweep(h, &frame, "198.51.100.", 0, FAST_TARGETS, NULL, 0);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_scenarios_fit_the_settings),
        cmocka_unit_test(a_fast_arp_sweep_is_raised_at_its_sweep_burst_th_silent_target),
        cmocka_unit_test(retries_count_as_attempts_not_hosts),
        cmocka_unit_test(a_lan_where_every_target_answers_is_not_a_sweep),
        cmocka_unit_test(gratuitous_arp_and_arp_probes_are_ignored),
        cmocka_unit_test(replies_without_a_request_are_ignored),
        cmocka_unit_test(a_host_resolving_a_few_silent_neighbours_is_not_a_sweep),
        cmocka_unit_test(a_slow_arp_sweep_is_raised_at_the_sweep_hosts_th_failure),
        cmocka_unit_test(ip_packets_are_not_this_detectors),
        cmocka_unit_test(the_requester_table_is_capped),
        cmocka_unit_test(the_target_book_is_capped),
        cmocka_unit_test(silence_counts_only_where_answers_are_visible),
        cmocka_unit_test(a_dense_sweep_is_raised_where_no_answer_shows),
        cmocka_unit_test(the_burst_rule_can_be_switched_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
