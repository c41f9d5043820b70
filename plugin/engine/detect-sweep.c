/* detect-sweep.c
 * Host sweep: one source probing many hosts (ICMP echo, TCP SYN, UDP). A
 * first contact is the source's first packet to a host it has not
 * contacted within ntt.sweep_window. Its outcome drives a Threshold Random
 * Walk (Jung, Paxson, Berger, Balakrishnan 2004): a success (SYN-ACK, UDP
 * answer, echo reply) multiplies the likelihood ratio by theta1/theta0, a
 * failure (RST, ICMP unreachable, nothing within ntt.reply_timeout_ms) by
 * (1-theta1)/(1-theta0). The source is a scanner when the ratio reaches
 * beta/alpha (4 failures in a row with the defaults), benign (the walk
 * starts over) when it falls to (1-beta)/(1-alpha). A plain backstop:
 * ntt.sweep_hosts distinct failed hosts within the window.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "detector.h"
#include "tracker-table.h"

/* Hosts one source can hold at most (a /16). */
#define MAX_HOSTS_PER_SOURCE 65536

enum { HOST_PENDING = 1, HOST_FAILED, HOST_ANSWERED };

typedef struct host_state {
    uint8_t state;
    int64_t since_ns;
} host_state_t;

typedef struct host_event {
    ntt_addr_t host;
    int64_t    at_ns;
} host_event_t;

typedef struct scanner {
    uint32_t    token;
    bool        raised;
    bool        mixed_ports;
    uint16_t    port;             /* of the first contacts, when one */
    uint64_t    count;
    uint32_t    contacts;
    uint32_t    failed;           /* hosts failed within the window */
    uint32_t    peak_failed;
    double      llr;              /* log likelihood ratio of the walk */
    uint32_t    first_frame;
    int64_t     start_ns;
    GHashTable *hosts;            /* ntt_addr_t* (in the state) -> host_entry_t* */
    GQueue     *pending;          /* host_event_t*, by probe time */
    GQueue     *failures;         /* host_event_t*, by failure time */
} scanner_t;

typedef struct host_entry {
    ntt_addr_t   addr;
    host_state_t s;
} host_entry_t;

typedef struct sweep_detector {
    ntt_detect_config_t  config;
    double               step_success, step_failure;
    double               scanner_at, benign_at;
    ntt_tracker_table_t *sources;
} sweep_detector_t;

static guint addr_hash(gconstpointer p)
{
    const unsigned char *b = p;
    guint32 h = 2166136261u;

    for (size_t i = 0; i < sizeof(ntt_addr_t); i++)
        h = (h ^ b[i]) * 16777619u;
    return h;
}

static gboolean addr_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(ntt_addr_t)) == 0;
}

static void free_scanner(void *value)
{
    scanner_t *s = value;

    if (s->hosts)
        g_hash_table_destroy(s->hosts);
    if (s->pending)
        g_queue_free_full(s->pending, g_free);
    if (s->failures)
        g_queue_free_full(s->failures, g_free);
}

static void *sweep_create(const ntt_detect_config_t *c)
{
    sweep_detector_t *d = g_new0(sweep_detector_t, 1);

    d->config = *c;
    d->step_success = log(c->sweep_theta1 / c->sweep_theta0);
    d->step_failure = log((1 - c->sweep_theta1) / (1 - c->sweep_theta0));
    d->scanner_at = log(c->sweep_beta / c->sweep_alpha);
    d->benign_at = log((1 - c->sweep_beta) / (1 - c->sweep_alpha));
    d->sources = ntt_tracker_table_new(c->max_trackers, sizeof(scanner_t), free_scanner);
    return d;
}

static void sweep_destroy(void *state)
{
    sweep_detector_t *d = state;

    ntt_tracker_table_free(d->sources);
    g_free(d);
}

