/*
 * tests/store/contract_control.c: contract cases of the control-measures
 * operations (EG_STORE_OPS_CONTROL): orders, their history, tests,
 * readings, assessments, alerts, tasks, teams, self-report tokens and the
 * daily run's set operations. See contract.h.
 */
#include "contract.h"

/* The word sets the control services pass (epigrid/control.h): running
 * states, observation measures, unresolved alert states, the roles of a
 * team in their order; and the empty set (matches nothing). */
static const eg_ctl_words RUNNING = { { "active", "awaiting_admission" } };
static const eg_ctl_words OBSERVATION = { { "home_quarantine", "central_isolation", "post_discharge_observation" } };
static const eg_ctl_words UNRESOLVED = { { "open", "acknowledged" } };
static const eg_ctl_words ROLES = { { "township_cadre", "village_cadre", "police", "doctor" } };
static const eg_ctl_words NONE = { { NULL } };

/* An order with every field set to a distinct value (id and oid: 0/""). */
static eg_ctl_order an_order(const char *id_no, const char *juris, const char *state, eg_date start)
{
    eg_ctl_order o;
    memset(&o, 0, sizeof o);
    SET(o.id_no, id_no);
    SET(o.name, "郑一");
    SET(o.measure, "home_quarantine");
    SET(o.state, state);
    o.start_date = start;
    o.end_date = start + 14;
    SET(o.rules, "R1;R2");
    SET(o.juris_code, juris);
    o.created_at = ct_time(2020, 2, 1, 8, 0);
    o.updated_at = ct_time(2020, 2, 1, 8, 30);
    SET(o.severity, "mild");
    SET(o.prior_measure, "central_isolation");
    o.prior_start = ct_date(2020, 1, 10);
    o.prior_end = ct_date(2020, 1, 24);
    o.not_before = ct_date(2020, 2, 3);
    o.measure_at = ct_time(2020, 2, 1, 7, 45);
    o.admitted_at = ct_time(2020, 2, 1, 9, 15);
    return o;
}

/* Insert an order (fails the test on error); returns it with id and oid. */
static eg_ctl_order put_order(eg_store *s, const char *id_no, const char *juris, const char *state, eg_date start)
{
    eg_ctl_order o = an_order(id_no, juris, state, start);
    OK(eg_store_ctl_order_insert(s, &o));
    assert_true(o.id > 0);
    assert_int_equal(strlen(o.oid), 16);
    return o;
}

/* Assert that two orders are the same in every field. */
static void same_order(const eg_ctl_order *a, const eg_ctl_order *b)
{
    EQI(a, b, id);
    EQS(a, b, oid);
    EQS(a, b, id_no);
    EQS(a, b, name);
    EQS(a, b, measure);
    EQS(a, b, state);
    EQI(a, b, start_date);
    EQI(a, b, end_date);
    EQS(a, b, rules);
    EQS(a, b, juris_code);
    EQI(a, b, created_at);
    EQI(a, b, updated_at);
    EQS(a, b, severity);
    EQS(a, b, prior_measure);
    EQI(a, b, prior_start);
    EQI(a, b, prior_end);
    EQI(a, b, not_before);
    EQI(a, b, measure_at);
    EQI(a, b, admitted_at);
}

/* Ids seen by an iterator, in order. */
typedef struct ids {
    int n;
    int64_t v[16];
} ids;

static void add_id(ids *x, int64_t id)
{
    assert_true(x->n < 16);
    x->v[x->n++] = id;
}

static eg_err keep_order_id(void *ctx, const eg_ctl_order *o)
{
    add_id(ctx, o->id);
    return EG_OK;
}

/* ctl_order_insert/by_id/get/running/save/each: every field, lookups by
 * row id, opaque id and document number, not found, the filters and the
 * order by id, rollback. */
static void ctl_order_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    eg_ctl_order got;
    ids x = { 0 };
    assert_int_equal(eg_store_ctl_order_by_id(s, 1, &got), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_store_ctl_order_get(s, "0000000000000000", &RUNNING, &got), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_store_ctl_order_running(s, "P1", &RUNNING, &got), EG_ERR_NOT_FOUND);
    eg_ctl_order a = put_order(s, "P1", "220502", "active", ct_date(2020, 2, 1));
    eg_ctl_order b = put_order(s, "P1", "220503", "released", ct_date(2020, 2, 5));
    eg_ctl_order c = put_order(s, "P2", "2206", "awaiting_admission", ct_date(2020, 2, 2));
    OK(eg_store_ctl_order_by_id(s, a.id, &got));
    same_order(&got, &a);
    OK(eg_store_ctl_order_get(s, b.oid, NULL, &got));
    same_order(&got, &b);
    /* by document number: the running order before a later ended one */
    OK(eg_store_ctl_order_get(s, "P1", &RUNNING, &got));
    same_order(&got, &a);
    OK(eg_store_ctl_order_running(s, "P1", &RUNNING, &got));
    same_order(&got, &a);
    OK(eg_store_ctl_order_running(s, "P2", &RUNNING, &got));
    same_order(&got, &c);
    /* save writes every mutable column */
    eg_ctl_order w = a;
    SET(w.name, "郑二");
    SET(w.measure, "confirmed");
    SET(w.state, "released");
    w.start_date = ct_date(2020, 2, 3);
    w.end_date = ct_date(2020, 2, 20);
    SET(w.rules, "manual");
    SET(w.juris_code, "220504");
    w.updated_at = ct_time(2020, 2, 4, 10, 0);
    SET(w.severity, "severe");
    SET(w.prior_measure, "");
    w.prior_start = EG_NO_DATE;
    w.prior_end = EG_NO_DATE;
    w.not_before = EG_NO_DATE;
    w.measure_at = ct_time(2020, 2, 4, 9, 0);
    w.admitted_at = 0;
    OK(eg_store_begin(s)); /* rolled back: unchanged */
    OK(eg_store_ctl_order_save(s, &w));
    OK(eg_store_rollback(s));
    OK(eg_store_ctl_order_by_id(s, a.id, &got));
    same_order(&got, &a);
    OK(eg_store_ctl_order_save(s, &w));
    OK(eg_store_ctl_order_by_id(s, a.id, &got));
    same_order(&got, &w);
    assert_int_equal(eg_store_ctl_order_running(s, "P1", &RUNNING, &got), EG_ERR_NOT_FOUND);
    /* filters, by id */
    OK(eg_store_ctl_order_each(s, NULL, keep_order_id, &x));
    assert_int_equal(x.n, 3);
    assert_true(x.v[0] == a.id && x.v[1] == b.id && x.v[2] == c.id);
    eg_ctl_filter f = { .juris = "2205" };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_order_each(s, &f, keep_order_id, &x));
    assert_true(x.n == 2 && x.v[0] == a.id && x.v[1] == b.id);
    f = (eg_ctl_filter){ .states = &RUNNING };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_order_each(s, &f, keep_order_id, &x));
    assert_true(x.n == 1 && x.v[0] == c.id);
    f = (eg_ctl_filter){ .state = "running" }; /* a service's name, not a state */
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_order_each(s, &f, keep_order_id, &x));
    assert_int_equal(x.n, 0);
    f = (eg_ctl_filter){ .kind = "confirmed" };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_order_each(s, &f, keep_order_id, &x));
    assert_true(x.n == 1 && x.v[0] == a.id);
    f = (eg_ctl_filter){ .id_no = "P1", .state = "released", .limit = 1 };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_order_each(s, &f, keep_order_id, &x));
    assert_true(x.n == 1 && x.v[0] == a.id);
    /* rolled back: absent */
    OK(eg_store_begin(s));
    eg_ctl_order d = put_order(s, "P3", "2205", "active", ct_date(2020, 2, 1));
    OK(eg_store_rollback(s));
    assert_int_equal(eg_store_ctl_order_by_id(s, d.id, &got), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_store_ctl_order_running(s, "P3", &RUNNING, &got), EG_ERR_NOT_FOUND);
    eg_test_store_close(s);
}

/* ctl_order_get/running/each with the service's states: the preferred
 * states before the others and the latest (by id) among equals, the
 * opaque id before the preference, the running lookup's sets of one, two
 * (the reading's statement) and more states, the empty set, a filter of
 * several states. */
