/*
 * tests/screening/test_batch.c: the streaming batch mode. Messy rows
 * (quotes, other date forms, full-width trip numbers, x, a BOM and CRLF)
 * screen exactly as clean ones and bad rows are reported under their real
 * line numbers; only the latest of a person's legs that do not matter
 * otherwise is kept, with the same results; a generated feed gives exactly the orders of the
 * reference SQL (../shared/bench/reference, run in the sqlite3 command
 * line); the output does not depend on the number of threads; and
 * `epigrid screen` end to end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sys/stat.h>
#include "epigrid/idno.h"
#include "epigrid/screening.h"
#include "testutil.h"

#define HDR "id_no,name,phone,mode,trip_no,dep_date,dep_time,from_code,from_name,to_code,to_name,arr_date,car,seat\r\n"
#define AS_OF "2020-02-13"

static const char *const UNITS[] = { "220502", "220503", "220521", "220523", "220524", "220582" };

/* Messages seen by the report callback. */
typedef struct seen {
    unsigned long line[32];
    char column[32][64];
    char reason[32][256];
    int warning[32];
    int n;
} seen;

static void on_report(void *ctx, const eg_diag *d, int is_warning)
{
    seen *s = ctx;
    if (s->n < 32) {
        s->line[s->n] = d->line;
        snprintf(s->column[s->n], sizeof s->column[0], "%s", d->column);
        snprintf(s->reason[s->n], sizeof s->reason[0], "%s", d->reason);
        s->warning[s->n++] = is_warning;
    }
}

