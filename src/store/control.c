/*
 * store/control.c: the public storage operations of the control-measures
 * module (epigrid/store_control.h), dispatched through the backend's
 * control operations table. A backend without them answers
 * EG_ERR_UNSUPPORTED.
 */
#include "control_ops.h"

/* The backend's control table, or NULL. */
static const struct eg_control_ops *C(eg_store *s) { return s->ops->control; }

/* eg_store_ctl_order_get: see epigrid/store_control.h. */
eg_err eg_store_ctl_order_get(eg_store *s, const char *oid, eg_ctl_order *out)
{
    if (!C(s) || !C(s)->order_get)
        return EG_ERR_UNSUPPORTED;
    return C(s)->order_get(s, oid, out);
}

/* eg_store_ctl_order_by_id: see epigrid/store_control.h. */
eg_err eg_store_ctl_order_by_id(eg_store *s, int64_t id, eg_ctl_order *out)
{
    if (!C(s) || !C(s)->order_by_id)
        return EG_ERR_UNSUPPORTED;
    return C(s)->order_by_id(s, id, out);
}

/* eg_store_ctl_order_running: see epigrid/store_control.h. */
eg_err eg_store_ctl_order_running(eg_store *s, const char *id_no, eg_ctl_order *out)
{
    if (!C(s) || !C(s)->order_running)
        return EG_ERR_UNSUPPORTED;
    return C(s)->order_running(s, id_no, out);
}

/* eg_store_ctl_order_insert: see epigrid/store_control.h. */
eg_err eg_store_ctl_order_insert(eg_store *s, eg_ctl_order *o)
{
    if (!C(s) || !C(s)->order_insert)
        return EG_ERR_UNSUPPORTED;
    return C(s)->order_insert(s, o);
}

/* eg_store_ctl_order_save: see epigrid/store_control.h. */
eg_err eg_store_ctl_order_save(eg_store *s, const eg_ctl_order *o)
{
    if (!C(s) || !C(s)->order_save)
        return EG_ERR_UNSUPPORTED;
    return C(s)->order_save(s, o);
}

/* eg_store_ctl_order_each: see epigrid/store_control.h. */
eg_err eg_store_ctl_order_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_order_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->order_each)
        return EG_ERR_UNSUPPORTED;
    return C(s)->order_each(s, f, fn, ctx);
}

/* eg_store_ctl_event_add: see epigrid/store_control.h. */
eg_err eg_store_ctl_event_add(eg_store *s, const eg_ctl_event *e)
{
    if (!C(s) || !C(s)->event_add)
        return EG_ERR_UNSUPPORTED;
    return C(s)->event_add(s, e);
}

/* eg_store_ctl_event_each: see epigrid/store_control.h. */
eg_err eg_store_ctl_event_each(eg_store *s, int64_t order_id, eg_ctl_event_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->event_each)
        return EG_ERR_UNSUPPORTED;
    return C(s)->event_each(s, order_id, fn, ctx);
}

/* eg_store_ctl_event_count: see epigrid/store_control.h. */
eg_err eg_store_ctl_event_count(eg_store *s, const char *action, eg_time from, eg_time to, long *n)
{
    if (!C(s) || !C(s)->event_count)
        return EG_ERR_UNSUPPORTED;
    return C(s)->event_count(s, action, from, to, n);
}

/* eg_store_ctl_test_add: see epigrid/store_control.h. */
eg_err eg_store_ctl_test_add(eg_store *s, const eg_ctl_test *t, int *dup)
{
    if (!C(s) || !C(s)->test_add)
        return EG_ERR_UNSUPPORTED;
    return C(s)->test_add(s, t, dup);
}

/* eg_store_ctl_test_each: see epigrid/store_control.h. */
eg_err eg_store_ctl_test_each(eg_store *s, const char *id_no, eg_time since, eg_ctl_test_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->test_each)
        return EG_ERR_UNSUPPORTED;
    return C(s)->test_each(s, id_no, since, fn, ctx);
}

/* eg_store_ctl_reading_add: see epigrid/store_control.h. */
eg_err eg_store_ctl_reading_add(eg_store *s, const eg_ctl_reading *r, int *dup)
{
    if (!C(s) || !C(s)->reading_add)
        return EG_ERR_UNSUPPORTED;
    return C(s)->reading_add(s, r, dup);
}

