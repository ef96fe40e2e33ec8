/*
 * store/sqlite_server.c: the SQLite side of the server module: its schema
 * migration (version 6: user accounts, sessions, failed-login counters,
 * person indexes for scoped paging and phone search, the purge marker)
 * and its operations (statement slots EG_SQ_EXT_SERVER..+63).
 *
 * Scopes become one index range on juris_code: [lo, hi) where hi is the
 * scope's code followed by '~' (above every digit and '-'), or by '!'
 * (below them) for an exact grid, intersected with the `juris` filter,
 * minus up to EG_SCOPE_MAX_EXCLUDE ranges of subtrees administered
 * elsewhere. So the scope is part of every query, never a filter after.
 */
#include <stdio.h>
#include <string.h>
#include "sqlite_internal.h"

const char *const EG_SQ_MIGRATION_6[] = {
    "CREATE TABLE app_user("
    " user_id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, role TEXT NOT NULL,"
    " juris_code TEXT NOT NULL, staff_id TEXT NOT NULL, pw_hash TEXT NOT NULL,"
    " active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, revoked_at TEXT)",
    "CREATE TABLE session("
    " token_hash TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES app_user(user_id),"
    " created_at TEXT NOT NULL, expires_at TEXT NOT NULL, addr TEXT NOT NULL DEFAULT '',"
    " revoked_at TEXT) WITHOUT ROWID",
    "CREATE INDEX session_user ON session(user_id)",
    "CREATE TABLE login_failure("
    " key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_unix INTEGER NOT NULL) WITHOUT ROWID",
    "CREATE INDEX person_juris_pid ON person(juris_code, pid)",
    "CREATE INDEX person_phone ON person(phone)",
    "ALTER TABLE person ADD COLUMN purged_at TEXT",
    "CREATE INDEX control_order_juris_id ON control_order(juris_code, order_id)",
    "CREATE INDEX verification_task_juris_id ON verification_task(juris_code, task_id)",
    NULL
};

enum {
    SV_USER_ADD = EG_SQ_EXT_SERVER, SV_USER_BY_NAME, SV_USER_BY_ID, SV_USER_EACH, SV_USER_PW,
    SV_USER_REVOKE, SV_USER_REVOKE_SESSIONS, SV_SESSION_ADD, SV_SESSION_USER, SV_SESSION_REVOKE,
    SV_LOGIN_FAIL, SV_LOGIN_STATE, SV_LOGIN_CLEAR, SV_PERSON_PID, SV_PERSON_PAGE,
    SV_SEARCH_ID, SV_SEARCH_PHONE, SV_SEARCH_NAME, SV_ORDER_PAGE, SV_TASK_PAGE, SV_AUDIT_PAGE,
    SV_PURGE_MAP_CREATE, SV_PURGE_MAP_CLEAR, SV_PURGE_MAP_FILL, SV_PURGE_PERSON, SV_PURGE_ORDER,
    SV_PURGE_REQUEST, SV_PURGE_LEG, SV_PURGE_TEST, SV_PURGE_READING, SV_PURGE_ALERT,
    SV_PURGE_ADMISSION, SV_PURGE_FEVER, SV_SP_SET, SV_SP_RELEASE, SV_SP_ROLLBACK, SV__END
};
_Static_assert(SV__END <= EG_SQ_EXT_SERVER + 64, "the server module has 64 statement slots");

/* The scope and juris ranges and the exclusions, on column `c`. */
#define RANGE(c) " " c " >= :lo AND " c " < :hi AND NOT (" c " >= :x1 AND " c " < :y1)" \
                 " AND NOT (" c " >= :x2 AND " c " < :y2) AND NOT (" c " >= :x3 AND " c " < :y3)" \
                 " AND NOT (" c " >= :x4 AND " c " < :y4)"

/* A user: columns from USER_ADD_FROM on are what an insert writes (a new
 * user is active and not revoked). */
