/*
 * report/internal.h: what the files of the daily report share.
 */
#ifndef EG_REPORT_INTERNAL_H
#define EG_REPORT_INTERNAL_H

#include "epigrid/report.h"

/* A new zeroed report over `tree` for `day`, every counter reported (NULL
 * on no memory). */
eg_report *rpt_new(const eg_juris *tree, eg_date day);
/* The direct counters that items of division `juris_code` go to (the
 * report's `outside` when it is not in the tree). */
long *rpt_slot(eg_report *r, const char *juris_code);
/* Fill the totals from the direct parts, by each section's roll-up rule. */
void rpt_roll_up(eg_report *r);
/* The index of the first counter of the section named `name`, -1 when no
 * such section is registered. */
int rpt_section_base(const char *name);
/* The stored form of a report: the direct parts of every node with a
 * non-zero counter, as JSON (malloc'ed; NULL on no memory). */
char *rpt_body(const eg_report *r);
/* Fill the direct parts of r from a stored body, mark the counters it
 * lacks as not reported, and roll up. EG_OK or EG_ERR_PARSE. */
eg_err rpt_from_body(eg_report *r, const char *body, eg_diag *d);

#endif
