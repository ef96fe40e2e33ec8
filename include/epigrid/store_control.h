/*
 * epigrid/store_control.h: the storage operations of the control-measures
 * module (六坚持: schema version 5).
 *
 * Records of this module carry their text in inline buffers (copied by the
 * store), so a record read back may be kept as it is. Records given to a
 * callback are valid for the duration of the callback; a callback returns
 * EG_OK to go on, anything else to stop (the iterator returns that code).
 * Moments are eg_time (minutes, CST); 0 means "not set". Temperatures are
 * tenths of a degree Celsius (373 = 37.3 °C). Every function returns EG_OK,
 * EG_ERR_NOT_FOUND where a single thing is asked for and absent, or
 * EG_ERR_DB (eg_store_errmsg says why). None opens a transaction: services
 * wrap multi-row changes in eg_store_begin/commit.
 *
 * The services of epigrid/control.h are the rules; these are the rows.
 */
#ifndef EPIGRID_STORE_CONTROL_H
#define EPIGRID_STORE_CONTROL_H

#include <stdint.h>
#include "epigrid/code.h"
#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Buffer sizes of the inline text fields (bytes, with the NUL). */
#define EG_CTL_ID_BUFSZ 20      /* opaque ids: 16 hex */
#define EG_CTL_DOC_BUFSZ 40     /* document numbers */
#define EG_CTL_NAME_BUFSZ 128   /* person and staff names */
#define EG_CTL_WORD_BUFSZ 32    /* measure, state, kind, role, severity, source */
#define EG_CTL_ACTOR_BUFSZ 80   /* "os:alice", "user:bob" */
#define EG_CTL_TEXT_BUFSZ 512   /* reasons, notes, symptom lists */

/* The date stored as end_date of an order with no planned end (suspected
 * and confirmed cases): 9999-12-31, so that every "ended" test on the
 * end date (screening's included) sees the order as running. */
#define EG_CTL_OPEN_END_YMD 9999, 12, 31

/* A control order with the columns schema 5 adds. */
typedef struct eg_ctl_order {
    int64_t id;
    char oid[EG_CTL_ID_BUFSZ];
    char id_no[EG_CTL_DOC_BUFSZ];
    char name[EG_CTL_NAME_BUFSZ];
    char measure[EG_CTL_WORD_BUFSZ];   /* home_quarantine, central_isolation, suspected, confirmed,
                                          post_discharge_observation */
    char state[EG_CTL_WORD_BUFSZ];     /* active, awaiting_admission, excluded, released */
    eg_date start_date;                /* start of the current measure's period */
    eg_date end_date;                  /* planned release day (open end: EG_CTL_OPEN_END_YMD) */
    char rules[16];                    /* what set it: R1, R2, manual, ... */
    char juris_code[EG_CODE_BUFSZ];    /* responsible division (short form) */
    eg_time created_at, updated_at;
    char severity[EG_CTL_WORD_BUFSZ];  /* confirmed: mild, moderate, severe, critical; else "" */
    char prior_measure[EG_CTL_WORD_BUFSZ]; /* observation a suspected case came from, or "" */
    eg_date prior_start, prior_end;    /* that observation's period (EG_NO_DATE when none) */
    eg_date not_before;                /* suspected: earliest exclusion day (EG_NO_DATE: none) */
    eg_time measure_at;                /* when the current measure began (tests count from it) */
    eg_time admitted_at;               /* central isolation: admission (0: not yet) */
} eg_ctl_order;

/* One transition of an order (its history). */
typedef struct eg_ctl_event {
    int64_t id, order_id;
    eg_time at;
    char actor[EG_CTL_ACTOR_BUFSZ];
    char action[EG_CTL_WORD_BUFSZ];    /* open, admit, expose, suspect, exclude, back, confirm,
                                          severity, assess, discharge, release, ... */
    char from_measure[EG_CTL_WORD_BUFSZ], from_state[EG_CTL_WORD_BUFSZ];
    char to_measure[EG_CTL_WORD_BUFSZ], to_state[EG_CTL_WORD_BUFSZ];
    char reason[EG_CTL_TEXT_BUFSZ];
} eg_ctl_event;

