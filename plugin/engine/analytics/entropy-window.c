/* entropy-window.c
 * See entropy-window.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analytics/entropy-window.h"

#include <math.h>
#include <string.h>

#include <glib.h>

#define PORTS 65536u

/* What a pair counts: a packet's (source, destination), or its
 * (destination, destination port). */
enum { PAIR_SRC_DST = 0, PAIR_DST_PORT = 1 };

/* A pair names its addresses by their entries, which it keeps alive (a
 * reference each): a short key, and no address hashed twice a packet.
 * The pairs' table is never walked, so the entries' places in memory
 * reach no output. */
typedef struct pair_key {
    ntt_entropy_addr_t *a;      /* source; destination */
    ntt_entropy_addr_t *b;      /* destination; NULL */
    uint32_t            kind_port; /* PAIR_SRC_DST; PAIR_DST_PORT << 16 | port */
    uint32_t            zero;
} pair_key_t;

/* An address entry's key, as the table compares it (the entry's addr,
 * ip_version and zero, in that order). */
typedef struct addr_key {
    ntt_addr_t addr;
    uint8_t    ip_version;
    uint8_t    zero[3];
} addr_key_t;

struct ntt_entropy_pair {
    ntt_hash_link_t     link;
    pair_key_t          key;
    ntt_entropy_tally_t tally;
};

/* A record's item: a table pair, or a pair held in an entry (the
 * entry's address with its kind in the low bits, free since entries are
 * at least 16-byte aligned). */
#define HELD_MASK  ((uintptr_t)3)
#define FIRST_DST  ((uintptr_t)1)    /* a source's first destination's */
#define FIRST_PORT ((uintptr_t)2)    /* a destination's first port's */

static uintptr_t table_item(ntt_entropy_pair_t *p)
{
    return (uintptr_t)p;
}

static uintptr_t held_item(ntt_entropy_addr_t *e, uintptr_t kind)
{
    return (uintptr_t)e | kind;
}

static uintptr_t held_kind(uintptr_t item)
{
    return item & HELD_MASK;
}

static ntt_entropy_addr_t *holder(uintptr_t item)
{
    return (ntt_entropy_addr_t *)(item & ~HELD_MASK);
}

static ntt_entropy_pair_t *table_pair(uintptr_t item)
{
    return (ntt_entropy_pair_t *)item;
}

static ntt_entropy_tally_t *tally_of(uintptr_t item)
{
    switch (held_kind(item)) {
    case FIRST_DST:  return &holder(item)->first;
    case FIRST_PORT: return &holder(item)->port;
    default:         return &table_pair(item)->tally;
    }
}

/* Two cache lines, which the pools start an entry on (record-pool.c). */
G_STATIC_ASSERT(sizeof(ntt_entropy_addr_t) == 128);

#define ADDR_BYTES  ntt_memcap_malloc_size(sizeof(ntt_entropy_addr_t))
#define PAIR_BYTES  ntt_memcap_malloc_size(sizeof(ntt_entropy_pair_t))
#define PORTS_BYTES ntt_memcap_malloc_size(PORTS * sizeof(uint32_t))
/* The bucket array a table's first entry brings (hash-table.c). */
#define FIRST_BUCKETS_BYTES ntt_memcap_malloc_size(2 * sizeof(void *))

/* c log2 c of the small counts nearly every update is about, computed
 * once: a log2 costs more than the rest of a packet's entropy work. */
#define CLOGC_TABLE 4096
static double clogc_table[CLOGC_TABLE];

static void clogc_table_fill(void)
{
    static gsize filled = 0;

    if (g_once_init_enter(&filled)) {
        for (uint32_t c = 2; c < CLOGC_TABLE; c++)
            clogc_table[c] = (double)c * log2((double)c);
        g_once_init_leave(&filled, 1);
    }
}

static double clogc(uint32_t c)
{
    return c < CLOGC_TABLE ? clogc_table[c] : (double)c * log2((double)c);
}

/* One value's count goes from before to after. */
static inline void sum_move(ntt_entropy_sum_t *sum, uint32_t before, uint32_t after)
{
    sum->n += after - before;   /* modular: after may be below before */
    sum->distinct += (uint32_t)(after > 0) - (uint32_t)(before > 0);
    sum->clogc += clogc(after) - clogc(before);
    /* Empty again: exactly 0, so rounding cannot build up over a file. */
    if (sum->distinct == 0)
        sum->clogc = 0.0;
}

