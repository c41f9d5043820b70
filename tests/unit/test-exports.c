/* test-exports.c
 * -z ntt,conn and -z ntt,csv: RFC 4180 quoting, the CSV columns against
 * the fields the JSON report's visitors give, Zeek's conn.log lines for
 * a small traffic mix worked out by hand, the uid.
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

/* An engine keeping conn.log records, as -z ntt,conn has it. */
static ntt_engine_t *conn_engine(void)
{
    ntt_config_t config;

    ntt_config_init(&config);
    config.conn_records = true;
    return ntt_engine_new(&config);
}

static void tap(ntt_engine_t *e, ntt_report_t *r, ntt_packet_t p)
{
    ntt_frame_t f;

    ntt_report_add(r, e, p.ts_ns, p.frame_len, ntt_engine_process(e, &p, &f) ? &f : NULL);
}

static char *field(const char *value)
{
    GString *out = g_string_new(NULL);

    ntt_csv_append_field(out, value);
    return g_string_free(out, FALSE);
}

static void expect_field(const char *value, const char *want)
{
    char *got = field(value);

    assert_string_equal(got, want);
    g_free(got);
}

static void test_csv_quotes_commas_quotes_and_line_breaks(void **state)
{
    (void)state;
    expect_field("plain", "plain");
    expect_field("", "");
    expect_field("a,b", "\"a,b\"");
    expect_field("say \"hi\"", "\"say \"\"hi\"\"\"");
    expect_field("two\nlines", "\"two\nlines\"");
    expect_field("cr\rhere", "\"cr\rhere\"");
    expect_field("/x?a=1,b=\"2\"\r\n", "\"/x?a=1,b=\"\"2\"\"\r\n\"");
}

/* A DNS exchange (10.0.0.1:5353 -> 10.0.0.53:53, 30 and 70 bytes of
 * data) and a handshake, 100 bytes up, both FINs, a last ACK. */
static void feed(ntt_engine_t *e, ntt_report_t *r)
{
    ntt_packet_t tcp[] = {
        tcp4(3, MS(2000), "10.0.0.1", 40000, "10.0.0.80", 80, NTT_TCP_SYN, 100, 0),
        tcp4(4, MS(2001), "10.0.0.80", 80, "10.0.0.1", 40000,
             NTT_TCP_SYN | NTT_TCP_ACK, 900, 0),
        tcp4(5, MS(2002), "10.0.0.1", 40000, "10.0.0.80", 80,
             NTT_TCP_ACK | NTT_TCP_PSH, 101, 100),
        tcp4(6, MS(2003), "10.0.0.1", 40000, "10.0.0.80", 80,
             NTT_TCP_ACK | NTT_TCP_FIN, 201, 0),
        tcp4(7, MS(2004), "10.0.0.80", 80, "10.0.0.1", 40000,
             NTT_TCP_ACK | NTT_TCP_FIN, 901, 0),
        tcp4(8, MS(2500), "10.0.0.1", 40000, "10.0.0.80", 80, NTT_TCP_ACK, 202, 0),
    };
    uint32_t acks[] = { 0, 101, 901, 901, 202, 902 };

    tap(e, r, udp4(1, INT64_C(1700000000) * NTT_NS_PER_SEC + 123456789,
                   "10.0.0.1", 5353, "10.0.0.53", 53, 30));
    tap(e, r, udp4(2, INT64_C(1700000000) * NTT_NS_PER_SEC + 123956789,
                   "10.0.0.53", 53, "10.0.0.1", 5353, 70));
    for (size_t i = 0; i < G_N_ELEMENTS(tcp); i++) {
        tcp[i].ts_ns += INT64_C(1700000000) * NTT_NS_PER_SEC;
        tcp[i].tcp_ack = acks[i];
        tap(e, r, tcp[i]);
    }
}

