/*
 * tests/core/test_code.c: division codes: short forms, levels, padding,
 * "lies in" and implied parents (spec/formats.md "Division codes").
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "epigrid/code.h"

/* Short form of `in`, which must be accepted. */
static const char *shortof(const char *in, char *buf)
{
    assert_int_equal(eg_code_short(in, buf), EG_OK);
    return buf;
}

/* Trailing zero groups are dropped, down to 2 digits. */
static void test_short_forms(void **state)
{
    (void)state;
    char b[EG_CODE_BUFSZ];
    assert_string_equal(shortof("220500000000", b), "2205");
    assert_string_equal(shortof("220500", b), "2205");
    assert_string_equal(shortof("2205", b), "2205");
    assert_string_equal(shortof("420100", b), "4201");
    assert_string_equal(shortof("220502001001", b), "220502001001");
    assert_string_equal(shortof("220502001000", b), "220502001");
    assert_string_equal(shortof("220502000000", b), "220502");
    assert_string_equal(shortof("220000000000", b), "22");
    assert_string_equal(shortof("220000", b), "22");
    assert_string_equal(shortof("22", b), "22");
    assert_string_equal(shortof("220581", b), "220581");
    assert_string_equal(shortof("220502100", b), "220502100");
    /* a zero group inside stays: only trailing ones go */
    assert_string_equal(shortof("220002001200", b), "220002001200");
    assert_string_equal(shortof(" 220500 ", b), "2205");
    assert_string_equal(shortof("\t2205\r\n", b), "2205");
}

/* Grid codes keep their village part; the grid number loses leading zeros. */
static void test_short_grid_codes(void **state)
{
    (void)state;
    char b[EG_CODE_BUFSZ];
    assert_string_equal(shortof("220502001001-3", b), "220502001001-3");
    assert_string_equal(shortof("220502001001-03", b), "220502001001-3");
    assert_string_equal(shortof("220502001201-123456", b), "220502001201-123456");
    assert_string_equal(shortof(" 220502001001-10 ", b), "220502001001-10");
}

/* Everything else is refused. */
static void test_short_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "  ", "22050", "abc", "2205x0", "00", "0000", "000000000000", "2", "220502001001000",
        "22050200100", "2205 00", "-2205", "220502001001-", "220502001001-0",
        "220502001001-1234567", "220502001000-3", "2205-3", "220502001001-3-4",
        "220502001001-a", "22050200100a-3", "２２０５",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char b[EG_CODE_BUFSZ] = "untouched";
        assert_int_equal(eg_code_short(bad[i], b), EG_ERR_INVALID);
    }
}

/* Level of `code`, which must have one. */
static eg_level level_of(const char *code)
{
    eg_level l = 0;
    assert_int_equal(eg_code_level(code, &l), EG_OK);
    return l;
}

/* Levels from the length, and the kind of 12-digit codes. */
static void test_levels(void **state)
{
    (void)state;
    assert_int_equal(level_of("22"), EG_LEVEL_PROVINCE);
    assert_int_equal(level_of("2205"), EG_LEVEL_CITY);
    assert_int_equal(level_of("220502"), EG_LEVEL_COUNTY);
    assert_int_equal(level_of("220502001"), EG_LEVEL_TOWNSHIP);
    assert_int_equal(level_of("220502001001"), EG_LEVEL_COMMUNITY);
    assert_int_equal(level_of("220502001199"), EG_LEVEL_COMMUNITY);
    assert_int_equal(level_of("220502001200"), EG_LEVEL_VILLAGE);
    assert_int_equal(level_of("220502001399"), EG_LEVEL_VILLAGE);
    assert_int_equal(level_of("220502001400"), EG_LEVEL_VILLAGE_LIKE);
    assert_int_equal(level_of("220502001599"), EG_LEVEL_VILLAGE_LIKE);
    assert_int_equal(level_of("220502001001-3"), EG_LEVEL_GRID);
    eg_level l;
    assert_int_equal(eg_code_level("220502001600", &l), EG_ERR_INVALID);
    assert_int_equal(eg_code_level("220502001999", &l), EG_ERR_INVALID);
    assert_int_equal(eg_code_level("220502001000", &l), EG_ERR_INVALID);
    assert_int_equal(eg_code_level("22050", &l), EG_ERR_INVALID);
    assert_int_equal(eg_code_level("", &l), EG_ERR_INVALID);
    assert_int_equal(eg_code_level("ab", &l), EG_ERR_INVALID);
}

