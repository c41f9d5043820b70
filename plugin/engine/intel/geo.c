/* geo.c
 * The GeoIP resolver: MaxMind-format databases read with libmaxminddb
 * (memory-mapped), a per-address cache in front of them, and answer ids.
 *
 * An answer is the pair of database records an address led to (its
 * location record and its ASN record, by their offsets in the data
 * sections), so every address of one record shares one id and one copy
 * of the strings. The strings are interned in a GStringChunk owned by
 * the resolver. Answers are never forgotten while the resolver lives
 * (ids stored per flow must stay meaningful); the address cache is
 * cleared whenever it is full, which only costs speed.
 *
 * Nothing read from a database is trusted: a lookup or a value that
 * libmaxminddb reports as broken is simply absent.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/geo.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <netinet/in.h>

#include <glib.h>
#include <maxminddb.h>

#include "ntt/packet.h"
#include "util/hash.h"
#include "util/hash-table.h"
#include "util/memcap.h"

#define GEO_DEFAULT_CACHE_CAP 65536u
/* Distinct answers kept. Far above what a capture meets (one per
 * city/network pair touched); past it, new answers are "unknown". */
#define GEO_MAX_ANSWERS (1u << 20)
/* libmaxminddb looks for the metadata marker in the last 128 KiB. */
#define GEO_METADATA_WINDOW (128u * 1024u)

static const char metadata_marker[] = "\xab\xcd\xefMaxMind.com";

typedef struct geo_database {
    bool   open;
    MMDB_s mmdb;
    char  *description;   /* ntt_geo_describe() */
} geo_database_t;

/* An address as the cache keys it (IPv4: the first 4 bytes, the rest 0). */
typedef struct geo_cache_key {
    uint8_t bytes[16];
    uint8_t ip_version;
} geo_cache_key_t;

/* One cached address. */
typedef struct geo_cache_entry {
    ntt_hash_link_t link;
    geo_cache_key_t key;
    uint32_t        id;
} geo_cache_entry_t;

/* Which records an address led to; found_* false means "no record". */
typedef struct geo_answer_key {
    uint32_t location_offset;
    uint32_t asn_offset;
    bool     location_found;
    bool     asn_found;
} geo_answer_key_t;

struct ntt_geo {
    uint32_t       cache_cap;
    geo_database_t databases[NTT_GEO_ROLE_COUNT];
    ntt_hash_table_t cache;      /* geo_cache_entry_t, by address */
    ntt_memcap_account_t *cache_bytes; /* the engine's memcap, once attached */
    GHashTable    *answer_ids;   /* geo_answer_key_t * -> id */
    GPtrArray     *answers;      /* ntt_geo_info_t *, index = id */
    GStringChunk  *strings;
};

static const ntt_geo_info_t empty_info;

/* g_memdup2() needs GLib 2.68; this is all of it we use. */
static gpointer copy_of(gconstpointer data, size_t size)
{
    gpointer copy = g_malloc(size);

    memcpy(copy, data, size);
    return copy;
}

/* -- hashing ------------------------------------------------------------ */

static guint answer_key_hash(gconstpointer key)
{
    const geo_answer_key_t *k = key;
    uint32_t packed[3] = { k->location_offset, k->asn_offset,
                           (uint32_t)k->location_found << 1 | k->asn_found };

    /* Database offsets, not traffic: the fixed seed is enough. */
    return (guint)ntt_hash_bytes(packed, sizeof packed, NTT_HASH_DEFAULT_SEED);
}

static size_t cache_entry_bytes(void)
{
    return ntt_memcap_malloc_size(sizeof(geo_cache_entry_t));
}

static void free_cache_entry(ntt_hash_link_t *link, void *ctx)
{
    ntt_geo_t *geo = ctx;

    g_free(NTT_HASH_ENTRY(link, geo_cache_entry_t, link));
    ntt_memcap_release(geo->cache_bytes, cache_entry_bytes());
}

static void cache_clear(ntt_geo_t *geo)
{
    ntt_hash_table_drain(&geo->cache, free_cache_entry, geo);
}

/* The cache changes speed, never answers: in emergency mode it goes. */
static void cache_relieve(void *ctx, size_t bytes)
{
    ntt_geo_t *geo = ctx;

    (void)bytes;
    geo->cache_bytes->emergency_evicted += geo->cache.count;
    cache_clear(geo);
}

