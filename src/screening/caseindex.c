/*
 * screening/caseindex.c: finding the case trips a leg rode with (rule R2
 * of spec/screening.md). Case trips are few (hundreds to thousands) and
 * legs many, so each (date, trip number) of a case trip, codeshare
 * partners included, is one entry of a sorted array and a leg costs one
 * binary search (after a small bit filter over date and number, which
 * turns most legs away at once); the seat rules are then checked on the
 * few candidates.
 */
#include <stdlib.h>
#include <string.h>
#include "screening/internal.h"

uint64_t eg_trip_prefix(const char *no)
{
    uint64_t v = 0;
    int i = 0;
    for (; i < 8 && no[i]; i++)
        v = (v << 8) | (unsigned char)no[i];
    return v << (8 * (8 - i));
}

/* Bits of the filter over (date, trip number prefix): 2^16 bits, 8 KiB,
 * which stays in the first-level cache; a few thousand case keys set a
 * few percent of it. */
#define FILTER_BITS 16

/* The filter bit of a (date, prefix) (Fibonacci hashing). */
static uint64_t filter_bit(eg_date date, uint64_t pre)
{
    uint64_t h = (pre ^ ((uint64_t)(uint32_t)date * UINT64_C(0xD6E8FEB86659FD93))) *
                 UINT64_C(0x9E3779B97F4A7C15);
    return h >> (64 - FILTER_BITS);
}

/* Order of case keys: date, then trip number (byte order). */
static int cmp_key(const void *a, const void *b)
{
    const eg_case_key *x = a, *y = b;
    if (x->date != y->date)
        return x->date < y->date ? -1 : 1;
    if (x->pre != y->pre)
        return x->pre < y->pre ? -1 : 1;
    int c = strcmp(x->no, y->no);
    if (c)
        return c;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

eg_err eg_case_index_build(eg_case_index *ci, const eg_case_trip *cases, size_t n)
{
    size_t nk = 0;
    memset(ci, 0, sizeof *ci);
    if (n == 0)
        return EG_OK;
    ci->trips = malloc(n * sizeof *ci->trips);
    ci->keys = malloc(n * EG_TRIP_MAX_NOS * sizeof *ci->keys);
    if (!ci->trips || !ci->keys) {
        eg_case_index_free(ci);
        return EG_ERR_NOMEM;
    }
    memcpy(ci->trips, cases, n * sizeof *cases);
    ci->ntrips = n;
    for (size_t i = 0; i < n; i++) {
        const eg_case_trip *c = &cases[i];
        if (c->mode < EG_MODE_TRAIN || c->mode > EG_MODE_OTHER)
            continue;
        for (size_t k = 0; k < c->nnos && k < EG_TRIP_MAX_NOS; k++) {
            if (!c->nos[k][0])
                continue;
            eg_case_key *e = &ci->keys[nk++];
            memset(e, 0, sizeof *e);
            e->date = c->date;
            e->idx = (uint32_t)i;
            memcpy(e->no, c->nos[k], EG_TRIP_BUFSZ);
            e->no[EG_TRIP_BUFSZ - 1] = '\0';
            e->pre = eg_trip_prefix(e->no);
        }
    }
    ci->nkeys = nk;
    qsort(ci->keys, nk, sizeof *ci->keys, cmp_key);
    ci->filter = calloc((UINT64_C(1) << FILTER_BITS) / 64, sizeof *ci->filter);
    if (!ci->filter) {
        eg_case_index_free(ci);
        return EG_ERR_NOMEM;
    }
    for (size_t i = 0; i < nk; i++) {
        uint64_t bit = filter_bit(ci->keys[i].date, ci->keys[i].pre);
        ci->filter[bit >> 6] |= UINT64_C(1) << (bit & 63);
    }
    return EG_OK;
}

void eg_case_index_free(eg_case_index *ci)
{
    free(ci->trips);
    free(ci->keys);
    free(ci->filter);
    memset(ci, 0, sizeof *ci);
}

/* The seat rules of R2 on a leg's mode, carriage and seat row. */
static int seat_match(eg_mode mode, int car, int seat_row, const eg_case_trip *c)
{
    switch (mode) {
    case EG_MODE_FLIGHT:
        if (c->seat_row <= 0 || seat_row <= 0)
            return 1;
        return abs(c->seat_row - seat_row) <= 3;
    case EG_MODE_TRAIN:
        return c->car <= 0 || car <= 0 || c->car == car;
    default:
        return 1; /* bus, ship, car, other: the whole vehicle */
    }
}

int eg_case_seat_match(const eg_leg *l, const eg_case_trip *c)
{
    return seat_match(l->mode, l->car, l->seat_row, c);
}

eg_err eg_case_index_match_trip(const eg_case_index *ci, eg_mode mode, const char *trip_no,
                                eg_date dep, int car, int seat_row,
                                eg_err (*fn)(void *ctx, uint32_t idx), void *ctx)
{
    size_t lo = 0, hi = ci->nkeys;
    uint64_t pre = eg_trip_prefix(trip_no);
    if (!ci->filter)
        return EG_OK; /* no case trips */
    uint64_t bit = filter_bit(dep, pre);
    if (!(ci->filter[bit >> 6] & (UINT64_C(1) << (bit & 63))))
        return EG_OK; /* no case trip has this (date, number prefix) */
    /* first key not below (dep_date, trip_no) */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const eg_case_key *k = &ci->keys[mid];
        int c = k->date != dep ? (k->date < dep ? -1 : 1)
              : k->pre != pre ? (k->pre < pre ? -1 : 1) : strcmp(k->no, trip_no);
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    uint32_t last = UINT32_MAX;
    for (size_t i = lo; i < ci->nkeys; i++) {
        const eg_case_key *k = &ci->keys[i];
        if (k->date != dep || k->pre != pre || strcmp(k->no, trip_no) != 0)
            break;
        if (k->idx == last)
            continue; /* one trip naming the same number twice */
        last = k->idx;
        const eg_case_trip *c = &ci->trips[k->idx];
        if (c->mode != mode || !seat_match(mode, car, seat_row, c))
            continue;
        eg_err e = fn(ctx, k->idx);
        if (e)
            return e;
    }
    return EG_OK;
}

eg_err eg_case_index_match(const eg_case_index *ci, const eg_leg *l,
                           eg_err (*fn)(void *ctx, uint32_t idx), void *ctx)
{
    return eg_case_index_match_trip(ci, l->mode, l->trip_no, l->dep_date, l->car, l->seat_row,
                                    fn, ctx);
}
