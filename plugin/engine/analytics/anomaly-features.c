/* anomaly-features.c
 * See anomaly-features.h; the table is the one docs/analytics.md lists.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analytics/anomaly-features.h"

#include <math.h>
#include <stddef.h>

#include "ntt/service.h"

static const ntt_af_info_t infos[NTT_AF_COUNT] = {
    [NTT_AF_DURATION]       = { "duration",       "duration",                    NTT_AF_AMOUNT },
    [NTT_AF_ORIG_PKTS]      = { "orig_pkts",      "originator packets",          NTT_AF_AMOUNT },
    [NTT_AF_RESP_PKTS]      = { "resp_pkts",      "responder packets",           NTT_AF_AMOUNT },
    [NTT_AF_ORIG_BYTES]     = { "orig_bytes",     "originator bytes",            NTT_AF_AMOUNT },
    [NTT_AF_RESP_BYTES]     = { "resp_bytes",     "responder bytes",             NTT_AF_AMOUNT },
    [NTT_AF_ORIG_MEAN_SIZE] = { "orig_mean_size", "originator mean packet size", NTT_AF_AMOUNT },
    [NTT_AF_RESP_MEAN_SIZE] = { "resp_mean_size", "responder mean packet size",  NTT_AF_AMOUNT },
    [NTT_AF_IAT_MEAN]       = { "iat_mean",       "mean inter-arrival time",     NTT_AF_AMOUNT },
    [NTT_AF_IAT_STD]        = { "iat_std",        "inter-arrival jitter",        NTT_AF_AMOUNT },
    [NTT_AF_IAT_MAX]        = { "iat_max",        "longest gap",                 NTT_AF_AMOUNT },
    [NTT_AF_BYTE_RATIO]     = { "byte_ratio",     "responder/originator bytes",  NTT_AF_LOG2_RATIO },
    [NTT_AF_STATE]          = { "state",          "final state",                 NTT_AF_CLASS },
    [NTT_AF_PROTO]          = { "proto",          "protocol",                    NTT_AF_CLASS },
    [NTT_AF_PORT_CLASS]     = { "port_class",     "responder port",              NTT_AF_CLASS },
};

const ntt_af_info_t *ntt_anomaly_feature_info(ntt_anomaly_feature_t f)
{
    return (unsigned)f < NTT_AF_COUNT ? &infos[f] : NULL;
}

/* Zeek's states grouped by what they say of the conversation; an order
 * from ordinary to odd, so that cuts separate kinds rather than codes. */
enum { SC_DONE, SC_OPEN, SC_UNANSWERED, SC_REFUSED, SC_ABORTED, SC_MIDSTREAM, SC_COUNT };

static int state_class(uint8_t state)
{
    switch (state) {
    case NTT_STATE_SF:     return SC_DONE;
    case NTT_STATE_S1:
    case NTT_STATE_S2:
    case NTT_STATE_S3:     return SC_OPEN;
    case NTT_STATE_S0:     return SC_UNANSWERED;
    case NTT_STATE_REJ:
    case NTT_STATE_RSTOS0:
    case NTT_STATE_SH:     return SC_REFUSED;
    case NTT_STATE_RSTO:
    case NTT_STATE_RSTR:   return SC_ABORTED;
    default:               return SC_MIDSTREAM;   /* OTH, RSTRH, SHR, none */
    }
}

static int proto_class(uint8_t ip_proto)
{
    switch (ip_proto) {
    case NTT_IPPROTO_TCP:    return 0;
    case NTT_IPPROTO_UDP:    return 1;
    case NTT_IPPROTO_ICMP:
    case NTT_IPPROTO_ICMPV6: return 2;
    default:                 return 3;
    }
}

/* The responder's port: a service ntt names, another well-known port,
 * a registered one, a dynamic one (IANA's ranges), or none (ICMP, other
 * protocols). */
enum { PC_SERVICE, PC_WELL_KNOWN, PC_REGISTERED, PC_DYNAMIC, PC_NONE, PC_COUNT };

static int port_class(const ntt_flow_summary_t *flow)
{
    if (flow->ip_proto != NTT_IPPROTO_TCP && flow->ip_proto != NTT_IPPROTO_UDP &&
        flow->ip_proto != NTT_IPPROTO_SCTP)
        return PC_NONE;
    if (flow->service != NTT_SERVICE_UNKNOWN)
        return PC_SERVICE;
    if (flow->resp_port < 1024)
        return PC_WELL_KNOWN;
    return flow->resp_port < 49152 ? PC_REGISTERED : PC_DYNAMIC;
}

