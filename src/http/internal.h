/*
 * http/internal.h: what the server's files share: the server and request
 * structures, the route table's entries, the writer queue, the reader
 * pool, and the JSON and error helpers the handlers use.
 */
#ifndef EG_HTTP_INTERNAL_H
#define EG_HTTP_INTERNAL_H

#include <pthread.h>
#include <stdint.h>
#include <microhttpd.h>
#include <jansson.h>
#include "epigrid/auth.h"
#include "epigrid/control.h"
#include "epigrid/analysis.h"
#include "epigrid/http.h"
#include "epigrid/juris.h"
#include "epigrid/store.h"
#include "epigrid/text.h"

#define EG_API_PREFIX "/api/v1"
#define EG_BODY_DEFAULT (1024 * 1024)   /* default body limit: 1 MiB */
#define EG_MAX_PARAMS 4
#define EG_PARAM_BUFSZ 80
#define EG_MAX_AUDIT 128                /* audit records one request may add */

typedef struct eg_req eg_req;

/* A handler: fills r->status and r->resp (or an error through
 * eg_req_error), and may queue a write (r->job) and audit records. */
typedef void (*eg_handler)(eg_req *r);
/* A write run by the writer thread inside the batch transaction. */
typedef eg_err (*eg_job_fn)(eg_store *w, eg_req *r);

/* One route: what clients see, and the handler. */
typedef struct eg_route {
    eg_route_info info;
    eg_handler handler;
} eg_route;

/* The route of `method` and `path` (under the prefix): *status is 404 (no
 * such path) or 405 (path known, method not) when NULL is returned;
 * params receive the {name} segments. allow (may be NULL) receives the
 * methods of a known path. */
const eg_route *eg_route_match(const char *method, const char *path,
                               char params[EG_MAX_PARAMS][EG_PARAM_BUFSZ], int *nparams, int *status,
                               char *allow, size_t allow_size);

/* A reader: a store handle and a normaliser for this thread's requests. */
typedef struct eg_reader {
    eg_store *s;
    eg_normalizer *norm;
    struct eg_reader *next;
} eg_reader;

/* A case series of the catalogue (GET /analysis/series). */
typedef struct eg_series {
    const char *id, *name, *region, *file, *source;
    int loaded;
    eg_date first, last;
} eg_series;

/* A node whose code lies under another node's code but which the tree
 * places elsewhere (administered_by). */
typedef struct eg_adopted {
    char code[EG_CODE_BUFSZ];
    const eg_juris_node *node;
} eg_adopted;

struct eg_server {
    struct MHD_Daemon *daemon;
    char *db_path;
    eg_clock clock;
    long session_minutes;
    char *data_dir;
    FILE *log;
    unsigned port;
    eg_juris *tree;
    eg_adopted adopted[16];
    int n_adopted;
    eg_series *series;
    size_t n_series;
    char dummy_hash[EG_PWHASH_BUFSZ];   /* verified for unknown users (even timing) */
    eg_control_params ctl;              /* control-measure parameters (loaded at start) */
    /* sessions seen lately (token hash → user), kept EG_SESSION_CACHE_S seconds of
     * real time; logout and revocation through this server drop them at once */
    pthread_mutex_t sc_mu;
    struct eg_sess_cache *scache;
    /* self-report rate limits (per token and per address, real time) */
    pthread_mutex_t rl_mu;
    struct eg_rate { char key[72]; int64_t window; int count; } rate[256];
    /* reader pool */
    pthread_mutex_t pool_mu;
    eg_reader *pool;
    /* the writer */
    pthread_t writer;
    int writer_started;
    eg_store *w;
    pthread_mutex_t q_mu;
    pthread_cond_t q_cv;
    eg_req *q_head, *q_tail;
    int stopping;
    long batches, writes;
    /* the checkpointer: copies the write-ahead log back off the writer's path */
    pthread_t ckpt;
    int ckpt_started;
    eg_store *ck;
    pthread_cond_t ck_cv;
    long ck_seen;
    /* daily reports computed or read back lately (report_cache.c) */
    struct eg_report_cache *rcache;
    /* the daily sweep every sweep_seconds (sweep.c; 0: none) */
    pthread_t sweeper;
    int sweep_started, sweep_stopping, sweep_seconds;
    pthread_cond_t sw_cv;
    long sweeps;
};

