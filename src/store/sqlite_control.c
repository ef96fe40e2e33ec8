/*
 * store/sqlite_control.c: the SQLite side of the control-measures module:
 * schema migration 5 (order history, tests, readings, assessments, alerts,
 * teams, self-report tokens, daily-run log; new columns of control_order
 * and verification_task) and the operations of store/control_ops.h, each a
 * prepared statement in the ext slots EG_SQ_EXT_CONTROL..+63.
 *
 * Moments are stored as `YYYY-MM-DD HH:MM` text (they sort as text),
 * dates as ISO text, temperatures as integer tenths of a degree.
 */
#include <stdio.h>
#include <string.h>
#include "sqlite_internal.h"

/* Version 5: control measures (issue 5). */
const char *const EG_SQ_MIGRATION_5[] = {
    "ALTER TABLE control_order ADD COLUMN severity TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE control_order ADD COLUMN prior_measure TEXT NOT NULL DEFAULT ''",
    "ALTER TABLE control_order ADD COLUMN prior_start TEXT",
    "ALTER TABLE control_order ADD COLUMN prior_end TEXT",
    "ALTER TABLE control_order ADD COLUMN not_before TEXT",
    "ALTER TABLE control_order ADD COLUMN measure_at TEXT",
    "ALTER TABLE control_order ADD COLUMN admitted_at TEXT",
    "CREATE INDEX control_order_state ON control_order(state, end_date)",
    "ALTER TABLE verification_task ADD COLUMN kind TEXT NOT NULL DEFAULT 'verification'",
    "CREATE INDEX verification_task_order ON verification_task(order_id)",
    "CREATE TABLE order_event("
    " event_id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES control_order(order_id),"
    " at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,"
    " from_measure TEXT NOT NULL DEFAULT '', from_state TEXT NOT NULL DEFAULT '',"
    " to_measure TEXT NOT NULL, to_state TEXT NOT NULL, reason TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX order_event_order ON order_event(order_id, event_id)",
    "CREATE INDEX order_event_at ON order_event(at, action)",
    "CREATE TABLE lab_test("
    " test_id INTEGER PRIMARY KEY, id_no TEXT NOT NULL, sampled_at TEXT NOT NULL,"
    " method TEXT NOT NULL, result TEXT NOT NULL, lab TEXT NOT NULL DEFAULT '',"
    " recorded_at TEXT NOT NULL, actor TEXT NOT NULL, UNIQUE(id_no, sampled_at, method))",
    "CREATE TABLE reading("
    " reading_id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES control_order(order_id),"
    " id_no TEXT NOT NULL, taken_at TEXT NOT NULL, temp_dc INTEGER NOT NULL,"
    " symptoms TEXT NOT NULL DEFAULT '', source TEXT NOT NULL, recorded_at TEXT NOT NULL,"
    " actor TEXT NOT NULL, UNIQUE(order_id, taken_at, source))",
    "CREATE TABLE assessment("
    " assessment_id INTEGER PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES control_order(order_id),"
    " at TEXT NOT NULL, clinician TEXT NOT NULL, symptoms_improved INTEGER NOT NULL,"
    " imaging_improved INTEGER NOT NULL, note TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX assessment_order ON assessment(order_id, at)",
    "CREATE TABLE alert("
    " alert_id INTEGER PRIMARY KEY, aid TEXT NOT NULL UNIQUE DEFAULT (lower(hex(randomblob(8)))),"
    " kind TEXT NOT NULL, order_id INTEGER NOT NULL REFERENCES control_order(order_id),"
    " id_no TEXT NOT NULL, name TEXT NOT NULL DEFAULT '', juris_code TEXT NOT NULL,"
    " escalated_to TEXT NOT NULL DEFAULT '', reason TEXT NOT NULL DEFAULT '', state TEXT NOT NULL,"
    " dedup TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, due_at TEXT NOT NULL,"
    " escalated_at TEXT, ack_at TEXT, ack_by TEXT NOT NULL DEFAULT '', resolved_at TEXT,"
    " resolved_by TEXT NOT NULL DEFAULT '')",
    "CREATE INDEX alert_state ON alert(state, due_at)",
    "CREATE INDEX alert_juris ON alert(juris_code, state)",
    "CREATE TABLE team_member("
    " order_id INTEGER NOT NULL REFERENCES control_order(order_id), role TEXT NOT NULL,"
    " staff_id TEXT NOT NULL, state TEXT NOT NULL, proposed_at TEXT NOT NULL,"
    " confirmed_at TEXT, confirmed_by TEXT NOT NULL DEFAULT '',"
    " PRIMARY KEY(order_id, role)) WITHOUT ROWID",
    "CREATE INDEX team_member_staff ON team_member(staff_id)",
    "CREATE TABLE report_token("
    " token_hash TEXT PRIMARY KEY, order_id INTEGER NOT NULL REFERENCES control_order(order_id),"
    " created_at TEXT NOT NULL, created_by TEXT NOT NULL, revoked_at TEXT)",
    "CREATE INDEX report_token_order ON report_token(order_id)",
    "CREATE TABLE daily_run("
    " run_date TEXT NOT NULL, as_at TEXT NOT NULL, summary TEXT NOT NULL,"
    " PRIMARY KEY(run_date, as_at)) WITHOUT ROWID",
    NULL
};

/* Statement slots of this module (EG_SQ_EXT_CONTROL + n). */
enum {
    K_ORDER_OID, K_ORDER_IDNO, K_ORDER_ID, K_ORDER_RUNNING, K_ORDER_INSERT, K_ORDER_SAVE, K_ORDER_EACH,
    K_EVENT_ADD, K_EVENT_EACH, K_EVENT_COUNT,
    K_TEST_ADD, K_TEST_EACH, K_READING_ADD, K_READING_EACH, K_READING_LIST,
    K_ASSESS_ADD, K_ASSESS_LATEST,
    K_ALERT_ADD, K_ALERT_GET, K_ALERT_SAVE, K_ALERT_EACH, K_ALERT_DUE,
    K_TASK_ADD, K_TASK_GET, K_TASK_SAVE, K_TASK_EACH,
    K_MEMBER_PUT, K_MEMBER_EACH, K_LOAD_EACH, K_SHORT_TEAM,
    K_TOKEN_ADD, K_TOKEN_FIND, K_TOKEN_REVOKE,
    K_RELEASE_EVENTS, K_RELEASE_UPDATE, K_MISSED, K_TODO, K_DAILY_LOG,
    K__COUNT
};
_Static_assert(K__COUNT <= 64, "the control module has 64 statement slots");

