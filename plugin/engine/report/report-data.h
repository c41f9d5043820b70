/* report-data.h
 * The report's accumulated numbers, shared by the code that gathers them
 * (report.c) and the two renderers (report-text.c, report-json.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_REPORT_DATA_H
#define NTT_REPORT_DATA_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "analytics/time-of-day.h"
#include "analytics/time-profile.h"
#include "ntt/report.h"
#include "report/field-sink.h"
#include "util/hash-table.h"

typedef struct ntt_counts {
    uint64_t pkts;
    uint64_t bytes;
} ntt_counts_t;

/* The protocol mix rows, in report order. */
typedef enum ntt_mix {
    NTT_MIX_TCP = 0,
    NTT_MIX_UDP,
    NTT_MIX_ICMP,       /* ICMP and ICMPv6 */
    NTT_MIX_OTHER_IP,
    NTT_MIX_NON_IP,
    NTT_MIX_COUNT
} ntt_mix_t;

typedef struct ntt_talker ntt_talker_t;

/* report-geo.c: packets and bytes per country and autonomous system. */
#define NTT_GEO_COUNTRIES (26 * 26)
typedef struct ntt_report_geo ntt_report_geo_t;
ntt_report_geo_t *ntt_report_geo_new(void);
void ntt_report_geo_free(ntt_report_geo_t *geo);
/* One packet between the ends whose GeoIP answers are ids[0], ids[1]. */
void ntt_report_geo_count(ntt_report_geo_t *g, const ntt_geo_t *geo,
                          const uint32_t ids[2], uint32_t frame_len);
/* "GB" -> 0..675, or -1 for anything that is not two capitals. */
int ntt_geo_country_index(const char *code);

/* One flow as far as the report's (possibly filtered) packets go. */
typedef struct ntt_report_flow {
    uint64_t      bytes;
    uint32_t      pkts;         /* 0: none of its packets counted */
    /* Not its talkers: two pointers a flow cost 16 of 32 bytes, 15 MiB
     * on a flood of a million spoofed sources, to save two lookups a
     * packet (ntt_report_flow_talker()). */
} ntt_report_flow_t;

/* Whether any of the flow's packets passed the report's filter. */
static inline bool ntt_report_flow_seen(const ntt_report_flow_t *f)
{
    return f->pkts > 0;
}

struct ntt_talker {
    ntt_hash_link_t link;      /* in the report's talkers */
    ntt_addr_t addr;           /* the key: addr, ip_version, zero */
    uint8_t    ip_version;
    uint8_t    zero[3];        /* keys compare as bytes */
    uint64_t   pkts_sent, pkts_received;
    uint64_t   bytes_sent, bytes_received;
    /* Sent and received outside working hours (only counted when they
     * are set). */
    uint64_t   off_hours_pkts, off_hours_bytes;
};

/* A flow or talker picked for a "top" table. */
typedef struct ntt_ranked {
    uint32_t index;            /* flow id or talker position */
    uint64_t bytes;
} ntt_ranked_t;

struct ntt_report {
    ntt_report_limits_t limits;
    char               *filter;
    ntt_engine_t       *engine;    /* a reference; NULL before any packet */

    uint64_t     packets;
    uint64_t     bytes;
    int64_t      first_ns;
    int64_t      last_ns;

    /* Packets per 1-second bin, counted from the first packet: the peak
     * rate. */
    ntt_bin_counter_t rate;

    ntt_counts_t mix[NTT_MIX_COUNT];
    ntt_counts_t *services;     /* by ntt_service_t */
    uint64_t    *service_flows;

    GArray      *flows;         /* ntt_report_flow_t, index = flow id */
    uint64_t     flows_seen;

    ntt_hash_table_t talkers;   /* ntt_talker_t, by address (the engine's seed) */
    ntt_talker_t other_talkers; /* addresses past the table's cap */
    bool         talkers_full;

    ntt_report_geo_t *geo;      /* NULL: the engine has no GeoIP */

    /* report-time.c: bins, burstiness and the time of day. */
    ntt_time_profile_t time;
    ntt_local_clock_t  clock;   /* in the engine's zone */
    ntt_counts_t       hours[24];  /* by local hour */
    ntt_counts_t       off_hours;  /* outside working hours, when set */
};

/* The top n flows by bytes, largest first (ties: lower id first); returns
 * how many were filled. */
unsigned ntt_report_top_flows(const ntt_report_t *report, ntt_ranked_t *top,
                              unsigned n);

/* The talkers sorted by bytes sent and received, largest first; free with
 * g_free(). */
ntt_talker_t **ntt_report_sorted_talkers(const ntt_report_t *report,
                                         unsigned *count);
/* The talker of the flow's end (NTT_DIR_ORIG: its originator), NULL when
 * the table was full when the flow began (its packets went to "others"). */
const ntt_talker_t *ntt_report_flow_talker(const ntt_report_t *report,
                                           const ntt_flow_summary_t *flow, ntt_dir_t end);

