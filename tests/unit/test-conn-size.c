/* test-conn-size.c
 * Zeek's conn.log sizes: TCP payload bytes by sequence numbers (as Zeek's
 * TCP_Endpoint::Size() reckons them), datagram payloads, IP bytes, and
 * where Zeek's duration ends. Each expected value is worked out from the
 * segments by hand.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "flow/conn-size.h"
#include "ntt/engine.h"
#include "packet-builder.h"

#define O NTT_DIR_ORIG
#define R NTT_DIR_RESP
#define SYN NTT_TCP_SYN
#define ACK NTT_TCP_ACK
#define FIN NTT_TCP_FIN
#define RST NTT_TCP_RST
#define PSH NTT_TCP_PSH

/* An engine keeping conn.log records, as -z ntt,conn has it. */
static ntt_engine_t *conn_engine(void)
{
    ntt_config_t config;

    ntt_config_init(&config);
    config.conn_records = true;
    return ntt_engine_new(&config);
}

static void seg(ntt_conn_size_t *s, ntt_dir_t dir, uint16_t flags, uint32_t seq,
                uint32_t ack, uint32_t len)
{
    ntt_conn_size_tcp(s, dir, flags, seq, ack, len);
}

/* A fresh tracker after the client's SYN (ISN 1000) and the server's
 * SYN-ACK (ISN 5000). */
static void handshake(ntt_conn_size_t *s)
{
    memset(s, 0, sizeof *s);
    seg(s, O, SYN, 1000, 0, 0);
    seg(s, R, SYN | ACK, 5000, 1001, 0);
}

/* A handshake, 100 + 50 bytes from the client, 300 from the server, both
 * FINs, the last ACK: payload is the data, neither SYN nor FIN. */
static void test_a_whole_connection_counts_its_data(void **state)
{
    ntt_conn_size_t s;

    (void)state;
    handshake(&s);
    seg(&s, O, ACK, 1001, 5001, 0);
    seg(&s, O, ACK | PSH, 1001, 5001, 100);
    seg(&s, O, ACK | PSH, 1101, 5001, 50);
    seg(&s, R, ACK | PSH, 5001, 1151, 300);
    seg(&s, O, ACK | FIN, 1151, 5301, 0);
    seg(&s, R, ACK | FIN, 5301, 1152, 0);
    seg(&s, O, ACK, 1152, 5302, 0);
    assert_int_equal(ntt_conn_size_tcp_bytes(&s, O), 150);
    assert_int_equal(ntt_conn_size_tcp_bytes(&s, R), 300);
}

static void test_a_retransmission_adds_nothing(void **state)
{
    ntt_conn_size_t s;

    (void)state;
    handshake(&s);
    seg(&s, O, ACK | PSH, 1001, 5001, 100);
    seg(&s, O, ACK | PSH, 1001, 5001, 100);   /* the same segment again */
    seg(&s, O, ACK | PSH, 1051, 5001, 50);    /* overlapping, inside */
    assert_int_equal(ntt_conn_size_tcp_bytes(&s, O), 100);
}

/* The capture missed the middle segment; the peer's acknowledgement
 * says it came. */
static void test_acknowledged_data_the_capture_missed_counts(void **state)
{
    ntt_conn_size_t s;

    (void)state;
    handshake(&s);
    seg(&s, O, ACK | PSH, 1001, 5001, 100);
    /* 1101..1300 not captured */
    seg(&s, R, ACK, 5001, 1301, 0);
    assert_int_equal(ntt_conn_size_tcp_bytes(&s, O), 300);
    /* A RST's acknowledgement is not believed. */
    seg(&s, R, RST | ACK, 5001, 9999, 0);
    assert_int_equal(ntt_conn_size_tcp_bytes(&s, O), 300);
}

/* Midstream: no SYN, numbered as if one came just before. */
static void test_a_connection_caught_midstream(void **state)
{
    ntt_conn_size_t s;

    (void)state;
    memset(&s, 0, sizeof s);
    seg(&s, O, ACK | PSH, 7000, 300, 40);
    seg(&s, R, ACK | PSH, 300, 7040, 60);
    seg(&s, O, ACK | PSH, 7040, 360, 10);
    assert_int_equal(ntt_conn_size_tcp_bytes(&s, O), 50);
    assert_int_equal(ntt_conn_size_tcp_bytes(&s, R), 60);
}

static void test_a_rst_carries_no_payload_and_ends_the_numbering(void **state)
{
    ntt_conn_size_t s;

    (void)state;
    handshake(&s);
    seg(&s, O, ACK | PSH, 1001, 5001, 20);
    seg(&s, O, RST, 1021, 0, 500);            /* data on a RST is not stream */
    seg(&s, O, ACK | PSH, 1021, 5001, 70);    /* after the RST: not trusted */
    assert_int_equal(ntt_conn_size_tcp_bytes(&s, O), 20);
    /* A silent peer (the SYN-ACK only) sent no payload. */
    assert_int_equal(ntt_conn_size_tcp_bytes(&s, R), 0);
}