void ntt_flow_iat_add(ntt_flow_iat_t *iat, const ntt_flow_summary_t *flow, int64_t iat_ns)
{
    uint64_t gaps = (uint64_t)flow->pkts[0] + flow->pkts[1] - 1;

    /* The gaps sum to the duration: their mean before this one and with
     * it are the record's, P/(n-1) and D/n, and Welford's step
     * (x - P/(n-1)) (x - D/n) is one division. Exact zeros for x equal
     * to the mean. */
    if (gaps >= 2) {
        double n = (double)gaps, x = (double)iat_ns;
        double d = (double)(flow->last_ns - flow->first_ns);
        double p = (double)(flow->last_ns - iat_ns - flow->first_ns);

        iat->iat_m2 += (float)(((n - 1) * x - p) * (n * x - d) / (n * (n - 1) * 1e18));
    }
    if (iat_ns > 0 && (double)iat_ns > (double)iat->iat_max * 1e9) {
        float s = (float)((double)iat_ns / 1e9);

        if (s > iat->iat_max)
            iat->iat_max = s;
    }
}

void ntt_anomaly_features(const ntt_flow_summary_t *flow, const ntt_flow_iat_t *iat,
                          float out[NTT_AF_COUNT])
{
    double duration = (double)(flow->last_ns - flow->first_ns) / 1e9;
    uint64_t pkts = (uint64_t)flow->pkts[0] + flow->pkts[1];
    double gaps = pkts > 1 ? (double)(pkts - 1) : 0;
    double mean = gaps > 0 ? duration / gaps : 0;
    double var = gaps > 0 ? (double)iat->iat_m2 / gaps : 0;

    if (duration < 0)
        duration = 0;
    if (var < 0)
        var = 0;   /* timestamps that went back */
    out[NTT_AF_DURATION] = (float)log1p(duration);
    for (int d = 0; d < 2; d++) {
        out[NTT_AF_ORIG_PKTS + d] = (float)log1p((double)flow->pkts[d]);
        out[NTT_AF_ORIG_BYTES + d] = (float)log1p((double)flow->bytes[d]);
        out[NTT_AF_ORIG_MEAN_SIZE + d] = (float)log1p(
            flow->pkts[d] ? (double)flow->bytes[d] / flow->pkts[d] : 0.0);
    }
    out[NTT_AF_IAT_MEAN] = (float)log1p(mean * 1e3);
    out[NTT_AF_IAT_STD] = (float)log1p(sqrt(var) * 1e3);
    out[NTT_AF_IAT_MAX] = (float)log1p((double)iat->iat_max * 1e3);
    out[NTT_AF_BYTE_RATIO] = (float)log2(((double)flow->bytes[1] + 1) /
                                         ((double)flow->bytes[0] + 1));
    out[NTT_AF_STATE] = (float)state_class(flow->state);
    out[NTT_AF_PROTO] = (float)proto_class(flow->ip_proto);
    out[NTT_AF_PORT_CLASS] = (float)port_class(flow);
}

double ntt_anomaly_feature_natural(ntt_anomaly_feature_t f, float value)
{
    const ntt_af_info_t *info = ntt_anomaly_feature_info(f);

    if (!info)
        return 0;
    switch (info->kind) {
    case NTT_AF_AMOUNT:     return expm1((double)value);
    case NTT_AF_LOG2_RATIO: return exp2((double)value);
    default:                return (double)value;
    }
}

const char *ntt_anomaly_class_name(ntt_anomaly_feature_t f, int v)
{
    static const char *const states[SC_COUNT] = {
        "completed", "open", "unanswered", "refused", "aborted", "midstream",
    };
    static const char *const protos[4] = { "tcp", "udp", "icmp", "other IP" };
    static const char *const ports[PC_COUNT] = {
        "a named service", "another well-known port", "a registered port",
        "a dynamic port", "no port",
    };

    switch (f) {
    case NTT_AF_STATE:      return v >= 0 && v < SC_COUNT ? states[v] : "?";
    case NTT_AF_PROTO:      return v >= 0 && v < 4 ? protos[v] : "?";
    case NTT_AF_PORT_CLASS: return v >= 0 && v < PC_COUNT ? ports[v] : "?";
    default:                return "";
    }
}
