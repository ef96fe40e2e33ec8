/*
 * analysis/project.c: projections by simulating the renewal process
 * (Fraser 2007; Cori et al. 2013; as the R package `projections`):
 *
 *   Lambda_t = sum_{s>=1} w_s I_{t-s}   (observed history, then simulated)
 *   I_t ~ Poisson(R_t Lambda_t), or negative binomial with mean m and
 *         variance m + m^2/k (a gamma-Poisson mixture, dispersion k).
 *
 * R_t is piecewise constant in time; each piece draws its R once per
 * trajectory from a gamma distribution (the posterior of an Rt window, or
 * a user mean/sd). Beds: every case (the history's too) is admitted with a
 * probability and stays a number of days drawn from a length-of-stay
 * distribution; the beds in use on a day are the admitted patients whose
 * stay covers it. Reported: daily type-7 quantiles of incidence and beds,
 * and event probabilities (no case for k days, more than X cases, beds
 * above capacity with and without standby).
 *
 * Random numbers: GSL MT19937, one stream per block of 1024 trajectories,
 * seeded from (seed, block) (SplitMix64), so results depend on the seed
 * only, not on the number of threads.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "epigrid/analysis.h"
#include "analysis/internal.h"

#define MATHLIB_STANDALONE 1
#include <Rmath.h>

#define BLOCK 1024
/* Above this mean, counts are drawn from the normal approximation (GSL's
 * Poisson and binomial samplers return unsigned int). */
#define BIG 1e9

const double eg_proj_quantile_probs[EG_PROJ_NQ] = {0.05, 0.25, 0.5, 0.75, 0.95};

/* Defaults documented in the header. */
void eg_project_config_default(eg_proj_config *c)
{
    memset(c, 0, sizeof *c);
    c->days = 14;
    c->n_sim = 10000;
    c->seed = 1;
    c->dispersion = 0;
    c->admit_prob = 0;
    c->capacity = -1;
    c->standby = -1;
    c->no_case_days = 14;
    c->more_than = -1;
    c->threads = 2;
}

/* Free a projection result. */
void eg_project_result_free(eg_proj_result *r)
{
    if (!r)
        return;
    free(r->inc_q);
    free(r->beds_q);
    memset(r, 0, sizeof *r);
}

/* Gamma length of stay rounded to whole days (at least 1). */
eg_err eg_los_gamma(double mean, double sd, double **los, size_t *len, eg_diag *d)
{
    if (!(mean > 0) || !(sd > 0) || !isfinite(mean) || !isfinite(sd))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "los",
                           "the length of stay needs a mean > 0 and an sd > 0 (days)");
    double shape = (mean / sd) * (mean / sd), scale = sd * sd / mean;
    size_t cap = 64, n = 1;
    double *w = malloc(cap * sizeof *w);
    if (!w)
        return EG_ERR_NOMEM;
    w[0] = 0;
    double prev = 0;
    for (size_t k = 1;; k++) {
        double g = pgamma((double)k + 0.5, shape, scale, 1, 0);
        double upper = pgamma((double)k + 0.5, shape, scale, 0, 0);
        if (n == cap) {
            double *p = realloc(w, 2 * cap * sizeof *p);
            if (!p) {
                free(w);
                return EG_ERR_NOMEM;
            }
            w = p;
            cap *= 2;
        }
        if (upper < 1e-9 || k > 100000) {
            w[n++] = 1 - prev; /* the rest of the mass */
            break;
        }
        w[n++] = g - prev;
        prev = g;
    }
    *los = w;
    *len = n;
    return EG_OK;
}

/* Poisson draw for mu >= 10 by transformed rejection with squeeze (PTRS:
 * W. Hormann, The transformed rejection method for generating Poisson
 * random variables, Insurance: Mathematics and Economics 12:39-45, 1993),
 * exact; about 2 uniforms a draw, much faster than GSL's method for large
 * means. lgammafn is R's (pure, thread-safe). */
