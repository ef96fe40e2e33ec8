/*
 * store/sqlite_control.c: the SQLite side of the control-measures module:
 * schema migration 5 (order history, tests, readings, assessments, alerts,
 * teams, self-report tokens, daily-run log; new columns of control_order
 * and verification_task) and the control operations of epigrid/store.h,
 * each a prepared statement in the ext slots EG_SQ_EXT_CONTROL..+63.
 *
 * It stores and fetches rows only: every state, measure, kind, text, key
 * and threshold of a set query (what is running, due, overdue, which
 * alert a missed reading raises) comes from the control service as a
 * parameter. Each record is bound and read through its column map.
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
    K_TOKEN_ADD, K_TOKEN_FIND, K_TOKEN_REVOKE, K_ORDER_RUNNING2,
    K_RELEASE_EVENTS, K_RELEASE_UPDATE, K_MISSED, K_TODO, K_DAILY_LOG,
    K__COUNT
};
_Static_assert(K__COUNT <= 64, "the control module has 64 statement slots");

/* A set of words (eg_ctl_words) as the SQL list of its EG_CTL_WORDS_MAX
 * parameters from ?a on, for the set queries: `state IN W(4,5,6,7,8,9,10,11)`
 * (SQLite builds a lookup table of a list of parameters at each run:
 * cheap once a day, an index can use it). */
_Static_assert(EG_CTL_WORDS_MAX == 8, "W() and ANY() list 8 parameters");
#define W(a, b, c, d, e, f, g, h) \
    "(?" #a ",?" #b ",?" #c ",?" #d ",?" #e ",?" #f ",?" #g ",?" #h ")"
/* The same test as comparisons, for statements run once per reading or
 * request (no lookup table built per run): `ANY("state", 2,3,4,5,6,7,8,9)`
 * is 1 when state is one of the words, else NULL or 0. */
#define ANY(col, a, b, c, d, e, f, g, h) \
    "(" col " = ?" #a " OR " col " = ?" #b " OR " col " = ?" #c " OR " col " = ?" #d " OR " col " = ?" #e \
    " OR " col " = ?" #f " OR " col " = ?" #g " OR " col " = ?" #h ")"

/* ---- column maps: each record's columns, in the order statements use them ---- */

/* control_order, read as `o` (every statement names the table `o`, and
 * the server's pages join it as `o` too, so they share this map; `{names}`
 * writes the plain column names): columns 3..17 are what a save writes
 * (parameters ?2..?16); 2..18 what an insert writes (?1..?17). */
#define C_O(f, t) EG_COLX(eg_ctl_order, f, EG_COL_##t, "o." #f)
static const eg_col ORDER_COLUMNS[] = {
    EG_COLX(eg_ctl_order, id, EG_COL_I64, "o.order_id"), C_O(oid, BUF), C_O(id_no, BUF), C_O(name, BUF),
    C_O(measure, BUF), C_O(state, BUF), C_O(start_date, DATE), C_O(end_date, DATE), C_O(rules, BUF),
    C_O(juris_code, BUF), C_O(updated_at, TIME), C_O(severity, BUF), C_O(prior_measure, BUF),
    C_O(prior_start, DATE), C_O(prior_end, DATE), C_O(not_before, DATE),
    EG_COLX(eg_ctl_order, measure_at, EG_COL_TIME0, "coalesce(o.measure_at, o.created_at)"),
    C_O(admitted_at, TIME0), C_O(created_at, TIME),
};
#undef C_O
const eg_colmap EG_SQ_ORDER_MAP = EG_COLMAP("control_order", ORDER_COLUMNS);
#define ORDER_MAP EG_SQ_ORDER_MAP
enum { ORDER_SAVE_FROM = 3, ORDER_SAVE_TO = 18, ORDER_INSERT_FROM = 2 };

/* order_event: an insert writes columns 1.. (?1..?9). */
static const eg_col EVENT_COLUMNS[] = {
    EG_COLX(eg_ctl_event, id, EG_COL_I64, "event_id"),
    EG_COL(eg_ctl_event, order_id, EG_COL_I64),
    EG_COL(eg_ctl_event, at, EG_COL_TIME),
    EG_COL(eg_ctl_event, actor, EG_COL_BUF),
    EG_COL(eg_ctl_event, action, EG_COL_BUF),
    EG_COL(eg_ctl_event, from_measure, EG_COL_BUF),
    EG_COL(eg_ctl_event, from_state, EG_COL_BUF),
    EG_COL(eg_ctl_event, to_measure, EG_COL_BUF),
    EG_COL(eg_ctl_event, to_state, EG_COL_BUF),
    EG_COL(eg_ctl_event, reason, EG_COL_BUF),
};
static const eg_colmap EVENT_MAP = EG_COLMAP("order_event", EVENT_COLUMNS);

/* lab_test: an insert writes columns 1.. (?1..?7). */
static const eg_col TEST_COLUMNS[] = {
    EG_COLX(eg_ctl_test, id, EG_COL_I64, "test_id"),
    EG_COL(eg_ctl_test, id_no, EG_COL_BUF),
    EG_COL(eg_ctl_test, sampled_at, EG_COL_TIME),
    EG_COL(eg_ctl_test, method, EG_COL_BUF),
    EG_COL(eg_ctl_test, result, EG_COL_BUF),
    EG_COL(eg_ctl_test, lab, EG_COL_BUF),
    EG_COL(eg_ctl_test, recorded_at, EG_COL_TIME),
    EG_COL(eg_ctl_test, actor, EG_COL_BUF),
};
static const eg_colmap TEST_MAP = EG_COLMAP("lab_test", TEST_COLUMNS);

