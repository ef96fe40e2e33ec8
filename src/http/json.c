/*
 * http/json.c: checking request bodies and query parameters (unknown
 * fields, wrong types, lengths, ranges: 400 or 422 with the field named),
 * and the JSON forms of dates, divisions and persons (masked per role).
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "epigrid/idno.h"

static const char *const TYPE_NAMES[] = { "a string", "an integer", "a number", "true or false" };

int eg_body_check(eg_req *r, const eg_field *fields, size_t n)
{
    const char *key;
    json_t *v;
    json_object_foreach(r->json, key, v) {
        size_t i;
        for (i = 0; i < n && strcmp(fields[i].name, key) != 0; i++)
            ;
        if (i == n) {
            eg_req_error(r, 400, "unknown_field", key, "unknown field '%.64s'", key);
            return -1;
        }
        int ok = fields[i].type == EG_F_STR ? json_is_string(v)
               : fields[i].type == EG_F_INT ? json_is_integer(v)
               : fields[i].type == EG_F_NUM ? json_is_number(v) : json_is_boolean(v);
        if (!ok) {
            eg_req_error(r, 400, "wrong_type", key, "'%s' must be %s", key, TYPE_NAMES[fields[i].type]);
            return -1;
        }
        if (fields[i].type == EG_F_STR) {
            size_t max = fields[i].max_len ? fields[i].max_len : 256;
            if (json_string_length(v) > max) {
                eg_req_error(r, 422, "too_long", key, "'%s' is longer than %zu bytes", key, max);
                return -1;
            }
            if (strlen(json_string_value(v)) != json_string_length(v)) {
                eg_req_error(r, 422, "invalid_value", key, "'%s' holds a NUL character", key);
                return -1;
            }
        }
    }
    for (size_t i = 0; i < n; i++)
        if (fields[i].required && !json_object_get(r->json, fields[i].name)) {
            eg_req_error(r, 400, "missing_field", fields[i].name, "'%s' is required", fields[i].name);
            return -1;
        }
    return 0;
}

const char *eg_body_str(eg_req *r, const char *name)
{
    const char *s = json_string_value(json_object_get(r->json, name));
    return s ? s : "";
}

int eg_query_long(eg_req *r, const char *name, long min, long max, long def, long *out)
{
    const char *v = eg_req_query(r, name);
    char *end;
    long x;
    if (!v || !*v) {
        *out = def;
        return 0;
    }
    errno = 0;
    x = strtol(v, &end, 10);
    if (*end || errno || x < min || x > max) {
        eg_req_error(r, 400, "invalid_parameter", name, "'%s' must be a whole number from %ld to %ld", name,
                     min, max);
        return -1;
    }
    *out = x;
    return 0;
}

int eg_query_double(eg_req *r, const char *name, double min, double max, double def, double *out)
{
    const char *v = eg_req_query(r, name);
    char *end;
    double x;
    if (!v || !*v) {
        *out = def;
        return 0;
    }
    x = strtod(v, &end);
    if (*end || !isfinite(x) || x < min || x > max) {
        eg_req_error(r, 400, "invalid_parameter", name, "'%s' must be a number from %g to %g", name, min, max);
        return -1;
    }
    *out = x;
    return 0;
}

int eg_query_date(eg_req *r, const char *name, eg_date *out)
{
    const char *v = eg_req_query(r, name);
    *out = EG_NO_DATE;
    if (!v || !*v)
        return 0;
    if (eg_date_parse(v, out)) {
        eg_req_error(r, 400, "invalid_parameter", name, "'%s' must be a date YYYY-MM-DD", name);
        return -1;
    }
    return 0;
}

int eg_query_time(eg_req *r, const char *name, eg_time *out)
{
    const char *v = eg_req_query(r, name);
    eg_date d;
    *out = 0;
    if (!v || !*v)
        return 0;
    if (eg_time_parse(v, out) == EG_OK)
        return 0;
    if (eg_date_parse(v, &d) == EG_OK && eg_time_from_parts(d, 0, 0, out) == EG_OK)
        return 0;
    eg_req_error(r, 400, "invalid_parameter", name, "'%s' must be YYYY-MM-DD or \"YYYY-MM-DD HH:MM\"", name);
    return -1;
}

int eg_query_code(eg_req *r, const char *name, char *out)
{
    const char *v = eg_req_query(r, name);
    out[0] = 0;
    if (!v || !*v)
        return 0;
    if (strlen(v) >= 64 || eg_code_short(v, out)) {
        eg_req_error(r, 400, "invalid_parameter", name, "'%s' must be a division code", name);
        out[0] = 0;
        return -1;
    }
    return 0;
}

json_t *eg_json_date(eg_date d)
{
    char b[EG_DATE_BUFSZ];
    return d == EG_NO_DATE ? json_null() : json_string(eg_date_format(d, b));
}

json_t *eg_json_time(eg_time t)
{
    char b[EG_TIME_BUFSZ];
    return t ? json_string(eg_time_format(t, b)) : json_null();
}

json_t *eg_json_juris(const eg_server *srv, const char *code)
{
    const eg_juris_node *n = eg_juris_find(srv->tree, code);
    return json_pack("{s:s,s:s,s:s}", "code", code, "name", n ? n->name : "", "level",
                     n ? eg_level_name(n->level) : "");
}

json_t *eg_json_person(const eg_server *srv, const eg_person_rec *p, int unmasked)
{
    char id[EG_DOCNO_BUFSZ + 8], phone[48];
    snprintf(id, sizeof id, "%s", p->id_no);
    snprintf(phone, sizeof phone, "%s", p->phone);
    if (!unmasked) {
        if (strlen(p->id_no) < sizeof id)
            eg_idno_mask(p->id_no, id);
        if (strlen(p->phone) < sizeof phone)
            eg_phone_mask(p->phone, phone);
    }
    return json_pack("{s:s,s:s,s:b,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:o,s:b}", "id", p->pid, "id_no", id,
                     "masked", !unmasked, "doc_type", p->doc_type, "name", p->name, "sex", p->sex,
                     "birth_date", eg_json_date(p->birth_date), "phone", phone, "address_code",
                     p->address_code, "address", p->address, "juris", eg_json_juris(srv, p->juris_code),
                     "synthetic", p->synthetic);
}