/* Talkers in address order (IPv4 first): the tie-break of every talker
 * ranking, so that no ranking depends on the table's seed. */
int ntt_talker_compare_address(const ntt_talker_t *a, const ntt_talker_t *b);

/* Flows seen by the report, per final connection state. */
void ntt_report_flows_by_state(const ntt_report_t *report,
                               uint64_t by_state[NTT_STATE_COUNT]);

/* Mix row names: "TCP", "UDP", "ICMP", "Other IP", "Non-IP". */
const char *ntt_mix_name(ntt_mix_t mix);

/* Seconds between first and last packet (0 with fewer than two). */
double ntt_report_duration(const ntt_report_t *report);

/* "udp", "tcp", "icmp", "icmpv6", "sctp", or the protocol number. */
const char *ntt_ip_proto_name(uint8_t ip_proto, char *buf, size_t size);

/* UTC time as "2024-01-02 03:04:05.678901"; buf holds 32 bytes. */
char *ntt_format_utc(int64_t ts_ns, char *buf, size_t size);

/* One end of a flow as the tables show it: "192.0.2.1:80", "[2001:db8::1]:80",
 * the address alone without ports. */
char *ntt_format_flow_end(const ntt_flow_summary_t *f, ntt_dir_t end, char *buf, size_t size);

/* report-json.c: a flow's fields (the entries of flows.top[]), from the
 * engine's record of flow id and the report's counts of it; _record
 * takes the two directly (the CSV header visits an empty flow for its
 * keys). */
void ntt_report_visit_flow(const ntt_report_t *r, uint32_t id,
                           const ntt_field_sink_t *sink);
void ntt_report_visit_flow_record(uint32_t id, const ntt_flow_summary_t *f,
                                  const ntt_report_flow_t *rf,
                                  const ntt_field_sink_t *sink);

/* report-alerts.c: the Alerts section and the "alerts" array; an
 * episode's fields (the entries of alerts[]). */
struct ntt_json;

/* report-json.c: a flow's proto, src, sport, dst, dport, service and
 * state keys, as every flow object in the JSON has them. */
void ntt_report_emit_flow_identity(struct ntt_json *j, const ntt_flow_summary_t *f);

/* report-alerts.c: the Alerts section and the "alerts" array. */
void ntt_report_render_alerts_text(const ntt_report_t *r, GString *out);
void ntt_report_emit_alerts_json(const ntt_report_t *r, struct ntt_json *j);
void ntt_report_visit_alert(const ntt_report_t *r, const ntt_episode_t *ep,
                            const ntt_field_sink_t *sink);

/* report-geo.c: the Geography section and the "geo" object. */
void ntt_report_render_geo_text(const ntt_report_t *r, GString *out);
void ntt_report_emit_geo_json(const ntt_report_t *r, struct ntt_json *j);

/* report-time.c: the time profile. start: a new engine (its zone);
 * count: one packet, true when it falls outside working hours. */
void ntt_report_time_start(ntt_report_t *r);
bool ntt_report_time_count(ntt_report_t *r, int64_t ts_ns, uint32_t frame_len,
                           const ntt_frame_t *frame);
void ntt_report_render_burstiness_text(const ntt_report_t *r, GString *out);
void ntt_report_render_time_of_day_text(const ntt_report_t *r, GString *out);
void ntt_report_emit_time_json(const ntt_report_t *r, struct ntt_json *j);

/* report-engine.c: the Engine section and the "engine" object. */
void ntt_report_render_engine_text(const ntt_report_t *r, GString *out);
void ntt_report_emit_engine_json(const ntt_report_t *r, struct ntt_json *j);

/* report-entropy.c: the Entropy section and the "entropy" object. */
void ntt_report_render_entropy_text(const ntt_report_t *r, GString *out);
void ntt_report_emit_entropy_json(const ntt_report_t *r, struct ntt_json *j);

/* report-blocklist.c: the Blocklist section and the "blocklist" object. */
void ntt_report_render_blocklist_text(const ntt_report_t *r, GString *out);
void ntt_report_emit_blocklist_json(const ntt_report_t *r, struct ntt_json *j);

/* report-anomaly.c: the Anomalous flows section and the "anomaly" object. */
void ntt_report_render_anomaly_text(const ntt_report_t *r, GString *out);
void ntt_report_emit_anomaly_json(const ntt_report_t *r, struct ntt_json *j);
/* report-conn.c: a flow's Zeek uid ("C" and base 62), deterministic;
 * buf holds 32 bytes. */
void ntt_conn_uid(const ntt_flow_summary_t *f, uint32_t id, char *buf, size_t size);

/* report-csv.c: one RFC 4180 field (quoted when it holds a comma, a
 * quote or a line break; quotes doubled); the column lists (free with
 * g_ptr_array_free(columns, TRUE)). */
void ntt_csv_append_field(GString *out, const char *value);
GPtrArray *ntt_csv_flow_columns(void);
GPtrArray *ntt_csv_alert_columns(void);

#endif /* NTT_REPORT_DATA_H */
