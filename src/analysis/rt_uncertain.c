/*
 * analysis/rt_uncertain.c: R with an uncertain serial interval, as
 * EpiEstim 2.2-4 `estimate_R(method = "uncertain_si")` (Cori et al. 2013,
 * web appendix; Thompson et al. 2019 for imported cases):
 *
 *  1. n1 pairs (mean, sd) of the SI: the mean from N(mean_si, std_mean_si)
 *     redrawn until it lies in [min_mean_si, max_mean_si], then the sd from
 *     N(std_si, std_std_si) redrawn until in [min_std_si, max_std_si]
 *     (EpiEstim's loop; it does not enforce sd < mean).
 *  2. For pair j: w = discr_si(0..T-1, mean_j, sd_j), Lambda, and per
 *     window the gamma posterior (shape a_prior + local cases, scale
 *     1/(1/b_prior + sum Lambda)); a window gets no draws from pair j when
 *     t_end <= mean_j or t_end <= the discrete mean of w (EpiEstim's two
 *     NA tests).
 *  3. n2 draws from each pair's posterior, pooled; the window reports the
 *     sample mean, the sample sd (n - 1) and R's type-7 quantiles; NA when
 *     no pair gave draws.
 *
 * Random numbers: GSL MT19937. Stream 0 (seeded from the user seed) draws
 * the pairs; window i draws from its own stream (seed, i + 1), so the
 * result is the same with 1 or 2 threads. The shape of a window does not
 * depend on the pair, so each draw is scale_j * Gamma(shape, 1).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "epigrid/analysis.h"
#include "analysis/internal.h"

/* SplitMix64 (Steele, Lea, Flood 2014) of seed and stream number. */
uint64_t eg_an_stream_seed(uint64_t seed, uint64_t k)
{
    uint64_t z = seed + 0x9E3779B97F4A7C15ULL * (k + 1);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* GSL must never abort the program: statuses are checked instead. */
void eg_an_gsl_init(void)
{
    gsl_set_error_handler_off();
}

/* Shared, read-only inputs of the window workers plus their outputs. */
typedef struct unc_job {
    size_t n1, n2, nw;
    const double *shape;     /* [nw] */
    const double *scale;     /* [n1 * nw], scale[j * nw + w] */
    const unsigned char *ok; /* [n1 * nw], pair j gives draws for window w */
    uint64_t seed;
    eg_rt_window *out;       /* [nw] */
    int nthreads, id;
    int failed;              /* 1 on no memory */
} unc_job;

/* Mean as R's mean.default: long double sum / n, plus a second-pass
 * correction; sd with denominator n - 1 about that mean. */
static void mean_sd(const double *x, size_t n, double *mean, double *sd)
{
    long double s = 0;
    for (size_t i = 0; i < n; i++)
        s += x[i];
    s /= (long double)n;
    long double t = 0;
    for (size_t i = 0; i < n; i++)
        t += x[i] - s;
    s += t / (long double)n;
    *mean = (double)s;
    if (n < 2) {
        *sd = NAN;
        return;
    }
    long double v = 0;
    double m = (double)s;
    for (size_t i = 0; i < n; i++)
        v += (long double)((x[i] - m) * (x[i] - m));
    *sd = sqrt((double)(v / (long double)(n - 1)));
}

/* Worker: windows id, id + nthreads, ... */
static void *unc_worker(void *arg)
{
    unc_job *jb = arg;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double *buf = malloc(jb->n1 * jb->n2 * sizeof *buf);
    if (!r || !buf) {
        jb->failed = 1;
        gsl_rng_free(r);
        free(buf);
        return NULL;
    }
    for (size_t w = (size_t)jb->id; w < jb->nw; w += (size_t)jb->nthreads) {
        eg_rt_window *o = &jb->out[w];
        gsl_rng_set(r, (unsigned long)eg_an_stream_seed(jb->seed, w + 1));
        double a = jb->shape[w];
        size_t m = 0, npairs = 0;
        long double sumb = 0;
        for (size_t j = 0; j < jb->n1; j++) {
            if (!jb->ok[j * jb->nw + w])
                continue;
            double b = jb->scale[j * jb->nw + w];
            sumb += b;
            npairs++;
            for (size_t k = 0; k < jb->n2; k++)
                buf[m++] = b * gsl_ran_gamma(r, a, 1.0);
        }
        o->shape = a;
        if (m == 0) {
            o->na = 1;
            o->mean = o->std = o->scale = NAN;
            for (int q = 0; q < EG_RT_NQ; q++)
                o->q[q] = NAN;
            continue;
        }
        o->scale = (double)(sumb / (long double)npairs);
        mean_sd(buf, m, &o->mean, &o->std);
        eg_quantile7(buf, m, eg_rt_quantile_probs, EG_RT_NQ, o->q);
    }
    gsl_rng_free(r);
    free(buf);
    return NULL;
}

/* Draw from N(mu, sd) until inside [lo, hi] (EpiEstim's while loop) and
 * above `floor_excl` (discr_si needs a mean > 1 and an sd > 0; a draw on
 * that bound has probability 0 but is redrawn). */
static eg_err draw_truncated(gsl_rng *r, double mu, double sd, double lo, double hi,
                             double floor_excl, double *x)
{
    for (long it = 0; it < 10000000L; it++) {
        double v = mu + gsl_ran_gaussian_ziggurat(r, sd);
        if (v >= lo && v <= hi && v > floor_excl) {
            *x = v;
            return EG_OK;
        }
    }
    return EG_ERR_NUMERIC;
}

/* Validate the uncertain-SI options (EpiEstim check_config, plus what
 * discr_si needs: every drawable mean > 1 and sd > 0). */
static eg_err check_uncertain(const eg_rt_config *c, eg_diag *d)
{
    if (c->n1 == 0 || c->n2 == 0)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "n1", "n1 and n2 must be at least 1");
    if (c->si_mean_pairs || c->si_sd_pairs) {
        if (!c->si_mean_pairs || !c->si_sd_pairs)
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "si_pairs",
                               "given SI pairs need both means and sds");
        return EG_OK;
    }
    const double v[6] = {c->std_mean_si, c->min_mean_si, c->max_mean_si,
                         c->std_std_si, c->min_std_si, c->max_std_si};
    for (int i = 0; i < 6; i++)
        if (!isfinite(v[i]))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "si_uncertain",
                               "uncertain SI needs std_mean_si, min_mean_si, max_mean_si, "
                               "std_std_si, min_std_si and max_std_si");
    if (c->std_mean_si < 0 || c->std_std_si < 0)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "std_mean_si",
                           "std_mean_si and std_std_si must be >= 0");
    if (!(c->min_mean_si >= 1))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "min_mean_si",
                           "min_mean_si must be >= 1 day (EpiEstim), got %g", c->min_mean_si);
    if (!(c->min_mean_si <= c->mean_si && c->mean_si <= c->max_mean_si))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "mean_si",
                           "mean_si %g is not within [min_mean_si %g, max_mean_si %g]", c->mean_si,
                           c->min_mean_si, c->max_mean_si);
    if (!(c->min_std_si >= 0) || !(c->max_std_si > 0))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "min_std_si",
                           "min_std_si must be >= 0 and max_std_si > 0 days");
    if (!(c->min_std_si <= c->std_si && c->std_si <= c->max_std_si))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "std_si",
                           "std_si %g is not within [min_std_si %g, max_std_si %g]", c->std_si,
                           c->min_std_si, c->max_std_si);
    return EG_OK;
}

