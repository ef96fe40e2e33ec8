/*
 * analysis/series.c: daily counts from a published cumulative series
 * (spec/formats.md, "Published cumulative series"; the bundled
 * data/real/covid_city_daily_*.csv). A province code selects the file's
 * `(province total)` rows, never a sum of its cities; a city code its own
 * rows. Daily counts are the differences; a decrease is a correction: that
 * day counts 0 and the decrease is taken back from the nearest earlier
 * days with counts, latest first; every correction is reported. The first
 * day counts as imported (EpiEstim).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>

#include "epigrid/analysis.h"
#include "epigrid/code.h"
#include "epigrid/csv.h"

/* Differences with the correction rule. */
eg_err eg_cumulative_to_daily(const double *cum, size_t n, double *daily,
                              eg_correction_cb on_correction, void *ctx)
{
    for (size_t t = 0; t < n; t++)
        if (!isfinite(cum[t]) || cum[t] < 0 || cum[t] != floor(cum[t]))
            return EG_ERR_INVALID;
    size_t *from = NULL;
    double *taken = NULL;
    if (n > 0) {
        from = malloc(n * sizeof *from);
        taken = malloc(n * sizeof *taken);
        if (!from || !taken) {
            free(from);
            free(taken);
            return EG_ERR_NOMEM;
        }
    }
    for (size_t t = 0; t < n; t++) {
        double diff = t == 0 ? cum[0] : cum[t] - cum[t - 1];
        if (diff >= 0) {
            daily[t] = diff;
            continue;
        }
        daily[t] = 0;
        double rest = -diff;
        size_t nf = 0;
        for (size_t s = t; s-- > 0 && rest > 0;) {
            if (daily[s] <= 0)
                continue;
            double k = daily[s] < rest ? daily[s] : rest;
            daily[s] -= k;
            rest -= k;
            from[nf] = s;
            taken[nf++] = k;
        }
        /* rest is 0 here: the counts before t sum to cum[t-1] >= -diff */
        if (on_correction)
            on_correction(ctx, t, -diff, from, taken, nf);
    }
    free(from);
    free(taken);
    return EG_OK;
}

typedef struct srow {
    eg_date date;
    double cum;
    unsigned long line;
} srow;

/* Order rows by date. */
static int cmp_srow(const void *a, const void *b)
{
    const srow *x = a, *y = b;
    return (x->date > y->date) - (x->date < y->date);
}

/* Context of the correction callback. */
typedef struct corr_ctx {
    eg_an_notes *notes;
    const char *path, *column;
    eg_date first;
    const double *cum;
    const unsigned long *line;
    eg_err err;
} corr_ctx;

/* Report one correction as a note. */
static void on_corr(void *vctx, size_t day, double decrease, const size_t *from,
                    const double *taken, size_t n_from)
{
    corr_ctx *c = vctx;
    char buf[200], db[EG_DATE_BUFSZ];
    size_t off = 0;
    buf[0] = 0;
    for (size_t i = 0; i < n_from && off < sizeof buf; i++) {
        int k = snprintf(buf + off, sizeof buf - off, "%s%s (%.0f)", i ? ", " : "",
                         eg_date_format(c->first + (eg_date)from[i], db), taken[i]);
        if (k < 0)
            break;
        off += (size_t)k;
    }
    char dd[EG_DATE_BUFSZ];
    eg_err e = eg_an_notes_add(c->notes, c->path, c->line[day], c->column,
                               "correction on %s: cumulative fell from %.0f to %.0f; the day "
                               "counts 0 and %.0f taken back from %s",
                               eg_date_format(c->first + (eg_date)day, dd), c->cum[day - 1],
                               c->cum[day], decrease, buf);
    if (e)
        c->err = e;
}

