/* detect-bruteforce.c
 * Brute force / repeated access to the service table's login services
 * (ssh, telnet, ftp, mail submission, imap, pop3, ldap, smb, rdp, vnc,
 * databases) of one host by one source, on two horizons:
 *
 *  - fast: every connection attempt (a SYN opening a flow) counts; raised
 *    when ntt.bruteforce_attempts of them fall within
 *    ntt.bruteforce_window (exact: the times of the last attempts are
 *    kept);
 *  - slow: only failed logins count, as the wire shows them
 *    (ntt_service_login_refusal): each FTP "530 " reply, or an SSH
 *    connection whose shape is a login that went nowhere (judged when it
 *    closes: short, small, the key exchange done and no session's output
 *    after it); raised when ntt.bruteforce_slow_attempts of them fall
 *    within ntt.bruteforce_slow_window, exactly as well.
 *
 * One tracker per source, host and port carries both; one episode per
 * tracker instance, whichever horizon raises it. The rest of each counted
 * connection belongs to the episode (the flow's slot follows it). The
 * episode's attempts are the logins tried over the whole episode: one per
 * connection, or each refused password where the replies are readable.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "detect/detector.h"
#include "ntt/service.h"
#include "track/tracker-table.h"

/* More attempts than this are never needed to decide; bounds memory. */
#define MAX_WINDOW_ATTEMPTS 4096

/* The shape of an SSH login that went nowhere (docs/detectors.md): over
 * within 60 s of its SYN (six refusals with PAM's delay of 2-3 s each
 * take about 20 s), at most 8 KiB each way on the wire, at least 1 KiB
 * back (the server's key exchange: a mere port check is no login). */
#define REFUSED_MAX_NS    ((int64_t)60 * 1000000000)
#define REFUSED_MAX_BYTES 8192u
#define REFUSED_MIN_BACK  1024u

typedef struct ring {
    int64_t *times;          /* the last `need` event times */
    uint32_t need;
    uint32_t next;
    uint32_t seen;
} ring_t;

typedef struct pair {
    ntt_tracker_t base;      /* count: packets of the tracked connections */
    uint32_t attempts;       /* logins tried (the episode's size) */
    ring_t   fast;           /* connection attempts */
    ring_t   slow;           /* failed logins */
} pair_t;

typedef struct bruteforce_detector {
    ntt_detect_config_t  config;
    uint32_t             need;       /* attempts that raise (fast) */
    uint32_t             slow_need;  /* failures that raise (slow) */
    int64_t              idle_ns;    /* the longer horizon */
    unsigned             slot;       /* on the attempts' flows */
    ntt_tracker_table_t *pairs;
} bruteforce_detector_t;

/* What an attempt's flow keeps in its slot: that it is followed (its pair
 * is found again from the flow's ends), and whether a reply has refused a
 * password on it already (the next refusal there is a further attempt). */
static char flow_marks[2];
#define FOLLOWED (&flow_marks[0])
#define REFUSED  (&flow_marks[1])

static void free_pair(void *value)
{
    pair_t *p = value;

    g_free(p->fast.times);
    g_free(p->slow.times);
}

static void *bruteforce_create(const ntt_detect_config_t *config, const ntt_detect_env_t *env)
{
    bruteforce_detector_t *d = g_new0(bruteforce_detector_t, 1);

    d->config = *config;
    d->need = MAX(1, MIN(config->bruteforce_attempts, MAX_WINDOW_ATTEMPTS));
    d->slow_need = MAX(1, MIN(config->bruteforce_slow_attempts, MAX_WINDOW_ATTEMPTS));
    d->idle_ns = MAX(config->bruteforce_window_ns, config->bruteforce_slow_window_ns);
    d->slot = env->slot;
    d->pairs = ntt_tracker_table_new(config->memcap, "bruteforce",
                                     config->max_trackers, sizeof(pair_t), free_pair);
    return d;
}

static void bruteforce_destroy(void *state)
{
    bruteforce_detector_t *d = state;

    ntt_tracker_table_free(d->pairs);
    g_free(d);
}

static void bruteforce_slot_free(void *state, void *slot)
{
    (void)state;
    (void)slot;                  /* a flow mark: nothing to free */
}

/* An event at now: true when it is the need-th within window. */
static bool ring_full(ring_t *r, int64_t now_ns, int64_t window_ns)
{
    int64_t oldest;

    r->times[r->next] = now_ns;
    r->next = (r->next + 1) % r->need;
    if (r->seen < r->need)
        r->seen++;
    if (r->seen < r->need)
        return false;
    oldest = r->times[r->next];      /* the slot written need events ago */
    return now_ns - oldest <= window_ns;
}

