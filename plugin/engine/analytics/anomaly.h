/* anomaly.h (engine side)
 * What the engine keeps for the anomaly model: per flow, the
 * inter-arrival statistics its record lacks and its score; with a
 * baseline model and a threshold, per flow a tracker whose packets an
 * anomaly episode is made of. The engine calls in at each packet (O(1):
 * two numbers updated), when a flow ends and when the whole file has
 * been read.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ANALYTICS_ANOMALY_H
#define NTT_ANALYTICS_ANOMALY_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "ntt/anomaly.h"
#include "analytics/anomaly-features.h"
#include "analytics/iforest.h"
#include "detect/detector.h"

struct ntt_anomaly_model {
    ntt_iforest_t *forest;
    uint64_t       seed;
    uint64_t       flows;        /* trained on */
    float          quantiles[NTT_AF_COUNT][NTT_ANOMALY_QUANTILES];
};

/* A flow watched for an anomaly episode. */
typedef struct ntt_anomaly_watch {
    ntt_tracker_t tracker;       /* every packet of the flow is marked */
    uint32_t      last_frame;
    int64_t       last_ns;
    bool          ended;         /* scored at its end already */
} ntt_anomaly_watch_t;

typedef struct ntt_anomaly ntt_anomaly_t;

/* summaries: the engine's flow records (ntt_flow_summary_t by id), read,
 * never written. Takes config->model over. */
ntt_anomaly_t *ntt_anomaly_new(const ntt_anomaly_config_t *config, const GArray *summaries);
void ntt_anomaly_free(ntt_anomaly_t *a);

/* A packet of flow_id, iat_ns after the flow's previous one, in
 * direction dir (ntt_dir_t), of frame_len bytes; flow is the flow's
 * record with this packet counted (its packets, times and the gaps'
 * mean are read from it, not counted again). */
void ntt_anomaly_packet(ntt_anomaly_t *a, uint32_t flow_id, const ntt_flow_summary_t *flow,
                        int64_t iat_ns, unsigned dir, uint32_t frame_len);

/* The TCP connection of flow_id closed with its latest packet: its
 * features are the flow's as it is now, whatever follows. */
void ntt_anomaly_close(ntt_anomaly_t *a, uint32_t flow_id);

/* The watch of a flow, NULL unless flows are watched (a baseline model
 * and a threshold) and the flow is known. */
ntt_anomaly_watch_t *ntt_anomaly_watch(ntt_anomaly_t *a, uint32_t flow_id);
bool ntt_anomaly_watching(const ntt_anomaly_t *a);

/* Flow flow_id has ended: scored with the baseline model (nothing
 * without one). true when it is watched, was not ended before and
 * scores above the threshold: *score says by how much. */
bool ntt_anomaly_flow_ended(ntt_anomaly_t *a, uint32_t flow_id, double *score);

/* Called for each watched flow still open when the whole file has been read. */
typedef void (*ntt_anomaly_raise_fn)(void *ctx, uint32_t flow_id, double score);

/* The whole file has been read (packets: how many the engine has seen):
 * trains on every flow when there is no baseline model, scores every
 * flow, ends the flows still open (raise is called for those above the
 * threshold). Again only when packets came in since. */
void ntt_anomaly_finish(ntt_anomaly_t *a, uint64_t packets,
                        ntt_anomaly_raise_fn raise, void *ctx);

/* A model trained on every flow recorded so far, NULL with fewer than 2. */
ntt_anomaly_model_t *ntt_anomaly_train(const ntt_anomaly_t *a);

bool ntt_anomaly_score(const ntt_anomaly_t *a, uint32_t flow_id, double *score);

/* The vector the model sees of flow flow_id (< the summaries' length):
 * a TCP flow's as it was at its close. */
void ntt_anomaly_flow_vector(const ntt_anomaly_t *a, uint32_t flow_id,
                             float out[NTT_AF_COUNT]);
const ntt_anomaly_model_t *ntt_anomaly_model(const ntt_anomaly_t *a);
bool ntt_anomaly_is_baseline(const ntt_anomaly_t *a);

unsigned ntt_anomaly_reasons(const ntt_anomaly_t *a, uint32_t flow_id,
                             ntt_anomaly_reason_t *out, unsigned max);

/* Bytes kept for the whole file (per flow; not capped, like the flow records). */
uint64_t ntt_anomaly_bytes(const ntt_anomaly_t *a);

/* Builds a model from points 0 .. n-1 given by row (for tests and training). */
ntt_anomaly_model_t *ntt_anomaly_model_train(const ntt_anomaly_config_t *config, size_t n,
                                             ntt_iforest_row_fn row, void *ctx);

/* The reasons a feature vector stands out against a model's quantiles. */
unsigned ntt_anomaly_explain(const ntt_anomaly_model_t *model, const float *x,
                             ntt_anomaly_reason_t *out, unsigned max);

#endif /* NTT_ANALYTICS_ANOMALY_H */
