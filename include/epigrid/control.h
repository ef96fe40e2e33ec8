/*
 * epigrid/control.h: control measures (六坚持): the life of a person under
 * control, test results, four-person teams, twice-daily monitoring,
 * self-report tokens, notices, alerts and the daily run.
 *
 * Orders are made by screening (epigrid/screening_db.h) or opened here;
 * every change goes through eg_control_transition, which checks the rule
 * (a refused transition names the missing condition in the diag and
 * changes nothing) and records who, when and why in the order's history.
 * All moments are China Standard Time minutes (epigrid/date.h); "now" is
 * always passed in (the command's clock), never read from the system.
 *
 * Durations and thresholds are parameters (eg_control_params) with the
 * defaults and sources of the table eg_control_param_table(); they changed
 * during 2020, so they are stored settings, not constants.
 *
 * Measures (measure/state of an order):
 *   home_quarantine/active            居家隔离医学观察, 14 days from arrival
 *   central_isolation/awaiting_admission → central_isolation/active
 *                                     集中隔离医学观察, 14 days from the last exposure
 *   suspected/active                  疑似病例 (hospital); → excluded → back to the
 *                                     observation still running, else released
 *   confirmed/active (+ severity)     确诊病例 (designated hospital)
 *   post_discharge_observation/active 出院后医学观察, 14 days from discharge
 *   any/released                      解除隔离
 */
#ifndef EPIGRID_CONTROL_H
#define EPIGRID_CONTROL_H

#include <stddef.h>
#include <stdio.h>
#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/import.h"
#include "epigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- parameters ---- */

/* Durations (days), gaps (hours), thresholds (tenths of °C) and
 * deadlines (minutes after midnight, CST). */
typedef struct eg_control_params {
    int home_quarantine_days;      /* 14 */
    int central_isolation_days;    /* 14 */
    int suspected_min_stay_days;   /* 14 (Tonghua: 住满两周) */
    int test_gap_hours;            /* 24: two negative tests at least this far apart */
    int normal_temp_days;          /* 3: temperature normal for more than this */
    int post_discharge_days;       /* 14 */
    int fever_dc;                  /* 373: 37.3 °C */
    int temp_min_dc, temp_max_dc;  /* 340, 430: readings outside are refused */
    int morning_deadline_min;      /* 720: 12:00 */
    int evening_deadline_min;      /* 1200: 20:00 */
    int escalate_hours;            /* 2: unacknowledged alerts go one level up */
    int referral_due_hours;        /* 2: a fever-clinic referral is due */
    int team_size;                 /* 4: confirmed members of a full team (四人一专班) */
    char hotline[32];              /* printed on notices: 12320 */
} eg_control_params;

/* One row of the parameter table (like OpenABM's parameter dictionary). */
typedef struct eg_control_param_info {
    const char *name;      /* as stored: meta key "control.NAME" */
    const char *def;       /* default, as text */
    const char *unit;      /* days, hours, °C, HH:MM, text */
    const char *source;    /* citation */
} eg_control_param_info;

/* The parameter table (static, owned by the library); *n gets its size. */
const eg_control_param_info *eg_control_param_table(size_t *n);

/* Fill p with the defaults. */
void eg_control_params_default(eg_control_params *p);

/* Defaults, overridden by the store's settings `control.NAME`. Returns
 * EG_OK, EG_ERR_INVALID (a stored value is bad: d says which), EG_ERR_DB. */
eg_err eg_control_params_load(eg_store *s, eg_control_params *p, eg_diag *d);

/* Set parameter `name` to `value` (text in the table's unit: "14",
 * "37.3", "12:00") in p, and store it when s is not NULL. Returns EG_OK,
 * EG_ERR_NOT_FOUND (unknown name), EG_ERR_INVALID (bad value), EG_ERR_DB. */
eg_err eg_control_param_set(eg_store *s, eg_control_params *p, const char *name, const char *value,
                            eg_diag *d);

/* The value of parameter `name` in p as text (buf, size bytes). */
eg_err eg_control_param_get(const eg_control_params *p, const char *name, char *buf, size_t size);

