/* detect-sweep.c
 * Host sweep: one source probing many hosts (see is_probe). A
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
 * The walk needs outcomes, and an absent host fails only by timeout: a
 * fast sweep (nmap probes a /26 in a quarter of a second) has probed every
 * host before the first timeout. So a burst decides first: ntt.sweep_burst
 * first contacts to distinct hosts of one /24 (IPv4) or /64 (IPv6), each
 * within ntt.reply_timeout_ms of the burst's first, none of them answered
 * yet. A live host answers within its round trip, well before the next
 * probes, so a sweep of a busy subnet still counts only its silent hosts;
 * an ordinary client reaching five servers at once reaches them in
 * different networks, or hears back from them.
 *
 * A host a DNS response just named to the source is an expected contact,
 * not a probe: a client whose name resolves to a dozen addresses tries
 * them in turn when the first ones fail (RFC 8305's happy eyeballs, or
 * plain getaddrinfo order), and each failure would otherwise count. An
 * answer makes its addresses (at most NTT_DNS_MAX_RESOLVED of them)
 * expected for that receiver for ntt.sweep_window, the horizon over which
 * a first contact is remembered too. Host discovery never asks DNS for
 * its targets; a scanner that did would have its probes to those hosts
 * not counted, which is the price of not raising on every client.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <string.h>

#include <glib.h>

#include "detect/detector.h"
#include "track/net-cover.h"
#include "track/probe-book.h"
#include "track/sweep-burst.h"
#include "track/tracker-table.h"

/* Hosts one source can hold at most (a /16). */
#define MAX_HOSTS_PER_SOURCE 65536

typedef struct scanner {
    ntt_tracker_t    base;
    bool             mixed_ports;
    uint16_t         port;        /* of the first contacts, when one */
    uint32_t         contacts;
    double           llr;         /* log likelihood ratio of the walk */
    ntt_sweep_burst_t burst;      /* the current burst of first contacts */
    ntt_net_cover_t  swept;       /* the range of the hosts contacted */
    ntt_probe_book_t hosts;       /* first contacts and their outcomes */
} scanner_t;

typedef struct sweep_detector {
    ntt_detect_config_t  config;
    double               step_success, step_failure;
    double               scanner_at, benign_at;
    ntt_tracker_table_t *sources;
    ntt_tracker_table_t *expected;   /* (receiver, address) a DNS answer
                                        named; the value is unused */
} sweep_detector_t;

static void free_scanner(void *value)
{
    ntt_probe_book_clear(&((scanner_t *)value)->hosts);
}

static void *sweep_create(const ntt_detect_config_t *c, const ntt_detect_env_t *env)
{
    sweep_detector_t *d = g_new0(sweep_detector_t, 1);

    (void)env;
    d->config = *c;
    d->step_success = log(c->sweep_theta1 / c->sweep_theta0);
    d->step_failure = log((1 - c->sweep_theta1) / (1 - c->sweep_theta0));
    d->scanner_at = log(c->sweep_beta / c->sweep_alpha);
    d->benign_at = log((1 - c->sweep_beta) / (1 - c->sweep_alpha));
    d->sources = ntt_tracker_table_new(c->memcap, "sweep",
                                       c->max_trackers, sizeof(scanner_t), free_scanner);
    d->expected = ntt_tracker_table_new(c->memcap, "sweep.expected",
                                        c->max_trackers, sizeof(char), NULL);
    return d;
}

static void sweep_destroy(void *state)
{
    sweep_detector_t *d = state;

    ntt_tracker_table_free(d->sources);
    ntt_tracker_table_free(d->expected);
    g_free(d);
}

/* One step of the walk per outcome. */
static void walk(const sweep_detector_t *d, scanner_t *s, bool success, uint32_t steps)
{
    for (uint32_t i = 0; i < steps; i++) {
        s->llr += success ? d->step_success : d->step_failure;
        if (s->llr <= d->benign_at)
            s->llr = 0;              /* benign so far: start over */
    }
}

