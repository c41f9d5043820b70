/* conn-state.c
 * A compact version of the endpoint state machine in Zeek's TCP analyzer
 * and of the conn_state() mapping in Zeek's base/protocols/conn scripts,
 * so that ntt.flow.state means what analysts already read in conn.log.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "flow/conn-state.h"

#include "ntt/packet.h"

static const char *const state_names[NTT_STATE_COUNT] = {
    [NTT_STATE_NONE]   = "",
    [NTT_STATE_S0]     = "S0",
    [NTT_STATE_S1]     = "S1",
    [NTT_STATE_SF]     = "SF",
    [NTT_STATE_REJ]    = "REJ",
    [NTT_STATE_S2]     = "S2",
    [NTT_STATE_S3]     = "S3",
    [NTT_STATE_RSTO]   = "RSTO",
    [NTT_STATE_RSTR]   = "RSTR",
    [NTT_STATE_RSTOS0] = "RSTOS0",
    [NTT_STATE_RSTRH]  = "RSTRH",
    [NTT_STATE_SH]     = "SH",
    [NTT_STATE_SHR]    = "SHR",
    [NTT_STATE_OTH]    = "OTH",
};

const char *ntt_conn_state_name(ntt_conn_state_t state)
{
    if ((unsigned)state >= NTT_STATE_COUNT)
        return "";
    return state_names[state];
}

void ntt_tcp_track(ntt_tcp_tracker_t *tracker, ntt_dir_t dir,
                   uint16_t flags, uint32_t payload_len)
{
    uint8_t *self = &tracker->endpoint[dir];
    uint8_t *peer = &tracker->endpoint[!dir];
    bool syn = flags & NTT_TCP_SYN;
    bool ack = flags & NTT_TCP_ACK;

    if (payload_len > 0)
        tracker->sent_payload[dir] = true;

    if (dir == NTT_DIR_ORIG) {
        if (*self == NTT_EP_INACTIVE && syn && !ack)
            tracker->orig_began_with_syn = true;
        /* Zeek's RSTOS0 needs a history of "S ... R" with no originator
         * ACK, FIN or SYN-ACK in between. */
        if (!(flags & NTT_TCP_RST) && (ack || (flags & NTT_TCP_FIN)))
            tracker->orig_acked_or_fin = true;
    }

    /* A reset endpoint stays reset; a new SYN opens a new flow instead. */
    if (*self == NTT_EP_RESET)
        return;
    if (flags & NTT_TCP_RST) {
        *self = NTT_EP_RESET;
        return;
    }

    if (syn) {
        if (!ack) {
            if (*self == NTT_EP_INACTIVE)
                *self = NTT_EP_SYN_SENT;
        } else {
            if (*self == NTT_EP_INACTIVE)
                *self = NTT_EP_SYN_ACK_SENT;
            /* Zeek calls the connection established at the responder's
             * SYN-ACK (its connection_established event). */
            if (*self == NTT_EP_SYN_ACK_SENT && *peer == NTT_EP_SYN_SENT) {
                *self = NTT_EP_ESTABLISHED;
                *peer = NTT_EP_ESTABLISHED;
            }
        }
    } else if (ack || payload_len > 0) {
        if (*self == NTT_EP_INACTIVE)
            *self = NTT_EP_PARTIAL;
        else if (*self == NTT_EP_SYN_SENT && *peer == NTT_EP_SYN_ACK_SENT) {
            /* SYN-ACK seen before its SYN was: the handshake completes
             * with this ACK. */
            *self = NTT_EP_ESTABLISHED;
            *peer = NTT_EP_ESTABLISHED;
        }
    }

    /* After the SYN handling, so that SYN+FIN leaves a closed endpoint
     * that never saw a reply: Zeek's SH. */
    if (flags & NTT_TCP_FIN)
        *self = NTT_EP_CLOSED;
}

static bool endpoint_inactive(uint8_t ep)
{
    return ep == NTT_EP_INACTIVE || ep == NTT_EP_PARTIAL;
}

ntt_conn_state_t ntt_tcp_conn_state(const ntt_tcp_tracker_t *tracker)
{
    uint8_t os = tracker->endpoint[NTT_DIR_ORIG];
    uint8_t rs = tracker->endpoint[NTT_DIR_RESP];

    if (rs == NTT_EP_RESET) {
        if (os == NTT_EP_SYN_SENT || os == NTT_EP_SYN_ACK_SENT ||
            (os == NTT_EP_RESET && !tracker->sent_payload[NTT_DIR_ORIG] &&
             !tracker->sent_payload[NTT_DIR_RESP]))
            return NTT_STATE_REJ;
        return endpoint_inactive(os) ? NTT_STATE_RSTRH : NTT_STATE_RSTR;
    }
    if (os == NTT_EP_RESET) {
        if (endpoint_inactive(rs)) {
            if (tracker->orig_began_with_syn && !tracker->orig_acked_or_fin)
                return NTT_STATE_RSTOS0;
            return NTT_STATE_OTH;
        }
        return NTT_STATE_RSTO;
    }
    if (rs == NTT_EP_CLOSED && os == NTT_EP_CLOSED)
        return NTT_STATE_SF;
    if (os == NTT_EP_CLOSED)
        return endpoint_inactive(rs) ? NTT_STATE_SH : NTT_STATE_S2;
    if (rs == NTT_EP_CLOSED)
        return endpoint_inactive(os) ? NTT_STATE_SHR : NTT_STATE_S3;
    if (os == NTT_EP_SYN_SENT && rs == NTT_EP_INACTIVE)
        return NTT_STATE_S0;
    if (os == NTT_EP_ESTABLISHED && rs == NTT_EP_ESTABLISHED)
        return NTT_STATE_S1;
    return NTT_STATE_OTH;
}

bool ntt_tcp_finished(const ntt_tcp_tracker_t *tracker)
{
    uint8_t os = tracker->endpoint[NTT_DIR_ORIG];
    uint8_t rs = tracker->endpoint[NTT_DIR_RESP];

    return os == NTT_EP_RESET || rs == NTT_EP_RESET ||
           (os == NTT_EP_CLOSED && rs == NTT_EP_CLOSED);
}

static bool endpoint_closed(uint8_t ep)
{
    return ep == NTT_EP_CLOSED || ep == NTT_EP_RESET;
}

bool ntt_tcp_both_closed(const ntt_tcp_tracker_t *tracker)
{
    return endpoint_closed(tracker->endpoint[NTT_DIR_ORIG]) &&
           endpoint_closed(tracker->endpoint[NTT_DIR_RESP]);
}

ntt_conn_state_t ntt_datagram_conn_state(uint32_t orig_pkts,
                                         uint32_t resp_pkts)
{
    if (orig_pkts > 0)
        return resp_pkts > 0 ? NTT_STATE_SF : NTT_STATE_S0;
    return resp_pkts > 0 ? NTT_STATE_SHR : NTT_STATE_OTH;
}
