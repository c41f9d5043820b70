/* test-ip-header.c
 * IP and transport header reading from raw bytes: IPv4 with options,
 * fragments, IPv6 extension chains, truncation at every length, and the
 * search for the header that carries an ICMP error.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ntt/ip-header.h"
#include "packet-builder.h"

/* 192.0.2.10:40000 -> 203.0.113.20:80, SYN, seq 0x01020304, 20-byte TCP
 * header, 5 payload bytes; IPv4 header of ihl words. */
static size_t ipv4_tcp(uint8_t *b, unsigned ihl)
{
    size_t h = ihl * 4u, total = h + 20 + 5;

    memset(b, 0, total);
    b[0] = (uint8_t)(0x40 | ihl);
    b[2] = (uint8_t)(total >> 8);
    b[3] = (uint8_t)total;
    b[8] = 64;
    b[9] = 6;
    memcpy(b + 12, (uint8_t[]){ 192, 0, 2, 10 }, 4);
    memcpy(b + 16, (uint8_t[]){ 203, 0, 113, 20 }, 4);
    b[h + 0] = 0x9c; b[h + 1] = 0x40;            /* 40000 */
    b[h + 2] = 0x00; b[h + 3] = 0x50;            /* 80 */
    memcpy(b + h + 4, (uint8_t[]){ 1, 2, 3, 4 }, 4);
    b[h + 12] = 0x50;                            /* 5 words */
    b[h + 13] = 0x02;                            /* SYN */
    return total;
}

static void ipv4_tcp_with_options(void **state)
{
    uint8_t b[128];
    size_t len = ipv4_tcp(b, 6), toff = 99;
    ntt_packet_t p;

    (void)state;
    memset(&p, 0, sizeof p);
    assert_true(ntt_ip_header_parse(b, len, &p, &toff));
    assert_int_equal(p.ip_version, 4);
    assert_int_equal(p.ttl, 64);
    assert_int_equal(p.ip_proto, NTT_IPPROTO_TCP);
    assert_memory_equal(p.src.bytes, addr4("192.0.2.10").bytes, 16);
    assert_memory_equal(p.dst.bytes, addr4("203.0.113.20").bytes, 16);
    assert_int_equal(p.ip_payload_len, 25);
    assert_int_equal(toff, 24);
    assert_true(p.has_ports);
    assert_int_equal(p.sport, 40000);
    assert_int_equal(p.dport, 80);
    assert_true(p.has_tcp);
    assert_int_equal(p.tcp_flags, NTT_TCP_SYN);
    assert_int_equal(p.tcp_seq, 0x01020304);
    assert_int_equal(p.payload_len, 5);
}

/* Every truncation: never reads past len (ASan would say), gives IP only
 * from 20 bytes on, ports from 4 transport bytes, flags from 14. */
static void ipv4_truncated_at_every_length(void **state)
{
    uint8_t full[128];
    size_t len = ipv4_tcp(full, 5);

    (void)state;
    for (size_t cut = 0; cut <= len; cut++) {
        uint8_t *b = test_malloc(cut ? cut : 1);
        ntt_packet_t p;
        bool ok;

        memcpy(b, full, cut);
        memset(&p, 0, sizeof p);
        ok = ntt_ip_header_parse(b, cut, &p, NULL);
        assert_int_equal(ok, cut >= 20);
        assert_int_equal(p.ip_version, cut >= 20 ? 4 : 0);
        assert_int_equal(p.has_ports, cut >= 24);
        assert_int_equal(p.has_tcp, cut >= 34);
        test_free(b);
    }
}

static void ipv4_later_fragment_has_no_transport(void **state)
{
    uint8_t b[128];
    size_t len = ipv4_tcp(b, 5), toff = 99;
    ntt_packet_t p;

    (void)state;
    b[6] = 0x00;
    b[7] = 0xb9;                                 /* offset 185 * 8 */
    memset(&p, 0, sizeof p);
    assert_true(ntt_ip_header_parse(b, len, &p, &toff));
    assert_int_equal(p.ip_proto, NTT_IPPROTO_TCP);
    assert_false(p.has_ports);
    assert_int_equal(toff, 0);

    b[6] = 0x20;                                 /* more fragments, offset 0 */
    b[7] = 0x00;
    memset(&p, 0, sizeof p);
    assert_true(ntt_ip_header_parse(b, len, &p, &toff));
    assert_true(p.has_ports);
}

static void ipv4_bogus_header_length_keeps_addresses_only(void **state)
{
    uint8_t b[128];
    size_t len = ipv4_tcp(b, 5);
    ntt_packet_t p;

    (void)state;
    b[0] = 0x43;                                 /* 12 bytes: impossible */
    memset(&p, 0, sizeof p);
    assert_true(ntt_ip_header_parse(b, len, &p, NULL));
    assert_int_equal(p.ip_version, 4);
    assert_false(p.has_ports);
    b[0] = 0x4f;                                 /* 60 bytes, only 45 there */
    memset(&p, 0, sizeof p);
    assert_true(ntt_ip_header_parse(b, len, &p, NULL));
    assert_false(p.has_ports);
}