/* A first contact probes a host the way host discovery does (nmap -sn's
 * probes, masscan's): a SYN, an ACK ping, a datagram, an echo, timestamp
 * or address-mask request, an SCTP INIT. FIN, Xmas and data segments are
 * port-scan and flag probes, not pings. */
static bool is_probe(const ntt_flow_event_t *ev)
{
    if (!(ev->what & NTT_EV_ATTEMPT))
        return false;
    switch (ev->opener) {
    case NTT_OPENER_SYN:
    case NTT_OPENER_ACK:
    case NTT_OPENER_DATAGRAM:
    case NTT_OPENER_ECHO:
    case NTT_OPENER_ICMP_QUERY:
    case NTT_OPENER_SCTP:
        return true;
    default:
        return false;
    }
}

/* Is the host there? Its answer says so; so does a RST to an ACK ping,
 * the only answer a live host gives one. A RST to a SYN is a refusal,
 * a failure for the walk as in Jung et al. */
static bool host_answered(const ntt_flow_event_t *ev)
{
    return (ev->what & NTT_EV_ANSWERED) ||
           ((ev->what & NTT_EV_REJECTED) && ev->opener == NTT_OPENER_ACK);
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
        ntt_detect_evicted(sink, NTT_EPISODE_SWEEP);
    if (created) {
        ntt_tracker_start(&s->base, sink, p);
        ntt_probe_book_init(&s->hosts, ntt_tracker_table_account(d->sources));
    }
    return s;
}

/* A DNS response names addresses to its receiver. */
static void expect(sweep_detector_t *d, const ntt_packet_t *p)
{
    for (unsigned i = 0; i < p->resolved_count; i++) {
        ntt_tracker_key_t key;
        bool created, evicted;

        ntt_tracker_key_init(&key, 0, p->resolved[i].ip_version, &p->dst,
                             &p->resolved[i].addr, 0);
        (void)ntt_tracker_table_get(d->expected, &key, p->ts_ns, &created, &evicted);
    }
}

static bool is_expected(sweep_detector_t *d, const ntt_packet_t *p)
{
    ntt_tracker_key_t key;

    if (ntt_tracker_table_count(d->expected) == 0)
        return false;
    ntt_tracker_key_init(&key, 0, p->ip_version, &p->src, &p->dst, 0);
    return ntt_tracker_table_find(d->expected, &key) != NULL;
}

/* A first contact: the scanner, or NULL when it is not one (a host the
 * source contacted already or was told of, or no room). */
static scanner_t *contact(sweep_detector_t *d, const ntt_packet_t *p, ntt_detect_sink_t *sink)
{
    scanner_t *s;

    if (is_expected(d, p))
        return NULL;
    s = scanner_of(d, p, &p->src, true, sink);

    if (ntt_probe_book_state(&s->hosts, &p->dst) != NTT_PROBE_NONE ||
        !ntt_probe_book_probe(&s->hosts, &p->dst, p->ts_ns, MAX_HOSTS_PER_SOURCE))
        return NULL;
    s->contacts++;
    ntt_net_cover_add(&s->swept, &p->dst, p->ip_version);
    ntt_sweep_burst_contact(&s->burst, &p->dst, p->ip_version, p->ts_ns,
                            d->config.reply_timeout_ns);
    if (s->contacts == 1)
        s->port = p->has_ports ? p->dport : 0;
    else if (!p->has_ports || p->dport != s->port)
        s->mixed_ports = true;
    return s;
}

