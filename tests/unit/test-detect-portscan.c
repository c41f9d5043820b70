/* test-detect-portscan.c
 * Vertical port scans: counted by failed or unanswered distinct ports of
 * one host, never by successful connections. Every threshold is set here
 * (not the defaults), and the expected counts follow from it.
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

/* The rules under test. */
#define PORTS            5        /* portscan_ports */
#define WINDOW_MS        30000    /* portscan_window */
#define REPLY_TIMEOUT_MS 500      /* reply_timeout */
#define TRACKERS         1000     /* max_trackers: room for every pair here */

static void config(ntt_detect_config_t *c)
{
    ntt_detect_config_init(c);
    c->portscan_ports = PORTS;
    c->portscan_window_ns = MS(WINDOW_MS);
    c->reply_timeout_ns = MS(REPLY_TIMEOUT_MS);
    c->max_trackers = TRACKERS;
}

static detect_harness_t *harness(void)
{
    ntt_detect_config_t c;

    config(&c);
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

static void syn_scan_raises_at_the_portscan_ports_th_failed_port(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    const recorded_mark_t *r;
    uint32_t token;

    (void)state;
    for (uint16_t port = 1; port < PORTS; port++)
        frame = syn_probe(h, frame, port, port, false);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 0);
    frame = syn_probe(h, frame, PORTS, PORTS, false);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 1);
    r = harness_raise(h, NTT_EPISODE_PORTSCAN, 0);
    /* Decided at the PORTS-th SYN (frames SYN, RST, ...): still
     * unanswered, it already counts. */
    assert_int_equal(r->frame, 2 * PORTS - 1);
    assert_int_equal(r->mark.info.detail.portscan.probes, PORTS);
    assert_memory_equal(r->mark.info.src.bytes, addr4(SCANNER).bytes, 16);
    assert_memory_equal(r->mark.info.dst.bytes, addr4(VICTIM).bytes, 16);
    assert_int_equal(r->mark.info.first_frame, 1);
    token = r->mark.token;     /* r moves as more marks are recorded */
    for (uint16_t port = PORTS + 1; port <= 4 * PORTS; port++)
        frame = syn_probe(h, frame, port, port, false);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 1);
    /* Every probe and every RST belongs to the tracker. */
    assert_int_equal(harness_frames_of_token(h, token), frame - 1);
    harness_free(h);
}

static void probes_years_apart_are_not_one_scan(void **state)
{
    detect_harness_t *h = harness();
    const int64_t years_ms = INT64_C(3) * 365 * 86400 * 1000;
    uint32_t frame = 1;

    (void)state;
    /* A merged capture: PORTS - 1 refused probes, then the clock steps
     * back three years and PORTS - 1 more to other ports, then forward
     * again. Each stretch stays under the threshold; together they would
     * reach it. */
    for (uint16_t port = 1; port < PORTS; port++)
        frame = syn_probe(h, frame, years_ms + port, port, false);
    for (uint16_t port = PORTS; port < 2 * PORTS - 1; port++)
        frame = syn_probe(h, frame, port, port, false);
    for (uint16_t port = 2 * PORTS; port < 3 * PORTS - 1; port++)
        frame = syn_probe(h, frame, years_ms + 10 + port, port, false);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    /* A step back smaller than the window is ordinary reordering: the
     * probes still add up. */
    for (uint16_t port = 100; port < 100 + PORTS; port++)
        frame = syn_probe(h, frame, 2 * years_ms + (port % 2 ? 0 : 1000), port, false);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 1);
    harness_free(h);
}

