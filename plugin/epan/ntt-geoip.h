/* ntt-geoip.h
 * GeoIP in Wireshark: the database preferences and their discovery, the
 * ntt.geo.* fields, and the unusual-geography preferences.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_GEOIP_H
#define NTT_GEOIP_H

#include <epan/packet.h>
#include <epan/prefs.h>

#include "ntt/engine.h"

/* Registers the ntt.geo.* fields and the GeoIP preferences. */
void ntt_geoip_register(int proto, module_t *module);

/* Refuses malformed country lists (a clear message, the list ignored). */
void ntt_geoip_check_prefs(void);

/* A resolver with the databases the preferences name or, when they name
 * none, the ones found where Wireshark and ntt install them; NULL when
 * GeoIP is switched off or nothing could be opened. A database that
 * cannot be opened is reported once (not again for the next file). */
ntt_geo_t *ntt_geoip_open(void);

/* The watched and allowed countries, into the detector configuration. */
void ntt_geoip_detect_config(ntt_detect_config_t *config);

/* Adds the packet's ntt.geo.src.* / ntt.geo.dst.* items under tree. */
void ntt_geoip_add_tree(proto_tree *tree, tvbuff_t *tvb,
                        const ntt_engine_t *engine, const ntt_frame_t *frame);

#endif /* NTT_GEOIP_H */
