/*
 * cli/output.c: tabular output in the formats of spec/api.md (table, csv,
 * json, jsonl), error messages, exit codes and bundled data paths.
 *
 * Tables are aligned by display width (a Chinese character takes two
 * columns; utf8proc_charwidth), CSV follows RFC 4180, JSON is written by
 * Jansson with numbers for numeric columns.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <utf8proc.h>
#include "cli.h"
#include "epigrid/csv.h"

struct eg_table {
    eg_column *cols;
    size_t ncols;
    char **cells;     /* nrows * ncols strings */
    size_t nrows, cap;
};

int eg_cli_parse_format(const char *s, eg_format *out)
{
    static const struct { const char *name; eg_format f; } F[] = {
        { "table", EG_FMT_TABLE }, { "csv", EG_FMT_CSV }, { "json", EG_FMT_JSON }, { "jsonl", EG_FMT_JSONL },
    };
    for (size_t i = 0; i < sizeof F / sizeof F[0]; i++)
        if (strcmp(s, F[i].name) == 0) {
            *out = F[i].f;
            return 0;
        }
    return -1;
}

int eg_cli_exit_code(eg_err e)
{
    switch (e) {
    case EG_OK: return EG_EX_OK;
    case EG_ERR_IO: case EG_ERR_NOT_FOUND: return EG_EX_NOINPUT;
    case EG_ERR_INVALID: case EG_ERR_PARSE: case EG_ERR_ENCODING: case EG_ERR_MISSING_COLUMN:
    case EG_ERR_RANGE: case EG_ERR_CHECKSUM: case EG_ERR_STATE: case EG_ERR_SCHEMA:
        return EG_EX_DATAERR;
    default: return EG_EX_SOFTWARE;
    }
}

void eg_cli_error(const eg_cli *cli, eg_err e, const eg_diag *d, const char *context)
{
    char buf[700];
    if (d && d->reason[0])
        fprintf(cli->err, "epigrid: %s%s%s\n", context ? context : "", context ? ": " : "",
                eg_diag_format(d, buf, sizeof buf));
    else
        fprintf(cli->err, "epigrid: %s%s%s\n", context ? context : "", context ? ": " : "",
                eg_strerror(e));
}

char *eg_cli_data_path(const char *rel, char *buf, size_t size)
{
    const char *base = getenv("EPIGRID_DATA");
    snprintf(buf, size, "%s/%s", base && *base ? base : EG_DATADIR, rel);
    return buf;
}

eg_table *eg_table_new(const eg_column *cols, size_t ncols)
{
    eg_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cols = malloc(ncols * sizeof *cols);
    if (!t->cols) {
        free(t);
        return NULL;
    }
    memcpy(t->cols, cols, ncols * sizeof *cols);
    t->ncols = ncols;
    return t;
}

eg_err eg_table_add(eg_table *t, const char *const *vals)
{
    if (t->nrows == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 16;
        char **c = realloc(t->cells, cap * t->ncols * sizeof *c);
        if (!c)
            return EG_ERR_NOMEM;
        t->cells = c;
        t->cap = cap;
    }
    for (size_t i = 0; i < t->ncols; i++) {
        char *v = strdup(vals[i] ? vals[i] : "");
        if (!v) {
            for (size_t k = 0; k < i; k++)
                free(t->cells[t->nrows * t->ncols + k]);
            return EG_ERR_NOMEM;
        }
        t->cells[t->nrows * t->ncols + i] = v;
    }
    t->nrows++;
    return EG_OK;
}

void eg_table_free(eg_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->cols);
    free(t);
}

/* Display width of UTF-8 text in terminal columns. */
static size_t display_width(const char *s)
{
    size_t w = 0;
    const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
    utf8proc_int32_t cp;
    utf8proc_ssize_t n;
    while (*p && (n = utf8proc_iterate(p, -1, &cp)) > 0) {
        int cw = utf8proc_charwidth(cp);
        w += cw > 0 ? (size_t)cw : 0;
        p += n;
    }
    return w;
}

