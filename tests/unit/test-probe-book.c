/* test-probe-book.c
 * A probe book against a reference written the plain way: every target
 * in an array, every event in two lists in time order, nothing held
 * inline and no index. Random probes, refusals, answers and agings over
 * a few targets, with a few timestamps to choose from (so equal times,
 * re-probes while pending, failures that age out and targets probed again
 * all happen, and the clock steps back), and after every step the two must
 * agree on what each call returned, on every target's state, on the
 * counts and on what a visit reaches. The book keeps its first target,
 * and while it has no other its events, in less room than the reference;
 * this is what says the room saved changes nothing.
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

#include "track/probe-book.h"

#define MAX_REF_TARGETS 8
#define MAX_REF_EVENTS 4096

typedef struct ref_target {
    uint32_t number;
    int      state;          /* ntt_probe_state_t; NONE: not in the book */
    int64_t  since_ns;
} ref_target_t;

typedef struct ref_event {
    uint32_t number;
    int64_t  at_ns;
} ref_event_t;

typedef struct ref_queue {
    ref_event_t events[MAX_REF_EVENTS];
    unsigned    head, len;
} ref_queue_t;

typedef struct ref_book {
    ref_target_t targets[MAX_REF_TARGETS];
    ref_queue_t  pending, failures;
    uint32_t     pending_count, failed_count;
} ref_book_t;

static ref_target_t *ref_find(ref_book_t *r, uint32_t number)
{
    for (unsigned i = 0; i < MAX_REF_TARGETS; i++) {
        if (r->targets[i].state != NTT_PROBE_NONE && r->targets[i].number == number)
            return &r->targets[i];
    }
    return NULL;
}

static unsigned ref_held(const ref_book_t *r)
{
    unsigned n = 0;

    for (unsigned i = 0; i < MAX_REF_TARGETS; i++)
        n += r->targets[i].state != NTT_PROBE_NONE;
    return n;
}

static void ref_push(ref_queue_t *q, uint32_t number, int64_t at_ns)
{
    assert_true(q->head + q->len < MAX_REF_EVENTS);
    q->events[q->head + q->len].number = number;
    q->events[q->head + q->len].at_ns = at_ns;
    q->len++;
}

static bool ref_probe(ref_book_t *r, uint32_t number, int64_t now_ns, unsigned max_targets)
{
    ref_target_t *t = ref_find(r, number);

    if (!t) {
        if (ref_held(r) >= max_targets)
            return false;
        for (unsigned i = 0; i < MAX_REF_TARGETS && !t; i++) {
            if (r->targets[i].state == NTT_PROBE_NONE)
                t = &r->targets[i];
        }
        t->number = number;
        t->state = NTT_PROBE_NONE;
    }
    if (t->state == NTT_PROBE_FAILED || t->state == NTT_PROBE_ANSWERED)
        return true;
    if (t->state != NTT_PROBE_PENDING)
        r->pending_count++;
    t->state = NTT_PROBE_PENDING;
    t->since_ns = now_ns;
    ref_push(&r->pending, number, now_ns);
    return true;
}

static void ref_fail_target(ref_book_t *r, ref_target_t *t, int64_t at_ns)
{
    r->pending_count--;
    r->failed_count++;
    t->state = NTT_PROBE_FAILED;
    t->since_ns = at_ns;
    ref_push(&r->failures, t->number, at_ns);
}

static bool ref_fail(ref_book_t *r, uint32_t number, int64_t now_ns)
{
    ref_target_t *t = ref_find(r, number);

    if (!t || t->state != NTT_PROBE_PENDING)
        return false;
    ref_fail_target(r, t, now_ns);
    return true;
}

static int ref_answer(ref_book_t *r, uint32_t number)
{
    ref_target_t *t = ref_find(r, number);
    int before;

    if (!t)
        return NTT_PROBE_NONE;
    before = t->state;
    if (before == NTT_PROBE_PENDING)
        r->pending_count--;
    else if (before == NTT_PROBE_FAILED)
        r->failed_count--;
    t->state = NTT_PROBE_ANSWERED;
    return before;
}

