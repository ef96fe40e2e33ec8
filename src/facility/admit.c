/*
 * facility/admit.c: admission and discharge. Admitting a person awaiting
 * central isolation makes the order's transition (awaiting_admission →
 * active, history event "admit") and the stay in one transaction, so the
 * measure and the place always agree; a suspected or confirmed case gets a
 * fever-clinic room or a hospital bed, closing an earlier stay (a
 * transfer). A full facility, a facility of the wrong kind, a person
 * without a running order or not there are refused with their reason.
 */
#include "internal.h"

/* See internal.h. */
eg_err fac_place(eg_store *s, const eg_facility_params *p, const fac_person *who, const eg_facility *f,
                 eg_time at, const char *actor, eg_admission *out, int *transferred, int *standby_alert,
                 eg_diag *d)
{
    eg_admission a, old;
    int cap = eg_facility_capacity(f);
    eg_err e;
    if (transferred)
        *transferred = 0;
    if (f->occupied >= cap) {
        int left = eg_facility_standby_left(f);
        if (left > 0)
            return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "facility", "%s %s is full: all %d places in use are "
                               "occupied; its %d standby places are not opened (epigrid facility standby %s "
                               "--open)", f->facility_id, f->name, cap, left, f->facility_id);
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "facility", "%s %s is full: all %d places are occupied",
                           f->facility_id, f->name, cap);
    }
    e = eg_store_admission_open(s, who->order_id, &old);
    if (e && e != EG_ERR_NOT_FOUND)
        return e;
    if (!e) {
        char why[EG_FAC_TEXT_BUFSZ];
        snprintf(why, sizeof why, "transferred to %s (%s)", f->facility_id, f->kind);
        if ((e = eg_store_admission_close(s, old.id, at, why)))
            return e;
        if (transferred)
            *transferred = 1;
    }
    memset(&a, 0, sizeof a);
    FAC_COPY(a.facility_id, f->facility_id);
    FAC_COPY(a.kind, f->kind);
    a.order_id = who->order_id;
    FAC_COPY(a.id_no, who->id_no);
    FAC_COPY(a.name, who->name);
    FAC_COPY(a.juris_code, who->juris_code);
    a.wait_since = who->wait_since;
    a.admitted_at = at;
    a.waited_min = a.wait_since && at > a.wait_since ? (long)(at - a.wait_since) : 0;
    FAC_COPY(a.actor, actor);
    if ((e = eg_store_admission_add(s, &a, &a.id)))
        return e;
    if ((e = fac_check_threshold(s, p, f->facility_id, at, standby_alert)))
        return e;
    if (out)
        *out = a;
    return EG_OK;
}

/* The person's running order: by opaque id, else by id_no. */
static eg_err running_order(eg_store *s, const char *oid, eg_ctl_order *o, eg_diag *d)
{
    eg_err e;
    if (!oid || !*oid)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "person", "an order id or identity number is required");
    e = eg_store_ctl_order_get(s, oid, o);
    if (!e && eg_control_is_running(o->state))
        return EG_OK;
    if (e && e != EG_ERR_NOT_FOUND)
        return e;
    e = eg_store_ctl_order_running(s, !e ? o->id_no : oid, o);
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "person", "'%s' has no running control order", oid);
    return e;
}

/* 1 if `kind` is among `kinds`. */
static int kind_in(const char *kind, const char *const *kinds)
{
    return kinds && fac_one_of(kind, kinds);
}

