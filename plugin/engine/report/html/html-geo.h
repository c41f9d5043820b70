/* html-geo.h
 * The HTML report's Geography section: its countries and autonomous
 * systems as bars and tables, and the world map: country outlines (world-outline.h),
 * shaded by each country's share of the capture's packets (the Geography
 * table's figures), and the placed endpoints of -z ntt,geojson as points
 * (sources of alerts drawn as squares). Nothing is written without
 * outlines or without countries.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_HTML_GEO_H
#define NTT_HTML_GEO_H

#include <glib.h>

#include "report/html/json-tree.h"
#include "report/world-outline.h"

/* The share classes, lightest first: a country's packets over the
 * capture's are below 1 %, below 10 %, below 50 %, or 50 % and more. */
#define NTT_MAP_CLASSES 4
unsigned ntt_map_share_class(double share);    /* 1 .. NTT_MAP_CLASSES */

/* report: the JSON report; geojson: the GeoJSON export (or NULL).
 * Returns whether a map was written. */
gboolean ntt_html_map(GString *out, const ntt_world_shape_t *shapes, unsigned n_shapes,
                      const char *source, const ntt_jv_t *report, const ntt_jv_t *geojson);

#endif /* NTT_HTML_GEO_H */
