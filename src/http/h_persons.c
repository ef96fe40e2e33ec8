/*
 * http/h_persons.c: persons by opaque id, within the user's scope
 * (the store's queries take the scope: a person outside it is 404).
 *   POST /persons/search            {name, id_no, phone, limit}
 *   GET  /persons?juris=&page=&per_page=&cursor=
 *   GET  /persons/export?juris=&format=csv|jsonl   (masked, streamed)
 *   GET  /persons/{id}, GET /persons/{id}/trips, POST /persons/{id}/reveal
 * Identity numbers and phones are masked unless the role sees them
 * (township_officer, grid_worker); every unmasked read, every itinerary
 * and every reveal is audited (one record per person).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "epigrid/feed.h"
#include "epigrid/idno.h"
#include "epigrid/registry.h"
#include "epigrid/staff.h"

/* Add one person to r->resp["items"], auditing an unmasked one. */
static eg_err add_person(void *ctx, const eg_person_rec *p)
{
    eg_req *r = ctx;
    int unmasked = eg_role_sees_unmasked(r->user.role);
    json_array_append_new(json_object_get(r->resp, "items"), eg_json_person(r->srv, p, unmasked));
    if (unmasked)
        eg_req_audit_add(r, r->scratch, p->pid, "%s", r->route->info.path);
    snprintf(r->scratch + 64, 160, "%s/%s", p->juris_code, p->pid);
    return EG_OK;
}

void eg_h_persons_search(eg_req *r)
{
    static const eg_field F[] = { { "name", EG_F_STR, 0, 128 }, { "id_no", EG_F_STR, 0, 40 },
                                  { "phone", EG_F_STR, 0, 32 }, { "limit", EG_F_INT, 0, 0 } };
    char id[EG_DOCNO_BUFSZ] = "", phone[40] = "";
    char *name = NULL;
    json_int_t limit = 20;
    eg_err e;
    if (eg_body_check(r, F, 4))
        return;
    const char *in_id = eg_body_str(r, "id_no"), *in_name = eg_body_str(r, "name"),
               *in_phone = eg_body_str(r, "phone");
    if (json_object_get(r->json, "limit"))
        limit = json_integer_value(json_object_get(r->json, "limit"));
    if (limit < 1 || limit > 50) {
        eg_req_error(r, 422, "out_of_range", "limit", "'limit' is 1 to 50");
        return;
    }
    if (!*in_id && !*in_name && !*in_phone) {
        eg_req_error(r, 422, "missing_field", "name", "give a name, an id_no or a phone");
        return;
    }
    if (*in_id && eg_docno_normalize("resident_id", in_id, id)) {
        eg_req_error(r, 422, "invalid_value", "id_no", "not a document number");
        return;
    }
    if (*in_phone && eg_phone_normalize(in_phone, phone, sizeof phone)) {
        eg_req_error(r, 422, "invalid_value", "phone", "not a phone number");
        return;
    }
    if (*in_name && eg_text_normalize(r->rd->norm, in_name, &name)) {
        eg_req_error(r, 422, "invalid_value", "name", "the name is not UTF-8 text");
        return;
    }
    snprintf(r->scratch, 64, "person.search");
    eg_req_json(r, 200, json_pack("{s:[]}", "items"));
    e = eg_store_person_search(r->rd->s, &r->user.scope, id, name ? name : "", phone, (long)limit, add_person, r);
    free(name);
    if (e)
        eg_req_error(r, eg_http_status_of(e), eg_err_name(e), NULL, "search failed");
}

/* Check an optional ?juris= against the user's scope: 0 ok, -1 answered. */
static int juris_param(eg_req *r, char *code)
{
    if (eg_query_code(r, "juris", code))
        return -1;
    if (code[0] && (!eg_scope_contains(&r->user.scope, code) || !eg_juris_find(r->srv->tree, code))) {
        eg_req_error(r, 404, "not_found", "juris", "no such division");
        return -1;
    }
    return 0;
}

