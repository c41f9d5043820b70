/* test-frame-store.c
 * The compact per-frame store: whatever goes in comes back out exactly,
 * including the values that do not fit its record (flows past 4 GiB or
 * 16 Mi packets, gaps of 4.29 s and more, negative gaps) and the frames
 * it keeps no flow for; sparse and refused frame numbers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "core/frame-store.h"

/* What the store keeps of a frame: all of it but the parts the engine
 * derives (service, duration) or keeps itself (the notes). */
static ntt_frame_t kept_part(const ntt_frame_t *f)
{
    ntt_frame_t k = *f;

    k.flow.service = 0;
    k.flow.duration_ns = 0;
    k.table_full = false;
    k.trackers_full = 0;
    return k;
}

static void assert_frames_equal(const ntt_frame_t *want, const ntt_frame_t *got)
{
    assert_int_equal(got->has_flow, want->has_flow);
    assert_int_equal(got->flow.flow_id, want->flow.flow_id);
    assert_int_equal(got->flow.dir, want->flow.dir);
    assert_int_equal(got->flow.state, want->flow.state);
    assert_int_equal(got->flow.service, want->flow.service);
    assert_int_equal(got->flow.new_flow, want->flow.new_flow);
    for (unsigned d = 0; d < 2; d++) {
        assert_int_equal(got->flow.pkts[d], want->flow.pkts[d]);
        assert_true(got->flow.bytes[d] == want->flow.bytes[d]);
    }
    assert_true(got->flow.iat_ns == want->flow.iat_ns);
    assert_true(got->flow.duration_ns == want->flow.duration_ns);
    assert_int_equal(got->table_full, want->table_full);
    assert_int_equal(got->trackers_full, want->trackers_full);
    for (unsigned i = 0; i < NTT_FRAME_EPISODES; i++) {
        assert_int_equal(got->tokens[i], want->tokens[i]);
        assert_int_equal(got->counts[i], want->counts[i]);
    }
}

static void assert_replays(const ntt_frame_store_t *store, uint32_t frame,
                           const ntt_frame_t *put)
{
    ntt_frame_t want = kept_part(put), got;

    memset(&got, 0xa5, sizeof got);
    assert_true(ntt_frame_store_get(store, frame, &got));
    assert_frames_equal(&want, &got);
}

static ntt_frame_t flow_frame(uint32_t flow_id, uint8_t dir, uint32_t pkts_orig,
                              uint32_t pkts_resp, uint64_t bytes_orig,
                              uint64_t bytes_resp, int64_t iat_ns)
{
    ntt_frame_t f;

    memset(&f, 0, sizeof f);
    f.has_flow = true;
    f.flow.flow_id = flow_id;
    f.flow.dir = dir;
    f.flow.state = NTT_STATE_S1;
    f.flow.pkts[NTT_DIR_ORIG] = pkts_orig;
    f.flow.pkts[NTT_DIR_RESP] = pkts_resp;
    f.flow.bytes[NTT_DIR_ORIG] = bytes_orig;
    f.flow.bytes[NTT_DIR_RESP] = bytes_resp;
    f.flow.iat_ns = iat_ns;
    return f;
}

static void every_field_round_trips(void **state)
{
    ntt_frame_store_t store;
    ntt_frame_t f = flow_frame(123456, NTT_DIR_RESP, 7, 9, 1000, 20000, 1500);
    ntt_frame_t g = flow_frame(UINT32_MAX - 1, NTT_DIR_ORIG, 1, 0, 60, 0, 0);

    (void)state;
    ntt_frame_store_init(&store);
    f.flow.state = NTT_STATE_OTH;           /* the highest state */
    f.flow.service = 5;                     /* not kept: the flow's */
    f.flow.duration_ns = 77;                /* not kept: the engine's */
    f.tokens[0] = 1;
    f.counts[0] = 1;
    f.tokens[1] = UINT32_MAX;
    f.counts[1] = UINT32_MAX;
    g.flow.new_flow = true;
    g.flow.state = NTT_STATE_S0;
    assert_true(ntt_frame_store_put(&store, 1, &f));
    assert_true(ntt_frame_store_put(&store, 2, &g));
    assert_replays(&store, 1, &f);
    assert_replays(&store, 2, &g);
    assert_int_equal(store.stored, 2);
    ntt_frame_store_clear(&store);
}