/* Print text padded to `width` columns (left-aligned, or right for numbers). */
static void print_padded(FILE *f, const char *s, size_t width, int right)
{
    size_t w = display_width(s);
    if (right)
        for (size_t i = w; i < width; i++)
            fputc(' ', f);
    fputs(s, f);
    if (!right)
        for (size_t i = w; i < width; i++)
            fputc(' ', f);
}

static eg_err print_table(const eg_table *t, FILE *f)
{
    size_t *w = calloc(t->ncols, sizeof *w);
    if (!w)
        return EG_ERR_NOMEM;
    for (size_t c = 0; c < t->ncols; c++) {
        w[c] = display_width(t->cols[c].name);
        for (size_t r = 0; r < t->nrows; r++) {
            size_t cw = display_width(t->cells[r * t->ncols + c]);
            if (cw > w[c])
                w[c] = cw;
        }
    }
    for (size_t c = 0; c < t->ncols; c++) {
        print_padded(f, t->cols[c].name, c + 1 < t->ncols ? w[c] : 0, t->cols[c].type != EG_COL_STR);
        fputs(c + 1 < t->ncols ? "  " : "\n", f);
    }
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            print_padded(f, t->cells[r * t->ncols + c], c + 1 < t->ncols ? w[c] : 0,
                         t->cols[c].type != EG_COL_STR);
            fputs(c + 1 < t->ncols ? "  " : "\n", f);
        }
    free(w);
    return ferror(f) ? EG_ERR_IO : EG_OK;
}

static eg_err print_csv(const eg_table *t, FILE *f)
{
    for (size_t c = 0; c < t->ncols; c++) {
        eg_csv_write_field(f, t->cols[c].name);
        fputc(c + 1 < t->ncols ? ',' : '\n', f);
    }
    for (size_t r = 0; r < t->nrows; r++)
        for (size_t c = 0; c < t->ncols; c++) {
            eg_csv_write_field(f, t->cells[r * t->ncols + c]);
            fputc(c + 1 < t->ncols ? ',' : '\n', f);
        }
    return ferror(f) ? EG_ERR_IO : EG_OK;
}

/* JSON value of one cell: numbers for numeric columns, null for NA/"". */
static json_t *cell_json(const eg_column *col, const char *v)
{
    char *end;
    if (col->type == EG_COL_STR)
        return json_string(v);
    if (!v[0] || strcmp(v, "NA") == 0)
        return json_null();
    if (col->type == EG_COL_INT) {
        long long n = strtoll(v, &end, 10);
        return *end ? json_string(v) : json_integer(n);
    }
    double x = strtod(v, &end);
    return *end ? json_string(v) : json_real(x);
}

/* One row as a JSON object. */
static json_t *row_json(const eg_table *t, size_t r)
{
    json_t *o = json_object();
    for (size_t c = 0; o && c < t->ncols; c++)
        json_object_set_new(o, t->cols[c].name, cell_json(&t->cols[c], t->cells[r * t->ncols + c]));
    return o;
}

static eg_err print_json(const eg_table *t, FILE *f, int lines)
{
    json_t *arr = lines ? NULL : json_array();
    for (size_t r = 0; r < t->nrows; r++) {
        json_t *o = row_json(t, r);
        if (!o)
            return EG_ERR_NOMEM;
        if (lines) {
            json_dumpf(o, f, JSON_COMPACT | JSON_ENSURE_ASCII * 0);
            fputc('\n', f);
            json_decref(o);
        } else {
            json_array_append_new(arr, o);
        }
    }
    if (!lines) {
        json_dumpf(arr, f, JSON_INDENT(2));
        fputc('\n', f);
        json_decref(arr);
    }
    return ferror(f) ? EG_ERR_IO : EG_OK;
}

eg_err eg_table_print(const eg_table *t, const eg_cli *cli)
{
    switch (cli->format) {
    case EG_FMT_CSV: return print_csv(t, cli->out);
    case EG_FMT_JSON: return print_json(t, cli->out, 0);
    case EG_FMT_JSONL: return print_json(t, cli->out, 1);
    default: return print_table(t, cli->out);
    }
}
