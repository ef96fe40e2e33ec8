/*
 * http/h_meta.c: GET /openapi.json, generated from the route table.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

void eg_h_openapi(eg_req *r)
{
    char *text = eg_http_openapi();
    if (!text) {
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    r->raw = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r->raw) {
        free(text);
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    MHD_add_response_header(r->raw, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    r->status = 200;
}
