/* frame-store.c
 * The compact per-frame store; the encoding is described in frame-store.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "core/frame-store.h"

#include <string.h>

/* Frame numbers grow by one per packet; a jump larger than this means a
 * caller bug or garbage, and must not make the store allocate gigabytes. */
#define MAX_FRAME_GAP 65536u

/* Frames per membership block: the most lengths a lookup adds up, against
 * 4 bytes of block start per FRAME_BLOCK frames. */
#define FRAME_BLOCK 64u

#define PKTS_LOW_BITS 24
#define PKTS_LOW_MASK ((1u << PKTS_LOW_BITS) - 1)

/* iat_ns in a record: the exact value is in iat_escapes. */
#define IAT_ESCAPED UINT32_MAX

enum {
    REC_STORED   = 1u << 0,    /* distinguishes a stored frame without a
                                  flow (ARP, non-IP) from a gap */
    REC_HAS_FLOW = 1u << 1,
    REC_RESP     = 1u << 2,    /* dir: NTT_DIR_RESP */
    REC_NEW_FLOW = 1u << 3,
    REC_STATE_SHIFT = 4,       /* the upper 4 bits: ntt_conn_state_t */
};

G_STATIC_ASSERT(NTT_STATE_COUNT <= 16);

/* Up to NTT_FRAME_EPISODES pairs of 5-byte varints. */
#define MEMBER_BYTES_MAX (NTT_FRAME_EPISODES * 2 * 5)
G_STATIC_ASSERT(MEMBER_BYTES_MAX <= UINT8_MAX);

typedef struct ntt_frame_record {
    uint32_t flow_id;
    uint32_t iat_ns;           /* or IAT_ESCAPED */
    uint32_t bytes_lo[2];      /* by ntt_dir_t */
    uint8_t  pkts_lo[2][3];    /* by ntt_dir_t, little endian */
    uint8_t  flags;            /* REC_* and the state */
    uint8_t  member_bytes;     /* this frame's bytes in the pool */
} ntt_frame_record_t;

G_STATIC_ASSERT(sizeof(ntt_frame_record_t) == 24);

typedef struct ntt_iat_escape {
    int64_t  iat_ns;
    uint32_t frame;
} ntt_iat_escape_t;

/* A flow's high parts from this frame on. */
typedef struct ntt_flow_highs {
    uint32_t frame;
    uint8_t  pkts_hi[2];       /* pkts >> 24 */
    uint32_t bytes_hi[2];      /* bytes >> 32 */
} ntt_flow_highs_t;

/* What a flow's entry in highs costs besides its entries: the GArray and
 * the hash table's node, about. */
#define HIGHS_FLOW_OVERHEAD 64u

static void free_highs(gpointer array)
{
    g_array_free(array, TRUE);
}

void ntt_frame_store_init(ntt_frame_store_t *store)
{
    memset(store, 0, sizeof *store);
    store->blocks = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    store->pool = g_byte_array_new();
    store->iat_escapes = g_array_new(FALSE, FALSE, sizeof(ntt_iat_escape_t));
}

void ntt_frame_store_clear(ntt_frame_store_t *store)
{
    g_free(store->records);
    if (store->blocks)
        g_array_free(store->blocks, TRUE);
    if (store->pool)
        g_byte_array_free(store->pool, TRUE);
    if (store->iat_escapes)
        g_array_free(store->iat_escapes, TRUE);
    if (store->highs)
        g_hash_table_destroy(store->highs);
    memset(store, 0, sizeof *store);
}

/* --- varints: 7 bits a byte, low first, high bit = more follow --- */

static unsigned put_varint(uint8_t *out, uint32_t v)
{
    unsigned n = 0;

    while (v >= 0x80) {
        out[n++] = (uint8_t)(v | 0x80);
        v >>= 7;
    }
    out[n++] = (uint8_t)v;
    return n;
}

static const uint8_t *get_varint(const uint8_t *in, uint32_t *v)
{
    uint32_t value = 0;
    unsigned shift = 0;

    do {
        value |= (uint32_t)(*in & 0x7f) << shift;
        shift += 7;
    } while (*in++ & 0x80);
    *v = value;
    return in;
}

/* --- memberships --- */

/* Slots are filled from the first, so the pairs end at the last token;
 * a hole (never made by the engine) would be kept as token 0. */
static unsigned encode_members(const ntt_frame_t *result, uint8_t *out)
{
    unsigned used = 0, n = 0;

    for (unsigned i = 0; i < NTT_FRAME_EPISODES; i++) {
        if (result->tokens[i])
            used = i + 1;
    }
    for (unsigned i = 0; i < used; i++) {
        n += put_varint(out + n, result->tokens[i]);
        n += put_varint(out + n, result->counts[i]);
    }
    return n;
}

