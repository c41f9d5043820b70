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
    /* A long name widens the names' column to its most, 350 (the bars
     * start there), and is cut to what fits: 342 / (11 x 0.62) = 50
     * characters, the last an ellipsis; its box starts inside the chart.
     * Zeek's longest state with its meaning fits whole. */
    bars[1].label = "RSTRH (responder SYN-ACK then reset, no SYN seen) and more words";
    bars[2].label = "RSTRH (responder SYN-ACK then reset, no SYN seen)";
    g_string_truncate(out, 0);
    ntt_chart_hbars(out, "Test", "packets", bars, 3);
    assert_non_null(strstr(out->str, "<rect class=\"bar\" data-json=\"n[0]\" data-value=\"10\" "
                                     "x=\"350\""));
    assert_non_null(strstr(out->str, " x=\"344\" y=\"40\" text-anchor=\"end\">RSTRH (responder "
                                     "SYN-ACK then reset, no SYN seen)\xe2\x80\xa6</text>"));
    assert_true(344 - ntt_chart_text_width("RSTRH (responder SYN-ACK then reset, no SYN seen)"
                                           "\xe2\x80\xa6", 11) >= 0);
    assert_non_null(strstr(out->str, ">RSTRH (responder SYN-ACK then reset, no SYN seen)</text>"));
    g_string_free(out, TRUE);
    ntt_jv_free(v);
}

static void test_bar_chart_largest_first_the_rest_summed(void **state)
{
    /* 16 services: s00 .. s15 with 1, 2 ... packets, s03 and s09 tied
     * at 40: the 12 largest, then "(4 others)" for s00 s01 s02 s04. */
    GString *json = g_string_new("{\"n\": [");
    ntt_chart_bar_t bars[16];
    char *labels[16];
    ntt_jv_t *v;
    GString *out = g_string_new(NULL);
    const char *at;

    (void)state;
    for (unsigned i = 0; i < 16; i++)
        g_string_append_printf(json, "%s%u", i ? ", " : "", i == 3 || i == 9 ? 40 : i + 1);
    g_string_append(json, "]}");
    v = ntt_jv_parse(json->str, NULL);
    for (unsigned i = 0; i < 16; i++) {
        labels[i] = g_strdup_printf("s%02u", i);
        bars[i] = (ntt_chart_bar_t){ labels[i], g_strdup_printf("n[%u]", i),
                                     ntt_jv_pathf(v, "n[%u]", i) };
    }
    ntt_chart_hbars(out, "Test", "packets", bars, 16);
    assert_int_equal(count_of(out->str, "<rect class=\"bar"), 13);
    /* The order of the names: s03 and s09 (40, by name), s15 ... s05. */
    at = out->str;
    static const char *const order[] = { "s03", "s09", "s15", "s14", "s13", "s12", "s11",
                                         "s10", "s08", "s07", "s06", "s05", "(4 others)" };
    for (unsigned i = 0; i < G_N_ELEMENTS(order); i++) {
        char *cat = g_strdup_printf("class=\"cat\" x=\"244\" y=\"%u\" text-anchor=\"end\">%s<",
                                    6 + 20 * i + 3 + 11, order[i]);
        const char *next = strstr(at, cat);

        assert_non_null(next);
        at = next;
        g_free(cat);
    }
    /* The rest: 1 + 2 + 3 + 5 = 11, what it sums in the JSON's order. */
    assert_non_null(strstr(out->str, "<rect class=\"bar others\" data-from=\"n[0] + n[1] + "
                                     "n[2] + n[4]\""));
    at = strstr(out->str, "<text class=\"val\" data-from=\"n[0] + n[1] + n[2] + n[4]\" x=\"");
    assert_non_null(at);
    assert_true(g_str_has_prefix(strchr(at, '>'), ">11</text>"));
    /* 13 rows are all drawn: "(1 others)" would say less than the row. */
    g_string_truncate(out, 0);
    ntt_chart_hbars(out, "Test", "packets", bars + 3, 13);
    assert_int_equal(count_of(out->str, "<rect class=\"bar\""), 13);
    assert_null(strstr(out->str, "others"));
    for (unsigned i = 0; i < 16; i++) {
        g_free(labels[i]);
        g_free(bars[i].path);
    }
    g_string_free(out, TRUE);
    g_string_free(json, TRUE);
    ntt_jv_free(v);
}

/* The attribute name="..." of the element at tag, as a number. */
static double attr_at(const char *tag, const char *name)
{
    char key[32];
    const char *end = strchr(tag, '>'), *at;

    g_snprintf(key, sizeof key, " %s=\"", name);
    at = strstr(tag, key);
    assert_true(at && at < end);
    return g_ascii_strtod(at + strlen(key), NULL);
}

