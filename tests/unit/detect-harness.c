/* detect-harness.c
 * See detect-harness.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "detect-harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "flow/flow-table.h"
#include "ntt/engine.h"

struct detect_harness {
    const ntt_detector_ops_t *ops;
    void                     *state;
    ntt_engine_t             *engine;
    ntt_detect_sink_t         sink;
    GArray                   *marks;        /* recorded_mark_t */
    GHashTable               *episodes;     /* token -> ntt_episode_t*, latest */
    GHashTable               *slots;        /* flow id + 1 -> void *[NTT_FLOW_SLOTS] */
    GByteArray               *openers;      /* flow id -> ntt_opener_t */
    GHashTable               *finished;     /* flow id + 1: its TCP connection is over */
    uint32_t                  frame;        /* the packet being fed */
    unsigned                  evictions[NTT_EPISODE_TYPE_COUNT];
};

/* The current packet's record of t (the last one). */
static recorded_mark_t *last_record(detect_harness_t *h, uint32_t token)
{
    for (guint i = h->marks->len; i-- > 0;) {
        recorded_mark_t *r = &g_array_index(h->marks, recorded_mark_t, i);

        if (r->frame != h->frame)
            break;
        if (r->mark.token == token)
            return r;
    }
    return NULL;
}

static void record_mark(void *ctx, const ntt_tracker_t *t)
{
    detect_harness_t *h = ctx;
    const ntt_episode_t *ep = g_hash_table_lookup(h->episodes, GUINT_TO_POINTER(t->token));
    recorded_mark_t r = { h->frame, { t->token, false, t->count, { 0 } } };

    if (ep)
        r.mark.info = *ep;
    g_array_append_val(h->marks, r);
}

static void record_raise(void *ctx, const ntt_tracker_t *t, const ntt_episode_t *info)
{
    detect_harness_t *h = ctx;
    ntt_episode_t *ep = g_new(ntt_episode_t, 1);
    recorded_mark_t *r = last_record(h, t->token);

    *ep = *info;
    ep->first_frame = t->first_frame;
    ep->start_ns = t->start_ns;
    g_hash_table_insert(h->episodes, GUINT_TO_POINTER(t->token), ep);
    assert_non_null(r);                  /* raised after its mark */
    r->mark.raise = true;
    r->mark.info = *ep;
}

static void record_update(void *ctx, const ntt_tracker_t *t,
                          const ntt_episode_detail_t *detail, const ntt_addr_t *dst)
{
    detect_harness_t *h = ctx;
    ntt_episode_t *ep = g_hash_table_lookup(h->episodes, GUINT_TO_POINTER(t->token));
    recorded_mark_t *r = last_record(h, t->token);

    assert_non_null(ep);
    ntt_episode_detail_merge((ntt_episode_type_t)ep->type, &ep->detail, detail);
    if (dst && !ep->has_dst) {
        ep->has_dst = true;
        ep->dst = *dst;
    }
    if (r)
        r->mark.info = *ep;
}

static void record_eviction(void *ctx, ntt_episode_type_t type)
{
    detect_harness_t *h = ctx;

    if (type < NTT_EPISODE_TYPE_COUNT)
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
    ntt_detect_env_t env = { .slot = 0 };
    ntt_config_t engine_config;

    ntt_config_init(&engine_config);
    engine_config.detect.enabled = false;      /* only the detector under test */
    engine_config.geo = geo;
    detector_config.geo = geo;
    h->ops = ops;
    h->state = ops->create(&detector_config, &env);
    h->engine = ntt_engine_new(&engine_config);
    h->sink.mark = record_mark;
    h->sink.raise = record_raise;
    h->sink.update = record_update;
    h->sink.evicted = record_eviction;
    h->sink.ctx = h;
    h->marks = g_array_new(FALSE, FALSE, sizeof(recorded_mark_t));
    h->episodes = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    h->slots = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
    h->openers = g_byte_array_new();
    h->finished = g_hash_table_new(g_direct_hash, g_direct_equal);
    return h;
}

void harness_free(detect_harness_t *h)
{
    GHashTableIter it;
    gpointer slots;

    g_hash_table_iter_init(&it, h->slots);
    while (g_hash_table_iter_next(&it, NULL, &slots)) {
        if (((void **)slots)[0] && h->ops->slot_free)
            h->ops->slot_free(h->state, ((void **)slots)[0]);
    }
    if (h->state)
        h->ops->destroy(h->state);
    ntt_engine_unref(h->engine);
    g_array_free(h->marks, TRUE);
    g_hash_table_destroy(h->episodes);
    g_hash_table_destroy(h->slots);
    g_byte_array_free(h->openers, TRUE);
    g_hash_table_destroy(h->finished);
    g_free(h);
}

