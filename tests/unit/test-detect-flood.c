/* test-detect-flood.c
 * SYN, UDP and ICMP floods and many-to-one DDoS: raised at the rates set
 * here, not by busy but answered traffic, one tracker per victim under
 * spoofed sources; UDP and ICMP floods judged against each host's usual
 * rate (its baseline); a host under a SYN flood is not raised again as a
 * DDoS. Every threshold is set here (not the defaults), and the expected
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
#include "ntt/service.h"
#include "packet-builder.h"
#include "track/linear-count.h"

#define VICTIM "203.0.113.20"
#define OTHER  "203.0.113.21"

/* The rules under test. The window is the default's length: the baseline
 * scenarios below count in windows of a second. */
#define FLOOD_WINDOW_MS     1000   /* flood_window */
#define SYNFLOOD_RATE       150    /* synflood_rate, SYN/s */
#define SYNFLOOD_HALF_OPEN  120    /* synflood_half_open */
#define SYNFLOOD_COMPLETION 0.25   /* synflood_completion */
#define UDPFLOOD_RATE       300    /* udpflood_rate, packets/s */
#define UDPFLOOD_UNANSWERED 0.8    /* udpflood_unanswered */
#define ICMPFLOOD_RATE      300    /* icmpflood_rate, packets/s */
#define BASELINE_FACTOR     10     /* flood_baseline_factor */
#define BASELINE_WINDOWS    60     /* flood_baseline_windows */
#define DDOS_SOURCES        50     /* ddos_sources */
#define DDOS_RATE           80     /* ddos_rate, new flows/s */
#define DDOS_WINDOW_MS      10000  /* ddos_window */
#define TRACKERS            1000   /* max_trackers: room for every victim here */
/* Not a setting: a flood episode is over once its condition has not held
 * for ten windows (detect-flood.c). */
#define EPISODE_GAP_WINDOWS 10

/* Packets a rate needs within one window. */
#define IN_WINDOW(rate) ((rate) * FLOOD_WINDOW_MS / 1000)
/* At 1000 SYN/s from the first, the SYN that meets both the rate and the
 * half-open count (none completes). */
#define SYNS_TO_RAISE MAX(IN_WINDOW(SYNFLOOD_RATE), SYNFLOOD_HALF_OPEN)

static void config(ntt_detect_config_t *c)
{
    ntt_detect_config_init(c);
    c->flood_window_ns = MS(FLOOD_WINDOW_MS);
    c->synflood_rate = SYNFLOOD_RATE;
    c->synflood_half_open = SYNFLOOD_HALF_OPEN;
    c->synflood_completion = SYNFLOOD_COMPLETION;
    c->udpflood_rate = UDPFLOOD_RATE;
    c->udpflood_unanswered = UDPFLOOD_UNANSWERED;
    c->icmpflood_rate = ICMPFLOOD_RATE;
    c->flood_baseline_factor = BASELINE_FACTOR;
    c->flood_baseline_windows = BASELINE_WINDOWS;
    c->ddos_sources = DDOS_SOURCES;
    c->ddos_rate = DDOS_RATE;
    c->ddos_window_ns = MS(DDOS_WINDOW_MS);
    c->max_trackers = TRACKERS;
}

static detect_harness_t *harness_with(uint32_t max_trackers)
{
    ntt_detect_config_t c;

    config(&c);
    c.max_trackers = max_trackers;
    return harness_new(&ntt_detect_flood_ops, &c);
}

static detect_harness_t *harness(void)
{
    return harness_with(TRACKERS);
}

/* Distinct addresses: spoofed sources, and (prefix 12) genuine ones. */
static const char *spoofed(int i)
{
    static char buf[32];

    snprintf(buf, sizeof buf, "11.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
    return buf;
}

static const char *many(int i)
{
    static char buf[32];

    snprintf(buf, sizeof buf, "12.%d.%d.%d", (i >> 16) & 255, (i >> 8) & 255, i & 255);
    return buf;
}

static const recorded_mark_t *last_mark_of(const detect_harness_t *h, uint32_t token)
{
    const GArray *marks = harness_marks(h);

    for (guint i = marks->len; i-- > 0;) {
        const recorded_mark_t *r = &g_array_index(marks, recorded_mark_t, i);

        if (r->mark.token == token)
            return r;
    }
    return NULL;
}

/* A packet every millisecond from t0. */
#define AT(i) (MS(5000) + (int64_t)(i) * 1000000)

static void syn_flood_raises_at_synflood_rate_with_synflood_half_open(void **state)
{
    detect_harness_t *h = harness();
    const recorded_mark_t *r;

    (void)state;
    for (int i = 0; i < 2000; i++) {
        ntt_packet_t syn = tcp4((uint32_t)i + 1, AT(i), "198.51.100.66", (uint16_t)(1024 + i),
                                VICTIM, 80, NTT_TCP_SYN, (uint32_t)i, 0);

        harness_feed(h, &syn);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SYNFLOOD), 1);
    r = harness_raise(h, NTT_EPISODE_SYNFLOOD, 0);
    /* 1000 SYN/s: the window holds every SYN so far, none completed. */
    assert_int_equal(r->frame, SYNS_TO_RAISE);
    assert_true(r->mark.info.has_src);
    assert_int_equal(r->mark.info.port, 80);
    assert_int_equal(r->mark.info.detail.flood.half_open, SYNS_TO_RAISE);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_DDOS), 0);
    harness_free(h);
}

