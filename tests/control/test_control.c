/*
 * tests/control/test_control.c: the life of orders under control measures
 * (issue 5, "Done when"): returnee released on the end date, close contact
 * re-exposed on day 10, fever → suspected → excluded → back to isolation
 * (minimum stay 0) or released (default), suspected → confirmed →
 * discharged → observation → released, discharge refusals, end dates
 * across month ends and leap days, escalation by the clock, an idempotent
 * daily run, bad input, teams, tokens and notices.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "epigrid/control.h"
#include "epigrid/idno.h"
#include "testutil.h"

#define ACTOR "test:user"

#define T tu_time
#define D tu_date

/* A registered person of grid 220502001001; returns the id_no in buf. */
static const char *person(eg_store *s, int seq, char *buf)
{
    return tu_person(s, seq, "220502001001", buf);
}

/* A fresh store with the tree and a few staff for teams. */
static eg_store *fresh(const char *name)
{
    eg_store *s = tu_store_new(name);
    tu_load_bundled_tree(s);
    static const eg_staff_rec STAFF[] = {
        { "T1", "乡干部甲", "13900000001", "township_cadre", "220502001", "", 1 },
        { "T2", "乡干部乙", "13900000002", "township_cadre", "220502001", "", 1 },
        { "V1", "村干部甲", "13900000003", "village_cadre", "220502001001", "", 1 },
        { "P1", "民警甲", "13900000004", "police", "220502001001", "", 1 },
        { "D1", "村医甲", "13900000005", "doctor", "220502001001", "", 1 },
    };
    for (size_t i = 0; i < sizeof STAFF / sizeof STAFF[0]; i++)
        assert_int_equal(eg_store_staff_put(s, &STAFF[i], NULL), EG_OK);
    return s;
}

/* Open an order (fails the test on error). */
static eg_ctl_order open_order(eg_store *s, const eg_control_params *p, const char *id, const char *measure,
                               const char *start, const char *now)
{
    eg_ctl_order o;
    eg_diag d;
    eg_err e = eg_control_open(s, p, id, NULL, measure, strcmp(measure, "confirmed") ? NULL : "mild", D(start),
                               NULL, ACTOR, T(now), &o, &d);
    if (e)
        fail_msg("open: %s", d.reason);
    return o;
}

/* Apply a transition; returns its code, diag in d. */
static eg_err act(eg_store *s, const eg_control_params *p, const char *oid, eg_control_action a, const char *date,
                  const char *sev, const char *now, eg_diag *d)
{
    eg_control_change c = { .action = a, .date = date ? D(date) : EG_NO_DATE, .severity = sev,
                            .reason = "test", .actor = ACTOR, .now = T(now) };
    eg_diag_clear(d);
    return eg_control_transition(s, p, oid, &c, NULL, d);
}

/* Apply a transition that must succeed. */
static void ok(eg_store *s, const eg_control_params *p, const char *oid, eg_control_action a, const char *date,
               const char *sev, const char *now)
{
    eg_diag d;
    if (act(s, p, oid, a, date, sev, now, &d))
        fail_msg("%s: %s", eg_control_action_name(a), d.reason);
}

static eg_ctl_order get(eg_store *s, const char *oid)
{
    eg_ctl_order o;
    assert_int_equal(eg_control_order_get(s, oid, &o), EG_OK);
    return o;
}

static eg_err count_event(void *ctx, const eg_ctl_event *e)
{
    (void)e;
    (*(long *)ctx)++;
    return EG_OK;
}

static long events(eg_store *s, int64_t id)
{
    long n = 0;
    assert_int_equal(eg_store_ctl_event_each(s, id, count_event, &n), EG_OK);
    return n;
}

static void daily(eg_store *s, const eg_control_params *p, const char *day, const char *now, eg_daily_summary *out)
{
    eg_diag d;
    if (eg_control_daily(s, p, D(day), T(now), ACTOR, out, &d))
        fail_msg("daily: %s", d.reason);
}

