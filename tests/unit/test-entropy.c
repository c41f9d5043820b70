/* test-entropy.c
 * The entropy of the sliding window against hand-computed values:
 * uniform distributions (log2 k bits), a single value (0), known skewed
 * ones ({4,2,1,1}: 1.75 bits; {3,1}: 2 - 3/4 log2 3 bits), the window
 * sliding a tenth at a time, the timeline, its largest moves and busiest
 * destinations, full tables (packets left out, the rest exact, never
 * emergency mode), and the figure an episode is corroborated with.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "analytics/entropy-timeline.h"
#include "analytics/entropy-window.h"
#include "packet-builder.h"

#define SEC(x) ((int64_t)(x) * 1000000000)
#define EPS 1e-9

static uint32_t frame_no;

/* A TCP SYN from 10.0.0.<src> to 10.1.0.<dst>, port port, at ts. */
static ntt_packet_t syn(int64_t ts, unsigned src, unsigned dst, uint16_t port)
{
    char s[32], d[32];

    snprintf(s, sizeof s, "10.0.%u.%u", src / 256, src % 256);
    snprintf(d, sizeof d, "10.1.%u.%u", dst / 256, dst % 256);
    return tcp4(++frame_no, ts, s, 40000, d, port, NTT_TCP_SYN, 1, 0);
}

static void add_n(ntt_entropy_counts_t *c, unsigned n, int64_t ts, unsigned src, unsigned dst,
                  uint16_t port)
{
    for (unsigned i = 0; i < n; i++) {
        ntt_packet_t p = syn(ts, src, dst, port);

        ntt_entropy_counts_add(c, &p);
    }
}

static ntt_entropy_figure_t figure(const ntt_entropy_counts_t *c, ntt_entropy_dim_t dim)
{
    ntt_entropy_figure_t f;

    ntt_entropy_counts_figure(c, dim, &f);
    return f;
}

static ntt_entropy_figure_t toward(const ntt_entropy_counts_t *c, unsigned dst, bool ports)
{
    char d[32];
    ntt_addr_t a;
    const ntt_entropy_addr_t *e;
    ntt_entropy_figure_t f;

    snprintf(d, sizeof d, "10.1.%u.%u", dst / 256, dst % 256);
    a = addr4(d);
    e = ntt_entropy_counts_addr(c, &a, 4);
    assert_non_null(e);
    ntt_entropy_sum_figure(ports ? &e->ports_toward : &e->srcs_toward, &f);
    return f;
}

static void uniform_distributions_give_log2_k(void **state)
{
    ntt_entropy_counts_t c;

    (void)state;
    ntt_entropy_counts_init(&c, SEC(10), 1000, 2000, NULL);
    /* 8 sources, one packet each, to one host: 3 bits, and every packet a
     * source of its own: normalised 1. */
    for (unsigned s = 1; s <= 8; s++)
        add_n(&c, 1, SEC(0), s, 1, 80);
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).packets, 8);
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).distinct, 8);
    assert_float_equal(figure(&c, NTT_ENTROPY_SRC).bits, 3.0, EPS);
    assert_float_equal(figure(&c, NTT_ENTROPY_SRC).normalized, 1.0, EPS);
    assert_float_equal(toward(&c, 1, false).bits, 3.0, EPS);
    /* A second packet from each: still 3 bits, of log2 16 = 4 possible. */
    for (unsigned s = 1; s <= 8; s++)
        add_n(&c, 1, SEC(1), s, 1, 80);
    assert_float_equal(figure(&c, NTT_ENTROPY_SRC).bits, 3.0, EPS);
    assert_float_equal(figure(&c, NTT_ENTROPY_SRC).normalized, 0.75, EPS);
    ntt_entropy_counts_clear(&c);
}

static void a_single_value_gives_zero(void **state)
{
    ntt_entropy_counts_t c;

    (void)state;
    ntt_entropy_counts_init(&c, SEC(10), 1000, 2000, NULL);
    add_n(&c, 100, SEC(0), 1, 1, 80);
    for (int d = 0; d < NTT_ENTROPY_DIMS; d++) {
        assert_int_equal(figure(&c, (ntt_entropy_dim_t)d).packets, 100);
        assert_int_equal(figure(&c, (ntt_entropy_dim_t)d).distinct, 1);
        assert_float_equal(figure(&c, (ntt_entropy_dim_t)d).bits, 0.0, EPS);
        assert_float_equal(figure(&c, (ntt_entropy_dim_t)d).normalized, 0.0, EPS);
    }
    ntt_entropy_counts_clear(&c);
}