/* Sequence numbers wrap past 2^32: the count goes on. */
static void test_the_sequence_space_wraps(void **state)
{
    ntt_conn_size_t s;
    uint32_t isn = 0xffffff00u;

    (void)state;
    memset(&s, 0, sizeof s);
    seg(&s, O, SYN, isn, 0, 0);
    seg(&s, R, SYN | ACK, 5000, isn + 1, 0);
    seg(&s, O, ACK | PSH, isn + 1, 5001, 1000);          /* crosses 2^32 */
    seg(&s, O, ACK | PSH, isn + 1001, 5001, 1000);
    assert_int_equal(ntt_conn_size_tcp_bytes(&s, O), 2000);
}

/* The engine fills the conn.log record: IP bytes are the IP headers' total
 * lengths, UDP payload the datagrams' data, and a TCP close's last ACK
 * is outside Zeek's duration. */
static void test_the_engine_fills_the_flow_record(void **state)
{
    ntt_engine_t *e = conn_engine();
    ntt_packet_t p[] = {
        tcp4(1, MS(0), "192.0.2.1", 40000, "203.0.113.9", 80, SYN, 1000, 0),
        tcp4(2, MS(10), "203.0.113.9", 80, "192.0.2.1", 40000, SYN | ACK, 5000, 0),
        tcp4(3, MS(20), "192.0.2.1", 40000, "203.0.113.9", 80, ACK | PSH, 1001, 120),
        tcp4(4, MS(30), "203.0.113.9", 80, "192.0.2.1", 40000, ACK | FIN | PSH, 5001, 400),
        tcp4(5, MS(40), "192.0.2.1", 40000, "203.0.113.9", 80, ACK | FIN, 1121, 0),
        tcp4(6, MS(900), "203.0.113.9", 80, "192.0.2.1", 40000, ACK, 5402, 0),
        udp4(7, MS(1000), "192.0.2.1", 5353, "198.51.100.53", 53, 33),
        udp4(8, MS(1001), "198.51.100.53", 53, "192.0.2.1", 5353, 77),
    };
    const ntt_conn_record_t *tcp, *udp;

    (void)state;
    p[1].tcp_ack = 1001;
    p[2].tcp_ack = 5001;
    p[3].tcp_ack = 1121;
    p[4].tcp_ack = 5402;
    p[5].tcp_ack = 1122;
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++)
        assert_true(ntt_engine_process(e, &p[i], NULL));
    tcp = ntt_engine_conn_record(e, 0);
    udp = ntt_engine_conn_record(e, 1);
    assert_int_equal(tcp->payload_bytes[O], 120);
    assert_int_equal(tcp->payload_bytes[R], 400);
    /* 40-byte headers (20 IP + 20 TCP) on every segment, plus data. */
    assert_int_equal(tcp->ip_bytes[O], 3 * 40 + 120);
    assert_int_equal(tcp->ip_bytes[R], 3 * 40 + 400);
    /* Both FINs by frame 5: frame 6 (the last ACK) is after the end. */
    assert_int_equal(tcp->open_last_ns, MS(40));
    assert_int_equal(ntt_engine_flow(e, 0)->last_ns, MS(900));
    assert_int_equal(udp->payload_bytes[O], 33);
    assert_int_equal(udp->payload_bytes[R], 77);
    assert_int_equal(udp->ip_bytes[O], 20 + 8 + 33);
    assert_int_equal(udp->ip_bytes[R], 20 + 8 + 77);
    assert_int_equal(udp->open_last_ns, MS(1001));
    ntt_engine_unref(e);
}

/* Without conn_records the engine keeps none, and the flow record and
 * the live flow are what they were. */
static void test_records_are_kept_only_when_asked(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL), *k = conn_engine();
    ntt_packet_t p = udp4(1, MS(0), "192.0.2.1", 5353, "198.51.100.53", 53, 33);
    ntt_engine_memory_t plain, kept;

    (void)state;
    assert_true(ntt_engine_process(e, &p, NULL));
    assert_true(ntt_engine_process(k, &p, NULL));
    assert_null(ntt_engine_conn_record(e, 0));
    assert_non_null(ntt_engine_conn_record(k, 0));
    ntt_engine_memory(e, &plain);
    ntt_engine_memory(k, &kept);
    assert_int_equal(plain.flow_record_bytes, sizeof(ntt_flow_summary_t));
    assert_int_equal(kept.flow_record_bytes,
                     sizeof(ntt_flow_summary_t) + sizeof(ntt_conn_record_t));
    assert_true(kept.peak_bytes > plain.peak_bytes);
    ntt_engine_unref(e);
    ntt_engine_unref(k);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_whole_connection_counts_its_data),
        cmocka_unit_test(test_a_retransmission_adds_nothing),
        cmocka_unit_test(test_acknowledged_data_the_capture_missed_counts),
        cmocka_unit_test(test_a_connection_caught_midstream),
        cmocka_unit_test(test_a_rst_carries_no_payload_and_ends_the_numbering),
        cmocka_unit_test(test_the_sequence_space_wraps),
        cmocka_unit_test(test_the_engine_fills_the_flow_record),
        cmocka_unit_test(test_records_are_kept_only_when_asked),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
