/* linear-count.c
 * See linear-count.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "track/linear-count.h"

#include <math.h>

#include "util/hash.h"

uint32_t ntt_linear_count_bit(uint32_t nbits, const ntt_addr_t *a)
{
    return (uint32_t)ntt_hash_bytes(a, sizeof *a, NTT_HASH_DEFAULT_SEED) % nbits;
}

void ntt_linear_count_add(uint8_t *bits, uint32_t nbits, uint32_t *set,
                          const ntt_addr_t *a)
{
    uint32_t bit = ntt_linear_count_bit(nbits, a);

    if (!(bits[bit / 8] & (1u << (bit % 8)))) {
        bits[bit / 8] |= (uint8_t)(1u << (bit % 8));
        (*set)++;
    }
}

uint32_t ntt_linear_count_estimate(uint32_t nbits, uint32_t set)
{
    double empty = (double)nbits - set;

    if (set == 0)
        return 0;
    if (empty < 1)
        empty = 1;     /* saturated: a lower bound */
    return (uint32_t)(nbits * log((double)nbits / empty) + 0.5);
}