void ntt_entropy_sum_figure(const ntt_entropy_sum_t *sum, ntt_entropy_figure_t *out)
{
    double top;

    memset(out, 0, sizeof *out);
    out->packets = sum->n;
    out->distinct = sum->distinct;
    if (sum->n < 2)
        return;
    top = log2((double)sum->n);
    out->bits = top - sum->clogc / (double)sum->n;
    if (out->bits < 0 || sum->distinct < 2)
        out->bits = 0;
    if (out->bits > top)
        out->bits = top;
    out->normalized = out->bits / top;
}

static bool take(ntt_entropy_counts_t *c, size_t bytes)
{
    /* Only room that is free: this table never engages emergency mode. */
    if (!ntt_memcap_fits(c->account, bytes))
        return false;
    ntt_memcap_charge(c->account, bytes);
    return true;
}

void ntt_entropy_counts_init(ntt_entropy_counts_t *c, int64_t window_ns,
                             uint32_t max_addresses, uint32_t max_pairs,
                             ntt_memcap_t *memcap)
{
    clogc_table_fill();
    memset(c, 0, sizeof *c);
    c->window_ns = window_ns > 0 ? window_ns : 1;
    c->tenth_ns = c->window_ns / NTT_SLIDING_BUCKETS;
    if (c->tenth_ns == 0)
        c->tenth_ns = 1;
    c->max_addresses = max_addresses;
    c->max_pairs = max_pairs;
    c->max_records = max_pairs > UINT32_MAX / 2 ? UINT32_MAX : 2 * max_pairs;
    c->account = ntt_memcap_open(memcap, "entropy");
    ntt_hash_table_init(&c->addrs,
                        offsetof(ntt_entropy_addr_t, addr) - offsetof(ntt_entropy_addr_t, link),
                        sizeof(addr_key_t), ntt_memcap_account_seed(c->account),
                        c->account);
    ntt_hash_table_init(&c->pairs,
                        offsetof(ntt_entropy_pair_t, key) - offsetof(ntt_entropy_pair_t, link),
                        sizeof(pair_key_t), ntt_memcap_account_seed(c->account), c->account);
    ntt_record_pool_init(&c->addr_records, sizeof(ntt_entropy_addr_t));
    ntt_record_pool_init(&c->pair_records, sizeof(ntt_entropy_pair_t));
}

static void free_addr(ntt_entropy_counts_t *c, ntt_entropy_addr_t *e)
{
    ntt_memcap_release(c->account, ADDR_BYTES);
    ntt_record_pool_free(&c->addr_records, e);
}

static void free_pair(ntt_entropy_counts_t *c, ntt_entropy_pair_t *p)
{
    ntt_memcap_release(c->account, PAIR_BYTES);
    ntt_record_pool_free(&c->pair_records, p);
}

void ntt_entropy_counts_clear(ntt_entropy_counts_t *c)
{
    /* Entries own nothing: they go with their pools, unvisited. */
    ntt_memcap_release(c->account, c->pairs.count * PAIR_BYTES + c->addrs.count * ADDR_BYTES);
    ntt_hash_table_clear(&c->pairs);
    ntt_hash_table_clear(&c->addrs);
    ntt_record_pool_clear(&c->pair_records);
    ntt_record_pool_clear(&c->addr_records);
    for (unsigned i = 0; i < NTT_SLIDING_BUCKETS; i++) {
        ntt_memcap_release(c->account, c->tenths[i].cap
            ? ntt_memcap_malloc_size(c->tenths[i].cap * sizeof(ntt_entropy_record_t)) : 0);
        g_free(c->tenths[i].records);
    }
    if (c->port_counts)
        ntt_memcap_release(c->account, PORTS_BYTES);
    g_free(c->port_counts);
    memset(c->tenths, 0, sizeof c->tenths);
    c->port_counts = NULL;
    c->pair_count = 0;
}

static ntt_entropy_addr_t *find_addr(const ntt_entropy_counts_t *c, const ntt_addr_t *addr,
                                     uint8_t ip_version)
{
    addr_key_t key;
    ntt_hash_link_t *link;

    memset(&key, 0, sizeof key);
    key.addr = *addr;
    key.ip_version = ip_version;
    link = ntt_hash_table_find_sized(&c->addrs, &key,
                                     ntt_hash_table_hash_sized(&c->addrs, &key, sizeof key),
                                     sizeof key);
    return link ? NTT_HASH_ENTRY(link, ntt_entropy_addr_t, link) : NULL;
}