static void ctl_order_states_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    eg_ctl_order got;
    ids x = { 0 };
    const eg_ctl_words active = { { "active" } };
    const eg_ctl_words suspended = { { "suspended" } };
    const eg_ctl_words three = { { "x", "y", "active" } };
    const eg_ctl_words five = { { "x", "y", "active", "awaiting_admission", "released" } };
    const eg_ctl_words ended = { { "awaiting_admission", "released" } };
    eg_ctl_order p1 = put_order(s, "P1", "2205", "active", ct_date(2020, 2, 1));
    eg_ctl_order p2 = put_order(s, "P1", "2205", "awaiting_admission", ct_date(2020, 2, 2));
    eg_ctl_order p3 = put_order(s, "P1", "2205", "released", ct_date(2020, 2, 3));
    eg_ctl_order q = put_order(s, "P2", "2206", "released", ct_date(2020, 2, 3));
    assert_true(p1.id < p2.id && p2.id < p3.id);
    /* get by document number: the latest preferred one, else the latest */
    OK(eg_store_ctl_order_get(s, "P1", NULL, &got));
    same_order(&got, &p3);
    OK(eg_store_ctl_order_get(s, "P1", &RUNNING, &got));
    same_order(&got, &p2);
    OK(eg_store_ctl_order_get(s, "P1", &active, &got));
    same_order(&got, &p1);
    OK(eg_store_ctl_order_get(s, "P1", &suspended, &got));
    same_order(&got, &p3);
    OK(eg_store_ctl_order_get(s, "P2", &RUNNING, &got));
    same_order(&got, &q);
    OK(eg_store_ctl_order_get(s, p1.oid, &ended, &got)); /* the opaque id first */
    same_order(&got, &p1);
    assert_int_equal(eg_store_ctl_order_get(s, "P9", &RUNNING, &got), EG_ERR_NOT_FOUND);
    /* running: the latest in one of the states */
    OK(eg_store_ctl_order_running(s, "P1", &RUNNING, &got));
    same_order(&got, &p2);
    OK(eg_store_ctl_order_running(s, "P1", &active, &got));
    same_order(&got, &p1);
    OK(eg_store_ctl_order_running(s, "P1", &three, &got));
    same_order(&got, &p1);
    OK(eg_store_ctl_order_running(s, "P1", &five, &got));
    same_order(&got, &p3);
    assert_int_equal(eg_store_ctl_order_running(s, "P2", &RUNNING, &got), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_store_ctl_order_running(s, "P1", &NONE, &got), EG_ERR_NOT_FOUND);
    /* each: any of the states, or the one state */
    eg_ctl_filter f = { .state = "", .states = &ended };
    OK(eg_store_ctl_order_each(s, &f, keep_order_id, &x));
    assert_true(x.n == 3 && x.v[0] == p2.id && x.v[1] == p3.id && x.v[2] == q.id);
    f = (eg_ctl_filter){ .state = "active" };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_order_each(s, &f, keep_order_id, &x));
    assert_true(x.n == 1 && x.v[0] == p1.id);
    f = (eg_ctl_filter){ .states = &ended, .juris = "2206" };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_order_each(s, &f, keep_order_id, &x));
    assert_true(x.n == 1 && x.v[0] == q.id);
    eg_test_store_close(s);
}

/* ---- history ---- */

typedef struct events {
    int n;
    eg_ctl_event v[4];
} events;

static eg_err keep_event(void *ctx, const eg_ctl_event *e)
{
    events *x = ctx;
    assert_true(x->n < 4);
    x->v[x->n++] = *e;
    return EG_OK;
}

/* ctl_event_add/each/count: every field, oldest first, counts by action
 * in [from, to), an event of a missing order refused, rollback. */
static void ctl_event_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    events x = { 0 };
    long n = -1;
    eg_ctl_order o = put_order(s, "P1", "2205", "active", ct_date(2020, 2, 1));
    eg_ctl_event e;
    memset(&e, 0, sizeof e);
    e.order_id = o.id;
    e.at = ct_time(2020, 2, 2, 10, 0);
    SET(e.actor, "os:alice");
    SET(e.action, "suspect");
    SET(e.from_measure, "home_quarantine");
    SET(e.from_state, "active");
    SET(e.to_measure, "suspected");
    SET(e.to_state, "awaiting_admission");
    SET(e.reason, "fever 38.2");
    OK(eg_store_ctl_event_add(s, &e));
    eg_ctl_event e2 = e;
    e2.at = ct_time(2020, 2, 1, 9, 0); /* earlier moment, later row */
    SET(e2.action, "open");
    OK(eg_store_ctl_event_add(s, &e2));
    OK(eg_store_ctl_event_each(s, o.id, keep_event, &x));
    assert_int_equal(x.n, 2);
    assert_true(x.v[0].id > 0 && x.v[1].id > x.v[0].id);
    e.id = x.v[0].id;
    const eg_ctl_event *g = &x.v[0];
    EQI(g, &e, order_id);
    EQI(g, &e, at);
    EQS(g, &e, actor);
    EQS(g, &e, action);
    EQS(g, &e, from_measure);
    EQS(g, &e, from_state);
    EQS(g, &e, to_measure);
    EQS(g, &e, to_state);
    EQS(g, &e, reason);
    assert_string_equal(x.v[1].action, "open");
    OK(eg_store_ctl_event_count(s, NULL, ct_time(2020, 2, 1, 0, 0), ct_time(2020, 2, 3, 0, 0), &n));
    assert_int_equal(n, 2);
    OK(eg_store_ctl_event_count(s, "open", ct_time(2020, 2, 1, 0, 0), ct_time(2020, 2, 3, 0, 0), &n));
    assert_int_equal(n, 1);
    OK(eg_store_ctl_event_count(s, NULL, ct_time(2020, 2, 1, 9, 1), ct_time(2020, 2, 2, 10, 0), &n));
    assert_int_equal(n, 0);
    e.order_id = o.id + 100;
    assert_int_equal(eg_store_ctl_event_add(s, &e), EG_ERR_DB);
    e.order_id = o.id;
    OK(eg_store_begin(s));
    OK(eg_store_ctl_event_add(s, &e));
    OK(eg_store_rollback(s));
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_event_each(s, o.id, keep_event, &x));
    assert_int_equal(x.n, 2);
    eg_test_store_close(s);
}

/* ---- tests, readings, assessments ---- */

typedef struct labtests {
    int n;
    eg_ctl_test v[4];
} labtests;

static eg_err keep_test(void *ctx, const eg_ctl_test *t)
{
    labtests *x = ctx;
    assert_true(x->n < 4);
    x->v[x->n++] = *t;
    return EG_OK;
}

/* ctl_test_add/each: every field, the duplicate (nothing changes), since,
 * by sample moment, rollback. */
static void ctl_test_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    labtests x = { 0 };
    int dup = -1;
    eg_ctl_test t;
    memset(&t, 0, sizeof t);
    SET(t.id_no, "P1");
    t.sampled_at = ct_time(2020, 2, 3, 8, 0);
    SET(t.method, "rt_pcr");
    SET(t.result, "positive");
    SET(t.lab, "市疾控");
    t.recorded_at = ct_time(2020, 2, 3, 20, 0);
    SET(t.actor, "os:lab");
    OK(eg_store_ctl_test_add(s, &t, &dup));
    assert_int_equal(dup, 0);
    eg_ctl_test u = t;
    SET(u.result, "negative");
    OK(eg_store_ctl_test_add(s, &u, &dup));
    assert_int_equal(dup, 1);
    u.sampled_at = ct_time(2020, 2, 1, 8, 0);
    OK(eg_store_ctl_test_add(s, &u, &dup));
    assert_int_equal(dup, 0);
    OK(eg_store_ctl_test_each(s, "P1", 0, keep_test, &x));
    assert_int_equal(x.n, 2);
    assert_string_equal(x.v[0].result, "negative");
    const eg_ctl_test *g = &x.v[1];
    assert_true(g->id > 0);
    EQS(g, &t, id_no);
    EQI(g, &t, sampled_at);
    EQS(g, &t, method);
    EQS(g, &t, result);
    EQS(g, &t, lab);
    EQI(g, &t, recorded_at);
    EQS(g, &t, actor);
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_test_each(s, "P1", ct_time(2020, 2, 3, 8, 0), keep_test, &x));
    assert_int_equal(x.n, 1);
    OK(eg_store_begin(s));
    u.sampled_at = ct_time(2020, 2, 5, 8, 0);
    OK(eg_store_ctl_test_add(s, &u, &dup));
    OK(eg_store_rollback(s));
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_test_each(s, "P1", 0, keep_test, &x));
    assert_int_equal(x.n, 2);
    eg_test_store_close(s);
}

typedef struct readings {
    int n;
    eg_ctl_reading v[4];
} readings;

