/* report-tree.h
 * What the GUI's statistics tree counts (Statistics › Network Traffic
 * Tracer, tshark -z ntt,tree): for each packet the tap hands over, the
 * rows it counts in. The tree itself (Wireshark's stats_tree) only adds
 * up what this says, so it follows the window's display filter: a packet
 * the filter leaves out is never handed over.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_REPORT_TREE_H
#define NTT_REPORT_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntt/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The tree's top-level rows, in the order they are shown. */
typedef enum ntt_tree_section {
    NTT_TREE_ALERTS = 0,    /* alert packets; items: episode types */
    NTT_TREE_EPISODES,      /* alert packets; items: one per episode */
    NTT_TREE_FLOWS,         /* flows (at their first counted packet);
                               items: final states */
    NTT_TREE_TALKERS,       /* IP packets; items: addresses, each counting
                               the packets it sent and received */
    NTT_TREE_PROTOCOLS,     /* packets; items: "TCP", "UDP" ... */
    NTT_TREE_SERVICES,      /* IP packets; items: services */
    NTT_TREE_SECTION_COUNT
} ntt_tree_section_t;

/* "Alerts by type", "Episodes", ... */
const char *ntt_tree_section_name(ntt_tree_section_t section);

/* The sections that stay above the packet breakdowns however a window
 * sorts its rows (Wireshark's window sorts even the top level: by name,
 * at first). */
bool ntt_tree_section_on_top(ntt_tree_section_t section);

/* The item flows are counted under while final states are not known
 * (the first pass of a single-pass tshark). */
extern const char ntt_tree_needs_two_passes[];

/* The item talkers past the cap are counted under. */
extern const char ntt_tree_other_talkers[];

/* An episode's item: "#3 portscan 192.0.2.66 -> 198.51.100.20:22"; the
 * same from its detection to the end of the file (no growing size), and
 * "(many)" for many sources or targets as in the text report. Returns
 * buf. */
char *ntt_tree_episode_name(const ntt_episode_t *ep, char *buf, size_t size);

/* One tree's counting state: which flows and addresses it has counted so
 * far (a flow is counted once, at its first packet the filter lets
 * through; at most max_talkers addresses get a row of their own). A new
 * pass (a frame number not above the last one) or a new engine starts
 * it over, as the tree's counters do. */
typedef struct ntt_tree ntt_tree_t;

ntt_tree_t *ntt_tree_new(uint32_t max_talkers);
void ntt_tree_free(ntt_tree_t *tree);

/* Counts one row: item NULL is the section's own row, else the item under
 * it. The strings live until the callback returns. */
typedef void (*ntt_tree_tick_fn)(void *ctx, ntt_tree_section_t section,
                                 const char *item);

/* The rows one packet counts in, ticked in section order. frame may be
 * NULL (nothing known: nothing counted). whole_file: the file has been
 * read (a later pass), so every packet of an episode counts and final
 * states are known; false on the first pass. */
void ntt_tree_packet(ntt_tree_t *tree, ntt_engine_t *engine,
                     uint32_t frame_number, const ntt_frame_t *frame,
                     bool whole_file, ntt_tree_tick_fn tick, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* NTT_REPORT_TREE_H */
