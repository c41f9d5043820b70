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
 * An ICMP error that says the probe never got there (time exceeded, no
 * route: NTT_EV_UNDELIVERED) takes its port out like an answer: it says
 * nothing of the port. A traceroute is not a scan: UDP traceroute walks
 * ports 33434 and up while its TTL rises from 1, with 16 probes in
 * flight at once. A pair whose probes have carried TRACEROUTE_TTLS
 * distinct TTLs (hop limits) of at most TRACEROUTE_MAX_TTL is tracing
 * the route, and its probes in that range are not counted. nmap's raw
 * probes vary their TTL too, but from 37 to 59 at the sender: far above
 * the range as seen anywhere but 21 or more hops away.
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

/* Traceroute: TTLs 1..TRACEROUTE_MAX_TTL are hops a route is traced
 * through (traceroute, mtr and tcptraceroute go up to 30, but reach most
 * hosts well within 16); TRACEROUTE_TTLS distinct ones are a rising TTL,
 * not a stack's fixed one -- recognised by the 4th probe of three per
 * hop, before the pending ones reach any sensible ntt.portscan_ports. */
#define TRACEROUTE_MAX_TTL 16
#define TRACEROUTE_TTLS    2

/* Every TCP and UDP port, a bit each: the ports of a raised scan. */
#define PORT_SET_BITS  (2u * 65536u)
#define PORT_SET_WORDS (PORT_SET_BITS / 64u)

typedef struct pair {
    ntt_tracker_t    base;
    uint16_t         low_ttls;  /* bit t-1: a probe with TTL t <= 16 seen */
    uint32_t         probes;
    ntt_probe_book_t ports;     /* targets: protocol << 16 | port */
    /* Once raised, the episode's size is the whole scan's, not the
     * window's: every port probed and not answered since, a bit each
     * (16 KiB a raised pair, within the memcap; NULL: no room, and the
     * size stays the window's peak). */
    uint64_t        *unanswered;
    uint32_t         unanswered_count;
    uint32_t         window_peak;   /* failed + pending, the most seen */
} pair_t;

typedef struct portscan_detector {
    ntt_detect_config_t  config;
    ntt_tracker_table_t *pairs;
} portscan_detector_t;

static size_t port_set_bytes(void)
{
    return ntt_memcap_malloc_size(PORT_SET_WORDS * sizeof(uint64_t));
}

static void free_pair(void *value)
{
    pair_t *p = value;

    if (p->unanswered) {
        ntt_memcap_release(p->ports.account, port_set_bytes());
        g_free(p->unanswered);
    }
    ntt_probe_book_clear(&p->ports);
}

/* Target numbers are protocol << 16 | port: TCP's bits first, then UDP's. */
static uint32_t port_bit(uint32_t number)
{
    return ((number >> 16) == NTT_IPPROTO_UDP ? 65536u : 0u) + (number & 0xffffu);
}

static void port_set_add(pair_t *p, uint32_t number)
{
    uint32_t bit = port_bit(number);
    uint64_t mask = (uint64_t)1 << (bit % 64);

    if (!(p->unanswered[bit / 64] & mask)) {
        p->unanswered[bit / 64] |= mask;
        p->unanswered_count++;
    }
}

static void port_set_remove(pair_t *p, uint32_t number)
{
    uint32_t bit = port_bit(number);
    uint64_t mask = (uint64_t)1 << (bit % 64);

    if (p->unanswered[bit / 64] & mask) {
        p->unanswered[bit / 64] &= ~mask;
        p->unanswered_count--;
    }
}

static void seed_port(const ntt_addr_t *target, ntt_probe_state_t state, void *ctx)
{
    if (state == NTT_PROBE_PENDING || state == NTT_PROBE_FAILED)
        port_set_add(ctx, ntt_probe_target_number_of(target));
}

/* At the raise: the set starts with what the window holds unanswered.
 * Charged without eviction (which could free this very pair). */
static void start_port_set(pair_t *p)
{
    if (!ntt_memcap_fits(p->ports.account, port_set_bytes()))
        return;
    ntt_memcap_charge(p->ports.account, port_set_bytes());
    p->unanswered = g_new0(uint64_t, PORT_SET_WORDS);
    ntt_probe_book_visit(&p->ports, seed_port, p);
}

/* A port's fate, for the raised scan's set. */
static void note_port(pair_t *p, const ntt_addr_t *port, bool unanswered)
{
    if (!p->unanswered)
        return;
    if (unanswered)
        port_set_add(p, ntt_probe_target_number_of(port));
    else
        port_set_remove(p, ntt_probe_target_number_of(port));
}

static void *portscan_create(const ntt_detect_config_t *config, const ntt_detect_env_t *env)
{
    portscan_detector_t *d = g_new0(portscan_detector_t, 1);

    (void)env;
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
        ntt_detect_evicted(sink, NTT_EPISODE_PORTSCAN);
    if (created) {
        ntt_tracker_start(&p->base, sink, pk);
        ntt_probe_book_init(&p->ports, ntt_tracker_table_account(d->pairs));
    }
    return p;
}

static bool scans_ports(uint8_t proto)
{
    return proto == NTT_IPPROTO_TCP || proto == NTT_IPPROTO_UDP;
}