static void push_event(GQueue *q, const ntt_addr_t *host, int64_t at_ns)
{
    host_event_t *e = g_new(host_event_t, 1);

    e->host = *host;
    e->at_ns = at_ns;
    g_queue_push_tail(q, e);
}

static void walk(const sweep_detector_t *d, scanner_t *s, bool success)
{
    s->llr += success ? d->step_success : d->step_failure;
    if (s->llr <= d->benign_at)
        s->llr = 0;                  /* benign so far: start over */
}

static void host_failed(const sweep_detector_t *d, scanner_t *s, host_entry_t *h,
                        int64_t at_ns)
{
    h->s.state = HOST_FAILED;
    h->s.since_ns = at_ns;
    s->failed++;
    s->peak_failed = MAX(s->peak_failed, s->failed);
    push_event(s->failures, &h->addr, at_ns);
    walk(d, s, false);
}

static void age(const sweep_detector_t *d, scanner_t *s, int64_t now_ns)
{
    host_event_t *e;

    while ((e = g_queue_peek_head(s->pending)) &&
           now_ns - e->at_ns > d->config.reply_timeout_ns) {
        host_entry_t *h = g_hash_table_lookup(s->hosts, &e->host);

        g_queue_pop_head(s->pending);
        if (h && h->s.state == HOST_PENDING && h->s.since_ns == e->at_ns)
            host_failed(d, s, h, e->at_ns + d->config.reply_timeout_ns);
        g_free(e);
    }
    while ((e = g_queue_peek_head(s->failures)) &&
           now_ns - e->at_ns > d->config.sweep_window_ns) {
        host_entry_t *h = g_hash_table_lookup(s->hosts, &e->host);

        g_queue_pop_head(s->failures);
        if (h && h->s.state == HOST_FAILED && h->s.since_ns == e->at_ns) {
            s->failed--;
            g_hash_table_remove(s->hosts, &e->host);
        }
        g_free(e);
    }
}

static bool is_probe(const ntt_detect_input_t *in)
{
    const ntt_packet_t *p = in->pkt;

    if (!in->flow->new_flow || in->flow->dir != NTT_DIR_ORIG)
        return false;
    if (p->ip_proto == NTT_IPPROTO_TCP)
        return p->has_tcp && (p->tcp_flags & (NTT_TCP_SYN | NTT_TCP_ACK)) == NTT_TCP_SYN;
    if (p->ip_proto == NTT_IPPROTO_UDP)
        return true;
    return p->has_icmp && ntt_icmp_is_echo(p->ip_proto, p->icmp_type);
}

/* How an answer from the host to the source judges the first contact:
 * +1 success, -1 failure, 0 not an answer. */
static int judge(const ntt_packet_t *p)
{
    if (p->ip_proto == NTT_IPPROTO_TCP && p->has_tcp) {
        if (p->tcp_flags & NTT_TCP_RST)
            return -1;
        if ((p->tcp_flags & (NTT_TCP_SYN | NTT_TCP_ACK)) == (NTT_TCP_SYN | NTT_TCP_ACK))
            return 1;
        return 0;
    }
    if (p->ip_proto == NTT_IPPROTO_UDP)
        return 1;
    if (p->has_icmp && ntt_icmp_is_echo(p->ip_proto, p->icmp_type))
        return 1;
    return 0;
}

static scanner_t *scanner_of(sweep_detector_t *d, const ntt_packet_t *p,
                             const ntt_addr_t *src, bool create, ntt_detect_sink_t *sink)
{
    ntt_tracker_key_t key;
    bool created, evicted;
    scanner_t *s;

    ntt_tracker_key_init(&key, 0, p->ip_version, src, NULL, 0);
    if (!create)
        return ntt_tracker_table_find(d->sources, &key);
    s = ntt_tracker_table_get(d->sources, &key, p->ts_ns, &created, &evicted);
    if (evicted)
        ntt_detect_evicted(sink, NTT_ALERT_SWEEP);
    if (created) {
        s->token = ntt_detect_token(sink);
        s->hosts = g_hash_table_new_full(addr_hash, addr_equal, NULL, g_free);
        s->pending = g_queue_new();
        s->failures = g_queue_new();
        s->first_frame = p->frame;
        s->start_ns = p->ts_ns;
    }
    return s;
}

