/*
 * store/import.c: run one file import in one transaction.
 *
 * The shared driver of every importer (divisions, staff, persons, and the
 * feeds of later modules): open the CSV, let the importer find its columns,
 * feed it the rows, reject what the CSV reader refuses, log the import and
 * commit; roll everything back when the file is refused as a whole.
 */
#include <string.h>
#include "epigrid/import.h"
#include "epigrid/store.h"

/* Reject a row the CSV reader refused (its diag names line and column). */
static void reject_csv_row(const eg_import_opts *o, eg_import_result *res,
                           const eg_csv *csv, const eg_diag *rd)
{
    res->rows++;
    eg_import_reject(o, res, csv, rd);
}

/* Log the import in the store. */
static eg_err log_import(eg_store *s, const eg_importer *imp, const char *path,
                         const eg_import_opts *o, const eg_import_result *res)
{
    eg_import_log_rec lr = {
        .kind = imp->kind, .file = path, .at = o->now,
        .actor = o->actor ? o->actor : "", .rows = res->rows,
        .imported = res->imported, .rejected = res->rejected, .warnings = res->warnings,
    };
    return eg_store_import_log_add(s, &lr);
}

/* Read every row into the importer. Returns EG_OK at the end of the file. */
static eg_err feed_rows(const eg_importer *imp, void *ctx, eg_csv *csv,
                        const eg_import_opts *o, eg_import_result *res, eg_diag *d)
{
    for (;;) {
        eg_diag rd;
        eg_err e = eg_csv_next(csv, &rd);
        if (e == EG_ERR_EOF)
            return EG_OK;
        if (e == EG_ERR_ENCODING && eg_csv_is_first_row(csv)) {
            *d = rd;
            snprintf(d->reason, sizeof d->reason, "%s",
                     "the file is not UTF-8 (first data row has invalid bytes; "
                     "save it as UTF-8, not GBK); nothing was imported");
            return EG_ERR_ENCODING;
        }
        if (e == EG_ERR_PARSE || e == EG_ERR_ENCODING) {
            reject_csv_row(o, res, csv, &rd);
            continue;
        }
        if (e) {
            *d = rd;
            return e;
        }
        res->rows++;
        e = imp->row(ctx, csv, o, res);
        if (e)
            return eg_diag_set(d, e, eg_csv_name(csv), eg_csv_line(csv), NULL,
                               "import stopped: %s", eg_strerror(e));
        if (o->progress && (res->rows & 0x3fff) == 0)
            o->progress(o->progress_ctx, eg_csv_offset(csv), (unsigned long)res->rows);
    }
}

eg_err eg_import_file(eg_store *s, const eg_importer *imp, void *ctx, const char *path,
                      const eg_import_opts *o, eg_import_result *res, eg_diag *d)
{
    eg_csv *csv = NULL;
    eg_diag local;
    eg_store_tx tx;
    eg_err e;
    if (!d)
        d = &local;
    memset(res, 0, sizeof *res);
    eg_diag_clear(d);
    e = eg_csv_open(path, &csv, d);
    if (e)
        return e;
    e = imp->setup(ctx, csv, d);
    if (!e)
        e = eg_store_tx_begin(s, &tx);
    if (e) {
        eg_csv_close(csv);
        return e;
    }
    e = feed_rows(imp, ctx, csv, o, res, d);
    if (!e && imp->finish)
        e = imp->finish(ctx, o, res);
    if (!e)
        e = log_import(s, imp, path, o, res);
    if ((e = eg_store_tx_end(&tx, e))) {
        if (e == EG_ERR_DB && !d->reason[0])
            eg_diag_set(d, e, path, 0, NULL, "database: %s", eg_store_errmsg(s));
        memset(res, 0, sizeof *res);
    }
    if (o->progress)
        o->progress(o->progress_ctx, eg_csv_offset(csv), (unsigned long)res->rows);
    eg_csv_close(csv);
    return e;
}
