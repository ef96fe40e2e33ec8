/*
 * http/h_control.c: the control-measures routes over epigrid/control.h
 * (the rules live there; this file checks input, scope and role, and
 * hands the change to the writer):
 *   POST /readings                      {person_id, temperature_c, taken_at, symptoms, source}
 *   POST /tests                         {person_id, sampled_at, method, result, lab}
 *   POST /orders/{order_id}/transitions {action, date, severity, reason}
 *   GET  /alerts?juris=&state=&kind=&limit=
 *   POST /alerts/{id}/ack, POST /alerts/{id}/resolve {note}
 *   POST /tasks/{id}/close              {outcome, juris, note}
 *   POST /self-report/{token}           {temperature_c, taken_at, symptoms} (no account)
 *   GET  /r/{token}                     the self-report page
 * Objects outside the user's scope answer 404. Readings and alert changes
 * are batched with other writes; transitions, task closings and self
 * reports run their own transaction (the control module opens one).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"
#include "epigrid/idno.h"

/* The actor of control records: "user:NAME". */
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

/* A temperature in °C from the body (tenths), 0 or -1 after an answer. */
static int body_temp(eg_req *r, int *dc)
{
    double t = json_number_value(json_object_get(r->json, "temperature_c"));
    if (!isfinite(t) || t < 20 || t > 50) {
        eg_req_error(r, 422, "out_of_range", "temperature_c", "a body temperature in °C is expected");
        return -1;
    }
    *dc = (int)lround(t * 10);
    return 0;
}

/* taken_at from the body (default: now), 0 or -1 after an answer. */
static int body_taken(eg_req *r, eg_time *t)
{
    const char *s = eg_body_str(r, "taken_at");
    *t = r->now;
    if (*s && eg_time_parse(s, t)) {
        eg_req_error(r, 422, "invalid_value", "taken_at", "'taken_at' is \"YYYY-MM-DD HH:MM\"");
        return -1;
    }
    return 0;
}

/* ---- readings ---- */

typedef struct reading_arg {
    char id_no[EG_DOCNO_BUFSZ];
    char symptoms[256], source[24], token[EG_TOKEN_HEXSZ];
    int temp_dc;
    eg_time taken_at;
} reading_arg;

/* The outcome of a reading into the answer. */
static void outcome_json(eg_req *r, const eg_reading_outcome *o)
{
    json_object_set_new(r->resp, "duplicate", json_boolean(o->dup));
    json_object_set_new(r->resp, "fever", json_boolean(o->fever));
    json_object_set_new(r->resp, "red_flag", json_boolean(o->red_flag));
    json_object_set_new(r->resp, "alert_created", json_boolean(o->alert_created));
    json_object_set_new(r->resp, "referral_created", json_boolean(o->referral_created));
}

static eg_err job_reading(eg_store *w, eg_req *r)
{
    reading_arg *a = r->job_arg;
    eg_reading_outcome o;
    char who[96];
    eg_err e = eg_control_reading_add(w, &r->srv->ctl, a->id_no, a->taken_at, a->temp_dc, a->symptoms, a->source,
                                      actor(r, who, sizeof who), r->now, &o, &r->job_diag);
    if (!e)
        outcome_json(r, &o);
    return e;
}

/* Take the person of person_id in scope: its document number. */
static eg_err take_id(void *ctx, const eg_person_rec *p)
{
    snprintf(ctx, EG_DOCNO_BUFSZ, "%s", p->id_no);
    return EG_OK;
}

void eg_h_readings_add(eg_req *r)
{
    static const eg_field F[] = { { "person_id", EG_F_STR, 1, 16 }, { "temperature_c", EG_F_NUM, 1, 0 },
                                  { "taken_at", EG_F_STR, 0, 20 }, { "symptoms", EG_F_STR, 0, 200 },
                                  { "source", EG_F_STR, 0, 16 } };
    reading_arg *a;
    const char *pid;
    eg_err e;
    if (eg_body_check(r, F, 5))
        return;
    if (!(a = calloc(1, sizeof *a))) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    r->job_arg = a;   /* freed with the request */
    pid = eg_body_str(r, "person_id");
    if (body_temp(r, &a->temp_dc) || body_taken(r, &a->taken_at))
        return;
    e = is_hex(pid, 16) ? eg_store_person_by_pid(r->rd->s, &r->user.scope, pid, take_id, a->id_no) : EG_ERR_NOT_FOUND;
    if (e) {
        eg_req_error(r, e == EG_ERR_NOT_FOUND ? 404 : 503, eg_err_name(e), "person_id", "no such person");
        return;
    }
    snprintf(a->symptoms, sizeof a->symptoms, "%s", eg_body_str(r, "symptoms"));
    snprintf(a->source, sizeof a->source, "%s", *eg_body_str(r, "source") ? eg_body_str(r, "source") : "team");
    eg_req_json(r, 201, json_pack("{s:s,s:f}", "person_id", pid, "temperature_c", a->temp_dc / 10.0));
    eg_req_audit_add(r, "reading.add", pid, "%.1f", a->temp_dc / 10.0);
    r->job = job_reading;
}

