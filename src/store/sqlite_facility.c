/*
 * store/sqlite_facility.c: the SQLite side of the facilities, checkpoints
 * and daily-report module: schema migration 7 (facilities, admissions,
 * checkpoints, hourly logs, fevers, the module's alerts, stored report
 * versions) and the operations of store/facility_ops.h, each a prepared
 * statement in the ext slots EG_SQ_EXT_FACILITY..+63 (rows) and
 * EG_SQ_EXT_REPORT..+63 (the report's aggregates and versions).
 *
 * Moments are `YYYY-MM-DD HH:MM` text (they sort as text), dates ISO
 * text, temperatures integer tenths of a degree. The report's queries read
 * the control module's tables (control_order, order_event, alert,
 * verification_task, assistance_request) set-based, grouped by division,
 * so that the whole city's report is a handful of scans.
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

/* Counter indices of epigrid/report.h used by the aggregate queries. */
#include "epigrid/report.h"

static sqlite3_stmt *F(eg_store *s, int k, const char *sql)
{
    return eg_sq_ext(SQ(s), EG_SQ_EXT_FACILITY + k, sql);
}

static sqlite3_stmt *R(eg_store *s, int k, const char *sql)
{
    return eg_sq_ext(SQ(s), EG_SQ_EXT_REPORT + k, sql);
}

/* Bind a moment, or NULL for 0 ("not set"). */
static void bind_time0(sqlite3_stmt *st, int i, eg_time t)
{
    if (t == 0)
        sqlite3_bind_null(st, i);
    else
        eg_sq_bind_time(st, i, t);
}

/* Bind a moment, or '' for 0 (an open bound in a filter). */
static void bind_time_or_empty(sqlite3_stmt *st, int i, eg_time t)
{
    if (t == 0)
        eg_sq_bind_text(st, i, "");
    else
        eg_sq_bind_time(st, i, t);
}


/* Step a statement that returns at most one row into `read`. */
static eg_err one_row(eg_store *s, sqlite3_stmt *st, void (*read)(sqlite3_stmt *, void *), void *out)
{
    int rc = sqlite3_step(st);
    eg_err e = EG_OK;
    if (rc == SQLITE_ROW)
        read(st, out);
    else if (rc == SQLITE_DONE)
        e = EG_ERR_NOT_FOUND;
    else
        e = eg_sq_db_fail(SQ(s));
    sqlite3_reset(st);
    return e;
}

/* ---- facilities ---- */

#define FAC_COLS "f.facility_id, f.name, f.kind, f.juris_code, f.places_in_use, f.places_standby," \
    " f.family_rooms, f.address, f.synthetic, f.standby_opened_at, f.created_at," \
    " (SELECT count(*) FROM admission a WHERE a.facility_id = f.facility_id AND a.discharged_at IS NULL)"

static void read_facility(sqlite3_stmt *st, void *out)
{
    eg_facility *f = out;
    memset(f, 0, sizeof *f);
    eg_sq_col_copy(st, 0, f->facility_id, sizeof f->facility_id);
    eg_sq_col_copy(st, 1, f->name, sizeof f->name);
    eg_sq_col_copy(st, 2, f->kind, sizeof f->kind);
    eg_sq_col_copy(st, 3, f->juris_code, sizeof f->juris_code);
    f->places_in_use = sqlite3_column_int(st, 4);
    f->places_standby = sqlite3_column_int(st, 5);
    f->family_rooms = sqlite3_column_int(st, 6);
    eg_sq_col_copy(st, 7, f->address, sizeof f->address);
    f->synthetic = sqlite3_column_int(st, 8);
    f->standby_opened_at = eg_sq_col_time(st, 9);
    f->created_at = eg_sq_col_time(st, 10);
    f->occupied = (long)sqlite3_column_int64(st, 11);
}

static eg_err facility_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_facility f;
    read_facility(st, &f);
    return ((eg_facility_fn)fn)(ctx, &f);
}

/* 1 in *n when a row with key ?1 exists in the query's table. */
static eg_err exists(eg_store *s, int slot, const char *sql, const char *key, int *n)
{
    sqlite3_stmt *st = F(s, slot, sql);
    long c = 0;
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, key);
    e = eg_sq_step_long(SQ(s), st, &c);
    *n = c > 0;
    return e;
}

static eg_err sq_facility_put(eg_store *s, const eg_facility *f, int *created)
{
    sqlite3_stmt *st;
    int had = 0;
    eg_err e = exists(s, F_FAC_EXISTS, "SELECT count(*) FROM facility WHERE facility_id = ?1", f->facility_id,
                      &had);
    if (e)
        return e;
    st = F(s, F_FAC_PUT,
        "INSERT INTO facility(facility_id, name, kind, juris_code, places_in_use, places_standby, family_rooms,"
        " address, synthetic, created_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"
        " ON CONFLICT(facility_id) DO UPDATE SET name = ?2, kind = ?3, juris_code = ?4, places_in_use = ?5,"
        " places_standby = ?6, family_rooms = ?7, address = ?8, synthetic = ?9");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, f->facility_id);
    eg_sq_bind_text(st, 2, f->name);
    eg_sq_bind_text(st, 3, f->kind);
    eg_sq_bind_text(st, 4, f->juris_code);
    sqlite3_bind_int(st, 5, f->places_in_use);
    sqlite3_bind_int(st, 6, f->places_standby);
    sqlite3_bind_int(st, 7, f->family_rooms);
    eg_sq_bind_text(st, 8, f->address);
    sqlite3_bind_int(st, 9, f->synthetic);
    eg_sq_bind_time(st, 10, f->created_at);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && created)
        *created = !had;
    return e;
}