/* The fever threshold in tenths of °C (parameter fever_threshold_c: the
 * stored value, else the default 37.3) alone, for services outside this
 * module (checkpoints) and handlers that check a fever. Returns EG_OK,
 * EG_ERR_INVALID (the stored value is bad), EG_ERR_DB. */
eg_err eg_control_fever_threshold(eg_store *s, int *fever_dc);

/* ---- names ---- */

/* 1 if `measure` is an observation measure that ends on its end date
 * (home_quarantine, central_isolation, post_discharge_observation). */
int eg_control_is_observation(const char *measure);
/* 1 if `state` is a running state (active, awaiting_admission). */
int eg_control_is_running(const char *state);
/* The sets behind those tests and the store's set queries (static):
 * running states of an order, observation measures, unresolved states of
 * an alert (open, acknowledged), the team roles in their order. */
const eg_ctl_words *eg_control_running(void);
const eg_ctl_words *eg_control_observation(void);
const eg_ctl_words *eg_control_alert_unresolved(void);
const eg_ctl_words *eg_control_team_order(void);
/* Expand the state names of a listing filter that stand for a set:
 * "running" (orders: eg_control_running) and "unresolved" (alerts:
 * eg_control_alert_unresolved) become f->states. Other states are left. */
void eg_control_filter_expand(eg_ctl_filter *f);
/* The order with opaque id `oid`, or else the latest order of the person
 * whose identity number is `oid`, a running one first. EG_ERR_NOT_FOUND,
 * EG_ERR_DB. */
eg_err eg_control_order_get(eg_store *s, const char *oid, eg_ctl_order *out);

/* Chinese name of a measure (居家隔离医学观察 ...); "" when unknown. Static. */
const char *eg_control_measure_zh(const char *measure);

/* ---- orders and transitions ---- */

typedef enum eg_control_action {
    EG_ACT_ADMIT = 1,   /* central_isolation awaiting_admission → active (a facility admits) */
    EG_ACT_EXPOSE,      /* a new exposure (or arrival) on `date`: moves start and end */
    EG_ACT_SUSPECT,     /* observation → suspected (in hospital), from `date` */
    EG_ACT_EXCLUDE,     /* suspected → excluded → back to observation / released */
    EG_ACT_CONFIRM,     /* suspected (or observation) → confirmed with `severity` */
    EG_ACT_SEVERITY,    /* confirmed: change severity */
    EG_ACT_DISCHARGE,   /* confirmed → post_discharge_observation for 14 days */
    EG_ACT_RELEASE,     /* observation whose end date has come → released */
    EG_ACT_UPGRADE      /* home_quarantine → central_isolation (awaiting admission) */
} eg_control_action;

/* Name of an action ("admit", ...) and its parser. */
const char *eg_control_action_name(eg_control_action a);
eg_err eg_control_action_parse(const char *s, eg_control_action *out);

/* What a transition needs besides the order. */
typedef struct eg_control_change {
    eg_control_action action;
    eg_date date;            /* EXPOSE, SUSPECT, DISCHARGE: the day (EG_NO_DATE: today) */
    const char *severity;    /* CONFIRM, SEVERITY: mild|moderate|severe|critical */
    const char *reason;      /* why (free text, may be NULL): recorded in the history */
    const char *actor;       /* who ("os:alice"); required */
    eg_time now;             /* when (the clock) */
} eg_control_change;

/*
 * Apply a transition to the order `oid` (opaque id, or an id_no for the
 * person's latest order), in one transaction with its history events.
 * Refused transitions return EG_ERR_STATE (not allowed in this state, or a
 * condition is missing: d->reason names it, e.g. "only one negative
 * nucleic-acid test since 2020-02-03 10:00; two at least 24 h apart are
 * needed"), EG_ERR_INVALID (a bad argument: d->column names it) and change
 * nothing. `out` (may be NULL) receives the order after the change.
 * Sources: exclusion and discharge criteria of the national diagnosis and
 * treatment plan (trial 5th-6th editions, Feb 2020); durations: params.
 */
eg_err eg_control_transition(eg_store *s, const eg_control_params *p, const char *oid,
                             const eg_control_change *c, eg_ctl_order *out, eg_diag *d);

