/* ntt-record.c
 * The packet record comes from two places: pinfo (time, length, the
 * protocol layers) and the fields the post-dissector declared as wanted
 * (addresses, ports, TCP flags, ICMP type). Values are read from the
 * bytes each field covers, which is the same on every Wireshark release,
 * rather than through the fvalue API, which is not.
 *
 * Which header counts: the innermost IP header that is not quoted inside
 * an ICMP error, and the transport header right after it. Walking
 * pinfo->layers tells which occurrence of each field that is.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-record.h"

#include <string.h>

#include <epan/proto.h>

#include "ntt-compat.h"

/* Protocol ids, looked up once. */
static int proto_ip = -1;
static int proto_ipv6 = -1;
static int proto_tcp = -1;
static int proto_udp = -1;
static int proto_sctp = -1;
static int proto_icmp = -1;
static int proto_icmpv6 = -1;

/* The fields read, by role. */
typedef enum {
    F_IP_SRC, F_IP_DST, F_IP_PROTO, F_IP_TTL, F_IP_LEN, F_IP_HDR_LEN,
    F_IPV6_SRC, F_IPV6_DST, F_IPV6_NXT, F_IPV6_HLIM, F_IPV6_PLEN,
    F_TCP_SRCPORT, F_TCP_DSTPORT, F_TCP_FLAGS, F_TCP_SEQ_RAW, F_TCP_HDR_LEN,
    F_UDP_SRCPORT, F_UDP_DSTPORT,
    F_SCTP_SRCPORT, F_SCTP_DSTPORT,
    F_ICMP_TYPE, F_ICMP_CODE, F_ICMP_IDENT,
    F_ICMPV6_TYPE, F_ICMPV6_CODE, F_ICMPV6_IDENT,
    F_COUNT
} field_role_t;

static const char *const field_names[F_COUNT] = {
    [F_IP_SRC] = "ip.src",           [F_IP_DST] = "ip.dst",
    [F_IP_PROTO] = "ip.proto",       [F_IP_TTL] = "ip.ttl",
    [F_IP_LEN] = "ip.len",           [F_IP_HDR_LEN] = "ip.hdr_len",
    [F_IPV6_SRC] = "ipv6.src",       [F_IPV6_DST] = "ipv6.dst",
    [F_IPV6_NXT] = "ipv6.nxt",       [F_IPV6_HLIM] = "ipv6.hlim",
    [F_IPV6_PLEN] = "ipv6.plen",
    [F_TCP_SRCPORT] = "tcp.srcport", [F_TCP_DSTPORT] = "tcp.dstport",
    [F_TCP_FLAGS] = "tcp.flags",     [F_TCP_SEQ_RAW] = "tcp.seq_raw",
    [F_TCP_HDR_LEN] = "tcp.hdr_len",
    [F_UDP_SRCPORT] = "udp.srcport", [F_UDP_DSTPORT] = "udp.dstport",
    [F_SCTP_SRCPORT] = "sctp.srcport", [F_SCTP_DSTPORT] = "sctp.dstport",
    [F_ICMP_TYPE] = "icmp.type",     [F_ICMP_CODE] = "icmp.code",
    [F_ICMP_IDENT] = "icmp.ident",
    [F_ICMPV6_TYPE] = "icmpv6.type", [F_ICMPV6_CODE] = "icmpv6.code",
    [F_ICMPV6_IDENT] = "icmpv6.echo.identifier",
};

static int field_ids[F_COUNT];

void ntt_record_init(void)
{
    proto_ip = proto_get_id_by_filter_name("ip");
    proto_ipv6 = proto_get_id_by_filter_name("ipv6");
    proto_tcp = proto_get_id_by_filter_name("tcp");
    proto_udp = proto_get_id_by_filter_name("udp");
    proto_sctp = proto_get_id_by_filter_name("sctp");
    proto_icmp = proto_get_id_by_filter_name("icmp");
    proto_icmpv6 = proto_get_id_by_filter_name("icmpv6");
    for (int i = 0; i < F_COUNT; i++)
        field_ids[i] = proto_registrar_get_id_byname(field_names[i]);
}

GArray *ntt_record_wanted_fields(void)
{
    GArray *wanted = g_array_new(FALSE, FALSE, (guint)sizeof(int));

    for (int i = 0; i < F_COUNT; i++) {
        /* A field missing from this Wireshark just leaves its value out. */
        if (field_ids[i] > 0)
            g_array_append_val(wanted, field_ids[i]);
    }
    return wanted;
}

