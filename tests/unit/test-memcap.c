/* test-memcap.c
 * The byte budget: what tables take comes back when they free it,
 * emergency mode engages past the cap and ends at the low-water mark,
 * and tables under a tiny cap keep working -- expiring early, evicting
 * their oldest, never the tracker in use; a probe book's event queues
 * charge exactly their rings, from the event held inline to a ring and
 * back.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <glib.h>

#include "flow/flow-table.h"
#include "track/probe-book.h"
#include "track/tracker-table.h"
#include "util/memcap.h"

#define SEC(x) ((int64_t)(x) * 1000000000)

static void test_reserve_release_and_emergency(void **state)
{
    ntt_memcap_t *m = ntt_memcap_new(1000, 0);
    ntt_memcap_account_t *a = ntt_memcap_open(m, "a"), *b = ntt_memcap_open(m, "b");
    ntt_memcap_stats_t s;

    (void)state;
    assert_true(ntt_memcap_reserve(a, 600));
    assert_true(ntt_memcap_reserve(b, 400));          /* exactly the cap */
    assert_false(ntt_memcap_emergency(m));
    assert_false(ntt_memcap_reserve(b, 1));           /* one byte past it */
    assert_true(ntt_memcap_emergency(m));
    ntt_memcap_stats(m, &s);
    assert_int_equal(s.engagements, 1);
    assert_int_equal(s.used_bytes, 1000);
    /* Shortened timeouts while it lasts. */
    assert_int_equal(ntt_memcap_timeout(m, SEC(60)), SEC(6));
    /* 800 bytes is above the low-water mark (750): still on. */
    ntt_memcap_release(b, 200);
    assert_true(ntt_memcap_emergency(m));
    assert_false(ntt_memcap_reserve(b, 201));         /* refused: no second engagement */
    ntt_memcap_release(a, 50);
    assert_false(ntt_memcap_emergency(m));
    assert_int_equal(ntt_memcap_timeout(m, SEC(60)), SEC(60));
    /* A forced charge past the cap engages it again. */
    ntt_memcap_charge(a, 1000);
    ntt_memcap_stats(m, &s);
    assert_true(s.emergency);
    assert_int_equal(s.engagements, 2);
    assert_int_equal(s.peak_bytes, 1750);
    assert_int_equal(a->bytes, 1550);
    assert_int_equal(a->peak_bytes, 1550);
    assert_int_equal(b->peak_bytes, 400);
    ntt_memcap_release(a, 1550);
    ntt_memcap_release(b, 200);
    ntt_memcap_stats(m, &s);
    assert_int_equal(s.used_bytes, 0);
    assert_false(s.emergency);
    assert_int_equal(ntt_memcap_account_count(m), 2);
    assert_string_equal(ntt_memcap_account_at(m, 1)->name, "b");
    ntt_memcap_free(m);
}

static void test_no_memcap_counts_nothing(void **state)
{
    (void)state;
    assert_null(ntt_memcap_open(NULL, "x"));
    assert_true(ntt_memcap_reserve(NULL, SIZE_MAX));
    ntt_memcap_charge(NULL, 5);
    ntt_memcap_release(NULL, 5);
    assert_false(ntt_memcap_emergency(NULL));
    assert_int_equal(ntt_memcap_timeout(NULL, 10), 10);
}

static void test_malloc_size_model(void **state)
{
    (void)state;
    /* glibc, 64-bit: an 8-byte header, 16-byte granules, 32 at least. */
    assert_int_equal(ntt_memcap_malloc_size(0), 32);
    assert_int_equal(ntt_memcap_malloc_size(24), 32);
    assert_int_equal(ntt_memcap_malloc_size(25), 48);
    assert_int_equal(ntt_memcap_malloc_size(88), 96);
    assert_int_equal(ntt_memcap_malloc_size(1000), 1008);
}

/* A tracker that owns a probe book and a ring, like the scanners. */
typedef struct scanner {
    ntt_probe_book_t book;
    int64_t         *ring;
} scanner_t;

static void free_scanner(void *value)
{
    scanner_t *s = value;

    ntt_probe_book_clear(&s->book);
    g_free(s->ring);
}

static void key_for(ntt_tracker_key_t *key, uint32_t i)
{
    ntt_addr_t a;

    memset(&a, 0, sizeof a);
    memcpy(a.bytes, &i, sizeof i);
    ntt_tracker_key_init(key, 0, 4, &a, NULL, 0);
}

