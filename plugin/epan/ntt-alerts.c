/* ntt-alerts.c
 * The detectors in Wireshark: ntt.alert.* fields on the packets of each
 * attack episode, one expert item per episode at its detection frame, and
 * a preference for every threshold (docs/detectors.md).
 *
 * On the first pass a packet shows the episodes already detected; once
 * the whole file has been read (later passes) every packet of an episode
 * shows it, also those before the detection (ntt_engine_frame_episodes).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-alerts.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <epan/expert.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <wsutil/report_message.h>

#include "ntt-compat.h"

static int hf_alert = -1;
static int hf_alert_type = -1;
static int hf_alert_src = -1;
static int hf_alert_dst = -1;
static int hf_alert_src6 = -1;
static int hf_alert_dst6 = -1;
static int hf_alert_port = -1;
static int hf_alert_episode = -1;
static int hf_alert_first = -1;
static int hf_alert_raised = -1;
static int hf_alert_count = -1;
static int hf_alert_ports = -1;
static int hf_alert_hosts = -1;
static int hf_alert_dst_net = -1;
static int hf_alert_sources = -1;
static int hf_alert_half_open = -1;
static int hf_alert_attempts = -1;
static int hf_alert_rate = -1;
static int hf_alert_misuse = -1;
static int hf_alert_country = -1;
static int hf_alert_asn = -1;
static int hf_alert_org = -1;
static int hf_alert_direction = -1;
static int hf_alert_usual_rate = -1;
static int hf_alert_when = -1;
static int hf_alert_entropy_src = -1;
static int hf_alert_entropy_dst = -1;
static int hf_alert_entropy_dport = -1;
static int hf_blocklist_entry = -1;
static int hf_blocklist_indicator = -1;
static int hf_blocklist_line = -1;
static int hf_blocklist_host = -1;
static int hf_blocklist_host6 = -1;
static int hf_blocklist_bytes = -1;
static int hf_blocklist_uri = -1;
static int hf_alert_anomaly = -1;
static int hf_alert_flow = -1;

static gint ett_alert = -1;

/* One expert field per type, so -z expert groups them. */
static expert_field ei_alert[NTT_EPISODE_TYPE_COUNT] = {
    EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT, EI_INIT,
    EI_INIT, EI_INIT, EI_INIT,
};
static expert_field ei_trackers_full = EI_INIT;

/* How a preference's whole number maps onto its ntt_detect_config_t
 * field: a count, a time in seconds or milliseconds (the field holds
 * nanoseconds), a percentage (the field holds a fraction), a rate. */
typedef enum {
    UNIT_COUNT,      /* uint32_t */
    UNIT_SECONDS,    /* int64_t ns */
    UNIT_MS,         /* int64_t ns */
    UNIT_PERCENT,    /* double, 0..1 */
    UNIT_RATE,       /* double, per second */
} pref_unit_t;

/* Preferences, in the units a person types. */
typedef struct uint_pref {
    const char *name;
    const char *title;
    const char *description;
    guint       value;
    guint       fallback;   /* the default, kept when a value is refused */
    guint       max;        /* 0: no upper bound */
    size_t      offset;     /* of the field in ntt_detect_config_t */
    pref_unit_t unit;
} uint_pref_t;

enum {
    P_MAX_TRACKERS, P_REPLY_TIMEOUT_MS,
    P_PORTSCAN_PORTS, P_PORTSCAN_WINDOW,
    P_SWEEP_THETA0, P_SWEEP_THETA1, P_SWEEP_ALPHA, P_SWEEP_BETA,
    P_SWEEP_HOSTS, P_SWEEP_BURST, P_SWEEP_WINDOW,
    P_SYNFLOOD_RATE, P_SYNFLOOD_HALF_OPEN, P_SYNFLOOD_COMPLETION,
    P_FLOOD_WINDOW_MS,
    P_UDPFLOOD_RATE, P_UDPFLOOD_UNANSWERED, P_ICMPFLOOD_RATE,
    P_FLOOD_BASELINE_FACTOR, P_FLOOD_BASELINE_WINDOWS,
    P_DDOS_SOURCES, P_DDOS_RATE, P_DDOS_WINDOW,
    P_BRUTEFORCE_ATTEMPTS, P_BRUTEFORCE_WINDOW,
    P_BRUTEFORCE_SLOW_ATTEMPTS, P_BRUTEFORCE_SLOW_WINDOW,
    P_BIG_ECHO_BYTES, P_MISUSE_WINDOW,
    P_SURGE_FACTOR, P_SURGE_RATE, P_SURGE_WINDOW, P_SURGE_BASELINE_WINDOWS,
    P_SURGE_LEARN_WINDOWS, P_SURGE_SUSTAIN,
    P_COUNT
};