static void test_add(eg_store *s, const char *id, const char *at, const char *result, const char *now)
{
    eg_diag d;
    if (eg_control_test_add(s, id, T(at), "rt_pcr", result, "lab", ACTOR, T(now), NULL, &d))
        fail_msg("test: %s", d.reason);
}

static void reading(eg_store *s, const eg_control_params *p, const char *id, const char *at, int dc,
                    const char *sym, eg_reading_outcome *out)
{
    eg_diag d;
    if (eg_control_reading_record(s, p, id, T(at), dc, sym, "team", ACTOR, T(at), out, &d))
        fail_msg("reading: %s", d.reason);
}

/* Returnee: home quarantine 14 days from arrival, released on the end date
 * and not a day before. */
static void returnee_released_on_end_date(void **state)
{
    (void)state;
    eg_control_params p;
    eg_daily_summary sum;
    char id[EG_IDNO_BUFSZ];
    eg_store *s = fresh("ctl-returnee.db");
    eg_control_params_default(&p);
    eg_ctl_order o = open_order(s, &p, person(s, 11, id), "home_quarantine", "2020-02-01", "2020-02-01 21:00");
    assert_int_equal(o.end_date, D("2020-02-15"));
    daily(s, &p, "2020-02-14", "2020-02-14 23:59", &sum);
    assert_int_equal(sum.released, 0);
    assert_string_equal(get(s, o.oid).state, "active");
    eg_diag d;
    assert_int_equal(act(s, &p, o.oid, EG_ACT_RELEASE, NULL, NULL, "2020-02-14 12:00", &d), EG_ERR_STATE);
    assert_non_null(strstr(d.reason, "planned end is 2020-02-15"));
    daily(s, &p, "2020-02-15", "2020-02-16 08:00", &sum);
    assert_int_equal(sum.released, 1);
    assert_string_equal(get(s, o.oid).state, "released");
    assert_int_equal(events(s, o.id), 2);   /* open, release */
    eg_store_close(s);
}

/* Close contact re-exposed on day 10: the end moves to 14 days after it. */
static void close_contact_reexposed(void **state)
{
    (void)state;
    eg_control_params p;
    eg_daily_summary sum;
    eg_diag d;
    char id[EG_IDNO_BUFSZ];
    eg_store *s = fresh("ctl-reexposed.db");
    eg_control_params_default(&p);
    eg_ctl_order o = open_order(s, &p, person(s, 13, id), "central_isolation", "2020-02-01", "2020-02-01 21:00");
    assert_string_equal(o.state, "awaiting_admission");
    assert_int_equal(act(s, &p, o.oid, EG_ACT_EXPOSE, "2020-02-10", NULL, "2020-02-10 09:00", &d), EG_OK);
    ok(s, &p, o.oid, EG_ACT_ADMIT, NULL, NULL, "2020-02-10 10:00");
    assert_int_equal(act(s, &p, o.oid, EG_ACT_ADMIT, NULL, NULL, "2020-02-10 11:00", &d), EG_ERR_STATE);
    o = get(s, o.oid);
    assert_int_equal(o.start_date, D("2020-02-10"));
    assert_int_equal(o.end_date, D("2020-02-24"));
    daily(s, &p, "2020-02-15", "2020-02-15 23:59", &sum);
    assert_int_equal(sum.released, 0);
    daily(s, &p, "2020-02-24", "2020-02-24 23:59", &sum);
    assert_int_equal(sum.released, 1);
    assert_string_equal(get(s, o.oid).state, "released");
    eg_store_close(s);
}

/* Count alerts and tasks of a kind. */
typedef struct counter { long n; } counter;
static eg_err count_alert(void *ctx, const eg_ctl_alert *a) { (void)a; ((counter *)ctx)->n++; return EG_OK; }
static eg_err count_task(void *ctx, const eg_ctl_task *t) { (void)t; ((counter *)ctx)->n++; return EG_OK; }

