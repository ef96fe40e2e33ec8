/*
 * store/columns.h: column maps, the one description of how a record type
 * lies in its table.
 *
 * A column map lists, for one record type (epigrid/store.h), each column
 * of its table: the column's name (or, for reads only, an SQL expression),
 * the field's type and where the field lies in the record (offsetof,
 * sizeof). A backend binds a record to a statement's parameters and reads
 * a row back into a record through the map, so that binding and reading a
 * row is written once per backend (sqlite_cols.c for SQLite) and not once
 * per statement. Maps are static const data, defined next to the backend
 * code that uses them; they hold no SQL dialect beyond column names.
 */
#ifndef EG_STORE_COLUMNS_H
#define EG_STORE_COLUMNS_H

#include <stddef.h>
#include "epigrid/store.h"

/* How a field is stored. */
typedef enum eg_col_type {
    EG_COL_I64 = 1,  /* int64_t, INTEGER */
    EG_COL_INT,      /* int, INTEGER */
    EG_COL_LONG,     /* long, INTEGER */
    EG_COL_BUF,      /* char[size]: inline text, copied (truncated) on read; "" for NULL */
    EG_COL_STR,      /* const char *: borrowed text; NULL binds ""; a read points into the
                        backend's row, valid until the next step or reset */
    EG_COL_DATE,     /* eg_date as ISO text; EG_NO_DATE <-> NULL */
    EG_COL_TIME,     /* eg_time as `YYYY-MM-DD HH:MM` text (0 is bound as the text of 0) */
    EG_COL_TIME0,    /* eg_time, 0 ("not set") <-> NULL */
    EG_COL_U8,       /* unsigned char, INTEGER */
    EG_COL_LEVEL,    /* eg_level as its name (eg_level_name); an unknown name reads as a province */
    EG_COL_MODE,     /* eg_mode as its name (eg_mode_name); an unknown name reads as EG_MODE_OTHER */
    EG_COL_MINUTE,   /* short minutes after midnight, EG_NO_MINUTE <-> NULL */
} eg_col_type;

/* One column of a map. */
typedef struct eg_col {
    const char *name;    /* column name; reads may use an expression (see EG_COLX) */
    eg_col_type type;
    size_t offset;       /* of the field in the record (bytes) */
    size_t size;         /* of the field (bytes); the buffer size for EG_COL_BUF */
} eg_col;

/* The columns of one record type, in the order statements use them. */
typedef struct eg_colmap {
    const char *table;   /* the table, for messages and generated SQL */
    const eg_col *cols;
    int n;
} eg_colmap;

/* A column named as its field. */
#define EG_COL(rec, field, type) { #field, (type), offsetof(rec, field), sizeof(((rec *)0)->field) }
/* A column read through an SQL expression (e.g. "coalesce(measure_at, created_at)"). */
#define EG_COLX(rec, field, type, expr) { (expr), (type), offsetof(rec, field), sizeof(((rec *)0)->field) }
/* A map over a static array of columns. */
#define EG_COLMAP(table, cols) { (table), (cols), (int)(sizeof(cols) / sizeof((cols)[0])) }

#endif