static const eg_col USER_COLUMNS[] = {
    EG_COLX(eg_user_rec, id, EG_COL_I64, "user_id"), EG_COL(eg_user_rec, active, EG_COL_INT),
    EG_COL(eg_user_rec, revoked_at, EG_COL_TIME0), EG_COL(eg_user_rec, name, EG_COL_STR),
    EG_COL(eg_user_rec, role, EG_COL_STR), EG_COL(eg_user_rec, juris_code, EG_COL_STR),
    EG_COL(eg_user_rec, staff_id, EG_COL_STR), EG_COL(eg_user_rec, pw_hash, EG_COL_STR),
    EG_COL(eg_user_rec, created_at, EG_COL_TIME),
};
static const eg_colmap USER_MAP = EG_COLMAP("app_user", USER_COLUMNS);
enum { USER_ADD_FROM = 3 };

/* An order as the pages list it: control_order joined as `o`, read through
 * the control module's map (sqlite_control.c). */
#define ORDER_MAP EG_SQ_ORDER_MAP

/* A task as listed: the task (t), its order (o) and the person (p). */
static const eg_col TASK_ROW_COLUMNS[] = {
    EG_COLX(eg_task_row, task.id, EG_COL_I64, "t.task_id"), EG_COLX(eg_task_row, task.tid, EG_COL_BUF, "t.tid"),
    EG_COLX(eg_task_row, task.kind, EG_COL_BUF, "t.kind"),
    EG_COLX(eg_task_row, task.order_id, EG_COL_I64, "t.order_id"),
    EG_COLX(eg_task_row, task.id_no, EG_COL_BUF, "o.id_no"),
    EG_COLX(eg_task_row, task.name, EG_COL_BUF, "o.name"),
    EG_COLX(eg_task_row, task.juris_code, EG_COL_BUF, "t.juris_code"),
    EG_COLX(eg_task_row, task.state, EG_COL_BUF, "t.state"),
    EG_COLX(eg_task_row, task.created_at, EG_COL_TIME, "t.created_at"),
    EG_COLX(eg_task_row, task.due_at, EG_COL_TIME, "t.due_at"),
    EG_COLX(eg_task_row, task.closed_at, EG_COL_TIME0, "t.closed_at"),
    EG_COLX(eg_task_row, task.closed_by, EG_COL_BUF, "t.closed_by"),
    EG_COLX(eg_task_row, task.note, EG_COL_BUF, "t.note"), EG_COLX(eg_task_row, order_oid, EG_COL_BUF, "o.oid"),
    EG_COLX(eg_task_row, measure, EG_COL_BUF, "o.measure"),
    EG_COLX(eg_task_row, pid, EG_COL_BUF, "coalesce(p.pid, '')"),
};
static const eg_colmap TASK_ROW_MAP = EG_COLMAP("verification_task", TASK_ROW_COLUMNS);

