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

#include "detector.h"
#include "tracker-table.h"

/* Ports one pair can hold at most: every TCP and UDP port. */
#define MAX_PORTS_PER_PAIR 65536

enum { PORT_PENDING = 1, PORT_FAILED, PORT_OPEN };

typedef struct port_state {
    uint8_t state;
    int64_t since_ns;        /* probe time (pending), failure time (failed) */
} port_state_t;

/* A time-ordered note to look at a port again. */
typedef struct port_event {
    uint32_t key;            /* proto << 16 | port */
    int64_t  at_ns;
} port_event_t;

typedef struct pair {
    uint32_t    token;
    bool        raised;
    uint64_t    count;
    uint32_t    probes;
    uint32_t    failed;      /* ports now PORT_FAILED within the window */
    uint32_t    unanswered;  /* ports probed and not answered yet */
    uint32_t    peak_failed;
    uint32_t    first_frame;
    int64_t     start_ns;
    GHashTable *ports;       /* key -> port_state_t* */
    GQueue     *pending;     /* port_event_t*, by probe time */
    GQueue     *failures;    /* port_event_t*, by failure time */
} pair_t;

typedef struct portscan_detector {
    ntt_detect_config_t  config;
    ntt_tracker_table_t *pairs;
} portscan_detector_t;

static void free_pair(void *value)
{
    pair_t *p = value;

    if (p->ports)
        g_hash_table_destroy(p->ports);
    if (p->pending)
        g_queue_free_full(p->pending, g_free);
    if (p->failures)
        g_queue_free_full(p->failures, g_free);
}

static void *portscan_create(const ntt_detect_config_t *config)
{
    portscan_detector_t *d = g_new0(portscan_detector_t, 1);

    d->config = *config;
    d->pairs = ntt_tracker_table_new(config->max_trackers, sizeof(pair_t), free_pair);
    return d;
}

static void portscan_destroy(void *state)
{
    portscan_detector_t *d = state;

    ntt_tracker_table_free(d->pairs);
    g_free(d);
}

static void push_event(GQueue *q, uint32_t key, int64_t at_ns)
{
    port_event_t *e = g_new(port_event_t, 1);

    e->key = key;
    e->at_ns = at_ns;
    g_queue_push_tail(q, e);
}

static void fail_port(pair_t *p, uint32_t key, port_state_t *ps, int64_t at_ns)
{
    if (ps->state == PORT_PENDING)
        p->unanswered--;
    if (ps->state != PORT_FAILED) {
        p->failed++;
        p->peak_failed = MAX(p->peak_failed, p->failed);
    }
    ps->state = PORT_FAILED;
    ps->since_ns = at_ns;
    push_event(p->failures, key, at_ns);
}

/* Lazily: probes unanswered past the timeout fail; failures older than
 * the window stop counting. */
static void age(const portscan_detector_t *d, pair_t *p, int64_t now_ns)
{
    port_event_t *e;

    while ((e = g_queue_peek_head(p->pending)) &&
           now_ns - e->at_ns > d->config.reply_timeout_ns) {
        port_state_t *ps = g_hash_table_lookup(p->ports, GUINT_TO_POINTER(e->key));

        g_queue_pop_head(p->pending);
        if (ps && ps->state == PORT_PENDING && ps->since_ns == e->at_ns)
            fail_port(p, e->key, ps, e->at_ns + d->config.reply_timeout_ns);
        g_free(e);
    }
    while ((e = g_queue_peek_head(p->failures)) &&
           now_ns - e->at_ns > d->config.portscan_window_ns) {
        port_state_t *ps = g_hash_table_lookup(p->ports, GUINT_TO_POINTER(e->key));

        g_queue_pop_head(p->failures);
        if (ps && ps->state == PORT_FAILED && ps->since_ns == e->at_ns) {
            p->failed--;
            g_hash_table_remove(p->ports, GUINT_TO_POINTER(e->key));
        }
        g_free(e);
    }
}

static uint32_t port_key(uint8_t proto, uint16_t port)
{
    return (uint32_t)proto << 16 | port;
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
        p->ports = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL, g_free);
        p->pending = g_queue_new();
        p->failures = g_queue_new();
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
    port_state_t *ps;
    pair_t *p;
    uint32_t pkey;
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
        pkey = port_key(pk->quoted_proto, pk->quoted_dport);
        ps = g_hash_table_lookup(p->ports, GUINT_TO_POINTER(pkey));
        if (ps && ps->state == PORT_PENDING)
            fail_port(p, pkey, ps, pk->ts_ns);
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
        pkey = port_key(pk->ip_proto, f->resp_port);
        ps = g_hash_table_lookup(p->ports, GUINT_TO_POINTER(pkey));
        if (probe) {
            p->probes++;
            if (!ps && g_hash_table_size(p->ports) < MAX_PORTS_PER_PAIR) {
                ps = g_new0(port_state_t, 1);
                g_hash_table_insert(p->ports, GUINT_TO_POINTER(pkey), ps);
            }
            if (ps && ps->state != PORT_FAILED && ps->state != PORT_OPEN) {
                if (ps->state != PORT_PENDING)
                    p->unanswered++;
                ps->state = PORT_PENDING;
                ps->since_ns = pk->ts_ns;
                push_event(p->pending, pkey, pk->ts_ns);
            }
        } else if (in->flow->dir == NTT_DIR_RESP && ps) {
            bool refused = pk->has_tcp && (pk->tcp_flags & NTT_TCP_RST);
            bool answered = (pk->has_tcp && (pk->tcp_flags & (NTT_TCP_SYN | NTT_TCP_ACK)) ==
                             (NTT_TCP_SYN | NTT_TCP_ACK)) || pk->ip_proto == NTT_IPPROTO_UDP;

            if (refused && ps->state == PORT_PENDING) {
                fail_port(p, pkey, ps, pk->ts_ns);
            } else if (answered && ps->state != PORT_OPEN) {
                if (ps->state == PORT_FAILED)
                    p->failed--;
                else if (ps->state == PORT_PENDING)
                    p->unanswered--;
                ps->state = PORT_OPEN;
            }
        }
    }
    age(d, p, pk->ts_ns);
    /* Unanswered probes count at once: a scan is fast, and waiting for
     * every timeout would let it probe far past the threshold first. */
    if (!p->raised && p->failed + p->unanswered >= d->config.portscan_ports)
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
    mark.info.distinct_ports = p->peak_failed;
    mark.info.attempts = p->probes;
    ntt_detect_emit(sink, &mark);
}

const ntt_detector_ops_t ntt_detect_portscan_ops = {
    "portscan", portscan_create, portscan_destroy, portscan_packet,
};
