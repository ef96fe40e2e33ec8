/*
 * analysis/incidence.c: daily incidence for the analysis, from arrays and
 * from incidence.csv (spec/formats.md): `date,local,imported`, or
 * `t,local,imported`, or EpiEstim's `dates` and `I`. Counts are
 * non-negative integers; a missing day is 0 and reported; a repeated day
 * and weekly (fixed k-day) data are refused. All day-1 cases are imported,
 * as EpiEstim's process_I makes them.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "epigrid/analysis.h"
#include "epigrid/csv.h"

/* Longest series accepted (about 2,700 years of days). */
#define MAX_DAYS 1000000

/* Zeroed arrays for n days. */
eg_err eg_incidence_alloc(eg_incidence *inc, size_t n)
{
    if (n == 0)
        return EG_ERR_INVALID;
    memset(inc, 0, sizeof *inc);
    inc->local = calloc(n, sizeof *inc->local);
    inc->imported = calloc(n, sizeof *inc->imported);
    if (!inc->local || !inc->imported) {
        free(inc->local);
        free(inc->imported);
        memset(inc, 0, sizeof *inc);
        return EG_ERR_NOMEM;
    }
    inc->n = n;
    return EG_OK;
}

/* Release the arrays. */
void eg_incidence_free(eg_incidence *inc)
{
    if (!inc)
        return;
    free(inc->local);
    free(inc->imported);
    memset(inc, 0, sizeof *inc);
}

/* process_I: day-1 local cases are imported. */
void eg_incidence_first_day_imported(eg_incidence *inc)
{
    if (!inc || inc->n == 0)
        return;
    inc->imported[0] += inc->local[0];
    inc->local[0] = 0;
}

/* EpiEstim given a vector of totals. */
eg_err eg_incidence_from_totals(const double *I, size_t n, eg_incidence *out, eg_diag *d)
{
    if (n == 0)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "I", "no days of incidence");
    for (size_t t = 0; t < n; t++)
        if (!isfinite(I[t]) || I[t] < 0 || I[t] != floor(I[t]))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "I",
                               "day %zu: %g is not a non-negative whole count", t + 1, I[t]);
    eg_err e = eg_incidence_alloc(out, n);
    if (e)
        return e;
    memcpy(out->local, I, n * sizeof *I);
    eg_incidence_first_day_imported(out);
    return EG_OK;
}

/* A non-negative integer count: digits only (no sign, no fraction, no
 * exponent, not NA); at most 15 digits so that it is exact as a double. */
static int parse_count(const char *s, double *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 15)
        return -1;
    double v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* Why a count field is refused, for the message. */
static const char *count_reason(const char *s)
{
    if (!*s)
        return "empty count";
    if (!strcmp(s, "NA") || !strcmp(s, "na") || !strcmp(s, "NaN"))
        return "NA is not a count";
    if (s[0] == '-')
        return "negative count";
    if (strchr(s, '.') || strchr(s, ','))
        return "a fraction is not a count";
    return "not a non-negative whole number";
}

/* A day index `t`: an integer (may be negative). */
static int parse_index(const char *s, int64_t *out)
{
    char *end;
    if (!*s)
        return -1;
    long long v = strtoll(s, &end, 10);
    if (*end || v < -MAX_DAYS * 10LL || v > MAX_DAYS * 10LL)
        return -1;
    *out = v;
    return 0;
}

typedef struct inc_row {
    int64_t day;
    double local, imported;
    unsigned long line;
} inc_row;