static const char *const SQL[SV__END - EG_SQ_EXT_SERVER] = {
#define S(id) [id - EG_SQ_EXT_SERVER]
    S(SV_USER_ADD) = "INSERT INTO app_user({names}) VALUES({params})",
    S(SV_USER_BY_NAME) = "SELECT {cols} FROM app_user WHERE name = ?1",
    S(SV_USER_BY_ID) = "SELECT {cols} FROM app_user WHERE user_id = ?1",
    S(SV_USER_EACH) = "SELECT {cols} FROM app_user ORDER BY user_id",
    S(SV_USER_PW) = "UPDATE app_user SET pw_hash = ?2 WHERE user_id = ?1",
    S(SV_USER_REVOKE) = "UPDATE app_user SET active = 0, revoked_at = ?2 WHERE user_id = ?1",
    S(SV_USER_REVOKE_SESSIONS) = "UPDATE session SET revoked_at = ?2 WHERE user_id = ?1 AND revoked_at IS NULL",
    S(SV_SESSION_ADD) = "INSERT INTO session(token_hash, user_id, created_at, expires_at, addr)"
                        " VALUES(?1,?2,?3,?4,?5)",
    S(SV_SESSION_USER) = "SELECT {cols} FROM app_user WHERE user_id = (SELECT user_id FROM session"
                         " WHERE token_hash = ?1 AND revoked_at IS NULL AND expires_at > ?2) AND active = 1",
    S(SV_SESSION_REVOKE) = "UPDATE session SET revoked_at = ?2 WHERE token_hash = ?1 AND revoked_at IS NULL",
    S(SV_LOGIN_FAIL) = "INSERT INTO login_failure(key, failures, last_unix) VALUES(?1, 1, ?2)"
                       " ON CONFLICT(key) DO UPDATE SET failures = CASE WHEN excluded.last_unix - last_unix"
                       " > ?3 THEN 1 ELSE failures + 1 END, last_unix = excluded.last_unix",
    S(SV_LOGIN_STATE) = "SELECT failures, last_unix FROM login_failure WHERE key = ?1",
    S(SV_LOGIN_CLEAR) = "DELETE FROM login_failure WHERE key = ?1",
    S(SV_PERSON_PID) = "SELECT {cols} FROM person WHERE pid = :pid AND" RANGE("juris_code"),
    S(SV_PERSON_PAGE) = "SELECT {cols} FROM person WHERE" RANGE("juris_code")
                        " AND (juris_code, pid) > (:aj, :ap) ORDER BY juris_code, pid LIMIT :lim OFFSET :off",
    S(SV_SEARCH_ID) = "SELECT {cols} FROM person WHERE id_no = :id AND (:nm = '' OR name_norm = :nm)"
                      " AND (:ph = '' OR phone = :ph) AND" RANGE("juris_code") " ORDER BY pid LIMIT :lim",
    S(SV_SEARCH_PHONE) = "SELECT {cols} FROM person WHERE phone = :ph AND (:nm = '' OR name_norm = :nm)"
                         " AND" RANGE("juris_code") " ORDER BY pid LIMIT :lim",
    S(SV_SEARCH_NAME) = "SELECT {cols} FROM person WHERE name_norm = :nm AND" RANGE("juris_code")
                        " ORDER BY pid LIMIT :lim",
    S(SV_ORDER_PAGE) = "SELECT {cols}, coalesce(p.pid, '') FROM control_order o"
                       " LEFT JOIN person p ON p.id_no = o.id_no WHERE" RANGE("o.juris_code")
                       " AND (:st = '' OR o.state = :st) AND (:from = '' OR o.start_date >= :from)"
                       " AND (:to = '' OR o.start_date <= :to) AND (o.juris_code, o.order_id) > (:aj, :after)"
                       " ORDER BY o.juris_code, o.order_id LIMIT :lim",
    S(SV_TASK_PAGE) = "SELECT {cols} FROM verification_task t JOIN control_order o ON o.order_id = t.order_id"
                      " LEFT JOIN person p ON p.id_no = o.id_no WHERE" RANGE("t.juris_code")
                      " AND (:st = '' OR t.state = :st) AND (:from = '' OR substr(t.created_at, 1, 10) >= :from)"
                      " AND (:to = '' OR substr(t.created_at, 1, 10) <= :to) AND (t.juris_code, t.task_id) > (:aj, :after)"
                      " ORDER BY t.juris_code, t.task_id LIMIT :lim",
    S(SV_AUDIT_PAGE) = "SELECT {cols} FROM audit"
                       " WHERE at >= ?1 AND at < ?2 AND (?3 = '' OR actor = ?3) AND audit_id > ?4"
                       " ORDER BY audit_id LIMIT ?5",
    S(SV_PURGE_MAP_CREATE) = "CREATE TEMP TABLE IF NOT EXISTS purge_map(id_no TEXT PRIMARY KEY, pseudo TEXT NOT NULL)",
    S(SV_PURGE_MAP_CLEAR) = "DELETE FROM temp.purge_map",
    S(SV_PURGE_MAP_FILL) = "INSERT INTO temp.purge_map(id_no, pseudo) SELECT id_no, 'PSEUDO-' ||"
                           " lower(hex(randomblob(8))) FROM control_order WHERE id_no NOT LIKE 'PSEUDO-%'"
                           " GROUP BY id_no HAVING max(end_date) < ?1",
    S(SV_PURGE_PERSON) = "UPDATE person SET id_no = (SELECT pseudo FROM temp.purge_map m WHERE m.id_no = person.id_no),"
                         " name = '', name_norm = '', phone = '', address = '', birth_date = NULL, purged_at = ?1"
                         " WHERE id_no IN (SELECT id_no FROM temp.purge_map)",
    S(SV_PURGE_ORDER) = "UPDATE control_order SET id_no = (SELECT pseudo FROM temp.purge_map m"
                        " WHERE m.id_no = control_order.id_no), name = '' WHERE id_no IN (SELECT id_no FROM temp.purge_map)",
    S(SV_PURGE_REQUEST) = "UPDATE assistance_request SET id_no = (SELECT pseudo FROM temp.purge_map m"
                          " WHERE m.id_no = assistance_request.id_no), name = ''"
                          " WHERE id_no IN (SELECT id_no FROM temp.purge_map)",
    S(SV_PURGE_LEG) = "UPDATE travel_leg SET id_no = (SELECT pseudo FROM temp.purge_map m"
                      " WHERE m.id_no = travel_leg.id_no), name = '', phone = ''"
                      " WHERE id_no IN (SELECT id_no FROM temp.purge_map)",
#define PSEUDO(tbl) "(SELECT pseudo FROM temp.purge_map m WHERE m.id_no = " tbl ".id_no)"
#define PURGED " WHERE id_no IN (SELECT id_no FROM temp.purge_map)"
    S(SV_PURGE_TEST) = "UPDATE lab_test SET id_no = " PSEUDO("lab_test") PURGED,
    S(SV_PURGE_READING) = "UPDATE reading SET id_no = " PSEUDO("reading") PURGED,
    S(SV_PURGE_ALERT) = "UPDATE alert SET id_no = " PSEUDO("alert") ", name = ''" PURGED,
    S(SV_PURGE_ADMISSION) = "UPDATE admission SET id_no = " PSEUDO("admission") ", name = ''" PURGED,
    S(SV_PURGE_FEVER) = "UPDATE fever SET id_no = " PSEUDO("fever") ", name = '', phone = ''" PURGED,
#undef PSEUDO
#undef PURGED
    S(SV_SP_SET) = "SAVEPOINT eg_w",
    S(SV_SP_RELEASE) = "RELEASE eg_w",
    S(SV_SP_ROLLBACK) = "ROLLBACK TO eg_w",
#undef S
};

