/*
 * tests/core/test_text.c: UTF-8 validation, normalisation for matching
 * (NFKC, Traditional to Simplified, blanks), full-width to half-width and
 * trimming.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "epigrid/text.h"

/* Validate a NUL-terminated string; return the result and the offset. */
static eg_err validate(const char *s, size_t *bad)
{
    *bad = 9999;
    return eg_utf8_validate(s, strlen(s), bad);
}

/* Valid text of one to four bytes a character, and the edges of the
 * allowed ranges. */
static void test_validate_accepts(void **state)
{
    (void)state;
    size_t bad;
    assert_int_equal(validate("", &bad), EG_OK);
    assert_int_equal(validate("plain ASCII, 123", &bad), EG_OK);
    assert_int_equal(validate("通化市东昌区", &bad), EG_OK);
    assert_int_equal(validate("\xc2\x80", &bad), EG_OK);         /* U+0080 */
    assert_int_equal(validate("\xe0\xa0\x80", &bad), EG_OK);     /* U+0800 */
    assert_int_equal(validate("\xed\x9f\xbf", &bad), EG_OK);     /* U+D7FF */
    assert_int_equal(validate("\xee\x80\x80", &bad), EG_OK);     /* U+E000 */
    assert_int_equal(validate("\xf0\x90\x80\x80", &bad), EG_OK); /* U+10000 */
    assert_int_equal(validate("\xf4\x8f\xbf\xbf", &bad), EG_OK); /* U+10FFFF */
    assert_int_equal(bad, 9999);
    /* the length is honoured: a NUL inside is a character */
    assert_int_equal(eg_utf8_validate("a\0b", 3, NULL), EG_OK);
}

/* Overlongs, surrogates, code points above U+10FFFF, truncated and stray
 * bytes are refused, with the offset of the bad sequence. */
static void test_validate_refuses(void **state)
{
    (void)state;
    static const struct {
        const char *s;
        size_t at;
    } bad[] = {
        { "\xc0\xaf", 0 },              /* overlong '/' */
        { "ab\xc1\xbf", 2 },            /* overlong */
        { "\xe0\x80\xaf", 0 },          /* overlong, 3 bytes */
        { "\xe0\x9f\xbf", 0 },          /* overlong below U+0800 */
        { "\xf0\x80\x80\xaf", 0 },      /* overlong, 4 bytes */
        { "\xf0\x8f\xbf\xbf", 0 },      /* overlong below U+10000 */
        { "x\xed\xa0\x80", 1 },         /* surrogate U+D800 */
        { "\xed\xbf\xbf", 0 },          /* surrogate U+DFFF */
        { "\xf4\x90\x80\x80", 0 },      /* U+110000 */
        { "\xf5\x80\x80\x80", 0 },      /* lead byte F5 */
        { "\xff", 0 },
        { "\x80", 0 },                  /* lone continuation */
        { "通\xe5\x8c", 3 },            /* truncated at the end */
        { "\xe5\x8c" "a", 0 },          /* truncated before ASCII */
        { "\xcd\xa8\xbb\xaf", 2 },      /* GBK 通化: CD A8 happens to be U+0368 */
        { "ok\xf0\x9f\x98", 2 },        /* truncated 4-byte */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t at;
        assert_int_equal(validate(bad[i].s, &at), EG_ERR_ENCODING);
        assert_int_equal(at, bad[i].at);
    }
    assert_int_equal(eg_utf8_validate("\xff", 1, NULL), EG_ERR_ENCODING);
    /* the length cuts a sequence: truncated */
    assert_int_equal(eg_utf8_validate("通", 2, NULL), EG_ERR_ENCODING);
}

/* Set up a normaliser for the tests that need one. */
static int setup_normalizer(void **state)
{
    eg_normalizer *n = NULL;
    if (eg_normalizer_new(&n) != EG_OK)
        return -1;
    *state = n;
    return 0;
}

/* Free the normaliser. */
static int teardown_normalizer(void **state)
{
    eg_normalizer_free(*state);
    return 0;
}

/* Assert that `s` normalises to `want`. */
static void assert_normalizes(eg_normalizer *n, const char *s, const char *want)
{
    char *out = NULL;
    assert_int_equal(eg_text_normalize(n, s, &out), EG_OK);
    assert_non_null(out);
    assert_string_equal(out, want);
    free(out);
}

/* Traditional to Simplified, compatibility forms, full-width letters. */
static void test_normalize_names(void **state)
{
    eg_normalizer *n = *state;
    assert_normalizes(n, "通化市", "通化市");
    assert_normalizes(n, "東昌區", "东昌区");
    assert_normalizes(n, "东昌区", "东昌区");
    assert_normalizes(n, "梅河口市", "梅河口市");
    /* U+FA44, a compatibility ideograph of 梅 */
    assert_normalizes(n, "\xef\xa9\x84河口市", "梅河口市");
    /* U+2F1D, the Kangxi radical 口 */
    assert_normalizes(n, "梅河\xe2\xbc\x9d市", "梅河口市");
    assert_normalizes(n, "Ｋ７３９３", "K7393");
    assert_normalizes(n, "輝南縣", "辉南县");
}

