/* time-of-day.h
 * The time of day ntt reasons in: a configured time zone (ntt.timezone,
 * an IANA name such as Europe/Berlin; UTC by default, never the machine's
 * own zone, so every machine gives the same answer for the same capture)
 * and the working hours and days (ntt.work_hours, ntt.work_days). The
 * engine parses them; the glue asks the same parsers whether a preference
 * is valid, to say what is wrong with it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef NTT_TIME_OF_DAY_PUBLIC_H
#define NTT_TIME_OF_DAY_PUBLIC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Working hours: from start_min to end_min (minutes after local midnight,
 * end exclusive) on the days in days. A range whose end is not after its
 * start ("22:00-06:00") runs past midnight: its morning part belongs to
 * the day the shift began. */
typedef struct ntt_work_hours {
    bool     set;          /* false: no working hours (ntt.work_hours empty) */
    uint16_t start_min;
    uint16_t end_min;
    uint8_t  days;         /* bit d set: weekday d works, 0 Monday .. 6 Sunday */
} ntt_work_hours_t;

/* hours "HH:MM-HH:MM" (24:00 allowed as an end; "" or NULL: no working
 * hours), days "Mon-Fri", "Mon,Wed,Fri", "Sat-Sun", "Fri-Mon" (three-
 * letter English names, any case, ranges may wrap the week; "" or NULL:
 * every day). false with a message in error (a sentence naming the bad
 * part) and *out unset (no working hours) on a bad value. */
bool ntt_work_hours_parse(ntt_work_hours_t *out, const char *hours, const char *days,
                          char *error, size_t error_size);

/* Whether local weekday (0 Monday) and minute of the day are working time;
 * always false without working hours. */
bool ntt_work_hours_contains(const ntt_work_hours_t *wh, unsigned weekday,
                             unsigned minute_of_day);

/* Whether zone names a time zone this machine knows ("" and "UTC" always
 * do); false with a message in error otherwise. */
bool ntt_time_zone_valid(const char *zone, char *error, size_t error_size);

#ifdef __cplusplus
}
#endif

#endif /* NTT_TIME_OF_DAY_PUBLIC_H */
