/*
 * store/store.c: the storage interface, dispatching to a backend.
 *
 * Chooses the backend from the target (a path is SQLite; a postgres:// URL
 * is PostgreSQL, not built yet) and forwards every call through the
 * backend's operations table.
 */
#include <string.h>
#include <assert.h>
#include "store_impl.h"

/* 1 if `target` names a PostgreSQL database. */
static int is_postgres_url(const char *target)
{
    return strncmp(target, "postgres://", 11) == 0 ||
           strncmp(target, "postgresql://", 13) == 0;
}

eg_err eg_store_open(const char *target, int migrate_to, eg_store **out, eg_diag *d)
{
    *out = NULL;
    if (!target || !*target)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "--db", "no database given");
    if (is_postgres_url(target))
        return eg_diag_set(d, EG_ERR_UNSUPPORTED, NULL, 0, "--db",
                           "the PostgreSQL backend is not built yet; use an SQLite file path");
    return eg_sqlite_open(target, migrate_to, out, d);
}

void eg_store_close(eg_store *s)
{
    if (s)
        s->ops->close(s);
}

int eg_store_schema_version(eg_store *s) { return s->ops->schema_version(s); }
eg_err eg_store_migrate(eg_store *s, int v, eg_diag *d) { return s->ops->migrate(s, v, d); }
const char *eg_store_backend(const eg_store *s) { return s->ops->name; }
eg_err eg_store_begin(eg_store *s) { return s->ops->begin(s); }
eg_err eg_store_commit(eg_store *s) { return s->ops->commit(s); }
eg_err eg_store_rollback(eg_store *s) { return s->ops->rollback(s); }
const char *eg_store_errmsg(const eg_store *s) { return s->ops->errmsg(s); }

eg_err eg_store_meta_get(eg_store *s, const char *k, char *buf, size_t n)
{
    assert(buf && n > 0);
    return s->ops->meta_get(s, k, buf, n);
}
eg_err eg_store_meta_set(eg_store *s, const char *k, const char *v) { return s->ops->meta_set(s, k, v); }

eg_err eg_store_division_put(eg_store *s, const eg_division_rec *r) { return s->ops->division_put(s, r); }
eg_err eg_store_division_each(eg_store *s, eg_division_fn fn, void *ctx) { return s->ops->division_each(s, fn, ctx); }
eg_err eg_store_division_count(eg_store *s, long *n) { return s->ops->division_count(s, n); }

eg_err eg_store_staff_put(eg_store *s, const eg_staff_rec *r, int *c) { return s->ops->staff_put(s, r, c); }
eg_err eg_store_staff_each(eg_store *s, const char *j, eg_staff_fn fn, void *ctx) { return s->ops->staff_each(s, j, fn, ctx); }

eg_err eg_store_person_put(eg_store *s, const eg_person_rec *r, int *c) { return s->ops->person_put(s, r, c); }
eg_err eg_store_person_get(eg_store *s, const char *id, eg_person_fn fn, void *ctx) { return s->ops->person_get(s, id, fn, ctx); }
eg_err eg_store_person_count(eg_store *s, long *n) { return s->ops->person_count(s, n); }
eg_err eg_store_person_count_by_juris(eg_store *s, eg_count_fn fn, void *ctx) { return s->ops->person_count_by_juris(s, fn, ctx); }
eg_err eg_store_staff_count_by_juris(eg_store *s, eg_count_fn fn, void *ctx) { return s->ops->staff_count_by_juris(s, fn, ctx); }

eg_err eg_store_audit_add(eg_store *s, const eg_audit_rec *r) { return s->ops->audit_add(s, r); }
eg_err eg_store_audit_each(eg_store *s, eg_time f, eg_time t, eg_audit_fn fn, void *ctx) { return s->ops->audit_each(s, f, t, fn, ctx); }
eg_err eg_store_import_log_add(eg_store *s, const eg_import_log_rec *r) { return s->ops->import_log_add(s, r); }
eg_err eg_store_import_log_count(eg_store *s, const char *k, long *n) { return s->ops->import_log_count(s, k, n); }

eg_err eg_store_leg_put(eg_store *s, const eg_leg *l, int *dup) { return s->ops->leg_put(s, l, dup); }
eg_err eg_store_leg_each(eg_store *s, eg_date f, eg_date t, eg_leg_fn fn, void *ctx) { return s->ops->leg_each(s, f, t, fn, ctx); }
eg_err eg_store_leg_each_person(eg_store *s, const char *id, eg_leg_fn fn, void *ctx) { return s->ops->leg_each_person(s, id, fn, ctx); }
eg_err eg_store_leg_stats(eg_store *s, long *n, eg_date *latest) { return s->ops->leg_stats(s, n, latest); }
eg_err eg_store_case_trip_put(eg_store *s, const eg_case_trip *c, const char *o, int *dup) { return s->ops->case_trip_put(s, c, o, dup); }
eg_err eg_store_case_trip_each(eg_store *s, eg_case_trip_fn fn, void *ctx) { return s->ops->case_trip_each(s, fn, ctx); }
eg_err eg_store_risk_area_put(eg_store *s, const eg_risk_area *a) { return s->ops->risk_area_put(s, a); }
eg_err eg_store_risk_area_each(eg_store *s, eg_risk_area_fn fn, void *ctx) { return s->ops->risk_area_each(s, fn, ctx); }

eg_err eg_store_order_latest(eg_store *s, const char *id, eg_order_fn fn, void *ctx) { return s->ops->order_latest(s, id, fn, ctx); }
eg_err eg_store_order_insert(eg_store *s, const eg_order_rec *r, int64_t *id) { return s->ops->order_insert(s, r, id); }
eg_err eg_store_order_update(eg_store *s, const eg_order_rec *r) { return s->ops->order_update(s, r); }
eg_err eg_store_evidence_add(eg_store *s, const char *o, int64_t oid, const char *k, int64_t ref, int *added) { return s->ops->evidence_add(s, o, oid, k, ref, added); }
eg_err eg_store_order_each(eg_store *s, const char *j, eg_order_fn fn, void *ctx) { return s->ops->order_each(s, j, fn, ctx); }
eg_err eg_store_task_insert(eg_store *s, const eg_task_rec *r, int64_t *id) { return s->ops->task_insert(s, r, id); }
eg_err eg_store_task_count(eg_store *s, const char *st, long *n) { return s->ops->task_count(s, st, n); }
eg_err eg_store_request_get(eg_store *s, const char *id, const char *j, eg_request_fn fn, void *ctx) { return s->ops->request_get(s, id, j, fn, ctx); }
eg_err eg_store_request_insert(eg_store *s, const eg_request_rec *r, int64_t *id) { return s->ops->request_insert(s, r, id); }
eg_err eg_store_request_update(eg_store *s, const eg_request_rec *r) { return s->ops->request_update(s, r); }
eg_err eg_store_request_count(eg_store *s, int u, long *n) { return s->ops->request_count(s, u, n); }
