/* svg-axis.c
 * Ticks at "nice" numbers (Heckbert, Graphics Gems 1990: steps of 1, 2
 * or 5 times a power of ten) and the axes drawn with them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/html/svg-writer.h"

#include <math.h>
#include <stdio.h>

/* The nice number near x: rounded (nearest of 1, 2, 5, 10) or not below x. */
static double nice_number(double x, bool round_it)
{
    double exponent = floor(log10(x));
    double fraction = x / pow(10, exponent);
    double nice;

    if (round_it)
        nice = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10;
    else
        nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
    return nice * pow(10, exponent);
}

void ntt_svg_nice_ticks(double lo, double hi, unsigned target, ntt_svg_ticks_t *t)
{
    double range, step, first, last;

    if (!isfinite(lo) || !isfinite(hi))
        lo = hi = 0;
    if (hi < lo) {
        double swap = lo;

        lo = hi;
        hi = swap;
    }
    if (hi == lo)
        hi = lo + (lo == 0 ? 1 : fabs(lo));     /* a flat series still gets an axis */
    if (target < 2)
        target = 2;
    range = nice_number(hi - lo, false);
    step = nice_number(range / (target - 1), true);
    first = floor(lo / step) * step;
    last = ceil(hi / step) * step;
    t->first = first;
    t->step = step;
    t->count = (unsigned)llround((last - first) / step) + 1;
}

double ntt_svg_ticks_last(const ntt_svg_ticks_t *t)
{
    return t->first + t->step * (t->count - 1);
}

char *ntt_svg_tick_label(double v, char *buf, size_t size)
{
    static const char *const prefixes[] = { "", "k", "M", "G", "T", "P" };
    double a = fabs(v);
    unsigned p = 0;

    if (a < 1e-12) {
        snprintf(buf, size, "0");
        return buf;
    }
    while (a >= 1000 && p + 1 < G_N_ELEMENTS(prefixes)) {
        a /= 1000;
        v /= 1000;
        p++;
    }
    /* %g keeps nice steps exact (0.25, 1.5) without trailing zeros. */
    char num[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(num, sizeof num, "%.4g", v);
    snprintf(buf, size, "%s%s", num, prefixes[p]);
    return buf;
}

double ntt_svg_px(const ntt_svg_plot_t *p, double v)
{
    double span = p->x_hi - p->x_lo;

    return p->x + (span > 0 ? (v - p->x_lo) / span * p->w : 0);
}

double ntt_svg_py(const ntt_svg_plot_t *p, double v)
{
    double span = p->y_hi - p->y_lo;

    return p->y + p->h - (span > 0 ? (v - p->y_lo) / span * p->h : 0);
}

void ntt_svg_axis_y(GString *out, const ntt_svg_plot_t *p, const ntt_svg_ticks_t *t,
                    const char *label)
{
    char buf[32];

    g_string_append(out, "<g class=\"axis y\">\n");
    for (unsigned i = 0; i < t->count; i++) {
        double v = t->first + t->step * i, y = ntt_svg_py(p, v);

        ntt_svg_line(out, p->x, y, p->x + p->w, y, i ? "grid" : "base");
        ntt_svg_text(out, p->x - 6, y + 4, "end", 0, "tick", NULL,
                     ntt_svg_tick_label(v, buf, sizeof buf));
    }
    ntt_svg_text(out, p->x - 46, p->y + p->h / 2, "middle", -90, "unit", NULL, label);
    g_string_append(out, "</g>\n");
}

void ntt_svg_axis_x(GString *out, const ntt_svg_plot_t *p, const ntt_svg_ticks_t *t,
                    const char *label)
{
    char buf[32];
    double bottom = p->y + p->h;

    g_string_append(out, "<g class=\"axis x\">\n");
    for (unsigned i = 0; i < t->count; i++) {
        double v = t->first + t->step * i, x = ntt_svg_px(p, v);

        ntt_svg_line(out, x, bottom, x, bottom + 4, "base");
        ntt_svg_text(out, x, bottom + 16, "middle", 0, "tick", NULL,
                     ntt_svg_tick_label(v, buf, sizeof buf));
    }
    ntt_svg_text(out, p->x + p->w / 2, bottom + 34, "middle", 0, "unit", NULL, label);
    g_string_append(out, "</g>\n");
}
