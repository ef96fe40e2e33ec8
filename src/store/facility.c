/*
 * store/facility.c: the public storage operations of the facilities,
 * checkpoints and daily-report module (epigrid/store_facility.h),
 * dispatched through the backend's facility operations table. A backend
 * without them answers EG_ERR_UNSUPPORTED.
 */
#include "facility_ops.h"

/* The backend's facility table, or NULL. */
static const struct eg_facility_ops *F(eg_store *s) { return s->ops->facility; }

/* eg_store_facility_put: see epigrid/store_facility.h. */
eg_err eg_store_facility_put(eg_store *s, const eg_facility *f, int *created)
{
    if (!F(s) || !F(s)->facility_put)
        return EG_ERR_UNSUPPORTED;
    return F(s)->facility_put(s, f, created);
}

/* eg_store_facility_get: see epigrid/store_facility.h. */
eg_err eg_store_facility_get(eg_store *s, const char *facility_id, eg_facility *out)
{
    if (!F(s) || !F(s)->facility_get)
        return EG_ERR_UNSUPPORTED;
    return F(s)->facility_get(s, facility_id, out);
}

/* eg_store_facility_each: see epigrid/store_facility.h. */
eg_err eg_store_facility_each(eg_store *s, const char *juris, const char *kind, eg_facility_fn fn, void *ctx)
{
    if (!F(s) || !F(s)->facility_each)
        return EG_ERR_UNSUPPORTED;
    return F(s)->facility_each(s, juris, kind, fn, ctx);
}

/* eg_store_facility_open_standby: see epigrid/store_facility.h. */
eg_err eg_store_facility_open_standby(eg_store *s, const char *facility_id, eg_time at)
{
    if (!F(s) || !F(s)->facility_open_standby)
        return EG_ERR_UNSUPPORTED;
    return F(s)->facility_open_standby(s, facility_id, at);
}

/* eg_store_admission_add: see epigrid/store_facility.h. */
eg_err eg_store_admission_add(eg_store *s, const eg_admission *a, int64_t *id)
{
    if (!F(s) || !F(s)->admission_add)
        return EG_ERR_UNSUPPORTED;
    return F(s)->admission_add(s, a, id);
}

/* eg_store_admission_open: see epigrid/store_facility.h. */
eg_err eg_store_admission_open(eg_store *s, int64_t order_id, eg_admission *out)
{
    if (!F(s) || !F(s)->admission_open)
        return EG_ERR_UNSUPPORTED;
    return F(s)->admission_open(s, order_id, out);
}

/* eg_store_admission_latest: see epigrid/store_facility.h. */
eg_err eg_store_admission_latest(eg_store *s, int64_t order_id, eg_admission *out)
{
    if (!F(s) || !F(s)->admission_latest)
        return EG_ERR_UNSUPPORTED;
    return F(s)->admission_latest(s, order_id, out);
}

/* eg_store_admission_get: see epigrid/store_facility.h. */
eg_err eg_store_admission_get(eg_store *s, int64_t id, eg_admission *out)
{
    if (!F(s) || !F(s)->admission_get)
        return EG_ERR_UNSUPPORTED;
    return F(s)->admission_get(s, id, out);
}

/* eg_store_admission_close: see epigrid/store_facility.h. */
eg_err eg_store_admission_close(eg_store *s, int64_t id, eg_time at, const char *reason)
{
    if (!F(s) || !F(s)->admission_close)
        return EG_ERR_UNSUPPORTED;
    return F(s)->admission_close(s, id, at, reason);
}

/* eg_store_admission_each: see epigrid/store_facility.h. */
eg_err eg_store_admission_each(eg_store *s, const char *facility_id, int open_only, eg_admission_fn fn, void *ctx)
{
    if (!F(s) || !F(s)->admission_each)
        return EG_ERR_UNSUPPORTED;
    return F(s)->admission_each(s, facility_id, open_only, fn, ctx);
}

/* eg_store_awaiting_each: see epigrid/store_facility.h. */
eg_err eg_store_awaiting_each(eg_store *s, eg_time at, eg_awaiting_fn fn, void *ctx)
{
    if (!F(s) || !F(s)->awaiting_each)
        return EG_ERR_UNSUPPORTED;
    return F(s)->awaiting_each(s, at, fn, ctx);
}

/* eg_store_wait_since: see epigrid/store_facility.h. */
eg_err eg_store_wait_since(eg_store *s, int64_t order_id, eg_time *since)
{
    if (!F(s) || !F(s)->wait_since)
        return EG_ERR_UNSUPPORTED;
    return F(s)->wait_since(s, order_id, since);
}

/* eg_store_fac_events: see epigrid/store_facility.h. */
eg_err eg_store_fac_events(eg_store *s, eg_time from, eg_time to, eg_fac_event_fn fn, void *ctx)
{
    if (!F(s) || !F(s)->fac_events)
        return EG_ERR_UNSUPPORTED;
    return F(s)->fac_events(s, from, to, fn, ctx);
}

/* eg_store_checkpoint_put: see epigrid/store_facility.h. */
eg_err eg_store_checkpoint_put(eg_store *s, const eg_checkpoint *c, int *created)
{
    if (!F(s) || !F(s)->checkpoint_put)
        return EG_ERR_UNSUPPORTED;
    return F(s)->checkpoint_put(s, c, created);
}