static eg_err sq_facility_get(eg_store *s, const char *facility_id, eg_facility *out)
{
    sqlite3_stmt *st = F(s, F_FAC_GET, "SELECT " FAC_COLS " FROM facility f WHERE f.facility_id = ?1");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, facility_id);
    return one_row(s, st, read_facility, out);
}

static eg_err sq_facility_each(eg_store *s, const char *juris, const char *kind, eg_facility_fn fn, void *ctx)
{
    sqlite3_stmt *st = F(s, F_FAC_EACH, "SELECT " FAC_COLS " FROM facility f"
        " WHERE (?1 = '' OR f.juris_code = ?1 OR f.juris_code LIKE ?1 || '%') AND (?2 = '' OR f.kind = ?2)"
        " ORDER BY f.facility_id");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, juris);
    eg_sq_bind_text(st, 2, kind);
    return eg_sq_each_row(SQ(s), st, facility_row, (void *)fn, ctx);
}

static eg_err sq_facility_open_standby(eg_store *s, const char *facility_id, eg_time at)
{
    sqlite3_stmt *st = F(s, F_FAC_STANDBY, "UPDATE facility SET standby_opened_at = ?2 WHERE facility_id = ?1");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, facility_id);
    eg_sq_bind_time(st, 2, at);
    return eg_sq_step_done(SQ(s), st);
}

/* ---- admissions ---- */

#define ADM_COLS "a.admission_id, a.facility_id, a.kind, a.order_id, coalesce(o.oid, ''), a.id_no, a.name," \
    " a.juris_code, a.wait_since, a.admitted_at, a.discharged_at, a.discharge_reason, a.actor"

static void read_admission(sqlite3_stmt *st, void *out)
{
    eg_admission *a = out;
    memset(a, 0, sizeof *a);
    a->id = sqlite3_column_int64(st, 0);
    eg_sq_col_copy(st, 1, a->facility_id, sizeof a->facility_id);
    eg_sq_col_copy(st, 2, a->kind, sizeof a->kind);
    a->order_id = sqlite3_column_int64(st, 3);
    eg_sq_col_copy(st, 4, a->oid, sizeof a->oid);
    eg_sq_col_copy(st, 5, a->id_no, sizeof a->id_no);
    eg_sq_col_copy(st, 6, a->name, sizeof a->name);
    eg_sq_col_copy(st, 7, a->juris_code, sizeof a->juris_code);
    a->wait_since = eg_sq_col_time(st, 8);
    a->admitted_at = eg_sq_col_time(st, 9);
    a->discharged_at = eg_sq_col_time(st, 10);
    eg_sq_col_copy(st, 11, a->discharge_reason, sizeof a->discharge_reason);
    eg_sq_col_copy(st, 12, a->actor, sizeof a->actor);
    a->waited_min = a->wait_since && a->admitted_at > a->wait_since ? (long)(a->admitted_at - a->wait_since) : 0;
}

static eg_err admission_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_admission a;
    read_admission(st, &a);
    return ((eg_admission_fn)fn)(ctx, &a);
}

static eg_err sq_admission_add(eg_store *s, const eg_admission *a, int64_t *id)
{
    sqlite3_stmt *st = F(s, F_ADM_ADD,
        "INSERT INTO admission(facility_id, kind, order_id, id_no, name, juris_code, wait_since, admitted_at, actor)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, a->facility_id);
    eg_sq_bind_text(st, 2, a->kind);
    sqlite3_bind_int64(st, 3, a->order_id);
    eg_sq_bind_text(st, 4, a->id_no);
    eg_sq_bind_text(st, 5, a->name);
    eg_sq_bind_text(st, 6, a->juris_code);
    bind_time0(st, 7, a->wait_since);
    eg_sq_bind_time(st, 8, a->admitted_at);
    eg_sq_bind_text(st, 9, a->actor);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && id)
        *id = sqlite3_last_insert_rowid(SQ(s)->db);
    return e;
}

static eg_err sq_admission_open(eg_store *s, int64_t order_id, eg_admission *out)
{
    sqlite3_stmt *st = F(s, F_ADM_OPEN, "SELECT " ADM_COLS " FROM admission a LEFT JOIN control_order o"
                         " ON o.order_id = a.order_id WHERE a.order_id = ?1 AND a.discharged_at IS NULL");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, order_id);
    return one_row(s, st, read_admission, out);
}

static eg_err sq_admission_latest(eg_store *s, int64_t order_id, eg_admission *out)
{
    sqlite3_stmt *st = F(s, F_ADM_LATEST, "SELECT " ADM_COLS " FROM admission a LEFT JOIN control_order o"
                         " ON o.order_id = a.order_id WHERE a.order_id = ?1"
                         " ORDER BY a.admitted_at DESC, a.admission_id DESC LIMIT 1");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, order_id);
    return one_row(s, st, read_admission, out);
}

static eg_err sq_admission_get(eg_store *s, int64_t id, eg_admission *out)
{
    sqlite3_stmt *st = F(s, F_ADM_GET, "SELECT " ADM_COLS " FROM admission a LEFT JOIN control_order o"
                         " ON o.order_id = a.order_id WHERE a.admission_id = ?1");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    return one_row(s, st, read_admission, out);
}

