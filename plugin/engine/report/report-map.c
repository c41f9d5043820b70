/* report-map.c
 * -z ntt,kml and -z ntt,geojson: the capture on a map. One point per
 * geolocated endpoint (an address the City database places) with its
 * packets and bytes; one line per pair of communicating endpoints,
 * weighted by the bytes between them; sources of alerts styled apart.
 * KML opens in Google Earth and Marble, GeoJSON (RFC 7946) in QGIS and
 * Leaflet. Endpoints come from the report's talker table, so a display
 * filter narrows the map as it narrows the statistics.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/json-writer.h"

/* A placed endpoint. */
typedef struct map_point {
    const ntt_talker_t   *talker;
    const ntt_geo_info_t *info;
    bool                  attacker;
} map_point_t;

/* Two endpoints and what passed between them. */
typedef struct map_line {
    const map_point_t *a;
    const map_point_t *b;
    uint64_t           pkts;
    uint64_t           bytes;
} map_line_t;

typedef struct map {
    GArray     *points;       /* map_point_t, busiest first */
    GHashTable *point_of;     /* talker -> index + 1 */
    GArray     *lines;        /* map_line_t, heaviest first */
    uint64_t    max_bytes;
} map_t;

static bool is_attacker(const ntt_report_t *r, const ntt_talker_t *t)
{
    uint32_t n = ntt_engine_episode_count(r->engine);

    /* Episodes are few; a scan per placed endpoint is cheap enough. */
    for (uint32_t i = 0; i < n; i++) {
        const ntt_episode_t *ep = ntt_engine_episode(r->engine, i);

        if (ntt_episode_has_attacker(ep) && ep->ip_version == t->ip_version &&
            memcmp(ep->src.bytes, t->addr.bytes, sizeof t->addr.bytes) == 0)
            return true;
    }
    return false;
}

static void collect_points(const ntt_report_t *r, ntt_geo_t *geo, map_t *m)
{
    unsigned count;
    ntt_talker_t **sorted = ntt_report_sorted_talkers(r, &count);

    for (unsigned i = 0; i < count; i++) {
        const ntt_geo_info_t *info =
            ntt_geo_info(geo, ntt_geo_lookup(geo, &sorted[i]->addr, sorted[i]->ip_version));
        map_point_t p = { sorted[i], info, false };

        if (!info->has_location)
            continue;
        p.attacker = is_attacker(r, sorted[i]);
        g_array_append_val(m->points, p);
        g_hash_table_insert(m->point_of, sorted[i], GUINT_TO_POINTER(m->points->len));
    }
    g_free(sorted);
}

static const map_point_t *point_of(const map_t *m, const ntt_talker_t *t)
{
    guint i1 = GPOINTER_TO_UINT(g_hash_table_lookup(m->point_of, t));

    return i1 ? &g_array_index(m->points, map_point_t, i1 - 1) : NULL;
}

static int compare_lines(const void *pa, const void *pb)
{
    const map_line_t *a = pa, *b = pb;

    if (a->bytes != b->bytes)
        return a->bytes > b->bytes ? -1 : 1;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : (a->b > b->b);
}

