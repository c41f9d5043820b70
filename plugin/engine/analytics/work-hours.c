/* work-hours.c
 * Parsing and testing working hours and days (ntt/time-of-day.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt/time-of-day.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

#define ALL_DAYS 0x7f

static const char *const day_names[7] = { "mon", "tue", "wed", "thu", "fri", "sat", "sun" };

static void fail(char *error, size_t size, const char *fmt, ...) G_GNUC_PRINTF(3, 4);

static void fail(char *error, size_t size, const char *fmt, ...)
{
    va_list args;

    if (!error || !size)
        return;
    va_start(args, fmt);
    vsnprintf(error, size, fmt, args);
    va_end(args);
}

/* "HH:MM" or "H:MM" (hours 0-23, or 24:00 when allow_24); -1 when it is
 * not. */
static int parse_clock(const char *s, bool allow_24)
{
    size_t len = strlen(s), colon = len >= 3 ? len - 3 : 0;
    unsigned h = 0, m;

    if (len < 4 || len > 5 || s[colon] != ':' ||
        !isdigit((unsigned char)s[len - 2]) || !isdigit((unsigned char)s[len - 1]))
        return -1;
    for (size_t i = 0; i < colon; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        h = h * 10 + (unsigned)(s[i] - '0');
    }
    m = (unsigned)(s[len - 2] - '0') * 10 + (unsigned)(s[len - 1] - '0');
    if (m > 59 || h > 24 || (h == 24 && (m != 0 || !allow_24)))
        return -1;
    return (int)(h * 60 + m);
}

static bool parse_hours(ntt_work_hours_t *wh, const char *hours, char *error, size_t size)
{
    char **ends = g_strsplit(hours, "-", -1);
    int start, end;
    bool ok = false;

    if (g_strv_length(ends) != 2) {
        fail(error, size, "working hours '%s' are not a range HH:MM-HH:MM (e.g. 08:00-18:00)",
             hours);
    } else if ((start = parse_clock(g_strstrip(ends[0]), false)) < 0 ||
               (end = parse_clock(g_strstrip(ends[1]), true)) < 0) {
        fail(error, size, "working hours '%s': a time is not HH:MM between 00:00 and 24:00",
             hours);
    } else if (start == end % (24 * 60)) {
        fail(error, size, "working hours '%s' are empty (start and end are the same time)",
             hours);
    } else {
        wh->start_min = (uint16_t)start;
        wh->end_min = (uint16_t)end;
        ok = true;
    }
    g_strfreev(ends);
    return ok;
}

static int day_index(const char *name)
{
    for (int d = 0; d < 7; d++) {
        if (g_ascii_strcasecmp(name, day_names[d]) == 0)
            return d;
    }
    return -1;
}

/* One item of the list: "Mon" or "Mon-Fri" (wrapping the week when the
 * first day comes after the last). */
static bool parse_day_item(char *item, uint8_t *days)
{
    char *dash = strchr(item, '-');
    int first, last;

    if (dash)
        *dash = '\0';
    first = day_index(g_strstrip(item));
    last = dash ? day_index(g_strstrip(dash + 1)) : first;
    if (first < 0 || last < 0)
        return false;
    for (int d = first;; d = (d + 1) % 7) {
        *days |= (uint8_t)(1u << d);
        if (d == last)
            break;
    }
    return true;
}

static bool blank(const char *s)
{
    while (s && *s && g_ascii_isspace(*s))
        s++;
    return !s || !*s;
}

static bool parse_days(ntt_work_hours_t *wh, const char *days, char *error, size_t size)
{
    char **items;
    bool ok = true;

    wh->days = 0;
    if (blank(days)) {
        wh->days = ALL_DAYS;
        return true;
    }
    items = g_strsplit(days, ",", -1);
    for (char **item = items; *item && ok; item++)
        ok = parse_day_item(*item, &wh->days);
    g_strfreev(items);
    if (!ok)
        fail(error, size, "working days '%s' are not day names or ranges of them "
             "(Mon, Tue, Wed, Thu, Fri, Sat, Sun; e.g. Mon-Fri or Mon,Wed,Fri)", days);
    return ok;
}

bool ntt_work_hours_parse(ntt_work_hours_t *out, const char *hours, const char *days,
                          char *error, size_t error_size)
{
    ntt_work_hours_t wh = { 0 };
    char *trimmed = g_strstrip(g_strdup(hours ? hours : ""));
    bool ok = true;

    if (error && error_size)
        error[0] = '\0';
    if (*trimmed) {
        ok = parse_hours(&wh, trimmed, error, error_size) &&
             parse_days(&wh, days, error, error_size);
        wh.set = ok;
    }
    g_free(trimmed);
    if (!ok)
        memset(&wh, 0, sizeof wh);
    *out = wh;
    return ok;
}

bool ntt_work_hours_contains(const ntt_work_hours_t *wh, unsigned weekday,
                             unsigned minute_of_day)
{
    if (!wh || !wh->set || weekday > 6)
        return false;
    if (wh->start_min < wh->end_min)
        return (wh->days & (1u << weekday)) && minute_of_day >= wh->start_min &&
               minute_of_day < wh->end_min;
    /* A shift past midnight: the evening of a working day, or the morning
     * after one. */
    if (minute_of_day >= wh->start_min)
        return wh->days & (1u << weekday);
    return minute_of_day < wh->end_min && (wh->days & (1u << ((weekday + 6) % 7)));
}
