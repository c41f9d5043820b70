/* packet.h
 * The compact per-packet record the engine consumes. The Wireshark glue
 * fills it from the dissection; tests and fuzzers fill it by hand.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_PACKET_H
#define NTT_PACKET_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* IP protocol numbers the engine treats specially. */
enum {
    NTT_IPPROTO_ICMP   = 1,
    NTT_IPPROTO_TCP    = 6,
    NTT_IPPROTO_UDP    = 17,
    NTT_IPPROTO_ICMPV6 = 58,
    NTT_IPPROTO_SCTP   = 132,
};

/* TCP flag bits, as on the wire (the low 9 bits of the flags field). */
enum {
    NTT_TCP_FIN = 0x001,
    NTT_TCP_SYN = 0x002,
    NTT_TCP_RST = 0x004,
    NTT_TCP_PSH = 0x008,
    NTT_TCP_ACK = 0x010,
    NTT_TCP_URG = 0x020,
    NTT_TCP_ECE = 0x040,
    NTT_TCP_CWR = 0x080,
    NTT_TCP_NS  = 0x100,
};

/* An IPv4 address lives in the first 4 bytes; the rest stay zero so that
 * keys compare and hash as plain bytes. The family is kept next to it. */
typedef struct ntt_addr {
    uint8_t bytes[16];
} ntt_addr_t;

/* A name the dissectors saw in the packet, for the blocklist. */
typedef enum ntt_name_kind {
    NTT_NAME_DNS_QUERY = 0,   /* dns.qry.name of a query */
    NTT_NAME_DNS_ANSWER,      /* dns.qry.name or an answer's name in a response */
    NTT_NAME_HTTP_HOST,       /* http.host */
    NTT_NAME_TLS_SNI,         /* TLS server name indication */
    NTT_NAME_KIND_COUNT
} ntt_name_kind_t;

typedef struct ntt_name {
    const char *text;         /* not NUL-terminated necessarily */
    uint16_t    len;
    uint8_t     kind;         /* ntt_name_kind_t */
} ntt_name_t;

/* An address a DNS response resolved a name to (A / AAAA). */
typedef struct ntt_resolved {
    ntt_addr_t addr;
    uint8_t    ip_version;
} ntt_resolved_t;

typedef struct ntt_packet {
    uint32_t   frame;           /* frame number, 1-based, in file order */
    int64_t    ts_ns;           /* capture timestamp, ns since the epoch */
    uint32_t   frame_len;       /* bytes on the wire */
    uint32_t   ip_payload_len;  /* bytes after the IP header(s) */
    uint32_t   ip_total_len;    /* the IP packet as its header gives it:
                                   IPv4 total length, IPv6 payload
                                   length + 40 (Zeek's ip_bytes) */
    uint32_t   payload_len;     /* transport payload (TCP segment data) */
    uint8_t    ip_version;      /* 4 or 6; 0 means "not IP": no flow */
    uint8_t    ip_proto;        /* transport protocol (innermost header) */
    uint8_t    ttl;             /* TTL or hop limit */
    bool       has_ports;       /* TCP, UDP or SCTP ports are valid */
    bool       has_tcp;         /* tcp_flags and tcp_seq are valid */
    bool       has_icmp;        /* icmp_type and icmp_code are valid */
    ntt_addr_t src;
    ntt_addr_t dst;
    uint16_t   sport;
    uint16_t   dport;
    uint16_t   tcp_flags;       /* NTT_TCP_* bits */
    uint32_t   tcp_seq;         /* raw (absolute) sequence number */
    uint32_t   tcp_ack;         /* raw acknowledgement number */
    /* The first captured bytes of the TCP payload (payload_head_len of
     * them, at most 4): enough for a reply code (FTP's "530 "), never
     * more of the payload. */
    uint8_t    payload_head[4];
    uint8_t    payload_head_len;
    uint8_t    icmp_type;
    uint8_t    icmp_code;
    uint16_t   icmp_id;         /* echo identifier, when the type has one */
    /* An ICMP/ICMPv6 error quotes the header of the packet it reports. */
    bool       has_quoted;      /* quoted_* are valid */
    bool       quoted_has_ports;
    uint8_t    quoted_proto;
    ntt_addr_t quoted_src;
    ntt_addr_t quoted_dst;
    uint16_t   quoted_sport;
    uint16_t   quoted_dport;
    /* Application names (DNS, HTTP, TLS), filled by the glue only when a
     * blocklist is loaded, and the addresses of a DNS response from port
     * 53 (its A and AAAA answers, ntt/dns-answer.h), always. The arrays
     * belong to the caller and need only last through
     * ntt_engine_process(). */
    const ntt_name_t     *names;
    const ntt_resolved_t *resolved;
    const char           *http_uri;     /* request URI, or NULL */
    uint16_t              http_uri_len;
    uint8_t               name_count;
    uint8_t               resolved_count;
    /* ARP (IPv4 over Ethernet only: htype 1, ptype 0x0800, hlen 6,
     * plen 4; other ARP stays not ARP here). ARP is not IP: ip_version
     * stays 0 and the packet gets no flow; the detectors' ARP entry
     * point sees it. Addresses are IPv4, in the first 4 bytes. */
    bool                  is_arp;         /* arp_* are valid */
    uint8_t               arp_op;         /* NTT_ARP_REQUEST, NTT_ARP_REPLY, ... */
    ntt_addr_t            arp_sender_ip;
    ntt_addr_t            arp_target_ip;
} ntt_packet_t;

