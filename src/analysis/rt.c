/*
 * analysis/rt.c: the time-varying reproduction number of Cori et al. 2013
 * (Am J Epidemiol 178:1505) with imported cases as in Thompson et al. 2019
 * (Epidemics 29:100356), written to give the doubles of EpiEstim 2.2-4
 * `estimate_R` for the parametric and non-parametric serial interval:
 *
 *   Lambda_t = sum_s w_s (local + imported)_{t-s}      (overall_infectivity)
 *   shape    = a_prior + sum_{t in window} local_t
 *   scale    = 1 / (1/b_prior + sum_{t in window} Lambda_t)
 *   mean = shape*scale, std = sqrt(shape)*scale, quantiles qgamma (Rmath).
 *
 * EpiEstim's rules kept: parametric SI = discr_si(0..T-1) plus one 0, not
 * renormalised; a window is NA when t_end <= the discrete SI mean; the
 * first window's total incidence is compared with ceil(1/cv^2 - a_prior)
 * for its warning; windows must satisfy 2 <= t_start <= t_end <= T. The
 * uncertain-SI method is in rt_uncertain.c.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "epigrid/analysis.h"
#include "analysis/internal.h"

#define MATHLIB_STANDALONE 1
#include <Rmath.h>

const double eg_rt_quantile_probs[EG_RT_NQ] = {0.025, 0.05, 0.25, 0.5, 0.75, 0.95, 0.975};

/* make_config defaults of EpiEstim 2.2-4. */
void eg_rt_config_default(eg_rt_config *c)
{
    memset(c, 0, sizeof *c);
    c->method = EG_SI_PARAMETRIC;
    c->mean_si = NAN;
    c->std_si = NAN;
    c->std_mean_si = c->min_mean_si = c->max_mean_si = NAN;
    c->std_std_si = c->min_std_si = c->max_std_si = NAN;
    c->n1 = 500;
    c->n2 = 50;
    c->seed = 1;
    c->mean_prior = 5;
    c->std_prior = 5;
    c->cv_posterior = 0.3;
    c->window = 7;
    c->threads = 2;
}

/* Free everything a result owns. */
void eg_rt_result_free(eg_rt_result *r)
{
    if (!r)
        return;
    free(r->windows);
    free(r->si);
    free(r->si_means_drawn);
    free(r->si_sds_drawn);
    memset(r, 0, sizeof *r);
}

/* Non-negative finite counts. */
eg_err eg_an_check_counts(const double *local, const double *imported, size_t T, eg_diag *d)
{
    for (size_t t = 0; t < T; t++) {
        if (!isfinite(local[t]) || local[t] < 0)
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "local",
                               "day %zu: local count %g is not a non-negative number", t + 1, local[t]);
        if (imported && (!isfinite(imported[t]) || imported[t] < 0))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "imported",
                               "day %zu: imported count %g is not a non-negative number", t + 1,
                               imported[t]);
    }
    return EG_OK;
}

/* Resolve and check the windows (EpiEstim check_times). */
eg_err eg_an_windows(const eg_rt_config *cfg, size_t T, size_t **ts_out, size_t **te_out,
                     size_t *n_out, eg_diag *d)
{
    size_t n;
    size_t *ts, *te;
    if (cfg->t_start || cfg->t_end) {
        if (!cfg->t_start || !cfg->t_end)
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "t_start",
                               "t_start and t_end must be given together");
        n = cfg->n_windows;
        if (n == 0)
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "t_start", "no window given");
        ts = malloc(n * sizeof *ts);
        te = malloc(n * sizeof *te);
        if (!ts || !te) {
            free(ts);
            free(te);
            return EG_ERR_NOMEM;
        }
        memcpy(ts, cfg->t_start, n * sizeof *ts);
        memcpy(te, cfg->t_end, n * sizeof *te);
    } else {
        size_t w = cfg->window;
        if (w < 1 || T < 2 || w > T - 1)
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "window",
                               "a window of %zu days does not fit in %zu days of data (windows run from "
                               "day 2 to day %zu)", w, T, T);
        n = T - w;  /* t_start = 2 .. T - w + 1 */
        ts = malloc(n * sizeof *ts);
        te = malloc(n * sizeof *te);
        if (!ts || !te) {
            free(ts);
            free(te);
            return EG_ERR_NOMEM;
        }
        for (size_t i = 0; i < n; i++) {
            ts[i] = i + 2;
            te[i] = i + 1 + w;
        }
    }
    for (size_t i = 0; i < n; i++) {
        eg_err e = EG_OK;
        if (ts[i] < 2)
            e = eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "t_start",
                            "window %zu: t_start = %zu, but windows must start on day 2 or later "
                            "(total infectiousness is undefined on day 1)", i + 1, ts[i]);
        else if (te[i] < ts[i])
            e = eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "t_end",
                            "window %zu: t_end = %zu is before t_start = %zu", i + 1, te[i], ts[i]);
        else if (te[i] > T)
            e = eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "t_end",
                            "window %zu: t_end = %zu is outside the data (%zu days)", i + 1, te[i], T);
        if (e) {
            free(ts);
            free(te);
            return e;
        }
    }
    *ts_out = ts;
    *te_out = te;
    *n_out = n;
    return EG_OK;
}

