/* detect-sink.c
 * The calls a detector makes, dispatched to whoever listens: the engine
 * (its episode book and the frame being built) in the plugin, a recorder
 * in the unit tests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "detect/detector.h"

#include <string.h>

void ntt_tracker_start(ntt_tracker_t *t, ntt_detect_sink_t *sink,
                       const ntt_packet_t *pkt)
{
    if (++sink->next_token == 0)
        ++sink->next_token;     /* 0 means "no tracker" */
    t->token = sink->next_token;
    t->raised = false;
    t->count = 0;
    t->first_frame = pkt->frame;
    t->start_ns = pkt->ts_ns;
}

void ntt_detect_mark(ntt_detect_sink_t *sink, ntt_tracker_t *t)
{
    t->count++;
    if (sink->mark)
        sink->mark(sink->ctx, t);
}

void ntt_detect_raise(ntt_detect_sink_t *sink, ntt_tracker_t *t,
                      const ntt_episode_t *info)
{
    t->raised = true;
    if (sink->raise)
        sink->raise(sink->ctx, t, info);
}

void ntt_detect_update(ntt_detect_sink_t *sink, const ntt_tracker_t *t,
                       const ntt_episode_detail_t *detail, const ntt_addr_t *dst)
{
    if (t->raised && sink->update)
        sink->update(sink->ctx, t, detail, dst);
}

void ntt_detect_evicted(ntt_detect_sink_t *sink, ntt_episode_type_t type)
{
    if (sink->evicted)
        sink->evicted(sink->ctx, type);
}

void ntt_episode_identity(ntt_episode_t *info, ntt_episode_type_t type,
                          uint8_t ip_version, const ntt_addr_t *src,
                          const ntt_addr_t *dst, const uint16_t *port)
{
    memset(info, 0, sizeof *info);
    info->type = (uint8_t)type;
    info->ip_version = ip_version;
    if (src) {
        info->has_src = true;
        info->src = *src;
    }
    if (dst) {
        info->has_dst = true;
        info->dst = *dst;
    }
    if (port) {
        info->has_port = true;
        info->port = *port;
    }
}
