/* tracker-table.c
 * See tracker-table.h. A GHashTable finds entries; an intrusive doubly
 * linked list keeps them in least-recently-seen order.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "track/tracker-table.h"

#include <stddef.h>
#include <string.h>

#include <glib.h>

#include "util/hash-table.h"
#include "util/lru-list.h"
#include "util/record-pool.h"

typedef struct entry entry_t;

struct entry {
    ntt_hash_link_t   link;
    ntt_lru_node_t    recency;
    ntt_tracker_key_t key;
    uint32_t          extra_bytes;   /* ntt_tracker_table_charge() */
    int64_t           last_ns;
    /* the tracker's value follows, aligned for any type */
    max_align_t       value[];
};

struct ntt_tracker_table {
    ntt_hash_table_t      index;      /* by key */
    ntt_lru_list_t        recency;
    ntt_record_pool_t     records;    /* the entries' memory */
    uint32_t              count;
    uint32_t              cap;
    size_t                value_size;
    void                (*free_value)(void *value);
    ntt_memcap_account_t *account;
    int64_t               idle_ns;    /* the last idle time expired by, 0: none */
    int64_t               now_ns;     /* the latest packet time seen */
    /* The oldest tracker's last_ns, when oldest_known: expiry runs on
     * every packet and would otherwise read a cold entry each time to
     * learn that nothing is due. Forgotten whenever the oldest changes. */
    int64_t               oldest_last_ns;
    bool                  oldest_known;
};

static entry_t *entry_of_node(ntt_lru_node_t *node)
{
    return node ? NTT_LRU_ENTRY(node, entry_t, recency) : NULL;
}

static entry_t *entry_of_value(void *value)
{
    return (entry_t *)(void *)((char *)value - offsetof(entry_t, value));
}

static entry_t *oldest(const ntt_tracker_table_t *t)
{
    return entry_of_node(ntt_lru_oldest(&t->recency));
}

static bool is_newest(const ntt_tracker_table_t *t, const entry_t *e)
{
    return ntt_lru_newest(&t->recency) == &e->recency;
}

/* What one tracker really takes: its allocation (the buckets are the
 * index's own). */
static size_t entry_bytes(const ntt_tracker_table_t *t)
{
    return ntt_memcap_malloc_size(sizeof(entry_t) + t->value_size);
}

static void remove_entry(ntt_tracker_table_t *t, entry_t *e)
{
    size_t bytes = entry_bytes(t) + e->extra_bytes;

    if (oldest(t) == e)
        t->oldest_known = false;
    ntt_hash_table_remove(&t->index, &e->link);
    ntt_lru_unlink(&t->recency, &e->recency);
    if (t->free_value)
        t->free_value(e->value);
    ntt_record_pool_free(&t->records, e);
    t->count--;
    ntt_memcap_release(t->account, bytes);
}

