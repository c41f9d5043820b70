/* test-engine-memcap.c
 * The engine under a tiny ntt.memcap: a spoofed SYN flood with a port
 * scan inside it drives the live tables into emergency mode, and both
 * attacks are still raised on the very packets that raise them with no
 * cap; one frame carries the note, the memory figures say what went.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ntt/engine.h"
#include "packet-builder.h"

#define SYNS       20000      /* spoofed sources, one SYN each */
#define PPS        10000
#define SCAN_EVERY 50         /* a scan probe after every 50 SYNs */
#define VICTIM     "10.10.10.10"
#define SCANNER    "198.51.100.66"
#define SCANNED    "192.0.2.20"

typedef struct run {
    uint32_t synflood_frame;      /* detect frames, 0: not raised */
    uint32_t portscan_frame;
    uint32_t episodes;
    unsigned notes;               /* frames with the emergency note */
    uint32_t note_frame;
    uint32_t hundredth_syn;       /* frame of the 100th SYN to the victim */
    uint32_t seventh_probe;       /* frame of the scanner's 7th probe */
    ntt_engine_memory_t memory;
} run_t;

static void spoofed(char *buf, size_t size, uint32_t i)
{
    snprintf(buf, size, "11.%u.%u.%u", (i >> 16) & 255, (i >> 8) & 255, i & 255);
}

static void feed(ntt_engine_t *e, run_t *r, ntt_packet_t p)
{
    ntt_frame_t f;

    assert_true(ntt_engine_process(e, &p, &f));
    if (f.memcap_emergency) {
        r->notes++;
        r->note_frame = p.frame;
    }
}

static void run_flood(uint64_t memcap_bytes, run_t *r)
{
    ntt_config_t cfg;
    ntt_engine_t *e;
    uint32_t frame = 1, probes = 0;

    memset(r, 0, sizeof *r);
    ntt_config_init(&cfg);
    cfg.memcap_bytes = memcap_bytes;
    e = ntt_engine_new(&cfg);
    for (uint32_t i = 0; i < SYNS; i++) {
        int64_t t = (int64_t)i * (NTT_NS_PER_SEC / PPS);
        char src[32];

        spoofed(src, sizeof src, i + 1);
        if (i == 99)
            r->hundredth_syn = frame;
        feed(e, r, tcp4(frame++, t, src, (uint16_t)(1024 + i % 60000), VICTIM, 80, NTT_TCP_SYN,
                        i, 0));
        if (i % SCAN_EVERY == 0) {
            /* A SYN to a closed port and the RST that refuses it. */
            uint16_t port = (uint16_t)(1 + probes++);

            if (probes == 7)
                r->seventh_probe = frame;
            feed(e, r, tcp4(frame++, t + 1000, SCANNER, 40000, SCANNED, port, NTT_TCP_SYN, 7, 0));
            feed(e, r, tcp4(frame++, t + 2000, SCANNED, port, SCANNER, 40000,
                            NTT_TCP_RST | NTT_TCP_ACK, 0, 0));
        }
    }
    r->episodes = ntt_engine_episode_count(e);
    for (uint32_t id = 0; id < r->episodes; id++) {
        const ntt_episode_t *ep = ntt_engine_episode(e, id);

        if (ep->type == NTT_EPISODE_SYNFLOOD)
            r->synflood_frame = ep->detect_frame;
        else if (ep->type == NTT_EPISODE_PORTSCAN &&
                 memcmp(&ep->src, &(ntt_addr_t){ .bytes = { 198, 51, 100, 66 } },
                        sizeof ep->src) == 0)
            r->portscan_frame = ep->detect_frame;
    }
    ntt_engine_memory(e, &r->memory);
    ntt_engine_unref(e);
}