/* Blanks, U+3000 and NBSP included, are trimmed and collapsed. */
static void test_normalize_blanks(void **state)
{
    eg_normalizer *n = *state;
    assert_normalizes(n, "\xe3\x80\x80通化市\xe3\x80\x80", "通化市");
    assert_normalizes(n, "  通化  \t市 ", "通化 市");
    assert_normalizes(n, "通化\xc2\xa0\xc2\xa0市", "通化 市");
    assert_normalizes(n, "   ", "");
    assert_normalizes(n, "", "");
}

/* Text that is not UTF-8 is refused and nothing is returned. */
static void test_normalize_refuses_bad_utf8(void **state)
{
    eg_normalizer *n = *state;
    char *out = (char *)"sentinel";
    assert_int_equal(eg_text_normalize(n, "\xcd\xa8\xbb\xaf", &out), EG_ERR_ENCODING);
    assert_null(out);
    out = (char *)"sentinel";
    assert_int_equal(eg_text_normalize(n, "ok\xed\xa0\x80", &out), EG_ERR_ENCODING);
    assert_null(out);
}

/* eg_normalizer_free accepts NULL. */
static void test_normalizer_free_null(void **state)
{
    (void)state;
    eg_normalizer_free(NULL);
}

/* Assert that `s` maps to `want` half-width. */
static void assert_halfwidth(const char *s, const char *want)
{
    char *out = NULL;
    assert_int_equal(eg_text_halfwidth(s, &out), EG_OK);
    assert_string_equal(out, want);
    free(out);
}

/* Full-width ASCII forms only; other text and compatibility forms stay. */
static void test_halfwidth(void **state)
{
    (void)state;
    assert_halfwidth("Ｋ７３９３", "K7393");
    assert_halfwidth("ＺＨ４７５１（ＣＡ８２１５）", "ZH4751(CA8215)");
    assert_halfwidth("！～", "!~");
    assert_halfwidth("Ｇ\xe3\x80\x80１", "G 1");
    assert_halfwidth("通化Ｇ１號", "通化G1號");
    assert_halfwidth("①", "①");
    assert_halfwidth("", "");
    char *out = (char *)"sentinel";
    assert_int_equal(eg_text_halfwidth("\xcd\xa8\xbb\xaf", &out), EG_ERR_ENCODING);
    assert_null(out);
}

/* Trim in place: ASCII blanks and U+3000, both ends, inner kept. */
static void test_trim(void **state)
{
    (void)state;
    char a[] = "  a b \t\r\n";
    char b[] = "\xe3\x80\x80通化\xe3\x80\x80 ";
    char c[] = " \xe3\x80\x80 ";
    char e[] = "";
    char f[] = "x";
    assert_string_equal(eg_text_trim(a), "a b");
    assert_string_equal(eg_text_trim(b), "通化");
    assert_string_equal(eg_text_trim(c), "");
    assert_string_equal(eg_text_trim(e), "");
    assert_string_equal(eg_text_trim(f), "x");
}

/* The trimmed view of a span, without writing. */
static void test_trim_span(void **state)
{
    (void)state;
    const char *s = " \t2205 \xe3\x80\x80,rest";
    size_t n = 99;
    const char *p = eg_text_trim_span(s, 10, &n); /* up to the comma */
    assert_ptr_equal(p, s + 2);
    assert_int_equal(n, 4);
    p = eg_text_trim_span(s, 2, &n);
    assert_int_equal(n, 0);
    p = eg_text_trim_span("abc", 3, &n);
    assert_int_equal(n, 3);
    /* a lone E3 at the end is not a blank */
    p = eg_text_trim_span("a\xe3\x80", 3, &n);
    assert_int_equal(n, 3);
}

/* A copy that does not fit is cut at a character boundary. */
static void test_copy_cuts_at_characters(void **state)
{
    (void)state;
    char buf[10];
    assert_int_equal(eg_text_copy(buf, 5, "通化市", 9), 3);
    assert_string_equal(buf, "通");
    assert_int_equal(eg_text_copy(buf, 10, "通化市", 9), 9);
    assert_string_equal(buf, "通化市");
    assert_int_equal(eg_text_copy(buf, 9, "通化市", 9), 6);
    assert_string_equal(buf, "通化");
    assert_int_equal(eg_text_copy(buf, 4, "K7393", 5), 3);
    assert_string_equal(buf, "K73");
    assert_int_equal(eg_text_copy(buf, 1, "通", 3), 0);
    assert_string_equal(buf, "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_copy_cuts_at_characters),
        cmocka_unit_test(test_validate_accepts),
        cmocka_unit_test(test_validate_refuses),
        cmocka_unit_test_setup_teardown(test_normalize_names, setup_normalizer,
                                        teardown_normalizer),
        cmocka_unit_test_setup_teardown(test_normalize_blanks, setup_normalizer,
                                        teardown_normalizer),
        cmocka_unit_test_setup_teardown(test_normalize_refuses_bad_utf8, setup_normalizer,
                                        teardown_normalizer),
        cmocka_unit_test(test_normalizer_free_null),
        cmocka_unit_test(test_halfwidth),
        cmocka_unit_test(test_trim),
        cmocka_unit_test(test_trim_span),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
