/* probe-book.c
 * See probe-book.h. Timeouts and window ends are found from the heads of
 * two time-ordered queues, so aging costs O(1) amortized per probe; a
 * book of one target keeps, instead of them, one event of each kind
 * beside that target, and makes them with a second.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "track/probe-book.h"

#include <stddef.h>
#include <string.h>

#include <glib.h>

typedef ntt_probe_target_t target_t;
typedef ntt_probe_entry_t entry_t;

struct ntt_probe_many {
    ntt_hash_table_t  targets;   /* owned targets, by address */
    ntt_probe_queue_t pending;   /* events by probe time */
    ntt_probe_queue_t failures;  /* events by failure time */
};

G_STATIC_ASSERT(sizeof(ntt_probe_book_t) == 72);

/* The first ring, when a queue outgrows its one event. */
#define QUEUE_GROWN_CAP 2u

/* The ring's pointer and head fit in the bytes of the event held inline:
 * a queue is that event, its len and its cap, and nothing more. */
G_STATIC_ASSERT(sizeof(ntt_probe_queue_t) ==
                sizeof(ntt_probe_event_t) + 2 * sizeof(uint32_t));

static size_t target_bytes(void)
{
    return ntt_memcap_malloc_size(sizeof(target_t));
}

/* The index and the queues, made with the second target. */
static size_t many_bytes(void)
{
    return ntt_memcap_malloc_size(sizeof(ntt_probe_many_t));
}

static size_t ring_bytes(uint32_t cap)
{
    return cap ? ntt_memcap_malloc_size((size_t)cap * sizeof(ntt_probe_event_t)) : 0;
}

size_t ntt_probe_book_many_bytes(void)
{
    return many_bytes();
}

/* ---- event queues ------------------------------------------------------ */

/* The i-th event from the head. */
static ntt_probe_event_t *queue_at(ntt_probe_queue_t *q, uint32_t i)
{
    return q->cap ? &q->ring[(q->head + i) % q->cap] : &q->one;
}

/* cap 1 or less: the event held in the queue itself. */
static void queue_resize(ntt_probe_book_t *book, ntt_probe_queue_t *q, uint32_t cap)
{
    /* one shares its bytes with the ring's pointer and head: the old
     * ring is kept aside, and its events read out, before they go. */
    ntt_probe_event_t *old = q->cap ? q->ring : NULL;

    if (cap <= 1) {
        cap = 0;
        if (q->len)
            q->one = *queue_at(q, 0);
    } else {
        ntt_probe_event_t *ring = g_new(ntt_probe_event_t, cap);

        for (uint32_t i = 0; i < q->len; i++)
            ring[i] = *queue_at(q, i);
        q->ring = ring;
        q->head = 0;
    }
    /* Events are what ages the targets already held: always kept, so
     * they are charged whatever the cap (bounded by the probes within
     * the timeout and window). */
    if (ring_bytes(cap) > ring_bytes(q->cap))
        ntt_memcap_charge(book->account, ring_bytes(cap) - ring_bytes(q->cap));
    else
        ntt_memcap_release(book->account, ring_bytes(q->cap) - ring_bytes(cap));
    g_free(old);
    q->cap = cap;
}

static void queue_push(ntt_probe_book_t *book, ntt_probe_queue_t *q,
                       const ntt_addr_t *key, int64_t at_ns)
{
    ntt_probe_event_t *e;

    if (q->len == (q->cap ? q->cap : 1))
        queue_resize(book, q, q->cap ? q->cap * 2 : QUEUE_GROWN_CAP);
    e = queue_at(q, q->len);
    e->key = *key;
    e->at_ns = at_ns;
    q->len++;
}

static const ntt_probe_event_t *queue_head(ntt_probe_queue_t *q)
{
    return q->len ? queue_at(q, 0) : NULL;
}