/* ARP opcodes (RFC 826). */
enum {
    NTT_ARP_REQUEST = 1,
    NTT_ARP_REPLY   = 2,
};

/* True when an ICMP/ICMPv6 type is an error that quotes a packet
 * (unreachable, time exceeded, parameter problem, source quench,
 * redirect; ICMPv6 1-4). */
bool ntt_icmp_is_error(uint8_t ip_proto, uint8_t icmp_type);

/* True when an ICMP/ICMPv6 type is an echo request or reply, the only
 * ICMP messages that form their own flows by identifier. */
bool ntt_icmp_is_echo(uint8_t ip_proto, uint8_t icmp_type);

/* Echo request (ICMP 8, ICMPv6 128) and echo reply (ICMP 0, ICMPv6 129). */
bool ntt_icmp_is_echo_request(uint8_t ip_proto, uint8_t icmp_type);
bool ntt_icmp_is_echo_reply(uint8_t ip_proto, uint8_t icmp_type);

/* Does an ICMP/ICMPv6 error speak for the target of the packet it
 * quotes? Destination unreachable for the host, its protocol or port,
 * or a filter in front of it: yes. The rest -- no route to its network,
 * time exceeded in transit (traceroute), fragmentation needed, redirect,
 * parameter problem -- says only that the packet did not get there. */
bool ntt_icmp_error_is_about_target(uint8_t ip_proto, uint8_t icmp_type, uint8_t icmp_code);

/* ICMP's other queries, which host discovery sends beside the echo
 * (nmap -PP, -PM): timestamp (13), information (15) and address mask
 * (17) requests, and their replies (14, 16, 18). ICMPv6 has none. */
bool ntt_icmp_is_query_request(uint8_t ip_proto, uint8_t icmp_type);
bool ntt_icmp_is_query_reply(uint8_t ip_proto, uint8_t icmp_type);

/* Formats an address ("192.0.2.1", "2001:db8::1") into buf; returns buf.
 * buf must hold NTT_ADDR_STRLEN bytes. */
#define NTT_ADDR_STRLEN 46
char *ntt_addr_format(const ntt_addr_t *addr, uint8_t ip_version, char *buf);

#ifdef __cplusplus
}
#endif

#endif /* NTT_PACKET_H */
