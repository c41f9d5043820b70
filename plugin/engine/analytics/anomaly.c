/* anomaly.c
 * The anomaly model in the engine (analytics/anomaly.h) and its file
 * format (ntt/anomaly.h, docs/analytics.md "Model file").
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analytics/anomaly.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ntt/flow.h"

/* Quantiles are read from at most this many flows, drawn at random. */
#define QUANTILE_FLOWS 4096u
/* Model files larger than this are refused unread. */
#define MODEL_MAX_BYTES (UINT64_C(64) << 20)

/* A TCP flow is what it was at its close: the packets after it (the last
 * ACK, a retransmitted FIN) are counted apart and left out of its
 * features, so that its score at the close is its score for good. */
typedef struct anomaly_flow {
    ntt_flow_iat_t iat;
    float          score;        /* NAN: not scored */
    float          closed_after; /* seconds from the first packet to the close */
    uint16_t       post_bytes[2];   /* after the close, by ntt_dir_t (saturating:
                                       ACKs and a resent FIN, not data) */
    uint16_t       post_pkts[2];    /* (saturating) */
    uint8_t        closed_state;    /* ntt_conn_state_t at the close */
    bool           closed;
} anomaly_flow_t;

/* Kept for every flow of the file: the bytes docs/analytics.md gives. */
G_STATIC_ASSERT(sizeof(anomaly_flow_t) == 28);

/* The records in blocks of a fixed size, so that growing by one flow
 * never doubles an array (the waste is at most one block). */
#define FLOW_BLOCK 4096u


struct ntt_anomaly {
    ntt_anomaly_config_t  config;
    const GArray         *summaries;
    GPtrArray            *blocks;    /* FLOW_BLOCK anomaly_flow_t each */
    uint32_t              flow_count; /* records in them, index = flow id */
    GArray               *watch;     /* ntt_anomaly_watch_t, or NULL */
    ntt_anomaly_model_t  *baseline;  /* loaded, or NULL */
    ntt_anomaly_model_t  *trained;   /* self-trained at finish */
    bool                  finished;
    uint64_t              finished_packets;
};

static anomaly_flow_t *flow_at(const ntt_anomaly_t *a, uint32_t id)
{
    return &((anomaly_flow_t *)g_ptr_array_index(a->blocks, id / FLOW_BLOCK))[id % FLOW_BLOCK];
}

void ntt_anomaly_config_init(ntt_anomaly_config_t *config)
{
    memset(config, 0, sizeof *config);
    config->trees = 100;
    config->sample = 256;
    /* Any fixed value: the year of the paper. */
    config->seed = 2008;
    config->threshold = 0;
}

ntt_anomaly_t *ntt_anomaly_new(const ntt_anomaly_config_t *config, const GArray *summaries)
{
    ntt_anomaly_t *a = g_new0(ntt_anomaly_t, 1);

    if (config)
        a->config = *config;
    else
        ntt_anomaly_config_init(&a->config);
    a->baseline = a->config.model;
    a->config.model = NULL;
    a->summaries = summaries;
    a->blocks = g_ptr_array_new_with_free_func(g_free);
    if (a->baseline && a->config.threshold > 0)
        a->watch = g_array_new(FALSE, TRUE, sizeof(ntt_anomaly_watch_t));
    return a;
}

void ntt_anomaly_free(ntt_anomaly_t *a)
{
    if (!a)
        return;
    g_ptr_array_free(a->blocks, TRUE);
    if (a->watch)
        g_array_free(a->watch, TRUE);
    ntt_anomaly_model_free(a->baseline);
    ntt_anomaly_model_free(a->trained);
    g_free(a);
}

/* Records up to flow_id, unscored. */
static void grow(ntt_anomaly_t *a, uint32_t flow_id)
{
    const anomaly_flow_t fresh = { { 0, 0 }, NAN, 0, { 0, 0 }, { 0, 0 }, 0, false };

    while (a->flow_count <= flow_id) {
        if (a->flow_count % FLOW_BLOCK == 0)
            g_ptr_array_add(a->blocks, g_new(anomaly_flow_t, FLOW_BLOCK));
        *flow_at(a, a->flow_count++) = fresh;
    }
    if (a->watch)
        g_array_set_size(a->watch, flow_id + 1);
}