void eg_h_persons_list(eg_req *r)
{
    char juris[EG_CODE_BUFSZ], aj[EG_CODE_BUFSZ] = "", ap[32] = "";
    long page, per_page;
    const char *cursor = eg_req_query(r, "cursor");
    eg_err e;
    if (juris_param(r, juris) || eg_query_long(r, "page", 1, 1000000, 1, &page) ||
        eg_query_long(r, "per_page", 1, 100, 50, &per_page))
        return;
    if (cursor && *cursor) {
        const char *slash = strchr(cursor, '/');
        if (!slash || (size_t)(slash - cursor) >= sizeof aj || strlen(slash + 1) >= sizeof ap) {
            eg_req_error(r, 400, "invalid_parameter", "cursor", "not a cursor of this list");
            return;
        }
        memcpy(aj, cursor, (size_t)(slash - cursor));
        aj[slash - cursor] = 0;
        snprintf(ap, sizeof ap, "%s", slash + 1);
        page = 1;
    }
    snprintf(r->scratch, 64, "person.list");
    r->scratch[64] = 0;
    eg_req_json(r, 200, json_pack("{s:[],s:i,s:i}", "items", "page", (int)page, "per_page", (int)per_page));
    e = eg_store_person_page(r->rd->s, &r->user.scope, juris, aj, ap, (page - 1) * per_page, per_page,
                             add_person, r);
    if (e) {
        eg_req_error(r, eg_http_status_of(e), eg_err_name(e), NULL, "cannot list persons");
        return;
    }
    json_object_set_new(r->resp, "next_cursor",
                        (long)json_array_size(json_object_get(r->resp, "items")) == per_page
                            ? json_string(r->scratch + 64) : json_null());
}

/* ---- export: streamed page by page, masked ---- */

typedef struct export_ctx {
    eg_server *srv;
    eg_reader *rd;
    eg_scope scope;
    char juris[EG_CODE_BUFSZ];
    int jsonl;
    char aj[EG_CODE_BUFSZ], ap[32];
    char *buf;
    size_t len, cap, off;
    int done;
    int header;
} export_ctx;

/* Append text to the export buffer. */
static void put(export_ctx *x, const char *s, size_t n)
{
    if (x->len + n > x->cap) {
        size_t cap = x->cap ? x->cap : 65536;
        while (cap < x->len + n)
            cap *= 2;
        char *b = realloc(x->buf, cap);
        if (!b)
            return;
        x->buf = b;
        x->cap = cap;
    }
    memcpy(x->buf + x->len, s, n);
    x->len += n;
}

/* A CSV field, quoted when needed. */
static void put_csv(export_ctx *x, const char *s, int last)
{
    if (strpbrk(s, ",\"\r\n")) {
        put(x, "\"", 1);
        for (; *s; s++)
            put(x, s, 1), (*s == '"') ? put(x, "\"", 1) : (void)0;
        put(x, "\"", 1);
    } else {
        put(x, s, strlen(s));
    }
    put(x, last ? "\n" : ",", 1);
}

static eg_err export_one(void *ctx, const eg_person_rec *p)
{
    export_ctx *x = ctx;
    if (x->jsonl) {
        json_t *o = eg_json_person(x->srv, p, 0);
        char *t = json_dumps(o, JSON_COMPACT);
        json_decref(o);
        if (t) {
            put(x, t, strlen(t));
            put(x, "\n", 1);
            free(t);
        }
    } else {
        char id[EG_DOCNO_BUFSZ + 8] = "", ph[48] = "", bd[EG_DATE_BUFSZ] = "";
        if (strlen(p->id_no) < sizeof id)
            eg_idno_mask(p->id_no, id);
        if (strlen(p->phone) < sizeof ph)
            eg_phone_mask(p->phone, ph);
        if (p->birth_date != EG_NO_DATE)
            eg_date_format(p->birth_date, bd);
        const char *v[] = { p->pid, id, p->doc_type, p->name, p->sex, bd, ph, p->address_code, p->juris_code };
        for (int i = 0; i < 9; i++)
            put_csv(x, v[i], i == 8);
    }
    snprintf(x->aj, sizeof x->aj, "%s", p->juris_code);
    snprintf(x->ap, sizeof x->ap, "%s", p->pid);
    return EG_OK;
}

