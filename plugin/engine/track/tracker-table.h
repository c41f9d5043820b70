/* tracker-table.h
 * What every detector keeps: trackers found by a small fixed-size key
 * (source, target, port ...), in least-recently-seen order, capped. When
 * the table is full the stalest tracker makes room; idle trackers expire
 * from the old end. Both are O(1) amortized per packet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_TRACKER_TABLE_H
#define NTT_TRACKER_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntt/packet.h"

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
 * releases what a value owns before the tracker goes. */
ntt_tracker_table_t *ntt_tracker_table_new(uint32_t cap, size_t value_size,
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

/* Drops trackers not seen for longer than idle_ns. */
void ntt_tracker_table_expire(ntt_tracker_table_t *table, int64_t now_ns,
                              int64_t idle_ns);

uint32_t ntt_tracker_table_count(const ntt_tracker_table_t *table);

/* Fills a key; unused parts zero. */
void ntt_tracker_key_init(ntt_tracker_key_t *key, uint8_t kind,
                          uint8_t ip_version, const ntt_addr_t *a,
                          const ntt_addr_t *b, uint16_t port);

#endif /* NTT_TRACKER_TABLE_H */
