/* addr-scope.c
 * What kind of address an address is, from two small tables that follow
 * IANA's IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890 and
 * the RFCs they cite) and, for IPv6, IANA's IPv6 Address Space registry.
 * No database, no state: a linear walk over a few dozen prefixes, the
 * most specific first, so the first match is the answer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/addr-scope.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ntt/packet.h"

typedef struct scope_prefix {
    uint8_t bytes[16];   /* the network, in network byte order */
    uint8_t length;      /* prefix length in bits */
    uint8_t scope;       /* ntt_addr_scope_t */
} scope_prefix_t;

#define V4(a, b, c, d) { (a), (b), (c), (d) }

/* IPv4. First match wins, so exceptions come before the ranges that
 * hold them.
 *
 *   prefix               scope          why
 *   192.0.0.9/32         global         PCP anycast (RFC 7723): IANA: globally reachable
 *   192.0.0.10/32        global         TURN anycast (RFC 8155): globally reachable
 *   255.255.255.255/32   reserved       limited broadcast (RFC 919); inside 240/4 anyway
 *   0.0.0.0/8            reserved       "this network" (RFC 791); 0.0.0.0 too
 *   10.0.0.0/8           private        RFC 1918
 *   100.64.0.0/10        private        shared address space, carrier-grade NAT (RFC 6598)
 *   127.0.0.0/8          loopback       RFC 1122
 *   169.254.0.0/16       link-local     RFC 3927
 *   172.16.0.0/12        private        RFC 1918
 *   192.0.0.0/24         reserved       IETF protocol assignments (RFC 6890): DS-Lite,
 *                                       NAT64 discovery... not globally reachable
 *   192.0.2.0/24         documentation  TEST-NET-1 (RFC 5737)
 *   192.88.99.0/24       reserved       deprecated 6to4 relay anycast (RFC 7526)
 *   192.168.0.0/16       private        RFC 1918
 *   198.18.0.0/15        reserved       benchmarking (RFC 2544): not on the Internet
 *   198.51.100.0/24      documentation  TEST-NET-2 (RFC 5737)
 *   203.0.113.0/24       documentation  TEST-NET-3 (RFC 5737)
 *   224.0.0.0/4          multicast      RFC 5771
 *   240.0.0.0/4          reserved       future use (RFC 1112)
 *   everything else      global         (AS112 192.31.196/24, 192.175.48/24 and
 *                                       AMT 192.52.193/24 are globally reachable)
 */
static const scope_prefix_t ipv4_prefixes[] = {
    { V4(192, 0, 0, 9),       32, NTT_SCOPE_GLOBAL },
    { V4(192, 0, 0, 10),      32, NTT_SCOPE_GLOBAL },
    { V4(255, 255, 255, 255), 32, NTT_SCOPE_RESERVED },
    { V4(0, 0, 0, 0),          8, NTT_SCOPE_RESERVED },
    { V4(10, 0, 0, 0),         8, NTT_SCOPE_PRIVATE },
    { V4(100, 64, 0, 0),      10, NTT_SCOPE_PRIVATE },
    { V4(127, 0, 0, 0),        8, NTT_SCOPE_LOOPBACK },
    { V4(169, 254, 0, 0),     16, NTT_SCOPE_LINK_LOCAL },
    { V4(172, 16, 0, 0),      12, NTT_SCOPE_PRIVATE },
    { V4(192, 0, 0, 0),       24, NTT_SCOPE_RESERVED },
    { V4(192, 0, 2, 0),       24, NTT_SCOPE_DOCUMENTATION },
    { V4(192, 88, 99, 0),     24, NTT_SCOPE_RESERVED },
    { V4(192, 168, 0, 0),     16, NTT_SCOPE_PRIVATE },
    { V4(198, 18, 0, 0),      15, NTT_SCOPE_RESERVED },
    { V4(198, 51, 100, 0),    24, NTT_SCOPE_DOCUMENTATION },
    { V4(203, 0, 113, 0),     24, NTT_SCOPE_DOCUMENTATION },
    { V4(224, 0, 0, 0),        4, NTT_SCOPE_MULTICAST },
    { V4(240, 0, 0, 0),        4, NTT_SCOPE_RESERVED },
};

/* IPv6. First match wins. ::ffff:0:0/96 is not in the table: an
 * IPv4-mapped address is what its IPv4 address is.
 *
 *   prefix               scope          why
 *   ::/128               reserved       unspecified (RFC 4291)
 *   ::1/128              loopback       RFC 4291
 *   64:ff9b::/96         global         well-known NAT64 prefix (RFC 6052): it carries
 *                                       public IPv4 addresses, globally reachable
 *   64:ff9b:1::/48       private        local-use NAT64 (RFC 8215): not globally reachable
 *   100::/64             reserved       discard-only (RFC 6666)
 *   2001:1::1/128        global         port control protocol anycast (RFC 7723)
 *   2001:1::2/128        global         TURN anycast (RFC 8155)
 *   2001:1::3/128        global         DNS-SD SRP anycast (RFC 9665)
 *   2001:3::/32          global         AMT (RFC 7450)
 *   2001:4:112::/48      global         AS112-v6 (RFC 7535)
 *   2001:20::/28         global         ORCHIDv2 (RFC 7343)
 *   2001:30::/28         global         drone remote ID tags (RFC 9374)
 *   2001::/23            reserved       IETF protocol assignments (RFC 2928): Teredo
 *                                       2001::/32, benchmarking 2001:2::/48, ...
 *   2001:db8::/32        documentation  RFC 3849
 *   2002::/16            global         6to4 (RFC 3056): routable, whatever it embeds
 *   3fff::/20            documentation  RFC 9637
 *   5f00::/16            reserved       SRv6 SIDs (RFC 9602): not globally reachable
 *   2000::/3             global         the global unicast space (RFC 4291)
 *   fc00::/7             private        unique local (RFC 4193)
 *   fe80::/10            link-local     RFC 4291
 *   ff00::/8             multicast      RFC 4291
 *   everything else      reserved       IANA's IPv6 address space: "Reserved by IETF"
 *                                       (::/8 minus the above -- IPv4-compatible ::/96,
 *                                       IPv4-translated ::ffff:0:0:0/96 --, 100::/8 but
 *                                       100::/64, 4000::/3 ... fe00::/9, the deprecated
 *                                       site-local fec0::/10); none is routed today
 */
