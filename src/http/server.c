/*
 * http/server.c: the daemon (libmicrohttpd: a pool of threads, each with
 * an epoll set; connections suspended while their write is committed),
 * and the life of one request: route lookup, authentication (a bearer
 * token, or the session cookie with a CSRF header for changes), role
 * check, body limit, JSON parsing, the handler, the write, the answer.
 * Every refusal is a 4xx with {"error":{"code","message","field"}}.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"
#include "static.h"

void eg_req_error(eg_req *r, int status, const char *code, const char *field, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_decref(r->resp);
    r->resp = json_pack("{s:{s:s,s:s,s:s?}}", "error", "code", code, "message", msg, "field", field);
    r->status = status;
    r->job = NULL;
    r->n_audit = 0;
}

void eg_req_json(eg_req *r, int status, json_t *body)
{
    json_decref(r->resp);
    r->resp = body;
    r->status = status;
}

const char *eg_req_query(eg_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
}

void eg_req_audit_add(eg_req *r, const char *action, const char *pid, const char *fmt, ...)
{
    va_list ap;
    eg_req_audit *a;
    if (!r->audit && !(r->audit = calloc(EG_MAX_AUDIT, sizeof *r->audit)))
        return;
    if (r->n_audit >= EG_MAX_AUDIT)
        return;
    a = &r->audit[r->n_audit++];
    snprintf(a->action, sizeof a->action, "%s", action);
    snprintf(a->pid, sizeof a->pid, "%s", pid ? pid : "");
    va_start(ap, fmt);
    vsnprintf(a->detail, sizeof a->detail, fmt, ap);
    va_end(ap);
}

int eg_http_status_of(eg_err e)
{
    switch (e) {
    case EG_OK: return 200;
    case EG_ERR_NOT_FOUND: return 404;
    case EG_ERR_EXISTS: case EG_ERR_STATE: return 409;
    case EG_ERR_INVALID: case EG_ERR_PARSE: case EG_ERR_RANGE: case EG_ERR_ENCODING:
    case EG_ERR_CHECKSUM: return 422;
    case EG_ERR_PERM: return 403;
    case EG_ERR_DB: return 503;
    default: return 500;
    }
}

void eg_server_scope(const eg_server *srv, const char *juris, eg_scope *out)
{
    const eg_juris_node *me = eg_juris_find(srv->tree, juris);
    memset(out, 0, sizeof *out);
    snprintf(out->code, sizeof out->code, "%s", juris);
    out->exact = strchr(juris, '-') != NULL;
    for (int i = 0; i < srv->n_adopted && out->n_exclude < EG_SCOPE_MAX_EXCLUDE; i++) {
        const eg_adopted *a = &srv->adopted[i];
        if (strcmp(a->code, juris) == 0 || strncmp(a->code, juris, strlen(juris)) != 0)
            continue;
        if (me && eg_juris_is_within(a->node, me))
            continue;
        snprintf(out->exclude[out->n_exclude++], EG_CODE_BUFSZ, "%s", a->code);
    }
}

/* ---- authentication ---- */

/* Monotonic seconds. */
static int64_t mono_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec;
}

/* The cache slot of a token hash. */
static struct eg_sess_cache *cache_slot(eg_server *srv, const char *hash)
{
    unsigned long h = strtoul((char[9]){ hash[0], hash[1], hash[2], hash[3], hash[4], hash[5], hash[6], hash[7], 0 },
                              NULL, 16);
    return &srv->scache[h % EG_SESSION_CACHE_N];
}

void eg_session_forget(eg_server *srv, const char *hash, int64_t user_id)
{
    pthread_mutex_lock(&srv->sc_mu);
    if (hash) {
        struct eg_sess_cache *c = cache_slot(srv, hash);
        if (strcmp(c->hash, hash) == 0)
            c->hash[0] = 0;
    } else {
        for (int i = 0; i < EG_SESSION_CACHE_N; i++)
            if (!user_id || srv->scache[i].user.id == user_id)
                srv->scache[i].hash[0] = 0;
    }
    pthread_mutex_unlock(&srv->sc_mu);
}

