/*
 * tests/http/test_facility_routes.c: the facility and checkpoint routes of
 * the server end to end, on a free loopback port (the set-up of
 * test_server.c): roles (a clinician admits and discharges in their own
 * facility only, checkpoint staff log and record fevers at their own
 * checkpoint only, commanders and analysts read, the others 403), scopes
 * (a county commander lists that county's facilities and checkpoints;
 * everything outside answers 404), masking of fever records (unmasked for
 * the recording checkpoint's staff only, audited), refusals with the
 * error shape (a full facility, a fever below 37.3 °C, counts out of
 * range), no 5xx from bad input, and the daily report's cache (a hit
 * answers what a fresh computation does, also after a write).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "epigrid/http.h"
#include "epigrid/idno.h"
#include "http_client.h"
#include "testutil.h"

#define NOW "2020-02-10 10:00"
#define PW "password123"
#define assert_error(ST, J, W, C, FIELD) do { int st__ = (ST); check_error(st__, (J), (W), (C), (FIELD)); } while (0)

/* The fixture: persons of 东昌区 and 通化县 under central isolation,
 * facilities and checkpoints of both (and one of Meihekou), accounts. */
typedef struct fx {
    char db[512];
    pid_t pid;
    unsigned port;
    char id[3][EG_IDNO_BUFSZ];
    char order[3][24];       /* the persons' orders (opaque ids) */
    char pidof[3][24];
    char *cmd, *cmdt, *ana, *chk, *cln, *town, *gw, *admin;
} fx;

static fx F;

static void make_id(const char *region, const char *birth, int seq, char *out)
{
    eg_date d;
    eg_date_parse(birth, &d);
    assert_int_equal(eg_idno_make(region, d, seq, out), EG_OK);
}

