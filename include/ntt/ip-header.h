/* ip-header.h
 * Reads an IP header, and the transport header after it, straight from
 * packet bytes into the engine's packet record.
 *
 * The Wireshark glue finds where the packet's own IP header starts (the
 * innermost one that is not quoted in an ICMP error) and hands the bytes
 * from there; everything else is plain header arithmetic, done here so
 * that it is unit tested and fuzzed without Wireshark.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_IP_HEADER_H
#define NTT_IP_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntt/packet.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Enough bytes for an IPv4 header with options or an IPv6 header with a
 * usual chain of extension headers, plus the transport fields ntt reads.
 * Callers may pass fewer (what was captured) or more. */
#define NTT_IP_HEADER_WANT_BYTES 256

/* Fills the IP part of record from the len captured bytes at bytes:
 * ip_version, ttl, src, dst, ip_proto, ip_payload_len, ip_total_len, and
 * when the transport header is there (not a later fragment, captured far
 * enough) ports, TCP flags, sequence and acknowledgement numbers, ICMP type, code and echo identifier,
 * payload_len. IPv6 extension headers (hop-by-hop, routing, fragment,
 * destination options, AH) are skipped to reach the transport header.
 *
 * transport_offset (may be NULL) receives where the transport header
 * starts, counted from bytes, or 0 when there is none to read (a later
 * fragment, a bogus header length, an extension chain cut short).
 *
 * Returns false, and leaves ip_version 0, when the bytes do not hold a
 * whole fixed IPv4 (20 bytes) or IPv6 (40 bytes) header of that version;
 * the other fields of record are left as they were. */
bool ntt_ip_header_parse(const uint8_t *bytes, size_t len,
                         ntt_packet_t *record, size_t *transport_offset);

/* An ICMP error quotes the packet it reports, and Wireshark's view of the
 * packet's addresses ends on the quoted header. This finds the IP header
 * that carries the ICMP (or ICMPv6, version 6) message starting at
 * icmp_offset in bytes: the one, immediately before it, whose transport
 * header starts exactly there with protocol ICMP/ICMPv6. At least
 * icmp_offset + 8 bytes must be readable. Sets *start and returns true
 * when found. */
bool ntt_ip_header_find_icmp_carrier(const uint8_t *bytes, size_t icmp_offset,
                                     uint8_t version, size_t *start);

#ifdef __cplusplus
}
#endif

#endif /* NTT_IP_HEADER_H */
