/* svg-writer.c
 * The SVG primitives; svg-axis.c has the ticks and axes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/html/svg-writer.h"

#include <math.h>
#include <string.h>

#include "report/html/html-text.h"

void ntt_svg_num(GString *out, double v)
{
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    size_t len;

    if (!isfinite(v))
        v = 0;
    if (fabs(v) < 0.005)
        v = 0;          /* no "-0" */
    g_ascii_formatd(buf, sizeof buf, "%.2f", v);
    len = strlen(buf);
    while (len > 0 && buf[len - 1] == '0')
        buf[--len] = '\0';
    if (len > 0 && buf[len - 1] == '.')
        buf[--len] = '\0';
    g_string_append(out, buf);
}

void ntt_svg_begin(GString *out, double width, double height, const char *label)
{
    g_string_append(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ");
    ntt_svg_num(out, width);
    g_string_append_c(out, ' ');
    ntt_svg_num(out, height);
    g_string_append(out, "\" role=\"img\" aria-label=\"");
    ntt_html_escape(out, label);
    g_string_append(out, "\"><title>");
    ntt_html_escape(out, label);
    g_string_append(out, "</title>\n");
}

void ntt_svg_end(GString *out)
{
    g_string_append(out, "</svg>\n");
}

static void open_shape(GString *out, const char *name, const char *cls, const char *attrs)
{
    g_string_append_printf(out, "<%s", name);
    if (cls)
        g_string_append_printf(out, " class=\"%s\"", cls);
    if (attrs)
        g_string_append(out, attrs);
}

static void close_shape(GString *out, const char *name, const char *tooltip)
{
    if (!tooltip) {
        g_string_append(out, "/>\n");
        return;
    }
    g_string_append(out, "><title>");
    ntt_html_escape(out, tooltip);
    g_string_append_printf(out, "</title></%s>\n", name);
}

static void attr_num(GString *out, const char *name, double v)
{
    g_string_append_printf(out, " %s=\"", name);
    ntt_svg_num(out, v);
    g_string_append_c(out, '"');
}

void ntt_svg_rect(GString *out, double x, double y, double w, double h,
                  const char *cls, const char *attrs, const char *tooltip)
{
    open_shape(out, "rect", cls, attrs);
    attr_num(out, "x", x);
    attr_num(out, "y", y);
    attr_num(out, "width", w > 0 ? w : 0);
    attr_num(out, "height", h > 0 ? h : 0);
    close_shape(out, "rect", tooltip);
}

void ntt_svg_line(GString *out, double x1, double y1, double x2, double y2,
                  const char *cls)
{
    open_shape(out, "line", cls, NULL);
    attr_num(out, "x1", x1);
    attr_num(out, "y1", y1);
    attr_num(out, "x2", x2);
    attr_num(out, "y2", y2);
    close_shape(out, "line", NULL);
}

void ntt_svg_polyline(GString *out, const double *xy, unsigned n, bool closed,
                      const char *cls, const char *attrs, const char *tooltip)
{
    const char *name = closed ? "polygon" : "polyline";

    open_shape(out, name, cls, attrs);
    g_string_append(out, " points=\"");
    for (unsigned i = 0; i < n; i++) {
        if (i)
            g_string_append_c(out, ' ');
        ntt_svg_num(out, xy[2 * i]);
        g_string_append_c(out, ',');
        ntt_svg_num(out, xy[2 * i + 1]);
    }
    g_string_append_c(out, '"');
    close_shape(out, name, tooltip);
}

void ntt_svg_circle(GString *out, double cx, double cy, double r,
                    const char *cls, const char *attrs, const char *tooltip)
{
    open_shape(out, "circle", cls, attrs);
    attr_num(out, "cx", cx);
    attr_num(out, "cy", cy);
    attr_num(out, "r", r);
    close_shape(out, "circle", tooltip);
}

void ntt_svg_path(GString *out, const char *d, const char *cls,
                  const char *attrs, const char *tooltip)
{
    open_shape(out, "path", cls, attrs);
    g_string_append(out, " d=\"");
    ntt_html_escape(out, d);
    g_string_append_c(out, '"');
    close_shape(out, "path", tooltip);
}

void ntt_svg_text(GString *out, double x, double y, const char *anchor, double rotate,
                  const char *cls, const char *attrs, const char *text)
{
    open_shape(out, "text", cls, attrs);
    attr_num(out, "x", x);
    attr_num(out, "y", y);
    if (anchor && strcmp(anchor, "start") != 0)
        g_string_append_printf(out, " text-anchor=\"%s\"", anchor);
    if (rotate != 0) {
        g_string_append(out, " transform=\"rotate(");
        ntt_svg_num(out, rotate);
        g_string_append_c(out, ' ');
        ntt_svg_num(out, x);
        g_string_append_c(out, ' ');
        ntt_svg_num(out, y);
        g_string_append(out, ")\"");
    }
    g_string_append_c(out, '>');
    ntt_html_escape(out, text);
    g_string_append(out, "</text>\n");
}
