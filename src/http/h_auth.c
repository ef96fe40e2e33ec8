/*
 * http/h_auth.c: POST /auth/login, POST /auth/logout, GET /auth/session.
 *
 * Login verifies the argon2id hash (an unknown user costs the same: a
 * dummy hash is verified), then stores a new session (the token's hash
 * only) through the writer. Failed logins are counted per user and per
 * client address (real time, kept in the database): after 5 failures in
 * 15 minutes each further try waits 1, 2, 4, ... seconds (at most 15
 * minutes) since the last failure, answered 429 with Retry-After.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "internal.h"

/* Login throttling: failures allowed before waits begin, and the window
 * (seconds) after which failures are forgotten, which is also the longest
 * wait (15 minutes). */
#define FREE_FAILURES 5
#define THROTTLE_WINDOW_S 900

/* Seconds to wait before key may try again (0: now). */
static long throttle_wait(eg_req *r, const char *key, int64_t now)
{
    long n = 0;
    int64_t last = 0;
    if (eg_store_login_state(r->rd->s, key, &n, &last) || n < FREE_FAILURES || now - last > THROTTLE_WINDOW_S)
        return 0;
    long shift = n - FREE_FAILURES;
    long delay = shift >= 10 ? THROTTLE_WINDOW_S : 1L << shift;
    if (delay > THROTTLE_WINDOW_S)
        delay = THROTTLE_WINDOW_S;
    return (long)(last + delay - now) > 0 ? (long)(last + delay - now) : 0;
}

/* The write of a failed login: one more failure for both keys. */
static eg_err job_fail(eg_store *w, eg_req *r)
{
    char key[160];
    int64_t now = (int64_t)time(NULL);
    eg_err e;
    snprintf(key, sizeof key, "user:%.150s", r->scratch);
    if ((e = eg_store_login_fail(w, key, now, THROTTLE_WINDOW_S)))
        return e;
    snprintf(key, sizeof key, "addr:%s", r->addr);
    return eg_store_login_fail(w, key, now, THROTTLE_WINDOW_S);
}

/* The write of a successful login: the session, and the user's counter reset. */
static eg_err job_login(eg_store *w, eg_req *r)
{
    char key[160], hash[EG_TOKEN_HEXSZ];
    eg_err e;
    eg_token_hash(r->token, hash);
    if ((e = eg_store_session_add(w, hash, r->user.id, r->now, r->now + r->srv->session_minutes, r->addr)))
        return e;
    snprintf(key, sizeof key, "user:%s", r->user.name);
    return eg_store_login_clear(w, key);
}

typedef struct login_user {
    int found;
    int active;
    char hash[EG_PWHASH_BUFSZ];
    eg_user_rec rec;
    char name[64], role[32], juris[EG_CODE_BUFSZ], staff[64];
} login_user;

static eg_err copy_user(void *ctx, const eg_user_rec *u)
{
    login_user *l = ctx;
    l->found = 1;
    l->active = u->active;
    snprintf(l->hash, sizeof l->hash, "%s", u->pw_hash);
    snprintf(l->name, sizeof l->name, "%s", u->name);
    snprintf(l->role, sizeof l->role, "%s", u->role);
    snprintf(l->juris, sizeof l->juris, "%s", u->juris_code);
    snprintf(l->staff, sizeof l->staff, "%s", u->staff_id);
    l->rec = *u;
    l->rec.name = l->name, l->rec.role = l->role, l->rec.juris_code = l->juris, l->rec.staff_id = l->staff;
    l->rec.pw_hash = "";
    return EG_OK;
}

json_t *eg_json_user(const eg_server *srv, const eg_user_rec *u)
{
    return json_pack("{s:I,s:s,s:s,s:o,s:s,s:b,s:o,s:o}", "id", (json_int_t)u->id, "name", u->name, "role",
                     u->role, "juris", eg_json_juris(srv, u->juris_code), "staff_id", u->staff_id, "active",
                     u->active, "created_at", eg_json_time(u->created_at), "revoked_at",
                     eg_json_time(u->revoked_at));
}

