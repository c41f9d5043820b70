/* report-time.c
 * The time profile of -z ntt,stats and -z ntt,json: the burstiness lines
 * of the Capture section, the Time of day section, and the JSON
 * "time_profile" and "time_of_day" objects. Fed by the tap, so they
 * follow the report's display filter; docs/analytics.md says how to read
 * each figure.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include <stdio.h>
#include <stdlib.h>

#include "report/json-writer.h"

/* The busiest hours the reports name. */
#define BUSIEST_HOURS 3

void ntt_report_time_start(ntt_report_t *r)
{
    ntt_local_clock_init(&r->clock, ntt_engine_time_of_day(r->engine));
}

/* The packet belongs to an episode from its detection on (its time at or
 * after the detection's): what a single pass can know, so that one pass
 * and two (-2) give the same timeline. */
static bool in_episode(const ntt_report_t *r, const ntt_frame_t *frame, int64_t ts_ns)
{
    const ntt_episode_t *eps[NTT_FRAME_EPISODES];
    bool tokens = false;
    unsigned n;

    if (!frame)
        return false;
    for (unsigned i = 0; i < NTT_FRAME_EPISODES; i++)
        tokens = tokens || frame->tokens[i] != 0;
    if (!tokens)
        return false;
    n = ntt_engine_frame_episodes(r->engine, frame, UINT32_MAX, true, eps, NULL);
    for (unsigned i = 0; i < n; i++) {
        if (eps[i]->detect_ns <= ts_ns)
            return true;
    }
    return false;
}

static bool work_hours_set(const ntt_report_t *r)
{
    return r->clock.tod && r->clock.tod->work.set;
}

bool ntt_report_time_count(ntt_report_t *r, int64_t ts_ns, uint32_t frame_len,
                           const ntt_frame_t *frame)
{
    ntt_local_time_t t;
    bool off;

    ntt_time_profile_add(&r->time, ts_ns, frame_len,
                         frame && frame->has_flow && frame->flow.new_flow,
                         in_episode(r, frame, ts_ns));
    ntt_local_time(&r->clock, ts_ns, &t);
    r->hours[t.hour].pkts++;
    r->hours[t.hour].bytes += frame_len;
    off = work_hours_set(r) &&
          !ntt_work_hours_contains(&r->clock.tod->work, t.weekday, t.minute_of_day);
    if (off) {
        r->off_hours.pkts++;
        r->off_hours.bytes += frame_len;
    }
    return off;
}

static double share(uint64_t part, uint64_t whole)
{
    return whole ? (double)part / (double)whole : 0.0;
}

static const char *zone_name(const ntt_report_t *r)
{
    return r->clock.tod ? r->clock.tod->zone : "UTC";
}

void ntt_report_render_burstiness_text(const ntt_report_t *r, GString *out)
{
    ntt_burstiness_t b;

    ntt_time_profile_burstiness(&r->time, &b);
    g_string_append_printf(out, "  Burstiness:        peak/mean %.2f, CV %.3f, Fano %.3f "
                           "(%u-second bins, %" G_GUINT64_FORMAT " bins)\n",
                           b.peak_to_mean, b.cv, b.fano, r->limits.bin_seconds, b.bins);
    if (b.has_b)
        g_string_append_printf(out, "  Inter-arrival:     mean %.6f s, sd %.6f s, "
                               "B %.3f (Goh-Barabasi)\n",
                               b.iat_mean, b.iat_stdev, b.b);
}

/* The local hours by packets, busiest first (ties: the earlier hour). */
static unsigned busiest_hours(const ntt_report_t *r, unsigned hours[BUSIEST_HOURS])
{
    unsigned n = 0;

    for (unsigned h = 0; h < 24; h++) {
        unsigned pos;

        if (r->hours[h].pkts == 0)
            continue;
        if (n == BUSIEST_HOURS && r->hours[h].pkts <= r->hours[hours[n - 1]].pkts)
            continue;
        pos = n < BUSIEST_HOURS ? n++ : n - 1;
        while (pos > 0 && r->hours[h].pkts > r->hours[hours[pos - 1]].pkts) {
            hours[pos] = hours[pos - 1];
            pos--;
        }
        hours[pos] = h;
    }
    return n;
}

static int compare_off_hours(const void *a, const void *b)
{
    const ntt_talker_t *ta = *(ntt_talker_t *const *)a;
    const ntt_talker_t *tb = *(ntt_talker_t *const *)b;

    if (ta->off_hours_bytes != tb->off_hours_bytes)
        return ta->off_hours_bytes > tb->off_hours_bytes ? -1 : 1;
    return ntt_talker_compare_address(ta, tb);
}