/* Names of levels, both ways, and the Chinese ones. */
static void test_level_names(void **state)
{
    (void)state;
    static const char *const names[] = { "province", "city", "county", "township",
                                         "village", "community", "village_like", "grid" };
    static const char *const zh[] = { "省", "市", "县级", "乡级", "村", "社区", "类似村", "网格" };
    for (int l = EG_LEVEL_PROVINCE; l <= EG_LEVEL_GRID; l++) {
        eg_level back = 0;
        assert_string_equal(eg_level_name((eg_level)l), names[l - 1]);
        assert_string_equal(eg_level_name_zh((eg_level)l), zh[l - 1]);
        assert_int_equal(eg_level_parse(names[l - 1], &back), EG_OK);
        assert_int_equal(back, l);
    }
    assert_string_equal(eg_level_name((eg_level)0), "unknown");
    assert_string_equal(eg_level_name((eg_level)99), "unknown");
    assert_string_equal(eg_level_name_zh((eg_level)0), "未知");
    eg_level l;
    assert_int_equal(eg_level_parse(" county ", &l), EG_OK);
    assert_int_equal(l, EG_LEVEL_COUNTY);
    assert_int_equal(eg_level_parse("County", &l), EG_ERR_INVALID);
    assert_int_equal(eg_level_parse("villag", &l), EG_ERR_INVALID);
    assert_int_equal(eg_level_parse("village_likes", &l), EG_ERR_INVALID);
    assert_int_equal(eg_level_parse("", &l), EG_ERR_INVALID);
}

/* Padding back to 12 digits. */
static void test_long_forms(void **state)
{
    (void)state;
    char b[EG_CODE_BUFSZ];
    assert_int_equal(eg_code_long("2205", b), EG_OK);
    assert_string_equal(b, "220500000000");
    assert_int_equal(eg_code_long("22", b), EG_OK);
    assert_string_equal(b, "220000000000");
    assert_int_equal(eg_code_long("220502001", b), EG_OK);
    assert_string_equal(b, "220502001000");
    assert_int_equal(eg_code_long("220502001001", b), EG_OK);
    assert_string_equal(b, "220502001001");
    assert_int_equal(eg_code_long("220502001001-3", b), EG_OK);
    assert_string_equal(b, "220502001001-3");
    assert_int_equal(eg_code_long("22050", b), EG_ERR_INVALID);
    assert_int_equal(eg_code_long("abcd", b), EG_ERR_INVALID);
}

/* "Lies in": equal, or a prefix at a group boundary. */
static void test_lies_in(void **state)
{
    (void)state;
    assert_true(eg_code_lies_in("420102", "4201"));
    assert_true(eg_code_lies_in("420102", "42"));
    assert_true(eg_code_lies_in("4201", "4201"));
    assert_true(eg_code_lies_in("4201", "42"));
    assert_true(eg_code_lies_in("220502001001", "220502001"));
    assert_true(eg_code_lies_in("220502001001-3", "220502001001"));
    assert_true(eg_code_lies_in("220502001001-3", "2205"));
    assert_true(eg_code_lies_in("220502001001-3", "220502001001-3"));
    assert_false(eg_code_lies_in("4202", "4201"));
    assert_false(eg_code_lies_in("4201", "420102"));
    assert_false(eg_code_lies_in("42", "4201"));
    assert_false(eg_code_lies_in("420102", "42010")); /* not a group boundary */
    assert_false(eg_code_lies_in("220502001001-35", "220502001001-3"));
    assert_false(eg_code_lies_in("220502001001-3", "220502001001-35"));
    assert_false(eg_code_lies_in("2205", "22050"));
    assert_false(eg_code_lies_in("220581", "2206"));
}

/* Parent of `code`, which must have one. */
static const char *parent_of(const char *code, char *buf)
{
    assert_int_equal(eg_code_parent(code, buf), EG_OK);
    return buf;
}

/* Parents implied by the code, in short form. */
static void test_parents(void **state)
{
    (void)state;
    char b[EG_CODE_BUFSZ];
    assert_string_equal(parent_of("220502001001-3", b), "220502001001");
    assert_string_equal(parent_of("220502001001", b), "220502001");
    assert_string_equal(parent_of("220502001", b), "220502");
    assert_string_equal(parent_of("220502", b), "2205");
    assert_string_equal(parent_of("220581", b), "2205");
    assert_string_equal(parent_of("2205", b), "22");
    /* zero groups above are skipped */
    assert_string_equal(parent_of("220001", b), "22");
    assert_string_equal(parent_of("220502000201", b), "220502");
    assert_int_equal(eg_code_parent("22", b), EG_ERR_NOT_FOUND);
    assert_int_equal(eg_code_parent("22050", b), EG_ERR_INVALID);
    assert_int_equal(eg_code_parent("", b), EG_ERR_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_forms),
        cmocka_unit_test(test_short_grid_codes),
        cmocka_unit_test(test_short_invalid),
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_level_names),
        cmocka_unit_test(test_long_forms),
        cmocka_unit_test(test_lies_in),
        cmocka_unit_test(test_parents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
