/*
 * tests/core/test_idno.c: resident identity numbers (GB 11643-1999): the
 * check character, every refusal reason, numbers made for drills, and
 * the masking of identity and phone numbers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "epigrid/idno.h"

/* 2020-01-23, the "today" of these tests. */
#define TODAY 18284

/* Build a date that must exist. */
static eg_date ymd(int y, int m, int d)
{
    eg_date out = 0;
    assert_int_equal(eg_date_from_ymd(y, m, d, &out), EG_OK);
    return out;
}

/* Check `s` and return the reason (EG_IDNO_OK when valid). */
static eg_idno_reason reason_of(const char *s)
{
    eg_idno_reason r = EG_IDNO__COUNT;
    eg_err rc = eg_idno_check(s, TODAY, NULL, &r, NULL);
    if (r == EG_IDNO_OK)
        assert_int_equal(rc, EG_OK);
    else if (r == EG_IDNO_BAD_CHECK)
        assert_int_equal(rc, EG_ERR_CHECKSUM);
    else
        assert_int_equal(rc, EG_ERR_INVALID);
    return r;
}

/* Check characters computed by hand (sums 167, 166, 152 and 0 mod 11). */
static void test_check_char(void **state)
{
    (void)state;
    assert_int_equal(eg_idno_check_char("11010519491231002"), 'X');
    assert_int_equal(eg_idno_check_char("22050219900101123"), '0');
    assert_int_equal(eg_idno_check_char("22050219900101100"), '3');
    assert_int_equal(eg_idno_check_char("00000000000000000"), '1');
}

/* The published example 11010519491231002X and its parts. */
static void test_published_example(void **state)
{
    (void)state;
    eg_idno_info info;
    eg_idno_reason r = EG_IDNO__COUNT;
    assert_int_equal(eg_idno_check("11010519491231002X", TODAY, &info, &r, NULL), EG_OK);
    assert_int_equal(r, EG_IDNO_OK);
    assert_string_equal(info.norm, "11010519491231002X");
    assert_string_equal(info.region, "110105");
    assert_int_equal(info.birth, ymd(1949, 12, 31));
    assert_int_equal(info.sex, 'F'); /* sequence 002 is even */
}

/* Lower-case x and blanks around are accepted and normalised. */
static void test_normalisation(void **state)
{
    (void)state;
    eg_idno_info info;
    assert_int_equal(eg_idno_check("11010519491231002x", TODAY, &info, NULL, NULL), EG_OK);
    assert_string_equal(info.norm, "11010519491231002X");
    assert_int_equal(eg_idno_check("  11010519491231002x\t\r\n", TODAY, &info, NULL, NULL), EG_OK);
    assert_string_equal(info.norm, "11010519491231002X");
}

/* A wrong check character reports the right one. */
static void test_wrong_check(void **state)
{
    (void)state;
    eg_idno_reason r;
    char expected = '?';
    assert_int_equal(eg_idno_check("110105194912310021", TODAY, NULL, &r, &expected),
                     EG_ERR_CHECKSUM);
    assert_int_equal(r, EG_IDNO_BAD_CHECK);
    assert_int_equal(expected, 'X');
    assert_int_equal(eg_idno_check("220502199001011231", TODAY, NULL, &r, &expected),
                     EG_ERR_CHECKSUM);
    assert_int_equal(expected, '0');
    assert_int_equal(reason_of("22050219900101123X"), EG_IDNO_BAD_CHECK);
}

/* Numbers made for drills: exact text, valid, sex from the sequence. */
static void test_make(void **state)
{
    (void)state;
    char id[EG_IDNO_BUFSZ];
    eg_idno_info info;
    assert_int_equal(eg_idno_make("220502", ymd(1990, 1, 1), 123, id), EG_OK);
    assert_string_equal(id, "220502199001011230");
    assert_int_equal(eg_idno_check(id, TODAY, &info, NULL, NULL), EG_OK);
    assert_int_equal(info.sex, 'M');
    assert_int_equal(info.birth, ymd(1990, 1, 1));
    assert_int_equal(eg_idno_make("110105", ymd(1949, 12, 31), 2, id), EG_OK);
    assert_string_equal(id, "11010519491231002X");
    /* every sequence gives a valid number with the right sex */
    for (int seq = 0; seq <= 999; seq++) {
        assert_int_equal(eg_idno_make("220581", ymd(1985, 6, 15), seq, id), EG_OK);
        assert_int_equal(eg_idno_check(id, TODAY, &info, NULL, NULL), EG_OK);
        assert_int_equal(info.sex, seq % 2 ? 'M' : 'F');
    }
    assert_int_equal(eg_idno_make("2205", ymd(1990, 1, 1), 1, id), EG_ERR_INVALID);
    assert_int_equal(eg_idno_make("22050a", ymd(1990, 1, 1), 1, id), EG_ERR_INVALID);
    assert_int_equal(eg_idno_make("000000", ymd(1990, 1, 1), 1, id), EG_ERR_INVALID);
    assert_int_equal(eg_idno_make("990000", ymd(1990, 1, 1), 1, id), EG_ERR_INVALID);
    assert_int_equal(eg_idno_make("220502", ymd(1990, 1, 1), -1, id), EG_ERR_INVALID);
    assert_int_equal(eg_idno_make("220502", ymd(1990, 1, 1), 1000, id), EG_ERR_INVALID);
}