/*
 * Open an order for a person found outside screening (a fever clinic's
 * suspected case, a confirmed case): `measure` with start `start` (the end
 * follows from the measure's duration; open for suspected and confirmed),
 * `severity` for confirmed, in the division `juris_code`. The person must
 * not have a running order (EG_ERR_EXISTS). Recorded as action "open".
 */
eg_err eg_control_open(eg_store *s, const eg_control_params *p, const char *id_no, const char *name,
                       const char *measure, const char *severity, eg_date start, const char *juris_code,
                       const char *actor, eg_time now, eg_ctl_order *out, eg_diag *d);

/* Record a clinician's assessment of a confirmed case (symptoms and lung
 * imaging improved: 1/0), used by discharge. EG_ERR_STATE when the order
 * is not a running confirmed case. */
eg_err eg_control_assess(eg_store *s, const char *oid, int symptoms_improved, int imaging_improved,
                         const char *note, const char *clinician, eg_time now, eg_diag *d);

/* Check whether discharge is allowed now; EG_OK or EG_ERR_STATE with the
 * first missing condition in d. Changes nothing. */
eg_err eg_control_discharge_check(eg_store *s, const eg_control_params *p, const eg_ctl_order *o,
                                  eg_time now, eg_diag *d);

/* ---- test results ---- */

/*
 * Record a test result for a registered person or a person with an order
 * (else EG_ERR_NOT_FOUND "unknown person"). method: rt_pcr|antibody_igm|
 * antibody_igg|ct_imaging; result: positive|negative|inconclusive; a
 * sample in the future is refused (EG_ERR_RANGE). *dup = 1 for a result
 * already stored. Not in a transaction of its own.
 */
eg_err eg_control_test_add(eg_store *s, const char *id_no, eg_time sampled_at, const char *method,
                           const char *result, const char *lab, const char *actor, eg_time now,
                           int *dup, eg_diag *d);

/* Import tests.csv (`id_no,sampled_at,method,result[,lab]`) in one
 * transaction; bad rows are rejected with their reason. */
eg_err eg_control_tests_import(eg_store *s, const char *path, const eg_import_opts *o,
                               eg_import_result *res, eg_diag *d);

/* ---- readings ---- */

/* What recording a reading did. */
typedef struct eg_reading_outcome {
    int dup;            /* already stored: nothing done */
    int fever;          /* >= fever threshold */
    int red_flag;       /* shortness_of_breath or chest_tightness */
    int alert_created;  /* a new alert (fever or red_flag) */
    int referral_created; /* a new referral task to a fever clinic */
} eg_reading_outcome;

/*
 * Record a reading of the person's running order: temperature in tenths
 * of °C within [temp_min, temp_max] (else EG_ERR_RANGE), taken_at not
 * after now (EG_ERR_RANGE), symptoms from the list of spec/formats.md
 * (EG_ERR_INVALID names an unknown one), source team|self|checkpoint|
 * clinic. No running order: EG_ERR_NOT_FOUND. A fever or a red-flag
 * symptom of an observation measure raises an alert and a referral task
 * (one per order and day). Not in a transaction of its own (callers that
 * add many wrap them; eg_control_reading_record wraps one).
 */
eg_err eg_control_reading_add(eg_store *s, const eg_control_params *p, const char *id_no,
                              eg_time taken_at, int temp_dc, const char *symptoms, const char *source,
                              const char *actor, eg_time now, eg_reading_outcome *out, eg_diag *d);
/* The same in one transaction. */
eg_err eg_control_reading_record(eg_store *s, const eg_control_params *p, const char *id_no,
                                 eg_time taken_at, int temp_dc, const char *symptoms, const char *source,
                                 const char *actor, eg_time now, eg_reading_outcome *out, eg_diag *d);

/* Parse a temperature "36.8" (one decimal at most) into tenths. Returns
 * EG_OK, EG_ERR_PARSE. */
eg_err eg_control_parse_temp(const char *s, int *temp_dc);

/* Import readings.csv (`id_no,taken_at,temperature_c,symptoms,source`)
 * in one transaction. */
eg_err eg_control_readings_import(eg_store *s, const eg_control_params *p, const char *path,
                                  const eg_import_opts *o, eg_import_result *res, eg_diag *d);

/* ---- self-report tokens ---- */

