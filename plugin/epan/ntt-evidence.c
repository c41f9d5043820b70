/* ntt-evidence.c
 * The SQL side of -z ntt,evidence (see ntt-evidence.h and
 * docs/evidence.md): the engine gathers the rows (ntt/evidence.h), this
 * file writes them.
 *
 * Two listeners on the "ntt" tap: one without a filter feeds every
 * packet's timestamp, lengths and captured bytes (the frame's own data
 * source, as ntt-record.c reads it) to the capture's fingerprint; the
 * other, with the report's filter, notes the frames of each flow. When
 * there is no filter one listener does both. At the end (draw) the
 * capture is written in one BEGIN IMMEDIATE transaction: another writer
 * is waited for (ntt.evidence_busy_timeout), a capture already there (the
 * same fingerprint) is not written again, and any failure rolls the whole
 * capture back and says why, leaving the other reports of the run alone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-evidence.h"

#include <stdio.h>
#include <string.h>

#include <epan/epan.h>
#include <epan/packet.h>
#include <epan/tap.h>
#include <wsutil/report_message.h>

#include "ntt/evidence.h"
#include "ntt-blocklist-file.h"
#include "ntt-compat.h"
#include "ntt-record.h"
#include "ntt-sqlite-lazy.h"
#include "packet-ntt.h"

/* The schema this ntt writes: PRAGMA user_version and meta.schema_version.
 * A change to the tables is a new number and a note in docs/evidence.md. */
#define EVIDENCE_SCHEMA_VERSION 1
#define EVIDENCE_APPLICATION "ntt evidence database"
#define DEFAULT_BUSY_TIMEOUT_MS 10000

static const char *pref_key_file = "";
static guint pref_busy_timeout = DEFAULT_BUSY_TIMEOUT_MS;

void ntt_evidence_register(module_t *module)
{
    prefs_register_filename_preference(module, "evidence_key_file",
        "Evidence database key file",
        "A file whose content (one trailing newline ignored) is the passphrase "
        "that encrypts the -z ntt,evidence database with SQLCipher; empty: a "
        "plain SQLite file (docs/evidence.md)", &pref_key_file, FALSE);
    prefs_register_uint_preference(module, "evidence_busy_timeout",
        "Evidence database wait (milliseconds)",
        "How long -z ntt,evidence waits for another writer of the same "
        "database before it gives up (nothing written)", 10, &pref_busy_timeout);
}

/* ------------------------------------------------------------------ */
/* Listeners                                                          */
/* ------------------------------------------------------------------ */

typedef struct evidence_run {
    int                refs;          /* listeners holding it */
    char              *path;
    char              *filter;        /* NULL: none */
    ntt_fingerprint_t *fingerprint;
    ntt_evidence_t    *evidence;
    bool               written;       /* draw comes once in tshark; once is enough */
} evidence_run_t;

typedef struct evidence_listener {
    evidence_run_t *run;
    bool            fingerprints;     /* sees every packet */
    bool            gathers;          /* sees the filter's packets, and writes */
} evidence_listener_t;

static void run_unref(evidence_run_t *run)
{
    if (--run->refs > 0)
        return;
    ntt_fingerprint_free(run->fingerprint);
    ntt_evidence_free(run->evidence);
    g_free(run->path);
    g_free(run->filter);
    g_free(run);
}

static void listener_reset(void *tapdata)
{
    evidence_listener_t *l = tapdata;

    if (l->fingerprints)
        ntt_fingerprint_reset(l->run->fingerprint);
    if (l->gathers) {
        ntt_evidence_reset(l->run->evidence);
        l->run->written = false;
    }
}

static void fingerprint_packet(ntt_fingerprint_t *fp, packet_info *pinfo)
{
    tvbuff_t *tvb = pinfo->data_src ?
        get_data_source_tvb((struct data_source *)pinfo->data_src->data) : NULL;
    guint caplen = tvb ? tvb_captured_length(tvb) : 0;
    const guint8 *bytes = caplen ? tvb_get_ptr(tvb, 0, (gint)caplen) : NULL;

    ntt_fingerprint_add(fp, ntt_record_ts_ns(pinfo), pinfo->fd->pkt_len, bytes, caplen);
}

