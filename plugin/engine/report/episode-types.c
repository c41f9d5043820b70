/* episode-types.c
 * The episode descriptors: each type's name and detail fields, said once.
 * The packet tree, the JSON alerts, the size text and the episode book's
 * merge all read these tables, so a new number of a type is one row here
 * (and its hf in the glue).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/episode.h"

#include <string.h>

#include "track/net-cover.h"

#define AT(member) offsetof(ntt_episode_detail_t, member)

/* Rows, so the tables below read as what is shown where. */
#define COUNT(key, abbrev, member, words) \
    { key, abbrev, NTT_EPISODE_FIELD_U32, AT(member), true, NTT_EPISODE_MERGE_MAX, words }

/* Peak rates are shown when a rate was measured, and only grow. */
#define PEAK(member, words) \
    { "peak_pps", "ntt.alert.rate", NTT_EPISODE_FIELD_RATE, AT(member), true, \
      NTT_EPISODE_MERGE_MAX, words }

/* Every flood names its sources; only a SYN flood counts half-open
 * connections, only a DDoS puts its sources in the size. */
#define SOURCES(words) COUNT("distinct_sources", "ntt.alert.sources", flood.sources, words)
#define SOURCE_ENTROPY ENTROPY("entropy_src", "ntt.alert.entropy_src", flood.entropy_src)

/* The entropy the engine measured when the episode was detected
 * (analytics/entropy-timeline.h): shown when measured, never in the size
 * text, not changed by the detector's later reports. */
#define ENTROPY(key, abbrev, member) \
    { key, abbrev, NTT_EPISODE_FIELD_ENTROPY, AT(member), true, NTT_EPISODE_MERGE_KEEP, NULL }

static const ntt_episode_field_t portscan_fields[] = {
    COUNT("distinct_ports", "ntt.alert.ports", portscan.ports, "%s ports"),
    COUNT("attempts", "ntt.alert.attempts", portscan.probes, NULL),
    ENTROPY("entropy_dport", "ntt.alert.entropy_dport", portscan.entropy_dport),
};

/* The swept range names the target, in the summary's place of a
 * destination; it only widens as hosts are added. */
static const ntt_episode_field_t sweep_fields[] = {
    COUNT("distinct_hosts", "ntt.alert.hosts", sweep.hosts, "%s hosts"),
    { "dst_net", "ntt.alert.dst_net", NTT_EPISODE_FIELD_NET, AT(sweep.dst_net), true,
      NTT_EPISODE_MERGE_MAX, NULL },
    COUNT("attempts", "ntt.alert.attempts", sweep.probes, NULL),
    ENTROPY("entropy_dst", "ntt.alert.entropy_dst", sweep.entropy_dst),
};

static const ntt_episode_field_t synflood_fields[] = {
    SOURCES(NULL),
    COUNT("half_open", "ntt.alert.half_open", flood.half_open, "%s half-open"),
    PEAK(flood.peak_pps, "peak %s SYN/s"),
    SOURCE_ENTROPY,
};

/* UDP and ICMP floods: one victim, a rate. */
static const ntt_episode_field_t rate_flood_fields[] = {
    SOURCES(NULL),
    PEAK(flood.peak_pps, "peak %s packets/s"),
    SOURCE_ENTROPY,
};

static const ntt_episode_field_t ddos_fields[] = {
    SOURCES("%s sources"),
    PEAK(flood.peak_pps, "peak %s packets/s"),
    SOURCE_ENTROPY,
};

static const ntt_episode_field_t bruteforce_fields[] = {
    COUNT("attempts", "ntt.alert.attempts", bruteforce.attempts, "%s connections"),
};

static const ntt_episode_field_t flags_fields[] = {
    COUNT("attempts", "ntt.alert.attempts", flags.count, NULL),
    /* The first misuse names the episode; later ones do not rename it. */
    { "misuse", "ntt.alert.misuse", NTT_EPISODE_FIELD_MISUSE, AT(flags.misuse), true,
      NTT_EPISODE_MERGE_FIRST, "%s" },
};

/* A contact always shows its entry and the bytes received (0 is evidence
 * too: nothing was downloaded); the URI once one was seen. */
static const ntt_episode_field_t blocklist_fields[] = {
    { "entry", "ntt.blocklist.entry", NTT_EPISODE_FIELD_TEXT, AT(blocklist.entry_text),
      false, NTT_EPISODE_MERGE_FIRST, NULL },
    { "bytes_received", "ntt.blocklist.bytes_received", NTT_EPISODE_FIELD_U64,
      AT(blocklist.bytes_received), false, NTT_EPISODE_MERGE_MAX, "%s bytes received" },
    { "uri", "ntt.blocklist.uri", NTT_EPISODE_FIELD_TEXT, AT(blocklist.uri), true,
      NTT_EPISODE_MERGE_FIRST, NULL },
};