/* Size of a token as text: 64 hex digits (256 random bits) + NUL. */
#define EG_TOKEN_BUFSZ 65

/* Issue a self-report token for a running home-based order (home
 * quarantine or post-discharge observation): 256 random bits (libsodium),
 * written as hex into token (EG_TOKEN_BUFSZ); only its SHA-256 is stored.
 * EG_ERR_STATE when the order is not running or not home-based. */
eg_err eg_control_token_issue(eg_store *s, const char *oid, const char *actor, eg_time now,
                              char *token, eg_diag *d);
/* Revoke every token of the order; *n (may be NULL) how many. */
eg_err eg_control_token_revoke(eg_store *s, const char *oid, eg_time now, long *n, eg_diag *d);
/* The order a token is for, when the token is valid now (not revoked,
 * the order running): EG_OK and *out; EG_ERR_NOT_FOUND (unknown) or
 * EG_ERR_PERM (revoked, or the order has ended). */
eg_err eg_control_token_check(eg_store *s, const char *token, eg_ctl_order *out);
/* A reading through a token (source "self"), in one transaction. */
eg_err eg_control_self_report(eg_store *s, const eg_control_params *p, const char *token,
                              eg_time taken_at, int temp_dc, const char *symptoms, eg_time now,
                              eg_reading_outcome *out, eg_diag *d);

/* ---- teams (四人一专班) ---- */

/* The four roles of a team, in order; *n = 4. Static. */
const char *const *eg_control_team_roles(size_t *n);

/*
 * Propose a team for the order `oid` (NULL: for every running order
 * without a full team): for each missing role, the staff member of that
 * role at the order's division or the nearest division above it (walking
 * up the codes: grid → village → township → county → city) with the
 * fewest running orders (ties by staff_id). Members already proposed or
 * confirmed are kept. In one transaction. *proposed (may be NULL): members
 * added; *short_roles: roles no staff could fill.
 */
eg_err eg_control_team_propose(eg_store *s, const char *oid, eg_time now, long *proposed,
                               long *short_roles, eg_diag *d);
/* Confirm every proposed member of the order `oid` (NULL: of every order)
 * by `actor`. *n: members confirmed. */
eg_err eg_control_team_confirm(eg_store *s, const char *oid, const char *actor, eg_time now, long *n,
                               eg_diag *d);
/* Put staff `staff_id` in `role` of the order (confirmed by actor). The
 * staff member must have that role (EG_ERR_INVALID). */
eg_err eg_control_team_set(eg_store *s, const char *oid, const char *role, const char *staff_id,
                           const char *actor, eg_time now, eg_diag *d);

/* ---- alerts and tasks ---- */

/* open → acknowledged → resolved (resolve also from open). EG_ERR_STATE
 * otherwise; EG_ERR_NOT_FOUND for an unknown aid. */
eg_err eg_control_alert_ack(eg_store *s, const char *aid, const char *actor, eg_time now, eg_diag *d);
eg_err eg_control_alert_resolve(eg_store *s, const char *aid, const char *actor, eg_time now,
                                const char *note, eg_diag *d);

/*
 * Close a task. Verification tasks: outcome found|not_found|
 * address_corrected (then `new_juris` is required: the order and the task
 * move there). Referral tasks: outcome done. EG_ERR_STATE when already
 * closed; *late (may be NULL) is 1 when closed after its due moment.
 */
eg_err eg_control_task_close(eg_store *s, const char *tid, const char *outcome, const char *new_juris,
                             const char *note, const char *actor, eg_time now, int *late, eg_diag *d);

/* ---- the daily run ---- */

/* What a daily run did. */
typedef struct eg_daily_summary {
    eg_date day;
    eg_time as_at;             /* D 23:59, or the clock when earlier */
    long released;             /* orders ended (due) */
    long missed;               /* missed-reading alerts raised */
    long escalated;            /* alerts moved one level up */
    long team_alerts;          /* team_incomplete alerts raised */
    int repeated;              /* 1: this day and moment had been run before */
} eg_daily_summary;