void ntt_anomaly_packet(ntt_anomaly_t *a, uint32_t flow_id, const ntt_flow_summary_t *flow,
                        int64_t iat_ns, unsigned dir, uint32_t frame_len)
{
    anomaly_flow_t *f;

    if (flow_id >= a->flow_count)
        grow(a, flow_id);
    f = flow_at(a, flow_id);
    if (f->closed) {
        dir = dir ? 1 : 0;
        if (f->post_pkts[dir] < UINT16_MAX)
            f->post_pkts[dir]++;
        f->post_bytes[dir] = frame_len > (uint32_t)(UINT16_MAX - f->post_bytes[dir])
                                 ? UINT16_MAX : (uint16_t)(f->post_bytes[dir] + frame_len);
        return;
    }
    if ((uint64_t)flow->pkts[0] + flow->pkts[1] > 1)
        ntt_flow_iat_add(&f->iat, flow, iat_ns);
}

bool ntt_anomaly_watching(const ntt_anomaly_t *a)
{
    return a && a->watch != NULL;
}

ntt_anomaly_watch_t *ntt_anomaly_watch(ntt_anomaly_t *a, uint32_t flow_id)
{
    if (!a->watch || flow_id >= a->watch->len)
        return NULL;
    return &g_array_index(a->watch, ntt_anomaly_watch_t, flow_id);
}

void ntt_anomaly_close(ntt_anomaly_t *a, uint32_t flow_id)
{
    const ntt_flow_summary_t *s;
    anomaly_flow_t *f;

    if (flow_id >= a->flow_count || flow_id >= a->summaries->len)
        return;
    f = flow_at(a, flow_id);
    s = &g_array_index(a->summaries, ntt_flow_summary_t, flow_id);
    if (f->closed)
        return;
    f->closed = true;
    f->closed_after = (float)((double)(s->last_ns - s->first_ns) / 1e9);
    f->closed_state = s->state;
}

void ntt_anomaly_flow_vector(const ntt_anomaly_t *a, uint32_t id, float out[NTT_AF_COUNT])
{
    static const ntt_flow_iat_t none = { 0, 0 };
    ntt_flow_summary_t s = g_array_index(a->summaries, ntt_flow_summary_t, id);
    const anomaly_flow_t *f = id < a->flow_count ? flow_at(a, id)
                                                 : NULL;

    /* What the flow was at its close (see anomaly_flow_t). */
    if (f && f->closed) {
        for (int d = 0; d < 2; d++) {
            s.pkts[d] -= f->post_pkts[d] < s.pkts[d] ? f->post_pkts[d] : s.pkts[d];
            s.bytes[d] -= f->post_bytes[d] < s.bytes[d] ? f->post_bytes[d] : s.bytes[d];
        }
        s.last_ns = s.first_ns + (int64_t)((double)f->closed_after * 1e9);
        s.state = f->closed_state;
    }
    ntt_anomaly_features(&s, f ? &f->iat : &none, out);
}

static void training_row(void *ctx, size_t i, float *out)
{
    ntt_anomaly_flow_vector(ctx, (uint32_t)i, out);
}

static float score_flow(const ntt_anomaly_t *a, const ntt_anomaly_model_t *model, uint32_t id)
{
    float x[NTT_AF_COUNT];

    ntt_anomaly_flow_vector(a, id, x);
    return (float)ntt_iforest_score(model->forest, x);
}