/* eg_store_ctl_reading_each: see epigrid/store_control.h. */
eg_err eg_store_ctl_reading_each(eg_store *s, int64_t order_id, eg_time since, eg_ctl_reading_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->reading_each)
        return EG_ERR_UNSUPPORTED;
    return C(s)->reading_each(s, order_id, since, fn, ctx);
}

/* eg_store_ctl_reading_list: see epigrid/store_control.h. */
eg_err eg_store_ctl_reading_list(eg_store *s, const eg_ctl_filter *f, eg_ctl_reading_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->reading_list)
        return EG_ERR_UNSUPPORTED;
    return C(s)->reading_list(s, f, fn, ctx);
}

/* eg_store_ctl_assessment_add: see epigrid/store_control.h. */
eg_err eg_store_ctl_assessment_add(eg_store *s, const eg_ctl_assessment *a)
{
    if (!C(s) || !C(s)->assessment_add)
        return EG_ERR_UNSUPPORTED;
    return C(s)->assessment_add(s, a);
}

/* eg_store_ctl_assessment_latest: see epigrid/store_control.h. */
eg_err eg_store_ctl_assessment_latest(eg_store *s, int64_t order_id, eg_ctl_assessment *out)
{
    if (!C(s) || !C(s)->assessment_latest)
        return EG_ERR_UNSUPPORTED;
    return C(s)->assessment_latest(s, order_id, out);
}

/* eg_store_ctl_alert_add: see epigrid/store_control.h. */
eg_err eg_store_ctl_alert_add(eg_store *s, const eg_ctl_alert *a, int *created)
{
    if (!C(s) || !C(s)->alert_add)
        return EG_ERR_UNSUPPORTED;
    return C(s)->alert_add(s, a, created);
}

/* eg_store_ctl_alert_get: see epigrid/store_control.h. */
eg_err eg_store_ctl_alert_get(eg_store *s, const char *aid, eg_ctl_alert *out)
{
    if (!C(s) || !C(s)->alert_get)
        return EG_ERR_UNSUPPORTED;
    return C(s)->alert_get(s, aid, out);
}

/* eg_store_ctl_alert_save: see epigrid/store_control.h. */
eg_err eg_store_ctl_alert_save(eg_store *s, const eg_ctl_alert *a)
{
    if (!C(s) || !C(s)->alert_save)
        return EG_ERR_UNSUPPORTED;
    return C(s)->alert_save(s, a);
}

/* eg_store_ctl_alert_each: see epigrid/store_control.h. */
eg_err eg_store_ctl_alert_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_alert_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->alert_each)
        return EG_ERR_UNSUPPORTED;
    return C(s)->alert_each(s, f, fn, ctx);
}

/* eg_store_ctl_alert_due: see epigrid/store_control.h. */
eg_err eg_store_ctl_alert_due(eg_store *s, eg_time now, eg_ctl_alert_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->alert_due)
        return EG_ERR_UNSUPPORTED;
    return C(s)->alert_due(s, now, fn, ctx);
}

/* eg_store_ctl_task_add: see epigrid/store_control.h. */
eg_err eg_store_ctl_task_add(eg_store *s, const eg_ctl_task *t, int64_t *id)
{
    if (!C(s) || !C(s)->task_add)
        return EG_ERR_UNSUPPORTED;
    return C(s)->task_add(s, t, id);
}

/* eg_store_ctl_task_get: see epigrid/store_control.h. */
eg_err eg_store_ctl_task_get(eg_store *s, const char *tid, eg_ctl_task *out)
{
    if (!C(s) || !C(s)->task_get)
        return EG_ERR_UNSUPPORTED;
    return C(s)->task_get(s, tid, out);
}

/* eg_store_ctl_task_save: see epigrid/store_control.h. */
eg_err eg_store_ctl_task_save(eg_store *s, const eg_ctl_task *t)
{
    if (!C(s) || !C(s)->task_save)
        return EG_ERR_UNSUPPORTED;
    return C(s)->task_save(s, t);
}