/* Lambda from totals: lambda[i] = sum_{s=1}^{min(i, L-1)} si[s] tot[i-s],
 * accumulated in long double from s = 1 up, as R's sum(). */
void eg_an_lambda_tot(const double *tot, size_t T, const double *si, size_t L, double *lambda)
{
    if (T == 0)
        return;
    lambda[0] = NAN;
    for (size_t i = 1; i < T; i++) {
        size_t smax = L == 0 ? 0 : (i < L - 1 ? i : L - 1);
        long double s = 0;
        for (size_t k = 1; k <= smax; k++)
            s += (long double)(si[k] * tot[i - k]);
        lambda[i] = (double)s;
    }
}

/* Public form of the total infectiousness. */
void eg_rt_lambda(const double *local, const double *imported, size_t T, const double *si,
                  size_t si_len, double *lambda)
{
    double *tot = malloc((T ? T : 1) * sizeof *tot);
    if (!tot) {
        for (size_t i = 0; i < T; i++)
            lambda[i] = NAN;
        return;
    }
    for (size_t i = 0; i < T; i++)
        tot[i] = local[i] + (imported ? imported[i] : 0);
    eg_an_lambda_tot(tot, T, si, eg_si_support(si, si_len), lambda);
    free(tot);
}

/* R's sum over a window, 1-based inclusive. */
double eg_an_sum(const double *x, size_t ts, size_t te)
{
    long double s = 0;
    for (size_t t = ts; t <= te; t++)
        s += x[t - 1];
    return (double)s;
}

/* The deterministic methods. */
static eg_err rt_fixed_si(const double *local, const double *imported, size_t T,
                          const eg_rt_config *cfg, const size_t *ts, const size_t *te, size_t nw,
                          eg_rt_result *out, eg_diag *d)
{
    eg_err e = EG_OK;
    double *si = NULL, *tot = NULL, *lambda = NULL;
    size_t si_len;
    if (cfg->method == EG_SI_PARAMETRIC) {
        si_len = T + 1;
        si = malloc(si_len * sizeof *si);
        if (!si)
            return EG_ERR_NOMEM;
        if ((e = eg_discr_si(cfg->mean_si, cfg->std_si, T, si, d))) {
            free(si);
            return e;
        }
        si[T] = 0;
    } else {
        if ((e = eg_si_check(cfg->si_distr, cfg->si_len, d)))
            return e;
        si_len = cfg->si_len;
        si = malloc(si_len * sizeof *si);
        if (!si)
            return EG_ERR_NOMEM;
        memcpy(si, cfg->si_distr, si_len * sizeof *si);
    }
    tot = malloc(T * sizeof *tot);
    lambda = malloc(T * sizeof *lambda);
    out->windows = calloc(nw, sizeof *out->windows);
    if (!tot || !lambda || !out->windows) {
        e = EG_ERR_NOMEM;
        goto done;
    }
    for (size_t i = 0; i < T; i++)
        tot[i] = local[i] + imported[i];
    eg_an_lambda_tot(tot, T, si, eg_si_support(si, si_len), lambda);

    double mean_si = eg_si_mean(si, si_len);
    double a_prior = (cfg->mean_prior / cfg->std_prior) * (cfg->mean_prior / cfg->std_prior);
    double b_prior = cfg->std_prior * cfg->std_prior / cfg->mean_prior;
    for (size_t w = 0; w < nw; w++) {
        eg_rt_window *r = &out->windows[w];
        r->t_start = ts[w];
        r->t_end = te[w];
        if (!((double)te[w] > mean_si)) {
            r->na = 1;
            r->mean = r->std = r->shape = r->scale = NAN;
            for (int j = 0; j < EG_RT_NQ; j++)
                r->q[j] = NAN;
            continue;
        }
        double a = a_prior + eg_an_sum(local, ts[w], te[w]);
        double b = 1 / (1 / b_prior + eg_an_sum(lambda, ts[w], te[w]));
        r->shape = a;
        r->scale = b;
        r->mean = a * b;
        r->std = sqrt(a) * b;
        for (int j = 0; j < EG_RT_NQ; j++) {
            r->q[j] = qgamma(eg_rt_quantile_probs[j], a, b, 1, 0);
            if (!isfinite(r->q[j])) {
                e = eg_diag_set(d, EG_ERR_NUMERIC, NULL, 0, "R",
                                "window %zu-%zu: the gamma quantile %g (shape %g, scale %g) "
                                "could not be computed", ts[w], te[w], eg_rt_quantile_probs[j], a, b);
                goto done;
            }
        }
    }
    out->n_windows = nw;
    out->si = si;
    out->si_len = si_len;
    out->si_mean = mean_si;
    out->si_sd = eg_si_sd(si, si_len);
    si = NULL;
done:
    free(si);
    free(tot);
    free(lambda);
    if (e) {
        free(out->windows);
        out->windows = NULL;
    }
    return e;
}

