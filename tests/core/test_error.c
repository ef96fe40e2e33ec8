/*
 * tests/core/test_error.c: error messages and names, and the eg_diag
 * record with its `FILE:LINE: column: reason` form.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "epigrid/error.h"

/* Every code has a message and a name, all distinct and non-empty. */
static void test_every_code_has_distinct_strings(void **state)
{
    (void)state;
    for (int i = 0; i < EG_ERR__COUNT; i++) {
        const char *msg = eg_strerror((eg_err)i), *name = eg_err_name((eg_err)i);
        assert_non_null(msg);
        assert_non_null(name);
        assert_true(strlen(msg) > 0);
        assert_true(strlen(name) > 0);
        assert_string_not_equal(msg, "unknown error");
        for (int j = 0; j < i; j++) {
            assert_string_not_equal(msg, eg_strerror((eg_err)j));
            assert_string_not_equal(name, eg_err_name((eg_err)j));
        }
    }
}

/* Known names are stable (they are API error codes). */
static void test_names_are_stable(void **state)
{
    (void)state;
    assert_string_equal(eg_err_name(EG_OK), "ok");
    assert_string_equal(eg_err_name(EG_ERR_INVALID), "invalid");
    assert_string_equal(eg_err_name(EG_ERR_NOT_FOUND), "not_found");
    assert_string_equal(eg_err_name(EG_ERR_MISSING_COLUMN), "missing_column");
    assert_string_equal(eg_err_name(EG_ERR_EOF), "eof");
    assert_string_equal(eg_strerror(EG_ERR_NOMEM), "out of memory");
}

/* Codes outside the enum get the fallback strings. */
static void test_unknown_codes(void **state)
{
    (void)state;
    assert_string_equal(eg_strerror(EG_ERR__COUNT), "unknown error");
    assert_string_equal(eg_strerror((eg_err)-1), "unknown error");
    assert_string_equal(eg_err_name((eg_err)1000), "unknown");
}

/* eg_diag_set fills every part and returns the code. */
static void test_diag_set_and_format(void **state)
{
    (void)state;
    eg_diag d;
    char buf[512];
    assert_int_equal(eg_diag_set(&d, EG_ERR_PARSE, "persons.csv", 12, "birth_date",
                                 "not a date: '%s'", "3.2.2020"),
                     EG_ERR_PARSE);
    assert_string_equal(d.file, "persons.csv");
    assert_int_equal(d.line, 12);
    assert_string_equal(d.column, "birth_date");
    assert_string_equal(d.reason, "not a date: '3.2.2020'");
    assert_string_equal(eg_diag_format(&d, buf, sizeof buf),
                        "persons.csv:12: birth_date: not a date: '3.2.2020'");
}

/* Unknown parts are left out of the formatted text. */
static void test_diag_format_leaves_out_unknown_parts(void **state)
{
    (void)state;
    eg_diag d;
    char buf[512];
    eg_diag_set(&d, EG_ERR_IO, "x.csv", 0, NULL, "cannot open");
    assert_string_equal(eg_diag_format(&d, buf, sizeof buf), "x.csv: cannot open");
    eg_diag_set(&d, EG_ERR_INVALID, NULL, 7, "code", "bad code");
    assert_string_equal(eg_diag_format(&d, buf, sizeof buf), "line 7: code: bad code");
    eg_diag_set(&d, EG_ERR_INVALID, NULL, 0, "", "plain");
    assert_string_equal(eg_diag_format(&d, buf, sizeof buf), "plain");
    eg_diag_set(&d, EG_ERR_INVALID, "f", 3, "c", "%s", "");
    assert_string_equal(eg_diag_format(&d, buf, sizeof buf), "f:3: c");
    eg_diag_clear(&d);
    assert_string_equal(eg_diag_format(&d, buf, sizeof buf), "");
    assert_string_equal(eg_diag_format(NULL, buf, sizeof buf), "");
}

/* A NULL diag is accepted everywhere; the code still comes back. */
static void test_diag_null(void **state)
{
    (void)state;
    assert_int_equal(eg_diag_set(NULL, EG_ERR_RANGE, "f", 1, "c", "r"), EG_ERR_RANGE);
    eg_diag_clear(NULL);
}

/* Long texts are truncated, always NUL-terminated; a small output buffer
 * too. */
static void test_diag_truncation(void **state)
{
    (void)state;
    eg_diag d;
    char longtext[1000], small[10];
    memset(longtext, 'a', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    eg_diag_set(&d, EG_ERR_PARSE, longtext, 1, longtext, "%s", longtext);
    assert_int_equal(strlen(d.file), sizeof d.file - 1);
    assert_int_equal(strlen(d.column), sizeof d.column - 1);
    assert_int_equal(strlen(d.reason), sizeof d.reason - 1);
    eg_diag_set(&d, EG_ERR_PARSE, "file.csv", 123, "col", "reason");
    assert_string_equal(eg_diag_format(&d, small, sizeof small), "file.csv:");
}

/* The file and column may come from the diag being set. */
static void test_diag_set_from_itself(void **state)
{
    (void)state;
    eg_diag d;
    char buf[256];
    eg_diag_set(&d, EG_ERR_PARSE, "a.csv", 4, "name", "first");
    eg_diag_set(&d, EG_ERR_RANGE, d.file, d.line + 1, d.column, "then: %s", d.reason);
    assert_string_equal(eg_diag_format(&d, buf, sizeof buf), "a.csv:5: name: then: first");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_code_has_distinct_strings),
        cmocka_unit_test(test_names_are_stable),
        cmocka_unit_test(test_unknown_codes),
        cmocka_unit_test(test_diag_set_and_format),
        cmocka_unit_test(test_diag_format_leaves_out_unknown_parts),
        cmocka_unit_test(test_diag_null),
        cmocka_unit_test(test_diag_truncation),
        cmocka_unit_test(test_diag_set_from_itself),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
