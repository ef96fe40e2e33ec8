/*
 * facility/follow.c: places follow the orders, and the module's part of
 * the daily run.
 *
 * Transitions made outside eg_facility_admit (a case confirmed by a
 * clinician, an order released by the daily run, a transition through the
 * control command or the API) are followed in their order: an order that
 * needs a place gets one by allocation at the transition's moment, an
 * order that needs none leaves its place. The sweep then raises the
 * alerts whose deadline has passed (a wait for admission past the limit,
 * a fever without a clinic outcome) and resolves those whose cause is gone.
 */
#include <stdlib.h>
#include "epigrid/array.h"
#include "internal.h"

/* Setting: the moment up to which transitions have been followed. */
#define FOLLOWED_KEY "facility.followed_to"

/* One transition, copied (the store is written while they are applied). */
typedef struct ev_copy {
    int64_t order_id;
    eg_time at;
    char action[EG_FAC_WORD_BUFSZ], to_measure[EG_FAC_WORD_BUFSZ], to_state[EG_FAC_WORD_BUFSZ];
    char id_no[40], name[EG_FAC_NAME_BUFSZ], juris_code[EG_CODE_BUFSZ];
} ev_copy;

typedef struct ev_list {
    ev_copy *v;
    size_t n, cap;
} ev_list;

static eg_err take_event(void *ctx, const eg_ctl_event *e, const char *oid, const char *id_no, const char *name,
                         const char *juris_code)
{
    ev_list *l = ctx;
    if (l->n == l->cap &&
        eg_array_grow(&l->v, l->n, &l->cap, sizeof *l->v))
        return EG_ERR_NOMEM;
    ev_copy *c = &l->v[l->n++];
    c->order_id = e->order_id;
    c->at = e->at;
    FAC_COPY(c->action, e->action);
    FAC_COPY(c->to_measure, e->to_measure);
    FAC_COPY(c->to_state, e->to_state);
    (void)oid;
    FAC_COPY(c->id_no, id_no);
    FAC_COPY(c->name, name);
    FAC_COPY(c->juris_code, juris_code);
    return EG_OK;
}

/* Apply one transition to the places. */
static eg_err follow_one(eg_store *s, const eg_juris *tree, const eg_facility_params *p, const ev_copy *ev,
                         eg_facility_sweep *out)
{
    const char *const *kinds = fac_kinds_for(ev->to_measure, ev->to_state);
    eg_admission cur;
    eg_facility f;
    fac_person who;
    char why[EG_FAC_TEXT_BUFSZ];
    int county_full = 0, raised = 0;
    eg_diag d;
    eg_err e = eg_store_admission_open(s, ev->order_id, &cur);
    if (e && e != EG_ERR_NOT_FOUND)
        return e;
    if (e == EG_OK && cur.admitted_at > ev->at)
        return EG_OK;   /* a later stay governs: this transition was followed already */
    if (!kinds || strcmp(ev->to_state, FAC_AWAITING) == 0) {
        /* no place needed (awaiting: not admitted yet) */
        if (e == EG_ERR_NOT_FOUND || (kinds && fac_one_of(cur.kind, kinds)))
            return EG_OK;
        snprintf(why, sizeof why, "order %s: %s/%s", ev->action, ev->to_measure, ev->to_state);
        if ((e = eg_store_admission_close(s, cur.id, ev->at, why)))
            return e;
        out->closed++;
        return EG_OK;
    }
    if (e == EG_OK && fac_one_of(cur.kind, kinds))
        return EG_OK;   /* admitted through eg_facility_admit, or already followed */
    e = eg_store_admission_latest(s, ev->order_id, &cur);
    if (e && e != EG_ERR_NOT_FOUND)
        return e;
    if (!e && cur.admitted_at >= ev->at)
        return EG_OK;   /* a stay began at or after this transition: followed already */
    eg_diag_clear(&d);
    e = eg_facility_allocate(s, tree, kinds, ev->juris_code, &f, &county_full, &d);
    if (!e || e == EG_ERR_NOT_FOUND) {
        eg_err e2 = county_full ? fac_county_full(s, tree, p, ev->juris_code, kinds, ev->at, &raised) : EG_OK;
        out->county_full_alerts += raised;
        if (e2)
            return e2;
    }
    if (e == EG_ERR_NOT_FOUND) {
        out->unplaced++;
        return EG_OK;
    }
    if (e)
        return e;
    memset(&who, 0, sizeof who);
    who.order_id = ev->order_id;
    who.id_no = ev->id_no;
    who.name = ev->name;
    who.juris_code = ev->juris_code;
    if (strcmp(ev->action, "admit") == 0 && (e = eg_store_wait_since(s, ev->order_id, FAC_AWAITING, &who.wait_since)))
        return e;
    e = fac_place(s, p, &who, &f, ev->at, "follow", NULL, NULL, &raised, &d);
    if (e == EG_ERR_STATE) {   /* full meanwhile */
        out->unplaced++;
        return EG_OK;
    }
    if (e)
        return e;
    out->placed++;
    out->standby_alerts += raised;
    return EG_OK;
}

