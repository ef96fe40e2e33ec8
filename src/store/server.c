/*
 * store/server.c: the public store operations of the server module
 * (epigrid/auth.h), dispatching to the backend's server operations.
 * A backend without them answers EG_ERR_UNSUPPORTED.
 */
#include <string.h>
#include "server_ops.h"

/* The backend's server operations, or NULL. */
static const struct eg_server_ops *SV(eg_store *s) { return s->ops->server; }

#define CALL(op, ...) \
    (SV(s) && SV(s)->op ? SV(s)->op(__VA_ARGS__) : EG_ERR_UNSUPPORTED)

eg_err eg_store_user_add(eg_store *s, const eg_user_rec *r, int64_t *id) { return CALL(user_add, s, r, id); }
eg_err eg_store_user_get(eg_store *s, const char *name, int64_t id, eg_user_fn fn, void *ctx) { return CALL(user_get, s, name, id, fn, ctx); }
eg_err eg_store_user_each(eg_store *s, eg_user_fn fn, void *ctx) { return CALL(user_each, s, fn, ctx); }
eg_err eg_store_user_set_password(eg_store *s, int64_t id, const char *h) { return CALL(user_set_password, s, id, h); }
eg_err eg_store_user_revoke(eg_store *s, int64_t id, eg_time at) { return CALL(user_revoke, s, id, at); }

eg_err eg_store_session_add(eg_store *s, const char *th, int64_t uid, eg_time c, eg_time x, const char *addr) { return CALL(session_add, s, th, uid, c, x, addr); }
eg_err eg_store_session_user(eg_store *s, const char *th, eg_time now, eg_user_fn fn, void *ctx) { return CALL(session_user, s, th, now, fn, ctx); }
eg_err eg_store_session_revoke(eg_store *s, const char *th, eg_time at) { return CALL(session_revoke, s, th, at); }

eg_err eg_store_login_fail(eg_store *s, const char *k, int64_t now) { return CALL(login_fail, s, k, now); }
eg_err eg_store_login_state(eg_store *s, const char *k, long *n, int64_t *last) { return CALL(login_state, s, k, n, last); }
eg_err eg_store_login_clear(eg_store *s, const char *k) { return CALL(login_clear, s, k); }

eg_err eg_store_savepoint(eg_store *s) { return CALL(savepoint, s, 0); }
eg_err eg_store_savepoint_release(eg_store *s) { return CALL(savepoint, s, 1); }
eg_err eg_store_savepoint_rollback(eg_store *s) { return CALL(savepoint, s, 2); }
eg_err eg_store_durable(eg_store *s, int on) { return CALL(durable, s, on); }
eg_err eg_store_wal_autocheckpoint(eg_store *s, int pages) { return pages < 0 ? EG_ERR_INVALID : CALL(wal, s, pages); }
eg_err eg_store_wal_checkpoint(eg_store *s) { return CALL(wal, s, -1); }

eg_err eg_store_person_by_pid(eg_store *s, const eg_scope *sc, const char *pid, eg_person_fn fn, void *ctx) { return CALL(person_by_pid, s, sc, pid, fn, ctx); }
eg_err eg_store_person_page(eg_store *s, const eg_scope *sc, const char *j, const char *aj, const char *ap, long off, long lim, eg_person_fn fn, void *ctx) { return CALL(person_page, s, sc, j, aj, ap, off, lim, fn, ctx); }
eg_err eg_store_person_search(eg_store *s, const eg_scope *sc, const char *id, const char *nm, const char *ph, long lim, eg_person_fn fn, void *ctx) { return CALL(person_search, s, sc, id, nm, ph, lim, fn, ctx); }
eg_err eg_store_order_page(eg_store *s, const eg_scope *sc, const char *j, const char *st, eg_date f, eg_date t, const char *aj, int64_t after, long lim, eg_order_row_fn fn, void *ctx) { return CALL(order_page, s, sc, j, st, f, t, aj, after, lim, fn, ctx); }
eg_err eg_store_task_page(eg_store *s, const eg_scope *sc, const char *j, const char *st, eg_date f, eg_date t, const char *aj, int64_t after, long lim, eg_task_row_fn fn, void *ctx) { return CALL(task_page, s, sc, j, st, f, t, aj, after, lim, fn, ctx); }
eg_err eg_store_audit_page(eg_store *s, eg_time f, eg_time t, const char *actor, int64_t after, long lim, eg_audit_fn fn, void *ctx) { return CALL(audit_page, s, f, t, actor, after, lim, fn, ctx); }
eg_err eg_store_purge(eg_store *s, eg_date before, eg_time at, long *n) { return CALL(purge, s, before, at, n); }

/* 1 if `code` lies in prefix `p` by its characters (the rule of the
 * queries: equal, or a longer code starting with p). */
static int has_prefix(const char *code, const char *p)
{
    return strncmp(code, p, strlen(p)) == 0;
}

int eg_scope_contains(const eg_scope *sc, const char *code)
{
    if (!sc->code[0])
        return 1;
    if (sc->exact ? strcmp(code, sc->code) != 0 : !has_prefix(code, sc->code))
        return 0;
    for (int i = 0; i < sc->n_exclude; i++)
        if (sc->exclude[i][0] && has_prefix(code, sc->exclude[i]))
            return 0;
    return 1;
}
