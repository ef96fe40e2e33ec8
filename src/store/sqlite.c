/*
 * store/sqlite.c: the SQLite backend of the storage interface.
 *
 * One database file in WAL mode (readers never block the writer), foreign
 * keys on, a 5 s busy timeout. The schema version lives in PRAGMA
 * user_version and moves forward only, one migration (a list of SQL
 * statements run in one transaction) per step. Every query is a prepared
 * statement, prepared once per handle and reset after use.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "sqlite_internal.h"
#include "epigrid/travel.h"   /* eg_mode_name, eg_mode_parse: the stored names of modes */

/* ---- schema ---- */

/* Version 1: divisions, staff, persons, audit. */
static const char *const MIGRATION_1[] = {
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE division("
    " code TEXT PRIMARY KEY, name TEXT NOT NULL, name_norm TEXT NOT NULL,"
    " level TEXT NOT NULL, parent_code TEXT NOT NULL DEFAULT '',"
    " administered_by TEXT NOT NULL DEFAULT '', unit_type TEXT NOT NULL DEFAULT '',"
    " synthetic INTEGER NOT NULL DEFAULT 0)",
    "CREATE TABLE staff("
    " staff_id TEXT PRIMARY KEY, name TEXT NOT NULL, phone TEXT NOT NULL,"
    " role TEXT NOT NULL, juris_code TEXT NOT NULL, unit TEXT NOT NULL DEFAULT '',"
    " synthetic INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX staff_juris ON staff(juris_code, role)",
    "CREATE TABLE person("
    " pid TEXT PRIMARY KEY DEFAULT (lower(hex(randomblob(8)))),"
    " id_no TEXT NOT NULL UNIQUE, doc_type TEXT NOT NULL DEFAULT 'resident_id',"
    " name TEXT NOT NULL, name_norm TEXT NOT NULL, sex TEXT NOT NULL DEFAULT '',"
    " birth_date TEXT, phone TEXT NOT NULL DEFAULT '',"
    " address_code TEXT NOT NULL, address TEXT NOT NULL DEFAULT '',"
    " juris_code TEXT NOT NULL, synthetic INTEGER NOT NULL DEFAULT 0)",
    "CREATE INDEX person_juris ON person(juris_code)",
    "CREATE INDEX person_name ON person(name_norm)",
    "CREATE TABLE audit("
    " audit_id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL,"
    " actor TEXT NOT NULL, action TEXT NOT NULL,"
    " person_pid TEXT NOT NULL DEFAULT '', detail TEXT NOT NULL DEFAULT '')",
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
    " BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END",
    NULL
};

/* Version 2: a log of every import (what, when, by whom, how many). */
static const char *const MIGRATION_2[] = {
    "CREATE TABLE import_log("
    " import_id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL,"
    " file TEXT NOT NULL, at TEXT NOT NULL, actor TEXT NOT NULL,"
    " rows INTEGER NOT NULL, imported INTEGER NOT NULL,"
    " rejected INTEGER NOT NULL, warnings INTEGER NOT NULL)",
    NULL
};

/* Version 3: the travel feed: ticket legs, case trips, risk areas. Dates
 * are ISO text; codes short forms; one leg per person, trip and date. */
static const char *const MIGRATION_3[] = {
    "CREATE TABLE travel_leg("
    " leg_id INTEGER PRIMARY KEY, id_no TEXT NOT NULL, id_flag INTEGER NOT NULL DEFAULT 0,"
    " name TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '', mode TEXT NOT NULL,"
    " trip_no TEXT NOT NULL, dep_date TEXT NOT NULL, dep_minute INTEGER,"
    " from_code TEXT NOT NULL, from_name TEXT NOT NULL DEFAULT '',"
    " to_code TEXT NOT NULL, to_name TEXT NOT NULL DEFAULT '', arr_date TEXT NOT NULL,"
    " car INTEGER NOT NULL DEFAULT 0, seat TEXT NOT NULL DEFAULT '',"
    " seat_row INTEGER NOT NULL DEFAULT 0, UNIQUE(id_no, trip_no, dep_date))",
    "CREATE INDEX travel_leg_dep ON travel_leg(dep_date)",
    "CREATE TABLE case_trip("
    " case_trip_id INTEGER PRIMARY KEY, date TEXT NOT NULL, mode TEXT NOT NULL,"
    " trip_no TEXT NOT NULL, partners TEXT NOT NULL DEFAULT '', car INTEGER NOT NULL DEFAULT 0,"
    " seat TEXT NOT NULL DEFAULT '', seat_row INTEGER NOT NULL DEFAULT 0,"
    " unreadable INTEGER NOT NULL DEFAULT 0, case_status TEXT NOT NULL,"
    " from_name TEXT NOT NULL DEFAULT '', to_name TEXT NOT NULL DEFAULT '',"
    " original TEXT NOT NULL DEFAULT '', UNIQUE(date, mode, trip_no, car, seat))",
    "CREATE TABLE risk_area("
    " risk_area_id INTEGER PRIMARY KEY, code TEXT NOT NULL, level TEXT NOT NULL,"
    " valid_from TEXT NOT NULL, valid_to TEXT, name TEXT NOT NULL DEFAULT '',"
    " UNIQUE(code, level, valid_from))",
    NULL
};

/* Version 4: control orders, their evidence, verification tasks and
 * assistance requests (spec/screening.md). juris_code on every table is the
 * distribution key of a sharded PostgreSQL later (DESIGN.md, Scale). */
static const char *const MIGRATION_4[] = {
    "CREATE TABLE control_order("
    " order_id INTEGER PRIMARY KEY, oid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(8)))),"
    " id_no TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', measure TEXT NOT NULL,"
    " state TEXT NOT NULL, start_date TEXT NOT NULL, end_date TEXT NOT NULL,"
    " rules TEXT NOT NULL, juris_code TEXT NOT NULL, created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL)",
    "CREATE INDEX control_order_person ON control_order(id_no, start_date)",
    "CREATE INDEX control_order_juris ON control_order(juris_code)",
    "CREATE TABLE evidence("
    " owner TEXT NOT NULL, owner_id INTEGER NOT NULL, kind TEXT NOT NULL, ref INTEGER NOT NULL,"
    " PRIMARY KEY(owner, owner_id, kind, ref)) WITHOUT ROWID",
    "CREATE TABLE verification_task("
    " task_id INTEGER PRIMARY KEY, tid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(8)))),"
    " order_id INTEGER NOT NULL REFERENCES control_order(order_id), juris_code TEXT NOT NULL,"
    " state TEXT NOT NULL, created_at TEXT NOT NULL, due_at TEXT NOT NULL,"
    " closed_at TEXT, closed_by TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX verification_task_juris ON verification_task(juris_code, state)",
    "CREATE TABLE assistance_request("
    " request_id INTEGER PRIMARY KEY, rid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(8)))),"
    " id_no TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', measure TEXT NOT NULL,"
    " start_date TEXT NOT NULL, end_date TEXT NOT NULL, rules TEXT NOT NULL,"
    " juris_code TEXT NOT NULL, target_code TEXT NOT NULL DEFAULT '',"
    " unlocated INTEGER NOT NULL DEFAULT 0, state TEXT NOT NULL, created_at TEXT NOT NULL,"
    " updated_at TEXT NOT NULL, UNIQUE(id_no, juris_code))",
    NULL
};

/* Versions 5 to 7 belong to modules: control measures (sqlite_control.c),
 * the server's users and sessions (sqlite_server.c), and facilities,
 * checkpoints and daily reports (sqlite_facility.c). */
static const char *const *const MIGRATIONS[] = {
    MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4, EG_SQ_MIGRATION_5, EG_SQ_MIGRATION_6,
    EG_SQ_MIGRATION_7,
};
#define N_MIGRATIONS ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))

/* ---- prepared statements ---- */

enum stmt_id {
    ST_META_GET, ST_META_SET,
    ST_DIV_PUT, ST_DIV_EACH, ST_DIV_COUNT,
    ST_STAFF_EXISTS, ST_STAFF_PUT, ST_STAFF_EACH_ALL, ST_STAFF_EACH_JURIS,
    ST_PERSON_EXISTS, ST_PERSON_INSERT, ST_PERSON_UPDATE, ST_PERSON_GET, ST_PERSON_COUNT,
    ST_PERSON_BY_JURIS, ST_STAFF_BY_JURIS,
    ST_AUDIT_ADD, ST_AUDIT_EACH,
    ST_IMPORT_LOG_ADD, ST_IMPORT_LOG_COUNT, ST_IMPORT_LOG_COUNT_KIND,
    ST_LEG_PUT, ST_LEG_EACH, ST_LEG_PERSON, ST_LEG_STATS,
    ST_CASE_PUT, ST_CASE_EACH, ST_RISK_PUT, ST_RISK_EACH,
    ST_ORDER_LATEST, ST_ORDER_INSERT, ST_ORDER_UPDATE, ST_EVIDENCE_ADD, ST_ORDER_EACH,
    ST_ORDER_EACH_JURIS, ST_TASK_INSERT, ST_TASK_COUNT, ST_TASK_COUNT_STATE,
    ST_REQ_GET, ST_REQ_INSERT, ST_REQ_UPDATE, ST_REQ_COUNT, ST_REQ_COUNT_U,
    ST__COUNT
};

_Static_assert(ST__COUNT <= 64, "sqlite_store.stmt has 64 slots");

static const char *const STMT_SQL[ST__COUNT] = {
    [ST_META_GET] = "SELECT value FROM meta WHERE key = ?1",
    [ST_META_SET] = "INSERT INTO meta(key, value) VALUES(?1, ?2)"
                    " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    [ST_DIV_PUT] = "INSERT INTO division(code, name, name_norm, level, parent_code,"
                   " administered_by, unit_type, synthetic) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)"
                   " ON CONFLICT(code) DO UPDATE SET name = excluded.name,"
                   " name_norm = excluded.name_norm, level = excluded.level,"
                   " parent_code = excluded.parent_code, administered_by = excluded.administered_by,"
                   " unit_type = excluded.unit_type, synthetic = excluded.synthetic",
    [ST_DIV_EACH] = "SELECT code, name, name_norm, level, parent_code, administered_by,"
                    " unit_type, synthetic FROM division ORDER BY code",
    [ST_DIV_COUNT] = "SELECT count(*) FROM division",
    [ST_STAFF_EXISTS] = "SELECT 1 FROM staff WHERE staff_id = ?1",
    [ST_STAFF_PUT] = "INSERT INTO staff(staff_id, name, phone, role, juris_code, unit, synthetic)"
                     " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(staff_id) DO UPDATE SET"
                     " name = excluded.name, phone = excluded.phone, role = excluded.role,"
                     " juris_code = excluded.juris_code, unit = excluded.unit,"
                     " synthetic = excluded.synthetic",
    [ST_STAFF_EACH_ALL] = "SELECT staff_id, name, phone, role, juris_code, unit, synthetic"
                          " FROM staff ORDER BY juris_code, role, staff_id",
    [ST_STAFF_EACH_JURIS] = "SELECT staff_id, name, phone, role, juris_code, unit, synthetic"
                            " FROM staff WHERE juris_code = ?1 ORDER BY role, staff_id",
    [ST_PERSON_EXISTS] = "SELECT 1 FROM person WHERE id_no = ?1",
    [ST_PERSON_INSERT] = "INSERT INTO person(id_no, doc_type, name, name_norm, sex, birth_date,"
                         " phone, address_code, address, juris_code, synthetic)"
                         " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)",
    [ST_PERSON_UPDATE] = "UPDATE person SET doc_type = ?2, name = ?3, name_norm = ?4, sex = ?5,"
                         " birth_date = ?6, phone = ?7, address_code = ?8, address = ?9,"
                         " juris_code = ?10, synthetic = ?11 WHERE id_no = ?1",
    [ST_PERSON_GET] = "SELECT pid, id_no, doc_type, name, name_norm, sex, birth_date, phone,"
                      " address_code, address, juris_code, synthetic FROM person WHERE id_no = ?1",
    [ST_PERSON_COUNT] = "SELECT count(*) FROM person",
    [ST_PERSON_BY_JURIS] = "SELECT juris_code, count(*) FROM person GROUP BY juris_code",
    [ST_STAFF_BY_JURIS] = "SELECT juris_code, count(*) FROM staff GROUP BY juris_code",
    [ST_AUDIT_ADD] = "INSERT INTO audit(at, actor, action, person_pid, detail) VALUES(?1,?2,?3,?4,?5)",
    [ST_AUDIT_EACH] = "SELECT audit_id, at, actor, action, person_pid, detail FROM audit"
                      " WHERE at >= ?1 AND at < ?2 ORDER BY audit_id",
    [ST_IMPORT_LOG_ADD] = "INSERT INTO import_log(kind, file, at, actor, rows, imported, rejected,"
                          " warnings) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)",
    [ST_IMPORT_LOG_COUNT] = "SELECT count(*) FROM import_log",
    [ST_IMPORT_LOG_COUNT_KIND] = "SELECT count(*) FROM import_log WHERE kind = ?1",
    [ST_LEG_PUT] = "INSERT INTO travel_leg(id_no, id_flag, name, phone, mode, trip_no, dep_date,"
                   " dep_minute, from_code, from_name, to_code, to_name, arr_date, car, seat, seat_row)"
                   " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16)"
                   " ON CONFLICT(id_no, trip_no, dep_date) DO NOTHING",
#define LEG_COLS "leg_id, id_no, id_flag, name, phone, mode, trip_no, dep_date, dep_minute," \
                 " from_code, from_name, to_code, to_name, arr_date, car, seat, seat_row"
    [ST_LEG_EACH] = "SELECT " LEG_COLS " FROM travel_leg WHERE dep_date BETWEEN ?1 AND ?2"
                    " ORDER BY id_no, dep_date, dep_minute",
    [ST_LEG_PERSON] = "SELECT " LEG_COLS " FROM travel_leg WHERE id_no = ?1"
                      " ORDER BY dep_date, coalesce(dep_minute, 0), arr_date",
    [ST_LEG_STATS] = "SELECT count(*), max(dep_date) FROM travel_leg",
    [ST_CASE_PUT] = "INSERT INTO case_trip(date, mode, trip_no, partners, car, seat, seat_row,"
                    " unreadable, case_status, from_name, to_name, original)"
                    " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)"
                    " ON CONFLICT(date, mode, trip_no, car, seat) DO NOTHING",
    [ST_CASE_EACH] = "SELECT case_trip_id, date, mode, trip_no, partners, car, seat, seat_row,"
                     " unreadable, case_status, from_name, to_name, original FROM case_trip"
                     " ORDER BY date, trip_no, car",
    [ST_RISK_PUT] = "INSERT INTO risk_area(code, level, valid_from, valid_to, name)"
                    " VALUES(?1,?2,?3,?4,?5) ON CONFLICT(code, level, valid_from) DO UPDATE SET"
                    " valid_to = excluded.valid_to, name = excluded.name",
    [ST_RISK_EACH] = "SELECT risk_area_id, code, level, valid_from, valid_to, name FROM risk_area"
                     " ORDER BY code, valid_from",
#define ORDER_COLS "order_id, oid, id_no, name, measure, state, start_date, end_date, rules," \
                   " juris_code, created_at, updated_at"
    [ST_ORDER_LATEST] = "SELECT " ORDER_COLS " FROM control_order WHERE id_no = ?1"
                        " ORDER BY start_date DESC, order_id DESC LIMIT 1",
    [ST_ORDER_INSERT] = "INSERT INTO control_order(id_no, name, measure, state, start_date, end_date,"
                        " rules, juris_code, created_at, updated_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
    [ST_ORDER_UPDATE] = "UPDATE control_order SET name = ?2, measure = ?3, state = ?4, start_date = ?5,"
                        " end_date = ?6, rules = ?7, juris_code = ?8, updated_at = ?9 WHERE order_id = ?1",
    [ST_EVIDENCE_ADD] = "INSERT INTO evidence(owner, owner_id, kind, ref) VALUES(?1,?2,?3,?4)"
                        " ON CONFLICT DO NOTHING",
    [ST_ORDER_EACH] = "SELECT " ORDER_COLS " FROM control_order ORDER BY order_id",
    [ST_ORDER_EACH_JURIS] = "SELECT " ORDER_COLS " FROM control_order WHERE juris_code = ?1"
                            " OR juris_code LIKE ?1 || '%' ORDER BY order_id",
    [ST_TASK_INSERT] = "INSERT INTO verification_task(order_id, juris_code, state, created_at, due_at)"
                       " VALUES(?1,?2,?3,?4,?5)",
    [ST_TASK_COUNT] = "SELECT count(*) FROM verification_task",
    [ST_TASK_COUNT_STATE] = "SELECT count(*) FROM verification_task WHERE state = ?1",
#define REQ_COLS "request_id, rid, id_no, name, measure, start_date, end_date, rules, juris_code," \
                 " target_code, unlocated, state, created_at, updated_at"
    [ST_REQ_GET] = "SELECT " REQ_COLS " FROM assistance_request WHERE id_no = ?1 AND juris_code = ?2",
    [ST_REQ_INSERT] = "INSERT INTO assistance_request(id_no, name, measure, start_date, end_date, rules,"
                      " juris_code, target_code, unlocated, state, created_at, updated_at)"
                      " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    [ST_REQ_UPDATE] = "UPDATE assistance_request SET name = ?2, measure = ?3, start_date = ?4,"
                      " end_date = ?5, rules = ?6, target_code = ?7, unlocated = ?8, state = ?9,"
                      " updated_at = ?10 WHERE request_id = ?1",
    [ST_REQ_COUNT] = "SELECT count(*) FROM assistance_request",
    [ST_REQ_COUNT_U] = "SELECT count(*) FROM assistance_request WHERE unlocated = ?1",
};




/* Remember the database's last error message; return EG_ERR_DB. */
eg_err eg_sq_db_fail(sqlite_store *q)
{
    snprintf(q->errmsg, sizeof q->errmsg, "%s", sqlite3_errmsg(q->db));
    return EG_ERR_DB;
}

/* Prepare (once) and return statement `id`, reset and unbound; NULL on error. */
static sqlite3_stmt *stmt(sqlite_store *q, enum stmt_id id)
{
    if (!q->stmt[id]) {
        if (sqlite3_prepare_v3(q->db, STMT_SQL[id], -1, SQLITE_PREPARE_PERSISTENT,
                               &q->stmt[id], NULL) != SQLITE_OK) {
            eg_sq_db_fail(q);
            return NULL;
        }
    }
    sqlite3_reset(q->stmt[id]);
    sqlite3_clear_bindings(q->stmt[id]);
    return q->stmt[id];
}

sqlite3_stmt *eg_sq_ext(sqlite_store *q, int slot, const char *sql)
{
    assert(slot >= 0 && slot < EG_SQ_EXT_MAX);
    if (!q->ext[slot]) {
        if (sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &q->ext[slot], NULL) != SQLITE_OK) {
            eg_sq_db_fail(q);
            return NULL;
        }
    }
    sqlite3_reset(q->ext[slot]);
    sqlite3_clear_bindings(q->ext[slot]);
    return q->ext[slot];
}

eg_err eg_sq_each_row(sqlite_store *q, sqlite3_stmt *st, eg_sq_row_fn row, void *fn, void *ctx)
{
    eg_err e = EG_OK;
    int rc = SQLITE_DONE;
    while (!e && (rc = sqlite3_step(st)) == SQLITE_ROW)
        e = row(st, fn, ctx);
    if (!e && rc != SQLITE_DONE)
        e = eg_sq_db_fail(q);
    sqlite3_reset(st);
    return e;
}

/* Bind a text (NULL binds ""). */
void eg_sq_bind_text(sqlite3_stmt *st, int i, const char *s)
{
    sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_TRANSIENT);
}

