/* flow-events.c
 * The one place that decides what a packet means for its flow: attempt,
 * answer, refusal, unreachable, handshake, close, and the ICMP, ARP and
 * misuse events the detectors listen to (see flow-events.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "flow/flow-events.h"

#include <string.h>

#include "ntt/service.h"

static bool tcp_flags_known(const ntt_packet_t *p)
{
    return p->ip_proto == NTT_IPPROTO_TCP && p->has_tcp;
}

bool ntt_packet_is_bare_syn(const ntt_packet_t *p)
{
    return tcp_flags_known(p) &&
           (p->tcp_flags & (NTT_TCP_SYN | NTT_TCP_ACK)) == NTT_TCP_SYN;
}

/* From a server's port to a client's: a DNS server's reply, a web
 * server's segment caught midstream. Ports below 1024 are servers' own
 * (a reply goes to a client's ephemeral port), so traffic between two
 * such ports keeps its first sender as the originator. */
static bool from_server_to_client_port(const ntt_packet_t *p)
{
    return p->has_ports && p->dport >= 1024 &&
           ntt_service_port_known(p->ip_proto, p->sport) &&
           !ntt_service_port_known(p->ip_proto, p->dport);
}

bool ntt_packet_is_answer(const ntt_packet_t *p)
{
    if (tcp_flags_known(p)) {
        if (p->tcp_flags & NTT_TCP_SYN)
            return (p->tcp_flags & NTT_TCP_ACK) != 0;
        return from_server_to_client_port(p);
    }
    if (p->ip_proto == NTT_IPPROTO_UDP)
        return from_server_to_client_port(p);
    return p->has_icmp && ntt_icmp_is_echo_reply(p->ip_proto, p->icmp_type);
}

static ntt_opener_t opener_of(const ntt_packet_t *p)
{
    switch (p->ip_proto) {
    case NTT_IPPROTO_TCP:
        if (ntt_packet_is_bare_syn(p))
            return NTT_OPENER_SYN;
        if (tcp_flags_known(p) && (p->tcp_flags & 0x1ff) == NTT_TCP_ACK && p->payload_len == 0)
            return NTT_OPENER_ACK;
        return NTT_OPENER_TCP_OTHER;
    case NTT_IPPROTO_UDP:
        return NTT_OPENER_DATAGRAM;
    case NTT_IPPROTO_SCTP:
        return NTT_OPENER_SCTP;
    default:
        if (p->has_icmp && ntt_icmp_is_echo_request(p->ip_proto, p->icmp_type))
            return NTT_OPENER_ECHO;
        if (p->has_icmp && ntt_icmp_is_query_request(p->ip_proto, p->icmp_type))
            return NTT_OPENER_ICMP_QUERY;
        return NTT_OPENER_OTHER;
    }
}

/* The responder's first packet: how it judges the attempt. An echo of
 * either type counts as the answer (a host answering a ping), and so does
 * a query reply. A TCP segment without SYN-ACK or RST (a midstream ACK)
 * says nothing of a SYN, but answers a bare ACK: only a live host sends
 * it. SCTP answers an INIT with INIT-ACK or ABORT, both from a live
 * host. */
static uint32_t first_reply(const ntt_packet_t *p, uint8_t opener)
{
    if (tcp_flags_known(p)) {
        if (p->tcp_flags & NTT_TCP_RST)
            return NTT_EV_REJECTED;
        if ((p->tcp_flags & (NTT_TCP_SYN | NTT_TCP_ACK)) == (NTT_TCP_SYN | NTT_TCP_ACK) ||
            opener == NTT_OPENER_ACK)
            return NTT_EV_ANSWERED;
        return 0;
    }
    if (p->ip_proto == NTT_IPPROTO_UDP || p->ip_proto == NTT_IPPROTO_SCTP)
        return NTT_EV_ANSWERED;
    if (p->has_icmp && (ntt_icmp_is_echo(p->ip_proto, p->icmp_type) ||
                        ntt_icmp_is_query_reply(p->ip_proto, p->icmp_type)))
        return NTT_EV_ANSWERED;
    return 0;
}

/* Flag combinations no TCP stack sends. */
static ntt_misuse_t tcp_misuse(uint16_t flags)
{
    const uint16_t six = NTT_TCP_FIN | NTT_TCP_SYN | NTT_TCP_RST |
                         NTT_TCP_PSH | NTT_TCP_ACK | NTT_TCP_URG;

    if ((flags & 0x1ff) == 0)
        return NTT_MISUSE_NO_FLAGS;
    if ((flags & six) == six)
        return NTT_MISUSE_ALL_FLAGS;
    if ((flags & (NTT_TCP_SYN | NTT_TCP_FIN)) == (NTT_TCP_SYN | NTT_TCP_FIN))
        return NTT_MISUSE_SYN_FIN;
    if ((flags & (NTT_TCP_SYN | NTT_TCP_RST)) == (NTT_TCP_SYN | NTT_TCP_RST))
        return NTT_MISUSE_SYN_RST;
    /* FIN and Xmas probes: every segment after the first SYN carries ACK. */
    if ((flags & NTT_TCP_FIN) && !(flags & NTT_TCP_ACK))
        return NTT_MISUSE_FIN_NO_ACK;
    return NTT_MISUSE_NONE;
}

