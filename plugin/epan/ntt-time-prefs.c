/* ntt-time-prefs.c
 * The time zone and working hours ntt reasons in (ntt/time-of-day.h):
 * the engine parses them; here they become preferences, and a bad value
 * gets a message naming what is wrong and falls back (UTC, no working
 * hours) while the rest of ntt keeps working.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "ntt-time-prefs.h"

#include <glib.h>
#include <wsutil/report_message.h>

#include "ntt/time-of-day.h"

static const char *pref_timezone = "";
static const char *pref_work_hours = "";
static const char *pref_work_days = "";
/* What the engine gets, once checked. */
static char zone_checked[64];
static char hours_checked[32];
static char days_checked[64];

void ntt_time_prefs_register(module_t *module)
{
    static ntt_detect_config_t defaults;

    ntt_detect_config_init(&defaults);
    pref_timezone = defaults.time_zone;
    pref_work_hours = defaults.work_hours;
    pref_work_days = defaults.work_days;
    g_strlcpy(zone_checked, defaults.time_zone, sizeof zone_checked);
    g_strlcpy(days_checked, defaults.work_days, sizeof days_checked);
    prefs_register_string_preference(module, "timezone", "Time zone of the reports",
        "IANA time zone name (e.g. Europe/Berlin) in which the hours of the day, "
        "working hours and off-hours surges are reckoned; UTC by default, never "
        "the machine's own zone", &pref_timezone);
    prefs_register_string_preference(module, "work_hours", "Working hours",
        "Local working hours HH:MM-HH:MM (e.g. 08:00-18:00; past midnight: "
        "22:00-06:00). Empty: none. When set, the reports give the traffic outside "
        "them per host and the surge detector runs", &pref_work_hours);
    prefs_register_string_preference(module, "work_days", "Working days",
        "Days the working hours apply: day names or ranges (Mon-Fri, Mon,Wed,Fri, "
        "Sat-Sun); empty: every day", &pref_work_days);
}

void ntt_time_prefs_check(void)
{
    char error[256];
    ntt_work_hours_t wh;

    if (ntt_time_zone_valid(pref_timezone, error, sizeof error)) {
        g_strlcpy(zone_checked, pref_timezone, sizeof zone_checked);
    } else {
        report_failure("ntt: preference ntt.timezone: %s; using UTC", error);
        g_strlcpy(zone_checked, "UTC", sizeof zone_checked);
    }
    if (ntt_work_hours_parse(&wh, pref_work_hours, pref_work_days, error, sizeof error)) {
        g_strlcpy(hours_checked, pref_work_hours, sizeof hours_checked);
        g_strlcpy(days_checked, pref_work_days, sizeof days_checked);
    } else {
        report_failure("ntt: preferences ntt.work_hours/ntt.work_days: %s; no working "
                       "hours are used", error);
        hours_checked[0] = '\0';
    }
}

void ntt_time_prefs_config(ntt_detect_config_t *config)
{
    g_strlcpy(config->time_zone, zone_checked, sizeof config->time_zone);
    g_strlcpy(config->work_hours, hours_checked, sizeof config->work_hours);
    g_strlcpy(config->work_days, days_checked, sizeof config->work_days);
}