/* Order rows by day. */
static int cmp_row(const void *a, const void *b)
{
    const inc_row *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

/* Write a day as a date or as `t = N`. */
static void day_text(int dated, int64_t day, char *buf, size_t size)
{
    if (dated) {
        char tmp[EG_DATE_BUFSZ];
        snprintf(buf, size, "%s", eg_date_format((eg_date)day, tmp));
    } else {
        snprintf(buf, size, "t = %lld", (long long)day);
    }
}

/* Read incidence.csv. */
eg_err eg_incidence_read_csv(const char *path, eg_incidence *out, eg_an_notes *notes,
                             eg_diag *d)
{
    eg_csv *r = NULL;
    eg_err e = eg_csv_open(path, &r, d);
    if (e)
        return e;
    size_t iday = 0, il = 0, ii = 0, iI = 0;
    int dated = 1;
    const char *daycol = "date";
    if (eg_csv_has(r, "date"))
        eg_csv_find(r, "date", &iday, NULL);
    else if (eg_csv_has(r, "dates")) {
        eg_csv_find(r, "dates", &iday, NULL);
        daycol = "dates";
    } else if (eg_csv_has(r, "t")) {
        eg_csv_find(r, "t", &iday, NULL);
        dated = 0;
        daycol = "t";
    } else {
        eg_csv_close(r);
        return eg_diag_set(d, EG_ERR_MISSING_COLUMN, path, 1, "date",
                           "required column date (or t, or dates) is missing");
    }
    int has_l = eg_csv_has(r, "local"), has_i = eg_csv_has(r, "imported"), has_I = eg_csv_has(r, "I");
    if (!has_l && !has_I) {
        eg_csv_close(r);
        return eg_diag_set(d, EG_ERR_MISSING_COLUMN, path, 1, "local",
                           "required column local (or I) is missing");
    }
    if (has_l)
        eg_csv_find(r, "local", &il, NULL);
    if (has_i)
        eg_csv_find(r, "imported", &ii, NULL);
    if (has_I)
        eg_csv_find(r, "I", &iI, NULL);

    size_t n = 0, cap = 256;
    inc_row *rows = malloc(cap * sizeof *rows);
    if (!rows) {
        eg_csv_close(r);
        return EG_ERR_NOMEM;
    }
    for (;;) {
        e = eg_csv_next(r, d);
        if (e == EG_ERR_EOF) {
            e = EG_OK;
            break;
        }
        if (e)
            goto fail;
        unsigned long line = eg_csv_line(r);
        inc_row row = {0, 0, 0, line};
        const char *f = eg_csv_field(r, iday);
        if (dated) {
            eg_date dt;
            if (eg_date_parse(f, &dt)) {
                e = eg_diag_set(d, EG_ERR_PARSE, path, line, daycol,
                                "'%s' is not a date (YYYY-MM-DD, YYYY/M/D or YYYYMMDD)", f);
                goto fail;
            }
            row.day = dt;
        } else if (parse_index(f, &row.day)) {
            e = eg_diag_set(d, EG_ERR_PARSE, path, line, "t", "'%s' is not a whole day number", f);
            goto fail;
        }
        double vl = 0, vi = 0, vI = 0;
        if (has_l && parse_count(f = eg_csv_field(r, il), &vl)) {
            e = eg_diag_set(d, EG_ERR_PARSE, path, line, "local", "'%s': %s", f, count_reason(f));
            goto fail;
        }
        if (has_i && parse_count(f = eg_csv_field(r, ii), &vi)) {
            e = eg_diag_set(d, EG_ERR_PARSE, path, line, "imported", "'%s': %s", f, count_reason(f));
            goto fail;
        }
        if (has_I && parse_count(f = eg_csv_field(r, iI), &vI)) {
            e = eg_diag_set(d, EG_ERR_PARSE, path, line, "I", "'%s': %s", f, count_reason(f));
            goto fail;
        }
        if (has_l) {
            row.local = vl;
            row.imported = vi;
            if (has_I && has_i && vI != vl + vi) {
                e = eg_diag_set(d, EG_ERR_INVALID, path, line, "I",
                                "I = %.0f is not local + imported = %.0f", vI, vl + vi);
                goto fail;
            }
            if (has_I && !has_i && vI < vl) {
                e = eg_diag_set(d, EG_ERR_INVALID, path, line, "I",
                                "I = %.0f is less than local = %.0f", vI, vl);
                goto fail;
            }
            if (has_I && !has_i)
                row.imported = vI - vl;
        } else {
            row.local = vI;
            row.imported = has_i ? vi : 0;
            if (has_i) {
                if (vi > vI) {
                    e = eg_diag_set(d, EG_ERR_INVALID, path, line, "imported",
                                    "imported = %.0f is more than I = %.0f", vi, vI);
                    goto fail;
                }
                row.local = vI - vi;
            }
        }
        if (n == cap) {
            inc_row *p = realloc(rows, 2 * cap * sizeof *p);
            if (!p) {
                e = EG_ERR_NOMEM;
                goto fail;
            }
            rows = p;
            cap *= 2;
        }
        rows[n++] = row;
    }
    eg_csv_close(r);
    r = NULL;
    if (n == 0) {
        e = eg_diag_set(d, EG_ERR_INVALID, path, 0, NULL, "no data rows");
        goto fail;
    }
    qsort(rows, n, sizeof *rows, cmp_row);
    char b1[32], b2[32];
    for (size_t i = 1; i < n; i++)
        if (rows[i].day == rows[i - 1].day) {
            day_text(dated, rows[i].day, b1, sizeof b1);
            e = eg_diag_set(d, EG_ERR_INVALID, path,
                            rows[i].line > rows[i - 1].line ? rows[i].line : rows[i - 1].line, daycol,
                            "%s is repeated (lines %lu and %lu)", b1,
                            rows[i].line < rows[i - 1].line ? rows[i].line : rows[i - 1].line,
                            rows[i].line > rows[i - 1].line ? rows[i].line : rows[i - 1].line);
            goto fail;
        }
    if (n >= 2) {
        int64_t step = rows[1].day - rows[0].day;
        int fixed = step > 1;
        for (size_t i = 2; fixed && i < n; i++)
            if (rows[i].day - rows[i - 1].day != step)
                fixed = 0;
        if (fixed) {
            e = eg_diag_set(d, EG_ERR_INVALID, path, 0, daycol,
                            "every day is %lld days after the previous one: this is %s data, not "
                            "daily counts; give one row per day",
                            (long long)step, step == 7 ? "weekly" : "aggregated");
            goto fail;
        }
    }
    int64_t span = rows[n - 1].day - rows[0].day + 1;
    if (span > MAX_DAYS) {
        e = eg_diag_set(d, EG_ERR_RANGE, path, 0, daycol, "the days span %lld days, more than %d",
                        (long long)span, MAX_DAYS);
        goto fail;
    }
    if ((e = eg_incidence_alloc(out, (size_t)span)))
        goto fail;
    out->has_dates = dated;
    out->first = dated ? (eg_date)rows[0].day : 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)(rows[i].day - rows[0].day);
        out->local[k] = rows[i].local;
        out->imported[k] = rows[i].imported;
        if (i > 0 && rows[i].day - rows[i - 1].day > 1) {
            day_text(dated, rows[i - 1].day + 1, b1, sizeof b1);
            day_text(dated, rows[i].day - 1, b2, sizeof b2);
            e = eg_an_notes_add(notes, path, rows[i].line, daycol,
                                "warning: no row for %s%s%s: counted as 0 cases", b1,
                                rows[i].day - rows[i - 1].day > 2 ? " to " : "",
                                rows[i].day - rows[i - 1].day > 2 ? b2 : "");
            if (e) {
                eg_incidence_free(out);
                goto fail;
            }
        }
    }
    free(rows);
    eg_incidence_first_day_imported(out);
    return EG_OK;