static long alerts(eg_store *s, const char *kind, const char *state)
{
    counter c = { 0 };
    eg_ctl_filter f = { .kind = kind, .state = state };
    assert_int_equal(eg_store_ctl_alert_each(s, &f, count_alert, &c), EG_OK);
    return c.n;
}

/* Contact with fever → suspected → excluded: back to isolation with the
 * minimum stay 0; released with the default 14 days. */
static void fever_suspected_excluded(void **state)
{
    (void)state;
    eg_control_params p;
    eg_reading_outcome out;
    eg_diag d;
    char id[EG_IDNO_BUFSZ], id2[EG_IDNO_BUFSZ];
    eg_store *s = fresh("ctl-excluded.db");
    eg_control_params_default(&p);
    p.suspected_min_stay_days = 0;
    eg_ctl_order o = open_order(s, &p, person(s, 15, id), "central_isolation", "2020-02-01", "2020-02-01 21:00");
    ok(s, &p, o.oid, EG_ACT_ADMIT, NULL, NULL, "2020-02-02 09:00");
    reading(s, &p, id, "2020-02-03 08:00", 382, "dry_cough", &out);
    assert_true(out.fever && out.alert_created && out.referral_created);
    reading(s, &p, id, "2020-02-03 09:00", 385, "", &out);   /* one alert per order and day */
    assert_false(out.alert_created);
    assert_int_equal(alerts(s, "fever", "open"), 1);
    counter c = { 0 };
    eg_ctl_filter f = { .kind = "referral" };
    assert_int_equal(eg_store_ctl_task_each(s, &f, count_task, &c), EG_OK);
    assert_int_equal(c.n, 1);
    ok(s, &p, o.oid, EG_ACT_SUSPECT, "2020-02-03", NULL, "2020-02-03 10:00");
    assert_string_equal(get(s, o.oid).measure, "suspected");
    /* no tests yet: refused, naming the condition */
    assert_int_equal(act(s, &p, o.oid, EG_ACT_EXCLUDE, NULL, NULL, "2020-02-04 10:00", &d), EG_ERR_STATE);
    assert_non_null(strstr(d.reason, "no nucleic-acid test"));
    test_add(s, id, "2020-02-04 08:00", "negative", "2020-02-04 12:00");
    test_add(s, id, "2020-02-05 09:00", "negative", "2020-02-05 12:00");
    ok(s, &p, o.oid, EG_ACT_EXCLUDE, NULL, NULL, "2020-02-05 13:00");
    o = get(s, o.oid);
    assert_string_equal(o.measure, "central_isolation");
    assert_string_equal(o.state, "active");
    assert_int_equal(o.end_date, D("2020-02-15"));

    /* with the default minimum stay: refused before 14 days, then released */
    eg_control_params_default(&p);
    eg_ctl_order o2 = open_order(s, &p, person(s, 17, id2), "central_isolation", "2020-02-01", "2020-02-01 21:00");
    ok(s, &p, o2.oid, EG_ACT_SUSPECT, "2020-02-03", NULL, "2020-02-03 10:00");
    test_add(s, id2, "2020-02-04 08:00", "negative", "2020-02-04 12:00");
    test_add(s, id2, "2020-02-05 09:00", "negative", "2020-02-05 12:00");
    long before = events(s, o2.id);
    assert_int_equal(act(s, &p, o2.oid, EG_ACT_EXCLUDE, NULL, NULL, "2020-02-05 13:00", &d), EG_ERR_STATE);
    assert_non_null(strstr(d.reason, "minimum stay of 14 days"));
    assert_non_null(strstr(d.reason, "2020-02-17"));
    assert_int_equal(events(s, o2.id), before);   /* refused: nothing changed */
    assert_string_equal(get(s, o2.oid).measure, "suspected");
    ok(s, &p, o2.oid, EG_ACT_EXCLUDE, NULL, NULL, "2020-02-17 09:00");
    o2 = get(s, o2.oid);
    assert_string_equal(o2.measure, "suspected");
    assert_string_equal(o2.state, "released");
    assert_int_equal(events(s, o2.id), before + 2);   /* excluded, then released */
    eg_store_close(s);
}