/* Birth dates: impossible days, leap days, the future. */
static void test_birth_dates(void **state)
{
    (void)state;
    char id[EG_IDNO_BUFSZ];
    /* 1900 was not a leap year (the check character is right for the digits) */
    char feb29_1900[EG_IDNO_BUFSZ] = "11010519000229001";
    feb29_1900[17] = eg_idno_check_char(feb29_1900);
    feb29_1900[18] = '\0';
    assert_int_equal(reason_of(feb29_1900), EG_IDNO_BAD_BIRTH_DATE);
    assert_int_equal(reason_of("110105199013010011"), EG_IDNO_BAD_BIRTH_DATE);
    assert_int_equal(reason_of("110105199004310011"), EG_IDNO_BAD_BIRTH_DATE);
    assert_int_equal(eg_idno_make("110105", ymd(2000, 2, 29), 1, id), EG_OK);
    assert_int_equal(reason_of(id), EG_IDNO_OK);
    /* born today is fine, tomorrow is not */
    assert_int_equal(eg_idno_make("220502", TODAY, 11, id), EG_OK);
    assert_int_equal(reason_of(id), EG_IDNO_OK);
    assert_int_equal(eg_idno_make("220502", TODAY + 1, 11, id), EG_OK);
    assert_int_equal(reason_of(id), EG_IDNO_FUTURE_BIRTH_DATE);
}

/* The spreadsheet manglings and the other refusals, each with its reason. */
static void test_refusal_reasons(void **state)
{
    (void)state;
    assert_int_equal(reason_of(""), EG_IDNO_EMPTY);
    assert_int_equal(reason_of("   "), EG_IDNO_EMPTY);
    assert_int_equal(reason_of("2.20502E+17"), EG_IDNO_SPREADSHEET_FLOAT);
    assert_int_equal(reason_of("2.20502199001011E+17"), EG_IDNO_SPREADSHEET_FLOAT);
    assert_int_equal(reason_of(" 2.20502e17 "), EG_IDNO_SPREADSHEET_FLOAT);
    assert_int_equal(reason_of("2E+17"), EG_IDNO_SPREADSHEET_FLOAT);
    /* 15 significant digits kept, the rest zeroed: the check fails */
    char expected = '?';
    eg_idno_reason r;
    assert_int_equal(eg_idno_check("220502199001011000", TODAY, NULL, &r, &expected),
                     EG_ERR_INVALID);
    assert_int_equal(r, EG_IDNO_SPREADSHEET_ZEROED);
    assert_int_equal(expected, '3');
    assert_int_equal(reason_of("220502900101123"), EG_IDNO_FIRST_GENERATION);
    assert_int_equal(reason_of("22050219900101123A"), EG_IDNO_BAD_CHARACTER);
    assert_int_equal(reason_of("2205021990010112X0"), EG_IDNO_BAD_CHARACTER);
    assert_int_equal(reason_of("22050219900101-230"), EG_IDNO_BAD_CHARACTER);
    assert_int_equal(reason_of("2205021990 0101123"), EG_IDNO_BAD_CHARACTER);
    assert_int_equal(reason_of("张三"), EG_IDNO_BAD_CHARACTER);
    assert_int_equal(reason_of("220502900101123X"), EG_IDNO_BAD_LENGTH);
    assert_int_equal(reason_of("22050219900101123"), EG_IDNO_BAD_LENGTH);
    assert_int_equal(reason_of("2205021990010112300"), EG_IDNO_BAD_LENGTH);
    assert_int_equal(reason_of("990502199001011230"), EG_IDNO_BAD_REGION);
    assert_int_equal(reason_of("100502199001011230"), EG_IDNO_BAD_REGION);
    assert_int_equal(reason_of("830502199001011230"), EG_IDNO_BAD_REGION);
    assert_int_equal(reason_of("000000199001011230"), EG_IDNO_BAD_REGION);
    assert_int_equal(reason_of("820502199001011230") == EG_IDNO_BAD_REGION, 0);
}

/* Every reason has its own text; the check reason is the one callers
 * complete with the expected character. */
static void test_reason_texts(void **state)
{
    (void)state;
    for (int i = 0; i < EG_IDNO__COUNT; i++) {
        const char *t = eg_idno_reason_str((eg_idno_reason)i);
        assert_non_null(t);
        assert_true(strlen(t) > 0);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(t, eg_idno_reason_str((eg_idno_reason)j));
    }
    assert_string_equal(eg_idno_reason_str(EG_IDNO_BAD_CHECK), "wrong check character");
    assert_string_equal(eg_idno_reason_str(EG_IDNO__COUNT), "unknown reason");
}

/* Masked forms of spec/api.md, other documents, short texts. */
static void test_masks(void **state)
{
    (void)state;
    char out[64];
    assert_string_equal(eg_idno_mask("22050219900101123X", out), "220502********123X");
    assert_string_equal(eg_idno_mask("E12345678", out), "E1*****78");
    assert_string_equal(eg_idno_mask("H1234567", out), "H1****67");
    assert_string_equal(eg_idno_mask("护照AB1234", out), "护照****34");
    assert_string_equal(eg_idno_mask("AB123", out), "*****");
    assert_string_equal(eg_idno_mask("", out), "");
    assert_string_equal(eg_phone_mask("13812341234", out), "138****1234");
    assert_string_equal(eg_phone_mask("+8613812341234", out), "+86*******1234");
    assert_string_equal(eg_phone_mask("0435-321234", out), "043****1234");
    assert_string_equal(eg_phone_mask("1234567", out), "12***67");
    assert_string_equal(eg_phone_mask("12345", out), "*****");
    assert_string_equal(eg_phone_mask("", out), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_char),
        cmocka_unit_test(test_published_example),
        cmocka_unit_test(test_normalisation),
        cmocka_unit_test(test_wrong_check),
        cmocka_unit_test(test_make),
        cmocka_unit_test(test_birth_dates),
        cmocka_unit_test(test_refusal_reasons),
        cmocka_unit_test(test_reason_texts),
        cmocka_unit_test(test_masks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
