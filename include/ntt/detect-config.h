/* detect-config.h
 * Every threshold, window and limit of the detectors, with its default.
 * The glue exposes each as a Wireshark preference ntt.<name> (the field
 * name here); docs/detectors.md says why each default is what it is.
 *
 * Times are in nanoseconds of packet time; rates in packets a second.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_DETECT_CONFIG_H
#define NTT_DETECT_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ntt_detect_config {
    bool     enabled;                 /* detect_enabled: all detectors */
    uint32_t max_trackers;            /* per detector: tracked sources/targets */
    int64_t  reply_timeout_ns;        /* a probe unanswered this long failed */

    /* Vertical port scan: one source, one target host. */
    uint32_t portscan_ports;          /* distinct failed/unanswered ports */
    int64_t  portscan_window_ns;      /* sliding window for them */

    /* Host sweep: one source, many hosts (one port, or ping). Threshold
     * Random Walk on first-contact outcomes, a distinct-hosts backstop. */
    double   sweep_theta0;            /* P(success | benign) */
    double   sweep_theta1;            /* P(success | scanner) */
    double   sweep_alpha;             /* false positive bound */
    double   sweep_beta;              /* detection probability */
    uint32_t sweep_hosts;             /* backstop: distinct failed hosts */
    uint32_t sweep_burst;             /* unanswered first contacts into one
                                         /24 or /64 within the reply timeout
                                         (0: no burst rule) */
    int64_t  sweep_window_ns;

    /* SYN flood against one host:port (one source or spoofed many). */
    double   synflood_rate;           /* SYN/s over the window */
    uint32_t synflood_half_open;      /* SYNs not (yet) completed */
    double   synflood_completion;     /* completed/SYN at most this */
    int64_t  flood_window_ns;         /* rate window of every flood */

    /* UDP / ICMP floods toward one host. */
    double   udpflood_rate;
    double   udpflood_unanswered;     /* share of datagrams unanswered */
    double   icmpflood_rate;
    /* UDP / ICMP floods against each host's usual rate: raised only at
     * flood_baseline_factor times it as well as at the rates above (the
     * floor); the usual rate is an exponentially weighted moving average
     * of the per-window rate over flood_baseline_windows windows (its
     * weight a = 1/windows). Either 0: the floor alone. */
    uint32_t flood_baseline_factor;
    uint32_t flood_baseline_windows;

    /* Many sources to one host in a short window. */
    uint32_t ddos_sources;
    double   ddos_rate;               /* new flows a second toward the host */
    int64_t  ddos_window_ns;

    /* Many connections from one source to one auth service (the fast
     * horizon: every connection counts); failed logins of one source at
     * one auth service (the slow horizon: only what the wire shows was
     * refused counts, docs/detectors.md). */
    uint32_t bruteforce_attempts;
    int64_t  bruteforce_window_ns;
    uint32_t bruteforce_slow_attempts;
    int64_t  bruteforce_slow_window_ns;

    /* Protocol misuse. */
    uint32_t big_echo_bytes;          /* ICMP echo payload above this */
    int64_t  misuse_window_ns;        /* a source quiet this long: episode over */

    /* Known-bad destinations (owned by the engine; NULL: none). */
    const struct ntt_blocklist *blocklist;
    /* The GeoIP resolver, for the geography check (owned by the engine). */
    const struct ntt_geo       *geo;
    /* The engine's memory budget, which every tracker table counts its
     * bytes against (owned by the engine; NULL: no cap). */
    struct ntt_memcap          *memcap;

    /* Unusual geography: ISO 3166 codes, comma or space separated
     * ("CN, RU"); empty strings switch the check off. Traffic with a
     * watched country, or with any country outside a non-empty allowed
     * set, raises a geo episode per external address. */
    char     geo_watch_countries[256];
    char     geo_allow_countries[256];

    /* Time of day (ntt/time-of-day.h): the zone and the working hours and
     * days as written; the engine parses them once (time_of_day, owned by
     * the engine). No working hours: empty work_hours. */
    char     time_zone[64];
    char     work_hours[32];
    char     work_days[64];
    const struct ntt_time_of_day *time_of_day;

    /* Surges (detect-surge.c): a host sending or receiving at
     * surge_factor times its usual rate, and at least surge_rate, for
     * surge_sustain. Its usual rate is the moving average of its rate in
     * whole surge_window windows over surge_baseline_windows of them, and
     * is judged only once surge_learn_windows windows have been learnt.
     * Runs only when working hours are set. */
    uint32_t surge_factor;
    double   surge_rate;              /* packets a second, the floor */
    int64_t  surge_window_ns;
    uint32_t surge_baseline_windows;
    uint32_t surge_learn_windows;
    int64_t  surge_sustain_ns;
} ntt_detect_config_t;

/* The defaults (documented in docs/detectors.md). */
void ntt_detect_config_init(ntt_detect_config_t *config);

#ifdef __cplusplus
}
#endif

#endif /* NTT_DETECT_CONFIG_H */
