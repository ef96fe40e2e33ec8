/*
 * core/csv.c: the streaming CSV reader of the input files
 * (spec/formats.md) and the RFC 4180 field writer of rejects files and
 * `--format csv` output.
 *
 * The reader takes physical lines with getline() and scans them with a
 * small state machine; a quoted field may continue on the next lines. It
 * keeps one row in memory: its raw text (for rejects files), its fields
 * (NUL-separated in one buffer) and their offsets. A quote that is never
 * closed is reported for the row where it opened, and the lines read ahead
 * to look for it are read again as rows of their own, so one stray quote
 * cannot swallow the rest of the file; a quoted field may span at most
 * CSV_MAX_ROW bytes, which also bounds the memory of that look-ahead.
 */
#include "epigrid/array.h"
#include "epigrid/csv.h"
#include "epigrid/text.h"

#include <assert.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Longest row (bytes of its lines) in which a quoted field is looked for. */
#define CSV_MAX_ROW ((size_t)1 << 20)

/* Reason given for a header or first data row that is not UTF-8. */
#define NOT_UTF8_REASON "file is not UTF-8 (GBK from a spreadsheet?)"

/* A growable byte buffer. */
typedef struct csv_buf {
    char *data;
    size_t len, cap;
} csv_buf;

/* States of the field scanner. */
typedef enum scan_state {
    ST_FIELD_START, /* before a field: blanks skipped */
    ST_UNQUOTED,    /* inside a field without quotes */
    ST_QUOTED,      /* inside quotes */
    ST_QUOTE_SEEN,  /* a quote inside quotes: "" escape or the closing one */
    ST_AFTER_CLOSE  /* blanks after the closing quote */
} scan_state;

/* Structural problems a row can have. */
typedef enum scan_error {
    SCAN_OK = 0,
    SCAN_STRAY_QUOTE,  /* a quote in the middle of an unquoted field */
    SCAN_AFTER_QUOTE,  /* text after a closing quote */
    SCAN_UNTERMINATED  /* a quote never closed */
} scan_error;

struct eg_csv {
    FILE *f;
    int owns_file;
    char *name;
    /* header */
    size_t ncols;
    char *header_names;       /* NUL-separated names */
    size_t *header_off;       /* offset of each name in header_names */
    unsigned long header_line;
    /* input */
    char *line;               /* getline() buffer */
    size_t line_cap;
    csv_buf pending;          /* lines read ahead, to be read again */
    size_t pending_pos;
    unsigned long next_line;  /* number of the next physical line */
    unsigned long long offset;/* bytes read from the file */
    /* current row */
    csv_buf raw;              /* its lines as read, line breaks included */
    csv_buf fields;           /* its fields, each NUL-terminated */
    size_t *field_off;
    size_t nfields, field_cap;
    unsigned long row_line;   /* line where it starts */
    unsigned long rows;       /* data rows returned or refused so far */
};

/* Make room for `extra` more bytes in b. */
static eg_err reserve_bytes(csv_buf *b, size_t extra)
{
    if (b->cap - b->len >= extra)
        return EG_OK;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < extra)
        cap *= 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return EG_ERR_NOMEM;
    b->data = p;
    b->cap = cap;
    return EG_OK;
}

/* Append n bytes to b. */
static eg_err append_bytes(csv_buf *b, const char *s, size_t n)
{
    eg_err rc = reserve_bytes(b, n + 1);
    if (rc)
        return rc;
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return EG_OK;
}

/* Header name of column i, or "" past the header (extra fields). */
static const char *column_name(const eg_csv *r, size_t i)
{
    return i < r->ncols ? r->header_names + r->header_off[i] : "";
}

/* Read the next physical line, line break included, from the lines read
 * ahead or else from the file (dropping a BOM at the very start).
 * Returns EG_OK, EG_ERR_EOF or EG_ERR_IO; *lineno gets its number. */
