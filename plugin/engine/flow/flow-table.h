/* flow-table.h
 * The live flow table: flows that may still see packets, found by their
 * canonical key, kept in least-recently-seen order so that idle flows
 * expire and, under a flood, the stalest flow makes room for a new one.
 * Its bytes count against the engine's memcap (account "flows"); in
 * emergency mode flows idle past a tenth of the timeout go, and a new
 * flow takes the place of the oldest.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_FLOW_TABLE_H
#define NTT_FLOW_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "flow/conn-state.h"
#include "ntt/packet.h"
#include "util/hash-table.h"
#include "util/lru-list.h"
#include "util/memcap.h"
#include "util/record-pool.h"

/* How a flow is keyed, beyond addresses and protocol. */
typedef enum ntt_flow_kind {
    NTT_FLOW_PORTS = 0,    /* TCP, UDP, SCTP: by ports */
    NTT_FLOW_ECHO,         /* ICMP(v6) echo: by identifier */
    NTT_FLOW_ADDRS,        /* anything else: address pair and protocol */
} ntt_flow_kind_t;

/* Canonical (direction-free) key: side a is the smaller (address, port). */
typedef struct ntt_flow_key {
    ntt_addr_t a;
    ntt_addr_t b;
    uint16_t   port_a;
    uint16_t   port_b;
    uint8_t    ip_version;
    uint8_t    ip_proto;
    uint8_t    kind;           /* ntt_flow_kind_t */
    uint8_t    zero;           /* padding, always 0: keys compare as bytes */
} ntt_flow_key_t;

typedef struct ntt_live_flow ntt_live_flow_t;

/* Detector families that keep per-flow data, at most (one slot each). */
#define NTT_FLOW_SLOTS 4

struct ntt_live_flow {
    ntt_hash_link_t   link;         /* in the table's index */
    ntt_lru_node_t    recency;      /* least-recently-seen order */
    ntt_flow_key_t    key;
    uint32_t          id;
    bool              orig_is_a;    /* the originator is side a of the key */
    uint8_t           opener;       /* ntt_opener_t of its first packet,
                                       when the originator sent it */
    bool              base_seq_set[2];
    uint32_t          base_seq[2];  /* first sequence number, per direction */
    int64_t           last_ns;
    ntt_tcp_tracker_t tcp;
    /* The detectors' per-flow data (detect/detector.h), NULL: none; as
     * many as were handed out (ntt_flow_table_set_slots()), at most
     * NTT_FLOW_SLOTS: a family that is off takes none, and with the
     * defaults a flow carries one, not four (Suricata sizes its
     * FlowStorage by what registered, likewise). */
    void             *slots[];
};

typedef struct ntt_flow_table {
    ntt_hash_table_t      index;    /* by key */
    ntt_lru_list_t        recency;
    ntt_record_pool_t     records;  /* the flows' memory */
    unsigned              slot_count; /* of every flow's slots[] */
    uint32_t              count;
    ntt_memcap_account_t *account;  /* NULL: not counted */
    int64_t               idle_ns;  /* the flow timeout */
    int64_t               now_ns;   /* the latest packet time seen */
    /* Called for every flow that goes, however it goes (expiry, eviction,
     * emergency relief, a SYN starting over, clearing): what was kept on
     * it (the detectors' slots) goes with it. */
    void                (*on_drop)(void *ctx, ntt_live_flow_t *flow);
    void                 *on_drop_ctx;
} ntt_flow_table_t;

/* Every flow has n slots (at most NTT_FLOW_SLOTS): set before the first
 * flow is added. */
void ntt_flow_table_set_slots(ntt_flow_table_t *table, unsigned n);

/* Fills key from a packet; *src_is_a tells on which side the sender is. */
void ntt_flow_key_from_packet(const ntt_packet_t *packet,
                              ntt_flow_key_t *key, bool *src_is_a);

/* memcap may be NULL (no cap); idle_ns is the flow timeout. */
void ntt_flow_table_init(ntt_flow_table_t *table, ntt_memcap_t *memcap,
                         int64_t idle_ns);
void ntt_flow_table_clear(ntt_flow_table_t *table);

/* Ends the flows idle longer than the timeout (a tenth of it in emergency
 * mode) at now_ns; returns how many were idle past the whole timeout
 * (the others are the account's emergency_expired). */
uint32_t ntt_flow_table_expire(ntt_flow_table_t *table, int64_t now_ns);

ntt_live_flow_t *ntt_flow_table_lookup(ntt_flow_table_t *table,
                                       const ntt_flow_key_t *key);

/* Adds a new flow (zeroed but for key and id) as the newest. In
 * emergency mode the table first frees as many bytes of its own; the
 * flow is added in any case. */
ntt_live_flow_t *ntt_flow_table_add(ntt_flow_table_t *table,
                                    const ntt_flow_key_t *key, uint32_t id);

/* Marks a flow as just seen. */
void ntt_flow_table_touch(ntt_flow_table_t *table, ntt_live_flow_t *flow,
                          int64_t ts_ns);

void ntt_flow_table_remove(ntt_flow_table_t *table, ntt_live_flow_t *flow);

/* The least recently seen flow, or NULL when empty. */
static inline ntt_live_flow_t *ntt_flow_table_oldest(ntt_flow_table_t *table)
{
    ntt_lru_node_t *node = ntt_lru_oldest(&table->recency);

    return node ? NTT_LRU_ENTRY(node, ntt_live_flow_t, recency) : NULL;
}

#endif /* NTT_FLOW_TABLE_H */
