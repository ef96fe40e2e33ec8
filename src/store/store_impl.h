/*
 * store/store_impl.h: what a storage backend implements.
 *
 * eg_store is a backend handle whose first member is a pointer to its
 * operations table; store.c dispatches every public eg_store_* call through
 * it. A PostgreSQL backend fills in the same table (src/store/pg.c) and no
 * service changes.
 */
#ifndef EG_STORE_IMPL_H
#define EG_STORE_IMPL_H

#include "epigrid/store.h"

struct eg_control_ops;   /* control measures: src/store/control_ops.h */
struct eg_server_ops;    /* users, sessions: src/store/server_ops.h */
struct eg_facility_ops;  /* facilities, checkpoints, reports: src/store/facility_ops.h */

typedef struct eg_store_ops {
    const char *name;
    void (*close)(eg_store *s);
    int (*schema_version)(eg_store *s);
    eg_err (*migrate)(eg_store *s, int version, eg_diag *d);
    eg_err (*begin)(eg_store *s);
    eg_err (*commit)(eg_store *s);
    eg_err (*rollback)(eg_store *s);
    const char *(*errmsg)(const eg_store *s);
    eg_err (*meta_get)(eg_store *s, const char *key, char *buf, size_t size);
    eg_err (*meta_set)(eg_store *s, const char *key, const char *value);
    eg_err (*division_put)(eg_store *s, const eg_division_rec *r);
    eg_err (*division_each)(eg_store *s, eg_division_fn fn, void *ctx);
    eg_err (*division_count)(eg_store *s, long *n);
    eg_err (*staff_put)(eg_store *s, const eg_staff_rec *r, int *created);
    eg_err (*staff_each)(eg_store *s, const char *juris_code, eg_staff_fn fn, void *ctx);
    eg_err (*person_put)(eg_store *s, const eg_person_rec *r, int *created);
    eg_err (*person_get)(eg_store *s, const char *id_no, eg_person_fn fn, void *ctx);
    eg_err (*person_count)(eg_store *s, long *n);
    eg_err (*person_count_by_juris)(eg_store *s, eg_count_fn fn, void *ctx);
    eg_err (*staff_count_by_juris)(eg_store *s, eg_count_fn fn, void *ctx);
    eg_err (*audit_add)(eg_store *s, const eg_audit_rec *r);
    eg_err (*audit_each)(eg_store *s, eg_time from, eg_time to, eg_audit_fn fn, void *ctx);
    eg_err (*import_log_add)(eg_store *s, const eg_import_log_rec *r);
    eg_err (*import_log_count)(eg_store *s, const char *kind, long *n);
    eg_err (*leg_put)(eg_store *s, const eg_leg *l, int *dup);
    eg_err (*leg_each)(eg_store *s, eg_date from, eg_date to, eg_leg_fn fn, void *ctx);
    eg_err (*leg_each_person)(eg_store *s, const char *id_no, eg_leg_fn fn, void *ctx);
    eg_err (*leg_stats)(eg_store *s, long *n, eg_date *latest);
    eg_err (*case_trip_put)(eg_store *s, const eg_case_trip *c, const char *original, int *dup);
    eg_err (*case_trip_each)(eg_store *s, eg_case_trip_fn fn, void *ctx);
    eg_err (*risk_area_put)(eg_store *s, const eg_risk_area *a);
    eg_err (*risk_area_each)(eg_store *s, eg_risk_area_fn fn, void *ctx);
    eg_err (*order_latest)(eg_store *s, const char *id_no, eg_order_fn fn, void *ctx);
    eg_err (*order_insert)(eg_store *s, const eg_order_rec *r, int64_t *id);
    eg_err (*order_update)(eg_store *s, const eg_order_rec *r);
    eg_err (*evidence_add)(eg_store *s, const char *owner, int64_t owner_id, const char *kind,
                           int64_t ref, int *added);
    eg_err (*order_each)(eg_store *s, const char *juris, eg_order_fn fn, void *ctx);
    eg_err (*task_insert)(eg_store *s, const eg_task_rec *r, int64_t *id);
    eg_err (*task_count)(eg_store *s, const char *state, long *n);
    eg_err (*request_get)(eg_store *s, const char *id_no, const char *juris_code,
                          eg_request_fn fn, void *ctx);
    eg_err (*request_insert)(eg_store *s, const eg_request_rec *r, int64_t *id);
    eg_err (*request_update)(eg_store *s, const eg_request_rec *r);
    eg_err (*request_count)(eg_store *s, int unlocated, long *n);
    const struct eg_control_ops *control;  /* module operations (may be partly NULL) */
    const struct eg_server_ops *server;
    const struct eg_facility_ops *facility;
} eg_store_ops;

/* Every backend handle starts with this. */
struct eg_store {
    const eg_store_ops *ops;
};

/* Backend constructors. */
eg_err eg_sqlite_open(const char *path, int migrate_to, eg_store **out, eg_diag *d);

#endif
