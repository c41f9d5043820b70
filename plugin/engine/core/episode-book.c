/* episode-book.c
 * See episode-book.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/episode-book.h"

void ntt_episode_book_init(ntt_episode_book_t *book)
{
    book->episodes = g_array_new(FALSE, TRUE, sizeof(ntt_episode_t));
    book->by_token = g_hash_table_new(g_direct_hash, g_direct_equal);
    book->raised = g_byte_array_new();
}

static bool token_raised(const ntt_episode_book_t *book, uint32_t token)
{
    return token / 8 < book->raised->len &&
           (book->raised->data[token / 8] & (1u << (token % 8)));
}

static void set_raised(ntt_episode_book_t *book, uint32_t token)
{
    if (token / 8 >= book->raised->len)
        g_byte_array_set_size(book->raised, token / 8 + 1024);
    book->raised->data[token / 8] |= (guint8)(1u << (token % 8));
}

void ntt_episode_book_clear(ntt_episode_book_t *book)
{
    if (book->episodes)
        g_array_free(book->episodes, TRUE);
    if (book->by_token)
        g_hash_table_destroy(book->by_token);
    if (book->raised)
        g_byte_array_free(book->raised, TRUE);
    book->episodes = NULL;
    book->by_token = NULL;
    book->raised = NULL;
}

static ntt_episode_t *episode_of_token(const ntt_episode_book_t *book,
                                       uint32_t token)
{
    guint id1;

    if (!token_raised(book, token))
        return NULL;
    id1 = GPOINTER_TO_UINT(g_hash_table_lookup(book->by_token,
                                                     GUINT_TO_POINTER(token)));

    return id1 ? &g_array_index(book->episodes, ntt_episode_t, id1 - 1) : NULL;
}

void ntt_episode_book_open(ntt_episode_book_t *book, const ntt_tracker_t *t,
                           const ntt_episode_t *info, uint32_t frame,
                           int64_t ts_ns)
{
    ntt_episode_t fresh;

    if (t->token == 0 || episode_of_token(book, t->token))
        return;
    fresh = *info;
    fresh.id = book->episodes->len;
    fresh.detect_frame = frame;
    fresh.detect_ns = ts_ns;
    fresh.first_frame = t->first_frame;
    fresh.start_ns = t->start_ns;
    if (fresh.first_frame == 0 || fresh.first_frame > frame) {
        fresh.first_frame = frame;
        fresh.start_ns = ts_ns;
    }
    fresh.last_frame = frame;
    fresh.end_ns = ts_ns;
    fresh.packets = t->count ? t->count : 1;
    g_array_append_val(book->episodes, fresh);
    g_hash_table_insert(book->by_token, GUINT_TO_POINTER(t->token),
                        GUINT_TO_POINTER(fresh.id + 1));
    set_raised(book, t->token);
}

void ntt_episode_book_extend(ntt_episode_book_t *book, const ntt_tracker_t *t,
                             uint32_t frame, int64_t ts_ns)
{
    ntt_episode_t *ep = episode_of_token(book, t->token);

    if (!ep)
        return;
    if (frame > ep->last_frame) {
        ep->last_frame = frame;
        ep->end_ns = ts_ns;
    }
    if (t->count > ep->packets)
        ep->packets = t->count;
}

void ntt_episode_book_update(ntt_episode_book_t *book, const ntt_tracker_t *t,
                             const ntt_episode_detail_t *detail,
                             const ntt_addr_t *dst)
{
    ntt_episode_t *ep = episode_of_token(book, t->token);

    if (!ep)
        return;
    /* A detector's view of an attack may shrink as its window slides, the
     * episode's record of it does not. */
    ntt_episode_detail_merge((ntt_episode_type_t)ep->type, &ep->detail, detail);
    /* What was learnt after the raise: a blocklisted name's address. */
    if (!ep->has_dst && dst) {
        ep->has_dst = true;
        ep->dst = *dst;
    }
}

const ntt_episode_t *ntt_episode_book_by_token(const ntt_episode_book_t *book,
                                               uint32_t token)
{
    return token ? episode_of_token(book, token) : NULL;
}

ntt_episode_t *ntt_episode_book_measured(ntt_episode_book_t *book, uint32_t token)
{
    return token ? episode_of_token(book, token) : NULL;
}
