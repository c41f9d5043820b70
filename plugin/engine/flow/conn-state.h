/* conn-state.h
 * Connection state of a flow in Zeek's vocabulary, tracked per endpoint.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_CONN_STATE_H
#define NTT_CONN_STATE_H

#include <stdbool.h>
#include <stdint.h>

#include "ntt/flow.h"

/* What one TCP endpoint has done, as Zeek's TCP analyzer names it. */
typedef enum ntt_tcp_endpoint {
    NTT_EP_INACTIVE = 0,   /* nothing sent yet */
    NTT_EP_SYN_SENT,       /* sent a SYN */
    NTT_EP_SYN_ACK_SENT,   /* sent a SYN-ACK */
    NTT_EP_PARTIAL,        /* sent data or ACKs without a handshake seen */
    NTT_EP_ESTABLISHED,
    NTT_EP_CLOSED,         /* sent a FIN */
    NTT_EP_RESET,          /* sent a RST */
} ntt_tcp_endpoint_t;

typedef struct ntt_tcp_tracker {
    uint8_t endpoint[2];       /* ntt_tcp_endpoint_t, by ntt_dir_t */
    bool    sent_payload[2];   /* any payload byte from that side */
    bool    orig_began_with_syn;
    bool    orig_acked_or_fin; /* originator sent ACK or FIN before a RST */
} ntt_tcp_tracker_t;

/* Updates the tracker with one TCP segment sent in direction dir. */
void ntt_tcp_track(ntt_tcp_tracker_t *tracker, ntt_dir_t dir,
                   uint16_t flags, uint32_t payload_len);

/* The state Zeek's conn.log would print for the tracker now. */
ntt_conn_state_t ntt_tcp_conn_state(const ntt_tcp_tracker_t *tracker);

/* True once the connection is over (closed both ways, or reset), so that
 * a new SYN on the same ports opens a new flow. */
bool ntt_tcp_finished(const ntt_tcp_tracker_t *tracker);

/* True once both ends have sent a FIN or a RST (Zeek's did_close on
 * both): Zeek's conn.log duration stops there. */
bool ntt_tcp_both_closed(const ntt_tcp_tracker_t *tracker);

/* Connectionless protocols: S0 when only the originator spoke, SF when
 * both did (SHR and OTH cannot happen: the originator is the first
 * sender). */
ntt_conn_state_t ntt_datagram_conn_state(uint32_t orig_pkts,
                                         uint32_t resp_pkts);

#endif /* NTT_CONN_STATE_H */