static eg_err sq_admission_close(eg_store *s, int64_t id, eg_time at, const char *reason)
{
    sqlite3_stmt *st = F(s, F_ADM_CLOSE, "UPDATE admission SET discharged_at = ?2, discharge_reason = ?3"
                         " WHERE admission_id = ?1 AND discharged_at IS NULL");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, id);
    eg_sq_bind_time(st, 2, at);
    eg_sq_bind_text(st, 3, reason);
    return eg_sq_step_done(SQ(s), st);
}

static eg_err sq_admission_each(eg_store *s, const char *facility_id, int open_only, eg_admission_fn fn, void *ctx)
{
    sqlite3_stmt *st = F(s, F_ADM_EACH, "SELECT " ADM_COLS " FROM admission a LEFT JOIN control_order o"
                         " ON o.order_id = a.order_id WHERE (?1 = '' OR a.facility_id = ?1)"
                         " AND (?2 = 0 OR a.discharged_at IS NULL) ORDER BY a.admission_id");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, facility_id);
    sqlite3_bind_int(st, 2, open_only);
    return eg_sq_each_row(SQ(s), st, admission_row, (void *)fn, ctx);
}

/* The state of order `o` at moment ?1: the from-state of its first
 * transition after the moment, else its state now. */
#define STATE_AT(col) "(CASE WHEN o.updated_at <= ?1 THEN o." col " ELSE coalesce((SELECT e.from_" col \
    " FROM order_event e WHERE e.order_id = o.order_id AND e.at > ?1 AND e.from_measure <> ''" \
    " ORDER BY e.event_id LIMIT 1), o." col ") END)"

/* The start of the wait: the latest entry into awaiting_admission up to ?1. */
#define WAIT_SINCE "coalesce((SELECT max(e.at) FROM order_event e WHERE e.order_id = o.order_id" \
    " AND e.to_state = 'awaiting_admission' AND e.at <= ?1), o.created_at)"

static eg_err awaiting_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    return ((eg_awaiting_fn)fn)(ctx, sqlite3_column_int64(st, 0), eg_sq_col_text(st, 1), eg_sq_col_text(st, 2),
                                eg_sq_col_text(st, 3), eg_sq_col_text(st, 4), eg_sq_col_time(st, 5));
}

static eg_err sq_awaiting_each(eg_store *s, eg_time at, eg_awaiting_fn fn, void *ctx)
{
    sqlite3_stmt *st = F(s, F_AWAITING, "SELECT o.order_id, o.oid, o.id_no, o.name, o.juris_code, " WAIT_SINCE
        " FROM control_order o WHERE o.created_at <= ?1 AND (o.state = 'awaiting_admission' OR o.updated_at > ?1)"
        " AND " STATE_AT("state") " = 'awaiting_admission' ORDER BY o.order_id");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_time(st, 1, at);
    return eg_sq_each_row(SQ(s), st, awaiting_row, (void *)fn, ctx);
}

static eg_err sq_wait_since(eg_store *s, int64_t order_id, eg_time *since)
{
    sqlite3_stmt *st = F(s, F_WAIT_SINCE, "SELECT coalesce((SELECT max(e.at) FROM order_event e"
        " WHERE e.order_id = o.order_id AND e.to_state = 'awaiting_admission'), o.created_at)"
        " FROM control_order o WHERE o.order_id = ?1");
    int rc;
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, order_id);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *since = eg_sq_col_time(st, 0);
    sqlite3_reset(st);
    return rc == SQLITE_ROW ? EG_OK : rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(SQ(s));
}

static eg_err event_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_fac_event e = {
        .event_id = sqlite3_column_int64(st, 0), .order_id = sqlite3_column_int64(st, 1),
        .at = eg_sq_col_time(st, 2), .action = eg_sq_col_text(st, 3), .from_measure = eg_sq_col_text(st, 4),
        .from_state = eg_sq_col_text(st, 5), .to_measure = eg_sq_col_text(st, 6),
        .to_state = eg_sq_col_text(st, 7), .oid = eg_sq_col_text(st, 8), .id_no = eg_sq_col_text(st, 9),
        .name = eg_sq_col_text(st, 10), .juris_code = eg_sq_col_text(st, 11),
    };
    return ((eg_fac_event_fn)fn)(ctx, &e);
}

static eg_err sq_fac_events(eg_store *s, eg_time from, eg_time to, eg_fac_event_fn fn, void *ctx)
{
    sqlite3_stmt *st = F(s, F_EVENTS, "SELECT e.event_id, e.order_id, e.at, e.action, e.from_measure,"
        " e.from_state, e.to_measure, e.to_state, o.oid, o.id_no, o.name, o.juris_code"
        " FROM order_event e JOIN control_order o ON o.order_id = e.order_id"
        " WHERE e.at >= ?1 AND e.at < ?2 ORDER BY e.at, e.event_id");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_time(st, 1, from);
    eg_sq_bind_time(st, 2, to);
    return eg_sq_each_row(SQ(s), st, event_row, (void *)fn, ctx);
}

/* ---- checkpoints and logs ---- */

#define CP_COLS "c.checkpoint_id, c.name, c.kind, c.juris_code, c.max_checks_per_hour, c.synthetic, c.created_at"

