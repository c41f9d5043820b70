/* test-episodes.c
 * The engine's side of detection, with a fake detector: episodes are
 * numbered in order of detection, packets before the detection belong to
 * the episode only once the whole file has been read, statistics only
 * grow, and a full tracker table is said once.
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

#include "ntt/engine.h"
#include "core/engine-detectors.h"
#include "detect/detector.h"
#include "packet-builder.h"

/* The fake: every UDP packet to port 9 belongs to one tracker per source;
 * the third one raises; a gap of 10 s ends the tracker. Packets to port 7
 * report a full table. */
typedef struct fake {
    ntt_tracker_t base;
    int64_t       last_ns;
} fake_t;

static void *fake_create(const ntt_detect_config_t *config, const ntt_detect_env_t *env)
{
    (void)config;
    (void)env;
    return g_new0(fake_t, 1);
}

static void fake_destroy(void *state)
{
    g_free(state);
}

static void fake_event(void *state, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    fake_t *f = state;
    const ntt_packet_t *p = ev->pkt;
    ntt_episode_detail_t detail;

    if (p->dport == 7) {
        ntt_detect_evicted(sink, NTT_EPISODE_UDPFLOOD);
        return;
    }
    if (p->dport != 9)
        return;
    if (f->base.token == 0 || p->ts_ns - f->last_ns > MS(10000))
        ntt_tracker_start(&f->base, sink, p);
    f->last_ns = p->ts_ns;
    ntt_detect_mark(sink, &f->base);
    memset(&detail, 0, sizeof detail);
    detail.flood.sources = (uint32_t)(f->base.count == 4 ? 1 : f->base.count);
    if (f->base.count == 3) {
        ntt_episode_t info;

        ntt_episode_identity(&info, NTT_EPISODE_UDPFLOOD, 4, &p->src, NULL, NULL);
        info.detail = detail;
        ntt_detect_raise(sink, &f->base, &info);
    } else {
        ntt_detect_update(sink, &f->base, &detail, NULL);
    }
}

static const ntt_detector_ops_t fake_ops = {
    .name = "fake", .events = NTT_EV_DATAGRAM,
    .create = fake_create, .destroy = fake_destroy, .event = fake_event,
};

static ntt_engine_t *engine_with_fake(void)
{
    const ntt_detector_ops_t *ops[] = { &fake_ops };
    ntt_config_t config;
    ntt_engine_t *engine;

    ntt_config_init(&config);
    config.detect.enabled = false;    /* only the fake */
    engine = ntt_engine_new(&config);
    ntt_engine_use_detectors(engine, ops, 1);
    return engine;
}

/* A crowd: every packet is seen by more trackers than a frame keeps,
 * none of which ever becomes an episode. */
static void crowd_event(void *state, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    (void)state;
    for (int i = 0; i < NTT_FRAME_EPISODES + 2; i++) {
        ntt_tracker_t t = { 0 };

        ntt_tracker_start(&t, sink, ev->pkt);
        ntt_detect_mark(sink, &t);
    }
}

static const ntt_detector_ops_t crowd_ops = {
    .name = "crowd", .events = NTT_EV_DATAGRAM,
    .create = fake_create, .destroy = fake_destroy, .event = crowd_event,
};

static void feed(ntt_engine_t *engine, uint32_t frame, int64_t ms, uint16_t dport)
{
    ntt_packet_t p = udp4(frame, MS(ms), "192.0.2.66", 40000, "203.0.113.20", dport, 10);

    ntt_engine_process(engine, &p, NULL);
}

/* A frame as a later pass reads it (valid until the next call); these
 * tests look at memberships, not durations, so the time is any. */
static const ntt_frame_t *replayed(const ntt_engine_t *engine, uint32_t frame)
{
    static ntt_frame_t f;

    return ntt_engine_frame(engine, frame, 0, &f) ? &f : NULL;
}

static void episode_opens_at_the_raise(void **state)
{
    ntt_engine_t *engine = engine_with_fake();
    const ntt_episode_t *ep;

    (void)state;
    feed(engine, 1, 0, 9);
    feed(engine, 2, 10, 53);
    feed(engine, 3, 20, 9);
    assert_int_equal(ntt_engine_episode_count(engine), 0);
    feed(engine, 4, 30, 9);
    feed(engine, 5, 40, 9);
    assert_int_equal(ntt_engine_episode_count(engine), 1);
    ep = ntt_engine_episode(engine, 0);
    assert_int_equal(ep->id, 0);
    assert_int_equal(ep->type, NTT_EPISODE_UDPFLOOD);
    assert_int_equal(ep->first_frame, 1);    /* the tracker's first packet */
    assert_int_equal(ep->detect_frame, 4);
    assert_int_equal(ep->last_frame, 5);
    assert_int_equal(ep->packets, 4);
    /* Statistics keep their maximum (the fake reports 3, then 1). */
    assert_int_equal(ep->detail.flood.sources, 3);
    ntt_engine_unref(engine);
}