/* Suspected → confirmed → discharged → observation → released, with the
 * refusals of discharge. */
static void confirmed_discharged_released(void **state)
{
    (void)state;
    eg_control_params p;
    eg_daily_summary sum;
    eg_diag d;
    char id[EG_IDNO_BUFSZ], at[32];
    eg_store *s = fresh("ctl-discharge.db");
    eg_control_params_default(&p);
    eg_ctl_order o = open_order(s, &p, person(s, 19, id), "suspected", "2020-02-01", "2020-02-01 10:00");
    ok(s, &p, o.oid, EG_ACT_CONFIRM, "2020-02-03", "moderate", "2020-02-03 11:00");
    assert_int_equal(act(s, &p, o.oid, EG_ACT_CONFIRM, NULL, "moderate", "2020-02-03 12:00", &d), EG_ERR_STATE);
    ok(s, &p, o.oid, EG_ACT_SEVERITY, NULL, "severe", "2020-02-04 11:00");
    assert_string_equal(get(s, o.oid).severity, "severe");
    eg_reading_outcome out;
    reading(s, &p, id, "2020-02-04 08:00", 385, "", &out);
    assert_false(out.alert_created);   /* in hospital: no referral */
    for (int day = 5; day <= 12; day++) {
        snprintf(at, sizeof at, "2020-02-%02d 08:00", day);
        reading(s, &p, id, at, 366, "", &out);
    }
    /* no assessment yet */
    assert_int_equal(act(s, &p, o.oid, EG_ACT_DISCHARGE, NULL, NULL, "2020-02-12 10:00", &d), EG_ERR_STATE);
    assert_non_null(strstr(d.reason, "clinician"));
    assert_int_equal(eg_control_assess(s, o.oid, 1, 1, "CT improved", "os:clinician", T("2020-02-12 09:00"), &d),
                     EG_OK);
    /* one negative test */
    test_add(s, id, "2020-02-10 08:00", "negative", "2020-02-10 12:00");
    long before = events(s, o.id);
    assert_int_equal(act(s, &p, o.oid, EG_ACT_DISCHARGE, NULL, NULL, "2020-02-12 10:00", &d), EG_ERR_STATE);
    assert_non_null(strstr(d.reason, "only one negative"));
    /* two tests 20 h apart */
    test_add(s, id, "2020-02-11 04:00", "negative", "2020-02-11 12:00");
    assert_int_equal(act(s, &p, o.oid, EG_ACT_DISCHARGE, NULL, NULL, "2020-02-12 10:00", &d), EG_ERR_STATE);
    assert_non_null(strstr(d.reason, "20 h 00 min apart"));
    assert_int_equal(events(s, o.id), before);
    assert_string_equal(get(s, o.oid).measure, "confirmed");
    /* a third, 24 h after the first... the last two must be 24 h apart */
    test_add(s, id, "2020-02-12 05:00", "negative", "2020-02-12 08:00");
    ok(s, &p, o.oid, EG_ACT_DISCHARGE, NULL, NULL, "2020-02-12 10:00");
    o = get(s, o.oid);
    assert_string_equal(o.measure, "post_discharge_observation");
    assert_int_equal(o.end_date, D("2020-02-26"));
    daily(s, &p, "2020-02-25", "2020-02-25 23:59", &sum);
    assert_string_equal(get(s, o.oid).state, "active");
    daily(s, &p, "2020-02-26", "2020-02-26 23:59", &sum);
    assert_string_equal(get(s, o.oid).state, "released");
    eg_store_close(s);
}