/* reading: an insert writes columns 1.. (?1..?8). */
static const eg_col READING_COLUMNS[] = {
    EG_COLX(eg_ctl_reading, id, EG_COL_I64, "reading_id"),
    EG_COL(eg_ctl_reading, order_id, EG_COL_I64),
    EG_COL(eg_ctl_reading, id_no, EG_COL_BUF),
    EG_COL(eg_ctl_reading, taken_at, EG_COL_TIME),
    EG_COL(eg_ctl_reading, temp_dc, EG_COL_INT),
    EG_COL(eg_ctl_reading, symptoms, EG_COL_BUF),
    EG_COL(eg_ctl_reading, source, EG_COL_BUF),
    EG_COL(eg_ctl_reading, recorded_at, EG_COL_TIME),
    EG_COL(eg_ctl_reading, actor, EG_COL_BUF),
};
static const eg_colmap READING_MAP = EG_COLMAP("reading", READING_COLUMNS);

/* assessment: an insert writes every column (?1..?6). */
static const eg_col ASSESS_COLUMNS[] = {
    EG_COL(eg_ctl_assessment, order_id, EG_COL_I64),
    EG_COL(eg_ctl_assessment, at, EG_COL_TIME),
    EG_COL(eg_ctl_assessment, clinician, EG_COL_BUF),
    EG_COL(eg_ctl_assessment, symptoms_improved, EG_COL_INT),
    EG_COL(eg_ctl_assessment, imaging_improved, EG_COL_INT),
    EG_COL(eg_ctl_assessment, note, EG_COL_BUF),
};
static const eg_colmap ASSESS_MAP = EG_COLMAP("assessment", ASSESS_COLUMNS);

/* alert: an insert writes columns 2..11 (?1..?10); a save 10..17 (?2..?9). */
static const eg_col ALERT_COLUMNS[] = {
    EG_COLX(eg_ctl_alert, id, EG_COL_I64, "alert_id"),
    EG_COL(eg_ctl_alert, aid, EG_COL_BUF),
    EG_COL(eg_ctl_alert, kind, EG_COL_BUF),
    EG_COL(eg_ctl_alert, order_id, EG_COL_I64),
    EG_COL(eg_ctl_alert, id_no, EG_COL_BUF),
    EG_COL(eg_ctl_alert, name, EG_COL_BUF),
    EG_COL(eg_ctl_alert, juris_code, EG_COL_BUF),
    EG_COL(eg_ctl_alert, dedup, EG_COL_BUF),
    EG_COL(eg_ctl_alert, created_at, EG_COL_TIME),
    EG_COL(eg_ctl_alert, due_at, EG_COL_TIME),
    EG_COL(eg_ctl_alert, state, EG_COL_BUF),
    EG_COL(eg_ctl_alert, reason, EG_COL_BUF),
    EG_COL(eg_ctl_alert, escalated_to, EG_COL_BUF),
    EG_COL(eg_ctl_alert, escalated_at, EG_COL_TIME0),
    EG_COL(eg_ctl_alert, ack_at, EG_COL_TIME0),
    EG_COL(eg_ctl_alert, ack_by, EG_COL_BUF),
    EG_COL(eg_ctl_alert, resolved_at, EG_COL_TIME0),
    EG_COL(eg_ctl_alert, resolved_by, EG_COL_BUF),
};
static const eg_colmap ALERT_MAP = EG_COLMAP("alert", ALERT_COLUMNS);
enum { ALERT_INSERT_FROM = 2, ALERT_INSERT_TO = 12, ALERT_SAVE_FROM = 10 };

/* verification_task (t) with its order's person (o): an insert writes
 * columns 4..10 (?1..?7); a save 8..12 (?2..?6). */
static const eg_col TASK_COLUMNS[] = {
    EG_COLX(eg_ctl_task, id, EG_COL_I64, "t.task_id"),
    EG_COLX(eg_ctl_task, tid, EG_COL_BUF, "t.tid"),
    EG_COLX(eg_ctl_task, id_no, EG_COL_BUF, "o.id_no"),
    EG_COLX(eg_ctl_task, name, EG_COL_BUF, "o.name"),
    EG_COLX(eg_ctl_task, kind, EG_COL_BUF, "t.kind"),
    EG_COLX(eg_ctl_task, order_id, EG_COL_I64, "t.order_id"),
    EG_COLX(eg_ctl_task, created_at, EG_COL_TIME, "t.created_at"),
    EG_COLX(eg_ctl_task, due_at, EG_COL_TIME, "t.due_at"),
    EG_COLX(eg_ctl_task, juris_code, EG_COL_BUF, "t.juris_code"),
    EG_COLX(eg_ctl_task, state, EG_COL_BUF, "t.state"),
    EG_COLX(eg_ctl_task, note, EG_COL_BUF, "t.note"),
    EG_COLX(eg_ctl_task, closed_at, EG_COL_TIME0, "t.closed_at"),
    EG_COLX(eg_ctl_task, closed_by, EG_COL_BUF, "t.closed_by"),
};
static const eg_colmap TASK_MAP = EG_COLMAP("verification_task", TASK_COLUMNS);
enum { TASK_INSERT_FROM = 4, TASK_INSERT_TO = 11, TASK_SAVE_FROM = 8 };

/* team_member (m) with the staff member's name, phone and division (f):
 * an insert writes columns 3..9 (?1..?7). */
static const eg_col MEMBER_COLUMNS[] = {
    EG_COLX(eg_ctl_member, staff_name, EG_COL_BUF, "coalesce(f.name, '')"),
    EG_COLX(eg_ctl_member, phone, EG_COL_BUF, "coalesce(f.phone, '')"),
    EG_COLX(eg_ctl_member, staff_juris, EG_COL_BUF, "coalesce(f.juris_code, '')"),
    EG_COLX(eg_ctl_member, order_id, EG_COL_I64, "m.order_id"),
    EG_COLX(eg_ctl_member, role, EG_COL_BUF, "m.role"),
    EG_COLX(eg_ctl_member, staff_id, EG_COL_BUF, "m.staff_id"),
    EG_COLX(eg_ctl_member, state, EG_COL_BUF, "m.state"),
    EG_COLX(eg_ctl_member, proposed_at, EG_COL_TIME, "m.proposed_at"),
    EG_COLX(eg_ctl_member, confirmed_at, EG_COL_TIME0, "m.confirmed_at"),
    EG_COLX(eg_ctl_member, confirmed_by, EG_COL_BUF, "m.confirmed_by"),
};
static const eg_colmap MEMBER_MAP = EG_COLMAP("team_member", MEMBER_COLUMNS);
enum { MEMBER_INSERT_FROM = 3 };