bool ntt_anomaly_flow_ended(ntt_anomaly_t *a, uint32_t flow_id, double *score)
{
    ntt_anomaly_watch_t *w;
    float s;

    if (!a->baseline || flow_id >= a->flow_count || flow_id >= a->summaries->len)
        return false;
    s = score_flow(a, a->baseline, flow_id);
    flow_at(a, flow_id)->score = s;
    w = ntt_anomaly_watch(a, flow_id);
    if (!w || w->ended)
        return false;
    w->ended = true;
    *score = s;
    return s > a->config.threshold;
}

static int compare_floats(const void *pa, const void *pb)
{
    float x = *(const float *)pa, y = *(const float *)pb;

    return (x > y) - (x < y);
}

ntt_anomaly_model_t *ntt_anomaly_model_train(const ntt_anomaly_config_t *config, size_t n,
                                             ntt_iforest_row_fn row, void *ctx)
{
    ntt_anomaly_model_t *model;
    ntt_iforest_t *forest;
    unsigned m = n < QUANTILE_FLOWS ? (unsigned)n : QUANTILE_FLOWS;
    float *values, x[NTT_AF_COUNT];
    uint32_t *pick;
    ntt_rng_t rng;

    forest = ntt_iforest_train(NTT_AF_COUNT, config->trees, config->sample, config->seed,
                               n, row, ctx);
    if (!forest)
        return NULL;
    model = g_new0(ntt_anomaly_model_t, 1);
    model->forest = forest;
    model->seed = config->seed;
    model->flows = n;
    /* The quantiles' flows: all of them, or a sample drawn with a
     * generator of its own (the forest's draws stay the paper's). */
    pick = g_new(uint32_t, n < QUANTILE_FLOWS ? n : QUANTILE_FLOWS);
    if (n <= QUANTILE_FLOWS) {
        for (unsigned i = 0; i < m; i++)
            pick[i] = i;
    } else {
        /* Reservoir sampling (Algorithm R): one pass, m kept. */
        ntt_rng_seed(&rng, config->seed ^ UINT64_C(0x71756164696c6573));
        for (size_t i = 0; i < n; i++) {
            if (i < m) {
                pick[i] = (uint32_t)i;
            } else {
                uint32_t j = ntt_rng_below(&rng, (uint32_t)(i + 1));

                if (j < m)
                    pick[j] = (uint32_t)i;
            }
        }
    }
    values = g_new(float, (size_t)m * NTT_AF_COUNT);
    for (unsigned i = 0; i < m; i++) {
        row(ctx, pick[i], x);
        for (unsigned f = 0; f < NTT_AF_COUNT; f++)
            values[(size_t)f * m + i] = x[f];
    }
    for (unsigned f = 0; f < NTT_AF_COUNT; f++) {
        float *v = values + (size_t)f * m;

        qsort(v, m, sizeof *v, compare_floats);
        for (unsigned q = 0; q < NTT_ANOMALY_QUANTILES; q++)
            model->quantiles[f][q] = v[(size_t)((double)q * (m - 1) /
                                                (NTT_ANOMALY_QUANTILES - 1) + 0.5)];
    }
    g_free(values);
    g_free(pick);
    return model;
}

ntt_anomaly_model_t *ntt_anomaly_train(const ntt_anomaly_t *a)
{
    return ntt_anomaly_model_train(&a->config, a->summaries->len, training_row, (void *)a);
}

/* The flows of a flood are alike (one spoofed SYN each): vectors already
 * scored keep their score, in a small direct-mapped cache. A hit is an
 * exact match of the whole vector, so the scores are those computed. */
#define SCORE_CACHE 1024u

typedef struct score_cache {
    float x[NTT_AF_COUNT];
    float score;
    bool  used;
} score_cache_t;

static float cached_score(score_cache_t *cache, const ntt_anomaly_model_t *model,
                          const float *x)
{
    uint32_t h = 2166136261u;       /* FNV-1a over the vector's bytes */
    const unsigned char *b = (const unsigned char *)x;
    score_cache_t *slot;

    for (size_t i = 0; i < NTT_AF_COUNT * sizeof *x; i++)
        h = (h ^ b[i]) * 16777619u;
    slot = &cache[h % SCORE_CACHE];
    if (!slot->used || memcmp(slot->x, x, sizeof slot->x) != 0) {
        memcpy(slot->x, x, sizeof slot->x);
        slot->score = (float)ntt_iforest_score(model->forest, x);
        slot->used = true;
    }
    return slot->score;
}

