/* report-json.c
 * -z ntt,json: the report as one JSON document, for automation. Key names
 * are part of ntt's interface: see docs/reports.md before renaming one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include "report/json-writer.h"

static void emit_counts(ntt_json_t *j, const char *key, const ntt_counts_t *c)
{
    ntt_json_key(j, key);
    ntt_json_begin_object(j);
    ntt_json_kv_uint(j, "packets", c->pkts);
    ntt_json_kv_uint(j, "bytes", c->bytes);
    ntt_json_end_object(j);
}

static void emit_summary(ntt_json_t *j, const ntt_report_t *r)
{
    char buf[32];
    double duration = ntt_report_duration(r);

    ntt_json_key(j, "summary");
    ntt_json_begin_object(j);
    ntt_json_kv_uint(j, "packets", r->packets);
    ntt_json_kv_uint(j, "bytes", r->bytes);
    ntt_json_kv_double(j, "duration", duration);
    if (r->packets > 0) {
        ntt_json_kv_double(j, "first_time", (double)r->first_ns / 1e9);
        ntt_json_kv_double(j, "last_time", (double)r->last_ns / 1e9);
        ntt_json_kv_string(j, "first_time_utc",
                           ntt_format_utc(r->first_ns, buf, sizeof buf));
        ntt_json_kv_double(j, "mean_packet_size",
                           (double)r->bytes / (double)r->packets);
    }
    ntt_json_kv_double(j, "mean_pps",
                       duration > 0 ? (double)r->packets / duration : 0.0);
    ntt_json_kv_uint(j, "peak_pps", r->rate.peak_pkts);
    ntt_json_kv_uint(j, "peak_second", (uint64_t)(r->rate.peak_bin > 0 ? r->rate.peak_bin : 0));
    ntt_json_end_object(j);
}

static void emit_protocols(ntt_json_t *j, const ntt_report_t *r)
{
    static const char *const keys[NTT_MIX_COUNT] = {
        "tcp", "udp", "icmp", "other_ip", "non_ip",
    };

    ntt_json_key(j, "protocols");
    ntt_json_begin_object(j);
    for (int m = 0; m < NTT_MIX_COUNT; m++)
        emit_counts(j, keys[m], &r->mix[m]);
    ntt_json_end_object(j);
}

static void emit_services(ntt_json_t *j, const ntt_report_t *r)
{
    unsigned n = ntt_service_count();

    ntt_json_key(j, "services");
    ntt_json_begin_array(j);
    for (unsigned s = 1; s <= n; s++) {
        unsigned idx = s < n ? s : 0;

        if (r->service_flows[idx] == 0)
            continue;
        ntt_json_begin_object(j);
        ntt_json_kv_string(j, "name", idx ? ntt_service_name((ntt_service_t)idx)
                                          : "unclassified");
        ntt_json_kv_uint(j, "flows", r->service_flows[idx]);
        ntt_json_kv_uint(j, "packets", r->services[idx].pkts);
        ntt_json_kv_uint(j, "bytes", r->services[idx].bytes);
        ntt_json_end_object(j);
    }
    ntt_json_end_array(j);
}

/* Who a flow is between and what it became: the part of a flow's fields
 * the Anomalous flows entries share with flows.top[]. */
static void visit_flow_identity(const ntt_flow_summary_t *f, const ntt_field_sink_t *sink)
{
    char a[NTT_ADDR_STRLEN], num[8];
    void *ctx = sink->ctx;

    sink->string(ctx, "proto", ntt_ip_proto_name(f->ip_proto, num, sizeof num));
    sink->string(ctx, "src", ntt_addr_format(&f->orig_addr, f->ip_version, a));
    sink->uint(ctx, "sport", f->orig_port);
    sink->string(ctx, "dst", ntt_addr_format(&f->resp_addr, f->ip_version, a));
    sink->uint(ctx, "dport", f->resp_port);
    sink->string(ctx, "service", ntt_service_name(f->service));
    sink->string(ctx, "state", ntt_conn_state_name((ntt_conn_state_t)f->state));
}

void ntt_report_emit_flow_identity(struct ntt_json *j, const ntt_flow_summary_t *f)
{
    ntt_field_sink_t sink;

    ntt_json_field_sink(j, &sink);
    visit_flow_identity(f, &sink);
}

