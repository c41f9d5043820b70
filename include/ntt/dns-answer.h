/* dns-answer.h
 * Reads the addresses a DNS response gives (its A and AAAA answers)
 * straight from the message bytes into the engine's packet record.
 *
 * The Wireshark glue finds the DNS message (the UDP payload of a datagram
 * from port 53, or a TCP segment from port 53 after its two-byte length)
 * and hands its bytes; the rest is plain byte arithmetic, done here so
 * that it is unit tested and fuzzed without Wireshark, and read on every
 * response whether or not a blocklist asked for names.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_DNS_ANSWER_H
#define NTT_DNS_ANSWER_H

#include <stddef.h>
#include <stdint.h>

#include "ntt/packet.h"

#ifdef __cplusplus
extern "C" {
#endif

/* At most this many addresses of one response are read: a client tries
 * a handful of them in turn, and a response cannot make a host expected
 * in bulk. */
#define NTT_DNS_MAX_RESOLVED 16

/* Fills out with the addresses of the A (class IN, 4 bytes) and AAAA
 * (class IN, 16 bytes) records in the answer section of the DNS message
 * of len bytes at msg, in their order, at most max of them; returns how
 * many. A query (QR bit clear), an opcode other than QUERY, or a message
 * cut short gives what was read before the cut (0 for a query). Names
 * are skipped, never followed, so a compression loop costs nothing. */
unsigned ntt_dns_answers_read(const uint8_t *msg, size_t len,
                              ntt_resolved_t *out, unsigned max);

#ifdef __cplusplus
}
#endif

#endif /* NTT_DNS_ANSWER_H */