/* One line of the to-do list (read only; the columns of K_TODO's result). */
static const eg_col TODO_COLUMNS[] = {
    EG_COL(eg_ctl_todo, juris_code, EG_COL_BUF),
    EG_COL(eg_ctl_todo, under_control, EG_COL_LONG),
    EG_COL(eg_ctl_todo, awaiting_admission, EG_COL_LONG),
    EG_COL(eg_ctl_todo, releases_next_day, EG_COL_LONG),
    EG_COL(eg_ctl_todo, alerts_open, EG_COL_LONG),
    EG_COL(eg_ctl_todo, alerts_escalated_here, EG_COL_LONG),
    EG_COL(eg_ctl_todo, tasks_open, EG_COL_LONG),
    EG_COL(eg_ctl_todo, tasks_overdue, EG_COL_LONG),
    EG_COL(eg_ctl_todo, teams_incomplete, EG_COL_LONG),
};
static const eg_colmap TODO_MAP = EG_COLMAP("todo", TODO_COLUMNS);

/* ---- helpers ---- */

/* Prepare statement `k` of this module; `{cols}` in sql stands for the
 * columns of map m (NULL: no expansion). NULL on error (errmsg set). */
static sqlite3_stmt *K(eg_store *s, int k, const eg_colmap *m, const char *sql)
{
    return m ? eg_sq_ext_map(SQ(s), EG_SQ_EXT_CONTROL + k, m, 0, sql) : eg_sq_ext(SQ(s), EG_SQ_EXT_CONTROL + k, sql);
}

/* Bind an optional filter text ("" for NULL). */
static void bind_opt(sqlite3_stmt *st, int i, const char *v)
{
    eg_sq_bind_text(st, i, v ? v : "");
}

/* Bind limit (-1 for none). */
static void bind_limit(sqlite3_stmt *st, int i, long limit)
{
    sqlite3_bind_int64(st, i, limit > 0 ? limit : -1);
}

/* Bind a set of words to the EG_CTL_WORDS_MAX parameters from `first` on
 * of a statement fresh from K() (unbound: the unused slots, and all when w
 * is NULL, stay NULL and match nothing). The words are not copied: they
 * outlive the operation, and the statement is not stepped again before
 * K() clears its bindings (this runs once per reading). */
static void bind_words(sqlite3_stmt *st, int first, const eg_ctl_words *w)
{
    for (int k = 0; w && k < EG_CTL_WORDS_MAX && w->w[k]; k++)
        sqlite3_bind_text(st, first + k, w->w[k], -1, SQLITE_STATIC);
}

/* Bind a listing filter: ?1 juris, ?2 state, ?3 kind, ?4 id_no, ?5
 * limit, ?6.. the states (a statement may leave some unused). */
static void bind_filter(sqlite3_stmt *st, const eg_ctl_filter *f)
{
    bind_opt(st, 1, f ? f->juris : NULL);
    bind_opt(st, 2, f ? f->state : NULL);
    bind_opt(st, 3, f ? f->kind : NULL);
    bind_opt(st, 4, f ? f->id_no : NULL);
    bind_limit(st, 5, f ? f->limit : 0);
    bind_words(st, 6, f ? f->states : NULL);
}

/* The state condition of a filter bound by bind_filter: `col` is ?2, or
 * one of the states ?6..?13, or anything when neither is given. */
#define FILTER_STATE(col) \
    "((?2 = '' AND ?6 IS NULL) OR " col " = ?2 OR " ANY(col, 6, 7, 8, 9, 10, 11, 12, 13) ")"

/* Step an insert (reset after); *flag (may be NULL) gets 1 when it wrote
 * a row (`wrote`) or when it did not (!wrote: a duplicate ignored). */
static eg_err step_insert(eg_store *s, sqlite3_stmt *st, int *flag, int wrote)
{
    eg_err e = eg_sq_step_done(SQ(s), st);
    if (!e && flag)
        *flag = (sqlite3_changes(SQ(s)->db) > 0) == wrote;
    return e;
}

/* Step a statement that changes rows (reset after); *n gets how many. */
static eg_err step_changes(eg_store *s, sqlite3_stmt *st, long *n)
{
    eg_err e = eg_sq_step_done(SQ(s), st);
    if (!e && n)
        *n = sqlite3_changes(SQ(s)->db);
    return e;
}

EG_SQ_ROW_FN(order_row, eg_ctl_order, eg_ctl_order_fn, ORDER_MAP)
EG_SQ_ROW_FN(event_row, eg_ctl_event, eg_ctl_event_fn, EVENT_MAP)
EG_SQ_ROW_FN(test_row, eg_ctl_test, eg_ctl_test_fn, TEST_MAP)
EG_SQ_ROW_FN(reading_row, eg_ctl_reading, eg_ctl_reading_fn, READING_MAP)
EG_SQ_ROW_FN(alert_row, eg_ctl_alert, eg_ctl_alert_fn, ALERT_MAP)
EG_SQ_ROW_FN(task_row, eg_ctl_task, eg_ctl_task_fn, TASK_MAP)
EG_SQ_ROW_FN(member_row, eg_ctl_member, eg_ctl_member_fn, MEMBER_MAP)
EG_SQ_ROW_FN(todo_row, eg_ctl_todo, eg_ctl_todo_fn, TODO_MAP)

