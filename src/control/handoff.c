/*
 * control/handoff.c: what control does with a decision of screening
 * (epigrid/screening_db.h hands one per person found; spec/screening.md,
 * "The order for each person"). Control owns the order: it opens a new
 * one, reopens an ended one, upgrades or moves a running one, adds the
 * evidence and the verification task, and records each change in the
 * order's history as every other transition of control/order.c does.
 */
#include "internal.h"

/* Strength of a measure: a decision upgrades an order only to a stronger
 * measure (central isolation outranks home quarantine; cases and
 * observation after discharge outrank both). */
static int measure_rank(const char *m)
{
    if (strcmp(m, "home_quarantine") == 0)
        return 1;
    if (strcmp(m, "central_isolation") == 0)
        return 2;
    return 3;
}

/* Merge the ';'-separated rule lists `a` and `b` into out (size bytes):
 * their union, each rule once, in byte order ("R1;R2"). */
static void rules_union(const char *a, const char *b, char *out, size_t size)
{
    char words[8][16];
    size_t n = 0;
    const char *lists[2] = { a, b };
    for (int k = 0; k < 2; k++)
        for (const char *p = lists[k]; p && *p;) {
            size_t w = strcspn(p, ";");
            if (w > 0 && w < sizeof words[0] && n < sizeof words / sizeof words[0]) {
                char word[16];
                size_t i = 0;
                memcpy(word, p, w);
                word[w] = '\0';
                while (i < n && strcmp(words[i], word) < 0)
                    i++;
                if (i == n || strcmp(words[i], word) != 0) {
                    memmove(words[i + 1], words[i], (n - i) * sizeof words[0]);
                    memcpy(words[i], word, w + 1);
                    n++;
                }
            }
            p += w + (p[w] == ';');
        }
    out[0] = '\0';
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s", i ? ";" : "", words[i]);
    }
}

/* Add the decision's evidence (legs, case trips) to order `id`. */
static eg_err add_evidence(eg_store *s, int64_t id, const eg_control_decision *dc)
{
    eg_err e = EG_OK;
    for (size_t i = 0; !e && i < dc->nlegs; i++)
        e = eg_store_evidence_add(s, "order", id, "leg", dc->legs[i], NULL);
    for (size_t i = 0; !e && i < dc->ncases; i++)
        e = eg_store_evidence_add(s, "order", id, "case_trip", dc->case_ids[dc->cases[i]], NULL);
    return e;
}

/* A verification task for order `o` in its division, due at dc->task_due. */
static eg_err add_task(eg_store *s, const eg_ctl_order *o, const eg_control_decision *dc)
{
    eg_ctl_task t;
    memset(&t, 0, sizeof t);
    CTL_COPY(t.kind, "verification");
    t.order_id = o->id;
    CTL_COPY(t.juris_code, o->juris_code);
    CTL_COPY(t.state, "open");
    t.created_at = dc->now;
    t.due_at = dc->task_due;
    return eg_store_ctl_task_add(s, &t, NULL);
}

/* Set the decision's measure, state, period, rules and division into o. */
static void take_decision(eg_ctl_order *o, const eg_control_decision *dc)
{
    CTL_COPY(o->measure, dc->measure);
    CTL_COPY(o->state, ctl_initial_state(dc->measure));
    o->start_date = dc->start;
    o->end_date = dc->end;
    CTL_COPY(o->rules, dc->rules);
    CTL_COPY(o->juris_code, dc->juris_code);
}

/* A new order for the decision, its history event and its task. */
static eg_err open_order(eg_store *s, const eg_control_decision *dc, eg_control_decided *out)
{
    eg_ctl_order o;
    eg_err e;
    memset(&o, 0, sizeof o);
    CTL_COPY(o.id_no, dc->id_no);
    CTL_COPY(o.name, dc->name);
    take_decision(&o, dc);
    o.created_at = o.updated_at = dc->now;
    o.prior_start = o.prior_end = o.not_before = EG_NO_DATE;
    out->opened = 1;
    if ((e = eg_store_ctl_order_insert(s, &o)) || (e = add_task(s, &o, dc)))
        return e;
    out->order_id = o.id;
    out->task_added = 1;
    return ctl_event(s, NULL, &o, "open", dc->actor, dc->now, dc->reason);
}

/* See epigrid/control.h. */
eg_err eg_control_screened(eg_store *s, const eg_control_decision *dc, eg_control_decided *out)
{
    eg_ctl_order o, n;
    char rules[sizeof o.rules];
    const char *action;
    int64_t last;
    /* the person's running order, else the latest (as ctl_order_get chooses,
     * in two index probes without a sort: this runs once per result) */
    eg_err e = eg_store_ctl_order_running(s, dc->id_no, eg_control_running(), &o);
    if (e == EG_ERR_NOT_FOUND && !(e = eg_store_order_last_id(s, dc->id_no, &last)))
        e = eg_store_ctl_order_by_id(s, last, &o);
    memset(out, 0, sizeof *out);
    if (e == EG_ERR_NOT_FOUND)
        return (e = open_order(s, dc, out)) ? e : add_evidence(s, out->order_id, dc);
    if (e)
        return e;
    out->order_id = o.id;
    n = o;
    n.updated_at = dc->now;
    if (!n.name[0])
        CTL_COPY(n.name, dc->name);
    if (o.end_date <= dc->as_of || !eg_control_is_running(o.state)) {
        /* ended: only an exposure on or after its end reopens it */
        if (dc->start >= o.end_date) {
            take_decision(&n, dc);
            out->reopened = out->changed = 1;
            if ((e = add_task(s, &n, dc)))
                return e;
            out->task_added = 1;
        }
        action = "reopen";
    } else {
        if (measure_rank(dc->measure) > measure_rank(o.measure)) {
            CTL_COPY(n.measure, dc->measure);
            CTL_COPY(n.state, ctl_initial_state(dc->measure));
            out->upgraded = out->changed = 1;
        }
        if (dc->start > o.start_date) {
            n.start_date = dc->start;
            n.end_date = dc->end;
            out->moved = out->changed = 1;
        }
        rules_union(o.rules, dc->rules, rules, sizeof rules);
        if (strcmp(rules, o.rules) != 0) {
            CTL_COPY(n.rules, rules);
            out->changed = 1;
        }
        action = out->upgraded ? "upgrade" : "expose";
    }
    if (out->changed && ((e = eg_store_ctl_order_save(s, &n)) ||
                         (e = ctl_event(s, &o, &n, action, dc->actor, dc->now, dc->reason))))
        return e;
    return add_evidence(s, o.id, dc);
}
