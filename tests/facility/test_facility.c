/*
 * tests/facility/test_facility.c: facilities and checkpoints (issue 6):
 * allocation with and without free places, standby opening at the
 * threshold, an overdue admission, places following the orders, and bad
 * input (a full facility, the wrong kind, discharging someone not there,
 * negative checks, more than the hourly maximum, more fevers than checks,
 * a fever below 37.3 °C) refused with a clear reason and nothing changed.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "epigrid/checkpoint.h"
#include "epigrid/facility.h"
#include "epigrid/idno.h"
#include "testutil.h"

#define ACTOR "test:user"

#define T tu_time

/* A fixture: the tree, its facilities and checkpoints. */
typedef struct fx {
    eg_store *s;
    eg_juris *j;
    eg_facility_params p;
    eg_control_params cp;
} fx;

static const char *FACILITIES =
    "facility_id,name,kind,juris_code,places_in_use,places_standby,family_rooms,address\n"
    "ISO-A,东昌隔离点（测试）,isolation_site,220502001,2,0,1,\n"
    "ISO-B,二道江隔离点（测试）,isolation_site,220503,1,0,0,\n"
    "FC-A,东昌发热门诊（测试）,fever_clinic,220502,,,,\n"
    "DH-A,东昌定点医院（测试）,designated_hospital,220502,,,,\n";

static const char *CHECKPOINTS =
    "checkpoint_id,name,kind,juris_code,max_checks_per_hour\n"
    "CP-1,东昌公路卡口（测试）,road,220502001,100\n"
    "CP-2,东昌预检分诊（测试）,hospital_triage,220502,\n";

static fx *setup_fx(const char *name)
{
    fx *f = calloc(1, sizeof *f);
    char path[512];
    eg_import_result res;
    eg_import_opts o = tu_opts();
    assert_non_null(f);
    f->s = tu_store_new(name);
    tu_load_bundled_tree(f->s);
    assert_int_equal(eg_juris_load(f->s, &f->j), EG_OK);
    eg_facility_params_default(&f->p);
    eg_control_params_default(&f->cp);
    tu_write(tu_path(path, sizeof path, "facilities.csv"), FACILITIES);
    o.now = T("2020-01-31 08:00");
    assert_int_equal(eg_facility_import(f->s, f->j, &f->p, path, &o, &res, NULL), EG_OK);
    assert_int_equal(res.imported, 4);
    assert_int_equal(res.rejected, 0);
    tu_write(tu_path(path, sizeof path, "checkpoints.csv"), CHECKPOINTS);
    assert_int_equal(eg_checkpoint_import(f->s, f->j, path, &o, &res, NULL), EG_OK);
    assert_int_equal(res.imported, 2);
    return f;
}

static void teardown_fx(fx *f)
{
    eg_juris_free(f->j);
    eg_store_close(f->s);
    free(f);
}

/* Open an order for person number `seq` in division `juris`; id_no in buf. */
static const char *order(fx *f, int seq, const char *measure, const char *juris, const char *now, char *buf)
{
    eg_date birth;
    eg_diag d;
    eg_date_from_ymd(1980, 5, 5, &birth);
    assert_int_equal(eg_idno_make("220502", birth, seq, buf), EG_OK);
    eg_diag_clear(&d);
    eg_err e = eg_control_open(f->s, &f->cp, buf, "测试", measure, "", eg_time_date(T(now)), juris, ACTOR, T(now),
                               NULL, &d);
    if (e)
        fprintf(stderr, "open: %s\n", d.reason);
    assert_int_equal(e, EG_OK);
    return buf;
}

/* Number of open alerts of the module of `kind`. */
typedef struct kind_count { const char *kind; long n; } kind_count;
static eg_err count_kind(void *ctx, const eg_fac_alert *a)
{
    kind_count *k = ctx;
    k->n += strcmp(a->kind, k->kind) == 0;
    return EG_OK;
}
static long open_alerts(fx *f, const char *kind)
{
    kind_count k = { kind, 0 };
    assert_int_equal(eg_store_fac_alert_each(f->s, NULL, "open", count_kind, &k), EG_OK);
    return k.n;
}