/* What an operation binds before its own parameters: ?1 the text key
 * (or, when it is NULL, the row id), then from ?2 the moment `since` (when
 * has_since) or the set of words (may be NULL). */
typedef struct key {
    const char *text;
    int64_t id;
    int has_since;
    eg_time since;
    const eg_ctl_words *words;
} key;

#define TEXT_KEY(t) ((key){ .text = (t) })
#define ID_KEY(i) ((key){ .id = (i) })

/* Prepare statement k (sql; `{cols}`: the columns of map m, NULL: none)
 * with its key bound. NULL on error (errmsg set). */
static sqlite3_stmt *prep(eg_store *s, int k, const eg_colmap *m, const char *sql, key ky)
{
    sqlite3_stmt *st = K(s, k, m, sql);
    if (!st)
        return NULL;
    if (ky.text)
        eg_sq_bind_text(st, 1, ky.text);
    else
        sqlite3_bind_int64(st, 1, ky.id);
    if (ky.has_since)
        eg_sq_bind_time(st, 2, ky.since);
    else
        bind_words(st, 2, ky.words);
    return st;
}

/* One row of map m (the statement selects {cols}) into rec (size bytes).
 * EG_ERR_NOT_FOUND when none, EG_ERR_DB. */
static eg_err get_row(eg_store *s, int k, const eg_colmap *m, const char *sql, key ky, void *rec, size_t size)
{
    sqlite3_stmt *st = prep(s, k, m, sql, ky);
    return st ? eg_sq_one_rec(SQ(s), st, m, rec, size) : EG_ERR_DB;
}

/* Every row of statement k (by key) through row to the caller's fn.
 * Returns EG_OK, what fn returned, EG_ERR_DB. */
static eg_err each_row(eg_store *s, int k, const eg_colmap *m, const char *sql, key ky, eg_sq_row_fn row, void *fn,
                       void *ctx)
{
    sqlite3_stmt *st = prep(s, k, m, sql, ky);
    return st ? eg_sq_each_row(SQ(s), st, row, fn, ctx) : EG_ERR_DB;
}

/* Every row of statement k with a listing filter bound (bind_filter). */
static eg_err each_filtered(eg_store *s, int k, const eg_colmap *m, const char *sql, const eg_ctl_filter *f,
                            eg_sq_row_fn row, void *fn, void *ctx)
{
    sqlite3_stmt *st = K(s, k, m, sql);
    if (!st)
        return EG_ERR_DB;
    bind_filter(st, f);
    return eg_sq_each_row(SQ(s), st, row, fn, ctx);
}

/* Write a record by statement k: the columns [from, to) of map m from
 * ?1 on, or, with `id` (not NULL: a save), ?1 = *id and the columns from
 * ?2 on. *flag as step_insert (may be NULL). EG_OK or EG_ERR_DB. */
static eg_err write_row(eg_store *s, int k, const char *sql, const eg_colmap *m, int from, int to, const int64_t *id,
                        const void *rec, int *flag, int wrote)
{
    sqlite3_stmt *st = K(s, k, NULL, sql);
    if (!st)
        return EG_ERR_DB;
    if (id)
        sqlite3_bind_int64(st, 1, *id);
    eg_sq_bind_cols(st, id ? 2 : 1, m, from, to, rec);
    return step_insert(s, st, flag, wrote);
}

/* ---- orders ---- */

static eg_err sq_order_get(eg_store *s, const char *oid, const eg_ctl_words *prefer, eg_ctl_order *out)
{
    eg_err e = get_row(s, K_ORDER_OID, &ORDER_MAP, "SELECT {cols} FROM control_order o WHERE oid = ?1",
                       TEXT_KEY(oid), out, sizeof *out);
    if (e != EG_ERR_NOT_FOUND)
        return e;
    /* ANY() is 1 for a preferred state, NULL otherwise: 1 sorts first */
    return get_row(s, K_ORDER_IDNO, &ORDER_MAP, "SELECT {cols} FROM control_order o WHERE id_no = ?1"
                   " ORDER BY " ANY("state", 2, 3, 4, 5, 6, 7, 8, 9) " DESC, order_id DESC LIMIT 1",
                   (key){ .text = oid, .words = prefer }, out, sizeof *out);
}

static eg_err sq_order_by_id(eg_store *s, int64_t id, eg_ctl_order *out)
{
    return get_row(s, K_ORDER_ID, &ORDER_MAP, "SELECT {cols} FROM control_order o WHERE order_id = ?1", ID_KEY(id),
                   out, sizeof *out);
}

/* The person's latest order in one of the states. max() in a subquery
 * rather than ORDER BY order_id DESC LIMIT 1: the same row, without the
 * temporary B-tree that the sort opens and closes on every call. This runs
 * once per reading: a set of up to two states (the running ones) has a
 * statement of its own with two parameters, cheaper to run than eight. */
static eg_err sq_order_running(eg_store *s, const char *id_no, const eg_ctl_words *states, eg_ctl_order *out)
{
    key ky = { .text = id_no, .words = states };
    if (!states || !states->w[2])
        return get_row(s, K_ORDER_RUNNING2, &ORDER_MAP, "SELECT {cols} FROM control_order o WHERE o.order_id ="
                       " (SELECT max(order_id) FROM control_order WHERE id_no = ?1 AND (state = ?2 OR state = ?3))",
                       ky, out, sizeof *out);
    return get_row(s, K_ORDER_RUNNING, &ORDER_MAP, "SELECT {cols} FROM control_order o WHERE o.order_id ="
                   " (SELECT max(order_id) FROM control_order WHERE id_no = ?1 AND "
                   ANY("state", 2, 3, 4, 5, 6, 7, 8, 9) ")", ky, out, sizeof *out);
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
    return write_row(s, K_ORDER_SAVE,
        "UPDATE control_order SET name = ?2, measure = ?3, state = ?4, start_date = ?5, end_date = ?6,"
        " rules = ?7, juris_code = ?8, updated_at = ?9, severity = ?10, prior_measure = ?11,"
        " prior_start = ?12, prior_end = ?13, not_before = ?14, measure_at = ?15, admitted_at = ?16"
        " WHERE order_id = ?1", &ORDER_MAP, ORDER_SAVE_FROM, ORDER_SAVE_TO, &o->id, o, NULL, 1);
}

