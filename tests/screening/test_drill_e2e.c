/*
 * tests/screening/test_drill_e2e.c: a feed made by `epigrid drill
 * generate`, screened both ways (the streaming batch mode over the files,
 * and `epigrid screen` over a database the drill was loaded into) and
 * compared with the reference SQL of ../shared/bench/reference run in the
 * sqlite3 command line (an oracle over the CSV files, not the store): the
 * same persons, measures, starts and ends. The database is read back
 * through the store's operations.
 *
 * The reference SQL assumes no codeshares, so its copy of case_trips.csv
 * has one row per partner number (ZH4751/CA8215 becomes two rows), which
 * is what "a leg on any partner matches" means.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <cmocka.h>
#include "epigrid/csv.h"
#include "epigrid/store.h"
#include "epigrid/control.h"
#include "testutil.h"

static char DIR_[512], DB[512], DB2[512], OUT[512];

/* Run a shell command; return its exit status. */
static int sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Copy case_trips.csv with codeshare numbers on rows of their own. */
static void expand_codeshares(const char *in, const char *out)
{
    eg_csv *csv = NULL;
    FILE *f = fopen(out, "w");
    assert_non_null(f);
    assert_int_equal(eg_csv_open(in, &csv, NULL), EG_OK);
    size_t nc = eg_csv_ncols(csv), trip;
    assert_int_equal(eg_csv_find(csv, "trip_no", &trip, NULL), EG_OK);
    for (size_t i = 0; i < nc; i++) {
        eg_csv_write_field(f, eg_csv_header(csv, i));
        fputc(i + 1 < nc ? ',' : '\n', f);
    }
    while (eg_csv_next(csv, NULL) == EG_OK) {
        char nos[256], *save = NULL;
        snprintf(nos, sizeof nos, "%s", eg_csv_field(csv, trip));
        for (char *no = strtok_r(nos, "/", &save); no; no = strtok_r(NULL, "/", &save))
            for (size_t i = 0; i < nc; i++) {
                eg_csv_write_field(f, i == trip ? no : eg_csv_field(csv, i));
                fputc(i + 1 < nc ? ',' : '\n', f);
            }
    }
    eg_csv_close(csv);
    assert_int_equal(fclose(f), 0);
}

/* Count orders (eg_ctl_order_fn). */
static eg_err count_order(void *ctx, const eg_ctl_order *o)
{
    (void)o;
    (*(long *)ctx)++;
    return EG_OK;
}

/* Write "id_no,measure,start,end" of a request (eg_request_fn). */
static eg_err put_request(void *ctx, const eg_request_rec *r)
{
    char d1[EG_DATE_BUFSZ], d2[EG_DATE_BUFSZ];
    fprintf(ctx, "%s,%s,%s,%s\n", r->id_no, r->measure, eg_date_format(r->start_date, d1),
            eg_date_format(r->end_date, d2));
    return EG_OK;
}

/* Lines `id_no,measure,start,end` of what the database holds for each
 * person of `ref` (sorted by id_no): the order, else the assistance
 * request attached to the city (2205), read through the store; and the
 * store holds nothing else (as many orders and requests as lines). */
static void db_rows(const char *db, const char *ref, const char *out)
{
    eg_store *s = NULL;
    char line[256], d1[EG_DATE_BUFSZ], d2[EG_DATE_BUFSZ];
    long lines = 0, orders = 0, requests = 0;
    FILE *in = fopen(ref, "r"), *f = fopen(out, "w");
    assert_non_null(in);
    assert_non_null(f);
    assert_int_equal(eg_store_open(db, 0, &s, NULL), EG_OK);
    while (fgets(line, sizeof line, in)) {
        eg_ctl_order o;
        char *comma = strchr(line, ',');
        assert_non_null(comma);
        *comma = 0;
        lines++;
        if (eg_store_ctl_order_get(s, line, eg_control_running(), &o) == EG_OK)
            fprintf(f, "%s,%s,%s,%s\n", o.id_no, o.measure, eg_date_format(o.start_date, d1),
                    eg_date_format(o.end_date, d2));
        else
            assert_int_equal(eg_store_request_get(s, line, "2205", put_request, f), EG_OK);
    }
    assert_int_equal(eg_store_ctl_order_each(s, NULL, count_order, &orders), EG_OK);
    assert_int_equal(eg_store_request_count(s, -1, &requests), EG_OK);
    assert_int_equal(orders + requests, lines);
    eg_store_close(s);
    fclose(in);
    fclose(f);
}

