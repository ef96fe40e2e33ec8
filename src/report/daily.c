/*
 * report/daily.c: the daily run of the whole command system: the control
 * module's run (ends orders due, missed readings, escalations), then the
 * facility and checkpoint sweep as at the same moment (places follow the
 * orders, overdue waits and referrals raise alerts), then the day's report
 * stored as version 1 when the date has none yet.
 */
#include <string.h>
#include "internal.h"

/* Latest version of a date (0: none). */
static eg_err keep_latest(void *ctx, const eg_report_version *v, const char *body)
{
    (void)body;
    *(int *)ctx = v->version;
    return EG_OK;
}

/* See epigrid/report.h. */
eg_err eg_report_daily_run(eg_store *s, const eg_juris *tree, const eg_control_params *cp,
                           const eg_facility_params *fp, eg_date day, eg_time now, const char *actor,
                           eg_report_run *out, eg_diag *d)
{
    eg_report_run run;
    eg_report *r = NULL;
    int latest = 0;
    eg_err e;
    memset(&run, 0, sizeof run);
    if ((e = eg_control_daily(s, cp, day, now, actor, &run.control, d)))
        return e;
    if ((e = eg_facility_sweep_run(s, tree, fp, run.control.as_at, &run.sweep, d)))
        return e;
    e = eg_store_report_get(s, day, 0, keep_latest, &latest);
    if (e && e != EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    if (latest == 0) {
        if ((e = eg_report_compute(s, tree, day, run.control.as_at, &r, d)))
            return e;
        e = eg_report_store(s, r, actor, "daily run", now, &latest, d);
        eg_report_free(r);
        if (e)
            return e;
        run.stored = 1;
    }
    run.version = latest;
    if (out)
        *out = run;
    return EG_OK;
}
