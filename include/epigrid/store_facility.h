/*
 * epigrid/store_facility.h: the storage operations of the facilities,
 * checkpoints and daily-report module (schema version 7).
 *
 * Records carry their text in inline buffers (copied by the store), so a
 * record read back may be kept as it is. Records given to a callback are
 * valid for the duration of the callback; a callback returns EG_OK to go
 * on, anything else to stop (the iterator returns that code). Moments are
 * eg_time (minutes, CST); 0 means "not set". Temperatures are tenths of a
 * degree Celsius. Every function returns EG_OK, EG_ERR_NOT_FOUND where a
 * single thing is asked for and absent, or EG_ERR_DB (eg_store_errmsg
 * says why). None opens a transaction: the services of epigrid/facility.h,
 * epigrid/checkpoint.h and epigrid/report.h wrap their changes.
 *
 * The services are the rules; these are the rows.
 */
#ifndef EPIGRID_STORE_FACILITY_H
#define EPIGRID_STORE_FACILITY_H

#include <stdint.h>
#include "epigrid/code.h"
#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Buffer sizes of the inline text fields (bytes, with the NUL). */
#define EG_FAC_ID_BUFSZ 64      /* facility_id, checkpoint_id (from the files) */
#define EG_FAC_OID_BUFSZ 20     /* opaque ids made by the store: 16 hex */
#define EG_FAC_NAME_BUFSZ 192   /* names (Chinese: 3 bytes a character) */
#define EG_FAC_WORD_BUFSZ 32    /* kinds, states, outcomes */
#define EG_FAC_TEXT_BUFSZ 512   /* reasons, addresses */

/* A facility (facilities.csv). Places: rooms of an isolation site or of a
 * fever clinic's observation area, beds of a designated hospital. */
typedef struct eg_facility {
    char facility_id[EG_FAC_ID_BUFSZ];
    char name[EG_FAC_NAME_BUFSZ];
    char kind[EG_FAC_WORD_BUFSZ];      /* isolation_site, fever_clinic, designated_hospital */
    char juris_code[EG_CODE_BUFSZ];    /* short form */
    int places_in_use;                 /* places open for admission (as imported) */
    int places_standby;                /* places held in reserve (备用) */
    int family_rooms;                  /* isolation sites: rooms for a family, counted apart (0 else) */
    char address[EG_FAC_TEXT_BUFSZ];
    int synthetic;                     /* 1: illustrative (drill) record */
    eg_time standby_opened_at;         /* when the standby places were opened (0: not) */
    eg_time created_at;
    long occupied;                     /* on read: admissions open now (not stored) */
} eg_facility;

/* A stay in a facility of a person under a control order. */
typedef struct eg_admission {
    int64_t id;                        /* set by the store */
    char facility_id[EG_FAC_ID_BUFSZ];
    char kind[EG_FAC_WORD_BUFSZ];      /* the facility's kind */
    int64_t order_id;
    char oid[EG_FAC_OID_BUFSZ];        /* on read: the order's opaque id */
    char id_no[40];
    char name[EG_FAC_NAME_BUFSZ];
    char juris_code[EG_CODE_BUFSZ];    /* the order's division */
    eg_time wait_since;                /* start of the wait for admission (0: none) */
    eg_time admitted_at;
    long waited_min;                   /* admitted_at - wait_since (0 when no wait) */
    eg_time discharged_at;             /* 0 while the person is there */
    char discharge_reason[EG_FAC_TEXT_BUFSZ];
    char actor[80];
} eg_admission;

/* A checkpoint (体温监测点, checkpoints.csv). */
typedef struct eg_checkpoint {
    char checkpoint_id[EG_FAC_ID_BUFSZ];
    char name[EG_FAC_NAME_BUFSZ];
    char kind[EG_FAC_WORD_BUFSZ];      /* road, railway_station, bus_station, airport, community_gate,
                                          hospital_triage */
    char juris_code[EG_CODE_BUFSZ];
    int max_checks_per_hour;           /* 0: no maximum */
    int synthetic;
    eg_time created_at;
} eg_checkpoint;

/* A fever found at a checkpoint: a referral to a fever clinic. */
typedef struct eg_fever {
    int64_t id;
    char fid[EG_FAC_OID_BUFSZ];        /* opaque id, set by the store */
    char checkpoint_id[EG_FAC_ID_BUFSZ];
    char juris_code[EG_CODE_BUFSZ];    /* the checkpoint's division */
    eg_time at;
    int temp_dc;                       /* tenths of °C, >= 373 */
    char id_no[40], name[EG_FAC_NAME_BUFSZ], phone[32];
    char destination[EG_FAC_TEXT_BUFSZ];
    char clinic_id[EG_FAC_ID_BUFSZ];   /* the fever clinic referred to ("" when none) */
    eg_time due_at;                    /* the outcome is due by then */
    char outcome[EG_FAC_WORD_BUFSZ];   /* "", normal, suspected, other_illness */
    eg_time outcome_at;
    char outcome_by[80];
    eg_time recorded_at;
} eg_fever;

