/*
 * store/sqlite_facility.c: the SQLite side of the facilities, checkpoints
 * and daily-report module: schema migration 7 (facilities, admissions,
 * checkpoints, hourly logs, fevers, the module's alerts, stored report
 * versions) and the operations of EG_STORE_OPS_FACILITY (epigrid/store.h),
 * each a prepared statement in the ext slots EG_SQ_EXT_FACILITY..+63 (rows)
 * and EG_SQ_EXT_REPORT..+63 (the report's set queries and versions). Each
 * record is bound and read through its column map (store/columns.h), the
 * parameters of the other statements through one helper (bind_args).
 *
 * Moments are `YYYY-MM-DD HH:MM` text (they sort as text), dates ISO
 * text, temperatures integer tenths of a degree. The report's queries read
 * the control module's tables (control_order, order_event, alert,
 * verification_task, assistance_request) set-based, grouped by division,
 * so that the whole city's report is a handful of scans; they return plain
 * counts grouped by division and stored values (kind, state, measure),
 * with the moments the services give: the classification into the
 * report's counters, what is overdue, the states and kinds are the
 * services' (report sections in control/, facility/, checkpoint/).
 */
#include <stdio.h>
#include <string.h>
#include "sqlite_internal.h"

/* Version 7: facilities, checkpoints and daily reports (issue 6). */
const char *const EG_SQ_MIGRATION_7[] = {
    "CREATE TABLE facility("
    " facility_id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, juris_code TEXT NOT NULL,"
    " places_in_use INTEGER NOT NULL, places_standby INTEGER NOT NULL,"
    " family_rooms INTEGER NOT NULL DEFAULT 0, address TEXT NOT NULL DEFAULT '',"
    " synthetic INTEGER NOT NULL DEFAULT 0, standby_opened_at TEXT, created_at TEXT NOT NULL)",
    "CREATE INDEX facility_juris ON facility(juris_code)",
    "CREATE TABLE admission("
    " admission_id INTEGER PRIMARY KEY, facility_id TEXT NOT NULL REFERENCES facility(facility_id),"
    " kind TEXT NOT NULL, order_id INTEGER NOT NULL REFERENCES control_order(order_id),"
    " id_no TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', juris_code TEXT NOT NULL,"
    " wait_since TEXT, admitted_at TEXT NOT NULL, discharged_at TEXT,"
    " discharge_reason TEXT NOT NULL DEFAULT '', actor TEXT NOT NULL DEFAULT '')",
    /* one stay at a time per order: the place and the measure agree */
    "CREATE UNIQUE INDEX admission_open_order ON admission(order_id) WHERE discharged_at IS NULL",
    "CREATE INDEX admission_facility ON admission(facility_id, discharged_at)",
    "CREATE TABLE checkpoint("
    " checkpoint_id TEXT PRIMARY KEY, name TEXT NOT NULL, kind TEXT NOT NULL, juris_code TEXT NOT NULL,"
    " max_checks_per_hour INTEGER NOT NULL DEFAULT 0, synthetic INTEGER NOT NULL DEFAULT 0,"
    " created_at TEXT NOT NULL)",
    "CREATE TABLE check_log("
    " checkpoint_id TEXT NOT NULL REFERENCES checkpoint(checkpoint_id), hour_start TEXT NOT NULL,"
    " checked INTEGER NOT NULL CHECK(checked >= 0), fevers INTEGER NOT NULL CHECK(fevers >= 0 AND fevers <= checked),"
    " recorded_at TEXT NOT NULL, PRIMARY KEY(checkpoint_id, hour_start)) WITHOUT ROWID",
    "CREATE INDEX check_log_hour ON check_log(hour_start)",
    "CREATE TABLE fever("
    " fever_id INTEGER PRIMARY KEY, fid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(8)))),"
    " checkpoint_id TEXT NOT NULL REFERENCES checkpoint(checkpoint_id), juris_code TEXT NOT NULL,"
    " at TEXT NOT NULL, temp_dc INTEGER NOT NULL CHECK(temp_dc >= 373), id_no TEXT NOT NULL DEFAULT '',"
    " name TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '', destination TEXT NOT NULL DEFAULT '',"
    " clinic_id TEXT NOT NULL DEFAULT '', due_at TEXT NOT NULL, outcome TEXT NOT NULL DEFAULT '',"
    " outcome_at TEXT, outcome_by TEXT NOT NULL DEFAULT '', recorded_at TEXT NOT NULL,"
    " UNIQUE(checkpoint_id, at, temp_dc, id_no))",
    "CREATE INDEX fever_at ON fever(at)",
    "CREATE INDEX fever_open ON fever(outcome, due_at)",
    "CREATE TABLE facility_alert("
    " alert_id INTEGER PRIMARY KEY, aid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(8)))),"
    " kind TEXT NOT NULL, juris_code TEXT NOT NULL, subject TEXT NOT NULL DEFAULT '',"
    " reason TEXT NOT NULL DEFAULT '', state TEXT NOT NULL, dedup TEXT NOT NULL UNIQUE,"
    " created_at TEXT NOT NULL, due_at TEXT NOT NULL, resolved_at TEXT)",
    "CREATE INDEX facility_alert_juris ON facility_alert(juris_code, state)",
    "CREATE TABLE daily_report("
    " report_date TEXT NOT NULL, version INTEGER NOT NULL CHECK(version >= 1),"
    " generated_at TEXT NOT NULL, stored_at TEXT NOT NULL, actor TEXT NOT NULL,"
    " reason TEXT NOT NULL DEFAULT '', body TEXT NOT NULL, PRIMARY KEY(report_date, version)) WITHOUT ROWID",
    "CREATE TRIGGER daily_report_no_update BEFORE UPDATE ON daily_report"
    " BEGIN SELECT RAISE(ABORT, 'a stored report version never changes; store a correction'); END",
    /* the report's scans: orders created in a day, events by moment */
    "CREATE INDEX control_order_created ON control_order(created_at)",
    /* the report's state counts read this index alone, in division order (no sort) */
    "CREATE INDEX control_order_report ON control_order(juris_code, measure, state, severity, created_at,"
    " updated_at)",
    /* orders changed after a moment: their state then is rebuilt from history */
    "CREATE INDEX control_order_updated ON control_order(updated_at)",
    NULL
};

/* Version 8: the fever table without CHECK(temp_dc >= 373). The fever
 * threshold is a rule of the service (control parameter fever_threshold_c,
 * read by checkpoint/fever.c): a threshold set below 37.3 °C must not be
 * refused by the database. SQLite cannot drop a constraint, so the table is
 * rebuilt (nothing references it) with its rows, ids and indexes. */
