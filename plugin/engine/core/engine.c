/* engine.c
 * From a packet record to its flow results: find or open the flow, count
 * the packet, advance the connection state, hand the packet to the attack
 * detectors, store the answer per frame.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/engine.h"

#include <string.h>

#include <glib.h>

#include "analytics/anomaly.h"
#include "analytics/time-of-day.h"
#include "analytics/entropy-timeline.h"
#include "flow/conn-size.h"
#include "flow/conn-state.h"
#include "core/engine-detectors.h"
#include "core/episode-book.h"
#include "flow/flow-table.h"
#include "core/frame-store.h"
#include "flow/flow-events.h"
#include "util/memcap.h"

/* One detector family at work in this engine. */
typedef struct running_detector {
    const ntt_detector_ops_t *ops;
    void                     *state;
    int                       slot;    /* in the flows' slots, or -1 */
    uint32_t                  events;  /* ops->events, beside the rest: the
                                          ops are read only when called */
} running_detector_t;

struct ntt_engine {
    ntt_config_t          config;
    ntt_memcap_t         *memcap;      /* the live tables' budget and seed */
    uint32_t              engagements; /* emergency engagements seen */
    uint32_t              first_emergency_frame;
    uint32_t              last_emergency_frame;
    ntt_flow_table_t      live;        /* flows that may still see packets */
    GArray               *summaries;   /* ntt_flow_summary_t, index = id */
    GArray               *conn_records; /* ntt_conn_record_t, index = id;
                                          NULL unless config.conn_records */
    int                   conn_slot;   /* the flows' slot of their
                                          ntt_conn_size_t, or -1 */
    ntt_frame_store_t     frames;
    ntt_engine_counters_t counters;
    unsigned              refs;
    bool                  table_full_noted;
    uint32_t              table_full_frame;    /* where it was noted */
    GArray               *detectors;   /* running_detector_t */
    ntt_detect_sink_t     sink;
    ntt_episode_book_t    book;
    uint16_t              trackers_full_noted; /* bit per episode type */
    uint32_t              trackers_full_frame[NTT_EPISODE_TYPE_COUNT];
    ntt_time_of_day_t     time_of_day; /* zone and working hours */
    ntt_frame_t          *current;     /* the result being built */
    uint32_t              current_frame;
    int64_t               current_ns;
    ntt_anomaly_t        *anomaly;     /* per-flow features and scores */
    bool                  closing;     /* unref: flows are dropped, not ended */
    ntt_entropy_t        *entropy;     /* NULL: none asked for */
};

void ntt_config_init(ntt_config_t *config)
{
    memset(config, 0, sizeof *config);
    ntt_detect_config_init(&config->detect);
    ntt_anomaly_config_init(&config->anomaly);
    /* Zeek's TCP inactivity timeout; long enough that ordinary sessions
     * are never split, short enough that a reused 5-tuple hours later is a
     * new flow. */
    config->flow_timeout_ns = 300 * NTT_NS_PER_SEC;
    /* About 120 bytes per live flow: 30 MB at most. */
    config->max_flows = 250000;
    /* docs/design.md, "Memory": over three times what 100 s of a
     * 2,000-host network at 2,000 packets/s takes at its peak (14 MiB),
     * and small enough that a flood of a million spoofed sources keeps
     * tshark within 15 % of its own peak memory (the rest of those 15 %
     * is the per-frame replay data, which no cap may drop). */
    config->memcap_bytes = UINT64_C(48) << 20;
    /* docs/analytics.md, "Entropy": long enough that a window of ordinary
     * traffic holds a few hundred packets, short enough to show when a
     * flood or a scan starts and stops. */
    config->entropy_window_ns = 10 * NTT_NS_PER_SEC;
    /* Room for a spoofed flood of 800 packets/s for the whole window
     * (every packet a new source, every answer a new destination) in
     * at most about 6.5 MiB of the memcap. */
    config->entropy_max_addresses = 16384;
}

static void free_slots(void *ctx, ntt_live_flow_t *flow);