static void replies_from_a_service_port_to_many_client_ports_are_not_a_scan(void **state)
{
    detect_harness_t *h = harness();

    (void)state;
    /* A DNS server's replies whose queries the capture missed (one
     * direction, or merged from elsewhere): datagrams from port 53 to
     * 4 x portscan_ports of the client's ports, none answered. */
    for (uint32_t i = 0; i < 4 * PORTS; i++) {
        ntt_packet_t reply = udp4(i + 1, MS(i * 10), VICTIM, 53, SCANNER,
                                  (uint16_t)(33000 + i), 80);

        harness_feed(h, &reply);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    /* The same datagrams from an unnamed port are probes: a UDP scan. */
    for (uint32_t i = 0; i < 4 * PORTS; i++) {
        ntt_packet_t probe = udp4(100 + i, MS(1000 + i * 10), VICTIM, 40053, SCANNER,
                                  (uint16_t)(33000 + i), 80);

        harness_feed(h, &probe);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 1);
    harness_free(h);
}

static void open_ports_do_not_count(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* A busy client: 50 successful connections to 4 x portscan_ports
     * distinct ports, all within the window. */
    for (int i = 0; i < 50; i++)
        frame = syn_probe(h, frame, i * 10, (uint16_t)(8000 + i % (4 * PORTS)), true);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    harness_free(h);
}

/* Linux traceroute to VICTIM, 4 hops away: 16 UDP probes at once, three
 * per TTL from 1, ports 33434 up; the routers at hops 1-3 say "time
 * exceeded", the victim "port unreachable" to the probes that reach it. */
/* The episode as it stands after the last packet fed. */
static const ntt_episode_t *latest(const detect_harness_t *h)
{
    const GArray *marks = harness_marks(h);

    assert_true(marks->len > 0);
    return &g_array_index(marks, recorded_mark_t, marks->len - 1).mark.info;
}

static void the_size_is_the_whole_scans(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    /* 1000 silent ports 1 ms apart, the file ends right after: every
     * probe unanswered, most not yet past the timeout. */
    for (uint16_t port = 1; port <= 1000; port++) {
        ntt_packet_t syn = tcp4(frame++, MS(port), SCANNER, 40000, VICTIM, port,
                                NTT_TCP_SYN, 1, 0);

        harness_feed(h, &syn);
    }
    assert_int_equal(latest(h)->detail.portscan.ports, 1000);
    assert_int_equal(latest(h)->detail.portscan.probes, 1000);
    harness_free(h);
}

static void a_scan_longer_than_the_window_counts_every_port(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    const int ports = 3 * WINDOW_MS / 1000;

    (void)state;
    /* One refused port a second for three windows; port 443 open, asked
     * again and again. The window forgets, the episode does not: every
     * refused port once, the open one not at all. */
    for (int i = 1; i <= ports; i++) {
        frame = syn_probe(h, frame, i * 1000, (uint16_t)i, false);
        if (i % 10 == 0)
            frame = syn_probe(h, frame, i * 1000 + 500, 443, true);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 1);
    assert_int_equal(latest(h)->detail.portscan.ports, ports);
    harness_free(h);
}

static void udp_traceroute_is_not_a_scan(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    static const char *const routers[] = { "192.0.2.1", "192.0.2.129", "198.51.100.1" };

    (void)state;
    for (int i = 0; i < 16; i++) {
        ntt_packet_t probe = udp4(frame++, MS(i), SCANNER, 50000, VICTIM,
                                  (uint16_t)(33434 + i), 32);

        probe.ttl = (uint8_t)(1 + i / 3);
        harness_feed(h, &probe);
    }
    for (int i = 0; i < 16; i++) {
        int ttl = 1 + i / 3;
        ntt_packet_t error = ttl < 4
            ? icmp4_error(frame++, MS(20 + i), routers[ttl - 1], SCANNER, 11, 0,
                          NTT_IPPROTO_UDP, SCANNER, 50000, VICTIM, (uint16_t)(33434 + i))
            : icmp4_error(frame++, MS(20 + i), VICTIM, SCANNER, 3, 3,
                          NTT_IPPROTO_UDP, SCANNER, 50000, VICTIM, (uint16_t)(33434 + i));

        harness_feed(h, &error);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 0);
    harness_free(h);
}

/* nmap gives its raw probes a random TTL from 37 to 59: varying TTLs
 * above the traceroute range are a scan as any other. */
static void a_scan_with_varying_ttls_is_a_scan(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    for (uint16_t port = 1; port <= PORTS; port++) {
        ntt_packet_t probe = udp4(frame++, MS(port * 10), SCANNER, 50000, VICTIM, port, 0);

        probe.ttl = (uint8_t)(37 + port * 4);
        harness_feed(h, &probe);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 1);
    harness_free(h);
}

static void udp_scan_via_icmp_unreachable(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    const recorded_mark_t *r;
    uint32_t token;

    (void)state;
    for (uint16_t port = 1; port <= PORTS; port++) {
        ntt_packet_t probe = udp4(frame++, MS(port * 10), SCANNER, 50000, VICTIM, port, 0);
        ntt_packet_t unreachable = icmp4_error(frame++, MS(port * 10 + 1), VICTIM, SCANNER,
                                               3, 3, NTT_IPPROTO_UDP, SCANNER, 50000,
                                               VICTIM, port);

        assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 0);
        harness_feed(h, &probe);
        harness_feed(h, &unreachable);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 1);
    r = harness_raise(h, NTT_EPISODE_PORTSCAN, 0);
    /* Raised at the PORTS-th probe, still unanswered: the ports before it
     * failed by their errors (well within the reply timeout). */
    assert_int_equal(r->frame, 2 * PORTS - 1);
    /* the raising probe itself counts: it is unanswered */
    assert_int_equal(r->mark.info.detail.portscan.ports, PORTS);
    token = r->mark.token;
    /* The ICMP errors are the scan's packets too, and each fails its
     * port: the episode ends with PORTS failed ports. */
    assert_int_equal(harness_frames_of_token(h, token), 2 * PORTS);
    r = &g_array_index(harness_marks(h), recorded_mark_t, harness_marks(h)->len - 1);
    assert_int_equal(r->mark.token, token);
    assert_int_equal(r->mark.info.detail.portscan.ports, PORTS);
    harness_free(h);
}