static void read_checkpoint(sqlite3_stmt *st, void *out)
{
    eg_checkpoint *c = out;
    memset(c, 0, sizeof *c);
    eg_sq_col_copy(st, 0, c->checkpoint_id, sizeof c->checkpoint_id);
    eg_sq_col_copy(st, 1, c->name, sizeof c->name);
    eg_sq_col_copy(st, 2, c->kind, sizeof c->kind);
    eg_sq_col_copy(st, 3, c->juris_code, sizeof c->juris_code);
    c->max_checks_per_hour = sqlite3_column_int(st, 4);
    c->synthetic = sqlite3_column_int(st, 5);
    c->created_at = eg_sq_col_time(st, 6);
}

static eg_err checkpoint_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_checkpoint c;
    read_checkpoint(st, &c);
    return ((eg_checkpoint_fn)fn)(ctx, &c);
}

static eg_err sq_checkpoint_put(eg_store *s, const eg_checkpoint *c, int *created)
{
    sqlite3_stmt *st;
    int had = 0;
    eg_err e = exists(s, F_CP_EXISTS, "SELECT count(*) FROM checkpoint WHERE checkpoint_id = ?1",
                      c->checkpoint_id, &had);
    if (e)
        return e;
    st = F(s, F_CP_PUT,
        "INSERT INTO checkpoint(checkpoint_id, name, kind, juris_code, max_checks_per_hour, synthetic, created_at)"
        " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(checkpoint_id) DO UPDATE SET name = ?2, kind = ?3,"
        " juris_code = ?4, max_checks_per_hour = ?5, synthetic = ?6");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, c->checkpoint_id);
    eg_sq_bind_text(st, 2, c->name);
    eg_sq_bind_text(st, 3, c->kind);
    eg_sq_bind_text(st, 4, c->juris_code);
    sqlite3_bind_int(st, 5, c->max_checks_per_hour);
    sqlite3_bind_int(st, 6, c->synthetic);
    eg_sq_bind_time(st, 7, c->created_at);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && created)
        *created = !had;
    return e;
}

static eg_err sq_checkpoint_get(eg_store *s, const char *checkpoint_id, eg_checkpoint *out)
{
    sqlite3_stmt *st = F(s, F_CP_GET, "SELECT " CP_COLS " FROM checkpoint c WHERE c.checkpoint_id = ?1");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, checkpoint_id);
    return one_row(s, st, read_checkpoint, out);
}

static eg_err sq_checkpoint_each(eg_store *s, const char *juris, eg_checkpoint_fn fn, void *ctx)
{
    sqlite3_stmt *st = F(s, F_CP_EACH, "SELECT " CP_COLS " FROM checkpoint c"
        " WHERE (?1 = '' OR c.juris_code = ?1 OR c.juris_code LIKE ?1 || '%') ORDER BY c.checkpoint_id");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, juris);
    return eg_sq_each_row(SQ(s), st, checkpoint_row, (void *)fn, ctx);
}

static eg_err sq_check_log_put(eg_store *s, const char *checkpoint_id, eg_time hour_start, long checked,
                               long fevers, eg_time at, int *updated)
{
    sqlite3_stmt *st = F(s, F_LOG_EXISTS, "SELECT count(*) FROM check_log WHERE checkpoint_id = ?1"
                         " AND hour_start = ?2");
    long n = 0;
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, checkpoint_id);
    eg_sq_bind_time(st, 2, hour_start);
    if ((e = eg_sq_step_long(SQ(s), st, &n)))
        return e;
    st = F(s, F_LOG_PUT, "INSERT INTO check_log(checkpoint_id, hour_start, checked, fevers, recorded_at)"
           " VALUES(?1,?2,?3,?4,?5) ON CONFLICT(checkpoint_id, hour_start) DO UPDATE SET checked = ?3,"
           " fevers = ?4, recorded_at = ?5");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, checkpoint_id);
    eg_sq_bind_time(st, 2, hour_start);
    sqlite3_bind_int64(st, 3, checked);
    sqlite3_bind_int64(st, 4, fevers);
    eg_sq_bind_time(st, 5, at);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && updated)
        *updated = n > 0;
    return e;
}

static eg_err totals_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_checkpoint c;
    read_checkpoint(st, &c);
    return ((eg_check_total_fn)fn)(ctx, &c, (long)sqlite3_column_int64(st, 7), (long)sqlite3_column_int64(st, 8),
                                   (long)sqlite3_column_int64(st, 9), (long)sqlite3_column_int64(st, 10));
}

static eg_err sq_check_totals(eg_store *s, eg_time from, eg_time to, eg_check_total_fn fn, void *ctx)
{
    sqlite3_stmt *st = F(s, F_TOTALS, "SELECT " CP_COLS ","
        " coalesce((SELECT sum(l.checked) FROM check_log l WHERE l.checkpoint_id = c.checkpoint_id"
        "  AND (?1 = '' OR l.hour_start >= ?1) AND (?2 = '' OR l.hour_start < ?2)), 0),"
        " coalesce((SELECT sum(l.fevers) FROM check_log l WHERE l.checkpoint_id = c.checkpoint_id"
        "  AND (?1 = '' OR l.hour_start >= ?1) AND (?2 = '' OR l.hour_start < ?2)), 0),"
        " (SELECT count(*) FROM fever f WHERE f.checkpoint_id = c.checkpoint_id"
        "  AND (?1 = '' OR f.at >= ?1) AND (?2 = '' OR f.at < ?2)),"
        " (SELECT count(*) FROM fever f WHERE f.checkpoint_id = c.checkpoint_id AND f.outcome = ''"
        "  AND (?1 = '' OR f.at >= ?1) AND (?2 = '' OR f.at < ?2))"
        " FROM checkpoint c ORDER BY c.checkpoint_id");
    if (!st)
        return EG_ERR_DB;
    bind_time_or_empty(st, 1, from);
    bind_time_or_empty(st, 2, to);
    return eg_sq_each_row(SQ(s), st, totals_row, (void *)fn, ctx);
}