static uint_pref_t detector_prefs[P_COUNT] = {
    [P_MAX_TRACKERS] = { "max_trackers", "Attack trackers per detector at most",
        "Sources, targets or pairs each detector follows at once; beyond it "
        "the least recently seen is evicted (an expert note says so)", 0, 0, 0,
        offsetof(ntt_detect_config_t, max_trackers), UNIT_COUNT },

    [P_REPLY_TIMEOUT_MS] = { "reply_timeout_ms", "Probe reply timeout (ms)",
        "A probe with no answer after this many milliseconds counts as failed "
        "(port scans, sweeps)", 0, 0, 0,
        offsetof(ntt_detect_config_t, reply_timeout_ns), UNIT_MS },

    [P_PORTSCAN_PORTS] = { "portscan_ports", "Port scan: distinct ports",
        "Failed or unanswered ports of one host, from one source, that make "
        "a port scan", 0, 0, 0,
        offsetof(ntt_detect_config_t, portscan_ports), UNIT_COUNT },

    [P_PORTSCAN_WINDOW] = { "portscan_window", "Port scan: window (s)",
        "Sliding window, in seconds, in which the ports are counted", 0, 0, 0,
        offsetof(ntt_detect_config_t, portscan_window_ns), UNIT_SECONDS },

    [P_SWEEP_THETA0] = { "sweep_theta0", "Sweep: P(success) of a benign host (%)",
        "Threshold Random Walk: chance, in percent, that a benign source's first "
        "contact succeeds", 0, 0, 99,
        offsetof(ntt_detect_config_t, sweep_theta0), UNIT_PERCENT },

    [P_SWEEP_THETA1] = { "sweep_theta1", "Sweep: P(success) of a scanner (%)",
        "Threshold Random Walk: chance, in percent, that a scanner's first "
        "contact succeeds; below sweep_theta0", 0, 0, 99,
        offsetof(ntt_detect_config_t, sweep_theta1), UNIT_PERCENT },

    [P_SWEEP_ALPHA] = { "sweep_alpha", "Sweep: false positive bound (%)",
        "Threshold Random Walk: the false positive probability aimed at, in percent", 0, 0, 99,
        offsetof(ntt_detect_config_t, sweep_alpha), UNIT_PERCENT },

    [P_SWEEP_BETA] = { "sweep_beta", "Sweep: detection probability (%)",
        "Threshold Random Walk: the detection probability aimed at, in percent; "
        "above sweep_alpha", 0, 0, 99,
        offsetof(ntt_detect_config_t, sweep_beta), UNIT_PERCENT },

    [P_SWEEP_HOSTS] = { "sweep_hosts", "Sweep: distinct failed hosts (backstop)",
        "Failed first contacts to distinct hosts that make a sweep whatever "
        "the random walk says", 0, 0, 0,
        offsetof(ntt_detect_config_t, sweep_hosts), UNIT_COUNT },

    [P_SWEEP_BURST] = { "sweep_burst", "Sweep: burst of unanswered first contacts",
        "First contacts to distinct hosts of one /24 (IPv4) or /64 (IPv6), each "
        "within the reply timeout of the first and none answered, that make a sweep "
        "at once", 0, 0, 0,
        offsetof(ntt_detect_config_t, sweep_burst), UNIT_COUNT },

    [P_SWEEP_WINDOW] = { "sweep_window", "Sweep: window (s)",
        "Sliding window, in seconds, in which hosts are counted", 0, 0, 0,
        offsetof(ntt_detect_config_t, sweep_window_ns), UNIT_SECONDS },

    [P_SYNFLOOD_RATE] = { "synflood_rate", "SYN flood: SYN/s",
        "SYNs a second to one host:port over the flood window", 0, 0, 0,
        offsetof(ntt_detect_config_t, synflood_rate), UNIT_RATE },

    [P_SYNFLOOD_HALF_OPEN] = { "synflood_half_open", "SYN flood: half-open connections",
        "SYNs to one host:port not completed by a handshake", 0, 0, 0,
        offsetof(ntt_detect_config_t, synflood_half_open), UNIT_COUNT },

    [P_SYNFLOOD_COMPLETION] = { "synflood_completion", "SYN flood: completion at most (%)",
        "Share of SYNs that complete the handshake, in percent, at most", 0, 0, 100,
        offsetof(ntt_detect_config_t, synflood_completion), UNIT_PERCENT },

    [P_FLOOD_WINDOW_MS] = { "flood_window_ms", "Floods: rate window (ms)",
        "Sliding window, in milliseconds, over which flood rates are measured", 0, 0, 0,
        offsetof(ntt_detect_config_t, flood_window_ns), UNIT_MS },

    [P_UDPFLOOD_RATE] = { "udpflood_rate", "UDP flood: packets/s",
        "UDP datagrams a second toward one host", 0, 0, 0,
        offsetof(ntt_detect_config_t, udpflood_rate), UNIT_RATE },

    [P_UDPFLOOD_UNANSWERED] = { "udpflood_unanswered", "UDP flood: unanswered share (%)",
        "Share of the datagrams that draw no UDP answer, in percent, at least", 0, 0, 100,
        offsetof(ntt_detect_config_t, udpflood_unanswered), UNIT_PERCENT },

    [P_ICMPFLOOD_RATE] = { "icmpflood_rate", "ICMP flood: packets/s",
        "ICMP messages a second toward one host", 0, 0, 0,
        offsetof(ntt_detect_config_t, icmpflood_rate), UNIT_RATE },

    [P_FLOOD_BASELINE_FACTOR] = { "flood_baseline_factor", "UDP/ICMP flood: times the usual rate (x)",
        "A UDP or ICMP flood must also reach this many times the host's usual rate "
        "(its average over the baseline windows)", 0, 0, 0,
        offsetof(ntt_detect_config_t, flood_baseline_factor), UNIT_COUNT },

    [P_FLOOD_BASELINE_WINDOWS] = { "flood_baseline_windows", "UDP/ICMP flood: usual rate horizon (windows)",
        "Flood windows over which a host's usual rate is averaged (moving average "
        "of weight 1/windows); windows where it looked flooded are not learnt", 0, 0, 0,
        offsetof(ntt_detect_config_t, flood_baseline_windows), UNIT_COUNT },

    [P_DDOS_SOURCES] = { "ddos_sources", "DDoS: distinct sources",
        "Distinct sources toward one host in the DDoS window", 0, 0, 0,
        offsetof(ntt_detect_config_t, ddos_sources), UNIT_COUNT },

    [P_DDOS_RATE] = { "ddos_rate", "DDoS: new flows/s",
        "Flows opened a second toward that host, at least", 0, 0, 0,
        offsetof(ntt_detect_config_t, ddos_rate), UNIT_RATE },

    [P_DDOS_WINDOW] = { "ddos_window", "DDoS: window (s)",
        "Sliding window, in seconds, in which sources are counted", 0, 0, 0,
        offsetof(ntt_detect_config_t, ddos_window_ns), UNIT_SECONDS },

    [P_BRUTEFORCE_ATTEMPTS] = { "bruteforce_attempts", "Brute force: connections",
        "Connections from one source to one authentication service", 0, 0, 0,
        offsetof(ntt_detect_config_t, bruteforce_attempts), UNIT_COUNT },

    [P_BRUTEFORCE_WINDOW] = { "bruteforce_window", "Brute force: window (s)",
        "Sliding window, in seconds, in which they are counted", 0, 0, 0,
        offsetof(ntt_detect_config_t, bruteforce_window_ns), UNIT_SECONDS },

    [P_BRUTEFORCE_SLOW_ATTEMPTS] = { "bruteforce_slow_attempts",
        "Brute force: failed logins (slow)",
        "Failed logins, as the wire shows them (SSH connections shaped like a "
        "refused login, FTP 530 replies), from one source to one authentication "
        "service", 0, 0, 0,
        offsetof(ntt_detect_config_t, bruteforce_slow_attempts), UNIT_COUNT },

    [P_BRUTEFORCE_SLOW_WINDOW] = { "bruteforce_slow_window",
        "Brute force: slow window (s)",
        "Sliding window, in seconds, in which the failed logins are counted", 0, 0, 0,
        offsetof(ntt_detect_config_t, bruteforce_slow_window_ns), UNIT_SECONDS },

    [P_BIG_ECHO_BYTES] = { "big_echo_bytes", "Oversized ICMP echo (bytes)",
        "ICMP echo payloads longer than this many bytes are protocol misuse", 0, 0, 0,
        offsetof(ntt_detect_config_t, big_echo_bytes), UNIT_COUNT },
    [P_MISUSE_WINDOW] = { "misuse_window", "Misuse: episode gap (s)",
        "A source that misuses no protocol for this many seconds ends its "
        "flags episode", 0, 0, 0,
        offsetof(ntt_detect_config_t, misuse_window_ns), UNIT_SECONDS },

    [P_SURGE_FACTOR] = { "surge_factor", "Surge: times the usual rate (x)",
        "A host's sending or receiving rate this many times its usual rate is a surge "
        "(only with ntt.work_hours set)", 0, 0, 0,
        offsetof(ntt_detect_config_t, surge_factor), UNIT_COUNT },
    [P_SURGE_RATE] = { "surge_rate", "Surge: packets/s at least",
        "A surge's rate must also reach this many packets a second", 0, 0, 0,
        offsetof(ntt_detect_config_t, surge_rate), UNIT_RATE },
    [P_SURGE_WINDOW] = { "surge_window", "Surge: rate window (s)",
        "Sliding window, in seconds, of a host's rate, and the width of the whole "
        "windows its usual rate is learnt in", 0, 0, 0,
        offsetof(ntt_detect_config_t, surge_window_ns), UNIT_SECONDS },
    [P_SURGE_BASELINE_WINDOWS] = { "surge_baseline_windows",
        "Surge: usual rate horizon (windows)",
        "Surge windows over which a host's usual rate is averaged (moving average of "
        "weight 1/windows); windows in which it surged are not learnt", 0, 0, 0,
        offsetof(ntt_detect_config_t, surge_baseline_windows), UNIT_COUNT },
    [P_SURGE_LEARN_WINDOWS] = { "surge_learn_windows", "Surge: history needed (windows)",
        "Whole surge windows of a host's history before it can surge", 0, 0, 0,
        offsetof(ntt_detect_config_t, surge_learn_windows), UNIT_COUNT },
    [P_SURGE_SUSTAIN] = { "surge_sustain", "Surge: sustained for (s)",
        "Seconds the rate must stay above the threshold before a surge is raised, "
        "and below it before the surge is over", 0, 0, 0,
        offsetof(ntt_detect_config_t, surge_sustain_ns), UNIT_SECONDS },
};

