/*
 * epigrid/import.h: what every importer shares.
 *
 * An import reads one CSV file (epigrid/csv.h) and stores its good rows in
 * one transaction; each bad row is reported as `FILE:LINE: column: reason`
 * and written with its reason to the rejects file; a warning (the row is
 * imported) is reported the same way and marked as a warning
 * (spec/formats.md). A file refused as a whole (missing column, not UTF-8)
 * stores nothing.
 */
#ifndef EPIGRID_IMPORT_H
#define EPIGRID_IMPORT_H

#include <stdio.h>
#include "epigrid/csv.h"
#include "epigrid/date.h"
#include "epigrid/error.h"
/* The store handle (epigrid/store.h), named only: core code that shares
 * this header (src/core/import.c: rejects files) does not see the store. */
typedef struct eg_store eg_store;

#ifdef __cplusplus
extern "C" {
#endif

/* Called for every rejected row (is_warning 0) and warning (1). */
typedef void (*eg_import_report_fn)(void *ctx, const eg_diag *d, int is_warning);

/* Options of one import. All fields may be zero/NULL. */
typedef struct eg_import_opts {
    FILE *rejects;              /* rejects file (CSV: line,column,severity,reason,row), not owned */
    eg_import_report_fn report; /* where messages go (the CLI prints them) */
    void *report_ctx;
    eg_time now;                /* the clock's moment (stamps, "future" checks) */
    const char *actor;          /* who imports ("os:alice"), for the import log */
    void (*progress)(void *ctx, unsigned long long bytes_done, unsigned long rows);
    void *progress_ctx;
    int synthetic;              /* 1: mark every stored record synthetic (drill data) */
} eg_import_opts;

/* Counts of one import. */
typedef struct eg_import_result {
    long rows;       /* data rows read (good and bad) */
    long imported;   /* rows stored (new or updated) */
    long updated;    /* of which updated an existing record */
    long rejected;   /* rows refused */
    long warnings;   /* warnings (on stored rows) */
} eg_import_result;

/* Write the header line of a rejects file
 * (`file,line,column,severity,reason,row`). Returns EG_OK or EG_ERR_IO. */
eg_err eg_import_rejects_header(FILE *f);

/* Write one line of a rejects file: d's file, line, column and reason,
 * `warning` or `error` (warn), and the row's raw text (NULL: empty), each
 * field as eg_csv_write_field writes it. Returns EG_OK or EG_ERR_IO. */
eg_err eg_import_write_reject(FILE *f, const eg_diag *d, int warn, const char *raw);

/*
 * Record a rejected row: count it, call opts->report and append
 * `line,column,error,reason,raw row` to opts->rejects. `d` names the line,
 * column and reason. Never fails (a rejects file write error is reported
 * through the returned code, which callers may ignore: EG_OK or EG_ERR_IO).
 */
eg_err eg_import_reject(const eg_import_opts *o, eg_import_result *res,
                        const eg_csv *csv, const eg_diag *d);

/* Same as eg_import_reject for a row read earlier: `raw` is its text. */
eg_err eg_import_reject_raw(const eg_import_opts *o, eg_import_result *res, const char *raw,
                            const eg_diag *d);

/* Record a warning on a stored row (same as a reject, severity
 * "warning"; counts res->warnings). */
eg_err eg_import_warn(const eg_import_opts *o, eg_import_result *res,
                      const eg_csv *csv, const eg_diag *d);

/* Shorthand: fill a diag for the current row of `csv`, column `col`, with
 * a printf reason, then reject (is_warning 0) or warn (1). */
eg_err eg_import_rowf(const eg_import_opts *o, eg_import_result *res, const eg_csv *csv,
                      int is_warning, const char *col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/*
 * An importer: the callbacks that make one kind of file.
 * setup: find the columns (eg_csv_find) and prepare; an error refuses the
 *        file as a whole (EG_ERR_MISSING_COLUMN with d filled).
 * row:   check and store the current row; bad rows are rejected through
 *        eg_import_reject/eg_import_rowf and return EG_OK; any other
 *        return (EG_ERR_DB, EG_ERR_NOMEM) aborts the import.
 * finish: optional, after the last row, inside the transaction (deferred
 *        checks); may reject and store.
 */
typedef struct eg_importer {
    const char *kind;    /* "divisions", "staff", "persons", ... */
    eg_err (*setup)(void *ctx, eg_csv *csv, eg_diag *d);
    eg_err (*row)(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res);
    eg_err (*finish)(void *ctx, const eg_import_opts *o, eg_import_result *res);
} eg_importer;

/*
 * Run an import: open `path` (eg_csv_open), call imp->setup, then
 * imp->row for every good CSV row, all in one transaction of `s`; rows the
 * CSV reader refuses (broken quoting, invalid UTF-8) are rejected with
 * line and column. The import is logged (store import log) in the same
 * transaction. On any file-level error or abort the transaction is rolled
 * back and nothing is stored. Returns EG_OK (see res for rejected rows),
 * EG_ERR_IO, EG_ERR_ENCODING (the header or first row is not UTF-8),
 * EG_ERR_MISSING_COLUMN, EG_ERR_PARSE, EG_ERR_DB, EG_ERR_NOMEM; `d` says
 * why.
 */
eg_err eg_import_file(eg_store *s, const eg_importer *imp, void *ctx, const char *path,
                      const eg_import_opts *o, eg_import_result *res, eg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