static uint32_t ref_age(ref_book_t *r, int64_t now_ns, int64_t timeout_ns, int64_t window_ns)
{
    uint32_t failed_now = 0;

    while (r->pending.len && now_ns - r->pending.events[r->pending.head].at_ns > timeout_ns) {
        ref_event_t e = r->pending.events[r->pending.head++];
        ref_target_t *t = ref_find(r, e.number);

        r->pending.len--;
        if (t && t->state == NTT_PROBE_PENDING && t->since_ns == e.at_ns) {
            ref_fail_target(r, t, e.at_ns + timeout_ns);
            failed_now++;
        }
    }
    while (r->failures.len && now_ns - r->failures.events[r->failures.head].at_ns > window_ns) {
        ref_event_t e = r->failures.events[r->failures.head++];
        ref_target_t *t = ref_find(r, e.number);

        r->failures.len--;
        if (t && t->state == NTT_PROBE_FAILED && t->since_ns == e.at_ns) {
            r->failed_count--;
            t->state = NTT_PROBE_NONE;    /* forgotten */
        }
    }
    return failed_now;
}

typedef struct visited {
    unsigned count;
    int      state_of[16];   /* by target number; NONE: not reached */
} visited_t;

static void note_visit(const ntt_addr_t *target, ntt_probe_state_t state, void *ctx)
{
    visited_t *v = ctx;
    uint32_t number = ntt_probe_target_number_of(target);

    assert_true(number < 16);
    assert_int_equal(v->state_of[number], NTT_PROBE_NONE);   /* once each */
    v->state_of[number] = (int)state;
    v->count++;
}

static void assert_same(const ntt_probe_book_t *book, ref_book_t *r, unsigned numbers)
{
    visited_t v;

    assert_int_equal(book->pending_count, r->pending_count);
    assert_int_equal(book->failed_count, r->failed_count);
    memset(&v, 0, sizeof v);
    ntt_probe_book_visit(book, note_visit, &v);
    assert_int_equal(v.count, ref_held(r));
    for (uint32_t n = 0; n < numbers; n++) {
        ntt_addr_t target = ntt_probe_target_number(n);
        ref_target_t *t = ref_find(r, n);
        int want = t ? t->state : NTT_PROBE_NONE;

        assert_int_equal(ntt_probe_book_state(book, &target), want);
        assert_int_equal(v.state_of[n], want);
    }
}

/* One step on both, the same call: 'p' probe, 'f' fail, 'a' answer,
 * else age; then everything they hold must agree. */
static void apply(ntt_probe_book_t *book, ref_book_t *r, char op, uint32_t n, int64_t now,
                  unsigned max_targets, int64_t timeout_ns, int64_t window_ns,
                  unsigned numbers)
{
    ntt_addr_t target = ntt_probe_target_number(n);

    switch (op) {
    case 'p':
        assert_int_equal(ntt_probe_book_probe(book, &target, now, max_targets),
                         ref_probe(r, n, now, max_targets));
        break;
    case 'f':
        assert_int_equal(ntt_probe_book_fail(book, &target, now), ref_fail(r, n, now));
        break;
    case 'a':
        assert_int_equal(ntt_probe_book_answer(book, &target), ref_answer(r, n));
        break;
    default:
        assert_int_equal(ntt_probe_book_age(book, now, timeout_ns, window_ns),
                         ref_age(r, now, timeout_ns, window_ns));
    }
    assert_same(book, r, numbers);
}

/* One random run: steps operations over numbers targets (at most
 * max_targets held), times moving on by 0 to 3 ms a step -- or, with
 * back, by -2 to 3 ms, and now and then 30 ms back (a capture whose clock
 * steps back). */
static void run_against_reference(uint32_t seed, unsigned numbers, unsigned max_targets,
                                  int64_t timeout_ns, int64_t window_ns, unsigned steps,
                                  bool back)
{
    GRand *rng = g_rand_new_with_seed(seed);
    ntt_memcap_t *m = ntt_memcap_new(0, 0);
    ntt_memcap_account_t *a = ntt_memcap_open(m, "book");
    ntt_probe_book_t book;
    ref_book_t *r = g_new0(ref_book_t, 1);
    int64_t now = 0;

    ntt_probe_book_init(&book, a);
    for (unsigned i = 0; i < steps; i++) {
        uint32_t n = (uint32_t)g_rand_int_range(rng, 0, (gint32)numbers);
        int op = g_rand_int_range(rng, 0, 10);

        if (back && g_rand_int_range(rng, 0, 40) == 0)
            now -= 30000000;    /* past a timeout and a window at once */
        else
            now += g_rand_int_range(rng, back ? -2 : 0, 4) * 1000000;
        apply(&book, r, op < 4 ? 'p' : op < 6 ? 'f' : op < 7 ? 'a' : 'g', n, now,
              max_targets, timeout_ns, window_ns, numbers);
    }
    ntt_probe_book_clear(&book);
    assert_int_equal(a->bytes, 0);    /* everything it charged came back */
    ntt_memcap_free(m);
    g_free(r);
    g_rand_free(rng);
}

