/* detect-flags.c
 * Protocol misuse: TCP flag combinations no stack sends (SYN+FIN,
 * SYN+RST, none, all six, FIN without ACK), ICMP echo requests larger than
 * ntt.big_echo_bytes, and LAND packets (to their own address and port). These never
 * occur in working traffic, so the first one raises; one episode per
 * source until it stays quiet for ntt.misuse_window.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "detect/detector.h"
#include "track/tracker-table.h"

typedef struct misuser {
    ntt_tracker_t base;
    uint8_t    misuse;        /* the first one seen */
    ntt_addr_t dst;           /* the first target */
} misuser_t;

typedef struct flags_detector {
    ntt_detect_config_t  config;
    ntt_tracker_table_t *sources;
} flags_detector_t;

static void *flags_create(const ntt_detect_config_t *config, const ntt_detect_env_t *env)
{
    flags_detector_t *d = g_new0(flags_detector_t, 1);

    (void)env;
    d->config = *config;
    d->sources = ntt_tracker_table_new(config->memcap, "flags",
                                       config->max_trackers, sizeof(misuser_t), NULL);
    return d;
}

static void flags_destroy(void *state)
{
    flags_detector_t *d = state;

    ntt_tracker_table_free(d->sources);
    g_free(d);
}

/* What the flow layer calls misuse, or an echo request whose payload is
 * over the limit (a ping of death, a tunnel). */
static ntt_misuse_t misuse_of(const flags_detector_t *d, const ntt_flow_event_t *ev)
{
    const ntt_packet_t *p = ev->pkt;

    if (ev->what & NTT_EV_MISUSE)
        return (ntt_misuse_t)ev->misuse;
    if ((ev->what & NTT_EV_ECHO_REQUEST) && p->ip_payload_len > 8 &&
        p->ip_payload_len - 8 > d->config.big_echo_bytes)
        return NTT_MISUSE_BIG_ECHO;
    return NTT_MISUSE_NONE;
}

static void flags_event(void *state, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    flags_detector_t *d = state;
    const ntt_packet_t *p = ev->pkt;
    ntt_misuse_t misuse = misuse_of(d, ev);
    ntt_tracker_key_t key;
    misuser_t *m;
    bool created, evicted;

    ntt_tracker_table_expire(d->sources, p->ts_ns, d->config.misuse_window_ns);
    if (misuse == NTT_MISUSE_NONE)
        return;
    ntt_tracker_key_init(&key, 0, p->ip_version, &p->src, NULL, 0);
    m = ntt_tracker_table_get(d->sources, &key, p->ts_ns, &created, &evicted);
    if (evicted)
        ntt_detect_evicted(sink, NTT_EPISODE_FLAGS);
    if (created) {
        ntt_tracker_start(&m->base, sink, p);
        m->misuse = (uint8_t)misuse;
        m->dst = p->dst;
    }
    ntt_detect_mark(sink, &m->base);
    /* Impossible traffic: the first packet says it. */
    if (!m->base.raised) {
        ntt_episode_t info;

        ntt_episode_identity(&info, NTT_EPISODE_FLAGS, p->ip_version, &p->src, &m->dst, NULL);
        info.detail.flags.misuse = m->misuse;
        info.detail.flags.count = (uint32_t)MIN(m->base.count, UINT32_MAX);
        ntt_detect_raise(sink, &m->base, &info);
    } else {
        ntt_episode_detail_t detail;

        memset(&detail, 0, sizeof detail);
        detail.flags.misuse = m->misuse;
        detail.flags.count = (uint32_t)MIN(m->base.count, UINT32_MAX);
        ntt_detect_update(sink, &m->base, &detail, NULL);
    }
}

const ntt_detector_ops_t ntt_detect_flags_ops = {
    .name = "flags",
    .events = NTT_EV_MISUSE | NTT_EV_ECHO_REQUEST,
    .create = flags_create,
    .destroy = flags_destroy,
    .event = flags_event,
};
