/* sweep-burst.h
 * A burst of first contacts into one network (a /24, or a /64 for IPv6):
 * how the sweep detectors (detect-sweep.c for IP, detect-arp-sweep.c for
 * ARP) raise a sweep faster than any reply timeout. First contacts count
 * while they stay in one network, each within the window of the burst's
 * first; an answered one no longer counts. docs/detectors.md says why.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_SWEEP_BURST_H
#define NTT_SWEEP_BURST_H

#include <stdbool.h>
#include <stdint.h>

#include "ntt/packet.h"

typedef struct ntt_sweep_burst {
    ntt_addr_t net;
    int64_t    start_ns;
    uint32_t   contacts;
    uint32_t   answered;
} ntt_sweep_burst_t;

/* A first contact to host at now_ns: it continues the burst, or starts a
 * new one (another network, or past window_ns since the burst's first). */
void ntt_sweep_burst_contact(ntt_sweep_burst_t *b, const ntt_addr_t *host,
                             uint8_t ip_version, int64_t now_ns, int64_t window_ns);

/* host answered its first contact. */
void ntt_sweep_burst_answer(ntt_sweep_burst_t *b, const ntt_addr_t *host,
                            uint8_t ip_version);

/* need (> 0) unanswered first contacts in the burst; 0 never. */
bool ntt_sweep_burst_full(const ntt_sweep_burst_t *b, uint32_t need);

#endif /* NTT_SWEEP_BURST_H */