/* Start and stop the sweep thread (sweep.c). Start returns EG_OK (also
 * when seconds <= 0: no sweep) or EG_ERR_NOMEM. */
eg_err eg_sweep_start(eg_server *srv, int seconds);
void eg_sweep_stop(eg_server *srv);

#define EG_SESSION_CACHE_N 1024
#define EG_SESSION_CACHE_S 5

/* The authenticated user of a request. */
typedef struct eg_user {
    int64_t id;
    char name[64];
    eg_role role;
    char juris[EG_CODE_BUFSZ];
    char staff_id[64];
    eg_scope scope;
} eg_user;

/* A cached session. */
struct eg_sess_cache {
    char hash[EG_TOKEN_HEXSZ];
    eg_user user;
    int64_t until;          /* monotonic seconds */
};

/* Forget cached sessions: one token hash, or (hash NULL) every session of
 * user `user_id` (0: all). */
void eg_session_forget(eg_server *srv, const char *hash, int64_t user_id);

/* One audit record to add with the request's write. */
typedef struct eg_req_audit {
    char action[32];
    char pid[24];
    char detail[160];
} eg_req_audit;

struct eg_req {
    eg_server *srv;
    struct MHD_Connection *conn;
    const eg_route *route;
    char method[16];
    char params[EG_MAX_PARAMS][EG_PARAM_BUFSZ];
    int nparams;
    char addr[64];
    /* body */
    char *body;
    size_t body_len, body_cap;
    int too_big;
    json_t *json;           /* the parsed body (object) */
    /* authentication */
    int authed;
    eg_user user;
    char token[EG_TOKEN_HEXSZ];
    int via_cookie;
    /* state */
    int phase;              /* 0 new, 1 receiving, 2 waiting for the writer, 3 written */
    eg_reader *rd;          /* checked out for the handler */
    eg_time now;
    /* response */
    int status;
    json_t *resp;
    char *set_cookie;
    struct MHD_Response *raw;  /* a ready response (streams, openapi) */
    /* write */
    eg_job_fn job;
    void *job_arg;
    eg_err job_result;
    int write_on_error;     /* queue the write even for an error answer (failed logins) */
    eg_diag job_diag;       /* why the job failed (reason, field) */
    eg_req_audit *audit;
    int n_audit;
    eg_req *q_next;
    /* scratch for handlers */
    int64_t new_id;
    char scratch[256];
};