/* Write bytes to a file of the test folder; its path into path. */
static void write_bytes(char *path, size_t size, const char *name, const char *bytes, size_t n)
{
    FILE *f = fopen(tu_path(path, size, name), "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* Screen travel.csv and persons.csv of the test folder (persons: 0 to
 * leave it out) with a case file and a risk file of their own. */
static eg_err screen_written(int persons, eg_screen_results *r, eg_import_result res[4], seen *msgs)
{
    char tp[512], cp[512], rp[512], pp[512];
    eg_screen_city city;
    eg_screen_params p = { 0, 14, &city };
    eg_import_opts o = tu_opts();
    eg_screen_files f = { 0 };
    assert_int_equal(eg_screen_city_from_codes("2205", UNITS, 6, &city), EG_OK);
    assert_int_equal(eg_date_parse(AS_OF, &p.as_of), EG_OK);
    tu_path(tp, sizeof tp, "travel.csv");
    tu_write(tu_path(cp, sizeof cp, "cases.csv"),
             "date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n"
             "2020-02-05,flight,ZH4751(CA8215),,20A,深圳,长春,confirmed,test\n");
    tu_write(tu_path(rp, sizeof rp, "risk.csv"),
             "code,level,valid_from,valid_to,name\n4201,high,2019-12-01,,武汉市\n");
    f.travel = tp;
    f.cases = cp;
    f.risk = rp;
    if (persons)
        f.persons = tu_path(pp, sizeof pp, "persons.csv");
    o.report = on_report;
    o.report_ctx = msgs;
    return eg_screen_files_run(&p, &f, &o, res, r, NULL, NULL);
}

/* Write the small files and screen them. */
static eg_err screen_files(const char *travel, const char *persons, eg_screen_results *r,
                           eg_import_result res[4], seen *msgs)
{
    char path[512];
    write_bytes(path, sizeof path, "travel.csv", travel, strlen(travel));
    if (persons)
        write_bytes(path, sizeof path, "persons.csv", persons, strlen(persons));
    return screen_written(persons != NULL, r, res, msgs);
}

/* Messy rows give the same results as clean ones; bad rows are reported
 * with their lines; persons.csv gives the division. */
static void messy_rows(void **state)
{
    (void)state;
    const char *travel = "\xEF\xBB\xBF" HDR
        /* 2: clean, back from Wuhan */
        "220502198001011236,甲,,train,Z62,2020-02-05,08:00,420100,武汉,220502,通化,2020-02-05,3,05A\r\n"
        /* 3: the same person's x, quoted name with a comma, YYYY/M/D, full-width trip */
        "220502199001010035,\"乙, 二\",,train,Ｚ６２,2020/2/6,,420100,武汉,220503,二道江,,,\r\n"
        /* 4: a bad date: rejected */
        "110101199003074514,丙,,train,Z62,3.2.2020,,420100,武汉,220502,通化,,,\r\n"
        /* 5: unknown mode: rejected */
        "110101199003074514,丙,,rocket,Z62,2020-02-05,,420100,武汉,220502,通化,,,\r\n"
        /* 6: a flight 3 rows from the case, codeshare partner, blanks around the seat */
        "110101199003074514,丙,,flight,CA8215,20200205,09:10,440300,深圳,220100,长春,, , 23C \r\n"
        /* 7: a wrong check character: kept, flagged, warned */
        "220502198001011237,丁,,train,Z62,2020-02-05,08:00,420100,武汉,220502,通化,,,\r\n"
        /* 8: blank line, then 9: Meihekou is not the city */
        "\r\n"
        "220581199001010014,戊,,train,Z62,2020-02-05,08:00,420100,武汉,220581,梅河口,,,\r\n";
    const char *persons = "id_no,name,sex,birth_date,phone,address_code,address\n"
                          "220502198001011236,甲登记,M,1980-01-01,,220502001001,\n";
    eg_screen_results r;
    eg_import_result res[4];
    seen msgs = { 0 };
    assert_int_equal(screen_files(travel, persons, &r, res, &msgs), EG_OK);
    assert_int_equal(res[0].rows, 7); /* the blank line is no row */
    assert_int_equal(res[0].rejected, 2);
    assert_int_equal(res[0].warnings, 1);
    assert_int_equal(msgs.n, 3);
    assert_int_equal(msgs.line[0], 4);
    assert_string_equal(msgs.column[0], "dep_date");
    assert_int_equal(msgs.line[1], 5);
    assert_string_equal(msgs.column[1], "mode");
    assert_int_equal(msgs.line[2], 7);
    assert_string_equal(msgs.column[2], "id_no");
    assert_true(msgs.warning[2]);
    assert_int_equal(r.n, 4);
    /* 110101...: R2 on the codeshare, row 23 vs 20, an assistance request to Changchun */
    assert_string_equal(r.v[0].id_no, "110101199003074514");
    assert_int_equal(r.v[0].measure, EG_MEASURE_CENTRAL_ISOLATION);
    assert_int_equal(r.v[0].kind, EG_SCREEN_ASSISTANCE);
    assert_string_equal(r.v[0].division, "2201");
    assert_int_equal(r.v[0].legs[0], 6);
    assert_int_equal(r.v[0].cases[0], 0);
    assert_int_equal(r.case_ids[0], 2);
    /* 220502198001011236: registered, an order for the grid's village */
    assert_string_equal(r.v[1].id_no, "220502198001011236");
    assert_string_equal(r.v[1].name, "甲登记");
    assert_string_equal(r.v[1].division, "220502001001");
    assert_int_equal(r.v[1].kind, EG_SCREEN_ORDER);
    /* 220502198001011237: flagged but screened */
    assert_int_equal(r.v[2].id_flag, EG_IDNO_BAD_CHECK);
    /* 220502199001010035: the quoted, slashed, full-width row */
    assert_string_equal(r.v[3].id_no, "220502199001010035");
    assert_string_equal(r.v[3].name, "乙, 二");
    assert_int_equal(r.v[3].legs[0], 3);
    assert_int_equal(r.v[3].start, r.v[1].start + 1);
    char tmp[512];
    FILE *f = fopen(tu_path(tmp, sizeof tmp, "out.csv"), "w+");
    assert_non_null(f);
    assert_int_equal(eg_screen_write_csv(f, &r), EG_OK);
    fclose(f);
    char *out = tu_read(tmp);
    assert_non_null(strstr(out, "id_no,name,measure,start_date,end_date,kind,rules,jurisdiction_code,evidence\n"
                                "110101199003074514,丙,central_isolation,2020-02-05,2020-02-19,"
                                "assistance_request,R2,2201,leg:6;case:2\n"));
    assert_non_null(strstr(out, "220502199001010035,\"乙, 二\",home_quarantine,2020-02-06,2020-02-20,order,R1,220503,leg:3\n"));
    free(out);
    eg_screen_results_free(&r);
}

/* Of the legs that neither touch a risk area, nor arrive, nor ride with a
 * case, only a person's latest is kept: the division still comes from the
 * latest leg (the later line at the same minute), also when it lies in
 * another run of the person's rows, and every person is still counted. */
static void latest_leg_of_thinned_runs(void **state)
{
    (void)state;
    const char *travel = HDR
        /* P1 (lines 2-5): the latest leg (4) neither touches nor arrives */
        "220502198501011232,一,,train,K1,2020-02-05,08:00,220502,通化,220100,长春,2020-02-05,,\n"
        "220502198501011232,一,,train,Z62,2020-02-06,08:00,420100,武汉,220502,通化,2020-02-06,,\n"
        "220502198501011232,一,,train,K2,2020-02-11,10:00,220502,通化,310100,上海,2020-02-11,,\n"
        "220502198501011232,一,,train,K3,2020-02-08,10:00,220502,通化,220200,吉林,2020-02-08,,\n"
        /* P2 (6, 8): its latest leg in a run of its own; P3 (7): nothing to find */
        "220502198602022344,二,,train,K4,2020-02-12,09:00,220502,通化,220100,长春,2020-02-12,,\n"
        "220521198703033455,三,,train,K5,2020-02-03,09:00,220502,通化,220200,吉林,,,\n"
        "220502198602022344,二,,train,Z62,2020-02-04,08:00,420100,武汉,220503,二道江,2020-02-04,,\n"
        /* P4 (9-11): two latest legs at the same minute, the later line wins */
        "310101198804044561,四,,train,Z62,2020-02-07,08:00,420100,武汉,220521,,2020-02-07,,\n"
        "310101198804044561,四,,train,K6,2020-02-11,10:00,220521,,220100,,2020-02-11,,\n"
        "310101198804044561,四,,train,K7,2020-02-11,10:00,220521,,220200,,2020-02-11,,\n"
        /* P5 (12-14): with the case, then home, then on to Meihekou */
        "220524198905055678,五,,flight,ZH4751,2020-02-05,09:10,440300,深圳,220100,长春,,,21C\n"
        "220524198905055678,五,,train,K8,2020-02-12,09:00,220100,长春,220524,,2020-02-12,,\n"
        "220524198905055678,五,,bus,B1,2020-02-13,09:00,220524,,220581,梅河口,2020-02-13,,\n";
    for (int threads = 1; threads <= 2; threads++) {
        char tp[512], cp[512], rp[512];
        eg_screen_city city;
        eg_screen_params p = { 0, 14, &city };
        eg_import_opts o = tu_opts();
        eg_screen_files f = { 0 };
        eg_import_result res[4];
        eg_screen_results r;
        eg_screen_stats st;
        assert_int_equal(eg_screen_city_from_codes("2205", UNITS, 6, &city), EG_OK);
        assert_int_equal(eg_date_parse(AS_OF, &p.as_of), EG_OK);
        tu_write(tu_path(tp, sizeof tp, "thin.csv"), travel);
        tu_write(tu_path(cp, sizeof cp, "cases.csv"),
                 "date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n"
                 "2020-02-05,flight,ZH4751,,20A,深圳,长春,confirmed,test\n");
        tu_write(tu_path(rp, sizeof rp, "risk.csv"),
                 "code,level,valid_from,valid_to,name\n4201,high,2019-12-01,,武汉市\n");
        f.travel = tp;
        f.cases = cp;
        f.risk = rp;
        f.threads = threads;
        assert_int_equal(eg_screen_files_run(&p, &f, &o, res, &r, &st, NULL), EG_OK);
        assert_int_equal(res[0].rejected, 0);
        assert_int_equal(st.legs_kept, 13);
        assert_int_equal(st.persons, 5);
        assert_int_equal(r.n, 4);
        const char *id[4] = { "220502198501011232", "220502198602022344", "220524198905055678",
                              "310101198804044561" };
        const char *div[4] = { "3101", "2201", "220581", "2202" };
        const uint32_t leg[4] = { 3, 8, 12, 9 };
        for (size_t i = 0; i < 4; i++) {
            assert_string_equal(r.v[i].id_no, id[i]);
            assert_string_equal(r.v[i].division, div[i]);
            assert_int_equal(r.v[i].legs[0], leg[i]);
        }
        assert_int_equal(r.v[0].nlegs, 1); /* the touching arrival is both */
        assert_int_equal(r.v[2].measure, EG_MEASURE_CENTRAL_ISOLATION);
        assert_int_equal(r.v[2].kind, EG_SCREEN_ASSISTANCE);
        eg_screen_results_free(&r);
    }
}

/* A missing required column refuses the file; so does a first row that
 * is not UTF-8. */
static void refused_files(void **state)
{
    (void)state;
    eg_screen_results r;
    eg_import_result res[4];
    seen msgs = { 0 };
    assert_int_equal(screen_files("id_no,name,mode\n1,2,3\n", NULL, &r, res, &msgs), EG_ERR_MISSING_COLUMN);
    assert_int_equal(screen_files(HDR "22050219800101123\xff,x,,train,Z62,2020-02-05,,420100,,220502,,,,\n",
                                  NULL, &r, res, &msgs), EG_ERR_ENCODING);
    assert_int_equal(screen_files("", NULL, &r, res, &msgs), EG_ERR_PARSE);
}

/* Screen the big_*.csv files with `threads` threads and write the
 * results' CSV to out. */
static void screen_big_to_csv(int threads, const char *out, eg_import_result res[4])
{
    char tp[600], cp[600], rp[600], pp[600];
    eg_screen_city city;
    eg_screen_params p = { 0, 14, &city };
    eg_screen_files f = { tp, cp, rp, pp, threads };
    eg_import_opts o = tu_opts();
    eg_screen_results r;
    tu_path(tp, sizeof tp, "big_travel.csv");
    tu_path(cp, sizeof cp, "big_cases.csv");
    tu_path(rp, sizeof rp, "big_risk.csv");
    tu_path(pp, sizeof pp, "big_persons.csv");
    assert_int_equal(eg_screen_city_from_codes("2205", UNITS, 6, &city), EG_OK);
    assert_int_equal(eg_date_parse(AS_OF, &p.as_of), EG_OK);
    assert_int_equal(eg_screen_files_run(&p, &f, &o, res, &r, NULL, NULL), EG_OK);
    FILE *fo = fopen(out, "w");
    assert_non_null(fo);
    assert_int_equal(eg_screen_write_csv(fo, &r), EG_OK);
    fclose(fo);
    eg_screen_results_free(&r);
}

/* Enough people for every parallel part to be used (blocks of travel.csv
 * and persons.csv on several workers, the people walked in key ranges,
 * the CSV formatted in rounds): the output is the same byte for byte with
 * one thread, two and four. Also rows the fast path must hand over: a CR
 * or a tab at a field's edge, an ideographic space, a person registered
 * twice (the later row counts), legs of one person far apart in the file. */
static void same_output_any_threads(void **state)
{
    (void)state;
    enum { PEOPLE = 70000 };
    char tp[600], pp[600], cp[600], rp[600], o1[600], o2[600], o4[600];
    tu_path(tp, sizeof tp, "big_travel.csv");
    tu_path(pp, sizeof pp, "big_persons.csv");
    tu_path(cp, sizeof cp, "big_cases.csv");
    tu_path(rp, sizeof rp, "big_risk.csv");
    tu_write(cp, "date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n"
                 "2020-02-07,train,K7301,,,武汉,通化,confirmed,test\n");
    tu_write(rp, "code,level,valid_from,valid_to,name\n4201,high,2019-12-01,,武汉市\n");
    FILE *t = fopen(tp, "w"), *pf = fopen(pp, "w");
    assert_non_null(t);
    assert_non_null(pf);
    fputs(HDR, t);
    fputs("id_no,name,sex,birth_date,phone,address_code,address\n", pf);
    eg_date birth0;
    assert_int_equal(eg_date_parse("1950-01-01", &birth0), EG_OK);
    for (int i = 0; i < PEOPLE; i++) {
        char id[EG_IDNO_BUFSZ];
        assert_int_equal(eg_idno_make(i % 3 ? "220502" : "110101", birth0 + i / 1000, i % 1000, id),
                         EG_OK);
        int day = 1 + i % 13, to = i % 5 ? 220502 : 220100;
        /* most from Wuhan, some on the case train, some far from everything */
        if (i % 7 == 3)
            fprintf(t, "%s,乘%d,,train,K7301,2020-02-07,10:%02d,420100,武汉,%d,通化,,%d,\r\n",
                    id, i, i % 60, to, 1 + i % 16);
        else if (i % 11 == 5)
            fprintf(t, "%s,远%d,,bus,吉E%05d,2020-01-%02d,,220100,长春,220502,通化,,,\r\n", id, i, i,
                    10 + i % 10);
        else
            fprintf(t, "%s,旅%d,,flight,CZ%d,2020-02-%02d,07:%02d,420100,武汉,%d,通化,,,%dC\r\n", id, i,
                    3000 + i % 50, day, i % 60, to, 1 + i % 40);
        if (i % 4 == 0)
            fprintf(pf, "%s,登记%d,M,1950-01-01,,%s,\n", id, i, i % 8 ? "220503" : "220101001001");
        if (i % 1000 == 16) /* registered again, later in the file: this row counts */
            fprintf(pf, "%s,再登记%d,M,1950-01-01,,220521,\n", id, i);
        if (i % 997 == 1) /* the train home, far after the other legs */
            fprintf(t, "%s,旅%d,,train,D%d,2020-02-%02d,,220100,长春,220502,通化,,,\r\n",
                    id, i, 100 + i % 9, day);
        if (i == 500) { /* edges the fast path must leave to the full reader */
            fprintf(t, "%s,边\r,,train,Z1,2020-02-05,,420100,武汉,220502,通化,,,\r\n", id);
            fprintf(t, "%s,\t边,,train,Z1,2020-02-05,,420100,武汉,220502,通化,,,\r\n", id);
            fprintf(t, "%s,边\xE3\x80\x80,,train,Z1,2020-02-05,,420100,武汉,220502,通化,,,\r\n", id);
        }
    }
    fclose(t);
    fclose(pf);
    eg_import_result r1[4], r2[4], r4[4];
    screen_big_to_csv(1, tu_path(o1, sizeof o1, "big_out1.csv"), r1);
    screen_big_to_csv(2, tu_path(o2, sizeof o2, "big_out2.csv"), r2);
    screen_big_to_csv(4, tu_path(o4, sizeof o4, "big_out4.csv"), r4);
    char *a = tu_read(o1), *b = tu_read(o2), *c = tu_read(o4);
    assert_non_null(a);
    assert_true(strlen(a) > 40 * 65536);
    assert_string_equal(a, b);
    assert_string_equal(a, c);
    assert_int_equal(r1[0].rows, r2[0].rows);
    assert_int_equal(r1[0].rows, r4[0].rows);
    assert_int_equal(r1[3].imported, r4[3].imported);
    /* the person registered twice: the later row's division and name */
    char id[EG_IDNO_BUFSZ], want[256];
    assert_int_equal(eg_idno_make("220502", birth0 + 1016 / 1000, 16, id), EG_OK);
    snprintf(want, sizeof want, "\n%s,再登记1016,", id);
    assert_non_null(strstr(a, want));
    /* the row with a tab at the name's edge: trimmed by the full reader */
    assert_int_equal(eg_idno_make("220502", birth0, 500, id), EG_OK);
    snprintf(want, sizeof want, "\n%s,", id);
    assert_non_null(strstr(a, want));
    free(a);
    free(b);
    free(c);
}

/* A stray quote (in the middle of an unquoted field) ends its row as
 * eg_csv ends it, at the line's end: rows after it, in this block and in
 * the following ones, are read as they are, also the quoted fields that
 * span two lines; only the stray row is rejected. Over 4 MiB, so that the
 * file is cut into several blocks, with 1, 2 and 4 threads; and the same
 * for persons.csv (a later row of a person wins over a stray one). */
static void stray_quote_loses_nothing(void **state)
{
    (void)state;
    enum { PEOPLE = 40000 };
    char tp[600], pp[600], cp[600], rp[600], out[3][600];
    tu_write(tu_path(cp, sizeof cp, "sq_cases.csv"),
             "date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n");
    tu_write(tu_path(rp, sizeof rp, "sq_risk.csv"), "code,level,valid_from,valid_to,name\n4201,high,2019-12-01,,武汉市\n");
    FILE *t = fopen(tu_path(tp, sizeof tp, "sq_travel.csv"), "w"), *pf = fopen(tu_path(pp, sizeof pp, "sq_persons.csv"), "w");
    assert_non_null(t);
    assert_non_null(pf);
    fputs(HDR, t);
    fputs("id_no,name,sex,birth_date,phone,address_code,address\n", pf);
    eg_date birth0;
    assert_int_equal(eg_date_parse("1960-01-01", &birth0), EG_OK);
    for (int i = 0; i < PEOPLE; i++) {
        char id[EG_IDNO_BUFSZ];
        assert_int_equal(eg_idno_make("220502", birth0 + i / 900, i % 900, id), EG_OK);
        const char *name = i == 0 ? "a\"b" : i % 7 == 3 ? "\"多\n行\"" : "旅客";
        fprintf(t, "%s,%s,,flight,CZ%d,2020-02-05,07:%02d,420100,武汉,220502,通化,,,%dC\r\n", id, name,
                3000 + i % 50, i % 60, 1 + i % 40);
        fprintf(pf, "%s,登记,M,1960-01-01,,%s,\n", id, i == 5 ? "\"220503" : "220503");
        if (i == 5) /* the person's later row, good: it counts */
            fprintf(pf, "%s,再登记,M,1960-01-01,,220521,\n", id);
    }
    fclose(t);
    fclose(pf);
    char *text[3];
    for (int k = 0; k < 3; k++) {
        static const int threads[3] = { 1, 2, 4 };
        eg_screen_city city;
        eg_screen_params p = { 0, 14, &city };
        eg_screen_files f = { tp, cp, rp, pp, threads[k] };
        eg_import_opts o = tu_opts();
        eg_screen_results r;
        eg_import_result res[4];
        assert_int_equal(eg_screen_city_from_codes("2205", UNITS, 6, &city), EG_OK);
        assert_int_equal(eg_date_parse(AS_OF, &p.as_of), EG_OK);
        assert_int_equal(eg_screen_files_run(&p, &f, &o, res, &r, NULL, NULL), EG_OK);
        assert_true(r.n == PEOPLE - 1);  /* every person but the stray row's */
        assert_int_equal(res[0].rejected, 1);
        assert_int_equal(res[0].rows, PEOPLE);
        assert_int_equal(res[3].rejected, 1);
        FILE *fo = fopen(tu_path(out[k], sizeof out[k], k == 0 ? "sq_out1.csv" : k == 1 ? "sq_out2.csv" : "sq_out4.csv"), "w");
        assert_non_null(fo);
        assert_int_equal(eg_screen_write_csv(fo, &r), EG_OK);
        fclose(fo);
        eg_screen_results_free(&r);
        text[k] = tu_read(out[k]);
        assert_non_null(text[k]);
    }
    assert_true(strlen(text[0]) > 2000000);
    assert_string_equal(text[0], text[1]);
    assert_string_equal(text[0], text[2]);
    /* the person with the stray registry row: the later, good row */
    char id[EG_IDNO_BUFSZ], want[128];
    assert_int_equal(eg_idno_make("220502", birth0, 5, id), EG_OK);
    snprintf(want, sizeof want, "\n%s,再登记,home_quarantine,", id);
    assert_non_null(strstr(text[0], want));
    /* a name over two lines is read whole */
    assert_int_equal(eg_idno_make("220502", birth0, 3, id), EG_OK);
    snprintf(want, sizeof want, "\n%s,登记,", id);
    assert_non_null(strstr(text[0], want));
    for (int k = 0; k < 3; k++)
        free(text[k]);
}

/* A quote opened and never closed, then over 1 MiB of plain rows, then a
 * person's rows, one of them quoted (so both odd rows go to the full
 * reader): the open row is rejected alone ("unterminated quote", as the
 * importer says) and the person's rows are read as they are, in travel.csv
 * and in persons.csv. */
static void unterminated_quote_far_from_next_quoted_row(void **state)
{
    (void)state;
    enum { FILL = 14000 };
    char tp[512], pp[512];
    FILE *t = fopen(tu_path(tp, sizeof tp, "travel.csv"), "w"), *pf = fopen(tu_path(pp, sizeof pp, "persons.csv"), "w");
    assert_non_null(t);
    assert_non_null(pf);
    fputs(HDR "220503197506036668,A,1,train,D1898,2020-02-04,06:50,220502,x,410100,y,2020-02-04,8,\"03F\n", t);
    fputs("id_no,name,sex,birth_date,phone,address_code,address\n"
          "220503197506036668,A,F,1975-06-03,\"1,220503001003,\n", pf);
    for (int i = 0; i < FILL; i++) {
        fprintf(t, "220503197506036668,A,1,train,D%d,2020-02-04,06:50,220502,x,410100,y,2020-02-04,8,03F\n", i);
        fputs("220503197506036668,A,F,1975-06-03,13800000000,220503001003,吉林省通化市东昌区某街道某社区\n", pf);
    }
    fputs("110101195506234163,B,\"1\",train,T956,2020-02-04,16:50,220582,x,420100,y,2020-02-05,3,13F\n"
          "110101195506234163,B,1,train,D2117,2020-02-05,10:25,210200,x,220582,y,2020-02-05,7,16F\n", t);
    fputs("110101195506234163,B,F,1955-06-23,\"13800000000\",220521100200,\n", pf);
    fclose(t);
    fclose(pf);
    eg_screen_results r;
    eg_import_result res[4];
    seen msgs = { 0 };
    assert_int_equal(screen_written(1, &r, res, &msgs), EG_OK);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].id_no, "110101195506234163");
    assert_int_equal(r.v[0].measure, EG_MEASURE_HOME_QUARANTINE);
    assert_string_equal(r.v[0].division, "220521100200");
    assert_int_equal(msgs.n, 2);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(msgs.line[i], 2);
        assert_string_equal(msgs.reason[i], "unterminated quote");
    }
    eg_screen_results_free(&r);
}