/* ---- laboratory tests ---- */

typedef struct test_arg {
    char id_no[EG_DOCNO_BUFSZ];
    char method[24], result[24], lab[120];
    eg_time sampled_at;
} test_arg;

static eg_err job_test(eg_store *w, eg_req *r)
{
    test_arg *a = r->job_arg;
    char who[96];
    int dup = 0;
    eg_err e = eg_control_test_add(w, a->id_no, a->sampled_at, a->method, a->result, a->lab,
                                   actor(r, who, sizeof who), r->now, &dup, &r->job_diag);
    if (!e)
        json_object_set_new(r->resp, "duplicate", json_boolean(dup));
    return e;
}

void eg_h_tests_add(eg_req *r)
{
    static const eg_field F[] = { { "person_id", EG_F_STR, 1, 16 }, { "sampled_at", EG_F_STR, 1, 20 },
                                  { "method", EG_F_STR, 1, 20 }, { "result", EG_F_STR, 1, 20 },
                                  { "lab", EG_F_STR, 0, 100 } };
    test_arg *a;
    const char *pid;
    eg_err e;
    if (eg_body_check(r, F, 5))
        return;
    if (!(a = calloc(1, sizeof *a))) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    r->job_arg = a;
    pid = eg_body_str(r, "person_id");
    if (eg_time_parse(eg_body_str(r, "sampled_at"), &a->sampled_at)) {
        eg_req_error(r, 422, "invalid_value", "sampled_at", "'sampled_at' is \"YYYY-MM-DD HH:MM\"");
        return;
    }
    e = is_hex(pid, 16) ? eg_store_person_by_pid(r->rd->s, &r->user.scope, pid, take_id, a->id_no) : EG_ERR_NOT_FOUND;
    if (e) {
        eg_req_error(r, e == EG_ERR_NOT_FOUND ? 404 : 503, eg_err_name(e), "person_id", "no such person");
        return;
    }
    snprintf(a->method, sizeof a->method, "%s", eg_body_str(r, "method"));
    snprintf(a->result, sizeof a->result, "%s", eg_body_str(r, "result"));
    snprintf(a->lab, sizeof a->lab, "%s", eg_body_str(r, "lab"));
    eg_req_json(r, 201, json_pack("{s:s,s:s,s:s}", "person_id", pid, "method", a->method, "result", a->result));
    eg_req_audit_add(r, "test.add", pid, "%s %s", a->method, a->result);
    r->job = job_test;
}

/* ---- orders ---- */

/* JSON of a control order (masked per role). */
static json_t *order_json(eg_req *r, const eg_ctl_order *o)
{
    char id[EG_DOCNO_BUFSZ + 8];
    snprintf(id, sizeof id, "%s", o->id_no);
    if (!eg_role_sees_unmasked(r->user.role) && strlen(o->id_no) < sizeof id)
        eg_idno_mask(o->id_no, id);
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:o}", "id", o->oid, "id_no", id, "name", o->name,
                     "measure", o->measure, "state", o->state, "start_date", eg_json_date(o->start_date),
                     "end_date", eg_json_date(o->end_date), "severity", o->severity, "juris",
                     eg_json_juris(r->srv, o->juris_code), "updated_at", eg_json_time(o->updated_at));
}

typedef struct transition_arg {
    char oid[24], severity[24], reason[200];
    eg_control_action action;
    eg_date date;
} transition_arg;

static eg_err job_transition(eg_store *w, eg_req *r)
{
    transition_arg *a = r->job_arg;
    eg_ctl_order out;
    char who[96];
    eg_control_change c = { .action = a->action, .date = a->date, .severity = a->severity[0] ? a->severity : NULL,
                            .reason = a->reason, .actor = actor(r, who, sizeof who), .now = r->now };
    eg_err e = eg_control_transition(w, &r->srv->ctl, a->oid, &c, &out, &r->job_diag);
    if (!e)
        json_object_set_new(r->resp, "order", order_json(r, &out));
    return e;
}

