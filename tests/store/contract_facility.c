/*
 * tests/store/contract_facility.c: contract cases of the facility,
 * checkpoint and daily-report operations (EG_STORE_OPS_FACILITY):
 * facilities, admissions, waits, order events, checkpoints, hourly logs,
 * fevers, facility alerts, the report's set queries and stored versions.
 * See contract.h.
 */
#include "contract.h"

/* A facility with every field set (occupied: not stored). */
static eg_facility a_facility(const char *id, const char *kind, const char *juris)
{
    eg_facility f;
    memset(&f, 0, sizeof f);
    SET(f.facility_id, id);
    SET(f.name, "东昌隔离点");
    SET(f.kind, kind);
    SET(f.juris_code, juris);
    f.places_in_use = 40;
    f.places_standby = 12;
    f.family_rooms = 3;
    SET(f.address, "新站街9号");
    f.synthetic = 1;
    f.created_at = ct_time(2020, 1, 30, 8, 0);
    return f;
}

/* Assert that two facilities are the same in every field. */
static void same_facility(const eg_facility *a, const eg_facility *b)
{
    EQS(a, b, facility_id);
    EQS(a, b, name);
    EQS(a, b, kind);
    EQS(a, b, juris_code);
    EQI(a, b, places_in_use);
    EQI(a, b, places_standby);
    EQI(a, b, family_rooms);
    EQS(a, b, address);
    EQI(a, b, synthetic);
    EQI(a, b, standby_opened_at);
    EQI(a, b, created_at);
    EQI(a, b, occupied);
}

typedef struct facs {
    int n;
    eg_facility v[4];
} facs;

static eg_err keep_facility(void *ctx, const eg_facility *f)
{
    facs *x = ctx;
    assert_true(x->n < 4);
    x->v[x->n++] = *f;
    return EG_OK;
}

/* facility_put/get/each/open_standby: every field, created flag, update
 * keeps created_at and standby_opened_at, not found, filters, by id,
 * rollback. */
static void facility_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    facs x = { 0 };
    int created = -1;
    eg_facility got;
    assert_int_equal(eg_store_facility_get(s, "F1", &got), EG_ERR_NOT_FOUND);
    eg_facility a = a_facility("F2", "isolation_site", "220502");
    eg_facility b = a_facility("F1", "fever_clinic", "220602");
    OK(eg_store_facility_put(s, &a, &created));
    assert_int_equal(created, 1);
    OK(eg_store_facility_put(s, &b, NULL));
    OK(eg_store_facility_get(s, "F2", &got));
    same_facility(&got, &a);
    OK(eg_store_begin(s)); /* rolled back: not opened */
    OK(eg_store_facility_open_standby(s, "F2", ct_time(2020, 2, 4, 9, 0)));
    OK(eg_store_rollback(s));
    OK(eg_store_facility_get(s, "F2", &got));
    assert_int_equal(got.standby_opened_at, 0);
    OK(eg_store_facility_open_standby(s, "F2", ct_time(2020, 2, 5, 9, 0)));
    a.standby_opened_at = ct_time(2020, 2, 5, 9, 0);
    eg_facility w = a;
    SET(w.name, "东昌二号点");
    SET(w.kind, "designated_hospital");
    SET(w.juris_code, "220503");
    w.places_in_use = 50;
    w.places_standby = 0;
    w.family_rooms = 0;
    SET(w.address, "");
    w.synthetic = 0;
    w.standby_opened_at = 0;                   /* kept */
    w.created_at = ct_time(2020, 2, 9, 0, 0);  /* kept */
    OK(eg_store_facility_put(s, &w, &created));
    assert_int_equal(created, 0);
    w.standby_opened_at = a.standby_opened_at;
    w.created_at = a.created_at;
    OK(eg_store_facility_get(s, "F2", &got));
    same_facility(&got, &w);
    OK(eg_store_facility_each(s, NULL, NULL, keep_facility, &x));
    assert_int_equal(x.n, 2);
    assert_string_equal(x.v[0].facility_id, "F1");
    assert_string_equal(x.v[1].facility_id, "F2");
    memset(&x, 0, sizeof x);
    OK(eg_store_facility_each(s, "2206", "", keep_facility, &x));
    assert_true(x.n == 1 && strcmp(x.v[0].facility_id, "F1") == 0);
    memset(&x, 0, sizeof x);
    OK(eg_store_facility_each(s, "", "designated_hospital", keep_facility, &x));
    assert_true(x.n == 1 && strcmp(x.v[0].facility_id, "F2") == 0);
    eg_facility c = a_facility("F3", "isolation_site", "2205");
    OK(eg_store_begin(s));
    OK(eg_store_facility_put(s, &c, NULL));
    OK(eg_store_rollback(s));
    assert_int_equal(eg_store_facility_get(s, "F3", &got), EG_ERR_NOT_FOUND);
    eg_test_store_close(s);
}

/* An order (control module) for admissions and waits. */
static eg_ctl_order an_order(eg_store *s, const char *id_no, const char *state, eg_time created)
{
    eg_ctl_order o;
    memset(&o, 0, sizeof o);
    SET(o.id_no, id_no);
    SET(o.name, "褚三");
    SET(o.measure, "central_isolation");
    SET(o.state, state);
    o.start_date = ct_date(2020, 2, 1);
    o.end_date = ct_date(2020, 2, 15);
    SET(o.rules, "R1");
    SET(o.juris_code, "220502");
    o.created_at = created;
    o.updated_at = created;
    o.prior_start = o.prior_end = o.not_before = EG_NO_DATE;
    OK(eg_store_ctl_order_insert(s, &o));
    return o;
}

/* An event of order `o` at `at` from (fm, fs) to (tm, ts). */
static void an_event(eg_store *s, const eg_ctl_order *o, eg_time at, const char *action, const char *fm,
                     const char *fs, const char *tm, const char *ts)
{
    eg_ctl_event e;
    memset(&e, 0, sizeof e);
    e.order_id = o->id;
    e.at = at;
    SET(e.actor, "os:a");
    SET(e.action, action);
    SET(e.from_measure, fm);
    SET(e.from_state, fs);
    SET(e.to_measure, tm);
    SET(e.to_state, ts);
    OK(eg_store_ctl_event_add(s, &e));
}

/* Assert that two admissions are the same in every field. */
static void same_admission(const eg_admission *a, const eg_admission *b)
{
    EQI(a, b, id);
    EQS(a, b, facility_id);
    EQS(a, b, kind);
    EQI(a, b, order_id);
    EQS(a, b, oid);
    EQS(a, b, id_no);
    EQS(a, b, name);
    EQS(a, b, juris_code);
    EQI(a, b, wait_since);
    EQI(a, b, admitted_at);
    EQI(a, b, waited_min);
    EQI(a, b, discharged_at);
    EQS(a, b, discharge_reason);
    EQS(a, b, actor);
}

typedef struct adms {
    int n;
    eg_admission v[4];
} adms;

static eg_err keep_admission(void *ctx, const eg_admission *a)
{
    adms *x = ctx;
    assert_true(x->n < 4);
    x->v[x->n++] = *a;
    return EG_OK;
}

/* admission_add/get/open/latest/close/each: every field (oid from the
 * order, waited_min computed), one open stay per order, not found,
 * latest by admission moment, filters, by id, occupied counts, rollback. */
