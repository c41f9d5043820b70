/* report.c
 * Gathers the statistics of -z ntt,stats / ntt,json, one packet at a time.
 * Tables are capped: the flows array is as large as the engine's flow
 * record (one small entry per flow id), the talkers table holds at most
 * limits.max_talkers addresses and counts the rest as "(other)".
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/hash.h"

void ntt_report_limits_init(ntt_report_limits_t *limits)
{
    limits->max_talkers = 100000;
    limits->top_n = 10;
    limits->bin_seconds = 1;
    /* An hour of 1-second bins (115 KiB) before the timeline coarsens. */
    limits->timeline_bins = 3600;
}

/* The key of a talker: its address, version and zero padding. */
#define TALKER_KEY_SIZE (offsetof(ntt_talker_t, zero) + sizeof(((ntt_talker_t *)0)->zero) - \
                         offsetof(ntt_talker_t, addr))

static void talkers_init(ntt_report_t *report, uint64_t seed)
{
    ntt_hash_table_init(&report->talkers,
                        offsetof(ntt_talker_t, addr) - offsetof(ntt_talker_t, link),
                        TALKER_KEY_SIZE, seed, NULL);
}

static void free_talker(ntt_hash_link_t *link, void *ctx)
{
    (void)ctx;
    g_free(NTT_HASH_ENTRY(link, ntt_talker_t, link));
}

static void report_alloc(ntt_report_t *report)
{
    report->services = g_new0(ntt_counts_t, ntt_service_count());
    report->service_flows = g_new0(uint64_t, ntt_service_count());
    report->flows = g_array_new(FALSE, TRUE, sizeof(ntt_report_flow_t));
    talkers_init(report, NTT_HASH_DEFAULT_SEED);
    ntt_time_profile_init(&report->time,
                          (int64_t)MAX(report->limits.bin_seconds, 1u) * NTT_NS_PER_SEC,
                          report->limits.timeline_bins);
}

static void report_release(ntt_report_t *report)
{
    ntt_engine_unref(report->engine);
    report->engine = NULL;
    g_free(report->services);
    g_free(report->service_flows);
    if (report->flows)
        g_array_free(report->flows, TRUE);
    ntt_hash_table_drain(&report->talkers, free_talker, NULL);
    ntt_report_geo_free(report->geo);
    report->geo = NULL;
    ntt_time_profile_clear(&report->time);
}

ntt_report_t *ntt_report_new(const ntt_report_limits_t *limits,
                             const char *filter)
{
    ntt_report_t *report = g_new0(ntt_report_t, 1);

    if (limits)
        report->limits = *limits;
    else
        ntt_report_limits_init(&report->limits);
    if (report->limits.top_n == 0 || report->limits.bin_seconds == 0 ||
        report->limits.timeline_bins == 0) {
        ntt_report_limits_t defaults;

        ntt_report_limits_init(&defaults);
        if (report->limits.top_n == 0)
            report->limits.top_n = defaults.top_n;
        if (report->limits.bin_seconds == 0)
            report->limits.bin_seconds = defaults.bin_seconds;
        if (report->limits.timeline_bins == 0)
            report->limits.timeline_bins = defaults.timeline_bins;
    }
    report->filter = g_strdup(filter && *filter ? filter : NULL);
    report_alloc(report);
    return report;
}

void ntt_report_free(ntt_report_t *report)
{
    if (!report)
        return;
    report_release(report);
    g_free(report->filter);
    g_free(report);
}

void ntt_report_reset(ntt_report_t *report)
{
    ntt_report_limits_t limits = report->limits;
    char *filter = report->filter;

    report_release(report);
    memset(report, 0, sizeof *report);
    report->limits = limits;
    report->filter = filter;
    report_alloc(report);
}

