/*
 * epigrid/store.h: the one storage interface the services use.
 *
 * Backends store and fetch rows; every rule (what is due, what is overdue,
 * texts and keys, thresholds, default states, report classification) lives
 * in the service that owns it (DESIGN.md, "Layers"). A backend is chosen by
 * the target given to eg_store_open: a file path is the embedded SQLite
 * backend (src/store/sqlite*.c); a `postgres://` or `postgresql://` URL is
 * PostgreSQL (not built yet: EG_ERR_UNSUPPORTED).
 *
 * This header holds, in this order: opening and closing a store; the
 * record type of every table (one per table) and its callback type; and
 * the list of storage operations, EG_STORE_OPERATIONS, written once. The
 * list generates the public functions `eg_store_<name>` declared below,
 * the backend's table of operations (src/store/store_impl.h), the dispatch
 * wrappers with their "not supported" default (src/store/store.c), and the
 * names the contract suite checks its coverage against (tests/store/).
 *
 * Conventions of every operation: it returns EG_OK, EG_ERR_NOT_FOUND where
 * a single thing is asked for and absent, EG_ERR_DB when the backend fails
 * (eg_store_errmsg says why), EG_ERR_UNSUPPORTED when the backend lacks the
 * operation, and the other codes its comment names. Records passed in are
 * borrowed for the duration of the call. Records passed to callbacks are
 * borrowed for the duration of the callback: copy what you keep. A
 * callback returns EG_OK to go on, anything else to stop; the iterator
 * then returns that code. No operation opens a transaction: services wrap
 * changes in the transaction helper (eg_store_tx_*, below).
 *
 * Codes stored are short forms (epigrid/code.h). Dates are eg_date,
 * moments eg_time (minutes, China Standard Time; 0 = not set). A store
 * handle is not thread-safe; open one per thread.
 */
#ifndef EPIGRID_STORE_H
#define EPIGRID_STORE_H

#include <stddef.h>
#include <stdint.h>
#include "epigrid/code.h"
#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/idno.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eg_store eg_store;

/* Latest schema version this program knows. */
#define EG_SCHEMA_VERSION 8

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


/* Name of the backend ("sqlite"). Static. */
const char *eg_store_backend(const eg_store *s);


/* Last backend error message (static buffer inside the handle). */
const char *eg_store_errmsg(const eg_store *s);



/* Longest normalised trip number plus NUL (bus plates such as 吉JG4666
 * are 3 bytes a Chinese character). */
#define EG_TRIP_BUFSZ 32
/* Longest normalised seat plus NUL. */
#define EG_SEAT_BUFSZ 12
/* Names and phones kept with a leg (truncated at a character boundary). */
#define EG_LEG_NAME_BUFSZ 64
#define EG_LEG_PHONE_BUFSZ 24
/* Codeshare partners kept per case trip, the trip's own number included. */
#define EG_TRIP_MAX_NOS 3
/* "No time of day" for legs without dep_time. */
#define EG_NO_MINUTE (-32768)

/* Means of transport. */
typedef enum eg_mode {
    EG_MODE_TRAIN = 1,
    EG_MODE_FLIGHT,
    EG_MODE_BUS,
    EG_MODE_SHIP,
    EG_MODE_CAR,
    EG_MODE_OTHER
} eg_mode;

/* One ticket leg travelled by one person (travel.csv). */
typedef struct eg_leg {
    char id_no[EG_DOCNO_BUFSZ];       /* normalised document number */
    unsigned char id_flag;            /* EG_IDNO_OK, or why the number failed its check (kept) */
    eg_mode mode;
    char trip_no[EG_TRIP_BUFSZ];      /* normalised */
    eg_date dep_date;
    short dep_minute;                 /* minutes after midnight, or EG_NO_MINUTE */
    char from_code[EG_CODE_BUFSZ];    /* short form */
    char to_code[EG_CODE_BUFSZ];      /* short form */
    eg_date arr_date;                 /* dep_date when the file left it empty */
    int car;                          /* 0 = unknown */
    char seat[EG_SEAT_BUFSZ];         /* normalised, "" = unknown */
    int seat_row;                     /* 0 = unknown */
    char name[EG_LEG_NAME_BUFSZ];     /* as given, may be "" */
    char phone[EG_LEG_PHONE_BUFSZ];   /* as given, may be "" */
    char from_name[EG_LEG_NAME_BUFSZ];
    char to_name[EG_LEG_NAME_BUFSZ];
    long line;                        /* source line (batch) or row id (store) */
} eg_leg;

/* Case status of a case trip. */
typedef enum eg_case_status { EG_CASE_CONFIRMED = 1, EG_CASE_SUSPECTED } eg_case_status;

/* One trip that carried a confirmed or suspected case; a description
 * naming several carriages makes several case trips. */
typedef struct eg_case_trip {
    eg_date date;
    eg_mode mode;
    char nos[EG_TRIP_MAX_NOS][EG_TRIP_BUFSZ]; /* the number and its codeshare partners */
    size_t nnos;
    int car;                          /* 0 = unknown (whole train) */
    char seat[EG_SEAT_BUFSZ];         /* "" = unknown */
    int seat_row;                     /* 0 = unknown (whole flight) */
    int unreadable;                   /* 1: the description could not be read */
    eg_case_status status;
    char from_name[EG_LEG_NAME_BUFSZ];
    char to_name[EG_LEG_NAME_BUFSZ];
    long id;                          /* store id, or source line */
} eg_case_trip;

/* A risk area: a division code prefix with a validity window. */
typedef struct eg_risk_area {
    char code[EG_CODE_BUFSZ];         /* short form, 2, 4 or 6 digits (or deeper) */
    char level[8];                    /* high, medium, low */
    eg_date valid_from;
    eg_date valid_to;                 /* EG_NO_DATE = still in force */
    char name[EG_LEG_NAME_BUFSZ];
    long id;
} eg_risk_area;


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


/* ---- counts per node (for roll-ups) ---- */
typedef eg_err (*eg_count_fn)(void *ctx, const char *juris_code, long n);

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


/* ---- import log (schema version 2) ---- */
typedef struct eg_import_log_rec {
    const char *kind;        /* divisions, staff, persons, ... */
    const char *file;
    eg_time at;
    const char *actor;
    long rows, imported, rejected, warnings;
} eg_import_log_rec;

/* ---- the travel feed (schema version 3) ---- */

typedef eg_err (*eg_leg_fn)(void *ctx, const eg_leg *l);
typedef eg_err (*eg_case_trip_fn)(void *ctx, const eg_case_trip *c, const char *original);
typedef eg_err (*eg_risk_area_fn)(void *ctx, const eg_risk_area *a);




