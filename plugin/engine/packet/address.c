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
