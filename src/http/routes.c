/*
 * http/routes.c: the one route table of the server (method, path under
 * /api/v1 with {name} segments, roles, body limit, query parameters,
 * handler), matching a request against it, and the OpenAPI 3.1 document
 * generated from it (GET /api/v1/openapi.json).
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define R(x) EG_ROLE_BIT(EG_ROLE_##x)
#define ANY EG_ROLES_ALL
#define PERSONS (R(COMMANDER) | R(TOWNSHIP) | R(GRID))
#define ANALYSIS (R(COMMANDER) | R(ANALYST))
#define REPORTS (EG_ROLES_ALL & ~R(ADMIN))
#define SMALL 16384
#define LIST "juris,state,from,to,after,limit"

static const eg_route ROUTES[] = {
    { { "POST", "/auth/login", 0, SMALL, "", "log in: {username, password} → a session token (also an HttpOnly cookie)" }, eg_h_login },
    { { "POST", "/auth/logout", ANY, SMALL, "", "log out: revoke this session" }, eg_h_logout },
    { { "GET", "/auth/session", ANY, 0, "", "the session's user and its CSRF token" }, eg_h_session },
    { { "GET", "/users", R(ADMIN), 0, "", "user accounts" }, eg_h_users_list },
    { { "POST", "/users", R(ADMIN), SMALL, "", "add a user account {name, role, juris, staff_id, password}" }, eg_h_users_add },
    { { "POST", "/users/{id}/revoke", R(ADMIN), SMALL, "", "revoke a user account and its sessions" }, eg_h_users_revoke },
    { { "GET", "/audit", R(ADMIN), 0, "from,to,user,after,limit", "the audit log, oldest first" }, eg_h_audit },
    { { "POST", "/persons/search", PERSONS, SMALL, "", "find persons in scope by name, id_no or phone (query in the body)" }, eg_h_persons_search },
    { { "GET", "/persons", PERSONS, 0, "juris,page,per_page,cursor", "persons in scope, by division" }, eg_h_persons_list },
    { { "GET", "/persons/export", PERSONS, 0, "juris,format", "all persons in scope, masked, streamed as CSV or JSON lines" }, eg_h_persons_export },
    { { "GET", "/persons/{person_id}", PERSONS, 0, "", "one person (masked per role; unmasked reads are audited)" }, eg_h_person_get },
    { { "GET", "/persons/{person_id}/trips", PERSONS, 0, "", "a person's itinerary from the travel feed (audited)" }, eg_h_person_trips },
    { { "POST", "/persons/{person_id}/reveal", R(COMMANDER) | R(ADMIN), SMALL, "", "audited reveal of the unmasked identity number and phone {reason}" }, eg_h_person_reveal },
    { { "GET", "/orders", PERSONS, 0, LIST, "control orders in scope" }, eg_h_orders_list },
    { { "GET", "/tasks", PERSONS, 0, LIST, "verification tasks in scope" }, eg_h_tasks_list },
    { { "POST", "/orders/{order_id}/transitions", R(COMMANDER) | R(TOWNSHIP) | R(CLINICIAN), SMALL, "",
        "change an order's state {action, date, severity, reason} (control measures' rules)" }, eg_h_order_transition },
    { { "POST", "/readings", R(TOWNSHIP) | R(GRID), SMALL, "",
        "record a temperature reading {person_id, temperature_c, taken_at, symptoms, source}" }, eg_h_readings_add },
    { { "POST", "/tests", R(CLINICIAN), SMALL, "",
        "record a laboratory result {person_id, sampled_at, method, result, lab} (persons in scope)" }, eg_h_tests_add },
    { { "GET", "/alerts", PERSONS, 0, "juris,state,kind,limit", "alerts in scope" }, eg_h_alerts_list },
    { { "POST", "/alerts/{id}/ack", PERSONS, SMALL, "", "acknowledge an alert" }, eg_h_alert_ack },
    { { "POST", "/alerts/{id}/resolve", PERSONS, SMALL, "", "resolve an alert {note}" }, eg_h_alert_resolve },
    { { "POST", "/tasks/{id}/close", R(TOWNSHIP) | R(GRID) | R(CLINICIAN), SMALL, "",
        "close a task {outcome, juris, note}" }, eg_h_task_close },
    { { "POST", "/self-report/{token}", 0, 4096, "",
        "a reading from a person under home observation, through their link (no account; rate-limited)" },
      eg_h_self_report },
    { { "GET", "/facilities", R(COMMANDER) | R(ANALYST) | R(CLINICIAN), 0, "juris",
        "facilities in scope with their places (a clinician: their own facility)" }, eg_h_facilities_list },
    { { "POST", "/facilities/{id}/admissions", R(CLINICIAN), SMALL, "",
        "admit a person to the clinician's facility {order_id | person_id} (facility.h rules; audited)" },
      eg_h_admission_add },
    { { "POST", "/admissions/{id}/discharge", R(CLINICIAN), SMALL, "",
        "end a stay in the clinician's facility {reason} (audited)" }, eg_h_admission_discharge },
    { { "GET", "/checkpoints", R(COMMANDER) | R(ANALYST) | R(CHECKPOINT), 0, "juris",
        "checkpoints in scope with today's counts and fevers (checkpoint staff: their own, unmasked, audited)" },
      eg_h_checkpoints_list },
    { { "POST", "/checkpoints/{id}/logs", R(CHECKPOINT), SMALL, "",
        "the counts of one hour at the staff's checkpoint {hour_start, checked, fevers}" }, eg_h_checkpoint_log },
    { { "POST", "/checkpoints/{id}/fevers", R(CHECKPOINT), SMALL, "",
        "a fever (37.3 °C or more) at the staff's checkpoint {at, temperature_c, name, id_no, phone, destination}: "
        "a referral to a fever clinic (audited)" }, eg_h_checkpoint_fever },
    { { "GET", "/reports/daily", REPORTS, 0, "date,juris,version",
        "the daily report of a division in scope: the latest stored version, else live" }, eg_h_report_daily },
    { { "GET", "/reports/daily/versions", REPORTS, 0, "date,juris", "stored versions of a date's report" },
      eg_h_report_versions },
    { { "GET", "/analysis/series", ANALYSIS, 0, "", "the case series loaded" }, eg_h_series },
    { { "GET", "/analysis/rt", ANALYSIS, 0, "series,from,to,si_mean,si_sd,window", "time-varying reproduction number (Cori et al. 2013)" }, eg_h_rt },
    { { "GET", "/analysis/projection", ANALYSIS, 0,
        "series,as_of,days,n_sim,seed,r_mean,r_sd,dispersion,admit_prob,los_mean,los_sd,capacity,standby,si_mean,si_sd,more_than",
        "projection of daily cases and beds (renewal equation)" }, eg_h_projection },
    { { "GET", "/openapi.json", 0, 0, "", "this description (OpenAPI 3.1)" }, eg_h_openapi },
};
#define N_ROUTES (sizeof ROUTES / sizeof ROUTES[0])

const eg_route_info *eg_http_route(size_t i)
{
    return i < N_ROUTES ? &ROUTES[i].info : NULL;
}

/* Match one path against a pattern; fills params. 1 on a match. */
static int path_match(const char *pat, const char *path, char params[EG_MAX_PARAMS][EG_PARAM_BUFSZ], int *np)
{
    *np = 0;
    while (*pat && *path) {
        if (*pat != '/' || *path != '/')
            return 0;
        pat++, path++;
        const char *pe = strchr(pat, '/'), *se = strchr(path, '/');
        size_t pl = pe ? (size_t)(pe - pat) : strlen(pat), sl = se ? (size_t)(se - path) : strlen(path);
        if (pat[0] == '{') {
            if (sl == 0 || sl >= EG_PARAM_BUFSZ || *np >= EG_MAX_PARAMS)
                return 0;
            memcpy(params[*np], path, sl);
            params[(*np)++][sl] = 0;
        } else if (pl != sl || strncmp(pat, path, pl) != 0) {
            return 0;
        }
        pat += pl, path += sl;
    }
    return !*pat && !*path;
}

