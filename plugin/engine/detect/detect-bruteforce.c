/* detect-bruteforce.c
 * Brute force / repeated access: many connections from one source to one
 * service people log in to (the service table's login services: ssh,
 * telnet, ftp, mail submission, imap, pop3, ldap, smb, rdp, vnc,
 * databases) of one host in a sliding window. Each connection attempt (a
 * SYN opening a flow) counts, and the rest of its connection belongs to
 * the episode (the flow's slot follows it); the window is exact:
 * the times of the last ntt.bruteforce_attempts attempts are kept, and
 * the episode is raised when the oldest of them is within
 * ntt.bruteforce_window of the newest.
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

typedef struct pair {
    ntt_tracker_t base;      /* count: packets of the tracked connections */
    uint32_t attempts;
    int64_t *times;          /* ring of the last `need` attempt times */
    uint32_t next;
} pair_t;

typedef struct bruteforce_detector {
    ntt_detect_config_t  config;
    uint32_t             need;    /* attempts that raise */
    unsigned             slot;    /* on the attempts' flows */
    ntt_tracker_table_t *pairs;
} bruteforce_detector_t;

/* What an attempt's flow keeps in its slot: only that it is followed (its
 * pair is found again from the flow's ends). */
static char followed;

static void free_pair(void *value)
{
    g_free(((pair_t *)value)->times);
}

static void *bruteforce_create(const ntt_detect_config_t *config, const ntt_detect_env_t *env)
{
    bruteforce_detector_t *d = g_new0(bruteforce_detector_t, 1);

    d->config = *config;
    d->need = MAX(1, MIN(config->bruteforce_attempts, MAX_WINDOW_ATTEMPTS));
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
    (void)slot;                  /* &followed: nothing to free */
}

/* The attempt at now is the need-th within the window. */
static bool window_full(const bruteforce_detector_t *d, pair_t *p, int64_t now_ns)
{
    int64_t oldest;

    p->times[p->next] = now_ns;
    p->next = (p->next + 1) % d->need;
    if (p->attempts < d->need)
        return false;
    oldest = p->times[p->next];      /* the slot written need attempts ago */
    return now_ns - oldest <= d->config.bruteforce_window_ns;
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
        p->times = g_new0(int64_t, d->need);
        ntt_tracker_table_charge(d->pairs, p, ntt_memcap_malloc_size(d->need * sizeof *p->times));
    }
    p->attempts++;
    *ntt_flow_event_slot(ev, d->slot) = &followed;
    return p;
}

static void bruteforce_event(void *state, const ntt_flow_event_t *ev,
                             ntt_detect_sink_t *sink)
{
    bruteforce_detector_t *d = state;
    const ntt_packet_t *pk = ev->pkt;
    const ntt_flow_summary_t *f = ev->summary;
    bool is_attempt = (ev->what & NTT_EV_ATTEMPT) && ev->opener == NTT_OPENER_SYN;
    ntt_tracker_key_t key;
    pair_t *p;

    ntt_tracker_table_expire(d->pairs, pk->ts_ns, d->config.bruteforce_window_ns);
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
    if (is_attempt && !p->base.raised && window_full(d, p, pk->ts_ns)) {
        ntt_episode_t info;

        ntt_episode_identity(&info, NTT_EPISODE_BRUTEFORCE, pk->ip_version, &f->orig_addr,
                             &f->resp_addr, &f->resp_port);
        info.detail.bruteforce.attempts = p->attempts;
        ntt_detect_raise(sink, &p->base, &info);
        return;
    }
    if (is_attempt && p->base.raised)
        window_full(d, p, pk->ts_ns);
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
