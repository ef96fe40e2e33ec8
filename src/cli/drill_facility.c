/*
 * cli/drill_facility.c: the facilities, checkpoints and daily report of the
 * main job (spec/main-job.md, steps 5-6). After the control measures of
 * each drill day (cmd_drill_daily.c), this replays the same days for the
 * places and checkpoints, in time order: the bundled illustrative
 * facilities and checkpoints of Tonghua are loaded (data/drill/: 44
 * checkpoints, 28 isolation sites, 10 fever clinics at "5+5", 10
 * designated hospitals at "20+10"; names marked 示例), then each day
 * 2020-02-01..2020-02-13: standby places opened at 09:00 where an alert
 * asked for it, hourly logs at every checkpoint with one record per fever
 * and the clinic's outcome a few hours later (a few never come: 逢热必检
 * alerts), the day's transitions followed into places (admissions to
 * isolation sites, suspected cases to fever clinics), the sweep and the
 * day's report stored as version 1. Then the city's report of 2020-02-13
 * is printed with its counties. Deterministic for a seed (GSL MT19937).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include "epigrid/array.h"
#include "cmd_control.h"
#include "epigrid/checkpoint.h"
#include "epigrid/report.h"

#define FIRST_DAY "2020-02-01"
#define N_DAYS 13
#define BUNDLED_FACILITIES "drill/facilities.csv"
#define BUNDLED_CHECKPOINTS "drill/checkpoints.csv"
#define P_FEVER 0.0004         /* a check of 37.3 °C or more */
#define P_NO_OUTCOME 0.05      /* a referral whose outcome never comes */

/* Mean checks an hour by kind, in the busy hours (07:00-21:59); 30 % at night. */
static double hourly_mean(const char *kind, int hour)
{
    double m = strcmp(kind, "railway_station") == 0 ? 95 : strcmp(kind, "bus_station") == 0 ? 48
             : strcmp(kind, "road") == 0 ? 36 : strcmp(kind, "community_gate") == 0 ? 18 : 14;
    return hour >= 7 && hour <= 21 ? m : 0.3 * m;
}

/* Checkpoints, copied. */
typedef struct cp_list {
    eg_checkpoint *v;
    size_t n, cap;
} cp_list;

static eg_err take_cp(void *ctx, const eg_checkpoint *c)
{
    cp_list *l = ctx;
    if (l->n == l->cap &&
        eg_array_grow(&l->v, l->n, &l->cap, sizeof *l->v))
        return EG_ERR_NOMEM;
    l->v[l->n++] = *c;
    return EG_OK;
}

/* A fever waiting for its outcome. */
typedef struct pending {
    char fid[EG_FAC_OID_BUFSZ];
    eg_time at;
    const char *outcome;
} pending;

/* Standby alerts to act on. */
typedef struct id_list {
    char (*v)[EG_FAC_ID_BUFSZ];
    size_t n, cap;
} id_list;

static eg_err take_standby(void *ctx, const eg_fac_alert *a)
{
    id_list *l = ctx;
    if (strcmp(a->kind, "standby_threshold"))
        return EG_OK;
    if (l->n == l->cap &&
        eg_array_grow(&l->v, l->n, &l->cap, sizeof *l->v))
        return EG_ERR_NOMEM;
    snprintf(l->v[l->n++], EG_FAC_ID_BUFSZ, "%s", a->subject);
    return EG_OK;
}

/* Counts of one day. */
typedef struct day_counts {
    long checks, fevers, outcomes, standby_opened;
} day_counts;

/* Logs and fevers of one day at every checkpoint (one transaction), the
 * outcomes to record appended to *out. */
