/*
 * report/compute.c: the daily report computed from the store: the raw rows
 * of eg_store_report_rows (orders by state at the moment, the day's
 * transitions and new orders, and counters) turned into the counters of
 * epigrid/report.h, attached to the deepest node of the tree that holds
 * their division (`direct`), and rolled up the tree (`total` = direct +
 * the children's totals, so every counter equals the sum over its
 * children plus its direct part).
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* See epigrid/report.h. */
void eg_report_free(eg_report *r)
{
    if (!r)
        return;
    free(r->direct);
    free(r->total);
    free(r);
}

/* A new zeroed report over `tree`. */
eg_report *rpt_new(const eg_juris *tree, eg_date day)
{
    eg_report *r = calloc(1, sizeof *r);
    size_t n = tree->n ? tree->n : 1;
    if (!r)
        return NULL;
    r->tree = tree;
    r->date = day;
    r->direct = calloc(n, sizeof *r->direct);
    r->total = calloc(n, sizeof *r->total);
    if (!r->direct || !r->total) {
        eg_report_free(r);
        return NULL;
    }
    return r;
}

/* The direct counters a division's items go to (outside when not in the tree). */
long *rpt_slot(eg_report *r, const char *juris_code)
{
    const eg_juris_node *n = juris_code && *juris_code ? eg_juris_deepest(r->tree, juris_code) : NULL;
    return n ? r->direct[eg_report_index(r, n)] : r->outside;
}

/* 1 for a running state. */
static int running(const char *state)
{
    return strcmp(state, "active") == 0 || strcmp(state, "awaiting_admission") == 0;
}

/* The `new` counter of a measure, -1 when it has none. */
static int new_of(const char *m)
{
    if (strcmp(m, "home_quarantine") == 0) return EG_RPT_HQ_NEW;
    if (strcmp(m, "central_isolation") == 0) return EG_RPT_CI_NEW;
    if (strcmp(m, "post_discharge_observation") == 0) return EG_RPT_PD_NEW;
    if (strcmp(m, "suspected") == 0) return EG_RPT_SUS_NEW;
    if (strcmp(m, "confirmed") == 0) return EG_RPT_CONF_NEW;
    return -1;
}

/* The `ended` counter of an observation measure, -1 otherwise. */
static int ended_of(const char *m)
{
    if (strcmp(m, "home_quarantine") == 0) return EG_RPT_HQ_ENDED;
    if (strcmp(m, "central_isolation") == 0) return EG_RPT_CI_ENDED;
    if (strcmp(m, "post_discharge_observation") == 0) return EG_RPT_PD_ENDED;
    return -1;
}

/* Rows arrive grouped by division: the last division's slot is kept. */
typedef struct row_ctx {
    eg_report *r;
    char last[EG_CODE_BUFSZ + 8];
    long *slot;
} row_ctx;

