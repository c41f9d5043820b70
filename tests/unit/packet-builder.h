/* packet-builder.h
 * Builds packet records for the engine tests, so a test reads like the
 * traffic it describes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_TEST_PACKET_BUILDER_H
#define NTT_TEST_PACKET_BUILDER_H

#include "ntt/packet.h"

/* Milliseconds into the test's capture. */
#define MS(x) ((int64_t)(x) * 1000000)

ntt_addr_t addr4(const char *text);
ntt_addr_t addr6(const char *text);

ntt_packet_t tcp4(uint32_t frame, int64_t ts_ns, const char *src,
                  uint16_t sport, const char *dst, uint16_t dport,
                  uint16_t flags, uint32_t seq, uint32_t payload);
ntt_packet_t udp4(uint32_t frame, int64_t ts_ns, const char *src,
                  uint16_t sport, const char *dst, uint16_t dport,
                  uint32_t payload);
ntt_packet_t icmp4(uint32_t frame, int64_t ts_ns, const char *src,
                   const char *dst, uint8_t type, uint8_t code, uint16_t id);
ntt_packet_t tcp6(uint32_t frame, int64_t ts_ns, const char *src,
                  uint16_t sport, const char *dst, uint16_t dport,
                  uint16_t flags, uint32_t seq, uint32_t payload);
ntt_packet_t non_ip(uint32_t frame, int64_t ts_ns, uint32_t len);
/* An ICMP error from src to dst quoting a packet quoted_src -> quoted_dst. */
ntt_packet_t icmp4_error(uint32_t frame, int64_t ts_ns, const char *src,
                         const char *dst, uint8_t type, uint8_t code,
                         uint8_t quoted_proto, const char *quoted_src,
                         uint16_t quoted_sport, const char *quoted_dst,
                         uint16_t quoted_dport);
ntt_packet_t udp6(uint32_t frame, int64_t ts_ns, const char *src,
                  uint16_t sport, const char *dst, uint16_t dport,
                  uint32_t payload);
ntt_packet_t icmp6(uint32_t frame, int64_t ts_ns, const char *src,
                   const char *dst, uint8_t type, uint8_t code, uint16_t id);

#endif