/* An alert of this module (alerts about a person under an order go to the
 * control module's alerts instead). */
typedef struct eg_fac_alert {
    int64_t id;
    char aid[EG_FAC_OID_BUFSZ];
    char kind[EG_FAC_WORD_BUFSZ];      /* standby_threshold, county_full, referral_overdue */
    char juris_code[EG_CODE_BUFSZ];    /* the node it is raised to */
    char subject[EG_FAC_ID_BUFSZ];     /* facility_id, county code, or fever fid */
    char reason[EG_FAC_TEXT_BUFSZ];
    char state[EG_FAC_WORD_BUFSZ];     /* open, resolved */
    char dedup[96];                    /* unique key: one alert per cause */
    eg_time created_at, due_at, resolved_at;
} eg_fac_alert;

typedef eg_err (*eg_facility_fn)(void *ctx, const eg_facility *f);
typedef eg_err (*eg_admission_fn)(void *ctx, const eg_admission *a);
typedef eg_err (*eg_checkpoint_fn)(void *ctx, const eg_checkpoint *c);
typedef eg_err (*eg_fever_fn)(void *ctx, const eg_fever *f);
typedef eg_err (*eg_fac_alert_fn)(void *ctx, const eg_fac_alert *a);

/* ---- facilities and admissions ---- */

/* Insert or update by facility_id (standby_opened_at and created_at of an
 * existing facility are kept). *created (may be NULL): 1 for a new one. */
eg_err eg_store_facility_put(eg_store *s, const eg_facility *f, int *created);
/* The facility with `occupied` = admissions open now. */
eg_err eg_store_facility_get(eg_store *s, const char *facility_id, eg_facility *out);
/* Facilities (with occupied) in `juris` and below (NULL/"": all) of
 * `kind` (NULL/"": any), by facility_id. */
eg_err eg_store_facility_each(eg_store *s, const char *juris, const char *kind, eg_facility_fn fn, void *ctx);
/* Mark the standby places of a facility opened at `at`. */
eg_err eg_store_facility_open_standby(eg_store *s, const char *facility_id, eg_time at);
/* Insert an admission; *id gets its id. */
eg_err eg_store_admission_add(eg_store *s, const eg_admission *a, int64_t *id);
/* The open admission of an order. */
eg_err eg_store_admission_open(eg_store *s, int64_t order_id, eg_admission *out);
/* The latest stay of an order (by admission moment), open or closed. */
eg_err eg_store_admission_latest(eg_store *s, int64_t order_id, eg_admission *out);
/* The admission with id `id`. */
eg_err eg_store_admission_get(eg_store *s, int64_t id, eg_admission *out);
/* Close admission `id` at `at` with a reason. */
eg_err eg_store_admission_close(eg_store *s, int64_t id, eg_time at, const char *reason);
/* Admissions of a facility (NULL: all), open ones only when open_only,
 * by id. */
eg_err eg_store_admission_each(eg_store *s, const char *facility_id, int open_only, eg_admission_fn fn, void *ctx);

/* Orders that were awaiting admission at moment `at` (state reconstructed
 * from the order history), with the start of their wait. */
typedef eg_err (*eg_awaiting_fn)(void *ctx, int64_t order_id, const char *oid, const char *id_no,
                                 const char *name, const char *juris_code, eg_time wait_since);
eg_err eg_store_awaiting_each(eg_store *s, eg_time at, eg_awaiting_fn fn, void *ctx);
/* The start of order `order_id`'s current wait for admission: the latest
 * moment it entered awaiting_admission (its creation when it was made so). */
eg_err eg_store_wait_since(eg_store *s, int64_t order_id, eg_time *since);

/* One transition of an order's history, for following places. */
typedef struct eg_fac_event {
    int64_t event_id, order_id;
    eg_time at;
    const char *action, *from_measure, *from_state, *to_measure, *to_state;
    const char *oid, *id_no, *name, *juris_code;
} eg_fac_event;
typedef eg_err (*eg_fac_event_fn)(void *ctx, const eg_fac_event *e);
/* Order events with from <= at < to, in event order. */
eg_err eg_store_fac_events(eg_store *s, eg_time from, eg_time to, eg_fac_event_fn fn, void *ctx);

/* ---- checkpoints, logs, fevers ---- */

