/* report-geo.c
 * The Geography section of -z ntt,stats and the "geo" object of
 * -z ntt,json: which databases answered, the top countries and autonomous
 * systems by packets and bytes, and where the alerted sources are.
 *
 * A packet counts once for each country (and AS) among its two ends: a
 * packet between two hosts in the same country counts once there. The
 * work per packet is two array lookups: each GeoIP answer id is mapped,
 * the first time the report meets it, to its country and AS slots.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/report-data.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/json-writer.h"

#define NO_SLOT (-1)

/* What a GeoIP answer id counts under. */
typedef struct geo_slot {
    int32_t country;          /* index into countries, or NO_SLOT */
    int32_t asn;              /* index into asns, or NO_SLOT */
    bool    known;            /* mapped already */
} geo_slot_t;

typedef struct asn_count {
    uint32_t     asn;
    const char  *org;         /* owned by the resolver */
    ntt_counts_t counts;
} asn_count_t;

struct ntt_report_geo {
    GArray       *slots;      /* geo_slot_t, index = answer id */
    ntt_counts_t  countries[NTT_GEO_COUNTRIES];
    const char   *country_names[NTT_GEO_COUNTRIES];
    GArray       *asns;       /* asn_count_t */
    GHashTable   *asn_index;  /* asn -> index + 1 */
};

int ntt_geo_country_index(const char *code)
{
    if (code[0] < 'A' || code[0] > 'Z' || code[1] < 'A' || code[1] > 'Z')
        return NO_SLOT;
    return (code[0] - 'A') * 26 + (code[1] - 'A');
}

static void country_code(int index, char code[3])
{
    code[0] = (char)('A' + index / 26);
    code[1] = (char)('A' + index % 26);
    code[2] = '\0';
}

ntt_report_geo_t *ntt_report_geo_new(void)
{
    ntt_report_geo_t *g = g_new0(ntt_report_geo_t, 1);

    g->slots = g_array_new(FALSE, TRUE, sizeof(geo_slot_t));
    g->asns = g_array_new(FALSE, TRUE, sizeof(asn_count_t));
    g->asn_index = g_hash_table_new(g_direct_hash, g_direct_equal);
    return g;
}

void ntt_report_geo_free(ntt_report_geo_t *g)
{
    if (!g)
        return;
    g_array_free(g->slots, TRUE);
    g_array_free(g->asns, TRUE);
    g_hash_table_destroy(g->asn_index);
    g_free(g);
}

static const geo_slot_t *slot_of(ntt_report_geo_t *g, const ntt_geo_t *geo, uint32_t id)
{
    geo_slot_t *slot;
    const ntt_geo_info_t *info;

    if (id >= g->slots->len)
        g_array_set_size(g->slots, id + 1);
    slot = &g_array_index(g->slots, geo_slot_t, id);
    if (slot->known)
        return slot;
    slot->known = true;
    info = ntt_geo_info(geo, id);
    slot->country = ntt_geo_country_index(info->country);
    if (slot->country != NO_SLOT && !g->country_names[slot->country])
        g->country_names[slot->country] = info->country_name;
    slot->asn = NO_SLOT;
    if (info->asn) {
        guint index1 = GPOINTER_TO_UINT(g_hash_table_lookup(g->asn_index,
                                                            GUINT_TO_POINTER(info->asn)));

        if (!index1) {
            asn_count_t a = { info->asn, info->org, { 0, 0 } };

            g_array_append_val(g->asns, a);
            index1 = g->asns->len;
            g_hash_table_insert(g->asn_index, GUINT_TO_POINTER(info->asn),
                                GUINT_TO_POINTER(index1));
        }
        slot->asn = (int32_t)index1 - 1;
    }
    return slot;
}

static void add_counts(ntt_counts_t *c, uint32_t frame_len)
{
    c->pkts++;
    c->bytes += frame_len;
}

