/*
 * tests/screening/test_screen_db.c: screening over the database: orders,
 * verification tasks and assistance requests written as spec/screening.md
 * says: one order per person, R2 upgrades R1, a later exposure moves
 * start and end, an ended order is reopened only by an exposure after its
 * end, the evidence the engine found (the store keeps each link once:
 * tests/store), and a second run changes nothing. It reads back through
 * the store's operations, not SQL, so it runs on any backend (EG_TEST_DB).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "epigrid/control.h"
#include "epigrid/feed.h"
#include "epigrid/juris.h"
#include "epigrid/registry.h"
#include "epigrid/screening_db.h"
#include "testutil.h"

#define LEG_HDR "id_no,name,phone,mode,trip_no,dep_date,dep_time,from_code,from_name,to_code,to_name,arr_date,car,seat\n"
/* A: registered in a grid of 东昌区, back from Wuhan on 01-25 (R1).
 * B: registered, on G727 carriage 5 with a case on 01-20, home on 01-21 (R2).
 * C: from Shenyang, on the same carriage, went on to Changchun: belongs elsewhere. */
static const char *FEED1 = LEG_HDR
    "220502199001010019,甲,,train,G506,2020-01-25,08:00,420100,武汉,220502,通化,,3,5A\n"
    "220502199001010027,乙,,train,G727,2020-01-20,08:00,210100,沈阳,220100,长春,,5,7A\n"
    "220502199001010027,乙,,bus,吉E00001,2020-01-21,09:00,220100,长春,220502,通化,,,\n"
    "210102199001010014,丙,,train,G727,2020-01-20,08:00,210100,沈阳,220100,长春,,5,8B\n";

static void import_text(eg_store *s, const char *kind, const char *name, const char *text)
{
    char path[512];
    eg_import_opts o = tu_opts();
    eg_import_result res;
    eg_normalizer *n = NULL;
    eg_juris *j = NULL;
    tu_path(path, sizeof path, name);
    tu_write(path, text);
    if (strcmp(kind, "travel") == 0) {
        assert_int_equal(eg_travel_import(s, path, &o, &res, NULL, NULL), EG_OK);
    } else if (strcmp(kind, "cases") == 0) {
        assert_int_equal(eg_case_trips_import(s, path, &o, &res, NULL, NULL), EG_OK);
    } else if (strcmp(kind, "risk") == 0) {
        assert_int_equal(eg_risk_areas_import(s, path, &o, &res, NULL), EG_OK);
    } else {
        assert_int_equal(eg_normalizer_new(&n), EG_OK);
        assert_int_equal(eg_juris_load(s, &j), EG_OK);
        assert_int_equal(eg_registry_import(s, n, j, path, &o, &res, NULL), EG_OK);
        eg_juris_free(j);
        eg_normalizer_free(n);
    }
    assert_int_equal(res.rejected, 0);
}

/* Screen as of `as_of` (the engine's results to `res`, may be NULL);
 * return the summary. */
static eg_screen_db_summary screen_results(eg_store *s, const char *as_of, eg_screen_results *res)
{
    eg_juris *j = NULL;
    eg_screen_city city;
    eg_screen_db_summary sum;
    eg_date d;
    eg_time stamp;
    assert_int_equal(eg_juris_load(s, &j), EG_OK);
    eg_juris_node *node = eg_juris_find(j, "2205");
    assert_int_equal(eg_screen_city_from_node(node, &city), EG_OK);
    assert_int_equal(eg_date_parse(as_of, &d), EG_OK);
    eg_time_from_parts(d, 23, 59, &stamp);
    eg_screen_params p = { .as_of = d, .days = 14, .city = &city };
    assert_int_equal(eg_screen_db(s, node, &p, stamp, res, &sum), EG_OK);
    eg_juris_free(j);
    return sum;
}

/* Screen as of `as_of`; return the summary. */
static eg_screen_db_summary screen(eg_store *s, const char *as_of)
{
    return screen_results(s, as_of, NULL);
}

/* The person's order as "measure|state|start|end|rules|juris_code|created_at"
 * (through the store, as the services read it). */
static void order_text(eg_store *s, const char *id_no, char *out, size_t size)
{
    eg_ctl_order o;
    char d1[EG_DATE_BUFSZ], d2[EG_DATE_BUFSZ], t[EG_TIME_BUFSZ];
    assert_int_equal(eg_store_ctl_order_get(s, id_no, eg_control_running(), &o), EG_OK);
    snprintf(out, size, "%s|%s|%s|%s|%s|%s|%s", o.measure, o.state, eg_date_format(o.start_date, d1),
             eg_date_format(o.end_date, d2), o.rules, o.juris_code, eg_time_format(o.created_at, t));
}

