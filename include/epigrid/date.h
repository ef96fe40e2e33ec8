/*
 * epigrid/date.h: calendar dates, moments and the one clock.
 *
 * Dates are whole days since 1970-01-01 in the proleptic Gregorian calendar
 * (civil-from-days arithmetic after H. Hinnant, "chrono-compatible low-level
 * date algorithms"); no mktime, no time zone database. Every moment is
 * China Standard Time, fixed at UTC+8 without daylight saving
 * (spec/formats.md), and counted in minutes since 1970-01-01 00:00 CST.
 * A date never passes through UTC.
 */
#ifndef EPIGRID_DATE_H
#define EPIGRID_DATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "epigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Days since 1970-01-01 (may be negative). */
typedef int32_t eg_date;
/* Minutes since 1970-01-01 00:00 China Standard Time (UTC+8). */
typedef int64_t eg_time;

/* "No date" marker for optional dates in records (never a valid day:
 * below EG_DATE_MIN_YEAR). */
#define EG_NO_DATE INT32_MIN

/* Supported years: 1000..9999 (four-digit years only). */
#define EG_DATE_MIN_YEAR 1000
#define EG_DATE_MAX_YEAR 9999
/* Buffer sizes for the formatters, including the NUL. */
#define EG_DATE_BUFSZ 11   /* "YYYY-MM-DD" */
#define EG_TIME_BUFSZ 17   /* "YYYY-MM-DD HH:MM" */
/* Offset of China Standard Time from UTC, in minutes. */
#define EG_CST_OFFSET_MIN (8 * 60)

/* 1 if `year` is a Gregorian leap year (divisible by 4, not by 100 unless
 * by 400: 2000 is, 1900 is not), else 0. */
int eg_is_leap_year(int year);

/* Days in month `month` (1..12) of `year`; 0 if month is out of range. */
int eg_days_in_month(int year, int month);

/* Build a date from year, month (1..12), day (1..31). Returns EG_OK, or
 * EG_ERR_RANGE when the triple is not a real calendar day (2019-02-29,
 * 2020-04-31) or the year is outside EG_DATE_MIN_YEAR..EG_DATE_MAX_YEAR. */
eg_err eg_date_from_ymd(int year, int month, int day, eg_date *out);

/* Split a date into year, month (1..12), day (1..31). Any pointer may be
 * NULL. Never fails. */
void eg_date_to_ymd(eg_date d, int *year, int *month, int *day);

/* Day of week, 1 = Monday .. 7 = Sunday (ISO 8601). */
int eg_date_weekday(eg_date d);

/*
 * Parse a date in one of the forms accepted by spec/formats.md:
 * `YYYY-MM-DD`, `YYYY/M/D` (one or two digits for month and day) and
 * `YYYYMMDD`. Blanks around the text are ignored. Every other form
 * (`3.2.2020`, `03/02/2020`, `20/2/3`, spreadsheet serials such as `43864`)
 * is rejected, never guessed.
 * Returns EG_OK; EG_ERR_PARSE for a form that is not accepted;
 * EG_ERR_RANGE for an accepted form naming no real day (2021-02-29).
 * `s` must be NUL-terminated.
 */
eg_err eg_date_parse(const char *s, eg_date *out);

/* Write `d` as `YYYY-MM-DD` into buf (at least EG_DATE_BUFSZ bytes).
 * Returns buf. */
char *eg_date_format(eg_date d, char *buf);

/* Build a moment from a date and a time of day (hour 0..23, minute 0..59).
 * Returns EG_OK or EG_ERR_RANGE. */
eg_err eg_time_from_parts(eg_date d, int hour, int minute, eg_time *out);

/* The calendar date (CST) of a moment. */
eg_date eg_time_date(eg_time t);

/* Minutes since midnight (0..1439) of a moment. */
int eg_time_minute_of_day(eg_time t);

/*
 * Parse a moment `YYYY-MM-DD HH:MM` (the date part in any form that
 * eg_date_parse accepts; a `T` is accepted instead of the blank; `:SS`
 * seconds are accepted and dropped). Returns EG_OK, EG_ERR_PARSE or
 * EG_ERR_RANGE (hour 24, minute 60, impossible date).
 */
eg_err eg_time_parse(const char *s, eg_time *out);

/* Parse a time of day `HH:MM` into minutes since midnight (0..1439).
 * Returns EG_OK, EG_ERR_PARSE or EG_ERR_RANGE. */
eg_err eg_time_of_day_parse(const char *s, int *minutes);

/* Write `t` as `YYYY-MM-DD HH:MM` into buf (at least EG_TIME_BUFSZ
 * bytes). Returns buf. */
char *eg_time_format(eg_time t, char *buf);

/* The moment (CST) of a POSIX time (seconds since the epoch, UTC). */
eg_time eg_time_from_unix(time_t unix_seconds);

/*
 * eg_clock: the one notion of "now" (spec/api.md). A value, not a global:
 * every command and the server carry one. A fixed clock (from `--now` or
 * EPIGRID_NOW) always answers the same moment; a real clock reads the
 * system clock and converts it to CST.
 */
typedef struct eg_clock {
    int fixed;       /* 1 when `now` is fixed, 0 for the real clock */
    eg_time now;     /* the fixed moment when fixed */
} eg_clock;

/*
 * Set up a clock. `option` is the `--now` text (may be NULL); when NULL,
 * the environment variable EPIGRID_NOW is used; when neither is set the
 * clock is the real clock. Returns EG_OK, or EG_ERR_PARSE / EG_ERR_RANGE
 * when the text is not a moment (see eg_time_parse; a bare date means
 * 00:00 of that day). `d` (may be NULL) says which source was bad.
 */
eg_err eg_clock_init(eg_clock *c, const char *option, eg_diag *d);

/* The current moment by clock `c`. */
eg_time eg_clock_now(const eg_clock *c);

/* Today's date by clock `c` (CST). */
eg_date eg_clock_today(const eg_clock *c);

#ifdef __cplusplus
}
#endif
#endif
