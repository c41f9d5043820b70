/* packet-ntt.c
 * Routines for ntt, the Network Traffic Tracer: a post-dissector that
 * follows every IP flow and shows what it knows as ntt.* fields.
 *
 * The work happens once, on the first pass over a packet; the result is
 * stored per frame and replayed on every later pass, so the GUI,
 * re-filtering and tshark -2 all show the same values (the pattern of
 * Wireshark's TRANSUM plugin).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "packet-ntt.h"

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>
#include <epan/tap.h>
#include <wsutil/report_message.h>

#include "ntt-alerts.h"
#include "ntt-anomaly.h"
#include "ntt-blocklist-file.h"
#include "ntt-compat.h"
#include "ntt-evidence.h"
#include "ntt-geoip.h"
#include "ntt-names.h"
#include "ntt-record.h"
#include "ntt-time-prefs.h"

static int proto_ntt = -1;
static int ntt_tap = -1;
static dissector_handle_t ntt_handle;

static int hf_ntt_flow_id = -1;
static int hf_ntt_flow_dir = -1;
static int hf_ntt_flow_new = -1;
static int hf_ntt_flow_pkts = -1;
static int hf_ntt_flow_bytes = -1;
static int hf_ntt_flow_orig_pkts = -1;
static int hf_ntt_flow_resp_pkts = -1;
static int hf_ntt_flow_orig_bytes = -1;
static int hf_ntt_flow_resp_bytes = -1;
static int hf_ntt_flow_duration = -1;
static int hf_ntt_flow_iat = -1;
static int hf_ntt_flow_state = -1;
static int hf_ntt_flow_total_pkts = -1;
static int hf_ntt_flow_total_bytes = -1;
static int hf_ntt_flow_final_state = -1;
static int hf_ntt_service = -1;

static gint ett_ntt = -1;
static gint ett_ntt_flow = -1;

static expert_field ei_ntt_flow_table_full = EI_INIT;
static expert_field ei_ntt_memcap_emergency = EI_INIT;

/* Preferences; checked and applied in apply_prefs(). The engine's own
 * defaults (ntt_config_init, ntt_report_limits_init) are read when the
 * preferences are registered, never written again here. */
static guint default_flow_timeout, default_max_flows, default_memcap;
static guint default_max_talkers, default_top_n, default_bin_seconds, default_entropy_window;
static guint pref_flow_timeout;
static guint pref_max_flows;
static guint pref_memcap;            /* MiB */
static guint pref_hash_seed;         /* 0: the engine's default seed */
static guint pref_max_talkers;
static guint pref_top_n;
static guint pref_bin_seconds;
static guint pref_entropy_window;    /* seconds */

/* The engine for the file being read: made when a file is opened, let go
 * when it is closed (a report may hold on to it a little longer). */
static ntt_engine_t *engine;

static const value_string flow_dir_vals[] = {
    { NTT_DIR_ORIG, "originator to responder" },
    { NTT_DIR_RESP, "responder to originator" },
    { 0, NULL }
};

ntt_engine_t *ntt_current_engine(void)
{
    return engine;
}

int ntt_tap_id(void)
{
    return ntt_tap;
}

void ntt_report_limits_from_prefs(ntt_report_limits_t *limits)
{
    ntt_report_limits_init(limits);
    limits->max_talkers = pref_max_talkers;
    limits->top_n = pref_top_n;
    limits->bin_seconds = pref_bin_seconds;
}

/* -z ntt,conn needs each flow's conn.log counts, which the engine keeps
 * only when asked (they cost memory per flow): the tap asks when the
 * report is requested, before any file is read. */
static bool conn_records_wanted;

void ntt_want_conn_records(void)
{
    conn_records_wanted = true;
    /* tshark made the first file's engine before it read the -z
     * arguments; it has seen no packet yet. */
    if (engine)
        ntt_engine_keep_conn_records(engine);
}

