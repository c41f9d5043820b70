/* conn-size.c
 * Zeek's conn.log sizes (see conn-size.h). The rules follow Zeek's
 * src/packet_analysis/protocol/tcp/TCPSessionAdapter.cc (init_endpoint,
 * update_ack_seq, update_last_seq) and TCP_Endpoint::Size(), the
 * datagram sizes src/packet_analysis/protocol/udp/UDP.cc and icmp/ICMP.cc.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "flow/conn-size.h"

/* Zeek's TOO_LARGE_SEQ_DELTA: a SYN or RST this far from the last
 * sequence number is not believed. */
#define TOO_LARGE_SEQ_DELTA 1048576

static int32_t seq_delta(uint32_t a, uint32_t b)
{
    return (int32_t)(a - b);
}

static uint64_t full_seq(uint32_t raw, uint16_t wraps)
{
    return (uint64_t)wraps << 32 | raw;
}

/* Moves a position forward to raw when it is ahead (in sequence space),
 * counting a wrap of the 32-bit space. */
static void advance(uint32_t *pos, uint16_t *wraps, uint32_t raw)
{
    if (seq_delta(raw, *pos) <= 0)
        return;
    if (raw < *pos)
        (*wraps)++;
    *pos = raw;
}

static void init_endpoint(ntt_seq_endpoint_t *ep, uint32_t start, uint32_t last)
{
    ep->start = ep->ack = start;
    ep->last = last;
    ep->last_wraps = ep->ack_wraps = 0;
    ep->seen = true;
}

void ntt_conn_size_tcp(ntt_conn_size_t *size, ntt_dir_t dir, uint16_t flags,
                       uint32_t seq, uint32_t ack, uint32_t payload_len)
{
    ntt_seq_endpoint_t *ep = &size->ep[dir];
    ntt_seq_endpoint_t *peer = &size->ep[!dir];
    bool syn = flags & NTT_TCP_SYN, fin = flags & NTT_TCP_FIN;
    bool rst = flags & NTT_TCP_RST;
    /* A SYN and a FIN take one sequence number each; a RST's data is
     * not part of the stream. */
    uint32_t seg_len = (rst ? 0 : payload_len) + syn + fin;
    uint32_t end = seq + seg_len;
    int32_t delta;

    if (!ep->seen) {
        /* Without a SYN, numbered as if one came just before. */
        if (syn)
            init_endpoint(ep, seq, end);
        else
            init_endpoint(ep, seq - 1, seq);
    } else if (syn && seq != ep->start) {
        /* A SYN that starts the sequence space over. */
        init_endpoint(ep, seq, end);
        ep->fin = false;
        ep->reset = false;
    }

    /* The peer's acknowledged span: only once the peer has numbers of its
     * own, never from a RST, and not an ack of 0 far ahead (broken). */
    if ((flags & NTT_TCP_ACK) && !rst && peer->seen) {
        delta = seq_delta(ack, peer->ack);
        if (!(ack == 0 && delta > TOO_LARGE_SEQ_DELTA))
            advance(&peer->ack, &peer->ack_wraps, ack);
    }

    delta = seq_delta(end, ep->last);
    if ((syn || rst) && (delta > TOO_LARGE_SEQ_DELTA || delta < -TOO_LARGE_SEQ_DELTA))
        ;   /* not believed */
    else if (fin && ep->last == ep->start + 1)
        ep->last = end;   /* only SYN and FIN seen: take the FIN's word */
    else if (!ep->reset)
        advance(&ep->last, &ep->last_wraps, end);

    if (fin)
        ep->fin = true;
    if (rst)
        ep->reset = true;
}

uint64_t ntt_conn_size_tcp_bytes(const ntt_conn_size_t *size, ntt_dir_t dir)
{
    const ntt_seq_endpoint_t *ep = &size->ep[dir];
    uint64_t last, acked, top, bytes;

    if (!ep->seen)
        return 0;
    last = full_seq(ep->last, ep->last_wraps);
    acked = full_seq(ep->ack, ep->ack_wraps);
    top = last > acked ? last : acked;
    if (top <= ep->start)
        return 0;
    bytes = top - ep->start;
    /* Neither the SYN's octet (counted as if there was one) nor the
     * FIN's is payload. */
    bytes--;
    if (ep->fin && bytes > 0)
        bytes--;
    return bytes;
}

/* The payload of a datagram as Zeek counts it: UDP data (length less the
 * 8-byte header), ICMP message less its 8-byte header; other protocols
 * (SCTP among them) Zeek does not analyse and counts none. */
static uint32_t datagram_payload(const ntt_packet_t *packet)
{
    switch (packet->ip_proto) {
    case NTT_IPPROTO_UDP:
        return packet->payload_len;
    case NTT_IPPROTO_ICMP:
    case NTT_IPPROTO_ICMPV6:
        return packet->ip_payload_len > 8 ? packet->ip_payload_len - 8 : 0;
    default:
        return 0;
    }
}

void ntt_conn_size_count(ntt_conn_size_t *size, ntt_conn_record_t *record,
                         const ntt_packet_t *packet, ntt_dir_t dir,
                         bool both_closed)
{
    record->ip_bytes[dir] += packet->ip_total_len;
    if (packet->ip_proto == NTT_IPPROTO_TCP) {
        if (!both_closed)
            record->open_last_ns = packet->ts_ns;
        if (!packet->has_tcp)
            return;
        ntt_conn_size_tcp(size, dir, packet->tcp_flags, packet->tcp_seq,
                          packet->tcp_ack, packet->payload_len);
        record->payload_bytes[NTT_DIR_ORIG] = ntt_conn_size_tcp_bytes(size, NTT_DIR_ORIG);
        record->payload_bytes[NTT_DIR_RESP] = ntt_conn_size_tcp_bytes(size, NTT_DIR_RESP);
        return;
    }
    record->open_last_ns = packet->ts_ns;
    record->payload_bytes[dir] += datagram_payload(packet);
}
