/* test-report.c
 * The report's numbers, from a small known traffic mix.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ntt/engine.h"
#include "ntt/report.h"
#include "packet-builder.h"
#include "report/report-data.h"

/* Feeds one packet to the engine and, as the tap would, to the report. */
static void tap(ntt_engine_t *e, ntt_report_t *r, ntt_packet_t p)
{
    ntt_frame_t f;

    ntt_report_add(r, e, p.ts_ns, p.frame_len, ntt_engine_process(e, &p, &f) ? &f : NULL);
}

/* Flow 0: 3 packets, flow 1: 1 big packet, flow 2: UDP pair, ARP. */
static void feed_mix(ntt_engine_t *e, ntt_report_t *r)
{
    ntt_packet_t big = tcp4(4, MS(1500), "192.0.2.3", 40001, "203.0.113.9", 80,
                            NTT_TCP_SYN, 5, 1400);

    tap(e, r, tcp4(1, MS(1000), "192.0.2.1", 40000, "203.0.113.9", 80, NTT_TCP_SYN, 1, 0));
    tap(e, r, tcp4(2, MS(1001), "203.0.113.9", 80, "192.0.2.1", 40000, NTT_TCP_RST | NTT_TCP_ACK, 0, 0));
    tap(e, r, non_ip(3, MS(1200), 60));
    tap(e, r, big);
    tap(e, r, udp4(5, MS(2100), "192.0.2.1", 5000, "198.51.100.53", 53, 40));
    tap(e, r, udp4(6, MS(2101), "198.51.100.53", 53, "192.0.2.1", 5000, 80));
    tap(e, r, tcp4(7, MS(2102), "192.0.2.1", 40000, "203.0.113.9", 80, NTT_TCP_SYN, 2, 0));
}

static void test_summary_mix_and_rates(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    ntt_report_t *r = ntt_report_new(NULL, NULL);

    (void)state;
    feed_mix(e, r);
    assert_int_equal(r->packets, 7);
    assert_int_equal(r->bytes, 54 + 54 + 60 + 1454 + 82 + 122 + 54);
    assert_int_equal(r->first_ns, MS(1000));
    assert_int_equal(r->last_ns, MS(2102));
    assert_int_equal(r->mix[NTT_MIX_TCP].pkts, 4);
    assert_int_equal(r->mix[NTT_MIX_UDP].pkts, 2);
    assert_int_equal(r->mix[NTT_MIX_NON_IP].pkts, 1);
    assert_int_equal(r->mix[NTT_MIX_NON_IP].bytes, 60);
    /* Second 0 holds 4 packets, second 1 holds 3. */
    assert_int_equal(r->rate.peak_pkts, 4);
    assert_int_equal(r->rate.peak_bin, 0);
    ntt_report_free(r);
    ntt_engine_unref(e);
}

static void test_flows_top_and_states(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    ntt_report_t *r = ntt_report_new(NULL, NULL);
    uint64_t by_state[NTT_STATE_COUNT];
    ntt_ranked_t top[10];
    unsigned n;

    (void)state;
    feed_mix(e, r);
    /* The SYN in frame 7 follows a rejected attempt: a fourth flow. */
    assert_int_equal(r->flows_seen, 4);
    ntt_report_flows_by_state(r, by_state);
    assert_int_equal(by_state[NTT_STATE_REJ], 1);
    assert_int_equal(by_state[NTT_STATE_S0], 2);
    assert_int_equal(by_state[NTT_STATE_SF], 1);
    n = ntt_report_top_flows(r, top, 10);
    assert_int_equal(n, 4);
    assert_int_equal(top[0].index, 1);          /* the 1454-byte flow */
    assert_int_equal(top[0].bytes, 1454);
    assert_int_equal(top[1].index, 2);          /* UDP: 204 bytes */
    assert_int_equal(top[2].index, 0);          /* 108 bytes */
    assert_int_equal(top[3].index, 3);
    n = ntt_report_top_flows(r, top, 2);
    assert_int_equal(n, 2);
    assert_int_equal(top[1].index, 2);
    ntt_report_free(r);
    ntt_engine_unref(e);
}

static void test_talkers_and_cap(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    ntt_report_limits_t limits;
    ntt_report_t *r;
    ntt_talker_t **sorted;
    unsigned count;

    (void)state;
    ntt_report_limits_init(&limits);
    limits.max_talkers = 3;
    r = ntt_report_new(&limits, "tcp");
    feed_mix(e, r);
    sorted = ntt_report_sorted_talkers(r, &count);
    assert_int_equal(count, 3);
    /* 203.0.113.9: received 54 + 1454 + 54, sent 54. */
    assert_memory_equal(sorted[0]->addr.bytes, addr4("203.0.113.9").bytes, 16);
    assert_int_equal(sorted[0]->bytes_received, 54 + 1454 + 54);
    assert_int_equal(sorted[0]->pkts_sent, 1);
    g_free(sorted);
    /* 198.51.100.53 came fourth: counted as "other". */
    assert_true(r->talkers_full);
    assert_int_equal(r->other_talkers.pkts_sent, 1);
    assert_int_equal(r->other_talkers.pkts_received, 1);
    ntt_report_free(r);
    ntt_engine_unref(e);
}

