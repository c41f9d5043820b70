/* frame-store.c
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/frame-store.h"

/* Frame numbers grow by one per packet; a jump larger than this means a
 * caller bug or garbage, and must not make the store allocate gigabytes. */
#define MAX_FRAME_GAP 65536u

void ntt_frame_store_init(ntt_frame_store_t *store)
{
    store->frames = g_array_new(FALSE, TRUE, sizeof(ntt_frame_t));
    store->present = g_array_new(FALSE, TRUE, sizeof(guint8));
}

void ntt_frame_store_clear(ntt_frame_store_t *store)
{
    if (store->frames)
        g_array_free(store->frames, TRUE);
    if (store->present)
        g_array_free(store->present, TRUE);
    store->frames = store->present = NULL;
}

ntt_frame_t *ntt_frame_store_put(ntt_frame_store_t *store, uint32_t frame)
{
    if (frame == 0 || frame == UINT32_MAX)
        return NULL;
    if (frame >= store->frames->len) {
        if (frame - store->frames->len > MAX_FRAME_GAP)
            return NULL;
        g_array_set_size(store->frames, frame + 1);
        g_array_set_size(store->present, frame + 1);
    }
    g_array_index(store->present, guint8, frame) = 1;
    return &g_array_index(store->frames, ntt_frame_t, frame);
}

const ntt_frame_t *ntt_frame_store_get(const ntt_frame_store_t *store,
                                       uint32_t frame)
{
    if (frame >= store->frames->len ||
        !g_array_index(store->present, guint8, frame))
        return NULL;
    return &g_array_index(store->frames, ntt_frame_t, frame);
}

uint64_t ntt_frame_store_bytes(const ntt_frame_store_t *store)
{
    return (uint64_t)store->frames->len * (sizeof(ntt_frame_t) + sizeof(guint8));
}
