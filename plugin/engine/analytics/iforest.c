/* iforest.c
 * See iforest.h. Training follows the paper's iTree: a random feature, a
 * random cut between that feature's minimum and maximum in the node, to
 * a height limit of ceil(log2 ψ). As in scikit-learn, a feature constant
 * in the node is passed over for another one, and a node where every
 * feature is constant is a leaf.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analytics/iforest.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EULER_GAMMA 0.5772156649015329

double ntt_iforest_c(double n)
{
    if (n <= 1.0)
        return 0.0;
    if (n <= 2.0)
        return 1.0;
    return 2.0 * (log(n - 1.0) + EULER_GAMMA) - 2.0 * (n - 1.0) / n;
}

void ntt_rng_seed(ntt_rng_t *rng, uint64_t seed)
{
    rng->state = seed;
}

uint64_t ntt_rng_next(ntt_rng_t *rng)
{
    uint64_t z = (rng->state += UINT64_C(0x9E3779B97F4A7C15));

    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

double ntt_rng_uniform(ntt_rng_t *rng)
{
    /* The top 53 bits: every double in [0, 1) on a 2^-53 grid. */
    return (double)(ntt_rng_next(rng) >> 11) * (1.0 / 9007199254740992.0);
}

uint32_t ntt_rng_below(ntt_rng_t *rng, uint32_t n)
{
    /* Lemire's multiply-shift on 32 bits: no division, bias below 2^-32. */
    return (uint32_t)(((ntt_rng_next(rng) >> 32) * (uint64_t)n) >> 32);
}

typedef struct builder {
    ntt_iforest_t *forest;
    ntt_rng_t      rng;
    const float   *rows;      /* the tree's sample, dims floats a point */
    unsigned       limit;     /* height limit */
    unsigned      *order;     /* features, shuffled per node */
} builder_t;

static uint32_t add_node(builder_t *b, float split, int32_t feature, uint32_t value)
{
    ntt_itree_node_t node = { split, feature, value };

    g_array_append_val(b->forest->nodes, node);
    return b->forest->nodes->len - 1;
}

/* Grows the subtree of points idx[0 .. n-1] at this depth; root is the
 * tree's first node, for the right-child offsets. */
static void grow(builder_t *b, uint32_t *idx, unsigned n, unsigned depth, uint32_t root)
{
    unsigned dims = b->forest->dims;
    float lo = 0, hi = 0;
    int feature = -1;
    uint32_t at;
    unsigned left = 0;
    float split;

    if (depth < b->limit && n > 1) {
        for (unsigned k = 0; k < dims; k++)
            b->order[k] = k;
        for (unsigned k = 0; k < dims && feature < 0; k++) {
            unsigned j = k + ntt_rng_below(&b->rng, dims - k), f, tmp;

            tmp = b->order[k];
            b->order[k] = b->order[j];
            b->order[j] = tmp;
            f = b->order[k];
            lo = hi = b->rows[(size_t)idx[0] * dims + f];
            for (unsigned i = 1; i < n; i++) {
                float v = b->rows[(size_t)idx[i] * dims + f];

                lo = v < lo ? v : lo;
                hi = v > hi ? v : hi;
            }
            if (hi > lo)
                feature = (int)f;
        }
    }
    if (feature < 0) {
        add_node(b, 0, -1, n);
        return;
    }
    split = (float)(lo + ntt_rng_uniform(&b->rng) * ((double)hi - lo));
    /* Rounded to float the cut may land on the minimum: then nothing
     * would go left. The next float up keeps both sides non-empty. */
    if (split <= lo)
        split = nextafterf(lo, hi);
    for (unsigned i = 0; i < n; i++) {
        if (b->rows[(size_t)idx[i] * dims + (unsigned)feature] < split) {
            uint32_t tmp = idx[left];

            idx[left++] = idx[i];
            idx[i] = tmp;
        }
    }
    at = add_node(b, split, feature, 0);
    grow(b, idx, left, depth + 1, root);
    g_array_index(b->forest->nodes, ntt_itree_node_t, at).value = b->forest->nodes->len - root;
    grow(b, idx + left, n - left, depth + 1, root);
}