static scanner_t *scanner(ntt_tracker_table_t *t, uint32_t i, int64_t now)
{
    ntt_tracker_key_t key;
    bool created, evicted;
    scanner_t *s;

    key_for(&key, i);
    s = ntt_tracker_table_get(t, &key, now, &created, &evicted);
    if (created) {
        ntt_probe_book_init(&s->book, ntt_tracker_table_account(t));
        s->ring = g_new0(int64_t, 20);
        ntt_tracker_table_charge(t, s, ntt_memcap_malloc_size(20 * sizeof(int64_t)));
    }
    return s;
}

static void test_tracker_bytes_return_to_zero(void **state)
{
    ntt_memcap_t *m = ntt_memcap_new(0, 0);
    ntt_tracker_table_t *t = ntt_tracker_table_new(m, "scanners", 1000, sizeof(scanner_t),
                                                   free_scanner);
    const ntt_memcap_account_t *a = ntt_memcap_account_at(m, 0);
    ntt_memcap_stats_t s;

    (void)state;
    assert_string_equal(a->name, "scanners");
    for (uint32_t i = 0; i < 3000; i++) {
        scanner_t *sc = scanner(t, i % 1500, SEC(i) / 100);

        for (uint32_t p = 0; p < 10; p++) {
            ntt_addr_t target = ntt_probe_target_number(i * 16 + p);

            assert_true(ntt_probe_book_probe(&sc->book, &target, SEC(i) / 100, 1000));
            if (p % 3 == 0)
                ntt_probe_book_fail(&sc->book, &target, SEC(i) / 100);
        }
        ntt_probe_book_age(&sc->book, SEC(i) / 100, SEC(1), SEC(5));
        if (i % 500 == 0)
            ntt_tracker_table_expire(t, SEC(i) / 100, SEC(3));
    }
    assert_true(a->bytes > 0);
    ntt_tracker_table_free(t);
    ntt_memcap_stats(m, &s);
    assert_int_equal(a->bytes, 0);
    assert_int_equal(s.used_bytes, 0);
    assert_true(s.peak_bytes > 0);
    ntt_memcap_free(m);
}

static void test_tiny_cap_keeps_a_table_working(void **state)
{
    enum { CAP = 16 * 1024 };
    ntt_memcap_t *m = ntt_memcap_new(CAP, 0);
    ntt_tracker_table_t *t = ntt_tracker_table_new(m, "scanners", 100000, sizeof(scanner_t),
                                                   free_scanner);
    const ntt_memcap_account_t *a = ntt_memcap_account_at(m, 0);
    ntt_memcap_stats_t s;
    uint32_t i;

    (void)state;
    /* A new source every millisecond, 10,000 of them: far past the cap. */
    for (i = 0; i < 10000; i++) {
        ntt_tracker_key_t key;
        scanner_t *sc = scanner(t, i, SEC(i) / 1000);
        ntt_addr_t target = ntt_probe_target_number(1);

        ntt_tracker_table_expire(t, SEC(i) / 1000, SEC(60));
        ntt_probe_book_probe(&sc->book, &target, SEC(i) / 1000, 100);
        key_for(&key, i);
        assert_ptr_equal(ntt_tracker_table_find(t, &key), sc);   /* the newest stays */
        ntt_memcap_stats(m, &s);
        assert_true(s.used_bytes <= CAP + 2048);                /* a couple of entries over */
    }
    ntt_memcap_stats(m, &s);
    assert_true(s.emergency);
    assert_int_equal(s.engagements, 1);
    assert_true(a->emergency_evicted > 0);
    assert_true(ntt_tracker_table_count(t) > 10);   /* the newest stay */
    assert_true(ntt_tracker_table_count(t) < 100);  /* ... and only they */

    /* Emergency timeouts: a tenth of the 60 s the detector asks for.
     * 6.5 s later every tracker is idle past 6 s and goes early. */
    {
        uint64_t before = a->emergency_expired;
        uint32_t held = ntt_tracker_table_count(t);

        ntt_tracker_table_expire(t, SEC(i) / 1000 + SEC(13) / 2, SEC(60));
        assert_int_equal(ntt_tracker_table_count(t), 0);
        assert_int_equal(a->emergency_expired - before, held);
    }
    /* Below the low-water mark: emergency mode is over, and normal
     * timeouts are back. */
    ntt_memcap_stats(m, &s);
    assert_false(s.emergency);
    {
        scanner_t *sc = scanner(t, 1, SEC(100));

        (void)sc;
        ntt_tracker_table_expire(t, SEC(150), SEC(60));
        assert_int_equal(ntt_tracker_table_count(t), 1);
    }
    ntt_tracker_table_free(t);
    ntt_memcap_stats(m, &s);
    assert_int_equal(s.used_bytes, 0);
    ntt_memcap_free(m);
}

