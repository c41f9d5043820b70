/* ntt-tap.c
 * The tshark reports: -z ntt,stats[,filter] (text),
 * -z ntt,json[,filter] (one JSON document), -z ntt,html[,filter] (a page
 * with charts, to read and print), the maps
 * -z ntt,kml[,filter] and -z ntt,geojson[,filter], the files other
 * tools read: -z ntt,conn[,filter] (Zeek's conn.log), -z ntt,csv[,filter]
 * and -z ntt,csv,alerts (CSV), -z ntt,model (an anomaly model trained on
 * every flow of the file, docs/analytics.md) and the evidence database
 * -z ntt,evidence,PATH.db[,filter] (ntt-evidence.c). Each is a tap listener on the
 * "ntt" tap, so a display filter narrows what it counts, as with tshark's
 * other -z statistics.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <epan/packet.h>
#include <epan/stat_tap_ui.h>
#include <epan/tap.h>
#include <wsutil/report_message.h>

#include "ntt-compat.h"
#include "ntt-evidence.h"
#include "ntt-record.h"
#include "packet-ntt.h"

/* A report's writer: the engine's text, JSON, HTML, map, conn.log or CSV. */
typedef void (*ntt_render_t)(const ntt_report_t *report, GString *out);

typedef struct ntt_listener {
    ntt_report_t *report;
    ntt_render_t  render;      /* NULL: -z ntt,model */
    ntt_engine_t *engine;      /* -z ntt,model: a reference, for the draw */
} ntt_listener_t;

static void listener_reset(void *tapdata)
{
    ntt_listener_t *listener = tapdata;

    ntt_report_reset(listener->report);
}

static tap_packet_status listener_packet(void *tapdata, packet_info *pinfo,
                                         epan_dissect_t *edt _U_,
                                         const void *data,
                                         tap_flags_t flags _U_)
{
    ntt_listener_t *listener = tapdata;
    const ntt_tap_info_t *info = data;
    ntt_engine_t *engine = ntt_current_engine();

    if (!engine)
        return TAP_PACKET_DONT_REDRAW;
    if (!listener->render) {
        if (listener->engine != engine) {
            ntt_engine_unref(listener->engine);
            listener->engine = ntt_engine_ref(engine);
        }
        return TAP_PACKET_DONT_REDRAW;
    }
    ntt_report_add(listener->report, engine, ntt_record_ts_ns(pinfo), pinfo->fd->pkt_len,
                   &info->frame);
    return TAP_PACKET_REDRAW;
}

/* The model of every flow the engine recorded, or a message saying why
 * there is none (nothing is written then: no half a model). */
static void render_model(ntt_listener_t *listener, GString *out)
{
    ntt_anomaly_model_t *model = listener->engine ? ntt_engine_anomaly_train(listener->engine)
                                                  : NULL;

    if (!model) {
        report_failure("ntt: -z ntt,model: fewer than two flows in the capture, "
                       "no model written");
        return;
    }
    ntt_anomaly_model_write(model, out);
    ntt_anomaly_model_free(model);
}

static void listener_draw(void *tapdata)
{
    ntt_listener_t *listener = tapdata;
    GString *out = g_string_new(NULL);

    if (listener->render)
        listener->render(listener->report, out);
    else
        render_model(listener, out);
    fputs(out->str, stdout);
    fflush(stdout);
    g_string_free(out, TRUE);
}

static void listener_finish(void *tapdata)
{
    ntt_listener_t *listener = tapdata;

    ntt_report_free(listener->report);
    ntt_engine_unref(listener->engine);
    g_free(listener);
}

/* opt_arg is "ntt,stats" or "ntt,stats,FILTER" (likewise ntt,json). */
static NTT_STAT_TAP_INIT_RETURN start_listener(const char *opt_arg,
                                               ntt_render_t render,
                                               const char *prefix)
{
    const char *filter = NULL;
    ntt_listener_t *listener;
    ntt_report_limits_t limits;
    GString *error;
    size_t prefix_len = strlen(prefix);

    if (strncmp(opt_arg, prefix, prefix_len) == 0 && opt_arg[prefix_len] == ',')
        filter = opt_arg + prefix_len + 1;
    else if (strcmp(opt_arg, prefix) != 0) {
        report_failure("ntt: invalid \"-z %s\" argument; use -z %s[,filter]",
                       opt_arg, prefix);
        NTT_STAT_TAP_INIT_FAIL;
    }

    listener = g_new0(ntt_listener_t, 1);
    ntt_report_limits_from_prefs(&limits);
    listener->report = ntt_report_new(&limits, filter);
    listener->render = render;
    error = register_tap_listener("ntt", listener, filter, TL_REQUIRES_NOTHING,
                                  listener_reset, listener_packet,
                                  listener_draw, listener_finish);
    if (error) {
        report_failure("ntt: could not start -z %s: %s", prefix, error->str);
        g_string_free(error, TRUE);
        ntt_report_free(listener->report);
        g_free(listener);
        NTT_STAT_TAP_INIT_FAIL;
    }
    NTT_STAT_TAP_INIT_OK;
}

