/* html-timeline.c
 * Traffic over time: the time profile's bins as packets/s and bytes/s
 * (a bin's count over its width), the alert packets per bin overlaid,
 * each episode in a lane of its own under the packets (first to last
 * packet, its detection marked); the bins also as a table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>

#include "report/html/html-charts.h"
#include "report/html/html-doc.h"
#include "report/html/html-text.h"

/* The bins' table is left out beyond this many (the JSON has them all). */
#define TABLE_BINS 400

typedef struct timeline {
    const ntt_jv_t *json;     /* time_profile.timeline */
    unsigned n;
    double   bin;             /* seconds */
    double   unit;            /* seconds per x-axis unit */
    const char *unit_name;
    double  *x;               /* bin starts, in units from the first packet */
} timeline_t;

/* A series: a bin's count per second. */
static double *rates(const timeline_t *t, const char *key)
{
    const ntt_jv_t *counts = ntt_jv_get(t->json, key);
    double *y = g_new0(double, t->n ? t->n : 1);

    for (unsigned i = 0; i < t->n; i++)
        y[i] = ntt_jv_num(ntt_jv_at(counts, i), 0) / t->bin;
    return y;
}

/* An episode's source or target; null: many, as the text report says. */
static const char *end_name(const ntt_jv_t *address)
{
    return ntt_jv_str(address) ? ntt_jv_str(address) : "(many)";
}

static ntt_chart_span_t *episode_spans(ntt_html_doc_t *d, const timeline_t *t,
                                       double start, unsigned *count)
{
    unsigned n = ntt_jv_len(ntt_jv_get(d->report, "alerts"));
    ntt_chart_span_t *spans = g_new0(ntt_chart_span_t, n ? n : 1);
    char num[NTT_HTML_NUMBER_SIZE];

    for (unsigned i = 0; i < n; i++) {
        const ntt_jv_t *ep = ntt_jv_pathf(d->report, "alerts[%u]", i);
        const char *type = ntt_jv_str(ntt_jv_get(ep, "type"));
        const char *src = end_name(ntt_jv_get(ep, "src")), *dst = end_name(ntt_jv_get(ep, "dst"));
        const ntt_jv_t *id = ntt_jv_get(ep, "episode"), *detect = ntt_jv_get(ep, "detect");
        GString *attrs = g_string_new(NULL);
        char *path = g_strdup_printf("alerts[%u].episode", i);

        ntt_html_ref_attrs(attrs, path, id);
        spans[i].x0 = (ntt_jv_num(ntt_jv_get(ep, "start"), start) - start) / t->unit;
        spans[i].x1 = (ntt_jv_num(ntt_jv_get(ep, "end"), start) - start) / t->unit;
        spans[i].mark = ntt_jv_is(detect, NTT_JV_NUMBER) ?
                        (ntt_jv_num(detect, start) - start) / t->unit : NAN;
        /* An episode number names it: its digits alone. */
        g_snprintf(num, sizeof num, "%s", ntt_jv_is(id, NTT_JV_NUMBER) ? id->text : "?");
        spans[i].label = g_strdup_printf("#%s %s %s\xe2\x86\x92%s", num, type ? type : "",
                                         src, dst);
        spans[i].tooltip = g_strdup_printf("episode %s: %s from %s to %s", num,
                                           type ? type : "", src, dst);
        spans[i].attrs = g_string_free(attrs, FALSE);
        spans[i].href = g_strdup_printf("#episode-%u", i);
        g_free(path);
    }
    *count = n;
    return spans;
}

static void free_spans(ntt_chart_span_t *spans, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        g_free((char *)spans[i].label);
        g_free((char *)spans[i].tooltip);
        g_free((char *)spans[i].attrs);
        g_free((char *)spans[i].href);
    }
    g_free(spans);
}

static char *series_attrs(const char *key)
{
    return g_strdup_printf(" data-json=\"time_profile.timeline.%s\" "
                           "data-per=\"time_profile.timeline.bin_seconds\"", key);
}

static void bins_table(ntt_html_doc_t *d, const timeline_t *t)
{
    char num[NTT_HTML_NUMBER_SIZE];

    if (t->n > TABLE_BINS) {
        g_string_append_printf(d->out, "<p class=\"note\">%u bins: the JSON report's "
                               "<code>time_profile.timeline</code> lists each.</p>\n", t->n);
        return;
    }
    g_string_append(d->out, "<details><summary>The bins as a table</summary>\n");
    g_string_append_printf(d->out, "<table class=\"data\"><thead><tr><th scope=\"col\" "
                           "class=\"num\">Bin start (%s)</th><th scope=\"col\" class=\"num\">"
                           "Packets</th><th scope=\"col\" class=\"num\">Bytes</th>"
                           "<th scope=\"col\" class=\"num\">Alert packets</th>"
                           "<th scope=\"col\" class=\"num\">New flows</th></tr></thead>\n"
                           "<tbody>\n", t->unit_name);
    for (unsigned i = 0; i < t->n; i++) {
        g_string_append_printf(d->out, "<tr><td class=\"num\">%s</td>",
                               ntt_html_number(t->x[i], num, sizeof num));
        ntt_html_cellf(d->out, d->report, "time_profile.timeline.packets[%u]", i);
        ntt_html_cellf(d->out, d->report, "time_profile.timeline.bytes[%u]", i);
        ntt_html_cellf(d->out, d->report, "time_profile.timeline.alert_packets[%u]", i);
        ntt_html_cellf(d->out, d->report, "time_profile.timeline.new_flows[%u]", i);
        g_string_append(d->out, "</tr>\n");
    }
    g_string_append(d->out, "</tbody></table></details>\n");
}

