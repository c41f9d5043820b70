/* detector.h
 * The contract between the engine and each detector family (one source
 * file each in detect/: portscan, sweep, arp-sweep, flood, bruteforce,
 * flags, blocklist, geo, surge; detect-registry.c lists them). create may
 * give NULL: the family is off under that configuration (a blocklist
 * family with no list, a geo family with no database or no countries) and
 * not run: no packet is dispatched to it, no table of its is opened, and
 * no flow carries a slot for it.
 *
 * A family subscribes to flow events (flow/flow-events.h) and is called
 * once for each packet that raises one of them. It keeps its own tracker
 * tables (track/tracker-table.h); every tracker begins with an
 * ntt_tracker_t, the part the engine reads. For each tracker the packet
 * belongs to, the detector calls ntt_detect_mark(); on the one packet
 * where it decides that the tracker is an attack, ntt_detect_raise() as
 * well, with the episode's identity and typed detail; on later packets of
 * a raised tracker, ntt_detect_update() with its grown detail. Nothing is
 * built for the packets of trackers that never raise but their token on
 * the frame.
 *
 *  - token: the tracker instance (ntt_tracker_start()). A tracker gets a
 *    fresh token when its attack is over (idle past its window) and it
 *    starts again; one token = at most one episode.
 *  - Marks before the raise are remembered per frame, so that once the
 *    whole file has been read every packet of the episode is marked, not
 *    only those from the detection on.
 *  - A detector marks only packets that are part of the attack it tracks
 *    (probes and the answers they draw), so benign traffic from the same
 *    host is not marked; at most one mark per tracker per packet.
 *
 * Packet time only: never the wall clock. Every table is capped; when a
 * detector evicts because a table is full it calls ntt_detect_evicted()
 * (the engine turns the first one into an expert note).
 *
 * Per-flow data lives in the flow's slot of the family (ops->slot_free
 * set): NULL until the detector stores a pointer there; from then on the
 * family also gets NTT_EV_SLOTTED for that flow's packets, and the engine
 * calls slot_free when the live flow ends (Suricata's FlowStorage).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_DETECTOR_H
#define NTT_DETECTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flow-events.h"
#include "ntt/episode.h"
#include "ntt/detect-config.h"
#include "ntt/packet.h"

/* What every tracker keeps, first in its struct. Zeroed with the tracker;
 * ntt_tracker_start() begins an instance. */
typedef struct ntt_tracker {
    uint32_t token;          /* the instance, never 0 once started */
    bool     raised;         /* its episode is open (ntt_detect_raise) */
    uint64_t count;          /* packets marked in this instance */
    uint32_t first_frame;    /* the instance's first packet */
    int64_t  start_ns;
} ntt_tracker_t;

/* Where marks go: the engine, or a test's recorder. */
typedef struct ntt_detect_sink {
    uint32_t next_token;     /* last token handed out; start at 0 */
    /* t's packet count has grown by this packet: record its membership. */
    void   (*mark)(void *ctx, const ntt_tracker_t *t);
    /* t became an episode with this identity and detail. */
    void   (*raise)(void *ctx, const ntt_tracker_t *t, const ntt_episode_t *info);
    /* t's episode has grown (its detail, read by the episode's own type;
     * dst when has_dst is learnt late). */
    void   (*update)(void *ctx, const ntt_tracker_t *t,
                     const ntt_episode_detail_t *detail, const ntt_addr_t *dst);
    void   (*evicted)(void *ctx, ntt_episode_type_t type);
    void    *ctx;
} ntt_detect_sink_t;

/* Begins a tracker instance at this packet: a fresh token, count 0, not
 * raised. */
void ntt_tracker_start(ntt_tracker_t *t, ntt_detect_sink_t *sink,
                       const ntt_packet_t *pkt);

/* This packet belongs to t's attack. */
void ntt_detect_mark(ntt_detect_sink_t *sink, ntt_tracker_t *t);

/* t is an attack, decided at this packet (already marked): info gives the
 * type, addresses, port and detail; its frames, times and packet count are
 * t's and the engine's. */
void ntt_detect_raise(ntt_detect_sink_t *sink, ntt_tracker_t *t,
                      const ntt_episode_t *info);

/* A raised t's detail now (statistics only grow: the engine keeps the
 * larger); dst, when not NULL, is a destination learnt after the raise. */
void ntt_detect_update(ntt_detect_sink_t *sink, const ntt_tracker_t *t,
                       const ntt_episode_detail_t *detail, const ntt_addr_t *dst);

/* A tracker table of this detector was full and evicted its oldest entry. */
void ntt_detect_evicted(ntt_detect_sink_t *sink, ntt_episode_type_t type);

/* Fills the identity of an episode about to be raised (the rest zero). */
void ntt_episode_identity(ntt_episode_t *info, ntt_episode_type_t type,
                          uint8_t ip_version, const ntt_addr_t *src,
                          const ntt_addr_t *dst, const uint16_t *port);

/* What a family is given besides its thresholds. */
typedef struct ntt_detect_env {
    unsigned slot;           /* its index in ntt_flow_event_t.slots, when
                                it keeps per-flow data */
} ntt_detect_env_t;

/* A detector family. */
typedef struct ntt_detector_ops {
    const char *name;
    uint32_t    events;      /* NTT_EV_* bits it is called for */
    void *(*create)(const ntt_detect_config_t *config, const ntt_detect_env_t *env);
    void  (*destroy)(void *state);
    void  (*event)(void *state, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink);
    /* NULL: the family keeps no per-flow data (and gets no slot). */
    void  (*slot_free)(void *state, void *slot);
} ntt_detector_ops_t;

extern const ntt_detector_ops_t ntt_detect_portscan_ops;
extern const ntt_detector_ops_t ntt_detect_sweep_ops;
extern const ntt_detector_ops_t ntt_detect_arp_sweep_ops; /* ARP only */
extern const ntt_detector_ops_t ntt_detect_flood_ops;      /* syn, udp, icmp, ddos */
extern const ntt_detector_ops_t ntt_detect_bruteforce_ops;
extern const ntt_detector_ops_t ntt_detect_flags_ops;
extern const ntt_detector_ops_t ntt_detect_blocklist_ops;
extern const ntt_detector_ops_t ntt_detect_geo_ops;
extern const ntt_detector_ops_t ntt_detect_surge_ops;     /* only with working hours */

#endif /* NTT_DETECTOR_H */
