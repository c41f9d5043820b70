/* detect-flood.c
 * Floods toward one host, from one source or from many (spoofed or not):
 *  - synflood: SYNs to one host:port at ntt.synflood_rate a second, with
 *    ntt.synflood_half_open of them not completed by the originator's
 *    handshake ACK and at most ntt.synflood_completion completed;
 *  - udpflood: UDP toward one host at ntt.udpflood_rate a second and at
 *    ntt.flood_baseline_factor times that host's usual rate, with at
 *    least ntt.udpflood_unanswered of it drawing no UDP from that host;
 *  - icmpflood: ICMP requests (not replies, not errors) toward one host at
 *    ntt.icmpflood_rate a second and at ntt.flood_baseline_factor times
 *    that host's usual rate;
 *  - ddos: ntt.ddos_sources distinct sources opening flows to one host
 *    within ntt.ddos_window at ntt.ddos_rate new flows a second; bare SYNs do not
 *    count (many sources sending SYNs is the SYN flood, said once), and
 *    not while that host is under a SYN flood.
 * Rates are sliding counts over ntt.flood_window_ms. A host's usual rate
 * (UDP, ICMP) is an exponentially weighted moving average of its rate in
 * whole windows, ntt.flood_baseline_windows windows long, that does not
 * learn from windows where the host looked flooded (track/usual-rate.h,
 * shared with the surges). State is per victim,
 * never per source, so a million spoofed sources cost one tracker; sources
 * are counted with a 8192-bit linear-counting sketch.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "detect/detector.h"
#include "track/linear-count.h"
#include "track/sliding-count.h"
#include "track/tracker-table.h"
#include "track/usual-rate.h"

enum { KIND_SYN = 1, KIND_UDP, KIND_ICMP, KIND_DDOS };

#define SKETCH_BITS 8192
#define SKETCH_BYTES (SKETCH_BITS / 8)
_Static_assert(SKETCH_BYTES % sizeof(uint64_t) == 0, "merge_halves reads whole words");

/* Distinct sources (track/linear-count.h): a bitmap. */
typedef struct sketch {
    uint8_t bits[SKETCH_BYTES];
    uint32_t set;
} sketch_t;

static void sketch_add(sketch_t *s, const ntt_addr_t *a)
{
    ntt_linear_count_add(s->bits, SKETCH_BITS, &s->set, a);
}

static uint32_t sketch_estimate(const sketch_t *s)
{
    return ntt_linear_count_estimate(SKETCH_BITS, s->set);
}

/* A victim's distinct sources, the same count as a sketch_t: while at
 * most SOURCES_FEW bits are set, their numbers; with the next one, the
 * bitmap (made then, its bytes charged to the victim's table). Most
 * hosts that receive UDP or ICMP hear from one or two sources, and a
 * bitmap each was most of what the flood tables held. */
#define SOURCES_FEW 4

typedef struct sources {
    uint8_t *bits;                /* SKETCH_BYTES, NULL while few */
    uint16_t few[SOURCES_FEW];
    uint32_t set;
} sources_t;

static void sources_add(ntt_tracker_table_t *table, void *value, sources_t *s,
                        const ntt_addr_t *a)
{
    uint32_t bit;

    if (s->bits) {
        ntt_linear_count_add(s->bits, SKETCH_BITS, &s->set, a);
        return;
    }
    bit = ntt_linear_count_bit(SKETCH_BITS, a);
    for (uint32_t i = 0; i < s->set; i++) {
        if (s->few[i] == bit)
            return;
    }
    if (s->set < SOURCES_FEW) {
        s->few[s->set++] = (uint16_t)bit;
        return;
    }
    s->bits = g_new0(uint8_t, SKETCH_BYTES);
    ntt_tracker_table_charge(table, value, ntt_memcap_malloc_size(SKETCH_BYTES));
    for (uint32_t i = 0; i < s->set; i++)
        s->bits[s->few[i] / 8] |= (uint8_t)(1u << (s->few[i] % 8));
    s->bits[bit / 8] |= (uint8_t)(1u << (bit % 8));
    s->set++;
}

