/* test-time-profile.c
 * Bins, timeline and burstiness (analytics/time-profile.h), against
 * figures worked out by hand for three kinds of traffic: counts as
 * dispersed as a Poisson stream's, a burst, a periodic beat.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analytics/time-profile.h"
#include "util/running-stats.h"

#define SEC INT64_C(1000000000)
#define MSEC INT64_C(1000000)

static void feed_counts(ntt_time_profile_t *p, const unsigned *counts, unsigned n)
{
    /* The k-th packet of bin b at b s + k ms: inside its bin. */
    for (unsigned b = 0; b < n; b++) {
        for (unsigned k = 0; k < counts[b]; k++)
            ntt_time_profile_add(p, b * SEC + k * MSEC, 100, false, false);
    }
}

/* Eight bins of 2 and 6 packets: mean 4, every deviation 2, so variance
 * 4 = the mean -- a Poisson stream's dispersion: Fano 1, CV 1/sqrt(4). */
static void test_poisson_like_dispersion(void **state)
{
    static const unsigned counts[] = { 2, 6, 2, 6, 2, 6, 2, 6 };
    ntt_time_profile_t p;
    ntt_burstiness_t b;

    (void)state;
    ntt_time_profile_init(&p, SEC, 16);
    feed_counts(&p, counts, 8);
    ntt_time_profile_burstiness(&p, &b);
    assert_int_equal(b.bins, 8);
    assert_float_equal(b.mean, 4.0, 1e-12);
    assert_float_equal(b.fano, 1.0, 1e-12);
    assert_float_equal(b.cv, 0.5, 1e-12);
    assert_float_equal(b.peak_to_mean, 6.0 / 4.0, 1e-12);
    assert_int_equal(b.peak, 6);
    assert_int_equal(b.peak_bin, 1);   /* the first of the busiest */
    ntt_time_profile_clear(&p);
}

/* A burst of 32 packets in bin 3 of 8, one packet at each end (the
 * capture runs from bin 0 to bin 7, its empty bins count as zeros):
 * counts 1 0 0 32 0 0 0 1, mean 34/8 = 4.25, mean square 1026/8, so
 * variance 128.25 - 4.25^2 = 110.1875: Fano 25.93, CV 2.47, peak/mean
 * 7.53. */
static void test_bursty_counts(void **state)
{
    static const unsigned counts[] = { 1, 0, 0, 32, 0, 0, 0, 1 };
    ntt_time_profile_t p;
    ntt_burstiness_t b;

    (void)state;
    ntt_time_profile_init(&p, SEC, 16);
    feed_counts(&p, counts, 8);
    ntt_time_profile_burstiness(&p, &b);
    assert_int_equal(b.bins, 8);
    assert_float_equal(b.mean, 4.25, 1e-12);
    assert_float_equal(b.fano, 110.1875 / 4.25, 1e-9);
    assert_float_equal(b.cv, sqrt(110.1875) / 4.25, 1e-12);
    assert_float_equal(b.peak_to_mean, 32 / 4.25, 1e-12);
    assert_int_equal(b.peak_bin, 3);
    ntt_time_profile_clear(&p);
}

/* A packet every 500 ms for 8 s: 2 a bin, no variance; every gap the
 * same, so B = (0 - 0.5) / (0 + 0.5) = -1. */
static void test_periodic_beat(void **state)
{
    ntt_time_profile_t p;
    ntt_burstiness_t b;

    (void)state;
    ntt_time_profile_init(&p, SEC, 16);
    for (int i = 0; i < 16; i++)
        ntt_time_profile_add(&p, i * 500 * MSEC, 60, false, false);
    ntt_time_profile_burstiness(&p, &b);
    assert_int_equal(b.bins, 8);
    assert_float_equal(b.mean, 2.0, 1e-12);
    assert_float_equal(b.cv, 0.0, 1e-12);
    assert_float_equal(b.fano, 0.0, 1e-12);
    assert_int_equal(b.iat_count, 15);
    assert_float_equal(b.iat_mean, 0.5, 1e-12);
    assert_true(b.has_b);
    assert_float_equal(b.b, -1.0, 1e-12);
    ntt_time_profile_clear(&p);
}

