/* detect-surge.c
 * Surges: a host whose sending or receiving rate rises far above its own
 * usual rate and stays there. Each host is watched twice, as a sender
 * and as a receiver; its rate is a sliding count over ntt.surge_window,
 * its usual rate the moving average of its rate in whole windows over
 * ntt.surge_baseline_windows of them (track/usual-rate.h, the floods'
 * baseline), which does not learn from windows in which it surged. A
 * surge is a run of packets each finding the rate at ntt.surge_factor
 * times the usual rate and at least ntt.surge_rate, once the host has
 * ntt.surge_learn_windows windows of history, held for ntt.surge_sustain;
 * it is labelled off-hours when its first packet falls outside the
 * working hours, in the configured zone. The episode is over once the
 * host has been below the threshold for ntt.surge_sustain.
 *
 * A host is watched from its first conversation: a packet of a flow that
 * has carried two packets each way (NTT_EV_TWO_WAY, the flow layer's).
 * Every packet it sends or receives counts from then on, whatever its
 * flow. A spoofed address never converses, so a flood of a million
 * spoofed sources costs no tracker.
 *
 * The detector runs only when working hours are set (ntt.work_hours):
 * create gives NULL otherwise, so that ordinary captures raise nothing
 * and pay nothing by default. Its trackers (two per host, 0.2 KiB each)
 * count against the memcap like every detector's.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "analytics/time-of-day.h"
#include "detect/detector.h"
#include "track/linear-count.h"
#include "track/sliding-count.h"
#include "track/tracker-table.h"
#include "track/usual-rate.h"

enum { KIND_SENDING = 1, KIND_RECEIVING };

/* The peers on the host's other side, estimated: enough to say "one host
 * or a thousand", no more. */
#define PEER_BITS 512

typedef struct surge_host {
    ntt_tracker_t       base;
    ntt_usual_rate_t    usual;
    ntt_sliding_count_t recent;      /* packets over the surge window */
    int64_t             run_start;   /* first packet of the run above the
                                        threshold, 0: none (the episode's
                                        first is base.start_ns) */
    int64_t             last_hot_ns; /* last packet above it */
    double              run_usual;   /* the usual rate when the episode began */
    double              peak_pps;
    uint8_t             peers[PEER_BITS / 8];
    uint32_t            peers_set;
    bool                off_hours;   /* the episode began outside working hours */
} surge_host_t;

typedef struct surge_detector {
    ntt_detect_config_t  config;
    ntt_tracker_table_t *hosts;      /* (host, direction) */
    ntt_local_clock_t    clock;
} surge_detector_t;

static bool surge_configured(const ntt_detect_config_t *c)
{
    return c->time_of_day && c->time_of_day->work.set && c->surge_factor > 0 &&
           c->surge_window_ns > 0 && c->surge_baseline_windows > 0 && c->surge_sustain_ns > 0;
}

static void *surge_create(const ntt_detect_config_t *config, const ntt_detect_env_t *env)
{
    surge_detector_t *d;

    (void)env;
    if (!surge_configured(config))
        return NULL;
    d = g_new0(surge_detector_t, 1);
    d->config = *config;
    d->hosts = ntt_tracker_table_new(config->memcap, "surge", config->max_trackers,
                                     sizeof(surge_host_t), NULL);
    ntt_local_clock_init(&d->clock, config->time_of_day);
    return d;
}

static void surge_destroy(void *state)
{
    surge_detector_t *d = state;

    ntt_tracker_table_free(d->hosts);
    g_free(d);
}

/* The tracker of host in direction kind; NULL for a host not watched yet
 * that does not converse. */
static surge_host_t *watch(surge_detector_t *d, uint8_t kind, const ntt_addr_t *host,
                           const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    const ntt_packet_t *p = ev->pkt;
    ntt_tracker_key_t key;
    bool created, evicted;
    surge_host_t *h;

    ntt_tracker_key_init(&key, kind, p->ip_version, host, NULL, 0);
    if (!(ev->what & NTT_EV_TWO_WAY))
        return ntt_tracker_table_touch(d->hosts, &key, p->ts_ns);
    h = ntt_tracker_table_get(d->hosts, &key, p->ts_ns, &created, &evicted);
    if (evicted)
        ntt_detect_evicted(sink, NTT_EPISODE_SURGE);
    return h;
}

/* A run above the threshold begins at p. It begins a fresh instance
 * unless it continues a raised surge (one not yet below the threshold for
 * surge_sustain): a run that did not last, and a surge that is over, are
 * no part of the next one -- neither their peak nor their peers. */