/* Bind a date as ISO text, or NULL for EG_NO_DATE. */
void eg_sq_bind_date(sqlite3_stmt *st, int i, eg_date d)
{
    char buf[EG_DATE_BUFSZ];
    if (d == EG_NO_DATE)
        sqlite3_bind_null(st, i);
    else
        sqlite3_bind_text(st, i, eg_date_format(d, buf), -1, SQLITE_TRANSIENT);
}

/* Bind a moment as `YYYY-MM-DD HH:MM` text. */
void eg_sq_bind_time(sqlite3_stmt *st, int i, eg_time t)
{
    char buf[EG_TIME_BUFSZ];
    sqlite3_bind_text(st, i, eg_time_format(t, buf), -1, SQLITE_TRANSIENT);
}

/* Column as text, "" for NULL. */
const char *eg_sq_col_text(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* Run a statement that returns no rows. */
eg_err eg_sq_step_done(sqlite_store *q, sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EG_OK : eg_sq_db_fail(q);
}

/* Run a statement returning one integer. */
eg_err eg_sq_step_long(sqlite_store *q, sqlite3_stmt *st, long *out)
{
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        return eg_sq_db_fail(q);
    }
    *out = (long)sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return EG_OK;
}

/* Execute SQL text with no parameters (schema statements and pragmas). */
eg_err eg_sq_exec_sql(sqlite_store *q, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(q->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        snprintf(q->errmsg, sizeof q->errmsg, "%s", msg ? msg : "unknown error");
        sqlite3_free(msg);
        return EG_ERR_DB;
    }
    return EG_OK;
}