static const scope_prefix_t ipv6_prefixes[] = {
    { { 0 },                                              128, NTT_SCOPE_RESERVED },
    { { [15] = 1 },                                       128, NTT_SCOPE_LOOPBACK },
    { { 0x00, 0x64, 0xff, 0x9b },                          96, NTT_SCOPE_GLOBAL },
    { { 0x00, 0x64, 0xff, 0x9b, 0x00, 0x01 },              48, NTT_SCOPE_PRIVATE },
    { { 0x01, 0x00 },                                      64, NTT_SCOPE_RESERVED },
    { { 0x20, 0x01, 0x00, 0x01, [15] = 1 },               128, NTT_SCOPE_GLOBAL },
    { { 0x20, 0x01, 0x00, 0x01, [15] = 2 },               128, NTT_SCOPE_GLOBAL },
    { { 0x20, 0x01, 0x00, 0x01, [15] = 3 },               128, NTT_SCOPE_GLOBAL },
    { { 0x20, 0x01, 0x00, 0x03 },                          32, NTT_SCOPE_GLOBAL },
    { { 0x20, 0x01, 0x00, 0x04, 0x01, 0x12 },              48, NTT_SCOPE_GLOBAL },
    { { 0x20, 0x01, 0x00, 0x20 },                          28, NTT_SCOPE_GLOBAL },
    { { 0x20, 0x01, 0x00, 0x30 },                          28, NTT_SCOPE_GLOBAL },
    { { 0x20, 0x01 },                                      23, NTT_SCOPE_RESERVED },
    { { 0x20, 0x01, 0x0d, 0xb8 },                          32, NTT_SCOPE_DOCUMENTATION },
    { { 0x20, 0x02 },                                      16, NTT_SCOPE_GLOBAL },
    { { 0x3f, 0xff },                                      20, NTT_SCOPE_DOCUMENTATION },
    { { 0x5f, 0x00 },                                      16, NTT_SCOPE_RESERVED },
    { { 0x20 },                                             3, NTT_SCOPE_GLOBAL },
    { { 0xfc },                                             7, NTT_SCOPE_PRIVATE },
    { { 0xfe, 0x80 },                                      10, NTT_SCOPE_LINK_LOCAL },
    { { 0xff },                                             8, NTT_SCOPE_MULTICAST },
};

static const uint8_t ipv4_mapped_prefix[12] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static const char *const scope_names[NTT_SCOPE_COUNT] = {
    [NTT_SCOPE_GLOBAL]        = "global",
    [NTT_SCOPE_PRIVATE]       = "private",
    [NTT_SCOPE_LOOPBACK]      = "loopback",
    [NTT_SCOPE_LINK_LOCAL]    = "link-local",
    [NTT_SCOPE_MULTICAST]     = "multicast",
    [NTT_SCOPE_DOCUMENTATION] = "documentation",
    [NTT_SCOPE_RESERVED]      = "reserved",
};

static bool prefix_matches(const uint8_t *address, const scope_prefix_t *prefix)
{
    unsigned whole = prefix->length / 8u;
    unsigned rest = prefix->length % 8u;

    if (memcmp(address, prefix->bytes, whole) != 0)
        return false;
    if (rest == 0)
        return true;
    uint8_t mask = (uint8_t)(0xffu << (8u - rest));
    return (address[whole] & mask) == (prefix->bytes[whole] & mask);
}

static ntt_addr_scope_t first_match(const uint8_t *address,
                                    const scope_prefix_t *table, size_t count,
                                    ntt_addr_scope_t otherwise)
{
    for (size_t i = 0; i < count; i++) {
        if (prefix_matches(address, &table[i]))
            return (ntt_addr_scope_t)table[i].scope;
    }
    return otherwise;
}

ntt_addr_scope_t ntt_addr_scope(const ntt_addr_t *addr, uint8_t ip_version)
{
    if (addr == NULL)
        return NTT_SCOPE_RESERVED;
    if (ip_version == 4)
        return first_match(addr->bytes, ipv4_prefixes,
                           sizeof ipv4_prefixes / sizeof ipv4_prefixes[0],
                           NTT_SCOPE_GLOBAL);
    if (ip_version == 6) {
        if (memcmp(addr->bytes, ipv4_mapped_prefix, sizeof ipv4_mapped_prefix) == 0)
            return first_match(addr->bytes + 12, ipv4_prefixes,
                               sizeof ipv4_prefixes / sizeof ipv4_prefixes[0],
                               NTT_SCOPE_GLOBAL);
        return first_match(addr->bytes, ipv6_prefixes,
                           sizeof ipv6_prefixes / sizeof ipv6_prefixes[0],
                           NTT_SCOPE_RESERVED);
    }
    /* Not an IP address at all: nothing on the Internet. */
    return NTT_SCOPE_RESERVED;
}

const char *ntt_addr_scope_name(ntt_addr_scope_t scope)
{
    if ((unsigned)scope >= NTT_SCOPE_COUNT)
        return "unknown";
    return scope_names[scope];
}
