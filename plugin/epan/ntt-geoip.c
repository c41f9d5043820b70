/* ntt-geoip.c
 * GeoIP in Wireshark: which databases answer, the ntt.geo.* fields, and
 * the country lists of the unusual-geography check.
 *
 * The databases are read by the engine (ntt/geo.h) with libmaxminddb,
 * synchronously, so every pass -- the GUI's first one too -- shows the
 * same answer (Wireshark's own ip.geoip asks a helper process and may not
 * have the answer yet). Which database serves a role, in order:
 *   1. the preference (ntt.geoip_city_db, ntt.geoip_asn_db), if set;
 *   2. a MaxMind or DB-IP database where Wireshark looks for them: the
 *      folders of its "MaxMind database directories" preference
 *      (Name Resolution; the maxmind_db_paths file), then /usr/share/GeoIP
 *      and /var/lib/GeoIP;
 *   3. ntt's open database (country and ASN from IPFire's data, built at
 *      install time: docs/geoip-open-data.md), in ~/.local/share/ntt or a
 *      system data folder.
 * A preference that names a database that cannot be opened switches that
 * role off (with one message) rather than quietly using another.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-geoip.h"

#include <string.h>

#include <epan/proto.h>
#include <wsutil/filesystem.h>
#include <wsutil/report_message.h>

#include "ntt/addr-scope.h"
#include "ntt/geo.h"
#include "ntt-compat.h"
#include "ntt-report-once.h"

#define OPEN_GEO_FILE "ntt-open-geo.mmdb"

/* The fields of one end of a packet. */
typedef struct end_fields {
    int country, country_name, city, subdivision, lat, lon, asn, org, scope;
} end_fields_t;

enum { END_SRC = 0, END_DST = 1 };

static end_fields_t hf_end[2] = {
    { -1, -1, -1, -1, -1, -1, -1, -1, -1 },
    { -1, -1, -1, -1, -1, -1, -1, -1, -1 },
};
static gint ett_geo = -1;

static ntt_pref_bool_t pref_geoip = TRUE;
static const char *pref_city_db = "";
static const char *pref_asn_db = "";
static const char *pref_watch = "";
static const char *pref_allow = "";
/* The lists as checked by ntt_geoip_check_prefs(): what the detector gets. */
static char watch_checked[256];
static char allow_checked[256];

static const char *const geoip_dirs[] = {
    "/usr/share/GeoIP", "/var/lib/GeoIP",
};

/* One record of a UAT file: "text" with \\ and \xNN escapes. NULL when
 * the line holds none. g_free() the result. */
static char *uat_string(const char *line)
{
    GString *out;
    const char *p = strchr(line, '"');

    if (!p)
        return NULL;
    out = g_string_new(NULL);
    for (p++; *p && *p != '"'; p++) {
        if (p[0] == '\\' && p[1] == 'x' && g_ascii_isxdigit(p[2]) && g_ascii_isxdigit(p[3])) {
            g_string_append_c(out, (char)(g_ascii_xdigit_value(p[2]) * 16 +
                                          g_ascii_xdigit_value(p[3])));
            p += 3;
        } else if (p[0] == '\\' && p[1]) {
            g_string_append_c(out, *++p);
        } else {
            g_string_append_c(out, *p);
        }
    }
    return g_string_free(out, out->len == 0);
}

/* Where Wireshark looks for MaxMind databases: the folders a user added
 * in its preferences (Name Resolution > MaxMind database directories,
 * saved as the maxmind_db_paths UAT file), then the system folders. */
static GPtrArray *wireshark_db_dirs(void)
{
    GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
    char *path = get_persconffile_path("maxmind_db_paths", FALSE);
    char *text = NULL;

    if (path && g_file_get_contents(path, &text, NULL, NULL)) {
        char **lines = g_strsplit(text, "\n", -1);

        for (char **l = lines; *l; l++) {
            char *dir = (**l == '#') ? NULL : uat_string(*l);

            if (dir)
                g_ptr_array_add(dirs, dir);
        }
        g_strfreev(lines);
        g_free(text);
    }
    g_free(path);
    for (size_t i = 0; i < G_N_ELEMENTS(geoip_dirs); i++)
        g_ptr_array_add(dirs, g_strdup(geoip_dirs[i]));
    return dirs;
}