/* Running states and observation measures, as SQL lists. */
#define RUNNING "('active','awaiting_admission')"
#define OBSERVATION "('home_quarantine','central_isolation','post_discharge_observation')"

/* The columns of control_order, in the order of ORDER_COLS: binding and
 * reading an order go through this map. Columns 3..17 are what a save
 * writes (parameters ?2..?16); 2..18 what an insert writes (?1..?17). */
static const eg_col ORDER_COLUMNS[] = {
    EG_COL(eg_ctl_order, id, EG_COL_I64),
    EG_COL(eg_ctl_order, oid, EG_COL_BUF),
    EG_COL(eg_ctl_order, id_no, EG_COL_BUF),
    EG_COL(eg_ctl_order, name, EG_COL_BUF),
    EG_COL(eg_ctl_order, measure, EG_COL_BUF),
    EG_COL(eg_ctl_order, state, EG_COL_BUF),
    EG_COL(eg_ctl_order, start_date, EG_COL_DATE),
    EG_COL(eg_ctl_order, end_date, EG_COL_DATE),
    EG_COL(eg_ctl_order, rules, EG_COL_BUF),
    EG_COL(eg_ctl_order, juris_code, EG_COL_BUF),
    EG_COL(eg_ctl_order, updated_at, EG_COL_TIME),
    EG_COL(eg_ctl_order, severity, EG_COL_BUF),
    EG_COL(eg_ctl_order, prior_measure, EG_COL_BUF),
    EG_COL(eg_ctl_order, prior_start, EG_COL_DATE),
    EG_COL(eg_ctl_order, prior_end, EG_COL_DATE),
    EG_COL(eg_ctl_order, not_before, EG_COL_DATE),
    EG_COLX(eg_ctl_order, measure_at, EG_COL_TIME0, "coalesce(measure_at, created_at)"),
    EG_COL(eg_ctl_order, admitted_at, EG_COL_TIME0),
    EG_COL(eg_ctl_order, created_at, EG_COL_TIME),
};
static const eg_colmap ORDER_MAP = EG_COLMAP("control_order", ORDER_COLUMNS);
enum { ORDER_SAVE_FROM = 3, ORDER_SAVE_TO = 18, ORDER_INSERT_FROM = 2 };

#define ORDER_COLS "order_id, oid, id_no, name, measure, state, start_date, end_date, rules, juris_code," \
    " updated_at, severity, prior_measure, prior_start, prior_end, not_before," \
    " coalesce(measure_at, created_at), admitted_at, created_at"

/* Prepare statement `k` of this module. */
static sqlite3_stmt *K(eg_store *s, int k, const char *sql)
{
    return eg_sq_ext(SQ(s), EG_SQ_EXT_CONTROL + k, sql);
}

/* Bind a moment, or NULL for 0 ("not set"). */
static void bind_time0(sqlite3_stmt *st, int i, eg_time t)
{
    if (t == 0)
        sqlite3_bind_null(st, i);
    else
        eg_sq_bind_time(st, i, t);
}

/* Bind an optional filter text ("" for NULL). */
static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    eg_sq_bind_text(st, i, v ? v : "");
}

/* Read an order row (ORDER_COLS) into o. */
static void read_order(sqlite3_stmt *st, eg_ctl_order *o)
{
    memset(o, 0, sizeof *o);
    eg_sq_read_cols(st, 0, &ORDER_MAP, o);
}

/* Step a one-order query into out; EG_ERR_NOT_FOUND when no row. */
static eg_err one_order(eg_store *s, sqlite3_stmt *st, eg_ctl_order *out)
{
    int rc = sqlite3_step(st);
    eg_err e = EG_OK;
    if (rc == SQLITE_ROW)
        read_order(st, out);
    else
        e = rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(SQ(s));
    sqlite3_reset(st);
    return e;
}


/* ---- orders ---- */

static eg_err order_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_ctl_order o;
    read_order(st, &o);
    return ((eg_ctl_order_fn)fn)(ctx, &o);
}

static eg_err sq_order_get(eg_store *s, const char *oid, eg_ctl_order *out)
{
    sqlite3_stmt *st = K(s, K_ORDER_OID, "SELECT " ORDER_COLS " FROM control_order WHERE oid = ?1");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, oid);
    e = one_order(s, st, out);
    if (e != EG_ERR_NOT_FOUND)
        return e;
    st = K(s, K_ORDER_IDNO, "SELECT " ORDER_COLS " FROM control_order WHERE id_no = ?1"
           " ORDER BY state IN " RUNNING " DESC, order_id DESC LIMIT 1");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, oid);
    return one_order(s, st, out);
}

static eg_err sq_order_by_id(eg_store *s, int64_t id, eg_ctl_order *out)
{
    sqlite3_stmt *st = K(s, K_ORDER_ID, "SELECT " ORDER_COLS " FROM control_order WHERE order_id = ?1");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    return one_order(s, st, out);
}

/* The person's latest running order. max() in a subquery rather than ORDER BY
 * order_id DESC LIMIT 1: the same row, without the temporary B-tree that the
 * sort opens and closes on every call (this runs once per reading). */
static eg_err sq_order_running(eg_store *s, const char *id_no, eg_ctl_order *out)
{
    sqlite3_stmt *st = K(s, K_ORDER_RUNNING, "SELECT " ORDER_COLS " FROM control_order WHERE order_id ="
                         " (SELECT max(order_id) FROM control_order WHERE id_no = ?1 AND state IN " RUNNING ")");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, id_no);
    return one_order(s, st, out);
}

