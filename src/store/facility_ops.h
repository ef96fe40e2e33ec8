/*
 * store/facility_ops.h: the operations a backend implements for the
 * facilities, checkpoints and daily-report module
 * (epigrid/store_facility.h): their public wrappers are in
 * src/store/facility.c, the SQLite versions in src/store/sqlite_facility.c
 * (schema version 7, statement slots EG_SQ_EXT_FACILITY..+63 and
 * EG_SQ_EXT_REPORT..+63).
 */
#ifndef EG_STORE_FACILITY_OPS_H
#define EG_STORE_FACILITY_OPS_H

#include "store_impl.h"
#include "epigrid/store_facility.h"

struct eg_facility_ops {
    eg_err (*facility_put)(eg_store *s, const eg_facility *f, int *created);
    eg_err (*facility_get)(eg_store *s, const char *facility_id, eg_facility *out);
    eg_err (*facility_each)(eg_store *s, const char *juris, const char *kind, eg_facility_fn fn, void *ctx);
    eg_err (*facility_open_standby)(eg_store *s, const char *facility_id, eg_time at);
    eg_err (*admission_add)(eg_store *s, const eg_admission *a, int64_t *id);
    eg_err (*admission_open)(eg_store *s, int64_t order_id, eg_admission *out);
    eg_err (*admission_latest)(eg_store *s, int64_t order_id, eg_admission *out);
    eg_err (*admission_get)(eg_store *s, int64_t id, eg_admission *out);
    eg_err (*admission_close)(eg_store *s, int64_t id, eg_time at, const char *reason);
    eg_err (*admission_each)(eg_store *s, const char *facility_id, int open_only, eg_admission_fn fn, void *ctx);
    eg_err (*awaiting_each)(eg_store *s, eg_time at, eg_awaiting_fn fn, void *ctx);
    eg_err (*wait_since)(eg_store *s, int64_t order_id, eg_time *since);
    eg_err (*fac_events)(eg_store *s, eg_time from, eg_time to, eg_fac_event_fn fn, void *ctx);
    eg_err (*checkpoint_put)(eg_store *s, const eg_checkpoint *c, int *created);
    eg_err (*checkpoint_get)(eg_store *s, const char *checkpoint_id, eg_checkpoint *out);
    eg_err (*checkpoint_each)(eg_store *s, const char *juris, eg_checkpoint_fn fn, void *ctx);
    eg_err (*check_log_put)(eg_store *s, const char *checkpoint_id, eg_time hour_start, long checked, long fevers, eg_time at, int *updated);
    eg_err (*check_totals)(eg_store *s, eg_time from, eg_time to, eg_check_total_fn fn, void *ctx);
    eg_err (*fever_add)(eg_store *s, eg_fever *f, int *dup);
    eg_err (*fever_get)(eg_store *s, const char *fid, eg_fever *out);
    eg_err (*fever_save)(eg_store *s, const eg_fever *f);
    eg_err (*fever_each)(eg_store *s, const char *juris, int open_only, eg_time due_by, eg_fever_fn fn, void *ctx);
    eg_err (*fac_alert_add)(eg_store *s, const eg_fac_alert *a, int *created);
    eg_err (*fac_alert_resolve)(eg_store *s, const char *dedup, eg_time at, long *n);
    eg_err (*fac_alert_each)(eg_store *s, const char *juris, const char *state, eg_fac_alert_fn fn, void *ctx);
    eg_err (*report_rows)(eg_store *s, eg_time as_at, eg_time day_start, eg_time day_end, eg_rpt_row_fn fn, void *ctx);
    eg_err (*report_put)(eg_store *s, const eg_report_version *v, const char *body);
    eg_err (*report_get)(eg_store *s, eg_date date, int version, eg_report_body_fn fn, void *ctx);
    eg_err (*report_versions)(eg_store *s, eg_date date, eg_report_version_fn fn, void *ctx);
};

#endif