static void cache_init(ntt_geo_t *geo, ntt_memcap_account_t *account)
{
    ntt_hash_table_init(&geo->cache,
                        offsetof(geo_cache_entry_t, key) - offsetof(geo_cache_entry_t, link),
                        sizeof(geo_cache_key_t), ntt_memcap_account_seed(account), account);
}

void ntt_geo_use_memcap(ntt_geo_t *geo, struct ntt_memcap *memcap)
{
    if (geo == NULL || memcap == NULL)
        return;
    cache_clear(geo);
    ntt_memcap_set_relief(geo->cache_bytes, NULL, NULL);
    geo->cache_bytes = ntt_memcap_open(memcap, "geoip.cache");
    ntt_memcap_set_relief(geo->cache_bytes, cache_relieve, geo);
    cache_init(geo, geo->cache_bytes);
}

static gboolean answer_key_equal(gconstpointer a, gconstpointer b)
{
    const geo_answer_key_t *x = a, *y = b;

    return x->location_found == y->location_found &&
           x->asn_found == y->asn_found &&
           (!x->location_found || x->location_offset == y->location_offset) &&
           (!x->asn_found || x->asn_offset == y->asn_offset);
}

/* -- life --------------------------------------------------------------- */

ntt_geo_t *ntt_geo_new(uint32_t cache_cap)
{
    ntt_geo_t *geo = g_new0(ntt_geo_t, 1);

    geo->cache_cap = cache_cap ? cache_cap : GEO_DEFAULT_CACHE_CAP;
    cache_init(geo, NULL);
    geo->answer_ids = g_hash_table_new_full(answer_key_hash, answer_key_equal,
                                            g_free, NULL);
    geo->answers = g_ptr_array_new_with_free_func(g_free);
    geo->strings = g_string_chunk_new(4096);
    /* id 0: nothing known. */
    g_ptr_array_add(geo->answers, g_new0(ntt_geo_info_t, 1));
    return geo;
}

static void close_database(geo_database_t *db)
{
    if (db->open)
        MMDB_close(&db->mmdb);
    db->open = false;
    g_clear_pointer(&db->description, g_free);
}

void ntt_geo_free(ntt_geo_t *geo)
{
    if (geo == NULL)
        return;
    for (int role = 0; role < NTT_GEO_ROLE_COUNT; role++)
        close_database(&geo->databases[role]);
    cache_clear(geo);
    ntt_memcap_set_relief(geo->cache_bytes, NULL, NULL);
    g_hash_table_destroy(geo->answer_ids);
    g_ptr_array_free(geo->answers, TRUE);
    g_string_chunk_free(geo->strings);
    g_free(geo);
}

/* -- attaching ---------------------------------------------------------- */

/* True when the file's tail holds MaxMind's metadata marker: then a
 * metadata error means a damaged database, not some other file. */
static bool has_metadata_marker(const char *path)
{
    FILE *file = fopen(path, "rb");
    bool found = false;

    if (file == NULL)
        return false;
    char *window = g_malloc(GEO_METADATA_WINDOW);
    size_t marker_len = sizeof metadata_marker - 1;
    if (fseek(file, 0, SEEK_END) == 0) {
        long size = ftell(file);
        long start = size > (long)GEO_METADATA_WINDOW ? size - (long)GEO_METADATA_WINDOW : 0;
        if (size > 0 && fseek(file, start, SEEK_SET) == 0) {
            size_t got = fread(window, 1, GEO_METADATA_WINDOW, file);
            for (size_t i = 0; !found && i + marker_len <= got; i++)
                found = memcmp(window + i, metadata_marker, marker_len) == 0;
        }
    }
    g_free(window);
    fclose(file);
    return found;
}

static bool type_contains(const char *type, const char *word)
{
    return type != NULL && strstr(type, word) != NULL;
}

static bool serves_role(const char *type, ntt_geo_role_t role)
{
    if (type_contains(type, "ntt-open"))
        return true;
    /* GeoIP2-Enterprise is a City database with more in it. */
    if (role == NTT_GEO_LOCATION)
        return type_contains(type, "City") || type_contains(type, "Country") ||
               type_contains(type, "Enterprise");
    return type_contains(type, "ASN");
}

