/* blocklist.h
 * Known-bad destinations: a list of IPv4/IPv6 addresses, CIDR networks
 * and domain names, matched against a packet's addresses and the names
 * seen in DNS, HTTP and TLS.
 *
 * File format, one entry per line:
 *   192.0.2.7            an address (IPv4 or IPv6)
 *   198.51.100.0/24      a network (CIDR; host bits must be zero)
 *   2001:db8:bad::/48
 *   evil.example         a domain name, exactly (case does not matter,
 *                        a trailing dot is ignored)
 *   *.example.org        the names below example.org (not example.org itself)
 *   .example.org         example.org and every name below it
 *   # comment            whole-line or after an entry; blank lines skipped
 * A malformed line is reported with its line number and skipped; the rest
 * of the list still works.
 *
 * Matching costs O(1) for addresses and names on average: a hash lookup
 * per distinct prefix length in the list, and per label of the name.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_BLOCKLIST_H
#define NTT_BLOCKLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ntt/packet.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ntt_indicator {
    NTT_INDICATOR_IP = 0,     /* one address */
    NTT_INDICATOR_CIDR,       /* a network */
    NTT_INDICATOR_DOMAIN,     /* a name, exact or a suffix */
    NTT_INDICATOR_COUNT
} ntt_indicator_t;

/* "ip", "cidr", "domain" (the ntt.blocklist.indicator field). */
const char *ntt_indicator_name(ntt_indicator_t indicator);

typedef struct ntt_blocklist_entry {
    const char *text;         /* the entry as written, trimmed, no comment */
    uint32_t    line;         /* 1-based line number in the file */
    uint8_t     indicator;    /* ntt_indicator_t */
} ntt_blocklist_entry_t;

/* Entry ids: 1-based; 0 is "no match". */
#define NTT_BLOCKLIST_NO_MATCH 0u

typedef struct ntt_blocklist ntt_blocklist_t;

/* Called once per malformed line: "list.txt:12: '300.1.2.3' is not an
 * address, network or domain name". */
typedef void (*ntt_blocklist_problem_fn)(void *ctx, const char *message);

/* Parses text (need not be NUL-terminated). name is what messages call
 * the source (the file name). Never fails: an empty or wholly malformed
 * text gives an empty list. problem may be NULL. */
ntt_blocklist_t *ntt_blocklist_parse(const char *text, size_t len,
                                     const char *name,
                                     ntt_blocklist_problem_fn problem,
                                     void *ctx);

/* Reads and parses a file. NULL with *error set (g_free() it) when the
 * file cannot be read: "cannot read /x/list.txt: Permission denied". */
ntt_blocklist_t *ntt_blocklist_load(const char *path,
                                    ntt_blocklist_problem_fn problem,
                                    void *ctx, char **error);

void ntt_blocklist_free(ntt_blocklist_t *list);

/* Entries in the list (ids run from 1 to this). */
uint32_t ntt_blocklist_size(const ntt_blocklist_t *list);

/* The entry behind an id, or NULL. */
const ntt_blocklist_entry_t *ntt_blocklist_entry(const ntt_blocklist_t *list,
                                                 uint32_t id);

/* The most specific entry that covers the address (an exact address
 * before the longest network), or NTT_BLOCKLIST_NO_MATCH. */
uint32_t ntt_blocklist_match_addr(const ntt_blocklist_t *list,
                                  const ntt_addr_t *addr, uint8_t ip_version);

/* The most specific entry that covers the name (exact before the
 * longest suffix), or NTT_BLOCKLIST_NO_MATCH. len: bytes of name (it
 * need not be NUL-terminated); case does not matter, a trailing dot is
 * ignored. */
uint32_t ntt_blocklist_match_name(const ntt_blocklist_t *list,
                                  const char *name, size_t len);

#ifdef __cplusplus
}
#endif

#endif /* NTT_BLOCKLIST_H */
