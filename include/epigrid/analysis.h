/*
 * epigrid/analysis.h: epidemic analysis (疫情分析研判).
 *
 * The numerical core is pure: arrays in, arrays out, no database, no global
 * state. Days are counted from 1 as in EpiEstim: day t = 1 is the first day
 * of an incidence series, and `t_start`/`t_end` are 1-based and inclusive.
 * All durations (serial interval, window widths, lengths of stay) are in
 * days.
 *
 * Methods and sources
 *  - Discretised gamma serial interval: Cori A, Ferguson NM, Fraser C,
 *    Cauchemez S. A new framework and software to estimate time-varying
 *    reproduction numbers during epidemics. Am J Epidemiol 2013;178:1505-12,
 *    web appendix 11; implemented exactly as EpiEstim 2.2-4 `discr_si`.
 *  - Time-varying reproduction number: Cori et al. 2013 (gamma posterior per
 *    window), with the extension for imported cases of Thompson RN et al.
 *    Improved inference of time-varying reproduction numbers during
 *    infectious disease outbreaks. Epidemics 2019;29:100356 (total
 *    infectiousness from local + imported cases, only local cases in the
 *    likelihood). Defaults, the NA rule and the uncertain-SI sampler follow
 *    EpiEstim 2.2-4 (`estimate_R`, `make_config`).
 *  - Serial interval of COVID-19 used by the drill: mean 7.5 days, sd 3.4
 *    days, Li Q et al. Early transmission dynamics in Wuhan, China, of novel
 *    coronavirus-infected pneumonia. N Engl J Med 2020;382:1199-1207.
 *  - Projections: the renewal equation I_t ~ Pois(R Lambda_t) (or negative
 *    binomial), as in the R package `projections` (Jombart et al.).
 *
 * Distribution functions come from R's standalone mathematics library
 * (libRmath, the code R itself runs), so parametric results equal
 * EpiEstim's to rounding. Random numbers come from GSL streams (gsl_rng,
 * MT19937) seeded from a caller-given seed, one stream per unit of work, so
 * results do not depend on the number of threads; they do not reproduce R's
 * random draws.
 *
 * Errors: every function returns an eg_err (epigrid/error.h); where an
 * `eg_diag *d` is taken (it may be NULL) it receives a readable reason,
 * with file, line and column for input files.
 */
#ifndef EPIGRID_ANALYSIS_H
#define EPIGRID_ANALYSIS_H

#include <stddef.h>
#include <stdint.h>
#include "epigrid/date.h"
#include "epigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Notes: warnings and corrections reported while loading data          */
/* ------------------------------------------------------------------ */

/*
 * eg_an_notes: a growable list of notes (warnings that do not stop the
 * work: a missing date filled with 0, a correction of a decreasing
 * cumulative series, the first-window warning of EpiEstim). Each note is an
 * eg_diag (file, line, column, reason). `items[0..n)` is owned by the list;
 * initialise with {0} and release with eg_an_notes_free.
 */
typedef struct eg_an_notes {
    eg_diag *items;   /* [n] notes, in the order they were found */
    size_t n;         /* number of notes */
    size_t cap;       /* allocated entries */
} eg_an_notes;

/* Append a printf-style note. `notes` may be NULL (then nothing happens).
 * Returns EG_OK or EG_ERR_NOMEM. */
