/*
 * epigrid/report.h: the daily report (日报) of the headquarters, for any
 * date and any node of the jurisdiction tree, in the shape of
 * spec/api.md: measures (awaiting_admission apart), cases, checkpoints,
 * facilities, alerts, tasks and assistance requests; each node's `direct`
 * part (items attached to the node itself) and its `children` (one level).
 * Every counter of a node equals the sum over its children plus its direct
 * part: items are attached once, to the deepest node of the tree that
 * holds their division, and totals are rolled up the tree.
 *
 * Moments: `current` counts are as at the end of the day (23:59 CST), or
 * at the clock when that is earlier; `new`, `ended`, `excluded`,
 * `discharged` and the checkpoint figures count what happened during the
 * day. The state of an order at a past moment is rebuilt from its
 * history (the first transition after the moment tells what it was); the
 * severity of a confirmed case is its latest.
 *
 * Sections: see eg_report_section below; a stored version keeps the
 * sections it was produced with, and a counter missing from it reads as
 * "not reported" (JSON null; "not reported" in the table and CSV), never
 * as zero.
 *
 * Versions: the report produced by the daily run for a date is stored as
 * version 1 (eg_report_daily_run); a later correction (eg_report_correct)
 * recomputes it from the data as it is then and stores version 2, and so
 * on; all are kept and a stored version never changes. A report asked for
 * without a version is the latest stored one, else computed live (`live`).
 * A stored version holds the direct parts of every node; the totals are
 * rolled up over the tree when it is read.
 */
#ifndef EPIGRID_REPORT_H
#define EPIGRID_REPORT_H

#include <stddef.h>
#include "epigrid/control.h"
#include "epigrid/date.h"
#include "epigrid/error.h"
#include "epigrid/facility.h"
#include "epigrid/juris.h"
#include "epigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Sections. Each module contributes its sections of the report through a
 * descriptor defined in its own source file (measures, cases, alerts,
 * tasks and assistance requests: control/report_sections.c; checkpoints:
 * checkpoint/report_section.c; facilities: facility/report_section.c); the
 * registry (report/sections.c) lists the descriptors once, in report
 * order, and the report's core iterates it for computing, roll-up, JSON,
 * the stored form, the table and CSV. A new capability adds a section with
 * one descriptor and one line in the registry.
 */

/* How a node's counters of a section follow from its children's. */
typedef enum eg_report_roll {
    EG_REPORT_ROLL_SUM = 0       /* the sum over the children plus the direct part */
} eg_report_roll;

/* A report being computed, as a section's fill sees it (opaque). */
typedef struct eg_report_fill eg_report_fill;

/* A section of the report. */
typedef struct eg_report_section {
    const char *name;            /* its JSON key ("measures") */
    const char *const *counters; /* its counters' dotted names, each beginning with name + "." */
    int ncounters;
    eg_report_roll roll;
    /* Add the section's counts of the day (day_start <= t < day_end) as at
     * `as_at` through eg_report_fill_slot. A module whose sections come from
     * the same queries fills them all from one section's fill (the others'
     * fill is NULL). Returns EG_OK or the store's error. */
    eg_err (*fill)(eg_report_fill *f, eg_store *s, eg_time as_at, eg_time day_start, eg_time day_end);
} eg_report_section;

/* The counters of section `section` (by name) for items of division
 * `juris_code` while filling: the direct part of the deepest node of the
 * tree holding the division (the report's `outside` when none). NULL when
 * no section of that name is registered (the counts are then dropped). */
long *eg_report_fill_slot(eg_report_fill *f, const char *section, const char *juris_code);

/* The registered sections in report order; *n receives their number. */
const eg_report_section *const *eg_report_sections(int *n);

/* The number of counters of a report: those of every section, in order. */
int eg_report_ncounters(void);

/* Name of counter i ("measures.home_quarantine.current"); static, NULL
 * when out of range. */
const char *eg_report_counter_name(int i);

/* Index of the counter named `name`, -1 when there is none. */
int eg_report_counter_index(const char *name);

