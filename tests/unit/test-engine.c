/* test-engine.c
 * The engine end to end: packets in, per-packet flow results and per-flow
 * records out.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ntt/engine.h"
#include "packet-builder.h"

enum { SYN = NTT_TCP_SYN, ACK = NTT_TCP_ACK, FIN = NTT_TCP_FIN,
       RST = NTT_TCP_RST, PSH = NTT_TCP_PSH };

#define C "192.0.2.10"
#define S "203.0.113.20"

/* The result of the packet just fed (valid until the next feed). */
static const ntt_flow_result_t *feed(ntt_engine_t *e, ntt_packet_t p)
{
    static ntt_frame_t f;

    assert_true(ntt_engine_process(e, &p, &f));
    assert_true(f.has_flow);
    return &f.flow;
}

/* A full HTTP-like exchange: handshake, request, response, close. */
static uint32_t feed_session(ntt_engine_t *e, uint32_t frame, int64_t t0,
                             uint16_t cport, uint32_t isn)
{
    feed(e, tcp4(frame++, t0 + MS(0), C, cport, S, 80, SYN, isn, 0));
    feed(e, tcp4(frame++, t0 + MS(1), S, 80, C, cport, SYN | ACK, 9000, 0));
    feed(e, tcp4(frame++, t0 + MS(2), C, cport, S, 80, ACK, isn + 1, 0));
    feed(e, tcp4(frame++, t0 + MS(3), C, cport, S, 80, PSH | ACK, isn + 1, 100));
    feed(e, tcp4(frame++, t0 + MS(5), S, 80, C, cport, PSH | ACK, 9001, 1000));
    feed(e, tcp4(frame++, t0 + MS(6), C, cport, S, 80, FIN | ACK, isn + 101, 0));
    feed(e, tcp4(frame++, t0 + MS(7), S, 80, C, cport, FIN | ACK, 10001, 0));
    feed(e, tcp4(frame++, t0 + MS(8), C, cport, S, 80, ACK, isn + 102, 0));
    return frame;
}

static void test_session_counters_and_state(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    const ntt_flow_result_t *r;
    const ntt_flow_summary_t *f;

    (void)state;
    r = feed(e, tcp4(1, MS(1000), C, 40000, S, 80, SYN, 100, 0));
    assert_int_equal(r->flow_id, 0);
    assert_true(r->new_flow);
    assert_int_equal(r->dir, NTT_DIR_ORIG);
    assert_int_equal(r->state, NTT_STATE_S0);
    assert_int_equal(r->iat_ns, 0);
    assert_int_equal(r->duration_ns, 0);
    assert_int_equal(r->service, ntt_service_classify(NTT_IPPROTO_TCP, 40000, 80));
    assert_string_equal(ntt_service_name(r->service), "http");

    r = feed(e, tcp4(2, MS(1010), S, 80, C, 40000, SYN | ACK, 7, 0));
    assert_int_equal(r->flow_id, 0);
    assert_false(r->new_flow);
    assert_int_equal(r->dir, NTT_DIR_RESP);
    assert_int_equal(r->state, NTT_STATE_S1);
    assert_int_equal(r->pkts[NTT_DIR_ORIG], 1);
    assert_int_equal(r->pkts[NTT_DIR_RESP], 1);
    assert_int_equal(r->iat_ns, MS(10));
    assert_int_equal(r->duration_ns, MS(10));
    assert_int_equal(r->bytes[NTT_DIR_ORIG], 54);
    assert_int_equal(r->bytes[NTT_DIR_RESP], 54);

    r = feed(e, tcp4(3, MS(1015), C, 40000, S, 80, FIN | ACK, 101, 0));
    r = feed(e, tcp4(4, MS(1020), S, 80, C, 40000, FIN | ACK, 8, 0));
    assert_int_equal(r->state, NTT_STATE_SF);
    assert_int_equal(ntt_flow_result_pkts(r), 4);
    assert_int_equal(ntt_flow_result_bytes(r), 4 * 54);
    assert_int_equal(r->duration_ns, MS(20));
    assert_int_equal(r->iat_ns, MS(5));

    f = ntt_engine_flow(e, 0);
    assert_non_null(f);
    assert_memory_equal(f->orig_addr.bytes, addr4(C).bytes, 16);
    assert_memory_equal(f->resp_addr.bytes, addr4(S).bytes, 16);
    assert_int_equal(f->orig_port, 40000);
    assert_int_equal(f->resp_port, 80);
    assert_int_equal(f->state, NTT_STATE_SF);
    assert_int_equal(f->first_ns, MS(1000));
    assert_int_equal(f->last_ns, MS(1020));
    assert_null(ntt_engine_flow(e, 1));
    ntt_engine_unref(e);
}

