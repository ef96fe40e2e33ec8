/*
 * http/h_audit.c: GET /audit?from=&to=&user=&after=&limit= (admin): the
 * append-only audit log, oldest first, a page at a time (after = the last
 * id seen).
 */
#include <stdio.h>
#include <string.h>
#include "internal.h"

static eg_err add_rec(void *ctx, const eg_audit_rec *a)
{
    eg_req *r = ctx;
    json_array_append_new(json_object_get(r->resp, "items"),
                          json_pack("{s:I,s:o,s:s,s:s,s:s?,s:s}", "id", (json_int_t)a->id, "at", eg_json_time(a->at),
                                    "actor", a->actor, "action", a->action, "person_id",
                                    a->person_pid[0] ? a->person_pid : NULL, "detail", a->detail));
    r->new_id = a->id;
    return EG_OK;
}

void eg_h_audit(eg_req *r)
{
    eg_time from, to;
    long after, limit;
    char actor[96] = "";
    const char *user = eg_req_query(r, "user");
    eg_err e;
    if (eg_query_time(r, "from", &from) || eg_query_time(r, "to", &to) ||
        eg_query_long(r, "after", 0, 1L << 62, 0, &after) || eg_query_long(r, "limit", 1, 1000, 100, &limit))
        return;
    if (user && *user) {
        if (strlen(user) > 80) {
            eg_req_error(r, 400, "invalid_parameter", "user", "'user' is too long");
            return;
        }
        snprintf(actor, sizeof actor, strchr(user, ':') ? "%s" : "user:%s", user);
    }
    r->new_id = 0;
    eg_req_json(r, 200, json_pack("{s:[]}", "items"));
    if ((e = eg_store_audit_page(r->rd->s, from, to, actor, after, limit, add_rec, r))) {
        eg_req_error(r, eg_http_status_of(e), eg_err_name(e), NULL, "cannot read the audit log");
        return;
    }
    json_object_set_new(r->resp, "next_after",
                        (long)json_array_size(json_object_get(r->resp, "items")) == limit
                            ? json_integer((json_int_t)r->new_id) : json_null());
}
