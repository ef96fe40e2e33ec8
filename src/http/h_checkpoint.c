/*
 * http/h_checkpoint.c: the checkpoint routes over epigrid/checkpoint.h
 * (the rules live there; this file checks input, scope and role, and
 * hands the change to the writer):
 *   GET  /checkpoints?juris=          checkpoints in scope, each with today's counts
 *                                     and today's fever records (at most 50 each)
 *   POST /checkpoints/{id}/logs       {hour_start, checked, fevers}: one hour's counts
 *   POST /checkpoints/{id}/fevers     {at, temperature_c, name, id_no, phone, destination}
 * Checkpoint staff work for one checkpoint (their staff row's `unit` is
 * its checkpoint_id): they see and write only that one; every other
 * checkpoint, like one outside the user's scope, answers 404. Fever
 * records show id_no and phone unmasked only to the staff of the
 * checkpoint that recorded them, and each such read is audited
 * (fever.list), as is every record added (fever.add, checkpoint.log).
 * Logs and fevers are batched with the other writes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "epigrid/checkpoint.h"
#include "epigrid/idno.h"
#include "epigrid/store.h"

#define EG_FEVERS_SHOWN 50   /* fever records of today listed per checkpoint (the latest) */

/* The checkpoint unit of a checkpoint_staff user into unit ("" for other
 * roles): 0, or -1 after an answer. */
static int staff_unit(eg_req *r, char *unit, size_t size)
{
    unit[0] = 0;
    return r->user.role == EG_ROLE_CHECKPOINT ? eg_user_unit(r, unit, size) : 0;
}

/* The checkpoint {id} as the user may see it: 0, or -1 after a 404 (or 503). */
static int find_checkpoint(eg_req *r, eg_checkpoint *c)
{
    char unit[EG_FAC_ID_BUFSZ];
    const char *id = r->params[0];
    eg_err e = strlen(id) < EG_FAC_ID_BUFSZ ? eg_store_checkpoint_get(r->rd->s, id, c) : EG_ERR_NOT_FOUND;
    if (e && e != EG_ERR_NOT_FOUND) {
        eg_req_error(r, 503, "unavailable", NULL, "cannot read the checkpoint");
        return -1;
    }
    if (!e && r->user.role == EG_ROLE_CHECKPOINT) {
        if (staff_unit(r, unit, sizeof unit))
            return -1;
        if (strcmp(unit, c->checkpoint_id) != 0)
            e = EG_ERR_NOT_FOUND;
    }
    if (e || !eg_scope_contains(&r->user.scope, c->juris_code)) {
        eg_req_error(r, 404, "not_found", "id", "no such checkpoint");
        return -1;
    }
    return 0;
}

/* ---- GET /checkpoints ---- */

typedef struct cp_list {
    eg_req *r;
    const char *only;     /* a checkpoint_staff user's checkpoint, else NULL */
    json_t *by_id;        /* checkpoint_id → its item (borrowed) */
    eg_date today;
} cp_list;

static eg_err add_checkpoint(void *ctx, const eg_checkpoint *c)
{
    cp_list *l = ctx;
    json_t *item;
    if (!eg_scope_contains(&l->r->user.scope, c->juris_code) || (l->only && strcmp(l->only, c->checkpoint_id) != 0))
        return EG_OK;
    item = json_pack("{s:s,s:s,s:s,s:o,s:i,s:b,s:{s:i,s:i,s:i,s:i},s:[]}", "id", c->checkpoint_id, "name", c->name,
                     "kind", c->kind, "juris", eg_json_juris(l->r->srv, c->juris_code), "max_checks_per_hour",
                     c->max_checks_per_hour, "synthetic", c->synthetic, "today", "checks", 0, "fevers", 0,
                     "referrals", 0, "referrals_without_outcome", 0, "fevers_today");
    json_array_append_new(json_object_get(l->r->resp, "items"), item);
    json_object_set(l->by_id, c->checkpoint_id, item);
    return EG_OK;
}

static eg_err add_totals(void *ctx, const eg_checkpoint *c, long checked, long fevers, long referrals,
                         long without_outcome)
{
    cp_list *l = ctx;
    json_t *item = json_object_get(l->by_id, c->checkpoint_id);
    if (item)
        json_object_set_new(item, "today", json_pack("{s:I,s:I,s:I,s:I}", "checks", (json_int_t)checked, "fevers",
                                                     (json_int_t)fevers, "referrals", (json_int_t)referrals,
                                                     "referrals_without_outcome", (json_int_t)without_outcome));
    return EG_OK;
}

/* 1 if the user is staff of the checkpoint that recorded a fever. */
static int recorder(const cp_list *l, const char *checkpoint_id)
{
    return l->only && strcmp(l->only, checkpoint_id) == 0;
}

