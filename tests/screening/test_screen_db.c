/*
 * tests/screening/test_screen_db.c: screening over the database: orders,
 * verification tasks and assistance requests written as spec/screening.md
 * says: one order per person, R2 upgrades R1, a later exposure moves
 * start and end, an ended order is reopened only by an exposure after its
 * end, evidence never duplicated, and a second run changes nothing.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include <cmocka.h>
#include "epigrid/control.h"
#include "epigrid/feed.h"
#include "epigrid/juris.h"
#include "epigrid/registry.h"
#include "epigrid/screening_db.h"
#include "testutil.h"

static char DBPATH[512];

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

/* Screen as of `as_of`; return the summary. */
static eg_screen_db_summary screen(eg_store *s, const char *as_of)
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
    assert_int_equal(eg_screen_db(s, node, &p, stamp, NULL, &sum), EG_OK);
    eg_juris_free(j);
    return sum;
}

/* One row of SQL as text "a|b|c" (the first row), for checks. */
static void query(const char *sql, char *out, size_t size)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    out[0] = 0;
    assert_int_equal(sqlite3_open(DBPATH, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) {
        size_t off = 0;
        for (int i = 0; i < sqlite3_column_count(st); i++) {
            const unsigned char *t = sqlite3_column_text(st, i);
            off += (size_t)snprintf(out + off, size - off, "%s%s", i ? "|" : "", t ? (const char *)t : "");
        }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void orders_tasks_requests(void **state)
{
    (void)state;
    char row[512];
    eg_store *s = tu_store_new("screen_db.db");
    tu_path(DBPATH, sizeof DBPATH, "screen_db.db");
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

    eg_screen_db_summary sum = screen(s, "2020-01-31");
    assert_int_equal(sum.results, 3);
    assert_int_equal(sum.orders_new, 2);
    assert_int_equal(sum.tasks_new, 2);
    assert_int_equal(sum.requests_new, 1);
    assert_int_equal(sum.by_measure[EG_MEASURE_HOME_QUARANTINE], 1);
    assert_int_equal(sum.by_measure[EG_MEASURE_CENTRAL_ISOLATION], 2);
    query("SELECT measure, state, start_date, end_date, rules, juris_code, created_at FROM control_order"
          " WHERE id_no = '220502199001010019'", row, sizeof row);
    assert_string_equal(row, "home_quarantine|active|2020-01-25|2020-02-08|R1|220502001001|2020-01-31 23:59");
    query("SELECT measure, state, start_date, end_date, rules, juris_code FROM control_order"
          " WHERE id_no = '220502199001010027'", row, sizeof row);
    assert_string_equal(row, "central_isolation|awaiting_admission|2020-01-20|2020-02-03|R2|220502002001");
    query("SELECT t.state, t.juris_code, t.due_at FROM verification_task t JOIN control_order o"
          " USING(order_id) WHERE o.id_no = '220502199001010027'", row, sizeof row);
    assert_string_equal(row, "open|220502002001|2020-02-01 23:59");
    query("SELECT measure, juris_code, target_code, unlocated, start_date FROM assistance_request", row, sizeof row);
    assert_string_equal(row, "central_isolation|2205|2201|0|2020-01-20");
    query("SELECT count(*) FROM evidence", row, sizeof row);
    /* A: its Wuhan leg (touching and arriving); B: the G727 leg and the case
     * trip; C: the same two: 5 rows */
    assert_string_equal(row, "5");

    /* the same data again changes nothing */
    sum = screen(s, "2020-01-31");
    assert_int_equal(sum.orders_new, 0);
    assert_int_equal(sum.orders_unchanged, 2);
    assert_int_equal(sum.tasks_new, 0);
    assert_int_equal(sum.requests_new + sum.requests_updated, 0);
    query("SELECT count(*) FROM evidence", row, sizeof row);
    assert_string_equal(row, "5");
    query("SELECT count(*) FROM control_order", row, sizeof row);
    assert_string_equal(row, "2");

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
    query("SELECT measure, state, start_date, end_date, rules FROM control_order"
          " WHERE id_no = '220502199001010019'", row, sizeof row);
    assert_string_equal(row, "central_isolation|awaiting_admission|2020-01-28|2020-02-11|R1;R2");

    /* B's order ended on 02-03; an exposure on 02-04 reopens it */
    import_text(s, "cases", "sdb_cases3.csv",
                "date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n"
                "2020-02-04,bus,吉E54321,,,通化,集安,confirmed,test\n");
    import_text(s, "travel", "sdb_travel3.csv", LEG_HDR
                "220502199001010027,乙,,bus,吉E54321,2020-02-04,09:00,220502,通化,220582,集安,,,\n");
    sum = screen(s, "2020-02-05");
    assert_int_equal(sum.orders_reopened, 1);
    query("SELECT start_date, end_date, state FROM control_order WHERE id_no = '220502199001010027'",
          row, sizeof row);
    assert_string_equal(row, "2020-02-04|2020-02-18|awaiting_admission");
    query("SELECT count(*) FROM control_order", row, sizeof row);
    assert_string_equal(row, "2");
    query("SELECT count(*) FROM verification_task", row, sizeof row);
    assert_string_equal(row, "3");
    /* each change is in the person's history */
    query("SELECT group_concat(action || ':' || from_measure || '>' || to_measure, ' ') FROM"
          " (SELECT e.action, e.from_measure, e.to_measure FROM order_event e JOIN control_order o"
          " USING(order_id) WHERE o.id_no = '220502199001010019' ORDER BY e.rowid)", row, sizeof row);
    assert_string_equal(row, "open:>home_quarantine upgrade:home_quarantine>central_isolation");
    query("SELECT group_concat(action, ' ') FROM (SELECT e.action FROM order_event e JOIN control_order o"
          " USING(order_id) WHERE o.id_no = '220502199001010027' ORDER BY e.rowid)", row, sizeof row);
    assert_string_equal(row, "open reopen");

    /* the grid finds A at another address: the order and its task move */
    char tid[64];
    eg_time now;
    eg_diag d;
    int late = 0;
    query("SELECT t.tid FROM verification_task t JOIN control_order o USING(order_id)"
          " WHERE o.id_no = '220502199001010019'", tid, sizeof tid);
    eg_time_parse("2020-02-01 10:00", &now);
    assert_int_equal(eg_control_task_close(s, tid, "address_corrected", "220502999999", "", "test",
                                           now, &late, &d), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_control_task_close(s, tid, "address_corrected", "220502002001", "搬家", "test",
                                           now, &late, &d), EG_OK);
    assert_false(late);   /* due 2020-02-01 23:59 */
    query("SELECT o.juris_code, t.juris_code, t.state FROM verification_task t JOIN control_order o"
          " USING(order_id) WHERE o.id_no = '220502199001010019'", row, sizeof row);
    assert_string_equal(row, "220502002001|220502002001|address_corrected");
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
