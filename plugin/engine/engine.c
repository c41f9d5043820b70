/* engine.c
 * From a packet record to its flow results: find or open the flow, count
 * the packet, advance the connection state, store the answer per frame.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/engine.h"

#include <string.h>

#include <glib.h>

#include "conn-state.h"
#include "flow-table.h"
#include "frame-store.h"

struct ntt_engine {
    ntt_config_t          config;
    ntt_flow_table_t      live;        /* flows that may still see packets */
    GArray               *summaries;   /* ntt_flow_summary_t, index = id */
    ntt_frame_store_t     frames;
    ntt_engine_counters_t counters;
    unsigned              refs;
    bool                  table_full_noted;
};

void ntt_config_init(ntt_config_t *config)
{
    memset(config, 0, sizeof *config);
    /* Zeek's TCP inactivity timeout; long enough that ordinary sessions
     * are never split, short enough that a reused 5-tuple hours later is a
     * new flow. */
    config->flow_timeout_ns = 300 * NTT_NS_PER_SEC;
    /* About 200 bytes per live flow: 50 MB at most. */
    config->max_flows = 250000;
}

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
    ntt_flow_table_init(&engine->live);
    engine->summaries = g_array_new(FALSE, TRUE, sizeof(ntt_flow_summary_t));
    ntt_frame_store_init(&engine->frames);
    return engine;
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
    ntt_flow_table_clear(&engine->live);
    g_array_free(engine->summaries, TRUE);
    ntt_frame_store_clear(&engine->frames);
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
    ntt_live_flow_t *oldest;

    while ((oldest = ntt_flow_table_oldest(&engine->live)) != NULL &&
           now_ns - oldest->last_ns > engine->config.flow_timeout_ns) {
        ntt_flow_table_remove(&engine->live, oldest);
        engine->counters.expired_flows++;
    }
}

/* Returns whether a flow had to go. */
static bool evict_to_fit(ntt_engine_t *engine)
{
    bool evicted = false;

    while (engine->live.count >= engine->config.max_flows) {
        ntt_flow_table_remove(&engine->live,
                              ntt_flow_table_oldest(&engine->live));
        engine->counters.evicted_flows++;
        evicted = true;
    }
    return evicted;
}

static bool is_pure_syn(const ntt_packet_t *packet)
{
    return packet->has_tcp &&
           (packet->tcp_flags & (NTT_TCP_SYN | NTT_TCP_ACK)) == NTT_TCP_SYN;
}

/* A SYN on a live TCP flow starts a new one when the old connection is
 * over, or when its sequence number is not the one this side began with
 * (the rule Wireshark uses for tcp.stream). */
static bool syn_starts_new_flow(const ntt_live_flow_t *flow,
                                const ntt_packet_t *packet, bool src_is_a)
{
    ntt_dir_t dir = (src_is_a == flow->orig_is_a) ? NTT_DIR_ORIG : NTT_DIR_RESP;

    if (!is_pure_syn(packet))
        return false;
    if (ntt_tcp_finished(&flow->tcp))
        return true;
    return flow->base_seq_set[dir] && flow->base_seq[dir] != packet->tcp_seq;
}

/* The originator is the sender of the first packet, except when that
 * packet is itself an answer (a SYN-ACK, an echo reply): then it is the
 * side that must have asked. */
static bool sender_is_originator(const ntt_packet_t *packet)
{
    if (packet->has_tcp &&
        (packet->tcp_flags & (NTT_TCP_SYN | NTT_TCP_ACK)) ==
            (NTT_TCP_SYN | NTT_TCP_ACK))
        return false;
    if (packet->has_icmp &&
        ((packet->ip_proto == NTT_IPPROTO_ICMP && packet->icmp_type == 0) ||
         (packet->ip_proto == NTT_IPPROTO_ICMPV6 && packet->icmp_type == 129)))
        return false;
    return true;
}

static ntt_live_flow_t *open_flow(ntt_engine_t *engine,
                                  const ntt_flow_key_t *key,
                                  const ntt_packet_t *packet, bool src_is_a,
                                  bool *evicted)
{
    uint32_t id = engine->summaries->len;
    bool sender_orig = sender_is_originator(packet);
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
    g_array_append_val(engine->summaries, summary);

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

const ntt_frame_t *ntt_engine_process(ntt_engine_t *engine,
                                      const ntt_packet_t *packet)
{
    const ntt_frame_t *seen = ntt_frame_store_get(&engine->frames,
                                                  packet->frame);
    ntt_frame_t result;
    ntt_flow_key_t key;
    ntt_live_flow_t *flow;
    ntt_flow_summary_t *summary;
    bool src_is_a, new_flow = false, evicted = false;
    ntt_dir_t dir;
    ntt_frame_t *slot;

    if (seen)
        return seen;
    engine->counters.packets++;
    memset(&result, 0, sizeof result);

    if (packet->ip_version == 4 || packet->ip_version == 6) {
        engine->counters.ip_packets++;
        expire_idle_flows(engine, packet->ts_ns);
        ntt_flow_key_from_packet(packet, &key, &src_is_a);
        flow = ntt_flow_table_lookup(&engine->live, &key);
        if (flow && packet->ip_proto == NTT_IPPROTO_TCP &&
            syn_starts_new_flow(flow, packet, src_is_a)) {
            ntt_flow_table_remove(&engine->live, flow);
            flow = NULL;
        }
        if (!flow) {
            flow = open_flow(engine, &key, packet, src_is_a, &evicted);
            new_flow = true;
            /* Said once per file: the counters carry the rest. */
            if (evicted && !engine->table_full_noted) {
                engine->table_full_noted = true;
                result.table_full = true;
            }
        }
        dir = (src_is_a == flow->orig_is_a) ? NTT_DIR_ORIG : NTT_DIR_RESP;
        /* Both ends the same (LAND): every packet goes forward. */
        if (memcmp(&key.a, &key.b, sizeof key.a) == 0 &&
            key.port_a == key.port_b)
            dir = NTT_DIR_ORIG;

        summary = summary_of(engine, flow->id);
        result.flow.iat_ns = new_flow ? 0 : packet->ts_ns - summary->last_ns;
        summary->pkts[dir]++;
        summary->bytes[dir] += packet->frame_len;
        summary->last_ns = packet->ts_ns;
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
    }

    engine->counters.live_flows = engine->live.count;
    slot = ntt_frame_store_put(&engine->frames, packet->frame);
    if (!slot)
        return NULL;
    *slot = result;
    return slot;
}

const ntt_frame_t *ntt_engine_frame(const ntt_engine_t *engine,
                                    uint32_t frame)
{
    return ntt_frame_store_get(&engine->frames, frame);
}

const ntt_flow_summary_t *ntt_engine_flow(const ntt_engine_t *engine,
                                          uint32_t flow_id)
{
    if (flow_id >= engine->summaries->len)
        return NULL;
    return &g_array_index(engine->summaries, ntt_flow_summary_t, flow_id);
}

uint32_t ntt_engine_flow_count(const ntt_engine_t *engine)
{
    return engine->summaries->len;
}

void ntt_engine_counters(const ntt_engine_t *engine,
                         ntt_engine_counters_t *counters)
{
    *counters = engine->counters;
}