static eg_err add_fever(void *ctx, const eg_fever *f)
{
    cp_list *l = ctx;
    json_t *item, *arr;
    char id[48], ph[40];
    int unmasked;
    if (eg_time_date(f->at) != l->today || !(item = json_object_get(l->by_id, f->checkpoint_id)))
        return EG_OK;
    unmasked = recorder(l, f->checkpoint_id);
    snprintf(id, sizeof id, "%s", f->id_no);
    snprintf(ph, sizeof ph, "%s", f->phone);
    if (!unmasked) {
        if (f->id_no[0] && strlen(f->id_no) < sizeof id)
            eg_idno_mask(f->id_no, id);
        if (f->phone[0] && strlen(f->phone) < sizeof ph)
            eg_phone_mask(f->phone, ph);
    }
    arr = json_object_get(item, "fevers_today");
    json_array_append_new(arr, json_pack("{s:s,s:o,s:f,s:s,s:s,s:s,s:s,s:s,s:o,s:s?,s:o}", "id", f->fid, "at",
                                         eg_json_time(f->at), "temperature_c", f->temp_dc / 10.0, "name", f->name,
                                         "id_no", id, "phone", ph, "destination", f->destination, "clinic_id",
                                         f->clinic_id, "due_at", eg_json_time(f->due_at), "outcome",
                                         f->outcome[0] ? f->outcome : NULL, "outcome_at",
                                         eg_json_time(f->outcome_at)));
    if (json_array_size(arr) > EG_FEVERS_SHOWN)
        json_array_remove(arr, 0);   /* fevers come by moment: keep the latest */
    return EG_OK;
}

void eg_h_checkpoints_list(eg_req *r)
{
    char juris[EG_CODE_BUFSZ], unit[EG_FAC_ID_BUFSZ];
    const char *base;
    cp_list l = { r, NULL, NULL, eg_time_date(r->now) };
    eg_time from, to;
    eg_err e;
    if (eg_query_code(r, "juris", juris))
        return;
    if (juris[0] && (!eg_scope_contains(&r->user.scope, juris) || !eg_juris_find(r->srv->tree, juris))) {
        eg_req_error(r, 404, "not_found", "juris", "no such division");
        return;
    }
    if (staff_unit(r, unit, sizeof unit))
        return;
    if (r->user.role == EG_ROLE_CHECKPOINT)
        l.only = unit;
    if (!(l.by_id = json_object())) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    base = juris[0] ? juris : r->user.scope.code;
    eg_req_json(r, 200, json_pack("{s:o,s:[]}", "date", eg_json_date(l.today), "items"));
    eg_time_from_parts(l.today, 0, 0, &from);
    to = from + 1440;
    /* the scope's subtree is the query's range; subtrees the tree places elsewhere are left out */
    e = eg_store_checkpoint_each(r->rd->s, base, add_checkpoint, &l);
    if (!e && json_object_size(l.by_id))
        e = eg_store_check_totals(r->rd->s, from, to, add_totals, &l);
    if (!e && json_object_size(l.by_id))
        e = eg_store_fever_each(r->rd->s, base, 0, 0, add_fever, &l);
    if (!e && l.only) {
        /* unmasked fever records read by the checkpoint's own staff: one audit record each */
        json_t *item = json_object_get(l.by_id, l.only), *fv;
        size_t i;
        json_array_foreach(item ? json_object_get(item, "fevers_today") : NULL, i, fv)
            eg_req_audit_add(r, "fever.list", "", "fever %s at %s", json_string_value(json_object_get(fv, "id")),
                             l.only);
    }
    json_decref(l.by_id);
    if (e)
        eg_req_error(r, eg_http_status_of(e), eg_err_name(e), NULL, "cannot list checkpoints");
}

/* ---- POST /checkpoints/{id}/logs ---- */

typedef struct log_arg {
    char checkpoint_id[EG_FAC_ID_BUFSZ];
    eg_time hour;
    long checked, fevers;
} log_arg;

static eg_err job_log(eg_store *w, eg_req *r)
{
    log_arg *a = r->job_arg;
    int updated = 0;
    eg_err e = eg_checkpoint_log(w, a->checkpoint_id, a->hour, a->checked, a->fevers, r->now, &updated,
                                 &r->job_diag);
    if (!e)
        json_object_set_new(r->resp, "updated", json_boolean(updated));
    return e;
}

void eg_h_checkpoint_log(eg_req *r)
{
    static const eg_field F[] = { { "hour_start", EG_F_STR, 1, 20 }, { "checked", EG_F_INT, 1, 0 },
                                  { "fevers", EG_F_INT, 0, 0 } };
    eg_checkpoint c;
    log_arg *a;
    json_int_t checked, fevers;
    if (eg_body_check(r, F, 3) || find_checkpoint(r, &c))
        return;
    if (!(a = calloc(1, sizeof *a))) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    r->job_arg = a;
    if (eg_time_parse(eg_body_str(r, "hour_start"), &a->hour)) {
        eg_req_error(r, 422, "invalid_value", "hour_start", "'hour_start' is \"YYYY-MM-DD HH:00\"");
        return;
    }
    checked = json_integer_value(json_object_get(r->json, "checked"));
    fevers = json_integer_value(json_object_get(r->json, "fevers"));
    if (checked < 0 || checked > 1000000 || fevers < 0 || fevers > 1000000) {
        const char *field = checked < 0 || checked > 1000000 ? "checked" : "fevers";
        eg_req_error(r, 422, "out_of_range", field, "'%s' is a count from 0 to 1000000", field);
        return;
    }
    a->checked = (long)checked;
    a->fevers = (long)fevers;
    snprintf(a->checkpoint_id, sizeof a->checkpoint_id, "%s", c.checkpoint_id);
    eg_req_json(r, 201, json_pack("{s:s,s:o,s:I,s:I}", "checkpoint_id", c.checkpoint_id, "hour_start",
                                  eg_json_time(a->hour), "checked", (json_int_t)a->checked, "fevers",
                                  (json_int_t)a->fevers));
    eg_req_audit_add(r, "checkpoint.log", "", "%s %ld checked %ld fevers", c.checkpoint_id, a->checked, a->fevers);
    r->job = job_log;
}