static void ntt_init(void)
{
    ntt_config_t config;

    ntt_config_init(&config);
    config.flow_timeout_ns = (int64_t)pref_flow_timeout * NTT_NS_PER_SEC;
    config.max_flows = pref_max_flows;
    config.memcap_bytes = (uint64_t)pref_memcap << 20;
    config.hash_seed = pref_hash_seed;
    config.entropy_window_ns = (int64_t)pref_entropy_window * NTT_NS_PER_SEC;
    config.conn_records = conn_records_wanted;
    ntt_alerts_config(&config.detect);
    ntt_geoip_detect_config(&config.detect);
    ntt_anomaly_engine_config(&config.anomaly);
    ntt_time_prefs_config(&config.detect);
    /* Databases and lists are opened per file: an updated database or an
     * edited list counts from the next file on. */
    config.geo = ntt_geoip_open();
    config.blocklist = ntt_blocklist_file_load();
    ntt_names_want(ntt_handle, config.blocklist != NULL);
    ntt_engine_unref(engine);
    engine = ntt_engine_new(&config);
}

static void ntt_cleanup(void)
{
    ntt_engine_unref(engine);
    engine = NULL;
}

/* A zero would switch a feature off by accident (no flow would live, no
 * talker would be counted): say so and keep the default. */
static void check_nonzero(guint *value, guint fallback, const char *name)
{
    if (*value == 0) {
        report_failure("ntt: preference ntt.%s must be at least 1; "
                       "using %u", name, fallback);
        *value = fallback;
    }
}

static void apply_prefs(void)
{
    check_nonzero(&pref_flow_timeout, default_flow_timeout, "flow_timeout");
    check_nonzero(&pref_max_flows, default_max_flows, "max_flows");
    check_nonzero(&pref_memcap, default_memcap, "memcap");
    check_nonzero(&pref_max_talkers, default_max_talkers, "max_talkers");
    check_nonzero(&pref_top_n, default_top_n, "top_n");
    check_nonzero(&pref_bin_seconds, default_bin_seconds, "bin_seconds");
    check_nonzero(&pref_entropy_window, default_entropy_window, "entropy_window");
    ntt_alerts_check_prefs();
    ntt_time_prefs_check();
    ntt_geoip_check_prefs();
    ntt_anomaly_check_prefs();
}

static void set_duration(nstime_t *t, int64_t ns)
{
    /* C division truncates toward zero, so seconds and nanoseconds keep
     * the same sign, as nstime_t wants. */
    t->secs = (time_t)(ns / NTT_NS_PER_SEC);
    t->nsecs = (int)(ns % NTT_NS_PER_SEC);
}

static proto_item *add_generated(proto_item *item)
{
    proto_item_set_generated(item);
    return item;
}

/* Once per file, where the live tables first ran out of ntt.memcap. */
static void add_memcap_note(packet_info *pinfo, proto_item *ntt_item,
                            const ntt_frame_t *frame)
{
    if (frame->memcap_emergency)
        expert_add_info_format(pinfo, ntt_item, &ei_ntt_memcap_emergency,
                               "ntt memory cap reached (%u MiB): emergency mode, "
                               "idle timeouts cut to a tenth and the oldest flows "
                               "and trackers evicted", pref_memcap);
}

