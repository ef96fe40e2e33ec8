/*
 * tests/control/test_params_follow.c: the rules follow their parameters
 * (issue 13, "backends store and fetch"). Two stores hold the same data;
 * on the second, `epigrid control params --set` (the program) raises the
 * fever threshold to 37.5 °C, moves the morning deadline to 10:00 and
 * makes a team of three complete. Then a checkpoint fever of 37.4 °C is a
 * referral on the first and refused on the second; a person who reported
 * at 11:00 has a morning missed-reading alert (by 10:00) on the second
 * and an evening one on the first; an order with three confirmed members
 * raises team_incomplete (and counts as incomplete on the to-do list) on
 * the first only.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include "epigrid/checkpoint.h"
#include "epigrid/control.h"
#include "epigrid/idno.h"
#include "epigrid/juris.h"
#include "testutil.h"

#define ACTOR "test:user"

#define T tu_time
#define D tu_date

/* A registered person of grid 220502001001; the id_no into buf. */
static const char *person(eg_store *s, int seq, char *buf)
{
    return tu_person(s, seq, "220502001001", buf);
}

/* The data both stores hold: the tree, staff of three roles, a
 * checkpoint, and two persons in home quarantine from 2020-02-01 (created
 * 2020-02-01 08:00): A reads at 2020-02-10 11:00 only; B has a team of
 * three confirmed members (no doctor). */
static void fill(const char *name)
{
    static const eg_staff_rec STAFF[] = {
        { "T1", "乡干部甲", "13900000001", "township_cadre", "220502001", "", 1 },
        { "V1", "村干部甲", "13900000003", "village_cadre", "220502001001", "", 1 },
        { "P1", "民警甲", "13900000004", "police", "220502001001", "", 1 },
    };
    eg_store *s = tu_store_new(name);
    eg_control_params p;
    eg_checkpoint c;
    eg_ctl_order oa, ob;
    eg_reading_outcome out;
    char ida[EG_IDNO_BUFSZ], idb[EG_IDNO_BUFSZ];
    eg_diag d;
    tu_load_bundled_tree(s);
    for (size_t i = 0; i < sizeof STAFF / sizeof STAFF[0]; i++)
        assert_int_equal(eg_store_staff_put(s, &STAFF[i], NULL), EG_OK);
    memset(&c, 0, sizeof c);
    snprintf(c.checkpoint_id, sizeof c.checkpoint_id, "CP1");
    snprintf(c.name, sizeof c.name, "东昌区 测试卡点");
    snprintf(c.kind, sizeof c.kind, "road");
    snprintf(c.juris_code, sizeof c.juris_code, "220502001");
    c.created_at = T("2020-02-01 08:00");
    assert_int_equal(eg_store_checkpoint_put(s, &c, NULL), EG_OK);
    eg_control_params_default(&p);
    assert_int_equal(eg_control_open(s, &p, person(s, 11, ida), NULL, "home_quarantine", NULL, D("2020-02-01"), NULL,
                                     ACTOR, T("2020-02-01 08:00"), &oa, &d), EG_OK);
    assert_int_equal(eg_control_open(s, &p, person(s, 12, idb), NULL, "home_quarantine", NULL, D("2020-02-01"), NULL,
                                     ACTOR, T("2020-02-01 08:00"), &ob, &d), EG_OK);
    assert_int_equal(eg_control_reading_add(s, &p, ida, T("2020-02-10 11:00"), 365, "", "team", ACTOR,
                                            T("2020-02-10 11:05"), &out, &d), EG_OK);
    for (size_t i = 0; i < sizeof STAFF / sizeof STAFF[0]; i++)
        assert_int_equal(eg_control_team_set(s, ob.oid, STAFF[i].role, STAFF[i].staff_id, ACTOR,
                                             T("2020-02-01 09:00"), &d), EG_OK);
    eg_store_close(s);
}

/* Set the parameters through the program: `control params --set`. */
static void set_params(const char *name)
{
    static const char *const SET[] = { "fever_threshold_c=37.5", "morning_deadline=10:00", "team_size=3" };
    char path[512], args[1024], outp[600];
    tu_path(path, sizeof path, name);
    snprintf(outp, sizeof outp, "%s.out", path);
    for (size_t i = 0; i < sizeof SET / sizeof SET[0]; i++) {
        snprintf(args, sizeof args, "--db %s control params --set %s", path, SET[i]);
        assert_int_equal(tu_run(args, outp), 0);
    }
    /* and the program lists them */
    snprintf(args, sizeof args, "--db %s control params", path);
    assert_int_equal(tu_run(args, outp), 0);
    char *text = tu_read(outp);
    assert_non_null(text);
    assert_non_null(strstr(text, "37.5"));
    assert_non_null(strstr(text, "10:00"));
    assert_non_null(strstr(text, "team_size"));
    free(text);
    unlink(outp);
}

