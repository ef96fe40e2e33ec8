/*
 * tests/screening/test_rules.c: the rules of spec/screening.md on
 * hand-built legs, case trips and risk areas, one boundary at a time:
 * the window edges, D - 1 against D, transit through a risk area, risk
 * windows closed the day before or open, an empty arr_date, flight rows 3
 * and 4 apart, train cars, the whole bus, codeshares, R2 over R1, x and X,
 * Meihekou, assistance requests and the unlocated; and the city taken
 * from the tree (2205 = 220500, Meihekou outside).
 * AS_OF = 2020-02-13 and D = 14 throughout unless said: the window is
 * 2020-01-17 .. 2020-02-13, the last D days 2020-01-31 .. 2020-02-13.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "epigrid/screening.h"
#include "testutil.h"

/* Two valid resident identity numbers (check characters computed). */
#define P1 "220502198001011236"
#define P2 "110101199003074514"

static eg_date D(const char *s)
{
    eg_date d;
    assert_int_equal(eg_date_parse(s, &d), EG_OK);
    return d;
}

/* A leg; arr NULL leaves arr_date empty (EG_NO_DATE). */
static eg_leg L(const char *id, eg_mode mode, const char *trip, const char *dep, const char *from,
                const char *to, const char *arr)
{
    eg_leg l;
    memset(&l, 0, sizeof l);
    snprintf(l.id_no, sizeof l.id_no, "%s", id);
    l.mode = mode;
    snprintf(l.trip_no, sizeof l.trip_no, "%s", trip);
    l.dep_date = D(dep);
    l.dep_minute = EG_NO_MINUTE;
    snprintf(l.from_code, sizeof l.from_code, "%s", from);
    snprintf(l.to_code, sizeof l.to_code, "%s", to);
    l.arr_date = arr ? D(arr) : EG_NO_DATE;
    snprintf(l.name, sizeof l.name, "张三");
    return l;
}

static eg_risk_area A(const char *code, const char *from, const char *to)
{
    eg_risk_area a;
    memset(&a, 0, sizeof a);
    snprintf(a.code, sizeof a.code, "%s", code);
    snprintf(a.level, sizeof a.level, "high");
    a.valid_from = D(from);
    a.valid_to = to ? D(to) : EG_NO_DATE;
    return a;
}

static eg_case_trip C(eg_mode mode, const char *no, const char *no2, const char *date, int car, int row)
{
    eg_case_trip c;
    memset(&c, 0, sizeof c);
    c.mode = mode;
    snprintf(c.nos[0], EG_TRIP_BUFSZ, "%s", no);
    c.nnos = 1;
    if (no2) {
        snprintf(c.nos[1], EG_TRIP_BUFSZ, "%s", no2);
        c.nnos = 2;
    }
    c.date = D(date);
    c.car = car;
    c.seat_row = row;
    if (row)
        snprintf(c.seat, sizeof c.seat, "%dA", row);
    c.status = EG_CASE_CONFIRMED;
    c.id = 100;
    return c;
}

/* Tonghua by its six county-level units (Meihekou 220581 not among them). */
static eg_screen_city city_tonghua(void)
{
    static const char *const U[] = { "220502", "220503", "220521", "220523", "220524", "220582" };
    eg_screen_city c;
    assert_int_equal(eg_screen_city_from_codes("220500", U, 6, &c), EG_OK);
    assert_string_equal(c.code, "2205");
    return c;
}

/* A small registry for the lookup callback. */
typedef struct reg { const char *id, *code; } reg;
static eg_err lookup(void *ctx, const char *id_no, char *code, char *name)
{
    for (const reg *r = ctx; r && r->id; r++)
        if (strcmp(r->id, id_no) == 0) {
            snprintf(code, EG_CODE_BUFSZ, "%s", r->code);
            snprintf(name, EG_LEG_NAME_BUFSZ, "登记名");
            return EG_OK;
        }
    return EG_ERR_NOT_FOUND;
}

