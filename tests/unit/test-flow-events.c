/* test-flow-events.c
 * What the flow layer says a packet means (flow/flow-events.c), seen by a
 * recording detector inside a real engine: the events of a handshake, a
 * refusal, a close, datagrams, pings, ICMP errors, misuse and ARP; that a
 * family is called only for the events it listens to; and that a slot on
 * a flow brings that flow's packets and is handed back when the flow ends.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "core/engine-detectors.h"
#include "detect/detector.h"
#include "flow/flow-table.h"
#include "ntt/engine.h"
#include "util/memcap.h"
#include "packet-builder.h"

#define MAX_FRAMES 64

/* What the recorder saw, per frame. */
typedef struct seen {
    uint32_t what[MAX_FRAMES];      /* without NTT_EV_PACKET and
                                       NTT_EV_TWO_WAY: */
    bool     packet[MAX_FRAMES];    /* ... those bits, said apart */
    bool     two_way[MAX_FRAMES];
    uint8_t  opener[MAX_FRAMES];
    uint8_t  misuse[MAX_FRAMES];
    unsigned calls;
    unsigned freed;          /* slot_free calls */
    bool     keep_slot;      /* put a slot on every TCP attempt's flow */
} seen_t;

/* The recorder of the test running (cmocka runs tests one at a time). */
static seen_t *recording;

static void *recorder_create(const ntt_detect_config_t *config, const ntt_detect_env_t *env)
{
    (void)config;
    assert_int_equal(env->slot, 0);      /* the only family with a slot */
    return recording;
}

static void recorder_destroy(void *state)
{
    (void)state;
}

static void recorder_event(void *state, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    seen_t *s = state;
    uint32_t frame = ev->pkt->frame;

    (void)sink;
    s->calls++;
    assert_true(frame < MAX_FRAMES);
    s->what[frame] = ev->what & ~(uint32_t)(NTT_EV_PACKET | NTT_EV_TWO_WAY);
    s->packet[frame] = (ev->what & NTT_EV_PACKET) != 0;
    s->two_way[frame] = (ev->what & NTT_EV_TWO_WAY) != 0;
    s->opener[frame] = ev->opener;
    s->misuse[frame] = ev->misuse;
    if (s->keep_slot && (ev->what & NTT_EV_ATTEMPT) && ev->pkt->ip_proto == NTT_IPPROTO_TCP)
        *ntt_flow_event_slot(ev, 0) = g_strdup("followed");
}

static void recorder_slot_free(void *state, void *slot)
{
    seen_t *s = state;

    assert_string_equal(slot, "followed");
    s->freed++;
    g_free(slot);
}

static ntt_detector_ops_t recorder_ops = {
    .name = "recorder",
    .events = UINT32_MAX,
    .create = recorder_create,
    .destroy = recorder_destroy,
    .event = recorder_event,
    .slot_free = recorder_slot_free,
};

static ntt_engine_t *engine_recording(seen_t *s, uint32_t events)
{
    const ntt_detector_ops_t *ops[] = { &recorder_ops };
    ntt_config_t config;
    ntt_engine_t *engine;

    memset(s, 0, sizeof *s);
    recording = s;
    /* "Everything" is every meaning but NTT_EV_PACKET, which every IP
     * packet raises (every_ip_packet_raises_packet), and NTT_EV_TWO_WAY,
     * which every packet of a conversation does
     * (two_packets_each_way_make_a_two_way_flow). */
    recorder_ops.events = events == UINT32_MAX
                              ? UINT32_MAX & ~(uint32_t)(NTT_EV_PACKET | NTT_EV_TWO_WAY)
                              : events;
    ntt_config_init(&config);
    config.detect.enabled = false;      /* only the recorder */
    config.flow_timeout_ns = MS(60000);
    engine = ntt_engine_new(&config);
    ntt_engine_use_detectors(engine, ops, 1);
    return engine;
}

static void feed(ntt_engine_t *engine, ntt_packet_t p)
{
    ntt_engine_process(engine, &p, NULL);
}

#define C "192.0.2.10"
#define S "198.51.100.20"
#define SYN NTT_TCP_SYN
#define ACK NTT_TCP_ACK
#define FIN NTT_TCP_FIN
#define RST NTT_TCP_RST

