/* detect-arp-sweep.c
 * ARP sweep: one host asking the local link for many addresses. On its
 * own subnet nmap -sn (and arp-scan, netdiscover) sends no IP at all,
 * only an ARP request per address; the live hosts answer with ARP
 * replies, the absent ones say nothing. So the IP sweep (detect-sweep.c)
 * never sees it, and this family judges ARP records the same way, with
 * the same settings, so that users tune one thing:
 *
 *  - a request from a sender IP for a target IP it has not asked for
 *    within ntt.sweep_window is a first contact; a reply from the target
 *    (its sender IP the request's target IP) to the requester answers it;
 *  - a burst: ntt.sweep_burst first contacts to distinct targets of one
 *    /24, each within ntt.reply_timeout_ms of the burst's first, none of
 *    them answered yet (a live neighbour answers within a millisecond);
 *  - a backstop: ntt.sweep_hosts targets failed (unanswered past
 *    ntt.reply_timeout_ms) within the window.
 *
 * Replies are unicast to the requester, so a capture taken anywhere but
 * at the requester's port (or a one-way copy) holds its broadcast
 * requests and never the answers: every request looks unanswered, and a
 * router resolving a few neighbours under load looks like a sweep. So
 * until the capture has shown an answer to one of its requests (its
 * replies are visible here), a requester's silence proves nothing: the
 * backstop does not apply, and a burst must reach ntt.sweep_hosts
 * distinct targets, not ntt.sweep_burst. That many new neighbours within
 * a reply timeout of each other is a sweep's density whatever the
 * answers (arp-scan and nmap ask for a /24 in a second or less); a host
 * resolving the neighbours its traffic needs asks for a few.
 *
 * There is no random walk here: on a link nothing refuses an ARP request,
 * so an absent host only ever fails by timeout, and a host resolving its
 * few neighbours is answered. Gratuitous ARP (sender IP == target IP) and
 * ARP probes (sender 0.0.0.0, RFC 5227: a host checking its own address
 * before using it) say nothing about other hosts and are ignored, as are
 * replies to no request this detector saw.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "detect/detector.h"
#include "track/net-cover.h"
#include "track/probe-book.h"
#include "track/sweep-burst.h"
#include "track/tracker-table.h"

/* Targets one requester can hold at most (a /16), before the cap. */
#define MAX_TARGETS_PER_SENDER 65536

typedef struct requester {
    ntt_tracker_t    base;
    uint32_t         contacts;    /* distinct targets asked for */
    uint32_t         requests;    /* requests to those targets, repeats included */
    bool             answers_seen; /* a reply to one of its requests */
    ntt_sweep_burst_t burst;      /* the current burst of first contacts */
    ntt_net_cover_t  swept;       /* the range of the hosts asked for */
    ntt_probe_book_t targets;     /* first contacts and their outcomes */
} requester_t;

typedef struct arp_sweep_detector {
    ntt_detect_config_t  config;
    uint32_t             max_targets;
    ntt_tracker_table_t *senders;
} arp_sweep_detector_t;

static void free_requester(void *value)
{
    ntt_probe_book_clear(&((requester_t *)value)->targets);
}

static void *arp_sweep_create(const ntt_detect_config_t *c, const ntt_detect_env_t *env)
{
    arp_sweep_detector_t *d = g_new0(arp_sweep_detector_t, 1);

    (void)env;
    d->config = *c;
    d->max_targets = MIN(c->max_trackers, MAX_TARGETS_PER_SENDER);
    d->senders = ntt_tracker_table_new(c->memcap, "arp_sweep",
                                       c->max_trackers, sizeof(requester_t), free_requester);
    return d;
}

static void arp_sweep_destroy(void *state)
{
    arp_sweep_detector_t *d = state;

    ntt_tracker_table_free(d->senders);
    g_free(d);
}

static bool is_unspecified(const ntt_addr_t *a)
{
    return a->bytes[0] == 0 && a->bytes[1] == 0 && a->bytes[2] == 0 && a->bytes[3] == 0;
}

static requester_t *requester_of(arp_sweep_detector_t *d, const ntt_packet_t *p,
                                 const ntt_addr_t *sender, bool create,
                                 ntt_detect_sink_t *sink)
{
    ntt_tracker_key_t key;
    bool created, evicted;
    requester_t *r;

    ntt_tracker_key_init(&key, 0, 4, sender, NULL, 0);
    if (!create)
        return ntt_tracker_table_find(d->senders, &key);
    r = ntt_tracker_table_get(d->senders, &key, p->ts_ns, &created, &evicted);
    if (evicted)
        ntt_detect_evicted(sink, NTT_EPISODE_SWEEP);
    if (created) {
        ntt_tracker_start(&r->base, sink, p);
        ntt_probe_book_init(&r->targets, ntt_tracker_table_account(d->senders));
    }
    return r;
}

