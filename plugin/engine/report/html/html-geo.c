/* html-geo.c
 * The outline's frame is equirectangular in degrees (x = lon + 180,
 * y = 90 - lat, world-outline.h), so a point needs no projection beyond
 * that; the legend sits in a band under the 360 x 180 world.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/html/html-geo.h"
#include "report/html/html-charts.h"
#include "report/html/html-doc.h"

#include <math.h>
#include <string.h>

#include "report/html/html-text.h"
#include "report/html/svg-writer.h"

static const char *const class_names[NTT_MAP_CLASSES] = {
    "under 1 %", "1 to 10 %", "10 to 50 %", "50 % and more",
};

unsigned ntt_map_share_class(double share)
{
    return share < 0.01 ? 1 : share < 0.10 ? 2 : share < 0.50 ? 3 : 4;
}

/* The index of a country in the report's geo.countries, or -1. */
static int country_row(const ntt_jv_t *countries, const char *code)
{
    for (unsigned i = 0; i < ntt_jv_len(countries); i++) {
        const char *c = ntt_jv_str(ntt_jv_get(ntt_jv_at(countries, i), "country"));

        if (c && *code && strcmp(c, code) == 0)
            return (int)i;
    }
    return -1;
}

static void draw_countries(GString *out, const ntt_world_shape_t *shapes, unsigned n,
                           const ntt_jv_t *report)
{
    const ntt_jv_t *countries = ntt_jv_path(report, "geo.countries");
    double total = ntt_jv_num(ntt_jv_path(report, "summary.packets"), 0);
    char num[NTT_HTML_NUMBER_SIZE];

    g_string_append(out, "<g class=\"land\">\n");
    for (unsigned i = 0; i < n; i++) {
        int row = country_row(countries, shapes[i].country);
        GString *attrs;
        char *path, *tip, cls[16];
        const ntt_jv_t *pkts;
        double share;

        const char *name;

        if (row < 0) {
            ntt_svg_path(out, shapes[i].path, "c0", NULL,
                         *shapes[i].country ? shapes[i].country : NULL);
            continue;
        }
        name = ntt_jv_str(ntt_jv_pathf(report, "geo.countries[%d].name", row));
        path = g_strdup_printf("geo.countries[%d].packets", row);
        pkts = ntt_jv_path(report, path);
        share = total > 0 ? ntt_jv_num(pkts, 0) / total : 0;
        attrs = g_string_new(NULL);
        g_string_append_printf(attrs, " data-country=\"%s\"", shapes[i].country);
        ntt_html_ref_attrs(attrs, path, pkts);
        tip = g_strdup_printf("%s %s: %s packets", shapes[i].country,
                              name ? name : "", ntt_html_number(ntt_jv_num(pkts, 0), num, sizeof num));
        g_snprintf(cls, sizeof cls, "c%u", ntt_map_share_class(share));
        ntt_svg_path(out, shapes[i].path, cls, attrs->str, tip);
        g_string_free(attrs, TRUE);
        g_free(path);
        g_free(tip);
    }
    g_string_append(out, "</g>\n");
}

static void draw_points(GString *out, const ntt_jv_t *geojson)
{
    const ntt_jv_t *features = ntt_jv_get(geojson, "features");
    char num[NTT_HTML_NUMBER_SIZE];

    g_string_append(out, "<g class=\"points\">\n");
    for (unsigned i = 0; i < ntt_jv_len(features); i++) {
        const ntt_jv_t *f = ntt_jv_at(features, i);
        const ntt_jv_t *props = ntt_jv_get(f, "properties");
        const ntt_jv_t *coords = ntt_jv_path(f, "geometry.coordinates");
        const char *kind = ntt_jv_str(ntt_jv_get(props, "kind"));
        const char *city = ntt_jv_str(ntt_jv_get(props, "city"));
        const ntt_jv_t *attacker = ntt_jv_get(props, "alert_source");
        double lon, lat, x, y;
        GString *attrs, *tip;

        if (!kind || strcmp(kind, "endpoint") != 0 || ntt_jv_len(coords) < 2)
            continue;
        lon = ntt_jv_num(ntt_jv_at(coords, 0), NAN);
        lat = ntt_jv_num(ntt_jv_at(coords, 1), NAN);
        if (!isfinite(lon) || !isfinite(lat))
            continue;
        x = fmin(fmax(lon + 180, 0), 360);
        y = fmin(fmax(90 - lat, 0), 180);
        attrs = g_string_new(NULL);
        g_string_append_printf(attrs, " data-geojson=\"features[%u]\"", i);
        tip = g_string_new(ntt_jv_str(ntt_jv_get(props, "address")));
        g_string_append_printf(tip, "%s%s: %s packets", city ? ", " : "", city ? city : "",
                               ntt_html_number(ntt_jv_num(ntt_jv_get(props, "packets"), 0),
                                               num, sizeof num));
        if (ntt_jv_is(attacker, NTT_JV_BOOL) && attacker->boolean) {
            g_string_append(tip, " (source of an alert)");
            ntt_svg_rect(out, x - 2, y - 2, 4, 4, "pt attacker", attrs->str, tip->str);
        } else {
            ntt_svg_circle(out, x, y, 1.8, "pt", attrs->str, tip->str);
        }
        g_string_free(attrs, TRUE);
        g_string_free(tip, TRUE);
    }
    g_string_append(out, "</g>\n");
}