/* Bind the mutable columns of an order from index 2 (shared by insert and
 * save; index 1 is the id or the id_no). */
static void bind_order(sqlite3_stmt *st, const eg_ctl_order *o)
{
    eg_sq_bind_cols(st, 2, &ORDER_MAP, ORDER_SAVE_FROM, ORDER_SAVE_TO, o);
}

static eg_err sq_order_insert(eg_store *s, eg_ctl_order *o)
{
    sqlite3_stmt *st = eg_sq_ext_map(SQ(s), EG_SQ_EXT_CONTROL + K_ORDER_INSERT, &ORDER_MAP, ORDER_INSERT_FROM,
        "INSERT INTO control_order({names}) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17)"
        " RETURNING order_id, oid");
    int rc;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_cols(st, 1, &ORDER_MAP, ORDER_INSERT_FROM, ORDER_MAP.n, o);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        o->id = sqlite3_column_int64(st, 0);
        eg_sq_col_copy(st, 1, o->oid, sizeof o->oid);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? EG_OK : eg_sq_db_fail(SQ(s));
}

static eg_err sq_order_save(eg_store *s, const eg_ctl_order *o)
{
    sqlite3_stmt *st = K(s, K_ORDER_SAVE,
        "UPDATE control_order SET name = ?2, measure = ?3, state = ?4, start_date = ?5, end_date = ?6,"
        " rules = ?7, juris_code = ?8, updated_at = ?9, severity = ?10, prior_measure = ?11,"
        " prior_start = ?12, prior_end = ?13, not_before = ?14, measure_at = ?15, admitted_at = ?16"
        " WHERE order_id = ?1");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, o->id);
    bind_order(st, o);
    return eg_sq_step_done(SQ(s), st);
}

/* Bind limit (-1 for none). */
static void bind_limit(sqlite3_stmt *st, int i, long limit)
{
    sqlite3_bind_int64(st, i, limit > 0 ? limit : -1);
}

static eg_err sq_order_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_order_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_ORDER_EACH, "SELECT " ORDER_COLS " FROM control_order"
        " WHERE (?1 = '' OR juris_code = ?1 OR juris_code LIKE ?1 || '%')"
        " AND (?2 = '' OR state = ?2 OR (?2 = 'running' AND state IN " RUNNING "))"
        " AND (?3 = '' OR measure = ?3) AND (?4 = '' OR id_no = ?4) ORDER BY order_id LIMIT ?5");
    if (!st)
        return EG_ERR_DB;
    bind_opt(st, 1, f ? f->juris : NULL);
    bind_opt(st, 2, f ? f->state : NULL);
    bind_opt(st, 3, f ? f->kind : NULL);
    bind_opt(st, 4, f ? f->id_no : NULL);
    bind_limit(st, 5, f ? f->limit : 0);
    return eg_sq_each_row(SQ(s), st, order_row, (void *)fn, ctx);
}

/* ---- history ---- */

static eg_err sq_event_add(eg_store *s, const eg_ctl_event *e)
{
    sqlite3_stmt *st = K(s, K_EVENT_ADD,
        "INSERT INTO order_event(order_id, at, actor, action, from_measure, from_state, to_measure,"
        " to_state, reason) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, e->order_id);
    eg_sq_bind_time(st, 2, e->at);
    eg_sq_bind_text(st, 3, e->actor);
    eg_sq_bind_text(st, 4, e->action);
    eg_sq_bind_text(st, 5, e->from_measure);
    eg_sq_bind_text(st, 6, e->from_state);
    eg_sq_bind_text(st, 7, e->to_measure);
    eg_sq_bind_text(st, 8, e->to_state);
    eg_sq_bind_text(st, 9, e->reason);
    return eg_sq_step_done(SQ(s), st);
}

static eg_err event_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_ctl_event e;
    memset(&e, 0, sizeof e);
    e.id = sqlite3_column_int64(st, 0);
    e.order_id = sqlite3_column_int64(st, 1);
    e.at = eg_sq_col_time(st, 2);
    eg_sq_col_copy(st, 3, e.actor, sizeof e.actor);
    eg_sq_col_copy(st, 4, e.action, sizeof e.action);
    eg_sq_col_copy(st, 5, e.from_measure, sizeof e.from_measure);
    eg_sq_col_copy(st, 6, e.from_state, sizeof e.from_state);
    eg_sq_col_copy(st, 7, e.to_measure, sizeof e.to_measure);
    eg_sq_col_copy(st, 8, e.to_state, sizeof e.to_state);
    eg_sq_col_copy(st, 9, e.reason, sizeof e.reason);
    return ((eg_ctl_event_fn)fn)(ctx, &e);
}

static eg_err sq_event_each(eg_store *s, int64_t order_id, eg_ctl_event_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_EVENT_EACH,
        "SELECT event_id, order_id, at, actor, action, from_measure, from_state, to_measure, to_state,"
        " reason FROM order_event WHERE order_id = ?1 ORDER BY event_id");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, order_id);
    return eg_sq_each_row(SQ(s), st, event_row, (void *)fn, ctx);
}

static eg_err sq_event_count(eg_store *s, const char *action, eg_time from, eg_time to, long *n)
{
    sqlite3_stmt *st = K(s, K_EVENT_COUNT, "SELECT count(*) FROM order_event WHERE at >= ?2 AND at < ?3"
                         " AND (?1 = '' OR action = ?1)");
    if (!st)
        return EG_ERR_DB;
    bind_opt(st, 1, action);
    eg_sq_bind_time(st, 2, from);
    eg_sq_bind_time(st, 3, to);
    return eg_sq_step_long(SQ(s), st, n);
}

/* ---- tests, readings, assessments ---- */

