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

/* Versions 5 to 8 belong to modules: control measures (sqlite_control.c),
 * the server's users and sessions (sqlite_server.c), and facilities,
 * checkpoints and daily reports (sqlite_facility.c). */
static const char *const *const MIGRATIONS[] = {
    MIGRATION_1, MIGRATION_2, MIGRATION_3, MIGRATION_4, EG_SQ_MIGRATION_5, EG_SQ_MIGRATION_6,
    EG_SQ_MIGRATION_7, EG_SQ_MIGRATION_8,
};
#define N_MIGRATIONS ((int)(sizeof MIGRATIONS / sizeof MIGRATIONS[0]))

/* ---- column maps ---- */

/* Each record type's columns, in the order its statements use them:
 * binding and reading a row go through these maps (store/columns.h), and
 * the statements' column lists are generated from them ({cols}, {names},
 * {params}; see eg_sq_prepare_map). */
static const eg_col DIVISION_COLUMNS[] = {
    EG_COL(eg_division_rec, code, EG_COL_STR), EG_COL(eg_division_rec, name, EG_COL_STR),
    EG_COL(eg_division_rec, name_norm, EG_COL_STR), EG_COL(eg_division_rec, level, EG_COL_LEVEL),
    EG_COL(eg_division_rec, parent_code, EG_COL_STR), EG_COL(eg_division_rec, administered_by, EG_COL_STR),
    EG_COL(eg_division_rec, unit_type, EG_COL_STR), EG_COL(eg_division_rec, synthetic, EG_COL_INT),
};
static const eg_colmap DIVISION_MAP = EG_COLMAP("division", DIVISION_COLUMNS);

static const eg_col STAFF_COLUMNS[] = {
    EG_COL(eg_staff_rec, staff_id, EG_COL_STR), EG_COL(eg_staff_rec, name, EG_COL_STR),
    EG_COL(eg_staff_rec, phone, EG_COL_STR), EG_COL(eg_staff_rec, role, EG_COL_STR),
    EG_COL(eg_staff_rec, juris_code, EG_COL_STR), EG_COL(eg_staff_rec, unit, EG_COL_STR),
    EG_COL(eg_staff_rec, synthetic, EG_COL_INT),
};
static const eg_colmap STAFF_MAP = EG_COLMAP("staff", STAFF_COLUMNS);

/* pid is made by the database: inserts and updates bind from id_no on
 * (an update finds the person by id_no, ?1, and sets the rest). */
static const eg_col PERSON_COLUMNS[] = {
    EG_COL(eg_person_rec, pid, EG_COL_STR), EG_COL(eg_person_rec, id_no, EG_COL_STR),
    EG_COL(eg_person_rec, doc_type, EG_COL_STR), EG_COL(eg_person_rec, name, EG_COL_STR),
    EG_COL(eg_person_rec, name_norm, EG_COL_STR), EG_COL(eg_person_rec, sex, EG_COL_STR),
    EG_COL(eg_person_rec, birth_date, EG_COL_DATE), EG_COL(eg_person_rec, phone, EG_COL_STR),
    EG_COL(eg_person_rec, address_code, EG_COL_STR), EG_COL(eg_person_rec, address, EG_COL_STR),
    EG_COL(eg_person_rec, juris_code, EG_COL_STR), EG_COL(eg_person_rec, synthetic, EG_COL_INT),
};
const eg_colmap EG_SQ_PERSON_MAP = EG_COLMAP("person", PERSON_COLUMNS);
enum { PERSON_PUT_FROM = 1 };

static const eg_col AUDIT_COLUMNS[] = {
    EG_COLX(eg_audit_rec, id, EG_COL_I64, "audit_id"), EG_COL(eg_audit_rec, at, EG_COL_TIME),
    EG_COL(eg_audit_rec, actor, EG_COL_STR), EG_COL(eg_audit_rec, action, EG_COL_STR),
    EG_COL(eg_audit_rec, person_pid, EG_COL_STR), EG_COL(eg_audit_rec, detail, EG_COL_STR),
};
const eg_colmap EG_SQ_AUDIT_MAP = EG_COLMAP("audit", AUDIT_COLUMNS);