static eg_err day_checks(eg_store *s, const eg_juris *j, const eg_facility_params *fp, gsl_rng *r,
                         const cp_list *cps, eg_date day, pending **out, size_t *nout, day_counts *c, eg_diag *d)
{
    static const char *const OUTCOMES[] = { "normal", "other_illness", "suspected" };
    eg_time midnight;
    eg_store_tx tx;
    eg_err e = eg_store_tx_begin(s, &tx);
    eg_time_from_parts(day, 0, 0, &midnight);
    if (e)
        return e;
    for (size_t i = 0; !e && i < cps->n; i++) {
        const eg_checkpoint *cp = &cps->v[i];
        for (int h = 0; !e && h < 24; h++) {
            eg_time hour = midnight + h * 60;
            long checked = (long)gsl_ran_poisson(r, hourly_mean(cp->kind, h));
            long fevers;
            if (cp->max_checks_per_hour > 0 && checked > cp->max_checks_per_hour)
                checked = cp->max_checks_per_hour;
            fevers = (long)gsl_ran_binomial(r, P_FEVER, (unsigned)checked);
            e = eg_checkpoint_log(s, cp->checkpoint_id, hour, checked, fevers, hour + 60, NULL, d);
            c->checks += checked;
            c->fevers += fevers;
            for (long k = 0; !e && k < fevers; k++) {
                eg_time at = hour + (eg_time)gsl_rng_uniform_int(r, 60);
                int dc = 373 + (int)gsl_rng_uniform_int(r, 18);
                double u = gsl_rng_uniform(r);
                eg_fever f;
                int dup = 0;
                e = eg_checkpoint_fever(s, j, fp, cp->checkpoint_id, at, dc, "", "", "", "通化市内（示例）", at + 1,
                                        &f, &dup, d);
                if (e || dup || gsl_rng_uniform(r) < P_NO_OUTCOME)
                    continue;
                pending *p = realloc(*out, (*nout + 1) * sizeof **out);
                if (!p)
                    return eg_store_tx_end(&tx, EG_ERR_NOMEM);
                *out = p;
                snprintf(p[*nout].fid, sizeof p[*nout].fid, "%s", f.fid);
                p[*nout].at = at + 30 + (eg_time)gsl_rng_uniform_int(r, 270);
                p[*nout].outcome = OUTCOMES[u < 0.85 ? 0 : u < 0.98 ? 1 : 2];
                (*nout)++;
            }
        }
    }
    return eg_store_tx_end(&tx, e);
}