/* See internal.h. */
eg_err fac_follow(eg_store *s, const eg_juris *tree, const eg_facility_params *p, eg_time from, eg_time to,
                  eg_facility_sweep *out, eg_diag *d)
{
    ev_list l = { 0 };
    eg_err e = eg_store_fac_events(s, from, to, take_event, &l);
    (void)d;
    for (size_t i = 0; !e && i < l.n; i++)
        e = follow_one(s, tree, p, &l.v[i], out);
    free(l.v);
    return e;
}

/* See epigrid/facility.h. */
eg_err eg_facility_follow(eg_store *s, const eg_juris *tree, const eg_facility_params *p, eg_time from,
                          eg_time to, eg_facility_sweep *out, eg_diag *d)
{
    eg_facility_sweep sw;
    eg_store_tx tx;
    eg_err e = eg_store_tx_begin(s, &tx);
    memset(&sw, 0, sizeof sw);
    if (e)
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    e = fac_follow(s, tree, p, from, to, &sw, d);
    if ((e = eg_store_tx_end(&tx, e))) {
        eg_diag_set(d, e, NULL, 0, NULL, "follow: %s", e == EG_ERR_DB ? eg_store_errmsg(s) : eg_strerror(e));
        return e;
    }
    if (out) {
        out->placed += sw.placed;
        out->unplaced += sw.unplaced;
        out->closed += sw.closed;
        out->standby_alerts += sw.standby_alerts;
        out->county_full_alerts += sw.county_full_alerts;
    }
    return EG_OK;
}

/* ---- the sweep ---- */

/* An overdue wait, copied. */
typedef struct wait_copy {
    int64_t order_id;
    char id_no[40], name[EG_FAC_NAME_BUFSZ], juris_code[EG_CODE_BUFSZ];
    eg_time since;
} wait_copy;

typedef struct wait_list {
    wait_copy *v;
    size_t n, cap;
    eg_time limit_before;   /* waits since at or before this are overdue */
} wait_list;

static eg_err take_wait(void *ctx, int64_t order_id, const char *oid, const char *id_no, const char *name,
                        const char *juris_code, eg_time since)
{
    wait_list *l = ctx;
    (void)oid;
    if (since > l->limit_before)
        return EG_OK;
    if (l->n == l->cap &&
        eg_array_grow(&l->v, l->n, &l->cap, sizeof *l->v))
        return EG_ERR_NOMEM;
    wait_copy *w = &l->v[l->n++];
    w->order_id = order_id;
    FAC_COPY(w->id_no, id_no);
    FAC_COPY(w->name, name);
    FAC_COPY(w->juris_code, juris_code);
    w->since = since;
    return EG_OK;
}

/* Fevers and alerts collected for the sweep. */
typedef struct fever_list {
    eg_fever *v;
    size_t n, cap;
} fever_list;

static eg_err take_fever(void *ctx, const eg_fever *f)
{
    fever_list *l = ctx;
    if (l->n == l->cap &&
        eg_array_grow(&l->v, l->n, &l->cap, sizeof *l->v))
        return EG_ERR_NOMEM;
    l->v[l->n++] = *f;
    return EG_OK;
}

typedef struct alert_list {
    eg_fac_alert *v;
    size_t n, cap;
} alert_list;

static eg_err take_alert(void *ctx, const eg_fac_alert *a)
{
    alert_list *l = ctx;
    if (l->n == l->cap &&
        eg_array_grow(&l->v, l->n, &l->cap, sizeof *l->v))
        return EG_ERR_NOMEM;
    l->v[l->n++] = *a;
    return EG_OK;
}

/* Free places of `kind` in the county `county` (by code prefix). */
typedef struct free_count {
    long free_places;
} free_count;

static eg_err count_free(void *ctx, const eg_facility *f)
{
    free_count *c = ctx;
    long k = eg_facility_capacity(f) - f->occupied;
    if (k > 0)
        c->free_places += k;
    return EG_OK;
}