const char *const EG_SQ_MIGRATION_8[] = {
    "CREATE TABLE fever_v8("
    " fever_id INTEGER PRIMARY KEY, fid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(8)))),"
    " checkpoint_id TEXT NOT NULL REFERENCES checkpoint(checkpoint_id), juris_code TEXT NOT NULL,"
    " at TEXT NOT NULL, temp_dc INTEGER NOT NULL, id_no TEXT NOT NULL DEFAULT '',"
    " name TEXT NOT NULL DEFAULT '', phone TEXT NOT NULL DEFAULT '', destination TEXT NOT NULL DEFAULT '',"
    " clinic_id TEXT NOT NULL DEFAULT '', due_at TEXT NOT NULL, outcome TEXT NOT NULL DEFAULT '',"
    " outcome_at TEXT, outcome_by TEXT NOT NULL DEFAULT '', recorded_at TEXT NOT NULL,"
    " UNIQUE(checkpoint_id, at, temp_dc, id_no))",
    "INSERT INTO fever_v8 SELECT fever_id, fid, checkpoint_id, juris_code, at, temp_dc, id_no, name, phone,"
    " destination, clinic_id, due_at, outcome, outcome_at, outcome_by, recorded_at FROM fever",
    "DROP TABLE fever",
    "ALTER TABLE fever_v8 RENAME TO fever",
    "CREATE INDEX fever_at ON fever(at)",
    "CREATE INDEX fever_open ON fever(outcome, due_at)",
    NULL
};

/* Statement slots (EG_SQ_EXT_FACILITY + n). */
enum {
    F_FAC_PUT, F_FAC_EXISTS, F_FAC_GET, F_FAC_EACH, F_FAC_STANDBY,
    F_ADM_ADD, F_ADM_OPEN, F_ADM_LATEST, F_ADM_GET, F_ADM_CLOSE, F_ADM_EACH,
    F_AWAITING, F_WAIT_SINCE, F_EVENTS,
    F_CP_PUT, F_CP_EXISTS, F_CP_GET, F_CP_EACH, F_LOG_PUT, F_LOG_EXISTS, F_TOTALS,
    F_FEVER_ADD, F_FEVER_GET, F_FEVER_SAVE, F_FEVER_EACH,
    F_ALERT_ADD, F_ALERT_RESOLVE, F_ALERT_EACH,
    F__COUNT
};
_Static_assert(F__COUNT <= 64, "the facility module has 64 statement slots");

/* Report slots (EG_SQ_EXT_REPORT + n). */
enum {
    R_STATE, R_STATE_CHANGED, R_EVENTS, R_CREATED, R_TASKS, R_ALERTS, R_FAC_ALERTS, R_REQUESTS, R_CHECKS, R_NO_OUTCOME,
    R_FACILITIES, R_PUT, R_GET, R_LATEST, R_VERSIONS,
    R__COUNT
};
_Static_assert(R__COUNT <= 64, "the report module has 64 statement slots");

/* ---- column maps: how each record of this module lies in its table ---- */

/* facility: occupied (read only, counted) and standby_opened_at (kept by a
 * put) first; a put writes columns 2.. (?1..?10). */
#define C_F(f, t) EG_COL(eg_facility, f, EG_COL_##t)
static const eg_col FACILITY_COLUMNS[] = {
    EG_COLX(eg_facility, occupied, EG_COL_LONG, "(SELECT count(*) FROM admission a"
            " WHERE a.facility_id = f.facility_id AND a.discharged_at IS NULL)"),
    C_F(standby_opened_at, TIME0), C_F(facility_id, BUF), C_F(name, BUF), C_F(kind, BUF), C_F(juris_code, BUF),
    C_F(places_in_use, INT), C_F(places_standby, INT), C_F(family_rooms, INT), C_F(address, BUF),
    C_F(synthetic, INT), C_F(created_at, TIME),
};
#undef C_F
static const eg_colmap FACILITY_MAP = EG_COLMAP("facility", FACILITY_COLUMNS);

/* admission: id and the order's oid (read only) first; an insert writes
 * columns 2.. (?1..?11). */
#define C_A(f, t) EG_COL(eg_admission, f, EG_COL_##t)
static const eg_col ADMISSION_COLUMNS[] = {
    EG_COLX(eg_admission, id, EG_COL_I64, "admission_id"),
    EG_COLX(eg_admission, oid, EG_COL_BUF, "coalesce((SELECT o.oid FROM control_order o"
            " WHERE o.order_id = a.order_id), '')"),
    C_A(facility_id, BUF), C_A(kind, BUF), C_A(order_id, I64), C_A(id_no, BUF), C_A(name, BUF),
    C_A(juris_code, BUF), C_A(wait_since, TIME0), C_A(admitted_at, TIME), C_A(discharged_at, TIME0),
    C_A(discharge_reason, BUF), C_A(actor, BUF),
};
#undef C_A
static const eg_colmap ADMISSION_MAP = EG_COLMAP("admission", ADMISSION_COLUMNS);

/* checkpoint: every column written by a put (?1..?7). */
#define C_C(f, t) EG_COL(eg_checkpoint, f, EG_COL_##t)
static const eg_col CHECKPOINT_COLUMNS[] = {
    C_C(checkpoint_id, BUF), C_C(name, BUF), C_C(kind, BUF), C_C(juris_code, BUF), C_C(max_checks_per_hour, INT),
    C_C(synthetic, INT), C_C(created_at, TIME),
};
#undef C_C
static const eg_colmap CHECKPOINT_MAP = EG_COLMAP("checkpoint", CHECKPOINT_COLUMNS);

/* fever: id and fid (given by the database) first; an insert writes
 * columns 2.. (?1..?14); the outcome is columns 12..14. */
#define C_V(f, t) EG_COL(eg_fever, f, EG_COL_##t)
static const eg_col FEVER_COLUMNS[] = {
    EG_COLX(eg_fever, id, EG_COL_I64, "fever_id"),
    C_V(fid, BUF), C_V(checkpoint_id, BUF), C_V(juris_code, BUF), C_V(at, TIME), C_V(temp_dc, INT), C_V(id_no, BUF),
    C_V(name, BUF), C_V(phone, BUF), C_V(destination, BUF), C_V(clinic_id, BUF), C_V(due_at, TIME),
    C_V(outcome, BUF), C_V(outcome_at, TIME0), C_V(outcome_by, BUF), C_V(recorded_at, TIME),
};
#undef C_V
static const eg_colmap FEVER_MAP = EG_COLMAP("fever", FEVER_COLUMNS);
enum { FEVER_OUTCOME_FROM = 12, FEVER_OUTCOME_TO = 15 };

