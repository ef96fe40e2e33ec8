/*
 * http/static.c: the web pages built from web/ (npm, esbuild) into
 * web/dist, served by `epigrid serve` on the API's port for every path
 * outside /api/v1. Files are read at run time from $EPIGRID_WEB or the
 * build's web/dist (EG_WEBDIR); nothing is fetched from elsewhere.
 *
 * - Names: "/" is index.html; "/NAME" (no dot in the last segment) is
 *   NAME.html; "/r/{token}" (64 hex digits) is the self-report page
 *   r.html; otherwise the path itself under the folder.
 * - Safety: only [A-Za-z0-9._-/] in a path, no empty segment, no segment
 *   that starts with a dot (so no "..", no hidden files), at most 200
 *   bytes; files opened with O_NOFOLLOW and must be regular files.
 *   Anything else is 404, as a missing file.
 * - Compression: a precompressed NAME.br or NAME.gz written by the build
 *   is sent when Accept-Encoding allows it (br first), with Vary.
 * - Caching: hashed files under assets/ are immutable for a year; pages
 *   are "no-cache" with an ETag (size and modification time), so a
 *   revalidation answers 304.
 * - Pages carry a Content-Security-Policy (scripts and connections to
 *   this origin only) and Referrer-Policy: no-referrer (the self-report
 *   link is a secret).
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include "static.h"

#ifndef EG_WEBDIR
#ifdef EG_DATADIR
#define EG_WEBDIR EG_DATADIR "/../web/dist"
#else
#define EG_WEBDIR "web/dist"
#endif
#endif

#define MAX_REL 200
#define CSP "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " \
            "connect-src 'self'; font-src 'self'; frame-ancestors 'self'; base-uri 'none'; form-action 'self'"

/* One known file type: extension, MIME type, whether compressible. */
typedef struct mime {
    const char *ext, *type;
    int text;
} mime;

static const mime MIMES[] = {
    { "html", "text/html; charset=utf-8", 1 },
    { "js", "text/javascript; charset=utf-8", 1 },
    { "mjs", "text/javascript; charset=utf-8", 1 },
    { "css", "text/css; charset=utf-8", 1 },
    { "json", "application/json", 1 },
    { "geojson", "application/geo+json", 1 },
    { "map", "application/json", 1 },
    { "svg", "image/svg+xml", 1 },
    { "txt", "text/plain; charset=utf-8", 1 },
    { "webmanifest", "application/manifest+json", 1 },
    { "png", "image/png", 0 },
    { "ico", "image/x-icon", 0 },
    { "woff2", "font/woff2", 0 },
};

/* The folder the pages are read from. */
const char *eg_static_dir(void)
{
    const char *env = getenv("EPIGRID_WEB");
    return env && *env ? env : EG_WEBDIR;
}

/* The MIME entry of a file name (NULL: unknown type). */
static const mime *mime_of(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return NULL;
    for (size_t i = 0; i < sizeof MIMES / sizeof MIMES[0]; i++)
        if (strcmp(dot + 1, MIMES[i].ext) == 0)
            return &MIMES[i];
    return NULL;
}

/* Map a URL path to a file name relative to the folder. Returns 0, or -1
 * when the path is not one that may be served. */
static int rel_path(const char *url, char *out, size_t size)
{
    size_t n = strlen(url), seg = 0;
    const char *last;
    if (url[0] != '/' || n > MAX_REL)
        return -1;
    if (n == 1)
        return snprintf(out, size, "index.html") < (int)size ? 0 : -1;
    if (strncmp(url, "/r/", 3) == 0 && n == 3 + 64 && strspn(url + 3, "0123456789abcdef") == 64)
        return snprintf(out, size, "r.html") < (int)size ? 0 : -1;
    if (strspn(url, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-/") != n)
        return -1;
    /* every segment non-empty and not starting with a dot */
    for (size_t i = 1; i <= n; i++) {
        if (i == n || url[i] == '/') {
            if (seg == 0 || url[i - seg] == '.')
                return -1;
            seg = 0;
        } else {
            seg++;
        }
    }
    last = strrchr(url, '/') + 1;
    if (!strchr(last, '.'))
        return snprintf(out, size, "%s.html", url + 1) < (int)size ? 0 : -1;
    return snprintf(out, size, "%s", url + 1) < (int)size ? 0 : -1;
}

/* 1 when the Accept-Encoding value accepts `coding` (a q of 0 refuses). */
static int accepts(const char *ae, const char *coding)
{
    size_t cl = strlen(coding);
    const char *p = ae;
    while (p && *p) {
        const char *end = strchr(p, ',');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        while (len && (*p == ' ' || *p == '\t'))
            p++, len--;
        if (len >= cl && strncasecmp(p, coding, cl) == 0 &&
            (len == cl || p[cl] == ';' || p[cl] == ' ' || p[cl] == '\t')) {
            const char *q = p + cl;
            const char *qe = p + len;
            while (q < qe && (*q == ' ' || *q == '\t' || *q == ';'))
                q++;
            if (qe - q >= 2 && (q[0] == 'q' || q[0] == 'Q') && q[1] == '=') {
                double v = strtod(q + 2, NULL);
                return v > 0;
            }
            return 1;
        }
        p = end ? end + 1 : NULL;
    }
    return 0;
}

/* Open `path` as a regular file (no symbolic link): the descriptor, or -1. */
static int open_regular(const char *path, struct stat *st)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode)) {
        close(fd);
        return -1;
    }
    return fd;
}