/* A request: true when it is part of a sweep's probing (a first contact,
 * or asking again for a target that has not answered). Asking again for
 * a neighbour that answered is ordinary resolution and not marked. */
static bool take_request(arp_sweep_detector_t *d, requester_t *r, const ntt_packet_t *p)
{
    const ntt_addr_t *target = &p->arp_target_ip;

    switch (ntt_probe_book_state(&r->targets, target)) {
    case NTT_PROBE_NONE:
        if (!ntt_probe_book_probe(&r->targets, target, p->ts_ns, d->max_targets))
            return false;             /* no room */
        r->contacts++;
        r->requests++;
        ntt_net_cover_add(&r->swept, target, 4);
        ntt_sweep_burst_contact(&r->burst, target, 4, p->ts_ns,
                                d->config.reply_timeout_ns);
        return true;
    case NTT_PROBE_PENDING:
    case NTT_PROBE_FAILED:
        /* A retry; pending targets are pending anew from now. */
        ntt_probe_book_probe(&r->targets, target, p->ts_ns, d->max_targets);
        r->requests++;
        return true;
    case NTT_PROBE_ANSWERED:
    default:
        return false;
    }
}

static void arp_sweep_event(void *state, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    arp_sweep_detector_t *d = state;
    const ntt_packet_t *p = ev->pkt;
    ntt_episode_detail_t detail;
    requester_t *r;
    const ntt_addr_t *requester;
    bool raise;

    ntt_tracker_table_expire(d->senders, p->ts_ns,
                             d->config.sweep_window_ns + d->config.reply_timeout_ns);
    /* Gratuitous ARP and ARP probes: about the sender itself. */
    if (is_unspecified(&p->arp_sender_ip) || is_unspecified(&p->arp_target_ip) ||
        memcmp(&p->arp_sender_ip, &p->arp_target_ip, sizeof p->arp_sender_ip) == 0)
        return;
    if (ev->what & NTT_EV_ARP_REQUEST) {
        requester = &p->arp_sender_ip;
        r = requester_of(d, p, requester, true, sink);
        if (!take_request(d, r, p))
            return;
    } else {
        /* The target's answer, to the requester. */
        requester = &p->arp_target_ip;
        r = requester_of(d, p, requester, false, sink);
        if (!r || ntt_probe_book_state(&r->targets, &p->arp_sender_ip) != NTT_PROBE_PENDING)
            return;
        ntt_probe_book_answer(&r->targets, &p->arp_sender_ip);
        ntt_sweep_burst_answer(&r->burst, &p->arp_sender_ip, 4);
        r->answers_seen = true;
    }
    ntt_probe_book_age(&r->targets, p->ts_ns, d->config.reply_timeout_ns,
                       d->config.sweep_window_ns);
    ntt_detect_mark(sink, &r->base);
    memset(&detail, 0, sizeof detail);
    detail.sweep.hosts = r->contacts;
    detail.sweep.probes = r->requests;
    raise = !r->base.raised && r->contacts > 1 &&
            (r->answers_seen
                 ? (r->targets.failed_count >= d->config.sweep_hosts ||
                    ntt_sweep_burst_full(&r->burst, d->config.sweep_burst))
                 : d->config.sweep_burst &&
                       ntt_sweep_burst_full(&r->burst, MAX(d->config.sweep_burst,
                                                           d->config.sweep_hosts)));
    /* Formatted only for an attack, and only when its range widened. */
    if (raise || r->base.raised)
        ntt_net_cover_say(&r->swept, detail.sweep.dst_net);
    if (raise) {
        ntt_episode_t info;

        ntt_episode_identity(&info, NTT_EPISODE_SWEEP, 4, requester, NULL, NULL);
        info.detail = detail;
        ntt_detect_raise(sink, &r->base, &info);
    } else {
        ntt_detect_update(sink, &r->base, &detail, NULL);
    }
}

const ntt_detector_ops_t ntt_detect_arp_sweep_ops = {
    .name = "arp-sweep",
    .events = NTT_EV_ARP_REQUEST | NTT_EV_ARP_REPLY,
    .create = arp_sweep_create,
    .destroy = arp_sweep_destroy,
    .event = arp_sweep_event,
};