static void add_flow_tree(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                          const ntt_frame_t *frame)
{
    const ntt_flow_result_t *r = &frame->flow;
    const char *state = ntt_conn_state_name((ntt_conn_state_t)r->state);
    const char *service = ntt_service_name(r->service);
    proto_tree *flow_tree;
    proto_item *ti, *ntt_item;
    nstime_t t;

    ti = ntt_item = add_generated(proto_tree_add_item(tree, proto_ntt, tvb, 0, 0, ENC_NA));
    /* Formatting the summary costs more than the rest of the tree; only
     * do it when someone will see it. */
    if (tree && PTREE_DATA(tree)->visible)
        proto_item_append_text(ti, ", Flow %u, %s, %s", r->flow_id,
                               r->dir == NTT_DIR_ORIG ? "orig" : "resp",
                               *state ? state : "-");
    tree = proto_item_add_subtree(ti, ett_ntt);

    ti = add_generated(proto_tree_add_uint(tree, hf_ntt_flow_id, tvb, 0, 0,
                                           r->flow_id));
    flow_tree = proto_item_add_subtree(ti, ett_ntt_flow);
    add_generated(proto_tree_add_uint(flow_tree, hf_ntt_flow_dir, tvb, 0, 0, r->dir));
    if (r->new_flow)
        add_generated(proto_tree_add_boolean(flow_tree, hf_ntt_flow_new, tvb, 0, 0, TRUE));
    add_generated(proto_tree_add_uint64(flow_tree, hf_ntt_flow_pkts, tvb, 0, 0,
                                        ntt_flow_result_pkts(r)));
    add_generated(proto_tree_add_uint64(flow_tree, hf_ntt_flow_bytes, tvb, 0, 0,
                                        ntt_flow_result_bytes(r)));
    add_generated(proto_tree_add_uint(flow_tree, hf_ntt_flow_orig_pkts, tvb, 0, 0,
                                      r->pkts[NTT_DIR_ORIG]));
    add_generated(proto_tree_add_uint(flow_tree, hf_ntt_flow_resp_pkts, tvb, 0, 0,
                                      r->pkts[NTT_DIR_RESP]));
    add_generated(proto_tree_add_uint64(flow_tree, hf_ntt_flow_orig_bytes, tvb, 0, 0,
                                        r->bytes[NTT_DIR_ORIG]));
    add_generated(proto_tree_add_uint64(flow_tree, hf_ntt_flow_resp_bytes, tvb, 0, 0,
                                        r->bytes[NTT_DIR_RESP]));
    set_duration(&t, r->duration_ns);
    add_generated(proto_tree_add_time(flow_tree, hf_ntt_flow_duration, tvb, 0, 0, &t));
    set_duration(&t, r->iat_ns);
    add_generated(proto_tree_add_time(flow_tree, hf_ntt_flow_iat, tvb, 0, 0, &t));
    if (*state)
        add_generated(proto_tree_add_string(flow_tree, hf_ntt_flow_state, tvb, 0, 0, state));

    /* Final totals only once the whole file has been read: on the first
     * pass they are not known yet, and showing "so far" under the name
     * "total" would mislead a filter such as ntt.flow.total_pkts > 1000. */
    if (PINFO_FD_VISITED(pinfo)) {
        const ntt_flow_summary_t *f = ntt_engine_flow(engine, r->flow_id);

        if (f) {
            const char *final_state = ntt_conn_state_name((ntt_conn_state_t)f->state);

            add_generated(proto_tree_add_uint64(flow_tree, hf_ntt_flow_total_pkts, tvb, 0, 0,
                                                (guint64)f->pkts[0] + f->pkts[1]));
            add_generated(proto_tree_add_uint64(flow_tree, hf_ntt_flow_total_bytes, tvb, 0, 0,
                                                f->bytes[0] + f->bytes[1]));
            if (*final_state)
                add_generated(proto_tree_add_string(flow_tree, hf_ntt_flow_final_state,
                                                    tvb, 0, 0, final_state));
            ntt_anomaly_add_tree(flow_tree, tvb, engine, r->flow_id);
        }
    }

    if (*service)
        add_generated(proto_tree_add_string(tree, hf_ntt_service, tvb, 0, 0, service));
    ntt_geoip_add_tree(tree, tvb, engine, frame);

    if (frame->table_full) {
        expert_add_info_format(pinfo, ti, &ei_ntt_flow_table_full,
                               "ntt flow table full (%u flows): the least "
                               "recently seen flows are being evicted",
                               pref_max_flows);
    }
    add_memcap_note(pinfo, ntt_item, frame);
    ntt_alerts_add(tree, tvb, pinfo, ntt_item, engine, frame,
                   PINFO_FD_VISITED(pinfo) ? true : false);
}

