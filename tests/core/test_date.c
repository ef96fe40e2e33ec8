/*
 * tests/core/test_date.c: calendar arithmetic, the accepted and refused
 * date forms, moments in CST whatever TZ says, and the clock.
 * CTest runs this with TZ=America/New_York; main() sets it too.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "epigrid/date.h"

/* Build a date that must exist. */
static eg_date ymd(int y, int m, int d)
{
    eg_date out = 0;
    assert_int_equal(eg_date_from_ymd(y, m, d, &out), EG_OK);
    return out;
}

/* Leap years and month lengths, including 1900 and 2000. */
static void test_leap_years_and_month_ends(void **state)
{
    (void)state;
    assert_false(eg_is_leap_year(1900));
    assert_true(eg_is_leap_year(2000));
    assert_true(eg_is_leap_year(2020));
    assert_false(eg_is_leap_year(2019));
    assert_false(eg_is_leap_year(2100));
    assert_int_equal(eg_days_in_month(1900, 2), 28);
    assert_int_equal(eg_days_in_month(2000, 2), 29);
    assert_int_equal(eg_days_in_month(2020, 2), 29);
    assert_int_equal(eg_days_in_month(2021, 2), 28);
    assert_int_equal(eg_days_in_month(2020, 4), 30);
    assert_int_equal(eg_days_in_month(2020, 12), 31);
    assert_int_equal(eg_days_in_month(2020, 0), 0);
    assert_int_equal(eg_days_in_month(2020, 13), 0);
}

/* Day numbers computed by hand. */
static void test_known_day_numbers(void **state)
{
    (void)state;
    assert_int_equal(ymd(1970, 1, 1), 0);
    assert_int_equal(ymd(1969, 12, 31), -1);
    assert_int_equal(ymd(2000, 1, 1), 10957);
    assert_int_equal(ymd(2000, 3, 1), 10957 + 31 + 29);
    assert_int_equal(ymd(2020, 1, 1), 18262);
    assert_int_equal(ymd(2020, 1, 23), 18284);
    assert_int_equal(ymd(1900, 1, 1), -25567);
    eg_date d;
    assert_int_equal(eg_date_from_ymd(2019, 2, 29, &d), EG_ERR_RANGE);
    assert_int_equal(eg_date_from_ymd(2020, 4, 31, &d), EG_ERR_RANGE);
    assert_int_equal(eg_date_from_ymd(1900, 2, 29, &d), EG_ERR_RANGE);
    assert_int_equal(eg_date_from_ymd(2020, 1, 0, &d), EG_ERR_RANGE);
    assert_int_equal(eg_date_from_ymd(999, 12, 31, &d), EG_ERR_RANGE);
    assert_int_equal(eg_date_from_ymd(10000, 1, 1, &d), EG_ERR_RANGE);
    assert_int_equal(eg_date_from_ymd(1000, 1, 1, &d), EG_OK);
    assert_int_equal(eg_date_from_ymd(9999, 12, 31, &d), EG_OK);
}

/* Every day from 1900-01-01 to 2100-12-31, walked with the month table:
 * from_ymd gives consecutive numbers and to_ymd gives the day back. */
