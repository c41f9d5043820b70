/* world-outline.h
 * The world's outline for the HTML report's map, built at build time from
 * public data that Debian ships (as the open GeoIP database is); without
 * that data the table is empty and the report leaves the map out.
 *
 * Frame: equirectangular, in degrees: x = longitude + 180 (0 .. 360),
 * y = 90 - latitude (0 .. 180), so a point at (lon, lat) is drawn at
 * (lon + 180, 90 - lat) in a 360 x 180 view box.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_WORLD_OUTLINE_H
#define NTT_WORLD_OUTLINE_H

typedef struct ntt_world_shape {
    char        country[3];   /* ISO 3166-1 alpha-2, or "" for land that
                                 the source names no country for */
    const char *path;         /* SVG path data in the frame above */
} ntt_world_shape_t;

extern const ntt_world_shape_t ntt_world_shapes[];
/* 0: no outline was built; the map is left out. */
extern const unsigned ntt_world_shape_count;
/* One line naming the data, its version and licence ("" when none). */
extern const char ntt_world_outline_source[];

#endif /* NTT_WORLD_OUTLINE_H */