static void handshake_data_and_close(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, UINT32_MAX);

    (void)state;
    feed(e, tcp4(1, MS(0), C, 40000, S, 80, SYN, 100, 0));
    feed(e, tcp4(2, MS(1), S, 80, C, 40000, SYN | ACK, 500, 0));
    feed(e, tcp4(3, MS(2), C, 40000, S, 80, ACK, 101, 0));
    feed(e, tcp4(4, MS(3), C, 40000, S, 80, ACK | NTT_TCP_PSH, 101, 100));
    feed(e, tcp4(5, MS(4), S, 80, C, 40000, ACK | FIN, 501, 0));
    feed(e, tcp4(6, MS(5), C, 40000, S, 80, ACK | FIN, 201, 0));
    feed(e, tcp4(7, MS(6), S, 80, C, 40000, ACK, 502, 0));

    assert_int_equal(s.what[1], NTT_EV_OPENED | NTT_EV_ATTEMPT | NTT_EV_SYN);
    assert_int_equal(s.opener[1], NTT_OPENER_SYN);
    assert_int_equal(s.what[2], NTT_EV_ANSWERED);
    assert_int_equal(s.what[3], NTT_EV_ESTABLISHED);
    assert_int_equal(s.what[4], 0);
    assert_int_equal(s.what[5], 0);
    /* Both FINs sent: over. */
    assert_int_equal(s.what[6], NTT_EV_CLOSED);
    assert_int_equal(s.what[7], 0);
    /* Nothing listened to is never a call. */
    assert_int_equal(s.calls, 4);
    ntt_engine_unref(e);
}

static void a_reply_whose_request_was_missed_has_the_client_as_originator(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, UINT32_MAX);
    const ntt_flow_summary_t *f;
    ntt_addr_t client = addr4(C);

    (void)state;
    /* A DNS reply and a web server's midstream segment, to clients'
     * ephemeral ports, open their flows: the clients asked. */
    feed(e, udp4(1, MS(0), S, 53, C, 33000, 60));
    feed(e, tcp4(2, MS(1), S, 443, C, 51000, ACK, 900, 1200));
    /* Not replies: a SYN (always an opener), traffic between two service
     * ports, to a privileged port no service names, from a port none
     * names. */
    feed(e, tcp4(3, MS(2), S, 443, C, 51001, SYN, 1, 0));
    feed(e, udp4(4, MS(3), S, 53, C, 123, 48));
    feed(e, udp4(5, MS(4), S, 53, C, 1000, 48));
    feed(e, udp4(6, MS(5), S, 40000, C, 50000, 48));
    for (uint32_t id = 0; id < 2; id++) {
        f = ntt_engine_flow(e, id);
        assert_memory_equal(f->orig_addr.bytes, client.bytes, 16);
        assert_int_equal(f->pkts[NTT_DIR_RESP], 1);
        assert_int_equal(s.what[id + 1] & NTT_EV_ATTEMPT, 0);
        assert_int_not_equal(s.what[id + 1] & NTT_EV_UNASKED, 0);
    }
    for (uint32_t id = 2; id < 6; id++) {
        f = ntt_engine_flow(e, id);
        assert_memory_not_equal(f->orig_addr.bytes, client.bytes, 16);
        assert_int_not_equal(s.what[id + 1] & NTT_EV_ATTEMPT, 0);
    }
    /* The client's next packet is no attempt: it was answered first. */
    feed(e, udp4(7, MS(6), C, 33000, S, 53, 40));
    assert_int_equal(s.what[7] & (NTT_EV_ATTEMPT | NTT_EV_ANSWERED), 0);
    /* A SYN-ACK or an echo reply opening a flow answers too, but by its
     * kind, not the port rule: the receiver may well have asked. */
    feed(e, tcp4(8, MS(7), S, 443, C, 51002, SYN | ACK, 1, 0));
    feed(e, icmp4(9, MS(8), S, C, 0, 0, 7));
    assert_int_equal(s.what[8] & NTT_EV_UNASKED, 0);
    assert_int_equal(s.what[9] & NTT_EV_UNASKED, 0);
    assert_int_not_equal(s.what[8] & NTT_EV_ANSWERED, 0);
    ntt_engine_unref(e);
}

