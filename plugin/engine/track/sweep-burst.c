/* sweep-burst.c
 * See sweep-burst.h.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "track/sweep-burst.h"

#include <string.h>

/* The /24 or /64 a host is in. */
static ntt_addr_t network_of(const ntt_addr_t *host, uint8_t ip_version)
{
    ntt_addr_t net;

    memset(&net, 0, sizeof net);
    memcpy(net.bytes, host->bytes, ip_version == 6 ? 8 : 3);
    return net;
}

void ntt_sweep_burst_contact(ntt_sweep_burst_t *b, const ntt_addr_t *host,
                             uint8_t ip_version, int64_t now_ns, int64_t window_ns)
{
    ntt_addr_t net = network_of(host, ip_version);

    if (b->contacts == 0 || memcmp(&net, &b->net, sizeof net) != 0 ||
        now_ns - b->start_ns > window_ns) {
        b->net = net;
        b->start_ns = now_ns;
        b->contacts = 0;
        b->answered = 0;
    }
    b->contacts++;
}

void ntt_sweep_burst_answer(ntt_sweep_burst_t *b, const ntt_addr_t *host,
                            uint8_t ip_version)
{
    ntt_addr_t net = network_of(host, ip_version);

    if (b->contacts && memcmp(&net, &b->net, sizeof net) == 0)
        b->answered++;
}

bool ntt_sweep_burst_full(const ntt_sweep_burst_t *b, uint32_t need)
{
    return need && b->contacts - b->answered >= need;
}
