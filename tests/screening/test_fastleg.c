/*
 * tests/screening/test_fastleg.c: the fast row reader of the batch mode
 * (src/screening/fastleg.c) against the library's own judges. Its UTF-8
 * check works 16 bytes at a time and takes only three-byte CJK sequences
 * on its own, handing anything else to eg_utf8_ok; here every kind of
 * sequence (valid and not: overlong, surrogate, truncated, stray
 * continuation, 2- and 4-byte forms) is put at every offset of a 16-byte
 * chunk, at the record's end and across chunk boundaries, and the reader
 * must take the row exactly when eg_utf8_ok says the record is UTF-8.
 * Also rows with a NUL byte (to the full reader), and the scalar tail at
 * a block's end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "screening/internal.h"

/* travel.csv's columns in the order of spec/formats (no doc_type). */
static eg_fast_cols cols(void)
{
    eg_fast_cols c = { .id = 0, .name = 1, .phone = 2, .mode = 3, .trip = 4, .dep = 5, .dept = 6,
                       .from = 7, .fromn = 8, .to = 9, .ton = 10, .arr = 11, .car = 12,
                       .seat = 13, .doc = -1, .ncols = 14, .today_ymd = 20200213 };
    return c;
}

/* A record whose fields are all in normal form but the name and
 * from_name, given as bytes (n bytes each); into buf, its length. */
static size_t record(char *buf, const char *name, size_t nn, const char *fromn, size_t nf)
{
    size_t n = 0;
    memcpy(buf, "220502198001011236,", 19);
    n = 19;
    memcpy(buf + n, name, nn);
    n += nn;
    const char *mid = ",13900000000,train,K7393,2020-02-05,10:15,420100,";
    memcpy(buf + n, mid, strlen(mid));
    n += strlen(mid);
    memcpy(buf + n, fromn, nf);
    n += nf;
    const char *end = ",220502,通化,2020-02-05,5,12A";
    memcpy(buf + n, end, strlen(end));
    n += strlen(end);
    return n;
}

/* Read rec[0..len) as the only record of a block: alone (the scalar tail
 * reads its end) or followed by another line (all of it in 16-byte
 * chunks). Checks both give the same answer and returns it; the name
 * read is copied to name (EG_LEG_NAME_BUFSZ bytes) as r->name points
 * into a buffer of this function. */
static int read_with(const eg_fast_cols *cp, const char *rec, size_t len, eg_fast_row *r,
                     char *name)
{
    eg_fast_cols c = *cp;
    char data[1024];
    const char *got;
    size_t glen, pos = 0;
    assert_true(len + 64 < sizeof data);
    memcpy(data, rec, len);
    data[len] = '\n';
    int alone = eg_fast_row_next(data, len + 1, &pos, &c, r, &got, &glen);
    assert_int_equal(pos, len + 1);
    assert_int_equal(glen, len);
    memset(data + len + 1, 'z', 40);
    data[len + 41] = '\n';
    pos = 0;
    eg_fast_row r2 = { 0 };
    int more = eg_fast_row_next(data, len + 42, &pos, &c, &r2, &got, &glen);
    assert_int_equal(pos, len + 1);
    assert_int_equal(alone, more);
    assert_int_equal(eg_fast_row_read(rec, len, &c, &r2), more);
    if (more) {
        assert_int_equal(r->nname, r2.nname);
        assert_memory_equal(r->name, r2.name, r2.nname);
        memcpy(name, r->name, r->nname);
        r->name = NULL;
    }
    return more;
}

/* read_with the columns of cols(). */
static int read_both(const char *rec, size_t len, eg_fast_row *r, char *name)
{
    eg_fast_cols c = cols();
    return read_with(&c, rec, len, r, name);
}

/* Byte sequences of every kind the UTF-8 check must judge. */
static const struct {
    const char *s;
    int valid;
} SEQ[] = {
    { "\xE9\x80\x9A", 1 },         /* 通: the common case */
    { "\xE1\x80\x80", 1 },         /* lowest lead of the common case */
    { "\xEF\xBF\xBD", 1 },         /* U+FFFD */
    { "\xEE\x80\x80", 1 },         /* private use, after the surrogates */
    { "\xE0\xA0\x80", 1 },         /* U+0800: E0 needs A0..BF */
    { "\xE0\x9F\xBF", 0 },         /* overlong */
    { "\xED\x9F\xBF", 1 },         /* U+D7FF */
    { "\xED\xA0\x80", 0 },         /* a surrogate */
    { "\xC2\xA9", 1 },             /* two bytes */
    { "\xC1\xBF", 0 },             /* overlong two bytes */
    { "\xF0\x9F\x98\x80", 1 },     /* four bytes */
    { "\xF4\x90\x80\x80", 0 },     /* above U+10FFFF */
    { "\xE4\xB8", 0 },             /* truncated */
    { "\x80", 0 },                 /* a stray continuation */
    { "\xE4\x41\x80", 0 },         /* continuation missing */
    { "\xE4\xB8\xAD\xAD", 0 },     /* one continuation too many */
    { "\xFF", 0 },
};
#define NSEQ (sizeof SEQ / sizeof SEQ[0])

