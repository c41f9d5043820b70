/* json-writer.h
 * Just enough of a JSON emitter for the reports: objects, arrays, keys,
 * strings (escaped), numbers; commas handled by a small nesting stack.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_JSON_WRITER_H
#define NTT_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "report/field-sink.h"

#define NTT_JSON_MAX_DEPTH 16

typedef struct ntt_json {
    GString *out;
    int      depth;
    bool     need_comma[NTT_JSON_MAX_DEPTH];
    bool     after_key;
    int      indent;           /* spaces per level; 0 for one line */
} ntt_json_t;

void ntt_json_init(ntt_json_t *json, GString *out, int indent);
void ntt_json_begin_object(ntt_json_t *json);
void ntt_json_end_object(ntt_json_t *json);
void ntt_json_begin_array(ntt_json_t *json);
void ntt_json_end_array(ntt_json_t *json);
void ntt_json_key(ntt_json_t *json, const char *key);
void ntt_json_string(ntt_json_t *json, const char *value);
void ntt_json_uint(ntt_json_t *json, uint64_t value);
void ntt_json_int(ntt_json_t *json, int64_t value);
void ntt_json_double(ntt_json_t *json, double value);
void ntt_json_bool(ntt_json_t *json, bool value);
void ntt_json_null(ntt_json_t *json);

/* Shorthands for "key": value. */
void ntt_json_kv_string(ntt_json_t *json, const char *key, const char *value);
void ntt_json_kv_uint(ntt_json_t *json, const char *key, uint64_t value);
void ntt_json_kv_double(ntt_json_t *json, const char *key, double value);

/* A sink writing each field as "key": value into the open object. */
void ntt_json_field_sink(ntt_json_t *json, ntt_field_sink_t *sink);

#endif /* NTT_JSON_WRITER_H */