/* ---- POST /checkpoints/{id}/fevers ---- */

typedef struct fever_arg {
    char checkpoint_id[EG_FAC_ID_BUFSZ];
    char id_no[40], name[EG_FAC_NAME_BUFSZ], phone[32], destination[EG_FAC_TEXT_BUFSZ];
    eg_time at;
    int temp_dc;
} fever_arg;

static eg_err job_fever(eg_store *w, eg_req *r)
{
    fever_arg *a = r->job_arg;
    eg_facility_params p;
    eg_fever f;
    int dup = 0;
    eg_err e = eg_facility_params_load(w, &p, &r->job_diag);
    if (!e)
        e = eg_checkpoint_fever(w, r->srv->tree, &p, a->checkpoint_id, a->at, a->temp_dc, a->id_no, a->name,
                                a->phone, a->destination, r->now, &f, &dup, &r->job_diag);
    if (e)
        return e;
    /* the recorder sees what they typed (unmasked; audited as fever.add) */
    json_object_set_new(r->resp, "fever", json_pack(
        "{s:s,s:s,s:o,s:f,s:s,s:s,s:s,s:s,s:s?,s:o}", "id", f.fid, "checkpoint_id", f.checkpoint_id, "at",
        eg_json_time(f.at), "temperature_c", f.temp_dc / 10.0, "name", f.name, "id_no", f.id_no, "phone", f.phone,
        "destination", f.destination, "clinic_id", f.clinic_id[0] ? f.clinic_id : NULL, "due_at",
        eg_json_time(f.due_at)));
    json_object_set_new(r->resp, "duplicate", json_boolean(dup));
    return EG_OK;
}

void eg_h_checkpoint_fever(eg_req *r)
{
    static const eg_field F[] = { { "at", EG_F_STR, 0, 20 }, { "temperature_c", EG_F_NUM, 1, 0 },
                                  { "name", EG_F_STR, 0, 120 }, { "id_no", EG_F_STR, 0, 32 },
                                  { "phone", EG_F_STR, 0, 24 }, { "destination", EG_F_STR, 0, 300 } };
    eg_checkpoint c;
    fever_arg *a;
    double t;
    int fever_dc;
    eg_err e;
    if (eg_body_check(r, F, 6) || find_checkpoint(r, &c))
        return;
    if ((e = eg_control_fever_threshold(r->rd->s, &fever_dc))) {
        eg_req_error(r, eg_http_status_of(e), eg_err_name(e), "fever_threshold_c", "cannot read the fever threshold");
        return;
    }
    if (!(a = calloc(1, sizeof *a))) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    r->job_arg = a;
    t = json_number_value(json_object_get(r->json, "temperature_c"));
    if (!isfinite(t) || t < fever_dc / 10.0 - 1e-9) {
        eg_req_error(r, 400, "not_a_fever", "temperature_c", "a fever record needs %d.%d °C or more (a normal "
                     "temperature is only counted in the hourly log)", fever_dc / 10, fever_dc % 10);
        return;
    }
    if (t > 43.0 + 1e-9) {
        eg_req_error(r, 422, "out_of_range", "temperature_c", "a body temperature is at most 43.0 °C");
        return;
    }
    a->temp_dc = (int)lround(t * 10);
    a->at = r->now;
    if (*eg_body_str(r, "at") && eg_time_parse(eg_body_str(r, "at"), &a->at)) {
        eg_req_error(r, 422, "invalid_value", "at", "'at' is \"YYYY-MM-DD HH:MM\"");
        return;
    }
    snprintf(a->checkpoint_id, sizeof a->checkpoint_id, "%s", c.checkpoint_id);
    snprintf(a->id_no, sizeof a->id_no, "%s", eg_body_str(r, "id_no"));
    snprintf(a->name, sizeof a->name, "%s", eg_body_str(r, "name"));
    snprintf(a->phone, sizeof a->phone, "%s", eg_body_str(r, "phone"));
    snprintf(a->destination, sizeof a->destination, "%s", eg_body_str(r, "destination"));
    eg_req_json(r, 201, json_object());
    eg_req_audit_add(r, "fever.add", "", "fever at %s %.1f", c.checkpoint_id, a->temp_dc / 10.0);
    r->job = job_fever;
}
