/*
 * store/sqlite_internal.h: what the SQLite backend's files share: the
 * handle, prepared-statement slots for modules, and the bind/column/step
 * helpers. Modules of the backend (sqlite_control.c, sqlite_server.c, ...)
 * each own a range of `ext` slots and one schema migration.
 */
#ifndef EG_SQLITE_INTERNAL_H
#define EG_SQLITE_INTERNAL_H

#include <sqlite3.h>
#include "store_impl.h"
#include "columns.h"

/* Statement slots for modules: control 0..63, server 64..127,
 * facilities and checkpoints 128..191, reports 192..255. */
#define EG_SQ_EXT_MAX 256
#define EG_SQ_EXT_CONTROL 0
#define EG_SQ_EXT_SERVER 64
#define EG_SQ_EXT_FACILITY 128
#define EG_SQ_EXT_REPORT 192

typedef struct sqlite_store {
    eg_store base;            /* must be first */
    eg_store_ops ops;         /* this handle's table (base.ops points here) */
    sqlite3 *db;
    sqlite3_stmt *stmt[64];   /* the core statements of sqlite.c */
    sqlite3_stmt *ext[EG_SQ_EXT_MAX];
    int in_tx;
    const char *path;         /* as given to open (borrowed for the handle's life) */
    char errmsg[256];
} sqlite_store;

/* The backend handle of a store opened by eg_sqlite_open. */
static inline sqlite_store *SQ(eg_store *s) { return (sqlite_store *)s; }

/* Remember the database's last error message; return EG_ERR_DB. */
eg_err eg_sq_db_fail(sqlite_store *q);
/* Prepare once (slot < EG_SQ_EXT_MAX) and return the statement reset and
 * unbound; NULL on error (errmsg set). */
sqlite3_stmt *eg_sq_ext(sqlite_store *q, int slot, const char *sql);
/* Bind helpers: text (NULL binds ""), a date as ISO text or NULL for
 * EG_NO_DATE, a moment as `YYYY-MM-DD HH:MM`. */
void eg_sq_bind_text(sqlite3_stmt *st, int i, const char *s);
void eg_sq_bind_date(sqlite3_stmt *st, int i, eg_date d);
void eg_sq_bind_time(sqlite3_stmt *st, int i, eg_time t);
/* Column helpers: text ("" for NULL), date (EG_NO_DATE for NULL or bad),
 * moment (0 for NULL or bad), text copied into a fixed buffer. */
const char *eg_sq_col_text(sqlite3_stmt *st, int i);
eg_date eg_sq_col_date(sqlite3_stmt *st, int i);
eg_time eg_sq_col_time(sqlite3_stmt *st, int i);
void eg_sq_col_copy(sqlite3_stmt *st, int i, char *dst, size_t size);
/* Step a statement returning no rows / one integer; resets it. */
eg_err eg_sq_step_done(sqlite_store *q, sqlite3_stmt *st);
eg_err eg_sq_step_long(sqlite_store *q, sqlite3_stmt *st, long *out);
/* Step st to its end, calling row(st, fn, ctx) for each row (row reads
 * the columns into a record and calls fn, the caller's callback, as its
 * own type); stops at the first error row returns; resets st. Returns
 * EG_OK, what row returned, or EG_ERR_DB. */
typedef eg_err (*eg_sq_row_fn)(sqlite3_stmt *st, void *fn, void *ctx);
eg_err eg_sq_each_row(sqlite_store *q, sqlite3_stmt *st, eg_sq_row_fn row, void *fn, void *ctx);
/* Bind ?1 and ?2 to a range of moments, 0 meaning open at that end. */
void eg_sq_bind_time_range(sqlite3_stmt *st, eg_time from, eg_time to);
/* Execute SQL text without parameters (schema, pragmas). */
eg_err eg_sq_exec_sql(sqlite_store *q, const char *sql);

/* ---- column maps (columns.h; sqlite_cols.c) ---- */