/* Add one raw row to the report. */
static eg_err add_row(void *ctx, const eg_rpt_row *w)
{
    row_ctx *x = ctx;
    long *c;
    int k;
    if (!x->slot || strcmp(x->last, w->juris_code) != 0) {
        x->slot = rpt_slot(x->r, w->juris_code);
        snprintf(x->last, sizeof x->last, "%s", w->juris_code);
    }
    c = x->slot;
    switch (w->kind) {
    case EG_RPT_ROW_STATE:
        if (!running(w->to_state))
            break;
        if (strcmp(w->to_measure, "home_quarantine") == 0) {
            c[EG_RPT_HQ_CURRENT] += w->n;
        } else if (strcmp(w->to_measure, "central_isolation") == 0) {
            c[EG_RPT_CI_CURRENT] += w->n;
            if (strcmp(w->to_state, "awaiting_admission") == 0)
                c[EG_RPT_CI_AWAITING] += w->n;
        } else if (strcmp(w->to_measure, "post_discharge_observation") == 0) {
            c[EG_RPT_PD_CURRENT] += w->n;
        } else if (strcmp(w->to_measure, "suspected") == 0) {
            c[EG_RPT_SUS_CURRENT] += w->n;
        } else if (strcmp(w->to_measure, "confirmed") == 0) {
            /* a confirmed case always has a severity; an unknown one counts as mild */
            k = strcmp(w->severity, "moderate") == 0 ? EG_RPT_CONF_MODERATE
              : strcmp(w->severity, "severe") == 0 ? EG_RPT_CONF_SEVERE
              : strcmp(w->severity, "critical") == 0 ? EG_RPT_CONF_CRITICAL : EG_RPT_CONF_MILD;
            c[k] += w->n;
        }
        break;
    case EG_RPT_ROW_EVENT:
        if (!w->from_measure[0])
            break;   /* an order opened: counted by its creation */
        if (strcmp(w->action, "exclude") == 0)
            c[EG_RPT_SUS_EXCLUDED] += w->n;
        if (strcmp(w->action, "discharge") == 0)
            c[EG_RPT_CONF_DISCHARGED] += w->n;
        if (strcmp(w->from_measure, w->to_measure) != 0) {
            if (running(w->to_state) && (k = new_of(w->to_measure)) >= 0)
                c[k] += w->n;
            if (running(w->from_state) && (k = ended_of(w->from_measure)) >= 0)
                c[k] += w->n;
        } else if (running(w->from_state) && !running(w->to_state) && (k = ended_of(w->from_measure)) >= 0) {
            c[k] += w->n;
        }
        break;
    case EG_RPT_ROW_CREATED:
        if ((k = new_of(w->to_measure)) >= 0)
            c[k] += w->n;
        break;
    case EG_RPT_ROW_COUNTER:
        if (w->counter >= 0 && w->counter < EG_RPT_N)
            c[w->counter] += w->n;
        break;
    }
    return EG_OK;
}

/* total = direct + the children's totals, below `n`. */
static void roll(eg_report *r, const eg_juris_node *n)
{
    size_t i = eg_report_index(r, n);
    memcpy(r->total[i], r->direct[i], sizeof r->total[i]);
    for (size_t k = 0; k < n->nchildren; k++) {
        size_t c = eg_report_index(r, n->children[k]);
        roll(r, n->children[k]);
        for (int x = 0; x < EG_RPT_N; x++)
            r->total[i][x] += r->total[c][x];
    }
}

/* Roll the direct parts up the whole tree. */
void rpt_roll_up(eg_report *r)
{
    for (size_t i = 0; i < r->tree->nroots; i++)
        roll(r, r->tree->roots[i]);
}

/* See epigrid/report.h. */
eg_err eg_report_compute(eg_store *s, const eg_juris *tree, eg_date day, eg_time now, eg_report **out,
                         eg_diag *d)
{
    eg_time d0, end;
    char b1[EG_DATE_BUFSZ], b2[EG_DATE_BUFSZ];
    eg_report *r;
    eg_err e;
    if (day > eg_time_date(now))
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "date", "%s is after the clock's day %s: no report for the "
                           "future", eg_date_format(day, b1), eg_date_format(eg_time_date(now), b2));
    eg_time_from_parts(day, 0, 0, &d0);
    eg_time_from_parts(day, 23, 59, &end);
    if (!(r = rpt_new(tree, day)))
        return EG_ERR_NOMEM;
    r->live = 1;
    r->generated_at = end < now ? end : now;
    row_ctx x = { .r = r };
    e = eg_store_report_rows(s, r->generated_at, d0, d0 + 1440, add_row, &x);
    if (e) {
        eg_report_free(r);
        return eg_diag_set(d, e, NULL, 0, NULL, "report: %s", e == EG_ERR_DB ? eg_store_errmsg(s) : eg_strerror(e));
    }
    rpt_roll_up(r);
    *out = r;
    return EG_OK;
}
