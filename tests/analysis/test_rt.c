/*
 * tests/analysis/test_rt.c: Cori et al. 2013 / Thompson et al. 2019
 * estimates (src/analysis/rt.c) against every deterministic EpiEstim 2.2-4
 * reference file of ../shared/data/epiestim (Flu2009 weekly, biweekly,
 * non-overlapping and school-closure windows; Flu1918 weekly; parametric
 * and non-parametric SI): relative error <= 1e-9 on mean and sd, <= 1e-7
 * on every quantile. Plus hand-checked small cases and bad input.
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

#define REF EG_SHARED_DIR "/data/epiestim/"

/* A reference R table: rows of 11 numbers (t_start, t_end, mean, std, 7
 * quantiles); NA → NAN. Returns the number of rows. */
static size_t read_table(const char *path, double (*rows)[11], size_t max)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    size_t n = 0;
    assert_non_null(fgets(line, sizeof line, f));
    while (n < max && fgets(line, sizeof line, f)) {
        char *p = line;
        for (int c = 0; c < 11; c++) {
            rows[n][c] = strncmp(p, "NA", 2) == 0 ? NAN : strtod(p, NULL);
            p = strchr(p, ',');
            if (c < 10)
                assert_non_null(p);
            if (p)
                p++;
        }
        n++;
    }
    fclose(f);
    return n;
}

static double relerr(double a, double b)
{
    if (b == 0)
        return fabs(a);
    return fabs(a - b) / fabs(b);
}

static double g_max_ms = 0, g_max_q = 0;

/* Run one configuration and compare with a reference file. */
static void check_ref(const char *incfile, const char *reffile, eg_si_method m,
                      const double *si, size_t si_len, int explicit_windows)
{
    eg_incidence inc = {0};
    eg_diag d;
    eg_an_notes notes = {0};
    eg_err e = eg_incidence_read_csv(incfile, &inc, &notes, &d);
    if (e)
        fail_msg("%s: %s", incfile, d.reason);
    assert_int_equal(notes.n, 0);
    double ref[200][11];
    size_t nr = read_table(reffile, ref, 200);
    assert_true(nr > 0);
    size_t ts[200], te[200];
    for (size_t i = 0; i < nr; i++) {
        ts[i] = (size_t)ref[i][0];
        te[i] = (size_t)ref[i][1];
    }
    eg_rt_config c;
    eg_rt_config_default(&c);
    c.method = m;
    c.mean_si = 2.6;
    c.std_si = 1.5;
    c.si_distr = si;
    c.si_len = si_len;
    if (explicit_windows) {
        c.t_start = ts;
        c.t_end = te;
        c.n_windows = nr;
    } else {
        c.window = te[0] - ts[0] + 1;
    }
    eg_rt_result r;
    e = eg_rt_estimate(inc.local, inc.imported, inc.n, &c, &r, &d);
    if (e)
        fail_msg("%s: %s", reffile, d.reason);
    assert_int_equal(r.n_windows, nr);
    double ms = 0, mq = 0;
    for (size_t i = 0; i < nr; i++) {
        const eg_rt_window *w = &r.windows[i];
        assert_int_equal(w->t_start, ts[i]);
        assert_int_equal(w->t_end, te[i]);
        assert_false(w->na);
        double e1 = relerr(w->mean, ref[i][2]), e2 = relerr(w->std, ref[i][3]);
        ms = fmax(ms, fmax(e1, e2));
        for (int q = 0; q < EG_RT_NQ; q++)
            mq = fmax(mq, relerr(w->q[q], ref[i][4 + q]));
    }
    printf("%-48s %3zu windows: max rel. error mean/sd %.2g, quantiles %.2g\n",
           strrchr(reffile, '/') + 1, nr, ms, mq);
    assert_true(ms <= 1e-9);
    assert_true(mq <= 1e-7);
    g_max_ms = fmax(g_max_ms, ms);
    g_max_q = fmax(g_max_q, mq);
    assert_false(r.first_window_low); /* EpiEstim does not warn for Flu */
    eg_rt_result_free(&r);
    eg_incidence_free(&inc);
}

