/* ntt-stats-tree.c
 * Statistics › Network Traffic Tracer (ntt) in the Wireshark GUI, and
 * tshark -z ntt,tree: alerts by type, each episode, flows by final state,
 * talkers, packets by protocol and by service, drawn by Wireshark's
 * stats_tree so the GUI can show, sort and export them. Which rows a
 * packet counts in is the engine's answer (ntt_tree_packet); this file
 * only ticks them, per packet, so the window's display filter narrows
 * every count.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <epan/packet.h>
#include <epan/stats_tree.h>

#include "ntt-compat.h"
#include "packet-ntt.h"
#include "ntt/report-tree.h"

/* The node of each section, the same in every tree (made in one order). */
static int section_ids[NTT_TREE_SECTION_COUNT];

/* Each open tree's counting state, by tree: the GUI may show several. */
static GHashTable *trees;

static void tree_init(stats_tree *st)
{
    ntt_report_limits_t limits;

    for (int s = 0; s < NTT_TREE_SECTION_COUNT; s++) {
        const char *name = ntt_tree_section_name((ntt_tree_section_t)s);

        section_ids[s] = stats_tree_create_node(st, name, 0, STAT_DT_INT, TRUE);
        if (ntt_tree_section_on_top((ntt_tree_section_t)s))
            stat_node_set_flags(st, name, 0, TRUE, ST_FLG_SORT_TOP);
    }
    if (!trees)
        trees = g_hash_table_new_full(g_direct_hash, g_direct_equal, NULL,
                                      (GDestroyNotify)ntt_tree_free);
    ntt_report_limits_from_prefs(&limits);
    g_hash_table_replace(trees, st, ntt_tree_new(limits.max_talkers));
}

static void tree_cleanup(stats_tree *st)
{
    if (trees)
        g_hash_table_remove(trees, st);
}

static void tick_row(void *ctx, ntt_tree_section_t section, const char *item)
{
    stats_tree *st = ctx;

    if (item)
        tick_stat_node(st, item, section_ids[section], FALSE);
    else
        tick_stat_node(st, ntt_tree_section_name(section), 0, TRUE);
}

static tap_packet_status tree_packet(stats_tree *st, packet_info *pinfo,
                                     epan_dissect_t *edt _U_, const void *data,
                                     tap_flags_t flags _U_)
{
    const ntt_tap_info_t *info = data;
    ntt_engine_t *engine = ntt_current_engine();
    ntt_tree_t *tree = trees ? g_hash_table_lookup(trees, st) : NULL;

    if (!engine || !info || !tree)
        return TAP_PACKET_DONT_REDRAW;
    ntt_tree_packet(tree, engine, pinfo->num, &info->frame, info->replayed ? true : false,
                    tick_row, st);
    return TAP_PACKET_REDRAW;
}

void ntt_register_stats_tree(void)
{
    stats_tree_register_plugin("ntt", "ntt", "Network Traffic Tracer (ntt)",
                               0, tree_packet, tree_init, tree_cleanup);
}
