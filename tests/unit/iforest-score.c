/* iforest-score.c
 * ntt's Isolation Forest on a CSV data set, for comparison with another
 * implementation (iforest_vs_sklearn.py): reads rows of numbers from
 * standard input, trains on all of them, prints each row's score.
 *
 *   iforest-score TREES SAMPLE SEED < data.csv
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "analytics/iforest.h"

typedef struct data {
    GArray  *values;     /* float, row after row */
    unsigned dims;
} data_t;

static void row(void *ctx, size_t i, float *out)
{
    const data_t *d = ctx;

    memcpy(out, &g_array_index(d->values, float, i * d->dims), d->dims * sizeof *out);
}

int main(int argc, char **argv)
{
    data_t d = { g_array_new(FALSE, FALSE, sizeof(float)), 0 };
    char line[4096];
    size_t n = 0;
    ntt_iforest_t *forest;

    if (argc != 4) {
        fprintf(stderr, "usage: iforest-score TREES SAMPLE SEED < data.csv\n");
        return 2;
    }
    while (fgets(line, sizeof line, stdin)) {
        char **cells = g_strsplit(g_strstrip(line), ",", 0);
        unsigned k = g_strv_length(cells);

        if (k && (d.dims == 0 || k == d.dims)) {
            d.dims = k;
            for (unsigned i = 0; i < k; i++) {
                float v = (float)g_ascii_strtod(cells[i], NULL);

                g_array_append_val(d.values, v);
            }
            n++;
        }
        g_strfreev(cells);
    }
    forest = ntt_iforest_train(d.dims, (unsigned)atoi(argv[1]), (unsigned)atoi(argv[2]),
                               g_ascii_strtoull(argv[3], NULL, 10), n, row, &d);
    if (!forest) {
        fprintf(stderr, "iforest-score: no forest (fewer than 2 rows?)\n");
        return 1;
    }
    for (size_t i = 0; i < n; i++)
        printf("%.9f\n", ntt_iforest_score(forest, &g_array_index(d.values, float, i * d.dims)));
    ntt_iforest_free(forest);
    g_array_free(d.values, TRUE);
    return 0;
}