/* ARP and other non-IP frames are stored without a flow: all flow values
 * zero, and they may still belong to a tracker (an ARP sweep). */
static void frames_without_flows(void **state)
{
    ntt_frame_store_t store;
    ntt_frame_t arp, member, got;

    (void)state;
    ntt_frame_store_init(&store);
    memset(&arp, 0, sizeof arp);
    member = arp;
    member.tokens[0] = 42;
    member.counts[0] = 3;
    assert_true(ntt_frame_store_put(&store, 1, &arp));
    assert_true(ntt_frame_store_put(&store, 2, &member));
    assert_replays(&store, 1, &arp);
    assert_replays(&store, 2, &member);
    assert_true(ntt_frame_store_get(&store, 1, &got));
    assert_false(got.has_flow);
    ntt_frame_store_clear(&store);
}

/* A flow's bytes pass 4 GiB and its packets 16 Mi in one direction while
 * another flow stays small: every frame of both reads back exactly, also
 * the other direction's frames of the big flow after the change. */
static void flows_past_4_gib_and_16_mi_packets(void **state)
{
    const uint64_t gib4 = UINT64_C(1) << 32;
    ntt_frame_store_t store;
    ntt_frame_t frames[9];
    uint32_t n = 0;

    (void)state;
    ntt_frame_store_init(&store);
    frames[n++] = flow_frame(0, NTT_DIR_ORIG, (1u << 24) - 1, 3, gib4 - 1, 900, 10);
    frames[n++] = flow_frame(1, NTT_DIR_ORIG, 1, 0, 60, 0, 0);
    frames[n++] = flow_frame(0, NTT_DIR_ORIG, 1u << 24, 3, gib4 + 1499, 900, 10);
    frames[n++] = flow_frame(0, NTT_DIR_RESP, 1u << 24, 4, gib4 + 1499, 960, 10);
    frames[n++] = flow_frame(1, NTT_DIR_RESP, 1, 1, 60, 60, 5);
    frames[n++] = flow_frame(0, NTT_DIR_ORIG, (1u << 25) + 5, 4, 3 * gib4 + 7, 960, 10);
    /* The counters of the engine's summary: pkts wrap at 2^32, bytes go
     * on to the top of 64 bits. */
    frames[n++] = flow_frame(0, NTT_DIR_ORIG, UINT32_MAX, 4, UINT64_MAX - 1, 960, 10);
    frames[n++] = flow_frame(0, NTT_DIR_ORIG, 0, 4, UINT64_MAX, 960, 10);
    frames[n++] = flow_frame(0, NTT_DIR_RESP, 0, UINT32_MAX, UINT64_MAX, gib4 * 5, 10);
    for (uint32_t i = 0; i < n; i++)
        assert_true(ntt_frame_store_put(&store, i + 1, &frames[i]));
    for (uint32_t i = 0; i < n; i++)
        assert_replays(&store, i + 1, &frames[i]);
    ntt_frame_store_clear(&store);
}

/* The gap since the flow's previous packet: kept in the record up to
 * 2^32 - 2 ns, beyond (and below zero: timestamps going back) exact too. */
static void gaps_of_4_29_s_and_more(void **state)
{
    const int64_t gaps[] = {
        0, 1, INT64_C(4294967294), INT64_C(4294967295), INT64_C(4294967296),
        INT64_C(300) * 1000000000, -1, -INT64_C(4294967296), INT64_MAX, INT64_MIN,
    };
    const uint32_t n = sizeof gaps / sizeof gaps[0];
    ntt_frame_store_t store;
    ntt_frame_t f;

    (void)state;
    ntt_frame_store_init(&store);
    for (uint32_t i = 0; i < n; i++) {
        f = flow_frame(i % 3, NTT_DIR_ORIG, i + 1, 0, 60 * (i + 1), 0, gaps[i]);
        assert_true(ntt_frame_store_put(&store, i + 1, &f));
    }
    for (uint32_t i = 0; i < n; i++) {
        f = flow_frame(i % 3, NTT_DIR_ORIG, i + 1, 0, 60 * (i + 1), 0, gaps[i]);
        assert_replays(&store, i + 1, &f);
    }
    ntt_frame_store_clear(&store);
}

