/* lru-list.h
 * An intrusive recency list: entries embed an ntt_lru_node_t and are kept
 * from least to most recently seen. Touching, unlinking and finding the
 * oldest are O(1), so idle entries expire, and under pressure the stalest
 * go, from the old end at a constant cost per packet. The live flow table
 * and the tracker tables keep their entries this way.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_LRU_LIST_H
#define NTT_LRU_LIST_H

#include <stddef.h>

typedef struct ntt_lru_node ntt_lru_node_t;

struct ntt_lru_node {
    ntt_lru_node_t *older;
    ntt_lru_node_t *newer;
};

typedef struct ntt_lru_list {
    ntt_lru_node_t *oldest;
    ntt_lru_node_t *newest;
} ntt_lru_list_t;

/* The entry of type that holds node as its member. */
#define NTT_LRU_ENTRY(node, type, member) \
    ((type *)(void *)((char *)(node) - offsetof(type, member)))

static inline void ntt_lru_init(ntt_lru_list_t *list)
{
    list->oldest = list->newest = NULL;
}

/* Adds a node that is in no list as the most recently seen. */
static inline void ntt_lru_push_newest(ntt_lru_list_t *list, ntt_lru_node_t *node)
{
    node->older = list->newest;
    node->newer = NULL;
    if (list->newest)
        list->newest->newer = node;
    else
        list->oldest = node;
    list->newest = node;
}

static inline void ntt_lru_unlink(ntt_lru_list_t *list, ntt_lru_node_t *node)
{
    if (node->older)
        node->older->newer = node->newer;
    else
        list->oldest = node->newer;
    if (node->newer)
        node->newer->older = node->older;
    else
        list->newest = node->older;
    node->older = node->newer = NULL;
}

/* Marks a listed node as just seen. */
static inline void ntt_lru_touch(ntt_lru_list_t *list, ntt_lru_node_t *node)
{
    if (list->newest != node) {
        ntt_lru_unlink(list, node);
        ntt_lru_push_newest(list, node);
    }
}

/* The least recently seen node, or NULL when the list is empty. */
static inline ntt_lru_node_t *ntt_lru_oldest(const ntt_lru_list_t *list)
{
    return list->oldest;
}

static inline ntt_lru_node_t *ntt_lru_newest(const ntt_lru_list_t *list)
{
    return list->newest;
}

#endif /* NTT_LRU_LIST_H */