static const eg_col IMPORT_LOG_COLUMNS[] = {
    EG_COL(eg_import_log_rec, kind, EG_COL_STR), EG_COL(eg_import_log_rec, file, EG_COL_STR),
    EG_COL(eg_import_log_rec, at, EG_COL_TIME), EG_COL(eg_import_log_rec, actor, EG_COL_STR),
    EG_COL(eg_import_log_rec, rows, EG_COL_LONG), EG_COL(eg_import_log_rec, imported, EG_COL_LONG),
    EG_COL(eg_import_log_rec, rejected, EG_COL_LONG), EG_COL(eg_import_log_rec, warnings, EG_COL_LONG),
};
static const eg_colmap IMPORT_LOG_MAP = EG_COLMAP("import_log", IMPORT_LOG_COLUMNS);

/* A leg read back carries its row id in `line`. */
static const eg_col LEG_COLUMNS[] = {
    EG_COLX(eg_leg, line, EG_COL_LONG, "leg_id"), EG_COL(eg_leg, id_no, EG_COL_BUF),
    EG_COL(eg_leg, id_flag, EG_COL_U8), EG_COL(eg_leg, name, EG_COL_BUF), EG_COL(eg_leg, phone, EG_COL_BUF),
    EG_COL(eg_leg, mode, EG_COL_MODE), EG_COL(eg_leg, trip_no, EG_COL_BUF),
    EG_COL(eg_leg, dep_date, EG_COL_DATE), EG_COL(eg_leg, dep_minute, EG_COL_MINUTE),
    EG_COL(eg_leg, from_code, EG_COL_BUF), EG_COL(eg_leg, from_name, EG_COL_BUF),
    EG_COL(eg_leg, to_code, EG_COL_BUF), EG_COL(eg_leg, to_name, EG_COL_BUF),
    EG_COL(eg_leg, arr_date, EG_COL_DATE), EG_COL(eg_leg, car, EG_COL_INT), EG_COL(eg_leg, seat, EG_COL_BUF),
    EG_COL(eg_leg, seat_row, EG_COL_INT),
};
static const eg_colmap LEG_MAP = EG_COLMAP("travel_leg", LEG_COLUMNS);

/* The columns of a case trip that are fields as they are; the partners
 * (nos[1..], joined by '/'), the case status and the description as
 * given follow them in every statement, bound and read by hand. */
static const eg_col CASE_TRIP_COLUMNS[] = {
    EG_COLX(eg_case_trip, id, EG_COL_LONG, "case_trip_id"), EG_COL(eg_case_trip, date, EG_COL_DATE),
    EG_COL(eg_case_trip, mode, EG_COL_MODE), EG_COLX(eg_case_trip, nos[0], EG_COL_BUF, "trip_no"),
    EG_COL(eg_case_trip, car, EG_COL_INT), EG_COL(eg_case_trip, seat, EG_COL_BUF),
    EG_COL(eg_case_trip, seat_row, EG_COL_INT), EG_COL(eg_case_trip, unreadable, EG_COL_INT),
    EG_COL(eg_case_trip, from_name, EG_COL_BUF), EG_COL(eg_case_trip, to_name, EG_COL_BUF),
};
static const eg_colmap CASE_TRIP_MAP = EG_COLMAP("case_trip", CASE_TRIP_COLUMNS);

static const eg_col RISK_AREA_COLUMNS[] = {
    EG_COLX(eg_risk_area, id, EG_COL_LONG, "risk_area_id"), EG_COL(eg_risk_area, code, EG_COL_BUF),
    EG_COL(eg_risk_area, level, EG_COL_BUF), EG_COL(eg_risk_area, valid_from, EG_COL_DATE),
    EG_COL(eg_risk_area, valid_to, EG_COL_DATE), EG_COL(eg_risk_area, name, EG_COL_BUF),
};
static const eg_colmap RISK_AREA_MAP = EG_COLMAP("risk_area", RISK_AREA_COLUMNS);

/* Columns 2.. are what an insert writes; REQ_UPDATE_FROM.. what an update
 * writes (id_no, juris_code and created_at do not change). */