static void admission_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    adms x = { 0 };
    int64_t id = 0, id2 = 0;
    eg_admission got;
    eg_facility f = a_facility("F1", "isolation_site", "220502");
    OK(eg_store_facility_put(s, &f, NULL));
    eg_ctl_order o = an_order(s, "P1", "active", ct_time(2020, 2, 1, 8, 0));
    eg_ctl_order o2 = an_order(s, "P2", "active", ct_time(2020, 2, 1, 8, 0));
    assert_int_equal(eg_store_admission_get(s, 1, &got), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_store_admission_open(s, o.id, &got), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_store_admission_latest(s, o.id, &got), EG_ERR_NOT_FOUND);
    eg_admission a;
    memset(&a, 0, sizeof a);
    SET(a.facility_id, "F1");
    SET(a.kind, "isolation_site");
    a.order_id = o.id;
    SET(a.id_no, "P1");
    SET(a.name, "褚三");
    SET(a.juris_code, "220502");
    a.wait_since = ct_time(2020, 2, 1, 8, 0);
    a.admitted_at = ct_time(2020, 2, 1, 10, 30);
    SET(a.actor, "user:fac");
    OK(eg_store_admission_add(s, &a, &id));
    assert_true(id > 0);
    a.id = id;
    SET(a.oid, o.oid);
    a.waited_min = 150;
    OK(eg_store_admission_get(s, id, &got));
    same_admission(&got, &a);
    OK(eg_store_admission_open(s, o.id, &got));
    same_admission(&got, &a);
    /* a second open stay of the same order is refused */
    assert_int_equal(eg_store_admission_add(s, &a, NULL), EG_ERR_DB);
    OK(eg_store_facility_get(s, "F1", &f));
    assert_int_equal(f.occupied, 1);
    /* close, then a new stay: latest is the new one */
    OK(eg_store_admission_close(s, id, ct_time(2020, 2, 3, 9, 0), "transfer"));
    a.discharged_at = ct_time(2020, 2, 3, 9, 0);
    SET(a.discharge_reason, "transfer");
    OK(eg_store_admission_get(s, id, &got));
    same_admission(&got, &a);
    assert_int_equal(eg_store_admission_open(s, o.id, &got), EG_ERR_NOT_FOUND);
    eg_admission b = a;
    b.id = 0;
    b.wait_since = 0;
    b.admitted_at = ct_time(2020, 2, 3, 11, 0);
    b.discharged_at = 0;
    SET(b.discharge_reason, "");
    OK(eg_store_admission_add(s, &b, &id2));
    OK(eg_store_admission_latest(s, o.id, &got));
    assert_int_equal(got.id, id2);
    assert_int_equal(got.waited_min, 0);
    eg_admission c = b;
    c.order_id = o2.id;
    SET(c.id_no, "P2");
    OK(eg_store_begin(s)); /* rolled back: absent */
    OK(eg_store_admission_add(s, &c, NULL));
    OK(eg_store_rollback(s));
    assert_int_equal(eg_store_admission_open(s, o2.id, &got), EG_ERR_NOT_FOUND);
    OK(eg_store_admission_add(s, &c, NULL));
    OK(eg_store_admission_each(s, NULL, 0, keep_admission, &x));
    assert_int_equal(x.n, 3);
    assert_true(x.v[0].id == id && x.v[1].id == id2);
    memset(&x, 0, sizeof x);
    OK(eg_store_admission_each(s, "F1", 1, keep_admission, &x));
    assert_true(x.n == 2 && x.v[0].id == id2);
    memset(&x, 0, sizeof x);
    OK(eg_store_admission_each(s, "F9", 0, keep_admission, &x));
    assert_int_equal(x.n, 0);
    /* a stay in a facility that does not exist is refused */
    eg_admission d = c;
    SET(d.facility_id, "F9");
    d.order_id = o.id + 100;
    assert_int_equal(eg_store_admission_add(s, &d, NULL), EG_ERR_DB);
    OK(eg_store_begin(s));
    OK(eg_store_admission_close(s, id2, ct_time(2020, 2, 4, 0, 0), "rolled"));
    OK(eg_store_rollback(s));
    OK(eg_store_admission_open(s, o.id, &got));
    assert_int_equal(got.id, id2);
    eg_test_store_close(s);
}

typedef struct waits {
    int n;
    int64_t order_id[4];
    eg_time since[4];
    char oid[4][20];
} waits;

static eg_err keep_awaiting(void *ctx, int64_t order_id, const char *oid, const char *id_no, const char *name,
                            const char *juris_code, eg_time wait_since)
{
    waits *x = ctx;
    assert_true(x->n < 4);
    assert_string_equal(name, "褚三");
    assert_string_equal(juris_code, "220502");
    assert_true(id_no[0] == 'P');
    SET(x->oid[x->n], oid);
    x->order_id[x->n] = order_id;
    x->since[x->n++] = wait_since;
    return EG_OK;
}

typedef struct fevents {
    int n;
    int64_t order_id[4];
    char action[4][32];
} fevents;

static eg_err keep_fac_event(void *ctx, const eg_ctl_event *e, const char *oid, const char *id_no,
                             const char *name, const char *juris_code)
{
    fevents *x = ctx;
    assert_true(x->n < 4);
    assert_true(e->id > 0);
    assert_string_equal(id_no, "P1");
    assert_string_equal(name, "褚三");
    assert_string_equal(juris_code, "220502");
    assert_int_equal(strlen(oid), 16);
    assert_string_equal(e->to_state, "awaiting_admission");
    x->order_id[x->n] = e->order_id;
    SET(x->action[x->n++], e->action);
    return EG_OK;
}

/* awaiting_each, wait_since, fac_events: the state at a moment rebuilt
 * from the history, the start of the wait, the state the service names,
 * events in [from, to) in event order; not found. */
static void waits_and_events_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    waits x = { 0 };
    fevents y = { 0 };
    eg_time since = 0;
    /* waiting since creation */
    eg_ctl_order a = an_order(s, "P2", "awaiting_admission", ct_time(2020, 2, 1, 8, 0));
    /* became awaiting at 10:00 by an event, still awaiting */
    eg_ctl_order b = an_order(s, "P1", "active", ct_time(2020, 2, 1, 7, 0));
    SET(b.state, "awaiting_admission");
    b.updated_at = ct_time(2020, 2, 1, 10, 0);
    OK(eg_store_ctl_order_save(s, &b));
    an_event(s, &b, ct_time(2020, 2, 1, 10, 0), "expose", "central_isolation", "active", "central_isolation",
             "awaiting_admission");
    an_event(s, &b, ct_time(2020, 2, 1, 9, 0), "open", "", "", "central_isolation", "awaiting_admission");
    assert_int_equal(eg_store_wait_since(s, b.id + a.id + 100, "awaiting_admission", &since), EG_ERR_NOT_FOUND);
    OK(eg_store_wait_since(s, a.id, "awaiting_admission", &since));
    assert_int_equal(since, ct_time(2020, 2, 1, 8, 0));
    OK(eg_store_wait_since(s, b.id, "awaiting_admission", &since));
    assert_int_equal(since, ct_time(2020, 2, 1, 10, 0));
    /* another state: b never entered "active" by an event: its creation */
    OK(eg_store_wait_since(s, b.id, "active", &since));
    assert_int_equal(since, ct_time(2020, 2, 1, 7, 0));
    OK(eg_store_awaiting_each(s, ct_time(2020, 2, 1, 11, 0), "awaiting_admission", keep_awaiting, &x));
    assert_int_equal(x.n, 2);
    int ia = x.order_id[0] == a.id ? 0 : 1, ib = 1 - ia; /* no order documented */
    assert_int_equal(x.order_id[ia], a.id);
    assert_string_equal(x.oid[ia], a.oid);
    assert_int_equal(x.since[ia], ct_time(2020, 2, 1, 8, 0));
    assert_int_equal(x.order_id[ib], b.id);
    assert_string_equal(x.oid[ib], b.oid);
    assert_int_equal(x.since[ib], ct_time(2020, 2, 1, 10, 0));
    /* at 09:30 b was still active (its event at 10:00 came from active) */
    memset(&x, 0, sizeof x);
    OK(eg_store_awaiting_each(s, ct_time(2020, 2, 1, 9, 30), "awaiting_admission", keep_awaiting, &x));
    assert_true(x.n == 1 && x.order_id[0] == a.id);
    /* in state "active" at 09:30: b alone, since its creation */
    memset(&x, 0, sizeof x);
    OK(eg_store_awaiting_each(s, ct_time(2020, 2, 1, 9, 30), "active", keep_awaiting, &x));
    assert_true(x.n == 1 && x.order_id[0] == b.id);
    assert_int_equal(x.since[0], ct_time(2020, 2, 1, 7, 0));
    memset(&x, 0, sizeof x);
    OK(eg_store_awaiting_each(s, ct_time(2020, 2, 1, 11, 0), "active", keep_awaiting, &x));
    assert_int_equal(x.n, 0);
    /* before a was created: nothing */
    memset(&x, 0, sizeof x);
    OK(eg_store_awaiting_each(s, ct_time(2020, 2, 1, 6, 0), "awaiting_admission", keep_awaiting, &x));
    assert_int_equal(x.n, 0);
    /* events in [from, to), by moment */
    OK(eg_store_fac_events(s, ct_time(2020, 2, 1, 0, 0), ct_time(2020, 2, 2, 0, 0), keep_fac_event, &y));
    assert_int_equal(y.n, 2);
    assert_string_equal(y.action[0], "open");
    assert_string_equal(y.action[1], "expose");
    memset(&y, 0, sizeof y);
    OK(eg_store_fac_events(s, ct_time(2020, 2, 1, 9, 0), ct_time(2020, 2, 1, 10, 0), keep_fac_event, &y));
    assert_true(y.n == 1 && strcmp(y.action[0], "open") == 0);
    eg_test_store_close(s);
}

