/* detect-harness.c
 * See detect-harness.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "detect-harness.h"

#include "ntt/engine.h"

struct detect_harness {
    const ntt_detector_ops_t *ops;
    void                     *state;
    ntt_engine_t             *engine;
    ntt_detect_sink_t         sink;
    GArray                   *marks;        /* recorded_mark_t */
    GHashTable               *last_state;   /* flow id + 1 -> state + 1 */
    uint32_t                  frame;        /* the packet being fed */
    unsigned                  evictions[NTT_ALERT_TYPE_COUNT];
};

static void record_mark(void *ctx, const ntt_detect_mark_t *mark)
{
    detect_harness_t *h = ctx;
    recorded_mark_t r = { h->frame, *mark };

    g_array_append_val(h->marks, r);
}

static void record_eviction(void *ctx, ntt_alert_type_t type)
{
    detect_harness_t *h = ctx;

    if (type < NTT_ALERT_TYPE_COUNT)
        h->evictions[type]++;
}

detect_harness_t *harness_new(const ntt_detector_ops_t *ops,
                              const ntt_detect_config_t *config)
{
    return harness_new_geo(ops, config, NULL);
}

detect_harness_t *harness_new_geo(const ntt_detector_ops_t *ops,
                                  const ntt_detect_config_t *config, ntt_geo_t *geo)
{
    detect_harness_t *h = g_new0(detect_harness_t, 1);
    ntt_detect_config_t detector_config = *config;
    ntt_config_t engine_config;

    ntt_config_init(&engine_config);
    engine_config.detect.enabled = false;      /* only the detector under test */
    engine_config.geo = geo;
    detector_config.geo = geo;
    h->ops = ops;
    h->state = ops->create(&detector_config);
    h->engine = ntt_engine_new(&engine_config);
    h->sink.emit = record_mark;
    h->sink.evicted = record_eviction;
    h->sink.ctx = h;
    h->marks = g_array_new(FALSE, FALSE, sizeof(recorded_mark_t));
    h->last_state = g_hash_table_new(g_direct_hash, g_direct_equal);
    return h;
}

void harness_free(detect_harness_t *h)
{
    h->ops->destroy(h->state);
    ntt_engine_unref(h->engine);
    g_array_free(h->marks, TRUE);
    g_hash_table_destroy(h->last_state);
    g_free(h);
}

void harness_feed(detect_harness_t *h, const ntt_packet_t *packet)
{
    ntt_frame_t stored;
    const ntt_frame_t *f = ntt_engine_process(h->engine, packet, &stored) ? &stored : NULL;
    ntt_detect_input_t in;
    gpointer key, prev;

    h->frame = packet->frame;
    if (f && packet->ip_version == 0 && packet->is_arp) {
        if (h->ops->arp)
            h->ops->arp(h->state, packet, &h->sink);
        return;
    }
    if (!f || !f->has_flow || packet->ip_version == 0)
        return;
    key = GUINT_TO_POINTER(f->flow.flow_id + 1);
    prev = g_hash_table_lookup(h->last_state, key);
    in.pkt = packet;
    in.flow = &f->flow;
    in.summary = ntt_engine_flow(h->engine, f->flow.flow_id);
    in.prev_state = prev ? (uint8_t)(GPOINTER_TO_UINT(prev) - 1) : NTT_STATE_NONE;
    g_hash_table_insert(h->last_state, key, GUINT_TO_POINTER(f->flow.state + 1u));
    h->ops->packet(h->state, &in, &h->sink);
}

const GArray *harness_marks(const detect_harness_t *h)
{
    return h->marks;
}

unsigned harness_raise_count(const detect_harness_t *h, ntt_alert_type_t type)
{
    unsigned n = 0;

    for (guint i = 0; i < h->marks->len; i++) {
        const recorded_mark_t *r = &g_array_index(h->marks, recorded_mark_t, i);

        if (r->mark.raise && (type == NTT_ALERT_TYPE_COUNT || r->mark.info.type == type))
            n++;
    }
    return n;
}

const recorded_mark_t *harness_raise(const detect_harness_t *h,
                                     ntt_alert_type_t type, unsigned i)
{
    for (guint j = 0; j < h->marks->len; j++) {
        const recorded_mark_t *r = &g_array_index(h->marks, recorded_mark_t, j);

        if (r->mark.raise && (type == NTT_ALERT_TYPE_COUNT || r->mark.info.type == type) &&
            i-- == 0)
            return r;
    }
    return NULL;
}

unsigned harness_frames_of_token(const detect_harness_t *h, uint32_t token)
{
    unsigned n = 0;
    uint32_t last = 0;

    for (guint i = 0; i < h->marks->len; i++) {
        const recorded_mark_t *r = &g_array_index(h->marks, recorded_mark_t, i);

        if (r->mark.token == token && r->frame != last) {
            n++;
            last = r->frame;
        }
    }
    return n;
}

unsigned harness_evictions(const detect_harness_t *h, ntt_alert_type_t type)
{
    return type < NTT_ALERT_TYPE_COUNT ? h->evictions[type] : 0;
}