/* ---- fevers ---- */

#define FEVER_COLS "fever_id, fid, checkpoint_id, juris_code, at, temp_dc, id_no, name, phone, destination," \
    " clinic_id, due_at, outcome, outcome_at, outcome_by, recorded_at"

static void read_fever(sqlite3_stmt *st, void *out)
{
    eg_fever *f = out;
    memset(f, 0, sizeof *f);
    f->id = sqlite3_column_int64(st, 0);
    eg_sq_col_copy(st, 1, f->fid, sizeof f->fid);
    eg_sq_col_copy(st, 2, f->checkpoint_id, sizeof f->checkpoint_id);
    eg_sq_col_copy(st, 3, f->juris_code, sizeof f->juris_code);
    f->at = eg_sq_col_time(st, 4);
    f->temp_dc = sqlite3_column_int(st, 5);
    eg_sq_col_copy(st, 6, f->id_no, sizeof f->id_no);
    eg_sq_col_copy(st, 7, f->name, sizeof f->name);
    eg_sq_col_copy(st, 8, f->phone, sizeof f->phone);
    eg_sq_col_copy(st, 9, f->destination, sizeof f->destination);
    eg_sq_col_copy(st, 10, f->clinic_id, sizeof f->clinic_id);
    f->due_at = eg_sq_col_time(st, 11);
    eg_sq_col_copy(st, 12, f->outcome, sizeof f->outcome);
    f->outcome_at = eg_sq_col_time(st, 13);
    eg_sq_col_copy(st, 14, f->outcome_by, sizeof f->outcome_by);
    f->recorded_at = eg_sq_col_time(st, 15);
}

static eg_err fever_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_fever f;
    read_fever(st, &f);
    return ((eg_fever_fn)fn)(ctx, &f);
}

static eg_err sq_fever_add(eg_store *s, eg_fever *f, int *dup)
{
    sqlite3_stmt *st = F(s, F_FEVER_ADD,
        "INSERT INTO fever(checkpoint_id, juris_code, at, temp_dc, id_no, name, phone, destination, clinic_id,"
        " due_at, recorded_at) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11)"
        " ON CONFLICT(checkpoint_id, at, temp_dc, id_no) DO NOTHING RETURNING fever_id, fid");
    int rc;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, f->checkpoint_id);
    eg_sq_bind_text(st, 2, f->juris_code);
    eg_sq_bind_time(st, 3, f->at);
    sqlite3_bind_int(st, 4, f->temp_dc);
    eg_sq_bind_text(st, 5, f->id_no);
    eg_sq_bind_text(st, 6, f->name);
    eg_sq_bind_text(st, 7, f->phone);
    eg_sq_bind_text(st, 8, f->destination);
    eg_sq_bind_text(st, 9, f->clinic_id);
    eg_sq_bind_time(st, 10, f->due_at);
    eg_sq_bind_time(st, 11, f->recorded_at);
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        f->id = sqlite3_column_int64(st, 0);
        eg_sq_col_copy(st, 1, f->fid, sizeof f->fid);
        rc = sqlite3_step(st);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return eg_sq_db_fail(SQ(s));
    if (dup)
        *dup = f->id == 0;
    return EG_OK;
}

static eg_err sq_fever_get(eg_store *s, const char *fid, eg_fever *out)
{
    sqlite3_stmt *st = F(s, F_FEVER_GET, "SELECT " FEVER_COLS " FROM fever WHERE fid = ?1");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, fid);
    return one_row(s, st, read_fever, out);
}

static eg_err sq_fever_save(eg_store *s, const eg_fever *f)
{
    sqlite3_stmt *st = F(s, F_FEVER_SAVE, "UPDATE fever SET outcome = ?2, outcome_at = ?3, outcome_by = ?4"
                         " WHERE fever_id = ?1");
    if (!st)
        return EG_ERR_DB;
    sqlite3_bind_int64(st, 1, f->id);
    eg_sq_bind_text(st, 2, f->outcome);
    bind_time0(st, 3, f->outcome_at);
    eg_sq_bind_text(st, 4, f->outcome_by);
    return eg_sq_step_done(SQ(s), st);
}

static eg_err sq_fever_each(eg_store *s, const char *juris, int open_only, eg_time due_by, eg_fever_fn fn,
                            void *ctx)
{
    sqlite3_stmt *st = F(s, F_FEVER_EACH, "SELECT " FEVER_COLS " FROM fever"
        " WHERE (?1 = '' OR juris_code = ?1 OR juris_code LIKE ?1 || '%') AND (?2 = 0 OR outcome = '')"
        " AND (?3 = '' OR due_at <= ?3) ORDER BY at, fever_id");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, juris);
    sqlite3_bind_int(st, 2, open_only);
    bind_time_or_empty(st, 3, due_by);
    return eg_sq_each_row(SQ(s), st, fever_row, (void *)fn, ctx);
}

/* ---- alerts of the module ---- */

#define FALERT_COLS "alert_id, aid, kind, juris_code, subject, reason, state, dedup, created_at, due_at, resolved_at"

