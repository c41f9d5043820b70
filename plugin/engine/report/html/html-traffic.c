/* html-traffic.c
 * The capture summary and what the traffic was made of: protocol and
 * service mix, flows by final state, the top flows and top talkers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include "report/html/html-charts.h"
#include "report/html/html-doc.h"
#include "report/html/html-text.h"

/* <div><dt>NAME</dt><dd>value UNIT</dd></div> for the value at path. */
static void fact(ntt_html_doc_t *d, const char *name, const char *path, const char *unit)
{
    g_string_append(d->out, "<div><dt>");
    ntt_html_escape(d->out, name);
    g_string_append(d->out, "</dt><dd>");
    ntt_html_valuef(d->out, d->report, "span", "v", "%s", path);
    if (unit) {
        g_string_append_c(d->out, ' ');
        ntt_html_escape(d->out, unit);
    }
    g_string_append(d->out, "</dd></div>\n");
}

static void time_fact(ntt_html_doc_t *d, const char *name, const char *path)
{
    char when[64];

    g_string_append(d->out, "<div><dt>");
    ntt_html_escape(d->out, name);
    g_string_append(d->out, "</dt><dd><time");
    ntt_html_ref_attrs(d->out, path, ntt_jv_path(d->report, path));
    g_string_append_c(d->out, '>');
    ntt_html_escape(d->out, ntt_html_utc(ntt_jv_path(d->report, path), when, sizeof when));
    g_string_append(d->out, " UTC</time></dd></div>\n");
}

void ntt_html_summary(ntt_html_doc_t *d)
{
    unsigned alerts = ntt_jv_len(ntt_jv_get(d->report, "alerts"));

    ntt_html_section_begin(d, "summary", "Capture");
    g_string_append(d->out, "<dl class=\"facts\">\n");
    fact(d, "Packets", "summary.packets", NULL);
    fact(d, "Bytes", "summary.bytes", NULL);
    time_fact(d, "First packet", "summary.first_time");
    time_fact(d, "Last packet", "summary.last_time");
    fact(d, "Duration", "summary.duration", "s");
    fact(d, "Mean packet size", "summary.mean_packet_size", "bytes");
    fact(d, "Mean rate", "summary.mean_pps", "packets/s");
    fact(d, "Peak rate", "summary.peak_pps", "packets/s (1-second bins)");
    fact(d, "Flows", "flows.count", NULL);
    fact(d, "Addresses", "talkers_total", NULL);
    g_string_append_printf(d->out, "<div><dt>Alert episodes</dt><dd><span class=\"v\" "
                           "data-json=\"alerts\" data-count=\"%u\">%u</span></dd></div>\n",
                           alerts, alerts);
    g_string_append(d->out, "</dl>\n");
    ntt_html_section_end(d);
}

/* The protocol mix: the JSON's keys and the names the text report uses. */
static const char *const mix_keys[] = { "tcp", "udp", "icmp", "other_ip", "non_ip" };
static const char *const mix_names[] = { "TCP", "UDP", "ICMP", "Other IP", "Non-IP" };

static void protocols(ntt_html_doc_t *d)
{
    ntt_chart_bar_t bars[G_N_ELEMENTS(mix_keys)];
    unsigned n = 0;

    for (unsigned i = 0; i < G_N_ELEMENTS(mix_keys); i++) {
        char *path = g_strdup_printf("protocols.%s.packets", mix_keys[i]);
        const ntt_jv_t *v = ntt_jv_path(d->report, path);

        if (ntt_jv_num(v, 0) > 0)
            bars[n++] = (ntt_chart_bar_t){ mix_names[i], path, v };
        else
            g_free(path);
    }
    if (n == 0)
        return;
    ntt_html_heading(d, "Protocols");
    g_string_append(d->out, "<figure>");
    ntt_chart_hbars(d->out, "Packets by protocol", "packets", bars, n);
    g_string_append(d->out, "</figure>\n");
    ntt_html_table_begin(d, "data", "Protocol|#Packets|#Bytes");
    for (unsigned i = 0; i < G_N_ELEMENTS(mix_keys); i++) {
        if (ntt_jv_num(ntt_jv_pathf(d->report, "protocols.%s.packets", mix_keys[i]), 0) <= 0)
            continue;
        g_string_append(d->out, "<tr>");
        ntt_html_text_cell(d->out, mix_names[i]);
        ntt_html_cellf(d->out, d->report, "protocols.%s.packets", mix_keys[i]);
        ntt_html_cellf(d->out, d->report, "protocols.%s.bytes", mix_keys[i]);
        g_string_append(d->out, "</tr>\n");
    }
    ntt_html_table_end(d);
    for (unsigned i = 0; i < n; i++)
        g_free(bars[i].path);
}

