/*
 * control/daily.c: the daily run (每日研判): the day evaluated as at its end
 * (23:59 CST) or the clock when earlier. It raises missed-reading alerts
 * for the deadlines passed, ends the orders due (and only those), raises
 * alerts for persons without a full confirmed team, and moves alerts not
 * acknowledged by their deadline one level up the tree. One transaction;
 * running it again for the same moment changes nothing (every alert has a
 * unique cause key, releases only touch running orders, an alert is
 * escalated once).
 */
#include <stdlib.h>
#include "epigrid/array.h"
#include "internal.h"

/* Setting that holds the latest moment whose deadlines were swept. */
#define SWEPT_KEY "daily.last_sweep"

/* Alerts collected for escalation. */
typedef struct due_list {
    eg_ctl_alert *a;
    size_t n, cap;
} due_list;

static eg_err take_due(void *ctx, const eg_ctl_alert *a)
{
    due_list *l = ctx;
    if (l->n == l->cap &&
        eg_array_grow(&l->a, l->n, &l->cap, sizeof *l->a))
        return EG_ERR_NOMEM;
    l->a[l->n++] = *a;
    return EG_OK;
}

/* Team alerts: context of the callback. */
typedef struct team_ctx {
    eg_store *s;
    const eg_control_params *p;
    eg_time at;
    long created;
} team_ctx;

static eg_err team_alert(void *ctx, const eg_ctl_order *o)
{
    team_ctx *t = ctx;
    eg_ctl_alert a;
    int created = 0;
    eg_err e;
    memset(&a, 0, sizeof a);
    CTL_COPY(a.kind, "team_incomplete");
    a.order_id = o->id;
    CTL_COPY(a.id_no, o->id_no);
    CTL_COPY(a.name, o->name);
    CTL_COPY(a.juris_code, o->juris_code);
    snprintf(a.reason, sizeof a.reason, "no full four-person team confirmed for %s/%s (epigrid team propose, "
             "team confirm)", o->measure, o->state);
    CTL_COPY(a.state, "open");
    snprintf(a.dedup, sizeof a.dedup, "team:%lld", (long long)o->id);
    a.created_at = t->at;
    a.due_at = t->at + (eg_time)t->p->escalate_hours * 60;
    e = eg_store_ctl_alert_add(t->s, &a, &created);
    t->created += created;
    return e;
}

/* Missed-reading alerts of the two deadlines of `day` passed by `as_at`
 * and not swept before (`swept`: the latest moment an earlier run
 * covered; 0 for none). */
static eg_err missed_day(eg_store *s, const eg_control_params *p, eg_date day, eg_time swept, eg_time as_at,
                         long *n)
{
    eg_time midnight, morning, evening;
    long k = 0;
    eg_err e;
    eg_time_from_parts(day, 0, 0, &midnight);
    morning = midnight + p->morning_deadline_min;
    evening = midnight + p->evening_deadline_min;
    if (morning <= as_at && morning > swept) {
        if ((e = eg_store_ctl_missed_readings(s, day, "morning", midnight, morning, p->escalate_hours * 60, &k)))
            return e;
        *n += k;
    }
    if (evening <= as_at && evening > swept) {
        if ((e = eg_store_ctl_missed_readings(s, day, "evening", morning, evening, p->escalate_hours * 60, &k)))
            return e;
        *n += k;
    }
    return EG_OK;
}

/* Escalate the alerts due by `as_at` one level up. */
static eg_err escalate(eg_store *s, eg_time as_at, long *n)
{
    due_list l = { 0 };
    eg_err e = eg_store_ctl_alert_due(s, as_at, take_due, &l);
    for (size_t i = 0; !e && i < l.n; i++) {
        char up[EG_CODE_BUFSZ];
        eg_ctl_alert *a = &l.a[i];
        if (eg_code_parent(a->juris_code, up))
            continue;   /* a province-level node has no level above in the tree */
        CTL_COPY(a->escalated_to, up);
        a->escalated_at = a->due_at;
        if (!(e = eg_store_ctl_alert_save(s, a)))
            (*n)++;
    }
    free(l.a);
    return e;
}

/* See epigrid/control.h. */
eg_err eg_control_daily(eg_store *s, const eg_control_params *p, eg_date day, eg_time now, const char *actor,
                        eg_daily_summary *out, eg_diag *d)
{
    eg_daily_summary sum;
    team_ctx tc = { .s = s, .p = p };
    char b1[EG_DATE_BUFSZ], b2[EG_DATE_BUFSZ], text[256];
    eg_time end;
    eg_store_tx tx;
    eg_err e;
    memset(&sum, 0, sizeof sum);
    if (day > eg_time_date(now))
        return eg_diag_set(d, EG_ERR_RANGE, NULL, 0, "date", "%s is after the clock's day %s: the future is not "
                           "run", eg_date_format(day, b1), eg_date_format(eg_time_date(now), b2));
    eg_time_from_parts(day, 23, 59, &end);
    sum.day = day;
    sum.as_at = end < now ? end : now;
    tc.at = sum.as_at;
    if ((e = eg_store_tx_begin(s, &tx)))
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    /* deadlines up to the latest moment an earlier run swept were checked
     * then (a re-check would only find the same causes: alerts are unique) */
    char mark[EG_TIME_BUFSZ + 8];
    eg_time swept = 0;
    e = eg_store_meta_get(s, SWEPT_KEY, mark, sizeof mark);
    if (e == EG_ERR_NOT_FOUND || (!e && eg_time_parse(mark, &swept)))
        swept = 0, e = EG_OK;
    if (!e)
        e = missed_day(s, p, day - 1, swept, sum.as_at, &sum.missed);
    if (!e)
        e = missed_day(s, p, day, swept, sum.as_at, &sum.missed);
    if (!e && sum.as_at > swept)
        e = eg_store_meta_set(s, SWEPT_KEY, eg_time_format(sum.as_at, mark));
    if (!e)
        e = eg_store_ctl_release_due(s, day, sum.as_at, actor, &sum.released);
    if (!e)
        e = eg_store_ctl_order_short_team(s, 4, "confirmed", team_alert, &tc);
    sum.team_alerts = tc.created;
    if (!e)
        e = escalate(s, sum.as_at, &sum.escalated);
    if (!e) {
        int dup = 0;
        snprintf(text, sizeof text, "released %ld, missed %ld, team %ld, escalated %ld", sum.released, sum.missed,
                 sum.team_alerts, sum.escalated);
        e = eg_store_ctl_daily_log(s, day, sum.as_at, text, &dup);
        sum.repeated = dup;
    }
    if ((e = eg_store_tx_end(&tx, e))) {
        eg_diag_set(d, e, NULL, 0, NULL, "daily run: %s", eg_store_errmsg(s));
        return e;
    }
    if (out)
        *out = sum;
    return EG_OK;
}
