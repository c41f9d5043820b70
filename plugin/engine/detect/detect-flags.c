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
    uint32_t token;
    uint64_t count;
    int64_t  last_ns;
    uint8_t  misuse;          /* the first one seen */
    ntt_addr_t dst;           /* the first target */
} misuser_t;

typedef struct flags_detector {
    ntt_detect_config_t  config;
    ntt_tracker_table_t *sources;
} flags_detector_t;

static void *flags_create(const ntt_detect_config_t *config)
{
    flags_detector_t *d = g_new0(flags_detector_t, 1);

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

static ntt_misuse_t tcp_misuse(uint16_t flags)
{
    const uint16_t six = NTT_TCP_FIN | NTT_TCP_SYN | NTT_TCP_RST |
                         NTT_TCP_PSH | NTT_TCP_ACK | NTT_TCP_URG;

    if ((flags & 0x1ff) == 0)
        return NTT_MISUSE_NO_FLAGS;
    if ((flags & six) == six)
        return NTT_MISUSE_ALL_FLAGS;
    if ((flags & (NTT_TCP_SYN | NTT_TCP_FIN)) == (NTT_TCP_SYN | NTT_TCP_FIN))
        return NTT_MISUSE_SYN_FIN;
    if ((flags & (NTT_TCP_SYN | NTT_TCP_RST)) == (NTT_TCP_SYN | NTT_TCP_RST))
        return NTT_MISUSE_SYN_RST;
    if ((flags & NTT_TCP_FIN) && !(flags & NTT_TCP_ACK))
        return NTT_MISUSE_FIN_NO_ACK;
    return NTT_MISUSE_NONE;
}

static ntt_misuse_t misuse_of(const flags_detector_t *d, const ntt_packet_t *p)
{
    bool echo_request = p->has_icmp &&
        ((p->ip_proto == NTT_IPPROTO_ICMP && p->icmp_type == 8) ||
         (p->ip_proto == NTT_IPPROTO_ICMPV6 && p->icmp_type == 128));

    /* LAND: a TCP/UDP packet from an address and port to the same address
     * and port. Equal addresses alone are ordinary (loopback captures, a
     * host pinging itself). */
    if (p->has_ports && p->sport == p->dport &&
        memcmp(&p->src, &p->dst, sizeof p->src) == 0)
        return NTT_MISUSE_LAND;
    if (p->ip_proto == NTT_IPPROTO_TCP && p->has_tcp)
        return tcp_misuse(p->tcp_flags);
    if (echo_request && p->ip_payload_len > 8 &&
        p->ip_payload_len - 8 > d->config.big_echo_bytes)
        return NTT_MISUSE_BIG_ECHO;
    return NTT_MISUSE_NONE;
}

static void flags_packet(void *state, const ntt_detect_input_t *in,
                         ntt_detect_sink_t *sink)
{
    flags_detector_t *d = state;
    const ntt_packet_t *p = in->pkt;
    ntt_misuse_t misuse = misuse_of(d, p);
    ntt_tracker_key_t key;
    ntt_detect_mark_t mark;
    misuser_t *m;
    bool created, evicted;

    ntt_tracker_table_expire(d->sources, p->ts_ns, d->config.misuse_window_ns);
    if (misuse == NTT_MISUSE_NONE)
        return;
    ntt_tracker_key_init(&key, 0, p->ip_version, &p->src, NULL, 0);
    m = ntt_tracker_table_get(d->sources, &key, p->ts_ns, &created, &evicted);
    if (evicted)
        ntt_detect_evicted(sink, NTT_ALERT_FLAGS);
    if (created) {
        m->token = ntt_detect_token(sink);
        m->misuse = (uint8_t)misuse;
        m->dst = p->dst;
    }
    m->count++;
    m->last_ns = p->ts_ns;

    memset(&mark, 0, sizeof mark);
    mark.token = m->token;
    mark.count = m->count;
    mark.raise = m->count == 1;      /* impossible traffic: the first says it */
    mark.info.type = NTT_ALERT_FLAGS;
    mark.info.ip_version = p->ip_version;
    mark.info.misuse = m->misuse;
    mark.info.has_src = true;
    mark.info.src = p->src;
    mark.info.has_dst = true;
    mark.info.dst = m->dst;
    mark.info.first_frame = p->frame;
    mark.info.start_ns = p->ts_ns;
    mark.info.attempts = (uint32_t)MIN(m->count, UINT32_MAX);
    ntt_detect_emit(sink, &mark);
}

const ntt_detector_ops_t ntt_detect_flags_ops = {
    "flags", flags_create, flags_destroy, flags_packet, NULL,
};
