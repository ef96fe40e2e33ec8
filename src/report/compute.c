/*
 * report/compute.c: the daily report computed from the store: each
 * registered section's fill (report/sections.c) adds its counts, grouped by
 * division, to the deepest node of the tree that holds the division
 * (`direct`); the totals are rolled up the tree by each section's rule
 * (for a sum: total = direct + the children's totals, so every counter
 * equals the sum over its children plus its direct part).
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"

/* A report being filled: the division and section last asked for are
 * kept, as the queries' groups arrive by division. */
struct eg_report_fill {
    eg_report *r;
    char last[EG_CODE_BUFSZ + 8];
    long *slot;                  /* direct counters of division `last` (NULL: none yet) */
    const char *section;         /* the section last asked for and its first counter */
    int base;
};

/* See epigrid/report.h. */
void eg_report_free(eg_report *r)
{
    if (!r)
        return;
    free(r->direct);
    free(r->total);
    free(r->outside);
    free(r->reported);
    free(r);
}

/* See internal.h. */
eg_report *rpt_new(const eg_juris *tree, eg_date day)
{
    eg_report *r = calloc(1, sizeof *r);
    size_t n = tree->n ? tree->n : 1;
    if (!r)
        return NULL;
    r->tree = tree;
    r->date = day;
    r->ncounters = eg_report_ncounters();
    r->direct = calloc(n * (size_t)r->ncounters, sizeof *r->direct);
    r->total = calloc(n * (size_t)r->ncounters, sizeof *r->total);
    r->outside = calloc((size_t)r->ncounters, sizeof *r->outside);
    r->reported = malloc((size_t)r->ncounters);
    if (!r->direct || !r->total || !r->outside || !r->reported) {
        eg_report_free(r);
        return NULL;
    }
    memset(r->reported, 1, (size_t)r->ncounters);
    return r;
}

/* See internal.h. */
long *rpt_slot(eg_report *r, const char *juris_code)
{
    const eg_juris_node *n = juris_code && *juris_code ? eg_juris_deepest(r->tree, juris_code) : NULL;
    return n ? eg_report_direct(r, n) : r->outside;
}

/* See epigrid/report.h. */
long *eg_report_fill_slot(eg_report_fill *f, const char *section, const char *juris_code)
{
    if (!f->section || (f->section != section && strcmp(f->section, section) != 0)) {
        int base = rpt_section_base(section);
        if (base < 0)
            return NULL;
        f->section = section;
        f->base = base;
    }
    if (!juris_code)
        juris_code = "";
    if (!f->slot || strcmp(f->last, juris_code) != 0) {
        f->slot = rpt_slot(f->r, juris_code);
        snprintf(f->last, sizeof f->last, "%s", juris_code);
    }
    return f->slot + f->base;
}

/* total = direct + the children's totals (each section by its rule), below `n`. */
static void roll(eg_report *r, const eg_juris_node *n, const eg_report_section *const *sec, int nsec)
{
    long *total = eg_report_total(r, n);
    memcpy(total, eg_report_direct(r, n), sizeof *total * (size_t)r->ncounters);
    for (size_t k = 0; k < n->nchildren; k++) {
        const long *c = eg_report_total(r, n->children[k]);
        int base = 0;
        roll(r, n->children[k], sec, nsec);
        for (int i = 0; i < nsec; base += sec[i]->ncounters, i++) {
            switch (sec[i]->roll) {
            case EG_REPORT_ROLL_SUM:
                for (int x = base; x < base + sec[i]->ncounters; x++)
                    total[x] += c[x];
                break;
            }
        }
    }
}

/* See internal.h. */
void rpt_roll_up(eg_report *r)
{
    int nsec;
    const eg_report_section *const *sec = eg_report_sections(&nsec);
    for (size_t i = 0; i < r->tree->nroots; i++)
        roll(r, r->tree->roots[i], sec, nsec);
}

/* See epigrid/report.h. */
eg_err eg_report_compute(eg_store *s, const eg_juris *tree, eg_date day, eg_time now, eg_report **out,
                         eg_diag *d)
{
    eg_time d0, end;
    char b1[EG_DATE_BUFSZ], b2[EG_DATE_BUFSZ];
    const eg_report_section *const *sec;
    eg_report *r;
    eg_err e = EG_OK;
    int nsec;
    if (day > eg_time_date(now))
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "date", "%s is after the clock's day %s: no report for the "
                           "future", eg_date_format(day, b1), eg_date_format(eg_time_date(now), b2));
    eg_time_from_parts(day, 0, 0, &d0);
    eg_time_from_parts(day, 23, 59, &end);
    if (!(r = rpt_new(tree, day)))
        return EG_ERR_NOMEM;
    r->live = 1;
    r->generated_at = end < now ? end : now;
    sec = eg_report_sections(&nsec);
    for (int i = 0; !e && i < nsec; i++) {
        eg_report_fill f = { .r = r };
        if (sec[i]->fill)
            e = sec[i]->fill(&f, s, r->generated_at, d0, d0 + 1440);
    }
    if (e) {
        eg_report_free(r);
        return eg_diag_set(d, e, NULL, 0, NULL, "report: %s", e == EG_ERR_DB ? eg_store_errmsg(s) : eg_strerror(e));
    }
    rpt_roll_up(r);
    *out = r;
    return EG_OK;
}