static unsigned height_limit(unsigned sample)
{
    unsigned limit = 0;

    while ((1u << limit) < sample)
        limit++;
    return limit;
}

static ntt_iforest_t *forest_new(unsigned dims, unsigned trees, unsigned sample)
{
    ntt_iforest_t *forest = g_new0(ntt_iforest_t, 1);

    forest->dims = dims;
    forest->trees = trees;
    forest->sample = sample;
    forest->nodes = g_array_new(FALSE, FALSE, sizeof(ntt_itree_node_t));
    forest->starts = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    forest->c_leaf = g_new(double, sample + 1);
    for (unsigned n = 0; n <= sample; n++)
        forest->c_leaf[n] = ntt_iforest_c(n);
    return forest;
}

ntt_iforest_t *ntt_iforest_train(unsigned dims, unsigned trees, unsigned sample,
                                 uint64_t seed, size_t n,
                                 ntt_iforest_row_fn row, void *ctx)
{
    ntt_iforest_t *forest;
    builder_t b;
    uint32_t *perm, *idx;
    float *rows;
    uint32_t start;

    if (n < 2 || n > UINT32_MAX || dims == 0 || dims > NTT_IFOREST_MAX_DIMS ||
        trees == 0 || trees > NTT_IFOREST_MAX_TREES || sample < 2 ||
        sample > NTT_IFOREST_MAX_SAMPLE)
        return NULL;
    if (sample > n)
        sample = (unsigned)n;
    forest = forest_new(dims, trees, sample);
    memset(&b, 0, sizeof b);
    b.forest = forest;
    b.limit = height_limit(sample);
    b.order = g_new(unsigned, dims);
    ntt_rng_seed(&b.rng, seed);
    /* Subsamples without replacement: a partial Fisher-Yates shuffle of a
     * permutation kept from tree to tree (any order it is left in, the
     * first ψ after the shuffle are a uniform sample). */
    perm = g_new(uint32_t, n);
    for (size_t i = 0; i < n; i++)
        perm[i] = (uint32_t)i;
    rows = g_new(float, (size_t)sample * dims);
    idx = g_new(uint32_t, sample);
    for (unsigned t = 0; t < trees; t++) {
        for (unsigned k = 0; k < sample; k++) {
            uint32_t j = k + ntt_rng_below(&b.rng, (uint32_t)(n - k));
            uint32_t tmp = perm[k];

            perm[k] = perm[j];
            perm[j] = tmp;
            row(ctx, perm[k], rows + (size_t)k * dims);
            idx[k] = k;
        }
        b.rows = rows;
        start = forest->nodes->len;
        g_array_append_val(forest->starts, start);
        grow(&b, idx, sample, 0, start);
    }
    start = forest->nodes->len;
    g_array_append_val(forest->starts, start);
    g_free(perm);
    g_free(rows);
    g_free(idx);
    g_free(b.order);
    return forest;
}

void ntt_iforest_free(ntt_iforest_t *forest)
{
    if (!forest)
        return;
    g_array_free(forest->nodes, TRUE);
    g_array_free(forest->starts, TRUE);
    g_free(forest->c_leaf);
    g_free(forest);
}

double ntt_iforest_path(const ntt_iforest_t *forest, unsigned t, const float *x)
{
    const ntt_itree_node_t *tree = &g_array_index(forest->nodes, ntt_itree_node_t,
                                                  g_array_index(forest->starts, uint32_t, t));
    uint32_t i = 0;
    unsigned depth = 0;

    while (tree[i].feature >= 0) {
        i = x[tree[i].feature] < tree[i].split ? i + 1 : tree[i].value;
        depth++;
    }
    return depth + forest->c_leaf[tree[i].value];
}

/* One step of a walk down tree from node *at, without a branch: a leaf
 * stays where it is (and compares x[0], whose answer is dropped), an
 * internal node moves to a child and counts an edge. */