static eg_err sq_order_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_order_fn fn, void *ctx)
{
    return each_filtered(s, K_ORDER_EACH, &ORDER_MAP, "SELECT {cols} FROM control_order o"
        " WHERE (?1 = '' OR juris_code = ?1 OR juris_code LIKE ?1 || '%') AND " FILTER_STATE("state")
        " AND (?3 = '' OR measure = ?3) AND (?4 = '' OR id_no = ?4) ORDER BY order_id LIMIT ?5", f, order_row,
        (void *)fn, ctx);
}

/* ---- history ---- */

static eg_err sq_event_add(eg_store *s, const eg_ctl_event *e)
{
    return write_row(s, K_EVENT_ADD,
        "INSERT INTO order_event(order_id, at, actor, action, from_measure, from_state, to_measure,"
        " to_state, reason) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)", &EVENT_MAP, 1, EVENT_MAP.n, NULL, e, NULL, 1);
}

static eg_err sq_event_each(eg_store *s, int64_t order_id, eg_ctl_event_fn fn, void *ctx)
{
    return each_row(s, K_EVENT_EACH, &EVENT_MAP, "SELECT {cols} FROM order_event WHERE order_id = ?1"
                    " ORDER BY event_id", ID_KEY(order_id), event_row, (void *)fn, ctx);
}

static eg_err sq_event_count(eg_store *s, const char *action, eg_time from, eg_time to, long *n)
{
    sqlite3_stmt *st = K(s, K_EVENT_COUNT, NULL, "SELECT count(*) FROM order_event WHERE at >= ?2 AND at < ?3"
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
    return write_row(s, K_TEST_ADD,
        "INSERT INTO lab_test(id_no, sampled_at, method, result, lab, recorded_at, actor)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(id_no, sampled_at, method) DO NOTHING",
        &TEST_MAP, 1, TEST_MAP.n, NULL, t, dup, 0);
}

static eg_err sq_test_each(eg_store *s, const char *id_no, eg_time since, eg_ctl_test_fn fn, void *ctx)
{
    return each_row(s, K_TEST_EACH, &TEST_MAP, "SELECT {cols} FROM lab_test WHERE id_no = ?1 AND sampled_at >= ?2"
                    " ORDER BY sampled_at, test_id", (key){ .text = id_no, .has_since = 1, .since = since }, test_row,
                    (void *)fn, ctx);
}

static eg_err sq_reading_add(eg_store *s, const eg_ctl_reading *r, int *dup)
{
    return write_row(s, K_READING_ADD,
        "INSERT INTO reading(order_id, id_no, taken_at, temp_dc, symptoms, source, recorded_at, actor)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8) ON CONFLICT(order_id, taken_at, source) DO NOTHING",
        &READING_MAP, 1, READING_MAP.n, NULL, r, dup, 0);
}

static eg_err sq_reading_each(eg_store *s, int64_t order_id, eg_time since, eg_ctl_reading_fn fn, void *ctx)
{
    return each_row(s, K_READING_EACH, &READING_MAP, "SELECT {cols} FROM reading WHERE order_id = ?1"
                    " AND taken_at >= ?2 ORDER BY taken_at, reading_id",
                    (key){ .id = order_id, .has_since = 1, .since = since }, reading_row, (void *)fn, ctx);
}

static eg_err sq_reading_list(eg_store *s, const eg_ctl_filter *f, eg_ctl_reading_fn fn, void *ctx)
{
    /* the filter's ?4 is the person, ?5 the limit */
    return each_filtered(s, K_READING_LIST, &READING_MAP, "SELECT {cols} FROM reading"
                         " WHERE (?4 = '' OR id_no = ?4) ORDER BY taken_at DESC, reading_id DESC LIMIT ?5", f,
                         reading_row, (void *)fn, ctx);
}

static eg_err sq_assessment_add(eg_store *s, const eg_ctl_assessment *a)
{
    return write_row(s, K_ASSESS_ADD,
        "INSERT INTO assessment(order_id, at, clinician, symptoms_improved, imaging_improved, note)"
        " VALUES(?1,?2,?3,?4,?5,?6)", &ASSESS_MAP, 0, ASSESS_MAP.n, NULL, a, NULL, 1);
}

static eg_err sq_assessment_latest(eg_store *s, int64_t order_id, eg_ctl_assessment *out)
{
    return get_row(s, K_ASSESS_LATEST, &ASSESS_MAP, "SELECT {cols} FROM assessment WHERE order_id = ?1"
                   " ORDER BY at DESC, assessment_id DESC LIMIT 1", ID_KEY(order_id), out, sizeof *out);
}

/* ---- alerts ---- */

static eg_err sq_alert_add(eg_store *s, const eg_ctl_alert *a, int *created)
{
    return write_row(s, K_ALERT_ADD,
        "INSERT INTO alert(kind, order_id, id_no, name, juris_code, dedup, created_at, due_at, state, reason)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10) ON CONFLICT(dedup) DO NOTHING",
        &ALERT_MAP, ALERT_INSERT_FROM, ALERT_INSERT_TO, NULL, a, created, 1);
}

static eg_err sq_alert_get(eg_store *s, const char *aid, eg_ctl_alert *out)
{
    return get_row(s, K_ALERT_GET, &ALERT_MAP, "SELECT {cols} FROM alert WHERE aid = ?1", TEXT_KEY(aid), out,
                   sizeof *out);
}

static eg_err sq_alert_save(eg_store *s, const eg_ctl_alert *a)
{
    return write_row(s, K_ALERT_SAVE,
        "UPDATE alert SET state = ?2, reason = ?3, escalated_to = ?4, escalated_at = ?5, ack_at = ?6,"
        " ack_by = ?7, resolved_at = ?8, resolved_by = ?9 WHERE alert_id = ?1",
        &ALERT_MAP, ALERT_SAVE_FROM, ALERT_MAP.n, &a->id, a, NULL, 1);
}

static eg_err sq_alert_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_alert_fn fn, void *ctx)
{
    return each_filtered(s, K_ALERT_EACH, &ALERT_MAP, "SELECT {cols} FROM alert"
        " WHERE (?1 = '' OR juris_code = ?1 OR juris_code LIKE ?1 || '%' OR escalated_to = ?1)"
        " AND " FILTER_STATE("state") " AND (?3 = '' OR kind = ?3) AND (?4 = '' OR id_no = ?4)"
        " ORDER BY alert_id DESC LIMIT ?5", f, alert_row, (void *)fn, ctx);
}