static void draw_legend(GString *out, const char *source)
{
    double x = 4;

    ntt_svg_text(out, x, 190, "start", 0, "legend", NULL, "share of packets:");
    x += 58;
    for (unsigned c = 1; c <= NTT_MAP_CLASSES; c++) {
        char cls[16];

        g_snprintf(cls, sizeof cls, "c%u", c);
        ntt_svg_rect(out, x, 185, 8, 6, cls, NULL, NULL);
        ntt_svg_text(out, x + 10, 190, "start", 0, "legend", NULL, class_names[c - 1]);
        x += 16 + 2.8 * strlen(class_names[c - 1]);
    }
    ntt_svg_circle(out, x + 3, 188, 1.8, "pt", NULL, NULL);
    ntt_svg_text(out, x + 7, 190, "start", 0, "legend", NULL, "endpoint");
    x += 32;
    ntt_svg_rect(out, x + 1, 186, 4, 4, "pt attacker", NULL, NULL);
    ntt_svg_text(out, x + 7, 190, "start", 0, "legend", NULL, "alert source");
    if (source && *source)
        ntt_svg_text(out, 4, 198, "start", 0, "legend source", NULL, source);
}

gboolean ntt_html_map(GString *out, const ntt_world_shape_t *shapes, unsigned n_shapes,
                      const char *source, const ntt_jv_t *report, const ntt_jv_t *geojson)
{
    if (n_shapes == 0 || !ntt_jv_has_content(ntt_jv_path(report, "geo.countries")))
        return FALSE;
    g_string_append(out, "<div class=\"map\">");
    ntt_svg_begin(out, 360, 200, "World map: countries shaded by their share of the "
                                 "packets, placed endpoints as points");
    ntt_svg_rect(out, 0, 0, 360, 180, "sea", NULL, NULL);
    draw_countries(out, shapes, n_shapes, report);
    if (geojson)
        draw_points(out, geojson);
    draw_legend(out, source);
    ntt_svg_end(out);
    g_string_append(out, "</div>\n");
    return TRUE;
}

/* Bars of packets and a table of packets and bytes, for geo.countries
 * (name_key "name") or geo.asns ("org"). */
static void geo_table(ntt_html_doc_t *d, const char *list, const char *code_key,
                      const char *name_key, const char *title, const char *columns)
{
    const char *const keys[] = { code_key, name_key, "packets", "bytes" };
    char *list_path = g_strdup_printf("geo.%s", list);
    unsigned n = ntt_jv_len(ntt_jv_path(d->report, list_path));
    ntt_chart_bar_t *bars;
    char **labels;

    if (n == 0) {
        g_free(list_path);
        return;
    }
    bars = g_new(ntt_chart_bar_t, n);
    labels = g_new0(char *, n + 1);
    for (unsigned i = 0; i < n; i++) {
        const ntt_jv_t *code = ntt_jv_pathf(d->report, "geo.%s[%u].%s", list, i, code_key);
        const char *name = ntt_jv_str(ntt_jv_pathf(d->report, "geo.%s[%u].%s", list, i,
                                                   name_key));
        GString *label = g_string_new(strcmp(code_key, "asn") == 0 ? "AS" : "");

        if (ntt_jv_str(code))
            g_string_append(label, code->text);
        else if (code && code->text)
            g_string_append(label, code->text);
        if (name && *name)
            g_string_append_printf(label, " %s", name);
        labels[i] = g_string_free(label, FALSE);
        bars[i] = (ntt_chart_bar_t){ labels[i], g_strdup_printf("geo.%s[%u].packets", list, i),
                                     NULL };
        bars[i].value = ntt_jv_path(d->report, bars[i].path);
    }
    ntt_html_heading(d, title);
    g_string_append(d->out, "<figure>");
    ntt_chart_hbars(d->out, title, "packets", bars, n);
    g_string_append(d->out, "</figure>\n");
    ntt_html_table_begin(d, "data", columns);
    ntt_html_table_rows(d, list_path, keys, G_N_ELEMENTS(keys));
    g_free(list_path);
    for (unsigned i = 0; i < n; i++)
        g_free(bars[i].path);
    ntt_html_table_end(d);
    g_free(bars);
    g_strfreev(labels);
}

static void databases(ntt_html_doc_t *d)
{
    const ntt_jv_t *dbs = ntt_jv_path(d->report, "geo.databases");

    if (ntt_jv_len(dbs) == 0)
        return;
    g_string_append(d->out, "<p class=\"note\">Databases: ");
    for (unsigned i = 0; i < ntt_jv_len(dbs); i++) {
        if (i)
            g_string_append(d->out, "; ");
        ntt_html_escape(d->out, g_ptr_array_index(dbs->keys, i));
        g_string_append(d->out, " ");
        ntt_html_valuef(d->out, d->report, "span", NULL, "geo.databases.%s",
                        (const char *)g_ptr_array_index(dbs->keys, i));
    }
    g_string_append(d->out, ".</p>\n");
}

void ntt_html_geo(ntt_html_doc_t *d)
{
    if (!ntt_jv_has_content(ntt_jv_path(d->report, "geo.countries")) &&
        !ntt_jv_has_content(ntt_jv_path(d->report, "geo.asns")))
        return;
    ntt_html_section_begin(d, "geo", "Geography");
    databases(d);
    if (ntt_html_map(d->out, d->shapes, d->n_shapes, d->outline_source, d->report, d->geojson))
        g_string_append(d->out, "<p class=\"note\">Countries shaded by their share of the "
                                "packets (a packet counts for the country of each end); "
                                "placed endpoints of <code>-z ntt,geojson</code> as points, "
                                "sources of alerts as squares.</p>\n");
    geo_table(d, "countries", "country", "name", "Countries", "Country|Name|#Packets|#Bytes");
    geo_table(d, "asns", "asn", "org", "Autonomous systems", "#AS|Organisation|#Packets|#Bytes");
    ntt_html_section_end(d);
}