static void test_conn_log_lines_are_zeeks(void **state)
{
    ntt_engine_t *e = conn_engine();
    ntt_report_t *r = ntt_report_new(NULL, NULL);
    GString *out = g_string_new(NULL);
    char uid0[32], uid1[32], *want;

    (void)state;
    feed(e, r);
    ntt_report_render_conn(r, out);
    ntt_conn_uid(ntt_engine_flow(e, 0), 0, uid0, sizeof uid0);
    ntt_conn_uid(ntt_engine_flow(e, 1), 1, uid1, sizeof uid1);
    /* 1700000000 is 2023-11-14 22:13:20 UTC. Durations: 0.5 ms between
     * the datagrams; the TCP flow's end is its second FIN (4 ms), not
     * the last ACK. IP bytes: 20 + 8 + data; 40 per TCP segment. */
    want = g_strdup_printf(
        "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
        "#path\tconn\n#open\t2023-11-14-22-13-20\n"
        "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\t"
        "duration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\t"
        "history\torig_pkts\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n"
        "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\tcount\tcount\t"
        "string\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount\tset[string]\n"
        "1700000000.123456\t%s\t10.0.0.1\t5353\t10.0.0.53\t53\tudp\t-\t0.000500\t30\t70\tSF"
        "\t-\t-\t-\t-\t1\t58\t1\t98\t-\n"
        "1700000002.000000\t%s\t10.0.0.1\t40000\t10.0.0.80\t80\ttcp\t-\t0.004000\t100\t0\tSF"
        "\t-\t-\t-\t-\t4\t260\t2\t80\t-\n"
        "#close\t2023-11-14-22-13-22\n", uid0, uid1);
    assert_string_equal(out->str, want);
    g_free(want);
    g_string_free(out, TRUE);
    ntt_report_free(r);
    ntt_engine_unref(e);
}

