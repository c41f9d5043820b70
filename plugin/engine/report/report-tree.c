/* report-tree.c
 * The rows of the GUI's statistics tree (Statistics › Network Traffic
 * Tracer, -z ntt,tree) a packet counts in: alerts by type, each episode,
 * flows by final state, talkers, then packets by protocol and service.
 * Everything is read from the packet's own replayed result; what this
 * file keeps is only what a count needs to be the report's: the flows
 * already counted (a flow counts once, at its first packet the filter
 * lets through, as in -z ntt,json with that filter) and the addresses
 * already given a row (capped, as the report's talker table).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/report-tree.h"

#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "report/report-data.h"
#include "util/hash-table.h"
#include "util/hash.h"

const char ntt_tree_needs_two_passes[] = "(final state needs two passes: tshark -2)";
const char ntt_tree_other_talkers[] = "(other addresses)";

const char *ntt_tree_section_name(ntt_tree_section_t section)
{
    static const char *const names[NTT_TREE_SECTION_COUNT] = {
        [NTT_TREE_ALERTS] = "Alerts by type",
        [NTT_TREE_EPISODES] = "Episodes (type source -> target)",
        [NTT_TREE_FLOWS] = "Flows by final state",
        [NTT_TREE_TALKERS] = "Talkers (packets sent + received)",
        [NTT_TREE_PROTOCOLS] = "Packets by protocol",
        [NTT_TREE_SERVICES] = "Packets by service",
    };

    return (unsigned)section < NTT_TREE_SECTION_COUNT ? names[section] : "";
}

bool ntt_tree_section_on_top(ntt_tree_section_t section)
{
    return section < NTT_TREE_PROTOCOLS;
}

char *ntt_tree_episode_name(const ntt_episode_t *ep, char *buf, size_t size)
{
    char src[NTT_ADDR_STRLEN], dst[NTT_ADDR_STRLEN + 8], addr[NTT_ADDR_STRLEN];

    if (ep->has_src)
        ntt_addr_format(&ep->src, ep->ip_version, src);
    else
        snprintf(src, sizeof src, "(many)");
    if (ep->has_dst && ep->has_port)
        snprintf(dst, sizeof dst, ep->ip_version == 6 ? "[%s]:%u" : "%s:%u",
                 ntt_addr_format(&ep->dst, ep->ip_version, addr), ep->port);
    else if (ep->has_dst)
        ntt_addr_format(&ep->dst, ep->ip_version, dst);
    else if (ep->has_port)
        snprintf(dst, sizeof dst, "(many):%u", ep->port);
    else
        snprintf(dst, sizeof dst, "(many)");
    snprintf(buf, size, "#%u %s %s -> %s", ep->id,
             ntt_episode_type_name((ntt_episode_type_t)ep->type), src, dst);
    return buf;
}

/* An address given a row; the key is addr, ip_version and zero. */
typedef struct tree_talker {
    ntt_hash_link_t link;
    ntt_addr_t addr;
    uint8_t    ip_version;
    uint8_t    zero[3];
} tree_talker_t;

#define TREE_TALKER_KEY_SIZE (offsetof(tree_talker_t, zero) + sizeof(((tree_talker_t *)0)->zero) - \
                              offsetof(tree_talker_t, addr))

struct ntt_tree {
    uint32_t          max_talkers;
    ntt_engine_t     *engine;       /* a reference; NULL before any packet */
    uint32_t          last_frame;   /* 0: none yet in this pass */
    GByteArray       *flows_seen;   /* a byte per flow id: 1 once counted */
    ntt_hash_table_t  talkers;      /* tree_talker_t */
};

static void free_talker(ntt_hash_link_t *link, void *ctx)
{
    (void)ctx;
    g_free(NTT_HASH_ENTRY(link, tree_talker_t, link));
}

static void tree_start_over(ntt_tree_t *tree, uint64_t seed)
{
    ntt_hash_table_drain(&tree->talkers, free_talker, NULL);
    ntt_hash_table_init(&tree->talkers,
                        offsetof(tree_talker_t, addr) - offsetof(tree_talker_t, link),
                        TREE_TALKER_KEY_SIZE, seed, NULL);
    g_byte_array_set_size(tree->flows_seen, 0);
    tree->last_frame = 0;
}

ntt_tree_t *ntt_tree_new(uint32_t max_talkers)
{
    ntt_tree_t *tree = g_new0(ntt_tree_t, 1);

    tree->max_talkers = max_talkers;
    tree->flows_seen = g_byte_array_new();
    tree_start_over(tree, NTT_HASH_DEFAULT_SEED);
    return tree;
}

void ntt_tree_free(ntt_tree_t *tree)
{
    if (!tree)
        return;
    ntt_hash_table_drain(&tree->talkers, free_talker, NULL);
    g_byte_array_free(tree->flows_seen, TRUE);
    ntt_engine_unref(tree->engine);
    g_free(tree);
}

