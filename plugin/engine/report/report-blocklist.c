/* report-blocklist.c
 * The Blocklist section of -z ntt,stats and the "blocklist" object of
 * -z ntt,json: per internal host, the blocklisted destinations it
 * contacted (or looked up), when, how many bytes it received from them --
 * the evidence of a download -- the first HTTP request URI, and where the
 * destination is. Built from the blocklist episodes, so it belongs to the
 * capture as the Alerts section does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntt/evidence.h"
#include "report/json-writer.h"

/* The blocklist episodes, grouped by host (then in order of detection). */
static int compare_by_host(const void *pa, const void *pb)
{
    const ntt_episode_t *a = *(const ntt_episode_t *const *)pa;
    const ntt_episode_t *b = *(const ntt_episode_t *const *)pb;
    int c;

    if (a->ip_version != b->ip_version)
        return a->ip_version < b->ip_version ? -1 : 1;
    c = memcmp(a->src.bytes, b->src.bytes, sizeof a->src.bytes);
    if (c)
        return c;
    return a->id < b->id ? -1 : (a->id > b->id);
}

static const ntt_episode_t **blocklist_episodes(const ntt_report_t *r, unsigned *n)
{
    uint32_t total = r->engine ? ntt_engine_episode_count(r->engine) : 0;
    const ntt_episode_t **eps = g_new(const ntt_episode_t *, total + 1);

    *n = 0;
    for (uint32_t i = 0; i < total; i++) {
        const ntt_episode_t *ep = ntt_engine_episode(r->engine, i);

        if (ep->type == NTT_EPISODE_BLOCKLIST)
            eps[(*n)++] = ep;
    }
    qsort(eps, *n, sizeof eps[0], compare_by_host);
    return eps;
}

static bool same_host(const ntt_episode_t *a, const ntt_episode_t *b)
{
    return a->ip_version == b->ip_version &&
           memcmp(a->src.bytes, b->src.bytes, sizeof a->src.bytes) == 0;
}

/* The destination's country, "" when unknown. */
static const char *dst_country(const ntt_report_t *r, const ntt_episode_t *ep)
{
    const ntt_geo_info_t *info = ntt_evidence_dst_geo(r->engine, ep);

    return info ? info->country : "";
}

void ntt_report_render_blocklist_text(const ntt_report_t *r, GString *out)
{
    const ntt_blocklist_t *list = r->engine ? ntt_engine_blocklist(r->engine) : NULL;
    unsigned n;
    const ntt_episode_t **eps;

    if (!list)
        return;
    eps = blocklist_episodes(r, &n);
    g_string_append_printf(out, "\nBlocklist: %u entr%s, %u contact%s\n",
                           ntt_blocklist_size(list),
                           ntt_blocklist_size(list) == 1 ? "y" : "ies",
                           n, n == 1 ? "" : "s");
    for (unsigned i = 0; i < n; i++) {
        const ntt_episode_t *ep = eps[i];
        const ntt_blocklist_entry_t *entry =
            ntt_blocklist_entry(list, ep->detail.blocklist.entry);
        char host[NTT_ADDR_STRLEN], dst[NTT_ADDR_STRLEN], first[40], last[40];
        const char *country = dst_country(r, ep);

        if (i == 0 || !same_host(eps[i - 1], ep))
            g_string_append_printf(out, "  host %s\n",
                                   ntt_addr_format(&ep->src, ep->ip_version, host));
        g_string_append_printf(out, "    %s (%s, line %u) -> %s%s%s%s\n",
                               entry ? entry->text : "?",
                               entry ? ntt_indicator_name((ntt_indicator_t)entry->indicator) : "?",
                               entry ? entry->line : 0,
                               ep->has_dst ? ntt_addr_format(&ep->dst, ep->ip_version, dst)
                                           : "(not contacted)",
                               *country ? " [" : "", country, *country ? "]" : "");
        g_string_append_printf(out, "      first %s  last %s  packets %" PRIu64
                               "  received %" PRIu64 " bytes  episode %u\n",
                               ntt_format_utc(ep->start_ns, first, sizeof first),
                               ntt_format_utc(ep->end_ns, last, sizeof last),
                               ep->packets, ep->detail.blocklist.bytes_received, ep->id);
        if (ep->detail.blocklist.uri)
            g_string_append_printf(out, "      uri %s\n", ep->detail.blocklist.uri);
    }
    g_free(eps);
}

void ntt_report_emit_blocklist_json(const ntt_report_t *r, ntt_json_t *j)
{
    const ntt_blocklist_t *list = r->engine ? ntt_engine_blocklist(r->engine) : NULL;
    unsigned n;
    const ntt_episode_t **eps;

    ntt_json_key(j, "blocklist");
    if (!list) {
        ntt_json_null(j);
        return;
    }
    eps = blocklist_episodes(r, &n);
    ntt_json_begin_object(j);
    ntt_json_kv_uint(j, "entries", ntt_blocklist_size(list));
    ntt_json_key(j, "hosts");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < n; i++) {
        const ntt_episode_t *ep = eps[i];
        const ntt_blocklist_entry_t *entry =
            ntt_blocklist_entry(list, ep->detail.blocklist.entry);
        const char *country = dst_country(r, ep);
        char buf[NTT_ADDR_STRLEN];

        if (i == 0 || !same_host(eps[i - 1], ep)) {
            if (i > 0) {
                ntt_json_end_array(j);
                ntt_json_end_object(j);
            }
            ntt_json_begin_object(j);
            ntt_json_kv_string(j, "host", ntt_addr_format(&ep->src, ep->ip_version, buf));
            ntt_json_key(j, "destinations");
            ntt_json_begin_array(j);
        }
        ntt_json_begin_object(j);
        ntt_json_kv_string(j, "entry", entry ? entry->text : "");
        ntt_json_kv_string(j, "indicator",
                           entry ? ntt_indicator_name((ntt_indicator_t)entry->indicator) : "");
        ntt_json_kv_uint(j, "line", entry ? entry->line : 0);
        ntt_json_key(j, "dst");
        if (ep->has_dst)
            ntt_json_string(j, ntt_addr_format(&ep->dst, ep->ip_version, buf));
        else
            ntt_json_null(j);
        if (*country)
            ntt_json_kv_string(j, "country", country);
        ntt_json_kv_double(j, "first", (double)ep->start_ns / 1e9);
        ntt_json_kv_double(j, "last", (double)ep->end_ns / 1e9);
        ntt_json_kv_uint(j, "packets", ep->packets);
        ntt_json_kv_uint(j, "bytes_received", ep->detail.blocklist.bytes_received);
        if (ep->detail.blocklist.uri)
            ntt_json_kv_string(j, "uri", ep->detail.blocklist.uri);
        ntt_json_kv_uint(j, "episode", ep->id);
        ntt_json_end_object(j);
    }
    if (n) {
        ntt_json_end_array(j);
        ntt_json_end_object(j);
    }
    ntt_json_end_array(j);
    ntt_json_end_object(j);
    g_free(eps);
}