/* None counted (the bitmap, if made, is kept for the next ones). */
static void sources_reset(sources_t *s)
{
    if (s->bits)
        memset(s->bits, 0, SKETCH_BYTES);
    s->set = 0;
}

static uint32_t sources_estimate(const sources_t *s)
{
    return ntt_linear_count_estimate(SKETCH_BITS, s->set);
}

/* A flood from this many sources or fewer is put on its main source (a
 * single attacker plus a little ordinary traffic to the same host). */
#define FEW_SOURCES 4

/* One victim (and port, for SYN floods) under watch. */
typedef struct victim {
    ntt_tracker_t       base;
    ntt_addr_t          main_src;    /* majority vote (Boyer-Moore) */
    uint32_t            main_votes;
    ntt_sliding_count_t hits;        /* SYNs / datagrams / requests / packets */
    ntt_sliding_count_t answers;     /* completions / UDP answers */
    sources_t           sources;
    double              peak_pps;
    /* UDP and ICMP only: */
    ntt_usual_rate_t    usual;       /* track/usual-rate.h */
    int64_t             last_ns;     /* last packet toward the host */
    int64_t             last_hot_ns; /* last packet with the flood condition */
} victim_t;

typedef struct ddos_victim {
    victim_t v;
    int64_t  syn_flood_ns;           /* last SYN of a raised SYN flood on
                                        the host, 0: none */
    sketch_t window[2];              /* sources of this and the last half-window */
    sketch_t both;                   /* their union, kept up to date */
    int64_t  half_start;
} ddos_victim_t;

typedef struct flood_detector {
    ntt_detect_config_t  config;
    ntt_tracker_table_t *syn;        /* (victim, port) */
    ntt_tracker_table_t *udp;        /* victim */
    ntt_tracker_table_t *icmp;       /* victim */
    ntt_tracker_table_t *ddos;       /* victim */
} flood_detector_t;

/* A victim_t, or a ddos_victim_t (whose victim_t comes first). */
static void free_victim(void *value)
{
    g_free(((victim_t *)value)->sources.bits);
}

static void *flood_create(const ntt_detect_config_t *config, const ntt_detect_env_t *env)
{
    flood_detector_t *d = g_new0(flood_detector_t, 1);

    (void)env;
    d->config = *config;
    d->syn = ntt_tracker_table_new(config->memcap, "synflood",
                                   config->max_trackers, sizeof(victim_t), free_victim);
    d->udp = ntt_tracker_table_new(config->memcap, "udpflood",
                                   config->max_trackers, sizeof(victim_t), free_victim);
    d->icmp = ntt_tracker_table_new(config->memcap, "icmpflood",
                                    config->max_trackers, sizeof(victim_t), free_victim);
    d->ddos = ntt_tracker_table_new(config->memcap, "ddos",
                                    config->max_trackers, sizeof(ddos_victim_t),
                                    free_victim);
    return d;
}

static void flood_destroy(void *state)
{
    flood_detector_t *d = state;

    ntt_tracker_table_free(d->syn);
    ntt_tracker_table_free(d->udp);
    ntt_tracker_table_free(d->icmp);
    ntt_tracker_table_free(d->ddos);
    g_free(d);
}

static double per_second(uint64_t events, int64_t window_ns)
{
    return window_ns > 0 ? (double)events * 1e9 / (double)window_ns : 0.0;
}

static void note_source(ntt_tracker_table_t *table, victim_t *v, const ntt_packet_t *p)
{
    if (v->main_votes == 0) {
        v->main_src = p->src;
        v->main_votes = 1;
    } else if (memcmp(&v->main_src, &p->src, sizeof p->src) == 0) {
        v->main_votes++;
    } else {
        v->main_votes--;
    }
    sources_add(table, v, &v->sources, &p->src);
}

