/*
 * epigrid/error.h: the one error enum of EpiGrid.
 *
 * Every library function that can fail returns an eg_err (curl's CURLcode
 * model). EG_OK is zero, so `if (rc) ...` tests for failure. Details that a
 * caller shows to a person (file, line, column, reason) travel in an
 * eg_diag, filled by the functions that take one.
 */
#ifndef EPIGRID_ERROR_H
#define EPIGRID_ERROR_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Error codes. The numeric values are stable: they are stored in rejects
 * files and returned by the API. Add new codes before EG_ERR__COUNT only. */
typedef enum eg_err {
    EG_OK = 0,               /* success */
    EG_ERR_NOMEM,            /* out of memory */
    EG_ERR_INVALID,          /* an argument or a value is invalid */
    EG_ERR_PARSE,            /* text could not be parsed (malformed) */
    EG_ERR_ENCODING,         /* text is not valid UTF-8 */
    EG_ERR_IO,               /* a file could not be read or written */
    EG_ERR_NOT_FOUND,        /* the thing asked for does not exist */
    EG_ERR_EXISTS,           /* the thing to create already exists */
    EG_ERR_MISSING_COLUMN,   /* a required CSV column is absent */
    EG_ERR_RANGE,            /* a value is outside its allowed range */
    EG_ERR_CHECKSUM,         /* a check character does not match */
    EG_ERR_DB,               /* the database reported an error */
    EG_ERR_SCHEMA,           /* the database schema is newer than this program */
    EG_ERR_STATE,            /* a transition is not allowed in the current state */
    EG_ERR_PERM,             /* not allowed for this user or role */
    EG_ERR_UNSUPPORTED,      /* not supported (yet) by this build or backend */
    EG_ERR_NUMERIC,          /* a numerical method failed (no convergence, NaN) */
    EG_ERR_EOF,              /* end of input (not a failure for iterators) */
    EG_ERR__COUNT
} eg_err;

/* Return a static English message for `e` (never NULL; unknown codes give
 * "unknown error"). The string is owned by the library. */
const char *eg_strerror(eg_err e);

/* Return a short stable identifier for `e`, such as "invalid" or
 * "not_found" (used as the `code` of API errors). Static, never NULL. */
const char *eg_err_name(eg_err e);

/*
 * eg_diag: where and why something failed, for a person to read.
 * `file` may be NULL, `line` 0 when unknown (1-based otherwise), `column`
 * the CSV header name or field ("" when not applicable). `reason` is a
 * short English sentence. All buffers are inline; no ownership questions.
 */
typedef struct eg_diag {
    char file[256];
    unsigned long line;
    char column[64];
    char reason[256];
} eg_diag;

/* Clear `d` (may be NULL: then nothing happens). */
void eg_diag_clear(eg_diag *d);

/* Fill `d` (may be NULL) with a printf-style reason; `file` and `column`
 * may be NULL. Always returns `e`, so callers can write
 * `return eg_diag_set(d, EG_ERR_PARSE, file, line, "date", "...")`. */
eg_err eg_diag_set(eg_diag *d, eg_err e, const char *file, unsigned long line,
                   const char *column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Format `d` as `FILE:LINE: column: reason` into buf (size bytes, always
 * NUL-terminated). Parts that are unknown are left out. Returns buf. */
char *eg_diag_format(const eg_diag *d, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