static void test_import_defaults(void **state)
{
    (void)state;
    fx *f = setup_fx("fac-import.db");
    eg_facility fc, dh, iso;
    assert_int_equal(eg_store_facility_get(f->s, "FC-A", &fc), EG_OK);
    assert_int_equal(fc.places_in_use, 5);      /* Tonghua "5+5" */
    assert_int_equal(fc.places_standby, 5);
    assert_int_equal(eg_store_facility_get(f->s, "DH-A", &dh), EG_OK);
    assert_int_equal(dh.places_in_use, 20);     /* "20+10" */
    assert_int_equal(dh.places_standby, 10);
    assert_int_equal(eg_store_facility_get(f->s, "ISO-A", &iso), EG_OK);
    assert_int_equal(iso.family_rooms, 1);
    /* bad rows: an isolation site without rooms, family rooms on a clinic, unknown kind, unknown division */
    char path[512];
    eg_import_result res;
    eg_import_opts o = tu_opts();
    tu_write(tu_path(path, sizeof path, "bad-fac.csv"),
             "facility_id,name,kind,juris_code,places_in_use,places_standby,family_rooms\n"
             "X1,a,isolation_site,220502,,,\n"
             "X2,b,fever_clinic,220502,5,5,2\n"
             "X3,c,hotel,220502,5,5,\n"
             "X4,d,fever_clinic,999999,5,5,\n"
             "X5,e,designated_hospital,220502,-3,0,\n");
    assert_int_equal(eg_facility_import(f->s, f->j, &f->p, path, &o, &res, NULL), EG_OK);
    assert_int_equal(res.rejected, 5);
    assert_int_equal(res.imported, 0);
    teardown_fx(f);
}

static void test_allocation(void **state)
{
    (void)state;
    fx *f = setup_fx("fac-alloc.db");
    static const char *const ISO[] = { "isolation_site", NULL };
    eg_facility out;
    eg_admit_result r;
    int full = 0;
    char id[3][EG_IDNO_BUFSZ];
    eg_diag d;
    /* free places in the county: the county's site */
    assert_int_equal(eg_facility_allocate(f->s, f->j, ISO, "220502001001", &out, &full, NULL), EG_OK);
    assert_string_equal(out.facility_id, "ISO-A");
    assert_int_equal(full, 0);
    /* fill 东昌区's site (2 rooms) */
    for (int i = 0; i < 2; i++) {
        order(f, 11 + 2 * i, "central_isolation", "220502001001", "2020-02-01 08:00", id[i]);
        assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id[i], NULL, ACTOR, T("2020-02-01 10:00"), &r, NULL),
                         EG_OK);
        assert_string_equal(r.admission.facility_id, "ISO-A");
        assert_int_equal(r.transitioned, 1);
    }
    /* no free place in the county: the nearest by the tree (二道江区), and the city is alerted */
    assert_int_equal(eg_facility_allocate(f->s, f->j, ISO, "220502001001", &out, &full, NULL), EG_OK);
    assert_string_equal(out.facility_id, "ISO-B");
    assert_int_equal(full, 1);
    order(f, 15, "central_isolation", "220502001001", "2020-02-01 08:00", id[2]);
    assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id[2], NULL, ACTOR, T("2020-02-01 11:00"), &r, NULL), EG_OK);
    assert_string_equal(r.admission.facility_id, "ISO-B");
    assert_int_equal(r.county_full_alert, 1);
    assert_int_equal(open_alerts(f, "county_full"), 1);
    /* no free place anywhere: refused with the reason */
    eg_diag_clear(&d);
    assert_int_equal(eg_facility_allocate(f->s, f->j, ISO, "220502001001", &out, &full, &d), EG_ERR_NOT_FOUND);
    assert_non_null(strstr(d.reason, "no isolation_site has a free place"));
    teardown_fx(f);
}

