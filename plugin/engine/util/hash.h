/* hash.h
 * The one hash of the engine's tables: a seeded 64-bit hash of a
 * fixed-size key (an address, a flow key, a tracker key).
 *
 * Keys are addresses an attacker picks. A fixed, public hash lets a
 * flood of chosen addresses land in one bucket and turn every lookup into
 * a walk of the whole table, so every table hashes with its engine's seed
 * (ntt.hash_seed), as Suricata's hashword(..., hash_rand) and redis's
 * seeded siphash do. The default seed is fixed, so that a run is
 * reproducible; no output may depend on it (tables are never iterated
 * into a report).
 *
 * The mixer is a folded 64 x 64 -> 128 bit multiply (wyhash's "mum"):
 * every input bit reaches every output bit, the low bits included, which
 * power-of-two tables use as the bucket (a weak word hash once left the
 * low bits of IPv4 addresses differing in their last octet almost
 * unchanged). A few nanoseconds for a 40-byte key; it is not a
 * cryptographic hash: with the seed known, collisions can be computed, so
 * a deployment facing chosen traffic sets its own seed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_HASH_H
#define NTT_HASH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* "ntt-hash": the seed when none is configured. */
#define NTT_HASH_DEFAULT_SEED UINT64_C(0x6e74742d68617368)

/* The high and low halves of a * b, xored. */
static inline uint64_t ntt_hash_mum(uint64_t a, uint64_t b)
{
#ifdef __SIZEOF_INT128__
    unsigned __int128 p = (unsigned __int128)a * b;

    return (uint64_t)p ^ (uint64_t)(p >> 64);
#else
    /* 32-bit targets: the same product from four 32 x 32 multiplies. */
    uint64_t ha = a >> 32, la = (uint32_t)a, hb = b >> 32, lb = (uint32_t)b;
    uint64_t hh = ha * hb, hl = ha * lb, lh = la * hb, ll = la * lb;
    uint64_t mid = (ll >> 32) + (uint32_t)hl + (uint32_t)lh;
    uint64_t lo = (mid << 32) | (uint32_t)ll;
    uint64_t hi = hh + (hl >> 32) + (lh >> 32) + (mid >> 32);

    return lo ^ hi;
#endif
}

static inline uint64_t ntt_hash_read64(const unsigned char *p, size_t n)
{
    uint64_t w = 0;

    memcpy(&w, p, n < 8 ? n : 8);
    return w;
}

/* The two seed-derived terms of ntt_hash_bytes(): a table computes them
 * once, not for every key. */
typedef struct ntt_hash_keys {
    uint64_t h;
    uint64_t s;
} ntt_hash_keys_t;

#define NTT_HASH_K0 UINT64_C(0xa0761d6478bd642f)
#define NTT_HASH_K1 UINT64_C(0xe7037ed1a0b428db)
#define NTT_HASH_K2 UINT64_C(0x8ebc6af09c88c6e3)

static inline ntt_hash_keys_t ntt_hash_keys(uint64_t seed)
{
    ntt_hash_keys_t k = { ntt_hash_mum(seed ^ NTT_HASH_K0, NTT_HASH_K1),
                          ntt_hash_mum(seed ^ NTT_HASH_K2, NTT_HASH_K0) };

    return k;
}

/* ntt_hash_bytes() with its seed's terms given. With a constant len the
 * loop unrolls into a few multiplies. */
static inline uint64_t ntt_hash_bytes_keyed(const void *data, size_t len, ntt_hash_keys_t k)
{
    const unsigned char *p = data;
    uint64_t h = k.h, s = k.s;
    size_t i = 0;

    for (; len - i > 16; i += 16)
        h = ntt_hash_mum(ntt_hash_read64(p + i, 8) ^ s,
                         ntt_hash_read64(p + i + 8, 8) ^ h);
    /* The last 1..16 bytes (none for an empty key), zero-padded; the
     * length, mixed in last, tells "ab" from "ab\0". */
    if (len > i) {
        size_t rest = len - i;

        h = ntt_hash_mum(ntt_hash_read64(p + i, rest) ^ s,
                         (rest > 8 ? ntt_hash_read64(p + i + 8, rest - 8) : 0) ^ h);
    }
    return ntt_hash_mum(h ^ NTT_HASH_K2, (uint64_t)len ^ s);
}

/* The hash of len bytes at data under seed. Both factors of every
 * multiply hold a seed-derived term (h, and s, the seed's second key):
 * with a secret seed an attacker can neither zero a factor nor swap the
 * two, the seed-independent collisions of a mixer whose factors are
 * public constants. */
static inline uint64_t ntt_hash_bytes(const void *data, size_t len, uint64_t seed)
{
    return ntt_hash_bytes_keyed(data, len, ntt_hash_keys(seed));
}

/* The seed a table uses: 0 stands for the default. */
static inline uint64_t ntt_hash_seed_or_default(uint64_t seed)
{
    return seed ? seed : NTT_HASH_DEFAULT_SEED;
}

#endif /* NTT_HASH_H */