/* A report: counters of every node of a tree. */
typedef struct eg_report {
    eg_date date;
    int version;                 /* stored version, 0 when live */
    int live;                    /* 1: computed now, not stored */
    eg_time generated_at;        /* the moment it is as at */
    const eg_juris *tree;        /* borrowed: must outlive the report */
    int ncounters;               /* counters per row (eg_report_ncounters) */
    long *direct;                /* tree->n rows of ncounters, by node index (node - tree->nodes) */
    long *total;
    long *outside;               /* one row: items whose division is not in the tree (not shown) */
    unsigned char *reported;     /* per counter: 1 when the report holds it; 0 when the stored
                                    version was produced without it ("not reported", never 0) */
} eg_report;

/* Free a report (NULL is fine). */
void eg_report_free(eg_report *r);

/* Index of a node of r->tree. */
static inline size_t eg_report_index(const eg_report *r, const eg_juris_node *n)
{
    return (size_t)(n - r->tree->nodes);
}

/* The direct counters of node n (r->ncounters of them). */
static inline long *eg_report_direct(const eg_report *r, const eg_juris_node *n)
{
    return r->direct + eg_report_index(r, n) * (size_t)r->ncounters;
}

/* The total counters of node n (r->ncounters of them). */
static inline long *eg_report_total(const eg_report *r, const eg_juris_node *n)
{
    return r->total + eg_report_index(r, n) * (size_t)r->ncounters;
}

/*
 * Compute the report of `day` live over `tree`, as at min(day 23:59,
 * now). `day` after the clock's day is EG_ERR_RANGE. *out is owned by the
 * caller (eg_report_free). Returns EG_OK, EG_ERR_RANGE, EG_ERR_NOMEM,
 * EG_ERR_DB.
 */
eg_err eg_report_compute(eg_store *s, const eg_juris *tree, eg_date day, eg_time now, eg_report **out,
                         eg_diag *d);

/* Load stored version `version` of `day` (0: the latest). EG_ERR_NOT_FOUND
 * when there is none (d says so); EG_ERR_PARSE for a damaged body. */
eg_err eg_report_load(eg_store *s, const eg_juris *tree, eg_date day, int version, eg_report **out,
                      eg_diag *d);

/* The report a reader gets: version `version` when > 0, else the latest
 * stored, else computed live. */
eg_err eg_report_get(eg_store *s, const eg_juris *tree, eg_date day, int version, eg_time now,
                     eg_report **out, eg_diag *d);

/* Store a live report as the next version of its date (1 when none);
 * *version (may be NULL) receives it. In one transaction. */
eg_err eg_report_store(eg_store *s, eg_report *r, const char *actor, const char *reason, eg_time now,
                       int *version, eg_diag *d);

/* A correction: recompute `day` from the data as it is now (as at
 * min(day 23:59, now)) and store it as the next version. `reason` is
 * required (EG_ERR_INVALID). */
eg_err eg_report_correct(eg_store *s, const eg_juris *tree, eg_date day, const char *reason,
                         const char *actor, eg_time now, int *version, eg_diag *d);

/* Versions of a date, oldest first (none: fn is not called). */
eg_err eg_report_versions(eg_store *s, eg_date day, eg_report_version_fn fn, void *ctx);

/*
 * The report of node `node` as one JSON document in the shape of
 * spec/api.md (counters, `direct`, and `children` with their counters and
 * direct parts; a counter not reported by a stored version is null, and a
 * section none of whose counters it reported is null as a whole),
 * malloc'ed into *json (the caller frees). Returns EG_OK or EG_ERR_NOMEM.
 */
eg_err eg_report_json(const eg_report *r, const eg_juris_node *node, int indent, char **json);

/* What a daily run of the whole command system did. */
typedef struct eg_report_run {
    eg_daily_summary control;    /* the control module's run */
    eg_facility_sweep sweep;     /* places followed, alerts raised */
    int stored;                  /* 1: version 1 was stored now; 0: the date had a version */
    int version;                 /* the latest version of the date after the run */
} eg_report_run;

/*
 * The daily run for `day`: the control module's run (eg_control_daily,
 * its own transaction), then the facility and checkpoint sweep
 * (eg_facility_sweep_run) as at the same moment, then the day's report
 * stored as version 1 when the date has no version yet. `tree` is used
 * for allocation and the report.
 */
eg_err eg_report_daily_run(eg_store *s, const eg_juris *tree, const eg_control_params *cp,
                           const eg_facility_params *fp, eg_date day, eg_time now, const char *actor,
                           eg_report_run *out, eg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