static void ports_beyond_the_window_do_not_add_up(void **state)
{
    /* Refusals spaced so that PORTS of them span the window and 20 ms
     * (never more than PORTS-1 in it), then the window less 20 ms: the
     * window is exact (the RST, 0.1 ms after its SYN, is the failure). */
    const int64_t apart = WINDOW_MS / (PORTS - 1) + 20 / (PORTS - 1);
    const int64_t close = WINDOW_MS / (PORTS - 1) - 20 / (PORTS - 1);
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    int64_t t = 0;

    (void)state;
    assert_int_equal(WINDOW_MS % (PORTS - 1), 0);
    assert_int_equal(20 % (PORTS - 1), 0);
    for (uint16_t port = 1; port <= 6 * PORTS; port++, t += apart)
        frame = syn_probe(h, frame, t, port, false);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);

    /* A window later (the old refusals forgotten), the same scan a
     * little faster: PORTS of them within the window raise. */
    t += WINDOW_MS;
    for (uint16_t port = 100; port < 100 + PORTS; port++, t += close) {
        assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
        frame = syn_probe(h, frame, t, port, false);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 1);
    harness_free(h);
}

static void ipv6_scan(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;

    (void)state;
    for (uint16_t port = 1; port <= PORTS; port++) {
        ntt_packet_t syn = tcp6(frame++, MS(port), "2001:db8:66::66", 40000,
                                "2001:db8:20::20", port, NTT_TCP_SYN, 1, 0);
        ntt_packet_t rst = tcp6(frame++, MS(port) + 1000, "2001:db8:20::20", port,
                                "2001:db8:66::66", 40000, NTT_TCP_RST | NTT_TCP_ACK, 0, 0);

        harness_feed(h, &syn);
        harness_feed(h, &rst);
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 1);
    assert_int_equal(harness_raise(h, NTT_EPISODE_PORTSCAN, 0)->frame, 2 * PORTS - 1);
    assert_int_equal(harness_raise(h, NTT_EPISODE_PORTSCAN, 0)->mark.info.ip_version, 6);
    harness_free(h);
}