static ntt_mix_t mix_of(const ntt_frame_t *frame, const ntt_flow_summary_t *flow)
{
    if (!frame || !frame->has_flow || !flow)
        return NTT_MIX_NON_IP;
    switch (flow->ip_proto) {
    case NTT_IPPROTO_TCP:
        return NTT_MIX_TCP;
    case NTT_IPPROTO_UDP:
        return NTT_MIX_UDP;
    case NTT_IPPROTO_ICMP:
    case NTT_IPPROTO_ICMPV6:
        return NTT_MIX_ICMP;
    default:
        return NTT_MIX_OTHER_IP;
    }
}

const char *ntt_report_protocol_class(const ntt_engine_t *engine,
                                      const ntt_frame_t *frame)
{
    const ntt_flow_summary_t *flow = NULL;

    if (frame && frame->has_flow)
        flow = ntt_engine_flow(engine, frame->flow.flow_id);
    return ntt_mix_name(mix_of(frame, flow));
}

static void count_rate(ntt_report_t *report, int64_t ts_ns)
{
    ntt_bin_counter_add(&report->rate, (ts_ns - report->first_ns) / NTT_NS_PER_SEC, NULL);
}

/* The talker of addr, or NULL; probe and *hash are what an insert needs.
 * Twice a packet (count_flow()): the key's size is a constant here, so
 * the hash and the comparison are inlined. */
static ntt_talker_t *find_talker(const ntt_report_t *report, const ntt_addr_t *addr,
                                 uint8_t ip_version, ntt_talker_t *probe, uint32_t *hash)
{
    ntt_hash_link_t *link;

    memset(probe, 0, sizeof *probe);
    probe->addr = *addr;
    probe->ip_version = ip_version;
    *hash = ntt_hash_table_hash_sized(&report->talkers, &probe->addr, TALKER_KEY_SIZE);
    link = ntt_hash_table_find_sized(&report->talkers, &probe->addr, *hash, TALKER_KEY_SIZE);
    return link ? NTT_HASH_ENTRY(link, ntt_talker_t, link) : NULL;
}

static ntt_talker_t *talker_for(ntt_report_t *report, const ntt_addr_t *addr,
                                uint8_t ip_version)
{
    ntt_talker_t probe, *talker;
    uint32_t hash;

    talker = find_talker(report, addr, ip_version, &probe, &hash);
    if (talker)
        return talker;
    if (report->talkers.count >= report->limits.max_talkers) {
        report->talkers_full = true;
        return &report->other_talkers;
    }
    talker = g_new(ntt_talker_t, 1);
    *talker = probe;
    ntt_hash_table_insert(&report->talkers, &talker->link, hash);
    return talker;
}

const ntt_talker_t *ntt_report_flow_talker(const ntt_report_t *report,
                                           const ntt_flow_summary_t *flow, ntt_dir_t end)
{
    ntt_talker_t probe;
    uint32_t hash;

    return find_talker(report, end == NTT_DIR_ORIG ? &flow->orig_addr : &flow->resp_addr,
                       flow->ip_version, &probe, &hash);
}

static void count_flow(ntt_report_t *report, const ntt_frame_t *frame,
                       const ntt_flow_summary_t *flow, uint32_t frame_len,
                       bool off_hours)
{
    const ntt_flow_result_t *result = &frame->flow;
    ntt_report_flow_t *entry;
    ntt_talker_t *talker[2], *sender, *receiver;

    if (result->flow_id >= report->flows->len)
        g_array_set_size(report->flows, result->flow_id + 1);
    entry = &g_array_index(report->flows, ntt_report_flow_t, result->flow_id);
    if (!ntt_report_flow_seen(entry)) {
        report->flows_seen++;
        report->service_flows[flow->service]++;
    }
    /* Originator first, as on the flow's first packet: when the table
     * filled there, the same end got the last place. Nothing leaves the
     * table, so every later packet finds the ends where the first did. */
    talker[NTT_DIR_ORIG] = talker_for(report, &flow->orig_addr, flow->ip_version);
    talker[NTT_DIR_RESP] = talker_for(report, &flow->resp_addr, flow->ip_version);
    entry->pkts++;
    entry->bytes += frame_len;
    report->services[flow->service].pkts++;
    report->services[flow->service].bytes += frame_len;

    sender = talker[result->dir];
    receiver = talker[!result->dir];
    sender->pkts_sent++;
    sender->bytes_sent += frame_len;
    receiver->pkts_received++;
    receiver->bytes_received += frame_len;
    if (off_hours) {
        sender->off_hours_pkts++;
        sender->off_hours_bytes += frame_len;
        receiver->off_hours_pkts++;
        receiver->off_hours_bytes += frame_len;
    }
    if (report->geo)
        ntt_report_geo_count(report->geo, ntt_engine_geo(report->engine), flow->geo,
                             frame_len);
}

