/*
 * epigrid/csv.h: a CSV reader for the input files of spec/formats.md.
 *
 * RFC 4180 quoting (fields in double quotes, "" for a quote, line breaks
 * inside quotes), an optional UTF-8 BOM, LF or CRLF line ends, blanks
 * around a field trimmed, columns found by header name (case-sensitive
 * after trimming; extra columns ignored). Rows are streamed: memory is one
 * row, whatever the file size.
 *
 * Errors of a single row (broken quoting, invalid UTF-8, a field count that
 * differs from the header) are returned for that row with its line and
 * column; the reader then continues at the next line, so an importer can
 * reject the row and go on. A file whose header line or first data row is
 * not UTF-8 is refused as a whole (EG_ERR_ENCODING from eg_csv_open /
 * the first eg_csv_next), per spec/formats.md.
 */
#ifndef EPIGRID_CSV_H
#define EPIGRID_CSV_H

#include <stddef.h>
#include <stdio.h>
#include "epigrid/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct eg_csv eg_csv;

/*
 * Open `path` ("-" reads standard input) and read its header row.
 * Returns EG_OK and a reader in *out (free with eg_csv_close); or
 * EG_ERR_IO (cannot open: d names the file and errno's text),
 * EG_ERR_ENCODING (the header is not UTF-8), EG_ERR_PARSE (empty file or
 * broken header). `d` (may be NULL) receives the details.
 */
eg_err eg_csv_open(const char *path, eg_csv **out, eg_diag *d);

/* Same, over an open stream that the reader does not close; `name` is used
 * in messages. */
eg_err eg_csv_open_stream(FILE *f, const char *name, eg_csv **out, eg_diag *d);

/* Close the reader and its file (NULL is fine). */
void eg_csv_close(eg_csv *r);

/* Number of header columns. */
size_t eg_csv_ncols(const eg_csv *r);

/* Header name of column i (< ncols). Owned by the reader. */
const char *eg_csv_header(const eg_csv *r, size_t i);

/*
 * Find column `name` in the header. Returns EG_OK and its index in *idx;
 * EG_ERR_MISSING_COLUMN when absent (d: "required column X is missing").
 */
eg_err eg_csv_find(const eg_csv *r, const char *name, size_t *idx, eg_diag *d);

/* 1 if the header has `name`, else 0. */
int eg_csv_has(const eg_csv *r, const char *name);

/*
 * Read the next data row. Returns
 *   EG_OK           a row is ready (eg_csv_field etc.);
 *   EG_ERR_EOF      no more rows;
 *   EG_ERR_PARSE    this row is malformed (d: line, column, reason), skip it;
 *   EG_ERR_ENCODING this row has invalid UTF-8 (d says where); when it is
 *                   the first data row the whole file must be refused
 *                   (eg_csv_is_first_row tells);
 *   EG_ERR_IO       a read error.
 * Blank lines are skipped. A row with fewer fields than the header is
 * EG_ERR_PARSE; more fields are accepted when the extra ones are empty.
 */
eg_err eg_csv_next(eg_csv *r, eg_diag *d);

/* 1 if the last row returned (or refused) is the first data row. */
int eg_csv_is_first_row(const eg_csv *r);

/* For a reader over a piece of a file (the header, then rows from further
 * on): count n data rows as read before its first, so that none of its
 * rows is taken for the file's first data row (a bad byte there is "not
 * UTF-8" for the whole file; in a later row it is that row's error). */
void eg_csv_rows_before(eg_csv *r, unsigned long n);

/* Field i of the current row, trimmed, NUL-terminated, "" when empty.
 * Valid until the next eg_csv_next. Owned by the reader. */
const char *eg_csv_field(const eg_csv *r, size_t i);

/* Line number (1-based) where the current row starts. */
unsigned long eg_csv_line(const eg_csv *r);

/* The name used in messages (the path, or the stream's name). */
const char *eg_csv_name(const eg_csv *r);

/* The raw text of the current (or refused) row as read from the file,
 * without its final line break; for writing to a rejects file. Owned by
 * the reader, valid until the next eg_csv_next. */
const char *eg_csv_raw(const eg_csv *r);

/* Bytes consumed so far (for progress on long imports). */
unsigned long long eg_csv_offset(const eg_csv *r);

/*
 * Write one CSV field to f, quoted when it holds a comma, quote, CR or LF
 * (RFC 4180) or has blanks at either end (which the reader would trim), or
 * starts with =, +, @ or a - that is not the sign of a number (-3.5, -.5)
 * so that a spreadsheet does not run it as a formula (then a leading ' is
 * added inside quotes: "'=1+2"). NULL is written as an empty field.
 * Returns EG_OK, EG_ERR_IO, or EG_ERR_NOMEM (a field of over 126 bytes
 * is formatted in a heap buffer).
 */
eg_err eg_csv_write_field(FILE *f, const char *s);

/*
 * The length in bytes (its line break included) of the record that starts
 * at s[0], cut exactly where eg_csv_next would end it: a line ends the
 * record unless a quoted field is still open at its end; a quote in the
 * middle of an unquoted field, or text after a closing quote, ends it with
 * its line; a quote never closed (by the end of the input, or within 1 MiB
 * of the record's start) leaves the record ending with the line where the
 * quote opened, and the lines after it are records of their own. A blank
 * line is a record (eg_csv_next skips it). s[0..n) is what is known of the
 * input from the record's start; at_eof says that nothing follows it.
 * Returns 0 when more input is needed to know (never when at_eof and
 * n > 0); *lines gets the number of line feeds in the record. Readers that
 * cut a file into records for several threads use it so that their records
 * are eg_csv's.
 */
size_t eg_csv_record_len(const char *s, size_t n, int at_eof, unsigned long *lines);

/*
 * Format one field exactly as eg_csv_write_field writes it into out,
 * which has room for 2 * strlen(s) + 3 bytes (every byte a quote, the
 * two quotes around, the guard). No NUL is added. NULL formats as an
 * empty field. Returns the number of bytes written.
 */
size_t eg_csv_format_field(char *out, const char *s);

#ifdef __cplusplus
}
#endif
#endif