const eg_route *eg_route_match(const char *method, const char *path,
                               char params[EG_MAX_PARAMS][EG_PARAM_BUFSZ], int *nparams, int *status,
                               char *allow, size_t allow_size)
{
    const eg_route *best = NULL;
    int path_known = 0;
    size_t off = 0;
    if (allow && allow_size)
        allow[0] = 0;
    /* literal segments win over {params}: /persons/export before /persons/{id} */
    for (int pass = 0; pass < 2 && !best && !path_known; pass++)
        for (size_t i = 0; i < N_ROUTES; i++) {
            const char *pat = ROUTES[i].info.path;
            if ((strchr(pat, '{') != NULL) != pass)
                continue;
            if (!path_match(pat, path, params, nparams))
                continue;
            path_known = 1;
            if (strcmp(ROUTES[i].info.method, method) == 0) {
                best = &ROUTES[i];
                break;
            }
            if (allow && off + 8 < allow_size)
                off += (size_t)snprintf(allow + off, allow_size - off, "%s%s", off ? ", " : "",
                                        ROUTES[i].info.method);
        }
    if (best)
        path_match(best->info.path, path, params, nparams);
    *status = best ? 200 : path_known ? 405 : 404;
    return best;
}

/* The OpenAPI operation of one route. */
static json_t *operation(const eg_route_info *ri, size_t index)
{
    json_t *op = json_object(), *params = json_array(), *roles = json_array(), *resp = json_object();
    char opid[96], *q, *save = NULL;
    const char *p = ri->path;
    snprintf(opid, sizeof opid, "op%02zu_%s", index, ri->method);
    json_object_set_new(op, "operationId", json_string(opid));
    json_object_set_new(op, "summary", json_string(ri->summary));
    while ((p = strchr(p, '{')) != NULL) {
        const char *e = strchr(p, '}');
        json_t *pp = json_object();
        json_object_set_new(pp, "name", json_stringn(p + 1, (size_t)(e - p - 1)));
        json_object_set_new(pp, "in", json_string("path"));
        json_object_set_new(pp, "required", json_true());
        json_object_set_new(pp, "schema", json_pack("{s:s}", "type", "string"));
        json_array_append_new(params, pp);
        p = e;
    }
    q = strdup(ri->query);
    for (char *t = q ? strtok_r(q, ",", &save) : NULL; t; t = strtok_r(NULL, ",", &save))
        json_array_append_new(params, json_pack("{s:s,s:s,s:b,s:{s:s}}", "name", t, "in", "query",
                                                "required", 0, "schema", "type", "string"));
    free(q);
    json_object_set_new(op, "parameters", params);
    if (ri->body_limit)
        json_object_set_new(op, "requestBody",
                            json_pack("{s:b,s:{s:{s:{s:s}}}}", "required", 1, "content", "application/json",
                                      "schema", "type", "object"));
    for (int r = 0; r < EG_ROLE__COUNT; r++)
        if (ri->roles & EG_ROLE_BIT(r))
            json_array_append_new(roles, json_string(eg_role_name((eg_role)r)));
    json_object_set_new(op, "x-roles", roles);
    json_object_set_new(op, "x-body-limit", json_integer((json_int_t)ri->body_limit));
    if (ri->roles)
        json_object_set_new(op, "security", json_pack("[{s:[]},{s:[]}]", "bearer", "cookie"));
    else
        json_object_set_new(op, "security", json_array());
    json_object_set_new(resp, "200", json_pack("{s:s}", "description", "success"));
    json_object_set_new(resp, "4XX", json_pack("{s:s,s:{s:{s:{s:s}}}}", "description",
                                               "error {\"error\":{\"code\",\"message\",\"field\"}}",
                                               "content", "application/json", "schema", "$ref",
                                               "#/components/schemas/Error"));
    json_object_set_new(op, "responses", resp);
    return op;
}

