/*
 * core/date.c: calendar dates, moments in China Standard Time and the one
 * clock (spec/formats.md "Dates", "Times"; spec/api.md "The clock").
 *
 * Dates are days since 1970-01-01, converted with H. Hinnant's
 * days_from_civil / civil_from_days; moments are minutes since
 * 1970-01-01 00:00 CST. Nothing here calls mktime, localtime or reads TZ.
 */
#include "epigrid/date.h"
#include "epigrid/text.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MINUTES_PER_DAY (24 * 60)

/* Floor division for a positive divisor (rounds toward minus infinity). */
static int64_t floor_div(int64_t a, int64_t b)
{
    assert(b > 0);
    int64_t q = a / b;
    return (a % b < 0) ? q - 1 : q;
}

/* Remainder matching floor_div: always in 0..b-1. */
static int64_t floor_mod(int64_t a, int64_t b)
{
    int64_t r = a % b;
    return r < 0 ? r + b : r;
}

/* Hinnant's days_from_civil: days since 1970-01-01 of y-m-d (any year). */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                   /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

/* Hinnant's civil_from_days: the y-m-d of a day count. */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* Gregorian leap-year rule. */
int eg_is_leap_year(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Length of a month, 0 for a month outside 1..12. */
int eg_days_in_month(int year, int month)
{
    static const int days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (month < 1 || month > 12)
        return 0;
    return days[month - 1] + (month == 2 && eg_is_leap_year(year));
}

/* Build a date from a real calendar day within the supported years. */
eg_err eg_date_from_ymd(int year, int month, int day, eg_date *out)
{
    assert(out != NULL);
    if (year < EG_DATE_MIN_YEAR || year > EG_DATE_MAX_YEAR)
        return EG_ERR_RANGE;
    if (day < 1 || day > eg_days_in_month(year, month))
        return EG_ERR_RANGE;
    *out = (eg_date)days_from_civil(year, month, day);
    return EG_OK;
}

/* Split a date into its calendar parts. */
void eg_date_to_ymd(eg_date d, int *year, int *month, int *day)
{
    int64_t y;
    int m, dd;
    civil_from_days(d, &y, &m, &dd);
    if (year)
        *year = (int)y;
    if (month)
        *month = m;
    if (day)
        *day = dd;
}

/* ISO weekday: 1970-01-01 (day 0) was a Thursday (4). */
int eg_date_weekday(eg_date d)
{
    return (int)floor_mod((int64_t)d + 3, 7) + 1;
}

/* Read exactly `n` ASCII digits at s into *value. Returns 1 on success. */
static int read_digits(const char *s, size_t n, int *value)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    *value = v;
    return 1;
}

/* Read one or two digits at s[*pos..len), advancing *pos. Returns 1 on
 * success; a third digit makes it fail. */
static int read_1or2_digits(const char *s, size_t len, size_t *pos, int *value)
{
    size_t n = 0;
    while (*pos + n < len && s[*pos + n] >= '0' && s[*pos + n] <= '9')
        n++;
    if (n < 1 || n > 2)
        return 0;
    read_digits(s + *pos, n, value);
    *pos += n;
    return 1;
}

/* Parse `YYYY/M/D` (month and day with one or two digits) in s[0..len). */
static int parse_slash_form(const char *s, size_t len, int *y, int *m, int *d)
{
    size_t pos = 5;
    if (len < 8 || !read_digits(s, 4, y) || s[4] != '/')
        return 0;
    if (!read_1or2_digits(s, len, &pos, m) || pos >= len || s[pos] != '/')
        return 0;
    pos++;
    return read_1or2_digits(s, len, &pos, d) && pos == len;
}

/* Parse an untrimmed date span s[0..len) into year, month and day by form
 * only. Returns 1 when the text has an accepted form. */
static int parse_date_form(const char *s, size_t len, int *y, int *m, int *d)
{
    if (len == 10 && s[4] == '-' && s[7] == '-')
        return read_digits(s, 4, y) && read_digits(s + 5, 2, m) &&
               read_digits(s + 8, 2, d);
    if (len == 8 && read_digits(s, 4, y) && read_digits(s + 4, 2, m) &&
        read_digits(s + 6, 2, d))
        return 1;
    return parse_slash_form(s, len, y, m, d);
}

/* Parse a trimmed date span: form first (EG_ERR_PARSE), then the day
 * (EG_ERR_RANGE). */
static eg_err parse_date_span(const char *s, size_t len, eg_date *out)
{
    int y, m, d;
    if (!parse_date_form(s, len, &y, &m, &d))
        return EG_ERR_PARSE;
    return eg_date_from_ymd(y, m, d, out);
}

/* Parse `YYYY-MM-DD`, `YYYY/M/D` or `YYYYMMDD`, blanks around ignored. */
eg_err eg_date_parse(const char *s, eg_date *out)
{
    assert(s != NULL && out != NULL);
    size_t len;
    const char *p = eg_text_trim_span(s, strlen(s), &len);
    return parse_date_span(p, len, out);
}

/* Format a date as `YYYY-MM-DD`. */
char *eg_date_format(eg_date d, char *buf)
{
    assert(buf != NULL);
    int y, m, dd;
    eg_date_to_ymd(d, &y, &m, &dd);
    /* supported years have four digits; the modulo only bounds the output
     * of an unsupported date (such as EG_NO_DATE) to the buffer's size */
    snprintf(buf, EG_DATE_BUFSZ, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)dd % 100u);
    return buf;
}