/* Temperature not yet normal long enough refuses discharge. */
static void discharge_refused_temperature(void **state)
{
    (void)state;
    eg_control_params p;
    eg_diag d;
    eg_reading_outcome out;
    char id[EG_IDNO_BUFSZ];
    eg_store *s = fresh("ctl-temp.db");
    eg_control_params_default(&p);
    eg_ctl_order o = open_order(s, &p, person(s, 21, id), "confirmed", "2020-02-01", "2020-02-01 10:00");
    assert_int_equal(act(s, &p, o.oid, EG_ACT_DISCHARGE, NULL, NULL, "2020-02-05 10:00", &d), EG_ERR_STATE);
    assert_non_null(strstr(d.reason, "no temperature reading"));
    reading(s, &p, id, "2020-02-02 08:00", 366, "", &out);
    reading(s, &p, id, "2020-02-04 08:00", 380, "", &out);
    reading(s, &p, id, "2020-02-05 08:00", 366, "", &out);
    assert_int_equal(act(s, &p, o.oid, EG_ACT_DISCHARGE, NULL, NULL, "2020-02-07 10:00", &d), EG_ERR_STATE);
    assert_non_null(strstr(d.reason, "normal only since 2020-02-05 08:00"));
    eg_store_close(s);
}

/* End dates across month ends and leap days. */
static void end_dates_month_leap(void **state)
{
    (void)state;
    eg_control_params p;
    char a[EG_IDNO_BUFSZ], b[EG_IDNO_BUFSZ], c[EG_IDNO_BUFSZ];
    eg_store *s = fresh("ctl-dates.db");
    eg_control_params_default(&p);
    eg_ctl_order o = open_order(s, &p, person(s, 23, a), "central_isolation", "2020-02-16", "2020-03-01 08:00");
    assert_int_equal(o.end_date, D("2020-03-01"));
    o = open_order(s, &p, person(s, 25, b), "home_quarantine", "2020-01-20", "2020-03-01 08:00");
    assert_int_equal(o.end_date, D("2020-02-03"));
    o = open_order(s, &p, person(s, 27, c), "home_quarantine", "2019-02-16", "2020-03-01 08:00");
    assert_int_equal(o.end_date, D("2019-03-02"));
    ok(s, &p, o.oid, EG_ACT_EXPOSE, "2019-12-25", NULL, "2020-03-01 08:00");
    assert_int_equal(get(s, o.oid).end_date, D("2020-01-08"));
    eg_store_close(s);
}

/* A missed morning reading escalates only when the clock passes 12:00 + 2 h;
 * the daily run is idempotent. */
static void escalation_by_clock(void **state)
{
    (void)state;
    eg_control_params p;
    eg_daily_summary sum;
    eg_reading_outcome out;
    char id[EG_IDNO_BUFSZ];
    long n_before;
    eg_store *s = fresh("ctl-escalate.db");
    eg_control_params_default(&p);
    eg_ctl_order o = open_order(s, &p, person(s, 29, id), "home_quarantine", "2020-02-01", "2020-02-01 21:00");
    assert_int_equal(eg_control_team_propose(s, o.oid, T("2020-02-01 21:00"), NULL, NULL, NULL), EG_OK);
    assert_int_equal(eg_control_team_confirm(s, o.oid, ACTOR, T("2020-02-01 21:05"), NULL, NULL), EG_OK);
    reading(s, &p, id, "2020-02-02 07:30", 365, "", &out);   /* only the next day's evening is missing */
    daily(s, &p, "2020-02-03", "2020-02-03 11:00", &sum);
    assert_int_equal(sum.missed, 1);                        /* 02-02 evening */
    assert_int_equal(sum.escalated, 1);                     /* 20:00 + 2 h passed */
    daily(s, &p, "2020-02-03", "2020-02-03 13:00", &sum);
    assert_int_equal(sum.missed, 1);                        /* 02-03 morning */
    assert_int_equal(sum.escalated, 0);                     /* due 14:00 */
    daily(s, &p, "2020-02-03", "2020-02-03 13:59", &sum);
    assert_int_equal(sum.escalated, 0);
    n_before = alerts(s, NULL, NULL);
    daily(s, &p, "2020-02-03", "2020-02-03 14:01", &sum);
    assert_int_equal(sum.escalated, 1);
    eg_ctl_filter f = { .kind = "missed_reading", .juris = "220502001" };
    counter c = { 0 };
    assert_int_equal(eg_store_ctl_alert_each(s, &f, count_alert, &c), EG_OK);
    assert_int_equal(c.n, 2);   /* escalated to the township 220502001 */
    /* the same moment again changes nothing */
    daily(s, &p, "2020-02-03", "2020-02-03 14:01", &sum);
    assert_int_equal(sum.released + sum.missed + sum.escalated + sum.team_alerts, 0);
    assert_int_equal(sum.repeated, 1);
    assert_int_equal(alerts(s, NULL, NULL), n_before);
    eg_store_close(s);
}