static const eg_col REQUEST_COLUMNS[] = {
    EG_COLX(eg_request_rec, id, EG_COL_I64, "request_id"), EG_COL(eg_request_rec, rid, EG_COL_STR),
    EG_COL(eg_request_rec, id_no, EG_COL_STR), EG_COL(eg_request_rec, juris_code, EG_COL_STR),
    EG_COL(eg_request_rec, created_at, EG_COL_TIME), EG_COL(eg_request_rec, name, EG_COL_STR),
    EG_COL(eg_request_rec, measure, EG_COL_STR), EG_COL(eg_request_rec, start_date, EG_COL_DATE),
    EG_COL(eg_request_rec, end_date, EG_COL_DATE), EG_COL(eg_request_rec, rules, EG_COL_STR),
    EG_COL(eg_request_rec, target_code, EG_COL_STR), EG_COL(eg_request_rec, unlocated, EG_COL_INT),
    EG_COL(eg_request_rec, state, EG_COL_STR), EG_COL(eg_request_rec, updated_at, EG_COL_TIME),
};
static const eg_colmap REQUEST_MAP = EG_COLMAP("assistance_request", REQUEST_COLUMNS);
enum { REQ_INSERT_FROM = 2, REQ_UPDATE_FROM = 5 };

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
    ST_EVIDENCE_ADD, ST_ORDER_LAST_ID,
    ST_REQ_GET, ST_REQ_INSERT, ST_REQ_UPDATE, ST_REQ_COUNT, ST_REQ_COUNT_U,
    ST__COUNT
};

_Static_assert(ST__COUNT <= 64, "sqlite_store.stmt has 64 slots");

/* A statement's SQL, and the map its {cols}, {names} and {params} stand
 * for (names and params from column `from` on). */
typedef struct stmt_def {
    const char *sql;
    const eg_colmap *map;
    int from;
} stmt_def;