/* A laboratory result (tests.csv). */
typedef struct eg_ctl_test {
    int64_t id;
    char id_no[EG_CTL_DOC_BUFSZ];
    eg_time sampled_at;
    char method[EG_CTL_WORD_BUFSZ];    /* rt_pcr, antibody_igm, antibody_igg, ct_imaging */
    char result[EG_CTL_WORD_BUFSZ];    /* positive, negative, inconclusive */
    char lab[EG_CTL_NAME_BUFSZ];
    eg_time recorded_at;
    char actor[EG_CTL_ACTOR_BUFSZ];
} eg_ctl_test;

/* A temperature and symptom reading (readings.csv). */
typedef struct eg_ctl_reading {
    int64_t id, order_id;
    char id_no[EG_CTL_DOC_BUFSZ];
    eg_time taken_at;
    int temp_dc;                       /* tenths of °C */
    char symptoms[EG_CTL_TEXT_BUFSZ];  /* ';'-separated, "" for none */
    char source[EG_CTL_WORD_BUFSZ];    /* team, self, checkpoint, clinic */
    eg_time recorded_at;
    char actor[EG_CTL_ACTOR_BUFSZ];
} eg_ctl_reading;

/* A clinician's assessment of a confirmed case (for discharge). */
typedef struct eg_ctl_assessment {
    int64_t order_id;
    eg_time at;
    char clinician[EG_CTL_ACTOR_BUFSZ];
    int symptoms_improved;             /* respiratory symptoms clearly improved: 1/0 */
    int imaging_improved;              /* lung imaging: acute exudative lesions clearly improved */
    char note[EG_CTL_TEXT_BUFSZ];
} eg_ctl_assessment;

/* An alert. */
typedef struct eg_ctl_alert {
    int64_t id;
    char aid[EG_CTL_ID_BUFSZ];
    char kind[EG_CTL_WORD_BUFSZ];      /* fever, red_flag, missed_reading, team_incomplete */
    int64_t order_id;
    char id_no[EG_CTL_DOC_BUFSZ];
    char name[EG_CTL_NAME_BUFSZ];
    char juris_code[EG_CODE_BUFSZ];    /* the order's division */
    char escalated_to[EG_CODE_BUFSZ];  /* one level up after the deadline; "" until then */
    char reason[EG_CTL_TEXT_BUFSZ];
    char state[EG_CTL_WORD_BUFSZ];     /* open, acknowledged, resolved */
    char dedup[96];                    /* unique key: one alert per cause */
    eg_time created_at, due_at, escalated_at, ack_at, resolved_at;
    char ack_by[EG_CTL_ACTOR_BUFSZ], resolved_by[EG_CTL_ACTOR_BUFSZ];
} eg_ctl_alert;

/* A task: a verification task of screening (kind "verification") or a
 * referral to a fever clinic (kind "referral"). */
typedef struct eg_ctl_task {
    int64_t id;
    char tid[EG_CTL_ID_BUFSZ];
    char kind[EG_CTL_WORD_BUFSZ];
    int64_t order_id;
    char id_no[EG_CTL_DOC_BUFSZ];
    char name[EG_CTL_NAME_BUFSZ];
    char juris_code[EG_CODE_BUFSZ];
    char state[EG_CTL_WORD_BUFSZ];     /* open, found, not_found, address_corrected, done */
    eg_time created_at, due_at, closed_at;
    char closed_by[EG_CTL_ACTOR_BUFSZ];
    char note[EG_CTL_TEXT_BUFSZ];
} eg_ctl_task;

/* A member of a four-person team (四人一专班). */
typedef struct eg_ctl_member {
    int64_t order_id;
    char role[EG_CTL_WORD_BUFSZ];      /* township_cadre, village_cadre, police, doctor */
    char staff_id[EG_CTL_WORD_BUFSZ];
    char staff_name[EG_CTL_NAME_BUFSZ];
    char phone[EG_CTL_WORD_BUFSZ];
    char staff_juris[EG_CODE_BUFSZ];
    char state[EG_CTL_WORD_BUFSZ];     /* proposed, confirmed */
    eg_time proposed_at, confirmed_at;
    char confirmed_by[EG_CTL_ACTOR_BUFSZ];
} eg_ctl_member;

/* Filters for listing. Empty strings / 0 mean "any". `juris` selects the
 * division and everything below it (short-code prefix). */
typedef struct eg_ctl_filter {
    const char *juris;
    const char *state;
    const char *kind;       /* alerts and tasks: kind; orders: measure */
    const char *id_no;
    long limit;             /* 0: no limit */
} eg_ctl_filter;

