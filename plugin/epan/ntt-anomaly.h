/* ntt-anomaly.h
 * The anomaly model in Wireshark: its preferences, the baseline model
 * file, the ntt.flow.anomaly field (docs/analytics.md).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_ANOMALY_GLUE_H
#define NTT_ANOMALY_GLUE_H

#include <epan/packet.h>
#include <epan/prefs.h>

#include "ntt/engine.h"

/* Registers ntt.flow.anomaly and the ntt.anomaly_* preferences. */
void ntt_anomaly_register(int proto, module_t *module);

/* Out-of-range sizes and thresholds: a clear message, the default kept. */
void ntt_anomaly_check_prefs(void);

/* The preferences into config, and the baseline model the preference
 * names, read again for every file; a model that cannot be read is
 * reported once and ntt scores self-trained instead. */
void ntt_anomaly_engine_config(ntt_anomaly_config_t *config);

/* Once the whole file has been read: the flow's score under flow_tree
 * (training and scoring every flow the first time it is asked). */
void ntt_anomaly_add_tree(proto_tree *flow_tree, tvbuff_t *tvb, ntt_engine_t *engine,
                          uint32_t flow_id);

#endif /* NTT_ANOMALY_GLUE_H */