static void half_open_alone_holds_the_raise_back(void **state)
{
    ntt_detect_config_t c;
    detect_harness_t *h;
    const uint32_t half_open = 3 * IN_WINDOW(SYNFLOOD_RATE);

    (void)state;
    /* The rate is met at SYN IN_WINDOW(SYNFLOOD_RATE); with a higher
     * half-open count the raise waits for it. */
    config(&c);
    c.synflood_half_open = half_open;
    h = harness_new(&ntt_detect_flood_ops, &c);
    for (int i = 0; i < 900; i++) {
        ntt_packet_t syn = tcp4((uint32_t)i + 1, AT(i), "198.51.100.66", (uint16_t)(1024 + i),
                                VICTIM, 80, NTT_TCP_SYN, (uint32_t)i, 0);

        harness_feed(h, &syn);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SYNFLOOD), 1);
    assert_int_equal(harness_raise(h, NTT_EPISODE_SYNFLOOD, 0)->frame, half_open);
    harness_free(h);
}

/* SYNs at 1000/s, one in `every` completed by the originator's ACK. */
static unsigned syn_flood_completing(int every)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    unsigned raises;

    for (int i = 0; i < 1000; i++) {
        uint16_t sport = (uint16_t)(1024 + i);
        ntt_packet_t syn = tcp4(frame++, AT(i), spoofed(i), sport, VICTIM, 80,
                                NTT_TCP_SYN, 1, 0);

        harness_feed(h, &syn);
        if (i % every == 0) {
            ntt_packet_t synack = tcp4(frame++, AT(i) + 100000, VICTIM, 80, spoofed(i), sport,
                                       NTT_TCP_SYN | NTT_TCP_ACK, 7, 0);
            ntt_packet_t ack = tcp4(frame++, AT(i) + 200000, spoofed(i), sport, VICTIM, 80,
                                    NTT_TCP_ACK, 2, 0);

            harness_feed(h, &synack);
            harness_feed(h, &ack);
        }
    }
    raises = harness_raise_count(h, NTT_EPISODE_SYNFLOOD);
    harness_free(h);
    return raises;
}

static void completed_handshakes_over_synflood_completion_are_not_a_syn_flood(void **state)
{
    (void)state;
    /* One in five completed (at most synflood_completion = 1/4): a
     * flood; one in three (over it): not one, at the same rates. */
    assert_true(1.0 / 5 <= SYNFLOOD_COMPLETION && 1.0 / 3 > SYNFLOOD_COMPLETION);
    assert_int_equal(syn_flood_completing(5), 1);
    assert_int_equal(syn_flood_completing(3), 0);
}

static void spoofed_syn_flood_is_one_episode_and_bounded(void **state)
{
    const uint32_t small_table = 100;
    detect_harness_t *h = harness_with(small_table);
    const recorded_mark_t *r;

    (void)state;
    for (int i = 0; i < 5000; i++) {
        ntt_packet_t syn = tcp4((uint32_t)i + 1, AT(i), spoofed(i), 4000, VICTIM, 80,
                                NTT_TCP_SYN, 1, 0);

        harness_feed(h, &syn);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 1);
    r = harness_raise(h, NTT_EPISODE_SYNFLOOD, 0);
    assert_non_null(r);
    assert_int_equal(r->frame, SYNS_TO_RAISE);
    assert_false(r->mark.info.has_src);
    /* One new source a frame: as many sources as frames so far, within
     * three standard errors of linear counting (0.8 at 100 of 8192 bits). */
    assert_true(r->mark.info.detail.flood.sources + 3 >= r->frame &&
                r->mark.info.detail.flood.sources <= r->frame + 3);
    assert_true(r->frame >= 100);
    /* State is per victim: 5000 sources fill no table. */
    assert_true(last_mark_of(h, r->mark.token)->mark.info.detail.flood.sources > small_table);
    assert_int_equal(harness_evictions(h, NTT_EPISODE_SYNFLOOD), 0);
    harness_free(h);
}