static double poisson_ptrs(gsl_rng *r, double mu)
{
    double slam = sqrt(mu), loglam = log(mu);
    double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b;
    double invalpha = 1.1239 + 1.1328 / (b - 3.4), vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
        double U = gsl_rng_uniform(r) - 0.5, V = gsl_rng_uniform_pos(r);
        double us = 0.5 - fabs(U);
        double k = floor((2 * a / us + b) * U + mu + 0.43);
        if (us >= 0.07 && V <= vr)
            return k;
        if (k < 0 || (us < 0.013 && V > us))
            continue;
        if (log(V) + log(invalpha) - log(a / (us * us) + b) <= -mu + k * loglam - lgammafn(k + 1))
            return k;
    }
}

/* Poisson draw as a double: GSL below mean 10, PTRS above, the normal
 * approximation above BIG. */
static double draw_poisson(gsl_rng *r, double mu)
{
    if (!(mu > 0))
        return 0;
    if (mu > BIG) {
        double v = floor(mu + sqrt(mu) * gsl_ran_gaussian_ziggurat(r, 1.0) + 0.5);
        return v > 0 ? v : 0;
    }
    if (mu >= 10)
        return poisson_ptrs(r, mu);
    return (double)gsl_ran_poisson(r, mu);
}

/* Binomial draw as a double, normal approximation above BIG trials. */
static double draw_binom(gsl_rng *r, double n, double p)
{
    if (n <= 0 || p <= 0)
        return 0;
    if (p >= 1)
        return n;
    if (n > BIG) {
        double v = floor(n * p + sqrt(n * p * (1 - p)) * gsl_ran_gaussian_ziggurat(r, 1.0) + 0.5);
        return v < 0 ? 0 : (v > n ? n : v);
    }
    return (double)gsl_ran_binomial(r, p, (unsigned int)n);
}

/* Shared read-only data and per-thread results. */
typedef struct proj_ctx {
    const eg_proj_config *cfg;
    size_t T, L, days, nlos;
    const double *tot;      /* [T] history totals */
    const double *lhist;    /* [days] Lambda from the history alone */
    const double *los_tail; /* [nlos + 1] P(stay >= D) */
    const double *los;      /* [nlos] */
    double *inc;            /* [days * n_sim], day-major */
    double *beds;           /* [days * n_sim] or NULL */
    size_t nblocks;
} proj_ctx;

typedef struct proj_part {
    proj_ctx *c;
    int id, nthreads;
    size_t n_no_case, n_more, n_over, n_over_sb;
    long double total;
    int failed;
} proj_part;

/* Cohorts of at most this many patients draw each stay by inversion
 * instead of walking the chain of conditional binomials. */
#define SMALL_COHORT 6

/* Add a patient group of size k admitted on day j with stay D (days) to
 * the difference array (days within 1..days only). */
static void occupy(double *occ, long days, long j, long D, double k)
{
    long start = j >= 1 ? j : 1, end = j + D - 1;
    if (end > days)
        end = days;
    if (end >= start) {
        occ[start] += k;
        occ[end + 1] -= k;
    }
}

/* Spread n patients admitted on day j (projection days are 1..days, the
 * history's are <= 0) over their stays and add them to the difference
 * array occ[0..days+1]. Exact multinomial: a chain of conditional
 * binomials (stay = D given stay >= D), and once at most SMALL_COHORT
 * patients remain, one inversion per patient: stay = max{D' >= D :
 * P(stay >= D') >= U P(stay >= D)}. */
