/* report-anomaly.c
 * The "Anomalous flows" section and the "anomaly" object: the flows the
 * anomaly model scores highest among those the report saw, each with the
 * features that stand out (docs/analytics.md). Rendering is the end of
 * the file for the report: the model is trained and the flows scored
 * here when nothing did it before (ntt_engine_anomaly_finish).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include <stdio.h>

#include "report/json-writer.h"

/* Features named per flow at most. */
#define REASONS 3

typedef struct scored {
    uint32_t id;
    double   score;
} scored_t;

static int compare_scored(const void *a, const void *b)
{
    const scored_t *x = a, *y = b;

    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    return x->id < y->id ? -1 : (x->id > y->id);
}

/* The n highest-scoring seen flows, highest first (ties: lower id), by
 * insertion into a small sorted array (no copy of every flow's score);
 * *count: the seen flows with a score. Free with g_free. */
static scored_t *top_scored(const ntt_report_t *r, unsigned n, unsigned *shown,
                            uint64_t *count)
{
    scored_t *top = g_new(scored_t, n + 1);
    unsigned filled = 0;

    *count = 0;
    for (uint32_t id = 0; id < r->flows->len; id++) {
        scored_t candidate = { id, 0 };
        unsigned pos;

        if (!ntt_report_flow_seen(&g_array_index(r->flows, ntt_report_flow_t, id)) ||
            !ntt_engine_flow_anomaly(r->engine, id, &candidate.score))
            continue;
        (*count)++;
        if (filled == n && compare_scored(&candidate, &top[n - 1]) >= 0)
            continue;
        pos = filled < n ? filled++ : n - 1;
        while (pos > 0 && compare_scored(&candidate, &top[pos - 1]) < 0) {
            top[pos] = top[pos - 1];
            pos--;
        }
        top[pos] = candidate;
    }
    *shown = filled;
    return top;
}

static const char *model_kind(const ntt_engine_t *engine)
{
    return ntt_engine_anomaly_is_baseline(engine) ? "baseline" : "self-trained";
}

void ntt_report_render_anomaly_text(const ntt_report_t *r, GString *out)
{
    const ntt_anomaly_model_t *model = r->engine ? ntt_engine_anomaly_model(r->engine) : NULL;
    unsigned shown;
    uint64_t count;
    scored_t *top;

    if (!model)
        return;
    top = top_scored(r, r->limits.top_n, &shown, &count);
    if (shown == 0) {
        g_free(top);
        return;
    }
    g_string_append_printf(out, "\nAnomalous flows (Isolation Forest, %s on %" G_GUINT64_FORMAT
                           " flows: %u trees of %u, seed %" G_GUINT64_FORMAT "; score 0-1, "
                           "above about 0.6 unusual)\n", model_kind(r->engine),
                           ntt_anomaly_model_flows(model), ntt_anomaly_model_trees(model),
                           ntt_anomaly_model_sample(model), ntt_anomaly_model_seed(model));
    g_string_append(out, "  Flow   Score  Proto  Originator                              "
                         "Responder                                Packets        Bytes"
                         "  Stands out\n");
    for (unsigned i = 0; i < shown; i++) {
        const ntt_flow_summary_t *f = ntt_engine_flow(r->engine, top[i].id);
        ntt_anomaly_reason_t why[REASONS];
        unsigned n = ntt_engine_anomaly_reasons(r->engine, top[i].id, why, REASONS);
        char src[NTT_ADDR_STRLEN + 8], dst[NTT_ADDR_STRLEN + 8], num[8];

        ntt_format_flow_end(f, NTT_DIR_ORIG, src, sizeof src);
        ntt_format_flow_end(f, NTT_DIR_RESP, dst, sizeof dst);
        g_string_append_printf(out, "  %-6u %5.3f  %-6s %-39s %-39s %8" G_GUINT64_FORMAT " %12"
                               G_GUINT64_FORMAT "  ", top[i].id, top[i].score,
                               ntt_ip_proto_name(f->ip_proto, num, sizeof num), src, dst,
                               (uint64_t)f->pkts[0] + f->pkts[1], f->bytes[0] + f->bytes[1]);
        for (unsigned k = 0; k < n; k++)
            g_string_append_printf(out, "%s%s", k ? "; " : "", why[k].text);
        g_string_append(out, n ? "\n" : "-\n");
    }
    g_free(top);
}

void ntt_report_emit_anomaly_json(const ntt_report_t *r, ntt_json_t *j)
{
    const ntt_anomaly_model_t *model = r->engine ? ntt_engine_anomaly_model(r->engine) : NULL;
    unsigned shown = 0;
    uint64_t count = 0;
    scored_t *top = model ? top_scored(r, r->limits.top_n, &shown, &count) : NULL;

    ntt_json_key(j, "anomaly");
    ntt_json_begin_object(j);
    ntt_json_key(j, "model");
    if (model)
        ntt_json_string(j, model_kind(r->engine));
    else
        ntt_json_null(j);
    if (model) {
        ntt_json_kv_uint(j, "trees", ntt_anomaly_model_trees(model));
        ntt_json_kv_uint(j, "sample", ntt_anomaly_model_sample(model));
        ntt_json_kv_uint(j, "seed", ntt_anomaly_model_seed(model));
        ntt_json_kv_uint(j, "training_flows", ntt_anomaly_model_flows(model));
    }
    ntt_json_kv_uint(j, "scored_flows", count);
    ntt_json_key(j, "top");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < shown; i++) {
        const ntt_flow_summary_t *f = ntt_engine_flow(r->engine, top[i].id);
        ntt_anomaly_reason_t why[REASONS];
        unsigned n = ntt_engine_anomaly_reasons(r->engine, top[i].id, why, REASONS);

        ntt_json_begin_object(j);
        ntt_json_kv_uint(j, "id", top[i].id);
        ntt_json_kv_double(j, "score", top[i].score);
        ntt_report_emit_flow_identity(j, f);
        ntt_json_kv_uint(j, "total_packets", (uint64_t)f->pkts[0] + f->pkts[1]);
        ntt_json_kv_uint(j, "total_bytes", f->bytes[0] + f->bytes[1]);
        ntt_json_key(j, "stands_out");
        ntt_json_begin_array(j);
        for (unsigned k = 0; k < n; k++) {
            ntt_json_begin_object(j);
            ntt_json_kv_string(j, "feature", why[k].feature);
            ntt_json_kv_double(j, "value", why[k].value);
            ntt_json_kv_double(j, "median", why[k].median);
            ntt_json_kv_string(j, "text", why[k].text);
            ntt_json_end_object(j);
        }
        ntt_json_end_array(j);
        ntt_json_end_object(j);
    }
    ntt_json_end_array(j);
    ntt_json_end_object(j);
    g_free(top);
}