/* A packet with no flow that belongs to an episode (an ARP request of a
 * sweep): the ntt item and the alerts only. */
static void add_alert_tree(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                           const ntt_frame_t *frame)
{
    proto_item *ntt_item = add_generated(proto_tree_add_item(tree, proto_ntt, tvb, 0, 0,
                                                             ENC_NA));

    add_memcap_note(pinfo, ntt_item, frame);
    ntt_alerts_add(proto_item_add_subtree(ntt_item, ett_ntt), tvb, pinfo, ntt_item,
                   engine, frame, PINFO_FD_VISITED(pinfo) ? true : false);
}

static int dissect_ntt(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree,
                       void *data _U_)
{
    const ntt_frame_t *frame;
    ntt_tap_info_t *tap_info;
    bool found;

    if (!engine)
        return 0;
    /* The taps read the frame after this returns: it lives in the packet's
     * pool, as the tap info. */
    tap_info = wmem_new(pinfo->pool, ntt_tap_info_t);
    if (!PINFO_FD_VISITED(pinfo)) {
        ntt_packet_t record;

        ntt_record_fill(&record, pinfo);
        ntt_names_fill(&record, tree, pinfo);
        found = ntt_engine_process(engine, &record, &tap_info->frame);
    } else {
        /* The whole file has been read: flows still watched by a baseline
         * anomaly model end with it (their episodes show from here on). */
        ntt_engine_anomaly_finish_watched(engine);
        found = ntt_engine_frame(engine, pinfo->num, ntt_record_ts_ns(pinfo),
                                 &tap_info->frame);
    }
    if (!found)
        return 0;

    frame = &tap_info->frame;
    tap_info->replayed = PINFO_FD_VISITED(pinfo);
    tap_queue_packet(ntt_tap, pinfo, tap_info);
    /* The tree items are for eyes, filters, columns and -T fields; when
     * none of them looks at ntt (a plain -z ntt,stats run, the GUI's
     * first pass) they are skipped: the report reads the tap. What must
     * reach -z expert -- a detection, an eviction note -- is rare and
     * always added. */
    if ((frame->has_flow || frame->tokens[0] || frame->trackers_full ||
         frame->memcap_emergency) &&
        (frame->table_full || frame->memcap_emergency ||
         proto_field_is_referenced(tree, proto_ntt) ||
         ntt_alerts_detected_here(engine, frame, pinfo->num))) {
        /* A packet without a flow (ARP) can still belong to an episode. */
        if (frame->has_flow)
            add_flow_tree(tree, tvb, pinfo, frame);
        else
            add_alert_tree(tree, tvb, pinfo, frame);
    }
    return 0;
}