/* ---- checkpoints ---- */

typedef struct cps {
    int n;
    eg_checkpoint v[4];
    long checked[4], fevers[4], referrals[4], without[4];
} cps;

static eg_err keep_checkpoint(void *ctx, const eg_checkpoint *c)
{
    cps *x = ctx;
    assert_true(x->n < 4);
    x->v[x->n++] = *c;
    return EG_OK;
}

static eg_err keep_totals(void *ctx, const eg_checkpoint *c, long checked, long fevers, long referrals,
                          long without_outcome)
{
    cps *x = ctx;
    assert_true(x->n < 4);
    x->checked[x->n] = checked;
    x->fevers[x->n] = fevers;
    x->referrals[x->n] = referrals;
    x->without[x->n] = without_outcome;
    x->v[x->n++] = *c;
    return EG_OK;
}

/* A checkpoint with every field set. */
static eg_checkpoint a_checkpoint(const char *id, const char *juris)
{
    eg_checkpoint c;
    memset(&c, 0, sizeof c);
    SET(c.checkpoint_id, id);
    SET(c.name, "通化站");
    SET(c.kind, "railway_station");
    SET(c.juris_code, juris);
    c.max_checks_per_hour = 600;
    c.synthetic = 1;
    c.created_at = ct_time(2020, 1, 30, 8, 0);
    return c;
}

/* Assert that two checkpoints are the same in every field. */
static void same_checkpoint(const eg_checkpoint *a, const eg_checkpoint *b)
{
    EQS(a, b, checkpoint_id);
    EQS(a, b, name);
    EQS(a, b, kind);
    EQS(a, b, juris_code);
    EQI(a, b, max_checks_per_hour);
    EQI(a, b, synthetic);
    EQI(a, b, created_at);
}

/* checkpoint_put/get/each, check_log_put, check_totals: every field,
 * created and updated flags, not found, by id, the log's constraints
 * (fevers <= checked, a known checkpoint), totals over a window, rollback. */
static void checkpoint_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    cps x = { 0 };
    int created = -1, updated = -1;
    eg_checkpoint got;
    assert_int_equal(eg_store_checkpoint_get(s, "C1", &got), EG_ERR_NOT_FOUND);
    eg_checkpoint a = a_checkpoint("C2", "220502");
    eg_checkpoint b = a_checkpoint("C1", "220602");
    OK(eg_store_checkpoint_put(s, &a, &created));
    assert_int_equal(created, 1);
    OK(eg_store_checkpoint_put(s, &b, NULL));
    OK(eg_store_checkpoint_get(s, "C2", &got));
    same_checkpoint(&got, &a);
    eg_checkpoint w = a;
    SET(w.name, "通化东站");
    SET(w.kind, "road");
    SET(w.juris_code, "220503");
    w.max_checks_per_hour = 0;
    w.synthetic = 0;
    w.created_at = ct_time(2020, 2, 9, 0, 0); /* kept */
    OK(eg_store_checkpoint_put(s, &w, &created));
    assert_int_equal(created, 0);
    w.created_at = a.created_at;
    OK(eg_store_checkpoint_get(s, "C2", &got));
    same_checkpoint(&got, &w);
    OK(eg_store_checkpoint_each(s, NULL, keep_checkpoint, &x));
    assert_int_equal(x.n, 2);
    assert_string_equal(x.v[0].checkpoint_id, "C1");
    memset(&x, 0, sizeof x);
    OK(eg_store_checkpoint_each(s, "2205", keep_checkpoint, &x));
    assert_true(x.n == 1 && strcmp(x.v[0].checkpoint_id, "C2") == 0);
    /* hourly logs */
    eg_time h8 = ct_time(2020, 2, 2, 8, 0), h9 = ct_time(2020, 2, 2, 9, 0);
    OK(eg_store_check_log_put(s, "C2", h8, 100, 2, h9, &updated));
    assert_int_equal(updated, 0);
    OK(eg_store_check_log_put(s, "C2", h8, 120, 3, h9, &updated));
    assert_int_equal(updated, 1);
    OK(eg_store_check_log_put(s, "C2", h9, 50, 0, h9, NULL));
    assert_int_equal(eg_store_check_log_put(s, "C2", h9, 5, 6, h9, NULL), EG_ERR_DB);
    assert_int_equal(eg_store_check_log_put(s, "C9", h9, 5, 1, h9, NULL), EG_ERR_DB);
    OK(eg_store_begin(s));
    OK(eg_store_check_log_put(s, "C2", ct_time(2020, 2, 2, 10, 0), 999, 0, h9, NULL));
    OK(eg_store_rollback(s));
    memset(&x, 0, sizeof x);
    OK(eg_store_check_totals(s, 0, 0, keep_totals, &x));
    assert_int_equal(x.n, 2);
    assert_string_equal(x.v[0].checkpoint_id, "C1");
    assert_int_equal(x.checked[0], 0);
    assert_string_equal(x.v[1].checkpoint_id, "C2");
    same_checkpoint(&x.v[1], &w);
    assert_int_equal(x.checked[1], 170);
    assert_int_equal(x.fevers[1], 3);
    memset(&x, 0, sizeof x);
    OK(eg_store_check_totals(s, h9, ct_time(2020, 2, 3, 0, 0), keep_totals, &x));
    assert_int_equal(x.checked[1], 50);
    assert_int_equal(x.fevers[1], 0);
    eg_checkpoint c = a_checkpoint("C3", "2205");
    OK(eg_store_begin(s));
    OK(eg_store_checkpoint_put(s, &c, NULL));
    OK(eg_store_rollback(s));
    assert_int_equal(eg_store_checkpoint_get(s, "C3", &got), EG_ERR_NOT_FOUND);
    eg_test_store_close(s);
}

/* Assert that two fevers are the same in every field. */
static void same_fever(const eg_fever *a, const eg_fever *b)
{
    EQI(a, b, id);
    EQS(a, b, fid);
    EQS(a, b, checkpoint_id);
    EQS(a, b, juris_code);
    EQI(a, b, at);
    EQI(a, b, temp_dc);
    EQS(a, b, id_no);
    EQS(a, b, name);
    EQS(a, b, phone);
    EQS(a, b, destination);
    EQS(a, b, clinic_id);
    EQI(a, b, due_at);
    EQS(a, b, outcome);
    EQI(a, b, outcome_at);
    EQS(a, b, outcome_by);
    EQI(a, b, recorded_at);
}

typedef struct fevers {
    int n;
    eg_fever v[4];
} fevers;

