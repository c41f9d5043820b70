/* bin-counter.h
 * Packets per fixed bin, counted as the bins go by: only the current bin
 * and the busiest so far are kept. The report's 1-second peak rate and
 * the time profile's bins (analytics/time-profile.h) both count this way.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_BIN_COUNTER_H
#define NTT_BIN_COUNTER_H

#include <stdint.h>

typedef struct ntt_bin_counter {
    int64_t  bin;           /* the current bin (a zeroed counter: bin 0) */
    uint64_t pkts;          /* its packets so far */
    int64_t  peak_bin;      /* the first of the busiest */
    uint64_t peak_pkts;
} ntt_bin_counter_t;

/* One packet in bin; a bin before the current one counts in the current
 * one (a timestamp going backwards). Returns how many bins the counter
 * moved on (0: the same bin) and, when it moved, the packets of the bin
 * it closed in *closed (may be NULL). */
static inline int64_t ntt_bin_counter_add(ntt_bin_counter_t *c, int64_t bin, uint64_t *closed)
{
    int64_t moved = 0;

    if (bin > c->bin) {
        moved = bin - c->bin;
        if (closed)
            *closed = c->pkts;
        c->bin = bin;
        c->pkts = 0;
    }
    c->pkts++;
    if (c->pkts > c->peak_pkts) {
        c->peak_pkts = c->pkts;
        c->peak_bin = c->bin;
    }
    return moved;
}

#endif /* NTT_BIN_COUNTER_H */