void eg_h_order_transition(eg_req *r)
{
    static const eg_field F[] = { { "action", EG_F_STR, 1, 24 }, { "date", EG_F_STR, 0, 12 },
                                  { "severity", EG_F_STR, 0, 16 }, { "reason", EG_F_STR, 0, 190 } };
    transition_arg *a;
    eg_ctl_order o;
    if (eg_body_check(r, F, 4))
        return;
    if (!is_hex(r->params[0], 16) || eg_store_ctl_order_get(r->rd->s, r->params[0], &o) ||
        strcmp(o.oid, r->params[0]) || !eg_scope_contains(&r->user.scope, o.juris_code)) {
        eg_req_error(r, 404, "not_found", "order_id", "no such order");
        return;
    }
    if (!(a = calloc(1, sizeof *a))) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    r->job_arg = a;
    snprintf(a->oid, sizeof a->oid, "%s", o.oid);
    if (eg_control_action_parse(eg_body_str(r, "action"), &a->action)) {
        eg_req_error(r, 422, "invalid_value", "action", "unknown action '%.24s'", eg_body_str(r, "action"));
        return;
    }
    a->date = EG_NO_DATE;
    if (*eg_body_str(r, "date") && eg_date_parse(eg_body_str(r, "date"), &a->date)) {
        eg_req_error(r, 422, "invalid_value", "date", "'date' is YYYY-MM-DD");
        return;
    }
    snprintf(a->severity, sizeof a->severity, "%s", eg_body_str(r, "severity"));
    snprintf(a->reason, sizeof a->reason, "%s", eg_body_str(r, "reason"));
    eg_req_json(r, 200, json_object());
    eg_req_audit_add(r, "order.transition", "", "order %s %s", o.oid, eg_body_str(r, "action"));
    r->job = job_transition;
}

/* ---- alerts ---- */

typedef struct alert_list {
    eg_req *r;
    long n;
} alert_list;

static eg_err add_alert(void *ctx, const eg_ctl_alert *a)
{
    alert_list *l = ctx;
    eg_req *r = l->r;
    char id[EG_DOCNO_BUFSZ + 8];
    int unmasked = eg_role_sees_unmasked(r->user.role);
    if (!eg_scope_contains(&r->user.scope, a->juris_code))
        return EG_OK;
    snprintf(id, sizeof id, "%s", a->id_no);
    if (!unmasked && strlen(a->id_no) < sizeof id)
        eg_idno_mask(a->id_no, id);
    json_array_append_new(json_object_get(r->resp, "items"), json_pack(
        "{s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:b}", "id", a->aid, "kind", a->kind, "id_no", id, "name",
        a->name, "juris", eg_json_juris(r->srv, a->juris_code), "escalated_to", a->escalated_to, "reason", a->reason,
        "state", a->state, "created_at", eg_json_time(a->created_at), "due_at", eg_json_time(a->due_at), "ack_at",
        eg_json_time(a->ack_at), "resolved_at", eg_json_time(a->resolved_at), "overdue",
        strcmp(a->state, "open") == 0 && a->due_at && a->due_at < r->now));
    if (unmasked)
        eg_req_audit_add(r, "alert.list", "", "alert %s", a->aid);
    return ++l->n >= EG_MAX_AUDIT ? EG_ERR_EOF : EG_OK;
}

void eg_h_alerts_list(eg_req *r)
{
    char juris[EG_CODE_BUFSZ];
    long limit;
    const char *state = eg_req_query(r, "state"), *kind = eg_req_query(r, "kind");
    alert_list l = { r, 0 };
    eg_err e;
    if (eg_query_code(r, "juris", juris) || eg_query_long(r, "limit", 1, 100, 50, &limit))
        return;
    if (juris[0] && (!eg_scope_contains(&r->user.scope, juris) || !eg_juris_find(r->srv->tree, juris))) {
        eg_req_error(r, 404, "not_found", "juris", "no such division");
        return;
    }
    if ((state && strlen(state) > 24) || (kind && strlen(kind) > 24)) {
        eg_req_error(r, 400, "invalid_parameter", state && strlen(state) > 24 ? "state" : "kind", "too long");
        return;
    }
    eg_ctl_filter f = { .juris = juris[0] ? juris : r->user.scope.code, .state = state ? state : "",
                        .kind = kind ? kind : "", .id_no = "", .limit = limit };
    eg_req_json(r, 200, json_pack("{s:[]}", "items"));
    e = eg_store_ctl_alert_each(r->rd->s, &f, add_alert, &l);
    if (e && e != EG_ERR_EOF)
        eg_req_error(r, eg_http_status_of(e), eg_err_name(e), NULL, "cannot list alerts");
}