static void test_references(void **state)
{
    (void)state;
    double si[64];
    size_t n;
    {
        double *w;
        eg_diag d;
        assert_int_equal(eg_si_read_csv(REF "flu2009_si_distr.csv", &w, &n, &d), EG_OK);
        memcpy(si, w, n * sizeof *w);
        free(w);
    }
    const char *inc09 = REF "flu2009_incidence.csv", *inc18 = REF "flu1918_incidence.csv";
    check_ref(inc09, REF "flu2009_parametric_si_weekly.csv", EG_SI_PARAMETRIC, NULL, 0, 0);
    check_ref(inc09, REF "flu2009_non_parametric_si_weekly.csv", EG_SI_NON_PARAMETRIC, si, n, 0);
    check_ref(inc09, REF "flu2009_parametric_si_biweekly.csv", EG_SI_PARAMETRIC, NULL, 0, 0);
    check_ref(inc09, REF "flu2009_non_parametric_si_biweekly.csv", EG_SI_NON_PARAMETRIC, si, n, 0);
    check_ref(inc09, REF "flu2009_parametric_si_weekly_nonoverlap.csv", EG_SI_PARAMETRIC, NULL, 0, 1);
    check_ref(inc09, REF "flu2009_non_parametric_si_weekly_nonoverlap.csv", EG_SI_NON_PARAMETRIC, si,
              n, 1);
    check_ref(inc09, REF "flu2009_parametric_si_closure.csv", EG_SI_PARAMETRIC, NULL, 0, 1);
    check_ref(inc18, REF "flu1918_parametric_si_weekly.csv", EG_SI_PARAMETRIC, NULL, 0, 0);
    {
        double *w;
        eg_diag d;
        assert_int_equal(eg_si_read_csv(REF "flu1918_si_distr.csv", &w, &n, &d), EG_OK);
        check_ref(inc18, REF "flu1918_non_parametric_si_weekly.csv", EG_SI_NON_PARAMETRIC, w, n, 0);
        free(w);
    }
    /* the default windows given as explicit lists give the same numbers */
    check_ref(inc18, REF "flu1918_parametric_si_weekly.csv", EG_SI_PARAMETRIC, NULL, 0, 1);
    printf("overall: max rel. error mean/sd %.2g, quantiles %.2g\n", g_max_ms, g_max_q);
}

/* The SI used by parametric_si is reported: length T + 1, last 0. */
static void test_si_used(void **state)
{
    (void)state;
    double I[32] = {0};
    for (int t = 0; t < 32; t++)
        I[t] = 5;
    eg_incidence inc;
    assert_int_equal(eg_incidence_from_totals(I, 32, &inc, NULL), EG_OK);
    assert_true(inc.imported[0] == 5 && inc.local[0] == 0);
    eg_rt_config c;
    eg_rt_config_default(&c);
    c.mean_si = 2.6;
    c.std_si = 1.5;
    eg_rt_result r;
    assert_int_equal(eg_rt_estimate(inc.local, inc.imported, 32, &c, &r, NULL), EG_OK);
    assert_int_equal(r.si_len, 33);
    assert_true(r.si[32] == 0);
    assert_true(relerr(r.si_mean, 2.5999999789755894) < 1e-12);
    assert_int_equal(r.n_windows, 25);
    eg_rt_result_free(&r);
    eg_incidence_free(&inc);
}

/* One window by hand: SI all on 1 day; imported 10 on day 1, local 5 on
 * days 2 and 3. Lambda_2 = 10, Lambda_3 = 5; posterior of [2, 3]: shape
 * 1 + 10 = 11, scale 1/(1/5 + 15). */
static void test_hand_one_window(void **state)
{
    (void)state;
    double local[] = {0, 5, 5}, imported[] = {10, 0, 0}, si[] = {0, 1};
    size_t ts[] = {2}, te[] = {3};
    eg_rt_config c;
    eg_rt_config_default(&c);
    c.method = EG_SI_NON_PARAMETRIC;
    c.si_distr = si;
    c.si_len = 2;
    c.t_start = ts;
    c.t_end = te;
    c.n_windows = 1;
    eg_rt_result r;
    assert_int_equal(eg_rt_estimate(local, imported, 3, &c, &r, NULL), EG_OK);
    const eg_rt_window *w = &r.windows[0];
    double b = 1 / (0.2 + 15);
    assert_true(relerr(w->shape, 11) < 1e-15);
    assert_true(relerr(w->scale, b) < 1e-15);
    assert_true(relerr(w->mean, 11 * b) < 1e-15);
    assert_true(relerr(w->std, sqrt(11) * b) < 1e-15);
    /* the median of gamma(11, b) is about b (11 - 1/3) */
    assert_true(fabs(w->q[3] / b - (11 - 1.0 / 3)) < 0.01);
    /* imported cases feed Lambda but not the shape (Thompson et al.) */
    double lam[3];
    eg_rt_lambda(local, imported, 3, si, 2, lam);
    assert_true(isnan(lam[0]) && lam[1] == 10 && lam[2] == 5);
    assert_true(r.first_window_low); /* 10 cases < ceil(1/0.09 - 1) = 11 */
    eg_rt_result_free(&r);
}