/* Best first: a city database answers everything a country one does. */
static const char *const location_files[] = {
    "GeoIP2-City.mmdb", "GeoLite2-City.mmdb", "dbip-city-lite.mmdb",
    "GeoIP2-Country.mmdb", "GeoLite2-Country.mmdb", "dbip-country-lite.mmdb",
};

static const char *const asn_files[] = {
    "GeoLite2-ASN.mmdb", "GeoIP2-ASN.mmdb", "dbip-asn-lite.mmdb",
};

/* The first readable file among dirs x names; g_free() it. */
static char *find_in(const char *const *dirs, size_t ndirs,
                     const char *const *names, size_t nnames)
{
    for (size_t n = 0; n < nnames; n++) {
        for (size_t d = 0; d < ndirs; d++) {
            char *path = g_build_filename(dirs[d], names[n], NULL);

            if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
                return path;
            g_free(path);
        }
    }
    return NULL;
}

/* ntt's open database: the user's data folder, then the system's. */
static char *find_open_database(void)
{
    const char *const *system_dirs = g_get_system_data_dirs();
    GPtrArray *dirs = g_ptr_array_new_with_free_func(g_free);
    const char *name = OPEN_GEO_FILE;
    char *found;

    g_ptr_array_add(dirs, g_build_filename(g_get_user_data_dir(), "ntt", NULL));
    for (size_t i = 0; system_dirs[i]; i++)
        g_ptr_array_add(dirs, g_build_filename(system_dirs[i], "ntt", NULL));
#ifdef NTT_OPEN_GEO_DIR
    g_ptr_array_add(dirs, g_strdup(NTT_OPEN_GEO_DIR));
#endif
    found = find_in((const char *const *)dirs->pdata, dirs->len, &name, 1);
    g_ptr_array_free(dirs, TRUE);
    return found;
}

static void attach(ntt_geo_t *geo, ntt_geo_role_t role, const char *path,
                   const char *pref_name)
{
    char *error = NULL;

    if (!ntt_geo_attach(geo, role, path, &error)) {
        char *message = g_strdup_printf("ntt: GeoIP %s lookups are off: %s%s%s",
                                        role == NTT_GEO_ASN ? "ASN" : "location",
                                        error ? error : path,
                                        pref_name ? " (preference ntt." : "",
                                        pref_name ? pref_name : "");
        char *full = pref_name ? g_strconcat(message, ")", NULL) : g_strdup(message);

        ntt_report_once(full);
        g_free(full);
        g_free(message);
        g_free(error);
    }
}

/* The role's database: the preference, else the first one found. */
static void attach_role(ntt_geo_t *geo, ntt_geo_role_t role, const char *pref_path,
                        const char *pref_name, const char *const *names,
                        size_t nnames, const char *open_db)
{
    char *found;

    if (pref_path && *pref_path) {
        attach(geo, role, pref_path, pref_name);
        return;
    }
    {
        GPtrArray *dirs = wireshark_db_dirs();

        found = find_in((const char *const *)dirs->pdata, dirs->len, names, nnames);
        g_ptr_array_free(dirs, TRUE);
    }
    if (found) {
        attach(geo, role, found, NULL);
        g_free(found);
    }
    if (!ntt_geo_has(geo, role) && open_db)
        attach(geo, role, open_db, NULL);
}

ntt_geo_t *ntt_geoip_open(void)
{
    ntt_geo_t *geo;
    char *open_db;

    if (!pref_geoip)
        return NULL;
    geo = ntt_geo_new(0);
    open_db = find_open_database();
    attach_role(geo, NTT_GEO_LOCATION, pref_city_db, "geoip_city_db",
                location_files, G_N_ELEMENTS(location_files), open_db);
    attach_role(geo, NTT_GEO_ASN, pref_asn_db, "geoip_asn_db",
                asn_files, G_N_ELEMENTS(asn_files), open_db);
    g_free(open_db);
    if (!ntt_geo_has(geo, NTT_GEO_LOCATION) && !ntt_geo_has(geo, NTT_GEO_ASN)) {
        ntt_geo_free(geo);
        return NULL;
    }
    return geo;
}

/* "cn, RU;kp" -> "CN,RU,KP"; false (and *bad the first bad word) when a
 * word is not a two-letter code. */