static eg_err keep_reading(void *ctx, const eg_ctl_reading *r)
{
    readings *x = ctx;
    assert_true(x->n < 4);
    x->v[x->n++] = *r;
    return EG_OK;
}

/* ctl_reading_add/each/list: every field, the duplicate, since, by moment
 * (list: newest first), the limit, a reading of a missing order refused,
 * rollback. */
static void ctl_reading_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    readings x = { 0 };
    int dup = -1;
    eg_ctl_order o = put_order(s, "P1", "2205", "active", ct_date(2020, 2, 1));
    eg_ctl_order o2 = put_order(s, "P2", "2205", "active", ct_date(2020, 2, 1));
    eg_ctl_reading r;
    memset(&r, 0, sizeof r);
    r.order_id = o.id;
    SET(r.id_no, "P1");
    r.taken_at = ct_time(2020, 2, 2, 8, 0);
    r.temp_dc = 375;
    SET(r.symptoms, "cough;fatigue");
    SET(r.source, "team");
    r.recorded_at = ct_time(2020, 2, 2, 8, 5);
    SET(r.actor, "os:bob");
    OK(eg_store_ctl_reading_add(s, &r, &dup));
    assert_int_equal(dup, 0);
    OK(eg_store_ctl_reading_add(s, &r, &dup));
    assert_int_equal(dup, 1);
    eg_ctl_reading q = r;
    q.taken_at = ct_time(2020, 2, 1, 20, 0);
    q.temp_dc = 366;
    OK(eg_store_ctl_reading_add(s, &q, &dup));
    eg_ctl_reading p = r;
    p.order_id = o2.id;
    SET(p.id_no, "P2");
    p.taken_at = ct_time(2020, 2, 3, 8, 0);
    OK(eg_store_ctl_reading_add(s, &p, &dup));
    OK(eg_store_ctl_reading_each(s, o.id, 0, keep_reading, &x));
    assert_int_equal(x.n, 2);
    assert_int_equal(x.v[0].temp_dc, 366);
    const eg_ctl_reading *g = &x.v[1];
    assert_true(g->id > 0);
    EQI(g, &r, order_id);
    EQS(g, &r, id_no);
    EQI(g, &r, taken_at);
    EQI(g, &r, temp_dc);
    EQS(g, &r, symptoms);
    EQS(g, &r, source);
    EQI(g, &r, recorded_at);
    EQS(g, &r, actor);
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_reading_each(s, o.id, ct_time(2020, 2, 2, 0, 0), keep_reading, &x));
    assert_int_equal(x.n, 1);
    eg_ctl_filter f = { .id_no = "P1" };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_reading_list(s, &f, keep_reading, &x));
    assert_int_equal(x.n, 2);
    assert_true(x.v[0].taken_at > x.v[1].taken_at); /* newest first */
    f = (eg_ctl_filter){ .limit = 2 };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_reading_list(s, &f, keep_reading, &x));
    assert_int_equal(x.n, 2);
    assert_string_equal(x.v[0].id_no, "P2");
    r.order_id = o.id + 100;
    r.taken_at = ct_time(2020, 2, 9, 8, 0);
    assert_int_equal(eg_store_ctl_reading_add(s, &r, &dup), EG_ERR_DB);
    r.order_id = o.id;
    OK(eg_store_begin(s));
    OK(eg_store_ctl_reading_add(s, &r, &dup));
    OK(eg_store_rollback(s));
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_reading_each(s, o.id, 0, keep_reading, &x));
    assert_int_equal(x.n, 2);
    eg_test_store_close(s);
}

/* ctl_assessment_add/latest: every field, the latest by moment, not found,
 * rollback. */
static void ctl_assessment_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    eg_ctl_assessment a, got;
    eg_ctl_order o = put_order(s, "P1", "2205", "active", ct_date(2020, 2, 1));
    assert_int_equal(eg_store_ctl_assessment_latest(s, o.id, &got), EG_ERR_NOT_FOUND);
    memset(&a, 0, sizeof a);
    a.order_id = o.id;
    a.at = ct_time(2020, 2, 10, 9, 0);
    SET(a.clinician, "user:dr");
    a.symptoms_improved = 1;
    a.imaging_improved = 0;
    SET(a.note, "lesions persist");
    OK(eg_store_ctl_assessment_add(s, &a));
    eg_ctl_assessment b = a;
    b.at = ct_time(2020, 2, 9, 9, 0); /* older, inserted later */
    SET(b.note, "older");
    OK(eg_store_ctl_assessment_add(s, &b));
    OK(eg_store_ctl_assessment_latest(s, o.id, &got));
    EQI(&got, &a, order_id);
    EQI(&got, &a, at);
    EQS(&got, &a, clinician);
    EQI(&got, &a, symptoms_improved);
    EQI(&got, &a, imaging_improved);
    EQS(&got, &a, note);
    eg_ctl_assessment c = a;
    c.at = ct_time(2020, 2, 11, 9, 0);
    SET(c.note, "rolled back");
    OK(eg_store_begin(s));
    OK(eg_store_ctl_assessment_add(s, &c));
    OK(eg_store_rollback(s));
    OK(eg_store_ctl_assessment_latest(s, o.id, &got));
    assert_string_equal(got.note, "lesions persist");
    eg_test_store_close(s);
}

/* ---- alerts ---- */

typedef struct alerts {
    int n;
    eg_ctl_alert v[8];
} alerts;

static eg_err keep_alert(void *ctx, const eg_ctl_alert *a)
{
    alerts *x = ctx;
    assert_true(x->n < 8);
    x->v[x->n++] = *a;
    return EG_OK;
}

/* Assert that two alerts are the same in every field. */
static void same_alert(const eg_ctl_alert *a, const eg_ctl_alert *b)
{
    EQI(a, b, id);
    EQS(a, b, aid);
    EQS(a, b, kind);
    EQI(a, b, order_id);
    EQS(a, b, id_no);
    EQS(a, b, name);
    EQS(a, b, juris_code);
    EQS(a, b, escalated_to);
    EQS(a, b, reason);
    EQS(a, b, state);
    EQS(a, b, dedup);
    EQI(a, b, created_at);
    EQI(a, b, due_at);
    EQI(a, b, escalated_at);
    EQI(a, b, ack_at);
    EQI(a, b, resolved_at);
    EQS(a, b, ack_by);
    EQS(a, b, resolved_by);
}

/* ctl_alert_add/get/save/each/due: every field, the dedup key, not found,
 * the filters (escalation target too), newest first, what is due, rollback. */