/* Bytes that are not UTF-8, and NUL bytes, in a later row of travel.csv
 * (in a field the screening does not read too) and of a registered
 * person: each such row is rejected, with the message the importers give
 * for a row after the first ("invalid UTF-8 at byte N of the field"), and
 * the person's good row counts. */
static void bad_bytes_in_later_rows(void **state)
{
    (void)state;
    static const char travel[] =
        HDR "220502198001011236,甲,,flight,CZ3001,2020-02-05,07:00,420100,武汉,220502,通化,,,12C\r\n"
            "110101199003074514,乙,,flight,CZ3001,2020-02-05,07:00,420100,武\xff汉,220502,通化,,,13C\r\n"
            "220502198501011232,丙,139\0,flight,CZ3001,2020-02-05,07:00,420100,武汉,220502,通化,,,14C\r\n"
            "220502198602022344,丁\0,,flight,CZ3001,2020-02-05,07:00,420100,武汉,220502,通化,,,15C\r\n";
    static const char persons[] = "id_no,name,sex,birth_date,phone,address_code,address\n"
                                  "220502198001011236,甲,M,1980-01-01,,220503,\n"
                                  "220502198001011236,甲\0,M,1980-01-01,,220521,\n";
    char path[512];
    eg_screen_results r;
    eg_import_result res[4];
    seen msgs = { 0 };
    write_bytes(path, sizeof path, "travel.csv", travel, sizeof travel - 1);
    write_bytes(path, sizeof path, "persons.csv", persons, sizeof persons - 1);
    assert_int_equal(screen_written(1, &r, res, &msgs), EG_OK);
    assert_int_equal(r.n, 1);
    assert_string_equal(r.v[0].id_no, "220502198001011236");
    assert_string_equal(r.v[0].division, "220503"); /* the good registry row */
    assert_int_equal(res[0].rejected, 3);
    assert_int_equal(res[3].rejected, 1);
    assert_int_equal(msgs.n, 4);
    static const unsigned long lines[4] = { 3, 4, 5, 3 };
    static const char *const cols[4] = { "from_name", "phone", "name", "name" };
    for (int i = 0; i < 4; i++) {
        assert_int_equal(msgs.line[i], lines[i]);
        assert_string_equal(msgs.column[i], cols[i]);
        assert_non_null(strstr(msgs.reason[i], "invalid UTF-8 at byte"));
    }
    eg_screen_results_free(&r);
}