static void first_pass_marks_from_detection_whole_file_from_start(void **state)
{
    ntt_engine_t *engine = engine_with_fake();
    const ntt_episode_t *eps[NTT_FRAME_EPISODES];
    uint64_t counts[NTT_FRAME_EPISODES];
    const ntt_frame_t *f;

    (void)state;
    feed(engine, 1, 0, 9);
    feed(engine, 2, 10, 53);
    feed(engine, 3, 20, 9);
    f = replayed(engine, 3);
    /* First pass, before the raise: nothing. */
    assert_int_equal(ntt_engine_frame_episodes(engine, f, 3, false, eps, counts), 0);
    feed(engine, 4, 30, 9);
    f = replayed(engine, 4);
    assert_int_equal(ntt_engine_frame_episodes(engine, f, 4, false, eps, counts), 1);
    assert_int_equal(counts[0], 3);

    /* Whole file read: frames 1 and 3 belong too, with their counts;
     * frame 2 (port 53) never does. */
    f = replayed(engine, 1);
    assert_int_equal(ntt_engine_frame_episodes(engine, f, 1, true, eps, counts), 1);
    assert_ptr_equal(eps[0], ntt_engine_episode(engine, 0));
    assert_int_equal(counts[0], 1);
    assert_int_equal(ntt_engine_frame_episodes(engine, f, 1, false, eps, counts), 0);
    f = replayed(engine, 2);
    assert_int_equal(ntt_engine_frame_episodes(engine, f, 2, true, eps, counts), 0);
    ntt_engine_unref(engine);
}

static void a_new_token_is_a_new_episode(void **state)
{
    ntt_engine_t *engine = engine_with_fake();
    uint32_t frame = 1;

    (void)state;
    for (int i = 0; i < 3; i++)
        feed(engine, frame++, i * 10, 9);
    for (int i = 0; i < 2; i++)
        feed(engine, frame++, 60000 + i * 10, 9);   /* new token, no raise */
    assert_int_equal(ntt_engine_episode_count(engine), 1);
    feed(engine, frame++, 60030, 9);
    assert_int_equal(ntt_engine_episode_count(engine), 2);
    assert_int_equal(ntt_engine_episode(engine, 1)->id, 1);
    assert_int_equal(ntt_engine_episode(engine, 1)->detect_frame, 6);
    assert_int_equal(ntt_engine_episode(engine, 0)->last_frame, 3);
    ntt_engine_unref(engine);
}

static void full_tracker_table_is_noted_once(void **state)
{
    ntt_engine_t *engine = engine_with_fake();
    const ntt_frame_t *f;

    (void)state;
    feed(engine, 1, 0, 7);
    feed(engine, 2, 10, 7);
    f = replayed(engine, 1);
    assert_int_equal(f->trackers_full, 1u << NTT_EPISODE_UDPFLOOD);
    f = replayed(engine, 2);
    assert_int_equal(f->trackers_full, 0);
    ntt_engine_unref(engine);
}

static void alert_names(void **state)
{
    (void)state;
    assert_string_equal(ntt_episode_type_name(NTT_EPISODE_PORTSCAN), "portscan");
    assert_string_equal(ntt_episode_type_name(NTT_EPISODE_FLAGS), "flags");
    assert_string_equal(ntt_episode_type_name(NTT_EPISODE_TYPE_COUNT), "");
    assert_string_equal(ntt_misuse_name(NTT_MISUSE_LAND), "LAND (to its own address and port)");
    assert_string_equal(ntt_episode_type_name(NTT_EPISODE_BLOCKLIST), "blocklist");
    assert_string_equal(ntt_episode_type_name(NTT_EPISODE_GEO), "geo");
}

static void only_a_single_non_blocklist_source_is_an_attacker(void **state)
{
    ntt_episode_t ep;

    (void)state;
    memset(&ep, 0, sizeof ep);
    ep.type = NTT_EPISODE_PORTSCAN;
    ep.has_src = true;
    assert_true(ntt_episode_has_attacker(&ep));
    ep.has_src = false;                     /* spoofed: many sources */
    assert_false(ntt_episode_has_attacker(&ep));
    ep.has_src = true;
    ep.type = NTT_EPISODE_BLOCKLIST;          /* the source is the victim host */
    assert_false(ntt_episode_has_attacker(&ep));
    ep.type = NTT_EPISODE_GEO;
    assert_true(ntt_episode_has_attacker(&ep));
}

static void an_episode_is_not_crowded_out_of_its_frames(void **state)
{
    const ntt_detector_ops_t *ops[] = { &crowd_ops, &fake_ops };
    const ntt_episode_t *eps[NTT_FRAME_EPISODES];
    ntt_config_t config;
    ntt_engine_t *engine;

    (void)state;
    ntt_config_init(&config);
    config.detect.enabled = false;
    engine = ntt_engine_new(&config);
    ntt_engine_use_detectors(engine, ops, 2);
    for (uint32_t f = 1; f <= 4; f++)
        feed(engine, f, f * 10, 9);
    assert_int_equal(ntt_engine_episode_count(engine), 1);
    /* From the detection on the episode has its place, however many
     * trackers that never raise saw the packet first; before it there
     * was no room, and the frames say so rather than lose the attack. */
    for (uint32_t f = 3; f <= 4; f++) {
        assert_int_equal(ntt_engine_frame_episodes(engine, replayed(engine, f), f,
                                                   true, eps, NULL), 1);
        assert_int_equal(eps[0]->type, NTT_EPISODE_UDPFLOOD);
    }
    assert_int_equal(ntt_engine_frame_episodes(engine, replayed(engine, 1), 1,
                                               true, eps, NULL), 0);
    ntt_engine_unref(engine);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(episode_opens_at_the_raise),
        cmocka_unit_test(first_pass_marks_from_detection_whole_file_from_start),
        cmocka_unit_test(a_new_token_is_a_new_episode),
        cmocka_unit_test(full_tracker_table_is_noted_once),
        cmocka_unit_test(an_episode_is_not_crowded_out_of_its_frames),
        cmocka_unit_test(alert_names),
        cmocka_unit_test(only_a_single_non_blocklist_source_is_an_attacker),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
