/* ntt-time-prefs.h
 * The time-of-day preferences: ntt.timezone, ntt.work_hours,
 * ntt.work_days.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_TIME_PREFS_H
#define NTT_TIME_PREFS_H

#include <epan/prefs.h>

#include "ntt/detect-config.h"

void ntt_time_prefs_register(module_t *module);

/* Checks the values with the engine's parsers; a bad one is said and
 * replaced (the zone by UTC, the hours by none). */
void ntt_time_prefs_check(void);

/* The checked values into the detectors' configuration. */
void ntt_time_prefs_config(ntt_detect_config_t *config);

#endif /* NTT_TIME_PREFS_H */
