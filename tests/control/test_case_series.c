/*
 * tests/control/test_case_series.c: the case series from the database's
 * case records: confirmed cases by day of report or onset, local and
 * imported apart, missing days zero, scoped by node.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "epigrid/case_series.h"
#include "epigrid/control.h"
#include "testutil.h"

#define at tu_time
#define day tu_date

static void series_from_cases(void **state)
{
    (void)state;
    eg_store *s = tu_store_new("cases.db");
    eg_control_params p;
    eg_juris *tree = NULL;
    eg_incidence inc = { 0 };
    eg_case_counts k;
    eg_ctl_order o;
    eg_diag d;
    tu_load_bundled_tree(s);
    eg_control_params_default(&p);
    /* no case yet */
    assert_int_equal(eg_juris_load(s, &tree), EG_OK);
    assert_int_equal(eg_case_incidence(s, tree, NULL, EG_CASE_DAY_REPORT, EG_NO_DATE, EG_NO_DATE, &inc,
                                       &k, &d), EG_ERR_NOT_FOUND);
    /* A: found by screening (R1) in 东昌区, fever on 02-03, suspected 02-04, confirmed 02-05 */
    eg_ctl_order r = { .id_no = "220502199001010019", .name = "甲", .measure = "home_quarantine",
                       .state = "active", .start_date = day("2020-01-25"), .end_date = day("2020-02-08"),
                       .rules = "R1", .juris_code = "220502001001", .created_at = at("2020-01-31 23:59"),
                       .updated_at = at("2020-01-31 23:59"), .prior_start = EG_NO_DATE,
                       .prior_end = EG_NO_DATE, .not_before = EG_NO_DATE };
    assert_int_equal(eg_store_ctl_order_insert(s, &r), EG_OK);
    assert_int_equal(eg_control_reading_record(s, &p, "220502199001010019", at("2020-02-03 08:00"), 380,
                                               "fever", "team", "test", at("2020-02-03 08:05"), NULL, &d), EG_OK);
    eg_control_change c1 = { .action = EG_ACT_SUSPECT, .date = day("2020-02-04"), .actor = "test",
                             .now = at("2020-02-04 10:00") };
    assert_int_equal(eg_control_transition(s, &p, "220502199001010019", &c1, &o, &d), EG_OK);
    eg_control_change c2 = { .action = EG_ACT_CONFIRM, .severity = "mild", .actor = "test",
                             .now = at("2020-02-05 09:00") };
    assert_int_equal(eg_control_transition(s, &p, "220502199001010019", &c2, &o, &d), EG_OK);
    /* B: a local case in 二道江区 opened as confirmed on 02-07; C: local in 东昌区 on 02-07 */
    assert_int_equal(eg_control_open(s, &p, "220503199001010013", "乙", "confirmed", "moderate",
                                     day("2020-02-07"), "220503", "test", at("2020-02-07 15:00"), &o, &d), EG_OK);
    assert_int_equal(eg_control_open(s, &p, "220502199001010027", "丙", "confirmed", "mild",
                                     day("2020-02-07"), "220502", "test", at("2020-02-07 16:00"), &o, &d), EG_OK);

    /* by day of report, the whole city */
    assert_int_equal(eg_case_incidence(s, tree, NULL, EG_CASE_DAY_REPORT, EG_NO_DATE, EG_NO_DATE, &inc,
                                       &k, &d), EG_OK);
    assert_int_equal(k.cases, 3);
    assert_int_equal(k.imported, 1);
    assert_int_equal(k.local, 2);
    assert_int_equal(inc.n, 3);                 /* 02-05 .. 02-07 */
    assert_int_equal(inc.first, day("2020-02-05"));
    assert_true(inc.imported[0] == 1 && inc.local[0] == 0);
    assert_true(inc.imported[1] == 0 && inc.local[1] == 0);   /* 02-06: no case */
    assert_true(inc.imported[2] == 0 && inc.local[2] == 2);
    eg_incidence_free(&inc);

    /* by day of onset: A counts on the day of its first fever reading */
    assert_int_equal(eg_case_incidence(s, tree, NULL, EG_CASE_DAY_ONSET, EG_NO_DATE, EG_NO_DATE, &inc,
                                       &k, &d), EG_OK);
    assert_int_equal(inc.first, day("2020-02-03"));
    assert_int_equal(inc.n, 5);
    assert_true(inc.imported[0] == 1);
    assert_int_equal(k.onset_unknown, 2);       /* B and C have no reading */
    eg_incidence_free(&inc);

    /* scoped to 东昌区, over a fixed range */
    assert_int_equal(eg_case_incidence(s, tree, eg_juris_find(tree, "220502"), EG_CASE_DAY_REPORT,
                                       day("2020-02-01"), day("2020-02-10"), &inc, &k, &d), EG_OK);
    assert_int_equal(inc.n, 10);
    assert_int_equal(k.cases, 2);
    assert_true(inc.imported[4] == 1 && inc.local[6] == 1);
    eg_incidence_free(&inc);
    assert_int_equal(eg_case_incidence(s, tree, NULL, EG_CASE_DAY_REPORT, day("2020-02-10"),
                                       day("2020-02-01"), &inc, &k, &d), EG_ERR_INVALID);
    eg_juris_free(tree);
    eg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(series_from_cases),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
