/*
 * cli/cmd_drill_daily.c: step 5 of the main job (spec/main-job.md): each
 * day from 2020-02-01 to 2020-02-13 with the clock moving through the day:
 * teams proposed and confirmed (first day), verification tasks closed
 * (some late, a few persons not found), admissions to isolation sites
 * marked, generated readings (a few fevers, a few missed; some fevers
 * become suspected cases), alerts acknowledged, and the daily run. One
 * line per day with its counts. Deterministic for a seed (GSL's MT19937).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_rng.h>
#include "epigrid/array.h"
#include "cmd_control.h"

#define FIRST_DAY "2020-02-01"
#define N_DAYS 13
#define P_MISSED 0.03      /* a reading slot left empty */
#define P_FEVER 0.0015     /* a reading of 37.3 °C or more */
#define P_SUSPECT 0.5      /* a fever that becomes a suspected case the same day */
#define P_ADMIT 0.7        /* an order awaiting admission admitted on a day */
#define P_TASK 0.55        /* an open verification task closed on a day */
#define P_NOT_FOUND 0.03   /* of those, the person not found */
#define P_ACK 0.6          /* an alert acknowledged within the hour */

/* A running order of the day (copied: the store is written meanwhile). */
typedef struct day_order {
    char oid[EG_CTL_ID_BUFSZ];
    char id_no[EG_CTL_DOC_BUFSZ];
    char measure[EG_CTL_WORD_BUFSZ];
    char state[EG_CTL_WORD_BUFSZ];
    eg_date start, end;
    eg_time created;
} day_order;

typedef struct vec {
    day_order *v;
    size_t n, cap;
} vec;

static eg_err take_order(void *ctx, const eg_ctl_order *o)
{
    vec *l = ctx;
    if (l->n == l->cap &&
        eg_array_grow(&l->v, l->n, &l->cap, sizeof *l->v))
        return EG_ERR_NOMEM;
    day_order *d = &l->v[l->n++];
    snprintf(d->oid, sizeof d->oid, "%s", o->oid);
    snprintf(d->id_no, sizeof d->id_no, "%s", o->id_no);
    snprintf(d->measure, sizeof d->measure, "%s", o->measure);
    snprintf(d->state, sizeof d->state, "%s", o->state);
    d->start = o->start_date;
    d->end = o->end_date;
    d->created = o->created_at;
    return EG_OK;
}

/* Open tasks and alerts to act on (ids copied). */
typedef struct ids {
    char (*v)[EG_CTL_ID_BUFSZ];
    size_t n, cap;
} ids;

static eg_err push_id(ids *l, const char *id)
{
    if (l->n == l->cap &&
        eg_array_grow(&l->v, l->n, &l->cap, sizeof *l->v))
        return EG_ERR_NOMEM;
    snprintf(l->v[l->n++], EG_CTL_ID_BUFSZ, "%s", id);
    return EG_OK;
}

static eg_err take_task(void *ctx, const eg_ctl_task *t) { return push_id(ctx, t->tid); }
static eg_err take_alert(void *ctx, const eg_ctl_alert *a) { return push_id(ctx, a->aid); }

/* Counts of one day. */
typedef struct day_counts {
    long readings, fevers, missed_slots, suspected, admitted, tasks_closed, tasks_late, not_found, acked;
} day_counts;