static const stmt_def STMT[ST__COUNT] = {
    [ST_META_GET] = { "SELECT value FROM meta WHERE key = ?1", NULL, 0 },
    [ST_META_SET] = { "INSERT INTO meta(key, value) VALUES(?1, ?2)"
                      " ON CONFLICT(key) DO UPDATE SET value = excluded.value", NULL, 0 },
    [ST_DIV_PUT] = { "INSERT INTO division({names}) VALUES({params})"
                     " ON CONFLICT(code) DO UPDATE SET name = excluded.name,"
                     " name_norm = excluded.name_norm, level = excluded.level,"
                     " parent_code = excluded.parent_code, administered_by = excluded.administered_by,"
                     " unit_type = excluded.unit_type, synthetic = excluded.synthetic", &DIVISION_MAP, 0 },
    [ST_DIV_EACH] = { "SELECT {cols} FROM division ORDER BY code", &DIVISION_MAP, 0 },
    [ST_DIV_COUNT] = { "SELECT count(*) FROM division", NULL, 0 },
    [ST_STAFF_EXISTS] = { "SELECT 1 FROM staff WHERE staff_id = ?1", NULL, 0 },
    [ST_STAFF_PUT] = { "INSERT INTO staff({names}) VALUES({params}) ON CONFLICT(staff_id) DO UPDATE SET"
                       " name = excluded.name, phone = excluded.phone, role = excluded.role,"
                       " juris_code = excluded.juris_code, unit = excluded.unit,"
                       " synthetic = excluded.synthetic", &STAFF_MAP, 0 },
    [ST_STAFF_EACH_ALL] = { "SELECT {cols} FROM staff ORDER BY juris_code, role, staff_id", &STAFF_MAP, 0 },
    [ST_STAFF_EACH_JURIS] = { "SELECT {cols} FROM staff WHERE juris_code = ?1 ORDER BY role, staff_id",
                              &STAFF_MAP, 0 },
    [ST_PERSON_EXISTS] = { "SELECT 1 FROM person WHERE id_no = ?1", NULL, 0 },
    [ST_PERSON_INSERT] = { "INSERT INTO person({names}) VALUES({params})", &EG_SQ_PERSON_MAP, PERSON_PUT_FROM },
    [ST_PERSON_UPDATE] = { "UPDATE person SET {sets} WHERE id_no = ?1", &EG_SQ_PERSON_MAP,
                           PERSON_PUT_FROM + 1 },
    [ST_PERSON_GET] = { "SELECT {cols} FROM person WHERE id_no = ?1", &EG_SQ_PERSON_MAP, 0 },
    [ST_PERSON_COUNT] = { "SELECT count(*) FROM person", NULL, 0 },
    [ST_PERSON_BY_JURIS] = { "SELECT juris_code, count(*) FROM person GROUP BY juris_code", NULL, 0 },
    [ST_STAFF_BY_JURIS] = { "SELECT juris_code, count(*) FROM staff GROUP BY juris_code", NULL, 0 },
    [ST_AUDIT_ADD] = { "INSERT INTO audit({names}) VALUES({params})", &EG_SQ_AUDIT_MAP, 1 },
    [ST_AUDIT_EACH] = { "SELECT {cols} FROM audit WHERE at >= ?1 AND at < ?2 ORDER BY audit_id",
                        &EG_SQ_AUDIT_MAP, 0 },
    [ST_IMPORT_LOG_ADD] = { "INSERT INTO import_log({names}) VALUES({params})", &IMPORT_LOG_MAP, 0 },
    [ST_IMPORT_LOG_COUNT] = { "SELECT count(*) FROM import_log", NULL, 0 },
    [ST_IMPORT_LOG_COUNT_KIND] = { "SELECT count(*) FROM import_log WHERE kind = ?1", NULL, 0 },
    [ST_LEG_PUT] = { "INSERT INTO travel_leg({names}) VALUES({params})"
                     " ON CONFLICT(id_no, trip_no, dep_date) DO NOTHING", &LEG_MAP, 1 },
    [ST_LEG_EACH] = { "SELECT {cols} FROM travel_leg WHERE dep_date BETWEEN ?1 AND ?2"
                      " ORDER BY id_no, dep_date, dep_minute", &LEG_MAP, 0 },
    [ST_LEG_PERSON] = { "SELECT {cols} FROM travel_leg WHERE id_no = ?1"
                        " ORDER BY dep_date, coalesce(dep_minute, 0), arr_date", &LEG_MAP, 0 },
    [ST_LEG_STATS] = { "SELECT count(*), max(dep_date) FROM travel_leg", NULL, 0 },
    [ST_CASE_PUT] = { "INSERT INTO case_trip({names}, partners, case_status, original)"
                      " VALUES({params}, ?10, ?11, ?12)"
                      " ON CONFLICT(date, mode, trip_no, car, seat) DO NOTHING", &CASE_TRIP_MAP, 1 },
    [ST_CASE_EACH] = { "SELECT {cols}, partners, case_status, original FROM case_trip"
                       " ORDER BY date, trip_no, car", &CASE_TRIP_MAP, 0 },
    [ST_RISK_PUT] = { "INSERT INTO risk_area({names}) VALUES({params}) ON CONFLICT(code, level, valid_from)"
                      " DO UPDATE SET valid_to = excluded.valid_to, name = excluded.name", &RISK_AREA_MAP, 1 },
    [ST_RISK_EACH] = { "SELECT {cols} FROM risk_area ORDER BY code, valid_from", &RISK_AREA_MAP, 0 },
    [ST_EVIDENCE_ADD] = { "INSERT INTO evidence(owner, owner_id, kind, ref) VALUES(?1,?2,?3,?4)"
                          " ON CONFLICT DO NOTHING", NULL, 0 },
    [ST_ORDER_LAST_ID] = { "SELECT max(order_id) FROM control_order WHERE id_no = ?1", NULL, 0 },
    [ST_REQ_GET] = { "SELECT {cols} FROM assistance_request WHERE id_no = ?1 AND juris_code = ?2",
                     &REQUEST_MAP, 0 },
    [ST_REQ_INSERT] = { "INSERT INTO assistance_request({names}) VALUES({params})", &REQUEST_MAP,
                        REQ_INSERT_FROM },
    [ST_REQ_UPDATE] = { "UPDATE assistance_request SET {sets} WHERE request_id = ?1", &REQUEST_MAP,
                        REQ_UPDATE_FROM },
    [ST_REQ_COUNT] = { "SELECT count(*) FROM assistance_request", NULL, 0 },
    [ST_REQ_COUNT_U] = { "SELECT count(*) FROM assistance_request WHERE unlocated = ?1", NULL, 0 },
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
    if (!q->stmt[id] && eg_sq_prepare_map(q, &q->stmt[id], STMT[id].map, STMT[id].from, STMT[id].sql))
        return NULL;
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

/* Run a transaction statement `sql` when the handle is in a transaction
 * exactly when `in_tx` (else EG_ERR_STATE), and flip that state when it
 * succeeds (a rollback ends the transaction even when it fails). */
static eg_err tx_step(eg_store *s, int in_tx, const char *sql)
{
    sqlite_store *q = SQ(s);
    eg_err e;
    if (q->in_tx != in_tx)
        return EG_ERR_STATE;
    e = eg_sq_exec_sql(q, sql);
    if (!e || strcmp(sql, "ROLLBACK") == 0)
        q->in_tx = !in_tx;
    return e;
}

static eg_err sq_begin(eg_store *s) { return tx_step(s, 0, "BEGIN IMMEDIATE"); }
static eg_err sq_commit(eg_store *s) { return tx_step(s, 1, "COMMIT"); }
static eg_err sq_rollback(eg_store *s) { return tx_step(s, 1, "ROLLBACK"); }

static const char *sq_errmsg(const eg_store *s) { return ((const sqlite_store *)s)->errmsg; }

/* ---- meta ---- */

/* A buffer to copy a text into (meta_row). */
typedef struct text_buf {
    char *buf;
    size_t size;
} text_buf;

/* eg_sq_row_fn: the row's first column into the text_buf ctx. */
static eg_err meta_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    text_buf *b = ctx;
    (void)fn;
    eg_sq_col_copy(st, 0, b->buf, b->size);
    return EG_OK;
}