static void services(ntt_html_doc_t *d)
{
    static const char *const keys[] = { "name", "flows", "packets", "bytes" };
    const ntt_jv_t *list = ntt_jv_get(d->report, "services");
    unsigned n = ntt_jv_len(list);
    ntt_chart_bar_t *bars;

    if (n == 0)
        return;
    bars = g_new(ntt_chart_bar_t, n);
    for (unsigned i = 0; i < n; i++) {
        bars[i].label = ntt_jv_str(ntt_jv_pathf(d->report, "services[%u].name", i));
        bars[i].path = g_strdup_printf("services[%u].packets", i);
        bars[i].value = ntt_jv_path(d->report, bars[i].path);
        if (!bars[i].label)
            bars[i].label = "";
    }
    ntt_html_heading(d, "Services");
    g_string_append(d->out, "<figure>");
    ntt_chart_hbars(d->out, "Packets by service", "packets", bars, n);
    g_string_append(d->out, "</figure>\n");
    ntt_html_table_begin(d, "data", "Service|#Flows|#Packets|#Bytes");
    ntt_html_table_rows(d, "services", keys, G_N_ELEMENTS(keys));
    for (unsigned i = 0; i < n; i++)
        g_free(bars[i].path);
    ntt_html_table_end(d);
    g_free(bars);
}

void ntt_html_mix(ntt_html_doc_t *d)
{
    bool any = false;

    for (unsigned i = 0; i < G_N_ELEMENTS(mix_keys); i++)
        any |= ntt_jv_num(ntt_jv_pathf(d->report, "protocols.%s.packets", mix_keys[i]), 0) > 0;
    if (!any && ntt_jv_len(ntt_jv_get(d->report, "services")) == 0)
        return;
    ntt_html_section_begin(d, "mix", "Protocol and service mix");
    protocols(d);
    services(d);
    ntt_html_section_end(d);
}

/* Zeek's connection states, as docs/reports.md explains them. */
static const char *state_meaning(const char *state)
{
    static const char *const meanings[][2] = {
        { "S0", "attempt, no reply" },
        { "S1", "established, not closed" },
        { "SF", "established and closed" },
        { "REJ", "attempt rejected" },
        { "S2", "established, originator closed, no reply" },
        { "S3", "established, responder closed, no reply" },
        { "RSTO", "established, originator reset" },
        { "RSTR", "established, responder reset" },
        { "RSTOS0", "originator SYN then reset, no SYN-ACK" },
        { "RSTRH", "responder SYN-ACK then reset, no SYN seen" },
        { "SH", "originator SYN then FIN, no SYN-ACK" },
        { "SHR", "responder SYN-ACK then FIN, no SYN seen" },
        { "OTH", "no SYN seen, mid-stream" },
    };

    for (unsigned i = 0; i < G_N_ELEMENTS(meanings); i++)
        if (strcmp(meanings[i][0], state) == 0)
            return meanings[i][1];
    return NULL;
}