static tap_packet_status listener_packet(void *tapdata, packet_info *pinfo,
                                         epan_dissect_t *edt _U_,
                                         const void *data,
                                         tap_flags_t flags _U_)
{
    evidence_listener_t *l = tapdata;
    const ntt_tap_info_t *info = data;
    ntt_engine_t *engine = ntt_current_engine();

    if (l->fingerprints)
        fingerprint_packet(l->run->fingerprint, pinfo);
    if (l->gathers && engine)
        ntt_evidence_add(l->run->evidence, engine, pinfo->num, pinfo->fd->pkt_len,
                         &info->frame);
    return TAP_PACKET_DONT_REDRAW;
}

static void write_run(evidence_run_t *run);

static void listener_draw(void *tapdata)
{
    evidence_listener_t *l = tapdata;

    if (!l->gathers || l->run->written)
        return;
    l->run->written = true;
    write_run(l->run);
}

static void listener_finish(void *tapdata)
{
    evidence_listener_t *l = tapdata;

    run_unref(l->run);
    g_free(l);
}

static evidence_listener_t *add_listener(evidence_run_t *run, const char *filter,
                                         bool fingerprints, bool gathers)
{
    evidence_listener_t *l = g_new0(evidence_listener_t, 1);
    GString *error;

    l->run = run;
    l->fingerprints = fingerprints;
    l->gathers = gathers;
    run->refs++;
    error = register_tap_listener("ntt", l, filter, TL_REQUIRES_NOTHING,
                                  listener_reset, listener_packet,
                                  listener_draw, listener_finish);
    if (error) {
        report_failure("ntt: could not start -z ntt,evidence: %s", error->str);
        g_string_free(error, TRUE);
        listener_finish(l);
        return NULL;
    }
    return l;
}

bool ntt_evidence_start(const char *opt_arg)
{
    static const char prefix[] = "ntt,evidence,";
    const char *rest, *comma;
    evidence_run_t *run;
    evidence_listener_t *first;
    bool ok;

    if (strncmp(opt_arg, prefix, sizeof prefix - 1) != 0 ||
        !*(rest = opt_arg + sizeof prefix - 1) || *rest == ',') {
        report_failure("ntt: invalid \"-z %s\" argument; use -z ntt,evidence,PATH.db[,filter]",
                       opt_arg);
        return false;
    }
    run = g_new0(evidence_run_t, 1);
    comma = strchr(rest, ',');
    run->path = comma ? g_strndup(rest, (gsize)(comma - rest)) : g_strdup(rest);
    run->filter = comma && comma[1] ? g_strdup(comma + 1) : NULL;
    run->fingerprint = ntt_fingerprint_new();
    run->evidence = ntt_evidence_new();
    run->refs = 1;      /* ours, until both listeners are in */
    first = add_listener(run, NULL, true, run->filter == NULL);
    ok = first != NULL;
    if (ok && run->filter && !add_listener(run, run->filter, false, true)) {
        /* The filter did not compile: the fingerprint listener goes too,
         * nothing will be written. */
        remove_tap_listener(first);
        ok = false;
    }
    run_unref(run);
    return ok;
}

/* ------------------------------------------------------------------ */
/* The database                                                       */
/* ------------------------------------------------------------------ */

/* Version 1 (docs/evidence.md is its description; keep the two alike).
 * Written for SQLite 3.15 (SQLCipher 3.4's): no JSON, no UPSERT. */