static void test_standby_threshold(void **state)
{
    (void)state;
    fx *f = setup_fx("fac-standby.db");
    char id[7][EG_IDNO_BUFSZ];
    eg_admit_result r;
    eg_facility fc;
    eg_diag d;
    /* fever clinic FC-A: 5 rooms in use + 5 standby; the threshold is 80 % = 4 rooms */
    for (int i = 0; i < 3; i++) {
        order(f, 21 + 2 * i, "suspected", "220502001001", "2020-02-02 08:00", id[i]);
        assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id[i], "FC-A", ACTOR, T("2020-02-02 09:00"), &r, NULL),
                         EG_OK);
        assert_int_equal(r.standby_alert, 0);
    }
    assert_int_equal(open_alerts(f, "standby_threshold"), 0);
    order(f, 27, "suspected", "220502001001", "2020-02-02 08:00", id[3]);
    assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id[3], "FC-A", ACTOR, T("2020-02-02 09:10"), &r, NULL), EG_OK);
    assert_int_equal(r.standby_alert, 1);          /* 4 of 5: the threshold */
    assert_int_equal(open_alerts(f, "standby_threshold"), 1);
    order(f, 29, "suspected", "220502001001", "2020-02-02 08:00", id[4]);
    assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id[4], "FC-A", ACTOR, T("2020-02-02 09:20"), &r, NULL), EG_OK);
    /* full: the sixth is refused, nothing changes */
    order(f, 31, "suspected", "220502001001", "2020-02-02 08:00", id[5]);
    eg_diag_clear(&d);
    assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id[5], "FC-A", ACTOR, T("2020-02-02 09:30"), &r, &d),
                     EG_ERR_STATE);
    assert_non_null(strstr(d.reason, "full"));
    assert_non_null(strstr(d.reason, "5 standby places are not opened"));
    assert_int_equal(eg_store_facility_get(f->s, "FC-A", &fc), EG_OK);
    assert_int_equal(fc.occupied, 5);
    /* open the standby places: admitted now, the alert resolved */
    assert_int_equal(eg_facility_open_standby(f->s, "FC-A", ACTOR, T("2020-02-02 10:00"), NULL), EG_OK);
    assert_int_equal(open_alerts(f, "standby_threshold"), 0);
    assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id[5], "FC-A", ACTOR, T("2020-02-02 10:05"), &r, NULL), EG_OK);
    assert_int_equal(eg_store_facility_get(f->s, "FC-A", &fc), EG_OK);
    assert_int_equal(eg_facility_capacity(&fc), 10);
    assert_int_equal(fc.occupied, 6);
    eg_diag_clear(&d);
    assert_int_equal(eg_facility_open_standby(f->s, "FC-A", ACTOR, T("2020-02-02 11:00"), &d), EG_ERR_STATE);
    teardown_fx(f);
}

/* Count control alerts of a kind. */
typedef struct ctl_count { long n; eg_ctl_alert last; } ctl_count;
static eg_err count_ctl(void *ctx, const eg_ctl_alert *a)
{
    ctl_count *c = ctx;
    c->n++;
    c->last = *a;
    return EG_OK;
}

static void test_overdue_admission(void **state)
{
    (void)state;
    fx *f = setup_fx("fac-overdue.db");
    char id[EG_IDNO_BUFSZ];
    eg_ctl_filter flt = { .kind = "admission_overdue" };
    eg_facility_sweep sw;
    eg_admit_result r;
    ctl_count c = { 0 };
    order(f, 41, "central_isolation", "220502001001", "2020-02-01 08:00", id);
    /* 11 h later: not overdue yet */
    assert_int_equal(eg_facility_sweep_run(f->s, f->j, &f->p, T("2020-02-01 19:00"), &sw, NULL), EG_OK);
    assert_int_equal(sw.overdue_alerts, 0);
    /* 12 h 30 min: an alert, raised at the moment the wait passed 12 h, once */
    assert_int_equal(eg_facility_sweep_run(f->s, f->j, &f->p, T("2020-02-01 20:30"), &sw, NULL), EG_OK);
    assert_int_equal(sw.overdue_alerts, 1);
    assert_int_equal(eg_facility_sweep_run(f->s, f->j, &f->p, T("2020-02-01 21:00"), &sw, NULL), EG_OK);
    assert_int_equal(sw.overdue_alerts, 0);
    assert_int_equal(eg_store_ctl_alert_each(f->s, &flt, count_ctl, &c), EG_OK);
    assert_int_equal(c.n, 1);
    assert_string_equal(c.last.id_no, id);
    assert_int_equal(c.last.created_at, T("2020-02-01 20:00"));
    /* the wait is counted on admission */
    assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id, NULL, ACTOR, T("2020-02-01 22:15"), &r, NULL), EG_OK);
    assert_int_equal(r.admission.waited_min, 14 * 60 + 15);
    teardown_fx(f);
}

