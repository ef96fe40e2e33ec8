/*
 * screening/fallback.c: the rows that the fast path of the batch mode
 * does not take are not guessed at: they are collected (with the file's
 * header) in memory and read in batches through eg_csv and the row
 * readers, exactly as an import would read them. Messages are rewritten
 * to the rows' real line numbers before they reach the caller's report
 * callback and rejects file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "epigrid/csv.h"
#include "screening/internal.h"

/* Rows per batch. */
#define BATCH_ROWS 4096

/* Where a row of the batch starts: in the memory stream and in the file. */
typedef struct row_pos {
    unsigned long mem_line, real_line;
} row_pos;

struct eg_fallback {
    char name[256];
    char *buf;                   /* header, then rows, each ending in '\n' */
    size_t hlen, len, cap;
    unsigned long hdr_lines;     /* lines of the header record */
    unsigned long mem_next;      /* memory line of the next row added */
    row_pos *rows;
    size_t nrows;
    unsigned long first_line;    /* the file's first data row */
    const eg_import_opts *o;     /* the caller's options */
    eg_import_opts wrapped;      /* with our report callback */
    eg_import_result *res;
    eg_fallback_row_fn fn;
    void *ctx;
    eg_csv *csv;                 /* the reader of the batch being read */
};

/* Real line of memory line m. */
static unsigned long real_line(const eg_fallback *f, unsigned long m)
{
    size_t lo = 0, hi = f->nrows;
    while (lo < hi) { /* last row starting at or before m */
        size_t mid = lo + (hi - lo) / 2;
        if (f->rows[mid].mem_line <= m)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return m;
    return f->rows[lo - 1].real_line + (m - f->rows[lo - 1].mem_line);
}

/* Report callback: fix the line and the file, then do what the import
 * driver would (the caller's report, the rejects file). */
static void report(void *ctx, const eg_diag *d, int is_warning)
{
    eg_fallback *f = ctx;
    eg_diag fixed = *d;
    const eg_import_opts *o = f->o;
    fixed.line = real_line(f, d->line);
    snprintf(fixed.file, sizeof fixed.file, "%s", f->name);
    if (o->report)
        o->report(o->report_ctx, &fixed, is_warning);
    if (o->rejects) /* a failed write shows in the file's error flag */
        eg_import_write_reject(o->rejects, &fixed, is_warning, f->csv ? eg_csv_raw(f->csv) : "");
}

/* Append bytes to the buffer. */
static eg_err append(eg_fallback *f, const char *s, size_t n)
{
    if (f->len + n + 1 > f->cap) {
        size_t cap = f->cap ? f->cap : 65536;
        while (cap < f->len + n + 1)
            cap *= 2;
        char *nb = realloc(f->buf, cap);
        if (!nb)
            return EG_ERR_NOMEM;
        f->buf = nb;
        f->cap = cap;
    }
    memcpy(f->buf + f->len, s, n);
    f->len += n;
    return EG_OK;
}

/* Line breaks in s[0..n). */
static unsigned long count_lf(const char *s, size_t n)
{
    unsigned long k = 0;
    for (const char *p = memchr(s, '\n', n); p; p = memchr(p + 1, '\n', n - (size_t)(p + 1 - s)))
        k++;
    return k;
}

eg_err eg_fallback_new(eg_fallback **out, const char *name, const char *hdr, size_t hlen,
                       unsigned long first_line, const eg_import_opts *o, eg_import_result *res,
                       eg_fallback_row_fn fn, void *ctx)
{
    eg_fallback *f = calloc(1, sizeof *f);
    if (!f)
        return EG_ERR_NOMEM;
    snprintf(f->name, sizeof f->name, "%s", name);
    f->rows = malloc(BATCH_ROWS * sizeof *f->rows);
    if (!f->rows || append(f, hdr, hlen) || append(f, "\n", 1)) {
        eg_fallback_free(f);
        return EG_ERR_NOMEM;
    }
    f->hlen = f->len;
    f->hdr_lines = count_lf(hdr, hlen) + 1;
    f->mem_next = f->hdr_lines + 1;
    f->first_line = first_line;
    f->o = o;
    f->wrapped = *o;
    f->wrapped.report = report;
    f->wrapped.report_ctx = f;
    f->wrapped.rejects = NULL;
    f->res = res;
    f->fn = fn;
    f->ctx = ctx;
    *out = f;
    return EG_OK;
}

void eg_fallback_free(eg_fallback *f)
{
    if (!f)
        return;
    free(f->buf);
    free(f->rows);
    free(f);
}

eg_err eg_fallback_add(eg_fallback *f, const char *rec, size_t len, unsigned long line, eg_diag *d)
{
    eg_err e;
    if (f->nrows == BATCH_ROWS && (e = eg_fallback_flush(f, d)))
        return e;
    size_t at = f->len;
    if ((e = append(f, rec, len)) || (e = append(f, "\n", 1)))
        return e;
    f->rows[f->nrows++] = (row_pos){ f->mem_next, line };
    f->mem_next += count_lf(rec, len) + 1;
    /* a record that ends inside a quoted field (its quote was never closed
     * in the file, or not within the reader's look-ahead) must be read with
     * nothing after it, as the reader found it: otherwise the quote would
     * close in the next kept record, which in the file was far away */
    unsigned long nl;
    if (eg_csv_record_len(f->buf + at, len + 1, 0, &nl) == 0)
        return eg_fallback_flush(f, d);
    return EG_OK;
}

eg_err eg_fallback_flush(eg_fallback *f, eg_diag *d)
{
    eg_csv *csv = NULL;
    eg_err e = EG_OK;
    FILE *mf;
    if (f->nrows == 0)
        return EG_OK;
    mf = fmemopen(f->buf, f->len, "r");
    if (!mf)
        return EG_ERR_NOMEM;
    e = eg_csv_open_stream(mf, f->name, &csv, d);
    if (!e && f->rows[0].real_line != f->first_line)
        eg_csv_rows_before(csv, 1); /* its first row is not the file's */
    f->csv = csv;
    while (!e) {
        eg_diag rd;
        eg_diag_clear(&rd);
        e = eg_csv_next(csv, &rd);
        if (e == EG_ERR_EOF) {
            e = EG_OK;
            break;
        }
        if (e == EG_OK) {
            f->res->rows++;
            e = f->fn(f->ctx, csv, &f->wrapped, f->res, real_line(f, eg_csv_line(csv)));
            continue;
        }
        if (e == EG_ERR_PARSE || e == EG_ERR_ENCODING) {
            unsigned long m = rd.line ? rd.line : eg_csv_line(csv);
            if (e == EG_ERR_ENCODING && real_line(f, m) == f->first_line) {
                /* the file's first data row: refuse the file as a whole */
                if (d) {
                    *d = rd;
                    d->line = f->first_line;
                }
                break;
            }
            f->res->rows++;
            rd.line = m;
            report(f, &rd, 0);
            f->res->rejected++;
            e = EG_OK;
            continue;
        }
        break; /* EG_ERR_IO and the like */
    }
    f->csv = NULL;
    eg_csv_close(csv);
    fclose(mf);
    f->len = f->hlen;
    f->nrows = 0;
    f->mem_next = f->hdr_lines + 1;
    return e;
}
