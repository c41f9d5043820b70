/* TEMPORARY until the episode descriptors land (wt-desc): the old flat
 * fields, read from the typed detail. */
#ifndef NTT_EPISODE_COMPAT_TMP_H
#define NTT_EPISODE_COMPAT_TMP_H
#include "ntt/alert.h"
static inline int ntt_tmp_is_flood(const ntt_episode_t *ep)
{
    return ep->type == NTT_ALERT_SYNFLOOD || ep->type == NTT_ALERT_UDPFLOOD ||
           ep->type == NTT_ALERT_ICMPFLOOD || ep->type == NTT_ALERT_DDOS;
}
#define EP_PORTS(ep) ((ep)->type == NTT_ALERT_PORTSCAN ? (ep)->detail.portscan.ports : 0u)
#define EP_HOSTS(ep) ((ep)->type == NTT_ALERT_SWEEP ? (ep)->detail.sweep.hosts : 0u)
#define EP_SOURCES(ep) (ntt_tmp_is_flood(ep) ? (ep)->detail.flood.sources : 0u)
#define EP_HALF_OPEN(ep) (ntt_tmp_is_flood(ep) ? (ep)->detail.flood.half_open : 0u)
#define EP_PEAK(ep) (ntt_tmp_is_flood(ep) ? (ep)->detail.flood.peak_pps : 0.0)
#define EP_ATTEMPTS(ep) ((ep)->type == NTT_ALERT_PORTSCAN ? (ep)->detail.portscan.probes : \
                         (ep)->type == NTT_ALERT_SWEEP ? (ep)->detail.sweep.probes : \
                         (ep)->type == NTT_ALERT_BRUTEFORCE ? (ep)->detail.bruteforce.attempts : \
                         (ep)->type == NTT_ALERT_FLAGS ? (ep)->detail.flags.count : 0u)
#define EP_MISUSE(ep) ((ep)->type == NTT_ALERT_FLAGS ? (ep)->detail.flags.misuse : 0u)
#define EP_COUNTRY(ep) ((ep)->detail.geo.country)
#define EP_ENTRY(ep) ((ep)->type == NTT_ALERT_BLOCKLIST ? (ep)->detail.blocklist.entry : 0u)
#define EP_ENTRY_TEXT(ep) ((ep)->type == NTT_ALERT_BLOCKLIST ? (ep)->detail.blocklist.entry_text : NULL)
#define EP_BYTES(ep) ((ep)->type == NTT_ALERT_BLOCKLIST ? (ep)->detail.blocklist.bytes_received : 0u)
#define EP_URI(ep) ((ep)->type == NTT_ALERT_BLOCKLIST ? (ep)->detail.blocklist.uri : NULL)
#endif