/* The uncertain-SI estimate; windows already validated. */
eg_err eg_an_rt_uncertain(const double *local, const double *imported, size_t T,
                          const eg_rt_config *cfg, const size_t *ts, const size_t *te, size_t nw,
                          eg_rt_result *out, eg_diag *d)
{
    eg_err e = check_uncertain(cfg, d);
    if (e)
        return e;
    eg_an_gsl_init();
    size_t n1 = cfg->n1;
    double *means = malloc(n1 * sizeof *means), *sds = malloc(n1 * sizeof *sds);
    double *si = malloc(T * sizeof *si), *tot = malloc(T * sizeof *tot);
    double *lambda = malloc(T * sizeof *lambda);
    long double *cum = malloc((T + 1) * sizeof *cum);
    double *shape = malloc(nw * sizeof *shape), *scale = malloc(n1 * nw * sizeof *scale);
    unsigned char *ok = malloc(n1 * nw);
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    out->windows = calloc(nw, sizeof *out->windows);
    out->si = malloc((T + 1) * sizeof *out->si);
    if (!means || !sds || !si || !tot || !lambda || !cum || !shape || !scale || !ok || !r ||
        !out->windows || !out->si) {
        e = EG_ERR_NOMEM;
        goto done;
    }
    /* 1. the pairs */
    if (cfg->si_mean_pairs) {
        memcpy(means, cfg->si_mean_pairs, n1 * sizeof *means);
        memcpy(sds, cfg->si_sd_pairs, n1 * sizeof *sds);
    } else {
        gsl_rng_set(r, (unsigned long)eg_an_stream_seed(cfg->seed, 0));
        for (size_t j = 0; j < n1; j++) {
            if ((e = draw_truncated(r, cfg->mean_si, cfg->std_mean_si, cfg->min_mean_si,
                                    cfg->max_mean_si, 1.0, &means[j])) ||
                (e = draw_truncated(r, cfg->std_si, cfg->std_std_si, cfg->min_std_si,
                                    cfg->max_std_si, 0.0, &sds[j]))) {
                eg_diag_set(d, e, NULL, 0, "si_uncertain",
                            "could not draw an SI mean or sd within its bounds");
                goto done;
            }
        }
    }
    /* 2. per pair: SI, Lambda, posterior scales */
    for (size_t t = 0; t < T; t++)
        tot[t] = local[t] + imported[t];
    double a_prior = (cfg->mean_prior / cfg->std_prior) * (cfg->mean_prior / cfg->std_prior);
    double b_prior = cfg->std_prior * cfg->std_prior / cfg->mean_prior;
    for (size_t w = 0; w < nw; w++)
        shape[w] = a_prior + eg_an_sum(local, ts[w], te[w]);
    for (size_t j = 0; j < n1; j++) {
        if ((e = eg_discr_si(means[j], sds[j], T, si, d)))
            goto done;
        double dmean = eg_si_mean(si, T);
        eg_an_lambda_tot(tot, T, si, eg_si_support(si, T), lambda);
        cum[0] = 0;
        cum[1] = 0; /* lambda[0] is undefined and never in a window */
        for (size_t t = 1; t < T; t++)
            cum[t + 1] = cum[t] + lambda[t];
        for (size_t w = 0; w < nw; w++) {
            double tend = (double)te[w];
            ok[j * nw + w] = tend > means[j] && tend > dmean;
            double sl = (double)(cum[te[w]] - cum[ts[w] - 1]);
            scale[j * nw + w] = 1 / (1 / b_prior + sl);
        }
    }
    /* 3. draws, pooled per window */
    {
        int nth = cfg->threads >= 2 && nw > 1 ? 2 : 1;
        unc_job jobs[2];
        pthread_t th;
        int started = 0;
        for (int i = 0; i < nth; i++) {
            jobs[i] = (unc_job){n1, cfg->n2, nw, shape, scale, ok, cfg->seed, out->windows,
                                nth, i, 0};
        }
        for (size_t w = 0; w < nw; w++) {
            out->windows[w].t_start = ts[w];
            out->windows[w].t_end = te[w];
        }
        if (nth == 2 && pthread_create(&th, NULL, unc_worker, &jobs[1]) == 0)
            started = 1;
        else if (nth == 2)
            jobs[0].nthreads = 1; /* no thread: do it all here */
        unc_worker(&jobs[0]);
        if (started)
            pthread_join(th, NULL);
        if (jobs[0].failed || (started && jobs[1].failed)) {
            e = EG_ERR_NOMEM;
            goto done;
        }
    }
    /* the centre SI, for information */
    if ((e = eg_discr_si(cfg->mean_si, cfg->std_si, T, out->si, NULL)))
        e = EG_OK; /* pairs were given without a valid centre: report none */
    out->si[T] = 0;
    out->si_len = T + 1;
    out->si_mean = eg_si_mean(out->si, T + 1);
    out->si_sd = eg_si_sd(out->si, T + 1);
    out->n_windows = nw;
    out->si_means_drawn = means;
    out->si_sds_drawn = sds;
    out->n_pairs = n1;
    means = sds = NULL;
done:
    free(means);
    free(sds);
    free(si);
    free(tot);
    free(lambda);
    free(cum);
    free(shape);
    free(scale);
    free(ok);
    gsl_rng_free(r);
    return e;
}
