/* engine.h
 * The ntt analysis engine: feed it packets in frame order on the first
 * pass, read back per-frame results and per-flow records on any pass.
 *
 * The engine knows nothing of Wireshark; it is a pure C11 + GLib library
 * so it can be unit tested and fuzzed on its own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ENGINE_H
#define NTT_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "ntt/anomaly.h"
#include "ntt/episode.h"
#include "ntt/blocklist.h"
#include "ntt/detect-config.h"
#include "ntt/flow.h"
#include "ntt/geo.h"
#include "ntt/packet.h"
#include "ntt/service.h"

#ifdef __cplusplus
extern "C" {
#endif

#define NTT_NS_PER_SEC INT64_C(1000000000)

typedef struct ntt_config {
    int64_t  flow_timeout_ns;  /* a flow idle this long is over */
    uint32_t max_flows;        /* live flows tracked at once; beyond it the
                                  least recently seen flow is evicted */
    uint64_t memcap_bytes;     /* the bytes every live table together may
                                  take (0: no cap); past it, emergency mode */
    uint64_t hash_seed;        /* the tables' hash seed (0: the default) */
    int64_t  entropy_window_ns; /* the entropy's sliding window (0: no
                                  entropy); see ntt/entropy.h */
    uint32_t entropy_max_addresses; /* addresses its tables hold at most
                                  (and twice as many pairs) */
    bool     conn_records;     /* keep each flow's ntt_conn_record_t (what
                                  Zeek's conn.log counts): costs a record
                                  per flow and a tracker per live flow, so
                                  only when -z ntt,conn asks */
    ntt_detect_config_t detect; /* the detectors' thresholds */
    /* Optional inputs the glue loads; ntt_engine_new() takes them over
     * (the engine frees them). NULL: no GeoIP / no blocklist. */
    ntt_geo_t       *geo;
    ntt_blocklist_t *blocklist;
    ntt_anomaly_config_t anomaly; /* the anomaly model (its model, when
                                     set, is taken over as well) */
} ntt_config_t;

/* The defaults documented in docs/preferences.md. */
void ntt_config_init(ntt_config_t *config);

/* What the engine found for one frame, as every pass shows it: filled by
 * ntt_engine_process() on the first pass and decoded from the engine's
 * compact store by ntt_engine_frame() on later ones (the store keeps
 * about 24 bytes a frame, not this struct). */
typedef struct ntt_frame {
    ntt_flow_result_t flow;    /* valid when has_flow; all zero otherwise */
    bool              has_flow;
    bool              table_full; /* the first packet that found the live
                                     flow table full (an expert note) */
    bool              memcap_emergency; /* the packet at which emergency mode
                                     first engaged (an expert note) */
    uint16_t          trackers_full; /* bit (1 << ntt_episode_type_t): the
                                     first packet that found that detector's
                                     tracker table full (an expert note) */
    /* The attack trackers this packet belongs to (0: none) and each one's
     * packet count at this packet; see ntt_engine_frame_episodes(). */
    uint32_t          tokens[NTT_FRAME_EPISODES];
    uint32_t          counts[NTT_FRAME_EPISODES];
} ntt_frame_t;

/* Counters about the engine itself, for the report and expert notes. */
typedef struct ntt_engine_counters {
    uint64_t packets;          /* records processed */
    uint64_t ip_packets;       /* of which IP (with a flow) */
    uint32_t live_flows;       /* flows in the live table now */
    uint32_t peak_live_flows;
    uint64_t expired_flows;    /* ended by the idle timeout */
    uint64_t evicted_flows;    /* pushed out by the table cap */
    uint64_t unseen_replies;   /* TCP connections whose originator
                                  completed the handshake with no SYN-ACK
                                  in the capture (one direction only) */
    uint64_t replay_bytes;     /* what the per-frame replay store holds */
    uint64_t replay_frames;    /* frames it holds */
} ntt_engine_counters_t;

/* The memory of the live tables (ntt.memcap) and what is kept for the
 * whole file, for the report. Bytes are what malloc hands out. */
typedef struct ntt_engine_memory {
    uint64_t memcap_bytes;          /* the cap, 0: none */
    uint64_t used_bytes;            /* the live tables now */
    uint64_t peak_bytes;            /* ... at most */
    uint32_t emergency_count;       /* times emergency mode engaged */
    bool     emergency_now;         /* still in it */
    uint32_t first_emergency_frame; /* where it first engaged, 0: never */
    uint32_t last_emergency_frame;  /* where it last engaged */
    uint64_t frame_bytes;           /* per-frame results (replay; not capped) */
    uint64_t flow_record_bytes;     /* per-flow records (not capped) */
    uint64_t anomaly_bytes;         /* the anomaly model's per-flow data
                                       (not capped, like the records) */
    unsigned table_count;           /* ntt_engine_table_memory() 0 .. n-1 */
} ntt_engine_memory_t;

/* One live table's share: its bytes and what emergency mode took from it. */
typedef struct ntt_table_memory {
    const char *name;               /* "flows", "portscan", "synflood" ... */
    uint64_t    bytes;
    uint64_t    peak_bytes;
    uint64_t    emergency_expired;  /* entries expired with the shortened timeout */
    uint64_t    emergency_evicted;  /* oldest entries evicted for room */
    uint64_t    refused;            /* targets or URIs not kept for want of room */
} ntt_table_memory_t;

typedef struct ntt_engine ntt_engine_t;