/* Open the store of `name` again, with its parameters. */
static eg_store *reopen(const char *name, eg_control_params *p)
{
    char path[512];
    eg_store *s = NULL;
    eg_diag d;
    tu_path(path, sizeof path, name);
    assert_int_equal(eg_store_open(path, 0, &s, NULL), EG_OK);
    assert_int_equal(eg_control_params_load(s, p, &d), EG_OK);
    return s;
}

/* Alerts collected by kind. */
typedef struct alerts {
    int n;
    eg_ctl_alert a[8];
} alerts;

static eg_err keep_alert(void *ctx, const eg_ctl_alert *a)
{
    alerts *l = ctx;
    if (l->n < 8)
        l->a[l->n] = *a;
    l->n++;
    return EG_OK;
}

static alerts alerts_of(eg_store *s, const char *kind)
{
    alerts l = { 0 };
    eg_ctl_filter f = { .kind = kind };
    assert_int_equal(eg_store_ctl_alert_each(s, &f, keep_alert, &l), EG_OK);
    return l;
}

static eg_err sum_todo(void *ctx, const eg_ctl_todo *t)
{
    *(long *)ctx += t->teams_incomplete;
    return EG_OK;
}

/* A checkpoint fever of temp_dc; returns the service's code (reason in d). */
static eg_err fever(eg_store *s, int temp_dc, eg_diag *d)
{
    eg_facility_params fp;
    eg_juris *tree = NULL;
    eg_fever f;
    int dup = 0;
    eg_err e;
    eg_facility_params_default(&fp);
    assert_int_equal(eg_juris_load(s, &tree), EG_OK);
    eg_diag_clear(d);
    e = eg_checkpoint_fever(s, tree, &fp, "CP1", T("2020-02-10 09:00"), temp_dc, "", "", "", "", T("2020-02-10 09:30"),
                            &f, &dup, d);
    eg_juris_free(tree);
    return e;
}

/* The same day's run on both stores; the rules follow the parameters. */
static void test_rules_follow_params(void **state)
{
    (void)state;
    eg_control_params pa, pb;
    eg_daily_summary sa, sb;
    eg_store *a, *b;
    eg_diag d;
    long ia = 0, ib = 0;
    fill("follow-default.db");
    fill("follow-set.db");
    set_params("follow-set.db");
    a = reopen("follow-default.db", &pa);
    b = reopen("follow-set.db", &pb);
    assert_int_equal(pa.fever_dc, 373);
    assert_int_equal(pb.fever_dc, 375);
    assert_int_equal(pa.morning_deadline_min, 720);
    assert_int_equal(pb.morning_deadline_min, 600);
    assert_int_equal(pa.team_size, 4);
    assert_int_equal(pb.team_size, 3);

    /* checkpoints: 37.4 °C is a fever (a referral) at 37.3, not at 37.5 */
    int ta = 0, tb = 0;
    assert_int_equal(eg_control_fever_threshold(a, &ta), EG_OK);
    assert_int_equal(eg_control_fever_threshold(b, &tb), EG_OK);
    assert_int_equal(ta, 373);
    assert_int_equal(tb, 375);
    assert_int_equal(fever(a, 374, &d), EG_OK);
    assert_int_equal(fever(b, 374, &d), EG_ERR_RANGE);
    assert_string_equal(d.reason, "37.4 °C is not a fever: a fever record needs 37.5 °C or more");
    assert_int_equal(fever(b, 375, &d), EG_OK);

    /* the daily run of 2020-02-10 as at its end */
    assert_int_equal(eg_control_daily(a, &pa, D("2020-02-10"), T("2020-02-11 08:00"), ACTOR, &sa, &d), EG_OK);
    assert_int_equal(eg_control_daily(b, &pb, D("2020-02-10"), T("2020-02-11 08:00"), ACTOR, &sb, &d), EG_OK);

    /* missed readings: the 11:00 reading is in time for 12:00, not for 10:00 */
    char ida[EG_IDNO_BUFSZ];
    assert_int_equal(eg_idno_make("220502", D("1980-05-05"), 11, ida), EG_OK);
    alerts ma = alerts_of(a, "missed_reading"), mb = alerts_of(b, "missed_reading");
    int a_morning = 0, a_evening = 0, b_morning = 0, b_evening = 0;
    for (int i = 0; i < ma.n && i < 8; i++)
        if (strcmp(ma.a[i].id_no, ida) == 0 && strstr(ma.a[i].dedup, ":2020-02-10:")) {
            if (strstr(ma.a[i].reason, "morning"))
                a_morning++;
            if (strstr(ma.a[i].reason, "evening")) {
                a_evening++;
                assert_string_equal(ma.a[i].reason, "no evening reading of 2020-02-10 by 20:00");
                assert_true(ma.a[i].created_at == T("2020-02-10 20:00"));
            }
        }
    for (int i = 0; i < mb.n && i < 8; i++)
        if (strcmp(mb.a[i].id_no, ida) == 0 && strstr(mb.a[i].dedup, ":2020-02-10:")) {
            if (strstr(mb.a[i].reason, "morning")) {
                b_morning++;
                assert_string_equal(mb.a[i].reason, "no morning reading of 2020-02-10 by 10:00");
                assert_true(mb.a[i].created_at == T("2020-02-10 10:00"));
                assert_true(mb.a[i].due_at == T("2020-02-10 12:00"));
                assert_string_equal(mb.a[i].state, "open");
                char key[96];
                snprintf(key, sizeof key, "missed:%lld:2020-02-10:morning", (long long)mb.a[i].order_id);
                assert_string_equal(mb.a[i].dedup, key);
            }
            if (strstr(mb.a[i].reason, "evening"))
                b_evening++;
        }
    assert_int_equal(a_morning, 0);
    assert_int_equal(a_evening, 1);
    assert_int_equal(b_morning, 1);
    assert_int_equal(b_evening, 0);

    /* teams: three confirmed members are a full team of three, not of four */
    alerts ka = alerts_of(a, "team_incomplete"), kb = alerts_of(b, "team_incomplete");
    assert_int_equal(ka.n, 2);   /* A's order has no team at all; B's lacks its doctor */
    assert_int_equal(kb.n, 1);   /* only A's order */
    assert_string_equal(kb.a[0].id_no, ida);
    assert_string_equal(kb.a[0].reason, "no full three-person team confirmed for home_quarantine/active "
                                         "(epigrid team propose, team confirm)");
    assert_string_equal(ka.a[0].reason, "no full four-person team confirmed for home_quarantine/active "
                                         "(epigrid team propose, team confirm)");
    assert_int_equal(sa.team_alerts, 2);
    assert_int_equal(sb.team_alerts, 1);
    assert_int_equal(eg_control_todo_each(a, &pa, sa.as_at, sum_todo, &ia), EG_OK);
    assert_int_equal(eg_control_todo_each(b, &pb, sb.as_at, sum_todo, &ib), EG_OK);
    assert_int_equal(ia, 2);
    assert_int_equal(ib, 1);
    eg_store_close(a);
    eg_store_close(b);
}

