/*
 * checkpoint/report_section.c: the checkpoints' section of the daily
 * report (epigrid/report.h): the day's checks and fevers, and the fevers
 * referred by the moment without an outcome at the moment. The store gives
 * plain counts grouped by division.
 */
#include "../facility/internal.h"
#include "epigrid/report.h"

extern const eg_report_section eg_checkpoint_report_section;

static const char *const COUNTERS[] = {
    "checkpoints.checks", "checkpoints.fevers", "checkpoints.referrals_without_outcome",
};
enum { CHECKS, FEVERS, NO_OUTCOME };

/* The day's logs of a division. */
static eg_err add_checks(void *ctx, const eg_rpt_row *w)
{
    long *c = eg_report_fill_slot(ctx, "checkpoints", w->juris_code);
    if (c) {
        c[CHECKS] += w->n[0];
        c[FEVERS] += w->n[1];
    }
    return EG_OK;
}

/* Referrals without an outcome of a division. */
static eg_err add_referrals(void *ctx, const eg_rpt_row *w)
{
    long *c = eg_report_fill_slot(ctx, "checkpoints", w->juris_code);
    if (c)
        c[NO_OUTCOME] += w->n[0];
    return EG_OK;
}

/* Fill the section. */
static eg_err fill(eg_report_fill *f, eg_store *s, eg_time as_at, eg_time d0, eg_time d1)
{
    eg_err e = eg_store_report_checks(s, as_at, d0, d1, add_checks, f);
    if (!e)
        e = eg_store_report_referrals(s, as_at, add_referrals, f);
    return e;
}

const eg_report_section eg_checkpoint_report_section = {
    "checkpoints", COUNTERS, (int)(sizeof COUNTERS / sizeof COUNTERS[0]), EG_REPORT_ROLL_SUM, fill
};