/* A victim counts its first sources by their bits' numbers and makes
 * the bitmap with the fifth: the estimate, on every packet of the raised
 * flood, is the one a plain 8192-bit linear-counting bitmap gives for the
 * same sources (computed here beside the detector), across the switch
 * and after it. */
static void flood_sources_are_counted_as_one_bitmap_counts_them(void **state)
{
    detect_harness_t *h = harness();
    uint8_t bits[8192 / 8];
    uint32_t set = 0, expected[2001];
    const GArray *marks;
    const recorded_mark_t *raise;
    unsigned checked = 0;

    (void)state;
    memset(bits, 0, sizeof bits);
    for (int i = 0; i < 2000; i++) {
        /* Six sources in turn (four, then the bitmap), then a new one
         * every packet. */
        const char *src = spoofed(i < 1500 ? i % 6 : 100 + i);
        ntt_packet_t syn = tcp4((uint32_t)i + 1, AT(i), src, (uint16_t)(1024 + i),
                                VICTIM, 80, NTT_TCP_SYN, (uint32_t)i, 0);

        ntt_linear_count_add(bits, 8192, &set, &syn.src);
        expected[i + 1] = ntt_linear_count_estimate(8192, set);
        harness_feed(h, &syn);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SYNFLOOD), 1);
    raise = harness_raise(h, NTT_EPISODE_SYNFLOOD, 0);
    marks = harness_marks(h);
    for (guint i = 0; i < marks->len; i++) {
        const recorded_mark_t *r = &g_array_index(marks, recorded_mark_t, i);

        if (r->mark.token != raise->mark.token || r->frame < raise->frame)
            continue;
        assert_int_equal(r->mark.info.detail.flood.sources,
                         expected[r->frame] ? expected[r->frame] : 1);
        checked++;
    }
    /* Six distinct bits before the new sources, 506 at the end. */
    assert_int_equal(expected[1499], ntt_linear_count_estimate(8192, 6));
    assert_true(checked > 1000);
    assert_true(expected[2000] > 500);
    harness_free(h);
}

static void answered_connections_are_not_a_syn_flood(void **state)
{
    detect_harness_t *h = harness();
    const int per_second = 2 * SYNFLOOD_RATE;
    const int64_t gap = MS(1000) / per_second;
    uint32_t frame = 1;

    (void)state;
    /* Twice synflood_rate complete handshakes a second for three
     * seconds, each from its own client: no SYN flood, and no DDoS
     * either (bare SYNs are not counted as DDoS openers). */
    for (int i = 0; i < 3 * per_second; i++) {
        int64_t t = MS(5000) + i * gap;
        ntt_packet_t syn = tcp4(frame++, t, spoofed(i), 5000, VICTIM, 443, NTT_TCP_SYN, 1, 0);
        ntt_packet_t synack = tcp4(frame++, t + 100000, VICTIM, 443, spoofed(i), 5000,
                                   NTT_TCP_SYN | NTT_TCP_ACK, 7, 0);
        ntt_packet_t ack = tcp4(frame++, t + 200000, spoofed(i), 5000, VICTIM, 443,
                                NTT_TCP_ACK, 2, 0);

        harness_feed(h, &syn);
        harness_feed(h, &synack);
        harness_feed(h, &ack);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SYNFLOOD), 0);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