typedef struct auth_ctx {
    eg_req *r;
    int ok;
} auth_ctx;

/* Copy the session's user into the request. */
static eg_err take_user(void *ctx, const eg_user_rec *u)
{
    auth_ctx *a = ctx;
    eg_user *me = &a->r->user;
    if (eg_role_parse(u->role, &me->role))
        return EG_OK;
    me->id = u->id;
    snprintf(me->name, sizeof me->name, "%s", u->name);
    snprintf(me->juris, sizeof me->juris, "%s", u->juris_code);
    snprintf(me->staff_id, sizeof me->staff_id, "%s", u->staff_id);
    a->ok = 1;
    return EG_OK;
}

/* Authenticate r from its bearer token or session cookie. Returns 0, or
 * -1 after an error response. */
static int authenticate(eg_req *r, eg_reader *rd)
{
    const char *h = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    const char *tok = NULL;
    char hash[EG_TOKEN_HEXSZ];
    auth_ctx a = { r, 0 };
    eg_err e;
    if (h && strncasecmp(h, "Bearer ", 7) == 0) {
        tok = h + 7;
        while (*tok == ' ')
            tok++;
    } else if ((tok = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "eg_session")) != NULL) {
        r->via_cookie = 1;
    }
    if (!tok) {
        eg_req_error(r, 401, "unauthenticated", NULL, "log in first (POST /api/v1/auth/login)");
        return -1;
    }
    if (eg_token_hash(tok, hash)) {
        eg_req_error(r, 401, "unauthenticated", NULL, "the session token is not valid");
        return -1;
    }
    {
        struct eg_sess_cache *c = cache_slot(r->srv, hash);
        int64_t now = mono_s();
        pthread_mutex_lock(&r->srv->sc_mu);
        if (strcmp(c->hash, hash) == 0 && c->until > now) {
            r->user = c->user;
            a.ok = 2;
        }
        pthread_mutex_unlock(&r->srv->sc_mu);
        e = a.ok ? EG_OK : eg_store_session_user(rd->s, hash, r->now, take_user, &a);
        if (!e && a.ok == 1) {
            eg_server_scope(r->srv, r->user.juris, &r->user.scope);
            pthread_mutex_lock(&r->srv->sc_mu);
            snprintf(c->hash, sizeof c->hash, "%s", hash);
            c->user = r->user;
            c->until = now + EG_SESSION_CACHE_S;
            pthread_mutex_unlock(&r->srv->sc_mu);
        }
    }
    if (e == EG_ERR_NOT_FOUND || (!e && !a.ok)) {
        eg_req_error(r, 401, "unauthenticated", NULL, "the session has expired or was revoked");
        return -1;
    }
    if (e) {
        eg_req_error(r, 503, "unavailable", NULL, "the database is busy; try again");
        return -1;
    }
    snprintf(r->token, sizeof r->token, "%s", tok);
    r->authed = 1;
    if (r->via_cookie && strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0) {
        const char *c = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
        char want[EG_TOKEN_HEXSZ];
        eg_token_csrf(tok, want);
        if (!c || !eg_auth_streq(c, want)) {
            eg_req_error(r, 403, "csrf", "X-CSRF-Token",
                         "a change made with the session cookie needs the X-CSRF-Token header");
            return -1;
        }
    }
    return 0;
}

/* ---- answering ---- */