/* Run the engine as of `asof` with D = 14. */
static eg_screen_results run(const char *asof, const eg_leg *legs, size_t n, const eg_case_trip *c,
                             size_t nc, const eg_risk_area *a, size_t na, const reg *registry)
{
    static eg_screen_city city;
    eg_screen_params p = { D(asof), 14, NULL };
    eg_screen_results r;
    city = city_tonghua();
    p.city = &city;
    assert_int_equal(eg_screen_run(&p, legs, n, c, nc, a, na, registry ? lookup : NULL,
                                   (void *)registry, &r), EG_OK);
    return r;
}

static const char *ds(eg_date d)
{
    static char buf[4][EG_DATE_BUFSZ];
    static int k;
    return eg_date_format(d, buf[k++ % 4]);
}

/* Wuhan to Tonghua on 02-05: home quarantine 02-05 .. 02-19, evidence the leg. */
static void r1_basic(void **state)
{
    (void)state;
    eg_leg l[] = { L(P1, EG_MODE_TRAIN, "Z62", "2020-02-05", "420100", "220502", "2020-02-05") };
    eg_risk_area a[] = { A("4201", "2019-12-01", "2020-04-08") };
    eg_screen_results r = run("2020-02-13", l, 1, NULL, 0, a, 1, NULL);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].id_no, P1);
    assert_int_equal(r.v[0].measure, EG_MEASURE_HOME_QUARANTINE);
    assert_string_equal(ds(r.v[0].start), "2020-02-05");
    assert_string_equal(ds(r.v[0].end), "2020-02-19");
    assert_int_equal(r.v[0].rules, EG_RULE_R1);
    assert_int_equal(r.v[0].nlegs, 1);
    assert_int_equal(r.v[0].legs[0], 0);
    assert_int_equal(r.v[0].ncases, 0);
    assert_string_equal(r.v[0].name, "张三");
    /* no registry: the latest leg's to_code, in the city: an order */
    assert_int_equal(r.v[0].kind, EG_SCREEN_ORDER);
    assert_string_equal(r.v[0].division, "220502");
    assert_int_equal(r.v[0].div_source, EG_DIV_LATEST_LEG);
    eg_screen_results_free(&r);
}

/* Arrivals count from AS_OF - (D - 1) = 01-31 to AS_OF = 02-13. */
static void r1_arrival_window_edges(void **state)
{
    (void)state;
    eg_risk_area a[] = { A("4201", "2019-12-01", "2020-04-08") };
    struct { const char *dep, *arr; size_t n; } cases[] = {
        { "2020-01-31", "2020-01-31", 1 },  /* first day */
        { "2020-01-30", "2020-01-30", 0 },  /* the day before */
        { "2020-02-13", "2020-02-13", 1 },  /* AS_OF */
        { "2020-02-13", "2020-02-14", 0 },  /* arrives after AS_OF */
        { "2020-01-30", "2020-01-31", 1 },  /* overnight: arr_date decides */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        eg_leg l[] = { L(P1, EG_MODE_TRAIN, "Z62", cases[i].dep, "420100", "220502", cases[i].arr) };
        eg_screen_results r = run("2020-02-13", l, 1, NULL, 0, a, 1, NULL);
        assert_int_equal(r.n, cases[i].n);
        if (r.n)
            assert_string_equal(ds(r.v[0].start), cases[i].arr);
        eg_screen_results_free(&r);
    }
}

