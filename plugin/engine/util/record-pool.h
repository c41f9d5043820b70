/* record-pool.h
 * Records of one fixed size, carved from slabs, with the freed ones kept
 * on a list for the next to be made.
 *
 * On hostile traffic most records live for one packet's worth of time: a
 * spoofed flood makes a flow, a tracker and an entropy entry for every
 * packet and lets them go when they expire. From malloc each costs a
 * search of its bins going in and a merge of free neighbours going out;
 * from a pool it is a pop or a push (Suricata's flow spare queue, the
 * kernel's slab caches). Slabs are handed back only when the pool is
 * cleared, so a pool keeps what its busiest moment needed -- and that
 * moment is bounded by the memcap, which counts live records at malloc's
 * size (util/memcap.h), an upper bound of what a pooled one takes.
 *
 * Under AddressSanitizer every record is its own allocation, so that a
 * use after free is still caught, and the pool keeps a set of those out
 * so that clearing it frees them as it would their slabs.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_RECORD_POOL_H
#define NTT_RECORD_POOL_H

#include <stddef.h>
#include <string.h>

#include <glib.h>

#if defined(__SANITIZE_ADDRESS__)
#define NTT_RECORD_POOL_PLAIN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define NTT_RECORD_POOL_PLAIN 1
#endif
#endif

typedef struct ntt_record_slab ntt_record_slab_t;

typedef struct ntt_record_pool {
    size_t             size;       /* of a record, rounded up to 16 */
    void              *free_list;  /* freed records, linked by their first word */
    char              *next;       /* the unused rest of the newest slab */
    char              *end;
    ntt_record_slab_t *slabs;      /* newest first */
#ifdef NTT_RECORD_POOL_PLAIN
    GHashTable        *out;        /* records handed out and not freed */
#endif
} ntt_record_pool_t;

/* A pool of records of size bytes (at least a pointer's). */
void ntt_record_pool_init(ntt_record_pool_t *pool, size_t size);

/* Hands every slab back, and with them every record still out: a table
 * that goes as a whole need not free its records one by one (only what
 * they own). */
void ntt_record_pool_clear(ntt_record_pool_t *pool);

/* A new slab, and a record from it (record-pool.c). */
void *ntt_record_pool_alloc_slow(ntt_record_pool_t *pool);

/* A zeroed record. */
static inline void *ntt_record_pool_alloc0(ntt_record_pool_t *pool)
{
    void *record;

#ifdef NTT_RECORD_POOL_PLAIN
    record = g_malloc0(pool->size);
    if (!pool->out)
        pool->out = g_hash_table_new_full(g_direct_hash, g_direct_equal, g_free, NULL);
    g_hash_table_add(pool->out, record);
#else
    if (pool->free_list) {
        record = pool->free_list;
        memcpy(&pool->free_list, record, sizeof(void *));
    } else if (pool->next != pool->end) {
        record = pool->next;
        pool->next += pool->size;
    } else {
        record = ntt_record_pool_alloc_slow(pool);
    }
    memset(record, 0, pool->size);
#endif
    return record;
}

/* Gives a record of this pool back. */
static inline void ntt_record_pool_free(ntt_record_pool_t *pool, void *record)
{
#ifdef NTT_RECORD_POOL_PLAIN
    g_hash_table_remove(pool->out, record);     /* and g_free() */
#else
    memcpy(record, &pool->free_list, sizeof(void *));
    pool->free_list = record;
#endif
}

#endif /* NTT_RECORD_POOL_H */
