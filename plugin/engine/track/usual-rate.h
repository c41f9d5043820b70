/* usual-rate.h
 * A host's usual packet rate, as the floods (UDP, ICMP) and the surges
 * learn it: an exponentially weighted moving average of its rate in
 * consecutive whole windows (tumbling, anchored at its first packet), of
 * weight a = 1/windows. Kept biased with the weight it has learnt
 * (1 - (1-a)^k after k windows), so that its value, ewma / weight, is the
 * plain mean of the first windows and the EWMA later: a host is judged by
 * the history it has, however short, never by a zero it did not show.
 * Windows the detector marks hot (the host looked attacked in them) are
 * not learnt, so a long attack never becomes the usual rate; empty
 * windows are learnt as rate 0 all at once, O(1) however long the gap.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_USUAL_RATE_H
#define NTT_USUAL_RATE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct ntt_usual_rate {
    bool     started;
    int64_t  window_start;   /* of the current whole window */
    uint32_t window_hits;    /* packets in it */
    bool     window_hot;     /* not to be learnt */
    double   ewma;           /* biased average of window rates, packets/s */
    double   weight;         /* 0: no history yet */
    uint32_t learnt;         /* whole windows learnt (empty ones too), saturating */
} ntt_usual_rate_t;

/* Closes the whole windows before now_ns (the first call starts the
 * first window at now_ns). window_ns > 0, windows > 0. */
void ntt_usual_rate_advance(ntt_usual_rate_t *u, int64_t window_ns, uint32_t windows,
                            int64_t now_ns);

/* One packet in the current window. */
static inline void ntt_usual_rate_hit(ntt_usual_rate_t *u)
{
    u->window_hits++;
}

/* The current window is not to be learnt. */
static inline void ntt_usual_rate_hot(ntt_usual_rate_t *u)
{
    u->window_hot = true;
}

/* The usual rate, packets/s; 0 with no history. */
double ntt_usual_rate_value(const ntt_usual_rate_t *u);

#endif /* NTT_USUAL_RATE_H */
