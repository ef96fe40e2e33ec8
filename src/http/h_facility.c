/*
 * http/h_facility.c: the facility routes over epigrid/facility.h (the
 * rules live there; this file checks input, scope and role, and hands the
 * change to the writer):
 *   GET  /facilities?juris=              facilities in scope with their places
 *   POST /facilities/{id}/admissions     {order_id | person_id}: admit (clinician of that facility)
 *   POST /admissions/{id}/discharge      {reason}: end a stay (clinician of its facility)
 * A facility outside the user's scope answers 404, as one that does not
 * exist; so does, for a clinician, every facility but the one of their
 * staff row (its `unit` is the facility_id). Admission and discharge run
 * their own transaction (after the writer's batch, alone); each is
 * audited with the person (the clinician sees the patient unmasked).
 * Also the staff row's unit of a user (eg_user_unit), shared with the
 * checkpoint routes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "epigrid/facility.h"
#include "epigrid/store.h"

/* What the staff scan looks for. */
typedef struct unit_find {
    const char *staff_id;
    char *out;
    size_t size;
    int found;
} unit_find;

static eg_err take_unit(void *ctx, const eg_staff_rec *s)
{
    unit_find *u = ctx;
    if (strcmp(s->staff_id, u->staff_id) != 0)
        return EG_OK;
    snprintf(u->out, u->size, "%s", s->unit ? s->unit : "");
    u->found = 1;
    return EG_ERR_EOF;
}

int eg_user_unit(eg_req *r, char *out, size_t size)
{
    unit_find u = { r->user.staff_id, out, size, 0 };
    const eg_juris_node *n = eg_juris_find(r->srv->tree, r->user.juris);
    eg_err e = EG_OK;
    out[0] = 0;
    /* the staff row's division holds the account's: look up the ancestors first (few rows each) */
    for (; n && !u.found && (!e || e == EG_ERR_EOF); n = n->parent)
        e = eg_store_staff_each(r->rd->s, n->code, take_unit, &u);
    if (!u.found && (!e || e == EG_ERR_EOF))
        e = eg_store_staff_each(r->rd->s, NULL, take_unit, &u);
    if (e && e != EG_ERR_EOF) {
        eg_req_error(r, 503, "unavailable", NULL, "cannot read the staff row");
        return -1;
    }
    return 0;
}

/* The actor of records: "user:NAME". */
static const char *actor(eg_req *r, char *buf, size_t size)
{
    snprintf(buf, size, "user:%s", r->user.name);
    return buf;
}

/* 1 if `s` is `n` lower-case hex digits. */
static int is_hex(const char *s, size_t n)
{
    return strlen(s) == n && strspn(s, "0123456789abcdef") == n;
}

/* The facility `id` as the user may see it: 0, or -1 after a 404 (or 503). */
static int find_facility(eg_req *r, const char *id, const char *field, eg_facility *f)
{
    char unit[EG_FAC_ID_BUFSZ];
    eg_err e = strlen(id) < EG_FAC_ID_BUFSZ ? eg_store_facility_get(r->rd->s, id, f) : EG_ERR_NOT_FOUND;
    if (e && e != EG_ERR_NOT_FOUND) {
        eg_req_error(r, 503, "unavailable", NULL, "cannot read the facility");
        return -1;
    }
    if (!e && r->user.role == EG_ROLE_CLINICIAN) {
        if (eg_user_unit(r, unit, sizeof unit))
            return -1;
        if (strcmp(unit, f->facility_id) != 0)
            e = EG_ERR_NOT_FOUND;
    }
    if (e || !eg_scope_contains(&r->user.scope, f->juris_code)) {
        eg_req_error(r, 404, "not_found", field, "no such facility");
        return -1;
    }
    return 0;
}

/* Places open now (in use, plus standby once opened) and free. */
static json_t *facility_json(const eg_server *srv, const eg_facility *f)
{
    int cap = eg_facility_capacity(f);
    long free_places = cap - f->occupied > 0 ? cap - f->occupied : 0;
    return json_pack("{s:s,s:s,s:s,s:o,s:i,s:i,s:b,s:i,s:I,s:I,s:i,s:s,s:b}", "id", f->facility_id, "name",
                     f->name, "kind", f->kind, "juris", eg_json_juris(srv, f->juris_code), "places_in_use",
                     f->places_in_use, "places_standby", f->places_standby, "standby_opened",
                     f->standby_opened_at != 0, "capacity", cap, "occupied", (json_int_t)f->occupied, "free",
                     (json_int_t)free_places, "family_rooms", f->family_rooms, "address", f->address,
                     "synthetic", f->synthetic);
}

/* ---- GET /facilities ---- */

typedef struct fac_list {
    eg_req *r;
    const char *only;     /* a clinician's facility, else NULL */
} fac_list;

