/* html-doc.h
 * The HTML report as its sections see it: the JSON report they draw
 * from, the GeoJSON export (the map's points) and the output, plus the
 * few shared pieces of markup (a section, a table's head, a figure's
 * caption). Each section is written only when the JSON has something
 * for it, as the text report leaves empty sections out.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_HTML_DOC_H
#define NTT_HTML_DOC_H

#include <glib.h>

#include "report/html/json-tree.h"
#include "report/world-outline.h"

typedef struct ntt_html_doc {
    GString        *out;
    const ntt_jv_t *report;     /* -z ntt,json, read back */
    const ntt_jv_t *geojson;    /* -z ntt,geojson, read back (or NULL) */
    const ntt_world_shape_t *shapes;
    unsigned        n_shapes;
    const char     *outline_source;
    GPtrArray      *contents;   /* "id", "title" pairs, in order */
} ntt_html_doc_t;

/* The whole document from a report (and optionally its GeoJSON) read
 * back, drawn with the given world outline (n_shapes 0: no map). */
void ntt_html_document(GString *out, const ntt_jv_t *report, const ntt_jv_t *geojson,
                       const ntt_world_shape_t *shapes, unsigned n_shapes,
                       const char *outline_source);

/* <section id=ID><h2>TITLE</h2> ... </section>, listed in the contents. */
void ntt_html_section_begin(ntt_html_doc_t *d, const char *id, const char *title);
void ntt_html_section_end(ntt_html_doc_t *d);
/* <h3>, escaped. */
void ntt_html_heading(ntt_html_doc_t *d, const char *title);
/* <table><thead> with the column names ("|"-separated; a leading "#" on
 * a name: a numeric column) and an open <tbody>; _end closes both. */
void ntt_html_table_begin(ntt_html_doc_t *d, const char *cls, const char *columns);
void ntt_html_table_end(ntt_html_doc_t *d);
/* A <td> with the UTC time of the report's value PATH. */
void ntt_html_time_cell(ntt_html_doc_t *d, const char *path);
/* One row for each element of the report's list LIST, with a cell for
 * each of KEYS in it ("LIST[i].KEY"). */
void ntt_html_table_rows(ntt_html_doc_t *d, const char *list, const char *const keys[],
                         unsigned n_keys);
/* A seconds value relative to the capture's first packet, for x axes:
 * the unit that keeps the axis short ("s", "min" or "h") and its size. */
const char *ntt_html_time_unit(double span_seconds, double *unit_seconds);

/* The sections, in the order they appear. */
void ntt_html_summary(ntt_html_doc_t *d);
void ntt_html_alerts(ntt_html_doc_t *d);
void ntt_html_timeline(ntt_html_doc_t *d);
void ntt_html_mix(ntt_html_doc_t *d);         /* protocols, services */
void ntt_html_flows(ntt_html_doc_t *d);       /* states, top flows */
void ntt_html_talkers(ntt_html_doc_t *d);
void ntt_html_blocklist(ntt_html_doc_t *d);
void ntt_html_time_of_day(ntt_html_doc_t *d); /* and burstiness */
void ntt_html_entropy(ntt_html_doc_t *d);
void ntt_html_anomaly(ntt_html_doc_t *d);
void ntt_html_geo(ntt_html_doc_t *d);         /* tables and the map */

/* html-style.c: the document's style sheet (screen and print). */
extern const char ntt_html_style[];

#endif /* NTT_HTML_DOC_H */
