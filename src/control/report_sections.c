/*
 * control/report_sections.c: the control module's sections of the daily
 * report (epigrid/report.h): measures, cases, alerts, tasks and assistance
 * requests, and how the module's rows are classified into their counters:
 * which measures are observation measures or cases, what counts as
 * current (a running state at the moment), new, ended, excluded and
 * discharged, a confirmed case's severity, an overdue task (due at the
 * moment) and an overdue alert (unacknowledged past due), an open request.
 * The store gives plain counts grouped by division and stored values.
 */
#include <string.h>
#include "epigrid/control.h"
#include "epigrid/report.h"

extern const eg_report_section eg_control_report_measures, eg_control_report_cases, eg_control_report_alerts,
    eg_control_report_tasks, eg_control_report_requests;

#define AWAITING "awaiting_admission"

static const char *const MEASURES[] = {
    "measures.home_quarantine.current", "measures.home_quarantine.new", "measures.home_quarantine.ended",
    "measures.central_isolation.current", "measures.central_isolation.new", "measures.central_isolation.ended",
    "measures.central_isolation.awaiting_admission",
    "measures.post_discharge_observation.current", "measures.post_discharge_observation.new",
    "measures.post_discharge_observation.ended",
};
enum { HQ_CURRENT, HQ_NEW, HQ_ENDED, CI_CURRENT, CI_NEW, CI_ENDED, CI_AWAITING, PD_CURRENT, PD_NEW, PD_ENDED };

static const char *const CASES[] = {
    "cases.suspected.current", "cases.suspected.new", "cases.suspected.excluded",
    "cases.confirmed.current.mild", "cases.confirmed.current.moderate", "cases.confirmed.current.severe",
    "cases.confirmed.current.critical", "cases.confirmed.new", "cases.confirmed.discharged",
};
enum { SUS_CURRENT, SUS_NEW, SUS_EXCLUDED, CONF_MILD, CONF_MODERATE, CONF_SEVERE, CONF_CRITICAL, CONF_NEW,
       CONF_DISCHARGED };

static const char *const ALERTS[] = { "alerts.open", "alerts.overdue" };
static const char *const TASKS[] = { "tasks.open", "tasks.overdue" };
static const char *const REQUESTS[] = { "assistance_requests.open", "assistance_requests.new" };
enum { OPEN, OVERDUE };
enum { REQ_OPEN, REQ_NEW };

/* Where a measure counts: its section and its counters (-1: none). */
typedef struct measure_counters {
    const char *measure;
    const char *section;
    int current, new_, ended;    /* confirmed: current by severity */
} measure_counters;
static const measure_counters BY_MEASURE[] = {
    { "home_quarantine", "measures", HQ_CURRENT, HQ_NEW, HQ_ENDED },
    { "central_isolation", "measures", CI_CURRENT, CI_NEW, CI_ENDED },
    { "post_discharge_observation", "measures", PD_CURRENT, PD_NEW, PD_ENDED },
    { "suspected", "cases", SUS_CURRENT, SUS_NEW, -1 },
    { "confirmed", "cases", -1, CONF_NEW, -1 },
};

/* The counters of a measure, NULL when it is not counted. */
static const measure_counters *counters_of(const char *measure)
{
    for (size_t i = 0; i < sizeof BY_MEASURE / sizeof BY_MEASURE[0]; i++)
        if (strcmp(BY_MEASURE[i].measure, measure) == 0)
            return &BY_MEASURE[i];
    return NULL;
}

/* Add n to counter k (>= 0) of measure m's section for division juris. */
static void add(eg_report_fill *f, const measure_counters *m, const char *juris, int k, long n)
{
    long *c;
    if (m && k >= 0 && (c = eg_report_fill_slot(f, m->section, juris)))
        c[k] += n;
}

/* Orders in a running state at the moment: current counters. */
static eg_err add_state(void *ctx, const eg_rpt_row *w)
{
    eg_report_fill *f = ctx;
    const measure_counters *m = counters_of(w->measure);
    int k;
    if (!m || !eg_control_is_running(w->state))
        return EG_OK;
    if (m->current >= 0) {
        add(f, m, w->juris_code, m->current, w->n[0]);
        if (m->current == CI_CURRENT && strcmp(w->state, AWAITING) == 0)
            add(f, m, w->juris_code, CI_AWAITING, w->n[0]);
        return EG_OK;
    }
    /* a confirmed case always has a severity; an unknown one counts as mild */
    k = strcmp(w->severity, "moderate") == 0 ? CONF_MODERATE
      : strcmp(w->severity, "severe") == 0 ? CONF_SEVERE
      : strcmp(w->severity, "critical") == 0 ? CONF_CRITICAL : CONF_MILD;
    add(f, m, w->juris_code, k, w->n[0]);
    return EG_OK;
}