static void decode_members(const uint8_t *in, unsigned len, ntt_frame_t *out)
{
    const uint8_t *end = in + len;

    for (unsigned i = 0; in < end && i < NTT_FRAME_EPISODES; i++) {
        in = get_varint(in, &out->tokens[i]);
        in = get_varint(in, &out->counts[i]);
    }
}

static const ntt_frame_record_t *record_at(const ntt_frame_store_t *store,
                                           uint32_t frame)
{
    return &store->records[frame];
}

/* Where a frame's membership bytes start in the pool. */
static uint32_t members_offset(const ntt_frame_store_t *store, uint32_t frame)
{
    uint32_t block_first = frame - frame % FRAME_BLOCK;
    uint32_t offset = g_array_index(store->blocks, uint32_t, frame / FRAME_BLOCK);

    for (uint32_t f = block_first; f < frame; f++)
        offset += record_at(store, f)->member_bytes;
    return offset;
}

/* --- high parts of a flow's counters --- */

static void highs_of(const ntt_frame_t *result, ntt_flow_highs_t *h)
{
    for (unsigned d = 0; d < 2; d++) {
        h->pkts_hi[d] = (uint8_t)(result->flow.pkts[d] >> PKTS_LOW_BITS);
        h->bytes_hi[d] = (uint32_t)(result->flow.bytes[d] >> 32);
    }
}

static bool highs_equal(const ntt_flow_highs_t *a, const ntt_flow_highs_t *b)
{
    return a->pkts_hi[0] == b->pkts_hi[0] && a->pkts_hi[1] == b->pkts_hi[1] &&
           a->bytes_hi[0] == b->bytes_hi[0] && a->bytes_hi[1] == b->bytes_hi[1];
}

/* The high parts in force at frame: the flow's last change at or before
 * it (none: all zero). */
static void highs_at(const ntt_frame_store_t *store, uint32_t flow_id,
                     uint32_t frame, ntt_flow_highs_t *out)
{
    GArray *changes = store->highs
        ? g_hash_table_lookup(store->highs, GUINT_TO_POINTER(flow_id)) : NULL;
    guint lo = 0, hi = changes ? changes->len : 0;

    memset(out, 0, sizeof *out);
    /* The first change after frame: [lo, hi) narrows to it. */
    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;

        if (g_array_index(changes, ntt_flow_highs_t, mid).frame <= frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo > 0)
        *out = g_array_index(changes, ntt_flow_highs_t, lo - 1);
}

static void note_highs(ntt_frame_store_t *store, uint32_t frame,
                       const ntt_frame_t *result)
{
    ntt_flow_highs_t now, before;
    GArray *changes;

    highs_of(result, &now);
    now.frame = frame;
    highs_at(store, result->flow.flow_id, frame, &before);
    if (highs_equal(&now, &before))
        return;
    if (!store->highs)
        store->highs = g_hash_table_new_full(g_direct_hash, g_direct_equal,
                                             NULL, free_highs);
    changes = g_hash_table_lookup(store->highs,
                                  GUINT_TO_POINTER(result->flow.flow_id));
    if (!changes) {
        changes = g_array_new(FALSE, FALSE, sizeof(ntt_flow_highs_t));
        g_hash_table_insert(store->highs,
                            GUINT_TO_POINTER(result->flow.flow_id), changes);
        store->highs_bytes += HIGHS_FLOW_OVERHEAD;
    }
    g_array_append_val(changes, now);
    store->highs_bytes += sizeof now;
}

/* --- the gap since the flow's previous packet --- */

