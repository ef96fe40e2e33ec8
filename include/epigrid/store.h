/*
 * epigrid/store.h: the storage interface the services use.
 *
 * One interface, several backends: the embedded SQLite file (default) and,
 * later, PostgreSQL through libpq (a target starting with `postgres://` or
 * `postgresql://`; this build answers EG_ERR_UNSUPPORTED for it). Services
 * never see SQL: they call the domain operations below, and each backend
 * implements them with prepared statements only (src/store/store_impl.h
 * holds the table of operations a backend fills in).
 *
 * Records passed in are borrowed for the duration of the call. Records
 * passed to callbacks are borrowed for the duration of the callback: copy
 * what you keep. A callback returns EG_OK to go on, anything else to stop;
 * the iterator then returns that code.
 *
 * Codes stored are short forms (epigrid/code.h). Dates are ISO text in the
 * database, eg_date in records. A store handle is not thread-safe; open one
 * per thread.
 */
#ifndef EPIGRID_STORE_H
#define EPIGRID_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "epigrid/code.h"
#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/travel.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eg_store eg_store;

/* Latest schema version this program knows. */
#define EG_SCHEMA_VERSION 7

/*
 * Open (and create when absent) the store at `target`: a file path for
 * SQLite (WAL mode, foreign keys on, busy timeout 5 s). The schema is
 * migrated forward to EG_SCHEMA_VERSION unless `migrate_to` is non-zero,
 * in which case it stops at that version (tests use this to build an old
 * database). Returns EG_OK; EG_ERR_IO (cannot open), EG_ERR_DB,
 * EG_ERR_SCHEMA (the file was written by a newer EpiGrid),
 * EG_ERR_UNSUPPORTED (a PostgreSQL URL). `d` (may be NULL) gets details.
 * Free with eg_store_close.
 */
eg_err eg_store_open(const char *target, int migrate_to, eg_store **out, eg_diag *d);

/* Close the store (NULL is fine). An open transaction is rolled back. */
void eg_store_close(eg_store *s);

/* Schema version of the open database. */
int eg_store_schema_version(eg_store *s);

/* Migrate forward to `version` (0 = latest), each step in a transaction.
 * Returns EG_OK, EG_ERR_SCHEMA (version newer than known), EG_ERR_DB. */
eg_err eg_store_migrate(eg_store *s, int version, eg_diag *d);

/* Name of the backend ("sqlite"). Static. */
const char *eg_store_backend(const eg_store *s);

/* Transactions. Not nested: begin while one is open is EG_ERR_STATE.
 * Returns EG_OK or EG_ERR_DB. */
eg_err eg_store_begin(eg_store *s);
eg_err eg_store_commit(eg_store *s);
eg_err eg_store_rollback(eg_store *s);

/* Last backend error message (static buffer inside the handle). */
const char *eg_store_errmsg(const eg_store *s);

/* Settings and markers (key/value text). get: EG_ERR_NOT_FOUND when the
 * key is absent; the value is copied into buf (size bytes, truncated). */
eg_err eg_store_meta_get(eg_store *s, const char *key, char *buf, size_t size);
eg_err eg_store_meta_set(eg_store *s, const char *key, const char *value);

/* ---- divisions (the jurisdiction tree) ---- */

/* One division. `parent_code` is the code given by the file (short form,
 * may be "" for none); `administered_by` (may be "") overrides it when
 * the unit is governed by another (Meihekou → the province). */
typedef struct eg_division_rec {
    const char *code;            /* short form, unique */
    const char *name;            /* as given */
    const char *name_norm;       /* normalised for matching (text.h) */
    eg_level level;
    const char *parent_code;
    const char *administered_by;
    const char *unit_type;       /* free text from the file, may be "" */
    int synthetic;               /* 1 for drill-made units (grids) */
} eg_division_rec;

typedef eg_err (*eg_division_fn)(void *ctx, const eg_division_rec *r);

/* Insert or update by code. Returns EG_OK or EG_ERR_DB. */
eg_err eg_store_division_put(eg_store *s, const eg_division_rec *r);
/* Every division, ordered by code. */
eg_err eg_store_division_each(eg_store *s, eg_division_fn fn, void *ctx);
/* Number of divisions. */
eg_err eg_store_division_count(eg_store *s, long *n);

/* ---- staff (officials and workers) ---- */

/* Roles of staff.csv (spec/formats.md). */
typedef struct eg_staff_rec {
    const char *staff_id;
    const char *name;
    const char *phone;
    const char *role;        /* one of eg_staff_roles (staff.h) */
    const char *juris_code;  /* short form of the node */
    const char *unit;        /* may be "" */
    int synthetic;
} eg_staff_rec;

typedef eg_err (*eg_staff_fn)(void *ctx, const eg_staff_rec *r);

