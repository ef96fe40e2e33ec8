/*
 * tests/juris/test_tree.c: the jurisdiction tree: the bundled real tree
 * counted as Tonghua's headquarters counted it, Meihekou beside it, code
 * forms, roll-ups (direct apart from children), grids, and divisions.csv
 * rejects and warnings.
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
#include "epigrid/staff.h"
#include "testutil.h"

/* Tonghua: 6 county-level units, 83 townships, 685 villages, 148
 * communities, 1 village-like unit (spec/formats.md; NBS 2019). */
static void bundled_tree_counts(void **state)
{
    (void)state;
    eg_store *s = tu_store_new("tree.db");
    eg_juris *j = NULL;
    long lv[EG_LEVEL_GRID + 1] = { 0 }, mh[EG_LEVEL_GRID + 1] = { 0 };
    tu_load_bundled_tree(s);
    assert_int_equal(eg_juris_load(s, &j), EG_OK);
    assert_int_equal(j->n, 1279);
    assert_int_equal(j->nroots, 2);
    assert_string_equal(j->roots[0]->code, "2205");
    assert_string_equal(j->roots[0]->name, "通化市");
    assert_string_equal(j->roots[1]->code, "220581");
    eg_juris_count_levels(j->roots[0], lv);
    assert_int_equal(lv[EG_LEVEL_COUNTY], 6);
    assert_int_equal(lv[EG_LEVEL_TOWNSHIP], 83);
    assert_int_equal(lv[EG_LEVEL_VILLAGE], 685);
    assert_int_equal(lv[EG_LEVEL_COMMUNITY], 148);
    assert_int_equal(lv[EG_LEVEL_VILLAGE_LIKE], 1);
    eg_juris_count_levels(j->roots[1], mh);
    assert_int_equal(mh[EG_LEVEL_TOWNSHIP], 24);
    assert_int_equal(mh[EG_LEVEL_VILLAGE], 303);
    assert_int_equal(mh[EG_LEVEL_COMMUNITY], 27);
    /* every code form finds the same node; Meihekou is not in Tonghua */
    assert_ptr_equal(eg_juris_find(j, "220500000000"), j->roots[0]);
    assert_ptr_equal(eg_juris_find(j, "220500"), j->roots[0]);
    assert_ptr_equal(eg_juris_find(j, "2205"), j->roots[0]);
    assert_null(eg_juris_find(j, "4201"));
    eg_juris_node *dc = eg_juris_find(j, "220502000000");
    assert_non_null(dc);
    assert_string_equal(dc->name, "东昌区");
    assert_ptr_equal(dc->parent, j->roots[0]);
    assert_false(eg_juris_is_within(eg_juris_find(j, "220581100"), j->roots[0]));
    assert_true(eg_juris_is_within(eg_juris_find(j, "220521401598"), j->roots[0]));
    assert_int_equal(eg_juris_find(j, "220521401598")->level, EG_LEVEL_VILLAGE_LIKE);
    /* deepest node: an unknown village under a known township */
    assert_string_equal(eg_juris_deepest(j, "220502001999")->code, "220502001");
    assert_null(eg_juris_deepest(j, "420100"));
    eg_juris_free(j);
    eg_store_close(s);
}

