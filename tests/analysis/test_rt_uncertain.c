/*
 * tests/analysis/test_rt_uncertain.c: R with an uncertain serial interval
 * (src/analysis/rt_uncertain.c) against EpiEstim 2.2-4.
 *
 * The pooled sample is a Monte Carlo estimate, so agreement is within
 * Monte Carlo error, with tolerances derived, not guessed:
 *
 * 1. Given the same n1 (mean, sd) pairs as EpiEstim drew (the
 *    `_si_moments.csv` files), the pooled sample estimates the exact
 *    equal-weight mixture of the n1 gamma posteriors. With N = n1*n2
 *    draws, the sample mean has sd <= sigma_mix/sqrt(N); the sample sd has
 *    sd ~ sqrt((mu4 - sigma^4) / (4 sigma^2 N)) (mu4 the mixture's fourth
 *    central moment); a type-7 quantile q_p has F_mix(q_p) - p with sd
 *    ~ sqrt(p(1-p)/N). Both our result and EpiEstim's own numbers must lie
 *    within 5 such sds of the exact mixture (P(failure) < 1e-6 per check).
 * 2. With pairs drawn by our own streams (seed 1), the mixture itself
 *    varies with the pairs: the tolerance adds the between-pair variance
 *    over n1 (var of the pairs' posterior means, resp. of F_k(q)) and both
 *    sides' sampling error: 5 sqrt(2 (var_between/n1 + var_within/N)).
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

#define MATHLIB_STANDALONE 1
#include <Rmath.h>

#define REF EG_SHARED_DIR "/data/epiestim/"
#define NW 25
#define MAXP 500

static eg_incidence g_inc;

/* Read an R table (11 columns) or a 2-column moments file. */
static size_t read_rows(const char *path, double *out, int ncol, size_t max)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[4096];
    size_t n = 0;
    assert_non_null(fgets(line, sizeof line, f));
    while (n < max && fgets(line, sizeof line, f)) {
        char *p = line;
        for (int c = 0; c < ncol; c++) {
            out[n * (size_t)ncol + (size_t)c] = strtod(p, NULL);
            p = strchr(p, ',');
            if (p)
                p++;
        }
        n++;
    }
    fclose(f);
    return n;
}

/* The exact posteriors of every pair for the 25 weekly windows. */
typedef struct mix {
    size_t n1;
    double a[NW];
    double *b; /* [n1 * NW] */
} mix;

static void mix_build(mix *m, const double *means, const double *sds, size_t n1)
{
    m->n1 = n1;
    m->b = malloc(n1 * NW * sizeof *m->b);
    for (size_t k = 0; k < n1; k++) {
        eg_rt_config c;
        eg_rt_config_default(&c);
        c.mean_si = means[k];
        c.std_si = sds[k];
        eg_rt_result r;
        assert_int_equal(eg_rt_estimate(g_inc.local, g_inc.imported, g_inc.n, &c, &r, NULL), EG_OK);
        assert_int_equal(r.n_windows, NW);
        for (size_t w = 0; w < NW; w++) {
            assert_false(r.windows[w].na);
            m->a[w] = r.windows[w].shape;
            m->b[k * NW + w] = r.windows[w].scale;
        }
        eg_rt_result_free(&r);
    }
}

/* Raw moment j (1..4) of the mixture for window w. */
static double mix_raw(const mix *m, size_t w, int j)
{
    double a = m->a[w], s = 0;
    for (size_t k = 0; k < m->n1; k++) {
        double b = m->b[k * NW + w], v = 1;
        for (int i = 0; i < j; i++)
            v *= (a + i) * b;
        s += v;
    }
    return s / (double)m->n1;
}

/* Mixture CDF, and the variance over pairs of the pairs' CDFs. */
static double mix_cdf(const mix *m, size_t w, double x, double *var_between)
{
    double s = 0, s2 = 0;
    for (size_t k = 0; k < m->n1; k++) {
        double f = pgamma(x, m->a[w], m->b[k * NW + w], 1, 0);
        s += f;
        s2 += f * f;
    }
    double mean = s / (double)m->n1;
    if (var_between)
        *var_between = s2 / (double)m->n1 - mean * mean;
    return mean;
}

