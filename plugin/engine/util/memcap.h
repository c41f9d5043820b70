/* memcap.h
 * One budget in bytes (ntt.memcap) for every live table of an engine:
 * the flow table, each detector's trackers with what they own (probe
 * books, rings), the GeoIP cache, the blocklist detector's URIs. Each
 * table has an account; it reserves the bytes it really takes (what
 * malloc hands out, ntt_memcap_malloc_size(), hash buckets included)
 * before allocating and releases them when it frees.
 *
 * Emergency mode (Suricata's model). A reservation that does not fit
 * engages it, and each table's share becomes what it holds then. While
 * it lasts, every table expires with shortened timeouts (a tenth), and a
 * reservation that would take a table past its share first asks it to
 * free as many bytes of its own (its relief: entries idle past a tenth
 * of their timeout, then its oldest entries, never the one in use): each
 * table pays for what it adds, so the room one table frees is not taken
 * by another and no table is squeezed out by the others. It ends when use falls to the low-water mark, three quarters
 * of the cap. A table whose relief found nothing to drop still gets room
 * for the entry it needs (a charge past the cap), so that detection keeps
 * working however small the cap: the cap is exceeded by at most a couple
 * of entries per table.
 *
 * The memcap also carries the engine's hash seed (util/hash.h): the same
 * tables need both, and nothing else needs either.
 *
 * Per-frame replay data and per-flow records, kept for the whole file,
 * are not live tables and are not counted here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_MEMCAP_H
#define NTT_MEMCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct ntt_memcap ntt_memcap_t;
typedef struct ntt_memcap_account ntt_memcap_account_t;

/* A table freeing at least bytes of its own, if it can (see above). */
typedef void (*ntt_memcap_relief_fn)(void *ctx, size_t bytes);

/* One table's share. Read the counters freely; change them only through
 * the functions below (the *_expired / *_evicted counts are the table's
 * to bump). */
struct ntt_memcap_account {
    ntt_memcap_t        *memcap;
    char                 name[32];
    uint64_t             bytes;
    uint64_t             peak_bytes;
    uint64_t             emergency_expired; /* entries expired early */
    uint64_t             emergency_evicted; /* oldest entries dropped for room */
    uint64_t             refused;           /* not kept for want of bytes */
    uint64_t             emergency_share;   /* its bytes when emergency engaged */
    ntt_memcap_relief_fn relief;
    void                *relief_ctx;
    bool                 relieving;
};

typedef struct ntt_memcap_stats {
    uint64_t limit_bytes;       /* UINT64_MAX: no cap */
    uint64_t used_bytes;
    uint64_t peak_bytes;
    uint32_t engagements;       /* times emergency mode was entered */
    bool     emergency;         /* in emergency mode now */
} ntt_memcap_stats_t;

/* An idle timeout shortened for emergency mode. */
#define NTT_EMERGENCY_TIMEOUT_DIVISOR 10

/* limit_bytes 0: no cap (bytes are still counted); hash_seed 0: the
 * default seed. */
ntt_memcap_t *ntt_memcap_new(uint64_t limit_bytes, uint64_t hash_seed);
void ntt_memcap_free(ntt_memcap_t *memcap);

/* A new account named name ("flows", "portscan" ...), owned by the memcap
 * and readable until it is freed. A NULL memcap gives NULL: every
 * function below takes a NULL account as "not counted, no cap". */
ntt_memcap_account_t *ntt_memcap_open(ntt_memcap_t *memcap, const char *name);

/* The table that makes room for this account (NULL: none, as when the
 * table is freed). */
void ntt_memcap_set_relief(ntt_memcap_account_t *account,
                           ntt_memcap_relief_fn relief, void *ctx);

/* Takes bytes if they fit under the cap; in emergency mode (which a
 * reservation that does not fit engages) the account's table first frees
 * as many of its own. False: nothing taken; the caller goes without, or
 * takes them anyway with ntt_memcap_charge(). */
bool ntt_memcap_reserve(ntt_memcap_account_t *account, size_t bytes);

/* Takes bytes whatever the cap (engaging emergency mode past it). */
void ntt_memcap_charge(ntt_memcap_account_t *account, size_t bytes);

void ntt_memcap_release(ntt_memcap_account_t *account, size_t bytes);

/* Whether bytes more would fit under the cap now. */
bool ntt_memcap_fits(const ntt_memcap_account_t *account, size_t bytes);

/* In emergency mode (false for NULL). */
bool ntt_memcap_emergency(const ntt_memcap_t *memcap);
bool ntt_memcap_account_emergency(const ntt_memcap_account_t *account);

/* An idle timeout as it applies now: a tenth of it in emergency mode. */
int64_t ntt_memcap_timeout(const ntt_memcap_t *memcap, int64_t idle_ns);

/* The seed of the engine's tables (the default for NULL). */
uint64_t ntt_memcap_hash_seed(const ntt_memcap_t *memcap);
uint64_t ntt_memcap_account_seed(const ntt_memcap_account_t *account);

void ntt_memcap_stats(const ntt_memcap_t *memcap, ntt_memcap_stats_t *stats);

/* The accounts in the order they were opened. */
unsigned ntt_memcap_account_count(const ntt_memcap_t *memcap);
const ntt_memcap_account_t *ntt_memcap_account_at(const ntt_memcap_t *memcap,
                                                  unsigned i);

/* What malloc really takes for an n-byte request: glibc's chunk on a
 * 64-bit system (n plus its 8-byte header, rounded up to 16, at least
 * 32). A model, so that the figures are the same on every machine. */
static inline size_t ntt_memcap_malloc_size(size_t n)
{
    size_t chunk = (n + 8 + 15) & ~(size_t)15;

    return chunk < 32 ? 32 : chunk;
}

#endif /* NTT_MEMCAP_H */