eg_err eg_an_notes_add(eg_an_notes *notes, const char *file, unsigned long line,
                       const char *column, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Free the notes and reset the list to empty (NULL is fine). */
void eg_an_notes_free(eg_an_notes *notes);

/* ------------------------------------------------------------------ */
/* Serial interval (si.c)                                              */
/* ------------------------------------------------------------------ */

/*
 * Discretised gamma serial interval, EpiEstim 2.2-4 `discr_si(k, mu,
 * sigma)` for k = 0..n-1 (Cori et al. 2013, web appendix 11). The SI is
 * 1 + Y with Y ~ gamma(shape A = ((mu-1)/sigma)^2, scale B = sigma^2/(mu-1)),
 * and w[k] = E[max(0, 1 - |SI - k|)], computed in closed form with R's
 * pgamma; negative round-off is set to 0. w[0] is 0.
 *   mu:    mean of the SI in days, must be > 1 (EpiEstim's rule);
 *   sigma: sd in days, must be > 0;
 *   n:     number of values wanted (k = 0..n-1), >= 1;
 *   w:     caller's array of n doubles, filled.
 * Returns EG_OK, or EG_ERR_RANGE (mu <= 1, sigma <= 0, not finite, n = 0;
 * d says which). Once both gamma CDFs are exactly 1 in double precision
 * every later w[k] is exactly 0 and is written without calling pgamma.
 */
eg_err eg_discr_si(double mu, double sigma, size_t n, double *w, eg_diag *d);

/* Number of leading values of w[0..n) up to the last non-zero one (the
 * effective support length; 0 when all are 0). */
size_t eg_si_support(const double *w, size_t n);

/* Mean sum_k k w[k] of a discrete distribution w[0..n) (days), summed in
 * long double as R's sum() does. Not renormalised. */
double eg_si_mean(const double *w, size_t n);

/* Standard deviation of w[0..n) about eg_si_mean (days), as EpiEstim's
 * `si_sd_discrete` (sqrt(sum k^2 w - mean^2)). */
double eg_si_sd(const double *w, size_t n);

/*
 * Check a user-given discrete SI (spec/formats.md si_distr.csv; EpiEstim's
 * check_si_distr): n >= 2, w[0] == 0, every w[k] >= 0 and finite, and
 * |sum w - 1| <= 0.01. The weights are never renormalised.
 * Returns EG_OK or EG_ERR_INVALID with the reason (and k) in d.
 */
eg_err eg_si_check(const double *w, size_t n, eg_diag *d);

/*
 * Read a discrete SI from CSV `k,w` (si_distr.csv of spec/formats.md): k
 * must run 0, 1, 2, ... without gaps (rows in that order), w a finite
 * number; then eg_si_check. On success *w_out is a malloc'ed array of *n_out
 * doubles (w_out[k] for k = 0..n-1) owned by the caller (free()).
 * Returns EG_OK; EG_ERR_IO (cannot open: the file is missing),
 * EG_ERR_MISSING_COLUMN, EG_ERR_PARSE (a value is not a number, with line
 * and column), EG_ERR_INVALID (gap in k, w[0] != 0, negative weight, mass
 * far from 1), EG_ERR_ENCODING, EG_ERR_NOMEM.
 */
eg_err eg_si_read_csv(const char *path, double **w_out, size_t *n_out, eg_diag *d);

/* ------------------------------------------------------------------ */
/* Incidence (incidence.c, series.c)                                   */
/* ------------------------------------------------------------------ */

/*
 * eg_incidence: daily case counts, day t = 1..n at index t-1.
 *   local[n], imported[n]: non-negative whole numbers stored as double
 *     (EpiEstim's working copy; its split after preprocessing: day-1 local
 *     cases are moved to imported, see eg_incidence_first_day_imported);
 *   has_dates: 1 when the days are calendar dates, then day t is the date
 *     first + (t - 1); 0 for a plain day index.
 * Owns both arrays; release with eg_incidence_free. Initialise with {0}.
 */
typedef struct eg_incidence {
    size_t n;
    double *local;
    double *imported;
    int has_dates;
    eg_date first;
} eg_incidence;

/* Allocate zeroed arrays for n days (n >= 1). Returns EG_OK, EG_ERR_INVALID
 * (n = 0) or EG_ERR_NOMEM. Any previous content of *inc is not freed. */
eg_err eg_incidence_alloc(eg_incidence *inc, size_t n);

/* Free the arrays and zero the struct (NULL is fine). */
void eg_incidence_free(eg_incidence *inc);

/*
 * EpiEstim's rule (process_I): all cases of day 1 are imported. Moves
 * local[0] into imported[0]. This changes no estimate (day 1 is in no
 * window and Lambda uses local + imported) but keeps the split EpiEstim
 * reports. No error.
 */
void eg_incidence_first_day_imported(eg_incidence *inc);

/*
 * Incidence from a plain vector of totals I[0..n) (EpiEstim given a vector
 * or a (dates, I) frame): local = I, imported = 0, then day 1 imported.
 * Returns EG_OK, EG_ERR_INVALID (a count negative, not whole or not
 * finite, or n = 0: d says which day) or EG_ERR_NOMEM. *out is allocated
 * (eg_incidence_free).
 */
eg_err eg_incidence_from_totals(const double *I, size_t n, eg_incidence *out, eg_diag *d);

/*
 * Read incidence.csv (spec/formats.md): columns `date` or `t` or `dates`
 * (EpiEstim), and `local` [`imported`] or `I` (EpiEstim) or all three.
 * Counts are non-negative integers: a fraction, `NA`, an empty or negative
 * count is EG_ERR_PARSE with line and column. With `I`, `local` and
 * `imported` all given, I must equal local + imported (EG_ERR_INVALID).
 * With only `I`, local = I. Rows may come in any order. A missing day
 * between the first and the last is 0 and is reported in `notes` (may be
 * NULL); a repeated day is EG_ERR_INVALID; data whose days are all k > 1
 * days apart (weekly data) are refused as not daily (EG_ERR_INVALID). Day
 * 1 is then made imported (eg_incidence_first_day_imported).
 * Returns EG_OK, EG_ERR_IO (missing file), EG_ERR_ENCODING,
 * EG_ERR_MISSING_COLUMN, EG_ERR_PARSE, EG_ERR_INVALID (also: no data
 * rows), EG_ERR_RANGE (dates too far apart), EG_ERR_NOMEM.
 */
eg_err eg_incidence_read_csv(const char *path, eg_incidence *out, eg_an_notes *notes,
                             eg_diag *d);

/*
 * A daily series from a published cumulative file (spec/formats.md,
 * "Published cumulative series"; data/real/covid_city_daily_*.csv with
 * columns date, province_code, city, city_code and the counts).
 *   region: a division code in any accepted form; its short form of 2
 *     digits selects the province's `(province total)` rows (by
 *     province_code), of 4 digits the city's rows (by city_code). Codes in
 *     the file that are not division codes are other rows, never errors.
 *   column: the cumulative column, e.g. "confirmed", "cured", "dead".
 * The series runs from the first to the last date with a row of the
 * region; a day without a row keeps the previous cumulative value (0 new)
 * and is reported. Daily counts are the differences; the first day counts
 * its whole cumulative value. A decrease is a correction: that day's count
 * is 0 and the decrease is taken from the nearest earlier days that have
 * counts, latest first; every correction is reported in `notes` with its
 * date, size and the days it was taken from. All counts are local, then
 * day 1 is imported (EpiEstim).
 * Returns EG_OK; EG_ERR_IO, EG_ERR_ENCODING, EG_ERR_MISSING_COLUMN;
 * EG_ERR_INVALID (bad region code, a region with no rows, a repeated date);
 * EG_ERR_PARSE (a bad date or count of the region, with line and column);
 * EG_ERR_NOMEM.
 */
eg_err eg_incidence_read_series(const char *path, const char *region, const char *column,
                                eg_incidence *out, eg_an_notes *notes, eg_diag *d);

/*
 * The same correction rule on an array: cum[0..n) cumulative counts
 * (non-negative whole numbers) to daily counts daily[0..n) (daily[0] =
 * cum[0]). For each decrease, `on_correction` (may be NULL) is called with
 * the day index, the size of the decrease, and the arrays `from_day[k]`,
 * `taken[k]` (k < n_from) saying how much was taken from which earlier
 * day. The sum of daily[0..t] equals cum[t] for every t.
 * Returns EG_OK, EG_ERR_INVALID (negative or non-whole value),
 * EG_ERR_NOMEM.
 */
typedef void (*eg_correction_cb)(void *ctx, size_t day, double decrease,
                                 const size_t *from_day, const double *taken, size_t n_from);
eg_err eg_cumulative_to_daily(const double *cum, size_t n, double *daily,
                              eg_correction_cb on_correction, void *ctx);

/*
 * Keep the days from `from` to `to` (inclusive; either may be
 * EG_AN_NO_DATE for "the first/last day") of a dated incidence, then make
 * its new day 1 imported. Returns EG_OK, EG_ERR_INVALID (not dated; from >
 * to), EG_ERR_RANGE (the range holds no day of the data), EG_ERR_NOMEM.
 * `inc` is changed in place.
 */
#define EG_AN_NO_DATE INT32_MIN
eg_err eg_incidence_slice(eg_incidence *inc, eg_date from, eg_date to, eg_diag *d);

/* ------------------------------------------------------------------ */
/* Time-varying reproduction number (rt.c, rt_uncertain.c)             */
/* ------------------------------------------------------------------ */

/* Serial-interval methods of EpiEstim's estimate_R. */
typedef enum eg_si_method {
    EG_SI_PARAMETRIC = 0,   /* discr_si(0..T-1, mean_si, std_si) + one 0 */
    EG_SI_NON_PARAMETRIC,   /* a given distribution si_distr[0..si_len) */
    EG_SI_UNCERTAIN         /* n1 (mean, sd) pairs from truncated normals */
} eg_si_method;

/* Number of posterior quantiles reported and their probabilities. */
#define EG_RT_NQ 7
/* 0.025, 0.05, 0.25, 0.5 (median), 0.75, 0.95, 0.975 (EpiEstim's). */
extern const double eg_rt_quantile_probs[EG_RT_NQ];

/*
 * Configuration of eg_rt_estimate. Fill with eg_rt_config_default, then
 * set what differs. Pointers are borrowed (not copied, not freed).
 */
typedef struct eg_rt_config {
    eg_si_method method;
    double mean_si, std_si;         /* days; parametric, and the centre of uncertain */
    const double *si_distr;         /* non-parametric: w[0..si_len), checked */
    size_t si_len;
    /* uncertain SI (EpiEstim make_config names and defaults 0 / n1 500 n2 50) */
    double std_mean_si, min_mean_si, max_mean_si;
    double std_std_si, min_std_si, max_std_si;
    size_t n1, n2;
    /* optional: use these n1 (mean, sd) pairs instead of drawing them
     * (both NULL to draw); each array has n1 entries, in days */
    const double *si_mean_pairs, *si_sd_pairs;
    uint64_t seed;                   /* uncertain: seed of the GSL streams */
    double mean_prior, std_prior;    /* gamma prior of R: default 5 and 5 */
    double cv_posterior;             /* 0.3: only for the first-window warning */
    /* windows: explicit lists (both non-NULL, n_windows entries, 1-based
     * inclusive days), or NULL for sliding windows of `window` days
     * (t_start = 2..T-window+1, t_end = t_start + window - 1) */
    const size_t *t_start, *t_end;
    size_t n_windows;
    size_t window;                   /* default 7 (EpiEstim's weekly windows) */
    int threads;                     /* uncertain: worker threads, 1 or 2 (default 2) */
} eg_rt_config;

/* Defaults of EpiEstim 2.2-4 make_config: parametric, mean_si/std_si NAN
 * (must be set), prior 5/5, cv_posterior 0.3, weekly sliding windows,
 * n1 500, n2 50, seed 1, std_mean_si etc. NAN; threads 2. */
void eg_rt_config_default(eg_rt_config *c);

/*
 * One window's estimate. `na` is 1 where EpiEstim gives NA (t_end <= the
 * mean of the discrete SI; uncertain: no pair gave draws), then the
 * numbers are NAN. q[] holds the quantiles in the order of
 * eg_rt_quantile_probs (q[3] is the median). shape/scale: the gamma
 * posterior (parametric and non-parametric); for uncertain SI, the shape
 * and the mean of the pairs' scales.
 */
typedef struct eg_rt_window {
    size_t t_start, t_end;
    int na;
    double mean, std;
    double q[EG_RT_NQ];
    double shape, scale;
} eg_rt_window;

/*
 * Result of eg_rt_estimate; release with eg_rt_result_free.
 *   windows[n_windows]: one per window, in the order given;
 *   si[si_len]: the SI used (parametric: discr_si(0..T-1) plus one 0, so
 *     si_len = T + 1, as EpiEstim; non-parametric: a copy; uncertain: the
 *     SI of the centre (mean_si, std_si), for information);
 *   si_mean, si_sd: its discrete mean and sd (days);
 *   first_window_low: 1 when the total incidence of the first window is
 *     below ceil(1/cv_posterior^2 - a_prior) (EpiEstim's warning: "too
 *     early in the epidemic to get the desired posterior CV"); the numbers
 *     are unchanged;
 *   si_means_drawn[n_pairs], si_sds_drawn[n_pairs]: uncertain only, the
 *     pairs used (drawn or given), else NULL/0.
 */
typedef struct eg_rt_result {
    eg_rt_window *windows;
    size_t n_windows;
    double *si;
    size_t si_len;
    double si_mean, si_sd;
    int first_window_low;
    double *si_means_drawn, *si_sds_drawn;
    size_t n_pairs;
    uint64_t seed;
} eg_rt_result;

/*
 * Estimate R over windows (Cori et al. 2013; Thompson et al. 2019).
 *   local[T], imported[T]: daily counts, day t at index t-1; T >= 2.
 *     Lambda_t = sum_{s=1}^{t-1} w_s (local + imported)_{t-s}; the
 *     posterior of window [ts, te] is gamma(shape a + sum local,
 *     scale 1/(1/b + sum Lambda)), prior shape a = (mean/std)^2, scale
 *     b = std^2/mean. Mean = shape*scale, std = sqrt(shape)*scale,
 *     quantiles by R's qgamma (parametric, non-parametric); uncertain SI:
 *     n2 draws per pair pooled, sample mean, sd (n-1) and R's type-7
 *     sample quantiles, windows split over `threads` threads.
 *   A window without infectiousness gets the prior back (or shape a +
 *   cases with the prior scale), as EpiEstim; no NaN without `na` set.
 * Returns EG_OK; EG_ERR_INVALID (T < 2; a count negative or not finite;
 * windows: t_start < 2, t_end < t_start, t_end > T, lists of different
 * lengths, window width < 1 or > T - 1; mean_si <= 1 or std_si <= 0;
 * prior not positive; a bad si_distr per eg_si_check; uncertain: bounds
 * that do not contain the mean, n1 or n2 = 0, std_mean_si or std_std_si
 * negative); EG_ERR_NUMERIC (a quantile could not be computed);
 * EG_ERR_NOMEM. d says why. *out is filled only on success.
 */
eg_err eg_rt_estimate(const double *local, const double *imported, size_t T,
                      const eg_rt_config *cfg, eg_rt_result *out, eg_diag *d);

/* Free a result and zero it (NULL is fine). */
void eg_rt_result_free(eg_rt_result *r);

/*
 * Total infectiousness (overall_infectivity of EpiEstim): lambda[0] = NAN
 * (undefined on day 1), lambda[t-1] = sum_{s=1}^{min(t-1, si_len-1)}
 * si[s] * (local + imported)[t-1-s] for t = 2..T. Arrays: local[T],
 * imported[T], si[si_len], lambda[T] (caller's). No error.
 */
void eg_rt_lambda(const double *local, const double *imported, size_t T,
                  const double *si, size_t si_len, double *lambda);

/*
 * R's quantile(x, p, type = 7) of x[0..n) for the nq probabilities p[]
 * (ascending, in [0, 1]); x is reordered (partial sorts), not freed. Writes
 * q[nq]. n must be >= 1. No error.
 */
void eg_quantile7(double *x, size_t n, const double *p, size_t nq, double *q);

/* ------------------------------------------------------------------ */
/* Projections (project.c)                                             */
/* ------------------------------------------------------------------ */

/*
 * One piece of the reproduction number in time: from projection day
 * `from_day` (1 = the first projected day) until the next piece, R is
 * drawn once per trajectory from a gamma distribution with mean `mean` and
 * sd `sd` (sd 0: fixed R = mean), or with shape/scale when shape > 0 (the
 * posterior of an Rt window).
 */
typedef struct eg_r_piece {
    size_t from_day;
    double mean, sd;
    double shape, scale;
} eg_r_piece;

/* Quantiles reported by projections: 0.05, 0.25, 0.5, 0.75, 0.95. */
#define EG_PROJ_NQ 5
extern const double eg_proj_quantile_probs[EG_PROJ_NQ];

/*
 * Configuration of eg_project (eg_project_config_default, then set). All
 * pointers borrowed.
 *   si[si_len]: serial interval (w[0] = 0), e.g. from eg_discr_si;
 *   days: horizon (>= 1); n_sim: trajectories (>= 1); seed: GSL seed;
 *   pieces[n_pieces]: R in time, sorted by from_day, the first from day 1;
 *   dispersion: <= 0 or INFINITY for Poisson daily counts; k > 0 for
 *     negative binomial counts with mean m and variance m + m^2/k;
 *   admit_prob in [0, 1]: each case (observed or projected) is admitted with
 *     this probability; los[los_len]: P(length of stay = d days), d =
 *     0..los_len-1 (los[0] must be 0; see eg_los_gamma); NULL for no beds;
 *   capacity, standby: beds in use and standby (< 0: not given);
 *   no_case_days: k for P(no new case on days 1..k) (<= days);
 *   more_than: X for P(more than X cases on days 1..more_than_days)
 *     (< 0: not asked); more_than_days 0 means `days`;
 *   threads: 1 or 2.
 */
typedef struct eg_proj_config {
    const double *si;
    size_t si_len;
    size_t days;
    size_t n_sim;
    uint64_t seed;
    const eg_r_piece *pieces;
    size_t n_pieces;
    double dispersion;
    double admit_prob;
    const double *los;
    size_t los_len;
    long capacity, standby;
    size_t no_case_days;
    long more_than;
    size_t more_than_days;
    int threads;
} eg_proj_config;

/* Defaults: days 14, n_sim 10000, seed 1, Poisson, admit_prob 0, no beds,
 * capacity/standby -1, no_case_days 14, more_than -1, threads 2. */
void eg_project_config_default(eg_proj_config *c);

/*
 * Result of eg_project (eg_project_result_free).
 *   inc_q[EG_PROJ_NQ * days]: daily incidence quantiles, inc_q[j*days + t]
 *     is quantile j of day t+1 (type 7 over the trajectories);
 *   beds_q[EG_PROJ_NQ * days]: the same for beds in use (NULL without los);
 *   p_no_new_case: P(no case on days 1..no_case_days);
 *   p_more_than: P(sum of cases on days 1..more_than_days > more_than)
 *     (NAN when not asked); p_over_capacity, p_over_capacity_standby:
 *     P(beds in use > capacity, resp. > capacity + standby, on any day)
 *     (NAN when not asked); mean_total: mean number of projected cases.
 */
typedef struct eg_proj_result {
    size_t days;
    double *inc_q;
    double *beds_q;
    double p_no_new_case;
    double p_more_than;
    double p_over_capacity, p_over_capacity_standby;
    double mean_total;
    uint64_t seed;
} eg_proj_result;

/*
 * Simulate n_sim trajectories of the renewal process from the observed
 * history local[T] + imported[T] (all projected cases are local):
 * I_t ~ Pois(R_t Lambda_t) or NB (see dispersion), Lambda_t from the
 * history and the trajectory so far. Beds: cases of the history and of the
 * projection are admitted with admit_prob on their day, and stay a number
 * of days drawn from los; a patient admitted on day j with stay d is in a
 * bed on days j..j+d-1. Trajectories are split in blocks of 1024, each
 * with its own stream seeded from (seed, block), so the result does not
 * depend on the number of threads.
 * Returns EG_OK; EG_ERR_INVALID (T = 0, days = 0, n_sim = 0, bad si or los,
 * no pieces or the first not from day 1, a piece with mean < 0 or sd < 0,
 * admit_prob outside [0,1], no_case_days > days); EG_ERR_NOMEM.
 */
eg_err eg_project(const double *local, const double *imported, size_t T,
                  const eg_proj_config *cfg, eg_proj_result *out, eg_diag *d);

/* Free a projection result (NULL fine). */
void eg_project_result_free(eg_proj_result *r);

/*
 * Length of stay distribution from a gamma with mean `mean` and sd `sd`
 * (days, both > 0), rounded to whole days with at least 1 day:
 * los[1] = G(1.5), los[d] = G(d + 0.5) - G(d - 0.5) for d >= 2, los[0] = 0,
 * up to the day where the upper tail is below 1e-9, the last value taking
 * the rest so that the sum is 1. *los is malloc'ed (caller frees), *len
 * its length. Returns EG_OK, EG_ERR_INVALID or EG_ERR_NOMEM.
 */
eg_err eg_los_gamma(double mean, double sd, double **los, size_t *len, eg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