static void refused_attempt_and_retransmitted_syn(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, UINT32_MAX);

    (void)state;
    feed(e, tcp4(1, MS(0), C, 40001, S, 23, SYN, 100, 0));
    feed(e, tcp4(2, MS(1000), C, 40001, S, 23, SYN, 100, 0));
    feed(e, tcp4(3, MS(1001), S, 23, C, 40001, RST | ACK, 0, 0));
    feed(e, tcp4(4, MS(1002), S, 23, C, 40001, RST | ACK, 0, 0));

    assert_int_equal(s.what[1], NTT_EV_OPENED | NTT_EV_ATTEMPT | NTT_EV_SYN);
    /* The same SYN again: a SYN, not a new attempt. */
    assert_int_equal(s.what[2], NTT_EV_SYN);
    assert_int_equal(s.what[3], NTT_EV_REJECTED | NTT_EV_CLOSED);
    /* Only the responder's first packet judges the attempt. */
    assert_int_equal(s.what[4], 0);
    ntt_engine_unref(e);
}

static void other_tcp_openers(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, UINT32_MAX);

    (void)state;
    feed(e, tcp4(1, MS(0), C, 40002, S, 80, ACK, 100, 0));             /* ACK probe */
    feed(e, tcp4(2, MS(1), C, 40003, S, 80, FIN | NTT_TCP_PSH | NTT_TCP_URG, 100, 0));
    /* A capture that begins with the answer: the flow opens, but the
     * sender is the responder and attempts nothing. */
    feed(e, tcp4(3, MS(2), S, 443, C, 40004, SYN | ACK, 9, 0));

    assert_int_equal(s.what[1], NTT_EV_OPENED | NTT_EV_ATTEMPT);
    assert_int_equal(s.opener[1], NTT_OPENER_ACK);
    assert_int_equal(s.opener[2], NTT_OPENER_TCP_OTHER);
    /* Xmas: FIN without ACK, which no stack sends. */
    assert_int_equal(s.what[2], NTT_EV_OPENED | NTT_EV_ATTEMPT | NTT_EV_MISUSE);
    assert_int_equal(s.misuse[2], NTT_MISUSE_FIN_NO_ACK);
    assert_int_equal(s.what[3], NTT_EV_OPENED | NTT_EV_ANSWERED);
    assert_int_equal(s.opener[3], NTT_OPENER_NONE);
    ntt_engine_unref(e);
}

static void what_answers_a_bare_ack(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, UINT32_MAX);

    (void)state;
    /* An ACK ping answered by RST (a live host, port not open), and a
     * connection caught midway whose peer goes on sending. */
    feed(e, tcp4(1, MS(0), C, 40002, S, 80, ACK, 100, 0));
    feed(e, tcp4(2, MS(1), S, 80, C, 40002, NTT_TCP_RST, 0, 0));
    feed(e, tcp4(3, MS(2), C, 40003, S, 443, ACK, 100, 0));
    feed(e, tcp4(4, MS(3), S, 443, C, 40003, ACK | NTT_TCP_PSH, 7, 900));
    /* A data segment first is not a bare ACK; its peer's ACK says
     * nothing. */
    feed(e, tcp4(5, MS(4), C, 40004, S, 443, ACK | NTT_TCP_PSH, 100, 50));
    feed(e, tcp4(6, MS(5), S, 443, C, 40004, ACK, 7, 0));

    assert_int_equal(s.opener[1], NTT_OPENER_ACK);
    assert_int_equal(s.what[2], NTT_EV_REJECTED | NTT_EV_CLOSED);
    assert_int_equal(s.opener[2], NTT_OPENER_ACK);   /* the flow's, on its reply */
    assert_int_equal(s.what[4], NTT_EV_ANSWERED);
    assert_int_equal(s.opener[5], NTT_OPENER_TCP_OTHER);
    assert_int_equal(s.what[6], 0);
    ntt_engine_unref(e);
}

