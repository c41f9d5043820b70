/* ntt-record.h
 * Fills the engine's compact packet record from a dissected packet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_RECORD_H
#define NTT_RECORD_H

#include <epan/packet.h>

#include "ntt/packet.h"

/* Looks up the protocols and fields the record is read from; call from
 * the handoff, once every dissector has registered. */
void ntt_record_init(void);

/* A new array of the fields the post-dissector needs in the tree, for
 * set_postdissector_wanted_hfids(), which takes ownership of it. */
GArray *ntt_record_wanted_fields(void);

/* Fills record from pinfo and tree. Packets that are not IP get
 * ip_version 0. */
void ntt_record_fill(ntt_packet_t *record, packet_info *pinfo,
                     proto_tree *tree);

#endif /* NTT_RECORD_H */