static eg_err keep_last(void *ctx, const eg_ctl_event *e)
{
    *(eg_ctl_event *)ctx = *e;
    return EG_OK;
}

/* The release of the orders due writes the service's state and text. */
static void test_release_text(void **state)
{
    (void)state;
    eg_control_params p;
    eg_daily_summary sum;
    eg_store *s;
    eg_diag d;
    fill("follow-release.db");
    s = reopen("follow-release.db", &p);
    assert_int_equal(eg_control_daily(s, &p, D("2020-02-15"), T("2020-02-16 08:00"), ACTOR, &sum, &d), EG_OK);
    assert_int_equal(sum.released, 2);
    char ida[EG_IDNO_BUFSZ];
    eg_ctl_order o;
    assert_int_equal(eg_idno_make("220502", D("1980-05-05"), 11, ida), EG_OK);
    assert_int_equal(eg_control_order_get(s, ida, &o), EG_OK);
    assert_string_equal(o.state, "released");
    eg_ctl_event last;
    char want[200], b1[EG_DATE_BUFSZ], b2[EG_DATE_BUFSZ];
    assert_int_equal(eg_store_ctl_event_each(s, o.id, keep_last, &last), EG_OK);
    assert_string_equal(last.action, "release");
    assert_string_equal(last.from_state, "active");
    assert_string_equal(last.to_state, "released");
    assert_string_equal(last.to_measure, "home_quarantine");
    assert_true(last.at == T("2020-02-15 23:59"));
    snprintf(want, sizeof want, "planned end %s reached (home_quarantine from %s)", eg_date_format(o.end_date, b1),
             eg_date_format(o.start_date, b2));
    assert_string_equal(last.reason, want);
    assert_string_equal(b2, "2020-02-01");
    eg_store_close(s);
}

/* A threshold lowered below 37.3 °C is followed too: the database keeps
 * what the service decides is a fever (schema 8 dropped the table's own
 * CHECK(temp_dc >= 373)). */
static void test_lowered_threshold(void **state)
{
    (void)state;
    char path[512], args[1024], outp[600];
    eg_control_params p;
    eg_diag d;
    fill("follow-low.db");
    tu_path(path, sizeof path, "follow-low.db");
    snprintf(outp, sizeof outp, "%s.out", path);
    snprintf(args, sizeof args, "--db %s control params --set fever_threshold_c=37.0", path);
    assert_int_equal(tu_run(args, outp), 0);
    unlink(outp);
    eg_store *s = reopen("follow-low.db", &p);
    assert_int_equal(p.fever_dc, 370);
    assert_int_equal(fever(s, 371, &d), EG_OK);
    assert_int_equal(fever(s, 369, &d), EG_ERR_RANGE);
    assert_string_equal(d.reason, "36.9 °C is not a fever: a fever record needs 37.0 °C or more");
    eg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_follow_params),
        cmocka_unit_test(test_release_text),
        cmocka_unit_test(test_lowered_threshold),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