/* The occurrence-th (0-based) instance of a field in the tree, or NULL. */
static field_info *field_at(proto_tree *tree, field_role_t role,
                            unsigned occurrence)
{
    GPtrArray *found;

    if (!tree || field_ids[role] <= 0)
        return NULL;
    found = proto_get_finfo_ptr_array(tree, field_ids[role]);
    if (!found || occurrence >= found->len)
        return NULL;
    return (field_info *)g_ptr_array_index(found, occurrence);
}

/* The bytes a field covers, if they are all there to read. */
static bool field_bytes(field_info *fi, guint8 *buf, gint length)
{
    if (!fi || !fi->ds_tvb || fi->length < length ||
        !tvb_bytes_exist(fi->ds_tvb, fi->start, length))
        return false;
    tvb_memcpy(fi->ds_tvb, buf, fi->start, length);
    return true;
}

static bool read_u8(proto_tree *tree, field_role_t role, unsigned nth,
                    guint8 *value)
{
    return field_bytes(field_at(tree, role, nth), value, 1);
}

static bool read_u16(proto_tree *tree, field_role_t role, unsigned nth,
                     guint16 *value)
{
    guint8 b[2];

    if (!field_bytes(field_at(tree, role, nth), b, 2))
        return false;
    *value = (guint16)(b[0] << 8 | b[1]);
    return true;
}

static bool read_u32(proto_tree *tree, field_role_t role, unsigned nth,
                     guint32 *value)
{
    guint8 b[4];

    if (!field_bytes(field_at(tree, role, nth), b, 4))
        return false;
    *value = (guint32)b[0] << 24 | (guint32)b[1] << 16 |
             (guint32)b[2] << 8 | b[3];
    return true;
}

/* Where the packet's own network and transport headers are, as counts of
 * earlier occurrences of the same protocol (the index into the field
 * arrays). */
typedef struct layer_choice {
    int      net_proto;        /* proto_ip, proto_ipv6 or -1 */
    unsigned net_nth;
    int      transport_proto;  /* proto_tcp ... or -1 */
    unsigned transport_nth;
} layer_choice_t;

static void choose_layers(packet_info *pinfo, layer_choice_t *choice)
{
    unsigned seen_ip = 0, seen_ipv6 = 0, seen_tcp = 0, seen_udp = 0;
    unsigned seen_sctp = 0, seen_icmp = 0, seen_icmpv6 = 0;
    wmem_list_frame_t *frame;

    choice->net_proto = choice->transport_proto = -1;
    choice->net_nth = choice->transport_nth = 0;
    if (!pinfo->layers)
        return;
    for (frame = wmem_list_head(pinfo->layers); frame;
         frame = wmem_list_frame_next(frame)) {
        int proto = GPOINTER_TO_INT(wmem_list_frame_data(frame));
        unsigned *counter = NULL;

        if (proto == proto_ip || proto == proto_ipv6) {
            /* A new (inner) IP header: tunnels keep the innermost. */
            choice->net_proto = proto;
            choice->net_nth = proto == proto_ip ? seen_ip++ : seen_ipv6++;
            choice->transport_proto = -1;
            continue;
        }
        if (proto == proto_tcp)
            counter = &seen_tcp;
        else if (proto == proto_udp)
            counter = &seen_udp;
        else if (proto == proto_sctp)
            counter = &seen_sctp;
        else if (proto == proto_icmp)
            counter = &seen_icmp;
        else if (proto == proto_icmpv6)
            counter = &seen_icmpv6;
        if (!counter)
            continue;
        if (choice->net_proto != -1 && choice->transport_proto == -1) {
            choice->transport_proto = proto;
            choice->transport_nth = *counter;
        }
        (*counter)++;
        /* What follows an ICMP header is a quoted packet (or echo data),
         * not another layer of this one. */
        if (proto == proto_icmp || proto == proto_icmpv6)
            return;
    }
}