static eg_err sq_test_add(eg_store *s, const eg_ctl_test *t, int *dup)
{
    sqlite3_stmt *st = K(s, K_TEST_ADD,
        "INSERT INTO lab_test(id_no, sampled_at, method, result, lab, recorded_at, actor)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(id_no, sampled_at, method) DO NOTHING");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, t->id_no);
    eg_sq_bind_time(st, 2, t->sampled_at);
    eg_sq_bind_text(st, 3, t->method);
    eg_sq_bind_text(st, 4, t->result);
    eg_sq_bind_text(st, 5, t->lab);
    eg_sq_bind_time(st, 6, t->recorded_at);
    eg_sq_bind_text(st, 7, t->actor);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && dup)
        *dup = sqlite3_changes(SQ(s)->db) == 0;
    return e;
}

static eg_err test_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_ctl_test t;
    memset(&t, 0, sizeof t);
    t.id = sqlite3_column_int64(st, 0);
    eg_sq_col_copy(st, 1, t.id_no, sizeof t.id_no);
    t.sampled_at = eg_sq_col_time(st, 2);
    eg_sq_col_copy(st, 3, t.method, sizeof t.method);
    eg_sq_col_copy(st, 4, t.result, sizeof t.result);
    eg_sq_col_copy(st, 5, t.lab, sizeof t.lab);
    t.recorded_at = eg_sq_col_time(st, 6);
    eg_sq_col_copy(st, 7, t.actor, sizeof t.actor);
    return ((eg_ctl_test_fn)fn)(ctx, &t);
}

static eg_err sq_test_each(eg_store *s, const char *id_no, eg_time since, eg_ctl_test_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_TEST_EACH,
        "SELECT test_id, id_no, sampled_at, method, result, lab, recorded_at, actor FROM lab_test"
        " WHERE id_no = ?1 AND sampled_at >= ?2 ORDER BY sampled_at, test_id");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, id_no);
    eg_sq_bind_time(st, 2, since);
    return eg_sq_each_row(SQ(s), st, test_row, (void *)fn, ctx);
}

static eg_err sq_reading_add(eg_store *s, const eg_ctl_reading *r, int *dup)
{
    sqlite3_stmt *st = K(s, K_READING_ADD,
        "INSERT INTO reading(order_id, id_no, taken_at, temp_dc, symptoms, source, recorded_at, actor)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT(order_id, taken_at, source) DO NOTHING");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, r->order_id);
    eg_sq_bind_text(st, 2, r->id_no);
    eg_sq_bind_time(st, 3, r->taken_at);
    sqlite3_bind_int(st, 4, r->temp_dc);
    eg_sq_bind_text(st, 5, r->symptoms);
    eg_sq_bind_text(st, 6, r->source);
    eg_sq_bind_time(st, 7, r->recorded_at);
    eg_sq_bind_text(st, 8, r->actor);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && dup)
        *dup = sqlite3_changes(SQ(s)->db) == 0;
    return e;
}

#define READING_COLS "reading_id, order_id, id_no, taken_at, temp_dc, symptoms, source, recorded_at, actor"

static eg_err reading_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_ctl_reading r;
    memset(&r, 0, sizeof r);
    r.id = sqlite3_column_int64(st, 0);
    r.order_id = sqlite3_column_int64(st, 1);
    eg_sq_col_copy(st, 2, r.id_no, sizeof r.id_no);
    r.taken_at = eg_sq_col_time(st, 3);
    r.temp_dc = sqlite3_column_int(st, 4);
    eg_sq_col_copy(st, 5, r.symptoms, sizeof r.symptoms);
    eg_sq_col_copy(st, 6, r.source, sizeof r.source);
    r.recorded_at = eg_sq_col_time(st, 7);
    eg_sq_col_copy(st, 8, r.actor, sizeof r.actor);
    return ((eg_ctl_reading_fn)fn)(ctx, &r);
}

static eg_err sq_reading_each(eg_store *s, int64_t order_id, eg_time since, eg_ctl_reading_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_READING_EACH, "SELECT " READING_COLS " FROM reading"
                         " WHERE order_id = ?1 AND taken_at >= ?2 ORDER BY taken_at, reading_id");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, order_id);
    eg_sq_bind_time(st, 2, since);
    return eg_sq_each_row(SQ(s), st, reading_row, (void *)fn, ctx);
}

static eg_err sq_reading_list(eg_store *s, const eg_ctl_filter *f, eg_ctl_reading_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_READING_LIST, "SELECT " READING_COLS " FROM reading"
                         " WHERE (?1 = '' OR id_no = ?1) ORDER BY taken_at DESC, reading_id DESC LIMIT ?2");
    if (!st)
        return EG_ERR_DB;
    bind_opt(st, 1, f ? f->id_no : NULL);
    bind_limit(st, 2, f ? f->limit : 0);
    return eg_sq_each_row(SQ(s), st, reading_row, (void *)fn, ctx);
}

static eg_err sq_assessment_add(eg_store *s, const eg_ctl_assessment *a)
{
    sqlite3_stmt *st = K(s, K_ASSESS_ADD,
        "INSERT INTO assessment(order_id, at, clinician, symptoms_improved, imaging_improved, note)"
        " VALUES(?1,?2,?3,?4,?5,?6)");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, a->order_id);
    eg_sq_bind_time(st, 2, a->at);
    eg_sq_bind_text(st, 3, a->clinician);
    sqlite3_bind_int(st, 4, a->symptoms_improved);
    sqlite3_bind_int(st, 5, a->imaging_improved);
    eg_sq_bind_text(st, 6, a->note);
    return eg_sq_step_done(SQ(s), st);
}

static eg_err sq_assessment_latest(eg_store *s, int64_t order_id, eg_ctl_assessment *out)
{
    sqlite3_stmt *st = K(s, K_ASSESS_LATEST,
        "SELECT order_id, at, clinician, symptoms_improved, imaging_improved, note FROM assessment"
        " WHERE order_id = ?1 ORDER BY at DESC, assessment_id DESC LIMIT 1");
    int rc;
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, order_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(out, 0, sizeof *out);
        out->order_id = sqlite3_column_int64(st, 0);
        out->at = eg_sq_col_time(st, 1);
        eg_sq_col_copy(st, 2, out->clinician, sizeof out->clinician);
        out->symptoms_improved = sqlite3_column_int(st, 3);
        out->imaging_improved = sqlite3_column_int(st, 4);
        eg_sq_col_copy(st, 5, out->note, sizeof out->note);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return EG_OK;
    return rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(SQ(s));
}