/* The detector's slots on a flow (the harness keeps them: no flow ends
 * here, so they live until harness_free). */
static void **flow_slots(detect_harness_t *h, uint32_t flow_id)
{
    gpointer key = GUINT_TO_POINTER(flow_id + 1);
    void **slots = g_hash_table_lookup(h->slots, key);

    if (!slots) {
        slots = g_new0(void *, NTT_FLOW_SLOTS);
        g_hash_table_insert(h->slots, key, slots);
    }
    return slots;
}

/* Whether a flow's TCP connection was over before this packet. */
static bool was_finished(const detect_harness_t *h, uint32_t flow_id)
{
    return g_hash_table_contains(h->finished, GUINT_TO_POINTER(flow_id + 1));
}

/* Whether it is over with it: both FINs or a RST, as the flow's state
 * tells (the engine's own TCP tracker decides the state). */
static bool now_finished(detect_harness_t *h, uint32_t flow_id,
                         const ntt_flow_summary_t *summary)
{
    switch (summary->state) {
    case NTT_STATE_SF: case NTT_STATE_REJ: case NTT_STATE_RSTO: case NTT_STATE_RSTR:
    case NTT_STATE_RSTOS0: case NTT_STATE_RSTRH:
        if (summary->ip_proto != NTT_IPPROTO_TCP)
            return false;
        g_hash_table_add(h->finished, GUINT_TO_POINTER(flow_id + 1));
        return true;
    default:
        return false;
    }
}

void harness_feed(detect_harness_t *h, const ntt_packet_t *packet)
{
    ntt_frame_t stored;
    const ntt_frame_t *f = ntt_engine_process(h->engine, packet, &stored) ? &stored : NULL;
    ntt_flow_event_t ev = { .pkt = packet };

    h->frame = packet->frame;
    if (!f)
        return;
    if (packet->ip_version == 0 && packet->is_arp) {
        ntt_flow_events_classify_arp(&ev);
    } else if (f->has_flow && packet->ip_version != 0) {
        ev.flow = &f->flow;
        ev.summary = ntt_engine_flow(h->engine, f->flow.flow_id);
        ev.slots = flow_slots(h, f->flow.flow_id);
        /* How the flow opened, kept as the engine keeps it on the flow. */
        if (h->openers->len <= f->flow.flow_id)
            g_byte_array_set_size(h->openers, f->flow.flow_id + 1);
        ev.opener = f->flow.new_flow ? NTT_OPENER_NONE : h->openers->data[f->flow.flow_id];
        {
            bool before = was_finished(h, f->flow.flow_id);

            ntt_flow_events_classify(&ev, before,
                                     now_finished(h, f->flow.flow_id, ev.summary));
        }
        h->openers->data[f->flow.flow_id] = ev.opener;
        if (h->ops->slot_free && ev.slots[0])
            ev.what |= NTT_EV_SLOTTED;
    } else {
        return;
    }
    /* A family whose create gave NULL is off under its configuration. */
    if (h->state && (ev.what & h->ops->events))
        h->ops->event(h->state, &ev, &h->sink);
}

bool harness_family_on(const detect_harness_t *h)
{
    return h->state != NULL;
}

const GArray *harness_marks(const detect_harness_t *h)
{
    return h->marks;
}

unsigned harness_raise_count(const detect_harness_t *h, ntt_episode_type_t type)
{
    unsigned n = 0;

    for (guint i = 0; i < h->marks->len; i++) {
        const recorded_mark_t *r = &g_array_index(h->marks, recorded_mark_t, i);

        if (r->mark.raise && (type == NTT_EPISODE_TYPE_COUNT || r->mark.info.type == type))
            n++;
    }
    return n;
}

const recorded_mark_t *harness_raise(const detect_harness_t *h,
                                     ntt_episode_type_t type, unsigned i)
{
    for (guint j = 0; j < h->marks->len; j++) {
        const recorded_mark_t *r = &g_array_index(h->marks, recorded_mark_t, j);

        if (r->mark.raise && (type == NTT_EPISODE_TYPE_COUNT || r->mark.info.type == type) &&
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

unsigned harness_evictions(const detect_harness_t *h, ntt_episode_type_t type)
{
    return type < NTT_EPISODE_TYPE_COUNT ? h->evictions[type] : 0;
}
