/* test-html-report.c
 * The HTML report's pieces: the JSON reader it draws from, escaping, the
 * rounding rule, nice ticks, a bar chart's rectangles, the world map
 * (with a small fake outline, not the generated one) and whole
 * documents from hand-written JSON reports.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "report/html/html-charts.h"
#include "report/html/html-doc.h"
#include "report/html/html-geo.h"
#include "report/html/html-text.h"
#include "report/html/json-tree.h"
#include "report/html/svg-writer.h"

static unsigned count_of(const char *haystack, const char *needle)
{
    unsigned n = 0;

    for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

static void test_json_tree_reads_what_the_writer_writes(void **state)
{
    const char *text = "{\"a\": [1, -2.5e3, true, false, null], \"s\": \"x\\\"\\u00e9\\ud83d\\ude00\","
                       " \"o\": {\"k\": {\"n\": 0.000338}}, \"e\": {}, \"z\": []}";
    ntt_jv_t *v = ntt_jv_parse(text, NULL);

    (void)state;
    assert_non_null(v);
    assert_int_equal(ntt_jv_len(ntt_jv_get(v, "a")), 5);
    assert_true(ntt_jv_num(ntt_jv_path(v, "a[1]"), 0) == -2500.0);
    assert_string_equal(ntt_jv_path(v, "a[1]")->text, "-2.5e3");
    assert_true(ntt_jv_path(v, "a[2]")->boolean);
    assert_false(ntt_jv_path(v, "a[3]")->boolean);
    assert_true(ntt_jv_is(ntt_jv_path(v, "a[4]"), NTT_JV_NULL));
    assert_null(ntt_jv_path(v, "a[5]"));
    assert_string_equal(ntt_jv_str(ntt_jv_get(v, "s")), "x\"\xc3\xa9\xf0\x9f\x98\x80");
    assert_string_equal(ntt_jv_path(v, "o.k.n")->text, "0.000338");
    assert_null(ntt_jv_path(v, "o.k.m"));
    assert_null(ntt_jv_path(v, "s.x"));
    assert_false(ntt_jv_has_content(ntt_jv_get(v, "e")));
    assert_false(ntt_jv_has_content(ntt_jv_get(v, "z")));
    assert_false(ntt_jv_has_content(ntt_jv_get(v, "a[4]")));
    assert_true(ntt_jv_has_content(ntt_jv_get(v, "a")));
    ntt_jv_free(v);
}

static void test_json_tree_refuses_what_is_not_json(void **state)
{
    static const char *const bad[] = {
        "", "{", "[1,]", "{\"a\":1,}", "{\"a\" 1}", "01x", "1.", "-", "tru", "nul",
        "\"open", "\"\\x\"", "\"\\u12\"", "[1] 2", "{1:2}", "\"a\nb\"",
    };

    (void)state;
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t at = 99;

        assert_null(ntt_jv_parse(bad[i], &at));
        assert_true(at <= strlen(bad[i]));
    }
    /* Nesting beyond any report's is refused, not recursed into. */
    GString *deep = g_string_new(NULL);
    for (int i = 0; i < 200; i++)
        g_string_append_c(deep, '[');
    assert_null(ntt_jv_parse(deep->str, NULL));
    g_string_free(deep, TRUE);
}

static void test_escaping(void **state)
{
    GString *out = g_string_new(NULL);

    (void)state;
    ntt_html_escape(out, "<script>a&b\"c'd</script>");
    assert_string_equal(out->str, "&lt;script&gt;a&amp;b&quot;c&#39;d&lt;/script&gt;");
    g_string_truncate(out, 0);
    /* Not UTF-8: U+FFFD; controls dropped; tab and line feed kept. */
    ntt_html_escape(out, "a\xff" "b\x01\tc\n\xc3\xa9");
    assert_string_equal(out->str, "a\xef\xbf\xbd" "b\tc\n\xc3\xa9");
    g_string_truncate(out, 0);
    ntt_svg_text(out, 1, 2, "start", 0, "cat", NULL, "<img src=x onerror=1>");
    assert_null(strstr(out->str, "<img"));
    assert_non_null(strstr(out->str, "&lt;img src=x onerror=1&gt;"));
    g_string_free(out, TRUE);
}

