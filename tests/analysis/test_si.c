/*
 * tests/analysis/test_si.c: the serial interval (src/analysis/si.c) and
 * the type-7 quantiles (src/analysis/quantile.c).
 *
 * discr_si must give EpiEstim 2.2-4's doubles: the reference files
 * discr_si_mean2.6_sd1.5.csv and flu*_parametric_si_si_distr_used.csv of
 * ../shared/data/epiestim are compared to a relative error of 1e-12
 * (stricter than the 1e-9 asked; the same pgamma and operation order).
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

/* Read column `col` (0-based) of a numeric CSV with a header; NA → NAN. */
static size_t read_col(const char *path, int col, double *out, size_t max)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char line[65536];
    size_t n = 0;
    assert_non_null(fgets(line, sizeof line, f));
    while (n < max && fgets(line, sizeof line, f)) {
        char *p = line;
        for (int c = 0; c < col; c++) {
            p = strchr(p, ',');
            assert_non_null(p);
            p++;
        }
        out[n++] = strncmp(p, "NA", 2) == 0 ? NAN : strtod(p, NULL);
    }
    fclose(f);
    return n;
}

/* Relative error |a - b| / |b| (absolute when b is 0). */
static double relerr(double a, double b)
{
    if (b == 0)
        return fabs(a);
    return fabs(a - b) / fabs(b);
}

/* discr_si(0..30, 2.6, 1.5) equals the reference file. */
static void test_discr_si_reference(void **state)
{
    (void)state;
    double ref[64], w[64];
    size_t n = read_col(REF "discr_si_mean2.6_sd1.5.csv", 1, ref, 64);
    assert_int_equal(n, 31);
    assert_int_equal(eg_discr_si(2.6, 1.5, n, w, NULL), EG_OK);
    double mx = 0;
    for (size_t k = 0; k < n; k++) {
        double e = relerr(w[k], ref[k]);
        if (e > mx)
            mx = e;
    }
    printf("discr_si(2.6, 1.5): max relative error %.3g over %zu values\n", mx, n);
    assert_true(mx <= 1e-12);
    assert_true(w[0] == 0);
}

/* The SI parametric_si really used: discr_si(0..T-1) then one 0. */
static void check_used(const char *file, size_t T)
{
    double *ref = malloc((T + 5) * sizeof *ref), *w = malloc((T + 1) * sizeof *w);
    size_t n = read_col(file, 1, ref, T + 5);
    assert_int_equal(n, T + 1);
    assert_int_equal(eg_discr_si(2.6, 1.5, T, w, NULL), EG_OK);
    w[T] = 0;
    double mx = 0;
    for (size_t k = 0; k <= T; k++) {
        double e = relerr(w[k], ref[k]);
        if (e > mx)
            mx = e;
    }
    printf("%s: max relative error %.3g\n", strrchr(file, '/') + 1, mx);
    assert_true(mx <= 1e-12);
    free(ref);
    free(w);
}

static void test_si_distr_used(void **state)
{
    (void)state;
    check_used(REF "flu2009_parametric_si_si_distr_used.csv", 32);
    check_used(REF "flu1918_parametric_si_si_distr_used.csv", 92);
}

/* Mean of discr_si over a long support is mu (Cori et al. web appendix
 * 11), sum is 1; manifest's si_mean_discrete for Flu2009 (T = 32). */
static void test_discr_si_moments(void **state)
{
    (void)state;
    double w[400];
    assert_int_equal(eg_discr_si(7.5, 3.4, 400, w, NULL), EG_OK);
    double s = 0;
    for (int k = 0; k < 400; k++)
        s += w[k];
    assert_true(fabs(s - 1) < 1e-12);
    assert_true(fabs(eg_si_mean(w, 400) - 7.5) < 1e-9);
    /* the tent kernel adds about 1/6 day^2 of variance */
    assert_true(fabs(eg_si_sd(w, 400) - sqrt(3.4 * 3.4 + 1.0 / 6)) < 1e-3);
    assert_true(eg_si_support(w, 400) < 100);
    assert_int_equal(eg_discr_si(2.6, 1.5, 33, w, NULL), EG_OK);
    w[32] = 0;
    assert_true(relerr(eg_si_mean(w, 33), 2.5999999789755894) < 1e-12);
    assert_true(relerr(eg_si_sd(w, 33), 1.554880153810525) < 1e-9);
}

/* Bad parameters of discr_si. */
static void test_discr_si_bad(void **state)
{
    (void)state;
    double w[10];
    eg_diag d;
    assert_int_equal(eg_discr_si(1.0, 1, 10, w, &d), EG_ERR_RANGE);
    assert_non_null(strstr(d.reason, "> 1"));
    assert_int_equal(eg_discr_si(0.5, 1, 10, w, &d), EG_ERR_RANGE);
    assert_int_equal(eg_discr_si(3, 0, 10, w, &d), EG_ERR_RANGE);
    assert_int_equal(eg_discr_si(3, -1, 10, w, &d), EG_ERR_RANGE);
    assert_int_equal(eg_discr_si(NAN, 1, 10, w, &d), EG_ERR_RANGE);
    assert_int_equal(eg_discr_si(3, 1, 0, w, &d), EG_ERR_RANGE);
}