/* ---- lifecycle ---- */

static int sq_schema_version(eg_store *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(SQ(s)->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
    }
    return v;
}

/* Apply migration number `to` (1-based) in one transaction. */
static eg_err apply_migration(sqlite_store *q, int to, eg_diag *d)
{
    char sql[64];
    if (eg_sq_exec_sql(q, "BEGIN IMMEDIATE"))
        return eg_diag_set(d, EG_ERR_DB, NULL, 0, NULL, "migration %d: %s", to, q->errmsg);
    for (const char *const *m = MIGRATIONS[to - 1]; *m; m++) {
        if (eg_sq_exec_sql(q, *m)) {
            eg_diag_set(d, EG_ERR_DB, NULL, 0, NULL, "migration %d: %s", to, q->errmsg);
            eg_sq_exec_sql(q, "ROLLBACK");
            return EG_ERR_DB;
        }
    }
    snprintf(sql, sizeof sql, "PRAGMA user_version = %d", to);
    if (eg_sq_exec_sql(q, sql) || eg_sq_exec_sql(q, "COMMIT")) {
        eg_diag_set(d, EG_ERR_DB, NULL, 0, NULL, "migration %d: %s", to, q->errmsg);
        eg_sq_exec_sql(q, "ROLLBACK");
        return EG_ERR_DB;
    }
    return EG_OK;
}

