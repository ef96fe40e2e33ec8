/*
 * control/case_series.c: the daily case series from case records in the
 * database (see epigrid/case_series.h): confirmed cases by day of report
 * or onset, local and imported apart.
 */
#include <stdlib.h>
#include <string.h>
#include "epigrid/array.h"
#include "epigrid/case_series.h"
#include "epigrid/control.h"
#include "epigrid/store.h"

/* Days before the report in which a first fever or symptom is the onset. */
#define ONSET_LOOKBACK_DAYS 14

/* One case found. */
typedef struct a_case {
    eg_date day;
    int imported;
} a_case;

/* State of the walk over orders. */
typedef struct collect {
    eg_store *s;
    const eg_juris *tree;
    const eg_juris_node *node;
    eg_case_day by;
    a_case *v;
    size_t n, cap;
    long onset_unknown;
    eg_time report_at;     /* per order: when it became confirmed (0: never) */
    eg_time onset_at;      /* per order: first fever/symptom reading (0: none) */
    int fever_dc;          /* the fever threshold (control parameter fever_threshold_c) */
} collect;

/* Event callback: remember the first moment the order became confirmed. */
static eg_err find_confirm(void *ctx, const eg_ctl_event *e)
{
    collect *c = ctx;
    if (!c->report_at && strcmp(e->to_measure, "confirmed") == 0)
        c->report_at = e->at;
    return EG_OK;
}

/* Reading callback: the first fever or symptom at or after `since`. */
static eg_err find_onset(void *ctx, const eg_ctl_reading *r)
{
    collect *c = ctx;
    if (r->taken_at > c->report_at)
        return EG_OK;
    if ((r->temp_dc >= c->fever_dc || r->symptoms[0]) && (!c->onset_at || r->taken_at < c->onset_at))
        c->onset_at = r->taken_at;
    return EG_OK;
}

/* 1 if the order's division lies in the node asked for. */
static int in_node(const collect *c, const char *juris)
{
    const eg_juris_node *n;
    if (!c->node)
        return 1;
    n = eg_juris_deepest(c->tree, juris);
    return n && eg_juris_is_within(n, c->node);
}

/* Order callback: add the order as a case when it became confirmed. */
static eg_err take_order(void *ctx, const eg_ctl_order *o)
{
    collect *c = ctx;
    eg_err e;
    if (strcmp(o->measure, "confirmed") && strcmp(o->measure, "post_discharge_observation"))
        return EG_OK;
    if (!in_node(c, o->juris_code))
        return EG_OK;
    c->report_at = 0;
    c->onset_at = 0;
    if ((e = eg_store_ctl_event_each(c->s, o->id, find_confirm, c)))
        return e;
    if (!c->report_at)
        return EG_OK;
    eg_date day = eg_time_date(c->report_at);
    if (c->by == EG_CASE_DAY_ONSET) {
        eg_time since = c->report_at - (eg_time)ONSET_LOOKBACK_DAYS * 24 * 60;
        if ((e = eg_store_ctl_reading_each(c->s, o->id, since, find_onset, c)))
            return e;
        if (c->onset_at)
            day = eg_time_date(c->onset_at);
        else
            c->onset_unknown++;
    }
    if (c->n == c->cap &&
        eg_array_grow(&c->v, c->n, &c->cap, sizeof *c->v))
        return EG_ERR_NOMEM;
    c->v[c->n].day = day;
    c->v[c->n++].imported = strstr(o->rules, "R1") || strstr(o->rules, "R2");
    return EG_OK;
}

eg_err eg_case_incidence(eg_store *s, const eg_juris *tree, const eg_juris_node *node, eg_case_day by,
                         eg_date from, eg_date to, eg_incidence *out, eg_case_counts *counts,
                         eg_diag *d)
{
    collect c = { .s = s, .tree = tree, .node = node, .by = by };
    eg_ctl_filter f = { 0 };
    eg_case_counts k = { 0 };
    eg_err e;
    memset(out, 0, sizeof *out);
    if (from != EG_NO_DATE && to != EG_NO_DATE && to < from)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "--to", "the last day is before the first");
    if ((e = eg_control_fever_threshold(s, &c.fever_dc)))
        return eg_diag_set(d, e, NULL, 0, "fever_threshold_c", "reading the fever threshold: %s", eg_strerror(e));
    e = eg_store_ctl_order_each(s, &f, take_order, &c);
    if (e) {
        free(c.v);
        return eg_diag_set(d, e, NULL, 0, NULL, "reading case records: %s", eg_strerror(e));
    }
    if (c.n == 0) {
        free(c.v);
        return eg_diag_set(d, EG_ERR_NOT_FOUND, NULL, 0, NULL, "no confirmed case in the database%s",
                           node ? " for that node" : "");
    }
    eg_date lo = c.v[0].day, hi = c.v[0].day;
    for (size_t i = 1; i < c.n; i++) {
        if (c.v[i].day < lo)
            lo = c.v[i].day;
        if (c.v[i].day > hi)
            hi = c.v[i].day;
    }
    if (from != EG_NO_DATE)
        lo = from;
    if (to != EG_NO_DATE)
        hi = to;
    if (hi < lo || (e = eg_incidence_alloc(out, (size_t)(hi - lo + 1)))) {
        free(c.v);
        return eg_diag_set(d, e ? e : EG_ERR_INVALID, NULL, 0, NULL, "no day in the range");
    }
    out->has_dates = 1;
    out->first = lo;
    for (size_t i = 0; i < c.n; i++) {
        if (c.v[i].day < lo || c.v[i].day > hi) {
            k.outside_range++;
            continue;
        }
        k.cases++;
        if (c.v[i].imported) {
            out->imported[c.v[i].day - lo] += 1;
            k.imported++;
        } else {
            out->local[c.v[i].day - lo] += 1;
            k.local++;
        }
    }
    k.onset_unknown = c.onset_unknown;
    if (counts)
        *counts = k;
    free(c.v);
    return EG_OK;
}