/* Queue r's response (JSON, or a prepared raw one). */
static enum MHD_Result respond(eg_req *r)
{
    struct MHD_Response *resp = r->raw;
    enum MHD_Result ret;
    if (!resp) {
        char *txt = r->resp ? json_dumps(r->resp, JSON_COMPACT | JSON_REAL_PRECISION(12)) : NULL;
        if (!txt) {
            static const char OOM[] = "{\"error\":{\"code\":\"nomem\",\"message\":\"out of memory\"}}";
            resp = MHD_create_response_from_buffer(sizeof OOM - 1, (void *)OOM, MHD_RESPMEM_PERSISTENT);
            r->status = 503;
        } else {
            resp = MHD_create_response_from_buffer(strlen(txt), txt, MHD_RESPMEM_MUST_FREE);
        }
        if (!resp)
            return MHD_NO;
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    }
    r->raw = NULL;
    if (!MHD_get_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL))   /* static files set their own */
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (r->set_cookie)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_SET_COOKIE, r->set_cookie);
    if (r->status == 405 && r->scratch[0])
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, r->scratch);
    if (r->status == 429 && r->new_id > 0) {
        char s[24];
        snprintf(s, sizeof s, "%lld", (long long)r->new_id);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, s);
    }
    ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    return ret;
}

/* The client's address as text. */
static void client_addr(struct MHD_Connection *c, char *out, size_t size)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(out, size, "unknown");
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, out, (socklen_t)size);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, out, (socklen_t)size);
    }
}

/* Check the query parameters against the route's list. Returns 0 or -1. */
typedef struct qcheck {
    const char *allowed;
    const char *bad;
} qcheck;

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    qcheck *q = cls;
    size_t n = strlen(key);
    const char *p = q->allowed;
    (void)kind;
    (void)value;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (l == n && strncmp(p, key, n) == 0)
            return MHD_YES;
        p = e ? e + 1 : NULL;
    }
    q->bad = key;
    return MHD_NO;
}

/* First call of a request: route, authentication, limits. Returns 0 to
 * go on receiving, 1 when a response is ready. */
static int begin_request(eg_req *r, const char *url, const char *method)
{
    int status;
    eg_reader *rd;
    const char *cl;
    qcheck q = { NULL, NULL };
    snprintf(r->method, sizeof r->method, "%s", method);
    r->now = eg_clock_now(&r->srv->clock);
    client_addr(r->conn, r->addr, sizeof r->addr);
    if (strncmp(url, EG_API_PREFIX "/", sizeof EG_API_PREFIX) != 0) {
        /* the web pages of web/dist (http/static.c); /r/{token} falls back to the built-in page */
        if ((r->raw = eg_static_response(r->conn, method, url, &r->status)) != NULL)
            return 1;
        if (strncmp(url, "/r/", 3) == 0 && strcmp(method, "GET") == 0 && strlen(url) == 3 + 64 &&
            strspn(url + 3, "0123456789abcdef") == 64 && (r->raw = eg_self_report_page()) != NULL) {
            r->status = 200;
            return 1;
        }
        eg_req_error(r, 404, "not_found", NULL, "no such route (the API is under %s/)", EG_API_PREFIX);
        return 1;
    }
    r->route = eg_route_match(method, url + sizeof EG_API_PREFIX - 1, r->params, &r->nparams, &status,
                              r->scratch, sizeof r->scratch);
    if (!r->route) {
        if (status == 405)
            eg_req_error(r, 405, "method_not_allowed", NULL, "%s is not allowed here (allowed: %s)", method,
                         r->scratch);
        else
            eg_req_error(r, 404, "not_found", NULL, "no such route");
        return 1;
    }
    r->scratch[0] = 0;
    q.allowed = r->route->info.query;
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, check_arg, &q);
    if (q.bad) {
        eg_req_error(r, 400, "unknown_parameter", q.bad, "unknown query parameter '%.64s'", q.bad);
        return 1;
    }
    if (r->route->info.roles) {
        if (!(rd = eg_pool_get(r->srv))) {
            eg_req_error(r, 503, "unavailable", NULL, "cannot open the database");
            return 1;
        }
        int bad = authenticate(r, rd);
        eg_pool_put(r->srv, rd);
        if (bad)
            return 1;
        if (!(r->route->info.roles & EG_ROLE_BIT(r->user.role))) {
            eg_req_error(r, 403, "forbidden", NULL, "the role %s may not do this", eg_role_name(r->user.role));
            return 1;
        }
    }
    cl = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (cl && strtoull(cl, NULL, 10) > (r->route->info.body_limit ? r->route->info.body_limit : 0)) {
        if (!r->route->info.body_limit)
            eg_req_error(r, 413, "body_not_allowed", NULL, "this route takes no body");
        else
            eg_req_error(r, 413, "too_large", NULL, "the body is larger than %zu bytes", r->route->info.body_limit);
        return 1;
    }
    return 0;
}