static void test_round_trip_every_day_1900_2100(void **state)
{
    (void)state;
    int y = 1900, m = 1, d = 1, count = 0;
    eg_date expect = ymd(1900, 1, 1);
    while (y <= 2100) {
        eg_date got;
        int gy, gm, gd;
        assert_int_equal(eg_date_from_ymd(y, m, d, &got), EG_OK);
        assert_int_equal(got, expect);
        eg_date_to_ymd(got, &gy, &gm, &gd);
        assert_int_equal(gy, y);
        assert_int_equal(gm, m);
        assert_int_equal(gd, d);
        expect++;
        count++;
        if (++d > eg_days_in_month(y, m)) {
            d = 1;
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
    }
    /* 201 years, 49 of them leap (1904..2096 but not 1900 or 2100) */
    assert_int_equal(count, 201 * 365 + 49);
}

/* to_ymd accepts NULL pointers. */
static void test_to_ymd_null_parts(void **state)
{
    (void)state;
    int y = 0;
    eg_date_to_ymd(18284, &y, NULL, NULL);
    assert_int_equal(y, 2020);
}

/* ISO weekdays: 1 Monday .. 7 Sunday. */
static void test_weekday(void **state)
{
    (void)state;
    assert_int_equal(eg_date_weekday(ymd(2020, 1, 23)), 4); /* Thursday */
    assert_int_equal(eg_date_weekday(ymd(1970, 1, 1)), 4);
    assert_int_equal(eg_date_weekday(ymd(1969, 12, 28)), 7); /* Sunday */
    assert_int_equal(eg_date_weekday(ymd(2000, 1, 1)), 6);   /* Saturday */
    assert_int_equal(eg_date_weekday(ymd(1900, 1, 1)), 1);   /* Monday */
    assert_int_equal(eg_date_weekday(ymd(2020, 1, 26)), 7);
    assert_int_equal(eg_date_weekday(ymd(2020, 1, 27)), 1);
}

/* The three accepted forms, with blanks around. */
static void test_parse_accepted_forms(void **state)
{
    (void)state;
    static const char *const ok[] = {
        "2020-01-23", " 2020-01-23 ", "\t2020-01-23\r\n", "2020/1/23", "2020/01/23",
    };
    eg_date d;
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        d = 0;
        assert_int_equal(eg_date_parse(ok[i], &d), EG_OK);
        assert_int_equal(d, 18284);
    }
    assert_int_equal(eg_date_parse("20200123", &d), EG_OK);
    assert_int_equal(d, 18284);
    assert_int_equal(eg_date_parse("2020/2/3", &d), EG_OK);
    assert_int_equal(d, ymd(2020, 2, 3));
    assert_int_equal(eg_date_parse("2020/12/31", &d), EG_OK);
    assert_int_equal(d, ymd(2020, 12, 31));
    assert_int_equal(eg_date_parse("\xe3\x80\x80" "2020-02-29", &d), EG_OK);
    assert_int_equal(d, ymd(2020, 2, 29));
    assert_int_equal(eg_date_parse("2000-02-29", &d), EG_OK);
}

/* Every other form is refused as a parse error, never guessed. */
static void test_parse_refused_forms(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "3.2.2020", "03/02/2020", "20/2/3", "43864", "2020-2-3", "2020-02-3",
        "2020-1-23", "", "   ", "2020-01-23x", "2020/1/", "2020/123/1", "2020/1/123",
        "2020//1", "2020.01.23", "202001234", "2020012", "+2020-01-23", "2020-01-23 10:00",
        "20-01-23", "２０２０-01-23", "2020 01 23", "2020/1/2 3",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eg_date d = 12345;
        assert_int_equal(eg_date_parse(bad[i], &d), EG_ERR_PARSE);
        assert_int_equal(d, 12345); /* untouched */
    }
}

/* An accepted form naming no real day is a range error. */
static void test_parse_impossible_days(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2021-02-29", "2020-04-31", "2020-13-01", "2020-00-10", "2020/0/1", "2020/2/30",
        "1900-02-29", "19000229", "0999-12-31", "2020-01-00", "2020-01-32",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        eg_date d;
        assert_int_equal(eg_date_parse(bad[i], &d), EG_ERR_RANGE);
    }
}

/* Dates format as YYYY-MM-DD, before the epoch too. */
static void test_date_format(void **state)
{
    (void)state;
    char buf[EG_DATE_BUFSZ];
    assert_string_equal(eg_date_format(18284, buf), "2020-01-23");
    assert_string_equal(eg_date_format(-1, buf), "1969-12-31");
    assert_string_equal(eg_date_format(ymd(1000, 1, 1), buf), "1000-01-01");
    assert_string_equal(eg_date_format(ymd(9999, 12, 31), buf), "9999-12-31");
}

/* Moments from parts, and back; minutes before the epoch go to the day
 * before. */
static void test_time_parts(void **state)
{
    (void)state;
    eg_time t;
    char buf[EG_TIME_BUFSZ];
    assert_int_equal(eg_time_from_parts(18284, 10, 5, &t), EG_OK);
    assert_int_equal(t, (eg_time)18284 * 1440 + 605);
    assert_int_equal(eg_time_date(t), 18284);
    assert_int_equal(eg_time_minute_of_day(t), 605);
    assert_string_equal(eg_time_format(t, buf), "2020-01-23 10:05");
    assert_int_equal(eg_time_from_parts(18284, 24, 0, &t), EG_ERR_RANGE);
    assert_int_equal(eg_time_from_parts(18284, 0, 60, &t), EG_ERR_RANGE);
    assert_int_equal(eg_time_from_parts(18284, -1, 0, &t), EG_ERR_RANGE);
    assert_int_equal(eg_time_date(-1), -1);
    assert_int_equal(eg_time_minute_of_day(-1), 1439);
    assert_string_equal(eg_time_format(-1, buf), "1969-12-31 23:59");
    assert_string_equal(eg_time_format(0, buf), "1970-01-01 00:00");
}