static void queue_pop(ntt_probe_book_t *book, ntt_probe_queue_t *q)
{
    if (q->cap)
        q->head = (q->head + 1) % q->cap;
    q->len--;
    /* A burst's ring is given back once it has drained. */
    if (q->cap && (q->len < q->cap / 4 || (q->len == 0 && q->cap == QUEUE_GROWN_CAP)))
        queue_resize(book, q, q->cap / 2);
}

static void queue_clear(ntt_probe_book_t *book, ntt_probe_queue_t *q)
{
    ntt_memcap_release(book->account, ring_bytes(q->cap));
    if (q->cap)
        g_free(q->ring);    /* else those bytes are the event held inline */
    memset(q, 0, sizeof *q);
}

/* ---- targets ------------------------------------------------------------ */

void ntt_probe_book_init(ntt_probe_book_t *book, ntt_memcap_account_t *account)
{
    memset(book, 0, sizeof *book);
    book->account = account;
}

static uint32_t indexed(const ntt_probe_book_t *book)
{
    return book->many ? book->many->targets.count : 0;
}

static entry_t *find(const ntt_probe_book_t *book, const ntt_addr_t *key)
{
    ntt_hash_table_t *index;
    ntt_hash_link_t *link;

    if (book->first.held)
        return memcmp(&book->first.key, key, sizeof *key) == 0 ?
               (entry_t *)&book->first : NULL;
    if (indexed(book) == 0)
        return NULL;
    index = &book->many->targets;
    link = ntt_hash_table_find_sized(index, key,
                                     ntt_hash_table_hash_sized(index, key, sizeof *key),
                                     sizeof *key);
    return link ? &NTT_HASH_ENTRY(link, target_t, link)->entry : NULL;
}

static target_t *target_of(entry_t *e)
{
    return (target_t *)(void *)((char *)e - offsetof(target_t, entry));
}

static void index_target(ntt_probe_book_t *book, target_t *t)
{
    ntt_hash_table_t *index = &book->many->targets;

    ntt_hash_table_insert(index, &t->link, ntt_hash_table_hash(index, &t->entry.key));
}

static void drop_target(ntt_probe_book_t *book, entry_t *e)
{
    if (e == &book->first) {
        book->first.held = false;
        return;
    }
    ntt_hash_table_remove(&book->many->targets, &target_of(e)->link);
    g_free(target_of(e));
    ntt_memcap_release(book->account, target_bytes());
}

/* The index and the queues, the events held beside the first moved into
 * them; the caller has charged many_bytes(). */
static void make_many(ntt_probe_book_t *book)
{
    ntt_probe_many_t *many = g_new0(ntt_probe_many_t, 1);
    uint8_t queued = book->first.queued;

    ntt_hash_table_init(&many->targets,
                        offsetof(target_t, entry.key) - offsetof(target_t, link),
                        sizeof(ntt_addr_t), ntt_memcap_account_seed(book->account),
                        book->account);
    book->many = many;
    book->first.queued = 0;
    if (queued & NTT_PROBE_QUEUED_PENDING)
        queue_push(book, &many->pending, &book->first.key, book->pending_at_ns);
    if (queued & NTT_PROBE_QUEUED_FAILURE)
        queue_push(book, &many->failures, &book->first.key, book->failure_at_ns);
}

/* A second event while one is held: the queues. Charged whatever the
 * cap, as a queue's ring is: like every event, those age the targets
 * already held. */
static void make_many_for_events(ntt_probe_book_t *book)
{
    ntt_memcap_charge(book->account, many_bytes());
    make_many(book);
}

/* While the book has no queues, an event of its first target is held
 * beside it, one of each kind (kind: NTT_PROBE_QUEUED_PENDING or
 * _FAILURE); the next makes the queues. (Keeping only the last would do
 * while time moves on, but a capture's clock may step back, and then an
 * older event can match a target's probe again.) */