static ntt_pref_bool_t pref_detect = TRUE;

#define MS_NS  INT64_C(1000000)
#define SEC_NS INT64_C(1000000000)

/* Reads a preference's field from config, in the preference's units. */
static guint field_to_pref(const ntt_detect_config_t *c, const uint_pref_t *p)
{
    const char *field = (const char *)c + p->offset;

    switch (p->unit) {
    case UNIT_SECONDS:
        return (guint)(*(const int64_t *)(const void *)field / SEC_NS);
    case UNIT_MS:
        return (guint)(*(const int64_t *)(const void *)field / MS_NS);
    case UNIT_PERCENT:
        return (guint)(*(const double *)(const void *)field * 100 + 0.5);
    case UNIT_RATE:
        return (guint)*(const double *)(const void *)field;
    case UNIT_COUNT:
    default:
        return *(const uint32_t *)(const void *)field;
    }
}

static void pref_to_field(ntt_detect_config_t *c, const uint_pref_t *p)
{
    char *field = (char *)c + p->offset;

    switch (p->unit) {
    case UNIT_SECONDS:
        *(int64_t *)(void *)field = (int64_t)p->value * SEC_NS;
        break;
    case UNIT_MS:
        *(int64_t *)(void *)field = (int64_t)p->value * MS_NS;
        break;
    case UNIT_PERCENT:
        *(double *)(void *)field = p->value / 100.0;
        break;
    case UNIT_RATE:
        *(double *)(void *)field = p->value;
        break;
    case UNIT_COUNT:
    default:
        *(uint32_t *)(void *)field = p->value;
        break;
    }
}