static const ntt_episode_field_t geo_fields[] = {
    { "country", "ntt.alert.country", NTT_EPISODE_FIELD_COUNTRY, AT(geo.country), false,
      NTT_EPISODE_MERGE_FIRST, "country %s" },
};

/* An anomaly is one flow: its score when it ended names it. */
static const ntt_episode_field_t anomaly_fields[] = {
    { "score", "ntt.alert.anomaly", NTT_EPISODE_FIELD_SCORE, AT(anomaly.score), false,
      NTT_EPISODE_MERGE_FIRST, "score %s" },
    { "flow", "ntt.alert.flow", NTT_EPISODE_FIELD_U32, AT(anomaly.flow), false,
      NTT_EPISODE_MERGE_FIRST, NULL },
};

/* A surge names the host's peers on the side it has many of, its rate
 * against its usual one, and whether it came outside working hours. */
static const ntt_episode_field_t surge_fields[] = {
    COUNT("distinct_hosts", "ntt.alert.hosts", surge.hosts, NULL),
    COUNT("distinct_sources", "ntt.alert.sources", surge.sources, NULL),
    { "direction", "ntt.alert.direction", NTT_EPISODE_FIELD_TEXT, AT(surge.direction), true,
      NTT_EPISODE_MERGE_FIRST, "%s" },
    PEAK(surge.peak_pps, "peak %s packets/s"),
    { "usual_pps", "ntt.alert.usual_rate", NTT_EPISODE_FIELD_RATE, AT(surge.usual_pps), false,
      NTT_EPISODE_MERGE_FIRST, "usual %s packets/s" },
    { "when", "ntt.alert.when", NTT_EPISODE_FIELD_TEXT, AT(surge.when), true,
      NTT_EPISODE_MERGE_FIRST, "%s" },
};

#define FIELDS(table) table, sizeof table / sizeof table[0]

static const ntt_episode_descriptor_t descriptors[NTT_EPISODE_TYPE_COUNT] = {
    [NTT_EPISODE_PORTSCAN]   = { "portscan",   FIELDS(portscan_fields) },
    [NTT_EPISODE_SWEEP]      = { "sweep",      FIELDS(sweep_fields) },
    [NTT_EPISODE_SYNFLOOD]   = { "synflood",   FIELDS(synflood_fields) },
    [NTT_EPISODE_UDPFLOOD]   = { "udpflood",   FIELDS(rate_flood_fields) },
    [NTT_EPISODE_ICMPFLOOD]  = { "icmpflood",  FIELDS(rate_flood_fields) },
    [NTT_EPISODE_DDOS]       = { "ddos",       FIELDS(ddos_fields) },
    [NTT_EPISODE_BRUTEFORCE] = { "bruteforce", FIELDS(bruteforce_fields) },
    [NTT_EPISODE_FLAGS]      = { "flags",      FIELDS(flags_fields) },
    [NTT_EPISODE_BLOCKLIST]  = { "blocklist",  FIELDS(blocklist_fields) },
    [NTT_EPISODE_GEO]        = { "geo",        FIELDS(geo_fields) },
    [NTT_EPISODE_ANOMALY]    = { "anomaly",    FIELDS(anomaly_fields) },
    [NTT_EPISODE_SURGE]      = { "surge",      FIELDS(surge_fields) },
};

const ntt_episode_descriptor_t *ntt_episode_describe(ntt_episode_type_t type)
{
    return (unsigned)type < NTT_EPISODE_TYPE_COUNT ? &descriptors[type] : NULL;
}

static const void *field_in(const ntt_episode_field_t *field,
                            const ntt_episode_detail_t *detail)
{
    return (const char *)detail + field->offset;
}

ntt_episode_value_t ntt_episode_field_value(const ntt_episode_field_t *field)
{
    switch (field->kind) {
    case NTT_EPISODE_FIELD_U32:
    case NTT_EPISODE_FIELD_U64:
        return NTT_EPISODE_VALUE_UINT;
    case NTT_EPISODE_FIELD_RATE:
    case NTT_EPISODE_FIELD_SCORE:
    case NTT_EPISODE_FIELD_ENTROPY:
        return NTT_EPISODE_VALUE_REAL;
    default:
        return NTT_EPISODE_VALUE_TEXT;
    }
}