/* A new engine holds one reference. The report takes its own, so the
 * flows it names stay readable after the dissection state is reset. */
ntt_engine_t *ntt_engine_new(const ntt_config_t *config);
ntt_engine_t *ntt_engine_ref(ntt_engine_t *engine);
void ntt_engine_unref(ntt_engine_t *engine);

/* First pass: processes one packet, stores its results under its frame
 * number and fills *out with them (out may be NULL). Frames must come in
 * increasing order; a frame already stored is not processed again and its
 * stored result is given. false: nothing to show, the frame number could
 * not be stored (0, or not above the last frame stored, or absurdly far
 * beyond it). */
bool ntt_engine_process(ntt_engine_t *engine, const ntt_packet_t *packet,
                        ntt_frame_t *out);

/* Any later pass: the stored results of a frame into *out; false if the
 * engine never stored it. ts_ns is the frame's timestamp, the one its
 * record had on the first pass: the flow's duration so far is derived
 * from it rather than stored. */
bool ntt_engine_frame(const ntt_engine_t *engine, uint32_t frame,
                      int64_t ts_ns, ntt_frame_t *out);

/* The record of a flow (latest totals and state), or NULL. */
const ntt_flow_summary_t *ntt_engine_flow(const ntt_engine_t *engine,
                                          uint32_t flow_id);

uint32_t ntt_engine_flow_count(const ntt_engine_t *engine);

/* Makes an engine that has seen no packet yet keep conn.log records, as
 * ntt_config_t.conn_records does; false (and nothing changed) once it
 * has flows. */
bool ntt_engine_keep_conn_records(ntt_engine_t *engine);

/* A flow's conn.log counts, or NULL when the engine keeps none
 * (ntt_config_t.conn_records off) or the id is unknown. */
const ntt_conn_record_t *ntt_engine_conn_record(const ntt_engine_t *engine,
                                                uint32_t flow_id);

/* Episodes, in order of detection. */
uint32_t ntt_engine_episode_count(const ntt_engine_t *engine);
const ntt_episode_t *ntt_engine_episode(const ntt_engine_t *engine,
                                        uint32_t id);

/* The episodes a frame belongs to, at most NTT_FRAME_EPISODES, into
 * episodes[] with the packet count "so far" at that frame into counts[]
 * (either may be NULL). whole_file false (the first pass): only episodes
 * detected at or before this frame; true (the whole file has been read):
 * every episode the packet belongs to, also before its detection. */
unsigned ntt_engine_frame_episodes(const ntt_engine_t *engine,
                                   const ntt_frame_t *frame,
                                   uint32_t frame_number, bool whole_file,
                                   const ntt_episode_t **episodes,
                                   uint64_t *counts);

void ntt_engine_counters(const ntt_engine_t *engine,
                         ntt_engine_counters_t *counters);

void ntt_engine_memory(const ntt_engine_t *engine, ntt_engine_memory_t *memory);

/* Table i (in the order the tables were made); false past the last. */
bool ntt_engine_table_memory(const ntt_engine_t *engine, unsigned i,
                             ntt_table_memory_t *table);

/* The seed the engine's tables hash with, for the report's own tables. */
uint64_t ntt_engine_hash_seed(const ntt_engine_t *engine);

/* The engine's GeoIP resolver and blocklist, or NULL. Lookups may fill
 * the resolver's cache, hence not const; answers never change. */
ntt_geo_t *ntt_engine_geo(const ntt_engine_t *engine);
const ntt_blocklist_t *ntt_engine_blocklist(const ntt_engine_t *engine);

/* Where an episode's attacker is (ntt_episode_has_attacker()), or NULL
 * (no GeoIP, no attacker). Fields the databases do not know are empty. */
const ntt_geo_info_t *ntt_engine_attacker_geo(const ntt_engine_t *engine,
                                              const ntt_episode_t *ep);

/* The anomaly model (ntt/anomaly.h). The whole file has been read:
 * trains on its flows (unless a baseline model was given), scores every
 * flow and ends the watched flows still open, which may raise anomaly
 * episodes. Cheap when called again with no new packet in between. */
void ntt_engine_anomaly_finish(ntt_engine_t *engine);

/* The same, only when flows are watched for anomaly episodes (a baseline
 * model and a threshold): what a later pass must call before showing
 * episodes. */
void ntt_engine_anomaly_finish_watched(ntt_engine_t *engine);

/* A flow's anomaly score in (0, 1]; false when it has none yet (before
 * the finish, or scored at its end by a baseline model). */
bool ntt_engine_flow_anomaly(const ntt_engine_t *engine, uint32_t flow_id,
                             double *score);

/* The model the scores come from (the baseline, or the one trained at the
 * finish), NULL when there is none (fewer than two flows). */
const ntt_anomaly_model_t *ntt_engine_anomaly_model(const ntt_engine_t *engine);
bool ntt_engine_anomaly_is_baseline(const ntt_engine_t *engine);

/* A new model trained on every flow so far (free it), for -z ntt,model;
 * NULL with fewer than two flows. */
ntt_anomaly_model_t *ntt_engine_anomaly_train(const ntt_engine_t *engine);

/* Up to max features of a flow that stand out against the model's
 * training flows, most first. */
unsigned ntt_engine_anomaly_reasons(const ntt_engine_t *engine, uint32_t flow_id,
                                    ntt_anomaly_reason_t *out, unsigned max);

#ifdef __cplusplus
}
#endif

#endif /* NTT_ENGINE_H */
