/* test-geo.c
 * The GeoIP resolver against ntt's own fixtures (tests/geo-fixtures,
 * written at build time: see its README.md for the values asserted
 * here), then against MaxMind's official test databases when they are
 * next to the project, broken ones included.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <cmocka.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "ntt/geo.h"
#include "ntt/packet.h"

#ifndef NTT_GEO_FIXTURES_DIR
#error "NTT_GEO_FIXTURES_DIR is set by tests/geo-fixtures/CMakeLists.txt"
#endif
#ifndef NTT_MAXMIND_REFERENCE_DIR
#define NTT_MAXMIND_REFERENCE_DIR "/nonexistent"
#endif

#define CITY_DB    NTT_GEO_FIXTURES_DIR "/ntt-test-city.mmdb"
#define COUNTRY_DB NTT_GEO_FIXTURES_DIR "/ntt-test-country.mmdb"
#define ASN_DB     NTT_GEO_FIXTURES_DIR "/ntt-test-asn.mmdb"
#define REFERENCE  NTT_MAXMIND_REFERENCE_DIR "/test-data"

/* -- helpers ------------------------------------------------------------ */

static uint8_t parse(const char *text, ntt_addr_t *addr)
{
    memset(addr, 0, sizeof *addr);
    if (strchr(text, ':') != NULL) {
        assert_int_equal(inet_pton(AF_INET6, text, addr->bytes), 1);
        return 6;
    }
    assert_int_equal(inet_pton(AF_INET, text, addr->bytes), 1);
    return 4;
}

static uint32_t lookup(ntt_geo_t *geo, const char *text)
{
    ntt_addr_t addr;
    uint8_t version = parse(text, &addr);
    return ntt_geo_lookup(geo, &addr, version);
}

static void attach_ok(ntt_geo_t *geo, ntt_geo_role_t role, const char *path)
{
    char *error = NULL;
    bool ok = ntt_geo_attach(geo, role, path, &error);
    if (!ok)
        fail_msg("attaching %s: %s (are the fixtures built?)", path, error);
    assert_null(error);
    assert_true(ntt_geo_has(geo, role));
}

/* The resolver every fixture test starts from: City + ASN. */
static ntt_geo_t *city_and_asn(void)
{
    ntt_geo_t *geo = ntt_geo_new(0);
    attach_ok(geo, NTT_GEO_LOCATION, CITY_DB);
    attach_ok(geo, NTT_GEO_ASN, ASN_DB);
    return geo;
}

static void assert_string_or_null(const char *got, const char *expected)
{
    if (expected == NULL)
        assert_null(got);
    else {
        assert_non_null(got);
        assert_string_equal(got, expected);
    }
}

typedef struct expected_place {
    const char *country, *country_name, *city, *subdivision;
    bool        has_location;
    double      lat, lon;
    uint32_t    asn;
    const char *org;
} expected_place_t;

static const expected_place_t london = {
    "GB", "United Kingdom", "London", "England", true, 51.5142, -0.0931,
    64500, "Example Transit Ltd",
};
static const expected_place_t amsterdam = {
    "NL", "Netherlands", "Amsterdam", "North Holland", true, 52.3740, 4.8897,
    64511, "Example Bulletproof Hosting B.V.",
};
static const expected_place_t berlin = {
    "DE", "Germany", "Berlin", "Land Berlin", true, 52.5244, 13.4105,
    64501, "Example Cloud GmbH",
};
static const expected_place_t san_diego = {
    "US", "United States", "San Diego", "California", true, 32.7203, -117.1552,
    64502, "Example Broadband Inc.",
};

static void assert_place(const ntt_geo_info_t *info, const expected_place_t *want)
{
    assert_string_equal(info->country, want->country);
    assert_string_or_null(info->country_name, want->country_name);
    assert_string_or_null(info->city, want->city);
    assert_string_or_null(info->subdivision, want->subdivision);
    assert_int_equal(info->has_location, want->has_location);
    if (want->has_location) {
        assert_true(info->lat == want->lat);
        assert_true(info->lon == want->lon);
    }
    assert_int_equal(info->asn, want->asn);
    assert_string_or_null(info->org, want->org);
}

static void assert_lookup(ntt_geo_t *geo, const char *address, const expected_place_t *want)
{
    uint32_t id = lookup(geo, address);
    if (id == NTT_GEO_NONE)
        fail_msg("%s: no answer", address);
    assert_place(ntt_geo_info(geo, id), want);
}

