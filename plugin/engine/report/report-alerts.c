/* report-alerts.c
 * The Alerts section of -z ntt,stats and the "alerts" array of
 * -z ntt,json: every episode the detectors raised in the capture, in order
 * of detection. Episodes belong to the capture, not to the report's
 * filter: a filter narrows the traffic statistics, never hides an attack.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include <inttypes.h>
#include <stdio.h>

#include "report/json-writer.h"

static const char *addr_or(const ntt_episode_t *ep, bool has,
                           const ntt_addr_t *addr, const char *otherwise,
                           char *buf)
{
    return has ? ntt_addr_format(addr, ep->ip_version, buf) : otherwise;
}

void ntt_report_render_alerts_text(const ntt_report_t *r, GString *out)
{
    uint32_t n = r->engine ? ntt_engine_episode_count(r->engine) : 0;
    unsigned per_type[NTT_EPISODE_TYPE_COUNT] = { 0 };

    if (n == 0)
        return;
    for (uint32_t i = 0; i < n; i++)
        per_type[ntt_engine_episode(r->engine, i)->type]++;
    g_string_append_printf(out, "\nAlerts: %u episode%s (", n, n == 1 ? "" : "s");
    for (unsigned t = 0, first = 1; t < NTT_EPISODE_TYPE_COUNT; t++) {
        if (!per_type[t])
            continue;
        g_string_append_printf(out, "%s%s %u", first ? "" : ", ",
                               ntt_episode_type_name((ntt_episode_type_t)t), per_type[t]);
        first = 0;
    }
    g_string_append(out, ")\n");
    g_string_append(out, "  #  type        source                  target                  "
                         "start (UTC)           duration   frames          packets  size\n");
    for (uint32_t i = 0; i < n; i++) {
        const ntt_episode_t *ep = ntt_engine_episode(r->engine, i);
        char src[NTT_ADDR_STRLEN], dst[NTT_ADDR_STRLEN], when[40], frames[40], size[64];

        snprintf(frames, sizeof frames, "%u-%u@%u", ep->first_frame, ep->last_frame,
                 ep->detect_frame);
        g_string_append_printf(out, "%3u  %-10s  %-22s  %-22s  %-20s %8.3fs  %-14s %8" PRIu64 "  %s\n",
                               ep->id, ntt_episode_type_name((ntt_episode_type_t)ep->type),
                               addr_or(ep, ep->has_src, &ep->src, "(many)", src),
                               addr_or(ep, ep->has_dst, &ep->dst, "(many)", dst),
                               ntt_format_utc(ep->start_ns, when, sizeof when),
                               (double)(ep->end_ns - ep->start_ns) / 1e9,
                               frames, ep->packets,
                               ntt_episode_size_text(ep, size, sizeof size));
    }
    g_string_append(out, "  (frames: first-last@detected)\n");
}

/* The attacker's country and AS, when the databases place it. */
static void visit_source_geo(const ntt_report_t *r, const ntt_episode_t *ep,
                             const ntt_field_sink_t *sink)
{
    const ntt_geo_info_t *info = ntt_engine_attacker_geo(r->engine, ep);

    if (!info)
        return;
    if (info->country[0])
        sink->string(sink->ctx, "src_country", info->country);
    if (info->asn)
        sink->uint(sink->ctx, "src_asn", info->asn);
    if (info->org)
        sink->string(sink->ctx, "src_org", info->org);
}

/* The type's detail fields, as its descriptor lists them. */
static void visit_detail(const ntt_episode_t *ep, const ntt_field_sink_t *sink)
{
    const ntt_episode_descriptor_t *desc = ntt_episode_describe((ntt_episode_type_t)ep->type);

    for (unsigned i = 0; desc && i < desc->field_count; i++) {
        const ntt_episode_field_t *field = &desc->fields[i];

        if (field->only_if_set && !ntt_episode_field_is_set(field, &ep->detail))
            continue;
        switch (ntt_episode_field_value(field)) {
        case NTT_EPISODE_VALUE_UINT:
            sink->uint(sink->ctx, field->key, ntt_episode_field_uint(field, &ep->detail));
            break;
        case NTT_EPISODE_VALUE_REAL:
            sink->number(sink->ctx, field->key, ntt_episode_field_rate(field, &ep->detail));
            break;
        default:
            sink->string(sink->ctx, field->key, ntt_episode_field_string(field, &ep->detail));
            break;
        }
    }
}

void ntt_report_visit_alert(const ntt_report_t *r, const ntt_episode_t *ep,
                            const ntt_field_sink_t *sink)
{
    char buf[NTT_ADDR_STRLEN];
    void *ctx = sink->ctx;

    sink->string(ctx, "type", ntt_episode_type_name((ntt_episode_type_t)ep->type));
    sink->string(ctx, "src", ep->has_src ? ntt_addr_format(&ep->src, ep->ip_version, buf)
                                         : NULL);
    sink->string(ctx, "dst", ep->has_dst ? ntt_addr_format(&ep->dst, ep->ip_version, buf)
                                         : NULL);
    if (ep->has_port)
        sink->uint(ctx, "port", ep->port);
    sink->uint(ctx, "episode", ep->id);
    sink->uint(ctx, "first_frame", ep->first_frame);
    sink->uint(ctx, "detect_frame", ep->detect_frame);
    sink->uint(ctx, "last_frame", ep->last_frame);
    sink->uint(ctx, "packets", ep->packets);
    sink->number(ctx, "start", (double)ep->start_ns / 1e9);
    sink->number(ctx, "detect", (double)ep->detect_ns / 1e9);
    sink->number(ctx, "end", (double)ep->end_ns / 1e9);
    visit_detail(ep, sink);
    visit_source_geo(r, ep, sink);
}

void ntt_report_emit_alerts_json(const ntt_report_t *r, ntt_json_t *j)
{
    uint32_t n = r->engine ? ntt_engine_episode_count(r->engine) : 0;
    ntt_field_sink_t sink;

    ntt_json_field_sink(j, &sink);
    ntt_json_key(j, "alerts");
    ntt_json_begin_array(j);
    for (uint32_t i = 0; i < n; i++) {
        ntt_json_begin_object(j);
        ntt_report_visit_alert(r, ntt_engine_episode(r->engine, i), &sink);
        ntt_json_end_object(j);
    }
    ntt_json_end_array(j);
}