ntt_engine_t *ntt_engine_new(const ntt_config_t *config)
{
    ntt_engine_t *engine = g_new0(ntt_engine_t, 1);

    engine->refs = 1;
    if (config)
        engine->config = *config;
    else
        ntt_config_init(&engine->config);
    if (engine->config.max_flows == 0)
        engine->config.max_flows = 1;
    engine->memcap = ntt_memcap_new(engine->config.memcap_bytes,
                                    engine->config.hash_seed);
    /* The detectors read the blocklist the engine now owns. */
    engine->config.detect.blocklist = engine->config.blocklist;
    engine->config.detect.geo = engine->config.geo;
    engine->config.detect.memcap = engine->memcap;
    ntt_time_of_day_init(&engine->time_of_day, engine->config.detect.time_zone,
                         engine->config.detect.work_hours, engine->config.detect.work_days);
    engine->config.detect.time_of_day = &engine->time_of_day;
    ntt_geo_use_memcap(engine->config.geo, engine->memcap);
    ntt_flow_table_init(&engine->live, engine->memcap, engine->config.flow_timeout_ns);
    engine->live.on_drop = free_slots;
    engine->live.on_drop_ctx = engine;
    engine->summaries = g_array_new(FALSE, TRUE, sizeof(ntt_flow_summary_t));
    ntt_frame_store_init(&engine->frames);
    engine->detectors = g_array_new(FALSE, TRUE, sizeof(running_detector_t));
    ntt_episode_book_init(&engine->book);
    engine->anomaly = ntt_anomaly_new(&engine->config.anomaly, engine->summaries);
    engine->config.anomaly.model = NULL;     /* the anomaly part's now */
    if (engine->config.detect.enabled)
        ntt_engine_use_all_detectors(engine);
    engine->conn_slot = -1;
    if (engine->config.conn_records)
        ntt_engine_keep_conn_records(engine);
    /* After the detectors: its table comes last in the memory report. */
    if (engine->config.entropy_window_ns > 0)
        engine->entropy = ntt_entropy_new(engine->config.entropy_window_ns,
                                          engine->config.entropy_max_addresses,
                                          engine->memcap);
    return engine;
}

/* The next flow slot, and every flow one longer: only slots in use are
 * carried (flow/flow-table.h), so a slot is taken once its user runs. */
static int take_flow_slot(ntt_engine_t *engine)
{
    unsigned slot = engine->live.slot_count;

    ntt_flow_table_set_slots(&engine->live, slot + 1);
    return (int)slot;
}

bool ntt_engine_keep_conn_records(ntt_engine_t *engine)
{
    if (engine->conn_records)
        return true;
    /* Every flow needs its record from its first packet on. */
    if (engine->summaries->len > 0 || engine->live.slot_count >= NTT_FLOW_SLOTS)
        return false;
    engine->config.conn_records = true;
    engine->conn_slot = take_flow_slot(engine);
    engine->conn_records = g_array_new(FALSE, TRUE, sizeof(ntt_conn_record_t));
    return true;
}

/* The live flow's sequence tracker for its conn.log record, in the
 * engine's own flow slot, its bytes counted with the flow's. */
static size_t conn_size_bytes(void)
{
    return ntt_memcap_malloc_size(sizeof(ntt_conn_size_t));
}

/* Made with the flow, while it is the table's newest: the memcap's
 * relief never drops the newest flow, the one this packet works on. */
static void open_conn_size(ntt_engine_t *engine, ntt_live_flow_t *flow)
{
    if (!ntt_memcap_reserve(engine->live.account, conn_size_bytes()))
        ntt_memcap_charge(engine->live.account, conn_size_bytes());
    flow->slots[engine->conn_slot] = g_new0(ntt_conn_size_t, 1);
}

static void count_conn_record(ntt_engine_t *engine, ntt_live_flow_t *flow,
                              const ntt_packet_t *packet, ntt_dir_t dir)
{
    ntt_conn_size_t *size = flow->slots[engine->conn_slot];

    if (size)
        ntt_conn_size_count(size, &g_array_index(engine->conn_records, ntt_conn_record_t,
                                                 flow->id),
                            packet, dir, ntt_tcp_both_closed(&flow->tcp));
}

/* Where a frame keeps a token: its own slot, a free one, or -- when
 * every slot is taken -- one of a tracker that has not become an episode,
 * if this token has. A packet's first IP packet may be seen by many
 * trackers that never raise (a DNS query is a first contact, a datagram
 * to a host, ...); they must not crowd out an attack it belongs to.
 * NTT_FRAME_EPISODES when there is no room. */
static unsigned frame_slot(const ntt_engine_t *engine, const ntt_frame_t *f,
                           uint32_t token)
{
    unsigned free_slot = NTT_FRAME_EPISODES, idle_slot = NTT_FRAME_EPISODES;

    for (unsigned i = 0; i < NTT_FRAME_EPISODES; i++) {
        if (f->tokens[i] == token)
            return i;
        if (f->tokens[i] == 0 && free_slot == NTT_FRAME_EPISODES)
            free_slot = i;
        else if (f->tokens[i] && idle_slot == NTT_FRAME_EPISODES &&
                 !ntt_episode_book_by_token(&engine->book, f->tokens[i]))
            idle_slot = i;
    }
    if (free_slot < NTT_FRAME_EPISODES)
        return free_slot;
    return ntt_episode_book_by_token(&engine->book, token) ? idle_slot : NTT_FRAME_EPISODES;
}