static void drill_feed_three_ways(void **state)
{
    (void)state;
    char shared[600];
    snprintf(shared, sizeof shared, "%s/bench/reference/run_reference.sh", EG_SHARED_DIR);
    if (sh("command -v sqlite3 >/dev/null") != 0)
        fail_msg("the sqlite3 command line is missing (scripts/bootstrap installs it)");
    tu_path(DIR_, sizeof DIR_, "e2e");
    tu_path(DB, sizeof DB, "e2e.db");
    tu_path(DB2, sizeof DB2, "e2e-load.db");
    tu_path(OUT, sizeof OUT, "e2e.out");
    sh("rm -rf %s %s* %s*", DIR_, DB, DB2);
    mkdir(DIR_, 0755);
    /* the feed */
    assert_int_equal(sh("%s --db %s init >%s 2>&1", EG_EPIGRID_BIN, DB, OUT), 0);
    assert_int_equal(sh("%s --db %s drill generate --seed 2 --size 5000 --travellers 5000 "
                        "--as-of 2020-01-31 --out %s/feed >%s 2>&1", EG_EPIGRID_BIN, DB, DIR_, OUT), 0);
    /* 1. the reference SQL */
    char in[700], ref[700];
    snprintf(in, sizeof in, "%s/feed/case_trips.csv", DIR_);
    snprintf(ref, sizeof ref, "%s/ref", DIR_);
    mkdir(ref, 0755);
    snprintf(ref, sizeof ref, "%s/ref/case_trips.csv", DIR_);
    expand_codeshares(in, ref);
    assert_int_equal(sh("cp %s/feed/travel.csv %s/feed/risk_areas.csv %s/ref/", DIR_, DIR_, DIR_), 0);
    assert_int_equal(sh("sh %s %s/ref 2020-01-31 | tr -d '\\r' | sort > %s/ref.csv", shared, DIR_, DIR_), 0);
    /* 2. the batch mode over the drill's own files */
    assert_int_equal(sh("%s screen --travel %s/feed/travel.csv --cases %s/feed/case_trips.csv "
                        "--risk %s/feed/risk_areas.csv --persons %s/feed/persons.csv --as-of 2020-01-31 "
                        "--out %s/batch.csv --quiet >%s 2>&1", EG_EPIGRID_BIN, DIR_, DIR_, DIR_, DIR_, DIR_, OUT), 0);
    assert_int_equal(sh("tail -n +2 %s/batch.csv | cut -d, -f1,3,4,5 | sort > %s/batch4.csv", DIR_, DIR_), 0);
    /* 3. over a database the same drill was loaded into */
    assert_int_equal(sh("%s --db %s init >%s 2>&1 && %s --db %s drill generate --seed 2 --size 5000 "
                        "--travellers 5000 --as-of 2020-01-31 --out %s/load --load >>%s 2>&1",
                        EG_EPIGRID_BIN, DB2, OUT, EG_EPIGRID_BIN, DB2, DIR_, OUT), 0);
    assert_int_equal(sh("%s --db %s screen --as-of 2020-01-31 --format csv >%s 2>&1", EG_EPIGRID_BIN, DB2, OUT), 0);
    char dbout[700], refcsv[700];
    snprintf(dbout, sizeof dbout, "%s/db4.csv", DIR_);
    snprintf(refcsv, sizeof refcsv, "%s/ref.csv", DIR_);
    db_rows(DB2, refcsv, dbout);
    /* all three agree, and the feed found people on real case trips */
    assert_int_equal(sh("cmp -s %s/ref.csv %s/batch4.csv", DIR_, DIR_), 0);
    assert_int_equal(sh("cmp -s %s/ref.csv %s/db4.csv", DIR_, DIR_), 0);
    assert_int_equal(sh("test $(grep -c central_isolation %s/ref.csv) -gt 50", DIR_), 0);
    assert_int_equal(sh("test $(grep -c home_quarantine %s/ref.csv) -gt 100", DIR_), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(drill_feed_three_ways),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