/* The tracker for key, a fresh instance when it is new; NULL never. */
static victim_t *track(ntt_tracker_table_t *table, const ntt_tracker_key_t *key,
                       const ntt_packet_t *p, ntt_episode_type_t type,
                       ntt_detect_sink_t *sink, bool *created)
{
    bool evicted;
    victim_t *v = ntt_tracker_table_get(table, key, p->ts_ns, created, &evicted);

    if (evicted)
        ntt_detect_evicted(sink, type);
    if (*created)
        ntt_tracker_start(&v->base, sink, p);
    return v;
}

/* The tracker for key, noting a new source; NULL never. */
static victim_t *watch(ntt_tracker_table_t *table, const ntt_tracker_key_t *key,
                       const ntt_packet_t *p, ntt_episode_type_t type,
                       ntt_detect_sink_t *sink)
{
    bool created;
    victim_t *v = track(table, key, p, type, sink, &created);

    note_source(table, v, p);
    return v;
}

/* Whole windows a baselined tracker outlives its last packet: its usual
 * rate's horizon, at least the ten windows every flood tracker gets. */
static bool baseline_on(const ntt_detect_config_t *c)
{
    return c->flood_baseline_factor > 0 && c->flood_baseline_windows > 0 &&
           c->flood_window_ns > 0;
}

static int64_t baseline_idle_ns(const ntt_detect_config_t *c)
{
    int64_t w = MAX(c->flood_window_ns, 1);
    int64_t windows = baseline_on(c) ? MAX((int64_t)c->flood_baseline_windows, 10) : 10;

    return windows > INT64_MAX / w ? INT64_MAX : windows * w;
}

/* The rate at which a flood is raised: the fixed floor, and a real jump
 * over the host's usual rate once it has one. */
static double flood_threshold(const ntt_detect_config_t *c, const victim_t *v, double floor)
{
    if (!baseline_on(c))
        return floor;
    return MAX(floor, (double)c->flood_baseline_factor * ntt_usual_rate_value(&v->usual));
}

/* The tracker of a baselined (UDP, ICMP) destination. Its episode is over
 * once the flood condition has not held for ten windows (for a tracker
 * never raised: once it was idle that long, as when it expired before it
 * kept a baseline): a fresh instance starts, the usual rate stays. */
static victim_t *watch_baselined(flood_detector_t *d, ntt_tracker_table_t *table,
                                 const ntt_tracker_key_t *key, const ntt_packet_t *p,
                                 ntt_episode_type_t type, ntt_detect_sink_t *sink)
{
    int64_t gap = 10 * d->config.flood_window_ns;
    bool created;
    victim_t *v = track(table, key, p, type, sink, &created);

    if (!created && p->ts_ns - (v->base.raised ? v->last_hot_ns : v->last_ns) > gap) {
        v->main_votes = 0;
        v->peak_pps = 0;
        sources_reset(&v->sources);
        ntt_tracker_start(&v->base, sink, p);
    }
    note_source(table, v, p);
    v->last_ns = p->ts_ns;
    if (baseline_on(&d->config)) {
        ntt_usual_rate_advance(&v->usual, d->config.flood_window_ns,
                               d->config.flood_baseline_windows, p->ts_ns);
        ntt_usual_rate_hit(&v->usual);
    }
    return v;
}

/* Notes whether this packet found the host flooded (rate and, for UDP,
 * the unanswered share): such windows are not learnt, so a long flood
 * never becomes the usual rate. */
static void note_condition(victim_t *v, const ntt_packet_t *p, bool flooded)
{
    if (flooded) {
        ntt_usual_rate_hot(&v->usual);
        v->last_hot_ns = p->ts_ns;
    }
}

/* The packet belongs to v's flood: marked; the episode raised when
 * raise, its detail updated when it is open. */