/* Notes the probe's TTL: true when it is a traceroute's probe. */
static bool traces_route(pair_t *p, uint8_t ttl)
{
    if (ttl == 0 || ttl > TRACEROUTE_MAX_TTL)
        return false;
    p->low_ttls |= (uint16_t)(1u << (ttl - 1));
    return __builtin_popcount(p->low_ttls) >= TRACEROUTE_TTLS;
}

/* The pair an event is about, its probe book updated; NULL when the event
 * says nothing about a probe this detector follows. */
static pair_t *judge(portscan_detector_t *d, const ntt_flow_event_t *ev,
                     ntt_tracker_key_t *key, ntt_detect_sink_t *sink)
{
    const ntt_packet_t *pk = ev->pkt;
    const ntt_flow_summary_t *f = ev->summary;
    ntt_addr_t port;
    pair_t *p;

    if (ev->what & (NTT_EV_UNREACHABLE | NTT_EV_UNDELIVERED)) {
        /* An ICMP error about a probe: that port failed, or (it never got
         * there) is out of the count. */
        if (!pk->quoted_has_ports)
            return NULL;
        ntt_tracker_key_init(key, 0, pk->ip_version, &pk->quoted_src, &pk->quoted_dst, 0);
        p = pair_of(d, key, pk, false, sink);
        if (p) {
            port = port_target(pk->quoted_proto, pk->quoted_dport);
            if (ev->what & NTT_EV_UNREACHABLE) {
                ntt_probe_book_fail(&p->ports, &port, pk->ts_ns);
            } else if (ntt_probe_book_state(&p->ports, &port) == NTT_PROBE_PENDING) {
                ntt_probe_book_answer(&p->ports, &port);
                note_port(p, &port, false);
            }
        }
        return p;
    }
    if (!scans_ports(pk->ip_proto) || !pk->has_ports)
        return NULL;
    ntt_tracker_key_init(key, 0, pk->ip_version, &f->orig_addr, &f->resp_addr, 0);
    port = port_target(pk->ip_proto, f->resp_port);
    if (ev->what & NTT_EV_ATTEMPT) {
        p = pair_of(d, key, pk, true, sink);
        if (traces_route(p, pk->ttl))
            return p;
        p->probes++;
        ntt_probe_book_probe(&p->ports, &port, pk->ts_ns, MAX_PORTS_PER_PAIR);
        /* (an open port asked again stays out; looked up only once raised) */
        if (p->unanswered && ntt_probe_book_state(&p->ports, &port) != NTT_PROBE_ANSWERED)
            note_port(p, &port, true);
        return p;
    }
    /* The responder's first packet: refused or answered. */
    p = pair_of(d, key, pk, false, sink);
    if (!p || ntt_probe_book_state(&p->ports, &port) == NTT_PROBE_NONE)
        return NULL;
    if (ev->what & NTT_EV_REJECTED) {
        ntt_probe_book_fail(&p->ports, &port, pk->ts_ns);
    } else {
        ntt_probe_book_answer(&p->ports, &port);
        note_port(p, &port, false);
    }
    return p;
}

static void portscan_event(void *state, const ntt_flow_event_t *ev,
                           ntt_detect_sink_t *sink)
{
    portscan_detector_t *d = state;
    const ntt_packet_t *pk = ev->pkt;
    ntt_tracker_key_t key;
    ntt_episode_detail_t detail;
    uint32_t unanswered;
    bool raise;
    pair_t *p;

    ntt_tracker_table_expire(d->pairs, pk->ts_ns,
                             d->config.portscan_window_ns + d->config.reply_timeout_ns);
    p = judge(d, ev, &key, sink);
    if (!p)
        return;
    ntt_probe_book_age(&p->ports, pk->ts_ns, d->config.reply_timeout_ns,
                       d->config.portscan_window_ns);
    ntt_detect_mark(sink, &p->base);
    unanswered = p->ports.failed_count + p->ports.pending_count;
    if (unanswered > p->window_peak)
        p->window_peak = unanswered;
    /* Unanswered probes count at once: a scan is fast, and waiting for
     * every timeout would let it probe far past the threshold first. */
    raise = !p->base.raised && unanswered >= d->config.portscan_ports;
    if (raise)
        start_port_set(p);
    memset(&detail, 0, sizeof detail);
    detail.portscan.ports = p->unanswered ? p->unanswered_count : p->window_peak;
    detail.portscan.probes = p->probes;
    if (raise) {
        ntt_episode_t info;

        ntt_episode_identity(&info, NTT_EPISODE_PORTSCAN, pk->ip_version, &key.a, &key.b, NULL);
        info.detail = detail;
        ntt_detect_raise(sink, &p->base, &info);
    } else {
        ntt_detect_update(sink, &p->base, &detail, NULL);
    }
}

const ntt_detector_ops_t ntt_detect_portscan_ops = {
    .name = "portscan",
    .events = NTT_EV_ATTEMPT | NTT_EV_ANSWERED | NTT_EV_REJECTED | NTT_EV_UNREACHABLE |
              NTT_EV_UNDELIVERED,
    .create = portscan_create,
    .destroy = portscan_destroy,
    .event = portscan_event,
};