/* The address's entry, made if need be (NULL: no room). */
static ntt_entropy_addr_t *get_addr(ntt_entropy_counts_t *c, const ntt_addr_t *addr,
                                    uint8_t ip_version)
{
    ntt_entropy_addr_t *e = find_addr(c, addr, ip_version);

    if (e)
        return e;
    if (c->addrs.count >= c->max_addresses || !take(c, ADDR_BYTES + FIRST_BUCKETS_BYTES))
        return NULL;
    ntt_memcap_release(c->account, FIRST_BUCKETS_BYTES);
    e = ntt_record_pool_alloc0(&c->addr_records);
    e->addr = *addr;
    e->ip_version = ip_version;
    ntt_hash_table_insert(&c->addrs, &e->link, ntt_hash_table_hash(&c->addrs, &e->addr));
    return e;
}

static void remove_addr(ntt_entropy_counts_t *c, ntt_entropy_addr_t *e)
{
    ntt_hash_table_remove(&c->addrs, &e->link);
    free_addr(c, e);
}

/* The last pair naming it has gone. */
static void unref_addr(ntt_entropy_counts_t *c, ntt_entropy_addr_t *e)
{
    if (e && --e->refs == 0)
        remove_addr(c, e);
}

static uint32_t pair_hash(const ntt_entropy_counts_t *c, const pair_key_t *key)
{
    return ntt_hash_table_hash_sized(&c->pairs, key, sizeof *key);
}

static ntt_entropy_pair_t *find_pair(const ntt_entropy_counts_t *c, const pair_key_t *key)
{
    ntt_hash_link_t *link = ntt_hash_table_find_sized(&c->pairs, key, pair_hash(c, key),
                                                      sizeof *key);

    return link ? NTT_HASH_ENTRY(link, ntt_entropy_pair_t, link) : NULL;
}

/* A new pair's tally: no packet, and not recorded in the current tenth. */
static void tally_init(const ntt_entropy_counts_t *c, ntt_entropy_tally_t *tally)
{
    tally->count = 0;
    tally->rec = 0;
    tally->tenth = (uint32_t)c->tenth + 1u;
}

/* A new pair of the table (0: no room). */
static uintptr_t make_table_item(ntt_entropy_counts_t *c, const pair_key_t *key)
{
    ntt_entropy_pair_t *p;

    if (c->pair_count >= c->max_pairs || !take(c, PAIR_BYTES + FIRST_BUCKETS_BYTES))
        return 0;
    ntt_memcap_release(c->account, FIRST_BUCKETS_BYTES);
    p = ntt_record_pool_alloc0(&c->pair_records);
    p->key = *key;
    tally_init(c, &p->tally);
    key->a->refs++;
    key->a->table_pairs++;
    if (key->b)
        key->b->refs++;
    c->pair_count++;
    ntt_hash_table_insert(&c->pairs, &p->link, pair_hash(c, key));
    return table_item(p);
}

static pair_key_t pair_key(ntt_entropy_addr_t *a, ntt_entropy_addr_t *b, uint32_t kind_port)
{
    pair_key_t key;

    memset(&key, 0, sizeof key);
    key.a = a;
    key.b = b;
    key.kind_port = kind_port;
    return key;
}

/* The table's pair for key, which owner names first, or NULL. The table
 * is asked (and the key hashed) only when it has pairs naming owner
 * first: a pair held in an entry is never looked for there, nor ever
 * also made there. */
static ntt_entropy_pair_t *in_table(const ntt_entropy_counts_t *c,
                                    const ntt_entropy_addr_t *owner, const pair_key_t *key)
{
    return owner->table_pairs > 0 ? find_pair(c, key) : NULL;
}

/* A new pair held in owner's tally (0: no room). */
static uintptr_t hold(ntt_entropy_counts_t *c, ntt_entropy_addr_t *owner, uintptr_t kind,
                      ntt_entropy_tally_t *tally)
{
    if (c->pair_count >= c->max_pairs)
        return 0;
    tally_init(c, tally);
    owner->refs++;
    c->pair_count++;
    return held_item(owner, kind);
}

/* The (src, dst) pair: src's first if it is dst's, else the table's,
 * else made -- as src's first when it holds none (0: no room). A held
 * pair, what most packets find, costs no hash. */
