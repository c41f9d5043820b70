/* report.h
 * The statistics behind `-z ntt,stats` and `-z ntt,json`: fed one packet
 * at a time by the tap (so a display filter can narrow it), rendered as
 * text or JSON at the end.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_REPORT_H
#define NTT_REPORT_H

#include <stdint.h>

#include <glib.h>

#include "ntt/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How many entries the report's own tables hold at most. */
typedef struct ntt_report_limits {
    uint32_t max_talkers;      /* addresses beyond it count as "(other)" */
    unsigned top_n;            /* rows in the "top" tables */
    unsigned bin_seconds;      /* width of the time profile's bins */
    unsigned timeline_bins;    /* the timeline's bins at most (then its
                                  width doubles) */
} ntt_report_limits_t;

void ntt_report_limits_init(ntt_report_limits_t *limits);

typedef struct ntt_report ntt_report_t;

ntt_report_t *ntt_report_new(const ntt_report_limits_t *limits,
                             const char *filter);
void ntt_report_free(ntt_report_t *report);
void ntt_report_reset(ntt_report_t *report);

/* One packet as the tap sees it. frame may be NULL (nothing known), and
 * frame->has_flow is false for packets that are not IP. The report keeps a
 * reference on the engine: it names the flows' endpoints and final states
 * when rendering. */
void ntt_report_add(ntt_report_t *report, ntt_engine_t *engine,
                    int64_t ts_ns, uint32_t frame_len,
                    const ntt_frame_t *frame);

/* The protocol-mix row a packet counts under: "TCP", "UDP", "ICMP",
 * "Other IP" or "Non-IP". */
const char *ntt_report_protocol_class(const ntt_engine_t *engine,
                                      const ntt_frame_t *frame);

void ntt_report_render_text(const ntt_report_t *report, GString *out);
void ntt_report_render_json(const ntt_report_t *report, GString *out);

/* The flows as Zeek's conn.log (TSV with its header lines), and as CSV
 * (the JSON flows' keys as columns); the episodes as CSV. */
void ntt_report_render_conn(const ntt_report_t *report, GString *out);
void ntt_report_render_csv(const ntt_report_t *report, GString *out);
void ntt_report_render_csv_alerts(const ntt_report_t *report, GString *out);

/* The report as one self-contained HTML page (inline CSS and SVG charts,
 * nothing fetched), drawn from the JSON report's own numbers. */
void ntt_report_render_html(const ntt_report_t *report, GString *out);

/* The geolocated endpoints and the conversations between them, as a KML
 * document or a GeoJSON FeatureCollection (empty without a location
 * database). */
void ntt_report_render_kml(const ntt_report_t *report, GString *out);
void ntt_report_render_geojson(const ntt_report_t *report, GString *out);

#ifdef __cplusplus
}
#endif

#endif /* NTT_REPORT_H */