static void a_handshake_ack_without_syn_ack_answers(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, UINT32_MAX);
    ntt_engine_counters_t c;

    (void)state;
    /* One direction captured: SYN, then the client's ACK. */
    feed(e, tcp4(1, MS(0), C, 40010, S, 80, SYN, 100, 0));
    feed(e, tcp4(2, MS(3), C, 40010, S, 80, ACK, 101, 0));
    /* A SYN retransmitted, then a RST: no answer is implied. */
    feed(e, tcp4(3, MS(4), C, 40011, S, 80, SYN, 500, 0));
    feed(e, tcp4(4, MS(5), C, 40011, S, 80, NTT_TCP_RST | ACK, 501, 0));
    assert_int_equal(s.what[2], NTT_EV_ESTABLISHED | NTT_EV_ANSWERED);
    assert_false(s.what[4] & NTT_EV_ANSWERED);
    ntt_engine_counters(e, &c);
    assert_int_equal(c.unseen_replies, 1);
    ntt_engine_unref(e);
}

static void datagrams(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, UINT32_MAX);

    (void)state;
    feed(e, udp4(1, MS(0), C, 5353, S, 53, 30));
    feed(e, udp4(2, MS(1), S, 53, C, 5353, 60));
    feed(e, udp4(3, MS(2), S, 53, C, 5353, 60));

    assert_int_equal(s.what[1], NTT_EV_OPENED | NTT_EV_ATTEMPT | NTT_EV_DATAGRAM);
    assert_int_equal(s.opener[1], NTT_OPENER_DATAGRAM);
    assert_int_equal(s.what[2], NTT_EV_ANSWERED | NTT_EV_DATAGRAM);
    assert_int_equal(s.what[3], NTT_EV_DATAGRAM);
    ntt_engine_unref(e);
}

static void sctp_opens_and_is_answered(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, UINT32_MAX);
    ntt_packet_t init = udp4(1, MS(0), C, 40000, S, 80, 20);
    ntt_packet_t abort_chunk = udp4(2, MS(1), S, 80, C, 40000, 8);

    (void)state;
    /* An INIT and the ABORT of a host with nothing on the port: a live
     * host answered. */
    init.ip_proto = abort_chunk.ip_proto = NTT_IPPROTO_SCTP;
    feed(e, init);
    feed(e, abort_chunk);
    assert_int_equal(s.what[1], NTT_EV_OPENED | NTT_EV_ATTEMPT);
    assert_int_equal(s.opener[1], NTT_OPENER_SCTP);
    assert_int_equal(s.what[2], NTT_EV_ANSWERED);
    ntt_engine_unref(e);
}

static void pings_and_other_icmp(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, UINT32_MAX);

    (void)state;
    feed(e, icmp4(1, MS(0), C, S, 8, 0, 7));
    feed(e, icmp4(2, MS(1), S, C, 0, 0, 7));
    feed(e, icmp4(3, MS(2), C, S, 13, 0, 0));                /* timestamp request */
    feed(e, icmp6(4, MS(3), "2001:db8::1", "2001:db8::2", 128, 0, 9));
    feed(e, icmp6(5, MS(4), "2001:db8::2", "2001:db8::1", 129, 0, 9));
    /* Neighbour solicitation asks nothing of a victim. */
    feed(e, icmp6(6, MS(5), "2001:db8::1", "ff02::1:ff00:2", 135, 0, 0));
    feed(e, icmp4(7, MS(6), S, C, 14, 0, 0));                /* timestamp reply */

    assert_int_equal(s.what[1], NTT_EV_OPENED | NTT_EV_ATTEMPT | NTT_EV_ICMP_REQUEST |
                                NTT_EV_ECHO_REQUEST);
    assert_int_equal(s.opener[1], NTT_OPENER_ECHO);
    assert_int_equal(s.what[2], NTT_EV_ANSWERED | NTT_EV_ICMP_REPLY);
    assert_int_equal(s.what[3], NTT_EV_OPENED | NTT_EV_ATTEMPT | NTT_EV_ICMP_REQUEST);
    assert_int_equal(s.opener[3], NTT_OPENER_ICMP_QUERY);
    assert_int_equal(s.what[4], NTT_EV_OPENED | NTT_EV_ATTEMPT | NTT_EV_ICMP_REQUEST |
                                NTT_EV_ECHO_REQUEST);
    assert_int_equal(s.what[5], NTT_EV_ANSWERED | NTT_EV_ICMP_REPLY);
    assert_int_equal(s.what[6], NTT_EV_OPENED | NTT_EV_ATTEMPT);
    /* A query's reply answers it and asks nothing. */
    assert_int_equal(s.what[7], NTT_EV_ANSWERED);
    ntt_engine_unref(e);
}

