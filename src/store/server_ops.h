/*
 * store/server_ops.h: the operations a backend implements for the
 * server module (users, sessions, login throttling, savepoints, scoped
 * reads, purge). Public wrappers in src/store/server.c (declared in
 * epigrid/auth.h), the SQLite versions in src/store/sqlite_server.c
 * (schema version 6, statement slots EG_SQ_EXT_SERVER..+63).
 */
#ifndef EG_STORE_SERVER_OPS_H
#define EG_STORE_SERVER_OPS_H

#include "store_impl.h"
#include "epigrid/auth.h"

struct eg_server_ops {
    eg_err (*user_add)(eg_store *s, const eg_user_rec *r, int64_t *id);
    eg_err (*user_get)(eg_store *s, const char *name, int64_t id, eg_user_fn fn, void *ctx);
    eg_err (*user_each)(eg_store *s, eg_user_fn fn, void *ctx);
    eg_err (*user_set_password)(eg_store *s, int64_t id, const char *pw_hash);
    eg_err (*user_revoke)(eg_store *s, int64_t id, eg_time at);
    eg_err (*session_add)(eg_store *s, const char *token_hash, int64_t user_id, eg_time created,
                          eg_time expires, const char *addr);
    eg_err (*session_user)(eg_store *s, const char *token_hash, eg_time now, eg_user_fn fn, void *ctx);
    eg_err (*session_revoke)(eg_store *s, const char *token_hash, eg_time at);
    eg_err (*login_fail)(eg_store *s, const char *key, int64_t unix_now);
    eg_err (*login_state)(eg_store *s, const char *key, long *failures, int64_t *last_unix);
    eg_err (*login_clear)(eg_store *s, const char *key);
    eg_err (*savepoint)(eg_store *s, int op);   /* 0 set, 1 release, 2 roll back */
    eg_err (*durable)(eg_store *s, int on);
    eg_err (*wal)(eg_store *s, int pages);   /* pages >= 0: autocheckpoint; -1: passive checkpoint now */
    eg_err (*person_by_pid)(eg_store *s, const eg_scope *sc, const char *pid, eg_person_fn fn, void *ctx);
    eg_err (*person_page)(eg_store *s, const eg_scope *sc, const char *juris, const char *after_juris,
                          const char *after_pid, long offset, long limit, eg_person_fn fn, void *ctx);
    eg_err (*person_search)(eg_store *s, const eg_scope *sc, const char *id_no, const char *name_norm,
                            const char *phone, long limit, eg_person_fn fn, void *ctx);
    eg_err (*order_page)(eg_store *s, const eg_scope *sc, const char *juris, const char *state,
                         eg_date from, eg_date to, const char *after_juris, int64_t after_id, long limit,
                         eg_order_row_fn fn, void *ctx);
    eg_err (*task_page)(eg_store *s, const eg_scope *sc, const char *juris, const char *state,
                        eg_date from, eg_date to, const char *after_juris, int64_t after_id, long limit,
                        eg_task_row_fn fn, void *ctx);
    eg_err (*audit_page)(eg_store *s, eg_time from, eg_time to, const char *actor, int64_t after_id,
                         long limit, eg_audit_fn fn, void *ctx);
    eg_err (*purge)(eg_store *s, eg_date ended_before, eg_time at, long *n);
};

#endif