static void assert_empty(const ntt_geo_info_t *info)
{
    assert_string_equal(info->country, "");
    assert_null(info->country_name);
    assert_null(info->city);
    assert_null(info->subdivision);
    assert_false(info->has_location);
    assert_int_equal(info->asn, 0);
    assert_null(info->org);
}

/* -- our fixtures ------------------------------------------------------- */

static void test_empty_resolver(void **state)
{
    (void)state;
    ntt_geo_t *geo = ntt_geo_new(0);

    assert_false(ntt_geo_has(geo, NTT_GEO_LOCATION));
    assert_false(ntt_geo_has(geo, NTT_GEO_ASN));
    assert_null(ntt_geo_describe(geo, NTT_GEO_LOCATION));
    assert_int_equal(lookup(geo, "203.0.113.20"), NTT_GEO_NONE);
    assert_int_equal(ntt_geo_answer_count(geo), 1);
    assert_empty(ntt_geo_info(geo, NTT_GEO_NONE));
    assert_empty(ntt_geo_info(geo, 12345));
    ntt_geo_free(geo);
    ntt_geo_free(NULL);
}

static void test_lab_ipv4(void **state)
{
    (void)state;
    ntt_geo_t *geo = city_and_asn();

    assert_lookup(geo, "203.0.113.20", &london);
    assert_lookup(geo, "203.0.113.0", &london);
    assert_lookup(geo, "203.0.113.79", &london);
    assert_lookup(geo, "203.0.113.80", &amsterdam);
    assert_lookup(geo, "203.0.113.95", &amsterdam);
    assert_lookup(geo, "203.0.113.96", &london);
    assert_lookup(geo, "203.0.113.255", &london);
    assert_lookup(geo, "198.51.100.66", &berlin);
    assert_lookup(geo, "192.0.2.10", &san_diego);
    assert_lookup(geo, "192.0.2.139", &san_diego);
    ntt_geo_free(geo);
}

static void test_lab_ipv6(void **state)
{
    (void)state;
    ntt_geo_t *geo = city_and_asn();

    assert_lookup(geo, "2001:db8:20::20", &london);
    assert_lookup(geo, "2001:db8:20:ffff:ffff:ffff:ffff:ffff", &london);
    assert_lookup(geo, "2001:db8:66::66", &berlin);
    assert_lookup(geo, "2001:db8:2::10", &san_diego);
    /* IPv4-mapped: the IPv4 answer. */
    assert_lookup(geo, "::ffff:198.51.100.66", &berlin);
    assert_int_equal(lookup(geo, "::ffff:192.0.2.10"), lookup(geo, "192.0.2.10"));
    ntt_geo_free(geo);
}

static void test_not_in_database(void **state)
{
    (void)state;
    ntt_geo_t *geo = city_and_asn();

    assert_int_equal(lookup(geo, "8.8.8.8"), NTT_GEO_NONE);
    assert_int_equal(lookup(geo, "10.0.0.1"), NTT_GEO_NONE);
    assert_int_equal(lookup(geo, "203.0.114.0"), NTT_GEO_NONE);
    assert_int_equal(lookup(geo, "2001:db8:21::1"), NTT_GEO_NONE);
    assert_int_equal(lookup(geo, "2001:4860:4860::8888"), NTT_GEO_NONE);
    assert_int_equal(lookup(geo, "::1"), NTT_GEO_NONE);
    assert_empty(ntt_geo_info(geo, lookup(geo, "8.8.8.8")));

    /* Neither 4 nor 6: no answer. */
    ntt_addr_t addr;
    parse("203.0.113.20", &addr);
    assert_int_equal(ntt_geo_lookup(geo, &addr, 0), NTT_GEO_NONE);
    assert_int_equal(ntt_geo_lookup(geo, NULL, 4), NTT_GEO_NONE);
    ntt_geo_free(geo);
}

static void test_registered_country_only(void **state)
{
    (void)state;
    ntt_geo_t *geo = city_and_asn();
    static const expected_place_t japan = { "JP", "Japan", NULL, NULL, false, 0, 0, 0, NULL };

    assert_lookup(geo, "198.18.0.1", &japan);
    assert_lookup(geo, "198.19.255.255", &japan);
    ntt_geo_free(geo);
}

