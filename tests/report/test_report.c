/*
 * tests/report/test_report.c: the daily report (issue 6): the roll-up
 * equality (every counter = the sum over the children + the direct part)
 * at every level of the drill's data, in the JSON shape of spec/api.md;
 * the counters against the orders and stays themselves; the CSV and JSON
 * forms carrying the same numbers; a stored version unchanged by a later
 * correction while the new version shows it; live reports; the registry
 * of sections; a stored version without a section reads "not reported";
 * the facility section's standby and alert rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <jansson.h>
#include "epigrid/checkpoint.h"
#include "epigrid/report.h"
#include "testutil.h"

#define T tu_time

#define D tu_date

/* The index of the counter named `name` (fails the test when unknown). */
static int IX(const char *name)
{
    int i = eg_report_counter_index(name);
    if (i < 0)
        fail_msg("no counter %s", name);
    return i;
}

/* The integer at dotted path `path` of obj. */
static long at_path(json_t *obj, const char *path)
{
    char key[96];
    const char *dot;
    while ((dot = strchr(path, '.')) != NULL) {
        snprintf(key, sizeof key, "%.*s", (int)(dot - path), path);
        obj = json_object_get(obj, key);
        assert_non_null(obj);
        path = dot + 1;
    }
    obj = json_object_get(obj, path);
    assert_true(json_is_integer(obj));
    return (long)json_integer_value(obj);
}

/* Check the equality in the JSON document of one node. */
static void check_node_json(const eg_report *r, const eg_juris_node *n)
{
    char *text = NULL;
    json_error_t err;
    assert_int_equal(eg_report_json(r, n, 0, &text), EG_OK);
    json_t *doc = json_loads(text, 0, &err), *kids;
    assert_non_null(doc);
    assert_string_equal(json_string_value(json_object_get(json_object_get(doc, "juris"), "code")), n->code);
    kids = json_object_get(doc, "children");
    assert_int_equal(json_array_size(kids), n->nchildren);
    for (int i = 0; i < r->ncounters; i++) {
        const char *name = eg_report_counter_name(i);
        long sum = at_path(json_object_get(doc, "direct"), name);
        for (size_t k = 0; k < json_array_size(kids); k++)
            sum += at_path(json_array_get(kids, k), name);
        if (sum != at_path(doc, name))
            fail_msg("%s %s: %ld != children + direct %ld", n->code, name, at_path(doc, name), sum);
    }
    json_decref(doc);
    free(text);
}

/* Counting callbacks for the independent checks. */
static eg_err count_order(void *ctx, const eg_ctl_order *o)
{
    (void)o;
    (*(long *)ctx)++;
    return EG_OK;
}

static eg_err count_stay(void *ctx, const eg_admission *a)
{
    long *n = ctx;
    n[strcmp(a->kind, "isolation_site") == 0 ? 0 : strcmp(a->kind, "fever_clinic") == 0 ? 1 : 2]++;
    return EG_OK;
}