/* facility_alert: id and aid first; an insert writes columns 2.. (?1..?9). */
#define C_L(f, t) EG_COL(eg_fac_alert, f, EG_COL_##t)
static const eg_col FAC_ALERT_COLUMNS[] = {
    EG_COLX(eg_fac_alert, id, EG_COL_I64, "alert_id"),
    C_L(aid, BUF), C_L(kind, BUF), C_L(juris_code, BUF), C_L(subject, BUF), C_L(reason, BUF), C_L(state, BUF),
    C_L(dedup, BUF), C_L(created_at, TIME), C_L(due_at, TIME), C_L(resolved_at, TIME0),
};
#undef C_L
static const eg_colmap FAC_ALERT_MAP = EG_COLMAP("facility_alert", FAC_ALERT_COLUMNS);

/* daily_report: a stored version (the body apart, bound after it). */
#define C_R(f, t) EG_COL(eg_report_version, f, EG_COL_##t)
static const eg_col VERSION_COLUMNS[] = {
    EG_COLX(eg_report_version, date, EG_COL_DATE, "report_date"),
    C_R(version, INT), C_R(generated_at, TIME), C_R(stored_at, TIME), C_R(actor, BUF), C_R(reason, BUF),
};
#undef C_R
static const eg_colmap VERSION_MAP = EG_COLMAP("daily_report", VERSION_COLUMNS);

/* Prepare statement `k` of the module, expanding {cols} and {names} of map
 * m (names from column `from`). NULL on a database error. */
static sqlite3_stmt *FM(eg_store *s, int k, const eg_colmap *m, int from, const char *sql)
{
    return eg_sq_ext_map(SQ(s), EG_SQ_EXT_FACILITY + k, m, from, sql);
}

/* Prepare statement `k` of the module (no map). */
static sqlite3_stmt *F(eg_store *s, int k, const char *sql)
{
    return eg_sq_ext(SQ(s), EG_SQ_EXT_FACILITY + k, sql);
}

/* Prepare report statement `k` (no map). */
static sqlite3_stmt *R(eg_store *s, int k, const char *sql)
{
    return eg_sq_ext(SQ(s), EG_SQ_EXT_REPORT + k, sql);
}

/* An admission's derived wait: admitted_at - wait_since in minutes (0
 * when it did not wait). Applied to every admission read. */
static void admission_wait(eg_admission *a)
{
    a->waited_min = a->wait_since && a->admitted_at > a->wait_since ? (long)(a->admitted_at - a->wait_since) : 0;
}

/* Row callbacks of eg_sq_each_row: read a record through its map and hand
 * it to the caller's typed function. */
EG_SQ_ROW_FN(facility_row, eg_facility, eg_facility_fn, FACILITY_MAP)
EG_SQ_ROW_FN(checkpoint_row, eg_checkpoint, eg_checkpoint_fn, CHECKPOINT_MAP)
EG_SQ_ROW_FN(fever_row, eg_fever, eg_fever_fn, FEVER_MAP)
EG_SQ_ROW_FN(falert_row, eg_fac_alert, eg_fac_alert_fn, FAC_ALERT_MAP)
EG_SQ_ROW_FN(version_row, eg_report_version, eg_report_version_fn, VERSION_MAP)

/* eg_sq_row_fn: one admission, its wait derived, to the eg_admission_fn fn. */
static eg_err admission_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_admission a;
    memset(&a, 0, sizeof a);
    eg_sq_read_cols(st, 0, &ADMISSION_MAP, &a);
    admission_wait(&a);
    return ((eg_admission_fn)fn)(ctx, &a);
}

/* Insert or update a record keyed by its first written column (?1)
 * through map m (columns `from`.. as ?1..): `exists_sql` counts the rows
 * with key ?1, `sql` is the upsert. *created (may be NULL): 1 when the key
 * was new. EG_OK or EG_ERR_DB. */
static eg_err upsert(eg_store *s, int exists_slot, const char *exists_sql, int put_slot, const char *sql,
                     const eg_colmap *m, int from, const void *rec, int *created)
{
    sqlite3_stmt *st = FM(s, exists_slot, m, from, exists_sql);
    long had = 0;
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, m, from, from + 1, rec);
    if ((e = eg_sq_step_long(SQ(s), st, &had)))
        return e;
    if (!(st = FM(s, put_slot, m, from, sql)))
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, m, from, m->n, rec);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && created)
        *created = had == 0;
    return e;
}

/* A parameter of a query: a text (NULL binds ""), an integer, a moment,
 * or a moment that binds '' for 0 (an open bound in a filter). */
typedef struct qarg {
    enum { QA_TEXT, QA_INT, QA_TIME, QA_TIME_OPEN } type;
    const char *text;
    int64_t num;
} qarg;
#define QT(v) { QA_TEXT, (v), 0 }
#define QI(v) { QA_INT, NULL, (v) }
#define QM(v) { QA_TIME, NULL, (v) }
#define QO(v) { QA_TIME_OPEN, NULL, (v) }
#define ARGS(...) (const qarg[]){ __VA_ARGS__ }, (int)(sizeof((const qarg[]){ __VA_ARGS__ }) / sizeof(qarg))

/* Bind args as ?1..?n to st; returns st (NULL stays NULL). */
static sqlite3_stmt *bind_args(sqlite3_stmt *st, const qarg *a, int n)
{
    for (int i = 0; st && i < n; i++) {
        switch (a[i].type) {
        case QA_TEXT: eg_sq_bind_text(st, i + 1, a[i].text); break;
        case QA_INT: sqlite3_bind_int64(st, i + 1, a[i].num); break;
        case QA_TIME: eg_sq_bind_time(st, i + 1, (eg_time)a[i].num); break;
        case QA_TIME_OPEN:
            if (a[i].num == 0)
                eg_sq_bind_text(st, i + 1, "");
            else
                eg_sq_bind_time(st, i + 1, (eg_time)a[i].num);
            break;
        }
    }
    return st;
}

/* Run statement st (NULL: it failed to prepare) with args, handing each
 * row to row(fn). EG_OK, fn's error or EG_ERR_DB. */
static eg_err each_args(eg_store *s, sqlite3_stmt *st, const qarg *a, int n, eg_sq_row_fn row, void *fn, void *ctx)
{
    return bind_args(st, a, n) ? eg_sq_each_row(SQ(s), st, row, fn, ctx) : EG_ERR_DB;
}

/* Run a one-record query st (NULL: it failed to prepare) with args into
 * out through map m. EG_OK, EG_ERR_NOT_FOUND or EG_ERR_DB. */
static eg_err one_args(eg_store *s, sqlite3_stmt *st, const qarg *a, int n, const eg_colmap *m, void *out,
                       size_t size)
{
    return bind_args(st, a, n) ? eg_sq_one_rec(SQ(s), st, m, out, size) : EG_ERR_DB;
}