static char *describe_database(const MMDB_s *mmdb, const char *path)
{
    const char *type = mmdb->metadata.database_type;
    GDateTime *built = NULL;
    char *date = NULL;

    if (mmdb->metadata.build_epoch <= (uint64_t)G_MAXINT64)
        built = g_date_time_new_from_unix_utc((gint64)mmdb->metadata.build_epoch);
    if (built != NULL) {
        date = g_date_time_format(built, "%Y-%m-%d");
        g_date_time_unref(built);
    }
    char *text = g_strdup_printf("%s built %s (%s)",
                                 type && *type ? type : "MaxMind database",
                                 date ? date : "at an unknown date", path);
    g_free(date);
    return text;
}

/* Forgets which records led to which answers (the offsets belong to the
 * database being replaced) and what addresses resolved to; the answers
 * themselves stay valid behind their ids. */
static void forget_lookups(ntt_geo_t *geo)
{
    cache_clear(geo);
    g_hash_table_remove_all(geo->answer_ids);
}

static void set_error(char **error, char *message)
{
    if (error != NULL)
        *error = message;
    else
        g_free(message);
}

bool ntt_geo_attach(ntt_geo_t *geo, ntt_geo_role_t role, const char *path,
                    char **error)
{
    struct stat st;

    if (error != NULL)
        *error = NULL;
    if (geo == NULL || (unsigned)role >= NTT_GEO_ROLE_COUNT || path == NULL) {
        set_error(error, g_strdup("no database given"));
        return false;
    }
    /* libmaxminddb says "error opening the file" for a missing file and
     * "IO error" for an empty one: say what really is the matter. */
    if (stat(path, &st) != 0) {
        set_error(error, g_strdup_printf("cannot open %s: %s", path,
                                         g_strerror(errno)));
        return false;
    }
    if (S_ISDIR(st.st_mode)) {
        set_error(error, g_strdup_printf("cannot open %s: %s", path,
                                         g_strerror(EISDIR)));
        return false;
    }
    if (st.st_size == 0) {
        set_error(error, g_strdup_printf("%s is not a MaxMind database "
                                         "(the file is empty)", path));
        return false;
    }

    MMDB_s mmdb;
    int status = MMDB_open(path, MMDB_MODE_MMAP, &mmdb);
    if (status != MMDB_SUCCESS) {
        if (status == MMDB_FILE_OPEN_ERROR)
            set_error(error, g_strdup_printf("cannot open %s: %s", path,
                                             g_strerror(errno)));
        else if (status == MMDB_INVALID_METADATA_ERROR && !has_metadata_marker(path))
            set_error(error, g_strdup_printf("%s is not a MaxMind database (%s)",
                                             path, MMDB_strerror(status)));
        else
            set_error(error, g_strdup_printf("%s is a damaged MaxMind database (%s)",
                                             path, MMDB_strerror(status)));
        return false;
    }

    const char *type = mmdb.metadata.database_type;
    if (!serves_role(type, role)) {
        const char *named = type != NULL && *type != '\0' ? type : "untyped";
        bool vowel = strchr("AEIOUaeiou", named[0]) != NULL;
        set_error(error, g_strdup_printf("%s is %s %s database, not %s one", path,
                                         vowel ? "an" : "a", named,
                                         role == NTT_GEO_LOCATION ? "a City/Country"
                                                                  : "an ASN"));
        MMDB_close(&mmdb);
        return false;
    }

    geo_database_t *db = &geo->databases[role];
    close_database(db);
    db->mmdb = mmdb;
    db->open = true;
    db->description = describe_database(&db->mmdb, path);
    forget_lookups(geo);
    return true;
}

bool ntt_geo_has(const ntt_geo_t *geo, ntt_geo_role_t role)
{
    return geo != NULL && (unsigned)role < NTT_GEO_ROLE_COUNT &&
           geo->databases[role].open;
}

const char *ntt_geo_describe(const ntt_geo_t *geo, ntt_geo_role_t role)
{
    if (!ntt_geo_has(geo, role))
        return NULL;
    return geo->databases[role].description;
}

/* -- reading records ---------------------------------------------------- */

/* A string at a path in a record, interned; NULL when absent, empty, not
 * a string or unreadable. */
