/*
 * analysis/notes.c: the list of notes (warnings and corrections) that the
 * analysis loaders report without stopping (epigrid/analysis.h,
 * eg_an_notes). Each note is an eg_diag, so it prints as
 * `FILE:LINE: column: reason` like every other report of EpiGrid.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "epigrid/array.h"
#include "epigrid/analysis.h"

/* Append one note, growing the array geometrically. */
eg_err eg_an_notes_add(eg_an_notes *notes, const char *file, unsigned long line,
                       const char *column, const char *fmt, ...)
{
    if (!notes)
        return EG_OK;
    if (notes->n == notes->cap &&
        eg_array_grow(&notes->items, notes->n, &notes->cap, sizeof *notes->items))
        return EG_ERR_NOMEM;
    eg_diag *it = &notes->items[notes->n++];
    memset(it, 0, sizeof *it);
    if (file)
        snprintf(it->file, sizeof it->file, "%s", file);
    it->line = line;
    if (column)
        snprintf(it->column, sizeof it->column, "%s", column);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(it->reason, sizeof it->reason, fmt, ap);
    va_end(ap);
    return EG_OK;
}

/* Release the notes; the list is empty and reusable afterwards. */
void eg_an_notes_free(eg_an_notes *notes)
{
    if (!notes)
        return;
    free(notes->items);
    notes->items = NULL;
    notes->n = notes->cap = 0;
}
