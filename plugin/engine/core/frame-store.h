/* frame-store.h
 * Per-frame results, kept for the whole file so every later pass (a GUI
 * click, a re-filter, tshark -2) shows exactly what the first pass found.
 *
 * Frame numbers are dense from 1, so the store is a flat array indexed by
 * frame number -- of a 24-byte record, not of the decoded ntt_frame_t:
 * the store lives as long as the file and a million-packet flood keeps a
 * million of them. What a record cannot hold goes to side tables that
 * stay empty in ordinary traffic:
 *
 *  - flow id, direction, state, new_flow: in the record, as they are;
 *  - packets so far per direction: low 24 bits in the record; bytes so
 *    far per direction: low 32 bits. A flow's high parts only grow, so
 *    the frames where they change are kept per flow (highs) and a frame's
 *    high parts are those of the flow's last change at or before it: one
 *    entry per 16 Mi packets or 4 GiB of a flow, not one per frame;
 *  - gap since the flow's previous packet: in the record when it fits
 *    0 .. 2^32-2 ns (4.29 s); otherwise the record says "escaped" and the
 *    exact value is in iat_escapes, by frame;
 *  - the trackers the packet belongs to (tokens and counts, slot order
 *    kept, up to NTT_FRAME_EPISODES): varint pairs in one byte pool, the
 *    record holds their length. Each block of FRAME_BLOCK frames knows
 *    where its first bytes start, so a frame's bytes are found by adding
 *    up the lengths before it in its block;
 *  - what the engine can derive is not stored: the service is the flow's
 *    (its summary has it), the duration so far is the frame's timestamp
 *    minus the flow's first; the once-per-file notes (table full,
 *    tracker table full) are kept by the engine as the frame where they
 *    were made.
 *
 * Frames are stored in increasing order: a frame number at or below the
 * last stored one is refused (it is either stored already, or a caller
 * bug), which keeps every side table sorted by frame.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_FRAME_STORE_H
#define NTT_FRAME_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "ntt/engine.h"

typedef struct ntt_frame_store {
    /* ntt_frame_record_t, index = frame number: grown by doubling, by
     * hand, as a GArray's g_array_set_size() for every frame was a
     * library call and a clear of the new element per packet. */
    struct ntt_frame_record *records;
    uint32_t    records_len;   /* frames up to the last stored, plus one */
    uint32_t    records_cap;
    GArray     *blocks;        /* uint32_t per FRAME_BLOCK frames: where the
                                  block's membership bytes start in pool */
    GByteArray *pool;          /* membership bytes, in frame order */
    GArray     *iat_escapes;   /* ntt_iat_escape_t, by frame */
    GHashTable *highs;         /* flow id -> GArray of ntt_flow_highs_t,
                                  by frame; NULL until a flow needs one */
    uint64_t    highs_bytes;   /* what the highs entries hold */
    uint32_t    stored;        /* frames stored */
} ntt_frame_store_t;

void ntt_frame_store_init(ntt_frame_store_t *store);
void ntt_frame_store_clear(ntt_frame_store_t *store);

/* Stores a frame's results: result->flow (but service and duration_ns,
 * which the engine derives), has_flow, tokens and counts. false when the
 * frame number cannot be stored: 0, UINT32_MAX, not above the last frame
 * stored, or absurdly far beyond it. */
bool ntt_frame_store_put(ntt_frame_store_t *store, uint32_t frame,
                         const ntt_frame_t *result);

/* Decodes a stored frame into out (service, duration_ns, table_full and
 * trackers_full zero: the engine's to fill). false, out untouched, when
 * the frame was never stored. */
bool ntt_frame_store_get(const ntt_frame_store_t *store, uint32_t frame,
                         ntt_frame_t *out);

/* Bytes the records and side tables hold (in use, not reserved). */
uint64_t ntt_frame_store_bytes(const ntt_frame_store_t *store);

#endif /* NTT_FRAME_STORE_H */