/* Run a write st (NULL: it failed to prepare) with args; *changes (may be
 * NULL) gets the rows it changed. EG_OK or EG_ERR_DB. */
static eg_err write_args(eg_store *s, sqlite3_stmt *st, const qarg *a, int n, long *changes)
{
    eg_err e;
    if (!bind_args(st, a, n))
        return EG_ERR_DB;
    e = eg_sq_step_done(SQ(s), st);
    if (!e && changes)
        *changes = sqlite3_changes(SQ(s)->db);
    return e;
}

/* Run an insert whose RETURNING gives the new row's id and text id (into
 * *id and idbuf); no row (a conflict ignored) leaves them. EG_OK or
 * EG_ERR_DB. */
static eg_err insert_returning(eg_store *s, sqlite3_stmt *st, int64_t *id, char *idbuf, size_t size)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *id = sqlite3_column_int64(st, 0);
        eg_sq_col_copy(st, 1, idbuf, size);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EG_OK : eg_sq_db_fail(SQ(s));
}

/* ---- facilities ---- */

static eg_err sq_facility_put(eg_store *s, const eg_facility *f, int *created)
{
    return upsert(s, F_FAC_EXISTS, "SELECT count(*) FROM facility WHERE facility_id = ?1", F_FAC_PUT,
        "INSERT INTO facility({names}) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"
        " ON CONFLICT(facility_id) DO UPDATE SET name = ?2, kind = ?3, juris_code = ?4, places_in_use = ?5,"
        " places_standby = ?6, family_rooms = ?7, address = ?8, synthetic = ?9", &FACILITY_MAP, 2, f, created);
}

static eg_err sq_facility_get(eg_store *s, const char *facility_id, eg_facility *out)
{
    return one_args(s, FM(s, F_FAC_GET, &FACILITY_MAP, 0, "SELECT {cols} FROM facility f WHERE f.facility_id = ?1"),
                    ARGS(QT(facility_id)), &FACILITY_MAP, out, sizeof *out);
}

static eg_err sq_facility_each(eg_store *s, const char *juris, const char *kind, eg_facility_fn fn, void *ctx)
{
    return each_args(s, FM(s, F_FAC_EACH, &FACILITY_MAP, 0, "SELECT {cols} FROM facility f"
        " WHERE (?1 = '' OR f.juris_code = ?1 OR f.juris_code LIKE ?1 || '%') AND (?2 = '' OR f.kind = ?2)"
        " ORDER BY f.facility_id"), ARGS(QT(juris), QT(kind)), facility_row, (void *)fn, ctx);
}

static eg_err sq_facility_open_standby(eg_store *s, const char *facility_id, eg_time at)
{
    return write_args(s, F(s, F_FAC_STANDBY, "UPDATE facility SET standby_opened_at = ?2 WHERE facility_id = ?1"),
                      ARGS(QT(facility_id), QM(at)), NULL);
}

/* ---- admissions ---- */

static eg_err sq_admission_add(eg_store *s, const eg_admission *a, int64_t *id)
{
    sqlite3_stmt *st = FM(s, F_ADM_ADD, &ADMISSION_MAP, 2,
                          "INSERT INTO admission({names}) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, &ADMISSION_MAP, 2, ADMISSION_MAP.n, a);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && id)
        *id = sqlite3_last_insert_rowid(SQ(s)->db);
    return e;
}

static eg_err sq_admission_open(eg_store *s, int64_t order_id, eg_admission *out)
{
    eg_err e = one_args(s, FM(s, F_ADM_OPEN, &ADMISSION_MAP, 0, "SELECT {cols} FROM admission a WHERE a.order_id = ?1"
                    " AND a.discharged_at IS NULL"), ARGS(QI(order_id)), &ADMISSION_MAP, out, sizeof *out);
    if (!e)
        admission_wait(out);
    return e;
}

static eg_err sq_admission_latest(eg_store *s, int64_t order_id, eg_admission *out)
{
    eg_err e = one_args(s, FM(s, F_ADM_LATEST, &ADMISSION_MAP, 0, "SELECT {cols} FROM admission a WHERE a.order_id = ?1"
                    " ORDER BY a.admitted_at DESC, a.admission_id DESC LIMIT 1"), ARGS(QI(order_id)), &ADMISSION_MAP,
                    out, sizeof *out);
    if (!e)
        admission_wait(out);
    return e;
}

static eg_err sq_admission_get(eg_store *s, int64_t id, eg_admission *out)
{
    eg_err e = one_args(s, FM(s, F_ADM_GET, &ADMISSION_MAP, 0, "SELECT {cols} FROM admission a WHERE a.admission_id = ?1"),
                    ARGS(QI(id)), &ADMISSION_MAP, out, sizeof *out);
    if (!e)
        admission_wait(out);
    return e;
}

static eg_err sq_admission_close(eg_store *s, int64_t id, eg_time at, const char *reason)
{
    return write_args(s, F(s, F_ADM_CLOSE, "UPDATE admission SET discharged_at = ?2, discharge_reason = ?3"
                             " WHERE admission_id = ?1 AND discharged_at IS NULL"),
                      ARGS(QI(id), QM(at), QT(reason)), NULL);
}

static eg_err sq_admission_each(eg_store *s, const char *facility_id, int open_only, eg_admission_fn fn, void *ctx)
{
    return each_args(s, FM(s, F_ADM_EACH, &ADMISSION_MAP, 0, "SELECT {cols} FROM admission a"
                     " WHERE (?1 = '' OR a.facility_id = ?1) AND (?2 = 0 OR a.discharged_at IS NULL)"
                     " ORDER BY a.admission_id"), ARGS(QT(facility_id), QI(open_only)), admission_row, (void *)fn, ctx);
}

/* The state of order `o` at moment ?1: the from-state of its first
 * transition after the moment, else its state now. */
#define STATE_AT(col) "(CASE WHEN o.updated_at <= ?1 THEN o." col " ELSE coalesce((SELECT e.from_" col \
    " FROM order_event e WHERE e.order_id = o.order_id AND e.at > ?1 AND e.from_measure <> ''" \
    " ORDER BY e.event_id LIMIT 1), o." col ") END)"

/* The start of the wait: the latest entry into state ?2 up to ?1. */
#define WAIT_SINCE "coalesce((SELECT max(e.at) FROM order_event e WHERE e.order_id = o.order_id" \
    " AND e.to_state = ?2 AND e.at <= ?1), o.created_at)"

static eg_err awaiting_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    return ((eg_awaiting_fn)fn)(ctx, sqlite3_column_int64(st, 0), eg_sq_col_text(st, 1), eg_sq_col_text(st, 2),
                                eg_sq_col_text(st, 3), eg_sq_col_text(st, 4), eg_sq_col_time(st, 5));
}