/* Keep the first task (eg_ctl_task_fn). */
static eg_err first_task(void *ctx, const eg_ctl_task *t)
{
    eg_ctl_task *out = ctx;
    if (!out->id)
        *out = *t;
    return EG_OK;
}

/* The person's (first) task as "state|juris_code|due_at"; its tid to tid
 * (may be NULL). */
static void task_text(eg_store *s, const char *id_no, char *out, size_t size, char *tid)
{
    eg_ctl_task t = { 0 };
    eg_ctl_filter f = { .id_no = id_no };
    char due[EG_TIME_BUFSZ];
    assert_int_equal(eg_store_ctl_task_each(s, &f, first_task, &t), EG_OK);
    assert_true(t.id > 0);
    snprintf(out, size, "%s|%s|%s", t.state, t.juris_code, eg_time_format(t.due_at, due));
    if (tid)
        snprintf(tid, EG_CTL_ID_BUFSZ, "%s", t.tid);
}

/* Count orders (eg_ctl_order_fn). */
static eg_err count_order(void *ctx, const eg_ctl_order *o)
{
    (void)o;
    (*(long *)ctx)++;
    return EG_OK;
}

/* Append "action:from>to " of an event to the text in ctx (eg_ctl_event_fn). */
static eg_err add_event(void *ctx, const eg_ctl_event *e)
{
    char *out = ctx;
    size_t len = strlen(out);
    snprintf(out + len, 512 - len, "%s%s:%s>%s", len ? " " : "", e->action, e->from_measure, e->to_measure);
    return EG_OK;
}

/* The person's order history as "action:from>to ..." (out: 512 bytes). */
static void history_text(eg_store *s, const char *id_no, char *out)
{
    eg_ctl_order o;
    out[0] = 0;
    assert_int_equal(eg_store_ctl_order_get(s, id_no, eg_control_running(), &o), EG_OK);
    assert_int_equal(eg_store_ctl_event_each(s, o.id, add_event, out), EG_OK);
}

/* Copy a request as "measure|juris_code|target_code|unlocated|start"
 * (eg_request_fn). */
static eg_err request_text(void *ctx, const eg_request_rec *r)
{
    char d[EG_DATE_BUFSZ];
    snprintf(ctx, 512, "%s|%s|%s|%d|%s", r->measure, r->juris_code, r->target_code, r->unlocated,
             eg_date_format(r->start_date, d));
    return EG_OK;
}

/* Count a task (eg_ctl_task_fn). */
static eg_err count_task(void *ctx, const eg_ctl_task *t)
{
    (void)t;
    ++*(long *)ctx;
    return EG_OK;
}

/* Orders and tasks in the store. */
static void counts(eg_store *s, long *orders, long *tasks)
{
    *orders = *tasks = 0;
    assert_int_equal(eg_store_ctl_order_each(s, NULL, count_order, orders), EG_OK);
    assert_int_equal(eg_store_ctl_task_each(s, NULL, count_task, tasks), EG_OK);
}