typedef eg_err (*eg_ctl_order_fn)(void *ctx, const eg_ctl_order *o);
typedef eg_err (*eg_ctl_event_fn)(void *ctx, const eg_ctl_event *e);
typedef eg_err (*eg_ctl_test_fn)(void *ctx, const eg_ctl_test *t);
typedef eg_err (*eg_ctl_reading_fn)(void *ctx, const eg_ctl_reading *r);
typedef eg_err (*eg_ctl_alert_fn)(void *ctx, const eg_ctl_alert *a);
typedef eg_err (*eg_ctl_task_fn)(void *ctx, const eg_ctl_task *t);
typedef eg_err (*eg_ctl_member_fn)(void *ctx, const eg_ctl_member *m);
/* Staff load: how many running orders a staff member is on. */
typedef eg_err (*eg_ctl_load_fn)(void *ctx, const char *staff_id, long orders);

/* ---- orders and their history ---- */

/* The order with opaque id `oid`, or (when `oid` is not an order's) the
 * latest order of the person whose id_no is `oid`. */
eg_err eg_store_ctl_order_get(eg_store *s, const char *oid, eg_ctl_order *out);
/* The order with row id `id`. */
eg_err eg_store_ctl_order_by_id(eg_store *s, int64_t id, eg_ctl_order *out);
/* The person's running order (state active or awaiting_admission), the
 * latest by start; EG_ERR_NOT_FOUND when none. */
eg_err eg_store_ctl_order_running(eg_store *s, const char *id_no, eg_ctl_order *out);
/* Insert an order (all columns; id and oid are set into *o). */
eg_err eg_store_ctl_order_insert(eg_store *s, eg_ctl_order *o);
/* Write every mutable column of order o->id. */
eg_err eg_store_ctl_order_save(eg_store *s, const eg_ctl_order *o);
/* Orders by filter (kind = measure), ordered by id. */
eg_err eg_store_ctl_order_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_order_fn fn, void *ctx);
/* Append a history event (e->id is ignored). */
eg_err eg_store_ctl_event_add(eg_store *s, const eg_ctl_event *e);
/* History of an order, oldest first. */
eg_err eg_store_ctl_event_each(eg_store *s, int64_t order_id, eg_ctl_event_fn fn, void *ctx);
/* Number of events with `action` at from <= at < to (action NULL: any). */
eg_err eg_store_ctl_event_count(eg_store *s, const char *action, eg_time from, eg_time to, long *n);

/* ---- tests, readings, assessments ---- */

/* Store a result; the same person, sample moment and method again is a
 * duplicate (*dup = 1, nothing changes). */
eg_err eg_store_ctl_test_add(eg_store *s, const eg_ctl_test *t, int *dup);
/* The person's results with sampled_at >= since, by sample moment. */
eg_err eg_store_ctl_test_each(eg_store *s, const char *id_no, eg_time since, eg_ctl_test_fn fn, void *ctx);
/* Store a reading; the same person, moment and source again is a
 * duplicate (*dup = 1). */
eg_err eg_store_ctl_reading_add(eg_store *s, const eg_ctl_reading *r, int *dup);
/* Readings of an order with taken_at >= since, by moment. */
eg_err eg_store_ctl_reading_each(eg_store *s, int64_t order_id, eg_time since, eg_ctl_reading_fn fn,
                                 void *ctx);
/* Readings of the person (any order), by moment; id_no "" or NULL: all
 * readings (limit f->limit). */
eg_err eg_store_ctl_reading_list(eg_store *s, const eg_ctl_filter *f, eg_ctl_reading_fn fn, void *ctx);
/* Store an assessment; read the latest of an order. */
eg_err eg_store_ctl_assessment_add(eg_store *s, const eg_ctl_assessment *a);
eg_err eg_store_ctl_assessment_latest(eg_store *s, int64_t order_id, eg_ctl_assessment *out);

/* ---- alerts and tasks ---- */

/* Insert an alert unless one with the same dedup key exists (*created 0).
 * aid is set by the store. */
eg_err eg_store_ctl_alert_add(eg_store *s, const eg_ctl_alert *a, int *created);
/* The alert with opaque id `aid`. */
eg_err eg_store_ctl_alert_get(eg_store *s, const char *aid, eg_ctl_alert *out);
/* Write state, ack/resolve/escalation columns of alert a->id. */
eg_err eg_store_ctl_alert_save(eg_store *s, const eg_ctl_alert *a);
/* Alerts by filter (juris matches the division or the escalation target),
 * newest first. */
