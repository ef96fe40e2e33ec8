/*
 * control/alert.c: alerts (open → acknowledged → resolved) and the closing
 * of tasks: verification tasks (落地查人: found, not_found,
 * address_corrected, which moves the order and its task) and referrals to
 * a fever clinic (done).
 */
#include "epigrid/juris.h"
#include "internal.h"

/* Load an alert with a readable reason. */
static eg_err find_alert(eg_store *s, const char *aid, eg_ctl_alert *a, eg_diag *d)
{
    eg_err e = eg_store_ctl_alert_get(s, aid ? aid : "", a);
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "alert", "no alert '%s'", aid ? aid : "");
    return e;
}

/* See epigrid/control.h. */
eg_err eg_control_alert_ack(eg_store *s, const char *aid, const char *actor, eg_time now, eg_diag *d)
{
    eg_ctl_alert a;
    eg_err e = find_alert(s, aid, &a, d);
    if (e)
        return e;
    if (strcmp(a.state, "open"))
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "state", "acknowledge refused: the alert is %s already",
                           a.state);
    CTL_COPY(a.state, "acknowledged");
    a.ack_at = now;
    CTL_COPY(a.ack_by, actor);
    return eg_store_ctl_alert_save(s, &a);
}

/* See epigrid/control.h. */
eg_err eg_control_alert_resolve(eg_store *s, const char *aid, const char *actor, eg_time now, const char *note,
                                eg_diag *d)
{
    eg_ctl_alert a;
    eg_err e = find_alert(s, aid, &a, d);
    if (e)
        return e;
    if (strcmp(a.state, "resolved") == 0)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "state", "resolve refused: the alert is resolved already");
    if (a.ack_at == 0) {   /* resolving an open alert acknowledges it too */
        a.ack_at = now;
        CTL_COPY(a.ack_by, actor);
    }
    CTL_COPY(a.state, "resolved");
    a.resolved_at = now;
    CTL_COPY(a.resolved_by, actor);
    if (note && *note) {
        size_t n = strlen(a.reason);
        snprintf(a.reason + n, sizeof a.reason - n, " | resolved: %s", note);
    }
    return eg_store_ctl_alert_save(s, &a);
}

/* See epigrid/control.h. */
eg_err eg_control_task_close(eg_store *s, const char *tid, const char *outcome, const char *new_juris,
                             const char *note, const char *actor, eg_time now, int *late, eg_diag *d)
{
    static const char *const VERIFY[] = { "found", "not_found", "address_corrected", NULL };
    eg_ctl_task t;
    eg_ctl_order o, n;
    char code[EG_CODE_BUFSZ] = "", reason[EG_CTL_TEXT_BUFSZ];
    eg_store_tx tx;
    eg_err e = eg_store_ctl_task_get(s, tid ? tid : "", &t);
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "task", "no task '%s'", tid ? tid : "");
    if (e)
        return e;
    if (strcmp(t.state, "open"))
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "state", "close refused: the task is %s already", t.state);
    if (strcmp(t.kind, "verification") == 0 ? !ctl_one_of(outcome, VERIFY) : !outcome || strcmp(outcome, "done"))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "outcome", "a %s task closes as %s", t.kind,
                           strcmp(t.kind, "verification") == 0 ? "found, not_found or address_corrected" : "done");
    if (strcmp(outcome, "address_corrected") == 0) {
        eg_juris *tree = NULL;
        int known;
        if (!new_juris || eg_code_short(new_juris, code))
            return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "juris", "address_corrected needs the new division "
                               "(--juris CODE)");
        if ((e = eg_juris_load(s, &tree)))
            return e;
        known = eg_juris_find(tree, code) != NULL;
        eg_juris_free(tree);
        if (!known)
            return eg_diag_set(d, EG_ERR_NOT_FOUND, NULL, 0, "juris", "the new division %s is not in the "
                               "jurisdiction tree", code);
    }
    if ((e = eg_store_ctl_order_by_id(s, t.order_id, &o)))
        return e;
    if ((e = eg_store_tx_begin(s, &tx)))
        return e;
    CTL_COPY(t.state, outcome);
    t.closed_at = now;
    CTL_COPY(t.closed_by, actor);
    if (note && *note)
        CTL_COPY(t.note, note);
    if (code[0]) {
        CTL_COPY(t.juris_code, code);
        n = o;
        CTL_COPY(n.juris_code, code);
        n.updated_at = now;
        snprintf(reason, sizeof reason, "address corrected by the verification task: division %s → %s",
                 o.juris_code, code);
        e = eg_store_ctl_order_save(s, &n);
        if (!e)
            e = ctl_event(s, &o, &n, "address_corrected", actor, now, reason);
    }
    if (!e)
        e = eg_store_ctl_task_save(s, &t);
    if ((e = eg_store_tx_end(&tx, e))) {
        eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
        return e;
    }
    if (late)
        *late = now > t.due_at;
    return EG_OK;
}