static int64_t iat_escaped(const ntt_frame_store_t *store, uint32_t frame)
{
    guint lo = 0, hi = store->iat_escapes->len;

    while (lo < hi) {
        guint mid = lo + (hi - lo) / 2;
        const ntt_iat_escape_t *e = &g_array_index(store->iat_escapes,
                                                   ntt_iat_escape_t, mid);

        if (e->frame == frame)
            return e->iat_ns;
        if (e->frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;   /* not reached: every escaped record has its entry */
}

static uint32_t encode_iat(ntt_frame_store_t *store, uint32_t frame,
                           int64_t iat_ns)
{
    ntt_iat_escape_t e = { iat_ns, frame };

    if (iat_ns >= 0 && iat_ns < IAT_ESCAPED)
        return (uint32_t)iat_ns;
    g_array_append_val(store->iat_escapes, e);
    return IAT_ESCAPED;
}

/* --- frames --- */

static void encode_flow(ntt_frame_store_t *store, uint32_t frame,
                        const ntt_frame_t *result, ntt_frame_record_t *rec)
{
    const ntt_flow_result_t *r = &result->flow;

    rec->flags |= REC_HAS_FLOW | (uint8_t)(r->state << REC_STATE_SHIFT);
    if (r->dir == NTT_DIR_RESP)
        rec->flags |= REC_RESP;
    if (r->new_flow)
        rec->flags |= REC_NEW_FLOW;
    rec->flow_id = r->flow_id;
    rec->iat_ns = encode_iat(store, frame, r->iat_ns);
    for (unsigned d = 0; d < 2; d++) {
        uint32_t low = r->pkts[d] & PKTS_LOW_MASK;

        rec->bytes_lo[d] = (uint32_t)r->bytes[d];
        rec->pkts_lo[d][0] = (uint8_t)low;
        rec->pkts_lo[d][1] = (uint8_t)(low >> 8);
        rec->pkts_lo[d][2] = (uint8_t)(low >> 16);
    }
    note_highs(store, frame, result);
}

/* Room for at least n records. */
static void grow_records(ntt_frame_store_t *store, uint32_t n)
{
    uint32_t cap = store->records_cap ? store->records_cap : 1024;

    while (cap < n)
        cap = cap > UINT32_MAX / 2 ? UINT32_MAX : 2 * cap;
    store->records = g_renew(ntt_frame_record_t, store->records, cap);
    store->records_cap = cap;
}

bool ntt_frame_store_put(ntt_frame_store_t *store, uint32_t frame,
                         const ntt_frame_t *result)
{
    uint8_t members[MEMBER_BYTES_MAX];
    ntt_frame_record_t *rec;
    unsigned member_bytes;

    if (frame == 0 || frame == UINT32_MAX || frame < store->records_len ||
        frame - store->records_len > MAX_FRAME_GAP)
        return false;
    if (frame >= store->records_cap)
        grow_records(store, frame + 1);
    /* Frames skipped on the way (never made by Wireshark) read as gaps. */
    if (frame > store->records_len)
        memset(&store->records[store->records_len], 0,
               (frame - store->records_len) * sizeof(ntt_frame_record_t));
    store->records_len = frame + 1;
    rec = &store->records[frame];
    *rec = (ntt_frame_record_t){ .flags = REC_STORED };
    if (result->has_flow)
        encode_flow(store, frame, result, rec);

    /* Blocks up to this frame's start where the pool ends now: every frame
     * before this one is stored, so their bytes are all in already. */
    while (store->blocks->len <= frame / FRAME_BLOCK)
        g_array_append_val(store->blocks, store->pool->len);
    member_bytes = encode_members(result, members);
    if (member_bytes)
        g_byte_array_append(store->pool, members, member_bytes);
    rec->member_bytes = (uint8_t)member_bytes;
    store->stored++;
    return true;
}

bool ntt_frame_store_get(const ntt_frame_store_t *store, uint32_t frame,
                         ntt_frame_t *out)
{
    const ntt_frame_record_t *rec;

    if (frame >= store->records_len)
        return false;
    rec = record_at(store, frame);
    if (!(rec->flags & REC_STORED))
        return false;

    memset(out, 0, sizeof *out);
    if (rec->flags & REC_HAS_FLOW) {
        ntt_flow_result_t *r = &out->flow;
        ntt_flow_highs_t highs;

        highs_at(store, rec->flow_id, frame, &highs);
        out->has_flow = true;
        r->flow_id = rec->flow_id;
        r->dir = (rec->flags & REC_RESP) ? NTT_DIR_RESP : NTT_DIR_ORIG;
        r->state = (uint8_t)(rec->flags >> REC_STATE_SHIFT);
        r->new_flow = (rec->flags & REC_NEW_FLOW) != 0;
        r->iat_ns = rec->iat_ns == IAT_ESCAPED ? iat_escaped(store, frame)
                                               : rec->iat_ns;
        for (unsigned d = 0; d < 2; d++) {
            r->pkts[d] = ((uint32_t)highs.pkts_hi[d] << PKTS_LOW_BITS) |
                         rec->pkts_lo[d][0] | (uint32_t)rec->pkts_lo[d][1] << 8 |
                         (uint32_t)rec->pkts_lo[d][2] << 16;
            r->bytes[d] = ((uint64_t)highs.bytes_hi[d] << 32) | rec->bytes_lo[d];
        }
    }
    if (rec->member_bytes)
        decode_members(store->pool->data + members_offset(store, frame),
                       rec->member_bytes, out);
    return true;
}

uint64_t ntt_frame_store_bytes(const ntt_frame_store_t *store)
{
    return (uint64_t)store->records_len * sizeof(ntt_frame_record_t) +
           (uint64_t)store->blocks->len * sizeof(uint32_t) +
           store->pool->len +
           (uint64_t)store->iat_escapes->len * sizeof(ntt_iat_escape_t) +
           store->highs_bytes;
}