/* See epigrid/facility.h. */
eg_err eg_facility_admit(eg_store *s, const eg_juris *tree, const eg_facility_params *p, const char *oid,
                         const char *facility_id, const char *actor, eg_time now, eg_admit_result *out,
                         eg_diag *d)
{
    eg_ctl_order o, n;
    eg_admission cur;
    eg_facility f;
    eg_admit_result r;
    const char *const *kinds;
    int has_stay, county_full = 0;
    fac_person who;
    eg_store_tx tx;
    eg_err e;
    memset(&r, 0, sizeof r);
    if (!actor || !*actor)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "actor", "who admits must be given");
    if ((e = running_order(s, oid, &o, d)))
        return e;
    kinds = eg_facility_kinds_for(&o);
    if (!kinds)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "state", "admission refused: the order is %s/%s, which "
                           "needs no place in a facility", o.measure, o.state);
    e = eg_store_admission_open(s, o.id, &cur);
    if (e && e != EG_ERR_NOT_FOUND)
        return e;
    has_stay = e == EG_OK;
    if (has_stay && kind_in(cur.kind, kinds) && (!facility_id || !*facility_id ||
                                                 strcmp(facility_id, cur.facility_id) == 0)) {
        char b[EG_TIME_BUFSZ];
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "facility", "admission refused: %s is in %s (%s) since %s "
                           "already", o.id_no, cur.facility_id, cur.kind, eg_time_format(cur.admitted_at, b));
    }
    if (facility_id && *facility_id) {
        e = eg_store_facility_get(s, facility_id, &f);
        if (e == EG_ERR_NOT_FOUND)
            return eg_diag_set(d, e, NULL, 0, "facility", "no facility '%s'", facility_id);
        if (e)
            return e;
        if (!kind_in(f.kind, kinds))
            return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "facility", "admission refused: %s is a %s; a %s/%s "
                               "order is admitted to a %s%s%s", f.facility_id, f.kind, o.measure, o.state,
                               kinds[0], kinds[1] ? " or a " : "", kinds[1] ? kinds[1] : "");
    } else if ((e = eg_facility_allocate(s, tree, kinds, o.juris_code, &f, &county_full, d))) {
        return e;
    }
    memset(&who, 0, sizeof who);
    who.order_id = o.id;
    who.id_no = o.id_no;
    who.name = o.name;
    who.juris_code = o.juris_code;
    if (strcmp(o.state, FAC_AWAITING) == 0 && (e = eg_store_wait_since(s, o.id, FAC_AWAITING, &who.wait_since)))
        return e;
    if ((e = eg_store_tx_begin(s, &tx)))
        return eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    e = fac_place(s, p, &who, &f, now, actor, &r.admission, &r.transferred, &r.standby_alert, d);
    if (!e && strcmp(o.state, FAC_AWAITING) == 0) {
        eg_ctl_event ev;
        n = o;
        FAC_COPY(n.state, "active");
        n.admitted_at = now;
        n.updated_at = now;
        memset(&ev, 0, sizeof ev);
        ev.order_id = o.id;
        ev.at = now;
        FAC_COPY(ev.actor, actor);
        FAC_COPY(ev.action, "admit");
        FAC_COPY(ev.from_measure, o.measure);
        FAC_COPY(ev.from_state, o.state);
        FAC_COPY(ev.to_measure, n.measure);
        FAC_COPY(ev.to_state, n.state);
        snprintf(ev.reason, sizeof ev.reason, "admitted to %s %s (%s) after %ld h %02ld min awaiting admission",
                 f.facility_id, f.name, f.kind, r.admission.waited_min / 60, r.admission.waited_min % 60);
        e = eg_store_ctl_order_save(s, &n);
        if (!e)
            e = eg_store_ctl_event_add(s, &ev);
        r.transitioned = !e;
    }
    if (!e && county_full)
        e = fac_county_full(s, tree, p, o.juris_code, kinds, now, &r.county_full_alert);
    if ((e = eg_store_tx_end(&tx, e))) {
        if (e == EG_ERR_DB)
            eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
        return e;
    }
    if (out)
        *out = r;
    return EG_OK;
}

/* See epigrid/facility.h. */
eg_err eg_facility_discharge(eg_store *s, const char *oid, const char *reason, const char *actor, eg_time now,
                             eg_admission *out, eg_diag *d)
{
    eg_ctl_order o;
    eg_admission a;
    char why[EG_FAC_TEXT_BUFSZ];
    eg_store_tx tx;
    eg_err e;
    if (!oid || !*oid)
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "person", "an order id or identity number is required");
    e = eg_store_ctl_order_get(s, oid, &o);
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "person", "'%s' has no control order: not admitted to any facility",
                           oid);
    if (e)
        return e;
    e = eg_store_admission_open(s, o.id, &a);
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "person", "discharge refused: %s is not admitted to any facility",
                           o.id_no);
    if (e)
        return e;
    if (eg_control_is_running(o.state) && kind_in(a.kind, eg_facility_kinds_for(&o)))
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "state", "discharge refused: the order is %s/%s and still "
                           "needs a place in a %s; end or change the measure first (epigrid control), or admit "
                           "to another facility to transfer", o.measure, o.state, a.kind);
    snprintf(why, sizeof why, "%s%s(%s)", reason && *reason ? reason : "discharged", " ", actor ? actor : "");
    if ((e = eg_store_tx_begin(s, &tx)))
        return e;
    e = eg_store_admission_close(s, a.id, now, why);
    if ((e = eg_store_tx_end(&tx, e))) {
        eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
        return e;
    }
    a.discharged_at = now;
    FAC_COPY(a.discharge_reason, why);
    if (out)
        *out = a;
    return EG_OK;
}

/* See epigrid/facility.h. */
eg_err eg_facility_open_standby(eg_store *s, const char *facility_id, const char *actor, eg_time now, eg_diag *d)
{
    eg_facility f;
    char dedup[96], b[EG_TIME_BUFSZ];
    eg_store_tx tx;
    eg_err e = eg_store_facility_get(s, facility_id ? facility_id : "", &f);
    (void)actor;
    if (e == EG_ERR_NOT_FOUND)
        return eg_diag_set(d, e, NULL, 0, "facility", "no facility '%s'", facility_id ? facility_id : "");
    if (e)
        return e;
    if (f.standby_opened_at)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "facility", "the standby places of %s were opened at %s "
                           "already", f.facility_id, eg_time_format(f.standby_opened_at, b));
    if (f.places_standby == 0)
        return eg_diag_set(d, EG_ERR_STATE, NULL, 0, "facility", "%s has no standby places", f.facility_id);
    snprintf(dedup, sizeof dedup, "standby:%s", f.facility_id);
    if ((e = eg_store_tx_begin(s, &tx)))
        return e;
    e = eg_store_facility_open_standby(s, f.facility_id, now);
    if (!e)
        e = fac_alert_resolve(s, dedup, now, NULL);
    if ((e = eg_store_tx_end(&tx, e)))
        eg_diag_set(d, e, NULL, 0, NULL, "%s", eg_store_errmsg(s));
    return e;
}