static void ctl_alert_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    alerts x = { 0 };
    int created = -1;
    eg_ctl_alert a, got;
    eg_ctl_order o = put_order(s, "P1", "220502", "active", ct_date(2020, 2, 1));
    assert_int_equal(eg_store_ctl_alert_get(s, "0000000000000000", &got), EG_ERR_NOT_FOUND);
    memset(&a, 0, sizeof a);
    SET(a.kind, "fever");
    a.order_id = o.id;
    SET(a.id_no, "P1");
    SET(a.name, "郑一");
    SET(a.juris_code, "220502");
    SET(a.reason, "37.8");
    SET(a.state, "open");
    SET(a.dedup, "fever:1:2020-02-02");
    a.created_at = ct_time(2020, 2, 2, 8, 0);
    a.due_at = ct_time(2020, 2, 2, 10, 0);
    OK(eg_store_ctl_alert_add(s, &a, &created));
    assert_int_equal(created, 1);
    OK(eg_store_ctl_alert_add(s, &a, &created));
    assert_int_equal(created, 0);
    eg_ctl_alert b = a;
    SET(b.kind, "red_flag");
    SET(b.dedup, "red:1");
    b.due_at = ct_time(2020, 2, 3, 10, 0);
    OK(eg_store_ctl_alert_add(s, &b, NULL));
    OK(eg_store_ctl_alert_each(s, NULL, keep_alert, &x));
    assert_int_equal(x.n, 2);
    assert_string_equal(x.v[0].kind, "red_flag"); /* newest first */
    a.id = x.v[1].id;
    SET(a.aid, x.v[1].aid);
    assert_int_equal(strlen(a.aid), 16);
    OK(eg_store_ctl_alert_get(s, a.aid, &got));
    same_alert(&got, &a);
    /* due: in the state, due_at <= now, not escalated; by id */
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_alert_due(s, "open", ct_time(2020, 2, 2, 9, 59), keep_alert, &x));
    assert_int_equal(x.n, 0);
    OK(eg_store_ctl_alert_due(s, "open", ct_time(2020, 2, 2, 10, 0), keep_alert, &x));
    assert_true(x.n == 1 && x.v[0].id == a.id);
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_alert_due(s, "open", ct_time(2020, 2, 4, 0, 0), keep_alert, &x));
    assert_true(x.n == 2 && x.v[0].id == a.id);
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_alert_due(s, "acknowledged", ct_time(2020, 2, 4, 0, 0), keep_alert, &x));
    assert_int_equal(x.n, 0);
    /* save writes state, escalation, ack, resolution and reason */
    SET(a.state, "acknowledged");
    SET(a.escalated_to, "2205");
    a.escalated_at = ct_time(2020, 2, 2, 10, 1);
    a.ack_at = ct_time(2020, 2, 2, 11, 0);
    SET(a.ack_by, "user:lead");
    a.resolved_at = ct_time(2020, 2, 2, 12, 0);
    SET(a.resolved_by, "user:doc");
    SET(a.reason, "37.8, seen");
    eg_ctl_alert before = got;
    OK(eg_store_begin(s)); /* rolled back: unchanged */
    OK(eg_store_ctl_alert_save(s, &a));
    OK(eg_store_rollback(s));
    OK(eg_store_ctl_alert_get(s, a.aid, &got));
    same_alert(&got, &before);
    OK(eg_store_ctl_alert_save(s, &a));
    OK(eg_store_ctl_alert_get(s, a.aid, &got));
    same_alert(&got, &a);
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_alert_due(s, "open", ct_time(2020, 2, 4, 0, 0), keep_alert, &x));
    assert_true(x.n == 1 && x.v[0].id != a.id);
    memset(&x, 0, sizeof x); /* escalated: not due again in any state */
    OK(eg_store_ctl_alert_due(s, "acknowledged", ct_time(2020, 2, 4, 0, 0), keep_alert, &x));
    assert_int_equal(x.n, 0);
    /* filters: the escalation target sees it; unresolved; kind; id_no */
    eg_ctl_filter f = { .juris = "2205", .state = "acknowledged" };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_alert_each(s, &f, keep_alert, &x));
    assert_true(x.n == 1 && x.v[0].id == a.id);
    f = (eg_ctl_filter){ .juris = "2206" };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_alert_each(s, &f, keep_alert, &x));
    assert_int_equal(x.n, 0);
    f = (eg_ctl_filter){ .states = &UNRESOLVED, .kind = "red_flag", .id_no = "P1", .limit = 1 };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_alert_each(s, &f, keep_alert, &x));
    assert_true(x.n == 1 && strcmp(x.v[0].kind, "red_flag") == 0);
    f = (eg_ctl_filter){ .states = &UNRESOLVED };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_alert_each(s, &f, keep_alert, &x));
    assert_true(x.n == 2 && x.v[1].id == a.id);
    f = (eg_ctl_filter){ .state = "unresolved" }; /* a service's name, not a state */
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_alert_each(s, &f, keep_alert, &x));
    assert_int_equal(x.n, 0);
    /* no default kind or state: what the service gives is stored */
    eg_ctl_alert bare = b;
    SET(bare.kind, "");
    SET(bare.state, "");
    SET(bare.dedup, "bare");
    OK(eg_store_ctl_alert_add(s, &bare, &created));
    assert_int_equal(created, 1);
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_alert_each(s, NULL, keep_alert, &x));
    assert_true(x.n == 3 && strcmp(x.v[0].dedup, "bare") == 0);
    assert_string_equal(x.v[0].kind, "");
    assert_string_equal(x.v[0].state, "");
    /* rolled back: absent, and its key free again */
    eg_ctl_alert c = b;
    SET(c.dedup, "rolled");
    OK(eg_store_begin(s));
    OK(eg_store_ctl_alert_add(s, &c, &created));
    OK(eg_store_rollback(s));
    OK(eg_store_ctl_alert_add(s, &c, &created));
    assert_int_equal(created, 1);
    eg_test_store_close(s);
}

/* ---- tasks ---- */

typedef struct tasks {
    int n;
    eg_ctl_task v[4];
} tasks;

static eg_err keep_task(void *ctx, const eg_ctl_task *t)
{
    tasks *x = ctx;
    assert_true(x->n < 4);
    x->v[x->n++] = *t;
    return EG_OK;
}

/* Assert that two tasks are the same in every field. */
static void same_task(const eg_ctl_task *a, const eg_ctl_task *b)
{
    EQI(a, b, id);
    EQS(a, b, tid);
    EQS(a, b, kind);
    EQI(a, b, order_id);
    EQS(a, b, id_no);
    EQS(a, b, name);
    EQS(a, b, juris_code);
    EQS(a, b, state);
    EQI(a, b, created_at);
    EQI(a, b, due_at);
    EQI(a, b, closed_at);
    EQS(a, b, closed_by);
    EQS(a, b, note);
}

/* ctl_task_add/get/save/each: every field (id_no and name from the
 * order), not found, the filters, by id, a missing order refused,
 * rollback. */
static void ctl_task_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    tasks x = { 0 };
    int64_t id = 0;
    eg_ctl_task t, got;
    eg_ctl_order o = put_order(s, "P1", "220502", "active", ct_date(2020, 2, 1));
    assert_int_equal(eg_store_ctl_task_get(s, "0000000000000000", &got), EG_ERR_NOT_FOUND);
    memset(&t, 0, sizeof t);
    SET(t.kind, "referral");
    t.order_id = o.id;
    SET(t.id_no, "P1");
    SET(t.name, "郑一");
    SET(t.juris_code, "220502");
    SET(t.state, "open");
    t.created_at = ct_time(2020, 2, 2, 8, 0);
    t.due_at = ct_time(2020, 2, 2, 20, 0);
    SET(t.note, "clinic A");
    OK(eg_store_ctl_task_add(s, &t, &id));
    assert_true(id > 0);
    eg_ctl_task u = t;
    SET(u.kind, "verification");
    SET(u.juris_code, "220503");
    OK(eg_store_ctl_task_add(s, &u, NULL));
    OK(eg_store_ctl_task_each(s, NULL, keep_task, &x));
    assert_int_equal(x.n, 2);
    assert_int_equal(x.v[0].id, id);
    t.id = id;
    SET(t.tid, x.v[0].tid);
    assert_int_equal(strlen(t.tid), 16);
    OK(eg_store_ctl_task_get(s, t.tid, &got));
    same_task(&got, &t);
    SET(t.state, "done");
    SET(t.juris_code, "220504");
    t.closed_at = ct_time(2020, 2, 2, 18, 0);
    SET(t.closed_by, "user:doc");
    SET(t.note, "seen, normal");
    eg_ctl_task before = got;
    OK(eg_store_begin(s)); /* rolled back: unchanged */
    OK(eg_store_ctl_task_save(s, &t));
    OK(eg_store_rollback(s));
    OK(eg_store_ctl_task_get(s, t.tid, &got));
    same_task(&got, &before);
    OK(eg_store_ctl_task_save(s, &t));
    OK(eg_store_ctl_task_get(s, t.tid, &got));
    same_task(&got, &t);
    eg_ctl_filter f = { .juris = "220503" };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_task_each(s, &f, keep_task, &x));
    assert_true(x.n == 1 && strcmp(x.v[0].kind, "verification") == 0);
    f = (eg_ctl_filter){ .state = "done", .kind = "referral", .id_no = "P1", .limit = 5 };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_task_each(s, &f, keep_task, &x));
    assert_true(x.n == 1 && x.v[0].id == id);
    u.order_id = o.id + 100;
    assert_int_equal(eg_store_ctl_task_add(s, &u, NULL), EG_ERR_DB);
    u.order_id = o.id;
    OK(eg_store_begin(s));
    OK(eg_store_ctl_task_add(s, &u, NULL));
    OK(eg_store_rollback(s));
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_task_each(s, NULL, keep_task, &x));
    assert_int_equal(x.n, 2);
    /* no default kind or state: what the service gives is stored */
    SET(u.kind, "");
    SET(u.state, "");
    OK(eg_store_ctl_task_add(s, &u, &id));
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_task_each(s, NULL, keep_task, &x));
    assert_true(x.n == 3 && x.v[2].id == id);
    assert_string_equal(x.v[2].kind, "");
    assert_string_equal(x.v[2].state, "");
    eg_test_store_close(s);
}

/* ---- teams ---- */

typedef struct members {
    int n;
    eg_ctl_member v[5];
} members;

static eg_err keep_member(void *ctx, const eg_ctl_member *m)
{
    members *x = ctx;
    assert_true(x->n < 5);
    x->v[x->n++] = *m;
    return EG_OK;
}