/* The map of each statement that has one ({cols}, {names}, {params}),
 * and the column its {names} and {params} start from. */
static const struct sv_map {
    const eg_colmap *map;
    int from;
} MAP[SV__END - EG_SQ_EXT_SERVER] = {
#define S(id) [id - EG_SQ_EXT_SERVER]
    S(SV_USER_ADD) = { &USER_MAP, USER_ADD_FROM }, S(SV_USER_BY_NAME) = { &USER_MAP, 0 },
    S(SV_USER_BY_ID) = { &USER_MAP, 0 }, S(SV_USER_EACH) = { &USER_MAP, 0 },
    S(SV_SESSION_USER) = { &USER_MAP, 0 }, S(SV_PERSON_PID) = { &EG_SQ_PERSON_MAP, 0 },
    S(SV_PERSON_PAGE) = { &EG_SQ_PERSON_MAP, 0 }, S(SV_SEARCH_ID) = { &EG_SQ_PERSON_MAP, 0 },
    S(SV_SEARCH_PHONE) = { &EG_SQ_PERSON_MAP, 0 }, S(SV_SEARCH_NAME) = { &EG_SQ_PERSON_MAP, 0 },
    S(SV_ORDER_PAGE) = { &ORDER_MAP, 0 }, S(SV_TASK_PAGE) = { &TASK_ROW_MAP, 0 },
    S(SV_AUDIT_PAGE) = { &EG_SQ_AUDIT_MAP, 0 },
#undef S
};

/* The prepared statement of slot `id`, reset and unbound. */
static sqlite3_stmt *sv(sqlite_store *q, int id)
{
    const struct sv_map *m = &MAP[id - EG_SQ_EXT_SERVER];
    return eg_sq_ext_map(q, id, m->map, m->from, SQL[id - EG_SQ_EXT_SERVER]);
}

EG_SQ_ROW_FN(user_row, eg_user_rec, eg_user_fn, USER_MAP)
EG_SQ_ROW_FN(person_row, eg_person_rec, eg_person_fn, EG_SQ_PERSON_MAP)
EG_SQ_ROW_FN(audit_row, eg_audit_rec, eg_audit_fn, EG_SQ_AUDIT_MAP)
EG_SQ_ROW_FN(task_row, eg_task_row, eg_task_row_fn, TASK_ROW_MAP)