static void test_rollup_drill(void **state)
{
    (void)state;
    char db[512], out[512], args[4096];
    eg_store *s = NULL;
    eg_juris *j = NULL;
    eg_report *r = NULL, *live = NULL;
    tu_path(db, sizeof db, "report-drill.db");
    tu_path(out, sizeof out, "report-drill.out");
    snprintf(args, sizeof args, "rm -rf %s %s-wal %s-shm %s.data", db, db, db, db);
    assert_int_equal(system(args), 0);
    snprintf(args, sizeof args, "--db %s drill run --no-serve --size 8000 --seed 3", db);
    assert_int_equal(tu_run(args, out), 0);
    char *text = tu_read(out);
    assert_non_null(text);
    assert_non_null(strstr(text, "step 6: report: the city's daily report"));
    assert_non_null(strstr(text, "2020-02-13: checkpoints"));
    free(text);
    assert_int_equal(eg_store_open(db, 0, &s, NULL), EG_OK);
    assert_int_equal(eg_juris_load(s, &j), EG_OK);
    const eg_juris_node *city = eg_juris_find(j, "2205");
    assert_non_null(city);
    for (eg_date day = D("2020-02-01"); day <= D("2020-02-13"); day++) {
        assert_int_equal(eg_report_load(s, j, day, 1, &r, NULL), EG_OK);   /* stored by the drill's daily run */
        assert_int_equal(r->version, 1);
        assert_int_equal(r->live, 0);
        /* every level: every node of the tree, in the JSON shape */
        for (size_t i = 0; i < j->n; i++) {
            const eg_juris_node *n = &j->nodes[i];
            if (day == D("2020-02-13") || n->level <= EG_LEVEL_COUNTY)
                check_node_json(r, n);
        }
        eg_report_free(r);
        r = NULL;
    }
    /* the counters against the rows themselves (the store as at the last day's end) */
    assert_int_equal(eg_report_load(s, j, D("2020-02-13"), 0, &r, NULL), EG_OK);
    const long *c = eg_report_total(r, city);
    long suspected = 0, stays[3] = { 0 };
    eg_ctl_filter flt = { .juris = "2205", .state = "active", .kind = "suspected" };
    assert_int_equal(eg_store_ctl_order_each(s, &flt, count_order, &suspected), EG_OK);
    assert_int_equal(c[IX("cases.suspected.current")], suspected);
    assert_int_equal(eg_store_admission_each(s, NULL, 1, count_stay, stays), EG_OK);
    assert_int_equal(c[IX("facilities.isolation_site.occupied")], stays[0]);
    assert_int_equal(c[IX("facilities.fever_clinic.occupied")], stays[1]);
    assert_int_equal(c[IX("facilities.designated_hospital.occupied")], stays[2]);
    /* the drill's facilities: 28 isolation sites, fever clinics 10 x (5+5), hospitals 10 x (20+10) */
    assert_int_equal(c[IX("facilities.fever_clinic.in_use")] + c[IX("facilities.fever_clinic.standby")], 100);
    assert_int_equal(c[IX("facilities.designated_hospital.in_use")] +
                     c[IX("facilities.designated_hospital.standby")], 300);
    assert_true(c[IX("checkpoints.checks")] > 10000);
    /* computed live now, the same numbers as the stored version 1 */
    assert_int_equal(eg_report_compute(s, j, D("2020-02-13"), T("2020-02-13 23:59"), &live, NULL), EG_OK);
    assert_int_equal(live->live, 1);
    for (size_t i = 0; i < j->n; i++)
        assert_memory_equal(eg_report_total(live, &j->nodes[i]), eg_report_total(r, &j->nodes[i]),
                            sizeof *r->total * (size_t)r->ncounters);
    eg_report_free(live);
    /* the CSV and JSON forms of the program carry the same numbers */
    snprintf(args, sizeof args, "--db %s --now '2020-02-13 23:59' report daily --date 2020-02-13 --format csv", db);
    assert_int_equal(tu_run(args, out), 0);
    text = tu_read(out);
    assert_non_null(text);
    char *line = strstr(text, "\ntotal,2205,");
    assert_non_null(line);
    line = strchr(line + 1, ',');
    for (int k = 0; k < 3; k++)
        line = strchr(line + 1, ',');   /* past part, juris, name, level */
    for (int i = 0; i < r->ncounters; i++) {
        assert_int_equal(strtol(line + 1, &line, 10), c[i]);
    }
    free(text);
    snprintf(args, sizeof args, "--db %s --now '2020-02-13 23:59' report daily --date 2020-02-13 --juris 2205 "
             "--format json", db);
    assert_int_equal(tu_run(args, out), 0);
    text = tu_read(out);
    json_error_t err;
    json_t *doc = json_loads(text, 0, &err);
    assert_non_null(doc);
    assert_int_equal(json_integer_value(json_object_get(doc, "version")), 1);
    assert_true(json_is_false(json_object_get(doc, "live")));
    assert_string_equal(json_string_value(json_object_get(doc, "generated_at")), "2020-02-13 23:59");
    for (int i = 0; i < r->ncounters; i++)
        assert_int_equal(at_path(doc, eg_report_counter_name(i)), c[i]);
    json_decref(doc);
    free(text);
    eg_report_free(r);
    eg_juris_free(j);
    eg_store_close(s);
}

/* Versions: callback collecting them. */
typedef struct vers { int n; eg_report_version v[8]; } vers;
static eg_err keep_version(void *ctx, const eg_report_version *v)
{
    vers *l = ctx;
    if (l->n < 8)
        l->v[l->n++] = *v;
    return EG_OK;
}