/* Insert or update by staff_id. *created (may be NULL) is 1 for a new row. */
eg_err eg_store_staff_put(eg_store *s, const eg_staff_rec *r, int *created);
/* Staff whose juris_code is exactly `juris_code` (NULL: all), by role then id. */
eg_err eg_store_staff_each(eg_store *s, const char *juris_code, eg_staff_fn fn, void *ctx);

/* ---- persons (the population registry) ---- */

typedef struct eg_person_rec {
    const char *pid;          /* opaque id (16 hex), set by the store; "" on put */
    const char *id_no;        /* normalised document number, unique */
    const char *doc_type;     /* resident_id|passport|hk_macao|taiwan|other */
    const char *name;
    const char *name_norm;
    const char *sex;          /* "M", "F" or "" */
    eg_date birth_date;       /* EG_NO_DATE when unknown */
    const char *phone;        /* may be "" */
    const char *address_code; /* as given (short form) */
    const char *address;      /* free text, may be "" */
    const char *juris_code;   /* the deepest node the address names */
    int synthetic;
} eg_person_rec;


typedef eg_err (*eg_person_fn)(void *ctx, const eg_person_rec *r);

/* Insert a person, or update the one with the same id_no in place (its
 * pid and everything linked to it are kept). *created (may be NULL) is 1
 * for a new person. Returns EG_OK or EG_ERR_DB. */
eg_err eg_store_person_put(eg_store *s, const eg_person_rec *r, int *created);
/* Call fn once with the person whose id_no is `id_no`; EG_ERR_NOT_FOUND
 * when there is none. */
eg_err eg_store_person_get(eg_store *s, const char *id_no, eg_person_fn fn, void *ctx);
/* Number of persons. */
eg_err eg_store_person_count(eg_store *s, long *n);

/* ---- counts per node (for roll-ups) ---- */
typedef eg_err (*eg_count_fn)(void *ctx, const char *juris_code, long n);
/* Persons per juris_code (only codes with at least one). */
eg_err eg_store_person_count_by_juris(eg_store *s, eg_count_fn fn, void *ctx);
/* Staff per juris_code. */
eg_err eg_store_staff_count_by_juris(eg_store *s, eg_count_fn fn, void *ctx);

/* ---- audit (append-only: the database refuses updates and deletes) ---- */

typedef struct eg_audit_rec {
    int64_t id;              /* set by the store */
    eg_time at;              /* by the command's clock */
    const char *actor;       /* "os:USER" for the CLI, "user:NAME" for the server */
    const char *action;      /* e.g. "person.show" */
    const char *person_pid;  /* whose data was shown, may be "" */
    const char *detail;      /* may be "" */
} eg_audit_rec;

typedef eg_err (*eg_audit_fn)(void *ctx, const eg_audit_rec *r);

/* Append one record. Returns EG_OK or EG_ERR_DB. */
eg_err eg_store_audit_add(eg_store *s, const eg_audit_rec *r);
/* Records with from <= at < to (either may be 0 for open), oldest first. */
eg_err eg_store_audit_each(eg_store *s, eg_time from, eg_time to, eg_audit_fn fn, void *ctx);

/* ---- import log (schema version 2) ---- */
typedef struct eg_import_log_rec {
    const char *kind;        /* divisions, staff, persons, ... */
    const char *file;
    eg_time at;
    const char *actor;
    long rows, imported, rejected, warnings;
} eg_import_log_rec;
eg_err eg_store_import_log_add(eg_store *s, const eg_import_log_rec *r);
/* Number of import log rows of `kind` (NULL: all). */
eg_err eg_store_import_log_count(eg_store *s, const char *kind, long *n);

/* ---- the travel feed (schema version 3) ---- */

typedef eg_err (*eg_leg_fn)(void *ctx, const eg_leg *l);
typedef eg_err (*eg_case_trip_fn)(void *ctx, const eg_case_trip *c, const char *original);
typedef eg_err (*eg_risk_area_fn)(void *ctx, const eg_risk_area *a);

/* Store a leg unless the same person already has the same trip on the
 * same date (duplicates count once: *dup = 1 then). `l->line` is ignored;
 * legs read back carry their row id in `line`. */
eg_err eg_store_leg_put(eg_store *s, const eg_leg *l, int *dup);
/* Legs with dep_date in [from, to], ordered by id_no, dep_date, dep_minute. */
eg_err eg_store_leg_each(eg_store *s, eg_date from, eg_date to, eg_leg_fn fn, void *ctx);
/* Legs of one person (normalised id_no), in travel order. */
eg_err eg_store_leg_each_person(eg_store *s, const char *id_no, eg_leg_fn fn, void *ctx);
/* Number of legs, and the latest dep_date (EG_NO_DATE when none). */
eg_err eg_store_leg_stats(eg_store *s, long *n, eg_date *latest);

