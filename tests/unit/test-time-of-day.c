/* test-time-of-day.c
 * The configured zone and working hours (ntt/time-of-day.h,
 * analytics/time-of-day.h): local hours across both DST changes of
 * Europe/Berlin in 2024, UTC by default, and what ntt.work_hours and
 * ntt.work_days accept and refuse.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "analytics/time-of-day.h"

#define SEC INT64_C(1000000000)
/* date -u -d '2024-03-31 01:00:00' +%s: CET becomes CEST (02:00 -> 03:00). */
#define SPRING_2024 INT64_C(1711846800)
/* date -u -d '2024-10-27 01:00:00' +%s: CEST becomes CET (03:00 -> 02:00). */
#define AUTUMN_2024 INT64_C(1729990800)
/* 2024-01-01 00:00:00 UTC, a Monday. */
#define MONDAY_2024 INT64_C(1704067200)

static ntt_local_time_t local_at(ntt_local_clock_t *clock, int64_t secs)
{
    ntt_local_time_t t;

    ntt_local_time(clock, secs * SEC, &t);
    return t;
}

static void test_berlin_across_dst(void **state)
{
    ntt_time_of_day_t tod;
    ntt_local_clock_t clock;
    ntt_local_time_t t;

    (void)state;
    ntt_time_of_day_init(&tod, "Europe/Berlin", "", "");
    assert_string_equal(tod.zone, "Europe/Berlin");
    ntt_local_clock_init(&clock, &tod);
    t = local_at(&clock, SPRING_2024 - 1);      /* 01:59:59 CET */
    assert_int_equal(t.hour, 1);
    assert_int_equal(t.minute_of_day, 119);
    assert_int_equal(t.offset_s, 3600);
    assert_int_equal(t.weekday, 6);             /* Sunday */
    t = local_at(&clock, SPRING_2024);          /* 03:00:00 CEST */
    assert_int_equal(t.hour, 3);
    assert_int_equal(t.offset_s, 7200);
    t = local_at(&clock, AUTUMN_2024 - 1);      /* 02:59:59 CEST */
    assert_int_equal(t.hour, 2);
    assert_int_equal(t.minute_of_day, 179);
    assert_int_equal(t.offset_s, 7200);
    t = local_at(&clock, AUTUMN_2024);          /* 02:00:00 CET, again */
    assert_int_equal(t.hour, 2);
    assert_int_equal(t.minute_of_day, 120);
    assert_int_equal(t.offset_s, 3600);
    /* Midnight UTC on a winter Monday is 01:00 in Berlin. */
    t = local_at(&clock, MONDAY_2024);
    assert_int_equal(t.hour, 1);
    assert_int_equal(t.weekday, 0);
    ntt_time_of_day_clear(&tod);
}

/* No zone given: UTC, whatever TZ the machine has. */
static void test_utc_by_default(void **state)
{
    ntt_time_of_day_t tod;
    ntt_local_clock_t clock;
    ntt_local_time_t t;

    (void)state;
    setenv("TZ", "Asia/Kathmandu", 1);
    ntt_time_of_day_init(&tod, "", NULL, NULL);
    assert_string_equal(tod.zone, "UTC");
    ntt_local_clock_init(&clock, &tod);
    t = local_at(&clock, MONDAY_2024 - 1);      /* Sunday 23:59:59 */
    assert_int_equal(t.hour, 23);
    assert_int_equal(t.weekday, 6);
    assert_int_equal(t.offset_s, 0);
    /* Before 1970 too: 1969-12-31 23:00 was a Wednesday. */
    t = local_at(&clock, -3600);
    assert_int_equal(t.hour, 23);
    assert_int_equal(t.weekday, 2);
    ntt_time_of_day_clear(&tod);
    unsetenv("TZ");
}

static void test_bad_zone_falls_back_to_utc(void **state)
{
    char error[200];
    ntt_time_of_day_t tod;

    (void)state;
    assert_true(ntt_time_zone_valid("Europe/Berlin", error, sizeof error));
    assert_true(ntt_time_zone_valid("UTC", error, sizeof error));
    assert_true(ntt_time_zone_valid("", error, sizeof error));
    assert_false(ntt_time_zone_valid("Mars/Olympus_Mons", error, sizeof error));
    assert_non_null(strstr(error, "Mars/Olympus_Mons"));
    ntt_time_of_day_init(&tod, "Mars/Olympus_Mons", "", "");
    assert_string_equal(tod.zone, "UTC");
    ntt_time_of_day_clear(&tod);
}