/* 1 if a program is on the PATH. */
static int have(const char *prog)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", prog);
    return system(cmd) == 0;
}

/* Generate the small feed once (python3); NULL when it cannot be made. */
static const char *feed_dir(void)
{
    static char dir[512];
    static int done;
    if (done)
        return dir[0] ? dir : NULL;
    done = 1;
    if (!have("python3") || !have("sqlite3"))
        return NULL;
    snprintf(dir, sizeof dir, "%s/screen_feed_20000_5", EG_TEST_TMPDIR);
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "test -s %s/travel.csv || python3 %s/bench/gen_feed.py --travellers 20000 "
             "--seed 5 --as-of 2020-02-13 --out %s >/dev/null", dir, EG_SHARED_DIR, dir);
    if (system(cmd) != 0)
        dir[0] = 0;
    return dir[0] ? dir : NULL;
}

/* Sorted `id_no,measure,start,end` lines of the reference SQL into path. */
static void reference(const char *dir, const char *path)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "sh %s/bench/reference/run_reference.sh %s 2020-02-13 | tr -d '\\r' | sort > %s",
             EG_SHARED_DIR, dir, path);
    assert_int_equal(system(cmd), 0);
}

/* The engine agrees with the reference SQL on a generated feed. */
static void agrees_with_reference_sql(void **state)
{
    (void)state;
    const char *dir = feed_dir();
    if (!dir) {
        print_message("python3 or sqlite3 missing: reference comparison skipped\n");
        skip();
    }
    char ref[512], mine[512], tp[600], cp[600], rp[600], pp[600];
    reference(dir, tu_path(ref, sizeof ref, "ref.csv"));
    snprintf(tp, sizeof tp, "%s/travel.csv", dir);
    snprintf(cp, sizeof cp, "%s/case_trips.csv", dir);
    snprintf(rp, sizeof rp, "%s/risk_areas.csv", dir);
    snprintf(pp, sizeof pp, "%s/persons.csv", dir);
    eg_screen_city city;
    eg_screen_params p = { 0, 14, &city };
    eg_screen_files f = { tp, cp, rp, pp, 0 };
    eg_import_opts o = tu_opts();
    eg_import_result res[4];
    eg_screen_results r;
    assert_int_equal(eg_screen_city_from_codes("2205", UNITS, 6, &city), EG_OK);
    assert_int_equal(eg_date_parse(AS_OF, &p.as_of), EG_OK);
    /* the same with one thread and with three: identical results */
    eg_screen_results r1, r3;
    f.threads = 1;
    assert_int_equal(eg_screen_files_run(&p, &f, &o, res, &r1, NULL, NULL), EG_OK);
    f.threads = 3;
    assert_int_equal(eg_screen_files_run(&p, &f, &o, res, &r3, NULL, NULL), EG_OK);
    assert_int_equal(r1.n, r3.n);
    for (size_t i = 0; i < r1.n; i++) {
        assert_string_equal(r1.v[i].id_no, r3.v[i].id_no);
        assert_string_equal(r1.v[i].name, r3.v[i].name);
        assert_string_equal(r1.v[i].division, r3.v[i].division);
        assert_int_equal(r1.v[i].start, r3.v[i].start);
        assert_int_equal(r1.v[i].nlegs, r3.v[i].nlegs);
        assert_memory_equal(r1.v[i].legs, r3.v[i].legs, r1.v[i].nlegs * sizeof(uint32_t));
    }
    eg_screen_results_free(&r1);
    eg_screen_results_free(&r3);
    f.threads = 0;
    assert_int_equal(eg_screen_files_run(&p, &f, &o, res, &r, NULL, NULL), EG_OK);
    assert_int_equal(res[0].rejected, 0);
    assert_true(r.n > 1000);
    FILE *out = fopen(tu_path(mine, sizeof mine, "mine.csv"), "w");
    assert_non_null(out);
    for (size_t i = 0; i < r.n; i++) {
        char s[EG_DATE_BUFSZ], e[EG_DATE_BUFSZ];
        fprintf(out, "%s,%s,%s,%s\n", r.v[i].id_no, eg_measure_name(r.v[i].measure),
                eg_date_format(r.v[i].start, s), eg_date_format(r.v[i].end, e));
    }
    fclose(out);
    eg_screen_results_free(&r);
    char *a = tu_read(ref), *b = tu_read(mine);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(strlen(a) > 0);
    assert_string_equal(a, b); /* both sorted by id_no */
    free(a);
    free(b);
}