/* Padding after the IP datagram (short Ethernet frames) is not read as
 * transport bytes. */
static void transport_bounded_by_ip_length(void **state)
{
    uint8_t b[64];
    ntt_packet_t p;

    (void)state;
    memset(b, 0xff, sizeof b);
    memset(b, 0, 24);
    b[0] = 0x45;
    b[3] = 22;                                   /* 20 + 2: half a port pair */
    b[9] = 17;
    memset(&p, 0, sizeof p);
    assert_true(ntt_ip_header_parse(b, sizeof b, &p, NULL));
    assert_int_equal(p.ip_payload_len, 2);
    assert_false(p.has_ports);
}

/* 2001:db8::1 -> 2001:db8::2, hop-by-hop (8) + destination options (16)
 * + UDP 5353 -> 53 with 4 payload bytes. */
static size_t ipv6_udp_with_extensions(uint8_t *b)
{
    size_t off = 40;

    memset(b, 0, 128);
    b[0] = 0x60;
    b[4] = 0;
    b[5] = 8 + 16 + 8 + 4;
    b[6] = 0;                                    /* hop-by-hop */
    b[7] = 255;
    b[8] = 0x20; b[9] = 0x01; b[10] = 0x0d; b[11] = 0xb8; b[23] = 1;
    b[24] = 0x20; b[25] = 0x01; b[26] = 0x0d; b[27] = 0xb8; b[39] = 2;
    b[off] = 60;  b[off + 1] = 0;  off += 8;     /* -> dest opts, 8 bytes */
    b[off] = 17;  b[off + 1] = 1;  off += 16;    /* -> UDP, 16 bytes */
    b[off] = 0x14; b[off + 1] = 0xe9;            /* 5353 */
    b[off + 3] = 53;
    b[off + 5] = 12;
    return off + 8 + 4;
}

static void ipv6_extension_chain(void **state)
{
    uint8_t b[128];
    size_t len = ipv6_udp_with_extensions(b), toff = 0;
    ntt_packet_t p;

    (void)state;
    memset(&p, 0, sizeof p);
    assert_true(ntt_ip_header_parse(b, len, &p, &toff));
    assert_int_equal(p.ip_version, 6);
    assert_int_equal(p.ttl, 255);
    assert_int_equal(p.ip_proto, NTT_IPPROTO_UDP);
    assert_int_equal(toff, 64);
    assert_int_equal(p.ip_payload_len, 12);
    assert_int_equal(p.payload_len, 4);
    assert_int_equal(p.sport, 5353);
    assert_int_equal(p.dport, 53);
    assert_memory_equal(p.src.bytes, addr6("2001:db8::1").bytes, 16);
    assert_memory_equal(p.dst.bytes, addr6("2001:db8::2").bytes, 16);

    for (size_t cut = 0; cut < len; cut++) {
        uint8_t *t = test_malloc(cut ? cut : 1);

        memcpy(t, b, cut);
        memset(&p, 0, sizeof p);
        assert_int_equal(ntt_ip_header_parse(t, cut, &p, NULL), cut >= 40);
        assert_int_equal(p.has_ports, cut >= 68);
        test_free(t);
    }
}

static void ipv6_later_fragment(void **state)
{
    uint8_t b[128];
    size_t toff = 99;
    ntt_packet_t p;

    (void)state;
    memset(b, 0, sizeof b);
    b[0] = 0x60;
    b[5] = 8 + 16;
    b[6] = 44;                                   /* fragment header */
    b[40] = 17;
    b[42] = 0x05; b[43] = 0x00;                  /* offset 160 */
    memset(&p, 0, sizeof p);
    assert_true(ntt_ip_header_parse(b, 64, &p, &toff));
    assert_int_equal(p.ip_proto, NTT_IPPROTO_UDP);
    assert_false(p.has_ports);
    assert_int_equal(toff, 0);
    assert_int_equal(p.ip_payload_len, 16);
}

static void not_ip(void **state)
{
    uint8_t b[64] = { 0x50 };
    ntt_packet_t p;

    (void)state;
    memset(&p, 0, sizeof p);
    assert_false(ntt_ip_header_parse(b, sizeof b, &p, NULL));
    assert_false(ntt_ip_header_parse(NULL, 0, &p, NULL));
    assert_int_equal(p.ip_version, 0);
}

/* 14 bytes of Ethernet, IPv4 with options (24 bytes) carrying ICMP
 * port unreachable, quoting an IPv4/UDP header. */