/* Generate and record the readings of one day (one transaction). */
static eg_err day_readings(eg_store *s, const eg_control_params *p, gsl_rng *r, const vec *orders, eg_date day,
                           vec *fevers, day_counts *c, eg_diag *d)
{
    eg_time midnight;
    eg_store_tx tx;
    eg_err e = eg_store_tx_begin(s, &tx);
    eg_time_from_parts(day, 0, 0, &midnight);
    if (e)
        return e;
    for (size_t i = 0; !e && i < orders->n; i++) {
        const day_order *o = &orders->v[i];
        if (!eg_control_is_observation(o->measure) || o->start > day || o->end <= day)
            continue;
        for (int slot = 0; !e && slot < 2; slot++) {
            /* morning 07:00-11:59, evening 14:00-19:59 */
            eg_time at = midnight + (slot ? 14 * 60 : 7 * 60) + (eg_time)gsl_rng_uniform_int(r, 300);
            double u = gsl_rng_uniform(r);
            int fever = gsl_rng_uniform(r) < P_FEVER;
            int dc = fever ? 373 + (int)gsl_rng_uniform_int(r, 13) : 360 + (int)gsl_rng_uniform_int(r, 12);
            const char *src = strcmp(o->measure, "home_quarantine") == 0 && gsl_rng_uniform(r) < 0.3 ? "self" : "team";
            eg_reading_outcome out;
            if (u < P_MISSED || at <= o->created) {
                c->missed_slots += u < P_MISSED;
                continue;
            }
            e = eg_control_reading_add(s, p, o->id_no, at, dc, fever ? "fever;dry_cough" : "", src, "drill:team",
                                       at + 5, &out, d);
            if (!e) {
                c->readings++;
                if (fever && out.alert_created) {
                    c->fevers++;
                    e = take_order(fevers, &(eg_ctl_order){ .oid = "", .id_no = "" }) ? EG_ERR_NOMEM : EG_OK;
                    if (!e) {
                        day_order *f = &fevers->v[fevers->n - 1];
                        *f = *o;
                        f->created = at;
                    }
                }
            }
        }
    }
    return eg_store_tx_end(&tx, e);
}

/* One drill day. */
static int run_day(eg_cli *cli, eg_store *s, const eg_control_params *p, gsl_rng *r, eg_date day)
{
    vec orders = { 0 }, fevers = { 0 };
    ids tasks = { 0 }, alerts = { 0 };
    day_counts c = { 0 };
    eg_daily_summary sum;
    eg_ctl_filter running = { .state = "running" };
    eg_ctl_filter open_tasks = { .state = "open", .kind = "verification" };
    eg_ctl_filter open_alerts = { .state = "open" };
    char b[EG_DATE_BUFSZ];
    eg_time midnight;
    eg_diag d;
    eg_err e;
    eg_diag_clear(&d);
    eg_time_from_parts(day, 0, 0, &midnight);
    e = eg_store_ctl_order_each(s, &running, take_order, &orders);
    /* 09:00-12:00: verification teams report (tasks due 24 h after screening; later ones are late) */
    if (!e)
        e = eg_store_ctl_task_each(s, &open_tasks, take_task, &tasks);
    for (size_t i = 0; !e && i < tasks.n; i++) {
        int late = 0;
        if (gsl_rng_uniform(r) >= P_TASK)
            continue;
        int nf = gsl_rng_uniform(r) < P_NOT_FOUND;
        e = eg_control_task_close(s, tasks.v[i], nf ? "not_found" : "found", NULL, NULL, "drill:grid",
                                  midnight + 9 * 60 + (eg_time)gsl_rng_uniform_int(r, 180), &late, &d);
        c.tasks_closed++;
        c.tasks_late += late;
        c.not_found += nf;
    }
    /* 10:00: admissions to isolation sites */
    for (size_t i = 0; !e && i < orders.n; i++) {
        if (strcmp(orders.v[i].state, "awaiting_admission") || gsl_rng_uniform(r) >= P_ADMIT)
            continue;
        eg_control_change ch = { .action = EG_ACT_ADMIT, .date = EG_NO_DATE, .reason = "drill: admitted",
                                 .actor = "drill:site", .now = midnight + 10 * 60 };
        e = eg_control_transition(s, p, orders.v[i].oid, &ch, NULL, &d);
        c.admitted += !e;
        if (e == EG_ERR_STATE)   /* ended meanwhile */
            e = EG_OK;
    }
    /* readings through the day */
    if (!e)
        e = day_readings(s, p, r, &orders, day, &fevers, &c, &d);
    /* 16:00: some fevers are seen at a fever clinic and held as suspected cases */
    for (size_t i = 0; !e && i < fevers.n; i++) {
        if (gsl_rng_uniform(r) >= P_SUSPECT)
            continue;
        eg_control_change ch = { .action = EG_ACT_SUSPECT, .date = EG_NO_DATE, .reason = "drill: fever clinic",
                                 .actor = "drill:clinician", .now = midnight + 16 * 60 };
        e = eg_control_transition(s, p, fevers.v[i].oid, &ch, NULL, &d);
        c.suspected += !e;
        if (e == EG_ERR_STATE)
            e = EG_OK;
    }
    /* alerts acknowledged within the hour, or left to escalate */
    if (!e)
        e = eg_store_ctl_alert_each(s, &open_alerts, take_alert, &alerts);
    for (size_t i = 0; !e && i < alerts.n; i++) {
        eg_ctl_alert a;
        if (gsl_rng_uniform(r) >= P_ACK || eg_store_ctl_alert_get(s, alerts.v[i], &a) || a.created_at < midnight)
            continue;   /* earlier days' alerts are left to their escalation */
        eg_time at = a.created_at + 10 + (eg_time)gsl_rng_uniform_int(r, 50);
        if (at > midnight + 23 * 60 + 59)
            continue;
        e = eg_control_alert_ack(s, a.aid, "drill:team", at, &d);
        c.acked += !e;
    }
    /* 23:59: the daily run */
    if (!e)
        e = eg_control_daily(s, p, day, midnight + 23 * 60 + 59, "drill:daily", &sum, &d);
    free(orders.v);
    free(fevers.v);
    free(tasks.v);
    free(alerts.v);
    if (e)
        return ctl_fail(cli, e, &d, "drill step 5");
    fprintf(cli->out, "  %s: %ld readings (%ld fevers, %ld slots missed), %ld suspected, %ld admitted, %ld tasks "
            "closed (%ld late, %ld not found), %ld alerts acknowledged; daily run: released %ld, missed-reading "
            "alerts %ld, team alerts %ld, escalated %ld\n", eg_date_format(day, b), c.readings, c.fevers,
            c.missed_slots, c.suspected, c.admitted, c.tasks_closed, c.tasks_late, c.not_found, c.acked,
            sum.released, sum.missed, sum.team_alerts, sum.escalated);
    fflush(cli->out);
    return EG_EX_OK;
}

