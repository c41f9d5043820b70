/* ntt-record.c
 * The packet record comes from pinfo (time, length, the protocol layers,
 * the network addresses) and from the packet's own IP header, read by the
 * engine's header parser (ntt/ip-header.h) where Wireshark found it.
 *
 * How the header is found without asking Wireshark for any field: the IP
 * and IPv6 dissectors leave the last IP header's addresses in
 * pinfo->net_src and net_dst. The IPv4 dissector (and the IPv6 one in
 * some releases) points them into the packet's bytes; otherwise the bytes
 * are searched for them. The data source that holds them (the frame, or a
 * reassembled or decrypted buffer) and the fixed offset of the source
 * address give where the header starts. pinfo->layers says whether that
 * header is the packet's own -- the innermost, as Wireshark's columns show
 * for tunnels -- or one quoted inside an ICMP error, whose carrier is then
 * the IP header just before the ICMP message.
 *
 * Why not set_postdissector_wanted_hfids(): a wanted field makes its
 * protocol "referenced", and the IP dissector then formats host names and
 * summary labels for every packet. Wanting the seven protocol items cost
 * Wireshark about 4,700 instructions a packet, wanting ip.src and ipv6.src
 * about 3,000; this costs ntt about 300 and Wireshark nothing, and when no
 * one looks at ntt's fields tshark need not build a tree at all (measured
 * with callgrind on the bench/ mixed capture).
 *
 * ARP is not IP but its requests are how a host sweeps its own subnet:
 * for a packet without an IP header of its own whose layers include arp,
 * the ARP message is found in the frame's bytes after the link header
 * and read by the engine's ARP reader (ntt/arp-header.h). IP packets pay
 * nothing for it: the layers are looked at again only when there is no
 * IP header.
 *
 * A DNS response's addresses (its A and AAAA answers) are read the same
 * way, from the message bytes after the UDP header (or a TCP header and
 * DNS's two-byte length) of a packet from port 53, by the engine's reader
 * (ntt/dns-answer.h): the sweep detector needs them on every capture,
 * with or without a blocklist, and wanting dns.a would cost every packet
 * a tree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-record.h"

#include <string.h>

#include <epan/address.h>
#include <epan/packet.h>

#include "ntt/arp-header.h"
#include "ntt/dns-answer.h"
#include "ntt/ip-header.h"
#include "ntt-compat.h"

/* The protocols whose place in pinfo->layers matters. */
typedef enum {
    L_IP, L_IPV6, L_ICMP, L_ICMPV6, L_COUNT
} layer_t;

static const char *const layer_names[L_COUNT] = {
    "ip", "ipv6", "icmp", "icmpv6",
};

static int layer_ids[L_COUNT] = { -1, -1, -1, -1 };
/* The lowest and highest of them: the protocols are registered in name
 * order, so these four sit close together and most layers of a packet
 * (frame, eth, tcp ...) are told apart by one range test. */
static int layer_id_min = 0, layer_id_max = -1;

/* Looked for only in packets without IP. */
static int arp_layer_id = -1;

void ntt_record_init(void)
{
    layer_id_min = 0;
    layer_id_max = -1;
    for (int i = 0; i < L_COUNT; i++) {
        layer_ids[i] = proto_get_id_by_filter_name(layer_names[i]);
        if (layer_ids[i] < 0)
            continue;
        if (layer_id_max < 0 || layer_ids[i] < layer_id_min)
            layer_id_min = layer_ids[i];
        if (layer_ids[i] > layer_id_max)
            layer_id_max = layer_ids[i];
    }
    arp_layer_id = proto_get_id_by_filter_name("arp");
}

static layer_t layer_of(int proto)
{
    if (proto < layer_id_min || proto > layer_id_max)
        return L_COUNT;
    for (int i = 0; i < L_COUNT; i++) {
        if (proto == layer_ids[i])
            return (layer_t)i;
    }
    return L_COUNT;
}

/* What pinfo->layers says about the packet's IP headers. */
typedef struct ip_layers {
    unsigned own_version;     /* 4, 6 or 0 (no IP): the packet's own header */
    unsigned last_version;    /* the last IP header dissected (net_src's) */
    bool     last_is_quoted;  /* ... and it is quoted in an ICMP error */
} ip_layers_t;