static eg_err sq_awaiting_each(eg_store *s, eg_time at, const char *state, eg_awaiting_fn fn, void *ctx)
{
    return each_args(s, F(s, F_AWAITING, "SELECT o.order_id, o.oid, o.id_no, o.name, o.juris_code, " WAIT_SINCE
        " FROM control_order o WHERE o.created_at <= ?1 AND (o.state = ?2 OR o.updated_at > ?1)"
        " AND " STATE_AT("state") " = ?2 ORDER BY o.order_id"), ARGS(QM(at), QT(state)), awaiting_row, (void *)fn, ctx);
}

/* The start of a wait, as a one-column record. */
typedef struct wait_rec {
    eg_time since;
} wait_rec;
static const eg_col WAIT_COLUMNS[] = { EG_COL(wait_rec, since, EG_COL_TIME) };
static const eg_colmap WAIT_MAP = EG_COLMAP("control_order", WAIT_COLUMNS);

static eg_err sq_wait_since(eg_store *s, int64_t order_id, const char *state, eg_time *since)
{
    wait_rec w;
    eg_err e = one_args(s, F(s, F_WAIT_SINCE, "SELECT coalesce((SELECT max(e.at) FROM order_event e"
                             " WHERE e.order_id = o.order_id AND e.to_state = ?2), o.created_at)"
                             " FROM control_order o WHERE o.order_id = ?1"),
                        ARGS(QI(order_id), QT(state)), &WAIT_MAP, &w, sizeof w);
    if (!e)
        *since = w.since;
    return e;
}

/* The columns of an order event (eg_ctl_event) as fac_events reads them;
 * its order's oid, id_no, name and juris_code follow as columns 8..11. */
#define C_E(f, t, x) EG_COLX(eg_ctl_event, f, EG_COL_##t, x)
static const eg_col EVENT_COLUMNS[] = {
    C_E(id, I64, "e.event_id"), C_E(order_id, I64, "e.order_id"), C_E(at, TIME, "e.at"),
    C_E(action, BUF, "e.action"), C_E(from_measure, BUF, "e.from_measure"), C_E(from_state, BUF, "e.from_state"),
    C_E(to_measure, BUF, "e.to_measure"), C_E(to_state, BUF, "e.to_state"),
};
#undef C_E
static const eg_colmap EVENT_MAP = EG_COLMAP("order_event", EVENT_COLUMNS);

/* eg_sq_row_fn: one event and its order's identity to the eg_fac_event_fn fn. */
static eg_err event_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_ctl_event ev;
    memset(&ev, 0, sizeof ev);
    eg_sq_read_cols(st, 0, &EVENT_MAP, &ev);
    return ((eg_fac_event_fn)fn)(ctx, &ev, eg_sq_col_text(st, 8), eg_sq_col_text(st, 9), eg_sq_col_text(st, 10),
                                 eg_sq_col_text(st, 11));
}

static eg_err sq_fac_events(eg_store *s, eg_time from, eg_time to, eg_fac_event_fn fn, void *ctx)
{
    sqlite3_stmt *st = FM(s, F_EVENTS, &EVENT_MAP, 0, "SELECT {cols}, o.oid, o.id_no, o.name, o.juris_code"
        " FROM order_event e JOIN control_order o ON o.order_id = e.order_id"
        " WHERE e.at >= ?1 AND e.at < ?2 ORDER BY e.at, e.event_id");
    return each_args(s, st, ARGS(QM(from), QM(to)), event_row, (void *)fn, ctx);
}

/* ---- checkpoints and logs ---- */

static eg_err sq_checkpoint_put(eg_store *s, const eg_checkpoint *c, int *created)
{
    return upsert(s, F_CP_EXISTS, "SELECT count(*) FROM checkpoint WHERE checkpoint_id = ?1", F_CP_PUT,
        "INSERT INTO checkpoint({names}) VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(checkpoint_id) DO UPDATE"
        " SET name = ?2, kind = ?3, juris_code = ?4, max_checks_per_hour = ?5, synthetic = ?6",
        &CHECKPOINT_MAP, 0, c, created);
}

static eg_err sq_checkpoint_get(eg_store *s, const char *checkpoint_id, eg_checkpoint *out)
{
    return one_args(s, FM(s, F_CP_GET, &CHECKPOINT_MAP, 0, "SELECT {cols} FROM checkpoint c"
                    " WHERE c.checkpoint_id = ?1"), ARGS(QT(checkpoint_id)), &CHECKPOINT_MAP, out, sizeof *out);
}

static eg_err sq_checkpoint_each(eg_store *s, const char *juris, eg_checkpoint_fn fn, void *ctx)
{
    return each_args(s, FM(s, F_CP_EACH, &CHECKPOINT_MAP, 0, "SELECT {cols} FROM checkpoint c"
        " WHERE (?1 = '' OR c.juris_code = ?1 OR c.juris_code LIKE ?1 || '%') ORDER BY c.checkpoint_id"),
        ARGS(QT(juris)), checkpoint_row, (void *)fn, ctx);
}

/* One hour's log of a checkpoint. */
typedef struct check_log {
    const char *checkpoint_id;
    eg_time hour_start;
    long checked, fevers;
    eg_time recorded_at;
} check_log;
#define C_G(f, t) EG_COL(check_log, f, EG_COL_##t)
static const eg_col LOG_COLUMNS[] = {
    C_G(checkpoint_id, STR), C_G(hour_start, TIME), C_G(checked, LONG), C_G(fevers, LONG), C_G(recorded_at, TIME),
};
#undef C_G
static const eg_colmap LOG_MAP = EG_COLMAP("check_log", LOG_COLUMNS);

static eg_err sq_check_log_put(eg_store *s, const char *checkpoint_id, eg_time hour_start, long checked,
                               long fevers, eg_time at, int *updated)
{
    check_log l = { checkpoint_id, hour_start, checked, fevers, at };
    sqlite3_stmt *st = F(s, F_LOG_EXISTS, "SELECT count(*) FROM check_log WHERE checkpoint_id = ?1"
                          " AND hour_start = ?2");
    long n = 0;
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, &LOG_MAP, 0, 2, &l);
    if ((e = eg_sq_step_long(SQ(s), st, &n)))
        return e;
    st = FM(s, F_LOG_PUT, &LOG_MAP, 0, "INSERT INTO check_log({names}) VALUES(?1,?2,?3,?4,?5)"
            " ON CONFLICT(checkpoint_id, hour_start) DO UPDATE SET checked = ?3, fevers = ?4, recorded_at = ?5");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, &LOG_MAP, 0, LOG_MAP.n, &l);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && updated)
        *updated = n > 0;
    return e;
}

