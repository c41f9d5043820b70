/* test-evidence.c
 * What -z ntt,evidence gathers on the engine's side: the capture's
 * fingerprint (digests worked out with Python's hashlib over the same
 * bytes, see the comments) and the flows of alerted hosts with the
 * frames they span.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "ntt/blocklist.h"
#include "ntt/engine.h"
#include "ntt/evidence.h"
#include "packet-builder.h"

/* hashlib.sha256(struct.pack('<qII', 0, 0, 0)).hexdigest() */
#define EMPTY_PACKET_DIGEST "374708fff7719dd5979ec875d56cd2286f6d3cf7ec317a3b25632aab28ec37bb"
/* h = hashlib.sha256(); h.update(struct.pack('<qII', 1500000000123456789, 60, 3));
 * h.update(b'abc'); h.update(struct.pack('<qII', -5, 1, 0)); h.hexdigest() */
#define TWO_PACKETS_DIGEST "115b08c87739c0f4402d4058c6b4002558d948d34a2f3dded83c08aec3ec96d6"

static void add_two(ntt_fingerprint_t *fp)
{
    ntt_fingerprint_add(fp, INT64_C(1500000000123456789), 60, (const uint8_t *)"abc", 3);
    ntt_fingerprint_add(fp, -5, 1, NULL, 0);
}

static void test_fingerprint_is_sha256_of_the_documented_bytes(void **state)
{
    ntt_fingerprint_t *fp = ntt_fingerprint_new();
    char hex[NTT_FINGERPRINT_HEX_SIZE];
    ntt_capture_extent_t extent;

    (void)state;
    ntt_fingerprint_add(fp, 0, 0, NULL, 0);
    ntt_fingerprint_hex(fp, hex);
    assert_string_equal(hex, EMPTY_PACKET_DIGEST);
    ntt_fingerprint_reset(fp);
    add_two(fp);
    ntt_fingerprint_hex(fp, hex);
    assert_string_equal(hex, TWO_PACKETS_DIGEST);
    ntt_fingerprint_extent(fp, &extent);
    assert_int_equal(extent.packets, 2);
    assert_int_equal(extent.bytes, 61);
    assert_true(extent.first_ns == -5);
    assert_true(extent.last_ns == INT64_C(1500000000123456789));
    ntt_fingerprint_free(fp);
}

static void test_fingerprint_read_midway_goes_on(void **state)
{
    ntt_fingerprint_t *fp = ntt_fingerprint_new();
    char hex[NTT_FINGERPRINT_HEX_SIZE];

    (void)state;
    ntt_fingerprint_add(fp, INT64_C(1500000000123456789), 60, (const uint8_t *)"abc", 3);
    ntt_fingerprint_hex(fp, hex);           /* must not close the digest */
    assert_string_not_equal(hex, TWO_PACKETS_DIGEST);
    ntt_fingerprint_add(fp, -5, 1, NULL, 0);
    ntt_fingerprint_hex(fp, hex);
    assert_string_equal(hex, TWO_PACKETS_DIGEST);
    ntt_fingerprint_free(fp);
}

static void test_fingerprint_sees_bytes_order_and_time(void **state)
{
    ntt_fingerprint_t *a = ntt_fingerprint_new(), *b = ntt_fingerprint_new();
    char ha[NTT_FINGERPRINT_HEX_SIZE], hb[NTT_FINGERPRINT_HEX_SIZE];

    (void)state;
    ntt_fingerprint_add(a, 10, 3, (const uint8_t *)"abc", 3);
    ntt_fingerprint_add(b, 10, 3, (const uint8_t *)"abd", 3);
    ntt_fingerprint_hex(a, ha);
    ntt_fingerprint_hex(b, hb);
    assert_string_not_equal(ha, hb);
    ntt_fingerprint_reset(b);
    ntt_fingerprint_add(b, 11, 3, (const uint8_t *)"abc", 3);
    ntt_fingerprint_hex(b, hb);
    assert_string_not_equal(ha, hb);
    /* The same bytes split otherwise over packets are other packets. */
    ntt_fingerprint_reset(b);
    ntt_fingerprint_add(b, 10, 3, (const uint8_t *)"ab", 2);
    ntt_fingerprint_add(b, 10, 3, (const uint8_t *)"c", 1);
    ntt_fingerprint_hex(b, hb);
    assert_string_not_equal(ha, hb);
    ntt_fingerprint_free(a);
    ntt_fingerprint_free(b);
}

#define CLIENT "192.0.2.10"
#define BAD    "203.0.113.80"

