/*
 * tests/core/test_csv.c: the CSV reader (BOM, CRLF, quoting, line numbers,
 * per-row errors and going on after them, files that are not UTF-8) and
 * the field writer (quoting, formula guard, round trip).
 * Files are written under EG_TEST_TMPDIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "epigrid/csv.h"

/* Write `len` bytes to EG_TEST_TMPDIR/core_csv_<name>.csv; return the path
 * (static buffer, valid until the next call). */
static const char *write_file(const char *name, const char *bytes, size_t len)
{
    static char path[512];
    mkdir(EG_TEST_TMPDIR, 0777);
    snprintf(path, sizeof path, "%s/core_csv_%s.csv", EG_TEST_TMPDIR, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    return path;
}

/* Open a reader over `text`, which must succeed. */
static eg_csv *open_text(const char *name, const char *text)
{
    eg_csv *r = NULL;
    eg_diag d;
    const char *path = write_file(name, text, strlen(text));
    eg_err rc = eg_csv_open(path, &r, &d);
    if (rc != EG_OK) {
        char buf[600];
        fail_msg("open %s: %s", name, eg_diag_format(&d, buf, sizeof buf));
    }
    return r;
}

/* Read the next row and assert it is good and starts at `line`. */
static void next_ok(eg_csv *r, unsigned long line)
{
    eg_diag d;
    eg_err rc = eg_csv_next(r, &d);
    if (rc != EG_OK) {
        char buf[600];
        fail_msg("expected a row at line %lu: %s", line, eg_diag_format(&d, buf, sizeof buf));
    }
    assert_int_equal(eg_csv_line(r), line);
}

/* Read the next row and assert it is refused with `rc` at `line`, in
 * `column`, for `reason`. */
static void next_refused(eg_csv *r, eg_err rc, unsigned long line, const char *column,
                         const char *reason)
{
    eg_diag d;
    eg_diag_clear(&d);
    assert_int_equal(eg_csv_next(r, &d), rc);
    assert_int_equal(d.line, line);
    assert_int_equal(eg_csv_line(r), line);
    assert_string_equal(d.column, column);
    assert_string_equal(d.reason, reason);
    assert_string_equal(d.file, eg_csv_name(r));
}

/* Assert the end of the file. */
static void next_eof(eg_csv *r)
{
    assert_int_equal(eg_csv_next(r, NULL), EG_ERR_EOF);
}

/* BOM stripped, CRLF line ends, blanks around fields trimmed, raw text
 * without its line break, bytes counted. */
static void test_bom_crlf_blanks(void **state)
{
    (void)state;
    const char *text = "\xef\xbb\xbf" "code, name \r\n220500,通化市\r\n 2205 , 东昌区 \r\n";
    eg_csv *r = open_text("bom", text);
    assert_int_equal(eg_csv_ncols(r), 2);
    assert_string_equal(eg_csv_header(r, 0), "code");
    assert_string_equal(eg_csv_header(r, 1), "name");
    next_ok(r, 2);
    assert_true(eg_csv_is_first_row(r));
    assert_string_equal(eg_csv_field(r, 0), "220500");
    assert_string_equal(eg_csv_field(r, 1), "通化市");
    assert_string_equal(eg_csv_raw(r), "220500,通化市");
    next_ok(r, 3);
    assert_false(eg_csv_is_first_row(r));
    assert_string_equal(eg_csv_field(r, 0), "2205");
    assert_string_equal(eg_csv_field(r, 1), "东昌区");
    assert_string_equal(eg_csv_raw(r), " 2205 , 东昌区 ");
    next_eof(r);
    next_eof(r);
    assert_int_equal(eg_csv_offset(r), strlen(text));
    eg_csv_close(r);
}

/* Quoted commas, "" escapes, blanks outside quotes trimmed and inside
 * kept, empty fields, a last line without a line break. */
static void test_quoting(void **state)
{
    (void)state;
    eg_csv *r = open_text("quoting", "a,b,c\n"
                                     "\"x,y\",\"say \"\"hi\"\"\",\"\"\n"
                                     "  \"  padded  \"  ,,\"\"\"\"\n"
                                     "1,2,3");
    next_ok(r, 2);
    assert_string_equal(eg_csv_field(r, 0), "x,y");
    assert_string_equal(eg_csv_field(r, 1), "say \"hi\"");
    assert_string_equal(eg_csv_field(r, 2), "");
    next_ok(r, 3);
    assert_string_equal(eg_csv_field(r, 0), "  padded  ");
    assert_string_equal(eg_csv_field(r, 1), "");
    assert_string_equal(eg_csv_field(r, 2), "\"");
    next_ok(r, 4);
    assert_string_equal(eg_csv_field(r, 2), "3");
    assert_string_equal(eg_csv_raw(r), "1,2,3");
    next_eof(r);
    eg_csv_close(r);
}

/* Line breaks inside quotes (LF and CRLF kept as they were); rows after
 * them have the right line numbers; blank lines are skipped. */
static void test_quoted_newlines_and_blank_lines(void **state)
{
    (void)state;
    eg_csv *r = open_text("newlines", "id,addr,n\n"
                                      "1,\"line1\nline2\",x\n"
                                      "2,plain,y\n"
                                      "\n"
                                      "   \t\n"
                                      "3,\"a\r\n\r\nb\",z\r\n"
                                      "\r\n"
                                      "4,\"\n\",w\n");
    next_ok(r, 2);
    assert_string_equal(eg_csv_field(r, 1), "line1\nline2");
    assert_string_equal(eg_csv_field(r, 2), "x");
    assert_string_equal(eg_csv_raw(r), "1,\"line1\nline2\",x");
    next_ok(r, 4);
    assert_string_equal(eg_csv_field(r, 1), "plain");
    next_ok(r, 7);
    assert_string_equal(eg_csv_field(r, 1), "a\r\n\r\nb");
    assert_string_equal(eg_csv_field(r, 2), "z");
    assert_string_equal(eg_csv_raw(r), "3,\"a\r\n\r\nb\",z");
    next_ok(r, 11);
    assert_string_equal(eg_csv_field(r, 1), "\n");
    assert_string_equal(eg_csv_field(r, 2), "w");
    next_eof(r);
    eg_csv_close(r);
}

/* Columns by name; a missing one is refused with its name; extra header
 * columns are ignored. */
static void test_find_columns(void **state)
{
    (void)state;
    eg_csv *r = open_text("find", "id_no,name,extra,address_code\n1,2,3,4\n");
    size_t idx = 99;
    eg_diag d;
    assert_int_equal(eg_csv_find(r, "address_code", &idx, &d), EG_OK);
    assert_int_equal(idx, 3);
    assert_int_equal(eg_csv_find(r, "id_no", &idx, &d), EG_OK);
    assert_int_equal(idx, 0);
    assert_true(eg_csv_has(r, "name"));
    assert_false(eg_csv_has(r, "phone"));
    assert_false(eg_csv_has(r, "Name"));
    assert_int_equal(eg_csv_find(r, "phone", &idx, &d), EG_ERR_MISSING_COLUMN);
    assert_string_equal(d.column, "phone");
    assert_string_equal(d.reason, "required column phone is missing");
    assert_int_equal(d.line, 1);
    next_ok(r, 2);
    assert_string_equal(eg_csv_field(r, 3), "4");
    eg_csv_close(r);
}

/* Too few fields is an error naming the first missing column; more are
 * fine when empty; reading goes on. */
static void test_field_counts(void **state)
{
    (void)state;
    eg_csv *r = open_text("counts", "a,b,c\n1,2\n1,2,3,,\n1,2,3,4\n5,6,7\n");
    next_refused(r, EG_ERR_PARSE, 2, "c", "too few fields: 2 of 3");
    assert_string_equal(eg_csv_raw(r), "1,2");
    next_ok(r, 3);
    assert_string_equal(eg_csv_field(r, 2), "3");
    next_refused(r, EG_ERR_PARSE, 4, "", "too many fields: 4, the header has 3");
    next_ok(r, 5);
    assert_string_equal(eg_csv_field(r, 0), "5");
    next_eof(r);
    eg_csv_close(r);
}

/* Broken quoting: each is reported for its row and column, and reading
 * goes on at the next line. */
static void test_broken_quoting(void **state)
{
    (void)state;
    eg_csv *r = open_text("broken", "a,b\n"
                                    "ab\"c,d\n"
                                    "\"ab\"c,d\n"
                                    "x,\"ok\" ,\n"
                                    "\"p\nq\"z,1\n"
                                    "last,row\n");
    next_refused(r, EG_ERR_PARSE, 2, "a", "quote in the middle of an unquoted field");
    assert_string_equal(eg_csv_raw(r), "ab\"c,d");
    next_refused(r, EG_ERR_PARSE, 3, "a", "text after a closing quote");
    next_ok(r, 4);
    assert_string_equal(eg_csv_field(r, 1), "ok");
    /* the error is on the row's second line; the row starts at line 5 */
    next_refused(r, EG_ERR_PARSE, 5, "a", "text after a closing quote");
    assert_string_equal(eg_csv_raw(r), "\"p\nq\"z,1");
    next_ok(r, 7);
    assert_string_equal(eg_csv_field(r, 0), "last");
    next_eof(r);
    eg_csv_close(r);
}

/* A quote never closed is reported for its row; the lines after it are
 * read again as rows. */
static void test_unterminated_quote(void **state)
{
    (void)state;
    eg_csv *r = open_text("unterminated", "a,b\n1,\"x\n2,y\n3,z\n");
    next_refused(r, EG_ERR_PARSE, 2, "b", "unterminated quote");
    assert_string_equal(eg_csv_raw(r), "1,\"x");
    next_ok(r, 3);
    assert_string_equal(eg_csv_field(r, 0), "2");
    assert_string_equal(eg_csv_field(r, 1), "y");
    next_ok(r, 4);
    assert_string_equal(eg_csv_field(r, 1), "z");
    next_eof(r);
    eg_csv_close(r);

    /* the open quote follows a quoted field that spanned two lines */
    r = open_text("unterminated2", "a,b\n\"p\nq\",\"r\n4,5\n6,7\n");
    next_refused(r, EG_ERR_PARSE, 2, "b", "unterminated quote");
    assert_string_equal(eg_csv_raw(r), "\"p\nq\",\"r");
    next_ok(r, 4);
    assert_string_equal(eg_csv_field(r, 0), "4");
    next_ok(r, 5);
    assert_string_equal(eg_csv_field(r, 1), "7");
    next_eof(r);
    eg_csv_close(r);

    /* on the last line, without a line break */
    r = open_text("unterminated3", "a,b\n\"6");
    next_refused(r, EG_ERR_PARSE, 2, "a", "unterminated quote");
    assert_string_equal(eg_csv_raw(r), "\"6");
    next_eof(r);
    eg_csv_close(r);
}

/* A quoted field longer than the reader looks ahead (1 MiB) is refused
 * as unterminated, and the lines are read again as rows. */
static void test_quoted_field_too_long(void **state)
{
    (void)state;
    const size_t lines = 20000; /* 20000 lines of 64 bytes: 1.25 MiB */
    char *text = malloc(lines * 64 + 64);
    assert_non_null(text);
    size_t len = (size_t)sprintf(text, "a,b\n1,\"open\n");
    for (size_t i = 0; i < lines; i++) {
        memset(text + len, 'x', 60);
        len += 60;
        len += (size_t)sprintf(text + len, ",%02zu\n", i % 100);
    }
    text[len] = '\0';
    eg_csv *r = open_text("toolong", text);
    free(text);
    next_refused(r, EG_ERR_PARSE, 2, "b", "unterminated quote");
    assert_string_equal(eg_csv_raw(r), "1,\"open");
    for (size_t i = 0; i < lines; i++)
        next_ok(r, 3 + i);
    assert_string_equal(eg_csv_field(r, 1), "99");
    next_eof(r);
    eg_csv_close(r);
}

/* A header in GBK (a spreadsheet's export) refuses the whole file. */
static void test_gbk_header_refused(void **state)
{
    (void)state;
    /* 通化 in GBK, then a column in ASCII */
    const char text[] = "\xcd\xa8\xbb\xaf,code\n1,2\n";
    const char *path = write_file("gbk", text, sizeof text - 1);
    eg_csv *r = (eg_csv *)1;
    eg_diag d;
    assert_int_equal(eg_csv_open(path, &r, &d), EG_ERR_ENCODING);
    assert_null(r);
    assert_string_equal(d.reason, "file is not UTF-8 (GBK from a spreadsheet?)");
    assert_string_equal(d.file, path);
    assert_int_equal(d.line, 1);
}

/* A bad byte in a later row rejects that row only, naming the column. */
static void test_bad_utf8_in_row_3(void **state)
{
    (void)state;
    eg_csv *r = open_text("badrow", "code,name\n2205,通化\n2206,\xcd\xa8\xbb\xaf\n2207,ok\n");
    next_ok(r, 2);
    next_refused(r, EG_ERR_ENCODING, 3, "name", "invalid UTF-8 at byte 3 of the field");
    assert_false(eg_csv_is_first_row(r));
    assert_string_equal(eg_csv_raw(r), "2206,\xcd\xa8\xbb\xaf");
    next_ok(r, 4);
    assert_string_equal(eg_csv_field(r, 1), "ok");
    next_eof(r);
    eg_csv_close(r);
}

/* A bad first data row: the importer must refuse the file. */
static void test_bad_utf8_first_row(void **state)
{
    (void)state;
    eg_csv *r = open_text("badfirst", "code,name\n\n2206,\xbb\xaf\n2207,ok\n");
    next_refused(r, EG_ERR_ENCODING, 3, "name", "file is not UTF-8 (GBK from a spreadsheet?)");
    assert_true(eg_csv_is_first_row(r));
    eg_csv_close(r);

    /* invalid bytes win over broken quoting in the same row */
    r = open_text("badfirst2", "code,name\n\xbb\xaf\"x,y\n");
    next_refused(r, EG_ERR_ENCODING, 2, "code", "file is not UTF-8 (GBK from a spreadsheet?)");
    assert_true(eg_csv_is_first_row(r));
    eg_csv_close(r);
}

/* A NUL byte (a UTF-16 file, say) is refused like invalid UTF-8. */
static void test_nul_byte(void **state)
{
    (void)state;
    const char text[] = "a,b\n1,x\0y\n2,z\n";
    const char *path = write_file("nul", text, sizeof text - 1);
    eg_csv *r = NULL;
    eg_diag d;
    assert_int_equal(eg_csv_open(path, &r, &d), EG_OK);
    next_refused(r, EG_ERR_ENCODING, 2, "b", "file is not UTF-8 (GBK from a spreadsheet?)");
    next_ok(r, 3);
    next_eof(r);
    eg_csv_close(r);

    const char utf16[] = "a\0,\0b\0\n\0";
    path = write_file("utf16", utf16, sizeof utf16 - 1);
    assert_int_equal(eg_csv_open(path, &r, &d), EG_ERR_ENCODING);
}

/* Files that cannot be read or have no header. */
static void test_open_failures(void **state)
{
    (void)state;
    eg_csv *r = NULL;
    eg_diag d;
    assert_int_equal(eg_csv_open(EG_TEST_TMPDIR "/no/such/file.csv", &r, &d), EG_ERR_IO);
    assert_null(r);
    assert_string_equal(d.file, EG_TEST_TMPDIR "/no/such/file.csv");
    assert_non_null(strstr(d.reason, "cannot open"));
    const char *path = write_file("empty", "", 0);
    assert_int_equal(eg_csv_open(path, &r, &d), EG_ERR_PARSE);
    assert_string_equal(d.reason, "empty file: no header row");
    path = write_file("blank", "\n  \r\n", 5);
    assert_int_equal(eg_csv_open(path, &r, &d), EG_ERR_PARSE);
    path = write_file("dup", "a,b,a\n", 6);
    assert_int_equal(eg_csv_open(path, &r, &d), EG_ERR_PARSE);
    assert_string_equal(d.column, "a");
    assert_string_equal(d.reason, "broken header: column appears twice");
    path = write_file("badhead", "a,b\"c\n", 6);
    assert_int_equal(eg_csv_open(path, &r, &d), EG_ERR_PARSE);
    assert_string_equal(d.reason, "broken header: quote in the middle of an unquoted field");
    assert_null(r);
}

/* A header after blank lines, quoted header names, a stream reader. */
static void test_header_details_and_stream(void **state)
{
    (void)state;
    const char *text = "\n\n \"code\" ,\"na,me\"\n1,2\n";
    const char *path = write_file("stream", text, strlen(text));
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    eg_csv *r = NULL;
    assert_int_equal(eg_csv_open_stream(f, "input", &r, NULL), EG_OK);
    assert_string_equal(eg_csv_name(r), "input");
    assert_string_equal(eg_csv_header(r, 1), "na,me");
    size_t idx;
    eg_diag d;
    assert_int_equal(eg_csv_find(r, "code", &idx, &d), EG_OK);
    assert_int_equal(eg_csv_find(r, "x", &idx, &d), EG_ERR_MISSING_COLUMN);
    assert_int_equal(d.line, 3);
    next_ok(r, 4);
    next_eof(r);
    eg_csv_close(r);
    /* the stream stays open: the reader did not own it */
    assert_int_equal(fclose(f), 0);
}

/* Write one field into a string; returns a malloc'ed copy. */
static char *written(const char *s)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(eg_csv_write_field(f, s), EG_OK);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* Assert how one field is written, to a stream and formatted in memory
 * (into exactly the room eg_csv_format_field asks for, guarded after). */
static void assert_written(const char *s, const char *want)
{
    char *got = written(s);
    assert_string_equal(got, want);
    free(got);
    size_t room = 2 * (s ? strlen(s) : 0) + 3;
    char *buf = malloc(room + 1);
    assert_non_null(buf);
    buf[room] = '#';
    size_t n = eg_csv_format_field(buf, s);
    assert_true(n <= room);
    assert_int_equal(n, strlen(want));
    assert_memory_equal(buf, want, n);
    assert_int_equal(buf[room], '#');
    free(buf);
}

/* RFC 4180 quoting only where needed, and the formula guard. */
static void test_write_field(void **state)
{
    (void)state;
    assert_written("plain", "plain");
    assert_written("通化市", "通化市");
    assert_written("", "");
    assert_written(NULL, "");
    assert_written("a,b", "\"a,b\"");
    assert_written("say \"hi\"", "\"say \"\"hi\"\"\"");
    assert_written("line\nbreak", "\"line\nbreak\"");
    assert_written("cr\r", "\"cr\r\"");
    assert_written(" padded ", "\" padded \"");
    assert_written("=1+2", "\"'=1+2\"");
    assert_written("+86 138", "\"'+86 138\"");
    assert_written("+8613800001234", "+8613800001234");
    assert_written("+1+1", "\"'+1+1\"");
    assert_written("@SUM(A1)", "\"'@SUM(A1)\"");
    /* the worst case, longer than the stack buffer: every byte a quote,
     * behind a formula sign */
    char q[302], want[700];
    q[0] = '=';
    memset(q + 1, '"', 300);
    q[301] = 0;
    want[0] = '"';
    want[1] = '\'';
    want[2] = '=';
    memset(want + 3, '"', 600);
    want[603] = '"';
    want[604] = 0;
    assert_written(q, want);
    assert_written("-x", "\"'-x\"");
    assert_written("-", "\"'-\"");
    assert_written("=\"a\"", "\"'=\"\"a\"\"\"");
    assert_written("-3.5", "-3.5");
    assert_written("-.5", "-.5");
    assert_written("a=b", "a=b");
}

/* What the writer writes, the reader reads back the same. */
static void test_round_trip(void **state)
{
    (void)state;
    static const char *const values[] = {
        "plain", "a,b", "say \"hi\"", "line1\nline2", "crlf\r\nin", " padded ", "",
        "\xe3\x80\x80wide\xe3\x80\x80", "通化市", "-3.5", "\"", ",",
    };
    const size_t n = sizeof values / sizeof values[0];
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    fputs("k,v\n", f);
    for (size_t i = 0; i < n; i++) {
        fprintf(f, "%zu,", i);
        assert_int_equal(eg_csv_write_field(f, values[i]), EG_OK);
        fputs("\r\n", f);
    }
    fprintf(f, "%zu,", n);
    assert_int_equal(eg_csv_write_field(f, "=cmd"), EG_OK);
    fputc('\n', f);
    assert_int_equal(fclose(f), 0);

    eg_csv *r = open_text("roundtrip", buf);
    free(buf);
    for (size_t i = 0; i < n; i++) {
        eg_diag d;
        assert_int_equal(eg_csv_next(r, &d), EG_OK);
        assert_int_equal(strtoul(eg_csv_field(r, 0), NULL, 10), i);
        assert_string_equal(eg_csv_field(r, 1), values[i]);
    }
    next_ok(r, (unsigned long)n + 4); /* two values above span two lines each */
    assert_string_equal(eg_csv_field(r, 1), "'=cmd");
    next_eof(r);
    eg_csv_close(r);
}

/* eg_csv_close accepts NULL. */
static void test_close_null(void **state)
{
    (void)state;
    eg_csv_close(NULL);
}

/* A small random generator of the test's own (xorshift64). */
static uint64_t rnd(uint64_t *st)
{
    *st ^= *st << 13;
    *st ^= *st >> 7;
    *st ^= *st << 17;
    return *st;
}

/* The first line of each row eg_csv_next reads from text (good rows and
 * rows it reports), into lines[]; their number. */
static size_t csv_rows(const char *text, size_t len, unsigned long *lines, size_t max)
{
    FILE *f = fmemopen((void *)text, len, "r");
    eg_csv *r;
    size_t n = 0;
    assert_non_null(f);
    assert_int_equal(eg_csv_open_stream(f, "t.csv", &r, NULL), EG_OK);
    for (;;) {
        eg_diag d;
        eg_diag_clear(&d);
        eg_err e = eg_csv_next(r, &d);
        if (e == EG_ERR_EOF)
            break;
        assert_true(e == EG_OK || e == EG_ERR_PARSE || e == EG_ERR_ENCODING);
        assert_true(n < max);
        lines[n++] = e == EG_OK ? eg_csv_line(r) : d.line;
    }
    eg_csv_close(r);
    fclose(f);
    return n;
}

/* The first line of each non-blank record eg_csv_record_len finds in the
 * text after the header line, given all of it (at_eof) or, when `grow`,
 * only as much as it asks for; their number. */
static size_t cut_rows(const char *text, size_t len, int grow, unsigned long *lines, size_t max)
{
    const char *body = memchr(text, '\n', len);
    size_t pos = (size_t)(body - text) + 1, n = 0;
    unsigned long line = 2;
    while (pos < len) {
        unsigned long nl = 0;
        size_t have = grow ? 1 : len - pos, rec;
        while ((rec = eg_csv_record_len(text + pos, have, pos + have == len, &nl)) == 0) {
            assert_true(pos + have < len);
            have++;
        }
        size_t blank = 1;
        for (size_t i = pos; i < pos + rec; i++)
            blank &= text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n';
        if (!blank) {
            assert_true(n < max);
            lines[n++] = line;
        }
        line += nl;
        pos += rec;
    }
    return n;
}

/* eg_csv_record_len cuts every text where eg_csv_next does: random texts
 * of quotes, doubled quotes, commas, blanks, CR, LF and letters (stray
 * quotes, quotes never closed, quoted line breaks, text after a closing
 * quote), fed whole and a byte at a time; and a quote left open longer
 * than the reader looks for its end. */
static void test_record_len_matches_reader(void **state)
{
    (void)state;
    static const char *const TOK[] = { "a", "bc", ",", ",", "\"", "\"\"", " ", "\n", "\n", "\r\n", "\t", "中" };
    uint64_t seed = 0x2545F4914F6CDD1Du;
    char text[512];
    unsigned long want[256], got[256];
    for (int t = 0; t < 20000; t++) {
        size_t len = (size_t)sprintf(text, "h1,h2,h3\n");
        int ntok = 1 + (int)(rnd(&seed) % 40);
        for (int k = 0; k < ntok; k++) {
            const char *tk = TOK[rnd(&seed) % (sizeof TOK / sizeof TOK[0])];
            memcpy(text + len, tk, strlen(tk));
            len += strlen(tk);
        }
        if (rnd(&seed) % 2)
            text[len++] = '\n';
        size_t nw = csv_rows(text, len, want, 256);
        size_t ng = cut_rows(text, len, 0, got, 256);
        if (ng != nw || memcmp(got, want, nw * sizeof *want) != 0)
            fail_msg("rows differ for %.*s", (int)len, text);
        ng = cut_rows(text, len, 1, got, 256);
        assert_int_equal(ng, nw);
        assert_memory_equal(got, want, nw * sizeof *want);
    }
    /* a quote opened and closed only after the reader's 1 MiB: the row is
     * its own line, the lines after it are rows again */
    size_t big = (1u << 20) + 4096, len = 0;
    char *b = malloc(big + 64);
    assert_non_null(b);
    len = (size_t)sprintf(b, "h1,h2\nx,\"open\n");
    while (len < big)
        len += (size_t)sprintf(b + len, "y,z\n");
    len += (size_t)sprintf(b + len, "closed\",z\nlast,row\n"); /* past the 1 MiB */
    size_t max = len / 4 + 16;
    unsigned long *w = malloc(max * sizeof *w), *g = malloc(max * sizeof *g);
    assert_non_null(w);
    assert_non_null(g);
    size_t nw = csv_rows(b, len, w, max);
    assert_true(nw > 200000);
    assert_int_equal(w[0], 2);
    assert_int_equal(w[1], 3); /* the row after the open quote */
    assert_int_equal(cut_rows(b, len, 0, g, max), nw);
    assert_memory_equal(g, w, nw * sizeof *w);
    free(w);
    free(g);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bom_crlf_blanks),
        cmocka_unit_test(test_quoting),
        cmocka_unit_test(test_quoted_newlines_and_blank_lines),
        cmocka_unit_test(test_find_columns),
        cmocka_unit_test(test_field_counts),
        cmocka_unit_test(test_broken_quoting),
        cmocka_unit_test(test_unterminated_quote),
        cmocka_unit_test(test_quoted_field_too_long),
        cmocka_unit_test(test_gbk_header_refused),
        cmocka_unit_test(test_bad_utf8_in_row_3),
        cmocka_unit_test(test_bad_utf8_first_row),
        cmocka_unit_test(test_nul_byte),
        cmocka_unit_test(test_open_failures),
        cmocka_unit_test(test_header_details_and_stream),
        cmocka_unit_test(test_write_field),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_close_null),
        cmocka_unit_test(test_record_len_matches_reader),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