static eg_err read_line(eg_csv *r, const char **text, size_t *len, unsigned long *lineno)
{
    if (r->pending_pos < r->pending.len) {
        const char *start = r->pending.data + r->pending_pos;
        size_t left = r->pending.len - r->pending_pos;
        const char *nl = memchr(start, '\n', left);
        *len = nl ? (size_t)(nl - start) + 1 : left;
        *text = start;
        r->pending_pos += *len;
        *lineno = r->next_line++;
        return EG_OK;
    }
    errno = 0;
    ssize_t n = getline(&r->line, &r->line_cap, r->f);
    if (n < 0)
        return ferror(r->f) ? EG_ERR_IO : EG_ERR_EOF;
    *text = r->line;
    *len = (size_t)n;
    if (r->offset == 0 && n >= 3 && memcmp(r->line, "\xef\xbb\xbf", 3) == 0) {
        *text += 3;
        *len -= 3;
    }
    r->offset += (unsigned long long)n;
    *lineno = r->next_line++;
    return EG_OK;
}

/* Length of the line break at the end of text[0..len): 2 for CRLF, 1 for
 * LF (or a lone CR at the end of the file), 0 when there is none. */
static size_t line_break_len(const char *text, size_t len)
{
    if (len >= 2 && text[len - 2] == '\r' && text[len - 1] == '\n')
        return 2;
    if (len >= 1 && (text[len - 1] == '\n' || text[len - 1] == '\r'))
        return 1;
    return 0;
}

/* Finish the field being built: trim it when it was unquoted, terminate
 * it and record its offset. */
static eg_err end_field(eg_csv *r, size_t start, int unquoted)
{
    if (unquoted) {
        size_t n;
        const char *p = eg_text_trim_span(r->fields.data + start, r->fields.len - start, &n);
        memmove(r->fields.data + start, p, n);
        r->fields.len = start + n;
    }
    r->fields.data[r->fields.len++] = '\0';
    if (r->nfields == r->field_cap &&
        eg_array_grow(&r->field_off, r->nfields, &r->field_cap, sizeof *r->field_off))
        return EG_ERR_NOMEM;
    r->field_off[r->nfields++] = start;
    return EG_OK;
}

/* The scanner's progress through one row. */
typedef struct scan {
    scan_state state;
    size_t field_start;   /* offset in r->fields of the field being built */
    scan_error error;
} scan;

/* What one byte does to the field being scanned (scan_step). */
typedef enum scan_effect {
    FX_SKIP,          /* nothing to keep: a blank outside a field, an opening quote */
    FX_KEEP,          /* the byte belongs to the field */
    FX_END_UNQUOTED,  /* a comma ended an unquoted field */
    FX_END_QUOTED,    /* a comma ended a quoted field */
    FX_STRAY_QUOTE,   /* error: a quote in the middle of an unquoted field */
    FX_AFTER_QUOTE    /* error: text after a closing quote */
} scan_effect;

/* Move the scanner by one byte c of a line's content: the one state
 * machine of the reader (scan_content) and of eg_csv_record_len. A quote
 * seen inside quotes keeps the field open; the next byte says whether it
 * was an escaped quote ("", kept as one) or the closing one. */
static inline scan_effect scan_step(scan_state *st, char c)
{
    switch (*st) {
    case ST_FIELD_START:
        if (c == ' ' || c == '\t')
            return FX_SKIP;
        if (c == '"') {
            *st = ST_QUOTED;
            return FX_SKIP;
        }
        *st = ST_UNQUOTED;
        /* fall through */
    case ST_UNQUOTED:
        if (c == '"')
            return FX_STRAY_QUOTE;
        if (c == ',') {
            *st = ST_FIELD_START;
            return FX_END_UNQUOTED;
        }
        return FX_KEEP;
    case ST_QUOTED:
        if (c == '"') {
            *st = ST_QUOTE_SEEN;
            return FX_SKIP;
        }
        return FX_KEEP;
    case ST_QUOTE_SEEN:
        if (c == '"') {
            *st = ST_QUOTED;
            return FX_KEEP; /* "" is one quote */
        }
        /* the quote closed the field: c follows it */
        /* fall through */
    case ST_AFTER_CLOSE:
        if (c == ' ' || c == '\t') {
            *st = ST_AFTER_CLOSE;
            return FX_SKIP;
        }
        if (c == ',') {
            *st = ST_FIELD_START;
            return FX_END_QUOTED;
        }
        return FX_AFTER_QUOTE;
    }
    return FX_SKIP;
}

