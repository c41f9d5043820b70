/* report-html.c
 * -z ntt,html: the report as one self-contained HTML page (inline CSS
 * and SVG; no script, no font, nothing fetched) for people to read and
 * print. It is drawn from the JSON report read back (json-tree.h), so
 * every number it shows is the one -z ntt,json prints, and each carries
 * its JSON path (data-json) and literal (data-value).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/report.h"

#include <string.h>

#include "report/html/html-charts.h"
#include "report/html/html-doc.h"
#include "report/html/html-text.h"

void ntt_html_section_begin(ntt_html_doc_t *d, const char *id, const char *title)
{
    g_ptr_array_add(d->contents, g_strdup(id));
    g_ptr_array_add(d->contents, g_strdup(title));
    g_string_append_printf(d->out, "<section id=\"%s\">\n<h2>", id);
    ntt_html_escape(d->out, title);
    g_string_append(d->out, "</h2>\n");
}

void ntt_html_section_end(ntt_html_doc_t *d)
{
    g_string_append(d->out, "</section>\n");
}

void ntt_html_heading(ntt_html_doc_t *d, const char *title)
{
    g_string_append(d->out, "<h3>");
    ntt_html_escape(d->out, title);
    g_string_append(d->out, "</h3>\n");
}

void ntt_html_table_begin(ntt_html_doc_t *d, const char *cls, const char *columns)
{
    char **names = g_strsplit(columns, "|", -1);

    g_string_append_printf(d->out, "<div class=\"scroll\"><table class=\"%s\"><thead><tr>", cls);
    for (char **n = names; *n; n++) {
        bool numeric = (*n)[0] == '#';

        g_string_append_printf(d->out, "<th scope=\"col\"%s>", numeric ? " class=\"num\"" : "");
        ntt_html_escape(d->out, *n + numeric);
        g_string_append(d->out, "</th>");
    }
    g_string_append(d->out, "</tr></thead>\n<tbody>\n");
    g_strfreev(names);
}

void ntt_html_table_end(ntt_html_doc_t *d)
{
    g_string_append(d->out, "</tbody></table></div>\n");
}

void ntt_html_time_cell(ntt_html_doc_t *d, const char *path)
{
    const ntt_jv_t *v = ntt_jv_path(d->report, path);
    char when[64];

    g_string_append(d->out, "<td class=\"time\"");
    ntt_html_ref_attrs(d->out, path, v);
    g_string_append_c(d->out, '>');
    ntt_html_escape(d->out, ntt_html_utc(v, when, sizeof when));
    g_string_append(d->out, "</td>");
}

void ntt_html_table_rows(ntt_html_doc_t *d, const char *list, const char *const keys[],
                         unsigned n_keys)
{
    unsigned n = ntt_jv_len(ntt_jv_path(d->report, list));

    for (unsigned i = 0; i < n; i++) {
        g_string_append(d->out, "<tr>");
        for (unsigned k = 0; k < n_keys; k++)
            ntt_html_cellf(d->out, d->report, "%s[%u].%s", list, i, keys[k]);
        g_string_append(d->out, "</tr>\n");
    }
}

const char *ntt_html_time_unit(double span_seconds, double *unit_seconds)
{
    if (span_seconds > 36000) {
        *unit_seconds = 3600;
        return "h";
    }
    if (span_seconds > 600) {
        *unit_seconds = 60;
        return "min";
    }
    *unit_seconds = 1;
    return "s";
}

static void write_head(GString *out, const ntt_jv_t *report)
{
    const char *filter = ntt_jv_str(ntt_jv_get(report, "filter"));

    g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
                         "<meta charset=\"utf-8\">\n"
                         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                         "<meta name=\"generator\" content=\"ntt\">\n<title>ntt report");
    if (filter) {
        g_string_append(out, " (");
        ntt_html_escape(out, filter);
        g_string_append_c(out, ')');
    }
    g_string_append(out, "</title>\n<style>\n");
    g_string_append(out, ntt_html_style);
    g_string_append(out, "</style>\n</head>\n<body>\n");
}

static void write_header(GString *out, const ntt_jv_t *report)
{
    const char *filter = ntt_jv_str(ntt_jv_get(report, "filter"));
    char when[64];

    g_string_append(out, "<header>\n<h1>ntt report <small>Network Traffic Tracer</small></h1>\n"
                         "<p class=\"sub\">");
    if (ntt_jv_num(ntt_jv_path(report, "summary.packets"), 0) > 0) {
        g_string_append(out, "Capture from ");
        ntt_html_escape(out, ntt_html_utc(ntt_jv_path(report, "summary.first_time"),
                                          when, sizeof when));
        g_string_append(out, " to ");
        ntt_html_escape(out, ntt_html_utc(ntt_jv_path(report, "summary.last_time"),
                                          when, sizeof when));
        g_string_append(out, " UTC. ");
    }
    g_string_append(out, "Display filter: ");
    if (filter) {
        g_string_append(out, "<code class=\"filter\">");
        ntt_html_escape(out, filter);
        g_string_append(out, "</code>");
    } else {
        g_string_append(out, "none");
    }
    g_string_append(out, ".</p>\n</header>\n");
}

static void write_contents(GString *out, const GPtrArray *contents)
{
    if (contents->len == 0)
        return;
    g_string_append(out, "<nav aria-label=\"Contents\"><ol>");
    for (unsigned i = 0; i + 1 < contents->len; i += 2) {
        g_string_append_printf(out, "<li><a href=\"#%s\">",
                               (const char *)g_ptr_array_index(contents, i));
        ntt_html_escape(out, g_ptr_array_index(contents, i + 1));
        g_string_append(out, "</a></li>");
    }
    g_string_append(out, "</ol></nav>\n");
}

void ntt_html_document(GString *out, const ntt_jv_t *report, const ntt_jv_t *geojson,
                       const ntt_world_shape_t *shapes, unsigned n_shapes,
                       const char *outline_source)
{
    ntt_html_doc_t d = {
        .out = g_string_new(NULL), .report = report, .geojson = geojson,
        .shapes = shapes, .n_shapes = n_shapes, .outline_source = outline_source,
        .contents = g_ptr_array_new_with_free_func(g_free),
    };

    /* The sections first (they list themselves in the contents). */
    if (ntt_jv_num(ntt_jv_path(report, "summary.packets"), 0) > 0) {
        ntt_html_summary(&d);
        ntt_html_alerts(&d);
        ntt_html_timeline(&d);
        ntt_html_mix(&d);
        ntt_html_flows(&d);
        ntt_html_talkers(&d);
        ntt_html_blocklist(&d);
        ntt_html_time_of_day(&d);
        ntt_html_entropy(&d);
        ntt_html_anomaly(&d);
        ntt_html_geo(&d);
    }
    write_head(out, report);
    ntt_chart_definitions(out);
    write_header(out, report);
    write_contents(out, d.contents);
    g_string_append(out, "<main>\n");
    if (d.out->len == 0)
        g_string_append(out, "<p class=\"empty\">No packets.</p>\n");
    g_string_append_len(out, d.out->str, (gssize)d.out->len);
    g_string_append(out, "</main>\n<footer><p>Written by ntt from the same figures as "
                         "<code>-z ntt,json</code>; every number here carries its place "
                         "in that report (<code>data-json</code>).</p></footer>\n"
                         "</body>\n</html>\n");
    g_string_free(d.out, TRUE);
    g_ptr_array_free(d.contents, TRUE);
}

void ntt_report_render_html(const ntt_report_t *report, GString *out)
{
    GString *json = g_string_new(NULL), *geojson = g_string_new(NULL);
    ntt_jv_t *doc, *geo;

    ntt_report_render_json(report, json);
    ntt_report_render_geojson(report, geojson);
    doc = ntt_jv_parse(json->str, NULL);
    geo = ntt_jv_parse(geojson->str, NULL);
    if (doc) {
        ntt_html_document(out, doc, geo, ntt_world_shapes, ntt_world_shape_count,
                          ntt_world_outline_source);
    } else {
        /* The JSON writer and this reader disagree: a bug, said plainly
         * rather than half a report. */
        g_string_append(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                             "<title>ntt report</title></head><body><p>ntt could not read "
                             "back its own JSON report; use -z ntt,json.</p></body></html>\n");
    }
    ntt_jv_free(doc);
    ntt_jv_free(geo);
    g_string_free(json, TRUE);
    g_string_free(geojson, TRUE);
}