typedef struct loads {
    int n;
    char id[4][EG_CTL_WORD_BUFSZ];
    long orders[4];
} loads;

static eg_err keep_load(void *ctx, const char *staff_id, long orders)
{
    loads *x = ctx;
    assert_true(x->n < 4);
    SET(x->id[x->n], staff_id);
    x->orders[x->n++] = orders;
    return EG_OK;
}

/* 1 if staff `id` is in the loads. */
static int has_load(const loads *x, const char *id)
{
    for (int i = 0; i < x->n; i++)
        if (strcmp(x->id[i], id) == 0)
            return 1;
    return 0;
}

/* A member of order `order_id` in `role`. */
static eg_ctl_member a_member(int64_t order_id, const char *role, const char *staff_id, const char *mstate)
{
    eg_ctl_member m;
    memset(&m, 0, sizeof m);
    m.order_id = order_id;
    SET(m.role, role);
    SET(m.staff_id, staff_id);
    SET(m.state, mstate);
    m.proposed_at = ct_time(2020, 2, 1, 9, 0);
    if (strcmp(mstate, "confirmed") == 0) {
        m.confirmed_at = ct_time(2020, 2, 1, 9, 30);
        SET(m.confirmed_by, "user:lead");
    }
    return m;
}

/* ctl_member_put/each, ctl_load_each, ctl_order_short_team: every field
 * (with the staff row's name, phone and division), replace by (order,
 * role), in the order of the roles given, loads of orders in the states
 * given by staff id, short teams by team size, member state and order
 * states, by id, the empty set, rollback. */
static void ctl_team_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    members x = { 0 };
    loads l = { 0 };
    ids y = { 0 };
    eg_staff_rec st = { .staff_id = "S1", .name = "冯二", .phone = "13911112222", .role = "doctor",
                        .juris_code = "220502", .unit = "", .synthetic = 0 };
    OK(eg_store_staff_put(s, &st, NULL));
    eg_ctl_order o = put_order(s, "P1", "220502", "active", ct_date(2020, 2, 1));
    eg_ctl_order o2 = put_order(s, "P2", "220502", "active", ct_date(2020, 2, 1));
    eg_ctl_order o3 = put_order(s, "P3", "220502", "released", ct_date(2020, 2, 1));
    eg_ctl_member doc = a_member(o.id, "doctor", "S1", "confirmed");
    OK(eg_store_ctl_member_put(s, &doc));
    eg_ctl_member pol = a_member(o.id, "police", "S2", "proposed");
    OK(eg_store_ctl_member_put(s, &pol));
    eg_ctl_member tc = a_member(o.id, "township_cadre", "S3", "proposed");
    OK(eg_store_ctl_member_put(s, &tc));
    tc = a_member(o.id, "township_cadre", "S5", "confirmed"); /* replaced */
    OK(eg_store_ctl_member_put(s, &tc));
    eg_ctl_member d2 = a_member(o2.id, "doctor", "S1", "confirmed");
    OK(eg_store_ctl_member_put(s, &d2));
    eg_ctl_member d3 = a_member(o3.id, "doctor", "S1", "confirmed");
    OK(eg_store_ctl_member_put(s, &d3));
    OK(eg_store_ctl_member_each(s, o.id, &ROLES, keep_member, &x));
    assert_int_equal(x.n, 3);
    assert_string_equal(x.v[0].role, "township_cadre");
    assert_string_equal(x.v[1].role, "police");
    assert_string_equal(x.v[2].role, "doctor");
    SET(doc.staff_name, "冯二");
    SET(doc.phone, "13911112222");
    SET(doc.staff_juris, "220502");
    const eg_ctl_member *g = &x.v[2];
    EQI(g, &doc, order_id);
    EQS(g, &doc, role);
    EQS(g, &doc, staff_id);
    EQS(g, &doc, staff_name);
    EQS(g, &doc, phone);
    EQS(g, &doc, staff_juris);
    EQS(g, &doc, state);
    EQI(g, &doc, proposed_at);
    EQI(g, &doc, confirmed_at);
    EQS(g, &doc, confirmed_by);
    assert_string_equal(x.v[1].staff_name, ""); /* S2 is not a staff row */
    assert_int_equal(x.v[1].confirmed_at, 0);
    assert_string_equal(x.v[0].staff_id, "S5");
    assert_string_equal(x.v[0].state, "confirmed");
    /* another order of roles; roles not listed after the listed ones */
    const eg_ctl_words reversed = { { "doctor", "police", "village_cadre", "township_cadre" } };
    const eg_ctl_words police = { { "police" } };
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_member_each(s, o.id, &reversed, keep_member, &x));
    assert_int_equal(x.n, 3);
    assert_string_equal(x.v[0].role, "doctor");
    assert_string_equal(x.v[1].role, "police");
    assert_string_equal(x.v[2].role, "township_cadre");
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_member_each(s, o.id, &police, keep_member, &x));
    assert_int_equal(x.n, 3);
    assert_string_equal(x.v[0].role, "police");
    assert_true(strcmp(x.v[1].role, "police") != 0 && strcmp(x.v[2].role, "police") != 0);
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_member_each(s, o3.id, &ROLES, keep_member, &x));
    assert_true(x.n == 1 && strcmp(x.v[0].role, "doctor") == 0);
    /* loads: orders in the states, by staff id (S1 on o, o2 and o3) */
    OK(eg_store_ctl_load_each(s, &RUNNING, keep_load, &l));
    assert_int_equal(l.n, 3);
    assert_string_equal(l.id[0], "S1");
    assert_int_equal(l.orders[0], 2);
    assert_string_equal(l.id[1], "S2");
    assert_int_equal(l.orders[1], 1);
    assert_string_equal(l.id[2], "S5");
    assert_int_equal(l.orders[2], 1);
    const eg_ctl_words released = { { "released" } };
    memset(&l, 0, sizeof l);
    OK(eg_store_ctl_load_each(s, &released, keep_load, &l));
    assert_true(l.n == 1 && has_load(&l, "S1") && l.orders[0] == 1);
    memset(&l, 0, sizeof l);
    OK(eg_store_ctl_load_each(s, &NONE, keep_load, &l));
    assert_int_equal(l.n, 0);
    /* short teams: orders in the states with fewer than `members` members
     * in the member state ("" any), by id. o: 2 confirmed, 1 proposed;
     * o2: 1 confirmed; o3 (released): 1 confirmed */
    OK(eg_store_ctl_order_short_team(s, &RUNNING, 2, "confirmed", keep_order_id, &y));
    assert_true(y.n == 1 && y.v[0] == o2.id);
    memset(&y, 0, sizeof y);
    OK(eg_store_ctl_order_short_team(s, &RUNNING, 3, "", keep_order_id, &y));
    assert_true(y.n == 1 && y.v[0] == o2.id);
    memset(&y, 0, sizeof y);
    OK(eg_store_ctl_order_short_team(s, &RUNNING, 4, "", keep_order_id, &y));
    assert_true(y.n == 2 && y.v[0] == o.id && y.v[1] == o2.id);
    memset(&y, 0, sizeof y);
    OK(eg_store_ctl_order_short_team(s, &RUNNING, 3, "confirmed", keep_order_id, &y));
    assert_true(y.n == 2 && y.v[0] == o.id && y.v[1] == o2.id);
    memset(&y, 0, sizeof y);
    OK(eg_store_ctl_order_short_team(s, &RUNNING, 1, "proposed", keep_order_id, &y));
    assert_true(y.n == 1 && y.v[0] == o2.id);
    memset(&y, 0, sizeof y);
    OK(eg_store_ctl_order_short_team(s, &RUNNING, 1, "confirmed", keep_order_id, &y));
    assert_int_equal(y.n, 0);
    memset(&y, 0, sizeof y);
    OK(eg_store_ctl_order_short_team(s, &released, 2, "", keep_order_id, &y));
    assert_true(y.n == 1 && y.v[0] == o3.id);
    memset(&y, 0, sizeof y);
    OK(eg_store_ctl_order_short_team(s, &NONE, 4, "", keep_order_id, &y));
    assert_int_equal(y.n, 0);
    eg_ctl_member vc = a_member(o.id, "village_cadre", "S4", "proposed");
    OK(eg_store_begin(s));
    OK(eg_store_ctl_member_put(s, &vc));
    OK(eg_store_rollback(s));
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_member_each(s, o.id, &ROLES, keep_member, &x));
    assert_int_equal(x.n, 3);
    memset(&y, 0, sizeof y); /* the rolled-back member counts nowhere */
    OK(eg_store_ctl_order_short_team(s, &RUNNING, 4, "", keep_order_id, &y));
    assert_int_equal(y.n, 2);
    eg_test_store_close(s);
}

