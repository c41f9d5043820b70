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

/* The report table limits the preferences ask for. */
void ntt_report_limits_from_prefs(ntt_report_limits_t *limits);

/* The tap the post-dissector queues an ntt_frame_t on, per packet. */
int ntt_tap_id(void);

/* ntt-tap.c: registers -z ntt,stats and -z ntt,json. */
void ntt_register_reports(void);

#endif /* PACKET_NTT_H */