/* eg_store_ctl_task_each: see epigrid/store_control.h. */
eg_err eg_store_ctl_task_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_task_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->task_each)
        return EG_ERR_UNSUPPORTED;
    return C(s)->task_each(s, f, fn, ctx);
}

/* eg_store_ctl_member_put: see epigrid/store_control.h. */
eg_err eg_store_ctl_member_put(eg_store *s, const eg_ctl_member *m)
{
    if (!C(s) || !C(s)->member_put)
        return EG_ERR_UNSUPPORTED;
    return C(s)->member_put(s, m);
}

/* eg_store_ctl_member_each: see epigrid/store_control.h. */
eg_err eg_store_ctl_member_each(eg_store *s, int64_t order_id, eg_ctl_member_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->member_each)
        return EG_ERR_UNSUPPORTED;
    return C(s)->member_each(s, order_id, fn, ctx);
}

/* eg_store_ctl_load_each: see epigrid/store_control.h. */
eg_err eg_store_ctl_load_each(eg_store *s, eg_ctl_load_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->load_each)
        return EG_ERR_UNSUPPORTED;
    return C(s)->load_each(s, fn, ctx);
}

/* eg_store_ctl_order_short_team: see epigrid/store_control.h. */
eg_err eg_store_ctl_order_short_team(eg_store *s, int roles, const char *state, eg_ctl_order_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->order_short_team)
        return EG_ERR_UNSUPPORTED;
    return C(s)->order_short_team(s, roles, state, fn, ctx);
}

/* eg_store_ctl_token_add: see epigrid/store_control.h. */
eg_err eg_store_ctl_token_add(eg_store *s, const char *hash_hex, int64_t order_id, eg_time at, const char *actor)
{
    if (!C(s) || !C(s)->token_add)
        return EG_ERR_UNSUPPORTED;
    return C(s)->token_add(s, hash_hex, order_id, at, actor);
}

/* eg_store_ctl_token_find: see epigrid/store_control.h. */
eg_err eg_store_ctl_token_find(eg_store *s, const char *hash_hex, int64_t *order_id, eg_time *revoked_at)
{
    if (!C(s) || !C(s)->token_find)
        return EG_ERR_UNSUPPORTED;
    return C(s)->token_find(s, hash_hex, order_id, revoked_at);
}

/* eg_store_ctl_token_revoke: see epigrid/store_control.h. */
eg_err eg_store_ctl_token_revoke(eg_store *s, int64_t order_id, eg_time at, long *n)
{
    if (!C(s) || !C(s)->token_revoke)
        return EG_ERR_UNSUPPORTED;
    return C(s)->token_revoke(s, order_id, at, n);
}

/* eg_store_ctl_release_due: see epigrid/store_control.h. */
eg_err eg_store_ctl_release_due(eg_store *s, eg_date day, eg_time at, const char *actor, long *n)
{
    if (!C(s) || !C(s)->release_due)
        return EG_ERR_UNSUPPORTED;
    return C(s)->release_due(s, day, at, actor, n);
}

/* eg_store_ctl_missed_readings: see epigrid/store_control.h. */
eg_err eg_store_ctl_missed_readings(eg_store *s, eg_date day, const char *slot, eg_time from, eg_time deadline, int escalate_min, long *n)
{
    if (!C(s) || !C(s)->missed_readings)
        return EG_ERR_UNSUPPORTED;
    return C(s)->missed_readings(s, day, slot, from, deadline, escalate_min, n);
}

/* eg_store_ctl_todo_each: see epigrid/store_control.h. */
eg_err eg_store_ctl_todo_each(eg_store *s, eg_time now, eg_ctl_todo_fn fn, void *ctx)
{
    if (!C(s) || !C(s)->todo_each)
        return EG_ERR_UNSUPPORTED;
    return C(s)->todo_each(s, now, fn, ctx);
}

/* eg_store_ctl_daily_log: see epigrid/store_control.h. */
eg_err eg_store_ctl_daily_log(eg_store *s, eg_date day, eg_time as_at, const char *summary, int *dup)
{
    if (!C(s) || !C(s)->daily_log)
        return EG_ERR_UNSUPPORTED;
    return C(s)->daily_log(s, day, as_at, summary, dup);
}
