/*
 * checkpoint/log.c: hourly check logs of a checkpoint (how many persons
 * were checked, how many had 37.3 °C or more) and the import of
 * check_logs.csv. Counts are refused when negative, when fevers exceed
 * checks, or when checks exceed the checkpoint's hourly maximum.
 */
#include <stdlib.h>
#include "../facility/internal.h"

/* See epigrid/checkpoint.h. */
eg_err eg_checkpoint_log(eg_store *s, const char *checkpoint_id, eg_time hour_start, long checked, long fevers,
                         eg_time now, int *updated, eg_diag *d)
{
    eg_checkpoint c;
    char b[EG_TIME_BUFSZ];
    eg_err e = eg_store_checkpoint_get(s, checkpoint_id ? checkpoint_id : "", &c);
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "checkpoint_id", "no checkpoint '%s'", checkpoint_id ? checkpoint_id : "");
    if (e)
        return e;
    if (eg_time_minute_of_day(hour_start) % 60 != 0)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "hour_start", "%s is not on the hour (YYYY-MM-DD HH:00)",
                           eg_time_format(hour_start, b));
    if (hour_start > now)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "hour_start", "the hour %s is in the future",
                           eg_time_format(hour_start, b));
    if (checked < 0)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "checked", "checked %ld is negative", checked);
    if (fevers < 0)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "fevers", "fevers %ld is negative", fevers);
    if (fevers > checked)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "fevers", "fevers %ld is more than the %ld persons checked",
                           fevers, checked);
    if (c.max_checks_per_hour > 0 && checked > c.max_checks_per_hour)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "checked", "checked %ld is more than the checkpoint's "
                           "maximum of %d an hour", checked, c.max_checks_per_hour);
    return eg_store_check_log_put(s, c.checkpoint_id, hour_start, checked, fevers, now, updated);
}

enum { L_ID, L_HOUR, L_CHECKED, L_FEVERS, L__N };
static const char *const COLS[L__N] = { "checkpoint_id", "hour_start", "checked", "fevers" };

typedef struct log_import {
    eg_store *s;
    size_t col[L__N];
} log_import;

static eg_err log_setup(void *ctx, eg_csv *csv, eg_diag *d)
{
    log_import *im = ctx;
    for (int i = 0; i < L__N; i++) {
        eg_err e = eg_csv_find(csv, COLS[i], &im->col[i], d);
        if (e)
            return e;
    }
    return EG_OK;
}

/* Parse a whole number (sign allowed: negatives are refused by the rule). */
static int parse_long(const char *v, long *out)
{
    char *end;
    *out = strtol(v, &end, 10);
    return !*v || *end ? -1 : 0;
}

static eg_err log_row(void *ctx, eg_csv *csv, const eg_import_opts *o, eg_import_result *res)
{
    log_import *im = ctx;
    const char *v[L__N];
    long checked, fevers;
    eg_time hour;
    int updated = 0;
    eg_diag d;
    eg_err e;
    for (int i = 0; i < L__N; i++)
        v[i] = eg_csv_field(csv, im->col[i]);
    for (int i = 0; i < L__N; i++)
        if (!v[i][0])
            return eg_import_rowf(o, res, csv, 0, COLS[i], "missing required value"), EG_OK;
    if (eg_time_parse(v[L_HOUR], &hour))
        return eg_import_rowf(o, res, csv, 0, "hour_start", "'%s' is not a moment (YYYY-MM-DD HH:00)", v[L_HOUR]),
               EG_OK;
    if (parse_long(v[L_CHECKED], &checked))
        return eg_import_rowf(o, res, csv, 0, "checked", "'%s' is not a whole number", v[L_CHECKED]), EG_OK;
    if (parse_long(v[L_FEVERS], &fevers))
        return eg_import_rowf(o, res, csv, 0, "fevers", "'%s' is not a whole number", v[L_FEVERS]), EG_OK;
    eg_diag_clear(&d);
    e = eg_checkpoint_log(im->s, v[L_ID], hour, checked, fevers, o->now, &updated, &d);
    if (e == EG_ERR_DB || e == EG_ERR_NOMEM)
        return e;
    if (e)
        return eg_import_rowf(o, res, csv, 0, d.column, "%s", d.reason), EG_OK;
    if (updated)
        eg_import_rowf(o, res, csv, 1, "hour_start", "this hour was logged already: the counts are replaced");
    res->imported++;
    res->updated += updated;
    return EG_OK;
}

/* See epigrid/checkpoint.h. */
eg_err eg_checkpoint_logs_import(eg_store *s, const char *path, const eg_import_opts *o, eg_import_result *res,
                                 eg_diag *d)
{
    static const eg_importer IMP = { "check-logs", log_setup, log_row, NULL };
    log_import im = { .s = s };
    return eg_import_file(s, &IMP, &im, path, o, res, d);
}