/* The frame being built belongs to tracker t (with t's count so far). */
static void note_membership(ntt_engine_t *engine, const ntt_tracker_t *t)
{
    ntt_frame_t *f = engine->current;
    unsigned slot = frame_slot(engine, f, t->token);

    if (slot < NTT_FRAME_EPISODES) {
        f->tokens[slot] = t->token;
        f->counts[slot] = t->count > UINT32_MAX ? UINT32_MAX : (uint32_t)t->count;
    }
}

/* The detectors' calls land here: into the episode book and into the
 * frame being built (which trackers the packet belongs to). */
static void engine_mark(void *ctx, const ntt_tracker_t *t)
{
    ntt_engine_t *engine = ctx;

    if (!engine->current || t->token == 0)
        return;
    if (t->raised) {
        ntt_episode_book_extend(&engine->book, t, engine->current_frame,
                                engine->current_ns);
        /* Read again as the attack's packets fill the window: at 2, 4,
         * 8 ... packets, O(1) amortised. */
        if (engine->current->has_flow && (t->count & (t->count - 1)) == 0)
            ntt_entropy_remeasure(engine->entropy,
                                  ntt_episode_book_measured(&engine->book, t->token));
    }
    note_membership(engine, t);
}

static void engine_raise(void *ctx, const ntt_tracker_t *t, const ntt_episode_t *info)
{
    ntt_engine_t *engine = ctx;
    ntt_episode_t measured;

    if (!engine->current || t->token == 0)
        return;
    /* The entropy that corroborates it, from the window at detection. */
    measured = *info;
    ntt_entropy_corroborate(engine->entropy, &measured, engine->current->has_flow);
    ntt_episode_book_open(&engine->book, t, &measured, engine->current_frame,
                          engine->current_ns);
    /* Marked before it was an episode: it may now take an idle slot. */
    note_membership(engine, t);
}

static void engine_update(void *ctx, const ntt_tracker_t *t,
                          const ntt_episode_detail_t *detail, const ntt_addr_t *dst)
{
    ntt_engine_t *engine = ctx;

    ntt_episode_book_update(&engine->book, t, detail, dst);
}

static void engine_tracker_evicted(void *ctx, ntt_episode_type_t type)
{
    ntt_engine_t *engine = ctx;
    uint16_t bit = (uint16_t)(1u << type);

    if ((unsigned)type >= NTT_EPISODE_TYPE_COUNT || !engine->current)
        return;
    /* Said once per detector and file: the expert note. */
    if (!(engine->trackers_full_noted & bit)) {
        engine->trackers_full_noted |= bit;
        engine->trackers_full_frame[type] = engine->current_frame;
        engine->current->trackers_full |= bit;
    }
}

void ntt_engine_use_detectors(ntt_engine_t *engine,
                              const ntt_detector_ops_t *const *ops,
                              unsigned count)
{
    engine->sink.mark = engine_mark;
    engine->sink.raise = engine_raise;
    engine->sink.update = engine_update;
    engine->sink.evicted = engine_tracker_evicted;
    engine->sink.ctx = engine;
    for (unsigned i = 0; i < count; i++) {
        running_detector_t d = { ops[i], NULL, -1, ops[i]->events };
        /* The slot it gets if it runs. */
        ntt_detect_env_t env = { .slot = engine->live.slot_count };

        d.state = ops[i]->create(&engine->config.detect, &env);
        /* NULL: the family is off under this configuration; it takes no
         * slot, which every flow would carry for nothing. */
        if (!d.state)
            continue;
        if (ops[i]->slot_free)
            d.slot = take_flow_slot(engine);
        g_array_append_val(engine->detectors, d);
    }
}

static void stop_detectors(ntt_engine_t *engine)
{
    for (guint i = 0; i < engine->detectors->len; i++) {
        running_detector_t *d = &g_array_index(engine->detectors, running_detector_t, i);

        d->ops->destroy(d->state);
    }
    g_array_free(engine->detectors, TRUE);
}

/* A live flow ends, however it ends (the flow table calls this): the
 * detectors' per-flow data goes with it. */
static void anomaly_flow_ended(ntt_engine_t *engine, uint32_t flow_id,
                               uint32_t frame, int64_t ts_ns);

static void free_slots(void *ctx, ntt_live_flow_t *flow)
{
    ntt_engine_t *engine = ctx;

    /* A TCP connection was scored at its close already. */
    if (!engine->closing && !ntt_tcp_finished(&flow->tcp)) {
        ntt_anomaly_watch_t *w = ntt_anomaly_watch(engine->anomaly, flow->id);

        anomaly_flow_ended(engine, flow->id, w ? w->last_frame : 0, w ? w->last_ns : 0);
    }

    for (guint i = 0; i < engine->detectors->len; i++) {
        running_detector_t *d = &g_array_index(engine->detectors, running_detector_t, i);

        if (d->slot >= 0 && flow->slots[d->slot]) {
            d->ops->slot_free(d->state, flow->slots[d->slot]);
            flow->slots[d->slot] = NULL;
        }
    }
    if (engine->conn_slot >= 0 && flow->slots[engine->conn_slot]) {
        g_free(flow->slots[engine->conn_slot]);
        flow->slots[engine->conn_slot] = NULL;
        ntt_memcap_release(engine->live.account, conn_size_bytes());
    }
}

