/* report-csv.c
 * -z ntt,csv: the flows as RFC 4180 CSV with a header row, for
 * spreadsheets and pandas; -z ntt,csv,alerts: the episodes. The columns
 * are the JSON report's keys, filled by the same functions
 * (ntt_report_visit_flow, ntt_report_visit_alert), so that a row holds
 * what the JSON object holds: a key the record does not have (an
 * episode type's detail that does not apply, a null) is an empty field.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

/* An alert's fixed columns (ntt_report_visit_alert), then every episode
 * type's detail keys as the descriptors list them, then the attacker's
 * place. */
static const char *const alert_head_columns[] = {
    "type", "src", "dst", "port", "episode", "first_frame", "detect_frame",
    "last_frame", "packets", "start", "detect", "end",
};
static const char *const alert_tail_columns[] = {
    "src_country", "src_asn", "src_org",
};

void ntt_csv_append_field(GString *out, const char *value)
{
    if (!value[strcspn(value, ",\"\r\n")]) {
        g_string_append(out, value);
        return;
    }
    g_string_append_c(out, '"');
    for (const char *p = value; *p; p++) {
        if (*p == '"')
            g_string_append_c(out, '"');
        g_string_append_c(out, *p);
    }
    g_string_append_c(out, '"');
}

/* One row being filled: a value per column, by key. */
typedef struct csv_row {
    GPtrArray *columns;   /* const char *, not owned */
    GPtrArray *values;    /* char *, owned; NULL: empty */
} csv_row_t;

static void row_set(csv_row_t *row, const char *key, char *value)
{
    for (unsigned i = 0; i < row->columns->len; i++) {
        if (strcmp(g_ptr_array_index(row->columns, i), key) == 0) {
            g_free(g_ptr_array_index(row->values, i));
            g_ptr_array_index(row->values, i) = value;
            return;
        }
    }
    /* Every key has a column (a unit test holds the lists to the
     * visitors): a new one would be a programming error, not data. */
    g_warning("ntt: CSV has no column for \"%s\"", key);
    g_free(value);
}

static void sink_string(void *ctx, const char *key, const char *value)
{
    row_set(ctx, key, value ? g_strdup(value) : NULL);
}

static void sink_uint(void *ctx, const char *key, uint64_t value)
{
    row_set(ctx, key, g_strdup_printf("%" PRIu64, value));
}

/* As the JSON writer writes numbers: six decimals, a point whatever the
 * locale, empty for what JSON writes as null. */
static void sink_number(void *ctx, const char *key, double value)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];

    row_set(ctx, key, isfinite(value)
                          ? g_strdup(g_ascii_formatd(buf, sizeof buf, "%.6f", value))
                          : NULL);
}

static void append_row(GString *out, GPtrArray *cells)
{
    for (unsigned i = 0; i < cells->len; i++) {
        const char *cell = g_ptr_array_index(cells, i);

        if (i)
            g_string_append_c(out, ',');
        if (cell)
            ntt_csv_append_field(out, cell);
    }
    g_string_append(out, "\r\n");
}

static void row_clear(csv_row_t *row)
{
    for (unsigned i = 0; i < row->values->len; i++) {
        g_free(g_ptr_array_index(row->values, i));
        g_ptr_array_index(row->values, i) = NULL;
    }
}

static void add_columns(GPtrArray *columns, const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        g_ptr_array_add(columns, (gpointer)names[i]);
}

static bool has_column(GPtrArray *columns, const char *key)
{
    for (unsigned i = 0; i < columns->len; i++) {
        if (strcmp(g_ptr_array_index(columns, i), key) == 0)
            return true;
    }
    return false;
}

GPtrArray *ntt_csv_alert_columns(void)
{
    GPtrArray *columns = g_ptr_array_new();

    add_columns(columns, alert_head_columns, G_N_ELEMENTS(alert_head_columns));
    for (unsigned t = 0; t < NTT_EPISODE_TYPE_COUNT; t++) {
        const ntt_episode_descriptor_t *desc = ntt_episode_describe((ntt_episode_type_t)t);

        for (unsigned i = 0; desc && i < desc->field_count; i++) {
            if (!has_column(columns, desc->fields[i].key))
                g_ptr_array_add(columns, (gpointer)desc->fields[i].key);
        }
    }
    add_columns(columns, alert_tail_columns, G_N_ELEMENTS(alert_tail_columns));
    return columns;
}

/* A sink that lists the keys a visitor gives (its values ignored). */
static void key_string(void *ctx, const char *key, const char *value)
{
    (void)value;
    g_ptr_array_add(ctx, (gpointer)key);
}

static void key_uint(void *ctx, const char *key, uint64_t value)
{
    (void)value;
    g_ptr_array_add(ctx, (gpointer)key);
}

static void key_number(void *ctx, const char *key, double value)
{
    (void)value;
    g_ptr_array_add(ctx, (gpointer)key);
}

/* The keys of -z ntt,json's flows.top[], in order: what the visitor
 * gives for an empty flow (it gives every key for every flow). */
GPtrArray *ntt_csv_flow_columns(void)
{
    static const ntt_flow_summary_t none;
    static const ntt_report_flow_t none_counted;
    GPtrArray *columns = g_ptr_array_new();
    ntt_field_sink_t keys = { key_string, key_uint, key_number, columns };

    ntt_report_visit_flow_record(0, &none, &none_counted, &keys);
    return columns;
}

static void render(const ntt_report_t *r, GString *out, bool alerts)
{
    csv_row_t row;
    ntt_field_sink_t sink = { sink_string, sink_uint, sink_number, &row };

    row.columns = alerts ? ntt_csv_alert_columns() : ntt_csv_flow_columns();
    row.values = g_ptr_array_new();
    g_ptr_array_set_size(row.values, (gint)row.columns->len);
    append_row(out, row.columns);
    if (alerts) {
        uint32_t n = r->engine ? ntt_engine_episode_count(r->engine) : 0;

        for (uint32_t i = 0; i < n; i++) {
            ntt_report_visit_alert(r, ntt_engine_episode(r->engine, i), &sink);
            append_row(out, row.values);
            row_clear(&row);
        }
    } else {
        /* Every flow the report's packets touched, in the order they
         * began (the JSON lists only the top ones). */
        for (uint32_t id = 0; r->engine && id < r->flows->len; id++) {
            if (!ntt_report_flow_seen(&g_array_index(r->flows, ntt_report_flow_t, id)) ||
                !ntt_engine_flow(r->engine, id))
                continue;
            ntt_report_visit_flow(r, id, &sink);
            append_row(out, row.values);
            row_clear(&row);
        }
    }
    g_ptr_array_free(row.values, TRUE);
    g_ptr_array_free(row.columns, TRUE);
}

void ntt_report_render_csv(const ntt_report_t *r, GString *out)
{
    render(r, out, false);
}

void ntt_report_render_csv_alerts(const ntt_report_t *r, GString *out)
{
    render(r, out, true);
}
