/* time-of-day.c
 * Packet time to local time in the configured zone (analytics/time-of-day.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "analytics/time-of-day.h"

#include <stdio.h>
#include <string.h>

/* The zone of name, or NULL; "" and "UTC" are UTC itself. */
static GTimeZone *zone_of(const char *name)
{
    if (!name || !*name || strcmp(name, "UTC") == 0)
        return g_time_zone_new_utc();
    return g_time_zone_new_identifier(name);
}

bool ntt_time_zone_valid(const char *zone, char *error, size_t error_size)
{
    GTimeZone *tz = zone_of(zone);

    if (tz) {
        g_time_zone_unref(tz);
        return true;
    }
    if (error && error_size)
        snprintf(error, error_size, "time zone '%s' is not known (an IANA name such as "
                 "Europe/Berlin or America/New_York, or UTC)", zone);
    return false;
}

static void days_text(uint8_t days, char *out, size_t size)
{
    static const char *const names[7] = { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun" };
    GString *s = g_string_new(NULL);

    for (int d = 0; d < 7; d++) {
        if (days & (1u << d))
            g_string_append_printf(s, "%s%s", s->len ? "," : "", names[d]);
    }
    g_strlcpy(out, s->str, size);
    g_string_free(s, TRUE);
}

void ntt_time_of_day_init(ntt_time_of_day_t *tod, const char *zone, const char *hours,
                          const char *days)
{
    memset(tod, 0, sizeof *tod);
    tod->tz = zone_of(zone);
    if (tod->tz)
        g_strlcpy(tod->zone, zone && *zone ? zone : "UTC", sizeof tod->zone);
    else {
        tod->tz = g_time_zone_new_utc();
        g_strlcpy(tod->zone, "UTC", sizeof tod->zone);
    }
    if (ntt_work_hours_parse(&tod->work, hours, days, NULL, 0) && tod->work.set) {
        char list[40];

        days_text(tod->work.days, list, sizeof list);
        snprintf(tod->work_text, sizeof tod->work_text, "%02u:%02u-%02u:%02u %s",
                 tod->work.start_min / 60u, tod->work.start_min % 60u,
                 tod->work.end_min / 60u, tod->work.end_min % 60u, list);
    }
}

void ntt_time_of_day_clear(ntt_time_of_day_t *tod)
{
    if (tod->tz)
        g_time_zone_unref(tod->tz);
    memset(tod, 0, sizeof *tod);
}

void ntt_local_clock_init(ntt_local_clock_t *clock, const ntt_time_of_day_t *tod)
{
    memset(clock, 0, sizeof *clock);
    clock->tod = tod;
}

#define MINUTE_NS INT64_C(60000000000)

/* Floor division: times before 1970 are whole days and minutes too. */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;

    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

void ntt_local_time(ntt_local_clock_t *clock, int64_t ts_ns, ntt_local_time_t *out)
{
    int64_t secs, minute, local, day, second_of_day;

    if (ts_ns >= clock->from_ns && ts_ns < clock->to_ns) {
        *out = clock->last;
        return;
    }
    secs = floor_div(ts_ns, 1000000000);
    minute = floor_div(secs, 60);
    if (!clock->cached || minute != clock->minute) {
        GTimeZone *tz = clock->tod ? clock->tod->tz : NULL;

        clock->offset_s = 0;
        if (tz) {
            int interval = g_time_zone_find_interval(tz, G_TIME_TYPE_UNIVERSAL, secs);

            if (interval >= 0)
                clock->offset_s = g_time_zone_get_offset(tz, interval);
        }
        clock->minute = minute;
        clock->cached = true;
    }
    local = secs + clock->offset_s;
    day = floor_div(local, 86400);
    second_of_day = local - day * 86400;
    out->offset_s = clock->offset_s;
    out->minute_of_day = (unsigned)(second_of_day / 60);
    out->hour = out->minute_of_day / 60;
    /* 1970-01-01 was a Thursday (3, counting from Monday). */
    out->weekday = (unsigned)(((day + 3) % 7 + 7) % 7);
    /* The same answer for the rest of the minute, unless the offset has
     * seconds (Monrovia until 1972) or the minute reaches past int64. */
    clock->from_ns = clock->to_ns = 0;
    if (clock->offset_s % 60 == 0 && minute > INT64_MIN / MINUTE_NS + 1 &&
        minute < INT64_MAX / MINUTE_NS - 1) {
        clock->last = *out;
        clock->from_ns = minute * MINUTE_NS;
        clock->to_ns = clock->from_ns + MINUTE_NS;
    }
}

bool ntt_local_off_hours(ntt_local_clock_t *clock, int64_t ts_ns)
{
    ntt_local_time_t t;

    if (!clock->tod || !clock->tod->work.set)
        return false;
    ntt_local_time(clock, ts_ns, &t);
    return !ntt_work_hours_contains(&clock->tod->work, t.weekday, t.minute_of_day);
}