static void read_layers(packet_info *pinfo, ip_layers_t *ip)
{
    bool past_icmp = false;
    wmem_list_frame_t *frame;

    memset(ip, 0, sizeof *ip);
    if (!pinfo->layers)
        return;
    for (frame = wmem_list_head(pinfo->layers); frame;
         frame = wmem_list_frame_next(frame)) {
        unsigned version = 0;

        switch (layer_of(GPOINTER_TO_INT(wmem_list_frame_data(frame)))) {
        case L_IP:
            version = 4;
            break;
        case L_IPV6:
            version = 6;
            break;
        case L_ICMP:
        case L_ICMPV6:
            /* What follows an ICMP header is a quoted packet, not a
             * layer of this one. */
            if (ip->own_version != 0)
                past_icmp = true;
            break;
        default:
            break;
        }
        if (version == 0)
            continue;
        ip->last_version = version;
        ip->last_is_quoted = past_icmp;
        /* A new (inner) IP header: tunnels keep the innermost. */
        if (!past_icmp)
            ip->own_version = version;
    }
}

/* Where a header is: the data source's bytes, their captured length, and
 * the header's offset in them. */
typedef struct located {
    const guint8 *base;
    size_t        len;
    size_t        offset;
} located_t;

/* The source and destination addresses of a header of one version: where
 * the source sits in the header, and the two addresses' bytes (the
 * destination follows the source directly in IPv4 and IPv6). */
typedef struct addr_pattern {
    unsigned      version;
    size_t        src_offset;
    size_t        addr_len;
    const guint8 *src;
    const guint8 *dst;
} addr_pattern_t;

static bool header_matches(const guint8 *base, size_t len, size_t src_at,
                           const addr_pattern_t *pat)
{
    return src_at >= pat->src_offset && src_at + 2 * pat->addr_len <= len &&
           (unsigned)(base[src_at - pat->src_offset] >> 4) == pat->version &&
           memcmp(base + src_at, pat->src, pat->addr_len) == 0 &&
           memcmp(base + src_at + pat->addr_len, pat->dst, pat->addr_len) == 0;
}

/* Finds the header whose addresses pinfo->net_src/net_dst hold. The IPv4
 * dissector, and the IPv6 one in some releases, point net_src into the
 * packet's bytes: then it is one comparison. Otherwise (IPv6 copies the
 * addresses in other releases) the data sources are searched, and the
 * last match wins, as net_src belongs to the last IP header dissected. */
static bool locate_header(packet_info *pinfo, const addr_pattern_t *pat,
                          located_t *where)
{
    uintptr_t p = (uintptr_t)pat->src;
    bool found = false;

    for (GSList *src = pinfo->data_src; src; src = src->next) {
        tvbuff_t *tvb = get_data_source_tvb((struct data_source *)src->data);
        guint len = tvb ? tvb_captured_length(tvb) : 0;
        const guint8 *base;

        if (len == 0)
            continue;
        base = tvb_get_ptr(tvb, 0, (gint)len);
        if (p >= (uintptr_t)base && p - (uintptr_t)base < len) {
            size_t src_at = (size_t)(p - (uintptr_t)base);

            if (!header_matches(base, len, src_at, pat))
                return false;
            where->base = base;
            where->len = len;
            where->offset = src_at - pat->src_offset;
            return true;
        }
        for (size_t at = pat->src_offset; at + 2 * pat->addr_len <= len; at++) {
            const void *hit = memchr(base + at, pat->src[0],
                                     len - 2 * pat->addr_len + 1 - at);

            if (!hit)
                break;
            at = (size_t)((const guint8 *)hit - base);
            if (header_matches(base, len, at, pat)) {
                where->base = base;
                where->len = len;
                where->offset = at - pat->src_offset;
                found = true;
            }
        }
    }
    return found;
}

/* Finds the packet's own IP header: the bytes it is in and its offset. */
static bool find_own_header(packet_info *pinfo, unsigned *version,
                            located_t *where)
{
    ip_layers_t ip;
    addr_pattern_t pat;
    size_t header;

    read_layers(pinfo, &ip);
    if (ip.own_version == 0 || pinfo->net_src.type != pinfo->net_dst.type ||
        pinfo->net_src.len != pinfo->net_dst.len)
        return false;
    if (pinfo->net_src.type == AT_IPv4 && pinfo->net_src.len == 4)
        pat = (addr_pattern_t){ 4, 12, 4, NULL, NULL };
    else if (pinfo->net_src.type == AT_IPv6 && pinfo->net_src.len == 16)
        pat = (addr_pattern_t){ 6, 8, 16, NULL, NULL };
    else
        return false;
    pat.src = (const guint8 *)pinfo->net_src.data;
    pat.dst = (const guint8 *)pinfo->net_dst.data;
    /* net_src must be the last IP header's, or it was set by someone
     * else (a later non-IP layer) and says nothing about the header. */
    if (pat.version != ip.last_version || !locate_header(pinfo, &pat, where))
        return false;
    *version = ip.own_version;
    if (!ip.last_is_quoted)
        return true;
    /* An ICMP error: whether net_src names the quoted header or its
     * carrier differs between releases. A quoted header has its carrier
     * right before it, ending where the 8-byte ICMP error header starts;
     * a carrier has only link-layer or tunnel headers before it. */
    header = where->offset;
    if (header >= 8 &&
        ntt_ip_header_find_icmp_carrier(where->base, header - 8,
                                        (uint8_t)ip.own_version, &header))
        where->offset = header;
    return true;
}