static ssize_t export_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    export_ctx *x = cls;
    (void)pos;
    if (x->off == x->len) {
        size_t before;
        x->off = x->len = 0;
        if (x->done)
            return MHD_CONTENT_READER_END_OF_STREAM;
        if (!x->header && !x->jsonl)
            {
            static const char H[] = "id,id_no,doc_type,name,sex,birth_date,phone,address_code,juris_code\n";
            put(x, H, sizeof H - 1);
        }
        x->header = 1;
        before = x->len;
        if (eg_store_person_page(x->rd->s, &x->scope, x->juris, x->aj, x->ap, 0, 1000, export_one, x))
            return MHD_CONTENT_READER_END_WITH_ERROR;
        if (x->len == before)
            x->done = 1;
        if (x->len == 0)
            return MHD_CONTENT_READER_END_OF_STREAM;
    }
    size_t n = x->len - x->off < max ? x->len - x->off : max;
    memcpy(buf, x->buf + x->off, n);
    x->off += n;
    return (ssize_t)n;
}

static void export_free(void *cls)
{
    export_ctx *x = cls;
    eg_pool_put(x->srv, x->rd);
    free(x->buf);
    free(x);
}

void eg_h_persons_export(eg_req *r)
{
    char juris[EG_CODE_BUFSZ];
    const char *fmt = eg_req_query(r, "format");
    export_ctx *x;
    if (juris_param(r, juris))
        return;
    if (fmt && strcmp(fmt, "csv") != 0 && strcmp(fmt, "jsonl") != 0) {
        eg_req_error(r, 400, "invalid_parameter", "format", "'format' is csv or jsonl");
        return;
    }
    if (!(x = calloc(1, sizeof *x)) || !(x->rd = eg_pool_get(r->srv))) {
        free(x);
        eg_req_error(r, 503, "unavailable", NULL, "cannot open the database");
        return;
    }
    x->srv = r->srv;
    x->scope = r->user.scope;
    snprintf(x->juris, sizeof x->juris, "%s", juris);
    x->jsonl = fmt && strcmp(fmt, "jsonl") == 0;
    r->raw = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 64 * 1024, export_read, x, export_free);
    if (!r->raw) {
        export_free(x);
        eg_req_error(r, 503, "nomem", NULL, "out of memory");
        return;
    }
    MHD_add_response_header(r->raw, MHD_HTTP_HEADER_CONTENT_TYPE,
                            x->jsonl ? "application/x-ndjson; charset=utf-8" : "text/csv; charset=utf-8");
    r->status = 200;
}

/* ---- one person ---- */

typedef struct one_ctx {
    eg_req *r;
    int unmasked;
    json_t *person;
    char id_no[EG_DOCNO_BUFSZ];
    char pid[24];
} one_ctx;

static eg_err take_one(void *ctx, const eg_person_rec *p)
{
    one_ctx *c = ctx;
    c->person = eg_json_person(c->r->srv, p, c->unmasked);
    snprintf(c->id_no, sizeof c->id_no, "%s", p->id_no);
    snprintf(c->pid, sizeof c->pid, "%s", p->pid);
    return EG_OK;
}

/* Find {person_id} in scope: 0, or -1 after a 404. */
static int find_person(eg_req *r, one_ctx *c, int unmasked)
{
    eg_err e;
    c->r = r;
    c->unmasked = unmasked;
    c->person = NULL;
    if (strlen(r->params[0]) != 16 || strspn(r->params[0], "0123456789abcdef") != 16) {
        eg_req_error(r, 404, "not_found", "person_id", "no such person");
        return -1;
    }
    e = eg_store_person_by_pid(r->rd->s, &r->user.scope, r->params[0], take_one, c);
    if (e) {
        json_decref(c->person);
        eg_req_error(r, e == EG_ERR_NOT_FOUND ? 404 : eg_http_status_of(e), eg_err_name(e), "person_id",
                     e == EG_ERR_NOT_FOUND ? "no such person" : "cannot read the person");
        return -1;
    }
    return 0;
}