static void test_rendering(void **state)
{
    ntt_engine_t *e = ntt_engine_new(NULL);
    ntt_report_t *r = ntt_report_new(NULL, "ip.addr == 192.0.2.1");
    GString *text = g_string_new(NULL), *json = g_string_new(NULL);

    (void)state;
    feed_mix(e, r);
    /* The report outlives the dissection state it was built from. */
    ntt_engine_unref(e);
    ntt_report_render_text(r, text);
    assert_non_null(strstr(text->str, "Filter: ip.addr == 192.0.2.1"));
    assert_non_null(strstr(text->str, "Packets:           7\n"));
    assert_non_null(strstr(text->str, "By state: S0 2, SF 1, REJ 1\n"));
    assert_non_null(strstr(text->str, "192.0.2.3:40001"));
    assert_non_null(strstr(text->str, "  Non-IP"));
    ntt_report_render_json(r, json);
    assert_non_null(strstr(json->str, "\"packets\": 7,"));
    assert_non_null(strstr(json->str, "\"alerts\": []"));
    assert_non_null(strstr(json->str, "\"filter\": \"ip.addr == 192.0.2.1\""));
    g_string_free(text, TRUE);
    g_string_free(json, TRUE);
    ntt_report_free(r);
}

static void test_empty_report(void **state)
{
    ntt_report_t *r = ntt_report_new(NULL, NULL);
    GString *text = g_string_new(NULL), *json = g_string_new(NULL);

    (void)state;
    ntt_report_render_text(r, text);
    assert_non_null(strstr(text->str, "No packets."));
    ntt_report_render_json(r, json);
    assert_non_null(strstr(json->str, "\"count\": 0"));
    g_string_free(text, TRUE);
    g_string_free(json, TRUE);
    ntt_report_free(r);
}

static void test_new_engine_resets_report(void **state)
{
    ntt_engine_t *e1 = ntt_engine_new(NULL), *e2 = ntt_engine_new(NULL);
    ntt_report_t *r = ntt_report_new(NULL, NULL);

    (void)state;
    feed_mix(e1, r);
    assert_int_equal(r->packets, 7);
    /* A new file: flow ids restart, so must the counts. */
    tap(e2, r, udp4(1, MS(0), "192.0.2.1", 1, "192.0.2.2", 2, 0));
    assert_int_equal(r->packets, 1);
    assert_int_equal(r->flows_seen, 1);
    ntt_report_free(r);
    ntt_engine_unref(e1);
    ntt_engine_unref(e2);
}

/* The time profile and the time of day through the report: a new flow
 * and its packets per bin, hours in the engine's zone, and what falls
 * outside working hours, per talker. */
static void test_time_of_day_and_off_hours(void **state)
{
    /* Monday 2024-01-01 06:30 UTC = 07:30 in Berlin (before work), and
     * 08:30 UTC = 09:30 there (working time). */
    const int64_t before = (INT64_C(1704067200) + 6 * 3600 + 1800) * NTT_NS_PER_SEC;
    const int64_t during = before + 2 * 3600 * NTT_NS_PER_SEC;
    ntt_config_t config;
    ntt_engine_t *e;
    ntt_report_t *r = ntt_report_new(NULL, NULL);
    ntt_talker_t **sorted;
    unsigned count;

    (void)state;
    ntt_config_init(&config);
    strcpy(config.detect.time_zone, "Europe/Berlin");
    strcpy(config.detect.work_hours, "08:00-18:00");
    e = ntt_engine_new(&config);
    tap(e, r, udp4(1, before, "192.0.2.1", 5000, "198.51.100.53", 53, 40));
    tap(e, r, udp4(2, before + MS(5), "198.51.100.53", 53, "192.0.2.1", 5000, 80));
    tap(e, r, udp4(3, during, "192.0.2.1", 5001, "198.51.100.53", 53, 40));
    assert_int_equal(r->hours[7].pkts, 2);
    assert_int_equal(r->hours[9].pkts, 1);
    assert_int_equal(r->off_hours.pkts, 2);
    assert_int_equal(r->off_hours.bytes, 82 + 122);
    sorted = ntt_report_sorted_talkers(r, &count);
    assert_int_equal(count, 2);
    for (unsigned i = 0; i < count; i++) {
        assert_int_equal(sorted[i]->off_hours_pkts, 2);
        assert_int_equal(sorted[i]->off_hours_bytes, 82 + 122);
    }
    g_free(sorted);
    /* Two flows opened (frames 1 and 3), 7200 s apart: the default
     * 3600-bin budget doubles the timeline twice, to 4-s bins 0 and 1800. */
    assert_int_equal(r->time.bins[0].new_flows, 1);
    assert_int_equal(ntt_time_profile_timeline_ns(&r->time), 4 * NTT_NS_PER_SEC);
    assert_int_equal(r->time.bins[1800].new_flows, 1);
    ntt_report_free(r);
    ntt_engine_unref(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_mix_and_rates),
        cmocka_unit_test(test_flows_top_and_states),
        cmocka_unit_test(test_talkers_and_cap),
        cmocka_unit_test(test_rendering),
        cmocka_unit_test(test_empty_report),
        cmocka_unit_test(test_new_engine_resets_report),
        cmocka_unit_test(test_time_of_day_and_off_hours),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