static eg_err sq_alert_due(eg_store *s, const char *state, eg_time now, eg_ctl_alert_fn fn, void *ctx)
{
    return each_row(s, K_ALERT_DUE, &ALERT_MAP, "SELECT {cols} FROM alert"
                    " WHERE state = ?1 AND due_at <= ?2 AND escalated_to = '' ORDER BY alert_id",
                    (key){ .text = state, .has_since = 1, .since = now }, alert_row, (void *)fn, ctx);
}

/* ---- tasks ---- */

static eg_err sq_task_add(eg_store *s, const eg_ctl_task *t, int64_t *id)
{
    eg_err e = write_row(s, K_TASK_ADD,
        "INSERT INTO verification_task(kind, order_id, created_at, due_at, juris_code, state, note)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7)", &TASK_MAP, TASK_INSERT_FROM, TASK_INSERT_TO, NULL, t, NULL, 1);
    if (!e && id)
        *id = sqlite3_last_insert_rowid(SQ(s)->db);
    return e;
}

static eg_err sq_task_get(eg_store *s, const char *tid, eg_ctl_task *out)
{
    return get_row(s, K_TASK_GET, &TASK_MAP, "SELECT {cols} FROM verification_task t"
                   " JOIN control_order o ON o.order_id = t.order_id WHERE t.tid = ?1", TEXT_KEY(tid), out,
                   sizeof *out);
}

static eg_err sq_task_save(eg_store *s, const eg_ctl_task *t)
{
    return write_row(s, K_TASK_SAVE,
        "UPDATE verification_task SET juris_code = ?2, state = ?3, note = ?4, closed_at = ?5, closed_by = ?6"
        " WHERE task_id = ?1", &TASK_MAP, TASK_SAVE_FROM, TASK_MAP.n, &t->id, t, NULL, 1);
}

static eg_err sq_task_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_task_fn fn, void *ctx)
{
    return each_filtered(s, K_TASK_EACH, &TASK_MAP, "SELECT {cols} FROM verification_task t"
        " JOIN control_order o ON o.order_id = t.order_id"
        " WHERE (?1 = '' OR t.juris_code = ?1 OR t.juris_code LIKE ?1 || '%') AND " FILTER_STATE("t.state")
        " AND (?3 = '' OR t.kind = ?3) AND (?4 = '' OR o.id_no = ?4) ORDER BY t.task_id LIMIT ?5", f, task_row,
        (void *)fn, ctx);
}

/* ---- teams ---- */

static eg_err sq_member_put(eg_store *s, const eg_ctl_member *m)
{
    return write_row(s, K_MEMBER_PUT,
        "INSERT INTO team_member(order_id, role, staff_id, state, proposed_at, confirmed_at, confirmed_by)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(order_id, role) DO UPDATE SET"
        " staff_id = excluded.staff_id, state = excluded.state, proposed_at = excluded.proposed_at,"
        " confirmed_at = excluded.confirmed_at, confirmed_by = excluded.confirmed_by",
        &MEMBER_MAP, MEMBER_INSERT_FROM, MEMBER_MAP.n, NULL, m, NULL, 1);
}

/* Members in the order of their role's slot in `roles` (a role not
 * listed, or no list: after the others). */
static eg_err sq_member_each(eg_store *s, int64_t order_id, const eg_ctl_words *roles, eg_ctl_member_fn fn,
                             void *ctx)
{
    return each_row(s, K_MEMBER_EACH, &MEMBER_MAP, "SELECT {cols} FROM team_member m"
        " LEFT JOIN staff f ON f.staff_id = m.staff_id WHERE m.order_id = ?1"
        " ORDER BY CASE m.role WHEN ?2 THEN 1 WHEN ?3 THEN 2 WHEN ?4 THEN 3 WHEN ?5 THEN 4 WHEN ?6 THEN 5"
        " WHEN ?7 THEN 6 WHEN ?8 THEN 7 WHEN ?9 THEN 8 ELSE 9 END", (key){ .id = order_id, .words = roles },
        member_row, (void *)fn, ctx);
}

static eg_err load_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    return ((eg_ctl_load_fn)fn)(ctx, eg_sq_col_text(st, 0), (long)sqlite3_column_int64(st, 1));
}

static eg_err sq_load_each(eg_store *s, const eg_ctl_words *states, eg_ctl_load_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_LOAD_EACH, NULL,
        "SELECT m.staff_id, count(*) FROM team_member m JOIN control_order o ON o.order_id = m.order_id"
        " WHERE o.state IN " W(1, 2, 3, 4, 5, 6, 7, 8) " GROUP BY m.staff_id ORDER BY m.staff_id");
    if (!st)
        return EG_ERR_DB;
    bind_words(st, 1, states);
    return eg_sq_each_row(SQ(s), st, load_row, (void *)fn, ctx);
}