static eg_err add_facility(void *ctx, const eg_facility *f)
{
    fac_list *l = ctx;
    if (!eg_scope_contains(&l->r->user.scope, f->juris_code) || (l->only && strcmp(l->only, f->facility_id) != 0))
        return EG_OK;
    json_array_append_new(json_object_get(l->r->resp, "items"), facility_json(l->r->srv, f));
    return EG_OK;
}

void eg_h_facilities_list(eg_req *r)
{
    char juris[EG_CODE_BUFSZ], unit[EG_FAC_ID_BUFSZ];
    fac_list l = { r, NULL };
    eg_err e;
    if (eg_query_code(r, "juris", juris))
        return;
    if (juris[0] && (!eg_scope_contains(&r->user.scope, juris) || !eg_juris_find(r->srv->tree, juris))) {
        eg_req_error(r, 404, "not_found", "juris", "no such division");
        return;
    }
    if (r->user.role == EG_ROLE_CLINICIAN) {
        if (eg_user_unit(r, unit, sizeof unit))
            return;
        l.only = unit;
    }
    eg_req_json(r, 200, json_pack("{s:[]}", "items"));
    /* the scope's subtree is the query's range; subtrees the tree places elsewhere are left out */
    e = eg_store_facility_each(r->rd->s, juris[0] ? juris : r->user.scope.code, NULL, add_facility, &l);
    if (e)
        eg_req_error(r, eg_http_status_of(e), eg_err_name(e), NULL, "cannot list facilities");
}

/* ---- admissions ---- */

typedef struct admit_arg {
    char facility_id[EG_FAC_ID_BUFSZ];
    char who[EG_DOCNO_BUFSZ];     /* order oid or the person's id_no */
    char reason[200];
    int64_t admission_id;
} admit_arg;

/* A stay as JSON (unmasked: the clinician of the facility; audited). */
static json_t *admission_json(const eg_server *srv, const eg_admission *a)
{
    return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:f,s:o,s:s}", "id", (json_int_t)a->id, "facility_id",
                     a->facility_id, "kind", a->kind, "order_id", a->oid, "id_no", a->id_no, "name", a->name,
                     "juris", eg_json_juris(srv, a->juris_code), "wait_since", eg_json_time(a->wait_since),
                     "admitted_at", eg_json_time(a->admitted_at), "waited_hours", a->waited_min / 60.0,
                     "discharged_at", eg_json_time(a->discharged_at), "discharge_reason", a->discharge_reason);
}

static eg_err job_admit(eg_store *w, eg_req *r)
{
    admit_arg *a = r->job_arg;
    eg_facility_params p;
    eg_admit_result res;
    eg_admission back;
    char who[96];
    eg_err e = eg_facility_params_load(w, &p, &r->job_diag);
    if (!e)
        e = eg_facility_admit(w, r->srv->tree, &p, a->who, a->facility_id, actor(r, who, sizeof who), r->now, &res,
                              &r->job_diag);
    if (e)
        return e;
    /* read back: the order's opaque id comes with the row */
    if (eg_store_admission_get(w, res.admission.id, &back) == EG_OK)
        res.admission = back;
    json_object_set_new(r->resp, "admission", admission_json(r->srv, &res.admission));
    json_object_set_new(r->resp, "transitioned", json_boolean(res.transitioned));
    json_object_set_new(r->resp, "transferred", json_boolean(res.transferred));
    json_object_set_new(r->resp, "standby_alert", json_boolean(res.standby_alert));
    json_object_set_new(r->resp, "county_full_alert", json_boolean(res.county_full_alert));
    return EG_OK;
}

/* Take a person's opaque id and document number. */
typedef struct person_ids {
    char pid[24];
    char id_no[EG_DOCNO_BUFSZ];
} person_ids;

static eg_err take_ids(void *ctx, const eg_person_rec *p)
{
    person_ids *ids = ctx;
    snprintf(ids->pid, sizeof ids->pid, "%s", p->pid);
    snprintf(ids->id_no, sizeof ids->id_no, "%s", p->id_no);
    return EG_OK;
}