static inline void walk_step(const ntt_itree_node_t *tree, uint32_t *at, uint32_t *edges,
                             const float *x)
{
    const ntt_itree_node_t *n = &tree[*at];
    uint32_t internal = n->feature >= 0;
    uint32_t stay = internal - 1;                      /* all ones at a leaf */
    uint32_t feature = (uint32_t)n->feature & ~stay;
    uint32_t right = 0u - (uint32_t)!(x[feature] < n->split);
    uint32_t next = ((*at + 1) & ~right) | (n->value & right);

    *at = (next & ~stay) | (*at & stay);
    *edges += internal;
}

/* Four trees walked side by side. One walk at a time waits at every node
 * on the node's load and on a comparison no branch predictor can guess.
 * Walks of different trees do not depend on each other, so four go
 * together, each step without a branch. A path has at most the height
 * limit's internal nodes (training stops there, ntt_iforest_read refuses
 * deeper trees), so that many steps finish every walk. The path lengths
 * are the same and are added in the same tree order: the same score to
 * the last bit, in under half the time (a report scores every flow of the
 * capture). Written out lane by lane: kept in arrays, GCC 12 left them in
 * memory and brought the branch back. */
double ntt_iforest_score(const ntt_iforest_t *forest, const float *x)
{
    const ntt_itree_node_t *nodes = (const ntt_itree_node_t *)(const void *)forest->nodes->data;
    const uint32_t *starts = (const uint32_t *)(const void *)forest->starts->data;
    const double *c_leaf = forest->c_leaf;
    unsigned steps = height_limit(forest->sample), t = 0;
    double sum = 0;

    for (; t + 4 <= forest->trees; t += 4) {
        const ntt_itree_node_t *t0 = nodes + starts[t], *t1 = nodes + starts[t + 1];
        const ntt_itree_node_t *t2 = nodes + starts[t + 2], *t3 = nodes + starts[t + 3];
        uint32_t a0 = 0, a1 = 0, a2 = 0, a3 = 0, e0 = 0, e1 = 0, e2 = 0, e3 = 0;

        for (unsigned s = 0; s < steps; s++) {
            walk_step(t0, &a0, &e0, x);
            walk_step(t1, &a1, &e1, x);
            walk_step(t2, &a2, &e2, x);
            walk_step(t3, &a3, &e3, x);
        }
        sum += e0 + c_leaf[t0[a0].value];
        sum += e1 + c_leaf[t1[a1].value];
        sum += e2 + c_leaf[t2[a2].value];
        sum += e3 + c_leaf[t3[a3].value];
    }
    for (; t < forest->trees; t++)
        sum += ntt_iforest_path(forest, t, x);
    return pow(2.0, -(sum / forest->trees) / c_leaf[forest->sample]);
}

void ntt_iforest_write(const ntt_iforest_t *forest, GString *out)
{
    for (unsigned t = 0; t < forest->trees; t++) {
        uint32_t first = g_array_index(forest->starts, uint32_t, t);
        uint32_t end = g_array_index(forest->starts, uint32_t, t + 1);

        g_string_append_printf(out, "tree %u\n", end - first);
        for (uint32_t i = first; i < end; i++) {
            const ntt_itree_node_t *n = &g_array_index(forest->nodes, ntt_itree_node_t, i);

            /* %.9g: nine significant digits give back the same float. */
            if (n->feature < 0)
                g_string_append_printf(out, "l %u\n", n->value);
            else
                g_string_append_printf(out, "s %d %.9g %u\n", n->feature,
                                       (double)n->split, n->value);
        }
    }
}

static bool parse_uint(const char *text, unsigned long max, unsigned long *out)
{
    char *end;

    if (*text < '0' || *text > '9')
        return false;
    errno = 0;
    *out = strtoul(text, &end, 10);
    return errno == 0 && *end == '\0' && *out <= max;
}

/* The subtree at node i is well formed (pre-order, within the tree, no
 * deeper than the height limit); returns the index after it, 0 if not.
 * *points adds up its leaves. */