/* Check an estimate (mean, std, q[7]) of window w against the exact
 * mixture m; N draws; `pairs_random` adds the between-pair variance and
 * doubles the variance (two independent estimates). Returns the largest
 * deviation in units of its standard error. */
static double check_against(const mix *m, size_t w, double mean, double sd, const double *q,
                            size_t N, int pairs_random)
{
    double m1 = mix_raw(m, w, 1), m2 = mix_raw(m, w, 2), m3 = mix_raw(m, w, 3),
           m4 = mix_raw(m, w, 4);
    double var = m2 - m1 * m1;
    double mu4 = m4 - 4 * m1 * m3 + 6 * m1 * m1 * m2 - 3 * m1 * m1 * m1 * m1;
    double worst = 0;
    /* mean */
    double vb = 0;
    if (pairs_random) {
        double s = 0, s2 = 0;
        for (size_t k = 0; k < m->n1; k++) {
            double pm = m->a[w] * m->b[k * NW + w];
            s += pm;
            s2 += pm * pm;
        }
        vb = s2 / (double)m->n1 - (s / (double)m->n1) * (s / (double)m->n1);
    }
    double se = sqrt((pairs_random ? 2 : 1) * (vb / (double)m->n1 + var / (double)N));
    worst = fmax(worst, fabs(mean - m1) / se);
    /* sd: within-sample error only (the between-pair part is checked
     * through the mean and the quantiles) */
    double se_sd = sqrt((mu4 - var * var) / (4 * var * (double)N));
    if (!pairs_random)
        worst = fmax(worst, fabs(sd - sqrt(var)) / se_sd);
    else
        worst = fmax(worst, fabs(sd - sqrt(var)) / (sqrt(2) * (se_sd + 0.05 * sqrt(var))));
    for (int j = 0; j < EG_RT_NQ; j++) {
        double p = eg_rt_quantile_probs[j], vbq;
        double F = mix_cdf(m, w, q[j], &vbq);
        double seq = sqrt((pairs_random ? 2 : 1) *
                          ((pairs_random ? vbq / (double)m->n1 : 0) + p * (1 - p) / (double)N));
        worst = fmax(worst, fabs(F - p) / seq);
    }
    return worst;
}

static int setup(void **state)
{
    (void)state;
    eg_diag d;
    return eg_incidence_read_csv(REF "flu2009_incidence.csv", &g_inc, NULL, &d) ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    eg_incidence_free(&g_inc);
    return 0;
}

/* The flu2009 uncertain config of ?estimate_R. */
static void base_config(eg_rt_config *c, size_t n1, size_t n2)
{
    eg_rt_config_default(c);
    c->method = EG_SI_UNCERTAIN;
    c->mean_si = 2.6;
    c->std_mean_si = 1;
    c->min_mean_si = 1;
    c->max_mean_si = 4.2;
    c->std_si = 1.5;
    c->std_std_si = 0.5;
    c->min_std_si = 0.5;
    c->max_std_si = 2.5;
    c->n1 = n1;
    c->n2 = n2;
    c->seed = 1;
}

/* 1. Same pairs as EpiEstim: ours and EpiEstim's both within 5 se of the
 *    exact mixture. */
