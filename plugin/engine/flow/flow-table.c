/* flow-table.c
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "flow/flow-table.h"

#include <stddef.h>
#include <string.h>

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

/* What one live flow really takes: its allocation (the bucket array is
 * the index's own). */
static size_t flow_size(const ntt_flow_table_t *table)
{
    return sizeof(ntt_live_flow_t) + table->slot_count * sizeof(void *);
}

static size_t flow_bytes(const ntt_flow_table_t *table)
{
    return ntt_memcap_malloc_size(flow_size(table));
}

static void drop_flow(ntt_flow_table_t *table, ntt_live_flow_t *flow)
{
    if (table->on_drop)
        table->on_drop(table->on_drop_ctx, flow);
    ntt_lru_unlink(&table->recency, &flow->recency);
    ntt_hash_table_remove(&table->index, &flow->link);
    table->count--;
    ntt_record_pool_free(&table->records, flow);
    ntt_memcap_release(table->account, flow_bytes(table));
}

static bool is_newest(const ntt_flow_table_t *table, const ntt_live_flow_t *flow)
{
    return ntt_lru_newest(&table->recency) == &flow->recency;
}

/* Emergency relief (util/memcap.h): flows idle past a tenth of the
 * timeout, then the oldest until bytes are freed -- never the newest, the
 * one a packet may be working on. */
static void relieve(void *ctx, size_t bytes)
{
    ntt_flow_table_t *table = ctx;
    int64_t early = table->idle_ns / NTT_EMERGENCY_TIMEOUT_DIVISOR;
    uint64_t start = table->account->bytes;
    ntt_live_flow_t *oldest;

    while ((oldest = ntt_flow_table_oldest(table)) != NULL &&
           table->now_ns - oldest->last_ns > early && !is_newest(table, oldest)) {
        drop_flow(table, oldest);
        table->account->emergency_expired++;
    }
    while (table->account->bytes + bytes > start &&
           (oldest = ntt_flow_table_oldest(table)) != NULL && !is_newest(table, oldest)) {
        drop_flow(table, oldest);
        table->account->emergency_evicted++;
    }
}

void ntt_flow_table_init(ntt_flow_table_t *table, ntt_memcap_t *memcap, int64_t idle_ns)
{
    memset(table, 0, sizeof *table);
    table->account = ntt_memcap_open(memcap, "flows");
    ntt_memcap_set_relief(table->account, relieve, table);
    ntt_hash_table_init(&table->index,
                        offsetof(ntt_live_flow_t, key) - offsetof(ntt_live_flow_t, link),
                        sizeof(ntt_flow_key_t), ntt_memcap_hash_seed(memcap), table->account);
    ntt_lru_init(&table->recency);
    ntt_record_pool_init(&table->records, flow_size(table));
    table->idle_ns = idle_ns;
}

void ntt_flow_table_set_slots(ntt_flow_table_t *table, unsigned n)
{
    g_assert(n <= NTT_FLOW_SLOTS && table->count == 0 && !table->records.slabs);
    table->slot_count = n;
    ntt_record_pool_init(&table->records, flow_size(table));
}

/* Every flow goes, oldest first, through on_drop as ever; but none is
 * taken out of the index or the recency list on its own (a bucket read
 * each, and the index rehashed down as it emptied): the records go with
 * their pool, the buckets with the index. */
void ntt_flow_table_clear(ntt_flow_table_t *table)
{
    if (table->on_drop) {
        for (ntt_lru_node_t *node = ntt_lru_oldest(&table->recency); node; node = node->newer)
            table->on_drop(table->on_drop_ctx, NTT_LRU_ENTRY(node, ntt_live_flow_t, recency));
    }
    ntt_memcap_release(table->account, table->count * flow_bytes(table));
    table->count = 0;
    ntt_lru_init(&table->recency);
    ntt_hash_table_clear(&table->index);
    ntt_record_pool_clear(&table->records);
    ntt_memcap_set_relief(table->account, NULL, NULL);
}

uint32_t ntt_flow_table_expire(ntt_flow_table_t *table, int64_t now_ns)
{
    int64_t idle = ntt_memcap_timeout(table->account ? table->account->memcap : NULL,
                                      table->idle_ns);
    ntt_live_flow_t *oldest;
    uint32_t expired = 0;

    table->now_ns = now_ns;
    while ((oldest = ntt_flow_table_oldest(table)) != NULL &&
           now_ns - oldest->last_ns > idle) {
        if (now_ns - oldest->last_ns > table->idle_ns)
            expired++;
        else
            table->account->emergency_expired++;
        drop_flow(table, oldest);
    }
    return expired;
}

ntt_live_flow_t *ntt_flow_table_lookup(ntt_flow_table_t *table,
                                       const ntt_flow_key_t *key)
{
    ntt_hash_link_t *link = ntt_hash_table_find_sized(&table->index, key,
                                                      ntt_hash_table_hash_sized(&table->index, key, sizeof *key),
                                                      sizeof *key);

    return link ? NTT_HASH_ENTRY(link, ntt_live_flow_t, link) : NULL;
}

ntt_live_flow_t *ntt_flow_table_add(ntt_flow_table_t *table,
                                    const ntt_flow_key_t *key, uint32_t id)
{
    ntt_live_flow_t *flow;

    /* Every packet needs its flow: with no room even after the relief,
     * the flow is charged past the cap (emergency mode is on by then). */
    if (!ntt_memcap_reserve(table->account, flow_bytes(table)))
        ntt_memcap_charge(table->account, flow_bytes(table));
    flow = ntt_record_pool_alloc0(&table->records);
    flow->key = *key;
    flow->id = id;
    ntt_hash_table_insert(&table->index, &flow->link,
                          ntt_hash_table_hash_sized(&table->index, &flow->key, sizeof flow->key));
    ntt_lru_push_newest(&table->recency, &flow->recency);
    table->count++;
    return flow;
}

void ntt_flow_table_touch(ntt_flow_table_t *table, ntt_live_flow_t *flow,
                          int64_t ts_ns)
{
    flow->last_ns = ts_ns;
    ntt_lru_touch(&table->recency, &flow->recency);
}

void ntt_flow_table_remove(ntt_flow_table_t *table, ntt_live_flow_t *flow)
{
    drop_flow(table, flow);
}