/* Bind text to a named parameter (absent names are ignored). */
static void bind_named(sqlite3_stmt *st, const char *name, const char *v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        eg_sq_bind_text(st, i, v);
}

/* Bind an integer to a named parameter. */
static void bind_named_int(sqlite3_stmt *st, const char *name, int64_t v)
{
    int i = sqlite3_bind_parameter_index(st, name);
    if (i > 0)
        sqlite3_bind_int64(st, i, v);
}

/* The range [lo, hi) of a code: everything below it, or (exact) itself. */
static void code_range(const char *code, int exact, char *lo, char *hi)
{
    snprintf(lo, EG_CODE_BUFSZ + 2, "%s", code);
    snprintf(hi, EG_CODE_BUFSZ + 2, "%s%s", code, exact ? "!" : "~");
}

/* Bind the scope `sc` intersected with `juris` (NULL/"": none). Returns 0
 * when the intersection is empty (nothing can match), else 1. */
static int bind_scope(sqlite3_stmt *st, const eg_scope *sc, const char *juris)
{
    char lo[EG_CODE_BUFSZ + 2] = "", hi[EG_CODE_BUFSZ + 2] = "~";
    static const char *const X[] = { ":x1", ":x2", ":x3", ":x4" }, *const Y[] = { ":y1", ":y2", ":y3", ":y4" };
    if (sc && sc->code[0])
        code_range(sc->code, sc->exact, lo, hi);
    if (juris && *juris) {
        char jl[EG_CODE_BUFSZ + 2], jh[EG_CODE_BUFSZ + 2];
        code_range(juris, strchr(juris, '-') != NULL, jl, jh);
        if (strcmp(jl, lo) > 0)
            memcpy(lo, jl, sizeof lo);
        if (strcmp(jh, hi) < 0)
            memcpy(hi, jh, sizeof hi);
    }
    bind_named(st, ":lo", lo);
    bind_named(st, ":hi", hi);
    for (int i = 0; i < EG_SCOPE_MAX_EXCLUDE; i++) {
        char xl[EG_CODE_BUFSZ + 2] = "", xh[EG_CODE_BUFSZ + 2] = "";
        if (sc && i < sc->n_exclude && sc->exclude[i][0])
            code_range(sc->exclude[i], 0, xl, xh);
        bind_named(st, X[i], xl);
        bind_named(st, Y[i], xh);
    }
    return strcmp(lo, hi) < 0;
}

/* ---- users ---- */

static eg_err sq_user_add(eg_store *s, const eg_user_rec *r, int64_t *id)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = sv(q, SV_USER_ADD);
    int rc;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, &USER_MAP, USER_ADD_FROM, USER_MAP.n, r);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_CONSTRAINT)
        return EG_ERR_EXISTS;
    if (rc != SQLITE_DONE)
        return eg_sq_db_fail(q);
    if (id)
        *id = sqlite3_last_insert_rowid(q->db);
    return EG_OK;
}

static eg_err sq_user_get(eg_store *s, const char *name, int64_t id, eg_user_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = sv(q, name ? SV_USER_BY_NAME : SV_USER_BY_ID);
    if (!st)
        return EG_ERR_DB;
    if (name)
        eg_sq_bind_text(st, 1, name);
    else
        sqlite3_bind_int64(st, 1, id);
    return eg_sq_one_row(q, st, user_row, (void *)fn, ctx);
}

static eg_err sq_user_each(eg_store *s, eg_user_fn fn, void *ctx)
{
    sqlite3_stmt *st = sv(SQ(s), SV_USER_EACH);
    return st ? eg_sq_each_row(SQ(s), st, user_row, (void *)fn, ctx) : EG_ERR_DB;
}

/* Run an update of (id, text) and say EG_ERR_NOT_FOUND when no row changed. */
static eg_err update_id(sqlite_store *q, int slot, int64_t id, const char *text, eg_time at)
{
    sqlite3_stmt *st = sv(q, slot);
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    if (text)
        eg_sq_bind_text(st, 2, text);
    else
        eg_sq_bind_time(st, 2, at);
    e = eg_sq_step_done(q, st);
    if (!e && sqlite3_changes(q->db) == 0 && slot != SV_USER_REVOKE_SESSIONS)
        e = EG_ERR_NOT_FOUND;
    return e;
}

