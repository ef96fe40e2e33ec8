/*
 * core/error.c: messages and identifiers of the eg_err codes, and the
 * eg_diag record that carries file, line, column and reason of a failure
 * to the person who has to fix it (`FILE:LINE: column: reason`).
 */
#include "epigrid/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* English messages, indexed by eg_err. */
static const char *const err_messages[EG_ERR__COUNT] = {
    [EG_OK] = "success",
    [EG_ERR_NOMEM] = "out of memory",
    [EG_ERR_INVALID] = "invalid argument or value",
    [EG_ERR_PARSE] = "text could not be parsed",
    [EG_ERR_ENCODING] = "text is not valid UTF-8",
    [EG_ERR_IO] = "file could not be read or written",
    [EG_ERR_NOT_FOUND] = "not found",
    [EG_ERR_EXISTS] = "already exists",
    [EG_ERR_MISSING_COLUMN] = "a required column is missing",
    [EG_ERR_RANGE] = "value out of range",
    [EG_ERR_CHECKSUM] = "check character does not match",
    [EG_ERR_DB] = "database error",
    [EG_ERR_SCHEMA] = "database schema is newer than this program",
    [EG_ERR_STATE] = "not allowed in the current state",
    [EG_ERR_PERM] = "not allowed for this user or role",
    [EG_ERR_UNSUPPORTED] = "not supported",
    [EG_ERR_NUMERIC] = "numerical method failed",
    [EG_ERR_EOF] = "end of input",
};

/* Stable identifiers (API error codes), indexed by eg_err. */
static const char *const err_names[EG_ERR__COUNT] = {
    [EG_OK] = "ok",
    [EG_ERR_NOMEM] = "nomem",
    [EG_ERR_INVALID] = "invalid",
    [EG_ERR_PARSE] = "parse",
    [EG_ERR_ENCODING] = "encoding",
    [EG_ERR_IO] = "io",
    [EG_ERR_NOT_FOUND] = "not_found",
    [EG_ERR_EXISTS] = "exists",
    [EG_ERR_MISSING_COLUMN] = "missing_column",
    [EG_ERR_RANGE] = "range",
    [EG_ERR_CHECKSUM] = "checksum",
    [EG_ERR_DB] = "db",
    [EG_ERR_SCHEMA] = "schema",
    [EG_ERR_STATE] = "state",
    [EG_ERR_PERM] = "perm",
    [EG_ERR_UNSUPPORTED] = "unsupported",
    [EG_ERR_NUMERIC] = "numeric",
    [EG_ERR_EOF] = "eof",
};

/* Look up `e` in a table of EG_ERR__COUNT strings; `fallback` when the
 * code is out of range or has no entry. */
static const char *lookup(const char *const *table, eg_err e, const char *fallback)
{
    if ((unsigned)e >= (unsigned)EG_ERR__COUNT || table[e] == NULL)
        return fallback;
    return table[e];
}

/* Static English message of an error code. */
const char *eg_strerror(eg_err e)
{
    return lookup(err_messages, e, "unknown error");
}

/* Static short identifier of an error code. */
const char *eg_err_name(eg_err e)
{
    return lookup(err_names, e, "unknown");
}

/* Reset a diagnostic to "nothing known". */
void eg_diag_clear(eg_diag *d)
{
    if (d)
        memset(d, 0, sizeof *d);
}

/* Copy `src` (NULL = empty) into a fixed buffer, truncating. */
static void copy_bounded(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

/* Fill a diagnostic. The parts are formatted into locals first, so that
 * `file` or `column` may point into `d` itself. */
eg_err eg_diag_set(eg_diag *d, eg_err e, const char *file, unsigned long line,
                   const char *column, const char *fmt, ...)
{
    if (!d)
        return e;
    eg_diag tmp;
    memset(&tmp, 0, sizeof tmp);
    copy_bounded(tmp.file, sizeof tmp.file, file);
    copy_bounded(tmp.column, sizeof tmp.column, column);
    tmp.line = line;
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(tmp.reason, sizeof tmp.reason, fmt, ap);
        va_end(ap);
    }
    *d = tmp;
    return e;
}

/* Format a diagnostic as `FILE:LINE: column: reason`, leaving out unknown
 * parts (no file: `line N: ...`; no line: `FILE: ...`); the known parts
 * are joined by ": ". */
char *eg_diag_format(const eg_diag *d, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    buf[0] = '\0';
    if (!d)
        return buf;
    char where[300] = "";
    if (d->file[0] && d->line)
        snprintf(where, sizeof where, "%s:%lu", d->file, d->line);
    else if (d->file[0])
        snprintf(where, sizeof where, "%s", d->file);
    else if (d->line)
        snprintf(where, sizeof where, "line %lu", d->line);
    const char *parts[3] = { where, d->column, d->reason };
    size_t used = 0;
    for (size_t i = 0; i < 3 && used < size; i++) {
        if (!parts[i][0])
            continue;
        int n = snprintf(buf + used, size - used, "%s%s", used ? ": " : "", parts[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    return buf;
}