static void sweep_packet(void *state, const ntt_detect_input_t *in,
                         ntt_detect_sink_t *sink)
{
    sweep_detector_t *d = state;
    const ntt_packet_t *p = in->pkt;
    ntt_detect_mark_t mark;
    host_entry_t *h;
    scanner_t *s;
    const ntt_addr_t *src;
    bool raise = false;

    ntt_tracker_table_expire(d->sources, p->ts_ns,
                             d->config.sweep_window_ns + d->config.reply_timeout_ns);
    if (p->has_quoted && ntt_icmp_is_error(p->ip_proto, p->icmp_type)) {
        /* An ICMP error about a first contact: it failed. */
        src = &p->quoted_src;
        s = scanner_of(d, p, src, false, sink);
        if (!s)
            return;
        h = g_hash_table_lookup(s->hosts, &p->quoted_dst);
        if (!h)
            return;
        if (h->s.state == HOST_PENDING)
            host_failed(d, s, h, p->ts_ns);
    } else if (in->summary && is_probe(in)) {
        src = &p->src;
        s = scanner_of(d, p, src, true, sink);
        h = g_hash_table_lookup(s->hosts, &p->dst);
        if (h)
            return;                   /* not a first contact */
        if (g_hash_table_size(s->hosts) >= MAX_HOSTS_PER_SOURCE)
            return;
        h = g_new0(host_entry_t, 1);
        h->addr = p->dst;
        h->s.state = HOST_PENDING;
        h->s.since_ns = p->ts_ns;
        g_hash_table_insert(s->hosts, &h->addr, h);
        push_event(s->pending, &h->addr, p->ts_ns);
        s->contacts++;
        if (s->contacts == 1)
            s->port = p->has_ports ? p->dport : 0;
        else if (!p->has_ports || p->dport != s->port)
            s->mixed_ports = true;
    } else if (in->summary && in->flow->dir == NTT_DIR_RESP &&
               in->flow->pkts[NTT_DIR_RESP] == 1) {
        /* The host's first packet back is its answer to a first contact. */
        int verdict;

        src = &in->summary->orig_addr;
        s = scanner_of(d, p, src, false, sink);
        if (!s)
            return;
        h = g_hash_table_lookup(s->hosts, &in->summary->resp_addr);
        if (!h || h->s.state != HOST_PENDING)
            return;
        verdict = judge(p);
        if (verdict > 0) {
            h->s.state = HOST_ANSWERED;
            walk(d, s, true);
        } else if (verdict < 0) {
            host_failed(d, s, h, p->ts_ns);
        } else {
            return;
        }
    } else {
        return;
    }
    age(d, s, p->ts_ns);
    if (!s->raised && s->contacts > 1 &&
        (s->llr >= d->scanner_at || s->failed >= d->config.sweep_hosts))
        s->raised = raise = true;

    memset(&mark, 0, sizeof mark);
    mark.token = s->token;
    mark.count = ++s->count;
    mark.raise = raise;
    mark.info.type = NTT_ALERT_SWEEP;
    mark.info.ip_version = p->ip_version;
    mark.info.has_src = true;
    mark.info.src = *src;
    mark.info.has_port = !s->mixed_ports && s->port != 0;
    mark.info.port = s->port;
    mark.info.first_frame = s->first_frame;
    mark.info.start_ns = s->start_ns;
    mark.info.distinct_hosts = s->contacts;
    mark.info.attempts = s->contacts;
    ntt_detect_emit(sink, &mark);
}

const ntt_detector_ops_t ntt_detect_sweep_ops = {
    "sweep", sweep_create, sweep_destroy, sweep_packet,
};
