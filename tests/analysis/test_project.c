/*
 * tests/analysis/test_project.c: renewal-process projections
 * (src/analysis/project.c). Probabilities with a closed form are checked
 * within 5 Monte Carlo standard errors sqrt(p(1-p)/n_sim).
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

static void within_mc(double got, double p, size_t n)
{
    double se = sqrt(p * (1 - p) / (double)n);
    if (fabs(got - p) > 5 * se + 1e-12)
        fail_msg("got %.5f, expected %.5f (5 se = %.5f)", got, p, 5 * se);
}

/* R = 0: nothing happens. */
static void test_r_zero(void **state)
{
    (void)state;
    double local[] = {0, 3, 4}, imported[] = {2, 0, 0}, si[] = {0, 0.5, 0.5};
    eg_r_piece pc = {1, 0, 0, 0, 0};
    eg_proj_config c;
    eg_project_config_default(&c);
    c.si = si;
    c.si_len = 3;
    c.pieces = &pc;
    c.n_pieces = 1;
    c.days = 10;
    c.no_case_days = 10;
    c.n_sim = 2000;
    eg_proj_result r;
    assert_int_equal(eg_project(local, imported, 3, &c, &r, NULL), EG_OK);
    assert_true(r.p_no_new_case == 1);
    for (size_t i = 0; i < EG_PROJ_NQ * 10; i++)
        assert_true(r.inc_q[i] == 0);
    assert_true(isnan(r.p_more_than) && isnan(r.p_over_capacity));
    eg_project_result_free(&r);
}

/* One generation by hand: SI all on 1 day, I_T = 2, R = 0.5 fixed:
 * day 1 ~ Poisson(1): P(0) = e^-1. With dispersion k = 2, NB:
 * P(0) = (k/(k+m))^k = (2/3)^2. Over 2 days with R = 0.5: P(no case) =
 * P(day 1 = 0) (day 2's Lambda is then 0). */
static void test_one_generation(void **state)
{
    (void)state;
    double local[] = {0, 2}, imported[] = {1, 0}, si[] = {0, 1};
    eg_r_piece pc = {1, 0.5, 0, 0, 0};
    eg_proj_config c;
    eg_project_config_default(&c);
    c.si = si;
    c.si_len = 2;
    c.pieces = &pc;
    c.n_pieces = 1;
    c.days = 2;
    c.no_case_days = 2;
    c.n_sim = 200000;
    c.seed = 3;
    c.more_than = 2;
    c.more_than_days = 1;
    eg_proj_result r;
    assert_int_equal(eg_project(local, imported, 2, &c, &r, NULL), EG_OK);
    within_mc(r.p_no_new_case, exp(-1), c.n_sim);
    /* P(Poisson(1) > 2) = 1 - e^-1 (1 + 1 + 1/2) */
    within_mc(r.p_more_than, 1 - exp(-1) * 2.5, c.n_sim);
    /* median of Poisson(1) is 1 */
    assert_true(r.inc_q[2 * 2 + 0] == 1);
    eg_project_result_free(&r);
    c.dispersion = 2;
    assert_int_equal(eg_project(local, imported, 2, &c, &r, NULL), EG_OK);
    within_mc(r.p_no_new_case, (2.0 / 3) * (2.0 / 3), c.n_sim);
    eg_project_result_free(&r);
    /* R from a gamma posterior (shape 2, scale 0.25, mean 0.5): day 1 ~
     * Poisson(2R): P(0) = E[e^{-2R}] = (1 + 2*0.25)^-2 */
    eg_r_piece post = {1, 0, 0, 2, 0.25};
    c.pieces = &post;
    c.dispersion = 0;
    assert_int_equal(eg_project(local, imported, 2, &c, &r, NULL), EG_OK);
    within_mc(r.p_no_new_case, 1 / (1.5 * 1.5), c.n_sim);
    eg_project_result_free(&r);
}

/* Piecewise R: R = 0 for the first 3 days then 2: no case before day 4
 * is certain, the mean total grows after. */
static void test_piecewise(void **state)
{
    (void)state;
    double local[] = {0, 5, 5, 5}, imported[] = {5, 0, 0, 0};
    double si[20];
    assert_int_equal(eg_discr_si(3, 1.5, 20, si, NULL), EG_OK);
    eg_r_piece pcs[] = {{1, 0, 0, 0, 0}, {4, 2, 0, 0, 0}};
    eg_proj_config c;
    eg_project_config_default(&c);
    c.si = si;
    c.si_len = 20;
    c.pieces = pcs;
    c.n_pieces = 2;
    c.days = 10;
    c.no_case_days = 3;
    c.n_sim = 5000;
    eg_proj_result r;
    assert_int_equal(eg_project(local, imported, 4, &c, &r, NULL), EG_OK);
    assert_true(r.p_no_new_case == 1);
    assert_true(r.mean_total > 10);
    eg_project_result_free(&r);
}