static eg_err sq_migrate(eg_store *s, int version, eg_diag *d)
{
    sqlite_store *q = SQ(s);
    int cur = sq_schema_version(s);
    if (version == 0)
        version = N_MIGRATIONS;
    if (cur < 0)
        return eg_diag_set(d, eg_sq_db_fail(q), NULL, 0, NULL, "cannot read schema version: %s", q->errmsg);
    if (cur > N_MIGRATIONS || version > N_MIGRATIONS)
        return eg_diag_set(d, EG_ERR_SCHEMA, NULL, 0, NULL,
                           "database schema version %d is newer than this program's %d",
                           cur > version ? cur : version, N_MIGRATIONS);
    for (int v = cur + 1; v <= version; v++) {
        eg_err e = apply_migration(q, v, d);
        if (e)
            return e;
    }
    return EG_OK;
}

static void sq_close(eg_store *s)
{
    sqlite_store *q = SQ(s);
    if (q->in_tx)
        eg_sq_exec_sql(q, "ROLLBACK");
    for (int i = 0; i < ST__COUNT; i++)
        sqlite3_finalize(q->stmt[i]);
    for (int i = 0; i < EG_SQ_EXT_MAX; i++)
        sqlite3_finalize(q->ext[i]);
    sqlite3_close(q->db);
    free(q);
}

static eg_err sq_begin(eg_store *s)
{
    sqlite_store *q = SQ(s);
    if (q->in_tx)
        return EG_ERR_STATE;
    if (eg_sq_exec_sql(q, "BEGIN IMMEDIATE"))
        return EG_ERR_DB;
    q->in_tx = 1;
    return EG_OK;
}

static eg_err sq_commit(eg_store *s)
{
    sqlite_store *q = SQ(s);
    if (!q->in_tx)
        return EG_ERR_STATE;
    if (eg_sq_exec_sql(q, "COMMIT"))
        return EG_ERR_DB;
    q->in_tx = 0;
    return EG_OK;
}

static eg_err sq_rollback(eg_store *s)
{
    sqlite_store *q = SQ(s);
    if (!q->in_tx)
        return EG_ERR_STATE;
    q->in_tx = 0;
    return eg_sq_exec_sql(q, "ROLLBACK");
}

static const char *sq_errmsg(const eg_store *s) { return ((const sqlite_store *)s)->errmsg; }

/* ---- meta ---- */

static eg_err sq_meta_get(eg_store *s, const char *key, char *buf, size_t size)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_META_GET);
    int rc;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, key);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        snprintf(buf, size, "%s", eg_sq_col_text(st, 0));
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return EG_OK;
    return rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(q);
}

static eg_err sq_meta_set(eg_store *s, const char *key, const char *value)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_META_SET);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, key);
    eg_sq_bind_text(st, 2, value);
    return eg_sq_step_done(q, st);
}

/* ---- divisions ---- */

static eg_err sq_division_put(eg_store *s, const eg_division_rec *r)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_DIV_PUT);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, r->code);
    eg_sq_bind_text(st, 2, r->name);
    eg_sq_bind_text(st, 3, r->name_norm);
    eg_sq_bind_text(st, 4, eg_level_name(r->level));
    eg_sq_bind_text(st, 5, r->parent_code);
    eg_sq_bind_text(st, 6, r->administered_by);
    eg_sq_bind_text(st, 7, r->unit_type);
    sqlite3_bind_int(st, 8, r->synthetic);
    return eg_sq_step_done(q, st);
}

/* eg_sq_row_fn: one division row to an eg_division_fn. */
static eg_err division_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_division_rec r = {
        .code = eg_sq_col_text(st, 0), .name = eg_sq_col_text(st, 1), .name_norm = eg_sq_col_text(st, 2),
        .parent_code = eg_sq_col_text(st, 4), .administered_by = eg_sq_col_text(st, 5),
        .unit_type = eg_sq_col_text(st, 6), .synthetic = sqlite3_column_int(st, 7),
    };
    if (eg_level_parse(eg_sq_col_text(st, 3), &r.level))
        r.level = EG_LEVEL_PROVINCE;
    return ((eg_division_fn)fn)(ctx, &r);
}

static eg_err sq_division_each(eg_store *s, eg_division_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(SQ(s), ST_DIV_EACH);
    if (!st)
        return EG_ERR_DB;
    return eg_sq_each_row(SQ(s), st, division_row, (void *)fn, ctx);
}

static eg_err sq_division_count(eg_store *s, long *n)
{
    sqlite3_stmt *st = stmt(SQ(s), ST_DIV_COUNT);
    return st ? eg_sq_step_long(SQ(s), st, n) : EG_ERR_DB;
}

/* ---- staff ---- */

/* Does a row exist for key `id` by statement `which`? -1 on error. */
static int row_exists(sqlite_store *q, enum stmt_id which, const char *id)
{
    sqlite3_stmt *st = stmt(q, which);
    int rc;
    if (!st)
        return -1;
    eg_sq_bind_text(st, 1, id);
    rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return 1;
    return rc == SQLITE_DONE ? 0 : (eg_sq_db_fail(q), -1);
}

static eg_err sq_staff_put(eg_store *s, const eg_staff_rec *r, int *created)
{
    sqlite_store *q = SQ(s);
    int exists = row_exists(q, ST_STAFF_EXISTS, r->staff_id);
    sqlite3_stmt *st;
    if (exists < 0 || !(st = stmt(q, ST_STAFF_PUT)))
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, r->staff_id);
    eg_sq_bind_text(st, 2, r->name);
    eg_sq_bind_text(st, 3, r->phone);
    eg_sq_bind_text(st, 4, r->role);
    eg_sq_bind_text(st, 5, r->juris_code);
    eg_sq_bind_text(st, 6, r->unit);
    sqlite3_bind_int(st, 7, r->synthetic);
    if (created)
        *created = !exists;
    return eg_sq_step_done(q, st);
}

