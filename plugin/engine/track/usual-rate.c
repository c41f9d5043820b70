/* usual-rate.c
 * See usual-rate.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "track/usual-rate.h"

#include <math.h>

double ntt_usual_rate_value(const ntt_usual_rate_t *u)
{
    return u->weight > 0 ? u->ewma / u->weight : 0.0;
}

static void count_learnt(ntt_usual_rate_t *u, int64_t windows)
{
    int64_t sum = (int64_t)u->learnt + windows;

    u->learnt = sum > UINT32_MAX ? UINT32_MAX : (uint32_t)sum;
}

void ntt_usual_rate_advance(ntt_usual_rate_t *u, int64_t window_ns, uint32_t windows,
                            int64_t now_ns)
{
    double keep = 1.0 - 1.0 / (double)windows;
    int64_t elapsed;

    if (!u->started) {
        u->started = true;
        u->window_start = now_ns;
        return;
    }
    if (now_ns - u->window_start < window_ns)
        return;
    elapsed = (now_ns - u->window_start) / window_ns;
    if (!u->window_hot) {
        double rate = (double)u->window_hits * 1e9 / (double)window_ns;

        u->ewma = keep * u->ewma + (1.0 - keep) * rate;
        u->weight = keep * u->weight + (1.0 - keep);
        count_learnt(u, 1);
    }
    if (elapsed > 1) {
        double decay = pow(keep, (double)(elapsed - 1));

        u->ewma *= decay;
        u->weight = 1.0 - (1.0 - u->weight) * decay;
        count_learnt(u, elapsed - 1);
    }
    u->window_start += elapsed * window_ns;
    u->window_hits = 0;
    u->window_hot = false;
}