static void unreachable_quotes_the_flow(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, NTT_EV_UNREACHABLE);

    (void)state;
    feed(e, udp4(1, MS(0), C, 40000, S, 161, 40));
    feed(e, icmp4_error(2, MS(1), S, C, 3, 3, NTT_IPPROTO_UDP, C, 40000, S, 161));
    assert_int_equal(s.calls, 1);
    assert_true(s.what[2] & NTT_EV_UNREACHABLE);
    ntt_engine_unref(e);
}

static void only_errors_about_the_target_are_unreachable(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, NTT_EV_UNREACHABLE | NTT_EV_UNDELIVERED);
    const char *router = "192.0.2.1";

    (void)state;
    feed(e, udp4(1, MS(0), C, 40000, S, 33434, 32));
    /* port, host and filtered: the target (or its filter) refused */
    feed(e, icmp4_error(2, MS(1), S, C, 3, 3, NTT_IPPROTO_UDP, C, 40000, S, 33434));
    feed(e, icmp4_error(3, MS(2), router, C, 3, 1, NTT_IPPROTO_UDP, C, 40000, S, 33434));
    feed(e, icmp4_error(4, MS(3), router, C, 3, 13, NTT_IPPROTO_UDP, C, 40000, S, 33434));
    /* no route to the network, expired in transit, too big: not there */
    feed(e, icmp4_error(5, MS(4), router, C, 3, 0, NTT_IPPROTO_UDP, C, 40000, S, 33434));
    feed(e, icmp4_error(6, MS(5), router, C, 11, 0, NTT_IPPROTO_UDP, C, 40000, S, 33434));
    feed(e, icmp4_error(7, MS(6), router, C, 3, 4, NTT_IPPROTO_UDP, C, 40000, S, 33434));
    for (int f = 2; f <= 4; f++)
        assert_int_equal(s.what[f] & (NTT_EV_UNREACHABLE | NTT_EV_UNDELIVERED), NTT_EV_UNREACHABLE);
    for (int f = 5; f <= 7; f++)
        assert_int_equal(s.what[f] & (NTT_EV_UNREACHABLE | NTT_EV_UNDELIVERED), NTT_EV_UNDELIVERED);
    /* ICMPv6: address and port unreachable are; no route is not */
    assert_true(ntt_icmp_error_is_about_target(NTT_IPPROTO_ICMPV6, 1, 3));
    assert_true(ntt_icmp_error_is_about_target(NTT_IPPROTO_ICMPV6, 1, 4));
    assert_false(ntt_icmp_error_is_about_target(NTT_IPPROTO_ICMPV6, 1, 0));
    assert_false(ntt_icmp_error_is_about_target(NTT_IPPROTO_ICMPV6, 3, 0));
    ntt_engine_unref(e);
}

static void land_is_misuse_equal_addresses_are_not(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, NTT_EV_MISUSE);

    (void)state;
    feed(e, tcp4(1, MS(0), S, 139, S, 139, SYN, 1, 0));
    feed(e, udp4(2, MS(1), "127.0.0.1", 40000, "127.0.0.1", 53, 30));
    feed(e, tcp4(3, MS(2), C, 40005, S, 80, SYN | FIN, 1, 0));
    feed(e, tcp4(4, MS(3), C, 40006, S, 80, 0, 1, 0));
    assert_int_equal(s.calls, 3);
    assert_int_equal(s.misuse[1], NTT_MISUSE_LAND);
    assert_int_equal(s.misuse[3], NTT_MISUSE_SYN_FIN);
    assert_int_equal(s.misuse[4], NTT_MISUSE_NO_FLAGS);
    ntt_engine_unref(e);
}

static void arp_requests_and_replies(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, NTT_EV_ARP_REQUEST | NTT_EV_ARP_REPLY);
    ntt_packet_t req = non_ip(1, MS(0), 42), rep = non_ip(2, MS(1), 42);

    (void)state;
    req.is_arp = rep.is_arp = true;
    req.arp_op = NTT_ARP_REQUEST;
    rep.arp_op = NTT_ARP_REPLY;
    req.arp_sender_ip = rep.arp_target_ip = addr4("192.0.2.1");
    req.arp_target_ip = rep.arp_sender_ip = addr4("192.0.2.2");
    feed(e, req);
    feed(e, rep);
    feed(e, udp4(3, MS(2), C, 1, S, 2, 3));
    assert_int_equal(s.calls, 2);
    assert_int_equal(s.what[1], NTT_EV_ARP_REQUEST);
    assert_int_equal(s.what[2], NTT_EV_ARP_REPLY);
    ntt_engine_unref(e);
}

