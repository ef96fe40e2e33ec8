/*
 * tests/control/test_drill_daily.c: the daily runs of the drill (main job,
 * step 5) and the control commands of the CLI. The drill's releases on
 * three consecutive days are checked against a count made independently
 * from the database: orders of an observation measure whose planned end is
 * that day and that did not become a case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <sqlite3.h>
#include "testutil.h"

/* The drill's `released N` of day `day` from its output. */
static long drill_released(const char *out, const char *day)
{
    char key[32];
    const char *line, *r;
    snprintf(key, sizeof key, "  %s: ", day);
    line = strstr(out, key);
    assert_non_null(line);
    r = strstr(line, "released ");
    assert_non_null(r);
    return atol(r + 9);
}

/* An independent count of the orders due on `day`. */
static long count_due(sqlite3 *db, const char *day)
{
    sqlite3_stmt *st;
    long n = -1;
    assert_int_equal(sqlite3_prepare_v2(db,
        "SELECT count(*) FROM control_order o WHERE end_date = ?1"
        " AND measure IN ('home_quarantine','central_isolation','post_discharge_observation')"
        " AND NOT EXISTS (SELECT 1 FROM order_event e WHERE e.order_id = o.order_id"
        "  AND e.action IN ('suspect','expose','confirm'))", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, day, -1, SQLITE_STATIC);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

static void drill_releases_three_days(void **state)
{
    (void)state;
    char db[512], out[512], args[1200];
    sqlite3 *h;
    tu_path(db, sizeof db, "drill-daily.db");
    tu_path(out, sizeof out, "drill-daily.out");
    snprintf(args, sizeof args, "--db %s drill run --no-serve --size 30000 --seed 2", db);
    assert_int_equal(tu_run(args, out), 0);
    char *text = tu_read(out);
    assert_non_null(text);
    assert_non_null(strstr(text, "step 5: control measures"));
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    static const char *const DAYS[] = { "2020-02-05", "2020-02-06", "2020-02-07" };
    for (int i = 0; i < 3; i++) {
        long want = count_due(h, DAYS[i]);
        assert_true(want > 0);
        assert_int_equal(drill_released(text, DAYS[i]), want);
    }
    sqlite3_close(h);
    free(text);
}

/* The commands: help, import of readings and tests, refusals, daily. */
static void cli_commands(void **state)
{
    (void)state;
    char db[512], out[512], csv[512], args[2048];
    const char *const CMDS[] = { "control", "test", "team", "reading", "alert", "task", "daily", NULL };
    for (const char *const *c = CMDS; *c; c++) {
        snprintf(args, sizeof args, "%s --help", *c);
        assert_int_equal(tu_run(args, NULL), 0);
    }
    tu_path(db, sizeof db, "ctl-cli.db");
    tu_path(out, sizeof out, "ctl-cli.out");
    remove(db);
    snprintf(args, sizeof args, "--db %s init", db);
    assert_int_equal(tu_run(args, NULL), 0);
    /* a person without the registry: open with a division */
    snprintf(args, sizeof args, "--db %s --now '2020-02-01 10:00' control open --id-no 220502198005050112 "
             "--measure home_quarantine --juris 220502001001 --name 李四", db);
    assert_int_equal(tu_run(args, out), 0);
    tu_path(csv, sizeof csv, "readings.csv");
    tu_write(csv, "id_no,taken_at,temperature_c,symptoms,source\n"
                  "220502198005050112,2020-02-01 11:00,36.6,,team\n"
                  "220502198005050112,2020-02-01 12:00,33.0,,team\n"
                  "220502198005050112,2020-02-09 12:00,36.6,,team\n"
                  "220502198005050112,2020-02-01 15:00,38.1,dry_cough,self\n");
    snprintf(args, sizeof args, "--db %s --now '2020-02-01 20:00' import readings %s --rejects %s.rej", db, csv, csv);
    assert_int_equal(tu_run(args, out), 65);
    char *text = tu_read(out);
    assert_non_null(strstr(text, "4 rows, 2 imported"));
    assert_non_null(strstr(text, "outside 34.0-43.0"));
    assert_non_null(strstr(text, "future"));
    free(text);
    tu_write(csv, "id_no,sampled_at,method,result\n220502198005050112,2020-02-01 09:00,rt_pcr,negative\n"
                  "110101199001011234,2020-02-01 09:00,rt_pcr,negative\n");
    snprintf(args, sizeof args, "--db %s --now '2020-02-01 20:00' import tests %s --rejects %s.rej", db, csv, csv);
    assert_int_equal(tu_run(args, out), 65);
    snprintf(args, sizeof args, "--db %s --now '2020-02-01 21:00' control exclude 220502198005050112", db);
    assert_int_equal(tu_run(args, out), 65);
    snprintf(args, sizeof args, "--db %s --now '2020-02-01 21:00' --format csv alert list --kind fever", db);
    assert_int_equal(tu_run(args, out), 0);
    text = tu_read(out);
    assert_non_null(strstr(text, "220502********0112"));   /* masked */
    free(text);
    snprintf(args, sizeof args, "--db %s --now '2020-02-02 13:00' --format json daily --date 2020-02-02", db);
    assert_int_equal(tu_run(args, out), 0);
    text = tu_read(out);
    assert_non_null(strstr(text, "\"alerts_open\""));
    free(text);
    snprintf(args, sizeof args, "--db %s --now '2020-02-02 13:00' daily --date 2020-02-03", db);
    assert_int_equal(tu_run(args, out), 65);
    snprintf(args, sizeof args, "--db %s --now '2020-02-02 13:00' control show 220502198005050112", db);
    assert_int_equal(tu_run(args, out), 0);
    snprintf(args, sizeof args, "--db %s --now '2020-02-02 13:00' control notice 220502198005050112", db);
    assert_int_equal(tu_run(args, out), 0);
    text = tu_read(out);
    assert_non_null(strstr(text, "居家隔离医学观察通知书"));
    /* --out: the same notice in a file, written whole under a temporary
     * name and renamed; none left behind; an order that does not exist
     * leaves the file that was there as it was */
    char path[600], cmd[1400];
    tu_path(path, sizeof path, "notice.html");
    snprintf(args, sizeof args, "--db %s --now '2020-02-02 13:00' control notice 220502198005050112 --out %s",
             db, path);
    assert_int_equal(tu_run(args, out), 0);
    char *file = tu_read(path);
    assert_non_null(file);
    assert_string_equal(file, text);
    free(file);
    snprintf(args, sizeof args, "--db %s --now '2020-02-02 13:00' control notice 110101190001010000 --out %s",
             db, path);
    assert_int_not_equal(tu_run(args, out), 0);
    file = tu_read(path);
    assert_string_equal(file, text);
    free(file);
    snprintf(cmd, sizeof cmd, "ls %s.tmp-* 2>/dev/null | grep -q .", path);
    assert_int_not_equal(system(cmd), 0);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(cli_commands),
        cmocka_unit_test(drill_releases_three_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