static void test_ids_shared_per_record(void **state)
{
    (void)state;
    ntt_geo_t *geo = city_and_asn();

    uint32_t server = lookup(geo, "203.0.113.20");
    assert_int_not_equal(server, NTT_GEO_NONE);
    assert_int_equal(lookup(geo, "203.0.113.21"), server);
    assert_int_equal(lookup(geo, "203.0.113.53"), server);
    /* The writer stores identical data once, so the IPv6 network of the
     * same place is the same pair of records. */
    assert_int_equal(lookup(geo, "2001:db8:20::20"), server);

    uint32_t malware = lookup(geo, "203.0.113.80");
    uint32_t attacker = lookup(geo, "198.51.100.66");
    uint32_t client = lookup(geo, "192.0.2.10");
    uint32_t japan = lookup(geo, "198.18.0.1");
    uint32_t ids[] = { server, malware, attacker, client, japan };
    for (size_t i = 0; i < G_N_ELEMENTS(ids); i++) {
        assert_int_not_equal(ids[i], NTT_GEO_NONE);
        assert_true(ids[i] < ntt_geo_answer_count(geo));
        for (size_t j = i + 1; j < G_N_ELEMENTS(ids); j++)
            assert_int_not_equal(ids[i], ids[j]);
    }
    assert_int_equal(lookup(geo, "198.51.100.1"), attacker);
    assert_int_equal(lookup(geo, "2001:db8:66::1"), attacker);
    assert_int_equal(lookup(geo, "2001:db8:2::1"), client);
    assert_int_equal(ntt_geo_answer_count(geo), 6);   /* NONE + 5 places */
    ntt_geo_free(geo);
}

static void test_country_database(void **state)
{
    (void)state;
    ntt_geo_t *geo = ntt_geo_new(0);
    static const expected_place_t gb = { "GB", "United Kingdom", NULL, NULL, false, 0, 0, 0, NULL };
    static const expected_place_t de = { "DE", "Germany", NULL, NULL, false, 0, 0, 0, NULL };

    attach_ok(geo, NTT_GEO_LOCATION, COUNTRY_DB);
    assert_false(ntt_geo_has(geo, NTT_GEO_ASN));
    assert_lookup(geo, "203.0.113.20", &gb);
    assert_lookup(geo, "2001:db8:20::20", &gb);
    assert_lookup(geo, "2001:db8:66::66", &de);
    assert_int_equal(lookup(geo, "8.8.8.8"), NTT_GEO_NONE);
    ntt_geo_free(geo);
}

static void test_asn_database_alone(void **state)
{
    (void)state;
    ntt_geo_t *geo = ntt_geo_new(0);
    static const expected_place_t as64500 = { "", NULL, NULL, NULL, false, 0, 0, 64500, "Example Transit Ltd" };

    attach_ok(geo, NTT_GEO_ASN, ASN_DB);
    assert_lookup(geo, "203.0.113.20", &as64500);
    assert_lookup(geo, "2001:db8:20::53", &as64500);
    /* No ASN record there. */
    assert_int_equal(lookup(geo, "198.18.0.1"), NTT_GEO_NONE);
    ntt_geo_free(geo);
}

static void test_cache_cap(void **state)
{
    (void)state;
    ntt_geo_t *tiny = ntt_geo_new(3);
    ntt_geo_t *roomy = ntt_geo_new(0);
    const char *const networks[] = { "203.0.113.", "198.51.100.", "192.0.2.",
                                     "2001:db8:20::", "2001:db8:66::", "8.8.4." };
    attach_ok(tiny, NTT_GEO_LOCATION, CITY_DB);
    attach_ok(tiny, NTT_GEO_ASN, ASN_DB);
    attach_ok(roomy, NTT_GEO_LOCATION, CITY_DB);
    attach_ok(roomy, NTT_GEO_ASN, ASN_DB);

    for (int pass = 0; pass < 3; pass++) {
        for (size_t n = 0; n < G_N_ELEMENTS(networks); n++) {
            for (unsigned host = 0; host < 256; host++) {
                char text[64];
                if (strchr(networks[n], ':') != NULL)
                    snprintf(text, sizeof text, "%s%x", networks[n], host);
                else
                    snprintf(text, sizeof text, "%s%u", networks[n], host);
                uint32_t a = lookup(tiny, text), b = lookup(roomy, text);
                assert_int_equal(a, b);
                if (a != NTT_GEO_NONE)
                    assert_memory_equal(ntt_geo_info(tiny, a), ntt_geo_info(roomy, b),
                                        offsetof(ntt_geo_info_t, country_name));
            }
        }
    }
    assert_int_equal(ntt_geo_answer_count(tiny), ntt_geo_answer_count(roomy));
    ntt_geo_free(tiny);
    ntt_geo_free(roomy);
}

