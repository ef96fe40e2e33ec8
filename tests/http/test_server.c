/*
 * tests/http/test_server.c: the HTTP/JSON server end to end, on a free
 * loopback port: login and logout, each role doing its job and nothing
 * more, scopes (a grid worker of one grid, a commander of one county),
 * masking per role, the audit trail of unmasked reads, CSRF for cookie
 * sessions, bad input (always a 4xx with the error shape), a kill -9
 * after a 2xx keeping the write, and openapi.json equal to the route table.
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
#include "epigrid/auth.h"
#include "epigrid/http.h"
#include "epigrid/idno.h"
#include "epigrid/store.h"
#include "http_client.h"
#include "testutil.h"

#define NOW "2020-02-10 10:00"
#define PW "password123"
#define assert_error(ST, J, W, C) do { int st__ = (ST); check_error(st__, (J), (W), (C)); } while (0)

/* The fixture: a database with two grids of one village of 东昌区, a
 * village of 通化县 and one of Meihekou, staff, four persons and users. */
typedef struct fx {
    char db[512];
    pid_t pid;
    unsigned port;
    char id[4][EG_IDNO_BUFSZ];
    char pid_of[4][24];
} fx;

static fx F;

/* A valid identity number. */
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
        snprintf(cmd, sizeof cmd, "printf '%%s\\n' '%s' | EPIGRID_NOW='%s' %s --db %s %s", input, NOW,
                 EG_EPIGRID_BIN, F.db, args);
    else
        snprintf(cmd, sizeof cmd, "EPIGRID_NOW='%s' %s --db %s %s", NOW, EG_EPIGRID_BIN, F.db, args);
    strcat(cmd, " >/dev/null 2>&1");
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* A request; returns the status, the body parsed (may be NULL). */
static int req(const char *method, const char *path, const char *token, const char *body, json_t **out)
{
    char h[256] = "";
    hc_resp r;
    if (token)
        snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", token);
    assert_int_equal(hc_request(F.port, method, path, h, body, 0, &r), 0);
    if (out)
        *out = json_loads(r.body, 0, NULL);
    int st = r.status;
    hc_free(&r);
    return st;
}

/* Log in; returns a malloc'ed token (NULL when refused). */
static char *login(const char *user)
{
    char body[128];
    json_t *j = NULL;
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, PW);
    int st = req("POST", "/api/v1/auth/login", NULL, body, &j);
    char *t = st == 200 ? strdup(json_string_value(json_object_get(j, "token"))) : NULL;
    json_decref(j);
    return t;
}

/* The error shape: {"error":{"code","message"}} with a 4xx (the status is
 * evaluated before the body it fills). */
static void check_error(int st, json_t *j, int want, const char *code)
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
}

