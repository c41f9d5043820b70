/* running-stats.h
 * Mean and variance of a stream of numbers in constant space (Welford
 * 1962): numerically stable where the sum-of-squares formula cancels, and
 * able to take k zeros at once (the empty bins of a quiet gap) by Chan,
 * Golub and LeVeque's rule for merging two groups, O(1) however large k.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_RUNNING_STATS_H
#define NTT_RUNNING_STATS_H

#include <stdint.h>

typedef struct ntt_running_stats {
    uint64_t n;
    double   mean;
    double   m2;        /* sum of squared deviations from the mean */
} ntt_running_stats_t;

/* A zeroed struct is an empty stream. */
void ntt_running_add(ntt_running_stats_t *s, double x);
void ntt_running_add_zeros(ntt_running_stats_t *s, uint64_t k);

/* Population variance (divided by n, not n - 1): the figures describe
 * the capture itself, not a sample of a larger one. 0 when n < 1. */
double ntt_running_variance(const ntt_running_stats_t *s);
double ntt_running_stdev(const ntt_running_stats_t *s);

#endif /* NTT_RUNNING_STATS_H */