void ntt_anomaly_finish(ntt_anomaly_t *a, uint64_t packets,
                        ntt_anomaly_raise_fn raise, void *ctx)
{
    const ntt_anomaly_model_t *model;
    uint32_t n = a->summaries->len;
    score_cache_t *cache;

    if (a->finished && a->finished_packets == packets)
        return;
    cache = g_new0(score_cache_t, SCORE_CACHE);
    a->finished = true;
    a->finished_packets = packets;
    if (!a->baseline) {
        ntt_anomaly_model_free(a->trained);
        a->trained = ntt_anomaly_train(a);
    }
    model = ntt_anomaly_model(a);
    if (n > 0 && a->flow_count < n)
        grow(a, n - 1);
    for (uint32_t id = 0; id < n; id++) {
        anomaly_flow_t *f = flow_at(a, id);
        ntt_anomaly_watch_t *w = ntt_anomaly_watch(a, id);
        float x[NTT_AF_COUNT];

        if (model) {
            ntt_anomaly_flow_vector(a, id, x);
            f->score = cached_score(cache, model, x);
        } else {
            f->score = NAN;
        }
        /* The end of the file ends the flows still open. */
        if (w && !w->ended && w->tracker.token) {
            w->ended = true;
            if (f->score > a->config.threshold && raise)
                raise(ctx, id, f->score);
        }
    }
    g_free(cache);
}

bool ntt_anomaly_score(const ntt_anomaly_t *a, uint32_t flow_id, double *score)
{
    float s;

    if (flow_id >= a->flow_count)
        return false;
    s = flow_at(a, flow_id)->score;
    if (isnan(s))
        return false;
    *score = s;
    return true;
}

const ntt_anomaly_model_t *ntt_anomaly_model(const ntt_anomaly_t *a)
{
    return a->baseline ? a->baseline : a->trained;
}

bool ntt_anomaly_is_baseline(const ntt_anomaly_t *a)
{
    return a->baseline != NULL;
}

uint64_t ntt_anomaly_bytes(const ntt_anomaly_t *a)
{
    uint64_t bytes = (uint64_t)a->blocks->len * FLOW_BLOCK * sizeof(anomaly_flow_t);

    if (a->watch)
        bytes += (uint64_t)a->watch->len * sizeof(ntt_anomaly_watch_t);
    return bytes;
}

/* ---- What stands out ---------------------------------------------------- */

static void format_factor(char *buf, size_t size, double factor)
{
    if (factor >= 10)
        snprintf(buf, size, "%.0f", factor);
    else
        snprintf(buf, size, "%.1f", factor);
}

static void describe(ntt_anomaly_reason_t *r, ntt_anomaly_feature_t f, float v, float med)
{
    const ntt_af_info_t *info = ntt_anomaly_feature_info(f);
    char a[32], b[32];

    r->feature = info->key;
    r->value = ntt_anomaly_feature_natural(f, v);
    r->median = ntt_anomaly_feature_natural(f, med);
    switch (info->kind) {
    case NTT_AF_AMOUNT:
        if (r->median > 0 && r->value >= r->median) {
            format_factor(a, sizeof a, r->value / r->median);
            snprintf(r->text, sizeof r->text, "%s %s\xc3\x97 the median", info->words, a);
        } else if (r->median > 0 && r->value > 0) {
            format_factor(a, sizeof a, r->median / r->value);
            snprintf(r->text, sizeof r->text, "%s 1/%s of the median", info->words, a);
        } else {
            snprintf(r->text, sizeof r->text, "%s %.4g (median %.4g)", info->words,
                     r->value, r->median);
        }
        break;
    case NTT_AF_LOG2_RATIO:
        format_factor(a, sizeof a, r->value);
        format_factor(b, sizeof b, r->median);
        snprintf(r->text, sizeof r->text, "%s %s\xc3\x97 (median %s\xc3\x97)", info->words, a, b);
        break;
    case NTT_AF_CLASS:
    default:
        snprintf(r->text, sizeof r->text, "%s %s (most flows: %s)", info->words,
                 ntt_anomaly_class_name(f, (int)v), ntt_anomaly_class_name(f, (int)med));
        break;
    }
}