static const char schema_v1[] =
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
    "CREATE TABLE captures ("
    " id INTEGER PRIMARY KEY,"
    " fingerprint TEXT NOT NULL UNIQUE,"
    " fingerprint_method TEXT NOT NULL,"
    " packets INTEGER NOT NULL,"
    " bytes INTEGER NOT NULL,"
    " first_ns INTEGER, last_ns INTEGER,"
    " first_utc TEXT, last_utc TEXT,"
    " filter TEXT,"
    " filtered_packets INTEGER NOT NULL,"
    " episodes INTEGER NOT NULL,"
    " blocklist_hits INTEGER NOT NULL,"
    " flows INTEGER NOT NULL,"
    " ntt_version TEXT NOT NULL,"
    " wireshark_version TEXT NOT NULL,"
    " geoip_location TEXT, geoip_asn TEXT,"
    " blocklist_file TEXT, blocklist_entries INTEGER);"
    "CREATE TABLE episodes ("
    " capture_id INTEGER NOT NULL REFERENCES captures(id),"
    " episode INTEGER NOT NULL,"
    " type TEXT NOT NULL,"
    " src TEXT, dst TEXT, port INTEGER,"
    " first_frame INTEGER NOT NULL, detect_frame INTEGER NOT NULL,"
    " last_frame INTEGER NOT NULL,"
    " packets INTEGER NOT NULL,"
    " start_ns INTEGER NOT NULL, detect_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,"
    " start_utc TEXT NOT NULL,"
    " summary TEXT NOT NULL,"
    " src_country TEXT, src_asn INTEGER, src_org TEXT,"
    " PRIMARY KEY (capture_id, episode));"
    "CREATE TABLE episode_details ("
    " capture_id INTEGER NOT NULL, episode INTEGER NOT NULL,"
    " key TEXT NOT NULL, value,"
    " PRIMARY KEY (capture_id, episode, key),"
    " FOREIGN KEY (capture_id, episode) REFERENCES episodes(capture_id, episode));"
    "CREATE TABLE blocklist_hits ("
    " capture_id INTEGER NOT NULL, episode INTEGER NOT NULL,"
    " host TEXT NOT NULL,"
    " entry TEXT NOT NULL, indicator TEXT NOT NULL, line INTEGER NOT NULL,"
    " dst TEXT, uri TEXT,"
    " bytes_received INTEGER NOT NULL, packets INTEGER NOT NULL,"
    " first_frame INTEGER NOT NULL, detect_frame INTEGER NOT NULL,"
    " last_frame INTEGER NOT NULL,"
    " first_ns INTEGER NOT NULL, last_ns INTEGER NOT NULL,"
    " first_utc TEXT NOT NULL, last_utc TEXT NOT NULL,"
    " dst_country TEXT, dst_country_name TEXT, dst_city TEXT,"
    " dst_asn INTEGER, dst_org TEXT,"
    " PRIMARY KEY (capture_id, episode),"
    " FOREIGN KEY (capture_id, episode) REFERENCES episodes(capture_id, episode));"
    "CREATE TABLE flows ("
    " capture_id INTEGER NOT NULL REFERENCES captures(id),"
    " flow INTEGER NOT NULL,"
    " proto TEXT NOT NULL,"
    " src TEXT NOT NULL, sport INTEGER NOT NULL,"
    " dst TEXT NOT NULL, dport INTEGER NOT NULL,"
    " service TEXT, state TEXT,"
    " packets INTEGER NOT NULL, bytes INTEGER NOT NULL,"
    " total_packets INTEGER NOT NULL, total_bytes INTEGER NOT NULL,"
    " start_ns INTEGER NOT NULL, end_ns INTEGER NOT NULL,"
    " first_frame INTEGER NOT NULL, last_frame INTEGER NOT NULL,"
    " PRIMARY KEY (capture_id, flow));"
    "CREATE INDEX episodes_src ON episodes(src);"
    "CREATE INDEX episodes_dst ON episodes(dst);"
    "CREATE INDEX blocklist_hits_host ON blocklist_hits(host);"
    "CREATE INDEX flows_src ON flows(src);"
    "CREATE INDEX flows_dst ON flows(dst);";

/* The SQLite functions, set by write_run() before any is called: the
 * library is opened by the first database written (ntt-sqlite-lazy.h). */
static const ntt_sqlite_t *sqlite;

typedef struct writer {
    sqlite3    *db;
    const char *path;
    GString    *why;       /* the reason it failed, for the message */
    int         code;      /* the SQLite result that failed */
    bool        keyed;
} writer_t;

static bool failed(writer_t *w, int rc, const char *what)
{
    w->code = rc;
    g_string_printf(w->why, "%s: %s", what, w->db ? sqlite->errmsg(w->db) : sqlite->errstr(rc));
    return false;
}