static void skewed_distributions_match_the_hand_computation(void **state)
{
    ntt_entropy_counts_t c;

    (void)state;
    ntt_entropy_counts_init(&c, SEC(10), 1000, 2000, NULL);
    /* Ports {4,2,1,1} of 8 packets: p = 1/2, 1/4, 1/8, 1/8,
     * H = 1/2 + 2/4 + 3/8 + 3/8 = 1.75 bits; normalised 1.75 / 3. */
    add_n(&c, 4, SEC(0), 1, 1, 22);
    add_n(&c, 2, SEC(0), 1, 1, 80);
    add_n(&c, 1, SEC(0), 1, 1, 443);
    add_n(&c, 1, SEC(0), 1, 1, 8080);
    assert_int_equal(figure(&c, NTT_ENTROPY_DPORT).distinct, 4);
    assert_float_equal(figure(&c, NTT_ENTROPY_DPORT).bits, 1.75, EPS);
    assert_float_equal(figure(&c, NTT_ENTROPY_DPORT).normalized, 1.75 / 3.0, EPS);
    assert_float_equal(toward(&c, 1, true).bits, 1.75, EPS);
    /* One source and one destination all along. */
    assert_float_equal(figure(&c, NTT_ENTROPY_SRC).bits, 0.0, EPS);
    assert_float_equal(figure(&c, NTT_ENTROPY_DST).bits, 0.0, EPS);
    ntt_entropy_counts_clear(&c);

    /* Destinations {3,1}: H = -(3/4 log2 3/4 + 1/4 log2 1/4)
     * = 2 - (3/4) log2 3 = 0.811278... bits; normalised over log2 4 = 2. */
    ntt_entropy_counts_init(&c, SEC(10), 1000, 2000, NULL);
    add_n(&c, 3, SEC(0), 1, 1, 80);
    add_n(&c, 1, SEC(0), 1, 2, 80);
    assert_float_equal(figure(&c, NTT_ENTROPY_DST).bits, 2.0 - 0.75 * log2(3.0), EPS);
    assert_float_equal(figure(&c, NTT_ENTROPY_DST).normalized, (2.0 - 0.75 * log2(3.0)) / 2.0,
                       EPS);
    assert_float_equal(figure(&c, NTT_ENTROPY_DST).bits, 0.8112781244591328, 1e-12);
    ntt_entropy_counts_clear(&c);
}

static void the_window_slides_a_tenth_at_a_time(void **state)
{
    ntt_entropy_counts_t c;

    (void)state;
    /* 10 s: tenths of 1 s from the first packet. */
    ntt_entropy_counts_init(&c, SEC(10), 1000, 2000, NULL);
    add_n(&c, 4, MS(500), 1, 1, 80);       /* tenth 0 */
    add_n(&c, 4, MS(5500), 2, 1, 80);      /* tenth 5 */
    /* {4,4}: 1 bit. */
    assert_float_equal(figure(&c, NTT_ENTROPY_SRC).bits, 1.0, EPS);
    /* 9.9 s after the first: tenth 9, the first still in. */
    add_n(&c, 1, MS(10400), 3, 1, 80);
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).packets, 9);
    /* 10 s after the first: tenth 10, tenth 0 leaves. */
    {
        ntt_packet_t p = syn(MS(10500), 3, 1, 80);

        ntt_entropy_counts_add(&c, &p);
    }
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).packets, 6);
    /* {4 from 2, 2 from 3}: -(2/3 log2 2/3 + 1/3 log2 1/3) = log2 3 - 2/3 */
    assert_float_equal(figure(&c, NTT_ENTROPY_SRC).bits, log2(3.0) - 2.0 / 3.0, EPS);
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).distinct, 2);
    /* Source 1's entry went with its last packet; the window starts at
     * tenth 1. */
    {
        ntt_addr_t a = addr4("10.0.0.1");

        assert_null(ntt_entropy_counts_addr(&c, &a, 4));
    }
    assert_int_equal(ntt_entropy_counts_start(&c), MS(500) + SEC(1));
    /* A minute of silence: everything leaves. */
    {
        ntt_packet_t p = syn(SEC(70), 9, 9, 9);

        ntt_entropy_counts_add(&c, &p);
    }
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).packets, 1);
    assert_int_equal(c.addrs.count, 2);
    assert_int_equal(c.pair_count, 2);
    /* Both are held in entries, the (source, destination) pair in the
     * source's, the (destination, port) pair in the destination's: the
     * pairs' table is empty. */
    assert_int_equal(c.pairs.count, 0);
    ntt_entropy_counts_clear(&c);
}