/* eg_store_checkpoint_get: see epigrid/store_facility.h. */
eg_err eg_store_checkpoint_get(eg_store *s, const char *checkpoint_id, eg_checkpoint *out)
{
    if (!F(s) || !F(s)->checkpoint_get)
        return EG_ERR_UNSUPPORTED;
    return F(s)->checkpoint_get(s, checkpoint_id, out);
}

/* eg_store_checkpoint_each: see epigrid/store_facility.h. */
eg_err eg_store_checkpoint_each(eg_store *s, const char *juris, eg_checkpoint_fn fn, void *ctx)
{
    if (!F(s) || !F(s)->checkpoint_each)
        return EG_ERR_UNSUPPORTED;
    return F(s)->checkpoint_each(s, juris, fn, ctx);
}

/* eg_store_check_log_put: see epigrid/store_facility.h. */
eg_err eg_store_check_log_put(eg_store *s, const char *checkpoint_id, eg_time hour_start, long checked, long fevers, eg_time at, int *updated)
{
    if (!F(s) || !F(s)->check_log_put)
        return EG_ERR_UNSUPPORTED;
    return F(s)->check_log_put(s, checkpoint_id, hour_start, checked, fevers, at, updated);
}

/* eg_store_check_totals: see epigrid/store_facility.h. */
eg_err eg_store_check_totals(eg_store *s, eg_time from, eg_time to, eg_check_total_fn fn, void *ctx)
{
    if (!F(s) || !F(s)->check_totals)
        return EG_ERR_UNSUPPORTED;
    return F(s)->check_totals(s, from, to, fn, ctx);
}

/* eg_store_fever_add: see epigrid/store_facility.h. */
eg_err eg_store_fever_add(eg_store *s, eg_fever *f, int *dup)
{
    if (!F(s) || !F(s)->fever_add)
        return EG_ERR_UNSUPPORTED;
    return F(s)->fever_add(s, f, dup);
}

/* eg_store_fever_get: see epigrid/store_facility.h. */
eg_err eg_store_fever_get(eg_store *s, const char *fid, eg_fever *out)
{
    if (!F(s) || !F(s)->fever_get)
        return EG_ERR_UNSUPPORTED;
    return F(s)->fever_get(s, fid, out);
}

/* eg_store_fever_save: see epigrid/store_facility.h. */
eg_err eg_store_fever_save(eg_store *s, const eg_fever *f)
{
    if (!F(s) || !F(s)->fever_save)
        return EG_ERR_UNSUPPORTED;
    return F(s)->fever_save(s, f);
}

/* eg_store_fever_each: see epigrid/store_facility.h. */
eg_err eg_store_fever_each(eg_store *s, const char *juris, int open_only, eg_time due_by, eg_fever_fn fn, void *ctx)
{
    if (!F(s) || !F(s)->fever_each)
        return EG_ERR_UNSUPPORTED;
    return F(s)->fever_each(s, juris, open_only, due_by, fn, ctx);
}

/* eg_store_fac_alert_add: see epigrid/store_facility.h. */
eg_err eg_store_fac_alert_add(eg_store *s, const eg_fac_alert *a, int *created)
{
    if (!F(s) || !F(s)->fac_alert_add)
        return EG_ERR_UNSUPPORTED;
    return F(s)->fac_alert_add(s, a, created);
}

/* eg_store_fac_alert_resolve: see epigrid/store_facility.h. */
eg_err eg_store_fac_alert_resolve(eg_store *s, const char *dedup, eg_time at, long *n)
{
    if (!F(s) || !F(s)->fac_alert_resolve)
        return EG_ERR_UNSUPPORTED;
    return F(s)->fac_alert_resolve(s, dedup, at, n);
}

/* eg_store_fac_alert_each: see epigrid/store_facility.h. */
eg_err eg_store_fac_alert_each(eg_store *s, const char *juris, const char *state, eg_fac_alert_fn fn, void *ctx)
{
    if (!F(s) || !F(s)->fac_alert_each)
        return EG_ERR_UNSUPPORTED;
    return F(s)->fac_alert_each(s, juris, state, fn, ctx);
}

/* eg_store_report_rows: see epigrid/store_facility.h. */
eg_err eg_store_report_rows(eg_store *s, eg_time as_at, eg_time day_start, eg_time day_end, eg_rpt_row_fn fn, void *ctx)
{
    if (!F(s) || !F(s)->report_rows)
        return EG_ERR_UNSUPPORTED;
    return F(s)->report_rows(s, as_at, day_start, day_end, fn, ctx);
}

/* eg_store_report_put: see epigrid/store_facility.h. */
eg_err eg_store_report_put(eg_store *s, const eg_report_version *v, const char *body)
{
    if (!F(s) || !F(s)->report_put)
        return EG_ERR_UNSUPPORTED;
    return F(s)->report_put(s, v, body);
}

/* eg_store_report_get: see epigrid/store_facility.h. */
eg_err eg_store_report_get(eg_store *s, eg_date date, int version, eg_report_body_fn fn, void *ctx)
{
    if (!F(s) || !F(s)->report_get)
        return EG_ERR_UNSUPPORTED;
    return F(s)->report_get(s, date, version, fn, ctx);
}

/* eg_store_report_versions: see epigrid/store_facility.h. */
eg_err eg_store_report_versions(eg_store *s, eg_date date, eg_report_version_fn fn, void *ctx)
{
    if (!F(s) || !F(s)->report_versions)
        return EG_ERR_UNSUPPORTED;
    return F(s)->report_versions(s, date, fn, ctx);
}
