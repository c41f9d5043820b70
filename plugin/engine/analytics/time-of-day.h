/* time-of-day.h
 * The engine's time of day: the configured zone and working hours, parsed
 * once when the engine is made (ntt/time-of-day.h says what is accepted),
 * and a clock that turns packet timestamps into local hours and weekdays.
 *
 * The zone is GLib's (GTimeZone, the system's tz database): UTC unless
 * ntt.timezone names another, never the machine's local zone. A clock
 * caches the zone's offset and its answer for the UTC minute it last
 * converted, so a packet costs two comparisons unless it starts a new
 * minute; zone changes (DST) fall on whole minutes of UTC in every zone
 * since 1970.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_TIME_OF_DAY_H
#define NTT_TIME_OF_DAY_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "ntt/time-of-day.h"

typedef struct ntt_time_of_day {
    GTimeZone       *tz;
    char             zone[64];      /* its name as configured, "UTC" */
    ntt_work_hours_t work;
    char             work_text[64]; /* "08:00-18:00 Mon-Fri", "" without */
} ntt_time_of_day_t;

/* The engine's, for the report (valid while the engine lives). */
struct ntt_engine;
const ntt_time_of_day_t *ntt_engine_time_of_day(const struct ntt_engine *engine);

/* An invalid zone gives UTC, invalid hours none (the glue has said so). */
void ntt_time_of_day_init(ntt_time_of_day_t *tod, const char *zone, const char *hours,
                          const char *days);
void ntt_time_of_day_clear(ntt_time_of_day_t *tod);

typedef struct ntt_local_time {
    unsigned hour;            /* 0-23 */
    unsigned minute_of_day;   /* 0-1439 */
    unsigned weekday;         /* 0 Monday .. 6 Sunday */
    int32_t  offset_s;        /* local - UTC */
} ntt_local_time_t;

typedef struct ntt_local_clock {
    const ntt_time_of_day_t *tod;
    bool     cached;
    int64_t  minute;          /* the UTC minute of the cached offset */
    int32_t  offset_s;
    /* The last answer, for every packet of its UTC minute [from_ns,
     * to_ns) (empty when the offset is not whole minutes: then the local
     * minute changes within it). */
    int64_t  from_ns, to_ns;
    ntt_local_time_t last;
} ntt_local_clock_t;

void ntt_local_clock_init(ntt_local_clock_t *clock, const ntt_time_of_day_t *tod);

void ntt_local_time(ntt_local_clock_t *clock, int64_t ts_ns, ntt_local_time_t *out);

/* Outside working hours; false when none are set. */
bool ntt_local_off_hours(ntt_local_clock_t *clock, int64_t ts_ns);

#endif /* NTT_TIME_OF_DAY_H */