unsigned ntt_anomaly_explain(const ntt_anomaly_model_t *model, const float *x,
                             ntt_anomaly_reason_t *out, unsigned max)
{
    double excess[NTT_AF_COUNT];
    unsigned n = 0;

    if (!model)
        return 0;
    for (unsigned f = 0; f < NTT_AF_COUNT; f++) {
        const float *q = model->quantiles[f];
        ntt_af_kind_t kind = ntt_anomaly_feature_info((ntt_anomaly_feature_t)f)->kind;
        /* Below these a difference is not worth a word: twice or half
         * an amount, a ratio twice as lopsided, another class. */
        double least = kind == NTT_AF_AMOUNT ? log(2.0) : kind == NTT_AF_LOG2_RATIO ? 1.0 : 0.5;
        double lo = q[1], hi = q[NTT_ANOMALY_QUANTILES - 2], med = q[NTT_ANOMALY_QUANTILES / 2];
        double spread = hi - lo > least ? hi - lo : least;

        excess[f] = 0;
        if (fabs(x[f] - med) < least)
            continue;
        if (x[f] > hi)
            excess[f] = (x[f] - hi) / spread + 1e-9;
        else if (x[f] < lo)
            excess[f] = (lo - x[f]) / spread + 1e-9;
    }
    while (n < max) {
        unsigned best = NTT_AF_COUNT;

        for (unsigned f = 0; f < NTT_AF_COUNT; f++) {
            if (excess[f] > 0 && (best == NTT_AF_COUNT || excess[f] > excess[best]))
                best = f;
        }
        if (best == NTT_AF_COUNT)
            break;
        describe(&out[n++], (ntt_anomaly_feature_t)best, x[best],
                 model->quantiles[best][NTT_ANOMALY_QUANTILES / 2]);
        excess[best] = 0;
    }
    return n;
}

unsigned ntt_anomaly_reasons(const ntt_anomaly_t *a, uint32_t flow_id,
                             ntt_anomaly_reason_t *out, unsigned max)
{
    float x[NTT_AF_COUNT];

    if (flow_id >= a->summaries->len)
        return 0;
    ntt_anomaly_flow_vector(a, flow_id, x);
    return ntt_anomaly_explain(ntt_anomaly_model(a), x, out, max);
}

/* ---- Model file ----------------------------------------------------------- */

unsigned ntt_anomaly_model_trees(const ntt_anomaly_model_t *model)
{
    return model->forest->trees;
}

unsigned ntt_anomaly_model_sample(const ntt_anomaly_model_t *model)
{
    return model->forest->sample;
}

uint64_t ntt_anomaly_model_flows(const ntt_anomaly_model_t *model)
{
    return model->flows;
}

uint64_t ntt_anomaly_model_seed(const ntt_anomaly_model_t *model)
{
    return model->seed;
}

void ntt_anomaly_model_free(ntt_anomaly_model_t *model)
{
    if (!model)
        return;
    ntt_iforest_free(model->forest);
    g_free(model);
}

