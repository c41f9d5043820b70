/* probe-book.h
 * What became of the probes one scanner sent: per target (a port of one
 * host, or a host), pending until answered, failed (refused, reported
 * unreachable, or unanswered past the reply timeout), or answered.
 * Failures count within a sliding window and are then forgotten. The
 * port scan and sweep detectors both judge scanners this way.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_PROBE_BOOK_H
#define NTT_PROBE_BOOK_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "ntt/packet.h"

typedef enum ntt_probe_state {
    NTT_PROBE_NONE = 0,       /* never probed, or forgotten */
    NTT_PROBE_PENDING,
    NTT_PROBE_FAILED,
    NTT_PROBE_ANSWERED,
} ntt_probe_state_t;

typedef struct ntt_probe_book {
    GHashTable *targets;      /* ntt_addr_t* -> target, owned */
    GQueue      pending;      /* events by probe time */
    GQueue      failures;     /* events by failure time */
    uint32_t    pending_count;
    uint32_t    failed_count; /* failed within the window */
    uint32_t    peak_failed;
} ntt_probe_book_t;

void ntt_probe_book_init(ntt_probe_book_t *book);
void ntt_probe_book_clear(ntt_probe_book_t *book);

/* A target that is a number (a protocol and port) rather than a host. */
ntt_addr_t ntt_probe_target_number(uint32_t number);

ntt_probe_state_t ntt_probe_book_state(const ntt_probe_book_t *book,
                                       const ntt_addr_t *target);

/* A probe at now_ns: an unknown target becomes pending (unless the book
 * already holds max_targets), a pending one is pending anew from now;
 * failed and answered targets stay as they are. False when there was no
 * room for a new target. */
bool ntt_probe_book_probe(ntt_probe_book_t *book, const ntt_addr_t *target,
                          int64_t now_ns, uint32_t max_targets);

/* A refusal or an ICMP error: a pending target fails. True if it did. */
bool ntt_probe_book_fail(ntt_probe_book_t *book, const ntt_addr_t *target,
                         int64_t now_ns);

/* An answer: the target is alive. Returns its state before. */
ntt_probe_state_t ntt_probe_book_answer(ntt_probe_book_t *book,
                                        const ntt_addr_t *target);

/* Targets pending longer than timeout_ns fail; failures older than
 * window_ns are forgotten. Returns how many targets failed now. */
uint32_t ntt_probe_book_age(ntt_probe_book_t *book, int64_t now_ns,
                            int64_t timeout_ns, int64_t window_ns);

#endif /* NTT_PROBE_BOOK_H */
