/* linear-count.h
 * Distinct addresses, estimated by linear counting (Whang et al. 1990):
 * a bitmap of nbits bits, one set per address hashed; n is estimated as
 * nbits * ln(nbits / empty bits). Accurate up to a few times nbits, then a
 * lower bound. The detectors embed their own bitmaps (a flood's 8192
 * bits, a surge's 512) and count through these.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_LINEAR_COUNT_H
#define NTT_LINEAR_COUNT_H

#include <stdint.h>

#include "ntt/packet.h"

/* The bit of nbits that a sets. */
uint32_t ntt_linear_count_bit(uint32_t nbits, const ntt_addr_t *a);

/* Sets a's bit in bits (nbits of them); *set counts the bits set. The
 * fixed seed keeps the estimate (an output: ntt.alert.sources)
 * independent of ntt.hash_seed. */
void ntt_linear_count_add(uint8_t *bits, uint32_t nbits, uint32_t *set,
                          const ntt_addr_t *a);

/* The estimate from the bits set (0: none). */
uint32_t ntt_linear_count_estimate(uint32_t nbits, uint32_t set);

#endif /* NTT_LINEAR_COUNT_H */
