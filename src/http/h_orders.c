/*
 * http/h_orders.c: GET /orders and GET /tasks: control orders and
 * verification tasks within the user's scope, filtered by division,
 * state and dates, a page at a time (after = next_after of the previous
 * page, an opaque JURIS/ID cursor; rows come by division, then id). Listing
 * is read-only; changes belong to the control-measures routes. Unmasked
 * rows (township_officer, grid_worker) are audited one record a row.
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "epigrid/idno.h"

/* Filters shared by both lists. */
typedef struct list_q {
    char juris[EG_CODE_BUFSZ];
    const char *state;
    eg_date from, to;
    char after_juris[EG_CODE_BUFSZ];
    long after, limit;
    int unmasked;
    long last;
    char last_juris[EG_CODE_BUFSZ];
} list_q;

/* Parse the filters: 0, or -1 after an error answer. */
static int parse_list(eg_req *r, list_q *q)
{
    memset(q, 0, sizeof *q);
    q->unmasked = eg_role_sees_unmasked(r->user.role);
    if (eg_query_code(r, "juris", q->juris) || eg_query_date(r, "from", &q->from) ||
        eg_query_date(r, "to", &q->to) || eg_query_long(r, "limit", 1, 100, 50, &q->limit))
        return -1;
    const char *after = eg_req_query(r, "after");
    if (after && *after) {
        /* the cursor of the previous page: JURIS/ID */
        const char *slash = strchr(after, '/');
        char *end;
        if (!slash || (size_t)(slash - after) >= sizeof q->after_juris ||
            (q->after = strtol(slash + 1, &end, 10), *end || q->after < 0)) {
            eg_req_error(r, 400, "invalid_parameter", "after", "not a cursor of this list (next_after)");
            return -1;
        }
        memcpy(q->after_juris, after, (size_t)(slash - after));
        q->after_juris[slash - after] = 0;
    }
    if (q->juris[0] && (!eg_scope_contains(&r->user.scope, q->juris) || !eg_juris_find(r->srv->tree, q->juris))) {
        eg_req_error(r, 404, "not_found", "juris", "no such division");
        return -1;
    }
    q->state = eg_req_query(r, "state");
    if (q->state && (strlen(q->state) > 32 || strspn(q->state, "abcdefghijklmnopqrstuvwxyz_") != strlen(q->state))) {
        eg_req_error(r, 400, "invalid_parameter", "state", "'state' is a state name");
        return -1;
    }
    return 0;
}

/* The identity number shown for a row. */
static const char *shown_id(const list_q *q, const char *id_no, char *buf, size_t size)
{
    if (q->unmasked || strlen(id_no) >= size)
        return q->unmasked ? id_no : "";
    return eg_idno_mask(id_no, buf);
}

typedef struct list_ctx {
    eg_req *r;
    list_q *q;
} list_ctx;

static eg_err add_order(void *ctx, const eg_ctl_order *o, const char *pid)
{
    list_ctx *c = ctx;
    char id[EG_DOCNO_BUFSZ + 8];
    json_array_append_new(json_object_get(c->r->resp, "items"), json_pack(
        "{s:s,s:s?,s:s,s:s,s:s,s:s,s:o,s:o,s:s,s:o,s:o,s:o}", "id", o->oid, "person_id", pid[0] ? pid : NULL,
        "id_no", shown_id(c->q, o->id_no, id, sizeof id), "name", o->name, "measure", o->measure, "state",
        o->state, "start_date", eg_json_date(o->start_date), "end_date", eg_json_date(o->end_date), "rules",
        o->rules, "juris", eg_json_juris(c->r->srv, o->juris_code), "created_at", eg_json_time(o->created_at),
        "updated_at", eg_json_time(o->updated_at)));
    if (c->q->unmasked)
        eg_req_audit_add(c->r, "order.list", pid, "order %s", o->oid);
    c->q->last = (long)o->id;
    snprintf(c->q->last_juris, sizeof c->q->last_juris, "%s", o->juris_code);
    return EG_OK;
}

/* Finish a list answer: next_after when the page is full. */
static void finish(eg_req *r, list_q *q, eg_err e)
{
    if (e) {
        eg_req_error(r, eg_http_status_of(e), eg_err_name(e), NULL, "cannot list");
        return;
    }
    char cur[EG_CODE_BUFSZ + 24];
    snprintf(cur, sizeof cur, "%s/%ld", q->last_juris, q->last);
    json_object_set_new(r->resp, "next_after",
                        (long)json_array_size(json_object_get(r->resp, "items")) == q->limit
                            ? json_string(cur) : json_null());
}

void eg_h_orders_list(eg_req *r)
{
    list_q q;
    list_ctx c = { r, &q };
    if (parse_list(r, &q))
        return;
    eg_req_json(r, 200, json_pack("{s:[]}", "items"));
    finish(r, &q, eg_store_order_page(r->rd->s, &r->user.scope, q.juris, q.state, q.from, q.to, q.after_juris, q.after,
                                      q.limit, add_order, &c));
}

static eg_err add_task(void *ctx, const eg_task_row *t)
{
    list_ctx *c = ctx;
    char id[EG_DOCNO_BUFSZ + 8];
    int overdue = strcmp(t->task.state, "open") == 0 && t->task.due_at && t->task.due_at < c->r->now;
    json_array_append_new(json_object_get(c->r->resp, "items"), json_pack(
        "{s:s,s:s,s:s,s:s?,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:b}", "id", t->task.tid, "kind", t->task.kind,
        "order_id", t->order_oid,
        "person_id", t->pid[0] ? t->pid : NULL, "id_no", shown_id(c->q, t->task.id_no, id, sizeof id), "name",
        t->task.name,
        "measure", t->measure, "state", t->task.state, "juris", eg_json_juris(c->r->srv, t->task.juris_code),
        "created_at", eg_json_time(t->task.created_at), "due_at", eg_json_time(t->task.due_at), "closed_at",
        eg_json_time(t->task.closed_at), "overdue", overdue));
    if (c->q->unmasked)
        eg_req_audit_add(c->r, "task.list", t->pid, "task %s", t->task.tid);
    c->q->last = (long)t->task.id;
    snprintf(c->q->last_juris, sizeof c->q->last_juris, "%s", t->task.juris_code);
    return EG_OK;
}

void eg_h_tasks_list(eg_req *r)
{
    list_q q;
    list_ctx c = { r, &q };
    if (parse_list(r, &q))
        return;
    eg_req_json(r, 200, json_pack("{s:[]}", "items"));
    finish(r, &q, eg_store_task_page(r->rd->s, &r->user.scope, q.juris, q.state, q.from, q.to, q.after_juris, q.after, q.limit,
                                     add_task, &c));
}