/* Each sequence at every offset 0..31 of the name (so at every place in
 * a chunk and across chunk boundaries), and as the last bytes of
 * from_name: the row is taken exactly when the record is UTF-8. */
static void each_sequence_at_each_offset(void **state)
{
    (void)state;
    char name[64], rec[512], got[EG_LEG_NAME_BUFSZ];
    eg_fast_row r = { 0 };
    for (size_t k = 0; k < NSEQ; k++) {
        size_t ns = strlen(SEQ[k].s);
        for (size_t off = 0; off < 32; off++) {
            memset(name, 'a', off);
            memcpy(name + off, SEQ[k].s, ns);
            size_t len = record(rec, name, off + ns, "武汉", 6);
            assert_int_equal(eg_utf8_ok(rec, len), SEQ[k].valid);
            assert_int_equal(read_both(rec, len, &r, got), SEQ[k].valid);
            if (SEQ[k].valid) {
                assert_int_equal(r.nname, off + ns);
                assert_memory_equal(got, name, off + ns);
                assert_int_equal(r.car, 5);
            }
            /* the sequence ends a field just before a comma */
            len = record(rec, "张三", 6, name, off + ns);
            assert_int_equal(read_both(rec, len, &r, got), SEQ[k].valid);
        }
    }
}

/* Each sequence as the last bytes of the record (the name as its last
 * column): a sequence cut by the line end is refused. */
static void each_sequence_at_record_end(void **state)
{
    (void)state;
    eg_fast_cols c = cols();
    c.seat = 1;
    c.name = 13;
    char rec[512], got[EG_LEG_NAME_BUFSZ];
    eg_fast_row r = { 0 };
    const char *head = "220502198001011236,12A,13900000000,train,K7393,2020-02-05,10:15,420100,"
                       "\xE6\xAD\xA6\xE6\xB1\x89,220502,,2020-02-05,5,";
    for (size_t k = 0; k < NSEQ; k++)
        for (size_t off = 0; off < 20; off++) {
            size_t n = strlen(head), ns = strlen(SEQ[k].s);
            memcpy(rec, head, n);
            memset(rec + n, 'a', off);
            memcpy(rec + n + off, SEQ[k].s, ns);
            size_t len = n + off + ns;
            assert_int_equal(read_with(&c, rec, len, &r, got), SEQ[k].valid);
            if (SEQ[k].valid)
                assert_int_equal(r.nname, off + ns);
            /* a valid sequence cut by one byte */
            if (SEQ[k].valid && ns > 1)
                assert_int_equal(read_with(&c, rec, len - 1, &r, got), 0);
        }
}