/* Flows between two placed endpoints, added up per unordered pair. */
static void collect_lines(const ntt_report_t *r, map_t *m)
{
    GHashTable *line_of = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);

    for (guint id = 0; id < r->flows->len; id++) {
        const ntt_report_flow_t *f = &g_array_index(r->flows, ntt_report_flow_t, id);
        const ntt_flow_summary_t *flow;
        const map_point_t *a, *b, *t;
        gint64 *key;
        guint i1;
        map_line_t *line;

        if (!ntt_report_flow_seen(f))
            continue;
        flow = ntt_engine_flow(r->engine, id);
        if (!flow)
            continue;
        a = point_of(m, ntt_report_flow_talker(r, flow, NTT_DIR_ORIG));
        b = point_of(m, ntt_report_flow_talker(r, flow, NTT_DIR_RESP));
        if (!a || !b || a == b)
            continue;
        if (a > b) {
            t = a;
            a = b;
            b = t;
        }
        key = g_new(gint64, 1);
        *key = (gint64)(a - &g_array_index(m->points, map_point_t, 0)) * m->points->len +
               (b - &g_array_index(m->points, map_point_t, 0));
        i1 = GPOINTER_TO_UINT(g_hash_table_lookup(line_of, key));
        if (!i1) {
            map_line_t fresh = { a, b, 0, 0 };

            g_array_append_val(m->lines, fresh);
            i1 = m->lines->len;
            g_hash_table_insert(line_of, key, GUINT_TO_POINTER(i1));
        } else {
            g_free(key);
        }
        line = &g_array_index(m->lines, map_line_t, i1 - 1);
        line->pkts += f->pkts;
        line->bytes += f->bytes;
    }
    g_hash_table_destroy(line_of);
    g_array_sort(m->lines, compare_lines);
    if (m->lines->len)
        m->max_bytes = g_array_index(m->lines, map_line_t, 0).bytes;
}

static bool map_build(const ntt_report_t *r, map_t *m)
{
    ntt_geo_t *geo = r->engine ? ntt_engine_geo(r->engine) : NULL;

    memset(m, 0, sizeof *m);
    m->points = g_array_new(FALSE, TRUE, sizeof(map_point_t));
    m->lines = g_array_new(FALSE, TRUE, sizeof(map_line_t));
    m->point_of = g_hash_table_new(g_direct_hash, g_direct_equal);
    if (!geo)
        return false;
    collect_points(r, geo, m);
    collect_lines(r, m);
    return true;
}

static void map_free(map_t *m)
{
    g_array_free(m->points, TRUE);
    g_array_free(m->lines, TRUE);
    g_hash_table_destroy(m->point_of);
}

/* Line width 1..8 by bytes, on a log scale: a few heavy flows should not
 * make every other line a hairline. */
static double line_weight(const map_t *m, uint64_t bytes)
{
    if (m->max_bytes <= 1 || bytes <= 1)
        return 1.0;
    return 1.0 + 7.0 * log((double)bytes) / log((double)m->max_bytes);
}

static void append_escaped(GString *out, const char *text)
{
    char *escaped = g_markup_escape_text(text ? text : "", -1);

    g_string_append(out, escaped);
    g_free(escaped);
}

static void append_coord(GString *out, double lon, double lat)
{
    char x[G_ASCII_DTOSTR_BUF_SIZE], y[G_ASCII_DTOSTR_BUF_SIZE];

    g_string_append_printf(out, "%s,%s", g_ascii_formatd(x, sizeof x, "%.6f", lon),
                           g_ascii_formatd(y, sizeof y, "%.6f", lat));
}

static void kml_data(GString *out, const char *name, const char *value)
{
    g_string_append_printf(out, "<Data name=\"%s\"><value>", name);
    append_escaped(out, value);
    g_string_append(out, "</value></Data>");
}

static void kml_point(GString *out, const map_point_t *p)
{
    const ntt_talker_t *t = p->talker;
    char addr[NTT_ADDR_STRLEN], num[32];

    ntt_addr_format(&t->addr, t->ip_version, addr);
    g_string_append(out, "      <Placemark>\n        <name>");
    append_escaped(out, addr);
    g_string_append_printf(out, "</name>\n        <styleUrl>#%s</styleUrl>\n        <description>",
                           p->attacker ? "attacker" : "endpoint");
    append_escaped(out, p->info->city ? p->info->city : p->info->country_name);
    g_string_append_printf(out, " %s", p->info->country);
    if (p->info->asn)
        g_string_append_printf(out, ", AS%" PRIu32 " ", p->info->asn);
    append_escaped(out, p->info->org);
    g_string_append_printf(out, "; %" PRIu64 " packets, %" PRIu64 " bytes%s</description>\n",
                           t->pkts_sent + t->pkts_received, t->bytes_sent + t->bytes_received,
                           p->attacker ? "; alert source" : "");
    g_string_append(out, "        <ExtendedData>");
    kml_data(out, "address", addr);
    kml_data(out, "country", p->info->country);
    kml_data(out, "city", p->info->city);
    snprintf(num, sizeof num, "%" PRIu32, p->info->asn);
    kml_data(out, "asn", p->info->asn ? num : "");
    kml_data(out, "org", p->info->org);
    snprintf(num, sizeof num, "%" PRIu64, t->pkts_sent + t->pkts_received);
    kml_data(out, "packets", num);
    snprintf(num, sizeof num, "%" PRIu64, t->bytes_sent + t->bytes_received);
    kml_data(out, "bytes", num);
    kml_data(out, "alert_source", p->attacker ? "true" : "false");
    g_string_append(out, "</ExtendedData>\n        <Point><coordinates>");
    append_coord(out, p->info->lon, p->info->lat);
    g_string_append(out, "</coordinates></Point>\n      </Placemark>\n");
}

