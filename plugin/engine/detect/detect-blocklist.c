/* detect-blocklist.c
 * Known-bad destinations: an episode per (internal host, blocklist entry)
 * as soon as a host talks to a blocklisted address or network, asks DNS
 * for a blocklisted name, or names one in an HTTP Host header, an
 * absolute request URI or a TLS server name.
 *
 * A DNS response that resolves a blocklisted name makes the addresses it
 * gives bad for the rest of the capture (a table of its own, capped), so
 * the connection that follows the lookup -- the download -- belongs to
 * the episode even though its address is in no list. Every packet of a
 * bad flow is marked; the bytes the destination sends the host are the
 * download evidence the report shows.
 *
 * Addresses are matched once per flow, when it opens; names only where a
 * dissector saw one (the glue fills them only when a list is loaded). A
 * bad flow keeps its contact in the flow's slot, so only the packets of
 * bad flows reach this detector after their first.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "ntt/blocklist.h"

#include "detect/detector.h"
#include "track/tracker-table.h"
#include "util/memcap.h"

/* Tracker kinds in the one key space of the tables below. */
enum {
    KEY_CONTACT = 1,      /* a: the host, b: the entry id (first 4 bytes) */
    KEY_RESOLVED,         /* a: an address a bad name resolved to */
};

/* A URI longer than this is cut: it is evidence, not content. */
#define MAX_URI 512
/* Episodes a packet can touch at once (its flow, and a name it carries). */
#define MAX_TOUCHED 4

typedef struct contact {
    ntt_tracker_t base;
    uint64_t    bytes_received;
    uint32_t    entry;
    ntt_addr_t  host;
    ntt_addr_t  dst;
    uint8_t     ip_version;
    bool        has_dst;
    const char *uri;
} contact_t;

/* A flow's slot: whose episode its packets are. */
typedef struct bad_flow {
    ntt_tracker_key_t contact;
    uint8_t           host_dir; /* ntt_dir_t of the host's packets */
} bad_flow_t;

typedef struct resolved {
    uint32_t entry;
} resolved_t;

typedef struct blocklist_detector {
    const ntt_blocklist_t *list;
    unsigned               slot;    /* bad_flow_t on the flows it follows */
    ntt_tracker_table_t   *contacts;
    ntt_tracker_table_t   *resolved;
    GStringChunk          *uris;    /* one per contact at most */
    ntt_memcap_account_t  *uri_bytes; /* kept for the episodes: never released */
} blocklist_detector_t;

static void *blocklist_create(const ntt_detect_config_t *config, const ntt_detect_env_t *env)
{
    blocklist_detector_t *d;

    if (!config->blocklist)
        return NULL;             /* nothing to match: off */
    d = g_new0(blocklist_detector_t, 1);
    d->slot = env->slot;
    d->list = config->blocklist;
    d->contacts = ntt_tracker_table_new(config->memcap, "blocklist.contacts",
                                        config->max_trackers, sizeof(contact_t), NULL);
    d->resolved = ntt_tracker_table_new(config->memcap, "blocklist.resolved",
                                        config->max_trackers, sizeof(resolved_t), NULL);
    d->uris = g_string_chunk_new(4096);
    d->uri_bytes = ntt_memcap_open(config->memcap, "blocklist.uris");
    return d;
}

static void blocklist_destroy(void *state)
{
    blocklist_detector_t *d = state;

    ntt_tracker_table_free(d->contacts);
    ntt_tracker_table_free(d->resolved);
    g_string_chunk_free(d->uris);
    g_free(d);
}

static void contact_key(ntt_tracker_key_t *key, const ntt_addr_t *host,
                        uint8_t ip_version, uint32_t entry)
{
    ntt_addr_t b;

    memset(&b, 0, sizeof b);
    memcpy(b.bytes, &entry, sizeof entry);
    ntt_tracker_key_init(key, KEY_CONTACT, ip_version, host, &b, 0);
}

/* The contact of (host, entry), opened on first sight. */
static contact_t *contact_get(blocklist_detector_t *d, const ntt_tracker_key_t *key,
                              const ntt_packet_t *pk, ntt_detect_sink_t *sink)
{
    bool created, evicted;
    contact_t *c = ntt_tracker_table_get(d->contacts, key, pk->ts_ns, &created, &evicted);

    if (evicted)
        ntt_detect_evicted(sink, NTT_EPISODE_BLOCKLIST);
    if (created) {
        ntt_tracker_start(&c->base, sink, pk);
        c->host = key->a;
        c->ip_version = key->ip_version;
        memcpy(&c->entry, key->b.bytes, sizeof c->entry);
    }
    return c;
}

static void set_destination(contact_t *c, const ntt_addr_t *dst, uint8_t ip_version)
{
    /* The episode's addresses share one version; a destination of the
     * other family (an AAAA answer to a query over IPv4) stays unnamed. */
    if (!c->has_dst && ip_version == c->ip_version) {
        c->dst = *dst;
        c->has_dst = true;
    }
}

