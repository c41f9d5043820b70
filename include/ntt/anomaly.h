/* anomaly.h
 * The anomaly model: an Isolation Forest over per-flow features
 * (docs/analytics.md, "Anomaly model (Isolation Forest)").
 *
 * Two ways to use it. Self-trained: once the whole file has been read,
 * the engine trains on the capture's own flows and scores every flow.
 * Baseline-trained: a model written from ordinary traffic
 * (-z ntt,model) is loaded, and each flow is scored as it ends (its TCP
 * close, its idle timeout or eviction, the end of the file), in a single
 * pass and live as well; above a threshold a flow raises an `anomaly`
 * episode. A score is a property of a flow, never per-packet work.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ANOMALY_H
#define NTT_ANOMALY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The first line of a model file and the version this ntt reads. */
#define NTT_ANOMALY_MODEL_MAGIC   "ntt-anomaly-model"
#define NTT_ANOMALY_MODEL_VERSION 1

/* Per feature, the training flows' 0th, 5th, ... 100th percentiles: what
 * "stands out" is read against. */
#define NTT_ANOMALY_QUANTILES 21

typedef struct ntt_anomaly_model ntt_anomaly_model_t;

typedef struct ntt_anomaly_config {
    uint32_t trees;              /* t */
    uint32_t sample;             /* ψ, the subsample each tree grows on */
    uint64_t seed;               /* of the forest's generator */
    double   threshold;          /* a baseline-scored flow above it raises an
                                    anomaly episode; 0: never */
    ntt_anomaly_model_t *model;  /* a baseline model, which ntt_engine_new()
                                    takes over; NULL: self-trained */
} ntt_anomaly_config_t;

/* The defaults of docs/preferences.md: the paper's t = 100, ψ = 256. */
void ntt_anomaly_config_init(ntt_anomaly_config_t *config);

/* A model file's text, checked whole: NULL and *error (free with g_free)
 * when anything is wrong with it (missing or extra lines, another
 * version, features this ntt does not compute, sizes out of bounds, NaNs
 * or infinities, a malformed tree). Nothing is half-loaded. */
ntt_anomaly_model_t *ntt_anomaly_model_parse(const char *text, size_t len, char **error);

/* The same from a file (at most 64 MiB). */
ntt_anomaly_model_t *ntt_anomaly_model_load(const char *path, char **error);

/* The model in its file format (docs/analytics.md, "Model file"). */
void ntt_anomaly_model_write(const ntt_anomaly_model_t *model, GString *out);

void ntt_anomaly_model_free(ntt_anomaly_model_t *model);

unsigned ntt_anomaly_model_trees(const ntt_anomaly_model_t *model);
unsigned ntt_anomaly_model_sample(const ntt_anomaly_model_t *model);
uint64_t ntt_anomaly_model_flows(const ntt_anomaly_model_t *model);
uint64_t ntt_anomaly_model_seed(const ntt_anomaly_model_t *model);

/* One feature of a flow that stands out against the training flows:
 * beyond their 5th-95th percentiles, by a margin. */
typedef struct ntt_anomaly_reason {
    const char *feature;     /* its key: "resp_bytes" */
    double      value;       /* the flow's, in natural units (bytes, ms,
                                s, a ratio, a class number) */
    double      median;      /* the training flows' */
    char        text[96];    /* "responder bytes 40× the median" */
} ntt_anomaly_reason_t;

#ifdef __cplusplus
}
#endif

#endif /* NTT_ANOMALY_H */
