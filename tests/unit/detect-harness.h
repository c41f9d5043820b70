/* detect-harness.h
 * Runs packets through the engine's flow accounting and the flow layer's
 * events, then one detector (for the events it listens to, and the
 * packets of the flows it keeps a slot on), recording every mark: unit
 * tests of a detector read like the traffic and the verdicts they
 * describe.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_TEST_DETECT_HARNESS_H
#define NTT_TEST_DETECT_HARNESS_H

#include <glib.h>

#include "detect/detector.h"
#include "ntt/geo.h"

typedef struct detect_harness detect_harness_t;

/* One mark: the tracker, its packet count there, whether this packet
 * raised it, and what its episode was after this packet (identity and
 * detail as raised and updated; zero before the raise). */
typedef struct harness_mark {
    uint32_t      token;
    bool          raise;
    uint64_t      count;
    ntt_episode_t info;
} harness_mark_t;

/* One recorded mark and the frame it came with. */
typedef struct recorded_mark {
    uint32_t       frame;
    harness_mark_t mark;
} recorded_mark_t;

detect_harness_t *harness_new(const ntt_detector_ops_t *ops,
                              const ntt_detect_config_t *config);
/* The same with a GeoIP resolver, which the harness's engine takes over
 * (its flows carry answers) and the detector reads (config->geo). */
detect_harness_t *harness_new_geo(const ntt_detector_ops_t *ops,
                                  const ntt_detect_config_t *config, ntt_geo_t *geo);
void harness_free(detect_harness_t *h);

/* Flow accounting, then the detector. ARP records go to the detector's
 * arp entry point (when it has one); other non-IP records skip it. */
void harness_feed(detect_harness_t *h, const ntt_packet_t *packet);

/* Every mark so far, in order. */
/* Whether the family runs: its create gave a state (NULL: off under the
 * configuration). */
bool harness_family_on(const detect_harness_t *h);

const GArray *harness_marks(const detect_harness_t *h);   /* of recorded_mark_t */

/* Raise marks of a type (all types: NTT_EPISODE_TYPE_COUNT). */
unsigned harness_raise_count(const detect_harness_t *h, ntt_episode_type_t type);
/* The i-th raise of a type, or NULL; valid until the next harness_feed(). */
const recorded_mark_t *harness_raise(const detect_harness_t *h,
                                     ntt_episode_type_t type, unsigned i);
/* Frames carrying a mark of this token. */
unsigned harness_frames_of_token(const detect_harness_t *h, uint32_t token);
/* ntt_detect_evicted() calls of a type. */
unsigned harness_evictions(const detect_harness_t *h, ntt_episode_type_t type);

#endif