/* Find the alert {id} in scope: 0, or -1 after a 404. */
static int find_alert(eg_req *r)
{
    eg_ctl_alert a;
    if (strlen(r->params[0]) > 32 || eg_store_ctl_alert_get(r->rd->s, r->params[0], &a) ||
        !eg_scope_contains(&r->user.scope, a.juris_code)) {
        eg_req_error(r, 404, "not_found", "id", "no such alert");
        return -1;
    }
    snprintf(r->scratch, 64, "%s", a.aid);
    return 0;
}

static eg_err job_ack(eg_store *w, eg_req *r)
{
    char who[96];
    return eg_control_alert_ack(w, r->scratch, actor(r, who, sizeof who), r->now, &r->job_diag);
}

static eg_err job_resolve(eg_store *w, eg_req *r)
{
    char who[96];
    return eg_control_alert_resolve(w, r->scratch, actor(r, who, sizeof who), r->now, r->scratch + 64,
                                    &r->job_diag);
}

void eg_h_alert_ack(eg_req *r)
{
    if (eg_body_check(r, NULL, 0) || find_alert(r))
        return;
    eg_req_json(r, 200, json_pack("{s:s,s:s}", "id", r->scratch, "state", "acknowledged"));
    eg_req_audit_add(r, "alert.ack", "", "alert %s", r->scratch);
    r->job = job_ack;
}

void eg_h_alert_resolve(eg_req *r)
{
    static const eg_field F[] = { { "note", EG_F_STR, 0, 180 } };
    if (eg_body_check(r, F, 1) || find_alert(r))
        return;
    snprintf(r->scratch + 64, 190, "%s", eg_body_str(r, "note"));
    eg_req_json(r, 200, json_pack("{s:s,s:s}", "id", r->scratch, "state", "resolved"));
    eg_req_audit_add(r, "alert.resolve", "", "alert %s", r->scratch);
    r->job = job_resolve;
}

/* ---- tasks ---- */

typedef struct close_arg {
    char tid[32], outcome[24], juris[EG_CODE_BUFSZ], note[200];
} close_arg;

static eg_err job_close(eg_store *w, eg_req *r)
{
    close_arg *a = r->job_arg;
    char who[96];
    int late = 0;
    eg_err e = eg_control_task_close(w, a->tid, a->outcome, a->juris[0] ? a->juris : NULL, a->note,
                                     actor(r, who, sizeof who), r->now, &late, &r->job_diag);
    if (!e)
        json_object_set_new(r->resp, "late", json_boolean(late));
    return e;
}

void eg_h_task_close(eg_req *r)
{
    static const eg_field F[] = { { "outcome", EG_F_STR, 1, 24 }, { "juris", EG_F_STR, 0, 30 },
                                  { "note", EG_F_STR, 0, 190 } };
    eg_ctl_task t;
    close_arg *a;
    if (eg_body_check(r, F, 3))
        return;
    if (strlen(r->params[0]) > 30 || eg_store_ctl_task_get(r->rd->s, r->params[0], &t) ||
        !eg_scope_contains(&r->user.scope, t.juris_code)) {
        eg_req_error(r, 404, "not_found", "id", "no such task");
        return;
    }
    if (!(a = calloc(1, sizeof *a))) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    r->job_arg = a;
    snprintf(a->tid, sizeof a->tid, "%s", t.tid);
    snprintf(a->outcome, sizeof a->outcome, "%s", eg_body_str(r, "outcome"));
    snprintf(a->note, sizeof a->note, "%s", eg_body_str(r, "note"));
    if (*eg_body_str(r, "juris") &&
        (eg_code_short(eg_body_str(r, "juris"), a->juris) || !eg_juris_find(r->srv->tree, a->juris))) {
        eg_req_error(r, 422, "invalid_value", "juris", "not a division of the tree");
        return;
    }
    eg_req_json(r, 200, json_pack("{s:s,s:s}", "id", t.tid, "state", a->outcome));
    eg_req_audit_add(r, "task.close", "", "task %s %s", t.tid, a->outcome);
    r->job = job_close;
}