void eg_h_admission_add(eg_req *r)
{
    static const eg_field F[] = { { "order_id", EG_F_STR, 0, 16 }, { "person_id", EG_F_STR, 0, 16 } };
    const char *oid, *pid;
    person_ids ids;
    eg_facility f;
    admit_arg *a;
    eg_err e;
    if (eg_body_check(r, F, 2) || find_facility(r, r->params[0], "id", &f))
        return;
    oid = eg_body_str(r, "order_id");
    pid = eg_body_str(r, "person_id");
    if (!*oid == !*pid) {
        eg_req_error(r, *oid ? 422 : 400, *oid ? "invalid_value" : "missing_field", "order_id",
                     "give either 'order_id' or 'person_id'");
        return;
    }
    memset(&ids, 0, sizeof ids);
    if (*oid) {
        eg_ctl_order o;
        e = is_hex(oid, 16) ? eg_store_ctl_order_get(r->rd->s, oid, &o) : EG_ERR_NOT_FOUND;
        if (!e && (strcmp(o.oid, oid) != 0 || !eg_scope_contains(&r->user.scope, o.juris_code)))
            e = EG_ERR_NOT_FOUND;
        if (!e && (e = eg_store_person_get(r->rd->s, o.id_no, take_ids, &ids)) == EG_ERR_NOT_FOUND)
            e = EG_OK;   /* an order of someone not in the registry: audited without a person */
    } else {
        e = is_hex(pid, 16) ? eg_store_person_by_pid(r->rd->s, &r->user.scope, pid, take_ids, &ids) : EG_ERR_NOT_FOUND;
    }
    if (e) {
        eg_req_error(r, e == EG_ERR_NOT_FOUND ? 404 : 503, eg_err_name(e), *oid ? "order_id" : "person_id",
                     *oid ? "no such order" : "no such person");
        return;
    }
    if (!(a = calloc(1, sizeof *a))) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    r->job_arg = a;
    snprintf(a->facility_id, sizeof a->facility_id, "%s", f.facility_id);
    snprintf(a->who, sizeof a->who, "%s", *oid ? oid : ids.id_no);
    eg_req_json(r, 201, json_object());
    eg_req_audit_add(r, "admission.add", ids.pid, "facility %s", f.facility_id);
    r->job = job_admit;
}

static eg_err job_discharge(eg_store *w, eg_req *r)
{
    admit_arg *a = r->job_arg;
    eg_admission cur, out;
    char who[96];
    eg_err e = eg_store_admission_get(w, a->admission_id, &cur);
    if (e)
        return e;
    /* the stay must still be the order's open one (not ended or moved meanwhile) */
    if (cur.discharged_at || eg_store_admission_open(w, cur.order_id, &out) != EG_OK || out.id != cur.id)
        return eg_diag_set(&r->job_diag, EG_ERR_STATE, NULL, 0, "id", "the stay %lld has ended already",
                           (long long)cur.id);
    e = eg_facility_discharge(w, cur.oid, a->reason, actor(r, who, sizeof who), r->now, &out, &r->job_diag);
    if (e)
        return e;
    snprintf(out.oid, sizeof out.oid, "%s", cur.oid);
    json_object_set_new(r->resp, "admission", admission_json(r->srv, &out));
    return EG_OK;
}

void eg_h_admission_discharge(eg_req *r)
{
    static const eg_field F[] = { { "reason", EG_F_STR, 0, 190 } };
    eg_admission adm;
    eg_facility f;
    person_ids ids;
    admit_arg *a;
    char *end;
    long long id;
    eg_err e;
    if (eg_body_check(r, F, 1))
        return;
    id = strspn(r->params[0], "0123456789") == strlen(r->params[0]) && strlen(r->params[0]) <= 18
             ? strtoll(r->params[0], &end, 10) : -1;
    e = id > 0 ? eg_store_admission_get(r->rd->s, (int64_t)id, &adm) : EG_ERR_NOT_FOUND;
    if (e && e != EG_ERR_NOT_FOUND) {
        eg_req_error(r, 503, "unavailable", NULL, "cannot read the admission");
        return;
    }
    if (e) {
        eg_req_error(r, 404, "not_found", "id", "no such admission");
        return;
    }
    /* the stay's facility: in scope, and the clinician's own (else the stay does not exist for them) */
    if (find_facility(r, adm.facility_id, "id", &f)) {
        if (r->status == 404)
            eg_req_error(r, 404, "not_found", "id", "no such admission");
        return;
    }
    if (adm.discharged_at) {
        char b[EG_TIME_BUFSZ];
        eg_req_error(r, 409, "state", "id", "the stay ended at %s already", eg_time_format(adm.discharged_at, b));
        return;
    }
    memset(&ids, 0, sizeof ids);
    if ((e = eg_store_person_get(r->rd->s, adm.id_no, take_ids, &ids)) && e != EG_ERR_NOT_FOUND) {
        eg_req_error(r, 503, "unavailable", NULL, "cannot read the person");
        return;
    }
    if (!(a = calloc(1, sizeof *a))) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    r->job_arg = a;
    a->admission_id = adm.id;
    snprintf(a->reason, sizeof a->reason, "%s", eg_body_str(r, "reason"));
    eg_req_json(r, 200, json_object());
    eg_req_audit_add(r, "admission.discharge", ids.pid, "admission %lld facility %s", (long long)adm.id,
                     adm.facility_id);
    r->job = job_discharge;
}