static eg_err sq_order_short_team(eg_store *s, const eg_ctl_words *states, int members, const char *member_state,
                                  eg_ctl_order_fn fn, void *ctx)
{
    sqlite3_stmt *st = K(s, K_SHORT_TEAM, &ORDER_MAP, "SELECT {cols} FROM control_order o"
        " WHERE o.state IN " W(3, 4, 5, 6, 7, 8, 9, 10) " AND (SELECT count(*) FROM team_member m WHERE"
        " m.order_id = o.order_id AND (?2 = '' OR m.state = ?2)) < ?1 ORDER BY o.order_id");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int(st, 1, members);
    bind_opt(st, 2, member_state);
    bind_words(st, 3, states);
    return eg_sq_each_row(SQ(s), st, order_row, (void *)fn, ctx);
}

/* ---- tokens ---- */

/* A row of report_token (the hash and actor borrowed). */
typedef struct token_rec {
    const char *hash;
    int64_t order_id;
    eg_time created_at;
    const char *created_by;
    eg_time revoked_at;
} token_rec;

/* report_token: an insert writes columns 0..3 (?1..?4). */
static const eg_col TOKEN_COLUMNS[] = {
    EG_COLX(token_rec, hash, EG_COL_STR, "token_hash"),
    EG_COL(token_rec, order_id, EG_COL_I64),
    EG_COL(token_rec, created_at, EG_COL_TIME),
    EG_COL(token_rec, created_by, EG_COL_STR),
    EG_COL(token_rec, revoked_at, EG_COL_TIME0),
};
static const eg_colmap TOKEN_MAP = EG_COLMAP("report_token", TOKEN_COLUMNS);

static eg_err sq_token_add(eg_store *s, const char *hash_hex, int64_t order_id, eg_time at, const char *actor)
{
    token_rec t = { hash_hex, order_id, at, actor, 0 };
    return write_row(s, K_TOKEN_ADD, "INSERT INTO report_token(token_hash, order_id, created_at, created_by)"
                     " VALUES(?1,?2,?3,?4)", &TOKEN_MAP, 0, 4, NULL, &t, NULL, 1);
}

static eg_err sq_token_find(eg_store *s, const char *hash_hex, int64_t *order_id, eg_time *revoked_at)
{
    token_rec t;
    eg_err e = get_row(s, K_TOKEN_FIND, &TOKEN_MAP, "SELECT {cols} FROM report_token WHERE token_hash = ?1",
                       TEXT_KEY(hash_hex), &t, sizeof t);
    if (!e) {
        *order_id = t.order_id;
        *revoked_at = t.revoked_at;
    }
    return e;
}

static eg_err sq_token_revoke(eg_store *s, int64_t order_id, eg_time at, long *n)
{
    sqlite3_stmt *st = prep(s, K_TOKEN_REVOKE, NULL, "UPDATE report_token SET revoked_at = ?2"
                            " WHERE order_id = ?1 AND revoked_at IS NULL",
                            (key){ .id = order_id, .has_since = 1, .since = at });
    return st ? step_changes(s, st, n) : EG_ERR_DB;
}

/* ---- the daily run: set queries of the service's parameters ---- */

/* The parameters of a release (?1..?6; the states from ?7, the measures
 * from ?15), a missed-reading sweep (?1..?8; states ?9, measures ?17) and
 * the to-do list (?1..?7; observation measures ?8, running states ?16,
 * unresolved alert states ?24), bound through these maps. */
static const eg_col RELEASE_PARAMS[] = {
    EG_COL(eg_ctl_release, day, EG_COL_DATE),
    EG_COL(eg_ctl_release, at, EG_COL_TIME),
    EG_COL(eg_ctl_release, to_state, EG_COL_STR),
    EG_COL(eg_ctl_release, actor, EG_COL_STR),
    EG_COL(eg_ctl_release, action, EG_COL_STR),
    EG_COL(eg_ctl_release, reason, EG_COL_STR),
};
static const eg_colmap RELEASE_MAP = EG_COLMAP("control_order", RELEASE_PARAMS);

static const eg_col MISSED_PARAMS[] = {
    EG_COL(eg_ctl_missed, day, EG_COL_DATE),
    EG_COL(eg_ctl_missed, from, EG_COL_TIME),
    EG_COL(eg_ctl_missed, deadline, EG_COL_TIME),
    EG_COL(eg_ctl_missed, due_at, EG_COL_TIME),
    EG_COL(eg_ctl_missed, kind, EG_COL_STR),
    EG_COL(eg_ctl_missed, reason, EG_COL_STR),
    EG_COL(eg_ctl_missed, state, EG_COL_STR),
    EG_COL(eg_ctl_missed, dedup, EG_COL_STR),
};
static const eg_colmap MISSED_MAP = EG_COLMAP("alert", MISSED_PARAMS);

static const eg_col TODO_PARAMS[] = {
    EG_COL(eg_ctl_todo_query, now, EG_COL_TIME),
    EG_COL(eg_ctl_todo_query, next_day, EG_COL_DATE),
    EG_COL(eg_ctl_todo_query, awaiting, EG_COL_STR),
    EG_COL(eg_ctl_todo_query, alert_open, EG_COL_STR),
    EG_COL(eg_ctl_todo_query, task_open, EG_COL_STR),
    EG_COL(eg_ctl_todo_query, member_state, EG_COL_STR),
    EG_COL(eg_ctl_todo_query, team_size, EG_COL_INT),
};
static const eg_colmap TODO_QUERY_MAP = EG_COLMAP("todo", TODO_PARAMS);