/* ctl_token_add/find/revoke: the round trip, not found, the same hash
 * again refused, revocation counts valid tokens only, rollback. */
static void ctl_token_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    int64_t order_id = 0;
    eg_time revoked = -1;
    long n = -1;
    eg_ctl_order o = put_order(s, "P1", "2205", "active", ct_date(2020, 2, 1));
    assert_int_equal(eg_store_ctl_token_find(s, "aa", &order_id, &revoked), EG_ERR_NOT_FOUND);
    OK(eg_store_ctl_token_add(s, "aa", o.id, ct_time(2020, 2, 1, 9, 0), "os:a"));
    OK(eg_store_ctl_token_add(s, "bb", o.id, ct_time(2020, 2, 1, 9, 0), "os:a"));
    assert_int_equal(eg_store_ctl_token_add(s, "aa", o.id, ct_time(2020, 2, 1, 9, 0), "os:a"), EG_ERR_DB);
    assert_int_equal(eg_store_ctl_token_add(s, "cc", o.id + 100, ct_time(2020, 2, 1, 9, 0), "os:a"), EG_ERR_DB);
    OK(eg_store_ctl_token_find(s, "aa", &order_id, &revoked));
    assert_int_equal(order_id, o.id);
    assert_int_equal(revoked, 0);
    OK(eg_store_begin(s)); /* rolled back: still valid */
    OK(eg_store_ctl_token_revoke(s, o.id, ct_time(2020, 2, 4, 9, 0), &n));
    assert_int_equal(n, 2);
    OK(eg_store_rollback(s));
    OK(eg_store_ctl_token_find(s, "bb", &order_id, &revoked));
    assert_int_equal(revoked, 0);
    OK(eg_store_ctl_token_revoke(s, o.id, ct_time(2020, 2, 5, 9, 0), &n));
    assert_int_equal(n, 2);
    OK(eg_store_ctl_token_find(s, "bb", &order_id, &revoked));
    assert_int_equal(revoked, ct_time(2020, 2, 5, 9, 0));
    OK(eg_store_ctl_token_revoke(s, o.id, ct_time(2020, 2, 6, 9, 0), &n));
    assert_int_equal(n, 0);
    OK(eg_store_begin(s));
    OK(eg_store_ctl_token_add(s, "dd", o.id, ct_time(2020, 2, 1, 9, 0), "os:a"));
    OK(eg_store_rollback(s));
    assert_int_equal(eg_store_ctl_token_find(s, "dd", &order_id, &revoked), EG_ERR_NOT_FOUND);
    eg_test_store_close(s);
}

/* ---- the daily run ---- */

typedef struct todos {
    int n;
    eg_ctl_todo v[8];
} todos;

static eg_err keep_todo(void *ctx, const eg_ctl_todo *t)
{
    todos *x = ctx;
    assert_true(x->n < 8);
    x->v[x->n++] = *t;
    return EG_OK;
}

/* Insert an order of `measure` from `start` to `end` (the other fields
 * an_order's); returns it with id and oid. */
static eg_ctl_order put_order_as(eg_store *s, const char *id_no, const char *juris, const char *state,
                                 const char *measure, eg_date start, eg_date end)
{
    eg_ctl_order o = an_order(id_no, juris, state, start);
    SET(o.measure, measure);
    o.end_date = end;
    OK(eg_store_ctl_order_insert(s, &o));
    return o;
}

/* Assert that order o is stored as it is (every field) and has no
 * history. */
static void untouched(eg_store *s, const eg_ctl_order *o)
{
    eg_ctl_order got;
    events x = { 0 };
    OK(eg_store_ctl_order_by_id(s, o->id, &got));
    same_order(&got, o);
    OK(eg_store_ctl_event_each(s, o->id, keep_event, &x));
    assert_int_equal(x.n, 0);
}

/* Assert that order o was moved to `to` at `at` (every other field as
 * it was) with one history event: actor, action, its measure, from its
 * state to `to`, reason. */
static void released_as(eg_store *s, const eg_ctl_order *o, const char *to, eg_time at, const char *actor,
                        const char *action, const char *reason)
{
    eg_ctl_order got, want = *o;
    events x = { 0 };
    SET(want.state, to);
    want.updated_at = at;
    OK(eg_store_ctl_order_by_id(s, o->id, &got));
    same_order(&got, &want);
    OK(eg_store_ctl_event_each(s, o->id, keep_event, &x));
    assert_int_equal(x.n, 1);
    const eg_ctl_event *g = &x.v[0];
    assert_int_equal(g->order_id, o->id);
    assert_int_equal(g->at, at);
    assert_string_equal(g->actor, actor);
    assert_string_equal(g->action, action);
    assert_string_equal(g->from_measure, o->measure);
    assert_string_equal(g->to_measure, o->measure);
    assert_string_equal(g->from_state, o->state);
    assert_string_equal(g->to_state, to);
    assert_string_equal(g->reason, reason);
}

/* ctl_release_due with the daily service's parameters (running states,
 * observation measures, "released", "release", its reason text): the
 * orders in the states, of the measures, ending on or before the day get
 * the state and moment and one event each with the placeholders filled;
 * others (later end, other measure, other state) are untouched; a second
 * run releases none; the empty set none; other words and texts are the
 * caller's; rollback undoes orders and events. */
static void ctl_release_due_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    long n = -1;
    eg_time at = ct_time(2020, 2, 15, 0, 5);
    eg_ctl_order due = put_order_as(s, "P1", "2205", "active", "home_quarantine", ct_date(2020, 2, 1),
                                    ct_date(2020, 2, 15));
    eg_ctl_order waiting = put_order_as(s, "P2", "2206", "awaiting_admission", "central_isolation",
                                        ct_date(2020, 1, 30), ct_date(2020, 2, 13));
    eg_ctl_order later = put_order_as(s, "P3", "2205", "active", "home_quarantine", ct_date(2020, 2, 2),
                                      ct_date(2020, 2, 16));
    eg_ctl_order sus = put_order_as(s, "P4", "2205", "active", "suspected", ct_date(2020, 2, 1),
                                    ct_date(2020, 2, 15));
    eg_ctl_order done = put_order_as(s, "P5", "2205", "released", "home_quarantine", ct_date(2020, 1, 27),
                                     ct_date(2020, 2, 10));
    eg_ctl_release r;
    memset(&r, 0, sizeof r);
    r.states = RUNNING;
    r.measures = OBSERVATION;
    r.day = ct_date(2020, 2, 15);
    r.to_state = "released";
    r.at = at;
    r.actor = "system";
    r.action = "release";
    r.reason = "planned end {end_date} reached ({measure} from {start_date})";
    OK(eg_store_begin(s)); /* rolled back: orders and history unchanged */
    OK(eg_store_ctl_release_due(s, &r, &n));
    assert_int_equal(n, 2);
    OK(eg_store_rollback(s));
    untouched(s, &due);
    untouched(s, &waiting);
    OK(eg_store_ctl_release_due(s, &r, &n));
    assert_int_equal(n, 2);
    released_as(s, &due, "released", at, "system", "release",
                "planned end 2020-02-15 reached (home_quarantine from 2020-02-01)");
    released_as(s, &waiting, "released", at, "system", "release",
                "planned end 2020-02-13 reached (central_isolation from 2020-01-30)");
    untouched(s, &later);
    untouched(s, &sus);
    untouched(s, &done);
    OK(eg_store_ctl_release_due(s, &r, &n)); /* again: none left in the states */
    assert_int_equal(n, 0);
    r.states = NONE;
    r.day = ct_date(2020, 3, 1);
    OK(eg_store_ctl_release_due(s, &r, &n));
    assert_int_equal(n, 0);
    untouched(s, &later);
    /* the words and texts are the caller's */
    eg_ctl_release r2;
    memset(&r2, 0, sizeof r2);
    r2.states = (eg_ctl_words){ { "released" } };
    r2.measures = (eg_ctl_words){ { "home_quarantine" } };
    r2.day = ct_date(2020, 2, 10);
    r2.to_state = "archived";
    r2.at = ct_time(2020, 2, 16, 8, 0);
    r2.actor = "user:lead";
    r2.action = "archive";
    r2.reason = "{measure} ended {end_date}";
    OK(eg_store_ctl_release_due(s, &r2, &n));
    assert_int_equal(n, 1);
    released_as(s, &done, "archived", r2.at, "user:lead", "archive", "home_quarantine ended 2020-02-10");
    released_as(s, &due, "released", at, "system", "release",
                "planned end 2020-02-15 reached (home_quarantine from 2020-02-01)");
    untouched(s, &later);
    eg_test_store_close(s);
}

