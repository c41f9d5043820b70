/* tracker-table.h
 * What every detector keeps: trackers found by a small fixed-size key
 * (source, target, port ...), in least-recently-seen order, capped. When
 * the table is full the stalest tracker makes room; idle trackers expire
 * from the old end. Both are O(1) amortized per packet.
 *
 * Two bounds: max_entries trackers (ntt.max_trackers), and the bytes the
 * table takes -- its trackers, what they own (charged through the
 * table's account), its buckets -- against the engine's memcap. In
 * emergency mode (util/memcap.h) the table pays for what it adds with its
 * own trackers: those idle past a tenth of the idle time the detector
 * expires them by, then its oldest, never its newest (the one a detector
 * is working on: ntt_tracker_table_get() makes it the newest).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_TRACKER_TABLE_H
#define NTT_TRACKER_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntt/packet.h"
#include "util/memcap.h"

/* A tracker key: addresses, a port, a kind; unused bytes stay zero so
 * keys compare and hash as plain bytes. */
typedef struct ntt_tracker_key {
    ntt_addr_t a;
    ntt_addr_t b;
    uint16_t   port;
    uint8_t    ip_version;
    uint8_t    kind;
} ntt_tracker_key_t;

typedef struct ntt_tracker_table ntt_tracker_table_t;

/* value_size bytes of zeroed state per tracker; free_value (may be NULL)
 * releases what a value owns before the tracker goes. memcap (NULL: no
 * cap) is the engine's; name is the table's account there ("portscan",
 * "synflood" ...), which the report shows. */
ntt_tracker_table_t *ntt_tracker_table_new(ntt_memcap_t *memcap, const char *name,
                                           uint32_t max_entries, size_t value_size,
                                           void (*free_value)(void *value));
void ntt_tracker_table_free(ntt_tracker_table_t *table);

/* The tracker of key, made fresh (zeroed) when there is none; marks it
 * seen at now_ns. *evicted: the table was full and its stalest tracker
 * went to make room. */
void *ntt_tracker_table_get(ntt_tracker_table_t *table,
                            const ntt_tracker_key_t *key, int64_t now_ns,
                            bool *created, bool *evicted);

/* The tracker of key, or NULL; does not mark it seen. */
void *ntt_tracker_table_find(ntt_tracker_table_t *table,
                             const ntt_tracker_key_t *key);

/* The tracker of key marked seen at now_ns, or NULL: none, and none is
 * made (a detector that watches only what it has begun to watch). */
void *ntt_tracker_table_touch(ntt_tracker_table_t *table,
                              const ntt_tracker_key_t *key, int64_t now_ns);

/* Drops trackers not seen for longer than idle_ns (a tenth of it in
 * emergency mode). The table remembers idle_ns for its emergency relief. */
void ntt_tracker_table_expire(ntt_tracker_table_t *table, int64_t now_ns,
                              int64_t idle_ns);

/* The table's account, for what its values own that grows and shrinks
 * (a probe book charges it); NULL without a memcap. */
ntt_memcap_account_t *ntt_tracker_table_account(ntt_tracker_table_t *table);

/* bytes a value owns outside the table (a ring it allocated, freed by
 * free_value), counted with its tracker until the tracker goes. */
void ntt_tracker_table_charge(ntt_tracker_table_t *table, void *value, size_t bytes);

uint32_t ntt_tracker_table_count(const ntt_tracker_table_t *table);

/* Fills a key; unused parts zero. */
void ntt_tracker_key_init(ntt_tracker_key_t *key, uint8_t kind,
                          uint8_t ip_version, const ntt_addr_t *a,
                          const ntt_addr_t *b, uint16_t port);

#endif /* NTT_TRACKER_TABLE_H */
