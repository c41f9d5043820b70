/* service.c
 * The one table that names services by port. Kept sorted by port so a
 * lookup is a binary search; the table is small enough that this costs
 * a handful of comparisons, once per new flow.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/service.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "ntt/packet.h"

/* Names, indexed by ntt_service_t. Index 0 is "unknown". */
static const char *const service_names[] = {
    "",
    "ftp-data", "ftp", "ssh", "telnet", "smtp", "dns", "dhcp", "tftp",
    "http", "kerberos", "pop3", "ntp", "netbios", "imap", "snmp", "bgp",
    "ldap", "https", "smb", "isakmp", "smtps", "syslog", "submission",
    "ldaps", "rtsp", "ipp", "imaps", "pop3s", "openvpn", "mssql", "radius",
    "mqtt", "ssdp", "nfs", "mysql", "rdp", "sip", "postgresql", "vnc",
    "redis", "http-alt", "mdns", "llmnr", "dhcpv6", "memcached", "mongodb",
    "quic", "dns-over-tls", "telnets", "irc", "proxy", "rsync", "socks",
    "wireguard", "stun", "netflow", "squid",
};

/* Services people log in to with a password: a burst of short
 * connections to one of them is password guessing (the brute-force
 * detector's ports), and how the wire shows a refused login, where it
 * does (ntt_login_refusal_t). Mail services end every session with the
 * server's close after LOGOUT, so their shape says nothing; the others
 * have no refusal recorded yet. */
static const struct {
    const char         *name;
    ntt_login_refusal_t refusal;
} login_services[] = {
    { "ftp", NTT_REFUSAL_REPLY_530 }, { "ssh", NTT_REFUSAL_SHAPE },
    { "telnet", NTT_REFUSAL_UNSEEN }, { "pop3", NTT_REFUSAL_UNSEEN },
    { "imap", NTT_REFUSAL_UNSEEN }, { "ldap", NTT_REFUSAL_UNSEEN },
    { "smb", NTT_REFUSAL_UNSEEN }, { "smtps", NTT_REFUSAL_UNSEEN },
    { "submission", NTT_REFUSAL_UNSEEN }, { "ldaps", NTT_REFUSAL_UNSEEN },
    { "imaps", NTT_REFUSAL_UNSEEN }, { "pop3s", NTT_REFUSAL_UNSEEN },
    { "mssql", NTT_REFUSAL_UNSEEN }, { "mysql", NTT_REFUSAL_UNSEEN },
    { "rdp", NTT_REFUSAL_UNSEEN }, { "postgresql", NTT_REFUSAL_UNSEEN },
    { "vnc", NTT_REFUSAL_UNSEEN },
};

#define SERVICE_NAME_COUNT (sizeof service_names / sizeof service_names[0])

enum {
    SVC_TCP = 1,
    SVC_UDP = 2,
    SVC_BOTH = SVC_TCP | SVC_UDP,
};

typedef struct service_port {
    uint16_t port;
    uint8_t  transports;   /* SVC_TCP, SVC_UDP or both */
    uint8_t  service;      /* index into service_names */
} service_port_t;

/* Sorted by port, then transport (a port may name different services
 * over TCP and UDP, e.g. 443: https / quic). */
static const service_port_t service_ports[] = {
    {   20, SVC_TCP,  1 },  /* ftp-data */
    {   21, SVC_TCP,  2 },  /* ftp */
    {   22, SVC_TCP,  3 },  /* ssh */
    {   23, SVC_TCP,  4 },  /* telnet */
    {   25, SVC_TCP,  5 },  /* smtp */
    {   53, SVC_BOTH, 6 },  /* dns */
    {   67, SVC_UDP,  7 },  /* dhcp */
    {   68, SVC_UDP,  7 },  /* dhcp */
    {   69, SVC_UDP,  8 },  /* tftp */
    {   80, SVC_TCP,  9 },  /* http */
    {   88, SVC_BOTH, 10 }, /* kerberos */
    {  110, SVC_TCP, 11 },  /* pop3 */
    {  123, SVC_UDP, 12 },  /* ntp */
    {  137, SVC_UDP, 13 },  /* netbios */
    {  138, SVC_UDP, 13 },  /* netbios */
    {  139, SVC_TCP, 13 },  /* netbios */
    {  143, SVC_TCP, 14 },  /* imap */
    {  161, SVC_UDP, 15 },  /* snmp */
    {  162, SVC_UDP, 15 },  /* snmp */
    {  179, SVC_TCP, 16 },  /* bgp */
    {  389, SVC_BOTH, 17 }, /* ldap */
    {  443, SVC_TCP, 18 },  /* https */
    {  443, SVC_UDP, 47 },  /* quic */
    {  445, SVC_TCP, 19 },  /* smb */
    {  465, SVC_TCP, 21 },  /* smtps */
    {  500, SVC_UDP, 20 },  /* isakmp */
    {  514, SVC_UDP, 22 },  /* syslog */
    {  554, SVC_TCP, 25 },  /* rtsp */
    {  587, SVC_TCP, 23 },  /* submission */
    {  631, SVC_TCP, 26 },  /* ipp */
    {  636, SVC_TCP, 24 },  /* ldaps */
    {  853, SVC_BOTH, 48 }, /* dns-over-tls */
    {  873, SVC_TCP, 52 },  /* rsync */
    {  992, SVC_TCP, 49 },  /* telnets */
    {  993, SVC_TCP, 27 },  /* imaps */
    {  995, SVC_TCP, 28 },  /* pop3s */
    { 1080, SVC_TCP, 53 },  /* socks */
    { 1194, SVC_BOTH, 29 }, /* openvpn */
    { 1433, SVC_TCP, 30 },  /* mssql */
    { 1812, SVC_UDP, 31 },  /* radius */
    { 1813, SVC_UDP, 31 },  /* radius */
    { 1883, SVC_TCP, 32 },  /* mqtt */
    { 1900, SVC_UDP, 33 },  /* ssdp */
    { 2049, SVC_BOTH, 34 }, /* nfs */
    { 2055, SVC_UDP, 56 },  /* netflow */
    { 3128, SVC_TCP, 57 },  /* squid */
    { 3306, SVC_TCP, 35 },  /* mysql */
    { 3389, SVC_BOTH, 36 }, /* rdp */
    { 3478, SVC_UDP, 55 },  /* stun */
    { 4500, SVC_UDP, 20 },  /* isakmp (NAT traversal) */
    { 5060, SVC_BOTH, 37 }, /* sip */
    { 5061, SVC_TCP, 37 },  /* sip over tls */
    { 5353, SVC_UDP, 42 },  /* mdns */
    { 5355, SVC_UDP, 43 },  /* llmnr */
    { 5432, SVC_TCP, 38 },  /* postgresql */
    { 5900, SVC_TCP, 39 },  /* vnc */
    { 6379, SVC_TCP, 40 },  /* redis */
    { 6667, SVC_TCP, 50 },  /* irc */
    { 8000, SVC_TCP, 41 },  /* http-alt */
    { 8080, SVC_TCP, 41 },  /* http-alt */
    { 8443, SVC_TCP, 18 },  /* https */
    { 8888, SVC_TCP, 51 },  /* proxy */
    {  546, SVC_UDP, 44 },  /* dhcpv6 */
    {  547, SVC_UDP, 44 },  /* dhcpv6 */
    {11211, SVC_BOTH, 45 }, /* memcached */
    {27017, SVC_TCP, 46 },  /* mongodb */
    {51820, SVC_UDP, 54 },  /* wireguard */
};