/* Frames with every slot taken (the engine keeps at most
 * NTT_FRAME_EPISODES, slot order meaning the order shown), next to frames
 * with none, across membership blocks. */
static void frames_with_full_slots_across_blocks(void **state)
{
    ntt_frame_store_t store;
    GArray *put = g_array_new(FALSE, TRUE, sizeof(ntt_frame_t));

    (void)state;
    ntt_frame_store_init(&store);
    g_array_set_size(put, 300);
    for (uint32_t frame = 1; frame < 300; frame++) {
        ntt_frame_t *f = &g_array_index(put, ntt_frame_t, frame);

        *f = flow_frame(frame / 7, frame % 2, frame, frame / 2, frame * 60u, 0, frame);
        /* Full on every third frame, none on every other, some between;
         * tokens in no order, counts of every varint length. */
        for (unsigned i = 0; i < (frame % 3 == 0 ? NTT_FRAME_EPISODES : frame % 2 ? 0 : 2); i++) {
            f->tokens[i] = (frame * 2654435761u) >> (i * 7) | 1;
            f->counts[i] = frame << (i * 8);
        }
        assert_true(ntt_frame_store_put(&store, frame, f));
    }
    for (uint32_t frame = 1; frame < 300; frame++)
        assert_replays(&store, frame, &g_array_index(put, ntt_frame_t, frame));
    g_array_free(put, TRUE);
    ntt_frame_store_clear(&store);
}

/* Frame numbers with holes: the holes are not stored, the frames around
 * them are. Frame 0, a frame not above the last stored one and an
 * absurd jump are refused, and leave the store as it was. */
static void sparse_and_refused_frame_numbers(void **state)
{
    const uint32_t frames[] = { 1, 5, 63, 64, 200, 201, 60000 };
    const uint32_t n = sizeof frames / sizeof frames[0];
    ntt_frame_store_t store;
    ntt_frame_t f, got;

    (void)state;
    ntt_frame_store_init(&store);
    for (uint32_t i = 0; i < n; i++) {
        f = flow_frame(i, NTT_DIR_ORIG, 1, 0, 60, 0, 0);
        f.tokens[0] = 100 + i;
        f.counts[0] = 1;
        assert_true(ntt_frame_store_put(&store, frames[i], &f));
    }
    f = flow_frame(99, NTT_DIR_ORIG, 1, 0, 60, 0, 0);
    assert_false(ntt_frame_store_put(&store, 0, &f));
    assert_false(ntt_frame_store_put(&store, 60000, &f));       /* stored */
    assert_false(ntt_frame_store_put(&store, 6, &f));           /* a hole below */
    assert_false(ntt_frame_store_put(&store, 60001 + 65537, &f));
    assert_false(ntt_frame_store_put(&store, UINT32_MAX, &f));
    assert_int_equal(store.stored, n);

    for (uint32_t i = 0; i < n; i++) {
        f = flow_frame(i, NTT_DIR_ORIG, 1, 0, 60, 0, 0);
        f.tokens[0] = 100 + i;
        f.counts[0] = 1;
        assert_replays(&store, frames[i], &f);
    }
    assert_false(ntt_frame_store_get(&store, 0, &got));
    assert_false(ntt_frame_store_get(&store, 2, &got));
    assert_false(ntt_frame_store_get(&store, 65, &got));
    assert_false(ntt_frame_store_get(&store, 60001, &got));
    assert_false(ntt_frame_store_get(&store, UINT32_MAX, &got));
    ntt_frame_store_clear(&store);
}

/* What the store says it holds, from its documented layout: a 24-byte
 * record per frame number up to the last, 4 bytes per block of 64 frames,
 * and each membership's two varints. */
static void size_is_records_blocks_and_memberships(void **state)
{
    ntt_frame_store_t store;
    ntt_frame_t f = flow_frame(0, NTT_DIR_ORIG, 1, 0, 60, 0, 0);

    (void)state;
    ntt_frame_store_init(&store);
    assert_int_equal(ntt_frame_store_bytes(&store), 0);
    assert_true(ntt_frame_store_put(&store, 1, &f));
    assert_int_equal(ntt_frame_store_bytes(&store), 2 * 24 + 4);
    f.tokens[0] = 5;            /* 1 byte */
    f.counts[0] = 300;          /* 2 bytes */
    assert_true(ntt_frame_store_put(&store, 70, &f));
    assert_int_equal(ntt_frame_store_bytes(&store), 71 * 24 + 2 * 4 + 3);
    ntt_frame_store_clear(&store);
}

