/* alert.c
 * Names of alert types and misuses, as the fields and reports show them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/episode-compat-tmp.h"
#include "ntt/alert.h"

#include <inttypes.h>
#include <stdio.h>

const char *ntt_alert_type_name(ntt_alert_type_t type)
{
    static const char *const names[NTT_ALERT_TYPE_COUNT] = {
        [NTT_ALERT_PORTSCAN]   = "portscan",
        [NTT_ALERT_SWEEP]      = "sweep",
        [NTT_ALERT_SYNFLOOD]   = "synflood",
        [NTT_ALERT_UDPFLOOD]   = "udpflood",
        [NTT_ALERT_ICMPFLOOD]  = "icmpflood",
        [NTT_ALERT_DDOS]       = "ddos",
        [NTT_ALERT_BRUTEFORCE] = "bruteforce",
        [NTT_ALERT_FLAGS]      = "flags",
        [NTT_ALERT_BLOCKLIST]  = "blocklist",
        [NTT_ALERT_GEO]        = "geo",
    };

    return (unsigned)type < NTT_ALERT_TYPE_COUNT ? names[type] : "";
}

const char *ntt_misuse_name(ntt_misuse_t misuse)
{
    switch (misuse) {
    case NTT_MISUSE_SYN_FIN:   return "SYN+FIN";
    case NTT_MISUSE_SYN_RST:   return "SYN+RST";
    case NTT_MISUSE_NO_FLAGS:  return "no TCP flags";
    case NTT_MISUSE_ALL_FLAGS: return "all TCP flags";
    case NTT_MISUSE_BIG_ECHO:  return "oversized ICMP echo";
    case NTT_MISUSE_LAND:      return "LAND (to its own address and port)";
    case NTT_MISUSE_FIN_NO_ACK: return "FIN without ACK";
    case NTT_MISUSE_NONE:
    default:                   return "";
    }
}

bool ntt_episode_has_attacker(const ntt_episode_t *ep)
{
    return ep->has_src && ep->type != NTT_ALERT_BLOCKLIST;
}

char *ntt_episode_size_text(const ntt_episode_t *ep, char *buf, size_t size)
{
    switch ((ntt_alert_type_t)ep->type) {
    case NTT_ALERT_PORTSCAN:
        snprintf(buf, size, "%u ports", EP_PORTS(ep));
        break;
    case NTT_ALERT_SWEEP:
        snprintf(buf, size, "%u hosts", EP_HOSTS(ep));
        break;
    case NTT_ALERT_SYNFLOOD:
        snprintf(buf, size, "%u half-open, peak %.0f SYN/s", EP_HALF_OPEN(ep), EP_PEAK(ep));
        break;
    case NTT_ALERT_DDOS:
        snprintf(buf, size, "%u sources, peak %.0f packets/s",
                 EP_SOURCES(ep), EP_PEAK(ep));
        break;
    case NTT_ALERT_UDPFLOOD:
    case NTT_ALERT_ICMPFLOOD:
        snprintf(buf, size, "peak %.0f packets/s", EP_PEAK(ep));
        break;
    case NTT_ALERT_BRUTEFORCE:
        snprintf(buf, size, "%u connections", EP_ATTEMPTS(ep));
        break;
    case NTT_ALERT_FLAGS:
        snprintf(buf, size, "%s", ntt_misuse_name((ntt_misuse_t)EP_MISUSE(ep)));
        break;
    case NTT_ALERT_BLOCKLIST:
        snprintf(buf, size, "%" PRIu64 " bytes received", EP_BYTES(ep));
        break;
    case NTT_ALERT_GEO:
        snprintf(buf, size, "country %s", EP_COUNTRY(ep));
        break;
    default:
        snprintf(buf, size, "%s", "");
        break;
    }
    return buf;
}

char *ntt_episode_summary(const ntt_episode_t *ep, char *buf, size_t size)
{
    char addr[NTT_ADDR_STRLEN], who[64], whom[112], what[96];

    if (ep->has_src)
        snprintf(who, sizeof who, "%s", ntt_addr_format(&ep->src, ep->ip_version, addr));
    else
        snprintf(who, sizeof who, "%u sources", EP_SOURCES(ep));
    if (ep->type == NTT_ALERT_BLOCKLIST && EP_ENTRY_TEXT(ep) && ep->has_dst)
        snprintf(whom, sizeof whom, "%.40s (%s)", EP_ENTRY_TEXT(ep),
                 ntt_addr_format(&ep->dst, ep->ip_version, addr));
    else if (ep->type == NTT_ALERT_BLOCKLIST && EP_ENTRY_TEXT(ep))
        snprintf(whom, sizeof whom, "%.60s", EP_ENTRY_TEXT(ep));
    else if (ep->has_dst && ep->has_port)
        snprintf(whom, sizeof whom, ep->ip_version == 6 ? "[%s]:%u" : "%s:%u",
                 ntt_addr_format(&ep->dst, ep->ip_version, addr), ep->port);
    else if (ep->has_dst)
        snprintf(whom, sizeof whom, "%s", ntt_addr_format(&ep->dst, ep->ip_version, addr));
    else if (ep->has_port)
        snprintf(whom, sizeof whom, "%u hosts, port %u", EP_HOSTS(ep), ep->port);
    else
        snprintf(whom, sizeof whom, "%u hosts", EP_HOSTS(ep));
    snprintf(buf, size, "%s %s \xe2\x86\x92 %s: %s",
             ntt_alert_type_name((ntt_alert_type_t)ep->type), who, whom,
             ntt_episode_size_text(ep, what, sizeof what));
    return buf;
}
