/* detect-registry.c
 * The detector families every engine runs when detection is on, in the
 * order they see each packet.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

#include "core/engine-detectors.h"

static const ntt_detector_ops_t *const registry[] = {
    &ntt_detect_portscan_ops,
    &ntt_detect_sweep_ops,
    &ntt_detect_arp_sweep_ops,
    &ntt_detect_flood_ops,
    &ntt_detect_bruteforce_ops,
    &ntt_detect_flags_ops,
    &ntt_detect_blocklist_ops,
    &ntt_detect_geo_ops,
    &ntt_detect_surge_ops,
};

void ntt_engine_use_all_detectors(ntt_engine_t *engine)
{
    ntt_engine_use_detectors(engine, registry, G_N_ELEMENTS(registry));
}
