/* record-pool.c
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "util/record-pool.h"

#include <stdlib.h>

#include <glib.h>

/* A slab: this header, then its records. 16 KiB holds a hundred flows or
 * trackers; with a dozen pools an idle engine holds a few slabs, and a
 * flood asks malloc for a slab per hundred records instead of each. */
#define SLAB_BYTES (16 * 1024)

/* Slabs and their first record start on a cache line. Records are looked
 * up at random, so each line one spans is a likely miss: a 64-byte record
 * (an entropy pair) placed 16 bytes into a line spanned two, and a 96-byte
 * one two or three. On a line they take one, and two, and a 128-byte one
 * (an entropy address now) two. With the entropy address's layout
 * (analytics/entropy-window.h), ntt.so's own second-level cache misses
 * on the attack mix fell 4 % (bench/instructions.sh, NTT_BENCH_CACHE=l2;
 * bench/README.md). */
#define LINE 64

struct ntt_record_slab {
    ntt_record_slab_t *older;
    /* records follow, LINE-aligned */
};

#define SLAB_HEADER ((sizeof(ntt_record_slab_t) + LINE - 1) & ~(size_t)(LINE - 1))

void ntt_record_pool_init(ntt_record_pool_t *pool, size_t size)
{
    memset(pool, 0, sizeof *pool);
    if (size < sizeof(void *))
        size = sizeof(void *);
    pool->size = (size + 15) & ~(size_t)15;
}

void ntt_record_pool_clear(ntt_record_pool_t *pool)
{
    ntt_record_slab_t *slab = pool->slabs;

    while (slab) {
        ntt_record_slab_t *older = slab->older;

        free(slab);
        slab = older;
    }
    pool->slabs = NULL;
    pool->free_list = NULL;
    pool->next = pool->end = NULL;
#ifdef NTT_RECORD_POOL_PLAIN
    if (pool->out)
        g_hash_table_destroy(pool->out);
    pool->out = NULL;
#endif
}

void *ntt_record_pool_alloc_slow(ntt_record_pool_t *pool)
{
    size_t records = (SLAB_BYTES - SLAB_HEADER) / pool->size;
    size_t bytes;
    ntt_record_slab_t *slab;
    char *first;

    if (records < 8)
        records = 8;
    bytes = SLAB_HEADER + records * pool->size;
    /* aligned_alloc wants a whole number of alignments. */
    slab = aligned_alloc(LINE, (bytes + LINE - 1) & ~(size_t)(LINE - 1));
    if (!slab)
        g_error("%s: failed to allocate %zu bytes", G_STRLOC, bytes);
    slab->older = pool->slabs;
    pool->slabs = slab;
    first = (char *)slab + SLAB_HEADER;
    pool->next = first + pool->size;
    pool->end = first + records * pool->size;
    return first;
}
