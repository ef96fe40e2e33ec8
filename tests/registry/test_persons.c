/*
 * tests/registry/test_persons.c: persons.csv: every rejection reason of
 * the identity number, warnings where the number wins, deduplication that
 * keeps the person's id, placement in the deepest node, audited lookups.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "epigrid/juris.h"
#include "epigrid/registry.h"
#include "testutil.h"

typedef struct msgs {
    char text[64][300];
    int warn[64];
    int n;
} msgs;

static void keep_msg(void *ctx, const eg_diag *d, int is_warning)
{
    msgs *m = ctx;
    if (m->n < 64) {
        eg_diag_format(d, m->text[m->n], sizeof m->text[0]);
        m->warn[m->n++] = is_warning;
    }
}

/* 1 if some message (warning or not) contains both fragments. */
static int has_msg(const msgs *m, int warn, const char *a, const char *b)
{
    for (int i = 0; i < m->n; i++)
        if (m->warn[i] == warn && strstr(m->text[i], a) && (!b || strstr(m->text[i], b)))
            return 1;
    return 0;
}

typedef struct fixture {
    eg_store *s;
    eg_normalizer *n;
    eg_juris *j;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->s = tu_store_new("persons.db");
    tu_load_bundled_tree(f->s);
    assert_int_equal(eg_normalizer_new(&f->n), EG_OK);
    assert_int_equal(eg_juris_load(f->s, &f->j), EG_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    eg_juris_free(f->j);
    eg_normalizer_free(f->n);
    eg_store_close(f->s);
    free(f);
    return 0;
}

/* Import `csv` text; return the result and the messages. */
static eg_err import_text(fixture *f, const char *name, const char *csv, eg_import_result *res, msgs *m)
{
    char path[512];
    eg_import_opts o = tu_opts();
    o.report = keep_msg;
    o.report_ctx = m;
    tu_path(path, sizeof path, name);
    tu_write(path, csv);
    return eg_registry_import(f->s, f->n, f->j, path, &o, res, NULL);
}

#define HDR "id_no,name,sex,birth_date,phone,address_code,address,doc_type\n"

static void rejection_reasons(void **state)
{
    fixture *f = *state;
    eg_import_result res;
    msgs m = { 0 };
    assert_int_equal(import_text(f, "bad.csv", HDR
        "220502199001010019,好人,M,1990-01-01,13800001234,220502001001,东岭,\n"  /* 2 ok */
        "220502199001010018,错校验,,,,220502,,\n"                                /* 3 check */
        "2.20502E+17,浮点,,,,220502,,\n"                                         /* 4 float */
        "220502900101001,一代,,,,220502,,\n"                                     /* 5 15-digit */
        "220502202501010013,未来,,,,220502,,\n"                                  /* 6 future (clock 2020) */
        "220502199002300012,无日,,,,220502,,\n"                                  /* 7 Feb 30 */
        "22050219900101A019,字母,,,,220502,,\n"                                  /* 8 letter */
        ",无号,,,,220502,,\n"                                                    /* 9 missing */
        "220502199001010027,无址,,,,,,\n"                                        /* 10 missing address */
        "220502199001010035,外地,,,,420100,,\n"                                  /* 11 not in tree */
        "220502199001010043,坏日,,3.2.2020,,220502,,\n"                          /* 12 date form */
        "220502199001010051,坏性别,男,,,220502,,\n"                               /* 13 sex */
        "E12345678,护照,F,,,220502,,passport\n"                                  /* 14 ok, no checksum */
        "E1234,证件,F,,,220502,,driving_licence\n"                               /* 15 doc type */
        "22050219900101006x,小写,,,,220502001001-9,,\n",                          /* 16 ok, x; grid unknown → village */
        &res, &m), EG_OK);
    assert_int_equal(res.rows, 15);
    assert_int_equal(res.imported, 3);
    assert_int_equal(res.rejected, 12);
    assert_true(has_msg(&m, 0, ":3: id_no:", "check"));
    assert_true(has_msg(&m, 0, ":3: id_no:", "expected 9"));
    assert_true(has_msg(&m, 0, ":4: id_no:", "spreadsheet"));
    assert_true(has_msg(&m, 0, ":5: id_no:", "15-digit"));
    assert_true(has_msg(&m, 0, ":6: id_no:", "future"));
    assert_true(has_msg(&m, 0, ":7: id_no:", "birth"));
    assert_true(has_msg(&m, 0, ":8: id_no:", NULL));
    assert_true(has_msg(&m, 0, ":9: id_no:", "missing"));
    assert_true(has_msg(&m, 0, ":10: address_code:", "missing"));
    assert_true(has_msg(&m, 0, ":11: address_code:", "420100"));
    assert_true(has_msg(&m, 0, ":12: birth_date:", "3.2.2020"));
    assert_true(has_msg(&m, 0, ":13: sex:", NULL));
    assert_true(has_msg(&m, 0, ":15: doc_type:", NULL));
}

typedef struct got {
    char pid[32], name[64], sex[4], juris[EG_CODE_BUFSZ], id[EG_DOCNO_BUFSZ];
    eg_date birth;
} got;

static eg_err keep_person(void *ctx, const eg_person_rec *r)
{
    got *g = ctx;
    snprintf(g->pid, sizeof g->pid, "%s", r->pid);
    snprintf(g->name, sizeof g->name, "%s", r->name);
    snprintf(g->sex, sizeof g->sex, "%s", r->sex);
    snprintf(g->juris, sizeof g->juris, "%s", r->juris_code);
    snprintf(g->id, sizeof g->id, "%s", r->id_no);
    g->birth = r->birth_date;
    return EG_OK;
}

static void number_wins_and_placement(void **state)
{
    fixture *f = *state;
    eg_import_result res;
    msgs m = { 0 };
    got g = { 0 };
    char buf[EG_DATE_BUFSZ];
    assert_int_equal(import_text(f, "warn.csv", HDR
        "22050219900101006x,小写,M,1990-01-02,,220502001001-9,,\n", &res, &m), EG_OK);
    assert_int_equal(res.imported, 1);
    assert_int_equal(res.warnings, 3);
    assert_true(has_msg(&m, 1, ":2: address_code:", "placed on 220502001001"));
    assert_true(has_msg(&m, 1, ":2: sex:", "number wins"));
    assert_true(has_msg(&m, 1, ":2: birth_date:", "number wins"));
    /* stored as X, sex and birth from the number, placed in the village */
    assert_int_equal(eg_store_person_get(f->s, "22050219900101006X", keep_person, &g), EG_OK);
    assert_string_equal(g.sex, "F");
    assert_string_equal(eg_date_format(g.birth, buf), "1990-01-01");
    assert_string_equal(g.juris, "220502001001");
}

static void dedup_keeps_identity(void **state)
{
    fixture *f = *state;
    eg_import_result res;
    msgs m = { 0 };
    got a = { 0 }, b = { 0 };
    long n = 0;
    assert_int_equal(import_text(f, "first.csv", HDR
        "220502199001010019,张三,M,,13800001234,220502001001,东岭,\n", &res, &m), EG_OK);
    assert_int_equal(eg_store_person_get(f->s, "220502199001010019", keep_person, &a), EG_OK);
    /* the same person again, Traditional name and a new phone, same file twice */
    assert_int_equal(import_text(f, "second.csv", HDR
        "220502199001010019,張三,M,,13900005678,220502001001,东岭,\n"
        " 220502199001010019 ,張三,M,,13900005678,220502001001,东岭,\n", &res, &m), EG_OK);
    assert_int_equal(res.imported, 2);
    assert_int_equal(res.updated, 2);
    assert_true(has_msg(&m, 1, ":2: name:", "张三"));
    assert_true(has_msg(&m, 1, ":2: phone:", "13900005678"));
    assert_int_equal(eg_store_person_get(f->s, "220502199001010019", keep_person, &b), EG_OK);
    assert_string_equal(a.pid, b.pid);
    assert_string_equal(b.name, "張三");
    /* a later row that leaves the phone empty keeps the stored one; full-width digits */
    m.n = 0;
    assert_int_equal(import_text(f, "third.csv", HDR
        "２２０５０２１９９００１０１００１９,張三,M,,,220502001001,东岭,\n", &res, &m), EG_OK);
    assert_int_equal(res.imported, 1);
    assert_false(has_msg(&m, 1, "phone:", NULL));
    assert_int_equal(eg_store_person_count(f->s, &n), EG_OK);
    assert_int_equal(n, 1);
}

static eg_err count_audit(void *ctx, const eg_audit_rec *r)
{
    got *g = ctx;
    assert_string_equal(r->actor, "os:tester");
    assert_string_equal(r->person_pid, g->pid);
    g->birth++;
    return EG_OK;
}

static void show_is_audited(void **state)
{
    fixture *f = *state;
    eg_import_result res;
    msgs m = { 0 };
    got g = { 0 }, h = { 0 };
    eg_time now;
    assert_int_equal(import_text(f, "show.csv", HDR
        "220502199001010027,李四,,,,220502,,\n", &res, &m), EG_OK);
    eg_time_parse("2020-02-13 10:00", &now);
    assert_int_equal(eg_registry_show(f->s, " 220502199001010027", "os:tester", now, keep_person, &g), EG_OK);
    assert_string_equal(g.name, "李四");
    assert_int_equal(eg_registry_show(f->s, "220502199001010035", "os:tester", now, keep_person, &h),
                     EG_ERR_NOT_FOUND);
    g.birth = 0;
    assert_int_equal(eg_store_audit_each(f->s, 0, 0, count_audit, &g), EG_OK);
    assert_int_equal(g.birth, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(rejection_reasons, setup, teardown),
        cmocka_unit_test_setup_teardown(number_wins_and_placement, setup, teardown),
        cmocka_unit_test_setup_teardown(dedup_keeps_identity, setup, teardown),
        cmocka_unit_test_setup_teardown(show_is_audited, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
