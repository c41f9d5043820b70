/* entropy-timeline.c
 * See entropy-timeline.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analytics/entropy-timeline.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#include "analytics/entropy-window.h"

/* What every window adds to, and what a view adds the open window to. */
typedef struct summary {
    uint64_t             windows;
    uint64_t             full_windows;
    uint64_t             dim_windows[NTT_ENTROPY_DIMS]; /* with 2 packets or more */
    ntt_entropy_figure_t lowest[NTT_ENTROPY_DIMS];
    ntt_entropy_figure_t highest[NTT_ENTROPY_DIMS];
    int64_t              highest_end_ns[NTT_ENTROPY_DIMS];
    double               sum_normalized[NTT_ENTROPY_DIMS];
    unsigned             move_count;
    ntt_entropy_move_t   moves[NTT_ENTROPY_MOVES];
    unsigned             host_count;
    ntt_entropy_host_t   hosts[NTT_ENTROPY_HOSTS];
    bool                 has_last;
    ntt_entropy_window_t last;
} summary_t;

struct ntt_entropy {
    ntt_entropy_counts_t  counts;
    ntt_entropy_window_t *timeline;      /* grows to NTT_ENTROPY_TIMELINE */
    unsigned              timeline_count, timeline_cap;
    uint64_t              stride;        /* the timeline keeps every stride-th window */
    summary_t             summary;
    bool                  open;          /* packets since the last window closed */
    int64_t               last_ns;
};

const char *ntt_entropy_dim_key(ntt_entropy_dim_t dim)
{
    static const char *const keys[NTT_ENTROPY_DIMS] = { "src", "dst", "dport" };

    return (unsigned)dim < NTT_ENTROPY_DIMS ? keys[dim] : "";
}

/* The counts' window now, as the timeline keeps it. */
static void snapshot(const ntt_entropy_counts_t *c, int64_t start_ns, int64_t end_ns,
                     ntt_entropy_window_t *w)
{
    memset(w, 0, sizeof *w);
    w->start_ns = start_ns;
    w->end_ns = end_ns;
    w->uncounted = c->uncounted;
    for (int d = 0; d < NTT_ENTROPY_DIMS; d++)
        ntt_entropy_counts_figure(c, (ntt_entropy_dim_t)d, &w->figure[d]);
    w->top_count = ntt_entropy_counts_top(c, w->top, NTT_ENTROPY_TOP_HOSTS);
    for (unsigned i = 0; i < w->top_count; i++)
        w->top[i].window_end_ns = end_ns;
}

static double move_size(const ntt_entropy_move_t *m)
{
    return fabs(m->after.bits - m->before.bits);
}

/* Kept largest first; of two as large, the earlier. */
static void add_move(summary_t *s, const ntt_entropy_move_t *m)
{
    unsigned at;

    if (s->move_count == NTT_ENTROPY_MOVES &&
        !(move_size(m) > move_size(&s->moves[NTT_ENTROPY_MOVES - 1])))
        return;
    if (s->move_count < NTT_ENTROPY_MOVES)
        s->move_count++;
    for (at = s->move_count - 1; at > 0 && move_size(m) > move_size(&s->moves[at - 1]); at--)
        s->moves[at] = s->moves[at - 1];
    s->moves[at] = *m;
}

static bool same_host(const ntt_entropy_host_t *a, const ntt_entropy_host_t *b)
{
    return a->ip_version == b->ip_version &&
           memcmp(a->addr.bytes, b->addr.bytes, sizeof a->addr.bytes) == 0;
}

/* A top receiver of a window: its busiest window is kept. A full book
 * gives the place of its least busy host to a busier one. */
static void add_host(summary_t *s, const ntt_entropy_host_t *h)
{
    unsigned least = 0;

    for (unsigned i = 0; i < s->host_count; i++) {
        if (same_host(&s->hosts[i], h)) {
            uint32_t windows = s->hosts[i].windows + 1;

            if (h->src.packets > s->hosts[i].src.packets)
                s->hosts[i] = *h;
            s->hosts[i].windows = windows;
            return;
        }
        if (s->hosts[i].src.packets < s->hosts[least].src.packets)
            least = i;
    }
    if (s->host_count < NTT_ENTROPY_HOSTS)
        least = s->host_count++;
    else if (h->src.packets <= s->hosts[least].src.packets)
        return;
    s->hosts[least] = *h;
    s->hosts[least].windows = 1;
}