static eg_err sq_user_set_password(eg_store *s, int64_t id, const char *h)
{
    return update_id(SQ(s), SV_USER_PW, id, h, 0);
}

static eg_err sq_user_revoke(eg_store *s, int64_t id, eg_time at)
{
    eg_err e = update_id(SQ(s), SV_USER_REVOKE, id, NULL, at);
    return e ? e : update_id(SQ(s), SV_USER_REVOKE_SESSIONS, id, NULL, at);
}

/* ---- sessions ---- */

static eg_err sq_session_add(eg_store *s, const char *th, int64_t uid, eg_time c, eg_time x, const char *addr)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = sv(q, SV_SESSION_ADD);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, th);
    sqlite3_bind_int64(st, 2, uid);
    eg_sq_bind_time(st, 3, c);
    eg_sq_bind_time(st, 4, x);
    eg_sq_bind_text(st, 5, addr);
    return eg_sq_step_done(q, st);
}

static eg_err sq_session_user(eg_store *s, const char *th, eg_time now, eg_user_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = sv(q, SV_SESSION_USER);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, th);
    eg_sq_bind_time(st, 2, now);
    return eg_sq_one_row(q, st, user_row, (void *)fn, ctx);
}

static eg_err sq_session_revoke(eg_store *s, const char *th, eg_time at)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = sv(q, SV_SESSION_REVOKE);
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, th);
    eg_sq_bind_time(st, 2, at);
    e = eg_sq_step_done(q, st);
    return !e && sqlite3_changes(q->db) == 0 ? EG_ERR_NOT_FOUND : e;
}

/* ---- failed logins ---- */

static eg_err sq_login_fail(eg_store *s, const char *key, int64_t now, long window_s)
{
    sqlite3_stmt *st = sv(SQ(s), SV_LOGIN_FAIL);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, key);
    sqlite3_bind_int64(st, 2, now);
    sqlite3_bind_int64(st, 3, window_s);
    return eg_sq_step_done(SQ(s), st);
}

/* A failure count and the moment of the last failure (login_row). */
typedef struct login_counts {
    long *failures;
    int64_t *last;
} login_counts;

/* eg_sq_row_fn: (failures, last_unix) into the login_counts ctx. */
static eg_err login_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    login_counts *c = ctx;
    (void)fn;
    *c->failures = (long)sqlite3_column_int64(st, 0);
    *c->last = sqlite3_column_int64(st, 1);
    return EG_OK;
}

static eg_err sq_login_state(eg_store *s, const char *key, long *n, int64_t *last)
{
    sqlite3_stmt *st = sv(SQ(s), SV_LOGIN_STATE);
    login_counts c = { n, last };
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, key);
    *n = 0;
    *last = 0;
    e = eg_sq_one_row(SQ(s), st, login_row, NULL, &c);
    return e == EG_ERR_NOT_FOUND ? EG_OK : e;
}

static eg_err sq_login_clear(eg_store *s, const char *key)
{
    sqlite3_stmt *st = sv(SQ(s), SV_LOGIN_CLEAR);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, key);
    return eg_sq_step_done(SQ(s), st);
}

/* ---- savepoints and durability ---- */

static eg_err sq_savepoint(eg_store *s, int op)
{
    /* prepared once: the writer sets one per request */
    static const int SLOT[] = { SV_SP_SET, SV_SP_RELEASE, SV_SP_ROLLBACK };
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = sv(q, SLOT[op]);
    eg_err e = st ? eg_sq_step_done(q, st) : EG_ERR_DB;
    if (!e && op == 2)
        e = sq_savepoint(s, 1);
    return e;
}