/* eg_si_check: formats.md rules. */
static void test_si_check(void **state)
{
    (void)state;
    eg_diag d;
    double ok[] = {0, 0.25, 0.5, 0.25};
    assert_int_equal(eg_si_check(ok, 4, &d), EG_OK);
    double near[] = {0, 0.25, 0.5, 0.245};    /* sum 0.995: within 0.01 */
    assert_int_equal(eg_si_check(near, 4, &d), EG_OK);
    double w0[] = {0.1, 0.2, 0.5, 0.2};
    assert_int_equal(eg_si_check(w0, 4, &d), EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "k = 0"));
    double neg[] = {0, 0.6, -0.1, 0.5};
    assert_int_equal(eg_si_check(neg, 4, &d), EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "negative"));
    double far[] = {0, 0.2, 0.5, 0.2};       /* sum 0.9 */
    assert_int_equal(eg_si_check(far, 4, &d), EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "sum"));
    double one[] = {0};
    assert_int_equal(eg_si_check(one, 1, &d), EG_ERR_INVALID);
    double nan[] = {0, NAN, 1};
    assert_int_equal(eg_si_check(nan, 3, &d), EG_ERR_INVALID);
}

/* Write a small file in the test directory. */
static const char *tmpfile_with(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/analysis_si_%s", EG_TEST_TMPDIR, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* si_distr.csv reading, good and bad. */
static void test_si_read_csv(void **state)
{
    (void)state;
    double *w = NULL;
    size_t n = 0;
    eg_diag d;
    assert_int_equal(eg_si_read_csv(REF "flu2009_si_distr.csv", &w, &n, &d), EG_OK);
    assert_int_equal(n, 12);
    assert_true(w[1] == 0.233);
    free(w);
    assert_int_equal(eg_si_read_csv(tmpfile_with("ok.csv", "k,w\n0,0\n1,0.5\n2,0.5\n"), &w, &n, &d), EG_OK);
    assert_int_equal(n, 3);
    free(w);
    assert_int_equal(eg_si_read_csv(tmpfile_with("gap.csv", "k,w\n0,0\n2,0.5\n3,0.5\n"), &w, &n, &d),
                     EG_ERR_INVALID);
    assert_int_equal(d.line, 3);
    assert_string_equal(d.column, "k");
    assert_int_equal(eg_si_read_csv(tmpfile_with("w0.csv", "k,w\n0,0.1\n1,0.9\n"), &w, &n, &d),
                     EG_ERR_INVALID);
    assert_int_equal(d.line, 2);
    assert_int_equal(eg_si_read_csv(tmpfile_with("neg.csv", "k,w\n0,0\n1,1.2\n2,-0.2\n"), &w, &n, &d),
                     EG_ERR_INVALID);
    assert_int_equal(d.line, 4);
    assert_string_equal(d.column, "w");
    assert_int_equal(eg_si_read_csv(tmpfile_with("mass.csv", "k,w\n0,0\n1,0.5\n2,0.3\n"), &w, &n, &d),
                     EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "sum"));
    assert_int_equal(eg_si_read_csv(tmpfile_with("na.csv", "k,w\n0,0\n1,NA\n2,1\n"), &w, &n, &d),
                     EG_ERR_PARSE);
    assert_int_equal(d.line, 3);
    assert_int_equal(eg_si_read_csv(tmpfile_with("col.csv", "day,w\n0,0\n1,1\n"), &w, &n, &d),
                     EG_ERR_MISSING_COLUMN);
    assert_int_equal(eg_si_read_csv(EG_TEST_TMPDIR "/no-such-si.csv", &w, &n, &d), EG_ERR_IO);
}

/* Reference type-7 quantile by full sort. */
static int cmpd(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void test_quantile7(void **state)
{
    (void)state;
    const double p[] = {0, 0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975, 1};
    uint64_t s = 12345;
    for (size_t n = 1; n < 300; n += (n < 20 ? 1 : 37)) {
        double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
        for (size_t i = 0; i < n; i++) {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            x[i] = (double)((s >> 33) % (n < 10 ? 3 : 50)); /* many ties */
            y[i] = x[i];
        }
        qsort(y, n, sizeof *y, cmpd);
        double q[9];
        eg_quantile7(x, n, p, 9, q);
        for (int j = 0; j < 9; j++) {
            double idx = 1 + (double)(n - 1) * p[j];
            size_t lo = (size_t)floor(idx), hi = (size_t)ceil(idx);
            double h = idx - floor(idx);
            double e = y[lo - 1];
            if (idx > lo && y[hi - 1] != e)
                e = (1 - h) * e + h * y[hi - 1];
            assert_true(q[j] == e);
        }
        free(x);
        free(y);
    }
    /* R: quantile(c(1, 2, 3, 4), c(0.025, 0.5)) = 1.075, 2.5 */
    double x4[] = {4, 2, 1, 3}, q2[2];
    const double p2[] = {0.025, 0.5};
    eg_quantile7(x4, 4, p2, 2, q2);
    assert_true(fabs(q2[0] - 1.075) < 1e-15 && q2[1] == 2.5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_discr_si_reference), cmocka_unit_test(test_si_distr_used),
        cmocka_unit_test(test_discr_si_moments),   cmocka_unit_test(test_discr_si_bad),
        cmocka_unit_test(test_si_check),           cmocka_unit_test(test_si_read_csv),
        cmocka_unit_test(test_quantile7),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