/* The orders due of a release: ?1 the day, the states and measures. */
#define DUE_ORDERS "state IN " W(7, 8, 9, 10, 11, 12, 13, 14) " AND measure IN " W(15, 16, 17, 18, 19, 20, 21, 22) \
    " AND end_date <= ?1"

/* Statement k with the parameters of map m taken from rec and two sets
 * of words after them (from ?m.n+1 and ?m.n+9; b may be NULL). NULL on
 * error. */
static sqlite3_stmt *prep_set(eg_store *s, int k, const char *sql, const eg_colmap *m, const void *rec,
                              const eg_ctl_words *a, const eg_ctl_words *b)
{
    sqlite3_stmt *st = K(s, k, NULL, sql);
    if (!st)
        return NULL;
    eg_sq_bind_cols(st, 1, m, 0, m->n, rec);
    bind_words(st, m->n + 1, a);
    bind_words(st, m->n + 1 + EG_CTL_WORDS_MAX, b);
    return st;
}

static eg_err sq_release_due(eg_store *s, const eg_ctl_release *r, long *n)
{
    sqlite3_stmt *st = prep_set(s, K_RELEASE_EVENTS,
        "INSERT INTO order_event(order_id, at, actor, action, from_measure, from_state, to_measure,"
        " to_state, reason) SELECT order_id, ?2, ?4, ?5, measure, state, measure, ?3,"
        " replace(replace(replace(?6, '{end_date}', end_date), '{start_date}', start_date),"
        " '{measure}', measure) FROM control_order WHERE " DUE_ORDERS " ORDER BY order_id",
        &RELEASE_MAP, r, &r->states, &r->measures);
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    if ((e = eg_sq_step_done(SQ(s), st)))
        return e;
    /* ?4..?6 are the event's: unused here */
    st = prep_set(s, K_RELEASE_UPDATE, "UPDATE control_order SET state = ?3, updated_at = ?2 WHERE " DUE_ORDERS,
                  &RELEASE_MAP, r, &r->states, &r->measures);
    return st ? step_changes(s, st, n) : EG_ERR_DB;
}

static eg_err sq_missed_readings(eg_store *s, const eg_ctl_missed *m, long *n)
{
    sqlite3_stmt *st = prep_set(s, K_MISSED,
        "INSERT INTO alert(kind, order_id, id_no, name, juris_code, reason, state, dedup, created_at, due_at)"
        " SELECT ?5, o.order_id, o.id_no, o.name, o.juris_code, ?6, ?7,"
        " replace(?8, '{order_id}', o.order_id), ?3, ?4 FROM control_order o"
        " WHERE o.state IN " W(9, 10, 11, 12, 13, 14, 15, 16) " AND o.measure IN " W(17, 18, 19, 20, 21, 22, 23, 24)
        " AND o.start_date <= ?1 AND o.end_date > ?1 AND o.created_at < ?3"
        " AND NOT EXISTS (SELECT 1 FROM reading r WHERE r.order_id = o.order_id"
        " AND r.taken_at >= ?2 AND r.taken_at < ?3)"
        " ON CONFLICT(dedup) DO NOTHING", &MISSED_MAP, m, &m->states, &m->measures);
    return st ? step_changes(s, st, n) : EG_ERR_DB;
}

/* The to-do list: one row per order, alert and task counted, summed by
 * division. `x IN (...)` is NULL (not 0) for a word not in the set:
 * coalesce keeps the sums numbers. */
static eg_err sq_todo_each(eg_store *s, const eg_ctl_todo_query *q, eg_ctl_todo_fn fn, void *ctx)
{
    sqlite3_stmt *st = prep_set(s, K_TODO,
        "SELECT j, sum(a), sum(b), sum(c), sum(d), sum(e), sum(f), sum(g), sum(h) FROM ("
        " SELECT juris_code j, 1 a, state = ?3 b,"
        "  coalesce(end_date = ?2 AND measure IN " W(8, 9, 10, 11, 12, 13, 14, 15) ", 0) c, 0 d, 0 e, 0 f, 0 g,"
        "  (SELECT count(*) FROM team_member m WHERE m.order_id = o.order_id AND m.state = ?6) < ?7 h"
        "  FROM control_order o WHERE state IN " W(16, 17, 18, 19, 20, 21, 22, 23)
        " UNION ALL SELECT juris_code, 0, 0, 0, 1, 0, 0, 0, 0 FROM alert WHERE state IN "
        W(24, 25, 26, 27, 28, 29, 30, 31)
        " UNION ALL SELECT escalated_to, 0, 0, 0, 0, 1, 0, 0, 0 FROM alert"
        "  WHERE state = ?4 AND escalated_to <> ''"
        " UNION ALL SELECT juris_code, 0, 0, 0, 0, 0, 1, due_at < ?1, 0 FROM verification_task"
        "  WHERE state = ?5)"
        " GROUP BY j HAVING sum(b) + sum(c) + sum(d) + sum(e) + sum(f) + sum(h) > 0 ORDER BY j",
        &TODO_QUERY_MAP, q, &q->observation, &q->running);
    if (!st)
        return EG_ERR_DB;
    bind_words(st, TODO_QUERY_MAP.n + 1 + 2 * EG_CTL_WORDS_MAX, &q->alert_unresolved);
    return eg_sq_each_row(SQ(s), st, todo_row, (void *)fn, ctx);
}

static eg_err sq_daily_log(eg_store *s, eg_date day, eg_time as_at, const char *summary, int *dup)
{
    sqlite3_stmt *st = K(s, K_DAILY_LOG, NULL, "INSERT INTO daily_run(run_date, as_at, summary) VALUES(?1,?2,?3)"
                         " ON CONFLICT(run_date, as_at) DO NOTHING");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_date(st, 1, day);
    eg_sq_bind_time(st, 2, as_at);
    eg_sq_bind_text(st, 3, summary);
    return step_insert(s, st, dup, 0);
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
