/*
 * analysis/quantile.c: sample quantiles exactly as R's quantile(x, probs,
 * type = 7) computes them (R 4.2 src/library/stats/R/quantile.R):
 * index = 1 + (n - 1) p, lo = floor(index), hi = ceiling(index),
 * q = x[lo], and where index > lo and x[hi] != x[lo],
 * q = (1 - h) x[lo] + h x[hi] with h = index - lo. The order statistics
 * come from in-place selection (Hoare partitioning) instead of a full
 * sort: O(n) per probability on average.
 */
#include <math.h>
#include <stddef.h>

#include "epigrid/analysis.h"

/* Put the k-th smallest of x[lo..hi] at x[k], smaller ones before it and
 * larger ones after (quickselect, median-of-three pivot). */
static void select_kth(double *x, size_t lo, size_t hi, size_t k)
{
    while (hi > lo) {
        size_t mid = lo + (hi - lo) / 2;
        /* median of three to x[mid] */
        if (x[mid] < x[lo]) { double t = x[mid]; x[mid] = x[lo]; x[lo] = t; }
        if (x[hi] < x[lo]) { double t = x[hi]; x[hi] = x[lo]; x[lo] = t; }
        if (x[hi] < x[mid]) { double t = x[hi]; x[hi] = x[mid]; x[mid] = t; }
        double pivot = x[mid];
        size_t i = lo, j = hi;
        while (i <= j) {
            while (x[i] < pivot) i++;
            while (x[j] > pivot) j--;
            if (i <= j) {
                double t = x[i]; x[i] = x[j]; x[j] = t;
                i++;
                if (j == 0) break;
                j--;
            }
        }
        /* now x[lo..j] <= pivot <= x[i..hi], and j < i */
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return;
    }
}

/* Smallest of x[from..n). */
static double min_from(const double *x, size_t from, size_t n)
{
    double m = x[from];
    for (size_t i = from + 1; i < n; i++)
        if (x[i] < m)
            m = x[i];
    return m;
}

/* R's type-7 quantiles; p ascending, so each selection works on the part
 * of x right of the previous one. */
void eg_quantile7(double *x, size_t n, const double *p, size_t nq, double *q)
{
    size_t base = 0; /* x[0..base) are <= x[base..n) after each selection */
    for (size_t j = 0; j < nq; j++) {
        double index = 1 + (double)(n - 1) * p[j];
        double flo = floor(index);
        size_t k = (size_t)flo - 1;   /* 0-based position of x[lo] */
        size_t hi = (size_t)ceil(index);
        if (j == 0 || k > base)
            select_kth(x, base, n - 1, k);
        /* else k == base: x[k] is already the k-th order statistic */
        double qs = x[k];
        if (index > flo && hi <= n) {
            double xhi = min_from(x, k + 1, n);
            if (xhi != qs) {
                double h = index - flo;
                qs = (1 - h) * qs + h * xhi;
            }
        }
        q[j] = qs;
        base = k;
    }
}
