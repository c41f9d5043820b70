/* detect-bruteforce.c
 * Brute force / repeated access: many connections from one source to one
 * authentication service of one host (ssh, telnet, ftp, mail submission,
 * imap, pop3, ldap, smb, rdp, vnc, databases) in a sliding window. Each
 * connection attempt (a SYN opening a flow) counts; the window is exact:
 * the times of the last ntt.bruteforce_attempts attempts are kept, and
 * the episode is raised when the oldest of them is within
 * ntt.bruteforce_window of the newest.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "detect/detector.h"
#include "track/tracker-table.h"

/* More attempts than this are never needed to decide; bounds memory. */
#define MAX_WINDOW_ATTEMPTS 4096

typedef struct pair {
    uint32_t token;
    bool     raised;
    uint64_t count;          /* packets of the tracked connections */
    uint32_t attempts;
    uint32_t first_frame;
    int64_t  start_ns;
    int64_t *times;          /* ring of the last `need` attempt times */
    uint32_t next;
} pair_t;

typedef struct bruteforce_detector {
    ntt_detect_config_t  config;
    uint32_t             need;    /* attempts that raise */
    ntt_tracker_table_t *pairs;
} bruteforce_detector_t;

static bool is_auth_port(uint16_t port)
{
    switch (port) {
    case 21:   /* ftp */
    case 22:   /* ssh */
    case 23:   /* telnet */
    case 110:  /* pop3 */
    case 143:  /* imap */
    case 389:  /* ldap */
    case 445:  /* smb */
    case 465:  /* smtps submission */
    case 587:  /* submission */
    case 636:  /* ldaps */
    case 993:  /* imaps */
    case 995:  /* pop3s */
    case 1433: /* mssql */
    case 3306: /* mysql */
    case 3389: /* rdp */
    case 5432: /* postgresql */
    case 5900: /* vnc */
        return true;
    default:
        return false;
    }
}

static void free_pair(void *value)
{
    g_free(((pair_t *)value)->times);
}

static void *bruteforce_create(const ntt_detect_config_t *config)
{
    bruteforce_detector_t *d = g_new0(bruteforce_detector_t, 1);

    d->config = *config;
    d->need = MAX(1, MIN(config->bruteforce_attempts, MAX_WINDOW_ATTEMPTS));
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

static void bruteforce_packet(void *state, const ntt_detect_input_t *in,
                              ntt_detect_sink_t *sink)
{
    bruteforce_detector_t *d = state;
    const ntt_packet_t *pk = in->pkt;
    const ntt_flow_summary_t *f = in->summary;
    ntt_tracker_key_t key;
    ntt_detect_mark_t mark;
    bool attempt, created, evicted;
    pair_t *p;

    ntt_tracker_table_expire(d->pairs, pk->ts_ns, d->config.bruteforce_window_ns);
    if (pk->ip_proto != NTT_IPPROTO_TCP || !f || !is_auth_port(f->resp_port))
        return;
    ntt_tracker_key_init(&key, 0, pk->ip_version, &f->orig_addr, &f->resp_addr,
                         f->resp_port);
    attempt = in->flow->new_flow && in->flow->dir == NTT_DIR_ORIG && pk->has_tcp &&
              (pk->tcp_flags & (NTT_TCP_SYN | NTT_TCP_ACK)) == NTT_TCP_SYN;
    if (attempt) {
        p = ntt_tracker_table_get(d->pairs, &key, pk->ts_ns, &created, &evicted);
        if (evicted)
            ntt_detect_evicted(sink, NTT_ALERT_BRUTEFORCE);
        if (created) {
            p->token = ntt_detect_token(sink);
            p->times = g_new0(int64_t, d->need);
            ntt_tracker_table_charge(d->pairs, p,
                                     ntt_memcap_malloc_size(d->need * sizeof *p->times));
            p->first_frame = pk->frame;
            p->start_ns = pk->ts_ns;
        }
        p->attempts++;
    } else {
        /* The rest of a tracked connection belongs to the episode too. */
        p = ntt_tracker_table_find(d->pairs, &key);
        if (!p)
            return;
    }
    p->count++;

    memset(&mark, 0, sizeof mark);
    mark.token = p->token;
    mark.count = p->count;
    if (attempt && !p->raised && window_full(d, p, pk->ts_ns)) {
        p->raised = true;
        mark.raise = true;
    } else if (attempt && p->raised) {
        window_full(d, p, pk->ts_ns);
    }
    mark.info.type = NTT_ALERT_BRUTEFORCE;
    mark.info.ip_version = pk->ip_version;
    mark.info.has_src = mark.info.has_dst = mark.info.has_port = true;
    mark.info.src = f->orig_addr;
    mark.info.dst = f->resp_addr;
    mark.info.port = f->resp_port;
    mark.info.first_frame = p->first_frame;
    mark.info.start_ns = p->start_ns;
    mark.info.attempts = p->attempts;
    ntt_detect_emit(sink, &mark);
}

const ntt_detector_ops_t ntt_detect_bruteforce_ops = {
    "bruteforce", bruteforce_create, bruteforce_destroy, bruteforce_packet, NULL,
};