/* The day's transitions: new (into a running measure), ended (out of a
 * running observation), excluded, discharged. */
static eg_err add_event(void *ctx, const eg_rpt_row *w)
{
    eg_report_fill *f = ctx;
    const measure_counters *from, *to;
    const char *j = w->juris_code;
    if (!w->from_measure[0])
        return EG_OK;   /* an order opened: counted by its creation */
    from = counters_of(w->from_measure);
    to = counters_of(w->measure);
    if (strcmp(w->action, "exclude") == 0)
        add(f, counters_of("suspected"), j, SUS_EXCLUDED, w->n[0]);
    if (strcmp(w->action, "discharge") == 0)
        add(f, counters_of("confirmed"), j, CONF_DISCHARGED, w->n[0]);
    if (strcmp(w->from_measure, w->measure) != 0) {
        if (to && eg_control_is_running(w->state))
            add(f, to, j, to->new_, w->n[0]);
        if (from && eg_control_is_running(w->from_state))
            add(f, from, j, from->ended, w->n[0]);
    } else if (from && eg_control_is_running(w->from_state) && !eg_control_is_running(w->state)) {
        add(f, from, j, from->ended, w->n[0]);
    }
    return EG_OK;
}

/* Orders created during the day: new in the measure they began with. */
static eg_err add_created(void *ctx, const eg_rpt_row *w)
{
    const measure_counters *m = counters_of(w->measure);
    if (m)
        add(ctx, m, w->juris_code, m->new_, w->n[0]);
    return EG_OK;
}

/* Fill measures and cases: orders by state at the moment, the day's
 * transitions and the day's new orders. */
static eg_err fill_orders(eg_report_fill *f, eg_store *s, eg_time as_at, eg_time d0, eg_time d1)
{
    eg_err e = eg_store_report_order_states(s, as_at, add_state, f);
    if (!e)
        e = eg_store_report_order_events(s, as_at, d0, d1, add_event, f);
    if (!e)
        e = eg_store_report_orders_created(s, as_at, d0, d1, add_created, f);
    return e;
}

/* Alerts: open; overdue = past due and not acknowledged at the moment. */
static eg_err add_alerts(void *ctx, const eg_rpt_row *w)
{
    long *c = eg_report_fill_slot(ctx, "alerts", w->juris_code);
    if (c) {
        c[OPEN] += w->n[0];
        c[OVERDUE] += w->n[1] - w->n[2];
    }
    return EG_OK;
}

static eg_err fill_alerts(eg_report_fill *f, eg_store *s, eg_time as_at, eg_time d0, eg_time d1)
{
    (void)d0, (void)d1;
    return eg_store_report_alerts(s, as_at, as_at, add_alerts, f);
}

/* Tasks: open; overdue = due at or before the moment. */
static eg_err add_tasks(void *ctx, const eg_rpt_row *w)
{
    long *c = eg_report_fill_slot(ctx, "tasks", w->juris_code);
    if (c) {
        c[OPEN] += w->n[0];
        c[OVERDUE] += w->n[1];
    }
    return EG_OK;
}

static eg_err fill_tasks(eg_report_fill *f, eg_store *s, eg_time as_at, eg_time d0, eg_time d1)
{
    (void)d0, (void)d1;
    return eg_store_report_tasks(s, as_at, as_at, add_tasks, f);
}

/* Assistance requests: open (state open now, made by the moment); new in the day. */
static eg_err add_requests(void *ctx, const eg_rpt_row *w)
{
    long *c = eg_report_fill_slot(ctx, "assistance_requests", w->juris_code);
    if (c) {
        if (strcmp(w->kind, "open") == 0)
            c[REQ_OPEN] += w->n[0];
        c[REQ_NEW] += w->n[1];
    }
    return EG_OK;
}

static eg_err fill_requests(eg_report_fill *f, eg_store *s, eg_time as_at, eg_time d0, eg_time d1)
{
    return eg_store_report_requests(s, as_at, d0, d1, add_requests, f);
}

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
const eg_report_section eg_control_report_measures = { "measures", MEASURES, N(MEASURES), EG_REPORT_ROLL_SUM,
                                                       fill_orders };
/* filled with the measures (the same queries) */
const eg_report_section eg_control_report_cases = { "cases", CASES, N(CASES), EG_REPORT_ROLL_SUM, NULL };
/* the facility module adds its own alerts (facility/report_section.c) */
const eg_report_section eg_control_report_alerts = { "alerts", ALERTS, N(ALERTS), EG_REPORT_ROLL_SUM, fill_alerts };
const eg_report_section eg_control_report_tasks = { "tasks", TASKS, N(TASKS), EG_REPORT_ROLL_SUM, fill_tasks };
const eg_report_section eg_control_report_requests = { "assistance_requests", REQUESTS, N(REQUESTS),
                                                       EG_REPORT_ROLL_SUM, fill_requests };