static uint32_t check_subtree(const ntt_itree_node_t *tree, uint32_t count, uint32_t i,
                              unsigned depth, unsigned limit, uint64_t *points)
{
    uint32_t left_end;

    if (i >= count || depth > limit)
        return 0;
    if (tree[i].feature < 0) {
        *points += tree[i].value;
        return i + 1;
    }
    left_end = check_subtree(tree, count, i + 1, depth + 1, limit, points);
    if (left_end == 0 || tree[i].value != left_end)
        return 0;
    return check_subtree(tree, count, left_end, depth + 1, limit, points);
}

static ntt_iforest_t *refuse(ntt_iforest_t *forest, char **error, char *why)
{
    ntt_iforest_free(forest);
    if (error)
        *error = why;
    else
        g_free(why);
    return NULL;
}

ntt_iforest_t *ntt_iforest_read(char **lines, unsigned *at, unsigned dims,
                                unsigned trees, unsigned sample, char **error)
{
    ntt_iforest_t *forest;
    unsigned limit = height_limit(sample);

    if (dims == 0 || dims > NTT_IFOREST_MAX_DIMS || trees == 0 ||
        trees > NTT_IFOREST_MAX_TREES || sample < 2 || sample > NTT_IFOREST_MAX_SAMPLE)
        return refuse(NULL, error, g_strdup("forest size out of bounds"));
    forest = forest_new(dims, trees, sample);
    for (unsigned t = 0; t < trees; t++) {
        uint32_t first = forest->nodes->len, count;
        unsigned long value;
        uint64_t points = 0;

        if (!lines[*at] || strncmp(lines[*at], "tree ", 5) != 0 ||
            !parse_uint(lines[*at] + 5, 2ul * sample - 1, &value) || value == 0)
            return refuse(forest, error,
                          g_strdup_printf("line %u: expected \"tree NODES\" (tree %u of %u, "
                                          "at most %u nodes)", *at + 1, t + 1, trees,
                                          2 * sample - 1));
        count = (uint32_t)value;
        (*at)++;
        g_array_append_val(forest->starts, first);
        for (uint32_t i = 0; i < count; i++, (*at)++) {
            const char *line = lines[*at];
            ntt_itree_node_t node = { 0, -1, 0 };
            char **words;
            bool ok;

            if (!line)
                return refuse(forest, error,
                              g_strdup_printf("truncated: tree %u ends after %u of %u nodes",
                                              t + 1, i, count));
            words = g_strsplit(line, " ", 0);
            if (g_strcmp0(words[0], "l") == 0) {
                ok = words[1] && !words[2] && parse_uint(words[1], sample, &value) && value > 0;
                node.value = (uint32_t)value;
            } else if (g_strcmp0(words[0], "s") == 0 && words[1] && words[2] && words[3] &&
                       !words[4]) {
                char *end;
                double split;

                errno = 0;
                split = strtod(words[2], &end);
                ok = parse_uint(words[1], dims - 1, &value) && *end == '\0' && errno == 0 &&
                     isfinite(split) && fabs(split) <= 3.0e38;
                node.feature = (int32_t)value;
                node.split = (float)split;
                ok = ok && parse_uint(words[3], count - 1, &value);
                node.value = (uint32_t)value;
            } else {
                ok = false;
            }
            g_strfreev(words);
            if (!ok)
                return refuse(forest, error,
                              g_strdup_printf("line %u: not a node (\"s FEATURE SPLIT RIGHT\" "
                                              "or \"l POINTS\", finite and in range): %.60s",
                                              *at + 1, line));
            g_array_append_val(forest->nodes, node);
        }
        if (check_subtree(&g_array_index(forest->nodes, ntt_itree_node_t, first), count, 0, 0,
                          limit, &points) != count || points != sample)
            return refuse(forest, error,
                          g_strdup_printf("tree %u is not a well-formed tree of %u points",
                                          t + 1, sample));
    }
    {
        uint32_t end = forest->nodes->len;

        g_array_append_val(forest->starts, end);
    }
    return forest;
}
