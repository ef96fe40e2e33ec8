/*
 * facility/report_section.c: the facility module's section of the daily
 * report (epigrid/report.h): places of each kind of facility at the moment
 * (in use, standby, occupied, free), how a kind maps to its counters, and
 * the rule that standby places opened by the moment count as in use. The
 * module's own alerts are added to the alerts section (open; overdue: past
 * due). The store gives plain counts grouped by division and kind.
 */
#include "internal.h"
#include "epigrid/report.h"

extern const eg_report_section eg_facility_report_section;

static const char *const COUNTERS[] = {
    "facilities.isolation_site.in_use", "facilities.isolation_site.standby", "facilities.isolation_site.occupied",
    "facilities.isolation_site.free",
    "facilities.fever_clinic.in_use", "facilities.fever_clinic.standby", "facilities.fever_clinic.occupied",
    "facilities.fever_clinic.free",
    "facilities.designated_hospital.in_use", "facilities.designated_hospital.standby",
    "facilities.designated_hospital.occupied", "facilities.designated_hospital.free",
};
/* The kinds in counter order; each has four counters. */
static const char *const KINDS[] = { "isolation_site", "fever_clinic", "designated_hospital", NULL };
enum { IN_USE, STANDBY, OCCUPIED, FREE, PER_KIND };

/* Places of a (division, kind, standby opened) group. */
static eg_err add_places(void *ctx, const eg_rpt_row *w)
{
    long *c;
    int k = 0;
    while (KINDS[k] && strcmp(KINDS[k], w->kind) != 0)
        k++;
    if (!KINDS[k] || !(c = eg_report_fill_slot(ctx, "facilities", w->juris_code)))
        return EG_OK;
    c += k * PER_KIND;
    /* standby places opened by the moment are in use */
    long in_use = w->n[0] + (w->flag ? w->n[1] : 0);
    c[IN_USE] += in_use;
    c[STANDBY] += w->flag ? 0 : w->n[1];
    c[OCCUPIED] += w->n[2];
    c[FREE] += in_use - w->n[2];
    return EG_OK;
}

/* The module's alerts: open; overdue = past due. */
static eg_err add_alerts(void *ctx, const eg_rpt_row *w)
{
    long *c = eg_report_fill_slot(ctx, "alerts", w->juris_code);
    if (c) {
        c[0] += w->n[0];
        c[1] += w->n[1];
    }
    return EG_OK;
}

/* Fill the facilities section and the module's alerts. */
static eg_err fill(eg_report_fill *f, eg_store *s, eg_time as_at, eg_time d0, eg_time d1)
{
    eg_err e;
    (void)d0, (void)d1;
    e = eg_store_report_facilities(s, as_at, add_places, f);
    if (!e)
        e = eg_store_report_fac_alerts(s, as_at, as_at, add_alerts, f);
    return e;
}

const eg_report_section eg_facility_report_section = {
    "facilities", COUNTERS, (int)(sizeof COUNTERS / sizeof COUNTERS[0]), EG_REPORT_ROLL_SUM, fill
};