void ntt_report_add(ntt_report_t *report, ntt_engine_t *engine,
                    int64_t ts_ns, uint32_t frame_len,
                    const ntt_frame_t *frame)
{
    const ntt_flow_summary_t *flow = NULL;
    ntt_mix_t mix;
    bool off_hours;

    /* Flow ids index the engine that made them: a new engine (a new file)
     * means the old counts no longer name anything. */
    if (engine != report->engine) {
        if (report->engine)
            ntt_report_reset(report);
        report->engine = ntt_engine_ref(engine);
        /* Addresses are the traffic's: the engine's seed (the table is
         * empty here). */
        talkers_init(report, ntt_engine_hash_seed(engine));
        if (ntt_engine_geo(engine))
            report->geo = ntt_report_geo_new();
        ntt_report_time_start(report);
    }

    if (frame && frame->has_flow)
        flow = ntt_engine_flow(engine, frame->flow.flow_id);

    if (report->packets == 0) {
        report->first_ns = report->last_ns = ts_ns;
    } else {
        if (ts_ns < report->first_ns)
            report->first_ns = ts_ns;
        if (ts_ns > report->last_ns)
            report->last_ns = ts_ns;
    }
    report->packets++;
    report->bytes += frame_len;
    count_rate(report, ts_ns);
    off_hours = ntt_report_time_count(report, ts_ns, frame_len, frame);

    mix = mix_of(frame, flow);
    report->mix[mix].pkts++;
    report->mix[mix].bytes += frame_len;
    if (flow)
        count_flow(report, frame, flow, frame_len, off_hours);
}

static int compare_ranked(const void *a, const void *b)
{
    const ntt_ranked_t *ra = a, *rb = b;

    if (ra->bytes != rb->bytes)
        return ra->bytes > rb->bytes ? -1 : 1;
    return ra->index < rb->index ? -1 : (ra->index > rb->index);
}

unsigned ntt_report_top_flows(const ntt_report_t *report, ntt_ranked_t *top,
                              unsigned n)
{
    unsigned filled = 0;

    /* Insertion into a small sorted array: O(flows x n), n is 10. */
    for (uint32_t id = 0; id < report->flows->len; id++) {
        const ntt_report_flow_t *f =
            &g_array_index(report->flows, ntt_report_flow_t, id);
        ntt_ranked_t candidate = { id, f->bytes };
        unsigned pos;

        if (!ntt_report_flow_seen(f))
            continue;
        if (filled == n && compare_ranked(&candidate, &top[n - 1]) >= 0)
            continue;
        pos = filled < n ? filled++ : n - 1;
        while (pos > 0 && compare_ranked(&candidate, &top[pos - 1]) < 0) {
            top[pos] = top[pos - 1];
            pos--;
        }
        top[pos] = candidate;
    }
    return filled;
}

int ntt_talker_compare_address(const ntt_talker_t *a, const ntt_talker_t *b)
{
    if (a->ip_version != b->ip_version)
        return a->ip_version < b->ip_version ? -1 : 1;
    return memcmp(a->addr.bytes, b->addr.bytes, sizeof a->addr.bytes);
}

static int compare_talkers(const void *a, const void *b)
{
    const ntt_talker_t *ta = *(ntt_talker_t *const *)a;
    const ntt_talker_t *tb = *(ntt_talker_t *const *)b;
    uint64_t bytes_a = ta->bytes_sent + ta->bytes_received;
    uint64_t bytes_b = tb->bytes_sent + tb->bytes_received;

    if (bytes_a != bytes_b)
        return bytes_a > bytes_b ? -1 : 1;
    return ntt_talker_compare_address(ta, tb);
}