static void run_given_pairs(const char *moments, const char *table, size_t n1, size_t n2)
{
    double *mom = malloc(MAXP * 2 * sizeof *mom), ref[NW * 11];
    size_t np = read_rows(moments, mom, 2, MAXP);
    assert_int_equal(np, n1);
    assert_int_equal(read_rows(table, ref, 11, NW), NW);
    double *means = malloc(np * sizeof *means), *sds = malloc(np * sizeof *sds);
    for (size_t k = 0; k < np; k++) {
        means[k] = mom[2 * k];
        sds[k] = mom[2 * k + 1];
    }
    mix m;
    mix_build(&m, means, sds, np);
    eg_rt_config c;
    base_config(&c, n1, n2);
    c.min_mean_si = 1.0001; /* not used with given pairs */
    c.si_mean_pairs = means;
    c.si_sd_pairs = sds;
    c.seed = 42;
    eg_rt_result r;
    eg_diag d;
    if (eg_rt_estimate(g_inc.local, g_inc.imported, g_inc.n, &c, &r, &d))
        fail_msg("%s", d.reason);
    double worst_ours = 0, worst_ref = 0, rel_mean = 0;
    for (size_t w = 0; w < NW; w++) {
        const eg_rt_window *x = &r.windows[w];
        assert_int_equal(x->t_start, (size_t)ref[w * 11]);
        worst_ours = fmax(worst_ours, check_against(&m, w, x->mean, x->std, x->q, n1 * n2, 0));
        worst_ref = fmax(worst_ref, check_against(&m, w, ref[w * 11 + 2], ref[w * 11 + 3],
                                                  &ref[w * 11 + 4], n1 * n2, 0));
        rel_mean = fmax(rel_mean, fabs(x->mean - ref[w * 11 + 2]) / ref[w * 11 + 2]);
    }
    printf("%s, same pairs: worst deviation from the exact mixture: ours %.2f se, EpiEstim "
           "%.2f se (tolerance 5); max rel. diff of means ours/EpiEstim %.3g\n",
           strrchr(table, '/') + 1, worst_ours, worst_ref, rel_mean);
    assert_true(worst_ours <= 5);
    assert_true(worst_ref <= 5);
    eg_rt_result_free(&r);
    free(m.b);
    free(means);
    free(sds);
    free(mom);
}

static void test_given_pairs(void **state)
{
    (void)state;
    run_given_pairs(REF "flu2009_uncertain_si_n1_100_n2_100_seed1_si_moments.csv",
                    REF "flu2009_uncertain_si_n1_100_n2_100_seed1.csv", 100, 100);
    run_given_pairs(REF "flu2009_uncertain_si_n1_500_n2_50_seed1_si_moments.csv",
                    REF "flu2009_uncertain_si_n1_500_n2_50_seed1.csv", 500, 50);
}

/* 2. Our own pairs (seed 1) against EpiEstim's published estimate, with
 *    the between-pair variance of EpiEstim's pairs in the tolerance. */
static void run_drawn(const char *moments, const char *table, size_t n1, size_t n2)
{
    double *mom = malloc(MAXP * 2 * sizeof *mom), ref[NW * 11];
    size_t np = read_rows(moments, mom, 2, MAXP);
    assert_int_equal(read_rows(table, ref, 11, NW), NW);
    double *means = malloc(np * sizeof *means), *sds = malloc(np * sizeof *sds);
    for (size_t k = 0; k < np; k++) {
        means[k] = mom[2 * k];
        sds[k] = mom[2 * k + 1];
    }
    mix m;
    mix_build(&m, means, sds, np);
    eg_rt_config c;
    base_config(&c, n1, n2);
    eg_rt_result r;
    eg_diag d;
    if (eg_rt_estimate(g_inc.local, g_inc.imported, g_inc.n, &c, &r, &d))
        fail_msg("%s", d.reason);
    assert_int_equal(r.n_pairs, n1);
    for (size_t k = 0; k < n1; k++) {
        assert_true(r.si_means_drawn[k] >= 1 && r.si_means_drawn[k] <= 4.2);
        assert_true(r.si_sds_drawn[k] >= 0.5 && r.si_sds_drawn[k] <= 2.5);
    }
    double worst = 0, rel = 0;
    for (size_t w = 0; w < NW; w++) {
        const eg_rt_window *x = &r.windows[w];
        worst = fmax(worst, check_against(&m, w, x->mean, x->std, x->q, n1 * n2, 1));
        rel = fmax(rel, fabs(x->mean - ref[w * 11 + 2]) / ref[w * 11 + 2]);
    }
    printf("%s, own pairs (seed 1): worst deviation %.2f se (tolerance 5); max rel. diff of "
           "means %.3g\n", strrchr(table, '/') + 1, worst, rel);
    assert_true(worst <= 5);
    eg_rt_result_free(&r);
    free(m.b);
    free(means);
    free(sds);
    free(mom);
}