static eg_err falert_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_fac_alert a;
    memset(&a, 0, sizeof a);
    a.id = sqlite3_column_int64(st, 0);
    eg_sq_col_copy(st, 1, a.aid, sizeof a.aid);
    eg_sq_col_copy(st, 2, a.kind, sizeof a.kind);
    eg_sq_col_copy(st, 3, a.juris_code, sizeof a.juris_code);
    eg_sq_col_copy(st, 4, a.subject, sizeof a.subject);
    eg_sq_col_copy(st, 5, a.reason, sizeof a.reason);
    eg_sq_col_copy(st, 6, a.state, sizeof a.state);
    eg_sq_col_copy(st, 7, a.dedup, sizeof a.dedup);
    a.created_at = eg_sq_col_time(st, 8);
    a.due_at = eg_sq_col_time(st, 9);
    a.resolved_at = eg_sq_col_time(st, 10);
    return ((eg_fac_alert_fn)fn)(ctx, &a);
}

static eg_err sq_fac_alert_add(eg_store *s, const eg_fac_alert *a, int *created)
{
    sqlite3_stmt *st = F(s, F_ALERT_ADD,
        "INSERT INTO facility_alert(kind, juris_code, subject, reason, state, dedup, created_at, due_at)"
        " VALUES(?1,?2,?3,?4,'open',?5,?6,?7) ON CONFLICT(dedup) DO NOTHING");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, a->kind);
    eg_sq_bind_text(st, 2, a->juris_code);
    eg_sq_bind_text(st, 3, a->subject);
    eg_sq_bind_text(st, 4, a->reason);
    eg_sq_bind_text(st, 5, a->dedup);
    eg_sq_bind_time(st, 6, a->created_at);
    eg_sq_bind_time(st, 7, a->due_at);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && created)
        *created = sqlite3_changes(SQ(s)->db) > 0;
    return e;
}

static eg_err sq_fac_alert_resolve(eg_store *s, const char *dedup, eg_time at, long *n)
{
    sqlite3_stmt *st = F(s, F_ALERT_RESOLVE, "UPDATE facility_alert SET state = 'resolved', resolved_at = ?2"
                         " WHERE dedup = ?1 AND state = 'open'");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, dedup);
    eg_sq_bind_time(st, 2, at);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && n)
        *n = sqlite3_changes(SQ(s)->db);
    return e;
}

static eg_err sq_fac_alert_each(eg_store *s, const char *juris, const char *state, eg_fac_alert_fn fn, void *ctx)
{
    sqlite3_stmt *st = F(s, F_ALERT_EACH, "SELECT " FALERT_COLS " FROM facility_alert"
        " WHERE (?1 = '' OR juris_code = ?1 OR juris_code LIKE ?1 || '%') AND (?2 = '' OR state = ?2)"
        " ORDER BY alert_id DESC");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_text(st, 1, juris);
    eg_sq_bind_text(st, 2, state);
    return eg_sq_each_row(SQ(s), st, falert_row, (void *)fn, ctx);
}

/* ---- the daily report's aggregates ---- */

/* Run `st` and emit each (juris, column) value as a counter row. */
static eg_err emit_counters(eg_store *s, sqlite3_stmt *st, const int *counters, int n, eg_rpt_row_fn fn, void *ctx)
{
    eg_err e = EG_OK;
    int rc = SQLITE_DONE;
    while (!e && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        eg_rpt_row r = { .kind = EG_RPT_ROW_COUNTER, .juris_code = eg_sq_col_text(st, 0) };
        for (int i = 0; !e && i < n; i++) {
            r.counter = counters[i];
            r.n = (long)sqlite3_column_int64(st, i + 1);
            if (r.n)
                e = fn(ctx, &r);
        }
    }
    if (!e && rc != SQLITE_DONE)
        e = eg_sq_db_fail(SQ(s));
    sqlite3_reset(st);
    return e;
}

/* Bind ?1 as_at, ?2 day start, ?3 day end. */
static void bind_day(sqlite3_stmt *st, eg_time as_at, eg_time d0, eg_time d1)
{
    eg_sq_bind_time(st, 1, as_at);
    eg_sq_bind_time(st, 2, d0);
    eg_sq_bind_time(st, 3, d1);
}