/* Gaps 0, 0, 0, 8 s: mean 2, variance (3 * 4 + 36) / 4 = 12, so
 * B = (sqrt 12 - 2) / (sqrt 12 + 2), bursty (> 0). An exponential
 * stream's sigma = mu would give 0. */
static void test_burstiness_of_gaps(void **state)
{
    ntt_time_profile_t p;
    ntt_burstiness_t b;
    double expect = (sqrt(12.0) - 2) / (sqrt(12.0) + 2);

    (void)state;
    ntt_time_profile_init(&p, SEC, 16);
    for (int i = 0; i < 4; i++)
        ntt_time_profile_add(&p, 0, 60, false, false);
    ntt_time_profile_add(&p, 8 * SEC, 60, false, false);
    ntt_time_profile_burstiness(&p, &b);
    assert_int_equal(b.iat_count, 4);
    assert_float_equal(b.iat_mean, 2.0, 1e-12);
    assert_float_equal(b.iat_stdev, sqrt(12.0), 1e-12);
    assert_float_equal(b.b, expect, 1e-12);
    ntt_time_profile_clear(&p);
}

/* B needs two gaps; one packet, or all at the same instant, has none. */
static void test_no_burstiness_without_gaps(void **state)
{
    ntt_time_profile_t p;
    ntt_burstiness_t b;

    (void)state;
    ntt_time_profile_init(&p, SEC, 16);
    ntt_time_profile_add(&p, 5 * SEC, 60, false, false);
    ntt_time_profile_burstiness(&p, &b);
    assert_false(b.has_b);
    assert_int_equal(b.bins, 1);
    assert_float_equal(b.fano, 0.0, 1e-12);
    ntt_time_profile_add(&p, 5 * SEC, 60, false, false);
    ntt_time_profile_add(&p, 5 * SEC, 60, false, false);
    ntt_time_profile_burstiness(&p, &b);
    assert_false(b.has_b);
    ntt_time_profile_clear(&p);
}

/* A timestamp going backwards counts in the current bin, with a gap of
 * 0: bins 0 and 1 hold 1 and 2 packets. */
static void test_backwards_timestamp(void **state)
{
    ntt_time_profile_t p;
    ntt_burstiness_t b;

    (void)state;
    ntt_time_profile_init(&p, SEC, 16);
    ntt_time_profile_add(&p, 0, 60, false, false);
    ntt_time_profile_add(&p, 1500 * MSEC, 60, false, false);
    ntt_time_profile_add(&p, 200 * MSEC, 60, false, false);
    ntt_time_profile_burstiness(&p, &b);
    assert_int_equal(b.bins, 2);
    assert_int_equal(b.peak, 2);
    assert_int_equal(b.peak_bin, 1);
    assert_float_equal(b.iat_mean, 0.75, 1e-12);     /* gaps 1.5 and 0 */
    /* The timeline puts it where its time is. */
    assert_int_equal(p.bins[0].pkts, 2);
    assert_int_equal(p.bins[1].pkts, 1);
    ntt_time_profile_clear(&p);
}

static uint64_t timeline_total(const ntt_time_profile_t *p, size_t offset)
{
    uint64_t sum = 0;

    for (unsigned i = 0; i < p->len; i++)
        sum += *(const uint64_t *)(const void *)((const char *)&p->bins[i] + offset);
    return sum;
}

/* A budget of 4 bins: the 5th second merges pairs (width 2 s), the 10th
 * merges again (4 s); every total is kept. */