static eg_err totals_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_checkpoint c;
    int k = CHECKPOINT_MAP.n;
    memset(&c, 0, sizeof c);
    eg_sq_read_cols(st, 0, &CHECKPOINT_MAP, &c);
    return ((eg_check_total_fn)fn)(ctx, &c, (long)sqlite3_column_int64(st, k), (long)sqlite3_column_int64(st, k + 1),
                                   (long)sqlite3_column_int64(st, k + 2), (long)sqlite3_column_int64(st, k + 3));
}

static eg_err sq_check_totals(eg_store *s, eg_time from, eg_time to, eg_check_total_fn fn, void *ctx)
{
    sqlite3_stmt *st = FM(s, F_TOTALS, &CHECKPOINT_MAP, 0, "SELECT {cols},"
        " coalesce((SELECT sum(l.checked) FROM check_log l WHERE l.checkpoint_id = c.checkpoint_id"
        "  AND (?1 = '' OR l.hour_start >= ?1) AND (?2 = '' OR l.hour_start < ?2)), 0),"
        " coalesce((SELECT sum(l.fevers) FROM check_log l WHERE l.checkpoint_id = c.checkpoint_id"
        "  AND (?1 = '' OR l.hour_start >= ?1) AND (?2 = '' OR l.hour_start < ?2)), 0),"
        " (SELECT count(*) FROM fever f WHERE f.checkpoint_id = c.checkpoint_id"
        "  AND (?1 = '' OR f.at >= ?1) AND (?2 = '' OR f.at < ?2)),"
        " (SELECT count(*) FROM fever f WHERE f.checkpoint_id = c.checkpoint_id AND f.outcome = ''"
        "  AND (?1 = '' OR f.at >= ?1) AND (?2 = '' OR f.at < ?2))"
        " FROM checkpoint c ORDER BY c.checkpoint_id");
    return each_args(s, st, ARGS(QO(from), QO(to)), totals_row, (void *)fn, ctx);
}

/* ---- fevers ---- */

static eg_err sq_fever_add(eg_store *s, eg_fever *f, int *dup)
{
    sqlite3_stmt *st = FM(s, F_FEVER_ADD, &FEVER_MAP, 2,
        "INSERT INTO fever({names}) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14)"
        " ON CONFLICT(checkpoint_id, at, temp_dc, id_no) DO NOTHING RETURNING fever_id, fid");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, &FEVER_MAP, 2, FEVER_MAP.n, f);
    f->id = 0; /* stays 0 when the fever is already stored */
    if ((e = insert_returning(s, st, &f->id, f->fid, sizeof f->fid)))
        return e;
    if (dup)
        *dup = f->id == 0;
    return EG_OK;
}

static eg_err sq_fever_get(eg_store *s, const char *fid, eg_fever *out)
{
    return one_args(s, FM(s, F_FEVER_GET, &FEVER_MAP, 0, "SELECT {cols} FROM fever WHERE fid = ?1"), ARGS(QT(fid)),
                    &FEVER_MAP, out, sizeof *out);
}

static eg_err sq_fever_save(eg_store *s, const eg_fever *f)
{
    sqlite3_stmt *st = F(s, F_FEVER_SAVE, "UPDATE fever SET outcome = ?2, outcome_at = ?3,"
                          " outcome_by = ?4 WHERE fever_id = ?1");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, f->id);
    eg_sq_bind_cols(st, 2, &FEVER_MAP, FEVER_OUTCOME_FROM, FEVER_OUTCOME_TO, f);
    return eg_sq_step_done(SQ(s), st);
}

static eg_err sq_fever_each(eg_store *s, const char *juris, int open_only, eg_time due_by, eg_fever_fn fn,
                            void *ctx)
{
    sqlite3_stmt *st = FM(s, F_FEVER_EACH, &FEVER_MAP, 0, "SELECT {cols} FROM fever"
        " WHERE (?1 = '' OR juris_code = ?1 OR juris_code LIKE ?1 || '%') AND (?2 = 0 OR outcome = '')"
        " AND (?3 = '' OR due_at <= ?3) ORDER BY at, fever_id");
    return each_args(s, st, ARGS(QT(juris), QI(open_only), QO(due_by)), fever_row, (void *)fn, ctx);
}

/* ---- alerts of the module ---- */

static eg_err sq_fac_alert_add(eg_store *s, const eg_fac_alert *a, int *created)
{
    sqlite3_stmt *st = FM(s, F_ALERT_ADD, &FAC_ALERT_MAP, 2,
        "INSERT INTO facility_alert({names}) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9) ON CONFLICT(dedup) DO NOTHING");
    long n = 0;
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, &FAC_ALERT_MAP, 2, FAC_ALERT_MAP.n, a);
    e = write_args(s, st, NULL, 0, &n);
    if (!e && created)
        *created = n > 0;
    return e;
}

static eg_err sq_fac_alert_resolve(eg_store *s, const char *dedup, const char *from_state, const char *to_state,
                                   eg_time at, long *n)
{
    return write_args(s, F(s, F_ALERT_RESOLVE, "UPDATE facility_alert SET state = ?4, resolved_at = ?2"
                             " WHERE dedup = ?1 AND state = ?3"),
                      ARGS(QT(dedup), QM(at), QT(from_state), QT(to_state)), n);
}

static eg_err sq_fac_alert_each(eg_store *s, const char *juris, const char *state, eg_fac_alert_fn fn, void *ctx)
{
    return each_args(s, FM(s, F_ALERT_EACH, &FAC_ALERT_MAP, 0, "SELECT {cols} FROM facility_alert"
        " WHERE (?1 = '' OR juris_code = ?1 OR juris_code LIKE ?1 || '%') AND (?2 = '' OR state = ?2)"
        " ORDER BY alert_id DESC"), ARGS(QT(juris), QT(state)), falert_row, (void *)fn, ctx);
}

/* ---- the daily report's set queries ---- */

/* The groups of the report's queries: each lists the row fields its result
 * columns go to (the division first, the counts last). */
#define RPT_S(f) EG_COL(eg_rpt_row, f, EG_COL_STR)
#define RPT_N(i) EG_COLX(eg_rpt_row, n[i], EG_COL_LONG, "n")
static const eg_col RPT_STATE_COLS[] = { RPT_S(juris_code), RPT_S(measure), RPT_S(state), RPT_S(severity), RPT_N(0) };
static const eg_col RPT_EVENT_COLS[] = { RPT_S(juris_code), RPT_S(action), RPT_S(from_measure), RPT_S(from_state),
                                         RPT_S(measure), RPT_S(state), RPT_N(0) };
