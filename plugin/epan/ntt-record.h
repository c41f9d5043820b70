/* ntt-record.h
 * Fills the engine's compact packet record from a dissected packet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_RECORD_H
#define NTT_RECORD_H

#include <epan/packet.h>

#include "ntt/packet.h"

/* Looks up the protocols whose layers the record is read from; call from
 * the handoff, once every dissector has registered. */
void ntt_record_init(void);

/* Fills record from a packet whose dissection is complete (a
 * post-dissector's view). Needs no protocol tree. Packets that are not
 * IP, or whose IP header cannot be found, get ip_version 0. */
void ntt_record_fill(ntt_packet_t *record, packet_info *pinfo);

/* The packet's timestamp as the record has it: later passes give it back
 * to ntt_engine_frame(). */
int64_t ntt_record_ts_ns(const packet_info *pinfo);

#endif /* NTT_RECORD_H */