static ntt_engine_t *engine_with_blocklist(void)
{
    ntt_config_t config;

    ntt_config_init(&config);
    config.blocklist = ntt_blocklist_parse(BAD "\n", strlen(BAD) + 1, "test", NULL, NULL);
    return ntt_engine_new(&config);
}

/* Flow 0: the client and the listed server (frames 1, 2, 5); flow 1:
 * two other hosts (frame 3); flow 2: the client elsewhere (frame 4). */
static void feed(ntt_engine_t *e, ntt_evidence_t *ev, uint32_t from, uint32_t to)
{
    ntt_packet_t packets[] = {
        tcp4(1, MS(1), CLIENT, 40000, BAD, 80, NTT_TCP_SYN, 1, 0),
        tcp4(2, MS(2), BAD, 80, CLIENT, 40000, NTT_TCP_SYN | NTT_TCP_ACK, 9, 0),
        udp4(3, MS(3), "198.51.100.1", 5000, "198.51.100.2", 53, 40),
        tcp4(4, MS(4), CLIENT, 40001, "198.51.100.7", 443, NTT_TCP_SYN, 1, 0),
        tcp4(5, MS(5), BAD, 80, CLIENT, 40000, NTT_TCP_ACK, 10, 100),
    };

    for (unsigned i = 0; i < G_N_ELEMENTS(packets); i++) {
        ntt_frame_t f;
        bool found = ntt_engine_process(e, &packets[i], &f);

        if (packets[i].frame >= from && packets[i].frame <= to)
            ntt_evidence_add(ev, e, packets[i].frame, packets[i].frame_len,
                             found ? &f : NULL);
    }
}

static void test_flows_of_alerted_hosts_with_their_frames(void **state)
{
    ntt_engine_t *e = engine_with_blocklist();
    ntt_evidence_t *ev = ntt_evidence_new();
    ntt_evidence_flow_t *flows;
    unsigned n;

    (void)state;
    feed(e, ev, 1, 5);
    assert_int_equal(ntt_engine_episode_count(e), 1);
    assert_int_equal(ntt_evidence_packets(ev), 5);
    flows = ntt_evidence_alerted_flows(ev, &n);
    assert_int_equal(n, 2);
    assert_int_equal(flows[0].flow_id, 0);
    assert_int_equal(flows[0].first_frame, 1);
    assert_int_equal(flows[0].last_frame, 5);
    assert_int_equal(flows[0].packets, 3);
    assert_int_equal(flows[0].bytes, 54 + 54 + 154);
    assert_int_equal(flows[1].flow_id, 2);       /* the client's other flow */
    assert_int_equal(flows[1].first_frame, 4);
    assert_int_equal(flows[1].last_frame, 4);
    assert_int_equal(flows[1].summary->resp_port, 443);
    g_free(flows);
    ntt_evidence_free(ev);
    ntt_engine_unref(e);
}

static void test_a_filter_narrows_the_flows_and_frames(void **state)
{
    ntt_engine_t *e = engine_with_blocklist();
    ntt_evidence_t *ev = ntt_evidence_new();
    ntt_evidence_flow_t *flows;
    unsigned n;

    (void)state;
    feed(e, ev, 2, 4);          /* as a filter letting frames 2..4 through */
    flows = ntt_evidence_alerted_flows(ev, &n);
    assert_int_equal(n, 2);
    assert_int_equal(flows[0].first_frame, 2);
    assert_int_equal(flows[0].last_frame, 2);
    assert_int_equal(flows[0].packets, 1);
    assert_int_equal(flows[0].summary->pkts[0] + flows[0].summary->pkts[1], 3);
    g_free(flows);
    ntt_evidence_free(ev);
    ntt_engine_unref(e);
}

static void test_no_episode_no_flow(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    ntt_evidence_t *ev = ntt_evidence_new();
    unsigned n = 99;
    ntt_evidence_flow_t *flows;

    (void)state;
    flows = ntt_evidence_alerted_flows(ev, &n);     /* nothing added yet */
    assert_int_equal(n, 0);
    g_free(flows);
    feed(e, ev, 1, 5);
    flows = ntt_evidence_alerted_flows(ev, &n);
    assert_int_equal(n, 0);
    g_free(flows);
    ntt_evidence_free(ev);
    ntt_engine_unref(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fingerprint_is_sha256_of_the_documented_bytes),
        cmocka_unit_test(test_fingerprint_read_midway_goes_on),
        cmocka_unit_test(test_fingerprint_sees_bytes_order_and_time),
        cmocka_unit_test(test_flows_of_alerted_hosts_with_their_frames),
        cmocka_unit_test(test_a_filter_narrows_the_flows_and_frames),
        cmocka_unit_test(test_no_episode_no_flow),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