static eg_err sq_meta_get(eg_store *s, const char *key, char *buf, size_t size)
{
    sqlite3_stmt *st = stmt(SQ(s), ST_META_GET);
    text_buf b = { buf, size };
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, key);
    return eg_sq_one_row(SQ(s), st, meta_row, NULL, &b);
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

/* The number written by the n digits at t, or -1 when one is not a digit. */
static int digits(const char *t, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (t[i] < '0' || t[i] > '9')
            return -1;
        v = v * 10 + (t[i] - '0');
    }
    return v;
}

/* The date of text `YYYY-MM-DD` at t (what the store writes), read
 * without the general parser; 0 when t is not in that form. */
static int fast_date(const char *t, eg_date *d)
{
    int y = digits(t, 4), m = digits(t + 5, 2), dd = digits(t + 8, 2);
    return t[4] == '-' && t[7] == '-' && y >= 0 && m >= 0 && dd >= 0 && eg_date_from_ymd(y, m, dd, d) == EG_OK;
}

/* Parse an ISO date column; EG_NO_DATE for NULL or a bad value. */
eg_date eg_sq_col_date(sqlite3_stmt *st, int i)
{
    eg_date d;
    const char *t = (const char *)sqlite3_column_text(st, i);   /* NULL for NULL */
    if (!t)
        return EG_NO_DATE;
    if (strlen(t) == 10 && fast_date(t, &d))
        return d;
    return eg_date_parse(t, &d) ? EG_NO_DATE : d;
}

/* Read a moment column; 0 when NULL or bad. */
eg_time eg_sq_col_time(sqlite3_stmt *st, int i)
{
    eg_time v;
    eg_date d;
    const char *t = (const char *)sqlite3_column_text(st, i);   /* NULL for NULL */
    if (!t)
        return 0;
    if (strlen(t) == 16 && t[10] == ' ' && t[13] == ':' && fast_date(t, &d) &&
        eg_time_from_parts(d, digits(t + 11, 2), digits(t + 14, 2), &v) == EG_OK)
        return v;
    return eg_time_parse(t, &v) ? 0 : v;
}

/* Copy a text column into a fixed buffer (as snprintf "%s" would: up to
 * the first NUL, truncated to size - 1 bytes; without its cost, as this
 * runs for every text field of every row read). */
void eg_sq_col_copy(sqlite3_stmt *st, int i, char *dst, size_t size)
{
    const char *t = eg_sq_col_text(st, i);
    size_t n = strnlen(t, size - 1);
    memcpy(dst, t, n);
    dst[n] = '\0';
}

/* ---- divisions ---- */

/* Bind the columns [from, n) of map m from rec to ?1.. and step: the
 * write of one row. */
static eg_err put_row(sqlite_store *q, enum stmt_id id, const void *rec)
{
    sqlite3_stmt *st = stmt(q, id);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, STMT[id].map, STMT[id].from, STMT[id].map->n, rec);
    return eg_sq_step_done(q, st);
}

static eg_err sq_division_put(eg_store *s, const eg_division_rec *r)
{
    return put_row(SQ(s), ST_DIV_PUT, r);
}

EG_SQ_ROW_FN(division_row, eg_division_rec, eg_division_fn, DIVISION_MAP)

/* Run statement `id`, which has no parameters, calling row for each row. */
static eg_err each_of(eg_store *s, enum stmt_id id, eg_sq_row_fn row, void *fn, void *ctx)
{
    sqlite3_stmt *st = stmt(SQ(s), id);
    return st ? eg_sq_each_row(SQ(s), st, row, fn, ctx) : EG_ERR_DB;
}