/* A small plain-text answer (404, 405, 503). */
static struct MHD_Response *text_answer(const char *text)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
    if (resp) {
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/plain; charset=utf-8");
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    }
    return resp;
}

/* Add the headers common to a file and its 304. */
static void file_headers(struct MHD_Response *resp, const char *rel, const mime *m, const char *etag)
{
    int immutable = strncmp(rel, "assets/", 7) == 0;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL,
                            immutable ? "public, max-age=31536000, immutable" : "no-cache");
    MHD_add_response_header(resp, MHD_HTTP_HEADER_ETAG, etag);
    if (m && m->text)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_VARY, "Accept-Encoding");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    if (m && strcmp(m->ext, "html") == 0) {
        MHD_add_response_header(resp, "Content-Security-Policy", CSP);
        MHD_add_response_header(resp, "X-Frame-Options", "SAMEORIGIN");
    }
}

struct MHD_Response *eg_static_response(struct MHD_Connection *conn, const char *method, const char *url,
                                        int *status)
{
    char rel[MAX_REL + 16], path[4096 + MAX_REL + 32], etag[64];
    const char *dir = eg_static_dir(), *ae, *inm, *enc = NULL;
    const mime *m;
    struct stat st, cst;
    struct MHD_Response *resp;
    int fd;

    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0) {
        *status = 405;
        resp = text_answer("method not allowed\n");
        if (resp)
            MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
        return resp;
    }
    *status = 404;
    if (rel_path(url, rel, sizeof rel) != 0 || strlen(dir) > 4096)
        return NULL;
    snprintf(path, sizeof path, "%s/%s", dir, rel);
    if ((fd = open_regular(path, &st)) < 0) {
        if (strcmp(url, "/") != 0)
            return NULL;    /* the caller answers 404 (or, for /r/, its built-in page) */
        *status = 503;
        return text_answer("the web pages are not built (run scripts/bootstrap, or npm ci && npm run build "
                           "in web/)\n");
    }
    m = mime_of(rel);
    snprintf(etag, sizeof etag, "W/\"%llx-%llx\"", (unsigned long long)st.st_size,
             (unsigned long long)st.st_mtime);
    inm = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (inm && strstr(inm, etag)) {
        close(fd);
        *status = 304;
        if (!(resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT)))
            return NULL;
        file_headers(resp, rel, m, etag);
        return resp;
    }
    ae = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_ACCEPT_ENCODING);
    if (m && m->text && ae) {
        static const char *const CODINGS[][2] = { { "br", ".br" }, { "gzip", ".gz" } };
        for (size_t i = 0; i < 2 && !enc; i++) {
            char cpath[sizeof path + 4];
            int cfd;
            if (!accepts(ae, CODINGS[i][0]))
                continue;
            snprintf(cpath, sizeof cpath, "%s%s", path, CODINGS[i][1]);
            if ((cfd = open_regular(cpath, &cst)) >= 0 && cst.st_mtime >= st.st_mtime) {
                close(fd);
                fd = cfd;
                st = cst;
                enc = CODINGS[i][0];
            } else if (cfd >= 0) {
                close(cfd);   /* older than the file: stale, not sent */
            }
        }
    }
    resp = MHD_create_response_from_fd64((uint64_t)st.st_size, fd);
    if (!resp) {
        close(fd);
        return NULL;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, m ? m->type : "application/octet-stream");
    if (enc)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_ENCODING, enc);
    file_headers(resp, rel, m, etag);
    *status = 200;
    return resp;
}