/* The touching leg departs in [arr - D, arr]: 14 days before counts, 15 not. */
static void r1_touch_d_vs_d_plus_1(void **state)
{
    (void)state;
    eg_risk_area a[] = { A("4201", "2019-12-01", "2020-04-08") };
    eg_leg in14[] = { L(P1, EG_MODE_TRAIN, "K1", "2020-01-27", "420100", "210100", NULL),
                      L(P1, EG_MODE_TRAIN, "K2", "2020-02-10", "210100", "220502", NULL) };
    eg_screen_results r = run("2020-02-13", in14, 2, NULL, 0, a, 1, NULL);
    assert_int_equal(r.n, 1);
    assert_string_equal(ds(r.v[0].start), "2020-02-10");
    assert_int_equal(r.v[0].nlegs, 2);
    eg_screen_results_free(&r);
    eg_leg in15[] = { L(P1, EG_MODE_TRAIN, "K1", "2020-01-26", "420100", "210100", NULL),
                      L(P1, EG_MODE_TRAIN, "K2", "2020-02-10", "210100", "220502", NULL) };
    r = run("2020-02-13", in15, 2, NULL, 0, a, 1, NULL);
    assert_int_equal(r.n, 0);
    eg_screen_results_free(&r);
    /* a touching leg after the arrival (before arr_date ends) is not "before" it */
    eg_leg after[] = { L(P1, EG_MODE_TRAIN, "K2", "2020-02-10", "210100", "220502", NULL),
                       L(P1, EG_MODE_TRAIN, "K3", "2020-02-11", "220502", "420100", NULL) };
    r = run("2020-02-13", after, 2, NULL, 0, a, 1, NULL);
    assert_int_equal(r.n, 0);
    eg_screen_results_free(&r);
}

/* Transit: the risk area is only the destination of an earlier leg (the
 * area is Chaoyang 110105; the way home leaves from Dongcheng 110101). */
static void r1_transit_through_risk_area(void **state)
{
    (void)state;
    eg_risk_area a[] = { A("110105", "2020-02-01", "2020-02-29") };
    eg_leg l[] = { L(P1, EG_MODE_FLIGHT, "CA1", "2020-02-03", "440100", "110105", "2020-02-03"),
                   L(P1, EG_MODE_TRAIN, "K27", "2020-02-04", "110101", "220502", "2020-02-05") };
    eg_screen_results r = run("2020-02-13", l, 2, NULL, 0, a, 1, NULL);
    assert_int_equal(r.n, 1);
    assert_string_equal(ds(r.v[0].start), "2020-02-05");
    assert_int_equal(r.v[0].nlegs, 2);
    assert_int_equal(r.v[0].legs[0], 0);
    assert_int_equal(r.v[0].legs[1], 1);
    eg_screen_results_free(&r);
    /* arriving there the day before the area's window: no touch */
    eg_leg early[] = { L(P1, EG_MODE_FLIGHT, "CA1", "2020-01-31", "440100", "110105", "2020-01-31"),
                       L(P1, EG_MODE_TRAIN, "K27", "2020-02-04", "110101", "220502", "2020-02-05") };
    r = run("2020-02-13", early, 2, NULL, 0, a, 1, NULL);
    assert_int_equal(r.n, 0);
    eg_screen_results_free(&r);
}

/* A risk window ending the day before the leg does not touch; ending on
 * the day does; an open valid_to is still in force. */
static void r1_valid_to(void **state)
{
    (void)state;
    eg_leg l[] = { L(P1, EG_MODE_TRAIN, "Z62", "2020-02-05", "330300", "220502", NULL) };
    eg_risk_area before[] = { A("3303", "2020-01-25", "2020-02-04") };
    eg_risk_area on[] = { A("3303", "2020-01-25", "2020-02-05") };
    eg_risk_area open[] = { A("3303", "2020-01-25", NULL) };
    eg_screen_results r = run("2020-02-13", l, 1, NULL, 0, before, 1, NULL);
    assert_int_equal(r.n, 0);
    eg_screen_results_free(&r);
    r = run("2020-02-13", l, 1, NULL, 0, on, 1, NULL);
    assert_int_equal(r.n, 1);
    eg_screen_results_free(&r);
    r = run("2020-02-13", l, 1, NULL, 0, open, 1, NULL);
    assert_int_equal(r.n, 1);
    eg_screen_results_free(&r);
}