static void test_flow_ids_in_order_of_first_packet(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    uint32_t frame = 1;

    (void)state;
    frame = feed_session(e, frame, MS(0), 40001, 1000);
    frame = feed_session(e, frame, MS(100), 40002, 2000);
    assert_int_equal(feed(e, udp4(frame++, MS(200), C, 5353, S, 53, 30))->flow_id, 2);
    assert_int_equal(feed(e, udp4(frame++, MS(201), S, 53, C, 5353, 60))->flow_id, 2);
    assert_int_equal(feed(e, icmp4(frame++, MS(300), C, S, 8, 0, 77))->flow_id, 3);
    assert_int_equal(ntt_engine_flow_count(e), 4);
    assert_int_equal(ntt_engine_flow(e, 0)->state, NTT_STATE_SF);
    assert_int_equal(ntt_engine_flow(e, 2)->state, NTT_STATE_SF);
    ntt_engine_unref(e);
}

static void test_synack_first_makes_its_receiver_originator(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    const ntt_flow_result_t *r;

    (void)state;
    /* The capture began after the SYN. */
    r = feed(e, tcp4(1, MS(0), S, 80, C, 40000, SYN | ACK, 5, 0));
    assert_int_equal(r->dir, NTT_DIR_RESP);
    assert_int_equal(ntt_engine_flow(e, 0)->orig_port, 40000);
    r = feed(e, tcp4(2, MS(1), C, 40000, S, 80, ACK, 1, 0));
    assert_int_equal(r->dir, NTT_DIR_ORIG);
    ntt_engine_unref(e);
}

static void test_icmp_echo_flows_by_identifier(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);

    (void)state;
    assert_int_equal(feed(e, icmp4(1, MS(0), C, S, 8, 0, 1))->flow_id, 0);
    assert_int_equal(feed(e, icmp4(2, MS(1), S, C, 0, 0, 1))->flow_id, 0);
    assert_int_equal(feed(e, icmp4(3, MS(2), S, C, 0, 0, 1))->dir, NTT_DIR_RESP);
    assert_int_equal(feed(e, icmp4(4, MS(3), C, S, 8, 0, 2))->flow_id, 1);
    /* Not echo: address pair and protocol, whatever the type. */
    assert_int_equal(feed(e, icmp4(5, MS(4), S, C, 3, 3, 0))->flow_id, 2);
    assert_int_equal(feed(e, icmp4(6, MS(5), C, S, 11, 0, 0))->flow_id, 2);
    assert_int_equal(ntt_engine_flow(e, 0)->state, NTT_STATE_SF);
    assert_int_equal(ntt_engine_flow(e, 1)->state, NTT_STATE_S0);
    ntt_engine_unref(e);
}

static void test_new_syn_after_finished_connection_is_new_flow(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    uint32_t frame;

    (void)state;
    frame = feed_session(e, 1, MS(0), 40000, 1000);
    /* Same 5-tuple, another ISN: the old connection is over. */
    assert_int_equal(feed(e, tcp4(frame++, MS(50), C, 40000, S, 80, SYN, 1001, 0))->flow_id, 1);
    /* Rejected, then a retry on the same port with a new ISN. */
    assert_int_equal(feed(e, tcp4(frame++, MS(60), S, 80, C, 40000, RST | ACK, 0, 0))->flow_id, 1);
    assert_int_equal(ntt_engine_flow(e, 1)->state, NTT_STATE_REJ);
    assert_int_equal(feed(e, tcp4(frame++, MS(70), C, 40000, S, 80, SYN, 5555, 0))->flow_id, 2);
    /* Refused again, and the same SYN sent again (tcptraceroute resends
     * one SYN with a rising TTL): Wireshark's tcp.stream keeps it in the
     * flow, and so does ntt. */
    assert_int_equal(feed(e, tcp4(frame++, MS(80), S, 80, C, 40000, RST | ACK, 0, 0))->flow_id, 2);
    assert_int_equal(feed(e, tcp4(frame++, MS(90), C, 40000, S, 80, SYN, 5555, 0))->flow_id, 2);
    ntt_engine_unref(e);
}

