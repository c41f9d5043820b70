/* detect-geo.c
 * Unusual geography: traffic with a country on the watch list
 * (ntt.geo_watch_countries), or with a country outside the allowed set
 * (ntt.geo_allow_countries, when it is not empty), is an episode of type
 * geo -- one per external address, raised at its first flow.
 *
 * Only what the database says counts: an address it does not place (a
 * private one, or one it lacks) is never outside the allowed set. The
 * country is looked up once per flow by the engine (the flow record's
 * answers); a flow with an unusual end keeps its outsiders in the flow's
 * slot, so every packet of it belongs to the episode and the packets of
 * other flows never reach this detector.
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
};

/* ISO 3166-1 alpha-2 codes as bits: AA..ZZ. */
#define COUNTRY_BITS (26 * 26)

typedef struct country_set {
    uint8_t bits[(COUNTRY_BITS + 7) / 8];
    bool    empty;
} country_set_t;

typedef struct outsider {
    ntt_tracker_t base;
    ntt_addr_t addr;
    ntt_addr_t peer;       /* the first internal host it talked with */
    uint8_t    ip_version;
    char       country[3];
} outsider_t;

/* A flow's slot: its unusual ends (both, when neither is in the allowed
 * set). */
typedef struct geo_flow {
    ntt_tracker_key_t outsider[2];
    unsigned          count;
} geo_flow_t;

typedef struct geo_detector {
    const ntt_geo_t     *geo;
    country_set_t        watch;
    country_set_t        allow;
    unsigned             slot;     /* geo_flow_t */
    ntt_tracker_table_t *outsiders;
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

static void *geo_create(const ntt_detect_config_t *config, const ntt_detect_env_t *env)
{
    geo_detector_t *d;
    country_set_t watch, allow;

    country_set_parse(&watch, config->geo_watch_countries);
    country_set_parse(&allow, config->geo_allow_countries);
    /* No database, or no country to watch or allow: nothing to match. */
    if (!config->geo || (watch.empty && allow.empty))
        return NULL;
    d = g_new0(geo_detector_t, 1);
    d->slot = env->slot;
    d->geo = config->geo;
    d->watch = watch;
    d->allow = allow;
    d->outsiders = ntt_tracker_table_new(config->memcap, "geo.outsiders",
                                         config->max_trackers, sizeof(outsider_t), NULL);
    return d;
}

static void geo_destroy(void *state)
{
    geo_detector_t *d = state;

    ntt_tracker_table_free(d->outsiders);
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
static void open_outsider(geo_detector_t *d, const ntt_flow_event_t *ev,
                          ntt_dir_t side, const ntt_geo_info_t *info,
                          ntt_tracker_key_t *key, ntt_detect_sink_t *sink)
{
    const ntt_flow_summary_t *f = ev->summary;
    const ntt_packet_t *pk = ev->pkt;
    bool created, evicted;
    outsider_t *o;

    ntt_tracker_key_init(key, KEY_ADDRESS, f->ip_version,
                         side == NTT_DIR_RESP ? &f->resp_addr : &f->orig_addr, NULL, 0);
    o = ntt_tracker_table_get(d->outsiders, key, pk->ts_ns, &created, &evicted);
    if (evicted)
        ntt_detect_evicted(sink, NTT_EPISODE_GEO);
    if (created) {
        ntt_tracker_start(&o->base, sink, pk);
        o->addr = key->a;
        o->peer = side == NTT_DIR_RESP ? f->orig_addr : f->resp_addr;
        o->ip_version = f->ip_version;
        memcpy(o->country, info->country, sizeof o->country);
    }
}

/* A new flow with an unusual end: that address's episode (each end's,
 * when both are), and the flow remembered so that its later packets
 * belong to them. */
static void match_flow(geo_detector_t *d, const ntt_flow_event_t *ev,
                       ntt_detect_sink_t *sink)
{
    static const ntt_dir_t sides[2] = { NTT_DIR_RESP, NTT_DIR_ORIG };
    geo_flow_t found = { .count = 0 };

    for (unsigned i = 0; i < 2; i++) {
        const ntt_geo_info_t *info = ntt_geo_info(d->geo, ev->summary->geo[sides[i]]);

        if (unusual(d, info->country))
            open_outsider(d, ev, sides[i], info, &found.outsider[found.count++], sink);
    }
    if (found.count)
        *ntt_flow_event_slot(ev, d->slot) = g_memdup2(&found, sizeof found);
}

static void geo_slot_free(void *state, void *slot)
{
    (void)state;
    g_free(slot);
}

static void mark_outsider(geo_detector_t *d, const ntt_tracker_key_t *key,
                          ntt_detect_sink_t *sink)
{
    outsider_t *o = ntt_tracker_table_find(d->outsiders, key);

    if (!o)
        return;           /* evicted under pressure: its flows go quiet */
    ntt_detect_mark(sink, &o->base);
    if (!o->base.raised) {
        ntt_episode_t info;

        ntt_episode_identity(&info, NTT_EPISODE_GEO, o->ip_version, &o->addr, &o->peer, NULL);
        memcpy(info.detail.geo.country, o->country, sizeof info.detail.geo.country);
        ntt_detect_raise(sink, &o->base, &info);
    }
}

static void geo_event(void *state, const ntt_flow_event_t *ev, ntt_detect_sink_t *sink)
{
    geo_detector_t *d = state;
    const geo_flow_t *gf;

    if (ev->what & NTT_EV_OPENED)
        match_flow(d, ev, sink);
    gf = *ntt_flow_event_slot(ev, d->slot);
    for (unsigned i = 0; gf && i < gf->count; i++)
        mark_outsider(d, &gf->outsider[i], sink);
}

const ntt_detector_ops_t ntt_detect_geo_ops = {
    .name = "geo",
    .events = NTT_EV_OPENED | NTT_EV_SLOTTED,
    .create = geo_create,
    .destroy = geo_destroy,
    .event = geo_event,
    .slot_free = geo_slot_free,
};