/* Constant incidence c with an SI of support 3: Lambda_t = c once t > 3,
 * so the weekly posterior is shape 1 + 7c, scale 1/(0.2 + 7c). */
static void test_hand_constant(void **state)
{
    (void)state;
    double local[40], imported[40] = {0}, si[] = {0, 0.25, 0.5, 0.25};
    for (int t = 0; t < 40; t++)
        local[t] = 20;
    eg_rt_config c;
    eg_rt_config_default(&c);
    c.method = EG_SI_NON_PARAMETRIC;
    c.si_distr = si;
    c.si_len = 4;
    eg_rt_result r;
    assert_int_equal(eg_rt_estimate(local, imported, 40, &c, &r, NULL), EG_OK);
    assert_int_equal(r.n_windows, 33);
    for (size_t i = 3; i < r.n_windows; i++) {
        const eg_rt_window *w = &r.windows[i];
        assert_true(relerr(w->mean, (1 + 140.0) / (0.2 + 140)) < 1e-14);
        assert_true(w->q[0] < w->q[1] && w->q[1] < w->q[2] && w->q[2] < w->q[3] &&
                    w->q[3] < w->q[4] && w->q[4] < w->q[5] && w->q[5] < w->q[6]);
    }
    eg_rt_result_free(&r);
}

/* Windows without local cases, or without infectiousness (README of the
 * references, "Behaviours and surprises"): no error, no NA. */
static void test_hand_no_cases(void **state)
{
    (void)state;
    double si[] = {0, 0.5, 0.5};
    /* day 1: 4 imported; days 2-3: 2 local each; then nothing until day 9 */
    double local[16] = {0, 2, 2, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0};
    double imported[16] = {4};
    size_t ts[] = {4, 5, 9, 12}, te[] = {6, 8, 9, 16};
    eg_rt_config c;
    eg_rt_config_default(&c);
    c.method = EG_SI_NON_PARAMETRIC;
    c.si_distr = si;
    c.si_len = 3;
    c.t_start = ts;
    c.t_end = te;
    c.n_windows = 4;
    eg_rt_result r;
    assert_int_equal(eg_rt_estimate(local, imported, 16, &c, &r, NULL), EG_OK);
    /* [4,6]: no local case, Lambda_4 = 0.5*2 + 0.5*2 = 2, Lambda_5 = 1 */
    assert_true(relerr(r.windows[0].shape, 1) < 1e-15);
    assert_true(relerr(r.windows[0].scale, 1 / (0.2 + 3)) < 1e-15);
    /* [5,8]: Lambda 1, 0, 0, 0 */
    assert_true(relerr(r.windows[1].mean, 1 / (0.2 + 1)) < 1e-15);
    /* [9,9]: 3 local cases but Lambda_9 = 0: shape 4, prior scale 5 */
    assert_true(relerr(r.windows[2].mean, 5 * (1 + 3)) < 1e-15);
    assert_true(relerr(r.windows[2].scale, 5) < 1e-15);
    /* [12,16]: nothing at all: the prior, mean 5 and sd 5 */
    assert_true(relerr(r.windows[3].mean, 5) < 1e-15);
    assert_true(relerr(r.windows[3].std, 5) < 1e-15);
    assert_true(relerr(r.windows[3].q[3], 5 * log(2)) < 1e-12); /* exponential median */
    for (size_t i = 0; i < 4; i++)
        assert_false(r.windows[i].na);
    eg_rt_result_free(&r);
}

/* EpiEstim's NA rule: t_end <= mean of the discrete SI. Parametric SI of
 * mean 12 on 20 days (truncated at 19 days, mean below 12). */