static void admit(gsl_rng *r, const proj_ctx *c, double n, long j, double *occ)
{
    long days = (long)c->days, nlos = (long)c->nlos;
    long dmin = j >= 1 ? 1 : 2 - j;   /* shortest stay that reaches day 1 */
    long dfull = days - j + 1;        /* stays >= this cover up to the last day */
    if (dmin >= nlos || n <= 0)
        return;
    if (dmin > 1)
        n = draw_binom(r, n, c->los_tail[dmin]);
    for (long D = dmin; n > 0 && D < nlos; D++) {
        double tail = c->los_tail[D];
        if (D >= dfull || !(tail > 0)) {
            occupy(occ, days, j, D, n);
            return;
        }
        if (n <= SMALL_COHORT) {
            for (int i = 0; i < (int)n; i++) {
                double v = gsl_rng_uniform_pos(r) * tail;
                long lo = D, hi = nlos - 1; /* tail[lo] >= v; find the last such */
                while (lo < hi) {
                    long mid = lo + (hi - lo + 1) / 2;
                    if (c->los_tail[mid] >= v)
                        lo = mid;
                    else
                        hi = mid - 1;
                }
                occupy(occ, days, j, lo, 1);
            }
            return;
        }
        double k = draw_binom(r, n, c->los[D] / tail);
        if (k > 0) {
            occupy(occ, days, j, D, k);
            n -= k;
        }
    }
}

/* Simulate the blocks of one thread. */
static void *proj_worker(void *arg)
{
    proj_part *pp = arg;
    proj_ctx *c = pp->c;
    const eg_proj_config *cfg = c->cfg;
    size_t days = c->days, n_sim = cfg->n_sim;
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    double *I = malloc((days + 1) * sizeof *I);
    double *R = malloc((days + 1) * sizeof *R);
    double *occ = malloc((days + 2) * sizeof *occ);
    if (!r || !I || !R || !occ) {
        pp->failed = 1;
        goto out;
    }
    size_t mt_days = cfg->more_than_days ? cfg->more_than_days : days;
    for (size_t b = (size_t)pp->id; b < c->nblocks; b += (size_t)pp->nthreads) {
        gsl_rng_set(r, (unsigned long)eg_an_stream_seed(cfg->seed, b));
        size_t i0 = b * BLOCK, i1 = i0 + BLOCK < n_sim ? i0 + BLOCK : n_sim;
        for (size_t i = i0; i < i1; i++) {
            /* R for each day */
            for (size_t p = 0; p < cfg->n_pieces; p++) {
                const eg_r_piece *pc = &cfg->pieces[p];
                double rv;
                if (pc->shape > 0)
                    rv = gsl_ran_gamma(r, pc->shape, pc->scale);
                else if (pc->sd > 0)
                    rv = gsl_ran_gamma(r, (pc->mean / pc->sd) * (pc->mean / pc->sd),
                                       pc->sd * pc->sd / pc->mean);
                else
                    rv = pc->mean;
                size_t to = p + 1 < cfg->n_pieces ? cfg->pieces[p + 1].from_day : days + 1;
                for (size_t h = pc->from_day; h < to && h <= days; h++)
                    R[h] = rv;
            }
            double sum_nc = 0, sum_mt = 0, total = 0;
            for (size_t h = 1; h <= days; h++) {
                double lam = c->lhist[h - 1];
                size_t smax = h - 1 < c->L - 1 ? h - 1 : c->L - 1;
                for (size_t s = 1; s <= smax; s++)
                    lam += cfg->si[s] * I[h - s];
                double mu = R[h] * lam, x;
                if (cfg->dispersion > 0 && isfinite(cfg->dispersion) && mu > 0)
                    x = draw_poisson(r, gsl_ran_gamma(r, cfg->dispersion, mu / cfg->dispersion));
                else
                    x = draw_poisson(r, mu);
                I[h] = x;
                c->inc[(h - 1) * n_sim + i] = x;
                total += x;
                if (h <= cfg->no_case_days)
                    sum_nc += x;
                if (h <= mt_days)
                    sum_mt += x;
            }
            pp->total += total;
            if (sum_nc == 0)
                pp->n_no_case++;
            if (cfg->more_than >= 0 && sum_mt > (double)cfg->more_than)
                pp->n_more++;
            if (c->beds) {
                memset(occ, 0, (days + 2) * sizeof *occ);
                long first = (long)c->T - (long)c->nlos;
                for (long t = first > 0 ? first : 0; t < (long)c->T; t++) {
                    long j = t - (long)c->T + 1; /* day T-1 (0-based) is day 0 */
                    admit(r, c, draw_binom(r, c->tot[t], cfg->admit_prob), j, occ);
                }
                for (size_t h = 1; h <= days; h++)
                    admit(r, c, draw_binom(r, I[h], cfg->admit_prob), (long)h, occ);
                double run = 0, mx = 0;
                for (size_t h = 1; h <= days; h++) {
                    run += occ[h];
                    c->beds[(h - 1) * n_sim + i] = run;
                    if (run > mx)
                        mx = run;
                }
                if (cfg->capacity >= 0 && mx > (double)cfg->capacity)
                    pp->n_over++;
                if (cfg->capacity >= 0 &&
                    mx > (double)cfg->capacity + (double)(cfg->standby > 0 ? cfg->standby : 0))
                    pp->n_over_sb++;
            }
        }
    }
out:
    gsl_rng_free(r);
    free(I);
    free(R);
    free(occ);
    return NULL;
}