static void test_syn_with_other_isn_is_new_flow(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);

    (void)state;
    /* A retransmitted SYN keeps its sequence number: same flow. */
    assert_int_equal(feed(e, tcp4(1, MS(0), C, 40000, S, 80, SYN, 1000, 0))->flow_id, 0);
    assert_int_equal(feed(e, tcp4(2, MS(1000), C, 40000, S, 80, SYN, 1000, 0))->flow_id, 0);
    /* A new attempt with a new ISN is a new flow, as in tcp.stream. */
    assert_int_equal(feed(e, tcp4(3, MS(2000), C, 40000, S, 80, SYN, 2000, 0))->flow_id, 1);
    ntt_engine_unref(e);
}

static void test_idle_timeout_ends_flow(void **state)
{
    ntt_config_t cfg;
    ntt_engine_t *e;
    ntt_engine_counters_t c;

    (void)state;
    ntt_config_init(&cfg);
    cfg.flow_timeout_ns = 10 * NTT_NS_PER_SEC;
    e = ntt_engine_new(&cfg);
    assert_int_equal(feed(e, udp4(1, MS(0), C, 1234, S, 53, 10))->flow_id, 0);
    assert_int_equal(feed(e, udp4(2, MS(9000), S, 53, C, 1234, 10))->flow_id, 0);
    /* 10 s exactly is still within the timeout; more is not. */
    assert_int_equal(feed(e, udp4(3, MS(19000), C, 1234, S, 53, 10))->flow_id, 0);
    assert_int_equal(feed(e, udp4(4, MS(29001), C, 1234, S, 53, 10))->flow_id, 1);
    ntt_engine_counters(e, &c);
    assert_int_equal(c.expired_flows, 1);
    assert_int_equal(c.live_flows, 1);
    ntt_engine_unref(e);
}

static void test_table_cap_evicts_least_recently_seen(void **state)
{
    ntt_config_t cfg;
    ntt_engine_t *e;
    ntt_engine_counters_t c;
    ntt_frame_t f;
    ntt_packet_t p;
    int table_full_notes = 0;

    (void)state;
    ntt_config_init(&cfg);
    cfg.max_flows = 3;
    e = ntt_engine_new(&cfg);
    feed(e, udp4(1, MS(0), C, 1001, S, 53, 10));   /* flow 0 */
    feed(e, udp4(2, MS(1), C, 1002, S, 53, 10));   /* flow 1 */
    feed(e, udp4(3, MS(2), C, 1003, S, 53, 10));   /* flow 2 */
    feed(e, udp4(4, MS(3), C, 1001, S, 53, 10));   /* flow 0 again: fresh */
    /* A fourth flow pushes out flow 1, the stalest. */
    for (uint32_t i = 0; i < 10; i++) {
        p = udp4(5 + i, MS(4 + i), C, (uint16_t)(2000 + i), S, 53, 10);
        assert_true(ntt_engine_process(e, &p, &f));
        table_full_notes += f.table_full;
    }
    assert_int_equal(table_full_notes, 1);
    ntt_engine_counters(e, &c);
    assert_int_equal(c.live_flows, 3);
    assert_int_equal(c.peak_live_flows, 3);
    assert_int_equal(c.evicted_flows, 10);
    /* Flow 0 was evicted by now too, so its 5-tuple opens a new flow. */
    assert_int_equal(feed(e, udp4(20, MS(30), C, 1001, S, 53, 10))->flow_id, 13);
    ntt_engine_unref(e);
}