static void full_tables_leave_packets_out_and_keep_the_rest_exact(void **state)
{
    ntt_entropy_counts_t c;
    ntt_memcap_t *memcap = ntt_memcap_new(0, 0);
    ntt_memcap_stats_t stats;

    (void)state;
    /* Four addresses: the destination and three sources fit; the fourth
     * and fifth sources' packets are left out. */
    ntt_entropy_counts_init(&c, SEC(10), 4, 100, memcap);
    for (unsigned s = 1; s <= 5; s++)
        add_n(&c, 1, SEC(0), s, 1, 80);
    assert_int_equal(c.uncounted, 2);
    assert_int_equal(c.uncounted_total, 2);
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).packets, 3);
    assert_float_equal(figure(&c, NTT_ENTROPY_SRC).bits, log2(3.0), EPS);
    assert_int_equal(c.account->refused, 2);
    /* A known source still counts. */
    add_n(&c, 1, SEC(0), 1, 1, 80);
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).packets, 4);
    /* The left-out packets leave the window with their tenth. */
    add_n(&c, 1, SEC(11), 1, 1, 80);
    assert_int_equal(c.uncounted, 0);
    assert_int_equal(c.uncounted_total, 2);
    ntt_entropy_counts_clear(&c);
    /* Every byte taken was given back. */
    assert_int_equal(c.account->bytes, 0);
    ntt_memcap_free(memcap);

    /* Two pairs, four records: one packet a tenth (a record for each of
     * its two pairs) fits in two tenths, not in a third; the window still
     * holds the first two. */
    ntt_entropy_counts_init(&c, SEC(10), 100, 2, NULL);
    add_n(&c, 1, MS(0), 1, 1, 80);
    add_n(&c, 1, MS(1000), 1, 1, 80);
    /* Within a tenth, the same pairs need no new record. */
    add_n(&c, 5, MS(1000), 1, 1, 80);
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).packets, 7);
    add_n(&c, 1, MS(2000), 1, 1, 80);
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).packets, 7);
    assert_int_equal(c.uncounted, 1);
    ntt_entropy_counts_clear(&c);

    /* A pair held in a source's entry counts against max_pairs too: with
     * room for one pair, a TCP packet (a (source, destination) and a
     * (destination, port) pair) is left out, an ICMP one (the first only)
     * is counted, and a second destination of its source is left out. */
    ntt_entropy_counts_init(&c, SEC(10), 100, 1, NULL);
    add_n(&c, 1, MS(0), 1, 1, 80);
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).packets, 0);
    assert_int_equal(c.uncounted, 1);
    assert_int_equal(c.pair_count, 0);
    assert_int_equal(c.addrs.count, 0);
    {
        ntt_packet_t p = icmp4(++frame_no, MS(0), "10.0.0.1", "10.1.0.1", 8, 0, 1);

        ntt_entropy_counts_add(&c, &p);
        p = icmp4(++frame_no, MS(0), "10.0.0.1", "10.1.0.2", 8, 0, 1);
        ntt_entropy_counts_add(&c, &p);
    }
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).packets, 1);
    assert_int_equal(c.uncounted, 2);
    assert_int_equal(c.pair_count, 1);
    ntt_entropy_counts_clear(&c);

    /* A memcap with room for little: packets are left out, and the table
     * never pushes the engine into emergency mode. */
    memcap = ntt_memcap_new(2048, 0);
    ntt_entropy_counts_init(&c, SEC(10), 1000, 2000, memcap);
    for (unsigned s = 1; s <= 50; s++) {
        char src[32];
        /* ICMP: no port table to make room for */
        ntt_packet_t p;

        snprintf(src, sizeof src, "10.0.0.%u", s);
        p = icmp4(++frame_no, SEC(0), src, "10.1.0.1", 8, 0, 1);
        ntt_entropy_counts_add(&c, &p);
    }
    ntt_memcap_stats(memcap, &stats);
    assert_int_equal(stats.engagements, 0);
    assert_true(stats.used_bytes <= 2048);
    assert_true(c.uncounted > 0);
    assert_int_equal(figure(&c, NTT_ENTROPY_SRC).packets + c.uncounted, 50);
    /* What was counted is exact: distinct sources, one packet each. */
    assert_true(figure(&c, NTT_ENTROPY_SRC).packets >= 2);
    assert_float_equal(figure(&c, NTT_ENTROPY_SRC).normalized, 1.0, EPS);
    assert_int_equal(figure(&c, NTT_ENTROPY_DPORT).packets, 0);
    ntt_entropy_counts_clear(&c);
    assert_int_equal(c.account->bytes, 0);
    ntt_memcap_free(memcap);
}