static const char *record_string(ntt_geo_t *geo, MMDB_entry_s *entry, ...)
{
    MMDB_entry_data_s data;
    va_list path;

    va_start(path, entry);
    int status = MMDB_vget_value(entry, &data, path);
    va_end(path);
    if (status != MMDB_SUCCESS || !data.has_data ||
        data.type != MMDB_DATA_TYPE_UTF8_STRING || data.data_size == 0)
        return NULL;

    char small[256];
    char *copy = data.data_size < sizeof small ? small : g_malloc(data.data_size + 1);
    memcpy(copy, data.utf8_string, data.data_size);
    copy[data.data_size] = '\0';
    const char *interned = NULL;
    /* A string with an embedded NUL or broken UTF-8 is damaged data. */
    if (strlen(copy) == data.data_size && g_utf8_validate(copy, -1, NULL))
        interned = g_string_chunk_insert_const(geo->strings, copy);
    if (copy != small)
        g_free(copy);
    return interned;
}

static bool record_double(MMDB_entry_s *entry, const char *map, const char *key,
                          double *value)
{
    MMDB_entry_data_s data;

    if (MMDB_get_value(entry, &data, map, key, NULL) != MMDB_SUCCESS || !data.has_data)
        return false;
    if (data.type == MMDB_DATA_TYPE_DOUBLE)
        *value = data.double_value;
    else if (data.type == MMDB_DATA_TYPE_FLOAT)
        *value = data.float_value;
    else
        return false;
    return isfinite(*value);
}

static uint32_t record_uint32(MMDB_entry_s *entry, const char *key)
{
    MMDB_entry_data_s data;

    if (MMDB_get_value(entry, &data, key, NULL) != MMDB_SUCCESS || !data.has_data)
        return 0;
    switch (data.type) {
    case MMDB_DATA_TYPE_UINT16: return data.uint16;
    case MMDB_DATA_TYPE_UINT32: return data.uint32;
    case MMDB_DATA_TYPE_UINT64: return data.uint64 <= UINT32_MAX ? (uint32_t)data.uint64 : 0;
    case MMDB_DATA_TYPE_INT32:  return data.int32 > 0 ? (uint32_t)data.int32 : 0;
    default:                    return 0;
    }
}

static void read_country(ntt_geo_t *geo, MMDB_entry_s *entry, const char *map,
                         ntt_geo_info_t *info)
{
    const char *code = record_string(geo, entry, map, "iso_code", NULL);

    if (code != NULL && strlen(code) == 2)
        memcpy(info->country, code, 3);
    info->country_name = record_string(geo, entry, map, "names", "en", NULL);
}

static void read_location(ntt_geo_t *geo, MMDB_entry_s *entry, ntt_geo_info_t *info)
{
    read_country(geo, entry, "country", info);
    /* Some networks (anycast, satellite...) only say where they are
     * registered. */
    if (info->country[0] == '\0' && info->country_name == NULL)
        read_country(geo, entry, "registered_country", info);
    info->city = record_string(geo, entry, "city", "names", "en", NULL);
    info->subdivision = record_string(geo, entry, "subdivisions", "0", "names", "en", NULL);

    double lat, lon;
    if (record_double(entry, "location", "latitude", &lat) &&
        record_double(entry, "location", "longitude", &lon) &&
        fabs(lat) <= 90.0 && fabs(lon) <= 180.0) {
        info->has_location = true;
        info->lat = lat;
        info->lon = lon;
    }
}

static void read_asn(ntt_geo_t *geo, MMDB_entry_s *entry, ntt_geo_info_t *info)
{
    info->asn = record_uint32(entry, "autonomous_system_number");
    info->org = record_string(geo, entry, "autonomous_system_organization", NULL);
}

static bool info_is_empty(const ntt_geo_info_t *info)
{
    return info->country[0] == '\0' && info->country_name == NULL &&
           info->city == NULL && info->subdivision == NULL &&
           !info->has_location && info->asn == 0 && info->org == NULL;
}

/* -- lookups ------------------------------------------------------------ */

/* The record a database holds for an address; false when none (or the
 * database is broken there). */
static bool find_record(const geo_database_t *db, const struct sockaddr *address,
                        MMDB_entry_s *entry)
{
    int mmdb_error = MMDB_SUCCESS;

    if (!db->open)
        return false;
    MMDB_lookup_result_s result = MMDB_lookup_sockaddr(&db->mmdb, address, &mmdb_error);
    if (mmdb_error != MMDB_SUCCESS || !result.found_entry)
        return false;
    *entry = result.entry;
    return true;
}