static void test_drawn_pairs(void **state)
{
    (void)state;
    run_drawn(REF "flu2009_uncertain_si_n1_100_n2_100_seed1_si_moments.csv",
              REF "flu2009_uncertain_si_n1_100_n2_100_seed1.csv", 100, 100);
    run_drawn(REF "flu2009_uncertain_si_n1_500_n2_50_seed1_si_moments.csv",
              REF "flu2009_uncertain_si_n1_500_n2_50_seed1.csv", 500, 50);
}

/* Reproducible from the seed, whatever the number of threads. */
static void test_reproducible(void **state)
{
    (void)state;
    eg_rt_config c;
    base_config(&c, 50, 40);
    c.seed = 7;
    eg_rt_result r1, r2, r3;
    c.threads = 1;
    assert_int_equal(eg_rt_estimate(g_inc.local, g_inc.imported, g_inc.n, &c, &r1, NULL), EG_OK);
    c.threads = 2;
    assert_int_equal(eg_rt_estimate(g_inc.local, g_inc.imported, g_inc.n, &c, &r2, NULL), EG_OK);
    c.seed = 8;
    assert_int_equal(eg_rt_estimate(g_inc.local, g_inc.imported, g_inc.n, &c, &r3, NULL), EG_OK);
    assert_int_equal(r1.seed, 7);
    for (size_t w = 0; w < r1.n_windows; w++) {
        assert_true(r1.windows[w].mean == r2.windows[w].mean);
        assert_true(r1.windows[w].std == r2.windows[w].std);
        assert_memory_equal(r1.windows[w].q, r2.windows[w].q, sizeof r1.windows[w].q);
        assert_true(r1.windows[w].mean != r3.windows[w].mean);
    }
    eg_rt_result_free(&r1);
    eg_rt_result_free(&r2);
    eg_rt_result_free(&r3);
}

/* Windows ending before the drawn SI means are NA (no pair gives draws). */
static void test_uncertain_na(void **state)
{
    (void)state;
    double local[14], imported[14] = {0};
    for (int t = 0; t < 14; t++)
        local[t] = 4;
    eg_rt_config c;
    base_config(&c, 20, 10);
    c.mean_si = 10;
    c.min_mean_si = 9.5;
    c.max_mean_si = 10.5;
    c.std_si = 2;
    c.min_std_si = 1;
    c.max_std_si = 3;
    eg_rt_result r;
    assert_int_equal(eg_rt_estimate(local, imported, 14, &c, &r, NULL), EG_OK);
    for (size_t w = 0; w < r.n_windows; w++) {
        if (r.windows[w].t_end <= 9) {
            assert_true(r.windows[w].na);
            assert_true(isnan(r.windows[w].mean));
        }
        if (r.windows[w].t_end >= 11)
            assert_false(r.windows[w].na);
    }
    eg_rt_result_free(&r);
}

/* Bad uncertain configurations. */
static void test_uncertain_bad(void **state)
{
    (void)state;
    eg_rt_config c;
    eg_rt_result r;
    eg_diag d;
    base_config(&c, 10, 10);
    c.min_mean_si = 3; /* mean 2.6 outside [3, 4.2] */
    assert_int_equal(eg_rt_estimate(g_inc.local, g_inc.imported, g_inc.n, &c, &r, &d), EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "within"));
    base_config(&c, 0, 10);
    assert_int_equal(eg_rt_estimate(g_inc.local, g_inc.imported, g_inc.n, &c, &r, &d), EG_ERR_INVALID);
    base_config(&c, 10, 10);
    c.std_std_si = NAN;
    assert_int_equal(eg_rt_estimate(g_inc.local, g_inc.imported, g_inc.n, &c, &r, &d), EG_ERR_INVALID);
    base_config(&c, 10, 10);
    c.min_mean_si = 0.5;
    assert_int_equal(eg_rt_estimate(g_inc.local, g_inc.imported, g_inc.n, &c, &r, &d), EG_ERR_INVALID);
    base_config(&c, 10, 10);
    c.min_std_si = -1;
    assert_int_equal(eg_rt_estimate(g_inc.local, g_inc.imported, g_inc.n, &c, &r, &d), EG_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_given_pairs),  cmocka_unit_test(test_drawn_pairs),
        cmocka_unit_test(test_reproducible), cmocka_unit_test(test_uncertain_na),
        cmocka_unit_test(test_uncertain_bad),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