/* eg_sq_row_fn: one staff row to an eg_staff_fn. */
static eg_err staff_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_staff_rec r = {
        .staff_id = eg_sq_col_text(st, 0), .name = eg_sq_col_text(st, 1), .phone = eg_sq_col_text(st, 2),
        .role = eg_sq_col_text(st, 3), .juris_code = eg_sq_col_text(st, 4), .unit = eg_sq_col_text(st, 5),
        .synthetic = sqlite3_column_int(st, 6),
    };
    return ((eg_staff_fn)fn)(ctx, &r);
}

static eg_err sq_staff_each(eg_store *s, const char *juris_code, eg_staff_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(SQ(s), juris_code ? ST_STAFF_EACH_JURIS : ST_STAFF_EACH_ALL);
    if (!st)
        return EG_ERR_DB;
    if (juris_code)
        eg_sq_bind_text(st, 1, juris_code);
    return eg_sq_each_row(SQ(s), st, staff_row, (void *)fn, ctx);
}

/* ---- persons ---- */

static eg_err sq_person_put(eg_store *s, const eg_person_rec *r, int *created)
{
    sqlite_store *q = SQ(s);
    int exists = row_exists(q, ST_PERSON_EXISTS, r->id_no);
    sqlite3_stmt *st;
    if (exists < 0 || !(st = stmt(q, exists ? ST_PERSON_UPDATE : ST_PERSON_INSERT)))
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, r->id_no);
    eg_sq_bind_text(st, 2, r->doc_type);
    eg_sq_bind_text(st, 3, r->name);
    eg_sq_bind_text(st, 4, r->name_norm);
    eg_sq_bind_text(st, 5, r->sex);
    eg_sq_bind_date(st, 6, r->birth_date);
    eg_sq_bind_text(st, 7, r->phone);
    eg_sq_bind_text(st, 8, r->address_code);
    eg_sq_bind_text(st, 9, r->address);
    eg_sq_bind_text(st, 10, r->juris_code);
    sqlite3_bind_int(st, 11, r->synthetic);
    if (created)
        *created = !exists;
    return eg_sq_step_done(q, st);
}

static eg_err sq_person_get(eg_store *s, const char *id_no, eg_person_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_PERSON_GET);
    eg_err e;
    int rc;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, id_no);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        eg_person_rec r = {
            .pid = eg_sq_col_text(st, 0), .id_no = eg_sq_col_text(st, 1), .doc_type = eg_sq_col_text(st, 2),
            .name = eg_sq_col_text(st, 3), .name_norm = eg_sq_col_text(st, 4), .sex = eg_sq_col_text(st, 5),
            .birth_date = EG_NO_DATE, .phone = eg_sq_col_text(st, 7), .address_code = eg_sq_col_text(st, 8),
            .address = eg_sq_col_text(st, 9), .juris_code = eg_sq_col_text(st, 10),
            .synthetic = sqlite3_column_int(st, 11),
        };
        if (sqlite3_column_type(st, 6) != SQLITE_NULL && eg_date_parse(eg_sq_col_text(st, 6), &r.birth_date))
            r.birth_date = EG_NO_DATE;
        e = fn(ctx, &r);
    } else {
        e = rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(q);
    }
    sqlite3_reset(st);
    return e;
}

static eg_err sq_person_count(eg_store *s, long *n)
{
    sqlite3_stmt *st = stmt(SQ(s), ST_PERSON_COUNT);
    return st ? eg_sq_step_long(SQ(s), st, n) : EG_ERR_DB;
}

/* eg_sq_row_fn: one (code, count) row to an eg_count_fn. */
static eg_err count_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    return ((eg_count_fn)fn)(ctx, eg_sq_col_text(st, 0), (long)sqlite3_column_int64(st, 1));
}

/* Run a `SELECT code, count(*) ... GROUP BY code` statement through fn. */
static eg_err each_count(sqlite_store *q, enum stmt_id id, eg_count_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(q, id);
    if (!st)
        return EG_ERR_DB;
    return eg_sq_each_row(q, st, count_row, (void *)fn, ctx);
}

static eg_err sq_person_count_by_juris(eg_store *s, eg_count_fn fn, void *ctx)
{
    return each_count(SQ(s), ST_PERSON_BY_JURIS, fn, ctx);
}

static eg_err sq_staff_count_by_juris(eg_store *s, eg_count_fn fn, void *ctx)
{
    return each_count(SQ(s), ST_STAFF_BY_JURIS, fn, ctx);
}

/* ---- audit ---- */

static eg_err sq_audit_add(eg_store *s, const eg_audit_rec *r)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_AUDIT_ADD);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_time(st, 1, r->at);
    eg_sq_bind_text(st, 2, r->actor);
    eg_sq_bind_text(st, 3, r->action);
    eg_sq_bind_text(st, 4, r->person_pid);
    eg_sq_bind_text(st, 5, r->detail);
    return eg_sq_step_done(q, st);
}

eg_err eg_sq_audit_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_audit_rec r = {
        .id = sqlite3_column_int64(st, 0), .at = eg_sq_col_time(st, 1), .actor = eg_sq_col_text(st, 2),
        .action = eg_sq_col_text(st, 3), .person_pid = eg_sq_col_text(st, 4), .detail = eg_sq_col_text(st, 5),
    };
    return ((eg_audit_fn)fn)(ctx, &r);
}

void eg_sq_bind_time_range(sqlite3_stmt *st, eg_time from, eg_time to)
{
    if (from)
        eg_sq_bind_time(st, 1, from);
    else
        eg_sq_bind_text(st, 1, "");
    if (to)
        eg_sq_bind_time(st, 2, to);
    else
        eg_sq_bind_text(st, 2, "9999");
}

static eg_err sq_audit_each(eg_store *s, eg_time from, eg_time to, eg_audit_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_AUDIT_EACH);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_time_range(st, from, to);
    return eg_sq_each_row(q, st, eg_sq_audit_row, (void *)fn, ctx);
}

/* ---- import log ---- */

static eg_err sq_import_log_add(eg_store *s, const eg_import_log_rec *r)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_IMPORT_LOG_ADD);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, r->kind);
    eg_sq_bind_text(st, 2, r->file);
    eg_sq_bind_time(st, 3, r->at);
    eg_sq_bind_text(st, 4, r->actor);
    sqlite3_bind_int64(st, 5, r->rows);
    sqlite3_bind_int64(st, 6, r->imported);
    sqlite3_bind_int64(st, 7, r->rejected);
    sqlite3_bind_int64(st, 8, r->warnings);
    return eg_sq_step_done(q, st);
}

static eg_err sq_import_log_count(eg_store *s, const char *kind, long *n)
{
    sqlite3_stmt *st = stmt(SQ(s), kind ? ST_IMPORT_LOG_COUNT_KIND : ST_IMPORT_LOG_COUNT);
    if (!st)
        return EG_ERR_DB;
    if (kind)
        eg_sq_bind_text(st, 1, kind);
    return eg_sq_step_long(SQ(s), st, n);
}

/* ---- travel feed ---- */