static int setup(void **state)
{
    char path[512], csv[4096];
    (void)state;
    tu_path(F.db, sizeof F.db, "http.db");
    unlink(F.db);
    assert_int_equal(run("init", NULL), 0);
    tu_path(path, sizeof path, "http_grids.csv");
    tu_write(path, "code,name,level,parent_code\n220502001001-1,第1网格,grid,220502001001\n"
                   "220502001001-2,第2网格,grid,220502001001\n");
    snprintf(csv, sizeof csv, "import divisions %s", path);
    assert_int_equal(run(csv, NULL), 0);
    tu_path(path, sizeof path, "http_staff.csv");
    tu_write(path, "staff_id,name,phone,role,juris_code,unit\n"
                   "S1,甲,13800000001,secretary,2205,\nS2,乙,13800000002,cdc_staff,2205,\n"
                   "S3,丙,13800000003,grid_leader,220502001001-1,\nS4,丁,13800000004,grid_leader,220502001001-2,\n"
                   "S5,戊,13800000005,secretary,220521,\nS6,己,13800000006,township_cadre,220502001,\n"
                   "S7,庚,13800000007,checkpoint_staff,220502,\nS8,辛,13800000008,clinician,220502,\n");
    snprintf(csv, sizeof csv, "import staff %s", path);
    assert_int_equal(run(csv, NULL), 0);
    make_id("220502", "1980-01-01", 11, F.id[0]);
    make_id("220502", "1985-02-02", 22, F.id[1]);
    make_id("220521", "1990-03-03", 33, F.id[2]);
    make_id("220581", "1970-04-04", 44, F.id[3]);
    tu_path(path, sizeof path, "http_persons.csv");
    snprintf(csv, sizeof csv, "id_no,name,sex,birth_date,phone,address_code,address\n"
             "%s,张三,M,1980-01-01,13812345678,220502001001-1,a\n%s,李四,F,1985-02-02,13912345678,220502001001-2,b\n"
             "%s,王五,M,1990-03-03,13712345678,220521100001,c\n%s,赵六,F,1970-04-04,13612345678,220581001001,d\n",
             F.id[0], F.id[1], F.id[2], F.id[3]);
    tu_write(path, csv);
    snprintf(csv, sizeof csv, "import persons %s", path);
    assert_int_equal(run(csv, NULL), 0);
    assert_int_equal(run("user add admin --role admin --juris 2205 --staff S2", PW), 0);
    assert_int_equal(run("user add cmd --role commander --juris 2205 --staff S1", PW), 0);
    assert_int_equal(run("user add cmdth --role commander --juris 220521 --staff S5", PW), 0);
    assert_int_equal(run("user add gw1 --role grid_worker --juris 220502001001-1 --staff S3", PW), 0);
    assert_int_equal(run("user add gw2 --role grid_worker --juris 220502001001-2 --staff S4", PW), 0);
    assert_int_equal(run("user add town --role township_officer --juris 220502001 --staff S6", PW), 0);
    assert_int_equal(run("user add chk --role checkpoint_staff --juris 220502 --staff S7", PW), 0);
    assert_int_equal(run("user add cln --role clinician --juris 220502 --staff S8", PW), 0);
    assert_int_equal(run("user add ana --role analyst --juris 2205 --staff S2", PW), 0);
    /* a running home quarantine for the person of grid 1 (control measures) */
    snprintf(csv, sizeof csv, "control open --id-no %s --measure home_quarantine --start 2020-02-05", F.id[0]);
    assert_int_equal(run(csv, NULL), 0);
    /* refused: a grid worker account for a secretary; a password on argv is impossible */
    assert_int_not_equal(run("user add bad --role grid_worker --juris 2205 --staff S1", PW), 0);
    F.pid = hc_serve(F.db, NOW, &F.port);
    assert_true(F.pid > 0);
    /* the persons' opaque ids, through the city commander (masked) */
    char *t = login("cmd");
    assert_non_null(t);
    for (int i = 0; i < 4; i++) {
        char body[128];
        json_t *j;
        snprintf(body, sizeof body, "{\"id_no\":\"%s\"}", F.id[i]);
        assert_int_equal(req("POST", "/api/v1/persons/search", t, body, &j), 200);
        json_t *items = json_object_get(j, "items");
        if (i == 3) {   /* Meihekou is administered by the province: outside the city's scope */
            assert_int_equal(json_array_size(items), 0);
        } else {
            assert_int_equal(json_array_size(items), 1);
            snprintf(F.pid_of[i], sizeof F.pid_of[i], "%s",
                     json_string_value(json_object_get(json_array_get(items, 0), "id")));
        }
        json_decref(j);
    }
    free(t);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    if (F.pid > 0) {
        kill(F.pid, SIGTERM);
        waitpid(F.pid, NULL, 0);
    }
    return 0;
}

static void test_login_logout(void **state)
{
    json_t *j;
    (void)state;
    char *t = login("gw1");
    assert_non_null(t);
    assert_int_equal(strlen(t), 64);
    assert_int_equal(req("GET", "/api/v1/auth/session", t, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "user"), "role")), "grid_worker");
    json_decref(j);
    assert_int_equal(req("POST", "/api/v1/auth/logout", t, NULL, NULL), 200);
    assert_error(req("GET", "/api/v1/auth/session", t, NULL, &j), j, 401, "unauthenticated");
    json_decref(j);
    assert_error(req("POST", "/api/v1/auth/login", NULL, "{\"username\":\"gw1\",\"password\":\"wrong-password\"}", &j),
                 j, 401, "bad_credentials");
    json_decref(j);
    assert_error(req("POST", "/api/v1/auth/login", NULL, "{\"username\":\"nobody\",\"password\":\"x\"}", &j), j,
                 401, "bad_credentials");
    json_decref(j);
    assert_error(req("GET", "/api/v1/persons", "00", NULL, &j), j, 401, "unauthenticated");
    json_decref(j);
    free(t);
}

/* Expect `status` for user on method/path. */
static void expect(const char *user, const char *method, const char *path, const char *body, int status)
{
    char *t = login(user);
    json_t *j = NULL;
    assert_non_null(t);
    int st = req(method, path, t, body, &j);
    if (st != status)
        fail_msg("%s %s %s: %d, expected %d", user, method, path, st, status);
    if (status >= 400)
        assert_error(st, j, status, NULL);
    json_decref(j);
    free(t);
}