/* Validate the configuration. */
static eg_err check_proj(size_t T, const eg_proj_config *c, eg_diag *d)
{
    if (T == 0)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "incidence", "no observed days to project from");
    if (c->days == 0 || c->n_sim == 0)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "days", "days and n_sim must be at least 1");
    eg_err e = eg_si_check(c->si, c->si_len, d);
    if (e)
        return e;
    if (!c->pieces || c->n_pieces == 0 || c->pieces[0].from_day != 1)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "r",
                           "R must be given from the first projected day");
    for (size_t p = 0; p < c->n_pieces; p++) {
        const eg_r_piece *pc = &c->pieces[p];
        if (p > 0 && pc->from_day <= c->pieces[p - 1].from_day)
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "r",
                               "the pieces of R must start on increasing days");
        if (pc->shape > 0) {
            if (!(pc->scale > 0) || !isfinite(pc->scale) || !isfinite(pc->shape))
                return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "r", "bad posterior of R");
        } else if (!(pc->mean >= 0) || !(pc->sd >= 0) || !isfinite(pc->mean) ||
                   !isfinite(pc->sd) || (pc->sd > 0 && pc->mean == 0)) {
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "r",
                               "R from day %zu needs a mean >= 0 and an sd >= 0 (sd 0 with mean 0 "
                               "only)", pc->from_day);
        }
    }
    if (!(c->admit_prob >= 0 && c->admit_prob <= 1))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "admit_prob",
                           "the admission probability must be in [0, 1]");
    if (c->los) {
        if (c->los_len < 2 || c->los[0] != 0)
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "los",
                               "a length-of-stay distribution starts at 0 days with weight 0");
        long double s = 0;
        for (size_t k = 0; k < c->los_len; k++) {
            if (!(c->los[k] >= 0) || !isfinite(c->los[k]))
                return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "los", "negative length-of-stay weight");
            s += c->los[k];
        }
        if (fabsl(s - 1) > 0.01L)
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "los",
                               "the length-of-stay weights sum to %g, not 1", (double)s);
    }
    if (c->no_case_days > c->days || (c->more_than_days > c->days))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "no_case_days",
                           "the event windows must lie within the %zu projected days", c->days);
    return EG_OK;
}