/* Scan the content of one physical line (line break excluded), adding to
 * the row's fields. Stops at the end of the content or at an error. Room
 * for the content has been reserved in r->fields. */
static eg_err scan_content(eg_csv *r, scan *sc, const char *s, size_t n)
{
    char *out = r->fields.data;
    size_t o = r->fields.len;
    eg_err rc = EG_OK;
    for (size_t i = 0; i < n && sc->error == SCAN_OK && rc == EG_OK; i++) {
        scan_effect fx = scan_step(&sc->state, s[i]);
        switch (fx) {
        case FX_SKIP:
            break;
        case FX_KEEP:
            out[o++] = s[i];
            break;
        case FX_END_UNQUOTED:
        case FX_END_QUOTED:
            r->fields.len = o;
            rc = end_field(r, sc->field_start, fx == FX_END_UNQUOTED);
            o = sc->field_start = r->fields.len;
            break;
        case FX_STRAY_QUOTE:
            sc->error = SCAN_STRAY_QUOTE;
            break;
        case FX_AFTER_QUOTE:
            sc->error = SCAN_AFTER_QUOTE;
            break;
        }
    }
    r->fields.len = o;
    return rc;
}

/* Count the line feeds in s[0..n). */
static unsigned long count_lines(const char *s, size_t n)
{
    unsigned long count = 0;
    for (const char *p = s; (p = memchr(p, '\n', n - (size_t)(p - s))) != NULL; p++)
        count++;
    return count;
}

/* Give back the lines of the current row after its first `keep` bytes
 * (and what was still pending), so that they are read again as rows; cut
 * the row's raw text to those bytes. */
static eg_err give_back_lines(eg_csv *r, size_t keep)
{
    csv_buf again = { 0 };
    eg_err rc = append_bytes(&again, r->raw.data + keep, r->raw.len - keep);
    if (!rc && r->pending_pos < r->pending.len)
        rc = append_bytes(&again, r->pending.data + r->pending_pos,
                          r->pending.len - r->pending_pos);
    if (rc) {
        free(again.data);
        return rc;
    }
    free(r->pending.data);
    r->pending = again;
    r->pending_pos = 0;
    r->raw.len = keep;
    r->next_line = r->row_line + count_lines(r->raw.data, keep);
    return EG_OK;
}

/* 1 if line content s[0..n) holds only blanks. */
static int is_blank_line(const char *s, size_t n)
{
    size_t len;
    eg_text_trim_span(s, n, &len);
    return len == 0;
}

/* Start a row: skip blank lines and put the first line of the row in
 * r->raw. Returns EG_OK, EG_ERR_EOF or EG_ERR_IO. */
static eg_err start_row(eg_csv *r, const char **text, size_t *len)
{
    r->raw.len = 0;
    r->fields.len = 0;
    r->nfields = 0;
    for (;;) {
        eg_err rc = read_line(r, text, len, &r->row_line);
        if (rc)
            return rc;
        if (!is_blank_line(*text, *len - line_break_len(*text, *len)))
            return append_bytes(&r->raw, *text, *len);
    }
}

/* Find the first field of the row that is not valid UTF-8 (or holds a NUL
 * byte). Returns its index, or r->nfields when all are valid; *bad gets the
 * byte offset in the field. */