static void test_rounding_rule(void **state)
{
    static const struct { double v; const char *shown; } cases[] = {
        { 0, "0" }, { 9616, "9,616" }, { 562644, "562,644" }, { 1234567, "1,234,567" },
        { -1234, "-1,234" }, { 2955.819777, "2,956" }, { 999.5, "1,000" },
        { 58.511231, "58.5" }, { 0.538655, "0.539" }, { 0.999733, "1.00" },
        { 100.4, "100" }, { 0.000338, "0.000338" }, { 3.253243, "3.25" }, { 1.0, "1" },
        { 0.5, "0.500" },
    };
    char buf[NTT_HTML_NUMBER_SIZE];

    (void)state;
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_string_equal(ntt_html_number(cases[i].v, buf, sizeof buf), cases[i].shown);
    assert_true(ntt_html_is_identifier("flows.top[3].dport"));
    assert_true(ntt_html_is_identifier("alerts[0].first_frame"));
    assert_false(ntt_html_is_identifier("alerts[0].packets"));
    assert_false(ntt_html_is_identifier("flows.top[3].id_x"));
    assert_true(ntt_html_is_identifier("alerts[0].src_asn"));
    assert_false(ntt_html_is_identifier("alerts[0].distinct_ports"));
    assert_true(ntt_html_is_identifier("alerts[0].dst_port"));
    /* A measure over ports names none: it goes by the rule. */
    assert_false(ntt_html_is_identifier("alerts[1].entropy_dport"));
    assert_false(ntt_html_is_identifier("x.entropy_src_asn"));
}

static void test_utc_from_the_literal(void **state)
{
    ntt_jv_t *v = ntt_jv_parse("[1795516927.677655, 0, \"x\"]", NULL);
    char buf[64];

    (void)state;
    assert_string_equal(ntt_html_utc(ntt_jv_at(v, 0), buf, sizeof buf),
                        "2026-11-24 10:42:07.677655");
    assert_string_equal(ntt_html_utc(ntt_jv_at(v, 1), buf, sizeof buf), "1970-01-01 00:00:00");
    assert_string_equal(ntt_html_utc(ntt_jv_at(v, 2), buf, sizeof buf), "-");
    ntt_jv_free(v);
}

static void test_nice_ticks(void **state)
{
    ntt_svg_ticks_t t;
    char buf[32];

    (void)state;
    /* range 10000 (nice, not below 9616), step nice(2500) = 2000 */
    ntt_svg_nice_ticks(0, 9616, 5, &t);
    assert_true(t.first == 0 && t.step == 2000 && t.count == 6);
    /* range nice(3.25) = 5, step nice(5/7 = 0.71) = 1 */
    ntt_svg_nice_ticks(0, 3.25, 8, &t);
    assert_true(t.first == 0 && t.step == 1 && t.count == 5);
    /* step nice(0.25) = 0.2: 0, 0.2 ... 1 */
    ntt_svg_nice_ticks(0, 1, 5, &t);
    assert_true(t.first == 0 && t.step == 0.2 && t.count == 6);
    /* A flat series (all 0) still gets the axis of [0, 1]. */
    ntt_svg_nice_ticks(0, 0, 5, &t);
    assert_true(t.first == 0 && t.step == 0.2 && t.count == 6);
    /* Not from 0: 13 .. 87 with steps of 20 from 0 to 100. */
    ntt_svg_nice_ticks(13, 87, 5, &t);
    assert_true(t.first == 0 && t.step == 20 && t.count == 6);
    assert_true(ntt_svg_ticks_last(&t) == 100);
    assert_string_equal(ntt_svg_tick_label(2000, buf, sizeof buf), "2k");
    assert_string_equal(ntt_svg_tick_label(1500000, buf, sizeof buf), "1.5M");
    assert_string_equal(ntt_svg_tick_label(0.25, buf, sizeof buf), "0.25");
    assert_string_equal(ntt_svg_tick_label(3e9, buf, sizeof buf), "3G");
    assert_string_equal(ntt_svg_tick_label(0, buf, sizeof buf), "0");
}

