/* detector.h
 * The contract between the engine and each detector (one source file per
 * family: detect-portscan.c, detect-sweep.c, detect-flood.c,
 * detect-bruteforce.c, detect-flags.c).
 *
 * The engine hands every IP packet, after flow accounting, to every
 * detector, and every ARP record to the detectors that take ARP (the
 * optional arp entry point). A detector keeps its own capped tracker
 * tables and, for each tracker the packet belongs to, emits a mark
 * through the sink:
 *
 *  - token: the tracker instance, from ntt_detect_token(). A tracker gets
 *    a token when it starts and a fresh one when its attack is over (idle
 *    past its window) and it starts again; one token = at most one episode.
 *  - raise: true on the one packet where the detector decides that the
 *    tracker is an attack. The engine then opens the episode from
 *    mark->info (type, addresses, first_frame/start_ns of the tracker's
 *    first packet, and the statistics).
 *  - Marks before the raise are remembered per frame, so that once the
 *    whole file has been read every packet of the episode is marked, not
 *    only those from the detection on.
 *  - Marks after the raise update the episode (packets, last frame, the
 *    statistics in info: the engine keeps the larger of old and new).
 *
 * A detector emits at most one mark per tracker per packet and only marks
 * packets that are part of the attack it tracks (probes and the answers
 * they draw), so benign traffic from the same host is not marked.
 * Packet time only: never the wall clock. Every table capped by
 * config->max_trackers; when a detector evicts because a table is full it
 * calls ntt_detect_evicted() (the engine turns the first one into an
 * expert note).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_DETECTOR_H
#define NTT_DETECTOR_H

#include <stdbool.h>
#include <stdint.h>

#include "ntt/alert.h"
#include "ntt/detect-config.h"
#include "ntt/flow.h"
#include "ntt/packet.h"

/* What a detector sees of one packet. */
typedef struct ntt_detect_input {
    const ntt_packet_t       *pkt;      /* ip_version is 4 or 6 */
    const ntt_flow_result_t  *flow;     /* this packet's flow result */
    const ntt_flow_summary_t *summary;  /* the flow: originator, responder */
    uint8_t                   prev_state; /* flow state before this packet */
} ntt_detect_input_t;

typedef struct ntt_detect_mark {
    uint32_t      token;
    bool          raise;
    uint64_t      count;    /* the tracker's packets so far, this one included */
    ntt_episode_t info;     /* identity and statistics; id/detect/last/packets
                               are the engine's and ignored here */
} ntt_detect_mark_t;

/* Where marks go: the engine's episode book, or a test's recorder. */
typedef struct ntt_detect_sink {
    uint32_t next_token;     /* last token handed out; start at 0 */
    void   (*emit)(void *ctx, const ntt_detect_mark_t *mark);
    void   (*evicted)(void *ctx, ntt_alert_type_t type);
    void    *ctx;
} ntt_detect_sink_t;

/* A new tracker instance id, never 0. */
uint32_t ntt_detect_token(ntt_detect_sink_t *sink);

void ntt_detect_emit(ntt_detect_sink_t *sink, const ntt_detect_mark_t *mark);

/* A tracker table of this detector was full and evicted its oldest entry. */
void ntt_detect_evicted(ntt_detect_sink_t *sink, ntt_alert_type_t type);

/* A detector family. */
typedef struct ntt_detector_ops {
    const char *name;
    void *(*create)(const ntt_detect_config_t *config);
    void  (*destroy)(void *state);
    void  (*packet)(void *state, const ntt_detect_input_t *in,
                    ntt_detect_sink_t *sink);
    /* Optional (NULL when the family has no use for them): the ARP
     * records (pkt->is_arp), which are not IP and so get no flow and
     * never reach packet(). Same sink, same rules for marks. */
    void  (*arp)(void *state, const ntt_packet_t *pkt, ntt_detect_sink_t *sink);
} ntt_detector_ops_t;

extern const ntt_detector_ops_t ntt_detect_portscan_ops;
extern const ntt_detector_ops_t ntt_detect_sweep_ops;
extern const ntt_detector_ops_t ntt_detect_arp_sweep_ops; /* ARP only */
extern const ntt_detector_ops_t ntt_detect_flood_ops;      /* syn, udp, icmp, ddos */
extern const ntt_detector_ops_t ntt_detect_bruteforce_ops;
extern const ntt_detector_ops_t ntt_detect_flags_ops;
extern const ntt_detector_ops_t ntt_detect_blocklist_ops;
extern const ntt_detector_ops_t ntt_detect_geo_ops;

#endif /* NTT_DETECTOR_H */