/* Add a reading of order o at `at` (fails the test on error). */
static void put_reading(eg_store *s, const eg_ctl_order *o, eg_time at)
{
    eg_ctl_reading r;
    int dup = -1;
    memset(&r, 0, sizeof r);
    r.order_id = o->id;
    SET(r.id_no, o->id_no);
    r.taken_at = at;
    r.temp_dc = 365;
    SET(r.source, "self");
    r.recorded_at = at;
    SET(r.actor, "self");
    OK(eg_store_ctl_reading_add(s, &r, &dup));
    assert_int_equal(dup, 0);
}

/* The alert of order `order_id` in x whose dedup key ends with `slot`
 * (NULL: none). */
static const eg_ctl_alert *alert_of(const alerts *x, int64_t order_id, const char *slot)
{
    for (int i = 0; i < x->n; i++) {
        size_t k = strlen(x->v[i].dedup), m = strlen(slot);
        if (x->v[i].order_id == order_id && k >= m && strcmp(x->v[i].dedup + k - m, slot) == 0)
            return &x->v[i];
    }
    return NULL;
}

/* Assert that x holds the missed-reading alert of order o for `slot`
 * with the sweep m's kind, state, reason, moments and key. */
static void missed_alert(const alerts *x, const eg_ctl_order *o, const char *slot, const eg_ctl_missed *m)
{
    char key[96];
    const eg_ctl_alert *a = alert_of(x, o->id, slot);
    assert_non_null(a);
    snprintf(key, sizeof key, "missed:%lld:2020-02-03:%s", (long long)o->id, slot);
    assert_true(a->id > 0);
    assert_int_equal(strlen(a->aid), 16);
    assert_string_equal(a->kind, m->kind);
    assert_string_equal(a->id_no, o->id_no);
    assert_string_equal(a->name, o->name);
    assert_string_equal(a->juris_code, o->juris_code);
    assert_string_equal(a->reason, m->reason);
    assert_string_equal(a->state, m->state);
    assert_string_equal(a->dedup, key);
    assert_int_equal(a->created_at, m->deadline);
    assert_int_equal(a->due_at, m->due_at);
    assert_string_equal(a->escalated_to, "");
    assert_int_equal(a->escalated_at, 0);
    assert_int_equal(a->ack_at, 0);
    assert_int_equal(a->resolved_at, 0);
}

/* ctl_missed_readings with the daily service's parameters: one alert
 * (kind, state, reason, key with the order's id, created at the
 * deadline, due at due_at, the order's person and division) per order in
 * the states, of the measures, under way on the day (start <= day < end),
 * created before the deadline and without a reading in [from, deadline);
 * a second run adds none (the key); another slot's key adds its own;
 * the empty set none; rollback leaves no alert. */
static void ctl_missed_readings_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    long n = -1;
    alerts x = { 0 };
    eg_date start = ct_date(2020, 2, 1), end = ct_date(2020, 2, 15);
    eg_ctl_order quiet = put_order_as(s, "P1", "220501", "active", "home_quarantine", start, end);
    eg_ctl_order read = put_order_as(s, "P2", "220502", "active", "home_quarantine", start, end);
    eg_ctl_order outside = put_order_as(s, "P3", "220503", "active", "home_quarantine", start, end);
    eg_ctl_order edge = put_order_as(s, "P4", "220504", "active", "home_quarantine", start, end);
    eg_ctl_order waiting = put_order_as(s, "P5", "220505", "awaiting_admission", "central_isolation", start, end);
    eg_ctl_order sus = put_order_as(s, "P6", "220506", "active", "suspected", start, end);
    eg_ctl_order rel = put_order_as(s, "P7", "220507", "released", "home_quarantine", start, end);
    eg_ctl_order fut = put_order_as(s, "P8", "220508", "active", "home_quarantine", ct_date(2020, 2, 4),
                                    ct_date(2020, 2, 18));
    eg_ctl_order ended = put_order_as(s, "P9", "220509", "active", "home_quarantine", ct_date(2020, 1, 20),
                                      ct_date(2020, 2, 3));
    eg_ctl_order fresh = an_order("P10", "220510", "active", start);
    fresh.created_at = ct_time(2020, 2, 3, 10, 0);
    OK(eg_store_ctl_order_insert(s, &fresh));
    put_reading(s, &read, ct_time(2020, 2, 3, 8, 0));
    put_reading(s, &outside, ct_time(2020, 2, 2, 23, 59));
    put_reading(s, &outside, ct_time(2020, 2, 3, 10, 0));
    put_reading(s, &edge, ct_time(2020, 2, 3, 0, 0));
    eg_ctl_missed m;
    memset(&m, 0, sizeof m);
    m.states = RUNNING;
    m.measures = OBSERVATION;
    m.day = ct_date(2020, 2, 3);
    m.from = ct_time(2020, 2, 3, 0, 0);
    m.deadline = ct_time(2020, 2, 3, 10, 0);
    m.due_at = m.deadline + 120;
    m.kind = "missed_reading";
    m.state = "open";
    m.reason = "no morning reading of 2020-02-03 by 10:00";
    m.dedup = "missed:{order_id}:2020-02-03:morning";
    OK(eg_store_begin(s)); /* rolled back: no alert */
    OK(eg_store_ctl_missed_readings(s, &m, &n));
    assert_int_equal(n, 3);
    OK(eg_store_rollback(s));
    OK(eg_store_ctl_alert_each(s, NULL, keep_alert, &x));
    assert_int_equal(x.n, 0);
    OK(eg_store_ctl_missed_readings(s, &m, &n));
    assert_int_equal(n, 3);
    OK(eg_store_ctl_missed_readings(s, &m, &n)); /* again: the keys exist */
    assert_int_equal(n, 0);
    OK(eg_store_ctl_alert_each(s, NULL, keep_alert, &x));
    assert_int_equal(x.n, 3);
    missed_alert(&x, &quiet, "morning", &m);
    missed_alert(&x, &outside, "morning", &m);
    missed_alert(&x, &waiting, "morning", &m);
    /* the evening: [10:00, 20:00) holds outside's 10:00 reading; fresh
     * was created before 20:00 */
    eg_ctl_missed ev = m;
    ev.from = m.deadline;
    ev.deadline = ct_time(2020, 2, 3, 20, 0);
    ev.due_at = ev.deadline + 120;
    ev.reason = "no evening reading of 2020-02-03 by 20:00";
    ev.dedup = "missed:{order_id}:2020-02-03:evening";
    OK(eg_store_ctl_missed_readings(s, &ev, &n));
    assert_int_equal(n, 5);
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_alert_each(s, NULL, keep_alert, &x));
    assert_int_equal(x.n, 8);
    missed_alert(&x, &quiet, "evening", &ev);
    missed_alert(&x, &read, "evening", &ev);
    missed_alert(&x, &edge, "evening", &ev);
    missed_alert(&x, &waiting, "evening", &ev);
    missed_alert(&x, &fresh, "evening", &ev);
    const eg_ctl_order *none[] = { &read, &edge, &sus, &rel, &fut, &ended, &fresh };
    for (size_t i = 0; i < sizeof none / sizeof none[0]; i++)
        assert_null(alert_of(&x, none[i]->id, "morning"));
    assert_null(alert_of(&x, outside.id, "evening"));
    /* the empty set raises none */
    eg_ctl_missed e2 = m;
    e2.measures = NONE;
    e2.dedup = "other:{order_id}";
    OK(eg_store_ctl_missed_readings(s, &e2, &n));
    assert_int_equal(n, 0);
    eg_test_store_close(s);
}

/* Add an alert of order `order_id` (division `juris`, `state`, key
 * `dedup`), escalated to `up` unless it is "". */
static void put_alert(eg_store *s, int64_t order_id, const char *juris, const char *state, const char *dedup,
                      const char *up)
{
    eg_ctl_alert a;
    alerts x = { 0 };
    int created = -1;
    memset(&a, 0, sizeof a);
    SET(a.kind, "fever");
    a.order_id = order_id;
    SET(a.juris_code, juris);
    SET(a.state, state);
    SET(a.dedup, dedup);
    a.created_at = ct_time(2020, 2, 13, 8, 0);
    a.due_at = ct_time(2020, 2, 13, 10, 0);
    OK(eg_store_ctl_alert_add(s, &a, &created));
    assert_int_equal(created, 1);
    if (!*up)
        return;
    eg_ctl_filter newest = { .limit = 1 };
    OK(eg_store_ctl_alert_each(s, &newest, keep_alert, &x));
    assert_true(x.n == 1 && strcmp(x.v[0].dedup, dedup) == 0);
    SET(x.v[0].escalated_to, up);
    x.v[0].escalated_at = a.due_at;
    OK(eg_store_ctl_alert_save(s, &x.v[0]));
}