void ntt_anomaly_model_write(const ntt_anomaly_model_t *model, GString *out)
{
    g_string_append_printf(out, "%s %d\n", NTT_ANOMALY_MODEL_MAGIC, NTT_ANOMALY_MODEL_VERSION);
    g_string_append_printf(out, "features %d", NTT_AF_COUNT);
    for (unsigned f = 0; f < NTT_AF_COUNT; f++)
        g_string_append_printf(out, " %s", ntt_anomaly_feature_info((ntt_anomaly_feature_t)f)->key);
    g_string_append_printf(out, "\ntrees %u\nsample %u\nseed %" G_GUINT64_FORMAT
                           "\nflows %" G_GUINT64_FORMAT "\n",
                           model->forest->trees, model->forest->sample, model->seed, model->flows);
    for (unsigned f = 0; f < NTT_AF_COUNT; f++) {
        g_string_append_printf(out, "quantiles %s",
                               ntt_anomaly_feature_info((ntt_anomaly_feature_t)f)->key);
        for (unsigned q = 0; q < NTT_ANOMALY_QUANTILES; q++)
            g_string_append_printf(out, " %.9g", (double)model->quantiles[f][q]);
        g_string_append_c(out, '\n');
    }
    ntt_iforest_write(model->forest, out);
    g_string_append(out, "end\n");
}

static ntt_anomaly_model_t *refuse(ntt_anomaly_model_t *model, char **lines, char **error,
                                   char *why)
{
    ntt_anomaly_model_free(model);
    g_strfreev(lines);
    if (error)
        *error = why;
    else
        g_free(why);
    return NULL;
}

/* "KEY NUMBER" on line *at, NUMBER in [lo, hi]. */
static bool keyed_uint(char **lines, unsigned at, const char *key, uint64_t lo, uint64_t hi,
                       uint64_t *out)
{
    size_t len = strlen(key);
    const char *text = lines[at];
    char *end;

    if (!text || strncmp(text, key, len) != 0 || text[len] != ' ' ||
        text[len + 1] < '0' || text[len + 1] > '9')
        return false;
    *out = g_ascii_strtoull(text + len + 1, &end, 10);
    return *end == '\0' && *out >= lo && *out <= hi;
}

