/* world-outline-none.c
 * No world outline: the HTML report leaves its map out. Replaced by the
 * outline generated at build time when its source data is present.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report/world-outline.h"

/* A zero-length array is not C11: one entry, never read (count is 0). */
const ntt_world_shape_t ntt_world_shapes[1] = { { "", "" } };
const unsigned ntt_world_shape_count = 0;
const char ntt_world_outline_source[] = "";