static void report(ntt_detect_sink_t *sink, victim_t *v, ntt_episode_type_t type,
                   const ntt_packet_t *p, const ntt_addr_t *victim, uint16_t port,
                   bool raise, uint32_t half_open)
{
    ntt_episode_detail_t detail;

    ntt_detect_mark(sink, &v->base);
    if (!raise && !v->base.raised)
        return;
    memset(&detail, 0, sizeof detail);
    detail.flood.sources = MAX(1, sources_estimate(&v->sources));
    detail.flood.half_open = half_open;
    detail.flood.peak_pps = v->peak_pps;
    if (raise) {
        ntt_episode_t info;

        ntt_episode_identity(&info, type, p->ip_version,
                             detail.flood.sources <= FEW_SOURCES ? &v->main_src : NULL,
                             victim, port ? &port : NULL);
        info.detail = detail;
        ntt_detect_raise(sink, &v->base, &info);
    } else {
        ntt_detect_update(sink, &v->base, &detail, NULL);
    }
}

/* A host under a SYN flood: its DDoS tracker learns it, so that the same
 * attack is not said twice (the flood's other openers, many sources). */
static void note_syn_flooded(flood_detector_t *d, const ntt_packet_t *p,
                             const ntt_addr_t *victim, ntt_detect_sink_t *sink)
{
    ntt_tracker_key_t key;
    bool created;
    ddos_victim_t *dv;

    ntt_tracker_key_init(&key, KIND_DDOS, p->ip_version, victim, NULL, 0);
    dv = (ddos_victim_t *)track(d->ddos, &key, p, NTT_EPISODE_DDOS, sink, &created);
    dv->syn_flood_ns = p->ts_ns;
}

static void syn_event(flood_detector_t *d, const ntt_flow_event_t *ev,
                      ntt_detect_sink_t *sink)
{
    const ntt_packet_t *p = ev->pkt;
    const ntt_flow_summary_t *f = ev->summary;
    int64_t w = d->config.flood_window_ns;
    bool syn = ev->what & NTT_EV_SYN;
    ntt_tracker_key_t key;
    victim_t *v;
    uint64_t syns, done;
    uint32_t half_open;
    bool raise = false;

    ntt_tracker_key_init(&key, KIND_SYN, p->ip_version, &f->resp_addr, NULL, f->resp_port);
    if (syn) {
        v = watch(d->syn, &key, p, NTT_EPISODE_SYNFLOOD, sink);
        ntt_sliding_add(&v->hits, w, p->ts_ns, 1);
    } else {
        /* The handshake completed. */
        v = ntt_tracker_table_find(d->syn, &key);
        if (!v)
            return;
        ntt_sliding_add(&v->answers, w, p->ts_ns, 1);
        if (!v->base.raised)
            return;    /* before a flood, only the SYNs are its packets */
    }
    syns = ntt_sliding_total(&v->hits, w, p->ts_ns);
    done = ntt_sliding_total(&v->answers, w, p->ts_ns);
    half_open = syns > done ? (uint32_t)MIN(syns - done, UINT32_MAX) : 0;
    v->peak_pps = MAX(v->peak_pps, per_second(syns, w));
    if (!v->base.raised && syn &&
        per_second(syns, w) >= d->config.synflood_rate &&
        half_open >= d->config.synflood_half_open &&
        (double)done <= d->config.synflood_completion * (double)syns)
        raise = true;
    report(sink, v, NTT_EPISODE_SYNFLOOD, p, &f->resp_addr, f->resp_port, raise, half_open);
    if (syn && v->base.raised)
        note_syn_flooded(d, p, &f->resp_addr, sink);
}

/* A datagram or request toward a baselined host (UDP, ICMP): its rate
 * over the window against the floor and the host's usual rate, and, when
 * extra_condition does not hold (UDP: too much of it answered), no flood. */
static void judge_baselined(flood_detector_t *d, victim_t *v, ntt_episode_type_t type,
                            const ntt_packet_t *p, double floor, bool extra_condition,
                            ntt_detect_sink_t *sink)
{
    int64_t w = d->config.flood_window_ns;
    double rate = per_second(ntt_sliding_total(&v->hits, w, p->ts_ns), w);
    bool flooded = rate >= flood_threshold(&d->config, v, floor) && extra_condition;

    v->peak_pps = MAX(v->peak_pps, rate);
    note_condition(v, p, flooded);
    report(sink, v, type, p, &p->dst, 0, !v->base.raised && flooded, 0);
}