/* Resolve the module's alerts whose cause is gone by `at`. */
static eg_err resolve_gone(eg_store *s, const eg_facility_params *p, eg_time at, long *resolved)
{
    alert_list l = { 0 };
    eg_err e = eg_store_fac_alert_each(s, NULL, FAC_ALERT_OPEN, take_alert, &l);
    for (size_t i = 0; !e && i < l.n; i++) {
        const eg_fac_alert *a = &l.v[i];
        int gone = 0;
        long n = 0;
        if (a->created_at > at)
            continue;
        if (strcmp(a->kind, "standby_threshold") == 0) {
            eg_facility f;
            e = eg_store_facility_get(s, a->subject, &f);
            if (e == EG_ERR_NOT_FOUND) {
                gone = 1;
                e = EG_OK;
            } else if (!e) {
                int cap = eg_facility_capacity(&f);
                gone = eg_facility_standby_left(&f) == 0 || f.occupied * 100 < (long)p->standby_threshold_pct * cap;
            }
        } else if (strcmp(a->kind, "county_full") == 0) {
            char county[EG_FAC_ID_BUFSZ], *slash;
            free_count c = { 0 };
            FAC_COPY(county, a->subject);
            slash = strchr(county, '/');
            if (slash) {
                *slash = 0;
                e = eg_store_facility_each(s, county, slash + 1, count_free, &c);
                gone = !e && c.free_places > 0;
            }
        } else if (strcmp(a->kind, "referral_overdue") == 0) {
            eg_fever f;
            e = eg_store_fever_get(s, a->subject, &f);
            gone = !e && f.outcome[0];
            if (e == EG_ERR_NOT_FOUND)
                gone = 1, e = EG_OK;
        }
        if (!e && gone)
            e = fac_alert_resolve(s, a->dedup, at, &n);
        *resolved += n;
    }
    free(l.v);
    return e;
}

/* See epigrid/facility.h. */
eg_err eg_facility_sweep_run(eg_store *s, const eg_juris *tree, const eg_facility_params *p, eg_time as_at,
                             eg_facility_sweep *out, eg_diag *d)
{
    eg_facility_sweep sw;
    wait_list waits = { .limit_before = as_at - (eg_time)p->admission_overdue_hours * 60 };
    fever_list fevers = { 0 };
    char mark[EG_TIME_BUFSZ + 8];
    eg_time from = 0;
    eg_store_tx tx;
    eg_err e;
    memset(&sw, 0, sizeof sw);
    if ((e = eg_store_tx_begin(s, &tx)))
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    e = eg_store_meta_get(s, FOLLOWED_KEY, mark, sizeof mark);
    if (e == EG_ERR_NOT_FOUND || (!e && eg_time_parse(mark, &from)))
        from = 0, e = EG_OK;
    /* transitions up to and including the moment */
    if (!e && as_at + 1 > from) {
        e = fac_follow(s, tree, p, from, as_at + 1, &sw, d);
        if (!e)
            e = eg_store_meta_set(s, FOLLOWED_KEY, eg_time_format(as_at + 1, mark));
    }
    /* waits for admission past the limit: alerts of the control module (they have an order) */
    if (!e)
        e = eg_store_awaiting_each(s, as_at, FAC_AWAITING, take_wait, &waits);
    for (size_t i = 0; !e && i < waits.n; i++) {
        const wait_copy *w = &waits.v[i];
        eg_ctl_alert a;
        char b[EG_TIME_BUFSZ];
        int created = 0;
        memset(&a, 0, sizeof a);
        FAC_COPY(a.kind, "admission_overdue");
        a.order_id = w->order_id;
        FAC_COPY(a.id_no, w->id_no);
        FAC_COPY(a.name, w->name);
        FAC_COPY(a.juris_code, w->juris_code);
        snprintf(a.reason, sizeof a.reason, "awaiting admission to an isolation site since %s: more than %d h "
                 "(epigrid facility admit %s)", eg_time_format(w->since, b), p->admission_overdue_hours, w->id_no);
        FAC_COPY(a.state, "open");
        snprintf(a.dedup, sizeof a.dedup, "admission:%lld:%lld", (long long)w->order_id, (long long)w->since);
        a.created_at = w->since + (eg_time)p->admission_overdue_hours * 60;
        a.due_at = a.created_at + (eg_time)p->escalate_hours * 60;
        e = eg_store_ctl_alert_add(s, &a, &created);
        sw.overdue_alerts += created;
    }
    /* fevers without an outcome past their due moment */
    if (!e)
        e = eg_store_fever_each(s, NULL, 1, as_at, take_fever, &fevers);
    for (size_t i = 0; !e && i < fevers.n; i++) {
        const eg_fever *f = &fevers.v[i];
        char dedup[96], b[EG_TIME_BUFSZ];
        int created = 0;
        snprintf(dedup, sizeof dedup, "referral:%s", f->fid);
        e = fac_alert_raise(s, p, "referral_overdue", f->juris_code, f->fid, dedup, f->due_at, &created,
                            "fever %d.%d °C at checkpoint %s on %s has no fever-clinic outcome after %d h "
                            "(逢热必检; clinic %s)", f->temp_dc / 10, f->temp_dc % 10, f->checkpoint_id,
                            eg_time_format(f->at, b), p->referral_outcome_hours,
                            f->clinic_id[0] ? f->clinic_id : "none in reach");
        sw.referral_alerts += created;
    }
    if (!e)
        e = resolve_gone(s, p, as_at, &sw.resolved);
    e = eg_store_tx_end(&tx, e);
    free(waits.v);
    free(fevers.v);
    if (e) {
        eg_diag_set(d, e, NULL, 0, NULL, "facility sweep: %s", e == EG_ERR_DB ? eg_store_errmsg(s) : eg_strerror(e));
        return e;
    }
    if (out)
        *out = sw;
    return EG_OK;
}