/* Take a piece of the body. */
static void take_body(eg_req *r, const char *data, size_t n)
{
    size_t limit = r->route->info.body_limit;
    if (r->too_big || r->body_len + n > limit) {
        r->too_big = 1;
        return;
    }
    if (r->body_len + n + 1 > r->body_cap) {
        size_t cap = r->body_cap ? r->body_cap : 1024;
        while (cap < r->body_len + n + 1)
            cap *= 2;
        char *b = realloc(r->body, cap);
        if (!b) {
            r->too_big = 1;
            return;
        }
        r->body = b;
        r->body_cap = cap;
    }
    memcpy(r->body + r->body_len, data, n);
    r->body_len += n;
    r->body[r->body_len] = 0;
}

/* The body is complete: parse it and run the handler. */
static void run_handler(eg_req *r)
{
    if (r->too_big) {
        eg_req_error(r, 413, "too_large", NULL, "the body is larger than %zu bytes", r->route->info.body_limit);
        return;
    }
    if (r->route->info.body_limit) {
        json_error_t je;
        /* an empty body is an empty object: the handler names what is missing */
        r->json = r->body_len ? json_loadb(r->body, r->body_len, JSON_REJECT_DUPLICATES, &je) : json_object();
        if (!r->json) {
            eg_req_error(r, 400, "invalid_json", NULL, "malformed JSON at line %d column %d: %s", je.line,
                         je.column, je.text);
            return;
        }
        if (!json_is_object(r->json)) {
            eg_req_error(r, 400, "invalid_json", NULL, "the body must be a JSON object");
            return;
        }
    } else if (r->body_len) {
        eg_req_error(r, 413, "body_not_allowed", NULL, "this route takes no body");
        return;
    }
    if (!(r->rd = eg_pool_get(r->srv))) {
        eg_req_error(r, 503, "unavailable", NULL, "cannot open the database");
        return;
    }
    r->status = 200;
    r->route->handler(r);
    eg_pool_put(r->srv, r->rd);
    r->rd = NULL;
    if (!r->resp && !r->raw)
        eg_req_error(r, 500, "internal", NULL, "no response");
}

static enum MHD_Result access_cb(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                 const char *version, const char *upload_data, size_t *upload_data_size,
                                 void **con_cls)
{
    eg_server *srv = cls;
    eg_req *r = *con_cls;
    (void)version;
    if (!r) {
        if (!(r = calloc(1, sizeof *r)))
            return MHD_NO;
        r->srv = srv;
        r->conn = conn;
        *con_cls = r;
        if (begin_request(r, url, method))
            return respond(r);
        r->phase = 1;
        return MHD_YES;
    }
    if (r->phase == 1) {
        if (*upload_data_size) {
            take_body(r, upload_data, *upload_data_size);
            *upload_data_size = 0;
            return MHD_YES;
        }
        run_handler(r);
        if ((r->status < 300 || r->write_on_error) && (r->job || r->n_audit)) {
            r->phase = 2;
            MHD_suspend_connection(conn);
            eg_writer_submit(srv, r);
            return MHD_YES;
        }
        r->phase = 3;
        return respond(r);
    }
    if (r->phase == 2) {
        r->phase = 3;
        if (r->job_result) {
            eg_err e = r->job_result;
            int st = eg_http_status_of(e);
            if (r->raw) {
                MHD_destroy_response(r->raw);
                r->raw = NULL;
            }
            free(r->set_cookie);
            r->set_cookie = NULL;
            eg_req_error(r, st, st >= 500 ? "unavailable" : eg_err_name(e),
                         r->job_diag.column[0] ? r->job_diag.column : NULL, "%s",
                         st >= 500 ? "the change could not be committed; try again"
                         : r->job_diag.reason[0] ? r->job_diag.reason : eg_strerror(e));
        }
        return respond(r);
    }
    return MHD_NO;
}