static void test_roles(void **state)
{
    char p[128];
    (void)state;
    snprintf(p, sizeof p, "/api/v1/persons/%s", F.pid_of[0]);
    /* admin: users and audit, no persons */
    expect("admin", "GET", "/api/v1/users", NULL, 200);
    expect("admin", "GET", "/api/v1/audit", NULL, 200);
    expect("admin", "GET", p, NULL, 403);
    expect("admin", "GET", "/api/v1/analysis/series", NULL, 403);
    /* commander: persons (masked), orders, tasks, analysis; not users or audit */
    expect("cmd", "GET", p, NULL, 200);
    expect("cmd", "GET", "/api/v1/orders", NULL, 200);
    expect("cmd", "GET", "/api/v1/tasks", NULL, 200);
    expect("cmd", "GET", "/api/v1/analysis/series", NULL, 200);
    expect("cmd", "GET", "/api/v1/users", NULL, 403);
    expect("cmd", "GET", "/api/v1/audit", NULL, 403);
    /* township officer and grid worker: persons, orders, tasks of their scope */
    expect("town", "GET", p, NULL, 200);
    expect("town", "GET", "/api/v1/tasks", NULL, 200);
    expect("gw1", "GET", p, NULL, 200);
    expect("gw1", "GET", "/api/v1/orders", NULL, 200);
    expect("gw1", "GET", "/api/v1/analysis/rt?series=jilin", NULL, 403);
    expect("gw1", "POST", "/api/v1/users", "{}", 403);
    /* checkpoint staff and clinicians: no registry browsing */
    expect("chk", "GET", "/api/v1/persons", NULL, 403);
    expect("cln", "GET", p, NULL, 403);
    expect("cln", "GET", "/api/v1/orders", NULL, 403);
    /* analyst: analysis only */
    expect("ana", "GET", "/api/v1/analysis/series", NULL, 200);
    expect("ana", "GET", "/api/v1/analysis/rt?series=jilin&to=2020-02-13", NULL, 200);
    expect("ana", "GET", "/api/v1/analysis/projection?series=tonghua&as_of=2020-02-13&n_sim=500", NULL, 200);
    expect("ana", "GET", "/api/v1/persons", NULL, 403);
    expect("ana", "GET", "/api/v1/orders", NULL, 403);
}

static void test_grid_scope(void **state)
{
    char p[128];
    json_t *j;
    (void)state;
    char *t = login("gw1");
    snprintf(p, sizeof p, "/api/v1/persons/%s", F.pid_of[1]);   /* the other grid */
    assert_error(req("GET", p, t, NULL, &j), j, 404, "not_found");
    json_decref(j);
    snprintf(p, sizeof p, "/api/v1/persons/%s/trips", F.pid_of[1]);
    assert_error(req("GET", p, t, NULL, &j), j, 404, NULL);
    json_decref(j);
    snprintf(p, sizeof p, "/api/v1/persons/%s", F.pid_of[0]);   /* its own grid */
    assert_int_equal(req("GET", p, t, NULL, &j), 200);
    json_decref(j);
    assert_int_equal(req("GET", "/api/v1/persons", t, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    json_decref(j);
    char body[128];
    snprintf(body, sizeof body, "{\"id_no\":\"%s\"}", F.id[1]);
    assert_int_equal(req("POST", "/api/v1/persons/search", t, body, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
    json_decref(j);
    free(t);
}

static void test_county_scope(void **state)
{
    char p[128];
    json_t *j;
    (void)state;
    char *t = login("cmdth");   /* commander of 通化县 220521 */
    assert_int_equal(req("GET", "/api/v1/persons", t, NULL, &j), 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "id")), F.pid_of[2]);
    json_decref(j);
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "/api/v1/persons/%s", F.pid_of[i]);
        assert_error(req("GET", p, t, NULL, &j), j, 404, "not_found");
        json_decref(j);
    }
    assert_error(req("GET", "/api/v1/persons?juris=220502", t, NULL, &j), j, 404, "not_found");
    json_decref(j);
    assert_error(req("GET", "/api/v1/orders?juris=220502", t, NULL, &j), j, 404, "not_found");
    json_decref(j);
    hc_resp r;
    char h[128];
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", t);
    assert_int_equal(hc_request(F.port, "GET", "/api/v1/persons/export?format=csv", h, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, F.pid_of[2]));
    assert_null(strstr(r.body, F.pid_of[0]));
    assert_null(strstr(r.body, F.pid_of[1]));
    assert_null(strstr(r.body, F.id[2]));   /* exports are masked */
    hc_free(&r);
    free(t);
}

static void test_masking(void **state)
{
    char p[128], masked[EG_IDNO_BUFSZ];
    json_t *j;
    (void)state;
    snprintf(p, sizeof p, "/api/v1/persons/%s", F.pid_of[0]);
    eg_idno_mask(F.id[0], masked);
    char *t = login("cmd");
    assert_int_equal(req("GET", p, t, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(j, "id_no")), masked);
    assert_string_equal(json_string_value(json_object_get(j, "phone")), "138****5678");
    assert_true(json_is_true(json_object_get(j, "masked")));
    json_decref(j);
    /* the audited reveal */
    char rp[160];
    snprintf(rp, sizeof rp, "%s/reveal", p);
    assert_error(req("POST", rp, t, "{}", &j), j, 400, "missing_field");
    json_decref(j);
    assert_int_equal(req("POST", rp, t, "{\"reason\":\"case investigation\"}", &j), 200);
    assert_string_equal(json_string_value(json_object_get(j, "id_no")), F.id[0]);
    json_decref(j);
    free(t);
    t = login("gw1");
    assert_int_equal(req("GET", p, t, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(j, "id_no")), F.id[0]);
    assert_string_equal(json_string_value(json_object_get(j, "phone")), "13812345678");
    assert_true(json_is_false(json_object_get(j, "masked")));
    json_decref(j);
    free(t);
}