/* An empty arr_date is the departure day. */
static void r1_empty_arr_date(void **state)
{
    (void)state;
    eg_risk_area a[] = { A("42", "2020-01-01", NULL) };
    eg_leg l[] = { L(P1, EG_MODE_BUS, "吉E12345", "2020-02-13", "420100", "220524", NULL) };
    eg_screen_results r = run("2020-02-13", l, 1, NULL, 0, a, 1, NULL);
    assert_int_equal(r.n, 1);
    assert_string_equal(ds(r.v[0].start), "2020-02-13");
    assert_string_equal(ds(r.v[0].end), "2020-02-27");
    eg_screen_results_free(&r);
}

/* Meihekou (220581) is not in Tonghua: arriving there is no arrival. */
static void r1_meihekou_not_in_city(void **state)
{
    (void)state;
    eg_risk_area a[] = { A("4201", "2019-12-01", "2020-04-08") };
    eg_leg l[] = { L(P1, EG_MODE_TRAIN, "Z62", "2020-02-05", "420100", "220581", NULL) };
    eg_screen_results r = run("2020-02-13", l, 1, NULL, 0, a, 1, NULL);
    assert_int_equal(r.n, 0);
    eg_screen_results_free(&r);
    /* the city's own code counts */
    l[0] = L(P1, EG_MODE_TRAIN, "Z62", "2020-02-05", "420100", "2205", NULL);
    r = run("2020-02-13", l, 1, NULL, 0, a, 1, NULL);
    assert_int_equal(r.n, 1);
    eg_screen_results_free(&r);
}

/* Flights: rows within 3 match, 4 apart do not; an unknown row matches. */
static void r2_flight_rows(void **state)
{
    (void)state;
    eg_case_trip c[] = { C(EG_MODE_FLIGHT, "CZ6101", NULL, "2020-02-05", 0, 20) };
    int rows[] = { 17, 23, 16, 24, 0, 20 };
    size_t expect[] = { 1, 1, 0, 0, 1, 1 };
    for (size_t i = 0; i < 6; i++) {
        eg_leg l[] = { L(P2, EG_MODE_FLIGHT, "CZ6101", "2020-02-05", "440100", "220100", NULL) };
        l[0].seat_row = rows[i];
        eg_screen_results r = run("2020-02-13", l, 1, c, 1, NULL, 0, NULL);
        assert_int_equal(r.n, expect[i]);
        if (r.n) {
            assert_int_equal(r.v[0].measure, EG_MEASURE_CENTRAL_ISOLATION);
            assert_int_equal(r.v[0].rules, EG_RULE_R2);
            assert_int_equal(r.v[0].ncases, 1);
            assert_int_equal(r.v[0].cases[0], 0);
            assert_string_equal(ds(r.v[0].end), "2020-02-19");
        }
        eg_screen_results_free(&r);
    }
    /* the case's row unknown: the whole flight */
    eg_case_trip whole[] = { C(EG_MODE_FLIGHT, "CZ6101", NULL, "2020-02-05", 0, 0) };
    eg_leg far[] = { L(P2, EG_MODE_FLIGHT, "CZ6101", "2020-02-05", "440100", "220100", NULL) };
    far[0].seat_row = 45;
    eg_screen_results r = run("2020-02-13", far, 1, whole, 1, NULL, 0, NULL);
    assert_int_equal(r.n, 1);
    eg_screen_results_free(&r);
    /* another date or mode: no match */
    far[0].dep_date = D("2020-02-06");
    r = run("2020-02-13", far, 1, whole, 1, NULL, 0, NULL);
    assert_int_equal(r.n, 0);
    eg_screen_results_free(&r);
    far[0].dep_date = D("2020-02-05");
    far[0].mode = EG_MODE_TRAIN;
    r = run("2020-02-13", far, 1, whole, 1, NULL, 0, NULL);
    assert_int_equal(r.n, 0);
    eg_screen_results_free(&r);
}