void ntt_alerts_config(ntt_detect_config_t *c)
{
    c->enabled = pref_detect ? true : false;
    for (int i = 0; i < P_COUNT; i++)
        pref_to_field(c, &detector_prefs[i]);
}

/* A zero (or a share above 100 %) would switch a detector off or make it
 * fire on everything by accident: say so and keep the default. The two
 * orderings the random walk needs are checked as well. */
void ntt_alerts_check_prefs(void)
{
    for (int i = 0; i < P_COUNT; i++) {
        uint_pref_t *p = &detector_prefs[i];

        if (p->value == 0 || (p->max && p->value > p->max)) {
            if (p->max)
                report_failure("ntt: preference ntt.%s must be between 1 and %u; "
                               "using %u", p->name, p->max, p->fallback);
            else
                report_failure("ntt: preference ntt.%s must be at least 1; "
                               "using %u", p->name, p->fallback);
            p->value = p->fallback;
        }
    }
    if (detector_prefs[P_SWEEP_THETA1].value >= detector_prefs[P_SWEEP_THETA0].value) {
        report_failure("ntt: ntt.sweep_theta1 (%u) must be below ntt.sweep_theta0 "
                       "(%u); using %u and %u", detector_prefs[P_SWEEP_THETA1].value,
                       detector_prefs[P_SWEEP_THETA0].value, detector_prefs[P_SWEEP_THETA1].fallback,
                       detector_prefs[P_SWEEP_THETA0].fallback);
        detector_prefs[P_SWEEP_THETA1].value = detector_prefs[P_SWEEP_THETA1].fallback;
        detector_prefs[P_SWEEP_THETA0].value = detector_prefs[P_SWEEP_THETA0].fallback;
    }
    if (detector_prefs[P_SWEEP_ALPHA].value >= detector_prefs[P_SWEEP_BETA].value) {
        report_failure("ntt: ntt.sweep_alpha (%u) must be below ntt.sweep_beta "
                       "(%u); using %u and %u", detector_prefs[P_SWEEP_ALPHA].value,
                       detector_prefs[P_SWEEP_BETA].value, detector_prefs[P_SWEEP_ALPHA].fallback,
                       detector_prefs[P_SWEEP_BETA].fallback);
        detector_prefs[P_SWEEP_ALPHA].value = detector_prefs[P_SWEEP_ALPHA].fallback;
        detector_prefs[P_SWEEP_BETA].value = detector_prefs[P_SWEEP_BETA].fallback;
    }
}

static proto_item *generated(proto_item *item)
{
    proto_item_set_generated(item);
    return item;
}

static void add_address(proto_tree *tree, tvbuff_t *tvb, int hf4, int hf6,
                        const ntt_episode_t *ep, const ntt_addr_t *addr)
{
    if (ep->ip_version == 4) {
        guint32 v4;

        memcpy(&v4, addr->bytes, 4);      /* network order, as Wireshark wants */
        generated(proto_tree_add_ipv4(tree, hf4, tvb, 0, 0, v4));
    } else {
        generated(proto_tree_add_ipv6(tree, hf6, tvb, 0, 0,
                                      (const ws_in6_addr *)addr->bytes));
    }
}

/* Where the attacker is, when the databases know: a country, an AS. */
static void add_attacker_geo(proto_tree *tree, tvbuff_t *tvb,
                             const ntt_engine_t *engine, const ntt_episode_t *ep)
{
    const ntt_geo_info_t *info = ntt_engine_attacker_geo(engine, ep);

    if (!info)
        return;
    if (info->country[0])
        generated(proto_tree_add_string(tree, hf_alert_country, tvb, 0, 0, info->country));
    if (info->asn)
        generated(proto_tree_add_uint(tree, hf_alert_asn, tvb, 0, 0, info->asn));
    if (info->org)
        generated(proto_tree_add_string(tree, hf_alert_org, tvb, 0, 0, info->org));
}

/* A blocklist entry is shown with what the blocklist knows of it, and the
 * internal host that contacted it. */
