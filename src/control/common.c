/*
 * control/common.c: helpers shared by the control-measures services: the
 * history event of a change, order look-up with a readable reason, names
 * of measures, states and actions.
 */
#include "internal.h"

/* See internal.h. */
eg_date ctl_open_end(void)
{
    eg_date d;
    eg_date_from_ymd(EG_CTL_OPEN_END_YMD, &d);
    return d;
}

/* See internal.h. */
eg_err ctl_event(eg_store *s, const eg_ctl_order *before, const eg_ctl_order *after, const char *action,
                 const char *actor, eg_time at, const char *reason)
{
    eg_ctl_event e;
    memset(&e, 0, sizeof e);
    e.order_id = after->id;
    e.at = at;
    CTL_COPY(e.actor, actor);
    CTL_COPY(e.action, action);
    if (before) {
        CTL_COPY(e.from_measure, before->measure);
        CTL_COPY(e.from_state, before->state);
    }
    CTL_COPY(e.to_measure, after->measure);
    CTL_COPY(e.to_state, after->state);
    CTL_COPY(e.reason, reason);
    return eg_store_ctl_event_add(s, &e);
}

/* See internal.h. */
eg_err ctl_find_order(eg_store *s, const char *oid, eg_ctl_order *o, eg_diag *d)
{
    eg_err e;
    if (!oid || !*oid)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "order", "no order given");
    e = eg_control_order_get(s, oid, o);
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "order", "no order '%s' (give an order id or an identity number)",
                           oid);
    if (e)
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    return EG_OK;
}

/* See internal.h. */
int ctl_one_of(const char *s, const char *const *words)
{
    for (; s && *words; words++)
        if (strcmp(s, *words) == 0)
            return 1;
    return 0;
}

/* The running states of an order, the observation measures (those that
 * end on their end date), the unresolved states of an alert and the team
 * roles in order: the one home of these sets (the store's set queries
 * take them as parameters). */
static const eg_ctl_words RUNNING = { { CTL_ACTIVE, CTL_AWAITING } };
static const eg_ctl_words OBSERVATION = { { "home_quarantine", "central_isolation", "post_discharge_observation" } };
static const eg_ctl_words UNRESOLVED = { { CTL_ALERT_OPEN, CTL_ALERT_ACKED } };
static const eg_ctl_words ROLES = { { "township_cadre", "village_cadre", "police", "doctor" } };

/* See epigrid/control.h. */
const eg_ctl_words *eg_control_running(void)
{
    return &RUNNING;
}

/* See epigrid/control.h. */
const eg_ctl_words *eg_control_observation(void)
{
    return &OBSERVATION;
}

/* See epigrid/control.h. */
const eg_ctl_words *eg_control_alert_unresolved(void)
{
    return &UNRESOLVED;
}

/* See epigrid/control.h. */
const eg_ctl_words *eg_control_team_order(void)
{
    return &ROLES;
}

/* See internal.h. */
int ctl_in(const char *s, const eg_ctl_words *w)
{
    for (int k = 0; s && k < EG_CTL_WORDS_MAX && w->w[k]; k++)
        if (strcmp(s, w->w[k]) == 0)
            return 1;
    return 0;
}

/* See epigrid/control.h. */
int eg_control_is_observation(const char *m)
{
    return ctl_in(m, &OBSERVATION);
}

/* See internal.h. */
const char *ctl_initial_state(const char *measure)
{
    return strcmp(measure, "central_isolation") == 0 ? CTL_AWAITING : CTL_ACTIVE;
}

/* See epigrid/control.h. */
int eg_control_is_running(const char *st)
{
    return ctl_in(st, &RUNNING);
}

/* See epigrid/control.h. */
void eg_control_filter_expand(eg_ctl_filter *f)
{
    if (!f || !f->state)
        return;
    if (strcmp(f->state, "running") == 0)
        f->states = &RUNNING;
    else if (strcmp(f->state, "unresolved") == 0)
        f->states = &UNRESOLVED;
    else
        return;
    f->state = "";
}

/* See epigrid/control.h. */
eg_err eg_control_order_get(eg_store *s, const char *oid, eg_ctl_order *out)
{
    return eg_store_ctl_order_get(s, oid, &RUNNING, out);
}

/* See epigrid/control.h. */
const char *eg_control_measure_zh(const char *m)
{
    static const char *const M[][2] = {
        { "home_quarantine", "居家隔离医学观察" }, { "central_isolation", "集中隔离医学观察" },
        { "suspected", "疑似病例" }, { "confirmed", "确诊病例" },
        { "post_discharge_observation", "出院后医学观察" },
    };
    for (size_t i = 0; m && i < sizeof M / sizeof M[0]; i++)
        if (strcmp(m, M[i][0]) == 0)
            return M[i][1];
    return "";
}

static const char *const ACTIONS[] = { "", "admit", "expose", "suspect", "exclude", "confirm", "severity",
                                       "discharge", "release", "upgrade" };

/* See epigrid/control.h. */
const char *eg_control_action_name(eg_control_action a)
{
    return a >= EG_ACT_ADMIT && a <= EG_ACT_UPGRADE ? ACTIONS[a] : "unknown";
}

/* See epigrid/control.h. */
eg_err eg_control_action_parse(const char *s, eg_control_action *out)
{
    for (int i = EG_ACT_ADMIT; i <= EG_ACT_UPGRADE; i++)
        if (s && strcmp(s, ACTIONS[i]) == 0) {
            *out = (eg_control_action)i;
            return EG_OK;
        }
    return EG_ERR_INVALID;
}

/* See epigrid/control.h. */
const char *const *eg_control_team_roles(size_t *n)
{
    *n = 4;
    return ROLES.w;
}

/* See internal.h. */
void ctl_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}