/* Trains: the same car; an unknown car on either side matches. */
static void r2_train_cars(void **state)
{
    (void)state;
    eg_case_trip c5[] = { C(EG_MODE_TRAIN, "G1234", NULL, "2020-02-05", 5, 0) };
    eg_case_trip c0[] = { C(EG_MODE_TRAIN, "G1234", NULL, "2020-02-05", 0, 0) };
    int cars[] = { 5, 6, 0 };
    size_t expect5[] = { 1, 0, 1 }, expect0[] = { 1, 1, 1 };
    for (size_t i = 0; i < 3; i++) {
        eg_leg l[] = { L(P2, EG_MODE_TRAIN, "G1234", "2020-02-05", "210100", "220100", NULL) };
        l[0].car = cars[i];
        eg_screen_results r = run("2020-02-13", l, 1, c5, 1, NULL, 0, NULL);
        assert_int_equal(r.n, expect5[i]);
        eg_screen_results_free(&r);
        r = run("2020-02-13", l, 1, c0, 1, NULL, 0, NULL);
        assert_int_equal(r.n, expect0[i]);
        eg_screen_results_free(&r);
    }
}

/* Buses: the whole vehicle, whatever the seats. Codeshare partners match. */
static void r2_bus_and_codeshare(void **state)
{
    (void)state;
    eg_case_trip bus[] = { C(EG_MODE_BUS, "吉E62761", NULL, "2020-02-05", 0, 5) };
    eg_leg l[] = { L(P2, EG_MODE_BUS, "吉E62761", "2020-02-05", "220200", "220502", NULL) };
    l[0].seat_row = 0;
    snprintf(l[0].seat, sizeof l[0].seat, "40");
    eg_screen_results r = run("2020-02-13", l, 1, bus, 1, NULL, 0, NULL);
    assert_int_equal(r.n, 1);
    eg_screen_results_free(&r);
    eg_case_trip cs[] = { C(EG_MODE_FLIGHT, "ZH4751", "CA8215", "2020-02-05", 0, 0) };
    eg_leg f[] = { L(P2, EG_MODE_FLIGHT, "CA8215", "2020-02-05", "440300", "220100", NULL) };
    r = run("2020-02-13", f, 1, cs, 1, NULL, 0, NULL);
    assert_int_equal(r.n, 1);
    eg_screen_results_free(&r);
    snprintf(f[0].trip_no, sizeof f[0].trip_no, "CA8216");
    r = run("2020-02-13", f, 1, cs, 1, NULL, 0, NULL);
    assert_int_equal(r.n, 0);
    eg_screen_results_free(&r);
}

/* R2 counts legs departing from AS_OF - (D - 1): 01-31 yes, 01-30 no. */
static void r2_window(void **state)
{
    (void)state;
    eg_case_trip c[] = { C(EG_MODE_TRAIN, "K27", NULL, "2020-01-31", 0, 0),
                         C(EG_MODE_TRAIN, "K27", NULL, "2020-01-30", 0, 0) };
    eg_leg in[] = { L(P2, EG_MODE_TRAIN, "K27", "2020-01-31", "210100", "220100", NULL) };
    eg_leg out[] = { L(P2, EG_MODE_TRAIN, "K27", "2020-01-30", "210100", "220100", NULL) };
    eg_screen_results r = run("2020-02-13", in, 1, c, 2, NULL, 0, NULL);
    assert_int_equal(r.n, 1);
    assert_string_equal(ds(r.v[0].start), "2020-01-31");
    assert_string_equal(ds(r.v[0].end), "2020-02-14");
    eg_screen_results_free(&r);
    r = run("2020-02-13", out, 1, c, 2, NULL, 0, NULL);
    assert_int_equal(r.n, 0);
    eg_screen_results_free(&r);
}

/* R2 outranks R1; start is the latest matching leg; both rules listed;
 * x and X are one person. */