ntt_talker_t **ntt_report_sorted_talkers(const ntt_report_t *report,
                                         unsigned *count)
{
    ntt_hash_link_t *cursor = NULL, *link;
    unsigned n = report->talkers.count, i = 0;
    ntt_talker_t **sorted = g_new(ntt_talker_t *, n + 1);

    /* The table's order follows the seed; the sort (a total order: no two
     * talkers share an address) makes the output not. */
    while ((link = ntt_hash_table_next(&report->talkers, &cursor)) != NULL)
        sorted[i++] = NTT_HASH_ENTRY(link, ntt_talker_t, link);
    qsort(sorted, n, sizeof sorted[0], compare_talkers);
    *count = n;
    return sorted;
}

void ntt_report_flows_by_state(const ntt_report_t *report,
                               uint64_t by_state[NTT_STATE_COUNT])
{
    memset(by_state, 0, NTT_STATE_COUNT * sizeof by_state[0]);
    for (uint32_t id = 0; id < report->flows->len; id++) {
        const ntt_flow_summary_t *flow;

        if (!ntt_report_flow_seen(&g_array_index(report->flows, ntt_report_flow_t, id)))
            continue;
        flow = ntt_engine_flow(report->engine, id);
        if (flow && flow->state < NTT_STATE_COUNT)
            by_state[flow->state]++;
    }
}

const char *ntt_mix_name(ntt_mix_t mix)
{
    static const char *const names[NTT_MIX_COUNT] = {
        "TCP", "UDP", "ICMP", "Other IP", "Non-IP",
    };

    return (unsigned)mix < NTT_MIX_COUNT ? names[mix] : "";
}

double ntt_report_duration(const ntt_report_t *report)
{
    if (report->packets < 2)
        return 0.0;
    return (double)(report->last_ns - report->first_ns) / 1e9;
}

const char *ntt_ip_proto_name(uint8_t ip_proto, char *buf, size_t size)
{
    switch (ip_proto) {
    case NTT_IPPROTO_TCP:    return "tcp";
    case NTT_IPPROTO_UDP:    return "udp";
    case NTT_IPPROTO_ICMP:   return "icmp";
    case NTT_IPPROTO_ICMPV6: return "icmpv6";
    case NTT_IPPROTO_SCTP:   return "sctp";
    default:
        snprintf(buf, size, "%u", ip_proto);
        return buf;
    }
}

char *ntt_format_flow_end(const ntt_flow_summary_t *f, ntt_dir_t end, char *buf, size_t size)
{
    char a[NTT_ADDR_STRLEN];

    ntt_addr_format(end == NTT_DIR_ORIG ? &f->orig_addr : &f->resp_addr, f->ip_version, a);
    if (f->ip_proto == NTT_IPPROTO_TCP || f->ip_proto == NTT_IPPROTO_UDP ||
        f->ip_proto == NTT_IPPROTO_SCTP)
        snprintf(buf, size, f->ip_version == 6 ? "[%s]:%u" : "%s:%u", a,
                 end == NTT_DIR_ORIG ? f->orig_port : f->resp_port);
    else
        snprintf(buf, size, "%s", a);
    return buf;
}

char *ntt_format_utc(int64_t ts_ns, char *buf, size_t size)
{
    int64_t secs = ts_ns / NTT_NS_PER_SEC;
    int64_t frac = ts_ns % NTT_NS_PER_SEC;
    time_t t;
    struct tm tm;

    if (frac < 0) {
        frac += NTT_NS_PER_SEC;
        secs--;
    }
    t = (time_t)secs;
    if (!gmtime_r(&t, &tm)) {
        snprintf(buf, size, "?");
        return buf;
    }
    snprintf(buf, size, "%04d-%02d-%02d %02d:%02d:%02d.%06d",
             tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
             tm.tm_hour, tm.tm_min, tm.tm_sec, (int)(frac / 1000));
    return buf;
}