static void a_family_hears_only_what_it_listens_to(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, NTT_EV_DATAGRAM);

    (void)state;
    feed(e, tcp4(1, MS(0), C, 40000, S, 80, SYN, 100, 0));
    feed(e, udp4(2, MS(1), C, 5353, S, 53, 30));
    feed(e, icmp4(3, MS(2), C, S, 8, 0, 7));
    assert_int_equal(s.calls, 1);
    assert_int_equal(s.what[2], NTT_EV_OPENED | NTT_EV_ATTEMPT | NTT_EV_DATAGRAM);
    ntt_engine_unref(e);
}

static void a_slot_brings_its_flow_and_goes_with_it(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, NTT_EV_ATTEMPT | NTT_EV_SLOTTED);

    (void)state;
    s.keep_slot = true;
    feed(e, tcp4(1, MS(0), C, 40000, S, 22, SYN, 100, 0));
    feed(e, udp4(2, MS(1), C, 5353, S, 53, 30));               /* no slot */
    feed(e, tcp4(3, MS(2), S, 22, C, 40000, SYN | ACK, 500, 0));
    feed(e, udp4(4, MS(3), S, 53, C, 5353, 30));
    feed(e, tcp4(5, MS(4), C, 40000, S, 22, ACK, 101, 0));
    /* A family called for one event sees all the packet means. */
    assert_int_equal(s.what[3], NTT_EV_ANSWERED | NTT_EV_SLOTTED);
    assert_int_equal(s.what[4], 0);
    assert_int_equal(s.what[5], NTT_EV_ESTABLISHED | NTT_EV_SLOTTED);
    assert_int_equal(s.calls, 4);
    /* Idle past the flow timeout: the flow ends, its slot is handed back. */
    feed(e, udp4(6, MS(70000), C, 5354, S, 53, 30));
    assert_int_equal(s.freed, 1);
    /* A flow still live at the end is handed back with the engine. */
    feed(e, tcp4(7, MS(70001), C, 40001, S, 22, SYN, 100, 0));
    assert_int_equal(s.freed, 1);
    ntt_engine_unref(e);
    assert_int_equal(s.freed, 2);
}

/* A family that is off under its configuration (create gives NULL: no
 * blocklist, no countries to watch) takes no slot: the next family gets
 * the first (recorder_create asserts 0), and every flow carries one slot,
 * not two -- the flow table charges a flow with one. */
static unsigned off_family_creates;

static void *off_create(const ntt_detect_config_t *config, const ntt_detect_env_t *env)
{
    (void)config;
    assert_int_equal(env->slot, 0);     /* the slot it would have had */
    off_family_creates++;
    return NULL;
}

static void off_slot_free(void *state, void *slot)
{
    (void)state;
    (void)slot;
    fail_msg("a family that is off was handed a slot back");
}

static const ntt_detector_ops_t off_ops = {
    .name = "off",
    .events = NTT_EV_ATTEMPT,
    .create = off_create,
    .slot_free = off_slot_free,
};

static void a_family_that_is_off_takes_no_slot(void **state)
{
    const ntt_detector_ops_t *ops[] = { &off_ops, &recorder_ops };
    seen_t s;
    ntt_config_t config;
    ntt_engine_t *e;
    ntt_table_memory_t t;

    (void)state;
    memset(&s, 0, sizeof s);
    recording = &s;
    recorder_ops.events = NTT_EV_ATTEMPT | NTT_EV_SLOTTED;
    off_family_creates = 0;
    ntt_config_init(&config);
    config.detect.enabled = false;
    config.memcap_bytes = 64 * 1024 * 1024;
    config.entropy_window_ns = 0;
    e = ntt_engine_new(&config);
    ntt_engine_use_detectors(e, ops, 2);
    assert_int_equal(off_family_creates, 1);
    s.keep_slot = true;
    feed(e, tcp4(1, MS(0), C, 40000, S, 22, SYN, 100, 0));
    assert_int_equal(s.calls, 1);
    assert_true(ntt_engine_table_memory(e, 0, &t));
    assert_string_equal(t.name, "flows");
    /* One flow with one slot, and the index's first bucket array. */
    assert_int_equal(t.bytes,
                     ntt_memcap_malloc_size(sizeof(ntt_live_flow_t) + sizeof(void *)) +
                     ntt_memcap_malloc_size(2 * sizeof(void *)));
    ntt_engine_unref(e);
    assert_int_equal(s.freed, 1);       /* the recorder's slot */
}

