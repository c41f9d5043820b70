/* entropy-window.h
 * Exact counts of the packets of the last W seconds by source address,
 * destination address, destination port, (source, destination) pair and
 * (destination, port) pair, and the running sums that give each
 * distribution's entropy in O(1): with S = sum c log2 c over a
 * distribution of n packets, H = log2 n - S / n, and a count going from
 * c to c' changes S by c' log2 c' - c log2 c.
 *
 * The window slides in tenths (NTT_SLIDING_BUCKETS sub-windows of W/10,
 * as track/sliding-count.h): it holds the packets of the current tenth
 * and the nine before it. Each tenth keeps one record per pair it
 * counted (the pair and how many packets), so that when it leaves the
 * window its packets are taken out again: O(1) amortised per packet.
 *
 * A source's first (source, destination) pair of the window is held in
 * the source's own entry, and a destination's first (destination, port)
 * pair in the destination's, not in the pairs' table: most sources of a
 * window send to one destination (every source of a spoofed flood) and
 * most destinations receive on one port (a server's service, a client's
 * one connection), and a pair held there costs no lookup, no entry and
 * no bucket of its own. The others go to the table. A pair is in one
 * place only: the table is asked first whenever the entry has pairs
 * there.
 *
 * Bounded: at most max_addresses addresses, max_pairs pairs (those held
 * in entries among them) and twice as many records (a pair has
 * at most one a tenth), and every byte (entries, bucket arrays, records, the port counts) is
 * reserved from the engine's memcap first. A table never takes room
 * that is not free (it does not engage emergency mode, nor make the
 * other tables give way): a packet that would need an entry or a record
 * the bounds or the memcap refuse is left out of every figure and
 * counted as uncounted in its tenth. The figures stay exact for the
 * packets counted; the report says how many were left out.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ENTROPY_WINDOW_H
#define NTT_ENTROPY_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include "ntt/entropy.h"
#include "track/sliding-count.h"
#include "util/hash-table.h"
#include "util/memcap.h"
#include "util/record-pool.h"

/* A distribution's running sums. */
typedef struct ntt_entropy_sum {
    uint32_t n;                 /* packets */
    uint32_t distinct;          /* values with a count above 0 */
    double   clogc;             /* sum of c log2 c */
} ntt_entropy_sum_t;

/* The sums' figures (bits clamped to 0 .. log2 n against rounding). */
void ntt_entropy_sum_figure(const ntt_entropy_sum_t *sum, ntt_entropy_figure_t *out);

typedef struct ntt_entropy_addr ntt_entropy_addr_t;
typedef struct ntt_entropy_pair ntt_entropy_pair_t;

/* How a pair is counted, wherever it is held. tenth is the low 32 bits
 * of the tenth it was last recorded in: a pair is recorded as it is made
 * and goes when its last record leaves the window, so a live pair's
 * tenth is one of the window's ten, and 32 bits tell them apart. */
typedef struct ntt_entropy_tally {
    uint32_t count;             /* packets in the window */
    uint32_t rec;               /* its record in tenth `tenth` */
    uint32_t tenth;
} ntt_entropy_tally_t;

/* An address of the window. */
struct ntt_entropy_addr {
    ntt_hash_link_t   link;
    ntt_addr_t        addr;     /* the key: addr, ip_version, zero */
    uint8_t           ip_version;
    uint8_t           zero[3];
    uint32_t          refs;     /* pairs naming it: it goes with the last */
    /* 128 bytes in all, which the pools place on two cache lines. The
     * packets it sent are dsts_from.n, those it received srcs_toward.n. */
    ntt_entropy_sum_t dsts_from;    /* over the destinations of what it sent */
    ntt_entropy_sum_t srcs_toward;  /* over the sources of what it received */
    ntt_entropy_sum_t ports_toward; /* ... and their destination ports */
    /* Its first destination's pair (first_dst NULL: none) and its first
     * port's (port_held), held here; the rest are in the pairs' table,
     * where table_pairs pairs name it first (its destinations' and its
     * ports'). */
    ntt_entropy_addr_t *first_dst;
    ntt_entropy_tally_t first;
    ntt_entropy_tally_t port;
    uint32_t            table_pairs;
    uint16_t            first_port;
    bool                port_held;
};

/* A sub-window's record: a pair counted count times in it. item is a
 * table pair's address, or an entry's with the kind of pair it holds in
 * the low bits (entropy-window.c): entries are at least 16-byte aligned. */
typedef struct ntt_entropy_record {
    uintptr_t item;
    uint32_t  count;
} ntt_entropy_record_t;

typedef struct ntt_entropy_tenth {
    ntt_entropy_record_t *records;
    uint32_t              len, cap;
    uint32_t              uncounted;
} ntt_entropy_tenth_t;

typedef struct ntt_entropy_counts {
    int64_t               window_ns;
    int64_t               tenth_ns;
    uint32_t              max_addresses, max_pairs, max_records;
    uint32_t              records;      /* in all the tenths */
    uint32_t              pair_count;   /* in the table and in entries */
    bool                  started;
    int64_t               origin_ns;    /* first packet: tenth 0 starts there */
    int64_t               tenth;        /* the current tenth, from origin */
    ntt_entropy_tenth_t   tenths[NTT_SLIDING_BUCKETS];
    ntt_hash_table_t      addrs;        /* ntt_entropy_addr_t */
    ntt_hash_table_t      pairs;        /* ntt_entropy_pair_t: those not held in entries */
    ntt_record_pool_t     addr_records; /* the entries' memory */
    ntt_record_pool_t     pair_records;
    uint32_t             *port_counts;  /* 65536, made with the first port */
    ntt_entropy_sum_t     sum[NTT_ENTROPY_DIMS];
    uint32_t              uncounted;    /* in the window */
    uint64_t              uncounted_total; /* in the whole file */
    ntt_memcap_account_t *account;
    /* Called when a window of whole tenths ends, before it slides on:
     * every NTT_SLIDING_BUCKETS tenths. */
    void                (*on_window)(void *ctx, int64_t start_ns, int64_t end_ns);
    void                 *on_window_ctx;
} ntt_entropy_counts_t;

/* window_ns above 0; max_* bound the tables (2 * max_pairs records);
 * memcap may be NULL. */
void ntt_entropy_counts_init(ntt_entropy_counts_t *c, int64_t window_ns,
                             uint32_t max_addresses, uint32_t max_pairs,
                             ntt_memcap_t *memcap);
void ntt_entropy_counts_clear(ntt_entropy_counts_t *c);

/* One IP packet (ports: has_ports). Packets in time order; one earlier
 * than the current tenth counts in it. */
void ntt_entropy_counts_add(ntt_entropy_counts_t *c, const ntt_packet_t *packet);

/* The window's figures of a dimension. */
void ntt_entropy_counts_figure(const ntt_entropy_counts_t *c, ntt_entropy_dim_t dim,
                               ntt_entropy_figure_t *out);

/* An address of the window, or NULL. */
const ntt_entropy_addr_t *ntt_entropy_counts_addr(const ntt_entropy_counts_t *c,
                                                  const ntt_addr_t *addr,
                                                  uint8_t ip_version);

/* The window's start: the first tenth it holds, not before the first
 * packet. */
int64_t ntt_entropy_counts_start(const ntt_entropy_counts_t *c);

/* The top n receivers of the window, most packets first (ties: the lower
 * address), into top; returns how many. Walks the address table: call
 * once a window. */
unsigned ntt_entropy_counts_top(const ntt_entropy_counts_t *c, ntt_entropy_host_t *top,
                                unsigned n);

#endif /* NTT_ENTROPY_WINDOW_H */