static uintptr_t get_src_dst(ntt_entropy_counts_t *c, ntt_entropy_addr_t *src,
                             ntt_entropy_addr_t *dst)
{
    pair_key_t key;
    ntt_entropy_pair_t *p;
    uintptr_t item;

    if (src->first_dst == dst)
        return held_item(src, FIRST_DST);
    key = pair_key(src, dst, PAIR_SRC_DST);
    if ((p = in_table(c, src, &key)) != NULL)
        return table_item(p);
    if (src->first_dst)
        return make_table_item(c, &key);
    item = hold(c, src, FIRST_DST, &src->first);
    if (item) {
        src->first_dst = dst;
        dst->refs++;
    }
    return item;
}

/* The (dst, port) pair, likewise: dst's first port's, the table's, or
 * made. */
static uintptr_t get_dst_port(ntt_entropy_counts_t *c, ntt_entropy_addr_t *dst, uint16_t port)
{
    pair_key_t key;
    ntt_entropy_pair_t *p;
    uintptr_t item;

    if (dst->port_held && dst->first_port == port)
        return held_item(dst, FIRST_PORT);
    key = pair_key(dst, NULL, (uint32_t)PAIR_DST_PORT << 16 | port);
    if ((p = in_table(c, dst, &key)) != NULL)
        return table_item(p);
    if (dst->port_held)
        return make_table_item(c, &key);
    item = hold(c, dst, FIRST_PORT, &dst->port);
    if (item) {
        dst->port_held = true;
        dst->first_port = port;
    }
    return item;
}

/* A pair with no packet left in the window (or made for a packet that
 * was then left out) goes, and with it what only it kept. */
static void drop_if_unused(ntt_entropy_counts_t *c, uintptr_t item)
{
    ntt_entropy_addr_t *e = holder(item);
    ntt_entropy_pair_t *p;

    if (!item || tally_of(item)->count > 0)
        return;
    c->pair_count--;
    switch (held_kind(item)) {
    case FIRST_DST: {
        ntt_entropy_addr_t *dst = e->first_dst;

        /* e may go with its last reference: the pair first. */
        e->first_dst = NULL;
        unref_addr(c, dst);
        unref_addr(c, e);
        return;
    }
    case FIRST_PORT:
        e->port_held = false;
        unref_addr(c, e);
        return;
    default:
        break;
    }
    p = table_pair(item);
    ntt_hash_table_remove(&c->pairs, &p->link);
    p->key.a->table_pairs--;
    unref_addr(c, p->key.a);
    unref_addr(c, p->key.b);
    free_pair(c, p);
}

/* An address made for a packet that was then left out. */
static void drop_addr_if_unused(ntt_entropy_counts_t *c, ntt_entropy_addr_t *e)
{
    if (e && e->refs == 0)
        remove_addr(c, e);
}

/* Room for n more records in the current tenth. */
static bool records_room(ntt_entropy_counts_t *c, ntt_entropy_tenth_t *t, uint32_t n)
{
    uint32_t cap = t->cap ? t->cap : 16;
    size_t before, after;

    if (c->records + n > c->max_records)
        return false;
    if (t->len + n <= t->cap)
        return true;
    while (cap < t->len + n)
        cap *= 2;
    before = t->cap ? ntt_memcap_malloc_size(t->cap * sizeof(ntt_entropy_record_t)) : 0;
    after = ntt_memcap_malloc_size(cap * sizeof(ntt_entropy_record_t));
    if (!take(c, after - before))
        return false;
    t->records = g_renew(ntt_entropy_record_t, t->records, cap);
    t->cap = cap;
    return true;
}

static ntt_entropy_tenth_t *tenth_of(ntt_entropy_counts_t *c, int64_t tenth)
{
    return &c->tenths[tenth % NTT_SLIDING_BUCKETS];
}

/* count packets of the (src, dst) pair counted in tally enter or leave. */
static void count_src_dst(ntt_entropy_counts_t *c, ntt_entropy_addr_t *src,
                          ntt_entropy_addr_t *dst, ntt_entropy_tally_t *tally, int64_t delta)
{
    uint32_t before = tally->count, after = (uint32_t)((int64_t)before + delta);
    uint32_t sent = src->dsts_from.n, received = dst->srcs_toward.n;

    tally->count = after;
    sum_move(&c->sum[NTT_ENTROPY_SRC], sent, (uint32_t)((int64_t)sent + delta));
    sum_move(&c->sum[NTT_ENTROPY_DST], received, (uint32_t)((int64_t)received + delta));
    sum_move(&dst->srcs_toward, before, after);
    sum_move(&src->dsts_from, before, after);
}

