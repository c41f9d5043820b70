/* TEMPORARY until the episode descriptors land (wt-desc). */
#include "ntt/alert.h"
#define KEEP_MAX(f) do { if (from->f > into->f) into->f = from->f; } while (0)
void ntt_episode_detail_merge(ntt_alert_type_t type, ntt_episode_detail_t *into,
                              const ntt_episode_detail_t *from)
{
    switch (type) {
    case NTT_ALERT_PORTSCAN: KEEP_MAX(portscan.ports); KEEP_MAX(portscan.probes); break;
    case NTT_ALERT_SWEEP: KEEP_MAX(sweep.hosts); KEEP_MAX(sweep.probes); break;
    case NTT_ALERT_SYNFLOOD: case NTT_ALERT_UDPFLOOD: case NTT_ALERT_ICMPFLOOD: case NTT_ALERT_DDOS:
        KEEP_MAX(flood.sources); KEEP_MAX(flood.half_open); KEEP_MAX(flood.peak_pps); break;
    case NTT_ALERT_BRUTEFORCE: KEEP_MAX(bruteforce.attempts); break;
    case NTT_ALERT_FLAGS: KEEP_MAX(flags.count); break;
    case NTT_ALERT_BLOCKLIST:
        KEEP_MAX(blocklist.bytes_received);
        if (!into->blocklist.uri && from->blocklist.uri)
            into->blocklist.uri = from->blocklist.uri;
        break;
    default: break;
    }
}