static eg_err keep_fever(void *ctx, const eg_fever *f)
{
    fevers *x = ctx;
    assert_true(x->n < 4);
    x->v[x->n++] = *f;
    return EG_OK;
}

/* fever_add/get/save/each (and check_totals' referral counts): every
 * field, the duplicate, the temperature constraint, not found, filters,
 * by moment, rollback. */
static void fever_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    fevers x = { 0 };
    cps t = { 0 };
    int dup = -1;
    eg_fever got;
    eg_checkpoint c = a_checkpoint("C1", "220502");
    OK(eg_store_checkpoint_put(s, &c, NULL));
    assert_int_equal(eg_store_fever_get(s, "0000000000000000", &got), EG_ERR_NOT_FOUND);
    eg_fever f;
    memset(&f, 0, sizeof f);
    SET(f.checkpoint_id, "C1");
    SET(f.juris_code, "220502");
    f.at = ct_time(2020, 2, 2, 9, 10);
    f.temp_dc = 381;
    SET(f.id_no, "P1");
    SET(f.name, "卫四");
    SET(f.phone, "13700000000");
    SET(f.destination, "东昌区医院");
    SET(f.clinic_id, "F1");
    f.due_at = ct_time(2020, 2, 2, 13, 10);
    f.recorded_at = ct_time(2020, 2, 2, 9, 12);
    eg_fever keep = f;
    OK(eg_store_fever_add(s, &f, &dup));
    assert_int_equal(dup, 0);
    assert_true(f.id > 0);
    assert_int_equal(strlen(f.fid), 16);
    eg_fever again = keep; /* the same checkpoint, moment, temperature and person */
    OK(eg_store_fever_add(s, &again, &dup));
    assert_int_equal(dup, 1);
    again = f; /* the stored record itself, its id set, is a duplicate too */
    OK(eg_store_fever_add(s, &again, &dup));
    assert_int_equal(dup, 1);
    assert_int_equal(again.id, 0);
    OK(eg_store_fever_get(s, f.fid, &got));
    same_fever(&got, &f);
    /* the threshold is the service's (schema 8 dropped CHECK(temp_dc >= 373)):
     * a 37.2 °C fever, kept under a lowered threshold, is stored as given */
    eg_fever cold = keep;
    cold.temp_dc = 372;
    OK(eg_store_begin(s));
    OK(eg_store_fever_add(s, &cold, &dup));
    assert_int_equal(dup, 0);
    OK(eg_store_fever_get(s, cold.fid, &got));
    assert_int_equal(got.temp_dc, 372);
    OK(eg_store_rollback(s));
    eg_fever g = keep;
    g.at = ct_time(2020, 2, 2, 8, 0); /* earlier */
    g.due_at = ct_time(2020, 2, 2, 12, 0);
    SET(g.juris_code, "220503");
    OK(eg_store_fever_add(s, &g, &dup));
    /* outcome */
    SET(f.outcome, "normal");
    f.outcome_at = ct_time(2020, 2, 2, 12, 0);
    SET(f.outcome_by, "user:clinic");
    OK(eg_store_begin(s)); /* rolled back: no outcome */
    OK(eg_store_fever_save(s, &f));
    OK(eg_store_rollback(s));
    OK(eg_store_fever_get(s, f.fid, &got));
    assert_string_equal(got.outcome, "");
    assert_int_equal(got.outcome_at, 0);
    OK(eg_store_fever_save(s, &f));
    OK(eg_store_fever_get(s, f.fid, &got));
    same_fever(&got, &f);
    OK(eg_store_fever_each(s, NULL, 0, 0, keep_fever, &x));
    assert_int_equal(x.n, 2);
    assert_true(x.v[0].id == g.id && x.v[1].id == f.id);
    memset(&x, 0, sizeof x);
    OK(eg_store_fever_each(s, NULL, 1, 0, keep_fever, &x));
    assert_true(x.n == 1 && x.v[0].id == g.id);
    memset(&x, 0, sizeof x);
    OK(eg_store_fever_each(s, "220502", 0, 0, keep_fever, &x));
    assert_true(x.n == 1 && x.v[0].id == f.id);
    memset(&x, 0, sizeof x);
    OK(eg_store_fever_each(s, NULL, 0, ct_time(2020, 2, 2, 12, 0), keep_fever, &x));
    assert_true(x.n == 1 && x.v[0].id == g.id);
    OK(eg_store_check_totals(s, 0, 0, keep_totals, &t));
    assert_int_equal(t.referrals[0], 2);
    assert_int_equal(t.without[0], 1);
    eg_fever h = keep;
    h.at = ct_time(2020, 2, 2, 10, 0);
    OK(eg_store_begin(s));
    OK(eg_store_fever_add(s, &h, &dup));
    OK(eg_store_rollback(s));
    assert_int_equal(eg_store_fever_get(s, h.fid, &got), EG_ERR_NOT_FOUND);
    eg_test_store_close(s);
}

typedef struct falerts {
    int n;
    eg_fac_alert v[4];
} falerts;

static eg_err keep_fac_alert(void *ctx, const eg_fac_alert *a)
{
    falerts *x = ctx;
    assert_true(x->n < 4);
    x->v[x->n++] = *a;
    return EG_OK;
}

/* fac_alert_add/resolve/each: every field (the state as given), the dedup
 * key, resolving once from the state named to the state named, filters,
 * newest first, rollback. */
static void fac_alert_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    falerts x = { 0 };
    int created = -1;
    long n = -1;
    eg_fac_alert a;
    memset(&a, 0, sizeof a);
    SET(a.kind, "standby_threshold");
    SET(a.juris_code, "220502");
    SET(a.subject, "F1");
    SET(a.reason, "90% occupied");
    SET(a.state, "open");
    SET(a.dedup, "standby:F1");
    a.created_at = ct_time(2020, 2, 2, 9, 0);
    a.due_at = ct_time(2020, 2, 2, 21, 0);
    OK(eg_store_fac_alert_add(s, &a, &created));
    assert_int_equal(created, 1);
    OK(eg_store_fac_alert_add(s, &a, &created));
    assert_int_equal(created, 0);
    eg_fac_alert b = a;
    SET(b.kind, "county_full");
    SET(b.juris_code, "2206");
    SET(b.dedup, "full:2206");
    OK(eg_store_begin(s)); /* rolled back: absent, its key free again */
    OK(eg_store_fac_alert_add(s, &b, &created));
    assert_int_equal(created, 1);
    OK(eg_store_rollback(s));
    OK(eg_store_fac_alert_add(s, &b, &created));
    assert_int_equal(created, 1);
    OK(eg_store_fac_alert_each(s, NULL, NULL, keep_fac_alert, &x));
    assert_int_equal(x.n, 2);
    assert_string_equal(x.v[0].kind, "county_full"); /* newest first */
    const eg_fac_alert *g = &x.v[1];
    assert_true(g->id > 0);
    assert_int_equal(strlen(g->aid), 16);
    EQS(g, &a, kind);
    EQS(g, &a, juris_code);
    EQS(g, &a, subject);
    EQS(g, &a, reason);
    EQS(g, &a, state);
    EQS(g, &a, dedup);
    EQI(g, &a, created_at);
    EQI(g, &a, due_at);
    assert_int_equal(g->resolved_at, 0);
    OK(eg_store_begin(s));
    OK(eg_store_fac_alert_resolve(s, "standby:F1", "open", "resolved", ct_time(2020, 2, 2, 10, 0), &n));
    assert_int_equal(n, 1);
    OK(eg_store_rollback(s));
    /* not in the state named: unchanged */
    OK(eg_store_fac_alert_resolve(s, "standby:F1", "acknowledged", "resolved", ct_time(2020, 2, 2, 10, 30), &n));
    assert_int_equal(n, 0);
    OK(eg_store_fac_alert_resolve(s, "standby:F1", "open", "resolved", ct_time(2020, 2, 2, 11, 0), &n));
    assert_int_equal(n, 1);
    OK(eg_store_fac_alert_resolve(s, "standby:F1", "open", "resolved", ct_time(2020, 2, 2, 12, 0), &n));
    assert_int_equal(n, 0);
    OK(eg_store_fac_alert_resolve(s, "none", "open", "resolved", ct_time(2020, 2, 2, 12, 0), &n));
    assert_int_equal(n, 0);
    /* an alert stored in another state, moved to a third */
    eg_fac_alert c = a;
    SET(c.state, "muted");
    SET(c.dedup, "muted:F2");
    OK(eg_store_fac_alert_add(s, &c, &created));
    assert_int_equal(created, 1);
    memset(&x, 0, sizeof x);
    OK(eg_store_fac_alert_each(s, NULL, "muted", keep_fac_alert, &x));
    assert_true(x.n == 1 && strcmp(x.v[0].dedup, "muted:F2") == 0);
    OK(eg_store_fac_alert_resolve(s, "muted:F2", "muted", "dismissed", ct_time(2020, 2, 2, 13, 0), &n));
    assert_int_equal(n, 1);
    memset(&x, 0, sizeof x);
    OK(eg_store_fac_alert_each(s, NULL, "dismissed", keep_fac_alert, &x));
    assert_true(x.n == 1 && strcmp(x.v[0].dedup, "muted:F2") == 0);
    assert_int_equal(x.v[0].resolved_at, ct_time(2020, 2, 2, 13, 0));
    memset(&x, 0, sizeof x);
    OK(eg_store_fac_alert_each(s, "2205", "resolved", keep_fac_alert, &x));
    assert_int_equal(x.n, 1);
    assert_string_equal(x.v[0].state, "resolved");
    assert_int_equal(x.v[0].resolved_at, ct_time(2020, 2, 2, 11, 0));
    memset(&x, 0, sizeof x);
    OK(eg_store_fac_alert_each(s, "", "open", keep_fac_alert, &x));
    assert_true(x.n == 1 && strcmp(x.v[0].dedup, "full:2206") == 0);
    eg_test_store_close(s);
}

