/* arp-header.h
 * Reads an ARP message (RFC 826) straight from packet bytes into the
 * engine's packet record: IPv4 over Ethernet only (hardware type 1,
 * protocol type 0x0800, address lengths 6 and 4), the only ARP a host
 * sweep uses. Other ARP (and RARP, InARP over other links) is left alone.
 *
 * The Wireshark glue knows from pinfo->layers that a frame carries ARP,
 * and hands the frame's bytes; finding the message after the link header
 * and reading it is plain byte arithmetic, done here so that it is unit
 * tested and fuzzed without Wireshark.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ARP_HEADER_H
#define NTT_ARP_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntt/packet.h"

#ifdef __cplusplus
extern "C" {
#endif

/* An IPv4-over-Ethernet ARP message: 8 fixed bytes, two MAC and two
 * IPv4 addresses. */
#define NTT_ARP_HEADER_LEN 28

/* Fills is_arp, arp_op, arp_sender_ip and arp_target_ip of record from
 * the len captured bytes at bytes, which start at the ARP message.
 * Returns false, and leaves record as it was, when fewer than
 * NTT_ARP_HEADER_LEN bytes were captured, the fixed part is not
 * IPv4 over Ethernet, or the opcode does not fit arp_op (above 255). */
bool ntt_arp_header_parse(const uint8_t *bytes, size_t len, ntt_packet_t *record);

/* Finds the ARP message in a link-layer frame of len captured bytes: the
 * offsets it has after an Ethernet header, one or two 802.1Q tags, a
 * Linux cooked (SLL) or SLL2 header, each with the ARP EtherType where
 * that link header keeps it, and the fixed IPv4-over-Ethernet pattern at
 * the offset; or offset 0 (a frame that starts with the message). Sets
 * *offset and returns true when found; the whole message fits in len. */
bool ntt_arp_header_find(const uint8_t *frame, size_t len, size_t *offset);

#ifdef __cplusplus
}
#endif

#endif /* NTT_ARP_HEADER_H */
