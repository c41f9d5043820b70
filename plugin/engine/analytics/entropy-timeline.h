/* entropy-timeline.h
 * The engine's entropy: the sliding counts (entropy-window.h) and what
 * is kept of each window for the reports, bounded however long the
 * capture: a timeline of at most NTT_ENTROPY_TIMELINE windows (past it,
 * every other one is dropped and only every 2nd, 4th ... window is kept
 * from then on), the NTT_ENTROPY_MOVES largest changes from one window to
 * the next, and a book of the NTT_ENTROPY_HOSTS destinations that
 * received the most packets in a window (each at its busiest window).
 * The moves, the book, the lowest and highest figures see every window,
 * kept in the timeline or not.
 *
 * The figure that corroborates an episode (a flood's source entropy
 * toward its target, a scan's port entropy, a sweep's destination
 * entropy) is read from the window at its detection and again each time
 * its packet count reaches a power of two, keeping the highest: a fast
 * detection sees the window still full of the target's ordinary traffic,
 * the attack's own packets dominate it later. log2 n readings for an
 * episode of n packets, each O(1).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ENTROPY_TIMELINE_H
#define NTT_ENTROPY_TIMELINE_H

#include "ntt/entropy.h"
#include "ntt/episode.h"
#include "util/memcap.h"

#define NTT_ENTROPY_TIMELINE 1024

/* window_ns: the sliding window; max_addresses: the address table's
 * bound (twice as many pairs). */
ntt_entropy_t *ntt_entropy_new(int64_t window_ns, uint32_t max_addresses,
                               ntt_memcap_t *memcap);
void ntt_entropy_free(ntt_entropy_t *entropy);

/* One packet, first pass, in frame order (not IP: ignored). */
void ntt_entropy_add(ntt_entropy_t *entropy, const ntt_packet_t *packet);

/* Sets the entropy_* detail field of an episode being raised from the
 * window now; -1 (not measured) when ip_packet is false (an ARP sweep:
 * the window counts IP only), or the window has no packet of its target. */
void ntt_entropy_corroborate(const ntt_entropy_t *entropy, ntt_episode_t *ep,
                             bool ip_packet);

/* A later reading: the field keeps the higher (ep may be NULL). */
void ntt_entropy_remeasure(const ntt_entropy_t *entropy, ntt_episode_t *ep);

#endif /* NTT_ENTROPY_TIMELINE_H */
