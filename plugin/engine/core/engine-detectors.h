/* engine-detectors.h
 * Which detector families an engine runs. ntt_engine_new() starts the
 * registry's (detect-registry.c) when config->detect.enabled; tests start
 * their own.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ENGINE_DETECTORS_H
#define NTT_ENGINE_DETECTORS_H

#include "ntt/engine.h"

#include "detect/detector.h"

/* Adds detector families to a new engine (before its first packet). */
void ntt_engine_use_detectors(ntt_engine_t *engine,
                              const ntt_detector_ops_t *const *ops,
                              unsigned count);

/* Adds every family of detect-registry.c. */
void ntt_engine_use_all_detectors(ntt_engine_t *engine);

#endif /* NTT_ENGINE_DETECTORS_H */