static void test_relief_spares_the_tracker_in_use(void **state)
{
    enum { CAP = 32 * 1024 };
    ntt_memcap_t *m = ntt_memcap_new(CAP, 0);
    ntt_tracker_table_t *t = ntt_tracker_table_new(m, "scanners", 1000, sizeof(scanner_t),
                                                   free_scanner);
    const ntt_memcap_account_t *a = ntt_memcap_account_at(m, 0);
    scanner_t *busy;
    uint32_t kept = 0;

    (void)state;
    for (uint32_t i = 0; i < 20; i++)
        scanner(t, i, 0);
    /* One scanner probes thousands of targets: the others make room for
     * it, then there is no more and targets are refused -- the scanner
     * itself is never dropped. */
    busy = scanner(t, 99, SEC(1));
    for (uint32_t p = 0; p < 5000; p++) {
        ntt_addr_t target = ntt_probe_target_number(p);

        kept += ntt_probe_book_probe(&busy->book, &target, SEC(1), 100000);
    }
    assert_int_equal(ntt_tracker_table_count(t), 1);
    assert_int_equal(a->emergency_evicted, 20);
    assert_true(a->refused > 0);
    assert_int_equal(kept + a->refused, 5000);
    assert_int_equal(busy->book.pending_count, kept);
    assert_true(kept > 100);
    ntt_tracker_table_free(t);
    assert_int_equal(a->bytes, 0);
    ntt_memcap_free(m);
}

/* A probe book's queues: a book's first event held beside its target,
 * the queues made with the second, their first event held in the queue,
 * then a ring, then the event in the queue again once the ring has
 * drained.
 * The event and the ring share their bytes, so every event below is
 * checked by what it does -- its target failing, or being forgotten, at
 * exactly its time -- which an event read from the wrong side (a ring
 * pointer taken for an address, a stale inline time) would not do. */
#define MS(x) ((int64_t)(x) * 1000000)
#define JUST_PAST(x) (MS(x) + 1)

static size_t queue_ring_bytes(uint32_t cap)
{
    return ntt_memcap_malloc_size(cap * sizeof(ntt_probe_event_t));
}

/* A target that failed window_ms before forget_ms is still failed at
 * forget_ms and forgotten just past it, nothing else ageing meanwhile. */
static void assert_forgotten_just_past(ntt_probe_book_t *book, const ntt_addr_t *target,
                                       int64_t forget_ms, int64_t timeout_ms, int64_t window_ms)
{
    assert_int_equal(ntt_probe_book_age(book, MS(forget_ms), MS(timeout_ms), MS(window_ms)), 0);
    assert_int_equal(ntt_probe_book_state(book, target), NTT_PROBE_FAILED);
    assert_int_equal(ntt_probe_book_age(book, JUST_PAST(forget_ms), MS(timeout_ms),
                                        MS(window_ms)), 0);
    assert_int_equal(ntt_probe_book_state(book, target), NTT_PROBE_NONE);
}

/* One target probed again and again: its pending events alone fill
 * the queue, and the book indexes no target, so the account is the
 * index and queues, and their rings. */