static void udp_flood_raises_at_udpflood_rate_answered_dns_does_not(void **state)
{
    detect_harness_t *flood = harness(), *dns = harness();
    const int clients = DDOS_SOURCES - 10;      /* not a DDoS either */
    const int per_second = 2 * UDPFLOOD_RATE;
    const int64_t gap = MS(1000) / per_second;
    uint32_t frame = 1;

    (void)state;
    for (int i = 0; i < 1500; i++) {
        ntt_packet_t p = udp4((uint32_t)i + 1, AT(i), "198.51.100.66", (uint16_t)(2000 + i),
                              VICTIM, 9, 100);

        harness_feed(flood, &p);
    }
    assert_int_equal(harness_raise_count(flood, NTT_EPISODE_UDPFLOOD), 1);
    /* No history yet: the floor decides, at its count within a window. */
    assert_int_equal(harness_raise(flood, NTT_EPISODE_UDPFLOOD, 0)->frame,
                     IN_WINDOW(UDPFLOOD_RATE));

    /* A DNS server answering twice udpflood_rate queries a second. */
    for (int i = 0; i < 3 * per_second; i++) {
        int64_t t = MS(5000) + i * gap;
        ntt_packet_t q = udp4(frame++, t, spoofed(i % clients), (uint16_t)(3000 + i), VICTIM,
                              53, 30);
        ntt_packet_t a = udp4(frame++, t + 200000, VICTIM, 53, spoofed(i % clients),
                              (uint16_t)(3000 + i), 60);

        harness_feed(dns, &q);
        harness_feed(dns, &a);
    }
    assert_int_equal(harness_raise_count(dns, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(flood);
    harness_free(dns);
}

static void icmp_flood_raises_at_icmpflood_rate_a_ping_does_not(void **state)
{
    detect_harness_t *flood = harness(), *ping = harness();

    (void)state;
    for (int i = 0; i < 1500; i++) {
        ntt_packet_t p = icmp4((uint32_t)i + 1, AT(i), "198.51.100.66", VICTIM, 8, 0,
                               (uint16_t)i);
        ntt_packet_t once = icmp4((uint32_t)i + 1, MS(5000) + (int64_t)i * 1000000000,
                                  "192.0.2.10", VICTIM, 8, 0, 1);

        harness_feed(flood, &p);
        harness_feed(ping, &once);
    }
    assert_int_equal(harness_raise_count(flood, NTT_EPISODE_ICMPFLOOD), 1);
    assert_int_equal(harness_raise(flood, NTT_EPISODE_ICMPFLOOD, 0)->frame,
                     IN_WINDOW(ICMPFLOOD_RATE));
    assert_int_equal(harness_raise_count(ping, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(flood);
    harness_free(ping);
}

static void the_victims_replies_are_not_flood_packets(void **state)
{
    detect_harness_t *h = harness();
    const GArray *marks;
    ntt_addr_t victim = addr4(VICTIM);

    (void)state;
    /* An echo flood (odd frames) that the victim answers, each request
     * with an echo reply (even frames): the replies toward the attacker
     * are no ICMP request, so the attacker is never a flooded host, and
     * no reply is a flood packet. */
    for (int i = 0; i < 1500; i++) {
        ntt_packet_t echo = icmp4((uint32_t)(2 * i + 1), AT(i), "198.51.100.66", VICTIM,
                                  8, 0, (uint16_t)i);
        ntt_packet_t reply = icmp4((uint32_t)(2 * i + 2), AT(i) + 100000, VICTIM,
                                   "198.51.100.66", 0, 0, (uint16_t)i);

        harness_feed(h, &echo);
        harness_feed(h, &reply);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 1);
    assert_memory_equal(&harness_raise(h, NTT_EPISODE_ICMPFLOOD, 0)->mark.info.dst, &victim,
                        sizeof victim);
    marks = harness_marks(h);
    assert_true(marks->len >= 1500);
    for (guint i = 0; i < marks->len; i++)
        assert_int_equal(g_array_index(marks, recorded_mark_t, i).frame % 2, 1);
    harness_free(h);
}

static void many_sources_are_a_ddos(void **state)
{
    detect_harness_t *h = harness();
    const recorded_mark_t *r;

    (void)state;
    /* 500 sources, each sending data over an established-looking flow
     * (its first packet the flow's opener): 1000 new flows a second. */
    for (int i = 0; i < 3000; i++) {
        ntt_packet_t p = tcp4((uint32_t)i + 1, AT(i), spoofed(i % 500), 6000, VICTIM, 80,
                              NTT_TCP_ACK | NTT_TCP_PSH, (uint32_t)i, 100);

        harness_feed(h, &p);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_DDOS), 1);
    r = harness_raise(h, NTT_EPISODE_DDOS, 0);
    assert_false(r->mark.info.has_src);
    /* Not before both are met: ddos_sources distinct sources (a sketch
     * never counts more than it saw at these numbers) and ddos_rate new
     * flows within a window. */
    assert_true(r->frame >= MAX(DDOS_SOURCES, IN_WINDOW(DDOS_RATE)));
    assert_true(r->frame < 500);
    harness_free(h);
}

/* The frame a flood of datagrams from 500 sources' port sport to VICTIM's
 * changing ports raises its DDoS at (0: none). */
static uint32_t ddos_frame_of_datagrams(uint16_t sport)
{
    detect_harness_t *h = harness();
    uint32_t frame = 0;
    const recorded_mark_t *r;

    for (int i = 0; i < 3000; i++) {
        ntt_packet_t p = udp4((uint32_t)i + 1, AT(i), spoofed(i % 500), sport, VICTIM,
                              (uint16_t)(20000 + i), 400);

        harness_feed(h, &p);
    }
    r = harness_raise(h, NTT_EPISODE_DDOS, 0);
    if (r) {
        assert_memory_equal(r->mark.info.dst.bytes, addr4(VICTIM).bytes, 16);
        frame = r->frame;
    }
    harness_free(h);
    return frame;
}

static void a_reflected_flood_is_a_ddos_of_its_victim(void **state)
{
    uint32_t reflected, plain;

    (void)state;
    /* Replies from SNMP's port that the victim never asked for (an
     * amplification flood): each flow's originator is the victim (the
     * flow layer's port rule), yet the victim did not ask for them.
     * They count as flows from an unnamed port do, to the frame. */
    assert_true(ntt_service_port_known(NTT_IPPROTO_UDP, 161));
    assert_false(ntt_service_port_known(NTT_IPPROTO_UDP, 40161));
    reflected = ddos_frame_of_datagrams(161);
    plain = ddos_frame_of_datagrams(40161);
    assert_int_not_equal(plain, 0);
    assert_int_equal(reflected, plain);
}

static void a_ddos_needs_ddos_sources_and_ddos_rate(void **state)
{
    detect_harness_t *few = harness(), *slow = harness();
    const int64_t slow_gap = MS(1000) / (DDOS_RATE / 2);

    (void)state;
    /* ddos_sources - 1 sources opening 1000 flows a second for 3 s. */
    for (int i = 0; i < 3000; i++) {
        ntt_packet_t p = udp4((uint32_t)i + 1, AT(i), many(i % (DDOS_SOURCES - 1)),
                              (uint16_t)(10000 + i), VICTIM, 53, 40);

        harness_feed(few, &p);
    }
    /* Four times ddos_sources sources within ddos_window, but at half
     * ddos_rate. */
    for (int i = 0; i < 4 * DDOS_SOURCES; i++) {
        ntt_packet_t p = udp4((uint32_t)i + 1, MS(5000) + i * slow_gap, many(i), 10000,
                              VICTIM, 53, 40);

        harness_feed(slow, &p);
    }
    assert_true(4 * DDOS_SOURCES * (slow_gap / 1000000) < DDOS_WINDOW_MS);
    assert_int_equal(harness_raise_count(few, NTT_EPISODE_DDOS), 0);
    assert_int_equal(harness_raise_count(slow, NTT_EPISODE_DDOS), 0);
    harness_free(few);
    harness_free(slow);
}

static void a_host_under_a_syn_flood_is_not_raised_again_as_a_ddos(void **state)
{
    detect_harness_t *h = harness();
    const int64_t udp_gap = MS(1000) / (2 * DDOS_RATE);
    ntt_addr_t other = addr4(OTHER);
    uint32_t frame = 1;
    int next_udp = 0;
    int64_t next_udp_at = AT(1000);

    (void)state;
    /* A spoofed SYN flood at 1000/s on VICTIM:80 for 3 s, raised within
     * its first window; from its second second on, genuine UDP from many
     * sources (each its own flow, at twice ddos_rate) toward VICTIM and,
     * the same, toward OTHER, a host with no SYN flood. */
    assert_true(2 * DDOS_RATE < UDPFLOOD_RATE);         /* no UDP flood */
    for (int i = 0; i < 3000; i++) {
        ntt_packet_t syn = tcp4(frame++, AT(i), spoofed(i), 4000, VICTIM, 80,
                                NTT_TCP_SYN, 1, 0);

        harness_feed(h, &syn);
        while (next_udp_at <= AT(i)) {
            ntt_packet_t to_victim = udp4(frame++, next_udp_at, many(next_udp), 20000,
                                          VICTIM, 53, 40);
            ntt_packet_t to_other = udp4(frame++, next_udp_at, many(next_udp), 20000,
                                         OTHER, 53, 40);

            harness_feed(h, &to_victim);
            harness_feed(h, &to_other);
            next_udp++;
            next_udp_at += udp_gap;
        }
    }
    assert_true(next_udp > 4 * DDOS_SOURCES);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SYNFLOOD), 1);
    assert_true(harness_raise(h, NTT_EPISODE_SYNFLOOD, 0)->frame < 1000);
    /* The same traffic is a DDoS of OTHER only. */
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_DDOS), 1);
    assert_memory_equal(&harness_raise(h, NTT_EPISODE_DDOS, 0)->mark.info.dst, &other,
                        sizeof other);
    harness_free(h);
}

