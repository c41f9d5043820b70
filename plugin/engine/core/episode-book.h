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

/* A mark of a packet (frame, time): opens the episode on a raise, updates
 * it on later marks of its token. Marks of tokens that never raised are
 * not kept here (the frame store remembers them). */
void ntt_episode_book_mark(ntt_episode_book_t *book, uint32_t frame,
                           int64_t ts_ns, const ntt_detect_mark_t *mark);

/* The episode a token became, or NULL (none yet, or token 0). */
const ntt_episode_t *ntt_episode_book_by_token(const ntt_episode_book_t *book,
                                               uint32_t token);

#endif /* NTT_EPISODE_BOOK_H */
