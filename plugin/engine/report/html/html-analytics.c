/* html-analytics.c
 * What was learnt from the traffic: the time of day (hourly packets and
 * bytes in the configured zone, working hours shaded), burstiness, the
 * entropy timeline and its largest moves, and the anomalous flows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/html/html-charts.h"
#include "report/html/html-doc.h"
#include "report/html/html-text.h"

/* The hours "HH:MM-HH:MM ..." (the JSON's work_hours) overlap; past
 * midnight when the end is not after the start. false: unreadable. */
static bool work_hour_mask(const char *text, bool mask[24])
{
    unsigned h0, m0, h1, m1;

    if (!text || sscanf(text, "%u:%u-%u:%u", &h0, &m0, &h1, &m1) != 4 || h0 > 24 || h1 > 24 ||
        m0 > 59 || m1 > 59)
        return false;
    unsigned from = h0 * 60 + m0, to = h1 * 60 + m1;
    for (unsigned h = 0; h < 24; h++) {
        unsigned a = h * 60, b = a + 60;

        if (from < to)
            mask[h] = a < to && b > from;
        else
            mask[h] = b > from || a < to;
    }
    return true;
}

static void hour_chart(ntt_html_doc_t *d, const char *key, const char *unit,
                       const bool *mask, const char *zone)
{
    static const char *const names[24] = {
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",
        "12", "13", "14", "15", "16", "17", "18", "19", "20", "21", "22", "23",
    };
    ntt_chart_bar_t bars[24];
    char *title = g_strdup_printf("%s by hour of day (%s)", unit, zone);
    char *x_label = g_strdup_printf("hour of day (%s)", zone);

    for (unsigned h = 0; h < 24; h++) {
        bars[h].label = names[h];
        bars[h].path = g_strdup_printf("time_of_day.hours.%s[%u]", key, h);
        bars[h].value = ntt_jv_path(d->report, bars[h].path);
    }
    ntt_chart_columns_t c = {
        .title = title, .x_label = x_label, .y_label = unit, .names = names,
        .bars = bars, .n = 24, .shaded = mask, .shade_label = "working hours",
    };
    g_string_append(d->out, "<figure>");
    ntt_chart_columns(d->out, &c);
    g_string_append(d->out, "</figure>\n");
    for (unsigned h = 0; h < 24; h++)
        g_free(bars[h].path);
    g_free(title);
    g_free(x_label);
}

static void off_hours(ntt_html_doc_t *d)
{
    const ntt_jv_t *off = ntt_jv_path(d->report, "time_of_day.outside_work_hours");
    unsigned n = ntt_jv_len(ntt_jv_get(off, "hosts"));

    if (!off)
        return;
    g_string_append(d->out, "<p>Outside working hours (");
    ntt_html_valuef(d->out, d->report, "span", "v", "time_of_day.work_hours");
    g_string_append(d->out, "): ");
    ntt_html_valuef(d->out, d->report, "span", "v", "time_of_day.outside_work_hours.packets");
    g_string_append(d->out, " packets (share ");
    ntt_html_valuef(d->out, d->report, "span", "v",
                    "time_of_day.outside_work_hours.packet_share");
    g_string_append(d->out, "), ");
    ntt_html_valuef(d->out, d->report, "span", "v", "time_of_day.outside_work_hours.bytes");
    g_string_append(d->out, " bytes (share ");
    ntt_html_valuef(d->out, d->report, "span", "v", "time_of_day.outside_work_hours.byte_share");
    g_string_append(d->out, ").</p>\n");
    if (n == 0)
        return;
    ntt_html_table_begin(d, "data", "Host|#Packets outside|#Bytes outside|#Packet share|"
                                    "#Byte share");
    static const char *const keys[] = { "address", "packets", "bytes", "packet_share",
                                        "byte_share" };

    ntt_html_table_rows(d, "time_of_day.outside_work_hours.hosts", keys, G_N_ELEMENTS(keys));
    ntt_html_table_end(d);
}

static void burstiness(ntt_html_doc_t *d)
{
    static const char *const rows[][3] = {
        { "Bins", "time_profile.bins", "of time_profile.bin_seconds s" },
        { "Mean packets per bin", "time_profile.mean_packets_per_bin", NULL },
        { "Standard deviation", "time_profile.stdev_packets_per_bin", NULL },
        { "Peak packets per bin", "time_profile.peak_packets_per_bin", NULL },
        { "Peak bin", "time_profile.peak_bin", "from the first packet" },
        { "Peak / mean", "time_profile.peak_to_mean", NULL },
        { "Coefficient of variation", "time_profile.cv", "sd / mean" },
        { "Fano factor", "time_profile.fano", "variance / mean; 1 for Poisson arrivals" },
        { "Inter-arrival gaps", "time_profile.inter_arrival.count", NULL },
        { "Mean gap", "time_profile.inter_arrival.mean", "s" },
        { "Gap standard deviation", "time_profile.inter_arrival.stdev", "s" },
        { "Burstiness B", "time_profile.inter_arrival.burstiness",
          "Goh-Barabási: -1 regular, 0 Poisson, 1 bursty" },
    };

    if (!ntt_jv_path(d->report, "time_profile.bins"))
        return;
    ntt_html_heading(d, "Burstiness");
    g_string_append(d->out, "<table class=\"data facts\"><tbody>\n");
    for (unsigned i = 0; i < G_N_ELEMENTS(rows); i++) {
        const ntt_jv_t *v = ntt_jv_path(d->report, rows[i][1]);

        if (!v)
            continue;
        g_string_append(d->out, "<tr><th scope=\"row\">");
        ntt_html_escape(d->out, rows[i][0]);
        g_string_append(d->out, "</th>");
        ntt_html_cellf(d->out, d->report, "%s", rows[i][1]);
        g_string_append(d->out, "<td class=\"note\">");
        if (i == 0) {
            g_string_append(d->out, "of ");
            ntt_html_valuef(d->out, d->report, "span", "v", "time_profile.bin_seconds");
            g_string_append(d->out, " s");
        } else {
            ntt_html_escape(d->out, rows[i][2]);
        }
        g_string_append(d->out, "</td></tr>\n");
    }
    g_string_append(d->out, "</tbody></table>\n");
}