static void test_episode_lanes(void **state)
{
    /* 15 episodes over x 0 .. 100: 12 lanes and a note; one late and
     * short (its label before it), one over everything (inside), one
     * with a label too long for any room (cut). */
    ntt_chart_span_t spans[15];
    char *labels[15];
    double x[2] = { 0, 100 }, y[2] = { 1, 2 };
    ntt_chart_series_t line = { .name = "packets/s", .style = "s1", .x = x, .y = y, .n = 2 };
    ntt_chart_xy_t c = { .title = "t", .x_label = "x", .y_label = "y", .x_lo = 0, .x_hi = 100,
                         .series = &line, .n_series = 1, .spans = spans, .n_spans = 15,
                         .more_what = "episodes (see Alerts)" };
    GString *out = g_string_new(NULL);
    double boxes[12][4], w;
    unsigned n = 0;

    (void)state;
    for (unsigned i = 0; i < 15; i++) {
        labels[i] = g_strdup_printf("#%u portscan 198.51.100.%u\xe2\x86\x92" "203.0.113.20", i, i);
        spans[i] = (ntt_chart_span_t){ .x0 = 6.0 * i, .x1 = 6.0 * i + 3, .mark = 6.0 * i + 1,
                                       .label = labels[i] };
    }
    spans[10].x0 = 90, spans[10].x1 = 95, spans[10].mark = 94;
    spans[11].x0 = 0, spans[11].x1 = 100, spans[11].mark = 1;
    g_free(labels[5]);
    labels[5] = g_strnfill(200, 'w');
    spans[5].label = labels[5];
    ntt_chart_xy(out, &c);
    assert_int_equal(count_of(out->str, "<g class=\"lane\">"), NTT_CHART_LANES_MAX);
    assert_non_null(strstr(out->str, ">and 3 more episodes (see Alerts)</text>"));
    /* The plot spans x 70 .. 740 for 0 .. 100: 6.7 units each. */
    for (const char *g = strstr(out->str, "<g class=\"lane\">"); g;
         g = strstr(g + 1, "<g class=\"lane\">"), n++) {
        const char *bar = strstr(g, "<rect class=\"span\""), *text = strstr(g, "class=\"lane-label\"");
        const char *diamond = strstr(g, "<path class=\"mark-detect\" d=\"M");
        const char *end = strstr(g, "</g>"), *anchor;
        char *label;

        assert_true(bar && bar < end && text && text < end && diamond && diamond < end);
        assert_float_equal(attr_at(bar, "x"), 70 + 6.7 * spans[n].x0, 0.01);
        assert_float_equal(attr_at(bar, "width"), 6.7 * (spans[n].x1 - spans[n].x0), 0.01);
        assert_float_equal(g_ascii_strtod(diamond + strlen("<path class=\"mark-detect\" d=\"M"),
                                          NULL), 70 + 6.7 * spans[n].mark, 0.01);
        label = g_strndup(strchr(text, '>') + 1, strstr(text, "</text>") - strchr(text, '>') - 1);
        w = ntt_chart_text_width(label, NTT_CHART_LANE_FONT);
        anchor = strstr(text, "text-anchor=\"end\"");
        boxes[n][0] = attr_at(text - 6, "x") - (anchor && anchor < end ? w : 0);
        boxes[n][2] = boxes[n][0] + w;
        boxes[n][1] = attr_at(text - 6, "y") - NTT_CHART_LANE_FONT * 0.8;
        boxes[n][3] = boxes[n][1] + NTT_CHART_LANE_FONT;
        assert_true(boxes[n][0] >= 0 && boxes[n][2] <= NTT_CHART_WIDTH);
        if (n == 10)            /* late and short: before its bar */
            assert_true(anchor && anchor < end && boxes[n][2] <= attr_at(bar, "x"));
        if (n == 11)            /* over everything: inside, on a ground */
            assert_true(strstr(g, "label-bg") && strstr(g, "label-bg") < end);
        if (n == 5)             /* too long for anywhere: cut */
            assert_true(g_str_has_suffix(label, "\xe2\x80\xa6") && strlen(label) < 200);
        else
            assert_string_equal(label, labels[n]);
        for (unsigned k = 0; k < n; k++)
            assert_false(boxes[n][0] < boxes[k][2] && boxes[k][0] < boxes[n][2] &&
                         boxes[n][1] < boxes[k][3] && boxes[k][1] < boxes[n][3]);
        g_free(label);
    }
    assert_int_equal(n, NTT_CHART_LANES_MAX);
    /* Each detection's line across the plot, the uncounted lanes' too. */
    assert_int_equal(count_of(out->str, "<line class=\"mark-line\""), 15);
    /* Only the marks: no lanes; the legend's sample line. */
    g_string_truncate(out, 0);
    c.marks_only = true;
    ntt_chart_xy(out, &c);
    assert_null(strstr(out->str, "class=\"lane\""));
    assert_int_equal(count_of(out->str, "<line class=\"mark-line\""), 15 + 1);
    for (unsigned i = 0; i < 15; i++)
        g_free(labels[i]);
    g_string_free(out, TRUE);
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
        cmocka_unit_test(test_bar_chart_largest_first_the_rest_summed),
        cmocka_unit_test(test_episode_lanes),
        cmocka_unit_test(test_world_map),
        cmocka_unit_test(test_document_leaves_empty_sections_out),
        cmocka_unit_test(test_document_without_packets),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
