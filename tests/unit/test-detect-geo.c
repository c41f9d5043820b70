/* test-detect-geo.c
 * Unusual geography: watched countries, an allowed set, one episode per
 * external address, unplaced addresses never flagged. Addresses are
 * placed by ntt's .mmdb fixtures (tests/geo-fixtures/README.md):
 * 198.51.100/24 DE, 203.0.113/24 GB, 192.0.2/24 US, 10/8 nowhere.
 * The detector has no threshold but its country lists, set here, and its
 * table size.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "ntt/geo.h"

#include "detect-harness.h"
#include "packet-builder.h"

#ifndef NTT_GEO_FIXTURES_DIR
#error "NTT_GEO_FIXTURES_DIR is set by tests/geo-fixtures/CMakeLists.txt"
#endif

/* max_trackers: room for every external address here. */
#define TRACKERS 1000

static detect_harness_t *harness(const char *watch, const char *allow)
{
    ntt_detect_config_t c;
    ntt_geo_t *geo = ntt_geo_new(0);
    char *error = NULL;

    assert_true(ntt_geo_attach(geo, NTT_GEO_LOCATION,
                               NTT_GEO_FIXTURES_DIR "/ntt-test-city.mmdb", &error));
    ntt_detect_config_init(&c);
    c.max_trackers = TRACKERS;
    g_strlcpy(c.geo_watch_countries, watch, sizeof c.geo_watch_countries);
    g_strlcpy(c.geo_allow_countries, allow, sizeof c.geo_allow_countries);
    return harness_new_geo(&ntt_detect_geo_ops, &c, geo);
}

/* A short exchange: SYN, SYN-ACK, ACK between a and b. */
static void exchange(detect_harness_t *h, uint32_t *frame, const char *a, const char *b,
                     uint16_t sport)
{
    ntt_packet_t p[3] = {
        tcp4(0, MS(*frame), a, sport, b, 443, NTT_TCP_SYN, 1, 0),
        tcp4(0, MS(*frame), b, 443, a, sport, NTT_TCP_SYN | NTT_TCP_ACK, 9, 0),
        tcp4(0, MS(*frame), a, sport, b, 443, NTT_TCP_ACK, 2, 0),
    };

    for (int i = 0; i < 3; i++) {
        p[i].frame = (*frame)++;
        harness_feed(h, &p[i]);
    }
}

static void a_watched_country_raises_once_per_address(void **state)
{
    detect_harness_t *h = harness("DE", "");
    const recorded_mark_t *r;
    ntt_addr_t attacker = addr4("198.51.100.66");
    uint32_t frame = 1;

    (void)state;
    exchange(h, &frame, "10.0.0.5", "203.0.113.20", 40000);     /* GB: not watched */
    exchange(h, &frame, "10.0.0.5", "198.51.100.66", 40001);    /* DE */
    exchange(h, &frame, "10.0.0.6", "198.51.100.66", 40002);    /* DE, same address */
    exchange(h, &frame, "10.0.0.6", "198.51.100.67", 40003);    /* DE, another one */
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_GEO), 2);
    r = harness_raise(h, NTT_EPISODE_GEO, 0);
    assert_int_equal(r->frame, 4);
    assert_string_equal(r->mark.info.detail.geo.country, "DE");
    assert_memory_equal(&r->mark.info.src, &attacker, sizeof attacker);
    /* Both of its flows, every packet. */
    assert_int_equal(harness_frames_of_token(h, r->mark.token), 6);
    /* The three DE flows and nothing else: not the GB flow (frames 1-3). */
    assert_int_equal(harness_marks(h)->len, 9);
    harness_free(h);
}