/* True the first time the flow is counted in this pass. */
static bool first_of_flow(ntt_tree_t *tree, uint32_t flow_id)
{
    if (flow_id >= tree->flows_seen->len) {
        guint old = tree->flows_seen->len;

        g_byte_array_set_size(tree->flows_seen, flow_id + 1);
        memset(tree->flows_seen->data + old, 0, flow_id + 1 - old);
    }
    if (tree->flows_seen->data[flow_id])
        return false;
    tree->flows_seen->data[flow_id] = 1;
    return true;
}

/* The address's row, or the "other" row once max_talkers have one. */
static const char *talker_item(ntt_tree_t *tree, const ntt_addr_t *addr,
                               uint8_t ip_version, char *buf)
{
    tree_talker_t probe, *talker;
    uint32_t hash;

    memset(&probe, 0, sizeof probe);
    probe.addr = *addr;
    probe.ip_version = ip_version;
    hash = ntt_hash_table_hash(&tree->talkers, &probe.addr);
    if (!ntt_hash_table_find(&tree->talkers, &probe.addr, hash)) {
        if (tree->talkers.count >= tree->max_talkers)
            return ntt_tree_other_talkers;
        talker = g_new(tree_talker_t, 1);
        *talker = probe;
        ntt_hash_table_insert(&tree->talkers, &talker->link, hash);
    }
    return ntt_addr_format(addr, ip_version, buf);
}

static void tick_alerts(const ntt_engine_t *engine, uint32_t frame_number,
                        const ntt_frame_t *frame, bool whole_file,
                        ntt_tree_tick_fn tick, void *ctx)
{
    const ntt_episode_t *eps[NTT_FRAME_EPISODES];
    unsigned n = ntt_engine_frame_episodes(engine, frame, frame_number, whole_file,
                                           eps, NULL);
    unsigned types = 0;
    char name[160];

    if (n == 0)
        return;
    /* A packet of two episodes of one type is one packet of that type,
     * as -Y 'ntt.alert.type == "..."' counts it. */
    tick(ctx, NTT_TREE_ALERTS, NULL);
    for (unsigned i = 0; i < n; i++) {
        if (types & (1u << eps[i]->type))
            continue;
        types |= 1u << eps[i]->type;
        tick(ctx, NTT_TREE_ALERTS, ntt_episode_type_name((ntt_episode_type_t)eps[i]->type));
    }
    tick(ctx, NTT_TREE_EPISODES, NULL);
    for (unsigned i = 0; i < n; i++)
        tick(ctx, NTT_TREE_EPISODES, ntt_tree_episode_name(eps[i], name, sizeof name));
}

void ntt_tree_packet(ntt_tree_t *tree, ntt_engine_t *engine,
                     uint32_t frame_number, const ntt_frame_t *frame,
                     bool whole_file, ntt_tree_tick_fn tick, void *ctx)
{
    const ntt_flow_summary_t *flow = NULL;
    char addr[NTT_ADDR_STRLEN];
    const char *service;

    if (!engine || !frame)
        return;
    /* Flow ids name the engine that made them; a pass starts over. */
    if (engine != tree->engine) {
        ntt_engine_unref(tree->engine);
        tree->engine = ntt_engine_ref(engine);
        tree_start_over(tree, ntt_engine_hash_seed(engine));
    } else if (frame_number <= tree->last_frame) {
        tree_start_over(tree, ntt_engine_hash_seed(engine));
    }
    tree->last_frame = frame_number;

    tick_alerts(engine, frame_number, frame, whole_file, tick, ctx);

    if (frame->has_flow)
        flow = ntt_engine_flow(engine, frame->flow.flow_id);
    if (flow && first_of_flow(tree, frame->flow.flow_id)) {
        tick(ctx, NTT_TREE_FLOWS, NULL);
        tick(ctx, NTT_TREE_FLOWS, whole_file
                 ? ntt_conn_state_name((ntt_conn_state_t)flow->state)
                 : ntt_tree_needs_two_passes);
    }
    if (flow) {
        tick(ctx, NTT_TREE_TALKERS, NULL);
        tick(ctx, NTT_TREE_TALKERS, talker_item(tree, &flow->orig_addr, flow->ip_version, addr));
        tick(ctx, NTT_TREE_TALKERS, talker_item(tree, &flow->resp_addr, flow->ip_version, addr));
    }

    tick(ctx, NTT_TREE_PROTOCOLS, NULL);
    tick(ctx, NTT_TREE_PROTOCOLS, ntt_report_protocol_class(engine, frame));
    if (flow) {
        service = ntt_service_name(frame->flow.service);
        tick(ctx, NTT_TREE_SERVICES, NULL);
        tick(ctx, NTT_TREE_SERVICES, *service ? service : "(unclassified)");
    }
}
