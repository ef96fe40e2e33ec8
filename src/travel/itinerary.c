/*
 * travel/itinerary.c: a person's itinerary as a reader wants it: legs in
 * order, the stay between them, the risk areas each leg touched and the
 * case trips that shared its trip.
 */
#include <stdlib.h>
#include <string.h>
#include "epigrid/array.h"
#include "epigrid/feed.h"
#include "epigrid/registry.h"

typedef struct collect {
    eg_itinerary *it;
    size_t cap;
    eg_risk_area *areas;
    size_t n_areas, cap_areas;
    eg_case_trip *cases;
    size_t n_cases, cap_cases;
} collect;

static eg_err take_leg(void *ctx, const eg_leg *l)
{
    collect *c = ctx;
    eg_err e = eg_array_grow(&c->it->legs, c->it->n, &c->cap, sizeof *c->it->legs);
    if (e)
        return e;
    eg_itin_leg *il = &c->it->legs[c->it->n++];
    memset(il, 0, sizeof *il);
    il->leg = *l;
    return EG_OK;
}

static eg_err take_area(void *ctx, const eg_risk_area *a)
{
    collect *c = ctx;
    eg_err e = eg_array_grow(&c->areas, c->n_areas, &c->cap_areas, sizeof *c->areas);
    if (!e)
        c->areas[c->n_areas++] = *a;
    return e;
}

static eg_err take_case(void *ctx, const eg_case_trip *t, const char *original)
{
    collect *c = ctx;
    (void)original;
    eg_err e = eg_array_grow(&c->cases, c->n_cases, &c->cap_cases, sizeof *c->cases);
    if (!e)
        c->cases[c->n_cases++] = *t;
    return e;
}

/* 1 if case trip t and leg l are on the same place by R2's rules. */
static int same_place(const eg_case_trip *t, const eg_leg *l)
{
    switch (l->mode) {
    case EG_MODE_FLIGHT:
        return !t->seat_row || !l->seat_row || abs(t->seat_row - l->seat_row) <= 3;
    case EG_MODE_TRAIN:
        return !t->car || !l->car || t->car == l->car;
    default:
        return 1;
    }
}

/* Attach areas and cases to one leg. */
static eg_err annotate(collect *c, eg_itin_leg *il)
{
    size_t cap = 0;
    for (size_t k = 0; k < c->n_areas; k++) {
        if (!eg_leg_touches(&il->leg, &c->areas[k]))
            continue;
        if (eg_array_grow(&il->areas, il->n_areas, &cap, sizeof *il->areas))
            return EG_ERR_NOMEM;
        il->areas[il->n_areas++] = c->areas[k];
    }
    cap = 0;
    for (size_t k = 0; k < c->n_cases; k++) {
        const eg_case_trip *t = &c->cases[k];
        if (t->mode != il->leg.mode || t->date != il->leg.dep_date ||
            !eg_case_trip_has_no(t, il->leg.trip_no))
            continue;
        if (eg_array_grow(&il->cases, il->n_cases, &cap, sizeof *il->cases))
            return EG_ERR_NOMEM;
        il->cases[il->n_cases].trip = *t;
        il->cases[il->n_cases++].same_place = same_place(t, &il->leg);
    }
    return EG_OK;
}

eg_err eg_itinerary_build(eg_store *s, const char *id_no, eg_itinerary **out)
{
    collect c = { 0 };
    eg_err e;
    *out = NULL;
    c.it = calloc(1, sizeof *c.it);
    if (!c.it)
        return EG_ERR_NOMEM;
    if (eg_docno_normalize("resident_id", id_no, c.it->id_no)) {
        free(c.it);
        return EG_ERR_NOT_FOUND;
    }
    e = eg_store_leg_each_person(s, c.it->id_no, take_leg, &c);
    if (!e && c.it->n == 0)
        e = EG_ERR_NOT_FOUND;
    if (!e)
        e = eg_store_risk_area_each(s, take_area, &c);
    if (!e)
        e = eg_store_case_trip_each(s, take_case, &c);
    for (size_t i = 0; !e && i < c.it->n; i++) {
        eg_itin_leg *il = &c.it->legs[i];
        il->has_next = i + 1 < c.it->n;
        il->stay_days = il->has_next ? c.it->legs[i + 1].leg.dep_date - il->leg.arr_date : 0;
        e = annotate(&c, il);
    }
    free(c.areas);
    free(c.cases);
    if (e) {
        eg_itinerary_free(c.it);
        return e;
    }
    *out = c.it;
    return EG_OK;
}

void eg_itinerary_free(eg_itinerary *it)
{
    if (!it)
        return;
    for (size_t i = 0; i < it->n; i++) {
        free(it->legs[i].areas);
        free(it->legs[i].cases);
    }
    free(it->legs);
    free(it);
}