static size_t find_bad_field(const eg_csv *r, size_t *bad)
{
    for (size_t i = 0; i < r->nfields; i++) {
        size_t start = r->field_off[i];
        size_t end = i + 1 < r->nfields ? r->field_off[i + 1] - 1 : r->fields.len - 1;
        const char *f = r->fields.data + start;
        const char *nul = memchr(f, '\0', end - start);
        if (eg_utf8_validate(f, end - start, bad) != EG_OK)
            return i;
        if (nul) {
            *bad = (size_t)(nul - f);
            return i;
        }
    }
    return r->nfields;
}

/* Report a row whose field `col` is not UTF-8. */
static eg_err report_encoding(eg_csv *r, int is_header, size_t col, size_t bad, eg_diag *d)
{
    if (is_header || r->rows == 1)
        return eg_diag_set(d, EG_ERR_ENCODING, r->name, r->row_line, column_name(r, col),
                           "%s", NOT_UTF8_REASON);
    return eg_diag_set(d, EG_ERR_ENCODING, r->name, r->row_line, column_name(r, col),
                       "invalid UTF-8 at byte %zu of the field", bad + 1);
}

/* Report a structural error of field `col`. */
static eg_err report_scan_error(eg_csv *r, scan_error e, size_t col, eg_diag *d)
{
    const char *why = e == SCAN_STRAY_QUOTE ? "quote in the middle of an unquoted field"
                      : e == SCAN_AFTER_QUOTE ? "text after a closing quote"
                                              : "unterminated quote";
    return eg_diag_set(d, EG_ERR_PARSE, r->name, r->row_line, column_name(r, col), "%s", why);
}

/* Read and split the next row (header or data) into r->fields. Returns
 * EG_OK, EG_ERR_EOF, EG_ERR_IO, EG_ERR_NOMEM, or EG_ERR_PARSE /
 * EG_ERR_ENCODING for a row that is reported (d) and skipped; an encoding
 * error wins over a structural one. A quote left open is reported for
 * the row, which then ends with the line where the quote opened. */
static eg_err scan_row(eg_csv *r, int is_header, eg_diag *d)
{
    const char *text;
    size_t len;
    unsigned long lineno;
    eg_err rc = start_row(r, &text, &len);
    if (rc)
        return rc;
    if (!is_header)
        r->rows++;
    scan sc = { ST_FIELD_START, 0, SCAN_OK };
    size_t open_field = SIZE_MAX;         /* the quoted field going on over lines */
    size_t keep_raw = 0, keep_fields = 0; /* the row up to the line where it opened */
    for (;;) {
        size_t brk = line_break_len(text, len);
        rc = reserve_bytes(&r->fields, len + 1);
        if (!rc)
            rc = scan_content(r, &sc, text, len - brk);
        if (rc)
            return rc;
        if (sc.error || sc.state != ST_QUOTED)
            break;
        if (open_field != sc.field_start) { /* the quote opened on this line */
            open_field = sc.field_start;
            keep_raw = r->raw.len;
            keep_fields = r->fields.len;
        }
        /* the line break belongs to the quoted field; go on with the next line */
        memcpy(r->fields.data + r->fields.len, text + len - brk, brk);
        r->fields.len += brk;
        rc = brk ? read_line(r, &text, &len, &lineno) : EG_ERR_EOF;
        if (rc == EG_OK)
            rc = append_bytes(&r->raw, text, len);
        if (rc != EG_OK && rc != EG_ERR_EOF)
            return rc;
        if (rc == EG_ERR_EOF || r->raw.len > CSV_MAX_ROW) {
            sc.error = SCAN_UNTERMINATED;
            if ((rc = give_back_lines(r, keep_raw)) != EG_OK)
                return rc;
            r->fields.len = keep_fields;
            break;
        }
    }
    r->raw.len -= line_break_len(r->raw.data, r->raw.len);
    r->raw.data[r->raw.len] = '\0';
    if ((rc = reserve_bytes(&r->fields, 1)) != EG_OK ||
        (rc = end_field(r, sc.field_start, sc.state == ST_UNQUOTED)) != EG_OK)
        return rc;
    size_t bad = 0, col = find_bad_field(r, &bad);
    if (col < r->nfields)
        return report_encoding(r, is_header, col, bad, d);
    if (sc.error)
        return report_scan_error(r, sc.error, r->nfields - 1, d);
    return EG_OK;
}