static void udp_event(flood_detector_t *d, const ntt_flow_event_t *ev,
                      ntt_detect_sink_t *sink)
{
    const ntt_packet_t *p = ev->pkt;
    int64_t w = d->config.flood_window_ns;
    ntt_tracker_key_t key;
    victim_t *v;
    uint64_t hits, answers;
    double unanswered;

    /* A datagram from a watched host answers the flood toward it. */
    ntt_tracker_key_init(&key, KIND_UDP, p->ip_version, &p->src, NULL, 0);
    v = ntt_tracker_table_find(d->udp, &key);
    if (v)
        ntt_sliding_add(&v->answers, w, p->ts_ns, 1);

    ntt_tracker_key_init(&key, KIND_UDP, p->ip_version, &p->dst, NULL, 0);
    v = watch_baselined(d, d->udp, &key, p, NTT_EPISODE_UDPFLOOD, sink);
    ntt_sliding_add(&v->hits, w, p->ts_ns, 1);
    hits = ntt_sliding_total(&v->hits, w, p->ts_ns);
    answers = ntt_sliding_total(&v->answers, w, p->ts_ns);
    unanswered = hits ? 1.0 - MIN(1.0, (double)answers / (double)hits) : 0.0;
    judge_baselined(d, v, NTT_EPISODE_UDPFLOOD, p, d->config.udpflood_rate,
                    unanswered >= d->config.udpflood_unanswered, sink);
}

static void icmp_event(flood_detector_t *d, const ntt_flow_event_t *ev,
                       ntt_detect_sink_t *sink)
{
    const ntt_packet_t *p = ev->pkt;
    ntt_tracker_key_t key;
    victim_t *v;

    ntt_tracker_key_init(&key, KIND_ICMP, p->ip_version, &p->dst, NULL, 0);
    v = watch_baselined(d, d->icmp, &key, p, NTT_EPISODE_ICMPFLOOD, sink);
    ntt_sliding_add(&v->hits, d->config.flood_window_ns, p->ts_ns, 1);
    judge_baselined(d, v, NTT_EPISODE_ICMPFLOOD, p, d->config.icmpflood_rate, true, sink);
}

/* The bits set in a word, without a call: the build does not assume the
 * POPCNT instruction, and __builtin_popcount then calls libgcc once a
 * byte (the merge below was about 100 instructions a packet of the
 * attack mix). */
static uint32_t bits_set(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (uint32_t)((x * 0x0101010101010101ull) >> 56);
}

/* Recomputes the union after the half-windows moved (once per half). */
static void merge_halves(ddos_victim_t *dv)
{
    memset(&dv->both, 0, sizeof dv->both);
    for (size_t i = 0; i < sizeof dv->both.bits; i += sizeof(uint64_t)) {
        uint64_t a, b, u;

        memcpy(&a, &dv->window[0].bits[i], sizeof a);
        memcpy(&b, &dv->window[1].bits[i], sizeof b);
        u = a | b;
        memcpy(&dv->both.bits[i], &u, sizeof u);
        dv->both.set += bits_set(u);
    }
}

/* Sources of the last ddos_window, as the union of two half-windows. */
static uint32_t recent_sources(ddos_victim_t *dv, int64_t window_ns, int64_t now_ns,
                               const ntt_addr_t *src)
{
    int64_t half = MAX(window_ns / 2, 1);

    if (dv->half_start == 0 || now_ns - dv->half_start >= 2 * half) {
        memset(dv->window, 0, sizeof dv->window);
        memset(&dv->both, 0, sizeof dv->both);
        dv->half_start = now_ns;
    } else if (now_ns - dv->half_start >= half) {
        dv->window[0] = dv->window[1];
        memset(&dv->window[1], 0, sizeof dv->window[1]);
        dv->half_start += half;
        merge_halves(dv);
    }
    sketch_add(&dv->window[1], src);
    sketch_add(&dv->both, src);
    return sketch_estimate(&dv->both);
}