/* The figures of a brute-force count of the window's packets. */
typedef struct ref_packet {
    int64_t  tenth;
    unsigned src, dst;
    int      port;      /* -1: no ports (ICMP) */
} ref_packet_t;

/* Values an address or a port of the reference takes, at most. */
#define REF_VALUES 64

static void ref_figure(const unsigned *counts, unsigned values,
                       ntt_entropy_figure_t *f)
{
    unsigned n = 0, distinct = 0;
    double clogc = 0;

    for (unsigned v = 0; v < values; v++) {
        n += counts[v];
        distinct += counts[v] > 0;
        clogc += counts[v] > 1 ? counts[v] * log2((double)counts[v]) : 0;
    }
    memset(f, 0, sizeof *f);
    f->packets = n;
    f->distinct = distinct;
    if (n >= 2 && distinct >= 2) {
        f->bits = log2((double)n) - clogc / n;
        f->normalized = f->bits / log2((double)n);
    }
}

static void assert_figure(const ntt_entropy_figure_t *got, const ntt_entropy_figure_t *want)
{
    assert_int_equal(got->packets, want->packets);
    assert_int_equal(got->distinct, want->distinct);
    assert_float_equal(got->bits, want->bits, 1e-9);
    assert_float_equal(got->normalized, want->normalized, 1e-9);
}

static const ntt_entropy_addr_t *ref_addr(const ntt_entropy_counts_t *c, unsigned a)
{
    char s[32];
    ntt_addr_t addr;

    snprintf(s, sizeof s, "10.2.0.%u", a);
    addr = addr4(s);
    return ntt_entropy_counts_addr(c, &addr, 4);
}

