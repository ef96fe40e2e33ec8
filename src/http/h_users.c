/*
 * http/h_users.c: GET /users, POST /users, POST /users/{id}/revoke (admin).
 * Changes are audited (user.add, user.revoke).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

static eg_err list_one(void *ctx, const eg_user_rec *u)
{
    eg_req *r = ctx;
    json_array_append_new(json_object_get(r->resp, "items"), eg_json_user(r->srv, u));
    return EG_OK;
}

void eg_h_users_list(eg_req *r)
{
    eg_err e;
    eg_req_json(r, 200, json_pack("{s:[]}", "items"));
    if ((e = eg_store_user_each(r->rd->s, list_one, r)))
        eg_req_error(r, eg_http_status_of(e), eg_err_name(e), NULL, "cannot list users");
}

/* The new account, kept from the handler to the write. */
typedef struct new_user {
    char name[72], role[32], juris[EG_CODE_BUFSZ], staff[72], hash[EG_PWHASH_BUFSZ];
} new_user;

static eg_err job_add(eg_store *w, eg_req *r)
{
    new_user *n = r->job_arg;
    eg_user_rec u = { .name = n->name, .role = n->role, .juris_code = n->juris, .staff_id = n->staff,
                      .pw_hash = n->hash, .active = 1, .created_at = r->now };
    eg_err e = eg_store_user_add(w, &u, &r->new_id);
    json_t *item = json_object_get(r->resp, "user");
    if (!e && item)
        json_object_set_new(item, "id", json_integer((json_int_t)r->new_id));
    free(n);
    r->job_arg = NULL;
    return e;
}

void eg_h_users_add(eg_req *r)
{
    static const eg_field F[] = {
        { "name", EG_F_STR, 1, 64 }, { "role", EG_F_STR, 1, 32 }, { "juris", EG_F_STR, 1, 40 },
        { "staff_id", EG_F_STR, 1, 64 }, { "password", EG_F_STR, 1, EG_PASSWORD_MAX },
    };
    eg_diag d;
    new_user *n;
    eg_err e;
    if (eg_body_check(r, F, 5))
        return;
    if (!(n = calloc(1, sizeof *n))) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    e = eg_user_check(r->rd->s, r->srv->tree, eg_body_str(r, "name"), eg_body_str(r, "role"),
                      eg_body_str(r, "juris"), eg_body_str(r, "staff_id"), n->juris, &d);
    if (!e && (e = eg_password_hash(eg_body_str(r, "password"), n->hash)))
        eg_diag_set(&d, e, NULL, 0, "password", "a password is %d to %d bytes", EG_PASSWORD_MIN, EG_PASSWORD_MAX);
    if (e) {
        free(n);
        eg_req_error(r, e == EG_ERR_EXISTS ? 409 : e == EG_ERR_DB ? 503 : 422, eg_err_name(e),
                     d.column[0] ? d.column : NULL, "%s", d.reason);
        return;
    }
    snprintf(n->name, sizeof n->name, "%s", eg_body_str(r, "name"));
    snprintf(n->role, sizeof n->role, "%s", eg_body_str(r, "role"));
    snprintf(n->staff, sizeof n->staff, "%s", eg_body_str(r, "staff_id"));
    eg_user_rec u = { .name = n->name, .role = n->role, .juris_code = n->juris, .staff_id = n->staff,
                      .active = 1, .created_at = r->now };
    eg_req_json(r, 201, json_pack("{s:o}", "user", eg_json_user(r->srv, &u)));
    eg_req_audit_add(r, "user.add", "", "%s %s %s", n->name, n->role, n->juris);
    r->job = job_add;
    r->job_arg = n;
}

static eg_err job_revoke(eg_store *w, eg_req *r)
{
    eg_session_forget(r->srv, NULL, r->new_id);
    return eg_store_user_revoke(w, r->new_id, r->now);
}

void eg_h_users_revoke(eg_req *r)
{
    char *end;
    long long id = strtoll(r->params[0], &end, 10);
    if (eg_body_check(r, NULL, 0))
        return;
    if (*end || id <= 0) {
        eg_req_error(r, 404, "not_found", "id", "no such user");
        return;
    }
    r->new_id = id;
    eg_req_json(r, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked", 1));
    eg_req_audit_add(r, "user.revoke", "", "user id %lld", id);
    r->job = job_revoke;
}