void ntt_report_geo_count(ntt_report_geo_t *g, const ntt_geo_t *geo,
                          const uint32_t ids[2], uint32_t frame_len)
{
    const geo_slot_t *a = slot_of(g, geo, ids[0]);
    int32_t a_country = a->country, a_asn = a->asn;   /* b may move the array */
    const geo_slot_t *b = slot_of(g, geo, ids[1]);

    if (a_country != NO_SLOT)
        add_counts(&g->countries[a_country], frame_len);
    if (b->country != NO_SLOT && b->country != a_country)
        add_counts(&g->countries[b->country], frame_len);
    if (a_asn != NO_SLOT)
        add_counts(&g_array_index(g->asns, asn_count_t, a_asn).counts, frame_len);
    if (b->asn != NO_SLOT && b->asn != a_asn)
        add_counts(&g_array_index(g->asns, asn_count_t, b->asn).counts, frame_len);
}

/* A row of a top table: index into countries or asns. */
typedef struct geo_row {
    int          index;
    ntt_counts_t counts;
    uint64_t     key;         /* ties: lower code / AS number first */
} geo_row_t;

static int compare_rows(const void *pa, const void *pb)
{
    const geo_row_t *a = pa, *b = pb;

    if (a->counts.bytes != b->counts.bytes)
        return a->counts.bytes > b->counts.bytes ? -1 : 1;
    if (a->counts.pkts != b->counts.pkts)
        return a->counts.pkts > b->counts.pkts ? -1 : 1;
    return a->key < b->key ? -1 : (a->key > b->key);
}

static geo_row_t *country_rows(const ntt_report_geo_t *g, unsigned *n)
{
    geo_row_t *rows = g_new(geo_row_t, NTT_GEO_COUNTRIES);

    *n = 0;
    for (int i = 0; i < NTT_GEO_COUNTRIES; i++) {
        if (g->countries[i].pkts)
            rows[(*n)++] = (geo_row_t){ i, g->countries[i], (uint64_t)i };
    }
    qsort(rows, *n, sizeof rows[0], compare_rows);
    return rows;
}

static geo_row_t *asn_rows(const ntt_report_geo_t *g, unsigned *n)
{
    geo_row_t *rows = g_new(geo_row_t, g->asns->len + 1);

    *n = 0;
    for (guint i = 0; i < g->asns->len; i++) {
        const asn_count_t *a = &g_array_index(g->asns, asn_count_t, i);

        if (a->counts.pkts)
            rows[(*n)++] = (geo_row_t){ (int)i, a->counts, a->asn };
    }
    qsort(rows, *n, sizeof rows[0], compare_rows);
    return rows;
}

/* Alerted sources per country: episodes whose source the databases place. */
static unsigned alert_countries(const ntt_report_t *r, uint32_t per_country[NTT_GEO_COUNTRIES])
{
    uint32_t n = ntt_engine_episode_count(r->engine);
    unsigned placed = 0;

    memset(per_country, 0, NTT_GEO_COUNTRIES * sizeof per_country[0]);
    for (uint32_t i = 0; i < n; i++) {
        const ntt_geo_info_t *info = ntt_engine_attacker_geo(r->engine,
                                                             ntt_engine_episode(r->engine, i));
        int c = info ? ntt_geo_country_index(info->country) : NO_SLOT;

        if (c != NO_SLOT) {
            per_country[c]++;
            placed++;
        }
    }
    return placed;
}

void ntt_report_render_geo_text(const ntt_report_t *r, GString *out)
{
    const ntt_report_geo_t *g = r->geo;
    const ntt_geo_t *geo = r->engine ? ntt_engine_geo(r->engine) : NULL;
    const char *loc, *asn;
    uint32_t per_country[NTT_GEO_COUNTRIES];
    geo_row_t *rows;
    unsigned n;

    if (!geo || !g)
        return;
    loc = ntt_geo_describe(geo, NTT_GEO_LOCATION);
    asn = ntt_geo_describe(geo, NTT_GEO_ASN);
    g_string_append(out, "\nGeography\n");
    g_string_append_printf(out, "  location database: %s\n", loc ? loc : "(none)");
    g_string_append_printf(out, "  ASN database:      %s\n", asn ? asn : "(none)");

    rows = country_rows(g, &n);
    g_string_append(out, "  country                               packets          bytes\n");
    for (unsigned i = 0; i < n && i < r->limits.top_n; i++) {
        char code[3];
        const char *name = g->country_names[rows[i].index];

        country_code(rows[i].index, code);
        g_string_append_printf(out, "  %-2s %-32.32s %10" PRIu64 " %14" PRIu64 "\n",
                               code, name ? name : "", rows[i].counts.pkts,
                               rows[i].counts.bytes);
    }
    if (n == 0)
        g_string_append(out, "  (no address placed in a country)\n");
    g_free(rows);

    rows = asn_rows(g, &n);
    if (n) {
        g_string_append(out, "  autonomous system                     packets          bytes\n");
        for (unsigned i = 0; i < n && i < r->limits.top_n; i++) {
            const asn_count_t *a = &g_array_index(g->asns, asn_count_t, rows[i].index);
            char label[48];

            snprintf(label, sizeof label, "AS%" PRIu32 " %s", a->asn, a->org ? a->org : "");
            g_string_append_printf(out, "  %-35.35s %10" PRIu64 " %14" PRIu64 "\n", label,
                                   rows[i].counts.pkts, rows[i].counts.bytes);
        }
    }
    g_free(rows);

    if (alert_countries(r, per_country)) {
        g_string_append(out, "  alerted sources by country:");
        for (int c = 0, first = 1; c < NTT_GEO_COUNTRIES; c++) {
            char code[3];

            if (!per_country[c])
                continue;
            country_code(c, code);
            g_string_append_printf(out, "%s %s %u", first ? "" : ",", code, per_country[c]);
            first = 0;
        }
        g_string_append_c(out, '\n');
    }
}