static void test_frames_replay_and_non_ip(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    ntt_packet_t arp = non_ip(1, MS(0), 60);
    ntt_packet_t syn = tcp4(2, MS(1), C, 40000, S, 80, SYN, 1, 0);
    ntt_packet_t again = tcp4(2, MS(9), C, 40000, S, 22, SYN, 1, 0);
    ntt_frame_t f;
    ntt_engine_counters_t c;

    (void)state;
    assert_true(ntt_engine_process(e, &arp, &f));
    assert_false(f.has_flow);
    assert_true(ntt_engine_process(e, &syn, NULL));
    /* Processing a frame twice changes nothing: its first answer stands. */
    assert_true(ntt_engine_process(e, &again, &f));
    assert_int_equal(f.flow.flow_id, 0);
    assert_int_equal(ntt_engine_flow(e, 0)->pkts[NTT_DIR_ORIG], 1);
    assert_int_equal(ntt_engine_flow_count(e), 1);

    assert_true(ntt_engine_frame(e, 2, MS(1), &f));
    assert_true(f.has_flow);
    assert_int_equal(f.flow.pkts[NTT_DIR_ORIG], 1);
    assert_true(ntt_engine_frame(e, 1, MS(0), &f));
    assert_false(ntt_engine_frame(e, 3, MS(2), &f));
    assert_false(ntt_engine_frame(e, 0, MS(0), &f));
    ntt_engine_counters(e, &c);
    assert_int_equal(c.packets, 2);
    assert_int_equal(c.ip_packets, 1);
    ntt_engine_unref(e);
}

static void assert_same_frame(const ntt_frame_t *a, const ntt_frame_t *b)
{
    assert_int_equal(a->has_flow, b->has_flow);
    assert_int_equal(a->flow.flow_id, b->flow.flow_id);
    assert_int_equal(a->flow.dir, b->flow.dir);
    assert_int_equal(a->flow.state, b->flow.state);
    assert_int_equal(a->flow.service, b->flow.service);
    assert_int_equal(a->flow.new_flow, b->flow.new_flow);
    assert_memory_equal(a->flow.pkts, b->flow.pkts, sizeof a->flow.pkts);
    assert_memory_equal(a->flow.bytes, b->flow.bytes, sizeof a->flow.bytes);
    assert_true(a->flow.duration_ns == b->flow.duration_ns);
    assert_true(a->flow.iat_ns == b->flow.iat_ns);
    assert_int_equal(a->table_full, b->table_full);
    assert_int_equal(a->trackers_full, b->trackers_full);
    assert_memory_equal(a->tokens, b->tokens, sizeof a->tokens);
    assert_memory_equal(a->counts, b->counts, sizeof a->counts);
}

/* Whatever the first pass answered for a frame, a later pass reads back
 * the same -- service and duration derived, the once-per-file notes at
 * their frame, tracker memberships, gaps past 4.29 s and backwards,
 * frames without a flow -- and processing a stored frame again too. */
static void test_later_passes_show_the_first_pass(void **state)
{
    enum { N = 120 };
    ntt_config_t cfg;
    ntt_engine_t *e;
    ntt_packet_t packets[N];
    ntt_frame_t first[N], again;
    bool saw_table_full = false, saw_trackers_full = false, saw_member = false;
    bool saw_long_gap = false, saw_back = false, saw_duration = false;

    (void)state;
    ntt_config_init(&cfg);
    cfg.max_flows = 8;
    cfg.detect.max_trackers = 2;
    e = ntt_engine_new(&cfg);
    for (uint32_t i = 0; i < N; i++) {
        uint32_t frame = i + 1;
        /* A scan of 40 ports with its refusals, a few sources talking to
         * a server, a keepalive flow, an ARP record now and then; at 60 a
         * gap of 6 s, at 90 a step back in time. */
        int64_t t = MS(10 * i) + (i >= 60 ? MS(6000) : 0) - (i >= 90 ? MS(2000) : 0);

        if (i % 17 == 5)
            packets[i] = non_ip(frame, t, 60);
        else if (i % 4 == 3)
            packets[i] = udp4(frame, t, "192.0.2.99", 7000, S, 123, 48);
        else if (i < 80 && i % 2 == 0)
            packets[i] = tcp4(frame, t, "198.51.100.66", 50000, S, (uint16_t)(1000 + i / 2),
                              SYN, 7, 0);
        else if (i < 80)
            packets[i] = tcp4(frame, t, S, (uint16_t)(1000 + i / 2), "198.51.100.66", 50000,
                              RST | ACK, 0, 0);
        else
            packets[i] = udp4(frame, t, i % 3 ? C : "192.0.2.11", (uint16_t)(3000 + i % 4),
                              S, 53, 40);
        assert_true(ntt_engine_process(e, &packets[i], &first[i]));
        saw_table_full |= first[i].table_full;
        saw_trackers_full |= first[i].trackers_full != 0;
        saw_member |= first[i].tokens[0] != 0;
        saw_long_gap |= first[i].flow.iat_ns > INT64_C(4294967295);
        saw_back |= first[i].flow.iat_ns < 0;
        saw_duration |= first[i].flow.duration_ns > 0;
    }
    assert_true(saw_table_full && saw_trackers_full && saw_member);
    assert_true(saw_long_gap && saw_back && saw_duration);

    for (uint32_t i = 0; i < N; i++) {
        assert_true(ntt_engine_frame(e, i + 1, packets[i].ts_ns, &again));
        assert_same_frame(&first[i], &again);
        assert_true(ntt_engine_process(e, &packets[i], &again));
        assert_same_frame(&first[i], &again);
    }
    ntt_engine_unref(e);
}