/* The talkers with traffic outside working hours, most bytes first; free
 * with g_free(). */
static ntt_talker_t **off_hours_talkers(const ntt_report_t *r, unsigned *count)
{
    unsigned n;
    ntt_talker_t **sorted = ntt_report_sorted_talkers(r, &n);
    unsigned kept = 0;

    for (unsigned i = 0; i < n; i++) {
        if (sorted[i]->off_hours_pkts)
            sorted[kept++] = sorted[i];
    }
    qsort(sorted, kept, sizeof sorted[0], compare_off_hours);
    *count = kept;
    return sorted;
}

static uint64_t talker_pkts(const ntt_talker_t *t)
{
    return t->pkts_sent + t->pkts_received;
}

static uint64_t talker_bytes(const ntt_talker_t *t)
{
    return t->bytes_sent + t->bytes_received;
}

static void render_off_hours_text(const ntt_report_t *r, GString *out)
{
    unsigned count, shown;
    ntt_talker_t **hosts;

    g_string_append_printf(out, "  Working hours:     %s\n", r->clock.tod->work_text);
    g_string_append_printf(out, "  Outside them:      %" G_GUINT64_FORMAT " packets (%.1f%%), %"
                           G_GUINT64_FORMAT " bytes (%.1f%%)\n",
                           r->off_hours.pkts, 100 * share(r->off_hours.pkts, r->packets),
                           r->off_hours.bytes, 100 * share(r->off_hours.bytes, r->bytes));
    hosts = off_hours_talkers(r, &count);
    shown = MIN(count, r->limits.top_n);
    if (shown) {
        g_string_append_printf(out, "  Top %u hosts by bytes outside working hours\n", shown);
        g_string_append(out, "    Address                                   "
                             "Packets outside       Bytes outside   Share of its bytes\n");
    }
    for (unsigned i = 0; i < shown; i++) {
        char addr[NTT_ADDR_STRLEN];
        const ntt_talker_t *t = hosts[i];

        g_string_append_printf(out, "    %-39s %17" G_GUINT64_FORMAT " %19" G_GUINT64_FORMAT
                               " %19.1f%%\n",
                               ntt_addr_format(&t->addr, t->ip_version, addr),
                               t->off_hours_pkts, t->off_hours_bytes,
                               100 * share(t->off_hours_bytes, talker_bytes(t)));
    }
    g_free(hosts);
}

void ntt_report_render_time_of_day_text(const ntt_report_t *r, GString *out)
{
    unsigned hours[BUSIEST_HOURS];
    unsigned n = busiest_hours(r, hours);

    g_string_append_printf(out, "\nTime of day (%s)\n", zone_name(r));
    g_string_append(out, "  Busiest hours:    ");
    for (unsigned i = 0; i < n; i++)
        g_string_append_printf(out, "%s %02u:00 %" G_GUINT64_FORMAT " packets (%.1f%%)",
                               i ? "," : "", hours[i], r->hours[hours[i]].pkts,
                               100 * share(r->hours[hours[i]].pkts, r->packets));
    g_string_append_c(out, '\n');
    if (work_hours_set(r))
        render_off_hours_text(r, out);
}

static void emit_burstiness(ntt_json_t *j, const ntt_report_t *r)
{
    ntt_burstiness_t b;

    ntt_time_profile_burstiness(&r->time, &b);
    ntt_json_kv_uint(j, "bin_seconds", r->limits.bin_seconds);
    ntt_json_kv_uint(j, "bins", b.bins);
    ntt_json_kv_double(j, "mean_packets_per_bin", b.mean);
    ntt_json_kv_double(j, "stdev_packets_per_bin", b.stdev);
    ntt_json_kv_uint(j, "peak_packets_per_bin", b.peak);
    ntt_json_kv_uint(j, "peak_bin", (uint64_t)MAX(b.peak_bin, 0));
    ntt_json_kv_double(j, "peak_to_mean", b.peak_to_mean);
    ntt_json_kv_double(j, "cv", b.cv);
    ntt_json_kv_double(j, "fano", b.fano);
    ntt_json_key(j, "inter_arrival");
    ntt_json_begin_object(j);
    ntt_json_kv_uint(j, "count", b.iat_count);
    ntt_json_kv_double(j, "mean", b.iat_mean);
    ntt_json_kv_double(j, "stdev", b.iat_stdev);
    ntt_json_key(j, "burstiness");
    if (b.has_b)
        ntt_json_double(j, b.b);
    else
        ntt_json_null(j);
    ntt_json_end_object(j);
}