/* A connection attempt to a login service: its pair counts it. */
static pair_t *attempt(bruteforce_detector_t *d, const ntt_flow_event_t *ev,
                       const ntt_tracker_key_t *key, ntt_detect_sink_t *sink)
{
    bool created, evicted;
    pair_t *p;

    p = ntt_tracker_table_get(d->pairs, key, ev->pkt->ts_ns, &created, &evicted);
    if (evicted)
        ntt_detect_evicted(sink, NTT_EPISODE_BRUTEFORCE);
    if (created) {
        ntt_tracker_start(&p->base, sink, ev->pkt);
        p->fast.need = d->need;
        p->fast.times = g_new0(int64_t, d->need);
        p->slow.need = d->slow_need;
        p->slow.times = g_new0(int64_t, d->slow_need);
        ntt_tracker_table_charge(d->pairs, p,
                                 ntt_memcap_malloc_size(d->need * sizeof *p->fast.times) +
                                 ntt_memcap_malloc_size(d->slow_need * sizeof *p->slow.times));
    }
    p->attempts++;
    *ntt_flow_event_slot(ev, d->slot) = FOLLOWED;
    return p;
}

/* The server refused a password: a reply code that says so. */
static bool refusal_reply(const ntt_flow_event_t *ev, ntt_login_refusal_t how)
{
    const ntt_packet_t *pk = ev->pkt;

    return how == NTT_REFUSAL_REPLY_530 && ev->flow->dir == NTT_DIR_RESP &&
           pk->payload_head_len >= 4 && memcmp(pk->payload_head, "530 ", 4) == 0;
}

/* The connection closed with this packet and its shape is a login that
 * went nowhere. */
static bool refused_shape(const ntt_flow_event_t *ev, ntt_login_refusal_t how)
{
    const ntt_flow_summary_t *f = ev->summary;

    if (how != NTT_REFUSAL_SHAPE || !(ev->what & NTT_EV_CLOSED))
        return false;
    switch (f->state) {
    case NTT_STATE_SF: case NTT_STATE_S1: case NTT_STATE_S2: case NTT_STATE_S3:
    case NTT_STATE_RSTO: case NTT_STATE_RSTR:
        break;
    default:
        return false;            /* never established */
    }
    return f->last_ns - f->first_ns <= REFUSED_MAX_NS &&
           f->bytes[NTT_DIR_ORIG] <= REFUSED_MAX_BYTES &&
           f->bytes[NTT_DIR_RESP] <= REFUSED_MAX_BYTES &&
           f->bytes[NTT_DIR_RESP] >= REFUSED_MIN_BACK;
}

/* A failed login judged at this packet: true when it raises (slow). */
static bool failure(bruteforce_detector_t *d, const ntt_flow_event_t *ev, pair_t *p)
{
    void **slot = ntt_flow_event_slot(ev, d->slot);

    if (*slot == REFUSED)
        p->attempts++;           /* another password on the same connection */
    *slot = REFUSED;
    return ring_full(&p->slow, ev->pkt->ts_ns, d->config.bruteforce_slow_window_ns);
}

static void bruteforce_event(void *state, const ntt_flow_event_t *ev,
                             ntt_detect_sink_t *sink)
{
    bruteforce_detector_t *d = state;
    const ntt_packet_t *pk = ev->pkt;
    const ntt_flow_summary_t *f = ev->summary;
    bool is_attempt = (ev->what & NTT_EV_ATTEMPT) && ev->opener == NTT_OPENER_SYN;
    ntt_login_refusal_t how;
    ntt_tracker_key_t key;
    bool raise = false;
    pair_t *p;

    ntt_tracker_table_expire(d->pairs, pk->ts_ns, d->idle_ns);
    if (is_attempt &&
        !ntt_service_is_login(ntt_service_classify(NTT_IPPROTO_TCP, 0, f->resp_port)))
        return;
    if (!is_attempt && !(ev->what & NTT_EV_SLOTTED))
        return;
    ntt_tracker_key_init(&key, 0, pk->ip_version, &f->orig_addr, &f->resp_addr,
                         f->resp_port);
    /* The rest of a tracked connection belongs to the episode too. */
    p = is_attempt ? attempt(d, ev, &key, sink) : ntt_tracker_table_find(d->pairs, &key);
    if (!p)
        return;
    ntt_detect_mark(sink, &p->base);
    if (is_attempt) {
        raise = ring_full(&p->fast, pk->ts_ns, d->config.bruteforce_window_ns);
    } else {
        how = ntt_service_login_refusal(f->service);
        /* A connection a reply has judged is not judged again by its shape. */
        if (refusal_reply(ev, how) ||
            (*ntt_flow_event_slot(ev, d->slot) == FOLLOWED && refused_shape(ev, how)))
            raise = failure(d, ev, p);
    }
    if (raise && !p->base.raised) {
        ntt_episode_t info;

        ntt_episode_identity(&info, NTT_EPISODE_BRUTEFORCE, pk->ip_version, &f->orig_addr,
                             &f->resp_addr, &f->resp_port);
        info.detail.bruteforce.attempts = p->attempts;
        ntt_detect_raise(sink, &p->base, &info);
        return;
    }
    if (p->base.raised) {
        ntt_episode_detail_t detail;

        memset(&detail, 0, sizeof detail);
        detail.bruteforce.attempts = p->attempts;
        ntt_detect_update(sink, &p->base, &detail, NULL);
    }
}

const ntt_detector_ops_t ntt_detect_bruteforce_ops = {
    .name = "bruteforce",
    .events = NTT_EV_ATTEMPT | NTT_EV_SLOTTED,
    .create = bruteforce_create,
    .destroy = bruteforce_destroy,
    .event = bruteforce_event,
    .slot_free = bruteforce_slot_free,
};