/* See cli.h. */
int eg_cli_drill_daily(eg_cli *cli, eg_store *s, unsigned long seed)
{
    eg_control_params p;
    eg_date first;
    eg_time t;
    eg_diag d;
    long proposed = 0, short_roles = 0, confirmed = 0;
    eg_err e;
    gsl_rng *r;
    eg_diag_clear(&d);
    if ((e = eg_control_params_load(s, &p, &d)))
        return ctl_fail(cli, e, &d, "drill step 5");
    eg_date_parse(FIRST_DAY, &first);
    eg_time_from_parts(first, 0, 30, &t);
    fprintf(cli->out, "step 5: control measures, %s..2020-02-13, clock moving through each day\n", FIRST_DAY);
    e = eg_control_team_propose(s, NULL, t, &proposed, &short_roles, &d);
    if (!e)
        e = eg_control_team_confirm(s, NULL, "drill:township", t + 30, &confirmed, &d);
    if (e)
        return ctl_fail(cli, e, &d, "drill step 5");
    fprintf(cli->out, "  teams (四人一专班): %ld members proposed from the staff of each division, %ld confirmed; "
            "%ld roles without staff\n", proposed, confirmed, short_roles);
    r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r)
        return EG_EX_SOFTWARE;
    gsl_rng_set(r, seed * 7919 + 5);
    int rc = EG_EX_OK;
    for (int i = 0; rc == EG_EX_OK && i < N_DAYS; i++) {
        cli->clock.fixed = 1;
        eg_time_from_parts(first + i, 23, 59, &cli->clock.now);
        rc = run_day(cli, s, &p, r, first + i);
    }
    gsl_rng_free(r);
    return rc;
}