/* The SYN flood is over once its tracker would be: ten flood windows
 * after its last SYN. A host that kept a trickle of other flows since
 * (its DDoS tracker alive all along) is judged as any other again. */
static void a_ddos_after_the_syn_flood_is_over_is_raised(void **state)
{
    detect_harness_t *h = harness();
    const int64_t over = MS(FLOOD_WINDOW_MS) * EPISODE_GAP_WINDOWS;
    const int64_t udp_gap = MS(1000) / (2 * DDOS_RATE);
    uint32_t frame = 1;
    int64_t t, flood_end = AT(999);
    int sources = 0;

    (void)state;
    for (int i = 0; i < 1000; i++) {
        ntt_packet_t syn = tcp4(frame++, AT(i), spoofed(i), 4000, VICTIM, 80,
                                NTT_TCP_SYN, 1, 0);

        harness_feed(h, &syn);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_SYNFLOOD), 1);
    /* One new flow a second for five minutes keeps the DDoS tracker. */
    for (t = flood_end + MS(1000); t < flood_end + MS(300000); t += MS(1000)) {
        ntt_packet_t trickle = udp4(frame++, t, many(sources++), 20000, VICTIM, 53, 40);

        harness_feed(h, &trickle);
    }
    assert_true(t - flood_end > over);
    /* Then many sources at twice ddos_rate: a DDoS. */
    for (int i = 0; i < 4 * DDOS_SOURCES; i++, t += udp_gap) {
        ntt_packet_t p = udp4(frame++, t, many(sources++), 20000, VICTIM, 53, 40);

        harness_feed(h, &p);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_DDOS), 1);
    harness_free(h);
}

