/* test-detect-surge.c
 * Surges: a host far above its own usual rate, for a sustained time,
 * labelled off-hours or working hours by the configured clock; and what
 * must not be one (a short burst, a host busy from its first packet, a
 * rise below the factor, a host without enough history, no working hours
 * at all). Every threshold is set here, and the raise frame follows from
 * them by hand.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analytics/time-of-day.h"
#include "detect-harness.h"
#include "packet-builder.h"

#define HOST "192.0.2.10"
#define PEER "198.51.100.7"

/* The rules under test. */
#define FACTOR          10     /* surge_factor */
#define FLOOR_PPS       50     /* surge_rate */
#define WINDOW_S        10     /* surge_window */
#define BASELINE_WINDOWS 60    /* surge_baseline_windows */
#define LEARN_WINDOWS   6      /* surge_learn_windows */
#define SUSTAIN_S       30     /* surge_sustain */

#define SEC INT64_C(1000000000)
/* 2024-01-01 00:00:00 UTC, a Monday. */
#define MONDAY_2024 (INT64_C(1704067200) * SEC)

typedef struct fixture {
    ntt_time_of_day_t   tod;
    ntt_detect_config_t config;
    detect_harness_t   *h;
    uint32_t            frame;
} fixture_t;

static void setup_with(fixture_t *f, const char *hours)
{
    memset(f, 0, sizeof *f);
    ntt_time_of_day_init(&f->tod, "UTC", hours, "Mon-Fri");
    ntt_detect_config_init(&f->config);
    f->config.surge_factor = FACTOR;
    f->config.surge_rate = FLOOR_PPS;
    f->config.surge_window_ns = WINDOW_S * SEC;
    f->config.surge_baseline_windows = BASELINE_WINDOWS;
    f->config.surge_learn_windows = LEARN_WINDOWS;
    f->config.surge_sustain_ns = SUSTAIN_S * SEC;
    f->config.time_of_day = &f->tod;
    f->h = harness_new(&ntt_detect_surge_ops, &f->config);
}

static void teardown(fixture_t *f)
{
    harness_free(f->h);
    ntt_time_of_day_clear(&f->tod);
}

/* Two datagrams each way at start_ns (100 ms apart): the conversation
 * from which both hosts are watched (PEER from the 4th, HOST from the
 * next packet on). */
static void converse(fixture_t *f, int64_t start_ns)
{
    for (int i = 0; i < 4; i++) {
        ntt_packet_t p = i % 2 ? udp4(++f->frame, start_ns + i * 100000000, PEER, 9000, HOST,
                                      40000, 100)
                               : udp4(++f->frame, start_ns + i * 100000000, HOST, 40000, PEER,
                                      9000, 100);

        harness_feed(f->h, &p);
    }
}

/* count datagrams HOST -> dst, one every gap_ns from start_ns; returns
 * the frame of the last. */
static uint32_t send_run_to(fixture_t *f, const char *dst, int64_t start_ns, int64_t gap_ns,
                            unsigned count)
{
    for (unsigned i = 0; i < count; i++) {
        ntt_packet_t p = udp4(++f->frame, start_ns + (int64_t)i * gap_ns, HOST, 40000, dst,
                              9000, 100);

        harness_feed(f->h, &p);
    }
    return f->frame;
}

static uint32_t send_run(fixture_t *f, int64_t start_ns, int64_t gap_ns, unsigned count)
{
    return send_run_to(f, PEER, start_ns, gap_ns, count);
}

/* A conversation in the second before, then 120 s at 1 packet/s from
 * HOST (watched from the first of them; 12 whole windows of rate 1: the
 * usual rate is 1),
 * then 100 packets/s for 40 s. The threshold is max(50, 10 x 1) = 50/s,
 * 500 packets in the 10-s window. The window slides in tenths (buckets
 * of 1 s from the first packet): at t = 124.9x it holds seconds 115-124,
 * so the 5 quiet packets of 115-119 and 495 fast ones -- the 495th fast
 * packet (t = 120 + 4.94 s) starts the run; 30 s later, the packet at
 * 154.94 s (the 3495th fast one, frame 4 + 120 + 3495) raises it -- once as
 * HOST sending, once as PEER receiving. */