static uint32_t resolve(ntt_geo_t *geo, const uint8_t *bytes, uint8_t ip_version)
{
    static const uint8_t v4_mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
    struct sockaddr_in v4 = { .sin_family = AF_INET };
    struct sockaddr_in6 v6 = { .sin6_family = AF_INET6 };
    const struct sockaddr *address;

    /* An IPv4-mapped IPv6 address is its IPv4 address: that finds the
     * IPv4 data in IPv4 databases and in IPv6 ones alike. */
    if (ip_version == 6 && memcmp(bytes, v4_mapped, sizeof v4_mapped) == 0) {
        bytes += 12;
        ip_version = 4;
    }
    if (ip_version == 4) {
        memcpy(&v4.sin_addr, bytes, 4);
        address = (const struct sockaddr *)&v4;
    } else {
        memcpy(&v6.sin6_addr, bytes, 16);
        address = (const struct sockaddr *)&v6;
    }

    MMDB_entry_s location, asn;
    geo_answer_key_t key = { 0 };
    key.location_found = find_record(&geo->databases[NTT_GEO_LOCATION], address, &location);
    key.asn_found = find_record(&geo->databases[NTT_GEO_ASN], address, &asn);
    if (!key.location_found && !key.asn_found)
        return NTT_GEO_NONE;
    if (key.location_found)
        key.location_offset = location.offset;
    if (key.asn_found)
        key.asn_offset = asn.offset;

    gpointer known;
    if (g_hash_table_lookup_extended(geo->answer_ids, &key, NULL, &known))
        return GPOINTER_TO_UINT(known);
    if (geo->answers->len >= GEO_MAX_ANSWERS)
        return NTT_GEO_NONE;

    ntt_geo_info_t info = { .country = "" };
    if (key.location_found)
        read_location(geo, &location, &info);
    if (key.asn_found)
        read_asn(geo, &asn, &info);

    uint32_t id = NTT_GEO_NONE;
    if (!info_is_empty(&info)) {
        id = geo->answers->len;
        g_ptr_array_add(geo->answers, copy_of(&info, sizeof info));
    }
    g_hash_table_insert(geo->answer_ids, copy_of(&key, sizeof key),
                        GUINT_TO_POINTER(id));
    return id;
}

uint32_t ntt_geo_lookup(ntt_geo_t *geo, const ntt_addr_t *addr, uint8_t ip_version)
{
    if (geo == NULL || addr == NULL || (ip_version != 4 && ip_version != 6))
        return NTT_GEO_NONE;
    if (!geo->databases[NTT_GEO_LOCATION].open && !geo->databases[NTT_GEO_ASN].open)
        return NTT_GEO_NONE;

    geo_cache_key_t probe = { .ip_version = ip_version };
    /* Only the first 4 bytes of an IPv4 address count, whatever follows. */
    memcpy(probe.bytes, addr->bytes, ip_version == 4 ? 4 : 16);
    uint32_t hash = ntt_hash_table_hash(&geo->cache, &probe);
    ntt_hash_link_t *cached = ntt_hash_table_find(&geo->cache, &probe, hash);
    if (cached)
        return NTT_HASH_ENTRY(cached, geo_cache_entry_t, link)->id;

    uint32_t id = resolve(geo, probe.bytes, ip_version);
    if (geo->cache.count >= geo->cache_cap)
        cache_clear(geo);
    /* No room under the memcap even after the relief: not cached. */
    if (!ntt_memcap_reserve(geo->cache_bytes, cache_entry_bytes())) {
        geo->cache_bytes->refused++;
        return id;
    }
    geo_cache_entry_t *entry = g_new0(geo_cache_entry_t, 1);
    entry->key = probe;
    entry->id = id;
    ntt_hash_table_insert(&geo->cache, &entry->link, hash);
    return id;
}

const ntt_geo_info_t *ntt_geo_info(const ntt_geo_t *geo, uint32_t id)
{
    if (geo == NULL || id >= geo->answers->len)
        return &empty_info;
    return g_ptr_array_index(geo->answers, id);
}

uint32_t ntt_geo_answer_count(const ntt_geo_t *geo)
{
    return geo != NULL ? geo->answers->len : 1u;
}