char *eg_http_openapi(void)
{
    json_t *doc = json_object(), *paths = json_object();
    char *text;
    json_object_set_new(doc, "openapi", json_string("3.1.0"));
    json_object_set_new(doc, "info", json_pack("{s:s,s:s,s:s}", "title", "EpiGrid API", "version", "1",
                                                "description", "spec/api.md; generated from the route table"));
    json_object_set_new(doc, "servers", json_pack("[{s:s}]", "url", EG_API_PREFIX));
    for (size_t i = 0; i < N_ROUTES; i++) {
        const eg_route_info *ri = &ROUTES[i].info;
        json_t *item = json_object_get(paths, ri->path);
        char m[16];
        size_t k;
        if (!item) {
            item = json_object();
            json_object_set_new(paths, ri->path, item);
        }
        for (k = 0; ri->method[k] && k < sizeof m - 1; k++)
            m[k] = (char)(ri->method[k] | 0x20);
        m[k] = 0;
        json_object_set_new(item, m, operation(ri, i));
    }
    json_object_set_new(doc, "paths", paths);
    json_object_set_new(doc, "components", json_pack(
        "{s:{s:{s:s,s:s},s:{s:s,s:s,s:s}},s:{s:{s:s,s:{s:{s:s,s:{s:{s:s},s:{s:s},s:{s:s}}}}}}}",
        "securitySchemes", "bearer", "type", "http", "scheme", "bearer",
        "cookie", "type", "apiKey", "in", "cookie", "name", "eg_session",
        "schemas", "Error", "type", "object", "properties", "error", "type", "object", "properties",
        "code", "type", "string", "message", "type", "string", "field", "type", "string"));
    text = json_dumps(doc, JSON_INDENT(1) | JSON_SORT_KEYS);
    json_decref(doc);
    return text;
}