static void states(ntt_html_doc_t *d)
{
    const ntt_jv_t *by_state = ntt_jv_path(d->report, "flows.by_state");
    unsigned n = ntt_jv_len(by_state);
    ntt_chart_bar_t *bars;
    char **labels;

    if (!ntt_jv_is(by_state, NTT_JV_OBJECT) || n == 0)
        return;
    bars = g_new(ntt_chart_bar_t, n);
    labels = g_new0(char *, n + 1);
    for (unsigned i = 0; i < n; i++) {
        const char *state = g_ptr_array_index(by_state->keys, i);
        const char *meaning = state_meaning(state);

        labels[i] = meaning ? g_strdup_printf("%s (%s)", state, meaning) : g_strdup(state);
        bars[i] = (ntt_chart_bar_t){ labels[i], g_strdup_printf("flows.by_state.%s", state),
                                     g_ptr_array_index(by_state->items, i) };
    }
    ntt_html_heading(d, "Flows by final state");
    g_string_append(d->out, "<figure>");
    ntt_chart_hbars(d->out, "Flows by final state", "flows", bars, n);
    g_string_append(d->out, "</figure>\n");
    for (unsigned i = 0; i < n; i++)
        g_free(bars[i].path);
    g_free(bars);
    g_strfreev(labels);
}

static void top_flows(ntt_html_doc_t *d)
{
    unsigned n = ntt_jv_len(ntt_jv_path(d->report, "flows.top"));

    if (n == 0)
        return;
    ntt_html_heading(d, "Top flows by bytes");
    ntt_html_table_begin(d, "data", "#Flow|Proto|Originator|#Port|Responder|#Port|Service|"
                                    "State|#Packets|#Bytes|#Duration (s)");
    static const char *const keys[] = { "id", "proto", "src", "sport", "dst", "dport",
                                        "service", "state", "packets", "bytes", "duration" };

    ntt_html_table_rows(d, "flows.top", keys, G_N_ELEMENTS(keys));
    ntt_html_table_end(d);
}

void ntt_html_flows(ntt_html_doc_t *d)
{
    if (ntt_jv_num(ntt_jv_path(d->report, "flows.count"), 0) <= 0)
        return;
    ntt_html_section_begin(d, "flows", "Flows");
    states(d);
    top_flows(d);
    ntt_html_section_end(d);
}

void ntt_html_talkers(ntt_html_doc_t *d)
{
    static const char *const keys[] = { "address", "packets_sent", "packets_received",
                                        "bytes_sent", "bytes_received" };
    unsigned n = ntt_jv_len(ntt_jv_get(d->report, "talkers"));
    ntt_chart_bar_t *bars;

    if (n == 0)
        return;
    ntt_html_section_begin(d, "talkers", "Top talkers");
    bars = g_new(ntt_chart_bar_t, n);
    for (unsigned i = 0; i < n; i++) {
        bars[i].label = ntt_jv_str(ntt_jv_pathf(d->report, "talkers[%u].address", i));
        bars[i].path = g_strdup_printf("talkers[%u].bytes_sent", i);
        bars[i].value = ntt_jv_path(d->report, bars[i].path);
        if (!bars[i].label)
            bars[i].label = "";
    }
    g_string_append(d->out, "<figure>");
    ntt_chart_hbars(d->out, "Bytes sent by the top talkers", "bytes sent", bars, n);
    g_string_append(d->out, "</figure>\n");
    ntt_html_table_begin(d, "data", "Address|#Packets sent|#Packets received|#Bytes sent|"
                                    "#Bytes received");
    ntt_html_table_rows(d, "talkers", keys, G_N_ELEMENTS(keys));
    for (unsigned i = 0; i < n; i++)
        g_free(bars[i].path);
    ntt_html_table_end(d);
    g_string_append(d->out, "<p class=\"note\">");
    ntt_html_valuef(d->out, d->report, "span", "v", "talkers_total");
    g_string_append(d->out, " addresses in all; the top ones by bytes sent and received.</p>\n");
    ntt_html_section_end(d);
    g_free(bars);
}
