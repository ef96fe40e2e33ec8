/*
 * tests/cli/test_cli.c: the `epigrid` program as a user runs it: exit
 * codes (sysexits), rejects files, output formats, the clock, audited
 * person lookups, and the drill generator's determinism.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <jansson.h>
#include "epigrid/idno.h"
#include "epigrid/store.h"
#include "testutil.h"

static char DB[512], OUT[512];

/* Run `epigrid --db DB ARGS`, output to OUT. */
static int run(const char *args)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "--db %s --now '2020-02-01 09:00' %s", DB, args);
    return tu_run(cmd, OUT);
}

static int setup(void **state)
{
    char side[600];
    (void)state;
    tu_path(DB, sizeof DB, "cli.db");
    tu_path(OUT, sizeof OUT, "cli.out");
    unlink(DB);
    snprintf(side, sizeof side, "%s-wal", DB);
    unlink(side);
    assert_int_equal(run("init"), 0);
    return 0;
}

static void usage_and_help(void **state)
{
    (void)state;
    assert_int_equal(run("frobnicate"), 64);
    assert_int_equal(run("import"), 64);
    assert_int_equal(run("import travel-plans x.csv"), 64);
    assert_int_equal(run("--help"), 0);
    for (const char *const *c = (const char *const[]){ "init", "import", "juris", "person", "drill", NULL }; *c; c++) {
        char a[64];
        snprintf(a, sizeof a, "%s --help", *c);
        assert_int_equal(run(a), 0);
        char *o = tu_read(OUT);
        assert_non_null(strstr(o, "usage: epigrid"));
        free(o);
    }
    assert_int_equal(tu_run("--now 3.2.2020 init", OUT), 64);
}

static void import_exit_codes_and_rejects(void **state)
{
    (void)state;
    char csv[512], rej[512], args[1200];
    tu_path(csv, sizeof csv, "cli_persons.csv");
    tu_path(rej, sizeof rej, "cli_persons.rejects.csv");
    unlink(rej);
    tu_write(csv, "id_no,name,sex,birth_date,phone,address_code,address\n"
                  "220502199001010019,好人,M,,,220502001001,\n"
                  "220502199001010018,错校验,,,,220502,\n");
    snprintf(args, sizeof args, "import persons %s --rejects %s", csv, rej);
    assert_int_equal(run(args), 65);
    char *o = tu_read(OUT), *r = tu_read(rej);
    assert_non_null(strstr(o, "cli_persons.csv:3: id_no:"));
    assert_non_null(strstr(o, "2 rows, 1 imported"));
    assert_non_null(r);
    assert_non_null(strstr(r, "3,id_no,error,"));
    assert_non_null(strstr(r, "220502199001010018"));
    free(o);
    free(r);
    /* a missing file */
    assert_int_equal(run("import persons /nonexistent/persons.csv"), 66);
    /* a missing required column refuses the file */
    tu_write(csv, "id_no,name\n220502199001010027,某人\n");
    snprintf(args, sizeof args, "import persons %s", csv);
    assert_int_equal(run(args), 65);
    o = tu_read(OUT);
    assert_non_null(strstr(o, "nothing was imported"));
    free(o);
}

static void juris_show_formats(void **state)
{
    (void)state;
    json_error_t je;
    assert_int_equal(run("juris show 220500000000 --format csv"), 0);
    char *o = tu_read(OUT);
    assert_true(strncmp(o, "code,name,level,parent_code,", 28) == 0);
    assert_non_null(strstr(o, ",persons,"));
    assert_non_null(strstr(o, "\n2205,通化市,city,,"));
    assert_non_null(strstr(o, "\n220502,东昌区,county,2205,"));
    assert_null(strstr(o, "梅河口"));
    free(o);
    assert_int_equal(run("juris show 2205 --depth 0 --format json"), 0);
    o = tu_read(OUT);
    json_t *doc = json_loads(o, 0, &je);
    assert_non_null(doc);
    assert_int_equal(json_array_size(doc), 1);
    json_t *city = json_array_get(doc, 0);
    assert_int_equal(json_integer_value(json_object_get(city, "townships")), 83);
    assert_int_equal(json_integer_value(json_object_get(city, "villages")), 685);
    assert_int_equal(json_integer_value(json_object_get(city, "communities")), 148);
    json_decref(doc);
    free(o);
    assert_int_equal(run("juris show 4201"), 66);
}

static eg_err count_audit(void *ctx, const eg_audit_rec *r)
{
    char buf[EG_TIME_BUFSZ];
    assert_true(strncmp(r->actor, "os:", 3) == 0);
    assert_string_equal(eg_time_format(r->at, buf), "2020-02-01 09:00");
    (*(int *)ctx)++;
    return EG_OK;
}

static void person_show_audited(void **state)
{
    (void)state;
    eg_store *s;
    int n = 0;
    assert_int_equal(run("person show 220502199001010019 --masked --format csv"), 0);
    char *o = tu_read(OUT);
    assert_non_null(strstr(o, "220502********0019"));
    free(o);
    assert_int_equal(run("person show 220502199001010019 --format csv"), 0);
    o = tu_read(OUT);
    assert_non_null(strstr(o, "220502199001010019,resident_id,好人,M,1990-01-01"));
    free(o);
    assert_int_equal(run("person show 110105194912310021"), 66);
    assert_int_equal(eg_store_open(DB, 0, &s, NULL), EG_OK);
    assert_int_equal(eg_store_audit_each(s, 0, 0, count_audit, &n), EG_OK);
    assert_int_equal(n, 1);
    eg_store_close(s);
}