static eg_err sq_division_each(eg_store *s, eg_division_fn fn, void *ctx)
{
    return each_of(s, ST_DIV_EACH, division_row, (void *)fn, ctx);
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
    if (exists < 0)
        return EG_ERR_DB;
    if (created)
        *created = !exists;
    return put_row(q, ST_STAFF_PUT, r);
}

EG_SQ_ROW_FN(staff_row, eg_staff_rec, eg_staff_fn, STAFF_MAP)

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
    eg_sq_bind_cols(st, 1, &EG_SQ_PERSON_MAP, PERSON_PUT_FROM, EG_SQ_PERSON_MAP.n, r);
    if (created)
        *created = !exists;
    return eg_sq_step_done(q, st);
}

EG_SQ_ROW_FN(person_row, eg_person_rec, eg_person_fn, EG_SQ_PERSON_MAP)

static eg_err sq_person_get(eg_store *s, const char *id_no, eg_person_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(SQ(s), ST_PERSON_GET);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, id_no);
    return eg_sq_one_row(SQ(s), st, person_row, (void *)fn, ctx);
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

static eg_err sq_person_count_by_juris(eg_store *s, eg_count_fn fn, void *ctx)
{
    return each_of(s, ST_PERSON_BY_JURIS, count_row, (void *)fn, ctx);
}

static eg_err sq_staff_count_by_juris(eg_store *s, eg_count_fn fn, void *ctx)
{
    return each_of(s, ST_STAFF_BY_JURIS, count_row, (void *)fn, ctx);
}

/* ---- audit ---- */

static eg_err sq_audit_add(eg_store *s, const eg_audit_rec *r)
{
    return put_row(SQ(s), ST_AUDIT_ADD, r);
}

EG_SQ_ROW_FN(audit_row, eg_audit_rec, eg_audit_fn, EG_SQ_AUDIT_MAP)

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
    return eg_sq_each_row(q, st, audit_row, (void *)fn, ctx);
}

/* ---- import log ---- */

static eg_err sq_import_log_add(eg_store *s, const eg_import_log_rec *r)
{
    return put_row(SQ(s), ST_IMPORT_LOG_ADD, r);
}

/* Run a count statement, binding ?1 to `text` when given. */
static eg_err count_of(sqlite_store *q, enum stmt_id id, const char *text, long *n)
{
    sqlite3_stmt *st = stmt(q, id);
    if (!st)
        return EG_ERR_DB;
    if (text)
        eg_sq_bind_text(st, 1, text);
    return eg_sq_step_long(q, st, n);
}

static eg_err sq_import_log_count(eg_store *s, const char *kind, long *n)
{
    return count_of(SQ(s), kind ? ST_IMPORT_LOG_COUNT_KIND : ST_IMPORT_LOG_COUNT, kind, n);
}

/* ---- travel feed ---- */

/* Step an insert that ignores duplicates; *dup (may be NULL) = 1 when the
 * row was there already. */
static eg_err step_dup(sqlite_store *q, sqlite3_stmt *st, int *dup)
{
    eg_err e = eg_sq_step_done(q, st);
    if (!e && dup)
        *dup = sqlite3_changes(q->db) == 0;
    return e;
}

static eg_err sq_leg_put(eg_store *s, const eg_leg *l, int *dup)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_LEG_PUT);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, &LEG_MAP, 1, LEG_MAP.n, l);
    return step_dup(q, st, dup);
}

EG_SQ_ROW_FN(leg_row, eg_leg, eg_leg_fn, LEG_MAP)

static eg_err sq_leg_each(eg_store *s, eg_date from, eg_date to, eg_leg_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_LEG_EACH);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_date(st, 1, from);
    eg_sq_bind_date(st, 2, to);
    return eg_sq_each_row(q, st, leg_row, (void *)fn, ctx);
}