void eg_h_person_get(eg_req *r)
{
    one_ctx c;
    int unmasked = eg_role_sees_unmasked(r->user.role);
    if (find_person(r, &c, unmasked))
        return;
    eg_req_json(r, 200, c.person);
    if (unmasked)
        eg_req_audit_add(r, "person.get", c.pid, "unmasked");
}

void eg_h_person_reveal(eg_req *r)
{
    static const eg_field F[] = { { "reason", EG_F_STR, 1, 150 } };
    one_ctx c;
    if (eg_body_check(r, F, 1))
        return;
    if (!*eg_body_str(r, "reason")) {
        eg_req_error(r, 422, "missing_field", "reason", "a reveal needs a reason");
        return;
    }
    if (find_person(r, &c, 1))
        return;
    eg_req_json(r, 200, c.person);
    eg_req_audit_add(r, "person.reveal", c.pid, "%s", eg_body_str(r, "reason"));
}

/* The JSON of one itinerary leg. */
static json_t *leg_json(const eg_itin_leg *il)
{
    const eg_leg *l = &il->leg;
    json_t *areas = json_array(), *cases = json_array();
    char tm[16];
    for (size_t i = 0; i < il->n_areas; i++)
        json_array_append_new(areas, json_pack("{s:s,s:s,s:s}", "code", il->areas[i].code, "name",
                                               il->areas[i].name, "level", il->areas[i].level));
    for (size_t i = 0; i < il->n_cases; i++) {
        const eg_case_trip *t = &il->cases[i].trip;
        json_array_append_new(cases, json_pack("{s:s,s:o,s:i,s:s,s:s,s:b}", "trip_no", t->nos[0], "date",
                                               eg_json_date(t->date), "car", t->car, "seat", t->seat, "status",
                                               t->status == EG_CASE_SUSPECTED ? "suspected" : "confirmed",
                                               "same_place", il->cases[i].same_place));
    }
    if (l->dep_minute != EG_NO_MINUTE)
        snprintf(tm, sizeof tm, "%02d:%02d", l->dep_minute / 60, l->dep_minute % 60);
    return json_pack("{s:o,s:o,s:s,s:s,s:{s:s,s:s},s:{s:s,s:s},s:o,s:i,s:s,s:o,s:o,s:o}", "dep_date",
                     eg_json_date(l->dep_date), "dep_time", l->dep_minute != EG_NO_MINUTE ? json_string(tm) : json_null(),
                     "mode", eg_mode_name(l->mode), "trip_no", l->trip_no, "from", "code", l->from_code, "name",
                     l->from_name, "to", "code", l->to_code, "name", l->to_name, "arr_date", eg_json_date(l->arr_date),
                     "car", l->car, "seat", l->seat, "stay_days",
                     il->has_next ? json_integer(il->stay_days) : json_null(), "risk_areas", areas, "case_trips", cases);
}

void eg_h_person_trips(eg_req *r)
{
    one_ctx c;
    eg_itinerary *it = NULL;
    json_t *legs = json_array();
    eg_err e;
    if (find_person(r, &c, 0)) {
        json_decref(legs);
        return;
    }
    json_decref(c.person);
    e = eg_itinerary_build(r->rd->s, c.id_no, &it);
    if (e && e != EG_ERR_NOT_FOUND) {
        json_decref(legs);
        eg_req_error(r, eg_http_status_of(e), eg_err_name(e), NULL, "cannot build the itinerary");
        return;
    }
    for (size_t i = 0; it && i < it->n; i++)
        json_array_append_new(legs, leg_json(&it->legs[i]));
    eg_itinerary_free(it);
    eg_req_json(r, 200, json_pack("{s:s,s:o}", "person_id", c.pid, "legs", legs));
    eg_req_audit_add(r, "person.trips", c.pid, "itinerary");
}