/* Beds: every case admitted for exactly 1 day: beds = incidence. */
static void test_beds(void **state)
{
    (void)state;
    double local[] = {0, 10, 10, 10}, imported[] = {10, 0, 0, 0}, si[] = {0, 0.5, 0.5};
    double los1[] = {0, 1};
    eg_r_piece pc = {1, 1, 0, 0, 0};
    eg_proj_config c;
    eg_project_config_default(&c);
    c.si = si;
    c.si_len = 3;
    c.pieces = &pc;
    c.n_pieces = 1;
    c.days = 7;
    c.no_case_days = 7;
    c.n_sim = 3000;
    c.admit_prob = 1;
    c.los = los1;
    c.los_len = 2;
    c.capacity = 1000;
    c.standby = 0;
    eg_proj_result r;
    assert_int_equal(eg_project(local, imported, 4, &c, &r, NULL), EG_OK);
    assert_non_null(r.beds_q);
    for (size_t i = 0; i < EG_PROJ_NQ * 7; i++)
        assert_true(r.beds_q[i] == r.inc_q[i]);
    assert_true(r.p_over_capacity == 0);
    eg_project_result_free(&r);
    /* stays of exactly 3 days, everything admitted: beds on day 1 = cases
     * of the as-of day, the day before, and day 1 */
    double los3[] = {0, 0, 0, 1};
    c.los = los3;
    c.los_len = 4;
    c.capacity = 15;
    c.standby = 1000;
    assert_int_equal(eg_project(local, imported, 4, &c, &r, NULL), EG_OK);
    for (size_t j = 0; j < EG_PROJ_NQ; j++)
        assert_true(r.beds_q[j * 7] >= 20); /* 10 + 10 from the history */
    assert_true(r.p_over_capacity == 1);
    assert_true(r.p_over_capacity_standby == 0);
    eg_project_result_free(&r);
    /* gamma length of stay */
    double *los;
    size_t n;
    assert_int_equal(eg_los_gamma(10, 4, &los, &n, NULL), EG_OK);
    double s = 0, m = 0;
    for (size_t k = 0; k < n; k++) {
        s += los[k];
        m += (double)k * los[k];
    }
    assert_true(fabs(s - 1) < 1e-9 && fabs(m - 10) < 0.1 && los[0] == 0);
    free(los);
    assert_int_equal(eg_los_gamma(0, 4, &los, &n, NULL), EG_ERR_INVALID);
}

/* The same seed gives the same result with 1 or 2 threads. */
static void test_reproducible(void **state)
{
    (void)state;
    double local[30], imported[30] = {3};
    for (int t = 0; t < 30; t++)
        local[t] = t ? 5 + t % 3 : 0;
    double si[20];
    assert_int_equal(eg_discr_si(5, 2, 20, si, NULL), EG_OK);
    eg_r_piece pc = {1, 1.1, 0.2, 0, 0};
    eg_proj_config c;
    eg_project_config_default(&c);
    c.si = si;
    c.si_len = 20;
    c.pieces = &pc;
    c.n_pieces = 1;
    c.n_sim = 5000;
    c.days = 14;
    c.seed = 99;
    c.dispersion = 5;
    eg_proj_result a, b;
    c.threads = 1;
    assert_int_equal(eg_project(local, imported, 30, &c, &a, NULL), EG_OK);
    c.threads = 2;
    assert_int_equal(eg_project(local, imported, 30, &c, &b, NULL), EG_OK);
    assert_memory_equal(a.inc_q, b.inc_q, EG_PROJ_NQ * 14 * sizeof(double));
    assert_true(a.p_no_new_case == b.p_no_new_case && a.mean_total == b.mean_total);
    assert_int_equal(a.seed, 99);
    eg_project_result_free(&a);
    eg_project_result_free(&b);
}

/* Bad configurations. */
static void test_bad(void **state)
{
    (void)state;
    double local[] = {0, 1}, imported[] = {1, 0}, si[] = {0, 1}, bad_si[] = {0.5, 0.5};
    eg_r_piece pc = {1, 1, 0, 0, 0}, late = {2, 1, 0, 0, 0}, neg = {1, -1, 0, 0, 0};
    eg_proj_config c;
    eg_proj_result r;
    eg_diag d;
    eg_project_config_default(&c);
    c.si = si;
    c.si_len = 2;
    c.pieces = &pc;
    c.n_pieces = 1;
    assert_int_equal(eg_project(local, imported, 2, &c, &r, &d), EG_OK);
    eg_project_result_free(&r);
    c.si = bad_si;
    assert_int_equal(eg_project(local, imported, 2, &c, &r, &d), EG_ERR_INVALID);
    c.si = si;
    c.pieces = &late;
    assert_int_equal(eg_project(local, imported, 2, &c, &r, &d), EG_ERR_INVALID);
    c.pieces = &neg;
    assert_int_equal(eg_project(local, imported, 2, &c, &r, &d), EG_ERR_INVALID);
    c.pieces = &pc;
    c.admit_prob = 1.5;
    assert_int_equal(eg_project(local, imported, 2, &c, &r, &d), EG_ERR_INVALID);
    c.admit_prob = 0;
    c.no_case_days = 30;
    assert_int_equal(eg_project(local, imported, 2, &c, &r, &d), EG_ERR_INVALID);
    c.no_case_days = 14;
    c.days = 0;
    assert_int_equal(eg_project(local, imported, 2, &c, &r, &d), EG_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_r_zero),  cmocka_unit_test(test_one_generation),
        cmocka_unit_test(test_piecewise), cmocka_unit_test(test_beds),
        cmocka_unit_test(test_reproducible), cmocka_unit_test(test_bad),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