/* The host's first packet back judges the first contact. */
static scanner_t *reply(sweep_detector_t *d, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    const ntt_flow_summary_t *f = ev->summary;
    scanner_t *s = scanner_of(d, ev->pkt, &f->orig_addr, false, sink);

    if (!s || ntt_probe_book_state(&s->hosts, &f->resp_addr) != NTT_PROBE_PENDING)
        return NULL;
    if (host_answered(ev)) {
        ntt_probe_book_answer(&s->hosts, &f->resp_addr);
        ntt_sweep_burst_answer(&s->burst, &f->resp_addr, ev->pkt->ip_version);
        walk(d, s, true, 1);
    } else {
        ntt_probe_book_fail(&s->hosts, &f->resp_addr, ev->pkt->ts_ns);
        walk(d, s, false, 1);
    }
    return s;
}

static void sweep_event(void *state, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    sweep_detector_t *d = state;
    const ntt_packet_t *p = ev->pkt;
    const ntt_addr_t *src;
    ntt_episode_detail_t detail;
    scanner_t *s;
    bool raise;

    ntt_tracker_table_expire(d->sources, p->ts_ns,
                             d->config.sweep_window_ns + d->config.reply_timeout_ns);
    ntt_tracker_table_expire(d->expected, p->ts_ns, d->config.sweep_window_ns);
    if (ev->what & NTT_EV_RESOLVED)
        expect(d, p);
    if (ev->what & (NTT_EV_UNREACHABLE | NTT_EV_UNDELIVERED)) {
        /* An ICMP error about a first contact: it failed -- or, when the
         * probe never reached the host's network (no route, expired on
         * the way), it says nothing: out of the walk and the burst. */
        src = &p->quoted_src;
        s = scanner_of(d, p, src, false, sink);
        if (!s || ntt_probe_book_state(&s->hosts, &p->quoted_dst) != NTT_PROBE_PENDING)
            return;
        if (ev->what & NTT_EV_UNDELIVERED) {
            ntt_probe_book_answer(&s->hosts, &p->quoted_dst);
            ntt_sweep_burst_answer(&s->burst, &p->quoted_dst, p->ip_version);
        } else if (ntt_probe_book_fail(&s->hosts, &p->quoted_dst, p->ts_ns)) {
            walk(d, s, false, 1);
        }
    } else if (is_probe(ev)) {
        src = &p->src;
        s = contact(d, p, sink);
    } else if (ev->what & (NTT_EV_ANSWERED | NTT_EV_REJECTED)) {
        src = &ev->summary->orig_addr;
        s = reply(d, ev, sink);
    } else {
        return;
    }
    if (!s)
        return;
    walk(d, s, false, ntt_probe_book_age(&s->hosts, p->ts_ns, d->config.reply_timeout_ns,
                                         d->config.sweep_window_ns));
    ntt_detect_mark(sink, &s->base);
    memset(&detail, 0, sizeof detail);
    detail.sweep.hosts = s->contacts;
    detail.sweep.probes = s->contacts;
    raise = !s->base.raised && s->contacts > 1 &&
            (s->llr >= d->scanner_at || s->hosts.failed_count >= d->config.sweep_hosts ||
             ntt_sweep_burst_full(&s->burst, d->config.sweep_burst));
    /* Formatted only for an attack, and only when its range widened. */
    if (raise || s->base.raised)
        ntt_net_cover_say(&s->swept, detail.sweep.dst_net);
    if (raise) {
        ntt_episode_t info;
        bool one_port = !s->mixed_ports && s->port != 0;

        ntt_episode_identity(&info, NTT_EPISODE_SWEEP, p->ip_version, src, NULL,
                             one_port ? &s->port : NULL);
        info.detail = detail;
        ntt_detect_raise(sink, &s->base, &info);
    } else {
        ntt_detect_update(sink, &s->base, &detail, NULL);
    }
}

const ntt_detector_ops_t ntt_detect_sweep_ops = {
    .name = "sweep",
    .events = NTT_EV_ATTEMPT | NTT_EV_ANSWERED | NTT_EV_REJECTED | NTT_EV_UNREACHABLE |
              NTT_EV_UNDELIVERED | NTT_EV_RESOLVED,
    .create = sweep_create,
    .destroy = sweep_destroy,
    .event = sweep_event,
};
