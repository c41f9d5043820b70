/* flow-table.c
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "flow/flow-table.h"

#include <string.h>

/* Keys are fixed-size byte strings; mix them 8 bytes at a time. */
static guint flow_key_hash(gconstpointer data)
{
    const ntt_flow_key_t *key = data;
    const unsigned char *bytes = (const unsigned char *)key;
    uint64_t h = UINT64_C(0x9E3779B97F4A7C15);

    G_STATIC_ASSERT(sizeof(ntt_flow_key_t) % 8 == 0);
    for (size_t i = 0; i < sizeof *key; i += 8) {
        uint64_t word;
        memcpy(&word, bytes + i, 8);
        h ^= word;
        h *= UINT64_C(0xFF51AFD7ED558CCD);
        h ^= h >> 32;
    }
    return (guint)(h ^ (h >> 29));
}

static gboolean flow_key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(ntt_flow_key_t)) == 0;
}

static int compare_endpoints(const ntt_addr_t *addr1, uint16_t port1,
                             const ntt_addr_t *addr2, uint16_t port2)
{
    int c = memcmp(addr1->bytes, addr2->bytes, sizeof addr1->bytes);

    if (c != 0)
        return c;
    return (int)port1 - (int)port2;
}

void ntt_flow_key_from_packet(const ntt_packet_t *packet,
                              ntt_flow_key_t *key, bool *src_is_a)
{
    uint16_t sport = 0, dport = 0;

    memset(key, 0, sizeof *key);
    key->ip_version = packet->ip_version;
    key->ip_proto = packet->ip_proto;
    if (packet->has_ports) {
        key->kind = NTT_FLOW_PORTS;
        sport = packet->sport;
        dport = packet->dport;
    } else if (packet->has_icmp &&
               ntt_icmp_is_echo(packet->ip_proto, packet->icmp_type)) {
        /* Request and reply carry the same identifier: use it on both
         * sides so that the key is the same in both directions. */
        key->kind = NTT_FLOW_ECHO;
        sport = dport = packet->icmp_id;
    } else {
        key->kind = NTT_FLOW_ADDRS;
    }

    *src_is_a = compare_endpoints(&packet->src, sport, &packet->dst, dport) <= 0;
    if (*src_is_a) {
        key->a = packet->src;
        key->b = packet->dst;
        key->port_a = sport;
        key->port_b = dport;
    } else {
        key->a = packet->dst;
        key->b = packet->src;
        key->port_a = dport;
        key->port_b = sport;
    }
}

void ntt_flow_table_init(ntt_flow_table_t *table)
{
    table->flows = g_hash_table_new_full(flow_key_hash, flow_key_equal,
                                         NULL, g_free);
    table->oldest = table->newest = NULL;
    table->count = 0;
}

void ntt_flow_table_clear(ntt_flow_table_t *table)
{
    if (table->flows)
        g_hash_table_destroy(table->flows);
    table->flows = NULL;
    table->oldest = table->newest = NULL;
    table->count = 0;
}

ntt_live_flow_t *ntt_flow_table_lookup(ntt_flow_table_t *table,
                                       const ntt_flow_key_t *key)
{
    return g_hash_table_lookup(table->flows, key);
}

static void unlink_flow(ntt_flow_table_t *table, ntt_live_flow_t *flow)
{
    if (flow->older)
        flow->older->newer = flow->newer;
    else
        table->oldest = flow->newer;
    if (flow->newer)
        flow->newer->older = flow->older;
    else
        table->newest = flow->older;
    flow->older = flow->newer = NULL;
}

static void link_newest(ntt_flow_table_t *table, ntt_live_flow_t *flow)
{
    flow->older = table->newest;
    flow->newer = NULL;
    if (table->newest)
        table->newest->newer = flow;
    else
        table->oldest = flow;
    table->newest = flow;
}

ntt_live_flow_t *ntt_flow_table_add(ntt_flow_table_t *table,
                                    const ntt_flow_key_t *key, uint32_t id)
{
    ntt_live_flow_t *flow = g_new0(ntt_live_flow_t, 1);

    flow->key = *key;
    flow->id = id;
    g_hash_table_insert(table->flows, &flow->key, flow);
    link_newest(table, flow);
    table->count++;
    return flow;
}

void ntt_flow_table_touch(ntt_flow_table_t *table, ntt_live_flow_t *flow,
                          int64_t ts_ns)
{
    flow->last_ns = ts_ns;
    if (table->newest != flow) {
        unlink_flow(table, flow);
        link_newest(table, flow);
    }
}

void ntt_flow_table_remove(ntt_flow_table_t *table, ntt_live_flow_t *flow)
{
    unlink_flow(table, flow);
    table->count--;
    /* Frees the flow: the table owns it. */
    g_hash_table_remove(table->flows, &flow->key);
}
