/* report-text.c
 * -z ntt,stats: a plain-text report laid out like tshark's own statistics
 * (a ruled box, a title, aligned columns). Only sections with content.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include <stdio.h>

#define RULE_WIDTH 96

static void rule(GString *out, char c)
{
    for (int i = 0; i < RULE_WIDTH; i++)
        g_string_append_c(out, c);
    g_string_append_c(out, '\n');
}

static double percent(uint64_t part, uint64_t whole)
{
    return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

static void render_summary(const ntt_report_t *r, GString *out)
{
    char first[32], last[32];
    double duration = ntt_report_duration(r);

    g_string_append(out, "Capture\n");
    g_string_append_printf(out, "  Packets:           %" G_GUINT64_FORMAT "\n",
                           r->packets);
    g_string_append_printf(out, "  Bytes:             %" G_GUINT64_FORMAT "\n",
                           r->bytes);
    g_string_append_printf(out, "  First packet:      %s UTC\n",
                           ntt_format_utc(r->first_ns, first, sizeof first));
    g_string_append_printf(out, "  Last packet:       %s UTC\n",
                           ntt_format_utc(r->last_ns, last, sizeof last));
    g_string_append_printf(out, "  Duration:          %.6f s\n", duration);
    g_string_append_printf(out, "  Mean packet size:  %.1f bytes\n",
                           (double)r->bytes / (double)r->packets);
    if (duration > 0)
        g_string_append_printf(out, "  Mean rate:         %.1f packets/s, "
                               "%.1f bytes/s\n",
                               (double)r->packets / duration,
                               (double)r->bytes / duration);
    g_string_append_printf(out, "  Peak rate:         %" G_GUINT64_FORMAT
                           " packets/s (1-second bins, second %" G_GINT64_FORMAT
                           " from the first packet)\n",
                           r->rate.peak_pkts, r->rate.peak_bin);
    ntt_report_render_burstiness_text(r, out);
}

static void render_mix(const ntt_report_t *r, GString *out)
{
    g_string_append(out, "\nProtocols          Packets       %            Bytes       %\n");
    for (int m = 0; m < NTT_MIX_COUNT; m++) {
        if (r->mix[m].pkts == 0)
            continue;
        g_string_append_printf(out, "  %-12s %12" G_GUINT64_FORMAT " %6.2f%% %16"
                               G_GUINT64_FORMAT " %6.2f%%\n",
                               ntt_mix_name((ntt_mix_t)m), r->mix[m].pkts,
                               percent(r->mix[m].pkts, r->packets),
                               r->mix[m].bytes,
                               percent(r->mix[m].bytes, r->bytes));
    }
}

static void render_services(const ntt_report_t *r, GString *out)
{
    unsigned n = ntt_service_count();
    bool any = false;

    for (unsigned s = 1; s < n; s++)
        any = any || r->service_flows[s] > 0;
    if (!any)
        return;
    g_string_append(out, "\nServices            Flows      Packets            Bytes\n");
    /* Known services in table order, then the unclassified rest. */
    for (unsigned s = 1; s <= n; s++) {
        unsigned idx = s < n ? s : 0;

        if (r->service_flows[idx] == 0)
            continue;
        g_string_append_printf(out, "  %-14s %8" G_GUINT64_FORMAT " %12"
                               G_GUINT64_FORMAT " %16" G_GUINT64_FORMAT "\n",
                               idx ? ntt_service_name((ntt_service_t)idx)
                                   : "(unclassified)",
                               r->service_flows[idx], r->services[idx].pkts,
                               r->services[idx].bytes);
    }
}