/* ---- self-report ---- */

/* Count one use of `key` in its 10-minute window (real time); 1 when
 * over `max`. Slots are shared by hashing; a full table forgets the oldest. */
static int rate_limited(eg_server *srv, const char *key, int max)
{
    int64_t now = (int64_t)time(NULL), window = now / 600;
    unsigned h = 2166136261u;
    int over = 0;
    for (const char *p = key; *p; p++)
        h = (h ^ (unsigned char)*p) * 16777619u;
    pthread_mutex_lock(&srv->rl_mu);
    struct eg_rate *slot = &srv->rate[h % (sizeof srv->rate / sizeof srv->rate[0])];
    if (strcmp(slot->key, key) != 0 || slot->window != window) {
        snprintf(slot->key, sizeof slot->key, "%s", key);
        slot->window = window;
        slot->count = 0;
    }
    over = ++slot->count > max;
    pthread_mutex_unlock(&srv->rl_mu);
    return over;
}

static eg_err job_self(eg_store *w, eg_req *r)
{
    reading_arg *a = r->job_arg;
    eg_reading_outcome o;
    eg_err e = eg_control_self_report(w, &r->srv->ctl, a->token, a->taken_at, a->temp_dc, a->symptoms, r->now, &o,
                                      &r->job_diag);
    if (!e)
        outcome_json(r, &o);
    return e;
}

void eg_h_self_report(eg_req *r)
{
    static const eg_field F[] = { { "temperature_c", EG_F_NUM, 1, 0 }, { "taken_at", EG_F_STR, 0, 20 },
                                  { "symptoms", EG_F_STR, 0, 200 } };
    char key[96];
    reading_arg *a;
    if (!is_hex(r->params[0], 64)) {
        eg_req_error(r, 404, "not_found", "token", "unknown link");
        return;
    }
    snprintf(key, sizeof key, "tok:%.32s", r->params[0]);
    int lim_tok = rate_limited(r->srv, key, 6);
    snprintf(key, sizeof key, "addr:%s", r->addr);
    if (lim_tok || rate_limited(r->srv, key, 60)) {
        eg_req_error(r, 429, "too_many_requests", NULL, "too many reports; try again later");
        r->new_id = 600;
        return;
    }
    if (eg_body_check(r, F, 3))
        return;
    if (!(a = calloc(1, sizeof *a))) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    r->job_arg = a;
    if (body_temp(r, &a->temp_dc) || body_taken(r, &a->taken_at))
        return;
    snprintf(a->token, sizeof a->token, "%.64s", r->params[0]);
    snprintf(a->symptoms, sizeof a->symptoms, "%s", eg_body_str(r, "symptoms"));
    eg_req_json(r, 201, json_pack("{s:b}", "recorded", 1));
    r->job = job_self;
}

struct MHD_Response *eg_self_report_page(void)
{
    static const char PAGE[] =
        "<!doctype html><html lang=\"zh\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width\"><title>体温自报 Self-report</title></head>"
        "<body><h1>体温自报 Temperature self-report</h1>"
        "<form id=\"f\"><label>体温 °C <input name=\"t\" type=\"number\" step=\"0.1\" min=\"34\" max=\"43\" "
        "required></label><br><label>症状 Symptoms <input name=\"s\" placeholder=\"cough;fatigue\"></label><br>"
        "<button>提交 Submit</button></form><p id=\"m\"></p><script>"
        "document.getElementById('f').onsubmit=function(e){e.preventDefault();"
        "var t=location.pathname.split('/').pop();"
        "fetch('/api/v1/self-report/'+t,{method:'POST',headers:{'Content-Type':'application/json'},"
        "body:JSON.stringify({temperature_c:parseFloat(this.t.value),symptoms:this.s.value})})"
        ".then(function(r){return r.json().then(function(j){document.getElementById('m').textContent="
        "r.ok?'已记录 Recorded':(j.error&&j.error.message)||'error';});});};"
        "</script></body></html>";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(sizeof PAGE - 1, (void *)PAGE, MHD_RESPMEM_PERSISTENT);
    if (resp) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
        MHD_add_response_header(resp, "Content-Security-Policy",
                                "default-src 'none'; script-src 'unsafe-inline'; connect-src 'self'");
        MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    }
    return resp;
}
