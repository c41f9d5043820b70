/* service.h
 * Port-based service classification, from one table.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_SERVICE_H
#define NTT_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* 0 means "unknown"; other values index the service table. */
typedef uint8_t ntt_service_t;
#define NTT_SERVICE_UNKNOWN 0

/* Classifies a flow by its ports. The responder's port decides when it is
 * known; otherwise the originator's (a reply seen without its request). */
ntt_service_t ntt_service_classify(uint8_t ip_proto, uint16_t orig_port,
                                   uint16_t resp_port);

/* True when the service table names this port of this transport (TCP,
 * SCTP or UDP): a port servers listen on (Zeek's likely_server_ports). */
bool ntt_service_port_known(uint8_t ip_proto, uint16_t port);

/* "http", "dns", ...; "" for NTT_SERVICE_UNKNOWN. */
const char *ntt_service_name(ntt_service_t service);

/* True for services people log in to with a password (ssh, ftp, imap,
 * rdp ...), whose bursts of short connections the brute-force detector
 * counts. */
bool ntt_service_is_login(ntt_service_t service);

/* How the wire shows that a login service refused a login. */
typedef enum ntt_login_refusal {
    /* It does not: the replies are encrypted and the server ends every
     * session itself (imap, pop3, TLS-wrapped mail ...), or the shape of
     * a refusal has not been recorded (rdp, databases ...). */
    NTT_REFUSAL_UNSEEN = 0,
    /* By the connection's shape when it closes: established, the
     * server's key exchange sent, short and small (ssh: a session that
     * got in carries a shell's or a command's output, or stays open). */
    NTT_REFUSAL_SHAPE,
    /* By a readable reply code: FTP's "530 " (not logged in), one per
     * refused password. */
    NTT_REFUSAL_REPLY_530,
} ntt_login_refusal_t;

ntt_login_refusal_t ntt_service_login_refusal(ntt_service_t service);

/* Number of entries in the table, unknown included (for report arrays). */
unsigned ntt_service_count(void);

#ifdef __cplusplus
}
#endif

#endif /* NTT_SERVICE_H */