static void test_flood_and_scan_under_a_tiny_memcap(void **state)
{
    enum { CAP = 256 * 1024 };
    run_t free_run, capped;

    (void)state;
    run_flood(0, &free_run);
    run_flood(CAP, &capped);

    /* Without a cap: both attacks, where the thresholds say (100 SYNs at
     * 100/s with 100 half-open; the 7th refused port), and no emergency. */
    assert_int_equal(free_run.synflood_frame, free_run.hundredth_syn);
    assert_int_equal(free_run.portscan_frame, free_run.seventh_probe);
    assert_int_equal(free_run.notes, 0);
    assert_int_equal(free_run.memory.emergency_count, 0);
    assert_int_equal(free_run.memory.memcap_bytes, 0);
    /* ... and the live tables take far more than the cap of the other run. */
    assert_true(free_run.memory.peak_bytes > 8 * CAP);

    /* Under the cap: the same detections on the same frames. */
    assert_int_equal(capped.synflood_frame, free_run.synflood_frame);
    assert_int_equal(capped.portscan_frame, free_run.portscan_frame);
    /* One note, where emergency mode first engaged; it stayed on. */
    assert_int_equal(capped.notes, 1);
    assert_true(capped.memory.emergency_count >= 1);
    assert_int_equal(capped.note_frame, capped.memory.first_emergency_frame);
    assert_true(capped.memory.emergency_now);
    assert_int_equal(capped.memory.memcap_bytes, CAP);
    /* Within the cap but for a couple of entries a table. */
    assert_true(capped.memory.peak_bytes <= CAP + 16 * 1024);
    assert_true(capped.memory.used_bytes <= CAP + 16 * 1024);
}

static void test_table_figures_name_what_went(void **state)
{
    enum { CAP = 256 * 1024 };
    ntt_config_t cfg;
    ntt_engine_t *e;
    ntt_table_memory_t t;
    uint64_t flows_dropped = 0, sweep_dropped = 0, syn_dropped = 0, sum = 0;
    ntt_engine_memory_t m;

    (void)state;
    ntt_config_init(&cfg);
    cfg.memcap_bytes = CAP;
    e = ntt_engine_new(&cfg);
    for (uint32_t i = 0; i < 5000; i++) {
        char src[32];
        ntt_packet_t p;

        spoofed(src, sizeof src, i + 1);
        p = tcp4(i + 1, (int64_t)i * 100000, src, 1024, VICTIM, 80, NTT_TCP_SYN, i, 0);
        ntt_engine_process(e, &p, NULL);
    }
    ntt_engine_memory(e, &m);
    for (unsigned i = 0; ntt_engine_table_memory(e, i, &t); i++) {
        uint64_t dropped = t.emergency_evicted + t.emergency_expired;

        sum += t.bytes;
        if (strcmp(t.name, "flows") == 0)
            flows_dropped = dropped;
        else if (strcmp(t.name, "sweep") == 0)
            sweep_dropped = dropped;
        else if (strcmp(t.name, "synflood") == 0)
            syn_dropped = dropped;
    }
    /* flows, 9 detector tables (sweep.expected among them), the GeoIP
     * cache, the entropy's counts: without a blocklist and without
     * countries to watch those two families are off and open none of
     * their four (blocklist contacts, resolved names and URIs; geo
     * outsiders). */
    assert_int_equal(m.table_count, 12);
    for (unsigned i = 0; ntt_engine_table_memory(e, i, &t); i++) {
        assert_null(strstr(t.name, "blocklist"));
        assert_null(strstr(t.name, "geo."));
    }
    assert_false(ntt_engine_table_memory(e, m.table_count, &t));
    /* The tables' shares add up to the whole. */
    assert_int_equal(sum, m.used_bytes);
    /* 5000 spoofed sources: their flows and sweep trackers made room; the
     * one victim's flood tracker, in use on every packet, never went. */
    assert_true(flows_dropped > 1000);
    assert_true(sweep_dropped > 1000);
    assert_int_equal(syn_dropped, 0);
    /* Replay data is outside the cap: the replay store (what the
     * counters say it holds, under half of a decoded frame per frame),
     * a record per flow. */
    {
        ntt_engine_counters_t c;

        ntt_engine_counters(e, &c);
        assert_int_equal(m.frame_bytes, c.replay_bytes);
        assert_true(m.frame_bytes < 5000 * sizeof(ntt_frame_t) / 2);
    }
    assert_int_equal(m.flow_record_bytes, 5000 * sizeof(ntt_flow_summary_t));
    ntt_engine_unref(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flood_and_scan_under_a_tiny_memcap),
        cmocka_unit_test(test_table_figures_name_what_went),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
