/*
 * tests/analysis/test_incidence.c: incidence loading (src/analysis/
 * incidence.c) and the published cumulative series with the correction
 * rule of spec/formats.md (src/analysis/series.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epigrid/analysis.h"

#define SERIES EG_DATADIR "/real/covid_city_daily_official_jilin_2020.csv"

/* Write `text` to a file of the test directory; returns its path. */
static const char *tmp_with(const char *name, const char *text)
{
    static char path[4][512];
    static int k = 0;
    char *p = path[k++ % 4];
    snprintf(p, 512, "%s/analysis_inc_%s", EG_TEST_TMPDIR, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return p;
}

/* date,local,imported with a missing day (filled, reported), out of order. */
static void test_csv_dates(void **state)
{
    (void)state;
    eg_incidence inc = {0};
    eg_an_notes notes = {0};
    eg_diag d;
    const char *p = tmp_with("dates.csv", "date,local,imported\n2020-02-01,3,1\n2020-01-30,2,4\n"
                                          "2020/1/31,5,0\n2020-02-04,1,0\n");
    assert_int_equal(eg_incidence_read_csv(p, &inc, &notes, &d), EG_OK);
    assert_int_equal(inc.n, 6);
    assert_true(inc.has_dates);
    char b[EG_DATE_BUFSZ];
    assert_string_equal(eg_date_format(inc.first, b), "2020-01-30");
    /* day 1: all 6 cases imported (EpiEstim) */
    assert_true(inc.local[0] == 0 && inc.imported[0] == 6);
    assert_true(inc.local[1] == 5 && inc.local[2] == 3 && inc.imported[2] == 1);
    assert_true(inc.local[3] == 0 && inc.local[4] == 0 && inc.local[5] == 1);
    assert_int_equal(notes.n, 1);
    assert_non_null(strstr(notes.items[0].reason, "2020-02-02 to 2020-02-03"));
    eg_an_notes_free(&notes);
    /* slice */
    eg_date from, to;
    eg_date_parse("2020-01-31", &from);
    eg_date_parse("2020-02-02", &to);
    assert_int_equal(eg_incidence_slice(&inc, from, to, &d), EG_OK);
    assert_int_equal(inc.n, 3);
    assert_true(inc.local[0] == 0 && inc.imported[0] == 5);
    eg_date_parse("2021-01-01", &from);
    assert_int_equal(eg_incidence_slice(&inc, from, EG_AN_NO_DATE, &d), EG_ERR_RANGE);
    eg_incidence_free(&inc);
}

/* t index, EpiEstim's dates/I, and I = local + imported. */
static void test_csv_forms(void **state)
{
    (void)state;
    eg_incidence inc = {0};
    eg_diag d;
    assert_int_equal(eg_incidence_read_csv(tmp_with("t.csv", "t,local,imported\n1,0,2\n2,3,0\n3,1,1\n"),
                                           &inc, NULL, &d), EG_OK);
    assert_int_equal(inc.n, 3);
    assert_false(inc.has_dates);
    assert_true(inc.imported[2] == 1);
    eg_incidence_free(&inc);
    eg_err e = eg_incidence_read_csv(tmp_with("ee.csv", "dates,I\n2009-04-27,1\n2009-04-28,4\n"),
                                     &inc, NULL, &d);
    if (e)
        fail_msg("%s", d.reason);
    assert_true(inc.imported[0] == 1 && inc.local[1] == 4);
    eg_incidence_free(&inc);
    assert_int_equal(eg_incidence_read_csv(tmp_with("all.csv", "t,I,local,imported\n1,2,0,2\n2,4,3,1\n"),
                                           &inc, NULL, &d), EG_OK);
    eg_incidence_free(&inc);
    assert_int_equal(eg_incidence_read_csv(tmp_with("bad_sum.csv", "t,I,local,imported\n1,2,0,2\n2,5,3,3\n"),
                                           &inc, NULL, &d), EG_ERR_INVALID);
    assert_int_equal(d.line, 3);
    assert_string_equal(d.column, "I");
}

/* Bad counts: line and column. */
static void test_csv_bad(void **state)
{
    (void)state;
    eg_incidence inc = {0};
    eg_diag d;
    struct { const char *text; eg_err e; unsigned long line; const char *col; } cases[] = {
        {"date,local\n2020-01-01,1\n2020-01-02,NA\n", EG_ERR_PARSE, 3, "local"},
        {"date,local\n2020-01-01,1.5\n", EG_ERR_PARSE, 2, "local"},
        {"date,local,imported\n2020-01-01,1,0\n2020-01-02,2,-1\n", EG_ERR_PARSE, 3, "imported"},
        {"date,local\n2020-01-01,1\n2020-01-02,\n", EG_ERR_PARSE, 3, "local"},
        {"date,local\n2020-01-01,1\n03/02/2020,2\n", EG_ERR_PARSE, 3, "date"},
        {"date,local\n2020-01-01,1\n2020-01-02,2\n2020-01-01,3\n", EG_ERR_INVALID, 4, "date"},
        {"date,cases\n2020-01-01,1\n", EG_ERR_MISSING_COLUMN, 1, "local"},
        {"local,imported\n1,0\n", EG_ERR_MISSING_COLUMN, 1, "date"},
        {"date,local\n", EG_ERR_INVALID, 0, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "bad%zu.csv", i);
        eg_err e = eg_incidence_read_csv(tmp_with(name, cases[i].text), &inc, NULL, &d);
        if (e != cases[i].e || d.line != cases[i].line || strcmp(d.column, cases[i].col))
            fail_msg("case %zu: got %d line %lu column '%s' (%s)", i, e, d.line, d.column, d.reason);
    }
    /* weekly data refused */
    assert_int_equal(eg_incidence_read_csv(tmp_with("weekly.csv", "date,local\n2020-01-01,5\n"
                                                    "2020-01-08,7\n2020-01-15,9\n2020-01-22,4\n"),
                                           &inc, NULL, &d), EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "weekly"));
    assert_int_equal(eg_incidence_read_csv(EG_TEST_TMPDIR "/no-such.csv", &inc, NULL, &d), EG_ERR_IO);
    /* from totals */
    double I[] = {1, 2, 0.5};
    assert_int_equal(eg_incidence_from_totals(I, 3, &inc, &d), EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "day 3"));
}