static char *temporary_file(const char *contents, size_t length)
{
    GError *gerror = NULL;
    char *path = NULL;
    int fd = g_file_open_tmp("ntt-geo-XXXXXX.mmdb", &path, &gerror);
    assert_true(fd >= 0);
    close(fd);
    assert_true(g_file_set_contents(path, contents, (gssize)length, &gerror));
    return path;
}

static void assert_attach_fails(ntt_geo_t *geo, ntt_geo_role_t role, const char *path,
                                const char *expected)
{
    char *error = NULL;
    assert_false(ntt_geo_attach(geo, role, path, &error));
    assert_non_null(error);
    /* expected says PATH where the path goes. */
    char **parts = g_strsplit(expected, "PATH", 2);
    char *want = g_strjoinv(path, parts);
    g_strfreev(parts);
    if (strcmp(error, want) != 0)
        fail_msg("attach %s: \"%s\", expected \"%s\"", path, error, want);
    g_free(want);
    g_free(error);
}

static void test_attach_errors(void **state)
{
    (void)state;
    ntt_geo_t *geo = ntt_geo_new(0);
    attach_ok(geo, NTT_GEO_ASN, ASN_DB);

    assert_attach_fails(geo, NTT_GEO_LOCATION, NTT_GEO_FIXTURES_DIR "/no-such.mmdb",
                        "cannot open PATH: No such file or directory");
    char *text = temporary_file("this is not a database\n", 23);
    assert_attach_fails(geo, NTT_GEO_LOCATION, text,
                        "PATH is not a MaxMind database (The MaxMind DB file contains invalid metadata)");
    char *empty = temporary_file("", 0);
    assert_attach_fails(geo, NTT_GEO_LOCATION, empty,
                        "PATH is not a MaxMind database (the file is empty)");
    assert_attach_fails(geo, NTT_GEO_LOCATION, NTT_GEO_FIXTURES_DIR,
                        "cannot open PATH: Is a directory");
    assert_attach_fails(geo, NTT_GEO_LOCATION, ASN_DB,
                        "PATH is a GeoLite2-ASN database, not a City/Country one");
    assert_attach_fails(geo, NTT_GEO_ASN, COUNTRY_DB,
                        "PATH is a GeoLite2-Country database, not an ASN one");
    /* No error pointer: still refused, nothing leaks. */
    assert_false(ntt_geo_attach(geo, NTT_GEO_LOCATION, text, NULL));

    /* The ASN role survived all that. */
    assert_false(ntt_geo_has(geo, NTT_GEO_LOCATION));
    assert_true(ntt_geo_has(geo, NTT_GEO_ASN));
    assert_int_equal(ntt_geo_info(geo, lookup(geo, "198.51.100.66"))->asn, 64501);

    g_unlink(text);
    g_unlink(empty);
    g_free(text);
    g_free(empty);
    ntt_geo_free(geo);
}

static void test_describe(void **state)
{
    (void)state;
    ntt_geo_t *geo = city_and_asn();

    assert_string_equal(ntt_geo_describe(geo, NTT_GEO_LOCATION),
                        "GeoLite2-City built 2025-01-01 (" CITY_DB ")");
    assert_string_equal(ntt_geo_describe(geo, NTT_GEO_ASN),
                        "GeoLite2-ASN built 2025-01-01 (" ASN_DB ")");
    ntt_geo_free(geo);
}

static void test_replacing_a_database(void **state)
{
    (void)state;
    ntt_geo_t *geo = city_and_asn();
    static const expected_place_t gb = { "GB", "United Kingdom", NULL, NULL, false, 0, 0,
                                         64500, "Example Transit Ltd" };

    uint32_t before = lookup(geo, "203.0.113.20");
    attach_ok(geo, NTT_GEO_LOCATION, COUNTRY_DB);
    uint32_t after = lookup(geo, "203.0.113.20");
    assert_int_not_equal(before, after);
    /* Old ids keep their answers; new lookups see the new database. */
    assert_place(ntt_geo_info(geo, before), &london);
    assert_place(ntt_geo_info(geo, after), &gb);
    /* Strings are interned: one copy of "United Kingdom" for both. */
    assert_ptr_equal(ntt_geo_info(geo, before)->country_name,
                     ntt_geo_info(geo, after)->country_name);
    assert_string_equal(ntt_geo_describe(geo, NTT_GEO_LOCATION),
                        "GeoLite2-Country built 2025-01-01 (" COUNTRY_DB ")");
    ntt_geo_free(geo);
}

