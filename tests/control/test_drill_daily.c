/*
 * tests/control/test_drill_daily.c: the daily runs of the drill (main job,
 * step 5) and the control commands of the CLI. The drill's releases on
 * three consecutive days are checked against a count made independently
 * from the database (read through the store's operations): orders of an
 * observation measure whose planned end is that day and that did not
 * become a case.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "epigrid/store.h"
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

/* Set *ctx to 1 when the event made the order a case or exposed it
 * (eg_ctl_event_fn). */
static eg_err became_case(void *ctx, const eg_ctl_event *e)
{
    if (strcmp(e->action, "suspect") == 0 || strcmp(e->action, "expose") == 0 || strcmp(e->action, "confirm") == 0)
        *(int *)ctx = 1;
    return EG_OK;
}

/* What count_due counts: the store and the day, and the count. */
typedef struct due_count {
    eg_store *s;
    eg_date day;
    long n;
} due_count;

/* Count an order of an observation measure ending on the day that never
 * became a case (eg_ctl_order_fn). */
static eg_err count_if_due(void *ctx, const eg_ctl_order *o)
{
    due_count *c = ctx;
    int was_case = 0;
    if (o->end_date != c->day || (strcmp(o->measure, "home_quarantine") != 0 &&
                                  strcmp(o->measure, "central_isolation") != 0 &&
                                  strcmp(o->measure, "post_discharge_observation") != 0))
        return EG_OK;
    assert_int_equal(eg_store_ctl_event_each(c->s, o->id, became_case, &was_case), EG_OK);
    c->n += !was_case;
    return EG_OK;
}

/* An independent count of the orders due on `day`. */
static long count_due(eg_store *s, const char *day)
{
    due_count c = { .s = s };
    assert_int_equal(eg_date_parse(day, &c.day), EG_OK);
    assert_int_equal(eg_store_ctl_order_each(s, NULL, count_if_due, &c), EG_OK);
    return c.n;
}

static void drill_releases_three_days(void **state)
{
    (void)state;
    char db[512], out[512], args[1200];
    eg_store *h = NULL;
    tu_path(db, sizeof db, "drill-daily.db");
    tu_path(out, sizeof out, "drill-daily.out");
    snprintf(args, sizeof args, "--db %s drill run --no-serve --size 30000 --seed 2", db);
    assert_int_equal(tu_run(args, out), 0);
    char *text = tu_read(out);
    assert_non_null(text);
    assert_non_null(strstr(text, "step 5: control measures"));
    assert_int_equal(eg_store_open(db, 0, &h, NULL), EG_OK);
    static const char *const DAYS[] = { "2020-02-05", "2020-02-06", "2020-02-07" };
    for (int i = 0; i < 3; i++) {
        long want = count_due(h, DAYS[i]);
        assert_true(want > 0);
        assert_int_equal(drill_released(text, DAYS[i]), want);
    }
    eg_store_close(h);
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