ntt_anomaly_model_t *ntt_anomaly_model_parse(const char *text, size_t len, char **error)
{
    ntt_anomaly_model_t *model = NULL;
    char *copy, **lines;
    unsigned at = 0, count = 0;
    uint64_t trees, sample, seed, flows;
    GString *want;
    char *why = NULL;

    if (memchr(text, '\0', len))
        return refuse(NULL, NULL, error, g_strdup("not a text file (NUL bytes)"));
    /* One line at a time with memchr (linear, whatever the file's size);
     * comments and blank lines aside, CR-LF line ends read as LF. */
    {
        size_t n = 1;
        const char *p = text, *end = text + len, *nl;

        for (nl = memchr(p, '\n', len); nl; nl = memchr(nl + 1, '\n', (size_t)(end - nl - 1)))
            n++;
        lines = g_new0(char *, n + 1);
        while (p < end) {
            nl = memchr(p, '\n', (size_t)(end - p));
            copy = g_strndup(p, (size_t)((nl ? nl : end) - p));
            g_strchomp(copy);
            if (*copy && *copy != '#')
                lines[count++] = copy;
            else
                g_free(copy);
            p = nl ? nl + 1 : end;
        }
    }

    if (!lines[0] || strncmp(lines[0], NTT_ANOMALY_MODEL_MAGIC " ", sizeof NTT_ANOMALY_MODEL_MAGIC) != 0)
        return refuse(NULL, lines, error,
                      g_strdup("not an ntt anomaly model (its first line must be \""
                               NTT_ANOMALY_MODEL_MAGIC " VERSION\")"));
    if (strcmp(lines[0] + sizeof NTT_ANOMALY_MODEL_MAGIC, "1") != 0)
        return refuse(NULL, lines, error,
                      g_strdup_printf("model version %.20s; this ntt reads version %d "
                                      "(write the model again with -z ntt,model)",
                                      lines[0] + sizeof NTT_ANOMALY_MODEL_MAGIC,
                                      NTT_ANOMALY_MODEL_VERSION));
    want = g_string_new(NULL);
    g_string_printf(want, "features %d", NTT_AF_COUNT);
    for (unsigned f = 0; f < NTT_AF_COUNT; f++)
        g_string_append_printf(want, " %s", ntt_anomaly_feature_info((ntt_anomaly_feature_t)f)->key);
    if (g_strcmp0(lines[1], want->str) != 0) {
        why = g_strdup_printf("line 2: the model's features are not the ones this ntt computes "
                              "(\"%s\")", want->str);
        g_string_free(want, TRUE);
        return refuse(NULL, lines, error, why);
    }
    g_string_free(want, TRUE);
    at = 2;
    if (!keyed_uint(lines, at++, "trees", 1, NTT_IFOREST_MAX_TREES, &trees) ||
        !keyed_uint(lines, at++, "sample", 2, NTT_IFOREST_MAX_SAMPLE, &sample) ||
        !keyed_uint(lines, at++, "seed", 0, UINT64_MAX, &seed) ||
        !keyed_uint(lines, at++, "flows", sample, UINT64_MAX, &flows))
        return refuse(NULL, lines, error,
                      g_strdup_printf("line %u: expected trees (1-%u), sample (2-%u), seed, "
                                      "flows (at least sample), one a line", at,
                                      NTT_IFOREST_MAX_TREES, NTT_IFOREST_MAX_SAMPLE));
    model = g_new0(ntt_anomaly_model_t, 1);
    model->seed = seed;
    model->flows = flows;
    for (unsigned f = 0; f < NTT_AF_COUNT; f++, at++) {
        const char *key = ntt_anomaly_feature_info((ntt_anomaly_feature_t)f)->key;
        char **words = lines[at] ? g_strsplit(lines[at], " ", 0) : NULL;
        bool ok = words && g_strcmp0(words[0], "quantiles") == 0 &&
                  g_strcmp0(words[1], key) == 0 &&
                  g_strv_length(words) == NTT_ANOMALY_QUANTILES + 2;

        for (unsigned q = 0; ok && q < NTT_ANOMALY_QUANTILES; q++) {
            char *end;
            double v = g_ascii_strtod(words[q + 2], &end);

            ok = *end == '\0' && isfinite(v) && fabs(v) <= 3.0e38 &&
                 (q == 0 || (float)v >= model->quantiles[f][q - 1]);
            model->quantiles[f][q] = (float)v;
        }
        g_strfreev(words);
        if (!ok)
            return refuse(model, lines, error,
                          g_strdup_printf("line %u: expected \"quantiles %s\" and %d finite "
                                          "numbers in rising order", at + 1, key,
                                          NTT_ANOMALY_QUANTILES));
    }
    model->forest = ntt_iforest_read(lines, &at, NTT_AF_COUNT, (unsigned)trees,
                                     (unsigned)sample, &why);
    if (!model->forest)
        return refuse(model, lines, error, why);
    if (g_strcmp0(lines[at], "end") != 0 || lines[at + 1])
        return refuse(model, lines, error,
                      g_strdup_printf(lines[at] ? "line %u: expected \"end\" after the last tree"
                                                : "truncated: no \"end\" line after %u lines",
                                      lines[at] ? at + 1 : at));
    g_strfreev(lines);
    return model;
}

ntt_anomaly_model_t *ntt_anomaly_model_load(const char *path, char **error)
{
    ntt_anomaly_model_t *model;
    GError *gerror = NULL;
    GMappedFile *file;

    file = g_mapped_file_new(path, FALSE, &gerror);
    if (!file) {
        if (error)
            *error = g_strdup(gerror->message);
        g_error_free(gerror);
        return NULL;
    }
    if ((uint64_t)g_mapped_file_get_length(file) > MODEL_MAX_BYTES) {
        if (error)
            *error = g_strdup("larger than 64 MiB: not a model ntt writes");
        g_mapped_file_unref(file);
        return NULL;
    }
    model = ntt_anomaly_model_parse(g_mapped_file_get_contents(file) ? g_mapped_file_get_contents(file) : "",
                                    g_mapped_file_get_length(file), error);
    g_mapped_file_unref(file);
    return model;
}
