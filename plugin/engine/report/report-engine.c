/* report-engine.c
 * The Engine section and the "engine" object: live flows, the memcap, the
 * bytes each live table took at its peak, emergency mode (when it
 * engaged, how often, what it dropped), and what replay keeps for the
 * whole file outside the cap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include "report/json-writer.h"

static double mib(uint64_t bytes)
{
    return (double)bytes / (1024.0 * 1024.0);
}

static void render_tables(const ntt_engine_t *engine, unsigned count, GString *out)
{
    g_string_append(out, "  Live table            Peak bytes   Expired early  Evicted early"
                         "    Not kept\n");
    for (unsigned i = 0; i < count; i++) {
        ntt_table_memory_t t;

        /* A table that never held anything (a detector with nothing to
         * watch) says nothing; the JSON lists every table. */
        if (!ntt_engine_table_memory(engine, i, &t) || t.peak_bytes == 0)
            continue;
        g_string_append_printf(out, "  %-19s %12" G_GUINT64_FORMAT " %15" G_GUINT64_FORMAT
                               " %14" G_GUINT64_FORMAT " %11" G_GUINT64_FORMAT "\n",
                               t.name, t.peak_bytes, t.emergency_expired,
                               t.emergency_evicted, t.refused);
    }
}

void ntt_report_render_engine_text(const ntt_report_t *r, GString *out)
{
    const ntt_engine_t *engine = r->engine;
    ntt_engine_counters_t c;
    ntt_engine_memory_t m;

    if (!engine)
        return;
    ntt_engine_counters(engine, &c);
    ntt_engine_memory(engine, &m);
    g_string_append(out, "\nEngine\n");
    g_string_append_printf(out, "  Live flows:        peak %u; %" G_GUINT64_FORMAT
                           " expired idle, %" G_GUINT64_FORMAT " evicted at ntt.max_flows\n",
                           c.peak_live_flows, c.expired_flows, c.evicted_flows);
    /* Said only when it happened: a capture of one direction. */
    if (c.unseen_replies)
        g_string_append_printf(out, "  One-way traffic:   %" G_GUINT64_FORMAT " TCP connection%s "
                               "completed without their SYN-ACK in the capture: replies "
                               "travel a path it does not see, so silence there is not "
                               "taken for failure\n", c.unseen_replies,
                               c.unseen_replies == 1 ? "" : "s");
    if (m.memcap_bytes)
        g_string_append_printf(out, "  Memory cap:        %.1f MiB (ntt.memcap); live tables "
                               "at peak %.1f MiB (%" G_GUINT64_FORMAT " bytes)\n",
                               mib(m.memcap_bytes), mib(m.peak_bytes), m.peak_bytes);
    else
        g_string_append_printf(out, "  Memory cap:        none; live tables at peak %.1f MiB (%"
                               G_GUINT64_FORMAT " bytes)\n", mib(m.peak_bytes), m.peak_bytes);
    if (m.emergency_count == 0)
        g_string_append(out, "  Emergency mode:    never engaged\n");
    else
        g_string_append_printf(out, "  Emergency mode:    engaged %u time%s, first at frame %u, "
                               "last at frame %u; %s at the end\n",
                               m.emergency_count, m.emergency_count == 1 ? "" : "s",
                               m.first_emergency_frame, m.last_emergency_frame,
                               m.emergency_now ? "still on" : "off");
    render_tables(engine, m.table_count, out);
    g_string_append_printf(out, "  Kept for replay (not capped): per-frame results %.1f MiB, "
                           "flow records %.1f MiB, anomaly features %.1f MiB\n",
                           mib(m.frame_bytes), mib(m.flow_record_bytes), mib(m.anomaly_bytes));
}

void ntt_report_emit_engine_json(const ntt_report_t *r, ntt_json_t *j)
{
    const ntt_engine_t *engine = r->engine;
    ntt_engine_counters_t c;
    ntt_engine_memory_t m;

    ntt_engine_counters(engine, &c);
    ntt_engine_memory(engine, &m);
    ntt_json_key(j, "engine");
    ntt_json_begin_object(j);
    ntt_json_kv_uint(j, "packets", c.packets);
    ntt_json_kv_uint(j, "flows", ntt_engine_flow_count(engine));
    ntt_json_kv_uint(j, "peak_live_flows", c.peak_live_flows);
    ntt_json_kv_uint(j, "expired_flows", c.expired_flows);
    ntt_json_kv_uint(j, "evicted_flows", c.evicted_flows);
    ntt_json_kv_uint(j, "unseen_replies", c.unseen_replies);
    ntt_json_kv_uint(j, "replay_bytes", c.replay_bytes);
    ntt_json_kv_uint(j, "replay_frames", c.replay_frames);

    ntt_json_key(j, "memory");
    ntt_json_begin_object(j);
    ntt_json_kv_uint(j, "memcap_bytes", m.memcap_bytes);
    ntt_json_kv_uint(j, "peak_bytes", m.peak_bytes);
    ntt_json_kv_uint(j, "bytes_at_end", m.used_bytes);
    ntt_json_key(j, "emergency");
    ntt_json_begin_object(j);
    ntt_json_kv_uint(j, "engaged", m.emergency_count);
    ntt_json_kv_uint(j, "first_frame", m.first_emergency_frame);
    ntt_json_kv_uint(j, "last_frame", m.last_emergency_frame);
    ntt_json_key(j, "on_at_end");
    ntt_json_bool(j, m.emergency_now);
    ntt_json_end_object(j);
    ntt_json_key(j, "tables");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < m.table_count; i++) {
        ntt_table_memory_t t;

        if (!ntt_engine_table_memory(engine, i, &t))
            continue;
        ntt_json_begin_object(j);
        ntt_json_kv_string(j, "name", t.name);
        ntt_json_kv_uint(j, "peak_bytes", t.peak_bytes);
        ntt_json_kv_uint(j, "bytes_at_end", t.bytes);
        ntt_json_kv_uint(j, "emergency_expired", t.emergency_expired);
        ntt_json_kv_uint(j, "emergency_evicted", t.emergency_evicted);
        ntt_json_kv_uint(j, "refused", t.refused);
        ntt_json_end_object(j);
    }
    ntt_json_end_array(j);
    ntt_json_key(j, "replay");
    ntt_json_begin_object(j);
    ntt_json_kv_uint(j, "frame_bytes", m.frame_bytes);
    ntt_json_kv_uint(j, "flow_record_bytes", m.flow_record_bytes);
    ntt_json_kv_uint(j, "anomaly_bytes", m.anomaly_bytes);
    ntt_json_end_object(j);
    ntt_json_end_object(j);

    ntt_json_end_object(j);
}