static void absorb(summary_t *s, const ntt_entropy_window_t *w)
{
    s->windows++;
    if (w->uncounted)
        s->full_windows++;
    for (int d = 0; d < NTT_ENTROPY_DIMS; d++) {
        const ntt_entropy_figure_t *f = &w->figure[d];

        if (f->packets >= 2) {
            if (s->dim_windows[d] == 0 || f->normalized < s->lowest[d].normalized)
                s->lowest[d] = *f;
            if (s->dim_windows[d] == 0 || f->normalized > s->highest[d].normalized) {
                s->highest[d] = *f;
                s->highest_end_ns[d] = w->end_ns;
            }
            s->sum_normalized[d] += f->normalized;
            s->dim_windows[d]++;
        }
        if (s->has_last && f->packets > 0 && s->last.figure[d].packets > 0) {
            ntt_entropy_move_t m = {
                .dim = (ntt_entropy_dim_t)d, .before_end_ns = s->last.end_ns,
                .start_ns = w->start_ns, .end_ns = w->end_ns,
                .before = s->last.figure[d], .after = *f,
            };

            add_move(s, &m);
        }
    }
    for (unsigned i = 0; i < w->top_count; i++)
        add_host(s, &w->top[i]);
    s->last = *w;
    s->has_last = true;
}

/* Every stride-th window; a full timeline keeps every other one. */
static void keep(ntt_entropy_t *e, const ntt_entropy_window_t *w)
{
    if ((e->summary.windows - 1) % e->stride != 0)
        return;
    if (e->timeline_count == NTT_ENTROPY_TIMELINE) {
        for (unsigned i = 0; i < NTT_ENTROPY_TIMELINE / 2; i++)
            e->timeline[i] = e->timeline[2 * i];
        e->timeline_count = NTT_ENTROPY_TIMELINE / 2;
        e->stride *= 2;
        if ((e->summary.windows - 1) % e->stride != 0)
            return;
    }
    if (e->timeline_count == e->timeline_cap) {
        e->timeline_cap = e->timeline_cap ? 2 * e->timeline_cap : 16;
        e->timeline = g_renew(ntt_entropy_window_t, e->timeline, e->timeline_cap);
    }
    e->timeline[e->timeline_count++] = *w;
}

static void window_closed(void *ctx, int64_t start_ns, int64_t end_ns)
{
    ntt_entropy_t *e = ctx;
    ntt_entropy_window_t w;

    snapshot(&e->counts, start_ns, end_ns, &w);
    absorb(&e->summary, &w);
    keep(e, &w);
    e->open = false;
}

ntt_entropy_t *ntt_entropy_new(int64_t window_ns, uint32_t max_addresses,
                               ntt_memcap_t *memcap)
{
    ntt_entropy_t *e = g_new0(ntt_entropy_t, 1);

    ntt_entropy_counts_init(&e->counts, window_ns, max_addresses, 2 * max_addresses, memcap);
    e->counts.on_window = window_closed;
    e->counts.on_window_ctx = e;
    e->stride = 1;
    return e;
}

void ntt_entropy_free(ntt_entropy_t *e)
{
    if (!e)
        return;
    ntt_entropy_counts_clear(&e->counts);
    g_free(e->timeline);
    g_free(e);
}

void ntt_entropy_add(ntt_entropy_t *e, const ntt_packet_t *packet)
{
    if (!e || (packet->ip_version != 4 && packet->ip_version != 6))
        return;
    ntt_entropy_counts_add(&e->counts, packet);
    e->open = true;
    if (packet->ts_ns > e->last_ns)
        e->last_ns = packet->ts_ns;
}

/* The normalised entropy of one of an address's sums, -1 if it has none. */
static double normalized_of(const ntt_entropy_t *e, bool has, const ntt_addr_t *addr,
                            uint8_t ip_version, size_t sum_offset)
{
    const ntt_entropy_addr_t *a = has && e ? ntt_entropy_counts_addr(&e->counts, addr, ip_version)
                                           : NULL;
    ntt_entropy_figure_t f;

    if (!a)
        return -1;
    ntt_entropy_sum_figure((const ntt_entropy_sum_t *)(const void *)((const char *)a + sum_offset),
                           &f);
    return f.packets ? f.normalized : -1;
}