void ntt_report_visit_flow_record(uint32_t id, const ntt_flow_summary_t *f,
                                  const ntt_report_flow_t *rf,
                                  const ntt_field_sink_t *sink)
{
    void *ctx = sink->ctx;

    sink->uint(ctx, "id", id);
    visit_flow_identity(f, sink);
    sink->uint(ctx, "packets", rf->pkts);
    sink->uint(ctx, "bytes", rf->bytes);
    sink->uint(ctx, "total_packets", (uint64_t)f->pkts[0] + f->pkts[1]);
    sink->uint(ctx, "total_bytes", f->bytes[0] + f->bytes[1]);
    sink->number(ctx, "start", (double)f->first_ns / 1e9);
    sink->number(ctx, "duration", (double)(f->last_ns - f->first_ns) / 1e9);
}

void ntt_report_visit_flow(const ntt_report_t *r, uint32_t id,
                           const ntt_field_sink_t *sink)
{
    ntt_report_visit_flow_record(id, ntt_engine_flow(r->engine, id),
                                 &g_array_index(r->flows, ntt_report_flow_t, id), sink);
}

static void emit_flow(ntt_json_t *j, const ntt_report_t *r, uint32_t id)
{
    ntt_field_sink_t sink;

    ntt_json_field_sink(j, &sink);
    ntt_json_begin_object(j);
    ntt_report_visit_flow(r, id, &sink);
    ntt_json_end_object(j);
}

static void emit_flows(ntt_json_t *j, const ntt_report_t *r)
{
    const ntt_engine_t *engine = r->engine;
    uint64_t by_state[NTT_STATE_COUNT];
    ntt_ranked_t *top = g_new(ntt_ranked_t, r->limits.top_n);
    unsigned n = ntt_report_top_flows(r, top, r->limits.top_n);

    ntt_report_flows_by_state(r, by_state);
    ntt_json_key(j, "flows");
    ntt_json_begin_object(j);
    ntt_json_kv_uint(j, "count", r->flows_seen);
    ntt_json_key(j, "by_state");
    ntt_json_begin_object(j);
    for (int s = 1; s < NTT_STATE_COUNT; s++) {
        if (by_state[s])
            ntt_json_kv_uint(j, ntt_conn_state_name((ntt_conn_state_t)s),
                             by_state[s]);
    }
    ntt_json_end_object(j);
    ntt_json_key(j, "top");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < n; i++) {
        if (ntt_engine_flow(engine, top[i].index))
            emit_flow(j, r, top[i].index);
    }
    ntt_json_end_array(j);
    ntt_json_end_object(j);
    g_free(top);
}

static void emit_talkers(ntt_json_t *j, const ntt_report_t *r)
{
    unsigned count;
    ntt_talker_t **sorted = ntt_report_sorted_talkers(r, &count);
    unsigned shown = count < r->limits.top_n ? count : r->limits.top_n;

    ntt_json_key(j, "talkers");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < shown; i++) {
        char addr[NTT_ADDR_STRLEN];

        ntt_json_begin_object(j);
        ntt_json_kv_string(j, "address",
                           ntt_addr_format(&sorted[i]->addr,
                                           sorted[i]->ip_version, addr));
        ntt_json_kv_uint(j, "packets_sent", sorted[i]->pkts_sent);
        ntt_json_kv_uint(j, "packets_received", sorted[i]->pkts_received);
        ntt_json_kv_uint(j, "bytes_sent", sorted[i]->bytes_sent);
        ntt_json_kv_uint(j, "bytes_received", sorted[i]->bytes_received);
        ntt_json_end_object(j);
    }
    ntt_json_end_array(j);
    ntt_json_kv_uint(j, "talkers_total", count);
    ntt_json_key(j, "talkers_table_full");
    ntt_json_bool(j, r->talkers_full);
    g_free(sorted);
}

void ntt_report_render_json(const ntt_report_t *r, GString *out)
{
    ntt_json_t j;

    /* Rendering is the end of the file: flows still open end with it. */
    if (r->engine)
        ntt_engine_anomaly_finish(r->engine);
    ntt_json_init(&j, out, 2);
    ntt_json_begin_object(&j);
    ntt_json_kv_string(&j, "tool", "ntt");
    ntt_json_key(&j, "filter");
    if (r->filter)
        ntt_json_string(&j, r->filter);
    else
        ntt_json_null(&j);
    emit_summary(&j, r);
    emit_protocols(&j, r);
    emit_services(&j, r);
    emit_flows(&j, r);
    emit_talkers(&j, r);
    if (r->packets > 0)
        ntt_report_emit_time_json(r, &j);
    ntt_report_emit_alerts_json(r, &j);
    ntt_report_emit_anomaly_json(r, &j);
    ntt_report_emit_entropy_json(r, &j);
    ntt_report_emit_geo_json(r, &j);
    ntt_report_emit_blocklist_json(r, &j);
    if (r->engine)
        ntt_report_emit_engine_json(r, &j);
    ntt_json_end_object(&j);
    g_string_append_c(out, '\n');
}