/* Moments parse with a blank or T, optional seconds, any date form. */
static void test_time_parse(void **state)
{
    (void)state;
    eg_time t, want = (eg_time)18284 * 1440 + 10 * 60;
    assert_int_equal(eg_time_parse("2020-01-23 10:00", &t), EG_OK);
    assert_int_equal(t, want);
    assert_int_equal(eg_time_parse("2020-01-23T10:00", &t), EG_OK);
    assert_int_equal(t, want);
    assert_int_equal(eg_time_parse(" 2020-01-23 10:00:59 ", &t), EG_OK);
    assert_int_equal(t, want);
    assert_int_equal(eg_time_parse("2020/1/23  10:00", &t), EG_OK);
    assert_int_equal(t, want);
    assert_int_equal(eg_time_parse("2020/1/23 8:05", &t), EG_OK);
    assert_int_equal(t, (eg_time)18284 * 1440 + 485);
    assert_int_equal(eg_time_parse("20200123 23:59", &t), EG_OK);
    assert_int_equal(t, (eg_time)18284 * 1440 + 1439);

    assert_int_equal(eg_time_parse("2020-01-23 24:00", &t), EG_ERR_RANGE);
    assert_int_equal(eg_time_parse("2020-01-23 10:60", &t), EG_ERR_RANGE);
    assert_int_equal(eg_time_parse("2020-01-23 10:00:60", &t), EG_ERR_RANGE);
    assert_int_equal(eg_time_parse("2021-02-29 10:00", &t), EG_ERR_RANGE);
    assert_int_equal(eg_time_parse("2020-01-23", &t), EG_ERR_PARSE);
    assert_int_equal(eg_time_parse("2020-01-23 10", &t), EG_ERR_PARSE);
    assert_int_equal(eg_time_parse("2020-01-23 10:0", &t), EG_ERR_PARSE);
    assert_int_equal(eg_time_parse("2020-01-23 100:00", &t), EG_ERR_PARSE);
    assert_int_equal(eg_time_parse("3.2.2020 10:00", &t), EG_ERR_PARSE);
    assert_int_equal(eg_time_parse("2020-01-23 10:00 PM", &t), EG_ERR_PARSE);
    assert_int_equal(eg_time_parse("2020-01-23 10:00:5", &t), EG_ERR_PARSE);
    assert_int_equal(eg_time_parse("", &t), EG_ERR_PARSE);
}

/* Times of day. */
static void test_time_of_day(void **state)
{
    (void)state;
    int m = -1;
    assert_int_equal(eg_time_of_day_parse("08:30", &m), EG_OK);
    assert_int_equal(m, 510);
    assert_int_equal(eg_time_of_day_parse(" 8:30 ", &m), EG_OK);
    assert_int_equal(m, 510);
    assert_int_equal(eg_time_of_day_parse("00:00", &m), EG_OK);
    assert_int_equal(m, 0);
    assert_int_equal(eg_time_of_day_parse("23:59:59", &m), EG_OK);
    assert_int_equal(m, 1439);
    assert_int_equal(eg_time_of_day_parse("24:00", &m), EG_ERR_RANGE);
    assert_int_equal(eg_time_of_day_parse("12:60", &m), EG_ERR_RANGE);
    assert_int_equal(eg_time_of_day_parse("8.30", &m), EG_ERR_PARSE);
    assert_int_equal(eg_time_of_day_parse("08:3", &m), EG_ERR_PARSE);
    assert_int_equal(eg_time_of_day_parse("0830", &m), EG_ERR_PARSE);
    assert_int_equal(eg_time_of_day_parse("", &m), EG_ERR_PARSE);
}

/* POSIX time to CST: +8 hours, whatever TZ (America/New_York here) says,
 * across its daylight-saving change too. */
static void test_time_from_unix_ignores_tz(void **state)
{
    (void)state;
    char buf[EG_TIME_BUFSZ];
    assert_string_equal(getenv("TZ"), "America/New_York");
    assert_string_equal(eg_time_format(eg_time_from_unix(0), buf), "1970-01-01 08:00");
    assert_string_equal(eg_time_format(eg_time_from_unix(59), buf), "1970-01-01 08:00");
    assert_string_equal(eg_time_format(eg_time_from_unix(-1), buf), "1970-01-01 07:59");
    /* 2020-01-23 00:00 UTC = 18284 days */
    assert_string_equal(eg_time_format(eg_time_from_unix((time_t)18284 * 86400), buf),
                        "2020-01-23 08:00");
    /* 2020-03-08 07:30 UTC, just after New York changed to daylight time */
    assert_string_equal(eg_time_format(eg_time_from_unix(1583652600), buf),
                        "2020-03-08 15:30");
    /* 16:00 UTC is already the next day in CST */
    assert_string_equal(eg_time_format(eg_time_from_unix((time_t)18284 * 86400 + 16 * 3600), buf),
                        "2020-01-24 00:00");
}