static void add_blocklist_entry_more(proto_tree *tree, tvbuff_t *tvb,
                                     const ntt_engine_t *engine, const ntt_episode_t *ep)
{
    const ntt_blocklist_entry_t *entry =
        ntt_blocklist_entry(ntt_engine_blocklist(engine), ep->detail.blocklist.entry);

    if (entry) {
        generated(proto_tree_add_string(tree, hf_blocklist_indicator, tvb, 0, 0,
                                        ntt_indicator_name((ntt_indicator_t)entry->indicator)));
        generated(proto_tree_add_uint(tree, hf_blocklist_line, tvb, 0, 0, entry->line));
    }
    add_address(tree, tvb, hf_blocklist_host, hf_blocklist_host6, ep, &ep->src);
}

/* Which hf shows each episode detail field (ntt_episode_field_t.abbrev);
 * the hf registrations below say how it is labelled. */
typedef struct detail_hf {
    const char *abbrev;
    int        *hf;
    /* what the tree adds right after it, or NULL */
    void (*more)(proto_tree *tree, tvbuff_t *tvb, const ntt_engine_t *engine,
                 const ntt_episode_t *ep);
} detail_hf_t;

static const detail_hf_t detail_hfs[] = {
    { "ntt.alert.ports",              &hf_alert_ports,     NULL },
    { "ntt.alert.hosts",              &hf_alert_hosts,     NULL },
    { "ntt.alert.dst_net",            &hf_alert_dst_net,   NULL },
    { "ntt.alert.sources",            &hf_alert_sources,   NULL },
    { "ntt.alert.half_open",          &hf_alert_half_open, NULL },
    { "ntt.alert.attempts",           &hf_alert_attempts,  NULL },
    { "ntt.alert.rate",               &hf_alert_rate,      NULL },
    { "ntt.alert.misuse",             &hf_alert_misuse,    NULL },
    { "ntt.alert.country",            &hf_alert_country,   NULL },
    { "ntt.alert.entropy_src",        &hf_alert_entropy_src,   NULL },
    { "ntt.alert.entropy_dst",        &hf_alert_entropy_dst,   NULL },
    { "ntt.alert.entropy_dport",      &hf_alert_entropy_dport, NULL },
    { "ntt.blocklist.entry",          &hf_blocklist_entry, add_blocklist_entry_more },
    { "ntt.blocklist.bytes_received", &hf_blocklist_bytes, NULL },
    { "ntt.blocklist.uri",            &hf_blocklist_uri,   NULL },
    { "ntt.alert.anomaly",            &hf_alert_anomaly,   NULL },
    { "ntt.alert.flow",               &hf_alert_flow,      NULL },
    { "ntt.alert.direction",          &hf_alert_direction, NULL },
    { "ntt.alert.usual_rate",         &hf_alert_usual_rate, NULL },
    { "ntt.alert.when",               &hf_alert_when,      NULL },
};

/* Per type, per descriptor field, its detail_hf: looked up once, at
 * registration, not on every packet. */
static const detail_hf_t **shown_by[NTT_EPISODE_TYPE_COUNT];

static const detail_hf_t *detail_hf_of(const char *abbrev)
{
    for (size_t i = 0; i < array_length(detail_hfs); i++) {
        if (strcmp(detail_hfs[i].abbrev, abbrev) == 0)
            return &detail_hfs[i];
    }
    return NULL;
}

/* A descriptor field without an hf here is a programming error the first
 * run shows: the field would silently be missing from every tree. */
static void map_detail_fields(void)
{
    for (unsigned t = 0; t < NTT_EPISODE_TYPE_COUNT; t++) {
        const ntt_episode_descriptor_t *desc = ntt_episode_describe((ntt_episode_type_t)t);

        shown_by[t] = g_new0(const detail_hf_t *, desc->field_count);
        for (unsigned i = 0; i < desc->field_count; i++) {
            shown_by[t][i] = detail_hf_of(desc->fields[i].abbrev);
            if (!shown_by[t][i])
                g_error("ntt: episode field %s of %s has no packet tree field",
                        desc->fields[i].abbrev, desc->name);
        }
    }
}

/* The type's detail fields, as its descriptor lists them. Returns true
 * when one of them was the country (a geo episode's own). */
static bool add_detail(proto_tree *tree, tvbuff_t *tvb, const ntt_engine_t *engine,
                       const ntt_episode_t *ep)
{
    const ntt_episode_descriptor_t *desc = ntt_episode_describe((ntt_episode_type_t)ep->type);
    bool country = false;

    for (unsigned i = 0; desc && i < desc->field_count; i++) {
        const ntt_episode_field_t *field = &desc->fields[i];
        const detail_hf_t *shown = shown_by[ep->type][i];
        int hf = *shown->hf;

        if (field->only_if_set && !ntt_episode_field_is_set(field, &ep->detail))
            continue;
        switch (ntt_episode_field_value(field)) {
        case NTT_EPISODE_VALUE_UINT:
            /* The field was registered FT_UINT32 or FT_UINT64 by its kind. */
            generated(field->kind == NTT_EPISODE_FIELD_U32
                      ? proto_tree_add_uint(tree, hf, tvb, 0, 0,
                                            (guint32)ntt_episode_field_uint(field, &ep->detail))
                      : proto_tree_add_uint64(tree, hf, tvb, 0, 0,
                                              ntt_episode_field_uint(field, &ep->detail)));
            break;
        case NTT_EPISODE_VALUE_REAL:
            generated(proto_tree_add_double(tree, hf, tvb, 0, 0,
                                            ntt_episode_field_rate(field, &ep->detail)));
            break;
        default:
            generated(proto_tree_add_string(tree, hf, tvb, 0, 0,
                                            ntt_episode_field_string(field, &ep->detail)));
            break;
        }
        if (shown->more)
            shown->more(tree, tvb, engine, ep);
        country = country || shown->hf == &hf_alert_country;
    }
    return country;
}