/* Collect corrections. */
typedef struct corr_log { size_t n; size_t day[8]; double dec[8]; size_t nfrom[8]; } corr_log;
static void log_corr(void *ctx, size_t day, double dec, const size_t *from, const double *taken,
                     size_t n)
{
    (void)from;
    (void)taken;
    corr_log *l = ctx;
    l->day[l->n] = day;
    l->dec[l->n] = dec;
    l->nfrom[l->n++] = n;
}

/* The correction rule by hand. */
static void test_cumulative_rule(void **state)
{
    (void)state;
    double cum[] = {1, 3, 6, 4, 5}, daily[5];
    corr_log l = {0};
    assert_int_equal(eg_cumulative_to_daily(cum, 5, daily, log_corr, &l), EG_OK);
    /* diffs 1,2,3,-2,1: day 4 counts 0, 2 taken from day 3 */
    double want[] = {1, 2, 1, 0, 1};
    for (int i = 0; i < 5; i++)
        assert_true(daily[i] == want[i]);
    assert_int_equal(l.n, 1);
    assert_int_equal(l.day[0], 3);
    assert_true(l.dec[0] == 2);
    /* a decrease larger than the previous day: latest first, then earlier */
    double cum2[] = {2, 3, 3, 0, 4}, d2[5];
    corr_log l2 = {0};
    assert_int_equal(eg_cumulative_to_daily(cum2, 5, d2, log_corr, &l2), EG_OK);
    double want2[] = {0, 0, 0, 0, 4};
    for (int i = 0; i < 5; i++)
        assert_true(d2[i] == want2[i]);
    assert_int_equal(l2.nfrom[0], 2);
    /* invariant: from the last correction on, partial sums equal the
     * cumulative values */
    double s = 0;
    for (int i = 0; i < 5; i++) {
        s += d2[i];
        if (i >= 3)
            assert_true(s == cum2[i]);
    }
    double bad[] = {1, -1};
    assert_int_equal(eg_cumulative_to_daily(bad, 2, d2, NULL, NULL), EG_ERR_INVALID);
}