/* Store a case trip (with the description as given, may be ""); the same
 * date, mode, number, carriage and seat again is a duplicate (*dup = 1). */
eg_err eg_store_case_trip_put(eg_store *s, const eg_case_trip *c, const char *original, int *dup);
/* Every case trip, ordered by date, first number. */
eg_err eg_store_case_trip_each(eg_store *s, eg_case_trip_fn fn, void *ctx);

/* Store a risk area; the same code, level and valid_from updates valid_to
 * and name. */
eg_err eg_store_risk_area_put(eg_store *s, const eg_risk_area *a);
/* Every risk area, ordered by code. */
eg_err eg_store_risk_area_each(eg_store *s, eg_risk_area_fn fn, void *ctx);

/* ---- control orders, verification tasks, assistance requests
 * (schema version 4; spec/screening.md) ---- */

/* A control order (管控措施) of one person. */
typedef struct eg_order_rec {
    int64_t id;                /* set by the store */
    const char *oid;           /* opaque id (16 hex), set by the store */
    const char *id_no;         /* normalised document number */
    const char *name;
    const char *measure;       /* home_quarantine, central_isolation, ... */
    const char *state;         /* active, awaiting_admission, released, ... */
    eg_date start_date;
    eg_date end_date;          /* the release day */
    const char *rules;         /* "R1", "R2", "R1;R2" */
    const char *juris_code;    /* the responsible division (short form) */
    eg_time created_at;
    eg_time updated_at;
} eg_order_rec;

typedef eg_err (*eg_order_fn)(void *ctx, const eg_order_rec *r);

/* Call fn with the person's latest order (by start_date, then id);
 * EG_ERR_NOT_FOUND when the person has none. */
eg_err eg_store_order_latest(eg_store *s, const char *id_no, eg_order_fn fn, void *ctx);
/* Insert an order; its id is written to *id. */
eg_err eg_store_order_insert(eg_store *s, const eg_order_rec *r, int64_t *id);
/* Update measure, state, dates, rules, juris_code, name and updated_at of
 * order r->id. */
eg_err eg_store_order_update(eg_store *s, const eg_order_rec *r);
/* Add evidence to an order or a request: kind "leg" (a travel_leg id) or
 * "case_trip" (a case_trip id); an existing one is not duplicated
 * (*added = 0). `owner` is "order" or "request". */
eg_err eg_store_evidence_add(eg_store *s, const char *owner, int64_t owner_id, const char *kind,
                             int64_t ref, int *added);
/* Orders whose juris_code lies in `juris` (short code prefix; NULL: all),
 * ordered by id. */
eg_err eg_store_order_each(eg_store *s, const char *juris, eg_order_fn fn, void *ctx);

/* A verification task (落地查人) for an order's division. */
typedef struct eg_task_rec {
    int64_t id;
    const char *tid;           /* opaque id, set by the store */
    int64_t order_id;
    const char *juris_code;
    const char *state;         /* open, found, not_found, address_corrected */
    eg_time created_at;
    eg_time due_at;
} eg_task_rec;

/* Insert a task; its id to *id (may be NULL). */
eg_err eg_store_task_insert(eg_store *s, const eg_task_rec *r, int64_t *id);
/* Number of tasks in `state` (NULL: all). */
eg_err eg_store_task_count(eg_store *s, const char *state, long *n);

/* An assistance request (协查) for a person who belongs elsewhere. */
typedef struct eg_request_rec {
    int64_t id;
    const char *rid;           /* opaque id, set by the store */
    const char *id_no;
    const char *name;
    const char *measure;
    eg_date start_date, end_date;
    const char *rules;
    const char *juris_code;    /* the city's node it is attached to */
    const char *target_code;   /* the division asked to act; "" when unlocated */
    int unlocated;
    const char *state;         /* open, ... */
    eg_time created_at, updated_at;
} eg_request_rec;

typedef eg_err (*eg_request_fn)(void *ctx, const eg_request_rec *r);

/* The open request for (id_no, juris_code); EG_ERR_NOT_FOUND when none. */
eg_err eg_store_request_get(eg_store *s, const char *id_no, const char *juris_code,
                            eg_request_fn fn, void *ctx);
/* Insert a request (*id receives its id) or update r->id's fields. */
eg_err eg_store_request_insert(eg_store *s, const eg_request_rec *r, int64_t *id);
eg_err eg_store_request_update(eg_store *s, const eg_request_rec *r);
/* Number of requests (unlocated ones when `unlocated` is 1, all when -1). */
eg_err eg_store_request_count(eg_store *s, int unlocated, long *n);

#ifdef __cplusplus
}
#endif
#endif
