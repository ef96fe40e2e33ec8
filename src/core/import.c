/*
 * core/import.c: rejects files and row reports shared by all importers.
 */
#include <stdarg.h>
#include <stdio.h>
#include "epigrid/import.h"

eg_err eg_import_rejects_header(FILE *f)
{
    return fputs("file,line,column,severity,reason,row\n", f) < 0 ? EG_ERR_IO : EG_OK;
}

/* Write one rejects line; report it to the callback. */
static eg_err record_raw(const eg_import_opts *o, const char *raw, const eg_diag *d, int warn);

static eg_err record(const eg_import_opts *o, const eg_csv *csv, const eg_diag *d, int warn)
{
    return record_raw(o, csv ? eg_csv_raw(csv) : "", d, warn);
}

eg_err eg_import_reject_raw(const eg_import_opts *o, eg_import_result *res, const char *raw,
                            const eg_diag *d)
{
    res->rejected++;
    return record_raw(o, raw ? raw : "", d, 0);
}

static eg_err record_raw(const eg_import_opts *o, const char *raw, const eg_diag *d, int warn)
{
    eg_err e = EG_OK;
    if (o->report)
        o->report(o->report_ctx, d, warn);
    if (o->rejects)
        e = eg_import_write_reject(o->rejects, d, warn, raw);
    return e;
}

eg_err eg_import_write_reject(FILE *f, const eg_diag *d, int warn, const char *raw)
{
    if (eg_csv_write_field(f, d->file) || fprintf(f, ",%lu,", d->line) < 0 ||
        eg_csv_write_field(f, d->column) || fputs(warn ? ",warning," : ",error,", f) == EOF ||
        eg_csv_write_field(f, d->reason) || fputc(',', f) == EOF ||
        eg_csv_write_field(f, raw ? raw : "") || fputc('\n', f) == EOF)
        return EG_ERR_IO;
    return EG_OK;
}

eg_err eg_import_reject(const eg_import_opts *o, eg_import_result *res,
                        const eg_csv *csv, const eg_diag *d)
{
    res->rejected++;
    return record(o, csv, d, 0);
}

eg_err eg_import_warn(const eg_import_opts *o, eg_import_result *res,
                      const eg_csv *csv, const eg_diag *d)
{
    res->warnings++;
    return record(o, csv, d, 1);
}

eg_err eg_import_rowf(const eg_import_opts *o, eg_import_result *res, const eg_csv *csv,
                      int is_warning, const char *col, const char *fmt, ...)
{
    eg_diag d;
    va_list ap;
    eg_diag_clear(&d);
    snprintf(d.file, sizeof d.file, "%s", eg_csv_name(csv));
    d.line = eg_csv_line(csv);
    snprintf(d.column, sizeof d.column, "%s", col ? col : "");
    va_start(ap, fmt);
    vsnprintf(d.reason, sizeof d.reason, fmt, ap);
    va_end(ap);
    return is_warning ? eg_import_warn(o, res, csv, &d) : eg_import_reject(o, res, csv, &d);
}