/* 1 if the audit log holds action by user for person pid. */
static int audited(const char *user, const char *action, const char *pid)
{
    char *t = login("admin"), path[128];
    json_t *j;
    int found = 0;
    snprintf(path, sizeof path, "/api/v1/audit?user=%s&limit=1000", user);
    assert_int_equal(req("GET", path, t, NULL, &j), 200);
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(j, "items"), i, a) {
        const char *ap = json_string_value(json_object_get(a, "person_id"));
        if (strcmp(json_string_value(json_object_get(a, "action")), action) == 0 && ap && strcmp(ap, pid) == 0)
            found = 1;
    }
    json_decref(j);
    free(t);
    return found;
}

static void test_audit(void **state)
{
    char p[160];
    json_t *j;
    (void)state;
    char *t = login("gw2");
    snprintf(p, sizeof p, "/api/v1/persons/%s", F.pid_of[1]);
    assert_false(audited("gw2", "person.get", F.pid_of[1]));
    assert_int_equal(req("GET", p, t, NULL, &j), 200);
    json_decref(j);
    assert_true(audited("gw2", "person.get", F.pid_of[1]));
    assert_int_equal(req("GET", "/api/v1/persons", t, NULL, &j), 200);
    json_decref(j);
    assert_true(audited("gw2", "person.list", F.pid_of[1]));
    char body[128];
    snprintf(body, sizeof body, "{\"phone\":\"139 1234 5678\"}");
    assert_int_equal(req("POST", "/api/v1/persons/search", t, body, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    json_decref(j);
    assert_true(audited("gw2", "person.search", F.pid_of[1]));
    snprintf(p, sizeof p, "/api/v1/persons/%s/trips", F.pid_of[1]);
    assert_int_equal(req("GET", p, t, NULL, &j), 200);
    json_decref(j);
    assert_true(audited("gw2", "person.trips", F.pid_of[1]));
    free(t);
    /* the commander's reveal (test_masking) is in the log too */
    assert_true(audited("cmd", "person.reveal", F.pid_of[0]));
    /* and the audit log is for admins only */
    t = login("gw2");
    assert_error(req("GET", "/api/v1/audit", t, NULL, &j), j, 403, "forbidden");
    json_decref(j);
    free(t);
}

static void test_csrf_cookie(void **state)
{
    hc_resp r;
    char h[512];
    (void)state;
    char *t = login("gw1");
    snprintf(h, sizeof h, "Cookie: eg_session=%s\r\n", t);
    assert_int_equal(hc_request(F.port, "GET", "/api/v1/auth/session", h, NULL, 0, &r), 0);
    assert_int_equal(r.status, 200);
    json_t *j = json_loads(r.body, 0, NULL);
    char csrf[EG_TOKEN_HEXSZ];
    snprintf(csrf, sizeof csrf, "%s", json_string_value(json_object_get(j, "csrf")));
    json_decref(j);
    hc_free(&r);
    assert_int_equal(hc_request(F.port, "POST", "/api/v1/persons/search", h, "{\"name\":\"张三\"}", 0, &r), 0);
    assert_int_equal(r.status, 403);
    assert_non_null(strstr(r.body, "csrf"));
    hc_free(&r);
    snprintf(h, sizeof h, "Cookie: eg_session=%s\r\nX-CSRF-Token: %s\r\n", t, csrf);
    assert_int_equal(hc_request(F.port, "POST", "/api/v1/persons/search", h, "{\"name\":\"张三\"}", 0, &r), 0);
    assert_int_equal(r.status, 200);
    hc_free(&r);
    /* the login answer sets an HttpOnly SameSite=Strict cookie */
    assert_int_equal(hc_request(F.port, "POST", "/api/v1/auth/login", NULL,
                                "{\"username\":\"gw1\",\"password\":\"" PW "\"}", 0, &r), 0);
    assert_non_null(strstr(r.headers, "HttpOnly"));
    assert_non_null(strstr(r.headers, "SameSite=Strict"));
    hc_free(&r);
    free(t);
}

static void test_bad_input(void **state)
{
    json_t *j;
    (void)state;
    char *t = login("cmd");
    struct { const char *m, *p, *body; int st; const char *code; } C[] = {
        { "POST", "/api/v1/persons/search", "{\"name\":", 400, "invalid_json" },
        { "POST", "/api/v1/persons/search", "[1,2]", 400, "invalid_json" },
        { "POST", "/api/v1/persons/search", "{\"name\":\"a\",\"name\":\"b\"}", 400, "invalid_json" },
        { "POST", "/api/v1/persons/search", "{\"nmae\":\"x\"}", 400, "unknown_field" },
        { "POST", "/api/v1/persons/search", "{\"name\":42}", 400, "wrong_type" },
        { "POST", "/api/v1/persons/search", "{\"name\":\"x\",\"limit\":1000}", 422, "out_of_range" },
        { "POST", "/api/v1/persons/search", "{}", 422, "missing_field" },
        { "POST", "/api/v1/persons/search", "{\"id_no\":\"'; DROP TABLE person; --\"}", 422, NULL },
        { "GET", "/api/v1/nowhere", NULL, 404, "not_found" },
        { "DELETE", "/api/v1/persons", NULL, 405, "method_not_allowed" },
        { "GET", "/api/v1/persons?bogus=1", NULL, 400, "unknown_parameter" },
        { "GET", "/api/v1/persons?per_page=-5", NULL, 400, "invalid_parameter" },
        { "GET", "/api/v1/persons?juris=abc", NULL, 400, "invalid_parameter" },
        { "GET", "/api/v1/persons/../../etc/passwd", NULL, 404, NULL },
        { "GET", "/api/v1/persons/zzzzzzzzzzzzzzzz", NULL, 404, "not_found" },
        { "GET", "/api/v1/orders?from=2020-13-45", NULL, 400, "invalid_parameter" },
        { "GET", "/api/v1/analysis/rt?series=jilin&window=0", NULL, 400, NULL },
        { "GET", "/api/v1/analysis/rt?series=nope", NULL, 404, "not_found" },
        { "GET", "/api/v1/analysis/projection?series=tonghua&n_sim=99999999", NULL, 400, NULL },
        { "POST", "/api/v1/auth/login", "{\"username\":\"a\",\"password\":\"b\",\"x\":1}", 400, "unknown_field" },
    };
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
        int st = req(C[i].m, C[i].p, strncmp(C[i].p, "/api/v1/auth", 12) ? t : NULL, C[i].body, &j);
        if (st != C[i].st)
            fail_msg("%s %s: %d, expected %d", C[i].m, C[i].p, st, C[i].st);
        assert_error(st, j, C[i].st, C[i].code);
        json_decref(j);
    }
    /* outside /api/v1: the web pages' business, but never a 5xx */
    assert_int_equal(req("GET", "/elsewhere/../../etc/passwd", NULL, NULL, NULL) / 100, 4);
    /* an oversized body: refused from its Content-Length */
    size_t n = 64 * 1024;
    char *big = malloc(n + 1), h[128];
    memset(big, 'a', n);
    big[0] = '"', big[n - 1] = '"', big[n] = 0;
    hc_resp r;
    snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", t);
    assert_int_equal(hc_request(F.port, "POST", "/api/v1/persons/search", h, big, n, &r), 0);
    assert_int_equal(r.status, 413);
    hc_free(&r);
    free(big);
    /* a body where none is taken */
    assert_int_equal(hc_request(F.port, "GET", "/api/v1/persons", h, "{}", 2, &r), 0);
    assert_int_equal(r.status, 413);
    hc_free(&r);
    /* the server is still well */
    assert_int_equal(req("GET", "/api/v1/auth/session", t, NULL, NULL), 200);
    free(t);
}

static void test_openapi(void **state)
{
    json_t *j;
    size_t n = 0, ops = 0;
    const char *path;
    json_t *item;
    (void)state;
    assert_int_equal(req("GET", "/api/v1/openapi.json", NULL, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(j, "openapi")), "3.1.0");
    json_t *paths = json_object_get(j, "paths");
    for (const eg_route_info *ri; (ri = eg_http_route(n)) != NULL; n++) {
        char m[16];
        size_t k;
        for (k = 0; ri->method[k]; k++)
            m[k] = (char)(ri->method[k] | 0x20);
        m[k] = 0;
        json_t *op = json_object_get(json_object_get(paths, ri->path), m);
        if (!op)
            fail_msg("openapi lacks %s %s", ri->method, ri->path);
        assert_int_equal(json_array_size(json_object_get(op, "x-roles")) > 0, ri->roles != 0);
    }
    json_object_foreach(paths, path, item) ops += json_object_size(item);
    assert_int_equal(ops, n);
    /* and it is what eg_http_openapi makes */
    char *text = eg_http_openapi();
    json_t *mine = json_loads(text, 0, NULL);
    assert_true(json_equal(mine, j));
    json_decref(mine);
    free(text);
    json_decref(j);
}

static void test_users_admin(void **state)
{
    json_t *j;
    (void)state;
    char *t = login("admin");
    assert_int_equal(req("POST", "/api/v1/users", t,
                         "{\"name\":\"gw3\",\"role\":\"grid_worker\",\"juris\":\"220502001001-2\","
                         "\"staff_id\":\"S4\",\"password\":\"" PW "\"}", &j), 201);
    json_int_t id = json_integer_value(json_object_get(json_object_get(j, "user"), "id"));
    assert_true(id > 0);
    json_decref(j);
    assert_error(req("POST", "/api/v1/users", t,
                     "{\"name\":\"gw3\",\"role\":\"grid_worker\",\"juris\":\"220502001001-2\","
                     "\"staff_id\":\"S4\",\"password\":\"" PW "\"}", &j), j, 409, "exists");
    json_decref(j);
    assert_error(req("POST", "/api/v1/users", t,
                     "{\"name\":\"x\",\"role\":\"analyst\",\"juris\":\"2205\",\"staff_id\":\"S4\",\"password\":\"" PW "\"}",
                     &j), j, 422, NULL);
    json_decref(j);
    char *t3 = login("gw3");
    assert_non_null(t3);
    char p[64];
    snprintf(p, sizeof p, "/api/v1/users/%lld/revoke", (long long)id);
    assert_int_equal(req("POST", p, t, NULL, NULL), 200);
    assert_error(req("GET", "/api/v1/auth/session", t3, NULL, &j), j, 401, NULL);
    json_decref(j);
    assert_null(login("gw3"));
    assert_int_equal(req("GET", "/api/v1/users", t, NULL, &j), 200);
    assert_true(json_array_size(json_object_get(j, "items")) >= 10);
    json_decref(j);
    free(t3);
    free(t);
}

static eg_err no_user(void *ctx, const eg_user_rec *u)
{
    (void)ctx, (void)u;
    return EG_OK;
}

/* A kill -9 right after a 2xx keeps the write. */
static void test_kill9_durable(void **state)
{
    json_t *j;
    eg_store *s;
    (void)state;
    char *t = login("admin");
    assert_int_equal(req("POST", "/api/v1/users", t,
                         "{\"name\":\"durable1\",\"role\":\"analyst\",\"juris\":\"2205\","
                         "\"staff_id\":\"S2\",\"password\":\"" PW "\"}", &j), 201);
    json_decref(j);
    free(t);
    kill(F.pid, SIGKILL);
    waitpid(F.pid, NULL, 0);
    F.pid = -1;
    assert_int_equal(eg_store_open(F.db, 0, &s, NULL), EG_OK);
    assert_int_equal(eg_store_user_get(s, "durable1", 0, no_user, NULL), EG_OK);
    eg_store_close(s);
    F.pid = hc_serve(F.db, NOW, &F.port);
    assert_true(F.pid > 0);
    t = login("durable1");
    assert_non_null(t);
    free(t);
}

/* The daily report: live for a day without a stored version, by scope. */
static void test_reports(void **state)
{
    json_t *j;
    (void)state;
    char *t = login("cmd");
    assert_int_equal(req("GET", "/api/v1/reports/daily?date=2020-02-10", t, NULL, &j), 200);
    assert_true(json_is_true(json_object_get(j, "live")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "juris"), "code")), "2205");
    assert_true(json_array_size(json_object_get(j, "children")) > 0);
    json_decref(j);
    assert_int_equal(req("GET", "/api/v1/reports/daily/versions?date=2020-02-10", t, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "versions")), 0);
    json_decref(j);
    assert_error(req("GET", "/api/v1/reports/daily", t, NULL, &j), j, 400, "missing_parameter");
    json_decref(j);
    assert_error(req("GET", "/api/v1/reports/daily?date=2020-03-01", t, NULL, &j), j, 422, NULL);
    json_decref(j);
    free(t);
    t = login("cmdth");
    assert_error(req("GET", "/api/v1/reports/daily?date=2020-02-10&juris=220502", t, NULL, &j), j, 404, NULL);
    json_decref(j);
    assert_int_equal(req("GET", "/api/v1/reports/daily?date=2020-02-10", t, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "juris"), "code")), "220521");
    json_decref(j);
    free(t);
    expect("gw1", "GET", "/api/v1/reports/daily?date=2020-02-10", NULL, 200);
    expect("ana", "GET", "/api/v1/reports/daily?date=2020-02-10", NULL, 200);
    expect("admin", "GET", "/api/v1/reports/daily?date=2020-02-10", NULL, 403);
}