static void test_na_rule(void **state)
{
    (void)state;
    double local[20], imported[20] = {0};
    for (int t = 0; t < 20; t++)
        local[t] = 3;
    eg_rt_config c;
    eg_rt_config_default(&c);
    c.mean_si = 12;
    c.std_si = 3;
    eg_rt_result r;
    assert_int_equal(eg_rt_estimate(local, imported, 20, &c, &r, NULL), EG_OK);
    assert_true(r.si_mean < 12 && r.si_mean > 10);
    size_t nna = 0;
    for (size_t i = 0; i < r.n_windows; i++) {
        const eg_rt_window *w = &r.windows[i];
        int expect = !((double)w->t_end > r.si_mean);
        assert_int_equal(w->na, expect);
        if (w->na) {
            nna++;
            assert_true(isnan(w->mean) && isnan(w->q[3]));
        } else {
            assert_true(isfinite(w->mean) && isfinite(w->q[6]));
        }
    }
    assert_true(nna > 0 && nna < r.n_windows);
    eg_rt_result_free(&r);
}

/* Bad input: clear errors. */
static void test_bad_input(void **state)
{
    (void)state;
    double local[10] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, imported[10] = {1};
    eg_rt_config c;
    eg_rt_config_default(&c);
    c.mean_si = 2.6;
    c.std_si = 1.5;
    eg_rt_result r;
    eg_diag d;
    size_t ts1[] = {1}, te1[] = {5};
    c.t_start = ts1;
    c.t_end = te1;
    c.n_windows = 1;
    assert_int_equal(eg_rt_estimate(local, imported, 10, &c, &r, &d), EG_ERR_INVALID);
    assert_string_equal(d.column, "t_start");
    assert_non_null(strstr(d.reason, "day 2"));
    size_t ts2[] = {3}, te2[] = {11};
    c.t_start = ts2;
    c.t_end = te2;
    assert_int_equal(eg_rt_estimate(local, imported, 10, &c, &r, &d), EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "outside the data"));
    size_t ts3[] = {5}, te3[] = {4};
    c.t_start = ts3;
    c.t_end = te3;
    assert_int_equal(eg_rt_estimate(local, imported, 10, &c, &r, &d), EG_ERR_INVALID);
    c.t_start = NULL;
    c.t_end = NULL;
    c.window = 10;
    assert_int_equal(eg_rt_estimate(local, imported, 10, &c, &r, &d), EG_ERR_INVALID);
    assert_string_equal(d.column, "window");
    c.window = 0;
    assert_int_equal(eg_rt_estimate(local, imported, 10, &c, &r, &d), EG_ERR_INVALID);
    c.window = 9; /* the widest: one window [2, 10] */
    assert_int_equal(eg_rt_estimate(local, imported, 10, &c, &r, &d), EG_OK);
    assert_int_equal(r.n_windows, 1);
    eg_rt_result_free(&r);
    c.window = 7;
    c.mean_si = 1;
    assert_int_equal(eg_rt_estimate(local, imported, 10, &c, &r, &d), EG_ERR_INVALID);
    c.mean_si = 2.6;
    c.std_si = 0;
    assert_int_equal(eg_rt_estimate(local, imported, 10, &c, &r, &d), EG_ERR_INVALID);
    c.std_si = 1.5;
    c.mean_prior = 0;
    assert_int_equal(eg_rt_estimate(local, imported, 10, &c, &r, &d), EG_ERR_INVALID);
    c.mean_prior = 5;
    double bad[10] = {0, 1, -2, 3, 4, 5, 6, 7, 8, 9};
    assert_int_equal(eg_rt_estimate(bad, imported, 10, &c, &r, &d), EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "day 3"));
    c.method = EG_SI_NON_PARAMETRIC;
    double si_bad[] = {0.2, 0.8};
    c.si_distr = si_bad;
    c.si_len = 2;
    assert_int_equal(eg_rt_estimate(local, imported, 10, &c, &r, &d), EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "k = 0"));
    assert_int_equal(eg_rt_estimate(local, imported, 1, &c, &r, &d), EG_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_references),    cmocka_unit_test(test_si_used),
        cmocka_unit_test(test_hand_one_window), cmocka_unit_test(test_hand_constant),
        cmocka_unit_test(test_hand_no_cases), cmocka_unit_test(test_na_rule),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