/* Free a request when its connection is done with it. */
static void completed_cb(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    eg_req *r = *con_cls;
    (void)cls, (void)conn, (void)toe;
    if (!r)
        return;
    json_decref(r->json);
    json_decref(r->resp);
    if (r->raw)
        MHD_destroy_response(r->raw);
    free(r->set_cookie);
    free(r->body);
    free(r->audit);
    free(r->job_arg);
    free(r);
    *con_cls = NULL;
}

/* libmicrohttpd's messages. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    FILE *f = cls;
    if (f) {
        fputs("epigrid: serve: ", f);
        vfprintf(f, fmt, ap);
    }
}

/* Find the nodes the tree places elsewhere than their code says. */
static void find_adopted(eg_server *srv)
{
    for (size_t i = 0; i < srv->tree->n; i++) {
        const eg_juris_node *n = &srv->tree->nodes[i];
        char code[EG_CODE_BUFSZ], up[EG_CODE_BUFSZ];
        const eg_juris_node *byc = NULL;
        snprintf(code, sizeof code, "%s", n->code);
        while (!byc && eg_code_parent(code, up) == EG_OK) {
            byc = eg_juris_find(srv->tree, up);
            memcpy(code, up, sizeof code);
        }
        if (byc && byc != n->parent && srv->n_adopted < (int)(sizeof srv->adopted / sizeof srv->adopted[0])) {
            snprintf(srv->adopted[srv->n_adopted].code, EG_CODE_BUFSZ, "%s", n->code);
            srv->adopted[srv->n_adopted++].node = n;
        }
    }
}

/* Parse "HOST:PORT" into an IPv4 socket address. */
static int parse_listen(const char *s, struct sockaddr_in *sa)
{
    char host[64];
    const char *colon = strrchr(s, ':');
    char *end;
    long port;
    if (!colon || (size_t)(colon - s) >= sizeof host)
        return -1;
    memcpy(host, s, (size_t)(colon - s));
    host[colon - s] = 0;
    port = strtol(colon + 1, &end, 10);
    if (*end || colon[1] == 0 || port < 0 || port > 65535)
        return -1;
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host[0] ? host : "127.0.0.1", &sa->sin_addr) != 1)
        return -1;
    return 0;
}