static void test_bar_chart_rects(void **state)
{
    ntt_jv_t *v = ntt_jv_parse("{\"n\": [10, 5, 0]}", NULL);
    ntt_chart_bar_t bars[3] = {
        { "ten", "n[0]", ntt_jv_path(v, "n[0]") },
        { "five", "n[1]", ntt_jv_path(v, "n[1]") },
        { "<b>zero</b>", "n[2]", ntt_jv_path(v, "n[2]") },
    };
    GString *out = g_string_new(NULL);

    (void)state;
    ntt_chart_hbars(out, "Test", "packets", bars, 3);
    /* Ticks 0, 2 ... 10: the axis ends at 10, over 430 units. */
    assert_int_equal(count_of(out->str, "<rect class=\"bar\""), 3);
    assert_non_null(strstr(out->str, "data-json=\"n[0]\" data-value=\"10\" x=\"250\" y=\"9\" "
                                     "width=\"430\" height=\"14\""));
    assert_non_null(strstr(out->str, "data-json=\"n[1]\" data-value=\"5\" x=\"250\" y=\"29\" "
                                     "width=\"215\" height=\"14\""));
    assert_non_null(strstr(out->str, "data-json=\"n[2]\" data-value=\"0\" x=\"250\" y=\"49\" "
                                     "width=\"0\" height=\"14\""));
    assert_int_equal(count_of(out->str, "<text class=\"val\""), 3);
    assert_non_null(strstr(out->str, "<text class=\"val\" data-json=\"n[1]\" data-value=\"5\""));
    assert_int_equal(count_of(out->str, "class=\"tick\""), 6);
    assert_null(strstr(out->str, "<b>"));
    assert_int_equal(count_of(out->str, "<svg"), count_of(out->str, "</svg>"));
    g_string_free(out, TRUE);
    ntt_jv_free(v);
}

static const ntt_world_shape_t fake_shapes[] = {
    { "GB", "M178 38L182 38L182 42Z" },
    { "FR", "M180 42L184 42L184 46Z" },
    { "", "M10 10L20 10L20 20Z" },
};

static const char map_report[] =
    "{\"summary\": {\"packets\": 100}, \"geo\": {\"countries\": ["
    "{\"country\": \"GB\", \"name\": \"United Kingdom\", \"packets\": 90, \"bytes\": 9000},"
    "{\"country\": \"US\", \"name\": \"United <States>\", \"packets\": 5, \"bytes\": 500}]}}";
static const char map_geojson[] =
    "{\"type\": \"FeatureCollection\", \"features\": ["
    "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [-0.1, 51.5]},"
    " \"properties\": {\"kind\": \"endpoint\", \"address\": \"192.0.2.1\", \"city\": \"London\","
    " \"packets\": 7, \"alert_source\": false}},"
    "{\"type\": \"Feature\", \"geometry\": {\"type\": \"Point\", \"coordinates\": [-117.16, 32.72]},"
    " \"properties\": {\"kind\": \"endpoint\", \"address\": \"198.51.100.66\", \"packets\": 3,"
    " \"alert_source\": true}},"
    "{\"type\": \"Feature\", \"geometry\": {\"type\": \"LineString\", \"coordinates\": [[0, 0], [1, 1]]},"
    " \"properties\": {\"kind\": \"conversation\"}}]}";

static void test_world_map(void **state)
{
    ntt_jv_t *report = ntt_jv_parse(map_report, NULL), *geojson = ntt_jv_parse(map_geojson, NULL);
    GString *out = g_string_new(NULL);

    (void)state;
    assert_non_null(report);
    assert_non_null(geojson);
    assert_true(ntt_html_map(out, fake_shapes, 3, "fake outline", report, geojson));
    /* GB: 90 of 100 packets, the darkest class; FR: no traffic. */
    assert_non_null(strstr(out->str, "<path class=\"c4\" data-country=\"GB\" "
                                     "data-json=\"geo.countries[0].packets\" data-value=\"90\""));
    assert_non_null(strstr(out->str, "<path class=\"c0\" d=\"M180 42L184 42L184 46Z\""));
    assert_int_equal(count_of(out->str, "<path"), 3);
    /* London at (lon + 180, 90 - lat); the alert source a square. */
    assert_non_null(strstr(out->str, "cx=\"179.9\" cy=\"38.5\""));
    assert_non_null(strstr(out->str, "<rect class=\"pt attacker\" data-geojson=\"features[1]\" "
                                     "x=\"60.84\" y=\"55.28\""));
    assert_int_equal(count_of(out->str, "data-geojson="), 2);
    assert_non_null(strstr(out->str, "fake outline"));
    assert_int_equal(ntt_map_share_class(0.009), 1);
    assert_int_equal(ntt_map_share_class(0.05), 2);
    assert_int_equal(ntt_map_share_class(0.10), 3);
    assert_int_equal(ntt_map_share_class(0.5), 4);

    /* No outline, or no country: no map, nothing written. */
    g_string_truncate(out, 0);
    assert_false(ntt_html_map(out, fake_shapes, 0, "", report, geojson));
    assert_int_equal(out->len, 0);
    ntt_jv_free(report);
    report = ntt_jv_parse("{\"summary\": {\"packets\": 1}, \"geo\": null}", NULL);
    assert_false(ntt_html_map(out, fake_shapes, 3, "", report, geojson));
    assert_int_equal(out->len, 0);
    g_string_free(out, TRUE);
    ntt_jv_free(report);
    ntt_jv_free(geojson);
}

