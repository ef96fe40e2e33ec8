/*
 * analysis/internal.h: helpers shared by the files of src/analysis, not
 * part of the public API (epigrid/analysis.h is). Symbols are prefixed
 * eg_an_.
 */
#ifndef EG_ANALYSIS_INTERNAL_H
#define EG_ANALYSIS_INTERNAL_H

#include <stddef.h>
#include <stdint.h>
#include "epigrid/analysis.h"

/* Windows resolved from a config: ts[n], te[n] (1-based, inclusive),
 * malloc'ed. Returns EG_OK, EG_ERR_INVALID (d says why) or EG_ERR_NOMEM. */
eg_err eg_an_windows(const eg_rt_config *cfg, size_t T, size_t **ts, size_t **te, size_t *n,
                     eg_diag *d);

/* Check counts: every local[t] and imported[t] finite and >= 0. */
eg_err eg_an_check_counts(const double *local, const double *imported, size_t T, eg_diag *d);

/* Total infectiousness for an SI of support length L (si[0..L)): like
 * eg_rt_lambda but reading totals tot[T] = local + imported. */
void eg_an_lambda_tot(const double *tot, size_t T, const double *si, size_t L, double *lambda);

/* Sum of x[ts-1 .. te-1] in long double (R's sum), rounded to double. */
double eg_an_sum(const double *x, size_t ts, size_t te);

/* The uncertain-SI estimate (rt_uncertain.c); called by eg_rt_estimate
 * with validated windows; fills out->windows etc. */
eg_err eg_an_rt_uncertain(const double *local, const double *imported, size_t T,
                          const eg_rt_config *cfg, const size_t *ts, const size_t *te,
                          size_t nw, eg_rt_result *out, eg_diag *d);

/* A 64-bit mix (SplitMix64 finaliser, Steele et al. 2014) used to derive
 * the seed of stream `k` from a user seed, so that streams are
 * independent of how the work is split over threads. */
uint64_t eg_an_stream_seed(uint64_t seed, uint64_t k);

/* Turn GSL's abort-on-error handler off (idempotent; GSL keeps the handler
 * in a process-wide variable, this only ever sets it to "off"). */
void eg_an_gsl_init(void);

#endif