static eg_err keep_alert(void *ctx, const eg_ctl_alert *a)
{
    *(eg_ctl_alert *)ctx = *a;
    return EG_OK;
}

/* Alerts move open → acknowledged → resolved and no other way. */
static void alert_lifecycle(void **state)
{
    (void)state;
    eg_control_params p;
    eg_reading_outcome out;
    eg_ctl_alert a;
    eg_diag d;
    char id[EG_IDNO_BUFSZ];
    eg_store *s = fresh("ctl-alert.db");
    eg_control_params_default(&p);
    open_order(s, &p, person(s, 31, id), "home_quarantine", "2020-02-01", "2020-02-01 21:00");
    reading(s, &p, id, "2020-02-02 08:00", 366, "chest_tightness", &out);
    assert_true(out.red_flag && out.alert_created);
    eg_ctl_filter f = { .kind = "red_flag" };
    assert_int_equal(eg_store_ctl_alert_each(s, &f, keep_alert, &a), EG_OK);
    assert_string_equal(a.state, "open");
    assert_int_equal(eg_control_alert_ack(s, a.aid, ACTOR, T("2020-02-02 08:30"), &d), EG_OK);
    assert_int_equal(eg_control_alert_ack(s, a.aid, ACTOR, T("2020-02-02 08:31"), &d), EG_ERR_STATE);
    assert_int_equal(eg_control_alert_resolve(s, a.aid, ACTOR, T("2020-02-02 09:00"), "seen", &d), EG_OK);
    assert_int_equal(eg_control_alert_resolve(s, a.aid, ACTOR, T("2020-02-02 09:01"), NULL, &d), EG_ERR_STATE);
    assert_int_equal(eg_store_ctl_alert_get(s, a.aid, &a), EG_OK);
    assert_string_equal(a.state, "resolved");
    eg_store_close(s);
}