/* Parse an ISO date column; EG_NO_DATE for NULL or a bad value. */
eg_date eg_sq_col_date(sqlite3_stmt *st, int i)
{
    eg_date d;
    if (sqlite3_column_type(st, i) == SQLITE_NULL || eg_date_parse(eg_sq_col_text(st, i), &d))
        return EG_NO_DATE;
    return d;
}

/* Copy a text column into a fixed buffer. */
void eg_sq_col_copy(sqlite3_stmt *st, int i, char *dst, size_t size)
{
    snprintf(dst, size, "%s", eg_sq_col_text(st, i));
}

static eg_err sq_leg_put(eg_store *s, const eg_leg *l, int *dup)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_LEG_PUT);
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, l->id_no);
    sqlite3_bind_int(st, 2, l->id_flag);
    eg_sq_bind_text(st, 3, l->name);
    eg_sq_bind_text(st, 4, l->phone);
    eg_sq_bind_text(st, 5, eg_mode_name(l->mode));
    eg_sq_bind_text(st, 6, l->trip_no);
    eg_sq_bind_date(st, 7, l->dep_date);
    if (l->dep_minute == EG_NO_MINUTE)
        sqlite3_bind_null(st, 8);
    else
        sqlite3_bind_int(st, 8, l->dep_minute);
    eg_sq_bind_text(st, 9, l->from_code);
    eg_sq_bind_text(st, 10, l->from_name);
    eg_sq_bind_text(st, 11, l->to_code);
    eg_sq_bind_text(st, 12, l->to_name);
    eg_sq_bind_date(st, 13, l->arr_date);
    sqlite3_bind_int(st, 14, l->car);
    eg_sq_bind_text(st, 15, l->seat);
    sqlite3_bind_int(st, 16, l->seat_row);
    e = eg_sq_step_done(q, st);
    if (!e && dup)
        *dup = sqlite3_changes(q->db) == 0;
    return e;
}

/* Read a leg row (LEG_COLS) into *l. */
static void read_leg(sqlite3_stmt *st, eg_leg *l)
{
    memset(l, 0, sizeof *l);
    l->line = (long)sqlite3_column_int64(st, 0);
    eg_sq_col_copy(st, 1, l->id_no, sizeof l->id_no);
    l->id_flag = (unsigned char)sqlite3_column_int(st, 2);
    eg_sq_col_copy(st, 3, l->name, sizeof l->name);
    eg_sq_col_copy(st, 4, l->phone, sizeof l->phone);
    if (eg_mode_parse(eg_sq_col_text(st, 5), &l->mode))
        l->mode = EG_MODE_OTHER;
    eg_sq_col_copy(st, 6, l->trip_no, sizeof l->trip_no);
    l->dep_date = eg_sq_col_date(st, 7);
    l->dep_minute = sqlite3_column_type(st, 8) == SQLITE_NULL ? EG_NO_MINUTE
                                                               : (short)sqlite3_column_int(st, 8);
    eg_sq_col_copy(st, 9, l->from_code, sizeof l->from_code);
    eg_sq_col_copy(st, 10, l->from_name, sizeof l->from_name);
    eg_sq_col_copy(st, 11, l->to_code, sizeof l->to_code);
    eg_sq_col_copy(st, 12, l->to_name, sizeof l->to_name);
    l->arr_date = eg_sq_col_date(st, 13);
    l->car = sqlite3_column_int(st, 14);
    eg_sq_col_copy(st, 15, l->seat, sizeof l->seat);
    l->seat_row = sqlite3_column_int(st, 16);
}

/* eg_sq_row_fn: one leg row to an eg_leg_fn. */
static eg_err leg_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_leg l;
    read_leg(st, &l);
    return ((eg_leg_fn)fn)(ctx, &l);
}

/* Run a leg query, calling fn for each row. */
static eg_err each_leg(sqlite_store *q, sqlite3_stmt *st, eg_leg_fn fn, void *ctx)
{
    return eg_sq_each_row(q, st, leg_row, (void *)fn, ctx);
}

static eg_err sq_leg_each(eg_store *s, eg_date from, eg_date to, eg_leg_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_LEG_EACH);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_date(st, 1, from);
    eg_sq_bind_date(st, 2, to);
    return each_leg(q, st, fn, ctx);
}

static eg_err sq_leg_each_person(eg_store *s, const char *id_no, eg_leg_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_LEG_PERSON);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, id_no);
    return each_leg(q, st, fn, ctx);
}

static eg_err sq_leg_stats(eg_store *s, long *n, eg_date *latest)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_LEG_STATS);
    if (!st)
        return EG_ERR_DB;
    if (sqlite3_step(st) != SQLITE_ROW) {
        sqlite3_reset(st);
        return eg_sq_db_fail(q);
    }
    *n = (long)sqlite3_column_int64(st, 0);
    *latest = eg_sq_col_date(st, 1);
    sqlite3_reset(st);
    return EG_OK;
}

static eg_err sq_case_trip_put(eg_store *s, const eg_case_trip *c, const char *original, int *dup)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_CASE_PUT);
    char partners[EG_TRIP_BUFSZ * EG_TRIP_MAX_NOS] = "";
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    for (size_t i = 1; i < c->nnos; i++) {
        if (i > 1)
            strcat(partners, "/");
        strcat(partners, c->nos[i]);
    }
    eg_sq_bind_date(st, 1, c->date);
    eg_sq_bind_text(st, 2, eg_mode_name(c->mode));
    eg_sq_bind_text(st, 3, c->nos[0]);
    eg_sq_bind_text(st, 4, partners);
    sqlite3_bind_int(st, 5, c->car);
    eg_sq_bind_text(st, 6, c->seat);
    sqlite3_bind_int(st, 7, c->seat_row);
    sqlite3_bind_int(st, 8, c->unreadable);
    eg_sq_bind_text(st, 9, c->status == EG_CASE_SUSPECTED ? "suspected" : "confirmed");
    eg_sq_bind_text(st, 10, c->from_name);
    eg_sq_bind_text(st, 11, c->to_name);
    eg_sq_bind_text(st, 12, original);
    e = eg_sq_step_done(q, st);
    if (!e && dup)
        *dup = sqlite3_changes(q->db) == 0;
    return e;
}

/* eg_sq_row_fn: one case-trip row to an eg_case_trip_fn. */
static eg_err case_trip_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_case_trip c;
    char partners[EG_TRIP_BUFSZ * EG_TRIP_MAX_NOS], *p, *save = NULL;
    memset(&c, 0, sizeof c);
    c.id = (long)sqlite3_column_int64(st, 0);
    c.date = eg_sq_col_date(st, 1);
    if (eg_mode_parse(eg_sq_col_text(st, 2), &c.mode))
        c.mode = EG_MODE_OTHER;
    eg_sq_col_copy(st, 3, c.nos[0], sizeof c.nos[0]);
    c.nnos = 1;
    eg_sq_col_copy(st, 4, partners, sizeof partners);
    for (p = strtok_r(partners, "/", &save); p && c.nnos < EG_TRIP_MAX_NOS; p = strtok_r(NULL, "/", &save))
        snprintf(c.nos[c.nnos++], EG_TRIP_BUFSZ, "%s", p);
    c.car = sqlite3_column_int(st, 5);
    eg_sq_col_copy(st, 6, c.seat, sizeof c.seat);
    c.seat_row = sqlite3_column_int(st, 7);
    c.unreadable = sqlite3_column_int(st, 8);
    c.status = strcmp(eg_sq_col_text(st, 9), "suspected") == 0 ? EG_CASE_SUSPECTED : EG_CASE_CONFIRMED;
    eg_sq_col_copy(st, 10, c.from_name, sizeof c.from_name);
    eg_sq_col_copy(st, 11, c.to_name, sizeof c.to_name);
    return ((eg_case_trip_fn)fn)(ctx, &c, eg_sq_col_text(st, 12));
}