static void test_sustained_rise_is_a_surge(int64_t base_ns, const char *when)
{
    fixture_t f;
    const recorded_mark_t *r;

    setup_with(&f, "08:00-18:00");
    converse(&f, base_ns - SEC);
    send_run(&f, base_ns, SEC, 120);
    send_run(&f, base_ns + 120 * SEC, 10 * 1000000, 4000);
    assert_int_equal(harness_raise_count(f.h, NTT_EPISODE_SURGE), 2);
    r = harness_raise(f.h, NTT_EPISODE_SURGE, 0);
    assert_int_equal(r->frame, 4 + 120 + 3495);
    assert_true(r->mark.info.has_src);
    assert_false(r->mark.info.has_dst);
    assert_memory_equal(&r->mark.info.src, (ntt_addr_t[]){ addr4(HOST) }, sizeof(ntt_addr_t));
    assert_string_equal(r->mark.info.detail.surge.direction, "sending");
    assert_string_equal(r->mark.info.detail.surge.when, when);
    assert_float_equal(r->mark.info.detail.surge.usual_pps, 1.0, 1e-12);
    /* 100/s over whole seconds: 1000 packets in the 10-s window. */
    assert_float_equal(r->mark.info.detail.surge.peak_pps, 100.0, 1e-9);
    assert_int_equal(r->mark.info.detail.surge.hosts, 1);
    /* Only the packets of the run are the surge's: 3495 - 494 of them. */
    assert_int_equal(r->mark.count, 3495 - 494);
    /* ... and the episode begins with the run, not with the host. */
    assert_int_equal(harness_frames_of_token(f.h, r->mark.token), 4000 - 494);
    r = harness_raise(f.h, NTT_EPISODE_SURGE, 1);
    assert_int_equal(r->frame, 4 + 120 + 3495);
    assert_false(r->mark.info.has_src);
    assert_true(r->mark.info.has_dst);
    assert_string_equal(r->mark.info.detail.surge.direction, "receiving");
    assert_int_equal(r->mark.info.detail.surge.sources, 1);
    teardown(&f);
}

/* 1970-01-01 00:00 UTC: a Thursday night. */
static void sustained_rise_at_night_is_off_hours(void **state)
{
    (void)state;
    test_sustained_rise_is_a_surge(SEC, "off-hours");
}

/* Monday 2024-01-01 10:00 UTC. */
static void sustained_rise_at_ten_is_working_hours(void **state)
{
    (void)state;
    test_sustained_rise_is_a_surge(MONDAY_2024 + 10 * 3600 * SEC, "working hours");
}

/* The same rise held 20 s: 15 s above the threshold, not 30. */
static void short_burst_is_not_a_surge(void **state)
{
    fixture_t f;

    (void)state;
    setup_with(&f, "08:00-18:00");
    converse(&f, -SEC);
    send_run(&f, 0, SEC, 120);
    send_run(&f, 120 * SEC, 10 * 1000000, 2000);
    send_run(&f, 140 * SEC, SEC, 120);
    assert_int_equal(harness_raise_count(f.h, NTT_EPISODE_TYPE_COUNT), 0);
    teardown(&f);
}

/* 100 packets/s from the first packet for 3 minutes: its usual rate. */
static void busy_from_the_start_is_not_a_surge(void **state)
{
    fixture_t f;

    (void)state;
    setup_with(&f, "08:00-18:00");
    converse(&f, -SEC);
    send_run(&f, 0, 10 * 1000000, 18000);
    assert_int_equal(harness_raise_count(f.h, NTT_EPISODE_TYPE_COUNT), 0);
    teardown(&f);
}

/* Usual 10/s, then 80/s for 60 s: above the floor, below 10 x usual. */
static void rise_below_the_factor_is_not_a_surge(void **state)
{
    fixture_t f;

    (void)state;
    setup_with(&f, "08:00-18:00");
    converse(&f, -SEC);
    send_run(&f, 0, 100 * 1000000, 1200);
    send_run(&f, 120 * SEC, 12500000, 4800);
    assert_int_equal(harness_raise_count(f.h, NTT_EPISODE_TYPE_COUNT), 0);
    teardown(&f);
}

/* Three windows of history, then the rise of the first test: the windows
 * it surges in are not learnt, so it never has the six it needs. */
static void too_little_history_is_not_a_surge(void **state)
{
    fixture_t f;

    (void)state;
    setup_with(&f, "08:00-18:00");
    converse(&f, -SEC);
    send_run(&f, 0, SEC, 30);
    send_run(&f, 30 * SEC, 10 * 1000000, 6000);
    assert_int_equal(harness_raise_count(f.h, NTT_EPISODE_TYPE_COUNT), 0);
    teardown(&f);
}

/* A host that never converses is never watched: a stream of 4000
 * datagrams a second to an address that never answers (a spoofed
 * source's) raises nothing and keeps no tracker. */
static void a_host_that_never_converses_is_not_watched(void **state)
{
    fixture_t f;

    (void)state;
    setup_with(&f, "08:00-18:00");
    send_run(&f, 0, SEC, 120);
    send_run(&f, 120 * SEC, 10 * 1000000, 4000);
    assert_int_equal(harness_raise_count(f.h, NTT_EPISODE_TYPE_COUNT), 0);
    assert_int_equal(harness_marks(f.h)->len, 0);
    teardown(&f);
}

/* Without working hours the detector is off (create gives NULL). */
static void off_without_work_hours(void **state)
{
    fixture_t f;

    (void)state;
    setup_with(&f, "");
    converse(&f, -SEC);

    assert_null(ntt_detect_surge_ops.create(&f.config, &(ntt_detect_env_t){ 0 }));
    send_run(&f, 0, SEC, 120);
    send_run(&f, 120 * SEC, 10 * 1000000, 4000);
    assert_int_equal(harness_raise_count(f.h, NTT_EPISODE_TYPE_COUNT), 0);
    teardown(&f);
}

