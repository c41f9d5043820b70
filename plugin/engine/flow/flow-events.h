/* flow-events.h
 * What a packet means, decided once by the flow layer and handed to the
 * detectors that listen (Zeek's model: the core raises
 * connection_attempt / connection_rejected / connection_established, the
 * scan scripts only subscribe and count). A detector never looks at raw
 * TCP flags or ICMP types to learn what this layer already knows.
 *
 * A packet raises any number of events, as bits of one mask; each
 * detector family says which bits it wants (ntt_detector_ops_t.events)
 * and is called once per packet that raises one of them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_FLOW_EVENTS_H
#define NTT_FLOW_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "ntt/episode.h"
#include "ntt/flow.h"
#include "ntt/packet.h"

typedef enum ntt_flow_event_bit {
    /* The packet opened its flow, in either direction (a capture may
     * begin with the answer). */
    NTT_EV_OPENED      = 1u << 0,
    /* The originator's first packet: a connection attempt, of the kind
     * ev->opener says. */
    NTT_EV_ATTEMPT     = 1u << 1,
    /* A bare SYN from the originator, the first or a retransmission. */
    NTT_EV_SYN         = 1u << 2,
    /* The responder's first packet answers the attempt: a SYN-ACK, a
     * datagram back, an echo or query reply, any SCTP chunk; to a bare
     * ACK, any segment but a RST. Also from the originator: its
     * handshake ACK after a SYN whose SYN-ACK the capture lacks (the
     * reply went by a path not captured). */
    NTT_EV_ANSWERED    = 1u << 3,
    /* The responder's first packet refuses it: a RST. (To a bare ACK a
     * RST is also how a live host answers: the port is not open, the
     * host is there; ev->opener tells.) */
    NTT_EV_REJECTED    = 1u << 4,
    /* An ICMP/ICMPv6 error reports a packet it quotes (pkt->quoted_*: the
     * quoted flow's addresses, protocol and, when quoted_has_ports, ports)
     * as refused by or for its target: host, protocol or port
     * unreachable, or filtered (ntt_icmp_error_is_about_target). */
    NTT_EV_UNREACHABLE = 1u << 5,
    /* The originator's handshake ACK: its second packet, an ACK without
     * SYN. */
    NTT_EV_ESTABLISHED = 1u << 6,
    /* The TCP connection is over with this packet (both FINs or a RST). */
    NTT_EV_CLOSED      = 1u << 7,
    /* A UDP datagram, any one. */
    NTT_EV_DATAGRAM    = 1u << 8,
    /* An ICMP request: ICMP other than an echo reply or an error; ICMPv6
     * echo requests only (neighbour discovery is not asked of a victim). */
    NTT_EV_ICMP_REQUEST = 1u << 9,
    /* An ICMP or ICMPv6 echo request (an ICMP request too). */
    NTT_EV_ECHO_REQUEST = 1u << 10,
    /* An ICMP or ICMPv6 echo reply. */
    NTT_EV_ICMP_REPLY  = 1u << 16,
    /* An ICMP/ICMPv6 error says a packet it quotes did not reach its
     * target's network or expired on the way (no route, time exceeded,
     * fragmentation needed ...): nothing about the target itself, so
     * the probe neither failed nor succeeded. */
    NTT_EV_UNDELIVERED = 1u << 17,
    /* Traffic no stack sends: impossible TCP flags or LAND (ev->misuse). */
    NTT_EV_MISUSE      = 1u << 11,
    /* Application names or an HTTP request URI (pkt->names, http_uri),
     * read only while a blocklist wants them. */
    NTT_EV_NAMES       = 1u << 12,
    /* The flow opened with a reply whose request the capture lacks, by
     * the port rule of ntt_packet_is_answer() (a datagram or a TCP
     * segment without SYN from a server's port to a client's): the
     * receiver, the flow's originator, did not ask in this capture, so
     * to it this is traffic it did not ask for, as an attempt is to its
     * target (reflected floods are made of these). */
    NTT_EV_UNASKED     = 1u << 19,
    /* A DNS response told its receiver (pkt->dst) the addresses of a
     * name: pkt->resolved, its A and AAAA answers (ntt/dns-answer.h). */
    NTT_EV_RESOLVED    = 1u << 18,
    /* Every IP packet, whatever else it raises: for detectors that
     * measure a host's volume (surges). */
    NTT_EV_PACKET      = 1u << 20,
    /* The packet's flow has carried two packets each way, this one
     * included: both its ends are live hosts in a conversation. A
     * spoofed address never answers, and a probe draws one reply at
     * most (a SYN-ACK, a RST, an echo reply), so neither is one. */
    NTT_EV_TWO_WAY     = 1u << 21,
    /* ARP (not IP: no flow, ev->flow and ev->summary are NULL). */
    NTT_EV_ARP_REQUEST = 1u << 13,
    NTT_EV_ARP_REPLY   = 1u << 14,
    /* A packet of a flow on which the listening detector keeps its slot:
     * set per detector, so that a detector follows the flows it chose
     * and is not called for the others. */
    NTT_EV_SLOTTED     = 1u << 15,
} ntt_flow_event_bit_t;

