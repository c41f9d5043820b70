/* html-alerts.c
 * The alert episodes (type, attacker, target, when, frames, size) and
 * the blocklist's evidence per internal host.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "report/html/html-doc.h"
#include "report/html/html-text.h"

/* The keys every episode has; the others are its type's size figures. */
static bool common_key(const char *key)
{
    static const char *const common[] = {
        "type", "src", "dst", "port", "episode", "first_frame", "detect_frame",
        "last_frame", "packets", "start", "detect", "end",
    };

    for (unsigned i = 0; i < G_N_ELEMENTS(common); i++)
        if (strcmp(common[i], key) == 0)
            return true;
    return false;
}

/* The end of an address cell: "(many)" for null, as the text report. */
static void address_cell(ntt_html_doc_t *d, const char *path, const char *port_path)
{
    const ntt_jv_t *v = ntt_jv_path(d->report, path);

    g_string_append(d->out, "<td>");
    if (ntt_jv_str(v))
        ntt_html_valuef(d->out, d->report, "span", "addr", "%s", path);
    else
        g_string_append(d->out, "(many)");
    if (port_path && ntt_jv_is(ntt_jv_path(d->report, port_path), NTT_JV_NUMBER)) {
        g_string_append(d->out, " port ");
        ntt_html_valuef(d->out, d->report, "span", "v", "%s", port_path);
    }
    g_string_append(d->out, "</td>");
}

static void size_row(ntt_html_doc_t *d, unsigned i)
{
    const ntt_jv_t *ep = ntt_jv_pathf(d->report, "alerts[%u]", i);
    bool first = true;

    g_string_append(d->out, "<tr class=\"detail\"><td colspan=\"10\">");
    for (unsigned k = 0; ep && k < ep->keys->len; k++) {
        const char *key = g_ptr_array_index(ep->keys, k);
        char *label;

        if (common_key(key))
            continue;
        label = g_strdelimit(g_strdup(key), "_", ' ');
        g_string_append(d->out, first ? "Size: " : "; ");
        ntt_html_escape(d->out, label);
        g_string_append_c(d->out, ' ');
        ntt_html_valuef(d->out, d->report, "span", "v", "alerts[%u].%s", i, key);
        g_free(label);
        first = false;
    }
    if (first)
        g_string_append(d->out, "-");
    g_string_append(d->out, "</td></tr>\n");
}

void ntt_html_alerts(ntt_html_doc_t *d)
{
    unsigned n = ntt_jv_len(ntt_jv_get(d->report, "alerts"));
    char num[NTT_HTML_NUMBER_SIZE];

    if (n == 0)
        return;
    ntt_html_section_begin(d, "alerts", "Alerts");
    ntt_html_table_begin(d, "data alerts", "#Episode|Type|Attacker|Target|Start (UTC)|"
                                           "#Duration (s)|#First frame|#Detected (frame)|"
                                           "#Last frame|#Packets");
    for (unsigned i = 0; i < n; i++) {
        char *dst = g_strdup_printf("alerts[%u].dst", i), *src, *port;
        double start = ntt_jv_num(ntt_jv_pathf(d->report, "alerts[%u].start", i), 0);
        double end = ntt_jv_num(ntt_jv_pathf(d->report, "alerts[%u].end", i), 0);

        src = g_strdup_printf("alerts[%u].src", i);
        port = g_strdup_printf("alerts[%u].port", i);
        g_string_append_printf(d->out, "<tr id=\"episode-%u\">", i);
        ntt_html_cellf(d->out, d->report, "alerts[%u].episode", i);
        ntt_html_cellf(d->out, d->report, "alerts[%u].type", i);
        address_cell(d, src, NULL);
        address_cell(d, dst, port);
        char *start_path = g_strdup_printf("alerts[%u].start", i);
        ntt_html_time_cell(d, start_path);
        g_free(start_path);
        /* end - start, as the text report's duration. */
        g_string_append_printf(d->out, "<td class=\"num\" data-from=\"alerts[%u].end - "
                               "alerts[%u].start\">%s</td>", i, i,
                               ntt_html_number(end - start, num, sizeof num));
        ntt_html_cellf(d->out, d->report, "alerts[%u].first_frame", i);
        ntt_html_cellf(d->out, d->report, "alerts[%u].detect_frame", i);
        ntt_html_cellf(d->out, d->report, "alerts[%u].last_frame", i);
        ntt_html_cellf(d->out, d->report, "alerts[%u].packets", i);
        g_string_append(d->out, "</tr>\n");
        size_row(d, i);
        g_free(src);
        g_free(dst);
        g_free(port);
    }
    ntt_html_table_end(d);
    g_string_append(d->out, "<p class=\"note\">Frames are tshark's frame numbers: "
                            "<code>tshark -r FILE -Y \"frame.number == N\"</code> goes "
                            "back to a packet. The size figures depend on the type "
                            "(docs/detectors.md).</p>\n");
    ntt_html_section_end(d);
}

void ntt_html_blocklist(ntt_html_doc_t *d)
{
    const ntt_jv_t *hosts = ntt_jv_path(d->report, "blocklist.hosts");
    unsigned n = ntt_jv_len(hosts);

    if (n == 0)
        return;
    ntt_html_section_begin(d, "blocklist", "Blocklist");
    g_string_append(d->out, "<p>");
    ntt_html_valuef(d->out, d->report, "span", "v", "blocklist.entries");
    g_string_append(d->out, " entries on the list; each internal host below reached "
                            "listed destinations.</p>\n");
    for (unsigned h = 0; h < n; h++) {
        unsigned m = ntt_jv_len(ntt_jv_pathf(d->report, "blocklist.hosts[%u].destinations", h));

        g_string_append(d->out, "<h3>Host ");
        ntt_html_valuef(d->out, d->report, "span", "addr", "blocklist.hosts[%u].host", h);
        g_string_append(d->out, "</h3>\n");
        ntt_html_table_begin(d, "data", "Entry|Indicator|#Line|Destination|Country|"
                                        "First (UTC)|Last (UTC)|#Packets|#Bytes received|"
                                        "URI|#Episode");
        for (unsigned i = 0; i < m; i++) {
            char *base = g_strdup_printf("blocklist.hosts[%u].destinations[%u]", h, i);
            static const char *const keys[] = { "entry", "indicator", "line", "dst",
                                                "country" };

            g_string_append(d->out, "<tr>");
            for (unsigned k = 0; k < G_N_ELEMENTS(keys); k++)
                ntt_html_cellf(d->out, d->report, "%s.%s", base, keys[k]);
            char *first = g_strdup_printf("%s.first", base), *last = g_strdup_printf("%s.last", base);
            ntt_html_time_cell(d, first);
            ntt_html_time_cell(d, last);
            ntt_html_cellf(d->out, d->report, "%s.packets", base);
            ntt_html_cellf(d->out, d->report, "%s.bytes_received", base);
            ntt_html_cellf(d->out, d->report, "%s.uri", base);
            ntt_html_cellf(d->out, d->report, "%s.episode", base);
            g_string_append(d->out, "</tr>\n");
            g_free(first);
            g_free(last);
            g_free(base);
        }
        ntt_html_table_end(d);
    }
    ntt_html_section_end(d);
}
