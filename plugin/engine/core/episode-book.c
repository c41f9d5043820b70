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

/* Statistics only grow: a detector's view of an attack may shrink as its
 * window slides, the episode's record of it does not. How each detail
 * field merges is the type's descriptor's to say. */
static void update_statistics(ntt_episode_t *ep, const ntt_episode_t *info)
{
    ntt_episode_detail_merge((ntt_alert_type_t)ep->type, &ep->detail, &info->detail);
    /* What was learnt after the raise: a blocklisted name's address (the
     * first request URI is the descriptor's). */
    if (!ep->has_dst && info->has_dst) {
        ep->has_dst = true;
        ep->dst = info->dst;
    }
}

void ntt_episode_book_mark(ntt_episode_book_t *book, uint32_t frame,
                           int64_t ts_ns, const ntt_detect_mark_t *mark)
{
    ntt_episode_t *ep;

    if (mark->token == 0)
        return;
    ep = episode_of_token(book, mark->token);
    if (!ep) {
        ntt_episode_t fresh;

        if (!mark->raise)
            return;
        fresh = mark->info;
        fresh.id = book->episodes->len;
        fresh.detect_frame = frame;
        fresh.detect_ns = ts_ns;
        if (fresh.first_frame == 0 || fresh.first_frame > frame) {
            fresh.first_frame = frame;
            fresh.start_ns = ts_ns;
        }
        fresh.last_frame = frame;
        fresh.end_ns = ts_ns;
        fresh.packets = mark->count ? mark->count : 1;
        g_array_append_val(book->episodes, fresh);
        g_hash_table_insert(book->by_token, GUINT_TO_POINTER(mark->token),
                            GUINT_TO_POINTER(fresh.id + 1));
        set_raised(book, mark->token);
        return;
    }
    if (frame > ep->last_frame) {
        ep->last_frame = frame;
        ep->end_ns = ts_ns;
    }
    if (mark->count > ep->packets)
        ep->packets = mark->count;
    update_statistics(ep, &mark->info);
}

const ntt_episode_t *ntt_episode_book_by_token(const ntt_episode_book_t *book,
                                               uint32_t token)
{
    return token ? episode_of_token(book, token) : NULL;
}
