/* report-entropy.c
 * The Entropy section of -z ntt,stats and the "entropy" object of
 * -z ntt,json (docs/reports.md, docs/analytics.md): the entropy of the
 * sources, destinations and destination ports over the sliding window,
 * how low and high it went, where it moved most from one window to the
 * next, the destinations that received the most and the entropy of what
 * they received; JSON adds the timeline. Like the episodes, the figures
 * belong to the capture: a display filter does not narrow them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include "ntt/entropy.h"
#include "report/json-writer.h"

static const char *const dim_names[NTT_ENTROPY_DIMS] = {
    "source addresses", "destination addresses", "destination ports",
};

/* The view, or NULL when the engine measures no entropy (or saw no IP). */
static ntt_entropy_view_t *view_of(const ntt_report_t *r)
{
    const ntt_entropy_t *e = r->engine ? ntt_engine_entropy(r->engine) : NULL;
    ntt_entropy_view_t *view;

    if (!e)
        return NULL;
    view = g_new(ntt_entropy_view_t, 1);
    ntt_entropy_view(e, view);
    if (view->windows == 0) {
        g_free(view);
        return NULL;
    }
    return view;
}

static void text_figure(GString *out, const ntt_entropy_figure_t *f)
{
    g_string_append_printf(out, "%5.3f (%5.2f bits, %6u values)", f->normalized, f->bits,
                           f->distinct);
}

static void text_ranges(const ntt_entropy_view_t *v, GString *out)
{
    char when[32];

    g_string_append(out, "  Normalised           lowest    mean  highest   highest in the "
                         "window ending (UTC)\n");
    for (int d = 0; d < NTT_ENTROPY_DIMS; d++) {
        if (v->highest[d].packets == 0)
            continue;
        g_string_append_printf(out, "  %-21s %6.3f  %6.3f   %6.3f   %s\n", dim_names[d],
                               v->lowest[d].normalized, v->mean_normalized[d],
                               v->highest[d].normalized,
                               ntt_format_utc(v->highest_end_ns[d], when, sizeof when));
    }
}

static void text_moves(const ntt_entropy_view_t *v, GString *out)
{
    if (v->move_count == 0)
        return;
    g_string_append(out, "  Largest moves from one window to the next\n");
    g_string_append(out, "    window ending (UTC)         figure                 before"
                         "                              after\n");
    for (unsigned i = 0; i < v->move_count; i++) {
        const ntt_entropy_move_t *m = &v->moves[i];
        char when[32];

        g_string_append_printf(out, "    %-27s %-22s ", ntt_format_utc(m->end_ns, when, sizeof when),
                               dim_names[m->dim]);
        text_figure(out, &m->before);
        g_string_append(out, "  ");
        text_figure(out, &m->after);
        g_string_append_c(out, '\n');
    }
}

static void text_hosts(const ntt_report_t *r, const ntt_entropy_view_t *v, GString *out)
{
    unsigned shown = v->host_count < r->limits.top_n ? v->host_count : r->limits.top_n;

    if (shown == 0)
        return;
    g_string_append(out, "  Busiest destinations, each in its busiest window\n");
    g_string_append(out, "    Address                                  Packets  Sources  "
                         "Ports  Window ending (UTC)          Top in\n");
    for (unsigned i = 0; i < shown; i++) {
        const ntt_entropy_host_t *h = &v->hosts[i];
        char addr[NTT_ADDR_STRLEN], when[32];

        g_string_append_printf(out, "    %-39s %8u  %7.3f  %5.3f  %-27s  %u window%s\n",
                               ntt_addr_format(&h->addr, h->ip_version, addr), h->src.packets,
                               h->src.normalized, h->dport.normalized,
                               ntt_format_utc(h->window_end_ns, when, sizeof when), h->windows,
                               h->windows == 1 ? "" : "s");
    }
}

void ntt_report_render_entropy_text(const ntt_report_t *r, GString *out)
{
    ntt_entropy_view_t *v = view_of(r);

    if (!v)
        return;
    g_string_append_printf(out, "\nEntropy: %" G_GUINT64_FORMAT " window%s of %g s "
                           "(ntt.entropy_window; normalised: bits / log2 of the window's "
                           "packets, 1 when every packet has a value of its own)\n",
                           v->windows, v->windows == 1 ? "" : "s", (double)v->window_ns / 1e9);
    if (v->uncounted)
        g_string_append_printf(out, "  Tables full (%u addresses, %u pairs): %" G_GUINT64_FORMAT
                               " packets in %" G_GUINT64_FORMAT " windows left out; the figures "
                               "are exact for the rest\n", v->max_addresses, v->max_pairs,
                               v->uncounted, v->full_windows);
    text_ranges(v, out);
    text_moves(v, out);
    text_hosts(r, v, out);
    g_free(v);
}

