/* word-hash.h
 * The hash of the engine's fixed-size keys (addresses, tracker keys): a
 * word at a time, because they are hashed on every packet and are
 * multiples of 4 bytes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_WORD_HASH_H
#define NTT_WORD_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Hash of size bytes at p; size must be a multiple of 4. */
static inline uint32_t ntt_word_hash(const void *p, size_t size)
{
    const unsigned char *bytes = p;
    uint32_t h = 2166136261u;

    for (size_t i = 0; i + 4 <= size; i += 4) {
        uint32_t w;

        memcpy(&w, bytes + i, sizeof w);
        h ^= w;
        h *= 0x9e3779b1u;
        h ^= h >> 15;
    }
    return h;
}

#endif /* NTT_WORD_HASH_H */
