/*
 * tests/travel/test_feed.c: the travel feed: every normalisation, every
 * carriage/seat form of the public lists, codeshares, duplicate legs,
 * rejected forms, the real same-trip list, and an itinerary with a transit
 * stay in a risk area.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "epigrid/feed.h"
#include "testutil.h"

static void trip_numbers_and_modes(void **state)
{
    (void)state;
    char out[EG_TRIP_BUFSZ], nos[EG_TRIP_MAX_NOS][EG_TRIP_BUFSZ];
    size_t n;
    eg_mode m;
    assert_int_equal(eg_trip_no_normalize(" k 7393 ", out), EG_OK);
    assert_string_equal(out, "K7393");
    assert_int_equal(eg_trip_no_normalize("Ｋ７３９３", out), EG_OK);
    assert_string_equal(out, "K7393");
    assert_int_equal(eg_trip_no_normalize("吉jg4666", out), EG_OK);
    assert_string_equal(out, "吉JG4666");
    assert_int_equal(eg_trip_no_normalize("  ", out), EG_ERR_INVALID);
    assert_int_equal(eg_trip_no_split("ZH4751(CA8215)", nos, &n), EG_OK);
    assert_int_equal(n, 2);
    assert_string_equal(nos[0], "ZH4751");
    assert_string_equal(nos[1], "CA8215");
    assert_int_equal(eg_trip_no_split("ZH4751（CA8215）", nos, &n), EG_OK);
    assert_int_equal(n, 2);
    assert_string_equal(nos[1], "CA8215");
    assert_int_equal(eg_trip_no_split("zh4751/ca8215", nos, &n), EG_OK);
    assert_string_equal(nos[0], "ZH4751");
    assert_string_equal(nos[1], "CA8215");
    assert_int_equal(eg_trip_no_split("G727", nos, &n), EG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(eg_mode_parse(" Train", &m), EG_OK);
    assert_int_equal(m, EG_MODE_TRAIN);
    assert_int_equal(eg_mode_parse("飞机", &m), EG_OK);
    assert_int_equal(m, EG_MODE_FLIGHT);
    assert_int_equal(eg_mode_parse("rocket", &m), EG_ERR_INVALID);
}

static void seats_and_cars(void **state)
{
    (void)state;
    char a[EG_SEAT_BUFSZ], b[EG_SEAT_BUFSZ];
    int row, car;
    assert_int_equal(eg_seat_normalize("05A", a, &row), EG_OK);
    assert_int_equal(eg_seat_normalize("5a", b, NULL), EG_OK);
    assert_string_equal(a, "5A");
    assert_string_equal(a, b);
    assert_int_equal(row, 5);
    assert_int_equal(eg_seat_normalize("０２３Ｃ", a, &row), EG_OK);
    assert_string_equal(a, "23C");
    assert_int_equal(row, 23);
    assert_int_equal(eg_seat_normalize("018", a, &row), EG_OK);
    assert_string_equal(a, "18");
    assert_int_equal(eg_seat_normalize("", a, &row), EG_OK);
    assert_string_equal(a, "");
    assert_int_equal(row, 0);
    assert_int_equal(eg_seat_normalize("A5", a, &row), EG_ERR_INVALID);
    assert_int_equal(eg_car_parse("05", &car), EG_OK);
    assert_int_equal(car, 5);
    assert_int_equal(eg_car_parse("5号车厢", &car), EG_OK);
    assert_int_equal(car, 5);
    assert_int_equal(eg_car_parse("", &car), EG_OK);
    assert_int_equal(car, 0);
    assert_int_equal(eg_car_parse("加1", &car), EG_ERR_INVALID);
}

/* Every form of the public lists named in the issue. */
static void carriage_descriptions(void **state)
{
    (void)state;
    int cars[8], row;
    size_t n;
    char seat[EG_SEAT_BUFSZ];
    assert_int_equal(eg_carriage_parse("10号车厢", cars, 8, &n, seat, &row), EG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(cars[0], 10);
    assert_string_equal(seat, "");
    assert_int_equal(eg_carriage_parse("11车09A号二等座", cars, 8, &n, seat, &row), EG_OK);
    assert_int_equal(n, 1);
    assert_int_equal(cars[0], 11);
    assert_string_equal(seat, "9A");
    assert_int_equal(eg_carriage_parse("13车007号下铺", cars, 8, &n, seat, &row), EG_OK);
    assert_int_equal(cars[0], 13);
    assert_string_equal(seat, "7");
    assert_int_equal(eg_carriage_parse("3、17号车厢", cars, 8, &n, seat, &row), EG_OK);
    assert_int_equal(n, 2);
    assert_int_equal(cars[0], 3);
    assert_int_equal(cars[1], 17);
    assert_int_equal(eg_carriage_parse("4、6、13号车厢", cars, 8, &n, seat, &row), EG_OK);
    assert_int_equal(n, 3);
    assert_int_equal(cars[2], 13);
    assert_int_equal(eg_carriage_parse("27D", cars, 8, &n, seat, &row), EG_OK);
    assert_int_equal(n, 0);
    assert_string_equal(seat, "27D");
    assert_int_equal(row, 27);
    assert_int_equal(eg_carriage_parse("10号车厢01中铺", cars, 8, &n, seat, &row), EG_OK);
    assert_int_equal(cars[0], 10);
    assert_string_equal(seat, "1");
    assert_int_equal(eg_carriage_parse("", cars, 8, &n, seat, &row), EG_OK);
    assert_int_equal(n, 0);
    /* cannot be read: the whole train is traced */
    assert_int_equal(eg_carriage_parse("加1号车厢", cars, 8, &n, seat, &row), EG_ERR_PARSE);
    assert_int_equal(eg_carriage_parse("1号线2号车", cars, 8, &n, seat, &row), EG_ERR_PARSE);
    assert_int_equal(eg_carriage_parse("车次1831", cars, 8, &n, seat, &row), EG_ERR_PARSE);
    assert_int_equal(eg_carriage_parse("3路", cars, 8, &n, seat, &row), EG_ERR_PARSE);
}

typedef struct fixture {
    eg_store *s;
    char msgs[64][300];
    int warn[64];
    int n;
} fixture;

static void keep(void *ctx, const eg_diag *d, int w)
{
    fixture *f = ctx;
    if (f->n < 64) {
        eg_diag_format(d, f->msgs[f->n], 300);
        f->warn[f->n++] = w;
    }
}

static int has(const fixture *f, int w, const char *a, const char *b)
{
    for (int i = 0; i < f->n; i++)
        if (f->warn[i] == w && strstr(f->msgs[i], a) && (!b || strstr(f->msgs[i], b)))
            return 1;
    return 0;
}

static eg_import_opts opts(fixture *f)
{
    eg_import_opts o = tu_opts();
    o.report = keep;
    o.report_ctx = f;
    return o;
}

#define LEG_HDR "id_no,name,phone,mode,trip_no,dep_date,dep_time,from_code,from_name,to_code,to_name,arr_date,car,seat\n"

static eg_err count_leg(void *ctx, const eg_leg *l)
{
    (void)l;
    (*(long *)ctx)++;
    return EG_OK;
}

static void travel_import_rules(void **state)
{
    (void)state;
    fixture f = { .s = tu_store_new("travel.db") };
    eg_import_opts o = opts(&f);
    eg_import_result res;
    eg_feed_result fr;
    char path[512];
    long n = 0;
    tu_path(path, sizeof path, "travel.csv");
    tu_write(path, LEG_HDR
        "22050219900101006x,甲,,train,k7393,2020/1/18,08:00,220581,梅河口,220502,通化,,05,05A\n" /* 2 ok, x */
        "22050219900101006X,甲,,Train, K 7393,20200118,08:00,220581,梅河口,220502,通化,,5,5A\n"  /* 3 duplicate */
        "220502199001010018,乙,,train,G727,2020-01-20,,2101,沈阳,2201,长春,,5,\n"                /* 4 kept, flagged */
        "220502199001010027,丙,,rocket,X1,2020-01-20,,2101,沈阳,2201,长春,,,\n"                  /* 5 mode */
        "220502199001010027,丙,,train,G1,3.2.2020,,2101,沈阳,2201,长春,,,\n"                     /* 6 date */
        "220502199001010027,丙,,train,G1,2020-01-20,,21X1,沈阳,2201,长春,,,\n"                   /* 7 code */
        "220502199001010027,丙,,train,G1,2020-01-20,,2101,沈阳,2201,长春,2020-01-19,,\n"         /* 8 arr < dep */
        "220502199001010027,丙,,train,,2020-01-20,,2101,沈阳,2201,长春,,,\n"                     /* 9 trip */
        "220502199001010027,丙,,train,G1,2020-01-20,25:00,2101,沈阳,2201,长春,,加1,\n");         /* 10 ok, warnings */
    assert_int_equal(eg_travel_import(f.s, path, &o, &res, &fr, NULL), EG_OK);
    assert_int_equal(res.rows, 9);
    assert_int_equal(res.imported, 3);
    assert_int_equal(res.rejected, 5);
    assert_int_equal(fr.duplicates, 1);
    assert_int_equal(fr.flagged_ids, 1);
    assert_true(has(&f, 1, ":4: id_no:", "kept and flagged"));
    assert_true(has(&f, 0, ":5: mode:", "rocket"));
    assert_true(has(&f, 0, ":6: dep_date:", "3.2.2020"));
    assert_true(has(&f, 0, ":7: from_code:", NULL));
    assert_true(has(&f, 0, ":8: arr_date:", "before"));
    assert_true(has(&f, 0, ":9: trip_no:", "missing"));
    assert_true(has(&f, 1, ":10: dep_time:", NULL));
    assert_true(has(&f, 1, ":10: car:", "whole train"));
    assert_int_equal(eg_store_leg_each_person(f.s, "22050219900101006X", count_leg, &n), EG_OK);
    assert_int_equal(n, 1);
    eg_store_close(f.s);
}

static eg_err keep_case(void *ctx, const eg_case_trip *c, const char *original)
{
    fixture *f = ctx;
    char d[EG_DATE_BUFSZ];
    if (f->n < 64) {
        snprintf(f->msgs[f->n], 300, "%s %s %s %s car=%d seat=%s row=%d unreadable=%d orig=%s",
                 eg_date_format(c->date, d), eg_mode_name(c->mode), c->nos[0],
                 c->nnos > 1 ? c->nos[1] : "-", c->car, c->seat, c->seat_row, c->unreadable, original);
        f->warn[f->n++] = 9;
    }
    return EG_OK;
}

static void case_trips_both_shapes(void **state)
{
    (void)state;
    fixture f = { .s = tu_store_new("cases.db") };
    eg_import_opts o = opts(&f);
    eg_import_result res;
    eg_feed_result fr;
    char path[512];
    tu_path(path, sizeof path, "public.csv");
    tu_write(path, "travel_date,mode,mode_cn,trip_number,carriage_seat,from,to\n"
                   "2020-01-13,train,火车,T182,3、17号车厢,武汉,哈尔滨\n"
                   "2020-01-21,train,火车,K1227,加1号车厢,长春,佳木斯\n"
                   "2020-01-22,flight,飞机,ZH4751(CA8215),27D,武汉,沈阳\n"
                   ",train,火车,K1,,a,b\n");
    assert_int_equal(eg_case_trips_import(f.s, path, &o, &res, &fr, NULL), EG_OK);
    assert_int_equal(res.rejected, 1);
    assert_true(has(&f, 0, ":5: travel_date:", "missing"));
    assert_true(has(&f, 1, ":3: carriage_seat:", "加1号车厢"));
    assert_int_equal(fr.unreadable, 1);
    assert_int_equal(fr.case_trips, 4);
    f.n = 0;
    assert_int_equal(eg_store_case_trip_each(f.s, keep_case, &f), EG_OK);
    assert_int_equal(f.n, 4);
    assert_string_equal(f.msgs[0], "2020-01-13 train T182 - car=3 seat= row=0 unreadable=0 orig=3、17号车厢");
    assert_string_equal(f.msgs[1], "2020-01-13 train T182 - car=17 seat= row=0 unreadable=0 orig=3、17号车厢");
    assert_string_equal(f.msgs[2], "2020-01-21 train K1227 - car=0 seat= row=0 unreadable=1 orig=加1号车厢");
    assert_string_equal(f.msgs[3], "2020-01-22 flight ZH4751 CA8215 car=0 seat=27D row=27 unreadable=0 orig=27D");
    /* the formats.md shape; a case trip without a trip number is rejected */
    f.n = 0;
    tu_path(path, sizeof path, "cases.csv");
    tu_write(path, "date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n"
                   "2020-01-20,train,G727,05,,沈阳,长春,confirmed,test\n"
                   "2020-01-20,train,,5,,沈阳,长春,confirmed,test\n"
                   "2020-01-20,train,G728,5,,沈阳,长春,maybe,test\n");
    assert_int_equal(eg_case_trips_import(f.s, path, &o, &res, &fr, NULL), EG_OK);
    assert_int_equal(res.imported, 1);
    assert_int_equal(res.rejected, 2);
    assert_true(has(&f, 0, ":3: trip_no:", "missing"));
    assert_true(has(&f, 0, ":4: case_status:", "maybe"));
    eg_store_close(f.s);
}

/* The bundled real list: every row read, the unreadable ones counted. */
static void real_same_trip_list(void **state)
{
    (void)state;
    fixture f = { .s = tu_store_new("real.db") };
    eg_import_opts o = opts(&f);
    eg_import_result res;
    eg_feed_result fr;
    assert_int_equal(eg_case_trips_import(f.s, EG_DATADIR "/real/same_trip_confirmed_cases_202001.csv",
                                          &o, &res, &fr, NULL), EG_OK);
    assert_int_equal(res.rows, 222);
    assert_int_equal(res.rejected, 0);
    /* 加1号车厢, 1号线2号车, 车次1831, 1831车次, 3路 */
    assert_int_equal(fr.unreadable, 5);
    assert_true(has(&f, 1, "carriage_seat:", "加1号车厢"));
    eg_store_close(f.s);
}

static void risk_areas_rules(void **state)
{
    (void)state;
    fixture f = { .s = tu_store_new("risk.db") };
    eg_import_opts o = opts(&f);
    eg_import_result res;
    char path[512];
    tu_path(path, sizeof path, "risk.csv");
    tu_write(path, "code,level,valid_from,valid_to,name\n"
                   "420000,high,2020-01-01,,湖北省\n"
                   "4201,high,2020-02-01,2020-01-01,武汉\n"
                   "4201,extreme,2020-01-01,,武汉\n");
    assert_int_equal(eg_risk_areas_import(f.s, path, &o, &res, NULL), EG_OK);
    assert_int_equal(res.imported, 1);
    assert_true(has(&f, 0, ":3: valid_to:", "before"));
    assert_true(has(&f, 0, ":4: level:", "extreme"));
    eg_store_close(f.s);
}

/* Wuhan → Beijing (stay 2 days) → Tonghua: the first leg departs a risk
 * area; the case trip on G727 car 5 shares the second leg's place. */
static void itinerary_with_transit(void **state)
{
    (void)state;
    fixture f = { .s = tu_store_new("itin.db") };
    eg_import_opts o = opts(&f);
    eg_import_result res;
    eg_itinerary *it = NULL;
    char path[512];
    tu_path(path, sizeof path, "itin_travel.csv");
    tu_write(path, LEG_HDR
        "220502199001010019,甲,,train,G506,2020-01-20,09:00,420100,武汉,110100,北京西,,3,05A\n"
        "220502199001010019,甲,,train,Z62,2020-01-22,18:00,110100,北京,220502,通化,2020-01-23,5,11B\n"
        "220502199001010019,甲,,bus,吉E00001,2020-01-25,10:00,220502,通化,220582,集安,,,\n");
    assert_int_equal(eg_travel_import(f.s, path, &o, &res, NULL, NULL), EG_OK);
    tu_path(path, sizeof path, "itin_risk.csv");
    tu_write(path, "code,level,valid_from,valid_to,name\n4201,high,2019-12-01,2020-04-08,武汉市\n");
    assert_int_equal(eg_risk_areas_import(f.s, path, &o, &res, NULL), EG_OK);
    tu_path(path, sizeof path, "itin_cases.csv");
    tu_write(path, "date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n"
                   "2020-01-22,train,Z62,5,,北京,通化,confirmed,test\n"
                   "2020-01-22,train,Z62,9,,北京,通化,suspected,test\n");
    assert_int_equal(eg_case_trips_import(f.s, path, &o, &res, NULL, NULL), EG_OK);
    assert_int_equal(eg_itinerary_build(f.s, "220502199001010019", &it), EG_OK);
    assert_int_equal(it->n, 3);
    assert_string_equal(it->legs[0].leg.trip_no, "G506");
    assert_int_equal(it->legs[0].n_areas, 1);
    assert_string_equal(it->legs[0].areas[0].code, "4201");
    assert_true(it->legs[0].has_next);
    assert_int_equal(it->legs[0].stay_days, 2);      /* in Beijing 01-20 .. 01-22 */
    assert_int_equal(it->legs[1].n_areas, 0);
    assert_int_equal(it->legs[1].stay_days, 2);      /* arrived 01-23, left 01-25 */
    assert_int_equal(it->legs[1].n_cases, 2);
    assert_int_equal(it->legs[1].cases[0].trip.car, 5);
    assert_int_equal(it->legs[1].cases[0].same_place, 1);
    assert_int_equal(it->legs[1].cases[1].same_place, 0);
    assert_false(it->legs[2].has_next);
    eg_itinerary_free(it);
    assert_int_equal(eg_itinerary_build(f.s, "110105194912310021", &it), EG_ERR_NOT_FOUND);
    eg_store_close(f.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(trip_numbers_and_modes),
        cmocka_unit_test(seats_and_cars),
        cmocka_unit_test(carriage_descriptions),
        cmocka_unit_test(travel_import_rules),
        cmocka_unit_test(case_trips_both_shapes),
        cmocka_unit_test(real_same_trip_list),
        cmocka_unit_test(risk_areas_rules),
        cmocka_unit_test(itinerary_with_transit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
