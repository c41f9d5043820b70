/* detect-geo.c
 * Unusual geography: traffic with a country on the watch list
 * (ntt.geo_watch_countries), or with a country outside the allowed set
 * (ntt.geo_allow_countries, when it is not empty), is an episode of type
 * geo -- one per external address, raised at its first flow.
 *
 * Only what the database says counts: an address it does not place (a
 * private one, or one it lacks) is never outside the allowed set. The
 * country is looked up once per flow by the engine (the flow record's
 * answers); a bad address's later flows are found in a capped table by
 * flow id, so every packet of them belongs to the episode.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "ntt/geo.h"

#include "detect/detector.h"
#include "track/tracker-table.h"

enum {
    KEY_ADDRESS = 1,      /* a: the external address */
    KEY_FLOW,             /* a: the flow id (first 4 bytes) */
};

/* ISO 3166-1 alpha-2 codes as bits: AA..ZZ. */
#define COUNTRY_BITS (26 * 26)

typedef struct country_set {
    uint8_t bits[(COUNTRY_BITS + 7) / 8];
    bool    empty;
} country_set_t;

typedef struct outsider {
    uint32_t   token;
    uint64_t   count;
    uint32_t   first_frame;
    int64_t    start_ns;
    ntt_addr_t addr;
    ntt_addr_t peer;       /* the first internal host it talked with */
    uint8_t    ip_version;
    char       country[3];
} outsider_t;

/* A flow's unusual ends (both, when neither is in the allowed set). */
typedef struct geo_flow {
    ntt_tracker_key_t outsider[2];
    unsigned          count;
} geo_flow_t;

typedef struct geo_detector {
    const ntt_geo_t     *geo;
    country_set_t        watch;
    country_set_t        allow;
    ntt_tracker_table_t *outsiders;
    ntt_tracker_table_t *flows;
} geo_detector_t;

static int country_index(const char *code)
{
    if (!g_ascii_isalpha(code[0]) || !g_ascii_isalpha(code[1]))
        return -1;
    return (g_ascii_toupper(code[0]) - 'A') * 26 + (g_ascii_toupper(code[1]) - 'A');
}

/* "CN, RU ru;KP" -> {CN, RU, KP}. The glue checks what a person typed
 * (ntt_geo_country_list_valid); here whatever is not a code is skipped. */
static void country_set_parse(country_set_t *set, const char *text)
{
    memset(set, 0, sizeof *set);
    set->empty = true;
    while (text && *text) {
        int i;

        while (*text && !g_ascii_isalpha(*text))
            text++;
        if (!text[0] || !text[1])
            break;
        i = country_index(text);
        if (i >= 0 && !g_ascii_isalpha(text[2])) {
            set->bits[i / 8] |= (uint8_t)(1u << (i % 8));
            set->empty = false;
        }
        while (g_ascii_isalpha(*text))
            text++;
    }
}

static bool country_set_has(const country_set_t *set, const char *code)
{
    int i = country_index(code);

    return i >= 0 && (set->bits[i / 8] & (1u << (i % 8)));
}

static void *geo_create(const ntt_detect_config_t *config)
{
    geo_detector_t *d = g_new0(geo_detector_t, 1);

    d->geo = config->geo;
    country_set_parse(&d->watch, config->geo_watch_countries);
    country_set_parse(&d->allow, config->geo_allow_countries);
    d->outsiders = ntt_tracker_table_new(config->memcap, "geo.outsiders",
                                         config->max_trackers, sizeof(outsider_t), NULL);
    d->flows = ntt_tracker_table_new(config->memcap, "geo.flows",
                                     config->max_trackers, sizeof(geo_flow_t), NULL);
    return d;
}

static void geo_destroy(void *state)
{
    geo_detector_t *d = state;

    ntt_tracker_table_free(d->outsiders);
    ntt_tracker_table_free(d->flows);
    g_free(d);
}

/* Watched, or placed outside a non-empty allowed set. */
static bool unusual(const geo_detector_t *d, const char *country)
{
    if (!country[0])
        return false;
    if (country_set_has(&d->watch, country))
        return true;
    return !d->allow.empty && !country_set_has(&d->allow, country);
}