static void outside_the_allowed_set_counts_each_unusual_end(void **state)
{
    detect_harness_t *h = harness("", "gb");
    uint32_t frame = 1;

    (void)state;
    exchange(h, &frame, "10.0.0.5", "203.0.113.20", 40000);     /* GB and nowhere: fine */
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_GEO), 0);
    exchange(h, &frame, "192.0.2.10", "198.51.100.66", 40001);  /* US and DE: both */
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_GEO), 2);
    assert_string_equal(harness_raise(h, NTT_EPISODE_GEO, 0)->mark.info.detail.geo.country, "DE");
    assert_string_equal(harness_raise(h, NTT_EPISODE_GEO, 1)->mark.info.detail.geo.country, "US");
    harness_free(h);
}

static void a_watched_hosts_other_flows_are_not_marked(void **state)
{
    detect_harness_t *h = harness("DE", "");
    ntt_addr_t attacker = addr4("198.51.100.66");
    const GArray *marks;
    uint32_t frame = 1;

    (void)state;
    /* A host talks with DE and, interleaved, with GB over two flows: only
     * the DE flow's packets reach the episode. */
    for (int round = 0; round < 3; round++) {
        uint16_t sport = (uint16_t)(40000 + 2 * round);

        exchange(h, &frame, "10.0.0.5", "198.51.100.66", sport);
        exchange(h, &frame, "10.0.0.5", "203.0.113.20", (uint16_t)(sport + 1));
    }
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_GEO), 1);
    marks = harness_marks(h);
    assert_int_equal(marks->len, 9);
    for (guint i = 0; i < marks->len; i++) {
        const recorded_mark_t *r = &g_array_index(marks, recorded_mark_t, i);

        assert_int_equal((r->frame - 1) / 3 % 2, 0);      /* a DE exchange */
        if (r->mark.raise)
            assert_memory_equal(&r->mark.info.src, &attacker, sizeof attacker);
    }
    harness_free(h);
}

static void unplaced_addresses_are_never_outside(void **state)
{
    detect_harness_t *h = harness("", "GB");
    uint32_t frame = 1;

    (void)state;
    exchange(h, &frame, "10.0.0.5", "10.9.9.9", 40000);
    exchange(h, &frame, "10.0.0.5", "8.8.8.8", 40001);           /* not in the fixtures */
    assert_int_equal(harness_marks(h)->len, 0);
    harness_free(h);
}

static void no_lists_no_work(void **state)
{
    detect_harness_t *h = harness("", "");
    uint32_t frame = 1;
    ntt_detect_config_t c;

    (void)state;
    /* Off: no packet reaches it, no flow carries a slot for it. */
    assert_false(harness_family_on(h));
    exchange(h, &frame, "10.0.0.5", "198.51.100.66", 40000);
    assert_int_equal(harness_marks(h)->len, 0);
    harness_free(h);
    /* Lists that name no country are none. */
    h = harness(" ;; , ", "x");
    assert_false(harness_family_on(h));
    harness_free(h);
    /* Countries but no database: nothing to look them up in. */
    ntt_detect_config_init(&c);
    g_strlcpy(c.geo_watch_countries, "DE", sizeof c.geo_watch_countries);
    h = harness_new(&ntt_detect_geo_ops, &c);
    assert_false(harness_family_on(h));
    harness_free(h);
    /* A country to watch and a database: on. */
    h = harness("DE", "");
    assert_true(harness_family_on(h));
    harness_free(h);
}

static void codes_are_read_leniently(void **state)
{
    detect_harness_t *h = harness(" de ;; xx,Q", "");
    uint32_t frame = 1;

    (void)state;
    exchange(h, &frame, "10.0.0.5", "198.51.100.66", 40000);
    assert_int_equal(harness_raise_count(h, NTT_EPISODE_GEO), 1);
    harness_free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_watched_country_raises_once_per_address),
        cmocka_unit_test(outside_the_allowed_set_counts_each_unusual_end),
        cmocka_unit_test(a_watched_hosts_other_flows_are_not_marked),
        cmocka_unit_test(unplaced_addresses_are_never_outside),
        cmocka_unit_test(no_lists_no_work),
        cmocka_unit_test(codes_are_read_leniently),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