/* Run the simulation and summarise it. */
eg_err eg_project(const double *local, const double *imported, size_t T,
                  const eg_proj_config *cfg, eg_proj_result *out, eg_diag *d)
{
    eg_diag_clear(d);
    if (!local || !cfg || !out)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, NULL, "missing argument");
    eg_err e = check_proj(T, cfg, d);
    if (e)
        return e;
    if ((e = eg_an_check_counts(local, imported, T, d)))
        return e;
    eg_an_gsl_init();
    memset(out, 0, sizeof *out);
    size_t days = cfg->days, n_sim = cfg->n_sim;
    size_t L = eg_si_support(cfg->si, cfg->si_len);
    if (L < 1)
        L = 1;
    double *tot = malloc(T * sizeof *tot), *lhist = malloc(days * sizeof *lhist);
    double *tail = NULL, *qbuf = malloc(n_sim * sizeof *qbuf);
    proj_ctx c = {cfg, T, L, days, cfg->los ? cfg->los_len : 0, tot, lhist, NULL, cfg->los,
                  NULL, NULL, (n_sim + BLOCK - 1) / BLOCK};
    c.inc = malloc(days * n_sim * sizeof *c.inc);
    out->inc_q = malloc(EG_PROJ_NQ * days * sizeof *out->inc_q);
    if (!tot || !lhist || !qbuf || !c.inc || !out->inc_q) {
        e = EG_ERR_NOMEM;
        goto done;
    }
    if (cfg->los && cfg->admit_prob > 0) {
        c.beds = malloc(days * n_sim * sizeof *c.beds);
        out->beds_q = malloc(EG_PROJ_NQ * days * sizeof *out->beds_q);
        tail = malloc((c.nlos + 1) * sizeof *tail);
        if (!c.beds || !out->beds_q || !tail) {
            e = EG_ERR_NOMEM;
            goto done;
        }
        tail[c.nlos] = 0;
        for (size_t k = c.nlos; k-- > 0;)
            tail[k] = tail[k + 1] + cfg->los[k];
        c.los_tail = tail;
    } else {
        c.nlos = 0;
    }
    for (size_t t = 0; t < T; t++)
        tot[t] = local[t] + (imported ? imported[t] : 0);
    /* Lambda of projected day h from the history: sum over s >= h */
    for (size_t h = 1; h <= days; h++) {
        long double s = 0;
        for (size_t k = h; k < L; k++)
            if (k - h + 1 <= T)
                s += cfg->si[k] * tot[T - 1 - (k - h)];
        lhist[h - 1] = (double)s;
    }
    {
        proj_part parts[2];
        int nth = cfg->threads >= 2 && c.nblocks > 1 ? 2 : 1;
        for (int i = 0; i < nth; i++)
            parts[i] = (proj_part){&c, i, nth, 0, 0, 0, 0, 0, 0};
        pthread_t th;
        int started = nth == 2 && pthread_create(&th, NULL, proj_worker, &parts[1]) == 0;
        if (nth == 2 && !started)
            parts[0].nthreads = 1;
        proj_worker(&parts[0]);
        if (started)
            pthread_join(th, NULL);
        size_t nc = 0, mt = 0, ov = 0, ovs = 0;
        long double total = 0;
        for (int i = 0; i < (started ? 2 : 1); i++) {
            if (parts[i].failed) {
                e = EG_ERR_NOMEM;
                goto done;
            }
            nc += parts[i].n_no_case;
            mt += parts[i].n_more;
            ov += parts[i].n_over;
            ovs += parts[i].n_over_sb;
            total += parts[i].total;
        }
        double n = (double)n_sim;
        out->p_no_new_case = (double)nc / n;
        out->p_more_than = cfg->more_than >= 0 ? (double)mt / n : NAN;
        out->p_over_capacity = c.beds && cfg->capacity >= 0 ? (double)ov / n : NAN;
        out->p_over_capacity_standby = c.beds && cfg->capacity >= 0 ? (double)ovs / n : NAN;
        out->mean_total = (double)(total / (long double)n_sim);
    }
    double q[EG_PROJ_NQ];
    for (size_t h = 0; h < days; h++) {
        memcpy(qbuf, c.inc + h * n_sim, n_sim * sizeof *qbuf);
        eg_quantile7(qbuf, n_sim, eg_proj_quantile_probs, EG_PROJ_NQ, q);
        for (int j = 0; j < EG_PROJ_NQ; j++)
            out->inc_q[j * days + h] = q[j];
        if (c.beds) {
            memcpy(qbuf, c.beds + h * n_sim, n_sim * sizeof *qbuf);
            eg_quantile7(qbuf, n_sim, eg_proj_quantile_probs, EG_PROJ_NQ, q);
            for (int j = 0; j < EG_PROJ_NQ; j++)
                out->beds_q[j * days + h] = q[j];
        }
    }
    out->days = days;
    out->seed = cfg->seed;
done:
    free(tot);
    free(lhist);
    free(tail);
    free(qbuf);
    free(c.inc);
    free(c.beds);
    if (e)
        eg_project_result_free(out);
    return e;
}
