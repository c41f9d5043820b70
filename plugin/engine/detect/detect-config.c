/* detect-config.c
 * The detectors' defaults. docs/detectors.md explains each one.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/detect-config.h"

#include <string.h>

#define SECONDS(x) ((int64_t)(x) * 1000000000)

void ntt_detect_config_init(ntt_detect_config_t *c)
{
    memset(c, 0, sizeof *c);
    c->enabled = true;
    c->max_trackers = 100000;
    c->reply_timeout_ns = SECONDS(1);

    c->portscan_ports = 7;
    c->portscan_window_ns = SECONDS(60);

    /* Jung et al. 2004: four or five failed first contacts decide. */
    c->sweep_theta0 = 0.8;
    c->sweep_theta1 = 0.2;
    c->sweep_alpha = 0.01;
    c->sweep_beta = 0.99;
    c->sweep_hosts = 20;
    /* As many silent first contacts as the walk needs failures (4): a
     * fast sweep is raised by its 5th host even when one of them is up. */
    c->sweep_burst = 4;
    c->sweep_window_ns = SECONDS(60);

    c->synflood_rate = 100.0;
    c->synflood_half_open = 100;
    c->synflood_completion = 0.2;
    c->flood_window_ns = SECONDS(1);

    c->udpflood_rate = 200.0;
    c->udpflood_unanswered = 0.8;
    c->icmpflood_rate = 200.0;
    /* A flood is an order of magnitude over the host's usual rate; the
     * usual rate is that of the last minute (60 windows of 1 s). */
    c->flood_baseline_factor = 10;
    c->flood_baseline_windows = 60;

    c->ddos_sources = 100;
    c->ddos_rate = 100.0;
    c->ddos_window_ns = SECONDS(10);

    c->bruteforce_attempts = 20;
    c->bruteforce_window_ns = SECONDS(60);
    /* Zeek's 30 failed logins in 30 minutes, counted in refused SSH
     * connections (sshd allows 6 passwords each; hydra and ncrack use
     * 3-6) or in FTP's 530 replies (one a password): 10 in 30 minutes. */
    c->bruteforce_slow_attempts = 10;
    c->bruteforce_slow_window_ns = SECONDS(1800);

    c->big_echo_bytes = 1472;
    c->misuse_window_ns = SECONDS(60);

    /* UTC unless told: never the machine's zone. Office hours on
     * weekdays once working hours are given. */
    strcpy(c->time_zone, "UTC");
    strcpy(c->work_days, "Mon-Fri");

    /* A surge is an order of magnitude over what the host did in the last
     * ten minutes (60 windows of 10 s; judged once it has a minute of
     * history), held for half a minute, and at least 50 packets/s so
     * that a quiet host waking up is not one. */
    c->surge_factor = 10;
    c->surge_rate = 50.0;
    c->surge_window_ns = SECONDS(10);
    c->surge_baseline_windows = 60;
    c->surge_learn_windows = 6;
    c->surge_sustain_ns = SECONDS(30);
}