static void r2_outranks_r1_and_one_person(void **state)
{
    (void)state;
    eg_risk_area a[] = { A("4201", "2019-12-01", "2020-04-08") };
    eg_case_trip c[] = { C(EG_MODE_TRAIN, "Z62", NULL, "2020-02-03", 0, 0),
                         C(EG_MODE_BUS, "吉E1", NULL, "2020-02-04", 0, 0) };
    char lower[EG_DOCNO_BUFSZ];
    snprintf(lower, sizeof lower, "%s", "11010119900307451X");
    eg_leg l[] = { L("11010119900307451X", EG_MODE_TRAIN, "Z62", "2020-02-03", "420100", "220100", NULL),
                   L("11010119900307451x", EG_MODE_BUS, "吉E1", "2020-02-04", "220100", "220502", NULL),
                   L("11010119900307451X", EG_MODE_BUS, "吉E9", "2020-02-08", "220502", "220503", NULL) };
    l[0].id_flag = l[1].id_flag = l[2].id_flag = EG_IDNO_BAD_CHECK;
    eg_screen_results r = run("2020-02-13", l, 3, c, 2, a, 1, NULL);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].id_no, lower);
    assert_int_equal(r.v[0].measure, EG_MEASURE_CENTRAL_ISOLATION);
    assert_int_equal(r.v[0].rules, EG_RULE_R1 | EG_RULE_R2);
    assert_string_equal(ds(r.v[0].start), "2020-02-04");
    /* the bus inside the city on 02-08 is an arrival too, 5 days after Wuhan */
    assert_string_equal(ds(r.v[0].r1_start), "2020-02-08");
    assert_string_equal(ds(r.v[0].r2_start), "2020-02-04");
    assert_int_equal(r.v[0].ncases, 2);
    /* latest leg: 02-08 to 220503 */
    assert_string_equal(r.v[0].latest_to, "220503");
    assert_string_equal(r.v[0].division, "220503");
    assert_int_equal(r.v[0].id_flag, EG_IDNO_BAD_CHECK);
    eg_screen_results_free(&r);
}

/* Divisions: the registry first; a co-traveller from elsewhere is an
 * assistance request to his division; no division at all: unlocated. */
static void divisions_and_requests(void **state)
{
    (void)state;
    eg_case_trip c[] = { C(EG_MODE_TRAIN, "G8", NULL, "2020-02-05", 0, 0) };
    eg_leg l[] = { L(P1, EG_MODE_TRAIN, "G8", "2020-02-05", "110100", "210100", NULL),
                   L(P2, EG_MODE_TRAIN, "G8", "2020-02-05", "110100", "210100", NULL),
                   L("E12345678", EG_MODE_TRAIN, "G8", "2020-02-05", "110100", "", NULL),
                   L("220581199001010014", EG_MODE_TRAIN, "G8", "2020-02-05", "110100", "", NULL) };
    l[2].id_flag = EG_IDNO_BAD_LENGTH;
    reg registry[] = { { P1, "220502001001" }, { NULL, NULL } };
    eg_screen_results r = run("2020-02-13", l, 4, c, 1, NULL, 0, registry);
    assert_int_equal(r.n, 4);
    /* sorted by id_no: 1101.., 2205021.., 2205811.., E12.. */
    assert_string_equal(r.v[0].id_no, P2);
    assert_int_equal(r.v[0].kind, EG_SCREEN_ASSISTANCE);
    assert_string_equal(r.v[0].division, "2101");
    assert_int_equal(r.v[0].div_source, EG_DIV_LATEST_LEG);
    assert_string_equal(r.v[1].id_no, P1);
    assert_int_equal(r.v[1].kind, EG_SCREEN_ORDER);
    assert_string_equal(r.v[1].division, "220502001001");
    assert_int_equal(r.v[1].div_source, EG_DIV_REGISTRY);
    assert_string_equal(r.v[1].name, "登记名");
    /* no to_code: the identity number's region, Meihekou: a request */
    assert_int_equal(r.v[2].div_source, EG_DIV_ID_REGION);
    assert_string_equal(r.v[2].division, "220581");
    assert_int_equal(r.v[2].kind, EG_SCREEN_ASSISTANCE);
    /* a passport and no place: unlocated */
    assert_string_equal(r.v[3].id_no, "E12345678");
    assert_int_equal(r.v[3].kind, EG_SCREEN_UNLOCATED);
    assert_string_equal(r.v[3].division, "");
    assert_string_equal(eg_screen_kind_name(r.v[3].kind), "assistance_request");
    eg_screen_results_free(&r);
}

