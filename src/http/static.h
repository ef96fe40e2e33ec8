/*
 * http/static.h: the built web pages (web/dist) served for every path
 * outside /api/v1 (see http/static.c and docs/dashboard.md).
 */
#ifndef EG_HTTP_STATIC_H
#define EG_HTTP_STATIC_H

#include <microhttpd.h>

/* The folder the pages are read from: $EPIGRID_WEB, else the build's
 * web/dist (compile definition EG_WEBDIR). */
const char *eg_static_dir(void);

/*
 * The response for `url` (a path outside /api/v1, already unescaped by
 * libmicrohttpd) and `method`: the file of web/dist it names ("/" is
 * index.html, "/NAME" is NAME.html, "/r/{64 hex}" the self-report page
 * r.html), its precompressed .br or .gz variant when the client accepts
 * it, with its MIME type, ETag and cache headers; 304 when If-None-Match
 * matches; 405 for methods other than GET and HEAD; 503 for "/" when the
 * pages are not built. *status receives the HTTP status. NULL (status
 * 404) when no file may be served for the path (missing, traversal,
 * hidden files, odd names): the caller answers its JSON 404, or for
 * /r/{token} its built-in page. NULL with status 200 or 304: no memory.
 */
struct MHD_Response *eg_static_response(struct MHD_Connection *conn, const char *method, const char *url,
                                        int *status);

#endif