static bool normalize_countries(const char *text, char *out, size_t size,
                                char **bad)
{
    char **words = g_strsplit_set(text ? text : "", ", ;\t", -1);
    GString *list = g_string_new(NULL);
    bool ok = true;

    for (char **w = words; *w; w++) {
        if (!**w)
            continue;
        if (strlen(*w) != 2 || !g_ascii_isalpha((*w)[0]) || !g_ascii_isalpha((*w)[1])) {
            *bad = g_strdup(*w);
            ok = false;
            break;
        }
        if (list->len)
            g_string_append_c(list, ',');
        g_string_append_c(list, g_ascii_toupper((*w)[0]));
        g_string_append_c(list, g_ascii_toupper((*w)[1]));
    }
    if (ok && list->len >= size) {
        *bad = g_strdup("(the list is too long)");
        ok = false;
    }
    g_strlcpy(out, ok ? list->str : "", size);
    g_string_free(list, TRUE);
    g_strfreev(words);
    return ok;
}

static void check_country_pref(const char *value, char *out, size_t size,
                               const char *name)
{
    char *bad = NULL;

    if (!normalize_countries(value, out, size, &bad)) {
        report_failure("ntt: preference ntt.%s: '%s' is not an ISO 3166 country "
                       "code (two letters, e.g. CN,RU); the list is ignored",
                       name, bad);
        g_free(bad);
    }
}

void ntt_geoip_check_prefs(void)
{
    check_country_pref(pref_watch, watch_checked, sizeof watch_checked,
                       "geo_watch_countries");
    check_country_pref(pref_allow, allow_checked, sizeof allow_checked,
                       "geo_allow_countries");
}

void ntt_geoip_detect_config(ntt_detect_config_t *config)
{
    g_strlcpy(config->geo_watch_countries, watch_checked,
              sizeof config->geo_watch_countries);
    g_strlcpy(config->geo_allow_countries, allow_checked,
              sizeof config->geo_allow_countries);
}

static proto_item *generated(proto_item *item)
{
    proto_item_set_generated(item);
    return item;
}

static void add_string(proto_tree *tree, int hf, tvbuff_t *tvb, const char *value)
{
    if (value && *value)
        generated(proto_tree_add_string(tree, hf, tvb, 0, 0, value));
}

static void add_end(proto_tree *tree, tvbuff_t *tvb, const end_fields_t *hf,
                    const ntt_geo_info_t *info, const ntt_addr_t *addr,
                    uint8_t ip_version)
{
    add_string(tree, hf->country, tvb, info->country);
    add_string(tree, hf->country_name, tvb, info->country_name);
    add_string(tree, hf->city, tvb, info->city);
    add_string(tree, hf->subdivision, tvb, info->subdivision);
    if (info->has_location) {
        generated(proto_tree_add_double(tree, hf->lat, tvb, 0, 0, info->lat));
        generated(proto_tree_add_double(tree, hf->lon, tvb, 0, 0, info->lon));
    }
    if (info->asn)
        generated(proto_tree_add_uint(tree, hf->asn, tvb, 0, 0, info->asn));
    add_string(tree, hf->org, tvb, info->org);
    generated(proto_tree_add_string(tree, hf->scope, tvb, 0, 0,
                                    ntt_addr_scope_name(ntt_addr_scope(addr, ip_version))));
}

void ntt_geoip_add_tree(proto_tree *tree, tvbuff_t *tvb,
                        const ntt_engine_t *engine, const ntt_frame_t *frame)
{
    const ntt_flow_summary_t *flow = ntt_engine_flow(engine, frame->flow.flow_id);
    const ntt_geo_t *geo = ntt_engine_geo(engine);
    uint32_t ids[2] = { NTT_GEO_NONE, NTT_GEO_NONE };
    const ntt_addr_t *addrs[2];
    proto_item *ti;
    proto_tree *geo_tree;

    if (!flow)
        return;
    /* Sender first, as ip.src / ip.dst. */
    if (frame->flow.dir == NTT_DIR_ORIG) {
        addrs[END_SRC] = &flow->orig_addr;
        addrs[END_DST] = &flow->resp_addr;
    } else {
        addrs[END_SRC] = &flow->resp_addr;
        addrs[END_DST] = &flow->orig_addr;
    }
    if (geo) {
        ids[END_SRC] = flow->geo[frame->flow.dir];
        ids[END_DST] = flow->geo[!frame->flow.dir];
    }

    geo_tree = proto_tree_add_subtree(tree, tvb, 0, 0, ett_geo, &ti, "GeoIP");
    generated(ti);
    for (int end = END_SRC; end <= END_DST; end++) {
        static const ntt_geo_info_t none;
        const ntt_geo_info_t *info = geo ? ntt_geo_info(geo, ids[end]) : &none;

        add_end(geo_tree, tvb, &hf_end[end], info, addrs[end], flow->ip_version);
    }
}