void proto_register_ntt(void)
{
    module_t *ntt_module;
    expert_module_t *expert_ntt;

    static hf_register_info hf[] = {
        { &hf_ntt_flow_id,
          { "Flow", "ntt.flow.id", FT_UINT32, BASE_DEC, NULL, 0x0,
            "Flow number within the file, in order of first packet (TCP, UDP, "
            "ICMP and other IP alike)", HFILL }},
        { &hf_ntt_flow_dir,
          { "Direction", "ntt.flow.dir", FT_UINT8, BASE_DEC,
            VALS(flow_dir_vals), 0x0,
            "0: originator to responder, 1: responder to originator", HFILL }},
        { &hf_ntt_flow_new,
          { "New flow", "ntt.flow.new", FT_BOOLEAN, BASE_NONE, NULL, 0x0,
            "This packet opened the flow", HFILL }},
        { &hf_ntt_flow_pkts,
          { "Packets", "ntt.flow.pkts", FT_UINT64, BASE_DEC, NULL, 0x0,
            "Packets of the flow so far, both directions, this one included",
            HFILL }},
        { &hf_ntt_flow_bytes,
          { "Bytes", "ntt.flow.bytes", FT_UINT64, BASE_DEC, NULL, 0x0,
            "Frame bytes of the flow so far, both directions, this packet "
            "included", HFILL }},
        { &hf_ntt_flow_orig_pkts,
          { "Originator packets", "ntt.flow.orig_pkts", FT_UINT32, BASE_DEC,
            NULL, 0x0, "Packets from originator to responder so far", HFILL }},
        { &hf_ntt_flow_resp_pkts,
          { "Responder packets", "ntt.flow.resp_pkts", FT_UINT32, BASE_DEC,
            NULL, 0x0, "Packets from responder to originator so far", HFILL }},
        { &hf_ntt_flow_orig_bytes,
          { "Originator bytes", "ntt.flow.orig_bytes", FT_UINT64, BASE_DEC,
            NULL, 0x0, "Frame bytes from originator to responder so far", HFILL }},
        { &hf_ntt_flow_resp_bytes,
          { "Responder bytes", "ntt.flow.resp_bytes", FT_UINT64, BASE_DEC,
            NULL, 0x0, "Frame bytes from responder to originator so far", HFILL }},
        { &hf_ntt_flow_duration,
          { "Duration", "ntt.flow.duration", FT_RELATIVE_TIME, BASE_NONE,
            NULL, 0x0, "Time since the flow's first packet", HFILL }},
        { &hf_ntt_flow_iat,
          { "Inter-arrival time", "ntt.flow.iat", FT_RELATIVE_TIME, BASE_NONE,
            NULL, 0x0, "Time since the flow's previous packet (0 for the first)",
            HFILL }},
        { &hf_ntt_flow_state,
          { "State", "ntt.flow.state", FT_STRING, BASE_NONE, NULL, 0x0,
            "Connection state as known at this packet, in Zeek's conn.log "
            "vocabulary (S0, S1, SF, REJ, RSTO, RSTR, SH, OTH ...)", HFILL }},
        { &hf_ntt_flow_total_pkts,
          { "Total packets", "ntt.flow.total_pkts", FT_UINT64, BASE_DEC,
            NULL, 0x0, "Packets of the whole flow (once the whole file has been "
            "read)", HFILL }},
        { &hf_ntt_flow_total_bytes,
          { "Total bytes", "ntt.flow.total_bytes", FT_UINT64, BASE_DEC,
            NULL, 0x0, "Frame bytes of the whole flow (once the whole file has "
            "been read)", HFILL }},
        { &hf_ntt_flow_final_state,
          { "Final state", "ntt.flow.final_state", FT_STRING, BASE_NONE,
            NULL, 0x0, "Connection state at the flow's last packet (once the "
            "whole file has been read)", HFILL }},
        { &hf_ntt_service,
          { "Service", "ntt.service", FT_STRING, BASE_NONE, NULL, 0x0,
            "Service named by the flow's ports (http, https, dns, ssh ...)",
            HFILL }},
    };

    static gint *ett[] = {
        &ett_ntt,
        &ett_ntt_flow,
    };

    static ei_register_info ei[] = {
        { &ei_ntt_flow_table_full,
          { "ntt.expert.flow_table_full", PI_SECURITY, PI_NOTE,
            "ntt's live flow table is full; the least recently seen flows are "
            "evicted (raise ntt.max_flows)", EXPFILL }},
        { &ei_ntt_memcap_emergency,
          { "ntt.expert.memcap_emergency", PI_SECURITY, PI_NOTE,
            "ntt's live tables reached ntt.memcap: emergency mode shortens idle "
            "timeouts and evicts the oldest flows and trackers (the report says "
            "how often and what went)", EXPFILL }},
    };
    ntt_config_t defaults;
    ntt_report_limits_t limits;

    proto_ntt = proto_register_protocol("Network Traffic Tracer", "ntt", "ntt");
    proto_register_field_array(proto_ntt, hf, array_length(hf));
    proto_register_subtree_array(ett, array_length(ett));
    expert_ntt = expert_register_protocol(proto_ntt);
    expert_register_field_array(expert_ntt, ei, array_length(ei));

    /* The engine's defaults, in the preferences' units. */
    ntt_config_init(&defaults);
    ntt_report_limits_init(&limits);
    pref_flow_timeout = default_flow_timeout =
        (guint)(defaults.flow_timeout_ns / NTT_NS_PER_SEC);
    pref_max_flows = default_max_flows = defaults.max_flows;
    pref_memcap = default_memcap = (guint)(defaults.memcap_bytes >> 20);
    pref_hash_seed = (guint)defaults.hash_seed;
    pref_max_talkers = default_max_talkers = limits.max_talkers;
    pref_top_n = default_top_n = limits.top_n;
    pref_bin_seconds = default_bin_seconds = limits.bin_seconds;
    pref_entropy_window = default_entropy_window =
        (guint)(defaults.entropy_window_ns / NTT_NS_PER_SEC);

    ntt_module = prefs_register_protocol(proto_ntt, apply_prefs);
    prefs_register_uint_preference(ntt_module, "flow_timeout",
        "Flow idle timeout (seconds)",
        "A flow with no packet for this long is over; its next packet opens "
        "a new flow", 10, &pref_flow_timeout);
    prefs_register_uint_preference(ntt_module, "max_flows",
        "Live flows tracked at most",
        "Beyond this many live flows the least recently seen one is evicted, "
        "so a flood of spoofed sources cannot exhaust memory", 10,
        &pref_max_flows);
    prefs_register_uint_preference(ntt_module, "memcap",
        "Memory for live tables (MiB)",
        "The bytes ntt's live flow table and attack trackers may take together; "
        "beyond it emergency mode shortens idle timeouts to a tenth and evicts "
        "the oldest entries (an expert note says so, the report what went). "
        "Per-frame results kept for replay are not counted", 10, &pref_memcap);
    prefs_register_uint_preference(ntt_module, "hash_seed",
        "Hash seed of the live tables",
        "Seed of the hash that places addresses in ntt's tables (0: a fixed "
        "default). Set a value of your own where an attacker could choose "
        "addresses to collide; results do not depend on it", 10, &pref_hash_seed);
    prefs_register_uint_preference(ntt_module, "max_talkers",
        "Addresses in the report's talker table at most",
        "Addresses beyond this many are counted together as \"other\" in "
        "-z ntt,stats", 10, &pref_max_talkers);
    prefs_register_uint_preference(ntt_module, "top_n",
        "Rows in the report's top tables",
        "How many flows and talkers -z ntt,stats lists", 10, &pref_top_n);
    prefs_register_uint_preference(ntt_module, "bin_seconds",
        "Time profile bin (seconds)",
        "Width of the bins whose packet counts give the reports' burstiness figures "
        "(peak/mean, CV, Fano factor) and the JSON timeline (which widens its bins "
        "when a long capture would need more than 3600)", 10, &pref_bin_seconds);
    ntt_time_prefs_register(ntt_module);
    prefs_register_uint_preference(ntt_module, "entropy_window",
        "Entropy window (seconds)",
        "The sliding window, in seconds, over which the entropy of source "
        "addresses, destination addresses and destination ports is measured "
        "(the reports' Entropy section, ntt.alert.entropy_*)", 10,
        &pref_entropy_window);
    ntt_alerts_register(proto_ntt, ntt_module, expert_ntt);
    ntt_geoip_register(proto_ntt, ntt_module);
    ntt_blocklist_file_register(ntt_module);
    ntt_evidence_register(ntt_module);
    ntt_anomaly_register(proto_ntt, ntt_module);

    register_init_routine(ntt_init);
    register_cleanup_routine(ntt_cleanup);

    ntt_handle = create_dissector_handle(dissect_ntt, proto_ntt);
    ntt_tap = register_tap("ntt");
    ntt_register_reports();
}

void proto_reg_handoff_ntt(void)
{
    /* stats_tree registration belongs in the handoff: the tap exists and
     * the stats_tree module is ready by then. */
    ntt_register_stats_tree();
    ntt_record_init();
    register_postdissector(ntt_handle);
}
