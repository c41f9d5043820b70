/* hash-table.c
 * See hash-table.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/hash-table.h"

#include <string.h>

#include <glib.h>

#include "util/hash.h"

#define MIN_BUCKETS 2u

static size_t array_bytes(uint32_t buckets)
{
    return ntt_memcap_malloc_size((size_t)buckets * sizeof(ntt_hash_link_t *));
}

void ntt_hash_table_init(ntt_hash_table_t *t, ptrdiff_t key_offset, size_t key_size,
                         uint64_t seed, ntt_memcap_account_t *account)
{
    memset(t, 0, sizeof *t);
    t->key_offset = (int32_t)key_offset;
    t->key_size = (uint32_t)key_size;
    t->account = account;
    t->seed = seed;
    t->keys = ntt_hash_keys(seed);
}

size_t ntt_hash_table_bytes(const ntt_hash_table_t *t)
{
    return t->buckets ? array_bytes(t->mask + 1) : 0;
}

void ntt_hash_table_clear(ntt_hash_table_t *t)
{
    ntt_memcap_release(t->account, ntt_hash_table_bytes(t));
    g_free(t->buckets);
    t->buckets = NULL;
    t->mask = 0;
    t->count = 0;
}

static const void *key_of(const ntt_hash_table_t *t, const ntt_hash_link_t *link)
{
    return (const char *)link + t->key_offset;
}

uint32_t ntt_hash_table_hash(const ntt_hash_table_t *t, const void *key)
{
    return (uint32_t)ntt_hash_bytes_keyed(key, t->key_size, t->keys);
}

ntt_hash_link_t *ntt_hash_table_find(const ntt_hash_table_t *t, const void *key,
                                     uint32_t hash)
{
    ntt_hash_link_t *link;

    if (!t->buckets)
        return NULL;
    for (link = t->buckets[hash & t->mask]; link; link = link->next) {
        if (link->hash == hash && memcmp(key_of(t, link), key, t->key_size) == 0)
            return link;
    }
    return NULL;
}

/* Moves every entry into a new array of buckets; the old is freed. */
static void rehash(ntt_hash_table_t *t, uint32_t buckets)
{
    ntt_hash_link_t **fresh = g_new0(ntt_hash_link_t *, buckets);

    if (t->buckets) {
        for (uint32_t i = 0; i <= t->mask; i++) {
            ntt_hash_link_t *link = t->buckets[i], *next;

            for (; link; link = next) {
                next = link->next;
                link->next = fresh[link->hash & (buckets - 1)];
                fresh[link->hash & (buckets - 1)] = link;
            }
        }
    }
    g_free(t->buckets);
    t->buckets = fresh;
    t->mask = buckets - 1;
}

static void resize(ntt_hash_table_t *t, uint32_t buckets, bool must)
{
    size_t old_bytes = ntt_hash_table_bytes(t), new_bytes = array_bytes(buckets);

    if (new_bytes > old_bytes) {
        /* No relief here: it would drop entries from the table being
         * resized. A growth that does not fit is skipped: longer chains,
         * nothing lost (the next entry's own reservation finds room). */
        if (!must && !ntt_memcap_fits(t->account, new_bytes - old_bytes))
            return;
        ntt_memcap_charge(t->account, new_bytes - old_bytes);
    }
    rehash(t, buckets);
    if (new_bytes < old_bytes)
        ntt_memcap_release(t->account, old_bytes - new_bytes);
}

void ntt_hash_table_insert(ntt_hash_table_t *t, ntt_hash_link_t *link, uint32_t hash)
{
    if (!t->buckets)
        resize(t, MIN_BUCKETS, true);
    else if (t->count >= t->mask + 1 && t->mask < UINT32_MAX / 2)
        resize(t, (t->mask + 1) * 2, false);
    link->hash = hash;
    link->next = t->buckets[hash & t->mask];
    t->buckets[hash & t->mask] = link;
    t->count++;
}

void ntt_hash_table_remove(ntt_hash_table_t *t, ntt_hash_link_t *link)
{
    ntt_hash_link_t **at;

    if (!t->buckets)
        return;
    for (at = &t->buckets[link->hash & t->mask]; *at; at = &(*at)->next) {
        if (*at == link) {
            *at = link->next;
            link->next = NULL;
            t->count--;
            break;
        }
    }
    /* Shrink after a flood has gone, so its buckets do not stay. */
    if (t->mask + 1 > MIN_BUCKETS && t->count < (t->mask + 1) / 8)
        resize(t, (t->mask + 1) / 2, true);
}

void ntt_hash_table_drain(ntt_hash_table_t *t,
                          void (*free_entry)(ntt_hash_link_t *link, void *ctx), void *ctx)
{
    if (t->buckets) {
        for (uint32_t i = 0; i <= t->mask; i++) {
            ntt_hash_link_t *link = t->buckets[i], *next;

            t->buckets[i] = NULL;
            for (; link; link = next) {
                next = link->next;
                link->next = NULL;
                free_entry(link, ctx);
            }
        }
    }
    ntt_hash_table_clear(t);
}

ntt_hash_link_t *ntt_hash_table_next(const ntt_hash_table_t *t, ntt_hash_link_t **cursor)
{
    uint32_t i = 0;

    if (!t->buckets)
        return NULL;
    if (*cursor) {
        if ((*cursor)->next)
            return *cursor = (*cursor)->next;
        i = ((*cursor)->hash & t->mask) + 1;
    }
    for (; i <= t->mask; i++) {
        if (t->buckets[i])
            return *cursor = t->buckets[i];
    }
    return *cursor = NULL;
}