/* How an attempt opened its flow. */
typedef enum ntt_opener {
    NTT_OPENER_NONE = 0,
    NTT_OPENER_SYN,        /* a bare SYN */
    NTT_OPENER_TCP_OTHER,  /* any other TCP segment (NULL, FIN, Xmas
                              probes; data midstream; a cut header) */
    NTT_OPENER_DATAGRAM,   /* UDP */
    NTT_OPENER_ECHO,       /* ICMP/ICMPv6 echo request */
    NTT_OPENER_OTHER,      /* other ICMP, other protocols */
    NTT_OPENER_ACK,        /* a bare ACK without data: an ACK ping or
                              probe (nmap -PA, -sA), or a connection the
                              capture caught between segments */
    NTT_OPENER_ICMP_QUERY, /* ICMP timestamp, information or address
                              mask request */
    NTT_OPENER_SCTP,       /* SCTP (an association opens with INIT) */
} ntt_opener_t;

typedef struct ntt_flow_event {
    uint32_t                  what;     /* NTT_EV_* bits */
    uint8_t                   opener;   /* ntt_opener_t: how the flow's
                                           originator opened it (set on
                                           every packet of a flow whose
                                           attempt was seen) */
    uint8_t                   misuse;   /* ntt_misuse_t, with NTT_EV_MISUSE */
    const ntt_packet_t       *pkt;
    const ntt_flow_result_t  *flow;     /* NULL for ARP */
    const ntt_flow_summary_t *summary;  /* the flow's record; NULL for ARP */
    void                    **slots;    /* the live flow's detector slots;
                                           NULL for ARP */
} ntt_flow_event_t;

/* The events of an IP packet, after flow accounting: flow is its result
 * (counts include it), summary its flow, was_finished whether the TCP
 * connection was over before it. ev->opener comes in as the flow's
 * (NTT_OPENER_NONE for a new flow); fills what, opener, misuse. */
void ntt_flow_events_classify(ntt_flow_event_t *ev, bool was_finished,
                              bool now_finished);

/* The events of an ARP record. */
void ntt_flow_events_classify_arp(ntt_flow_event_t *ev);

/* A bare SYN (SYN without ACK): the opening of a TCP attempt. */
bool ntt_packet_is_bare_syn(const ntt_packet_t *p);

/* A packet only a responder sends: a SYN-ACK, an echo reply; or, as a
 * flow's first packet, a reply whose request the capture missed: a UDP
 * datagram or a TCP segment without SYN from a port servers listen on to
 * an unprivileged port they do not (Zeek's likely_server_ports rule). The
 * sender of a flow's first packet is its originator unless it is one of
 * these. */
bool ntt_packet_is_answer(const ntt_packet_t *p);

/* The flow's slot of a detector (ntt_detect_env_t.slot): NULL until the
 * detector puts its per-flow data there; the engine hands it back to the
 * detector's slot_free when the live flow ends. */
static inline void **ntt_flow_event_slot(const ntt_flow_event_t *ev, unsigned slot)
{
    return &ev->slots[slot];
}

#endif /* NTT_FLOW_EVENTS_H */