/* Baselines: streams of packets toward VICTIM, evenly spaced. */

#define CLIENT "192.0.2.10"
#define SEC(x) ((int64_t)(x) * 1000000000)

typedef struct stream {
    detect_harness_t *h;
    uint32_t          frame;
    int64_t           now;      /* where the next stream starts */
} stream_t;

static stream_t stream_on(detect_harness_t *h)
{
    stream_t s = { h, 1, SEC(5) };

    return s;
}

static stream_t stream_new(void)
{
    return stream_on(harness());
}

/* pps UDP datagrams a second for seconds (answered or not); then the
 * clock is at the end of that time. */
static void udp_for(stream_t *s, int pps, int seconds, bool answered)
{
    int64_t gap = SEC(1) / pps;

    for (int64_t i = 0; i < (int64_t)pps * seconds; i++) {
        int64_t t = s->now + i * gap;
        uint16_t port = (uint16_t)(20000 + i % 500);
        ntt_packet_t q = udp4(s->frame++, t, CLIENT, port, VICTIM, 514, 40);

        harness_feed(s->h, &q);
        if (answered) {
            ntt_packet_t a = udp4(s->frame++, t + gap / 2, VICTIM, 514, CLIENT, port, 40);

            harness_feed(s->h, &a);
        }
    }
    s->now += SEC(seconds);
}

static void icmp_for(stream_t *s, int pps, int seconds)
{
    int64_t gap = SEC(1) / pps;

    for (int64_t i = 0; i < (int64_t)pps * seconds; i++) {
        ntt_packet_t e = icmp4(s->frame++, s->now + i * gap, CLIENT, VICTIM, 8, 0,
                               (uint16_t)i);

        harness_feed(s->h, &e);
    }
    s->now += SEC(seconds);
}

static unsigned raises(const stream_t *s)
{
    return harness_raise_count(s->h, NTT_EPISODE_TYPE_COUNT);
}

/* (1) BUSY answered datagrams a second for two minutes: never raised
 * (the unanswered share) and learnt as the usual rate, so when the
 * server then stops answering at that load -- over the floor, under
 * flood_baseline_factor times the usual rate -- it is an outage, not a
 * flood; a little more than factor x usual is. */
static void steady_busy_server_is_its_own_baseline(void **state)
{
    const int busy = 1000;
    const int outage = 5 * UDPFLOOD_RATE;
    const int flood = (BASELINE_FACTOR + 2) * busy;
    stream_t s = stream_new();
    uint32_t jump;

    (void)state;
    assert_true(outage < BASELINE_FACTOR * busy);
    udp_for(&s, busy, 120, true);
    assert_int_equal(raises(&s), 0);
    udp_for(&s, outage, 10, false);
    assert_int_equal(raises(&s), 0);           /* the floor alone would raise it */
    jump = s.frame;
    udp_for(&s, flood, 2, false);
    assert_int_equal(harness_raise_count(s.h, NTT_EPISODE_UDPFLOOD), 1);
    assert_true(harness_raise(s.h, NTT_EPISODE_UDPFLOOD, 0)->frame < jump + (uint32_t)flood);
    harness_free(s.h);
}

/* The documented trade-off: a destination first seen already busy (the
 * capture starts in the middle of its stream, or of a flood) has no
 * history and is judged by the floor, once; an unanswered stream below
 * the floor at first and busy later is learnt. */
