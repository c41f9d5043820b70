/* ntt-alerts.h
 * The detectors' fields, expert items and preferences.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ALERTS_H
#define NTT_ALERTS_H

#include <stdbool.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>

#include "ntt/engine.h"

/* Registers the ntt.alert.* fields, the expert fields and the detector
 * preferences under ntt's protocol, module and expert module. */
void ntt_alerts_register(int proto, module_t *module, expert_module_t *expert);

/* Refuses nonsensical detector preferences (a clear message, the default
 * kept); call from the module's apply callback. */
void ntt_alerts_check_prefs(void);

/* The detector configuration the preferences ask for. */
void ntt_alerts_config(ntt_detect_config_t *config);

/* True when something must be said at this frame whoever looks: an
 * episode detected here, or a full tracker table. */
bool ntt_alerts_detected_here(const ntt_engine_t *engine, const ntt_frame_t *frame,
                              uint32_t frame_number);

/* Adds the frame's episodes under tree (the ntt subtree); expert items at
 * detection frames, and tracker-table notes, hang on ntt_item.
 * whole_file: a later pass, every packet of an episode is shown. */
void ntt_alerts_add(proto_tree *tree, tvbuff_t *tvb, packet_info *pinfo,
                    proto_item *ntt_item, const ntt_engine_t *engine,
                    const ntt_frame_t *frame, bool whole_file);

#endif /* NTT_ALERTS_H */