/* ---- alerts ---- */

#define ALERT_COLS "alert_id, aid, kind, order_id, id_no, name, juris_code, escalated_to, reason, state," \
    " dedup, created_at, due_at, escalated_at, ack_at, resolved_at, ack_by, resolved_by"

static void read_alert(sqlite3_stmt *st, eg_ctl_alert *a)
{
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    eg_sq_col_copy(st, 1, a->aid, sizeof a->aid);
    eg_sq_col_copy(st, 2, a->kind, sizeof a->kind);
    a->order_id = sqlite3_column_int64(st, 3);
    eg_sq_col_copy(st, 4, a->id_no, sizeof a->id_no);
    eg_sq_col_copy(st, 5, a->name, sizeof a->name);
    eg_sq_col_copy(st, 6, a->juris_code, sizeof a->juris_code);
    eg_sq_col_copy(st, 7, a->escalated_to, sizeof a->escalated_to);
    eg_sq_col_copy(st, 8, a->reason, sizeof a->reason);
    eg_sq_col_copy(st, 9, a->state, sizeof a->state);
    eg_sq_col_copy(st, 10, a->dedup, sizeof a->dedup);
    a->created_at = eg_sq_col_time(st, 11);
    a->due_at = eg_sq_col_time(st, 12);
    a->escalated_at = eg_sq_col_time(st, 13);
    a->ack_at = eg_sq_col_time(st, 14);
    a->resolved_at = eg_sq_col_time(st, 15);
    eg_sq_col_copy(st, 16, a->ack_by, sizeof a->ack_by);
    eg_sq_col_copy(st, 17, a->resolved_by, sizeof a->resolved_by);
}

static eg_err alert_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_ctl_alert a;
    read_alert(st, &a);
    return ((eg_ctl_alert_fn)fn)(ctx, &a);
}

static eg_err sq_alert_add(eg_store *s, const eg_ctl_alert *a, int *created)
{
    sqlite3_stmt *st = K(s, K_ALERT_ADD,
        "INSERT INTO alert(kind, order_id, id_no, name, juris_code, reason, state, dedup, created_at, due_at)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) ON CONFLICT(dedup) DO NOTHING");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, a->kind);
    sqlite3_bind_int64(st, 2, a->order_id);
    eg_sq_bind_text(st, 3, a->id_no);
    eg_sq_bind_text(st, 4, a->name);
    eg_sq_bind_text(st, 5, a->juris_code);
    eg_sq_bind_text(st, 6, a->reason);
    eg_sq_bind_text(st, 7, a->state[0] ? a->state : "open");
    eg_sq_bind_text(st, 8, a->dedup);
    eg_sq_bind_time(st, 9, a->created_at);
    eg_sq_bind_time(st, 10, a->due_at);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && created)
        *created = sqlite3_changes(SQ(s)->db) > 0;
    return e;
}

static eg_err sq_alert_get(eg_store *s, const char *aid, eg_ctl_alert *out)
{
    sqlite3_stmt *st = K(s, K_ALERT_GET, "SELECT " ALERT_COLS " FROM alert WHERE aid = ?1");
    int rc;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, aid);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_alert(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return EG_OK;
    return rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(SQ(s));
}

static eg_err sq_alert_save(eg_store *s, const eg_ctl_alert *a)
{
    sqlite3_stmt *st = K(s, K_ALERT_SAVE,
        "UPDATE alert SET state = ?2, escalated_to = ?3, escalated_at = ?4, ack_at = ?5, ack_by = ?6,"
        " resolved_at = ?7, resolved_by = ?8, reason = ?9 WHERE alert_id = ?1");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, a->id);
    eg_sq_bind_text(st, 2, a->state);
    eg_sq_bind_text(st, 3, a->escalated_to);
    bind_time0(st, 4, a->escalated_at);
    bind_time0(st, 5, a->ack_at);
    eg_sq_bind_text(st, 6, a->ack_by);
    bind_time0(st, 7, a->resolved_at);
    eg_sq_bind_text(st, 8, a->resolved_by);
    eg_sq_bind_text(st, 9, a->reason);
    return eg_sq_step_done(SQ(s), st);
}

static eg_err sq_alert_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_alert_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_ALERT_EACH, "SELECT " ALERT_COLS " FROM alert"
        " WHERE (?1 = '' OR juris_code = ?1 OR juris_code LIKE ?1 || '%' OR escalated_to = ?1)"
        " AND (?2 = '' OR state = ?2 OR (?2 = 'unresolved' AND state <> 'resolved'))"
        " AND (?3 = '' OR kind = ?3) AND (?4 = '' OR id_no = ?4)"
        " ORDER BY alert_id DESC LIMIT ?5");
    if (!st)
        return EG_ERR_DB;
    bind_opt(st, 1, f ? f->juris : NULL);
    bind_opt(st, 2, f ? f->state : NULL);
    bind_opt(st, 3, f ? f->kind : NULL);
    bind_opt(st, 4, f ? f->id_no : NULL);
    bind_limit(st, 5, f ? f->limit : 0);
    return eg_sq_each_row(SQ(s), st, alert_row, (void *)fn, ctx);
}

static eg_err sq_alert_due(eg_store *s, eg_time now, eg_ctl_alert_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_ALERT_DUE, "SELECT " ALERT_COLS " FROM alert"
                         " WHERE state = 'open' AND due_at <= ?1 AND escalated_to = '' ORDER BY alert_id");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_time(st, 1, now);
    return eg_sq_each_row(SQ(s), st, alert_row, (void *)fn, ctx);
}

/* ---- tasks ---- */