static bool has_arp_layer(packet_info *pinfo)
{
    if (!pinfo->layers || arp_layer_id < 0)
        return false;
    for (wmem_list_frame_t *frame = wmem_list_head(pinfo->layers); frame;
         frame = wmem_list_frame_next(frame)) {
        if (GPOINTER_TO_INT(wmem_list_frame_data(frame)) == arp_layer_id)
            return true;
    }
    return false;
}

/* The ARP message in the frame's own bytes (the first data source). */
static void fill_arp(ntt_packet_t *record, packet_info *pinfo)
{
    tvbuff_t *tvb;
    guint len;
    const guint8 *base;
    size_t offset;

    if (!pinfo->data_src || !has_arp_layer(pinfo))
        return;
    tvb = get_data_source_tvb((struct data_source *)pinfo->data_src->data);
    len = tvb ? tvb_captured_length(tvb) : 0;
    if (len == 0)
        return;
    base = tvb_get_ptr(tvb, 0, (gint)len);
    if (ntt_arp_header_find(base, len, &offset))
        ntt_arp_header_parse(base + offset, len - offset, record);
}

/* The DNS message of a packet from port 53 whose transport header starts
 * at transport in the len bytes at ip: its addresses into the record. */
static void fill_dns_answers(ntt_packet_t *record, packet_info *pinfo,
                             const guint8 *ip, size_t len, size_t transport)
{
    ntt_resolved_t resolved[NTT_DNS_MAX_RESOLVED];
    size_t msg;
    unsigned n;

    if (record->sport != 53 || transport == 0)
        return;
    /* What the IP header says it holds, not the link layer's padding. */
    if (transport + record->ip_payload_len < len)
        len = transport + record->ip_payload_len;
    if (record->ip_proto == NTT_IPPROTO_UDP) {
        msg = transport + 8;
    } else if (record->ip_proto == NTT_IPPROTO_TCP && record->has_tcp &&
               transport + 13 <= len && record->payload_len > 2) {
        /* The data offset, then DNS's length prefix (RFC 1035 4.2.2):
         * a response within one segment; one split over several is not
         * read (TCP carries few answers, mostly zone transfers). */
        msg = transport + (size_t)(ip[transport + 12] >> 4) * 4 + 2;
    } else {
        return;
    }
    if (msg >= len)
        return;
    n = ntt_dns_answers_read(ip + msg, len - msg, resolved, NTT_DNS_MAX_RESOLVED);
    if (n) {
        record->resolved = wmem_memdup(NTT_PACKET_SCOPE(pinfo), resolved,
                                       n * sizeof resolved[0]);
        record->resolved_count = (uint8_t)n;
    }
}

void ntt_record_fill(ntt_packet_t *record, packet_info *pinfo)
{
    located_t where;
    unsigned version;

    memset(record, 0, sizeof *record);
    if (find_own_header(pinfo, &version, &where)) {
        ntt_packet_t ip;
        const guint8 *bytes = where.base + where.offset;
        size_t len = where.len - where.offset, transport = 0;

        memset(&ip, 0, sizeof ip);
        /* A header of another version than the layers say is not ours. */
        if (ntt_ip_header_parse(bytes, len, &ip, &transport) &&
            ip.ip_version == version) {
            *record = ip;
            if (record->has_ports)
                fill_dns_answers(record, pinfo, bytes, len, transport);
        }
    }
    if (record->ip_version == 0)
        fill_arp(record, pinfo);
    record->frame = pinfo->num;
    record->ts_ns = ntt_record_ts_ns(pinfo);
    record->frame_len = pinfo->fd->pkt_len;
}

int64_t ntt_record_ts_ns(const packet_info *pinfo)
{
    return (int64_t)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs;
}