/* Every figure of the window, against counting its packets again. */
static void check_against_reference(const ntt_entropy_counts_t *c, const ref_packet_t *packets,
                                    unsigned count, int64_t tenth, unsigned addrs,
                                    unsigned ports)
{
    static unsigned by[REF_VALUES];
    ntt_entropy_figure_t want, got;

    for (int dim = 0; dim < NTT_ENTROPY_DIMS; dim++) {
        memset(by, 0, sizeof by);
        for (unsigned i = 0; i < count; i++) {
            const ref_packet_t *p = &packets[i];

            if (p->tenth <= tenth - NTT_SLIDING_BUCKETS)
                continue;
            if (dim == NTT_ENTROPY_SRC)
                by[p->src]++;
            else if (dim == NTT_ENTROPY_DST)
                by[p->dst]++;
            else if (p->port >= 0)
                by[p->port]++;
        }
        ref_figure(by, dim == NTT_ENTROPY_DPORT ? ports : addrs, &want);
        ntt_entropy_counts_figure(c, (ntt_entropy_dim_t)dim, &got);
        assert_figure(&got, &want);
    }
    for (unsigned a = 0; a < addrs; a++) {
        const ntt_entropy_addr_t *e = ref_addr(c, a);
        static unsigned dsts[REF_VALUES], srcs[REF_VALUES], to_ports[REF_VALUES];
        bool seen = false;

        memset(dsts, 0, sizeof dsts);
        memset(srcs, 0, sizeof srcs);
        memset(to_ports, 0, sizeof to_ports);
        for (unsigned i = 0; i < count; i++) {
            const ref_packet_t *p = &packets[i];

            if (p->tenth <= tenth - NTT_SLIDING_BUCKETS)
                continue;
            if (p->src == a) {
                dsts[p->dst]++;
                seen = true;
            }
            if (p->dst == a) {
                srcs[p->src]++;
                if (p->port >= 0)
                    to_ports[p->port]++;
                seen = true;
            }
        }
        /* An address is held exactly while a packet of the window names it. */
        assert_int_equal(e != NULL, seen);
        if (!e)
            continue;
        ref_figure(dsts, addrs, &want);
        ntt_entropy_sum_figure(&e->dsts_from, &got);
        assert_figure(&got, &want);
        ref_figure(srcs, addrs, &want);
        ntt_entropy_sum_figure(&e->srcs_toward, &got);
        assert_figure(&got, &want);
        ref_figure(to_ports, ports, &want);
        ntt_entropy_sum_figure(&e->ports_toward, &got);
        assert_figure(&got, &want);
    }
}

/* Random packets among few addresses and ports, with pauses long enough
 * for pairs to leave the window and come back: a source's destinations
 * come and go in every order, its first one among them. Every figure is
 * checked against counting the window's packets again, after every
 * packet. */
static void every_figure_matches_a_recount_of_the_window(void **state)
{
    enum { PACKETS = 3000, ADDRS = 24, PORTS = 7 };
    static ref_packet_t packets[PACKETS];
    ntt_entropy_counts_t c;
    uint32_t rng = 12345, most_in_table = 0, most_held = 0;
    int64_t ts = 0, first = -1;

    (void)state;
    memset(packets, 0, sizeof packets);
    ntt_entropy_counts_init(&c, SEC(10), 1000, 2000, NULL);
    for (unsigned i = 0; i < PACKETS; i++) {
        char s[32], d[32];
        ntt_packet_t p;
        ref_packet_t *r = &packets[i];

        rng = rng * 1103515245u + 12345u;
        /* Mostly within a tenth, sometimes a few tenths on, now and then
         * past a whole window. */
        switch ((rng >> 16) % 16) {
        case 0: ts += MS(3000); break;
        case 1: ts += MS(12000); break;
        case 2: case 3: ts += MS(900); break;
        default: ts += MS(20); break;
        }
        rng = rng * 1103515245u + 12345u;
        /* Sources 0..ADDRS-1, destinations mostly few: some sources talk
         * to one, some to many; some packets go to their own source. */
        r->src = (rng >> 8) % ADDRS;
        r->dst = ((rng >> 20) % 4 == 0) ? (rng >> 12) % ADDRS : (rng >> 12) % 5;
        r->port = ((rng >> 24) % 5 == 0) ? -1 : (int)((rng >> 4) % PORTS);
        if (first < 0)
            first = ts;
        r->tenth = (ts - first) / MS(1000);
        snprintf(s, sizeof s, "10.2.0.%u", r->src);
        snprintf(d, sizeof d, "10.2.0.%u", r->dst);
        p = r->port < 0 ? icmp4(++frame_no, ts, s, d, 8, 0, 1)
                        : udp4(++frame_no, ts, s, 40000, d, (uint16_t)r->port, 10);
        ntt_entropy_counts_add(&c, &p);
        check_against_reference(&c, packets, i + 1, r->tenth, ADDRS, PORTS);
        most_in_table = MAX(most_in_table, c.pairs.count);
        most_held = MAX(most_held, c.pair_count - c.pairs.count);
    }
    /* Pairs were held in entries and in the table, side by side. */
    assert_true(most_in_table > 10);
    assert_true(most_held > 10);
    assert_int_equal(c.uncounted_total, 0);
    ntt_entropy_counts_clear(&c);
}