static eg_err sq_leg_each_person(eg_store *s, const char *id_no, eg_leg_fn fn, void *ctx)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_LEG_PERSON);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, id_no);
    return eg_sq_each_row(q, st, leg_row, (void *)fn, ctx);
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
    if (!st)
        return EG_ERR_DB;
    for (size_t i = 1; i < c->nnos; i++) {
        if (i > 1)
            strcat(partners, "/");
        strcat(partners, c->nos[i]);
    }
    eg_sq_bind_cols(st, 1, &CASE_TRIP_MAP, 1, CASE_TRIP_MAP.n, c);
    eg_sq_bind_text(st, CASE_TRIP_MAP.n, partners);
    eg_sq_bind_text(st, CASE_TRIP_MAP.n + 1, c->status == EG_CASE_SUSPECTED ? "suspected" : "confirmed");
    eg_sq_bind_text(st, CASE_TRIP_MAP.n + 2, original);
    return step_dup(q, st, dup);
}

/* eg_sq_row_fn: one case-trip row to an eg_case_trip_fn. */
static eg_err case_trip_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_case_trip c;
    char partners[EG_TRIP_BUFSZ * EG_TRIP_MAX_NOS], *p, *save = NULL;
    int k = CASE_TRIP_MAP.n;
    memset(&c, 0, sizeof c);
    eg_sq_read_cols(st, 0, &CASE_TRIP_MAP, &c);
    c.nnos = 1;
    eg_sq_col_copy(st, k, partners, sizeof partners);
    for (p = strtok_r(partners, "/", &save); p && c.nnos < EG_TRIP_MAX_NOS; p = strtok_r(NULL, "/", &save))
        snprintf(c.nos[c.nnos++], EG_TRIP_BUFSZ, "%s", p);
    c.status = strcmp(eg_sq_col_text(st, k + 1), "suspected") == 0 ? EG_CASE_SUSPECTED : EG_CASE_CONFIRMED;
    return ((eg_case_trip_fn)fn)(ctx, &c, eg_sq_col_text(st, k + 2));
}

static eg_err sq_case_trip_each(eg_store *s, eg_case_trip_fn fn, void *ctx)
{
    return each_of(s, ST_CASE_EACH, case_trip_row, (void *)fn, ctx);
}

static eg_err sq_risk_area_put(eg_store *s, const eg_risk_area *a)
{
    return put_row(SQ(s), ST_RISK_PUT, a);
}

EG_SQ_ROW_FN(risk_area_row, eg_risk_area, eg_risk_area_fn, RISK_AREA_MAP)

static eg_err sq_risk_area_each(eg_store *s, eg_risk_area_fn fn, void *ctx)
{
    return each_of(s, ST_RISK_EACH, risk_area_row, (void *)fn, ctx);
}

/* ---- evidence, assistance requests ---- */

static eg_err sq_evidence_add(eg_store *s, const char *owner, int64_t owner_id, const char *kind,
                              int64_t ref, int *added)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_EVIDENCE_ADD);
    eg_err e;
    int dup = 0;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, owner);
    sqlite3_bind_int64(st, 2, owner_id);
    eg_sq_bind_text(st, 3, kind);
    sqlite3_bind_int64(st, 4, ref);
    e = step_dup(q, st, &dup);
    if (!e && added)
        *added = !dup;
    return e;
}

static eg_err sq_order_last_id(eg_store *s, const char *id_no, int64_t *id)
{
    sqlite_store *q = SQ(s);
    sqlite3_stmt *st = stmt(q, ST_ORDER_LAST_ID);
    eg_err e = EG_OK;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, id_no);
    if (sqlite3_step(st) != SQLITE_ROW)
        e = eg_sq_db_fail(q);
    else if (sqlite3_column_type(st, 0) == SQLITE_NULL)
        e = EG_ERR_NOT_FOUND;
    else
        *id = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return e;
}

EG_SQ_ROW_FN(request_row, eg_request_rec, eg_request_fn, REQUEST_MAP)

static eg_err sq_request_get(eg_store *s, const char *id_no, const char *juris_code,
                             eg_request_fn fn, void *ctx)
{
    sqlite3_stmt *st = stmt(SQ(s), ST_REQ_GET);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, id_no);
    eg_sq_bind_text(st, 2, juris_code);
    return eg_sq_one_row(SQ(s), st, request_row, (void *)fn, ctx);
}

static eg_err sq_request_insert(eg_store *s, const eg_request_rec *r, int64_t *id)
{
    sqlite_store *q = SQ(s);
    eg_err e = put_row(q, ST_REQ_INSERT, r);
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
    eg_sq_bind_cols(st, 2, &REQUEST_MAP, REQ_UPDATE_FROM, REQUEST_MAP.n, r);
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
    o->evidence_add = sq_evidence_add;
    o->order_last_id = sq_order_last_id;
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