static const eg_col RPT_CREATED_COLS[] = { RPT_S(juris_code), RPT_S(measure), RPT_N(0) };
static const eg_col RPT_N1_COLS[] = { RPT_S(juris_code), RPT_N(0) };
static const eg_col RPT_N2_COLS[] = { RPT_S(juris_code), RPT_N(0), RPT_N(1) };
static const eg_col RPT_N3_COLS[] = { RPT_S(juris_code), RPT_N(0), RPT_N(1), RPT_N(2) };
static const eg_col RPT_KIND_N2_COLS[] = { RPT_S(juris_code), RPT_S(kind), RPT_N(0), RPT_N(1) };
static const eg_col RPT_FACILITY_COLS[] = { RPT_S(juris_code), RPT_S(kind), EG_COL(eg_rpt_row, flag, EG_COL_INT),
                                            RPT_N(0), RPT_N(1), RPT_N(2) };
#define RPT_MAP(cols) static const eg_colmap cols##_MAP = EG_COLMAP("report", cols)
RPT_MAP(RPT_STATE_COLS);
RPT_MAP(RPT_EVENT_COLS);
RPT_MAP(RPT_CREATED_COLS);
RPT_MAP(RPT_N1_COLS);
RPT_MAP(RPT_N2_COLS);
RPT_MAP(RPT_N3_COLS);
RPT_MAP(RPT_KIND_N2_COLS);
RPT_MAP(RPT_FACILITY_COLS);

/* Run a report query bound already and hand each group (read through map
 * m) to fn. EG_OK, fn's error, or EG_ERR_DB. */
static eg_err rpt_groups(eg_store *s, sqlite3_stmt *st, const eg_colmap *m, eg_rpt_row_fn fn, void *ctx)
{
    eg_err e = EG_OK;
    int rc = SQLITE_DONE;
    while (!e && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        eg_rpt_row r = { "", "", "", "", "", "", "", "", 0, { 0, 0, 0 } };
        eg_sq_read_cols(st, 0, m, &r);
        e = fn(ctx, &r);
    }
    if (!e && rc != SQLITE_DONE)
        e = eg_sq_db_fail(SQ(s));
    sqlite3_reset(st);
    return e;
}

/* A report query: statement `k` with args, its groups read through m. */
static eg_err rpt_query(eg_store *s, int k, const char *sql, const eg_colmap *m, const qarg *a, int n,
                        eg_rpt_row_fn fn, void *ctx)
{
    sqlite3_stmt *st = bind_args(R(s, k, sql), a, n);
    return st ? rpt_groups(s, st, m, fn, ctx) : EG_ERR_DB;
}

static eg_err sq_report_order_states(eg_store *s, eg_time as_at, eg_rpt_row_fn fn, void *ctx)
{
    eg_err e = EG_OK;
    /* orders unchanged since the moment, from the covering index in division order (no sort); those
     * changed since, rebuilt from their history */
    for (int pass = 0; pass < 2 && !e; pass++) {
        sqlite3_stmt *st = pass == 0
            ? R(s, R_STATE, "SELECT juris_code, measure, state, severity, count(*) FROM control_order"
                " WHERE created_at <= ?1 AND updated_at <= ?1 GROUP BY juris_code, measure, state, severity")
            : R(s, R_STATE_CHANGED, "SELECT o.juris_code, " STATE_AT("measure") ", " STATE_AT("state") ","
                " o.severity, count(*) FROM control_order o WHERE o.updated_at > ?1 AND o.created_at <= ?1"
                " GROUP BY 1, 2, 3, 4");
        e = st ? rpt_groups(s, bind_args(st, ARGS(QM(as_at))), &RPT_STATE_COLS_MAP, fn, ctx) : EG_ERR_DB;
    }
    return e;
}

static eg_err sq_report_order_events(eg_store *s, eg_time as_at, eg_time from, eg_time to, eg_rpt_row_fn fn,
                                     void *ctx)
{
    return rpt_query(s, R_EVENTS, "SELECT o.juris_code, e.action, e.from_measure, e.from_state, e.to_measure,"
                     " e.to_state, count(*) FROM order_event e JOIN control_order o ON o.order_id = e.order_id"
                     " WHERE e.at >= ?2 AND e.at < ?3 AND e.at <= ?1 GROUP BY 1, 2, 3, 4, 5, 6",
                     &RPT_EVENT_COLS_MAP, ARGS(QM(as_at), QM(from), QM(to)), fn, ctx);
}

static eg_err sq_report_orders_created(eg_store *s, eg_time as_at, eg_time from, eg_time to, eg_rpt_row_fn fn,
                                       void *ctx)
{
    return rpt_query(s, R_CREATED, "SELECT o.juris_code, coalesce((SELECT CASE WHEN e.from_measure <> ''"
                     " THEN e.from_measure ELSE e.to_measure END FROM order_event e WHERE e.order_id = o.order_id"
                     " ORDER BY e.event_id LIMIT 1), o.measure), count(*) FROM control_order o"
                     " WHERE o.created_at >= ?2 AND o.created_at < ?3 AND o.created_at <= ?1 GROUP BY 1, 2",
                     &RPT_CREATED_COLS_MAP, ARGS(QM(as_at), QM(from), QM(to)), fn, ctx);
}

static eg_err sq_report_tasks(eg_store *s, eg_time as_at, eg_time due_by, eg_rpt_row_fn fn, void *ctx)
{
    return rpt_query(s, R_TASKS, "SELECT juris_code, count(*), sum(due_at <= ?2) FROM verification_task"
                     " WHERE created_at <= ?1 AND (closed_at IS NULL OR closed_at > ?1) GROUP BY juris_code",
                     &RPT_N2_COLS_MAP, ARGS(QM(as_at), QM(due_by)), fn, ctx);
}

static eg_err sq_report_alerts(eg_store *s, eg_time as_at, eg_time due_by, eg_rpt_row_fn fn, void *ctx)
{
    return rpt_query(s, R_ALERTS, "SELECT juris_code, count(*), sum(due_at <= ?2),"
                     " sum(due_at <= ?2 AND ack_at IS NOT NULL AND ack_at <= ?1) FROM alert WHERE created_at <= ?1"
                     " AND (resolved_at IS NULL OR resolved_at > ?1) GROUP BY juris_code",
                     &RPT_N3_COLS_MAP, ARGS(QM(as_at), QM(due_by)), fn, ctx);
}

static eg_err sq_report_fac_alerts(eg_store *s, eg_time as_at, eg_time due_by, eg_rpt_row_fn fn, void *ctx)
{
    return rpt_query(s, R_FAC_ALERTS, "SELECT juris_code, count(*), sum(due_at <= ?2) FROM facility_alert"
                     " WHERE created_at <= ?1 AND (resolved_at IS NULL OR resolved_at > ?1) GROUP BY juris_code",
                     &RPT_N2_COLS_MAP, ARGS(QM(as_at), QM(due_by)), fn, ctx);
}

