/*
 * tests/http/test_writer_tx.c: the server's writer commits a request's
 * change and its audit records in one transaction. The server runs in
 * this process so that the test can inject a fault into the writer's own
 * store handle: with the audit insert failing, an order transition is
 * answered with an error and the order is unchanged (it used to be
 * committed before its audit record, in a transaction of its own); without
 * the fault both commit.
 */
#include <setjmp.h>
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
#include "http/internal.h"
#include "http_client.h"
#include "testutil.h"

#define NOW "2020-02-10 10:00"
#define PW "password123"

static char db[512];

/* Run the program on the test database; stdin from `input` when given. */
static int run(const char *args, const char *input)
{
    char cmd[4096];
    if (input)
        snprintf(cmd, sizeof cmd, "printf '%%s\\n' '%s' | EPIGRID_NOW='%s' %s --db %s %s >/dev/null 2>&1", input,
                 NOW, EG_EPIGRID_BIN, db, args);
    else
        snprintf(cmd, sizeof cmd, "EPIGRID_NOW='%s' %s --db %s %s >/dev/null 2>&1", NOW, EG_EPIGRID_BIN, db, args);
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

/* A request to the server on `port`; returns the status and the body
 * parsed (NULL when `out` is NULL). */
static int req(unsigned port, const char *method, const char *path, const char *token, const char *body,
               json_t **out)
{
    char h[256] = "";
    hc_resp r;
    if (token)
        snprintf(h, sizeof h, "Authorization: Bearer %s\r\n", token);
    assert_int_equal(hc_request(port, method, path, h, body, 0, &r), 0);
    if (out)
        *out = json_loads(r.body, 0, NULL);
    int st = r.status;
    hc_free(&r);
    return st;
}

/* The first order's measure as the server lists it. */
static void order_measure(unsigned port, const char *token, char *oid, size_t oid_size, char *measure,
                          size_t size)
{
    json_t *j = NULL;
    assert_int_equal(req(port, "GET", "/api/v1/orders", token, NULL, &j), 200);
    json_t *o = json_array_get(json_object_get(j, "items"), 0);
    assert_non_null(o);
    snprintf(oid, oid_size, "%s", json_string_value(json_object_get(o, "id")));
    snprintf(measure, size, "%s", json_string_value(json_object_get(o, "measure")));
    json_decref(j);
}

/* How many audit records have the action c->action (the count in c->n). */
typedef struct count_ctx {
    const char *action;
    int n;
} count_ctx;

static eg_err count_action(void *ctx, const eg_audit_rec *a)
{
    count_ctx *c = ctx;
    c->n += strcmp(a->action, c->action) == 0;
    return EG_OK;
}

static int audit_count(const char *action)
{
    eg_store *s = NULL;
    count_ctx c = { action, 0 };
    assert_int_equal(eg_store_open(db, 0, &s, NULL), EG_OK);
    assert_int_equal(eg_store_audit_each(s, 0, 0, count_action, &c), EG_OK);
    eg_store_close(s);
    return c.n;
}

/* A failed audit insert rolls the request's change back. */
static void audit_failure_rolls_back_request(void **state)
{
    char path[512], csv[1024], id[EG_IDNO_BUFSZ], oid[32], measure[40], p[160];
    eg_http_opts o = { 0 };
    eg_server *srv = NULL;
    eg_date birth;
    json_t *j = NULL;
    (void)state;

    tu_path(db, sizeof db, "writer_tx.db");
    unlink(db);
    assert_int_equal(run("init", NULL), 0);
    tu_path(path, sizeof path, "writer_tx_staff.csv");
    tu_write(path, "staff_id,name,phone,role,juris_code,unit\nS1,甲,13800000001,secretary,2205,\n");
    snprintf(csv, sizeof csv, "import staff %s", path);
    assert_int_equal(run(csv, NULL), 0);
    eg_date_parse("1980-01-01", &birth);
    assert_int_equal(eg_idno_make("220502", birth, 11, id), EG_OK);
    tu_path(path, sizeof path, "writer_tx_persons.csv");
    snprintf(csv, sizeof csv, "id_no,name,sex,birth_date,phone,address_code,address\n"
             "%s,张三,M,1980-01-01,13812345678,220502001001,a\n", id);
    tu_write(path, csv);
    snprintf(csv, sizeof csv, "import persons %s", path);
    assert_int_equal(run(csv, NULL), 0);
    assert_int_equal(run("user add cmd --role commander --juris 2205 --staff S1", PW), 0);
    snprintf(csv, sizeof csv, "control open --id-no %s --measure home_quarantine --start 2020-02-05", id);
    assert_int_equal(run(csv, NULL), 0);

    o.db_path = db;
    o.listen = "127.0.0.1:0";
    assert_int_equal(eg_clock_init(&o.clock, NOW, NULL), EG_OK);
    o.threads = 2;
    assert_int_equal(eg_server_start(&o, &srv, NULL), EG_OK);
    unsigned port = eg_server_port(srv);

    assert_int_equal(req(port, "POST", "/api/v1/auth/login", NULL,
                         "{\"username\":\"cmd\",\"password\":\"" PW "\"}", &j), 200);
    char *token = strdup(json_string_value(json_object_get(j, "token")));
    json_decref(j);
    order_measure(port, token, oid, sizeof oid, measure, sizeof measure);
    assert_string_equal(measure, "home_quarantine");
    snprintf(p, sizeof p, "/api/v1/orders/%s/transitions", oid);

    /* the writer's audit insert fails: an error, and nothing changed */
    eg_store_fault_set(srv->w, EG_STORE_OP_audit_add, EG_ERR_DB, 0);
    assert_int_equal(req(port, "POST", p, token, "{\"action\":\"upgrade\"}", NULL), 503);
    eg_store_fault_clear(srv->w);
    order_measure(port, token, oid, sizeof oid, measure, sizeof measure);
    assert_string_equal(measure, "home_quarantine");
    assert_int_equal(audit_count("order.transition"), 0);

    /* without the fault, the change and its audit record commit together */
    assert_int_equal(req(port, "POST", p, token, "{\"action\":\"upgrade\"}", NULL), 200);
    order_measure(port, token, oid, sizeof oid, measure, sizeof measure);
    assert_string_equal(measure, "central_isolation");
    assert_int_equal(audit_count("order.transition"), 1);

    free(token);
    eg_server_stop(srv);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(audit_failure_rolls_back_request),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