/* Legs outside the window are dropped before anything; D changes it. */
static void window_and_days(void **state)
{
    (void)state;
    eg_risk_area a[] = { A("4201", "2019-12-01", "2020-04-08") };
    eg_screen_city city = city_tonghua();
    eg_screen_params p = { D("2020-02-13"), 7, &city };
    eg_screen *s = NULL;
    eg_screen_results r;
    eg_screen_stats st;
    eg_leg l = L(P1, EG_MODE_TRAIN, "Z62", "2020-02-07", "420100", "220502", NULL);
    eg_leg old = L(P1, EG_MODE_TRAIN, "Z61", "2020-01-30", "420100", "220502", NULL);
    assert_int_equal(eg_screen_new(&p, NULL, 0, a, 1, &s), EG_OK);
    assert_int_equal(eg_screen_add_leg(s, &l, 7), EG_OK);     /* 02-07 = AS_OF - (D - 1) */
    assert_int_equal(eg_screen_add_leg(s, &old, 8), EG_OK);   /* 01-30 = AS_OF - 2D: outside */
    assert_int_equal(eg_screen_finish(s, &r), EG_OK);
    assert_int_equal(eg_screen_add_leg(s, &l, 9), EG_ERR_STATE);
    eg_screen_get_stats(s, &st);
    assert_int_equal(st.legs_seen, 2);
    assert_int_equal(st.legs_kept, 1);
    assert_int_equal(r.n, 1);
    assert_int_equal(r.v[0].legs[0], 7);
    assert_string_equal(ds(r.v[0].end), "2020-02-14");
    eg_screen_results_free(&r);
    eg_screen_free(s);
    p.days = 366;
    assert_int_equal(eg_screen_new(&p, NULL, 0, NULL, 0, &s), EG_ERR_INVALID);
}

/* The city from the tree: 2205 and 220500 are one node with six units;
 * Meihekou is not among them. */
static void city_from_tree(void **state)
{
    (void)state;
    eg_store *st = tu_store_new("screen_city.db");
    eg_juris *j = NULL;
    eg_screen_city a, b;
    tu_load_bundled_tree(st);
    assert_int_equal(eg_juris_load(st, &j), EG_OK);
    assert_int_equal(eg_screen_city_from_node(eg_juris_find(j, "2205"), &a), EG_OK);
    assert_int_equal(eg_screen_city_from_node(eg_juris_find(j, "220500"), &b), EG_OK);
    assert_memory_equal(&a, &b, sizeof a);
    assert_string_equal(a.code, "2205");
    assert_int_equal(a.nunits, 6);
    assert_true(eg_screen_city_contains(&a, "220502"));
    assert_true(eg_screen_city_contains(&a, "220582"));
    assert_true(eg_screen_city_contains(&a, "220524001001-2"));
    assert_true(eg_screen_city_contains(&a, "2205"));
    assert_false(eg_screen_city_contains(&a, "220581"));
    assert_false(eg_screen_city_contains(&a, "220581100"));
    assert_false(eg_screen_city_contains(&a, "22"));
    assert_int_equal(eg_screen_city_from_node(NULL, &a), EG_ERR_INVALID);
    eg_juris_free(j);
    eg_store_close(st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(r1_basic),
        cmocka_unit_test(r1_arrival_window_edges),
        cmocka_unit_test(r1_touch_d_vs_d_plus_1),
        cmocka_unit_test(r1_transit_through_risk_area),
        cmocka_unit_test(r1_valid_to),
        cmocka_unit_test(r1_empty_arr_date),
        cmocka_unit_test(r1_meihekou_not_in_city),
        cmocka_unit_test(r2_flight_rows),
        cmocka_unit_test(r2_train_cars),
        cmocka_unit_test(r2_bus_and_codeshare),
        cmocka_unit_test(r2_window),
        cmocka_unit_test(r2_outranks_r1_and_one_person),
        cmocka_unit_test(divisions_and_requests),
        cmocka_unit_test(window_and_days),
        cmocka_unit_test(city_from_tree),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