/* The control routes: readings, alerts, transitions, within scope. */
static void test_control(void **state)
{
    char body[256], p[160], aid[64];
    json_t *j;
    (void)state;
    char *t = login("gw1");
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"temperature_c\":36.6,\"taken_at\":\"2020-02-10 08:00\"}",
             F.pid_of[0]);
    assert_int_equal(req("POST", "/api/v1/readings", t, body, &j), 201);
    assert_true(json_is_false(json_object_get(j, "fever")));
    json_decref(j);
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"temperature_c\":38.6,\"taken_at\":\"2020-02-10 09:00\"}",
             F.pid_of[0]);
    assert_int_equal(req("POST", "/api/v1/readings", t, body, &j), 201);
    assert_true(json_is_true(json_object_get(j, "fever")));
    assert_true(json_is_true(json_object_get(j, "alert_created")));
    json_decref(j);
    /* out of scope, out of range, in the future, no running order */
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"temperature_c\":36.6}", F.pid_of[1]);
    assert_error(req("POST", "/api/v1/readings", t, body, &j), j, 404, NULL);
    json_decref(j);
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"temperature_c\":60}", F.pid_of[0]);
    assert_error(req("POST", "/api/v1/readings", t, body, &j), j, 422, "out_of_range");
    json_decref(j);
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"temperature_c\":36.5,\"taken_at\":\"2020-02-11 08:00\"}",
             F.pid_of[0]);
    assert_error(req("POST", "/api/v1/readings", t, body, &j), j, 422, NULL);
    json_decref(j);
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"temperature_c\":\"36.6\"}", F.pid_of[0]);
    assert_error(req("POST", "/api/v1/readings", t, body, &j), j, 400, "wrong_type");
    json_decref(j);
    /* the fever's alert: listed in scope, acknowledged once */
    assert_int_equal(req("GET", "/api/v1/alerts", t, NULL, &j), 200);
    assert_true(json_array_size(json_object_get(j, "items")) >= 1);
    snprintf(aid, sizeof aid, "%s", json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id")));
    json_decref(j);
    char *tc = login("cmdth");
    assert_int_equal(req("GET", "/api/v1/alerts", tc, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
    json_decref(j);
    snprintf(p, sizeof p, "/api/v1/alerts/%s/ack", aid);
    assert_error(req("POST", p, tc, NULL, &j), j, 404, NULL);
    json_decref(j);
    assert_int_equal(req("POST", p, t, NULL, NULL), 200);
    assert_error(req("POST", p, t, NULL, &j), j, 409, NULL);
    json_decref(j);
    /* readings are for the team, not the commander */
    char *tcmd = login("cmd");
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"temperature_c\":36.6}", F.pid_of[0]);
    assert_error(req("POST", "/api/v1/readings", tcmd, body, &j), j, 403, "forbidden");
    json_decref(j);
    /* a transition refused by the rules (409 naming why); out of scope 404 */
    assert_int_equal(req("GET", "/api/v1/orders", t, NULL, &j), 200);
    json_t *items = json_object_get(j, "items");
    assert_int_equal(json_array_size(items), 1);
    snprintf(p, sizeof p, "/api/v1/orders/%s/transitions",
             json_string_value(json_object_get(json_array_get(items, 0), "id")));
    json_decref(j);
    char *tt = login("town");
    assert_error(req("POST", p, tt, "{\"action\":\"release\"}", &j), j, 409, NULL);
    json_decref(j);
    assert_error(req("POST", p, tt, "{\"action\":\"fly\"}", &j), j, 422, NULL);
    json_decref(j);
    assert_error(req("POST", p, tc, "{\"action\":\"release\"}", &j), j, 404, NULL);
    json_decref(j);
    assert_error(req("POST", p, t, "{\"action\":\"release\"}", &j), j, 403, NULL);
    json_decref(j);
    /* a laboratory result: the clinician of 东昌区 records it; others may not */
    char *tl = login("cln");
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"sampled_at\":\"2020-02-10 07:00\",\"method\":\"rt_pcr\","
             "\"result\":\"negative\"}", F.pid_of[0]);
    assert_int_equal(req("POST", "/api/v1/tests", tl, body, &j), 201);
    json_decref(j);
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"sampled_at\":\"2020-02-10 07:00\",\"method\":\"smell\","
             "\"result\":\"negative\"}", F.pid_of[0]);
    assert_error(req("POST", "/api/v1/tests", tl, body, &j), j, 422, NULL);
    json_decref(j);
    snprintf(body, sizeof body, "{\"person_id\":\"%s\",\"sampled_at\":\"2020-02-10 07:00\",\"method\":\"rt_pcr\","
             "\"result\":\"negative\"}", F.pid_of[2]);   /* 通化县: outside 东昌区 */
    assert_error(req("POST", "/api/v1/tests", tl, body, &j), j, 404, NULL);
    json_decref(j);
    assert_error(req("POST", "/api/v1/tests", t, body, &j), j, 403, "forbidden");
    json_decref(j);
    free(tl);
    /* self-report: an unknown link */
    char sp[128];
    snprintf(sp, sizeof sp, "/api/v1/self-report/%064d", 7);
    assert_error(req("POST", sp, NULL, "{\"temperature_c\":36.5}", &j), j, 404, NULL);
    json_decref(j);
    free(tt);
    free(tcmd);
    free(tc);
    free(t);
}