static void render_flows(const ntt_report_t *r, GString *out)
{
    const ntt_engine_t *engine = r->engine;
    uint64_t by_state[NTT_STATE_COUNT];
    ntt_ranked_t *top;
    unsigned n;
    bool first = true;

    if (r->flows_seen == 0)
        return;
    ntt_report_flows_by_state(r, by_state);
    g_string_append_printf(out, "\nFlows: %" G_GUINT64_FORMAT "\n",
                           r->flows_seen);
    g_string_append(out, "  By state:");
    for (int s = 1; s < NTT_STATE_COUNT; s++) {
        if (by_state[s] == 0)
            continue;
        g_string_append_printf(out, "%s %s %" G_GUINT64_FORMAT,
                               first ? "" : ",",
                               ntt_conn_state_name((ntt_conn_state_t)s),
                               by_state[s]);
        first = false;
    }
    g_string_append_c(out, '\n');

    top = g_new(ntt_ranked_t, r->limits.top_n);
    n = ntt_report_top_flows(r, top, r->limits.top_n);
    g_string_append_printf(out, "\nTop %u flows by bytes\n", n);
    g_string_append(out, "  Flow   Proto  Originator                            "
                         "  Responder                               Service"
                         "      State   Packets        Bytes   Duration\n");
    for (unsigned i = 0; i < n; i++) {
        const ntt_flow_summary_t *f = ntt_engine_flow(engine, top[i].index);
        const ntt_report_flow_t *rf =
            &g_array_index(r->flows, ntt_report_flow_t, top[i].index);
        char src[NTT_ADDR_STRLEN + 8], dst[NTT_ADDR_STRLEN + 8], num[8];
        const char *svc;

        if (!f)
            continue;
        ntt_format_flow_end(f, NTT_DIR_ORIG, src, sizeof src);
        ntt_format_flow_end(f, NTT_DIR_RESP, dst, sizeof dst);
        svc = ntt_service_name(f->service);
        g_string_append_printf(out, "  %-6u %-6s %-39s %-39s %-12s %-6s %8u %12"
                               G_GUINT64_FORMAT " %10.3f\n",
                               top[i].index,
                               ntt_ip_proto_name(f->ip_proto, num, sizeof num),
                               src, dst, *svc ? svc : "-",
                               ntt_conn_state_name((ntt_conn_state_t)f->state),
                               rf->pkts, rf->bytes,
                               (double)(f->last_ns - f->first_ns) / 1e9);
    }
    g_free(top);
}

static void render_talkers(const ntt_report_t *r, GString *out)
{
    unsigned count, shown;
    ntt_talker_t **sorted = ntt_report_sorted_talkers(r, &count);

    if (count == 0) {
        g_free(sorted);
        return;
    }
    shown = count < r->limits.top_n ? count : r->limits.top_n;
    g_string_append_printf(out, "\nTop %u talkers by bytes (of %u addresses)\n",
                           shown, count);
    g_string_append(out, "  Address                                   "
                         "Pkts sent   Pkts recv       Bytes sent   Bytes recv\n");
    for (unsigned i = 0; i < shown; i++) {
        char addr[NTT_ADDR_STRLEN];
        const ntt_talker_t *t = sorted[i];

        g_string_append_printf(out, "  %-39s %11" G_GUINT64_FORMAT " %11"
                               G_GUINT64_FORMAT " %16" G_GUINT64_FORMAT " %12"
                               G_GUINT64_FORMAT "\n",
                               ntt_addr_format(&t->addr, t->ip_version, addr),
                               t->pkts_sent, t->pkts_received,
                               t->bytes_sent, t->bytes_received);
    }
    if (r->talkers_full)
        g_string_append_printf(out, "  (table full at %u addresses: the "
                               "others are counted together, %" G_GUINT64_FORMAT
                               " packets sent)\n",
                               r->limits.max_talkers, r->other_talkers.pkts_sent);
    g_free(sorted);
}

void ntt_report_render_text(const ntt_report_t *r, GString *out)
{
    /* Rendering is the end of the file: flows still open end with it. */
    if (r->engine)
        ntt_engine_anomaly_finish(r->engine);
    g_string_append_c(out, '\n');
    rule(out, '=');
    g_string_append(out, "ntt statistics (Network Traffic Tracer)\n");
    g_string_append_printf(out, "Filter: %s\n", r->filter ? r->filter : "<none>");
    rule(out, '-');
    if (r->packets == 0) {
        g_string_append(out, "No packets.\n");
    } else {
        render_summary(r, out);
        render_mix(r, out);
        render_services(r, out);
        render_flows(r, out);
        render_talkers(r, out);
        ntt_report_render_anomaly_text(r, out);
        ntt_report_render_time_of_day_text(r, out);
        ntt_report_render_alerts_text(r, out);
        ntt_report_render_entropy_text(r, out);
        ntt_report_render_blocklist_text(r, out);
        ntt_report_render_geo_text(r, out);
        ntt_report_render_engine_text(r, out);
    }
    rule(out, '=');
}