/* The flow's packets are the contact's from now on. */
static void remember_flow(blocklist_detector_t *d, const ntt_flow_event_t *ev,
                          const ntt_tracker_key_t *contact, ntt_dir_t host_dir)
{
    void **slot = ntt_flow_event_slot(ev, d->slot);
    bad_flow_t *f = *slot;

    if (!f)
        *slot = f = g_new(bad_flow_t, 1);
    f->contact = *contact;
    f->host_dir = (uint8_t)host_dir;
}

static void blocklist_slot_free(void *state, void *slot)
{
    (void)state;
    g_free(slot);
}

static uint32_t resolved_entry(blocklist_detector_t *d, const ntt_addr_t *addr,
                               uint8_t ip_version)
{
    ntt_tracker_key_t key;
    const resolved_t *r;

    if (ntt_tracker_table_count(d->resolved) == 0)
        return NTT_BLOCKLIST_NO_MATCH;
    ntt_tracker_key_init(&key, KEY_RESOLVED, ip_version, addr, NULL, 0);
    r = ntt_tracker_table_find(d->resolved, &key);
    return r ? r->entry : NTT_BLOCKLIST_NO_MATCH;
}

static uint32_t address_entry(blocklist_detector_t *d, const ntt_addr_t *addr,
                              uint8_t ip_version)
{
    uint32_t id = ntt_blocklist_match_addr(d->list, addr, ip_version);

    return id ? id : resolved_entry(d, addr, ip_version);
}

static void remember_resolved(blocklist_detector_t *d, const ntt_packet_t *pk,
                              uint32_t entry)
{
    for (unsigned i = 0; i < pk->resolved_count; i++) {
        ntt_tracker_key_t key;
        bool created, evicted;
        resolved_t *r;

        ntt_tracker_key_init(&key, KEY_RESOLVED, pk->resolved[i].ip_version,
                             &pk->resolved[i].addr, NULL, 0);
        r = ntt_tracker_table_get(d->resolved, &key, pk->ts_ns, &created, &evicted);
        if (created)
            r->entry = entry;
    }
}

/* "http://evil.example:8080/x" -> "evil.example" (a proxy request names
 * its destination in the URI, not in a Host header of its own). */
static bool uri_host(const char *uri, size_t len, const char **host, size_t *host_len)
{
    size_t start, end;

    if (len > 7 && g_ascii_strncasecmp(uri, "http://", 7) == 0)
        start = 7;
    else if (len > 8 && g_ascii_strncasecmp(uri, "https://", 8) == 0)
        start = 8;
    else
        return false;
    for (end = start; end < len && uri[end] != '/' && uri[end] != ':' &&
                      uri[end] != '?' && uri[end] != '#'; end++)
        ;
    *host = uri + start;
    *host_len = end - start;
    return end > start;
}

/* Whose name it is: the client asks (query, Host, SNI), the server
 * answers (a response's names belong to its receiver). */
static void host_of_name(const ntt_packet_t *pk, uint8_t kind,
                         const ntt_addr_t **host, const ntt_addr_t **other)
{
    bool answer = kind == NTT_NAME_DNS_ANSWER;

    *host = answer ? &pk->dst : &pk->src;
    *other = answer ? &pk->src : &pk->dst;
}

typedef struct touched {
    ntt_tracker_key_t keys[MAX_TOUCHED];
    unsigned          count;
} touched_t;

static void touch(touched_t *t, const ntt_tracker_key_t *key)
{
    for (unsigned i = 0; i < t->count; i++) {
        if (memcmp(&t->keys[i], key, sizeof *key) == 0)
            return;
    }
    if (t->count < MAX_TOUCHED)
        t->keys[t->count++] = *key;
}

/* A blocklisted name in this packet: its host's episode, and for names
 * that lead somewhere (Host, SNI, an absolute URI) the flow too. */
static void match_name(blocklist_detector_t *d, const ntt_flow_event_t *ev,
                       const char *name, size_t len, uint8_t kind,
                       touched_t *touched, ntt_detect_sink_t *sink)
{
    const ntt_packet_t *pk = ev->pkt;
    uint32_t entry = ntt_blocklist_match_name(d->list, name, len);
    const ntt_addr_t *host, *other;
    ntt_tracker_key_t key;
    contact_t *c;

    if (entry == NTT_BLOCKLIST_NO_MATCH)
        return;
    host_of_name(pk, kind, &host, &other);
    contact_key(&key, host, pk->ip_version, entry);
    c = contact_get(d, &key, pk, sink);
    touch(touched, &key);
    if (kind == NTT_NAME_DNS_ANSWER) {
        remember_resolved(d, pk, entry);
        for (unsigned i = 0; i < pk->resolved_count; i++)
            set_destination(c, &pk->resolved[i].addr, pk->resolved[i].ip_version);
    } else if (kind != NTT_NAME_DNS_QUERY) {
        /* The DNS server is not the bad destination; a web server named
         * by Host or SNI is. */
        set_destination(c, other, pk->ip_version);
        remember_flow(d, ev, &key, (ntt_dir_t)ev->flow->dir);
    }
}