static void drop_flow(ntt_engine_t *engine, ntt_live_flow_t *flow)
{
    ntt_flow_table_remove(&engine->live, flow);
}

/* Each detector is called for the packets that raise an event it listens
 * to, and for the packets of the flows it keeps a slot on. Its marks land
 * in result, the frame being built. */
static void dispatch(ntt_engine_t *engine, const ntt_flow_event_t *ev,
                     ntt_frame_t *result)
{
    if (engine->detectors->len == 0)
        return;
    engine->current = result;
    engine->current_frame = ev->pkt->frame;
    engine->current_ns = ev->pkt->ts_ns;
    /* One copy of the event for all the detectors (they read it through a
     * const pointer); only its bits differ, by whether the detector's
     * slot holds something. */
    ntt_flow_event_t mine = *ev;
    for (guint i = 0; i < engine->detectors->len; i++) {
        running_detector_t *d = &g_array_index(engine->detectors, running_detector_t, i);

        mine.what = ev->what;
        if (d->slot >= 0 && ev->slots && ev->slots[d->slot])
            mine.what |= NTT_EV_SLOTTED;
        if (mine.what & d->events)
            d->ops->event(d->state, &mine, &engine->sink);
    }
    engine->current = NULL;
}

ntt_engine_t *ntt_engine_ref(ntt_engine_t *engine)
{
    if (engine)
        engine->refs++;
    return engine;
}

void ntt_engine_unref(ntt_engine_t *engine)
{
    if (!engine || --engine->refs > 0)
        return;
    engine->closing = true;
    ntt_flow_table_clear(&engine->live);
    g_array_free(engine->summaries, TRUE);
    if (engine->conn_records)
        g_array_free(engine->conn_records, TRUE);
    ntt_frame_store_clear(&engine->frames);
    stop_detectors(engine);
    ntt_episode_book_clear(&engine->book);
    ntt_anomaly_free(engine->anomaly);
    ntt_time_of_day_clear(&engine->time_of_day);
    ntt_entropy_free(engine->entropy);
    ntt_geo_free(engine->config.geo);
    ntt_blocklist_free(engine->config.blocklist);
    ntt_memcap_free(engine->memcap);
    g_free(engine);
}

static ntt_flow_summary_t *summary_of(ntt_engine_t *engine, uint32_t id)
{
    return &g_array_index(engine->summaries, ntt_flow_summary_t, id);
}

/* Flows idle longer than the timeout are over. The live table is kept in
 * least-recently-seen order, so only its oldest end needs looking at: a
 * constant amount of work per packet, amortized. */
static void expire_idle_flows(ntt_engine_t *engine, int64_t now_ns)
{
    engine->counters.expired_flows += ntt_flow_table_expire(&engine->live, now_ns);
}

/* Emergency mode engaged during this packet: remembered, and the first
 * time an expert note (the report gives the count). */
static void note_emergency(ntt_engine_t *engine, ntt_frame_t *result, uint32_t frame)
{
    ntt_memcap_stats_t stats;

    ntt_memcap_stats(engine->memcap, &stats);
    if (stats.engagements == engine->engagements)
        return;
    if (engine->engagements == 0) {
        result->memcap_emergency = true;
        engine->first_emergency_frame = frame;
    }
    engine->engagements = stats.engagements;
    engine->last_emergency_frame = frame;
}

/* Returns whether a flow had to go. */
static bool evict_to_fit(ntt_engine_t *engine)
{
    bool evicted = false;

    while (engine->live.count >= engine->config.max_flows) {
        drop_flow(engine, ntt_flow_table_oldest(&engine->live));
        engine->counters.evicted_flows++;
        evicted = true;
    }
    return evicted;
}

/* A SYN on a live TCP flow starts a new one when the old connection is
 * over, or when its sequence number is not the one this side began with
 * (the rule Wireshark uses for tcp.stream). */
static bool syn_starts_new_flow(const ntt_live_flow_t *flow,
                                const ntt_packet_t *packet, bool src_is_a)
{
    ntt_dir_t dir = (src_is_a == flow->orig_is_a) ? NTT_DIR_ORIG : NTT_DIR_RESP;

    bool same_isn = flow->base_seq_set[dir] && flow->base_seq[dir] == packet->tcp_seq;

    if (!ntt_packet_is_bare_syn(packet))
        return false;
    /* After the close, a SYN with the first SYN's sequence number is that
     * SYN sent again (tcptraceroute resends one SYN with rising TTL), as
     * Wireshark's tcp.stream has it; any other SYN opens a new flow. */
    if (ntt_tcp_finished(&flow->tcp))
        return !same_isn;
    return flow->base_seq_set[dir] && !same_isn;
}

