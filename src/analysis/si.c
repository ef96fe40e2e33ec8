/*
 * analysis/si.c: serial-interval distributions.
 *
 * - eg_discr_si: the discretised gamma SI of Cori et al. 2013 (Am J
 *   Epidemiol 178:1505, web appendix 11), written operation for operation
 *   as EpiEstim 2.2-4's R function `discr_si`, with R's own pgamma
 *   (libRmath), so the doubles are the ones EpiEstim computes.
 * - eg_si_check / eg_si_read_csv: user-given distributions `k,w`
 *   (spec/formats.md si_distr.csv; EpiEstim's check_si_distr tolerance
 *   0.01 on the mass, never renormalised).
 * - eg_si_mean / eg_si_sd: moments used by EpiEstim's NA rule and reports.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "epigrid/analysis.h"
#include "epigrid/csv.h"

#define MATHLIB_STANDALONE 1
#include <Rmath.h>

/* R's pgamma(x, shape = a, scale = b) (lower tail, not log). */
static double cdf_gamma(double x, double a, double b)
{
    return pgamma(x, a, b, 1, 0);
}

/* discr_si(0..n-1, mu, sigma) of EpiEstim, with the CDF values of day k
 * reused for days k+1 and k+2 (the same pgamma calls give the same
 * doubles), and an exact early end once both CDFs are 1. */
eg_err eg_discr_si(double mu, double sigma, size_t n, double *w, eg_diag *d)
{
    if (n == 0)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "si", "no serial-interval values asked for");
    if (!isfinite(mu) || mu <= 1)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "si_mean",
                           "the mean serial interval must be a number > 1 day (EpiEstim), got %g", mu);
    if (!isfinite(sigma) || sigma <= 0)
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "si_sd",
                           "the serial-interval sd must be a number > 0 days, got %g", sigma);
    double a = ((mu - 1) / sigma) * ((mu - 1) / sigma);
    double b = sigma * sigma / (mu - 1);
    double ab = a * b;
    /* g0, g1, g2: CDF of gamma(a, b) at k-2, k-1, k; h0, h1, h2: the same
     * for gamma(a+1, b). pgamma is 0 for negative arguments. */
    double g0 = 0, g1 = 0, h0 = 0, h1 = 0;
    size_t k;
    for (k = 0; k < n; k++) {
        double kk = (double)k;
        double g2 = cdf_gamma(kk, a, b);
        double h2 = cdf_gamma(kk, a + 1, b);
        double res = kk * g2 + (kk - 2) * g0 - 2 * (kk - 1) * g1;
        res = res + ab * (2 * h1 - h0 - h2);
        w[k] = res > 0 ? res : 0;
        if (g0 == 1.0 && h0 == 1.0) {
            /* all three CDFs are 1 from here on: every later w is exactly
             * k + (k-2) - 2(k-1) = 0 and ab * 0 = 0 */
            for (size_t j = k + 1; j < n; j++)
                w[j] = 0;
            break;
        }
        g0 = g1; g1 = g2;
        h0 = h1; h1 = h2;
    }
    return EG_OK;
}

/* Length up to the last non-zero value. */
size_t eg_si_support(const double *w, size_t n)
{
    while (n > 0 && w[n - 1] == 0)
        n--;
    return n;
}

/* sum k w[k] in long double (R's sum accumulates in long double). */
double eg_si_mean(const double *w, size_t n)
{
    long double s = 0;
    for (size_t k = 0; k < n; k++)
        s += (long double)(w[k] * (double)k);
    return (double)s;
}

/* sqrt(sum k^2 w - mean^2), EpiEstim's si_sd_discrete. */
double eg_si_sd(const double *w, size_t n)
{
    long double s2 = 0;
    for (size_t k = 0; k < n; k++)
        s2 += (long double)(w[k] * (double)k * (double)k);
    double m = eg_si_mean(w, n);
    double v = (double)s2 - m * m;
    return v > 0 ? sqrt(v) : 0;
}

/* EpiEstim check_si_distr plus spec/formats.md. */
eg_err eg_si_check(const double *w, size_t n, eg_diag *d)
{
    if (!w || n < 2)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "w",
                           "a serial-interval distribution needs at least the days k = 0 and 1");
    if (w[0] != 0)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "w",
                           "the serial-interval weight at k = 0 must be 0, got %g", w[0]);
    long double s = 0;
    for (size_t k = 0; k < n; k++) {
        if (!isfinite(w[k]))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "w",
                               "the serial-interval weight at k = %zu is not a number", k);
        if (w[k] < 0)
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "w",
                               "the serial-interval weight at k = %zu is negative (%g)", k, w[k]);
        s += w[k];
    }
    if (fabsl(s - 1) > 0.01L)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "w",
                           "the serial-interval weights sum to %.6g, not 1 within 0.01", (double)s);
    return EG_OK;
}

/* Parse a whole field as a finite double. */
static int parse_double(const char *s, double *out)
{
    if (!s || !*s)
        return -1;
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* Read si_distr.csv: k = 0, 1, ... in order, w numbers; then check. */
eg_err eg_si_read_csv(const char *path, double **w_out, size_t *n_out, eg_diag *d)
{
    eg_csv *r = NULL;
    eg_err e = eg_csv_open(path, &r, d);
    if (e)
        return e;
    size_t ik, iw;
    if ((e = eg_csv_find(r, "k", &ik, d)) || (e = eg_csv_find(r, "w", &iw, d))) {
        eg_csv_close(r);
        return e;
    }
    size_t n = 0, cap = 32;
    double *w = malloc(cap * sizeof *w);
    if (!w) {
        eg_csv_close(r);
        return EG_ERR_NOMEM;
    }
    for (;;) {
        e = eg_csv_next(r, d);
        if (e == EG_ERR_EOF)
            break;
        if (e)
            goto fail;
        unsigned long line = eg_csv_line(r);
        const char *fk = eg_csv_field(r, ik), *fw = eg_csv_field(r, iw);
        double k, v;
        if (parse_double(fk, &k) || k != floor(k) || k < 0) {
            e = eg_diag_set(d, EG_ERR_PARSE, path, line, "k", "'%s' is not a whole number of days", fk);
            goto fail;
        }
        if ((double)n != k) {
            e = eg_diag_set(d, EG_ERR_INVALID, path, line, "k",
                            "expected k = %zu (days 0, 1, 2, ... without gaps), got %s", n, fk);
            goto fail;
        }
        if (parse_double(fw, &v)) {
            e = eg_diag_set(d, EG_ERR_PARSE, path, line, "w", "'%s' is not a number", fw);
            goto fail;
        }
        if (v < 0) {
            e = eg_diag_set(d, EG_ERR_INVALID, path, line, "w",
                            "the weight at k = %zu is negative (%s)", n, fw);
            goto fail;
        }
        if (n == 0 && v != 0) {
            e = eg_diag_set(d, EG_ERR_INVALID, path, line, "w",
                            "the weight at k = 0 must be 0, got %s", fw);
            goto fail;
        }
        if (n == cap) {
            double *p = realloc(w, 2 * cap * sizeof *p);
            if (!p) {
                e = EG_ERR_NOMEM;
                goto fail;
            }
            w = p;
            cap *= 2;
        }
        w[n++] = v;
    }
    eg_csv_close(r);
    r = NULL;
    if ((e = eg_si_check(w, n, d))) {
        if (d && !d->file[0])
            snprintf(d->file, sizeof d->file, "%s", path);
        free(w);
        return e;
    }
    *w_out = w;
    *n_out = n;
    return EG_OK;
fail:
    eg_csv_close(r);
    free(w);
    return e;
}