static void match_names(blocklist_detector_t *d, const ntt_flow_event_t *ev,
                        touched_t *touched, ntt_detect_sink_t *sink)
{
    const ntt_packet_t *pk = ev->pkt;
    const char *host;
    size_t host_len;

    for (unsigned i = 0; i < pk->name_count; i++)
        match_name(d, ev, pk->names[i].text, pk->names[i].len, pk->names[i].kind,
                   touched, sink);
    if (pk->http_uri && uri_host(pk->http_uri, pk->http_uri_len, &host, &host_len))
        match_name(d, ev, host, host_len, NTT_NAME_HTTP_HOST, touched, sink);
}

/* A new flow to (or from) a bad address belongs to the host's episode. */
static void match_flow(blocklist_detector_t *d, const ntt_flow_event_t *ev,
                       ntt_detect_sink_t *sink)
{
    const ntt_flow_summary_t *f = ev->summary;
    const ntt_packet_t *pk = ev->pkt;
    ntt_tracker_key_t key;
    ntt_dir_t host_dir = NTT_DIR_ORIG;
    uint32_t entry = address_entry(d, &f->resp_addr, f->ip_version);
    const ntt_addr_t *host = &f->orig_addr, *bad = &f->resp_addr;
    contact_t *c;

    if (entry == NTT_BLOCKLIST_NO_MATCH) {
        /* Inbound from a bad address: the host is the responder. */
        entry = address_entry(d, &f->orig_addr, f->ip_version);
        host = &f->resp_addr;
        bad = &f->orig_addr;
        host_dir = NTT_DIR_RESP;
    }
    if (entry == NTT_BLOCKLIST_NO_MATCH)
        return;
    contact_key(&key, host, f->ip_version, entry);
    c = contact_get(d, &key, pk, sink);
    set_destination(c, bad, f->ip_version);
    remember_flow(d, ev, &key, host_dir);
}

/* The flow's packets: counted, the host's downloads added up. */
static void follow_flow(blocklist_detector_t *d, const ntt_flow_event_t *ev,
                        touched_t *touched, ntt_detect_sink_t *sink)
{
    const ntt_packet_t *pk = ev->pkt;
    const bad_flow_t *f = *ntt_flow_event_slot(ev, d->slot);
    contact_t *c;

    if (!f)
        return;
    c = contact_get(d, &f->contact, pk, sink);
    if (ev->flow->dir != f->host_dir)
        c->bytes_received += pk->frame_len;
    if (pk->http_uri && !c->uri) {
        size_t len = MIN(pk->http_uri_len, MAX_URI);

        /* Packed into the chunk: its bytes are the string's. */
        if (ntt_memcap_reserve(d->uri_bytes, len + 1))
            c->uri = g_string_chunk_insert_len(d->uris, pk->http_uri, (gssize)len);
        else
            d->uri_bytes->refused++;
    }
    touch(touched, &f->contact);
}

static void emit(blocklist_detector_t *d, const ntt_tracker_key_t *key,
                 ntt_detect_sink_t *sink)
{
    contact_t *c = ntt_tracker_table_find(d->contacts, key);
    ntt_episode_detail_t detail;

    if (!c)
        return;
    ntt_detect_mark(sink, &c->base);
    memset(&detail, 0, sizeof detail);
    detail.blocklist.entry = c->entry;
    detail.blocklist.entry_text = ntt_blocklist_entry(d->list, c->entry)->text;
    detail.blocklist.bytes_received = c->bytes_received;
    detail.blocklist.uri = c->uri;
    /* A listed destination is not a matter of degree: the first packet
     * decides. */
    if (!c->base.raised) {
        ntt_episode_t info;

        ntt_episode_identity(&info, NTT_EPISODE_BLOCKLIST, c->ip_version, &c->host,
                             c->has_dst ? &c->dst : NULL, NULL);
        info.detail = detail;
        ntt_detect_raise(sink, &c->base, &info);
    } else {
        ntt_detect_update(sink, &c->base, &detail,
                          c->has_dst ? &c->dst : NULL);
    }
}

static void blocklist_event(void *state, const ntt_flow_event_t *ev,
                            ntt_detect_sink_t *sink)
{
    blocklist_detector_t *d = state;
    touched_t touched;

    touched.count = 0;
    if (ev->what & NTT_EV_NAMES)
        match_names(d, ev, &touched, sink);
    if (ev->what & NTT_EV_OPENED)
        match_flow(d, ev, sink);
    follow_flow(d, ev, &touched, sink);
    for (unsigned i = 0; i < touched.count; i++)
        emit(d, &touched.keys[i], sink);
}

const ntt_detector_ops_t ntt_detect_blocklist_ops = {
    .name = "blocklist",
    .events = NTT_EV_NAMES | NTT_EV_OPENED | NTT_EV_SLOTTED,
    .create = blocklist_create,
    .destroy = blocklist_destroy,
    .event = blocklist_event,
    .slot_free = blocklist_slot_free,
};