/* Bad input is refused with a reason and changes nothing. */
static void bad_input(void **state)
{
    (void)state;
    eg_control_params p;
    eg_reading_outcome out;
    eg_diag d;
    char id[EG_IDNO_BUFSZ], other[EG_IDNO_BUFSZ];
    eg_store *s = fresh("ctl-bad.db");
    eg_control_params_default(&p);
    eg_ctl_order o = open_order(s, &p, person(s, 33, id), "home_quarantine", "2020-02-01", "2020-02-01 21:00");
    assert_int_equal(eg_control_reading_record(s, &p, id, T("2020-02-02 08:00"), 339, "", "team", ACTOR,
                                               T("2020-02-02 09:00"), &out, &d), EG_ERR_RANGE);
    assert_non_null(strstr(d.reason, "outside 34.0-43.0"));
    assert_int_equal(eg_control_reading_record(s, &p, id, T("2020-02-02 08:00"), 431, "", "team", ACTOR,
                                               T("2020-02-02 09:00"), &out, &d), EG_ERR_RANGE);
    assert_int_equal(eg_control_reading_record(s, &p, id, T("2020-02-02 10:00"), 366, "", "team", ACTOR,
                                               T("2020-02-02 09:00"), &out, &d), EG_ERR_RANGE);
    assert_non_null(strstr(d.reason, "future"));
    assert_int_equal(eg_control_reading_record(s, &p, id, T("2020-02-02 08:00"), 366, "headache", "team", ACTOR,
                                               T("2020-02-02 09:00"), &out, &d), EG_ERR_INVALID);
    assert_int_equal(eg_control_reading_record(s, &p, id, T("2020-02-02 08:00"), 366, "", "robot", ACTOR,
                                               T("2020-02-02 09:00"), &out, &d), EG_ERR_INVALID);
    eg_idno_make("220502", D("1990-01-01"), 101, other);
    assert_int_equal(eg_control_test_add(s, other, T("2020-02-02 08:00"), "rt_pcr", "negative", "", ACTOR,
                                         T("2020-02-02 09:00"), NULL, &d), EG_ERR_NOT_FOUND);
    assert_non_null(strstr(d.reason, "unknown person"));
    assert_int_equal(eg_control_test_add(s, id, T("2020-02-02 08:00"), "rt_pcr", "maybe", "", ACTOR,
                                         T("2020-02-02 09:00"), NULL, &d), EG_ERR_INVALID);
    assert_int_equal(eg_control_reading_record(s, &p, other, T("2020-02-02 08:00"), 366, "", "team", ACTOR,
                                               T("2020-02-02 09:00"), &out, &d), EG_ERR_NOT_FOUND);
    /* refused transitions change nothing */
    long n = events(s, o.id);
    assert_int_equal(act(s, &p, o.oid, EG_ACT_DISCHARGE, NULL, NULL, "2020-02-03 09:00", &d), EG_ERR_STATE);
    assert_int_equal(act(s, &p, o.oid, EG_ACT_EXCLUDE, NULL, NULL, "2020-02-03 09:00", &d), EG_ERR_STATE);
    assert_int_equal(act(s, &p, o.oid, EG_ACT_CONFIRM, NULL, "unknown", "2020-02-03 09:00", &d), EG_ERR_INVALID);
    assert_int_equal(act(s, &p, o.oid, EG_ACT_EXPOSE, "2020-02-05", NULL, "2020-02-03 09:00", &d), EG_ERR_RANGE);
    assert_int_equal(events(s, o.id), n);
    eg_ctl_order after = get(s, o.oid);
    assert_memory_equal(&after, &o, offsetof(eg_ctl_order, updated_at));
    /* the daily run never runs the future */
    eg_daily_summary sum;
    assert_int_equal(eg_control_daily(s, &p, D("2020-02-04"), T("2020-02-03 09:00"), ACTOR, &sum, &d), EG_ERR_RANGE);
    eg_store_close(s);
}

static eg_err count_member(void *ctx, const eg_ctl_member *m)
{
    (void)m;
    (*(long *)ctx)++;
    return EG_OK;
}

/* Teams are proposed from the staff up the tree, least loaded first;
 * tokens are valid while the order runs; notices print. */