static void push_event(ntt_probe_book_t *book, uint8_t kind, const ntt_addr_t *key,
                       int64_t at_ns)
{
    bool pending = kind == NTT_PROBE_QUEUED_PENDING;

    if (!book->many && (book->first.queued & kind))
        make_many_for_events(book);
    if (book->many) {
        queue_push(book, pending ? &book->many->pending : &book->many->failures, key, at_ns);
        return;
    }
    book->first.queued |= kind;
    *(pending ? &book->pending_at_ns : &book->failure_at_ns) = at_ns;
}

/* A new target: in the book while it is the only one, else indexed (the
 * book's own first moving to the heap beside it, the index made if need
 * be). NULL when the memcap has no room. */
static entry_t *add_target(ntt_probe_book_t *book, const ntt_addr_t *key)
{
    entry_t *e;
    target_t *t;
    size_t need;

    if (!book->first.held && indexed(book) == 0) {
        /* Events still held are of the target forgotten: into the queues
         * under its key, before the new one takes its place. */
        if (book->first.queued)
            make_many_for_events(book);
        e = &book->first;
        memset(e, 0, sizeof *e);
        e->held = true;
        e->key = *key;
        return e;
    }
    need = target_bytes() * (book->first.held ? 2 : 1) + (book->many ? 0 : many_bytes());
    if (!ntt_memcap_reserve(book->account, need)) {
        book->account->refused++;
        return NULL;
    }
    if (!book->many)
        make_many(book);
    if (book->first.held) {
        target_t *moved = g_new0(target_t, 1);

        moved->entry = book->first;
        moved->entry.held = false;
        book->first.held = false;
        index_target(book, moved);
    }
    t = g_new0(target_t, 1);
    t->entry.key = *key;
    index_target(book, t);
    return &t->entry;
}

static void free_target(ntt_hash_link_t *link, void *ctx)
{
    ntt_probe_book_t *book = ctx;

    g_free(NTT_HASH_ENTRY(link, target_t, link));
    ntt_memcap_release(book->account, target_bytes());
}

void ntt_probe_book_clear(ntt_probe_book_t *book)
{
    book->first.held = false;
    book->first.queued = 0;
    if (book->many) {
        ntt_hash_table_drain(&book->many->targets, free_target, book);
        queue_clear(book, &book->many->pending);
        queue_clear(book, &book->many->failures);
        g_free(book->many);
        book->many = NULL;
        ntt_memcap_release(book->account, many_bytes());
    }
}

ntt_addr_t ntt_probe_target_number(uint32_t number)
{
    ntt_addr_t a;

    memset(&a, 0, sizeof a);
    memcpy(a.bytes, &number, sizeof number);
    return a;
}

uint32_t ntt_probe_target_number_of(const ntt_addr_t *target)
{
    uint32_t number;

    memcpy(&number, target->bytes, sizeof number);
    return number;
}

void ntt_probe_book_visit(const ntt_probe_book_t *book,
                          void (*visit)(const ntt_addr_t *target, ntt_probe_state_t state,
                                        void *ctx),
                          void *ctx)
{
    ntt_hash_link_t *cursor = NULL, *link;

    if (book->first.held)
        visit(&book->first.key, (ntt_probe_state_t)book->first.state, ctx);
    if (!book->many)
        return;
    while ((link = ntt_hash_table_next(&book->many->targets, &cursor))) {
        const target_t *t = NTT_HASH_ENTRY(link, target_t, link);

        visit(&t->entry.key, (ntt_probe_state_t)t->entry.state, ctx);
    }
}

ntt_probe_state_t ntt_probe_book_state(const ntt_probe_book_t *book,
                                       const ntt_addr_t *target)
{
    const entry_t *t = find(book, target);

    return t ? (ntt_probe_state_t)t->state : NTT_PROBE_NONE;
}

