/* flow.h
 * What the engine knows about a flow and what it returns for a packet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_FLOW_H
#define NTT_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "ntt/packet.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Connection states in Zeek's conn.log vocabulary (see docs/fields.md for
 * how ntt applies them to UDP, ICMP and other protocols). */
typedef enum ntt_conn_state {
    NTT_STATE_NONE = 0,  /* no state yet */
    NTT_STATE_S0,        /* attempt seen, no reply */
    NTT_STATE_S1,        /* established, not terminated */
    NTT_STATE_SF,        /* normal establishment and termination */
    NTT_STATE_REJ,       /* attempt rejected */
    NTT_STATE_S2,        /* established, originator closed, no reply */
    NTT_STATE_S3,        /* established, responder closed, no reply */
    NTT_STATE_RSTO,      /* established, originator aborted */
    NTT_STATE_RSTR,      /* responder aborted */
    NTT_STATE_RSTOS0,    /* originator SYN then RST, no SYN-ACK */
    NTT_STATE_RSTRH,     /* responder SYN-ACK then RST, no SYN seen */
    NTT_STATE_SH,        /* originator SYN then FIN, no SYN-ACK */
    NTT_STATE_SHR,       /* responder SYN-ACK then FIN, no SYN seen */
    NTT_STATE_OTH,       /* no SYN seen: midstream traffic */
    NTT_STATE_COUNT
} ntt_conn_state_t;

/* "S0", "SF" ...; "" for NTT_STATE_NONE. */
const char *ntt_conn_state_name(ntt_conn_state_t state);

/* Direction of a packet within its flow. */
typedef enum ntt_dir {
    NTT_DIR_ORIG = 0,    /* originator -> responder */
    NTT_DIR_RESP = 1,    /* responder -> originator */
} ntt_dir_t;

/* The record of one flow, kept for the whole file (one per flow id) so
 * that later passes can show final totals. */
typedef struct ntt_flow_summary {
    ntt_addr_t orig_addr;
    ntt_addr_t resp_addr;
    uint16_t   orig_port;        /* ICMP echo: the identifier */
    uint16_t   resp_port;
    uint8_t    ip_version;
    uint8_t    ip_proto;
    uint8_t    state;            /* ntt_conn_state_t, latest known */
    uint8_t    service;          /* ntt_service_t */
    int64_t    first_ns;
    int64_t    last_ns;
    uint32_t   pkts[2];          /* indexed by ntt_dir_t */
    uint64_t   bytes[2];
    uint32_t   geo[2];           /* ntt_geo_lookup() answers of the
                                    originator and the responder */
} ntt_flow_summary_t;

/* What Zeek's conn.log counts of a flow beyond its summary (see
 * flow/conn-size.h), kept only when ntt_config_t.conn_records asks for it
 * (-z ntt,conn does): payload bytes (TCP: by sequence numbers, as Zeek
 * reckons them), IP bytes (the IP headers' total lengths), the last
 * packet before both TCP ends had closed (where Zeek's duration ends),
 * and the ICMP type and code of the flow's first packet. */
typedef struct ntt_conn_record {
    uint64_t payload_bytes[2];   /* indexed by ntt_dir_t */
    uint64_t ip_bytes[2];
    int64_t  open_last_ns;
    uint8_t  icmp_type;
    uint8_t  icmp_code;
} ntt_conn_record_t;

/* The engine's answer for one packet. */
typedef struct ntt_flow_result {
    uint32_t flow_id;            /* 0-based, in order of first packet */
    uint8_t  dir;                /* ntt_dir_t */
    uint8_t  state;              /* ntt_conn_state_t as known at this packet */
    uint8_t  service;            /* ntt_service_t */
    bool     new_flow;           /* this packet opened the flow */
    uint32_t pkts[2];            /* so far, this packet included */
    uint64_t bytes[2];
    int64_t  duration_ns;        /* since the flow's first packet */
    int64_t  iat_ns;             /* since the flow's previous packet */
} ntt_flow_result_t;

static inline uint64_t ntt_flow_result_pkts(const ntt_flow_result_t *r)
{
    return (uint64_t)r->pkts[0] + r->pkts[1];
}

static inline uint64_t ntt_flow_result_bytes(const ntt_flow_result_t *r)
{
    return r->bytes[0] + r->bytes[1];
}

#ifdef __cplusplus
}
#endif

#endif /* NTT_FLOW_H */
