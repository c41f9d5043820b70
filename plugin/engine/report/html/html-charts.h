/* html-charts.h
 * The report's three kinds of chart, drawn with svg-writer.h: bars for a
 * table's rows (protocols, services, states, talkers, countries), columns
 * over a fixed axis (the hours of the day), and lines over time (the
 * traffic timeline, the entropy timeline) with marked spans (episodes).
 * Readable without colour: series differ by dash pattern and are named
 * in a legend drawn with that pattern; spans are hatched bars in lanes
 * of their own, each labelled, their marks diamonds.
 * Every number a chart prints is a JSON report value, carrying its
 * data-json path and data-value.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_HTML_CHARTS_H
#define NTT_HTML_CHARTS_H

#include <stdbool.h>

#include <glib.h>

#include "report/html/json-tree.h"

/* The width of every chart, in SVG units (CSS scales it to the page). */
#define NTT_CHART_WIDTH 760.0

/* One bar or column: its name and its value in the JSON report. */
typedef struct ntt_chart_bar {
    const char *label;     /* escaped when drawn */
    char       *path;      /* the value's data-json path */
    const ntt_jv_t *value; /* a number (anything else counts 0) */
} ntt_chart_bar_t;

/* Horizontal bars, largest first (equal ones by name), each with its
 * value printed at its end; a value axis with unit (e.g. "packets")
 * below. Beyond NTT_CHART_BARS_MAX + 1 rows the largest
 * NTT_CHART_BARS_MAX are drawn and one bar "(N others)" holds the sum
 * of the rest, its data-from naming the values summed ("a + b + ...").
 * The table under a chart keeps every row in the JSON's order. */
#define NTT_CHART_BARS_MAX 12

void ntt_chart_hbars(GString *out, const char *title, const char *unit,
                     const ntt_chart_bar_t *bars, unsigned n);

/* Columns over n named slots (e.g. the 24 hours); shaded[i]: the slot is
 * in a marked range (e.g. working hours, named by shade_label); values
 * printed over the columns when few are non-zero. */
typedef struct ntt_chart_columns {
    const char *title;
    const char *x_label;
    const char *y_label;
    const char *const *names;
    const ntt_chart_bar_t *bars;
    unsigned    n;
    const bool *shaded;        /* NULL: none */
    const char *shade_label;
} ntt_chart_columns_t;

void ntt_chart_columns(GString *out, const ntt_chart_columns_t *c);

/* A line over x. step: each point's value holds for step_w after it (a
 * histogram's bins); area: filled below; marks: a dot at every point. */
typedef struct ntt_chart_series {
    const char   *name;
    const char   *style;       /* "s1", "s2", "s3": solid, dashed, dotted */
    const double *x;
    const double *y;
    unsigned      n;
    bool          step;
    double        step_w;
    bool          area;
    bool          marks;
    const char   *attrs;       /* further attributes (data-json ...) */
} ntt_chart_series_t;

/* A marked range of x (an alert episode, first to last packet) with the
 * moment inside it that matters (its detection; NAN: none). */
typedef struct ntt_chart_span {
    double      x0, x1;
    double      mark;
    const char *label;
    const char *tooltip;
    const char *attrs;         /* of its bar (data-json ...) */
    const char *href;          /* "#id" the bar links to, or NULL */
} ntt_chart_span_t;

/* Spans are drawn in lanes under the plot, one each, sharing its x axis
 * (Gantt style): a hatched bar, a diamond at the mark, the label beside
 * the bar where it fits (else inside it, else before it), and a faint
 * line at the mark across the plot. At most this many lanes; a note
 * under them counts the rest. */
#define NTT_CHART_LANES_MAX 12
#define NTT_CHART_LANE_ROW  17.0   /* a lane's height */
#define NTT_CHART_LANE_FONT 10.5   /* its label's font size (CSS .lane-label) */

/* How wide text is at font_px, estimated from its characters (there are
 * no font metrics here): wide enough for the report's fonts, so what is
 * placed by it does not overlap. */
double ntt_chart_text_width(const char *text, double font_px);

typedef struct ntt_chart_xy {
    const char *title;
    const char *x_label;
    const char *y_label;
    double      x_lo, x_hi;
    double      y_hi;          /* <= 0: from the data */
    const ntt_chart_series_t *series;
    unsigned    n_series;
    const ntt_chart_span_t *spans;
    unsigned    n_spans;
    bool        marks_only;    /* only the lines at the marks, no lanes */
    const char *more_what;     /* under capped lanes: "and K more " this */
} ntt_chart_xy_t;

void ntt_chart_xy(GString *out, const ntt_chart_xy_t *c);

/* The pattern the spans are filled with: one <svg> of definitions,
 * written once at the top of the document. */
void ntt_chart_definitions(GString *out);

#endif /* NTT_HTML_CHARTS_H */