bool ntt_probe_book_probe(ntt_probe_book_t *book, const ntt_addr_t *target,
                          int64_t now_ns, uint32_t max_targets)
{
    entry_t *t = find(book, target);

    if (!t) {
        if (indexed(book) + book->first.held >= max_targets)
            return false;
        t = add_target(book, target);
        if (!t)
            return false;
    }
    if (t->state == NTT_PROBE_FAILED || t->state == NTT_PROBE_ANSWERED)
        return true;
    if (t->state != NTT_PROBE_PENDING)
        book->pending_count++;
    t->state = NTT_PROBE_PENDING;
    t->since_ns = now_ns;
    push_event(book, NTT_PROBE_QUEUED_PENDING, target, now_ns);
    return true;
}

static void fail_target(ntt_probe_book_t *book, entry_t *t, int64_t at_ns)
{
    book->pending_count--;
    book->failed_count++;
    t->state = NTT_PROBE_FAILED;
    t->since_ns = at_ns;
    push_event(book, NTT_PROBE_QUEUED_FAILURE, &t->key, at_ns);
}

bool ntt_probe_book_fail(ntt_probe_book_t *book, const ntt_addr_t *target,
                         int64_t now_ns)
{
    entry_t *t = find(book, target);

    if (!t || t->state != NTT_PROBE_PENDING)
        return false;
    fail_target(book, t, now_ns);
    return true;
}

ntt_probe_state_t ntt_probe_book_answer(ntt_probe_book_t *book,
                                        const ntt_addr_t *target)
{
    entry_t *t = find(book, target);
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

/* An event at the head of its queue has come due: it acts when its
 * target is still as the event left it. */
static bool pending_due(ntt_probe_book_t *book, const ntt_addr_t *key, int64_t at_ns,
                        int64_t timeout_ns)
{
    entry_t *t = find(book, key);

    if (t && t->state == NTT_PROBE_PENDING && t->since_ns == at_ns) {
        fail_target(book, t, at_ns + timeout_ns);
        return true;
    }
    return false;
}

static void failure_due(ntt_probe_book_t *book, const ntt_addr_t *key, int64_t at_ns)
{
    entry_t *t = find(book, key);

    if (t && t->state == NTT_PROBE_FAILED && t->since_ns == at_ns) {
        book->failed_count--;
        drop_target(book, t);
    }
}

/* The book of one target: its two events, held beside it. */
static uint32_t age_first(ntt_probe_book_t *book, int64_t now_ns, int64_t timeout_ns,
                          int64_t window_ns)
{
    uint32_t failed_now = 0;
    ntt_addr_t key = book->first.key;

    if ((book->first.queued & NTT_PROBE_QUEUED_PENDING) &&
        now_ns - book->pending_at_ns > timeout_ns) {
        book->first.queued &= (uint8_t)~NTT_PROBE_QUEUED_PENDING;
        failed_now += pending_due(book, &key, book->pending_at_ns, timeout_ns);
    }
    /* (a failure just pushed may have made the queues) */
    if (book->many)
        return failed_now;
    if ((book->first.queued & NTT_PROBE_QUEUED_FAILURE) &&
        now_ns - book->failure_at_ns > window_ns) {
        book->first.queued &= (uint8_t)~NTT_PROBE_QUEUED_FAILURE;
        failure_due(book, &key, book->failure_at_ns);
    }
    return failed_now;
}

uint32_t ntt_probe_book_age(ntt_probe_book_t *book, int64_t now_ns,
                            int64_t timeout_ns, int64_t window_ns)
{
    uint32_t failed_now = 0;
    const ntt_probe_event_t *e;

    if (!book->many) {
        failed_now = age_first(book, now_ns, timeout_ns, window_ns);
        if (!book->many)
            return failed_now;
    }
    while ((e = queue_head(&book->many->pending)) && now_ns - e->at_ns > timeout_ns) {
        ntt_probe_event_t event = *e;

        queue_pop(book, &book->many->pending);
        failed_now += pending_due(book, &event.key, event.at_ns, timeout_ns);
    }
    while ((e = queue_head(&book->many->failures)) && now_ns - e->at_ns > window_ns) {
        ntt_probe_event_t event = *e;

        queue_pop(book, &book->many->failures);
        failure_due(book, &event.key, event.at_ns);
    }
    return failed_now;
}