/* Entry point: validate, resolve windows, dispatch on the method. */
eg_err eg_rt_estimate(const double *local, const double *imported, size_t T,
                      const eg_rt_config *cfg, eg_rt_result *out, eg_diag *d)
{
    eg_diag_clear(d);
    if (!local || !cfg || !out)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, NULL, "missing argument");
    if (T < 2)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "incidence",
                           "at least 2 days of incidence are needed, got %zu", T);
    eg_err e = eg_an_check_counts(local, imported, T, d);
    if (e)
        return e;
    if (!(cfg->mean_prior > 0) || !(cfg->std_prior > 0) || !isfinite(cfg->mean_prior) ||
        !isfinite(cfg->std_prior))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "mean_prior",
                           "the prior mean and sd of R must be positive numbers");
    if (cfg->method == EG_SI_PARAMETRIC || cfg->method == EG_SI_UNCERTAIN) {
        if (!(cfg->mean_si > 1) || !isfinite(cfg->mean_si))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "si_mean",
                               "the mean serial interval must be > 1 day, got %g", cfg->mean_si);
        if (!(cfg->std_si > 0) || !isfinite(cfg->std_si))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "si_sd",
                               "the serial-interval sd must be > 0 days, got %g", cfg->std_si);
    } else if (cfg->method != EG_SI_NON_PARAMETRIC) {
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "method", "unknown serial-interval method");
    }
    double *imp0 = NULL;
    if (!imported) {
        imp0 = calloc(T, sizeof *imp0);
        if (!imp0)
            return EG_ERR_NOMEM;
        imported = imp0;
    }
    size_t *ts = NULL, *te = NULL, nw = 0;
    memset(out, 0, sizeof *out);
    if ((e = eg_an_windows(cfg, T, &ts, &te, &nw, d)))
        goto done;
    if (cfg->method == EG_SI_UNCERTAIN)
        e = eg_an_rt_uncertain(local, imported, T, cfg, ts, te, nw, out, d);
    else
        e = rt_fixed_si(local, imported, T, cfg, ts, te, nw, out, d);
    if (e) {
        eg_rt_result_free(out);
        goto done;
    }
    {
        /* EpiEstim's first-window warning (total incidence of window 1) */
        double a_prior = (cfg->mean_prior / cfg->std_prior) * (cfg->mean_prior / cfg->std_prior);
        double min_cases = ceil(1 / (cfg->cv_posterior * cfg->cv_posterior) - a_prior);
        double first = eg_an_sum(local, ts[0], te[0]) + eg_an_sum(imported, ts[0], te[0]);
        out->first_window_low = first < min_cases;
        out->seed = cfg->seed;
    }
done:
    free(ts);
    free(te);
    free(imp0);
    return e;
}
