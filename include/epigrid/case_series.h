/*
 * epigrid/case_series.h: the daily case series from the database's case
 * records (病例), for the analysis of epigrid/analysis.h.
 *
 * A case is an order that became `confirmed` (its history holds an event
 * whose new measure is confirmed: opened as a confirmed case, or confirmed
 * from suspected or from observation). Its day is either the day of report
 * (that event's date, CST) or the day of onset: the first reading with a
 * fever (>= 37.3 °C) or a symptom in the 14 days before the report, and the
 * report day where there is none (counted in `onset_unknown`).
 *
 * Local and imported apart (Thompson et al. 2019, Epidemics 29:100356:
 * imported cases add to the infectiousness but are not counted as caused
 * by local transmission): a case is imported when screening of the travel
 * feed found the person (its order's rules name R1, returned from a risk
 * area, or R2, travelled with a case: the infection is attributed to the
 * journey), local otherwise (for example a case found at a fever clinic
 * without travel).
 */
#ifndef EPIGRID_CASE_SERIES_H
#define EPIGRID_CASE_SERIES_H

#include "epigrid/analysis.h"
#include "epigrid/juris.h"
#include "epigrid/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Which day a case counts on. */
typedef enum eg_case_day {
    EG_CASE_DAY_REPORT = 1,   /* day of report (confirmation) */
    EG_CASE_DAY_ONSET         /* day of onset (first fever or symptom reading) */
} eg_case_day;

/* What the series was made of. */
typedef struct eg_case_counts {
    long cases;            /* confirmed cases in the node and the date range */
    long local, imported;
    long onset_unknown;    /* by onset: cases counted on their report day */
    long outside_range;    /* cases whose day falls outside [from, to] */
} eg_case_counts;

/*
 * Build the daily incidence (local and imported apart) of the confirmed
 * cases whose order's division lies in node `node` of `tree` (NULL: every
 * case), by `by`, over the days [from, to] (either may be EG_NO_DATE: the
 * first / last case day). *out is allocated (eg_incidence_free), dated
 * (has_dates = 1), one entry per day, missing days zero. `counts` may be
 * NULL. Returns EG_OK; EG_ERR_NOT_FOUND when there is no case; EG_ERR_INVALID
 * (to before from); EG_ERR_NOMEM; EG_ERR_DB. No EpiEstim first-day rule is
 * applied here (day-1 cases imported): the caller applies
 * eg_incidence_first_day_imported as `analyze --cases` does.
 */
eg_err eg_case_incidence(eg_store *s, const eg_juris *tree, const eg_juris_node *node, eg_case_day by,
                         eg_date from, eg_date to, eg_incidence *out, eg_case_counts *counts,
                         eg_diag *d);

#ifdef __cplusplus
}
#endif
#endif