static eg_err sq_case_trip_each(eg_store *s, eg_case_trip_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(SQ(s), ST_CASE_EACH);
    if (!st)
        return EG_ERR_DB;
    return eg_sq_each_row(SQ(s), st, case_trip_row, (void *)fn, ctx);
}

static eg_err sq_risk_area_put(eg_store *s, const eg_risk_area *a)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_RISK_PUT);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, a->code);
    eg_sq_bind_text(st, 2, a->level);
    eg_sq_bind_date(st, 3, a->valid_from);
    eg_sq_bind_date(st, 4, a->valid_to);
    eg_sq_bind_text(st, 5, a->name);
    return eg_sq_step_done(q, st);
}

/* eg_sq_row_fn: one risk-area row to an eg_risk_area_fn. */
static eg_err risk_area_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_risk_area a;
    memset(&a, 0, sizeof a);
    a.id = (long)sqlite3_column_int64(st, 0);
    eg_sq_col_copy(st, 1, a.code, sizeof a.code);
    eg_sq_col_copy(st, 2, a.level, sizeof a.level);
    a.valid_from = eg_sq_col_date(st, 3);
    a.valid_to = eg_sq_col_date(st, 4);
    eg_sq_col_copy(st, 5, a.name, sizeof a.name);
    return ((eg_risk_area_fn)fn)(ctx, &a);
}

static eg_err sq_risk_area_each(eg_store *s, eg_risk_area_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(SQ(s), ST_RISK_EACH);
    if (!st)
        return EG_ERR_DB;
    return eg_sq_each_row(SQ(s), st, risk_area_row, (void *)fn, ctx);
}

/* ---- control orders, tasks, requests ---- */

/* Read a moment column; 0 when NULL or bad. */
eg_time eg_sq_col_time(sqlite3_stmt *st, int i)
{
    eg_time t;
    if (sqlite3_column_type(st, i) == SQLITE_NULL || eg_time_parse(eg_sq_col_text(st, i), &t))
        return 0;
    return t;
}

/* The caller's eg_order_fn and whether a row came (each_order). */
typedef struct order_each {
    eg_order_fn fn;
    void *ctx;
    int seen;
} order_each;

eg_order_rec eg_sq_order_rec(sqlite3_stmt *st)
{
    eg_order_rec r = {
        .id = sqlite3_column_int64(st, 0), .oid = eg_sq_col_text(st, 1), .id_no = eg_sq_col_text(st, 2),
        .name = eg_sq_col_text(st, 3), .measure = eg_sq_col_text(st, 4), .state = eg_sq_col_text(st, 5),
        .start_date = eg_sq_col_date(st, 6), .end_date = eg_sq_col_date(st, 7), .rules = eg_sq_col_text(st, 8),
        .juris_code = eg_sq_col_text(st, 9), .created_at = eg_sq_col_time(st, 10),
        .updated_at = eg_sq_col_time(st, 11),
    };
    return r;
}

/* eg_sq_row_fn: one ORDER_COLS row to the order_each in ctx. */
static eg_err order_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    order_each *oe = ctx;
    (void)fn;
    eg_order_rec r = eg_sq_order_rec(st);
    oe->seen = 1;
    return oe->fn(oe->ctx, &r);
}

/* Call fn with each order row of a prepared ORDER_COLS query; with
 * `one`, EG_ERR_NOT_FOUND when there was none. */
static eg_err each_order(sqlite_store *q, sqlite3_stmt *st, eg_order_fn fn, void *ctx, int one)
{
    order_each oe = { fn, ctx, 0 };
    eg_err e = eg_sq_each_row(q, st, order_row, NULL, &oe);
    return !e && one && !oe.seen ? EG_ERR_NOT_FOUND : e;
}

static eg_err sq_order_latest(eg_store *s, const char *id_no, eg_order_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(SQ(s), ST_ORDER_LATEST);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, id_no);
    return each_order(SQ(s), st, fn, ctx, 1);
}

static eg_err sq_order_each(eg_store *s, const char *juris, eg_order_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(SQ(s), juris ? ST_ORDER_EACH_JURIS : ST_ORDER_EACH);
    if (!st)
        return EG_ERR_DB;
    if (juris)
        eg_sq_bind_text(st, 1, juris);
    return each_order(SQ(s), st, fn, ctx, 0);
}

static eg_err sq_order_insert(eg_store *s, const eg_order_rec *r, int64_t *id)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_ORDER_INSERT);
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, r->id_no);
    eg_sq_bind_text(st, 2, r->name);
    eg_sq_bind_text(st, 3, r->measure);
    eg_sq_bind_text(st, 4, r->state);
    eg_sq_bind_date(st, 5, r->start_date);
    eg_sq_bind_date(st, 6, r->end_date);
    eg_sq_bind_text(st, 7, r->rules);
    eg_sq_bind_text(st, 8, r->juris_code);
    eg_sq_bind_time(st, 9, r->created_at);
    eg_sq_bind_time(st, 10, r->updated_at);
    e = eg_sq_step_done(q, st);
    if (!e && id)
        *id = sqlite3_last_insert_rowid(q->db);
    return e;
}

static eg_err sq_order_update(eg_store *s, const eg_order_rec *r)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_ORDER_UPDATE);
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, r->id);
    eg_sq_bind_text(st, 2, r->name);
    eg_sq_bind_text(st, 3, r->measure);
    eg_sq_bind_text(st, 4, r->state);
    eg_sq_bind_date(st, 5, r->start_date);
    eg_sq_bind_date(st, 6, r->end_date);
    eg_sq_bind_text(st, 7, r->rules);
    eg_sq_bind_text(st, 8, r->juris_code);
    eg_sq_bind_time(st, 9, r->updated_at);
    return eg_sq_step_done(q, st);
}

static eg_err sq_evidence_add(eg_store *s, const char *owner, int64_t owner_id, const char *kind,
                              int64_t ref, int *added)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_EVIDENCE_ADD);
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, owner);
    sqlite3_bind_int64(st, 2, owner_id);
    eg_sq_bind_text(st, 3, kind);
    sqlite3_bind_int64(st, 4, ref);
    e = eg_sq_step_done(q, st);
    if (!e && added)
        *added = sqlite3_changes(q->db) > 0;
    return e;
}

static eg_err sq_task_insert(eg_store *s, const eg_task_rec *r, int64_t *id)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_TASK_INSERT);
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, r->order_id);
    eg_sq_bind_text(st, 2, r->juris_code);
    eg_sq_bind_text(st, 3, r->state);
    eg_sq_bind_time(st, 4, r->created_at);
    eg_sq_bind_time(st, 5, r->due_at);
    e = eg_sq_step_done(q, st);
    if (!e && id)
        *id = sqlite3_last_insert_rowid(q->db);
    return e;
}