static void entropy_add_all(ntt_entropy_t *e, unsigned n, int64_t ts, unsigned src,
                            unsigned dst, uint16_t port)
{
    for (unsigned i = 0; i < n; i++) {
        ntt_packet_t p = syn(ts, src, dst, port);

        ntt_entropy_add(e, &p);
    }
}

static void the_timeline_keeps_each_window_and_its_largest_moves(void **state)
{
    ntt_entropy_t *e = ntt_entropy_new(SEC(1), 1000, NULL);
    ntt_entropy_view_t v;

    (void)state;
    /* Window 0: 8 packets of one source to host 1. Window 1: 8 sources,
     * one packet each, to host 2 (3 bits). Window 2 (open): host 2 again
     * from 2 sources, {2,2}: 1 bit. */
    entropy_add_all(e, 8, MS(0), 1, 1, 80);
    for (unsigned s = 1; s <= 8; s++)
        entropy_add_all(e, 1, MS(1500), 100 + s, 2, 80);
    entropy_add_all(e, 2, MS(2500), 1, 2, 80);
    entropy_add_all(e, 2, MS(2500), 2, 2, 80);
    ntt_entropy_view(e, &v);
    assert_int_equal(v.windows, 3);
    assert_int_equal(v.timeline_count, 2);
    assert_true(v.has_open);
    assert_int_equal(v.timeline[0].start_ns, MS(0));
    assert_int_equal(v.timeline[0].end_ns, MS(1000));
    assert_float_equal(v.timeline[0].figure[NTT_ENTROPY_SRC].bits, 0.0, EPS);
    assert_float_equal(v.timeline[1].figure[NTT_ENTROPY_SRC].bits, 3.0, EPS);
    assert_float_equal(v.open.figure[NTT_ENTROPY_SRC].bits, 1.0, EPS);
    assert_int_equal(v.open.end_ns, MS(2500));
    /* The largest move: sources from 0 to 3 bits into window 1; then
     * from 3 to 1 bit into the open one. */
    assert_true(v.move_count >= 2);
    assert_int_equal(v.moves[0].dim, NTT_ENTROPY_SRC);
    assert_int_equal(v.moves[0].end_ns, MS(2000));
    assert_float_equal(v.moves[0].after.bits - v.moves[0].before.bits, 3.0, EPS);
    /* Destinations moved 0 -> 0 -> 0: the second move is the sources'. */
    assert_int_equal(v.moves[1].dim, NTT_ENTROPY_SRC);
    assert_float_equal(v.moves[1].after.bits - v.moves[1].before.bits, -2.0, EPS);
    /* Highest source entropy: window 1, normalised 1. */
    assert_float_equal(v.highest[NTT_ENTROPY_SRC].normalized, 1.0, EPS);
    assert_int_equal(v.highest_end_ns[NTT_ENTROPY_SRC], MS(2000));
    assert_float_equal(v.lowest[NTT_ENTROPY_SRC].normalized, 0.0, EPS);
    /* (0 + 1 + 1/2) / 3 windows */
    assert_float_equal(v.mean_normalized[NTT_ENTROPY_SRC], 0.5, EPS);
    /* Host 1 got 8 packets in window 0, host 2 8 in window 1 and 4 in
     * the open one: as many at their busiest, so the lower address first;
     * host 2 kept at its busiest window, top in two windows. */
    assert_int_equal(v.host_count, 2);
    assert_memory_equal(v.hosts[0].addr.bytes, addr4("10.1.0.1").bytes, 4);
    assert_memory_equal(v.hosts[1].addr.bytes, addr4("10.1.0.2").bytes, 4);
    assert_int_equal(v.hosts[1].windows, 2);
    assert_int_equal(v.hosts[1].src.packets, 8);
    assert_float_equal(v.hosts[1].src.normalized, 1.0, EPS);
    assert_int_equal(v.hosts[1].window_end_ns, MS(2000));
    ntt_entropy_free(e);
}