uint64_t ntt_episode_field_uint(const ntt_episode_field_t *field,
                                const ntt_episode_detail_t *detail)
{
    const void *at = field_in(field, detail);

    switch (field->kind) {
    case NTT_EPISODE_FIELD_U32:
        return *(const uint32_t *)at;
    case NTT_EPISODE_FIELD_U64:
        return *(const uint64_t *)at;
    default:
        return 0;
    }
}

double ntt_episode_field_rate(const ntt_episode_field_t *field,
                              const ntt_episode_detail_t *detail)
{
    return ntt_episode_field_value(field) == NTT_EPISODE_VALUE_REAL ?
        *(const double *)field_in(field, detail) : 0.0;
}

const char *ntt_episode_field_string(const ntt_episode_field_t *field,
                                     const ntt_episode_detail_t *detail)
{
    const void *at = field_in(field, detail);

    switch (field->kind) {
    case NTT_EPISODE_FIELD_MISUSE:
        return ntt_misuse_name((ntt_misuse_t)*(const uint8_t *)at);
    case NTT_EPISODE_FIELD_COUNTRY:
    case NTT_EPISODE_FIELD_NET:
        return (const char *)at;
    case NTT_EPISODE_FIELD_TEXT: {
        const char *text = *(const char *const *)at;

        return text ? text : "";
    }
    default:
        return "";
    }
}

bool ntt_episode_field_is_set(const ntt_episode_field_t *field,
                              const ntt_episode_detail_t *detail)
{
    const void *at = field_in(field, detail);

    switch (field->kind) {
    case NTT_EPISODE_FIELD_U32:
    case NTT_EPISODE_FIELD_U64:
        return ntt_episode_field_uint(field, detail) != 0;
    case NTT_EPISODE_FIELD_RATE:
    case NTT_EPISODE_FIELD_SCORE:
        return ntt_episode_field_rate(field, detail) > 0;
    case NTT_EPISODE_FIELD_ENTROPY:
        return ntt_episode_field_rate(field, detail) >= 0;
    case NTT_EPISODE_FIELD_MISUSE:
        return *(const uint8_t *)at != NTT_MISUSE_NONE;
    case NTT_EPISODE_FIELD_COUNTRY:
    case NTT_EPISODE_FIELD_NET:
        return ((const char *)at)[0] != '\0';
    case NTT_EPISODE_FIELD_TEXT:
        return *(const char *const *)at != NULL;
    default:
        return false;
    }
}

static size_t kind_size(ntt_episode_field_kind_t kind)
{
    switch (kind) {
    case NTT_EPISODE_FIELD_U32:     return sizeof(uint32_t);
    case NTT_EPISODE_FIELD_U64:     return sizeof(uint64_t);
    case NTT_EPISODE_FIELD_RATE:    return sizeof(double);
    case NTT_EPISODE_FIELD_SCORE:   return sizeof(double);
    case NTT_EPISODE_FIELD_ENTROPY: return sizeof(double);
    case NTT_EPISODE_FIELD_MISUSE:  return sizeof(uint8_t);
    case NTT_EPISODE_FIELD_COUNTRY: return sizeof ((ntt_episode_detail_t *)0)->geo.country;
    case NTT_EPISODE_FIELD_TEXT:    return sizeof(const char *);
    case NTT_EPISODE_FIELD_NET:     return NTT_EPISODE_NET_SIZE;
    default:                        return 0;
    }
}

static bool grew(const ntt_episode_field_t *field, const ntt_episode_detail_t *into,
                 const ntt_episode_detail_t *from)
{
    if (field->kind == NTT_EPISODE_FIELD_RATE)
        return ntt_episode_field_rate(field, from) > ntt_episode_field_rate(field, into);
    if (field->kind == NTT_EPISODE_FIELD_NET) {
        int before = ntt_net_text_bits(field_in(field, into));
        int after = ntt_net_text_bits(field_in(field, from));

        return after >= 0 && (before < 0 || after < before);
    }
    return ntt_episode_field_uint(field, from) > ntt_episode_field_uint(field, into);
}

void ntt_episode_detail_merge(ntt_episode_type_t type, ntt_episode_detail_t *into,
                              const ntt_episode_detail_t *from)
{
    const ntt_episode_descriptor_t *desc = ntt_episode_describe(type);

    if (!desc)
        return;
    for (unsigned i = 0; i < desc->field_count; i++) {
        const ntt_episode_field_t *field = &desc->fields[i];
        bool take = field->merge == NTT_EPISODE_MERGE_KEEP ? false
                  : field->merge == NTT_EPISODE_MERGE_MAX
                        ? grew(field, into, from)
                        : !ntt_episode_field_is_set(field, into) &&
                          ntt_episode_field_is_set(field, from);

        if (take)
            memcpy((char *)into + field->offset, field_in(field, from), kind_size(field->kind));
    }
}
