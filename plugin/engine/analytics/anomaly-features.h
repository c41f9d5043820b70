/* anomaly-features.h
 * What the anomaly model sees of a flow: a fixed vector of numbers read
 * from its record (docs/analytics.md, "Features"). Amounts are log-scaled
 * (log1p), so that a flow ten times larger is one step further out, not
 * a thousand; classes (final state, protocol, port class) are small
 * integers, rare ones are isolated like any rare value.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ANOMALY_FEATURES_H
#define NTT_ANOMALY_FEATURES_H

#include <stdint.h>

#include "ntt/flow.h"

typedef enum ntt_anomaly_feature {
    NTT_AF_DURATION = 0,    /* log1p(seconds) */
    NTT_AF_ORIG_PKTS,       /* log1p(packets) */
    NTT_AF_RESP_PKTS,
    NTT_AF_ORIG_BYTES,      /* log1p(frame bytes) */
    NTT_AF_RESP_BYTES,
    NTT_AF_ORIG_MEAN_SIZE,  /* log1p(bytes / packet) */
    NTT_AF_RESP_MEAN_SIZE,
    NTT_AF_IAT_MEAN,        /* log1p(ms) */
    NTT_AF_IAT_STD,         /* log1p(ms) */
    NTT_AF_IAT_MAX,         /* log1p(ms) */
    NTT_AF_BYTE_RATIO,      /* log2((resp bytes + 1) / (orig bytes + 1)) */
    NTT_AF_STATE,           /* ntt_anomaly_state_class() */
    NTT_AF_PROTO,           /* 0 TCP, 1 UDP, 2 ICMP/ICMPv6, 3 other */
    NTT_AF_PORT_CLASS,      /* ntt_anomaly_port_class() */
    NTT_AF_COUNT
} ntt_anomaly_feature_t;

/* How a feature is read back for a person. */
typedef enum ntt_af_kind {
    NTT_AF_AMOUNT,          /* log1p of an amount: "N× the median" */
    NTT_AF_LOG2_RATIO,      /* log2 of a ratio */
    NTT_AF_CLASS,           /* a class number: its name */
} ntt_af_kind_t;

typedef struct ntt_af_info {
    const char   *key;      /* in the model file and the JSON: "resp_bytes" */
    const char   *words;    /* in the report: "responder bytes" */
    ntt_af_kind_t kind;
} ntt_af_info_t;

const ntt_af_info_t *ntt_anomaly_feature_info(ntt_anomaly_feature_t f);

/* A flow's inter-arrival statistics beyond its record (whose duration
 * and packets give the gaps' mean): the sum of the squared deviations of
 * the gaps from their mean, by Welford's update (no cancellation, so
 * gaps all alike give exactly 0, not a rounding noise the cuts would
 * split flows on), and the largest gap; seconds. */
typedef struct ntt_flow_iat {
    float iat_m2;
    float iat_max;
} ntt_flow_iat_t;

/* Adds the gap of iat_ns before the latest packet of flow, whose record
 * counts that packet already. */
void ntt_flow_iat_add(ntt_flow_iat_t *iat, const ntt_flow_summary_t *flow, int64_t iat_ns);

/* The vector of a flow. */
void ntt_anomaly_features(const ntt_flow_summary_t *flow, const ntt_flow_iat_t *iat,
                          float out[NTT_AF_COUNT]);

/* A feature value as a person reads it: the amount back from its log
 * (packets, bytes, ms, s), the ratio, or the class number. */
double ntt_anomaly_feature_natural(ntt_anomaly_feature_t f, float value);

/* The name of class value v of a class feature ("SF", "udp", "dynamic"). */
const char *ntt_anomaly_class_name(ntt_anomaly_feature_t f, int v);

#endif /* NTT_ANOMALY_FEATURES_H */