static void kml_line(GString *out, const map_t *m, const map_line_t *l)
{
    char a[NTT_ADDR_STRLEN], b[NTT_ADDR_STRLEN], w[G_ASCII_DTOSTR_BUF_SIZE];

    ntt_addr_format(&l->a->talker->addr, l->a->talker->ip_version, a);
    ntt_addr_format(&l->b->talker->addr, l->b->talker->ip_version, b);
    g_string_append_printf(out, "      <Placemark>\n        <name>%s - %s</name>\n", a, b);
    g_string_append_printf(out, "        <description>%" PRIu64 " packets, %" PRIu64
                           " bytes</description>\n", l->pkts, l->bytes);
    g_string_append_printf(out, "        <Style><LineStyle><color>%s</color><width>%s</width>"
                           "</LineStyle></Style>\n",
                           l->a->attacker || l->b->attacker ? "ff0000ff" : "ffff7f00",
                           g_ascii_formatd(w, sizeof w, "%.2f", line_weight(m, l->bytes)));
    g_string_append_printf(out, "        <ExtendedData><Data name=\"packets\"><value>%" PRIu64
                           "</value></Data><Data name=\"bytes\"><value>%" PRIu64
                           "</value></Data></ExtendedData>\n", l->pkts, l->bytes);
    g_string_append(out, "        <LineString><tessellate>1</tessellate><coordinates>");
    append_coord(out, l->a->info->lon, l->a->info->lat);
    g_string_append_c(out, ' ');
    append_coord(out, l->b->info->lon, l->b->info->lat);
    g_string_append(out, "</coordinates></LineString>\n      </Placemark>\n");
}

void ntt_report_render_kml(const ntt_report_t *r, GString *out)
{
    map_t m;
    bool placed = map_build(r, &m);

    g_string_append(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<kml xmlns=\"http://www.opengis.net/kml/2.2\">\n"
                         "  <Document>\n    <name>ntt: endpoints and conversations</name>\n");
    g_string_append(out, "    <description>");
    append_escaped(out, placed ? (r->filter ? r->filter : "all packets")
                               : "no GeoIP location database: nothing to place");
    g_string_append(out, "</description>\n");
    g_string_append(out, "    <Style id=\"endpoint\"><IconStyle><color>ffff7f00</color>"
                         "<scale>1.0</scale></IconStyle></Style>\n"
                         "    <Style id=\"attacker\"><IconStyle><color>ff0000ff</color>"
                         "<scale>1.4</scale></IconStyle></Style>\n");
    g_string_append(out, "    <Folder>\n      <name>Endpoints</name>\n");
    for (guint i = 0; i < m.points->len; i++)
        kml_point(out, &g_array_index(m.points, map_point_t, i));
    g_string_append(out, "    </Folder>\n    <Folder>\n      <name>Conversations</name>\n");
    for (guint i = 0; i < m.lines->len; i++)
        kml_line(out, &m, &g_array_index(m.lines, map_line_t, i));
    g_string_append(out, "    </Folder>\n  </Document>\n</kml>\n");
    map_free(&m);
}