/* Mostly one target: the book's first, and its events, held inline. */
static void test_one_target_matches_the_reference(void **state)
{
    (void)state;
    for (uint32_t seed = 1; seed <= 40; seed++)
        run_against_reference(seed, 1, 4, 5000000, 20000000, 400, false);
}

/* Two or three targets: the index is made, emptied, and the first held
 * again. */
static void test_few_targets_match_the_reference(void **state)
{
    (void)state;
    for (uint32_t seed = 1; seed <= 40; seed++)
        run_against_reference(seed, (seed % 2) ? 2 : 3, 8, 5000000, 20000000, 400, false);
}

/* A reply timeout longer than the window (a failure forgotten while an
 * older probe of the same target is still in the pending queue), and a
 * cap of two targets (probes refused). */
static void test_timeout_past_window_and_cap(void **state)
{
    (void)state;
    for (uint32_t seed = 1; seed <= 40; seed++)
        run_against_reference(seed, 4, 2, 20000000, 5000000, 400, false);
}

/* Time stepping back, with one target and with a few, both ways round
 * of timeout and window: an event held beside the first target and
 * stamped after a new one must still hold that one back, as in a queue. */
static void test_clock_stepping_back_matches_the_reference(void **state)
{
    (void)state;
    for (uint32_t seed = 1; seed <= 3000; seed++) {
        run_against_reference(seed, 1, 4, 5000000, 20000000, 400, true);
        run_against_reference(seed, 1, 4, 20000000, 5000000, 400, true);
        run_against_reference(seed, 3, 2, 5000000, 20000000, 400, true);
        run_against_reference(seed, 3, 8, 20000000, 5000000, 400, true);
    }
}

/* A scripted step: 'p' probe, 'f' fail, 'a' answer, 'g' age. */
typedef struct step {
    char     op;
    uint32_t number;
    int64_t  ms;
} step_t;

static void run_script(const step_t *steps, size_t n, int64_t timeout_ns, int64_t window_ns)
{
    ntt_memcap_t *m = ntt_memcap_new(0, 0);
    ntt_memcap_account_t *a = ntt_memcap_open(m, "book");
    ntt_probe_book_t book;
    ref_book_t *r = g_new0(ref_book_t, 1);

    ntt_probe_book_init(&book, a);
    for (size_t i = 0; i < n; i++)
        apply(&book, r, steps[i].op, steps[i].number, steps[i].ms * 1000000, 4,
              timeout_ns, window_ns, 4);
    ntt_probe_book_clear(&book);
    assert_int_equal(a->bytes, 0);
    ntt_memcap_free(m);
    g_free(r);
}

/* A target forgotten (its failure past a window shorter than the reply
 * timeout) while its probe is still queued; the next target's probe is
 * stamped earlier (the clock stepped back), and that older-looking event
 * must wait behind the queued one, as in a queue: at 27 ms the new probe
 * is 22 ms old but the one ahead of it only 17. */
static void test_forgotten_targets_probe_still_holds_the_next_back(void **state)
{
    static const step_t forgotten[] = {
        { 'p', 0, 10 }, { 'f', 0, 11 }, { 'g', 0, 17 },   /* 0 forgotten */
        { 'p', 1, 5 },  { 'g', 0, 27 }, { 'g', 0, 31 },
    };
    static const step_t same_target[] = {
        { 'p', 0, 10 }, { 'f', 0, 11 }, { 'g', 0, 17 },
        { 'p', 0, 5 },  { 'g', 0, 27 }, { 'g', 0, 31 },
    };

    (void)state;
    run_script(forgotten, G_N_ELEMENTS(forgotten), 20000000, 5000000);
    run_script(same_target, G_N_ELEMENTS(same_target), 20000000, 5000000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_target_matches_the_reference),
        cmocka_unit_test(test_few_targets_match_the_reference),
        cmocka_unit_test(test_timeout_past_window_and_cap),
        cmocka_unit_test(test_clock_stepping_back_matches_the_reference),
        cmocka_unit_test(test_forgotten_targets_probe_still_holds_the_next_back),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