static eg_err sq_task_count(eg_store *s, const char *state, long *n)
{
    sqlite3_stmt *st = stmt(SQ(s), state ? ST_TASK_COUNT_STATE : ST_TASK_COUNT);
    if (!st)
        return EG_ERR_DB;
    if (state)
        eg_sq_bind_text(st, 1, state);
    return eg_sq_step_long(SQ(s), st, n);
}

static eg_err sq_request_get(eg_store *s, const char *id_no, const char *juris_code,
                             eg_request_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_REQ_GET);
    eg_err e;
    int rc;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, id_no);
    eg_sq_bind_text(st, 2, juris_code);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        eg_request_rec r = {
            .id = sqlite3_column_int64(st, 0), .rid = eg_sq_col_text(st, 1), .id_no = eg_sq_col_text(st, 2),
            .name = eg_sq_col_text(st, 3), .measure = eg_sq_col_text(st, 4), .start_date = eg_sq_col_date(st, 5),
            .end_date = eg_sq_col_date(st, 6), .rules = eg_sq_col_text(st, 7), .juris_code = eg_sq_col_text(st, 8),
            .target_code = eg_sq_col_text(st, 9), .unlocated = sqlite3_column_int(st, 10),
            .state = eg_sq_col_text(st, 11), .created_at = eg_sq_col_time(st, 12), .updated_at = eg_sq_col_time(st, 13),
        };
        e = fn(ctx, &r);
    } else {
        e = rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(q);
    }
    sqlite3_reset(st);
    return e;
}

/* Bind the fields shared by request insert and update, from index `i`. */
static void bind_request(sqlite3_stmt *st, const eg_request_rec *r, int insert)
{
    int i = insert ? 1 : 2;
    if (insert)
        eg_sq_bind_text(st, i++, r->id_no);
    eg_sq_bind_text(st, i++, r->name);
    eg_sq_bind_text(st, i++, r->measure);
    eg_sq_bind_date(st, i++, r->start_date);
    eg_sq_bind_date(st, i++, r->end_date);
    eg_sq_bind_text(st, i++, r->rules);
    if (insert)
        eg_sq_bind_text(st, i++, r->juris_code);
    eg_sq_bind_text(st, i++, r->target_code);
    sqlite3_bind_int(st, i++, r->unlocated);
    eg_sq_bind_text(st, i++, r->state);
    if (insert)
        eg_sq_bind_time(st, i++, r->created_at);
    eg_sq_bind_time(st, i, r->updated_at);
}

static eg_err sq_request_insert(eg_store *s, const eg_request_rec *r, int64_t *id)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_REQ_INSERT);
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    bind_request(st, r, 1);
    e = eg_sq_step_done(q, st);
    if (!e && id)
        *id = sqlite3_last_insert_rowid(q->db);
    return e;
}

static eg_err sq_request_update(eg_store *s, const eg_request_rec *r)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_REQ_UPDATE);
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, r->id);
    bind_request(st, r, 0);
    return eg_sq_step_done(q, st);
}

static eg_err sq_request_count(eg_store *s, int unlocated, long *n)
{
    sqlite3_stmt *st = stmt(SQ(s), unlocated < 0 ? ST_REQ_COUNT : ST_REQ_COUNT_U);
    if (!st)
        return EG_ERR_DB;
    if (unlocated >= 0)
        sqlite3_bind_int(st, 1, unlocated);
    return eg_sq_step_long(SQ(s), st, n);
}

/* Fill in every operation of the backend. */
static void fill_ops(eg_store_ops *o)
{
    o->name = "sqlite";
    o->close = sq_close;
    o->schema_version = sq_schema_version;
    o->migrate = sq_migrate;
    o->begin = sq_begin;
    o->commit = sq_commit;
    o->rollback = sq_rollback;
    o->errmsg = sq_errmsg;
    o->meta_get = sq_meta_get;
    o->meta_set = sq_meta_set;
    o->division_put = sq_division_put;
    o->division_each = sq_division_each;
    o->division_count = sq_division_count;
    o->staff_put = sq_staff_put;
    o->staff_each = sq_staff_each;
    o->person_put = sq_person_put;
    o->person_get = sq_person_get;
    o->person_count = sq_person_count;
    o->person_count_by_juris = sq_person_count_by_juris;
    o->staff_count_by_juris = sq_staff_count_by_juris;
    o->audit_add = sq_audit_add;
    o->audit_each = sq_audit_each;
    o->import_log_add = sq_import_log_add;
    o->import_log_count = sq_import_log_count;
    o->leg_put = sq_leg_put;
    o->leg_each = sq_leg_each;
    o->leg_each_person = sq_leg_each_person;
    o->leg_stats = sq_leg_stats;
    o->case_trip_put = sq_case_trip_put;
    o->case_trip_each = sq_case_trip_each;
    o->risk_area_put = sq_risk_area_put;
    o->risk_area_each = sq_risk_area_each;
    o->order_latest = sq_order_latest;
    o->order_insert = sq_order_insert;
    o->order_update = sq_order_update;
    o->evidence_add = sq_evidence_add;
    o->order_each = sq_order_each;
    o->task_insert = sq_task_insert;
    o->task_count = sq_task_count;
    o->request_get = sq_request_get;
    o->request_insert = sq_request_insert;
    o->request_update = sq_request_update;
    o->request_count = sq_request_count;
    eg_sq_control_ops(o);
    eg_sq_server_ops(o);
    eg_sq_facility_ops(o);
}

/*
 * Open an SQLite store at `path`, creating the file when absent, and
 * migrate it (see eg_store_open).
 */
eg_err eg_sqlite_open(const char *path, int migrate_to, eg_store **out, eg_diag *d)
{
    sqlite_store *q = calloc(1, sizeof *q);
    eg_err e;
    if (!q)
        return EG_ERR_NOMEM;
    fill_ops(&q->ops);
    q->base.ops = &q->ops;
    q->path = path;
    if (sqlite3_open_v2(path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        eg_diag_set(d, EG_ERR_IO, path, 0, NULL, "cannot open database: %s",
                    q->db ? sqlite3_errmsg(q->db) : "out of memory");
        sqlite3_close(q->db);
        free(q);
        return EG_ERR_IO;
    }
    sqlite3_busy_timeout(q->db, 5000);
    if (eg_sq_exec_sql(q, "PRAGMA journal_mode = WAL") || eg_sq_exec_sql(q, "PRAGMA foreign_keys = ON") ||
        eg_sq_exec_sql(q, "PRAGMA synchronous = NORMAL") || eg_sq_exec_sql(q, "PRAGMA cache_size = -262144") ||
        eg_sq_exec_sql(q, "PRAGMA temp_store = MEMORY")) {
        eg_diag_set(d, EG_ERR_IO, path, 0, NULL, "not a usable SQLite database: %s", q->errmsg);
        sq_close(&q->base);
        return EG_ERR_IO;
    }
    e = sq_migrate(&q->base, migrate_to, d);
    if (e) {
        sq_close(&q->base);
        return e;
    }
    *out = &q->base;
    return EG_OK;
}
