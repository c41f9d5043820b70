/* sliding-count.h
 * Events in the last W nanoseconds, kept in 10 buckets of W/10: a sliding
 * window accurate to a tenth of its length, in constant space and O(1)
 * amortized time, so a burst cannot hide between two tumbling windows.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_SLIDING_COUNT_H
#define NTT_SLIDING_COUNT_H

#include <stdint.h>

#define NTT_SLIDING_BUCKETS 10

typedef struct ntt_sliding_count {
    int64_t  bucket_start;                 /* start of the newest bucket */
    uint32_t head;                         /* index of the newest bucket */
    uint32_t buckets[NTT_SLIDING_BUCKETS];
    uint64_t total;                        /* sum of the buckets */
} ntt_sliding_count_t;

/* Adds n events at now_ns (a zeroed counter is ready to use). */
void ntt_sliding_add(ntt_sliding_count_t *c, int64_t window_ns, int64_t now_ns,
                     uint32_t n);

/* Events within the window ending at now_ns. */
uint64_t ntt_sliding_total(ntt_sliding_count_t *c, int64_t window_ns, int64_t now_ns);

#endif /* NTT_SLIDING_COUNT_H */
