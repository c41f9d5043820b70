/* probe-book.h
 * What became of the probes one scanner sent: per target (a port of one
 * host, or a host), pending until answered, failed (refused, reported
 * unreachable, or unanswered past the reply timeout), or answered.
 * Failures count within a sliding window and are then forgotten. The
 * port scan and sweep detectors both judge scanners this way.
 *
 * Its bytes (targets, their index, the event queues) go to the account
 * it is given, its tracker table's: a new target the memcap has no room
 * for (after that table's emergency relief) is refused like one past
 * max_targets; the events of targets already held are always kept.
 * Since that relief spares only the table's newest tracker, a book's
 * owner must be it when ntt_probe_book_probe() is called (the tracker was
 * just got with ntt_tracker_table_get(), as every detector does).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_PROBE_BOOK_H
#define NTT_PROBE_BOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntt/packet.h"
#include "util/hash-table.h"
#include "util/memcap.h"

typedef enum ntt_probe_state {
    NTT_PROBE_NONE = 0,       /* never probed, or forgotten */
    NTT_PROBE_PENDING,
    NTT_PROBE_FAILED,
    NTT_PROBE_ANSWERED,
} ntt_probe_state_t;

/* A note to look at a target again; stale when the target moved on. */
typedef struct ntt_probe_event {
    ntt_addr_t key;
    int64_t    at_ns;
} ntt_probe_event_t;

/* Events in time order: a ring that doubles when full. Its first event
 * lives in the queue itself (cap 0): a book of several targets often has
 * a single failure at a time, and a ring for it would be a malloc. That
 * event and the ring's pointer and head are never needed at once, so
 * they share their bytes, and cap alone, outside them, says which is
 * there: a queue is 32 bytes, not 48, and the index and both queues that
 * a book makes with its second target 120, not 152. (A book of one
 * target has no queues: see ntt_probe_book_t.) */
typedef struct ntt_probe_queue {
    union {
        ntt_probe_event_t      one;     /* the only event, while cap is 0 */
        struct {
            ntt_probe_event_t *ring;    /* cap events, while cap is not 0 */
            uint32_t           head;
        };
    };
    uint32_t len;
    uint32_t cap;                       /* 0: no ring, the event is one */
} ntt_probe_queue_t;

/* What the book knows of one probed target. held: the book's own first
 * target is in use; queued: which of the book's events are held beside it
 * (see ntt_probe_book_t). */
typedef struct ntt_probe_entry {
    ntt_addr_t key;
    int64_t    since_ns;    /* probe time (pending), failure time (failed) */
    uint8_t    state;       /* ntt_probe_state_t */
    bool       held;
    uint8_t    queued;      /* the book's first only: NTT_PROBE_QUEUED_* */
} ntt_probe_entry_t;

#define NTT_PROBE_QUEUED_PENDING 1u   /* first's pending_at_ns is queued */
#define NTT_PROBE_QUEUED_FAILURE 2u   /* first's failure_at_ns is queued */

/* What a book of more than one target needs: the index and the two
 * event queues (probe-book.c). */
typedef struct ntt_probe_many ntt_probe_many_t;

/* A target of the index: the entry and the index's link. */
typedef struct ntt_probe_target {
    ntt_hash_link_t   link;
    ntt_probe_entry_t entry;
} ntt_probe_target_t;

typedef struct ntt_probe_book {
    /* The first target is held in the book (first.held), unindexed and
     * without the index's link, until a second one arrives; then both go
     * to the index, made then with the event queues (many NULL before).
     * Most books are a spoofed source's one probe: a book of one target
     * allocates nothing, and holds in place of the queues one event of
     * each kind, with its time (the key is the first's); a second makes
     * them. 72 bytes, not 128: a port-scan pair and a sweep scanner each
     * come to four cache lines, not five. */
    ntt_probe_entry_t     first;
    ntt_probe_many_t     *many;
    ntt_memcap_account_t *account;
    int64_t               pending_at_ns;   /* while many is NULL */
    int64_t               failure_at_ns;   /* while many is NULL */
    uint32_t              pending_count;
    uint32_t              failed_count;    /* failed within the window */
} ntt_probe_book_t;

/* account: where the book's bytes count (NULL: nowhere). */
void ntt_probe_book_init(ntt_probe_book_t *book, ntt_memcap_account_t *account);
void ntt_probe_book_clear(ntt_probe_book_t *book);

/* What a book's index and queues take once made (a second target, or a
 * second event of the first), their rings and targets apart. */
size_t ntt_probe_book_many_bytes(void);

/* A target that is a number (a protocol and port) rather than a host. */
ntt_addr_t ntt_probe_target_number(uint32_t number);

ntt_probe_state_t ntt_probe_book_state(const ntt_probe_book_t *book,
                                       const ntt_addr_t *target);

/* A probe at now_ns: an unknown target becomes pending (unless the book
 * already holds max_targets, or the memcap has no room), a pending one is
 * pending anew from now; failed and answered targets stay as they are.
 * False when there was no room for a new target. */
bool ntt_probe_book_probe(ntt_probe_book_t *book, const ntt_addr_t *target,
                          int64_t now_ns, uint32_t max_targets);

/* A refusal or an ICMP error: a pending target fails. True if it did. */
bool ntt_probe_book_fail(ntt_probe_book_t *book, const ntt_addr_t *target,
                         int64_t now_ns);

/* An answer: the target is alive. Returns its state before. */
ntt_probe_state_t ntt_probe_book_answer(ntt_probe_book_t *book,
                                        const ntt_addr_t *target);

/* Calls visit for every target held, in no set order (what reaches
 * output must not depend on it: count, or fill a set). */
void ntt_probe_book_visit(const ntt_probe_book_t *book,
                          void (*visit)(const ntt_addr_t *target, ntt_probe_state_t state,
                                        void *ctx),
                          void *ctx);

/* The number of a target made by ntt_probe_target_number(). */
uint32_t ntt_probe_target_number_of(const ntt_addr_t *target);

/* Targets pending longer than timeout_ns fail; failures older than
 * window_ns are forgotten. Returns how many targets failed now. */
uint32_t ntt_probe_book_age(ntt_probe_book_t *book, int64_t now_ns,
                            int64_t timeout_ns, int64_t window_ns);

#endif /* NTT_PROBE_BOOK_H */