/* Retention: purge pseudonymises, keeps the counts, and is audited. */
/* What test_purge finds of a purged document number: where it still is
 * (NULL: nowhere), and how many readings carry a pseudonym. */
typedef struct purge_seen {
    const char *id_no;
    const char *where;
    long pseudo_readings;
} purge_seen;

/* Note `where` when `id_no` is the purged number. */
static eg_err seen_if(purge_seen *x, const char *id_no, const char *where)
{
    if (strcmp(id_no, x->id_no) == 0)
        x->where = where;
    return EG_OK;
}

static eg_err seen_person(void *ctx, const eg_person_rec *r) { return seen_if(ctx, r->id_no, "person"); }
static eg_err seen_order(void *ctx, const eg_ctl_order *o) { return seen_if(ctx, o->id_no, "control_order"); }
static eg_err seen_request(void *ctx, const eg_request_rec *r) { return seen_if(ctx, r->id_no, "assistance_request"); }
static eg_err seen_leg(void *ctx, const eg_leg *l) { return seen_if(ctx, l->id_no, "travel_leg"); }
static eg_err seen_test(void *ctx, const eg_ctl_test *t) { return seen_if(ctx, t->id_no, "lab_test"); }
static eg_err seen_alert(void *ctx, const eg_ctl_alert *a) { return seen_if(ctx, a->id_no, "alert"); }
static eg_err seen_admission(void *ctx, const eg_admission *a) { return seen_if(ctx, a->id_no, "admission"); }
static eg_err seen_fever(void *ctx, const eg_fever *f) { return seen_if(ctx, f->id_no, "fever"); }

