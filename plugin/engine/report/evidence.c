/* evidence.c
 * The rows of -z ntt,evidence that need more than the engine's records
 * (ntt/evidence.h): per flow, the frames the report's packets span --
 * what lets a later look go back to the packets -- and which flows
 * belong to an alerted host. The SQL is the glue's (ntt-evidence.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/evidence.h"

#include "report/report-data.h"

#include <stdlib.h>
#include <string.h>

#include <glib.h>

/* One flow as far as the report's packets go: one small entry per flow
 * id, as the report's own flows array. */
typedef struct evidence_flow {
    uint32_t first_frame;
    uint32_t last_frame;
    uint64_t packets;
    uint64_t bytes;
} evidence_flow_t;

struct ntt_evidence {
    ntt_engine_t *engine;      /* a reference; NULL before any packet */
    GArray       *flows;       /* evidence_flow_t by flow id; packets 0: unseen */
    uint64_t      packets;
};

ntt_evidence_t *ntt_evidence_new(void)
{
    ntt_evidence_t *ev = g_new0(ntt_evidence_t, 1);

    ev->flows = g_array_new(FALSE, TRUE, sizeof(evidence_flow_t));
    return ev;
}

void ntt_evidence_free(ntt_evidence_t *ev)
{
    if (!ev)
        return;
    ntt_engine_unref(ev->engine);
    g_array_free(ev->flows, TRUE);
    g_free(ev);
}

void ntt_evidence_reset(ntt_evidence_t *ev)
{
    ntt_engine_unref(ev->engine);
    ev->engine = NULL;
    g_array_set_size(ev->flows, 0);
    ev->packets = 0;
}

void ntt_evidence_add(ntt_evidence_t *ev, ntt_engine_t *engine, uint32_t frame_number,
                      uint32_t frame_len, const ntt_frame_t *frame)
{
    evidence_flow_t *f;
    uint32_t id;

    /* Flow ids name the flows of the engine that made them. */
    if (engine != ev->engine) {
        ntt_evidence_reset(ev);
        ev->engine = ntt_engine_ref(engine);
    }
    ev->packets++;
    if (!frame || !frame->has_flow)
        return;
    id = frame->flow.flow_id;
    if (id >= ev->flows->len)
        g_array_set_size(ev->flows, id + 1);
    f = &g_array_index(ev->flows, evidence_flow_t, id);
    if (f->packets == 0 || frame_number < f->first_frame)
        f->first_frame = frame_number;
    if (frame_number > f->last_frame)
        f->last_frame = frame_number;
    f->packets++;
    f->bytes += frame_len;
}

ntt_engine_t *ntt_evidence_engine(const ntt_evidence_t *ev)
{
    return ev->engine;
}

uint64_t ntt_evidence_packets(const ntt_evidence_t *ev)
{
    return ev->packets;
}

/* An address of some version: what an episode names and a flow has. */
typedef struct host_key {
    uint8_t    ip_version;
    ntt_addr_t addr;
} host_key_t;

static int compare_hosts(const void *pa, const void *pb)
{
    const host_key_t *a = pa, *b = pb;

    if (a->ip_version != b->ip_version)
        return a->ip_version < b->ip_version ? -1 : 1;
    return memcmp(a->addr.bytes, b->addr.bytes, sizeof a->addr.bytes);
}

static void add_host(host_key_t *hosts, unsigned *n, uint8_t ip_version,
                     const ntt_addr_t *addr)
{
    memset(&hosts[*n], 0, sizeof hosts[*n]);
    hosts[*n].ip_version = ip_version;
    hosts[*n].addr = *addr;
    (*n)++;
}

/* The hosts the capture's episodes name, sorted (repeats do no harm). */
static host_key_t *alerted_hosts(const ntt_engine_t *engine, unsigned *n)
{
    uint32_t episodes = ntt_engine_episode_count(engine);
    host_key_t *hosts = g_new(host_key_t, 2 * (size_t)episodes + 1);

    *n = 0;
    for (uint32_t i = 0; i < episodes; i++) {
        const ntt_episode_t *ep = ntt_engine_episode(engine, i);

        if (ep->has_src)
            add_host(hosts, n, ep->ip_version, &ep->src);
        if (ep->has_dst)
            add_host(hosts, n, ep->ip_version, &ep->dst);
    }
    qsort(hosts, *n, sizeof hosts[0], compare_hosts);
    return hosts;
}

static bool is_alerted(const host_key_t *hosts, unsigned n, uint8_t ip_version,
                       const ntt_addr_t *addr)
{
    host_key_t key;

    memset(&key, 0, sizeof key);
    key.ip_version = ip_version;
    key.addr = *addr;
    return bsearch(&key, hosts, n, sizeof hosts[0], compare_hosts) != NULL;
}

ntt_evidence_flow_t *ntt_evidence_alerted_flows(const ntt_evidence_t *ev, unsigned *count)
{
    ntt_evidence_flow_t *rows;
    host_key_t *hosts;
    unsigned n_hosts;

    *count = 0;
    if (!ev->engine)
        return g_new(ntt_evidence_flow_t, 1);
    hosts = alerted_hosts(ev->engine, &n_hosts);
    rows = g_new(ntt_evidence_flow_t, ev->flows->len + 1);
    for (uint32_t id = 0; n_hosts && id < ev->flows->len; id++) {
        const evidence_flow_t *f = &g_array_index(ev->flows, evidence_flow_t, id);
        const ntt_flow_summary_t *s;

        if (f->packets == 0 || !(s = ntt_engine_flow(ev->engine, id)))
            continue;
        if (!is_alerted(hosts, n_hosts, s->ip_version, &s->orig_addr) &&
            !is_alerted(hosts, n_hosts, s->ip_version, &s->resp_addr))
            continue;
        rows[*count] = (ntt_evidence_flow_t){
            .flow_id = id, .summary = s,
            .first_frame = f->first_frame, .last_frame = f->last_frame,
            .packets = f->packets, .bytes = f->bytes,
        };
        (*count)++;
    }
    g_free(hosts);
    return rows;
}

const ntt_geo_info_t *ntt_evidence_dst_geo(const ntt_engine_t *engine,
                                           const ntt_episode_t *ep)
{
    ntt_geo_t *geo = engine ? ntt_engine_geo(engine) : NULL;

    if (!geo || !ep->has_dst)
        return NULL;
    return ntt_geo_info(geo, ntt_geo_lookup(geo, &ep->dst, ep->ip_version));
}

const char *ntt_evidence_proto_name(uint8_t ip_proto, char *buf, size_t size)
{
    return ntt_ip_proto_name(ip_proto, buf, size);
}

char *ntt_evidence_utc(int64_t ts_ns, char *buf, size_t size)
{
    return ntt_format_utc(ts_ns, buf, size);
}