/* Add a task of order `order_id` (division 220503, `state`, due `due`). */
static void put_task(eg_store *s, int64_t order_id, const char *state, eg_time due)
{
    eg_ctl_task t;
    memset(&t, 0, sizeof t);
    SET(t.kind, "verification");
    t.order_id = order_id;
    SET(t.juris_code, "220503");
    SET(t.state, state);
    t.created_at = ct_time(2020, 2, 13, 8, 0);
    t.due_at = due;
    OK(eg_store_ctl_task_add(s, &t, NULL));
}

/* Assert the counts of a to-do line. */
static void todo_is(const eg_ctl_todo *t, const char *code, long under, long awaiting, long releases, long alerts_open,
                    long escalated, long tasks_open, long overdue, long teams)
{
    assert_string_equal(t->juris_code, code);
    assert_int_equal(t->under_control, under);
    assert_int_equal(t->awaiting_admission, awaiting);
    assert_int_equal(t->releases_next_day, releases);
    assert_int_equal(t->alerts_open, alerts_open);
    assert_int_equal(t->alerts_escalated_here, escalated);
    assert_int_equal(t->tasks_open, tasks_open);
    assert_int_equal(t->tasks_overdue, overdue);
    assert_int_equal(t->teams_incomplete, teams);
}

/* ctl_todo_each with the service's parameters (running states,
 * observation measures, unresolved alert states, awaiting, open alert and
 * task states, confirmed members, team size, next day, now): the counts
 * of each division, escalated open alerts counted at their target,
 * divisions with nothing to do (orders alone) absent, by code; other
 * parameters other counts. ctl_daily_log: the same date and moment again
 * is a duplicate; rollback. */
static void ctl_todo_and_log_contract(void **state)
{
    (void)state;
    eg_store *s = ct_open();
    todos x = { 0 };
    int dup = -1;
    eg_ctl_order a = put_order_as(s, "P1", "220503", "active", "home_quarantine", ct_date(2020, 2, 1),
                                  ct_date(2020, 2, 15));
    eg_ctl_order sus = put_order_as(s, "P6", "220503", "active", "suspected", ct_date(2020, 2, 1),
                                    ct_date(2020, 2, 15));
    put_order_as(s, "P2", "220502", "awaiting_admission", "home_quarantine", ct_date(2020, 2, 5),
                 ct_date(2020, 2, 19));
    eg_ctl_order rel = put_order_as(s, "P3", "220504", "released", "home_quarantine", ct_date(2020, 2, 1),
                                    ct_date(2020, 2, 15));
    eg_ctl_order full = put_order_as(s, "P7", "220506", "active", "home_quarantine", ct_date(2020, 2, 6),
                                     ct_date(2020, 2, 20));
    eg_ctl_member m = a_member(a.id, "doctor", "S1", "confirmed");
    OK(eg_store_ctl_member_put(s, &m));
    m = a_member(a.id, "police", "S2", "proposed");
    OK(eg_store_ctl_member_put(s, &m));
    m = a_member(sus.id, "doctor", "S1", "confirmed");
    OK(eg_store_ctl_member_put(s, &m));
    m = a_member(sus.id, "police", "S2", "confirmed");
    OK(eg_store_ctl_member_put(s, &m));
    m = a_member(full.id, "doctor", "S1", "confirmed");
    OK(eg_store_ctl_member_put(s, &m));
    m = a_member(full.id, "police", "S3", "confirmed");
    OK(eg_store_ctl_member_put(s, &m));
    m = a_member(rel.id, "doctor", "S1", "proposed");
    OK(eg_store_ctl_member_put(s, &m));
    put_task(s, a.id, "open", ct_time(2020, 2, 13, 20, 0));
    put_task(s, a.id, "open", ct_time(2020, 2, 14, 9, 0)); /* due at now: not overdue */
    put_task(s, a.id, "done", ct_time(2020, 2, 13, 20, 0));
    put_alert(s, a.id, "220504", "open", "k1", "");
    put_alert(s, a.id, "220504", "acknowledged", "k2", "");
    put_alert(s, a.id, "220504", "resolved", "k3", "");
    put_alert(s, a.id, "220505", "open", "k4", "2205");
    put_alert(s, a.id, "220505", "acknowledged", "k5", "2205");
    eg_ctl_todo_query q;
    memset(&q, 0, sizeof q);
    q.running = RUNNING;
    q.observation = OBSERVATION;
    q.alert_unresolved = UNRESOLVED;
    q.awaiting = "awaiting_admission";
    q.alert_open = "open";
    q.task_open = "open";
    q.member_state = "confirmed";
    q.team_size = 2;
    q.next_day = ct_date(2020, 2, 15);
    q.now = ct_time(2020, 2, 14, 9, 0);
    OK(eg_store_ctl_todo_each(s, &q, keep_todo, &x));
    assert_int_equal(x.n, 5);
    /*                code      under await rel  alerts esc  tasks overdue teams */
    todo_is(&x.v[0], "2205", 0, 0, 0, 0, 1, 0, 0, 0);
    todo_is(&x.v[1], "220502", 1, 1, 0, 0, 0, 0, 0, 1);
    todo_is(&x.v[2], "220503", 2, 0, 1, 0, 0, 2, 1, 1);
    todo_is(&x.v[3], "220504", 0, 0, 0, 2, 0, 0, 0, 0);
    todo_is(&x.v[4], "220505", 0, 0, 0, 2, 0, 0, 0, 0);
    /* a team of one, the next day 02-16, now 02-15 00:00 */
    q.team_size = 1;
    q.next_day = ct_date(2020, 2, 16);
    q.now = ct_time(2020, 2, 15, 0, 0);
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_todo_each(s, &q, keep_todo, &x));
    assert_int_equal(x.n, 5);
    todo_is(&x.v[1], "220502", 1, 1, 0, 0, 0, 0, 0, 1);
    todo_is(&x.v[2], "220503", 2, 0, 0, 0, 0, 2, 2, 0);
    /* a team of three: the full team is short now, its division listed */
    q.team_size = 3;
    memset(&x, 0, sizeof x);
    OK(eg_store_ctl_todo_each(s, &q, keep_todo, &x));
    assert_int_equal(x.n, 6);
    todo_is(&x.v[5], "220506", 1, 0, 0, 0, 0, 0, 0, 1);
    OK(eg_store_begin(s));
    OK(eg_store_ctl_daily_log(s, ct_date(2020, 2, 14), ct_time(2020, 2, 14, 9, 0), "rolled", &dup));
    assert_int_equal(dup, 0);
    OK(eg_store_rollback(s));
    OK(eg_store_ctl_daily_log(s, ct_date(2020, 2, 14), ct_time(2020, 2, 14, 9, 0), "released 0", &dup));
    assert_int_equal(dup, 0);
    OK(eg_store_ctl_daily_log(s, ct_date(2020, 2, 14), ct_time(2020, 2, 14, 9, 0), "again", &dup));
    assert_int_equal(dup, 1);
    OK(eg_store_ctl_daily_log(s, ct_date(2020, 2, 14), ct_time(2020, 2, 14, 9, 1), "later", &dup));
    assert_int_equal(dup, 0);
    eg_test_store_close(s);
}

const struct CMUnitTest contract_control_cases[] = {
    cmocka_unit_test(ctl_order_contract),
    cmocka_unit_test(ctl_order_states_contract),
    cmocka_unit_test(ctl_event_contract),
    cmocka_unit_test(ctl_test_contract),
    cmocka_unit_test(ctl_reading_contract),
    cmocka_unit_test(ctl_assessment_contract),
    cmocka_unit_test(ctl_alert_contract),
    cmocka_unit_test(ctl_task_contract),
    cmocka_unit_test(ctl_team_contract),
    cmocka_unit_test(ctl_token_contract),
    cmocka_unit_test(ctl_release_due_contract),
    cmocka_unit_test(ctl_missed_readings_contract),
    cmocka_unit_test(ctl_todo_and_log_contract),
};
const size_t contract_control_ncases = CT_NCASES(contract_control_cases);