#define N_SERVICE_PORTS (sizeof service_ports / sizeof service_ports[0])

/* The table above is written for reading; a sorted copy built on first use
 * serves the lookups, so entries can be grouped by topic without care for
 * order. */
static service_port_t sorted_ports[N_SERVICE_PORTS];
static bool sorted_ready;

static int compare_service_port(const void *a, const void *b)
{
    const service_port_t *pa = a, *pb = b;

    if (pa->port != pb->port)
        return pa->port < pb->port ? -1 : 1;
    return (int)pa->transports - (int)pb->transports;
}

static void sort_service_ports(void)
{
    for (size_t i = 0; i < N_SERVICE_PORTS; i++)
        sorted_ports[i] = service_ports[i];
    qsort(sorted_ports, N_SERVICE_PORTS, sizeof sorted_ports[0],
          compare_service_port);
    sorted_ready = true;
}

static ntt_service_t lookup_port(uint8_t transport, uint16_t port)
{
    size_t lo = 0, hi = N_SERVICE_PORTS;

    if (port == 0)
        return NTT_SERVICE_UNKNOWN;
    /* Find the first entry with this port, then scan its few siblings. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted_ports[mid].port < port)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < N_SERVICE_PORTS && sorted_ports[lo].port == port; lo++) {
        if (sorted_ports[lo].transports & transport)
            return sorted_ports[lo].service;
    }
    return NTT_SERVICE_UNKNOWN;
}

/* The table's transport bit of an IP protocol (0: none has ports). */
static uint8_t transport_of(uint8_t ip_proto)
{
    if (ip_proto == NTT_IPPROTO_TCP || ip_proto == NTT_IPPROTO_SCTP)
        return SVC_TCP;
    if (ip_proto == NTT_IPPROTO_UDP)
        return SVC_UDP;
    return 0;
}

bool ntt_service_port_known(uint8_t ip_proto, uint16_t port)
{
    uint8_t transport = transport_of(ip_proto);

    if (transport == 0)
        return false;
    if (!sorted_ready)
        sort_service_ports();
    return lookup_port(transport, port) != NTT_SERVICE_UNKNOWN;
}

ntt_service_t ntt_service_classify(uint8_t ip_proto, uint16_t orig_port,
                                   uint16_t resp_port)
{
    uint8_t transport = transport_of(ip_proto);
    ntt_service_t service;

    if (transport == 0)
        return NTT_SERVICE_UNKNOWN;
    if (!sorted_ready)
        sort_service_ports();
    service = lookup_port(transport, resp_port);
    if (service == NTT_SERVICE_UNKNOWN)
        service = lookup_port(transport, orig_port);
    return service;
}

const char *ntt_service_name(ntt_service_t service)
{
    if (service >= ntt_service_count())
        return "";
    return service_names[service];
}

/* Per service: 0 not a login service, else its ntt_login_refusal_t + 1;
 * built once from login_services, so a packet pays one array read. */
static const uint8_t *login_kinds(void)
{
    static uint8_t kind[SERVICE_NAME_COUNT];
    static bool ready;

    if (!ready) {
        for (size_t i = 0; i < sizeof login_services / sizeof login_services[0]; i++)
            for (size_t s = 1; s < SERVICE_NAME_COUNT; s++)
                if (strcmp(service_names[s], login_services[i].name) == 0)
                    kind[s] = (uint8_t)(login_services[i].refusal + 1);
        ready = true;
    }
    return kind;
}

bool ntt_service_is_login(ntt_service_t service)
{
    return service < SERVICE_NAME_COUNT && login_kinds()[service] != 0;
}

ntt_login_refusal_t ntt_service_login_refusal(ntt_service_t service)
{
    return ntt_service_is_login(service)
               ? (ntt_login_refusal_t)(login_kinds()[service] - 1) : NTT_REFUSAL_UNSEEN;
}

unsigned ntt_service_count(void)
{
    return (unsigned)(sizeof service_names / sizeof service_names[0]);
}
