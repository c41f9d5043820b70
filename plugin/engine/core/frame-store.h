/* frame-store.h
 * Per-frame results, kept for the whole file so every later pass (a GUI
 * click, a re-filter, tshark -2) shows exactly what the first pass found.
 * Frame numbers are dense from 1, so a flat array indexed by frame number
 * is both the smallest and the fastest store.
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
    GArray *frames;            /* ntt_frame_t, index = frame number */
    GArray *present;           /* guint8 per frame: stored or not */
} ntt_frame_store_t;

void ntt_frame_store_init(ntt_frame_store_t *store);
void ntt_frame_store_clear(ntt_frame_store_t *store);

/* The slot for a new frame, or NULL when the frame number cannot be
 * stored (0, or absurdly far beyond the frames seen). */
ntt_frame_t *ntt_frame_store_put(ntt_frame_store_t *store, uint32_t frame);

const ntt_frame_t *ntt_frame_store_get(const ntt_frame_store_t *store,
                                       uint32_t frame);

/* The bytes of the stored results (not a live table: kept for replay). */
uint64_t ntt_frame_store_bytes(const ntt_frame_store_t *store);

#endif /* NTT_FRAME_STORE_H */