static void drill_generate_deterministic(void **state)
{
    (void)state;
    char a[512], b[512], c[512], args[1200], path[1100];
    tu_path(a, sizeof a, "drillA");
    tu_path(b, sizeof b, "drillB");
    tu_path(c, sizeof c, "drillC");
    snprintf(args, sizeof args, "drill generate --seed 3 --size 3000 --out %s", a);
    assert_int_equal(run(args), 0);
    snprintf(args, sizeof args, "drill generate --seed 3 --size 3000 --out %s", b);
    assert_int_equal(run(args), 0);
    snprintf(args, sizeof args, "drill generate --seed 4 --size 3000 --out %s", c);
    assert_int_equal(run(args), 0);
    static const char *const FILES[] = { "grids.csv", "staff.csv", "persons.csv" };
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", a, FILES[i]);
        char *x = tu_read(path);
        snprintf(path, sizeof path, "%s/%s", b, FILES[i]);
        char *y = tu_read(path);
        snprintf(path, sizeof path, "%s/%s", c, FILES[i]);
        char *z = tu_read(path);
        assert_non_null(x);
        assert_string_equal(x, y);
        if (i > 0)
            assert_string_not_equal(x, z);
        free(x);
        free(y);
        free(z);
    }
    /* every identity number valid, unique (the file is sorted by number) */
    snprintf(path, sizeof path, "%s/persons.csv", a);
    FILE *f = fopen(path, "r");
    char line[1024], prev[32] = "";
    int n = 0;
    eg_date today;
    eg_date_from_ymd(2020, 2, 1, &today);
    assert_non_null(fgets(line, sizeof line, f));
    while (fgets(line, sizeof line, f)) {
        char id[32];
        eg_idno_info info;
        snprintf(id, sizeof id, "%.18s", line);
        assert_int_equal(eg_idno_check(id, today, &info, NULL, NULL), EG_OK);
        assert_true(strcmp(prev, id) < 0);
        strcpy(prev, id);
        n++;
    }
    fclose(f);
    assert_int_equal(n, 3000);
    /* drill data never goes into a database with a real registry */
    snprintf(args, sizeof args, "drill generate --seed 3 --size 3000 --out %s --load", a);
    assert_int_equal(run(args), 64);
    /* into a new database it loads, marked synthetic, persons in grids */
    char db2[512], cmd[2048];
    tu_path(db2, sizeof db2, "cli-drill.db");
    unlink(db2);
    snprintf(cmd, sizeof cmd, "--db %s --now '2020-02-01 09:00' init", db2);
    assert_int_equal(tu_run(cmd, OUT), 0);
    snprintf(cmd, sizeof cmd, "--db %s --now '2020-02-01 09:00' %s", db2, args);
    assert_int_equal(tu_run(cmd, OUT), 0);
    snprintf(cmd, sizeof cmd, "--db %s juris show 2205 --depth 0 --format json", db2);
    assert_int_equal(tu_run(cmd, OUT), 0);
    char *o = tu_read(OUT);
    json_error_t je;
    json_t *doc = json_loads(o, 0, &je);
    assert_non_null(doc);
    json_t *city = json_array_get(doc, 0);
    assert_int_equal(json_integer_value(json_object_get(city, "persons")), 3000);
    assert_int_equal(json_integer_value(json_object_get(city, "persons_direct")), 0);
    assert_true(json_integer_value(json_object_get(city, "grids")) > 2000);
    json_decref(doc);
    free(o);
}

/* A kill -9 in the middle of an import leaves all of the file or none. */
static void kill_leaves_nothing_half_imported(void **state)
{
    (void)state;
    char db3[512], dir[512], cmd[4096];
    tu_path(db3, sizeof db3, "cli-kill.db");
    tu_path(dir, sizeof dir, "cli-kill-data");
    snprintf(cmd, sizeof cmd, "rm -rf %s %s*; %s --db %s init >/dev/null 2>&1 && "
             "%s --db %s drill generate --seed 5 --size 60000 --out %s >/dev/null 2>&1",
             dir, db3, EG_EPIGRID_BIN, db3, EG_EPIGRID_BIN, db3, dir);
    assert_int_equal(system(cmd), 0);
    for (int delay_ms = 50; delay_ms <= 400; delay_ms *= 2) {
        snprintf(cmd, sizeof cmd, "%s --db %s import persons %s/persons.csv >/dev/null 2>&1 & "
                 "pid=$!; sleep %d.%03d; kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; true",
                 EG_EPIGRID_BIN, db3, dir, delay_ms / 1000, delay_ms % 1000);
        assert_int_equal(system(cmd), 0);
        /* the store opens and reads (the file's own integrity after a kill
         * is the SQLite backend's test: tests/store/test_sqlite.c) */
        eg_store *h = NULL;
        long n = -1;
        assert_int_equal(eg_store_open(db3, 0, &h, NULL), EG_OK);
        assert_int_equal(eg_store_person_count(h, &n), EG_OK);
        eg_store_close(h);
        assert_true(n == 0 || n == 60000);
        if (n == 60000)
            break;   /* the import won the race: the file is in whole */
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(usage_and_help),
        cmocka_unit_test(import_exit_codes_and_rejects),
        cmocka_unit_test(juris_show_formats),
        cmocka_unit_test(person_show_audited),
        cmocka_unit_test(drill_generate_deterministic),
        cmocka_unit_test(kill_leaves_nothing_half_imported),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
