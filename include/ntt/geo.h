/* geo.h
 * Where an address is: country, city, coordinates and autonomous system,
 * from MaxMind-format databases (.mmdb) read with libmaxminddb, directly
 * and synchronously, so the answer is there on every pass.
 *
 * A resolver has two roles, each served by at most one database:
 *   location  a City or Country database (GeoLite2-City, GeoIP2-Country,
 *             DB-IP, or ntt's open database built from IPFire's data)
 *   asn       an ASN database (GeoLite2-ASN, or ntt's open database)
 * One file may serve both roles (ntt's open database does).
 *
 * Lookups are cached per address (capped; the cache changes speed, never
 * answers). Each distinct answer -- the pair of database records that
 * matched -- gets a small id, so the engine can store ids per flow and
 * count packets per answer without copying strings.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_GEO_H
#define NTT_GEO_H

#include <stdbool.h>
#include <stdint.h>

#include "ntt/packet.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ntt_geo_role {
    NTT_GEO_LOCATION = 0,
    NTT_GEO_ASN,
    NTT_GEO_ROLE_COUNT
} ntt_geo_role_t;

/* What the databases say of one address. A field the databases do not
 * have is empty (""/NULL/0, has_location false): nothing is invented.
 * Strings belong to the resolver and live as long as it does. */
typedef struct ntt_geo_info {
    char        country[3];      /* ISO 3166-1 alpha-2 ("GB"), "" unknown */
    const char *country_name;    /* English name ("United Kingdom") or NULL */
    const char *city;            /* English name or NULL */
    const char *subdivision;     /* first (largest) subdivision, English, or NULL */
    bool        has_location;    /* lat/lon are valid */
    double      lat;
    double      lon;
    uint32_t    asn;             /* autonomous system number, 0 unknown */
    const char *org;             /* autonomous_system_organization or NULL */
} ntt_geo_info_t;

/* Answer ids: 0 is "the databases know nothing of this address". */
#define NTT_GEO_NONE 0u

typedef struct ntt_geo ntt_geo_t;

/* An empty resolver: every lookup answers NTT_GEO_NONE until a database
 * is attached. cache_cap bounds the per-address cache (0: a default of
 * 65,536 addresses). */
ntt_geo_t *ntt_geo_new(uint32_t cache_cap);
void ntt_geo_free(ntt_geo_t *geo);

/* The engine that takes the resolver over counts its address cache
 * against its memory budget and seeds the cache's hash (the engine calls
 * this; the cache starts empty). */
struct ntt_memcap;
void ntt_geo_use_memcap(ntt_geo_t *geo, struct ntt_memcap *memcap);

/* Opens path for role (replacing what served it). On failure returns
 * false and sets *error to a message for a person, g_free() it:
 * "cannot open /x/y.mmdb: No such file or directory", "/x/y.mmdb is not
 * a MaxMind database (...)", "/x/y.mmdb has no country or city data" ...
 * The resolver keeps working with its other role. */
bool ntt_geo_attach(ntt_geo_t *geo, ntt_geo_role_t role, const char *path,
                    char **error);

/* True when a database serves the role. */
bool ntt_geo_has(const ntt_geo_t *geo, ntt_geo_role_t role);

/* What serves the role, for the report: "GeoLite2-City built 2024-05-14
 * (/usr/share/GeoIP/GeoLite2-City.mmdb)"; NULL when nothing does.
 * Owned by the resolver. */
const char *ntt_geo_describe(const ntt_geo_t *geo, ntt_geo_role_t role);

/* The answer id for an address (ip_version 4 or 6). Any failure inside a
 * (corrupt) database is "no answer", never a crash. */
uint32_t ntt_geo_lookup(ntt_geo_t *geo, const ntt_addr_t *addr,
                        uint8_t ip_version);

/* The answer behind an id (NTT_GEO_NONE gives an all-empty answer). */
const ntt_geo_info_t *ntt_geo_info(const ntt_geo_t *geo, uint32_t id);

/* Distinct answers so far, NTT_GEO_NONE included (ids are < this). */
uint32_t ntt_geo_answer_count(const ntt_geo_t *geo);

#ifdef __cplusplus
}
#endif

#endif /* NTT_GEO_H */