static void test_versions(void **state)
{
    (void)state;
    eg_store *s = tu_store_new("report-versions.db");
    eg_juris *j = NULL;
    eg_report *r = NULL;
    eg_control_params cp;
    eg_facility_params fp;
    eg_report_run run;
    char path[512];
    eg_import_result res;
    eg_import_opts o = tu_opts();
    int version = 0;
    vers l = { 0 };
    eg_diag d;
    tu_load_bundled_tree(s);
    assert_int_equal(eg_juris_load(s, &j), EG_OK);
    eg_control_params_default(&cp);
    eg_facility_params_default(&fp);
    tu_write(tu_path(path, sizeof path, "rv-checkpoints.csv"),
             "checkpoint_id,name,kind,juris_code,max_checks_per_hour\nCP-1,卡口（测试）,road,220521100,500\n");
    assert_int_equal(eg_checkpoint_import(s, j, path, &o, &res, NULL), EG_OK);
    const eg_juris_node *city = eg_juris_find(j, "2205"), *county = eg_juris_find(j, "220521");
    assert_int_equal(eg_checkpoint_log(s, "CP-1", T("2020-02-05 09:00"), 120, 1, T("2020-02-05 10:00"), NULL, NULL),
                     EG_OK);
    /* no stored version: computed live */
    assert_int_equal(eg_report_get(s, j, D("2020-02-05"), 0, T("2020-02-05 12:00"), &r, NULL), EG_OK);
    assert_int_equal(r->live, 1);
    assert_int_equal(r->generated_at, T("2020-02-05 12:00"));
    assert_int_equal(eg_report_total(r, county)[IX("checkpoints.checks")], 120);
    eg_report_free(r);
    /* the future is refused */
    assert_int_equal(eg_report_compute(s, j, D("2020-02-06"), T("2020-02-05 12:00"), &r, NULL), EG_ERR_RANGE);
    /* the daily run stores version 1, once */
    assert_int_equal(eg_report_daily_run(s, j, &cp, &fp, D("2020-02-05"), T("2020-02-05 23:59"), "test", &run, NULL),
                     EG_OK);
    assert_int_equal(run.stored, 1);
    assert_int_equal(run.version, 1);
    assert_int_equal(eg_report_daily_run(s, j, &cp, &fp, D("2020-02-05"), T("2020-02-05 23:59"), "test", &run, NULL),
                     EG_OK);
    assert_int_equal(run.stored, 0);
    assert_int_equal(run.version, 1);
    /* a late log of that day, then a correction */
    assert_int_equal(eg_checkpoint_log(s, "CP-1", T("2020-02-05 10:00"), 80, 0, T("2020-02-06 09:00"), NULL, NULL),
                     EG_OK);
    eg_diag_clear(&d);
    assert_int_equal(eg_report_correct(s, j, D("2020-02-05"), "", "test", T("2020-02-06 09:30"), &version, &d),
                     EG_ERR_INVALID);
    assert_int_equal(eg_report_correct(s, j, D("2020-02-05"), "late log of CP-1 10:00", "test", T("2020-02-06 09:30"),
                                       &version, NULL), EG_OK);
    assert_int_equal(version, 2);
    /* version 1 unchanged; version 2 and the latest show the correction */
    assert_int_equal(eg_report_load(s, j, D("2020-02-05"), 1, &r, NULL), EG_OK);
    assert_int_equal(eg_report_total(r, city)[IX("checkpoints.checks")], 120);
    assert_int_equal(eg_report_direct(r, eg_juris_find(j, "220521100"))[IX("checkpoints.checks")], 120);
    assert_int_equal(r->generated_at, T("2020-02-05 23:59"));
    eg_report_free(r);
    assert_int_equal(eg_report_load(s, j, D("2020-02-05"), 2, &r, NULL), EG_OK);
    assert_int_equal(eg_report_total(r, city)[IX("checkpoints.checks")], 200);
    eg_report_free(r);
    assert_int_equal(eg_report_get(s, j, D("2020-02-05"), 0, T("2020-02-06 10:00"), &r, NULL), EG_OK);
    assert_int_equal(r->version, 2);
    assert_int_equal(r->live, 0);
    eg_report_free(r);
    assert_int_equal(eg_report_versions(s, D("2020-02-05"), keep_version, &l), EG_OK);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.v[0].reason, "daily run");
    assert_string_equal(l.v[1].reason, "late log of CP-1 10:00");
    assert_int_equal(l.v[1].stored_at, T("2020-02-06 09:30"));
    /* a version that does not exist */
    eg_diag_clear(&d);
    assert_int_equal(eg_report_load(s, j, D("2020-02-05"), 3, &r, &d), EG_ERR_NOT_FOUND);
    assert_non_null(strstr(d.reason, "no version 3"));
    eg_juris_free(j);
    eg_store_close(s);
}