static void begin_run(surge_detector_t *d, surge_host_t *h, const ntt_packet_t *p,
                      double usual, ntt_detect_sink_t *sink)
{
    if (!h->base.raised || p->ts_ns - h->last_hot_ns > d->config.surge_sustain_ns) {
        ntt_tracker_start(&h->base, sink, p);
        h->peak_pps = 0;
        memset(h->peers, 0, sizeof h->peers);
        h->peers_set = 0;
        h->run_usual = usual;
        h->off_hours = ntt_local_off_hours(&d->clock, p->ts_ns);
    }
    h->run_start = p->ts_ns;
}

static void raise_or_update(surge_host_t *h, uint8_t kind, const ntt_packet_t *p,
                            const ntt_addr_t *host, ntt_detect_sink_t *sink)
{
    ntt_episode_detail_t detail;
    uint32_t peers = MAX(1, ntt_linear_count_estimate(PEER_BITS, h->peers_set));

    memset(&detail, 0, sizeof detail);
    if (kind == KIND_SENDING)
        detail.surge.hosts = peers;
    else
        detail.surge.sources = peers;
    detail.surge.peak_pps = h->peak_pps;
    detail.surge.usual_pps = h->run_usual;
    detail.surge.direction = kind == KIND_SENDING ? "sending" : "receiving";
    detail.surge.when = h->off_hours ? "off-hours" : "working hours";
    if (!h->base.raised) {
        ntt_episode_t info;

        ntt_episode_identity(&info, NTT_EPISODE_SURGE, p->ip_version,
                             kind == KIND_SENDING ? host : NULL,
                             kind == KIND_RECEIVING ? host : NULL, NULL);
        info.detail = detail;
        ntt_detect_raise(sink, &h->base, &info);
    } else {
        ntt_detect_update(sink, &h->base, &detail, NULL);
    }
}

/* One packet sent (kind SENDING, host = source) or received by host. */
static void judge(surge_detector_t *d, uint8_t kind, const ntt_addr_t *host,
                  const ntt_addr_t *peer, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    const ntt_detect_config_t *c = &d->config;
    const ntt_packet_t *p = ev->pkt;
    surge_host_t *h = watch(d, kind, host, ev, sink);
    double rate, usual;
    bool hot;

    if (!h)
        return;
    ntt_usual_rate_advance(&h->usual, c->surge_window_ns, c->surge_baseline_windows, p->ts_ns);
    ntt_usual_rate_hit(&h->usual);
    ntt_sliding_add(&h->recent, c->surge_window_ns, p->ts_ns, 1);
    rate = (double)ntt_sliding_total(&h->recent, c->surge_window_ns, p->ts_ns) * 1e9 /
           (double)c->surge_window_ns;
    usual = ntt_usual_rate_value(&h->usual);
    hot = h->usual.learnt >= c->surge_learn_windows &&
          rate >= MAX(c->surge_rate, (double)c->surge_factor * usual);
    if (!hot) {
        h->run_start = 0;
        return;
    }
    ntt_usual_rate_hot(&h->usual);
    if (h->run_start == 0)
        begin_run(d, h, p, usual, sink);
    h->last_hot_ns = p->ts_ns;
    h->peak_pps = MAX(h->peak_pps, rate);
    ntt_linear_count_add(h->peers, PEER_BITS, &h->peers_set, peer);
    ntt_detect_mark(sink, &h->base);
    if (h->base.raised || p->ts_ns - h->run_start >= c->surge_sustain_ns)
        raise_or_update(h, kind, p, host, sink);
}

static void surge_event(void *state, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    surge_detector_t *d = state;
    const ntt_packet_t *p = ev->pkt;
    const ntt_detect_config_t *c = &d->config;
    int64_t horizon = c->surge_window_ns * (int64_t)MAX(c->surge_baseline_windows, 1u);

    /* A host keeps its usual rate over the baseline's horizon. */
    ntt_tracker_table_expire(d->hosts, p->ts_ns, MAX(horizon, c->surge_sustain_ns));
    judge(d, KIND_SENDING, &p->src, &p->dst, ev, sink);
    judge(d, KIND_RECEIVING, &p->dst, &p->src, ev, sink);
}

const ntt_detector_ops_t ntt_detect_surge_ops = {
    .name = "surge",
    .events = NTT_EV_PACKET,
    .create = surge_create,
    .destroy = surge_destroy,
    .event = surge_event,
};