static void test_probe_queue_inline_ring_and_back(void **state)
{
    enum { TIMEOUT = 10, WINDOW = 100 };
    ntt_memcap_t *m = ntt_memcap_new(0, 0);
    ntt_memcap_account_t *a = ntt_memcap_open(m, "book");
    ntt_addr_t target = ntt_probe_target_number(7), other = ntt_probe_target_number(8);
    ntt_probe_book_t book;
    size_t many = ntt_probe_book_many_bytes();

    (void)state;
    ntt_probe_book_init(&book, a);
    assert_true(ntt_probe_book_probe(&book, &target, MS(0), 100));
    assert_int_equal(a->bytes, 0);                  /* the event is beside the target */
    assert_true(ntt_probe_book_probe(&book, &target, MS(1), 100));
    assert_int_equal(a->bytes, many + queue_ring_bytes(2));
    assert_true(ntt_probe_book_probe(&book, &target, MS(2), 100));
    assert_int_equal(a->bytes, many + queue_ring_bytes(4));
    assert_int_equal(book.pending_count, 1);

    /* The events of 0 and 1 ms are stale (pending anew since 2 ms). */
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(TIMEOUT), MS(TIMEOUT), MS(WINDOW)), 0);
    assert_int_equal(ntt_probe_book_age(&book, MS(12), MS(TIMEOUT), MS(WINDOW)), 0);
    assert_int_equal(ntt_probe_book_state(&book, &target), NTT_PROBE_PENDING);
    /* Into the ring past its head, which has moved on twice. */
    assert_true(ntt_probe_book_probe(&book, &target, MS(13), 100));
    assert_int_equal(ntt_probe_book_age(&book, MS(20), MS(TIMEOUT), MS(WINDOW)), 0);
    assert_int_equal(ntt_probe_book_state(&book, &target), NTT_PROBE_PENDING);
    assert_int_equal(a->bytes, many + queue_ring_bytes(4));
    /* Not yet 10 ms after 13 ms; then just past it. */
    assert_int_equal(ntt_probe_book_age(&book, MS(23), MS(TIMEOUT), MS(WINDOW)), 0);
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(23), MS(TIMEOUT), MS(WINDOW)), 1);
    assert_int_equal(ntt_probe_book_state(&book, &target), NTT_PROBE_FAILED);
    assert_int_equal(book.pending_count, 0);
    assert_int_equal(book.failed_count, 1);
    /* Drained, the ring of 4 is halved; the failure is inline. */
    assert_int_equal(a->bytes, many + queue_ring_bytes(2));

    /* It failed at 23 ms: forgotten just past 123 ms, not at it. */
    assert_forgotten_just_past(&book, &target, 123, TIMEOUT, WINDOW);
    assert_int_equal(book.failed_count, 0);

    /* Probed anew into the empty ring of 2; drained, the ring goes and
     * both events are inline again: only the queues charged. */
    assert_true(ntt_probe_book_probe(&book, &target, MS(200), 100));
    assert_int_equal(a->bytes, many + queue_ring_bytes(2));
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(210), MS(TIMEOUT), MS(WINDOW)), 1);
    assert_int_equal(a->bytes, many);
    assert_forgotten_just_past(&book, &target, 310, TIMEOUT, WINDOW);

    /* And a ring again, its first event moved there from inline: the
     * stale one of 400 ms goes quietly, the one of 401 ms fails. */
    assert_true(ntt_probe_book_probe(&book, &target, MS(400), 100));
    assert_int_equal(a->bytes, many);
    assert_true(ntt_probe_book_probe(&book, &target, MS(401), 100));
    assert_int_equal(a->bytes, many + queue_ring_bytes(2));
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(410), MS(TIMEOUT), MS(WINDOW)), 0);
    assert_int_equal(ntt_probe_book_state(&book, &target), NTT_PROBE_PENDING);
    assert_int_equal(ntt_probe_book_state(&book, &other), NTT_PROBE_NONE);
    assert_int_equal(ntt_probe_book_age(&book, MS(411), MS(TIMEOUT), MS(WINDOW)), 0);
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(411), MS(TIMEOUT), MS(WINDOW)), 1);
    assert_int_equal(a->bytes, many);
    assert_forgotten_just_past(&book, &target, 511, TIMEOUT, WINDOW);
    assert_int_equal(book.failed_count, 0);

    ntt_probe_book_clear(&book);
    assert_int_equal(a->bytes, 0);
    ntt_memcap_free(m);
}

/* Several targets, failing in turn: the failures queue goes from inline
 * to a ring of 4 and back, and each target is forgotten in its turn --
 * the key of every event, not only its time, must come out right. */