void ntt_html_time_of_day(ntt_html_doc_t *d)
{
    const ntt_jv_t *tod = ntt_jv_get(d->report, "time_of_day");
    const char *zone = ntt_jv_str(ntt_jv_get(tod, "time_zone"));
    bool mask[24] = { false }, has_mask;

    if (!tod || !ntt_jv_path(tod, "hours.packets"))
        return;
    has_mask = work_hour_mask(ntt_jv_str(ntt_jv_get(tod, "work_hours")), mask);
    ntt_html_section_begin(d, "time-of-day", "Time of day and burstiness");
    hour_chart(d, "packets", "packets", has_mask ? mask : NULL, zone ? zone : "UTC");
    hour_chart(d, "bytes", "bytes", has_mask ? mask : NULL, zone ? zone : "UTC");
    off_hours(d);
    burstiness(d);
    ntt_html_section_end(d);
}

static const char *const dims[] = { "src", "dst", "dport" };
static const char *const dim_names[] = { "source addresses", "destination addresses",
                                         "destination ports" };
static const char *const dim_styles[] = { "s1", "s2", "s3" };

static void entropy_chart(ntt_html_doc_t *d)
{
    unsigned n = ntt_jv_len(ntt_jv_path(d->report, "entropy.timeline"));
    double first = ntt_jv_num(ntt_jv_path(d->report, "summary.first_time"), 0);
    double last = ntt_jv_num(ntt_jv_path(d->report, "summary.last_time"), first);
    double unit, *x = g_new(double, n), *y[3];
    const char *unit_name = ntt_html_time_unit(last - first, &unit);
    ntt_chart_series_t series[3];
    char *attrs[3], x_label[64];

    for (unsigned k = 0; k < 3; k++) {
        y[k] = g_new(double, n);
        attrs[k] = g_strdup_printf(" data-json=\"entropy.timeline[].%s.normalized\"", dims[k]);
        series[k] = (ntt_chart_series_t){ .name = dim_names[k], .style = dim_styles[k],
                                          .x = x, .y = y[k], .n = n, .marks = true,
                                          .attrs = attrs[k] };
    }
    for (unsigned i = 0; i < n; i++) {
        x[i] = (ntt_jv_num(ntt_jv_pathf(d->report, "entropy.timeline[%u].end", i), first) -
                first) / unit;
        for (unsigned k = 0; k < 3; k++)
            y[k][i] = ntt_jv_num(ntt_jv_pathf(d->report, "entropy.timeline[%u].%s.normalized",
                                              i, dims[k]), 0);
    }
    g_snprintf(x_label, sizeof x_label, "end of the window, since the first packet (%s)",
               unit_name);
    ntt_chart_xy_t chart = {
        .title = "Normalised entropy per window", .x_label = x_label,
        .y_label = "normalised entropy (0-1)", .x_lo = 0, .x_hi = (last - first) / unit,
        .y_hi = 1, .series = series, .n_series = 3,
    };
    g_string_append(d->out, "<figure>");
    ntt_chart_xy(d->out, &chart);
    g_string_append(d->out, "<figcaption>Each point is one window of ");
    ntt_html_valuef(d->out, d->report, "span", "v", "entropy.window");
    g_string_append(d->out, " s (entropy in bits over log2 of the window's packets: 1 when "
                            "every packet has a value of its own, 0 when all share one).");
    if (ntt_jv_num(ntt_jv_path(d->report, "entropy.timeline_stride"), 1) > 1) {
        g_string_append(d->out, " One window in ");
        ntt_html_valuef(d->out, d->report, "span", "v", "entropy.timeline_stride");
        g_string_append(d->out, " is listed.");
    }
    g_string_append(d->out, "</figcaption></figure>\n");
    for (unsigned k = 0; k < 3; k++) {
        g_free(y[k]);
        g_free(attrs[k]);
    }
    g_free(x);
}