static NTT_STAT_TAP_INIT_RETURN stats_init(const char *opt_arg, void *userdata _U_)
{
    return start_listener(opt_arg, ntt_report_render_text, "ntt,stats");
}

static NTT_STAT_TAP_INIT_RETURN json_init(const char *opt_arg, void *userdata _U_)
{
    return start_listener(opt_arg, ntt_report_render_json, "ntt,json");
}

static NTT_STAT_TAP_INIT_RETURN kml_init(const char *opt_arg, void *userdata _U_)
{
    return start_listener(opt_arg, ntt_report_render_kml, "ntt,kml");
}

static NTT_STAT_TAP_INIT_RETURN geojson_init(const char *opt_arg, void *userdata _U_)
{
    return start_listener(opt_arg, ntt_report_render_geojson, "ntt,geojson");
}

static NTT_STAT_TAP_INIT_RETURN html_init(const char *opt_arg, void *userdata _U_)
{
    return start_listener(opt_arg, ntt_report_render_html, "ntt,html");
}

static NTT_STAT_TAP_INIT_RETURN conn_init(const char *opt_arg, void *userdata _U_)
{
    ntt_want_conn_records();
    return start_listener(opt_arg, ntt_report_render_conn, "ntt,conn");
}

/* "ntt,csv,alerts" lists the episodes (they belong to the capture: no
 * filter); anything else after "ntt,csv," is a filter for the flows. */
static NTT_STAT_TAP_INIT_RETURN csv_init(const char *opt_arg, void *userdata _U_)
{
    if (strcmp(opt_arg, "ntt,csv,alerts") == 0)
        return start_listener("ntt,csv,alerts", ntt_report_render_csv_alerts, "ntt,csv,alerts");
    return start_listener(opt_arg, ntt_report_render_csv, "ntt,csv");
}

static NTT_STAT_TAP_INIT_RETURN evidence_init(const char *opt_arg, void *userdata _U_)
{
    if (!ntt_evidence_start(opt_arg))
        NTT_STAT_TAP_INIT_FAIL;
    NTT_STAT_TAP_INIT_OK;
}

/* A model is of the whole file: no filter. */
static NTT_STAT_TAP_INIT_RETURN model_init(const char *opt_arg, void *userdata _U_)
{
    if (strcmp(opt_arg, "ntt,model") != 0) {
        report_failure("ntt: invalid \"-z %s\" argument; use -z ntt,model (a model "
                       "is trained on every flow of the file: no filter)", opt_arg);
        NTT_STAT_TAP_INIT_FAIL;
    }
    return start_listener(opt_arg, NULL, "ntt,model");
}

static stat_tap_ui stats_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ntt statistics",
    "ntt,stats",
    stats_init,
    0,
    NULL
};

static stat_tap_ui json_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ntt statistics (JSON)",
    "ntt,json",
    json_init,
    0,
    NULL
};

static stat_tap_ui kml_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ntt map (KML)",
    "ntt,kml",
    kml_init,
    0,
    NULL
};

static stat_tap_ui geojson_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ntt map (GeoJSON)",
    "ntt,geojson",
    geojson_init,
    0,
    NULL
};

static stat_tap_ui html_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ntt report (HTML)",
    "ntt,html",
    html_init,
    0,
    NULL
};

static stat_tap_ui conn_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ntt flows (Zeek conn.log)",
    "ntt,conn",
    conn_init,
    0,
    NULL
};

static stat_tap_ui csv_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ntt flows or alerts (CSV)",
    "ntt,csv",
    csv_init,
    0,
    NULL
};

static stat_tap_ui evidence_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ntt evidence database (SQLite)",
    "ntt,evidence",
    evidence_init,
    0,
    NULL
};

static stat_tap_ui model_ui = {
    REGISTER_STAT_GROUP_GENERIC,
    "ntt anomaly model",
    "ntt,model",
    model_init,
    0,
    NULL
};

void ntt_register_reports(void)
{
    register_stat_tap_ui(&model_ui, NULL);
    register_stat_tap_ui(&stats_ui, NULL);
    register_stat_tap_ui(&json_ui, NULL);
    register_stat_tap_ui(&kml_ui, NULL);
    register_stat_tap_ui(&geojson_ui, NULL);
    register_stat_tap_ui(&html_ui, NULL);
    register_stat_tap_ui(&conn_ui, NULL);
    register_stat_tap_ui(&csv_ui, NULL);
    register_stat_tap_ui(&evidence_ui, NULL);
}
