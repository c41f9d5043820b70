/* running-stats.c
 * Welford's streaming mean and variance (util/running-stats.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/running-stats.h"

#include <math.h>

void ntt_running_add(ntt_running_stats_t *s, double x)
{
    double delta = x - s->mean;

    s->n++;
    s->mean += delta / (double)s->n;
    s->m2 += delta * (x - s->mean);
}

/* Merging a group of k zeros (mean 0, m2 0) into the stream. */
void ntt_running_add_zeros(ntt_running_stats_t *s, uint64_t k)
{
    double n_a = (double)s->n, n_b = (double)k, n;
    double delta = -s->mean;

    if (k == 0)
        return;
    n = n_a + n_b;
    s->mean += delta * n_b / n;
    s->m2 += delta * delta * n_a * n_b / n;
    s->n += k;
}

double ntt_running_variance(const ntt_running_stats_t *s)
{
    return s->n > 0 ? s->m2 / (double)s->n : 0.0;
}

double ntt_running_stdev(const ntt_running_stats_t *s)
{
    double v = ntt_running_variance(s);

    return v > 0 ? sqrt(v) : 0.0;
}