static ntt_misuse_t misuse_of(const ntt_packet_t *p)
{
    /* LAND: a TCP/UDP packet from an address and port to the same address
     * and port. Equal addresses alone are ordinary (loopback captures, a
     * host pinging itself). */
    if (p->has_ports && p->sport == p->dport &&
        memcmp(&p->src, &p->dst, sizeof p->src) == 0)
        return NTT_MISUSE_LAND;
    if (tcp_flags_known(p))
        return tcp_misuse(p->tcp_flags);
    return NTT_MISUSE_NONE;
}

static uint32_t icmp_events(const ntt_packet_t *p)
{
    uint32_t what = 0;

    if (!p->has_icmp)
        return 0;
    if (ntt_icmp_is_error(p->ip_proto, p->icmp_type)) {
        if (!p->has_quoted)
            return 0;
        return ntt_icmp_error_is_about_target(p->ip_proto, p->icmp_type, p->icmp_code)
                   ? NTT_EV_UNREACHABLE : NTT_EV_UNDELIVERED;
    }
    if (ntt_icmp_is_echo_reply(p->ip_proto, p->icmp_type))
        return NTT_EV_ICMP_REPLY;
    if (ntt_icmp_is_query_reply(p->ip_proto, p->icmp_type))
        return 0;
    if (ntt_icmp_is_echo_request(p->ip_proto, p->icmp_type))
        what |= NTT_EV_ECHO_REQUEST | NTT_EV_ICMP_REQUEST;
    /* Other ICMP (timestamp, router solicitation ...) asks something of
     * its target; other ICMPv6 is mostly neighbour discovery, which does
     * not. */
    else if (p->ip_proto == NTT_IPPROTO_ICMP)
        what |= NTT_EV_ICMP_REQUEST;
    return what;
}

void ntt_flow_events_classify(ntt_flow_event_t *ev, bool was_finished,
                              bool now_finished)
{
    const ntt_packet_t *p = ev->pkt;
    const ntt_flow_result_t *r = ev->flow;
    bool orig = r->dir == NTT_DIR_ORIG;
    uint32_t what = NTT_EV_PACKET;
    ntt_misuse_t misuse;

    if (r->new_flow) {
        what |= NTT_EV_OPENED;
        ev->opener = orig ? (uint8_t)opener_of(p) : NTT_OPENER_NONE;
        if (orig)
            what |= NTT_EV_ATTEMPT;
        /* A flow opened by its responder: the engine judged the packet
         * an answer (ntt_packet_is_answer); not a SYN-ACK nor an echo
         * reply, so the port rule said so -- no second lookup. */
        else if (!(tcp_flags_known(p) && (p->tcp_flags & NTT_TCP_SYN)) &&
                 !(p->has_icmp && ntt_icmp_is_echo_reply(p->ip_proto, p->icmp_type)))
            what |= NTT_EV_UNASKED;
    }
    if (orig && ntt_packet_is_bare_syn(p))
        what |= NTT_EV_SYN;
    if (!orig && r->pkts[NTT_DIR_RESP] == 1)
        what |= first_reply(p, ev->opener);
    if (orig && r->pkts[NTT_DIR_ORIG] == 2 && tcp_flags_known(p) &&
        (p->tcp_flags & (NTT_TCP_SYN | NTT_TCP_ACK)) == NTT_TCP_ACK) {
        what |= NTT_EV_ESTABLISHED;
        /* The handshake's ACK with no SYN-ACK in the capture: the answer
         * came on a path the capture does not see (a one-way SPAN or
         * tunnel). The originator's ACK is the proof that it came. */
        if (r->pkts[NTT_DIR_RESP] == 0 && ev->opener == NTT_OPENER_SYN &&
            !(p->tcp_flags & NTT_TCP_RST))
            what |= NTT_EV_ANSWERED;
    }
    if (!was_finished && now_finished)
        what |= NTT_EV_CLOSED;
    if (r->pkts[NTT_DIR_ORIG] >= 2 && r->pkts[NTT_DIR_RESP] >= 2)
        what |= NTT_EV_TWO_WAY;
    if (p->ip_proto == NTT_IPPROTO_UDP)
        what |= NTT_EV_DATAGRAM;
    what |= icmp_events(p);
    misuse = misuse_of(p);
    ev->misuse = (uint8_t)misuse;
    if (misuse != NTT_MISUSE_NONE)
        what |= NTT_EV_MISUSE;
    if (p->name_count || p->http_uri)
        what |= NTT_EV_NAMES;
    if (p->resolved_count)
        what |= NTT_EV_RESOLVED;
    ev->what = what;
}

void ntt_flow_events_classify_arp(ntt_flow_event_t *ev)
{
    const ntt_packet_t *p = ev->pkt;

    ev->opener = NTT_OPENER_NONE;
    ev->misuse = NTT_MISUSE_NONE;
    ev->what = 0;
    if (!p->is_arp)
        return;
    if (p->arp_op == NTT_ARP_REQUEST)
        ev->what = NTT_EV_ARP_REQUEST;
    else if (p->arp_op == NTT_ARP_REPLY)
        ev->what = NTT_EV_ARP_REPLY;
}
