/* probe-book.c
 * See probe-book.h. Timeouts and window ends are found from the heads of
 * two time-ordered queues, so aging costs O(1) amortized per probe.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "track/probe-book.h"
#include "util/word-hash.h"

#include <string.h>

typedef struct target {
    ntt_addr_t key;
    uint8_t    state;         /* ntt_probe_state_t */
    int64_t    since_ns;      /* probe time (pending), failure time (failed) */
} target_t;

/* A note to look at a target again; stale when the target moved on. */
typedef struct event {
    ntt_addr_t key;
    int64_t    at_ns;
} event_t;

static guint addr_hash(gconstpointer p)
{
    return ntt_word_hash(p, sizeof(ntt_addr_t));
}

static gboolean addr_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(ntt_addr_t)) == 0;
}

void ntt_probe_book_init(ntt_probe_book_t *book)
{
    memset(book, 0, sizeof *book);
    book->targets = g_hash_table_new_full(addr_hash, addr_equal, NULL, g_free);
    g_queue_init(&book->pending);
    g_queue_init(&book->failures);
}

void ntt_probe_book_clear(ntt_probe_book_t *book)
{
    if (book->targets)
        g_hash_table_destroy(book->targets);
    g_queue_clear_full(&book->pending, g_free);
    g_queue_clear_full(&book->failures, g_free);
    book->targets = NULL;
}

ntt_addr_t ntt_probe_target_number(uint32_t number)
{
    ntt_addr_t a;

    memset(&a, 0, sizeof a);
    memcpy(a.bytes, &number, sizeof number);
    return a;
}

static void push_event(GQueue *q, const ntt_addr_t *key, int64_t at_ns)
{
    event_t *e = g_new(event_t, 1);

    e->key = *key;
    e->at_ns = at_ns;
    g_queue_push_tail(q, e);
}

ntt_probe_state_t ntt_probe_book_state(const ntt_probe_book_t *book,
                                       const ntt_addr_t *target)
{
    const target_t *t = g_hash_table_lookup(book->targets, target);

    return t ? (ntt_probe_state_t)t->state : NTT_PROBE_NONE;
}

bool ntt_probe_book_probe(ntt_probe_book_t *book, const ntt_addr_t *target,
                          int64_t now_ns, uint32_t max_targets)
{
    target_t *t = g_hash_table_lookup(book->targets, target);

    if (!t) {
        if (g_hash_table_size(book->targets) >= max_targets)
            return false;
        t = g_new0(target_t, 1);
        t->key = *target;
        g_hash_table_insert(book->targets, &t->key, t);
    }
    if (t->state == NTT_PROBE_FAILED || t->state == NTT_PROBE_ANSWERED)
        return true;
    if (t->state != NTT_PROBE_PENDING)
        book->pending_count++;
    t->state = NTT_PROBE_PENDING;
    t->since_ns = now_ns;
    push_event(&book->pending, target, now_ns);
    return true;
}

static void fail_target(ntt_probe_book_t *book, target_t *t, int64_t at_ns)
{
    book->pending_count--;
    book->failed_count++;
    if (book->failed_count > book->peak_failed)
        book->peak_failed = book->failed_count;
    t->state = NTT_PROBE_FAILED;
    t->since_ns = at_ns;
    push_event(&book->failures, &t->key, at_ns);
}

bool ntt_probe_book_fail(ntt_probe_book_t *book, const ntt_addr_t *target,
                         int64_t now_ns)
{
    target_t *t = g_hash_table_lookup(book->targets, target);

    if (!t || t->state != NTT_PROBE_PENDING)
        return false;
    fail_target(book, t, now_ns);
    return true;
}

ntt_probe_state_t ntt_probe_book_answer(ntt_probe_book_t *book,
                                        const ntt_addr_t *target)
{
    target_t *t = g_hash_table_lookup(book->targets, target);
    ntt_probe_state_t before;

    if (!t)
        return NTT_PROBE_NONE;
    before = (ntt_probe_state_t)t->state;
    if (before == NTT_PROBE_PENDING)
        book->pending_count--;
    else if (before == NTT_PROBE_FAILED)
        book->failed_count--;
    t->state = NTT_PROBE_ANSWERED;
    return before;
}

uint32_t ntt_probe_book_age(ntt_probe_book_t *book, int64_t now_ns,
                            int64_t timeout_ns, int64_t window_ns)
{
    uint32_t failed_now = 0;
    event_t *e;

    while ((e = g_queue_peek_head(&book->pending)) && now_ns - e->at_ns > timeout_ns) {
        target_t *t = g_hash_table_lookup(book->targets, &e->key);

        g_queue_pop_head(&book->pending);
        if (t && t->state == NTT_PROBE_PENDING && t->since_ns == e->at_ns) {
            fail_target(book, t, e->at_ns + timeout_ns);
            failed_now++;
        }
        g_free(e);
    }
    while ((e = g_queue_peek_head(&book->failures)) && now_ns - e->at_ns > window_ns) {
        target_t *t = g_hash_table_lookup(book->targets, &e->key);

        g_queue_pop_head(&book->failures);
        if (t && t->state == NTT_PROBE_FAILED && t->since_ns == e->at_ns) {
            book->failed_count--;
            g_hash_table_remove(book->targets, &e->key);
        }
        g_free(e);
    }
    return failed_now;
}