static bool works(const ntt_work_hours_t *wh, unsigned weekday, unsigned h, unsigned m)
{
    return ntt_work_hours_contains(wh, weekday, h * 60 + m);
}

static void test_office_hours(void **state)
{
    ntt_work_hours_t wh;
    char error[200];

    (void)state;
    assert_true(ntt_work_hours_parse(&wh, "08:00-18:00", "Mon-Fri", error, sizeof error));
    assert_true(wh.set);
    assert_int_equal(wh.start_min, 480);
    assert_int_equal(wh.end_min, 1080);
    assert_int_equal(wh.days, 0x1f);
    assert_false(works(&wh, 0, 7, 59));
    assert_true(works(&wh, 0, 8, 0));
    assert_true(works(&wh, 4, 17, 59));
    assert_false(works(&wh, 4, 18, 0));    /* the end is not included */
    assert_false(works(&wh, 5, 10, 0));    /* Saturday */
    assert_false(works(&wh, 6, 10, 0));
}

/* A night shift belongs to the day it began. */
static void test_shift_past_midnight(void **state)
{
    ntt_work_hours_t wh;

    (void)state;
    assert_true(ntt_work_hours_parse(&wh, "22:00-06:00", "Mon-Fri", NULL, 0));
    assert_true(works(&wh, 4, 23, 0));     /* Friday night */
    assert_true(works(&wh, 5, 5, 59));     /* Saturday morning, Friday's shift */
    assert_false(works(&wh, 5, 6, 0));
    assert_false(works(&wh, 5, 23, 0));    /* Saturday night: no shift */
    assert_false(works(&wh, 0, 5, 0));     /* Monday morning: Sunday's, none */
    assert_false(works(&wh, 2, 12, 0));
}

static void test_day_lists(void **state)
{
    ntt_work_hours_t wh;

    (void)state;
    assert_true(ntt_work_hours_parse(&wh, "9:30-24:00", " mon, WED ,Fri ", NULL, 0));
    assert_int_equal(wh.start_min, 570);
    assert_int_equal(wh.end_min, 1440);
    assert_int_equal(wh.days, (1 << 0) | (1 << 2) | (1 << 4));
    assert_true(works(&wh, 2, 23, 59));
    assert_true(ntt_work_hours_parse(&wh, "08:00-18:00", "Fri-Mon", NULL, 0));
    assert_int_equal(wh.days, (1 << 4) | (1 << 5) | (1 << 6) | (1 << 0));
    assert_true(ntt_work_hours_parse(&wh, "08:00-18:00", "", NULL, 0));
    assert_int_equal(wh.days, 0x7f);       /* no days given: every day */
    /* No hours: nothing is working time, and nothing is off-hours. */
    assert_true(ntt_work_hours_parse(&wh, "  ", "Mon-Fri", NULL, 0));
    assert_false(wh.set);
    assert_false(works(&wh, 0, 10, 0));
}

static void refused(const char *hours, const char *days, const char *named)
{
    ntt_work_hours_t wh;
    char error[256];

    assert_false(ntt_work_hours_parse(&wh, hours, days, error, sizeof error));
    assert_false(wh.set);
    assert_non_null(strstr(error, named));
}

static void test_bad_work_hours(void **state)
{
    (void)state;
    refused("8-18", "Mon-Fri", "'8-18'");
    refused("08:00", "Mon-Fri", "not a range");
    refused("08:00-18:00-20:00", "Mon-Fri", "not a range");
    refused("25:00-26:00", "Mon-Fri", "HH:MM");
    refused("08:60-09:00", "Mon-Fri", "HH:MM");
    refused("08:0-09:00", "Mon-Fri", "HH:MM");
    refused("+8:00-09:00", "Mon-Fri", "HH:MM");
    refused("24:00-08:00", "Mon-Fri", "HH:MM");   /* 24:00 only ends */
    refused("08:00-08:00", "Mon-Fri", "empty");
    refused("00:00-24:00x", "Mon-Fri", "HH:MM");
    refused("08:00-18:00", "Mon-Fry", "'Mon-Fry'");
    refused("08:00-18:00", "Monday", "day names");
    refused("08:00-18:00", "Mon,,Fri", "day names");
}