/* The outsider tracker of one end of a flow. */
static void open_outsider(geo_detector_t *d, const ntt_detect_input_t *in,
                          ntt_dir_t side, const ntt_geo_info_t *info,
                          ntt_tracker_key_t *key, ntt_detect_sink_t *sink)
{
    const ntt_flow_summary_t *f = in->summary;
    const ntt_packet_t *pk = in->pkt;
    bool created, evicted;
    outsider_t *o;

    ntt_tracker_key_init(key, KEY_ADDRESS, f->ip_version,
                         side == NTT_DIR_RESP ? &f->resp_addr : &f->orig_addr, NULL, 0);
    o = ntt_tracker_table_get(d->outsiders, key, pk->ts_ns, &created, &evicted);
    if (evicted)
        ntt_detect_evicted(sink, NTT_ALERT_GEO);
    if (created) {
        o->token = ntt_detect_token(sink);
        o->first_frame = pk->frame;
        o->start_ns = pk->ts_ns;
        o->addr = key->a;
        o->peer = side == NTT_DIR_RESP ? f->orig_addr : f->resp_addr;
        o->ip_version = f->ip_version;
        memcpy(o->country, info->country, sizeof o->country);
    }
}

/* A new flow with an unusual end: that address's episode (each end's,
 * when both are), and the flow remembered so that its later packets
 * belong to them. */
static void match_flow(geo_detector_t *d, const ntt_detect_input_t *in,
                       ntt_detect_sink_t *sink)
{
    static const ntt_dir_t sides[2] = { NTT_DIR_RESP, NTT_DIR_ORIG };
    geo_flow_t found = { .count = 0 };
    ntt_tracker_key_t fkey;
    bool created, evicted;

    for (unsigned i = 0; i < 2; i++) {
        const ntt_geo_info_t *info = ntt_geo_info(d->geo, in->summary->geo[sides[i]]);

        if (unusual(d, info->country))
            open_outsider(d, in, sides[i], info, &found.outsider[found.count++], sink);
    }
    if (!found.count)
        return;
    ntt_tracker_key_for_flow(&fkey, KEY_FLOW, in->flow->flow_id);
    *(geo_flow_t *)ntt_tracker_table_get(d->flows, &fkey, in->pkt->ts_ns, &created,
                                         &evicted) = found;
}

static void mark_outsider(geo_detector_t *d, const ntt_tracker_key_t *key,
                          ntt_detect_sink_t *sink)
{
    outsider_t *o = ntt_tracker_table_find(d->outsiders, key);
    ntt_detect_mark_t mark;

    if (!o)
        return;           /* evicted under pressure: its flows go quiet */
    o->count++;
    memset(&mark, 0, sizeof mark);
    mark.token = o->token;
    mark.count = o->count;
    mark.raise = o->count == 1;
    mark.info.type = NTT_ALERT_GEO;
    mark.info.ip_version = o->ip_version;
    mark.info.has_src = mark.info.has_dst = true;
    mark.info.src = o->addr;
    mark.info.dst = o->peer;
    mark.info.first_frame = o->first_frame;
    mark.info.start_ns = o->start_ns;
    memcpy(mark.info.country, o->country, sizeof mark.info.country);
    ntt_detect_emit(sink, &mark);
}

static void geo_packet(void *state, const ntt_detect_input_t *in,
                       ntt_detect_sink_t *sink)
{
    geo_detector_t *d = state;
    ntt_tracker_key_t fkey;
    const geo_flow_t *gf;

    if (!d->geo || !in->summary || (d->watch.empty && d->allow.empty))
        return;
    if (in->flow->new_flow)
        match_flow(d, in, sink);
    if (ntt_tracker_table_count(d->flows) == 0)
        return;
    ntt_tracker_key_for_flow(&fkey, KEY_FLOW, in->flow->flow_id);
    gf = ntt_tracker_table_find(d->flows, &fkey);
    for (unsigned i = 0; gf && i < gf->count; i++)
        mark_outsider(d, &gf->outsider[i], sink);
}

const ntt_detector_ops_t ntt_detect_geo_ops = {
    "geo", geo_create, geo_destroy, geo_packet, NULL,
};