fail:
    eg_csv_close(r);
    free(rows);
    return e;
}

/* Keep the days from..to of a dated series. */
eg_err eg_incidence_slice(eg_incidence *inc, eg_date from, eg_date to, eg_diag *d)
{
    if (!inc->has_dates)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "from",
                           "--from/--to need dated incidence (a date column)");
    eg_date first = inc->first, last = inc->first + (eg_date)inc->n - 1;
    eg_date f = from == EG_AN_NO_DATE ? first : from;
    eg_date t = to == EG_AN_NO_DATE ? last : to;
    char b1[EG_DATE_BUFSZ], b2[EG_DATE_BUFSZ], b3[EG_DATE_BUFSZ], b4[EG_DATE_BUFSZ];
    if (from != EG_AN_NO_DATE && to != EG_AN_NO_DATE && from > to)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "from", "--from %s is after --to %s",
                           eg_date_format(f, b1), eg_date_format(t, b2));
    if (f < first)
        f = first;
    if (t > last)
        t = last;
    if (f > t)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "from",
                           "the data run from %s to %s: nothing between %s and %s",
                           eg_date_format(first, b1), eg_date_format(last, b2),
                           eg_date_format(from == EG_AN_NO_DATE ? first : from, b3),
                           eg_date_format(to == EG_AN_NO_DATE ? last : to, b4));
    size_t off = (size_t)(f - first), n = (size_t)(t - f) + 1;
    memmove(inc->local, inc->local + off, n * sizeof *inc->local);
    memmove(inc->imported, inc->imported + off, n * sizeof *inc->imported);
    inc->n = n;
    inc->first = f;
    eg_incidence_first_day_imported(inc);
    return EG_OK;
}