/* The host is under a SYN flood: one raised within the time a SYN
 * flood's tracker outlives its last SYN (ten flood windows). */
static bool syn_flooded(const flood_detector_t *d, const ddos_victim_t *dv, int64_t now_ns)
{
    return dv->syn_flood_ns != 0 && now_ns - dv->syn_flood_ns <= 10 * d->config.flood_window_ns;
}

/* Traffic the victim did not ask for: flows opened toward it by their
 * originators (a busy client's answers from many servers are not), and
 * flows opened by replies to it whose requests the capture lacks (a
 * reflected flood's: the victim asked none of the reflectors). Either
 * way the packet's destination is the victim. Bare SYNs do not count:
 * many sources sending SYNs is a SYN flood, and said as one. */
static void ddos_event(flood_detector_t *d, const ntt_flow_event_t *ev,
                       ntt_detect_sink_t *sink)
{
    const ntt_packet_t *p = ev->pkt;
    int64_t w = d->config.flood_window_ns;
    ntt_tracker_key_t key;
    ddos_victim_t *dv;
    uint32_t sources;
    uint64_t hits;
    bool raise;

    ntt_tracker_key_init(&key, KIND_DDOS, p->ip_version, &p->dst, NULL, 0);
    dv = (ddos_victim_t *)watch(d->ddos, &key, p, NTT_EPISODE_DDOS, sink);
    ntt_sliding_add(&dv->v.hits, w, p->ts_ns, 1);
    hits = ntt_sliding_total(&dv->v.hits, w, p->ts_ns);
    sources = recent_sources(dv, d->config.ddos_window_ns, p->ts_ns, &p->src);
    dv->v.peak_pps = MAX(dv->v.peak_pps, per_second(hits, w));
    raise = !dv->v.base.raised && !syn_flooded(d, dv, p->ts_ns) &&
            sources >= d->config.ddos_sources &&
            per_second(hits, w) >= d->config.ddos_rate;
    report(sink, &dv->v, NTT_EPISODE_DDOS, p, &p->dst, 0, raise, 0);
}

static void flood_event(void *state, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    flood_detector_t *d = state;
    const ntt_packet_t *p = ev->pkt;
    int64_t idle = 10 * d->config.flood_window_ns;

    ntt_tracker_table_expire(d->syn, p->ts_ns, idle);
    /* UDP and ICMP trackers keep their host's usual rate over the
     * baseline's horizon (capped like every table, by max_trackers). */
    ntt_tracker_table_expire(d->udp, p->ts_ns, baseline_idle_ns(&d->config));
    ntt_tracker_table_expire(d->icmp, p->ts_ns, baseline_idle_ns(&d->config));
    ntt_tracker_table_expire(d->ddos, p->ts_ns, MAX(idle, d->config.ddos_window_ns));
    if (ev->what & (NTT_EV_SYN | NTT_EV_ESTABLISHED))
        syn_event(d, ev, sink);
    if (ev->what & NTT_EV_DATAGRAM)
        udp_event(d, ev, sink);
    if (ev->what & NTT_EV_ICMP_REQUEST)
        icmp_event(d, ev, sink);
    if (((ev->what & NTT_EV_ATTEMPT) && ev->opener != NTT_OPENER_SYN) ||
        (ev->what & NTT_EV_UNASKED))
        ddos_event(d, ev, sink);
}

const ntt_detector_ops_t ntt_detect_flood_ops = {
    .name = "flood",
    .events = NTT_EV_SYN | NTT_EV_ESTABLISHED | NTT_EV_DATAGRAM | NTT_EV_ICMP_REQUEST |
              NTT_EV_ATTEMPT | NTT_EV_UNASKED,
    .create = flood_create,
    .destroy = flood_destroy,
    .event = flood_event,
};