/* Roll-ups: a node's total = its own (direct) + its children's totals. */
static void rollups_keep_direct_apart(void **state)
{
    (void)state;
    eg_store *s = tu_store_new("rollup.db");
    eg_normalizer *n = NULL;
    eg_juris *j = NULL;
    char path[512], code[EG_CODE_BUFSZ];
    eg_import_result res;
    eg_import_opts o = tu_opts();
    tu_load_bundled_tree(s);
    assert_int_equal(eg_normalizer_new(&n), EG_OK);
    assert_int_equal(eg_juris_load(s, &j), EG_OK);
    assert_int_equal(eg_juris_add_grid(s, n, j, "220502001001", 0, NULL, 0, code), EG_OK);
    assert_string_equal(code, "220502001001-1");
    eg_juris_free(j);
    assert_int_equal(eg_juris_load(s, &j), EG_OK);
    /* 0 = next free number after the existing grid */
    assert_int_equal(eg_juris_add_grid(s, n, j, "220502001001", 0, "河东网格", 0, code), EG_OK);
    assert_string_equal(code, "220502001001-2");
    /* grids go under village-level units only */
    assert_int_equal(eg_juris_add_grid(s, n, j, "220502001", 0, NULL, 0, code), EG_ERR_INVALID);
    assert_int_equal(eg_juris_add_grid(s, n, j, "220502001888", 0, NULL, 0, code), EG_ERR_NOT_FOUND);
    eg_juris_free(j);

    /* persons: 2 in the grid, 1 in the village itself, 1 on the township */
    tu_path(path, sizeof path, "rollup_persons.csv");
    tu_write(path,
             "id_no,name,sex,birth_date,phone,address_code,address\n"
             "11010519491231002X,甲,,,,220502001001-1,\n"
             "110105194912310038,乙,,,,220502001001-1,\n"
             "110105194912310046,丙,,,,220502001001,\n"
             "110105194912310054,丁,,,,220502001,\n");
    assert_int_equal(eg_juris_load(s, &j), EG_OK);
    assert_int_equal(eg_registry_import(s, n, j, path, &o, &res, NULL), EG_OK);
    assert_int_equal(res.imported, 4);
    assert_int_equal(eg_juris_load_counts(j, s), EG_OK);
    eg_juris_free(j);
    assert_int_equal(eg_juris_load(s, &j), EG_OK);
    assert_int_equal(eg_juris_load_counts(j, s), EG_OK);
    eg_juris_node *grid = eg_juris_find(j, "220502001001-1");
    eg_juris_node *vil = eg_juris_find(j, "220502001001");
    eg_juris_node *town = eg_juris_find(j, "220502001");
    assert_non_null(grid);
    assert_int_equal(grid->counts.persons_direct, 2);
    assert_int_equal(grid->counts.persons_total, 2);
    assert_int_equal(vil->counts.persons_direct, 1);
    assert_int_equal(vil->counts.persons_total, 3);
    assert_int_equal(town->counts.persons_direct, 1);
    assert_int_equal(town->counts.persons_total, 4);
    assert_int_equal(j->roots[0]->counts.persons_direct, 0);
    assert_int_equal(j->roots[0]->counts.persons_total, 4);
    assert_int_equal(j->roots[1]->counts.persons_total, 0);
    eg_juris_free(j);
    eg_normalizer_free(n);
    eg_store_close(s);
}

/* Reporter that keeps the messages. */
typedef struct msgs {
    char text[32][300];
    int warn[32];
    int n;
} msgs;

static void keep_msg(void *ctx, const eg_diag *d, int is_warning)
{
    msgs *m = ctx;
    if (m->n < 32) {
        eg_diag_format(d, m->text[m->n], sizeof m->text[0]);
        m->warn[m->n++] = is_warning;
    }
}

/* divisions.csv: bad rows rejected with line and column, level warnings,
 * administered_by honoured, grids whose village is unknown rejected. */
