/*
 * http/h_reports.c: the daily report (spec/api.md, epigrid/report.h):
 *   GET /reports/daily?date=&juris=[&version=]   the latest stored version of
 *       the date, else computed live ("live": true), for a division in scope
 *       (default: the user's own)
 *   GET /reports/daily/versions?date=             the stored versions of a date
 * Reports hold counts only, no personal data: not audited. Reports come
 * through the server's cache (report_cache.c; header X-Report-Cache: hit
 * or miss): a live report is recomputed once a write has committed, or
 * after a few seconds.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "epigrid/report.h"

/* The date (required, not after the clock's day) and the node in scope:
 * 0, or -1 after an answer. */
static int report_params(eg_req *r, eg_date *day, const eg_juris_node **node)
{
    char code[EG_CODE_BUFSZ];
    if (eg_query_date(r, "date", day) || eg_query_code(r, "juris", code))
        return -1;
    if (*day == EG_NO_DATE) {
        eg_req_error(r, 400, "missing_parameter", "date", "'date' is required (YYYY-MM-DD)");
        return -1;
    }
    if (*day > eg_time_date(r->now)) {
        eg_req_error(r, 422, "out_of_range", "date", "'date' is after today (the server's clock)");
        return -1;
    }
    if (!code[0])
        snprintf(code, sizeof code, "%s", r->user.juris);
    *node = eg_juris_find(r->srv->tree, code);
    if (!*node || !eg_scope_contains(&r->user.scope, code)) {
        eg_req_error(r, 404, "not_found", "juris", "no such division");
        return -1;
    }
    return 0;
}

void eg_h_report_daily(eg_req *r)
{
    eg_date day;
    const eg_juris_node *node;
    long version;
    const eg_report *rep = NULL;
    void *held = NULL;
    char *text = NULL;
    int hit = 0;
    eg_diag d;
    eg_err e;
    if (report_params(r, &day, &node) || eg_query_long(r, "version", 1, 100000, 0, &version))
        return;
    eg_diag_clear(&d);
    /* through the server's cache (report_cache.c): computed once, shared by every node's answer */
    e = eg_report_cache_get(r->srv, r->rd->s, day, (int)version, r->now, &rep, &held, &hit, &d);
    if (!e)
        e = eg_report_json(rep, node, 0, &text);
    eg_report_cache_release(r->srv, held);
    if (e) {
        eg_req_error(r, e == EG_ERR_NOT_FOUND ? 404 : eg_http_status_of(e), eg_err_name(e),
                     e == EG_ERR_NOT_FOUND ? "version" : NULL, "%s", d.reason[0] ? d.reason : eg_strerror(e));
        return;
    }
    r->raw = MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE);
    if (!r->raw) {
        free(text);
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    MHD_add_response_header(r->raw, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json; charset=utf-8");
    MHD_add_response_header(r->raw, "X-Report-Cache", hit ? "hit" : "miss");
    r->status = 200;
}

static eg_err add_version(void *ctx, const eg_report_version *v)
{
    eg_req *r = ctx;
    json_array_append_new(json_object_get(r->resp, "versions"),
                          json_pack("{s:i,s:o,s:o,s:s,s:s}", "version", v->version, "generated_at",
                                    eg_json_time(v->generated_at), "stored_at", eg_json_time(v->stored_at), "actor",
                                    v->actor, "reason", v->reason));
    return EG_OK;
}

void eg_h_report_versions(eg_req *r)
{
    eg_date day;
    const eg_juris_node *node;
    eg_err e;
    if (report_params(r, &day, &node))
        return;
    eg_req_json(r, 200, json_pack("{s:o,s:o,s:[]}", "date", eg_json_date(day), "juris",
                                  eg_json_juris(r->srv, node->code), "versions"));
    if ((e = eg_report_versions(r->rd->s, day, add_version, r)))
        eg_req_error(r, eg_http_status_of(e), eg_err_name(e), NULL, "cannot list the versions");
}