/* The facility section's rules as the report applies them: standby places
 * count as in use once opened (as at a moment before the opening they are
 * still standby); the module's alerts are open until resolved and overdue
 * past due. */
static void test_facility_rules(void **state)
{
    (void)state;
    eg_store *s = tu_store_new("report-rules.db");
    eg_juris *j = NULL;
    eg_report *r = NULL;
    eg_facility f;
    eg_fac_alert a;
    int created = 0;
    tu_load_bundled_tree(s);
    assert_int_equal(eg_juris_load(s, &j), EG_OK);
    const eg_juris_node *town = eg_juris_find(j, "220521100");
    memset(&f, 0, sizeof f);
    snprintf(f.facility_id, sizeof f.facility_id, "ISO-T");
    snprintf(f.name, sizeof f.name, "test site");
    snprintf(f.kind, sizeof f.kind, "isolation_site");
    snprintf(f.juris_code, sizeof f.juris_code, "220521100");
    f.places_in_use = 10;
    f.places_standby = 5;
    f.created_at = T("2020-02-01 08:00");
    assert_int_equal(eg_store_facility_put(s, &f, &created), EG_OK);
    assert_int_equal(created, 1);
    assert_int_equal(eg_store_facility_open_standby(s, "ISO-T", T("2020-02-05 12:00")), EG_OK);
    for (int k = 0; k < 2; k++) {
        memset(&a, 0, sizeof a);
        snprintf(a.kind, sizeof a.kind, "standby_threshold");
        snprintf(a.juris_code, sizeof a.juris_code, "220521100");
        snprintf(a.state, sizeof a.state, "open");
        snprintf(a.dedup, sizeof a.dedup, "test:%d", k);
        a.created_at = T("2020-02-05 09:00");
        a.due_at = k ? T("2020-02-06 09:00") : T("2020-02-05 10:00");
        assert_int_equal(eg_store_fac_alert_add(s, &a, NULL), EG_OK);
    }
    /* before the opening: standby apart */
    assert_int_equal(eg_report_compute(s, j, D("2020-02-04"), T("2020-02-06 09:30"), &r, NULL), EG_OK);
    const long *c = eg_report_direct(r, town);
    assert_int_equal(c[IX("facilities.isolation_site.in_use")], 10);
    assert_int_equal(c[IX("facilities.isolation_site.standby")], 5);
    assert_int_equal(c[IX("facilities.isolation_site.free")], 10);
    assert_int_equal(c[IX("alerts.open")], 0);
    eg_report_free(r);
    /* after it: in use; one alert past due of two */
    assert_int_equal(eg_report_compute(s, j, D("2020-02-05"), T("2020-02-06 09:30"), &r, NULL), EG_OK);
    c = eg_report_direct(r, town);
    assert_int_equal(c[IX("facilities.isolation_site.in_use")], 15);
    assert_int_equal(c[IX("facilities.isolation_site.standby")], 0);
    assert_int_equal(c[IX("facilities.isolation_site.free")], 15);
    assert_int_equal(c[IX("alerts.open")], 2);
    assert_int_equal(c[IX("alerts.overdue")], 1);
    eg_report_free(r);
    eg_juris_free(j);
    eg_store_close(s);
}

/* The registry: every section's counters named under the section, once;
 * the report's counters are the sections' in order. */
static void test_registry(void **state)
{
    (void)state;
    int nsec, base = 0;
    const eg_report_section *const *sec = eg_report_sections(&nsec);
    assert_true(nsec >= 7);
    for (int k = 0; k < nsec; base += sec[k]->ncounters, k++) {
        size_t len = strlen(sec[k]->name);
        assert_true(sec[k]->ncounters > 0);
        for (int i = 0; i < sec[k]->ncounters; i++) {
            const char *name = sec[k]->counters[i];
            assert_true(strncmp(name, sec[k]->name, len) == 0 && name[len] == '.');
            assert_string_equal(eg_report_counter_name(base + i), name);
            assert_int_equal(eg_report_counter_index(name), base + i);
        }
    }
    assert_int_equal(base, eg_report_ncounters());
    assert_null(eg_report_counter_name(base));
    assert_int_equal(eg_report_counter_index("no.such.counter"), -1);
    /* spec/api.md's order */
    assert_string_equal(sec[0]->name, "measures");
    assert_string_equal(eg_report_counter_name(0), "measures.home_quarantine.current");
}