size_t eg_csv_record_len(const char *s, size_t n, int at_eof, unsigned long *lines)
{
    scan_state state = ST_FIELD_START;
    size_t pos = 0, keep = 0, field = 0, open_field = SIZE_MAX;
    unsigned long nl = 0, keep_nl = 0;
    assert(s != NULL || n == 0);
    for (;;) {
        const char *eol = pos < n ? memchr(s + pos, '\n', n - pos) : NULL;
        size_t le = eol ? (size_t)(eol - s) + 1 : n;
        if (pos > 0 && (le > CSV_MAX_ROW || (pos == n && at_eof))) {
            *lines = keep_nl; /* a quote never closed: the row ends where it opened */
            return keep;
        }
        if (!eol && !at_eof)
            return 0; /* the line is not whole yet */
        int error = 0;
        for (size_t i = pos, end = le - line_break_len(s + pos, le - pos); i < end && !error; i++) {
            scan_effect fx = scan_step(&state, s[i]);
            field += fx == FX_END_UNQUOTED || fx == FX_END_QUOTED;
            error = fx == FX_STRAY_QUOTE || fx == FX_AFTER_QUOTE;
        }
        nl += eol != NULL;
        if (error || state != ST_QUOTED) {
            *lines = nl;
            return le;
        }
        if (open_field != field) { /* the quoted field opened on this line */
            open_field = field;
            keep = le;
            keep_nl = nl;
        }
        if (!eol) { /* the end of the input inside a quoted field */
            *lines = keep_nl;
            return keep;
        }
        pos = le;
    }
}

/* Check the number of fields of a data row against the header: fewer is
 * an error, more only when the extra fields are empty. */
static eg_err check_field_count(eg_csv *r, eg_diag *d)
{
    if (r->nfields < r->ncols)
        return eg_diag_set(d, EG_ERR_PARSE, r->name, r->row_line, column_name(r, r->nfields),
                           "too few fields: %zu of %zu", r->nfields, r->ncols);
    for (size_t i = r->ncols; i < r->nfields; i++)
        if (r->fields.data[r->field_off[i]] != '\0')
            return eg_diag_set(d, EG_ERR_PARSE, r->name, r->row_line, "",
                               "too many fields: %zu, the header has %zu", r->nfields,
                               r->ncols);
    return EG_OK;
}

/* Keep the fields of the row just read as the header; refuse duplicate
 * (non-empty) names. */
static eg_err take_header(eg_csv *r, eg_diag *d)
{
    r->header_names = malloc(r->fields.len);
    r->header_off = malloc(r->nfields * sizeof *r->header_off);
    if (!r->header_names || !r->header_off)
        return EG_ERR_NOMEM;
    memcpy(r->header_names, r->fields.data, r->fields.len);
    memcpy(r->header_off, r->field_off, r->nfields * sizeof *r->header_off);
    r->ncols = r->nfields;
    r->header_line = r->row_line;
    for (size_t i = 0; i < r->ncols; i++) {
        const char *name = column_name(r, i);
        for (size_t j = 0; name[0] && j < i; j++)
            if (strcmp(name, column_name(r, j)) == 0)
                return eg_diag_set(d, EG_ERR_PARSE, r->name, r->row_line, name,
                                   "broken header: column appears twice");
    }
    return EG_OK;
}