/* Every IP packet raises NTT_EV_PACKET, also those that mean nothing
 * else (data midstream); ARP and other non-IP records do not. */
static void every_ip_packet_raises_packet(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, NTT_EV_PACKET);

    (void)state;
    feed(e, tcp4(1, MS(0), C, 40000, S, 80, SYN, 100, 0));
    feed(e, tcp4(2, MS(1), S, 80, C, 40000, SYN | ACK, 500, 0));
    feed(e, tcp4(3, MS(2), C, 40000, S, 80, ACK, 101, 0));
    feed(e, tcp4(4, MS(3), C, 40000, S, 80, ACK | NTT_TCP_PSH, 101, 100));
    feed(e, non_ip(5, MS(4), 60));
    feed(e, udp4(6, MS(5), C, 5000, S, 53, 40));
    assert_int_equal(s.calls, 5);
    for (uint32_t f = 1; f <= 6; f++)
        assert_int_equal(s.packet[f], f != 5);
    assert_int_equal(s.what[4], 0);
    ntt_engine_unref(e);
}

/* NTT_EV_TWO_WAY from the packet that gives a flow its second packet in
 * each direction on, whichever direction that is; never on a one-way
 * stream (a spoofed source's) nor on a probe and its one answer. */
static void two_packets_each_way_make_a_two_way_flow(void **state)
{
    seen_t s;
    ntt_engine_t *e = engine_recording(&s, NTT_EV_PACKET);

    (void)state;
    feed(e, udp4(1, MS(0), C, 5000, S, 9000, 40));
    feed(e, udp4(2, MS(1), S, 9000, C, 5000, 40));
    feed(e, udp4(3, MS(2), S, 9000, C, 5000, 40));
    feed(e, udp4(4, MS(3), C, 5000, S, 9000, 40));     /* 2 and 2 */
    feed(e, udp4(5, MS(4), S, 9000, C, 5000, 40));
    for (int i = 0; i < 8; i++)                          /* one way */
        feed(e, udp4(6 + i, MS(5 + i), C, 5001, S, 9001, 40));
    feed(e, tcp4(14, MS(20), C, 40000, S, 80, SYN, 100, 0));   /* a probe */
    feed(e, tcp4(15, MS(21), S, 80, C, 40000, SYN | ACK, 500, 0));
    feed(e, tcp4(16, MS(22), C, 40000, S, 80, RST, 101, 0));
    for (uint32_t f = 1; f <= 16; f++)
        assert_int_equal(s.two_way[f], f == 4 || f == 5);
    ntt_engine_unref(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(handshake_data_and_close),
        cmocka_unit_test(refused_attempt_and_retransmitted_syn),
        cmocka_unit_test(other_tcp_openers),
        cmocka_unit_test(what_answers_a_bare_ack),
        cmocka_unit_test(sctp_opens_and_is_answered),
        cmocka_unit_test(a_handshake_ack_without_syn_ack_answers),
        cmocka_unit_test(only_errors_about_the_target_are_unreachable),
        cmocka_unit_test(datagrams),
        cmocka_unit_test(pings_and_other_icmp),
        cmocka_unit_test(unreachable_quotes_the_flow),
        cmocka_unit_test(land_is_misuse_equal_addresses_are_not),
        cmocka_unit_test(arp_requests_and_replies),
        cmocka_unit_test(a_family_hears_only_what_it_listens_to),
        cmocka_unit_test(a_slot_brings_its_flow_and_goes_with_it),
        cmocka_unit_test(a_reply_whose_request_was_missed_has_the_client_as_originator),
        cmocka_unit_test(a_family_that_is_off_takes_no_slot),
        cmocka_unit_test(every_ip_packet_raises_packet),
        cmocka_unit_test(two_packets_each_way_make_a_two_way_flow),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