/* ---- server.c ---- */
/* An error response {"error":{"code","message","field"}} with `status`. */
void eg_req_error(eg_req *r, int status, const char *code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A JSON response (steals `body`). */
void eg_req_json(eg_req *r, int status, json_t *body);
/* The value of query parameter `name` (NULL when absent). */
const char *eg_req_query(eg_req *r, const char *name);
/* Add an audit record (actor: the request's user) to the request's write. */
void eg_req_audit_add(eg_req *r, const char *action, const char *pid, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* The scope of a user of role/juris (computes the exclusions). */
void eg_server_scope(const eg_server *srv, const char *juris, eg_scope *out);
/* The error status of a store error (404, 409, 400, else 500). */
int eg_http_status_of(eg_err e);

/* ---- pool.c ---- */
eg_reader *eg_pool_get(eg_server *srv);
void eg_pool_put(eg_server *srv, eg_reader *rd);
void eg_pool_free(eg_server *srv);

/* ---- writer.c ---- */
eg_err eg_writer_start(eg_server *srv, int durable);
/* Queue r's write (r->job and r->audit); the connection is suspended and
 * resumed once committed or failed (r->job_result). */
void eg_writer_submit(eg_server *srv, eg_req *r);
void eg_writer_stop(eg_server *srv);

/* ---- json.c: validating bodies and queries ---- */
typedef enum eg_ftype { EG_F_STR = 0, EG_F_INT, EG_F_NUM, EG_F_BOOL } eg_ftype;
typedef struct eg_field {
    const char *name;
    eg_ftype type;
    int required;
    size_t max_len;      /* strings: bytes (0: 256) */
} eg_field;
/* Check r->json against `fields` (unknown fields, types, required, length,
 * UTF-8). Returns 0, or -1 after setting an error response. */
int eg_body_check(eg_req *r, const eg_field *fields, size_t n);
/* A string field of the body ("" when absent). */
const char *eg_body_str(eg_req *r, const char *name);
/* Parse query parameters: an integer in [min, max] (def when absent), a
 * date (EG_NO_DATE when absent), a code in short form ("" when absent).
 * Return 0, or -1 after an error response. */
int eg_query_long(eg_req *r, const char *name, long min, long max, long def, long *out);
int eg_query_double(eg_req *r, const char *name, double min, double max, double def, double *out);
int eg_query_date(eg_req *r, const char *name, eg_date *out);
int eg_query_time(eg_req *r, const char *name, eg_time *out);
int eg_query_code(eg_req *r, const char *name, char *out);
/* JSON of a date ("YYYY-MM-DD" or null) and of a moment. */
json_t *eg_json_date(eg_date d);
json_t *eg_json_time(eg_time t);
/* A person as JSON, masked unless `unmasked`. */
json_t *eg_json_person(const eg_server *srv, const eg_person_rec *p, int unmasked);
/* {"code","name","level"} of a node code (name "" when not in the tree). */
json_t *eg_json_juris(const eg_server *srv, const char *code);

/* ---- report_cache.c: daily reports kept while no write commits (a few seconds at most) ---- */
struct eg_report;
eg_err eg_report_cache_init(eg_server *srv);
void eg_report_cache_free(eg_server *srv);
/* The report of `day` (version 0: the latest stored, else live as at
 * min(day 23:59, now)) through the cache: *out is shared and read-only
 * until eg_report_cache_release(srv, *handle); *hit is 1 when it came
 * from the cache. Errors of eg_report_get (d says why). */
eg_err eg_report_cache_get(eg_server *srv, eg_store *s, eg_date day, int version, eg_time now,
                           const struct eg_report **out, void **handle, int *hit, eg_diag *d);
void eg_report_cache_release(eg_server *srv, void *handle);

/* ---- handlers (one file per resource) ---- */
void eg_h_login(eg_req *r);
void eg_h_logout(eg_req *r);
void eg_h_session(eg_req *r);
void eg_h_users_list(eg_req *r);
void eg_h_users_add(eg_req *r);
void eg_h_users_revoke(eg_req *r);
void eg_h_audit(eg_req *r);
void eg_h_persons_search(eg_req *r);
void eg_h_persons_list(eg_req *r);
void eg_h_persons_export(eg_req *r);
void eg_h_person_get(eg_req *r);
void eg_h_person_trips(eg_req *r);
void eg_h_person_reveal(eg_req *r);
void eg_h_orders_list(eg_req *r);
void eg_h_tasks_list(eg_req *r);
void eg_h_series(eg_req *r);
void eg_h_rt(eg_req *r);
void eg_h_projection(eg_req *r);
void eg_h_openapi(eg_req *r);
void eg_h_readings_add(eg_req *r);
void eg_h_tests_add(eg_req *r);
void eg_h_report_daily(eg_req *r);
void eg_h_report_versions(eg_req *r);
void eg_h_order_transition(eg_req *r);
void eg_h_alerts_list(eg_req *r);
void eg_h_alert_ack(eg_req *r);
void eg_h_alert_resolve(eg_req *r);
void eg_h_task_close(eg_req *r);
void eg_h_self_report(eg_req *r);
void eg_h_facilities_list(eg_req *r);
void eg_h_admission_add(eg_req *r);
void eg_h_admission_discharge(eg_req *r);
void eg_h_checkpoints_list(eg_req *r);
void eg_h_checkpoint_log(eg_req *r);
void eg_h_checkpoint_fever(eg_req *r);
/* The `unit` of the user's staff row (a checkpoint_id or facility_id for
 * checkpoint_staff and clinician accounts; "" when none): 0, or -1 after a
 * 503 answer (h_facility.c). */
int eg_user_unit(eg_req *r, char *out, size_t size);
/* The self-report page (GET /r/{token}, outside /api/v1). */
struct MHD_Response *eg_self_report_page(void);
/* The catalogue of case series (analysis handlers); loads first/last dates. */
eg_err eg_series_load(eg_server *srv);
void eg_series_free(eg_server *srv);
/* JSON of a user account. */
json_t *eg_json_user(const eg_server *srv, const eg_user_rec *u);

#endif