static void teams_tokens_notice(void **state)
{
    (void)state;
    eg_control_params p;
    eg_ctl_order o;
    eg_diag d;
    long proposed = 0, short_roles = 0, n = 0;
    char a[EG_IDNO_BUFSZ], b[EG_IDNO_BUFSZ], tok[EG_TOKEN_BUFSZ], path[512];
    eg_store *s = fresh("ctl-team.db");
    eg_control_params_default(&p);
    eg_ctl_order oa = open_order(s, &p, person(s, 35, a), "home_quarantine", "2020-02-01", "2020-02-01 21:00");
    eg_ctl_order ob = open_order(s, &p, person(s, 37, b), "home_quarantine", "2020-02-01", "2020-02-01 21:00");
    assert_int_equal(eg_control_team_propose(s, NULL, T("2020-02-01 22:00"), &proposed, &short_roles, &d), EG_OK);
    assert_int_equal(proposed, 8);
    assert_int_equal(short_roles, 0);
    assert_int_equal(eg_store_ctl_member_each(s, oa.id, eg_control_team_order(), count_member, &n), EG_OK);
    assert_int_equal(n, 4);
    assert_int_equal(eg_control_team_confirm(s, NULL, ACTOR, T("2020-02-01 22:05"), &n, &d), EG_OK);
    assert_int_equal(n, 8);
    /* the two township cadres share the load */
    eg_daily_summary sum;
    daily(s, &p, "2020-02-01", "2020-02-01 23:00", &sum);
    assert_int_equal(sum.team_alerts, 0);
    assert_int_equal(eg_control_team_set(s, oa.oid, "police", "T1", ACTOR, T("2020-02-01 22:10"), &d),
                     EG_ERR_INVALID);
    /* tokens */
    assert_int_equal(eg_control_token_issue(s, oa.oid, ACTOR, T("2020-02-02 08:00"), tok, &d), EG_OK);
    assert_int_equal(strlen(tok), 64);
    assert_int_equal(eg_control_token_check(s, tok, &o), EG_OK);
    eg_reading_outcome out;
    assert_int_equal(eg_control_self_report(s, &p, tok, T("2020-02-02 08:10"), 365, "", T("2020-02-02 08:11"),
                                            &out, &d), EG_OK);
    assert_int_equal(eg_control_token_revoke(s, oa.oid, T("2020-02-02 09:00"), &n, &d), EG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(eg_control_token_check(s, tok, &o), EG_ERR_PERM);
    assert_int_equal(eg_control_token_check(s, "00", &o), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_control_token_issue(s, ob.oid, ACTOR, T("2020-02-02 08:00"), tok, &d), EG_OK);
    daily(s, &p, "2020-02-15", "2020-02-15 23:59", &sum);
    assert_int_equal(eg_control_token_check(s, tok, &o), EG_ERR_PERM);   /* the order ended */
    /* notice */
    FILE *f = fopen(tu_path(path, sizeof path, "notice.html"), "w");
    assert_non_null(f);
    assert_int_equal(eg_control_notice(s, &p, oa.oid, NULL, T("2020-02-02 08:00"), f, &d), EG_OK);
    fclose(f);
    char *html = tu_read(path);
    assert_non_null(strstr(html, "居家隔离医学观察通知书"));
    assert_non_null(strstr(html, "2020-02-15"));
    assert_non_null(strstr(html, "村医甲"));
    assert_non_null(strstr(html, "12320"));
    free(html);
    eg_store_close(s);
}

/* Parameters: table, set, load. */
static void params_table(void **state)
{
    (void)state;
    size_t n;
    const eg_control_param_info *t = eg_control_param_table(&n);
    eg_control_params p, q;
    char buf[32];
    eg_diag d;
    eg_store *s = tu_store_new("ctl-params.db");
    assert_true(n >= 10);
    for (size_t i = 0; i < n; i++) {
        assert_true(strlen(t[i].source) > 10);
        eg_control_params_default(&p);
        assert_int_equal(eg_control_param_get(&p, t[i].name, buf, sizeof buf), EG_OK);
        assert_string_equal(buf, t[i].def);
    }
    assert_int_equal(eg_control_param_set(s, &p, "suspected_min_stay_days", "0", &d), EG_OK);
    assert_int_equal(eg_control_param_set(s, &p, "fever_threshold_c", "37.5", &d), EG_OK);
    assert_int_equal(eg_control_param_set(s, &p, "nope", "1", &d), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_control_param_set(s, &p, "home_quarantine_days", "x", &d), EG_ERR_INVALID);
    assert_int_equal(eg_control_params_load(s, &q, &d), EG_OK);
    assert_int_equal(q.suspected_min_stay_days, 0);
    assert_int_equal(q.fever_dc, 375);
    eg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(returnee_released_on_end_date),
        cmocka_unit_test(close_contact_reexposed),
        cmocka_unit_test(fever_suspected_excluded),
        cmocka_unit_test(confirmed_discharged_released),
        cmocka_unit_test(discharge_refused_temperature),
        cmocka_unit_test(end_dates_month_leap),
        cmocka_unit_test(escalation_by_clock),
        cmocka_unit_test(alert_lifecycle),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(teams_tokens_notice),
        cmocka_unit_test(params_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
