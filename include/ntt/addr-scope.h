/* addr-scope.h
 * What kind of address this is, with no database at all: private,
 * loopback, link-local, multicast, documentation, reserved or global,
 * after IANA's special-purpose address registries (RFC 6890 and the
 * RFCs they cite).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ADDR_SCOPE_H
#define NTT_ADDR_SCOPE_H

#include <stdint.h>

#include "ntt/packet.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ntt_addr_scope {
    NTT_SCOPE_GLOBAL = 0,     /* everything not below: routable on the Internet */
    NTT_SCOPE_PRIVATE,        /* 10/8, 172.16/12, 192.168/16, 100.64/10 (CGN), fc00::/7 */
    NTT_SCOPE_LOOPBACK,       /* 127/8, ::1 */
    NTT_SCOPE_LINK_LOCAL,     /* 169.254/16, fe80::/10 */
    NTT_SCOPE_MULTICAST,      /* 224/4, ff00::/8 */
    NTT_SCOPE_DOCUMENTATION,  /* 192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32 */
    NTT_SCOPE_RESERVED,       /* 0/8, 240/4, broadcast, benchmarking 198.18/15, ::, ... */
    NTT_SCOPE_COUNT
} ntt_addr_scope_t;

ntt_addr_scope_t ntt_addr_scope(const ntt_addr_t *addr, uint8_t ip_version);

/* "global", "private", "loopback", "link-local", "multicast",
 * "documentation", "reserved". */
const char *ntt_addr_scope_name(ntt_addr_scope_t scope);

#ifdef __cplusplus
}
#endif

#endif /* NTT_ADDR_SCOPE_H */