static void test_probe_queue_failures_in_turn(void **state)
{
    enum { TIMEOUT = 10, WINDOW = 100 };
    ntt_memcap_t *m = ntt_memcap_new(0, 0);
    ntt_memcap_account_t *a = ntt_memcap_open(m, "book");
    ntt_addr_t t[9];
    ntt_probe_book_t book;

    (void)state;
    for (uint32_t i = 0; i < 9; i++)
        t[i] = ntt_probe_target_number(100 + i);
    ntt_probe_book_init(&book, a);
    /* Targets 1 to 5 probed at 0 to 4 ms; 3 answers. */
    for (uint32_t i = 1; i <= 5; i++)
        assert_true(ntt_probe_book_probe(&book, &t[i], MS(i - 1), 100));
    assert_int_equal(ntt_probe_book_answer(&book, &t[3]), NTT_PROBE_PENDING);
    assert_int_equal(book.pending_count, 4);
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(14), MS(TIMEOUT), MS(WINDOW)), 4);
    assert_int_equal(book.pending_count, 0);
    assert_int_equal(book.failed_count, 4);
    assert_int_equal(ntt_probe_book_state(&book, &t[3]), NTT_PROBE_ANSWERED);

    /* Failed at 10, 11, 13 and 14 ms: each forgotten just past its
     * window, the others still failed. */
    {
        static const uint32_t order[] = { 1, 2, 4, 5 };
        static const int64_t failed_at[] = { 10, 11, 13, 14 };

        for (uint32_t k = 0; k < 4; k++) {
            assert_int_equal(ntt_probe_book_age(&book, MS(failed_at[k] + WINDOW),
                                                MS(TIMEOUT), MS(WINDOW)), 0);
            assert_int_equal(ntt_probe_book_state(&book, &t[order[k]]), NTT_PROBE_FAILED);
            assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(failed_at[k] + WINDOW),
                                                MS(TIMEOUT), MS(WINDOW)), 0);
            assert_int_equal(ntt_probe_book_state(&book, &t[order[k]]), NTT_PROBE_NONE);
            assert_int_equal(book.failed_count, 3 - k);
            for (uint32_t j = k + 1; j < 4; j++)
                assert_int_equal(ntt_probe_book_state(&book, &t[order[j]]),
                                 NTT_PROBE_FAILED);
        }
    }

    /* One failure into the drained ring of 2, gone with it: the queue
     * is inline again. */
    assert_true(ntt_probe_book_probe(&book, &t[6], MS(200), 100));
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(210), MS(TIMEOUT), MS(WINDOW)), 1);
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(310), MS(TIMEOUT), MS(WINDOW)), 0);
    assert_int_equal(ntt_probe_book_state(&book, &t[6]), NTT_PROBE_NONE);
    assert_int_equal(book.failed_count, 0);

    /* 7 fails inline; 8's failure grows the queue, 7's moving into the
     * ring. They are forgotten in turn, 7 first. */
    assert_true(ntt_probe_book_probe(&book, &t[7], MS(400), 100));
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(410), MS(TIMEOUT), MS(WINDOW)), 1);
    assert_true(ntt_probe_book_probe(&book, &t[8], MS(401), 100));
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(411), MS(TIMEOUT), MS(WINDOW)), 1);
    assert_int_equal(book.failed_count, 2);
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(510), MS(TIMEOUT), MS(WINDOW)), 0);
    assert_int_equal(ntt_probe_book_state(&book, &t[7]), NTT_PROBE_NONE);
    assert_int_equal(ntt_probe_book_state(&book, &t[8]), NTT_PROBE_FAILED);
    assert_int_equal(ntt_probe_book_age(&book, JUST_PAST(511), MS(TIMEOUT), MS(WINDOW)), 0);
    assert_int_equal(ntt_probe_book_state(&book, &t[8]), NTT_PROBE_NONE);
    assert_int_equal(book.failed_count, 0);
    assert_int_equal(book.pending_count, 0);

    ntt_probe_book_clear(&book);
    assert_int_equal(a->bytes, 0);
    ntt_memcap_free(m);
}

/* Expiry against a plain model: an array in least-recently-seen order
 * (a key and its last time), whose front goes while it is idle or from
 * another stretch of time. Gets, touches and expiries at random, with
 * times that now and then step back, and a small cap that evicts: the
 * table's remembered oldest time must never keep a due tracker nor drop
 * one that is not. */
typedef struct model_entry {
    uint32_t key;
    int64_t  last;
} model_entry_t;

static int model_find(const model_entry_t *m, int n, uint32_t key)
{
    for (int i = 0; i < n; i++)
        if (m[i].key == key)
            return i;
    return -1;
}

static void model_seen(model_entry_t *m, int *n, int at, int64_t now)
{
    model_entry_t e = m[at];

    memmove(&m[at], &m[at + 1], (size_t)(*n - at - 1) * sizeof *m);
    if (now > e.last)
        e.last = now;
    m[*n - 1] = e;
}

