/* field-sink.h
 * A record's fields, one call per key in a fixed order, so that one
 * function lists a flow's or an episode's fields for every format that
 * shows them: JSON objects (json-writer.c) and CSV rows (report-csv.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_FIELD_SINK_H
#define NTT_FIELD_SINK_H

#include <stdint.h>

typedef struct ntt_field_sink {
    void (*string)(void *ctx, const char *key, const char *value); /* NULL: null */
    void (*uint)(void *ctx, const char *key, uint64_t value);
    void (*number)(void *ctx, const char *key, double value);
    void  *ctx;
} ntt_field_sink_t;

#endif /* NTT_FIELD_SINK_H */