/* Emergency relief (tracker-table.h). */
static void relieve(void *ctx, size_t bytes)
{
    ntt_tracker_table_t *t = ctx;
    int64_t early = t->idle_ns / NTT_EMERGENCY_TIMEOUT_DIVISOR;
    uint64_t start = t->account->bytes;
    entry_t *e;

    while (t->idle_ns > 0 && (e = oldest(t)) != NULL && !is_newest(t, e) &&
           t->now_ns - e->last_ns > early) {
        remove_entry(t, e);
        t->account->emergency_expired++;
    }
    while (t->account->bytes + bytes > start && (e = oldest(t)) != NULL &&
           !is_newest(t, e)) {
        remove_entry(t, e);
        t->account->emergency_evicted++;
    }
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

ntt_tracker_table_t *ntt_tracker_table_new(ntt_memcap_t *memcap, const char *name,
                                           uint32_t max_entries, size_t value_size,
                                           void (*free_value)(void *value))
{
    ntt_tracker_table_t *t = g_new0(ntt_tracker_table_t, 1);

    t->account = ntt_memcap_open(memcap, name);
    ntt_memcap_set_relief(t->account, relieve, t);
    ntt_hash_table_init(&t->index, offsetof(entry_t, key) - offsetof(entry_t, link),
                        sizeof(ntt_tracker_key_t), ntt_memcap_hash_seed(memcap), t->account);
    ntt_lru_init(&t->recency);
    t->cap = max_entries ? max_entries : 1;
    t->value_size = value_size;
    ntt_record_pool_init(&t->records, sizeof(entry_t) + value_size);
    t->free_value = free_value;
    return t;
}

/* The whole table goes at once: what each value owns is freed (oldest
 * first, as expiry would), then the entries with their pool and the
 * index with its buckets. Taking the entries out one by one read every
 * bucket again, a likely cache miss each, and rehashed the index down as
 * it emptied: at the end of the attack mix's first 100,000 packets, more
 * misses than a tenth of its packets' (bench/README.md). */
void ntt_tracker_table_free(ntt_tracker_table_t *t)
{
    size_t bytes;

    if (!t)
        return;
    bytes = t->count * entry_bytes(t);
    if (t->free_value) {
        for (ntt_lru_node_t *node = ntt_lru_oldest(&t->recency); node; node = node->newer) {
            entry_t *e = entry_of_node(node);

            bytes += e->extra_bytes;
            t->free_value(e->value);
        }
    }
    ntt_memcap_release(t->account, bytes);
    ntt_hash_table_clear(&t->index);
    ntt_record_pool_clear(&t->records);
    ntt_memcap_set_relief(t->account, NULL, NULL);
    g_free(t);
}

static entry_t *find(const ntt_tracker_table_t *t, const ntt_tracker_key_t *key,
                     uint32_t hash)
{
    ntt_hash_link_t *link = ntt_hash_table_find_sized(&t->index, key, hash, sizeof *key);

    return link ? NTT_HASH_ENTRY(link, entry_t, link) : NULL;
}

void *ntt_tracker_table_find(ntt_tracker_table_t *t, const ntt_tracker_key_t *key)
{
    entry_t *e = find(t, key, ntt_hash_table_hash_sized(&t->index, key, sizeof *key));

    return e ? e->value : NULL;
}

/* e is seen at now_ns: the newest; its time never goes back. */
static void mark_seen(ntt_tracker_table_t *t, entry_t *e, int64_t now_ns)
{
    t->now_ns = now_ns;
    if (oldest(t) == e)
        t->oldest_known = false;
    ntt_lru_touch(&t->recency, &e->recency);
    if (now_ns > e->last_ns)
        e->last_ns = now_ns;
}

void *ntt_tracker_table_touch(ntt_tracker_table_t *t, const ntt_tracker_key_t *key,
                              int64_t now_ns)
{
    entry_t *e = find(t, key, ntt_hash_table_hash_sized(&t->index, key, sizeof *key));

    if (!e)
        return NULL;
    mark_seen(t, e, now_ns);
    return e->value;
}

void *ntt_tracker_table_get(ntt_tracker_table_t *t, const ntt_tracker_key_t *key,
                            int64_t now_ns, bool *created, bool *evicted)
{
    uint32_t hash = ntt_hash_table_hash_sized(&t->index, key, sizeof *key);
    entry_t *e = find(t, key, hash);

    *created = *evicted = false;
    if (e) {
        mark_seen(t, e, now_ns);
        return e->value;
    }
    t->now_ns = now_ns;
    if (t->count >= t->cap) {
        remove_entry(t, oldest(t));
        *evicted = true;
    }
    /* A detector needs the tracker: with no room even after the relief,
     * it is charged past the cap (emergency mode is on). */
    if (!ntt_memcap_reserve(t->account, entry_bytes(t)))
        ntt_memcap_charge(t->account, entry_bytes(t));
    e = ntt_record_pool_alloc0(&t->records);
    e->key = *key;
    e->last_ns = now_ns;
    ntt_hash_table_insert(&t->index, &e->link, hash);
    if (t->count == 0)
        t->oldest_known = false;
    ntt_lru_push_newest(&t->recency, &e->recency);
    t->count++;
    *created = true;
    return e->value;
}

void ntt_tracker_table_expire(ntt_tracker_table_t *t, int64_t now_ns, int64_t idle_ns)
{
    int64_t idle = ntt_memcap_timeout(t->account ? t->account->memcap : NULL, idle_ns);
    entry_t *e;

    t->idle_ns = idle_ns;
    t->now_ns = now_ns;
    /* A tracker last seen further ahead of now than its idle time is from
     * another stretch of time: the clock stepped back (a merged capture,
     * a host whose clock was reset). It goes as an idle one does, so that
     * packets years apart never add up in one tracker. After a step back
     * every tracker seen before it is older in the list than those seen
     * since, so the oldest end still holds them all. */
    for (;;) {
        int64_t last;

        if (!t->oldest_known) {
            if ((e = oldest(t)) == NULL)
                return;
            t->oldest_last_ns = e->last_ns;
            t->oldest_known = true;
        }
        last = t->oldest_last_ns;
        if (!(now_ns - last > idle || last - now_ns > idle))
            return;
        e = oldest(t);
        if (now_ns - last <= idle_ns && last - now_ns <= idle_ns)
            t->account->emergency_expired++;
        remove_entry(t, e);
    }
}

uint32_t ntt_tracker_table_count(const ntt_tracker_table_t *t)
{
    return t->count;
}

ntt_memcap_account_t *ntt_tracker_table_account(ntt_tracker_table_t *t)
{
    return t->account;
}

void ntt_tracker_table_charge(ntt_tracker_table_t *t, void *value, size_t bytes)
{
    entry_t *e = entry_of_value(value);

    /* What a value owns, its free_value frees (and the table's teardown
     * counts, visiting only the tables that have one). */
    g_return_if_fail(t->free_value != NULL);
    e->extra_bytes += (uint32_t)bytes;
    ntt_memcap_charge(t->account, bytes);
}