void ntt_html_timeline(ntt_html_doc_t *d)
{
    timeline_t t = { .json = ntt_jv_path(d->report, "time_profile.timeline") };
    double start, duration, x_end, *pps, *bps, *alert_pps, alert_total = 0;
    ntt_chart_span_t *spans;
    unsigned n_spans;
    char *attrs[3], x_label[64];

    t.n = ntt_jv_len(ntt_jv_get(t.json, "packets"));
    t.bin = ntt_jv_num(ntt_jv_get(t.json, "bin_seconds"), 0);
    if (t.n == 0 || !(t.bin > 0))
        return;
    start = ntt_jv_num(ntt_jv_get(t.json, "start"), 0);
    /* The axis ends with the capture, inside its last bin. */
    duration = ntt_jv_num(ntt_jv_path(d->report, "summary.duration"), 0);
    x_end = duration > (t.n - 1) * t.bin && duration < t.n * t.bin ? duration : t.n * t.bin;
    t.unit_name = ntt_html_time_unit(x_end, &t.unit);
    t.x = g_new(double, t.n);
    for (unsigned i = 0; i < t.n; i++)
        t.x[i] = i * t.bin / t.unit;
    pps = rates(&t, "packets");
    bps = rates(&t, "bytes");
    alert_pps = rates(&t, "alert_packets");
    for (unsigned i = 0; i < t.n; i++)
        alert_total += alert_pps[i];
    spans = episode_spans(d, &t, start, &n_spans);
    attrs[0] = series_attrs("packets");
    attrs[1] = series_attrs("alert_packets");
    attrs[2] = series_attrs("bytes");
    g_snprintf(x_label, sizeof x_label, "time since the first packet (%s)", t.unit_name);

    ntt_html_section_begin(d, "timeline", "Traffic over time");
    ntt_chart_series_t packets[2] = {
        { .name = "packets/s", .style = "s1", .x = t.x, .y = pps, .n = t.n, .step = true,
          .step_w = t.bin / t.unit, .area = true, .attrs = attrs[0] },
        { .name = "alert packets/s", .style = "s2", .x = t.x, .y = alert_pps, .n = t.n,
          .step = true, .step_w = t.bin / t.unit, .attrs = attrs[1] },
    };
    ntt_chart_series_t bytes = {
        .name = "bytes/s", .style = "s1", .x = t.x, .y = bps, .n = t.n, .step = true,
        .step_w = t.bin / t.unit, .area = true, .attrs = attrs[2],
    };
    ntt_chart_xy_t chart = {
        .title = "Packets per second, alert packets overlaid, episodes in lanes under it",
        .x_label = x_label, .y_label = "packets/s", .x_lo = 0, .x_hi = x_end / t.unit,
        .series = packets, .n_series = alert_total > 0 ? 2 : 1,
        .spans = spans, .n_spans = n_spans, .more_what = "episodes (see Alerts)",
    };

    g_string_append(d->out, "<figure>");
    ntt_chart_xy(d->out, &chart);
    g_string_append(d->out, "<figcaption>Packets per second in bins of ");
    ntt_html_valuef(d->out, d->report, "span", "v", "time_profile.timeline.bin_seconds");
    g_string_append(d->out, " s from the first packet; peak ");
    ntt_html_valuef(d->out, d->report, "span", "v", "summary.peak_pps");
    g_string_append(d->out, " packets/s (1-second bins).");
    if (n_spans)
        g_string_append(d->out, " Under it each alert episode from its first to its last "
                                "packet, the diamond where it was detected; the Alerts "
                                "table has them all.");
    g_string_append(d->out, "</figcaption></figure>\n");
    /* The lanes once, under the packets; here the detections alone. */
    chart.title = "Bytes per second, episodes' detections marked";
    chart.y_label = "bytes/s";
    chart.marks_only = true;
    chart.series = &bytes;
    chart.n_series = 1;
    g_string_append(d->out, "<figure>");
    ntt_chart_xy(d->out, &chart);
    g_string_append(d->out, n_spans ? "<figcaption>Bytes per second in the same bins; a "
                                      "dotted line where an episode was detected."
                                      "</figcaption></figure>\n" :
                                      "<figcaption>Bytes per second in the same bins."
                                      "</figcaption></figure>\n");
    bins_table(d, &t);
    ntt_html_section_end(d);

    for (unsigned i = 0; i < 3; i++)
        g_free(attrs[i]);
    free_spans(spans, n_spans);
    g_free(pps);
    g_free(bps);
    g_free(alert_pps);
    g_free(t.x);
}
