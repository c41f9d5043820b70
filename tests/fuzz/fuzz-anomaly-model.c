/* fuzz-anomaly-model.c
 * Fuzz target for the anomaly model file reader. Random bytes rarely get
 * past a model's first line, so the input edits a valid model instead:
 * each three bytes pick a place in the text, an edit (overwrite, insert,
 * delete, cut the rest) and a byte, drawn from the characters a model is
 * made of. Whatever comes out must be refused with a message or read
 * into a model that scores in (0, 1] and is written back as text that
 * reads again to the same text. Built for libFuzzer with clang or driven
 * by fuzz-driver.c under the sanitizers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "analytics/anomaly.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void row(void *ctx, size_t i, float *out)
{
    (void)ctx;
    for (unsigned f = 0; f < NTT_AF_COUNT; f++)
        out[f] = (float)((i * 7 + f * 13) % 11);
}

static const char *valid_model(void)
{
    static GString *text;

    if (!text) {
        ntt_anomaly_config_t config;
        ntt_anomaly_model_t *model;

        ntt_anomaly_config_init(&config);
        config.trees = 3;
        config.sample = 8;
        model = ntt_anomaly_model_train(&config, 20, row, NULL);
        text = g_string_new(NULL);
        ntt_anomaly_model_write(model, text);
        ntt_anomaly_model_free(model);
    }
    return text->str;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char alphabet[] = "0123456789 .-+eE\nslnaif#tr\r";
    GString *text = g_string_new(valid_model());
    ntt_anomaly_model_t *model;
    char *error = NULL;

    for (size_t i = 0; i + 2 < size && text->len > 0; i += 3) {
        size_t at = ((size_t)data[i] << 8 | data[i + 1]) % text->len;
        char c = alphabet[data[i + 2] % (sizeof alphabet - 1)];

        switch (data[i + 2] >> 6) {
        case 0: text->str[at] = c; break;
        case 1: g_string_insert_c(text, (gssize)at, c); break;
        case 2: g_string_erase(text, (gssize)at, 1); break;
        default: g_string_truncate(text, at); break;
        }
    }
    model = ntt_anomaly_model_parse(text->str, text->len, &error);
    if (!model) {
        if (!error || !*error)
            abort();
        g_free(error);
    } else {
        GString *again = g_string_new(NULL), *third = g_string_new(NULL);
        ntt_anomaly_model_t *back;
        float x[NTT_AF_COUNT];
        double s;

        row(NULL, 3, x);
        s = ntt_iforest_score(model->forest, x);
        if (!(s > 0 && s <= 1))
            abort();
        ntt_anomaly_model_write(model, again);
        back = ntt_anomaly_model_parse(again->str, again->len, NULL);
        if (!back)
            abort();
        ntt_anomaly_model_write(back, third);
        if (strcmp(again->str, third->str) != 0)
            abort();
        ntt_anomaly_model_free(back);
        ntt_anomaly_model_free(model);
        g_string_free(again, TRUE);
        g_string_free(third, TRUE);
    }
    g_string_free(text, TRUE);
    return 0;
}
