/* json-writer.c
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/json-writer.h"

#include <math.h>

void ntt_json_init(ntt_json_t *json, GString *out, int indent)
{
    json->out = out;
    json->depth = 0;
    json->need_comma[0] = false;
    json->after_key = false;
    json->indent = indent;
}

static void newline(ntt_json_t *json)
{
    if (json->indent <= 0)
        return;
    g_string_append_c(json->out, '\n');
    for (int i = 0; i < json->depth * json->indent; i++)
        g_string_append_c(json->out, ' ');
}

/* Before any value: a comma after a sibling, a newline for pretty
 * output; nothing right after a key. */
static void before_value(ntt_json_t *json)
{
    if (json->after_key) {
        json->after_key = false;
        return;
    }
    if (json->need_comma[json->depth])
        g_string_append_c(json->out, ',');
    if (json->depth > 0)
        newline(json);
    json->need_comma[json->depth] = true;
}

static void open_container(ntt_json_t *json, char bracket)
{
    before_value(json);
    g_string_append_c(json->out, bracket);
    if (json->depth + 1 < NTT_JSON_MAX_DEPTH)
        json->depth++;
    json->need_comma[json->depth] = false;
}

static void close_container(ntt_json_t *json, char bracket)
{
    bool had_members = json->need_comma[json->depth];

    if (json->depth > 0)
        json->depth--;
    if (had_members)
        newline(json);
    g_string_append_c(json->out, bracket);
}

void ntt_json_begin_object(ntt_json_t *json) { open_container(json, '{'); }
void ntt_json_end_object(ntt_json_t *json) { close_container(json, '}'); }
void ntt_json_begin_array(ntt_json_t *json) { open_container(json, '['); }
void ntt_json_end_array(ntt_json_t *json) { close_container(json, ']'); }

static void append_escaped(GString *out, const char *s)
{
    g_string_append_c(out, '"');
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"':  g_string_append(out, "\\\""); break;
        case '\\': g_string_append(out, "\\\\"); break;
        case '\n': g_string_append(out, "\\n"); break;
        case '\r': g_string_append(out, "\\r"); break;
        case '\t': g_string_append(out, "\\t"); break;
        default:
            if (*p < 0x20)
                g_string_append_printf(out, "\\u%04x", *p);
            else
                g_string_append_c(out, (char)*p);
        }
    }
    g_string_append_c(out, '"');
}

void ntt_json_key(ntt_json_t *json, const char *key)
{
    before_value(json);
    append_escaped(json->out, key);
    g_string_append(json->out, json->indent > 0 ? ": " : ":");
    json->after_key = true;
}

void ntt_json_string(ntt_json_t *json, const char *value)
{
    before_value(json);
    append_escaped(json->out, value ? value : "");
}

void ntt_json_uint(ntt_json_t *json, uint64_t value)
{
    before_value(json);
    g_string_append_printf(json->out, "%" G_GUINT64_FORMAT, (guint64)value);
}

void ntt_json_int(ntt_json_t *json, int64_t value)
{
    before_value(json);
    g_string_append_printf(json->out, "%" G_GINT64_FORMAT, (gint64)value);
}

void ntt_json_double(ntt_json_t *json, double value)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    before_value(json);
    /* JSON has no NaN or infinity. */
    if (!isfinite(value)) {
        g_string_append(json->out, "null");
        return;
    }
    /* Locale-independent: a comma decimal separator is not JSON. */
    g_string_append(json->out, g_ascii_formatd(buf, sizeof buf, "%.6f", value));
}

void ntt_json_bool(ntt_json_t *json, bool value)
{
    before_value(json);
    g_string_append(json->out, value ? "true" : "false");
}

void ntt_json_null(ntt_json_t *json)
{
    before_value(json);
    g_string_append(json->out, "null");
}

void ntt_json_kv_string(ntt_json_t *json, const char *key, const char *value)
{
    ntt_json_key(json, key);
    ntt_json_string(json, value);
}

void ntt_json_kv_uint(ntt_json_t *json, const char *key, uint64_t value)
{
    ntt_json_key(json, key);
    ntt_json_uint(json, value);
}

void ntt_json_kv_double(ntt_json_t *json, const char *key, double value)
{
    ntt_json_key(json, key);
    ntt_json_double(json, value);
}

static void sink_string(void *ctx, const char *key, const char *value)
{
    ntt_json_key(ctx, key);
    if (value)
        ntt_json_string(ctx, value);
    else
        ntt_json_null(ctx);
}

static void sink_uint(void *ctx, const char *key, uint64_t value)
{
    ntt_json_kv_uint(ctx, key, value);
}

static void sink_number(void *ctx, const char *key, double value)
{
    ntt_json_kv_double(ctx, key, value);
}

void ntt_json_field_sink(ntt_json_t *json, ntt_field_sink_t *sink)
{
    sink->string = sink_string;
    sink->uint = sink_uint;
    sink->number = sink_number;
    sink->ctx = json;
}