static void orders_tasks_requests(void **state)
{
    (void)state;
    char row[512];
    long orders = 0, tasks = 0;
    eg_screen_results res = { 0 };
    eg_store *s = tu_store_new("screen_db.db");
    tu_load_bundled_tree(s);
    import_text(s, "persons", "sdb_persons.csv",
                "id_no,name,sex,birth_date,phone,address_code,address\n"
                "220502199001010019,甲,,,,220502001001,\n"
                "220502199001010027,乙,,,,220502002001,\n");
    import_text(s, "risk", "sdb_risk.csv", "code,level,valid_from,valid_to,name\n4201,high,2019-12-01,,武汉市\n");
    import_text(s, "cases", "sdb_cases.csv",
                "date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n"
                "2020-01-20,train,G727,5,,沈阳,长春,confirmed,test\n");
    import_text(s, "travel", "sdb_travel1.csv", FEED1);

    eg_screen_db_summary sum = screen_results(s, "2020-01-31", &res);
    assert_int_equal(sum.results, 3);
    assert_int_equal(sum.orders_new, 2);
    assert_int_equal(sum.tasks_new, 2);
    assert_int_equal(sum.requests_new, 1);
    assert_int_equal(sum.by_measure[EG_MEASURE_HOME_QUARANTINE], 1);
    assert_int_equal(sum.by_measure[EG_MEASURE_CENTRAL_ISOLATION], 2);
    order_text(s, "220502199001010019", row, sizeof row);
    assert_string_equal(row, "home_quarantine|active|2020-01-25|2020-02-08|R1|220502001001|2020-01-31 23:59");
    order_text(s, "220502199001010027", row, sizeof row);
    assert_string_equal(row, "central_isolation|awaiting_admission|2020-01-20|2020-02-03|R2|220502002001|"
                             "2020-01-31 23:59");
    task_text(s, "220502199001010027", row, sizeof row, NULL);
    assert_string_equal(row, "open|220502002001|2020-02-01 23:59");
    assert_int_equal(eg_store_request_get(s, "210102199001010014", "2205", request_text, row), EG_OK);
    assert_string_equal(row, "central_isolation|2205|2201|0|2020-01-20");
    /* the evidence written: A: its Wuhan leg (touching and arriving); B: the
     * G727 leg and the case trip; C: the same two: 5 (that the store keeps
     * each once is tests/store's evidence_add contract) */
    size_t evidence = 0;
    for (size_t i = 0; i < res.n; i++)
        evidence += res.v[i].nlegs + res.v[i].ncases;
    assert_int_equal(evidence, 5);
    eg_screen_results_free(&res);

    /* the same data again changes nothing */
    sum = screen(s, "2020-01-31");
    assert_int_equal(sum.orders_new, 0);
    assert_int_equal(sum.orders_unchanged, 2);
    assert_int_equal(sum.tasks_new, 0);
    assert_int_equal(sum.requests_new + sum.requests_updated, 0);
    counts(s, &orders, &tasks);
    assert_int_equal(orders, 2);
    assert_int_equal(tasks, 2);

    /* A rides with a case on 01-28: R2 upgrades the order and moves it */
    import_text(s, "cases", "sdb_cases2.csv",
                "date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n"
                "2020-01-28,bus,吉E12345,,,通化,集安,confirmed,test\n");
    import_text(s, "travel", "sdb_travel2.csv", LEG_HDR
                "220502199001010019,甲,,bus,吉E12345,2020-01-28,09:00,220502,通化,220582,集安,,,\n");
    sum = screen(s, "2020-01-31");
    assert_int_equal(sum.orders_upgraded, 1);
    assert_int_equal(sum.orders_moved, 1);
    assert_int_equal(sum.orders_new, 0);
    order_text(s, "220502199001010019", row, sizeof row);
    assert_string_equal(row, "central_isolation|awaiting_admission|2020-01-28|2020-02-11|R1;R2|220502001001|"
                             "2020-01-31 23:59");

    /* B's order ended on 02-03; an exposure on 02-04 reopens it */
    import_text(s, "cases", "sdb_cases3.csv",
                "date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n"
                "2020-02-04,bus,吉E54321,,,通化,集安,confirmed,test\n");
    import_text(s, "travel", "sdb_travel3.csv", LEG_HDR
                "220502199001010027,乙,,bus,吉E54321,2020-02-04,09:00,220502,通化,220582,集安,,,\n");
    sum = screen(s, "2020-02-05");
    assert_int_equal(sum.orders_reopened, 1);
    order_text(s, "220502199001010027", row, sizeof row);
    assert_string_equal(row, "central_isolation|awaiting_admission|2020-02-04|2020-02-18|R2|220502002001|"
                             "2020-01-31 23:59");
    counts(s, &orders, &tasks);
    assert_int_equal(orders, 2);
    assert_int_equal(tasks, 3);
    /* each change is in the person's history */
    history_text(s, "220502199001010019", row);
    assert_string_equal(row, "open:>home_quarantine upgrade:home_quarantine>central_isolation");
    history_text(s, "220502199001010027", row);
    assert_string_equal(row, "open:>central_isolation reopen:central_isolation>central_isolation");

    /* the grid finds A at another address: the order and its task move */
    char tid[EG_CTL_ID_BUFSZ];
    eg_time now;
    eg_diag d;
    int late = 0;
    task_text(s, "220502199001010019", row, sizeof row, tid);
    eg_time_parse("2020-02-01 10:00", &now);
    assert_int_equal(eg_control_task_close(s, tid, "address_corrected", "220502999999", "", "test",
                                           now, &late, &d), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_control_task_close(s, tid, "address_corrected", "220502002001", "搬家", "test",
                                           now, &late, &d), EG_OK);
    assert_false(late);   /* due 2020-02-01 23:59 */
    task_text(s, "220502199001010019", row, sizeof row, NULL);
    assert_string_equal(row, "address_corrected|220502002001|2020-02-01 23:59");
    order_text(s, "220502199001010019", row, sizeof row);
    assert_non_null(strstr(row, "|220502002001|"));
    /* a closed task is not closed again */
    assert_int_equal(eg_control_task_close(s, tid, "found", NULL, "", "test", now, &late, &d), EG_ERR_STATE);
    eg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(orders_tasks_requests),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
