/* conn-size.h
 * What Zeek's conn.log counts of a flow beside packets: the payload bytes
 * each side sent (orig_bytes / resp_bytes) and the bytes of its IP
 * packets (orig_ip_bytes / resp_ip_bytes), and the time Zeek's duration
 * ends at.
 *
 * For TCP Zeek takes payload bytes from sequence numbers, not from the
 * segments it saw: the span from an endpoint's first sequence number to
 * the highest it sent or the peer acknowledged, less the SYN and FIN
 * octets. A retransmission adds nothing, a segment the capture missed but
 * the peer acknowledged counts. This is a compact version of that
 * bookkeeping (Zeek's TCP_Endpoint::Size() and the sequence updates of
 * TCPSessionAdapter::Process()), kept per live flow when the engine keeps
 * conn.log records (ntt_config_t.conn_records).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_CONN_SIZE_H
#define NTT_CONN_SIZE_H

#include <stdbool.h>
#include <stdint.h>

#include "ntt/flow.h"
#include "ntt/packet.h"

/* One TCP endpoint's sequence space, as Zeek keeps it. Full 64-bit
 * positions are (wraps << 32) | raw, so that connections past 4 GiB
 * count right. */
typedef struct ntt_seq_endpoint {
    uint32_t start;        /* the ISN (a SYN's sequence number), or one
                              before the first segment's when no SYN */
    uint32_t last;         /* one past the highest octet sent */
    uint32_t ack;          /* the highest the peer acknowledged */
    uint16_t last_wraps;
    uint16_t ack_wraps;
    bool     seen;         /* this endpoint sent a segment */
    bool     fin;          /* ... and a FIN among them */
    bool     reset;        /* ... and a RST: later numbers are not trusted */
} ntt_seq_endpoint_t;

typedef struct ntt_conn_size {
    ntt_seq_endpoint_t ep[2];   /* by ntt_dir_t */
} ntt_conn_size_t;

/* One TCP segment sent in direction dir (flags, seq and ack raw from the
 * header, payload_len its data). */
void ntt_conn_size_tcp(ntt_conn_size_t *size, ntt_dir_t dir, uint16_t flags,
                       uint32_t seq, uint32_t ack, uint32_t payload_len);

/* Zeek's payload size of one TCP endpoint so far. */
uint64_t ntt_conn_size_tcp_bytes(const ntt_conn_size_t *size, ntt_dir_t dir);

/* Counts one packet of a flow into its conn.log record: payload_bytes,
 * ip_bytes, open_last_ns. For TCP, both_closed says whether both ends
 * had sent a FIN or RST before this packet (Zeek's duration leaves out
 * what follows, the final ACK of a close). */
void ntt_conn_size_count(ntt_conn_size_t *size, ntt_conn_record_t *record,
                         const ntt_packet_t *packet, ntt_dir_t dir,
                         bool both_closed);

#endif /* NTT_CONN_SIZE_H */