static void geojson_position(ntt_json_t *j, const ntt_geo_info_t *info)
{
    ntt_json_begin_array(j);
    ntt_json_double(j, info->lon);     /* RFC 7946: longitude first */
    ntt_json_double(j, info->lat);
    ntt_json_end_array(j);
}

/* {"type": "Feature", "geometry": {"type": geometry, "coordinates": -- the
 * caller writes the coordinates, then geojson_properties(). */
static void geojson_feature(ntt_json_t *j, const char *geometry)
{
    ntt_json_begin_object(j);
    ntt_json_kv_string(j, "type", "Feature");
    ntt_json_key(j, "geometry");
    ntt_json_begin_object(j);
    ntt_json_kv_string(j, "type", geometry);
    ntt_json_key(j, "coordinates");
}

/* Closes the geometry and opens the properties, the first being kind. */
static void geojson_properties(ntt_json_t *j, const char *kind)
{
    ntt_json_end_object(j);
    ntt_json_key(j, "properties");
    ntt_json_begin_object(j);
    ntt_json_kv_string(j, "kind", kind);
}

static void geojson_point(ntt_json_t *j, const map_point_t *p)
{
    const ntt_talker_t *t = p->talker;
    char addr[NTT_ADDR_STRLEN];

    geojson_feature(j, "Point");
    geojson_position(j, p->info);
    geojson_properties(j, "endpoint");
    ntt_json_kv_string(j, "address", ntt_addr_format(&t->addr, t->ip_version, addr));
    if (p->info->country[0])
        ntt_json_kv_string(j, "country", p->info->country);
    if (p->info->city)
        ntt_json_kv_string(j, "city", p->info->city);
    if (p->info->asn)
        ntt_json_kv_uint(j, "asn", p->info->asn);
    if (p->info->org)
        ntt_json_kv_string(j, "org", p->info->org);
    ntt_json_kv_uint(j, "packets", t->pkts_sent + t->pkts_received);
    ntt_json_kv_uint(j, "bytes", t->bytes_sent + t->bytes_received);
    ntt_json_key(j, "alert_source");
    ntt_json_bool(j, p->attacker);
    ntt_json_end_object(j);
    ntt_json_end_object(j);
}

static void geojson_line(ntt_json_t *j, const map_t *m, const map_line_t *l)
{
    char a[NTT_ADDR_STRLEN], b[NTT_ADDR_STRLEN];

    geojson_feature(j, "LineString");
    ntt_json_begin_array(j);
    geojson_position(j, l->a->info);
    geojson_position(j, l->b->info);
    ntt_json_end_array(j);
    geojson_properties(j, "conversation");
    ntt_json_kv_string(j, "a", ntt_addr_format(&l->a->talker->addr, l->a->talker->ip_version, a));
    ntt_json_kv_string(j, "b", ntt_addr_format(&l->b->talker->addr, l->b->talker->ip_version, b));
    ntt_json_kv_uint(j, "packets", l->pkts);
    ntt_json_kv_uint(j, "bytes", l->bytes);
    ntt_json_kv_double(j, "weight", line_weight(m, l->bytes));
    ntt_json_key(j, "alert_source");
    ntt_json_bool(j, l->a->attacker || l->b->attacker);
    ntt_json_end_object(j);
    ntt_json_end_object(j);
}

void ntt_report_render_geojson(const ntt_report_t *r, GString *out)
{
    ntt_json_t j;
    map_t m;

    map_build(r, &m);
    ntt_json_init(&j, out, 1);
    ntt_json_begin_object(&j);
    ntt_json_kv_string(&j, "type", "FeatureCollection");
    ntt_json_key(&j, "features");
    ntt_json_begin_array(&j);
    for (guint i = 0; i < m.points->len; i++)
        geojson_point(&j, &g_array_index(m.points, map_point_t, i));
    for (guint i = 0; i < m.lines->len; i++)
        geojson_line(&j, &m, &g_array_index(m.lines, map_line_t, i));
    ntt_json_end_array(&j);
    ntt_json_end_object(&j);
    g_string_append_c(out, '\n');
    map_free(&m);
}