/* Bind the columns [from, to) of map `m`, taken from record `rec`, to the
 * parameters first, first + 1, ... of st. */
void eg_sq_bind_cols(sqlite3_stmt *st, int first, const eg_colmap *m, int from, int to, const void *rec);
/* Read the columns of map `m` from the current row of st, starting at
 * result column `first`, into record `rec` (fields the map does not name
 * are left as they are). EG_COL_STR fields point into the row. */
void eg_sq_read_cols(sqlite3_stmt *st, int first, const eg_colmap *m, void *rec);
/* Prepare slot `slot` once from `sql`, in which each `{cols}` is replaced
 * by the map's column list ("a, b, coalesce(c, d)") and each `{names}` by
 * its plain column names from column `from` on (for INSERT lists; `from`
 * skips generated keys); returns the statement reset and unbound, NULL on
 * error (errmsg set; an SQL text over 8 KiB is an error too). */
sqlite3_stmt *eg_sq_ext_map(sqlite_store *q, int slot, const eg_colmap *m, int from, const char *sql);
/* Prepare *slot once (persistent) from `sql`, expanded for map `m` as in
 * eg_sq_ext_map, where also each `{params}` becomes "?1, ..., ?k" for the
 * k columns from `from` on, and each `{sets}` "a = ?2, b = ?3, ..." for
 * those columns (an update whose key is ?1) (m NULL: sql as it is). Returns EG_OK (also
 * when *slot was prepared already) or EG_ERR_DB (errmsg set). */
eg_err eg_sq_prepare_map(sqlite_store *q, sqlite3_stmt **slot, const eg_colmap *m, int from, const char *sql);
/* Step st once: with a row, call row(st, fn, ctx) and return what it
 * returns; EG_ERR_NOT_FOUND with none; EG_ERR_DB on failure. Resets st.
 * The single-row read of every "get" operation. */
eg_err eg_sq_one_row(sqlite_store *q, sqlite3_stmt *st, eg_sq_row_fn row, void *fn, void *ctx);
/* Step st once: with a row, read it (from result column 0) through map m
 * into rec (size bytes, zeroed first); EG_ERR_NOT_FOUND with none;
 * EG_ERR_DB on failure. Resets st. The single-row read of a record. */
eg_err eg_sq_one_rec(sqlite_store *q, sqlite3_stmt *st, const eg_colmap *m, void *rec, size_t size);
/* Define `name`, an eg_sq_row_fn that reads a row (from result column 0)
 * through map `map` into a zeroed `rec_t` and calls fn, an `fn_t`, with it. */
#define EG_SQ_ROW_FN(name, rec_t, fn_t, map) \
    static eg_err name(sqlite3_stmt *st, void *fn, void *ctx) \
    { \
        rec_t rec_; \
        memset(&rec_, 0, sizeof rec_); \
        eg_sq_read_cols(st, 0, &(map), &rec_); \
        return ((fn_t)fn)(ctx, &rec_); \
    }
/* The maps of records that more than one file of the backend reads
 * (sqlite.c defines them). */
extern const eg_colmap EG_SQ_ORDER_MAP;   /* eg_ctl_order, the table named `o` */
extern const eg_colmap EG_SQ_PERSON_MAP;  /* eg_person_rec: pid, id_no, ... synthetic */
extern const eg_colmap EG_SQ_AUDIT_MAP;   /* eg_audit_rec: audit_id, at, actor, action, person_pid, detail */

/* Module migrations (NULL-terminated statement lists) and operations. */
extern const char *const EG_SQ_MIGRATION_5[];
extern const char *const EG_SQ_MIGRATION_6[];
extern const char *const EG_SQ_MIGRATION_7[];
extern const char *const EG_SQ_MIGRATION_8[];
/* Each module of the backend fills in its members of the operations table. */
void eg_sq_control_ops(eg_store_ops *o);
void eg_sq_server_ops(eg_store_ops *o);
void eg_sq_facility_ops(eg_store_ops *o);

#endif