#define END_HF(i, end, who)                                                   \
    { &hf_end[i].country,                                                     \
      { who " country", "ntt.geo." end ".country", FT_STRING, BASE_NONE,      \
        NULL, 0x0, "ISO 3166-1 code of the " who "'s country (GeoIP)", HFILL }}, \
    { &hf_end[i].country_name,                                                \
      { who " country name", "ntt.geo." end ".country_name", FT_STRING,       \
        BASE_NONE, NULL, 0x0, "English name of the " who "'s country", HFILL }}, \
    { &hf_end[i].city,                                                        \
      { who " city", "ntt.geo." end ".city", FT_STRING, BASE_NONE, NULL, 0x0, \
        "English name of the " who "'s city (City databases only)", HFILL }}, \
    { &hf_end[i].subdivision,                                                 \
      { who " subdivision", "ntt.geo." end ".subdivision", FT_STRING,         \
        BASE_NONE, NULL, 0x0, "The " who "'s largest subdivision (state, "   \
        "region)", HFILL }},                                                  \
    { &hf_end[i].lat,                                                         \
      { who " latitude", "ntt.geo." end ".lat", FT_DOUBLE, BASE_NONE, NULL,   \
        0x0, "Latitude of the " who " (City databases only)", HFILL }},       \
    { &hf_end[i].lon,                                                         \
      { who " longitude", "ntt.geo." end ".lon", FT_DOUBLE, BASE_NONE, NULL,  \
        0x0, "Longitude of the " who " (City databases only)", HFILL }},      \
    { &hf_end[i].asn,                                                         \
      { who " AS number", "ntt.geo." end ".asn", FT_UINT32, BASE_DEC, NULL,   \
        0x0, "Autonomous system the " who "'s address belongs to", HFILL }},  \
    { &hf_end[i].org,                                                         \
      { who " AS organization", "ntt.geo." end ".org", FT_STRING, BASE_NONE,  \
        NULL, 0x0, "Organization of that autonomous system", HFILL }},        \
    { &hf_end[i].scope,                                                       \
      { who " scope", "ntt.geo." end ".scope", FT_STRING, BASE_NONE, NULL,    \
        0x0, "global, private, loopback, link-local, multicast, documentation " \
        "or reserved (no database needed)", HFILL }}

void ntt_geoip_register(int proto, module_t *module)
{
    static hf_register_info hf[] = {
        END_HF(END_SRC, "src", "Source"),
        END_HF(END_DST, "dst", "Destination"),
    };
    static gint *ett[] = { &ett_geo };

    proto_register_field_array(proto, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));

    prefs_register_bool_preference(module, "geoip", "Look up GeoIP",
        "Country, city and autonomous system of both ends of every flow, from "
        "MaxMind-format databases (docs/geoip.md)", &pref_geoip);
    prefs_register_filename_preference(module, "geoip_city_db",
        "GeoIP City or Country database",
        "A City or Country .mmdb (GeoLite2-City.mmdb, GeoIP2-Country.mmdb ...); "
        "empty: the first found in Wireshark's MaxMind database directories, "
        "/usr/share/GeoIP or /var/lib/GeoIP, else ntt's open country database",
        &pref_city_db, FALSE);
    prefs_register_filename_preference(module, "geoip_asn_db",
        "GeoIP ASN database",
        "An ASN .mmdb (GeoLite2-ASN.mmdb ...); empty: the first found in "
        "Wireshark's MaxMind database directories, /usr/share/GeoIP or "
        "/var/lib/GeoIP, else ntt's open database",
        &pref_asn_db, FALSE);
    prefs_register_string_preference(module, "geo_watch_countries",
        "Watched countries",
        "ISO 3166 codes, comma-separated (CN,RU): traffic with any of them "
        "raises a geo alert per external address", &pref_watch);
    prefs_register_string_preference(module, "geo_allow_countries",
        "Allowed countries",
        "ISO 3166 codes, comma-separated: when set, traffic with any other "
        "(known) country raises a geo alert per external address", &pref_allow);
}