/* Read the header row of a new reader. */
static eg_err read_header(eg_csv *r, eg_diag *d)
{
    eg_err rc = scan_row(r, 1, d);
    switch (rc) {
    case EG_OK:
        return take_header(r, d);
    case EG_ERR_EOF:
        return eg_diag_set(d, EG_ERR_PARSE, r->name, 0, NULL, "empty file: no header row");
    case EG_ERR_IO:
        return eg_diag_set(d, rc, r->name, 0, NULL, "read error: %s", strerror(errno));
    case EG_ERR_PARSE: /* make the reason say it is the header */
        if (d) {
            char why[sizeof d->reason];
            memcpy(why, d->reason, sizeof why);
            eg_diag_set(d, rc, r->name, r->row_line, NULL, "broken header: %s", why);
        }
        return rc;
    default:
        return rc;
    }
}

/* Open a reader over a stream (see csv.h). */
eg_err eg_csv_open_stream(FILE *f, const char *name, eg_csv **out, eg_diag *d)
{
    assert(f != NULL && out != NULL);
    *out = NULL;
    eg_csv *r = calloc(1, sizeof *r);
    if (!r)
        return eg_diag_set(d, EG_ERR_NOMEM, name, 0, NULL, "%s", eg_strerror(EG_ERR_NOMEM));
    r->f = f;
    r->next_line = 1;
    r->name = strdup(name ? name : "");
    eg_err rc = r->name ? read_header(r, d) : EG_ERR_NOMEM;
    if (rc == EG_ERR_NOMEM)
        eg_diag_set(d, rc, name, 0, NULL, "%s", eg_strerror(rc));
    if (rc) {
        eg_csv_close(r);
        return rc;
    }
    *out = r;
    return EG_OK;
}

/* Open a file ("-" = standard input) and read its header. */
eg_err eg_csv_open(const char *path, eg_csv **out, eg_diag *d)
{
    assert(path != NULL && out != NULL);
    *out = NULL;
    if (strcmp(path, "-") == 0)
        return eg_csv_open_stream(stdin, "<stdin>", out, d);
    FILE *f = fopen(path, "rb");
    if (!f)
        return eg_diag_set(d, EG_ERR_IO, path, 0, NULL, "cannot open: %s", strerror(errno));
    eg_err rc = eg_csv_open_stream(f, path, out, d);
    if (rc) {
        fclose(f);
        return rc;
    }
    (*out)->owns_file = 1;
    return EG_OK;
}

/* Free a reader, closing its file when it opened it. */
void eg_csv_close(eg_csv *r)
{
    if (!r)
        return;
    if (r->owns_file)
        fclose(r->f);
    free(r->name);
    free(r->header_names);
    free(r->header_off);
    free(r->line);
    free(r->pending.data);
    free(r->raw.data);
    free(r->fields.data);
    free(r->field_off);
    free(r);
}

/* Number of header columns. */
size_t eg_csv_ncols(const eg_csv *r)
{
    assert(r != NULL);
    return r->ncols;
}

/* Header name of column i. */
const char *eg_csv_header(const eg_csv *r, size_t i)
{
    assert(r != NULL && i < r->ncols);
    return column_name(r, i);
}

/* Index of the header column `name`. */
eg_err eg_csv_find(const eg_csv *r, const char *name, size_t *idx, eg_diag *d)
{
    assert(r != NULL && name != NULL && idx != NULL);
    for (size_t i = 0; i < r->ncols; i++) {
        if (strcmp(column_name(r, i), name) == 0) {
            *idx = i;
            return EG_OK;
        }
    }
    return eg_diag_set(d, EG_ERR_MISSING_COLUMN, r->name, r->header_line, name,
                       "required column %s is missing", name);
}

/* 1 if the header has column `name`. */
int eg_csv_has(const eg_csv *r, const char *name)
{
    size_t idx;
    return eg_csv_find(r, name, &idx, NULL) == EG_OK;
}