/* Run the program on the fixture database; stdin from `input` when given. */
static int run(const char *args, const char *input)
{
    char cmd[8192];
    if (input)
        snprintf(cmd, sizeof cmd, "printf '%%s\\n' '%s' | EPIGRID_NOW='%s' %s --db %s %s >/dev/null 2>&1", input,
                 NOW, EG_EPIGRID_BIN, F.db, args);
    else
        snprintf(cmd, sizeof cmd, "EPIGRID_NOW='%s' %s --db %s %s >/dev/null 2>&1", NOW, EG_EPIGRID_BIN, F.db, args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* A request; returns the status, the body parsed (may be NULL), and
 * (when cache is not NULL) the X-Report-Cache header's value. */
static int req3(const char *method, const char *path, const char *token, const char *body, json_t **out,
                char *cache)
{
    char h[256] = "";
    hc_resp r;
    if (token)
        snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", token);
    assert_int_equal(hc_request(F.port, method, path, h, body, 0, &r), 0);
    if (out)
        *out = json_loads(r.body, 0, NULL);
    if (cache) {
        const char *x = r.headers ? strstr(r.headers, "X-Report-Cache: ") : NULL;
        cache[0] = 0;
        if (x)
            sscanf(x + 16, "%7[a-z]", cache);
    }
    int st = r.status;
    assert_true(st < 500);   /* no client input causes a 5xx */
    hc_free(&r);
    return st;
}

static int req(const char *method, const char *path, const char *token, const char *body, json_t **out)
{
    return req3(method, path, token, body, out, NULL);
}

static char *login(const char *user)
{
    char body[128];
    json_t *j = NULL;
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, PW);
    int st = req("POST", "/api/v1/auth/login", NULL, body, &j);
    char *t = st == 200 ? strdup(json_string_value(json_object_get(j, "token"))) : NULL;
    json_decref(j);
    assert_non_null(t);
    return t;
}

/* The error shape with status `want` (and code and field when given). */
static void check_error(int st, json_t *j, int want, const char *code, const char *field)
{
    assert_int_equal(st, want);
    assert_non_null(j);
    json_t *e = json_object_get(j, "error");
    assert_non_null(e);
    assert_true(json_is_string(json_object_get(e, "code")));
    assert_true(json_is_string(json_object_get(e, "message")));
    assert_true(json_object_get(e, "field") != NULL);
    if (code)
        assert_string_equal(json_string_value(json_object_get(e, "code")), code);
    if (field)
        assert_string_equal(json_string_value(json_object_get(e, "field")), field);
}

/* The item of `items` whose "id" is `id` (NULL when absent). */
static json_t *item(json_t *j, const char *id)
{
    json_t *v;
    size_t i;
    json_array_foreach(json_object_get(j, "items"), i, v)
        if (strcmp(json_string_value(json_object_get(v, "id")), id) == 0)
            return v;
    return NULL;
}

static long num(json_t *o, const char *k)
{
    return (long)json_integer_value(json_object_get(o, k));
}

static int setup(void **state)
{
    char path[512], csv[4096];
    (void)state;
    tu_path(F.db, sizeof F.db, "http_fac.db");
    unlink(F.db);
    assert_int_equal(run("init", NULL), 0);
    tu_path(path, sizeof path, "http_fac_staff.csv");
    tu_write(path, "staff_id,name,phone,role,juris_code,unit\n"
                   "S1,甲,13800000001,secretary,2205,\nS2,乙,13800000002,cdc_staff,2205,\n"
                   "S3,丙,13800000003,grid_leader,220502001001,\nS5,戊,13800000005,secretary,220521,\n"
                   "S6,己,13800000006,township_cadre,220502001,\n"
                   "S7,庚,13800000007,checkpoint_staff,220502,CP-A\nS8,辛,13800000008,clinician,220502,ISO-A\n");
    snprintf(csv, sizeof csv, "import staff %s", path);
    assert_int_equal(run(csv, NULL), 0);
    tu_path(path, sizeof path, "http_fac_facilities.csv");
    tu_write(path, "facility_id,name,kind,juris_code,places_in_use,places_standby,family_rooms,address\n"
                   "ISO-A,东昌隔离点A,isolation_site,220502001,1,1,0,甲\n"
                   "ISO-B,东昌隔离点B,isolation_site,220502,2,0,0,乙\n"
                   "FC-A,东昌发热门诊,fever_clinic,220502,,,,丙\n"
                   "ISO-T,通化县隔离点,isolation_site,220521,3,0,0,丁\n"
                   "ISO-M,梅河口隔离点,isolation_site,220581,2,0,0,戊\n");
    snprintf(csv, sizeof csv, "import facilities %s", path);
    assert_int_equal(run(csv, NULL), 0);
    tu_path(path, sizeof path, "http_fac_checkpoints.csv");
    tu_write(path, "checkpoint_id,name,kind,juris_code,max_checks_per_hour\n"
                   "CP-A,东昌卡口A,road,220502001,400\nCP-B,东昌卡口B,road,220502,\n"
                   "CP-T,通化县卡口,road,220521,\n");
    snprintf(csv, sizeof csv, "import checkpoints %s", path);
    assert_int_equal(run(csv, NULL), 0);
    make_id("220502", "1980-01-01", 11, F.id[0]);
    make_id("220502", "1985-02-02", 22, F.id[1]);
    make_id("220521", "1990-03-03", 33, F.id[2]);
    tu_path(path, sizeof path, "http_fac_persons.csv");
    snprintf(csv, sizeof csv, "id_no,name,sex,birth_date,phone,address_code,address\n"
             "%s,张三,M,1980-01-01,13812345678,220502001001,a\n%s,李四,F,1985-02-02,13912345678,220502001001,b\n"
             "%s,王五,M,1990-03-03,13712345678,220521100001,c\n", F.id[0], F.id[1], F.id[2]);
    tu_write(path, csv);
    snprintf(csv, sizeof csv, "import persons %s", path);
    assert_int_equal(run(csv, NULL), 0);
    for (int i = 0; i < 3; i++) {
        snprintf(csv, sizeof csv, "control open --id-no %s --measure central_isolation --start 2020-02-08", F.id[i]);
        assert_int_equal(run(csv, NULL), 0);
    }
    assert_int_equal(run("user add admin --role admin --juris 2205 --staff S2", PW), 0);
    assert_int_equal(run("user add cmd --role commander --juris 2205 --staff S1", PW), 0);
    assert_int_equal(run("user add cmdt --role commander --juris 220521 --staff S5", PW), 0);
    assert_int_equal(run("user add ana --role analyst --juris 2205 --staff S2", PW), 0);
    assert_int_equal(run("user add chk --role checkpoint_staff --juris 220502 --staff S7", PW), 0);
    assert_int_equal(run("user add cln --role clinician --juris 220502 --staff S8", PW), 0);
    assert_int_equal(run("user add town --role township_officer --juris 220502001 --staff S6", PW), 0);
    assert_int_equal(run("user add gw --role grid_worker --juris 220502001001 --staff S3", PW), 0);
    F.pid = hc_serve(F.db, NOW, &F.port);
    assert_true(F.pid > 0);
    F.cmd = login("cmd"), F.cmdt = login("cmdt"), F.ana = login("ana"), F.chk = login("chk");
    F.cln = login("cln"), F.town = login("town"), F.gw = login("gw"), F.admin = login("admin");
    /* the orders' and persons' opaque ids (commander: masked) */
    json_t *j;
    assert_int_equal(req("GET", "/api/v1/orders?limit=100", F.cmd, NULL, &j), 200);
    json_t *v;
    size_t k;
    json_array_foreach(json_object_get(j, "items"), k, v) {
        char m[EG_IDNO_BUFSZ];
        for (int i = 0; i < 3; i++)
            if (strcmp(json_string_value(json_object_get(v, "id_no")), eg_idno_mask(F.id[i], m)) == 0) {
                snprintf(F.order[i], sizeof F.order[i], "%s", json_string_value(json_object_get(v, "id")));
                snprintf(F.pidof[i], sizeof F.pidof[i], "%s", json_string_value(json_object_get(v, "person_id")));
                assert_string_equal(json_string_value(json_object_get(v, "state")), "awaiting_admission");
            }
    }
    json_decref(j);
    for (int i = 0; i < 3; i++)
        assert_int_equal(strlen(F.order[i]), 16);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (F.pid > 0) {
        kill(F.pid, SIGTERM);
        waitpid(F.pid, NULL, 0);
    }
    free(F.cmd), free(F.cmdt), free(F.ana), free(F.chk), free(F.cln), free(F.town), free(F.gw), free(F.admin);
    return 0;
}

/* 1 if the audit log holds `action` (with `pid` when not NULL). */
static int audited(const char *action, const char *pid)
{
    json_t *j, *v;
    size_t i;
    int found = 0;
    assert_int_equal(req("GET", "/api/v1/audit?limit=1000", F.admin, NULL, &j), 200);
    json_array_foreach(json_object_get(j, "items"), i, v)
        if (strcmp(json_string_value(json_object_get(v, "action")), action) == 0 &&
            (!pid || strcmp(json_string_value(json_object_get(v, "person_id")) ?
                            json_string_value(json_object_get(v, "person_id")) : "", pid) == 0))
            found = 1;
    json_decref(j);
    return found;
}

static void test_facilities_list_scope_roles(void **state)
{
    json_t *j, *f;
    (void)state;
    /* the city commander: every facility of the city, not Meihekou's (administered by the province) */
    assert_int_equal(req("GET", "/api/v1/facilities", F.cmd, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 4);
    assert_non_null(item(j, "ISO-T"));
    assert_null(item(j, "ISO-M"));
    f = item(j, "ISO-A");
    assert_non_null(f);
    assert_string_equal(json_string_value(json_object_get(f, "kind")), "isolation_site");
    assert_int_equal(num(f, "places_in_use"), 1);
    assert_int_equal(num(f, "places_standby"), 1);
    assert_int_equal(num(f, "capacity"), 1);
    assert_int_equal(num(f, "occupied"), 0);
    assert_int_equal(num(f, "free"), 1);
    f = item(j, "FC-A");   /* a fever clinic's default "5+5" */
    assert_int_equal(num(f, "places_in_use"), 5);
    assert_int_equal(num(f, "places_standby"), 5);
    json_decref(j);
    /* ?juris= narrows; a county commander sees only that county */
    assert_int_equal(req("GET", "/api/v1/facilities?juris=220502001", F.cmd, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    assert_non_null(item(j, "ISO-A"));
    json_decref(j);
    assert_int_equal(req("GET", "/api/v1/facilities", F.cmdt, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id")),
                        "ISO-T");
    json_decref(j);
    assert_error(req("GET", "/api/v1/facilities?juris=220502", F.cmdt, NULL, &j), j, 404, "not_found", "juris");
    json_decref(j);
    assert_error(req("GET", "/api/v1/facilities?juris=220581", F.cmd, NULL, &j), j, 404, "not_found", "juris");
    json_decref(j);
    assert_error(req("GET", "/api/v1/facilities?juris=22x", F.cmd, NULL, &j), j, 400, NULL, "juris");
    json_decref(j);
    assert_error(req("GET", "/api/v1/facilities?kind=x", F.cmd, NULL, &j), j, 400, "unknown_parameter", "kind");
    json_decref(j);
    /* analysts read; a clinician sees their own facility only */
    assert_int_equal(req("GET", "/api/v1/facilities", F.ana, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 4);
    json_decref(j);
    assert_int_equal(req("GET", "/api/v1/facilities", F.cln, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    assert_non_null(item(j, "ISO-A"));
    json_decref(j);
    /* the roles the table gives no facilities */
    const char *no[] = { F.town, F.gw, F.chk, F.admin };
    for (int i = 0; i < 4; i++) {
        assert_error(req("GET", "/api/v1/facilities", no[i], NULL, &j), j, 403, "forbidden", NULL);
        json_decref(j);
    }
    assert_error(req("GET", "/api/v1/facilities", NULL, NULL, &j), j, 401, NULL, NULL);
    json_decref(j);
}

static void test_admission_and_discharge(void **state)
{
    json_t *j, *a, *f;
    char body[256], path[128];
    (void)state;
    /* the clinician admits the person of 东昌区 to their isolation site */
    snprintf(body, sizeof body, "{\"order_id\":\"%s\"}", F.order[0]);
    assert_int_equal(req("POST", "/api/v1/facilities/ISO-A/admissions", F.cln, body, &j), 201);
    a = json_object_get(j, "admission");
    assert_non_null(a);
    assert_string_equal(json_string_value(json_object_get(a, "facility_id")), "ISO-A");
    assert_string_equal(json_string_value(json_object_get(a, "order_id")), F.order[0]);
    assert_string_equal(json_string_value(json_object_get(a, "id_no")), F.id[0]);   /* the patient, unmasked */
    assert_string_equal(json_string_value(json_object_get(a, "admitted_at")), NOW);
    assert_true(json_is_true(json_object_get(j, "transitioned")));
    long long adm = (long long)json_integer_value(json_object_get(a, "id"));
    assert_true(adm > 0);
    json_decref(j);
    assert_true(audited("admission.add", F.pidof[0]));
    /* the order went awaiting_admission → active; the place is taken */
    assert_int_equal(req("GET", "/api/v1/facilities?juris=220502001", F.cmd, NULL, &j), 200);
    f = item(j, "ISO-A");
    assert_int_equal(num(f, "occupied"), 1);
    assert_int_equal(num(f, "free"), 0);
    json_decref(j);
    snprintf(path, sizeof path, "/api/v1/orders?juris=220502001001&state=active&limit=10");
    assert_int_equal(req("GET", path, F.cmd, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    json_decref(j);
    /* full: 1 place in use, its standby not opened: a 409 with the error shape, nothing changed */
    snprintf(body, sizeof body, "{\"person_id\":\"%s\"}", F.pidof[1]);
    assert_error(req("POST", "/api/v1/facilities/ISO-A/admissions", F.cln, body, &j), j, 409, "state", "facility");
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "full"));
    json_decref(j);
    /* another facility (in scope, or not) does not exist for this clinician; other roles may not admit */
    assert_error(req("POST", "/api/v1/facilities/ISO-B/admissions", F.cln, body, &j), j, 404, "not_found", "id");
    json_decref(j);
    assert_error(req("POST", "/api/v1/facilities/ISO-T/admissions", F.cln, body, &j), j, 404, "not_found", "id");
    json_decref(j);
    assert_error(req("POST", "/api/v1/facilities/NOPE/admissions", F.cln, body, &j), j, 404, "not_found", "id");
    json_decref(j);
    assert_error(req("POST", "/api/v1/facilities/ISO-A/admissions", F.cmd, body, &j), j, 403, "forbidden", NULL);
    json_decref(j);
    assert_error(req("POST", "/api/v1/facilities/ISO-A/admissions", F.town, body, &j), j, 403, "forbidden", NULL);
    json_decref(j);
    /* a person outside the clinician's scope (通化县) does not exist for them */
    snprintf(body, sizeof body, "{\"order_id\":\"%s\"}", F.order[2]);
    assert_error(req("POST", "/api/v1/facilities/ISO-A/admissions", F.cln, body, &j), j, 404, NULL, "order_id");
    json_decref(j);
    /* bad bodies */
    assert_error(req("POST", "/api/v1/facilities/ISO-A/admissions", F.cln, "{}", &j), j, 400, "missing_field",
                 "order_id");
    json_decref(j);
    snprintf(body, sizeof body, "{\"order_id\":\"%s\",\"person_id\":\"%s\"}", F.order[1], F.pidof[1]);
    assert_error(req("POST", "/api/v1/facilities/ISO-A/admissions", F.cln, body, &j), j, 422, NULL, "order_id");
    json_decref(j);
    assert_error(req("POST", "/api/v1/facilities/ISO-A/admissions", F.cln, "{\"order_id\":7}", &j), j, 400,
                 "wrong_type", "order_id");
    json_decref(j);
    assert_error(req("POST", "/api/v1/facilities/ISO-A/admissions", F.cln, "{\"bed\":\"1\"}", &j), j, 400,
                 "unknown_field", "bed");
    json_decref(j);
    assert_error(req("POST", "/api/v1/facilities/ISO-A/admissions", F.cln, "{\"order_id\":", &j), j, 400,
                 "invalid_json", NULL);
    json_decref(j);
    /* discharge: refused while the measure still needs the place */
    snprintf(path, sizeof path, "/api/v1/admissions/%lld/discharge", adm);
    assert_error(req("POST", path, F.cln, "{\"reason\":\"test\"}", &j), j, 409, "state", NULL);
    json_decref(j);
    assert_error(req("POST", path, F.cmd, "{}", &j), j, 403, "forbidden", NULL);
    json_decref(j);
    assert_error(req("POST", "/api/v1/admissions/999999/discharge", F.cln, "{}", &j), j, 404, "not_found", "id");
    json_decref(j);
    assert_error(req("POST", "/api/v1/admissions/abc/discharge", F.cln, "{}", &j), j, 404, "not_found", "id");
    json_decref(j);
    /* the case becomes suspected (a commander's decision): the isolation room may be left */
    snprintf(path, sizeof path, "/api/v1/orders/%s/transitions", F.order[0]);
    assert_int_equal(req("POST", path, F.cmd, "{\"action\":\"suspect\",\"date\":\"2020-02-10\"}", NULL), 200);
    snprintf(path, sizeof path, "/api/v1/admissions/%lld/discharge", adm);
    assert_int_equal(req("POST", path, F.cln, "{\"reason\":\"to the fever clinic\"}", &j), 200);
    a = json_object_get(j, "admission");
    assert_string_equal(json_string_value(json_object_get(a, "discharged_at")), NOW);
    assert_non_null(strstr(json_string_value(json_object_get(a, "discharge_reason")), "to the fever clinic"));
    json_decref(j);
    assert_true(audited("admission.discharge", F.pidof[0]));
    assert_error(req("POST", path, F.cln, "{}", &j), j, 409, "state", "id");
    json_decref(j);
    /* the place is free again: the second person is admitted by person_id */
    snprintf(body, sizeof body, "{\"person_id\":\"%s\"}", F.pidof[1]);
    assert_int_equal(req("POST", "/api/v1/facilities/ISO-A/admissions", F.cln, body, &j), 201);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "admission"), "id_no")), F.id[1]);
    json_decref(j);
}

static void test_checkpoint_logs_and_fevers(void **state)
{
    json_t *j, *c, *fv;
    (void)state;
    /* checkpoint staff see their own checkpoint only */
    assert_int_equal(req("GET", "/api/v1/checkpoints", F.chk, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    assert_non_null(item(j, "CP-A"));
    json_decref(j);
    /* an hour's counts: 201; the same hour again replaces them */
    assert_int_equal(req("POST", "/api/v1/checkpoints/CP-A/logs", F.chk,
                         "{\"hour_start\":\"2020-02-10 08:00\",\"checked\":100,\"fevers\":1}", &j), 201);
    assert_true(json_is_false(json_object_get(j, "updated")));
    json_decref(j);
    assert_int_equal(req("POST", "/api/v1/checkpoints/CP-A/logs", F.chk,
                         "{\"hour_start\":\"2020-02-10 08:00\",\"checked\":120,\"fevers\":2}", &j), 201);
    assert_true(json_is_true(json_object_get(j, "updated")));
    assert_int_equal(num(j, "checked"), 120);
    json_decref(j);
    assert_true(audited("checkpoint.log", NULL));
    /* another checkpoint, in the county or not: 404; other roles: 403 */
    assert_error(req("POST", "/api/v1/checkpoints/CP-B/logs", F.chk,
                     "{\"hour_start\":\"2020-02-10 08:00\",\"checked\":1}", &j), j, 404, "not_found", "id");
    json_decref(j);
    assert_error(req("POST", "/api/v1/checkpoints/CP-T/fevers", F.chk, "{\"temperature_c\":38.0}", &j), j, 404,
                 "not_found", "id");
    json_decref(j);
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/logs", F.cmd,
                     "{\"hour_start\":\"2020-02-10 08:00\",\"checked\":1}", &j), j, 403, "forbidden", NULL);
    json_decref(j);
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/fevers", F.gw, "{\"temperature_c\":38.0}", &j), j, 403,
                 "forbidden", NULL);
    json_decref(j);
    /* counts refused by the rules, each naming its field */
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/logs", F.chk,
                     "{\"hour_start\":\"2020-02-10 09:00\",\"checked\":500}", &j), j, 422, NULL, "checked");
    json_decref(j);
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/logs", F.chk,
                     "{\"hour_start\":\"2020-02-10 09:00\",\"checked\":5,\"fevers\":6}", &j), j, 422, NULL, "fevers");
    json_decref(j);
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/logs", F.chk,
                     "{\"hour_start\":\"2020-02-10 09:30\",\"checked\":5}", &j), j, 422, NULL, "hour_start");
    json_decref(j);
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/logs", F.chk,
                     "{\"hour_start\":\"2020-02-10 11:00\",\"checked\":5}", &j), j, 422, NULL, "hour_start");
    json_decref(j);
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/logs", F.chk,
                     "{\"hour_start\":\"2020-02-10 09:00\",\"checked\":-1}", &j), j, 422, NULL, "checked");
    json_decref(j);
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/logs", F.chk, "{\"hour_start\":\"2020-02-10 09:00\"}", &j),
                 j, 400, "missing_field", "checked");
    json_decref(j);
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/logs", F.chk,
                     "{\"hour_start\":\"2020-02-10 09:00\",\"checked\":\"5\"}", &j), j, 400, "wrong_type", "checked");
    json_decref(j);
    /* a fever below 37.3 °C is no fever record: 400 naming temperature_c */
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/fevers", F.chk, "{\"temperature_c\":37.2}", &j), j, 400,
                 NULL, "temperature_c");
    json_decref(j);
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/fevers", F.chk, "{\"temperature_c\":45}", &j), j, 422,
                 NULL, "temperature_c");
    json_decref(j);
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/fevers", F.chk,
                     "{\"temperature_c\":38.1,\"at\":\"2020-02-10 12:00\"}", &j), j, 422, NULL, "at");
    json_decref(j);
    /* a fever: a referral to the county's fever clinic, the recorder sees what they typed */
    assert_int_equal(req("POST", "/api/v1/checkpoints/CP-A/fevers", F.chk,
                         "{\"temperature_c\":38.2,\"at\":\"2020-02-10 09:20\",\"name\":\"赵七\","
                         "\"id_no\":\"220502199001011234\",\"phone\":\"13512345678\",\"destination\":\"东昌\"}",
                         &j), 201);
    fv = json_object_get(j, "fever");
    assert_string_equal(json_string_value(json_object_get(fv, "clinic_id")), "FC-A");
    assert_string_equal(json_string_value(json_object_get(fv, "id_no")), "220502199001011234");
    assert_string_equal(json_string_value(json_object_get(fv, "due_at")), "2020-02-10 15:20");
    json_decref(j);
    assert_true(audited("fever.add", NULL));
    /* today's counts and fevers: unmasked for the checkpoint's staff (audited) */
    assert_int_equal(req("GET", "/api/v1/checkpoints", F.chk, NULL, &j), 200);
    c = item(j, "CP-A");
    assert_int_equal(num(json_object_get(c, "today"), "checks"), 120);
    assert_int_equal(num(json_object_get(c, "today"), "fevers"), 2);
    assert_int_equal(json_array_size(json_object_get(c, "fevers_today")), 1);
    fv = json_array_get(json_object_get(c, "fevers_today"), 0);
    assert_string_equal(json_string_value(json_object_get(fv, "id_no")), "220502199001011234");
    assert_string_equal(json_string_value(json_object_get(fv, "phone")), "13512345678");
    json_decref(j);
    assert_true(audited("fever.list", NULL));
    /* masked for the commander; the county commander lists that county's checkpoint only */
    assert_int_equal(req("GET", "/api/v1/checkpoints", F.cmd, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 3);
    c = item(j, "CP-A");
    fv = json_array_get(json_object_get(c, "fevers_today"), 0);
    assert_string_equal(json_string_value(json_object_get(fv, "id_no")), "220502********1234");
    assert_string_equal(json_string_value(json_object_get(fv, "phone")), "135****5678");
    json_decref(j);
    assert_int_equal(req("GET", "/api/v1/checkpoints", F.cmdt, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    assert_non_null(item(j, "CP-T"));
    json_decref(j);
    assert_error(req("GET", "/api/v1/checkpoints?juris=220502", F.cmdt, NULL, &j), j, 404, "not_found", "juris");
    json_decref(j);
    assert_int_equal(req("GET", "/api/v1/checkpoints?juris=220502001", F.ana, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    json_decref(j);
    assert_error(req("GET", "/api/v1/checkpoints", F.cln, NULL, &j), j, 403, "forbidden", NULL);
    json_decref(j);
}

/* The report of the command line (computed fresh), parsed. */
static json_t *cli_report(const char *date, const char *juris)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "EPIGRID_NOW='%s' %s --db %s report daily --date %s --juris %s --format json", NOW,
             EG_EPIGRID_BIN, F.db, date, juris);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    json_error_t je;
    json_t *j = json_loadf(p, 0, &je);
    assert_int_equal(pclose(p), 0);
    assert_non_null(j);
    return j;
}

static void test_report_cache(void **state)
{
    json_t *a, *b, *fresh;
    char hit[8];
    (void)state;
    const char *P = "/api/v1/reports/daily?date=2020-02-10&juris=220502";
    assert_int_equal(req3("GET", P, F.cmd, NULL, &a, hit), 200);
    assert_true(json_is_true(json_object_get(a, "live")));
    assert_int_equal(req3("GET", P, F.ana, NULL, &b, hit), 200);
    assert_string_equal(hit, "hit");
    assert_true(json_equal(a, b));
    fresh = cli_report("2020-02-10", "220502");
    assert_true(json_equal(a, fresh));
    long checks = (long)json_integer_value(json_object_get(json_object_get(a, "checkpoints"), "checks"));
    json_decref(a), json_decref(b), json_decref(fresh);
    /* a write through the server: the next answer is computed again and shows it */
    assert_int_equal(req("POST", "/api/v1/checkpoints/CP-A/logs", F.chk,
                         "{\"hour_start\":\"2020-02-10 09:00\",\"checked\":50,\"fevers\":0}", NULL), 201);
    assert_int_equal(req3("GET", P, F.cmd, NULL, &a, hit), 200);
    assert_string_equal(hit, "miss");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(a, "checkpoints"), "checks")), checks + 50);
    fresh = cli_report("2020-02-10", "220502");
    assert_true(json_equal(a, fresh));
    json_decref(a), json_decref(fresh);
    /* another node of the same report comes from the same entry */
    assert_int_equal(req3("GET", "/api/v1/reports/daily?date=2020-02-10", F.cmd, NULL, &a, hit), 200);
    assert_string_equal(hit, "hit");
    fresh = cli_report("2020-02-10", "2205");
    assert_true(json_equal(a, fresh));
    json_decref(a), json_decref(fresh);
    /* versions: none yet; a stored one (the command line), seen after the server's next write */
    assert_int_equal(req("GET", "/api/v1/reports/daily/versions?date=2020-02-10&juris=220502", F.cmd, NULL, &a), 200);
    assert_int_equal(json_array_size(json_object_get(a, "versions")), 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(a, "juris"), "code")), "220502");
    json_decref(a);
    assert_int_equal(run("report correct --date 2020-02-10 --reason test", NULL), 0);
    assert_int_equal(req("GET", "/api/v1/reports/daily/versions?date=2020-02-10", F.ana, NULL, &a), 200);
    assert_int_equal(json_array_size(json_object_get(a, "versions")), 1);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(a, "versions"), 0), "version")),
                     1);
    json_decref(a);
    assert_int_equal(req("POST", "/api/v1/checkpoints/CP-A/logs", F.chk,
                         "{\"hour_start\":\"2020-02-10 07:00\",\"checked\":0,\"fevers\":0}", NULL), 201);
    assert_int_equal(req3("GET", P, F.cmd, NULL, &a, hit), 200);
    assert_true(json_is_false(json_object_get(a, "live")));
    assert_int_equal(json_integer_value(json_object_get(a, "version")), 1);
    assert_int_equal(req3("GET", "/api/v1/reports/daily?date=2020-02-10&juris=220502&version=1", F.cmd, NULL, &b, hit),
                     200);
    assert_true(json_equal(a, b));
    json_decref(b);
    assert_int_equal(req3("GET", "/api/v1/reports/daily?date=2020-02-10&juris=220502&version=1", F.cmd, NULL, &b, hit),
                     200);
    assert_string_equal(hit, "hit");   /* a stored version never changes */
    assert_true(json_equal(a, b));
    json_decref(a), json_decref(b);
    assert_error(req("GET", "/api/v1/reports/daily?date=2020-02-10&version=2", F.cmd, NULL, &a), a, 404, NULL,
                 "version");
    json_decref(a);
    assert_error(req("GET", "/api/v1/reports/daily/versions", F.cmd, NULL, &a), a, 400, NULL, "date");
    json_decref(a);
    assert_error(req("GET", "/api/v1/reports/daily/versions?date=2020-02-11", F.cmd, NULL, &a), a, 422, NULL, "date");
    json_decref(a);
    assert_error(req("GET", "/api/v1/reports/daily/versions?date=2020-02-10&juris=220502", F.cmdt, NULL, &a), a, 404,
                 NULL, "juris");
    json_decref(a);
}

