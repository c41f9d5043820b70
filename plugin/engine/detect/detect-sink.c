/* detect-sink.c
 * The three calls a detector makes, dispatched to whoever listens: the
 * engine's episode book in the plugin, a recorder in the unit tests.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "detect/detector.h"

uint32_t ntt_detect_token(ntt_detect_sink_t *sink)
{
    if (++sink->next_token == 0)
        ++sink->next_token;     /* 0 means "no tracker" */
    return sink->next_token;
}

void ntt_detect_emit(ntt_detect_sink_t *sink, const ntt_detect_mark_t *mark)
{
    if (sink->emit)
        sink->emit(sink->ctx, mark);
}

void ntt_detect_evicted(ntt_detect_sink_t *sink, ntt_alert_type_t type)
{
    if (sink->evicted)
        sink->evicted(sink->ctx, type);
}
