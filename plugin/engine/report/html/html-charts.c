/* html-charts.c
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/html/html-charts.h"

#include <math.h>
#include <string.h>

#include "report/html/html-text.h"
#include "report/html/svg-writer.h"

#define BAR_ROW      20.0
#define BAR_HEIGHT   14.0
#define CAT_FONT     11.0        /* the names' font size (CSS svg text) */
#define NAMES_MIN    250.0       /* the names' column: at least ... */
#define NAMES_MAX    350.0       /* ... and at most, cut beyond */

static double bar_number(const ntt_chart_bar_t *b)
{
    return ntt_jv_num(b->value, 0);
}

static double largest(const ntt_chart_bar_t *bars, unsigned n)
{
    double max = 0;

    for (unsigned i = 0; i < n; i++)
        max = fmax(max, bar_number(&bars[i]));
    return max;
}

/* The data-json/data-value attributes of a bar's value. */
static char *bar_attrs(const ntt_chart_bar_t *b)
{
    GString *attrs = g_string_new(NULL);

    ntt_html_ref_attrs(attrs, b->path, b->value);
    return g_string_free(attrs, FALSE);
}

static char *bar_tooltip(const ntt_chart_bar_t *b, const char *unit)
{
    char num[NTT_HTML_NUMBER_SIZE];

    return g_strdup_printf("%s: %s %s", b->label,
                           ntt_html_number(bar_number(b), num, sizeof num), unit);
}

/* A category name that fits in width at the names' font size (the
 * tooltip has it whole). */
static char *short_label(const char *label, double width)
{
    char *valid = g_utf8_make_valid(label, -1);
    long fit = (long)(width / (CAT_FONT * 0.62));

    if (ntt_chart_text_width(valid, CAT_FONT) <= width)
        return valid;
    char *cut = g_utf8_substring(valid, 0, fit > 1 ? fit - 1 : 0);
    char *out = g_strconcat(cut, "\xe2\x80\xa6", NULL);
    g_free(cut);
    g_free(valid);
    return out;
}

/* The printed value of a bar: a report number, tied to its JSON place. */
static void value_label(GString *out, double x, double y, const char *anchor,
                        const ntt_chart_bar_t *b)
{
    char num[NTT_HTML_NUMBER_SIZE];
    char *attrs = bar_attrs(b);

    ntt_svg_text(out, x, y, anchor, 0, "val", attrs,
                 ntt_html_number(bar_number(b), num, sizeof num));
    g_free(attrs);
}

/* Bars by value, largest first; equal ones by name, then as given (the
 * order stays the same from run to run: no locale's collation). */
typedef struct ranked_bar {
    const ntt_chart_bar_t *bar;
    unsigned index;
} ranked_bar_t;