eg_err eg_store_checkpoint_put(eg_store *s, const eg_checkpoint *c, int *created);
eg_err eg_store_checkpoint_get(eg_store *s, const char *checkpoint_id, eg_checkpoint *out);
/* Checkpoints in `juris` and below (NULL: all), by id. */
eg_err eg_store_checkpoint_each(eg_store *s, const char *juris, eg_checkpoint_fn fn, void *ctx);
/* Store the log of one hour; the same checkpoint and hour again replaces
 * the counts (*updated = 1). */
eg_err eg_store_check_log_put(eg_store *s, const char *checkpoint_id, eg_time hour_start, long checked,
                              long fevers, eg_time at, int *updated);
/* Checks and fevers per checkpoint over hours from <= hour_start < to
 * (0, 0: all time), by checkpoint (checkpoints without logs get zeros). */
typedef eg_err (*eg_check_total_fn)(void *ctx, const eg_checkpoint *c, long checked, long fevers,
                                    long referrals, long without_outcome);
eg_err eg_store_check_totals(eg_store *s, eg_time from, eg_time to, eg_check_total_fn fn, void *ctx);
/* Insert a fever; the same checkpoint, moment, temperature and id_no
 * again is a duplicate (*dup = 1). fid set into f. */
eg_err eg_store_fever_add(eg_store *s, eg_fever *f, int *dup);
eg_err eg_store_fever_get(eg_store *s, const char *fid, eg_fever *out);
/* Write outcome, outcome_at and outcome_by of fever f->id. */
eg_err eg_store_fever_save(eg_store *s, const eg_fever *f);
/* Fevers in `juris` and below (NULL: all): without an outcome only when
 * open_only; due by `due_by` only when due_by != 0; by moment. */
eg_err eg_store_fever_each(eg_store *s, const char *juris, int open_only, eg_time due_by, eg_fever_fn fn,
                           void *ctx);

/* ---- alerts of the module ---- */

/* Insert unless the dedup key exists (*created 0). */
eg_err eg_store_fac_alert_add(eg_store *s, const eg_fac_alert *a, int *created);
/* Resolve the open alert with key `dedup` at `at` (*n: 0 or 1). */
eg_err eg_store_fac_alert_resolve(eg_store *s, const char *dedup, eg_time at, long *n);
/* Alerts in `juris` and below (NULL: all), state (NULL: any), newest first. */
eg_err eg_store_fac_alert_each(eg_store *s, const char *juris, const char *state, eg_fac_alert_fn fn, void *ctx);

/* ---- daily reports ---- */

/* One row of the report's raw material (see eg_store_report_rows). */
typedef enum eg_rpt_row_kind {
    EG_RPT_ROW_STATE = 1, /* orders in (measure, state, severity) at the moment: n */
    EG_RPT_ROW_EVENT,     /* transitions of the day: action, from, to: n */
    EG_RPT_ROW_CREATED,   /* orders created during the day in measure `to_measure`: n */
    EG_RPT_ROW_COUNTER    /* a counter of epigrid/report.h (`counter`) += n */
} eg_rpt_row_kind;
typedef struct eg_rpt_row {
    eg_rpt_row_kind kind;
    const char *juris_code;
    const char *action, *from_measure, *from_state, *to_measure, *to_state, *severity;
    int counter;
    long n;
} eg_rpt_row;
typedef eg_err (*eg_rpt_row_fn)(void *ctx, const eg_rpt_row *r);
/* Everything the daily report counts, grouped by division code: state at
 * `as_at`, and what happened in day_start <= t < day_end. */
eg_err eg_store_report_rows(eg_store *s, eg_time as_at, eg_time day_start, eg_time day_end, eg_rpt_row_fn fn,
                            void *ctx);
/* A stored version. */
typedef struct eg_report_version {
    eg_date date;
    int version;
    eg_time generated_at;              /* the moment the report is as at */
    eg_time stored_at;
    char actor[80];
    char reason[EG_FAC_TEXT_BUFSZ];
} eg_report_version;
typedef eg_err (*eg_report_version_fn)(void *ctx, const eg_report_version *v);
typedef eg_err (*eg_report_body_fn)(void *ctx, const eg_report_version *v, const char *body);
/* Store version v->version of v->date (EG_ERR_EXISTS when it exists). */
eg_err eg_store_report_put(eg_store *s, const eg_report_version *v, const char *body);
/* Call fn with version `version` of `date` (0: the latest);
 * EG_ERR_NOT_FOUND when none. */
eg_err eg_store_report_get(eg_store *s, eg_date date, int version, eg_report_body_fn fn, void *ctx);
/* Versions of a date, oldest first. */
eg_err eg_store_report_versions(eg_store *s, eg_date date, eg_report_version_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif
#endif