static const char small_report[] =
    "{\"tool\": \"ntt\", \"filter\": \"http.host == \\\"<script>x</script>\\\"\","
    " \"summary\": {\"packets\": 3, \"bytes\": 300, \"duration\": 1.5,"
    " \"first_time\": 1700000000.000000, \"last_time\": 1700000001.500000,"
    " \"mean_packet_size\": 100.0, \"mean_pps\": 2.0, \"peak_pps\": 2, \"peak_second\": 0},"
    " \"protocols\": {\"tcp\": {\"packets\": 3, \"bytes\": 300}, \"udp\": {\"packets\": 0, \"bytes\": 0}},"
    " \"services\": [{\"name\": \"<img src=x>\", \"flows\": 1, \"packets\": 3, \"bytes\": 300}],"
    " \"flows\": {\"count\": 1, \"by_state\": {\"SF\": 1}, \"top\": []},"
    " \"talkers\": [], \"talkers_total\": 2,"
    " \"time_profile\": {\"timeline\": {\"start\": 1700000000.0, \"bin_seconds\": 1.0,"
    " \"packets\": [2, 1], \"bytes\": [200, 100], \"new_flows\": [1, 0], \"alert_packets\": [0, 0]}},"
    " \"alerts\": [], \"anomaly\": null, \"entropy\": null, \"geo\": null, \"blocklist\": null}";

static void test_document_leaves_empty_sections_out(void **state)
{
    ntt_jv_t *report = ntt_jv_parse(small_report, NULL);
    GString *out = g_string_new(NULL);

    (void)state;
    assert_non_null(report);
    ntt_html_document(out, report, NULL, fake_shapes, 3, "");
    assert_true(g_str_has_prefix(out->str, "<!DOCTYPE html>"));
    assert_non_null(strstr(out->str, "<section id=\"summary\">"));
    assert_non_null(strstr(out->str, "<section id=\"timeline\">"));
    assert_non_null(strstr(out->str, "<section id=\"mix\">"));
    assert_non_null(strstr(out->str, "<section id=\"flows\">"));
    assert_null(strstr(out->str, "id=\"alerts\""));
    assert_null(strstr(out->str, "id=\"talkers\""));
    assert_null(strstr(out->str, "id=\"geo\""));
    assert_null(strstr(out->str, "id=\"entropy\""));
    assert_null(strstr(out->str, "id=\"anomaly\""));
    assert_null(strstr(out->str, "id=\"blocklist\""));
    assert_null(strstr(out->str, "id=\"time-of-day\""));
    /* No alert packets: no alert series; the UDP row of 0 is left out. */
    assert_null(strstr(out->str, "alert packets/s"));
    assert_null(strstr(out->str, ">UDP<"));
    /* The capture's strings never become markup. */
    assert_null(strstr(out->str, "<script"));
    assert_null(strstr(out->str, "<img"));
    assert_non_null(strstr(out->str, "&lt;script&gt;x&lt;/script&gt;"));
    assert_int_equal(count_of(out->str, "<section"), count_of(out->str, "</section>"));
    assert_int_equal(count_of(out->str, "<svg"), count_of(out->str, "</svg>"));
    assert_int_equal(count_of(out->str, "<table"), count_of(out->str, "</table>"));
    g_string_free(out, TRUE);
    ntt_jv_free(report);
}

static void test_document_without_packets(void **state)
{
    ntt_jv_t *report = ntt_jv_parse("{\"filter\": null, \"summary\": {\"packets\": 0}}", NULL);
    GString *out = g_string_new(NULL);

    (void)state;
    ntt_html_document(out, report, NULL, NULL, 0, "");
    assert_non_null(strstr(out->str, "No packets."));
    assert_null(strstr(out->str, "<section"));
    assert_null(strstr(out->str, "<nav"));
    g_string_free(out, TRUE);
    ntt_jv_free(report);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_tree_reads_what_the_writer_writes),
        cmocka_unit_test(test_json_tree_refuses_what_is_not_json),
        cmocka_unit_test(test_escaping),
        cmocka_unit_test(test_rounding_rule),
        cmocka_unit_test(test_utc_from_the_literal),
        cmocka_unit_test(test_nice_ticks),
        cmocka_unit_test(test_bar_chart_rects),
        cmocka_unit_test(test_world_map),
        cmocka_unit_test(test_document_leaves_empty_sections_out),
        cmocka_unit_test(test_document_without_packets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