/* A small random generator of the test's own (xorshift64). */
static uint64_t next_rand(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

/* Names of random sequences (mostly CJK, some of every other kind): the
 * fast reader agrees with eg_utf8_ok on every record. */
static void random_names_agree(void **state)
{
    (void)state;
    uint64_t seed = 0x9E3779B97F4A7C15u;
    char name[64], rec[512], got[EG_LEG_NAME_BUFSZ];
    eg_fast_row r = { 0 };
    int taken = 0, refused = 0;
    for (int i = 0; i < 20000; i++) {
        size_t n = 0;
        int parts = 1 + (int)(next_rand(&seed) % 8);
        for (int p = 0; p < parts; p++) {
            uint64_t x = next_rand(&seed);
            const char *s = x % 4 ? SEQ[x % 4].s : x % 3 ? "b" : SEQ[(x >> 8) % NSEQ].s;
            size_t ns = strlen(s);
            if (n + ns >= EG_LEG_NAME_BUFSZ - 1)
                break;
            memcpy(name + n, s, ns);
            n += ns;
        }
        size_t len = record(rec, name, n, "武汉", 6);
        int want = eg_utf8_ok(rec, len);
        assert_int_equal(read_both(rec, len, &r, got), want);
        if (want) {
            assert_int_equal(r.nname, n);
            taken++;
        } else {
            refused++;
        }
    }
    /* both kinds were drawn often */
    assert_true(taken > 5000);
    assert_true(refused > 2000);
}

/* A NUL byte anywhere in the row (the name, a field the screening does
 * not read): the row goes to the full reader, which rejects it. */
static void nul_goes_to_full_reader(void **state)
{
    (void)state;
    char rec[512], got[EG_LEG_NAME_BUFSZ];
    eg_fast_row r = { 0 };
    size_t len = record(rec, "\xE5\xBC\xA0\0\xE4\xB8\x89", 7, "武汉", 6);
    assert_int_equal(read_both(rec, len, &r, got), 0);
    len = record(rec, "\xE5\xBC\xA0\xE4\xB8\x89", 6, "武\0汉", 7);
    assert_int_equal(read_both(rec, len, &r, got), 0);
    len = record(rec, "\xE5\xBC\xA0\xE4\xB8\x89", 6, "武汉", 6);
    assert_int_equal(read_both(rec, len, &r, got), 1);
    assert_int_equal(r.nname, 6);
}

/* A row of more fields than the header (up to far more than the reader
 * keeps positions for, in one 16-byte chunk and over many) goes to the
 * full reader, which reports it. */
static void too_many_fields(void **state)
{
    (void)state;
    char rec[512], got[EG_LEG_NAME_BUFSZ];
    eg_fast_row r = { 0 };
    size_t base = record(rec, "张三", 6, "武汉", 6);
    for (size_t extra = 1; extra < 120; extra += extra < 20 ? 1 : 17) {
        memset(rec + base, ',', extra);
        assert_int_equal(read_both(rec, base + extra, &r, got), 0);
    }
}

/* The fields of a plain record, as the full reader gives them. */
static void plain_record_fields(void **state)
{
    (void)state;
    char rec[512], got[EG_LEG_NAME_BUFSZ];
    eg_fast_row r = { 0 };
    size_t len = record(rec, "张三", 6, "武汉", 6);
    assert_int_equal(read_both(rec, len, &r, got), 1);
    assert_int_equal(r.mode, EG_MODE_TRAIN);
    assert_string_equal(r.trip, "K7393");
    assert_string_equal(r.from, "4201");
    assert_string_equal(r.to, "220502");
    assert_int_equal(r.minute, 10 * 60 + 15);
    eg_date d;
    assert_int_equal(eg_date_parse("2020-02-05", &d), EG_OK);
    assert_int_equal(r.dep, d);
    assert_int_equal(r.arr, d);
    assert_int_equal(r.car, 5);
    assert_int_equal(r.seat_row, 0); /* seat rows count on flights only */
}

/* A record of person id leaving on date (arr_date empty). */
static size_t record_on(char *buf, const char *id, const char *date)
{
    return (size_t)sprintf(buf, "%s,张三,,train,K7393,%s,,420100,武汉,220502,通化,,5,12A", id, date);
}

/* The key of a valid 18-character resident number, as eg_key_pack packs it. */
static uint64_t key_of(const char *id)
{
    uint64_t v = 0;
    for (int i = 0; i < 17; i++)
        v = v * 10 + (uint64_t)(id[i] - '0');
    return v * 11 + (id[17] == 'X' ? 10u : (uint64_t)(id[17] - '0'));
}

/* The memo carried from row to row never answers for other text: dates
 * that share a slot (same day, months of the same parity, other years),
 * an impossible date in a slot filled before, and people alternating. */
static void memo_never_stale(void **state)
{
    (void)state;
    static const char *const dates[] = { "2020-01-05", "2020-03-05", "2021-01-05", "2020-01-05",
                                         "2020-02-29", "2020-04-29", "2019-02-29", "2020-02-29",
                                         "2020-01-31", "2020-11-31", "2020-01-31" };
    static const char *const ids[] = { "220502198001011236", "110101199003074514",
                                       "220502198001011236", "220502198001011235" };
    char rec[512], got[EG_LEG_NAME_BUFSZ];
    eg_fast_row r = { 0 };
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        const char *id = ids[i % 4];
        size_t len = record_on(rec, id, dates[i]);
        eg_date want;
        int valid = eg_date_parse(dates[i], &want) == EG_OK && id[17] != '5';
        assert_int_equal(read_both(rec, len, &r, got), valid);
        if (valid) {
            assert_int_equal(r.dep, want);
            assert_int_equal(r.arr, want);
            assert_int_equal(r.key, key_of(id));
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(plain_record_fields),
        cmocka_unit_test(each_sequence_at_each_offset),
        cmocka_unit_test(each_sequence_at_record_end),
        cmocka_unit_test(random_names_agree),
        cmocka_unit_test(nul_goes_to_full_reader),
        cmocka_unit_test(memo_never_stale),
        cmocka_unit_test(too_many_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
