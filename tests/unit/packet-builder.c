/* packet-builder.c
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "packet-builder.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

ntt_addr_t addr4(const char *text)
{
    ntt_addr_t a;

    memset(&a, 0, sizeof a);
    if (inet_pton(AF_INET, text, a.bytes) != 1)
        abort();
    return a;
}

ntt_addr_t addr6(const char *text)
{
    ntt_addr_t a;

    if (inet_pton(AF_INET6, text, a.bytes) != 1)
        abort();
    return a;
}

static ntt_packet_t base(uint32_t frame, int64_t ts_ns, uint8_t version,
                         uint8_t proto, uint32_t ip_payload)
{
    ntt_packet_t p;

    memset(&p, 0, sizeof p);
    p.frame = frame;
    p.ts_ns = ts_ns;
    p.ip_version = version;
    p.ip_proto = proto;
    p.ttl = 64;
    p.ip_payload_len = ip_payload;
    p.ip_total_len = ip_payload + (version == 6 ? 40 : 20);
    p.frame_len = p.ip_total_len + 14;
    return p;
}

ntt_packet_t tcp4(uint32_t frame, int64_t ts_ns, const char *src,
                  uint16_t sport, const char *dst, uint16_t dport,
                  uint16_t flags, uint32_t seq, uint32_t payload)
{
    ntt_packet_t p = base(frame, ts_ns, 4, NTT_IPPROTO_TCP, 20 + payload);

    p.src = addr4(src);
    p.dst = addr4(dst);
    p.has_ports = p.has_tcp = true;
    p.sport = sport;
    p.dport = dport;
    p.tcp_flags = flags;
    p.tcp_seq = seq;
    p.payload_len = payload;
    return p;
}

ntt_packet_t tcp6(uint32_t frame, int64_t ts_ns, const char *src,
                  uint16_t sport, const char *dst, uint16_t dport,
                  uint16_t flags, uint32_t seq, uint32_t payload)
{
    ntt_packet_t p = base(frame, ts_ns, 6, NTT_IPPROTO_TCP, 20 + payload);

    p.src = addr6(src);
    p.dst = addr6(dst);
    p.has_ports = p.has_tcp = true;
    p.sport = sport;
    p.dport = dport;
    p.tcp_flags = flags;
    p.tcp_seq = seq;
    p.payload_len = payload;
    return p;
}

ntt_packet_t udp4(uint32_t frame, int64_t ts_ns, const char *src,
                  uint16_t sport, const char *dst, uint16_t dport,
                  uint32_t payload)
{
    ntt_packet_t p = base(frame, ts_ns, 4, NTT_IPPROTO_UDP, 8 + payload);

    p.src = addr4(src);
    p.dst = addr4(dst);
    p.has_ports = true;
    p.sport = sport;
    p.dport = dport;
    p.payload_len = payload;
    return p;
}

ntt_packet_t icmp4(uint32_t frame, int64_t ts_ns, const char *src,
                   const char *dst, uint8_t type, uint8_t code, uint16_t id)
{
    ntt_packet_t p = base(frame, ts_ns, 4, NTT_IPPROTO_ICMP, 64);

    p.src = addr4(src);
    p.dst = addr4(dst);
    p.has_icmp = true;
    p.icmp_type = type;
    p.icmp_code = code;
    p.icmp_id = id;
    return p;
}

ntt_packet_t non_ip(uint32_t frame, int64_t ts_ns, uint32_t len)
{
    ntt_packet_t p;

    memset(&p, 0, sizeof p);
    p.frame = frame;
    p.ts_ns = ts_ns;
    p.frame_len = len;
    return p;
}

ntt_packet_t icmp4_error(uint32_t frame, int64_t ts_ns, const char *src,
                         const char *dst, uint8_t type, uint8_t code,
                         uint8_t quoted_proto, const char *quoted_src,
                         uint16_t quoted_sport, const char *quoted_dst,
                         uint16_t quoted_dport)
{
    ntt_packet_t p = icmp4(frame, ts_ns, src, dst, type, code, 0);

    p.has_quoted = true;
    p.quoted_proto = quoted_proto;
    p.quoted_src = addr4(quoted_src);
    p.quoted_dst = addr4(quoted_dst);
    p.quoted_has_ports = quoted_proto == NTT_IPPROTO_TCP || quoted_proto == NTT_IPPROTO_UDP;
    p.quoted_sport = quoted_sport;
    p.quoted_dport = quoted_dport;
    return p;
}

ntt_packet_t udp6(uint32_t frame, int64_t ts_ns, const char *src,
                  uint16_t sport, const char *dst, uint16_t dport,
                  uint32_t payload)
{
    ntt_packet_t p = udp4(frame, ts_ns, "0.0.0.0", sport, "0.0.0.0", dport, payload);

    p.ip_version = 6;
    p.src = addr6(src);
    p.dst = addr6(dst);
    return p;
}

ntt_packet_t icmp6(uint32_t frame, int64_t ts_ns, const char *src,
                   const char *dst, uint8_t type, uint8_t code, uint16_t id)
{
    ntt_packet_t p = icmp4(frame, ts_ns, "0.0.0.0", "0.0.0.0", type, code, id);

    p.ip_version = 6;
    p.ip_proto = NTT_IPPROTO_ICMPV6;
    p.src = addr6(src);
    p.dst = addr6(dst);
    return p;
}