#define TASK_COLS "t.task_id, t.tid, t.kind, t.order_id, o.id_no, o.name, t.juris_code, t.state," \
    " t.created_at, t.due_at, t.closed_at, t.closed_by, t.note"

static void read_task(sqlite3_stmt *st, eg_ctl_task *t)
{
    memset(t, 0, sizeof *t);
    t->id = sqlite3_column_int64(st, 0);
    eg_sq_col_copy(st, 1, t->tid, sizeof t->tid);
    eg_sq_col_copy(st, 2, t->kind, sizeof t->kind);
    t->order_id = sqlite3_column_int64(st, 3);
    eg_sq_col_copy(st, 4, t->id_no, sizeof t->id_no);
    eg_sq_col_copy(st, 5, t->name, sizeof t->name);
    eg_sq_col_copy(st, 6, t->juris_code, sizeof t->juris_code);
    eg_sq_col_copy(st, 7, t->state, sizeof t->state);
    t->created_at = eg_sq_col_time(st, 8);
    t->due_at = eg_sq_col_time(st, 9);
    t->closed_at = eg_sq_col_time(st, 10);
    eg_sq_col_copy(st, 11, t->closed_by, sizeof t->closed_by);
    eg_sq_col_copy(st, 12, t->note, sizeof t->note);
}

static eg_err task_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_ctl_task t;
    read_task(st, &t);
    return ((eg_ctl_task_fn)fn)(ctx, &t);
}

static eg_err sq_task_add(eg_store *s, const eg_ctl_task *t, int64_t *id)
{
    sqlite3_stmt *st = K(s, K_TASK_ADD,
        "INSERT INTO verification_task(order_id, juris_code, state, created_at, due_at, kind, note)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7)");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, t->order_id);
    eg_sq_bind_text(st, 2, t->juris_code);
    eg_sq_bind_text(st, 3, t->state[0] ? t->state : "open");
    eg_sq_bind_time(st, 4, t->created_at);
    eg_sq_bind_time(st, 5, t->due_at);
    eg_sq_bind_text(st, 6, t->kind[0] ? t->kind : "verification");
    eg_sq_bind_text(st, 7, t->note);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && id)
        *id = sqlite3_last_insert_rowid(SQ(s)->db);
    return e;
}

static eg_err sq_task_get(eg_store *s, const char *tid, eg_ctl_task *out)
{
    sqlite3_stmt *st = K(s, K_TASK_GET, "SELECT " TASK_COLS " FROM verification_task t"
                         " JOIN control_order o ON o.order_id = t.order_id WHERE t.tid = ?1");
    int rc;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, tid);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        read_task(st, out);
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return EG_OK;
    return rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(SQ(s));
}

static eg_err sq_task_save(eg_store *s, const eg_ctl_task *t)
{
    sqlite3_stmt *st = K(s, K_TASK_SAVE,
        "UPDATE verification_task SET state = ?2, juris_code = ?3, closed_at = ?4, closed_by = ?5,"
        " note = ?6 WHERE task_id = ?1");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, t->id);
    eg_sq_bind_text(st, 2, t->state);
    eg_sq_bind_text(st, 3, t->juris_code);
    bind_time0(st, 4, t->closed_at);
    eg_sq_bind_text(st, 5, t->closed_by);
    eg_sq_bind_text(st, 6, t->note);
    return eg_sq_step_done(SQ(s), st);
}

static eg_err sq_task_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_task_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_TASK_EACH, "SELECT " TASK_COLS " FROM verification_task t"
        " JOIN control_order o ON o.order_id = t.order_id"
        " WHERE (?1 = '' OR t.juris_code = ?1 OR t.juris_code LIKE ?1 || '%')"
        " AND (?2 = '' OR t.state = ?2) AND (?3 = '' OR t.kind = ?3) AND (?4 = '' OR o.id_no = ?4)"
        " ORDER BY t.task_id LIMIT ?5");
    if (!st)
        return EG_ERR_DB;
    bind_opt(st, 1, f ? f->juris : NULL);
    bind_opt(st, 2, f ? f->state : NULL);
    bind_opt(st, 3, f ? f->kind : NULL);
    bind_opt(st, 4, f ? f->id_no : NULL);
    bind_limit(st, 5, f ? f->limit : 0);
    return eg_sq_each_row(SQ(s), st, task_row, (void *)fn, ctx);
}

/* ---- teams ---- */

static eg_err sq_member_put(eg_store *s, const eg_ctl_member *m)
{
    sqlite3_stmt *st = K(s, K_MEMBER_PUT,
        "INSERT INTO team_member(order_id, role, staff_id, state, proposed_at, confirmed_at, confirmed_by)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(order_id, role) DO UPDATE SET"
        " staff_id = excluded.staff_id, state = excluded.state, proposed_at = excluded.proposed_at,"
        " confirmed_at = excluded.confirmed_at, confirmed_by = excluded.confirmed_by");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, m->order_id);
    eg_sq_bind_text(st, 2, m->role);
    eg_sq_bind_text(st, 3, m->staff_id);
    eg_sq_bind_text(st, 4, m->state);
    eg_sq_bind_time(st, 5, m->proposed_at);
    bind_time0(st, 6, m->confirmed_at);
    eg_sq_bind_text(st, 7, m->confirmed_by);
    return eg_sq_step_done(SQ(s), st);
}

static eg_err member_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_ctl_member m;
    memset(&m, 0, sizeof m);
    m.order_id = sqlite3_column_int64(st, 0);
    eg_sq_col_copy(st, 1, m.role, sizeof m.role);
    eg_sq_col_copy(st, 2, m.staff_id, sizeof m.staff_id);
    eg_sq_col_copy(st, 3, m.staff_name, sizeof m.staff_name);
    eg_sq_col_copy(st, 4, m.phone, sizeof m.phone);
    eg_sq_col_copy(st, 5, m.staff_juris, sizeof m.staff_juris);
    eg_sq_col_copy(st, 6, m.state, sizeof m.state);
    m.proposed_at = eg_sq_col_time(st, 7);
    m.confirmed_at = eg_sq_col_time(st, 8);
    eg_sq_col_copy(st, 9, m.confirmed_by, sizeof m.confirmed_by);
    return ((eg_ctl_member_fn)fn)(ctx, &m);
}

