/*
 * store/sqlite_cols.c: binding and reading rows of the SQLite backend
 * through column maps (columns.h), written once for every record type;
 * SQL generated from a map (its column lists and parameters); the
 * single-row read.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "sqlite_internal.h"
#include "epigrid/travel.h"   /* eg_mode_name, eg_mode_parse: the stored names of modes */

/* A borrowed text field (EG_COL_STR), named so that CFIELD can add const. */
typedef const char *text_ptr;

/* The field of column c in record rec. */
#define FIELD(rec, c, T) ((T *)(void *)((char *)(rec) + (c)->offset))
#define CFIELD(rec, c, T) ((const T *)(const void *)((const char *)(rec) + (c)->offset))

/* Bind one field to parameter i. */
static void bind_one(sqlite3_stmt *st, int i, const eg_col *c, const void *rec)
{
    switch (c->type) {
    case EG_COL_I64: sqlite3_bind_int64(st, i, *CFIELD(rec, c, int64_t)); break;
    case EG_COL_INT: sqlite3_bind_int(st, i, *CFIELD(rec, c, int)); break;
    case EG_COL_LONG: sqlite3_bind_int64(st, i, *CFIELD(rec, c, long)); break;
    case EG_COL_BUF: eg_sq_bind_text(st, i, CFIELD(rec, c, char)); break;
    case EG_COL_STR: eg_sq_bind_text(st, i, *CFIELD(rec, c, text_ptr)); break;
    case EG_COL_DATE: eg_sq_bind_date(st, i, *CFIELD(rec, c, eg_date)); break;
    case EG_COL_TIME: eg_sq_bind_time(st, i, *CFIELD(rec, c, eg_time)); break;
    case EG_COL_TIME0:
        if (*CFIELD(rec, c, eg_time) == 0)
            sqlite3_bind_null(st, i);
        else
            eg_sq_bind_time(st, i, *CFIELD(rec, c, eg_time));
        break;
    case EG_COL_U8: sqlite3_bind_int(st, i, *CFIELD(rec, c, unsigned char)); break;
    case EG_COL_LEVEL: eg_sq_bind_text(st, i, eg_level_name(*CFIELD(rec, c, eg_level))); break;
    case EG_COL_MODE: eg_sq_bind_text(st, i, eg_mode_name(*CFIELD(rec, c, eg_mode))); break;
    case EG_COL_MINUTE:
        if (*CFIELD(rec, c, short) == EG_NO_MINUTE)
            sqlite3_bind_null(st, i);
        else
            sqlite3_bind_int(st, i, *CFIELD(rec, c, short));
        break;
    }
}

void eg_sq_bind_cols(sqlite3_stmt *st, int first, const eg_colmap *m, int from, int to, const void *rec)
{
    assert(from >= 0 && from <= to && to <= m->n);
    for (int k = from; k < to; k++)
        bind_one(st, first + (k - from), &m->cols[k], rec);
}

/* Read result column i into one field. */
static void read_one(sqlite3_stmt *st, int i, const eg_col *c, void *rec)
{
    switch (c->type) {
    case EG_COL_I64: *FIELD(rec, c, int64_t) = sqlite3_column_int64(st, i); break;
    case EG_COL_INT: *FIELD(rec, c, int) = sqlite3_column_int(st, i); break;
    case EG_COL_LONG: *FIELD(rec, c, long) = (long)sqlite3_column_int64(st, i); break;
    case EG_COL_BUF: eg_sq_col_copy(st, i, FIELD(rec, c, char), c->size); break;
    case EG_COL_STR: *FIELD(rec, c, text_ptr) = eg_sq_col_text(st, i); break;
    case EG_COL_DATE: *FIELD(rec, c, eg_date) = eg_sq_col_date(st, i); break;
    case EG_COL_TIME:
    case EG_COL_TIME0: *FIELD(rec, c, eg_time) = eg_sq_col_time(st, i); break;
    case EG_COL_U8: *FIELD(rec, c, unsigned char) = (unsigned char)sqlite3_column_int(st, i); break;
    case EG_COL_LEVEL:
        if (eg_level_parse(eg_sq_col_text(st, i), FIELD(rec, c, eg_level)))
            *FIELD(rec, c, eg_level) = EG_LEVEL_PROVINCE;
        break;
    case EG_COL_MODE:
        if (eg_mode_parse(eg_sq_col_text(st, i), FIELD(rec, c, eg_mode)))
            *FIELD(rec, c, eg_mode) = EG_MODE_OTHER;
        break;
    case EG_COL_MINUTE:
        *FIELD(rec, c, short) = sqlite3_column_type(st, i) == SQLITE_NULL ? EG_NO_MINUTE
                                                                           : (short)sqlite3_column_int(st, i);
        break;
    }
}

void eg_sq_read_cols(sqlite3_stmt *st, int first, const eg_colmap *m, void *rec)
{
    for (int k = 0; k < m->n; k++)
        read_one(st, first + k, &m->cols[k], rec);
}

/* Append `s` to buf (size bytes) at *len; 0 when it does not fit. */
static int append(char *buf, size_t size, size_t *len, const char *s)
{
    size_t n = strlen(s);
    if (*len + n >= size)
        return 0;
    memcpy(buf + *len, s, n + 1);
    *len += n;
    return 1;
}