static void import_divisions_rejects(void **state)
{
    (void)state;
    eg_store *s = tu_store_new("divs.db");
    eg_normalizer *n = NULL;
    eg_juris *j = NULL;
    char path[512], rpath[512];
    eg_import_result res;
    eg_import_opts o = tu_opts();
    msgs m = { 0 };
    FILE *rf;
    tu_path(path, sizeof path, "divs.csv");
    tu_path(rpath, sizeof rpath, "divs.rejects.csv");
    tu_write(path,
             "\xEF\xBB\xBF" "code,name,level,parent_code,administered_by\r\n"
             "420000000000,湖北省,province,,\r\n"                 /* 2 */
             "420100000000,武汉市,city,420000000000,\r\n"         /* 3 */
             "420102000000,江岸区,county,420100,\r\n"             /* 4 */
             "420102001000,大智街道,township,420102,\r\n"         /* 5 */
             "420102001001,一元社区,village,420102001,\r\n"       /* 6: warning: community */
             "42010200100X,坏代码,village,420102001,\r\n"         /* 7: rejected code */
             "420102001002,,community,420102001,\r\n"             /* 8: rejected name */
             "420102001201,某村,village,4201020010,\r\n"          /* 9: rejected parent */
             "420102001001-1,第1网格,grid,420102001001,\r\n"      /* 10 */
             "420102001099-1,第1网格,grid,420102001099,\r\n"      /* 11: no such village */
             "429004000000,仙桃市,county,429000,420000000000\r\n" /* 12: administered_by */
             "420102001601,怪代码,village,420102001,\r\n");       /* 13: kind 601 */
    assert_int_equal(eg_normalizer_new(&n), EG_OK);
    rf = fopen(rpath, "w+");
    assert_non_null(rf);
    assert_int_equal(eg_import_rejects_header(rf), EG_OK);
    o.rejects = rf;
    o.report = keep_msg;
    o.report_ctx = &m;
    assert_int_equal(eg_juris_import(s, n, path, &o, &res, NULL), EG_OK);
    fclose(rf);
    assert_int_equal(res.rows, 12);
    assert_int_equal(res.imported, 7);
    assert_int_equal(res.rejected, 5);
    assert_int_equal(res.warnings, 1);
    int saw_warn = 0, saw_code = 0, saw_grid = 0;
    for (int i = 0; i < m.n; i++) {
        if (m.warn[i] && strstr(m.text[i], ":6: level:") && strstr(m.text[i], "community"))
            saw_warn = 1;
        if (!m.warn[i] && strstr(m.text[i], ":7: code:"))
            saw_code = 1;
        if (!m.warn[i] && strstr(m.text[i], ":11: code:") && strstr(m.text[i], "420102001099"))
            saw_grid = 1;
    }
    assert_true(saw_warn);
    assert_true(saw_code);
    assert_true(saw_grid);
    char *rej = tu_read(rpath);
    assert_non_null(rej);
    assert_non_null(strstr(rej, "file,line,column,severity,reason,row\n"));
    assert_non_null(strstr(rej, "7,code,error,"));
    assert_non_null(strstr(rej, "42010200100X,坏代码"));
    free(rej);
    assert_int_equal(eg_juris_load(s, &j), EG_OK);
    assert_int_equal(eg_juris_find(j, "420102001001")->level, EG_LEVEL_COMMUNITY);
    assert_non_null(eg_juris_find(j, "420102001001-1"));
    assert_null(eg_juris_find(j, "420102001099-1"));
    /* 仙桃 is administered by the province, not by a city */
    assert_string_equal(eg_juris_find(j, "429004")->parent->code, "42");
    eg_juris_free(j);
    eg_normalizer_free(n);
    eg_store_close(s);
}

/* A file without a required column, or not in UTF-8, stores nothing. */
static void import_refused_as_whole(void **state)
{
    (void)state;
    eg_store *s = tu_store_new("refused.db");
    eg_normalizer *n = NULL;
    char path[512];
    eg_import_result res;
    eg_import_opts o = tu_opts();
    eg_diag d;
    long count = -1;
    assert_int_equal(eg_normalizer_new(&n), EG_OK);
    tu_path(path, sizeof path, "nolevel.csv");
    tu_write(path, "code,name,parent_code\n420000,湖北省,\n");
    assert_int_equal(eg_juris_import(s, n, path, &o, &res, &d), EG_ERR_MISSING_COLUMN);
    assert_non_null(strstr(d.reason, "level"));
    tu_path(path, sizeof path, "gbk.csv");
    /* header in ASCII, first data row in GBK (通化市 = cd a8 bb af ca d0) */
    tu_write(path, "code,name,level,parent_code\n220500,\xcd\xa8\xbb\xaf\xca\xd0,city,\n");
    assert_int_equal(eg_juris_import(s, n, path, &o, &res, &d), EG_ERR_ENCODING);
    assert_int_equal(eg_store_division_count(s, &count), EG_OK);
    assert_int_equal(count, 0);
    assert_int_equal(eg_store_import_log_count(s, NULL, &count), EG_OK);
    assert_int_equal(count, 0);
    /* administered_by making a cycle is refused; the tree stays loadable */
    tu_path(path, sizeof path, "cycle.csv");
    tu_write(path, "code,name,level,parent_code,administered_by\n"
                   "220500,通化市,city,22,220502\n220502,东昌区,county,2205,\n");
    assert_int_equal(eg_juris_import(s, n, path, &o, &res, &d), EG_ERR_INVALID);
    assert_non_null(strstr(d.reason, "cycle"));
    assert_int_equal(eg_store_division_count(s, &count), EG_OK);
    assert_int_equal(count, 0);
    eg_normalizer_free(n);
    eg_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bundled_tree_counts),
        cmocka_unit_test(rollups_keep_direct_apart),
        cmocka_unit_test(import_divisions_rejects),
        cmocka_unit_test(import_refused_as_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
