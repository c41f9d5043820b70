/* hash-table.h
 * An intrusive hash table of fixed-size keys: entries embed an
 * ntt_hash_link_t, the table holds only a power-of-two array of bucket
 * chains. Keys are hashed with util/hash.h under the table's seed, so
 * chosen addresses cannot pile into one chain (without the seed).
 *
 * Intrusive so that the bytes are known: an entry costs what its owner
 * allocates, the table its bucket array (8 bytes a bucket, at most two
 * buckets an entry), charged to a memcap account. The array doubles when
 * there are more entries than buckets and halves when there are eight
 * times fewer; a doubling that does not fit under the memcap is skipped
 * (chains grow a little longer, nothing is lost). The table never iterates its entries
 * for anyone, so no output depends on the seed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_HASH_TABLE_H
#define NTT_HASH_TABLE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "util/hash.h"
#include "util/memcap.h"

typedef struct ntt_hash_link ntt_hash_link_t;

struct ntt_hash_link {
    ntt_hash_link_t *next;
    uint32_t         hash;     /* low 32 bits of the key's hash */
};

/* The entry of type that holds link as its member. */
#define NTT_HASH_ENTRY(link, type, member) \
    ((type *)(void *)((char *)(link) - offsetof(type, member)))

typedef struct ntt_hash_table {
    ntt_hash_link_t     **buckets;   /* NULL while empty */
    uint32_t              mask;      /* buckets - 1 */
    uint32_t              count;
    uint64_t              seed;
    ntt_hash_keys_t       keys;      /* the seed's terms (util/hash.h) */
    ntt_memcap_account_t *account;   /* the bucket array's bytes; may be NULL */
    int32_t               key_offset;/* from a link to its entry's key */
    uint32_t              key_size;
} ntt_hash_table_t;

/* key_offset: offsetof(entry, key) - offsetof(entry, link); seed: the
 * engine's (ntt_memcap_account_seed(account) for a table with a budget);
 * account: where the bucket array counts (NULL: nowhere). */
void ntt_hash_table_init(ntt_hash_table_t *table, ptrdiff_t key_offset,
                         size_t key_size, uint64_t seed,
                         ntt_memcap_account_t *account);

/* Frees the bucket array; the entries are their owner's to free. */
void ntt_hash_table_clear(ntt_hash_table_t *table);

/* Takes every entry out, handing each to free_entry (which may free it),
 * then clears the table. */
void ntt_hash_table_drain(ntt_hash_table_t *table,
                          void (*free_entry)(ntt_hash_link_t *link, void *ctx),
                          void *ctx);

/* Visits the entries: *cursor starts at NULL; returns the next entry or
 * NULL at the end. The order follows the seed: whatever reaches output
 * must be sorted first. The table must not change during the walk. */
ntt_hash_link_t *ntt_hash_table_next(const ntt_hash_table_t *table,
                                     ntt_hash_link_t **cursor);

/* The hash of a key of the table's key_size. Out of line: inlined with a
 * size known only at run time into a caller whose key object the compiler
 * can see, the hash's loop over longer keys is a path it cannot rule out,
 * and GCC 15 reports that path's reads as out of bounds (-Warray-bounds).
 * The lookups made several times a packet use the _sized form. */
uint32_t ntt_hash_table_hash(const ntt_hash_table_t *table, const void *key);

/* The same, size (the table's key_size) a constant at the call: the hash
 * unrolls there. For the lookups made several times a packet. */
static inline uint32_t ntt_hash_table_hash_sized(const ntt_hash_table_t *table,
                                                 const void *key, size_t size)
{
    return (uint32_t)ntt_hash_bytes_keyed(key, size, table->keys);
}

/* The entry with this key (hash: ntt_hash_table_hash() of it), or NULL. */
ntt_hash_link_t *ntt_hash_table_find(const ntt_hash_table_t *table,
                                     const void *key, uint32_t hash);

/* The same, size (the table's key_size) a constant at the call: the key
 * comparison is inlined there instead of a call to memcmp. */
static inline ntt_hash_link_t *ntt_hash_table_find_sized(const ntt_hash_table_t *table,
                                                         const void *key, uint32_t hash,
                                                         size_t size)
{
    ntt_hash_link_t *link;

    if (!table->buckets)
        return NULL;
    for (link = table->buckets[hash & table->mask]; link; link = link->next) {
        if (link->hash == hash &&
            memcmp((const char *)link + table->key_offset, key, size) == 0)
            return link;
    }
    return NULL;
}

/* Adds an entry whose key is not in the table. */
void ntt_hash_table_insert(ntt_hash_table_t *table, ntt_hash_link_t *link,
                           uint32_t hash);

void ntt_hash_table_remove(ntt_hash_table_t *table, ntt_hash_link_t *link);

/* The bucket array's bytes (what the account holds for it). */
size_t ntt_hash_table_bytes(const ntt_hash_table_t *table);

#endif /* NTT_HASH_TABLE_H */
