/*
 * epigrid/http.h: the HTTP/JSON server (`epigrid serve`, spec/api.md).
 *
 * GNU libmicrohttpd (a pool of threads, each with its own epoll set),
 * JSON with Jansson, every route under /api/v1/ held in one table
 * (method, path pattern, handler, roles, body limit, query parameters)
 * from which GET /api/v1/openapi.json is generated. Reads run on the
 * request's thread with a store handle from a pool; every change (and
 * every audit record) goes to one writer thread that commits the changes
 * of concurrent requests together in one transaction (each request in its
 * own savepoint) and only then lets them answer: a 2xx means committed.
 */
#ifndef EPIGRID_HTTP_H
#define EPIGRID_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "epigrid/date.h"
#include "epigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Options of eg_server_start. */
typedef struct eg_http_opts {
    const char *db_path;        /* the store (opened once per thread) */
    const char *listen;         /* "HOST:PORT" (IPv4 literal; port 0 = any free port) */
    eg_clock clock;             /* the one clock: every stamp */
    int threads;                /* request threads (0: 2 × CPUs, at least 4) */
    long session_minutes;       /* session lifetime (0: 12 h) */
    const char *data_dir;       /* bundled data (the case series), NULL: none */
    int durable;                /* 1: synchronous = FULL on the writer (default 1) */
    FILE *log;                  /* start/stop lines and internal errors (may be NULL) */
    int sweep_seconds;          /* the daily sweep (control and facilities, as at the
                                   clock) every this many seconds; 0: none */
} eg_http_opts;

typedef struct eg_server eg_server;

/* Start serving in background threads. Returns EG_OK; EG_ERR_INVALID (bad
 * listen address), EG_ERR_IO (cannot bind), EG_ERR_DB, EG_ERR_NOMEM. `d`
 * (may be NULL) says why. */
eg_err eg_server_start(const eg_http_opts *o, eg_server **out, eg_diag *d);
/* The port actually bound. */
unsigned eg_server_port(const eg_server *s);
/* Stop: finish queued writes, close connections and the store. NULL fine. */
void eg_server_stop(eg_server *s);

/* One route as described to clients (method, path under /api/v1 with
 * {name} segments, roles as eg_role bits (0: no login needed), body
 * limit in bytes (0: no body), query parameter names separated by
 * commas, a summary). */
typedef struct eg_route_info {
    const char *method;
    const char *path;
    unsigned roles;
    size_t body_limit;
    const char *query;
    const char *summary;
} eg_route_info;

/* Route number i of the table (0-based), or NULL past its end. Static. */
const eg_route_info *eg_http_route(size_t i);
/* The OpenAPI 3.1 document generated from the route table, as JSON text
 * (malloc'ed, caller frees); NULL on no memory. */
char *eg_http_openapi(void);

#ifdef __cplusplus
}
#endif
#endif
