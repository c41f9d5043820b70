/* entropy.h
 * Shannon entropy of the traffic's source addresses, destination
 * addresses and destination ports over a sliding window of
 * ntt.entropy_window seconds, for the whole capture and per destination
 * host, as the reports read it (docs/analytics.md, "Entropy").
 *
 * Over the n packets of a window whose values occur c_1 .. c_k times,
 * H = -sum (c_i / n) log2 (c_i / n) bits; normalised, H / log2 n, so 1
 * means every packet carried a value of its own (the most n packets
 * allow: a spoofed flood's sources, a scan's ports) and 0 that all
 * carried the same one. A window of one packet has 0 bits, normalised 0.
 *
 * The figures belong to the capture, like the episodes: a report's
 * display filter does not narrow them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ENTROPY_H
#define NTT_ENTROPY_H

#include <stdbool.h>
#include <stdint.h>

#include "ntt/packet.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What a distribution is of. */
typedef enum ntt_entropy_dim {
    NTT_ENTROPY_SRC = 0,        /* source addresses */
    NTT_ENTROPY_DST,            /* destination addresses */
    NTT_ENTROPY_DPORT,          /* destination ports (TCP, UDP, SCTP) */
    NTT_ENTROPY_DIMS
} ntt_entropy_dim_t;

/* "src", "dst", "dport": the JSON keys. */
const char *ntt_entropy_dim_key(ntt_entropy_dim_t dim);

/* One distribution's figures. */
typedef struct ntt_entropy_figure {
    uint32_t packets;           /* the packets it is over */
    uint32_t distinct;          /* values among them */
    double   bits;              /* Shannon entropy */
    double   normalized;        /* bits / log2 packets: 0 .. 1 */
} ntt_entropy_figure_t;

/* A destination host in one window: the sources and ports of the packets
 * it received. */
typedef struct ntt_entropy_host {
    ntt_addr_t           addr;
    uint8_t              ip_version;
    uint32_t             windows;   /* host book: windows it was a top receiver of */
    int64_t              window_end_ns;
    ntt_entropy_figure_t src;       /* .packets: what it received */
    ntt_entropy_figure_t dport;
} ntt_entropy_host_t;

/* The destinations a window keeps, busiest first. */
#define NTT_ENTROPY_TOP_HOSTS 3

/* One window of the timeline. */
typedef struct ntt_entropy_window {
    int64_t              start_ns;
    int64_t              end_ns;
    uint32_t             uncounted;  /* packets that found the tables full */
    ntt_entropy_figure_t figure[NTT_ENTROPY_DIMS];
    unsigned             top_count;
    ntt_entropy_host_t   top[NTT_ENTROPY_TOP_HOSTS];
} ntt_entropy_window_t;

/* A change of one figure from one window to the next. */
typedef struct ntt_entropy_move {
    ntt_entropy_dim_t    dim;
    int64_t              before_end_ns;
    int64_t              start_ns;       /* the window after */
    int64_t              end_ns;
    ntt_entropy_figure_t before;
    ntt_entropy_figure_t after;
} ntt_entropy_move_t;

#define NTT_ENTROPY_MOVES 5
#define NTT_ENTROPY_HOSTS 16

typedef struct ntt_entropy ntt_entropy_t;

/* Everything the reports show, the window still open at the last packet
 * included (read, not closed: the engine may see more packets). */
typedef struct ntt_entropy_view {
    int64_t                     window_ns;
    uint32_t                    max_addresses;  /* the tables' bounds */
    uint32_t                    max_pairs;
    uint64_t                    windows;        /* with packets, all of them */
    uint64_t                    full_windows;   /* of which with packets left out */
    uint64_t                    uncounted;      /* packets left out, in all */
    const ntt_entropy_window_t *timeline;       /* every stride-th window ... */
    unsigned                    timeline_count;
    uint64_t                    stride;
    bool                        has_open;       /* ... and the open one */
    ntt_entropy_window_t        open;
    ntt_entropy_figure_t        lowest[NTT_ENTROPY_DIMS];  /* over the windows */
    ntt_entropy_figure_t        highest[NTT_ENTROPY_DIMS];
    int64_t                     highest_end_ns[NTT_ENTROPY_DIMS];
    double                      mean_normalized[NTT_ENTROPY_DIMS];
    unsigned                    move_count;     /* largest first */
    ntt_entropy_move_t          moves[NTT_ENTROPY_MOVES];
    unsigned                    host_count;     /* most packets first */
    ntt_entropy_host_t          hosts[NTT_ENTROPY_HOSTS];
} ntt_entropy_view_t;

/* The engine's entropy, NULL when ntt_config_t.entropy_window_ns is 0. */
struct ntt_engine;
const ntt_entropy_t *ntt_engine_entropy(const struct ntt_engine *engine);

/* NULL entropy: a view with no window. */
void ntt_entropy_view(const ntt_entropy_t *entropy, ntt_entropy_view_t *view);

#ifdef __cplusplus
}
#endif

#endif /* NTT_ENTROPY_H */