eg_err eg_server_start(const eg_http_opts *o, eg_server **out, eg_diag *d)
{
    eg_server *srv;
    struct sockaddr_in sa;
    eg_store *s = NULL;
    eg_err e;
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    unsigned threads = o->threads > 0 ? (unsigned)o->threads : (unsigned)(ncpu > 2 ? 2 * ncpu : 4);
    *out = NULL;
    if (parse_listen(o->listen ? o->listen : "127.0.0.1:8080", &sa))
        return eg_diag_set(d, EG_ERR_INVALID, NULL, 0, "--listen", "'%s' is not HOST:PORT (IPv4)",
                           o->listen);
    if (eg_auth_init())
        return eg_diag_set(d, EG_ERR_UNSUPPORTED, NULL, 0, NULL, "libsodium cannot start");
    if (!(srv = calloc(1, sizeof *srv)))
        return EG_ERR_NOMEM;
    pthread_mutex_init(&srv->pool_mu, NULL);
    pthread_mutex_init(&srv->q_mu, NULL);
    pthread_mutex_init(&srv->rl_mu, NULL);
    pthread_mutex_init(&srv->sc_mu, NULL);
    srv->scache = calloc(EG_SESSION_CACHE_N, sizeof *srv->scache);
    if (!srv->scache) {
        eg_server_stop(srv);
        return EG_ERR_NOMEM;
    }
    pthread_cond_init(&srv->q_cv, NULL);
    srv->db_path = strdup(o->db_path);
    srv->data_dir = o->data_dir ? strdup(o->data_dir) : NULL;
    srv->clock = o->clock;
    srv->session_minutes = o->session_minutes > 0 ? o->session_minutes : 12 * 60;
    srv->log = o->log;
    if ((e = eg_store_open(o->db_path, 0, &s, d)) || (e = eg_juris_load(s, &srv->tree))) {
        eg_store_close(s);
        eg_server_stop(srv);
        return eg_diag_set(d, e, NULL, 0, NULL, "cannot open the database %s", o->db_path);
    }
    if ((e = eg_control_params_load(s, &srv->ctl, d))) {
        eg_store_close(s);
        eg_server_stop(srv);
        return e;
    }
    eg_store_close(s);
    find_adopted(srv);
    eg_series_load(srv);
    if (eg_report_cache_init(srv)) {
        eg_server_stop(srv);
        return EG_ERR_NOMEM;
    }
    if (eg_password_hash("not-a-password-of-anyone", srv->dummy_hash) ||
        (e = eg_writer_start(srv, o->durable))) {
        eg_server_stop(srv);
        return eg_diag_set(d, EG_ERR_DB, NULL, 0, NULL, "cannot start the writer");
    }
    if (eg_sweep_start(srv, o->sweep_seconds)) {
        eg_server_stop(srv);
        return eg_diag_set(d, EG_ERR_NOMEM, NULL, 0, NULL, "cannot start the sweep");
    }
    srv->daemon = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
            MHD_USE_TURBO,
        0, NULL, NULL, access_cb, srv,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, (void *)o->log,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
        MHD_OPTION_THREAD_POOL_SIZE, threads,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
        MHD_OPTION_NOTIFY_COMPLETED, completed_cb, srv,
        MHD_OPTION_END);
    if (!srv->daemon) {
        eg_server_stop(srv);
        return eg_diag_set(d, EG_ERR_IO, NULL, 0, "--listen", "cannot listen on %s (in use?)", o->listen);
    }
    {
        const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
        srv->port = di ? di->port : ntohs(sa.sin_port);
    }
    *out = srv;
    return EG_OK;
}

unsigned eg_server_port(const eg_server *s)
{
    return s->port;
}

void eg_server_stop(eg_server *srv)
{
    if (!srv)
        return;
    if (srv->daemon) {
        MHD_quiesce_daemon(srv->daemon);
        /* let queued writes finish so no connection stays suspended */
        for (int i = 0; i < 500; i++) {
            int busy;
            pthread_mutex_lock(&srv->q_mu);
            busy = srv->q_head != NULL;
            pthread_mutex_unlock(&srv->q_mu);
            if (!busy)
                break;
            usleep(10000);
        }
        usleep(20000);
        MHD_stop_daemon(srv->daemon);
    }
    eg_sweep_stop(srv);
    eg_writer_stop(srv);
    if (srv->log && srv->batches)
        fprintf(srv->log, "epigrid: serve: %ld writes committed in %ld batches\n", srv->writes, srv->batches);
    eg_pool_free(srv);
    eg_series_free(srv);
    eg_report_cache_free(srv);
    eg_juris_free(srv->tree);
    pthread_mutex_destroy(&srv->pool_mu);
    pthread_mutex_destroy(&srv->q_mu);
    pthread_mutex_destroy(&srv->rl_mu);
    pthread_mutex_destroy(&srv->sc_mu);
    free(srv->scache);
    pthread_cond_destroy(&srv->q_cv);
    free(srv->db_path);
    free(srv->data_dir);
    free(srv);
}