/* The detail field of the figure that corroborates an episode of its
 * type, and the figure now; NULL for a type with none. */
static double *measure(const ntt_entropy_t *e, ntt_episode_t *ep, double *now)
{
    switch ((ntt_episode_type_t)ep->type) {
    case NTT_EPISODE_PORTSCAN:
        /* A scan's probes go to many ports of its target. */
        *now = normalized_of(e, ep->has_dst, &ep->dst, ep->ip_version,
                             offsetof(ntt_entropy_addr_t, ports_toward));
        return &ep->detail.portscan.entropy_dport;
    case NTT_EPISODE_SWEEP:
        /* A sweep's to many hosts. */
        *now = normalized_of(e, ep->has_src, &ep->src, ep->ip_version,
                             offsetof(ntt_entropy_addr_t, dsts_from));
        return &ep->detail.sweep.entropy_dst;
    case NTT_EPISODE_SYNFLOOD:
    case NTT_EPISODE_UDPFLOOD:
    case NTT_EPISODE_ICMPFLOOD:
    case NTT_EPISODE_DDOS:
        /* A spoofed or distributed flood's packets come from many sources. */
        *now = normalized_of(e, ep->has_dst, &ep->dst, ep->ip_version,
                             offsetof(ntt_entropy_addr_t, srcs_toward));
        return &ep->detail.flood.entropy_src;
    default:
        return NULL;
    }
}

void ntt_entropy_corroborate(const ntt_entropy_t *e, ntt_episode_t *ep, bool ip_packet)
{
    double now;
    double *field = measure(e, ep, &now);

    if (field)
        *field = ip_packet ? now : -1;
}

void ntt_entropy_remeasure(const ntt_entropy_t *e, ntt_episode_t *ep)
{
    double now;
    double *field = ep ? measure(e, ep, &now) : NULL;

    if (field && now > *field)
        *field = now;
}

static int host_order(const void *pa, const void *pb)
{
    const ntt_entropy_host_t *a = pa, *b = pb;

    if (a->src.packets != b->src.packets)
        return a->src.packets > b->src.packets ? -1 : 1;
    if (a->ip_version != b->ip_version)
        return a->ip_version < b->ip_version ? -1 : 1;
    return memcmp(a->addr.bytes, b->addr.bytes, sizeof a->addr.bytes);
}

void ntt_entropy_view(const ntt_entropy_t *e, ntt_entropy_view_t *view)
{
    summary_t s;

    memset(view, 0, sizeof *view);
    if (!e)
        return;
    s = e->summary;
    view->window_ns = e->counts.window_ns;
    view->max_addresses = e->counts.max_addresses;
    view->max_pairs = e->counts.max_pairs;
    view->timeline = e->timeline;
    view->timeline_count = e->timeline_count;
    view->stride = e->stride;
    /* The window the last packet is in has not closed: read as it is. */
    if (e->open) {
        snapshot(&e->counts, ntt_entropy_counts_start(&e->counts), e->last_ns, &view->open);
        view->has_open = true;
        absorb(&s, &view->open);
    }
    view->windows = s.windows;
    view->full_windows = s.full_windows;
    view->uncounted = e->counts.uncounted_total;
    for (int d = 0; d < NTT_ENTROPY_DIMS; d++) {
        view->lowest[d] = s.lowest[d];
        view->highest[d] = s.highest[d];
        view->highest_end_ns[d] = s.highest_end_ns[d];
        view->mean_normalized[d] = s.dim_windows[d]
            ? s.sum_normalized[d] / (double)s.dim_windows[d] : 0.0;
    }
    view->move_count = s.move_count;
    memcpy(view->moves, s.moves, sizeof s.moves);
    view->host_count = s.host_count;
    memcpy(view->hosts, s.hosts, sizeof s.hosts);
    qsort(view->hosts, view->host_count, sizeof view->hosts[0], host_order);
}
