/*
 * report/versions.c: stored versions of the daily report. Version 1 of a
 * date is the report of its daily run; a correction recomputes the day
 * from the data as it is then and stores the next version; a stored
 * version never changes (the database refuses updates). A reader gets the
 * version asked for, else the latest, else the report computed live.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* The latest version of a date, for the store callback. */
static eg_err keep_version(void *ctx, const eg_report_version *v, const char *body)
{
    (void)body;
    *(int *)ctx = v->version;
    return EG_OK;
}

/* Load callback: fill the report from the body. */
typedef struct load_ctx {
    eg_report *r;
    eg_diag *d;
} load_ctx;

static eg_err load_body(void *ctx, const eg_report_version *v, const char *body)
{
    load_ctx *l = ctx;
    l->r->version = v->version;
    l->r->generated_at = v->generated_at;
    return rpt_from_body(l->r, body, l->d);
}

/* See epigrid/report.h. */
eg_err eg_report_load(eg_store *s, const eg_juris *tree, eg_date day, int version, eg_report **out, eg_diag *d)
{
    char b[EG_DATE_BUFSZ];
    eg_report *r = rpt_new(tree, day);
    load_ctx l = { r, d };
    eg_err e;
    if (!r)
        return EG_ERR_NOMEM;
    e = eg_store_report_get(s, day, version, load_body, &l);
    if (e) {
        eg_report_free(r);
        if (e == EG_ERR_NOT_FOUND) {
            if (version > 0)
                return eg_diag_set(d, e, NULL, 0, "version", "the report of %s has no version %d (epigrid report "
                                   "versions --date %s)", eg_date_format(day, b), version, b);
            return eg_diag_set(d, e, NULL, 0, "date", "no stored report for %s", eg_date_format(day, b));
        }
        if (e == EG_ERR_DB)
            eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
        return e;
    }
    *out = r;
    return EG_OK;
}

/* See epigrid/report.h. */
eg_err eg_report_get(eg_store *s, const eg_juris *tree, eg_date day, int version, eg_time now, eg_report **out,
                     eg_diag *d)
{
    eg_err e;
    if (version > 0)
        return eg_report_load(s, tree, day, version, out, d);
    e = eg_report_load(s, tree, day, 0, out, d);
    if (e != EG_ERR_NOT_FOUND)
        return e;
    eg_diag_clear(d);
    return eg_report_compute(s, tree, day, now, out, d);
}

/* See epigrid/report.h. */
eg_err eg_report_store(eg_store *s, eg_report *r, const char *actor, const char *reason, eg_time now,
                       int *version, eg_diag *d)
{
    eg_report_version v;
    char *body;
    int latest = 0;
    eg_store_tx tx;
    eg_err e;
    if (!r->live)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "version", "this report is stored already (version %d)",
                           r->version);
    if (!(body = rpt_body(r)))
        return EG_ERR_NOMEM;
    if ((e = eg_store_tx_begin(s, &tx))) {
        free(body);
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    }
    e = eg_store_report_get(s, r->date, 0, keep_version, &latest);
    if (e == EG_ERR_NOT_FOUND)
        e = EG_OK;
    memset(&v, 0, sizeof v);
    v.date = r->date;
    v.version = latest + 1;
    v.generated_at = r->generated_at;
    v.stored_at = now;
    snprintf(v.actor, sizeof v.actor, "%s", actor ? actor : "");
    snprintf(v.reason, sizeof v.reason, "%s", reason ? reason : "");
    if (!e)
        e = eg_store_report_put(s, &v, body);
    e = eg_store_tx_end(&tx, e);
    free(body);
    if (e) {
        eg_diag_set(d, e, NULL, 0, NULL, "storing the report: %s", e == EG_ERR_DB ? eg_store_errmsg(s) : eg_strerror(e));
        return e;
    }
    r->live = 0;
    r->version = v.version;
    if (version)
        *version = v.version;
    return EG_OK;
}

/* See epigrid/report.h. */
eg_err eg_report_correct(eg_store *s, const eg_juris *tree, eg_date day, const char *reason, const char *actor,
                         eg_time now, int *version, eg_diag *d)
{
    eg_report *r = NULL;
    eg_err e;
    if (!reason || !*reason)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "reason", "a correction needs its reason");
    if ((e = eg_report_compute(s, tree, day, now, &r, d)))
        return e;
    e = eg_report_store(s, r, actor, reason, now, version, d);
    eg_report_free(r);
    return e;
}

/* See epigrid/report.h. */
eg_err eg_report_versions(eg_store *s, eg_date day, eg_report_version_fn fn, void *ctx)
{
    return eg_store_report_versions(s, day, fn, ctx);
}