static ntt_live_flow_t *open_flow(ntt_engine_t *engine,
                                  const ntt_flow_key_t *key,
                                  const ntt_packet_t *packet, bool src_is_a,
                                  bool *evicted)
{
    uint32_t id = engine->summaries->len;
    /* The originator is the sender of the first packet, unless that
     * packet is itself an answer: then it is the side that must have
     * asked. */
    bool sender_orig = !ntt_packet_is_answer(packet);
    ntt_flow_summary_t summary;
    ntt_live_flow_t *flow;

    *evicted = evict_to_fit(engine);
    flow = ntt_flow_table_add(&engine->live, key, id);
    flow->orig_is_a = sender_orig ? src_is_a : !src_is_a;

    memset(&summary, 0, sizeof summary);
    summary.ip_version = packet->ip_version;
    summary.ip_proto = packet->ip_proto;
    if (flow->orig_is_a) {
        summary.orig_addr = key->a;
        summary.resp_addr = key->b;
        summary.orig_port = key->port_a;
        summary.resp_port = key->port_b;
    } else {
        summary.orig_addr = key->b;
        summary.resp_addr = key->a;
        summary.orig_port = key->port_b;
        summary.resp_port = key->port_a;
    }
    summary.service = key->kind == NTT_FLOW_PORTS
        ? ntt_service_classify(packet->ip_proto, summary.orig_port,
                               summary.resp_port)
        : NTT_SERVICE_UNKNOWN;
    summary.first_ns = summary.last_ns = packet->ts_ns;
    /* Once per flow, not per packet: the resolver caches per address. */
    if (engine->config.geo) {
        summary.geo[NTT_DIR_ORIG] = ntt_geo_lookup(engine->config.geo,
                                                   &summary.orig_addr,
                                                   summary.ip_version);
        summary.geo[NTT_DIR_RESP] = ntt_geo_lookup(engine->config.geo,
                                                   &summary.resp_addr,
                                                   summary.ip_version);
    }
    g_array_append_val(engine->summaries, summary);
    if (engine->conn_records) {
        ntt_conn_record_t record = { .icmp_type = packet->has_icmp ? packet->icmp_type : 0,
                                     .icmp_code = packet->has_icmp ? packet->icmp_code : 0 };

        g_array_append_val(engine->conn_records, record);
    }

    if (engine->live.count > engine->counters.peak_live_flows)
        engine->counters.peak_live_flows = engine->live.count;
    return flow;
}

static void track_state(ntt_live_flow_t *flow, ntt_flow_summary_t *summary,
                        const ntt_packet_t *packet, ntt_dir_t dir)
{
    if (packet->ip_proto == NTT_IPPROTO_TCP && packet->has_tcp) {
        if (!flow->base_seq_set[dir]) {
            flow->base_seq_set[dir] = true;
            flow->base_seq[dir] = packet->tcp_seq;
        }
        ntt_tcp_track(&flow->tcp, dir, packet->tcp_flags,
                      packet->payload_len);
        summary->state = (uint8_t)ntt_tcp_conn_state(&flow->tcp);
    } else if (packet->ip_proto == NTT_IPPROTO_TCP) {
        /* A TCP packet whose header was cut off: no flags to go by. */
        summary->state = NTT_STATE_OTH;
    } else {
        summary->state = (uint8_t)ntt_datagram_conn_state(
            summary->pkts[NTT_DIR_ORIG], summary->pkts[NTT_DIR_RESP]);
    }
}

/* A stored frame as a later pass shows it: the store's part, and what
 * the engine derives -- the flow's service, its duration so far at this
 * frame's time, the once-per-file notes made at this frame. */
static bool replay_frame(const ntt_engine_t *engine, uint32_t frame,
                         int64_t ts_ns, ntt_frame_t *out)
{
    if (!ntt_frame_store_get(&engine->frames, frame, out))
        return false;
    if (out->has_flow) {
        const ntt_flow_summary_t *summary = ntt_engine_flow(engine, out->flow.flow_id);

        out->flow.service = summary->service;
        out->flow.duration_ns = ts_ns - summary->first_ns;
    }
    out->table_full = engine->table_full_noted && frame == engine->table_full_frame;
    out->memcap_emergency = engine->first_emergency_frame != 0 &&
                            frame == engine->first_emergency_frame;
    for (unsigned t = 0; t < NTT_EPISODE_TYPE_COUNT; t++) {
        uint16_t bit = (uint16_t)(1u << t);

        if ((engine->trackers_full_noted & bit) && frame == engine->trackers_full_frame[t])
            out->trackers_full |= bit;
    }
    return true;
}