static void no_history_means_the_floor(void **state)
{
    const int low = UDPFLOOD_RATE / 2;
    const int grown = (BASELINE_FACTOR - 2) * low;
    stream_t mid = stream_new(), later = stream_new();

    (void)state;
    assert_true(grown > UDPFLOOD_RATE);
    udp_for(&mid, 3 * UDPFLOOD_RATE, 120, false);
    assert_int_equal(raises(&mid), 1);          /* one episode, not one a window */
    udp_for(&later, low, 120, false);
    udp_for(&later, grown, 60, false);
    assert_int_equal(raises(&later), 0);        /* factor - 2 times its usual rate */
    harness_free(mid.h);
    harness_free(later.h);
}

/* (2) A host at QUIET/s jumping to twice the floor: raised within one
 * window, by the floor (factor x QUIET is below it), not sooner. */
static void quiet_host_jump_is_raised_within_a_window(void **state)
{
    const int quiet = 5;
    stream_t u = stream_new(), i = stream_new();
    uint32_t jump_u, jump_i, at_u, at_i;

    (void)state;
    assert_true(BASELINE_FACTOR * quiet < UDPFLOOD_RATE);
    assert_true(BASELINE_FACTOR * quiet < ICMPFLOOD_RATE);
    udp_for(&u, quiet, 60, false);
    icmp_for(&i, quiet, 60);
    jump_u = u.frame;
    jump_i = i.frame;
    udp_for(&u, 2 * UDPFLOOD_RATE, 3, false);
    icmp_for(&i, 2 * ICMPFLOOD_RATE, 3);
    assert_int_equal(harness_raise_count(u.h, NTT_EPISODE_UDPFLOOD), 1);
    assert_int_equal(harness_raise_count(i.h, NTT_EPISODE_ICMPFLOOD), 1);
    at_u = harness_raise(u.h, NTT_EPISODE_UDPFLOOD, 0)->frame;
    at_i = harness_raise(i.h, NTT_EPISODE_ICMPFLOOD, 0)->frame;
    assert_true(at_u < jump_u + 2 * UDPFLOOD_RATE);
    assert_true(at_i < jump_i + 2 * ICMPFLOOD_RATE);
    /* The window holds at most `quiet` packets from before the jump. */
    assert_true(at_u + 1 + quiet >= jump_u + IN_WINDOW(UDPFLOOD_RATE));
    assert_true(at_i + 1 + quiet >= jump_i + IN_WINDOW(ICMPFLOOD_RATE));
    harness_free(u.h);
    harness_free(i.h);
}

/* (3) Growth that doubles every minute (5/s to 1,280/s in eight minutes)
 * is followed by the one-minute average (which stays within a factor of
 * about two of the rate): never raised. Doubling every second is a
 * flood: raised once, when it crosses the floor. */
static void slow_ramp_is_learnt_fast_ramp_is_raised(void **state)
{
    stream_t slow = stream_new(), fast = stream_new();
    uint32_t crossed = 0;

    (void)state;
    for (int minute = 0, pps = 5; minute <= 8; minute++, pps *= 2)
        udp_for(&slow, pps, 60, false);
    assert_int_equal(raises(&slow), 0);
    udp_for(&fast, 5, 60, false);
    for (int pps = 10; pps <= 4 * UDPFLOOD_RATE; pps *= 2) {
        if (pps >= UDPFLOOD_RATE && !crossed)
            crossed = fast.frame;
        udp_for(&fast, pps, 1, false);
    }
    assert_int_equal(raises(&fast), 1);
    assert_true(harness_raise(fast.h, NTT_EPISODE_UDPFLOOD, 0)->frame >= crossed);
    harness_free(slow.h);
    harness_free(fast.h);
}

/* (4) Five minutes of flood are not learnt: after a pause (quiet traffic
 * or silence, each longer than an episode's gap) the same flood is
 * raised again, as a new episode. */
static void long_flood_does_not_teach_the_baseline(void **state)
{
    const int flood = 3 * ICMPFLOOD_RATE;
    const int gap_s = EPISODE_GAP_WINDOWS * FLOOD_WINDOW_MS / 1000;
    stream_t s = stream_new();

    (void)state;
    icmp_for(&s, 5, 60);
    icmp_for(&s, flood, 300);
    assert_int_equal(harness_raise_count(s.h, NTT_EPISODE_ICMPFLOOD), 1);
    icmp_for(&s, 5, 3 * gap_s);                 /* back to normal */
    icmp_for(&s, flood, 5);
    assert_int_equal(harness_raise_count(s.h, NTT_EPISODE_ICMPFLOOD), 2);
    s.now += SEC(2 * gap_s);                    /* silence */
    icmp_for(&s, flood, 5);
    assert_int_equal(harness_raise_count(s.h, NTT_EPISODE_ICMPFLOOD), 3);
    assert_true(harness_raise(s.h, NTT_EPISODE_ICMPFLOOD, 1)->mark.token !=
                harness_raise(s.h, NTT_EPISODE_ICMPFLOOD, 0)->mark.token);
    harness_free(s.h);
}

