/*
 * tests/helpers/http_client.c: see http_client.h.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "http_client.h"

int hc_request(unsigned port, const char *method, const char *path, const char *headers, const char *body,
               size_t body_len, hc_resp *out)
{
    struct sockaddr_in sa = { 0 };
    char head[4096];
    char *buf = NULL;
    size_t len = 0, cap = 0;
    int fd, n;
    memset(out, 0, sizeof *out);
    if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
        return -1;
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa)) {
        close(fd);
        return -1;
    }
    if (body && !body_len)
        body_len = strlen(body);
    n = snprintf(head, sizeof head, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s", method,
                 path, headers ? headers : "", body ? "Content-Type: application/json\r\n" : "");
    if (body)
        n += snprintf(head + n, sizeof head - (size_t)n, "Content-Length: %zu\r\n", body_len);
    n += snprintf(head + n, sizeof head - (size_t)n, "\r\n");
    if (write(fd, head, (size_t)n) != n)
        goto fail;
    for (size_t off = 0; body && off < body_len;) {
        ssize_t w = write(fd, body + off, body_len - off);
        if (w <= 0)
            break;   /* the server may refuse early (413) */
        off += (size_t)w;
    }
    for (;;) {
        if (len + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 16384;
            char *b = realloc(buf, cap);
            if (!b)
                goto fail;
            buf = b;
        }
        ssize_t r = read(fd, buf + len, cap - len - 1);
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (!buf)
        return -1;
    buf[len] = 0;
    char *sep = strstr(buf, "\r\n\r\n");
    if (!sep || sscanf(buf, "HTTP/1.%*d %d", &out->status) != 1) {
        free(buf);
        return -1;
    }
    *sep = 0;
    out->headers = strdup(buf);
    {
        /* a chunked body (streams) is de-chunked */
        char *b = sep + 4;
        if (strstr(out->headers, "chunked")) {
            char *dst = malloc(len + 1), *p = b;
            size_t dl = 0;
            for (;;) {
                unsigned long sz = strtoul(p, &p, 16);
                p = strstr(p, "\r\n");
                if (!p || sz == 0)
                    break;
                p += 2;
                memcpy(dst + dl, p, sz);
                dl += sz;
                p += sz + 2;
            }
            dst[dl] = 0;
            out->body = dst;
            out->body_len = dl;
        } else {
            out->body_len = len - (size_t)(b - buf);
            out->body = malloc(out->body_len + 1);
            memcpy(out->body, b, out->body_len + 1);
        }
    }
    free(buf);
    return 0;
fail:
    free(buf);
    close(fd);
    return -1;
}

void hc_free(hc_resp *r)
{
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

pid_t hc_serve(const char *db, const char *now, unsigned *port)
{
    int p[2];
    pid_t pid;
    char line[256];
    FILE *f;
    if (pipe(p))
        return -1;
    if ((pid = fork()) == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        execl(EG_EPIGRID_BIN, EG_EPIGRID_BIN, "--db", db, "--now", now, "serve", "--listen", "127.0.0.1:0",
              "--threads", "4", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    f = fdopen(p[0], "r");
    *port = 0;
    while (f && fgets(line, sizeof line, f)) {
        char *at = strstr(line, "serving on http://127.0.0.1:");
        if (at) {
            *port = (unsigned)atoi(at + strlen("serving on http://127.0.0.1:"));
            break;
        }
    }
    if (f)
        fclose(f);
    if (!*port) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}