static void icmp_carrier_found_before_quoted_header(void **state)
{
    uint8_t b[128];
    size_t at = 0, start = 0;
    ntt_packet_t p;

    (void)state;
    memset(b, 0, sizeof b);
    b[12] = 0x08;                                /* Ethernet, IPv4 */
    b[14] = 0x46;
    b[14 + 3] = 24 + 8 + 28;
    b[14 + 9] = 1;
    memcpy(b + 14 + 12, (uint8_t[]){ 203, 0, 113, 20 }, 4);
    memcpy(b + 14 + 16, (uint8_t[]){ 198, 51, 100, 66 }, 4);
    b[38] = 3; b[39] = 3;                        /* ICMP port unreachable */
    b[46] = 0x45;                                /* quoted IPv4 */
    b[46 + 3] = 28;
    b[46 + 9] = 17;
    assert_true(ntt_ip_header_find_icmp_carrier(b, 38, 4, &at));
    assert_int_equal(at, 14);
    memset(&p, 0, sizeof p);
    assert_true(ntt_ip_header_parse(b + at, sizeof b - at, &p, NULL));
    assert_true(p.has_icmp);
    assert_int_equal(p.icmp_type, 3);
    /* The quoted header is read too: IPv4/UDP (ports all zero here). */
    assert_true(p.has_quoted);
    assert_int_equal(p.quoted_proto, NTT_IPPROTO_UDP);
    assert_true(p.quoted_has_ports);
    assert_int_equal(p.quoted_dport, 0);

    /* The carrier itself has no carrier before it: only Ethernet. */
    assert_false(ntt_ip_header_find_icmp_carrier(b, 6, 4, &start));
    /* Wrong protocol: not a carrier. */
    b[14 + 9] = 17;
    assert_false(ntt_ip_header_find_icmp_carrier(b, 38, 4, &start));
}

/* The quoted packet's addresses and ports come with the error. */
static void icmp_error_quotes_probe(void **state)
{
    uint8_t b[128], probe[128];
    size_t probe_len = ipv4_tcp(probe, 5);
    ntt_packet_t p;

    (void)state;
    memset(b, 0, sizeof b);
    b[0] = 0x45;
    b[3] = (uint8_t)(20 + 8 + probe_len);
    b[9] = 1;
    memcpy(b + 12, (uint8_t[]){ 203, 0, 113, 20 }, 4);
    memcpy(b + 16, (uint8_t[]){ 192, 0, 2, 10 }, 4);
    b[20] = 3;
    b[21] = 3;
    memcpy(b + 28, probe, probe_len);
    memset(&p, 0, sizeof p);
    assert_true(ntt_ip_header_parse(b, 28 + probe_len, &p, NULL));
    assert_true(p.has_quoted);
    assert_int_equal(p.quoted_proto, NTT_IPPROTO_TCP);
    assert_memory_equal(p.quoted_src.bytes, addr4("192.0.2.10").bytes, 16);
    assert_memory_equal(p.quoted_dst.bytes, addr4("203.0.113.20").bytes, 16);
    assert_true(p.quoted_has_ports);
    assert_int_equal(p.quoted_sport, 40000);
    assert_int_equal(p.quoted_dport, 80);
    /* Not the error's own ports or flags. */
    assert_false(p.has_ports);
    assert_false(p.has_tcp);

    /* An echo reply quotes nothing. */
    b[20] = 0;
    memset(&p, 0, sizeof p);
    assert_true(ntt_ip_header_parse(b, 28 + probe_len, &p, NULL));
    assert_false(p.has_quoted);
}

static void icmpv6_carrier(void **state)
{
    uint8_t b[160];
    size_t at = 0;

    (void)state;
    memset(b, 0, sizeof b);
    b[0] = 0x60;
    b[5] = 8 + 48;
    b[6] = 58;
    b[40] = 1;                                   /* destination unreachable */
    b[48] = 0x60;
    assert_true(ntt_ip_header_find_icmp_carrier(b, 40, 6, &at));
    assert_int_equal(at, 0);
    assert_false(ntt_ip_header_find_icmp_carrier(b, 40, 4, &at));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ipv4_tcp_with_options),
        cmocka_unit_test(ipv4_truncated_at_every_length),
        cmocka_unit_test(ipv4_later_fragment_has_no_transport),
        cmocka_unit_test(ipv4_bogus_header_length_keeps_addresses_only),
        cmocka_unit_test(transport_bounded_by_ip_length),
        cmocka_unit_test(ipv6_extension_chain),
        cmocka_unit_test(ipv6_later_fragment),
        cmocka_unit_test(not_ip),
        cmocka_unit_test(icmp_carrier_found_before_quoted_header),
        cmocka_unit_test(icmp_error_quotes_probe),
        cmocka_unit_test(icmpv6_carrier),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