/* Append the map's columns from `from` on, separated by ", ": expressions
 * when `exprs`, else the plain names (an expression's last word). */
static int append_cols(char *buf, size_t size, size_t *len, const eg_colmap *m, int from, int exprs)
{
    for (int k = from; k < m->n; k++) {
        const char *name = m->cols[k].name;
        char plain[64];
        if (!exprs && strchr(name, '(')) {
            /* "coalesce(measure_at, created_at)": the column is the first argument */
            const char *p = strchr(name, '(') + 1;
            size_t n = strcspn(p, ",)");
            if (n >= sizeof plain)
                return 0;
            memcpy(plain, p, n);
            plain[n] = '\0';
            name = plain;
        }
        if (!exprs && strchr(name, '.'))
            name = strrchr(name, '.') + 1;   /* "o.name": the column of table o */
        if ((k > from && !append(buf, size, len, ", ")) || !append(buf, size, len, name))
            return 0;
    }
    return 1;
}

/* Append "?1, ?2, ..., ?n". */
static int append_params(char *buf, size_t size, size_t *len, int n)
{
    for (int k = 1; k <= n; k++) {
        char p[16];
        snprintf(p, sizeof p, "%s?%d", k > 1 ? ", " : "", k);
        if (!append(buf, size, len, p))
            return 0;
    }
    return 1;
}

/* Append "a = ?2, b = ?3, ..." for the plain names of the columns from
 * `from` on (an update whose key is ?1). */
static int append_sets(char *buf, size_t size, size_t *len, const eg_colmap *m, int from)
{
    for (int k = from; k < m->n; k++) {
        char p[80];
        snprintf(p, sizeof p, "%s%s = ?%d", k > from ? ", " : "", m->cols[k].name, k - from + 2);
        if (strchr(m->cols[k].name, '(') || !append(buf, size, len, p))
            return 0;
    }
    return 1;
}

/* Expand `sql` for map m (see eg_sq_prepare_map) into buf; 0 when it
 * does not fit. */
static int expand(char *buf, size_t size, const eg_colmap *m, int from, const char *sql)
{
    size_t len = 0;
    const char *p = sql;
    buf[0] = '\0';
    while (*p) {
        const char *brace = strchr(p, '{');
        size_t n = brace ? (size_t)(brace - p) : strlen(p);
        if (len + n >= size)
            return 0;
        memcpy(buf + len, p, n);
        len += n;
        buf[len] = '\0';
        p += n;
        if (!brace)
            break;
        int ok;
        if (strncmp(p, "{cols}", 6) == 0) {
            ok = append_cols(buf, size, &len, m, 0, 1);
            p += 6;
        } else if (strncmp(p, "{names}", 7) == 0) {
            ok = append_cols(buf, size, &len, m, from, 0);
            p += 7;
        } else if (strncmp(p, "{sets}", 6) == 0) {
            ok = append_sets(buf, size, &len, m, from);
            p += 6;
        } else if (strncmp(p, "{params}", 8) == 0) {
            ok = append_params(buf, size, &len, m->n - from);
            p += 8;
        } else {
            ok = append(buf, size, &len, "{");
            p++;
        }
        if (!ok)
            return 0;
    }
    return 1;
}

eg_err eg_sq_prepare_map(sqlite_store *q, sqlite3_stmt **slot, const eg_colmap *m, int from, const char *sql)
{
    char buf[8192];
    if (*slot)
        return EG_OK;
    if (m && !expand(buf, sizeof buf, m, from, sql)) {
        snprintf(q->errmsg, sizeof q->errmsg, "SQL of %s too long", m->table);
        return EG_ERR_DB;
    }
    if (sqlite3_prepare_v3(q->db, m ? buf : sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) != SQLITE_OK)
        return eg_sq_db_fail(q);
    return EG_OK;
}

sqlite3_stmt *eg_sq_ext_map(sqlite_store *q, int slot, const eg_colmap *m, int from, const char *sql)
{
    assert(slot >= 0 && slot < EG_SQ_EXT_MAX);
    if (eg_sq_prepare_map(q, &q->ext[slot], m, from, sql))
        return NULL;
    return eg_sq_ext(q, slot, sql);
}

eg_err eg_sq_one_row(sqlite_store *q, sqlite3_stmt *st, eg_sq_row_fn row, void *fn, void *ctx)
{
    int rc = sqlite3_step(st);
    eg_err e = rc == SQLITE_ROW ? row(st, fn, ctx) : rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(q);
    sqlite3_reset(st);
    return e;
}

eg_err eg_sq_one_rec(sqlite_store *q, sqlite3_stmt *st, const eg_colmap *m, void *rec, size_t size)
{
    int rc = sqlite3_step(st);
    eg_err e = EG_OK;
    if (rc == SQLITE_ROW) {
        memset(rec, 0, size);
        eg_sq_read_cols(st, 0, m, rec);
    } else
        e = rc == SQLITE_DONE ? EG_ERR_NOT_FOUND : eg_sq_db_fail(q);
    sqlite3_reset(st);
    return e;
}
