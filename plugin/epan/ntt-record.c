/* ntt-record.c
 * The packet record comes from pinfo (time, length, the protocol layers)
 * and from the headers Wireshark located: the post-dissector asks for the
 * protocol items of IP, IPv6, TCP, UDP, SCTP, ICMP and ICMPv6 only (with
 * set_postdissector_wanted_hfids), and reads the few fixed-offset header
 * fields it needs from the bytes each item covers.
 *
 * Why not ask for ip.src, tcp.flags ... directly: Wireshark primes every
 * wanted field on every packet (a hash insert and an array each), and 26
 * fields cost about three times what ntt's own work does. Seven protocol
 * items cost little, and reading a header at the offset Wireshark found it
 * is the same on every Wireshark release, unlike the fvalue API.
 *
 * Which header counts: the innermost IP header that is not quoted inside
 * an ICMP error, and the transport header right after it. Walking
 * pinfo->layers tells which occurrence of each protocol item that is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-record.h"

#include <string.h>

#include <epan/proto.h>

#include "ntt-compat.h"

typedef enum {
    L_IP, L_IPV6, L_TCP, L_UDP, L_SCTP, L_ICMP, L_ICMPV6, L_COUNT
} layer_t;

static const char *const layer_names[L_COUNT] = {
    "ip", "ipv6", "tcp", "udp", "sctp", "icmp", "icmpv6",
};

/* Protocol ids (which are also the protocol items' field ids). */
static int layer_ids[L_COUNT] = { -1, -1, -1, -1, -1, -1, -1 };

void ntt_record_init(void)
{
    for (int i = 0; i < L_COUNT; i++)
        layer_ids[i] = proto_get_id_by_filter_name(layer_names[i]);
}

GArray *ntt_record_wanted_fields(void)
{
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));

    for (int i = 0; i < L_COUNT; i++) {
        if (layer_ids[i] > 0)
            g_array_append_val(wanted, layer_ids[i]);
    }
    return wanted;
}

static layer_t layer_of(int proto)
{
    for (int i = 0; i < L_COUNT; i++) {
        if (proto == layer_ids[i])
            return (layer_t)i;
    }
    return L_COUNT;
}

/* A located header: its bytes are in tvb from offset on. */
typedef struct header {
    tvbuff_t *tvb;
    gint      offset;
} header_t;

/* The nth (0-based) item of a protocol in the tree. */
static bool find_header(proto_tree *tree, layer_t layer, unsigned nth,
                        header_t *header)
{
    GPtrArray *items;
    field_info *fi;

    if (!tree || layer_ids[layer] <= 0)
        return false;
    items = proto_get_finfo_ptr_array(tree, layer_ids[layer]);
    if (!items || nth >= items->len)
        return false;
    fi = (field_info *)g_ptr_array_index(items, nth);
    if (!fi || !fi->ds_tvb)
        return false;
    header->tvb = fi->ds_tvb;
    header->offset = fi->start;
    return true;
}

/* Reads length bytes at off into the header, if they were captured. */
static bool header_bytes(const header_t *h, gint off, guint8 *buf, gint length)
{
    if (!tvb_bytes_exist(h->tvb, h->offset + off, length))
        return false;
    tvb_memcpy(h->tvb, buf, h->offset + off, length);
    return true;
}

static guint16 be16(const guint8 *b)
{
    return (guint16)(b[0] << 8 | b[1]);
}

static guint32 be32(const guint8 *b)
{
    return (guint32)b[0] << 24 | (guint32)b[1] << 16 | (guint32)b[2] << 8 | b[3];
}

/* Where the packet's own network and transport headers are, as counts of
 * earlier occurrences of the same protocol. */
typedef struct layer_choice {
    layer_t  net;              /* L_IP, L_IPV6 or L_COUNT (none) */
    unsigned net_nth;
    layer_t  transport;        /* L_TCP ... or L_COUNT (none) */
    unsigned transport_nth;
} layer_choice_t;

