/* memcap.c
 * See memcap.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/memcap.h"

#include <glib.h>

#include "util/hash.h"

struct ntt_memcap {
    uint64_t   limit;
    uint64_t   low_water;
    uint64_t   used;
    uint64_t   peak;
    uint32_t   engagements;
    bool       emergency;
    uint64_t   hash_seed;
    GPtrArray *accounts;      /* ntt_memcap_account_t *, owned */
};

ntt_memcap_t *ntt_memcap_new(uint64_t limit_bytes, uint64_t hash_seed)
{
    ntt_memcap_t *m = g_new0(ntt_memcap_t, 1);

    m->limit = limit_bytes ? limit_bytes : UINT64_MAX;
    m->low_water = m->limit / 4 * 3;
    m->hash_seed = ntt_hash_seed_or_default(hash_seed);
    m->accounts = g_ptr_array_new_with_free_func(g_free);
    return m;
}

void ntt_memcap_free(ntt_memcap_t *m)
{
    if (!m)
        return;
    g_ptr_array_free(m->accounts, TRUE);
    g_free(m);
}

ntt_memcap_account_t *ntt_memcap_open(ntt_memcap_t *m, const char *name)
{
    ntt_memcap_account_t *a;

    if (!m)
        return NULL;
    a = g_new0(ntt_memcap_account_t, 1);
    a->memcap = m;
    g_strlcpy(a->name, name ? name : "", sizeof a->name);
    g_ptr_array_add(m->accounts, a);
    return a;
}

void ntt_memcap_set_relief(ntt_memcap_account_t *a, ntt_memcap_relief_fn relief,
                           void *ctx)
{
    if (!a)
        return;
    a->relief = relief;
    a->relief_ctx = ctx;
}

/* Each table's share is what it holds when memory runs out. */
static void engage(ntt_memcap_t *m)
{
    if (m->emergency)
        return;
    m->emergency = true;
    m->engagements++;
    for (guint i = 0; i < m->accounts->len; i++) {
        ntt_memcap_account_t *a = g_ptr_array_index(m->accounts, i);

        a->emergency_share = a->bytes;
    }
}

bool ntt_memcap_fits(const ntt_memcap_account_t *a, size_t bytes)
{
    const ntt_memcap_t *m;

    if (!a)
        return true;
    m = a->memcap;
    return bytes <= m->limit && m->used <= m->limit - bytes;
}

static void take(ntt_memcap_account_t *a, size_t bytes)
{
    ntt_memcap_t *m = a->memcap;

    m->used += bytes;
    if (m->used > m->peak)
        m->peak = m->used;
    a->bytes += bytes;
    if (a->bytes > a->peak_bytes)
        a->peak_bytes = a->bytes;
}

bool ntt_memcap_reserve(ntt_memcap_account_t *a, size_t bytes)
{
    if (!a)
        return true;
    if (!ntt_memcap_fits(a, bytes))
        engage(a->memcap);
    /* In emergency mode a table past its share pays for what it adds with
     * its own entries, whether or not the bytes would fit: otherwise the
     * room one table frees goes to whichever table asks next, and the
     * shares drift until a table with large entries has none left. The
     * relief frees through this account; a reservation made while it
     * runs (there is none today) must not start another. */
    if (a->memcap->emergency && a->bytes + bytes > a->emergency_share &&
        a->relief && !a->relieving) {
        a->relieving = true;
        a->relief(a->relief_ctx, a->bytes + bytes - a->emergency_share);
        a->relieving = false;
    }
    /* Within its share a table may take bytes though the whole is a
     * little past the cap (forced charges): the shares add up to what was
     * used when the mode engaged, at most the cap. */
    if (!ntt_memcap_fits(a, bytes) &&
        !(a->memcap->emergency && a->bytes + bytes <= a->emergency_share))
        return false;
    take(a, bytes);
    return true;
}

void ntt_memcap_charge(ntt_memcap_account_t *a, size_t bytes)
{
    if (!a)
        return;
    take(a, bytes);
    if (a->memcap->used > a->memcap->limit)
        engage(a->memcap);
}

void ntt_memcap_release(ntt_memcap_account_t *a, size_t bytes)
{
    ntt_memcap_t *m;

    if (!a)
        return;
    m = a->memcap;
    /* More released than taken is a bug of the table; clamp rather than
     * wrap around to an account of 2^64 bytes. */
    g_warn_if_fail(bytes <= a->bytes && bytes <= m->used);
    bytes = MIN(bytes, MIN(a->bytes, m->used));
    a->bytes -= bytes;
    m->used -= bytes;
    if (m->emergency && m->used <= m->low_water)
        m->emergency = false;
}

bool ntt_memcap_emergency(const ntt_memcap_t *m)
{
    return m && m->emergency;
}

bool ntt_memcap_account_emergency(const ntt_memcap_account_t *a)
{
    return a && a->memcap->emergency;
}

int64_t ntt_memcap_timeout(const ntt_memcap_t *m, int64_t idle_ns)
{
    return ntt_memcap_emergency(m) ? idle_ns / NTT_EMERGENCY_TIMEOUT_DIVISOR : idle_ns;
}

uint64_t ntt_memcap_hash_seed(const ntt_memcap_t *m)
{
    return m ? m->hash_seed : NTT_HASH_DEFAULT_SEED;
}

uint64_t ntt_memcap_account_seed(const ntt_memcap_account_t *a)
{
    return ntt_memcap_hash_seed(a ? a->memcap : NULL);
}

void ntt_memcap_stats(const ntt_memcap_t *m, ntt_memcap_stats_t *stats)
{
    if (!m) {
        *stats = (ntt_memcap_stats_t){ .limit_bytes = UINT64_MAX };
        return;
    }
    stats->limit_bytes = m->limit;
    stats->used_bytes = m->used;
    stats->peak_bytes = m->peak;
    stats->engagements = m->engagements;
    stats->emergency = m->emergency;
}

unsigned ntt_memcap_account_count(const ntt_memcap_t *m)
{
    return m ? m->accounts->len : 0;
}

const ntt_memcap_account_t *ntt_memcap_account_at(const ntt_memcap_t *m, unsigned i)
{
    if (!m || i >= m->accounts->len)
        return NULL;
    return g_ptr_array_index(m->accounts, i);
}