static eg_err sq_report_rows(eg_store *s, eg_time as_at, eg_time d0, eg_time d1, eg_rpt_row_fn fn, void *ctx)
{
    sqlite3_stmt *st;
    eg_err e = EG_OK;
    int rc = SQLITE_DONE;

    /* orders by (measure, state, severity) at the moment: those unchanged since, from the covering
     * index in division order ("+state": not by the state index, which would need a sort); those
     * changed since, rebuilt from their history */
    for (int pass = 0; pass < 2 && !e; pass++) {
        st = pass == 0
            ? R(s, R_STATE, "SELECT juris_code, measure, state, severity, count(*) FROM control_order"
                " WHERE +state IN ('active', 'awaiting_admission') AND created_at <= ?1 AND updated_at <= ?1"
                " GROUP BY juris_code, measure, state, severity")
            : R(s, R_STATE_CHANGED, "SELECT o.juris_code, " STATE_AT("measure") ", " STATE_AT("state") ","
                " o.severity, count(*) FROM control_order o WHERE o.updated_at > ?1 AND o.created_at <= ?1"
                " GROUP BY 1, 2, 3, 4");
        if (!st)
            return EG_ERR_DB;
        eg_sq_bind_time(st, 1, as_at);
        while (!e && (rc = sqlite3_step(st)) == SQLITE_ROW) {
            eg_rpt_row r = { .kind = EG_RPT_ROW_STATE, .juris_code = eg_sq_col_text(st, 0),
                             .to_measure = eg_sq_col_text(st, 1), .to_state = eg_sq_col_text(st, 2),
                             .severity = eg_sq_col_text(st, 3), .n = (long)sqlite3_column_int64(st, 4) };
            e = fn(ctx, &r);
        }
        if (!e && rc != SQLITE_DONE)
            e = eg_sq_db_fail(SQ(s));
        sqlite3_reset(st);
    }
    if (e)
        return e;

    /* transitions of the day */
    st = R(s, R_EVENTS, "SELECT o.juris_code, e.action, e.from_measure, e.from_state, e.to_measure, e.to_state,"
           " count(*) FROM order_event e JOIN control_order o ON o.order_id = e.order_id"
           " WHERE e.at >= ?2 AND e.at < ?3 AND e.at <= ?1 GROUP BY 1, 2, 3, 4, 5, 6");
    if (!st)
        return EG_ERR_DB;
    bind_day(st, as_at, d0, d1);
    while (!e && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        eg_rpt_row r = { .kind = EG_RPT_ROW_EVENT, .juris_code = eg_sq_col_text(st, 0),
                         .action = eg_sq_col_text(st, 1), .from_measure = eg_sq_col_text(st, 2),
                         .from_state = eg_sq_col_text(st, 3), .to_measure = eg_sq_col_text(st, 4),
                         .to_state = eg_sq_col_text(st, 5), .n = (long)sqlite3_column_int64(st, 6) };
        e = fn(ctx, &r);
    }
    if (!e && rc != SQLITE_DONE)
        e = eg_sq_db_fail(SQ(s));
    sqlite3_reset(st);
    if (e)
        return e;

    /* orders created during the day, by the measure they began with */
    st = R(s, R_CREATED, "SELECT o.juris_code, coalesce((SELECT CASE WHEN e.from_measure <> '' THEN e.from_measure"
           " ELSE e.to_measure END FROM order_event e WHERE e.order_id = o.order_id ORDER BY e.event_id LIMIT 1),"
           " o.measure), count(*) FROM control_order o"
           " WHERE o.created_at >= ?2 AND o.created_at < ?3 AND o.created_at <= ?1 GROUP BY 1, 2");
    if (!st)
        return EG_ERR_DB;
    bind_day(st, as_at, d0, d1);
    while (!e && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        eg_rpt_row r = { .kind = EG_RPT_ROW_CREATED, .juris_code = eg_sq_col_text(st, 0),
                         .to_measure = eg_sq_col_text(st, 1), .n = (long)sqlite3_column_int64(st, 2) };
        e = fn(ctx, &r);
    }
    if (!e && rc != SQLITE_DONE)
        e = eg_sq_db_fail(SQ(s));
    sqlite3_reset(st);
    if (e)
        return e;

    /* tasks open at the moment, and overdue */
    static const int TASKS[] = { EG_RPT_TASKS_OPEN, EG_RPT_TASKS_OVERDUE };
    st = R(s, R_TASKS, "SELECT juris_code, count(*), sum(due_at <= ?1) FROM verification_task"
           " WHERE created_at <= ?1 AND (closed_at IS NULL OR closed_at > ?1) GROUP BY juris_code");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_time(st, 1, as_at);
    if ((e = emit_counters(s, st, TASKS, 2, fn, ctx)))
        return e;

    /* alerts unresolved at the moment; overdue: unacknowledged past due */
    static const int ALERTS[] = { EG_RPT_ALERTS_OPEN, EG_RPT_ALERTS_OVERDUE };
    st = R(s, R_ALERTS, "SELECT juris_code, count(*), sum(due_at <= ?1 AND (ack_at IS NULL OR ack_at > ?1))"
           " FROM alert WHERE created_at <= ?1 AND (resolved_at IS NULL OR resolved_at > ?1) GROUP BY juris_code");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_time(st, 1, as_at);
    if ((e = emit_counters(s, st, ALERTS, 2, fn, ctx)))
        return e;
    st = R(s, R_FAC_ALERTS, "SELECT juris_code, count(*), sum(due_at <= ?1) FROM facility_alert"
           " WHERE created_at <= ?1 AND (resolved_at IS NULL OR resolved_at > ?1) GROUP BY juris_code");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_time(st, 1, as_at);
    if ((e = emit_counters(s, st, ALERTS, 2, fn, ctx)))
        return e;

    /* assistance requests */
    static const int REQ[] = { EG_RPT_REQ_OPEN, EG_RPT_REQ_NEW };
    st = R(s, R_REQUESTS, "SELECT juris_code, sum(state = 'open' AND created_at <= ?1),"
           " sum(created_at >= ?2 AND created_at < ?3 AND created_at <= ?1) FROM assistance_request"
           " GROUP BY juris_code");
    if (!st)
        return EG_ERR_DB;
    bind_day(st, as_at, d0, d1);
    if ((e = emit_counters(s, st, REQ, 2, fn, ctx)))
        return e;

    /* checkpoints: the day's checks and fevers; referrals without an outcome at the moment */
    static const int CHECKS[] = { EG_RPT_CP_CHECKS, EG_RPT_CP_FEVERS };
    st = R(s, R_CHECKS, "SELECT c.juris_code, sum(l.checked), sum(l.fevers) FROM check_log l"
           " JOIN checkpoint c ON c.checkpoint_id = l.checkpoint_id"
           " WHERE l.hour_start >= ?2 AND l.hour_start < ?3 AND l.hour_start <= ?1 GROUP BY c.juris_code");
    if (!st)
        return EG_ERR_DB;
    bind_day(st, as_at, d0, d1);
    if ((e = emit_counters(s, st, CHECKS, 2, fn, ctx)))
        return e;
    static const int NO_OUTCOME[] = { EG_RPT_CP_NO_OUTCOME };
    st = R(s, R_NO_OUTCOME, "SELECT juris_code, count(*) FROM fever"
           " WHERE at <= ?1 AND (outcome_at IS NULL OR outcome_at > ?1) GROUP BY juris_code");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_time(st, 1, as_at);
    if ((e = emit_counters(s, st, NO_OUTCOME, 1, fn, ctx)))
        return e;

    /* facilities: places at the moment (standby opened by then count as in use) */
    st = R(s, R_FACILITIES, "SELECT f.juris_code, f.kind,"
           " f.places_in_use + CASE WHEN f.standby_opened_at <= ?1 THEN f.places_standby ELSE 0 END,"
           " CASE WHEN f.standby_opened_at <= ?1 THEN 0 ELSE f.places_standby END,"
           " (SELECT count(*) FROM admission a WHERE a.facility_id = f.facility_id AND a.admitted_at <= ?1"
           "  AND (a.discharged_at IS NULL OR a.discharged_at > ?1))"
           " FROM facility f WHERE f.created_at <= ?1 ORDER BY f.facility_id");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_time(st, 1, as_at);
    while (!e && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *kind = eg_sq_col_text(st, 1);
        int base = strcmp(kind, "isolation_site") == 0 ? EG_RPT_FAC_ISO :
                   strcmp(kind, "fever_clinic") == 0 ? EG_RPT_FAC_CLINIC :
                   strcmp(kind, "designated_hospital") == 0 ? EG_RPT_FAC_HOSPITAL : -1;
        long in_use = (long)sqlite3_column_int64(st, 2), standby = (long)sqlite3_column_int64(st, 3);
        long occupied = (long)sqlite3_column_int64(st, 4);
        long v[4] = { in_use, standby, occupied, in_use - occupied };
        eg_rpt_row r = { .kind = EG_RPT_ROW_COUNTER, .juris_code = eg_sq_col_text(st, 0) };
        for (int i = 0; base >= 0 && !e && i < 4; i++) {
            r.counter = base + i;
            r.n = v[i];
            if (r.n)
                e = fn(ctx, &r);
        }
    }
    if (!e && rc != SQLITE_DONE)
        e = eg_sq_db_fail(SQ(s));
    sqlite3_reset(st);
    return e;
}