static eg_err sq_member_each(eg_store *s, int64_t order_id, eg_ctl_member_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_MEMBER_EACH,
        "SELECT m.order_id, m.role, m.staff_id, coalesce(f.name, ''), coalesce(f.phone, ''),"
        " coalesce(f.juris_code, ''), m.state, m.proposed_at, m.confirmed_at, m.confirmed_by"
        " FROM team_member m LEFT JOIN staff f ON f.staff_id = m.staff_id WHERE m.order_id = ?1"
        " ORDER BY CASE m.role WHEN 'township_cadre' THEN 1 WHEN 'village_cadre' THEN 2"
        " WHEN 'police' THEN 3 WHEN 'doctor' THEN 4 ELSE 5 END");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, order_id);
    return eg_sq_each_row(SQ(s), st, member_row, (void *)fn, ctx);
}

static eg_err load_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    return ((eg_ctl_load_fn)fn)(ctx, eg_sq_col_text(st, 0), (long)sqlite3_column_int64(st, 1));
}

static eg_err sq_load_each(eg_store *s, eg_ctl_load_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_LOAD_EACH,
        "SELECT m.staff_id, count(*) FROM team_member m JOIN control_order o ON o.order_id = m.order_id"
        " WHERE o.state IN " RUNNING " GROUP BY m.staff_id ORDER BY m.staff_id");
    if (!st)
        return EG_ERR_DB;
    return eg_sq_each_row(SQ(s), st, load_row, (void *)fn, ctx);
}

static eg_err sq_order_short_team(eg_store *s, int roles, const char *state, eg_ctl_order_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_SHORT_TEAM, "SELECT " ORDER_COLS " FROM control_order o"
        " WHERE o.state IN " RUNNING " AND (SELECT count(*) FROM team_member m WHERE"
        " m.order_id = o.order_id AND (?2 = '' OR m.state = ?2)) < ?1 ORDER BY o.order_id");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int(st, 1, roles);
    bind_opt(st, 2, state);
    return eg_sq_each_row(SQ(s), st, order_row, (void *)fn, ctx);
}

/* ---- tokens ---- */

static eg_err sq_token_add(eg_store *s, const char *hash_hex, int64_t order_id, eg_time at, const char *actor)
{
    sqlite3_stmt *st = K(s, K_TOKEN_ADD, "INSERT INTO report_token(token_hash, order_id, created_at,"
                         " created_by) VALUES(?1,?2,?3,?4)");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, hash_hex);
    sqlite3_bind_int64(st, 2, order_id);
    eg_sq_bind_time(st, 3, at);
    eg_sq_bind_text(st, 4, actor);
    return eg_sq_step_done(SQ(s), st);
}

static eg_err sq_token_find(eg_store *s, const char *hash_hex, int64_t *order_id, eg_time *revoked_at)
{
    sqlite3_stmt *st = K(s, K_TOKEN_FIND, "SELECT order_id, revoked_at FROM report_token WHERE token_hash = ?1");
    int rc;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, hash_hex);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *order_id = sqlite3_column_int64(st, 0);
        *revoked_at = eg_sq_col_time(st, 1);
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW)
        return EG_OK;
    return rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(SQ(s));
}

static eg_err sq_token_revoke(eg_store *s, int64_t order_id, eg_time at, long *n)
{
    sqlite3_stmt *st = K(s, K_TOKEN_REVOKE, "UPDATE report_token SET revoked_at = ?2"
                         " WHERE order_id = ?1 AND revoked_at IS NULL");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, order_id);
    eg_sq_bind_time(st, 2, at);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && n)
        *n = sqlite3_changes(SQ(s)->db);
    return e;
}

/* ---- the daily run ---- */

#define DUE_ORDERS "state IN " RUNNING " AND measure IN " OBSERVATION " AND end_date <= ?1"

static eg_err sq_release_due(eg_store *s, eg_date day, eg_time at, const char *actor, long *n)
{
    sqlite3_stmt *st = K(s, K_RELEASE_EVENTS,
        "INSERT INTO order_event(order_id, at, actor, action, from_measure, from_state, to_measure,"
        " to_state, reason) SELECT order_id, ?2, ?3, 'release', measure, state, measure, 'released',"
        " 'planned end ' || end_date || ' reached (' || measure || ' from ' || start_date || ')'"
        " FROM control_order WHERE " DUE_ORDERS " ORDER BY order_id");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_date(st, 1, day);
    eg_sq_bind_time(st, 2, at);
    eg_sq_bind_text(st, 3, actor);
    if ((e = eg_sq_step_done(SQ(s), st)))
        return e;
    st = K(s, K_RELEASE_UPDATE, "UPDATE control_order SET state = 'released', updated_at = ?2 WHERE " DUE_ORDERS);
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_date(st, 1, day);
    eg_sq_bind_time(st, 2, at);
    e = eg_sq_step_done(SQ(s), st);
    if (!e)
        *n = sqlite3_changes(SQ(s)->db);
    return e;
}