/* count packets of the (dst, port) pair counted in tally enter or leave. */
static void count_dst_port(ntt_entropy_counts_t *c, ntt_entropy_addr_t *dst, uint16_t port,
                           ntt_entropy_tally_t *tally, int64_t delta)
{
    uint32_t before = tally->count, after = (uint32_t)((int64_t)before + delta);
    uint32_t *count = &c->port_counts[port];

    tally->count = after;
    sum_move(&dst->ports_toward, before, after);
    sum_move(&c->sum[NTT_ENTROPY_DPORT], *count, (uint32_t)((int64_t)*count + delta));
    *count = (uint32_t)((int64_t)*count + delta);
}

/* count packets of the item's pair enter (delta > 0) or leave (delta < 0)
 * the window. */
static void count_pair(ntt_entropy_counts_t *c, uintptr_t item, int64_t delta)
{
    ntt_entropy_addr_t *e = holder(item);
    ntt_entropy_pair_t *p;

    switch (held_kind(item)) {
    case FIRST_DST:
        count_src_dst(c, e, e->first_dst, &e->first, delta);
        return;
    case FIRST_PORT:
        count_dst_port(c, e, e->first_port, &e->port, delta);
        return;
    default:
        break;
    }
    p = table_pair(item);
    if (p->key.kind_port == PAIR_SRC_DST)
        count_src_dst(c, p->key.a, p->key.b, &p->tally, delta);
    else
        count_dst_port(c, p->key.a, (uint16_t)(p->key.kind_port & 0xffff), &p->tally, delta);
}

/* One more packet of the item's pair in the current tenth (room made
 * beforehand). */
static void record(ntt_entropy_counts_t *c, uintptr_t item)
{
    ntt_entropy_tenth_t *t = tenth_of(c, c->tenth);
    ntt_entropy_tally_t *tally = tally_of(item);

    if (tally->tenth == (uint32_t)c->tenth) {
        t->records[tally->rec].count++;
    } else {
        tally->tenth = (uint32_t)c->tenth;
        tally->rec = t->len;
        t->records[t->len].item = item;
        t->records[t->len].count = 1;
        t->len++;
        c->records++;
    }
    count_pair(c, item, 1);
}

/* The tenth leaves the window: its packets are taken out. */
static void expire(ntt_entropy_counts_t *c, ntt_entropy_tenth_t *t)
{
    for (uint32_t i = 0; i < t->len; i++) {
        uintptr_t item = t->records[i].item;

        count_pair(c, item, -(int64_t)t->records[i].count);
        drop_if_unused(c, item);
    }
    c->records -= t->len;
    t->len = 0;
    c->uncounted -= t->uncounted;
    t->uncounted = 0;
}

static bool window_empty(const ntt_entropy_counts_t *c)
{
    return c->pair_count == 0 && c->uncounted == 0;
}

int64_t ntt_entropy_counts_start(const ntt_entropy_counts_t *c)
{
    int64_t first = c->tenth - (NTT_SLIDING_BUCKETS - 1);

    return c->origin_ns + (first > 0 ? first : 0) * c->tenth_ns;
}

/* Moves the current tenth on to tenth: each window of whole tenths that
 * ends on the way is reported, each tenth that leaves is expired. */
static void advance(ntt_entropy_counts_t *c, int64_t tenth)
{
    while (c->tenth < tenth) {
        int64_t next = c->tenth + 1;

        if (next % NTT_SLIDING_BUCKETS == 0 && !window_empty(c) && c->on_window)
            c->on_window(c->on_window_ctx, ntt_entropy_counts_start(c),
                         c->origin_ns + next * c->tenth_ns);
        expire(c, tenth_of(c, next));
        c->tenth = next;
        /* Nothing left: the quiet tenths up to the packet's hold nothing
         * to expire or report. */
        if (window_empty(c) && tenth - c->tenth > 1)
            c->tenth = tenth - 1;
    }
}