static void json_figure(ntt_json_t *j, const char *key, const ntt_entropy_figure_t *f)
{
    ntt_json_key(j, key);
    ntt_json_begin_object(j);
    ntt_json_kv_uint(j, "packets", f->packets);
    ntt_json_kv_uint(j, "distinct", f->distinct);
    ntt_json_kv_double(j, "bits", f->bits);
    ntt_json_kv_double(j, "normalized", f->normalized);
    ntt_json_end_object(j);
}

static void json_host(ntt_json_t *j, const ntt_entropy_host_t *h, bool book)
{
    char addr[NTT_ADDR_STRLEN];

    ntt_json_begin_object(j);
    ntt_json_kv_string(j, "address", ntt_addr_format(&h->addr, h->ip_version, addr));
    ntt_json_kv_uint(j, "packets", h->src.packets);
    if (book) {
        ntt_json_kv_uint(j, "windows", h->windows);
        ntt_json_kv_double(j, "window_end", (double)h->window_end_ns / 1e9);
    }
    json_figure(j, "src", &h->src);
    json_figure(j, "dport", &h->dport);
    ntt_json_end_object(j);
}

static void json_window(ntt_json_t *j, const ntt_entropy_window_t *w, bool open)
{
    ntt_json_begin_object(j);
    ntt_json_kv_double(j, "start", (double)w->start_ns / 1e9);
    ntt_json_kv_double(j, "end", (double)w->end_ns / 1e9);
    ntt_json_key(j, "open");
    ntt_json_bool(j, open);
    ntt_json_kv_uint(j, "uncounted", w->uncounted);
    for (int d = 0; d < NTT_ENTROPY_DIMS; d++)
        json_figure(j, ntt_entropy_dim_key((ntt_entropy_dim_t)d), &w->figure[d]);
    ntt_json_key(j, "top_dst");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < w->top_count; i++)
        json_host(j, &w->top[i], false);
    ntt_json_end_array(j);
    ntt_json_end_object(j);
}

static void json_ranges(ntt_json_t *j, const ntt_entropy_view_t *v)
{
    ntt_json_key(j, "range");
    ntt_json_begin_object(j);
    for (int d = 0; d < NTT_ENTROPY_DIMS; d++) {
        if (v->highest[d].packets == 0)
            continue;
        ntt_json_key(j, ntt_entropy_dim_key((ntt_entropy_dim_t)d));
        ntt_json_begin_object(j);
        ntt_json_kv_double(j, "lowest", v->lowest[d].normalized);
        ntt_json_kv_double(j, "mean", v->mean_normalized[d]);
        ntt_json_kv_double(j, "highest", v->highest[d].normalized);
        ntt_json_kv_double(j, "highest_end", (double)v->highest_end_ns[d] / 1e9);
        ntt_json_end_object(j);
    }
    ntt_json_end_object(j);
}

static void json_moves(ntt_json_t *j, const ntt_entropy_view_t *v)
{
    ntt_json_key(j, "moves");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < v->move_count; i++) {
        const ntt_entropy_move_t *m = &v->moves[i];

        ntt_json_begin_object(j);
        ntt_json_kv_string(j, "figure", ntt_entropy_dim_key(m->dim));
        ntt_json_kv_double(j, "before_end", (double)m->before_end_ns / 1e9);
        ntt_json_kv_double(j, "start", (double)m->start_ns / 1e9);
        ntt_json_kv_double(j, "end", (double)m->end_ns / 1e9);
        ntt_json_kv_double(j, "change_bits", m->after.bits - m->before.bits);
        json_figure(j, "before", &m->before);
        json_figure(j, "after", &m->after);
        ntt_json_end_object(j);
    }
    ntt_json_end_array(j);
}

void ntt_report_emit_entropy_json(const ntt_report_t *r, ntt_json_t *j)
{
    ntt_entropy_view_t *v = view_of(r);

    if (!v)
        return;
    ntt_json_key(j, "entropy");
    ntt_json_begin_object(j);
    ntt_json_kv_double(j, "window", (double)v->window_ns / 1e9);
    ntt_json_kv_uint(j, "max_addresses", v->max_addresses);
    ntt_json_kv_uint(j, "max_pairs", v->max_pairs);
    ntt_json_kv_uint(j, "windows", v->windows);
    ntt_json_kv_uint(j, "windows_with_uncounted", v->full_windows);
    ntt_json_kv_uint(j, "uncounted_packets", v->uncounted);
    ntt_json_kv_uint(j, "timeline_stride", v->stride);
    ntt_json_key(j, "timeline");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < v->timeline_count; i++)
        json_window(j, &v->timeline[i], false);
    if (v->has_open)
        json_window(j, &v->open, true);
    ntt_json_end_array(j);
    json_ranges(j, v);
    json_moves(j, v);
    ntt_json_key(j, "hosts");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < v->host_count && i < r->limits.top_n; i++)
        json_host(j, &v->hosts[i], true);
    ntt_json_end_array(j);
    ntt_json_end_object(j);
    g_free(v);
}