/* Load a region's cumulative column and turn it into daily counts. */
eg_err eg_incidence_read_series(const char *path, const char *region, const char *column,
                                eg_incidence *out, eg_an_notes *notes, eg_diag *d)
{
    char want[EG_CODE_BUFSZ];
    if (!region || eg_code_short(region, want))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "region",
                           "'%s' is not a division code", region ? region : "");
    size_t wl = strlen(want);
    if (wl != 2 && wl != 4)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "region",
                           "the series files hold provinces (2 digits) and cities (4 digits), not %s",
                           want);
    eg_csv *r = NULL;
    eg_err e = eg_csv_open(path, &r, d);
    if (e)
        return e;
    size_t idate, ipc, icity, icc, ival;
    if ((e = eg_csv_find(r, "date", &idate, d)) || (e = eg_csv_find(r, "province_code", &ipc, d)) ||
        (e = eg_csv_find(r, "city", &icity, d)) || (e = eg_csv_find(r, "city_code", &icc, d)) ||
        (e = eg_csv_find(r, column, &ival, d))) {
        if (d && !d->file[0])
            snprintf(d->file, sizeof d->file, "%s", path);
        eg_csv_close(r);
        return e;
    }
    size_t n = 0, cap = 256;
    srow *rows = malloc(cap * sizeof *rows);
    double *cum = NULL, *daily = NULL;
    unsigned long *lines = NULL;
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
        char code[EG_CODE_BUFSZ];
        int match;
        if (wl == 2)
            match = !strcmp(eg_csv_field(r, icity), "(province total)") &&
                    !eg_code_short(eg_csv_field(r, ipc), code) && !strcmp(code, want);
        else
            match = !eg_code_short(eg_csv_field(r, icc), code) && !strcmp(code, want);
        if (!match)
            continue;
        unsigned long line = eg_csv_line(r);
        const char *f = eg_csv_field(r, idate);
        srow row = {0, 0, line};
        if (eg_date_parse(f, &row.date)) {
            e = eg_diag_set(d, EG_ERR_PARSE, path, line, "date", "'%s' is not a date", f);
            goto fail;
        }
        f = eg_csv_field(r, ival);
        char *end;
        double v = strtod(f, &end);
        if (!*f || *end || !(v >= 0) || v != floor(v) || v > 1e15) {
            e = eg_diag_set(d, EG_ERR_PARSE, path, line, column,
                            "'%s' is not a non-negative whole cumulative count", f);
            goto fail;
        }
        row.cum = v;
        if (n == cap) {
            srow *p = realloc(rows, 2 * cap * sizeof *p);
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
        e = eg_diag_set(d, EG_ERR_INVALID, path, 0, "region", "no rows for region %s%s", want,
                        wl == 2 ? " (province total)" : "");
        goto fail;
    }
    qsort(rows, n, sizeof *rows, cmp_srow);
    for (size_t i = 1; i < n; i++)
        if (rows[i].date == rows[i - 1].date) {
            char db[EG_DATE_BUFSZ];
            e = eg_diag_set(d, EG_ERR_INVALID, path, rows[i].line, "date",
                            "%s appears twice for region %s (lines %lu and %lu)",
                            eg_date_format(rows[i].date, db), want, rows[i - 1].line, rows[i].line);
            goto fail;
        }
    size_t T = (size_t)(rows[n - 1].date - rows[0].date) + 1;
    cum = malloc(T * sizeof *cum);
    daily = malloc(T * sizeof *daily);
    lines = malloc(T * sizeof *lines);
    if (!cum || !daily || !lines) {
        e = EG_ERR_NOMEM;
        goto fail;
    }
    for (size_t i = 0, t = 0; t < T; t++) {
        eg_date day = rows[0].date + (eg_date)t;
        if (rows[i].date == day) {
            cum[t] = rows[i].cum;
            lines[t] = rows[i].line;
            i++;
        } else {
            char db[EG_DATE_BUFSZ];
            cum[t] = cum[t - 1];
            lines[t] = rows[i].line;
            if ((e = eg_an_notes_add(notes, path, 0, column,
                                     "warning: no row for %s on %s: cumulative %.0f carried "
                                     "forward (0 new)", want, eg_date_format(day, db), cum[t])))
                goto fail;
        }
    }
    corr_ctx cc = {notes, path, column, rows[0].date, cum, lines, EG_OK};
    if ((e = eg_cumulative_to_daily(cum, T, daily, on_corr, &cc)) || (e = cc.err))
        goto fail;
    if ((e = eg_incidence_alloc(out, T)))
        goto fail;
    memcpy(out->local, daily, T * sizeof *daily);
    out->has_dates = 1;
    out->first = rows[0].date;
    eg_incidence_first_day_imported(out);
fail:
    eg_csv_close(r);
    free(rows);
    free(cum);
    free(daily);
    free(lines);
    return e;
}