/* ---- the daily report ---- */

/* The groups of a report query, merged by key (a backend may hand one key
 * in more than one group: the services add them up) and without those
 * whose counts are all zero (they add nothing), as one text: a line
 * "division|measure|state|severity|action|from_measure|from_state|kind|flag
 * =n0,n1,n2" per key, sorted (the queries document no order). */
typedef struct groups {
    int n;
    char key[16][160];
    long v[16][3];
    char text[2048];
} groups;

static eg_err keep_group(void *ctx, const eg_rpt_row *r)
{
    groups *x = ctx;
    char key[160];
    int i;
    snprintf(key, sizeof key, "%s|%s|%s|%s|%s|%s|%s|%s|%d", r->juris_code, r->measure, r->state, r->severity,
             r->action, r->from_measure, r->from_state, r->kind, r->flag);
    for (i = 0; i < x->n && strcmp(x->key[i], key) != 0; i++)
        ;
    if (i == x->n) {
        assert_true(x->n < 16);
        SET(x->key[x->n], key);
        x->n++;
    }
    for (int k = 0; k < 3; k++)
        x->v[i][k] += r->n[k];
    return EG_OK;
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The text of the groups gathered in x (see groups), reset for the next
 * query; returns x->text. */
static const char *groups_text(groups *x)
{
    char lines[16][200];
    const char *sorted[16];
    int m = 0;
    size_t len = 0;
    for (int i = 0; i < x->n; i++) {
        if (!x->v[i][0] && !x->v[i][1] && !x->v[i][2])
            continue;
        snprintf(lines[m], sizeof lines[m], "%s=%ld,%ld,%ld", x->key[i], x->v[i][0], x->v[i][1], x->v[i][2]);
        sorted[m] = lines[m];
        m++;
    }
    qsort(sorted, (size_t)m, sizeof sorted[0], cmp_line);
    x->text[0] = 0;
    for (int i = 0; i < m; i++)
        len += (size_t)snprintf(x->text + len, sizeof x->text - len, "%s%s", i ? "\n" : "", sorted[i]);
    x->n = 0;
    memset(x->v, 0, sizeof x->v);
    return x->text;
}

/* Keep the record handed (a limit-1 query) in *ctx. */
static eg_err keep_one_alert(void *ctx, const eg_ctl_alert *a)
{
    *(eg_ctl_alert *)ctx = *a;
    return EG_OK;
}

/* Keep the record handed (a limit-1 query) in *ctx. */
static eg_err keep_one_task(void *ctx, const eg_ctl_task *t)
{
    *(eg_ctl_task *)ctx = *t;
    return EG_OK;
}

/* An order with the division, measure, state and severity given, created
 * (and last changed) at `created`. */
static eg_ctl_order rpt_order(eg_store *s, const char *id_no, const char *juris, const char *measure,
                              const char *state, const char *severity, eg_time created)
{
    eg_ctl_order o;
    memset(&o, 0, sizeof o);
    SET(o.id_no, id_no);
    SET(o.name, "褚三");
    SET(o.measure, measure);
    SET(o.state, state);
    SET(o.severity, severity);
    o.start_date = ct_date(2020, 2, 1);
    o.end_date = ct_date(2020, 2, 15);
    SET(o.rules, "R1");
    SET(o.juris_code, juris);
    o.created_at = created;
    o.updated_at = created;
    o.prior_start = o.prior_end = o.not_before = EG_NO_DATE;
    OK(eg_store_ctl_order_insert(s, &o));
    return o;
}

/* report_order_states, report_order_events, report_orders_created: orders
 * by (division, measure, state, severity) at a moment (those changed since
 * rebuilt from their history), the transitions and the new orders (by the
 * measure they began with) of a window, nothing after as_at. */
static void report_orders_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    groups x = { 0 };
    eg_time d0 = ct_time(2020, 2, 2, 0, 0), d1 = ct_time(2020, 2, 3, 0, 0);
    /* A and E: opened in central isolation on the day */
    eg_ctl_order a = rpt_order(s, "P1", "220502", "central_isolation", "active", "severe", ct_time(2020, 2, 2, 8, 0));
    an_event(s, &a, ct_time(2020, 2, 2, 8, 0), "open", "", "", "central_isolation", "active");
    /* B: opened at home at 09:00, moved to central isolation at 15:00 */
    eg_ctl_order b = rpt_order(s, "P2", "220502", "home_quarantine", "active", "", ct_time(2020, 2, 2, 9, 0));
    an_event(s, &b, ct_time(2020, 2, 2, 9, 0), "open", "", "", "home_quarantine", "active");
    SET(b.measure, "central_isolation");
    SET(b.state, "awaiting_admission");
    b.updated_at = ct_time(2020, 2, 2, 15, 0);
    OK(eg_store_ctl_order_save(s, &b));
    an_event(s, &b, ct_time(2020, 2, 2, 15, 0), "escalate", "home_quarantine", "active", "central_isolation",
             "awaiting_admission");
    eg_ctl_order e = rpt_order(s, "P3", "220502", "central_isolation", "active", "severe", ct_time(2020, 2, 2, 10, 0));
    an_event(s, &e, ct_time(2020, 2, 2, 10, 0), "open", "", "", "central_isolation", "active");
    /* C: the day before, elsewhere */
    eg_ctl_order c = rpt_order(s, "P4", "220603", "home_quarantine", "active", "", ct_time(2020, 2, 1, 10, 0));
    an_event(s, &c, ct_time(2020, 2, 1, 10, 0), "open", "", "", "home_quarantine", "active");
    /* D: the day after, no history */
    rpt_order(s, "P5", "220502", "home_quarantine", "active", "", ct_time(2020, 2, 3, 1, 0));

    OK(eg_store_report_order_states(s, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|central_isolation|active|severe|||||0=2,0,0\n"
                                         "220502|central_isolation|awaiting_admission||||||0=1,0,0\n"
                                         "220603|home_quarantine|active||||||0=1,0,0");
    /* at 12:00 B was still at home (rebuilt from its 15:00 transition) */
    OK(eg_store_report_order_states(s, ct_time(2020, 2, 2, 12, 0), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|central_isolation|active|severe|||||0=2,0,0\n"
                                         "220502|home_quarantine|active||||||0=1,0,0\n"
                                         "220603|home_quarantine|active||||||0=1,0,0");
    OK(eg_store_report_order_states(s, ct_time(2020, 2, 2, 8, 30), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|central_isolation|active|severe|||||0=1,0,0\n"
                                         "220603|home_quarantine|active||||||0=1,0,0");
    OK(eg_store_report_order_states(s, ct_time(2020, 2, 4, 0, 0), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|central_isolation|active|severe|||||0=2,0,0\n"
                                         "220502|central_isolation|awaiting_admission||||||0=1,0,0\n"
                                         "220502|home_quarantine|active||||||0=1,0,0\n"
                                         "220603|home_quarantine|active||||||0=1,0,0");

    OK(eg_store_report_order_events(s, d1, d0, d1, keep_group, &x));
    assert_string_equal(groups_text(&x),
                        "220502|central_isolation|active||open||||0=2,0,0\n"
                        "220502|central_isolation|awaiting_admission||escalate|home_quarantine|active||0=1,0,0\n"
                        "220502|home_quarantine|active||open||||0=1,0,0");
    /* as at 12:00: the 15:00 transition not yet */
    OK(eg_store_report_order_events(s, ct_time(2020, 2, 2, 12, 0), d0, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|central_isolation|active||open||||0=2,0,0\n"
                                         "220502|home_quarantine|active||open||||0=1,0,0");
    /* the window [09:00, 10:00): from included, to not */
    OK(eg_store_report_order_events(s, d1, ct_time(2020, 2, 2, 9, 0), ct_time(2020, 2, 2, 10, 0), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|home_quarantine|active||open||||0=1,0,0");
    OK(eg_store_report_order_events(s, d1, ct_time(2020, 2, 1, 0, 0), d0, keep_group, &x));
    assert_string_equal(groups_text(&x), "220603|home_quarantine|active||open||||0=1,0,0");

    OK(eg_store_report_orders_created(s, d1, d0, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|central_isolation|||||||0=2,0,0\n"
                                         "220502|home_quarantine|||||||0=1,0,0");
    OK(eg_store_report_orders_created(s, ct_time(2020, 2, 2, 9, 30), d0, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|central_isolation|||||||0=1,0,0\n"
                                         "220502|home_quarantine|||||||0=1,0,0");
    OK(eg_store_report_orders_created(s, d1, ct_time(2020, 2, 2, 8, 0), ct_time(2020, 2, 2, 9, 0), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|central_isolation|||||||0=1,0,0");
    /* D, without history: the measure it has */
    OK(eg_store_report_orders_created(s, ct_time(2020, 2, 4, 0, 0), d1, ct_time(2020, 2, 4, 0, 0), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|home_quarantine|||||||0=1,0,0");
    eg_test_store_close(s);
}

/* A control alert of order o in `juris`, created at `created`, due at
 * `due`, acknowledged at `ack` and resolved at `resolved` (0: not). */
static void rpt_alert(eg_store *s, const eg_ctl_order *o, const char *juris, const char *dedup, eg_time created,
                      eg_time due, eg_time ack, eg_time resolved)
{
    eg_ctl_alert a;
    memset(&a, 0, sizeof a);
    SET(a.kind, "fever");
    a.order_id = o->id;
    SET(a.id_no, o->id_no);
    SET(a.name, o->name);
    SET(a.juris_code, juris);
    SET(a.reason, "37.8");
    SET(a.state, "open");
    SET(a.dedup, dedup);
    a.created_at = created;
    a.due_at = due;
    OK(eg_store_ctl_alert_add(s, &a, NULL));
    if (!ack && !resolved)
        return;
    eg_ctl_filter f = { .limit = 1 };
    eg_ctl_alert got;
    /* the newest: the one just added */
    OK(eg_store_ctl_alert_each(s, &f, keep_one_alert, &got));
    assert_string_equal(got.dedup, dedup);
    got.ack_at = ack;
    got.resolved_at = resolved;
    SET(got.state, resolved ? "resolved" : "acknowledged");
    OK(eg_store_ctl_alert_save(s, &got));
}

/* A verification task of order o in `juris`, created at `created`, due at
 * `due`, closed at `closed` (0: open). */
static void rpt_task(eg_store *s, const eg_ctl_order *o, const char *juris, eg_time created, eg_time due,
                     eg_time closed)
{
    eg_ctl_task t;
    int64_t id = 0;
    memset(&t, 0, sizeof t);
    SET(t.kind, "verification");
    t.order_id = o->id;
    SET(t.id_no, o->id_no);
    SET(t.name, o->name);
    SET(t.juris_code, juris);
    SET(t.state, "open");
    t.created_at = created;
    t.due_at = due;
    OK(eg_store_ctl_task_add(s, &t, &id));
    if (!closed)
        return;
    eg_ctl_filter f = { .limit = 1, .id_no = o->id_no };
    eg_ctl_task got;
    OK(eg_store_ctl_task_each(s, &f, keep_one_task, &got));
    assert_int_equal(got.id, id);
    SET(got.state, "done");
    got.closed_at = closed;
    SET(got.closed_by, "user:doc");
    OK(eg_store_ctl_task_save(s, &got));
}

/* A facility alert in `juris` created at `created`, due at `due`. */
static void rpt_fac_alert(eg_store *s, const char *juris, const char *dedup, eg_time created, eg_time due)
{
    eg_fac_alert a;
    memset(&a, 0, sizeof a);
    SET(a.kind, "standby_threshold");
    SET(a.juris_code, juris);
    SET(a.subject, "F1");
    SET(a.reason, "90% occupied");
    SET(a.state, "open");
    SET(a.dedup, dedup);
    a.created_at = created;
    a.due_at = due;
    OK(eg_store_fac_alert_add(s, &a, NULL));
}

/* report_tasks, report_alerts, report_fac_alerts: what is open (not
 * closed, not resolved) at as_at by division, how much of it is due by
 * due_by (the service passes as_at; another moment too), the due alerts
 * acknowledged by as_at. */
static void report_open_items_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    groups x = { 0 };
    eg_time d1 = ct_time(2020, 2, 3, 0, 0), m = ct_time(2020, 2, 2, 10, 30);
    eg_ctl_order o1 = rpt_order(s, "P1", "220502", "home_quarantine", "active", "", ct_time(2020, 2, 1, 8, 0));
    eg_ctl_order o2 = rpt_order(s, "P2", "220502", "home_quarantine", "active", "", ct_time(2020, 2, 1, 8, 0));
    eg_ctl_order o3 = rpt_order(s, "P3", "220603", "home_quarantine", "active", "", ct_time(2020, 2, 1, 8, 0));
    eg_ctl_order o4 = rpt_order(s, "P4", "220502", "home_quarantine", "active", "", ct_time(2020, 2, 1, 8, 0));
    /* tasks: two open, one closed at 18:00 (due 10:00), one after as_at */
    rpt_task(s, &o1, "220502", ct_time(2020, 2, 2, 8, 0), ct_time(2020, 2, 2, 20, 0), 0);
    rpt_task(s, &o2, "220502", ct_time(2020, 2, 2, 9, 0), ct_time(2020, 2, 3, 12, 0), 0);
    rpt_task(s, &o3, "220603", ct_time(2020, 2, 2, 7, 0), ct_time(2020, 2, 2, 10, 0), ct_time(2020, 2, 2, 18, 0));
    rpt_task(s, &o4, "220502", ct_time(2020, 2, 3, 2, 0), ct_time(2020, 2, 3, 3, 0), 0);
    OK(eg_store_report_tasks(s, d1, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=2,1,0");
    OK(eg_store_report_tasks(s, m, m, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=2,0,0\n"
                                         "220603||||||||0=1,1,0");
    OK(eg_store_report_tasks(s, d1, ct_time(2020, 2, 3, 12, 0), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=2,2,0");
    OK(eg_store_report_tasks(s, ct_time(2020, 2, 4, 0, 0), ct_time(2020, 2, 4, 0, 0), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=3,3,0");

    /* control alerts: due and acknowledged; due, acknowledged after as_at;
     * not due, acknowledged; resolved at 11:00; after as_at */
    rpt_alert(s, &o1, "220502", "a1", ct_time(2020, 2, 2, 8, 0), ct_time(2020, 2, 2, 10, 0),
              ct_time(2020, 2, 2, 9, 0), 0);
    rpt_alert(s, &o2, "220502", "a2", ct_time(2020, 2, 2, 9, 0), ct_time(2020, 2, 2, 20, 0),
              ct_time(2020, 2, 3, 1, 0), 0);
    rpt_alert(s, &o4, "220502", "a3", ct_time(2020, 2, 2, 9, 30), ct_time(2020, 2, 3, 9, 0),
              ct_time(2020, 2, 2, 10, 0), 0);
    rpt_alert(s, &o3, "220603", "a4", ct_time(2020, 2, 2, 7, 0), ct_time(2020, 2, 2, 8, 0), 0,
              ct_time(2020, 2, 2, 11, 0));
    rpt_alert(s, &o1, "220502", "a5", ct_time(2020, 2, 3, 1, 0), ct_time(2020, 2, 3, 2, 0), 0, 0);
    OK(eg_store_report_alerts(s, d1, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=3,2,1");
    OK(eg_store_report_alerts(s, m, m, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=3,1,1\n"
                                         "220603||||||||0=1,1,0");
    OK(eg_store_report_alerts(s, d1, ct_time(2020, 2, 3, 12, 0), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=3,3,2");

    /* facility alerts: two open, one resolved at 11:00, one after as_at */
    rpt_fac_alert(s, "220502", "b1", ct_time(2020, 2, 2, 8, 0), ct_time(2020, 2, 2, 20, 0));
    rpt_fac_alert(s, "220502", "b2", ct_time(2020, 2, 2, 9, 0), ct_time(2020, 2, 3, 9, 0));
    rpt_fac_alert(s, "220603", "b3", ct_time(2020, 2, 2, 7, 0), ct_time(2020, 2, 2, 8, 0));
    rpt_fac_alert(s, "220502", "b4", ct_time(2020, 2, 3, 1, 0), ct_time(2020, 2, 3, 2, 0));
    long n = 0;
    OK(eg_store_fac_alert_resolve(s, "b3", "open", "resolved", ct_time(2020, 2, 2, 11, 0), &n));
    assert_int_equal(n, 1);
    OK(eg_store_report_fac_alerts(s, d1, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=2,1,0");
    OK(eg_store_report_fac_alerts(s, m, m, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=2,0,0\n"
                                         "220603||||||||0=1,1,0");
    OK(eg_store_report_fac_alerts(s, d1, ct_time(2020, 2, 3, 12, 0), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=2,2,0");
    eg_test_store_close(s);
}

/* An assistance request of id_no in `juris`, in `state`, created at
 * `created`. */
static void rpt_request(eg_store *s, const char *id_no, const char *juris, const char *state, eg_time created)
{
    eg_request_rec r = { .id_no = id_no, .name = "吴一", .measure = "home_quarantine",
                         .start_date = ct_date(2020, 2, 1), .end_date = ct_date(2020, 2, 15), .rules = "R1",
                         .juris_code = juris, .target_code = "", .unlocated = 0, .state = state,
                         .created_at = created, .updated_at = created };
    OK(eg_store_request_insert(s, &r, NULL));
}

/* A fever at checkpoint C1 in `juris` at `at`, with an outcome at
 * `outcome_at` (0: none). */
static void rpt_fever(eg_store *s, const char *juris, eg_time at, eg_time outcome_at)
{
    eg_fever f;
    int dup = -1;
    memset(&f, 0, sizeof f);
    SET(f.checkpoint_id, "C1");
    SET(f.juris_code, juris);
    f.at = at;
    f.temp_dc = 381;
    SET(f.id_no, "P1");
    SET(f.name, "卫四");
    SET(f.clinic_id, "F1");
    f.due_at = at + 4 * 3600;
    f.recorded_at = at;
    OK(eg_store_fever_add(s, &f, &dup));
    assert_int_equal(dup, 0);
    if (!outcome_at)
        return;
    SET(f.outcome, "normal");
    f.outcome_at = outcome_at;
    SET(f.outcome_by, "user:clinic");
    OK(eg_store_fever_save(s, &f));
}

/* An admission of a new order to facility `fac` at `in`, discharged at
 * `out` (0: open). */
static void rpt_stay(eg_store *s, const char *fac, const char *id_no, eg_time in, eg_time out)
{
    eg_ctl_order o = rpt_order(s, id_no, "220502", "central_isolation", "active", "", ct_time(2020, 1, 31, 8, 0));
    eg_admission a;
    int64_t id = 0;
    memset(&a, 0, sizeof a);
    SET(a.facility_id, fac);
    SET(a.kind, "isolation_site");
    a.order_id = o.id;
    SET(a.id_no, id_no);
    SET(a.name, o.name);
    SET(a.juris_code, "220502");
    a.admitted_at = in;
    SET(a.actor, "user:fac");
    OK(eg_store_admission_add(s, &a, &id));
    if (out)
        OK(eg_store_admission_close(s, id, out, "released"));
}

/* report_requests, report_checks, report_referrals, report_facilities:
 * requests by (division, state now) created by as_at and in the window;
 * hourly checks and fevers of the window by the checkpoint's division;
 * fevers without an outcome at as_at; places and stays by (division,
 * kind, standby opened by as_at); nothing after as_at. */
static void report_counts_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    groups x = { 0 };
    eg_time d0 = ct_time(2020, 2, 2, 0, 0), d1 = ct_time(2020, 2, 3, 0, 0);
    /* requests */
    rpt_request(s, "P1", "2201", "open", ct_time(2020, 2, 1, 8, 0));
    rpt_request(s, "P2", "2201", "open", ct_time(2020, 2, 2, 9, 0));
    rpt_request(s, "P3", "2201", "closed", ct_time(2020, 2, 2, 10, 0));
    rpt_request(s, "P4", "2202", "open", ct_time(2020, 2, 3, 1, 0));
    OK(eg_store_report_requests(s, d1, d0, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "2201|||||||closed|0=1,1,0\n"
                                         "2201|||||||open|0=2,1,0");
    OK(eg_store_report_requests(s, ct_time(2020, 2, 2, 9, 30), d0, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "2201|||||||open|0=2,1,0");
    OK(eg_store_report_requests(s, ct_time(2020, 2, 4, 0, 0), ct_time(2020, 2, 1, 0, 0), d0, keep_group, &x));
    assert_string_equal(groups_text(&x), "2201|||||||closed|0=1,0,0\n"
                                         "2201|||||||open|0=2,1,0\n"
                                         "2202|||||||open|0=1,0,0");
    /* hourly checks: the checkpoint's division, not the fever's */
    eg_checkpoint c1 = a_checkpoint("C1", "220502"), c2 = a_checkpoint("C2", "220502");
    eg_checkpoint c3 = a_checkpoint("C3", "220603");
    OK(eg_store_checkpoint_put(s, &c1, NULL));
    OK(eg_store_checkpoint_put(s, &c2, NULL));
    OK(eg_store_checkpoint_put(s, &c3, NULL));
    eg_time now = ct_time(2020, 2, 3, 1, 0);
    OK(eg_store_check_log_put(s, "C1", ct_time(2020, 2, 2, 8, 0), 100, 2, now, NULL));
    OK(eg_store_check_log_put(s, "C1", ct_time(2020, 2, 2, 9, 0), 50, 1, now, NULL));
    OK(eg_store_check_log_put(s, "C2", ct_time(2020, 2, 2, 8, 0), 30, 0, now, NULL));
    OK(eg_store_check_log_put(s, "C3", ct_time(2020, 2, 2, 23, 0), 10, 1, now, NULL));
    OK(eg_store_check_log_put(s, "C1", ct_time(2020, 2, 1, 23, 0), 999, 9, now, NULL));
    OK(eg_store_report_checks(s, d1, d0, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=180,3,0\n"
                                         "220603||||||||0=10,1,0");
    /* as at 08:30: the hour that began at 08:00 */
    OK(eg_store_report_checks(s, ct_time(2020, 2, 2, 8, 30), d0, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=130,2,0");
    OK(eg_store_report_checks(s, d1, ct_time(2020, 2, 1, 0, 0), d0, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=999,9,0");
    /* fevers: the fever's division */
    rpt_fever(s, "220502", ct_time(2020, 2, 2, 9, 0), 0);
    rpt_fever(s, "220502", ct_time(2020, 2, 2, 10, 0), ct_time(2020, 2, 2, 12, 0));
    rpt_fever(s, "220603", ct_time(2020, 2, 2, 11, 0), ct_time(2020, 2, 3, 8, 0));
    rpt_fever(s, "220502", ct_time(2020, 2, 3, 1, 0), 0);
    OK(eg_store_report_referrals(s, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=1,0,0\n"
                                         "220603||||||||0=1,0,0");
    OK(eg_store_report_referrals(s, ct_time(2020, 2, 2, 11, 30), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502||||||||0=2,0,0\n"
                                         "220603||||||||0=1,0,0");
    /* facilities: Fa's standby opened at 09:00; Fc after as_at */
    eg_facility fa = a_facility("Fa", "isolation_site", "220502");
    eg_facility fb = a_facility("Fb", "isolation_site", "220502");
    eg_facility fc = a_facility("Fc", "fever_clinic", "220603");
    eg_facility fd = a_facility("Fd", "designated_hospital", "220502");
    fb.places_in_use = 20;
    fb.places_standby = 5;
    fb.created_at = ct_time(2020, 2, 1, 0, 0);
    fc.places_in_use = 10;
    fc.places_standby = 0;
    fc.created_at = ct_time(2020, 2, 3, 1, 0);
    fd.places_in_use = 30;
    fd.places_standby = 4;
    OK(eg_store_facility_put(s, &fa, NULL));
    OK(eg_store_facility_put(s, &fb, NULL));
    OK(eg_store_facility_put(s, &fc, NULL));
    OK(eg_store_facility_put(s, &fd, NULL));
    OK(eg_store_facility_open_standby(s, "Fa", ct_time(2020, 2, 2, 9, 0)));
    rpt_stay(s, "Fa", "Q1", ct_time(2020, 2, 2, 8, 0), 0);
    rpt_stay(s, "Fa", "Q2", ct_time(2020, 2, 1, 8, 0), ct_time(2020, 2, 2, 10, 0));
    rpt_stay(s, "Fb", "Q3", ct_time(2020, 2, 3, 1, 0), 0);
    OK(eg_store_report_facilities(s, d1, keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|||||||designated_hospital|0=30,4,0\n"
                                         "220502|||||||isolation_site|0=20,5,0\n"
                                         "220502|||||||isolation_site|1=40,12,1");
    OK(eg_store_report_facilities(s, ct_time(2020, 2, 2, 8, 30), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|||||||designated_hospital|0=30,4,0\n"
                                         "220502|||||||isolation_site|0=60,17,2");
    OK(eg_store_report_facilities(s, ct_time(2020, 2, 4, 0, 0), keep_group, &x));
    assert_string_equal(groups_text(&x), "220502|||||||designated_hospital|0=30,4,0\n"
                                         "220502|||||||isolation_site|0=20,5,1\n"
                                         "220502|||||||isolation_site|1=40,12,1\n"
                                         "220603|||||||fever_clinic|0=10,0,0");
    eg_test_store_close(s);
}

typedef struct versions {
    int n;
    eg_report_version v[4];
    char body[4][64];
} versions;

static eg_err keep_version(void *ctx, const eg_report_version *v)
{
    versions *x = ctx;
    assert_true(x->n < 4);
    x->v[x->n++] = *v;
    return EG_OK;
}

static eg_err keep_body(void *ctx, const eg_report_version *v, const char *body)
{
    versions *x = ctx;
    assert_true(x->n < 4);
    SET(x->body[x->n], body);
    x->v[x->n++] = *v;
    return EG_OK;
}

/* report_put/get/versions: every field and the body, a stored version
 * never replaced (EG_ERR_EXISTS), the latest, not found, oldest first,
 * rollback. */
static void report_versions_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    versions x = { 0 };
    eg_date day = ct_date(2020, 2, 2);
    assert_int_equal(eg_store_report_get(s, day, 0, keep_body, &x), EG_ERR_NOT_FOUND);
    eg_report_version v;
    memset(&v, 0, sizeof v);
    v.date = day;
    v.version = 1;
    v.generated_at = ct_time(2020, 2, 3, 0, 0);
    v.stored_at = ct_time(2020, 2, 3, 0, 5);
    SET(v.actor, "os:daily");
    SET(v.reason, "");
    OK(eg_store_report_put(s, &v, "{\"v\":1}"));
    assert_int_equal(eg_store_report_put(s, &v, "{\"v\":\"other\"}"), EG_ERR_EXISTS);
    eg_report_version v2 = v;
    v2.version = 2;
    v2.stored_at = ct_time(2020, 2, 3, 9, 0);
    SET(v2.actor, "user:lead");
    SET(v2.reason, "late data");
    OK(eg_store_report_put(s, &v2, "{\"v\":2}"));
    OK(eg_store_report_get(s, day, 1, keep_body, &x));
    assert_string_equal(x.body[0], "{\"v\":1}");
    const eg_report_version *g = &x.v[0];
    EQI(g, &v, date);
    EQI(g, &v, version);
    EQI(g, &v, generated_at);
    EQI(g, &v, stored_at);
    EQS(g, &v, actor);
    EQS(g, &v, reason);
    memset(&x, 0, sizeof x);
    OK(eg_store_report_get(s, day, 0, keep_body, &x));
    assert_string_equal(x.body[0], "{\"v\":2}");
    EQS(&x.v[0], &v2, reason);
    assert_int_equal(eg_store_report_get(s, day, 3, keep_body, &x), EG_ERR_NOT_FOUND);
    eg_report_version v3 = v2;
    v3.version = 3;
    OK(eg_store_begin(s));
    OK(eg_store_report_put(s, &v3, "{}"));
    OK(eg_store_rollback(s));
    memset(&x, 0, sizeof x);
    OK(eg_store_report_versions(s, day, keep_version, &x));
    assert_int_equal(x.n, 2);
    assert_int_equal(x.v[0].version, 1);
    assert_int_equal(x.v[1].version, 2);
    assert_string_equal(x.v[1].actor, "user:lead");
    memset(&x, 0, sizeof x);
    OK(eg_store_report_versions(s, day + 1, keep_version, &x));
    assert_int_equal(x.n, 0);
    eg_test_store_close(s);
}

const struct CMUnitTest contract_facility_cases[] = {
    cmocka_unit_test(facility_contract),
    cmocka_unit_test(admission_contract),
    cmocka_unit_test(waits_and_events_contract),
    cmocka_unit_test(checkpoint_contract),
    cmocka_unit_test(fever_contract),
    cmocka_unit_test(fac_alert_contract),
    cmocka_unit_test(report_orders_contract),
    cmocka_unit_test(report_open_items_contract),
    cmocka_unit_test(report_counts_contract),
    cmocka_unit_test(report_versions_contract),
};
const size_t contract_facility_ncases = CT_NCASES(contract_facility_cases);