void eg_h_login(eg_req *r)
{
    static const eg_field F[] = { { "username", EG_F_STR, 1, 64 }, { "password", EG_F_STR, 1, EG_PASSWORD_MAX } };
    login_user *lu;
    char key[160], hash[EG_TOKEN_HEXSZ], csrf[EG_TOKEN_HEXSZ], cookie[256];
    int64_t now = (int64_t)time(NULL);
    long wait_u, wait_a;
    int ok;
    if (eg_body_check(r, F, 2))
        return;
    const char *name = eg_body_str(r, "username"), *pw = eg_body_str(r, "password");
    snprintf(key, sizeof key, "user:%s", name);
    wait_u = throttle_wait(r, key, now);
    snprintf(key, sizeof key, "addr:%s", r->addr);
    wait_a = throttle_wait(r, key, now);
    if (wait_u || wait_a) {
        eg_req_error(r, 429, "too_many_attempts", NULL, "too many failed logins; try again in %ld s",
                     wait_u > wait_a ? wait_u : wait_a);
        r->new_id = wait_u > wait_a ? wait_u : wait_a;
        return;
    }
    if (!(lu = calloc(1, sizeof *lu))) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    if (eg_store_user_get(r->rd->s, name, 0, copy_user, lu) == EG_OK && lu->active)
        ok = eg_password_verify(lu->hash, pw);
    else
        ok = (eg_password_verify(r->srv->dummy_hash, pw), 0);
    if (!ok) {
        free(lu);
        eg_req_error(r, 401, "bad_credentials", NULL, "wrong user name or password");
        snprintf(r->scratch, sizeof r->scratch, "%.200s", name);
        r->job = job_fail;
        r->write_on_error = 1;
        return;
    }
    r->user.id = lu->rec.id;
    snprintf(r->user.name, sizeof r->user.name, "%s", lu->name);
    r->authed = 1;
    eg_token_new(r->token, hash);
    eg_token_csrf(r->token, csrf);
    snprintf(cookie, sizeof cookie, "eg_session=%s; Path=%s; HttpOnly; SameSite=Strict; Max-Age=%ld", r->token,
             EG_API_PREFIX, r->srv->session_minutes * 60);
    r->set_cookie = strdup(cookie);
    eg_req_json(r, 200, json_pack("{s:s,s:s,s:o,s:o}", "token", r->token, "csrf", csrf, "expires_at",
                                  eg_json_time(r->now + r->srv->session_minutes), "user",
                                  eg_json_user(r->srv, &lu->rec)));
    eg_req_audit_add(r, "auth.login", "", "from %s", r->addr);
    r->job = job_login;
    free(lu);
}

/* The write of a logout: revoke the session. */
static eg_err job_logout(eg_store *w, eg_req *r)
{
    char hash[EG_TOKEN_HEXSZ];
    eg_token_hash(r->token, hash);
    eg_session_forget(r->srv, hash, 0);
    return eg_store_session_revoke(w, hash, r->now);
}

void eg_h_logout(eg_req *r)
{
    if (eg_body_check(r, NULL, 0))
        return;
    r->set_cookie = strdup("eg_session=; Path=" EG_API_PREFIX "; HttpOnly; SameSite=Strict; Max-Age=0");
    eg_req_json(r, 200, json_pack("{s:b}", "ok", 1));
    r->job = job_logout;
}

void eg_h_session(eg_req *r)
{
    char csrf[EG_TOKEN_HEXSZ];
    eg_token_csrf(r->token, csrf);
    eg_req_json(r, 200, json_pack("{s:{s:I,s:s,s:s,s:o,s:s},s:s,s:b}", "user", "id", (json_int_t)r->user.id,
                                  "name", r->user.name, "role", eg_role_name(r->user.role), "juris",
                                  eg_json_juris(r->srv, r->user.juris), "staff_id", r->user.staff_id, "csrf",
                                  csrf, "unmasked", eg_role_sees_unmasked(r->user.role)));
}
