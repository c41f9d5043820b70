/* iforest.h
 * Isolation Forest (Liu, Ting & Zhou, "Isolation Forest", ICDM 2008): an
 * ensemble of random binary trees, each grown on a small random subsample
 * until every point is alone or a height limit is reached. Outliers are
 * few and different, so random cuts isolate them near the root: the
 * shorter a point's mean path, the more anomalous it is.
 *
 * Pure C, seeded (its own generator, no global state), so one data set
 * and one seed give the same forest and the same scores everywhere.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_IFOREST_H
#define NTT_IFOREST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>

/* The largest forest a model file may describe: far above the defaults
 * (100 trees of 256), small enough that a hostile file cannot make ntt
 * allocate without bound. */
#define NTT_IFOREST_MAX_TREES  10000u
#define NTT_IFOREST_MAX_SAMPLE 65536u
#define NTT_IFOREST_MAX_DIMS   64u

/* One node, in the tree's pre-order: an internal node's left child is the
 * next node, its right child is at `right` (from the tree's first node);
 * a leaf (feature < 0) keeps how many sample points reached it. */
typedef struct ntt_itree_node {
    float    split;     /* internal: x[feature] < split goes left */
    int32_t  feature;   /* -1: leaf */
    uint32_t value;     /* internal: right child; leaf: points */
} ntt_itree_node_t;

typedef struct ntt_iforest {
    unsigned  dims;
    unsigned  trees;
    unsigned  sample;     /* ψ actually used: min(asked, points) */
    GArray   *nodes;      /* ntt_itree_node_t, every tree in turn */
    GArray   *starts;     /* uint32_t: tree i's first node; trees + 1 */
    double   *c_leaf;     /* c(n) for n = 0 .. sample: a leaf's share of a
                             path, looked up rather than computed per tree */
} ntt_iforest_t;

/* The average path length of an unsuccessful search in a binary search
 * tree of n points: c(n) = 2 H(n-1) - 2 (n-1)/n, H(i) = ln(i) + γ
 * (Euler's constant); c(2) = 1, c(n <= 1) = 0. It normalises path
 * lengths and stands for the subtree a leaf cut short. */
double ntt_iforest_c(double n);

/* The generator: splitmix64 (Steele, Lea & Flood 2014), one 64-bit word
 * of state. */
typedef struct ntt_rng {
    uint64_t state;
} ntt_rng_t;

void ntt_rng_seed(ntt_rng_t *rng, uint64_t seed);
uint64_t ntt_rng_next(ntt_rng_t *rng);
double ntt_rng_uniform(ntt_rng_t *rng);           /* [0, 1) */
uint32_t ntt_rng_below(ntt_rng_t *rng, uint32_t n); /* [0, n), n > 0 */

/* Where the training points come from: point i's dims features into out.
 * Asked only for the points the subsamples draw. */
typedef void (*ntt_iforest_row_fn)(void *ctx, size_t i, float *out);

/* Grows trees of at most `sample` points each (ψ) over points 0 .. n-1.
 * NULL when n < 2 or a size is out of bounds. */
ntt_iforest_t *ntt_iforest_train(unsigned dims, unsigned trees, unsigned sample,
                                 uint64_t seed, size_t n,
                                 ntt_iforest_row_fn row, void *ctx);

void ntt_iforest_free(ntt_iforest_t *forest);

/* Path length of x in tree t: the edges to its leaf plus c(leaf points). */
double ntt_iforest_path(const ntt_iforest_t *forest, unsigned t, const float *x);

/* s(x) = 2^(-E[h(x)] / c(ψ)), in (0, 1]: near 1 anomalous, at most about
 * 0.5 ordinary. */
double ntt_iforest_score(const ntt_iforest_t *forest, const float *x);

/* The forest as model-file lines ("tree N", then one line a node), and
 * back. The reader checks every number (node counts, features, children,
 * finite splits) and says in *error what it refused. */
void ntt_iforest_write(const ntt_iforest_t *forest, GString *out);

/* A forest of `trees` trees of `dims` features grown on `sample` points,
 * read from lines[*at ...]; *at is left after the last line read. */
ntt_iforest_t *ntt_iforest_read(char **lines, unsigned *at, unsigned dims,
                                unsigned trees, unsigned sample, char **error);

#endif /* NTT_IFOREST_H */