/* A watched flow scored above the threshold: its anomaly episode,
 * decided at frame (its closing packet, or its last one when it ended
 * idle, evicted or with the file). Its packets were marked as they came. */
static void raise_anomaly(ntt_engine_t *engine, uint32_t flow_id, double score,
                          uint32_t frame, int64_t ts_ns)
{
    ntt_anomaly_watch_t *w = ntt_anomaly_watch(engine->anomaly, flow_id);
    const ntt_flow_summary_t *f = ntt_engine_flow(engine, flow_id);
    bool ports = f && (f->ip_proto == NTT_IPPROTO_TCP || f->ip_proto == NTT_IPPROTO_UDP ||
                       f->ip_proto == NTT_IPPROTO_SCTP);
    ntt_episode_t info;

    if (!w || !f || w->tracker.token == 0 || w->tracker.raised || frame == 0)
        return;
    ntt_episode_identity(&info, NTT_EPISODE_ANOMALY, f->ip_version, &f->orig_addr,
                         &f->resp_addr, ports ? &f->resp_port : NULL);
    info.detail.anomaly.score = score;
    info.detail.anomaly.flow = flow_id;
    w->tracker.raised = true;
    ntt_episode_book_open(&engine->book, &w->tracker, &info, frame, ts_ns);
    ntt_episode_book_extend(&engine->book, &w->tracker, w->last_frame, w->last_ns);
}

static void anomaly_flow_ended(ntt_engine_t *engine, uint32_t flow_id,
                               uint32_t frame, int64_t ts_ns)
{
    double score;

    if (ntt_anomaly_flow_ended(engine->anomaly, flow_id, &score))
        raise_anomaly(engine, flow_id, score, frame, ts_ns);
}

static void raise_at_end_of_file(void *ctx, uint32_t flow_id, double score)
{
    ntt_engine_t *engine = ctx;
    ntt_anomaly_watch_t *w = ntt_anomaly_watch(engine->anomaly, flow_id);

    if (w)
        raise_anomaly(engine, flow_id, score, w->last_frame, w->last_ns);
}

/* Each packet of a watched flow belongs to the flow's tracker, so that an
 * anomaly episode raised at its end has every packet (after the
 * detectors' marks: they choose the frame's slots first). At the close
 * the flow is scored. */
static void anomaly_packet(ntt_engine_t *engine, const ntt_packet_t *packet,
                           const ntt_flow_event_t *ev, ntt_frame_t *result)
{
    ntt_anomaly_watch_t *w = ntt_anomaly_watch(engine->anomaly, ev->flow->flow_id);

    if (!w)
        return;
    if (w->tracker.token == 0)
        ntt_tracker_start(&w->tracker, &engine->sink, packet);
    w->last_frame = packet->frame;
    w->last_ns = packet->ts_ns;
    engine->sink.mark = engine_mark;
    engine->sink.ctx = engine;
    engine->current = result;
    engine->current_frame = packet->frame;
    engine->current_ns = packet->ts_ns;
    ntt_detect_mark(&engine->sink, &w->tracker);
    if (ev->what & NTT_EV_CLOSED)
        anomaly_flow_ended(engine, ev->flow->flow_id, packet->frame, packet->ts_ns);
    engine->current = NULL;
}