/* `epigrid screen` in batch mode, end to end, against the reference. */
/* Run epigrid with args: it exits with `status` and says `text`. */
static void run_expect(const char *args, int status, const char *text)
{
    char log[512];
    assert_int_equal(tu_run(args, tu_path(log, sizeof log, "run_expect.txt")), status);
    char *msg = tu_read(log);
    assert_non_null(msg);
    assert_non_null(strstr(msg, text));
    free(msg);
}

static void cli_end_to_end(void **state)
{
    (void)state;
    char out[512], log[512], ref[512], mine[512], args[4096];
    const char *dir = feed_dir();
    if (tu_run("screen --help", tu_path(log, sizeof log, "help.txt")) != 0) {
        print_message("`epigrid screen` is not in the command table yet: skipped\n");
        skip();
    }
    char *help = tu_read(log);
    assert_non_null(strstr(help, "--travel FILE"));
    free(help);
    if (!dir) {
        print_message("python3 or sqlite3 missing: skipped\n");
        skip();
    }
    snprintf(args, sizeof args, "screen --travel %s/travel.csv --cases %s/case_trips.csv --risk "
             "%s/risk_areas.csv --persons %s/persons.csv --as-of 2020-02-13 --city 220500 --out %s",
             dir, dir, dir, dir, tu_path(out, sizeof out, "cli_out.csv"));
    assert_int_equal(tu_run(args, log), 0);
    reference(dir, tu_path(ref, sizeof ref, "ref2.csv"));
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "tail -n +2 %s | cut -d, -f1,3,4,5 | sort > %s", out,
             tu_path(mine, sizeof mine, "cli_mine.csv"));
    assert_int_equal(system(cmd), 0);
    char *a = tu_read(ref), *b = tu_read(mine);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* a rejected row: results still written, exit status 65, rejects file */
    char tp[512], cp[512], rp[512];
    tu_write(tu_path(tp, sizeof tp, "cli_travel.csv"), HDR
             "220502198001011236,甲,,train,Z62,2020-02-05,08:00,420100,武汉,220502,通化,,,\n"
             "220502198001011236,甲,,train,Z62,05/02/2020,08:00,420100,武汉,220502,通化,,,\n");
    tu_write(tu_path(cp, sizeof cp, "cli_cases.csv"), "date,mode,trip_no,car,seat,from_name,to_name,case_status,source\n");
    tu_write(tu_path(rp, sizeof rp, "cli_risk.csv"), "code,level,valid_from,valid_to,name\n42,high,2020-01-01,,湖北\n");
    snprintf(args, sizeof args, "screen --travel %s --cases %s --risk %s --as-of 2020-02-13 --out %s",
             tp, cp, rp, out);
    assert_int_equal(tu_run(args, log), 65);
    char *msg = tu_read(log);
    assert_non_null(strstr(msg, "cli_travel.csv:3: dep_date:"));
    free(msg);
    char *res = tu_read(out);
    assert_non_null(strstr(res, "220502198001011236,甲,home_quarantine,2020-02-05,2020-02-19,order,R1,220502,leg:2\n"));
    free(res);
    snprintf(cmd, sizeof cmd, "%s.rejects.csv", out);
    assert_int_equal(access(cmd, R_OK), 0);
    /* the results replace the file whole: no temporary file is left
     * beside it, and its mode is an ordinary file's */
    snprintf(cmd, sizeof cmd, "ls %s.tmp-* 2>/dev/null | grep -q .", out);
    assert_int_not_equal(system(cmd), 0);
    struct stat sb;
    mode_t mask = umask(0);
    umask(mask);
    assert_int_equal(stat(out, &sb), 0);
    assert_int_equal(sb.st_mode & 0666, 0666 & ~mask);
    /* a folder that cannot be written: status 70, nothing made */
    snprintf(args, sizeof args, "screen --travel %s --cases %s --risk %s --as-of 2020-02-13 --out "
             "%s/no-such-folder/out.csv", tp, cp, rp, EG_TEST_TMPDIR);
    run_expect(args, 70, "cannot write the results");
    /* a rejects file that cannot be written: the rows were rejected and
     * their report lost, status 70, not 65 */
    snprintf(args, sizeof args, "screen --travel %s --cases %s --risk %s --as-of 2020-02-13 --out %s "
             "--rejects %s/no-such-folder/r.csv", tp, cp, rp, out, EG_TEST_TMPDIR);
    run_expect(args, 70, "cannot write the rejects file");
    /* an output over an input is refused before anything is written; a
     * folder for an input is named as such */
    snprintf(args, sizeof args, "screen --travel %s --cases %s --risk %s --as-of 2020-02-13 --out %s",
             tp, cp, rp, tp);
    run_expect(args, 64, "is the file of --travel");
    char *still = tu_read(tp);
    assert_non_null(strstr(still, "05/02/2020")); /* the input as it was */
    free(still);
    snprintf(args, sizeof args, "screen --travel %s --cases %s --risk %s --as-of 2020-02-13 --out %s",
             EG_TEST_TMPDIR, cp, rp, out);
    run_expect(args, 66, "a folder, not a file");
    /* usage errors */
    assert_int_equal(tu_run("screen --travel x.csv", log), 64);
    snprintf(args, sizeof args, "screen --travel %s --cases %s --risk %s --as-of 2020-02-13 --city 9999 --out %s",
             tp, cp, rp, out);
    assert_int_equal(tu_run(args, log), 64);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(messy_rows),
        cmocka_unit_test(latest_leg_of_thinned_runs),
        cmocka_unit_test(refused_files),
        cmocka_unit_test(same_output_any_threads),
        cmocka_unit_test(stray_quote_loses_nothing),
        cmocka_unit_test(bad_bytes_in_later_rows),
        cmocka_unit_test(unterminated_quote_far_from_next_quoted_row),
        cmocka_unit_test(agrees_with_reference_sql),
        cmocka_unit_test(cli_end_to_end),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
