/* ntt-anomaly.c
 * See ntt-anomaly.h. The defaults are the engine's
 * (ntt_anomaly_config_init), read at registration.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-anomaly.h"

#include <glib.h>

#include <epan/proto.h>
#include <wsutil/report_message.h>

#include "ntt-compat.h"
#include "ntt-report-once.h"

static int hf_flow_anomaly = -1;

static guint pref_trees, default_trees;
static guint pref_sample, default_sample;
static guint pref_seed;
static guint pref_threshold;          /* hundredths of a score; 0: off */
static const char *pref_model_file = "";

void ntt_anomaly_register(int proto, module_t *module)
{
    static hf_register_info hf[] = {
        { &hf_flow_anomaly,
          { "Anomaly score", "ntt.flow.anomaly", FT_DOUBLE, BASE_NONE, NULL, 0x0,
            "How unusual the whole flow is among the capture's flows (or the "
            "baseline model's), 0 to 1: near 1 few and different, about 0.5 and "
            "below ordinary (Isolation Forest; once the whole file has been read)",
            HFILL }},
    };
    ntt_anomaly_config_t defaults;

    proto_register_field_array(proto, hf, array_length(hf));
    ntt_anomaly_config_init(&defaults);
    pref_trees = default_trees = defaults.trees;
    pref_sample = default_sample = defaults.sample;
    pref_seed = (guint)defaults.seed;
    pref_threshold = (guint)(defaults.threshold * 100 + 0.5);
    prefs_register_uint_preference(module, "anomaly_trees",
        "Anomaly model: trees",
        "Isolation trees the anomaly model grows (t; 1 to 10000)", 10, &pref_trees);
    prefs_register_uint_preference(module, "anomaly_sample",
        "Anomaly model: subsample per tree",
        "Flows each tree is grown on (ψ; 2 to 65536; fewer when the capture has "
        "fewer flows)", 10, &pref_sample);
    prefs_register_uint_preference(module, "anomaly_seed",
        "Anomaly model: seed",
        "Seed of the model's random generator: the same capture and seed give "
        "the same scores on every machine", 10, &pref_seed);
    prefs_register_filename_preference(module, "anomaly_model",
        "Anomaly model: baseline model file",
        "A model written by tshark -q -z ntt,model from ordinary traffic; flows "
        "are then scored against it as they end (also in one pass and live) "
        "instead of against the capture's own flows", &pref_model_file, FALSE);
    prefs_register_uint_preference(module, "anomaly_threshold",
        "Anomaly model: episode threshold (score x 100)",
        "With a baseline model, a flow scoring above this many hundredths (e.g. "
        "70: 0.70) raises an anomaly episode; 0: never (the default)", 10,
        &pref_threshold);
}

static void check_range(guint *value, guint lo, guint hi, guint fallback, const char *name)
{
    if (*value < lo || *value > hi) {
        report_failure("ntt: preference ntt.%s must be between %u and %u; using %u",
                       name, lo, hi, fallback);
        *value = fallback;
    }
}

void ntt_anomaly_check_prefs(void)
{
    check_range(&pref_trees, 1, 10000, default_trees, "anomaly_trees");
    check_range(&pref_sample, 2, 65536, default_sample, "anomaly_sample");
    check_range(&pref_threshold, 0, 99, 0, "anomaly_threshold");
}

void ntt_anomaly_engine_config(ntt_anomaly_config_t *config)
{
    char *error = NULL;

    config->trees = pref_trees;
    config->sample = pref_sample;
    config->seed = pref_seed;
    config->threshold = pref_threshold / 100.0;
    config->model = NULL;
    if (!pref_model_file || !*pref_model_file) {
        /* A self-trained model raises nothing: an unusual flow of this
         * capture is not an attack. Said, not silently ignored. */
        if (pref_threshold)
            ntt_report_once("ntt: preference ntt.anomaly_threshold applies to a baseline "
                            "model (ntt.anomaly_model); without one no anomaly episode is "
                            "raised");
        return;
    }
    config->model = ntt_anomaly_model_load(pref_model_file, &error);
    if (!config->model) {
        char *message = g_strdup_printf("ntt: anomaly model %s not loaded: %s (preference "
                                        "ntt.anomaly_model); flows are scored against the "
                                        "capture's own instead", pref_model_file, error);

        ntt_report_once(message);
        g_free(message);
        g_free(error);
    }
}

void ntt_anomaly_add_tree(proto_tree *flow_tree, tvbuff_t *tvb, ntt_engine_t *engine,
                          uint32_t flow_id)
{
    double score;

    ntt_engine_anomaly_finish(engine);
    if (ntt_engine_flow_anomaly(engine, flow_id, &score))
        proto_item_set_generated(proto_tree_add_double(flow_tree, hf_flow_anomaly, tvb, 0, 0,
                                                       score));
}