static void test_places_follow_orders(void **state)
{
    (void)state;
    fx *f = setup_fx("fac-follow.db");
    char id[EG_IDNO_BUFSZ];
    eg_admit_result r;
    eg_admission a;
    eg_ctl_order o;
    eg_facility_sweep sw;
    eg_diag d;
    order(f, 51, "central_isolation", "220502001001", "2020-02-01 08:00", id);
    assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id, NULL, ACTOR, T("2020-02-01 10:00"), &r, NULL), EG_OK);
    assert_int_equal(eg_store_ctl_order_running(f->s, id, eg_control_running(), &o), EG_OK);
    assert_string_equal(o.state, "active");     /* the measure and the place agree */
    assert_int_equal(o.admitted_at, T("2020-02-01 10:00"));
    /* admitted already: refused */
    eg_diag_clear(&d);
    assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id, NULL, ACTOR, T("2020-02-01 10:05"), &r, &d), EG_ERR_STATE);
    /* the measure still needs the room: discharge refused */
    eg_diag_clear(&d);
    assert_int_equal(eg_facility_discharge(f->s, id, NULL, ACTOR, T("2020-02-01 11:00"), NULL, &d), EG_ERR_STATE);
    /* a clinician makes the person a suspected case elsewhere: the place follows (to the fever clinic) */
    eg_control_change ch = { .action = EG_ACT_SUSPECT, .date = EG_NO_DATE, .actor = ACTOR, .now = T("2020-02-02 15:00") };
    assert_int_equal(eg_control_transition(f->s, &f->cp, id, &ch, NULL, NULL), EG_OK);
    assert_int_equal(eg_facility_sweep_run(f->s, f->j, &f->p, T("2020-02-02 23:59"), &sw, NULL), EG_OK);
    assert_int_equal(sw.placed, 1);
    assert_int_equal(eg_store_ctl_order_running(f->s, id, eg_control_running(), &o), EG_OK);
    assert_int_equal(eg_store_admission_open(f->s, o.id, &a), EG_OK);
    assert_string_equal(a.kind, "fever_clinic");
    assert_int_equal(a.admitted_at, T("2020-02-02 15:00"));
    /* following again changes nothing */
    assert_int_equal(eg_facility_follow(f->s, f->j, &f->p, T("2020-02-01 00:00"), T("2020-02-03 00:00"), &sw, NULL),
                     EG_OK);
    assert_int_equal(eg_store_admission_open(f->s, o.id, &a), EG_OK);
    assert_string_equal(a.facility_id, "FC-A");
    teardown_fx(f);
}

static void test_bad_admissions(void **state)
{
    (void)state;
    fx *f = setup_fx("fac-bad.db");
    char id[EG_IDNO_BUFSZ], hq[EG_IDNO_BUFSZ];
    eg_admit_result r;
    eg_ctl_order o;
    eg_facility fc;
    eg_diag d;
    order(f, 61, "central_isolation", "220502001001", "2020-02-01 08:00", id);
    /* the wrong kind of place */
    eg_diag_clear(&d);
    assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id, "FC-A", ACTOR, T("2020-02-01 10:00"), &r, &d),
                     EG_ERR_STATE);
    assert_non_null(strstr(d.reason, "FC-A is a fever_clinic"));
    assert_int_equal(eg_store_ctl_order_running(f->s, id, eg_control_running(), &o), EG_OK);
    assert_string_equal(o.state, "awaiting_admission");   /* nothing changed */
    assert_int_equal(eg_store_facility_get(f->s, "FC-A", &fc), EG_OK);
    assert_int_equal(fc.occupied, 0);
    /* an unknown facility */
    assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, id, "NOPE", ACTOR, T("2020-02-01 10:00"), &r, NULL),
                     EG_ERR_NOT_FOUND);
    /* home quarantine needs no place */
    order(f, 63, "home_quarantine", "220502001001", "2020-02-01 08:00", hq);
    eg_diag_clear(&d);
    assert_int_equal(eg_facility_admit(f->s, f->j, &f->p, hq, NULL, ACTOR, T("2020-02-01 10:00"), &r, &d), EG_ERR_STATE);
    assert_non_null(strstr(d.reason, "needs no place"));
    /* discharging a person who is not there */
    eg_diag_clear(&d);
    assert_int_equal(eg_facility_discharge(f->s, hq, NULL, ACTOR, T("2020-02-01 10:00"), NULL, &d), EG_ERR_NOT_FOUND);
    assert_non_null(strstr(d.reason, "not admitted to any facility"));
    assert_int_equal(eg_facility_discharge(f->s, "no-such-person", NULL, ACTOR, T("2020-02-01 10:00"), NULL, NULL),
                     EG_ERR_NOT_FOUND);
    teardown_fx(f);
}

/* Checks and fevers of one checkpoint, all time. */
typedef struct totals { long checked, fevers, referrals; } totals;
static eg_err keep_totals(void *ctx, const eg_checkpoint *c, long checked, long fevers, long referrals, long open)
{
    totals *t = ctx;
    (void)open;
    if (strcmp(c->checkpoint_id, "CP-1") == 0) {
        t->checked = checked;
        t->fevers = fevers;
        t->referrals = referrals;
    }
    return EG_OK;
}