bool ntt_engine_process(ntt_engine_t *engine, const ntt_packet_t *packet,
                        ntt_frame_t *out)
{
    ntt_frame_t result, *shown = out ? out : &result;
    ntt_flow_key_t key;
    ntt_live_flow_t *flow;
    ntt_flow_summary_t *summary;
    bool src_is_a, new_flow = false, evicted = false;
    ntt_dir_t dir;
    bool was_finished;

    if (replay_frame(engine, packet->frame, packet->ts_ns, shown))
        return true;
    engine->counters.packets++;
    memset(&result, 0, sizeof result);

    if (packet->ip_version == 4 || packet->ip_version == 6) {
        engine->counters.ip_packets++;
        ntt_entropy_add(engine->entropy, packet);
        expire_idle_flows(engine, packet->ts_ns);
        ntt_flow_key_from_packet(packet, &key, &src_is_a);
        flow = ntt_flow_table_lookup(&engine->live, &key);
        if (flow && packet->ip_proto == NTT_IPPROTO_TCP &&
            syn_starts_new_flow(flow, packet, src_is_a)) {
            drop_flow(engine, flow);
            flow = NULL;
        }
        if (!flow) {
            flow = open_flow(engine, &key, packet, src_is_a, &evicted);
            new_flow = true;
            if (engine->conn_records)
                open_conn_size(engine, flow);
            /* Said once per file: the counters carry the rest. */
            if (evicted && !engine->table_full_noted) {
                engine->table_full_noted = true;
                engine->table_full_frame = packet->frame;
                result.table_full = true;
            }
        }
        dir = (src_is_a == flow->orig_is_a) ? NTT_DIR_ORIG : NTT_DIR_RESP;
        /* Both ends the same (LAND): every packet goes forward. */
        if (memcmp(&key.a, &key.b, sizeof key.a) == 0 &&
            key.port_a == key.port_b)
            dir = NTT_DIR_ORIG;

        summary = summary_of(engine, flow->id);
        was_finished = ntt_tcp_finished(&flow->tcp);
        result.flow.iat_ns = new_flow ? 0 : packet->ts_ns - summary->last_ns;
        summary->pkts[dir]++;
        summary->bytes[dir] += packet->frame_len;
        summary->last_ns = packet->ts_ns;
        ntt_anomaly_packet(engine->anomaly, flow->id, summary, result.flow.iat_ns, dir,
                           packet->frame_len);
        if (engine->conn_records)
            count_conn_record(engine, flow, packet, dir);
        track_state(flow, summary, packet, dir);
        ntt_flow_table_touch(&engine->live, flow, packet->ts_ns);

        result.has_flow = true;
        result.flow.flow_id = flow->id;
        result.flow.dir = (uint8_t)dir;
        result.flow.state = summary->state;
        result.flow.service = summary->service;
        result.flow.new_flow = new_flow;
        memcpy(result.flow.pkts, summary->pkts, sizeof result.flow.pkts);
        memcpy(result.flow.bytes, summary->bytes, sizeof result.flow.bytes);
        result.flow.duration_ns = packet->ts_ns - summary->first_ns;
        {
            ntt_flow_event_t ev = { .pkt = packet, .flow = &result.flow,
                                    .summary = summary, .slots = flow->slots,
                                    .opener = new_flow ? NTT_OPENER_NONE : flow->opener };

            ntt_flow_events_classify(&ev, was_finished, ntt_tcp_finished(&flow->tcp));
            flow->opener = ev.opener;
            if ((ev.what & NTT_EV_ANSWERED) && dir == NTT_DIR_ORIG)
                engine->counters.unseen_replies++;
            dispatch(engine, &ev, &result);
            if (ev.what & NTT_EV_CLOSED)
                ntt_anomaly_close(engine->anomaly, flow->id);
            if (ntt_anomaly_watching(engine->anomaly))
                anomaly_packet(engine, packet, &ev, &result);
            else if (ev.what & NTT_EV_CLOSED)
                anomaly_flow_ended(engine, flow->id, packet->frame, packet->ts_ns);
        }
    } else if (packet->is_arp) {
        ntt_flow_event_t ev = { .pkt = packet };

        ntt_flow_events_classify_arp(&ev);
        dispatch(engine, &ev, &result);
    }

    engine->counters.live_flows = engine->live.count;
    note_emergency(engine, &result, packet->frame);
    if (!ntt_frame_store_put(&engine->frames, packet->frame, &result))
        return false;
    if (out)
        *out = result;
    return true;
}

bool ntt_engine_frame(const ntt_engine_t *engine, uint32_t frame,
                      int64_t ts_ns, ntt_frame_t *out)
{
    return replay_frame(engine, frame, ts_ns, out);
}

const ntt_flow_summary_t *ntt_engine_flow(const ntt_engine_t *engine,
                                          uint32_t flow_id)
{
    if (flow_id >= engine->summaries->len)
        return NULL;
    return &g_array_index(engine->summaries, ntt_flow_summary_t, flow_id);
}

const ntt_conn_record_t *ntt_engine_conn_record(const ntt_engine_t *engine,
                                                uint32_t flow_id)
{
    if (!engine->conn_records || flow_id >= engine->conn_records->len)
        return NULL;
    return &g_array_index(engine->conn_records, ntt_conn_record_t, flow_id);
}

uint32_t ntt_engine_flow_count(const ntt_engine_t *engine)
{
    return engine->summaries->len;
}

uint32_t ntt_engine_episode_count(const ntt_engine_t *engine)
{
    return engine->book.episodes->len;
}

const ntt_episode_t *ntt_engine_episode(const ntt_engine_t *engine,
                                        uint32_t id)
{
    if (id >= engine->book.episodes->len)
        return NULL;
    return &g_array_index(engine->book.episodes, ntt_episode_t, id);
}

unsigned ntt_engine_frame_episodes(const ntt_engine_t *engine,
                                   const ntt_frame_t *frame,
                                   uint32_t frame_number, bool whole_file,
                                   const ntt_episode_t **episodes,
                                   uint64_t *counts)
{
    unsigned n = 0;

    if (!frame)
        return 0;
    for (unsigned i = 0; i < NTT_FRAME_EPISODES; i++) {
        const ntt_episode_t *ep = ntt_episode_book_by_token(&engine->book,
                                                            frame->tokens[i]);

        if (!ep || (!whole_file && frame_number < ep->detect_frame))
            continue;
        if (episodes)
            episodes[n] = ep;
        if (counts)
            counts[n] = frame->counts[i];
        n++;
    }
    return n;
}

