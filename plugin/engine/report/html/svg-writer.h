/* svg-writer.h
 * ntt's own small SVG writer for the HTML report's charts: shapes, text
 * (always escaped) with <title> tooltips, and axes with "nice" ticks and
 * a unit label. No plotting library: bars, lines, points and spans are
 * all the report draws.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_SVG_WRITER_H
#define NTT_SVG_WRITER_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

/* A coordinate or length: at most 2 decimals, no trailing zeros, "."
 * whatever the locale. */
void ntt_svg_num(GString *out, double v);

/* <svg> of width x height user units scaling to the page's width, with
 * an accessible name (also its <title>). */
void ntt_svg_begin(GString *out, double width, double height, const char *label);
void ntt_svg_end(GString *out);

/* The shapes. cls: a CSS class (or NULL); attrs: further attributes,
 * already escaped, written as they are (or NULL); tooltip: a <title>
 * child, escaped here (or NULL). */
void ntt_svg_rect(GString *out, double x, double y, double w, double h,
                  const char *cls, const char *attrs, const char *tooltip);
void ntt_svg_line(GString *out, double x1, double y1, double x2, double y2,
                  const char *cls);
/* xy: n points as x0, y0, x1, y1 ... */
void ntt_svg_polyline(GString *out, const double *xy, unsigned n, bool closed,
                      const char *cls, const char *attrs, const char *tooltip);
void ntt_svg_circle(GString *out, double cx, double cy, double r,
                    const char *cls, const char *attrs, const char *tooltip);
void ntt_svg_path(GString *out, const char *d, const char *cls,
                  const char *attrs, const char *tooltip);
/* anchor: "start", "middle" or "end"; text escaped. rotate: degrees
 * about (x, y), 0 for none. */
void ntt_svg_text(GString *out, double x, double y, const char *anchor, double rotate,
                  const char *cls, const char *attrs, const char *text);

/* Axis ticks covering [lo, hi]: first = the first tick at or below lo,
 * last at or above hi, step 1, 2 or 5 times a power of ten, about target
 * ticks (Heckbert's "nice numbers"). */
typedef struct ntt_svg_ticks {
    double   first;
    double   step;
    unsigned count;      /* first, first + step, ... */
} ntt_svg_ticks_t;

void ntt_svg_nice_ticks(double lo, double hi, unsigned target, ntt_svg_ticks_t *ticks);
double ntt_svg_ticks_last(const ntt_svg_ticks_t *ticks);

/* A tick's label: 0, 0.25, 250, 1.5k, 20M, 3G (ticks are not report
 * values: they carry no data-json). */
char *ntt_svg_tick_label(double v, char *buf, size_t size);

/* A plotting area in the SVG (x, y, w, h) and the data range it shows. */
typedef struct ntt_svg_plot {
    double x, y, w, h;
    double x_lo, x_hi;
    double y_lo, y_hi;
} ntt_svg_plot_t;

double ntt_svg_px(const ntt_svg_plot_t *p, double v);
double ntt_svg_py(const ntt_svg_plot_t *p, double v);

/* Gridlines and tick labels along the left (y) or the bottom (x) of the
 * plot, and the axis' label with its unit, e.g. "packets/s". */
void ntt_svg_axis_y(GString *out, const ntt_svg_plot_t *p, const ntt_svg_ticks_t *t,
                    const char *label);
void ntt_svg_axis_x(GString *out, const ntt_svg_plot_t *p, const ntt_svg_ticks_t *t,
                    const char *label);

#endif /* NTT_SVG_WRITER_H */