eg_err eg_store_ctl_alert_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_alert_fn fn, void *ctx);
/* Open alerts with due_at <= now and not escalated yet, by id. */
eg_err eg_store_ctl_alert_due(eg_store *s, eg_time now, eg_ctl_alert_fn fn, void *ctx);
/* Insert a task (kind, order, juris, state, created_at, due_at); tid set. */
eg_err eg_store_ctl_task_add(eg_store *s, const eg_ctl_task *t, int64_t *id);
eg_err eg_store_ctl_task_get(eg_store *s, const char *tid, eg_ctl_task *out);
/* Write state, juris_code, closed_at, closed_by, note of task t->id. */
eg_err eg_store_ctl_task_save(eg_store *s, const eg_ctl_task *t);
/* Tasks by filter, by id. */
eg_err eg_store_ctl_task_each(eg_store *s, const eg_ctl_filter *f, eg_ctl_task_fn fn, void *ctx);

/* ---- teams ---- */

/* Insert or replace the member of (order, role). */
eg_err eg_store_ctl_member_put(eg_store *s, const eg_ctl_member *m);
/* Members of an order (with staff name, phone, division), by role. */
eg_err eg_store_ctl_member_each(eg_store *s, int64_t order_id, eg_ctl_member_fn fn, void *ctx);
/* Running orders each staff member is on (staff with none are absent). */
eg_err eg_store_ctl_load_each(eg_store *s, eg_ctl_load_fn fn, void *ctx);
/* Running orders with fewer than `roles` members in state `state` ("" any). */
eg_err eg_store_ctl_order_short_team(eg_store *s, int roles, const char *state, eg_ctl_order_fn fn,
                                     void *ctx);

/* ---- self-report tokens (stored only as a SHA-256 hash) ---- */

eg_err eg_store_ctl_token_add(eg_store *s, const char *hash_hex, int64_t order_id, eg_time at,
                              const char *actor);
/* The order id and revocation moment (0: valid) of a token hash. */
eg_err eg_store_ctl_token_find(eg_store *s, const char *hash_hex, int64_t *order_id, eg_time *revoked_at);
/* Revoke every token of an order; *n receives how many were valid. */
eg_err eg_store_ctl_token_revoke(eg_store *s, int64_t order_id, eg_time at, long *n);

/* ---- the daily run (set-based, for speed) ---- */

/* Release every running order of an observation measure whose end_date
 * <= day: state released, updated_at = at, with a history event each
 * (actor, reason). *n receives how many. */
eg_err eg_store_ctl_release_due(eg_store *s, eg_date day, eg_time at, const char *actor, long *n);
/* Raise a missed_reading alert (dedup "missed:ORDER:DATE:SLOT") for every
 * running observation order of `day` (start_date <= day < end_date,
 * created before `deadline`) without a reading in [from, deadline);
 * created_at = deadline, due_at = deadline + escalate_min. *n: new ones. */
eg_err eg_store_ctl_missed_readings(eg_store *s, eg_date day, const char *slot, eg_time from,
                                    eg_time deadline, int escalate_min, long *n);
/* One line of the daily to-do list of a division. */
typedef struct eg_ctl_todo {
    char juris_code[EG_CODE_BUFSZ];
    long under_control;        /* running orders */
    long awaiting_admission;
    long releases_next_day;    /* ending the next day */
    long alerts_open, alerts_escalated_here;
    long tasks_open, tasks_overdue;
    long teams_incomplete;     /* running orders without 4 confirmed members */
} eg_ctl_todo;
typedef eg_err (*eg_ctl_todo_fn)(void *ctx, const eg_ctl_todo *t);
/* The to-do list by division as at `now` (next day = date(now) + 1), for
 * divisions with anything to do, by code. */
eg_err eg_store_ctl_todo_each(eg_store *s, eg_time now, eg_ctl_todo_fn fn, void *ctx);
/* Record one daily run (date, moment, counts text); the same date and
 * moment again is ignored (*dup = 1). */
eg_err eg_store_ctl_daily_log(eg_store *s, eg_date day, eg_time as_at, const char *summary, int *dup);

#ifdef __cplusplus
}
#endif
#endif
