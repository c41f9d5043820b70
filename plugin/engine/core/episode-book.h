/* episode-book.h
 * The engine's record of attack episodes: which tracker token became
 * which episode, and each episode's running totals. Detectors decide;
 * the book only numbers, keeps and updates what they decided.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_EPISODE_BOOK_H
#define NTT_EPISODE_BOOK_H

#include <glib.h>

#include "detect/detector.h"

typedef struct ntt_episode_book {
    GArray     *episodes;      /* ntt_episode_t, index = id */
    GHashTable *by_token;      /* token -> episode id + 1 */
    GByteArray *raised;        /* bit per token: it has an episode; most
                                  marks are of trackers that never raise,
                                  and this spares them the hash lookup */
} ntt_episode_book_t;

void ntt_episode_book_init(ntt_episode_book_t *book);
void ntt_episode_book_clear(ntt_episode_book_t *book);

/* Tracker t became an episode at this packet (frame, time): info gives
 * its identity and detail, t its first packet and packet count. */
void ntt_episode_book_open(ntt_episode_book_t *book, const ntt_tracker_t *t,
                           const ntt_episode_t *info, uint32_t frame,
                           int64_t ts_ns);

/* A later packet of a raised tracker: the episode's last frame and count. */
void ntt_episode_book_extend(ntt_episode_book_t *book, const ntt_tracker_t *t,
                             uint32_t frame, int64_t ts_ns);

/* The episode's detail has grown (statistics only grow); dst, when not
 * NULL, is a destination learnt after the raise. */
void ntt_episode_book_update(ntt_episode_book_t *book, const ntt_tracker_t *t,
                             const ntt_episode_detail_t *detail,
                             const ntt_addr_t *dst);

/* The episode a token became, to write the engine's own measurements
 * into (its entropy figures), or NULL. */
ntt_episode_t *ntt_episode_book_measured(ntt_episode_book_t *book, uint32_t token);

/* The episode a token became, or NULL (none yet, or token 0). */
const ntt_episode_t *ntt_episode_book_by_token(const ntt_episode_book_t *book,
                                               uint32_t token);

#endif /* NTT_EPISODE_BOOK_H */