static void test_bad_input_no_5xx(void **state)
{
    static const char *const PATHS[] = {
        "/api/v1/facilities/ISO-A/admissions", "/api/v1/admissions/1/discharge", "/api/v1/checkpoints/CP-A/logs",
        "/api/v1/checkpoints/CP-A/fevers", "/api/v1/facilities/%00/admissions",
        "/api/v1/checkpoints/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/logs",
        "/api/v1/admissions/99999999999999999999999/discharge", "/api/v1/admissions/-1/discharge",
    };
    static const char *const BODIES[] = {
        "[]", "null", "\"x\"", "{\"temperature_c\":1e308}", "{\"checked\":99999999999999999999}",
        "{\"hour_start\":\"2020-02-10 08:00\",\"checked\":1e3}", "{\"order_id\":\"\\u0000\"}",
        "{\"at\":\"9999-99-99 99:99\",\"temperature_c\":38}", "{\"temperature_c\":-0.0}",
        "{\"a\":1,\"a\":2}", "{\"reason\":\"" "\xff\xfe" "\"}",
    };
    const char *tok[] = { F.chk, F.cln };
    (void)state;
    for (size_t p = 0; p < sizeof PATHS / sizeof PATHS[0]; p++)
        for (size_t b = 0; b < sizeof BODIES / sizeof BODIES[0]; b++)
            for (int t = 0; t < 2; t++) {
                json_t *j = NULL;
                int st = req("POST", PATHS[p], tok[t], BODIES[b], &j);
                assert_true(st >= 400 && st < 500);
                assert_non_null(json_object_get(j, "error"));
                json_decref(j);
            }
    /* a body over the route's limit: 413 before it is read */
    char *big = malloc(20000);
    memset(big, ' ', 19999);
    big[0] = '{', big[19998] = '}', big[19999] = 0;
    json_t *j;
    assert_error(req("POST", "/api/v1/checkpoints/CP-A/fevers", F.chk, big, &j), j, 413, NULL, NULL);
    json_decref(j);
    free(big);
    assert_error(req("GET", "/api/v1/checkpoints/CP-A/logs", F.chk, NULL, &j), j, 405, NULL, NULL);
    json_decref(j);
}

