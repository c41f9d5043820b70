/* time-profile.c
 * Bins, timeline and burstiness of the report's packets
 * (analytics/time-profile.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analytics/time-profile.h"

#include <string.h>

#include <glib.h>

void ntt_time_profile_init(ntt_time_profile_t *p, int64_t bin_ns, unsigned max_bins)
{
    memset(p, 0, sizeof *p);
    p->bin_ns = bin_ns > 0 ? bin_ns : 1;
    p->max_bins = MAX(2u, max_bins + (max_bins & 1u));
}

void ntt_time_profile_clear(ntt_time_profile_t *p)
{
    g_free(p->bins);
    ntt_time_profile_init(p, p->bin_ns, p->max_bins);
}

int64_t ntt_time_profile_timeline_ns(const ntt_time_profile_t *p)
{
    /* Doublings stop long before the shift could overflow: a gap of 2^63
     * ns takes at most 63 of them. */
    return p->doublings < 63 && p->bin_ns <= (INT64_MAX >> p->doublings)
               ? p->bin_ns << p->doublings : INT64_MAX;
}

/* The fixed bin of ts closes the ones before it: their counts, and the
 * empty bins of a gap all at once. */
static void count_fixed(ntt_time_profile_t *p, int64_t ts_ns)
{
    uint64_t closed = 0;
    int64_t moved = ntt_bin_counter_add(&p->fixed, (ts_ns - p->first_ns) / p->bin_ns, &closed);

    if (moved > 0) {
        ntt_running_add(&p->closed, (double)closed);
        ntt_running_add_zeros(&p->closed, (uint64_t)(moved - 1));
    }
}

/* Halves the timeline: bins 2i and 2i+1 become bin i. */
static void merge_pairs(ntt_time_profile_t *p)
{
    unsigned half = (p->len + 1) / 2;

    for (unsigned i = 0; i < half; i++) {
        ntt_time_bin_t sum = p->bins[2 * i];

        if (2 * i + 1 < p->len) {
            const ntt_time_bin_t *b = &p->bins[2 * i + 1];

            sum.pkts += b->pkts;
            sum.bytes += b->bytes;
            sum.new_flows += b->new_flows;
            sum.alert_pkts += b->alert_pkts;
        }
        p->bins[i] = sum;
    }
    memset(&p->bins[half], 0, (p->len - half) * sizeof p->bins[0]);
    p->len = half;
    p->doublings++;
}

static ntt_time_bin_t *timeline_bin(ntt_time_profile_t *p, int64_t ts_ns)
{
    int64_t offset = MAX(ts_ns - p->first_ns, 0);
    int64_t index = offset / ntt_time_profile_timeline_ns(p);

    while (index >= (int64_t)p->max_bins) {
        merge_pairs(p);
        index = offset / ntt_time_profile_timeline_ns(p);
    }
    if (!p->bins)
        p->bins = g_new0(ntt_time_bin_t, p->max_bins);
    if ((unsigned)index >= p->len)
        p->len = (unsigned)index + 1;
    return &p->bins[index];
}

void ntt_time_profile_add(ntt_time_profile_t *p, int64_t ts_ns, uint32_t bytes,
                          bool new_flow, bool alert)
{
    ntt_time_bin_t *b;

    if (!p->started) {
        p->started = true;
        p->first_ns = p->prev_ns = ts_ns;
    } else {
        ntt_running_add(&p->iat, ts_ns > p->prev_ns ? (double)(ts_ns - p->prev_ns) / 1e9 : 0.0);
        p->prev_ns = ts_ns;
    }
    p->packets++;
    count_fixed(p, ts_ns);
    b = timeline_bin(p, ts_ns);
    b->pkts++;
    b->bytes += bytes;
    b->new_flows += new_flow;
    b->alert_pkts += alert;
}

void ntt_time_profile_burstiness(const ntt_time_profile_t *p, ntt_burstiness_t *out)
{
    ntt_running_stats_t counts = p->closed;
    double var, sum;

    memset(out, 0, sizeof *out);
    if (!p->started)
        return;
    ntt_running_add(&counts, (double)p->fixed.pkts);
    var = ntt_running_variance(&counts);
    out->bins = counts.n;
    out->mean = counts.mean;
    out->stdev = ntt_running_stdev(&counts);
    out->peak = p->fixed.peak_pkts;
    out->peak_bin = p->fixed.peak_bin;
    if (out->mean > 0) {
        out->peak_to_mean = (double)out->peak / out->mean;
        out->cv = out->stdev / out->mean;
        out->fano = var / out->mean;
    }
    out->iat_count = p->iat.n;
    out->iat_mean = p->iat.mean;
    out->iat_stdev = ntt_running_stdev(&p->iat);
    sum = out->iat_stdev + out->iat_mean;
    out->has_b = p->iat.n >= 2 && sum > 0;
    if (out->has_b)
        out->b = (out->iat_stdev - out->iat_mean) / sum;
}