/* ---- control orders, verification tasks, assistance requests
 * (schema version 4; spec/screening.md) ---- */

/* A control order is an eg_ctl_order and a verification task an
 * eg_ctl_task (below, with the control module's records): one record type
 * per table. */

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

/* ==== control measures (六坚持: schema version 5) ====
 *
 * Records of this module carry their text in inline buffers (copied by the
 * store), so a record read back may be kept as it is. Temperatures are
 * tenths of a degree Celsius (373 = 37.3 °C). The services of
 * epigrid/control.h are the rules; these are the rows. */

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

/* A set of words (states, measures, roles) given by a service to a set
 * query: up to EG_CTL_WORDS_MAX, the unused slots NULL. A backend matches
 * a column against any of them (an empty set matches nothing, except in
 * eg_ctl_filter, where it is "not given") or, for an order of roles,
 * ranks rows by the slot of their word. */
#define EG_CTL_WORDS_MAX 8
typedef struct eg_ctl_words {
    const char *w[EG_CTL_WORDS_MAX];
} eg_ctl_words;

/* Filters for listing. Empty strings / 0 mean "any". `juris` selects the
 * division and everything below it (short-code prefix). */
typedef struct eg_ctl_filter {
    const char *juris;
    const char *state;      /* one state; "" with `states` set: any of those */
    const eg_ctl_words *states; /* NULL or an empty set: `state` alone, as for every
                               field of a filter ("" = any); services expand
                               names such as "running" (eg_control_filter_expand) */
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

/* ---- the daily run (set-based, for speed) ----
 * The service computes every parameter of these set queries (the states
 * and measures due, the texts and keys written); the backend runs them. */

/* Release of the orders due: orders in one of `states`, of one of
 * `measures`, with end_date <= day get `to_state` and updated_at = at,
 * each with a history event (at, actor, action, from/to the order's
 * measure, from its state to `to_state`, reason). In `reason` the
 * placeholders {end_date}, {start_date} and {measure} stand for the
 * order's values (ISO dates). */
typedef struct eg_ctl_release {
    eg_ctl_words states, measures;
    eg_date day;
    const char *to_state;
    eg_time at;
    const char *actor, *action, *reason;
} eg_ctl_release;

/* Alerts for orders without a reading: orders in one of `states`, of one
 * of `measures`, with start_date <= day < end_date, created before
 * `deadline`, without a reading taken in [from, deadline) get an alert
 * (kind, state, reason, created_at = deadline, due_at) unless its dedup
 * key exists; in `dedup` the placeholder {order_id} stands for the
 * order's row id. */
typedef struct eg_ctl_missed {
    eg_ctl_words states, measures;
    eg_date day;
    eg_time from, deadline, due_at;
    const char *kind, *state, *reason, *dedup;
} eg_ctl_missed;

/* What the to-do list counts (eg_ctl_todo): orders in `running`; of them
 * those in state `awaiting`, those of `observation` measures ending on
 * `next_day`, and those with fewer than `team_size` members in state
 * `member_state` (teams incomplete); alerts in `alert_unresolved` states
 * (open), those in state `alert_open` escalated to a division (counted
 * there); tasks in state `task_open`, those due before `now` overdue. */
typedef struct eg_ctl_todo_query {
    eg_ctl_words running, observation, alert_unresolved;
    const char *awaiting, *alert_open, *task_open, *member_state;
    int team_size;
    eg_date next_day;
    eg_time now;
} eg_ctl_todo_query;

/* One line of the daily to-do list of a division. */
typedef struct eg_ctl_todo {
    char juris_code[EG_CODE_BUFSZ];
    long under_control;        /* running orders */
    long awaiting_admission;
    long releases_next_day;    /* ending the next day */
    long alerts_open, alerts_escalated_here;
    long tasks_open, tasks_overdue;
    long teams_incomplete;     /* running orders without a full confirmed team */
} eg_ctl_todo;
typedef eg_err (*eg_ctl_todo_fn)(void *ctx, const eg_ctl_todo *t);

/* ==== facilities, checkpoints and daily reports (schema version 7) ====
 *
 * Records carry their text in inline buffers (copied by the store), so a
 * record read back may be kept as it is. Temperatures are tenths of a
 * degree Celsius. The services of epigrid/facility.h, epigrid/checkpoint.h
 * and epigrid/report.h are the rules; these are the rows. */

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


/* Orders that were in a state (awaiting admission) at moment `at` (state
 * reconstructed from the order history), with the start of their wait:
 * the latest moment they entered that state (see eg_store_awaiting_each). */
typedef eg_err (*eg_awaiting_fn)(void *ctx, int64_t order_id, const char *oid, const char *id_no,
                                 const char *name, const char *juris_code, eg_time wait_since);

/* One transition of an order's history (the order_event table's one
 * record, eg_ctl_event), for following places, with who it concerns: the
 * order's opaque id, document number, name and division (borrowed for the
 * callback). */
typedef eg_err (*eg_fac_event_fn)(void *ctx, const eg_ctl_event *e, const char *oid, const char *id_no,
                                  const char *name, const char *juris_code);

/* ---- checkpoints, logs, fevers ---- */

/* Checks and fevers per checkpoint over hours from <= hour_start < to
 * (0, 0: all time), by checkpoint (checkpoints without logs get zeros). */
typedef eg_err (*eg_check_total_fn)(void *ctx, const eg_checkpoint *c, long checked, long fevers,
                                    long referrals, long without_outcome);

/* ---- daily reports ---- */

/* One group of a report query (see the eg_store_report_* operations): a
 * division and the stored values the query groups by (those it does not
 * group by are ""), with the query's plain counts in n[]. The services
 * classify the groups into counters (epigrid/report.h). */
typedef struct eg_rpt_row {
    const char *juris_code;
    const char *measure, *state, *severity;      /* orders; events: the measure and state after */
    const char *action, *from_measure, *from_state; /* events */
    const char *kind;                            /* facilities: kind; requests: state */
    int flag;                                    /* facilities: standby places opened by the moment */
    long n[3];
} eg_rpt_row;
typedef eg_err (*eg_rpt_row_fn)(void *ctx, const eg_rpt_row *r);
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

/* ---- store: users, sessions, login throttling ---- */

/* One user account. */
typedef struct eg_user_rec {
    int64_t id;              /* set by the store */
    const char *name;        /* login name, unique */
    const char *role;        /* eg_role_name */
    const char *juris_code;  /* short code of the scope */
    const char *staff_id;    /* the staff row the account is for */
    const char *pw_hash;     /* argon2id string */
    int active;              /* 0 once revoked */
    eg_time created_at;
    eg_time revoked_at;      /* 0 when active */
} eg_user_rec;

typedef eg_err (*eg_user_fn)(void *ctx, const eg_user_rec *r);







/* ---- scoped reads (the scope is enforced in the query) ---- */

/* Up to this many subtrees inside a scope's code range that belong
 * elsewhere in the tree (Meihekou 220581 lies in 2205 by its code but is
 * administered by the province). */
#define EG_SCOPE_MAX_EXCLUDE 4

/* A scope: persons and records whose juris_code lies in `code` (by code;
 * "" = everything), an exact match only when `exact` (grids), minus the
 * codes in `exclude`. Build with eg_scope_for (http) or by hand. */
typedef struct eg_scope {
    char code[EG_CODE_BUFSZ];
    int exact;
    char exclude[EG_SCOPE_MAX_EXCLUDE][EG_CODE_BUFSZ];
    int n_exclude;
} eg_scope;

/* 1 if short code `code` lies in scope `sc`, else 0 (the same rule as the
 * queries). */
int eg_scope_contains(const eg_scope *sc, const char *code);


/* An order as listed, with its person's opaque id ("" when the person is
 * not registered). */
typedef eg_err (*eg_order_row_fn)(void *ctx, const eg_ctl_order *o, const char *pid);

/* A task as listed (verification or referral; with its order's person in
 * task.id_no and task.name), with its order's opaque id and measure and
 * the person's opaque id. */
typedef struct eg_task_row {
    eg_ctl_task task;
    char order_oid[EG_CTL_ID_BUFSZ];
    char measure[EG_CTL_WORD_BUFSZ];
    char pid[EG_CTL_ID_BUFSZ];  /* "" when not registered */
} eg_task_row;
typedef eg_err (*eg_task_row_fn)(void *ctx, const eg_task_row *r);




/* ==== the storage operations ====
 *
 * X(name, (parameters), (arguments)): every operation once. Each returns
 * eg_err and takes the store handle `s` first. The public function is
 * eg_store_<name>; a backend fills the member <name> of eg_store_ops
 * (NULL: the wrapper answers EG_ERR_UNSUPPORTED). The comment before an
 * entry documents it.
 */
#define EG_STORE_OPS_CORE(X) \
    /* Migrate forward to `version` (0 = latest), each step in a transaction. \
     * Returns EG_OK, EG_ERR_SCHEMA (version newer than known), EG_ERR_DB. */ \
    X(migrate, (eg_store *s, int version, eg_diag *d), (s, version, d)) \
    /* Transactions. Not nested: begin while one is open is EG_ERR_STATE. \
     * Returns EG_OK or EG_ERR_DB. */ \
    X(begin, (eg_store *s), (s)) \
    X(commit, (eg_store *s), (s)) \
    X(rollback, (eg_store *s), (s)) \
    /* Settings and markers (key/value text). get: EG_ERR_NOT_FOUND when the \
     * key is absent; the value is copied into buf (size bytes, truncated). */ \
    X(meta_get, (eg_store *s, const char *key, char *buf, size_t size), (s, key, buf, size)) \
    X(meta_set, (eg_store *s, const char *key, const char *value), (s, key, value)) \
    /* Insert or update by code. Returns EG_OK or EG_ERR_DB. */ \
    X(division_put, (eg_store *s, const eg_division_rec *r), (s, r)) \
    /* Every division, ordered by code. */ \
    X(division_each, (eg_store *s, eg_division_fn fn, void *ctx), (s, fn, ctx)) \
    /* Number of divisions. */ \
    X(division_count, (eg_store *s, long *n), (s, n)) \
    /* Insert or update by staff_id. *created (may be NULL) is 1 for a new row. */ \
    X(staff_put, (eg_store *s, const eg_staff_rec *r, int *created), (s, r, created)) \
    /* Staff whose juris_code is exactly `juris_code` (NULL: all), by role then id. */ \
    X(staff_each, (eg_store *s, const char *juris_code, eg_staff_fn fn, void *ctx), (s, juris_code, fn, ctx)) \
    /* Insert a person, or update the one with the same id_no in place (its \
     * pid and everything linked to it are kept). *created (may be NULL) is 1 \
     * for a new person. Returns EG_OK or EG_ERR_DB. */ \
    X(person_put, (eg_store *s, const eg_person_rec *r, int *created), (s, r, created)) \
    /* Call fn once with the person whose id_no is `id_no`; EG_ERR_NOT_FOUND \
     * when there is none. */ \
    X(person_get, (eg_store *s, const char *id_no, eg_person_fn fn, void *ctx), (s, id_no, fn, ctx)) \
    /* Number of persons. */ \
    X(person_count, (eg_store *s, long *n), (s, n)) \
    /* Persons per juris_code (only codes with at least one). */ \
    X(person_count_by_juris, (eg_store *s, eg_count_fn fn, void *ctx), (s, fn, ctx)) \
    /* Staff per juris_code. */ \
    X(staff_count_by_juris, (eg_store *s, eg_count_fn fn, void *ctx), (s, fn, ctx)) \
    /* Append one record. Returns EG_OK or EG_ERR_DB. */ \
    X(audit_add, (eg_store *s, const eg_audit_rec *r), (s, r)) \
    /* Records with from <= at < to (either may be 0 for open), oldest first. */ \
    X(audit_each, (eg_store *s, eg_time from, eg_time to, eg_audit_fn fn, void *ctx), (s, from, to, fn, ctx)) \
    X(import_log_add, (eg_store *s, const eg_import_log_rec *r), (s, r)) \
    /* Number of import log rows of `kind` (NULL: all). */ \
    X(import_log_count, (eg_store *s, const char *kind, long *n), (s, kind, n)) \
    /* Store a leg unless the same person already has the same trip on the \
     * same date (duplicates count once: *dup = 1 then). `l->line` is ignored; \
     * legs read back carry their row id in `line`. */ \
    X(leg_put, (eg_store *s, const eg_leg *l, int *dup), (s, l, dup)) \
    /* Legs with dep_date in [from, to], ordered by id_no, dep_date, dep_minute. */ \
    X(leg_each, (eg_store *s, eg_date from, eg_date to, eg_leg_fn fn, void *ctx), (s, from, to, fn, ctx)) \
    /* Legs of one person (normalised id_no), in travel order. */ \
    X(leg_each_person, (eg_store *s, const char *id_no, eg_leg_fn fn, void *ctx), (s, id_no, fn, ctx)) \
    /* Number of legs, and the latest dep_date (EG_NO_DATE when none). */ \
    X(leg_stats, (eg_store *s, long *n, eg_date *latest), (s, n, latest)) \
    /* Store a case trip (with the description as given, may be ""); the same \
     * date, mode, number, carriage and seat again is a duplicate (*dup = 1). */ \
    X(case_trip_put, (eg_store *s, const eg_case_trip *c, const char *original, int *dup), (s, c, original, dup)) \
    /* Every case trip, ordered by date, first number. */ \
    X(case_trip_each, (eg_store *s, eg_case_trip_fn fn, void *ctx), (s, fn, ctx)) \
    /* Store a risk area; the same code, level and valid_from updates valid_to \
     * and name. */ \
    X(risk_area_put, (eg_store *s, const eg_risk_area *a), (s, a)) \
    /* Every risk area, ordered by code. */ \
    X(risk_area_each, (eg_store *s, eg_risk_area_fn fn, void *ctx), (s, fn, ctx)) \
    /* Add evidence to an order or a request: kind "leg" (a travel_leg id) or \
     * "case_trip" (a case_trip id); an existing one is not duplicated \
     * (*added = 0). `owner` is "order" or "request". */ \
    X(evidence_add, (eg_store *s, const char *owner, int64_t owner_id, const char *kind, int64_t ref, int *added), (s, owner, owner_id, kind, ref, added)) \
    /* The highest order id of the person whose id_no is `id_no` (orders \
     * themselves are the control module's: eg_store_ctl_order_*); \
     * EG_ERR_NOT_FOUND when the person has none. */ \
    X(order_last_id, (eg_store *s, const char *id_no, int64_t *id), (s, id_no, id)) \
    /* The open request for (id_no, juris_code); EG_ERR_NOT_FOUND when none. */ \
    X(request_get, (eg_store *s, const char *id_no, const char *juris_code, eg_request_fn fn, void *ctx), (s, id_no, juris_code, fn, ctx)) \
    /* Insert a request (*id receives its id) or update r->id's fields. */ \
    X(request_insert, (eg_store *s, const eg_request_rec *r, int64_t *id), (s, r, id)) \
    X(request_update, (eg_store *s, const eg_request_rec *r), (s, r)) \
    /* Number of requests (unlocated ones when `unlocated` is 1, all when -1). */ \
    X(request_count, (eg_store *s, int unlocated, long *n), (s, unlocated, n)) \

#define EG_STORE_OPS_CONTROL(X) \
    /* The order with opaque id `oid`, or (when `oid` is not an order's) the \
     * latest order of the person whose id_no is `oid`, one in a state of \
     * `prefer` (may be NULL) before the others. */ \
    X(ctl_order_get, (eg_store *s, const char *oid, const eg_ctl_words *prefer, eg_ctl_order *out), (s, oid, prefer, out)) \
    /* The order with row id `id`. */ \
    X(ctl_order_by_id, (eg_store *s, int64_t id, eg_ctl_order *out), (s, id, out)) \
    /* The person's latest order (by id) in one of `states`; EG_ERR_NOT_FOUND \
     * when none. */ \
    X(ctl_order_running, (eg_store *s, const char *id_no, const eg_ctl_words *states, eg_ctl_order *out), (s, id_no, states, out)) \
    /* Insert an order (all columns; id and oid are set into *o). */ \
    X(ctl_order_insert, (eg_store *s, eg_ctl_order *o), (s, o)) \
    /* Write every mutable column of order o->id. */ \
    X(ctl_order_save, (eg_store *s, const eg_ctl_order *o), (s, o)) \
    /* Orders by filter (kind = measure), ordered by id. */ \
    X(ctl_order_each, (eg_store *s, const eg_ctl_filter *f, eg_ctl_order_fn fn, void *ctx), (s, f, fn, ctx)) \
    /* Append a history event (e->id is ignored). */ \
    X(ctl_event_add, (eg_store *s, const eg_ctl_event *e), (s, e)) \
    /* History of an order, oldest first. */ \
    X(ctl_event_each, (eg_store *s, int64_t order_id, eg_ctl_event_fn fn, void *ctx), (s, order_id, fn, ctx)) \
    /* Number of events with `action` at from <= at < to (action NULL: any). */ \
    X(ctl_event_count, (eg_store *s, const char *action, eg_time from, eg_time to, long *n), (s, action, from, to, n)) \
    /* Store a result; the same person, sample moment and method again is a \
     * duplicate (*dup = 1, nothing changes). */ \
    X(ctl_test_add, (eg_store *s, const eg_ctl_test *t, int *dup), (s, t, dup)) \
    /* The person's results with sampled_at >= since, by sample moment. */ \
    X(ctl_test_each, (eg_store *s, const char *id_no, eg_time since, eg_ctl_test_fn fn, void *ctx), (s, id_no, since, fn, ctx)) \
    /* Store a reading; the same person, moment and source again is a \
     * duplicate (*dup = 1). */ \
    X(ctl_reading_add, (eg_store *s, const eg_ctl_reading *r, int *dup), (s, r, dup)) \
    /* Readings of an order with taken_at >= since, by moment. */ \
    X(ctl_reading_each, (eg_store *s, int64_t order_id, eg_time since, eg_ctl_reading_fn fn, void *ctx), (s, order_id, since, fn, ctx)) \
    /* Readings of the person (any order), by moment; id_no "" or NULL: all \
     * readings (limit f->limit). */ \
    X(ctl_reading_list, (eg_store *s, const eg_ctl_filter *f, eg_ctl_reading_fn fn, void *ctx), (s, f, fn, ctx)) \
    /* Store an assessment; read the latest of an order. */ \
    X(ctl_assessment_add, (eg_store *s, const eg_ctl_assessment *a), (s, a)) \
    X(ctl_assessment_latest, (eg_store *s, int64_t order_id, eg_ctl_assessment *out), (s, order_id, out)) \
    /* Insert an alert unless one with the same dedup key exists (*created 0). \
     * aid is set by the store; kind and state are the service's (no default). */ \
    X(ctl_alert_add, (eg_store *s, const eg_ctl_alert *a, int *created), (s, a, created)) \
    /* The alert with opaque id `aid`. */ \
    X(ctl_alert_get, (eg_store *s, const char *aid, eg_ctl_alert *out), (s, aid, out)) \
    /* Write state, ack/resolve/escalation columns of alert a->id. */ \
    X(ctl_alert_save, (eg_store *s, const eg_ctl_alert *a), (s, a)) \
    /* Alerts by filter (juris matches the division or the escalation target), \
     * newest first. */ \
    X(ctl_alert_each, (eg_store *s, const eg_ctl_filter *f, eg_ctl_alert_fn fn, void *ctx), (s, f, fn, ctx)) \
    /* Alerts in `state` with due_at <= now and not escalated yet, by id. */ \
    X(ctl_alert_due, (eg_store *s, const char *state, eg_time now, eg_ctl_alert_fn fn, void *ctx), (s, state, now, fn, ctx)) \
    /* Insert a task (kind, order, juris, state, created_at, due_at, note, all \
     * the service's: no default kind or state); tid set by the store. */ \
    X(ctl_task_add, (eg_store *s, const eg_ctl_task *t, int64_t *id), (s, t, id)) \
    X(ctl_task_get, (eg_store *s, const char *tid, eg_ctl_task *out), (s, tid, out)) \
    /* Write state, juris_code, closed_at, closed_by, note of task t->id. */ \
    X(ctl_task_save, (eg_store *s, const eg_ctl_task *t), (s, t)) \
    /* Tasks by filter, by id. */ \
    X(ctl_task_each, (eg_store *s, const eg_ctl_filter *f, eg_ctl_task_fn fn, void *ctx), (s, f, fn, ctx)) \
    /* Insert or replace the member of (order, role). */ \
    X(ctl_member_put, (eg_store *s, const eg_ctl_member *m), (s, m)) \
    /* Members of an order (with staff name, phone, division), in the order \
     * of their role in `roles` (roles not listed last). */ \
    X(ctl_member_each, (eg_store *s, int64_t order_id, const eg_ctl_words *roles, eg_ctl_member_fn fn, void *ctx), (s, order_id, roles, fn, ctx)) \
    /* How many orders in one of `states` each staff member is on (staff with \
     * none are absent), by staff id. */ \
    X(ctl_load_each, (eg_store *s, const eg_ctl_words *states, eg_ctl_load_fn fn, void *ctx), (s, states, fn, ctx)) \
    /* Orders in one of `states` with fewer than `members` members in state \
     * `member_state` ("" any), by id. */ \
    X(ctl_order_short_team, (eg_store *s, const eg_ctl_words *states, int members, const char *member_state, eg_ctl_order_fn fn, void *ctx), (s, states, members, member_state, fn, ctx)) \
    X(ctl_token_add, (eg_store *s, const char *hash_hex, int64_t order_id, eg_time at, const char *actor), (s, hash_hex, order_id, at, actor)) \
    /* The order id and revocation moment (0: valid) of a token hash. */ \
    X(ctl_token_find, (eg_store *s, const char *hash_hex, int64_t *order_id, eg_time *revoked_at), (s, hash_hex, order_id, revoked_at)) \
    /* Revoke every token of an order; *n receives how many were valid. */ \
    X(ctl_token_revoke, (eg_store *s, int64_t order_id, eg_time at, long *n), (s, order_id, at, n)) \
    /* Release the orders due (eg_ctl_release); *n receives how many. */ \
    X(ctl_release_due, (eg_store *s, const eg_ctl_release *r, long *n), (s, r, n)) \
    /* Raise the alerts of orders without a reading (eg_ctl_missed); *n: new \
     * ones. */ \
    X(ctl_missed_readings, (eg_store *s, const eg_ctl_missed *m, long *n), (s, m, n)) \
    /* The to-do list by division (eg_ctl_todo_query), for divisions with \
     * anything to do, by code. */ \
    X(ctl_todo_each, (eg_store *s, const eg_ctl_todo_query *q, eg_ctl_todo_fn fn, void *ctx), (s, q, fn, ctx)) \
    /* Record one daily run (date, moment, counts text); the same date and \
     * moment again is ignored (*dup = 1). */ \
    X(ctl_daily_log, (eg_store *s, eg_date day, eg_time as_at, const char *summary, int *dup), (s, day, as_at, summary, dup)) \

#define EG_STORE_OPS_FACILITY(X) \
    /* Insert or update by facility_id (standby_opened_at and created_at of an \
     * existing facility are kept). *created (may be NULL): 1 for a new one. */ \
    X(facility_put, (eg_store *s, const eg_facility *f, int *created), (s, f, created)) \
    /* The facility with `occupied` = admissions open now. */ \
    X(facility_get, (eg_store *s, const char *facility_id, eg_facility *out), (s, facility_id, out)) \
    /* Facilities (with occupied) in `juris` and below (NULL/"": all) of \
     * `kind` (NULL/"": any), by facility_id. */ \
    X(facility_each, (eg_store *s, const char *juris, const char *kind, eg_facility_fn fn, void *ctx), (s, juris, kind, fn, ctx)) \
    /* Mark the standby places of a facility opened at `at`. */ \
    X(facility_open_standby, (eg_store *s, const char *facility_id, eg_time at), (s, facility_id, at)) \
    /* Insert an admission; *id gets its id. */ \
    X(admission_add, (eg_store *s, const eg_admission *a, int64_t *id), (s, a, id)) \
    /* The open admission of an order. */ \
    X(admission_open, (eg_store *s, int64_t order_id, eg_admission *out), (s, order_id, out)) \
    /* The latest stay of an order (by admission moment), open or closed. */ \
    X(admission_latest, (eg_store *s, int64_t order_id, eg_admission *out), (s, order_id, out)) \
    /* The admission with id `id`. */ \
    X(admission_get, (eg_store *s, int64_t id, eg_admission *out), (s, id, out)) \
    /* Close admission `id` at `at` with a reason. */ \
    X(admission_close, (eg_store *s, int64_t id, eg_time at, const char *reason), (s, id, at, reason)) \
    /* Admissions of a facility (NULL: all), open ones only when open_only, \
     * by id. */ \
    X(admission_each, (eg_store *s, const char *facility_id, int open_only, eg_admission_fn fn, void *ctx), (s, facility_id, open_only, fn, ctx)) \
    /* Orders in state `state` at moment `at`, by order id. */ \
    X(awaiting_each, (eg_store *s, eg_time at, const char *state, eg_awaiting_fn fn, void *ctx), (s, at, state, fn, ctx)) \
    /* The start of order `order_id`'s current wait: the latest moment it \
     * entered state `state` (its creation when it was made so). */ \
    X(wait_since, (eg_store *s, int64_t order_id, const char *state, eg_time *since), (s, order_id, state, since)) \
    /* Order events with from <= at < to, in event order. */ \
    X(fac_events, (eg_store *s, eg_time from, eg_time to, eg_fac_event_fn fn, void *ctx), (s, from, to, fn, ctx)) \
    X(checkpoint_put, (eg_store *s, const eg_checkpoint *c, int *created), (s, c, created)) \
    X(checkpoint_get, (eg_store *s, const char *checkpoint_id, eg_checkpoint *out), (s, checkpoint_id, out)) \
    /* Checkpoints in `juris` and below (NULL: all), by id. */ \
    X(checkpoint_each, (eg_store *s, const char *juris, eg_checkpoint_fn fn, void *ctx), (s, juris, fn, ctx)) \
    /* Store the log of one hour; the same checkpoint and hour again replaces \
     * the counts (*updated = 1). */ \
    X(check_log_put, (eg_store *s, const char *checkpoint_id, eg_time hour_start, long checked, long fevers, eg_time at, int *updated), (s, checkpoint_id, hour_start, checked, fevers, at, updated)) \
    X(check_totals, (eg_store *s, eg_time from, eg_time to, eg_check_total_fn fn, void *ctx), (s, from, to, fn, ctx)) \
    /* Insert a fever; the same checkpoint, moment, temperature and id_no \
     * again is a duplicate (*dup = 1, f->id = 0, nothing stored). A new \
     * one sets f->id and f->fid. The fever threshold is the service's: the \
     * store keeps any temperature it is given (schema 8). */ \
    X(fever_add, (eg_store *s, eg_fever *f, int *dup), (s, f, dup)) \
    X(fever_get, (eg_store *s, const char *fid, eg_fever *out), (s, fid, out)) \
    /* Write outcome, outcome_at and outcome_by of fever f->id. */ \
    X(fever_save, (eg_store *s, const eg_fever *f), (s, f)) \
    /* Fevers in `juris` and below (NULL: all): without an outcome only when \
     * open_only; due by `due_by` only when due_by != 0; by moment. */ \
    X(fever_each, (eg_store *s, const char *juris, int open_only, eg_time due_by, eg_fever_fn fn, void *ctx), (s, juris, open_only, due_by, fn, ctx)) \
    /* Insert (with its state a->state) unless the dedup key exists \
     * (*created 0). */ \
    X(fac_alert_add, (eg_store *s, const eg_fac_alert *a, int *created), (s, a, created)) \
    /* Move the alert with key `dedup` in state `from_state` to `to_state`, \
     * resolved at `at` (*n: 0 or 1). */ \
    X(fac_alert_resolve, (eg_store *s, const char *dedup, const char *from_state, const char *to_state, eg_time at, long *n), (s, dedup, from_state, to_state, at, n)) \
    /* Alerts in `juris` and below (NULL: all), state (NULL: any), newest first. */ \
    X(fac_alert_each, (eg_store *s, const char *juris, const char *state, eg_fac_alert_fn fn, void *ctx), (s, juris, state, fn, ctx)) \
    /* Orders created at or before `as_at` by (division, measure, state, \
     * severity) at that moment (orders changed since have their state then \
     * rebuilt from their history): n[0] orders. */ \
    X(report_order_states, (eg_store *s, eg_time as_at, eg_rpt_row_fn fn, void *ctx), (s, as_at, fn, ctx)) \
    /* Transitions from <= at < to, at <= as_at, by (division, action, \
     * from_measure, from_state, measure, state): n[0] events. */ \
    X(report_order_events, (eg_store *s, eg_time as_at, eg_time from, eg_time to, eg_rpt_row_fn fn, void *ctx), (s, as_at, from, to, fn, ctx)) \
    /* Orders created from <= t < to, t <= as_at, by (division, the measure \
     * they began with): n[0] orders. */ \
    X(report_orders_created, (eg_store *s, eg_time as_at, eg_time from, eg_time to, eg_rpt_row_fn fn, void *ctx), (s, as_at, from, to, fn, ctx)) \
    /* Verification tasks open at `as_at` (created by then, not closed by \
     * then), by division: n[0] open, n[1] of them due at or before `due_by`. */ \
    X(report_tasks, (eg_store *s, eg_time as_at, eg_time due_by, eg_rpt_row_fn fn, void *ctx), (s, as_at, due_by, fn, ctx)) \
    /* Control alerts unresolved at `as_at`, by division: n[0] unresolved, \
     * n[1] of them due at or before `due_by`, n[2] of those acknowledged at \
     * or before `as_at`. */ \
    X(report_alerts, (eg_store *s, eg_time as_at, eg_time due_by, eg_rpt_row_fn fn, void *ctx), (s, as_at, due_by, fn, ctx)) \
    /* The facility module's alerts unresolved at `as_at`, by division: n[0] \
     * unresolved, n[1] of them due at or before `due_by`. */ \
    X(report_fac_alerts, (eg_store *s, eg_time as_at, eg_time due_by, eg_rpt_row_fn fn, void *ctx), (s, as_at, due_by, fn, ctx)) \
    /* Assistance requests by (division, state now as `kind`): n[0] created \
     * at or before `as_at`, n[1] created from <= t < to, t <= as_at. */ \
    X(report_requests, (eg_store *s, eg_time as_at, eg_time from, eg_time to, eg_rpt_row_fn fn, void *ctx), (s, as_at, from, to, fn, ctx)) \
    /* Hourly checkpoint logs of hours from <= hour < to, hour <= as_at, by \
     * the checkpoint's division: n[0] checks, n[1] fevers. */ \
    X(report_checks, (eg_store *s, eg_time as_at, eg_time from, eg_time to, eg_rpt_row_fn fn, void *ctx), (s, as_at, from, to, fn, ctx)) \
    /* Fevers found at or before `as_at` without an outcome at `as_at`, by \
     * division: n[0]. */ \
    X(report_referrals, (eg_store *s, eg_time as_at, eg_rpt_row_fn fn, void *ctx), (s, as_at, fn, ctx)) \
    /* Facilities created at or before `as_at`, by (division, kind, flag: \
     * standby places opened at or before `as_at`): n[0] places in use, n[1] \
     * standby places, n[2] stays open at `as_at`. */ \
    X(report_facilities, (eg_store *s, eg_time as_at, eg_rpt_row_fn fn, void *ctx), (s, as_at, fn, ctx)) \
    /* Store version v->version of v->date (EG_ERR_EXISTS when it exists). */ \
    X(report_put, (eg_store *s, const eg_report_version *v, const char *body), (s, v, body)) \
    /* Call fn with version `version` of `date` (0: the latest); \
     * EG_ERR_NOT_FOUND when none. */ \
    X(report_get, (eg_store *s, eg_date date, int version, eg_report_body_fn fn, void *ctx), (s, date, version, fn, ctx)) \
    /* Versions of a date, oldest first. */ \
    X(report_versions, (eg_store *s, eg_date date, eg_report_version_fn fn, void *ctx), (s, date, fn, ctx)) \

#define EG_STORE_OPS_SERVER(X) \
    /* Add a user; *id (may be NULL) receives its id. EG_ERR_EXISTS when the \
     * name is taken. */ \
    X(user_add, (eg_store *s, const eg_user_rec *r, int64_t *id), (s, r, id)) \
    /* The user named `name` (NULL: by id `id`). EG_ERR_NOT_FOUND when none. */ \
    X(user_get, (eg_store *s, const char *name, int64_t id, eg_user_fn fn, void *ctx), (s, name, id, fn, ctx)) \
    /* Every user, by id. */ \
    X(user_each, (eg_store *s, eg_user_fn fn, void *ctx), (s, fn, ctx)) \
    /* Set a user's password hash. EG_ERR_NOT_FOUND when no such user. */ \
    X(user_set_password, (eg_store *s, int64_t id, const char *pw_hash), (s, id, pw_hash)) \
    /* Revoke a user (inactive from `at`) and every session of theirs. \
     * EG_ERR_NOT_FOUND when no such user. */ \
    X(user_revoke, (eg_store *s, int64_t id, eg_time at), (s, id, at)) \
    /* Store a session: the token's hash, its user, when it was made and when \
     * it expires, and the client address. */ \
    X(session_add, (eg_store *s, const char *token_hash, int64_t user_id, eg_time created, eg_time expires, const char *addr), (s, token_hash, user_id, created, expires, addr)) \
    /* Call fn with the user of the session whose token hash is `token_hash` \
     * when it is neither revoked nor expired at `now` and the user is active; \
     * EG_ERR_NOT_FOUND otherwise. */ \
    X(session_user, (eg_store *s, const char *token_hash, eg_time now, eg_user_fn fn, void *ctx), (s, token_hash, now, fn, ctx)) \
    /* Revoke one session (logout). EG_ERR_NOT_FOUND when there is none. */ \
    X(session_revoke, (eg_store *s, const char *token_hash, eg_time at), (s, token_hash, at)) \
    /* Failed logins per key ("user:NAME", "addr:IP") in real (POSIX) seconds: \
     * add one failure at `unix_now` (the count starts again at 1 when the \
     * last failure is more than `window_s` seconds old: the caller's \
     * throttling window); read the count and the last failure; clear the \
     * key (after a successful login). */ \
    X(login_fail, (eg_store *s, const char *key, int64_t unix_now, long window_s), (s, key, unix_now, window_s)) \
    X(login_state, (eg_store *s, const char *key, long *failures, int64_t *last_unix), (s, key, failures, last_unix)) \
    X(login_clear, (eg_store *s, const char *key), (s, key)) \
    /* Savepoints inside an open transaction (the server's writer runs each \
     * request's changes in one, so that one failing request does not undo \
     * the others of its batch): set, release, roll back to. \
     * step: 0 set, 1 release, 2 roll back to (eg_store_savepoint* below). */ \
    X(savepoint_step, (eg_store *s, int step), (s, step)) \
    /* Make commits durable against power loss (SQLite synchronous = FULL) \
     * when `on`, else the default (NORMAL: durable against a crash of the \
     * process). */ \
    X(durable, (eg_store *s, int on), (s, on)) \
    /* Write-ahead log: set how many pages the log may hold before a commit \
     * copies it back (0: never; the server's checkpointer does it), and copy \
     * back what can be without waiting for readers (a passive checkpoint): \
     * pages >= 0 sets the limit, -1 checkpoints now (eg_store_wal_checkpoint). */ \
    X(wal_autocheckpoint, (eg_store *s, int pages), (s, pages)) \
    /* The person of opaque id `pid` within scope; EG_ERR_NOT_FOUND otherwise. */ \
    X(person_by_pid, (eg_store *s, const eg_scope *sc, const char *pid, eg_person_fn fn, void *ctx), (s, sc, pid, fn, ctx)) \
    /* Persons within scope and within `juris` (short code, NULL: the whole \
     * scope) after the key (after_juris, after_pid) (both "" for the start), \
     * ordered by (juris_code, pid), skipping `offset`, at most `limit`. */ \
    X(person_page, (eg_store *s, const eg_scope *sc, const char *juris, const char *after_juris, const char *after_pid, long offset, long limit, eg_person_fn fn, void *ctx), (s, sc, juris, after_juris, after_pid, offset, limit, fn, ctx)) \
    /* Persons within scope matching every given field (NULL or "" = any): \
     * normalised document number (exact), normalised name (exact), phone \
     * (exact), at most `limit`, by pid. */ \
    X(person_search, (eg_store *s, const eg_scope *sc, const char *id_no, const char *name_norm, const char *phone, long limit, eg_person_fn fn, void *ctx), (s, sc, id_no, name_norm, phone, limit, fn, ctx)) \
    /* Orders within scope and `juris` (NULL: whole scope), in `state` (NULL: \
     * any), starting in [from, to] (EG_NO_DATE: open), after the key \
     * (after_juris, after_id) ("" and 0: from the start), ordered by \
     * (juris_code, id) (one index range, no sort), at most `limit`. */ \
    X(order_page, (eg_store *s, const eg_scope *sc, const char *juris, const char *state, eg_date from, eg_date to, const char *after_juris, int64_t after_id, long limit, eg_order_row_fn fn, void *ctx), (s, sc, juris, state, from, to, after_juris, after_id, limit, fn, ctx)) \
    /* Tasks as eg_store_order_page (dates: created_at's date). */ \
    X(task_page, (eg_store *s, const eg_scope *sc, const char *juris, const char *state, eg_date from, eg_date to, const char *after_juris, int64_t after_id, long limit, eg_task_row_fn fn, void *ctx), (s, sc, juris, state, from, to, after_juris, after_id, limit, fn, ctx)) \
    /* Audit records with from <= at < to (0: open), actor `actor` (NULL: \
     * any), id > after_id, oldest first, at most `limit` (<= 0: all). */ \
    X(audit_page, (eg_store *s, eg_time from, eg_time to, const char *actor, int64_t after_id, long limit, eg_audit_fn fn, void *ctx), (s, from, to, actor, after_id, limit, fn, ctx)) \
    /* \
     * Pseudonymise every person whose last control order ended before \
     * `ended_before` (its end_date < the date): the document number becomes \
     * `PSEUDO-` and 16 hex digits everywhere it appears (person, orders, \
     * assistance requests, travel legs), name, phone, address and birth date \
     * are blanked; orders, tasks, counts and the division stay, so reports \
     * keep their numbers. *n receives how many persons (document numbers) \
     * were pseudonymised. Runs inside the caller's transaction. \
     */ \
    X(purge, (eg_store *s, eg_date ended_before, eg_time at, long *n), (s, ended_before, at, n)) \

/* Every storage operation, in one list. */
#define EG_STORE_OPERATIONS(X) \
    EG_STORE_OPS_CORE(X) EG_STORE_OPS_CONTROL(X) EG_STORE_OPS_FACILITY(X) EG_STORE_OPS_SERVER(X)

/* The public functions, eg_store_<name>. */
#define EG_STORE_DECLARE_OP(name, params, args) eg_err eg_store_##name params;
EG_STORE_OPERATIONS(EG_STORE_DECLARE_OP)
#undef EG_STORE_DECLARE_OP

/* Index of every operation (EG_STORE_OP_<name>), and how many there are. */
#define EG_STORE_OP_ENUM(name, params, args) EG_STORE_OP_##name,
typedef enum eg_store_op { EG_STORE_OPERATIONS(EG_STORE_OP_ENUM) EG_STORE_OP__COUNT } eg_store_op;
#undef EG_STORE_OP_ENUM

/* Savepoints inside an open transaction (set, release, roll back to), and
 * the write-ahead log's two operations, as the server uses them. */
static inline eg_err eg_store_savepoint(eg_store *s) { return eg_store_savepoint_step(s, 0); }
static inline eg_err eg_store_savepoint_release(eg_store *s) { return eg_store_savepoint_step(s, 1); }
static inline eg_err eg_store_savepoint_rollback(eg_store *s) { return eg_store_savepoint_step(s, 2); }
static inline eg_err eg_store_wal_checkpoint(eg_store *s) { return eg_store_wal_autocheckpoint(s, -1); }

/* ==== transactions: the one rule ====
 *
 * A service that changes the database opens and closes its transaction
 * through these, and only these (src/store/tx.c); adapters (the CLI, the
 * server's writer) use them too where they group several service calls.
 *
 *     eg_store_tx tx;
 *     if ((e = eg_store_tx_begin(s, &tx)))
 *         return e;
 *     e = ...the change...;
 *     if (!e)
 *         e = eg_store_tx_audit(&tx, &audit);   (its audit record, if any)
 *     e = eg_store_tx_end(&tx, e);              (commit, or roll back)
 *
 * Nesting: a transaction begun while another is open on the same handle
 * joins it as a savepoint. Its end releases the savepoint (the outermost
 * end commits everything) or, on an error, rolls back its own part only;
 * the caller then decides for the rest. Nothing is durable before the
 * outermost end commits, so a change and its audit record, written in one
 * transaction, commit together or not at all.
 *
 * Refused attempts: eg_store_tx_refused records an audit record that must
 * survive the rollback of the attempt it describes (a refused read or
 * write). Outside any transaction it is written at once in its own; inside
 * one it waits on the handle until the outermost end, which writes it with
 * the commit, or in a transaction of its own after the rollback.
 */

/* One level of transaction; on the caller's stack between begin and end. */
typedef struct eg_store_tx {
    eg_store *s;        /* the handle while open; NULL when begin failed, once ended */
    int nested;         /* 1: joined an open transaction (a savepoint) */
} eg_store_tx;

/* Begin a transaction on `s`, or join the open one (see above); tx is set
 * for eg_store_tx_end, which must follow exactly once when this returns
 * EG_OK. Returns EG_OK, EG_ERR_DB (the database refused: busy, read-only),
 * or EG_ERR_STATE (a transaction opened around this helper is open). */
eg_err eg_store_tx_begin(eg_store *s, eg_store_tx *tx);
/* Append audit record `r` inside open transaction `tx`, so that it commits
 * with the change or not at all. Returns eg_store_audit_add's result. */
eg_err eg_store_tx_audit(eg_store_tx *tx, const eg_audit_rec *r);
/* End `tx` with the outcome `e` of the work done in it: when e is EG_OK,
 * commit (nested: release the savepoint); otherwise roll back (nested: to
 * the savepoint). A failed commit or release rolls back too. The outermost
 * end then records the refusals waiting on the handle. Returns e when it
 * is an error, else EG_OK or the commit's error (EG_ERR_DB); either way
 * the transaction is over. */
eg_err eg_store_tx_end(eg_store_tx *tx, eg_err e);
/* The work of one transaction. */
typedef eg_err (*eg_store_tx_fn)(eg_store *s, void *ctx);
/* Run fn(s, ctx) in one transaction (begin, fn, end). Returns as
 * eg_store_tx_begin, else as eg_store_tx_end with fn's result. */
eg_err eg_store_tx_run(eg_store *s, eg_store_tx_fn fn, void *ctx);
/* Record refused attempt `r` (an audit record; its strings are copied) so
 * that no rollback undoes it. With no transaction open: written now in its
 * own transaction; returns EG_OK or the store's error. Inside one: kept
 * until the outermost eg_store_tx_end, which writes it before committing
 * (a failure then fails the commit) or, when it rolls back, in its own
 * transaction afterwards (a failure then is not reported: the rollback's
 * error is); returns EG_OK, or EG_ERR_NOMEM. */
eg_err eg_store_tx_refused(eg_store *s, const eg_audit_rec *r);
/* How many transaction levels are open on `s` (0: none). */
int eg_store_tx_depth(const eg_store *s);

/* ==== looking at the interface itself (contract suite, fault injection) ==== */

/* Name of operation `op` ("audit_add"); NULL when op is out of range. Static. */
const char *eg_store_op_name(eg_store_op op);
/* The operation named `name`; EG_STORE_OP__COUNT when there is none. */
eg_store_op eg_store_op_find(const char *name);
/* How many times operation `op` was called through handle `s` since it
 * was opened (the contract suite's coverage check). 0 when op is out of range. */
unsigned long eg_store_op_calls(const eg_store *s, eg_store_op op);
/*
 * Fault injection for tests: the `after`-th next call (0: the next one) of
 * operation `op` through `s`, and every later one, returns `err` without
 * reaching the backend, until eg_store_fault_clear. Shows that a failing
 * step rolls the whole change back (SQLite's own testing style).
 */
void eg_store_fault_set(eg_store *s, eg_store_op op, eg_err err, unsigned long after);
void eg_store_fault_clear(eg_store *s);

#ifdef __cplusplus
}
#endif
#endif