/* (5) Idle windows decay the usual rate ((1 - 1/windows)^n, at once):
 * after two minutes at USUAL/s (threshold factor x USUAL), factor - 2
 * times that five windows later is not a flood (usual 100 x (59/60)^5 =
 * 92: threshold 919), fifty windows later it is (43: 432); past the
 * horizon the host is forgotten and the floor alone decides. */
static void idle_gaps_decay_the_baseline(void **state)
{
    const int usual = 100;
    const int jump = (BASELINE_FACTOR - 2) * usual;
    const int over_floor = ICMPFLOOD_RATE + usual;
    stream_t near = stream_new(), later = stream_new(), gone = stream_new();

    (void)state;
    assert_true(jump > ICMPFLOOD_RATE && over_floor < BASELINE_FACTOR * usual);
    icmp_for(&near, usual, 120);
    icmp_for(&later, usual, 120);
    icmp_for(&gone, usual, 120);
    near.now += SEC(5);
    later.now += SEC(50);
    gone.now += SEC(10 * BASELINE_WINDOWS);
    icmp_for(&near, jump, 3);
    icmp_for(&later, jump, 3);
    icmp_for(&gone, over_floor, 3);
    assert_int_equal(raises(&near), 0);
    assert_int_equal(raises(&later), 1);
    assert_int_equal(raises(&gone), 1);
    harness_free(near.h);
    harness_free(later.h);
    harness_free(gone.h);
}

/* A factor of 0 switches the baseline off: the fixed rate alone. */
static void baseline_can_be_switched_off(void **state)
{
    const int usual = ICMPFLOOD_RATE / 2;
    const int jump = 2 * ICMPFLOOD_RATE;
    ntt_detect_config_t c;
    stream_t off, on = stream_new();

    (void)state;
    assert_true(jump < BASELINE_FACTOR * usual);
    config(&c);
    c.flood_baseline_factor = 0;
    off = stream_on(harness_new(&ntt_detect_flood_ops, &c));
    icmp_for(&off, usual, 60);
    icmp_for(&on, usual, 60);
    icmp_for(&off, jump, 3);
    icmp_for(&on, jump, 3);
    assert_int_equal(raises(&off), 1);
    assert_int_equal(raises(&on), 0);           /* under factor x usual */
    harness_free(off.h);
    harness_free(on.h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(syn_flood_raises_at_synflood_rate_with_synflood_half_open),
        cmocka_unit_test(half_open_alone_holds_the_raise_back),
        cmocka_unit_test(completed_handshakes_over_synflood_completion_are_not_a_syn_flood),
        cmocka_unit_test(spoofed_syn_flood_is_one_episode_and_bounded),
        cmocka_unit_test(flood_sources_are_counted_as_one_bitmap_counts_them),
        cmocka_unit_test(answered_connections_are_not_a_syn_flood),
        cmocka_unit_test(udp_flood_raises_at_udpflood_rate_answered_dns_does_not),
        cmocka_unit_test(icmp_flood_raises_at_icmpflood_rate_a_ping_does_not),
        cmocka_unit_test(the_victims_replies_are_not_flood_packets),
        cmocka_unit_test(many_sources_are_a_ddos),
        cmocka_unit_test(a_reflected_flood_is_a_ddos_of_its_victim),
        cmocka_unit_test(a_ddos_needs_ddos_sources_and_ddos_rate),
        cmocka_unit_test(a_host_under_a_syn_flood_is_not_raised_again_as_a_ddos),
        cmocka_unit_test(a_ddos_after_the_syn_flood_is_over_is_raised),
        cmocka_unit_test(steady_busy_server_is_its_own_baseline),
        cmocka_unit_test(no_history_means_the_floor),
        cmocka_unit_test(quiet_host_jump_is_raised_within_a_window),
        cmocka_unit_test(slow_ramp_is_learnt_fast_ramp_is_raised),
        cmocka_unit_test(long_flood_does_not_teach_the_baseline),
        cmocka_unit_test(idle_gaps_decay_the_baseline),
        cmocka_unit_test(baseline_can_be_switched_off),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
