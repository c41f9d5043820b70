/* tracker-table.c
 * See tracker-table.h. A GHashTable finds entries; an intrusive doubly
 * linked list keeps them in least-recently-seen order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "track/tracker-table.h"
#include "util/word-hash.h"

#include <stddef.h>
#include <string.h>

#include <glib.h>

typedef struct entry entry_t;

struct entry {
    ntt_tracker_key_t key;
    int64_t           last_ns;
    entry_t          *older;
    entry_t          *newer;
    /* the tracker's value follows, aligned for any type */
    max_align_t       value[];
};

struct ntt_tracker_table {
    GHashTable *entries;          /* ntt_tracker_key_t* -> entry_t* */
    entry_t    *oldest;
    entry_t    *newest;
    uint32_t    count;
    uint32_t    cap;
    size_t      value_size;
    void      (*free_value)(void *value);
};

static guint key_hash(gconstpointer p)
{
    G_STATIC_ASSERT(sizeof(ntt_tracker_key_t) % 4 == 0);
    return ntt_word_hash(p, sizeof(ntt_tracker_key_t));
}

static gboolean key_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(ntt_tracker_key_t)) == 0;
}

void ntt_tracker_key_init(ntt_tracker_key_t *key, uint8_t kind,
                          uint8_t ip_version, const ntt_addr_t *a,
                          const ntt_addr_t *b, uint16_t port)
{
    memset(key, 0, sizeof *key);
    key->kind = kind;
    key->ip_version = ip_version;
    if (a)
        key->a = *a;
    if (b)
        key->b = *b;
    key->port = port;
}

ntt_tracker_table_t *ntt_tracker_table_new(uint32_t cap, size_t value_size,
                                           void (*free_value)(void *value))
{
    ntt_tracker_table_t *t = g_new0(ntt_tracker_table_t, 1);

    t->entries = g_hash_table_new(key_hash, key_equal);
    t->cap = cap ? cap : 1;
    t->value_size = value_size;
    t->free_value = free_value;
    return t;
}

static void unlink_entry(ntt_tracker_table_t *t, entry_t *e)
{
    if (e->older)
        e->older->newer = e->newer;
    else
        t->oldest = e->newer;
    if (e->newer)
        e->newer->older = e->older;
    else
        t->newest = e->older;
    e->older = e->newer = NULL;
}

static void push_newest(ntt_tracker_table_t *t, entry_t *e)
{
    e->older = t->newest;
    e->newer = NULL;
    if (t->newest)
        t->newest->newer = e;
    else
        t->oldest = e;
    t->newest = e;
}

static void remove_entry(ntt_tracker_table_t *t, entry_t *e)
{
    g_hash_table_remove(t->entries, &e->key);
    unlink_entry(t, e);
    if (t->free_value)
        t->free_value(e->value);
    g_free(e);
    t->count--;
}

void ntt_tracker_table_free(ntt_tracker_table_t *t)
{
    if (!t)
        return;
    while (t->oldest)
        remove_entry(t, t->oldest);
    g_hash_table_destroy(t->entries);
    g_free(t);
}

void *ntt_tracker_table_find(ntt_tracker_table_t *t, const ntt_tracker_key_t *key)
{
    entry_t *e = g_hash_table_lookup(t->entries, key);

    return e ? e->value : NULL;
}

void *ntt_tracker_table_get(ntt_tracker_table_t *t, const ntt_tracker_key_t *key,
                            int64_t now_ns, bool *created, bool *evicted)
{
    entry_t *e = g_hash_table_lookup(t->entries, key);

    *created = *evicted = false;
    if (!e) {
        if (t->count >= t->cap) {
            remove_entry(t, t->oldest);
            *evicted = true;
        }
        e = g_malloc0(sizeof *e + t->value_size);
        e->key = *key;
        g_hash_table_insert(t->entries, &e->key, e);
        t->count++;
        *created = true;
    } else {
        unlink_entry(t, e);
    }
    push_newest(t, e);
    if (now_ns > e->last_ns || *created)
        e->last_ns = now_ns;
    return e->value;
}

void ntt_tracker_table_expire(ntt_tracker_table_t *t, int64_t now_ns, int64_t idle_ns)
{
    while (t->oldest && now_ns - t->oldest->last_ns > idle_ns)
        remove_entry(t, t->oldest);
}

uint32_t ntt_tracker_table_count(const ntt_tracker_table_t *t)
{
    return t->count;
}