/* Readings: the purged number, and those that carry a pseudonym. */
static eg_err seen_reading(void *ctx, const eg_ctl_reading *r)
{
    purge_seen *x = ctx;
    x->pseudo_readings += strncmp(r->id_no, "PSEUDO-", 7) == 0;
    return seen_if(x, r->id_no, "reading");
}

static void test_purge(void **state)
{
    char body[128], p[128];
    json_t *j;
    (void)state;
    assert_int_equal(run("purge --ended-before 2020-02-15", NULL), 0);   /* the order ends 2020-02-19: kept */
    char *t = login("cmd");
    snprintf(body, sizeof body, "{\"id_no\":\"%s\"}", F.id[0]);
    assert_int_equal(req("POST", "/api/v1/persons/search", t, body, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    json_decref(j);
    assert_int_equal(run("purge --ended-before 2020-03-01", NULL), 0);
    assert_int_equal(req("POST", "/api/v1/persons/search", t, body, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 0);
    json_decref(j);
    snprintf(p, sizeof p, "/api/v1/persons/%s", F.pid_of[0]);
    assert_int_equal(req("GET", p, t, NULL, &j), 200);
    assert_string_equal(json_string_value(json_object_get(j, "name")), "");
    assert_int_equal(strncmp(json_string_value(json_object_get(j, "id_no")), "PS", 2), 0);
    json_decref(j);
    assert_int_equal(req("GET", "/api/v1/orders", t, NULL, &j), 200);
    assert_int_equal(json_array_size(json_object_get(j, "items")), 1);
    json_decref(j);
    free(t);
    /* no record keeps the real number (the person's readings and fever alert
     * were recorded by test_control), and the records themselves are kept */
    {
        eg_store *s = NULL;
        purge_seen seen = { .id_no = F.id[0] };
        eg_ctl_filter f = { .id_no = F.id[0] };
        assert_int_equal(eg_store_open(F.db, 0, &s, NULL), EG_OK);
        assert_int_equal(eg_store_person_get(s, F.id[0], seen_person, &seen), EG_ERR_NOT_FOUND);
        assert_int_equal(eg_store_ctl_order_each(s, &f, seen_order, &seen), EG_OK);
        assert_int_equal(eg_store_request_get(s, F.id[0], "2205", seen_request, &seen), EG_ERR_NOT_FOUND);
        assert_int_equal(eg_store_leg_each_person(s, F.id[0], seen_leg, &seen), EG_OK);
        assert_int_equal(eg_store_ctl_test_each(s, F.id[0], 0, seen_test, &seen), EG_OK);
        assert_int_equal(eg_store_ctl_alert_each(s, &f, seen_alert, &seen), EG_OK);
        assert_int_equal(eg_store_admission_each(s, NULL, 0, seen_admission, &seen), EG_OK);
        assert_int_equal(eg_store_fever_each(s, NULL, 0, 0, seen_fever, &seen), EG_OK);
        assert_int_equal(eg_store_ctl_reading_list(s, NULL, seen_reading, &seen), EG_OK);
        eg_store_close(s);
        if (seen.where)
            fail_msg("purge left the real identity number in %s", seen.where);
        assert_true(seen.pseudo_readings >= 2);
    }
    t = login("admin");
    assert_int_equal(req("GET", "/api/v1/audit?limit=1000", t, NULL, &j), 200);
    int found = 0;
    size_t i;
    json_t *a;
    json_array_foreach(json_object_get(j, "items"), i, a)
        found |= strcmp(json_string_value(json_object_get(a, "action")), "purge") == 0 &&
                 strstr(json_string_value(json_object_get(a, "detail")), "1 persons") != NULL;
    assert_true(found);
    json_decref(j);
    free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_login_logout),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_grid_scope),
        cmocka_unit_test(test_county_scope),
        cmocka_unit_test(test_masking),
        cmocka_unit_test(test_audit),
        cmocka_unit_test(test_csrf_cookie),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_openapi),
        cmocka_unit_test(test_users_admin),
        cmocka_unit_test(test_control),
        cmocka_unit_test(test_reports),
        cmocka_unit_test(test_kill9_durable),
        cmocka_unit_test(test_purge),
    };
    signal(SIGPIPE, SIG_IGN);
    return cmocka_run_group_tests(tests, setup, teardown);
}