static void entropy_ranges(ntt_html_doc_t *d)
{
    if (!ntt_jv_path(d->report, "entropy.range"))
        return;
    ntt_html_table_begin(d, "data", "Normalised|#Lowest|#Mean|#Highest|"
                                    "Highest in the window ending (UTC)");
    for (unsigned k = 0; k < 3; k++) {
        char *end = g_strdup_printf("entropy.range.%s.highest_end", dims[k]);

        g_string_append(d->out, "<tr>");
        ntt_html_text_cell(d->out, dim_names[k]);
        ntt_html_cellf(d->out, d->report, "entropy.range.%s.lowest", dims[k]);
        ntt_html_cellf(d->out, d->report, "entropy.range.%s.mean", dims[k]);
        ntt_html_cellf(d->out, d->report, "entropy.range.%s.highest", dims[k]);
        ntt_html_time_cell(d, end);
        g_string_append(d->out, "</tr>\n");
        g_free(end);
    }
    ntt_html_table_end(d);
}

static void entropy_moves(ntt_html_doc_t *d)
{
    unsigned n = ntt_jv_len(ntt_jv_path(d->report, "entropy.moves"));

    if (n == 0)
        return;
    ntt_html_heading(d, "Where it moved most");
    ntt_html_table_begin(d, "data", "Figure|Window ending (UTC)|#Change (bits)|"
                                    "#Before (normalised)|#After (normalised)|#Packets after");
    for (unsigned i = 0; i < n; i++) {
        char *end = g_strdup_printf("entropy.moves[%u].end", i);

        g_string_append(d->out, "<tr>");
        ntt_html_cellf(d->out, d->report, "entropy.moves[%u].figure", i);
        ntt_html_time_cell(d, end);
        ntt_html_cellf(d->out, d->report, "entropy.moves[%u].change_bits", i);
        ntt_html_cellf(d->out, d->report, "entropy.moves[%u].before.normalized", i);
        ntt_html_cellf(d->out, d->report, "entropy.moves[%u].after.normalized", i);
        ntt_html_cellf(d->out, d->report, "entropy.moves[%u].after.packets", i);
        g_string_append(d->out, "</tr>\n");
        g_free(end);
    }
    ntt_html_table_end(d);
}

static void entropy_hosts(ntt_html_doc_t *d)
{
    static const char *const keys[] = { "address", "packets", "src.normalized",
                                        "dport.normalized", "windows" };
    unsigned n = ntt_jv_len(ntt_jv_path(d->report, "entropy.hosts"));

    if (n == 0)
        return;
    ntt_html_heading(d, "Busiest destinations, each in its busiest window");
    ntt_html_table_begin(d, "data", "Address|#Packets|#Sources (normalised)|"
                                    "#Ports (normalised)|#Top in windows");
    ntt_html_table_rows(d, "entropy.hosts", keys, G_N_ELEMENTS(keys));
    ntt_html_table_end(d);
}

void ntt_html_entropy(ntt_html_doc_t *d)
{
    if (ntt_jv_len(ntt_jv_path(d->report, "entropy.timeline")) == 0)
        return;
    ntt_html_section_begin(d, "entropy", "Entropy");
    entropy_chart(d);
    entropy_ranges(d);
    entropy_moves(d);
    entropy_hosts(d);
    ntt_html_section_end(d);
}

void ntt_html_anomaly(ntt_html_doc_t *d)
{
    unsigned n = ntt_jv_len(ntt_jv_path(d->report, "anomaly.top"));

    if (n == 0)
        return;
    ntt_html_section_begin(d, "anomaly", "Anomalous flows");
    g_string_append(d->out, "<p>Isolation Forest (");
    ntt_html_valuef(d->out, d->report, "span", "v", "anomaly.model");
    g_string_append(d->out, "), ");
    ntt_html_valuef(d->out, d->report, "span", "v", "anomaly.scored_flows");
    g_string_append(d->out, " flows scored; a score runs from 0 to 1, above about 0.6 is "
                            "unusual.</p>\n");
    ntt_html_table_begin(d, "data", "#Flow|#Score|Proto|Originator|#Port|Responder|#Port|"
                                    "State|#Packets|#Bytes|Stands out");
    for (unsigned i = 0; i < n; i++) {
        static const char *const keys[] = { "id", "score", "proto", "src", "sport", "dst",
                                            "dport", "state", "total_packets",
                                            "total_bytes" };
        unsigned m = ntt_jv_len(ntt_jv_pathf(d->report, "anomaly.top[%u].stands_out", i));

        g_string_append(d->out, "<tr>");
        for (unsigned k = 0; k < G_N_ELEMENTS(keys); k++)
            ntt_html_cellf(d->out, d->report, "anomaly.top[%u].%s", i, keys[k]);
        g_string_append(d->out, "<td><ul class=\"why\">");
        for (unsigned k = 0; k < m; k++) {
            g_string_append(d->out, "<li>");
            ntt_html_valuef(d->out, d->report, "span", NULL,
                            "anomaly.top[%u].stands_out[%u].text", i, k);
            g_string_append(d->out, "</li>");
        }
        g_string_append(d->out, "</ul></td></tr>\n");
    }
    ntt_html_table_end(d);
    ntt_html_section_end(d);
}