static void test_timeline_doubles_and_keeps_totals(void **state)
{
    ntt_time_profile_t p;

    (void)state;
    ntt_time_profile_init(&p, SEC, 4);
    for (int s = 0; s < 4; s++)
        ntt_time_profile_add(&p, s * SEC, 100 + s, s == 0, s == 3);
    assert_int_equal(p.len, 4);
    assert_int_equal(ntt_time_profile_timeline_ns(&p), SEC);
    ntt_time_profile_add(&p, 4 * SEC, 10, true, false);
    assert_int_equal(ntt_time_profile_timeline_ns(&p), 2 * SEC);
    assert_int_equal(p.len, 3);
    assert_int_equal(p.bins[0].pkts, 2);
    assert_int_equal(p.bins[0].bytes, 201);
    assert_int_equal(p.bins[1].bytes, 205);
    assert_int_equal(p.bins[1].alert_pkts, 1);
    assert_int_equal(p.bins[2].new_flows, 1);
    ntt_time_profile_add(&p, 9 * SEC, 1, false, true);
    assert_int_equal(ntt_time_profile_timeline_ns(&p), 4 * SEC);
    assert_int_equal(p.len, 3);
    assert_int_equal(p.bins[0].pkts, 4);
    assert_int_equal(p.bins[1].pkts, 1);
    assert_int_equal(p.bins[2].pkts, 1);
    assert_int_equal(timeline_total(&p, offsetof(ntt_time_bin_t, pkts)), 6);
    assert_int_equal(timeline_total(&p, offsetof(ntt_time_bin_t, bytes)), 100 + 101 + 102 + 103 + 10 + 1);
    assert_int_equal(timeline_total(&p, offsetof(ntt_time_bin_t, new_flows)), 2);
    assert_int_equal(timeline_total(&p, offsetof(ntt_time_bin_t, alert_pkts)), 2);
    ntt_time_profile_clear(&p);
}

/* A gap of 10^6 s in a 4-bin budget: the width doubles to 2^18 s (the
 * first power of two w with 10^6 / w < 4), still 4 bins; the burstiness
 * figures still see 10^6 + 1 one-second bins. */
static void test_long_gap_stays_bounded(void **state)
{
    ntt_time_profile_t p;
    ntt_burstiness_t b;

    (void)state;
    ntt_time_profile_init(&p, SEC, 4);
    ntt_time_profile_add(&p, 0, 1, false, false);
    ntt_time_profile_add(&p, 1000000 * SEC, 1, false, false);
    assert_int_equal(p.doublings, 18);
    assert_int_equal(p.len, 4);
    assert_int_equal(p.bins[0].pkts, 1);
    assert_int_equal(p.bins[3].pkts, 1);
    ntt_time_profile_burstiness(&p, &b);
    assert_int_equal(b.bins, 1000001);
    assert_float_equal(b.mean, 2.0 / 1000001, 1e-15);
    ntt_time_profile_clear(&p);
}

/* Adding k zeros at once is adding them one by one. */
static void test_running_zeros_merge(void **state)
{
    ntt_running_stats_t one = { 0 }, batch = { 0 };

    (void)state;
    ntt_running_add(&one, 5);
    ntt_running_add(&batch, 5);
    for (int i = 0; i < 7; i++)
        ntt_running_add(&one, 0);
    ntt_running_add_zeros(&batch, 7);
    ntt_running_add(&one, 3);
    ntt_running_add(&batch, 3);
    assert_int_equal(one.n, batch.n);
    assert_float_equal(one.mean, batch.mean, 1e-12);
    assert_float_equal(ntt_running_variance(&one), ntt_running_variance(&batch), 1e-12);
    /* 5, 0 x 7, 3: mean 8/9, sum of squares 34. */
    assert_float_equal(ntt_running_variance(&batch), 34.0 / 9 - (8.0 / 9) * (8.0 / 9), 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_poisson_like_dispersion),
        cmocka_unit_test(test_bursty_counts),
        cmocka_unit_test(test_periodic_beat),
        cmocka_unit_test(test_burstiness_of_gaps),
        cmocka_unit_test(test_no_burstiness_without_gaps),
        cmocka_unit_test(test_backwards_timestamp),
        cmocka_unit_test(test_timeline_doubles_and_keeps_totals),
        cmocka_unit_test(test_long_gap_stays_bounded),
        cmocka_unit_test(test_running_zeros_merge),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