static void full_table_evicts_and_says_so(void **state)
{
    ntt_detect_config_t c;
    detect_harness_t *h;
    uint32_t frame = 1;
    char src[32];

    (void)state;
    config(&c);
    c.max_trackers = 4;
    h = harness_new(&ntt_detect_portscan_ops, &c);
    for (int i = 0; i < 100; i++) {
        ntt_packet_t syn;

        snprintf(src, sizeof src, "10.0.%d.%d", i / 250, i % 250 + 1);
        syn = tcp4(frame++, MS(i), src, 40000, VICTIM, 80, NTT_TCP_SYN, 1, 0);
        harness_feed(h, &syn);
    }
    assert_true(harness_evictions(h, NTT_EPISODE_PORTSCAN) > 0);
    /* A real scan is still found. */
    for (uint16_t port = 1; port <= PORTS; port++)
        frame = syn_probe(h, frame, 1000 + port, port, false);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 1);
    harness_free(h);
}

static void pings_from_the_scanner_are_not_probes(void **state)
{
    detect_harness_t *h = harness();
    uint32_t frame = 1;
    uint32_t probe_frames[2 * PORTS];
    unsigned probes = 0;
    const GArray *marks;
    uint16_t id = 1;

    (void)state;
    /* PORTS-1 refused ports, each followed by a burst of echo requests
     * (each a new ICMP flow, none refused) and their replies: ICMP opens
     * no port, so no echo frame is the scan's and the count stays. */
    for (uint16_t port = 1; port < PORTS; port++) {
        probe_frames[probes++] = frame;          /* the SYN */
        probe_frames[probes++] = frame + 1;      /* its RST */
        frame = syn_probe(h, frame, port * 100, port, false);
        for (int k = 0; k < 50; k++, id++) {
            ntt_packet_t echo = icmp4(frame++, MS(port * 100 + 1) + k * 1000, SCANNER,
                                      VICTIM, 8, 0, id);
            ntt_packet_t reply = icmp4(frame++, MS(port * 100 + 1) + k * 1000 + 500,
                                       VICTIM, SCANNER, 0, 0, id);

            harness_feed(h, &echo);
            harness_feed(h, &reply);
        }
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_TYPE_COUNT), 0);
    marks = harness_marks(h);
    assert_int_equal(marks->len, probes);
    for (guint i = 0; i < marks->len; i++)
        assert_int_equal(g_array_index(marks, recorded_mark_t, i).frame, probe_frames[i]);
    /* The PORTS-th refused port still raises, at its SYN. */
    frame = syn_probe(h, frame, PORTS * 100, PORTS, false);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_PORTSCAN), 1);
    assert_int_equal(harness_raise(h, NTT_EPISODE_PORTSCAN, 0)->frame, frame - 2);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(syn_scan_raises_at_the_portscan_ports_th_failed_port),
        cmocka_unit_test(open_ports_do_not_count),
        cmocka_unit_test(udp_scan_via_icmp_unreachable),
        cmocka_unit_test(ports_beyond_the_window_do_not_add_up),
        cmocka_unit_test(ipv6_scan),
        cmocka_unit_test(full_table_evicts_and_says_so),
        cmocka_unit_test(pings_from_the_scanner_are_not_probes),
        cmocka_unit_test(the_size_is_the_whole_scans),
        cmocka_unit_test(a_scan_longer_than_the_window_counts_every_port),
        cmocka_unit_test(udp_traceroute_is_not_a_scan),
        cmocka_unit_test(a_scan_with_varying_ttls_is_a_scan),
        cmocka_unit_test(probes_years_apart_are_not_one_scan),
        cmocka_unit_test(replies_from_a_service_port_to_many_client_ports_are_not_a_scan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