static void test_checkpoint_rules(void **state)
{
    (void)state;
    fx *f = setup_fx("cp-rules.db");
    eg_time now = T("2020-02-02 12:00"), hour = T("2020-02-02 09:00");
    totals t = { 0 };
    eg_fever fv;
    int dup = 0, updated = 0;
    eg_diag d;
    struct { long checked, fevers; const char *col, *words; } BAD[] = {
        { -1, 0, "checked", "negative" },
        { 101, 0, "checked", "maximum of 100 an hour" },
        { 10, 11, "fevers", "more than the 10 persons checked" },
        { 10, -2, "fevers", "negative" },
    };
    for (size_t i = 0; i < sizeof BAD / sizeof BAD[0]; i++) {
        eg_diag_clear(&d);
        assert_int_equal(eg_checkpoint_log(f->s, "CP-1", hour, BAD[i].checked, BAD[i].fevers, now, NULL, &d),
                         EG_ERR_RANGE);
        assert_string_equal(d.column, BAD[i].col);
        assert_non_null(strstr(d.reason, BAD[i].words));
    }
    assert_int_equal(eg_checkpoint_log(f->s, "CP-1", T("2020-02-02 09:30"), 5, 0, now, NULL, NULL), EG_ERR_INVALID);
    assert_int_equal(eg_checkpoint_log(f->s, "CP-1", T("2020-02-02 13:00"), 5, 0, now, NULL, NULL), EG_ERR_RANGE);
    assert_int_equal(eg_checkpoint_log(f->s, "CP-9", hour, 5, 0, now, NULL, NULL), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_store_check_totals(f->s, 0, 0, keep_totals, &t), EG_OK);
    assert_int_equal(t.checked, 0);   /* nothing stored */
    /* a good log, then the same hour corrected */
    assert_int_equal(eg_checkpoint_log(f->s, "CP-1", hour, 80, 1, now, &updated, NULL), EG_OK);
    assert_int_equal(updated, 0);
    assert_int_equal(eg_checkpoint_log(f->s, "CP-1", hour, 90, 2, now, &updated, NULL), EG_OK);
    assert_int_equal(updated, 1);
    /* a fever below 37.3 °C is refused */
    eg_diag_clear(&d);
    assert_int_equal(eg_checkpoint_fever(f->s, f->j, &f->p, "CP-1", T("2020-02-02 09:10"), 372, "", "", "", "", now,
                                         &fv, &dup, &d), EG_ERR_RANGE);
    assert_non_null(strstr(d.reason, "not a fever"));
    /* a fever: a referral to the nearest fever clinic, due in 6 h */
    assert_int_equal(eg_checkpoint_fever(f->s, f->j, &f->p, "CP-1", T("2020-02-02 09:10"), 381, "", "李四", "", "长春",
                                         now, &fv, &dup, NULL), EG_OK);
    assert_string_equal(fv.clinic_id, "FC-A");
    assert_int_equal(fv.due_at, T("2020-02-02 15:10"));
    assert_int_equal(eg_store_check_totals(f->s, 0, 0, keep_totals, &t), EG_OK);
    assert_int_equal(t.checked, 90);
    assert_int_equal(t.fevers, 2);
    assert_int_equal(t.referrals, 1);
    /* no outcome by the due moment: an alert (逢热必检); the outcome resolves it */
    eg_facility_sweep sw;
    assert_int_equal(eg_facility_sweep_run(f->s, f->j, &f->p, T("2020-02-02 16:00"), &sw, NULL), EG_OK);
    assert_int_equal(sw.referral_alerts, 1);
    assert_int_equal(open_alerts(f, "referral_overdue"), 1);
    assert_int_equal(eg_checkpoint_outcome(f->s, fv.fid, "fever", ACTOR, T("2020-02-02 16:10"), NULL), EG_ERR_INVALID);
    assert_int_equal(eg_checkpoint_outcome(f->s, fv.fid, "other_illness", ACTOR, T("2020-02-02 16:10"), NULL), EG_OK);
    assert_int_equal(open_alerts(f, "referral_overdue"), 0);
    assert_int_equal(eg_checkpoint_outcome(f->s, fv.fid, "normal", ACTOR, T("2020-02-02 16:20"), NULL), EG_ERR_STATE);
    teardown_fx(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_defaults),
        cmocka_unit_test(test_allocation),
        cmocka_unit_test(test_standby_threshold),
        cmocka_unit_test(test_overdue_admission),
        cmocka_unit_test(test_places_follow_orders),
        cmocka_unit_test(test_bad_admissions),
        cmocka_unit_test(test_checkpoint_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