static void add_episode(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                        const ntt_engine_t *engine, const ntt_episode_t *ep,
                        uint64_t count)
{
    char summary[256];
    proto_item *ti;
    proto_tree *alert_tree;

    ntt_episode_summary(ep, summary, sizeof summary);
    ti = generated(proto_tree_add_string(tree, hf_alert, tvb, 0, 0, summary));
    alert_tree = proto_item_add_subtree(ti, ett_alert);
    generated(proto_tree_add_string(alert_tree, hf_alert_type, tvb, 0, 0,
                                    ntt_episode_type_name((ntt_episode_type_t)ep->type)));
    if (ep->has_src)
        add_address(alert_tree, tvb, hf_alert_src, hf_alert_src6, ep, &ep->src);
    if (ep->has_dst)
        add_address(alert_tree, tvb, hf_alert_dst, hf_alert_dst6, ep, &ep->dst);
    if (ep->has_port)
        generated(proto_tree_add_uint(alert_tree, hf_alert_port, tvb, 0, 0, ep->port));
    generated(proto_tree_add_uint(alert_tree, hf_alert_episode, tvb, 0, 0, ep->id));
    generated(proto_tree_add_uint(alert_tree, hf_alert_first, tvb, 0, 0, ep->first_frame));
    generated(proto_tree_add_uint(alert_tree, hf_alert_raised, tvb, 0, 0, ep->detect_frame));
    generated(proto_tree_add_uint64(alert_tree, hf_alert_count, tvb, 0, 0, count));
    /* A geo episode's country is the one that raised it: the attacker's
     * (the same address, looked up again) is not shown a second time. */
    if (!add_detail(alert_tree, tvb, engine, ep))
        add_attacker_geo(alert_tree, tvb, engine, ep);

    /* One expert item per episode: at the frame where it was detected. */
    if (pinfo->num == ep->detect_frame)
        expert_add_info_format(pinfo, ti, &ei_alert[ep->type], "%s", summary);
}

bool ntt_alerts_detected_here(const ntt_engine_t *engine, const ntt_frame_t *frame,
                              uint32_t frame_number)
{
    const ntt_episode_t *eps[NTT_FRAME_EPISODES];
    unsigned n = ntt_engine_frame_episodes(engine, frame, frame_number, true, eps, NULL);

    for (unsigned i = 0; i < n; i++) {
        if (eps[i]->detect_frame == frame_number)
            return true;
    }
    return frame->trackers_full != 0;
}

void ntt_alerts_add(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                    proto_item *ntt_item, const ntt_engine_t *engine,
                    const ntt_frame_t *frame, bool whole_file)
{
    const ntt_episode_t *eps[NTT_FRAME_EPISODES];
    uint64_t counts[NTT_FRAME_EPISODES];
    unsigned n = ntt_engine_frame_episodes(engine, frame, pinfo->num, whole_file,
                                           eps, counts);

    for (unsigned i = 0; i < n; i++)
        add_episode(tree, tvb, pinfo, engine, eps[i], counts[i]);
    for (unsigned t = 0; t < NTT_EPISODE_TYPE_COUNT; t++) {
        if (frame->trackers_full & (1u << t))
            expert_add_info_format(pinfo, ntt_item, &ei_trackers_full,
                                   "ntt %s tracker table full (%u trackers): the "
                                   "least recently seen are being evicted",
                                   ntt_episode_type_name((ntt_episode_type_t)t),
                                   detector_prefs[P_MAX_TRACKERS].value);
    }
}