/* Read the next data row (see csv.h for the results). */
eg_err eg_csv_next(eg_csv *r, eg_diag *d)
{
    assert(r != NULL);
    eg_err rc = scan_row(r, 0, d);
    switch (rc) {
    case EG_OK:
        return check_field_count(r, d);
    case EG_ERR_IO:
        return eg_diag_set(d, rc, r->name, r->next_line, NULL, "read error: %s",
                           strerror(errno));
    case EG_ERR_EOF:
    case EG_ERR_NOMEM:
        return eg_diag_set(d, rc, r->name, r->next_line, NULL, "%s", eg_strerror(rc));
    default: /* a refused row: scan_row has filled d */
        return rc;
    }
}

/* 1 if the last row read is the first data row of the file. */
int eg_csv_is_first_row(const eg_csv *r)
{
    assert(r != NULL);
    return r->rows == 1;
}

/* Count n data rows as read before the reader's first. */
void eg_csv_rows_before(eg_csv *r, unsigned long n)
{
    assert(r != NULL);
    r->rows += n;
}

/* Field i of the current row. */
const char *eg_csv_field(const eg_csv *r, size_t i)
{
    assert(r != NULL && i < r->ncols && i < r->nfields);
    return r->fields.data + r->field_off[i];
}

/* Line where the current row starts. */
unsigned long eg_csv_line(const eg_csv *r)
{
    assert(r != NULL);
    return r->row_line;
}

/* Name of the input in messages. */
const char *eg_csv_name(const eg_csv *r)
{
    assert(r != NULL);
    return r->name;
}

/* Raw text of the current row. */
const char *eg_csv_raw(const eg_csv *r)
{
    assert(r != NULL);
    return r->raw.data ? r->raw.data : "";
}

/* Bytes read from the file so far. */
unsigned long long eg_csv_offset(const eg_csv *r)
{
    assert(r != NULL);
    return r->offset;
}

/* 1 if s is a number a spreadsheet reads as a number: [+-] then digits
 * with at most one '.', nothing else (a phone +8613800001234, -3.5). */
static int is_plain_number(const char *s)
{
    int digits = 0, dots = 0;
    for (s++; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if (*s == '.' && !dots)
            dots++;
        else
            return 0;
    }
    return digits > 0;
}

/* 1 if a spreadsheet would run s as a formula: it starts with = or @, or
 * with + or - that does not begin a plain number (OWASP CSV injection). */
static int looks_like_formula(const char *s)
{
    if (s[0] == '=' || s[0] == '@')
        return 1;
    return (s[0] == '+' || s[0] == '-') && !is_plain_number(s);
}

/* 1 if s must be quoted: it holds a comma, quote, CR or LF, or has blanks
 * at either end (which the reader would trim). */
static int needs_quotes(const char *s)
{
    size_t len = strlen(s), trimmed;
    eg_text_trim_span(s, len, &trimmed);
    return trimmed != len || strpbrk(s, ",\"\r\n") != NULL;
}

/* Format one field as eg_csv_write_field writes it. */
size_t eg_csv_format_field(char *out, const char *s)
{
    assert(out != NULL);
    if (!s)
        s = "";
    int guard = looks_like_formula(s);
    char *p = out;
    if (!guard && !needs_quotes(s)) {
        size_t n = strlen(s);
        memcpy(out, s, n);
        return n;
    }
    *p++ = '"';
    if (guard)
        *p++ = '\'';
    for (const char *q = s; *q; q++) {
        if (*q == '"')
            *p++ = '"';
        *p++ = *q;
    }
    *p++ = '"';
    return (size_t)(p - out);
}

/* Write one field, quoted and formula-guarded as needed. */
eg_err eg_csv_write_field(FILE *f, const char *s)
{
    assert(f != NULL);
    if (!s)
        s = "";
    size_t n = strlen(s);
    char small[256], *buf = 2 * n + 4 <= sizeof small ? small : malloc(2 * n + 4);
    if (!buf)
        return EG_ERR_NOMEM;
    size_t len = eg_csv_format_field(buf, s);
    eg_err e = fwrite(buf, 1, len, f) == len ? EG_OK : EG_ERR_IO;
    if (buf != small)
        free(buf);
    return e;
}