static void choose_layers(packet_info *pinfo, layer_choice_t *choice)
{
    unsigned seen[L_COUNT] = { 0 };
    wmem_list_frame_t *frame;

    choice->net = choice->transport = L_COUNT;
    choice->net_nth = choice->transport_nth = 0;
    if (!pinfo->layers)
        return;
    for (frame = wmem_list_head(pinfo->layers); frame;
         frame = wmem_list_frame_next(frame)) {
        layer_t layer = layer_of(GPOINTER_TO_INT(wmem_list_frame_data(frame)));

        if (layer == L_COUNT)
            continue;
        if (layer == L_IP || layer == L_IPV6) {
            /* A new (inner) IP header: tunnels keep the innermost. */
            choice->net = layer;
            choice->net_nth = seen[layer]++;
            choice->transport = L_COUNT;
            continue;
        }
        if (choice->net != L_COUNT && choice->transport == L_COUNT) {
            choice->transport = layer;
            choice->transport_nth = seen[layer];
        }
        seen[layer]++;
        /* What follows an ICMP header is a quoted packet (or echo data),
         * not another layer of this one. */
        if (layer == L_ICMP || layer == L_ICMPV6)
            return;
    }
}

static void fill_ipv4(ntt_packet_t *record, const header_t *h)
{
    guint8 b[20];
    unsigned header_len, total_len;

    if (!header_bytes(h, 0, b, 20))
        return;
    record->ip_version = 4;
    record->ttl = b[8];
    record->ip_proto = b[9];
    memcpy(record->src.bytes, b + 12, 4);
    memcpy(record->dst.bytes, b + 16, 4);
    header_len = (b[0] & 0x0fu) * 4u;
    total_len = be16(b + 2);
    record->ip_payload_len = total_len > header_len ? total_len - header_len : 0;
}

static void fill_ipv6(ntt_packet_t *record, const header_t *h)
{
    guint8 b[40];

    if (!header_bytes(h, 0, b, 40))
        return;
    record->ip_version = 6;
    record->ip_payload_len = be16(b + 4);
    record->ip_proto = b[6];
    record->ttl = b[7];
    memcpy(record->src.bytes, b + 8, 16);
    memcpy(record->dst.bytes, b + 24, 16);
}

static void fill_transport(ntt_packet_t *record, const header_t *h,
                           layer_t layer)
{
    guint8 b[20];

    /* The transport header decides the protocol: after IPv6 extension
     * headers the IPv6 next-header field names the first of those. */
    switch (layer) {
    case L_TCP:
        record->ip_proto = NTT_IPPROTO_TCP;
        if (header_bytes(h, 0, b, 4)) {
            record->has_ports = true;
            record->sport = be16(b);
            record->dport = be16(b + 2);
        }
        if (header_bytes(h, 0, b, 14)) {
            unsigned header_len = (b[12] >> 4) * 4u;

            record->has_tcp = true;
            record->tcp_seq = be32(b + 4);
            record->tcp_flags = (guint16)((b[12] & 0x01) << 8 | b[13]);
            if (record->ip_payload_len > header_len)
                record->payload_len = record->ip_payload_len - header_len;
        }
        break;
    case L_UDP:
    case L_SCTP:
        record->ip_proto = layer == L_UDP ? NTT_IPPROTO_UDP : NTT_IPPROTO_SCTP;
        if (header_bytes(h, 0, b, 4)) {
            record->has_ports = true;
            record->sport = be16(b);
            record->dport = be16(b + 2);
        }
        if (layer == L_UDP && record->ip_payload_len > 8)
            record->payload_len = record->ip_payload_len - 8;
        break;
    case L_ICMP:
    case L_ICMPV6:
        record->ip_proto = layer == L_ICMP ? NTT_IPPROTO_ICMP : NTT_IPPROTO_ICMPV6;
        if (header_bytes(h, 0, b, 2)) {
            record->has_icmp = true;
            record->icmp_type = b[0];
            record->icmp_code = b[1];
            if (ntt_icmp_is_echo(record->ip_proto, b[0]) &&
                header_bytes(h, 4, b, 2))
                record->icmp_id = be16(b);
        }
        break;
    default:
        break;
    }
}

void ntt_record_fill(ntt_packet_t *record, packet_info *pinfo,
                     proto_tree *tree)
{
    layer_choice_t choice;
    header_t h;

    memset(record, 0, sizeof *record);
    record->frame = pinfo->num;
    record->ts_ns = (int64_t)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs;
    record->frame_len = pinfo->fd->pkt_len;

    choose_layers(pinfo, &choice);
    if (choice.net == L_COUNT || !find_header(tree, choice.net, choice.net_nth, &h))
        return;
    if (choice.net == L_IP)
        fill_ipv4(record, &h);
    else
        fill_ipv6(record, &h);
    if (record->ip_version != 0 && choice.transport != L_COUNT &&
        find_header(tree, choice.transport, choice.transport_nth, &h))
        fill_transport(record, &h, choice.transport);
}