/* Many frames of many flows with every field drawn at random (seeded),
 * escapes included now and then: all read back exactly. */
static void random_frames_round_trip(void **state)
{
    enum { FRAMES = 20000, FLOWS = 50 };
    GRand *rand = g_rand_new_with_seed(20261201);
    GArray *put = g_array_new(FALSE, TRUE, sizeof(ntt_frame_t));
    GArray *numbers = g_array_new(FALSE, TRUE, sizeof(uint32_t));
    uint64_t bytes[FLOWS][2] = { { 0 } };
    uint32_t pkts[FLOWS][2] = { { 0 } };
    ntt_frame_store_t store;
    uint32_t frame = 0;

    (void)state;
    ntt_frame_store_init(&store);
    g_array_set_size(put, FRAMES);
    g_array_set_size(numbers, FRAMES);
    for (uint32_t i = 0; i < FRAMES; i++) {
        ntt_frame_t *f = &g_array_index(put, ntt_frame_t, i);

        frame += 1 + (g_rand_int_range(rand, 0, 10) == 0 ? g_rand_int_range(rand, 1, 300) : 0);
        if (g_rand_int_range(rand, 0, 20) != 0) {
            uint32_t id = (uint32_t)g_rand_int_range(rand, 0, FLOWS);
            uint8_t dir = (uint8_t)g_rand_int_range(rand, 0, 2);

            /* Some flows are elephants: big jumps, so their high parts change. */
            pkts[id][dir] += id < 3 ? (uint32_t)g_rand_int_range(rand, 1, 1 << 22) : 1;
            bytes[id][dir] += id < 3 ? (uint64_t)g_rand_int(rand) * 4 : 60;
            *f = flow_frame(id, dir, pkts[id][NTT_DIR_ORIG], pkts[id][NTT_DIR_RESP],
                            bytes[id][NTT_DIR_ORIG], bytes[id][NTT_DIR_RESP],
                            g_rand_int_range(rand, 0, 8) == 0
                                ? (int64_t)g_rand_double_range(rand, -1e12, 1e13)
                                : g_rand_int_range(rand, 0, 1000000000));
            f->flow.state = (uint8_t)g_rand_int_range(rand, 0, NTT_STATE_COUNT);
            f->flow.new_flow = g_rand_boolean(rand);
        }
        for (unsigned s = 0, n = (unsigned)g_rand_int_range(rand, 0, NTT_FRAME_EPISODES + 1);
             s < n; s++) {
            f->tokens[s] = g_rand_int_range(rand, 1, 4) == 1 ? g_rand_int(rand) | 1
                                                            : (uint32_t)g_rand_int_range(rand, 1, 200);
            f->counts[s] = g_rand_int(rand) >> g_rand_int_range(rand, 0, 32);
        }
        assert_true(ntt_frame_store_put(&store, frame, f));
        g_array_index(numbers, uint32_t, i) = frame;
    }
    for (uint32_t i = 0; i < FRAMES; i++)
        assert_replays(&store, g_array_index(numbers, uint32_t, i),
                       &g_array_index(put, ntt_frame_t, i));
    assert_int_equal(store.stored, FRAMES);
    g_array_free(numbers, TRUE);
    g_array_free(put, TRUE);
    g_rand_free(rand);
    ntt_frame_store_clear(&store);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_field_round_trips),
        cmocka_unit_test(frames_without_flows),
        cmocka_unit_test(flows_past_4_gib_and_16_mi_packets),
        cmocka_unit_test(gaps_of_4_29_s_and_more),
        cmocka_unit_test(frames_with_full_slots_across_blocks),
        cmocka_unit_test(sparse_and_refused_frame_numbers),
        cmocka_unit_test(size_is_records_blocks_and_memberships),
        cmocka_unit_test(random_frames_round_trip),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
