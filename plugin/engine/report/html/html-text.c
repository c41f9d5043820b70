/* html-text.c
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/html/html-text.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void ntt_html_escape(GString *out, const char *text)
{
    const char *p, *end;

    if (!text)
        return;
    p = text;
    end = text + strlen(text);
    while (p < end) {
        gunichar c = g_utf8_get_char_validated(p, end - p);

        if (c == (gunichar)-1 || c == (gunichar)-2) {
            g_string_append(out, "\xef\xbf\xbd");    /* U+FFFD */
            p++;
            continue;
        }
        switch (c) {
        case '&':  g_string_append(out, "&amp;"); break;
        case '<':  g_string_append(out, "&lt;"); break;
        case '>':  g_string_append(out, "&gt;"); break;
        case '"':  g_string_append(out, "&quot;"); break;
        case '\'': g_string_append(out, "&#39;"); break;
        default:
            if ((c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c < 0xa0))
                break;
            g_string_append_len(out, p, g_utf8_next_char(p) - p);
        }
        p = g_utf8_next_char(p);
    }
}

/* digits (an optional "-", then digits) with "," every three from the
 * right. */
static void group_thousands(const char *digits, char *buf, size_t size)
{
    size_t len = strlen(digits), lead = digits[0] == '-', o = 0;
    size_t n = len - lead;

    for (size_t i = 0; i < len && o + 2 < size; i++) {
        if (i > lead && (n - (i - lead)) % 3 == 0)
            buf[o++] = ',';
        buf[o++] = digits[i];
    }
    buf[o] = '\0';
}

char *ntt_html_number(double value, char *buf, size_t size)
{
    char tmp[NTT_HTML_NUMBER_SIZE];

    if (!isfinite(value)) {
        snprintf(buf, size, "-");
        return buf;
    }
    /* 999.5 and up would read "1.00e+03" at 3 digits: whole from there. */
    if (fabs(value) >= 999.5 || value == floor(value)) {
        if (fabs(value) >= 1e18) {
            g_ascii_formatd(buf, size, "%.3g", value);
            return buf;
        }
        g_ascii_formatd(tmp, sizeof tmp, "%.0f", value);
        if (strcmp(tmp, "-0") == 0)
            snprintf(tmp, sizeof tmp, "0");
        group_thousands(tmp, buf, size);
        return buf;
    }
    g_ascii_formatd(buf, size, "%#.3g", value);
    size_t len = strlen(buf);
    if (len > 0 && buf[len - 1] == '.')
        buf[len - 1] = '\0';
    return buf;
}

char *ntt_html_utc(const ntt_jv_t *time, char *buf, size_t size)
{
    GDateTime *dt;
    const char *dot;
    char *date;
    gint64 seconds;

    if (!ntt_jv_is(time, NTT_JV_NUMBER) || time->text[0] == '-') {
        snprintf(buf, size, "-");
        return buf;
    }
    seconds = g_ascii_strtoll(time->text, NULL, 10);
    dt = g_date_time_new_from_unix_utc(seconds);
    if (!dt) {
        snprintf(buf, size, "-");
        return buf;
    }
    date = g_date_time_format(dt, "%Y-%m-%d %H:%M:%S");
    dot = strchr(time->text, '.');
    snprintf(buf, size, "%s%s%.9s", date, dot ? "." : "", dot ? dot + 1 : "");
    g_free(date);
    g_date_time_unref(dt);
    return buf;
}

void ntt_html_ref_attrs(GString *out, const char *path, const ntt_jv_t *value)
{
    g_string_append(out, " data-json=\"");
    ntt_html_escape(out, path);
    g_string_append(out, "\" data-value=\"");
    if (!value || value->kind == NTT_JV_NULL)
        g_string_append(out, "null");
    else if (value->kind == NTT_JV_BOOL)
        g_string_append(out, value->boolean ? "true" : "false");
    else if (value->kind == NTT_JV_NUMBER || value->kind == NTT_JV_STRING)
        ntt_html_escape(out, value->text);
    g_string_append_c(out, '"');
}

bool ntt_html_is_identifier(const char *path)
{
    static const char *const keys[] = {
        "id", "sport", "dport", "port", "episode", "first_frame", "detect_frame",
        "last_frame", "line", "asn", "peak_second", "peak_bin", "seed",
    };
    const char *dot = strrchr(path, '.');
    const char *key = dot ? dot + 1 : path;
    size_t len = strcspn(key, "[");

    for (unsigned i = 0; i < G_N_ELEMENTS(keys); i++) {
        size_t n = strlen(keys[i]);

        if (n == len && strncmp(keys[i], key, len) == 0)
            return true;
        /* src_asn, dst_port: the same names of either end (and only
         * of an end: entropy_dport measures ports, it names none) */
        if (len == n + 4 && (strncmp(key, "src_", 4) == 0 || strncmp(key, "dst_", 4) == 0) &&
            strncmp(keys[i], key + 4, n) == 0)
            return true;
    }
    return false;
}

void ntt_html_value_text(GString *out, const ntt_jv_t *value, bool identifier)
{
    char num[NTT_HTML_NUMBER_SIZE];

    if (!value || value->kind == NTT_JV_NULL)
        g_string_append(out, "-");
    else if (value->kind == NTT_JV_NUMBER && identifier)
        ntt_html_escape(out, value->text);
    else if (value->kind == NTT_JV_NUMBER)
        g_string_append(out, ntt_html_number(value->number, num, sizeof num));
    else if (value->kind == NTT_JV_STRING)
        ntt_html_escape(out, value->text);
    else if (value->kind == NTT_JV_BOOL)
        g_string_append(out, value->boolean ? "yes" : "no");
    else
        g_string_append(out, "-");
}

static void value_element(GString *out, const ntt_jv_t *root, const char *tag,
                          const char *cls, const char *path)
{
    const ntt_jv_t *v = ntt_jv_path(root, path);

    g_string_append_printf(out, "<%s", tag);
    if (cls)
        g_string_append_printf(out, " class=\"%s\"", cls);
    /* A key the JSON leaves out (e.g. a country without GeoIP) is shown
     * as "-", naming no place in it. */
    if (v)
        ntt_html_ref_attrs(out, path, v);
    g_string_append_c(out, '>');
    ntt_html_value_text(out, v, ntt_html_is_identifier(path));
    g_string_append_printf(out, "</%s>", tag);
}

void ntt_html_valuef(GString *out, const ntt_jv_t *root, const char *tag,
                     const char *cls, const char *path_format, ...)
{
    va_list ap;
    char *path;

    va_start(ap, path_format);
    path = g_strdup_vprintf(path_format, ap);
    va_end(ap);
    value_element(out, root, tag, cls, path);
    g_free(path);
}

void ntt_html_cellf(GString *out, const ntt_jv_t *root, const char *path_format, ...)
{
    va_list ap;
    char *path;

    va_start(ap, path_format);
    path = g_strdup_vprintf(path_format, ap);
    va_end(ap);
    value_element(out, root, "td",
                  ntt_jv_is(ntt_jv_path(root, path), NTT_JV_NUMBER) ? "num" : NULL, path);
    g_free(path);
}

void ntt_html_text_cell(GString *out, const char *text)
{
    g_string_append(out, "<td>");
    ntt_html_escape(out, text);
    g_string_append(out, "</td>");
}