/* The bundled real series: Jilin province total and Tonghua. */
static void test_real_series(void **state)
{
    (void)state;
    eg_incidence inc = {0};
    eg_an_notes notes = {0};
    eg_diag d;
    char b[EG_DATE_BUFSZ];
    assert_int_equal(eg_incidence_read_series(SERIES, "22", "confirmed", &inc, &notes, &d), EG_OK);
    assert_string_equal(eg_date_format(inc.first, b), "2020-01-20");
    eg_date to;
    eg_date_parse("2020-02-13", &to);
    assert_int_equal(eg_incidence_slice(&inc, EG_AN_NO_DATE, to, &d), EG_OK);
    assert_int_equal(inc.n, 25);
    double s = 0;
    for (size_t t = 0; t < inc.n; t++)
        s += inc.local[t] + inc.imported[t];
    assert_true(s == 86); /* the province total on 2020-02-13 */
    eg_incidence_free(&inc);
    eg_an_notes_free(&notes);
    /* Tonghua: 220500, 2205 and 220500000000 are the same city */
    const char *codes[] = {"220500", "2205", "220500000000"};
    for (int k = 0; k < 3; k++) {
        assert_int_equal(eg_incidence_read_series(SERIES, codes[k], "confirmed", &inc, NULL, &d), EG_OK);
        assert_string_equal(eg_date_format(inc.first, b), "2020-01-28");
        assert_true(inc.imported[0] == 1 && inc.local[0] == 0);
        assert_int_equal(eg_incidence_slice(&inc, EG_AN_NO_DATE, to, &d), EG_OK);
        double tot = 0;
        for (size_t t = 0; t < inc.n; t++)
            tot += inc.local[t] + inc.imported[t];
        assert_true(tot == 3);
        eg_incidence_free(&inc);
    }
    assert_int_equal(eg_incidence_read_series(SERIES, "220581", "confirmed", &inc, NULL, &d),
                     EG_ERR_INVALID);
    assert_int_equal(eg_incidence_read_series(SERIES, "9999", "confirmed", &inc, NULL, &d),
                     EG_ERR_INVALID);
    assert_int_equal(eg_incidence_read_series(SERIES, "22", "no_such", &inc, NULL, &d),
                     EG_ERR_MISSING_COLUMN);
    assert_int_equal(eg_incidence_read_series(SERIES, "x1", "confirmed", &inc, NULL, &d),
                     EG_ERR_INVALID);
}

/* A small series: province total rows only (never a sum of cities), a
 * decrease corrected and reported, a missing day carried forward. */
static void test_series_corrections(void **state)
{
    (void)state;
    const char *p = tmp_with("series.csv",
        "date,province,province_code,city,city_code,confirmed,cured\n"
        "2020-01-01,X,990000,(province total),,2,0\n"
        "2020-01-01,X,990000,A,990100,5,0\n"
        "2020-01-02,X,990000,(province total),,5,0\n"
        "2020-01-03,X,990000,(province total),,9,0\n"
        "2020-01-04,X,990000,(province total),,6,0\n"
        "2020-01-06,X,990000,(province total),,8,1\n");
    eg_incidence inc = {0};
    eg_an_notes notes = {0};
    eg_diag d;
    assert_int_equal(eg_incidence_read_series(p, "99", "confirmed", &inc, &notes, &d), EG_OK);
    assert_int_equal(inc.n, 6);
    /* diffs 2,3,4,-3,(0),2 → 2,3,1,0,0,2 with day 1 imported */
    assert_true(inc.imported[0] == 2);
    double want[] = {0, 3, 1, 0, 0, 2};
    for (int i = 0; i < 6; i++)
        assert_true(inc.local[i] == want[i]);
    assert_int_equal(notes.n, 2);
    int seen_corr = 0, seen_gap = 0;
    for (size_t i = 0; i < notes.n; i++) {
        if (strstr(notes.items[i].reason, "correction on 2020-01-04")) {
            seen_corr = 1;
            assert_non_null(strstr(notes.items[i].reason, "from 9 to 6"));
            assert_non_null(strstr(notes.items[i].reason, "2020-01-03 (3)"));
            assert_int_equal(notes.items[i].line, 6);
        }
        if (strstr(notes.items[i].reason, "2020-01-05"))
            seen_gap = 1;
    }
    assert_true(seen_corr && seen_gap);
    eg_incidence_free(&inc);
    eg_an_notes_free(&notes);
    /* a repeated date of the region */
    p = tmp_with("dup.csv", "date,province,province_code,city,city_code,confirmed\n"
                            "2020-01-01,X,990000,A,990100,1\n2020-01-01,X,990000,A,990100,2\n");
    assert_int_equal(eg_incidence_read_series(p, "9901", "confirmed", &inc, NULL, &d), EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "twice"));
    /* a bad count of the region */
    p = tmp_with("badv.csv", "date,province,province_code,city,city_code,confirmed\n"
                             "2020-01-01,X,990000,A,990100,1\n2020-01-02,X,990000,A,990100,x\n");
    assert_int_equal(eg_incidence_read_series(p, "9901", "confirmed", &inc, NULL, &d), EG_ERR_PARSE);
    assert_int_equal(d.line, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_dates),       cmocka_unit_test(test_csv_forms),
        cmocka_unit_test(test_csv_bad),         cmocka_unit_test(test_cumulative_rule),
        cmocka_unit_test(test_real_series),     cmocka_unit_test(test_series_corrections),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