/* See cli.h. */
int eg_cli_drill_facilities(eg_cli *cli, eg_store *s, unsigned long seed)
{
    eg_facility_params fp;
    eg_juris *j = NULL;
    cp_list cps = { 0 };
    pending *todo = NULL;
    size_t ntodo = 0;
    char path[4096], rej[4200], b[EG_DATE_BUFSZ];
    eg_date first;
    eg_diag d;
    eg_err e;
    gsl_rng *r;
    int rc;
    eg_diag_clear(&d);
    eg_date_parse(FIRST_DAY, &first);
    fprintf(cli->out, "step 5 (facilities and checkpoints): Tonghua's checkpoints and facilities (illustrative "
            "names, data/drill/), each day %s..2020-02-13\n", FIRST_DAY);
    /* loaded on the drill's set-up clock, before the first day */
    eg_clock_init(&cli->clock, "2020-01-31 08:00", NULL);
    snprintf(rej, sizeof rej, "%s.facilities.rejects.csv", cli->db_path);
    rc = eg_cli_import_file(cli, s, "facilities", eg_cli_data_path(BUNDLED_FACILITIES, path, sizeof path), rej, 1, 1);
    snprintf(rej, sizeof rej, "%s.checkpoints.rejects.csv", cli->db_path);
    if (rc == EG_EX_OK)
        rc = eg_cli_import_file(cli, s, "checkpoints", eg_cli_data_path(BUNDLED_CHECKPOINTS, path, sizeof path),
                                rej, 1, 1);
    if (rc != EG_EX_OK)
        return rc;
    e = eg_facility_params_load(s, &fp, &d);
    if (!e)
        e = eg_juris_load(s, &j);
    if (!e)
        e = eg_store_checkpoint_each(s, NULL, take_cp, &cps);
    if (e) {
        eg_juris_free(j);
        free(cps.v);
        return ctl_fail(cli, e, &d, "drill step 5");
    }
    r = gsl_rng_alloc(gsl_rng_mt19937);
    if (!r) {
        eg_juris_free(j);
        free(cps.v);
        return EG_EX_SOFTWARE;
    }
    gsl_rng_set(r, seed * 104729 + 11);
    for (int i = 0; !e && i < N_DAYS; i++) {
        eg_date day = first + i;
        eg_time midnight, end;
        eg_facility_sweep sw;
        day_counts c = { 0 };
        id_list standby = { 0 };
        int version = 0;
        eg_report *rep = NULL;
        eg_time_from_parts(day, 0, 0, &midnight);
        end = midnight + 23 * 60 + 59;
        /* 09:00: standby places opened where the threshold alert asked for it */
        e = eg_store_fac_alert_each(s, NULL, "open", take_standby, &standby);
        for (size_t k = 0; !e && k < standby.n; k++) {
            e = eg_facility_open_standby(s, standby.v[k], "drill:headquarters", midnight + 9 * 60, &d);
            c.standby_opened += !e;
            if (e == EG_ERR_STATE)
                e = EG_OK;
        }
        free(standby.v);
        /* checkpoints through the day, then the clinics' outcomes */
        if (!e)
            e = day_checks(s, j, &fp, r, &cps, day, &todo, &ntodo, &c, &d);
        for (size_t k = 0; !e && k < ntodo; k++) {
            e = eg_checkpoint_outcome(s, todo[k].fid, todo[k].outcome, "drill:clinician", todo[k].at, &d);
            c.outcomes += !e;
        }
        ntodo = 0;
        /* 23:59: places follow the day's transitions; alerts; the report stored as version 1 */
        if (!e)
            e = eg_facility_sweep_run(s, j, &fp, end, &sw, &d);
        if (!e)
            e = eg_report_compute(s, j, day, end, &rep, &d);
        if (!e)
            e = eg_report_store(s, rep, "drill:daily", "daily run", end, &version, &d);
        eg_report_free(rep);
        if (!e)
            fprintf(cli->out, "  %s: checkpoints %ld checks, %ld fevers, %ld clinic outcomes; places %ld taken, %ld "
                    "left, %ld without a free place, %ld standby opened; alerts: %ld waits over %d h, %ld fevers "
                    "without outcome, %ld standby, %ld county full, %ld resolved; report version %d stored\n",
                    eg_date_format(day, b), c.checks, c.fevers, c.outcomes, sw.placed, sw.closed, sw.unplaced,
                    c.standby_opened, sw.overdue_alerts, fp.admission_overdue_hours, sw.referral_alerts,
                    sw.standby_alerts, sw.county_full_alerts, sw.resolved, version);
        fflush(cli->out);
    }
    gsl_rng_free(r);
    free(todo);
    free(cps.v);
    if (e) {
        eg_juris_free(j);
        return ctl_fail(cli, e, &d, "drill step 5");
    }
    /* step 6: the city's report of the last day, with its counties */
    {
        eg_report *rep = NULL;
        const eg_juris_node *city = eg_juris_find(j, "2205");
        eg_format f = cli->format;
        eg_clock_init(&cli->clock, "2020-02-13 23:59", NULL);
        fprintf(cli->out, "step 6: report: the city's daily report (日报) of 2020-02-13, with its counties\n");
        e = city ? eg_report_get(s, j, first + N_DAYS - 1, 0, eg_clock_now(&cli->clock), &rep, &d) : EG_ERR_NOT_FOUND;
        cli->format = EG_FMT_TABLE;
        rc = e ? ctl_fail(cli, e, &d, "drill step 6") : eg_cli_report_print(cli, rep, city);
        cli->format = f;
        eg_report_free(rep);
    }
    eg_juris_free(j);
    return rc;
}