static eg_err sq_report_requests(eg_store *s, eg_time as_at, eg_time from, eg_time to, eg_rpt_row_fn fn,
                                 void *ctx)
{
    return rpt_query(s, R_REQUESTS, "SELECT juris_code, state, sum(created_at <= ?1),"
                     " sum(created_at >= ?2 AND created_at < ?3 AND created_at <= ?1) FROM assistance_request"
                     " GROUP BY juris_code, state", &RPT_KIND_N2_COLS_MAP, ARGS(QM(as_at), QM(from), QM(to)), fn, ctx);
}

static eg_err sq_report_checks(eg_store *s, eg_time as_at, eg_time from, eg_time to, eg_rpt_row_fn fn, void *ctx)
{
    return rpt_query(s, R_CHECKS, "SELECT c.juris_code, sum(l.checked), sum(l.fevers) FROM check_log l"
                     " JOIN checkpoint c ON c.checkpoint_id = l.checkpoint_id"
                     " WHERE l.hour_start >= ?2 AND l.hour_start < ?3 AND l.hour_start <= ?1 GROUP BY c.juris_code",
                     &RPT_N2_COLS_MAP, ARGS(QM(as_at), QM(from), QM(to)), fn, ctx);
}

static eg_err sq_report_referrals(eg_store *s, eg_time as_at, eg_rpt_row_fn fn, void *ctx)
{
    return rpt_query(s, R_NO_OUTCOME, "SELECT juris_code, count(*) FROM fever"
                     " WHERE at <= ?1 AND (outcome_at IS NULL OR outcome_at > ?1) GROUP BY juris_code",
                     &RPT_N1_COLS_MAP, ARGS(QM(as_at)), fn, ctx);
}

static eg_err sq_report_facilities(eg_store *s, eg_time as_at, eg_rpt_row_fn fn, void *ctx)
{
    return rpt_query(s, R_FACILITIES, "SELECT f.juris_code, f.kind, coalesce(f.standby_opened_at <= ?1, 0),"
                     " sum(f.places_in_use), sum(f.places_standby),"
                     " sum((SELECT count(*) FROM admission a WHERE a.facility_id = f.facility_id"
                     "  AND a.admitted_at <= ?1 AND (a.discharged_at IS NULL OR a.discharged_at > ?1)))"
                     " FROM facility f WHERE f.created_at <= ?1 GROUP BY 1, 2, 3",
                     &RPT_FACILITY_COLS_MAP, ARGS(QM(as_at)), fn, ctx);
}

/* ---- stored versions ---- */

static eg_err sq_report_put(eg_store *s, const eg_report_version *v, const char *body)
{
    sqlite3_stmt *st = eg_sq_ext_map(SQ(s), EG_SQ_EXT_REPORT + R_PUT, &VERSION_MAP, 0, "INSERT INTO daily_report("
                                     "{names}, body) VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT DO NOTHING");
    long n = 0;
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, &VERSION_MAP, 0, VERSION_MAP.n, v);
    eg_sq_bind_text(st, 7, body);
    e = write_args(s, st, NULL, 0, &n);
    return !e && n == 0 ? EG_ERR_EXISTS : e;
}

static eg_err sq_report_get(eg_store *s, eg_date date, int version, eg_report_body_fn fn, void *ctx)
{
    sqlite3_stmt *st = version > 0
        ? eg_sq_ext_map(SQ(s), EG_SQ_EXT_REPORT + R_GET, &VERSION_MAP, 0, "SELECT {cols}, body FROM daily_report"
                        " WHERE report_date = ?1 AND version = ?2")
        : eg_sq_ext_map(SQ(s), EG_SQ_EXT_REPORT + R_LATEST, &VERSION_MAP, 0, "SELECT {cols}, body"
                        " FROM daily_report WHERE report_date = ?1 ORDER BY version DESC LIMIT 1");
    eg_report_version v;
    eg_err e;
    int rc;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_date(st, 1, date);
    if (version > 0)
        sqlite3_bind_int(st, 2, version);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(&v, 0, sizeof v);
        eg_sq_read_cols(st, 0, &VERSION_MAP, &v);
        e = fn(ctx, &v, eg_sq_col_text(st, VERSION_MAP.n));
    } else {
        e = rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(SQ(s));
    }
    sqlite3_reset(st);
    return e;
}

static eg_err sq_report_versions(eg_store *s, eg_date date, eg_report_version_fn fn, void *ctx)
{
    char day[EG_DATE_BUFSZ];
    return each_args(s, eg_sq_ext_map(SQ(s), EG_SQ_EXT_REPORT + R_VERSIONS, &VERSION_MAP, 0, "SELECT {cols}"
                                      " FROM daily_report WHERE report_date = ?1 ORDER BY version"),
                     ARGS(QT(eg_date_format(date, day))), version_row, (void *)fn, ctx);
}

/* Fill in the facility module's operations. */
void eg_sq_facility_ops(eg_store_ops *o)
{
    o->facility_put = sq_facility_put;
    o->facility_get = sq_facility_get;
    o->facility_each = sq_facility_each;
    o->facility_open_standby = sq_facility_open_standby;
    o->admission_add = sq_admission_add;
    o->admission_open = sq_admission_open;
    o->admission_latest = sq_admission_latest;
    o->admission_get = sq_admission_get;
    o->admission_close = sq_admission_close;
    o->admission_each = sq_admission_each;
    o->awaiting_each = sq_awaiting_each;
    o->wait_since = sq_wait_since;
    o->fac_events = sq_fac_events;
    o->checkpoint_put = sq_checkpoint_put;
    o->checkpoint_get = sq_checkpoint_get;
    o->checkpoint_each = sq_checkpoint_each;
    o->check_log_put = sq_check_log_put;
    o->check_totals = sq_check_totals;
    o->fever_add = sq_fever_add;
    o->fever_get = sq_fever_get;
    o->fever_save = sq_fever_save;
    o->fever_each = sq_fever_each;
    o->fac_alert_add = sq_fac_alert_add;
    o->fac_alert_resolve = sq_fac_alert_resolve;
    o->fac_alert_each = sq_fac_alert_each;
    o->report_order_states = sq_report_order_states;
    o->report_order_events = sq_report_order_events;
    o->report_orders_created = sq_report_orders_created;
    o->report_tasks = sq_report_tasks;
    o->report_alerts = sq_report_alerts;
    o->report_fac_alerts = sq_report_fac_alerts;
    o->report_requests = sq_report_requests;
    o->report_checks = sq_report_checks;
    o->report_referrals = sq_report_referrals;
    o->report_facilities = sq_report_facilities;
    o->report_put = sq_report_put;
    o->report_get = sq_report_get;
    o->report_versions = sq_report_versions;
}