/* -- MaxMind's test databases ------------------------------------------- */

static bool have_reference(void)
{
    return g_file_test(REFERENCE "/GeoIP2-City-Test.mmdb", G_FILE_TEST_IS_REGULAR);
}

static void test_maxmind_city_and_asn(void **state)
{
    (void)state;
    if (!have_reference())
        skip();
    ntt_geo_t *geo = ntt_geo_new(0);
    static const expected_place_t mm_london = {
        "GB", "United Kingdom", "London", "England", true, 51.5142, -0.0931, 0, NULL,
    };
    static const expected_place_t mm_san_diego = {
        "US", "United States", "San Diego", "California", true, 32.7203, -117.1552, 0, NULL,
    };
    static const expected_place_t telstra = {
        "", NULL, NULL, NULL, false, 0, 0, 1221, "Telstra Pty Ltd",
    };

    attach_ok(geo, NTT_GEO_LOCATION, REFERENCE "/GeoIP2-City-Test.mmdb");
    assert_lookup(geo, "81.2.69.142", &mm_london);
    assert_lookup(geo, "::ffff:81.2.69.142", &mm_london);
    assert_lookup(geo, "2001:480:10::1", &mm_san_diego);
    assert_int_equal(lookup(geo, "1.128.0.1"), NTT_GEO_NONE);

    attach_ok(geo, NTT_GEO_ASN, REFERENCE "/GeoLite2-ASN-Test.mmdb");
    ntt_geo_t *asn_only = ntt_geo_new(0);
    attach_ok(asn_only, NTT_GEO_ASN, REFERENCE "/GeoLite2-ASN-Test.mmdb");
    assert_lookup(asn_only, "1.128.0.1", &telstra);
    assert_lookup(geo, "1.128.0.1", &telstra);

    const char *described = ntt_geo_describe(geo, NTT_GEO_LOCATION);
    assert_true(g_str_has_prefix(described, "GeoIP2-City built 20"));
    assert_true(g_str_has_suffix(described, " (" REFERENCE "/GeoIP2-City-Test.mmdb)"));
    ntt_geo_free(asn_only);
    ntt_geo_free(geo);
}

static void test_maxmind_wrong_kind(void **state)
{
    (void)state;
    if (!have_reference())
        skip();
    ntt_geo_t *geo = ntt_geo_new(0);
    assert_attach_fails(geo, NTT_GEO_LOCATION, REFERENCE "/GeoIP2-Anonymous-IP-Test.mmdb",
                        "PATH is a GeoIP2-Anonymous-IP database, not a City/Country one");
    assert_attach_fails(geo, NTT_GEO_ASN, REFERENCE "/GeoIP2-Country-Test.mmdb",
                        "PATH is a GeoIP2-Country database, not an ASN one");
    ntt_geo_free(geo);
}

/* Looks up a spread of addresses and reads every answer: whatever the
 * database holds, nothing may crash and every answer must be sane. */
static void hammer(ntt_geo_t *geo)
{
    static const char *const known[] = {
        "81.2.69.142", "2001:480:10::1", "1.128.0.1", "1.1.1.1", "1.1.1.32",
        "2.125.160.216", "216.160.83.56", "::1", "::", "::1.1.1.1",
    };
    for (size_t i = 0; i < G_N_ELEMENTS(known); i++)
        (void)lookup(geo, known[i]);

    uint32_t x = 2463534242u;
    for (unsigned i = 0; i < 4096; i++) {
        ntt_addr_t addr;
        memset(&addr, 0, sizeof addr);
        /* Every 1.x.y.z and a xorshift spread over both families. */
        x ^= x << 13; x ^= x >> 17; x ^= x << 5;
        uint8_t version = (i & 1) ? 6 : 4;
        if (i < 1024) {
            version = 4;
            addr.bytes[0] = 1;
            addr.bytes[1] = (uint8_t)(i >> 2);
            addr.bytes[2] = (uint8_t)(i * 37);
            addr.bytes[3] = (uint8_t)i;
        } else {
            memcpy(addr.bytes, &x, 4);
            if (version == 6) {
                addr.bytes[0] = (uint8_t)(0x20 | (x & 1));
                for (int b = 4; b < 16; b++)
                    addr.bytes[b] = (uint8_t)(x >> (b % 4 * 8));
            }
        }
        uint32_t id = ntt_geo_lookup(geo, &addr, version);
        assert_true(id < ntt_geo_answer_count(geo));
    }
    for (uint32_t id = 0; id < ntt_geo_answer_count(geo); id++) {
        const ntt_geo_info_t *info = ntt_geo_info(geo, id);
        assert_true(strlen(info->country) <= 2);
        if (info->country_name) assert_true(strlen(info->country_name) > 0);
        if (info->city) assert_true(strlen(info->city) > 0);
        if (info->subdivision) assert_true(strlen(info->subdivision) > 0);
        if (info->org) assert_true(strlen(info->org) > 0);
    }
}

