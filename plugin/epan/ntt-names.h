/* ntt-names.h
 * The names a blocklist is matched against -- DNS query and answer names
 * and the addresses they resolve to, HTTP Host and request URI, TLS
 * server name -- taken from Wireshark's own dissection of the packet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_NAMES_H
#define NTT_NAMES_H

#include <stdbool.h>

#include <epan/packet.h>

#include "ntt/packet.h"

/* Asks Wireshark for those fields (want true: a blocklist is loaded) or
 * for none. Wanting fields makes tshark build a protocol tree, so it is
 * done only when something will be matched. Call from the init routine,
 * before the file's first packet. */
void ntt_names_want(dissector_handle_t handle, bool want);

/* Adds the packet's names to record (whose pointers then refer to the
 * packet's scope). Does nothing unless ntt_names_want(.., true). */
void ntt_names_fill(ntt_packet_t *record, proto_tree *tree, packet_info *pinfo);

#endif /* NTT_NAMES_H */
