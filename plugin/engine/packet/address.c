/* address.c
 * Small helpers on the packet record: ICMP kinds, address text.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/packet.h"

#include <arpa/inet.h>
#include <string.h>

bool ntt_icmp_is_echo(uint8_t ip_proto, uint8_t icmp_type)
{
    return ntt_icmp_is_echo_request(ip_proto, icmp_type) ||
           ntt_icmp_is_echo_reply(ip_proto, icmp_type);
}

bool ntt_icmp_is_echo_request(uint8_t ip_proto, uint8_t icmp_type)
{
    return (ip_proto == NTT_IPPROTO_ICMP && icmp_type == 8) ||
           (ip_proto == NTT_IPPROTO_ICMPV6 && icmp_type == 128);
}

bool ntt_icmp_is_echo_reply(uint8_t ip_proto, uint8_t icmp_type)
{
    return (ip_proto == NTT_IPPROTO_ICMP && icmp_type == 0) ||
           (ip_proto == NTT_IPPROTO_ICMPV6 && icmp_type == 129);
}

bool ntt_icmp_error_is_about_target(uint8_t ip_proto, uint8_t icmp_type, uint8_t icmp_code)
{
    if (ip_proto == NTT_IPPROTO_ICMP && icmp_type == 3) {
        /* RFC 792 / 1812: host (1), protocol (2), port (3), host unknown
         * (7), host prohibited (10), host for TOS (12), communication
         * prohibited (13). Not: network (0, 6, 9, 11), fragmentation
         * needed (4), source route (5), isolated (8), precedence (14, 15). */
        switch (icmp_code) {
        case 1: case 2: case 3: case 7: case 10: case 12: case 13:
            return true;
        default:
            return false;
        }
    }
    if (ip_proto == NTT_IPPROTO_ICMPV6 && icmp_type == 1) {
        /* RFC 4443: prohibited (1), address (3), port (4). Not: no route
         * (0), beyond scope (2), source policy (5), reject route (6). */
        return icmp_code == 1 || icmp_code == 3 || icmp_code == 4;
    }
    return false;
}

bool ntt_icmp_is_query_request(uint8_t ip_proto, uint8_t icmp_type)
{
    return ip_proto == NTT_IPPROTO_ICMP &&
           (icmp_type == 13 || icmp_type == 15 || icmp_type == 17);
}

bool ntt_icmp_is_query_reply(uint8_t ip_proto, uint8_t icmp_type)
{
    return ip_proto == NTT_IPPROTO_ICMP &&
           (icmp_type == 14 || icmp_type == 16 || icmp_type == 18);
}

bool ntt_icmp_is_error(uint8_t ip_proto, uint8_t icmp_type)
{
    if (ip_proto == NTT_IPPROTO_ICMP)
        return icmp_type == 3 || icmp_type == 4 || icmp_type == 5 ||
               icmp_type == 11 || icmp_type == 12;
    if (ip_proto == NTT_IPPROTO_ICMPV6)
        return icmp_type >= 1 && icmp_type <= 4;
    return false;
}

char *ntt_addr_format(const ntt_addr_t *addr, uint8_t ip_version, char *buf)
{
    int family = ip_version == 6 ? AF_INET6 : AF_INET;

    if (ip_version != 4 && ip_version != 6) {
        strcpy(buf, "-");
        return buf;
    }
    if (inet_ntop(family, addr->bytes, buf, NTT_ADDR_STRLEN) == NULL)
        strcpy(buf, "?");
    return buf;
}