void ntt_engine_counters(const ntt_engine_t *engine,
                         ntt_engine_counters_t *counters)
{
    *counters = engine->counters;
    counters->replay_bytes = ntt_frame_store_bytes(&engine->frames);
    counters->replay_frames = engine->frames.stored;
}

void ntt_engine_memory(const ntt_engine_t *engine, ntt_engine_memory_t *memory)
{
    ntt_memcap_stats_t stats;

    ntt_memcap_stats(engine->memcap, &stats);
    memset(memory, 0, sizeof *memory);
    memory->memcap_bytes = stats.limit_bytes == UINT64_MAX ? 0 : stats.limit_bytes;
    memory->used_bytes = stats.used_bytes;
    memory->peak_bytes = stats.peak_bytes;
    memory->emergency_count = stats.engagements;
    memory->emergency_now = stats.emergency;
    memory->first_emergency_frame = engine->first_emergency_frame;
    memory->last_emergency_frame = engine->last_emergency_frame;
    memory->frame_bytes = ntt_frame_store_bytes(&engine->frames);
    memory->flow_record_bytes = (uint64_t)engine->summaries->len * sizeof(ntt_flow_summary_t);
    memory->anomaly_bytes = ntt_anomaly_bytes(engine->anomaly);
    if (engine->conn_records)
        memory->flow_record_bytes +=
            (uint64_t)engine->conn_records->len * sizeof(ntt_conn_record_t);
    memory->table_count = ntt_memcap_account_count(engine->memcap);
}

bool ntt_engine_table_memory(const ntt_engine_t *engine, unsigned i,
                             ntt_table_memory_t *table)
{
    const ntt_memcap_account_t *a = ntt_memcap_account_at(engine->memcap, i);

    if (!a)
        return false;
    table->name = a->name;
    table->bytes = a->bytes;
    table->peak_bytes = a->peak_bytes;
    table->emergency_expired = a->emergency_expired;
    table->emergency_evicted = a->emergency_evicted;
    table->refused = a->refused;
    return true;
}

const ntt_time_of_day_t *ntt_engine_time_of_day(const ntt_engine_t *engine)
{
    return &engine->time_of_day;
}

const ntt_entropy_t *ntt_engine_entropy(const ntt_engine_t *engine)
{
    return engine->entropy;
}

uint64_t ntt_engine_hash_seed(const ntt_engine_t *engine)
{
    return ntt_memcap_hash_seed(engine->memcap);
}

ntt_geo_t *ntt_engine_geo(const ntt_engine_t *engine)
{
    return engine->config.geo;
}

const ntt_blocklist_t *ntt_engine_blocklist(const ntt_engine_t *engine)
{
    return engine->config.blocklist;
}

const ntt_geo_info_t *ntt_engine_attacker_geo(const ntt_engine_t *engine,
                                              const ntt_episode_t *ep)
{
    ntt_geo_t *geo = engine->config.geo;

    if (!geo || !ntt_episode_has_attacker(ep))
        return NULL;
    return ntt_geo_info(geo, ntt_geo_lookup(geo, &ep->src, ep->ip_version));
}

void ntt_engine_anomaly_finish(ntt_engine_t *engine)
{
    ntt_anomaly_finish(engine->anomaly, engine->counters.packets, raise_at_end_of_file, engine);
}

void ntt_engine_anomaly_finish_watched(ntt_engine_t *engine)
{
    if (ntt_anomaly_watching(engine->anomaly))
        ntt_engine_anomaly_finish(engine);
}

bool ntt_engine_flow_anomaly(const ntt_engine_t *engine, uint32_t flow_id, double *score)
{
    return ntt_anomaly_score(engine->anomaly, flow_id, score);
}

const ntt_anomaly_model_t *ntt_engine_anomaly_model(const ntt_engine_t *engine)
{
    return ntt_anomaly_model(engine->anomaly);
}

bool ntt_engine_anomaly_is_baseline(const ntt_engine_t *engine)
{
    return ntt_anomaly_is_baseline(engine->anomaly);
}

ntt_anomaly_model_t *ntt_engine_anomaly_train(const ntt_engine_t *engine)
{
    return ntt_anomaly_train(engine->anomaly);
}

unsigned ntt_engine_anomaly_reasons(const ntt_engine_t *engine, uint32_t flow_id,
                                    ntt_anomaly_reason_t *out, unsigned max)
{
    return ntt_anomaly_reasons(engine->anomaly, flow_id, out, max);
}