void ntt_alerts_register(int proto, module_t *module, expert_module_t *expert)
{
    static hf_register_info hf[] = {
        { &hf_alert,
          { "Alert", "ntt.alert", FT_STRING, BASE_NONE, NULL, 0x0,
            "This packet belongs to a detected attack episode: type, source, "
            "target and size", HFILL }},
        { &hf_alert_type,
          { "Type", "ntt.alert.type", FT_STRING, BASE_NONE, NULL, 0x0,
            "portscan, sweep, synflood, udpflood, icmpflood, ddos, bruteforce, "
            "flags, blocklist, geo, anomaly or surge", HFILL }},
        { &hf_alert_src,
          { "Source", "ntt.alert.src", FT_IPv4, BASE_NONE, NULL, 0x0,
            "The attacker (absent for spoofed or distributed sources)", HFILL }},
        { &hf_alert_dst,
          { "Target", "ntt.alert.dst", FT_IPv4, BASE_NONE, NULL, 0x0,
            "The victim (absent for sweeps of many hosts)", HFILL }},
        { &hf_alert_src6,
          { "Source", "ntt.alert.src6", FT_IPv6, BASE_NONE, NULL, 0x0,
            "The attacker, IPv6", HFILL }},
        { &hf_alert_dst6,
          { "Target", "ntt.alert.dst6", FT_IPv6, BASE_NONE, NULL, 0x0,
            "The victim, IPv6", HFILL }},
        { &hf_alert_port,
          { "Target port", "ntt.alert.port", FT_UINT16, BASE_DEC, NULL, 0x0,
            "The attacked service's port, when there is one", HFILL }},
        { &hf_alert_episode,
          { "Episode", "ntt.alert.episode", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Episode number within the file, in order of detection", HFILL }},
        { &hf_alert_first,
          { "First packet", "ntt.alert.first", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "Where the episode began", HFILL }},
        { &hf_alert_raised,
          { "Detected at", "ntt.alert.raised", FT_FRAMENUM, BASE_NONE, NULL, 0x0,
            "Where the detector decided", HFILL }},
        { &hf_alert_count,
          { "Packets so far", "ntt.alert.count", FT_UINT64, BASE_DEC, NULL, 0x0,
            "Packets of the episode up to this one", HFILL }},
        { &hf_alert_ports,
          { "Distinct ports", "ntt.alert.ports", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Ports probed without success (port scans)", HFILL }},
        { &hf_alert_hosts,
          { "Distinct hosts", "ntt.alert.hosts", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Hosts probed (sweeps)", HFILL }},
        { &hf_alert_dst_net,
          { "Swept network", "ntt.alert.dst_net", FT_STRING, BASE_NONE, NULL, 0x0,
            "The smallest network covering the hosts a sweep probed, CIDR form, "
            "at most a /16 or /48 (sweeps)", HFILL }},
        { &hf_alert_sources,
          { "Distinct sources", "ntt.alert.sources", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Sources seen toward the target (floods, DDoS)", HFILL }},
        { &hf_alert_half_open,
          { "Half-open connections", "ntt.alert.half_open", FT_UINT32, BASE_DEC,
            NULL, 0x0, "SYNs not completed by a handshake (SYN floods)", HFILL }},
        { &hf_alert_attempts,
          { "Attempts", "ntt.alert.attempts", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Probes or connections (scans, sweeps, brute force)", HFILL }},
        { &hf_alert_rate,
          { "Peak rate", "ntt.alert.rate", FT_DOUBLE, BASE_NONE, NULL, 0x0,
            "Highest packets a second over the detector's window", HFILL }},
        { &hf_alert_misuse,
          { "Misuse", "ntt.alert.misuse", FT_STRING, BASE_NONE, NULL, 0x0,
            "What protocol misuse a flags episode saw first", HFILL }},
        { &hf_alert_country,
          { "Source country", "ntt.alert.country", FT_STRING, BASE_NONE, NULL, 0x0,
            "ISO 3166 code of the attacker's country (GeoIP); for geo episodes "
            "the country that raised it", HFILL }},
        { &hf_alert_asn,
          { "Source AS", "ntt.alert.asn", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Autonomous system of the attacker's address (GeoIP)", HFILL }},
        { &hf_alert_org,
          { "Source AS organization", "ntt.alert.org", FT_STRING, BASE_NONE, NULL, 0x0,
            "Organization of the attacker's autonomous system (GeoIP)", HFILL }},
        { &hf_alert_direction,
          { "Direction", "ntt.alert.direction", FT_STRING, BASE_NONE, NULL, 0x0,
            "Whether the host surged sending or receiving (surges)", HFILL }},
        { &hf_alert_usual_rate,
          { "Usual rate", "ntt.alert.usual_rate", FT_DOUBLE, BASE_NONE, NULL, 0x0,
            "The host's usual packets a second when the surge began (surges)", HFILL }},
        { &hf_alert_when,
          { "When", "ntt.alert.when", FT_STRING, BASE_NONE, NULL, 0x0,
            "off-hours or working hours, at the surge's first packet in ntt.timezone "
            "(surges)", HFILL }},
        { &hf_alert_entropy_src,
          { "Source entropy", "ntt.alert.entropy_src", FT_DOUBLE, BASE_NONE, NULL, 0x0,
            "Normalised entropy (0-1) of the source addresses of the packets the "
            "target received over the last ntt.entropy_window, the highest reading "
            "from detection on; near 1: nearly every packet from a source of its "
            "own, as spoofed and distributed floods send (floods, DDoS)", HFILL }},
        { &hf_alert_entropy_dst,
          { "Destination entropy", "ntt.alert.entropy_dst", FT_DOUBLE, BASE_NONE, NULL, 0x0,
            "Normalised entropy (0-1) of the destination addresses of the IP packets "
            "the source sent over the last ntt.entropy_window, the highest reading "
            "from detection on; near 1: nearly every packet to a host of its own "
            "(sweeps; not for ARP sweeps)", HFILL }},
        { &hf_alert_entropy_dport,
          { "Destination port entropy", "ntt.alert.entropy_dport", FT_DOUBLE, BASE_NONE,
            NULL, 0x0, "Normalised entropy (0-1) of the destination ports of the "
            "packets the target received over the last ntt.entropy_window, the "
            "highest reading from detection on; near 1: nearly every packet to a "
            "port of its own (port scans)", HFILL }},
        { &hf_blocklist_entry,
          { "Blocklist entry", "ntt.blocklist.entry", FT_STRING, BASE_NONE, NULL, 0x0,
            "The blocklist line that matched, as written", HFILL }},
        { &hf_blocklist_indicator,
          { "Indicator", "ntt.blocklist.indicator", FT_STRING, BASE_NONE, NULL, 0x0,
            "What kind of entry matched: ip, cidr or domain", HFILL }},
        { &hf_blocklist_line,
          { "Blocklist line", "ntt.blocklist.line", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Line number of the entry in the blocklist file", HFILL }},
        { &hf_blocklist_host,
          { "Internal host", "ntt.blocklist.host", FT_IPv4, BASE_NONE, NULL, 0x0,
            "The host that contacted (or looked up) the blocklisted destination",
            HFILL }},
        { &hf_blocklist_host6,
          { "Internal host", "ntt.blocklist.host6", FT_IPv6, BASE_NONE, NULL, 0x0,
            "The host that contacted the blocklisted destination, IPv6", HFILL }},
        { &hf_blocklist_bytes,
          { "Bytes received", "ntt.blocklist.bytes_received", FT_UINT64, BASE_DEC,
            NULL, 0x0, "Frame bytes the destination sent the host so far "
            "(download evidence)", HFILL }},
        { &hf_blocklist_uri,
          { "Request URI", "ntt.blocklist.uri", FT_STRING, BASE_NONE, NULL, 0x0,
            "The first HTTP request URI seen toward the destination", HFILL }},
        { &hf_alert_anomaly,
          { "Anomaly score", "ntt.alert.anomaly", FT_DOUBLE, BASE_NONE, NULL, 0x0,
            "The flow's score under the baseline anomaly model when it ended, 0 to 1 "
            "(anomaly episodes)", HFILL }},
        { &hf_alert_flow,
          { "Flow", "ntt.alert.flow", FT_UINT32, BASE_DEC, NULL, 0x0,
            "The flow the episode is about (ntt.flow.id; anomaly episodes)", HFILL }},
    };
    static gint *ett[] = { &ett_alert };
    static ei_register_info ei[] = {
        { &ei_alert[NTT_EPISODE_PORTSCAN],
          { "ntt.expert.portscan", PI_SECURITY, PI_WARN, "Port scan", EXPFILL }},
        { &ei_alert[NTT_EPISODE_SWEEP],
          { "ntt.expert.sweep", PI_SECURITY, PI_WARN, "Host sweep", EXPFILL }},
        { &ei_alert[NTT_EPISODE_SYNFLOOD],
          { "ntt.expert.synflood", PI_SECURITY, PI_WARN, "SYN flood", EXPFILL }},
        { &ei_alert[NTT_EPISODE_UDPFLOOD],
          { "ntt.expert.udpflood", PI_SECURITY, PI_WARN, "UDP flood", EXPFILL }},
        { &ei_alert[NTT_EPISODE_ICMPFLOOD],
          { "ntt.expert.icmpflood", PI_SECURITY, PI_WARN, "ICMP flood", EXPFILL }},
        { &ei_alert[NTT_EPISODE_DDOS],
          { "ntt.expert.ddos", PI_SECURITY, PI_WARN, "Distributed denial of service",
            EXPFILL }},
        { &ei_alert[NTT_EPISODE_BRUTEFORCE],
          { "ntt.expert.bruteforce", PI_SECURITY, PI_WARN, "Brute force", EXPFILL }},
        { &ei_alert[NTT_EPISODE_FLAGS],
          { "ntt.expert.flags", PI_SECURITY, PI_NOTE, "Protocol misuse", EXPFILL }},
        { &ei_alert[NTT_EPISODE_BLOCKLIST],
          { "ntt.expert.blocklist", PI_SECURITY, PI_WARN,
            "Contact with a blocklisted destination", EXPFILL }},
        { &ei_alert[NTT_EPISODE_GEO],
          { "ntt.expert.geo", PI_SECURITY, PI_WARN,
            "Traffic with a watched or not-allowed country", EXPFILL }},
        { &ei_alert[NTT_EPISODE_ANOMALY],
          { "ntt.expert.anomaly", PI_SECURITY, PI_NOTE,
            "A flow the baseline anomaly model scores above ntt.anomaly_threshold",
            EXPFILL }},
        { &ei_alert[NTT_EPISODE_SURGE],
          { "ntt.expert.surge", PI_SECURITY, PI_WARN,
            "A host far above its usual rate, sustained", EXPFILL }},
        { &ei_trackers_full,
          { "ntt.expert.tracker_table_full", PI_SECURITY, PI_NOTE,
            "An ntt detector's tracker table is full; the least recently seen "
            "are evicted (raise ntt.max_trackers)", EXPFILL }},
    };
    ntt_detect_config_t defaults;

    proto_register_field_array(proto, hf, array_length(hf));
    map_detail_fields();
    proto_register_subtree_array(ett, array_length(ett));
    expert_register_field_array(expert, ei, array_length(ei));

    /* The engine's defaults, in the preferences' units. */
    ntt_detect_config_init(&defaults);
    for (int i = 0; i < P_COUNT; i++)
        detector_prefs[i].value = detector_prefs[i].fallback =
            field_to_pref(&defaults, &detector_prefs[i]);
    prefs_register_bool_preference(module, "detect", "Detect attacks",
        "Run the scan, sweep, flood, brute-force and misuse detectors",
        &pref_detect);
    for (int i = 0; i < P_COUNT; i++)
        prefs_register_uint_preference(module, detector_prefs[i].name, detector_prefs[i].title,
                                       detector_prefs[i].description, 10, &detector_prefs[i].value);
}
