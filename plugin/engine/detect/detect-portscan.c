/* detect-portscan.c
 * Vertical port scan: one source probing many ports of one host. A probe
 * is a packet from the source that opens a TCP or UDP flow to the host
 * (SYN, connect, NULL/FIN/Xmas/ACK probes, UDP). Its port counts when the
 * probe FAILS: the host answers RST, an ICMP unreachable reports it, or
 * nothing answers within ntt.reply_timeout_ms -- or while it is still
 * unanswered. A SYN-ACK or a UDP answer takes the port out, so a busy
 * client's successful connections never add up to a scan. The scan is
 * raised when ntt.portscan_ports distinct ports are failed or unanswered
 * within the sliding ntt.portscan_window.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "detect/detector.h"
#include "track/probe-book.h"
#include "track/tracker-table.h"

/* Ports one pair can hold at most: every TCP and UDP port. */
#define MAX_PORTS_PER_PAIR (2 * 65536)

typedef struct pair {
    uint32_t         token;
    bool             raised;
    uint64_t         count;
    uint32_t         probes;
    uint32_t         first_frame;
    int64_t          start_ns;
    ntt_probe_book_t ports;   /* targets: protocol << 16 | port */
} pair_t;

typedef struct portscan_detector {
    ntt_detect_config_t  config;
    ntt_tracker_table_t *pairs;
} portscan_detector_t;

static void free_pair(void *value)
{
    ntt_probe_book_clear(&((pair_t *)value)->ports);
}

static void *portscan_create(const ntt_detect_config_t *config)
{
    portscan_detector_t *d = g_new0(portscan_detector_t, 1);

    d->config = *config;
    d->pairs = ntt_tracker_table_new(config->memcap, "portscan",
                                     config->max_trackers, sizeof(pair_t), free_pair);
    return d;
}

static void portscan_destroy(void *state)
{
    portscan_detector_t *d = state;

    ntt_tracker_table_free(d->pairs);
    g_free(d);
}

static ntt_addr_t port_target(uint8_t proto, uint16_t port)
{
    return ntt_probe_target_number((uint32_t)proto << 16 | port);
}

static pair_t *pair_of(portscan_detector_t *d, const ntt_tracker_key_t *key,
                       const ntt_packet_t *pk, bool create, ntt_detect_sink_t *sink)
{
    bool created, evicted;
    pair_t *p;

    if (!create)
        return ntt_tracker_table_find(d->pairs, key);
    p = ntt_tracker_table_get(d->pairs, key, pk->ts_ns, &created, &evicted);
    if (evicted)
        ntt_detect_evicted(sink, NTT_ALERT_PORTSCAN);
    if (created) {
        p->token = ntt_detect_token(sink);
        ntt_probe_book_init(&p->ports, ntt_tracker_table_account(d->pairs));
        p->first_frame = pk->frame;
        p->start_ns = pk->ts_ns;
    }
    return p;
}

static void portscan_packet(void *state, const ntt_detect_input_t *in,
                            ntt_detect_sink_t *sink)
{
    portscan_detector_t *d = state;
    const ntt_packet_t *pk = in->pkt;
    const ntt_flow_summary_t *f = in->summary;
    ntt_tracker_key_t key;
    ntt_detect_mark_t mark;
    ntt_addr_t port;
    pair_t *p;
    bool raise = false;

    ntt_tracker_table_expire(d->pairs, pk->ts_ns,
                             d->config.portscan_window_ns + d->config.reply_timeout_ns);
    if (pk->has_quoted && pk->quoted_has_ports &&
        ntt_icmp_is_error(pk->ip_proto, pk->icmp_type)) {
        /* An ICMP error about a probe: that port failed. */
        ntt_tracker_key_init(&key, 0, pk->ip_version, &pk->quoted_src, &pk->quoted_dst, 0);
        p = pair_of(d, &key, pk, false, sink);
        if (!p)
            return;
        port = port_target(pk->quoted_proto, pk->quoted_dport);
        ntt_probe_book_fail(&p->ports, &port, pk->ts_ns);
    } else {
        bool probe;

        if (!f || (pk->ip_proto != NTT_IPPROTO_TCP && pk->ip_proto != NTT_IPPROTO_UDP) ||
            !pk->has_ports)
            return;
        probe = in->flow->new_flow && in->flow->dir == NTT_DIR_ORIG;
        /* Only probes and the answers that judge them matter (and are the
         * scan's packets): skip the rest of every conversation cheaply. */
        if (!probe && (in->flow->dir != NTT_DIR_RESP ||
                       (pk->ip_proto == NTT_IPPROTO_TCP && pk->has_tcp &&
                        !(pk->tcp_flags & NTT_TCP_RST) &&
                        (pk->tcp_flags & (NTT_TCP_SYN | NTT_TCP_ACK)) !=
                            (NTT_TCP_SYN | NTT_TCP_ACK)) ||
                       in->flow->pkts[NTT_DIR_RESP] > 1))
            return;
        ntt_tracker_key_init(&key, 0, pk->ip_version, &f->orig_addr, &f->resp_addr, 0);
        p = pair_of(d, &key, pk, probe, sink);
        if (!p)
            return;
        port = port_target(pk->ip_proto, f->resp_port);
        if (probe) {
            p->probes++;
            ntt_probe_book_probe(&p->ports, &port, pk->ts_ns, MAX_PORTS_PER_PAIR);
        } else {
            bool refused = pk->has_tcp && (pk->tcp_flags & NTT_TCP_RST);
            bool answered = (pk->has_tcp && (pk->tcp_flags & (NTT_TCP_SYN | NTT_TCP_ACK)) ==
                             (NTT_TCP_SYN | NTT_TCP_ACK)) || pk->ip_proto == NTT_IPPROTO_UDP;

            if (ntt_probe_book_state(&p->ports, &port) == NTT_PROBE_NONE)
                return;
            if (refused)
                ntt_probe_book_fail(&p->ports, &port, pk->ts_ns);
            else if (answered)
                ntt_probe_book_answer(&p->ports, &port);
        }
    }
    ntt_probe_book_age(&p->ports, pk->ts_ns, d->config.reply_timeout_ns,
                       d->config.portscan_window_ns);
    /* Unanswered probes count at once: a scan is fast, and waiting for
     * every timeout would let it probe far past the threshold first. */
    if (!p->raised &&
        p->ports.failed_count + p->ports.pending_count >= d->config.portscan_ports)
        p->raised = raise = true;

    memset(&mark, 0, sizeof mark);
    mark.token = p->token;
    mark.count = ++p->count;
    mark.raise = raise;
    mark.info.type = NTT_ALERT_PORTSCAN;
    mark.info.ip_version = pk->ip_version;
    mark.info.has_src = mark.info.has_dst = true;
    mark.info.src = key.a;
    mark.info.dst = key.b;
    mark.info.first_frame = p->first_frame;
    mark.info.start_ns = p->start_ns;
    mark.info.distinct_ports = p->ports.peak_failed;
    mark.info.attempts = p->probes;
    ntt_detect_emit(sink, &mark);
}

const ntt_detector_ops_t ntt_detect_portscan_ops = {
    "portscan", portscan_create, portscan_destroy, portscan_packet, NULL,
};