static eg_err sq_missed_readings(eg_store *s, eg_date day, const char *slot, eg_time from, eg_time deadline,
                                 int escalate_min, long *n)
{
    sqlite3_stmt *st = K(s, K_MISSED,
        "INSERT INTO alert(kind, order_id, id_no, name, juris_code, reason, state, dedup, created_at, due_at)"
        " SELECT 'missed_reading', o.order_id, o.id_no, o.name, o.juris_code,"
        " 'no ' || ?2 || ' reading of ' || ?1 || ' by ' || substr(?4, 12), 'open',"
        " 'missed:' || o.order_id || ':' || ?1 || ':' || ?2, ?4, ?5 FROM control_order o"
        " WHERE o.state IN " RUNNING " AND o.measure IN " OBSERVATION
        " AND o.start_date <= ?1 AND o.end_date > ?1 AND o.created_at < ?4"
        " AND NOT EXISTS (SELECT 1 FROM reading r WHERE r.order_id = o.order_id"
        " AND r.taken_at >= ?3 AND r.taken_at < ?4)"
        " ON CONFLICT(dedup) DO NOTHING");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_date(st, 1, day);
    eg_sq_bind_text(st, 2, slot);
    eg_sq_bind_time(st, 3, from);
    eg_sq_bind_time(st, 4, deadline);
    eg_sq_bind_time(st, 5, deadline + escalate_min);
    e = eg_sq_step_done(SQ(s), st);
    if (!e)
        *n = sqlite3_changes(SQ(s)->db);
    return e;
}

static eg_err todo_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_ctl_todo t;
    memset(&t, 0, sizeof t);
    eg_sq_col_copy(st, 0, t.juris_code, sizeof t.juris_code);
    t.under_control = (long)sqlite3_column_int64(st, 1);
    t.awaiting_admission = (long)sqlite3_column_int64(st, 2);
    t.releases_next_day = (long)sqlite3_column_int64(st, 3);
    t.alerts_open = (long)sqlite3_column_int64(st, 4);
    t.alerts_escalated_here = (long)sqlite3_column_int64(st, 5);
    t.tasks_open = (long)sqlite3_column_int64(st, 6);
    t.tasks_overdue = (long)sqlite3_column_int64(st, 7);
    t.teams_incomplete = (long)sqlite3_column_int64(st, 8);
    return ((eg_ctl_todo_fn)fn)(ctx, &t);
}

static eg_err sq_todo_each(eg_store *s, eg_time now, eg_ctl_todo_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_TODO,
        "SELECT j, sum(a), sum(b), sum(c), sum(d), sum(e), sum(f), sum(g), sum(h) FROM ("
        " SELECT juris_code j, 1 a, state = 'awaiting_admission' b,"
        "  (end_date = ?2 AND measure IN " OBSERVATION ") c, 0 d, 0 e, 0 f, 0 g,"
        "  (SELECT count(*) FROM team_member m WHERE m.order_id = o.order_id AND m.state = 'confirmed') < 4 h"
        "  FROM control_order o WHERE state IN " RUNNING
        " UNION ALL SELECT juris_code, 0, 0, 0, 1, 0, 0, 0, 0 FROM alert WHERE state <> 'resolved'"
        " UNION ALL SELECT escalated_to, 0, 0, 0, 0, 1, 0, 0, 0 FROM alert"
        "  WHERE state = 'open' AND escalated_to <> ''"
        " UNION ALL SELECT juris_code, 0, 0, 0, 0, 0, 1, due_at < ?1, 0 FROM verification_task"
        "  WHERE state = 'open')"
        " GROUP BY j HAVING sum(b) + sum(c) + sum(d) + sum(e) + sum(f) + sum(h) > 0 ORDER BY j");
    eg_time next;
    char buf[EG_DATE_BUFSZ];
    if (!st)
        return EG_ERR_DB;
    next = eg_time_date(now) + 1;
    eg_sq_bind_time(st, 1, now);
    sqlite3_bind_text(st, 2, eg_date_format((eg_date)next, buf), -1, SQLITE_TRANSIENT);
    return eg_sq_each_row(SQ(s), st, todo_row, (void *)fn, ctx);
}

static eg_err sq_daily_log(eg_store *s, eg_date day, eg_time as_at, const char *summary, int *dup)
{
    sqlite3_stmt *st = K(s, K_DAILY_LOG, "INSERT INTO daily_run(run_date, as_at, summary) VALUES(?1,?2,?3)"
                         " ON CONFLICT(run_date, as_at) DO NOTHING");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_date(st, 1, day);
    eg_sq_bind_time(st, 2, as_at);
    eg_sq_bind_text(st, 3, summary);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && dup)
        *dup = sqlite3_changes(SQ(s)->db) == 0;
    return e;
}

/* Fill in the control module's operations. */
void eg_sq_control_ops(eg_store_ops *o)
 {
    o->ctl_order_get = sq_order_get;
    o->ctl_order_by_id = sq_order_by_id;
    o->ctl_order_running = sq_order_running;
    o->ctl_order_insert = sq_order_insert;
    o->ctl_order_save = sq_order_save;
    o->ctl_order_each = sq_order_each;
    o->ctl_event_add = sq_event_add;
    o->ctl_event_each = sq_event_each;
    o->ctl_event_count = sq_event_count;
    o->ctl_test_add = sq_test_add;
    o->ctl_test_each = sq_test_each;
    o->ctl_reading_add = sq_reading_add;
    o->ctl_reading_each = sq_reading_each;
    o->ctl_reading_list = sq_reading_list;
    o->ctl_assessment_add = sq_assessment_add;
    o->ctl_assessment_latest = sq_assessment_latest;
    o->ctl_alert_add = sq_alert_add;
    o->ctl_alert_get = sq_alert_get;
    o->ctl_alert_save = sq_alert_save;
    o->ctl_alert_each = sq_alert_each;
    o->ctl_alert_due = sq_alert_due;
    o->ctl_task_add = sq_task_add;
    o->ctl_task_get = sq_task_get;
    o->ctl_task_save = sq_task_save;
    o->ctl_task_each = sq_task_each;
    o->ctl_member_put = sq_member_put;
    o->ctl_member_each = sq_member_each;
    o->ctl_load_each = sq_load_each;
    o->ctl_order_short_team = sq_order_short_team;
    o->ctl_token_add = sq_token_add;
    o->ctl_token_find = sq_token_find;
    o->ctl_token_revoke = sq_token_revoke;
    o->ctl_release_due = sq_release_due;
    o->ctl_missed_readings = sq_missed_readings;
    o->ctl_todo_each = sq_todo_each;
    o->ctl_daily_log = sq_daily_log;
}