static void emit_database(ntt_json_t *j, const char *key, const ntt_geo_t *geo,
                          ntt_geo_role_t role)
{
    const char *d = ntt_geo_describe(geo, role);

    ntt_json_key(j, key);
    if (d)
        ntt_json_string(j, d);
    else
        ntt_json_null(j);
}

void ntt_report_emit_geo_json(const ntt_report_t *r, ntt_json_t *j)
{
    const ntt_report_geo_t *g = r->geo;
    const ntt_geo_t *geo = r->engine ? ntt_engine_geo(r->engine) : NULL;
    uint32_t per_country[NTT_GEO_COUNTRIES];
    geo_row_t *rows;
    unsigned n;

    ntt_json_key(j, "geo");
    if (!geo || !g) {
        ntt_json_null(j);
        return;
    }
    ntt_json_begin_object(j);
    ntt_json_key(j, "databases");
    ntt_json_begin_object(j);
    emit_database(j, "location", geo, NTT_GEO_LOCATION);
    emit_database(j, "asn", geo, NTT_GEO_ASN);
    ntt_json_end_object(j);

    rows = country_rows(g, &n);
    ntt_json_key(j, "countries");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < n && i < r->limits.top_n; i++) {
        char code[3];

        country_code(rows[i].index, code);
        ntt_json_begin_object(j);
        ntt_json_kv_string(j, "country", code);
        if (g->country_names[rows[i].index])
            ntt_json_kv_string(j, "name", g->country_names[rows[i].index]);
        ntt_json_kv_uint(j, "packets", rows[i].counts.pkts);
        ntt_json_kv_uint(j, "bytes", rows[i].counts.bytes);
        ntt_json_end_object(j);
    }
    ntt_json_end_array(j);
    g_free(rows);

    rows = asn_rows(g, &n);
    ntt_json_key(j, "asns");
    ntt_json_begin_array(j);
    for (unsigned i = 0; i < n && i < r->limits.top_n; i++) {
        const asn_count_t *a = &g_array_index(g->asns, asn_count_t, rows[i].index);

        ntt_json_begin_object(j);
        ntt_json_kv_uint(j, "asn", a->asn);
        if (a->org)
            ntt_json_kv_string(j, "org", a->org);
        ntt_json_kv_uint(j, "packets", rows[i].counts.pkts);
        ntt_json_kv_uint(j, "bytes", rows[i].counts.bytes);
        ntt_json_end_object(j);
    }
    ntt_json_end_array(j);
    g_free(rows);

    alert_countries(r, per_country);
    ntt_json_key(j, "alert_sources");
    ntt_json_begin_array(j);
    for (int c = 0; c < NTT_GEO_COUNTRIES; c++) {
        char code[3];

        if (!per_country[c])
            continue;
        country_code(c, code);
        ntt_json_begin_object(j);
        ntt_json_kv_string(j, "country", code);
        ntt_json_kv_uint(j, "episodes", per_country[c]);
        ntt_json_end_object(j);
    }
    ntt_json_end_array(j);
    ntt_json_end_object(j);
}
