/*
 * facility/allocate.c: allocation (就近安置): a facility of the kinds a
 * measure needs with a free place, first in the person's county, then the
 * nearest by the jurisdiction tree (fewest steps up to the common ancestor
 * and down again), ties broken by the most free places, then the id.
 */
#include <stdlib.h>
#include "epigrid/array.h"
#include "internal.h"

/* The facilities of one kind, copied (the store is read meanwhile). */
typedef struct fac_list {
    eg_facility *v;
    size_t n, cap;
} fac_list;

static eg_err take(void *ctx, const eg_facility *f)
{
    fac_list *l = ctx;
    if (l->n == l->cap &&
        eg_array_grow(&l->v, l->n, &l->cap, sizeof *l->v))
        return EG_ERR_NOMEM;
    l->v[l->n++] = *f;
    return EG_OK;
}

/* Depth of a node (a root is 0). */
static int depth(const eg_juris_node *n)
{
    int k = 0;
    for (; n && n->parent; n = n->parent)
        k++;
    return k;
}

/* Steps between two nodes through their common ancestor; -1 when they lie
 * under different roots. */
static int distance(const eg_juris_node *a, const eg_juris_node *b)
{
    int da = depth(a), db = depth(b), steps = 0;
    while (da > db) { a = a->parent; da--; steps++; }
    while (db > da) { b = b->parent; db--; steps++; }
    while (a && b && a != b) { a = a->parent; b = b->parent; steps += 2; }
    return a && a == b ? steps : -1;
}

/* See epigrid/facility.h. */
eg_err eg_facility_allocate(eg_store *s, const eg_juris *tree, const char *const *kinds, const char *juris_code,
                            eg_facility *out, int *county_full, eg_diag *d)
{
    const eg_juris_node *home = eg_juris_deepest(tree, juris_code);
    const eg_juris_node *county = fac_county_of(tree, juris_code);
    const eg_facility *best = NULL;
    int best_dist = 0;
    fac_list l = { 0 };
    eg_err e = EG_OK;
    if (county_full)
        *county_full = 0;
    if (!kinds || !kinds[0])
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "kind", "no kind of place asked for");
    if (!home)
        return eg_diag_set(d, EG_ERR_NOT_FOUND, NULL, 0, "juris", "'%s' is not a division of the tree",
                           juris_code ? juris_code : "");
    /* phase 1: the person's county, kinds in order of preference */
    for (int k = 0; !e && county && !best && kinds[k]; k++) {
        l.n = 0;
        e = eg_store_facility_each(s, county->code, kinds[k], take, &l);
        for (size_t i = 0; !e && i < l.n; i++) {
            const eg_facility *f = &l.v[i];
            long free_places = eg_facility_capacity(f) - f->occupied;
            if (free_places <= 0)
                continue;
            if (!best || free_places > eg_facility_capacity(best) - best->occupied)
                best = f;
        }
        if (best) {
            *out = *best;
            free(l.v);
            return EG_OK;
        }
    }
    if (!e && county && county_full)
        *county_full = 1;
    /* phase 2: the nearest by the tree */
    for (int k = 0; !e && !best && kinds[k]; k++) {
        l.n = 0;
        e = eg_store_facility_each(s, NULL, kinds[k], take, &l);
        for (size_t i = 0; !e && i < l.n; i++) {
            const eg_facility *f = &l.v[i];
            const eg_juris_node *at = eg_juris_deepest(tree, f->juris_code);
            long free_places = eg_facility_capacity(f) - f->occupied;
            int dist = at ? distance(home, at) : -1;
            if (free_places <= 0 || dist < 0)
                continue;
            if (!best || dist < best_dist ||
                (dist == best_dist && free_places > eg_facility_capacity(best) - best->occupied)) {
                best = f;
                best_dist = dist;
            }
        }
        if (best)
            *out = *best;
    }
    free(l.v);
    if (e)
        return e;
    if (!best)
        return eg_diag_set(d, EG_ERR_NOT_FOUND, NULL, 0, "facility", "no %s%s%s has a free place (open standby "
                           "places: epigrid facility standby ID --open)", kinds[0], kinds[1] ? " or " : "",
                           kinds[1] ? kinds[1] : "");
    return EG_OK;
}
