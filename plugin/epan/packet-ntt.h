/* packet-ntt.h
 * What the post-dissector shares with the rest of the glue.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PACKET_NTT_H
#define PACKET_NTT_H

#include "ntt/engine.h"
#include "ntt/report.h"

void proto_register_ntt(void);
void proto_reg_handoff_ntt(void);

/* The engine of the file being read, or NULL between files. */
ntt_engine_t *ntt_current_engine(void);

/* Engines made from now on keep what Zeek's conn.log counts of each flow
 * (-z ntt,conn asks). */
void ntt_want_conn_records(void);

/* The report table limits the preferences ask for. */
void ntt_report_limits_from_prefs(ntt_report_limits_t *limits);

/* What the post-dissector queues on the "ntt" tap for each packet. */
typedef struct ntt_tap_info {
    ntt_frame_t        frame;
    /* The result was replayed from an earlier pass, so whole-flow values
     * (final states, totals) are known. Taps cannot use PINFO_FD_VISITED
     * for this: tshark marks the frame visited before the taps run. */
    gboolean           replayed;
} ntt_tap_info_t;

int ntt_tap_id(void);

/* ntt-tap.c: registers the -z ntt,... reports. */
void ntt_register_reports(void);

/* ntt-stats-tree.c: Statistics › ntt in the GUI, -z ntt,tree in tshark. */
void ntt_register_stats_tree(void);

#endif /* PACKET_NTT_H */