static eg_err sq_durable(eg_store *s, int on)
{
    return eg_sq_exec_sql(SQ(s), on ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
}

static eg_err sq_wal(eg_store *s, int pages)
{
    sqlite_store *q = SQ(s);
    if (pages < -1)
        return EG_ERR_INVALID;
    if (pages >= 0)
        return sqlite3_wal_autocheckpoint(q->db, pages) == SQLITE_OK ? EG_OK : eg_sq_db_fail(q);
    int rc = sqlite3_wal_checkpoint_v2(q->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    return rc == SQLITE_OK || rc == SQLITE_BUSY ? EG_OK : eg_sq_db_fail(q);
}

/* ---- scoped reads ---- */

/* The statement of `slot` with the scope `sc` intersected with `juris`
 * bound; NULL with *e = EG_ERR_DB when it cannot be prepared, or with
 * *e = EG_OK when nothing can match. */
static sqlite3_stmt *scoped(sqlite_store *q, int slot, const eg_scope *sc, const char *juris, eg_err *e)
{
    sqlite3_stmt *st = sv(q, slot);
    *e = st ? EG_OK : EG_ERR_DB;
    return st && bind_scope(st, sc, juris) ? st : NULL;
}

static eg_err sq_person_by_pid(eg_store *s, const eg_scope *sc, const char *pid, eg_person_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    eg_err e;
    sqlite3_stmt *st = scoped(q, SV_PERSON_PID, sc, NULL, &e);
    if (!st)
        return e ? e : EG_ERR_NOT_FOUND;
    bind_named(st, ":pid", pid);
    return eg_sq_one_row(q, st, person_row, (void *)fn, ctx);
}

static eg_err sq_person_page(eg_store *s, const eg_scope *sc, const char *juris, const char *aj,
                             const char *ap, long offset, long limit, eg_person_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    eg_err e;
    sqlite3_stmt *st = scoped(q, SV_PERSON_PAGE, sc, juris, &e);
    if (!st)
        return e;
    bind_named(st, ":aj", aj);
    bind_named(st, ":ap", ap);
    bind_named_int(st, ":off", offset);
    bind_named_int(st, ":lim", limit);
    return eg_sq_each_row(q, st, person_row, (void *)fn, ctx);
}

static eg_err sq_person_search(eg_store *s, const eg_scope *sc, const char *id_no, const char *name_norm,
                               const char *phone, long limit, eg_person_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    int slot = id_no && *id_no ? SV_SEARCH_ID : phone && *phone ? SV_SEARCH_PHONE
             : name_norm && *name_norm ? SV_SEARCH_NAME : -1;
    sqlite3_stmt *st;
    eg_err e;
    if (slot < 0)
        return EG_ERR_INVALID;
    if (!(st = scoped(q, slot, sc, NULL, &e)))
        return e;
    bind_named(st, ":id", id_no);
    bind_named(st, ":nm", name_norm);
    bind_named(st, ":ph", phone);
    bind_named_int(st, ":lim", limit);
    return eg_sq_each_row(q, st, person_row, (void *)fn, ctx);
}

/* Bind the date filters :from and :to ("" when open). */
static void bind_dates(sqlite3_stmt *st, eg_date from, eg_date to)
{
    char b[EG_DATE_BUFSZ];
    bind_named(st, ":from", from == EG_NO_DATE ? "" : eg_date_format(from, b));
    bind_named(st, ":to", to == EG_NO_DATE ? "" : eg_date_format(to, b));
}

/* eg_sq_row_fn: one order row (ORDER_MAP, then the person's pid) to an
 * eg_order_row_fn. */
static eg_err order_page_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_ctl_order o;
    memset(&o, 0, sizeof o);
    eg_sq_read_cols(st, 0, &ORDER_MAP, &o);
    return ((eg_order_row_fn)fn)(ctx, &o, eg_sq_col_text(st, ORDER_MAP.n));
}

/* A page of slot `slot` (the order or the task page): bind the scope and
 * juris, the state, the dates and the key after which to start, and call
 * row for each row, at most `limit`. */
static eg_err page(eg_store *s, int slot, const eg_scope *sc, const char *juris, const char *state,
                   eg_date from, eg_date to, const char *after_juris, int64_t after, long limit,
                   eg_sq_row_fn row, void *fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    eg_err e;
    sqlite3_stmt *st = scoped(q, slot, sc, juris, &e);
    if (!st)
        return e;
    bind_named(st, ":st", state);
    bind_dates(st, from, to);
    bind_named(st, ":aj", after_juris);
    bind_named_int(st, ":after", after);
    bind_named_int(st, ":lim", limit);
    return eg_sq_each_row(q, st, row, fn, ctx);
}

static eg_err sq_order_page(eg_store *s, const eg_scope *sc, const char *juris, const char *state,
                            eg_date from, eg_date to, const char *after_juris, int64_t after, long limit,
                            eg_order_row_fn fn, void *ctx)
{
    return page(s, SV_ORDER_PAGE, sc, juris, state, from, to, after_juris, after, limit, order_page_row,
                (void *)fn, ctx);
}

static eg_err sq_task_page(eg_store *s, const eg_scope *sc, const char *juris, const char *state,
                           eg_date from, eg_date to, const char *after_juris, int64_t after, long limit,
                           eg_task_row_fn fn, void *ctx)
{
    return page(s, SV_TASK_PAGE, sc, juris, state, from, to, after_juris, after, limit, task_row, (void *)fn,
                ctx);
}

static eg_err sq_audit_page(eg_store *s, eg_time from, eg_time to, const char *actor, int64_t after,
                            long limit, eg_audit_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = sv(q, SV_AUDIT_PAGE);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_time_range(st, from, to);
    eg_sq_bind_text(st, 3, actor);
    sqlite3_bind_int64(st, 4, after);
    sqlite3_bind_int64(st, 5, limit > 0 ? limit : -1);
    return eg_sq_each_row(q, st, audit_row, (void *)fn, ctx);
}

/* ---- purge ---- */

/* Run one purge statement (slot), binding ?1 to `text` when given. */
static eg_err purge_step(sqlite_store *q, int slot, const char *text)
{
    sqlite3_stmt *st = sv(q, slot);
    if (!st)
        return EG_ERR_DB;
    if (text)
        eg_sq_bind_text(st, 1, text);
    return eg_sq_step_done(q, st);
}

static eg_err sq_purge(eg_store *s, eg_date before, eg_time at, long *n)
{
    sqlite_store *q = SQ(s);
    char d[EG_DATE_BUFSZ], t[EG_TIME_BUFSZ];
    eg_err e;
    *n = 0;
    eg_date_format(before, d);
    eg_time_format(at, t);
    if ((e = purge_step(q, SV_PURGE_MAP_CREATE, NULL)) || (e = purge_step(q, SV_PURGE_MAP_CLEAR, NULL)) ||
        (e = purge_step(q, SV_PURGE_MAP_FILL, d)))
        return e;
    *n = sqlite3_changes(q->db);
    if ((e = purge_step(q, SV_PURGE_PERSON, t)) || (e = purge_step(q, SV_PURGE_ORDER, NULL)) ||
        (e = purge_step(q, SV_PURGE_REQUEST, NULL)) || (e = purge_step(q, SV_PURGE_LEG, NULL)) ||
        (e = purge_step(q, SV_PURGE_TEST, NULL)) || (e = purge_step(q, SV_PURGE_READING, NULL)) ||
        (e = purge_step(q, SV_PURGE_ALERT, NULL)) || (e = purge_step(q, SV_PURGE_ADMISSION, NULL)) ||
        (e = purge_step(q, SV_PURGE_FEVER, NULL)))
        return e;
    return purge_step(q, SV_PURGE_MAP_CLEAR, NULL);
}

/* Fill in the server module's operations. */
void eg_sq_server_ops(eg_store_ops *o)
 {
    o->user_add = sq_user_add;
    o->user_get = sq_user_get;
    o->user_each = sq_user_each;
    o->user_set_password = sq_user_set_password;
    o->user_revoke = sq_user_revoke;
    o->session_add = sq_session_add;
    o->session_user = sq_session_user;
    o->session_revoke = sq_session_revoke;
    o->login_fail = sq_login_fail;
    o->login_state = sq_login_state;
    o->login_clear = sq_login_clear;
    o->savepoint_step = sq_savepoint;
    o->durable = sq_durable;
    o->wal_autocheckpoint = sq_wal;
    o->person_by_pid = sq_person_by_pid;
    o->person_page = sq_person_page;
    o->person_search = sq_person_search;
    o->order_page = sq_order_page;
    o->task_page = sq_task_page;
    o->audit_page = sq_audit_page;
    o->purge = sq_purge;
}