static int by_value(const void *a, const void *b)
{
    const ranked_bar_t *x = a, *y = b;
    double vx = bar_number(x->bar), vy = bar_number(y->bar);
    int by_name;

    if (vx != vy)
        return vx > vy ? -1 : 1;
    by_name = strcmp(x->bar->label, y->bar->label);
    if (by_name)
        return by_name;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* The row of the bars left out: their sum, and what it sums (in the
 * JSON's order). */
typedef struct others_row {
    char    *label;
    char    *from;
    double   sum;
} others_row_t;

static others_row_t sum_others(const ntt_chart_bar_t *bars, const ranked_bar_t *ranked,
                               unsigned from, unsigned n)
{
    GString *paths = g_string_new(NULL);
    bool *left_out = g_new0(bool, n);
    others_row_t o = { 0 };
    char num[NTT_HTML_NUMBER_SIZE];

    for (unsigned i = from; i < n; i++)
        left_out[ranked[i].index] = true;
    for (unsigned i = 0; i < n; i++) {
        if (!left_out[i])
            continue;
        if (paths->len)
            g_string_append(paths, " + ");
        g_string_append(paths, bars[i].path);
        o.sum += bar_number(&bars[i]);
    }
    o.label = g_strdup_printf("(%s others)", ntt_html_number(n - from, num, sizeof num));
    o.from = g_string_free(paths, FALSE);
    g_free(left_out);
    return o;
}

static void draw_hbar(GString *out, const ntt_svg_plot_t *p, double y, double value,
                      const char *cls, const char *label, const char *attrs,
                      const char *tooltip)
{
    char num[NTT_HTML_NUMBER_SIZE];
    double w = ntt_svg_px(p, value) - p->x;
    char *name = short_label(label, p->x - 6 - 2);

    ntt_svg_text(out, p->x - 6, y + BAR_HEIGHT - 3, "end", 0, "cat", NULL, name);
    ntt_svg_rect(out, p->x, y, w, BAR_HEIGHT, cls, attrs, tooltip);
    ntt_svg_text(out, p->x + w + 4, y + BAR_HEIGHT - 3, "start", 0, "val", attrs,
                 ntt_html_number(value, num, sizeof num));
    g_free(name);
}

void ntt_chart_hbars(GString *out, const char *title, const char *unit,
                     const ntt_chart_bar_t *bars, unsigned n)
{
    ranked_bar_t *ranked = g_new(ranked_bar_t, n ? n : 1);
    unsigned shown = n > NTT_CHART_BARS_MAX + 1 ? NTT_CHART_BARS_MAX : n;
    unsigned rows = shown + (shown < n);
    others_row_t others = { 0 };
    ntt_svg_plot_t p = { .y = 6, .h = BAR_ROW * rows };
    ntt_svg_ticks_t t;
    double max = 0, names = NAMES_MIN;

    for (unsigned i = 0; i < n; i++)
        ranked[i] = (ranked_bar_t){ &bars[i], i };
    qsort(ranked, n, sizeof *ranked, by_value);
    for (unsigned i = 0; i < shown; i++)
        max = fmax(max, bar_number(ranked[i].bar));
    if (shown < n) {
        others = sum_others(bars, ranked, shown, n);
        max = fmax(max, others.sum);
    }
    /* The names' column as wide as the longest asks, within bounds. */
    for (unsigned i = 0; i < shown; i++)
        names = fmax(names, ntt_chart_text_width(ranked[i].bar->label, CAT_FONT) + 8);
    p.x = fmin(names, NAMES_MAX);
    p.w = NTT_CHART_WIDTH - p.x - 80;
    ntt_svg_nice_ticks(0, max, 5, &t);
    p.x_lo = 0;
    p.x_hi = ntt_svg_ticks_last(&t);
    ntt_svg_begin(out, NTT_CHART_WIDTH, p.y + p.h + 44, title);
    ntt_svg_axis_x(out, &p, &t, unit);
    for (unsigned i = 0; i < shown; i++) {
        const ntt_chart_bar_t *b = ranked[i].bar;
        char *attrs = bar_attrs(b), *tip = bar_tooltip(b, unit);

        draw_hbar(out, &p, p.y + BAR_ROW * i + (BAR_ROW - BAR_HEIGHT) / 2, bar_number(b),
                  "bar", b->label, attrs, tip);
        g_free(attrs);
        g_free(tip);
    }
    if (shown < n) {
        GString *attrs = g_string_new(" data-from=\"");
        char num[NTT_HTML_NUMBER_SIZE];
        char *tip = g_strdup_printf("%s: %s %s in all", others.label,
                                    ntt_html_number(others.sum, num, sizeof num), unit);

        ntt_html_escape(attrs, others.from);
        g_string_append_c(attrs, '"');
        draw_hbar(out, &p, p.y + BAR_ROW * shown + (BAR_ROW - BAR_HEIGHT) / 2, others.sum,
                  "bar others", others.label, attrs->str, tip);
        g_string_free(attrs, TRUE);
        g_free(tip);
        g_free(others.label);
        g_free(others.from);
    }
    ntt_svg_line(out, p.x, p.y, p.x, p.y + p.h, "base");
    ntt_svg_end(out);
    g_free(ranked);
}

void ntt_chart_columns(GString *out, const ntt_chart_columns_t *c)
{
    ntt_svg_plot_t p = { .x = 70, .y = 28, .w = NTT_CHART_WIDTH - 70 - 16, .h = 170 };
    ntt_svg_ticks_t t;
    unsigned nonzero = 0;
    double slot = c->n ? p.w / c->n : p.w;

    for (unsigned i = 0; i < c->n; i++)
        nonzero += bar_number(&c->bars[i]) != 0;
    ntt_svg_nice_ticks(0, largest(c->bars, c->n), 5, &t);
    p.x_lo = 0;
    p.x_hi = c->n;
    p.y_lo = 0;
    p.y_hi = ntt_svg_ticks_last(&t);
    ntt_svg_begin(out, NTT_CHART_WIDTH, p.y + p.h + 44, c->title);
    if (c->shaded) {
        bool any = false;

        for (unsigned i = 0; i < c->n; i++) {
            if (!c->shaded[i])
                continue;
            ntt_svg_rect(out, p.x + slot * i, p.y, slot, p.h, "shade", NULL, c->shade_label);
            any = true;
        }
        if (any) {
            ntt_svg_rect(out, p.x, 6, 14, 12, "shade", NULL, NULL);
            ntt_svg_text(out, p.x + 20, 16, "start", 0, "legend", NULL, c->shade_label);
        }
    }
    ntt_svg_axis_y(out, &p, &t, c->y_label);
    for (unsigned i = 0; i < c->n; i++) {
        const ntt_chart_bar_t *b = &c->bars[i];
        double x = p.x + slot * i + slot * 0.15, top = ntt_svg_py(&p, bar_number(b));
        char *attrs = bar_attrs(b), *tip = bar_tooltip(b, c->y_label);

        ntt_svg_rect(out, x, top, slot * 0.7, p.y + p.h - top, "bar", attrs, tip);
        ntt_svg_text(out, x + slot * 0.35, p.y + p.h + 14, "middle", 0, "tick", NULL,
                     c->names[i]);
        if (nonzero <= 8 && bar_number(b) != 0)
            value_label(out, x + slot * 0.35, top - 3, "middle", b);
        g_free(attrs);
        g_free(tip);
    }
    ntt_svg_text(out, p.x + p.w / 2, p.y + p.h + 34, "middle", 0, "unit", NULL, c->x_label);
    ntt_svg_end(out);
}

static double series_max(const ntt_chart_series_t *s)
{
    double max = 0;

    for (unsigned i = 0; i < s->n; i++)
        if (isfinite(s->y[i]))
            max = fmax(max, s->y[i]);
    return max;
}

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static void draw_series(GString *out, const ntt_svg_plot_t *p, const ntt_chart_series_t *s)
{
    /* A step series has two points a bin, and the area two more. */
    double *xy = g_new(double, 2 * (2 * s->n + 2));
    unsigned k = 0;

    for (unsigned i = 0; i < s->n; i++) {
        double y = ntt_svg_py(p, isfinite(s->y[i]) ? s->y[i] : 0);
        double x0 = clamp(s->x[i], p->x_lo, p->x_hi);

        xy[2 * k] = ntt_svg_px(p, x0);
        xy[2 * k++ + 1] = y;
        if (s->step) {
            xy[2 * k] = ntt_svg_px(p, clamp(s->x[i] + s->step_w, p->x_lo, p->x_hi));
            xy[2 * k++ + 1] = y;
        }
    }
    if (k == 0) {
        g_free(xy);
        return;
    }
    g_string_append_printf(out, "<g class=\"series %s\">\n", s->style);
    if (s->area) {
        double base = ntt_svg_py(p, p->y_lo);

        xy[2 * k] = xy[2 * (k - 1)];
        xy[2 * k + 1] = base;
        xy[2 * k + 2] = xy[0];
        xy[2 * k + 3] = base;
        ntt_svg_polyline(out, xy, k + 2, true, "area", NULL, NULL);
    }
    ntt_svg_polyline(out, xy, k, false, "line", s->attrs, s->name);
    if (s->marks) {
        for (unsigned i = 0; i < s->n; i++) {
            double x = s->x[i] + (s->step ? s->step_w / 2 : 0);

            ntt_svg_circle(out, ntt_svg_px(p, clamp(x, p->x_lo, p->x_hi)),
                           ntt_svg_py(p, isfinite(s->y[i]) ? s->y[i] : 0), 2.5, "mark",
                           NULL, NULL);
        }
    }
    g_string_append(out, "</g>\n");
    g_free(xy);
}

double ntt_chart_text_width(const char *text, double font_px)
{
    /* 0.62 em a character: the mean advance of DejaVu Sans and the
     * common system-ui fonts is below it for letters, digits and dots. */
    return text ? g_utf8_strlen(text, -1) * font_px * 0.62 : 0;
}

/* The diamond at (x, y), 5 units from its centre to each corner. */
static void diamond(GString *out, double x, double y, const char *tooltip)
{
    GString *d = g_string_new("M");

    ntt_svg_num(d, x);
    g_string_append_c(d, ' ');
    ntt_svg_num(d, y - 5);
    g_string_append(d, "l5 5-5 5-5-5z");
    ntt_svg_path(out, d->str, "mark-detect", NULL, tooltip);
    g_string_free(d, TRUE);
}

/* Each series' name beside a sample of its line; the lanes' bar and
 * diamond, or the marks' line. */
static void draw_legend(GString *out, const ntt_chart_xy_t *c, double x)
{
    for (unsigned i = 0; i < c->n_series; i++) {
        const ntt_chart_series_t *s = &c->series[i];

        g_string_append_printf(out, "<g class=\"series %s\">", s->style);
        ntt_svg_line(out, x, 12, x + 26, 12, "line");
        g_string_append(out, "</g>");
        ntt_svg_text(out, x + 32, 16, "start", 0, "legend", NULL, s->name);
        x += 32 + ntt_chart_text_width(s->name, 11) + 16;
    }
    if (c->n_spans && c->marks_only) {
        ntt_svg_line(out, x + 7, 4, x + 7, 20, "mark-line");
        ntt_svg_text(out, x + 14, 16, "start", 0, "legend", NULL, "an episode detected");
    } else if (c->n_spans) {
        static const char bar_name[] = "alert episode, first to last packet";

        ntt_svg_rect(out, x, 7, 22, 10, "span", NULL, NULL);
        ntt_svg_text(out, x + 28, 16, "start", 0, "legend", NULL, bar_name);
        x += 28 + ntt_chart_text_width(bar_name, 11) + 16;
        diamond(out, x + 5, 12, NULL);
        ntt_svg_text(out, x + 14, 16, "start", 0, "legend", NULL, "detected");
    }
}

/* Where a lane's label goes: after the bar (and its diamond) when it fits
 * before the chart's right edge, else inside the bar after the diamond,
 * else before the bar, else where there is most room, cut to it. */
typedef struct lane_label {
    double      x;
    const char *anchor;
    bool        inside;
    char       *text;
} lane_label_t;

static lane_label_t place_label(const ntt_svg_plot_t *p, double x0, double x1, double mark,
                                const char *label)
{
    double left_edge = p->x, right_edge = NTT_CHART_WIDTH - 4;
    double w = ntt_chart_text_width(label, NTT_CHART_LANE_FONT);
    double after = fmax(x1, isfinite(mark) ? mark + 5 : x1) + 4;
    double within = fmax(x0, isfinite(mark) ? mark + 5 : x0) + 4;
    double before = fmin(x0, isfinite(mark) ? mark - 5 : x0) - 4;
    double room_after = right_edge - after, room_within = x1 - 4 - within;
    double room_before = before - left_edge, room;
    lane_label_t l = { .x = after, .anchor = "start" };

    if (w <= room_after) {
        l.text = g_strdup(label);
        return l;
    }
    if (w <= room_within) {
        l.x = within;
        l.inside = true;
        l.text = g_strdup(label);
        return l;
    }
    if (w <= room_before) {
        l.x = before;
        l.anchor = "end";
        l.text = g_strdup(label);
        return l;
    }
    room = fmax(room_after, fmax(room_within, room_before));
    if (room == room_within) {
        l.x = within;
        l.inside = true;
    } else if (room == room_before) {
        l.x = before;
        l.anchor = "end";
    }
    /* Cut to the characters that fit, with an ellipsis. */
    long fit = (long)(room / (NTT_CHART_LANE_FONT * 0.62)) - 1;
    char *cut = g_utf8_substring(label, 0, fit > 0 ? fit : 0);
    l.text = g_strconcat(cut, "\xe2\x80\xa6", NULL);
    g_free(cut);
    return l;
}

static void draw_lane(GString *out, const ntt_svg_plot_t *p, const ntt_chart_span_t *s,
                      double top)
{
    double x0 = ntt_svg_px(p, clamp(s->x0, p->x_lo, p->x_hi));
    double x1 = fmax(ntt_svg_px(p, clamp(s->x1, p->x_lo, p->x_hi)), x0 + 2);
    double mark = isfinite(s->mark) ? ntt_svg_px(p, clamp(s->mark, p->x_lo, p->x_hi)) : NAN;
    double mid = top + NTT_CHART_LANE_ROW / 2, baseline = mid + NTT_CHART_LANE_FONT * 0.36;
    lane_label_t l = place_label(p, x0, x1, mark, s->label);

    g_string_append(out, "<g class=\"lane\">");
    if (s->href) {
        g_string_append(out, "<a href=\"");
        ntt_html_escape(out, s->href);
        g_string_append(out, "\">");
    }
    ntt_svg_rect(out, x0, mid - 5.5, x1 - x0, 11, "span", s->attrs, s->tooltip);
    if (isfinite(mark))
        diamond(out, mark, mid, "detected");
    if (l.inside) {
        double w = ntt_chart_text_width(l.text, NTT_CHART_LANE_FONT);

        ntt_svg_rect(out, l.x - 2, mid - 6.5, w + 4, 13, "label-bg", NULL, NULL);
    }
    ntt_svg_text(out, l.x, baseline, l.anchor, 0, "lane-label", NULL, l.text);
    if (s->href)
        g_string_append(out, "</a>");
    g_string_append(out, "</g>\n");
    g_free(l.text);
}

void ntt_chart_xy(GString *out, const ntt_chart_xy_t *c)
{
    ntt_svg_plot_t p = { .x = 70, .y = 30, .w = NTT_CHART_WIDTH - 70 - 20, .h = 190 };
    ntt_svg_plot_t axis;
    ntt_svg_ticks_t tx, ty;
    double y_max = 0, lanes_top, lanes_h = 0;
    unsigned lanes = c->marks_only ? 0 : MIN(c->n_spans, NTT_CHART_LANES_MAX);
    bool more = !c->marks_only && c->n_spans > lanes;

    for (unsigned i = 0; i < c->n_series; i++)
        y_max = fmax(y_max, series_max(&c->series[i]));
    ntt_svg_nice_ticks(0, c->y_hi > 0 ? c->y_hi : y_max, 5, &ty);
    p.x_lo = c->x_lo;
    p.x_hi = c->x_hi > c->x_lo ? c->x_hi : c->x_lo + 1;
    p.y_lo = 0;
    p.y_hi = ntt_svg_ticks_last(&ty);
    ntt_svg_nice_ticks(p.x_lo, p.x_hi, 8, &tx);
    /* Only the ticks inside the range shown. */
    while (tx.count > 0 && tx.first < p.x_lo - tx.step * 1e-9) {
        tx.first += tx.step;
        tx.count--;
    }
    while (tx.count > 0 && ntt_svg_ticks_last(&tx) > p.x_hi + tx.step * 1e-9)
        tx.count--;
    /* The lanes under the plot; the x axis under them serves both. */
    lanes_top = p.y + p.h + 6;
    if (lanes)
        lanes_h = 6 + lanes * NTT_CHART_LANE_ROW + (more ? 16 : 0);
    axis = p;
    axis.h += lanes_h;

    ntt_svg_begin(out, NTT_CHART_WIDTH, axis.y + axis.h + 44, c->title);
    ntt_svg_axis_y(out, &p, &ty, c->y_label);
    for (unsigned i = 0; i < c->n_spans; i++) {
        double mark = c->spans[i].mark;

        if (isfinite(mark) && mark >= p.x_lo && mark <= p.x_hi)
            ntt_svg_line(out, ntt_svg_px(&p, mark), p.y, ntt_svg_px(&p, mark), p.y + p.h,
                         "mark-line");
    }
    ntt_svg_axis_x(out, &axis, &tx, c->x_label);
    for (unsigned i = 0; i < c->n_series; i++)
        draw_series(out, &p, &c->series[i]);
    if (lanes) {
        ntt_svg_text(out, p.x - 6, lanes_top + NTT_CHART_LANE_ROW / 2 + 4, "end", 0, "unit",
                     NULL, "episodes");
        for (unsigned i = 0; i < lanes; i++) {
            double top = lanes_top + i * NTT_CHART_LANE_ROW;

            if (i)
                ntt_svg_line(out, p.x, top, p.x + p.w, top, "lane-rule");
            draw_lane(out, &p, &c->spans[i], top);
        }
        if (more) {
            char *note = g_strdup_printf("and %u more %s", c->n_spans - lanes,
                                         c->more_what ? c->more_what : "");

            ntt_svg_text(out, p.x, lanes_top + lanes * NTT_CHART_LANE_ROW + 12, "start", 0,
                         "more", NULL, note);
            g_free(note);
        }
    }
    draw_legend(out, c, p.x);
    ntt_svg_end(out);
}

void ntt_chart_definitions(GString *out)
{
    g_string_append(out,
        "<svg class=\"defs\" aria-hidden=\"true\" width=\"0\" height=\"0\">"
        "<defs><pattern id=\"ntt-hatch\" width=\"6\" height=\"6\" "
        "patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        "<rect width=\"6\" height=\"6\" class=\"hatch-bg\"/>"
        "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" class=\"hatch-line\"/>"
        "</pattern></defs></svg>\n");
}