/*
 * The daily run for `day` as at min(day 23:59, now): ends the orders due
 * (observation measures with end_date <= day) and only those, raises
 * missed-reading alerts for deadlines passed (morning and evening of the
 * day and of the day before), team_incomplete alerts, and escalates
 * alerts unacknowledged past their deadline one level up. One
 * transaction; running it again for the same moment changes nothing.
 * `day` after the clock's date is EG_ERR_RANGE (the future is not run).
 */
eg_err eg_control_daily(eg_store *s, const eg_control_params *p, eg_date day, eg_time now,
                        const char *actor, eg_daily_summary *out, eg_diag *d);

/* The to-do list by division as at `now`, for divisions with anything to
 * do, by code: running orders, those awaiting admission, those ending the
 * next day (date(now) + 1), teams with fewer than p->team_size confirmed
 * members, unresolved alerts (and open ones escalated to the division),
 * open tasks and those overdue (due before now). Returns what fn or the
 * store returns. */
eg_err eg_control_todo_each(eg_store *s, const eg_control_params *p, eg_time now, eg_ctl_todo_fn fn, void *ctx);

/* ---- notices ---- */

/*
 * Write the notice of the order's measure (居家隔离医学观察通知书 or
 * 集中隔离医学观察通知书; other measures: EG_ERR_STATE) as printable HTML
 * to f: person (name, identity number, address), measure, dates, team
 * (names and phones) and hotline. `template_html` (may be NULL: the
 * built-in template) holds {{placeholders}}: name, id_no, address,
 * measure_zh, start, end, last_day, team, hotline, issued, juris, oid,
 * title. Values are HTML-escaped. Returns EG_OK, EG_ERR_NOT_FOUND,
 * EG_ERR_STATE, EG_ERR_IO.
 */
eg_err eg_control_notice(eg_store *s, const eg_control_params *p, const char *oid,
                         const char *template_html, eg_time now, FILE *f, eg_diag *d);

/* ---- decisions of screening ---- */

/* What screening decided about one person (epigrid/screening_db.h): the
 * measure the exposure calls for, its period, the rules that fired, the
 * responsible division and the evidence. Borrowed for the call. */
typedef struct eg_control_decision {
    const char *id_no;          /* normalised document number */
    const char *name;           /* may be "" */
    const char *measure;        /* home_quarantine or central_isolation */
    eg_date start, end;         /* start of the observation and its release day */
    const char *rules;          /* the rules that fired, ';'-separated ("R1;R2") */
    const char *juris_code;     /* the responsible division (short form) */
    eg_date as_of;              /* the day screened: an order ending on or before it has ended */
    const uint32_t *legs;       /* evidence: travel_leg ids */
    size_t nlegs;
    const uint32_t *cases;      /* evidence: indexes into case_ids of case_trip ids */
    size_t ncases;
    const long *case_ids;
    eg_time task_due;           /* deadline of a new verification task */
    const char *actor;          /* who decided ("screening") */
    const char *reason;         /* recorded in the history */
    eg_time now;                /* the moment stamped on what changes */
} eg_control_decision;

/* What eg_control_screened did (each 1 when it happened). */
typedef struct eg_control_decided {
    int64_t order_id;           /* the person's order */
    int opened;                 /* a new order */
    int reopened;               /* an ended order reopened */
    int upgraded;               /* a stronger measure */
    int moved;                  /* a later exposure moved start and end */
    int changed;                /* the order changed (reopened, upgraded, moved or new rules) */
    int task_added;             /* a verification task was added */
} eg_control_decided;

/*
 * Apply a screening decision to the person's order (spec/screening.md):
 * with no order, open one (state awaiting_admission for central
 * isolation, else active); an ended order (end on or before dc->as_of, or
 * not running) is reopened only by an exposure on or after its end; a
 * running order is upgraded to a stronger measure, moved by a later
 * start, and its rules become the union of both. Each change is one
 * history event (open, reopen, upgrade or expose) by dc->actor; a new or
 * reopened order gets a verification task for its division; the evidence
 * is added, never duplicated. Not in a transaction of its own (screening
 * writes a whole run in one). Returns EG_OK or EG_ERR_DB.
 */
eg_err eg_control_screened(eg_store *s, const eg_control_decision *dc, eg_control_decided *out);

#ifdef __cplusplus
}
#endif
#endif