static void a_long_capture_keeps_every_other_window(void **state)
{
    /* 1 microsecond windows: 3000 windows, one packet each. */
    ntt_entropy_t *e = ntt_entropy_new(1000, 1000, NULL);
    ntt_entropy_view_t v;

    (void)state;
    for (unsigned i = 0; i < 3000; i++)
        entropy_add_all(e, 1, (int64_t)i * 1000, 1, 1, 80);
    ntt_entropy_view(e, &v);
    /* 2999 closed: the timeline halved at 1024 (stride 2) and at 2048
     * windows (stride 4): windows 0, 4, ... 2996, 750 of them. */
    assert_int_equal(v.windows, 3000);
    assert_int_equal(v.stride, 4);
    assert_int_equal(v.timeline_count, 750);
    assert_int_equal(v.timeline[1].start_ns, 4 * 1000);
    assert_int_equal(v.timeline[749].start_ns, 2996 * 1000);
    ntt_entropy_free(e);
}

static void episodes_are_corroborated_by_their_targets_figure(void **state)
{
    ntt_entropy_t *e = ntt_entropy_new(SEC(10), 1000, NULL);
    ntt_episode_t ep;

    (void)state;
    /* A scan of 16 ports of host 1, one probe each: log2 16 bits of 4. */
    for (uint16_t port = 1; port <= 16; port++)
        entropy_add_all(e, 1, MS(1), 7, 1, port);
    memset(&ep, 0, sizeof ep);
    ep.type = NTT_EPISODE_PORTSCAN;
    ep.ip_version = 4;
    ep.has_dst = true;
    ep.dst = addr4("10.1.0.1");
    ntt_entropy_corroborate(e, &ep, true);
    assert_float_equal(ep.detail.portscan.entropy_dport, 1.0, EPS);
    /* An ARP packet raised it: not measured. */
    ntt_entropy_corroborate(e, &ep, false);
    assert_true(ep.detail.portscan.entropy_dport < 0);
    /* Later readings keep the highest. */
    ntt_entropy_remeasure(e, &ep);
    assert_float_equal(ep.detail.portscan.entropy_dport, 1.0, EPS);
    /* A flood of one source to host 1: source entropy 0, measured. */
    ep.type = NTT_EPISODE_SYNFLOOD;
    ntt_entropy_corroborate(e, &ep, true);
    assert_float_equal(ep.detail.flood.entropy_src, 0.0, EPS);
    /* A target the window has not seen: not measured. */
    ep.dst = addr4("10.9.9.9");
    ntt_entropy_corroborate(e, &ep, true);
    assert_true(ep.detail.flood.entropy_src < 0);
    /* The sweep's figure is of its source's destinations: one. */
    ep.type = NTT_EPISODE_SWEEP;
    ep.has_src = true;
    ep.src = addr4("10.0.0.7");
    ntt_entropy_corroborate(e, &ep, true);
    assert_float_equal(ep.detail.sweep.entropy_dst, 0.0, EPS);
    /* No entropy at all (ntt.entropy_window 0 in the engine). */
    ntt_entropy_corroborate(NULL, &ep, true);
    assert_true(ep.detail.sweep.entropy_dst < 0);
    ntt_entropy_free(e);
}

static void non_ip_packets_are_not_counted(void **state)
{
    ntt_entropy_t *e = ntt_entropy_new(SEC(1), 1000, NULL);
    ntt_packet_t p = non_ip(1, 0, 60);
    ntt_entropy_view_t v;

    (void)state;
    ntt_entropy_add(e, &p);
    ntt_entropy_view(e, &v);
    assert_int_equal(v.windows, 0);
    ntt_entropy_free(e);
    ntt_entropy_view(NULL, &v);
    assert_int_equal(v.windows, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(uniform_distributions_give_log2_k),
        cmocka_unit_test(a_single_value_gives_zero),
        cmocka_unit_test(skewed_distributions_match_the_hand_computation),
        cmocka_unit_test(the_window_slides_a_tenth_at_a_time),
        cmocka_unit_test(full_tables_leave_packets_out_and_keep_the_rest_exact),
        cmocka_unit_test(every_figure_matches_a_recount_of_the_window),
        cmocka_unit_test(the_timeline_keeps_each_window_and_its_largest_moves),
        cmocka_unit_test(a_long_capture_keeps_every_other_window),
        cmocka_unit_test(episodes_are_corroborated_by_their_targets_figure),
        cmocka_unit_test(non_ip_packets_are_not_counted),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