/* Combine a date and a time of day into a moment. */
eg_err eg_time_from_parts(eg_date d, int hour, int minute, eg_time *out)
{
    assert(out != NULL);
    if (hour < 0 || hour > 23 || minute < 0 || minute > 59)
        return EG_ERR_RANGE;
    *out = (eg_time)d * MINUTES_PER_DAY + hour * 60 + minute;
    return EG_OK;
}

/* Calendar date of a moment. */
eg_date eg_time_date(eg_time t)
{
    return (eg_date)floor_div(t, MINUTES_PER_DAY);
}

/* Minutes since midnight of a moment. */
int eg_time_minute_of_day(eg_time t)
{
    return (int)floor_mod(t, MINUTES_PER_DAY);
}

/* Parse a trimmed `H:MM`, `HH:MM`, optionally followed by `:SS` (dropped),
 * into minutes since midnight. */
static eg_err parse_clock_span(const char *s, size_t len, int *minutes)
{
    size_t pos = 0;
    int h = 0, m = 0, sec = 0;
    if (!read_1or2_digits(s, len, &pos, &h) || pos + 3 > len || s[pos] != ':' ||
        !read_digits(s + pos + 1, 2, &m))
        return EG_ERR_PARSE;
    pos += 3;
    if (pos < len) {
        if (pos + 3 != len || s[pos] != ':' || !read_digits(s + pos + 1, 2, &sec))
            return EG_ERR_PARSE;
        if (sec > 59)
            return EG_ERR_RANGE;
    }
    if (h > 23 || m > 59)
        return EG_ERR_RANGE;
    *minutes = h * 60 + m;
    return EG_OK;
}

/* Parse a time of day `HH:MM` (blanks around ignored). */
eg_err eg_time_of_day_parse(const char *s, int *minutes)
{
    assert(s != NULL && minutes != NULL);
    size_t len;
    const char *p = eg_text_trim_span(s, strlen(s), &len);
    return parse_clock_span(p, len, minutes);
}

/* Parse `DATE HH:MM` or `DATETHH:MM` (optional `:SS`), blanks around
 * ignored; the date part in any form eg_date_parse accepts. */
eg_err eg_time_parse(const char *s, eg_time *out)
{
    assert(s != NULL && out != NULL);
    size_t len;
    const char *p = eg_text_trim_span(s, strlen(s), &len);
    size_t sep = 0;
    while (sep < len && p[sep] != ' ' && p[sep] != 'T')
        sep++;
    if (sep == len)
        return EG_ERR_PARSE;
    size_t clock_at = sep + 1;
    if (p[sep] == ' ')
        while (clock_at < len && p[clock_at] == ' ')
            clock_at++;
    int y, mo, d, minutes;
    if (!parse_date_form(p, sep, &y, &mo, &d))
        return EG_ERR_PARSE;
    eg_err rc = parse_clock_span(p + clock_at, len - clock_at, &minutes);
    eg_date day;
    if (rc == EG_OK)
        rc = eg_date_from_ymd(y, mo, d, &day);
    if (rc != EG_OK)
        return rc;
    *out = (eg_time)day * MINUTES_PER_DAY + minutes;
    return EG_OK;
}

/* Format a moment as `YYYY-MM-DD HH:MM`. */
char *eg_time_format(eg_time t, char *buf)
{
    assert(buf != NULL);
    int mod = eg_time_minute_of_day(t), hour = mod / 60, minute = mod % 60;
    eg_date_format(eg_time_date(t), buf);
    char *p = buf + strlen(buf);
    *p++ = ' ';
    *p++ = (char)('0' + hour / 10);
    *p++ = (char)('0' + hour % 10);
    *p++ = ':';
    *p++ = (char)('0' + minute / 10);
    *p++ = (char)('0' + minute % 10);
    *p = '\0';
    return buf;
}

/* A POSIX time (UTC seconds) as a CST moment: whole minutes, plus 8 h. */
eg_time eg_time_from_unix(time_t unix_seconds)
{
    return floor_div((int64_t)unix_seconds, 60) + EG_CST_OFFSET_MIN;
}

/* Parse the text of --now or EPIGRID_NOW: a moment, or a bare date meaning
 * 00:00 of that day. */
static eg_err parse_now(const char *text, eg_time *out)
{
    eg_err rc = eg_time_parse(text, out);
    if (rc != EG_ERR_PARSE)
        return rc;
    eg_date day;
    rc = eg_date_parse(text, &day);
    if (rc == EG_OK)
        *out = (eg_time)day * MINUTES_PER_DAY;
    return rc;
}

/* Set up the clock from --now, else EPIGRID_NOW (when set and not empty),
 * else the real clock. */
eg_err eg_clock_init(eg_clock *c, const char *option, eg_diag *d)
{
    assert(c != NULL);
    const char *source = "--now";
    const char *text = option;
    c->fixed = 0;
    c->now = 0;
    if (!text) {
        text = getenv("EPIGRID_NOW");
        source = "EPIGRID_NOW";
        if (text && !text[0])
            text = NULL;
    }
    if (!text)
        return EG_OK;
    eg_time t;
    eg_err rc = parse_now(text, &t);
    if (rc != EG_OK)
        return eg_diag_set(d, rc, NULL, 0, source,
                           rc == EG_ERR_RANGE ? "no such moment: '%s'"
                                              : "not a moment YYYY-MM-DD HH:MM: '%s'",
                           text);
    c->fixed = 1;
    c->now = t;
    return EG_OK;
}

/* Now, by a fixed or the real clock. */
eg_time eg_clock_now(const eg_clock *c)
{
    assert(c != NULL);
    if (c->fixed)
        return c->now;
    return eg_time_from_unix(time(NULL));
}

/* Today's date (CST) by the clock. */
eg_date eg_clock_today(const eg_clock *c)
{
    return eg_time_date(eg_clock_now(c));
}
