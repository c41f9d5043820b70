/* ip-header.c
 * IPv4 / IPv6 and TCP / UDP / SCTP / ICMP header reading for the packet
 * record. Every read is bounded by what was captured and by the lengths
 * the headers themselves claim, so truncated or bogus packets give a
 * partial record, never a read past the buffer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/ip-header.h"

#include <string.h>

/* IPv6 next-header values that are extension headers, not transports. */
enum {
    IP6_HOPOPTS  = 0,
    IP6_ROUTING  = 43,
    IP6_FRAGMENT = 44,
    IP6_AH       = 51,
    IP6_DSTOPTS  = 60,
};

/* A chain longer than this is not a real packet; stop walking it. */
#define MAX_IPV6_EXTENSIONS 8

static uint16_t be16(const uint8_t *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

/* The transport header at b, of which len bytes are usable. */
static bool parse_ip(const uint8_t *bytes, size_t len, ntt_packet_t *record,
                     size_t *transport_offset, bool quoted);

/* The header an ICMP error quotes, from the 8th byte of the message on. */
static void parse_quoted(const uint8_t *b, size_t len, ntt_packet_t *record)
{
    ntt_packet_t q;
    size_t ignored;

    memset(&q, 0, sizeof q);
    if (!parse_ip(b, len, &q, &ignored, true) || q.ip_version != record->ip_version)
        return;
    record->has_quoted = true;
    record->quoted_proto = q.ip_proto;
    record->quoted_src = q.src;
    record->quoted_dst = q.dst;
    record->quoted_has_ports = q.has_ports;
    record->quoted_sport = q.sport;
    record->quoted_dport = q.dport;
}

static void parse_transport(const uint8_t *b, size_t len, ntt_packet_t *record,
                            bool quoted)
{
    switch (record->ip_proto) {
    case NTT_IPPROTO_TCP:
        if (len >= 4) {
            record->has_ports = true;
            record->sport = be16(b);
            record->dport = be16(b + 2);
        }
        if (len >= 14) {
            uint32_t header_len = (uint32_t)(b[12] >> 4) * 4u;

            record->has_tcp = true;
            record->tcp_seq = be32(b + 4);
            record->tcp_ack = be32(b + 8);
            record->tcp_flags = (uint16_t)((b[12] & 0x01) << 8 | b[13]);
            if (record->ip_payload_len > header_len)
                record->payload_len = record->ip_payload_len - header_len;
            if (!quoted && header_len >= 20 && len > header_len) {
                size_t n = len - header_len;

                if (n > sizeof record->payload_head)
                    n = sizeof record->payload_head;
                memcpy(record->payload_head, b + header_len, n);
                record->payload_head_len = (uint8_t)n;
            }
        }
        break;
    case NTT_IPPROTO_UDP:
    case NTT_IPPROTO_SCTP:
        if (len >= 4) {
            record->has_ports = true;
            record->sport = be16(b);
            record->dport = be16(b + 2);
        }
        if (record->ip_proto == NTT_IPPROTO_UDP && record->ip_payload_len > 8)
            record->payload_len = record->ip_payload_len - 8;
        break;
    case NTT_IPPROTO_ICMP:
    case NTT_IPPROTO_ICMPV6:
        if (len >= 2) {
            record->has_icmp = true;
            record->icmp_type = b[0];
            record->icmp_code = b[1];
            if (len >= 6 && ntt_icmp_is_echo(record->ip_proto, b[0]))
                record->icmp_id = be16(b + 4);
            /* A quoted packet's own quote is not followed. */
            if (!quoted && len > 8 && ntt_icmp_is_error(record->ip_proto, b[0]))
                parse_quoted(b + 8, len - 8, record);
        }
        break;
    default:
        break;
    }
}

/* Usable transport bytes: captured, but not beyond what IP says it
 * carries (Ethernet pads short frames with bytes that belong to nobody). */
static size_t transport_bytes(size_t captured_after_header, uint32_t ip_payload_len)
{
    return captured_after_header < ip_payload_len ? captured_after_header
                                                  : ip_payload_len;
}

static bool parse_ipv4(const uint8_t *b, size_t len, ntt_packet_t *record,
                       size_t *transport_offset, bool quoted)
{
    uint32_t header_len, total_len;
    bool later_fragment;

    if (len < 20)
        return false;
    record->ip_version = 4;
    record->ttl = b[8];
    record->ip_proto = b[9];
    memcpy(record->src.bytes, b + 12, 4);
    memcpy(record->dst.bytes, b + 16, 4);
    header_len = (b[0] & 0x0fu) * 4u;
    total_len = be16(b + 2);
    record->ip_total_len = total_len;
    record->ip_payload_len = total_len > header_len ? total_len - header_len : 0;

    /* A bogus header length leaves no trustworthy transport header. */
    later_fragment = (be16(b + 6) & 0x1fffu) != 0;
    if (header_len < 20 || header_len > len || later_fragment)
        return true;
    *transport_offset = header_len;
    parse_transport(b + header_len,
                    transport_bytes(len - header_len, record->ip_payload_len),
                    record, quoted);
    return true;
}

/* What the IPv6 payload holds after ext_bytes of extension headers. */
static uint32_t after_extensions(uint32_t payload_len, size_t ext_bytes)
{
    return payload_len > ext_bytes ? payload_len - (uint32_t)ext_bytes : 0;
}

static bool parse_ipv6(const uint8_t *b, size_t len, ntt_packet_t *record,
                       size_t *transport_offset, bool quoted)
{
    size_t off = 40;
    uint32_t payload_len;
    uint8_t next;

    if (len < 40)
        return false;
    record->ip_version = 6;
    payload_len = be16(b + 4);
    record->ip_total_len = payload_len + 40;
    next = b[6];
    record->ttl = b[7];
    memcpy(record->src.bytes, b + 8, 16);
    memcpy(record->dst.bytes, b + 24, 16);

    for (int i = 0; i < MAX_IPV6_EXTENSIONS; i++) {
        size_t ext_len;

        if (next != IP6_HOPOPTS && next != IP6_ROUTING && next != IP6_DSTOPTS &&
            next != IP6_FRAGMENT && next != IP6_AH)
            break;
        if (len - off < 8) {
            /* The rest of the chain was not captured: the transport is
             * unknown, say so rather than guess. */
            record->ip_proto = next;
            record->ip_payload_len = after_extensions(payload_len, off - 40);
            return true;
        }
        if (next == IP6_FRAGMENT) {
            bool later_fragment = (be16(b + off + 2) & 0xfff8u) != 0;

            next = b[off];
            off += 8;
            if (later_fragment) {
                record->ip_proto = next;
                record->ip_payload_len = after_extensions(payload_len, off - 40);
                return true;
            }
            continue;
        }
        ext_len = next == IP6_AH ? ((size_t)b[off + 1] + 2) * 4
                                 : ((size_t)b[off + 1] + 1) * 8;
        next = b[off];
        off += ext_len;
        if (off > len) {
            record->ip_proto = next;
            record->ip_payload_len = after_extensions(payload_len, off - 40);
            return true;
        }
    }
    record->ip_proto = next;
    record->ip_payload_len = after_extensions(payload_len, off - 40);
    *transport_offset = off;
    parse_transport(b + off, transport_bytes(len - off, record->ip_payload_len),
                    record, quoted);
    return true;
}

static bool parse_ip(const uint8_t *bytes, size_t len, ntt_packet_t *record,
                     size_t *transport_offset, bool quoted)
{
    *transport_offset = 0;
    if (!bytes || len < 1)
        return false;
    switch (bytes[0] >> 4) {
    case 4:
        return parse_ipv4(bytes, len, record, transport_offset, quoted);
    case 6:
        return parse_ipv6(bytes, len, record, transport_offset, quoted);
    default:
        return false;
    }
}

bool ntt_ip_header_parse(const uint8_t *bytes, size_t len, ntt_packet_t *record,
                         size_t *transport_offset)
{
    size_t ignored;

    return parse_ip(bytes, len, record,
                    transport_offset ? transport_offset : &ignored, false);
}

bool ntt_ip_header_find_icmp_carrier(const uint8_t *bytes, size_t icmp_offset,
                                     uint8_t version, size_t *start)
{
    /* Header lengths to try, shortest first: IPv4 20..60 bytes in steps
     * of 4; IPv6 40 bytes plus up to 256 bytes of extension headers in
     * steps of 8. */
    size_t min_len = version == 4 ? 20 : 40;
    size_t max_len = version == 4 ? 60 : 40 + 256;
    size_t step = version == 4 ? 4 : 8;
    uint8_t icmp_proto = version == 4 ? NTT_IPPROTO_ICMP : NTT_IPPROTO_ICMPV6;

    if (!bytes || (version != 4 && version != 6))
        return false;
    for (size_t header_len = min_len;
         header_len <= max_len && header_len <= icmp_offset; header_len += step) {
        size_t candidate = icmp_offset - header_len, transport_offset;
        ntt_packet_t probe;

        if (bytes[candidate] >> 4 != version)
            continue;
        memset(&probe, 0, sizeof probe);
        if (ntt_ip_header_parse(bytes + candidate, header_len + 8, &probe,
                                &transport_offset) &&
            transport_offset == header_len && probe.ip_proto == icmp_proto) {
            *start = candidate;
            return true;
        }
    }
    return false;
}