/* --now wins over EPIGRID_NOW; a bare date is 00:00. */
static void test_clock_fixed(void **state)
{
    (void)state;
    eg_clock c;
    eg_diag d;
    char buf[EG_TIME_BUFSZ];
    setenv("EPIGRID_NOW", "2020-02-01 08:00", 1);
    assert_int_equal(eg_clock_init(&c, "2020-01-23 10:00", &d), EG_OK);
    assert_int_equal(c.fixed, 1);
    assert_string_equal(eg_time_format(eg_clock_now(&c), buf), "2020-01-23 10:00");
    assert_int_equal(eg_clock_today(&c), 18284);

    assert_int_equal(eg_clock_init(&c, NULL, &d), EG_OK);
    assert_int_equal(c.fixed, 1);
    assert_string_equal(eg_time_format(eg_clock_now(&c), buf), "2020-02-01 08:00");

    assert_int_equal(eg_clock_init(&c, "2020-01-23", &d), EG_OK);
    assert_string_equal(eg_time_format(eg_clock_now(&c), buf), "2020-01-23 00:00");
    assert_int_equal(eg_clock_init(&c, "2020/1/23", &d), EG_OK);
    assert_string_equal(eg_time_format(eg_clock_now(&c), buf), "2020-01-23 00:00");
    unsetenv("EPIGRID_NOW");
}

/* A bad --now or EPIGRID_NOW is refused and the diag says which. */
static void test_clock_bad_text(void **state)
{
    (void)state;
    eg_clock c;
    eg_diag d;
    eg_diag_clear(&d);
    assert_int_equal(eg_clock_init(&c, "yesterday", &d), EG_ERR_PARSE);
    assert_string_equal(d.column, "--now");
    assert_non_null(strstr(d.reason, "yesterday"));
    assert_int_equal(eg_clock_init(&c, "2020-02-30 10:00", &d), EG_ERR_RANGE);
    assert_int_equal(eg_clock_init(&c, "2020-02-30", &d), EG_ERR_RANGE);
    assert_int_equal(eg_clock_init(&c, "", &d), EG_ERR_PARSE);
    setenv("EPIGRID_NOW", "3.2.2020", 1);
    assert_int_equal(eg_clock_init(&c, NULL, &d), EG_ERR_PARSE);
    assert_string_equal(d.column, "EPIGRID_NOW");
    assert_int_equal(eg_clock_init(&c, NULL, NULL), EG_ERR_PARSE);
    unsetenv("EPIGRID_NOW");
}

/* Without --now and EPIGRID_NOW (or with it empty) the clock is real. */
static void test_clock_real(void **state)
{
    (void)state;
    eg_clock c;
    unsetenv("EPIGRID_NOW");
    assert_int_equal(eg_clock_init(&c, NULL, NULL), EG_OK);
    assert_int_equal(c.fixed, 0);
    eg_time before = eg_time_from_unix(time(NULL));
    eg_time now = eg_clock_now(&c);
    eg_time after = eg_time_from_unix(time(NULL));
    assert_true(now >= before && now <= after);
    eg_date today = eg_clock_today(&c); /* midnight may pass in between */
    assert_true(today == eg_time_date(now) || today == eg_time_date(now) + 1);
    setenv("EPIGRID_NOW", "", 1);
    assert_int_equal(eg_clock_init(&c, NULL, NULL), EG_OK);
    assert_int_equal(c.fixed, 0);
    unsetenv("EPIGRID_NOW");
}

int main(void)
{
    /* CTest sets this; set it for a manual run too. */
    setenv("TZ", "America/New_York", 1);
    tzset();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leap_years_and_month_ends),
        cmocka_unit_test(test_known_day_numbers),
        cmocka_unit_test(test_round_trip_every_day_1900_2100),
        cmocka_unit_test(test_to_ymd_null_parts),
        cmocka_unit_test(test_weekday),
        cmocka_unit_test(test_parse_accepted_forms),
        cmocka_unit_test(test_parse_refused_forms),
        cmocka_unit_test(test_parse_impossible_days),
        cmocka_unit_test(test_date_format),
        cmocka_unit_test(test_time_parts),
        cmocka_unit_test(test_time_parse),
        cmocka_unit_test(test_time_of_day),
        cmocka_unit_test(test_time_from_unix_ignores_tz),
        cmocka_unit_test(test_clock_fixed),
        cmocka_unit_test(test_clock_bad_text),
        cmocka_unit_test(test_clock_real),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