static void test_expiry_matches_a_plain_model(void **state)
{
    enum { CAP = 24, KEYS = 40 };
    ntt_tracker_table_t *t = ntt_tracker_table_new(NULL, "model", CAP, sizeof(uint32_t), NULL);
    model_entry_t m[CAP];
    int n = 0;
    uint32_t rng = 12345;
    int64_t now = SEC(1000), idle = SEC(5);

    (void)state;
    for (int step = 0; step < 200000; step++) {
        uint32_t r, key;
        ntt_tracker_key_t k;
        int at;

        rng = rng * 1103515245u + 12345u;
        r = rng >> 8;
        key = r % KEYS;
        key_for(&k, key);
        /* Mostly forward in small steps; now and then a jump back or ahead. */
        if (r % 997 == 0)
            now -= SEC(20);
        else if (r % 991 == 0)
            now += SEC(30);
        else
            now += (int64_t)(r % 700) * 1000000;
        at = model_find(m, n, key);
        switch ((r >> 12) % 4) {
        case 0: {               /* get */
            bool created, evicted;

            ntt_tracker_table_get(t, &k, now, &created, &evicted);
            assert_int_equal(created, at < 0);
            if (at >= 0) {
                model_seen(m, &n, at, now);
            } else {
                assert_int_equal(evicted, n == CAP);
                if (n == CAP) {
                    memmove(&m[0], &m[1], (size_t)(n - 1) * sizeof *m);
                    n--;
                }
                m[n].key = key;
                m[n].last = now;
                n++;
            }
            break;
        }
        case 1:                 /* touch */
            assert_int_equal(ntt_tracker_table_touch(t, &k, now) != NULL, at >= 0);
            if (at >= 0)
                model_seen(m, &n, at, now);
            break;
        default:                /* expire */
            ntt_tracker_table_expire(t, now, idle);
            while (n > 0 && (now - m[0].last > idle || m[0].last - now > idle)) {
                memmove(&m[0], &m[1], (size_t)(n - 1) * sizeof *m);
                n--;
            }
            break;
        }
        assert_int_equal(ntt_tracker_table_count(t), n);
        for (int i = 0; i < n; i++) {
            key_for(&k, m[i].key);
            assert_non_null(ntt_tracker_table_find(t, &k));
        }
    }
    ntt_tracker_table_free(t);
}

static void test_flow_table_under_a_tiny_cap(void **state)
{
    enum { CAP = 8 * 1024 };
    ntt_memcap_t *m = ntt_memcap_new(CAP, 0);
    const ntt_memcap_account_t *a;
    ntt_flow_table_t t;
    ntt_memcap_stats_t s;

    (void)state;
    ntt_flow_table_init(&t, m, SEC(300));
    a = ntt_memcap_account_at(m, 0);
    assert_string_equal(a->name, "flows");
    for (uint32_t i = 0; i < 2000; i++) {
        ntt_flow_key_t key;
        ntt_live_flow_t *f;

        memset(&key, 0, sizeof key);
        memcpy(key.a.bytes, &i, sizeof i);
        ntt_flow_table_expire(&t, SEC(i));
        f = ntt_flow_table_add(&t, &key, i);
        ntt_flow_table_touch(&t, f, SEC(i));
        assert_ptr_equal(ntt_flow_table_lookup(&t, &key), f);
    }
    ntt_memcap_stats(m, &s);
    assert_true(s.peak_bytes <= CAP);
    /* One flow a second, 300 s timeout: about 60 flows fill the cap, and
     * in emergency mode the timeout is 30 s, which brings the table down
     * to 30 flows, below the low-water mark: the mode ends, the table
     * fills again. So it engages every half minute or so, and every flow
     * but those still held went early or was evicted. */
    assert_true(s.engagements > 2000 / 60 && s.engagements < 2000 / 20);
    assert_true(a->emergency_expired > 0);
    assert_int_equal(a->emergency_evicted + a->emergency_expired + t.count, 2000);
    assert_true(t.count > 10);
    ntt_flow_table_clear(&t);
    assert_int_equal(a->bytes, 0);
    ntt_memcap_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reserve_release_and_emergency),
        cmocka_unit_test(test_no_memcap_counts_nothing),
        cmocka_unit_test(test_malloc_size_model),
        cmocka_unit_test(test_tracker_bytes_return_to_zero),
        cmocka_unit_test(test_tiny_cap_keeps_a_table_working),
        cmocka_unit_test(test_relief_spares_the_tracker_in_use),
        cmocka_unit_test(test_probe_queue_inline_ring_and_back),
        cmocka_unit_test(test_probe_queue_failures_in_turn),
        cmocka_unit_test(test_expiry_matches_a_plain_model),
        cmocka_unit_test(test_flow_table_under_a_tiny_cap),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