static void fill_network(ntt_packet_t *record, proto_tree *tree,
                         const layer_choice_t *choice)
{
    unsigned nth = choice->net_nth;

    if (choice->net_proto == proto_ip) {
        guint16 total_len = 0;
        guint8 hdr_len = 0;

        if (!field_bytes(field_at(tree, F_IP_SRC, nth), record->src.bytes, 4) ||
            !field_bytes(field_at(tree, F_IP_DST, nth), record->dst.bytes, 4))
            return;
        record->ip_version = 4;
        read_u8(tree, F_IP_PROTO, nth, &record->ip_proto);
        read_u8(tree, F_IP_TTL, nth, &record->ttl);
        if (read_u16(tree, F_IP_LEN, nth, &total_len) &&
            read_u8(tree, F_IP_HDR_LEN, nth, &hdr_len)) {
            unsigned header = (hdr_len & 0x0f) * 4u;
            record->ip_payload_len = total_len > header ? total_len - header : 0;
        }
    } else if (choice->net_proto == proto_ipv6) {
        guint16 plen = 0;

        if (!field_bytes(field_at(tree, F_IPV6_SRC, nth), record->src.bytes, 16) ||
            !field_bytes(field_at(tree, F_IPV6_DST, nth), record->dst.bytes, 16))
            return;
        record->ip_version = 6;
        read_u8(tree, F_IPV6_NXT, nth, &record->ip_proto);
        read_u8(tree, F_IPV6_HLIM, nth, &record->ttl);
        if (read_u16(tree, F_IPV6_PLEN, nth, &plen))
            record->ip_payload_len = plen;
    }
}

static void fill_ports(ntt_packet_t *record, proto_tree *tree,
                       field_role_t sport, field_role_t dport, unsigned nth)
{
    record->has_ports = read_u16(tree, sport, nth, &record->sport) &&
                        read_u16(tree, dport, nth, &record->dport);
}

static void fill_transport(ntt_packet_t *record, proto_tree *tree,
                           const layer_choice_t *choice)
{
    int proto = choice->transport_proto;
    unsigned nth = choice->transport_nth;

    if (proto == -1)
        return;
    /* The transport header decides the protocol: after IPv6 extension
     * headers ipv6.nxt names the first of those, not TCP. */
    if (proto == proto_tcp) {
        guint16 flags;
        guint8 offset_byte;

        record->ip_proto = NTT_IPPROTO_TCP;
        fill_ports(record, tree, F_TCP_SRCPORT, F_TCP_DSTPORT, nth);
        if (read_u16(tree, F_TCP_FLAGS, nth, &flags) &&
            read_u32(tree, F_TCP_SEQ_RAW, nth, &record->tcp_seq)) {
            record->has_tcp = true;
            record->tcp_flags = flags & 0x0fff;
        }
        if (read_u8(tree, F_TCP_HDR_LEN, nth, &offset_byte)) {
            unsigned header = (offset_byte >> 4) * 4u;
            if (record->ip_payload_len > header)
                record->payload_len = record->ip_payload_len - header;
        }
    } else if (proto == proto_udp) {
        record->ip_proto = NTT_IPPROTO_UDP;
        fill_ports(record, tree, F_UDP_SRCPORT, F_UDP_DSTPORT, nth);
        if (record->ip_payload_len > 8)
            record->payload_len = record->ip_payload_len - 8;
    } else if (proto == proto_sctp) {
        record->ip_proto = NTT_IPPROTO_SCTP;
        fill_ports(record, tree, F_SCTP_SRCPORT, F_SCTP_DSTPORT, nth);
    } else if (proto == proto_icmp || proto == proto_icmpv6) {
        bool v4 = proto == proto_icmp;

        record->ip_proto = v4 ? NTT_IPPROTO_ICMP : NTT_IPPROTO_ICMPV6;
        record->has_icmp =
            read_u8(tree, v4 ? F_ICMP_TYPE : F_ICMPV6_TYPE, nth, &record->icmp_type) &&
            read_u8(tree, v4 ? F_ICMP_CODE : F_ICMPV6_CODE, nth, &record->icmp_code);
        if (record->has_icmp && ntt_icmp_is_echo(record->ip_proto, record->icmp_type))
            read_u16(tree, v4 ? F_ICMP_IDENT : F_ICMPV6_IDENT, nth, &record->icmp_id);
    }
}

void ntt_record_fill(ntt_packet_t *record, packet_info *pinfo,
                     proto_tree *tree)
{
    layer_choice_t choice;

    memset(record, 0, sizeof *record);
    record->frame = pinfo->num;
    record->ts_ns = (int64_t)pinfo->abs_ts.secs * 1000000000 + pinfo->abs_ts.nsecs;
    record->frame_len = pinfo->fd->pkt_len;

    choose_layers(pinfo, &choice);
    fill_network(record, tree, &choice);
    if (record->ip_version != 0)
        fill_transport(record, tree, &choice);
}
