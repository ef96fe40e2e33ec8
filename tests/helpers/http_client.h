/*
 * tests/helpers/http_client.h: a tiny HTTP/1.1 client over a loopback
 * socket for the server's tests (one request per connection), and
 * starting `epigrid serve` as a child process on a free port.
 */
#ifndef EG_HTTP_CLIENT_H
#define EG_HTTP_CLIENT_H

#include <stddef.h>
#include <sys/types.h>

/* A response: status, raw headers and body (NUL-terminated, malloc'ed). */
typedef struct hc_resp {
    int status;
    char *headers;
    char *body;
    size_t body_len;
} hc_resp;

/* Send one request to 127.0.0.1:port. `headers` (may be NULL) are extra
 * header lines, each ending in "\r\n"; `body` may be NULL. Returns 0 and
 * fills *out (free with hc_free), or -1 when the connection failed. */
int hc_request(unsigned port, const char *method, const char *path, const char *headers, const char *body,
               size_t body_len, hc_resp *out);
void hc_free(hc_resp *r);

/* Start `EG_EPIGRID_BIN --db DB --now NOW serve --listen 127.0.0.1:0`;
 * wait for its "serving on" line; *port receives the port. Returns the
 * child's pid, or -1. */
pid_t hc_serve(const char *db, const char *now, unsigned *port);

#endif