/* A stored version produced without a section (here: facilities, as by an
 * older program): the section reads "not reported" in JSON (null), the
 * table and CSV, never zeros; the sections it has keep their numbers. */
static void test_not_reported(void **state)
{
    (void)state;
    char db[512], out[512], args[1024];
    eg_store *s = tu_store_new("report-old.db");
    eg_juris *j = NULL;
    eg_report *r = NULL;
    eg_report_version v;
    json_t *body = json_object(), *names = json_array(), *nodes = json_object(), *row = json_array();
    int n = eg_report_ncounters(), fac = IX("facilities.isolation_site.in_use");
    tu_load_bundled_tree(s);
    assert_int_equal(eg_juris_load(s, &j), EG_OK);
    for (int i = 0; i < n; i++) {
        const char *name = eg_report_counter_name(i);
        if (strncmp(name, "facilities.", 11) == 0)
            continue;
        json_array_append_new(names, json_string(name));
        json_array_append_new(row, json_integer(i == IX("checkpoints.checks") ? 7 : 0));
    }
    json_object_set_new(nodes, "220521100", row);
    json_object_set_new(body, "format", json_string("epigrid-daily-report/1"));
    json_object_set_new(body, "date", json_string("2020-02-05"));
    json_object_set_new(body, "generated_at", json_string("2020-02-05 23:59"));
    json_object_set_new(body, "counters", names);
    json_object_set_new(body, "nodes", nodes);
    char *text = json_dumps(body, JSON_COMPACT);
    json_decref(body);
    memset(&v, 0, sizeof v);
    v.date = D("2020-02-05");
    v.version = 1;
    v.generated_at = T("2020-02-05 23:59");
    v.stored_at = v.generated_at;
    snprintf(v.actor, sizeof v.actor, "old program");
    snprintf(v.reason, sizeof v.reason, "daily run");
    assert_int_equal(eg_store_report_put(s, &v, text), EG_OK);
    free(text);
    /* the library: flagged, not zeros; what it has is read */
    const eg_juris_node *city = eg_juris_find(j, "2205");
    assert_int_equal(eg_report_load(s, j, D("2020-02-05"), 1, &r, NULL), EG_OK);
    assert_int_equal(r->reported[fac], 0);
    assert_int_equal(r->reported[IX("checkpoints.checks")], 1);
    assert_int_equal(eg_report_total(r, city)[IX("checkpoints.checks")], 7);
    /* JSON: the section is null, at the node, its direct part and its children */
    assert_int_equal(eg_report_json(r, city, 0, &text), EG_OK);
    json_error_t err;
    json_t *doc = json_loads(text, 0, &err);
    assert_non_null(doc);
    assert_true(json_is_null(json_object_get(doc, "facilities")));
    assert_true(json_is_null(json_object_get(json_object_get(doc, "direct"), "facilities")));
    assert_true(json_is_null(json_object_get(json_array_get(json_object_get(doc, "children"), 0), "facilities")));
    assert_int_equal(at_path(doc, "checkpoints.checks"), 7);
    assert_int_equal(at_path(doc, "measures.home_quarantine.current"), 0);
    json_decref(doc);
    free(text);
    eg_report_free(r);
    eg_juris_free(j);
    eg_store_close(s);
    /* the table and CSV: a clear marker */
    tu_path(db, sizeof db, "report-old.db");
    tu_path(out, sizeof out, "report-old.out");
    for (int k = 0; k < 2; k++) {
        snprintf(args, sizeof args, "--db %s --now '2020-02-06 09:00' report daily --date 2020-02-05 --format %s", db,
                 k ? "csv" : "table");
        assert_int_equal(tu_run(args, out), 0);
        text = tu_read(out);
        assert_non_null(text);
        char *line = strstr(text, "facilities.isolation_site.in_use");
        assert_non_null(line);
        if (k == 0) {
            assert_non_null(strstr(line, "not reported"));
            assert_true(strstr(line, "not reported") < strchr(line, '\n'));
        } else {
            assert_non_null(strstr(text, "\ntotal,2205,"));
            assert_non_null(strstr(strstr(text, "\ntotal,2205,"), ",not reported"));
        }
        free(text);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_not_reported),
        cmocka_unit_test(test_facility_rules),
        cmocka_unit_test(test_versions),
        cmocka_unit_test(test_rollup_drill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