/* After the surge, 40 s at the usual rate (below the threshold longer
 * than surge_sustain): the next surge is a new episode. */
static void a_surge_ends_and_the_next_is_new(void **state)
{
    fixture_t f;

    (void)state;
    setup_with(&f, "08:00-18:00");
    converse(&f, -SEC);
    send_run(&f, 0, SEC, 120);
    send_run(&f, 120 * SEC, 10 * 1000000, 4000);
    send_run(&f, 160 * SEC, SEC, 40);
    send_run(&f, 200 * SEC, 10 * 1000000, 4000);
    assert_int_equal(harness_raise_count(f.h, NTT_EPISODE_SURGE), 4);
    assert_int_not_equal(harness_raise(f.h, NTT_EPISODE_SURGE, 0)->mark.token,
                         harness_raise(f.h, NTT_EPISODE_SURGE, 2)->mark.token);
    teardown(&f);
}

/* A run that does not last is no part of the surge that comes later:
 * 15 s at 200/s to another peer (hot from 2.5 s on, 12.5 s < 30), back to
 * 1/s for a minute, then the sustained rise of the first test. The
 * episode's peak is the later run's 100/s, its peers that run's one. */
static void an_earlier_short_run_is_not_part_of_the_surge(void **state)
{
    fixture_t f;
    const recorded_mark_t *r;

    (void)state;
    setup_with(&f, "08:00-18:00");
    converse(&f, -SEC);
    send_run(&f, 0, SEC, 120);
    send_run_to(&f, "203.0.113.9", 120 * SEC, 5 * 1000000, 3000);
    send_run(&f, 135 * SEC, SEC, 60);
    send_run(&f, 195 * SEC, 10 * 1000000, 4000);
    assert_int_equal(harness_raise_count(f.h, NTT_EPISODE_SURGE), 2);
    r = harness_raise(f.h, NTT_EPISODE_SURGE, 0);
    assert_string_equal(r->mark.info.detail.surge.direction, "sending");
    assert_float_equal(r->mark.info.detail.surge.peak_pps, 100.0, 1e-9);
    assert_int_equal(r->mark.info.detail.surge.hosts, 1);
    teardown(&f);
}

/* Once watched, a host stays watched while any packet reaches it: after
 * its one conversation it only receives datagrams from an address that
 * never answers (a spoofed one), 1/s for longer than the baseline's
 * horizon (600 s), then 100/s: a receiving surge of HOST from one source
 * -- the spoofed address itself is never watched. */
static void a_watched_host_stays_watched_without_conversing(void **state)
{
    fixture_t f;
    const recorded_mark_t *r;

    (void)state;
    setup_with(&f, "08:00-18:00");
    converse(&f, -SEC);
    for (int phase = 0; phase < 2; phase++) {
        int64_t start = phase ? 700 * SEC : 0;
        int64_t gap = phase ? 10 * 1000000 : SEC;
        unsigned count = phase ? 4000 : 700;

        for (unsigned i = 0; i < count; i++) {
            ntt_packet_t p = udp4(++f.frame, start + (int64_t)i * gap, "203.0.113.9", 1234,
                                  HOST, 40000, 100);

            harness_feed(f.h, &p);
        }
    }
    assert_int_equal(harness_raise_count(f.h, NTT_EPISODE_SURGE), 1);
    r = harness_raise(f.h, NTT_EPISODE_SURGE, 0);
    assert_string_equal(r->mark.info.detail.surge.direction, "receiving");
    assert_memory_equal(&r->mark.info.dst, (ntt_addr_t[]){ addr4(HOST) }, sizeof(ntt_addr_t));
    assert_int_equal(r->mark.info.detail.surge.sources, 1);
    /* Its windows start at the conversation's last packet (-0.7 s), so
     * the first holds 11 packets, the 69 after it 10 each, the 71st is
     * the surge's (not learnt): the bias-corrected EWMA of weight a =
     * 1/60 is 1 + 0.1 a (1-a)^69 / (1 - (1-a)^70). */
    assert_float_equal(r->mark.info.detail.surge.usual_pps,
                       1 + 0.1 * (1.0 / 60) * pow(59.0 / 60, 69) / (1 - pow(59.0 / 60, 70)),
                       1e-12);
    teardown(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sustained_rise_at_night_is_off_hours),
        cmocka_unit_test(sustained_rise_at_ten_is_working_hours),
        cmocka_unit_test(short_burst_is_not_a_surge),
        cmocka_unit_test(busy_from_the_start_is_not_a_surge),
        cmocka_unit_test(rise_below_the_factor_is_not_a_surge),
        cmocka_unit_test(too_little_history_is_not_a_surge),
        cmocka_unit_test(a_host_that_never_converses_is_not_watched),
        cmocka_unit_test(off_without_work_hours),
        cmocka_unit_test(a_surge_ends_and_the_next_is_new),
        cmocka_unit_test(an_earlier_short_run_is_not_part_of_the_surge),
        cmocka_unit_test(a_watched_host_stays_watched_without_conversing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
