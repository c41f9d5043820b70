/* sliding-count.c
 * See sliding-count.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "track/sliding-count.h"

#include <string.h>

/* Moves the newest bucket forward to the one holding now_ns, emptying
 * the buckets that fall out of the window. */
static void advance(ntt_sliding_count_t *c, int64_t window_ns, int64_t now_ns)
{
    int64_t width = window_ns / NTT_SLIDING_BUCKETS;
    int64_t steps;

    if (width <= 0)
        width = 1;
    if (c->total == 0 && c->bucket_start == 0) {
        c->bucket_start = now_ns;
        return;
    }
    if (now_ns < c->bucket_start + width)
        return;            /* same bucket (or time went back: keep it) */
    steps = (now_ns - c->bucket_start) / width;
    if (steps >= NTT_SLIDING_BUCKETS) {
        memset(c->buckets, 0, sizeof c->buckets);
        c->total = 0;
    } else {
        for (int64_t i = 0; i < steps; i++) {
            c->head = (c->head + 1) % NTT_SLIDING_BUCKETS;
            c->total -= c->buckets[c->head];
            c->buckets[c->head] = 0;
        }
    }
    c->bucket_start += steps * width;
}

void ntt_sliding_add(ntt_sliding_count_t *c, int64_t window_ns, int64_t now_ns,
                     uint32_t n)
{
    advance(c, window_ns, now_ns);
    c->buckets[c->head] += n;
    c->total += n;
}

uint64_t ntt_sliding_total(ntt_sliding_count_t *c, int64_t window_ns, int64_t now_ns)
{
    advance(c, window_ns, now_ns);
    return c->total;
}