/* The clock with working hours: off-hours follows the local time. */
static void test_off_hours_in_zone(void **state)
{
    ntt_time_of_day_t tod;
    ntt_local_clock_t clock;

    (void)state;
    ntt_time_of_day_init(&tod, "Europe/Berlin", "08:00-18:00", "Mon-Fri");
    assert_string_equal(tod.work_text, "08:00-18:00 Mon,Tue,Wed,Thu,Fri");
    ntt_local_clock_init(&clock, &tod);
    /* Monday 2024-01-01 07:30 UTC is 08:30 in Berlin: working time. */
    assert_false(ntt_local_off_hours(&clock, (MONDAY_2024 + 7 * 3600 + 1800) * SEC));
    /* 06:30 UTC is 07:30 there: not yet. */
    assert_true(ntt_local_off_hours(&clock, (MONDAY_2024 + 6 * 3600 + 1800) * SEC));
    ntt_time_of_day_clear(&tod);
    /* Without working hours nothing is off-hours. */
    ntt_time_of_day_init(&tod, "UTC", "", "Mon-Fri");
    ntt_local_clock_init(&clock, &tod);
    assert_false(ntt_local_off_hours(&clock, (MONDAY_2024 + 3 * 3600) * SEC));
    ntt_time_of_day_clear(&tod);
}

/* Monrovia was 44 min 30 s behind UTC until 1972: its local minute
 * turns at second 30 of the UTC minute, so the answer of one packet is not
 * the answer for its whole UTC minute. 1971-06-01 00:00:00 UTC
 * (date -u -d @44582400) was 23:15:30 on Monday the 31st there. */
static void test_offset_with_seconds(void **state)
{
    ntt_time_of_day_t tod;
    ntt_local_clock_t clock;
    ntt_local_time_t t;

    (void)state;
    ntt_time_of_day_init(&tod, "Africa/Monrovia", "", "");
    ntt_local_clock_init(&clock, &tod);
    t = local_at(&clock, 44582400 + 29);        /* 23:15:59 */
    assert_int_equal(t.offset_s, -2670);
    assert_int_equal(t.minute_of_day, 23 * 60 + 15);
    assert_int_equal(t.weekday, 0);
    t = local_at(&clock, 44582400 + 30);        /* 23:16:00, same UTC minute */
    assert_int_equal(t.minute_of_day, 23 * 60 + 16);
    /* In a whole-minute zone, the rest of the minute is the cached
     * answer: Berlin's 03:00 on the spring change, then 03:00:59. */
    ntt_time_of_day_clear(&tod);
    ntt_time_of_day_init(&tod, "Europe/Berlin", "", "");
    ntt_local_clock_init(&clock, &tod);
    t = local_at(&clock, SPRING_2024 - 60);     /* 01:59:00 CET */
    assert_int_equal(t.minute_of_day, 119);
    t = local_at(&clock, SPRING_2024 - 1);
    assert_int_equal(t.minute_of_day, 119);
    t = local_at(&clock, SPRING_2024 + 59);     /* 03:00:59 CEST */
    assert_int_equal(t.minute_of_day, 180);
    assert_int_equal(t.offset_s, 7200);
    t = local_at(&clock, SPRING_2024 - 61);     /* back: 01:58:59 */
    assert_int_equal(t.minute_of_day, 118);
    assert_int_equal(t.offset_s, 3600);
    ntt_time_of_day_clear(&tod);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_berlin_across_dst),
        cmocka_unit_test(test_offset_with_seconds),
        cmocka_unit_test(test_utc_by_default),
        cmocka_unit_test(test_bad_zone_falls_back_to_utc),
        cmocka_unit_test(test_office_hours),
        cmocka_unit_test(test_shift_past_midnight),
        cmocka_unit_test(test_day_lists),
        cmocka_unit_test(test_bad_work_hours),
        cmocka_unit_test(test_off_hours_in_zone),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