static void test_absurd_frame_numbers_are_refused(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    ntt_packet_t p = udp4(4000000000u, MS(0), C, 1, S, 2, 0);

    (void)state;
    /* No multi-gigabyte allocation for a garbage frame number. */
    assert_false(ntt_engine_process(e, &p, NULL));
    p.frame = 0;
    assert_false(ntt_engine_process(e, &p, NULL));
    ntt_engine_unref(e);
}

static void test_ipv6_and_land(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    const ntt_flow_result_t *r;

    (void)state;
    r = feed(e, tcp6(1, MS(0), "2001:db8::1", 5000, "2001:db8::2", 443, SYN, 1, 0));
    assert_int_equal(r->flow_id, 0);
    r = feed(e, tcp6(2, MS(1), "2001:db8::2", 443, "2001:db8::1", 5000, SYN | ACK, 1, 0));
    assert_int_equal(r->dir, NTT_DIR_RESP);
    assert_string_equal(ntt_service_name(r->service), "https");
    /* An IPv4 flow with the same bytes in the first four address octets
     * is another flow. */
    r = feed(e, tcp4(3, MS(2), "32.1.13.184", 5000, "32.1.13.184", 5000, SYN, 1, 0));
    assert_int_equal(r->flow_id, 1);
    assert_int_equal(r->dir, NTT_DIR_ORIG);
    r = feed(e, tcp4(4, MS(3), "32.1.13.184", 5000, "32.1.13.184", 5000, SYN, 1, 0));
    assert_int_equal(r->dir, NTT_DIR_ORIG);
    ntt_engine_unref(e);
}

static void test_ref_keeps_engine_alive(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);

    (void)state;
    feed(e, udp4(1, MS(0), C, 1, S, 2, 0));
    ntt_engine_ref(e);
    ntt_engine_unref(e);
    /* Still readable: one reference is left. */
    assert_int_equal(ntt_engine_flow_count(e), 1);
    ntt_engine_unref(e);
    ntt_engine_unref(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_session_counters_and_state),
        cmocka_unit_test(test_flow_ids_in_order_of_first_packet),
        cmocka_unit_test(test_synack_first_makes_its_receiver_originator),
        cmocka_unit_test(test_icmp_echo_flows_by_identifier),
        cmocka_unit_test(test_new_syn_after_finished_connection_is_new_flow),
        cmocka_unit_test(test_syn_with_other_isn_is_new_flow),
        cmocka_unit_test(test_idle_timeout_ends_flow),
        cmocka_unit_test(test_table_cap_evicts_least_recently_seen),
        cmocka_unit_test(test_frames_replay_and_non_ip),
        cmocka_unit_test(test_later_passes_show_the_first_pass),
        cmocka_unit_test(test_absurd_frame_numbers_are_refused),
        cmocka_unit_test(test_ipv6_and_land),
        cmocka_unit_test(test_ref_keeps_engine_alive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
