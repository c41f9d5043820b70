/* ntt-stats-tree.c
 * Statistics › ntt in the Wireshark GUI (and tshark -z ntt,tree): packets
 * by protocol and by service, and flows by their final state, drawn by
 * Wireshark's stats_tree so the GUI can show, sort and export them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/stats_tree.h>

#include "ntt-compat.h"
#include "packet-ntt.h"

static const char node_protocols[] = "Packets by protocol";
static const char node_services[] = "Packets by service";
static const char node_flows[] = "Flows by final state";
/* A flow's final state is known only once the file has been read: the GUI
 * always retaps then; a single-pass tshark cannot. */
static const char needs_two_passes[] = "(final state needs two passes: tshark -2)";

static int protocols_id = -1;
static int services_id = -1;
static int flows_id = -1;

static void tree_init(stats_tree *st)
{
    protocols_id = stats_tree_create_node(st, node_protocols, 0, STAT_DT_INT, TRUE);
    services_id = stats_tree_create_node(st, node_services, 0, STAT_DT_INT, TRUE);
    flows_id = stats_tree_create_node(st, node_flows, 0, STAT_DT_INT, TRUE);
}

static tap_packet_status tree_packet(stats_tree *st, packet_info *pinfo _U_,
                                     epan_dissect_t *edt _U_, const void *data,
                                     tap_flags_t flags _U_)
{
    const ntt_tap_info_t *info = data;
    const ntt_frame_t *frame = info ? &info->frame : NULL;
    const ntt_engine_t *engine = ntt_current_engine();
    const ntt_flow_summary_t *flow;
    const char *service;

    if (!engine || !frame)
        return TAP_PACKET_DONT_REDRAW;
    tick_stat_node(st, node_protocols, 0, TRUE);
    tick_stat_node(st, ntt_report_protocol_class(engine, frame), protocols_id, FALSE);
    if (!frame->has_flow)
        return TAP_PACKET_REDRAW;

    service = ntt_service_name(frame->flow.service);
    tick_stat_node(st, node_services, 0, TRUE);
    tick_stat_node(st, *service ? service : "(unclassified)", services_id, FALSE);

    if (frame->flow.new_flow) {
        flow = ntt_engine_flow(engine, frame->flow.flow_id);
        tick_stat_node(st, node_flows, 0, TRUE);
        tick_stat_node(st, info->replayed && flow
                           ? ntt_conn_state_name((ntt_conn_state_t)flow->state)
                           : needs_two_passes,
                       flows_id, FALSE);
    }
    return TAP_PACKET_REDRAW;
}

void ntt_register_stats_tree(void)
{
    stats_tree_register_plugin("ntt", "ntt", "Network Traffic Tracer (ntt)",
                               0, tree_packet, tree_init, NULL);
}