/* The "Test"-typed broken databases would be refused for their type
 * before a lookup is tried: a copy that calls itself "City" (same length,
 * so nothing else moves) gets through to the lookups. */
static char *retyped_copy(const char *path)
{
    char *contents = NULL;
    gsize length = 0;
    if (!g_file_get_contents(path, &contents, &length, NULL))
        return NULL;
    static const char needle[] = "\x4d" "database_type" "\x44" "Test";
    size_t needle_len = sizeof needle - 1;
    bool patched = false;
    for (gsize i = 0; i + needle_len <= length; i++) {
        if (memcmp(contents + i, needle, needle_len) == 0) {
            memcpy(contents + i + needle_len - 4, "City", 4);
            patched = true;
        }
    }
    char *copy = patched ? temporary_file(contents, length) : NULL;
    g_free(contents);
    return copy;
}

static void try_database(const char *path, const char *name, bool broken)
{
    for (int role = 0; role < NTT_GEO_ROLE_COUNT; role++) {
        ntt_geo_t *geo = ntt_geo_new(64);
        char *error = NULL;
        if (ntt_geo_attach(geo, (ntt_geo_role_t)role, path, &error)) {
            assert_null(error);
            hammer(geo);
        } else {
            assert_non_null(error);
            assert_non_null(strstr(error, path));
            if (broken)
                print_message("  %s as %s: ...%s\n", name,
                              role == NTT_GEO_LOCATION ? "location" : "asn",
                              error + strlen(path));
            g_free(error);
        }
        ntt_geo_free(geo);
    }
}

static void test_maxmind_broken_databases(void **state)
{
    (void)state;
    if (!have_reference())
        skip();
    GDir *dir = g_dir_open(REFERENCE, 0, NULL);
    assert_non_null(dir);
    unsigned tried = 0;
    const char *name;
    while ((name = g_dir_read_name(dir)) != NULL) {
        if (!g_str_has_suffix(name, ".mmdb"))
            continue;
        bool broken = strstr(name, "Broken") || strstr(name, "Invalid") || strstr(name, "broken-");
        char *path = g_build_filename(REFERENCE, name, NULL);
        if (broken) {
            try_database(path, name, true);
            char *copy = retyped_copy(path);
            if (copy != NULL) {
                try_database(copy, name, true);
                g_unlink(copy);
                g_free(copy);
            }
            tried++;
        } else {
            /* The sound ones must not trip the hammer either. */
            try_database(path, name, false);
        }
        g_free(path);
    }
    g_dir_close(dir);
    assert_true(tried >= 4);
}

static void test_maxmind_invalid_node_count_message(void **state)
{
    (void)state;
    const char *path = REFERENCE "/GeoIP2-City-Test-Invalid-Node-Count.mmdb";
    if (!g_file_test(path, G_FILE_TEST_IS_REGULAR))
        skip();
    ntt_geo_t *geo = ntt_geo_new(0);
    assert_attach_fails(geo, NTT_GEO_LOCATION, path,
                        "PATH is a damaged MaxMind database (The MaxMind DB file contains invalid metadata)");
    ntt_geo_free(geo);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_resolver),
        cmocka_unit_test(test_lab_ipv4),
        cmocka_unit_test(test_lab_ipv6),
        cmocka_unit_test(test_not_in_database),
        cmocka_unit_test(test_registered_country_only),
        cmocka_unit_test(test_ids_shared_per_record),
        cmocka_unit_test(test_country_database),
        cmocka_unit_test(test_asn_database_alone),
        cmocka_unit_test(test_cache_cap),
        cmocka_unit_test(test_attach_errors),
        cmocka_unit_test(test_describe),
        cmocka_unit_test(test_replacing_a_database),
        cmocka_unit_test(test_maxmind_city_and_asn),
        cmocka_unit_test(test_maxmind_wrong_kind),
        cmocka_unit_test(test_maxmind_broken_databases),
        cmocka_unit_test(test_maxmind_invalid_node_count_message),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