static void test_uid_is_zeek_shaped_deterministic_and_per_flow(void **state)
{
    ntt_engine_t *e1 = conn_engine(), *e2 = conn_engine();
    ntt_report_t *r1 = ntt_report_new(NULL, NULL), *r2 = ntt_report_new(NULL, NULL);
    char a[32], b[32], c[32];

    (void)state;
    feed(e1, r1);
    feed(e2, r2);
    ntt_conn_uid(ntt_engine_flow(e1, 0), 0, a, sizeof a);
    ntt_conn_uid(ntt_engine_flow(e2, 0), 0, b, sizeof b);
    ntt_conn_uid(ntt_engine_flow(e1, 1), 1, c, sizeof c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(a[0], 'C');
    assert_true(strlen(a) >= 3 && strlen(a) <= 18);
    assert_int_equal(strspn(a + 1, "0123456789abcdefghijklmnopqrstuvwxyz"
                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"), strlen(a) - 1);
    ntt_report_free(r1);
    ntt_report_free(r2);
    ntt_engine_unref(e1);
    ntt_engine_unref(e2);
}

/* A sink that records the keys it is given. */
static void record_string(void *ctx, const char *key, const char *value)
{
    (void)value;
    g_ptr_array_add(ctx, g_strdup(key));
}

static void record_uint(void *ctx, const char *key, uint64_t value)
{
    (void)value;
    g_ptr_array_add(ctx, g_strdup(key));
}

static void record_number(void *ctx, const char *key, double value)
{
    (void)value;
    g_ptr_array_add(ctx, g_strdup(key));
}

/* Where key is among the columns, or -1. */
static int column_of(GPtrArray *columns, const char *key)
{
    for (unsigned i = 0; i < columns->len; i++) {
        if (strcmp(g_ptr_array_index(columns, i), key) == 0)
            return (int)i;
    }
    return -1;
}

/* The flow columns are exactly the keys the JSON object of a real flow
 * has, in order (the header visits an empty flow: a key given only for
 * some flows would show here); every key an episode gives has an alert
 * column, in the order the visitor gives them. */
static void test_csv_columns_are_the_json_keys(void **state)
{
    ntt_engine_t *e = conn_engine();
    ntt_report_t *r = ntt_report_new(NULL, NULL);
    GPtrArray *keys = g_ptr_array_new_with_free_func(g_free);
    ntt_field_sink_t sink = { record_string, record_uint, record_number, keys };
    GPtrArray *columns = ntt_csv_flow_columns(), *alert_columns = ntt_csv_alert_columns();

    (void)state;
    feed(e, r);
    /* A port scan: one source, SYNs to 40 ports, all refused. */
    for (uint16_t port = 1; port <= 40; port++) {
        tap(e, r, tcp4(100 + 2u * port, MS(3000 + port), "192.0.2.66", 50000,
                       "10.0.0.80", port, NTT_TCP_SYN, 7, 0));
        tap(e, r, tcp4(101 + 2u * port, MS(3000 + port), "10.0.0.80", port,
                       "192.0.2.66", 50000, NTT_TCP_RST | NTT_TCP_ACK, 0, 0));
    }
    ntt_report_visit_flow(r, 0, &sink);
    assert_int_equal(keys->len, columns->len);
    for (unsigned i = 0; i < keys->len; i++)
        assert_string_equal(g_ptr_array_index(keys, i), g_ptr_array_index(columns, i));
    assert_true(ntt_engine_episode_count(e) >= 1);
    for (uint32_t i = 0; i < ntt_engine_episode_count(e); i++) {
        int before = -1;

        g_ptr_array_set_size(keys, 0);
        ntt_report_visit_alert(r, ntt_engine_episode(e, i), &sink);
        assert_true(keys->len > 12);   /* the fixed keys and the detail */
        for (unsigned k = 0; k < keys->len; k++) {
            int at = column_of(alert_columns, g_ptr_array_index(keys, k));

            assert_true(at > before);
            before = at;
        }
    }
    g_ptr_array_free(keys, TRUE);
    g_ptr_array_free(columns, TRUE);
    g_ptr_array_free(alert_columns, TRUE);
    ntt_report_free(r);
    ntt_engine_unref(e);
}

static void test_csv_rows_end_in_crlf_and_hold_the_values(void **state)
{
    ntt_engine_t *e = conn_engine();
    ntt_report_t *r = ntt_report_new(NULL, NULL);
    GString *out = g_string_new(NULL);
    gchar **lines;

    (void)state;
    feed(e, r);
    ntt_report_render_csv(r, out);
    lines = g_strsplit(out->str, "\r\n", -1);
    assert_int_equal(g_strv_length(lines), 4);   /* header, 2 flows, "" */
    assert_string_equal(lines[0], "id,proto,src,sport,dst,dport,service,state,packets,"
                                  "bytes,total_packets,total_bytes,start,duration");
    /* Frames: 14 + 20 + 8 + 30 and 14 + 20 + 8 + 70 bytes. */
    assert_string_equal(lines[1], "0,udp,10.0.0.1,5353,10.0.0.53,53,dns,SF,2,184,2,184,"
                                  "1700000000.123457,0.000500");
    assert_string_equal(lines[3], "");
    g_strfreev(lines);
    g_string_truncate(out, 0);
    ntt_report_render_csv_alerts(r, out);
    /* No episode: the header alone. */
    assert_non_null(strstr(out->str, "type,src,dst,port,episode,"));
    assert_string_equal(strstr(out->str, "\r\n"), "\r\n");
    g_string_free(out, TRUE);
    ntt_report_free(r);
    ntt_engine_unref(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quotes_commas_quotes_and_line_breaks),
        cmocka_unit_test(test_conn_log_lines_are_zeeks),
        cmocka_unit_test(test_uid_is_zeek_shaped_deterministic_and_per_flow),
        cmocka_unit_test(test_csv_columns_are_the_json_keys),
        cmocka_unit_test(test_csv_rows_end_in_crlf_and_hold_the_values),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
