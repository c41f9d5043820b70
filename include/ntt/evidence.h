/* evidence.h
 * What -z ntt,evidence records of a capture, gathered on the engine's
 * side so that the glue only turns rows into SQL (docs/evidence.md): the
 * capture's content fingerprint and extent, and the flows of the hosts
 * an episode names, with the frames each one spans.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_EVIDENCE_H
#define NTT_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntt/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The fingerprint of a capture: SHA-256 over its packets, in frame order,
 * each contributing its timestamp (nanoseconds since the epoch, int64),
 * its length on the wire and its captured length (uint32 each), all
 * little-endian, then its captured bytes. Two runs over the same packets
 * give the same fingerprint whatever the file's format, name or
 * preferences; a changed byte, timestamp or packet gives another. */
#define NTT_FINGERPRINT_METHOD "sha256(ts_ns,len,caplen,bytes)/1"
#define NTT_FINGERPRINT_HEX_SIZE 65     /* 64 hex digits and the NUL */

typedef struct ntt_fingerprint ntt_fingerprint_t;

ntt_fingerprint_t *ntt_fingerprint_new(void);
void ntt_fingerprint_free(ntt_fingerprint_t *fp);
void ntt_fingerprint_reset(ntt_fingerprint_t *fp);

/* One packet; bytes holds caplen bytes (may be NULL when caplen is 0). */
void ntt_fingerprint_add(ntt_fingerprint_t *fp, int64_t ts_ns, uint32_t frame_len,
                         const uint8_t *bytes, uint32_t caplen);

/* The digest of the packets added so far, lower-case hex, into hex
 * (NTT_FINGERPRINT_HEX_SIZE bytes). Packets may still be added after. */
void ntt_fingerprint_hex(const ntt_fingerprint_t *fp, char *hex);

/* The capture's extent as the fingerprint saw it: every packet. */
typedef struct ntt_capture_extent {
    uint64_t packets;
    uint64_t bytes;            /* on the wire */
    int64_t  first_ns;         /* earliest and latest timestamp */
    int64_t  last_ns;
} ntt_capture_extent_t;

void ntt_fingerprint_extent(const ntt_fingerprint_t *fp, ntt_capture_extent_t *extent);

/* The flows of a capture as a (possibly filtered) report sees them, and
 * the frames each one spans there. */
typedef struct ntt_evidence ntt_evidence_t;

ntt_evidence_t *ntt_evidence_new(void);
void ntt_evidence_free(ntt_evidence_t *ev);
void ntt_evidence_reset(ntt_evidence_t *ev);

/* One packet the filter let through, with its frame number and the
 * engine's result (frame may be NULL). A new engine (a new file) starts
 * the counts again, as the report does. */
void ntt_evidence_add(ntt_evidence_t *ev, ntt_engine_t *engine, uint32_t frame_number,
                      uint32_t frame_len, const ntt_frame_t *frame);

/* The engine of the packets added (NULL before any). */
ntt_engine_t *ntt_evidence_engine(const ntt_evidence_t *ev);

/* Packets added. */
uint64_t ntt_evidence_packets(const ntt_evidence_t *ev);

/* A flow with an alerted host at one end: the source or the destination
 * of any episode of the capture (an attacker, a target, the internal
 * host of a blocklist contact). */
typedef struct ntt_evidence_flow {
    uint32_t                  flow_id;
    const ntt_flow_summary_t *summary;     /* the engine's record */
    uint32_t                  first_frame; /* the first and last frame the */
    uint32_t                  last_frame;  /* filter let through */
    uint64_t                  packets;     /* ... and what they count */
    uint64_t                  bytes;
} ntt_evidence_flow_t;

/* Those flows, by flow id; *count of them. g_free() the array. */
ntt_evidence_flow_t *ntt_evidence_alerted_flows(const ntt_evidence_t *ev, unsigned *count);

/* A flow's protocol as the JSON report names it: "tcp", "udp", "icmp",
 * "icmpv6", "sctp" or the number; buf holds 8 bytes. Returns buf or a
 * constant. */
const char *ntt_evidence_proto_name(uint8_t ip_proto, char *buf, size_t size);

/* A timestamp in UTC as the reports show it, "2024-01-02 03:04:05.678901";
 * buf holds 32 bytes. Returns buf. */
char *ntt_evidence_utc(int64_t ts_ns, char *buf, size_t size);

/* Where an episode's destination is (a blocklist contact's server), or
 * NULL: no GeoIP, no destination. */
const ntt_geo_info_t *ntt_evidence_dst_geo(const ntt_engine_t *engine,
                                           const ntt_episode_t *ep);

#ifdef __cplusplus
}
#endif

#endif /* NTT_EVIDENCE_H */