/* One column of the timeline: member at offset in each bin. */
static void emit_column(ntt_json_t *j, const char *key, const ntt_time_profile_t *p,
                        size_t offset)
{
    ntt_json_key(j, key);
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < p->len; i++)
        ntt_json_uint(j, *(const uint64_t *)(const void *)((const char *)&p->bins[i] + offset));
    ntt_json_end_array(j);
}

static void emit_timeline(ntt_json_t *j, const ntt_report_t *r)
{
    const ntt_time_profile_t *p = &r->time;

    ntt_json_key(j, "timeline");
    ntt_json_begin_object(j);
    ntt_json_kv_double(j, "start", (double)p->first_ns / 1e9);
    ntt_json_kv_double(j, "bin_seconds", (double)ntt_time_profile_timeline_ns(p) / 1e9);
    ntt_json_kv_uint(j, "max_bins", p->max_bins);
    emit_column(j, "packets", p, offsetof(ntt_time_bin_t, pkts));
    emit_column(j, "bytes", p, offsetof(ntt_time_bin_t, bytes));
    emit_column(j, "new_flows", p, offsetof(ntt_time_bin_t, new_flows));
    emit_column(j, "alert_packets", p, offsetof(ntt_time_bin_t, alert_pkts));
    ntt_json_end_object(j);
}

static void emit_off_hours_json(ntt_json_t *j, const ntt_report_t *r)
{
    unsigned count, shown;
    ntt_talker_t **hosts = off_hours_talkers(r, &count);

    ntt_json_key(j, "outside_work_hours");
    ntt_json_begin_object(j);
    ntt_json_kv_uint(j, "packets", r->off_hours.pkts);
    ntt_json_kv_uint(j, "bytes", r->off_hours.bytes);
    ntt_json_kv_double(j, "packet_share", share(r->off_hours.pkts, r->packets));
    ntt_json_kv_double(j, "byte_share", share(r->off_hours.bytes, r->bytes));
    ntt_json_key(j, "hosts");
    ntt_json_begin_array(j);
    shown = MIN(count, r->limits.top_n);
    for (unsigned i = 0; i < shown; i++) {
        char addr[NTT_ADDR_STRLEN];
        const ntt_talker_t *t = hosts[i];

        ntt_json_begin_object(j);
        ntt_json_kv_string(j, "address", ntt_addr_format(&t->addr, t->ip_version, addr));
        ntt_json_kv_uint(j, "packets", t->off_hours_pkts);
        ntt_json_kv_uint(j, "bytes", t->off_hours_bytes);
        ntt_json_kv_double(j, "packet_share", share(t->off_hours_pkts, talker_pkts(t)));
        ntt_json_kv_double(j, "byte_share", share(t->off_hours_bytes, talker_bytes(t)));
        ntt_json_end_object(j);
    }
    ntt_json_end_array(j);
    ntt_json_kv_uint(j, "hosts_total", count);
    ntt_json_end_object(j);
    g_free(hosts);
}

static void emit_time_of_day(ntt_json_t *j, const ntt_report_t *r)
{
    unsigned hours[BUSIEST_HOURS];
    unsigned n = busiest_hours(r, hours);

    ntt_json_key(j, "time_of_day");
    ntt_json_begin_object(j);
    ntt_json_kv_string(j, "time_zone", zone_name(r));
    ntt_json_key(j, "hours");
    ntt_json_begin_object(j);
    ntt_json_key(j, "packets");
    ntt_json_begin_array(j);
    for (unsigned h = 0; h < 24; h++)
        ntt_json_uint(j, r->hours[h].pkts);
    ntt_json_end_array(j);
    ntt_json_key(j, "bytes");
    ntt_json_begin_array(j);
    for (unsigned h = 0; h < 24; h++)
        ntt_json_uint(j, r->hours[h].bytes);
    ntt_json_end_array(j);
    ntt_json_end_object(j);
    ntt_json_key(j, "busiest_hours");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < n; i++)
        ntt_json_uint(j, hours[i]);
    ntt_json_end_array(j);
    ntt_json_key(j, "work_hours");
    if (work_hours_set(r)) {
        ntt_json_string(j, r->clock.tod->work_text);
        emit_off_hours_json(j, r);
    } else {
        ntt_json_null(j);
    }
    ntt_json_end_object(j);
}

void ntt_report_emit_time_json(const ntt_report_t *r, ntt_json_t *j)
{
    ntt_json_key(j, "time_profile");
    ntt_json_begin_object(j);
    emit_burstiness(j, r);
    emit_timeline(j, r);
    ntt_json_end_object(j);
    emit_time_of_day(j, r);
}
