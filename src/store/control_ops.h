/*
 * store/control_ops.h: the operations a backend implements for the
 * control-measures module (epigrid/store_control.h): their public
 * wrappers are in src/store/control.c, the SQLite versions in
 * src/store/sqlite_control.c (schema version 5, statement slots
 * EG_SQ_EXT_CONTROL..+63).
 */
#ifndef EG_STORE_CONTROL_OPS_H
#define EG_STORE_CONTROL_OPS_H

#include "store_impl.h"
#include "epigrid/store_control.h"

struct eg_control_ops {
    eg_err (*order_get)(eg_store *s, const char *oid, eg_ctl_order *out);
    eg_err (*order_by_id)(eg_store *s, int64_t id, eg_ctl_order *out);
    eg_err (*order_running)(eg_store *s, const char *id_no, eg_ctl_order *out);
    eg_err (*order_insert)(eg_store *s, eg_ctl_order *o);
    eg_err (*order_save)(eg_store *s, const eg_ctl_order *o);
    eg_err (*order_each)(eg_store *s, const eg_ctl_filter *f, eg_ctl_order_fn fn, void *ctx);
    eg_err (*event_add)(eg_store *s, const eg_ctl_event *e);
    eg_err (*event_each)(eg_store *s, int64_t order_id, eg_ctl_event_fn fn, void *ctx);
    eg_err (*event_count)(eg_store *s, const char *action, eg_time from, eg_time to, long *n);
    eg_err (*test_add)(eg_store *s, const eg_ctl_test *t, int *dup);
    eg_err (*test_each)(eg_store *s, const char *id_no, eg_time since, eg_ctl_test_fn fn, void *ctx);
    eg_err (*reading_add)(eg_store *s, const eg_ctl_reading *r, int *dup);
    eg_err (*reading_each)(eg_store *s, int64_t order_id, eg_time since, eg_ctl_reading_fn fn, void *ctx);
    eg_err (*reading_list)(eg_store *s, const eg_ctl_filter *f, eg_ctl_reading_fn fn, void *ctx);
    eg_err (*assessment_add)(eg_store *s, const eg_ctl_assessment *a);
    eg_err (*assessment_latest)(eg_store *s, int64_t order_id, eg_ctl_assessment *out);
    eg_err (*alert_add)(eg_store *s, const eg_ctl_alert *a, int *created);
    eg_err (*alert_get)(eg_store *s, const char *aid, eg_ctl_alert *out);
    eg_err (*alert_save)(eg_store *s, const eg_ctl_alert *a);
    eg_err (*alert_each)(eg_store *s, const eg_ctl_filter *f, eg_ctl_alert_fn fn, void *ctx);
    eg_err (*alert_due)(eg_store *s, eg_time now, eg_ctl_alert_fn fn, void *ctx);
    eg_err (*task_add)(eg_store *s, const eg_ctl_task *t, int64_t *id);
    eg_err (*task_get)(eg_store *s, const char *tid, eg_ctl_task *out);
    eg_err (*task_save)(eg_store *s, const eg_ctl_task *t);
    eg_err (*task_each)(eg_store *s, const eg_ctl_filter *f, eg_ctl_task_fn fn, void *ctx);
    eg_err (*member_put)(eg_store *s, const eg_ctl_member *m);
    eg_err (*member_each)(eg_store *s, int64_t order_id, eg_ctl_member_fn fn, void *ctx);
    eg_err (*load_each)(eg_store *s, eg_ctl_load_fn fn, void *ctx);
    eg_err (*order_short_team)(eg_store *s, int roles, const char *state, eg_ctl_order_fn fn, void *ctx);
    eg_err (*token_add)(eg_store *s, const char *hash_hex, int64_t order_id, eg_time at, const char *actor);
    eg_err (*token_find)(eg_store *s, const char *hash_hex, int64_t *order_id, eg_time *revoked_at);
    eg_err (*token_revoke)(eg_store *s, int64_t order_id, eg_time at, long *n);
    eg_err (*release_due)(eg_store *s, eg_date day, eg_time at, const char *actor, long *n);
    eg_err (*missed_readings)(eg_store *s, eg_date day, const char *slot, eg_time from, eg_time deadline,
                              int escalate_min, long *n);
    eg_err (*todo_each)(eg_store *s, eg_time now, eg_ctl_todo_fn fn, void *ctx);
    eg_err (*daily_log)(eg_store *s, eg_date day, eg_time as_at, const char *summary, int *dup);
};

#endif
