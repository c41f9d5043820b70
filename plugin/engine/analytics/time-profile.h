/* time-profile.h
 * The capture over time, as the report's packets show it: packets, bytes,
 * new flows and alert packets per bin, and how bursty the traffic is.
 *
 * Two views of the same packets:
 *  - the burstiness figures, at the fixed width ntt.bin_seconds from the
 *    first packet on: per-bin packet counts (empty bins included) and the
 *    packets' inter-arrival times, each as a streaming mean and variance,
 *    so any capture length costs the same few bytes;
 *  - the timeline, at most max_bins bins: when a packet falls past the
 *    last one, neighbouring bins are merged in pairs and the timeline's
 *    width doubles (bin_seconds x 2^k), so totals are kept exactly and a
 *    long capture costs at most max_bins bins.
 *
 * Packet time only. A timestamp going backwards counts in the current
 * fixed bin and as an inter-arrival time of 0 (the capture's order, not a
 * negative time); in the timeline it counts in the bin of its time (the
 * first one if it comes before the first packet).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_TIME_PROFILE_H
#define NTT_TIME_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "analytics/bin-counter.h"
#include "util/running-stats.h"

typedef struct ntt_time_bin {
    uint64_t pkts;
    uint64_t bytes;
    uint64_t new_flows;
    uint64_t alert_pkts;
} ntt_time_bin_t;

typedef struct ntt_time_profile {
    int64_t  bin_ns;            /* the fixed width */
    unsigned max_bins;          /* the timeline's budget (even, >= 2) */
    bool     started;
    int64_t  first_ns;          /* both views start here */
    uint64_t packets;

    /* Burstiness at the fixed width. */
    ntt_bin_counter_t   fixed;  /* the current bin and the busiest */
    ntt_running_stats_t closed; /* packet counts of the bins before it */
    int64_t  prev_ns;           /* the previous packet */
    ntt_running_stats_t iat;    /* inter-arrival times, seconds */

    /* The timeline. */
    ntt_time_bin_t *bins;
    unsigned        len;        /* bins in use */
    unsigned        doublings;  /* its width is bin_ns << doublings */
} ntt_time_profile_t;

/* The figures of the fixed bins, with the current one closed. */
typedef struct ntt_burstiness {
    uint64_t bins;              /* fixed bins from the first packet to the last */
    double   mean;              /* packets a bin */
    double   stdev;
    uint64_t peak;              /* packets in the busiest bin */
    int64_t  peak_bin;          /* its index from the first packet */
    double   peak_to_mean;      /* 0 when mean is 0 */
    double   cv;                /* stdev / mean */
    double   fano;              /* variance / mean */
    uint64_t iat_count;         /* inter-arrival times (packets - 1) */
    double   iat_mean;          /* seconds */
    double   iat_stdev;
    bool     has_b;             /* B needs two gaps and a nonzero mean or stdev */
    double   b;                 /* Goh-Barabasi (stdev - mean) / (stdev + mean) */
} ntt_burstiness_t;

/* bin_ns > 0; max_bins is rounded up to an even number, at least 2. */
void ntt_time_profile_init(ntt_time_profile_t *p, int64_t bin_ns, unsigned max_bins);
void ntt_time_profile_clear(ntt_time_profile_t *p);

void ntt_time_profile_add(ntt_time_profile_t *p, int64_t ts_ns, uint32_t bytes,
                          bool new_flow, bool alert);

void ntt_time_profile_burstiness(const ntt_time_profile_t *p, ntt_burstiness_t *out);

/* The timeline's bin width. */
int64_t ntt_time_profile_timeline_ns(const ntt_time_profile_t *p);

#endif /* NTT_TIME_PROFILE_H */