static void test_openapi_lists_the_routes(void **state)
{
    json_t *j;
    (void)state;
    assert_int_equal(req("GET", "/api/v1/openapi.json", NULL, NULL, &j), 200);
    json_t *paths = json_object_get(j, "paths");
    const char *want[][2] = { { "/facilities", "get" }, { "/facilities/{id}/admissions", "post" },
                              { "/admissions/{id}/discharge", "post" }, { "/checkpoints", "get" },
                              { "/checkpoints/{id}/logs", "post" }, { "/checkpoints/{id}/fevers", "post" } };
    for (size_t i = 0; i < 6; i++)
        assert_non_null(json_object_get(json_object_get(paths, want[i][0]), want[i][1]));
    json_t *roles = json_object_get(json_object_get(json_object_get(paths, "/checkpoints/{id}/fevers"), "post"),
                                    "x-roles");
    assert_int_equal(json_array_size(roles), 1);
    assert_string_equal(json_string_value(json_array_get(roles, 0)), "checkpoint_staff");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_facilities_list_scope_roles),
        cmocka_unit_test(test_admission_and_discharge),
        cmocka_unit_test(test_checkpoint_logs_and_fevers),
        cmocka_unit_test(test_report_cache),
        cmocka_unit_test(test_bad_input_no_5xx),
        cmocka_unit_test(test_openapi_lists_the_routes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