static bool exec(writer_t *w, const char *sql)
{
    int rc = sqlite->exec(w->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK || failed(w, rc, sql);
}

static sqlite3_stmt *prepare(writer_t *w, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite->prepare_v2(w->db, sql, -1, &st, NULL);

    if (rc != SQLITE_OK) {
        failed(w, rc, "preparing a statement");
        sqlite->finalize(st);
        return NULL;
    }
    return st;
}

/* Runs a bound statement that returns no row, ready for the next. */
static bool step(writer_t *w, sqlite3_stmt *st, const char *what)
{
    int rc = sqlite->step(st);

    sqlite->reset(st);
    sqlite->clear_bindings(st);
    return rc == SQLITE_DONE || failed(w, rc, what);
}

static void bind_text(sqlite3_stmt *st, int i, const char *text)
{
    if (text && *text)
        sqlite->bind_text(st, i, text, -1, SQLITE_TRANSIENT);
    else
        sqlite->bind_null(st, i);
}

static void bind_uint(sqlite3_stmt *st, int i, uint64_t value)
{
    sqlite->bind_int64(st, i, (sqlite3_int64)value);
}

static void bind_addr(sqlite3_stmt *st, int i, bool has, const ntt_addr_t *addr,
                      uint8_t ip_version)
{
    char buf[NTT_ADDR_STRLEN];

    bind_text(st, i, has ? ntt_addr_format(addr, ip_version, buf) : NULL);
}

/* An integer that 0 means "not known" for (an AS number). */
static void bind_nonzero(sqlite3_stmt *st, int i, uint64_t value)
{
    if (value)
        bind_uint(st, i, value);
    else
        sqlite->bind_null(st, i);
}

/* An episode's first, detection and last frame, into columns i .. i + 2
 * (episodes and blocklist_hits both go back to the packets with them). */
static void bind_frames(sqlite3_stmt *st, int i, const ntt_episode_t *ep)
{
    bind_uint(st, i, ep->first_frame);
    bind_uint(st, i + 1, ep->detect_frame);
    bind_uint(st, i + 2, ep->last_frame);
}

/* The single integer a query returns, or -1 when it returns no row. */
static bool query_int(writer_t *w, const char *sql, const char *text, int64_t *out)
{
    sqlite3_stmt *st = prepare(w, sql);
    int rc;

    if (!st)
        return false;
    if (text)
        sqlite->bind_text(st, 1, text, -1, SQLITE_TRANSIENT);
    rc = sqlite->step(st);
    *out = rc == SQLITE_ROW ? sqlite->column_int64(st, 0) : -1;
    sqlite->finalize(st);
    return rc == SQLITE_ROW || rc == SQLITE_DONE || failed(w, rc, sql);
}

/* The passphrase in the key file (one trailing newline dropped), read
 * before the database is opened, so that a key that cannot be had leaves
 * no file behind. NULL with w->why set on failure; *key NULL (and true)
 * when no key is asked for. */
static bool read_key(writer_t *w, char **key, gsize *len)
{
    GError *error = NULL;

    *key = NULL;
    *len = 0;
    if (!pref_key_file || !*pref_key_file)
        return true;
#ifndef NTT_HAVE_SQLCIPHER
    (void)error;
    g_string_printf(w->why, "this ntt was built without SQLCipher, so it cannot encrypt "
                    "(ntt.evidence_key_file is set; rebuild with libsqlcipher-dev)");
    return false;
#else
    if (!g_file_get_contents(pref_key_file, key, len, &error)) {
        g_string_printf(w->why, "cannot read the key file (ntt.evidence_key_file): %s",
                        error->message);
        g_error_free(error);
        return false;
    }
    if (*len && (*key)[*len - 1] == '\n')
        (*len)--;
    if (*len && (*key)[*len - 1] == '\r')
        (*len)--;
    if (*len == 0) {
        g_string_printf(w->why, "the key file %s is empty (ntt.evidence_key_file)",
                        pref_key_file);
        g_free(*key);
        *key = NULL;
        return false;
    }
    return true;
#endif
}

/* Applies the key (if any) to the open connection and wipes it. */
static bool apply_key(writer_t *w, char *key, gsize len)
{
    bool ok = true;

    if (!key)
        return true;
#ifdef NTT_HAVE_SQLCIPHER
    ok = sqlite->key(w->db, key, (int)len) == SQLITE_OK;
    w->keyed = ok;
#endif
    memset(key, 0, len);
    g_free(key);
    return ok || failed(w, SQLITE_ERROR, "applying the key");
}

/* A new file gets the schema; one of ours is checked; anything else is
 * refused (nothing written). */
static bool prepare_schema(writer_t *w)
{
    int64_t version, tables, application;
    char *sql;
    bool ok;

    if (!query_int(w, "PRAGMA user_version", NULL, &version) ||
        !query_int(w, "SELECT count(*) FROM sqlite_master", NULL, &tables))
        return false;
    if (version == 0 && tables == 0) {
        sql = g_strdup_printf("%s PRAGMA user_version = %d;"
                              "INSERT INTO meta VALUES ('application', '%s');"
                              "INSERT INTO meta VALUES ('schema_version', '%d');"
                              "INSERT INTO meta VALUES ('created_by', 'ntt %s');",
                              schema_v1, EVIDENCE_SCHEMA_VERSION, EVIDENCE_APPLICATION,
                              EVIDENCE_SCHEMA_VERSION, NTT_VERSION);
        ok = exec(w, sql);
        g_free(sql);
        return ok;
    }
    if (version > EVIDENCE_SCHEMA_VERSION) {
        g_string_printf(w->why, "its schema is version %" G_GINT64_FORMAT ", newer than "
                        "this ntt writes (%d): use a newer ntt or another file",
                        version, EVIDENCE_SCHEMA_VERSION);
        return false;
    }
    if (version == EVIDENCE_SCHEMA_VERSION &&
        query_int(w, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'",
                  NULL, &tables) && tables == 1 &&
        query_int(w, "SELECT count(*) FROM meta WHERE key = 'application' AND value = ?1",
                  EVIDENCE_APPLICATION, &application) && application == 1)
        return true;
    if (w->code == SQLITE_OK)
        g_string_printf(w->why, "it is an SQLite database but not an ntt evidence "
                        "database: use another file");
    return false;
}

/* The rows of one capture, counted for the capture row and the message. */
typedef struct counts {
    unsigned episodes;
    unsigned hits;
    unsigned flows;
} counts_t;

static bool insert_details(writer_t *w, sqlite3_stmt *st, int64_t capture,
                           const ntt_episode_t *ep)
{
    const ntt_episode_descriptor_t *desc = ntt_episode_describe((ntt_episode_type_t)ep->type);

    for (unsigned i = 0; desc && i < desc->field_count; i++) {
        const ntt_episode_field_t *field = &desc->fields[i];

        if (field->only_if_set && !ntt_episode_field_is_set(field, &ep->detail))
            continue;
        sqlite->bind_int64(st, 1, capture);
        bind_uint(st, 2, ep->id);
        bind_text(st, 3, field->key);
        switch (ntt_episode_field_value(field)) {
        case NTT_EPISODE_VALUE_UINT:
            bind_uint(st, 4, ntt_episode_field_uint(field, &ep->detail));
            break;
        case NTT_EPISODE_VALUE_REAL:
            sqlite->bind_double(st, 4, ntt_episode_field_rate(field, &ep->detail));
            break;
        default:
            sqlite->bind_text(st, 4, ntt_episode_field_string(field, &ep->detail), -1,
                              SQLITE_TRANSIENT);
            break;
        }
        if (!step(w, st, "recording an episode's detail"))
            return false;
    }
    return true;
}

static bool insert_episode(writer_t *w, sqlite3_stmt *st, int64_t capture,
                           const ntt_engine_t *engine, const ntt_episode_t *ep)
{
    const ntt_geo_info_t *geo = ntt_engine_attacker_geo(engine, ep);
    char when[40], summary[256];

    sqlite->bind_int64(st, 1, capture);
    bind_uint(st, 2, ep->id);
    bind_text(st, 3, ntt_episode_type_name((ntt_episode_type_t)ep->type));
    bind_addr(st, 4, ep->has_src, &ep->src, ep->ip_version);
    bind_addr(st, 5, ep->has_dst, &ep->dst, ep->ip_version);
    if (ep->has_port)
        bind_uint(st, 6, ep->port);
    bind_frames(st, 7, ep);
    bind_uint(st, 10, ep->packets);
    sqlite->bind_int64(st, 11, ep->start_ns);
    sqlite->bind_int64(st, 12, ep->detect_ns);
    sqlite->bind_int64(st, 13, ep->end_ns);
    bind_text(st, 14, ntt_evidence_utc(ep->start_ns, when, sizeof when));
    bind_text(st, 15, ntt_episode_summary(ep, summary, sizeof summary));
    if (geo) {
        bind_text(st, 16, geo->country);
        bind_nonzero(st, 17, geo->asn);
        bind_text(st, 18, geo->org);
    }
    return step(w, st, "recording an episode");
}

static bool insert_hit(writer_t *w, sqlite3_stmt *st, int64_t capture,
                       const ntt_engine_t *engine, const ntt_episode_t *ep)
{
    const ntt_blocklist_t *list = ntt_engine_blocklist(engine);
    const ntt_blocklist_entry_t *entry =
        list ? ntt_blocklist_entry(list, ep->detail.blocklist.entry) : NULL;
    const ntt_geo_info_t *geo = ntt_evidence_dst_geo(engine, ep);
    char first[40], last[40];

    sqlite->bind_int64(st, 1, capture);
    bind_uint(st, 2, ep->id);
    bind_addr(st, 3, true, &ep->src, ep->ip_version);
    sqlite->bind_text(st, 4, entry ? entry->text : "", -1, SQLITE_TRANSIENT);
    sqlite->bind_text(st, 5, entry ? ntt_indicator_name((ntt_indicator_t)entry->indicator) : "",
                      -1, SQLITE_TRANSIENT);
    bind_uint(st, 6, entry ? entry->line : 0);
    bind_addr(st, 7, ep->has_dst, &ep->dst, ep->ip_version);
    bind_text(st, 8, ep->detail.blocklist.uri);
    bind_uint(st, 9, ep->detail.blocklist.bytes_received);
    bind_uint(st, 10, ep->packets);
    bind_frames(st, 11, ep);
    sqlite->bind_int64(st, 14, ep->start_ns);
    sqlite->bind_int64(st, 15, ep->end_ns);
    bind_text(st, 16, ntt_evidence_utc(ep->start_ns, first, sizeof first));
    bind_text(st, 17, ntt_evidence_utc(ep->end_ns, last, sizeof last));
    if (geo) {
        bind_text(st, 18, geo->country);
        bind_text(st, 19, geo->country_name);
        bind_text(st, 20, geo->city);
        bind_nonzero(st, 21, geo->asn);
        bind_text(st, 22, geo->org);
    }
    return step(w, st, "recording a blocklist hit");
}

static bool insert_episodes(writer_t *w, int64_t capture, const ntt_engine_t *engine,
                            counts_t *counts)
{
    sqlite3_stmt *ep_st = prepare(w, "INSERT INTO episodes VALUES "
                                  "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)");
    sqlite3_stmt *detail_st = prepare(w, "INSERT INTO episode_details VALUES (?1,?2,?3,?4)");
    sqlite3_stmt *hit_st = prepare(w, "INSERT INTO blocklist_hits VALUES "
                                   "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,"
                                   "?17,?18,?19,?20,?21,?22)");
    uint32_t n = ntt_engine_episode_count(engine);
    bool ok = ep_st && detail_st && hit_st;

    for (uint32_t i = 0; ok && i < n; i++) {
        const ntt_episode_t *ep = ntt_engine_episode(engine, i);

        ok = insert_episode(w, ep_st, capture, engine, ep) &&
             insert_details(w, detail_st, capture, ep);
        counts->episodes++;
        if (ok && ep->type == NTT_EPISODE_BLOCKLIST) {
            ok = insert_hit(w, hit_st, capture, engine, ep);
            counts->hits++;
        }
    }
    sqlite->finalize(ep_st);
    sqlite->finalize(detail_st);
    sqlite->finalize(hit_st);
    return ok;
}

static bool insert_flows(writer_t *w, int64_t capture, const ntt_evidence_t *evidence,
                         counts_t *counts)
{
    sqlite3_stmt *st = prepare(w, "INSERT INTO flows VALUES "
                               "(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)");
    unsigned n;
    ntt_evidence_flow_t *flows = ntt_evidence_alerted_flows(evidence, &n);
    bool ok = st != NULL;

    for (unsigned i = 0; ok && i < n; i++) {
        const ntt_evidence_flow_t *f = &flows[i];
        const ntt_flow_summary_t *s = f->summary;
        char num[8];

        sqlite->bind_int64(st, 1, capture);
        bind_uint(st, 2, f->flow_id);
        bind_text(st, 3, ntt_evidence_proto_name(s->ip_proto, num, sizeof num));
        bind_addr(st, 4, true, &s->orig_addr, s->ip_version);
        bind_uint(st, 5, s->orig_port);
        bind_addr(st, 6, true, &s->resp_addr, s->ip_version);
        bind_uint(st, 7, s->resp_port);
        bind_text(st, 8, ntt_service_name(s->service));
        bind_text(st, 9, ntt_conn_state_name((ntt_conn_state_t)s->state));
        bind_uint(st, 10, f->packets);
        bind_uint(st, 11, f->bytes);
        bind_uint(st, 12, (uint64_t)s->pkts[0] + s->pkts[1]);
        bind_uint(st, 13, s->bytes[0] + s->bytes[1]);
        sqlite->bind_int64(st, 14, s->first_ns);
        sqlite->bind_int64(st, 15, s->last_ns);
        bind_uint(st, 16, f->first_frame);
        bind_uint(st, 17, f->last_frame);
        ok = step(w, st, "recording a flow");
        counts->flows++;
    }
    g_free(flows);
    sqlite->finalize(st);
    return ok;
}

static bool insert_capture(writer_t *w, const evidence_run_t *run, const char *fingerprint,
                           const counts_t *counts, int64_t *capture)
{
    ntt_engine_t *engine = ntt_evidence_engine(run->evidence);
    ntt_geo_t *geo = engine ? ntt_engine_geo(engine) : NULL;
    const ntt_blocklist_t *list = engine ? ntt_engine_blocklist(engine) : NULL;
    ntt_capture_extent_t extent;
    sqlite3_stmt *st = prepare(w, "INSERT INTO captures VALUES (NULL,?1,?2,?3,?4,?5,?6,?7,?8,"
                               "?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)");
    char first[40], last[40];
    bool ok;

    if (!st)
        return false;
    ntt_fingerprint_extent(run->fingerprint, &extent);
    bind_text(st, 1, fingerprint);
    bind_text(st, 2, NTT_FINGERPRINT_METHOD);
    bind_uint(st, 3, extent.packets);
    bind_uint(st, 4, extent.bytes);
    if (extent.packets) {
        sqlite->bind_int64(st, 5, extent.first_ns);
        sqlite->bind_int64(st, 6, extent.last_ns);
        bind_text(st, 7, ntt_evidence_utc(extent.first_ns, first, sizeof first));
        bind_text(st, 8, ntt_evidence_utc(extent.last_ns, last, sizeof last));
    }
    bind_text(st, 9, run->filter);
    bind_uint(st, 10, ntt_evidence_packets(run->evidence));
    bind_uint(st, 11, counts->episodes);
    bind_uint(st, 12, counts->hits);
    bind_uint(st, 13, counts->flows);
    bind_text(st, 14, NTT_VERSION);
    bind_text(st, 15, epan_get_version());
    if (geo) {
        bind_text(st, 16, ntt_geo_describe(geo, NTT_GEO_LOCATION));
        bind_text(st, 17, ntt_geo_describe(geo, NTT_GEO_ASN));
    }
    if (list) {
        bind_text(st, 18, ntt_blocklist_file_path());
        bind_uint(st, 19, ntt_blocklist_size(list));
    }
    ok = step(w, st, "recording the capture");
    sqlite->finalize(st);
    *capture = sqlite->last_insert_rowid(w->db);
    return ok;
}

/* What the capture's rows will count, for its own row (written first, so
 * that the others can name it). */
static void count_rows(const evidence_run_t *run, counts_t *counts)
{
    ntt_engine_t *engine = ntt_evidence_engine(run->evidence);
    uint32_t n = engine ? ntt_engine_episode_count(engine) : 0;
    ntt_evidence_flow_t *flows;

    memset(counts, 0, sizeof *counts);
    counts->episodes = n;
    for (uint32_t i = 0; i < n; i++)
        counts->hits += ntt_engine_episode(engine, i)->type == NTT_EPISODE_BLOCKLIST;
    flows = ntt_evidence_alerted_flows(run->evidence, &counts->flows);
    g_free(flows);
}

typedef enum outcome {
    OUTCOME_FAILED,
    OUTCOME_WRITTEN,
    OUTCOME_ALREADY,
} outcome_t;

static outcome_t write_capture(writer_t *w, const evidence_run_t *run,
                               const char *fingerprint, int64_t *capture,
                               counts_t *written)
{
    ntt_engine_t *engine = ntt_evidence_engine(run->evidence);
    counts_t expected;

    memset(written, 0, sizeof *written);
    if (!exec(w, "BEGIN IMMEDIATE"))
        return OUTCOME_FAILED;
    if (!prepare_schema(w) ||
        !query_int(w, "SELECT id FROM captures WHERE fingerprint = ?1", fingerprint, capture))
        goto rollback;
    if (*capture >= 0) {
        exec(w, "ROLLBACK");
        return OUTCOME_ALREADY;
    }
    count_rows(run, &expected);
    if (!insert_capture(w, run, fingerprint, &expected, capture) ||
        (engine && !insert_episodes(w, *capture, engine, written)) ||
        !insert_flows(w, *capture, run->evidence, written) ||
        !exec(w, "COMMIT"))
        goto rollback;
    return OUTCOME_WRITTEN;

rollback:
    /* Whatever failed, the capture goes as a whole or not at all. */
    if (!sqlite->get_autocommit(w->db))
        sqlite->exec(w->db, "ROLLBACK", NULL, NULL, NULL);
    return OUTCOME_FAILED;
}

/* The reason, in the words of what went wrong rather than SQLite's. */
static void explain(const writer_t *w, GString *message)
{
    switch (w->code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        g_string_append_printf(message, "it is locked by another writer (waited %u ms, "
                               "ntt.evidence_busy_timeout)", pref_busy_timeout);
        break;
    case SQLITE_NOTADB:
        if (w->keyed)
            g_string_append(message, "it cannot be read with the key in "
                            "ntt.evidence_key_file: a wrong key, or not an encrypted "
                            "ntt database");
        else
            g_string_append(message, "it is not an SQLite database (or it is encrypted: "
                            "set ntt.evidence_key_file)");
        break;
    case SQLITE_CORRUPT:
        g_string_append_printf(message, "it is corrupt (%s)", w->why->str);
        break;
    case SQLITE_CANTOPEN:
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_IOERR:
    case SQLITE_FULL:
        g_string_append_printf(message, "it cannot be written (%s)", w->why->str);
        break;
    default:
        g_string_append(message, w->why->str);
        break;
    }
}

static void write_run(evidence_run_t *run)
{
    writer_t w = { NULL, run->path, g_string_new(NULL), SQLITE_OK, false };
    char fingerprint[NTT_FINGERPRINT_HEX_SIZE];
    outcome_t outcome = OUTCOME_FAILED;
    counts_t counts = { 0, 0, 0 };
    int64_t capture = -1;
    char *key = NULL;
    gsize key_len = 0;
    int rc;

    ntt_fingerprint_hex(run->fingerprint, fingerprint);
    /* Without the library nothing is opened; w.why names it. */
    if (!(sqlite = ntt_sqlite(w.why)) || !read_key(&w, &key, &key_len))
        rc = SQLITE_MISUSE;     /* not opened: no file made */
    else if ((rc = sqlite->open_v2(run->path, &w.db,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)) != SQLITE_OK) {
        failed(&w, rc, "opening");
        if (key) {
            memset(key, 0, key_len);
            g_free(key);
        }
    } else if (apply_key(&w, key, key_len)) {
        sqlite->busy_timeout(w.db, (int)MIN(pref_busy_timeout, (guint)G_MAXINT));
        outcome = write_capture(&w, run, fingerprint, &capture, &counts);
    }
    if (sqlite)
        sqlite->close(w.db);

    switch (outcome) {
    case OUTCOME_WRITTEN:
        fprintf(stderr, "ntt: evidence: capture %" G_GINT64_FORMAT " recorded in %s: "
                "%u episode%s, %u blocklist hit%s, %u flow%s of alerted hosts "
                "(fingerprint %.16s...)\n", capture, run->path,
                counts.episodes, counts.episodes == 1 ? "" : "s",
                counts.hits, counts.hits == 1 ? "" : "s",
                counts.flows, counts.flows == 1 ? "" : "s", fingerprint);
        break;
    case OUTCOME_ALREADY:
        fprintf(stderr, "ntt: evidence: this capture is already recorded in %s as capture %"
                G_GINT64_FORMAT " (fingerprint %.16s...); nothing added\n",
                run->path, capture, fingerprint);
        break;
    case OUTCOME_FAILED:
    default: {
        GString *message = g_string_new(NULL);

        g_string_printf(message, "ntt: evidence not recorded in %s: ", run->path);
        explain(&w, message);
        g_string_append(message, "; nothing was written");
        report_failure("%s", message->str);
        g_string_free(message, TRUE);
        break;
    }
    }
    fflush(stderr);
    g_string_free(w.why, TRUE);
}