/* ---- stored versions ---- */

static void read_version(sqlite3_stmt *st, eg_report_version *v)
{
    memset(v, 0, sizeof *v);
    v->date = eg_sq_col_date(st, 0);
    v->version = sqlite3_column_int(st, 1);
    v->generated_at = eg_sq_col_time(st, 2);
    v->stored_at = eg_sq_col_time(st, 3);
    eg_sq_col_copy(st, 4, v->actor, sizeof v->actor);
    eg_sq_col_copy(st, 5, v->reason, sizeof v->reason);
}

static eg_err sq_report_put(eg_store *s, const eg_report_version *v, const char *body)
{
    sqlite3_stmt *st = R(s, R_PUT, "INSERT INTO daily_report(report_date, version, generated_at, stored_at, actor,"
                         " reason, body) VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT DO NOTHING");
    eg_err e;
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_date(st, 1, v->date);
    sqlite3_bind_int(st, 2, v->version);
    eg_sq_bind_time(st, 3, v->generated_at);
    eg_sq_bind_time(st, 4, v->stored_at);
    eg_sq_bind_text(st, 5, v->actor);
    eg_sq_bind_text(st, 6, v->reason);
    eg_sq_bind_text(st, 7, body);
    e = eg_sq_step_done(SQ(s), st);
    if (!e && sqlite3_changes(SQ(s)->db) == 0)
        return EG_ERR_EXISTS;
    return e;
}

static eg_err sq_report_get(eg_store *s, eg_date date, int version, eg_report_body_fn fn, void *ctx)
{
    sqlite3_stmt *st = version > 0
        ? R(s, R_GET, "SELECT report_date, version, generated_at, stored_at, actor, reason, body FROM daily_report"
            " WHERE report_date = ?1 AND version = ?2")
        : R(s, R_LATEST, "SELECT report_date, version, generated_at, stored_at, actor, reason, body"
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
        read_version(st, &v);
        e = fn(ctx, &v, eg_sq_col_text(st, 6));
    } else {
        e = rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(SQ(s));
    }
    sqlite3_reset(st);
    return e;
}

static eg_err version_row(sqlite3_stmt *st, void *fn, void *ctx)
{
    eg_report_version v;
    read_version(st, &v);
    return ((eg_report_version_fn)fn)(ctx, &v);
}

static eg_err sq_report_versions(eg_store *s, eg_date date, eg_report_version_fn fn, void *ctx)
{
    sqlite3_stmt *st = R(s, R_VERSIONS, "SELECT report_date, version, generated_at, stored_at, actor, reason"
                         " FROM daily_report WHERE report_date = ?1 ORDER BY version");
    if (!st)
        return EG_ERR_DB;
    eg_sq_bind_date(st, 1, date);
    return eg_sq_each_row(SQ(s), st, version_row, (void *)fn, ctx);
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
    o->report_rows = sq_report_rows;
    o->report_put = sq_report_put;
    o->report_get = sq_report_get;
    o->report_versions = sq_report_versions;
}