/* Everything the packet needs, or nothing (and false). */
static bool count_packet(ntt_entropy_counts_t *c, const ntt_packet_t *packet)
{
    bool ports = packet->has_ports;
    ntt_entropy_tenth_t *t = tenth_of(c, c->tenth);
    uint32_t now = (uint32_t)c->tenth;
    ntt_entropy_addr_t *src, *dst;
    uintptr_t sd, dp = 0;

    if (ports && !c->port_counts) {
        if (!take(c, PORTS_BYTES))
            return false;
        c->port_counts = g_new0(uint32_t, PORTS);
    }
    src = get_addr(c, &packet->src, packet->ip_version);
    dst = src ? get_addr(c, &packet->dst, packet->ip_version) : NULL;
    if (!dst) {
        drop_addr_if_unused(c, src);
        return false;
    }
    sd = get_src_dst(c, src, dst);
    if (!sd) {
        drop_addr_if_unused(c, src);
        if (dst != src)
            drop_addr_if_unused(c, dst);
        return false;
    }
    if (ports) {
        dp = get_dst_port(c, dst, packet->dport);
        if (!dp) {
            drop_if_unused(c, sd);   /* and with it a new src, dst */
            return false;
        }
    }
    /* A record for each pair not yet counted in this tenth. */
    if (!records_room(c, t, (tally_of(sd)->tenth != now)
                                + (dp && tally_of(dp)->tenth != now))) {
        drop_if_unused(c, dp);
        drop_if_unused(c, sd);
        return false;
    }
    record(c, sd);
    if (dp)
        record(c, dp);
    return true;
}

void ntt_entropy_counts_add(ntt_entropy_counts_t *c, const ntt_packet_t *packet)
{
    int64_t tenth;

    if (packet->ip_version != 4 && packet->ip_version != 6)
        return;
    if (!c->started) {
        c->started = true;
        c->origin_ns = packet->ts_ns;
    }
    tenth = packet->ts_ns >= c->origin_ns ? (packet->ts_ns - c->origin_ns) / c->tenth_ns : 0;
    if (tenth > c->tenth)
        advance(c, tenth);
    if (!count_packet(c, packet)) {
        tenth_of(c, c->tenth)->uncounted++;
        c->uncounted++;
        c->uncounted_total++;
        if (c->account)
            c->account->refused++;
    }
}

void ntt_entropy_counts_figure(const ntt_entropy_counts_t *c, ntt_entropy_dim_t dim,
                               ntt_entropy_figure_t *out)
{
    ntt_entropy_sum_figure(&c->sum[dim], out);
}

const ntt_entropy_addr_t *ntt_entropy_counts_addr(const ntt_entropy_counts_t *c,
                                                  const ntt_addr_t *addr,
                                                  uint8_t ip_version)
{
    return find_addr(c, addr, ip_version);
}

/* a before b in the top: more packets, then the lower address. */
static bool busier(const ntt_entropy_addr_t *a, const ntt_entropy_addr_t *b)
{
    int order;

    if (a->srcs_toward.n != b->srcs_toward.n)
        return a->srcs_toward.n > b->srcs_toward.n;
    if (a->ip_version != b->ip_version)
        return a->ip_version < b->ip_version;
    order = memcmp(a->addr.bytes, b->addr.bytes, sizeof a->addr.bytes);
    return order < 0;
}

unsigned ntt_entropy_counts_top(const ntt_entropy_counts_t *c, ntt_entropy_host_t *top,
                                unsigned n)
{
    const ntt_entropy_addr_t *best[NTT_ENTROPY_TOP_HOSTS];
    ntt_hash_link_t *cursor = NULL, *link;
    unsigned count = 0;

    if (n > NTT_ENTROPY_TOP_HOSTS)
        n = NTT_ENTROPY_TOP_HOSTS;
    /* The table's order follows the seed; the ranking does not. */
    while (n && (link = ntt_hash_table_next(&c->addrs, &cursor)) != NULL) {
        const ntt_entropy_addr_t *e = NTT_HASH_ENTRY(link, ntt_entropy_addr_t, link);
        unsigned at;

        /* One packet says nothing of a distribution. */
        if (e->srcs_toward.n < 2 || (count == n && !busier(e, best[n - 1])))
            continue;
        if (count < n)
            count++;
        for (at = count - 1; at > 0 && busier(e, best[at - 1]); at--)
            best[at] = best[at - 1];
        best[at] = e;
    }
    for (unsigned i = 0; i < count; i++) {
        memset(&top[i], 0, sizeof top[i]);
        top[i].addr = best[i]->addr;
        top[i].ip_version = best[i]->ip_version;
        ntt_entropy_sum_figure(&best[i]->srcs_toward, &top[i].src);
        ntt_entropy_sum_figure(&best[i]->ports_toward, &top[i].dport);
    }
    return count;
}
